"""Developer machine: `make run`. Debug on, an insecure key if none is given."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("SKILLPLAN_DEBUG", True)
SECRET_KEY = SECRET_KEY or "local-development-key-not-for-production-9f2b7c1e"  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405 - the SQLite file lives here
