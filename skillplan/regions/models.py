"""Administrative divisions (National Bureau of Statistics codes) as a tree.

Codes are hierarchical prefixes: 43 湖南省 → 4301 长沙市 → 430102 芙蓉区 → 430102001 文艺路街道.
Scoping relies on that: a record under a region has a code that starts with the region's code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


class Region(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("region name"), max_length=64)
    full_name = models.CharField(_("full region name"), max_length=160, db_index=True)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["level", "name"])]

    def __str__(self) -> str:
        return self.full_name or self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def contains(self, code: str) -> bool:
        """True when ``code`` lies in this region's subtree (itself included)."""
        return bool(code) and code.startswith(self.code)
