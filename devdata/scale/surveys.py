"""A survey at scale for benchmarks: 5,000 submitted responses to 40 questions.

`manage.py generate_survey_scale_data` builds it on the directory's scale entries
(`generate_scale_data` first). Answers are inserted in large batches; the survey's slug is
"scale-enquete" and its results are public, so that both the staff dashboard and the
published results can be measured.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from clusters.models import DirectoryEntry
from surveys import services
from surveys.data import q
from surveys.models import Answer, AnswerChoice, Invitation, Question, Response, Survey

SLUG = "scale-enquete"
BATCH = 5_000
TEXTS = [
    "Nous travaillons avec l'université voisine sur le bois local.",
    "Le tiers-lieu du bourg accueille des chercheurs en résidence.",
    "Nos producteurs livrent la restauration collective de la métropole.",
    "La distance reste le premier frein à nos coopérations.",
]


def _definition() -> dict:
    """Forty questions in four sections: choices, scales, numbers, yes/no and free text."""
    choices = ["Agroalimentaire", "Bois", "Tourisme", "Numérique", "Énergie", "Santé"]
    sections = []
    for number in range(4):
        questions = []
        for index in range(10):
            code = f"q{number}{index}"
            kind = ["single", "multiple", "multiple", "scale", "scale", "integer", "single",
                    "yes_no", "long_text", "decimal"][index]  # fmt: skip
            questions.append(
                q(code, f"Question {number + 1}.{index + 1}", kind, choices=choices
                  if kind in ("single", "multiple") else (), other=kind == "multiple")
            )  # fmt: skip
        sections.append({"title": f"Partie {number + 1}", "questions": questions})
    now = timezone.now()
    return {
        "slug": SLUG,
        "title": "Enquête de charge",
        "audience": "both",
        "status": "closed",
        "opens_at": now - timedelta(days=120),
        "closes_at": now - timedelta(days=30),
        "results_public": True,
        "intro": "Enquête générée pour les mesures de performance.",
        "thank_you": "Merci.",
        "results_summary": "",
        "sections": sections,
    }


def survey_scale_generate(*, responses: int = 5_000, seed: int = 5_000) -> Survey:
    """Replace the scale survey with one answered by ``responses`` scale entries."""
    Survey.objects.filter(slug=SLUG).delete()
    survey, _created = services.survey_load(_definition())
    entries = list(
        DirectoryEntry.objects.filter(slug__startswith="scale-")
        .order_by("pk")
        .values_list("pk", flat=True)[:responses]
    )
    if len(entries) < responses:
        raise ValueError("Not enough scale entries: run generate_scale_data first.")
    rng = random.Random(seed)
    questions = services.survey_questions(survey)
    opened = survey.opens_at
    with transaction.atomic():
        invitations = Invitation.objects.bulk_create(
            [_invitation(survey, entry, opened) for entry in entries], batch_size=BATCH
        )
        rows = Response.objects.bulk_create(
            [
                Response(
                    survey=survey, entry_id=entry, invitation=invitation,
                    status=Response.Status.SUBMITTED, last_section=4,
                    submitted_at=opened + timedelta(hours=rng.randrange(24 * 80)),
                )
                for entry, invitation in zip(entries, invitations, strict=True)
            ],
            batch_size=BATCH,
        )  # fmt: skip
        for start in range(0, len(rows), 500):
            _answers(rows[start : start + 500], questions, rng)
    # Fresh statistics, so that the planner sees the volume at once.
    with connection.cursor() as cursor:
        for model in (Invitation, Response, Answer, AnswerChoice):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return survey


def _invitation(survey: Survey, entry_id: int, sent) -> Invitation:
    invitation = Invitation(
        survey=survey, entry_id=entry_id, email=f"contact-{entry_id}@exemple.fr", sent_at=sent
    )
    invitation.new_token()
    invitation.opened_at = invitation.started_at = invitation.submitted_at = sent
    return invitation


def _answers(responses: list[Response], questions: list[Question], rng: random.Random) -> None:
    answers, picks = [], []
    for response in responses:
        for question in questions:
            if not question.required and rng.random() < 0.1:
                continue
            answer = Answer(response=response, question=question)
            kind = question.kind
            if question.is_choice:
                options = list(question.choices.all())
                count = 1 if kind != Question.Kind.MULTIPLE else rng.randint(1, 3)
                picks.extend((answer, choice) for choice in rng.sample(options, count))
            elif kind == Question.Kind.SCALE:
                answer.number = Decimal(rng.randint(question.scale_min, question.scale_max))
            elif kind == Question.Kind.YES_NO:
                answer.boolean = rng.random() < 0.6
            elif kind == Question.Kind.INTEGER:
                answer.number = Decimal(rng.randint(5, 400))
            elif kind == Question.Kind.DECIMAL:
                answer.number = Decimal(rng.randint(1, 40)) / 10
            else:
                answer.text = rng.choice(TEXTS)
            answers.append(answer)
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    AnswerChoice.objects.bulk_create(
        [AnswerChoice(answer=answer, choice=choice) for answer, choice in picks],
        batch_size=BATCH,
    )
