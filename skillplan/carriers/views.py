"""The carrier pages (staff) and the public listing. Thin: forms parse, services and selectors
decide.

Federation staff with CHANGE_PROVIDER record and change the carriers of their area; everyone
with VIEW_PROVIDER sees the carriers in scope (provider staff: those linked to their provider).
A carrier outside the user's scope is a 404, the same as a missing one.
"""

from __future__ import annotations

import copy
from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skillplan.accounts import roles
from skillplan.accounts.scoping import scope_of
from skillplan.audit.selectors import events_for_target
from skillplan.carriers import selectors, services
from skillplan.carriers.exports import carriers_export_start
from skillplan.carriers.forms import (
    CarrierEditForm,
    CarrierFilterForm,
    CarrierForm,
    CarrierStatusForm,
)
from skillplan.carriers.models import Carrier, CarrierKind
from skillplan.core.errors import ConcurrentUpdateError, RuleError
from skillplan.core.forms import apply_validation_error

PAGE_SIZE = 50
PUBLIC_PAGE_SIZE = 100
# Which form field a service's RuleError belongs on; other codes go on top of the form.
ERROR_FIELDS = {"region_out_of_scope": "region", "provider_out_of_scope": "provider",
                "reason_required": "reason", "status_not_allowed": "status"}


def _rule_error(form: Any, error: RuleError) -> None:
    field = ERROR_FIELDS.get(error.code)
    form.add_error(field if field in form.fields else None, error.message)


def _can_change(user: Any, carrier: Carrier) -> bool:
    return services.may_manage_carriers(user) and scope_of(user).covers_region(
        carrier.region_code)


def _require_manager(user: Any) -> None:
    if not services.may_manage_carriers(user):
        raise PermissionDenied


# --- List, summary and export --------------------------------------------------------------


@login_required
@permission_required(roles.VIEW_PROVIDER, raise_exception=True)
@require_GET
def carrier_list(request: HttpRequest) -> HttpResponse:
    form = CarrierFilterForm(request.user, request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.carrier_list(user=request.user, filters=filters),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "carriers/carrier_list.html", {
        "filter_form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": any(asdict(filters).values()),
        "export_values": form.active_values(),
        "summary": selectors.carrier_summary(user=request.user,
                                             region_code=filters.region_code),
        "summary_region": filters.region_code,
        "beautiful_kind": CarrierKind.BEAUTIFUL_WORKSHOP.value,
        "assistance_kind": CarrierKind.ASSISTANCE_UNIT.value,
        "can_change": services.may_manage_carriers(request.user),
    })


@login_required
@permission_required(roles.VIEW_PROVIDER, raise_exception=True)
@require_POST
def carrier_export(request: HttpRequest) -> HttpResponse:
    """Start the export of the list with its filters; the job page shows progress."""
    filters = CarrierFilterForm(request.user, request.POST).filters()
    job = carriers_export_start(actor=request.user, filters=filters)
    return redirect("jobs:detail", pk=job.pk)


# --- Detail and status ---------------------------------------------------------------------


def _detail(request: HttpRequest, carrier: Carrier, status_form: CarrierStatusForm | None = None,
            status: int = 200) -> HttpResponse:
    can_change = _can_change(request.user, carrier)
    return render(request, "carriers/carrier_detail.html", {
        "carrier": carrier,
        "can_change": can_change,
        "status_form": (status_form or CarrierStatusForm(carrier, prefix="status"))
        if can_change else None,
        "history": events_for_target(target=carrier)[:50],
    }, status=status)


@login_required
@permission_required(roles.VIEW_PROVIDER, raise_exception=True)
@require_GET
def carrier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.carrier_get(user=request.user, pk=pk))


@login_required
@permission_required(roles.CHANGE_PROVIDER, raise_exception=True)
@require_POST
def carrier_status(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = selectors.carrier_get(user=request.user, pk=pk)
    if not _can_change(request.user, carrier):
        raise PermissionDenied
    form = CarrierStatusForm(carrier, request.POST, prefix="status")
    if form.is_valid():
        try:
            services.carrier_set_status(
                actor=request.user, carrier=carrier, status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"])
        except RuleError as error:
            _rule_error(form, error)
        else:
            messages.success(request, _("The status is now: %(status)s.") % {
                "status": carrier.get_status_display()})
            return redirect("carriers:detail", pk=carrier.pk)
    carrier = selectors.carrier_get(user=request.user, pk=pk)
    return _detail(request, carrier, status_form=form)


# --- Create and edit -----------------------------------------------------------------------


@login_required
@permission_required(roles.CHANGE_PROVIDER, raise_exception=True)
def carrier_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    form = CarrierForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            carrier = services.carrier_create(actor=request.user, values=form.values())
        except ValidationError as error:
            apply_validation_error(form, error)
        except RuleError as error:
            _rule_error(form, error)
        else:
            messages.success(request, _("%(name)s is recorded.") % {"name": carrier.name})
            return redirect("carriers:detail", pk=carrier.pk)
    return render(request, "carriers/carrier_form.html", {"form": form, "creating": True})


@login_required
@permission_required(roles.CHANGE_PROVIDER, raise_exception=True)
def carrier_edit(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = selectors.carrier_get(user=request.user, pk=pk)
    if not _can_change(request.user, carrier):
        raise PermissionDenied
    title_name = carrier.name
    form = CarrierEditForm(request.user, request.POST or None, instance=copy.deepcopy(carrier))
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.carrier_update(actor=request.user, carrier=carrier, values=form.values(),
                                    expected_version=form.cleaned_data["version"])
        except ConcurrentUpdateError as error:
            form.add_error(None, error.message)
            current = selectors.carrier_get(user=request.user, pk=pk)
            data = form.data.copy()
            data["version"] = str(current.version)  # saving again applies over the new state
            form.data = data
        except ValidationError as error:
            apply_validation_error(form, error)
        except RuleError as error:
            _rule_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("carriers:detail", pk=pk)
    return render(request, "carriers/carrier_form.html", {
        "form": form, "creating": False, "carrier_pk": pk, "title_name": title_name,
        "current": current,
    })


# --- Public listing (no login, no JavaScript needed) ---------------------------------------


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Active carriers by kind and city, public fields only."""
    cities = list(selectors.public_cities())
    kind = request.GET.get("kind", "")
    kind = kind if kind in CarrierKind.values else ""
    city = request.GET.get("city", "")
    city = city if any(region.code == city for region in cities) else ""
    carriers = selectors.public_carrier_list(kind=kind, city_code=city)
    page = Paginator(carriers, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "carriers/public_list.html", {
        "page": page, "query": query.urlencode(), "kinds": CarrierKind.choices,
        "cities": cities, "kind": kind, "city": city, "filtered": bool(kind or city),
    })
