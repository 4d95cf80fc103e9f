"""Claims and payments (helper "claims"): navigation and the labels of their audit events."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def _may_view_claims(user: Any) -> bool:
    from skillplan.accounts import roles

    return bool(user.has_perm(roles.VIEW_SUBSIDY))


def register_claim_hooks() -> None:
    from skillplan.audit.labels import register_events
    from skillplan.core.navigation import NavItem, register

    register(NavItem(label=_("Subsidy claims"), url_name="subsidies:claims", order=61,
                     allowed=_may_view_claims))
    register_events({
        "subsidy_claim.prepared": _("Subsidy claim prepared"),
        "subsidy_claim.adjustment_prepared": _("Adjustment of an approved claim prepared"),
        "subsidy_claim.submitted": _("Subsidy claim submitted for review"),
        "subsidy_claim.reviewed": _("Subsidy claim reviewed"),
        "subsidy_claim.returned": _("Subsidy claim returned with comments"),
        "subsidy_claim.approved": _("Subsidy claim approved (locked)"),
        "subsidy_claim.paid": _("Subsidy claim fully paid"),
        "subsidy_payment.recorded": _("Subsidy payment recorded"),
    })
