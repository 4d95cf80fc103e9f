"""API: the region tree (public reference data, still behind a token)."""
# No `from __future__ import annotations`: django-ninja reads the annotations of paginated
# operations at import time through a wrapper whose globals are not this module's.

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema

from skillplan.accounts import roles
from skillplan.api.auth import require
from skillplan.api.errors import error_responses
from skillplan.api.pagination import cursor_paginate
from skillplan.regions.models import Region, RegionLevel
from skillplan.regions.selectors import region_children, region_get, region_resolve

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    full_name: str
    level: str
    parent_code: str | None
    is_current: bool

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class ResolvedRegionOut(Schema):
    code: str
    name: str
    full_name: str
    level: str
    parent_code: str | None


@router.get("", response={200: list[RegionOut], **error_responses(403, 404, 422)},
            summary="Regions under a parent (the provinces when no parent is given)",
            url_name="regions_list")
@cursor_paginate(key="code")
def regions(
    request: HttpRequest,
    parent: str = Query("", description="code of the parent region, e.g. 4301"),
) -> QuerySet[Region]:
    require(request, roles.VIEW_REGIONS)
    parent_region = region_get(code=parent.strip()) if parent.strip() else None
    return region_children(parent=parent_region).select_related("parent")


@router.get("/resolve", response={200: ResolvedRegionOut, **error_responses(403, 422)},
            summary="The region a code or name stands for (430102, 芙蓉区, 长沙市芙蓉区)",
            url_name="regions_resolve")
def resolve(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=160, description="a code or a name"),
    level: RegionLevel = RegionLevel.COUNTY,
) -> ResolvedRegionOut:
    require(request, roles.VIEW_REGIONS)
    ref = region_resolve(q, level=level.value)
    return ResolvedRegionOut(code=ref.code, name=ref.name, full_name=ref.full_name,
                             level=ref.level, parent_code=ref.parent_code)


@router.get("/{code}", response={200: RegionOut, **error_responses(403, 404)},
            summary="One region by code", url_name="regions_detail")
def region_detail(request: HttpRequest, code: str) -> Region:
    require(request, roles.VIEW_REGIONS)
    return region_get(code=code)
