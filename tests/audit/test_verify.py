"""The tamper check (verify_chain, manage.py verify_audit) and the append-only triggers."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from skillplan.accounts.models import User
from skillplan.accounts.services import UserData, user_create, user_set_active
from skillplan.accounts.tokens import token_create
from skillplan.audit.models import AuditChainHead, AuditEvent
from skillplan.audit.services import audit_record
from skillplan.audit.verify import BreakKind, verify_chain
from skillplan.regions.models import Region
from tests.audit.conftest import Dba

pytestmark = pytest.mark.django_db

Persona = Callable[[str], User]


def write_events(persona: Persona, count: int = 5) -> list[AuditEvent]:
    actor = persona("demo_province")
    return [
        audit_record(actor=actor, event="test.step", region_code="430102",
                     target_type="test.thing", target_id=str(n), target_repr=f"thing {n}",
                     before={"n": n - 1}, after={"n": n, "名称": "芙蓉区"})
        for n in range(count)
    ]


def run_verify_audit(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_chain_is_intact_after_services_write_events(persona: Persona) -> None:
    province = persona("demo_province")
    user = user_create(
        actor=province, username="audit_chain_clerk", password="Long-enough-Pass-42",
        data=UserData(full_name="链条 测试", role="county",
                      region=Region.objects.get(code="430102")),
    )
    user_set_active(actor=province, user=user, active=False, reason="left the federation")
    token_create(user=persona("demo_county_furong"), name="chain test")

    report = verify_chain()

    assert report.ok, report.message
    assert report.checked == AuditEvent.objects.count()
    assert report.first_broken_seq is None
    code, out, err = run_verify_audit()
    assert code == 0
    assert out.strip() == f"audit chain OK: {AuditEvent.objects.count()} events"
    assert err == ""


def test_many_writes_in_a_row_keep_the_chain_across_small_batches(persona: Persona) -> None:
    write_events(persona, count=120)

    report = verify_chain(batch_size=7)

    assert report.ok, report.message
    assert report.checked == AuditEvent.objects.count()
    head = AuditChainHead.objects.get(pk=1)
    last = AuditEvent.objects.order_by("-seq").first()
    assert (head.last_seq, head.last_hash) == (last.seq, last.hash)


def test_verify_audit_names_the_row_whose_after_was_changed_by_hand(
    persona: Persona, dba: Dba
) -> None:
    events = write_events(persona)
    tampered = events[2]
    dba.disable_guard()
    dba.set_after(tampered.seq, {"n": 999, "名称": "芙蓉区"})

    code, out, err = run_verify_audit()

    assert code == 1
    assert out == ""
    assert f"#{tampered.seq}" in err
    assert "test.step" in err and "thing 2" in err and "changed" in err
    code, out, _err = run_verify_audit("--json")
    report = json.loads(out)
    assert code == 1
    assert report["ok"] is False
    assert report["kind"] == BreakKind.CHANGED
    assert report["first_broken_seq"] == tampered.seq
    assert report["row"]["event"] == "test.step"
    assert report["checked"] == tampered.seq - 1


def test_verify_detects_a_deleted_middle_row(persona: Persona, dba: Dba) -> None:
    events = write_events(persona)
    dba.disable_guard()
    dba.delete(events[1].seq)

    report = verify_chain()

    assert not report.ok
    assert report.kind == BreakKind.DELETED
    assert report.first_broken_seq == events[1].seq
    assert f"#{events[1].seq} is missing" in report.message
    assert report.row is not None and report.row.seq == events[2].seq


def test_verify_detects_a_deleted_last_row(persona: Persona, dba: Dba) -> None:
    events = write_events(persona)
    dba.disable_guard()
    dba.delete(events[-1].seq)

    report = verify_chain()

    assert not report.ok
    assert report.kind == BreakKind.HEAD_MISMATCH
    assert report.first_broken_seq == events[-1].seq
    assert "deleted" in report.message
    code, _out, err = run_verify_audit()
    assert code == 1 and f"#{events[-1].seq}" in err


def test_verify_detects_rows_swapped_and_rehashed(persona: Persona, dba: Dba) -> None:
    """A forger who recomputes the hashes of two swapped rows still breaks the links."""
    from skillplan.audit.chain import digest_of_row

    first, second = write_events(persona, count=4)[1:3]
    dba.disable_guard()
    first.seq, second.seq = second.seq, first.seq
    with connection.cursor() as cursor:
        for row in (first, second):
            cursor.execute("UPDATE audit_auditevent SET seq = -seq WHERE id = %s", [row.pk])
        for row in (first, second):
            row.hash = digest_of_row(row)
            cursor.execute("UPDATE audit_auditevent SET seq = %s, hash = %s WHERE id = %s",
                           [row.seq, row.hash, row.pk])

    report = verify_chain()

    assert not report.ok
    assert report.kind == BreakKind.REORDERED
    assert report.first_broken_seq == min(first.seq, second.seq)


def test_orm_cannot_change_or_delete_an_event(persona: Persona) -> None:
    event = write_events(persona, count=1)[0]

    event.after = {"n": 42}
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(after={"n": 42})
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.after == {"n": 0, "名称": "芙蓉区"}
    assert verify_chain().ok


def test_database_trigger_blocks_raw_update_and_delete(persona: Persona) -> None:
    event = write_events(persona, count=1)[0]

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET event = 'forged' WHERE seq = %s", [event.seq])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [event.seq])

    assert AuditEvent.objects.get(seq=event.seq).event == "test.step"
    assert verify_chain().ok


def test_flush_still_empties_the_audit_table_and_leaves_the_guard_on(persona: Persona) -> None:
    """Django's flush (between transactional tests, manage.py flush) must get past the guard."""
    write_events(persona, count=3)

    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)

    assert not AuditEvent.objects.exists()
    assert verify_chain().ok
    event = audit_record(actor=None, event="test.after_flush")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [event.seq])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM audit_flush_marker")
            assert cursor.fetchone()[0] == 0

