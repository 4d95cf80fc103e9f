"""Standards: validation, who may set them, periods that never overlap, the one in force."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from skillplan.audit.models import AuditEvent
from skillplan.catalog.choices import TrainingType
from skillplan.core.errors import RuleError
from skillplan.subsidies.choices import RateBasis, SubsidyItem
from skillplan.subsidies.models import SubsidyStandard
from skillplan.subsidies.services.entitlements import competition_cost_check
from skillplan.subsidies.services.standards import (
    standard_close,
    standard_in_force,
    standard_supersede,
)
from tests.subsidies.computation_support import standard
from tests.training.factories import user

pytestmark = pytest.mark.django_db
D = Decimal


def refused(code: str, **kwargs: object) -> None:
    before = SubsidyStandard.objects.count()
    with pytest.raises(RuleError) as caught:
        standard(**kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert SubsidyStandard.objects.count() == before


def test_a_standard_is_created_with_an_audit_row() -> None:
    created = standard(actor=user("demo_province"), max_days=36, is_example=True)
    assert (created.region_code, created.rate, created.share_province) == ("43", D("100.00"),
                                                                           D("60.00"))
    event = AuditEvent.objects.get(event="standard.created", target_id=str(created.pk))
    assert event.after["rate"] == "100.00" and event.actor_username == "demo_province"


def test_shares_must_add_up_to_100() -> None:
    refused("shares_sum", shares=("60", "30", "0"))
    refused("shares_sum", shares=("0", "0", "0"))
    refused("shares_sum", shares=("120", "-20", "0"))


def test_rate_must_be_positive() -> None:
    refused("rate_positive", rate="0")


@pytest.mark.parametrize(("item", "basis"), [
    (SubsidyItem.LIVING, RateBasis.PER_PERSON),
    (SubsidyItem.TRAINING_FEE, RateBasis.PER_CERTIFICATE),
    (SubsidyItem.APPRAISAL, RateBasis.PER_PERSON_DAY),
    (SubsidyItem.COMPETITION, RateBasis.PER_DAY_ATTENDED),
])
def test_each_item_is_paid_only_in_its_own_ways(item: str, basis: str) -> None:
    extra = {"cost_kinds": "coaching"} if item == SubsidyItem.COMPETITION else {}
    refused("basis_not_allowed", item=item, basis=basis, **extra)


def test_region_is_the_province_or_a_city_never_a_county() -> None:
    refused("region_level", region="430102")


def test_periods_of_the_same_item_type_and_region_never_overlap() -> None:
    standard(effective_to=date(2024, 12, 31))
    refused("period_overlap", effective_from=date(2024, 6, 1))
    standard(effective_from=date(2025, 1, 1))  # the next day: fine
    standard(training_type=TrainingType.RURAL)  # another type: fine
    standard(region="4301", actor=user("demo_city_changsha"))  # a city override: fine


def test_a_city_sets_only_its_own_override() -> None:
    with pytest.raises(PermissionDenied):
        standard(actor=user("demo_city_changsha"))  # the province default
    with pytest.raises(PermissionDenied):
        standard(region="4331", actor=user("demo_city_changsha"))
    for username in ("demo_county_furong", "demo_provider"):
        with pytest.raises(PermissionDenied):
            standard(region="4301", actor=user(username))
    assert not SubsidyStandard.objects.exists()
    assert standard(region="4331", actor=user("demo_province")).region_code == "4331"


def test_competition_standard_never_pays_prizes_travel_board_or_sundries() -> None:
    for kind in ("prize", "travel", "board", "sundries", "banquet"):
        refused("competition_excluded", item=SubsidyItem.COMPETITION,
                basis=RateBasis.PER_PERSON, cost_kinds=f"coaching,{kind}")
        with pytest.raises(RuleError) as caught:
            competition_cost_check(kind)
        assert caught.value.code == "competition_excluded"
    refused("cost_kinds_required", item=SubsidyItem.COMPETITION, basis=RateBasis.PER_PERSON)
    refused("cost_kinds_not_allowed", cost_kinds="coaching")
    made = standard(item=SubsidyItem.COMPETITION, basis=RateBasis.PER_PERSON,
                    cost_kinds=["venue", "materials"])
    assert made.cost_kinds == "materials,venue"
    competition_cost_check("coaching")  # allowed: no error


def test_in_force_prefers_the_city_override_and_follows_the_dates() -> None:
    default = standard(effective_to=date(2024, 12, 31))
    later = standard(effective_from=date(2025, 1, 1), rate="110")
    override = standard(region="4301", effective_from=date(2025, 3, 1), rate="120")
    find = {"item": SubsidyItem.TRAINING_FEE, "training_type": TrainingType.EMPLOYMENT}
    assert standard_in_force(**find, region_code="430102", on=date(2024, 5, 1)) == default
    assert standard_in_force(**find, region_code="430102", on=date(2025, 2, 1)) == later
    assert standard_in_force(**find, region_code="430102", on=date(2025, 3, 1)) == override
    assert standard_in_force(**find, region_code="433101", on=date(2025, 3, 1)) == later
    assert standard_in_force(**find, region_code="430102", on=date(2019, 1, 1)) is None
    assert standard_in_force(item=SubsidyItem.LIVING, training_type=TrainingType.EMPLOYMENT,
                             region_code="430102", on=date(2025, 3, 1)) is None


def test_supersede_ends_the_old_one_the_day_before_and_keeps_its_figures() -> None:
    old = standard(max_days=36)
    new = standard_supersede(actor=user("demo_province"), standard=old, values={
        "basis": RateBasis.PER_PERSON_DAY, "rate": D("120"), "max_days": 30,
        "share_province": D("100"), "effective_from": date(2025, 7, 1)})
    old.refresh_from_db()
    assert old.effective_to == date(2025, 6, 30) and old.rate == D("100.00")
    assert (new.rate, new.item, new.region_code, new.effective_to) == (D("120.00"), old.item,
                                                                       "43", None)
    assert AuditEvent.objects.filter(event="standard.superseded", target_id=str(old.pk)).exists()


def test_supersede_must_start_after_the_old_one() -> None:
    old = standard()
    with pytest.raises(RuleError) as caught:
        standard_supersede(actor=None, standard=old, values={
            "basis": RateBasis.PER_PERSON_DAY, "rate": D("120"), "share_province": D("100"),
            "effective_from": old.effective_from})
    assert caught.value.code == "supersede_start"
    old.refresh_from_db()
    assert old.effective_to is None


def test_close_may_shorten_never_extend() -> None:
    old = standard(effective_to=date(2024, 12, 31))
    with pytest.raises(RuleError) as caught:
        standard_close(actor=None, standard=old, effective_to=date(2025, 6, 30))
    assert caught.value.code == "close_later"
    assert standard_close(actor=None, standard=old,
                          effective_to=date(2024, 6, 30)).effective_to == date(2024, 6, 30)
    with pytest.raises(PermissionDenied):
        standard_close(actor=user("demo_city_changsha"), standard=old,
                       effective_to=date(2024, 3, 31))
