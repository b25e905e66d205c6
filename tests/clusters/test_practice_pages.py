"""/pratiques/: filters, detail page, access to unpublished practices, query budgets."""

import pytest

from tests.factories.clusters import make_entry, make_practice

URL = "/pratiques/"


def titles(response) -> list[str]:
    return [p.title for p in response.context["results"]]


WOOD = "Coopérations pour le bois local des chantiers urbains"
FOOD = "Circuits courts agroalimentaires"


def test_lists_published_practices_newest_first(client, directory):
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == [FOOD, WOOD]
    assert "Projet secret" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=bois-foret", [WOOD]),
        ("region=84", [FOOD, WOOD]),
        ("departement=15", [FOOD]),
        ("departement=63&departement=15", [FOOD]),  # the last value of a single choice
        ("type=supply_chain", [WOOD]),
        ("mesure=M19", [FOOD]),
        ("mesure=M16&mesure=M19", [FOOD, WOOD]),
        ("rural_urbain=on", [FOOD, WOOD]),
        ("chef_de_file=pays", [FOOD]),
        ("chef_de_file=cluster&chef_de_file=research", [WOOD]),
        ("annee_min=2019", [WOOD]),
        ("annee_max=2015", [FOOD]),
        ("annee_min=2016&annee_max=2017", [FOOD, WOOD]),
        ("avancement=completed", [FOOD]),
        ("structure=pole-bois-montagne", [WOOD]),
        ("structure=metropole-de-lyon&theme=agroalimentaire", [FOOD]),
        ("q=cooperation&theme=bois-foret&region=84", [WOOD]),
        ("q=eleveurs", [FOOD]),
        ("tri=titre", [FOOD, WOOD]),
        ("tri=annee", [WOOD, FOOD]),
    ],
)
def test_filters_search_and_sort_combine(client, directory, query, expected):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_rural_urban_needs_partners_on_both_sides(directory, places):
    rural_only = make_practice(
        "Entre ruraux",
        lead=directory["bois"],
        partners=[directory["pays"]],
    )
    assert rural_only.__class__.objects.get(pk=rural_only.pk).rural_urban is False
    assert directory["wood"].__class__.objects.get(pk=directory["wood"].pk).rural_urban is True


@pytest.mark.parametrize(
    "query",
    ["annee_min=abc", "annee_min=1200", "mesure=M99", "chef_de_file=nimporte", "avancement=x"],
)
def test_bad_filters_get_a_400_page(client, directory, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert WOOD in response.content.decode()


def test_detail_shows_partners_dimension_funding_and_map(client, directory):
    response = client.get("/pratiques/cooperations-pour-le-bois-local-des-chantiers-urbains/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "La forêt et le savoir-faire." in html
    assert "Des marchés publics." in html
    assert 'href="/annuaire/structures/pole-bois-montagne/">Pôle Bois Montagne</a>' in html
    assert 'href="/annuaire/territoires/metropole-de-lyon/">Métropole de Lyon</a>' in html
    assert "Chef de file" in html
    assert "M16" in html
    assert "Art. 35" in html
    map_data = response.context["geojson"]
    kinds = [f["geometry"]["type"] for f in map_data["features"]]
    assert kinds.count("Point") == 3
    assert kinds.count("MultiLineString") == 1


def test_markdown_in_a_practice_is_sanitised(client, directory):
    practice = directory["wood"]
    practice.body = (
        "## Étapes\n\n* **Réunir** les scieurs\n\n<script>alert(1)</script>"
        "[lien](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    practice.save()
    html = client.get(practice.get_absolute_url()).content.decode()
    assert "<h2>Étapes</h2>" in html
    assert "<strong>Réunir</strong>" in html
    assert "<script>alert(1)" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_a_proposed_practice_is_visible_to_its_author_and_staff_only(
    client, directory, member, outsider, staff_editor
):
    practice = directory["secret"]
    practice.proposer = member
    practice.save()
    url = practice.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert "attend la relecture" in response.content.decode()
    client.force_login(staff_editor)
    assert client.get(url).status_code == 200


def test_list_and_detail_run_a_fixed_number_of_queries(
    client, directory, django_assert_num_queries
):
    client.get(URL)  # warms the cached demo banner and place choices
    # The count, the page, the partners of its practices (themes: from the kept ones).
    with django_assert_num_queries(3) as list_queries:
        client.get(URL)
    with django_assert_num_queries(4) as detail_queries:
        client.get(directory["wood"].get_absolute_url())
    for number in range(25):
        partner = make_entry(
            f"Partenaire {number}", commune=directory["labo"].commune, setting="urban"
        )
        make_practice(f"Pratique {number}", lead=directory["bois"], partners=[partner])
    with django_assert_num_queries(len(list_queries.captured_queries)):
        response = client.get(URL)
    assert len(response.context["results"]) == 20
    practice = make_practice(
        "Pratique à dix partenaires",
        lead=directory["bois"],
        partners=[make_entry(f"Allié {n}", commune=directory["labo"].commune) for n in range(10)],
    )
    with django_assert_num_queries(len(detail_queries.captured_queries)):
        client.get(practice.get_absolute_url())
    assert len(list_queries.captured_queries) <= 12
