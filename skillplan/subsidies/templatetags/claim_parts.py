"""``{% claim_prepare_part training_class %}``: the claims of a class and its "prepare the
claim" form (with a fresh request key), for the class's entitlements page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("subsidies/includes/claim_prepare.html", takes_context=True)
def claim_prepare_part(context: Any, training_class: Any) -> dict[str, Any]:
    from skillplan.subsidies.views.claims import prepare_context

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {"training_class": training_class, "csrf_token": context.get("csrf_token"),
            **prepare_context(user, training_class)}
