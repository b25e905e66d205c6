"""The map and the exports show exactly what the filters select, in bounded queries."""

import csv
import io
import json

import pytest

from tests.factories.clusters import make_entry, make_practice


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "a byte order mark, for Excel"
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))


def test_map_page_offers_the_list_beside_the_map(client, directory):
    response = client.get("/carte/?milieu=rural")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-source="/carte/donnees.geojson?milieu=rural"' in html
    assert "2 fiches sur la carte" in html
    assert "Pôle Bois Montagne" in html
    assert "Métropole de Lyon" not in html
    assert "Le fond de carte n'a pas pu être chargé" in html


def test_map_data_holds_filtered_points_and_rural_urban_links(client, directory):
    data = client.get("/carte/donnees.geojson").json()
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    lines = [f for f in data["features"] if f["geometry"]["type"] == "MultiLineString"]
    assert {f["properties"]["name"] for f in points} == {
        "Pôle Bois Montagne",
        "Laboratoire des matériaux biosourcés",
        "Métropole de Lyon",
        "Pays de Saint-Flour",
    }
    assert {f["properties"]["url"] for f in lines} == {
        "/pratiques/cooperations-pour-le-bois-local-des-chantiers-urbains/",
        "/pratiques/circuits-courts-agroalimentaires/",
    }
    lyon = next(f for f in points if f["properties"]["name"] == "Métropole de Lyon")
    assert lyon["geometry"]["coordinates"] == [4.8354, 45.7677]
    assert lyon["properties"]["url"] == "/annuaire/territoires/metropole-de-lyon/"
    rural = client.get("/carte/donnees.geojson?milieu=rural").json()
    assert rural["meta"]["entries"] == 2
    assert rural["meta"]["links"] == 0
    assert rural["meta"]["clustered"] is False


def test_map_data_groups_points_past_the_detail_limit(client, directory, monkeypatch):
    """Too many points for the view: groups with their numbers, which add up to the
    entries found, framed by ``meta.bounds``; no lines until the map zooms in."""
    from clusters import selectors

    monkeypatch.setattr(selectors, "MAP_DETAIL_MAX", 2)
    data = client.get("/carte/donnees.geojson?zoom=3").json()
    assert data["meta"]["clustered"] is True
    assert data["meta"]["links"] == 0
    groups = data["features"]
    assert {f["properties"]["kind"] for f in groups} == {"cluster"}
    assert sum(f["properties"]["count"] for f in groups) == data["meta"]["entries"] == 4
    assert data["meta"]["clusters"] == len(groups)
    west, south, east, north = data["meta"]["bounds"]
    for group in groups:
        lon, lat = group["geometry"]["coordinates"]
        assert west <= lon <= east
        assert south <= lat <= north
    # Zoomed in on Lyon, the view holds few enough points: each of them, and the lines.
    lyon = client.get("/carte/donnees.geojson?zoom=12&bbox=4.7,45.7,4.9,45.8").json()
    assert lyon["meta"]["clustered"] is False
    assert [f["properties"]["name"] for f in lyon["features"]] == ["Métropole de Lyon"]


def test_map_data_keeps_to_the_view(client, directory):
    everything = client.get("/carte/donnees.geojson").json()["meta"]["entries"]
    lyon = client.get("/carte/donnees.geojson?zoom=10&bbox=4.5,45.5,5.2,46").json()
    names = {f["properties"]["name"] for f in lyon["features"] if f["geometry"]["type"] == "Point"}
    assert "Métropole de Lyon" in names
    assert "Pays de Saint-Flour" not in names
    assert lyon["meta"]["entries"] < everything
    elsewhere = client.get("/carte/donnees.geojson?zoom=8&bbox=-60,-20,-50,-10").json()
    assert elsewhere["features"] == []
    assert elsewhere["meta"]["bounds"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("zoom=99", "zoom"),
        ("zoom=deux", "zoom"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=-200,40,5,50", "bbox"),
        ("bbox=1,50,3,40", "bbox"),
        ("bbox=nan,40,inf,50", "bbox"),
        ("bbox=" + "9" * 200, "bbox"),
    ],
)
def test_map_data_refuses_a_bad_view_with_a_message(client, directory, query, field):
    response = client.get(f"/carte/donnees.geojson?{query}")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    if field == "bbox":
        message = errors["bbox"][0]["message"]
        assert "ouest,sud,est,nord" in message or "au plus 120 caractères" in message


@pytest.mark.parametrize("view", ["zoom=3", "zoom=12&bbox=-5,41,10,51"])
def test_map_views_run_a_fixed_number_of_queries(
    client, directory, view, monkeypatch, django_assert_max_num_queries
):
    """Grouped or point by point, the map data's queries do not grow with the entries."""
    from clusters import selectors

    monkeypatch.setattr(selectors, "MAP_DETAIL_MAX", 2 if view == "zoom=3" else 400)
    client.get("/")
    with django_assert_max_num_queries(6) as few:
        client.get(f"/carte/donnees.geojson?{view}")
    for number in range(25):
        partner = make_entry(
            f"Partenaire {number}", commune=directory["labo"].commune, setting="urban"
        )
        make_practice(f"Pratique {number}", lead=directory["bois"], partners=[partner])
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = client.get(f"/carte/donnees.geojson?{view}").json()
    assert data["meta"]["entries"] == 29


def test_map_data_refuses_bad_filters(client, directory):
    response = client.get("/carte/donnees.geojson?region=zz")
    assert response.status_code == 400
    assert "region" in response.json()["errors"]


def test_directory_csv_holds_exactly_the_filtered_rows(client, directory):
    response = client.get("/annuaire/export.csv?milieu=rural")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="annuaire-interclusters.csv"' in response.headers["Content-Disposition"]
    rows = read_csv(response)
    page = client.get("/annuaire/?milieu=rural").context["results"]
    assert [row["Nom"] for row in rows] == [entry.name for entry in page]
    pole = rows[1]
    assert pole["Type"] == "cluster"
    assert pole["Commune"] == "Ambert"
    assert pole["Code INSEE"] == "63003"
    assert pole["Thèmes"] == "Bois et forêt, Énergie et transition écologique"
    assert pole["Latitude"] == "45,5497"
    assert (
        pole["Adresse de la fiche"] == "http://testserver/annuaire/structures/pole-bois-montagne/"
    )


def test_practice_csv_and_geojson_follow_the_list(client, directory):
    rows = read_csv(client.get("/pratiques/export.csv?theme=bois-foret"))
    assert [row["Titre"] for row in rows] == [
        "Coopérations pour le bois local des chantiers urbains"
    ]
    assert rows[0]["Chef de file"] == "Pôle Bois Montagne"
    assert rows[0]["Partenaires"] == "Métropole de Lyon, Laboratoire des matériaux biosourcés"
    assert rows[0]["Coopération rural–urbain"] == "oui"
    assert rows[0]["Mesures FEADER"] == "M16"
    data = json.loads(client.get("/pratiques/export.geojson?theme=bois-foret").content)
    # One feature per practice of the list: lines from its lead to its partners.
    (feature,) = data["features"]
    assert feature["properties"]["title"] == rows[0]["Titre"]
    assert feature["properties"]["lead"] == ["Pôle Bois Montagne"]
    assert feature["geometry"]["type"] == "MultiLineString"
    assert len(feature["geometry"]["coordinates"]) == 2


def test_exports_never_hold_unpublished_content(client, directory):
    directory_csv = b"".join(client.get("/annuaire/export.csv").streaming_content).decode()
    practices_csv = b"".join(client.get("/pratiques/export.csv").streaming_content).decode()
    geojson = client.get("/annuaire/export.geojson").content.decode()
    assert "Cluster caché" not in directory_csv + geojson
    assert "Projet secret" not in practices_csv


def test_exports_refuse_bad_filters_with_a_message(client, directory):
    response = client.get("/annuaire/export.csv?milieu=lunaire")
    assert response.status_code == 400
    assert "Filtres invalides" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/annuaire/export.csv",
        "/pratiques/export.csv",
        "/annuaire/export.geojson",
        "/carte/donnees.geojson",
    ],
)
def test_exports_run_no_query_per_row(client, directory, url, django_assert_max_num_queries):
    def fetch():
        response = client.get(url)
        return b"".join(response.streaming_content) if response.streaming else response.content

    client.get("/")
    with django_assert_max_num_queries(12) as few:
        fetch()
    for number in range(30):
        partner = make_entry(
            f"Partenaire {number}", commune=directory["labo"].commune, setting="urban"
        )
        make_practice(f"Pratique {number}", lead=directory["bois"], partners=[partner])
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = fetch()
    assert b"Partenaire 29" in body or b"Pratique 29" in body
