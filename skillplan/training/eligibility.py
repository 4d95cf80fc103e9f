"""Who may join a class: the eligibility rules of enrolment, with reasons a clerk can act on.

``eligibility_problems`` returns every rule a person breaks for a class (an empty list: the
person may be enrolled); the enrolment service raises the first one, the roster search shows
them all before anyone presses "Enrol", and the roster import reports them per row. Codes:

- ``already_enrolled``: the person is on this class's roster already;
- ``cert_invalid``: no valid disability certificate (missing, malformed, not the person's ID
  number) or the record was merged into another one;
- ``age_out_of_range``: outside working age (``settings.SKILLPLAN_WORKING_AGE`` by gender) on
  the first day of the class, for the types in :data:`WORKING_AGE_TYPES`;
- ``category_not_served``: the catalog project does not serve the person's disability category
  (a project with no categories serves all);
- ``class_overlap``: the person is enrolled in another, not cancelled class whose dates overlap.

Capacity (``class_full``) is not checked here: only the conditional UPDATE of the enrolment
service can answer it safely under concurrency.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skillplan.catalog.choices import TrainingType
from skillplan.core.disability import DisabilityCategory, parse_certificate_number
from skillplan.core.errors import RuleError
from skillplan.people.models import Person
from skillplan.training.choices import ClassStatus, EnrolmentStatus
from skillplan.training.models import Enrolment, TrainingClass

# Training types that require working age (就业年龄段). The 2022 plan (§3.1.1) directs
# "职业技能培训、岗位技能提升培训或创业培训" at "就业年龄段未就业残疾人": employment skills,
# on-the-job upgrading and entrepreneurship; massage training is occupational training for
# work as a masseur. Rural practical skills, special (heritage, 美丽工坊 — also for family
# members) and mid/high-skill talent training (in-school students, heritage bearers of any
# age) have no age limit. A deployment may replace the set with the setting
# ``SKILLPLAN_WORKING_AGE_TYPES`` (a list of TrainingType values).
WORKING_AGE_TYPES: frozenset[str] = frozenset({
    TrainingType.EMPLOYMENT, TrainingType.MASSAGE, TrainingType.ON_THE_JOB,
    TrainingType.ENTREPRENEURSHIP,
})


def working_age_types() -> frozenset[str]:
    configured = getattr(settings, "SKILLPLAN_WORKING_AGE_TYPES", None)
    return frozenset(configured) if configured is not None else WORKING_AGE_TYPES


def requires_working_age(training_class: TrainingClass) -> bool:
    return training_class.training_type in working_age_types()


def _certificate_problem(person: Person) -> RuleError | None:
    if person.merged_into_id is not None:
        return RuleError("cert_invalid", _(
            "This record was merged into another one: enrol the person from the record it was "
            "merged into."))
    if not person.certificate_number:
        return RuleError("cert_invalid", _(
            "The person has no disability certificate number in the registry."))
    try:
        parse_certificate_number(person.certificate_number, id_number=person.id_number)
    except RuleError as error:
        return RuleError("cert_invalid", _(
            "The person's disability certificate is not valid: %(reason)s")
            % {"reason": error.message})
    return None


def _age_problem(training_class: TrainingClass, person: Person) -> RuleError | None:
    if not requires_working_age(training_class):
        return None
    low, high = settings.SKILLPLAN_WORKING_AGE[person.gender]
    age = person.age_on(training_class.start_date)
    if low <= age <= high:
        return None
    return RuleError("age_out_of_range", _(
        "On the first day of the class (%(day)s) the person is %(age)s years old; this type of "
        "training is for people of working age (%(low)s to %(high)s).") % {
        "day": training_class.start_date.isoformat(), "age": age, "low": low,
        "high": high})


def person_category(person: Person) -> str:
    """The disability category digit: the record's, else digit 19 of the certificate number."""
    if person.category:
        return person.category
    number = person.certificate_number or ""
    return number[18] if len(number) == 20 else ""


def _category_problem(training_class: TrainingClass, person: Person) -> RuleError | None:
    served = training_class.project.categories
    category = person_category(person)
    if not served or (category and category in served):
        return None
    labels = "、".join(str(DisabilityCategory(code).label) for code in served
                      if code in DisabilityCategory.values)
    if not category:
        return RuleError("category_not_served", _(
            "The person's disability category is not recorded; this project serves only: "
            "%(served)s.") % {"served": labels})
    return RuleError("category_not_served", _(
        "This project does not serve the person's disability category (%(category)s); it "
        "serves: %(served)s.") % {"category": DisabilityCategory(category).label,
                                  "served": labels})


def _roster_problems(training_class: TrainingClass, person: Person,
                     exclude_enrolment_id: int | None) -> list[RuleError]:
    """Already on this roster, or on the roster of another class at the same time (one query)."""
    same_time = (Q(training_class__start_date__lte=training_class.end_date,
                   training_class__end_date__gte=training_class.start_date)
                 & ~Q(training_class__status=ClassStatus.CANCELLED))
    others = (Enrolment.objects.filter(person_id=person.pk, status=EnrolmentStatus.ENROLLED)
              .filter(Q(training_class_id=training_class.pk) | same_time)
              .select_related("training_class").order_by("training_class__start_date"))
    if exclude_enrolment_id is not None:
        others = others.exclude(pk=exclude_enrolment_id)
    problems: list[RuleError] = []
    overlapping: list[TrainingClass] = []
    for enrolment in others:
        if enrolment.training_class_id == training_class.pk:
            problems.append(RuleError("already_enrolled", _(
                "The person is already enrolled in this class.")))
        else:
            overlapping.append(enrolment.training_class)
    if overlapping:
        other = overlapping[0]
        problems.append(RuleError("class_overlap", _(
            "The person is enrolled in class %(code)s “%(name)s” (%(start)s to %(end)s), whose "
            "dates overlap with this class.") % {
            "code": other.code, "name": other.name,
            "start": other.start_date.isoformat(),
            "end": other.end_date.isoformat()}))
    return problems


def eligibility_problems(*, training_class: TrainingClass, person: Person,
                         exclude_enrolment_id: int | None = None) -> list[RuleError]:
    """Every rule ``person`` breaks for ``training_class``, most decisive first; [] = eligible.

    ``exclude_enrolment_id`` leaves one enrolment out of the roster checks (re-checking an
    existing enrolment). One query (the roster checks); the project must be loaded with the
    class (the selectors do).
    """
    problems = [problem for problem in (
        _certificate_problem(person),
        _age_problem(training_class, person),
        _category_problem(training_class, person),
    ) if problem is not None]
    roster = _roster_problems(training_class, person, exclude_enrolment_id)
    # "Already enrolled" says everything: it comes first.
    return [p for p in roster if p.code == "already_enrolled"] + problems + [
        p for p in roster if p.code != "already_enrolled"]
