"""List pages cost the same few queries whatever the number of projects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.catalog.demo import seed_catalog

pytestmark = pytest.mark.django_db


def test_catalog_pages_stay_within_their_query_budget(
        client_for: Callable[[str], Client], django_assert_max_num_queries: Any) -> None:
    seed_catalog()
    staff, public = client_for("demo_city_changsha"), Client()
    staff.get(reverse("catalog:list"))  # warm the session and caches
    with django_assert_max_num_queries(15):
        assert staff.get(reverse("catalog:list")).status_code == 200
    with django_assert_max_num_queries(15):
        assert staff.get(reverse("catalog:brands")).status_code == 200
    with django_assert_max_num_queries(8):
        assert public.get(reverse("public_catalog:list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert public.get(reverse("public_catalog:brands")).status_code == 200
