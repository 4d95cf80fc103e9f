from django.urls import path

from skillplan.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
