from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("skillplan.portal.urls")),
    path("", include("skillplan.core.urls")),
    path("accounts/", include("skillplan.accounts.urls")),
    path("persons/", include("skillplan.people.urls")),
    path("regions/", include("skillplan.regions.urls")),
    path("audit/", include("skillplan.audit.urls")),
    path("jobs/", include("skillplan.jobs.urls")),
    path("api/", include("skillplan.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
