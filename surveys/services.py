"""Writes of the surveys: drafts, submission (once), invitations and reminders."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusters.models import DirectoryEntry
from core.exports import french_number
from core.mail import absolute_url, emails_enqueue, on_delivery
from core.models import EmailBatch
from surveys.models import (
    Answer,
    AnswerChoice,
    Choice,
    ConditionMode,
    GridRow,
    Invitation,
    Question,
    Response,
    Rule,
    Section,
    Survey,
)

OTHER = "other"


# --- Conditions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """What a respondent answered to one question, as the conditions read it."""

    choices: frozenset = frozenset()
    number: Decimal | None = None
    boolean: bool | None = None
    answered: bool = False


def _rule_holds(rule: Rule, known: dict[int, Known], shown: set[int]) -> bool:
    """A question hidden counts as unanswered: its answer is dropped."""
    answer = known.get(rule.source_id) if rule.source_id in shown else None
    op = rule.operator
    if op == Rule.Operator.EXCLUDES:
        return answer is None or rule.choice_id not in answer.choices
    if answer is None or not answer.answered:
        return False
    if op == Rule.Operator.INCLUDES:
        return rule.choice_id in answer.choices
    if op == Rule.Operator.ANSWERED:
        return True
    if op == Rule.Operator.YES:
        return answer.boolean is True
    if op == Rule.Operator.NO:
        return answer.boolean is False
    if answer.number is None or rule.number is None:
        return False
    return {
        Rule.Operator.EQ: answer.number == rule.number,
        Rule.Operator.GT: answer.number > rule.number,
        Rule.Operator.GTE: answer.number >= rule.number,
        Rule.Operator.LT: answer.number < rule.number,
        Rule.Operator.LTE: answer.number <= rule.number,
    }[op]


def _conditions_hold(owner, known, shown, choice_question) -> bool:
    checks = []
    condition = getattr(owner, "condition_choice_id", None)
    if condition is not None:
        parent = choice_question.get(condition)
        answer = known.get(parent) if parent in shown else None
        checks.append(answer is not None and condition in answer.choices)
    checks += [_rule_holds(rule, known, shown) for rule in owner.rules.all()]
    if not checks:
        return True
    return all(checks) if owner.condition_mode == ConditionMode.ALL else any(checks)


def visible_questions(questions: list[Question], known: dict[int, Known]) -> set[int]:
    """The ids of the questions shown, given the answers so far ({question: Known}): a
    question shows when its section shows and its conditions hold (each on a question
    itself shown). ``questions`` are in survey order, with their rules and section."""
    choice_question = {
        choice.pk: question.pk for question in questions for choice in question.choices.all()
    }
    visible: set[int] = set()
    sections: dict[int, bool] = {}
    for question in questions:
        section = question.section
        if section.pk not in sections:
            sections[section.pk] = _conditions_hold(section, known, visible, choice_question)
        if sections[section.pk] and _conditions_hold(question, known, visible, choice_question):
            visible.add(question.pk)
    return visible


def visible_sections(
    sections: list[Section], questions: list[Question], known: dict[int, Known]
) -> list[Section]:
    """The sections a respondent goes through, given the answers so far."""
    shown = visible_questions(questions, known)
    choice_question = {
        choice.pk: question.pk for question in questions for choice in question.choices.all()
    }
    return [s for s in sections if _conditions_hold(s, known, shown, choice_question)]


def reading_earlier_sections(questions: list[Question]) -> set[int]:
    """The questions whose conditions read answers of earlier sections only: the server
    knows, before their page is shown, whether they apply."""
    section_of = {q.pk: q.section_id for q in questions}
    choice_question = {c.pk: q.pk for q in questions for c in q.choices.all()}
    found = set()
    for question in questions:
        sources = [rule.source_id for rule in question.rules.all()]
        if question.condition_choice_id is not None:
            sources.append(choice_question.get(question.condition_choice_id))
        if sources and all(section_of.get(src) != question.section_id for src in sources):
            found.add(question.pk)
    return found


def survey_questions(survey: Survey, sections: list[Section] | None = None) -> list[Question]:
    """Every question of a survey, in order, with its choices and the conditions of each
    question and section (one query for all the conditions). ``sections``: the survey's
    sections already loaded, which get their conditions too."""
    questions = list(
        Question.objects.filter(section__survey=survey)
        .select_related("section", "condition_choice__question")
        .prefetch_related("choices")
        .order_by("section__position", "section__pk", "position", "pk")
    )
    # A grid's rows, read only when the survey has a grid.
    grids = [question.pk for question in questions if question.kind == Question.Kind.GRID]
    rows_of: dict[int, list[GridRow]] = defaultdict(list)
    for row in GridRow.objects.filter(question_id__in=grids) if grids else ():
        rows_of[row.question_id].append(row)
    for question in questions:
        question._prefetched_objects_cache["rows"] = rows_of[question.pk]
    rules = list(
        Rule.objects.filter(
            Q(question__section__survey=survey) | Q(section__survey=survey)
        ).select_related("source", "choice")
    )
    # select_related gives each question its own section object: each gets the rules.
    rules_of: dict[tuple[type, int], list[Rule]] = defaultdict(list)
    for rule in rules:
        owner = (Section, rule.section_id) if rule.section_id else (Question, rule.question_id)
        rules_of[owner].append(rule)
    owners = [*questions, *(q.section for q in questions), *(sections or [])]
    for owner in owners:
        kind = Section if isinstance(owner, Section) else Question
        owner._prefetched_objects_cache = {
            **getattr(owner, "_prefetched_objects_cache", {}),
            "rules": rules_of.get((kind, owner.pk), []),
        }
    return questions


def known_from(answers) -> dict[int, Known]:
    """``known_answers`` from Answer objects already loaded with their choices."""
    return {
        answer.question_id: Known(
            choices=frozenset(picked.choice_id for picked in answer.picked.all()),
            number=answer.number,
            boolean=answer.boolean,
            answered=bool(
                answer.text
                or answer.other
                or answer.number is not None
                or answer.boolean is not None
                or answer.date
                or answer.picked.all()
            ),
        )  # fmt: skip
        for answer in answers
    }


def known_answers(response: Response) -> dict[int, Known]:
    """What the response holds, as the conditions read it."""
    return known_from(Answer.objects.filter(response=response).prefetch_related("picked"))


# --- Answering -----------------------------------------------------------------------------


@dataclass
class Value:
    """One question's answer as a form gives it."""

    text: str = ""
    number: Decimal | None = None
    date: object = None
    boolean: bool | None = None
    choices: tuple[int, ...] = ()
    other: str = ""
    cells: tuple[tuple[int, int], ...] = ()  # a grid's (row, choice) pairs
    ranks: tuple[tuple[int, int], ...] = ()  # a ranking's (choice, rank) pairs

    @property
    def empty(self) -> bool:
        return (
            not self.text
            and self.number is None
            and self.date is None
            and self.boolean is None
            and not self.choices
            and not self.other
            and not self.cells
            and not self.ranks
        )

    def picks(self) -> list[tuple[int, int | None, int | None]]:
        """What it picks, as (choice, row, rank)."""
        if self.cells:
            return [(choice, row, None) for row, choice in self.cells]
        if self.ranks:
            return [(choice, None, rank) for choice, rank in self.ranks]
        return [(choice, None, None) for choice in self.choices]


def response_open(
    *, survey: Survey, entry: DirectoryEntry, invitation: Invitation | None = None, user=None
) -> Response:
    """The structure's response to the survey, created as a draft the first time. Two
    requests at once meet on one row (a unique constraint, then a second read)."""
    response = Response.objects.filter(survey=survey, entry=entry).first()
    if response is None:
        if invitation is None:
            invitation = Invitation.objects.filter(
                survey=survey, entry=entry, withdrawn_at=None
            ).first()
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    survey=survey, entry=entry, invitation=invitation, user=user
                )
        except IntegrityError:
            response = Response.objects.get(survey=survey, entry=entry)
        if invitation is not None and invitation.started_at is None:
            Invitation.objects.filter(pk=invitation.pk, started_at=None).update(
                started_at=timezone.now()
            )
    return response


@transaction.atomic
def response_save_section(
    *, response: Response, section: Section, values: dict[int, Value], number: int
) -> Response:
    """Save a section's answers on a draft; answers to questions that the new answers hide
    are dropped. Refused once the response is submitted or the survey closed."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.status == Response.Status.SUBMITTED:
        raise ValidationError(_("Ces réponses sont déjà envoyées : elles ne peuvent plus changer."))
    if not response.survey.is_open:
        raise ValidationError(
            _("L'enquête n'est pas ouverte : vos réponses ne peuvent pas être enregistrées.")
        )
    section_ids = set(section.questions.values_list("pk", flat=True))
    for question_id, value in values.items():
        if question_id not in section_ids:
            continue
        if value.empty:
            Answer.objects.filter(response=response, question_id=question_id).delete()
            continue
        answer, _created = Answer.objects.update_or_create(
            response=response,
            question_id=question_id,
            defaults={
                "text": value.text,
                "number": value.number,
                "date": value.date,
                "boolean": value.boolean,
                "other": value.other,
            },
        )
        wanted = set(value.picks())
        kept, dropped = set(), []
        for pk, *pick in AnswerChoice.objects.filter(answer=answer).values_list(
            "pk", "choice_id", "row_id", "rank"
        ):
            if tuple(pick) in wanted:
                kept.add(tuple(pick))
            else:
                dropped.append(pk)
        if dropped:
            AnswerChoice.objects.filter(pk__in=dropped).delete()
        AnswerChoice.objects.bulk_create(
            AnswerChoice(answer=answer, choice_id=choice, row_id=row, rank=rank)
            for choice, row, rank in wanted - kept
        )
    _drop_hidden_answers(response)
    response.last_section = number
    response.save(update_fields=["last_section", "updated_at"])
    return response


def _drop_hidden_answers(response: Response) -> None:
    questions = survey_questions(response.survey)
    shown = visible_questions(questions, known_answers(response))
    Answer.objects.filter(response=response).exclude(question_id__in=shown).delete()


def missing_answers(response: Response, questions: list[Question] | None = None) -> list[Question]:
    """Required questions, shown given the answers, that have no answer yet."""
    questions = questions if questions is not None else survey_questions(response.survey)
    shown = visible_questions(questions, known_answers(response))
    answered = set(Answer.objects.filter(response=response).values_list("question_id", flat=True))
    return [q for q in questions if q.required and q.pk in shown and q.pk not in answered]


@transaction.atomic
def response_submit(*, response: Response, email: str = "") -> tuple[Response, bool]:
    """Submit a response, once: under a row lock, so that two tabs, a double click or ten
    requests at once leave exactly one submission. Returns (response, submitted now)."""
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("survey", "invitation")
        .get(pk=response.pk)
    )
    if response.status == Response.Status.SUBMITTED:
        return response, False
    if not response.survey.is_open:
        raise ValidationError(
            _("L'enquête n'est pas ouverte : vos réponses ne peuvent pas être envoyées.")
        )
    missing = missing_answers(response)
    if missing:
        raise ValidationError(
            _("Il manque des réponses obligatoires, par exemple : « %(label)s ».")
            % {"label": missing[0].label},
            code="missing",
        )
    now = timezone.now()
    response.status = Response.Status.SUBMITTED
    response.submitted_at = now
    response.save(update_fields=["status", "submitted_at", "updated_at"])
    # The structure's invitation counts as answered, whichever door the answers came by.
    Invitation.objects.filter(survey=response.survey, entry=response.entry_id).update(
        submitted_at=now
    )
    # The figures change: the worker computes them once committed (surveys.tasks).
    from surveys.tasks import refresh_results  # the tasks module uses these services

    survey_id = response.survey_id
    transaction.on_commit(lambda: refresh_results.enqueue(survey_id))
    address = email or (response.invitation.email if response.invitation_id else "")
    if address:
        context = {
            "response": response,
            "survey": response.survey,
            "answers": answers_for_display(response),
        }
        emails_enqueue(
            template="survey_copy",
            context=context,
            to=[address],
            topic=f"survey-copy:{response.pk}",
        )
    return response, True


def answers_for_display(
    response: Response, questions: list[Question] | None = None
) -> list[tuple[Section, list[tuple[Question, str]]]]:
    """The response's answers, section by section, as text."""
    questions = questions if questions is not None else survey_questions(response.survey)
    answers = {
        answer.question_id: answer
        for answer in Answer.objects.filter(response=response).prefetch_related("picked")
    }
    sections: dict[int, tuple[Section, list]] = {}
    for question in questions:
        answer = answers.get(question.pk)
        if answer is None:
            continue
        section, rows = sections.setdefault(question.section_id, (question.section, []))
        rows.append((question, display_value(question, answer)))
    return list(sections.values())


def display_value(question: Question, answer: Answer) -> str:
    """An answer as text; its picks (``answer.picked``) are named from the question's
    choices and rows, already loaded."""
    picked = answer.picked.all()
    if question.kind in Question.PLACED_KINDS:
        return format_placed(question, [(p.choice_id, p.row_id, p.rank) for p in picked])
    chosen = {p.choice_id for p in picked}
    labels = [c.label for c in question.choices.all() if c.pk in chosen]
    return format_value(
        question,
        text=answer.text,
        number=answer.number,
        day=answer.date,
        boolean=answer.boolean,
        labels=labels,
        other=answer.other,
    )


def format_value(
    question: Question,
    *,
    text: str = "",
    number: Decimal | None = None,
    day=None,
    boolean: bool | None = None,
    labels: list[str] = (),
    other: str = "",
) -> str:
    """An answer as a person reads it, the French way (3,5 · 03/12/2015 · 4 / 5)."""
    if question.is_choice:
        shown = list(labels)
        if other:
            shown.append(_("Autre : %(text)s") % {"text": other})
        return ", ".join(shown)
    if question.kind == Question.Kind.YES_NO:
        return "" if boolean is None else (_("oui") if boolean else _("non"))
    if question.kind == Question.Kind.DATE and day:
        return day.strftime("%d/%m/%Y")
    if question.is_number and number is not None:
        shown = french_number(number)
        if question.kind == Question.Kind.SCALE:
            return f"{shown} / {question.scale_max}"
        return shown
    return text


def format_placed(question: Question, picks: list[tuple[int, int | None, int | None]]) -> str:
    """A grid's answer (« Ligne : colonne ; … ») or a ranking's (« 1. item, 2. item »),
    from (choice, row, rank) triples."""
    labels = {choice.pk: choice.label for choice in question.choices.all()}
    if question.kind == Question.Kind.RANKING:
        ranked = sorted((rank, labels.get(choice, "")) for choice, _row, rank in picks if rank)
        return ", ".join(f"{rank}. {label}" for rank, label in ranked)
    by_row = {row: labels.get(choice, "") for choice, row, _rank in picks}
    return " ; ".join(
        f"{row.label} : {by_row[row.pk]}" for row in question.rows.all() if row.pk in by_row
    )


@transaction.atomic
def answers_tag(*, answers: Iterable[Answer], themes: Iterable, quotable: bool = False) -> int:
    """Tag answers with the themes they raise; ``quotable`` also lets the published results
    quote them (without a name). Returns how many answers were tagged."""
    answers = list(answers)
    themes = list(themes)
    for answer in answers:
        answer.themes.add(*themes)
    if quotable:
        Answer.objects.filter(pk__in=[a.pk for a in answers]).update(quotable=True)
    return len(answers)


# --- Invitations ---------------------------------------------------------------------------


def _invite_url(token: str) -> str:
    return absolute_url(reverse("surveys:answer", kwargs={"token": token}))


@transaction.atomic
def invitations_create(
    *,
    survey: Survey,
    entries: Iterable[DirectoryEntry],
    send: bool = True,
    batch: EmailBatch | None = None,
) -> tuple[list[Invitation], list[DirectoryEntry]]:
    """Invite structures to a survey at their contact address, each with a personal link
    (a structure already invited keeps its invitation); the emails go to the outbox.
    Returns (invited, skipped without an address)."""
    invited, skipped = [], []
    for entry in entries:
        if not entry.email:
            skipped.append(entry)
            continue
        invitation = Invitation.objects.filter(survey=survey, entry=entry).first()
        if invitation is None:
            invitation = Invitation(survey=survey, entry=entry, email=entry.email)
            token = invitation.new_token()
            invitation.save()
            if send:
                _send_invitation(invitation, token, reminder=False, batch=batch)
            invited.append(invitation)
    return invited, skipped


def _send_invitation(
    invitation: Invitation, token: str, *, reminder: bool, batch: EmailBatch | None = None
) -> None:
    """Write the invitation (or reminder) email into the outbox and note when."""
    emails_enqueue(
        template="survey_invitation",
        context={
            "invitation": invitation,
            "survey": invitation.survey,
            "entry": invitation.entry,
            "url": _invite_url(token),
            "reminder": reminder,
        },
        to=[invitation.email],
        topic=f"invitation:{invitation.pk}",
        ref=f"surveys.invitation:{invitation.pk}",
        batch=batch,
    )
    field = "reminded_at" if reminder else "sent_at"
    Invitation.objects.filter(pk=invitation.pk).update(**{field: timezone.now()})


@on_delivery("surveys.invitation")
def _invitation_delivered(object_id: str, email) -> None:
    """Each invitation says whether its last email went out, or why not yet."""
    if email.status == "sent":
        Invitation.objects.filter(pk=object_id).update(
            delivered_at=email.sent_at, delivery_error=""
        )
    else:
        Invitation.objects.filter(pk=object_id).update(delivery_error=email.last_error[:500])


def invitation_mark_opened(*, invitation: Invitation) -> None:
    """Note the first time an invitation's link is opened."""
    Invitation.objects.filter(pk=invitation.pk, opened_at=None).update(opened_at=timezone.now())


def reminders_due(*, survey_slug: str = "") -> list[Invitation]:
    """The invitations to open surveys (or to one) that a reminder may go to now: not
    submitted nor withdrawn, and not invited or reminded within SURVEY_REMINDER_MIN_DAYS."""
    since = timezone.now() - timedelta(days=settings.SURVEY_REMINDER_MIN_DAYS)
    invitations = Invitation.objects.filter(
        survey__status=Survey.Status.OPEN, submitted_at=None, withdrawn_at=None
    ).exclude(Q(sent_at__gt=since) | Q(reminded_at__gt=since))
    if survey_slug:
        invitations = invitations.filter(survey__slug=survey_slug)
    return list(
        invitations.select_related("survey", "entry").order_by("survey__title", "entry__name")
    )


@transaction.atomic
def invitations_remind(
    *,
    invitations: Iterable[Invitation],
    min_days: int | None = None,
    dry_run: bool = False,
    batch: EmailBatch | None = None,
) -> list[Invitation]:
    """Remind, with the same link, the invited structures that have not submitted — but
    none that was invited or reminded fewer than ``min_days`` days ago
    (SURVEY_REMINDER_MIN_DAYS by default), whoever asks."""
    min_days = settings.SURVEY_REMINDER_MIN_DAYS if min_days is None else min_days
    since = timezone.now() - timedelta(days=min_days)
    due = [
        invitation
        for invitation in invitations
        if invitation.submitted_at is None
        and invitation.withdrawn_at is None
        and invitation.survey.is_open
        and not (invitation.sent_at and invitation.sent_at > since)
        and not (invitation.reminded_at and invitation.reminded_at > since)
    ]
    if not dry_run:
        for invitation in due:
            _send_invitation(invitation, invitation.token, reminder=True, batch=batch)
    return due


@transaction.atomic
def invitation_renew_link(*, invitation: Invitation, send: bool = True) -> Invitation:
    """A new link for an invitation whose link went astray; the old one stops working."""
    token = invitation.new_token()
    invitation.withdrawn_at = None
    invitation.save(update_fields=["token", "token_hash", "withdrawn_at"])
    if send:
        _send_invitation(invitation, token, reminder=False)
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation) -> Invitation:
    """Withdraw an invitation: its link stops working at once."""
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    return invitation


# --- Building ------------------------------------------------------------------------------

QUESTION_FIELDS = {
    "help_text",
    "required",
    "allow_other",
    "min_choices",
    "max_choices",
    "scale_min",
    "scale_max",
    "scale_min_label",
    "scale_max_label",
    "number_min",
    "number_max",
    "text_format",
    "condition_mode",
}


@transaction.atomic
def survey_load(definition: dict) -> tuple[Survey, bool]:
    """Create a survey from its definition (see surveys/data.py) unless a survey with its
    slug exists, which is left as the staff made it. Returns (survey, created)."""
    existing = Survey.objects.filter(slug=definition["slug"]).first()
    if existing is not None:
        return existing, False
    survey = Survey.objects.create(
        **{key: value for key, value in definition.items() if key != "sections"}
    )
    choices: dict[tuple[str, str], Choice] = {}
    by_code: dict[str, Question] = {}
    owned_rules: list[tuple[Question | Section, dict]] = []
    for section_position, section_data in enumerate(definition["sections"], start=1):
        section = Section.objects.create(
            survey=survey,
            title=section_data["title"],
            description=section_data.get("description", ""),
            position=section_position,
            condition_mode=section_data.get("condition_mode") or ConditionMode.ALL,
        )
        owned_rules += [(section, rule) for rule in section_data.get("rules", [])]
        for position, data in enumerate(section_data["questions"], start=1):
            condition = None
            if data.get("condition"):
                code, label = data["condition"]
                if (code, label) not in choices:
                    raise ValueError(
                        f"{survey.slug}: {data['code']} depends on {code}={label!r}, "
                        "which is not a choice of an earlier question."
                    )
                condition = choices[(code, label)]
            question = Question.objects.create(
                section=section,
                code=data["code"],
                label=data["label"],
                kind=data["kind"],
                position=position,
                condition_choice=condition,
                **{
                    key: value
                    for key, value in data.items()
                    if key in QUESTION_FIELDS and value is not None
                },
            )
            by_code[question.code] = question
            owned_rules += [(question, rule) for rule in data.get("rules", [])]
            for choice_position, label in enumerate(data.get("choices", []), start=1):
                choices[(question.code, label)] = Choice.objects.create(
                    question=question, label=label, position=choice_position
                )
            GridRow.objects.bulk_create(
                GridRow(question=question, label=label, position=row_position)
                for row_position, label in enumerate(data.get("rows", []), start=1)
            )
    # Conditions, each on a question by its code (and a choice by its label).
    Rule.objects.bulk_create(
        Rule(
            question=owner if isinstance(owner, Question) else None,
            section=owner if isinstance(owner, Section) else None,
            source=by_code[rule["source"]],
            operator=rule["operator"],
            choice=choices[(rule["source"], rule["choice"])] if rule.get("choice") else None,
            number=rule.get("number"),
        )
        for owner, rule in owned_rules
    )
    return survey, True


def survey_has_answers(survey_id: int) -> bool:
    return Response.objects.filter(survey_id=survey_id).exists()


@transaction.atomic
def survey_duplicate(*, survey: Survey) -> Survey:
    """A copy of a survey's sections, questions, choices and conditions, in preparation."""
    copy = Survey.objects.get(pk=survey.pk)
    copy.pk = None
    copy.title = _("%(title)s (copie)") % {"title": survey.title}
    base = f"{survey.slug}-copie"
    slug, n = base, 1
    while Survey.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    copy.slug = slug
    copy.status = Survey.Status.DRAFT
    copy.results_public = False
    copy.save()
    choice_map: dict[int, Choice] = {}
    question_map: dict[int, Question] = {}
    section_map: dict[int, Section] = {}
    conditions: list[tuple[Question, int]] = []
    for section in survey.sections.all():
        questions = list(section.questions.prefetch_related("choices", "rows"))
        new_section = Section.objects.create(
            survey=copy,
            title=section.title,
            description=section.description,
            position=section.position,
            condition_mode=section.condition_mode,
        )
        section_map[section.pk] = new_section
        for question in questions:
            choices = list(question.choices.all())
            rows = list(question.rows.all())
            condition = question.condition_choice_id
            old_question = question.pk
            question.pk = None
            question.section = new_section
            question.condition_choice = None
            question.save()
            question_map[old_question] = question
            if condition:
                conditions.append((question, condition))
            for choice in choices:
                old = choice.pk
                choice.pk = None
                choice.question = question
                choice.save()
                choice_map[old] = choice
            GridRow.objects.bulk_create(
                GridRow(question=question, label=row.label, position=row.position) for row in rows
            )
    for question, condition in conditions:
        question.condition_choice = choice_map.get(condition)
        question.save(update_fields=["condition_choice"])
    owned = Q(question__section__survey=survey) | Q(section__survey=survey)
    Rule.objects.bulk_create(
        Rule(
            question=question_map.get(rule.question_id),
            section=section_map.get(rule.section_id),
            source=question_map[rule.source_id],
            operator=rule.operator,
            choice=choice_map.get(rule.choice_id),
            number=rule.number,
        )
        for rule in Rule.objects.filter(owned)
    )
    return copy


# --- The designer: one survey built on one page ---------------------------------------------

LOCKED_REASON = gettext_lazy(
    "Des réponses existent déjà : ce changement les rendrait fausses. Dupliquez l'enquête "
    "pour en préparer une nouvelle version."
)


def _renumber(items) -> list:
    """Positions 1, 2, 3… in the current order (saved only where they change)."""
    items = list(items)
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            type(item).objects.filter(pk=item.pk).update(position=position)
    return items


@transaction.atomic
def item_move(*, item: Section | Question, step: int) -> None:
    """Move a section (within its survey) or a question (within its section) one place
    up (-1) or down (+1)."""
    if isinstance(item, Section):
        siblings = Section.objects.select_for_update().filter(survey_id=item.survey_id)
    else:
        siblings = Question.objects.select_for_update().filter(section_id=item.section_id)
    ordered = _renumber(siblings.order_by("position", "pk"))
    index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
    target = index + step
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(ordered)
    _check_conditions_still_earlier(item)


def _check_conditions_still_earlier(item) -> None:
    """A move may not put a question before one its conditions read (nor after one that
    reads it): the whole transaction is refused."""
    survey_id = item.survey_id if isinstance(item, Section) else item.section.survey_id
    questions = survey_questions(Survey(pk=survey_id))
    order = {question.pk: index for index, question in enumerate(questions)}
    section_of = {question.pk: question.section_id for question in questions}
    sections = {question.section_id: index for index, question in enumerate(questions)}
    for question in questions:
        for rule in question.rules.all():
            if order.get(rule.source_id, 10**9) >= order[question.pk]:
                raise ValidationError(
                    _("« %(question)s » lit une réponse qui viendrait après elle : déplacement "
                      "refusé.") % {"question": question.code}
                )  # fmt: skip
        for rule in question.section.rules.all():
            if sections.get(section_of.get(rule.source_id), 10**9) >= sections[question.section_id]:
                raise ValidationError(
                    _("La section « %(section)s » lit une réponse qui viendrait après elle : "
                      "déplacement refusé.") % {"section": question.section.title}
                )  # fmt: skip


@transaction.atomic
def section_save(*, section: Section) -> Section:
    """A new section goes last."""
    if section.pk is None:
        last = Section.objects.filter(survey_id=section.survey_id).order_by("-position").first()
        section.position = (last.position + 1) if last else 1
    section.save()
    return section


@transaction.atomic
def section_delete(*, section: Section) -> None:
    if Answer.objects.filter(question__section=section).exists():
        raise ValidationError(LOCKED_REASON)
    readers = Rule.objects.filter(source__section=section).exclude(
        Q(question__section=section) | Q(section=section)
    )
    if readers.exists():
        raise ValidationError(
            _("Des conditions d'autres parties lisent les réponses de cette section : "
              "retirez-les d'abord.")
        )  # fmt: skip
    Rule.objects.filter(Q(question__section=section) | Q(section=section)).delete()
    Question.objects.filter(section=section).update(condition_choice=None)
    section.delete()


def _sync_labels(question: Question, model, labels: list[str], in_use) -> None:
    """Make a question's choices (or grid rows) the given labels, in that order: the same
    label keeps its row (and its answers); a label gone is deleted unless in use."""
    existing = list(model.objects.filter(question=question).order_by("position", "pk"))
    by_label: dict[str, list] = {}
    for item in existing:
        by_label.setdefault(item.label, []).append(item)
    kept = []
    for position, label in enumerate(labels, start=1):
        matches = by_label.get(label)
        if matches:
            item = matches.pop(0)
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
        else:
            item = model.objects.create(question=question, label=label, position=position)
        kept.append(item.pk)
    for item in existing:
        if item.pk not in kept:
            reason = in_use(item)
            if reason:
                raise ValidationError(reason)
            item.delete()


def choice_in_use(choice: Choice) -> str:
    """Why a choice cannot go, in French, or "" when it can: it was picked, or a
    condition reads it."""
    if not choice.pk:
        return ""
    if choice.picked.exists():
        return str(LOCKED_REASON)
    dependent = [q.code for q in choice.dependent_questions.all()] + [
        rule.question.code if rule.question_id else rule.section.title
        for rule in choice.rules.select_related("question", "section")
    ]
    if dependent:
        return _(
            "Le choix « %(choice)s » sert de condition à : %(uses)s. Retirez d'abord ces "
            "conditions."
        ) % {"choice": choice.label, "uses": ", ".join(dependent)}
    return ""


def _row_in_use(row: GridRow) -> str:
    if AnswerChoice.objects.filter(row=row).exists():
        return _("La ligne « %(label)s » a déjà des réponses : elle ne peut pas disparaître.") % {
            "label": row.label
        }
    return ""


@transaction.atomic
def question_save(
    *, question: Question, choices: list[str] | None = None, rows: list[str] | None = None
) -> Question:
    """Save a question from the designer with its choices and grid rows (labels in
    order). A new question goes last in its section."""
    if question.pk is None:
        last = Question.objects.filter(section_id=question.section_id).order_by("-position")
        question.position = (last.first().position + 1) if last.exists() else 1
    question.save()
    if choices is not None:
        _sync_labels(question, Choice, choices, choice_in_use)
    if rows is not None:
        _sync_labels(question, GridRow, rows, _row_in_use)
    return question


@transaction.atomic
def question_duplicate(*, question: Question) -> Question:
    """A copy just after the original, with its choices, rows and conditions."""
    original = Question.objects.prefetch_related("choices", "rows", "rules").get(pk=question.pk)
    taken = set(
        Question.objects.filter(section__survey=original.section.survey_id).values_list(
            "code", flat=True
        )
    )
    code, n = f"{original.code[:34]}_copie", 1
    while code in taken:
        n += 1
        code = f"{original.code[:32]}_copie{n}"
    Question.objects.filter(section_id=original.section_id, position__gt=original.position).update(
        position=models.F("position") + 1
    )
    copy = Question.objects.get(pk=original.pk)
    copy.pk = None
    copy.code = code
    copy.position = original.position + 1
    copy.save()
    Choice.objects.bulk_create(
        Choice(question=copy, label=c.label, position=c.position) for c in original.choices.all()
    )
    GridRow.objects.bulk_create(
        GridRow(question=copy, label=r.label, position=r.position) for r in original.rows.all()
    )
    Rule.objects.bulk_create(
        Rule(question=copy, source_id=r.source_id, operator=r.operator, choice_id=r.choice_id,
             number=r.number)
        for r in original.rules.all()
    )  # fmt: skip
    return copy


@transaction.atomic
def question_delete(*, question: Question) -> None:
    if Answer.objects.filter(question=question).exists():
        raise ValidationError(LOCKED_REASON)
    readers = sorted(
        {
            *Rule.objects.filter(source=question, question__isnull=False)
            .exclude(question=question)
            .values_list("question__code", flat=True),
            *Question.objects.filter(condition_choice__question=question).values_list(
                "code", flat=True
            ),
        }
    )
    if readers or Rule.objects.filter(source=question, section__isnull=False).exists():
        raise ValidationError(
            _("D'autres questions ou sections lisent sa réponse (%(codes)s) : retirez d'abord "
              "ces conditions.") % {"codes": ", ".join(readers) or _("une section")}
        )  # fmt: skip
    question.delete()


@transaction.atomic
def survey_open(*, survey: Survey) -> Survey:
    """Open a survey in preparation to its respondents."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not Question.objects.filter(section__survey=survey).exists():
        raise ValidationError(_("Une enquête sans question ne peut pas être ouverte."))
    for question in Question.objects.filter(section__survey=survey).prefetch_related(
        "choices", "rows"
    ):
        if question.has_choices and not question.choices.all():
            raise ValidationError(_("« %(code)s » n'a aucun choix.") % {"code": question.code})
        if question.kind == Question.Kind.GRID and not question.rows.all():
            raise ValidationError(
                _("La grille « %(code)s » n'a aucune ligne.") % {"code": question.code}
            )
    survey.status = Survey.Status.OPEN
    survey.save(update_fields=["status", "updated_at"])
    return survey
