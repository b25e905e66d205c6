"""Reads of the reference data."""

from reference.models import Department


def place_choices() -> tuple[list, list]:
    """Region choices and department choices grouped by region, from one query."""
    regions: dict[str, str] = {}
    grouped: dict[str, list] = {}
    for department in Department.objects.select_related("region").order_by("region__name", "code"):
        regions[department.region.code] = department.region.name
        grouped.setdefault(department.region.name, []).append(
            (department.code, f"{department.code} – {department.name}")
        )
    return sorted(regions.items(), key=lambda item: item[1]), list(grouped.items())
