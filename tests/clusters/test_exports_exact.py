"""Every export holds exactly the rows of the page with the same query string, nothing in
it runs as a formula, and spreadsheets get real numbers and dates."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from clusters.models import DirectoryEntry
from tests.factories.clusters import make_entry, make_practice

FORMULAS = ["=1+1", "+33 1 02", "-2+3", "@SOMME(A1)", "\tcaché", "\rretour"]


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def page_names(client, url: str, query: str) -> list[str]:
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    assert response.context["paginator"].count <= 20, "the whole list fits on one page"
    return [getattr(row, "name", None) or row.title for row in response.context["results"]]


DIRECTORY_QUERIES = [
    "",
    "milieu=rural",
    "theme=bois-foret",
    "theme=bois-foret&milieu=urban",
    "categorie=territory",
    "q=bois",
    "region=84&tri=pratiques",
    "lieu=Ambert+%2863600%29&rayon=50",
    "lieu=Puy-de-D%C3%B4me",
    "avec_pratiques=on&type=cluster&type=epci",
]


@pytest.mark.parametrize("query", DIRECTORY_QUERIES)
def test_directory_exports_hold_the_rows_of_the_page(client, directory, query):
    shown = page_names(client, "/annuaire/", query)
    csv_names = [row[0] for row in csv_rows(client.get(f"/annuaire/export.csv?{query}"))[1:]]
    xlsx_names = [row[0] for row in xlsx_rows(client.get(f"/annuaire/export.xlsx?{query}"))[1:]]
    geojson = client.get(f"/annuaire/export.geojson?{query}").json()
    geo_names = [f["properties"]["name"] for f in geojson["features"]]
    assert csv_names == shown
    assert xlsx_names == shown
    assert sorted(geo_names) == sorted(shown)
    assert {f["geometry"]["type"] for f in geojson["features"]} <= {"Point"}


PRACTICE_QUERIES = [
    "",
    "theme=bois-foret",
    "region=84&theme=bois-foret",
    "region=84",
    "departement=15",
    "rural_urbain=on",
    "q=circuits",
    "structure=metropole-de-lyon",
    "lieu=Saint-Flour&rayon=100",
    "mesure=M16&tri=titre",
]


@pytest.mark.parametrize("query", PRACTICE_QUERIES)
def test_practice_exports_hold_the_rows_of_the_page(client, directory, query):
    shown = page_names(client, "/pratiques/", query)
    csv_titles = [row[0] for row in csv_rows(client.get(f"/pratiques/export.csv?{query}"))[1:]]
    xlsx_titles = [row[0] for row in xlsx_rows(client.get(f"/pratiques/export.xlsx?{query}"))[1:]]
    geojson = json.loads(client.get(f"/pratiques/export.geojson?{query}").content)
    assert csv_titles == shown
    assert xlsx_titles == shown
    assert sorted(f["properties"]["title"] for f in geojson["features"]) == sorted(shown)


def test_the_practices_geojson_is_the_practices_not_their_partners(client, directory):
    """The GIS user's case: a region and a theme give the practices of the list, each a
    line between its own partners, never lines drawn for other practices."""
    extra = make_practice(
        "Autre pratique des mêmes partenaires",
        lead=directory["metropole"],
        partners=[directory["bois"]],
        themes=[],
    )
    data = json.loads(client.get("/pratiques/export.geojson?region=84&theme=bois-foret").content)
    titles = [f["properties"]["title"] for f in data["features"]]
    assert titles == ["Coopérations pour le bois local des chantiers urbains"]
    assert extra.title not in titles


def test_the_directory_gives_its_links_as_a_separate_layer(client, directory):
    points = client.get("/annuaire/export.geojson").json()
    lines = client.get("/annuaire/liens.geojson").json()
    assert {f["geometry"]["type"] for f in points["features"]} == {"Point"}
    assert {f["geometry"]["type"] for f in lines["features"]} == {"MultiLineString"}
    assert {f["properties"]["practice"] for f in lines["features"]} == {
        "Coopérations pour le bois local des chantiers urbains",
        "Circuits courts agroalimentaires",
    }


@pytest.mark.parametrize(
    "url", ["/annuaire/export.geojson", "/annuaire/liens.geojson", "/pratiques/export.geojson"]
)
def test_every_geojson_states_its_licence_and_sources(client, directory, url):
    response = client.get(url)
    data = json.loads(response.content)
    assert data["licence"]["name"] == "Licence Ouverte / Open Licence 2.0 (Etalab)"
    assert data["licence"]["url"].startswith("https://www.etalab.gouv.fr/")
    assert any("INSEE" in source["publisher"] for source in data["sources"])
    assert response["Content-Type"] == "application/geo+json"
    assert 'rel="license"' in response["Link"]


@pytest.mark.parametrize("url", ["/annuaire/export.csv", "/pratiques/export.xlsx"])
def test_spreadsheets_state_their_licence(client, directory, url):
    response = client.get(url)
    assert 'rel="license"' in response["Link"]
    if url.endswith(".xlsx"):
        about = load_workbook(io.BytesIO(response.content))["À propos"]
        text = " ".join(str(cell) for row in about.iter_rows(values_only=True) for cell in row)
        assert "Licence Ouverte" in text
        assert "INSEE" in text


@pytest.mark.parametrize("formula", FORMULAS)
def test_nothing_in_a_directory_export_runs_as_a_formula(client, places, formula):
    make_entry(f"{formula} Cluster", commune=places["ambert"], acronym=formula.strip())
    rows = csv_rows(client.get("/annuaire/export.csv"))
    assert rows[1][0] == f"'{formula} Cluster"
    sheet = load_workbook(io.BytesIO(client.get("/annuaire/export.xlsx").content)).worksheets[0]
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s"
    # XML reads a carriage return back as a line feed; the text is otherwise unchanged.
    assert cell.value == f"{formula} Cluster".replace("\r", "\n")


def test_directory_spreadsheets_type_numbers(client, directory):
    header, *rows = xlsx_rows(client.get("/annuaire/export.xlsx?milieu=rural"))
    pole = dict(zip(header, next(r for r in rows if r[0] == "Pôle Bois Montagne"), strict=True))
    assert pole["Pratiques publiées"] == 1
    assert isinstance(pole["Latitude"], float)
    assert pole["Latitude"] == pytest.approx(45.5497)


def test_practice_spreadsheets_type_years_and_dates(client, directory):
    header, *rows = xlsx_rows(client.get("/pratiques/export.xlsx"))
    food = dict(
        zip(
            header, next(r for r in rows if r[0] == "Circuits courts agroalimentaires"), strict=True
        )
    )
    assert food["Année de début"] == 2015
    assert food["Année de fin"] == 2018
    assert food["Publiée le"].year >= 2026  # a date, not a text
    csv_food = next(
        r for r in csv_rows(client.get("/pratiques/export.csv")) if r[0].startswith("Circuits")
    )
    assert "2015" in csv_food
    assert any(len(cell) == 10 and cell[2] == "/" for cell in csv_food)  # 03/12/2015


def test_a_practice_title_formula_never_runs(client, directory):
    make_practice('=HYPERLINK("http://mal.example")', lead=directory["bois"])
    rows = csv_rows(client.get("/pratiques/export.csv"))
    assert [r[0] for r in rows if "HYPERLINK" in r[0]] == ['\'=HYPERLINK("http://mal.example")']
    sheet = load_workbook(io.BytesIO(client.get("/pratiques/export.xlsx").content)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert [c.data_type for c in cells] == ["s"]


def test_unpublished_entries_appear_in_no_export(client, directory):
    for url in ["/annuaire/export.xlsx", "/annuaire/export.geojson", "/annuaire/liens.geojson"]:
        assert b"Cluster cach" not in client.get(url).content
    assert not DirectoryEntry.objects.published().filter(name="Cluster caché").exists()
