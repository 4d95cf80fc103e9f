from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "skillplan.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from skillplan.core.imports import registry
        from skillplan.imports import services
        from skillplan.jobs import handlers
        from skillplan.people.imports import PersonsTemplate

        for template in (PersonsTemplate,):
            registry.register(template)
            handlers.register(f"{template.job_prefix}_preview", services.upload_check_job)
            handlers.register(f"{template.job_prefix}_import", services.upload_import_job)
