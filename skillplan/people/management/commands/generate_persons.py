"""Benchmark data and test files: realistic persons, fast.

    manage.py generate_persons --count 2000000 [--region-prefix 43] [--batch 5000] [--seed S]
    manage.py generate_persons --xlsx OUT.xlsx --count N [--messy] [--region-prefix 4301]

The first form writes persons straight into the database: valid ID numbers (a unique sequence
per county and birth date), matching certificate numbers, a plausible mix of categories,
grades, ages, ethnic groups and counties; ID, certificate and phone encrypted and hashed exactly
as the services do. It writes NO audit rows and skips the services: it is benchmark data, never
real registrations. On PostgreSQL rows go in with ``COPY`` (about three times faster than
``bulk_create``); elsewhere with ``bulk_create``. An ID that is already registered is skipped.

The second form writes an import file in the person roster template. ``--messy`` makes it look
like a real clerk's file: a title row, shuffled columns, header aliases, full-width digits,
stray spaces, lowercase x, blank rows, and about 3% bad rows, each with one known error code
(a few IDs are scientific-notation numbers). :func:`write_roster` returns the expected code of
every bad row, by spreadsheet row number, for tests.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone
from psycopg.errors import UniqueViolation
from rustpy_xlsxwriter import FastExcel

from skillplan.core.crypto import encrypt_text
from skillplan.core.idnumber import id_check_character, make_id_number
from skillplan.people.models import Person
from skillplan.people.services import id_hash_of, phone_hash_of
from skillplan.regions.models import Region, RegionLevel

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦向龙易"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍鹏辉建国红波宁斌浩凯文婷雪琳"
    "志宏海燕春梅晓东小红亮军云飞子涵欣怡梓轩宇航思远佳慧俊杰湘楠"
)
# Rough shares of the national disability sample survey: (value, weight).
CATEGORIES = (("4", 40), ("1", 10), ("2", 13), ("3", 1), ("5", 8), ("6", 9), ("7", 19))
GRADES = (("1", 10), ("2", 25), ("3", 30), ("4", 35))
ETHNICITIES = (("汉族", 88), ("土家族", 4), ("苗族", 3), ("侗族", 2), ("瑶族", 2), ("白族", 1))
EDUCATIONS = (("none", 12), ("primary", 30), ("junior", 33), ("senior", 12),
              ("vocational", 6), ("college", 4), ("bachelor", 3))
EMPLOYMENTS = (("unemployed", 55), ("employed", 30), ("student", 5), ("other", 10))
FLAG_CHOICES = ((0, 90), (4, 6), (8, 2), (1, 1), (2, 1))

CATEGORY_WORDS = {"1": "视力", "2": "听力", "3": "言语", "4": "肢体", "5": "智力", "6": "精神",
                  "7": "多重"}
GRADE_WORDS = {"1": "一级", "2": "二级", "3": "三级", "4": "四级"}
EDUCATION_WORDS = {"none": "未上过学", "primary": "小学", "junior": "初中", "senior": "高中",
                   "vocational": "中专/中技", "college": "大专", "bachelor": "本科",
                   "postgraduate": "研究生"}
EMPLOYMENT_WORDS = {"unemployed": "未就业", "employed": "已就业", "student": "在校",
                    "other": "其他"}
URBAN_WORDS = {"urban": ("城镇", "非农业"), "rural": ("农村", "农业")}

# The person roster template (docs/import-templates.md): header, then accepted aliases.
TEMPLATE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("name", "姓名", ()),
    ("id_number", "身份证号", ("身份证号码", "公民身份号码", "证件号码")),
    ("certificate_number", "残疾人证号", ("残疾证号",)),
    ("category", "残疾类别", ()),
    ("grade", "残疾等级", ()),
    ("gender", "性别", ()),
    ("birth_date", "出生日期", ()),
    ("ethnicity", "民族", ()),
    ("education", "文化程度", ()),
    ("region", "户籍地", ("户籍所在地", "所属县区")),
    ("urban_rural", "城乡", ("户口性质",)),
    ("phone", "联系电话", ("手机号码",)),
    ("employment_status", "就业状态", ()),
    ("notes", "备注", ()),
)
HEADER_FIELDS = {header: key for key, main, aliases in TEMPLATE for header in (main, *aliases)}
# Error codes the messy file plants, in turn (one per bad row).
BAD_CODES = (
    "id_checksum", "required", "id_format", "id_mangled", "id_region", "id_birthdate",
    "cert_format", "cert_id_mismatch", "category_mismatch", "grade_mismatch",
    "gender_mismatch", "birthdate_mismatch", "region_unknown", "enum_invalid", "phone_format",
    "date_format", "category_invalid", "grade_invalid", "duplicate_in_file", "id_mangled",
)  # fmt: skip
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class County:
    id: int
    code: str
    name: str
    full_name: str


@dataclass(frozen=True)
class FakePerson:
    name: str
    id_number: str
    certificate_number: str
    category: str
    grade: str
    gender: str
    birth_date: dt.date
    ethnicity: str
    education: str
    county: County
    urban_rural: str
    phone: str
    employment_status: str
    flags: int


def counties_under(prefix: str) -> list[County]:
    rows = Region.objects.filter(
        level=RegionLevel.COUNTY, valid_to__isnull=True, code__startswith=prefix
    ).values_list("id", "code", "name", "full_name")
    counties = [County(*row) for row in rows]
    if not counties:
        raise CommandError(f"No county-level region under {prefix!r}: run load_regions first.")
    return counties


class PersonFactory:
    """Draws realistic persons; ID numbers are unique within one factory (per county and
    birth date, men take odd sequence numbers, women even ones, from a random start)."""

    def __init__(self, counties: Sequence[County], *, seed: int | None,
                 today: dt.date | None = None) -> None:
        self.rng = random.Random(seed)
        self.counties = list(counties)
        self.today = today or dt.date.today()
        self.first_day = dt.date(self.today.year - 75, 1, 1).toordinal()
        self.last_day = dt.date(self.today.year - 6, 12, 31).toordinal()
        self.used: dict[tuple[str, int, str], int] = {}
        self.start = self.rng.randrange(500)
        self._tables = {name: self._table(values) for name, values in (
            ("category", CATEGORIES), ("grade", GRADES), ("ethnicity", ETHNICITIES),
            ("education", EDUCATIONS), ("employment", EMPLOYMENTS), ("flags", FLAG_CHOICES))}

    @staticmethod
    def _table(weighted: Sequence[tuple[Any, int]]) -> list[Any]:
        return [value for value, weight in weighted for _ in range(weight)]

    def _pick(self, table: str) -> Any:
        return self.rng.choice(self._tables[table])

    def _id_number(self, county: County, gender: str) -> tuple[str, dt.date]:
        while True:
            day = self.rng.randint(self.first_day, self.last_day)
            key = (county.code, day, gender)
            taken = self.used.get(key, 0)
            if taken < 500:
                self.used[key] = taken + 1
                seq = ((self.start + taken) % 500) * 2 + (1 if gender == "M" else 0)
                birth = dt.date.fromordinal(day)
                return make_id_number(county.code, birth, seq), birth

    def person(self) -> FakePerson:
        rng = self.rng
        county = rng.choice(self.counties)
        gender = "M" if rng.random() < 0.58 else "F"
        id_number, birth = self._id_number(county, gender)
        category, grade = self._pick("category"), self._pick("grade")
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN)
                                              for _ in range(rng.choice((1, 2, 2))))
        phone = ""
        if rng.random() < 0.8:
            phone = f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"
        age = self.today.year - birth.year
        employment = "student" if age < 16 else self._pick("employment")
        return FakePerson(
            name=name, id_number=id_number, certificate_number=id_number + category + grade,
            category=category, grade=grade, gender=gender, birth_date=birth,
            ethnicity=self._pick("ethnicity"), education=self._pick("education"),
            county=county, urban_rural="rural" if rng.random() < 0.62 else "urban",
            phone=phone, employment_status=employment, flags=self._pick("flags"),
        )


# --- Into the database -------------------------------------------------------------------

COPY_COLUMNS = (
    "created_at", "updated_at", "version", "name", "id_number", "id_hash",
    "certificate_number", "category", "grade", "gender", "birth_date", "ethnicity",
    "education", "region_id", "region_code", "urban_rural", "phone", "phone_hash",
    "employment_status", "flags", "notes",
)  # fmt: skip


def _copy_row(person: FakePerson, now: dt.datetime) -> tuple[Any, ...]:
    return (
        now, now, 1, person.name, encrypt_text(person.id_number), id_hash_of(person.id_number),
        encrypt_text(person.certificate_number), person.category, person.grade, person.gender,
        person.birth_date, person.ethnicity, person.education, person.county.id,
        person.county.code, person.urban_rural,
        encrypt_text(person.phone) if person.phone else "", phone_hash_of(person.phone),
        person.employment_status, person.flags, "",
    )


def _model(person: FakePerson, now: dt.datetime) -> Person:
    # The encrypted fields encrypt on save; only the hashes are computed here.
    return Person(
        created_at=now, updated_at=now, name=person.name, id_number=person.id_number,
        id_hash=id_hash_of(person.id_number), certificate_number=person.certificate_number,
        category=person.category, grade=person.grade, gender=person.gender,
        birth_date=person.birth_date, ethnicity=person.ethnicity, education=person.education,
        region_id=person.county.id, region_code=person.county.code,
        urban_rural=person.urban_rural, phone=person.phone,
        phone_hash=phone_hash_of(person.phone), employment_status=person.employment_status,
        flags=person.flags,
    )


def _insert_copy(people: list[FakePerson], now: dt.datetime) -> None:
    """COPY straight into the table; if an ID is already registered, COPY the batch into a
    staging table instead and insert what is new (twice as slow, so only then)."""
    table = Person._meta.db_table
    columns = ", ".join(COPY_COLUMNS)
    rows = [_copy_row(person, now) for person in people]
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor: Django's wrapper has no COPY
        try:
            with transaction.atomic(), cursor.copy(
                f"COPY {table} ({columns}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        except UniqueViolation:
            pass
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS gen_stage ON COMMIT DELETE ROWS "
                       f"AS SELECT {columns} FROM {table} WITH NO DATA")
        with cursor.copy(f"COPY gen_stage ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM gen_stage "
                       f"ON CONFLICT (id_hash) DO NOTHING")


def insert_persons(*, count: int, counties: Sequence[County], batch: int = 5000,
                   seed: int | None = None, method: str = "auto",
                   report: Any = None) -> int:
    """Insert ``count`` generated persons; returns the number actually inserted."""
    factory = PersonFactory(counties, seed=seed)
    use_copy = method == "copy" or (method == "auto" and connection.vendor == "postgresql")
    before = Person.objects.count()
    if connection.vendor == "postgresql":  # benchmark data: a crash may lose the last batch
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
    done = 0
    started = time.perf_counter()
    while done < count:
        size = min(batch, count - done)
        people = [factory.person() for _ in range(size)]
        now = timezone.now()
        with transaction.atomic():
            if use_copy:
                _insert_copy(people, now)
            else:
                Person.objects.bulk_create([_model(p, now) for p in people],
                                           batch_size=1000, ignore_conflicts=True)
        done += size
        if report is not None:
            elapsed = time.perf_counter() - started
            report(f"{done:,} / {count:,}  {done / elapsed:,.0f} rows/s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Person._meta.db_table}")
    return Person.objects.count() - before


# --- Import files ------------------------------------------------------------------------


def _canonical(person: FakePerson) -> dict[str, Any]:
    return {
        "name": person.name, "id_number": person.id_number,
        "certificate_number": person.certificate_number,
        "category": CATEGORY_WORDS[person.category], "grade": GRADE_WORDS[person.grade],
        "gender": "男" if person.gender == "M" else "女", "birth_date": person.birth_date,
        "ethnicity": person.ethnicity, "education": EDUCATION_WORDS[person.education],
        "region": person.county.code, "urban_rural": URBAN_WORDS[person.urban_rural][0],
        "phone": person.phone, "employment_status": EMPLOYMENT_WORDS[person.employment_status],
        "notes": "",
    }


def _spaced(text: str, rng: random.Random) -> str:
    cut = rng.randrange(1, len(text))
    return text[:cut] + rng.choice((" ", "\u3000")) + text[cut:]


def _messy_good(row: dict[str, Any], person: FakePerson, rng: random.Random,
                unique_names: set[str]) -> dict[str, Any]:
    """The same person as a clerk types it: legal variations only."""
    number = person.id_number
    if number.endswith("X") and rng.random() < 0.7:
        number = number[:-1] + "x"
    if rng.random() < 0.1:
        number = number.translate(FULL_WIDTH)
    if rng.random() < 0.1:
        number = _spaced(number, rng)
    row["id_number"] = number
    if rng.random() < 0.1:
        row["name"] = rng.choice((" ", "\u3000")) + person.name + " "
    row["category"] = rng.choice((row["category"], row["category"] + "残疾", person.category))
    row["grade"] = rng.choice((row["grade"], person.grade, person.grade + "级"))
    row["birth_date"] = rng.choice((
        person.birth_date, "", person.birth_date.strftime("%Y%m%d"),
        f"{person.birth_date.year}/{person.birth_date.month}/{person.birth_date.day}",
        f"{person.birth_date.year}年{person.birth_date.month}月{person.birth_date.day}日",
    ))
    if rng.random() < 0.3:
        row["ethnicity"] = person.ethnicity[:-1]
    county = person.county
    forms = [county.code, county.full_name]
    if county.name in unique_names:
        forms.append(county.name)
    row["region"] = rng.choice(forms)
    row["urban_rural"] = rng.choice(URBAN_WORDS[person.urban_rural])
    if person.phone and rng.random() < 0.3:
        phone = person.phone
        row["phone"] = rng.choice((f"{phone[:3]} {phone[3:7]} {phone[7:]}", "+86" + phone,
                                   phone.translate(FULL_WIDTH)))
    return row


def _other_digit(rng: random.Random, digit: str, choices: str) -> str:
    return rng.choice([c for c in choices if c != digit])


def _break_id(person: FakePerson, rng: random.Random, code: str) -> str | float:
    number = person.id_number
    if code == "id_checksum":
        return number[:17] + _other_digit(rng, number[17], "0123456789X")
    if code == "id_format":
        return number[:16]
    if code == "id_mangled":  # a number cell (Excel shows 4.30102E+17), or its text
        return float(number[:17] + "0") if rng.random() < 0.7 else "4.30102E+17"
    first17 = ("99" + number[2:17] if code == "id_region"
               else number[:10] + "13" + number[12:17])  # id_birthdate: month 13
    return first17 + id_check_character(first17)


# Each planted error: the column it changes and how (person, rng) give the bad value.
_BREAKERS: dict[str, tuple[str, Callable[[FakePerson, random.Random], Any]]] = {
    "required": ("name", lambda p, r: ""),
    "cert_format": ("certificate_number", lambda p, r: p.certificate_number[:19]),
    "cert_id_mismatch": ("certificate_number", lambda p, r: make_id_number(
        p.county.code, p.birth_date + dt.timedelta(days=1), 999) + p.category + p.grade),
    "category_mismatch": ("category", lambda p, r: CATEGORY_WORDS[
        _other_digit(r, p.category, "1234567")]),
    "grade_mismatch": ("grade", lambda p, r: GRADE_WORDS[_other_digit(r, p.grade, "1234")]),
    "gender_mismatch": ("gender", lambda p, r: "女" if p.gender == "M" else "男"),
    "birthdate_mismatch": ("birth_date", lambda p, r: p.birth_date + dt.timedelta(days=2)),
    "region_unknown": ("region", lambda p, r: "火星市桃源区"),
    "enum_invalid": ("education", lambda p, r: "幼儿园大班"),
    "phone_format": ("phone", lambda p, r: "12345"),
    "date_format": ("birth_date", lambda p, r: "1990-13-45"),
    "category_invalid": ("category", lambda p, r: "视觉障碍"),
    "grade_invalid": ("grade", lambda p, r: "五级"),
} | {code: ("id_number", lambda p, r, code=code: _break_id(p, r, code))
     for code in ("id_checksum", "id_format", "id_mangled", "id_region", "id_birthdate")}


def _plant(code: str, row: dict[str, Any], person: FakePerson, rng: random.Random,
           earlier_ids: list[str]) -> dict[str, Any]:
    """Break ``row`` so that the rules (or the engine, for duplicates) reject it with
    ``code`` and nothing else."""
    if code == "duplicate_in_file":
        return dict(row, id_number=earlier_ids[0],
                    certificate_number=earlier_ids[0] + person.category + person.grade,
                    gender="", birth_date="")
    column, bad_value = _BREAKERS[code]
    return dict(row, **{column: bad_value(person, rng)})


def roster_rows(*, count: int, counties: Sequence[County], messy: bool, seed: int | None,
                bad_share: float = 0.03) -> Iterator[tuple[dict[str, Any] | None, str]]:
    """``(row by field key, expected code or "")``; ``(None, "")`` is a blank line."""
    factory = PersonFactory(counties, seed=seed)
    rng = factory.rng
    names: dict[str, int] = {}
    for county in counties:
        names[county.name] = names.get(county.name, 0) + 1
    unique_names = {name for name, n in names.items() if n == 1}
    earlier: list[str] = []
    planted = 0
    for index in range(count):
        person = factory.person()
        row = _canonical(person)
        code = ""
        if messy:
            if rng.random() < 0.005:
                yield None, ""
            row = _messy_good(row, person, rng, unique_names)
            if index > 0 and rng.random() < bad_share:
                code = BAD_CODES[planted % len(BAD_CODES)]
                planted += 1
                row = _plant(code, row, person, rng, earlier)
        if len(earlier) < 10 and not code:
            earlier.append(person.id_number)
        yield row, code


def write_roster(path: str | Path, *, count: int, counties: Sequence[County],
                 messy: bool = False, seed: int | None = None) -> dict[int, str]:
    """Write a person roster; returns {spreadsheet row number: expected error code}."""
    rng = random.Random(seed)
    fields = [key for key, _header, _aliases in TEMPLATE]
    headers = {key: main for key, main, _aliases in TEMPLATE}
    if messy:
        rng.shuffle(fields)
        for key, _main, aliases in TEMPLATE:
            if aliases and rng.random() < 0.7:
                headers[key] = rng.choice(aliases)
    expected: dict[int, str] = {}
    header_row = 2 if messy else 0  # a title and an empty row above the header when messy
    blank = dict.fromkeys(fields)

    def records() -> Iterator[dict[str, Any]]:
        line = header_row + 1  # 0-based sheet row of the next record
        for row, code in roster_rows(count=count, counties=counties, messy=messy, seed=seed):
            if code:
                expected[line + 1] = code
            yield {headers[key]: (row or blank).get(key) for key in fields}
            line += 1

    merges = [(0, 0, 0, 5, "2024年长沙市残疾人职业培训学员花名册")] if messy else None
    (
        FastExcel(path)
        .format(bold_headers=True, datetime_format="yyyy-mm-dd")
        .sheet("花名册", records(), header_row=header_row, merge_ranges=merges,
               column_widths=[20.0] * len(fields))
        .save()
    )
    return expected


class Command(BaseCommand):
    help = "Generate realistic persons into the database (benchmarks) or an import file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--region-prefix", default="43",
                            help="counties whose code starts with this (default 43: Hunan)")
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--method", choices=("auto", "copy", "bulk_create"), default="auto")
        parser.add_argument("--xlsx", help="write an import file here instead of the database")
        parser.add_argument("--messy", action="store_true",
                            help="with --xlsx: a real-world file with ~3%% bad rows")

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["count"]
        if count < 1:
            raise CommandError("--count must be at least 1.")
        counties = counties_under(options["region_prefix"])
        started = time.perf_counter()
        if options["xlsx"]:
            expected = write_roster(options["xlsx"], count=count, counties=counties,
                                    messy=options["messy"], seed=options["seed"])
            elapsed = time.perf_counter() - started
            self.stdout.write(f"{count:,} rows written to {options['xlsx']} in {elapsed:.1f} s; "
                              f"{len(expected)} bad rows planted")
            return
        inserted = insert_persons(
            count=count, counties=counties, batch=options["batch"], seed=options["seed"],
            method=options["method"], report=lambda line: self.stderr.write(line),
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{inserted:,} persons inserted in {elapsed:.1f} s "
                          f"({inserted / max(elapsed, 1e-9):,.0f} rows/s)")
