"""What the directory's exports contain: exactly the rows of a filtered list, as the CSV,
XLSX and GeoJSON downloads give them. The views pass the same filtered queryset as the
page; values stay typed (numbers, dates) until core.exports writes them."""

from collections.abc import Iterator
from itertools import chain

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clusters.models import Category, DirectoryEntry, Practice, PracticePartner
from core import licences
from core.exportfiles import Document, Table
from reference.selectors import place_choices

EXPORT_CHUNK = 2000
ROUND = 5  # decimal places of coordinates: about a metre


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


def _entry_path(category: str, slug: str) -> str:
    folder = "territoires" if category == Category.TERRITORY else "structures"
    return f"/annuaire/{folder}/{slug}/"


def _point(longitude: float | None, latitude: float | None) -> dict | None:
    if longitude is None or latitude is None:
        return None
    return {"type": "Point", "coordinates": [round(longitude, ROUND), round(latitude, ROUND)]}


# --- Structures and territories ----------------------------------------------------------

ENTRY_FIELDS = (
    "pk", "name", "acronym", "category", "kind", "setting", "commune__name", "commune__code",
    "department__name", "region__name", "published_practice_count", "website",
    "phone", "latitude", "longitude", "slug",
)  # fmt: skip


def _entry_records(queryset: QuerySet) -> Iterator[dict]:
    """Each entry of ``queryset`` as a dict of plain values, its themes included; a fixed
    number of queries per chunk."""
    rows = queryset.values_list(*ENTRY_FIELDS).iterator(chunk_size=EXPORT_CHUNK)
    categories = _labels(DirectoryEntry, "category")
    kinds = _labels(DirectoryEntry, "kind")
    settings_ = _labels(DirectoryEntry, "setting")
    for chunk in _chunks(rows):
        themes = _grouped(
            DirectoryEntry.themes.through.objects.filter(
                directoryentry_id__in=[row[0] for row in chunk]
            )
            .order_by("theme__position", "theme__name")
            .values_list("directoryentry_id", "theme__name")
        )
        for row in chunk:
            record = dict(zip(ENTRY_FIELDS, row, strict=True))
            record["themes"] = themes.get(record["pk"], [])
            record["category_label"] = categories.get(record["category"], "")
            record["kind_label"] = kinds.get(record["kind"], "")
            record["setting_label"] = settings_.get(record["setting"], "")
            yield record


def directory_rows(queryset: QuerySet, *, base_url: str) -> Iterator[list]:
    """The header, then one row per entry of ``queryset``."""
    header = [
        pgettext("directory entry", "Nom"), _("Sigle"), _("Catégorie"), _("Type"), _("Milieu"),
        _("Commune"), _("Code INSEE"), _("Département"), _("Région"), _("Thèmes"),
        _("Pratiques publiées"), _("Site web"), _("Téléphone"), _("Latitude"),
        _("Longitude"), _("Adresse de la fiche"),
    ]  # fmt: skip
    lines = (
        [
            r["name"],
            r["acronym"],
            r["category_label"],
            r["kind_label"],
            r["setting_label"],
            r["commune__name"],
            r["commune__code"],
            r["department__name"],
            r["region__name"],
            ", ".join(r["themes"]),
            r["published_practice_count"],
            r["website"],
            r["phone"],
            r["latitude"],
            r["longitude"],
            base_url + _entry_path(r["category"], r["slug"]),
        ]  # fmt: skip
        for r in _entry_records(queryset)
    )
    return chain([header], lines)


def directory_geojson(queryset: QuerySet, *, base_url: str) -> dict:
    """One Point feature per entry of ``queryset`` (geometry null for an entry the map
    cannot place), and the licence and sources as foreign members."""
    features = [
        {
            "type": "Feature",
            "id": r["slug"],
            "geometry": _point(r["longitude"], r["latitude"]),
            "properties": {
                "name": r["name"],
                "acronym": r["acronym"],
                "category": r["category"],
                "kind": r["kind"],
                "kind_label": r["kind_label"],
                "setting": r["setting"],
                "commune": r["commune__name"],
                "insee": r["commune__code"],
                "department": r["department__name"],
                "region": r["region__name"],
                "themes": r["themes"],
                "practices": r["published_practice_count"],
                "url": base_url + _entry_path(r["category"], r["slug"]),
            },
        }
        for r in _entry_records(queryset)
    ]
    return {"type": "FeatureCollection", **licences.geojson_members(), "features": features}


def directory_links_geojson(queryset: QuerySet, *, base_url: str) -> dict:
    """The separate layer of lines: for each published rural–urban practice, lines from
    its lead to its other partners, among the entries of ``queryset``."""
    entry_ids = list(queryset.values_list("pk", flat=True))
    partners = (
        PracticePartner.objects.filter(
            entry_id__in=entry_ids,
            practice__state=Practice.State.PUBLISHED,
            practice__rural_urban=True,
        )
        .exclude(entry__latitude=None)
        .exclude(entry__longitude=None)
        .order_by("practice_id", "role", "position", "pk")
        .values_list(
            "practice_id", "practice__title", "practice__slug", "entry__longitude",
            "entry__latitude",
        )
    )  # fmt: skip
    grouped = _grouped((row[0], row) for row in partners.iterator(chunk_size=EXPORT_CHUNK))
    features = []
    for rows in grouped.values():
        if len(rows) < 2:
            continue
        _pk, title, slug, hub_lon, hub_lat = rows[0]
        hub = _point(hub_lon, hub_lat)["coordinates"]
        features.append(
            {
                "type": "Feature",
                "id": slug,
                "geometry": {
                    "type": "MultiLineString",
                    "coordinates": [
                        [hub, _point(lon, lat)["coordinates"]] for *_, lon, lat in rows[1:]
                    ],
                },
                "properties": {"practice": title, "url": f"{base_url}/pratiques/{slug}/"},
            }
        )
    return {"type": "FeatureCollection", **licences.geojson_members(), "features": features}


# --- Practices ---------------------------------------------------------------------------

PRACTICE_FIELDS = (
    "pk", "title", "summary", "kind", "rural_urban", "start_year", "end_year", "status",
    "region_codes", "published_at", "slug",
)  # fmt: skip


def _practice_records(queryset: QuerySet, *, points: bool = False) -> Iterator[dict]:
    """Each practice of ``queryset`` as a dict of plain values, with its themes, measures
    and partners (and their points with ``points``); a fixed number of queries per
    chunk."""
    rows = queryset.values_list(*PRACTICE_FIELDS).iterator(chunk_size=EXPORT_CHUNK)
    kinds = _labels(Practice, "kind")
    statuses = _labels(Practice, "status")
    regions = dict(place_choices()[0])
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
            (row[0], row[1:])
            for row in PracticePartner.objects.filter(practice_id__in=ids)
            .order_by("role", "position", "pk")
            .values_list(
                "practice_id", "role", "name", "entry__name", "entry__published",
                "entry__longitude", "entry__latitude",
            )
        )  # fmt: skip
        for row in chunk:
            record = dict(zip(PRACTICE_FIELDS, row, strict=True))
            pk = record["pk"]
            people = partners.get(pk, [])
            record["themes"] = themes.get(pk, [])
            record["measures"] = measures.get(pk, [])
            record["kind_label"] = kinds.get(record["kind"], "")
            record["status_label"] = statuses.get(record["status"], "")
            record["region_names"] = [regions.get(code, code) for code in record["region_codes"]]
            record["lead"] = [
                entry_name or name for role, name, entry_name, *_ in people if role == "lead"
            ]
            record["partners"] = [
                entry_name or name for role, name, entry_name, *_ in people if role != "lead"
            ]
            if points:
                # Only published entries are placed on a map.
                record["points"] = [
                    _point(lon, lat)["coordinates"]
                    for _role, _name, _entry, published, lon, lat in people
                    if published and lon is not None and lat is not None
                ]
            yield record


def practice_rows(queryset: QuerySet, *, base_url: str) -> Iterator[list]:
    """The header, then one row per practice of ``queryset``."""
    header = [
        _("Titre"), _("Résumé"), _("Type"), _("Thèmes"), _("Chef de file"), _("Partenaires"),
        _("Coopération rural–urbain"), _("Mesures FEADER"), _("Année de début"), _("Année de fin"),
        _("Avancement"), _("Régions"), _("Publiée le"), _("Adresse de la fiche"),
    ]  # fmt: skip
    lines = (
        [
            r["title"],
            r["summary"],
            r["kind_label"],
            ", ".join(r["themes"]),
            ", ".join(r["lead"]),
            ", ".join(r["partners"]),
            r["rural_urban"],
            ", ".join(r["measures"]),
            r["start_year"],
            r["end_year"],
            r["status_label"],
            ", ".join(r["region_names"]),
            r["published_at"].date() if r["published_at"] else None,
            f"{base_url}/pratiques/{r['slug']}/",
        ]  # fmt: skip
        for r in _practice_records(queryset)
    )
    return chain([header], lines)


def practices_geojson(queryset: QuerySet, *, base_url: str) -> dict:
    """One feature per practice of ``queryset``: lines from its lead to each other placed
    partner, a point when only one is placed, no geometry when none is."""
    features = []
    for r in _practice_records(queryset, points=True):
        points = r["points"]
        if len(points) > 1:
            geometry = {
                "type": "MultiLineString",
                "coordinates": [[points[0], other] for other in points[1:]],
            }
        elif points:
            geometry = {"type": "Point", "coordinates": points[0]}
        else:
            geometry = None
        features.append(
            {
                "type": "Feature",
                "id": r["slug"],
                "geometry": geometry,
                "properties": {
                    "title": r["title"],
                    "kind": r["kind"],
                    "kind_label": r["kind_label"],
                    "themes": r["themes"],
                    "lead": r["lead"],
                    "partners": r["partners"],
                    "rural_urban": r["rural_urban"],
                    "measures": r["measures"],
                    "start_year": r["start_year"],
                    "end_year": r["end_year"],
                    "status": r["status"],
                    "regions": r["region_names"],
                    "url": f"{base_url}/pratiques/{r['slug']}/",
                },
            }
        )
    return {"type": "FeatureCollection", **licences.geojson_members(), "features": features}


# --- Files (core.exportfiles builders) ------------------------------------------------------


def _filtered(filterset):
    if filterset.is_bound and not filterset.is_valid():
        raise ValueError(f"Invalid filters: {filterset.errors.as_json()}")
    return filterset.qs


def directory_file(query, *, fmt: str, user=None, base_url: str) -> Table | Document:
    """The directory's export for this query string: CSV, XLSX, GeoJSON points or the
    links layer."""
    from clusters.selectors import directory_filter

    entries = _filtered(directory_filter(query))
    filename = "annuaire-interclusters"
    if fmt == "geojson":
        return Document(filename, directory_geojson(entries, base_url=base_url), licensed=True)
    if fmt == "links":
        data = directory_links_geojson(entries, base_url=base_url)
        return Document(f"{filename}-liens", data, licensed=True)
    rows = directory_rows(entries, base_url=base_url)
    return Table(filename, _("Annuaire"), rows, about=licences.about_rows(), licensed=True)


def practices_file(query, *, fmt: str, user=None, base_url: str) -> Table | Document:
    """The practices' export for this query string: CSV, XLSX or GeoJSON."""
    from clusters.selectors import practice_filter

    practices = _filtered(practice_filter(query))
    filename = "pratiques-interclusters"
    if fmt == "geojson":
        return Document(filename, practices_geojson(practices, base_url=base_url), licensed=True)
    rows = practice_rows(practices, base_url=base_url)
    return Table(filename, _("Pratiques"), rows, about=licences.about_rows(), licensed=True)
