"""The pages of exports prepared by the worker: progress, then the download, for their
requester only (core.exportfiles)."""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.exportfiles import export_for
from core.exports import licence_headers

# The progress page reloads itself this often while the file is being made.
REFRESH_SECONDS = 2


@never_cache
@require_GET
def export_progress(request: HttpRequest, token: str) -> HttpResponse:
    export = export_for(request, token)
    paused = "pause" in request.GET
    return render(
        request,
        "exports/progress.html",
        {
            "export": export,
            "paused": paused,
            "refresh": REFRESH_SECONDS if export.is_running and not paused else None,
        },
    )


@never_cache
@require_GET
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    export = export_for(request, token)
    if not export.is_ready:
        return export_progress(request, token)
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type=export.content_type,
    )
    return licence_headers(response) if export.licensed else response
