from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_view_subsidies(user: Any) -> bool:
    from skillplan.accounts import roles

    return bool(user.has_perm(roles.VIEW_SUBSIDY))


class SubsidiesConfig(AppConfig):
    name = "skillplan.subsidies"
    label = "subsidies"
    verbose_name = _("Subsidies")

    def ready(self) -> None:
        _register_computation()
        # The other parts add their hooks here, one line each (helpers: claims, funds):
        # from skillplan.subsidies.hooks_claims import register_claim_hooks; register_...()
        for module, function in (("skillplan.subsidies.hooks_claims", "register_claim_hooks"),
                                 ("skillplan.subsidies.hooks_funds", "register_funds_hooks")):
            _call_hook(module, function)


def _call_hook(module: str, function: str) -> None:
    """Call ``module.function()`` when that module exists (each part owns its hooks module)."""
    from importlib import import_module
    from importlib.util import find_spec

    if find_spec(module) is not None:
        getattr(import_module(module), function)()


def _register_computation() -> None:
    """Standards and entitlements (helper "computation"): navigation and audit labels."""
    from skillplan.audit.labels import register_events
    from skillplan.core.navigation import NavItem, register

    register(NavItem(label=_("Subsidies"), url_name="subsidies:standards", order=60,
                     allowed=_may_view_subsidies))
    register_events({
        "standard.created": _("Subsidy standard created"),
        "standard.closed": _("Subsidy standard ended"),
        "standard.superseded": _("Subsidy standard replaced by a new one"),
        "entitlement.computed": _("Subsidy entitlement computed"),
        "entitlement.voided": _("Subsidy entitlement voided (recomputed)"),
        "entitlement.refused": _("Subsidy refused: already entitled for an overlapping period"),
        "entitlements.computed": _("Subsidies of the class computed"),
    })
