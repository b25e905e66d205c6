"""The read-only public API (django-ninja): structures and territories, practices, events
and published mementos, with the pages' own filters and search (the same FilterSets),
their pagination, stable identifiers (slugs, INSEE codes) and an OpenAPI description at
/api/openapi.json, browsable at /api/docs. Only published content; contact addresses are
never part of it. Answers are rate-limited per client and cached like the public pages."""

from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from ninja import NinjaAPI, Query, Schema
from ninja.throttling import BaseThrottle

from clusters import selectors as clusters_selectors
from clusters.models import Category, DirectoryEntry, Practice
from core import search
from core.licences import LICENCE_NAME, LICENCE_URL, PRODUCER, SOURCES
from core.mail import absolute_url
from core.pagecache import public_page
from core.pagination import bounded_page, ranked_page
from core.ratelimits import PERIODS, user_or_ip
from events import selectors as events_selectors
from mementos.models import Memento


class PortalThrottle(BaseThrottle):
    """API_RATE answers per client address (or signed-in person), counted like the
    portal's other limits: one atomic statement in the shared counters."""

    def allow_request(self, request: HttpRequest) -> bool:
        return not is_ratelimited(
            request, group="api", key=user_or_ip, rate=settings.API_RATE, increment=True
        )

    def wait(self) -> float | None:
        count, period = settings.API_RATE.split("/")
        return float(PERIODS.get(period[-1], 60) * int(period[:-1] or 1))


PAGE_SIZE = 20  # as the pages: the same filters give the same rows, page by page
MAX_PAGE_SIZE = 100

api = NinjaAPI(
    title="Interclusters — API des données ouvertes",
    version="1",
    description=(
        "Lecture seule. L'annuaire des clusters, pôles, lieux d'innovation et territoires, "
        "leurs pratiques innovantes, l'agenda et les mémentos publiés du programme "
        "Interclusters. Mêmes filtres que les pages (`q`, `region`, `departement`, `theme`…)."
        f" Licence : {LICENCE_NAME} ({LICENCE_URL})."
    ),
    urls_namespace="api",
    docs_url="/docs/",
    openapi_url="/openapi.json",
    throttle=[PortalThrottle()],
)


# --- Schemas ---------------------------------------------------------------------------


class Licence(Schema):
    name: str
    url: str
    producer: str
    sources: list[str]


class Place(Schema):
    insee_code: str | None
    name: str | None
    department: str | None
    region: str | None


class EntryOut(Schema):
    slug: str
    name: str
    acronym: str
    category: str
    kind: str
    kind_label: str
    setting: str
    commune: Place
    themes: list[str]
    website: str
    phone: str
    latitude: float | None
    longitude: float | None
    published_practices: int
    url: str


class PartnerOut(Schema):
    name: str
    role: str
    entry: str | None


class PracticeOut(Schema):
    slug: str
    title: str
    summary: str
    kind: str
    status: str
    rural_urban: bool
    start_year: int | None
    end_year: int | None
    themes: list[str]
    partners: list[PartnerOut]
    published_at: datetime | None
    url: str


class EventOut(Schema):
    slug: str
    title: str
    kind: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    commune: Place
    online: bool
    url: str


class MementoOut(Schema):
    slug: str
    number: int
    title: str
    subtitle: str
    published_at: datetime | None
    url: str


class PageMeta(Schema):
    page: int
    per_page: int
    count: int
    count_is_exact: bool
    next: str | None
    previous: str | None


class EntryPage(Schema):
    licence: Licence
    meta: PageMeta
    results: list[EntryOut]


class PracticePage(Schema):
    licence: Licence
    meta: PageMeta
    results: list[PracticeOut]


class EventList(Schema):
    licence: Licence
    results: list[EventOut]


class MementoList(Schema):
    licence: Licence
    results: list[MementoOut]


class Paging(Schema):
    page: int = 1
    par_page: int = PAGE_SIZE


class DirectoryFilters(Schema):
    q: str | None = None
    type: list[str] | None = None
    region: str | None = None
    departement: str | None = None
    theme: list[str] | None = None
    milieu: list[str] | None = None
    tri: str | None = None


class PracticeFilters(Schema):
    q: str | None = None
    theme: list[str] | None = None
    region: str | None = None
    departement: str | None = None
    type: list[str] | None = None
    rural_urbain: bool | None = None
    structure: str | None = None
    tri: str | None = None


class AgendaFilters(Schema):
    q: str | None = None
    type: list[str] | None = None
    theme: str | None = None
    region: str | None = None


# --- Helpers ---------------------------------------------------------------------------


def licence() -> dict:
    return {
        "name": LICENCE_NAME,
        "url": LICENCE_URL,
        "producer": PRODUCER,
        "sources": [f"{what} : {who} ({lic})" for what, who, lic in SOURCES],
    }


class BadFilters(Exception):
    def __init__(self, errors: dict) -> None:
        self.errors = errors


@api.exception_handler(BadFilters)
def bad_filters(request, exc: BadFilters):
    return api.create_response(
        request,
        {"detail": str(_("Filtres invalides.")), "errors": exc.errors},
        status=400,
    )


def _filter_data(request: HttpRequest):
    data = request.GET.copy()
    for name in ("page", "par_page"):
        data.pop(name, None)
    return data


def _page(request: HttpRequest, filterset, rows, paging: Paging):
    """The rows of one page, as the list pages cut them (ranked when searching)."""
    if filterset.is_bound and filterset.errors:
        raise BadFilters({k: [str(e) for e in v] for k, v in filterset.errors.items()})
    per_page = max(1, min(paging.par_page, MAX_PAGE_SIZE))
    if filterset.search_outcome is not None:
        page = ranked_page(rows, str(paging.page), per_page, search.RANKED_CANDIDATES)
    else:
        page = bounded_page(rows, str(paging.page), per_page)

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return absolute_url(f"{request.path}?{query.urlencode()}")

    paginator = page.paginator
    meta = {
        "page": page.number,
        "per_page": per_page,
        "count": paginator.count,
        "count_is_exact": not getattr(paginator, "more", False),
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
    }
    return list(page.object_list), meta


def _place(commune, department=None, region=None) -> dict:
    return {
        "insee_code": commune.code if commune else None,
        "name": commune.name if commune else None,
        "department": department.code if department else None,
        "region": region.code if region else None,
    }


def _entry(entry: DirectoryEntry) -> dict:
    return {
        "slug": entry.slug,
        "name": entry.name,
        "acronym": entry.acronym,
        "category": entry.category,
        "kind": entry.kind,
        "kind_label": str(entry.get_kind_display()),
        "setting": entry.setting,
        "commune": _place(entry.commune, entry.department, entry.region),
        "themes": [theme.slug for theme in entry.themes.all()],
        "website": entry.website,
        "phone": entry.phone,
        "latitude": entry.latitude,
        "longitude": entry.longitude,
        "published_practices": entry.published_practice_count,
        "url": absolute_url(entry.get_absolute_url()),
    }


def _entries(request, category: str, paging: Paging) -> dict:
    data = _filter_data(request)
    data["categorie"] = category
    filterset = clusters_selectors.directory_filter(data)
    rows = (
        filterset.qs.defer("search_vector", "email", "description")
        .select_related("commune", "department", "region")
        .prefetch_related("themes")
    )
    entries, meta = _page(request, filterset, rows, paging)
    return {"licence": licence(), "meta": meta, "results": [_entry(e) for e in entries]}


def _one_entry(category: str, slug: str) -> dict:
    entry = (
        DirectoryEntry.objects.published()
        .filter(category=category, slug=slug)
        .select_related("commune", "department", "region")
        .prefetch_related("themes")
        .first()
    )
    if entry is None:
        raise Http404
    return _entry(entry)


def _practice(practice: Practice) -> dict:
    return {
        "slug": practice.slug,
        "title": practice.title,
        "summary": practice.summary,
        "kind": practice.kind,
        "status": practice.status,
        "rural_urban": practice.rural_urban,
        "start_year": practice.start_year,
        "end_year": practice.end_year,
        "themes": [theme.slug for theme in practice.themes.all()],
        "partners": [
            {
                "name": partner.display_name,
                "role": partner.role,
                "entry": partner.entry.slug if partner.entry_id else None,
            }
            for partner in practice.partners.all()
        ],
        "published_at": practice.published_at,
        "url": absolute_url(practice.get_absolute_url()),
    }


# --- Endpoints -------------------------------------------------------------------------


@api.get(
    "/structures/",
    response=EntryPage,
    tags=["annuaire"],
    summary="Structures",
    url_name="structures",
)
def structures(request, filters: Query[DirectoryFilters], paging: Query[Paging]):
    """Clusters, pôles de compétitivité, lieux d'innovation… publiés, filtrés comme
    l'annuaire (`/annuaire/?categorie=structure`)."""
    return _entries(request, Category.STRUCTURE, paging)


@api.get(
    "/structures/{slug}/",
    response=EntryOut,
    tags=["annuaire"],
    summary="Une structure",
    url_name="structure",
)
def structure(request, slug: str):
    return _one_entry(Category.STRUCTURE, slug)


@api.get(
    "/territoires/",
    response=EntryPage,
    tags=["annuaire"],
    summary="Territoires",
    url_name="territories",
)
def territories(request, filters: Query[DirectoryFilters], paging: Query[Paging]):
    """Pays, PETR, GAL LEADER… publiés, filtrés comme l'annuaire
    (`/annuaire/?categorie=territoire`)."""
    return _entries(request, Category.TERRITORY, paging)


@api.get(
    "/territoires/{slug}/",
    response=EntryOut,
    tags=["annuaire"],
    summary="Un territoire",
    url_name="territory",
)
def territory(request, slug: str):
    return _one_entry(Category.TERRITORY, slug)


@api.get(
    "/pratiques/",
    response=PracticePage,
    tags=["pratiques"],
    summary="Pratiques",
    url_name="practices",
)
def practices(request, filters: Query[PracticeFilters], paging: Query[Paging]):
    """Les pratiques innovantes publiées, filtrées et cherchées comme `/pratiques/`."""
    filterset = clusters_selectors.practice_filter(_filter_data(request))
    rows = filterset.qs.defer("search_vector", "body").prefetch_related("themes", "partners__entry")
    found, meta = _page(request, filterset, rows, paging)
    return {"licence": licence(), "meta": meta, "results": [_practice(p) for p in found]}


@api.get(
    "/pratiques/{slug}/",
    response=PracticeOut,
    tags=["pratiques"],
    summary="Une pratique",
    url_name="practice",
)
def practice(request, slug: str):
    found = (
        Practice.objects.published()
        .filter(slug=slug)
        .prefetch_related("themes", "partners__entry")
        .first()
    )
    if found is None:
        raise Http404
    return _practice(found)


@api.get(
    "/evenements/", response=EventList, tags=["agenda"], summary="Événements", url_name="events"
)
def events(request, filters: Query[AgendaFilters]):
    """Les événements publiés que montre l'agenda (`/agenda/`) : tous ceux à venir, puis
    les derniers passés."""
    filterset = events_selectors.agenda_filter(_filter_data(request))
    if filterset.is_bound and filterset.errors:
        raise BadFilters({k: [str(e) for e in v] for k, v in filterset.errors.items()})
    upcoming, past = events_selectors.agenda_lists(
        filterset.qs.select_related("commune__department__region").defer("search_vector")
    )
    results = [
        {
            "slug": event.slug,
            "title": event.title,
            "kind": event.kind,
            "summary": event.summary,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "commune": _place(
                event.commune,
                event.commune.department if event.commune else None,
                event.commune.department.region if event.commune else None,
            ),
            "online": bool(event.online_url),
            "url": absolute_url(event.get_absolute_url()),
        }
        for event in [*upcoming, *past]
    ]
    return {"licence": licence(), "results": results}


@api.get(
    "/mementos/",
    response=MementoList,
    tags=["mementos"],
    summary="Mémentos publiés",
    url_name="mementos",
)
def mementos(request):
    rows = Memento.objects.published().order_by("number")
    results = [
        {
            "slug": memento.slug,
            "number": memento.number,
            "title": memento.title,
            "subtitle": memento.subtitle,
            "published_at": memento.published_at,
            "url": absolute_url(memento.get_absolute_url()),
        }
        for memento in rows.only("slug", "number", "title", "subtitle", "published_at")
    ]
    return {"licence": licence(), "results": results}


def urls():
    """The API's URL patterns, each answer cached for anonymous clients like the pages."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if getattr(pattern, "name", "") not in ("openapi-json", "openapi-view"):
            public_page(pattern.callback)
    return patterns, app_name, namespace
