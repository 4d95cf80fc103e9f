from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_open_carriers(user) -> bool:  # type: ignore[no-untyped-def]
    from skillplan.accounts import roles

    return bool(user.has_perm(roles.VIEW_PROVIDER))


class CarriersConfig(AppConfig):
    name = "skillplan.carriers"
    label = "carriers"
    verbose_name = _("Other carriers")

    def ready(self) -> None:
        from skillplan.audit.labels import register_events

        register_events({
            "carrier.created": _("Carrier registered"),
            "carrier.updated": _("Carrier details changed"),
            "carrier.status_changed": _("Carrier status changed"),
            "carriers.exported": _("Carriers exported"),
        })
        from skillplan.carriers import exports
        from skillplan.core.navigation import NavItem, register
        from skillplan.jobs import handlers

        handlers.register(exports.KIND, exports.export_carriers)
        register(
            NavItem(
                label=_("Other carriers"),
                url_name="carriers:list",
                order=35,
                allowed=_may_open_carriers,
            )
        )
