"""Settings for the test suite: the base settings with test-only overrides."""

import os

os.environ["SANBAO_ENV"] = "test"
os.environ.setdefault("SANBAO_DATA_DIR", os.path.join(os.getcwd(), "var", "test"))

from sanbao.settings import *  # noqa: E402,F403

# One test database file per process: several test runs (developers, CI
# shards) may share a checkout, and they must not delete each other's file.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405

# Argon2 is the production hasher (asserted in accounts tests); tests create
# hundreds of users, so they hash with a fast one.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]

# The session's demo county gets a few hundred matters, not the 5,000 of `make run`.
SANBAO_DEMO_MATTERS = 300
