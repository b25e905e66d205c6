"""French full-text search: accent- and case-insensitive, stemmed, ranked, typo-tolerant.

Documents carry a stored ``search_vector`` built with the ``french_unaccent`` text search
configuration (the French stemmer after ``unaccent``), kept up to date by the services
that write. A query that finds nothing is retried with each unknown word replaced by the
closest word of the published vocabulary (``SearchWord``, trigram similarity).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import CharField, F, Func, QuerySet, Value

SEARCH_CONFIG = "french_unaccent"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
WORD_RE = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
TYPO_SIMILARITY = 0.4


class Unaccented(Func):
    """``f_unaccent(expr)``: an IMMUTABLE wrapper of unaccent, so that it can be indexed."""

    function = "public.f_unaccent"
    output_field = CharField()


def plain(text: str) -> str:
    """Lower case, without accents: the form of the vocabulary."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def clean_query(raw: str | None) -> str:
    """A search string made safe to use: bounded length and number of terms, no
    control characters. The result goes to websearch_to_tsquery, which never fails."""
    if not raw:
        return ""
    text = "".join(ch if ch.isprintable() else " " for ch in raw)[:MAX_QUERY_LENGTH]
    return " ".join(text.split()[:MAX_TERMS])


def document_vector(*weighted: tuple[str, str]) -> SearchVector:
    """A search vector from (text, weight) pairs computed in Python."""
    vector = None
    for text, weight in weighted:
        part = SearchVector(Value(text or ""), weight=weight, config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    return vector


def search_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def apply_search(queryset: QuerySet, text: str) -> QuerySet:
    """Rows whose stored vector matches, annotated with their rank."""
    query = search_query(text)
    return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))


def corrected_query(text: str) -> str | None:
    """``text`` with each word absent from the vocabulary replaced by its closest known
    word, or None when nothing can be corrected."""
    words = WORD_RE.findall(text)
    if not words:
        return None
    corrected = text
    changed = False
    with connection.cursor() as cursor:
        for word in words:
            needle = plain(word)
            cursor.execute("SELECT word FROM core_searchword WHERE word = %s", [needle])
            if cursor.fetchone():
                continue
            cursor.execute(
                "SELECT word FROM core_searchword WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT 1",
                [needle, needle],
            )
            row = cursor.fetchone()
            if row:
                corrected = re.sub(rf"\b{re.escape(word)}\b", row[0], corrected, count=1)
                changed = True
    return corrected if changed else None


@dataclass
class SearchOutcome:
    queryset: QuerySet
    text: str
    corrected: str | None = None


def search(queryset: QuerySet, raw: str) -> SearchOutcome:
    """Full-text search with a typo fallback. ``queryset`` is already filtered."""
    text = clean_query(raw)
    if not text:
        return SearchOutcome(queryset, "")
    results = apply_search(queryset, text)
    if results.exists():
        return SearchOutcome(results, text)
    corrected = corrected_query(text)
    if corrected:
        return SearchOutcome(apply_search(queryset, corrected), text, corrected)
    return SearchOutcome(results, text)


def vocabulary_add(texts: list[str]) -> None:
    """Add the words of ``texts`` to the vocabulary that typo correction draws on."""
    words = {plain(word) for text in texts if text for word in WORD_RE.findall(text)}
    words = {word for word in words if len(word) <= 100}
    if not words:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_searchword (word) SELECT unnest(%s::varchar[]) "
            "ON CONFLICT (word) DO NOTHING",
            [sorted(words)],
        )
