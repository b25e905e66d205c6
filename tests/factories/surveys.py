"""Surveys: a short definition with every kind of question, invitations, and the data
the answering pages post."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from surveys import services
from surveys.data import q
from surveys.models import Invitation, Question, Response, Survey


def definition(slug: str = "enquete-test", **overrides) -> dict:
    """A short open survey with every kind of question and two conditions."""
    now = timezone.now()
    return {
        "slug": slug,
        "title": "Enquête de test",
        "audience": "structures",
        "status": "open",
        "opens_at": now - timedelta(days=2),
        "closes_at": now + timedelta(days=20),
        "results_public": False,
        "intro": "Merci de **répondre**.",
        "thank_you": "Merci beaucoup !",
        "results_summary": "",
        "sections": [
            {
                "title": "Votre structure",
                "questions": [
                    q("type", "Quel type ?", "single_list", required=True,
                      choices=["Cluster", "Pôle"], other=True),
                    q("adherents", "Combien d'adhérents ?", "integer", required=True),
                    q("etp", "Combien d'ETP ?", "decimal"),
                    q("secteurs", "Quels secteurs ?", "multiple",
                      choices=["Bois", "Tourisme", "Numérique", "Santé"],
                      other=True, min_choices=2, max_choices=3),
                    q("difficulte", "Est-ce difficile ?", "scale", required=True,
                      scale_min=1, scale_max=5,
                      scale_min_label="facile", scale_max_label="difficile"),
                ],
            },
            {
                "title": "Coopérations",
                "questions": [
                    q("cooperent", "Coopérez-vous ?", "single", required=True,
                      choices=["Oui", "Non"]),
                    q("exemple", "Racontez une coopération.", "long_text", required=True,
                      condition=("cooperent", "Oui")),
                    q("lieu", "Avez-vous un lieu ?", "yes_no"),
                    q("ouverture", "Depuis quand ?", "date"),
                    q("nom", "Son nom ?", "short_text"),
                ],
            },
            {
                "title": "Contact",
                "questions": [
                    q("contact", "Votre adresse ?", "email"),
                    q("site", "Votre site ?", "url"),
                ],
            },
        ],
        **overrides,
    }  # fmt: skip


def choice(question: Question, label: str) -> str:
    return str(question.choices.get(label=label).pk)


def invite(survey: Survey, entry) -> tuple[Invitation, str]:
    (invitation,), _skipped = services.invitations_create(
        survey=survey, entries=[entry], send=False
    )
    return invitation, invitation.token


def section_data(questions, number: int, action: str = "next", **values) -> dict:
    """POST data for a section, by question code."""
    data = {"action": action}
    for code, value in values.items():
        if code.endswith("_other"):
            data[f"q_{questions[code[:-6]].pk}_other"] = value
        else:
            data[f"q_{questions[code].pk}"] = value
    return data


def answer_everything(client, questions, base: str, *, cooperent="Oui") -> None:
    """Fill the three sections of the test survey with valid answers."""
    q = questions
    responses = [
        client.post(f"{base}section/1/", section_data(
            q, 1, type=choice(q["type"], "Cluster"), adherents="120", etp="1,5",
            secteurs=[choice(q["secteurs"], "Bois"), choice(q["secteurs"], "Tourisme")],
            difficulte="4",
        )),
        client.post(f"{base}section/2/", section_data(
            q, 2, cooperent=choice(q["cooperent"], cooperent),
            exemple="Une scierie et un laboratoire.", lieu="yes", ouverture="2012-05-03",
            nom="La Fabrique",
        )),
        client.post(f"{base}section/3/", section_data(
            q, 3, contact="contact@pole-bois.fr", site="https://pole-bois.fr",
        )),
    ]  # fmt: skip
    assert [r.status_code for r in responses] == [302, 302, 302], [
        r.content.decode()[:500] for r in responses if r.status_code != 302
    ]


def submit(survey: Survey, entry, questions: dict[str, Question], **answers) -> Response:
    """A submitted response through the services, answers given by question code: a
    choice label (or list of labels), a number, a text or a boolean."""
    response = services.response_open(survey=survey, entry=entry)
    by_section: dict[int, dict[int, services.Value]] = {}
    for code, given in answers.items():
        question = questions[code]
        value = services.Value()
        if question.is_choice:
            labels = given if isinstance(given, list) else [given]
            value.choices = tuple(question.choices.get(label=label).pk for label in labels)
        elif isinstance(given, bool):
            value.boolean = given
        elif isinstance(given, int | Decimal):
            value.number = Decimal(given)
        else:
            value.text = given
        by_section.setdefault(question.section_id, {})[question.pk] = value
    for number, section in enumerate(survey.sections.all(), start=1):
        services.response_save_section(
            response=response, section=section, values=by_section.get(section.pk, {}), number=number
        )
    response, _now = services.response_submit(response=response)
    return response


def complete(survey, entry, questions, **extra) -> Response:
    answers = {
        "type": "Cluster",
        "adherents": 100,
        "difficulte": 3,
        "cooperent": "Non",
        **extra,
    }
    return submit(survey, entry, questions, **answers)
