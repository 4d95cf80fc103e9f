"""Wrong roles and people outside the area are refused (403 or 404) and nothing changes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.audit.models import AuditEvent
from skillplan.providers.models import BaseStatus, Provider, TrainingBase
from tests.providers.conftest import VALID_FROM, VALID_UNTIL

pytestmark = pytest.mark.django_db


def _snapshot(base: TrainingBase) -> tuple[object, ...]:
    fresh = TrainingBase.objects.get(pk=base.pk)
    return (fresh.status, fresh.level, fresh.version, fresh.steps.count(),
            AuditEvent.objects.count())


@pytest.mark.parametrize(("username", "expected"), [
    ("demo_city_xiangxi", 404),  # another city: the base is not in its area
    ("demo_county_furong", 403),  # the right area, but counties do not review
    ("demo_province", 403),  # the province accredits; the city reviews
    ("demo_provider", 403),  # the applicant
    ("demo_provider_xiangxi", 403),
    ("demo_partner", 403),
])
def test_only_the_bases_city_reviews_its_application(
    base_to: Callable[[str], TrainingBase], client_for: Callable[[str], Client],
    username: str, expected: int,
) -> None:
    base = base_to("applied")
    before = _snapshot(base)
    response = client_for(username).post(
        reverse("providers:base_review", args=[base.pk]),
        {"decision": "approve", "comment": "x", "version": base.version})
    assert response.status_code == expected
    assert _snapshot(base) == before


@pytest.mark.parametrize(("username", "expected"), [
    ("demo_city_changsha", 403), ("demo_city_xiangxi", 403), ("demo_county_furong", 403),
    ("demo_provider", 403), ("demo_evaluator", 403),
])
def test_only_the_province_accredits(
    base_to: Callable[[str], TrainingBase], client_for: Callable[[str], Client],
    username: str, expected: int,
) -> None:
    base = base_to("city_reviewed")
    before = _snapshot(base)
    response = client_for(username).post(
        reverse("providers:base_accredit", args=[base.pk]),
        {"decision": "accredit", "level": "city", "valid_from": VALID_FROM.isoformat(),
         "valid_until": VALID_UNTIL.isoformat(), "version": base.version})
    assert response.status_code == expected
    assert _snapshot(base) == before


def test_city_clerk_cannot_decide_an_evaluation(
    base_to: Callable[[str], TrainingBase], client_for: Callable[[str], Client],
) -> None:
    base = base_to("accredited")
    city = client_for("demo_city_changsha")
    city.post(reverse("providers:base_evaluate", args=[base.pk]), {
        "year": "2025", "value_trainees_trained": "100", "value_completion_rate": "90",
        "value_certificate_rate": "80", "value_satisfaction": "90",
        "value_third_party_rating": "80", "value_complaints": "0",
        "value_employment_rate": "50", "version": base.version})
    evaluation = base.evaluations.get()
    before = _snapshot(base)
    response = city.post(reverse("providers:evaluation_decide", args=[evaluation.pk]),
                         {"outcome": "raise", "reason": "x", "version": evaluation.version})
    assert response.status_code == 403
    assert _snapshot(base) == before
    evaluation.refresh_from_db()
    assert evaluation.status == "scored"


def test_another_city_cannot_score_or_see_the_base(
    base_to: Callable[[str], TrainingBase], client_for: Callable[[str], Client],
) -> None:
    base = base_to("accredited")
    before = _snapshot(base)
    xiangxi = client_for("demo_city_xiangxi")
    assert xiangxi.get(reverse("providers:base_detail", args=[base.pk])).status_code == 404
    response = xiangxi.post(reverse("providers:base_evaluate", args=[base.pk]),
                            {"year": "2025", "version": base.version})
    assert response.status_code == 404
    assert _snapshot(base) == before


def test_provider_staff_cannot_submit_another_providers_application(
    base_to: Callable[[str], TrainingBase], client_for: Callable[[str], Client],
) -> None:
    base = base_to("draft")
    before = _snapshot(base)
    response = client_for("demo_provider_xiangxi").post(
        reverse("providers:base_submit", args=[base.pk]), {"version": base.version})
    assert response.status_code == 404
    assert _snapshot(base) == before
    assert TrainingBase.objects.get(pk=base.pk).status == BaseStatus.DRAFT


def test_county_clerk_cannot_change_a_provider_of_another_county(
    make_provider: Callable[..., Provider], client_for: Callable[[str], Client],
) -> None:
    provider = make_provider("433101")  # 吉首市
    before = (provider.name, provider.version, AuditEvent.objects.count())
    furong = client_for("demo_county_furong")
    assert furong.get(reverse("providers:detail", args=[provider.pk])).status_code == 404
    response = furong.post(reverse("providers:edit", args=[provider.pk]),
                           {"name": "改名", "version": provider.version})
    assert response.status_code == 404
    provider.refresh_from_db()
    assert (provider.name, provider.version, AuditEvent.objects.count()) == before


def test_provider_staff_see_only_their_own_provider(
    make_provider: Callable[..., Provider], client_for: Callable[[str], Client],
    sunshine: Provider,
) -> None:
    neighbour = make_provider("430102")
    page = client_for("demo_provider").get(reverse("providers:list"))
    text = page.content.decode()
    assert sunshine.name in text and neighbour.name not in text
    assert client_for("demo_provider").get(
        reverse("providers:detail", args=[neighbour.pk])).status_code == 404


@pytest.mark.parametrize("username", ["demo_provider", "demo_partner", "demo_trainee"])
def test_coverage_is_for_federation_staff(
    client_for: Callable[[str], Client], username: str,
) -> None:
    assert client_for(username).get(reverse("providers:coverage")).status_code == 403


def test_provider_staff_cannot_register_or_import_providers(
    client_for: Callable[[str], Client],
) -> None:
    staff = client_for("demo_provider")
    count = Provider.objects.count()
    assert staff.get(reverse("providers:create")).status_code == 403
    assert staff.get(reverse("providers:import_upload")).status_code == 403
    assert staff.post(reverse("providers:create"), {"name": "x"}).status_code == 403
    assert Provider.objects.count() == count
