"""Public pages of the carriers (no login), mounted under /public/carriers/."""

from django.urls import path

from skillplan.carriers import views

app_name = "public_carriers"

urlpatterns = [
    path("", views.public_list, name="list"),
]
