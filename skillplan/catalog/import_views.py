"""Importing the catalog template on the web: the shared import flow
(``skillplan.imports.views``) configured for ``catalog.imports.ProjectsTemplate``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.catalog.imports import ProjectsTemplate, projects_template_file
from skillplan.imports.flows import FlowTexts, ImportFlow
from skillplan.imports.views import flow_views

FLOW = ImportFlow(
    kind=ProjectsTemplate.kind, permission=roles.CHANGE_PROJECT, namespace="catalog",
    back="catalog:list", template_file=projects_template_file,
    template_filename="培训目录清单-模板.xlsx",
    texts=FlowTexts(
        title=_("Import training projects"),
        intro=_("Upload the catalog file; it is checked first and nothing is saved until you "
                "have seen the result of the check and confirmed."),
        form_note=_("Every row becomes a draft project of its region. A row for a draft that "
                    "already exists (same name and region) updates that draft; importing the "
                    "same file again creates nothing new."),
        file_label=_("Catalog file"),
        template_link=_("Download the empty catalog template (.xlsx, with one sample row)"),
        recent_heading=_("Your recent catalog files"),
        created_done=_("New draft projects created"),
        created_todo=_("New draft projects to create"),
        updated_done=_("Draft projects updated"), updated_todo=_("Draft projects to update"),
    ),
)
import_upload, import_template, import_preview, import_report = flow_views(FLOW)
