from django.urls import path

from skillplan.catalog import public_views

app_name = "public_catalog"

urlpatterns = [
    path("", public_views.project_list, name="list"),
    path("<int:pk>/", public_views.project_detail, name="detail"),
    path("brands/", public_views.brand_list, name="brands"),
]
