"""One search across the portal: structures, territories, practices, mementos, case
studies and events, published only; French, accent-insensitive, stemmed, typo-tolerant.

Each kind is one query (its best results and, by a window function, its total; structures
and territories share theirs), on the stored vectors and their GIN indexes."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchRank
from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import Category, DirectoryEntry, Practice
from core.search import capped, clean_query, corrected_query, first_matches, search_query
from events.models import Event
from mementos.models import Memento, Monograph

SHOWN = 5


@dataclass
class Group:
    key: str
    label: str
    items: list = field(default_factory=list)
    total: int = 0
    more_url: str = ""
    more: bool = False  # more matches than were ranked (core.search.capped)


@dataclass
class SiteSearch:
    text: str
    groups: list[Group]
    asked: str = ""  # what the person typed, when the search ran on a corrected text

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def more(self) -> bool:
        return any(group.more for group in self.groups)


def _entries(text: str, query) -> list[Group]:
    """Structures and territories in one query: the best of each category and its
    total, by window functions partitioned by category."""
    by_category = [F("category")]
    published = DirectoryEntry.objects.published()
    # Only the first matches of each category in name order are ranked (core.search).
    candidates = [
        first_matches(published.filter(category=category, search_vector=query), ["name", "pk"])
        for category in (Category.STRUCTURE, Category.TERRITORY)
    ]
    rows = (
        published.only("pk", "name", "slug", "category", "kind", "description", "commune_id")
        .filter(pk__in=candidates[0].union(candidates[1], all=True))
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            total=Window(Count("pk"), partition_by=by_category),
        )
        .annotate(
            row=Window(RowNumber(), partition_by=by_category, order_by=[F("rank").desc(), F("pk")])
        )
        .filter(row__lte=SHOWN)
        .order_by("category", "row")
    )
    q = urlencode({"q": text})
    groups = {
        category: Group(
            key=key,
            label=label,
            more_url=f"{reverse('clusters:directory')}?{q}&categorie={category}",
        )
        for category, key, label in (
            (Category.STRUCTURE, "structures", _("Structures")),
            (Category.TERRITORY, "territories", _("Territoires")),
        )
    }
    for row in rows:
        group = groups[row.category]
        group.items.append(row)
        group.total, group.more = capped(row.total)
    return list(groups.values())


def _kinds(text: str) -> list[tuple[str, object, QuerySet, str]]:
    q = urlencode({"q": text})
    return [
        ("practices", _("Pratiques"),
         Practice.objects.published().only("pk", "title", "slug", "summary", "kind"),
         f"{reverse('clusters:practice_list')}?{q}", ["-published_at", "pk"]),
        ("mementos", _("Mémentos"),
         Memento.objects.published().only("pk", "number", "title", "slug", "subtitle"),
         f"{reverse('mementos:list')}?{q}", None),
        ("monographs", _("Monographies"),
         Monograph.objects.filter(memento__status=Memento.Status.PUBLISHED)
         .select_related("memento").only("pk", "title", "slug", "summary", "memento__slug",
                                         "memento__number"),
         f"{reverse('mementos:list')}?{q}", None),
        ("events", _("Événements"),
         Event.objects.published().only("pk", "title", "slug", "summary", "starts_at", "kind"),
         f"{reverse('events:agenda')}?{q}", None),
    ]  # fmt: skip


def _run(text: str) -> list[Group]:
    query = search_query(text)
    groups = _entries(text, query)
    for key, label, queryset, more_url, candidates_by in _kinds(text):
        matches = queryset.filter(search_vector=query)
        if candidates_by:  # a big table: rank only its most recent matches (core.search)
            matches = queryset.filter(pk__in=first_matches(matches, candidates_by))
        rows = list(
            matches.annotate(
                rank=SearchRank(F("search_vector"), query), total=Window(Count("pk"))
            ).order_by("-rank", "pk")[:SHOWN]
        )
        total, more = capped(rows[0].total if rows else 0)
        groups.append(
            Group(key=key, label=label, items=rows, total=total, more=more, more_url=more_url)
        )
    return groups


def site_search(raw: str | None) -> SiteSearch:
    text = clean_query(raw)
    if not text:
        return SiteSearch(text="", groups=[])
    groups = _run(text)
    if not any(group.total for group in groups):
        better = corrected_query(text)
        if better and better != text:
            corrected = _run(better)
            # A correction is offered only when it finds something.
            if any(group.total for group in corrected):
                return SiteSearch(text=better, groups=corrected, asked=text)
    return SiteSearch(text=text, groups=groups)
