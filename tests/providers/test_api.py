"""The public read API: no token needed, public fields only, the same things as the public
pages (published providers, accredited bases in force, coverage)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from skillplan.providers.demo import seed_providers
from skillplan.providers.models import BaseStatus, Provider, TrainingBase

pytestmark = pytest.mark.django_db
PRIVATE = ("contact_name", "contact_phone", "credit_code", "licence_number", "staff",
           "published", "version", "created_by")


@pytest.fixture
def demo() -> None:
    seed_providers()


def _get(path: str, **params: str) -> dict:  # type: ignore[type-arg]
    response = Client().get(path, params)  # no Authorization header at all
    assert response.status_code == 200, response.content
    return response.json()


def test_providers_without_a_token_give_public_fields_only(demo: None) -> None:
    body = _get("/api/v1/providers", limit="200")
    names = {item["name"] for item in body["items"]}
    assert "永州市技能培训学校" not in names  # not published, no base
    assert "湖南省残疾人职业技能培训中心" in names
    raw = json.dumps(body, ensure_ascii=False)
    for item in body["items"]:
        assert not set(PRIVATE) & set(item)
    for provider in Provider.objects.all():
        assert provider.contact_phone not in raw and provider.credit_code not in raw
    centre = next(i for i in body["items"] if i["name"] == "湖南省残疾人职业技能培训中心")
    assert centre["base_level"] == "national"
    assert {"code": "braille_signage", "label": "Braille and tactile signage"} in (
        centre["accessibility"])


def test_provider_detail_and_filters(demo: None) -> None:
    centre = Provider.objects.get(name="湖南省残疾人职业技能培训中心")
    assert _get(f"/api/v1/providers/{centre.pk}")["phone"] == centre.public_phone
    hidden = Provider.objects.get(name="永州市技能培训学校")
    assert Client().get(f"/api/v1/providers/{hidden.pk}").status_code == 404
    items = _get("/api/v1/providers", city="4301", level="national")["items"]
    assert [item["name"] for item in items] == ["湖南省残疾人职业技能培训中心"]


def test_bases_list_only_accredited_bases_in_force(demo: None) -> None:
    items = _get("/api/v1/bases", limit="200")["items"]
    expected = set(TrainingBase.objects.filter(status=BaseStatus.ACCREDITED)
                   .values_list("pk", flat=True))
    assert {item["id"] for item in items} == expected
    applied = TrainingBase.objects.get(status=BaseStatus.APPLIED)
    assert Client().get(f"/api/v1/bases/{applied.pk}").status_code == 404
    raised = TrainingBase.objects.get(provider__name="岳阳职业技术学院")
    detail = _get(f"/api/v1/bases/{raised.pk}")
    assert detail["level"] == "provincial"
    assert [r["action"] for r in detail["results"]] == ["raised", "accredited"]
    assert "comment" not in detail["results"][0]


def test_coverage_names_the_cities_without_a_base(demo: None) -> None:
    rows = _get("/api/v1/coverage")
    assert len(rows) == 14
    assert [r["city_name"] for r in rows if not r["has_base"]] == [
        "邵阳市", "张家界市", "益阳市", "永州市"]


def test_public_endpoints_ignore_any_token(demo: None) -> None:
    response = Client().get("/api/v1/bases", HTTP_AUTHORIZATION="Bearer sp_not_a_token")
    assert response.status_code == 200 and response.json()["items"]
