from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_open_person_list(user) -> bool:  # type: ignore[no-untyped-def]
    """Staff with the registry; a trainee only when their account has a person record."""
    from skillplan.accounts.roles import Role
    from skillplan.people.permissions import VIEW_PERSON

    if not user.has_perm(VIEW_PERSON):
        return False
    return user.role != Role.TRAINEE or hasattr(user, "person")


class PeopleConfig(AppConfig):
    name = "skillplan.people"
    label = "people"
    verbose_name = _("Person registry")

    def ready(self) -> None:
        from skillplan.core.navigation import NavItem, register
        from skillplan.jobs import handlers
        from skillplan.people import exports

        handlers.register(exports.KIND, exports.export_persons)

        register(
            NavItem(
                label=_("Persons"),
                url_name="people:list",
                order=10,
                allowed=_may_open_person_list,
            )
        )
