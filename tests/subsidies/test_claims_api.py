"""API of standards, claims and payments: scope, 404 outside scope, the claim detail, and the
idempotent preparation by Idempotency-Key."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skillplan.accounts.tokens import token_create
from skillplan.core.masking import mask_name
from skillplan.subsidies.choices import ClaimStatus
from skillplan.subsidies.models import Claim
from skillplan.subsidies.services.payments import claim_dues, payment_record
from tests.subsidies.claims_support import claim_in, finished_class
from tests.training.factories import user

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, username: str) -> None:
        self.client = Client()
        self.auth = f"Bearer {token_create(user=user(username), name='tests')}"

    def get(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, data or {}, HTTP_AUTHORIZATION=self.auth)

    def post(self, path: str, **headers: str) -> Any:
        return self.client.post(path, "{}", content_type="application/json",
                                HTTP_AUTHORIZATION=self.auth, **headers)


def _url(name: str, *args: Any) -> str:
    return reverse(f"api-1.0.0:{name}", args=args)


def _numbers(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["number"] for item in response.json()["items"]}


def test_claims_list_is_scoped():
    claim = claim_in(ClaimStatus.SUBMITTED, trainees=1)
    for username in ("demo_provider", "demo_county_furong", "demo_city_changsha",
                     "demo_province"):
        assert claim.number in _numbers(Api(username).get(_url("subsidies_claims")))
    for username in ("demo_city_xiangxi", "demo_provider_xiangxi"):
        assert claim.number not in _numbers(Api(username).get(_url("subsidies_claims")))
    for username in ("demo_evaluator", "demo_auditor", "demo_partner"):
        assert Api(username).get(_url("subsidies_claims")).status_code == 403
    filtered = Api("demo_province").get(_url("subsidies_claims"), {"status": "paid"})
    assert claim.number not in _numbers(filtered)


def test_claim_detail_with_masked_lines_and_404_outside_scope():
    claim = claim_in(ClaimStatus.APPROVED, trainees=1)
    body = Api("demo_city_changsha").get(_url("subsidies_claim", claim.pk)).json()
    line = claim.lines.select_related("entitlement__enrolment__person").first()
    assert body["number"] == claim.number and body["status"] == "approved"
    assert body["lines"][0]["trainee"] == mask_name(line.entitlement.enrolment.person.name)
    assert body["approved_by"] == user("demo_province").display_name
    assert [step["action"] for step in body["steps"]] == ["created", "submitted", "reviewed",
                                                         "approved"]
    assert Api("demo_city_xiangxi").get(_url("subsidies_claim", claim.pk)).status_code == 404
    assert Api("demo_province").get(_url("subsidies_claim", 10**8)).status_code == 404


def test_payments_list_is_scoped():
    claim = claim_in(ClaimStatus.APPROVED, trainees=1)
    owed = next(due.owed for due in claim_dues(claim) if due.level == "province")
    payment_record(actor=user("demo_province"), claim=claim, paid_on=timezone.localdate(),
                   voucher_number="API-1", amount=owed)
    mine = Api("demo_provider").get(_url("subsidies_payments")).json()["items"]
    assert [item["voucher_number"] for item in mine if item["claim_id"] == claim.pk] == ["API-1"]
    other = Api("demo_city_xiangxi").get(_url("subsidies_payments")).json()["items"]
    assert all(item["claim_id"] != claim.pk for item in other)


def test_standards_list():
    claim_in(ClaimStatus.DRAFT, trainees=1)  # makes the standard
    items = Api("demo_provider").get(_url("subsidies_standards"), {"when": "all"}).json()
    assert any(item["item"] == "training_fee" for item in items["items"])
    assert Api("demo_evaluator").get(_url("subsidies_standards")).status_code == 403


def test_prepare_by_api_is_idempotent_by_key():
    training_class = finished_class(trainees=1)
    api = Api("demo_provider")
    url = _url("subsidies_claim_prepare", training_class.pk)
    assert api.post(url).status_code == 422
    first = api.post(url, HTTP_IDEMPOTENCY_KEY="retry-1")
    again = api.post(url, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert Claim.objects.filter(training_class=training_class).count() == 1
    assert api.post(url, HTTP_IDEMPOTENCY_KEY="retry-2").status_code == 409  # nothing left
    assert Api("demo_provider_xiangxi").post(
        url, HTTP_IDEMPOTENCY_KEY="x").status_code == 404
