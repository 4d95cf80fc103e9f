from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "skillplan.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from skillplan.audit.labels import register_events
        from skillplan.core.navigation import NavItem, register

        register_events({"job.started": _("Background job started"),
                         "job.downloaded": _("Job file downloaded")})
        register(
            NavItem(
                label=_("My jobs"),
                url_name="jobs:list",
                order=85,
                allowed=lambda user: user.is_authenticated,
            )
        )
