from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("skillplan.portal.urls")),
    path("", include("skillplan.core.urls")),
    path("accounts/", include("skillplan.accounts.urls")),
    path("persons/", include("skillplan.people.urls")),
    path("providers/", include("skillplan.providers.urls")),
    path("public/carriers/", include("skillplan.carriers.public_urls")),
    path("public/catalog/", include("skillplan.catalog.public_urls")),
    path("public/", include("skillplan.providers.public_urls")),
    path("carriers/", include("skillplan.carriers.urls")),
    path("regions/", include("skillplan.regions.urls")),
    path("audit/", include("skillplan.audit.urls")),
    path("jobs/", include("skillplan.jobs.urls")),
    path("catalog/", include("skillplan.catalog.urls")),
    path("classes/", include("skillplan.training.urls")),
    path("certificates/", include("skillplan.certificates.urls")),
    path("subsidies/", include("skillplan.subsidies.urls")),
    path("public/certificates/", include("skillplan.certificates.public_urls")),
    path("api/", include("skillplan.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
