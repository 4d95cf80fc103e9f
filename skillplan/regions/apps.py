from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "skillplan.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        from skillplan.core.navigation import NavItem, register

        register(
            NavItem(
                label=_("Regions"),
                url_name="regions:list",
                order=90,
                allowed=lambda user: user.has_perm("regions.view_region"),
            )
        )
