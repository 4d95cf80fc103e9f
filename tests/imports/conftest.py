"""Import tests keep their files in a temporary FILES_DIR and read messages in English (their
msgids), whatever the zh_Hans catalog says."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def files_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.FILES_DIR = tmp_path / "files"
    return settings.FILES_DIR


@pytest.fixture(autouse=True)
def _english_messages(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
