"""Writes of the reference data: loading the shipped geography, themes and measures,
and importing INSEE's density grid."""

import csv
import gzip
import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from reference.models import Commune, Department, Epci, FundingMeasure, Region, Theme
from reference.selectors import PLACE_CHOICES_KEY

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 2000


def _rows(name: str) -> Iterator[dict[str, str]]:
    path = DATA_DIR / name
    if name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)
    else:
        with open(path, encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)


def _int_or_none(value: str) -> int | None:
    return int(value) if value else None


def _float_or_none(value: str) -> float | None:
    """A finite number, or None (for an empty cell, and for "nan" or "inf")."""
    number = float(value) if value else None
    return number if number is not None and math.isfinite(number) else None


@transaction.atomic
def reference_data_load(*, communes: bool = True) -> dict[str, int]:
    """Load regions, departments, EPCI, communes, themes and funding measures from the files
    in reference/data/. Idempotent: geography is brought up to date from the files; themes and
    measures are only added when missing, so that staff edits survive a reload."""
    Region.objects.bulk_create(
        [Region(code=row["code"], name=row["name"]) for row in _rows("regions.csv")],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    region_ids = dict(Region.objects.values_list("code", "id"))
    Department.objects.bulk_create(
        [
            Department(code=row["code"], name=row["name"], region_id=region_ids[row["region"]])
            for row in _rows("departments.csv")
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "region"],
    )
    Theme.objects.bulk_create(
        [
            Theme(slug=row["slug"], name=row["name"], description=row["description"], position=i)
            for i, row in enumerate(_rows("themes.csv"))
        ],
        ignore_conflicts=True,
    )
    FundingMeasure.objects.bulk_create(
        [
            FundingMeasure(
                code=row["code"],
                article=row["article"],
                name=row["name"],
                description=row["description"],
                position=i,
            )
            for i, row in enumerate(_rows("funding_measures.csv"))
        ],
        ignore_conflicts=True,
    )
    if communes:
        _load_communes()
    transaction.on_commit(lambda: caches["local"].delete(PLACE_CHOICES_KEY))
    return {
        "regions": Region.objects.count(),
        "departments": Department.objects.count(),
        "epci": Epci.objects.count(),
        "communes": Commune.objects.count(),
        "themes": Theme.objects.count(),
        "funding_measures": FundingMeasure.objects.count(),
    }


def _load_communes() -> None:
    Epci.objects.bulk_create(
        [
            Epci(
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                population=_int_or_none(row["population"]),
            )
            for row in _rows("epci.csv")
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "kind", "population"],
        batch_size=BATCH_SIZE,
    )
    department_ids = dict(Department.objects.values_list("code", "id"))
    epci_ids = dict(Epci.objects.values_list("code", "id"))
    Commune.objects.bulk_create(
        (
            Commune(
                code=row["code"],
                name=row["name"],
                department_id=department_ids[row["department"]],
                epci_id=epci_ids.get(row["epci"]),
                population=_int_or_none(row["population"]),
                latitude=_float_or_none(row["latitude"]),
                longitude=_float_or_none(row["longitude"]),
                postcodes=row["postcodes"].split(),
            )
            for row in _rows("communes.csv.gz")
        ),
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "name",
            "department",
            "epci",
            "population",
            "latitude",
            "longitude",
            "postcodes",
        ],  # fmt: skip
        batch_size=BATCH_SIZE,
    )


def source_current_commune_count() -> int:
    """How many current communes the shipped source file lists (for checks and tests)."""
    with gzip.open(DATA_DIR / "communes.csv.gz", "rb") as handle:
        return sum(1 for _ in io.TextIOWrapper(handle, encoding="utf-8")) - 1


# --- INSEE density grid ------------------------------------------------------------------

DENSITY_CODE_COLUMNS = {"codgeo", "com", "code_commune", "code commune", "codecommune", "depcom"}
DENSITY_LEVEL_COLUMNS = {"dens7", "dens", "grille_densite", "degre_densite", "niveau", "typo_dens7"}
DENSITY_LABELS = {
    "grands centres urbains": 1,
    "centres urbains intermédiaires": 2,
    "ceintures urbaines": 3,
    "petites villes": 4,
    "bourgs ruraux": 5,
    "rural à habitat dispersé": 6,
    "rural à habitat très dispersé": 7,
}


@dataclass
class DensityReport:
    updated: int = 0
    unknown_codes: int = 0
    invalid_rows: list[str] | None = None


def _density_level(value) -> int | None:
    text = str(value if value is not None else "").strip().lower()
    if text.isdigit() and 1 <= int(text) <= 7:
        return int(text)
    if text.replace(".0", "").isdigit() and 1 <= int(float(text)) <= 7:
        return int(float(text))
    return DENSITY_LABELS.get(text)


def density_grid_rows(path: Path) -> Iterator[list]:
    """The rows of INSEE's density grid file, CSV (comma or semicolon) or XLSX."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
        return
    with open(path, encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
        yield from csv.reader(handle, dialect)


@transaction.atomic
def density_grid_import(*, rows: Iterable[list], dry_run: bool = False) -> DensityReport:
    """Set each commune's INSEE density level from the grid's rows. The header row is
    found among the first lines (INSEE's files open with a title block)."""
    report = DensityReport(invalid_rows=[])
    code_index = level_index = None
    codes, levels = [], []
    for number, row in enumerate(rows, start=1):
        cells = ["" if cell is None else str(cell).strip() for cell in row]
        if code_index is None:
            lowered = [cell.lower() for cell in cells]
            code_index = next((i for i, c in enumerate(lowered) if c in DENSITY_CODE_COLUMNS), None)
            level_index = next(
                (i for i, c in enumerate(lowered) if c in DENSITY_LEVEL_COLUMNS), None
            )
            if code_index is None or level_index is None:
                code_index = level_index = None
                if number > 20:
                    raise ValidationError(
                        _(
                            "Colonnes introuvables : il faut un code commune (CODGEO) et un "
                            "niveau de densité (DENS)."
                        )
                    )
            continue
        if len(cells) <= max(code_index, level_index) or not cells[code_index]:
            continue
        code = cells[code_index].zfill(5) if cells[code_index].isdigit() else cells[code_index]
        level = _density_level(cells[level_index])
        if level is None:
            report.invalid_rows.append(
                _("ligne %(number)s : niveau « %(value)s » inconnu")
                % {"number": number, "value": cells[level_index][:30]}
            )
            continue
        codes.append(code)
        levels.append(level)
    if code_index is None:
        raise ValidationError(
            _(
                "Colonnes introuvables : il faut un code commune (CODGEO) et un "
                "niveau de densité (DENS)."
            )
        )
    known = set(Commune.objects.filter(code__in=codes).values_list("code", flat=True))
    report.unknown_codes = len(set(codes) - known)
    pairs = [(c, lv) for c, lv in zip(codes, levels, strict=True) if c in known]
    report.updated = len(pairs)
    if pairs and not dry_run:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE reference_commune AS c SET density_level = v.level "
                "FROM unnest(%s::varchar[], %s::smallint[]) AS v(code, level) "
                "WHERE c.code = v.code",
                [[c for c, _ in pairs], [lv for _, lv in pairs]],
            )
    return report
