"""/annuaire/: filters, search, sorting, pagination, empty state, bad input, query budget."""

import pytest

from tests.factories.clusters import make_entry

URL = "/annuaire/"


def names(response) -> list[str]:
    return [entry.name for entry in response.context["results"]]


def test_lists_published_structures_and_territories_with_their_total(client, directory):
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == [
        "Laboratoire des matériaux biosourcés",
        "Métropole de Lyon",
        "Pays de Saint-Flour",
        "Pôle Bois Montagne",
    ]
    html = response.content.decode()
    assert '<strong class="fs-5">4</strong> structures et territoires' in html
    assert "Cluster caché" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("categorie=territory", ["Métropole de Lyon", "Pays de Saint-Flour"]),
        (
            "type=research&type=pays",
            ["Laboratoire des matériaux biosourcés", "Pays de Saint-Flour"],
        ),
        (
            "region=84",
            [
                "Laboratoire des matériaux biosourcés",
                "Métropole de Lyon",
                "Pays de Saint-Flour",
                "Pôle Bois Montagne",
            ],
        ),
        ("departement=63", ["Laboratoire des matériaux biosourcés", "Pôle Bois Montagne"]),
        ("theme=tourisme", ["Pays de Saint-Flour"]),
        (
            "theme=tourisme&theme=economie-circulaire",
            ["Laboratoire des matériaux biosourcés", "Pays de Saint-Flour"],
        ),
        ("milieu=rural", ["Pays de Saint-Flour", "Pôle Bois Montagne"]),
        ("milieu=rural&departement=63", ["Pôle Bois Montagne"]),
        (
            "theme=bois-foret&milieu=urban&categorie=structure",
            ["Laboratoire des matériaux biosourcés"],
        ),
        ("q=scieries", ["Pôle Bois Montagne"]),
        ("q=lyon&categorie=structure", []),
    ],
)
def test_filters_combine(client, directory, query, expected):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert names(response) == expected


def test_has_practices_counts_published_practices_only(client, directory):
    response = client.get(f"{URL}?avec_pratiques=on&tri=pratiques")
    # The proposed practice of the wood pole does not count; Lyon takes part in two.
    assert [(e.name, e.published_practice_count) for e in response.context["results"]] == [
        ("Métropole de Lyon", 2),
        ("Laboratoire des matériaux biosourcés", 1),
        ("Pays de Saint-Flour", 1),
        ("Pôle Bois Montagne", 1),
    ]


def test_sort_by_last_update(client, directory):
    directory["pays"].save()
    assert names(client.get(f"{URL}?tri=recent"))[0] == "Pays de Saint-Flour"


def test_chips_show_active_filters_and_remove_one_each(client, directory):
    html = client.get(f"{URL}?milieu=rural&theme=tourisme").content.decode()
    assert "Milieu : rural" in html
    assert "Thèmes : Tourisme" in html
    assert 'href="?theme=tourisme"' in html
    assert 'href="?milieu=rural"' in html


def test_export_and_map_links_keep_the_filters(client, directory):
    html = client.get(f"{URL}?milieu=rural&q=bois").content.decode()
    assert 'href="/annuaire/export.csv?milieu=rural&amp;q=bois"' in html
    assert 'href="/carte/?milieu=rural&amp;q=bois"' in html


def test_pagination_gives_the_total_and_pages(client, places):
    for number in range(25):
        make_entry(f"Cluster {number:02d}", commune=places["lyon"])
    response = client.get(URL)
    assert len(response.context["results"]) == 20
    html = response.content.decode()
    assert '<strong class="fs-5">25</strong>' in html
    assert "Page 1 sur 2" in html
    second = client.get(f"{URL}?page=2")
    assert names(second) == [f"Cluster {n:02d}" for n in range(20, 25)]


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=999999", "page=-3", "page=", "page=1e9"],
)
def test_odd_page_numbers_give_a_useful_page(client, directory, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert len(names(response)) == 4


@pytest.mark.parametrize(
    "query",
    [
        "region=zz",
        "departement=999",
        "type=volcan",
        "theme=inconnu",
        "milieu=lunaire",
        "tri=hasard",
        "region=84&region=zz",
    ],
)
def test_unknown_codes_get_a_400_that_says_so_and_still_lists(client, directory, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "ont pas été compris et sont ignorés" in html
    assert "Pôle Bois Montagne" in html


@pytest.mark.parametrize(
    "q",
    [
        "b" * 10_000,
        "' OR '1'='1",
        "bois'; DELETE FROM clusters_directoryentry; --",
        '"unclosed',
        "<script>alert(1)</script>",
        "%00",
    ],
)
def test_hostile_searches_never_fail(client, directory, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_repeated_parameters_are_understood(client, directory):
    response = client.get(f"{URL}?departement=69&departement=63&milieu=rural&milieu=urban")
    assert response.status_code == 200
    assert names(response) == ["Laboratoire des matériaux biosourcés", "Pôle Bois Montagne"]


def test_empty_state_helps(client, directory):
    html = client.get(f"{URL}?q=zzyzx&milieu=rural").content.decode()
    assert "Aucune structure ni aucun territoire ne correspond" in html
    assert "effacez-les tous" in html
    assert "les pratiques innovantes" in html


def test_htmx_requests_get_only_the_results(client, directory):
    response = client.get(f"{URL}?milieu=rural", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "Pôle Bois Montagne" in html


def test_the_list_runs_a_fixed_number_of_queries(client, places, themes, django_assert_num_queries):
    for number in range(3):
        make_entry(f"Petit {number}", commune=places["ambert"], themes=[themes["tourisme"]])
    client.get(URL)  # warms the cached demo banner and place choices
    with django_assert_num_queries(2) as few:
        client.get(f"{URL}?theme=tourisme&q=petit")
    for number in range(30):
        make_entry(f"Petit {number + 3}", commune=places["ambert"], themes=[themes["tourisme"]])
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(f"{URL}?theme=tourisme&q=petit")
    assert len(response.context["results"]) == 20
    assert len(few.captured_queries) <= 12
