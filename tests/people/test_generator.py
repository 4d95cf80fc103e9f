"""The benchmark generator: valid, unique persons; messy import files with known bad rows."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from skillplan.audit.models import AuditEvent
from skillplan.core.idnumber import parse_id_number
from skillplan.core.text import normalize_text
from skillplan.people.management.commands.generate_persons import (
    HEADER_FIELDS,
    counties_under,
    write_roster,
)
from skillplan.people.models import Person
from skillplan.people.rules import check_person
from skillplan.people.services import id_hash_of, phone_hash_of
from skillplan.regions.selectors import region_index

pytestmark = pytest.mark.django_db


def test_generated_persons_are_valid_unique_and_in_the_asked_region() -> None:
    audit_rows = AuditEvent.objects.count()
    call_command("generate_persons", "--count", "300", "--region-prefix", "4331",
                 "--batch", "120", "--seed", "7")

    people = list(Person.objects.all())
    assert len(people) == 300
    assert len({p.id_hash for p in people}) == 300
    assert AuditEvent.objects.count() == audit_rows  # benchmark data: no audit rows
    for person in people[:100]:
        parsed = parse_id_number(person.id_number)
        assert person.id_hash == id_hash_of(person.id_number)
        assert (parsed.birth_date, parsed.gender) == (person.birth_date, person.gender)
        assert person.region_code.startswith("4331") and person.region_code == parsed.region_code
        assert person.certificate_number == person.id_number + person.category + person.grade
        assert person.phone_hash == phone_hash_of(person.phone)
    assert len({p.region_code for p in people}) > 3
    assert set(Counter(p.category for p in people)) >= {"1", "2", "4"}


def test_a_second_run_with_the_same_seed_skips_ids_already_registered() -> None:
    call_command("generate_persons", "--count", "50", "--region-prefix", "430102", "--seed", "3")
    call_command("generate_persons", "--count", "50", "--region-prefix", "430102", "--seed", "3")
    assert Person.objects.count() == 50


def _read_roster(path: Path) -> tuple[int, list[tuple[int, dict[str, Any]]]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(
        skip_empty_area=False)
    header_at = next(i for i, row in enumerate(rows)
                     if sum(normalize_text(cell) in HEADER_FIELDS for cell in row) >= 4)
    keys = [HEADER_FIELDS.get(normalize_text(cell)) for cell in rows[header_at]]
    records = []
    for index, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if any(cell not in ("", None) for cell in row):
            records.append((index, {key: cell for key, cell in zip(keys, row, strict=False)
                                    if key}))
    return header_at + 1, records


def test_clean_roster_uses_the_template_headers_and_every_row_passes_the_rules(
    tmp_path: Path,
) -> None:
    path = tmp_path / "roster.xlsx"
    expected = write_roster(path, count=60, counties=counties_under("43"), seed=5)

    header_row, records = _read_roster(path)
    assert expected == {}
    assert header_row == 1 and len(records) == 60
    first = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[0]
    assert first[:3] == ["姓名", "身份证号", "残疾人证号"]
    regions = region_index()
    for _row, raw in records:
        assert check_person(raw, regions=regions, today=date.today()).errors == []


def test_messy_roster_is_rejected_exactly_in_the_planted_rows(tmp_path: Path) -> None:
    path = tmp_path / "messy.xlsx"
    expected = write_roster(path, count=700, counties=counties_under("43"), messy=True, seed=11)

    header_row, records = _read_roster(path)
    assert header_row == 3  # a title row and a blank row above the header
    assert 10 <= len(expected) <= 40  # about 3% of 700
    assert {"id_mangled", "id_checksum", "required", "region_unknown"} <= set(expected.values())
    regions = region_index()
    found: dict[int, set[str]] = {}
    for row, raw in records:
        checked = check_person(raw, regions=regions, today=date.today())
        found[row] = {problem.code for problem in checked.errors}
    for row, codes in found.items():
        planted = expected.get(row)
        if planted is None or planted == "duplicate_in_file":  # the engine finds duplicates
            assert codes == set(), (row, codes)
        else:
            assert codes == {planted}, (row, planted, codes)
    assert set(expected) <= set(found)


def test_messy_roster_reads_back_its_real_world_quirks(tmp_path: Path) -> None:
    path = tmp_path / "messy.xlsx"
    write_roster(path, count=400, counties=counties_under("43"), messy=True, seed=2)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    cells = [cell for row in rows[3:] for cell in row]
    assert rows[0][0].startswith("2024年")
    assert any(isinstance(cell, float) and cell > 1e17 for cell in cells)  # scientific IDs
    assert any(isinstance(cell, str) and "０" <= cell[:1] <= "９" for cell in cells)
    assert any(isinstance(cell, str) and cell.endswith("x") and len(cell) == 18
               for cell in cells)
    assert any(isinstance(cell, str) and "\u3000" in cell for cell in cells)


def test_command_writes_an_import_file(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    call_command("generate_persons", "--xlsx", str(path), "--count", "30", "--messy",
                 "--seed", "1")
    assert path.exists()
    assert not Person.objects.exists()
