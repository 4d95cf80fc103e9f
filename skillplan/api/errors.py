"""The one error contract of the API.

Every error answer, whatever raised it, has the same JSON shape::

    {"code": "<stable_code>", "message": "<for people, in the request's language>",
     "details": [{"field": "limit", "code": "too_large", "message": "..."}]}

``code`` is stable (clients branch on it); ``message`` is an English msgid translated through
the catalog for the language of the request (Accept-Language, via LocaleMiddleware);
``details`` lists field errors and is empty otherwise. Outside scope and missing give the same
404 body, so IDs cannot be probed. Unexpected errors are logged with a reference that is also
given to the caller; no traceback leaves the server.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from skillplan.core.errors import ConcurrentUpdateError, RuleError

logger = logging.getLogger("skillplan.api")

# Where a request value came from; not part of the field name a client sees.
_SOURCES = {"query", "path", "body", "header", "cookie", "form", "file"}
# Parameter groups django-ninja adds to the location (the pagination input, body payloads).
_GROUPS = {"ninja_pagination", "payload", "filters"}


class FieldErrorOut(Schema):
    field: str | None
    code: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    details: list[FieldErrorOut] = []


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """OpenAPI documentation of the error answers of an operation (401 and 500 always)."""
    return {status: ErrorOut for status in sorted({401, 500, *statuses})}


def error_body(code: str, message: Any, details: Iterable[Mapping[str, Any]] = ()) -> dict:
    return {"code": code, "message": str(message), "details": [dict(d) for d in details]}


# --- field errors from request validation (pydantic error types → stable codes) ----------------


def _field_name(loc: Iterable[Any]) -> str | None:
    parts = [str(part) for part in loc]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    parts = [part for part in parts if part not in _GROUPS]
    return ".".join(parts) or None


def _bound(ctx: Mapping[str, Any], *keys: str) -> Any:
    return next((ctx[key] for key in keys if key in ctx), "")


def _field_error(error: Mapping[str, Any]) -> dict[str, Any]:  # noqa: C901 - a flat table
    """One ``{"field", "code", "message"}`` for a pydantic or hand-made validation error."""
    field = _field_name(error.get("loc", ()))
    if "code" in error and "message" in error:  # raised by our own code, already worded
        return {"field": field, "code": error["code"], "message": str(error["message"])}
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        code, message = "required", _("This value is required.")
    elif kind in {"int_parsing", "int_type", "int_from_float"}:
        code, message = "not_integer", _("Enter a whole number, for example 50.")
    elif kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type"}:
        code, message = "not_number", _("Enter a number.")
    elif kind in {"less_than_equal", "less_than"}:
        code = "too_large"
        message = _("Enter a number no greater than %(limit)s.") % {
            "limit": _bound(ctx, "le", "lt")
        }
    elif kind in {"greater_than_equal", "greater_than"}:
        code = "too_small"
        message = _("Enter a number no smaller than %(limit)s.") % {
            "limit": _bound(ctx, "ge", "gt")
        }
    elif kind == "string_too_long":
        code = "too_long"
        message = _("Enter at most %(count)s characters.") % {"count": ctx.get("max_length")}
    elif kind == "string_too_short":
        code = "too_short"
        message = _("Enter at least %(count)s characters.") % {"count": ctx.get("min_length")}
    elif kind in {"enum", "literal_error"}:
        code = "invalid_choice"
        message = _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    elif kind.startswith("date"):
        code, message = "invalid_date", _("Enter a date as YYYY-MM-DD, for example 2025-03-01.")
    elif kind.startswith("bool"):
        code, message = "not_boolean", _("Enter true or false.")
    elif kind == "json_invalid":
        code, message = "invalid_json", _("The request body is not valid JSON.")
    elif kind == "control_character":  # validators.QueryText / BodyText
        code = "control_character"
        message = _("This value holds a control character (such as NUL), which no text here "
                    "may contain. Remove it and send the request again.")
    elif kind == "value_error" and ctx.get("error"):
        code, message = "invalid", str(ctx["error"])
    else:
        code, message = "invalid", _("This value is not valid.")
    return {"field": field, "code": code, "message": str(message)}


def _invalid_message(count: int) -> str:
    return ngettext(
        "One value in the request is not valid; see details.",
        "%(count)d values in the request are not valid; see details.",
        count,
    ) % {"count": count}


def _django_details(exc: DjangoValidationError) -> list[dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        pairs = [(field, error) for field, errors in exc.error_dict.items() for error in errors]
    else:
        pairs = [(NON_FIELD_ERRORS, error) for error in exc.error_list]
    details = []
    for field, error in pairs:
        message = error.message % error.params if error.params else error.message
        details.append({
            "field": None if field == NON_FIELD_ERRORS else field,
            "code": error.code or "invalid",
            "message": str(message),
        })
    return details


# --- handlers ----------------------------------------------------------------------------------

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "throttled",
}


def unauthenticated_message() -> str:
    return _(
        "Sign-in required: send a valid API token in the Authorization header "
        "(“Bearer sp_…”). The token is missing, wrong, revoked, or its account is disabled."
    )


def forbidden_message() -> str:
    return _("Your account does not have permission for this request.")


def not_found_message() -> str:
    return _(
        "Nothing was found here. The record does not exist, or it is outside the area "
        "your account may see."
    )


def _respond(api: NinjaAPI, request: HttpRequest, status: int, body: dict) -> HttpResponse:
    return api.create_response(request, body, status=status)


def _on_ninja_validation(request: HttpRequest, exc: NinjaValidationError, *, api: NinjaAPI
                         ) -> HttpResponse:
    details = [_field_error(error) for error in exc.errors]
    return _respond(api, request, 422,
                    error_body("invalid", _invalid_message(len(details)), details))


def _on_django_validation(request: HttpRequest, exc: DjangoValidationError, *, api: NinjaAPI
                          ) -> HttpResponse:
    details = _django_details(exc)
    if len(details) == 1 and details[0]["field"] is None:
        only = details[0]
        return _respond(api, request, 422, error_body(only["code"], only["message"]))
    return _respond(api, request, 422,
                    error_body("invalid", _invalid_message(len(details)), details))


def _on_rule(request: HttpRequest, exc: RuleError, *, api: NinjaAPI) -> HttpResponse:
    details = []
    field = getattr(exc, "field", None)
    if field:
        details.append({"field": field, "code": exc.code, "message": str(exc.message)})
    return _respond(api, request, 422, error_body(exc.code, exc.message, details))


def _on_stale(request: HttpRequest, exc: ConcurrentUpdateError, *, api: NinjaAPI
              ) -> HttpResponse:
    message = _(
        "Someone else changed this record after you read it. Read it again, check the current "
        "values and send your change again."
    )
    return _respond(api, request, 409, error_body("stale_version", message))


def _on_not_found(request: HttpRequest, exc: Exception, *, api: NinjaAPI) -> HttpResponse:
    return _respond(api, request, 404, error_body("not_found", not_found_message()))


def _on_permission_denied(request: HttpRequest, exc: Exception, *, api: NinjaAPI
                          ) -> HttpResponse:
    message = str(exc) if isinstance(exc, PermissionDenied) and str(exc) else forbidden_message()
    return _respond(api, request, 403, error_body("forbidden", message))


def _on_http_error(request: HttpRequest, exc: HttpError, *, api: NinjaAPI) -> HttpResponse:
    status = exc.status_code
    code = _HTTP_CODES.get(status, "error")
    if isinstance(exc, AuthenticationError):
        message = unauthenticated_message()
    elif isinstance(exc, AuthorizationError):
        message = forbidden_message()
    elif isinstance(exc, Throttled):
        message = _("Too many requests. Wait a little and try again.")
    elif status == 404:
        message = not_found_message()
    else:
        message = _(str(exc)) if str(exc) else _("The request could not be handled.")
    response = _respond(api, request, status, error_body(code, message))
    if isinstance(exc, Throttled) and exc.wait:
        response["Retry-After"] = str(exc.wait)
    return response


def _on_unexpected(request: HttpRequest, exc: Exception, *, api: NinjaAPI) -> HttpResponse:
    reference = uuid.uuid4().hex[:12]
    logger.exception("API error %s on %s %s", reference, request.method, request.path,
                     exc_info=exc)
    message = _(
        "Something went wrong on the server and your request was not completed. "
        "Try again later; if it keeps happening, give support this reference: %(reference)s."
    ) % {"reference": reference}
    return _respond(api, request, 500, error_body("server_error", message))


def install_error_handlers(api: NinjaAPI) -> None:
    """Register the contract on ``api``; the most specific class of an exception wins."""
    handlers: list[tuple[type[Exception], Any]] = [
        (Exception, _on_unexpected),
        (NinjaValidationError, _on_ninja_validation),
        (DjangoValidationError, _on_django_validation),
        (HttpError, _on_http_error),
        (PermissionDenied, _on_permission_denied),
        (Http404, _on_not_found),
        (ObjectDoesNotExist, _on_not_found),
        (RuleError, _on_rule),
        (ConcurrentUpdateError, _on_stale),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, partial(handler, api=api))


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """A JSON 404 in the contract for addresses under /api/ that match no operation."""
    from skillplan.api.router import api

    return _on_not_found(request, Http404(), api=api)
