"""Importing the providers list on the web: the shared import flow
(``skillplan.imports.views``) configured for ``providers.imports.ProvidersTemplate``.

Only federation staff import providers (in their own area): the template's ``check_actor``
refuses everyone else on every page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.imports.flows import FlowTexts, ImportFlow
from skillplan.imports.views import flow_views
from skillplan.providers.imports import ProvidersTemplate, providers_template_file

FLOW = ImportFlow(
    kind=ProvidersTemplate.kind, permission=roles.CHANGE_PROVIDER, namespace="providers",
    back="providers:list", template_file=providers_template_file,
    template_filename="培训机构名册-模板.xlsx",
    texts=FlowTexts(
        title=_("Import training providers"),
        intro=_("Upload the providers list; it is checked first and nothing is saved until you "
                "have seen the result of the check and confirmed. Providers are matched by "
                "their unified social credit code: a known code updates the provider, a new "
                "one registers it."),
        file_label=_("Providers file"),
        template_link=_("Download the empty providers template (.xlsx, with one sample row)"),
        recent_heading=_("Your recent providers files"),
        created_done=_("New providers registered"),
        created_todo=_("New providers to register"),
        updated_done=_("Providers updated"), updated_todo=_("Providers to update"),
    ),
)
import_upload, import_template, import_preview, import_report = flow_views(FLOW)
