from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "skillplan.core"
    label = "core"
    verbose_name = "Core"
