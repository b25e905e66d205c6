"""Search finds what a French reader means: irregular plurals, the programme's synonyms and
acronyms, corrections only when they find something, and places by name, INSEE code or
postcode, with a radius and results by distance."""

import pytest

from clusters.models import DirectoryEntry, Practice
from core.search import search
from tests.factories.clusters import make_entry, make_practice
from tests.factories.reference import CommuneFactory

pytestmark = pytest.mark.django_db


def titles(queryset) -> set[str]:
    return {getattr(row, "title", None) or row.name for row in queryset}


@pytest.fixture
def words(directory, places):
    lieu = make_entry("Tiers-lieu des Monts", kind="tiers_lieu", commune=places["ambert"],
                      description="Un lieu de travail partagé ouvert aux artisans.")  # fmt: skip
    petr = make_entry("PETR du Grand Clermont", category="territory", kind="petr",
                      commune=places["clermont"], description="Projet de territoire.")  # fmt: skip
    pole = make_entry("Pôle d'équilibre territorial et rural des Combrailles", category="territory",
                      kind="petr", commune=places["clermont"])  # fmt: skip
    enjeu = make_practice("Un enjeu de filière", lead=directory["bois"],
                          summary="Les matériaux biosourcés et le bail commercial.")  # fmt: skip
    return {"lieu": lieu, "petr": petr, "pole": pole, "enjeu": enjeu}


@pytest.mark.parametrize(
    ("plural", "singular"),
    [("tiers-lieux", "tiers-lieu"), ("lieux", "lieu"), ("travaux", "travail")],
)
def test_irregular_plurals_find_what_their_singular_finds(words, plural, singular):
    entries = DirectoryEntry.objects.published()
    found = titles(search(entries, plural).queryset)
    assert found
    assert found == titles(search(entries, singular).queryset)
    assert search(entries, plural).corrected is None


def test_plurals_the_stemmer_misses_are_joined_in_practices_too(words):
    practices = Practice.objects.published()
    assert titles(search(practices, "enjeux").queryset) == {"Un enjeu de filière"}
    assert "Un enjeu de filière" in titles(search(practices, "matériau").queryset)
    assert titles(search(practices, "baux").queryset) == {"Un enjeu de filière"}


def test_an_acronym_finds_its_expansion_and_the_other_way_round(words):
    entries = DirectoryEntry.objects.published()
    both = {"PETR du Grand Clermont", "Pôle d'équilibre territorial et rural des Combrailles"}
    assert titles(search(entries, "PETR").queryset) >= both
    assert titles(search(entries, "pôles d'équilibre territoriaux et ruraux").queryset) >= both


def test_the_kind_of_a_practice_is_searched(directory):
    make_practice("Paniers paysans", lead=directory["pays"], kind="supply_chain",
                  summary="Des produits de la ferme vendus en ville.")  # fmt: skip
    found = titles(search(Practice.objects.published(), "circuits courts").queryset)
    assert "Paniers paysans" in found  # « filière et circuit court »


@pytest.mark.parametrize(
    "text", ["Saint-Étienne", "<script>alert(1)</script>", "Montbrisson", "circuits courts"]
)
def test_no_correction_is_offered_that_finds_nothing_or_rewrites_names(words, text):
    outcome = search(DirectoryEntry.objects.published(), text)
    if outcome.corrected is not None:
        assert outcome.queryset.exists()
    assert outcome.corrected is None or text.islower()


def test_a_typo_is_still_corrected_when_the_correction_finds_something(words):
    outcome = search(DirectoryEntry.objects.published(), "artisnas")
    assert outcome.corrected == "artisans"
    assert titles(outcome.queryset) == {"Tiers-lieu des Monts"}


def test_a_word_the_index_knows_is_never_rewritten(words):
    # « circuits » is not in the vocabulary, but its stem is: no « circulaire ».
    from core.search import vocabulary_add

    vocabulary_add(["circuit circulaire"])
    outcome = search(Practice.objects.published(), "circuits inexistants")
    assert outcome.corrected is None or "circuits" in outcome.corrected


def test_the_site_search_offers_a_correction_only_with_results(client, words):
    page = client.get("/recherche/", {"q": "Saint-Étienne"})
    assert "Résultats pour" not in page.content.decode()
    assert page.context["search"].asked == ""


# --- Places -------------------------------------------------------------------------------


def test_a_commune_name_code_or_postcode_finds_what_is_there(client, directory, places):
    places["ambert"].postcodes = ["63600"]
    places["ambert"].save()
    for place in ["Ambert", "63003", "63600", "Ambert (63600)"]:
        page = client.get("/annuaire/", {"lieu": place})
        assert page.status_code == 200, place
        assert [e.name for e in page.context["results"]] == ["Pôle Bois Montagne"], place
        assert "Lieu : Ambert (63600)" in page.content.decode()


def test_within_n_km_around_a_commune_by_distance(client, directory, places):
    near = CommuneFactory(code="63300", name="Thiers", department=places["ambert"].department,
                          latitude=45.8564, longitude=3.5475)  # fmt: skip
    make_entry("Coutellerie de Thiers", commune=near)
    page = client.get("/annuaire/", {"lieu": "Ambert", "rayon": "50"})
    names = [e.name for e in page.context["results"]]
    assert names == ["Pôle Bois Montagne", "Coutellerie de Thiers"]  # 0 km, then ~37 km
    distances = [round(e.distance_km) for e in page.context["results"]]
    assert distances[0] == 0
    assert 30 < distances[1] < 45
    assert "à 37 km" in page.content.decode() or "à 36 km" in page.content.decode()
    wider = [
        e.name
        for e in client.get("/annuaire/", {"lieu": "Ambert", "rayon": "100"}).context["results"]
    ]
    assert "Laboratoire des matériaux biosourcés" in wider  # Clermont, about 53 km


def test_practices_and_the_map_take_the_place_filter(client, directory, places):
    practices = client.get("/pratiques/", {"lieu": "Saint-Flour"}).context["results"]
    assert [p.title for p in practices] == ["Circuits courts agroalimentaires"]
    around = client.get("/pratiques/", {"lieu": "Ambert", "rayon": "50"}).context["results"]
    assert [p.title for p in around] == ["Coopérations pour le bois local des chantiers urbains"]
    wider = client.get("/pratiques/", {"lieu": "Ambert", "rayon": "100"}).context["results"]
    # Saint-Flour, about 85 km away: its practice comes after the nearer one.
    assert [p.title for p in wider] == [
        "Coopérations pour le bois local des chantiers urbains",
        "Circuits courts agroalimentaires",
    ]
    department = client.get("/pratiques/", {"lieu": "Cantal"}).context["results"]
    assert [p.title for p in department] == ["Circuits courts agroalimentaires"]
    data = client.get("/carte/donnees.geojson", {"lieu": "Puy-de-Dôme"}).json()
    names = {f["properties"]["name"] for f in data["features"] if f["geometry"]["type"] == "Point"}
    assert names == {"Pôle Bois Montagne", "Laboratoire des matériaux biosourcés"}


def test_an_unknown_place_says_so_in_french(client, directory):
    page = client.get("/annuaire/", {"lieu": "Atlantide"})
    assert page.status_code == 400
    assert "Lieu inconnu : « Atlantide »" in page.content.decode()


def test_the_place_autocomplete_knows_names_codes_and_postcodes(client, directory, places):
    places["ambert"].postcodes = ["63600"]
    places["ambert"].save()
    for typed in ["amb", "Ambé", "63600", "6300"]:
        labels = [
            r["label"] for r in client.get("/lieux/autocompletion/", {"q": typed}).json()["results"]
        ]
        assert "Ambert (63600)" in labels, (typed, labels)
    labels = [
        r["label"] for r in client.get("/lieux/autocompletion/", {"q": "puy"}).json()["results"]
    ]
    assert "Puy-de-Dôme (63)" in labels
    assert client.get("/lieux/autocompletion/", {"q": "a"}).json() == {"results": []}


def test_the_site_search_finds_entries_and_practices_by_their_place(client, directory, places):
    places["ambert"].postcodes = ["63600"]
    places["ambert"].save()
    from clusters import services

    services.entry_index(DirectoryEntry.objects.all())
    services.practices_index(Practice.objects.all())
    for text in ["Ambert", "63600", "63003"]:
        groups = {g.key: g for g in client.get("/recherche/", {"q": text}).context["search"].groups}
        assert groups["structures"].total == 1, text
        assert groups["practices"].total >= 1, text


def test_a_partner_chip_names_the_entry(client, directory):
    page = client.get("/pratiques/", {"structure": "metropole-de-lyon"})
    html = page.content.decode()
    assert "Avec la structure ou le territoire : Métropole de Lyon" in html
    assert "metropole-de-lyon</a>" not in html
    assert client.get("/pratiques/", {"structure": "inconnue"}).status_code == 400
