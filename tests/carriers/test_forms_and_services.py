"""Recording, changing and closing carriers through the forms, with the kind rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from skillplan.audit.labels import event_label
from skillplan.audit.models import AuditEvent
from skillplan.carriers.models import Carrier, CarrierKind, CarrierStatus
from skillplan.carriers.services import carrier_update
from skillplan.core.errors import ConcurrentUpdateError
from tests.carriers.conftest import EMPLOYER_CODE, demo_provider

pytestmark = pytest.mark.django_db


def form_data(**extra: Any) -> dict[str, Any]:
    data = {"name": "芙蓉区巧娘美丽工坊", "kind": CarrierKind.BEAUTIFUL_WORKSHOP,
            "employer_name": "长沙巧娘湘绣有限公司", "employer_credit_code": EMPLOYER_CODE.lower(),
            "region": "430102", "address": "文艺路1号", "contact_name": "刘女士",
            "contact_phone": "139 1234 5678", "recognised_by": "city",
            "recognised_on": "2024-03-08", "women_total": "30", "women_disabled": "18",
            "work_arrangement": "home", "products": "湘绣", "master_name": "不该保存"}
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def test_county_clerk_records_a_beautiful_workshop_with_an_audit_row(
        client_for: Callable[[str], Client]) -> None:
    response = client_for("demo_county_furong").post(reverse("carriers:create"), form_data())

    carrier = Carrier.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("carriers:detail", args=[carrier.pk])
    assert (carrier.region_code, carrier.women_total, carrier.women_disabled) == ("430102", 30, 18)
    assert carrier.employer_credit_code == EMPLOYER_CODE  # upper case
    assert carrier.contact_phone == "13912345678"
    assert carrier.master_name == ""  # a fact of another kind is not kept
    assert carrier.status == CarrierStatus.ACTIVE
    event = AuditEvent.objects.get(event="carrier.created", target_id=str(carrier.pk))
    assert event.actor_username == "demo_county_furong" and event.region_code == "430102"


def test_beautiful_workshop_needs_the_number_of_women(
        client_for: Callable[[str], Client]) -> None:
    response = client_for("demo_county_furong").post(
        reverse("carriers:create"), form_data(women_total="", women_disabled=""))

    assert response.status_code == 200
    assert {"women_total", "women_disabled"} <= set(response.context["form"].errors)
    assert 'href="#id_women_total"' in response.content.decode()
    assert not Carrier.objects.exists()


def test_disabled_women_cannot_outnumber_all_women(client_for: Callable[[str], Client]) -> None:
    response = client_for("demo_county_furong").post(
        reverse("carriers:create"), form_data(women_total="10", women_disabled="12"))

    errors = response.context["form"].errors
    assert set(errors) == {"women_disabled"}
    assert "cannot be more than" in errors["women_disabled"][0]
    assert not Carrier.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"employer_credit_code": "91430102MA4Q0000A0"}, "employer_credit_code"),  # checksum
        ({"employer_credit_code": "12345"}, "employer_credit_code"),
        ({"employer_credit_code": None}, "employer_credit_code"),
        ({"employer_name": None, "employer_credit_code": None}, "employer_name"),
    ],
)
def test_employer_carrier_needs_a_valid_credit_code_or_a_provider(
        client_for: Callable[[str], Client], extra: dict[str, Any], field: str) -> None:
    response = client_for("demo_county_furong").post(reverse("carriers:create"),
                                                     form_data(**extra))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Carrier.objects.exists()


def test_a_carrier_linked_to_a_provider_needs_no_employer(
        client_for: Callable[[str], Client]) -> None:
    provider = demo_provider("sunshine")
    response = client_for("demo_county_furong").post(reverse("carriers:create"), form_data(
        kind=CarrierKind.PRACTICE_BASE, employer_name=None, employer_credit_code=None,
        provider=str(provider.pk)))
    assert response.status_code == 302
    carrier = Carrier.objects.get()
    assert carrier.provider == provider and carrier.women_total is None


def test_kind_specific_facts_are_required_per_kind(client_for: Callable[[str], Client]) -> None:
    client = client_for("demo_county_furong")
    for kind, fields in [
        (CarrierKind.MASTER_STUDIO, {"master_name", "master_occupation"}),
        (CarrierKind.HERITAGE_WORKSHOP, {"heritage_item", "heritage_level"}),
        (CarrierKind.ASSISTANCE_UNIT, {"employees_placed"}),
    ]:
        response = client.post(reverse("carriers:create"), form_data(kind=kind, master_name=""))
        assert set(response.context["form"].errors) == fields, kind
    assert not Carrier.objects.exists()


def test_clerk_edits_a_carrier_and_the_change_is_in_its_history(
        client_for: Callable[[str], Client], make_carrier: Callable[..., Carrier]) -> None:
    carrier = make_carrier("芙蓉帮扶单位", CarrierKind.ASSISTANCE_UNIT, "430102",
                           employees_placed=5)
    client = client_for("demo_county_furong")
    page = client.get(reverse("carriers:edit", args=[carrier.pk]))
    data = {key: value for key, value in page.context["form"].initial.items()
            if value is not None}
    data.update(employees_placed="8", version=str(carrier.version), recognised_by="county")

    response = client.post(reverse("carriers:edit", args=[carrier.pk]), data)

    assert response.status_code == 302, response.context["form"].errors
    carrier.refresh_from_db()
    assert carrier.employees_placed == 8 and carrier.version == 2
    event = AuditEvent.objects.get(event="carrier.updated", target_id=str(carrier.pk))
    assert event.before == {"employees_placed": 5, "recognised_by": "city"}
    assert event.after == {"employees_placed": 8, "recognised_by": "county"}
    detail = client.get(reverse("carriers:detail", args=[carrier.pk])).content.decode()
    assert event_label("carrier.updated") != "carrier.updated"  # shown in words, not as a code
    assert escape(event_label("carrier.updated")) in detail


def test_stale_edit_is_refused_and_nothing_changes(
        persona: Callable[[str], Any], make_carrier: Callable[..., Carrier]) -> None:
    carrier = make_carrier("芙蓉实训基地", CarrierKind.PRACTICE_BASE, "430102")
    clerk = persona("demo_county_furong")
    carrier_update(actor=clerk, carrier=Carrier.objects.get(pk=carrier.pk),
                   values={"name": "新名字"}, expected_version=1)
    with pytest.raises(ConcurrentUpdateError):
        carrier_update(actor=clerk, carrier=Carrier.objects.get(pk=carrier.pk),
                       values={"name": "另一个名字"}, expected_version=1)
    assert Carrier.objects.get(pk=carrier.pk).name == "新名字"


def test_status_change_needs_a_reason_and_is_recorded(
        client_for: Callable[[str], Client], make_carrier: Callable[..., Carrier]) -> None:
    carrier = make_carrier("芙蓉实训基地", CarrierKind.PRACTICE_BASE, "430102")
    client = client_for("demo_county_furong")
    url = reverse("carriers:status", args=[carrier.pk])

    refused = client.post(url, {"status-status": "suspended", "status-reason": "",
                                "status-version": "1"})
    assert refused.status_code == 200
    assert "reason" in refused.context["status_form"].errors
    assert Carrier.objects.get(pk=carrier.pk).status == CarrierStatus.ACTIVE

    done = client.post(url, {"status-status": "suspended", "status-reason": "整改期间暂停",
                             "status-version": "1"})
    assert done.status_code == 302
    carrier.refresh_from_db()
    assert (carrier.status, carrier.status_reason) == (CarrierStatus.SUSPENDED, "整改期间暂停")
    event = AuditEvent.objects.get(event="carrier.status_changed", target_id=str(carrier.pk))
    assert event.before == {"status": "active"}
    assert event.after == {"status": "suspended", "reason": "整改期间暂停"}


def test_closed_carrier_cannot_be_suspended(
        client_for: Callable[[str], Client], make_carrier: Callable[..., Carrier]) -> None:
    carrier = make_carrier("芙蓉实训基地", status=CarrierStatus.CLOSED)
    response = client_for("demo_county_furong").post(
        reverse("carriers:status", args=[carrier.pk]),
        {"status-status": "suspended", "status-reason": "试试", "status-version": "1"})
    assert response.status_code == 200
    assert "status" in response.context["status_form"].errors
    assert Carrier.objects.get(pk=carrier.pk).status == CarrierStatus.CLOSED
