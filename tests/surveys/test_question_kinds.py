"""The question kinds editors expect: a grid (one scale over several rows), a ranking, a
number with bounds and a text with a format — answered, checked, shown back, counted on
the dashboard and exported."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from surveys import exports, services
from surveys.data import q
from surveys.models import AnswerChoice, Question, Response
from tests.factories.surveys import invite

pytestmark = pytest.mark.django_db


def kinds_definition() -> dict:
    now = timezone.now()
    return {
        "slug": "enquete-formats", "title": "Enquête des formats", "audience": "structures",
        "status": "open", "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=10), "results_public": False,
        "intro": "Bienvenue.", "thank_you": "Merci.", "results_summary": "",
        "sections": [{
            "title": "Formats",
            "questions": [
                q("formats", "Quel intérêt pour ces formats ?", "grid", required=True,
                  choices=["Faible", "Fort"], rows=["Séminaire", "Ateliers", "Visites"]),
                q("priorites", "Classez vos priorités.", "ranking",
                  choices=["Recherche", "Services", "Emploi"]),
                q("part", "Quelle part en zone rurale ?", "integer",
                  number_min=0, number_max=100),
                q("cp", "Votre code postal ?", "short_text", text_format="postcode"),
            ],
        }],
    }  # fmt: skip


@pytest.fixture
def kinds(directory):
    survey, _ = services.survey_load(kinds_definition())
    questions = {
        question.code: question
        for question in Question.objects.filter(section__survey=survey).prefetch_related(
            "choices", "rows"
        )
    }
    entry = directory["bois"]
    entry.email = "contact@pole-bois.fr"
    entry.save(update_fields=["email"])
    _invitation, token = invite(survey, entry)
    return survey, questions, f"/enquetes/r/{token}/section/1/"


def grid_data(question, picks: dict[str, str]) -> dict:
    rows = {row.label: row.pk for row in question.rows.all()}
    columns = {choice.label: choice.pk for choice in question.choices.all()}
    return {f"q_{question.pk}_r{rows[row]}": columns[col] for row, col in picks.items()}


def rank_data(question, ranks: dict[str, int]) -> dict:
    items = {choice.label: choice.pk for choice in question.choices.all()}
    return {f"q_{question.pk}_c{items[label]}": str(rank) for label, rank in ranks.items()}


def test_the_page_shows_a_grid_table_and_rank_selects_with_accessible_names(kinds):
    _survey, qs, url = kinds
    html = Client().get(url).content.decode()
    assert 'class="table table-sm survey-grid' in html
    assert '<th scope="row" class="fw-normal"' in html
    assert "Séminaire" in html
    # Every radio of the grid is named by its row and its column.
    assert html.count("aria-labelledby=") >= 6
    assert "Rang de « Recherche »" in html
    assert f'name="q_{qs["part"].pk}"' in html


def test_bad_answers_are_refused_in_french_and_what_was_typed_is_kept(kinds):
    _survey, qs, url = kinds
    data = {
        "action": "next",
        **grid_data(qs["formats"], {"Séminaire": "Fort"}),
        **rank_data(qs["priorites"], {"Recherche": 1, "Services": 1}),
        f"q_{qs['part'].pk}": "150",
        f"q_{qs['cp'].pk}": "6300",
    }
    page = Client().post(url, data)
    assert page.status_code == 422
    html = page.content.decode()
    assert "Répondez pour chaque ligne." in html
    assert "Chaque rang ne sert qu&#x27;une fois." in html
    assert "Saisissez un nombre entre 0 et 100." in html
    assert "Saisissez un code postal de 5 chiffres" in html
    assert 'value="150"' in html
    assert 'value="6300"' in html
    assert "checked" in html  # the grid row already answered stays ticked
    # A rank skipped is refused too.
    data.update(rank_data(qs["priorites"], {"Recherche": 1, "Services": 3}))
    assert "sans sauter de rang" in Client().post(url, data).content.decode()


def test_a_grid_and_a_ranking_are_saved_changed_shown_and_exported(kinds):
    survey, qs, url = kinds
    client = Client()
    data = {
        "action": "next",
        **grid_data(qs["formats"], {"Séminaire": "Fort", "Ateliers": "Faible", "Visites": "Fort"}),
        **rank_data(qs["priorites"], {"Emploi": 1, "Recherche": 2}),
        f"q_{qs['part'].pk}": "40",
        f"q_{qs['cp'].pk}": "63000",
    }
    assert client.post(url, data).status_code == 302
    # Changed: one row moves to the other column, the ranks swap.
    data.update(grid_data(qs["formats"], {"Séminaire": "Faible"}))
    data.update(rank_data(qs["priorites"], {"Emploi": 2, "Recherche": 1}))
    assert client.post(url, data).status_code == 302
    picks = AnswerChoice.objects.filter(answer__question=qs["formats"])
    assert picks.count() == 3
    # Shown back on the page, and read back in the review.
    again = client.get(url).content.decode()
    assert again.count("checked") == 3
    review = client.get(url.replace("section/1/", "relecture/")).content.decode()
    assert "Séminaire : Faible ; Ateliers : Faible ; Visites : Fort" in review
    assert "1. Recherche, 2. Emploi" in review
    response = Response.objects.get(survey=survey)
    services.response_submit(response=response)
    rows = list(exports.response_rows(survey, Response.objects.filter(survey=survey)))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert "formats : Séminaire" in header
    assert row["formats : Visites"] == "Fort"
    assert row["priorites : Recherche (rang)"] == 1
    assert row["priorites : Services (rang)"] is None
    assert row["part"] == 40


def test_the_dashboard_counts_each_row_and_the_mean_ranks(kinds, directory, staff_client):
    survey, qs, url = kinds
    first = {
        "action": "next",
        **grid_data(qs["formats"], {"Séminaire": "Fort", "Ateliers": "Fort", "Visites": "Faible"}),
        **rank_data(qs["priorites"], {"Emploi": 1, "Recherche": 2, "Services": 3}),
    }
    Client().post(url, first)
    services.response_submit(response=Response.objects.get(survey=survey))
    second_entry = directory["pays"]
    second_entry.email = "pays@example.fr"
    second_entry.save(update_fields=["email"])
    _invitation, token = invite(survey, second_entry)
    second = {
        "action": "next",
        **grid_data(
            qs["formats"], {"Séminaire": "Fort", "Ateliers": "Faible", "Visites": "Faible"}
        ),
        **rank_data(qs["priorites"], {"Emploi": 2, "Recherche": 1, "Services": 3}),
    }
    assert Client().post(f"/enquetes/r/{token}/section/1/", second).status_code == 302
    services.response_submit(response=Response.objects.get(survey=survey, entry=second_entry))
    html = staff_client.get(f"/enquetes/{survey.slug}/tableau-de-bord/").content.decode()
    assert 'class="table table-sm mb-0 result-grid"' in html
    # Séminaire: 2 « Fort » of 2; the ranking: Emploi and Recherche at 1.5, Services at 3.
    assert '2 <span class="small text-muted">(100 %)</span>' in html
    assert "Rang moyen" in html
    assert "1,5" in html
    assert ">3<" in html
