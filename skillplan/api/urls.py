from django.urls import path, re_path

from skillplan.api.errors import not_found_view
from skillplan.api.router import api

urlpatterns = [
    path("", api.urls),
    # Unknown addresses under /api/ answer in the error contract too.
    re_path(r"^.*$", not_found_view, name="api_not_found"),
]
