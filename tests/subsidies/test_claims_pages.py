"""Claim pages: scoped list and detail, the steps as forms, a double-submitted preparation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from skillplan.core.masking import mask_name
from skillplan.subsidies.choices import ClaimKind, ClaimStatus
from skillplan.subsidies.models import Claim
from tests.subsidies.claims_support import claim_in, finished_class
from tests.training.factories import user

pytestmark = pytest.mark.django_db


def _detail(claim: Claim) -> str:
    return reverse("subsidies:claim_detail", args=[claim.pk])


def test_list_is_scoped_and_filtered(client_for):
    claim = claim_in(ClaimStatus.SUBMITTED, trainees=1)
    url = reverse("subsidies:claims")
    for username in ("demo_provider", "demo_county_furong", "demo_city_changsha",
                     "demo_province"):
        page = client_for(username).get(url)
        assert page.status_code == 200 and claim.number in page.content.decode(), username
    for username in ("demo_city_xiangxi", "demo_county_jishou", "demo_provider_xiangxi"):
        page = client_for(username).get(url)
        assert page.status_code == 200 and claim.number not in page.content.decode()
    for username in ("demo_trainee", "demo_evaluator", "demo_auditor", "demo_partner"):
        assert client_for(username).get(url).status_code == 403
    filtered = client_for("demo_province").get(url, {"status": "approved"})
    assert claim.number not in filtered.content.decode()
    by_code = client_for("demo_province").get(url, {"class_code": claim.training_class.code})
    assert claim.number in by_code.content.decode()


def test_detail_shows_lines_masked_and_who_did_what(client_for):
    claim = claim_in(ClaimStatus.APPROVED, trainees=1)
    line = claim.lines.select_related("entitlement__enrolment__person").first()
    name = line.entitlement.enrolment.person.name
    page = client_for("demo_county_furong").get(_detail(claim))
    html = page.content.decode()
    assert page.status_code == 200
    assert mask_name(name) in html and name not in html
    assert line.explanation in html
    for username in ("demo_provider", "demo_city_changsha", "demo_province"):
        assert user(username).display_name in html


def test_detail_outside_scope_is_404(client_for):
    claim = claim_in(ClaimStatus.SUBMITTED, trainees=1)
    for username in ("demo_city_xiangxi", "demo_county_jishou", "demo_provider_xiangxi"):
        assert client_for(username).get(_detail(claim)).status_code == 404
        response = client_for(username).post(reverse("subsidies:claim_review",
                                                     args=[claim.pk]), {"decision": "approve"})
        assert response.status_code in (403, 404)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_double_submitted_preparation_creates_one_claim(client_for):
    training_class = finished_class(trainees=1)
    client = client_for("demo_provider")
    url = reverse("subsidies:claim_prepare", args=[training_class.pk])
    first = client.post(url, {"request_key": "form-key-1"})
    second = client.post(url, {"request_key": "form-key-1"})
    claim = Claim.objects.get(training_class=training_class)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == _detail(claim)
    assert client_for("demo_city_changsha").post(url, {"request_key": "k"}).status_code == 403


def test_the_path_through_the_pages(client_for):
    training_class = finished_class(trainees=1)
    provider = client_for("demo_provider")
    provider.post(reverse("subsidies:claim_prepare", args=[training_class.pk]),
                  {"request_key": "path-key"})
    claim = Claim.objects.get(training_class=training_class)
    provider.post(reverse("subsidies:claim_submit", args=[claim.pk]), {"submit-comment": ""})
    county = client_for("demo_county_furong")
    review = reverse("subsidies:claim_review", args=[claim.pk])
    county.post(review, {"decision": "return", "comment": ""})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED  # a return needs a comment
    county.post(review, {"decision": "return", "comment": "请补充签到表"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RETURNED
    assert "请补充签到表" in provider.get(_detail(claim)).content.decode()
    provider.post(reverse("subsidies:claim_submit", args=[claim.pk]), {})
    county.post(review, {"decision": "approve"})
    approve = reverse("subsidies:claim_approve", args=[claim.pk])
    assert client_for("demo_city_changsha").post(approve, {}).status_code == 403
    client_for("demo_province").post(approve, {"decision": "approve"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    pay = reverse("subsidies:claim_pay", args=[claim.pk])
    province = client_for("demo_province")
    assert province.get(pay).status_code == 200
    share = (claim.total * Decimal("0.6")).quantize(Decimal("0.01"))
    over = province.post(pay, {"pay-paid_on": timezone.localdate().isoformat(),
                               "pay-voucher_number": "P-1", "pay-amount": str(share + 1)})
    assert over.status_code == 200 and not claim.payments.exists()
    done = province.post(pay, {"pay-paid_on": timezone.localdate().isoformat(),
                               "pay-voucher_number": "P-1", "pay-amount": str(share)})
    assert done.status_code == 302 and claim.payments.count() == 1
    adjust = reverse("subsidies:claim_adjust", args=[claim.pk])
    form = provider.get(adjust)
    assert form.status_code == 200
    line = claim.lines.first()
    made = provider.post(adjust, {"request_key": "adj-key", "line": str(line.pk),
                                  "amount": "-50", "explanation": "少计半天",
                                  "reason": "考勤复核"})
    adjustment = Claim.objects.get(adjusts=claim)
    assert made.status_code == 302 and adjustment.kind == ClaimKind.ADJUSTMENT
    assert adjustment.number in provider.get(_detail(claim)).content.decode()


def test_the_entitlements_page_offers_the_claim_with_a_fresh_key(client_for):
    training_class = finished_class(trainees=1)
    url = reverse("subsidies:class_entitlements", args=[training_class.pk])
    prepare = reverse("subsidies:claim_prepare", args=[training_class.pk])
    html = client_for("demo_provider").get(url).content.decode()
    assert prepare in html and 'name="request_key"' in html
    assert prepare not in client_for("demo_city_changsha").get(url).content.decode()
    client_for("demo_provider").post(prepare, {"request_key": "from-page"})
    claim = Claim.objects.get(training_class=training_class)
    assert claim.number in client_for("demo_city_changsha").get(url).content.decode()


def test_the_list_costs_the_same_for_more_claims(client_for, django_assert_max_num_queries):
    client = client_for("demo_province")
    url = reverse("subsidies:claims")
    claim_in(ClaimStatus.DRAFT, trainees=1)
    client.get(url)  # warm caches (session, permissions)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _number in range(3):
        claim_in(ClaimStatus.DRAFT, trainees=1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200
    assert Claim.objects.count() >= 4


def test_adjusting_a_claim_not_approved_sends_back_to_the_claim(client_for):
    claim = claim_in(ClaimStatus.SUBMITTED, trainees=1)
    response = client_for("demo_provider").get(reverse("subsidies:claim_adjust",
                                                       args=[claim.pk]))
    assert response.status_code == 302 and response["Location"] == _detail(claim)
    assert client_for("demo_city_changsha").get(
        reverse("subsidies:claim_adjust", args=[claim.pk])).status_code == 403
