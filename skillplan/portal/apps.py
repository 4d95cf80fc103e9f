from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "skillplan.portal"
    label = "portal"
