"""The audit trail over the API: audit administrators only, newest first."""

from __future__ import annotations

import pytest

from skillplan.audit.models import AuditEvent
from skillplan.audit.services import audit_record

from .conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "username", ["demo_province", "demo_sysadmin", "demo_secadmin", "demo_county_furong"]
)
def test_only_the_audit_administrator_reads_audit_events(api_for, username):
    assert_error(api_for(username).get("/api/v1/audit/events"), 403, "forbidden")


def test_auditor_pages_through_events_newest_first(api_for):
    for number in range(7):
        audit_record(actor=None, event="test.filler", target_type="tests.thing",
                     target_id=str(number), region_code="430102")
    api = api_for("demo_auditor")
    seqs, cursor = [], None
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = api.get("/api/v1/audit/events", query).json()
        seqs += [item["seq"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seqs == sorted(seqs, reverse=True)
    assert len(seqs) == len(set(seqs)) == AuditEvent.objects.exclude(region_code="").count()


def test_auditor_filters_events(api_for):
    audit_record(actor=None, event="test.special", target_type="tests.thing", target_id="42",
                 region_code="4331")
    api = api_for("demo_auditor")
    by_target = api.get("/api/v1/audit/events",
                        {"target_type": "tests.thing", "target_id": "42"}).json()["items"]
    assert [item["event"] for item in by_target] == ["test.special"]
    by_actor = api.get("/api/v1/audit/events", {"actor": "demo_auditor"}).json()["items"]
    assert by_actor and {item["actor_username"] for item in by_actor} == {"demo_auditor"}
    by_event = api.get("/api/v1/audit/events", {"event": "api_token."}).json()["items"]
    assert by_event and all(item["event"].startswith("api_token.") for item in by_event)
