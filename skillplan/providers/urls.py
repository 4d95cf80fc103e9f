from django.urls import path

from skillplan.providers import import_views, views

app_name = "providers"

urlpatterns = [
    path("", views.provider_list, name="list"),
    path("new/", views.provider_create, name="create"),
    path("export/", views.provider_export, name="export"),
    path("<int:pk>/", views.provider_detail, name="detail"),
    path("<int:pk>/edit/", views.provider_edit, name="edit"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/template/", import_views.import_template, name="import_template"),
    path("import/<uuid:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<uuid:pk>/report/", import_views.import_report, name="import_report"),
    path("bases/", views.base_list, name="base_list"),
    path("bases/apply/", views.base_apply, name="base_apply"),
    path("bases/export/", views.base_export, name="base_export"),
    path("bases/<int:pk>/", views.base_detail, name="base_detail"),
    path("bases/<int:pk>/edit/", views.base_edit, name="base_edit"),
    path("bases/<int:pk>/submit/", views.base_submit, name="base_submit"),
    path("bases/<int:pk>/review/", views.base_review, name="base_review"),
    path("bases/<int:pk>/accredit/", views.base_accredit, name="base_accredit"),
    path("bases/<int:pk>/evaluate/", views.base_evaluate, name="base_evaluate"),
    path("evaluations/<int:pk>/decide/", views.evaluation_decide, name="evaluation_decide"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/new/", views.indicator_edit, name="indicator_create"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/export/", views.coverage_export, name="coverage_export"),
]
