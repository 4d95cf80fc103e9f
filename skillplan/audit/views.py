from django.http import HttpRequest, HttpResponse


def audit_list(request: HttpRequest) -> HttpResponse:  # replaced by the audit viewer
    return HttpResponse(status=404)
audit_detail = audit_list
