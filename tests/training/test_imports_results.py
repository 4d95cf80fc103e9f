"""Template 3, the completion results (KIND ``completions``): words for pass/fail, idempotence,
changes, every error code, and the class's timeliness stamp."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from skillplan.audit.models import AuditEvent
from skillplan.core.imports.engine import ImportResult, run_import
from skillplan.core.imports.registry import get_template
from skillplan.training.choices import ClassStatus, EnrolmentStatus
from skillplan.training.models import Enrolment, TrainingClass
from skillplan.training.services.results import results_record
from tests.training.factories import make_class, make_person, user
from tests.training.files import UNKNOWN_CLASS, write_results

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.FILES_DIR = tmp_path / "files"
    with translation.override("en"):
        yield


def ended(trainees: int = 3, **kwargs: Any) -> TrainingClass:
    end = timezone.localdate() - timedelta(days=1)
    return make_class(status=ClassStatus.ENDED, trainees=trainees, start=end - timedelta(days=9),
                      end=end, **kwargs)


def roster(training_class: TrainingClass) -> list[Enrolment]:
    return list(training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED)
                .select_related("person").order_by("id"))


def run(path: Path, username: str = "demo_provider", *, dry_run: bool = False) -> ImportResult:
    template = get_template("completions")
    assert template is not None
    return run_import(template, path, actor=user(username), dry_run=dry_run)


def counts(result: ImportResult) -> tuple[int, int, int, int, int]:
    return (result.rows, result.created, result.updated, result.unchanged, result.rejected)


def codes(result: ImportResult) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for error in result.errors:
        found.setdefault(error.row, set()).add(error.code)
    return found


def row(training_class: TrainingClass, enrolment: Enrolment, *, score: Any = 88,
        passed: Any = "合格", certificate: Any = "", days: Any = 10, name: Any = None
        ) -> list[Any]:
    assert enrolment.person is not None
    return [training_class.code, enrolment.person.id_number,
            enrolment.person.name if name is None else name, score, passed, certificate, days]


def test_results_are_recorded_and_the_class_is_stamped_when_complete(tmp_path: Path) -> None:
    training_class = ended()
    first, second, third = roster(training_class)
    path = write_results(tmp_path / "成绩.xlsx", [
        row(training_class, first, score=92.5, certificate="HNPX-2025-0001"),
        row(training_class, second, score="６０", passed=" 不合格 ", days=8.0),
        row(training_class, third, score="", passed="通过", days=""),
    ])

    result = run(path)

    assert counts(result) == (3, 3, 0, 0, 0)
    first, second, third = roster(training_class)
    assert (first.passed, first.score, first.attendance_days, first.certificate_number) == (
        True, Decimal("92.5"), 10, "HNPX-2025-0001")
    assert (second.passed, second.score, second.attendance_days) == (False, Decimal("60"), 8)
    assert (third.passed, third.score, third.attendance_days) == (True, None, None)
    training_class.refresh_from_db()
    assert training_class.results_entered_at is not None
    assert training_class.results_delay_days == 1 and not training_class.results_late
    assert AuditEvent.objects.filter(event="enrolment.results_recorded").count() == 3


def test_importing_the_same_results_again_changes_nothing(tmp_path: Path) -> None:
    training_class = ended(trainees=2)
    first, second = roster(training_class)
    path = write_results(tmp_path / "r.xlsx", [row(training_class, first, passed="是"),
                                               row(training_class, second, passed="否")])
    assert counts(run(path)) == (2, 2, 0, 0, 0)
    events = AuditEvent.objects.count()
    versions = [e.version for e in roster(training_class)]

    assert counts(run(path)) == (2, 0, 0, 2, 0)

    assert AuditEvent.objects.count() == events
    assert [e.version for e in roster(training_class)] == versions


def test_changed_results_are_updated_and_blank_cells_keep_what_was_recorded(
        tmp_path: Path) -> None:
    training_class = ended(trainees=2)
    first, second = roster(training_class)
    for enrolment in (first, second):
        results_record(actor=user("demo_provider"), enrolment=enrolment, passed=True,
                       score=Decimal("70"), attendance_days=9)
    path = write_results(tmp_path / "r.xlsx", [
        row(training_class, first, score=75, days=""),
        row(training_class, second, score="", days=""),
    ])

    result = run(path)

    assert counts(result) == (2, 0, 1, 1, 0)
    first, second = roster(training_class)
    assert (first.score, first.attendance_days) == (Decimal("75"), 9)
    assert (second.score, second.attendance_days) == (Decimal("70"), 9)


def test_every_bad_row_is_rejected_with_its_code_and_nothing_of_it_is_written(
        tmp_path: Path) -> None:
    training_class = ended(trainees=10)
    a, b, c, d, e, f, h, i, j, k = roster(training_class)
    running = make_class(status=ClassStatus.IN_PROGRESS, trainees=1)
    (g,) = roster(running)
    stranger = make_person()
    rows = [
        row(training_class, a, certificate="HNPX-2025-0101"),          # 2: created
        row(training_class, b, certificate="hnpx-2025-0101"),          # 3: duplicate number
        row(training_class, c, passed="优秀"),                          # 4: enum_invalid
        row(training_class, d, score=101),                             # 5: score_range
        row(training_class, e, days=11),                               # 6: attendance_range
        row(training_class, f, passed=""),                             # 7: required
        [training_class.code, stranger.id_number, stranger.name, 80, "合格", "", 10],  # 8
        [UNKNOWN_CLASS, a.person.id_number, a.person.name, 80, "合格", "", 10],  # 9
        row(training_class, a),                                        # 10: duplicate row
        row(running, g),                                               # 11: class_state
        row(training_class, h, name="别人"),                            # 12: name_mismatch
        row(training_class, i, passed="不合格", certificate="HNPX-2025-0102"),  # 13
        row(training_class, j, days="十天"),                            # 14
        row(training_class, k, certificate="证书1号"),                   # 15
    ]
    path = write_results(tmp_path / "r.xlsx", rows)

    result = run(path)

    assert codes(result) == {
        3: {"certificate_duplicate"}, 4: {"enum_invalid"}, 5: {"score_range"},
        6: {"attendance_range"}, 7: {"required"}, 8: {"enrolment_unknown"},
        9: {"class_unknown"}, 10: {"duplicate_in_file"}, 11: {"class_state"},
        12: {"name_mismatch"}, 13: {"certificate_not_passed"}, 14: {"attendance_format"},
        15: {"certificate_format"},
    }
    assert counts(result) == (14, 1, 0, 0, 13)
    columns = {error.code: error.column for error in result.errors}
    assert columns["certificate_duplicate"] == "证书编号" and columns["score_range"] == "考核成绩"
    assert columns["enum_invalid"] == "是否合格" and columns["class_state"] == "班级编号"
    with_results = [enrolment.pk for enrolment in Enrolment.objects.filter(passed__isnull=False)]
    assert with_results == [a.pk]
    training_class.refresh_from_db()
    assert training_class.results_entered_at is None  # nine trainees still have no results


def test_a_dry_run_of_results_writes_nothing(tmp_path: Path) -> None:
    training_class = ended(trainees=1)
    (only,) = roster(training_class)
    path = write_results(tmp_path / "r.xlsx", [row(training_class, only)])

    assert counts(run(path, dry_run=True)) == (1, 1, 0, 0, 0)

    assert not Enrolment.objects.filter(passed__isnull=False).exists()
    training_class.refresh_from_db()
    assert training_class.results_entered_at is None


def test_another_providers_class_is_unknown(tmp_path: Path) -> None:
    theirs = ended(trainees=1, provider=user("demo_provider_xiangxi").provider)
    (only,) = roster(theirs)
    path = write_results(tmp_path / "r.xlsx", [row(theirs, only)])

    result = run(path, "demo_provider")

    assert [e.code for e in result.errors] == ["class_unknown"]
    assert not Enrolment.objects.filter(passed__isnull=False).exists()
