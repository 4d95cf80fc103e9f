"""Template 2, the class roster (培训班学员名单), KIND ``enrolments``; see the package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.core.dates import parse_date
from skillplan.core.errors import RuleError
from skillplan.core.idnumber import parse_id_number
from skillplan.core.imports.engine import Problem, RowCheck
from skillplan.core.text import cell_text, normalize_text
from skillplan.people.imports import SAMPLE_ID
from skillplan.people.models import Person
from skillplan.people.permissions import IMPORT_PERSONS
from skillplan.people.rules import PersonValues, check_person
from skillplan.people.services import person_create
from skillplan.regions.selectors import RegionIndex, region_index
from skillplan.training.choices import EnrolmentStatus
from skillplan.training.imports.rows import (
    ENROLMENT_COLUMNS,
    REGISTRATION_KEYS,
    SAMPLE_CLASS,
    ClassRowsTemplate,
    person_unknown_error,
    write_template_file,
)
from skillplan.training.models import Enrolment
from skillplan.training.services.enrolments import enrol_person, person_in_reach


@dataclass(frozen=True)
class RosterRow:
    class_pk: int
    id_number: str
    name: str
    enrolled_on: date | None
    person: PersonValues | None  # the person columns, checked, when the row carries them


class EnrolmentsTemplate(ClassRowsTemplate):
    kind = "enrolments"
    title = _("Class roster")
    columns = ENROLMENT_COLUMNS
    job_prefix = "training.enrolments"
    file_title = "培训班学员名单"

    def __init__(self) -> None:
        super().__init__()
        self.regions: RegionIndex | None = None

    def begin(self, actor: Any) -> None:
        super().begin(actor)
        self.regions = region_index()

    def check_row(self, raw: dict[str, Any]) -> RowCheck:
        problems: list[Problem] = []
        warnings: list[Problem] = []
        training_class = self._class(raw.get("class_code"), problems)
        person: PersonValues | None = None
        if any(cell_text(raw.get(key)) for key in REGISTRATION_KEYS):
            if self.regions is None:
                self.regions = region_index()
            checked = check_person(raw, regions=self.regions, today=self.today)
            problems += [Problem(p.field, p.code, p.message) for p in checked.errors]
            warnings += [Problem(p.field, p.code, p.message) for p in checked.warnings]
            person = checked.values
            id_number = person.id_number if person else self._quiet_id(raw.get("id_number"))
        else:
            id_number = self._id_number(raw.get("id_number"), problems, warnings)
        enrolled_on = None
        if cell_text(raw.get("enrolled_on")):
            try:
                enrolled_on = parse_date(raw.get("enrolled_on"))
            except RuleError as error:
                problems.append(Problem("enrolled_on", error.code, str(error.message)))
        key = self._key(training_class, id_number)
        if problems or training_class is None:
            return RowCheck(None, problems, warnings, key)
        return RowCheck(RosterRow(training_class.pk, id_number, normalize_text(raw.get("name")),
                                  enrolled_on, person), [], warnings, key)

    def _quiet_id(self, raw: object) -> str:
        """The ID number of a rejected row, when valid (its problems are already listed)."""
        try:
            return parse_id_number(raw, today=self.today).number
        except RuleError:
            return ""

    def _register(self, row: RosterRow) -> Person:
        """Register the row's person through the registry's service (scope, audit trail,
        the person's history), as the person form does."""
        if row.person is None:
            raise person_unknown_error()
        if not self.actor.has_perm(IMPORT_PERSONS):
            raise RuleError("person_unknown", _(
                "No person with this ID number is registered. Only the federation registers "
                "persons: ask them to register the person, then import the roster again."))
        return person_create(actor=self.actor, values=row.person)

    def _write_row(self, values: RosterRow) -> str:
        training_class = self._class_by_pk(values.class_pk)
        person = self._person(values.id_number)
        if person is None:
            person = self._register(values)
        elif not person_in_reach(self.actor, person):
            raise person_unknown_error()
        self._check_name(values.name, person)
        if Enrolment.objects.filter(training_class=training_class, person=person,
                                    status=EnrolmentStatus.ENROLLED).exists():
            return "unchanged"
        if not training_class.can_enrol(self.actor):
            raise RuleError("class_state", _(
                "Class %(code)s is “%(status)s”: trainees are enrolled from its approval until "
                "it ends.") % {"code": training_class.code,
                               "status": training_class.get_status_display()})
        enrol_person(actor=self.actor, training_class=training_class, person=person,
                     enrolled_on=values.enrolled_on)
        return "created"

    def sample_row(self, class_code: str = SAMPLE_CLASS) -> list[Any]:
        return [class_code, SAMPLE_ID, timezone.localdate(), "张三", "", "", "", "", "", "", "",
                "", "", "", "", "示例行，导入前请删除"]


def enrolments_template_file(path: str | Path, *, class_code: str = SAMPLE_CLASS) -> None:
    """The empty class roster: the header row and one sample row (of ``class_code``)."""
    write_template_file(EnrolmentsTemplate(), path, class_code)
