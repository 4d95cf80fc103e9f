from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "skillplan.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from skillplan.accounts.exports import KIND, export_users
        from skillplan.accounts.roles import VIEW_DIRECTORY
        from skillplan.audit.labels import register_events
        from skillplan.core.navigation import NavItem, register
        from skillplan.jobs.handlers import register as register_job_handler

        register_job_handler(KIND, export_users)
        register_events({
            "user.created": _("Account created"),
            "user.updated": _("Account details changed"),
            "user.activated": _("Account activated"),
            "user.deactivated": _("Account deactivated"),
            "user.unlocked": _("Sign-in unlocked"),
            "user.two_factor_reset": _("Two-factor sign-in reset"),
            "users.exported": _("Users exported"),
            "auth.login": _("Signed in"),
            "auth.login_failed": _("Failed sign-in"),
            "auth.locked": _("Sign-in locked after failed attempts"),
            "auth.password_changed": _("Password changed"),
            "auth.two_factor_enabled": _("Two-factor sign-in turned on"),
            "auth.two_factor_replaced": _("Two-factor key replaced"),
            "api_token.created": _("API token created"),
            "api_token.revoked": _("API token revoked"),
            "api_token.revoked_all": _("All API tokens revoked"),
        })

        register(
            NavItem(
                label=_("Users"),
                url_name="accounts:user_list",
                order=70,
                allowed=lambda user: user.has_perm(VIEW_DIRECTORY),
            )
        )
