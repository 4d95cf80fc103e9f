"""Template 1 of docs/import-templates.md: the person roster (残疾人信息花名册), KIND ``persons``.

Columns are matched by header (or alias) in any order; each row goes through
``people.rules.check_person`` (the one validation of a person) and valid rows are upserted by ID
number through ``people.services.persons_import_prepared`` (scope, audit trail).

An empty optional cell (phone, education …) of a person already registered leaves the stored
value as it is: a roster that lacks a column, or a cell left blank, never erases data. Values
are cleared on the person's edit form.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.core.disability import make_certificate_number
from skillplan.core.errors import RuleError
from skillplan.core.excel import write_xlsx
from skillplan.core.idnumber import make_id_number, parse_id_number
from skillplan.core.imports.engine import (
    BATCH_SIZE,
    BatchOutcome,
    ImportTemplate,
    Problem,
    RowCheck,
)
from skillplan.core.imports.reader import Column
from skillplan.people.permissions import IMPORT_PERSONS
from skillplan.people.rules import PersonValues, check_person
from skillplan.people.services import (
    PreparedPerson,
    persons_import_prepared,
    prepare_person,
    prepare_persons,
)
from skillplan.regions.selectors import RegionIndex, region_index

PERSON_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", required=True),
    Column("id_number", "身份证号", ("身份证号码", "公民身份号码", "证件号码"), required=True),
    Column("certificate_number", "残疾人证号", ("残疾证号",), required=True),
    Column("category", "残疾类别"),
    Column("grade", "残疾等级"),
    Column("gender", "性别"),
    Column("birth_date", "出生日期"),
    Column("ethnicity", "民族"),
    Column("education", "文化程度"),
    Column("region", "户籍地", ("户籍所在地", "所属县区"), required=True),
    Column("urban_rural", "城乡", ("户口性质",)),
    Column("phone", "联系电话", ("手机号码",)),
    Column("employment_status", "就业状态"),
    Column("notes", "备注"),
)
TEXT_COLUMNS = ("id_number", "certificate_number", "phone")
POSTGRESQL_BATCH_ROWS = 5000
SAMPLE_ID = make_id_number("430102", date(1990, 5, 17), 123)


class PersonsTemplate(ImportTemplate):
    kind = "persons"
    title = _("Person roster")
    columns = PERSON_COLUMNS
    key_field = "id_number"
    job_prefix = "people.persons"
    file_title = "残疾人信息花名册"
    duplicate_message = _("The same ID number is already on row %(row)s of this file; this "
                          "row was not imported.")
    checks_without_database = True  # begin() loads the region index; rows need no queries

    @property
    def batch_size(self) -> int:  # type: ignore[override]
        """On PostgreSQL each COPY and lookup statement has a cost of its own: batches of
        5,000 rows take a tenth less of the server's time than 2,000. SQLite is indifferent,
        and smaller batches start its writes sooner."""
        return POSTGRESQL_BATCH_ROWS if connection.vendor == "postgresql" else BATCH_SIZE

    def __init__(self) -> None:
        self.regions: RegionIndex | None = None
        self.today = timezone.localdate()

    def check_actor(self, actor: Any) -> None:
        if actor is None or not actor.has_perm(IMPORT_PERSONS):
            raise PermissionDenied

    def begin(self, actor: Any) -> None:
        self.regions = region_index()
        self.today = timezone.localdate()

    def check_row(self, raw: dict[str, Any]) -> RowCheck:
        if self.regions is None:
            self.begin(None)
        checked = check_person(raw, regions=self.regions,  # type: ignore[arg-type]
                               today=self.today)
        if checked.values is not None:
            return RowCheck(checked.values, [], checked.warnings,  # type: ignore[arg-type]
                            checked.values.id_number)
        problems = [Problem(p.field, p.code, p.message) for p in checked.errors]
        return RowCheck(None, problems, checked.warnings,  # type: ignore[arg-type]
                        self._id_key(raw.get("id_number")))

    def _id_key(self, value: object) -> str | None:
        """The ID number of a rejected row, when it is valid, so a later copy of the same ID
        is still reported as a duplicate."""
        try:
            return parse_id_number(value, today=self.today).number
        except RuleError:
            return None

    def seal(self, values: PersonValues) -> PreparedPerson:
        """Hashes and encryption of the protected values, and the row as the writer takes it
        (plain strings: it crosses between the processes of a parallel import as it is)."""
        return prepare_person(values)

    def seal_many(self, values: list[PersonValues]) -> list[PreparedPerson]:
        return prepare_persons(values)

    def write_batch(self, *, actor: Any, rows: list[tuple[int, Any]], dry_run: bool
                    ) -> BatchOutcome:
        if self.regions is None:
            self.begin(None)
        outcome = persons_import_prepared(
            actor=actor, rows=rows, regions=self.regions.by_code,  # type: ignore[union-attr]
            dry_run=dry_run, keep_blank=True)
        return BatchOutcome(outcome.created, outcome.updated, outcome.unchanged,
                            outcome.rejected)

    def sample_row(self) -> list[Any]:
        return ["张三", SAMPLE_ID, make_certificate_number(SAMPLE_ID, 4, 2), "肢体", "二级", "男",
                date(1990, 5, 17), "汉族", "高中", "长沙市芙蓉区", "城镇", "13800138000", "未就业",
                "示例行，导入前请删除"]


def persons_template_file(path: str | Path) -> None:
    """The empty roster: the header row and one sample row; ID, certificate and phone columns
    are formatted as text, so numbers typed there keep all their digits."""
    template = PersonsTemplate()
    write_xlsx(
        path, sheet_title=template.file_title,
        headers=[column.header for column in PERSON_COLUMNS], rows=[template.sample_row()],
        text_columns=[index for index, column in enumerate(PERSON_COLUMNS)
                      if column.key in TEXT_COLUMNS],
    )
