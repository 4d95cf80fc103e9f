"""Reads of the region tree, and the one resolver that turns what a clerk types into a unit.

``region_resolve("430102")``, ``region_resolve("芙蓉区")`` and ``region_resolve("长沙市芙蓉区")``
all give 芙蓉区. Region data is public reference data: every signed-in user may read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from skillplan.core.errors import RuleError
from skillplan.core.text import normalize_text
from skillplan.regions.models import Region, RegionLevel


@dataclass(frozen=True)
class RegionRef:
    id: int
    code: str
    name: str
    full_name: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class RegionIndex:
    by_code: dict[str, RegionRef]
    by_name: dict[tuple[str, str], tuple[RegionRef, ...]]

    def resolve(self, text: object, *, level: str = RegionLevel.COUNTY) -> RegionRef:
        value = normalize_text(text).replace(" ", "")
        if value.endswith(".0") and value[:-2].isdigit():  # a code typed into a number cell
            value = value[:-2]
        found = self.by_code.get(value) if value.isdigit() else None
        if found is None:
            candidates = self.by_name.get((level, value), ())
            if len(candidates) > 1:
                raise RuleError(
                    "region_ambiguous",
                    _("“%(value)s” names more than one region; give the city too or the code.")
                    % {"value": value},
                )
            found = candidates[0] if candidates else None
        if found is None or found.level != level:
            raise RuleError(
                "region_unknown", _("No region “%(value)s” is known.") % {"value": value}
            )
        return found


@lru_cache(maxsize=1)
def _build_index(_fingerprint: tuple[int, int]) -> RegionIndex:
    by_code: dict[str, RegionRef] = {}
    by_name: dict[tuple[str, str], list[RegionRef]] = {}
    rows = Region.objects.filter(valid_to__isnull=True).values_list(
        "id", "code", "name", "full_name", "level", "parent__code"
    )
    provinces = dict(
        Region.objects.filter(level=RegionLevel.PROVINCE).values_list("code", "name")
    )
    for pk, code, name, full_name, level, parent_code in rows:
        ref = RegionRef(pk, code, name, full_name, level, parent_code)
        by_code[code] = ref
        names = {name, full_name, provinces.get(code[:2], "") + full_name}
        for key in names:
            by_name.setdefault((level, key), []).append(ref)
    return RegionIndex(by_code, {key: tuple(refs) for key, refs in by_name.items()})


class _IndexCache:
    """Rebuilt when the table changes (count and highest id); one cheap query per call."""

    def __call__(self) -> RegionIndex:
        from django.db.models import Count, Max

        stats = Region.objects.aggregate(n=Count("id"), top=Max("id"))
        return _build_index((stats["n"] or 0, stats["top"] or 0))

    def cache_clear(self) -> None:
        _build_index.cache_clear()


region_index = _IndexCache()


def region_resolve(text: object, *, level: str = RegionLevel.COUNTY) -> RegionRef:
    """The unit a code, name or city+name stands for; RuleError region_unknown otherwise."""
    return region_index().resolve(text, level=level)


def region_get(*, code: str) -> Region:
    return Region.objects.select_related("parent").get(code=code)


def region_children(*, parent: Region | None) -> QuerySet[Region]:
    if parent is None:
        return Region.objects.filter(level=RegionLevel.PROVINCE, valid_to__isnull=True)
    return Region.objects.filter(parent=parent, valid_to__isnull=True)


def region_ancestors(region: Region) -> list[Region]:
    """From the province down to the region's parent."""
    chain = []
    current = region.parent
    while current is not None:
        chain.append(current)
        current = current.parent
    return list(reversed(chain))
