"""The filter of the fund pages: a year, and for the province a city."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.subsidies.selectors_funds import FundFilters, cities_in_scope


class FundFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              help_text=_("Classes that start in this year."))
    city = forms.ChoiceField(label=_("City"), required=False)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cities = cities_in_scope(user=user)
        if cities:
            self.fields["city"].choices = [("", _("All cities"))] + [
                (city.code, city.name) for city in cities]
        else:
            del self.fields["city"]

    def filters(self) -> FundFilters:
        """The valid filters; the current year when the year is missing or invalid."""
        year = timezone.localdate().year
        if not self.is_bound or not self.is_valid():
            return FundFilters(year=year)
        return FundFilters(year=self.cleaned_data["year"] or year,
                           city=self.cleaned_data.get("city") or "")

    def query_values(self) -> list[tuple[str, str]]:
        filters = self.filters()
        values = [("year", str(filters.year))]
        if filters.city:
            values.append(("city", filters.city))
        return values
