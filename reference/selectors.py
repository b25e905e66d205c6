"""Reads of the reference data."""

from django.core.cache import cache

from reference.models import Department

PLACE_CHOICES_KEY = "reference:place-choices"
PLACE_CHOICES_SECONDS = 60 * 60  # regions and departments change with a reform, not a request


def place_choices() -> tuple[list, list]:
    """Region choices and department choices grouped by region (one query, then kept in
    the shared cache; loading the reference data forgets them)."""
    return cache.get_or_set(PLACE_CHOICES_KEY, _place_choices, PLACE_CHOICES_SECONDS)


def _place_choices() -> tuple[list, list]:
    regions: dict[str, str] = {}
    grouped: dict[str, list] = {}
    for department in Department.objects.select_related("region").order_by("region__name", "code"):
        regions[department.region.code] = department.region.name
        grouped.setdefault(department.region.name, []).append(
            (department.code, f"{department.code} – {department.name}")
        )
    return sorted(regions.items(), key=lambda item: item[1]), list(grouped.items())
