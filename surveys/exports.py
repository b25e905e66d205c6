"""What the survey exports contain: one row per response, one column per question and
per choice of a multiple choice."""

from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from clusters.models import DirectoryEntry
from core.exportfiles import Table
from surveys import services
from surveys.models import Answer, AnswerChoice, Question, Survey

EXPORT_BATCH = 500  # responses read at a time: memory stays flat, the download starts at once


def response_rows(survey: Survey, responses: QuerySet) -> Iterator[list]:
    """Header, then rows: one row per response, one column per question, one per choice of
    a multiple choice, per row of a grid (the column picked) and per item of a ranking (its
    rank). Read in batches of plain values (no model objects per answer), a
    fixed number of queries per batch."""
    questions = services.survey_questions(survey)
    header = [
        _("Structure"),
        _("Type"),
        _("Région"),
        _("Département"),
        _("Commencée le"),
        _("Envoyée le"),
    ]
    columns = []
    labels = {}
    for question in questions:
        for choice in question.choices.all():
            labels[choice.pk] = choice.label
        if question.kind == Question.Kind.GRID:
            for row in question.rows.all():
                header.append(f"{question.code} : {row.label}")
                columns.append(("row", question, row.pk))
        elif question.kind == Question.Kind.RANKING:
            for choice in question.choices.all():
                header.append(f"{question.code} : {choice.label} ({_('rang')})")
                columns.append(("rank", question, choice.pk))
        elif question.kind == Question.Kind.MULTIPLE:
            for choice in question.choices.all():
                header.append(f"{question.code} : {choice.label}")
                columns.append(("choice", question, choice.pk))
        else:
            header.append(question.code)
            columns.append(("value", question, None))
        if question.allow_other and question.is_choice:
            header.append(f"{question.code} ({_('autre')})")
            columns.append(("other", question, None))
    yield header
    kinds = dict(DirectoryEntry._meta.get_field("kind").choices)
    rows = responses.order_by("submitted_at", "pk").values_list(
        "pk", "entry__name", "entry__kind", "entry__region__name", "entry__department__name",
        "started_at", "submitted_at",
    )  # fmt: skip
    batch = []
    for row in rows.iterator(chunk_size=EXPORT_BATCH):
        batch.append(row)
        if len(batch) == EXPORT_BATCH:
            yield from _export_batch(batch, columns, labels, kinds)
            batch = []
    if batch:
        yield from _export_batch(batch, columns, labels, kinds)


def _export_batch(batch, columns, labels, kinds):
    ids = [row[0] for row in batch]
    answers = {
        (response_id, question_id): values
        for response_id, question_id, *values in Answer.objects.filter(
            response_id__in=ids
        ).values_list("response_id", "question_id", "text", "number", "date", "boolean", "other")
    }
    picked: dict[tuple[int, int], list[int]] = {}
    placed: dict[tuple[int, str, int], object] = {}  # (response, "row"/"rank", id): value
    for response_id, question_id, choice_id, row_id, rank in (
        AnswerChoice.objects.filter(answer__response_id__in=ids)
        .order_by("choice__position", "choice_id")
        .values_list("answer__response_id", "answer__question_id", "choice_id", "row_id", "rank")
    ):
        if row_id is not None:
            placed[(response_id, "row", row_id)] = labels[choice_id]
        elif rank is not None:
            placed[(response_id, "rank", choice_id)] = rank
        else:
            picked.setdefault((response_id, question_id), []).append(choice_id)
    for pk, name, kind, region, department, started, submitted in batch:
        row = [
            name,
            str(kinds.get(kind, kind)),
            region or "",
            department or "",
            started,
            submitted,
        ]
        for column, question, choice_id in columns:
            values = answers.get((pk, question.pk))
            if values is None:
                row.append(None)
                continue
            text, number, day, boolean, other = values
            choices = picked.get((pk, question.pk), [])
            if column in ("row", "rank"):
                row.append(placed.get((pk, column, choice_id)))
            elif column == "choice":
                row.append(1 if choice_id in choices else None)
            elif column == "other":
                row.append(other)
            else:
                row.append(
                    _typed(
                        question, text, number, day, boolean, [labels[c] for c in choices], other
                    )
                )
        yield row


def _typed(question: Question, text, number, day, boolean, labels, other):
    """An answer as a typed cell: numbers and dates stay numbers and dates (the CSV writes
    them the French way, the XLSX keeps them sortable), choices as their labels."""
    if question.is_choice:
        return services.format_value(question, labels=labels, other=other)
    if question.kind == Question.Kind.YES_NO:
        return boolean
    if question.kind == Question.Kind.DATE:
        return day
    if question.is_number:
        if number is None:
            return None
        return number if question.kind == Question.Kind.DECIMAL else int(number)
    return text


def responses_file(query, *, fmt: str, user, base_url: str, slug: str) -> Table:
    """The survey's submitted responses for the dashboard's filters (core.exportfiles
    builder), for the staff who may read them."""
    from surveys.selectors import result_filters, submitted

    if user is None or not user.has_perm("surveys.view_response"):
        raise PermissionDenied
    survey = Survey.objects.get(slug=slug)
    region, kind = result_filters(query)
    rows = response_rows(survey, submitted(survey, region=region, kind=kind))
    return Table(f"reponses-{survey.slug}", _("Réponses"), rows)
