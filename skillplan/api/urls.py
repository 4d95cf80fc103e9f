from django.urls import path

from skillplan.api.router import api

urlpatterns = [path("", api.urls)]
