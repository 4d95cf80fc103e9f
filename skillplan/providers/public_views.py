"""Public disclosure (公示) of providers, accredited bases and review results.

No sign-in, no JavaScript needed (plain GET forms and links), only public fields: never staff,
contact persons or their phones. Every list is one page of at most ``PAGE_SIZE`` rows with its
related rows joined, so a page costs a handful of queries whatever the data.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from skillplan.providers import selectors
from skillplan.providers.models import BaseLevel, Provider, ProviderKind, TrainingBase

PAGE_SIZE = 30


class PublicFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=60,
                        widget=forms.TextInput(attrs={"type": "search"}))
    city = forms.ChoiceField(label=_("City"), required=False)
    level = forms.ChoiceField(label=_("Base level"), required=False,
                              choices=[("", _("Any level"))] + list(BaseLevel.choices))
    kind = forms.ChoiceField(label=_("Kind of institution"), required=False,
                             choices=[("", _("All kinds"))] + list(ProviderKind.choices))

    def __init__(self, *args: Any, with_kind: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [("", _("All cities"))] + selectors.city_choices()
        if not with_kind:
            del self.fields["kind"]

    def value(self, name: str) -> str:
        if not self.is_bound or not self.is_valid():
            return ""
        return (self.cleaned_data.get(name) or "").strip()


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def provider_list(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET or None)
    filters = selectors.ProviderFilters(q=form.value("q"), region_code=form.value("city"),
                                        kind=form.value("kind"), level=form.value("level"))
    page = _page(request, selectors.public_providers(filters=filters))
    return render(request, "providers/public/provider_list.html", {
        "form": form, "page": page, "query": _query(request),
        "filtered": any(vars(filters).values())})


def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        provider: Provider = selectors.public_provider_get(pk=pk)
    except Provider.DoesNotExist as exc:
        raise Http404 from exc
    base = None
    if getattr(provider, "base_id", None):
        base = selectors.public_bases().filter(pk=provider.base_id).first()
    results = list(selectors.public_results().filter(base__provider=provider)[:50])
    return render(request, "providers/public/provider_detail.html", {
        "provider": provider, "base": base, "results": results})


def base_list(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET or None, with_kind=False)
    page = _page(request, selectors.public_bases(region_code=form.value("city"),
                                                 level=form.value("level"), q=form.value("q")))
    return render(request, "providers/public/base_list.html", {
        "form": form, "page": page, "query": _query(request),
        "filtered": any(form.value(name) for name in ("q", "city", "level"))})


def base_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        base: TrainingBase = selectors.public_base_get(pk=pk)
    except TrainingBase.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "providers/public/base_detail.html", {
        "base": base, "provider": base.provider,
        "results": list(selectors.public_results(base=base)[:50])})


def results(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET or None, with_kind=False)
    if "level" in form.fields:
        del form.fields["level"]
    if "q" in form.fields:
        del form.fields["q"]
    page = _page(request, selectors.public_results(region_code=form.value("city")))
    return render(request, "providers/public/results.html", {
        "form": form, "page": page, "query": _query(request),
        "filtered": bool(form.value("city"))})


def coverage(request: HttpRequest) -> HttpResponse:
    rows = selectors.coverage(user=None)
    return render(request, "providers/public/coverage.html", {
        "rows": rows, "uncovered": selectors.cities_without_base(rows)})
