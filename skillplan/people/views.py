"""The registry's pages. Thin: forms parse, ``rules`` / ``services`` / ``selectors`` decide.

Personal numbers (ID, certificate, phone) are masked on every page; the full numbers appear
only in the one response to a reveal (a reason is required, the reveal is audited, and the
response is never cached).

Trainees hold VIEW_PERSON for their own record only: the list sends them to their own record
(404 when their account is linked to no person), and the detail of anyone else is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from skillplan.accounts.scoping import Reach, scope_of
from skillplan.audit.selectors import events_for_target
from skillplan.core.errors import ConcurrentUpdateError, RuleError
from skillplan.core.masking import mask_id_number
from skillplan.people import selectors, services
from skillplan.people.exports import persons_export_start
from skillplan.people.forms import (
    MergeForm,
    PersonEditForm,
    PersonFilterForm,
    PersonForm,
    RevealForm,
)
from skillplan.people.models import Person
from skillplan.people.permissions import (
    CHANGE_PERSON,
    EXPORT_PERSONS,
    IMPORT_PERSONS,
    MERGE_PERSONS,
    REVEAL_PERSONAL_DATA,
    VIEW_PERSON,
)

PAGE_SIZE = 50
EXPORT_KIND = "people.persons_export"
# Which form field a service's RuleError belongs on; other codes go on top of the form.
ERROR_FIELDS = {"region_out_of_scope": "region", "person_exists": "id_number"}
# The session key of the last ID search: its lookup hash and the masked number, so the list
# can say which number it searched for (the URL holds the hash only).
ID_SEARCH_SESSION_KEY = "people.id_search"


# --- The person's chain --------------------------------------------------------------------


@dataclass(frozen=True)
class ChainSection:
    """One part of the person's path through the programme, shown on the person's page.

    Until an app records that part, the page says so with ``empty_text``. An app that records
    it calls :func:`register_chain_section` with a template and a function giving its
    context (it must read through its own scoped selectors).
    """

    key: str
    title: str | Promise
    empty_text: str | Promise
    template: str = ""
    context: Callable[[HttpRequest, Person], dict[str, Any]] | None = None


CHAIN_SECTIONS: list[ChainSection] = [
    ChainSection("assessments", gettext_lazy("Capability assessments"), gettext_lazy(
        "Capability assessments are not yet recorded on this platform.")),
    ChainSection("training", gettext_lazy("Training"), gettext_lazy(
        "Training classes are not yet recorded on this platform.")),
    ChainSection("certificates", gettext_lazy("Certificates"), gettext_lazy(
        "Skills certificates are not yet recorded on this platform.")),
    ChainSection("subsidies", gettext_lazy("Subsidies"), gettext_lazy(
        "Training and employment subsidies are not yet recorded on this platform.")),
    ChainSection("recommendations", gettext_lazy("Job and start-up recommendations"),
                 gettext_lazy("Job and start-up recommendations are not yet recorded on this "
                              "platform.")),
    ChainSection("follow_ups", gettext_lazy("Employment follow-ups"), gettext_lazy(
        "Employment follow-ups are not yet recorded on this platform.")),
]


def register_chain_section(key: str, *, template: str,
                           context: Callable[[HttpRequest, Person], dict[str, Any]]) -> None:
    """Let an app show its records in the section ``key`` of every person's page."""
    for index, section in enumerate(CHAIN_SECTIONS):
        if section.key == key:
            CHAIN_SECTIONS[index] = ChainSection(section.key, section.title,
                                                 section.empty_text, template, context)
            return
    raise KeyError(key)


def _chain(request: HttpRequest, person: Person) -> list[dict[str, Any]]:
    return [
        {"key": section.key, "title": section.title, "empty_text": section.empty_text,
         "template": section.template,
         "data": section.context(request, person) if section.context else {}}
        for section in CHAIN_SECTIONS
    ]


# --- Helpers -------------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _rule_error(form: Any, error: RuleError) -> None:
    form.add_error(ERROR_FIELDS.get(error.code), error.message)


def _detail_context(request: HttpRequest, person: Person, *,
                    revealed: dict[str, str] | None = None,
                    reveal_form: RevealForm | None = None) -> dict[str, Any]:
    user = request.user
    in_area = scope_of(user).covers_region(person.region_code)
    can_change = user.has_perm(CHANGE_PERSON) and in_area
    today = date.today()
    return {
        "person": person,
        "age": person.age_on(today),
        "working_age": person.is_working_age(today),
        "revealed": revealed,
        "can_change": can_change and not person.merged_into_id,
        "merged_into_visible": selectors.person_visible(user=user, pk=person.merged_into_id),
        "can_reveal": user.has_perm(REVEAL_PERSONAL_DATA) and in_area,
        "reveal_form": reveal_form or RevealForm(prefix="reveal"),
        "chain": _chain(request, person),
        "history": events_for_target(target=person)[:50] if can_change else None,
    }


# --- List and export -----------------------------------------------------------------------


@login_required
@permission_required(VIEW_PERSON, raise_exception=True)
def person_list(request: HttpRequest) -> HttpResponse:
    if scope_of(request.user).reach == Reach.OWN:
        own = selectors.person_queryset(user=request.user).first()
        if own is None:
            raise Http404
        return redirect("people:detail", pk=own.pk)
    if request.method == "POST":
        text = request.POST.get("q", "").strip()
        if selectors.looks_like_id_number(text):
            try:
                number = selectors.search_id_number(text)
            except RuleError as error:  # say, a mistyped check digit: say so, keep the text
                return _list_page(request, _id_search_error(request, error))
            request.session[ID_SEARCH_SESSION_KEY] = {
                "hash": services.id_hash_of(number), "masked": mask_id_number(number)}
        return redirect(_search_url(request))
    return _list_page(request, PersonFilterForm(request.user, request.GET or None))


def _id_search_error(request: HttpRequest, error: RuleError) -> PersonFilterForm:
    """The filter form as posted, with the ID rule's message on the search box."""
    data = request.POST.copy()
    data.pop("idh", None)
    form = PersonFilterForm(request.user, data)
    form.is_valid()
    form.add_error("q", error.message)
    return form


def _searched_id(request: HttpRequest, filters: selectors.PersonFilters) -> str:
    """The masked ID number the list is searched by, when it is known ("" otherwise)."""
    searched = request.session.get(ID_SEARCH_SESSION_KEY) or {}
    if filters.id_hash and searched.get("hash") == filters.id_hash:
        return str(searched.get("masked", ""))
    return ""


def _list_page(request: HttpRequest, form: PersonFilterForm) -> HttpResponse:
    filters = form.filters()
    after = _int(request.GET.get("after"))
    rows, next_after = selectors.person_page(user=request.user, filters=filters, after=after,
                                             limit=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("after", None)
    today = date.today()
    user = request.user
    return render(request, "people/person_list.html", {
        "filter_form": form,
        "rows": [(person, person.age_on(today)) for person in rows],
        "next_after": next_after,
        "paged": after is not None,
        "filtered": any(asdict(filters).values()),
        "searched_id": _searched_id(request, filters),
        "query": query.urlencode(),
        "export_values": form.active_values(),
        "page_size": PAGE_SIZE,
        "can_change": user.has_perm(CHANGE_PERSON),
        "can_import": user.has_perm(IMPORT_PERSONS),
        "can_export": user.has_perm(EXPORT_PERSONS),
    })


def _search_url(request: HttpRequest) -> str:
    """Post/redirect/get for the filter form: a full ID number typed into the search box is
    replaced by its lookup hash, so it never appears in a URL, a log or the browser history."""
    query = request.POST.copy()
    query.pop("csrfmiddlewaretoken", None)
    query.pop("after", None)
    text = query.get("q", "").strip()
    if selectors.looks_like_id_number(text):
        query.pop("q")
        query["idh"] = selectors.search_id_hash(text)
    else:
        query.pop("idh", None)
    clean = {key: value for key, value in query.items() if value}
    return reverse("people:list") + ("?" + urlencode(clean) if clean else "")


@login_required
@permission_required(EXPORT_PERSONS, raise_exception=True)
@require_POST
def person_export(request: HttpRequest) -> HttpResponse:
    """Start the export of the list with its filters, masked; the job page shows progress."""
    filters = PersonFilterForm(request.user, request.POST).filters()
    job = persons_export_start(actor=request.user, filters=filters)
    return redirect("jobs:detail", pk=job.pk)


# --- Detail and reveal ---------------------------------------------------------------------


@login_required
@permission_required(VIEW_PERSON, raise_exception=True)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    return render(request, "people/person_detail.html", _detail_context(request, person))


@never_cache
@login_required
@permission_required(REVEAL_PERSONAL_DATA, raise_exception=True)
@require_POST
def person_reveal_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full numbers once, with a reason; HTMX gets the identity section alone."""
    person = selectors.person_get(user=request.user, pk=pk)
    form = RevealForm(request.POST, prefix="reveal")
    revealed = None
    if form.is_valid():
        try:
            revealed = services.person_reveal(actor=request.user, person=person,
                                              reason=form.cleaned_data["reason"])
        except RuleError as error:
            form.add_error("reason", error.message)
    context = _detail_context(request, person, revealed=revealed, reveal_form=form)
    if request.headers.get("HX-Request") == "true":
        return render(request, "people/includes/identity.html", {**context, "htmx": True})
    return render(request, "people/person_detail.html", context)


# --- Create and edit -----------------------------------------------------------------------


def _saved(request: HttpRequest, form: PersonForm, text: str) -> None:
    messages.success(request, text)
    for warning in form.warnings:
        messages.warning(request, warning.message)


@login_required
@permission_required(CHANGE_PERSON, raise_exception=True)
def person_create_view(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid() and form.values is not None:
        try:
            person = services.person_create(actor=request.user, values=form.values)
        except RuleError as error:
            _rule_error(form, error)
        else:
            _saved(request, form, _("%(name)s is registered.") % {"name": person.name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "creating": True})


@login_required
@permission_required(CHANGE_PERSON, raise_exception=True)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    if person.merged_into_id:
        messages.info(request, _("This record was merged into another one; change that one."))
        if selectors.person_visible(user=request.user, pk=person.merged_into_id):
            return redirect("people:detail", pk=person.merged_into_id)
        return redirect("people:detail", pk=person.pk)
    title_name = person.name
    form = PersonEditForm(request.user, request.POST or None, person=person)
    current = None
    if request.method == "POST" and form.is_valid() and form.values is not None:
        try:
            services.person_update(actor=request.user, person=person, values=form.values,
                                   expected_version=form.cleaned_data["version"])
        except ConcurrentUpdateError as error:
            form.add_error(None, error.message)
            current = selectors.person_get(user=request.user, pk=pk)
            data = form.data.copy()
            data["version"] = str(current.version)  # saving again applies over the new state
            form.data = data
        except RuleError as error:
            _rule_error(form, error)
        else:
            _saved(request, form, _("Changes saved."))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {
        "form": form, "creating": False, "person_pk": pk, "title_name": title_name,
        "current": current,
    })


# --- Duplicates and merge ------------------------------------------------------------------


@login_required
@permission_required(CHANGE_PERSON, raise_exception=True)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    reasons = {
        "name_birth": _("Same name and birth date, different ID numbers"),
        "phone": _("Same phone number"),
    }
    groups = [
        {"reason": reasons.get(group["reason"], group["reason"]), "members": group["members"],
         "keep": min(group["members"], key=lambda person: person.pk)}
        for group in selectors.person_duplicate_groups(user=request.user)
    ]
    return render(request, "people/duplicate_list.html", {
        "groups": groups, "can_merge": request.user.has_perm(MERGE_PERSONS),
    })


def _comparison(keep: Person, duplicate: Person) -> list[dict[str, Any]]:
    def shown(person: Person) -> list[tuple[str, Any]]:
        """(label, value) rows; a protected value is (masked, clear): the page shows the
        masked one and compares the clear ones (two masks can agree on different numbers)."""
        return [
            (_("Name"), person.name),
            (_("ID number"), (person.masked_id_number, person.id_number)),
            (_("Disability certificate number"),
             (person.masked_certificate_number, person.certificate_number)),
            (_("Disability category"), person.get_category_display()),
            (_("Disability grade"), person.get_grade_display()),
            (_("Gender"), person.get_gender_display()),
            (_("Birth date"), person.birth_date.isoformat()),
            (_("Ethnicity"), person.ethnicity),
            (_("Education"), person.get_education_display()),
            (_("Household county"), person.region.full_name),
            (_("Urban or rural household"), person.get_urban_rural_display()),
            (_("Phone"), (person.masked_phone, person.phone)),
            (_("Employment status"), person.get_employment_status_display()),
            (_("Special groups"), "、".join(person.special_groups)),
            (_("Trainee account"), _("Linked") if person.user_id else _("None")),
            (_("Registered on"), person.created_at.date().isoformat()),
        ]

    def split(value: Any) -> tuple[str, Any]:
        return value if isinstance(value, tuple) else (value, value)

    rows = []
    for (label, kept), (_label, other) in zip(shown(keep), shown(duplicate), strict=True):
        (kept_shown, kept_real), (other_shown, other_real) = split(kept), split(other)
        rows.append({"label": label, "keep": kept_shown or "—",
                     "duplicate": other_shown or "—", "differs": kept_real != other_real})
    return rows


@login_required
@permission_required(MERGE_PERSONS, raise_exception=True)
def person_merge_view(request: HttpRequest) -> HttpResponse:
    keep_pk, duplicate_pk = _int(request.GET.get("keep")), _int(request.GET.get("duplicate"))
    if keep_pk is None or duplicate_pk is None:
        raise Http404
    keep = selectors.person_get(user=request.user, pk=keep_pk)
    duplicate = selectors.person_get(user=request.user, pk=duplicate_pk)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_merge(actor=request.user, keep=keep, duplicate=duplicate,
                                  reason=form.cleaned_data["reason"])
        except RuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _(
                "The two records are merged. The other record now points to this one."))
            return redirect("people:detail", pk=keep.pk)
    return render(request, "people/merge.html", {
        "form": form, "keep": keep, "duplicate": duplicate,
        "rows": _comparison(keep, duplicate),
    })
