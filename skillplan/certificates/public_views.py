"""Public verification of a training certificate (no sign-in, no JavaScript: a GET form).

Number and full name are both needed; a wrong name gets the same "not found" as a wrong
number, so names cannot be probed by number. The holder's name is shown masked. Checks are
limited per IP address (``ratelimit.py``); the empty form and the form filled in from the QR
code (number only) are not counted.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from skillplan.certificates.forms import VerifyForm
from skillplan.certificates.ratelimit import limit_per_minute, verify_check_allowed
from skillplan.certificates.selectors import certificate_verify


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    submitted = "name" in request.GET
    if submitted:
        form = VerifyForm(request.GET)
    else:
        form = VerifyForm(initial={"number": request.GET.get("number", "")[:40]})
    context: dict[str, object] = {"form": form, "answer": None, "throttled": False,
                                  "limit": limit_per_minute()}
    if submitted and form.is_valid():
        allowed, wait = verify_check_allowed(request)
        if not allowed:
            context.update(throttled=True, wait=wait)
            response = render(request, "certificates/public/verify.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        context["answer"] = certificate_verify(number=form.cleaned_data["number"],
                                               name=form.cleaned_data["name"])
    return render(request, "certificates/public/verify.html", context)
