"""Template 3, the completion results (结业成绩), KIND ``completions``; see the package."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from skillplan.core.errors import RuleError
from skillplan.core.imports.engine import Problem, RowCheck
from skillplan.core.text import cell_text, normalize_text
from skillplan.people.imports import SAMPLE_ID
from skillplan.training.imports.rows import (
    COMPLETION_COLUMNS,
    PASSED_WORDS,
    SAMPLE_CLASS,
    ClassRowsTemplate,
    compact_name,
    write_template_file,
)
from skillplan.training.models import Enrolment, TrainingClass
from skillplan.training.services.results import (
    clean_certificate_number,
    clean_score,
    results_record,
)


@dataclass(frozen=True)
class ResultsRow:
    class_pk: int
    id_number: str
    name: str
    passed: bool
    score: Decimal | None
    certificate_number: str
    attendance_days: int | None


def _passed(raw: object, problems: list[Problem]) -> bool | None:
    if isinstance(raw, bool):
        return raw
    text = compact_name(raw)
    if not text:
        problems.append(Problem("passed", "required", str(_(
            "Say whether the trainee passed: 合格 or 不合格."))))
        return None
    if text not in PASSED_WORDS:
        problems.append(Problem("passed", "enum_invalid", str(_(
            "“%(value)s” is not a result: write 合格 or 不合格 (是/否 and 通过/未通过 are "
            "accepted too).") % {"value": text})))
        return None
    return PASSED_WORDS[text]


def _attendance(raw: object, problems: list[Problem]) -> int | None:
    text = cell_text(raw)
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 4:
        problems.append(Problem("attendance_days", "attendance_format", str(_(
            "Days attended must be a whole number of days, like 10."))))
        return None
    return int(text)


class CompletionsTemplate(ClassRowsTemplate):
    kind = "completions"
    title = _("Completion results")
    columns = COMPLETION_COLUMNS
    job_prefix = "training.completions"
    file_title = "结业成绩"

    def check_row(self, raw: dict[str, Any]) -> RowCheck:
        problems: list[Problem] = []
        warnings: list[Problem] = []
        training_class = self._class(raw.get("class_code"), problems)
        id_number = self._id_number(raw.get("id_number"), problems, warnings)
        passed = _passed(raw.get("passed"), problems)
        score = None
        try:
            score = clean_score(cell_text(raw.get("score")) or None)
        except RuleError as error:
            problems.append(Problem("score", error.code, str(error.message)))
        certificate = ""
        try:
            certificate = clean_certificate_number(cell_text(raw.get("certificate_number")))
        except RuleError as error:
            problems.append(Problem("certificate_number", error.code, str(error.message)))
        days = _attendance(raw.get("attendance_days"), problems)
        key = self._key(training_class, id_number)
        if problems or training_class is None or passed is None:
            return RowCheck(None, problems, warnings, key)
        return RowCheck(ResultsRow(training_class.pk, id_number, normalize_text(raw.get("name")),
                                   passed, score, certificate, days), [], warnings, key)

    def _enrolment(self, training_class: TrainingClass, id_number: str) -> Enrolment:
        """The trainee's enrolment in the class: the active one, else the latest withdrawn
        (whose results the service refuses with its reason)."""
        person = self._person(id_number)
        enrolment = None
        if person is not None:
            enrolment = (Enrolment.objects.filter(training_class=training_class, person=person)
                         .select_related("training_class", "person")
                         .order_by("status", "-id").first())  # "enrolled" < "withdrawn"
        if enrolment is None:
            raise RuleError("enrolment_unknown", _(
                "No trainee with this ID number is on the roster of class %(code)s.") % {
                "code": training_class.code})
        return enrolment

    def _write_row(self, values: ResultsRow) -> str:
        training_class = self._class_by_pk(values.class_pk)
        enrolment = self._enrolment(training_class, values.id_number)
        assert enrolment.person is not None
        self._check_name(values.name, enrolment.person)
        score = values.score if values.score is not None else enrolment.score
        days = (values.attendance_days if values.attendance_days is not None
                else enrolment.attendance_days)
        number = values.certificate_number or enrolment.certificate_number
        if not values.passed and not values.certificate_number:
            number = ""  # a number recorded earlier goes with a pass that is withdrawn now
        had_results = enrolment.has_results
        if had_results and (enrolment.passed, enrolment.score, enrolment.attendance_days,
                            enrolment.certificate_number) == (values.passed, score, days, number):
            return "unchanged"
        if not training_class.can_enter_results(self.actor):
            raise RuleError("class_state", _(
                "Class %(code)s is “%(status)s”: results are entered after the class has ended "
                "and before completion is submitted.") % {
                "code": training_class.code, "status": training_class.get_status_display()})
        results_record(actor=self.actor, enrolment=enrolment, passed=values.passed, score=score,
                       attendance_days=days, certificate_number=number)
        return "updated" if had_results else "created"

    def sample_row(self, class_code: str = SAMPLE_CLASS) -> list[Any]:
        return [class_code, SAMPLE_ID, "张三", 86, "合格", "", 10]


def completions_template_file(path: str | Path, *, class_code: str = SAMPLE_CLASS) -> None:
    """The empty results sheet: the header row and one sample row (of ``class_code``)."""
    write_template_file(CompletionsTemplate(), path, class_code)
