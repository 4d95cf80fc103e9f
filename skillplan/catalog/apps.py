from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_view_catalog(user: Any) -> bool:
    from skillplan.accounts import roles

    return bool(user.has_perm(roles.VIEW_PROJECT))


class CatalogConfig(AppConfig):
    name = "skillplan.catalog"
    label = "catalog"
    verbose_name = _("Training catalog")

    def ready(self) -> None:
        from skillplan.audit.labels import register_events

        register_events({
            "project.created": _("Training project created"),
            "project.updated": _("Training project changed"),
            "project.submitted": _("Training project submitted for review"),
            "project.published": _("Training project published"),
            "project.returned": _("Training project returned for changes"),
            "project.withdrawn": _("Training project withdrawn"),
            "project.copied": _("Training project copied"),
            "projects.exported": _("Training projects exported"),
            "brand.designated": _("Brand project designated"),
            "brand.moved": _("Brand project changed"),
            "brand.removed": _("Brand project removed"),
            "brands.exported": _("Brand projects exported"),
        })
        from skillplan.catalog import exports
        from skillplan.catalog.imports import ProjectsTemplate
        from skillplan.core.imports import registry
        from skillplan.core.navigation import NavItem, register
        from skillplan.imports import services as import_services
        from skillplan.jobs import handlers

        handlers.register(exports.KIND, exports.export_projects)
        handlers.register(exports.BRANDS_KIND, exports.export_brands)
        registry.register(ProjectsTemplate)
        handlers.register(f"{ProjectsTemplate.job_prefix}_preview",
                          import_services.upload_check_job)
        handlers.register(f"{ProjectsTemplate.job_prefix}_import",
                          import_services.upload_import_job)
        register(NavItem(label=_("Training catalog"), url_name="catalog:list", order=30,
                         allowed=_may_view_catalog))
        register(NavItem(label=_("Brand projects"), url_name="catalog:brands", order=31,
                         allowed=_may_view_catalog))
