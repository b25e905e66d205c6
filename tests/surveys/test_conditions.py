"""Conditions that follow the respondent across pages: on any earlier answer (same page or
earlier pages), all or any of several, numeric comparisons, and whole sections skipped."""

import pytest

from surveys import services
from surveys.models import Question, Response, Rule, Section
from tests.factories.surveys import choice, section_data

pytestmark = pytest.mark.django_db


def base(token: str) -> str:
    return f"/enquetes/r/{token}/"


def first_page(client, token, questions, *, adherents="120", kind="Cluster"):
    q = questions
    response = client.post(f"{base(token)}section/1/", section_data(
        q, 1, type=choice(q["type"], kind), adherents=adherents, etp="1,5",
        secteurs=[choice(q["secteurs"], "Bois"), choice(q["secteurs"], "Tourisme")],
        difficulte="4",
    ))  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:400]
    return response


def rule(owner, source, operator, *, choice_label=None, number=None) -> Rule:
    picked = source.choices.get(label=choice_label) if choice_label else None
    field = "section" if isinstance(owner, Section) else "question"
    return Rule.objects.create(**{field: owner}, source=source, operator=operator,
                               choice=picked, number=number)  # fmt: skip


def test_a_page_two_question_on_a_page_one_answer_follows_it_without_javascript(
    client, invitation, questions
):
    _invitation, token = invitation
    q = questions
    # « Son nom ? » (page 2) only for clusters (page 1).
    rule(q["nom"], q["type"], Rule.Operator.INCLUDES, choice_label="Cluster")
    first_page(client, token, q, kind="Pôle")
    page = client.get(f"{base(token)}section/2/").content.decode()
    assert "Son nom ?" not in page
    assert "Coopérez-vous ?" in page
    first_page(client, token, q, kind="Cluster")
    assert "Son nom ?" in client.get(f"{base(token)}section/2/").content.decode()


def test_all_any_and_numeric_conditions(client, invitation, questions):
    _invitation, token = invitation
    q = questions
    # « Avez-vous un lieu ? »: more than 100 members AND a cluster.
    rule(q["lieu"], q["adherents"], Rule.Operator.GT, number=100)
    rule(q["lieu"], q["type"], Rule.Operator.INCLUDES, choice_label="Cluster")
    # « Depuis quand ? »: fewer than 50 members OR a pole.
    date = q["ouverture"]
    date.condition_mode = "any"
    date.save(update_fields=["condition_mode"])
    rule(date, q["adherents"], Rule.Operator.LT, number=50)
    rule(date, q["type"], Rule.Operator.INCLUDES, choice_label="Pôle")

    first_page(client, token, q, adherents="120", kind="Cluster")
    page = client.get(f"{base(token)}section/2/").content.decode()
    assert "Avez-vous un lieu ?" in page
    assert "Depuis quand ?" not in page

    first_page(client, token, q, adherents="30", kind="Cluster")
    page = client.get(f"{base(token)}section/2/").content.decode()
    assert "Avez-vous un lieu ?" not in page  # not all
    assert "Depuis quand ?" in page  # any


def test_a_skipped_section_is_passed_and_never_required(client, invitation, questions, survey):
    _invitation, token = invitation
    q = questions
    contact = Section.objects.get(survey=survey, title="Contact")
    Question.objects.filter(section=contact).update(required=True)
    # The « Contact » section only for structures that cooperate.
    rule(contact, q["cooperent"], Rule.Operator.INCLUDES, choice_label="Oui")
    first_page(client, token, q)
    response = client.post(f"{base(token)}section/2/", section_data(
        q, 2, cooperent=choice(q["cooperent"], "Non"),
    ))  # fmt: skip
    assert response.headers["Location"] == f"{base(token)}relecture/"
    # Opening the skipped page sends on.
    assert client.get(f"{base(token)}section/3/").headers["Location"] == f"{base(token)}relecture/"
    review = client.get(f"{base(token)}relecture/").content.decode()
    assert "Votre adresse ?" not in review  # nothing missing from the skipped section
    submitted = client.post(f"{base(token)}envoyer/", {"email": ""})
    assert submitted.status_code == 302, submitted.content.decode()[:500]
    assert Response.objects.get().status == Response.Status.SUBMITTED


def test_a_hidden_question_is_not_required_and_its_answer_is_dropped(client, invitation, questions):
    _invitation, token = invitation
    q = questions
    Question.objects.filter(pk=q["nom"].pk).update(required=True)
    rule(q["nom"], q["adherents"], Rule.Operator.GTE, number=500)
    first_page(client, token, q, adherents="120")
    response = client.post(f"{base(token)}section/2/", section_data(
        q, 2, cooperent=choice(q["cooperent"], "Non"), nom="Un nom tapé pour rien",
    ))  # fmt: skip
    assert response.status_code == 302
    response_row = Response.objects.get()
    assert not response_row.answers.filter(question=q["nom"]).exists()


def test_conditions_are_edited_in_the_admin_only_on_earlier_questions(
    admin_client_with_2fa, questions
):
    q = questions
    url = f"/admin/surveys/question/{q['lieu'].pk}/change/"
    page = admin_client_with_2fa.get(url)
    assert page.status_code == 200
    assert "conditions (sur des réponses précédentes)" in page.content.decode().lower()
    # A condition on a later question is refused, in French.
    form = {
        "section": q["lieu"].section_id, "code": "lieu", "label": "Avez-vous un lieu ?",
        "kind": "yes_no", "position": q["lieu"].position, "condition_mode": "all",
        "scale_min": 1, "scale_max": 5,
        "choices-TOTAL_FORMS": 0, "choices-INITIAL_FORMS": 0,
        "rows-TOTAL_FORMS": 0, "rows-INITIAL_FORMS": 0,
        "rules-TOTAL_FORMS": 1, "rules-INITIAL_FORMS": 0,
        "rules-0-source": q["site"].pk, "rules-0-operator": "answered",
    }  # fmt: skip
    refused = admin_client_with_2fa.post(url, form)
    assert refused.status_code == 200
    assert "posée avant" in refused.content.decode()
    form["rules-0-source"] = q["adherents"].pk
    form["rules-0-operator"] = "gt"
    missing_number = admin_client_with_2fa.post(url, form)
    assert "Indiquez le nombre à comparer." in missing_number.content.decode()
    form["rules-0-number"] = "100"
    assert admin_client_with_2fa.post(url, form).status_code == 302
    assert Rule.objects.get().source == q["adherents"]
    assert services.survey_questions(q["lieu"].section.survey)
