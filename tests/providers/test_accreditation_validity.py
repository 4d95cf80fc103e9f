"""An accreditation has a sensible validity; once it has ended the base shows as expired, is no
longer evaluated, and its provider may apply again (the old base keeps its history)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skillplan.accounts.models import User
from skillplan.core.errors import RuleError
from skillplan.providers import selectors, services
from skillplan.providers.models import (
    BaseEvaluation,
    BaseLevel,
    BaseStatus,
    StepAction,
    TrainingBase,
)
from tests.providers.conftest import APPLICATION, GOOD

pytestmark = pytest.mark.django_db


def _expire(base: TrainingBase) -> TrainingBase:
    """The validity ended yesterday."""
    today = timezone.localdate()
    TrainingBase.objects.filter(pk=base.pk).update(valid_from=today - timedelta(days=1000),
                                                    valid_until=today - timedelta(days=1))
    base.refresh_from_db()
    return base


def _accredit(base: TrainingBase, actor: User, valid_from: date, valid_until: date
              ) -> TrainingBase:
    return services.base_accredit(actor=actor, base=base, accredit=True, comment="",
                                  level=BaseLevel.CITY, valid_from=valid_from,
                                  valid_until=valid_until, expected_version=base.version)


# --- expiry ----------------------------------------------------------------------------------


def test_expired_base_shows_expired_not_accredited(
        base_to: Callable[[str], TrainingBase], client_for: Callable[[str], Client]) -> None:
    base = _expire(base_to("accredited"))

    page = client_for("demo_city_changsha").get(reverse("providers:base_detail",
                                                        args=[base.pk])).content.decode()

    assert '<span class="status-tag status-tag--danger">Expired</span>' in page
    assert ">Accredited</span>" not in page
    assert reverse("providers:base_evaluate", args=[base.pk]) not in page


def test_no_evaluation_is_recorded_on_an_expired_base(
        base_to: Callable[[str], TrainingBase], persona: Callable[[str], User]) -> None:
    base = _expire(base_to("accredited"))
    city = persona("demo_city_changsha")
    assert not base.can_record_evaluation(city)

    with pytest.raises(RuleError) as refused:
        services.evaluation_record(actor=city, base=base, year=2026, values=GOOD,
                                   expected_version=base.version)

    assert refused.value.code == "base_expired"
    assert not BaseEvaluation.objects.filter(base=base).exists()
    base.refresh_from_db()
    assert base.status == BaseStatus.ACCREDITED


def test_provider_applies_again_once_its_accreditation_has_ended(
        base_to: Callable[[str], TrainingBase], persona: Callable[[str], User],
        client_for: Callable[[str], Client]) -> None:
    old = _expire(base_to("accredited"))
    staff = persona("demo_provider")
    page = client_for("demo_provider").get(reverse("providers:detail",
                                                   args=[staff.provider_id]))
    assert reverse("providers:base_apply") in page.content.decode()

    new = services.base_application_save(actor=staff, provider=staff.provider,
                                         values=APPLICATION)

    old.refresh_from_db()
    assert new.pk != old.pk and new.status == BaseStatus.DRAFT
    assert old.status == BaseStatus.EXPIRED and old.level == BaseLevel.CITY
    assert old.steps.last().action == StepAction.EXPIRED
    assert old.steps.filter(action=StepAction.ACCREDITED).exists()  # history kept


def test_provider_with_a_base_in_force_still_cannot_apply_again(
        base_to: Callable[[str], TrainingBase], persona: Callable[[str], User]) -> None:
    base = base_to("accredited")
    staff = persona("demo_provider")
    with pytest.raises(RuleError) as refused:
        services.base_application_save(actor=staff, provider=staff.provider,
                                       values=APPLICATION)
    assert refused.value.code == "base_open_exists"
    assert list(TrainingBase.objects.filter(provider=staff.provider)) == [base]


# --- dates of the accreditation ----------------------------------------------------------


@pytest.mark.parametrize(("valid_from", "valid_until", "code"), [
    (date(1, 1, 1), date(1, 12, 31), "valid_from_range"),
    (date(9999, 1, 1), date(9999, 12, 31), "valid_from_range"),
    (None, date(9999, 12, 31), "validity"),
    ("today", date(9999, 12, 31), "validity_too_long"),
])
def test_accreditation_dates_out_of_bounds_are_refused(
        base_to: Callable[[str], TrainingBase], persona: Callable[[str], User],
        valid_from: Any, valid_until: date, code: str) -> None:
    base = base_to("city_reviewed")
    start = timezone.localdate() if valid_from == "today" else valid_from
    with pytest.raises(RuleError) as refused:
        services.base_accredit(actor=persona("demo_province"), base=base, accredit=True,
                               comment="", level=BaseLevel.CITY, valid_from=start,
                               valid_until=valid_until, expected_version=base.version)
    assert refused.value.code == code
    base.refresh_from_db()
    assert base.status == BaseStatus.CITY_REVIEWED and base.valid_from is None


def test_longest_validity_is_a_setting(
        base_to: Callable[[str], TrainingBase], persona: Callable[[str], User],
        settings: Any) -> None:
    settings.SKILLPLAN_BASE_MAX_VALIDITY_YEARS = 2
    base = base_to("city_reviewed")
    today = timezone.localdate()
    with pytest.raises(RuleError) as refused:
        _accredit(base, persona("demo_province"), today, today + timedelta(days=3 * 365))
    assert refused.value.code == "validity_too_long" and "2 years" in str(refused.value)
    accredited = _accredit(base, persona("demo_province"), today,
                           today + timedelta(days=2 * 365 - 1))
    assert accredited.status == BaseStatus.ACCREDITED


def test_accreditation_form_puts_the_date_error_on_its_field(
        base_to: Callable[[str], TrainingBase], client_for: Callable[[str], Client]) -> None:
    base = base_to("city_reviewed")
    response = client_for("demo_province").post(
        reverse("providers:base_accredit", args=[base.pk]),
        {"decision": "accredit", "level": "city", "valid_from": "0001-01-01",
         "valid_until": "9999-12-31", "version": base.version})
    assert response.status_code == 200
    assert response.context["form"].errors["valid_from"]
    base.refresh_from_db()
    assert base.status == BaseStatus.CITY_REVIEWED


def test_a_future_dated_accreditation_is_not_in_force_yet(
        base_to: Callable[[str], TrainingBase], persona: Callable[[str], User]) -> None:
    base = base_to("city_reviewed")
    today = timezone.localdate()
    _accredit(base, persona("demo_province"), today + timedelta(days=30),
              today + timedelta(days=3 * 365))

    assert not selectors.public_bases().filter(pk=base.pk).exists()
    changsha = next(row for row in selectors.coverage() if row.code == "4301")
    assert not changsha.covered
    # Once its first day has come, it is in force.
    later = selectors.in_force_q(today + timedelta(days=31))
    assert TrainingBase.objects.filter(later, pk=base.pk).exists()
