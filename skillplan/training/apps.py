from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_view_classes(user: Any) -> bool:
    from skillplan.accounts import roles

    return bool(user.has_perm(roles.VIEW_CLASS))


class TrainingConfig(AppConfig):
    name = "skillplan.training"
    label = "training"
    verbose_name = _("Training classes")

    def ready(self) -> None:
        from skillplan.training.hooks_enrolments import register_enrolment_hooks

        register_enrolment_hooks()  # roster: audit labels, export job, person's classes
        from skillplan.training.hooks_during import register_during_hooks

        register_during_hooks()  # attendance, inspections, results: audit labels, exports
        from skillplan.training.hooks_imports import register_import_hooks

        register_import_hooks()  # templates 2 and 3: roster and results imports
        _register_lifecycle()


def _may_see_late_results(user: Any) -> bool:
    from skillplan.accounts import roles

    return bool(user.has_perm(roles.APPROVE_CLASS))


def _register_lifecycle() -> None:
    """The class pages (helper "lifecycle"): navigation, audit labels, the list export."""
    from skillplan.audit.labels import register_events
    from skillplan.core.navigation import NavItem, register
    from skillplan.jobs import handlers
    from skillplan.training import exports

    handlers.register(exports.KIND, exports.export_classes)
    register(NavItem(label=_("Training classes"), url_name="training:list", order=40,
                     allowed=_may_view_classes))
    register(NavItem(label=_("Late results"), url_name="training:late", order=41,
                     allowed=_may_see_late_results))
    register_events({
        "class.created": _("Class opened (draft)"),
        "class.changed": _("Class details changed"),
        "class.submitted": _("Class application submitted (开班申请)"),
        "class.approved": _("Class application approved"),
        "class.returned": _("Class application returned with comments"),
        "class.started": _("Class started"),
        "class.ended": _("Class ended"),
        "class.completion_submitted": _("Completion submitted for review (结业审核)"),
        "class.completion_approved": _("Completion approved"),
        "class.completion_returned": _("Completion returned with comments"),
        "class.closed": _("Class closed"),
        "class.cancelled": _("Class cancelled"),
        "class.evaluator_assigned": _("Third-party evaluator of the class changed"),
        "classes.exported": _("Training classes exported"),
    })
