from django.urls import path

from skillplan.catalog import import_views, views

app_name = "catalog"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create_view, name="create"),
    path("export/", views.project_export, name="export"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/submit/", views.project_submit_view, name="submit"),
    path("<int:pk>/publish/", views.project_publish_view, name="publish"),
    path("<int:pk>/return/", views.project_return_view, name="return"),
    path("<int:pk>/withdraw/", views.project_withdraw_view, name="withdraw"),
    path("<int:pk>/copy/", views.project_copy_view, name="copy"),
    path("brands/", views.brand_overview, name="brands"),
    path("brands/export/", views.brand_export, name="brands_export"),
    path("brands/choose/", views.brand_designate, name="brand_designate"),
    path("brands/<int:pk>/remove/", views.brand_remove, name="brand_remove"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/template/", import_views.import_template, name="import_template"),
    path("import/<uuid:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<uuid:pk>/report/", import_views.import_report, name="import_report"),
]
