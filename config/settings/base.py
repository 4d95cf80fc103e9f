"""Settings shared by every environment. Values that differ come from environment variables.

Environment variables (documented in the README):
  DATABASE_URL            default sqlite:///var/skillplan.sqlite3
  SKILLPLAN_SECRET_KEY    Django's secret key (required in production)
  SKILLPLAN_ALLOWED_HOSTS comma-separated host names (production)
  SKILLPLAN_PROVINCE_CODE the province this installation serves (default 43, Hunan)
  SKILLPLAN_IDLE_TIMEOUT  idle seconds before a session ends (default 1800)
  SKILLPLAN_FILES_DIR     where uploaded and generated files are kept (outside the web root)
  SKILLPLAN_TRUSTED_PROXIES number of reverse proxies in front of the app (default 0)
  SKILLPLAN_CLASS_APPROVAL_LEVEL which federation level approves classes (province|city|county)
  SKILLPLAN_RESULTS_LATE_DAYS days after a class ends before results count as late (15)
  SKILLPLAN_PUBLIC_BASE_URL public address of the site for links on certificates (QR codes)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("SKILLPLAN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SKILLPLAN_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("SKILLPLAN_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "skillplan.core",
    "skillplan.regions",
    "skillplan.audit",
    "skillplan.providers",
    "skillplan.people",
    "skillplan.catalog",
    "skillplan.carriers",
    "skillplan.training",
    "skillplan.certificates",
    "skillplan.subsidies",
    "skillplan.accounts",
    "skillplan.jobs",
    "skillplan.imports",
    "skillplan.api",
    "skillplan.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "skillplan.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "skillplan.audit.middleware.RequestContextMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "skillplan.accounts.middleware.IdleTimeoutMiddleware",
    "skillplan.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "skillplan.core.context_processors.shell",
            ],
        },
    }
]
FORM_RENDERER = "skillplan.core.forms.AccessibleFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'skillplan.sqlite3'}"),
        conn_max_age=int(os.environ.get("SKILLPLAN_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers instead of failing with "database is locked";
    # WAL lets the web server read while the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["skillplan.accounts.backends.RoleBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:workspace"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions: idle timeout enforced by IdleTimeoutMiddleware; the cookie itself lives a work day.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SKILLPLAN_IDLE_TIMEOUT = int(os.environ.get("SKILLPLAN_IDLE_TIMEOUT", str(30 * 60)))
SKILLPLAN_IDLE_WARNING = 2 * 60 + 30
SKILLPLAN_LOGIN_MAX_FAILURES = 5
SKILLPLAN_LOGIN_LOCK_SECONDS = 15 * 60
SKILLPLAN_LOGIN_MAX_FAILURES_PER_IP = 30
# Reverse proxies in front of the app that append to X-Forwarded-For (0: trust no header; the
# client address is REMOTE_ADDR). With N, the client is the N-th entry from the right.
SKILLPLAN_TRUSTED_PROXIES = int(os.environ.get("SKILLPLAN_TRUSTED_PROXIES", "0"))
SKILLPLAN_TOTP_ISSUER = "湖南残联技能提升平台"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded and generated files never sit under the web root; views serve them after a scope check.
FILES_DIR = Path(os.environ.get("SKILLPLAN_FILES_DIR", VAR_DIR / "files"))
MEDIA_ROOT = FILES_DIR
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SKILLPLAN_PROVINCE_CODE = os.environ.get("SKILLPLAN_PROVINCE_CODE", "43")
SKILLPLAN_PLATFORM_NAME = _("Hunan Disabled Persons' Vocational Skills Platform")
SKILLPLAN_REGIONS_FILE = BASE_DIR / "data" / "divisions.csv"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SKILLPLAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# 就业年龄段: working-age range (inclusive) by gender, configurable per province policy.
SKILLPLAN_WORKING_AGE = {"M": (16, 59), "F": (16, 54)}
# Field encryption and lookup keys (see skillplan/core/crypto.py); derived from SECRET_KEY
# when empty (development), required in production.
SKILLPLAN_FIELD_KEYS = os.environ.get("SKILLPLAN_FIELD_KEYS", "")
SKILLPLAN_LOOKUP_KEY = os.environ.get("SKILLPLAN_LOOKUP_KEY", "")
SKILLPLAN_BASE_MAX_VALIDITY_YEARS = 5  # longest accreditation of a training base, in years
# Training classes: which federation level approves applications and completion
# (province, city or county), and after how many days from the end of a class results are late.
SKILLPLAN_CLASS_APPROVAL_LEVEL = os.environ.get("SKILLPLAN_CLASS_APPROVAL_LEVEL", "city")
SKILLPLAN_RESULTS_LATE_DAYS = int(os.environ.get("SKILLPLAN_RESULTS_LATE_DAYS", "15"))
SKILLPLAN_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024  # inspection evidence: images and PDF
SKILLPLAN_VERIFY_PER_MINUTE = 10  # public certificate checks per IP address and minute
# The public address of the site, for links printed on certificates (the QR code of the
# verification page), e.g. https://px.hndpf.org.cn; empty: taken from the request.
SKILLPLAN_PUBLIC_BASE_URL = os.environ.get("SKILLPLAN_PUBLIC_BASE_URL", "").rstrip("/")
