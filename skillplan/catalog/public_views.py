"""The public catalog (公示): published projects, their providers and the brand projects of the
cities. No sign-in, no JavaScript needed: plain GET forms and links."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from skillplan.catalog import selectors
from skillplan.catalog.forms import ProjectFilterForm
from skillplan.catalog.rules import brand_period

PAGE_SIZE = 30


@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None, public=True)
    projects = selectors.public_project_queryset(filters=form.filters()).select_related("region")
    after = request.GET.get("after", "")
    if after.isdigit():
        projects = projects.filter(id__lt=int(after))
    rows = list(projects[: PAGE_SIZE + 1])
    next_after = rows[PAGE_SIZE - 1].pk if len(rows) > PAGE_SIZE else None
    query = request.GET.copy()
    query.pop("after", None)
    return render(request, "public_catalog/project_list.html", {
        "filter_form": form, "rows": rows[:PAGE_SIZE], "next_after": next_after,
        "paged": after.isdigit(), "filtered": form.active(), "query": query.urlencode(),
    })


@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.public_project_get(pk=pk)
    brands = [brand for brand in project.brands.all()]
    return render(request, "public_catalog/project_detail.html",
                  {"project": project, "brands": brands})


@require_GET
def brand_list(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    start, end = brand_period(year)
    rows = selectors.brand_overview(year=year, published_only=True)
    return render(request, "public_catalog/brand_list.html", {
        "rows": rows, "start": start, "end": end,
        "new_economy": selectors.new_economy_projects(),
    })
