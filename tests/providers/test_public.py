"""Public disclosure: only accredited bases in force and published providers, public fields
only, plain HTML that works without JavaScript, and a bounded number of queries."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.accounts.models import User
from skillplan.providers.demo import seed_providers
from skillplan.providers.models import BaseStatus, Provider, TrainingBase

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    seed_providers()


def _main(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def _plain(main: str) -> None:
    """Usable without JavaScript: no script, no HTMX, forms that GET."""
    assert "<script" not in main and "hx-" not in main
    for method in re.findall(r'<form[^>]*method="(\w+)"', main):
        assert method == "get"


def test_public_base_list_shows_only_accredited_bases_in_force(demo: None) -> None:
    main = _main(Client().get(reverse("public_providers:base_list")))
    _plain(main)
    for base in TrainingBase.objects.select_related("provider"):
        shown = base.name in main
        assert shown == (base.status == BaseStatus.ACCREDITED), base.name
    assert "湖南省残疾人职业技能培训中心残疾人职业培训基地" in main


def test_public_bases_filter_by_city_and_level_with_a_plain_get(demo: None) -> None:
    url = reverse("public_providers:base_list")
    main = _main(Client().get(url, {"city": "4301", "level": "national"}))
    assert "湖南省残疾人职业技能培训中心残疾人职业培训基地" in main
    assert "长沙市特殊教育学校残疾人职业培训基地" not in main  # provincial
    assert "株洲市工贸技工学校" not in main  # another city


def test_public_provider_pages_show_no_private_fields(demo: None) -> None:
    client = Client()
    listing = _main(client.get(reverse("public_providers:provider_list")))
    _plain(listing)
    unpublished = Provider.objects.get(name="永州市技能培训学校")
    assert unpublished.name not in listing
    assert client.get(reverse("public_providers:provider_detail",
                              args=[unpublished.pk])).status_code == 404
    sunshine = Provider.objects.get(credit_code__startswith="91430102")
    staff = User.objects.get(username="demo_provider")
    main = _main(client.get(reverse("public_providers:provider_detail", args=[sunshine.pk])))
    _plain(main)
    assert sunshine.public_phone in main and sunshine.address in main
    assert "Step-free entrance or ramps" in main
    for private in (sunshine.contact_name, sunshine.contact_phone, sunshine.credit_code,
                    staff.username, staff.full_name, sunshine.licence_number):
        assert private not in main


def test_applications_in_progress_are_not_public(demo: None) -> None:
    applied = TrainingBase.objects.get(status=BaseStatus.APPLIED)
    withdrawn = TrainingBase.objects.get(status=BaseStatus.WITHDRAWN)
    client = Client()
    for base in (applied, withdrawn):
        assert client.get(reverse("public_providers:base_detail",
                                  args=[base.pk])).status_code == 404


def test_review_results_are_published_with_their_dates(demo: None) -> None:
    main = _main(Client().get(reverse("public_providers:results")))
    _plain(main)
    assert "2024-03-01" in main and "Accredited" in main
    assert "2025-03-15" in main and "Level raised after evaluation" in main
    assert "Withdrawn after evaluation" in main
    # Internal steps and comments stay internal.
    assert "Returned by the city" not in main and "请补充" not in main
    assert "Application submitted" not in main


def test_public_pages_need_no_sign_in_and_few_queries(
    demo: None, django_assert_max_num_queries,
) -> None:
    client = Client()
    for name in ("provider_list", "base_list", "results", "coverage"):
        with django_assert_max_num_queries(8):
            response = client.get(reverse(f"public_providers:{name}"))
        assert response.status_code == 200, name
    coverage = _main(client.get(reverse("public_providers:coverage")))
    assert "邵阳市、张家界市、益阳市、永州市" in coverage
