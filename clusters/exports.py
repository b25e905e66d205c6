"""What the directory's exports contain: the rows of a filtered list, as the CSV and
GeoJSON downloads give them. The views pass the same filtered queryset as the page."""

from collections.abc import Iterator
from itertools import chain

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clusters import selectors
from clusters.models import Category, DirectoryEntry, Practice, PracticePartner

EXPORT_CHUNK = 2000


def _chunks(rows, size: int = EXPORT_CHUNK):
    """Rows in lists of ``size``, so that related values are fetched once per chunk."""
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _grouped(pairs) -> dict:
    grouped: dict = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def _labels(model, field: str) -> dict[str, str]:
    return {key: str(label) for key, label in model._meta.get_field(field).choices}


def directory_rows(queryset: QuerySet, *, base_url: str) -> Iterator[list]:
    """The header, then one row per entry of ``queryset``, read in chunks."""
    rows = queryset.values_list(
        "pk", "name", "acronym", "category", "kind", "setting", "commune__name", "commune__code",
        "department__name", "region__name", "published_practice_count", "website", "email",
        "phone", "latitude", "longitude", "slug",
    ).iterator(chunk_size=EXPORT_CHUNK)  # fmt: skip
    header = [
        pgettext("directory entry", "Nom"), _("Sigle"), _("Catégorie"), _("Type"), _("Milieu"),
        _("Commune"),
        _("Code INSEE"), _("Département"), _("Région"), _("Thèmes"), _("Pratiques publiées"),
        _("Site web"), _("E-mail"), _("Téléphone"), _("Latitude"), _("Longitude"),
        _("Adresse de la fiche"),
    ]  # fmt: skip
    categories = _labels(DirectoryEntry, "category")
    kinds = _labels(DirectoryEntry, "kind")
    settings_ = _labels(DirectoryEntry, "setting")

    def lines():
        for chunk in _chunks(rows):
            themes = _grouped(
                DirectoryEntry.themes.through.objects.filter(
                    directoryentry_id__in=[row[0] for row in chunk]
                )
                .order_by("theme__position", "theme__name")
                .values_list("directoryentry_id", "theme__name")
            )
            for (pk, name, acronym, category, kind, setting, commune, code, department,
                 region, practices, website, email, phone, lat, lon, slug) in chunk:  # fmt: skip
                folder = "territoires" if category == Category.TERRITORY else "structures"
                yield [
                    name, acronym, categories.get(category, ""), kinds.get(kind, ""),
                    settings_.get(setting, ""), commune or "", code or "", department or "",
                    region or "", ", ".join(themes.get(pk, [])), practices, website, email,
                    phone, _number(lat), _number(lon), f"{base_url}{folder}/{slug}/",
                ]  # fmt: skip

    return chain([header], lines())


def practice_rows(queryset: QuerySet, *, base_url: str) -> Iterator[list]:
    """The header, then one row per practice of ``queryset``, read in chunks."""
    rows = queryset.values_list(
        "pk", "title", "summary", "kind", "rural_urban", "start_year", "end_year", "status",
        "region_codes", "published_at", "slug",
    ).iterator(chunk_size=EXPORT_CHUNK)  # fmt: skip
    header = [
        _("Titre"), _("Résumé"), _("Type"), _("Thèmes"), _("Chef de file"), _("Partenaires"),
        _("Coopération rural–urbain"), _("Mesures FEADER"), _("Année de début"), _("Année de fin"),
        _("Avancement"), _("Régions"), _("Publiée le"), _("Adresse de la fiche"),
    ]  # fmt: skip
    kinds = _labels(Practice, "kind")
    statuses = _labels(Practice, "status")
    yes, no = _("oui"), _("non")

    def lines():
        for chunk in _chunks(rows):
            ids = [row[0] for row in chunk]
            themes = _grouped(
                Practice.themes.through.objects.filter(practice_id__in=ids)
                .order_by("theme__position", "theme__name")
                .values_list("practice_id", "theme__name")
            )
            measures = _grouped(
                Practice.funding_measures.through.objects.filter(practice_id__in=ids)
                .order_by("fundingmeasure__position")
                .values_list("practice_id", "fundingmeasure__code")
            )
            partners = _grouped(
                (practice_id, (role, entry_name or name))
                for practice_id, role, name, entry_name in PracticePartner.objects.filter(
                    practice_id__in=ids
                )
                .order_by("role", "position", "pk")
                .values_list("practice_id", "role", "name", "entry__name")
            )
            for (pk, title, summary, kind, rural_urban, start, end, status, regions,
                 published_at, slug) in chunk:  # fmt: skip
                people = partners.get(pk, [])
                yield [
                    title, summary, kinds.get(kind, ""), ", ".join(themes.get(pk, [])),
                    ", ".join(n for role, n in people if role == PracticePartner.Role.LEAD),
                    ", ".join(n for role, n in people if role != PracticePartner.Role.LEAD),
                    yes if rural_urban else no, ", ".join(measures.get(pk, [])),
                    start or "", end or "", statuses.get(status, ""), ", ".join(regions),
                    published_at.date().isoformat() if published_at else "",
                    f"{base_url}{slug}/",
                ]  # fmt: skip

    return chain([header], lines())


def practices_geojson(queryset: QuerySet) -> dict:
    """The published entries that take part in the practices of ``queryset``."""
    entry_ids = (
        DirectoryEntry.objects.published()
        .filter(partnerships__practice__in=queryset.values("pk"))
        .values_list("pk", flat=True)
    )
    return selectors.entries_geojson(DirectoryEntry.objects.filter(pk__in=entry_ids), limit=100_000)


def _number(value: float | None) -> str:
    return f"{value:.5f}".replace(".", ",") if value is not None else ""
