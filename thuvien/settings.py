"""Settings for ThuVien.

Everything that differs between a laptop and a province server comes from the environment
(see README "Configuration"). `thuvien.settings_production` tightens these for a public server.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from thuvien.core.env import env, env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("THUVIEN_VAR_DIR", str(BASE_DIR / "var")))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)  # SQLite and collectstatic live here

DEBUG = env_bool("DEBUG", default=False)
# A fixed key is only acceptable on a developer's machine; production settings refuse it.
SECRET_KEY = env("SECRET_KEY", "insecure-development-key-change-me-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "thuvien.core",
    "thuvien.organisations",
    "thuvien.accounts",
    "thuvien.notifications",
    "thuvien.training",
    "thuvien.events",
    "thuvien.standards",
    "thuvien.catalogue",
    "thuvien.circulation",
    "thuvien.opac",
    "thuvien.stocktake",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "thuvien.core.middleware.VietnameseFirstLocaleMiddleware",
    "thuvien.core.middleware.ApiSlashMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "thuvien.core.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes asks to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thuvien.urls"
WSGI_APPLICATION = "thuvien.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "thuvien" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thuvien.organisations.context_processors.scope",
                "thuvien.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database: SQLite under var/ by default, PostgreSQL through DATABASE_URL -----------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'thuvien.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server and the task worker read while the other writes; a 32 MB
        # page cache keeps the catalogue's indexes in memory through a large import.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": env("SQLITE_TEST_NAME", "") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "thuvien.accounts.backends.UsernameOrEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (accounts/throttling.py): 5 failures for one account, however its login was
# typed, lock it for 15 minutes from everywhere; 30 failures from one address lock that address.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(env("AXES_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "thuvien.accounts.throttling.account_key"
AXES_CLIENT_IP_CALLABLE = "thuvien.accounts.throttling.client_address"
AXES_HANDLER = "thuvien.accounts.throttling.AccountAndAddressHandler"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The number of proxies in front (nginx: 1, set in settings_production); client_address reads it.
AXES_IPWARE_PROXY_COUNT = int(env("AXES_PROXY_COUNT", "0")) or None

# --- Language and time -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "thuvien" / "locale"]
# Vietnamese numbers and dates (15.067; 33,3 %; 05/09/2025): thuvien/formats/vi/formats.py.
FORMAT_MODULE_PATH = ["thuvien.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "thuvien_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files, served by WhiteNoise; nothing from a CDN ------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "thuvien" / "static"]
WHITENOISE_USE_FINDERS = True  # the demo server serves straight from the source folders
MEDIA_ROOT = VAR_DIR / "media"

# --- Security that applies everywhere ----------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = 5 * 1024 * 1024

# --- E-mail --------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# With `django.core.mail.backends.filebased.EmailBackend` (what `make demo` uses): the messages
# are written to .log files in this folder (one file for each batch sent), not sent.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "ThuVien <no-reply@thuvien.local>")
# The public address of the site, for links in e-mails sent by the task worker.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Background work: the Django tasks API, stored in the database ----------------------
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "thuvien.core.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ThuVien API",
    "DESCRIPTION": "JSON API of ThuVien. Authenticate with `Authorization: Token <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Three different "kind" choices meet in the schema: name each enum after what it lists.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "thuvien.organisations.models.UnitKind",
        "ProgressRowKindEnum": "thuvien.training.serializers.ROW_KINDS",
        "PendingUnitKindEnum": "thuvien.training.serializers.PENDING_KINDS",
        "CampaignStatusEnum": "thuvien.training.models.CampaignStatus",
        "EventStatusEnum": "thuvien.events.models.EventStatus",
    },
}

# --- Logging: errors to stderr, where gunicorn and systemd collect them -----------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
