"""Training providers. The foundation holds what scoping needs (a provider has a region and
staff); the provider registry, bases and catalog build on it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from skillplan.accounts.scoping import ScopeFields
from skillplan.core.models import TrackedModel


class Provider(TrackedModel):
    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12, db_index=True, editable=False)

    scope_fields = ScopeFields(region="region_code", provider="id")

    class Meta:
        ordering = ["name"]
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        # Denormalised for scoping; derived, not business logic.
        self.region_code = self.region.code
        super().save(*args, **kwargs)
