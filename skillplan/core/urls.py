from django.urls import path

from skillplan.core import views

app_name = "core"

urlpatterns = [
    path("preferences/display/", views.display_preferences_toggle, name="display_preferences"),
    path("healthz", views.healthz, name="healthz"),
]
