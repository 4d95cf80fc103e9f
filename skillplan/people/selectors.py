"""Scoped reads of the registry. Lists use keyset pagination (no COUNT on millions of rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from skillplan.accounts.scoping import get_in_scope, restrict
from skillplan.core.disability import DisabilityCategory
from skillplan.core.errors import RuleError
from skillplan.core.idnumber import parse_id_number
from skillplan.people.choices import AGE_BANDS, Gender, UrbanRural
from skillplan.people.models import Person
from skillplan.people.permissions import VIEW_PERSON
from skillplan.people.services import id_hash_of

DERIVED_GROUPS = {
    "women": Q(gender=Gender.FEMALE),
    "blind": Q(category=DisabilityCategory.VISUAL),
    "rural": Q(urban_rural=UrbanRural.RURAL),
    "student": Q(employment_status="student"),
}


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""  # a name, or a full ID number
    id_hash: str = ""  # a full ID number's lookup hash (the list page never puts IDs in URLs)
    region_code: str = ""
    category: str = ""
    grade: str = ""
    gender: str = ""
    age_band: str = ""
    urban_rural: str = ""
    employment_status: str = ""
    special_group: str = ""  # a derived group key or a SpecialGroup bit
    working_age: str = ""  # "yes" / "no"


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _born_between(today: date, low_age: int, high_age: int) -> Q:
    """Persons whose age today lies in [low_age, high_age]."""
    latest = _years_ago(today, low_age)
    earliest = _years_ago(today, high_age + 1)
    return Q(birth_date__gt=earliest, birth_date__lte=latest)


def working_age_q(today: date) -> Q:
    condition = Q()
    for gender, (low, high) in settings.SKILLPLAN_WORKING_AGE.items():
        condition |= Q(gender=gender) & _born_between(today, low, high)
    return condition


def looks_like_id_number(text: str) -> bool:
    compact = text.replace(" ", "")
    return len(compact) in (15, 18) and compact[:15].isdigit()


def search_id_number(text: str) -> str:
    """A typed ID number, normalised (a 15-digit one converted); :class:`RuleError` with the
    ID rule's message when it is no valid ID number (say, a mistyped check digit)."""
    return parse_id_number(text.replace(" ", "")).number


def search_id_hash(text: str) -> str:
    """The lookup hash of a typed ID number (one matching nobody when it is not valid)."""
    try:
        return id_hash_of(search_id_number(text))
    except RuleError:
        return "0" * 64  # matches nobody


def _search(people: QuerySet[Person], text: str) -> QuerySet[Person]:
    if looks_like_id_number(text):
        return people.filter(id_hash=search_id_hash(text))
    return people.filter(name__startswith=text)


def _apply_filters(people: QuerySet[Person], filters: PersonFilters, today: date
                   ) -> QuerySet[Person]:
    if filters.q:
        people = _search(people, filters.q.strip())
    if filters.id_hash:
        people = people.filter(id_hash=filters.id_hash)
    if filters.region_code:
        people = people.filter(region_code__startswith=filters.region_code)
    for name in ("category", "grade", "gender", "urban_rural", "employment_status"):
        value = getattr(filters, name)
        if value:
            people = people.filter(**{name: value})
    if filters.age_band in AGE_BANDS:
        low, high = AGE_BANDS[filters.age_band]
        people = people.filter(_born_between(today, low, high))
    if filters.working_age in ("yes", "no"):
        condition = working_age_q(today)
        people = people.filter(condition if filters.working_age == "yes" else ~condition)
    if filters.special_group in DERIVED_GROUPS:
        people = people.filter(DERIVED_GROUPS[filters.special_group])
    elif filters.special_group.isdigit():
        bit = int(filters.special_group)
        people = people.annotate(_group=F("flags").bitand(bit)).filter(_group=bit)
    return people


def person_queryset(*, user: Any, filters: PersonFilters | None = None,
                    today: date | None = None) -> QuerySet[Person]:
    """Every person the user may see that matches, newest first (live records only)."""
    people = restrict(Person.objects.all(), user, permission=VIEW_PERSON).filter(
        merged_into__isnull=True)
    return _apply_filters(people, filters or PersonFilters(), today or date.today()).order_by(
        "-id")


def person_page(*, user: Any, filters: PersonFilters | None = None, after: int | None = None,
                limit: int = 50) -> tuple[list[Person], int | None]:
    """One page (keyset on id, newest first) and the cursor of the next page, if any."""
    people = person_queryset(user=user, filters=filters).select_related("region")
    if after:
        people = people.filter(id__lt=after)
    rows = list(people[: limit + 1])
    next_after = rows[limit - 1].pk if len(rows) > limit else None
    return rows[:limit], next_after


def person_get(*, user: Any, pk: int) -> Person:
    return get_in_scope(
        Person.objects.select_related("region", "region__parent", "merged_into"), user,
        permission=VIEW_PERSON, pk=pk,
    )


def person_visible(*, user: Any, pk: int | None) -> bool:
    """Whether the user may open the person ``pk`` (say, the record a tombstone points at)."""
    return pk is not None and restrict(Person.objects.filter(pk=pk), user,
                                       permission=VIEW_PERSON).exists()


def person_duplicate_groups(*, user: Any, limit: int = 200) -> list[dict[str, Any]]:
    """Probable duplicates in scope: the same name and birth date under different ID numbers,
    or the same phone number. Three queries whatever the number of groups: the keys of each
    kind of group, then every member of the chosen groups at once, grouped here."""
    people = person_queryset(user=user)
    same_name = [(key["name"], key["birth_date"]) for key in (
        people.order_by("name", "birth_date").values("name", "birth_date")
        .annotate(n=Count("id")).filter(n__gt=1)[:limit])]
    same_phone = [key["phone_hash"] for key in (
        people.exclude(phone_hash="").order_by("phone_hash").values("phone_hash")
        .annotate(n=Count("id")).filter(n__gt=1)[:limit])]
    if not same_name and not same_phone:
        return []
    chosen = Q(phone_hash__in=same_phone) if same_phone else Q(pk__in=[])
    for name, birth_date in same_name:
        chosen |= Q(name=name, birth_date=birth_date)
    by_name: dict[tuple[str, date], list[Person]] = {key: [] for key in same_name}
    by_phone: dict[str, list[Person]] = {key: [] for key in same_phone}
    for person in people.filter(chosen).select_related("region"):
        if (person.name, person.birth_date) in by_name:
            by_name[(person.name, person.birth_date)].append(person)
        if person.phone_hash in by_phone:
            by_phone[person.phone_hash].append(person)
    return ([{"reason": "name_birth", "members": members} for members in by_name.values()]
            + [{"reason": "phone", "members": members} for members in by_phone.values()])
