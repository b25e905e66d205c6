"""Reading a table that staff upload (CSV or XLSX), safely: within a size, a number of
rows and columns; CSV as French Excel saves it (semicolons, a byte order mark, or
Windows-1252); never a traceback, but one French message that says what is wrong."""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

MB = 1024 * 1024


class TableError(ValueError):
    """A problem with the whole file, said in French for the person who sent it."""


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]  # each as long as the header; the first is the file's line 2
    overflowing: set[int]  # indexes of rows with values beyond the last column


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise TableError(
            _("Ce fichier contient des caractères nuls : ce n'est pas un CSV lisible. "
              "Enregistrez-le de nouveau au format CSV ou XLSX.")
        )  # fmt: skip
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # French Excel's "CSV (séparateur : point-virgule)" is in Windows-1252.
        return raw.decode("cp1252", errors="replace")


def _csv_rows(raw: bytes) -> list[list[str]]:
    text = _decode(raw)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        return [[_text(cell) for cell in row] for row in reader]
    except csv.Error as error:
        raise TableError(_("Ce CSV est mal formé : %(error)s.") % {"error": error}) from error


def _xlsx_rows(raw: bytes, max_rows: int, max_columns: int) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TableError(
            _("Ce classeur XLSX est illisible. Enregistrez-le de nouveau depuis votre tableur.")
        ) from error
    sheet = workbook.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True, max_col=max_columns + 1):
        rows.append([_text(cell) for cell in row])
        if len(rows) > max_rows + 1:
            break
    workbook.close()
    return rows


def read_table(
    upload, *, max_bytes: int = 2 * MB, max_rows: int = 5000, max_columns: int = 40
) -> Table:
    """The header and rows of an uploaded CSV or XLSX file, by its content. Raises
    TableError with a French message when the file cannot be read as such a table."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise TableError(
            _("Le fichier pèse %(size)s Mo : %(limit)s Mo au plus.")
            % {"size": round(size / MB, 1), "limit": max_bytes // MB}
        )
    upload.seek(0)
    raw = upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise TableError(_("Le fichier dépasse %(limit)s Mo.") % {"limit": max_bytes // MB})
    if not raw.strip():
        raise TableError(_("Le fichier est vide."))
    if raw[:4] == b"PK\x03\x04":
        rows = _xlsx_rows(raw, max_rows, max_columns)
    elif raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise TableError(
            _("Les classeurs Excel 97–2003 (.xls) ne sont pas lus : enregistrez-le en .xlsx "
              "ou en CSV.")
        )  # fmt: skip
    else:
        rows = _csv_rows(raw)
    rows = [row for row in rows if any(row)]
    if not rows:
        raise TableError(_("Le fichier est vide."))
    header, body = rows[0], rows[1:]
    while header and not header[-1]:
        header.pop()
    if len(header) > max_columns:
        raise TableError(
            _("Le fichier a %(count)s colonnes : %(max)s au plus.")
            % {"count": len(header), "max": max_columns}
        )
    if len(body) > max_rows:
        raise TableError(
            _("Le fichier a plus de %(max)s lignes : découpez-le en plusieurs fichiers.")
            % {"max": max_rows}
        )
    width = len(header)
    overflowing = {i for i, row in enumerate(body) if any(row[width:])}
    body = [(row + [""] * width)[:width] for row in body]
    return Table(header=header, rows=body, overflowing=overflowing)
