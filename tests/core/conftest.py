"""The core rules need no database; messages are checked in English (their msgids)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation

# Outside pytest-django (``-p no:django``) nothing configures Django; lazy messages need settings.
if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure(USE_I18N=False)


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield
