"""Placeholder views; the import flow replaces them."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=404)


import_upload = import_template = import_preview = import_report = _todo
