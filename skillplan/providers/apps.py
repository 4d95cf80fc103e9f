from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_view_providers(user: Any) -> bool:
    from skillplan.accounts import roles

    return bool(user.has_perm(roles.VIEW_PROVIDER))


def _federation(user: Any) -> bool:
    from skillplan.accounts.scoping import Reach, scope_of

    return _may_view_providers(user) and scope_of(user).reach in (Reach.PROVINCE, Reach.REGION)


class ProvidersConfig(AppConfig):
    name = "skillplan.providers"
    label = "providers"
    verbose_name = _("Training providers")

    def ready(self) -> None:
        from skillplan.audit.labels import register_events

        register_events({
            "provider.created": _("Provider registered"),
            "provider.updated": _("Provider details changed"),
            "providers.exported": _("Providers exported"),
            "base.created": _("Base application created"),
            "base.application_changed": _("Base application changed"),
            "base.submitted": _("Base application submitted"),
            "base.city_approved": _("Base application recommended by the city"),
            "base.city_returned": _("Base application returned by the city"),
            "base.accredited": _("Training base accredited"),
            "base.rejected": _("Base application not accredited"),
            "base.evaluation_recorded": _("Annual evaluation of a base scored"),
            "base.evaluation_decided": _("Decision after the annual evaluation"),
            "base.expired": _("Accreditation of a base expired"),
            "bases.exported": _("Training bases exported"),
            "coverage.exported": _("Base coverage exported"),
            "indicator.created": _("Evaluation indicator added"),
        })
        from skillplan.core.imports import registry
        from skillplan.core.navigation import NavItem, register
        from skillplan.imports import services as import_services
        from skillplan.jobs import handlers
        from skillplan.providers import exports
        from skillplan.providers.imports import ProvidersTemplate

        handlers.register(exports.PROVIDERS_KIND, exports.export_providers)
        handlers.register(exports.BASES_KIND, exports.export_bases)
        handlers.register(exports.COVERAGE_KIND, exports.export_coverage)
        registry.register(ProvidersTemplate)
        prefix = ProvidersTemplate.job_prefix
        handlers.register(f"{prefix}_preview", import_services.upload_check_job)
        handlers.register(f"{prefix}_import", import_services.upload_import_job)

        register(NavItem(label=_("Training providers"), url_name="providers:list", order=20,
                         allowed=_may_view_providers))
        register(NavItem(label=_("Training bases"), url_name="providers:base_list", order=21,
                         allowed=_may_view_providers))
        register(NavItem(label=_("Base coverage"), url_name="providers:coverage", order=22,
                         allowed=_federation))
