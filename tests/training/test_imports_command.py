"""``manage.py import_data enrolments|completions``: the same engine and contract as persons."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from skillplan.audit.models import AuditEvent
from skillplan.training.choices import ClassStatus, EnrolmentStatus
from skillplan.training.models import Enrolment
from tests.training.factories import make_class, make_person
from tests.training.files import write_messy_roster, write_results

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.FILES_DIR = tmp_path / "files"
    with translation.override("en"):
        yield


def _json(*args: str) -> dict[str, Any]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", *args, "--json", stdout=out, stderr=err)
    assert "rows" in err.getvalue()  # progress on stderr
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_import_data_enrolments_follows_the_contract(tmp_path: Path) -> None:
    training_class = make_class(status=ClassStatus.APPROVED)
    expected = write_messy_roster(tmp_path / "roster.xlsx", training_class.code,
                                  [make_person(), make_person()])
    report = tmp_path / "report.xlsx"
    args = ("enrolments", str(tmp_path / "roster.xlsx"), "--user", "demo_provider")

    checked = _json(*args, "--dry-run")
    assert not Enrolment.objects.exists()
    result = _json(*args, "--report", str(report))

    for outcome in (checked, result):
        assert (outcome["kind"], outcome["rows"], outcome["created"], outcome["rejected"]) == (
            "enrolments", expected["rows"], 2, expected["rejected"])
        assert {e["row"]: e["code"] for e in outcome["errors"]} == expected["errors"]
    assert Enrolment.objects.filter(training_class=training_class,
                                    status=EnrolmentStatus.ENROLLED).count() == 2
    rows = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    assert rows[0][-2:] == ["原行号", "错误说明"] and len(rows) == 1 + expected["rejected"]
    assert all(row[-1] for row in rows[1:])
    assert AuditEvent.objects.filter(event="import.finished").count() == 1
    again = _json(*args)
    assert (again["created"], again["unchanged"]) == (0, 2)


def test_import_data_completions_records_results(tmp_path: Path) -> None:
    end = timezone.localdate() - timedelta(days=2)
    training_class = make_class(status=ClassStatus.ENDED, trainees=2,
                                start=end - timedelta(days=9), end=end)
    first, second = training_class.enrolments.select_related("person").order_by("id")
    path = write_results(tmp_path / "results.xlsx", [
        [training_class.code, first.person.id_number, "", 90, "合格", "", 10],
        [training_class.code, second.person.id_number, "", 50, "不合格", "", 6],
    ])

    result = _json("completions", str(path), "--user", "demo_provider")

    assert (result["kind"], result["rows"], result["created"], result["rejected"]) == (
        "completions", 2, 2, 0)
    assert list(training_class.enrolments.order_by("id").values_list("passed", flat=True)) == [
        True, False]
