"""Importing a person roster on the web: the shared import flow (``skillplan.imports.views``)
configured for template 1 (``people.imports.PersonsTemplate``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from skillplan.imports.flows import FlowTexts, ImportFlow
from skillplan.imports.views import flow_views
from skillplan.people.imports import PersonsTemplate, persons_template_file
from skillplan.people.permissions import IMPORT_PERSONS

FLOW = ImportFlow(
    kind=PersonsTemplate.kind, permission=IMPORT_PERSONS, namespace="people", back="people:list",
    template_file=persons_template_file, template_filename="残疾人信息花名册-模板.xlsx",
    texts=FlowTexts(
        title=_("Import a person roster"),
        intro=_("Upload the roster; it is checked first and nothing is saved until you have "
                "seen the result of the check and confirmed."),
        file_label=_("Roster file"),
        template_link=_("Download the empty roster template (.xlsx, with one sample row)"),
        recent_heading=_("Your recent roster files"),
        created_done=_("New persons registered"), created_todo=_("New persons to register"),
        updated_done=_("Persons updated"), updated_todo=_("Persons to update"),
    ),
)
import_upload, import_template, import_preview, import_report = flow_views(FLOW)
