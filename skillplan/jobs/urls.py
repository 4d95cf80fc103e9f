from django.urls import path

from skillplan.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<uuid:pk>/", views.job_detail, name="detail"),
    path("<uuid:pk>/progress/", views.job_progress_fragment, name="progress"),
    path("<uuid:pk>/download/", views.job_download, name="download"),
]
