"""Import rows travel to the writer as COPY-text lines: values holding a backslash (or other
characters that format escapes) must be stored exactly and compare as unchanged next time."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillplan.core.imports.engine import run_import
from skillplan.people.imports import PersonsTemplate
from skillplan.people.models import Person
from tests.imports.helpers import person_id, person_row, write_xlsx

pytestmark = pytest.mark.django_db
NOTES = r"路径 C:\temp\new 与 \\server\t 与 \N"


@pytest.mark.parametrize("parallel", [False, True])
def test_notes_with_backslashes_are_stored_as_written_and_reimport_unchanged(
    tmp_path: Path, persona, parallel: bool
) -> None:
    user = persona("demo_county_furong")
    path = write_xlsx(tmp_path / "roster.xlsx", [
        person_row(9101, 备注=NOTES), person_row(9102, 姓名="王\\五", 备注="")])

    first = run_import(PersonsTemplate(), path, actor=user, parallel=parallel)
    second = run_import(PersonsTemplate(), path, actor=user, parallel=parallel)

    assert (first.created, first.rejected) == (2, 0)
    assert (second.unchanged, second.updated, second.created) == (2, 0, 0)
    stored = {p.name: p for p in Person.objects.filter(name__in=["测试9101", "王\\五"])}
    assert stored["测试9101"].notes == NOTES
    assert stored["测试9101"].id_number == person_id(9101)
    assert stored["王\\五"].phone == "13800009102"
    assert stored["王\\五"].birth_date.isoformat()[:4] in person_id(9102)
