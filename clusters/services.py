"""Writes that matter in the clusters app."""

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

from django.db import transaction

from clusters.models import Commune, Department, Epci, FundingMeasure, Region, Theme

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
    return float(value) if value else None


@transaction.atomic
def reference_data_load(*, communes: bool = True) -> dict[str, int]:
    """Load regions, departments, EPCI, communes, themes and funding measures from the files
    in clusters/data/. Idempotent: geography is brought up to date from the files; themes and
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
            )
            for row in _rows("communes.csv.gz")
        ),
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "department", "epci", "population", "latitude", "longitude"],
        batch_size=BATCH_SIZE,
    )


def source_current_commune_count() -> int:
    """How many current communes the shipped source file lists (for checks and tests)."""
    with gzip.open(DATA_DIR / "communes.csv.gz", "rb") as handle:
        return sum(1 for _ in io.TextIOWrapper(handle, encoding="utf-8")) - 1
