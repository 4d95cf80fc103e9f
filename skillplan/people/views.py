"""Placeholder views; the registry pages replace them."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=404)


person_list = person_create_view = duplicate_list = person_merge_view = person_export = _todo
person_detail = person_edit = person_reveal_view = _todo
