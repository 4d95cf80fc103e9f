"""Public verification of training certificates, mounted by config/urls.py under
/public/certificates/ (no sign-in)."""

from django.urls import path

from skillplan.certificates import public_views

app_name = "public_certificates"

urlpatterns = [
    path("", public_views.verify, name="verify"),
]
