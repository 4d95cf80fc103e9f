from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "skillplan.api"
    label = "api"
