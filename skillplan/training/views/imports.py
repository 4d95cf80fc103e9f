"""Pages: importing a class roster (template 2) or its results (template 3) from the class's
pages, through the shared import flow (``skillplan.imports.views``).

An upload made on a class's page belongs to that class (its ``options``): the file may leave
out 班级编号, and rows naming another class are rejected. A class the user does not run answers
404, like one that does not exist; users who may not import rosters get 403.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from skillplan.accounts import roles
from skillplan.imports.flows import FlowTexts, ImportFlow, Target
from skillplan.imports.views import preview_view, report_view, template_response, upload_view
from skillplan.training.imports import (
    CompletionsTemplate,
    EnrolmentsTemplate,
    completions_template_file,
    enrolments_template_file,
)
from skillplan.training.models import TrainingClass
from skillplan.training.selectors import class_get


@dataclass(frozen=True)
class ClassImportFlow(ImportFlow):
    """A flow whose uploads belong to one class (``options = {"training_class": pk}``)."""

    closed_notice: Any = ""  # shown when the class does not take this kind of file now

    def is_open(self, training_class: TrainingClass, user: Any) -> bool:
        if self.kind == EnrolmentsTemplate.kind:
            return training_class.can_enrol(user)
        return training_class.can_enter_results(user)

    def target_from_url(self, request: HttpRequest, kwargs: Mapping[str, Any]) -> Target:
        return self._target(request, kwargs["pk"])

    def target_from_options(self, request: HttpRequest, options: Mapping[str, Any]) -> Target:
        return self._target(request, options["training_class"])

    def _target(self, request: HttpRequest, pk: int) -> Target:
        training_class = class_get(user=request.user, pk=pk, permission=roles.CHANGE_CLASS)
        notice = "" if self.is_open(training_class, request.user) else self.closed_notice
        return Target(
            upload_url=reverse(f"training:{self.upload_name}", args=[pk]),
            template_url=template_url(self.kind, pk), back_url=reverse(self.back, args=[pk]),
            options={"training_class": pk},
            context={"training_class": training_class, "target_notice": notice,
                     "target_label": f"{training_class.code} {training_class.name}"})


def template_url(kind: str, class_pk: int | None = None) -> str:
    query = {"kind": kind, **({"class": class_pk} if class_pk is not None else {})}
    return f"{reverse('training:import_template')}?{urlencode(query)}"


_COMMON = {"permission": roles.IMPORT_ENROLMENTS, "namespace": "training",
           "preview_name": "import_preview", "report_name": "import_report"}

ROSTER = ClassImportFlow(
    kind=EnrolmentsTemplate.kind, back="training:roster", upload_name="roster_import",
    template_file=enrolments_template_file, template_filename="培训班学员名单-模板.xlsx",
    texts=FlowTexts(
        title=_("Import the class roster"),
        intro=_("Upload the list of trainees (培训班学员名单); it is checked first and nothing is "
                "saved until you have seen the result of the check and confirmed. Each row is "
                "enrolled with the same checks as on the roster page: a valid certificate, age, "
                "disability category, no overlapping class, free places."),
        form_note=_("The column 班级编号 may be left out: every row is for this class. A person "
                    "not yet registered can be registered with the row by federation staff: "
                    "fill in the person columns of the persons roster (姓名, 残疾人证号, "
                    "户籍地 …). Importing the same file again changes nothing."),
        file_label=_("Roster file"),
        template_link=_("Download the empty class roster template (.xlsx, with one sample "
                        "row)"),
        recent_heading=_("Your recent roster files for this class"),
        created_done=_("Trainees enrolled"), created_todo=_("Trainees to enrol"),
        updated_done=_("Rows updated"), updated_todo=_("Rows to update"),
        back_link=_("Back to the roster"),
    ),
    closed_notice=_("This class does not take enrolments now (only from its approval until it "
                    "ends): every row of a file would be rejected."),
    **_COMMON,
)
RESULTS = ClassImportFlow(
    kind=CompletionsTemplate.kind, back="training:results", upload_name="results_import",
    template_file=completions_template_file, template_filename="结业成绩-模板.xlsx",
    texts=FlowTexts(
        title=_("Import the completion results"),
        intro=_("Upload the results sheet (结业成绩): per trainee, 是否合格 (合格 or 不合格), and "
                "optionally the score, the certificate number and the days attended. It is "
                "checked first and nothing is saved until you have confirmed."),
        form_note=_("Trainees are found by ID number on this class's roster. A blank score, "
                    "certificate number or days attended keeps what was recorded. Importing "
                    "the same file again changes nothing."),
        file_label=_("Results file"),
        template_link=_("Download the empty results template (.xlsx, with one sample row)"),
        recent_heading=_("Your recent results files for this class"),
        created_done=_("Results entered"), created_todo=_("Results to enter"),
        updated_done=_("Results changed"), updated_todo=_("Results to change"),
        back_link=_("Back to the results"),
    ),
    closed_notice=_("Results are entered after the class has ended and before completion is "
                    "submitted: every row of a file would be rejected now."),
    **_COMMON,
)
FLOWS = {flow.kind: flow for flow in (ROSTER, RESULTS)}
_WRITERS = {ROSTER.kind: enrolments_template_file, RESULTS.kind: completions_template_file}

roster_import = upload_view(ROSTER)
results_import = upload_view(RESULTS)
import_preview = preview_view(ROSTER, RESULTS)
import_report = report_view(ROSTER, RESULTS)


@login_required
@permission_required(roles.IMPORT_ENROLMENTS, raise_exception=True)
@require_GET
def import_template(request: HttpRequest) -> FileResponse:
    """The empty template of ``?kind=enrolments|completions`` (the roster when not given); with
    ``&class=<pk>`` its sample row names that class (which the user must run: 404 otherwise)."""
    flow = FLOWS.get(request.GET.get("kind") or ROSTER.kind)
    if flow is None:
        raise Http404
    EnrolmentsTemplate().check_actor(request.user)
    class_code = None
    if request.GET.get("class"):
        try:
            pk = int(request.GET["class"])
        except ValueError as error:
            raise Http404 from error
        class_code = class_get(user=request.user, pk=pk, permission=roles.CHANGE_CLASS).code
    writer = _WRITERS[flow.kind]
    if class_code is None:
        return template_response(flow)
    return template_response(flow, lambda path: writer(path, class_code=class_code))
