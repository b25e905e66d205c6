"""Pages of long lists that never count more rows than they must.

Counting every match of a broad filter over 100,000 practices costs more than rendering
the page. A list counts its rows up to a bound (``COUNT_BOUND``, or further when the
page asked for lies beyond it) and says « plus de 1 000 » past it; a search ranks only
its most recent matches (``core.search.RANKED_CANDIDATES``) and counts them with the
same query (COUNT(*) OVER ()). A deep page finds its rows' ids before reading them."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

MAX_PAGE = 100_000  # beyond, a page number is junk: the last page is shown
COUNT_BOUND = 1000
# From this row on, a page reads the ids it shows before the rows (see ``_deep_rows``).
DEFERRED_JOIN_OFFSET = 200


def _page_number(raw) -> int:
    try:
        return min(max(int(str(raw)[:12]), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


class BoundedPage(Page):
    """A page whose paginator may have stopped counting: ``more`` says there are rows
    beyond ``paginator.count``, and the next page is offered even from the last one."""

    more = False

    def has_next(self) -> bool:
        return super().has_next() or self.more

    def next_page_number(self) -> int:
        return (
            self.number + 1 if self.more and not super().has_next() else super().next_page_number()
        )


def _page(rows: list, number: int, paginator: Paginator, more: bool) -> BoundedPage:
    page = BoundedPage(rows, number, paginator)
    page.more = more and number == paginator.num_pages
    paginator.more = more
    return page


def bounded_page(queryset: QuerySet, raw_number, per_page: int, bound: int | None = None):
    """The requested page and a total counted up to ``bound`` rows (or up to the page
    asked for, when it lies further): two queries, each stopping early."""
    number = _page_number(raw_number)
    limit = max(COUNT_BOUND if bound is None else bound, number * per_page)
    counted = queryset.order_by()[: limit + 1].count()
    paginator = Paginator(queryset, per_page)
    paginator.count = min(counted, limit)
    more = counted > limit
    number = min(number, paginator.num_pages)
    start = (number - 1) * per_page
    if not counted:
        rows = []
    elif start >= DEFERRED_JOIN_OFFSET:
        rows = _deep_rows(queryset, start, per_page)
    else:
        rows = list(queryset[start : start + per_page])
    return _page(rows, number, paginator, more)


def _deep_rows(queryset: QuerySet, start: int, per_page: int) -> list:
    """A deep page in two steps: the ids of its rows first, walked past the earlier ones
    without reading them (from the index of the list's order where one covers its
    filters), then those rows whole, back in the same order."""
    ids = list(queryset.values_list("pk", flat=True)[start : start + per_page])
    found = {row.pk: row for row in queryset.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def ranked_page(queryset: QuerySet, raw_number, per_page: int, bound: int | None = None):
    """The requested page of a search, and the total, in one query (COUNT(*) OVER ()).

    A search orders by relevance, so PostgreSQL evaluates every candidate before the
    first row anyway; counting them in a second query would scan them twice. ``bound``:
    the candidates were capped at ``bound`` + 1 rows, so a total above it means « more ».
    A page beyond the end falls back to the last one, as ``Paginator.get_page`` does."""
    number = _page_number(raw_number)
    counted = queryset.annotate(search_total=Window(Count("*")))
    paginator = Paginator(queryset, per_page)
    rows = list(counted[(number - 1) * per_page : number * per_page])
    total = rows[0].search_total if rows else queryset.count()
    more = bound is not None and total > bound
    paginator.count = bound if more else total
    if not rows or number > paginator.num_pages:
        # Past the end (or into the extra candidate that only says "more"): the last page.
        number = paginator.num_pages
        rows = list(counted[(number - 1) * per_page : number * per_page]) if total else []
    if more:  # the extra candidate only said so: show the ranked ones
        rows = rows[: max(0, bound - (number - 1) * per_page)]
    page = _page(rows, number, paginator, more)
    page.more = False  # a search shows its ranked candidates only
    return page
