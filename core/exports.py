"""Spreadsheet downloads, the same everywhere.

Rows hold typed values (text, numbers, dates, date-times, booleans, None), and one
place decides how each type is written:

- CSV: UTF-8 with a byte order mark and semicolons (what French Excel opens as is),
  numbers with a decimal comma, dates as 03/12/2015, times in Europe/Paris, streamed
  row by row;
- XLSX: numbers as numbers, dates as dates, so that staff can sort and sum.

In both, a text that a spreadsheet would take for a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return: OWASP's "CSV injection") never runs: in CSV it
is prefixed with an apostrophe, in XLSX it is stored as text.
"""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import licences

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_DATE = "DD/MM/YYYY"
XLSX_DATETIME = "DD/MM/YYYY HH:MM"


def neutralised(text: str) -> str:
    """A text a spreadsheet will show as it is, never evaluate."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def french_number(value: float | Decimal) -> str:
    """A number the French way, without trailing zeros: 3.50 → « 3,5 », 120.0000 → « 120 »."""
    text = f"{value:f}" if isinstance(value, Decimal) else f"{value:.6f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def csv_cell(value) -> str:
    """A typed value as CSV text, the French way."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, datetime):
        return _local(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return french_number(value)
    return neutralised(str(value))


class _Echo:
    """A file that gives back what is written to it, for csv.writer to format a row."""

    def write(self, value: str) -> str:
        return value


def licence_headers(response: HttpResponse) -> HttpResponse:
    """Say under which licence the data is reused, in the response's headers (a CSV has
    nowhere else to say it without adding a row)."""
    response["Link"] = f'<{licences.LICENCE_URL}>; rel="license"'
    return response


def csv_response(filename: str, rows: Iterable[list]) -> StreamingHttpResponse:
    """``filename``.csv from ``rows`` (the header first), read as they are sent."""
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_bytes(sheet_title: str, rows: Iterable[list], *, about: list[tuple] = ()) -> bytes:
    """An XLSX workbook: one sheet of ``rows`` (the header first), values typed; and,
    with ``about``, a second sheet of (label, value) pairs saying what the data is."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(sheet_title)[:31])

    def cell(value):
        if value is None:
            return None
        if isinstance(value, bool):
            return str(_("oui") if value else _("non"))
        written = WriteOnlyCell(sheet)
        if isinstance(value, datetime):
            written.value = _local(value).replace(tzinfo=None)
            written.number_format = XLSX_DATETIME
        elif isinstance(value, date):
            written.value = value
            written.number_format = XLSX_DATE
        elif isinstance(value, int | float | Decimal):
            written.value = value
        else:
            # Text stays text: openpyxl would otherwise store "=…" as a formula.
            written.value = str(value)
            written.data_type = "s"
        return written

    for row in rows:
        sheet.append([cell(value) for value in row])
    if about:
        notes = workbook.create_sheet(str(_("À propos"))[:31])
        for label, value in about:
            notes.append([str(label), str(value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, sheet_title: str, rows: Iterable[list], *, about: list[tuple] = ()
) -> HttpResponse:
    """``filename``.xlsx, one sheet of ``rows`` (the header first)."""
    response = HttpResponse(xlsx_bytes(sheet_title, rows, about=about), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
