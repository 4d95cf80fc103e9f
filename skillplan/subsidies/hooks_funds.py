"""What the fund pages register when the app is ready: audit labels, export jobs, navigation.
Called from ``SubsidiesConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def may_view_funds(user: Any) -> bool:
    from skillplan.accounts import roles

    return bool(user.has_perm(roles.VIEW_SUBSIDY))


def may_supervise_funds(user: Any) -> bool:
    """Federation staff (province, city, county): the anomaly list is theirs."""
    from skillplan.accounts import roles
    from skillplan.accounts.scoping import Reach, scope_of

    return bool(user.has_perm(roles.VIEW_SUBSIDY)) and scope_of(user).reach in (
        Reach.PROVINCE, Reach.REGION)


def register_funds_hooks() -> None:
    from skillplan.audit.labels import register_events
    from skillplan.core.navigation import NavItem, register
    from skillplan.jobs import handlers
    from skillplan.subsidies import exports_funds

    register_events({
        "contract.created": _("Purchased-service contract created"),
        "contract.updated": _("Purchased-service contract changed"),
        "contract.spending_recorded": _("Spending recorded against a contract"),
        "claims.exported": _("Subsidy claims exported"),
        "payments.exported": _("Subsidy payments exported"),
        "funds.exported": _("Fund summary exported"),
    })
    handlers.register(exports_funds.CLAIMS_KIND, exports_funds.export_claims)
    handlers.register(exports_funds.PAYMENTS_KIND, exports_funds.export_payments)
    handlers.register(exports_funds.SUMMARY_KIND, exports_funds.export_summary)
    register(NavItem(label=_("Subsidy funds"), url_name="subsidies:funds_classes", order=62,
                     allowed=may_view_funds))
    register(NavItem(label=_("Purchased services"), url_name="subsidies:contracts",
                     order=63, allowed=may_view_funds))
