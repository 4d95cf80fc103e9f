from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _staff_with_certificates(user: Any) -> bool:
    from skillplan.accounts import roles

    return bool(user.has_perm(roles.VIEW_CERTIFICATE)
                and not user.has_perm(roles.VIEW_OWN_TRAINING))


def _trainee(user: Any) -> bool:
    from skillplan.accounts import roles

    return bool(user.has_perm(roles.VIEW_OWN_TRAINING))


def _person_certificates(request: Any, person: Any) -> dict[str, Any]:
    """The certificates section of a person's page (read through the scoped selectors)."""
    from skillplan.accounts import roles
    from skillplan.certificates import selectors

    user = request.user
    return {
        "training_certificates": list(selectors.certificates_of_person(user=user,
                                                                       person=person)),
        "skill_certificates": list(selectors.skill_certificates_of(user=user, person=person)),
        "can_record": (user.has_perm(roles.RECORD_SKILL_CERTIFICATE)
                       and not person.merged_into_id),
    }


class CertificatesConfig(AppConfig):
    name = "skillplan.certificates"
    label = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from skillplan.audit.labels import register_events
        from skillplan.core.navigation import NavItem, register
        from skillplan.people.views import register_chain_section

        register_events({
            "certificate.issued": _("Training certificates issued"),
            "certificate.revoked": _("Training certificate revoked"),
            "skill_certificate.recorded": _("Skill certificate recorded"),
            "skill_certificate.deleted": _("Skill certificate record removed"),
        })
        register(NavItem(label=_("Certificates"), url_name="certificates:list", order=45,
                         allowed=_staff_with_certificates))
        register(NavItem(label=_("My training"), url_name="certificates:mine", order=5,
                         allowed=_trainee))
        register_chain_section("certificates", template="certificates/includes/person_section.html",
                               context=_person_certificates)
