from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "skillplan.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from skillplan.accounts.roles import VIEW_AUDIT_LOG
        from skillplan.core.navigation import NavItem, register

        register(
            NavItem(
                label=_("Audit trail"),
                url_name="audit:list",
                order=80,
                allowed=lambda user: user.has_perm(VIEW_AUDIT_LOG),
            )
        )
