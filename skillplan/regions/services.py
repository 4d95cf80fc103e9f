"""Writes to the region tree: loading the statistical division codes."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from skillplan.regions.models import Region, RegionLevel

LEVEL_ORDER = [RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP]


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    retired: int


def _full_name(row: dict[str, str], rows_by_code: dict[str, dict[str, str]]) -> str:
    """长沙市芙蓉区: the names below the province, down to this unit."""
    names = []
    current: dict[str, str] | None = row
    while current is not None:
        if current["level"] != RegionLevel.PROVINCE or current is row:
            names.append(current["name"])
        current = rows_by_code.get(current["parent_code"])
    return "".join(reversed(names))


@transaction.atomic
def regions_load(*, path: Path, valid_from: date | None = None) -> LoadResult:
    """Insert or update every division of the file; units no longer listed get ``valid_to``.

    Idempotent: loading the same file twice changes nothing the second time.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get("code")]
    rows_by_code = {row["code"]: row for row in rows}
    existing = {region.code: region for region in Region.objects.all()}
    created = updated = 0
    for level in LEVEL_ORDER:
        for row in (r for r in rows if r["level"] == level):
            parent_code = row["parent_code"] or None
            parent = existing.get(parent_code) if parent_code else None
            values = {
                "name": row["name"],
                "full_name": _full_name(row, rows_by_code),
                "level": level.value,
                "parent": parent,
                "valid_to": None,
            }
            region = existing.get(row["code"])
            if region is None:
                region = Region.objects.create(code=row["code"], valid_from=valid_from, **values)
                existing[region.code] = region
                created += 1
            elif any(getattr(region, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(region, key, value)
                region.save()
                updated += 1
    retired = (
        Region.objects.filter(valid_to__isnull=True)
        .exclude(code__in=rows_by_code.keys())
        .update(valid_to=date.today())
    )
    from skillplan.regions.selectors import region_index

    region_index.cache_clear()
    return LoadResult(created=created, updated=updated, retired=retired)
