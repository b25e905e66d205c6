"""Reads of the reference data."""

from django.core.cache import caches

from core.pagecache import KINDS, versions_tag
from reference.models import Department, FundingMeasure, Theme

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


# The themes and the FEADER measures show on every list page (filters, cards): each
# process keeps them, with the content versions they were read under. Any change to the
# reference data bumps every version (core.pagecache), so another process reads them
# again within CONTENT_VERSIONS_SECONDS of the change; this process forgets them at once.
# The rows stay in this module (a cards' page asks for them twenty times: unpickling them
# from the local cache each time cost a third of a card); the local cache holds only the
# versions they were read under, so that clearing it (as the tests do) forgets them too.
KEPT_KEY = "reference:kept:"
KEPT_SECONDS = 60 * 60
_kept_rows: dict[str, tuple[str, tuple]] = {}


def _kept(model) -> tuple:
    name = model._meta.model_name
    tag = versions_tag(KINDS)
    held = _kept_rows.get(name)
    if held is None or held[0] != tag or caches["local"].get(KEPT_KEY + name) != tag:
        held = _kept_rows[name] = (tag, tuple(model.objects.all()))
        caches["local"].set(KEPT_KEY + name, tag, KEPT_SECONDS)
    return held[1]


def forget_kept(sender, **kwargs) -> None:
    """Connected to the changes of Theme and FundingMeasure (reference.apps)."""
    caches["local"].delete(KEPT_KEY + sender._meta.model_name)


def themes() -> tuple[Theme, ...]:
    """Every theme, in their order; no query once this process holds them."""
    return _kept(Theme)


def theme_map() -> dict[int, Theme]:
    return {theme.pk: theme for theme in themes()}


def themes_of(ids) -> list[Theme]:
    """The themes of these ids (a row's copied ``theme_ids``), in the themes' order."""
    wanted = set(ids or ())
    return [theme for theme in themes() if theme.pk in wanted]


def funding_measures() -> tuple[FundingMeasure, ...]:
    return _kept(FundingMeasure)
