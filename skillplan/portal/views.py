"""Public landing page, the signed-in workspace, and the accessibility statement."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:workspace")
    return render(request, "portal/home.html")


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/workspace.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")
