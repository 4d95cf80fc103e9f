"""``{{ amount|yuan }}``: a Decimal yuan amount with thousands separators and two places."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def yuan(value: Any) -> str:
    """``Decimal("1234567.5")`` → ``1,234,567.50``; empty for None."""
    if value is None or value == "":
        return ""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{amount:,.2f}"
