"""The one-page survey designer: a staff member builds a survey (sections, ten questions,
a grid, a condition), sees each question as a respondent will, moves, duplicates and
deletes in place, opens it, and its XLSForm comes back the same."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from surveys import services, xlsform
from surveys.models import Choice, GridRow, Question, Rule, Section, Survey
from tests.factories.accounts import UserFactory
from tests.factories.surveys import answer_everything, definition, invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty(db):
    now = timezone.now()
    return Survey.objects.create(
        title="Enquête conçue", slug="enquete-concue", audience="both",
        opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=30),
        intro="Bienvenue.", thank_you="Merci.",
    )  # fmt: skip


def url(survey: Survey) -> str:
    return f"/enquetes/{survey.slug}/concevoir/"


def add_section(client, survey, title: str, **extra):
    return client.post(url(survey), {
        "target": "ns", "action": "save", "section-title": title,
        "section-description": extra.get("description", ""), "section-condition_mode": "all",
    })  # fmt: skip


def question_data(target: str, section: Section, code: str, label: str, kind: str, **extra):
    data = {
        "target": target, "action": "save", "question-section": section.pk,
        "question-code": code, "question-label": label, "question-kind": kind,
        "question-scale_min": 1, "question-scale_max": 5, "question-condition_mode": "all",
    }  # fmt: skip
    for key, value in extra.items():
        data[f"question-{key}"] = value
    return data


def add_question(client, survey, section, code, label, kind, **extra):
    return client.post(
        url(survey), question_data(f"nq{section.pk}", section, code, label, kind, **extra)
    )


def test_a_survey_is_built_on_one_page_opened_and_exported(staff_client, empty):
    assert staff_client.get(url(empty)).status_code == 200
    assert add_section(staff_client, empty, "Votre structure").status_code == 302
    assert add_section(staff_client, empty, "Coopérations").status_code == 302
    first, second = Section.objects.filter(survey=empty).order_by("position")
    questions = [
        (first, "type", "Quel type ?", "single", {"choices_text": "Cluster\nPôle\nTerritoire",
                                                  "required": "on"}),
        (first, "adherents", "Combien d'adhérents ?", "integer",
         {"number_min": "0", "number_max": "5000"}),
        (first, "cp", "Votre code postal ?", "short_text", {"text_format": "postcode"}),
        (first, "secteurs", "Quels secteurs ?", "multiple",
         {"choices_text": "Bois\nTourisme\nNumérique", "allow_other": "on"}),
        (first, "difficulte", "Est-ce difficile ?", "scale", {"scale_max": 4}),
        (second, "cooperent", "Coopérez-vous ?", "yes_no", {}),
        (second, "exemple", "Racontez une coopération.", "long_text", {}),
        (second, "formats", "Intérêt pour ces formats ?", "grid",
         {"choices_text": "Faible\nFort", "rows_text": "Séminaire\nAteliers"}),
        (second, "priorites", "Classez vos priorités.", "ranking",
         {"choices_text": "Recherche\nServices\nEmploi"}),
        (second, "depuis", "Depuis quand ?", "date", {}),
    ]  # fmt: skip
    for section, code, label, kind, extra in questions:
        response = add_question(staff_client, empty, section, code, label, kind, **extra)
        assert response.status_code == 302, unescape(response.content.decode())[:2000]
        assert response["Location"].endswith(f"#q{Question.objects.get(code=code).pk}")
    assert Question.objects.filter(section__survey=empty).count() == 10
    assert list(GridRow.objects.values_list("label", flat=True)) == ["Séminaire", "Ateliers"]
    # A condition on an earlier question: « exemple » only for those who cooperate.
    exemple = Question.objects.get(code="exemple")
    cooperent = Question.objects.get(code="cooperent")
    edit = staff_client.get(url(empty), {"modifier": f"q{exemple.pk}"}).content.decode()
    sources = re.findall(r'name="rules-0-source".*?</select>', edit, re.S)[0]
    assert "cooperent" in sources
    assert "priorites" not in sources  # only earlier questions are offered
    data = question_data(f"q{exemple.pk}", second, "exemple", "Racontez une coopération.",
                         "long_text")  # fmt: skip
    data.update({
        "rules-TOTAL_FORMS": 1, "rules-INITIAL_FORMS": 0, "rules-0-source": cooperent.pk,
        "rules-0-operator": "yes",
    })  # fmt: skip
    assert staff_client.post(url(empty), data).status_code == 302
    assert Rule.objects.get(question=exemple).source == cooperent
    # Each question shows as a respondent sees it, with its condition said.
    page = unescape(staff_client.get(url(empty)).content.decode())
    assert 'class="table table-sm survey-grid' in page
    assert "Rang de « Recherche »" in page
    assert "cooperent : la réponse est « oui »" in page
    # Reorder, duplicate, delete, in place.
    # Moving « cooperent » after « exemple », which reads it, is refused and said.
    refused = staff_client.post(
        url(empty), {"target": f"q{cooperent.pk}", "action": "down"}, follow=True
    )
    assert "lit une réponse qui viendrait après elle" in unescape(refused.content.decode())

    def order():
        return list(Question.objects.filter(section=second).order_by("position")
                    .values_list("code", flat=True))  # fmt: skip

    assert order()[:2] == ["cooperent", "exemple"]
    depuis = Question.objects.get(code="depuis")
    staff_client.post(url(empty), {"target": f"q{depuis.pk}", "action": "up"})
    assert order()[-2:] == ["depuis", "priorites"]
    duplicated = staff_client.post(url(empty), {"target": f"q{exemple.pk}", "action": "duplicate"})
    copy = Question.objects.get(code="exemple_copie")
    assert duplicated["Location"].endswith(f"#q{copy.pk}")
    assert copy.rules.get().source == cooperent
    staff_client.post(url(empty), {"target": f"q{copy.pk}", "action": "delete"})
    assert not Question.objects.filter(code="exemple_copie").exists()
    # Preview, then open.
    assert staff_client.get(f"/enquetes/{empty.slug}/apercu/section/2/").status_code == 200
    staff_client.post(url(empty), {"action": "open"})
    empty.refresh_from_db()
    assert empty.status == Survey.Status.OPEN
    # Exported as XLSForm and imported back: the same survey.
    content = xlsform.survey_workbook(empty)
    now = timezone.now()
    copy = xlsform.survey_import(
        content, audience="both", opens_at=now, closes_at=now + timedelta(days=3)
    )
    assert xlsform.definition_of(copy)["sections"] == xlsform.definition_of(empty)["sections"]


def test_bad_input_is_refused_in_french_and_kept(staff_client, empty):
    add_section(staff_client, empty, "Partie")
    section = Section.objects.get(survey=empty)
    add_question(staff_client, empty, section, "type", "Quel type ?", "single",
                 choices_text="Oui\nNon")  # fmt: skip
    cases = [
        ({"code": "type"}, "Ce code sert déjà à une autre question"),
        ({"kind": "grid", "choices_text": "Faible\nFort", "rows_text": ""},
         "Donnez au moins une ligne à la grille."),
        ({"kind": "single", "choices_text": "Seul"}, "Donnez au moins deux choix"),
        ({"kind": "single", "choices_text": "Oui\n<b>Non</b>"}, "balises HTML"),
        ({"kind": "single", "choices_text": "Oui\nOui"}, "Choix en double : Oui."),
        ({"kind": "integer", "number_min": "10", "number_max": "2"},
         "Le nombre maximum doit être au moins le minimum."),
        ({"kind": "nimporte"}, "Sélectionnez un choix valide"),
    ]  # fmt: skip
    for change, message in cases:
        data = question_data(f"nq{section.pk}", section, "autre", "Un libellé tapé", "short_text")
        data.update({f"question-{k}": v for k, v in change.items()})
        page = staff_client.post(url(empty), data)
        assert page.status_code == 422, change
        text = unescape(page.content.decode())
        assert message in text, (change, message)
        assert 'value="Un libellé tapé"' in text  # what was typed is kept
    assert Question.objects.filter(section__survey=empty).count() == 1
    # Junk targets and another survey's question: not found.
    other, _ = services.survey_load(definition("autre-enquete"))
    foreign = Question.objects.filter(section__survey=other).first()
    for target in (f"q{foreign.pk}", "qabc", "s999999", "zz"):
        assert staff_client.get(url(empty), {"modifier": target}).status_code == 404
        assert (
            staff_client.post(url(empty), {"target": target, "action": "delete"}).status_code == 404
        )
    assert Question.objects.filter(pk=foreign.pk).exists()


def test_parts_locked_by_answers_say_why(staff_client, directory):
    survey, _ = services.survey_load(definition())
    entry = directory["bois"]
    entry.email = "contact@pole-bois.fr"
    entry.save(update_fields=["email"])
    questions = {q.code: q for q in Question.objects.filter(section__survey=survey)}
    _invitation, token = invite(survey, entry)
    answer_everything(Client(), questions, f"/enquetes/r/{token}/")
    page = unescape(staff_client.get(url(survey)).content.decode())
    assert "Des réponses existent" in page
    edit = staff_client.get(url(survey), {"modifier": f"q{questions['type'].pk}"})
    assert "Verrouillé : des réponses existent déjà" in unescape(edit.content.decode())
    refused = staff_client.post(url(survey), {"target": f"q{questions['type'].pk}",
                                              "action": "delete"}, follow=True)  # fmt: skip
    assert "Des réponses existent déjà : ce changement les rendrait fausses." in unescape(
        refused.content.decode()
    )
    assert Question.objects.filter(pk=questions["type"].pk).exists()
    # A picked choice cannot disappear; the label, the help and new choices can change.
    section = questions["type"].section
    data = question_data(f"q{questions['type'].pk}", section, "type", "Quel type, au juste ?",
                         "single_list", choices_text="Pôle\nTerritoire")  # fmt: skip
    data.update({"rules-TOTAL_FORMS": 0, "rules-INITIAL_FORMS": 0})
    staff_client.post(url(survey), data, follow=True)
    assert Choice.objects.filter(question=questions["type"], label="Cluster").exists()
    data["question-choices_text"] = "Cluster\nPôle\nTerritoire"
    assert staff_client.post(url(survey), data).status_code == 302
    questions["type"].refresh_from_db()
    assert questions["type"].label == "Quel type, au juste ?"
    assert questions["type"].kind == "single_list"  # locked: the kind did not change
    assert questions["type"].choices.count() == 3


def test_only_staff_who_build_surveys_reach_the_designer(member_client, empty):
    assert Client().get(url(empty)).status_code == 302
    assert member_client.get(url(empty)).status_code == 403
    bare = Client()
    bare.force_login(UserFactory(is_staff=True))
    assert bare.get(url(empty)).status_code == 403
    assert bare.post(url(empty), {"action": "open"}).status_code == 403
    assert Client().get("/enquetes/inconnue/concevoir/").status_code == 302


@pytest.mark.parametrize("count", [5, 20])
def test_the_designer_runs_the_same_queries_whatever_the_size(
    staff_client, empty, count, django_assert_max_num_queries
):
    section = Section.objects.create(survey=empty, title="Partie", position=1)
    for n in range(count):
        question = Question.objects.create(
            section=section, code=f"q{n}", label=f"Question {n}", position=n,
            kind=["single", "grid", "short_text", "ranking", "yes_no"][n % 5],
        )  # fmt: skip
        Choice.objects.bulk_create(Choice(question=question, label=f"C{i}") for i in range(3))
        GridRow.objects.bulk_create(GridRow(question=question, label=f"R{i}") for i in range(2))
        if n:
            Rule.objects.create(question=question, source=question.__class__.objects.get(
                code="q0", section=section), operator="answered")  # fmt: skip
    staff_client.get(url(empty))  # sessions, permissions and caches warmed
    with django_assert_max_num_queries(12):
        assert staff_client.get(url(empty)).status_code == 200
