"""The programme's thread, theme by theme: what the surveys raised, the workshops that
worked on it, the mementos and case studies that published what was learned, and the
practices and structures that show it on the ground. Each part is one query."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from clusters.models import DirectoryEntry, Practice, ThemeTotal
from events.models import Status as BookingStatus
from events.models import Workshop
from mementos.models import Memento, Monograph
from reference.models import Theme
from surveys.models import Answer, Response, Survey

SHOWN_WORKSHOPS = 6
SHOWN_PAST_WORKSHOPS = 4
SHOWN_PRACTICES = 6
SHOWN_ENTRIES = 10
QUOTES = 3


@dataclass
class SurveyFinding:
    survey: Survey
    count: int
    quotes: list[str] = field(default_factory=list)


@dataclass
class ThemeThread:
    theme: Theme
    findings: list[SurveyFinding]
    workshops: list[Workshop]  # to come, soonest first, with seats left
    past_workshops: list[Workshop]  # latest first
    mementos: list[Memento]
    monographs: list[Monograph]
    practices: list[Practice]
    practice_count: int
    entries: list[DirectoryEntry]
    entry_count: int


def themes_overview() -> list[Theme]:
    """Every theme with how many published practices, structures and mementos carry it
    (the directory's kept totals), and how many workshops worked on it."""
    themes = list(Theme.objects.select_related("directory_total"))
    workshops = dict(
        Workshop.objects.filter(event__published=True, theme__isnull=False)
        .values("theme_id")
        .annotate(n=Count("pk"))
        .values_list("theme_id", "n")
    )
    mementos = dict(
        Memento.themes.through.objects.filter(memento__status=Memento.Status.PUBLISHED)
        .values("theme_id")
        .annotate(n=Count("pk"))
        .values_list("theme_id", "n")
    )
    for theme in themes:
        total = getattr(theme, "directory_total", None)
        theme.practice_count = total.practices if total else 0
        theme.entry_count = total.entries if total else 0
        theme.workshop_count = workshops.get(theme.pk, 0)
        theme.memento_count = mementos.get(theme.pk, 0)
    return themes


def theme_thread(theme: Theme) -> ThemeThread:
    # What the published surveys raised: per survey, how many answers were tagged, and
    # the latest quotable ones (never a name).
    tags = Answer.themes.through.objects.filter(
        theme=theme,
        answer__response__status=Response.Status.SUBMITTED,
        answer__response__survey__in=Survey.objects.published_results(),
    )
    findings: dict[int, SurveyFinding] = {}
    rows = (
        tags.annotate(
            survey_id=F("answer__response__survey_id"),
            raised=Window(Count("pk"), partition_by=[F("answer__response__survey_id")]),
            row=Window(
                RowNumber(),
                partition_by=[F("answer__response__survey_id")],
                order_by=[F("answer__quotable").desc(), F("answer_id").desc()],
            ),
        )
        .filter(row__lte=QUOTES * 4)
        .values_list(
            "survey_id", "answer__response__survey__title", "answer__response__survey__slug",
            "answer__response__survey__opens_at", "raised", "answer__text", "answer__quotable",
        )
    )  # fmt: skip
    for survey_id, title, slug, opens_at, raised, text, quotable in rows:
        finding = findings.get(survey_id)
        if finding is None:
            survey = Survey(pk=survey_id, title=title, slug=slug, opens_at=opens_at)
            finding = findings[survey_id] = SurveyFinding(survey=survey, count=raised)
        if quotable and text and text not in finding.quotes and len(finding.quotes) < QUOTES:
            finding.quotes.append(text)

    now = timezone.now()
    held = Workshop.objects.filter(theme=theme, event__published=True).select_related("event")
    workshops = list(
        held.filter(ends_at__gte=now)
        .annotate(taken=Count("choices", filter=Q(choices__status=BookingStatus.CONFIRMED)))
        .order_by("starts_at", "pk")[:SHOWN_WORKSHOPS]
    )
    for workshop in workshops:
        workshop.seats_left = max(0, workshop.capacity - workshop.taken)
    past_workshops = list(
        held.filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:SHOWN_PAST_WORKSHOPS]
    )
    mementos = list(
        Memento.objects.published()
        .filter(pk__in=Memento.themes.through.objects.filter(theme=theme).values("memento_id"))
        .defer("search_vector")
        .order_by("number")
    )
    # By their memento's themes or their practices' (no DISTINCT over whole rows: planning
    # it cost more than running it).
    about = Monograph.objects.filter(
        Q(memento__themes=theme) | Q(practices__theme_ids__contains=[theme.pk])
    ).values("pk")
    monographs = list(
        Monograph.objects.filter(memento__status=Memento.Status.PUBLISHED, pk__in=about)
        .select_related("memento", "entry")
        .defer("search_vector", "memento__search_vector", "entry__search_vector",
               "entry__description")
        .order_by("memento__number", "position")
    )  # fmt: skip
    # The latest few walk the publication-date index and stop early, reading the rows'
    # copy of their theme ids; the totals are kept (clusters.ThemeTotal).
    practices = list(
        Practice.objects.published()
        .filter(theme_ids__contains=[theme.pk])
        .only("pk", "title", "slug", "summary", "kind", "published_at")
        .order_by("-published_at", "-pk")[:SHOWN_PRACTICES]
    )
    entries = list(
        DirectoryEntry.objects.published()
        .filter(theme_ids__contains=[theme.pk])
        .select_related("commune")
        .only("pk", "name", "slug", "category", "kind", "setting", "commune__name")
        .order_by("-published_practice_count", "name")[:SHOWN_ENTRIES]
    )
    try:
        total = theme.directory_total  # select_related by the view
    except ThemeTotal.DoesNotExist:
        total = ThemeTotal(theme=theme)
    return ThemeThread(
        theme=theme,
        findings=sorted(findings.values(), key=lambda f: f.survey.opens_at),
        workshops=workshops,
        past_workshops=past_workshops,
        mementos=mementos,
        monographs=monographs,
        practices=practices,
        practice_count=total.practices,
        entries=entries,
        entry_count=total.entries,
    )
