"""Demo persons: a few thousand realistic, made-up records across Hunan's 14 cities.

``seed_persons()`` is deterministic (seeded random numbers, a fixed reference day) and
idempotent (records whose ID number is already registered are skipped), so ``seed_demo`` can
run again and again. It plants probable duplicates on purpose, for the duplicates report:

- 5 pairs with the same name and birth date under different ID numbers;
- 3 pairs of different persons sharing one phone number (a relative's phone).

The 芙蓉区 county (the demo county clerk's) holds at least 50 persons, one of them linked to
the ``demo_trainee`` account. Every ID and certificate number is valid (checksum, the county's
6-digit prefix, the category and grade digits) and entirely fictitious.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from skillplan.accounts.models import User
from skillplan.audit.services import audit_record
from skillplan.core.idnumber import make_id_number
from skillplan.people.choices import SpecialGroup
from skillplan.people.models import Person
from skillplan.people.services import id_hash_of, phone_hash_of
from skillplan.regions.models import Region, RegionLevel

REFERENCE_DAY = date(2025, 7, 1)  # ages are drawn relative to this day: same data every run
FURONG = "430102"
TRAINEE_USERNAME = "demo_trainee"

# Rough weight of each city in the province's disabled population.
CITY_WEIGHTS = {
    "4301": 14, "4302": 7, "4303": 5, "4304": 11, "4305": 11, "4306": 8, "4307": 9,
    "4308": 3, "4309": 7, "4310": 7, "4311": 8, "4312": 7, "4313": 6, "4331": 4,
}  # fmt: skip
# Category code → weight: physical most common, then hearing, visual, intellectual, mental,
# speech, multiple (roughly the second national sample survey's shares).
CATEGORY_WEIGHTS = {"4": 42, "2": 18, "1": 12, "5": 10, "6": 9, "3": 5, "7": 4}
GRADE_WEIGHTS = {"1": 8, "2": 17, "3": 33, "4": 42}
# Ethnicity by city where minorities are many; elsewhere almost everyone is 汉族.
ETHNICITY_WEIGHTS = {
    "4331": {"土家族": 40, "苗族": 33, "汉族": 25, "白族": 2},
    "4308": {"土家族": 60, "汉族": 34, "白族": 5, "苗族": 1},
    "4312": {"汉族": 55, "侗族": 22, "苗族": 15, "瑶族": 4, "土家族": 4},
    "4311": {"汉族": 88, "瑶族": 12},
    "4305": {"汉族": 93, "苗族": 6, "瑶族": 1},
}
DEFAULT_ETHNICITY = {"汉族": 98, "土家族": 1, "回族": 1}

SURNAMES = {
    "刘": 9, "李": 8, "王": 7, "陈": 7, "张": 6, "周": 5, "彭": 4, "谭": 4, "曾": 4, "邓": 4,
    "唐": 4, "罗": 4, "胡": 4, "杨": 4, "黄": 4, "吴": 3, "肖": 3, "欧阳": 1, "龙": 2,
    "田": 2, "向": 2, "石": 2, "贺": 2, "蒋": 2, "廖": 2, "易": 2, "谢": 2, "朱": 2, "何": 2,
    "赵": 2, "段": 1, "雷": 1, "颜": 1, "钟": 1, "姚": 1, "麻": 1, "滕": 1, "符": 1, "舒": 1,
}  # fmt: skip
MINORITY_SURNAMES = {"4331": "彭田向龙石吴杨麻滕", "4308": "向田覃张李", "4312": "杨吴龙石粟"}
MALE_GIVEN = "伟强军勇杰涛明华平刚建国志文斌波辉鹏飞宇浩俊峰磊超林海东亮新春永德"
FEMALE_GIVEN = "芳丽娟敏静秀英华玲霞燕红梅兰琴艳萍娜慧婷雪云凤桂香洁颖佳欣怡"

PLANTED_NAME_BIRTH = [  # (first county, second county) of the 5 same-name-and-birth pairs
    (FURONG, FURONG), (FURONG, "430103"), ("430104", "430121"), ("430405", "430421"),
    ("433101", "433123"),
]  # fmt: skip
PLANTED_PHONE = [(FURONG, "430105"), ("430181", "430181"), ("433101", "433101")]


@dataclass(frozen=True)
class _Draft:
    name: str
    id_number: str
    category: str
    grade: str
    gender: str
    birth_date: date
    region_code: str
    ethnicity: str
    education: str
    urban_rural: str
    phone: str
    employment_status: str
    flags: int

    @property
    def certificate_number(self) -> str:
        return self.id_number + self.category + self.grade


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Generator:
    """Draws persons one by one; ID numbers, phones and (name, birth date) never repeat."""

    def __init__(self, seed: str, county_names: dict[str, str]) -> None:
        self.rng = random.Random(seed)
        self.county_names = county_names
        self.counties_by_city: dict[str, list[str]] = {}
        for code in sorted(county_names):
            self.counties_by_city.setdefault(code[:4], []).append(code)
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()
        self.used_name_birth: set[tuple[str, date]] = set()

    def county(self) -> str:
        city = _pick(self.rng, {code: w for code, w in CITY_WEIGHTS.items()
                                if code in self.counties_by_city})
        return self.rng.choice(self.counties_by_city[city])

    def _age(self) -> int:
        roll = self.rng.random()
        if roll < 0.04:
            return self.rng.randint(6, 15)
        if roll < 0.94:  # working years, a little more common as age rises
            return min(65, 16 + int(50 * self.rng.random() ** 0.8))
        return self.rng.randint(66, 80)

    def _name(self, gender: str, city: str) -> str:
        rng = self.rng
        local = MINORITY_SURNAMES.get(city)
        surname = rng.choice(local) if local and rng.random() < 0.5 else _pick(rng, SURNAMES)
        pool = FEMALE_GIVEN if gender == "F" else MALE_GIVEN
        given = "".join(rng.choice(pool) for _ in range(1 if rng.random() < 0.3 else 2))
        return surname + given

    def id_number(self, county: str, birth: date, gender: str) -> str:
        while True:
            seq = self.rng.randrange(0, 1000)
            if (seq % 2 == 1) != (gender == "M"):
                seq = (seq + 1) % 1000
            number = make_id_number(county, birth, seq)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def phone(self) -> str:
        while True:
            number = "1" + self.rng.choice("3578") + "".join(
                self.rng.choice("0123456789") for _ in range(9))
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def _employment(self, age: int) -> str:
        rng = self.rng
        if age < 16 or (age <= 22 and rng.random() < 0.4):
            return "student"
        if age > 60:
            return "other" if rng.random() < 0.6 else "unemployed"
        return _pick(rng, {"employed": 36, "unemployed": 52, "other": 12})

    def _education(self, age: int) -> str:
        if age < 12:
            return "primary"
        weights = {"none": 8, "primary": 30, "junior": 35, "senior": 10, "vocational": 9,
                   "college": 5, "bachelor": 3}
        if age > 55:
            weights = {"none": 25, "primary": 45, "junior": 22, "senior": 6, "vocational": 2}
        return _pick(self.rng, weights)

    def _flags(self, city: str, gender: str) -> int:
        rng = self.rng
        flags = SpecialGroup.LOW_INCOME.value if rng.random() < 0.12 else 0
        if rng.random() < (0.03 if city in MINORITY_SURNAMES else 0.004):
            flags |= SpecialGroup.HERITAGE_BEARER.value
        if rng.random() < 0.01:
            flags |= SpecialGroup.COMPETITION_WINNER.value
        if gender == "M" and rng.random() < 0.015:
            flags |= SpecialGroup.VETERAN.value
        return flags

    def person(self, county: str) -> _Draft:
        rng, city = self.rng, county[:4]
        gender = "F" if rng.random() < 0.45 else "M"
        while True:
            age = self._age()
            birth = REFERENCE_DAY - timedelta(days=365 * age + rng.randrange(0, 365))
            name = self._name(gender, city)
            if (name, birth) not in self.used_name_birth:
                self.used_name_birth.add((name, birth))
                break
        district = self.county_names[county].endswith("区")
        return _Draft(
            name=name,
            id_number=self.id_number(county, birth, gender),
            category=_pick(rng, CATEGORY_WEIGHTS),
            grade=_pick(rng, GRADE_WEIGHTS),
            gender=gender,
            birth_date=birth,
            region_code=county,
            ethnicity=_pick(rng, ETHNICITY_WEIGHTS.get(city, DEFAULT_ETHNICITY)),
            education=self._education(age),
            urban_rural="rural" if rng.random() < (0.35 if district else 0.75) else "urban",
            phone=self.phone() if rng.random() < 0.7 else "",
            employment_status=self._employment(age),
            flags=self._flags(city, gender),
        )


def _planted(gen: _Generator) -> list[_Draft]:
    drafts: list[_Draft] = []
    for first, second in PLANTED_NAME_BIRTH:  # one person registered twice, two ID numbers
        original = gen.person(first)
        twin = replace(original, region_code=second, phone="",
                       id_number=gen.id_number(second, original.birth_date, original.gender))
        drafts += [original, twin]
    for first, second in PLANTED_PHONE:  # a parent's phone given for two family members
        original = gen.person(first)
        if not original.phone:
            original = replace(original, phone=gen.phone())
        drafts += [original, replace(gen.person(second), phone=original.phone)]
    return drafts


TRAINEE_BIRTH = date(1998, 3, 12)


def _trainee() -> _Draft:
    """周小明 of 芙蓉区, the person behind the ``demo_trainee`` account."""
    return _Draft(
        name="周小明", id_number=make_id_number(FURONG, TRAINEE_BIRTH, 135), category="4",
        grade="3",
        gender="M", birth_date=TRAINEE_BIRTH, region_code=FURONG, ethnicity="汉族",
        education="vocational", urban_rural="urban", phone="", employment_status="unemployed",
        flags=0,
    )


def _drafts(count: int, county_names: dict[str, str]) -> list[_Draft]:
    """The same list for the same ``count``; a longer list starts with the shorter one."""
    planted = _planted(_Generator("skillplan-demo-planted", county_names))
    gen = _Generator("skillplan-demo-persons", county_names)
    gen.used_ids |= {draft.id_number for draft in planted}
    gen.used_phones |= {draft.phone for draft in planted if draft.phone}
    gen.used_name_birth |= {(draft.name, draft.birth_date) for draft in planted}
    trainee = _trainee()
    gen.used_ids.add(trainee.id_number)
    gen.used_name_birth.add((trainee.name, trainee.birth_date))
    drafts = [*planted, trainee]
    furong_quota = min(60, max(0, count // 5))
    while len(drafts) < count:
        county = FURONG if len(drafts) < len(planted) + 1 + furong_quota else gen.county()
        drafts.append(gen.person(county))
    return drafts[:max(count, 0)]


def _county_regions() -> dict[str, Region]:
    """Hunan's current counties, without the development and management zones (code 7x),
    which issue no ID numbers."""
    regions = Region.objects.filter(level=RegionLevel.COUNTY, valid_to__isnull=True,
                                    code__startswith="43")
    return {region.code: region for region in regions if region.code[4] != "7"}


@transaction.atomic
def seed_persons(count: int = 3000) -> int:
    """Create ``count`` demo persons (minus those already there); returns how many were new."""
    regions = _county_regions()
    if not regions:
        return 0
    drafts = _drafts(count, {code: region.name for code, region in regions.items()})
    hashes = {id_hash_of(draft.id_number): draft for draft in drafts}
    existing: set[str] = set()
    keys = list(hashes)
    for start in range(0, len(keys), 900):
        existing.update(Person.objects.filter(id_hash__in=keys[start:start + 900])
                        .values_list("id_hash", flat=True))
    trainee_hash = id_hash_of(_trainee().id_number)
    trainee_user = User.objects.filter(username=TRAINEE_USERNAME).first()
    if trainee_user is not None and not Person.objects.filter(user=trainee_user).exists():
        # Link the account to its person, whether that record is new or already there.
        Person.objects.filter(id_hash=trainee_hash, user__isnull=True).update(user=trainee_user)
    else:
        trainee_user = None
    now = timezone.now()
    new_people = []
    for digest, draft in hashes.items():
        if digest in existing:
            continue
        region = regions[draft.region_code]
        person = Person(
            name=draft.name, id_number=draft.id_number, id_hash=digest,
            certificate_number=draft.certificate_number, category=draft.category,
            grade=draft.grade, gender=draft.gender, birth_date=draft.birth_date,
            ethnicity=draft.ethnicity, education=draft.education, region=region,
            region_code=region.code, urban_rural=draft.urban_rural, phone=draft.phone,
            phone_hash=phone_hash_of(draft.phone), employment_status=draft.employment_status,
            flags=draft.flags, created_at=now, updated_at=now,
        )
        if digest == trainee_hash:
            person.user = trainee_user
        new_people.append(person)
    Person.objects.bulk_create(new_people, batch_size=500)
    if new_people:
        audit_record(actor=None, event="person.demo_seeded", region_code="43",
                     after={"created": len(new_people), "demo": True})
    return len(new_people)
