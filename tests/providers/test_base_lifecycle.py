"""A training base from application to withdrawal, each step by its owner, on the web pages,
with its history row and audit event; the maker-checker rule on accreditation and evaluation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.accounts.models import User
from skillplan.audit.models import AuditEvent
from skillplan.core.errors import RuleError
from skillplan.providers import services
from skillplan.providers.models import (
    BaseEvaluation,
    BaseLevel,
    BaseStatus,
    EvaluationOutcome,
    Provider,
    StepAction,
    TrainingBase,
)
from tests.providers.conftest import APPLICATION, GOOD, POOR, VALID_FROM, VALID_UNTIL

pytestmark = pytest.mark.django_db


def _form_version(base: TrainingBase) -> str:
    return str(TrainingBase.objects.get(pk=base.pk).version)


def _events(base: TrainingBase) -> list[str]:
    return list(AuditEvent.objects.filter(target_type="providers.trainingbase",
                                          target_id=str(base.pk)).order_by("seq")
                .values_list("event", flat=True))


def _scores(values: dict[str, str]) -> dict[str, str]:
    return {f"value_{code}": value for code, value in values.items()}


def test_base_goes_from_application_to_withdrawal_with_every_step_recorded(
    client_for: Callable[[str], Client], sunshine: Provider, checker: User,
) -> None:
    provider_staff = client_for("demo_provider")
    response = provider_staff.post(reverse("providers:base_apply"), APPLICATION)
    base = TrainingBase.objects.get(provider=sunshine)
    assert response.status_code == 302 and base.status == BaseStatus.DRAFT

    provider_staff.post(reverse("providers:base_submit", args=[base.pk]),
                        {"version": _form_version(base)})
    base.refresh_from_db()
    assert base.status == BaseStatus.APPLIED and base.applied_by.username == "demo_provider"

    # The city returns it once, the provider resubmits, the city recommends it.
    city = client_for("demo_city_changsha")
    city.post(reverse("providers:base_review", args=[base.pk]),
              {"decision": "return", "comment": "请补充无障碍设施照片",
               "version": _form_version(base)})
    base.refresh_from_db()
    assert base.status == BaseStatus.RETURNED and "无障碍" in base.last_comment
    page = provider_staff.get(reverse("providers:base_edit", args=[base.pk]))
    assert "请补充无障碍设施照片" in page.content.decode()
    provider_staff.post(reverse("providers:base_submit", args=[base.pk]),
                        {"version": _form_version(base)})
    city.post(reverse("providers:base_review", args=[base.pk]),
              {"decision": "approve", "comment": "同意推荐", "version": _form_version(base)})
    base.refresh_from_db()
    assert base.status == BaseStatus.CITY_REVIEWED

    client_for("demo_province").post(reverse("providers:base_accredit", args=[base.pk]), {
        "decision": "accredit", "level": BaseLevel.PROVINCIAL,
        "valid_from": VALID_FROM.isoformat(), "valid_until": VALID_UNTIL.isoformat(),
        "comment": "符合条件", "version": _form_version(base)})
    base.refresh_from_db()
    assert (base.status, base.level) == (BaseStatus.ACCREDITED, BaseLevel.PROVINCIAL)
    assert base.accredited_by.username == "demo_province"

    # Evaluation 1: the city scores it poorly; the province (another person) lowers the level.
    city.post(reverse("providers:base_evaluate", args=[base.pk]),
              {"year": "2025", **_scores(POOR), "version": _form_version(base)})
    evaluation = BaseEvaluation.objects.get(base=base, year=2025)
    assert evaluation.proposed_outcome == EvaluationOutcome.WITHDRAW
    client_for("demo_province").post(
        reverse("providers:evaluation_decide", args=[evaluation.pk]),
        {"outcome": "lower", "reason": "成绩较差，先降级观察", "version": evaluation.version})
    base.refresh_from_db()
    evaluation.refresh_from_db()
    assert (base.status, base.level) == (BaseStatus.ACCREDITED, BaseLevel.CITY)
    assert evaluation.outcome == "lower" and evaluation.decided_by.username == "demo_province"

    # Evaluation 2: scored by one province clerk, withdrawn by the other.
    services.evaluation_record(actor=checker, base=base, year=2026,
                               values={k: v for k, v in POOR.items()},
                               expected_version=base.version)
    second = BaseEvaluation.objects.get(base=base, year=2026)
    client_for("demo_province").post(
        reverse("providers:evaluation_decide", args=[second.pk]),
        {"outcome": "withdraw", "reason": "连续两年不合格，退出", "version": second.version})
    base.refresh_from_db()
    assert base.status == BaseStatus.WITHDRAWN

    steps = list(base.steps.values_list("action", "to_status"))
    assert steps == [
        (StepAction.SAVED, BaseStatus.DRAFT), (StepAction.SUBMITTED, BaseStatus.APPLIED),
        (StepAction.CITY_RETURNED, BaseStatus.RETURNED),
        (StepAction.SUBMITTED, BaseStatus.APPLIED),
        (StepAction.CITY_APPROVED, BaseStatus.CITY_REVIEWED),
        (StepAction.ACCREDITED, BaseStatus.ACCREDITED),
        (StepAction.EVALUATION_RECORDED, BaseStatus.ACCREDITED),
        (StepAction.LOWERED, BaseStatus.ACCREDITED),
        (StepAction.EVALUATION_RECORDED, BaseStatus.ACCREDITED),
        (StepAction.WITHDRAWN, BaseStatus.WITHDRAWN),
    ]
    assert _events(base) == [
        "base.created", "base.submitted", "base.city_returned", "base.submitted",
        "base.city_approved", "base.accredited", "base.evaluation_recorded",
        "base.evaluation_decided", "base.evaluation_recorded", "base.evaluation_decided",
    ]
    page = client_for("demo_province").get(reverse("providers:base_detail", args=[base.pk]))
    text = page.content.decode()
    assert "连续两年不合格，退出" in text and "Withdrawn after evaluation" in text


def test_province_clerk_who_reviewed_the_base_may_not_accredit_it(
    base_to: Callable[[str], TrainingBase], persona: Callable[[str], User], checker: User,
) -> None:
    base = base_to("city_reviewed")
    TrainingBase.objects.filter(pk=base.pk).update(city_reviewed_by=checker)  # moved on to
    base.refresh_from_db()  # the province since reviewing it in the city
    with pytest.raises(RuleError) as refused:
        services.base_accredit(actor=checker, base=base, accredit=True, comment="",
                               level=BaseLevel.CITY, valid_from=None, valid_until=None,
                               expected_version=base.version)
    assert refused.value.code == "maker_checker"
    base.refresh_from_db()
    assert base.status == BaseStatus.CITY_REVIEWED and not base.accredited_by_id
    accredited = services.base_accredit(
        actor=persona("demo_province"), base=base, accredit=True, comment="",
        level=BaseLevel.CITY, valid_from=VALID_FROM, valid_until=VALID_UNTIL,
        expected_version=base.version)
    assert accredited.status == BaseStatus.ACCREDITED


def test_the_clerk_who_scored_an_evaluation_cannot_decide_it(
    base_to: Callable[[str], TrainingBase], client_for: Callable[[str], Client],
    persona: Callable[[str], User], checker: User,
) -> None:
    base = base_to("accredited")
    province = persona("demo_province")
    evaluation = services.evaluation_record(actor=province, base=base, year=2025, values=GOOD,
                                            expected_version=base.version)
    assert evaluation.proposed_outcome == EvaluationOutcome.RAISE
    response = client_for("demo_province").post(
        reverse("providers:evaluation_decide", args=[evaluation.pk]),
        {"outcome": "raise", "reason": "优秀", "version": evaluation.version})
    assert response.status_code == 200
    assert "another person must decide" in response.content.decode()
    evaluation.refresh_from_db()
    base.refresh_from_db()
    assert evaluation.status == "scored" and base.level == BaseLevel.CITY

    services.evaluation_decide(actor=checker, evaluation=evaluation, outcome="raise",
                               reason="优秀", expected_version=evaluation.version)
    base.refresh_from_db()
    assert base.level == BaseLevel.PROVINCIAL
    assert base.steps.last().action == StepAction.RAISED


def test_city_must_say_why_it_returns_an_application(
    base_to: Callable[[str], TrainingBase], client_for: Callable[[str], Client],
) -> None:
    base = base_to("applied")
    response = client_for("demo_city_changsha").post(
        reverse("providers:base_review", args=[base.pk]),
        {"decision": "return", "comment": "", "version": base.version})
    assert "Say what the provider must change" in response.content.decode()
    base.refresh_from_db()
    assert base.status == BaseStatus.APPLIED


def test_a_stale_page_does_not_overwrite_a_newer_decision(
    base_to: Callable[[str], TrainingBase], client_for: Callable[[str], Client],
) -> None:
    base = base_to("applied")
    seen = base.version
    city = client_for("demo_city_changsha")
    city.post(reverse("providers:base_review", args=[base.pk]),
              {"decision": "approve", "comment": "", "version": seen})
    response = city.post(reverse("providers:base_review", args=[base.pk]),
                         {"decision": "return", "comment": "重复", "version": seen})
    assert "Someone else changed this record" in response.content.decode()
    base.refresh_from_db()
    assert base.status == BaseStatus.CITY_REVIEWED


def test_proposed_outcome_follows_the_configured_thresholds(settings: Any) -> None:
    from decimal import Decimal

    settings.SKILLPLAN_BASE_EVALUATION_THRESHOLDS = {"raise": 95, "keep": 70, "lower": 50}
    assert services.proposed_outcome(Decimal("94"), BaseLevel.CITY) == "keep"
    assert services.proposed_outcome(Decimal("96"), BaseLevel.CITY) == "raise"
    assert services.proposed_outcome(Decimal("96"), BaseLevel.NATIONAL) == "keep"
    assert services.proposed_outcome(Decimal("60"), BaseLevel.PROVINCIAL) == "lower"
    assert services.proposed_outcome(Decimal("60"), BaseLevel.CITY) == "withdraw"
    assert services.proposed_outcome(Decimal("49.99"), BaseLevel.NATIONAL) == "withdraw"


def test_weighted_total_counts_complaints_against_the_base(
    base_to: Callable[[str], TrainingBase], persona: Callable[[str], User],
) -> None:
    base = base_to("accredited")
    perfect = {**GOOD, "third_party_rating": "100"}
    clean = services.evaluation_record(actor=persona("demo_province"), base=base, year=2024,
                                       values=perfect, expected_version=base.version)
    complained = services.evaluation_record(
        actor=persona("demo_province"), base=base, year=2025,
        values={**perfect, "complaints": "5"}, expected_version=base.version)
    assert clean.total == 100
    assert complained.total == 95  # complaints weigh 5 of 100; 5 complaints earn no points
    assert complained.scores.get(indicator__code="complaints").points == 0
