from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "skillplan.people"
    label = "people"
    verbose_name = _("Person registry")

    def ready(self) -> None:
        from skillplan.core.navigation import NavItem, register
        from skillplan.jobs import handlers
        from skillplan.people import exports
        from skillplan.people.permissions import VIEW_PERSON

        handlers.register(exports.KIND, exports.export_persons)

        register(
            NavItem(
                label=_("Persons"),
                url_name="people:list",
                order=10,
                allowed=lambda user: user.has_perm(VIEW_PERSON),
            )
        )
