"""The audit trail viewer: the audit administrator only; filters, keyset pages, verify button."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import unescape
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from skillplan.accounts.models import User
from skillplan.audit.models import AuditEvent
from skillplan.audit.services import audit_record
from tests.audit.conftest import Dba

pytestmark = pytest.mark.django_db

Persona = Callable[[str], User]

LIST = reverse("audit:list")
AUDITOR = "demo_auditor"


@pytest.fixture
def auditor(client_for: Callable[[str], Client]) -> Client:
    client = client_for(AUDITOR)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def record(actor: User | None, event: str, repr_: str, **extra: Any) -> AuditEvent:
    return audit_record(actor=actor, event=event, region_code="430102",
                        target_type="test.thing", target_id=repr_, target_repr=repr_, **extra)


def test_auditor_sees_the_newest_events_with_time_actor_target_region_and_ip(
    auditor: Client, persona: Persona
) -> None:
    record(persona("demo_province"), "test.alpha", "visible-thing-1", ip_address="10.1.2.3")

    response = auditor.get(LIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert "visible-thing-1" in html and "test.alpha" in html
    assert "demo_province" in html and "10.1.2.3" in html
    assert "芙蓉区" in html and "430102" in html


def test_auditor_filters_by_actor(auditor: Client, persona: Persona) -> None:
    record(persona("demo_province"), "test.alpha", "by-province")
    record(persona("demo_sysadmin"), "test.alpha", "by-sysadmin")

    html = auditor.get(LIST, {"actor": "demo_sysadmin"}).content.decode()

    assert "by-sysadmin" in html
    assert "by-province" not in html


def test_auditor_filters_by_event_code_prefix(auditor: Client, persona: Persona) -> None:
    actor = persona("demo_province")
    record(actor, "test.alpha.created", "alpha-thing")
    record(actor, "test.beta.created", "beta-thing")

    html = auditor.get(LIST, {"event": "test.alpha"}).content.decode()

    assert "alpha-thing" in html
    assert "beta-thing" not in html


def test_auditor_filters_by_target(auditor: Client, persona: Persona) -> None:
    actor = persona("demo_province")
    record(actor, "test.alpha", "target-one")
    record(actor, "test.alpha", "target-two")

    html = auditor.get(LIST, {"target_type": "test.thing", "target_id": "target-two"}).content
    assert b"target-two" in html and b"target-one" not in html


def test_auditor_filters_by_date(auditor: Client, persona: Persona) -> None:
    actor = persona("demo_province")
    old_day = timezone.make_aware(datetime(2020, 1, 15, 10, 30))
    with mock.patch("skillplan.audit.services.timezone.now", return_value=old_day):
        record(actor, "test.alpha", "old-thing")
    record(actor, "test.alpha", "new-thing")

    on_the_day = auditor.get(LIST, {"date_from": "2020-01-15", "date_to": "2020-01-15"})
    before_it = auditor.get(LIST, {"date_to": "2020-01-14", "event": "test."})

    assert b"old-thing" in on_the_day.content and b"new-thing" not in on_the_day.content
    assert b"old-thing" not in before_it.content and b"new-thing" not in before_it.content
    assert b'type="date"' in on_the_day.content


def test_date_range_backwards_is_explained_not_ignored(auditor: Client, persona: Persona) -> None:
    record(persona("demo_province"), "test.alpha", "some-thing")

    response = auditor.get(LIST, {"date_from": "2024-05-02", "date_to": "2024-05-01"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in html
    assert "some-thing" not in html


def test_list_pages_by_sequence_without_counting_the_table(
    auditor: Client, persona: Persona
) -> None:
    actor = persona("demo_province")
    made = [record(actor, "test.page", f"page-item-{n:03d}") for n in range(60)]

    with CaptureQueriesContext(connection) as queries:
        first = auditor.get(LIST, {"event": "test.page"})
    html = first.content.decode()
    assert "page-item-059" in html and "page-item-010" in html
    assert "page-item-009" not in html
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
    older_link = f"before={made[10].seq}"
    assert older_link in html

    older = auditor.get(LIST, {"event": "test.page", "before": made[10].seq}).content.decode()
    assert "page-item-009" in older and "page-item-000" in older
    assert "page-item-010" not in older
    assert f"after={made[9].seq}" in older

    newer = auditor.get(LIST, {"event": "test.page", "after": made[9].seq}).content.decode()
    assert "page-item-059" in newer and "page-item-010" in newer
    assert "page-item-009" not in newer


@pytest.mark.parametrize(
    "username", ["demo_province", "demo_sysadmin", "demo_county_furong", "demo_secadmin"]
)
def test_other_roles_may_not_see_the_audit_trail(
    client_for: Callable[[str], Client], username: str, persona: Persona
) -> None:
    event = record(persona("demo_province"), "test.alpha", "secret-thing")
    client = client_for(username)
    before = AuditEvent.objects.count()

    assert client.get(LIST).status_code == 403
    assert client.get(reverse("audit:detail", args=[event.pk])).status_code == 403
    assert client.post(LIST, {"action": "verify"}).status_code == 403
    assert AuditEvent.objects.count() == before


def test_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_detail_shows_every_field_the_changes_and_the_chain(
    auditor: Client, persona: Persona
) -> None:
    actor = persona("demo_province")
    previous = record(actor, "test.alpha", "first-thing")
    event = record(actor, "user.updated", "张丽", before={"phone": "13800000000", "note": None},
                   after={"phone": "13900000000", "roles": ["county", "trainee"]},
                   ip_address="192.0.2.7")
    following = record(actor, "test.alpha", "third-thing")

    response = auditor.get(reverse("audit:detail", args=[event.pk]))

    html = unescape(response.content.decode())
    assert response.status_code == 200
    for text in (str(event.seq), "user.updated", "张丽", "demo_province", "192.0.2.7",
                 "13800000000", "13900000000", '["county", "trainee"]', event.hash,
                 event.prev_hash, "芙蓉区"):
        assert text in html
    assert reverse("audit:detail", args=[previous.pk]) in html
    assert reverse("audit:detail", args=[following.pk]) in html


def test_detail_of_a_missing_event_is_not_found(auditor: Client) -> None:
    missing = (AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000

    assert auditor.get(reverse("audit:detail", args=[missing])).status_code == 404


def test_verify_button_reports_an_intact_chain_and_is_recorded(
    auditor: Client, persona: Persona
) -> None:
    record(persona("demo_province"), "test.alpha", "fine-thing")

    response = auditor.post(LIST, {"action": "verify"}, follow=True)

    html = response.content.decode()
    assert "The audit trail is intact" in html
    recorded = AuditEvent.objects.order_by("-seq").first()
    assert recorded.event == "audit.verified"
    assert recorded.actor_username == AUDITOR
    assert recorded.after["ok"] is True
    assert recorded.after["checked"] == recorded.seq - 1


def test_verify_button_names_the_tampered_event(
    auditor: Client, persona: Persona, dba: Dba
) -> None:
    tampered = record(persona("demo_province"), "test.alpha", "tampered-thing", after={"n": 1})
    record(persona("demo_province"), "test.alpha", "later-thing")
    dba.disable_guard()
    dba.set_after(tampered.seq, {"n": 2})

    response = auditor.post(LIST, {"action": "verify"}, follow=True)

    html = response.content.decode()
    assert f"Audit event #{tampered.seq}" in html
    assert "tampered-thing" in html and "was changed" in html
    assert "message--error" in html
    recorded = AuditEvent.objects.order_by("-seq").first()
    assert recorded.event == "audit.verified"
    assert recorded.after == {"ok": False, "checked": tampered.seq - 1,
                              "first_broken_seq": tampered.seq, "kind": "changed"}
