"""The one settings module. Everything deployment-specific comes from the environment.

Modes (SANBAO_ENV): ``development`` (default), ``production`` (fails fast on
missing secrets, DEBUG off, secure cookies) and ``test`` (set by the test
suite). ``SANBAO_DEMO=1`` additionally allows the shared demo password; it is
refused in production mode. See docs/operations.md.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from sanbao import config

BASE_DIR = Path(__file__).resolve().parent
ENVIRONMENT = config.get_str("SANBAO_ENV", "development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured("SANBAO_ENV must be development, production or test")
PRODUCTION = ENVIRONMENT == "production"
TESTING = ENVIRONMENT == "test"
DEMO_MODE = config.get_bool("SANBAO_DEMO", default=False)
SANBAO_DEMO_MATTERS = config.get_int("SANBAO_DEMO_MATTERS", 5000)  # matters `sanbao demo` builds
if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("SANBAO_DEMO cannot be used with SANBAO_ENV=production")

DATA_DIR = Path(config.get_str("SANBAO_DATA_DIR", str(Path.cwd() / "var"))).resolve()

SECRET_KEY = config.get_secret(
    "SANBAO_SECRET_KEY", production=PRODUCTION, development_default="dev-only-not-secret-" + "x" * 40
)
# Key for personal-data field encryption and keyed lookup hashes (base64, 32 bytes).
FIELD_ENCRYPTION_KEY = config.get_secret(
    "SANBAO_FIELD_KEY", production=PRODUCTION, development_default="ZGV2LW9ubHktZmllbGQta2V5LW5vdC1zZWNyZXQhISE="
)
DEBUG = config.get_bool("SANBAO_DEBUG", default=not PRODUCTION and not TESTING)
ALLOWED_HOSTS = config.get_list("SANBAO_ALLOWED_HOSTS", [] if PRODUCTION else ["*"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("SANBAO_ALLOWED_HOSTS must be set when SANBAO_ENV=production")
CSRF_TRUSTED_ORIGINS = config.get_list("SANBAO_CSRF_TRUSTED_ORIGINS", [])

# Nothing in Sanbao calls out to the internet; this flag is kept explicit so an
# operator can see it and so future integrations must respect it.
OFFLINE = config.get_bool("SANBAO_OFFLINE", default=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "sanbao.core",
    "sanbao.audit",
    "sanbao.org",
    "sanbao.accounts",
    "sanbao.matters",
    "sanbao.deadlines",
    "sanbao.intake",
]

MIDDLEWARE = [
    "sanbao.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sanbao.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sanbao.accounts.middleware.AccountPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sanbao.urls"
WSGI_APPLICATION = "sanbao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sanbao.core.context_processors.sanbao",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "sanbao.sqlite3"
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        config.get_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE transactions take the write lock at BEGIN, so two writers
        # queue instead of failing half-way with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # A file, not :memory:, so threads in concurrency tests share one database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security (等保 2.0 level 3, DOMAIN.md §7) -------------------
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "sanbao.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = config.get_int("SANBAO_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=config.get_int("SANBAO_LOCKOUT_MINUTES", 30))
# Lock the account, not the address: a township office shares one NAT address,
# and locking by IP would lock every clerk out because of one mistyped password.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# A refused attempt while locked does not extend the lock: the "locked until"
# time shown to the user stays true (attempts during the lock check no password).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "sanbao.accounts.views.lockout_response"
AXES_VERBOSE = False
# Idle logout: the session expires after this many minutes without a request.
SESSION_COOKIE_AGE = 60 * config.get_int("SANBAO_IDLE_MINUTES", 30)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
OTP_TOTP_ISSUER = "Sanbao"

# Pluggable cryptography (GB/T 39786-2021 expects SM3/SM4 where required).
SANBAO_AUDIT_HASH = config.get_str("SANBAO_AUDIT_HASH", "sha256")
SANBAO_FIELD_CIPHER = config.get_str("SANBAO_FIELD_CIPHER", "sanbao.core.crypto.AesGcmCipher")
AUDIT_MIN_RETENTION_DAYS = 180  # 网络安全法 Art. 21: at least six months.

# --- Internationalisation: Chinese first --------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files (all on disk, nothing from a CDN) --------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise expects it even before collectstatic
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Background tasks ----------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": config.get_str("SANBAO_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
if TESTING:
    TASKS["default"]["BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"

# --- API ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "sanbao.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "sanbao.core.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sanbao API",
    "DESCRIPTION": "三保 — grassroots political-legal and social-governance platform",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Stable enum names: several apps have fields called role/status/kind.
    "ENUM_NAME_OVERRIDES": {
        "DuplicateKindEnum": "sanbao.intake.choices.DuplicateKind",
        "WarningStatusEnum": "sanbao.intake.choices.WarningStatus",
        "AreaLevelEnum": "sanbao.org.choices.AreaLevel",
        "UnitTypeEnum": "sanbao.org.choices.UnitType",
        "OrgRoleEnum": "sanbao.org.choices.Role",
        "MatterKindEnum": "sanbao.matters.choices.MatterKind",
        "RiskLevelEnum": "sanbao.matters.choices.RiskLevel",
        "SourceChannelEnum": "sanbao.matters.choices.SourceChannel",
        "MatterStateEnum": "sanbao.matters.choices.MatterState",
        "MatterStatusEnum": "sanbao.matters.choices.MatterStatus",
        "VerbEnum": "sanbao.matters.choices.Verb",
        "PartyTypeEnum": "sanbao.matters.choices.PartyType",
        "PartyRoleEnum": "sanbao.matters.choices.PartyRole",
        "IdTypeEnum": "sanbao.matters.choices.IdType",
        "AssignmentRoleEnum": "sanbao.matters.choices.AssignmentRole",
        "AssignmentStatusEnum": "sanbao.matters.choices.AssignmentStatus",
        "ReviewDecisionEnum": "sanbao.matters.choices.ReviewDecision",
        "PetitionOpinionEnum": "sanbao.matters.choices.PetitionOpinion",
        "ReviewOpinionEnum": "sanbao.matters.choices.ReviewOpinion",
        "ReviewStageEnum": "sanbao.matters.choices.ReviewStage",
        "FeedbackStageEnum": "sanbao.matters.choices.FeedbackStage",
        "FollowUpMethodEnum": "sanbao.matters.choices.FollowUpMethod",
        "SatisfactionEnum": "sanbao.matters.choices.Satisfaction",
        "LegalRouteEnum": "sanbao.matters.choices.LegalRoute",
        "ExtensionStatusEnum": "sanbao.matters.choices.ExtensionStatus",
        "InstructionKindEnum": "sanbao.matters.choices.InstructionKind",
        "AttachmentPurposeEnum": "sanbao.matters.choices.AttachmentPurpose",
        "DayKindEnum": "sanbao.deadlines.choices.DayKind",
        "CountUnitEnum": "sanbao.deadlines.choices.CountUnit",
        "PauseReasonEnum": "sanbao.deadlines.choices.PauseReason",
        "DeadlineStatusEnum": "sanbao.deadlines.choices.DeadlineStatus",
        "ColourEnum": "sanbao.deadlines.choices.Colour",
    },
}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
