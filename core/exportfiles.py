"""Exports that may be too big for a request.

An export view describes its file with a *builder*: a function of an app's exports
module, ``builder(query, *, fmt, user, base_url, **arguments)``, returning a ``Table``
(CSV or XLSX) or a ``Document`` (GeoJSON) of exactly the rows of the page with the same
query string. ``export_or_defer`` then answers at once when the export is small (CSV
still streams), and otherwise records an ``ExportFile`` for the worker and sends the
person to a page that shows its progress, then its download link. The file is kept
EXPORT_FILE_HOURS hours and only its requester can read it: their account, or for a
visitor without one, their browser session.
"""

from __future__ import annotations

import csv
import json
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from core.exports import XLSX, csv_cell, csv_response, licence_headers, xlsx_bytes, xlsx_response
from core.models import ExportFile

# Progress is written every so many rows.
PROGRESS_STEP = 500
GEOJSON = "application/geo+json"


@dataclass
class Table:
    """Rows (the header first) for a CSV or an XLSX file."""

    filename: str
    sheet: str
    rows: Iterable[list]
    about: list[tuple] = field(default_factory=list)
    licensed: bool = False


@dataclass
class Document:
    """A GeoJSON file."""

    filename: str
    data: dict
    licensed: bool = False


def response(content: Table | Document, fmt: str) -> HttpResponse:
    """The download, made now."""
    if isinstance(content, Document):
        answer = JsonResponse(content.data, json_dumps_params={"ensure_ascii": False})
        answer["Content-Type"] = GEOJSON
        answer["Content-Disposition"] = f'attachment; filename="{content.filename}.geojson"'
    elif fmt == "xlsx":
        answer = xlsx_response(content.filename, content.sheet, content.rows, about=content.about)
    else:
        answer = csv_response(content.filename, content.rows)
    return licence_headers(answer) if content.licensed else answer


def origin(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def export_or_defer(
    request: HttpRequest,
    *,
    builder: str,
    fmt: str,
    rows: int,
    label: str,
    arguments: dict | None = None,
) -> HttpResponse:
    """The export of ``rows`` rows made by ``builder``: at once when small, else by the
    worker, the person being sent to its progress page."""
    arguments = arguments or {}
    user = request.user if request.user.is_authenticated else None
    if rows <= settings.EXPORT_BACKGROUND_ROWS:
        content = import_string(builder)(
            request.GET, fmt=fmt, user=user, base_url=origin(request), **arguments
        )
        return response(content, fmt)
    if user is None:
        # A visitor without an account: their session says the file is theirs.
        request.session["exports"] = True
        request.session.save()
    export = ExportFile.objects.create(
        token=secrets.token_urlsafe(24),
        owner=user,
        session_key="" if user else request.session.session_key,
        label=label[:300],
        builder=builder,
        arguments=arguments,
        query=request.GET.urlencode(),
        format=fmt,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        base_url=origin(request),
        rows_total=rows,
        expires_at=timezone.now() + timedelta(hours=settings.EXPORT_FILE_HOURS),
    )
    transaction.on_commit(lambda: _enqueue(export.pk))
    return HttpResponseRedirect(reverse("exports:progress", args=[export.token]))


def _enqueue(export_id: int) -> None:
    from core.tasks import prepare_export

    prepare_export.enqueue(export_id)


def export_for(request: HttpRequest, token: str) -> ExportFile:
    """The export of this token, if it is the requester's (404 otherwise, as if it did
    not exist)."""
    found = ExportFile.objects.filter(token=token, expires_at__gt=timezone.now()).first()
    if found is None:
        raise Http404
    if found.owner_id is not None:
        mine = request.user.is_authenticated and request.user.pk == found.owner_id
    else:
        mine = bool(found.session_key) and request.session.session_key == found.session_key
    if not mine:
        raise Http404
    return found


def _counted(rows: Iterable[list], export: ExportFile) -> Iterator[list]:
    """The rows, noting the progress as they are written (the header is not a row)."""
    done = -1
    for row in rows:
        yield row
        done += 1
        if done and done % PROGRESS_STEP == 0:
            ExportFile.objects.filter(pk=export.pk).update(rows_done=done)
    ExportFile.objects.filter(pk=export.pk).update(rows_done=max(done, 0))


def _write(content: Table | Document, fmt: str, export: ExportFile, out) -> tuple[str, str]:
    """Write the file into ``out`` (binary); returns its name and type."""
    if isinstance(content, Document):
        out.write(json.dumps(content.data, ensure_ascii=False).encode())
        return f"{content.filename}.geojson", GEOJSON
    rows = _counted(content.rows, export)
    if fmt == "xlsx":
        out.write(xlsx_bytes(content.sheet, rows, about=content.about))
        return f"{content.filename}.xlsx", XLSX
    text = _TextOut(out)
    text.write("\ufeff")
    writer = csv.writer(text, delimiter=";")
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return f"{content.filename}.csv", "text/csv; charset=utf-8"


class _TextOut:
    def __init__(self, out) -> None:
        self.out = out

    def write(self, value: str) -> None:
        self.out.write(value.encode())


def export_prepare(export_id: int, *, build: Callable | None = None) -> str:
    """The worker makes the file of an export; returns its status."""
    export = ExportFile.objects.select_related("owner").get(pk=export_id)
    if not export.is_running:
        return export.status
    ExportFile.objects.filter(pk=export.pk).update(status=ExportFile.Status.RUNNING)
    try:
        with translation.override(export.language), tempfile.TemporaryFile() as out:
            content = (build or import_string(export.builder))(
                QueryDict(export.query),
                fmt=export.format,
                user=export.owner,
                base_url=export.base_url,
                **export.arguments,
            )
            filename, content_type = _write(content, export.format, export, out)
            out.seek(0)
            export.file.save(f"{export.token}/{filename}", File(out), save=False)
    except Exception as error:
        ExportFile.objects.filter(pk=export.pk).update(
            status=ExportFile.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    ExportFile.objects.filter(pk=export.pk).update(
        status=ExportFile.Status.READY,
        file=export.file.name,
        filename=filename,
        content_type=content_type,
        licensed=content.licensed,
        finished_at=timezone.now(),
    )
    return ExportFile.Status.READY


def exports_expire() -> int:
    """Delete the exports past their time, with their files."""
    gone = 0
    for export in ExportFile.objects.filter(expires_at__lte=timezone.now()):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        gone += 1
    return gone
