"""Settings modes: production fails fast on missing secrets; each case is a fresh interpreter."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FIELD_KEY = base64.b64encode(b"k" * 32).decode()
PRODUCTION = {
    "SANBAO_ENV": "production",
    "SANBAO_SECRET_KEY": "a-production-secret-that-is-long-enough-0123456789",
    "SANBAO_FIELD_KEY": FIELD_KEY,
    "SANBAO_ALLOWED_HOSTS": "sanbao.example.gov.cn",
}
PROBE = (
    "import sanbao.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEMO_MODE)"
)


def clean_environment(tmp_path, **environment) -> dict:
    """Only PATH, HOME and a data folder, plus ``environment``: nothing leaks in from the test run."""
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    return {**base, "SANBAO_DATA_DIR": str(tmp_path / "data"), **environment}


def run(argv: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def import_settings(tmp_path, **environment) -> subprocess.CompletedProcess:
    """``python -c "import sanbao.settings"`` in a controlled environment."""
    return run([sys.executable, "-c", PROBE], clean_environment(tmp_path, **environment))


@pytest.mark.parametrize("missing", ["SANBAO_SECRET_KEY", "SANBAO_FIELD_KEY", "SANBAO_ALLOWED_HOSTS"])
def test_production_without_a_required_setting_fails_fast_naming_it(tmp_path, missing):
    environment = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = import_settings(tmp_path, **environment)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must be set when SANBAO_ENV=production" in result.stderr


def test_production_with_every_secret_starts_without_debug_and_with_secure_cookies(tmp_path):
    result = import_settings(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "False"]


def test_production_refuses_demo_mode(tmp_path):
    result = import_settings(tmp_path, **PRODUCTION, SANBAO_DEMO="1")
    assert result.returncode != 0
    assert "SANBAO_DEMO cannot be used with SANBAO_ENV=production" in result.stderr


def test_unknown_mode_is_refused(tmp_path):
    result = import_settings(tmp_path, SANBAO_ENV="staging")
    assert result.returncode != 0
    assert "SANBAO_ENV must be development, production or test" in result.stderr


def test_development_needs_no_secrets(tmp_path):
    result = import_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1:3] == ["False", "False"]


def test_production_check_passes_the_deploy_checks_that_matter(tmp_path):
    """``sanbao check --deploy`` in production mode reports no error-level problem."""
    env = clean_environment(tmp_path, DJANGO_SETTINGS_MODULE="sanbao.settings", **PRODUCTION)
    result = run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "ERROR"], env)
    assert result.returncode == 0, result.stderr
