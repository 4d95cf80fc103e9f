"""The person's page: masked identity, the reveal, the chain, the history, and scope."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings

from skillplan.audit.models import AuditEvent
from skillplan.core.disability import make_certificate_number
from skillplan.core.idnumber import make_id_number
from skillplan.people.models import Person
from skillplan.people.rules import check_person
from skillplan.people.services import person_create, person_update
from skillplan.regions.selectors import region_index

pytestmark = pytest.mark.django_db
PHONE = "13712345678"


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _values(**extra: Any) -> Any:
    number = make_id_number("430102", date(1975, 3, 4), 42)
    raw = {"name": "王秀英", "id_number": number, "region": "430102", "phone": PHONE,
           "certificate_number": make_certificate_number(number, 2, 3), **extra}
    return check_person(raw, regions=region_index(), today=date.today()).values


@pytest.fixture
def person(persona: Callable[[str], Any]) -> Person:
    return person_create(actor=persona("demo_county_furong"), values=_values())


def reveals() -> int:
    return AuditEvent.objects.filter(event="person.revealed").count()


def test_detail_shows_the_record_masked_with_the_chain_sections(
        client_for: Callable[[str], Client], person: Person) -> None:
    response = client_for("demo_county_furong").get(reverse("people:detail", args=[person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1 and "王秀英" in html
    assert person.id_number not in html and person.certificate_number not in html
    assert PHONE not in html
    assert person.masked_id_number in html and "137****5678" in html
    for title in ("Capability assessments", "Training", "Certificates", "Subsidies",
                  "Job and start-up recommendations", "Employment follow-ups"):
        assert f">{title}</h3>" in html
    assert "not yet recorded on this platform" in html
    assert "Change history" in html and "Person registered" in html


def test_history_shows_changes_with_numbers_masked(client_for: Callable[[str], Client],
                                                   persona: Callable[[str], Any],
                                                   person: Person) -> None:
    person_update(actor=persona("demo_county_furong"), person=person,
                  values=_values(phone="13698765432"), expected_version=1)
    html = client_for("demo_county_furong").get(
        reverse("people:detail", args=[person.pk])).content.decode()
    assert "Person details changed" in html and "Phone" in html
    assert "137****5678" in html and "136****5432" in html
    assert "13698765432" not in html and PHONE not in html


def test_reveal_needs_a_reason_and_is_audited_once(client_for: Callable[[str], Client],
                                                   person: Person) -> None:
    client = client_for("demo_county_furong")
    url = reverse("people:reveal", args=[person.pk])
    response = client.post(url, {"reveal-reason": ""})
    html = response.content.decode()
    assert response.status_code == 200 and person.id_number not in html
    assert "reason" in response.context["reveal_form"].errors
    assert reveals() == 0

    response = client.post(url, {"reveal-reason": "核对证件 at the counter"})
    html = response.content.decode()
    assert person.id_number in html and person.certificate_number in html and PHONE in html
    assert "no-store" in response["Cache-Control"]
    assert reveals() == 1
    event = AuditEvent.objects.get(event="person.revealed")
    assert event.after["reason"] == "核对证件 at the counter"
    assert event.actor.username == "demo_county_furong"
    # The numbers are in that one response only: the page itself stays masked.
    html = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert person.id_number not in html and reveals() == 1


def test_reveal_through_htmx_returns_the_identity_section_only(
        client_for: Callable[[str], Client], person: Person) -> None:
    response = client_for("demo_county_furong").post(
        reverse("people:reveal", args=[person.pk]), {"reveal-reason": "电话回访"},
        HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="identity"')
    assert "<h1" not in html and person.id_number in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert reveals() == 1


def test_the_detail_page_offers_the_reveal_form_to_staff_only(
        client_for: Callable[[str], Client], persona: Callable[[str], Any],
        person: Person) -> None:
    html = client_for("demo_county_furong").get(
        reverse("people:detail", args=[person.pk])).content.decode()
    assert f'hx-post="{reverse("people:reveal", args=[person.pk])}"' in html
    assert 'hx-target="#identity"' in html
    Person.objects.filter(pk=person.pk).update(user=persona("demo_trainee"))
    trainee = client_for("demo_trainee")
    html = trainee.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "王秀英" in html and person.id_number not in html
    assert reverse("people:reveal", args=[person.pk]) not in html and "hx-post" not in html
    assert "Change history" not in html
    assert trainee.post(reverse("people:reveal", args=[person.pk]),
                        {"reveal-reason": "mine"}).status_code == 403
    assert reveals() == 0


@pytest.mark.parametrize("username", ["demo_county_jishou", "demo_city_xiangxi"])
def test_clerk_of_another_area_cannot_open_or_reveal(client_for: Callable[[str], Client],
                                                     person: Person, username: str) -> None:
    client = client_for(username)
    events = AuditEvent.objects.count()
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 404
    response = client.post(reverse("people:reveal", args=[person.pk]),
                           {"reveal-reason": "curious"})
    assert response.status_code == 404
    assert person.id_number not in response.content.decode()
    assert AuditEvent.objects.count() == events


def test_unknown_person_is_a_404(client_for: Callable[[str], Client]) -> None:
    assert client_for("demo_province").get(
        reverse("people:detail", args=[987654])).status_code == 404
