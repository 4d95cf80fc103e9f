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
from skillplan.audit.labels import event_label, labelled_changes
from skillplan.audit.models import AuditEvent
from skillplan.audit.services import audit_record
from skillplan.jobs.models import Job, JobStatus
from skillplan.jobs.services import job_start
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


def _verify(auditor: Client, capture: Any) -> Any:
    """Press the button: the check starts as a job and the auditor lands on its page."""
    with capture(execute=True):
        started = auditor.post(LIST, {"action": "verify"})
    job = Job.objects.get(kind="audit.verify_chain")
    assert started.status_code == 302
    assert started["Location"] == reverse("jobs:detail", args=[job.pk])
    return auditor.get(started["Location"])


def test_verify_button_starts_a_background_job_instead_of_checking_in_the_request(
    auditor: Client, persona: Persona
) -> None:
    before = AuditEvent.objects.filter(event="audit.verified").count()

    response = auditor.post(LIST, {"action": "verify"})  # the job is queued, not run

    job = Job.objects.get(kind="audit.verify_chain")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.owner == persona(AUDITOR) and job.status == JobStatus.QUEUED
    assert AuditEvent.objects.filter(event="audit.verified").count() == before


def test_verify_button_reports_an_intact_chain_and_is_recorded(
    auditor: Client, persona: Persona, django_capture_on_commit_callbacks: Any
) -> None:
    record(persona("demo_province"), "test.alpha", "fine-thing")

    response = _verify(auditor, django_capture_on_commit_callbacks)

    html = response.content.decode()
    assert "The audit trail is intact" in html and "message--success" in html
    assert "Finished" in html
    recorded = AuditEvent.objects.filter(event="audit.verified").order_by("-seq").first()
    assert recorded.actor_username == AUDITOR
    assert recorded.after["ok"] is True
    assert recorded.after["checked"] == recorded.seq - 1


def test_verify_button_names_the_tampered_event(
    auditor: Client, persona: Persona, dba: Dba, django_capture_on_commit_callbacks: Any
) -> None:
    tampered = record(persona("demo_province"), "test.alpha", "tampered-thing", after={"n": 1})
    record(persona("demo_province"), "test.alpha", "later-thing")
    dba.disable_guard()
    dba.set_after(tampered.seq, {"n": 2})

    response = _verify(auditor, django_capture_on_commit_callbacks)

    html = response.content.decode()
    assert f"Audit event #{tampered.seq}" in html
    assert "tampered-thing" in html and "was changed" in html
    assert "message--error" in html
    assert reverse("audit:detail", args=[tampered.pk]) in html
    recorded = AuditEvent.objects.filter(event="audit.verified").order_by("-seq").first()
    assert recorded.after == {"ok": False, "checked": tampered.seq - 1,
                              "first_broken_seq": tampered.seq, "kind": "changed"}


def test_the_check_job_is_private_to_the_auditor_who_started_it(
    auditor: Client, client_for: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    _verify(auditor, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind="audit.verify_chain")

    assert client_for("demo_sysadmin").get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_a_check_started_by_someone_who_lost_the_auditor_role_fails_without_checking(
    persona: Persona, django_capture_on_commit_callbacks: Any
) -> None:
    before = AuditEvent.objects.filter(event="audit.verified").count()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(owner=persona("demo_sysadmin"), kind="audit.verify_chain",
                        title="Audit trail check", params={})

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert AuditEvent.objects.filter(event="audit.verified").count() == before


# --- Events and fields in words --------------------------------------------------------------


def test_viewer_shows_the_event_in_words_and_keeps_the_raw_code(
    auditor: Client, persona: Persona
) -> None:
    target = persona("demo_county_furong")
    audit_record(actor=persona("demo_city_changsha"), event="user.updated", target=target,
                 region_code="430102", before={"role": "county", "is_active": True},
                 after={"role": "city", "is_active": False})

    listing = auditor.get(LIST, {"event": "user.updated"}).content.decode()
    event = AuditEvent.objects.filter(event="user.updated").order_by("-seq").first()
    detail = unescape(auditor.get(reverse("audit:detail", args=[event.pk])).content.decode())

    assert "Account details changed" in listing and "user.updated" in listing
    assert "Account details changed" in detail and "user.updated" in detail
    assert "Role" in detail and ">role<" in detail  # the label and the raw field name


def test_history_names_events_fields_and_choices_in_the_readers_language(
    persona: Persona, client_for: Callable[[str], Client]
) -> None:
    target = persona("demo_county_furong")
    audit_record(actor=persona("demo_city_changsha"), event="user.updated", target=target,
                 region_code="430102", before={"role": "county", "is_active": True},
                 after={"role": "city", "is_active": False})
    client = client_for("demo_city_changsha")

    english = client.get(reverse("accounts:user_detail", args=[target.pk])).content.decode()

    assert "Account details changed" in english and "user.updated" not in english
    assert "Role: County federation staff → City federation staff" in english
    assert "Active: Yes → No" in english


def test_unknown_event_codes_and_fields_show_as_recorded(persona: Persona) -> None:
    event = audit_record(actor=None, event="test.unregistered", target_type="nowhere.thing",
                         target_id="1", before={"colour": "red"}, after={"colour": "blue"})

    assert event_label(event.event) == "test.unregistered"
    assert labelled_changes(event) == [("colour", "red", "blue")]
