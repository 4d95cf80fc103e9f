from django.urls import path

from skillplan.carriers import views

app_name = "carriers"

urlpatterns = [
    path("", views.carrier_list, name="list"),
    path("new/", views.carrier_create, name="create"),
    path("export/", views.carrier_export, name="export"),
    path("<int:pk>/", views.carrier_detail, name="detail"),
    path("<int:pk>/edit/", views.carrier_edit, name="edit"),
    path("<int:pk>/status/", views.carrier_status, name="status"),
]
