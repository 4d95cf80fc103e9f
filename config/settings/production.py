"""Production: every secret from the environment, HTTPS only."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

if not SECRET_KEY or len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured("SKILLPLAN_SECRET_KEY must be set to at least 50 characters.")

if not SKILLPLAN_FIELD_KEYS or not SKILLPLAN_LOOKUP_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "SKILLPLAN_FIELD_KEYS and SKILLPLAN_LOOKUP_KEY must be set: personal data is encrypted."
    )

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SKILLPLAN_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

# One cache shared by every web process (the per-IP limit of public certificate checks counts
# in it): a database table, created once with `manage.py createcachetable`.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                      "LOCATION": "skillplan_cache"}}
