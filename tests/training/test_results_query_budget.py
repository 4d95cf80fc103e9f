"""The attendance grid and the results grid cost the same number of queries whatever the
number of trainees (no query per row)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings

from tests.training.during_support import ended_class, running_class

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.FILES_DIR = tmp_path / "files"
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("make", "name"), [(running_class, "training:attendance"),
                                            (ended_class, "training:results")])
def test_the_grid_does_not_query_per_trainee(client_for: Any, make: Any, name: str) -> None:
    client = client_for("demo_provider")
    small, large = make(trainees=2), make(trainees=8)
    client.get(reverse(name, args=[small.pk]))  # warm the session and caches
    few = _queries(client, reverse(name, args=[small.pk]))
    many = _queries(client, reverse(name, args=[large.pk]))
    assert many == few, (few, many)
    assert many <= 20
