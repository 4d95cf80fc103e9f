from django.urls import path

from skillplan.people import import_views, views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create_view, name="create"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("merge/", views.person_merge_view, name="merge"),
    path("export/", views.person_export, name="export"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/reveal/", views.person_reveal_view, name="reveal"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/template/", import_views.import_template, name="import_template"),
    path("import/<uuid:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<uuid:pk>/report/", import_views.import_report, name="import_report"),
]
