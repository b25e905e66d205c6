"""Pagination that counts in the same query when the rows must all be ranked anyway."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

MAX_PAGE = 100_000  # beyond, a page number is junk: the last page is shown


def _page_number(raw) -> int:
    try:
        return min(max(int(str(raw)[:12]), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def ranked_page(queryset: QuerySet, raw_number, per_page: int) -> Page:
    """The requested page of a search, and the total, in one query (COUNT(*) OVER ()).

    A search orders by relevance, so PostgreSQL evaluates every match before the first row
    anyway; counting them in a second query would scan them twice. A page beyond the end
    falls back to the last one, as ``Paginator.get_page`` does."""
    number = _page_number(raw_number)
    counted = queryset.annotate(search_total=Window(Count("*")))
    paginator = Paginator(queryset, per_page)
    rows = list(counted[(number - 1) * per_page : number * per_page])
    if rows:
        paginator.count = rows[0].search_total
    else:
        paginator.count = queryset.count()
        number = paginator.num_pages
        rows = list(counted[(number - 1) * per_page : number * per_page]) if paginator.count else []
    return Page(rows, number, paginator)
