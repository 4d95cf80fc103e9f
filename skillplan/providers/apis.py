"""API: public data of providers, accredited bases and coverage — no token needed.

These operations answer exactly what the public pages show (``selectors.public_*``): the
providers on public display and the bases in force, with public fields only (never staff,
contact persons or their phones). Lists are cursor-paginated by id.
"""
# No `from __future__ import annotations`: django-ninja reads the annotations of paginated
# operations at import time through a wrapper whose globals are not this module's.

from datetime import date, datetime

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from skillplan.api.errors import error_responses
from skillplan.api.pagination import cursor_paginate
from skillplan.providers import selectors
from skillplan.providers.models import (
    ACCESSIBILITY_FEATURES,
    BaseLevel,
    BaseStep,
    Provider,
    ProviderKind,
    TrainingBase,
)

router = Router(tags=["providers"])


class FeatureOut(Schema):
    code: str
    label: str


class ProviderPublicOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    region_code: str = Field(..., description="county code, e.g. 430102")
    region_name: str
    address: str
    phone: str = Field(..., description="the institution's public phone (no personal phones)")
    capacity: int | None
    accessibility: list[FeatureOut]
    accessibility_note: str
    base_level: str | None = Field(None, description="level of its accredited base, if any")
    base_valid_until: date | None = None

    @staticmethod
    def resolve_kind_label(obj: Provider) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_region_name(obj: Provider) -> str:
        return obj.region.full_name

    @staticmethod
    def resolve_phone(obj: Provider) -> str:
        return obj.public_phone

    @staticmethod
    def resolve_accessibility(obj: Provider) -> list[FeatureOut]:
        return [FeatureOut(code=name, label=str(label))
                for name, label in ACCESSIBILITY_FEATURES if getattr(obj, name)]


class ResultOut(Schema):
    action: str
    action_label: str
    level: str
    at: datetime

    @staticmethod
    def resolve_action_label(obj: BaseStep) -> str:
        return str(obj.get_action_display())


class BasePublicOut(Schema):
    id: int
    name: str
    provider_id: int
    provider_name: str
    region_code: str
    city_code: str
    level: str
    level_label: str
    valid_from: date | None
    valid_until: date | None

    @staticmethod
    def resolve_provider_name(obj: TrainingBase) -> str:
        return obj.provider.name

    @staticmethod
    def resolve_level_label(obj: TrainingBase) -> str:
        return str(obj.get_level_display())


class BaseDetailOut(BasePublicOut):
    results: list[ResultOut] = Field(..., description="published decisions, newest first")

    @staticmethod
    def resolve_results(obj: TrainingBase) -> list[BaseStep]:
        return list(selectors.public_results(base=obj)[:50])


class LevelCountOut(Schema):
    level: str
    count: int
    bases: list[str]


class CityCoverageOut(Schema):
    city_code: str
    city_name: str
    total: int
    has_base: bool = Field(..., description="false flags a city below the target of one base")
    levels: list[LevelCountOut]


@router.get("/providers", response={200: list[ProviderPublicOut], **error_responses(422)},
            auth=None, summary="Providers on public display (no token needed)",
            url_name="providers_public_list")
@cursor_paginate(key="id")
def providers(
    request: HttpRequest,
    q: str = Query("", max_length=60, description="part of the name"),
    city: str = Query("", max_length=12, description="a city or county code, e.g. 4301"),
    kind: ProviderKind | None = None,
    level: BaseLevel | None = None,
) -> QuerySet[Provider]:
    filters = selectors.ProviderFilters(q=q.strip(), region_code=city.strip(),
                                        kind=kind.value if kind else "",
                                        level=level.value if level else "")
    return selectors.public_providers(filters=filters)


@router.get("/providers/{int:provider_id}",
            response={200: ProviderPublicOut, **error_responses(404)}, auth=None,
            summary="One provider on public display", url_name="providers_public_detail")
def provider_detail(request: HttpRequest, provider_id: int) -> Provider:
    try:
        return selectors.public_provider_get(pk=provider_id)
    except Provider.DoesNotExist as exc:
        raise Http404 from exc


@router.get("/bases", response={200: list[BasePublicOut], **error_responses(422)},
            auth=None, summary="Accredited training bases in force (no token needed)",
            url_name="bases_public_list")
@cursor_paginate(key="id")
def bases(
    request: HttpRequest,
    city: str = Query("", max_length=12, description="a city or county code, e.g. 4301"),
    level: BaseLevel | None = None,
    q: str = Query("", max_length=60, description="part of the base or provider name"),
) -> QuerySet[TrainingBase]:
    return selectors.public_bases(region_code=city.strip(), level=level.value if level else "",
                                  q=q.strip())


@router.get("/bases/{int:base_id}", response={200: BaseDetailOut, **error_responses(404)},
            auth=None, summary="One accredited base and its published decisions",
            url_name="bases_public_detail")
def base_detail(request: HttpRequest, base_id: int) -> TrainingBase:
    try:
        return selectors.public_base_get(pk=base_id)
    except TrainingBase.DoesNotExist as exc:
        raise Http404 from exc


@router.get("/coverage", response={200: list[CityCoverageOut]}, auth=None,
            summary="Accredited bases per city, and the cities without one",
            url_name="bases_coverage")
def coverage(request: HttpRequest) -> list[CityCoverageOut]:
    return [
        CityCoverageOut(
            city_code=row.code, city_name=row.name, total=row.total, has_base=row.covered,
            levels=[LevelCountOut(level=level, count=count, bases=names)
                    for level, count, names in row.by_level()])
        for row in selectors.coverage(user=None)
    ]
