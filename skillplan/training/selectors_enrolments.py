"""Scoped reads of the roster: a class's enrolments, the registry search that feeds the roster,
and a person's classes for the person's page.

The search never shows a person outside the user's reach (``services.enrolments
.person_in_reach``): federation staff search their area's registry by name or full ID number
(through the people app's selectors); provider staff, who do not see the registry, find one
person by the full ID number only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from skillplan.accounts import roles
from skillplan.accounts.scoping import Reach, restrict, scope_of
from skillplan.core.errors import RuleError
from skillplan.people.models import Person
from skillplan.people.selectors import (
    PersonFilters,
    looks_like_id_number,
    person_queryset,
    search_id_number,
)
from skillplan.people.services import id_hash_of
from skillplan.training.eligibility import eligibility_problems
from skillplan.training.models import Enrolment, TrainingClass

SEARCH_LIMIT = 20


def roster(training_class: TrainingClass) -> QuerySet[Enrolment]:
    """The class's enrolments (the caller got the class through a scoped selector): enrolled
    first, then withdrawn, each in the order they joined."""
    return (Enrolment.objects.filter(training_class=training_class)
            .select_related("person", "person__region")
            .order_by("status", "enrolled_on", "id"))  # "enrolled" < "withdrawn"


@dataclass
class Candidate:
    """A person found by the roster search, with the reasons they may not join (if any)."""

    person: Person
    problems: list[RuleError] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.problems


@dataclass
class Search:
    candidates: list[Candidate]
    more: bool = False  # more persons matched than are shown
    by_id_number: bool = False


def _registry_reach(user: Any) -> bool:
    return bool(user.has_perm(roles.VIEW_PERSON)) and scope_of(user).reach in (
        Reach.PROVINCE, Reach.REGION)


def may_search_by_name(user: Any) -> bool:
    return _registry_reach(user)


def _found(user: Any, text: str) -> tuple[QuerySet[Person], bool]:
    if looks_like_id_number(text):
        id_hash = id_hash_of(search_id_number(text))  # RuleError: not a valid ID number
        if _registry_reach(user):
            return person_queryset(user=user, filters=PersonFilters(id_hash=id_hash)), True
        if scope_of(user).reach == Reach.PROVIDER:
            return Person.objects.filter(id_hash=id_hash, merged_into__isnull=True), True
        return Person.objects.none(), True
    if not _registry_reach(user):
        return Person.objects.none(), False
    return person_queryset(user=user, filters=PersonFilters(q=text)), False


def enrolment_candidates(*, user: Any, training_class: TrainingClass, text: str,
                         limit: int = SEARCH_LIMIT) -> Search:
    """Persons matching ``text`` (a name's beginning, or a full ID number) whom ``user`` may
    enrol, each with their eligibility problems for ``training_class``.

    Raises RuleError (the ID rule's code) when ``text`` looks like an ID number but is none.
    """
    text = text.strip()
    if not text:
        return Search([])
    people, by_id = _found(user, text)
    rows = list(people.select_related("region").order_by("name", "-id")[: limit + 1])
    candidates = [Candidate(person, eligibility_problems(training_class=training_class,
                                                         person=person))
                  for person in rows[:limit]]
    return Search(candidates, more=len(rows) > limit, by_id_number=by_id)


def person_by_id_number(*, user: Any, id_number: str) -> Person | None:
    """The person with this full ID number whom ``user`` may enrol, or None (also when the
    person is outside the user's reach). RuleError when the text is no valid ID number."""
    text = id_number.strip()
    number = search_id_number(text)  # RuleError: not a valid ID number
    people, _by_id = _found(user, number)
    return people.first()


def person_enrolments(*, user: Any, person: Person) -> list[tuple[Enrolment, bool]]:
    """The classes of a person the user may see (the person's page checked that), newest first,
    each with whether the user may open the class."""
    enrolments = list(Enrolment.objects.filter(person=person)
                      .select_related("training_class", "training_class__provider")
                      .order_by("-training_class__start_date", "-id"))
    visible = set(restrict(TrainingClass.objects.filter(
        pk__in=[e.training_class_id for e in enrolments]), user,
        permission=roles.VIEW_CLASS).values_list("pk", flat=True)) if enrolments else set()
    return [(enrolment, enrolment.training_class_id in visible) for enrolment in enrolments]
