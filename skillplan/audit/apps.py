from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "skillplan.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from skillplan.accounts.roles import VIEW_AUDIT_LOG
        from skillplan.audit.labels import register_events
        from skillplan.audit.tasks import VERIFY_KIND, verify_chain_job
        from skillplan.core.navigation import NavItem, register
        from skillplan.jobs.handlers import register as register_job_handler

        register_job_handler(VERIFY_KIND, verify_chain_job)
        register_events({"audit.verified": _("Audit trail checked")})
        register(
            NavItem(
                label=_("Audit trail"),
                url_name="audit:list",
                order=80,
                allowed=lambda user: user.has_perm(VIEW_AUDIT_LOG),
            )
        )
