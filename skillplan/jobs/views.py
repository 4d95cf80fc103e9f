from django.http import HttpRequest, HttpResponse


def job_list(request: HttpRequest) -> HttpResponse:  # placeholder, built next
    return HttpResponse(status=404)


job_detail = job_progress_fragment = job_download = job_list
