from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "skillplan.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from skillplan.accounts.exports import KIND, export_users
        from skillplan.accounts.roles import VIEW_DIRECTORY
        from skillplan.core.navigation import NavItem, register
        from skillplan.jobs.handlers import register as register_job_handler

        register_job_handler(KIND, export_users)

        register(
            NavItem(
                label=_("Users"),
                url_name="accounts:user_list",
                order=70,
                allowed=lambda user: user.has_perm(VIEW_DIRECTORY),
            )
        )
