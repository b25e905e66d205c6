"""Saved searches and their digests: what is new in a member's search (directory,
practices, agenda) or among their structure's potential partners since the last digest.

A search is kept as the query string of its page, read again by the page's own FilterSet
when the digest is made: the digest shows what the page would show, limited to what was
published after ``SavedSearch.checked_at``."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters import selectors as clusters_selectors
from events import selectors as events_selectors
from interclusters.models import SavedSearch

# A digest lists at most this many new items, then says how many more there are.
DIGEST_ITEMS = 20
# Parameters of a page's address that are not part of the search.
NOT_SEARCH = {"page", "format", "csrfmiddlewaretoken"}
# How far back a weekly alert looks; an hour of slack for a worker that ran late.
PERIODS = {
    SavedSearch.Frequency.DAILY: timedelta(days=1),
    SavedSearch.Frequency.WEEKLY: timedelta(days=7),
}
SLACK = timedelta(hours=1)

PAGES = {
    SavedSearch.Kind.DIRECTORY: "clusters:directory",
    SavedSearch.Kind.PRACTICES: "clusters:practice_list",
    SavedSearch.Kind.AGENDA: "events:agenda",
}


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    detail: str


def normalised_query(data: QueryDict) -> str:
    """The search part of a page's query string, in a stable order."""
    pairs = sorted(
        (key, value)
        for key in data
        if key not in NOT_SEARCH
        for value in data.getlist(key)
        if value.strip()
    )
    query = QueryDict(mutable=True)
    for key, value in pairs:
        query.appendlist(key, value)
    return query.urlencode()


def filterset_for(kind: str, query: str, since: datetime | None = None):
    """The page's own FilterSet over the search; with ``since``, over what was published
    after it only (so that a search ranks the new items among themselves)."""
    data = QueryDict(query)
    if kind == SavedSearch.Kind.DIRECTORY:
        filterset = clusters_selectors.directory_filter(data)
    elif kind == SavedSearch.Kind.PRACTICES:
        filterset = clusters_selectors.practice_filter(data)
    elif kind == SavedSearch.Kind.AGENDA:
        filterset = events_selectors.agenda_filter(data)
    else:
        raise ValueError(kind)
    if since is not None:
        filterset.queryset = filterset.queryset.filter(published_at__gt=since)
    return filterset


def query_errors(kind: str, query: str) -> dict:
    """What is wrong with a search's filters ({} when nothing)."""
    if kind == SavedSearch.Kind.PARTNERS:
        return {}
    filterset = filterset_for(kind, query)
    return dict(filterset.errors) if filterset.is_bound else {}


def new_items(alert: SavedSearch, *, since: datetime) -> tuple[list[Item], int]:
    """The items published after ``since`` that the alert's search finds, newest first
    (at most DIGEST_ITEMS), and how many there are in all."""
    from core.mail import absolute_url

    if alert.kind == SavedSearch.Kind.PARTNERS:
        rows = list(clusters_selectors.new_potential_partners(alert.entry, since=since,
                                                             limit=DIGEST_ITEMS + 1))  # fmt: skip
        items = [
            Item(
                entry.name,
                absolute_url(entry.get_absolute_url()),
                entry.commune.name if entry.commune_id else "",
            )  # fmt: skip
            for entry in rows
        ]
        return items[:DIGEST_ITEMS], len(items)
    filterset = filterset_for(alert.kind, alert.query, since=since)
    if filterset.is_bound and filterset.errors:
        return [], 0
    rows = filterset.qs
    if alert.kind == SavedSearch.Kind.AGENDA:
        rows = rows.filter(ends_at__gte=timezone.now())
    total = rows.order_by().count()
    found = list(rows.order_by("-published_at", "pk")[:DIGEST_ITEMS])
    items = []
    for row in found:
        if alert.kind == SavedSearch.Kind.PRACTICES:
            items.append(Item(row.title, absolute_url(row.get_absolute_url()), row.summary))
        elif alert.kind == SavedSearch.Kind.AGENDA:
            when = timezone.localtime(row.starts_at).strftime("%d/%m/%Y %H:%M")
            items.append(Item(row.title, absolute_url(row.get_absolute_url()), when))
        else:
            items.append(Item(row.name, absolute_url(row.get_absolute_url()),
                              str(row.get_kind_display())))  # fmt: skip
    return items, total


def due(now: datetime) -> Q:
    """The alerts whose digest is due at ``now`` (a filter the index alert_due serves)."""
    condition = Q(pk__in=[])
    for frequency, period in PERIODS.items():
        condition |= Q(frequency=frequency, checked_at__lte=now - period + SLACK)
    return condition


def page_url(alert: SavedSearch) -> str:
    """The page the alert watches, with its search."""
    from django.urls import reverse

    if alert.kind == SavedSearch.Kind.PARTNERS:
        return alert.entry.get_absolute_url()
    path = reverse(PAGES[alert.kind])
    return f"{path}?{alert.query}" if alert.query else path


def describe(alert: SavedSearch) -> str:
    labels = {
        SavedSearch.Kind.DIRECTORY: _("Nouvelles fiches de l'annuaire"),
        SavedSearch.Kind.PRACTICES: _("Nouvelles pratiques"),
        SavedSearch.Kind.AGENDA: _("Nouveaux événements"),
        SavedSearch.Kind.PARTNERS: _("Nouveaux partenaires potentiels"),
    }
    return str(labels[alert.kind])
