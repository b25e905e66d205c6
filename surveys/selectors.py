"""Reads of the surveys: access to a response, and results aggregated in SQL."""

from dataclasses import dataclass, field

from django.core.cache import cache, caches
from django.db.models import Aggregate, Avg, Count, F, FloatField, Max, Min, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils.translation import get_language, gettext

from clusters.models import DirectoryEntry, Membership
from reference.models import Theme
from surveys.models import (
    Answer,
    AnswerChoice,
    Choice,
    GridRow,
    Invitation,
    Question,
    Response,
    Survey,
    hash_token,
)

MIN_PUBLIC_GROUP = 5
TEXT_SAMPLE = 15
QUOTES_SHOWN = 3
QUOTES_READ = 12  # the latest few, so that three different ones are likely among them


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


# --- Access ------------------------------------------------------------------------------


@dataclass
class Access:
    """Who answers, for which structure, and where the pages live."""

    survey: Survey
    entry: DirectoryEntry | None
    invitation: Invitation | None = None
    user: object = None
    token: str = ""
    preview: bool = False

    @property
    def email(self) -> str:
        if self.invitation is not None:
            return self.invitation.email
        return getattr(self.user, "email", "") or ""


def access_by_token(token: str) -> Access:
    """The invitation a link points to; the same 404 for unknown, altered, withdrawn or
    other surveys' links."""
    if not token or len(token) > 64:
        raise Http404
    invitation = (
        Invitation.objects.filter(token_hash=hash_token(token), withdrawn_at=None)
        .select_related("survey", "entry")
        .first()
    )
    if invitation is None or invitation.survey.status == Survey.Status.DRAFT:
        raise Http404
    return Access(
        survey=invitation.survey, entry=invitation.entry, invitation=invitation, token=token
    )


def access_for_representative(*, user, survey_slug: str, entry_slug: str) -> Access:
    """A representative answering for their own structure; 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    survey = Survey.objects.exclude(status=Survey.Status.DRAFT).filter(slug=survey_slug).first()
    membership = (
        Membership.objects.filter(
            user=user, entry__slug=entry_slug, role=Membership.Role.REPRESENTATIVE
        )
        .select_related("entry")
        .first()
    )
    if survey is None or membership is None or not audience_matches(survey, membership.entry):
        raise Http404
    invitation = Invitation.objects.filter(
        survey=survey, entry=membership.entry, withdrawn_at=None
    ).first()
    return Access(survey=survey, entry=membership.entry, invitation=invitation, user=user)


def access_for_preview(*, user, survey_slug: str) -> Access:
    if not (user.is_authenticated and user.has_perm("surveys.view_survey")):
        raise Http404
    survey = Survey.objects.filter(slug=survey_slug).first()
    if survey is None:
        raise Http404
    return Access(survey=survey, entry=None, user=user, preview=True)


def audience_matches(survey: Survey, entry: DirectoryEntry) -> bool:
    if survey.audience == Survey.Audience.BOTH:
        return True
    if survey.audience == Survey.Audience.TERRITORIES:
        return entry.is_territory
    return not entry.is_territory


def surveys_for_member(user) -> list[dict]:
    """The surveys the person's structures may answer (open ones) or have answered, with
    where each stands."""
    if not user.is_authenticated:
        return []
    memberships = list(
        Membership.objects.filter(user=user, role=Membership.Role.REPRESENTATIVE).select_related(
            "entry"
        )
    )
    if not memberships:
        return []
    entries = [m.entry for m in memberships]
    responses = {
        (r.survey_id, r.entry_id): r
        for r in Response.objects.filter(entry__in=entries).exclude(
            survey__status=Survey.Status.DRAFT
        )
    }
    answered = {survey_id for survey_id, _entry in responses}
    surveys = list(
        Survey.objects.filter(Q(status=Survey.Status.OPEN) | Q(pk__in=answered))
        .exclude(status=Survey.Status.DRAFT)
        .order_by("-closes_at")
    )
    rows = []
    for survey in surveys:
        for membership in memberships:
            response = responses.get((survey.pk, membership.entry_id))
            if response is None and survey.status != Survey.Status.OPEN:
                continue
            if audience_matches(survey, membership.entry):
                rows.append(
                    {
                        "survey": survey,
                        "entry": membership.entry,
                        "response": response,
                    }
                )
    return rows


# --- Results ---------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    choices: list[tuple[str, int, float]] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    distribution: list[tuple[str, int, float]] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    texts: list[tuple[str, str]] = field(default_factory=list)
    hidden: bool = False
    # A grid: per row, its label and the spread over the columns.
    grid: list[tuple[str, list[tuple[str, int, float]]]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    # A ranking: per item, its mean rank and how often it came first, best first.
    ranking: list[tuple[str, float, int]] = field(default_factory=list)


def result_filters(data) -> tuple[str, str]:
    """The region and kind of structure chosen on the results pages (either empty when
    absent or unknown)."""
    from reference.selectors import place_choices

    region, kind = data.get("region", ""), data.get("type", "")
    if region and region not in dict(place_choices()[0]):
        region = ""
    if kind and kind not in dict(DirectoryEntry._meta.get_field("kind").choices):
        kind = ""
    return region, kind


def submitted_lookups(survey: Survey, *, region: str = "", kind: str = "") -> dict:
    """The lookups of the submitted responses the filters select, to apply to responses
    or, prefixed, to their answers (a join, where an IN over thousands of responses
    made PostgreSQL walk every answer through nested loops)."""
    lookups = {"survey": survey, "status": Response.Status.SUBMITTED}
    if region:
        lookups["entry__region__code"] = region
    if kind:
        lookups["entry__kind"] = kind
    return lookups


def submitted(survey: Survey, *, region: str = "", kind: str = "") -> QuerySet:
    return Response.objects.filter(**submitted_lookups(survey, region=region, kind=kind))


def _through(prefix: str, lookups: dict) -> dict:
    return {f"{prefix}__{key}": value for key, value in lookups.items()}


COUNTS = ("invited", "opened", "started", "submitted")


def participation(survey: Survey, *, region: str = "", kind: str = "") -> dict:
    """Invited, opened, started, submitted and the response rate, overall, by region and
    by kind of structure: one query grouped by region and kind, added up here (a few
    dozen groups at most), and one count of the responses received."""
    invitations = Invitation.objects.filter(survey=survey, withdrawn_at=None)
    if region:
        invitations = invitations.filter(entry__region__code=region)
    if kind:
        invitations = invitations.filter(entry__kind=kind)
    groups = list(
        invitations.values(name=F("entry__region__name"), code=F("entry__kind")).annotate(
            invited=Count("pk"),
            # A funnel: each stage counts those that went further too (a representative
            # answering from Mon espace starts without ever opening the emailed link).
            opened=Count(
                "pk",
                filter=Q(opened_at__isnull=False)
                | Q(started_at__isnull=False)
                | Q(submitted_at__isnull=False),
            ),
            started=Count("pk", filter=Q(started_at__isnull=False) | Q(submitted_at__isnull=False)),
            submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        )
    )
    overall = _add_up(groups)
    received = submitted(survey, region=region, kind=kind).aggregate(
        n=Count("pk"), last=Max("updated_at")
    )
    overall["responses"] = received["n"]
    kinds = dict(DirectoryEntry._meta.get_field("kind").choices)
    by_region = [
        {"name": name, **_add_up([g for g in groups if (g["name"] or "") == name])}
        for name in sorted({g["name"] or "" for g in groups})
    ]
    by_kind = [
        {"code": code, "name": str(kinds.get(code, code)), **_add_up(
            [g for g in groups if g["code"] == code]
        )}
        for code in sorted({g["code"] for g in groups})
    ]  # fmt: skip
    for row in by_region:
        row["name"] = row["name"] or None
    # What the figures of the questions are computed from (see question_results).
    signature = (received["n"], received["last"])
    return {"overall": overall, "by_region": by_region, "by_kind": by_kind, "signature": signature}


def _add_up(groups: list[dict]) -> dict:
    totals = {name: sum(group[name] for group in groups) for name in COUNTS}
    totals["rate"] = _rate(totals["submitted"], totals["invited"])
    return totals


def _rate(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


RESULTS_CACHE_SECONDS = 24 * 3600
KEPT_RESULTS = caches["local"]


def question_results(
    survey: Survey,
    *,
    region: str = "",
    kind: str = "",
    public: bool = False,
    signature: tuple | None = None,
    share: bool = False,
) -> list[tuple[object, list[QuestionResult]]]:
    """Every question's figures. ``public`` hides what fewer than 5 responses would
    reveal, and free text.

    The figures are aggregated in SQL over every answer (200,000 at 5,000 responses), a
    few hundred milliseconds; they are kept (in memory and in the shared cache) under the
    signature of what they were computed from (how many responses the filters select,
    when the last one changed, when the survey's questions last changed), so that they
    are computed again exactly when a response comes in or changes, never stale."""
    chosen = submitted_lookups(survey, region=region, kind=kind)
    if signature is None:  # participation() gives it with the same filters
        received = Response.objects.filter(**chosen).aggregate(
            n=Count("pk"), last=Max("updated_at")
        )
        signature = (received["n"], received["last"])
    count, last = signature
    key = ":".join(
        str(part)
        for part in (
            "survey-results", survey.pk, survey.updated_at.timestamp(), region, kind, public,
            get_language(), count, last and last.timestamp(),
        )
    )  # fmt: skip
    # Each process keeps a copy in memory (no query); the worker computes them after
    # each submission and leaves them in the shared cache (``share``, surveys.tasks),
    # where every process finds them. The key changes with any response, so a copy is
    # never stale.
    results = None if share else KEPT_RESULTS.get(key)
    if results is None:
        results = None if share else cache.get(key)
        if results is None:
            results = _question_results(survey, chosen, public=public)
            if share:
                cache.set(key, results, RESULTS_CACHE_SECONDS)
        KEPT_RESULTS.set(key, results, RESULTS_CACHE_SECONDS)
    return results


def _question_results(
    survey: Survey, chosen: dict, *, public: bool
) -> list[tuple[object, list[QuestionResult]]]:
    questions = list(
        Question.objects.filter(section__survey=survey)
        .select_related("section")
        .order_by("section__position", "section__pk", "position", "pk")
    )
    # The choices, each with how many responses picked it: counted from the picks'
    # side (one pass, hashed), not choice by choice.
    picks = dict(
        AnswerChoice.objects.filter(**_through("answer__response", chosen))
        .values("choice_id")
        .annotate(n=Count("pk"))
        .values_list("choice_id", "n")
    )
    choices: dict[int, list[Choice]] = {}
    for choice in Choice.objects.filter(question__section__survey=survey).order_by(
        "position", "pk"
    ):
        choice.picks = picks.get(choice.pk, 0)
        choices.setdefault(choice.question_id, []).append(choice)
    placed_ids = [q.pk for q in questions if q.kind in Question.PLACED_KINDS]
    cells: dict[tuple[int, int], int] = {}
    ranks: dict[int, tuple[float, int]] = {}
    if placed_ids:
        # Grids, per row and column; rankings, per item: its mean rank and its firsts.
        rows_by_question: dict[int, list[GridRow]] = {}
        for row in GridRow.objects.filter(question_id__in=placed_ids).order_by("position", "pk"):
            rows_by_question.setdefault(row.question_id, []).append(row)
        for row_id, choice_id, n, mean, firsts in (
            AnswerChoice.objects.filter(
                answer__question_id__in=placed_ids, **_through("answer__response", chosen)
            )
            .values("row_id", "choice_id")
            .annotate(n=Count("pk"), mean=Avg("rank"), firsts=Count("pk", filter=Q(rank=1)))
            .values_list("row_id", "choice_id", "n", "mean", "firsts")
        ):
            if row_id is not None:
                cells[(row_id, choice_id)] = n
            elif mean is not None:
                ranks[choice_id] = (float(mean), firsts)
    answers = Answer.objects.filter(**_through("response", chosen))
    # One pass over the answers, grouped by question: how many answered, the yes/no
    # split, the "Autre" answers and each step of the scales; then the figures of the
    # numbers over the number questions' answers only (a median sorts what it reads).
    steps = sorted(
        {
            value
            for question in questions
            if question.kind == Question.Kind.SCALE
            for value in range(question.scale_min, question.scale_max + 1)
        }
    )
    step_counts = {
        f"step_{index}": Count("pk", filter=Q(number=value)) for index, value in enumerate(steps)
    }
    stats = {
        row["question_id"]: row
        for row in answers.values("question_id").annotate(
            n=Count("pk"),
            others=Count("pk", filter=~Q(other="")),
            yes=Count("pk", filter=Q(boolean=True)),
            no=Count("pk", filter=Q(boolean=False)),
            **step_counts,
        )
    }
    number_ids = [question.pk for question in questions if question.is_number]
    numbers = {
        row["question_id"]: row
        for row in answers.filter(question_id__in=number_ids, number__isnull=False)
        .values("question_id")
        .annotate(
            mean=Avg("number"), median=Median("number"), minimum=Min("number"),
            maximum=Max("number"),
        )
    }  # fmt: skip
    answered = {question_id: row["n"] for question_id, row in stats.items()}
    spread = {
        question_id: {value: row[f"step_{index}"] for index, value in enumerate(steps)}
        for question_id, row in stats.items()
    }
    other_counts = {question_id: row["others"] for question_id, row in stats.items()}
    yes_no = {
        question_id: {True: row["yes"], False: row["no"]} for question_id, row in stats.items()
    }
    texts: dict[int, list[tuple[str, str]]] = {}
    others: dict[int, list[str]] = {}
    if not public:
        text_ids = [q.pk for q in questions if q.kind in Question.TEXT_KINDS]
        other_ids = [q.pk for q in questions if q.allow_other]
        sample = (
            answers.filter(Q(question_id__in=text_ids) | Q(question_id__in=other_ids, other__gt=""))
            .annotate(
                row=Window(RowNumber(), partition_by=[F("question_id")], order_by=F("pk").desc())
            )
            .filter(row__lte=TEXT_SAMPLE)
            .values_list("question_id", "text", "other", "response__entry__name")
        )
        for question_id, text, other, entry in sample:
            if text:
                texts.setdefault(question_id, []).append((entry, text))
            if other:
                others.setdefault(question_id, []).append(other)
    results: dict[int, tuple[object, list[QuestionResult]]] = {}
    for question in questions:
        result = QuestionResult(question=question, answered=answered.get(question.pk, 0))
        total = result.answered
        if public and total < MIN_PUBLIC_GROUP:
            result.hidden = True
        elif question.kind == Question.Kind.GRID:
            columns = choices.get(question.pk, [])
            result.columns = [c.label for c in columns]
            for row in rows_by_question.get(question.pk, []):
                counts = [cells.get((row.pk, c.pk), 0) for c in columns]
                row_total = sum(counts)
                result.grid.append(
                    (row.label, [(c.label, n, _percent(n, row_total))
                                 for c, n in zip(columns, counts, strict=True)])
                )  # fmt: skip
        elif question.kind == Question.Kind.RANKING:
            ranked = [
                (c.label, round(ranks[c.pk][0], 2), ranks[c.pk][1])
                for c in choices.get(question.pk, [])
                if c.pk in ranks
            ]
            result.ranking = sorted(ranked, key=lambda item: item[1])
        elif question.is_choice:
            result.choices = [
                (c.label, c.picks, _percent(c.picks, total)) for c in choices.get(question.pk, [])
            ]
            if question.allow_other:
                count = other_counts.get(question.pk, 0)
                result.choices.append((gettext("Autre"), count, _percent(count, total)))
            result.others = others.get(question.pk, [])
        elif question.kind == Question.Kind.YES_NO:
            counts = yes_no.get(question.pk, {})
            result.choices = [
                (label, counts.get(value, 0), _percent(counts.get(value, 0), total))
                for label, value in ((gettext("oui"), True), (gettext("non"), False))
            ]
        elif question.is_number:
            stats = numbers.get(question.pk)
            if stats:
                result.mean = round(float(stats["mean"]), 2)
                result.median = float(stats["median"])
                if not public:
                    # In public, never: the extremes are each one structure's exact answer.
                    result.minimum = float(stats["minimum"])
                    result.maximum = float(stats["maximum"])
            if question.kind == Question.Kind.SCALE:
                counts = spread.get(question.pk, {})
                result.distribution = [
                    (str(v), counts.get(v, 0), _percent(counts.get(v, 0), total))
                    for v in range(question.scale_min, question.scale_max + 1)
                ]
        elif question.is_text:
            result.texts = texts.get(question.pk, [])
        results.setdefault(question.section_id, (question.section, []))[1].append(result)
    return list(results.values())


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass
class RaisedTheme:
    theme: Theme
    count: int
    quotes: list[str]
    # In public, a theme raised by fewer than MIN_PUBLIC_GROUP answers reads « moins de 5 »
    # and shows no quote: next to its count, a quote would point at one structure.
    few: bool = False


def themes_raised(survey: Survey, *, public: bool = False) -> list[RaisedTheme]:
    """The directory's themes that staff tagged in answers, most raised first, each with a
    few quotes (in public, only those marked quotable, and never a name). One query: each
    theme's count comes with its latest tagged answers."""
    tags = Answer.themes.through.objects.filter(
        answer__response__survey=survey, answer__response__status=Response.Status.SUBMITTED
    )
    rows = (
        tags.annotate(
            raised=Window(Count("pk"), partition_by=[F("theme_id")]),
            # The quotable answers first for the public, then the latest.
            row=Window(
                RowNumber(),
                partition_by=[F("theme_id")],
                order_by=[F("answer__quotable").desc(), F("answer_id").desc()]
                if public
                else [F("answer_id").desc()],
            ),
        )
        .filter(row__lte=QUOTES_READ)
        .values_list(
            "theme_id", "theme__slug", "theme__name", "raised", "answer__text", "answer__quotable"
        )
    )
    themes: dict[int, RaisedTheme] = {}
    for theme_id, slug, name, raised, text, quotable in rows:
        theme = themes.get(theme_id)
        if theme is None:
            theme = themes[theme_id] = RaisedTheme(
                theme=Theme(pk=theme_id, slug=slug, name=name), count=raised, quotes=[]
            )
        if public and raised < MIN_PUBLIC_GROUP:
            theme.few = True
            continue
        shown = text and (quotable or not public) and text not in theme.quotes
        if shown and len(theme.quotes) < QUOTES_SHOWN:
            theme.quotes.append(text)
    if public:
        for theme in themes.values():
            if theme.few:
                theme.count = 0  # never said, not even through the order
    return sorted(themes.values(), key=lambda t: (t.few, -t.count, t.theme.name))
