"""Spreadsheet downloads, the same everywhere: CSV with a byte order mark and semicolons
(what French Excel opens as is), streamed row by row; XLSX written in one pass."""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse, StreamingHttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    """A file that gives back what is written to it, for csv.writer to format a row."""

    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, rows: Iterable[list]) -> StreamingHttpResponse:
    """``filename``.csv from ``rows`` (the header first), read as they are sent."""
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, sheet_title: str, rows: Iterable[list]) -> HttpResponse:
    """``filename``.xlsx, one sheet of ``rows`` (the header first)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(sheet_title)[:31])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
