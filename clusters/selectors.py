"""Reads of the directory that combine models or depend on who asks."""

from dataclasses import dataclass
from math import asin, cos, radians, sin, sqrt

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    F,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Floor
from django.http import Http404, QueryDict

from clusters.filters import DirectoryFilter, PracticeFilter
from clusters.models import (
    Category,
    DirectoryEntry,
    EntryChange,
    Membership,
    Practice,
    PracticePartner,
)
from core.search import Unaccented, clean_query, plain
from reference.models import Theme, other_side
from reference.selectors import themes_of

EARTH_RADIUS_KM = 6371.0
# What the cards of the lists read (``clusters.templatetags.directory_cards``): the long
# texts of a practice (results, funding, pitfalls…) and the contacts of an entry stay in
# the database. A list's order needs no column loaded: it is applied in SQL.
PRACTICE_CARD_FIELDS = (
    "title", "slug", "summary", "kind", "status", "start_year", "end_year", "rural_urban",
    "theme_ids",
)  # fmt: skip
ENTRY_CARD_FIELDS = (
    "category", "kind", "name", "acronym", "slug", "description", "setting", "theme_ids",
    "published_practice_count", "commune", "department",
)  # fmt: skip
# What an entry page shows of its partners and potential partners.
PARTNER_FIELDS = ("name", "slug", "category", "kind", "setting")
MAP_MAX_ENTRIES = 5000
MAP_MAX_LINKS = 1500
DETAIL_MAX_PRACTICES = 20


def directory_filter(data: QueryDict | None) -> DirectoryFilter:
    """The directory's FilterSet over published entries: pages, exports and map share it."""
    return DirectoryFilter(data or None, queryset=DirectoryEntry.objects.published())


def practice_filter(data: QueryDict | None) -> PracticeFilter:
    return PracticeFilter(data or None, queryset=Practice.objects.published())


# --- Access: every private lookup goes through one of these --------------------------


def entry_for_public(*, category: str, slug: str, user=None) -> DirectoryEntry:
    """A published entry; an unpublished one only for staff and its own people."""
    queryset = (
        DirectoryEntry.objects.filter(category=category, slug=slug)
        .select_related("commune", "department__region", "epci")
        .defer("search_vector")
    )
    entry = queryset.prefetch_related("departments").first()
    if entry is None:
        raise Http404
    if entry.published or _may_see_unpublished_entry(user, entry):
        return entry
    raise Http404


def _may_see_unpublished_entry(user, entry: DirectoryEntry) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff and user.has_perm("clusters.view_directoryentry"):
        return True
    return Membership.objects.filter(user=user, entry=entry).exists()


def represents(*, user, entry: DirectoryEntry) -> bool:
    """Whether the person is a representative of the entry (who may propose changes)."""
    return (
        user.is_authenticated
        and entry.memberships.filter(user=user, role=Membership.Role.REPRESENTATIVE).exists()
    )


def entry_for_representative(*, user, category: str, slug: str) -> DirectoryEntry:
    """An entry its representative (or a staff editor) may propose changes to; 404 for
    anyone else, so that nothing tells them it exists."""
    if not user.is_authenticated:
        raise Http404
    queryset = DirectoryEntry.objects.filter(category=category, slug=slug)
    if not (user.is_staff and user.has_perm("clusters.change_directoryentry")):
        queryset = queryset.filter(
            memberships__user=user, memberships__role=Membership.Role.REPRESENTATIVE
        )
    entry = queryset.prefetch_related("themes").first()
    if entry is None:
        raise Http404
    return entry


def practice_for_public(*, slug: str, user=None) -> Practice:
    """A published practice; a proposed or refused one only for its author and staff."""
    practice = (
        Practice.objects.filter(slug=slug)
        .select_related("proposer")
        .prefetch_related(
            "funding_measures",
            "links",
            Prefetch(
                "partners",
                queryset=PracticePartner.objects.select_related(
                    "entry__commune", "entry__department"
                ).order_by("role", "position", "pk"),
            ),
        )
        .first()
    )
    if practice is None:
        raise Http404
    if practice.state == Practice.State.PUBLISHED:
        return practice
    if user is not None and user.is_authenticated:
        if practice.proposer_id == user.pk:
            return practice
        if user.is_staff and user.has_perm("clusters.view_practice"):
            return practice
    raise Http404


def entries_named_like(raw: str | None, limit: int = 10) -> list[DirectoryEntry]:
    """Published entries whose name contains the typed text, accents and case aside (for
    the autocompletes); nothing under two letters."""
    text = clean_query(raw)
    if len(text) < 2:
        return []
    return list(
        DirectoryEntry.objects.published()
        .annotate(plain_name=Unaccented("name"))
        .filter(plain_name__icontains=plain(text))
        .select_related("commune")
        .order_by("name")[:limit]
    )


def attach_card_partners(practices: list[Practice]) -> None:
    """Each practice's partners as its card names them, the lead first, as
    ``card_partners`` [(role, name)]: one query of plain rows for the whole page."""
    found: dict[int, list[tuple[str, str]]] = {practice.pk: [] for practice in practices}
    if found:
        rows = (
            PracticePartner.objects.filter(practice_id__in=list(found))
            .order_by("practice_id", "role", "position", "pk")
            .values_list("practice_id", "role", "name", "entry__name")
        )
        for practice_id, role, name, entry_name in rows:
            found[practice_id].append((role, entry_name or name))
    for practice in practices:
        practice.card_partners = found[practice.pk]


# --- Detail pages --------------------------------------------------------------------


def entry_practices(entry: DirectoryEntry) -> tuple[list[PracticePartner], int]:
    """The published practices an entry leads or joins (its role in each), and how many."""
    rows = PracticePartner.objects.filter(
        entry=entry, practice__state=Practice.State.PUBLISHED
    ).select_related("practice")
    # The page shows each one's role, title and summary: not the practices' long texts.
    rows = rows.only("role", "practice__title", "practice__slug", "practice__summary")
    shown = list(
        rows.order_by("role", "-practice__published_at", "practice_id")[:DETAIL_MAX_PRACTICES]
    )
    return shown, entry.published_practice_count


def entry_partners(entry: DirectoryEntry, limit: int = 12) -> list[DirectoryEntry]:
    """The published entries this one works with in published practices."""
    practice_ids = PracticePartner.objects.filter(
        entry=entry, practice__state=Practice.State.PUBLISHED
    ).values("practice_id")
    return list(
        DirectoryEntry.objects.published()
        .filter(partnerships__practice_id__in=practice_ids)
        .exclude(pk=entry.pk)
        .annotate(shared=Count("partnerships__practice", distinct=True))
        .only(*PARTNER_FIELDS)
        .order_by("-shared", "name")[:limit]
    )


@dataclass
class PotentialPartner:
    entry: DirectoryEntry
    common_themes: list[Theme]
    distance_km: float | None


def new_potential_partners(entry: DirectoryEntry, *, since, limit: int = 20) -> QuerySet:
    """Entries published after ``since`` that would be potential partners of ``entry``:
    across the rural–urban divide, sharing a theme, not working with it yet."""
    sides = other_side(entry.setting)
    theme_ids = entry.theme_ids or []
    if not sides or not theme_ids:
        return DirectoryEntry.objects.none()
    already = PracticePartner.objects.filter(practice__partners__entry=entry).exclude(entry_id=None)
    return (
        DirectoryEntry.objects.published()
        .filter(setting__in=sides, published_at__gt=since, theme_ids__overlap=theme_ids)
        .exclude(pk=entry.pk)
        .exclude(pk__in=already.values("entry_id"))
        .select_related("commune")
        .order_by("-published_at", "name")[:limit]
    )


# The ranking of potential partners, on every structure and territory page. Written in
# SQL: the ORM took longer to build this query (a sum of containments, a flat distance)
# than PostgreSQL to run it. It reads only the index that covers the setting, the point
# and the theme ids (``entry_pub_setting_point``); the winners are then fetched whole.
_RANKING_SQL = """
SELECT e.id, e.theme_ids
FROM {entries} e
WHERE e.published AND e.setting = ANY(%(sides)s) AND e.theme_ids && %(themes)s::integer[]
  AND e.id <> %(entry)s
  AND e.id NOT IN (
    SELECT other.entry_id FROM {partners} mine
    JOIN {partners} other ON other.practice_id = mine.practice_id
    WHERE mine.entry_id = %(entry)s AND other.entry_id IS NOT NULL
  )
ORDER BY {common} DESC, {nearness} NULLS LAST, e.id
LIMIT %(limit)s
"""


def potential_partners(entry: DirectoryEntry, limit: int = 5) -> list[PotentialPartner]:
    """Published entries across the rural–urban divide that share themes with ``entry``
    and do not work with it yet: most themes in common first, then the nearest."""
    sides = other_side(entry.setting)
    theme_ids = entry.theme_ids or []
    if not sides or not theme_ids:
        return []
    params = {"sides": list(sides), "themes": list(theme_ids), "entry": entry.pk, "limit": limit}
    common = " + ".join(
        f"(e.theme_ids @> ARRAY[%(theme_{n})s]::integer[])::integer" for n in range(len(theme_ids))
    )
    params.update({f"theme_{n}": pk for n, pk in enumerate(theme_ids)})
    nearness = "NULL::float"
    if entry.has_point:
        # Ordering needs no trigonometry per row: a flat projection keeps the order of
        # distances at this scale; the kilometres shown are computed for the winners.
        nearness = "(e.latitude - %(lat)s) ^ 2 + ((e.longitude - %(lon)s) * %(scale)s) ^ 2"
        params.update(lat=entry.latitude, lon=entry.longitude, scale=cos(radians(entry.latitude)))
    sql = _RANKING_SQL.format(
        entries=DirectoryEntry._meta.db_table,
        partners=PracticePartner._meta.db_table,
        common=common,
        nearness=nearness,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ranked = cursor.fetchall()
    entries = DirectoryEntry.objects.only(*PARTNER_FIELDS, "latitude", "longitude").in_bulk(
        [pk for pk, _themes in ranked]
    )
    return [
        PotentialPartner(
            entry=entries[pk],
            common_themes=themes_of(set(theme_ids) & set(themes)),
            distance_km=_kilometres(entry, entries[pk]),
        )
        for pk, themes in ranked
    ]


def _kilometres(origin: DirectoryEntry, other: DirectoryEntry) -> int | None:
    """Great-circle distance between two entries' points, rounded to the kilometre."""
    if not (origin.has_point and other.has_point):
        return None
    lat1, lat2 = radians(origin.latitude), radians(other.latitude)
    dlat, dlon = lat2 - lat1, radians(other.longitude - origin.longitude)
    a = sin(dlat / 2) ** 2 + cos(lat1) * cos(lat2) * sin(dlon / 2) ** 2
    return round(2 * EARTH_RADIUS_KM * asin(sqrt(a)))


def pending_change(entry: DirectoryEntry) -> EntryChange | None:
    return entry.changes.filter(status=EntryChange.Status.PENDING).first()


# --- Map -----------------------------------------------------------------------------


def entries_geojson(entries: QuerySet, *, limit: int = MAP_MAX_ENTRIES) -> dict:
    """Points of the filtered entries, and the rural–urban practices between them."""
    shown = entries.exclude(latitude=None).exclude(longitude=None).order_by("name", "pk")
    rows = list(
        shown.values(
            "pk",
            "name",
            "slug",
            "category",
            "kind",
            "setting",
            "latitude",
            "longitude",
            "published_practice_count",
        )[: limit + 1]
    )
    truncated = len(rows) > limit
    rows = rows[:limit]
    # Labels translated once, not once per point (5,000 points made 10,000 lookups).
    kinds = {key: str(label) for key, label in DirectoryEntry._meta.get_field("kind").choices}
    settings_labels = {
        key: str(label) for key, label in DirectoryEntry._meta.get_field("setting").choices
    }
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(row["longitude"], 5), round(row["latitude"], 5)],
            },
            "properties": {
                "kind": "entry",
                "name": row["name"],
                "category": row["category"],
                "type": kinds.get(row["kind"], ""),
                "setting": row["setting"],
                "setting_label": settings_labels.get(row["setting"], ""),
                "practices": row["published_practice_count"],
                "url": _entry_url(row["category"], row["slug"]),
            },
        }
        for row in rows
    ]
    # The same entries as a subquery: a list of 5,000 ids would be prepared twice.
    links = practice_links(shown.values("pk")[:limit]) if rows else []
    return {
        "type": "FeatureCollection",
        "features": features + links,
        "meta": {"entries": len(features), "links": len(links), "truncated": truncated},
    }


# Past this many points in view, the map data groups them by cells of about 60 pixels
# at the map's zoom (server-side clustering): a view of France sends some hundred
# groups instead of 20,000 points; zoomed in far enough, each point and the links.
MAP_DETAIL_MAX = 400
MAP_CELL_PIXELS = 60
MAP_DEFAULT_ZOOM = 6  # the map's first view, France whole


def map_view_geojson(entries: QuerySet, *, zoom: int | None = None, bbox=None) -> dict:
    """What the map shows of the filtered entries in its view (``bbox``: west, south,
    east, north; the whole map when None) at ``zoom``: every point and the rural–urban
    links between them when there are at most ``MAP_DETAIL_MAX``, else groups of points
    with how many each holds. ``meta.bounds`` frames what was found."""
    shown = entries.exclude(latitude=None).exclude(longitude=None)
    if bbox is not None:
        west, south, east, north = bbox
        shown = shown.filter(latitude__gte=south, latitude__lte=north)
        shown = (
            shown.filter(longitude__gte=west, longitude__lte=east)
            if west <= east  # a view across the antimeridian wraps around
            else shown.filter(Q(longitude__gte=west) | Q(longitude__lte=east))
        )
    # One query tells whether the view holds few enough points, and which: so few ids
    # then read faster as a list than as the filters' subquery.
    ids = list(shown.order_by().values_list("pk", flat=True)[: MAP_DETAIL_MAX + 1])
    if len(ids) <= MAP_DETAIL_MAX:
        data = entries_geojson(DirectoryEntry.objects.filter(pk__in=ids), limit=MAP_DETAIL_MAX)
        points = [
            f["geometry"]["coordinates"]
            for f in data["features"]
            if f["geometry"]["type"] == "Point"
        ]
        data["meta"].update(clustered=False, bounds=_bounds(points))
        return data
    zoom = MAP_DEFAULT_ZOOM if zoom is None else zoom
    cell = MAP_CELL_PIXELS * 360 / (256 * 2**zoom)
    cells = (
        shown.order_by()
        .annotate(
            cell_x=Floor(F("longitude") / Value(cell)), cell_y=Floor(F("latitude") / Value(cell))
        )
        .values("cell_x", "cell_y")
        .annotate(
            count=Count("pk"),
            lat=Avg("latitude"),
            lon=Avg("longitude"),
            west=Min("longitude"),
            south=Min("latitude"),
            east=Max("longitude"),
            north=Max("latitude"),
        )
        .order_by("cell_y", "cell_x")
    )
    features, corners, total = [], [], 0
    for row in cells:
        total += row["count"]
        corners += [[row["west"], row["south"]], [row["east"], row["north"]]]
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(row["lon"], 5), round(row["lat"], 5)],
                },
                "properties": {
                    "kind": "cluster",
                    "count": row["count"],
                    "bounds": [
                        round(v, 5) for v in (row["west"], row["south"], row["east"], row["north"])
                    ],
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "meta": {
            "entries": total,
            "links": 0,
            "truncated": False,
            "clustered": True,
            "clusters": len(features),
            "bounds": _bounds(corners),
        },
    }


def _bounds(points: list) -> list | None:
    """West, south, east, north of [longitude, latitude] points; None when none."""
    if not points:
        return None
    return [
        round(min(p[0] for p in points), 5),
        round(min(p[1] for p in points), 5),
        round(max(p[0] for p in points), 5),
        round(max(p[1] for p in points), 5),
    ]


def _entry_url(category: str, slug: str) -> str:
    prefix = "territoires" if category == Category.TERRITORY else "structures"
    return f"/annuaire/{prefix}/{slug}/"


def practice_links(entry_ids, *, limit: int = MAP_MAX_LINKS) -> list[dict]:
    """Lines from each published rural–urban practice's lead to its other partners, among
    ``entry_ids`` (a list or a subquery). Two queries whatever the number of practices."""
    # Only practices with two partners or more among these entries draw a line: they are
    # found on the partners' (entry, practice) index before any practice is read.
    shared = (
        PracticePartner.objects.filter(entry_id__in=entry_ids)
        .values("practice_id")
        .annotate(partners=Count("pk"))
        .filter(partners__gte=2)
        .values("practice_id")
    )
    practice_ids = list(
        Practice.objects.published()
        .filter(rural_urban=True, pk__in=shared)
        .values_list("pk", flat=True)
        .order_by("pk")[:limit]
    )
    partners = (
        PracticePartner.objects.filter(practice_id__in=practice_ids, entry_id__in=entry_ids)
        .exclude(entry__latitude=None)
        .order_by("practice_id", "role", "position", "pk")
        .values(
            "practice_id",
            "practice__title",
            "practice__slug",
            "role",
            "entry__latitude",
            "entry__longitude",
        )
    )
    grouped: dict[int, list[dict]] = {}
    for row in partners:
        grouped.setdefault(row["practice_id"], []).append(row)
    lines = []
    for rows in grouped.values():
        if len(rows) < 2:
            continue
        hub = rows[0]
        hub_point = [round(hub["entry__longitude"], 5), round(hub["entry__latitude"], 5)]
        lines.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "MultiLineString",
                    "coordinates": [
                        [
                            hub_point,
                            [round(r["entry__longitude"], 5), round(r["entry__latitude"], 5)],
                        ]
                        for r in rows[1:]
                    ],
                },
                "properties": {
                    "kind": "practice",
                    "name": hub["practice__title"],
                    "url": f"/pratiques/{hub['practice__slug']}/",
                },
            }
        )
    return lines


def practice_geojson(practice: Practice) -> dict:
    """The partners of one practice (already prefetched) and the lines joining them."""
    partners = [p for p in practice.partners.all() if p.entry_id and p.entry.has_point]
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(p.entry.longitude, 5), round(p.entry.latitude, 5)],
            },
            "properties": {
                "kind": "entry",
                "name": p.entry.name,
                "type": str(p.get_role_display()),
                "setting": p.entry.setting,
                "setting_label": p.entry.get_setting_display(),
                "url": p.entry.get_absolute_url(),
            },
        }
        for p in partners
    ]
    if len(partners) > 1:
        hub = partners[0]
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "MultiLineString",
                    "coordinates": [
                        [
                            [round(hub.entry.longitude, 5), round(hub.entry.latitude, 5)],
                            [round(p.entry.longitude, 5), round(p.entry.latitude, 5)],
                        ]
                        for p in partners[1:]
                    ],
                },
                "properties": {"kind": "practice", "name": practice.title, "url": ""},
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --- Mon espace ------------------------------------------------------------------------


def member_practices(user) -> QuerySet:
    """The practices a person proposed, whatever their state."""
    return Practice.objects.filter(proposer=user).order_by("-created_at")


def first_entry_of(user) -> DirectoryEntry | None:
    """The structure or territory a person is linked to (the first, when several), to
    fill in forms."""
    membership = Membership.objects.filter(user=user).select_related("entry").first()
    return membership.entry if membership else None


def member_entries(user) -> QuerySet:
    """The structures and territories a person is linked to, with any change waiting."""
    return (
        DirectoryEntry.objects.filter(memberships__user=user)
        .annotate(
            my_role=F("memberships__role"),
            pending_changes=Count("changes", filter=Q(changes__status=EntryChange.Status.PENDING)),
        )
        .order_by("name")
    )
