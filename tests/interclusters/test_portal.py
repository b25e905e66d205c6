"""The portal tied together: site-wide search, theme pages, home, sitemap and robots."""

import xml.etree.ElementTree as ET

import pytest

from events import services as event_services
from events.models import Workshop
from mementos.models import Memento
from reference.models import Theme
from surveys import services as survey_services
from surveys.models import Answer, Survey
from tests.factories.clusters import make_entry
from tests.factories.events import make_event
from tests.factories.mementos import make_memento
from tests.factories.surveys import definition

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def portal(directory, themes):
    """A little of everything, on the wood theme: a published memento and a draft, an
    event with a workshop, a survey whose answers raised the theme."""
    wood = themes["bois-foret"]
    published = make_memento(1, status="published", directory=directory)
    published.themes.add(wood)
    draft = make_memento(2, status="draft", title="Brouillon secret sur la scierie")
    draft.themes.add(wood)
    event = make_event("Rencontre des scieries", workshops=(("Atelier scierie mobile", 10),))
    Workshop.objects.filter(event=event).update(theme=wood)
    event.themes.add(wood)
    event_services.event_index([event])
    survey, _ = survey_services.survey_load(definition(results_public=True, status="closed"))
    question = survey.sections.get(position=2).questions.get(code="exemple")
    response = survey.responses.create(entry=directory["bois"], status="submitted")
    answer = Answer.objects.create(
        response=response, question=question, text="Une scierie et un labo.", quotable=True
    )
    answer.themes.add(wood)
    return {"wood": wood, "published": published, "draft": draft, "event": event, "survey": survey}


@pytest.mark.parametrize("text", ["scierie", "SCIERIE", "Scièrie", "scieries"])
def test_search_finds_every_kind_whatever_the_accents_or_case(client, portal, text):
    page = client.get("/recherche/", {"q": text})
    assert page.status_code == 200
    groups = {group.key: group for group in page.context["search"].groups}
    assert groups["structures"].total >= 1  # "Scieries et charpentiers…"
    assert groups["practices"].total >= 1  # "Les scieries livrent…"
    assert groups["events"].total == 1
    content = page.content.decode()
    assert "Rencontre des scieries" in content
    assert "Brouillon secret" not in content  # never unpublished content
    assert "Projet secret de scierie mobile" not in content  # a proposed practice
    # Each kind links to its list, filtered by the same words.
    assert groups["practices"].more_url.startswith("/pratiques/?q=")
    assert groups["structures"].more_url.endswith("&categorie=structure")


def test_search_finds_mementos_and_case_studies(client, portal):
    page = client.get("/recherche/", {"q": "mutualisation"})
    groups = {group.key: group for group in page.context["search"].groups}
    assert groups["mementos"].total == 1
    assert client.get("/recherche/", {"q": "agricole"}).context["search"].groups[4].total == 1


def test_search_corrects_a_typo_and_survives_odd_input(client, portal):
    page = client.get("/recherche/", {"q": "scierei"})
    assert page.context["search"].asked == "scierei"
    assert "Aucun résultat pour « scierei »" in page.content.decode()
    for odd in ["", "   ", "'\"<script>", "a" * 5000, "&&&|!()"]:
        assert client.get("/recherche/", {"q": odd}).status_code == 200
    # A NUL byte is never input: a 400 with the French page.
    refused = client.get("/recherche/", {"q": "a\x00b"})
    assert refused.status_code == 400
    assert "Requête incorrecte" in refused.content.decode()


def test_search_runs_a_fixed_number_of_queries(client, portal, django_assert_max_num_queries):
    client.get("/recherche/", {"q": "scierie"})
    with django_assert_max_num_queries(12) as captured:
        client.get("/recherche/", {"q": "scierie"})
    for n in range(5):
        make_entry(f"Scierie numéro {n}")
    with django_assert_max_num_queries(len(captured.captured_queries)):
        client.get("/recherche/", {"q": "scierie"})
    # A typo searches twice around the correction, and stays within the bound.
    with django_assert_max_num_queries(12):
        assert client.get("/recherche/", {"q": "scierei"}).context["search"].asked


def test_the_agenda_searches_too(client, portal):
    page = client.get("/agenda/", {"q": "scieries"})
    assert "Rencontre des scieries" in page.content.decode()
    assert "Rencontre des scieries" not in client.get("/agenda/", {"q": "fromage"}).content.decode()


def test_a_theme_page_follows_the_thread(client, portal, django_assert_max_num_queries):
    url = f"/themes/{portal['wood'].slug}/"
    client.get(url)
    with django_assert_max_num_queries(12) as captured:
        page = client.get(url)
    text = page.content.decode()
    assert portal["survey"].title in text  # what the surveys raised
    assert "1 réponse évoque ce thème" in text
    assert "Une scierie et un labo." in text  # a quotable answer
    assert "Atelier scierie mobile" in text  # the workshop
    assert "10 places restantes" in text
    assert portal["published"].title in text  # the memento
    assert "Brouillon secret" not in text
    assert "Coopérations pour le bois local des chantiers urbains" in text  # a practice
    assert "Projet secret de scierie mobile" not in text
    assert "Pôle Bois Montagne" in text  # a structure
    assert "Cluster caché" not in text
    assert f"/carte/donnees.geojson?theme={portal['wood'].slug}" in text  # the small map
    # More of everything does not add queries.
    for n in range(3):
        make_entry(f"Scierie {n}", themes=[portal["wood"]])
        extra = make_memento(10 + n, status="published", sections=1)
        extra.themes.add(portal["wood"])
    with django_assert_max_num_queries(len(captured.captured_queries)):
        client.get(url)
    assert client.get("/themes/inconnu/").status_code == 404


def test_mementos_case_studies_and_survey_results_link_back_to_their_themes(client, portal):
    wood = f'href="/themes/{portal["wood"].slug}/"'
    memento = portal["published"]
    assert wood in client.get(memento.get_absolute_url()).content.decode()
    monograph = memento.monographs.first()
    assert wood in client.get(monograph.get_absolute_url()).content.decode()  # the memento's
    results = client.get(f"/enquetes/{portal['survey'].slug}/resultats/").content.decode()
    assert wood in results  # the themes the answers raised


def test_unpublished_survey_results_stay_off_theme_pages(client, portal):
    Survey.objects.filter(pk=portal["survey"].pk).update(results_public=False)
    text = client.get(f"/themes/{portal['wood'].slug}/").content.decode()
    assert "Une scierie et un labo." not in text


def test_the_theme_list_and_item_pages_link_to_themes(client, portal, directory):
    page = client.get("/themes/")
    assert "Bois et forêt" in page.content.decode()
    for url in (
        directory["bois"].get_absolute_url(),
        directory["wood"].get_absolute_url(),
        portal["event"].get_absolute_url(),
    ):
        assert "/themes/bois-foret/" in client.get(url).content.decode(), url


def test_the_home_page_shows_mementos_events_and_themes(client, portal):
    text = client.get("/").content.decode()
    assert portal["published"].title in text
    assert "Rencontre des scieries" in text
    assert "10 places restantes" in text
    assert "/themes/bois-foret/" in text
    assert "La carte des coopérations" in text


def test_sitemap_and_robots(client, portal):
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in robots.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [node.text for node in index.iter(f"{SITEMAP}loc")]
    assert "http://testserver/sitemap-mementos.xml" in sections
    urls = []
    for section in sections:
        sitemap = ET.fromstring(client.get(section.replace("http://testserver", "")).content)
        urls += [node.text for node in sitemap.iter(f"{SITEMAP}loc")]
    assert f"http://testserver{portal['published'].get_absolute_url()}" in urls
    assert f"http://testserver{portal['draft'].get_absolute_url()}" not in urls
    assert "http://testserver/themes/bois-foret/" in urls
    assert not any("cluster-cache" in url for url in urls)  # an unpublished entry
    assert Memento.objects.count() == 2


def test_theme_slugs_are_the_ones_the_links_use(themes):
    assert Theme.objects.filter(slug="bois-foret").exists()
