"""Every write to the training catalog: projects and their lifecycle, brand projects, imports.

Lifecycle: draft → submitted → published → withdrawn, with "returned for changes" from
submitted back to editable. One service per transition; each stamps who and when, writes a
``ProjectStep`` and an audit event in the same transaction. Publishing and returning are the
province's (REVIEW_PROJECT) and never the submitter's own (maker-checker). A published project
is never changed in place: it is withdrawn and copied to a new draft (``project_copy``); when
the copy is published it replaces the original.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import can_act_on_region, restrict
from skillplan.audit.services import audit_record
from skillplan.catalog.choices import EDITABLE, ProjectStatus
from skillplan.catalog.models import BrandProject, ProjectStep, TrainingProject
from skillplan.catalog.rules import Problem, ProjectValues, brand_period, check_project
from skillplan.core.errors import RuleError
from skillplan.core.models import save_new, save_versioned
from skillplan.providers.models import Provider
from skillplan.regions.models import Region, RegionLevel

VALUE_FIELDS = (
    "name", "training_type", "sub_type", "employer_name", "occupation_code", "occupation_name",
    "days", "hours", "delivery", "fee_standard", "categories", "accommodations", "summary",
    "region", "region_code", "new_economy",
)  # fmt: skip
_AUDITED = [name for name in VALUE_FIELDS if name != "region"]


class ProjectInvalid(RuleError):
    """The values of a project break the catalog's rules; ``problems`` says where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].code, problems[0].message)
        self.problems = problems


# --- helpers ---------------------------------------------------------------------------------


def snapshot(project: TrainingProject) -> dict[str, Any]:
    data = {name: getattr(project, name) for name in _AUDITED}
    data["fee_standard"] = str(data["fee_standard"])
    if project.pk:
        data["providers"] = sorted(project.providers.values_list("id", flat=True))
    return data


def _values_snapshot(values: ProjectValues) -> dict[str, Any]:
    data = {name: getattr(values, name) for name in _AUDITED if name != "region_code"}
    data["categories"] = "".join(values.categories)
    data["fee_standard"] = str(values.fee_standard)
    data["region_code"] = values.region.code
    data["providers"] = sorted(provider.pk for provider in values.providers)
    return data


def _in_area(actor: Any, providers: Sequence[Any]) -> set[int]:
    """The ids of ``providers`` inside the actor's area."""
    ids = {provider.pk for provider in providers}
    if not ids:
        return set()
    return set(restrict(Provider.objects.filter(pk__in=ids), actor,
                        permission=roles.VIEW_PROVIDER).values_list("pk", flat=True))


def _validate(actor: Any, values: ProjectValues, keep: frozenset[int] = frozenset()) -> None:
    """``keep``: providers already linked to the project, allowed even outside the area."""
    problems = check_project(values)
    if problems:
        raise ProjectInvalid(problems)
    if values.region.level not in (RegionLevel.PROVINCE, RegionLevel.CITY):
        raise ProjectInvalid([Problem("region", "region_level", _(
            "A project belongs to the province as a whole or to one city, not to a county."))])
    if not can_act_on_region(actor, values.region.code, permission=roles.CHANGE_PROJECT):
        raise ProjectInvalid([Problem("region", "region_out_of_scope", _(
            "You can only prepare projects for your own city; ask that city's federation or "
            "the province."))])
    allowed = _in_area(actor, values.providers) | keep
    if any(provider.pk not in allowed for provider in values.providers):
        raise ProjectInvalid([Problem("providers", "provider_out_of_scope", _(
            "You can only name providers of your own area as allowed to run a project; ask "
            "the province to add a provider from another area."))])


def _prepared(project: TrainingProject, actor: Any) -> None:
    """Remember ``actor`` among those who prepared this version (maker-checker)."""
    if getattr(actor, "pk", None):
        project.prepared_by.add(actor)


def _apply(project: TrainingProject, values: ProjectValues) -> None:
    for name in VALUE_FIELDS:
        if name in ("region_code", "categories"):
            continue
        setattr(project, name, getattr(values, name))
    project.categories = "".join(values.categories)
    project.region_code = values.region.code


def _step(project: TrainingProject, actor: Any, old: str, new: str, comment: str = "") -> None:
    ProjectStep.objects.create(project=project, actor=actor if getattr(actor, "pk", None)
                               else None, from_status=old, to_status=new,
                               comment=comment[:500], at=timezone.now())


def _code_prefix(year: int) -> str:
    prefix = getattr(settings, "SKILLPLAN_CATALOG_CODE_PREFIX", "HN")
    return f"{prefix}-{year}-"


def _next_code(year: int) -> str:
    """HN-2025-0001, HN-2025-0002 … (the number after the highest of the year)."""
    prefix = _code_prefix(year)
    last = (TrainingProject.objects.filter(code__startswith=prefix)
            .order_by("-code").values_list("code", flat=True).first())
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _insert(project: TrainingProject, actor: Any) -> TrainingProject:
    year = timezone.localdate().year
    for _attempt in range(5):
        project.code = _next_code(year)
        try:
            with transaction.atomic():
                return save_new(project, actor=actor)  # type: ignore[return-value]
        except IntegrityError:  # another clerk took the same number meanwhile
            project.pk = None
            continue
    raise RuleError("code_busy", _("The catalog is busy; save again in a moment."))


def _locked(project: TrainingProject) -> TrainingProject:
    return TrainingProject.objects.select_for_update().get(pk=project.pk)


def _status_error(project: TrainingProject, doing: Any) -> RuleError:
    return RuleError("status_invalid", _(
        "This project is “%(status)s”, so it cannot be %(doing)s now. Reload the page to see "
        "what has changed.") % {"status": project.get_status_display(), "doing": doing})


def _need(actor: Any, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied


def _need_region(actor: Any, project: TrainingProject, permission: str) -> None:
    if not can_act_on_region(actor, project.region_code, permission=permission):
        raise PermissionDenied


# --- projects ------------------------------------------------------------------------------


@transaction.atomic
def project_create(*, actor: Any, values: ProjectValues, comment: str = "") -> TrainingProject:
    """A new draft of ``values.region`` (the actor's city, or any region for the province)."""
    _need(actor, roles.CHANGE_PROJECT)
    _validate(actor, values)
    project = TrainingProject(status=ProjectStatus.DRAFT)
    _apply(project, values)
    _insert(project, actor)
    project.providers.set(values.providers)
    _prepared(project, actor)
    _step(project, actor, "", ProjectStatus.DRAFT, comment)
    audit_record(actor=actor, event="project.created", target=project,
                 region_code=project.region_code, after=snapshot(project))
    return project


@transaction.atomic
def project_update(*, actor: Any, project: TrainingProject, values: ProjectValues,
                   expected_version: int) -> TrainingProject:
    _need(actor, roles.CHANGE_PROJECT)
    _need_region(actor, project, roles.CHANGE_PROJECT)
    if project.status not in EDITABLE:
        raise RuleError("not_editable", _(
            "A project that is waiting for review or published cannot be changed. A published "
            "project can be withdrawn and copied to a new draft."))
    if project.copied_from_id and values.region is not None and (
            values.region.code != project.region_code):
        raise ProjectInvalid([Problem("region", "copy_region_fixed", _(
            "This draft is a new version of a published project, so it keeps that project's "
            "region. To offer the training in another region, prepare a new project there."))])
    linked = list(project.providers.all())
    inside = _in_area(actor, linked)
    outside = [p for p in linked if p.pk not in inside]  # kept, never dropped silently
    _validate(actor, values, keep=frozenset(provider.pk for provider in outside))
    before = snapshot(project)
    _apply(project, values)
    save_versioned(project, actor=actor, expected_version=expected_version,
                   fields=[name for name in VALUE_FIELDS if name != "region"] + ["region"])
    project.providers.set({provider.pk: provider
                           for provider in [*values.providers, *outside]}.values())
    _prepared(project, actor)
    after = snapshot(project)
    changed = [key for key in after if before.get(key) != after[key]]
    if changed:
        audit_record(actor=actor, event="project.updated", target=project,
                     region_code=project.region_code,
                     before={k: before.get(k) for k in changed},
                     after={k: after[k] for k in changed})
    return project


def _transition(*, actor: Any, project: TrainingProject, to: str, event: str,
                comment: str = "", **stamps: Any) -> TrainingProject:
    old = project.status
    fields = {"status": to, "updated_at": timezone.now(), "version": F("version") + 1,
              "updated_by": actor if getattr(actor, "pk", None) else None, **stamps}
    TrainingProject.objects.filter(pk=project.pk).update(**fields)
    project.refresh_from_db()
    _step(project, actor, old, to, comment)
    audit_record(actor=actor, event=event, target=project, region_code=project.region_code,
                 before={"status": old}, after={"status": to, **(
                     {"comment": comment[:500]} if comment else {})})
    return project


@transaction.atomic
def project_submit(*, actor: Any, project: TrainingProject, comment: str = ""
                   ) -> TrainingProject:
    """Send a draft (or a returned project) to the province for review."""
    _need(actor, roles.CHANGE_PROJECT)
    _need_region(actor, project, roles.CHANGE_PROJECT)
    project = _locked(project)
    if project.status not in EDITABLE:
        raise _status_error(project, _("submitted"))
    _prepared(project, actor)
    return _transition(actor=actor, project=project, to=ProjectStatus.SUBMITTED,
                       event="project.submitted", comment=comment.strip(),
                       submitted_at=timezone.now(), submitted_by=actor)


def _check_reviewer(actor: Any, project: TrainingProject, doing: Any) -> None:
    _need(actor, roles.REVIEW_PROJECT)
    if project.status != ProjectStatus.SUBMITTED:
        raise _status_error(project, doing)
    if project.was_prepared_by(actor):
        raise RuleError("same_person", _(
            "You prepared, changed or submitted this project yourself, so another reviewer at "
            "the province must decide on it (two different people: one prepares, the other "
            "approves)."))


@transaction.atomic
def project_publish(*, actor: Any, project: TrainingProject, comment: str = ""
                    ) -> TrainingProject:
    """Publish a submitted project: it joins the public catalog. A copy replaces its original."""
    project = _locked(project)
    _check_reviewer(actor, project, _("published"))
    now = timezone.now()
    project = _transition(actor=actor, project=project, to=ProjectStatus.PUBLISHED,
                          event="project.published", comment=comment.strip(),
                          published_at=now, published_by=actor, review_comment=comment[:500])
    original = project.copied_from
    if original is not None and original.status == ProjectStatus.PUBLISHED:
        _transition(actor=actor, project=original, to=ProjectStatus.WITHDRAWN,
                    event="project.withdrawn",
                    comment=str(_("Replaced by the new version %(code)s.") % {
                        "code": project.code}),
                    withdrawn_at=now, withdrawn_reason=str(_(
                        "Replaced by the new version %(code)s.") % {"code": project.code}))
        brands = BrandProject.objects.filter(project=original)
        if not project.is_province_wide:  # a city's brand never moves to another city
            brands = brands.filter(city_code=project.region_code)
        moved = brands.update(project=project)
        if moved:
            audit_record(actor=actor, event="brand.moved", target=project,
                         region_code=project.region_code,
                         after={"from": original.code, "to": project.code, "count": moved})
    return project


@transaction.atomic
def project_return(*, actor: Any, project: TrainingProject, comment: str) -> TrainingProject:
    """Send a submitted project back to its city with what must change."""
    comment = comment.strip()
    if len(comment) < 2:
        raise RuleError("comment_required", _(
            "Say what must change before the project can be published."))
    project = _locked(project)
    _check_reviewer(actor, project, _("returned"))
    return _transition(actor=actor, project=project, to=ProjectStatus.RETURNED,
                       event="project.returned", comment=comment, review_comment=comment[:500])


@transaction.atomic
def project_withdraw(*, actor: Any, project: TrainingProject, reason: str) -> TrainingProject:
    """Take a published project out of the catalog (it stays on record, no longer public)."""
    _need(actor, roles.REVIEW_PROJECT)
    reason = reason.strip()
    if len(reason) < 2:
        raise RuleError("reason_required", _(
            "Say why the project is withdrawn; the reason is kept with the project."))
    project = _locked(project)
    if project.status != ProjectStatus.PUBLISHED:
        raise _status_error(project, _("withdrawn"))
    return _transition(actor=actor, project=project, to=ProjectStatus.WITHDRAWN,
                       event="project.withdrawn", comment=reason,
                       withdrawn_at=timezone.now(), withdrawn_reason=reason[:300])


@transaction.atomic
def project_copy(*, actor: Any, project: TrainingProject) -> TrainingProject:
    """A new draft with the values of a published or withdrawn project (to change it)."""
    _need(actor, roles.CHANGE_PROJECT)
    _need_region(actor, project, roles.CHANGE_PROJECT)
    if project.status not in (ProjectStatus.PUBLISHED, ProjectStatus.WITHDRAWN):
        raise _status_error(project, _("copied"))
    copy = TrainingProject(status=ProjectStatus.DRAFT, copied_from=project)
    for name in VALUE_FIELDS:
        setattr(copy, name, getattr(project, name))
    _insert(copy, actor)
    copy.providers.set(project.providers.all())
    _prepared(copy, actor)
    _step(copy, actor, "", ProjectStatus.DRAFT, str(_("Copied from %(code)s.") % {
        "code": project.code}))
    audit_record(actor=actor, event="project.copied", target=copy,
                 region_code=copy.region_code, after={"from": project.code, **snapshot(copy)})
    return copy


# --- brand projects ------------------------------------------------------------------------


@transaction.atomic
def brand_designate(*, actor: Any, project: TrainingProject, city: Region,
                    year: int | None = None, note: str = "") -> BrandProject:
    """Make ``project`` the brand project of ``city`` for the period holding ``year`` (this
    year by default). One per city per period; a city's staff for their city, the province
    for any city."""
    _need(actor, roles.MANAGE_BRAND)
    if city.level != RegionLevel.CITY:
        raise RuleError("city_required", _("Choose a city."))
    if not can_act_on_region(actor, city.code, permission=roles.MANAGE_BRAND):
        raise RuleError("city_out_of_scope", _(
            "You can choose the brand project of your own city only."))
    if project.status != ProjectStatus.PUBLISHED:
        raise RuleError("project_not_published", _(
            "Only a published project can be a brand project; publish it first."))
    if project.region_code != city.code and not project.is_province_wide:
        raise RuleError("project_other_city", _(
            "This project belongs to another city; choose a project of %(city)s or a "
            "province-wide one.") % {"city": city.name})
    start, end = brand_period(year or timezone.localdate().year)
    existing = (BrandProject.objects.select_related("project")
                .filter(city_code=city.code, period_start=start).first())
    if existing is not None:
        raise _brand_exists(city, start, end, existing)
    brand = BrandProject(project=project, city=city, city_code=city.code, period_start=start,
                         period_end=end, note=note.strip()[:300],
                         designated_by=actor if getattr(actor, "pk", None) else None,
                         designated_at=timezone.now())
    try:
        with transaction.atomic():
            brand.save(force_insert=True)
    except IntegrityError as error:  # designated by someone else meanwhile
        raise _brand_exists(city, start, end, None) from error
    audit_record(actor=actor, event="brand.designated", target=brand, region_code=city.code,
                 after={"project": project.code, "city": city.code,
                        "period": brand.period_label, "note": brand.note})
    return brand


def _brand_exists(city: Region, start: int, end: int, existing: BrandProject | None
                  ) -> RuleError:
    if existing is None:
        return RuleError("brand_exists", _(
            "%(city)s already has a brand project for %(start)s–%(end)s.") % {
            "city": city.name, "start": start, "end": end})
    return RuleError("brand_exists", _(
        "%(city)s already has a brand project for %(start)s–%(end)s: %(code)s %(name)s. A city "
        "has one brand project per period; remove that one first if this one should replace "
        "it.") % {"city": city.name, "start": start, "end": end,
                  "code": existing.project.code, "name": existing.project.name})


@transaction.atomic
def brand_remove(*, actor: Any, brand: BrandProject, reason: str) -> None:
    _need(actor, roles.MANAGE_BRAND)
    if not can_act_on_region(actor, brand.city_code, permission=roles.MANAGE_BRAND):
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) < 2:
        raise RuleError("reason_required", _("Say why the brand project is removed."))
    audit_record(actor=actor, event="brand.removed", target=brand, region_code=brand.city_code,
                 before={"project": brand.project.code, "period": brand.period_label},
                 after={"reason": reason[:300]})
    brand.delete()


# --- bulk import ---------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, str, str]] = field(default_factory=list)  # row, field, code, msg


def _import_row(actor: Any, row_number: int, values: ProjectValues,
                outcome: ImportOutcome) -> None:
    existing = (TrainingProject.objects.filter(name=values.name,
                                                region_code=values.region.code)
                .exclude(status=ProjectStatus.WITHDRAWN).order_by("-id").first())
    if existing is None:
        project_create(actor=actor, values=values, comment=str(_("Imported from Excel.")))
        outcome.created += 1
        return
    if snapshot(existing) == _values_snapshot(values):
        outcome.unchanged += 1
        return
    if existing.status not in EDITABLE:
        outcome.rejected.append((row_number, "name", "project_locked", str(_(
            "The catalog already holds this project as %(code)s (%(status)s) with other "
            "values; it cannot be changed by an import. Withdraw and copy it on its page.") % {
            "code": existing.code, "status": existing.get_status_display()})))
        return
    project_update(actor=actor, project=existing, values=values,
                   expected_version=existing.version)
    outcome.updated += 1


def projects_import_batch(*, actor: Any, rows: Sequence[tuple[int, ProjectValues]],
                          dry_run: bool = False, today: date | None = None) -> ImportOutcome:
    """Rows become drafts; a row whose project (same name and region) is already a draft is
    updated, an identical one left alone: importing the same file twice changes nothing."""
    _need(actor, roles.CHANGE_PROJECT)
    outcome = ImportOutcome()
    with transaction.atomic():
        for row_number, values in rows:
            try:
                with transaction.atomic():
                    _import_row(actor, row_number, values, outcome)
            except ProjectInvalid as error:
                for problem in error.problems:
                    outcome.rejected.append((row_number, problem.field, problem.code,
                                             str(problem.message)))
            except RuleError as error:
                outcome.rejected.append((row_number, "name", error.code, str(error.message)))
        if dry_run:
            transaction.set_rollback(True)
    return outcome
