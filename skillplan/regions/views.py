"""Browse the region tree (reference data, any signed-in staff user)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from skillplan.accounts.roles import VIEW_REGIONS
from skillplan.regions.models import Region
from skillplan.regions.selectors import region_ancestors, region_children, region_get


@login_required
@permission_required(VIEW_REGIONS, raise_exception=True)
def region_list(request: HttpRequest) -> HttpResponse:
    return redirect("regions:detail", code=settings.SKILLPLAN_PROVINCE_CODE)


@login_required
@permission_required(VIEW_REGIONS, raise_exception=True)
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        region = region_get(code=code)
    except Region.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "ancestors": region_ancestors(region),
            "children": region_children(parent=region),
        },
    )
