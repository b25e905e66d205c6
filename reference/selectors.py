"""Reads of the reference data."""

from django.core.cache import caches

from reference.models import Department

PLACE_CHOICES_KEY = "reference:place-choices"
# Regions and departments change with a reform, not a request: each process keeps them
# ten minutes (reading them from the shared cache would cost what the query costs).
PLACE_CHOICES_SECONDS = 10 * 60


def place_choices() -> tuple[list, list]:
    """Region choices and department choices grouped by region (one query, then kept in
    each process's memory; loading the reference data forgets them at once in its own
    process, within ten minutes in the others)."""
    return caches["local"].get_or_set(PLACE_CHOICES_KEY, _place_choices, PLACE_CHOICES_SECONDS)


def _place_choices() -> tuple[list, list]:
    regions: dict[str, str] = {}
    grouped: dict[str, list] = {}
    for department in Department.objects.select_related("region").order_by("region__name", "code"):
        regions[department.region.code] = department.region.name
        grouped.setdefault(department.region.name, []).append(
            (department.code, f"{department.code} – {department.name}")
        )
    return sorted(regions.items(), key=lambda item: item[1]), list(grouped.items())
