"""French full-text search: accent- and case-insensitive, stemmed, ranked, typo-tolerant.

Documents carry a stored ``search_vector`` built with the ``french_unaccent`` text search
configuration (the French stemmer after ``unaccent``), kept up to date by the services
that write.

A query is widened before it runs, so that it finds what a French reader means:

- irregular plurals the stemmer does not join (« lieux » and « lieu », « tiers-lieux »,
  « travaux » and « travail », « enjeux », « matériaux »…);
- the programme's synonyms and acronyms (``SYNONYMS``: PETR and « pôle d'équilibre
  territorial et rural », GAL and LEADER, ESS, TPE, PME, EPCI and intercommunalité…).

A query that finds nothing is retried with each unknown word replaced by the closest
word of the published vocabulary (``SearchWord``, trigram similarity), and the
correction is offered only when it finds something. Words the index knows, words with a
capital (proper nouns) and anything that looks like markup are never rewritten.
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
MAX_VARIANTS = 4  # alternatives of one word, the word itself included
WORD_RE = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
TYPO_SIMILARITY = 0.4
RANKED_CANDIDATES = 200  # a search ranks at most this many matches (see apply_search)
# Websearch operators and markup: such a query runs as typed, and is never corrected.
OPERATORS = re.compile(r'["]|(^|\s)-|\s(or|OR)\s')
MARKUP = re.compile(r"[<>{}\[\]=]")

# Words and phrases that mean the same to the programme's readers: a query naming one
# also finds the others. Documented in the README.
SYNONYMS: list[tuple[str, ...]] = [
    ("petr", "pôle d'équilibre territorial et rural", "pôles d'équilibre territoriaux et ruraux"),
    ("gal", "leader", "groupe d'action locale", "groupes d'action locale"),
    ("ess", "économie sociale et solidaire"),
    ("tpe", "très petite entreprise", "très petites entreprises"),
    ("pme", "petite et moyenne entreprise", "petites et moyennes entreprises"),
    ("epci", "intercommunalité", "intercommunalités", "communauté de communes"),
    ("pnr", "parc naturel régional", "parcs naturels régionaux"),
    ("feader", "fonds européen agricole pour le développement rural"),
    ("pdr", "programme de développement rural", "programmes de développement rural"),
    ("rrn", "réseau rural national"),
    ("inra", "inrae"),
    ("fab lab", "fablab", "fab-lab"),
    ("coworking", "co-working", "espace de travail partagé"),
    ("tiers-lieu", "tiers lieu", "tiers-lieux", "tiers lieux"),
    ("circuit court", "circuits courts", "vente directe"),
]


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


# --- Widening a query ------------------------------------------------------------------------


def _synonym_index() -> dict[str, tuple[str, ...]]:
    index = {}
    for group in SYNONYMS:
        for phrase in group:
            index[plain(phrase)] = group
    return index


SYNONYM_INDEX = _synonym_index()
LONGEST_PHRASE = max(len(phrase.split()) for phrase in SYNONYM_INDEX)


def plural_forms(word: str) -> list[str]:
    """The singular or plural forms of ``word`` that the French stemmer does not join:
    -eu/-eux (lieu, enjeu), -au/-aux (matériau), -ail/-aux (travail, bail), also inside
    a hyphenated word (tiers-lieux)."""
    if "-" in word:
        head, _, last = word.rpartition("-")
        return [f"{head}-{form}" for form in plural_forms(last)]
    lowered = word.lower()
    forms = []
    if lowered.endswith("eux"):
        forms.append(word[:-1])
    elif lowered.endswith("eu"):
        forms.append(word + "x")
    if lowered.endswith("aux"):
        forms += [word[:-3] + "ail", word[:-1]]
    elif lowered.endswith("ail"):
        forms.append(word[:-3] + "aux")
    elif lowered.endswith("au"):
        forms.append(word + "x")
    return forms


@dataclass
class Term:
    """A word or phrase of the query, with what else it may be written as."""

    text: str
    alternatives: list[str]


def query_terms(text: str) -> list[Term]:
    """The query's words, each with its alternatives; a run of words that is one of the
    programme's phrases (« pôle d'équilibre territorial et rural ») counts as one term."""
    tokens = TOKEN_RE.findall(text)
    terms, i = [], 0
    while i < len(tokens):
        for size in range(min(LONGEST_PHRASE, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i : i + size])
            group = SYNONYM_INDEX.get(plain(phrase))
            if group:
                others = [p for p in group if plain(p) != plain(phrase)]
                terms.append(Term(phrase, others))
                i += size
                break
        else:
            terms.append(Term(tokens[i], plural_forms(tokens[i])))
            i += 1
    return terms


def _one(phrase: str) -> SearchQuery:
    kind = "phrase" if " " in phrase else "plain"
    return SearchQuery(phrase, search_type=kind, config=SEARCH_CONFIG)


def search_query(text: str) -> SearchQuery:
    """The tsquery of a cleaned search text: every term must match, each in any of its
    forms. A query with operators (quotes, "or", a leading minus) runs as typed."""
    if OPERATORS.search(text):
        return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    query = None
    for term in query_terms(text):
        either = None
        for phrase in [term.text, *term.alternatives][:MAX_VARIANTS]:
            part = _one(phrase)
            either = part if either is None else either | part
        query = either if query is None else query & either
    return query or SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def apply_search(queryset: QuerySet, text: str, candidates_by: list[str] | None = None) -> QuerySet:
    """Rows whose stored vector matches, annotated with their rank.

    With ``candidates_by`` (an ordering that an index serves, such as the most recent
    first), only the first ``RANKED_CANDIDATES`` + 1 matches in that order are ranked:
    a common word matches tens of thousands of long documents, and ranking them all
    reads every one. The extra row tells the caller that there are more."""
    query = search_query(text)
    matches = queryset.filter(search_vector=query)
    if candidates_by:
        matches = queryset.filter(pk__in=first_matches(matches, candidates_by))
    return matches.annotate(rank=SearchRank(F("search_vector"), query))


def first_matches(matches: QuerySet, order_by: list[str]) -> QuerySet:
    """The ids of the first ``RANKED_CANDIDATES`` + 1 of ``matches`` in ``order_by``, as
    a subquery: the only ones a search ranks (the extra one says there are more)."""
    return matches.order_by(*order_by).values("pk")[: RANKED_CANDIDATES + 1]


def capped(total: int) -> tuple[int, bool]:
    """A total counted over the ranked candidates: what to show, and whether there are
    more matches than were ranked."""
    return min(total, RANKED_CANDIDATES), total > RANKED_CANDIDATES


# --- Correcting a typo -------------------------------------------------------------------------


def _correctable(word: str) -> bool:
    # A capital marks a proper noun (Saint-Étienne, Ambert): never rewritten.
    return word == word.lower()


def corrected_query(text: str) -> str | None:
    """``text`` with each word unknown to the index replaced by its closest known word,
    or None when nothing can be corrected. Markup and operators are left alone."""
    if MARKUP.search(text) or OPERATORS.search(text):
        return None
    words = [w for w in WORD_RE.findall(text) if _correctable(w)]
    if not words:
        return None
    corrected = text
    changed = False
    with connection.cursor() as cursor:
        for word in words:
            needle = plain(word)
            # Known to the index when its stem is: « circuits » is « circuit ».
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM core_searchword WHERE word = %s "
                "OR lexeme = (ts_lexize('french_stem', %s))[1])",
                [needle, needle],
            )
            if cursor.fetchone()[0]:
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


def search(queryset: QuerySet, raw: str, candidates_by: list[str] | None = None) -> SearchOutcome:
    """Full-text search with a typo fallback, offered only when it finds something.
    ``queryset`` is already filtered; ``candidates_by``: see ``apply_search``."""
    text = clean_query(raw)
    if not text:
        return SearchOutcome(queryset, "")
    if not queryset.filter(search_vector=search_query(text)).exists():
        corrected = corrected_query(text)
        if corrected and queryset.filter(search_vector=search_query(corrected)).exists():
            return SearchOutcome(apply_search(queryset, corrected, candidates_by), text, corrected)
    return SearchOutcome(apply_search(queryset, text, candidates_by), text)


# --- The vocabulary ---------------------------------------------------------------------------

VOCABULARY_INSERT = """
INSERT INTO core_searchword (word, lexeme)
SELECT DISTINCT words.word, (ts_lexize('french_stem', words.word))[1]
  FROM ({rows}) AS source(text),
       regexp_split_to_table(lower(public.f_unaccent(coalesce(source.text, ''))),
                             '[^[:alpha:]]+') AS words(word)
 WHERE length(words.word) BETWEEN 3 AND 100
ON CONFLICT (word) DO NOTHING
"""


def vocabulary_from(queryset: QuerySet, text) -> None:
    """Add the words of ``text`` (an expression over ``queryset``'s rows) to the
    vocabulary that typo correction draws on, in one statement."""
    rows = queryset.order_by().annotate(vocabulary_text=text).values("vocabulary_text")
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        # The SQL is Django's own compiled query; values travel as parameters.
        cursor.execute(VOCABULARY_INSERT.format(rows=sql), params)


def vocabulary_add(texts: list[str]) -> None:
    """Add the words of ``texts`` to the vocabulary."""
    texts = [text for text in texts if text]
    if not texts:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            VOCABULARY_INSERT.format(rows="SELECT unnest(%s::text[])"),
            [texts],
        )
