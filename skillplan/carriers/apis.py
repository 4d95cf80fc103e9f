"""API: the public list of carriers (GET /api/v1/carriers, no token needed).

Active carriers only, public fields only: no contact person or phone, no street address, no
employer credit code, no notes. The same data as the public page /public/carriers/.
"""
# No `from __future__ import annotations`: django-ninja reads the annotations of paginated
# operations at import time through a wrapper whose globals are not this module's.

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from skillplan.api.errors import error_responses
from skillplan.api.pagination import cursor_paginate
from skillplan.carriers.models import Carrier, CarrierKind
from skillplan.carriers.selectors import public_carrier_list

router = Router(tags=["carriers"])


class CarrierPublicOut(Schema):
    id: int
    name: str
    kind: str = Field(..., description=", ".join(CarrierKind.values))
    kind_label: str
    region_code: str = Field(..., description="the county's code")
    county: str
    city: str
    run_by: str = Field(..., description="the training provider or the employer")
    recognised_by: str = Field(..., description="province, city or county federation")
    recognised_by_label: str
    recognised_on: date | None
    master_name: str
    master_occupation: str
    master_title: str
    heritage_item: str
    heritage_level: str = Field(..., description="national, provincial, city, county or empty")
    women_total: int | None = Field(..., description="美丽工坊: women working there")
    women_disabled: int | None = Field(..., description="美丽工坊: of whom disabled")
    work_arrangement: str = Field(..., description="美丽工坊: home, near_home or workshop")
    products: str
    employees_placed: int | None = Field(
        ..., description="employment-assistance units: disabled employees placed")

    @staticmethod
    def resolve_kind_label(obj: Carrier) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_county(obj: Carrier) -> str:
        return obj.region.name

    @staticmethod
    def resolve_city(obj: Carrier) -> str:
        return obj.region.parent.name if obj.region.parent_id else ""

    @staticmethod
    def resolve_run_by(obj: Carrier) -> str:
        return obj.host_name

    @staticmethod
    def resolve_recognised_by_label(obj: Carrier) -> str:
        return str(obj.get_recognised_by_display())


@router.get("", response={200: list[CarrierPublicOut], **error_responses(422)}, auth=None,
            summary="Active carriers (public, no token needed)", url_name="carriers_public_list")
@cursor_paginate(key="id")
def carriers(
    request: HttpRequest,
    kind: CarrierKind | None = None,
    city: str = Query("", description="a city code such as 4331; includes its counties"),
) -> QuerySet[Carrier]:
    return public_carrier_list(kind=kind.value if kind else "", city_code=city.strip())
