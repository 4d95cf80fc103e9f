"""Reusable checked text types for API parameters and bodies.

PostgreSQL cannot store or compare text holding NUL (``\\x00``): a query value such as
``?q=a%00b`` would end in a server error. Declare text parameters with these types instead of
``str``; a value holding a control character answers 422 with the detail code
``control_character`` (in the one error contract, ``errors.py``)::

    from skillplan.api.validators import QueryText

    def users(request, q: QueryText = Query("")): ...
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

CONTROL_CHARACTER = "control_character"
# A query value may hold no control character at all; a body value may hold tab and line
# breaks (notes, addresses), nothing else.
_IN_QUERY = re.compile(r"[\x00-\x1f\x7f]")
_IN_BODY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_character(value: str, *, multiline: bool = False) -> bool:
    return bool((_IN_BODY if multiline else _IN_QUERY).search(value))


def _checked(multiline: bool) -> Callable[[str], str]:
    def check(value: str) -> str:
        if has_control_character(value, multiline=multiline):
            raise PydanticCustomError(CONTROL_CHARACTER, "Text holds a control character")
        return value

    return check


# One line of text without control characters: query parameters, names, codes.
QueryText = Annotated[str, AfterValidator(_checked(multiline=False))]
# Text that may hold tab and line breaks but no other control character: body text fields.
BodyText = Annotated[str, AfterValidator(_checked(multiline=True))]
