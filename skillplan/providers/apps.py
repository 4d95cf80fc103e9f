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
