"""Public disclosure pages, mounted by config/urls.py under /public/ (no sign-in)."""

from django.urls import path

from skillplan.providers import public_views

app_name = "public_providers"

urlpatterns = [
    path("providers/", public_views.provider_list, name="provider_list"),
    path("providers/<int:pk>/", public_views.provider_detail, name="provider_detail"),
    path("bases/", public_views.base_list, name="base_list"),
    path("bases/<int:pk>/", public_views.base_detail, name="base_detail"),
    path("bases/results/", public_views.results, name="results"),
    path("bases/coverage/", public_views.coverage, name="coverage"),
]
