"""What differs between the web imports of the apps: one :class:`ImportFlow` per kind of file.

The pages themselves (``views.py``, ``templates/imports/``) are the same for every kind: upload →
check (a dry run in the background) → preview → confirm → import job → result and error report.
A flow says which template it imports, who may use it (a permission), the words of its pages,
the URL names of its four pages and where "Cancel" leads. A flow whose uploads belong to one
record (a class roster uploaded on the class's page) overrides :meth:`ImportFlow.target_from_url`
and :meth:`ImportFlow.target_from_options`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class FlowTexts:
    """The words of a flow's pages (lazy translatable strings)."""

    title: Any  # "Import a person roster"
    intro: Any  # the paragraph under the title of the upload page
    file_label: Any  # "Roster file"
    template_link: Any  # "Download the empty roster template (.xlsx, with one sample row)"
    recent_heading: Any  # "Your recent roster files"
    created_done: Any  # "New persons registered"
    created_todo: Any  # "New persons to register"
    updated_done: Any  # "Persons updated"
    updated_todo: Any  # "Persons to update"
    form_note: Any = ""  # a paragraph inside the upload form (what a row does)
    back_link: Any = ""  # a link to the flow's "back" page once the import is done


@dataclass(frozen=True)
class Target:
    """What one upload is for and where its pages link.

    ``options`` are kept on the upload and given to the template (``configure``); ``context``
    is added to the pages' context (e.g. the class).
    """

    upload_url: str
    template_url: str
    back_url: str
    options: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportFlow:
    """One kind of web import: its template, permission, words and URL names."""

    kind: str  # the template's KIND (``core.imports.registry``)
    permission: str  # needed for every page of the flow (403 without)
    namespace: str  # the URL namespace of the pages ("people")
    back: str  # URL name "Cancel" leads to ("people:list")
    texts: FlowTexts
    template_file: Callable[[Path], None]  # writes the empty template (.xlsx)
    template_filename: str  # its download name ("残疾人信息花名册-模板.xlsx")
    upload_name: str = "import_upload"
    preview_name: str = "import_preview"
    report_name: str = "import_report"
    template_name: str = "import_template"

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"{self.namespace}:{name}", args=args)

    def target_from_url(self, request: HttpRequest, kwargs: Mapping[str, Any]) -> Target:
        """The target of the upload page, from its URL's arguments (404 when out of scope)."""
        return Target(upload_url=self.url(self.upload_name),
                      template_url=self.url(self.template_name), back_url=reverse(self.back))

    def target_from_options(self, request: HttpRequest, options: Mapping[str, Any]) -> Target:
        """The target of an existing upload, from the options kept on it."""
        return self.target_from_url(request, {})
