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
        from skillplan.audit.labels import register_events
        from skillplan.core.navigation import NavItem, register

        register_events({
            "person.created": _("Person registered"),
            "person.updated": _("Person details changed"),
            "person.revealed": _("Full ID, certificate and phone numbers shown"),
            "person.merged": _("Duplicate record merged into this person"),
            "person.merged_away": _("Record merged into another person"),
            "person.demo_seeded": _("Demo persons created"),
            "persons.exported": _("Persons exported"),
            "import.uploaded": _("Import file uploaded"),
            "import.confirmed": _("Import confirmed"),
            "import.finished": _("Import finished"),
            "import.report_downloaded": _("Import error report downloaded"),
            "files.purged": _("Old files deleted"),
            "crypto.keys_rotated": _("Personal data re-encrypted with a new key"),
        })
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
