from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "skillplan.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from skillplan.imports.services import register_template
        from skillplan.people.imports import PersonsTemplate

        register_template(PersonsTemplate)
