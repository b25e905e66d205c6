"""Middleware of the shared toolbox: junk that never reaches a view, and error pages
that speak French."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

NUL = "\x00"


class RejectNullBytesMiddleware:
    """A NUL character is never valid input (PostgreSQL refuses it in text): a request
    that carries one in its path, query string, cookies or form answers 400 with the
    French page, before any view or lookup sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_nul(request):
            return render(request, "400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if NUL in request.path or NUL in request.path_info:
            return True
        if any(NUL in key or any(NUL in v for v in values) for key, values in request.GET.lists()):
            return True
        if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
            return True
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            try:
                items = request.POST.lists()
            except Exception:
                return False
            return any(NUL in key or any(NUL in v for v in values) for key, values in items)
        return False


class MethodNotAllowedPageMiddleware:
    """Django answers a wrong method (a GET to a form that only takes POST) with an empty
    405 that browsers show in English: give it the portal's French page instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
