"""Results for the staff, published results, themes raised and exports."""

import csv
import io
from collections import Counter
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from reference.models import Theme
from surveys import selectors, services
from surveys.models import Answer, AnswerChoice, Question, Response, Survey
from tests.factories.clusters import make_entry
from tests.factories.surveys import complete, definition, invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(survey, questions, directory, places):
    """Six structures answered (five in Auvergne-Rhône-Alpes), with figures to check."""
    entries = [directory["bois"], directory["labo"]] + [
        make_entry(f"Cluster n°{n}", commune=places["ambert" if n % 2 else "lyon"])
        for n in range(4)
    ]
    entries[-1].commune = places["saint_flour"]  # Cantal: also Auvergne-Rhône-Alpes
    for entry in entries:
        entry.email = f"contact@{entry.slug}.fr"
        entry.save()
        invite(survey, entry)
    figures = [
        {"adherents": 10, "difficulte": 1, "secteurs": ["Bois", "Tourisme"]},
        {"adherents": 20, "difficulte": 2, "secteurs": ["Bois", "Numérique"]},
        {"adherents": 30, "difficulte": 4, "secteurs": ["Bois", "Santé"], "type": "Pôle"},
        {
            "adherents": 40,
            "difficulte": 5,
            "cooperent": "Oui",
            "exemple": "Une thèse CIFRE réussie.",
        },
        {"adherents": 50, "difficulte": 5, "lieu": True},
    ]
    responses = [
        complete(survey, entry, questions, **extra)
        for entry, extra in zip(entries, figures, strict=False)
    ]
    return {"entries": entries, "responses": responses}


def test_results_and_exports_are_for_staff_only(client, member, survey):
    urls = [
        f"/enquetes/{survey.slug}/tableau-de-bord/",
        f"/enquetes/{survey.slug}/export.csv",
        f"/enquetes/{survey.slug}/export.xlsx",
    ]
    for url in urls:
        assert client.get(url)["Location"].startswith("/compte/connexion/")
    client.force_login(member)
    for url in urls:
        assert client.get(url).status_code == 403


def test_the_dashboard_shows_participation_and_every_question(staff_client, survey, answered):
    page = staff_client.get(f"/enquetes/{survey.slug}/tableau-de-bord/")
    assert page.status_code == 200
    participation = page.context["participation"]["overall"]
    assert participation["invited"] == 6
    assert participation["submitted"] == 5
    assert participation["rate"] == pytest.approx(83.3)
    results = {r.question.code: r for _section, rs in page.context["sections"] for r in rs}
    assert results["adherents"].mean == 30
    assert results["adherents"].median == 30
    assert (results["adherents"].minimum, results["adherents"].maximum) == (10, 50)
    assert [count for _label, count, _ in results["difficulte"].distribution] == [1, 1, 0, 1, 2]
    secteurs = {label: (count, percent) for label, count, percent in results["secteurs"].choices}
    assert secteurs["Bois"] == (3, 100.0)
    assert secteurs["Tourisme"] == (1, pytest.approx(33.3))
    assert results["type"].choices[:2] == [("Cluster", 4, 80.0), ("Pôle", 1, 20.0)]
    assert results["lieu"].choices == [("oui", 1, 100.0), ("non", 0, 0.0)]
    text = page.content.decode()
    assert "Une thèse CIFRE réussie." in text  # free text with its structure
    assert "Pôle Bois Montagne" in text or "Cluster n°" in text
    assert "<svg" in text
    assert "Les chiffres en tableau" in text


def test_the_dashboard_filters_by_region_and_kind(staff_client, survey, answered):
    by_kind = staff_client.get(f"/enquetes/{survey.slug}/tableau-de-bord/?type=research")
    assert by_kind.context["participation"]["overall"]["submitted"] == 1
    by_region = staff_client.get(f"/enquetes/{survey.slug}/tableau-de-bord/?region=84")
    assert by_region.context["participation"]["overall"]["submitted"] == 5
    unknown = staff_client.get(f"/enquetes/{survey.slug}/tableau-de-bord/?region=zz&type=zz")
    assert unknown.status_code == 200
    assert unknown.context["participation"]["overall"]["submitted"] == 5


def test_the_dashboard_runs_the_same_few_queries_whatever_the_number_of_responses(
    staff_client, survey, questions, answered, places, django_assert_max_num_queries
):
    url = f"/enquetes/{survey.slug}/tableau-de-bord/"
    staff_client.get(url)
    # The figures computed afresh (nothing kept yet), then read back while no response
    # changes: both in a fixed number of queries.
    caches["local"].clear()
    with django_assert_max_num_queries(17) as computed:
        staff_client.get(url)
    with django_assert_max_num_queries(12) as kept:
        staff_client.get(url)
    for n in range(10):
        complete(survey, make_entry(f"Autre cluster {n}", commune=places["lyon"]), questions)
    caches["local"].clear()
    with django_assert_max_num_queries(len(computed.captured_queries)):
        staff_client.get(url)
    with django_assert_max_num_queries(len(kept.captured_queries)):
        staff_client.get(url)


def test_the_dashboard_figures_follow_each_new_response(
    staff_client, survey, questions, answered, places
):
    url = f"/enquetes/{survey.slug}/tableau-de-bord/"

    def adherents():
        page = staff_client.get(url)
        results = {r.question.code: r for _s, rs in page.context["sections"] for r in rs}
        return results["adherents"].answered

    before = adherents()
    assert adherents() == before  # read back as it was
    complete(survey, make_entry("Nouveau cluster", commune=places["lyon"]), questions)
    assert adherents() == before + 1


def test_drafts_do_not_count_in_the_results(staff_client, survey, questions, answered):
    draft = services.response_open(survey=survey, entry=answered["entries"][5])
    services.response_save_section(
        response=draft,
        section=survey.sections.first(),
        values={questions["adherents"].pk: services.Value(number=Decimal(9999))},
        number=1,
    )
    page = staff_client.get(f"/enquetes/{survey.slug}/tableau-de-bord/")
    results = {r.question.code: r for _section, rs in page.context["sections"] for r in rs}
    assert results["adherents"].maximum == 50
    assert page.context["participation"]["overall"]["started"] == 6


def test_published_results_show_aggregates_only(client, survey, answered):
    url = f"/enquetes/{survey.slug}/resultats/"
    assert client.get(url).status_code == 404  # not published yet
    survey.results_public = True
    survey.results_summary = "Une *synthèse*."
    survey.save()
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<em>synthèse</em>" in text
    assert "5 réponses reçues" in text
    assert "Une thèse CIFRE réussie." not in text  # no free text
    for entry in answered["entries"]:
        assert entry.name not in text  # no structure named
    results = {r.question.code: r for _s, rs in page.context["sections"] for r in rs}
    assert not results["adherents"].hidden  # 5 answers
    assert results["lieu"].hidden  # 1 answer: not published
    assert results["etp"].hidden
    assert "Moins de 5 réponses" in text
    # Regions with fewer than five responses are left out.
    assert [row["name"] for row in page.context["by_region"]] == ["Auvergne-Rhône-Alpes"]
    assert page.context["by_kind"] == [
        row for row in page.context["by_kind"] if row["submitted"] >= 5
    ]
    index = client.get("/enquetes/").content.decode()
    assert survey.title in index


def test_published_results_of_a_draft_survey_are_not_found(client):
    draft, _ = services.survey_load(definition("brouillon", status="draft", results_public=True))
    assert client.get(f"/enquetes/{draft.slug}/resultats/").status_code == 404


def test_published_results_run_few_queries(client, survey, answered, django_assert_max_num_queries):
    Survey.objects.filter(pk=survey.pk).update(results_public=True)
    with django_assert_max_num_queries(12):
        assert client.get(f"/enquetes/{survey.slug}/resultats/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/enquetes/").status_code == 200


def test_themes_raised_rank_the_tagged_answers(staff_client, client, survey, answered, questions):
    story = Answer.objects.get(question=questions["exemple"])
    wood, places_theme = (
        Theme.objects.get(slug="bois-foret"),
        Theme.objects.get(slug="lieux-innovation-creativite"),
    )
    response = staff_client.post(
        "/admin/surveys/answer/",
        {
            "action": "tag_answers",
            "_selected_action": [story.pk],
            "apply": "1",
            "themes": [wood.pk, places_theme.pk],
        },
    )
    assert response.status_code == 302
    other = complete(
        survey,
        make_entry("Cluster bois"),
        questions,
        cooperent="Oui",
        exemple="Une scierie et l'école d'architecture.",
    )
    other.answers.get(question=questions["exemple"]).themes.add(wood)
    raised = selectors.themes_raised(survey)
    assert [(r.theme.slug, r.count) for r in raised] == [
        ("bois-foret", 2),
        ("lieux-innovation-creativite", 1),
    ]
    assert "Une thèse CIFRE réussie." in raised[0].quotes
    dashboard = staff_client.get(f"/enquetes/{survey.slug}/tableau-de-bord/").content.decode()
    assert "Proposer un atelier sur ce thème" in dashboard
    # In public, only the answers marked quotable are quoted, and only for a theme raised
    # by at least five answers: next to a smaller count a quote points at one structure.
    assert selectors.themes_raised(survey, public=True)[0].quotes == []
    Answer.objects.filter(pk=story.pk).update(quotable=True)
    few = selectors.themes_raised(survey, public=True)[0]
    assert few.few
    assert few.quotes == []
    assert few.count == 0  # « moins de 5 », never the number
    with patch.object(selectors, "MIN_PUBLIC_GROUP", 2):
        enough = selectors.themes_raised(survey, public=True)[0]
    assert enough.quotes == ["Une thèse CIFRE réussie."]


def test_the_csv_export_has_a_row_per_response_and_a_column_per_choice(
    staff_client, survey, answered
):
    page = staff_client.get(f"/enquetes/{survey.slug}/export.csv")
    assert page["Content-Type"].startswith("text/csv")
    assert 'filename="reponses-enquete-test.csv"' in page["Content-Disposition"]
    body = b"".join(page.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert header[:6] == [
        "Structure",
        "Type",
        "Région",
        "Département",
        "Commencée le",
        "Envoyée le",
    ]
    assert "secteurs : Bois" in header
    assert "secteurs : Santé" in header
    assert "type (autre)" in header
    assert len(data) == 5
    column = header.index("secteurs : Bois")
    assert Counter(row[column] for row in data) == Counter({"1": 3, "": 2})
    by_name = {row[0]: row for row in data}
    bois = by_name["Pôle Bois Montagne"]
    assert bois[header.index("adherents")] == "10"
    assert bois[header.index("Région")] == "Auvergne-Rhône-Alpes"
    assert bois[header.index("difficulte")] == "1"  # a number, to sum and sort


def test_the_xlsx_export_matches_the_csv(staff_client, survey, answered):
    page = staff_client.get(f"/enquetes/{survey.slug}/export.xlsx?type=research")
    workbook = load_workbook(io.BytesIO(page.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Structure"
    assert len(rows) == 2  # the filter applies: one research centre
    assert rows[1][0] == "Laboratoire des matériaux biosourcés"


def test_survey_exports_hold_the_dashboard_s_responses_safe_and_typed(
    staff_client, survey, answered
):
    from surveys.models import Answer

    exemple = Question.objects.get(section__survey=survey, code="exemple")
    Answer.objects.filter(question=exemple).update(text='=HYPERLINK("http://mal.example")')
    for query in ["", "type=research", "region=84", "type=cluster&region=84"]:
        dashboard = staff_client.get(f"/enquetes/{survey.slug}/tableau-de-bord/?{query}")
        expected = dashboard.context["participation"]["overall"]["responses"]
        body = b"".join(
            staff_client.get(f"/enquetes/{survey.slug}/export.csv?{query}").streaming_content
        )
        rows = list(csv.reader(io.StringIO(body.decode().lstrip("\ufeff")), delimiter=";"))
        assert len(rows) - 1 == expected, query
    body = b"".join(staff_client.get(f"/enquetes/{survey.slug}/export.csv").streaming_content)
    assert "'=HYPERLINK(" in body.decode()
    sheet = load_workbook(
        io.BytesIO(staff_client.get(f"/enquetes/{survey.slug}/export.xlsx").content)
    ).active
    header = [cell.value for cell in sheet[1]]
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row}
    formula = cells['=HYPERLINK("http://mal.example")']
    assert formula.data_type == "s"
    adherents = [
        row[header.index("adherents")] for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert sorted(adherents) == [10, 20, 30, 40, 50]  # numbers: staff sum and sort them
    started = sheet.cell(row=2, column=header.index("Commencée le") + 1)
    assert started.is_date


def test_results_and_exports_agree_with_the_demo_responses(staff_client):
    """On the demo data: every choice's count on the dashboard and in the export is the
    number of submitted responses that picked it."""
    from devdata.demo.accounts import demo_load
    from reference.services import reference_data_load

    reference_data_load(communes=True)
    demo_load()
    survey = Survey.objects.get(slug="enquete-2015-clusters")
    submitted = Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED)
    assert 25 <= submitted.count() <= 40
    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() >= 55
    expected = Counter(
        AnswerChoice.objects.filter(answer__response__in=submitted).values_list(
            "choice__question__code", "choice__label"
        )
    )
    page = staff_client.get(f"/enquetes/{survey.slug}/tableau-de-bord/")
    shown = {
        (result.question.code, label): count
        for _section, results in page.context["sections"]
        for result in results
        if result.question.is_choice
        for label, count, _percent in result.choices
        if label != "Autre"
    }
    assert {key: count for key, count in shown.items() if count} == dict(expected)
    # The export: one row per submitted response; each choice column sums to the same.
    body = b"".join(
        staff_client.get(f"/enquetes/{survey.slug}/export.csv").streaming_content
    ).decode()
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert len(data) == submitted.count()
    for (code, label), count in expected.items():
        name = f"{code} : {label}"
        if name in header:
            assert sum(row[header.index(name)] == "1" for row in data) == count, name
    # Themes raised are there, most raised first.
    raised = selectors.themes_raised(survey)
    assert raised
    assert [r.count for r in raised] == sorted((r.count for r in raised), reverse=True)
    # Loading again changes nothing.
    before = (Response.objects.count(), Answer.objects.count())
    demo_load()
    assert (Response.objects.count(), Answer.objects.count()) == before
    assert Survey.objects.filter(slug__startswith="enquete-").count() == 3


def test_after_a_submission_the_worker_computes_the_figures_for_every_process(
    staff_client, survey, questions, answered, places
):
    from surveys import tasks

    url = f"/enquetes/{survey.slug}/tableau-de-bord/"
    staff_client.get(url)
    complete(survey, make_entry("Nouveau cluster", commune=places["lyon"]), questions)
    tasks.refresh_results.call(survey.pk)  # what the worker runs once the submission commits
    caches["local"].clear()  # another process, with nothing in memory
    with CaptureQueriesContext(connection) as seen:
        page = staff_client.get(url)
    # Read from the shared cache: none of the aggregate queries over the answers ran.
    assert not [q for q in seen.captured_queries if "percentile_cont" in q["sql"]]
    assert not [q for q in seen.captured_queries if '"surveys_answerchoice"' in q["sql"]]
    results = {r.question.code: r for _s, rs in page.context["sections"] for r in rs}
    assert results["adherents"].answered == 6


def test_published_results_recognise_no_single_structure(client, survey, answered, questions):
    """No extreme (each is one structure's exact answer) and no theme raised by fewer
    than five answers shows its count or a quote."""
    from reference.models import Theme

    wood = Theme.objects.get(slug="bois-foret")
    answer = questions["exemple"].answers.filter(response__status="submitted").first()
    answer.text = "Une scierie unique en son genre."
    answer.quotable = True
    answer.save(update_fields=["text", "quotable"])
    answer.themes.add(wood)
    Survey.objects.filter(pk=survey.pk).update(results_public=True)
    page = client.get(f"/enquetes/{survey.slug}/resultats/")
    text = page.content.decode()
    results = {r.question.code: r for _s, rs in page.context["sections"] for r in rs}
    assert results["adherents"].mean is not None
    assert results["adherents"].minimum is None
    assert results["adherents"].maximum is None
    assert " à 50" not in text
    [raised] = page.context["themes"]
    assert raised.few
    assert "moins de 5 réponses" in text
    assert "Une scierie unique en son genre." not in text
    # Staff still see everything.
    from tests.factories.accounts import UserFactory

    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    dashboard = staff.get(f"/enquetes/{survey.slug}/tableau-de-bord/")
    staff_results = {r.question.code: r for _s, rs in dashboard.context["sections"] for r in rs}
    assert staff_results["adherents"].maximum is not None


def test_the_funnel_never_shows_more_started_than_opened(survey, invitation):
    """A representative answering from Mon espace starts without opening the link."""
    from django.utils import timezone

    from surveys.models import Invitation

    sent, _token = invitation
    Invitation.objects.filter(pk=sent.pk).update(started_at=timezone.now(), opened_at=None)
    overall = selectors.participation(survey)["overall"]
    assert overall["opened"] >= overall["started"] >= overall["submitted"]
    assert overall["started"] == 1
