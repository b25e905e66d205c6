"""Surveys as XLSForm workbooks: exported, checked by pyxform, imported back the same;
what cannot be imported is listed row by row, in French, and nothing is created."""

from datetime import timedelta
from html import unescape
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from pyxform import xls2xform

from surveys import services, xlsform
from surveys.models import Question, Rule, Survey
from tests.factories.accounts import UserFactory
from tests.factories.surveys import definition
from tests.surveys.test_question_kinds import kinds_definition

pytestmark = pytest.mark.django_db


def same_parts(survey: Survey) -> list:
    """What makes two surveys the same: sections, questions and their conditions."""
    return xlsform.definition_of(survey)["sections"]


def reimported(survey: Survey) -> Survey:
    content = xlsform.survey_workbook(survey)
    now = timezone.now()
    return xlsform.survey_import(
        content, audience=survey.audience, opens_at=now, closes_at=now + timedelta(days=30)
    )


def conditional_definition() -> dict:
    """The test survey, a grid and a ranking, and conditions of every operator: all/any,
    numbers, a whole section skipped."""
    data = definition("enquete-logique")
    data["sections"] += kinds_definition()["sections"]
    first, second, third, fourth = data["sections"]
    by_code = {q["code"]: q for s in data["sections"] for q in s["questions"]}
    by_code["exemple"]["condition"] = None
    by_code["exemple"]["rules"] = [
        {"source": "cooperent", "operator": "includes", "choice": "Oui"},
        {"source": "adherents", "operator": "gte", "number": "10"},
    ]
    by_code["nom"]["condition_mode"] = "any"
    by_code["nom"]["rules"] = [
        {"source": "lieu", "operator": "yes"},
        {"source": "etp", "operator": "lt", "number": "2.5"},
        {"source": "secteurs", "operator": "excludes", "choice": "Santé"},
    ]
    third["rules"] = [{"source": "ouverture", "operator": "answered"}]
    fourth["condition_mode"] = "any"
    fourth["rules"] = [
        {"source": "difficulte", "operator": "gt", "number": "3"},
        {"source": "lieu", "operator": "no"},
    ]
    return data


def test_the_2015_surveys_export_cleanly_and_come_back_the_same():
    call_command("load_surveys")
    for slug in ("enquete-2015-clusters", "enquete-2015-territoires"):
        survey = Survey.objects.get(slug=slug)
        content = xlsform.survey_workbook(survey)
        book = load_workbook(BytesIO(content))
        assert book.sheetnames == ["survey", "choices", "settings"]
        # The reference converter reads it without a warning.
        warnings: list[str] = []
        sheets = {
            name: [dict(zip([c.value for c in sheet[1]], [c.value for c in r], strict=True))
                   for r in sheet.iter_rows(min_row=2)]
            for name, sheet in ((n, book[n]) for n in book.sheetnames)
        }  # fmt: skip
        sheets = {
            n: [{k: v for k, v in r.items() if v} for r in rows] for n, rows in sheets.items()
        }
        assert "<h:title>" in xls2xform.convert(xlsform=sheets, warnings=warnings).xform
        assert warnings == []
        copy = reimported(survey)
        assert copy.slug != survey.slug
        assert copy.status == Survey.Status.DRAFT
        assert same_parts(copy) == same_parts(survey)
    grid = Question.objects.get(section__survey__slug="enquete-2015-clusters", code="formats")
    assert grid.rows.count() == 4


def test_conditions_grids_rankings_bounds_and_formats_make_the_round_trip():
    survey, _created = services.survey_load(conditional_definition())
    assert Rule.objects.filter(question__section__survey=survey).count() == 5
    assert Rule.objects.filter(section__survey=survey).count() == 3
    copy = reimported(survey)
    assert same_parts(copy) == same_parts(survey)
    parts = same_parts(copy)
    formats = parts[3]["questions"][0]
    assert formats["kind"] == "grid"
    assert formats["rows"] == ["Séminaire", "Ateliers", "Visites"]
    cp = parts[3]["questions"][3]
    assert cp["text_format"] == "postcode"
    assert parts[3]["condition_mode"] == "any"
    # The copy's conditions work: the fourth section is skipped without the answers.
    copied = services.survey_questions(copy)
    shown = services.visible_sections(list(copy.sections.all()), copied, {})
    assert [s.title for s in shown] == ["Votre structure", "Coopérations"]


def workbook(survey_rows: list[list], choices: list[list] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in [["type", "name", "label", "relevant", "constraint"], *survey_rows]:
        sheet.append(row)
    choice_sheet = book.create_sheet("choices")
    for row in [["list_name", "name", "label"], *choices]:
        choice_sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "formulaire.xlsx") -> dict:
    now = timezone.localtime()
    return {
        "file": SimpleUploadedFile(name, content),
        "audience": "both",
        "opens_at_0": now.strftime("%d/%m/%Y"), "opens_at_1": "09:00:00",
        "closes_at_0": (now + timedelta(days=30)).strftime("%d/%m/%Y"), "closes_at_1": "18:00:00",
    }  # fmt: skip


URL = "/admin/surveys/survey/importer-xlsform/"


def test_staff_export_a_survey_and_import_a_kobo_like_form(admin_client_with_2fa):
    survey, _ = services.survey_load(conditional_definition())
    exported = admin_client_with_2fa.get(f"/admin/surveys/survey/{survey.pk}/xlsform/")
    assert exported.status_code == 200
    assert exported["Content-Disposition"] == 'attachment; filename="xlsform-enquete-logique.xlsx"'
    page = admin_client_with_2fa.get("/admin/surveys/survey/")
    assert "Importer un XLSForm" in page.content.decode()
    # A form as Kobo users write it: questions outside any group, metadata, a note.
    content = workbook(
        [
            ["start", "start", ""],
            ["note", "bienvenue", "Bienvenue"],
            ["select_one oui_non", "membre", "Êtes-vous membre ?"],
            ["integer", "salaries", "Combien de salariés ?", "selected(${membre}, 'oui')",
             ". >= 0 and . <= 5000"],
            ["select_multiple besoins", "besoins", "Vos besoins ?", "", "count-selected(.) <= 2"],
        ],
        [["oui_non", "oui", "Oui"], ["oui_non", "non", "Non"],
         ["besoins", "rh", "Recrutement"], ["besoins", "rd", "Recherche"]],
    )  # fmt: skip
    response = admin_client_with_2fa.post(URL, upload(content))
    assert response.status_code == 302, response.content.decode()[:3000]
    imported = Survey.objects.get(slug="enquete-importee")
    assert imported.status == Survey.Status.DRAFT
    questions = {q.code: q for q in Question.objects.filter(section__survey=imported)}
    assert set(questions) == {"membre", "salaries", "besoins"}
    assert questions["salaries"].number_max == 5000
    assert questions["besoins"].max_choices == 2
    rule = questions["salaries"].rules.get()
    assert (rule.source.code, rule.operator, rule.choice.label) == ("membre", "includes", "Oui")
    # The export of the original comes back the same through the page.
    again = admin_client_with_2fa.post(
        URL, upload(exported.getvalue() if hasattr(exported, "getvalue") else exported.content)
    )
    assert again.status_code == 302
    copy = Survey.objects.get(slug="enquete-logique-2")
    assert same_parts(copy) == same_parts(survey)


def test_what_cannot_be_imported_is_listed_row_by_row_and_nothing_is_created(
    admin_client_with_2fa,
):
    before = Survey.objects.count()
    content = workbook(
        [
            ["geopoint", "position", "Où êtes-vous ?"],
            ["begin_repeat", "salaries", "Vos salariés"],
            ["end_repeat", "", ""],
            ["text", "cp", "Code postal", "", "regex(., '^[A-Z]+$')"],
            ["integer", "n", "Nombre", "${cp} != '' and ${n} > 3 or ${cp} = 'x'"],
            ["text", "avant", "Avant", "${apres} > 2"],
            ["integer", "apres", "Après"],
        ]
    )
    page = admin_client_with_2fa.post(URL, upload(content))
    assert page.status_code == 400
    html = page.content.decode()
    assert "Rien n'a été importé" in html
    listed = unescape(html)
    assert "end_repeat" not in listed  # its begin_repeat is the one reported
    line = "Ligne {} de la feuille « survey » : ".format
    assert line(2) + "le type « geopoint » n'est pas pris en charge" in listed
    assert line(3) + "le type « begin_repeat »" in listed
    assert line(5) + "le motif « ^[A-Z]+$ » n'est pas pris en charge" in listed
    assert line(6) + "une condition qui mêle « and » et « or »" in listed
    assert line(7) + "la condition lit « apres », qui n'est pas une question posée" in listed
    assert Survey.objects.count() == before
    # The audience and the dates typed are kept.
    assert 'value="both" selected' in html
    # Not a workbook; not an XLSForm (pyxform's verdict); too big.
    pdf = admin_client_with_2fa.post(URL, upload(b"%PDF-1.4 nothing", "f.xlsx"))
    assert "n&#x27;est pas un classeur Excel (.xlsx)" in pdf.content.decode()
    no_list = workbook([["select_one absente", "q", "Q ?"]])
    refused = admin_client_with_2fa.post(URL, upload(no_list))
    assert refused.status_code == 400
    assert "Ce n&#x27;est pas un XLSForm valide (selon pyxform)" in refused.content.decode()
    big = admin_client_with_2fa.post(URL, upload(b"PK\x03\x04" + b"0" * (2 * 1024 * 1024 + 1)))
    assert "Le fichier dépasse 2 Mo." in big.content.decode()
    assert Survey.objects.count() == before


def test_only_staff_who_may_build_surveys_import_and_export(member_client, member):
    survey, _ = services.survey_load(definition())
    for url in (URL, f"/admin/surveys/survey/{survey.pk}/xlsform/"):
        anonymous = Client().get(url)
        assert anonymous.status_code == 302
        assert member_client.get(url).status_code in (302, 403)
        bare = Client()
        bare.force_login(UserFactory(is_staff=True))
        assert bare.get(url).status_code == 403
