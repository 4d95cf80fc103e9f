"""What templates 2 and 3 share: their columns, the importer, the class of each row (by code,
in the importer's scope), the ID number, a savepoint per row, and the empty template file."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.core.errors import RuleError
from skillplan.core.excel import write_xlsx
from skillplan.core.idnumber import parse_id_number
from skillplan.core.imports.engine import BatchOutcome, ImportTemplate, Problem
from skillplan.core.imports.reader import Column
from skillplan.core.masking import mask_id_number
from skillplan.core.text import cell_text, normalize_text
from skillplan.people.imports import PERSON_COLUMNS
from skillplan.people.models import Person
from skillplan.people.services import id_hash_of
from skillplan.training.models import TrainingClass
from skillplan.training.selectors import classes_visible

CLASS_COLUMN = Column("class_code", "班级编号", ("班级代码", "培训班编号"), required=True)
ID_COLUMN = next(column for column in PERSON_COLUMNS if column.key == "id_number")
NAME_COLUMN = next(column for column in PERSON_COLUMNS if column.key == "name")
# Template 2: the class, the ID number, the date; then, optional, the columns of template 1.
ENROLMENT_COLUMNS: tuple[Column, ...] = (
    CLASS_COLUMN, ID_COLUMN, Column("enrolled_on", "报名日期"),
    *(dataclasses.replace(column, required=False) for column in PERSON_COLUMNS
      if column.key != "id_number"),
)
# Template 3 (姓名 is optional: when given, it must match the trainee's registered name).
COMPLETION_COLUMNS: tuple[Column, ...] = (
    CLASS_COLUMN, ID_COLUMN, dataclasses.replace(NAME_COLUMN, required=False),
    Column("score", "考核成绩", ("成绩",)),
    Column("passed", "是否合格", ("合格",), required=True),
    Column("certificate_number", "证书编号", ("合格证书编号", "培训证书编号")),
    Column("attendance_days", "出勤天数", ("出勤",)),
)
# The person columns whose presence makes a roster row a registration (name alone does not).
REGISTRATION_KEYS = ("certificate_number", "region")
TEXT_COLUMNS = ("class_code", "id_number", "certificate_number", "phone")
SAMPLE_CLASS = "HN-430100-2025-0001"
PASSED_WORDS = {"合格": True, "是": True, "通过": True, "不合格": False, "否": False,
                "未通过": False, "不通过": False}
# Which column a write-time problem belongs to (the rest are about the person: 身份证号).
FIELD_OF = {
    "class_unknown": "class_code", "class_state": "class_code", "class_full": "class_code",
    "not_allowed": "class_code", "name_mismatch": "name", "region_out_of_scope": "region",
    "score_range": "score", "attendance_range": "attendance_days", "passed_required": "passed",
    "certificate_duplicate": "certificate_number", "certificate_format": "certificate_number",
    "certificate_not_passed": "certificate_number",
}


def compact_name(text: object) -> str:
    """A name without any spaces, for comparing names ("李 四" is 李四)."""
    return "".join(normalize_text(text).split())


def person_unknown_error() -> RuleError:
    return RuleError("person_unknown", _(
        "No person with this ID number is registered in your area. Register the person first, "
        "or fill in the person columns of the roster (姓名, 残疾人证号, 户籍地 …) to register "
        "them with this row."))


class ClassRowsTemplate(ImportTemplate):
    """What templates 2 and 3 share: the importer, the class of each row, the ID number."""

    key_field = "id_number"
    file_title: str  # the sheet's title in the empty template
    duplicate_message = _("The same ID number for the same class is already on row %(row)s "
                          "of this file; this row was not imported.")

    def __init__(self) -> None:
        self.actor: Any = None
        self.today = timezone.localdate()
        self.only: TrainingClass | None = None
        self.codes: dict[str, int | None] = {}  # class code → pk, None when not the actor's
        self.classes: dict[int, TrainingClass] = {}

    def check_actor(self, actor: Any) -> None:
        if (actor is None or not actor.is_authenticated
                or not actor.has_perm(roles.IMPORT_ENROLMENTS)
                or not actor.has_perm(roles.CHANGE_CLASS)):
            raise PermissionDenied

    def configure(self, *, training_class: int) -> None:
        """Import for one class (the upload on its page): 班级编号 becomes optional."""
        self.only = TrainingClass.objects.select_related("project").get(pk=training_class)
        self.columns = tuple(dataclasses.replace(column, required=False)
                             if column.key == "class_code" else column
                             for column in type(self).columns)

    def begin(self, actor: Any) -> None:
        self.actor = actor
        self.today = timezone.localdate()
        self.codes, self.classes = {}, {}

    # --- checking a row ------------------------------------------------------------------

    def _class(self, raw: object, problems: list[Problem]) -> TrainingClass | None:
        code = normalize_text(cell_text(raw)).upper().replace(" ", "")
        if not code and self.only is not None:
            code = self.only.code
        if not code:
            problems.append(Problem("class_code", "required", str(_(
                "Give the class code (班级编号), e.g. HN-430100-2025-0001."))))
            return None
        if self.only is not None and code != self.only.code:
            problems.append(Problem("class_code", "class_unknown", str(_(
                "This row is for class %(code)s, but the file is being imported for class "
                "%(class)s; import it on that class's page.") % {
                "code": code, "class": self.only.code})))
            return None
        if code not in self.codes:
            found = (classes_visible(user=self.actor, permission=roles.CHANGE_CLASS)
                     .filter(code=code).first() if self.actor is not None else None)
            self.codes[code] = found.pk if found is not None else None
            if found is not None:
                self.classes[found.pk] = found
        pk = self.codes[code]
        if pk is None:
            problems.append(Problem("class_code", "class_unknown", str(_(
                "There is no class %(code)s among the classes you run; check the class code.")
                % {"code": code})))
            return None
        return self.classes[pk]

    def _id_number(self, raw: object, problems: list[Problem], warnings: list[Problem]
                   ) -> str:
        if raw in (None, ""):
            problems.append(Problem("id_number", "required", str(_("This is required."))))
            return ""
        try:
            identity = parse_id_number(raw, today=self.today)
        except RuleError as error:
            problems.append(Problem("id_number", error.code, str(error.message)))
            return ""
        if identity.converted_from_15:
            warnings.append(Problem("id_number", "id_converted", str(_(
                "A 15-digit ID number was converted to 18 digits: %(number)s.") % {
                "number": mask_id_number(identity.number)})))
        return identity.number

    @staticmethod
    def _key(training_class: TrainingClass | None, id_number: str) -> str | None:
        return f"{training_class.pk}|{id_number}" if training_class and id_number else None

    # --- writing -------------------------------------------------------------------------

    def _class_by_pk(self, pk: int) -> TrainingClass:
        """The class of a checked row, with its current status (it may have moved on)."""
        training_class = self.classes[pk]
        training_class.refresh_from_db(fields=["status", "enrolled_count"])
        return training_class

    def _person(self, id_number: str) -> Person | None:
        """The registered person of an ID number (the record kept, if it was merged)."""
        person = (Person.objects.select_related("merged_into")
                  .filter(id_hash=id_hash_of(id_number)).first())
        if person is not None and person.merged_into_id is not None:
            return person.merged_into
        return person

    def _write_row(self, values: Any) -> str:
        raise NotImplementedError

    def write_batch(self, *, actor: Any, rows: list[tuple[int, Any]], dry_run: bool
                    ) -> BatchOutcome:
        """Each row in its own savepoint: a refused row leaves nothing behind."""
        if self.actor is None:
            self.begin(actor)
        outcome = BatchOutcome()
        with transaction.atomic():
            for number, values in rows:
                try:
                    with transaction.atomic():
                        result = self._write_row(values)
                except RuleError as error:
                    outcome.rejected.append((number, FIELD_OF.get(error.code, "id_number"),
                                             error.code, str(error.message)))
                    continue
                except ValidationError as error:
                    outcome.rejected.append((number, "id_number", "invalid",
                                             "；".join(error.messages)))
                    continue
                setattr(outcome, result, getattr(outcome, result) + 1)
            if dry_run:  # a check counts exactly like the import, then leaves no trace
                transaction.set_rollback(True)
        return outcome

    def sample_row(self, class_code: str = SAMPLE_CLASS) -> list[Any]:
        return []

    def _check_name(self, name: str, person: Person) -> None:
        if name and compact_name(name) != compact_name(person.name):
            raise RuleError("name_mismatch", _(
                "The name differs from the name registered for this ID number; check the ID "
                "number and the name."))


def write_template_file(template: ClassRowsTemplate, path: str | Path, class_code: str) -> None:
    columns = template.columns
    write_xlsx(path, sheet_title=template.file_title,
               headers=[column.header for column in columns],
               rows=[template.sample_row(class_code)],
               text_columns=[index for index, column in enumerate(columns)
                             if column.key in TEXT_COLUMNS])
