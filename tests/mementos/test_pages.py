"""The mementos on the site: who sees what, the pages, files, feed, search, Markdown."""

import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from mementos import services
from mementos.models import Memento, Monograph, Section
from tests.factories.files import pdf_bytes
from tests.factories.mementos import make_memento

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def urls(memento: Memento) -> list[str]:
    return [
        f"/mementos/{memento.slug}/",
        f"/mementos/{memento.slug}/pays-de-saint-flour/",
        f"/mementos/{memento.slug}/memento.pdf",
        f"/mementos/{memento.slug}/couverture/",
    ]


def with_files(memento: Memento) -> Memento:
    from devdata.demo.mementos import cover_image

    memento.pdf.save("m.pdf", ContentFile(pdf_bytes()), save=False)
    memento.cover.save("c.jpg", ContentFile(cover_image(memento)), save=False)
    memento.cover_alt = "Couverture verte"
    memento.save()
    return memento


@pytest.mark.parametrize("status", ["draft", "planned", "review", "archived"])
def test_unpublished_mementos_and_their_files_are_not_found_by_the_public(
    client, member, draft, status, staff_client
):
    Memento.objects.filter(pk=draft.pk).update(status=status)
    memento = with_files(Memento.objects.get(pk=draft.pk))
    for url in urls(memento):
        assert Client().get(url).status_code == 404, url
    member_client = Client()
    member_client.force_login(member)
    for url in urls(memento):
        assert member_client.get(url).status_code == 404, url
    # The staff see it as the public will, with a notice.
    page = staff_client.get(f"/mementos/{memento.slug}/")
    assert page.status_code == 200
    assert "Aperçu réservé à l'équipe" in page.content.decode()
    assert 'name="robots" content="noindex"' in page.content.decode()
    for url in urls(memento):
        assert staff_client.get(url).status_code == 200, url
    listing = Client().get("/mementos/").content.decode()
    assert memento.title not in listing or status == "planned"


def test_the_list_shows_published_and_planned_mementos(client, published, draft):
    make_memento(3, status="planned", title="Le sentiment d’appartenance", sections=0)
    page = client.get("/mementos/")
    text = page.content.decode()
    assert published.title in text
    assert "Le sentiment d’appartenance" in text
    assert "À paraître" in text
    assert draft.title not in text
    assert "Pôle Bois Montagne" in text  # the lead partner
    assert "pépinières" in text
    assert "**" not in text


def test_the_memento_page_shows_everything_about_it(client, published, directory):
    with_files(published)
    page = client.get(f"/mementos/{published.slug}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "<strong>pépinières</strong>" in text
    assert "Quelles formes prennent ces lieux ?" in text  # key questions
    assert 'href="#section-' in text  # the table of contents
    assert "Partie 1" in text
    assert "Partie 2" in text
    assert "<strong>mutualisation</strong>" in text
    assert "Le Pays de Saint-Flour et sa pépinière" in text  # the case study's card
    assert "Circuits courts agroalimentaires" in text  # its linked practice
    assert directory["pays"].get_absolute_url() in text  # the structure it describes
    assert f"/mementos/{published.slug}/memento.pdf" in text
    assert 'property="og:title"' in text
    assert 'property="og:image" content="http://testserver/mementos/' in text
    assert "Aperçu" not in text


def test_the_monograph_page(client, published):
    page = client.get(f"/mementos/{published.slug}/pays-de-saint-flour/")
    text = page.content.decode()
    assert "Le Pays de Saint-Flour et sa pépinière" in text
    assert "<strong>agricole</strong>" in text
    assert "<li>Une pépinière</li>" in text
    assert "0,5 ETP" in text
    assert "Circuits courts agroalimentaires" in text
    assert client.get(f"/mementos/{published.slug}/inconnue/").status_code == 404


def test_the_pdf_downloads_with_its_type_and_name(client, published):
    with_files(published)
    response = client.get(f"/mementos/{published.slug}/memento.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="memento-2-clusters-et-territoires.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    cover = client.get(f"/mementos/{published.slug}/couverture/")
    assert cover["Content-Type"] == "image/jpeg"
    no_pdf = make_memento(5, status="published", slug="sans-pdf")
    assert client.get(f"/mementos/{no_pdf.slug}/memento.pdf").status_code == 404


def test_markdown_is_rendered_harmless(client, published):
    Section.objects.filter(memento=published, position=1).update(
        body=(
            "## Un titre\n\n- un point\n- *un autre*\n\n"
            "[un lien](https://exemple.fr) et [un piège](javascript:alert(1))\n\n"
            "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n"
            "![une image](https://exemple.fr/image.png)\n\n"
            "<script>alert('x')</script>\n\n"
            '<img src="x" onerror="alert(1)">\n\n'
            '<iframe src="https://exemple.fr"></iframe>\n\n'
            "<style>body { display: none }</style>\n\n"
            "**fin**"
        )
    )
    text = client.get(f"/mementos/{published.slug}/").content.decode()
    body = text[text.index("Un titre") - 10 : text.index("fin</strong>")]
    assert "<h2>Un titre</h2>" in body
    assert "<li><em>un autre</em></li>" in body
    assert 'href="https://exemple.fr"' in body
    assert "<table>" in body
    assert "<td>1</td>" in body
    assert '<img alt="une image" src="https://exemple.fr/image.png">' in body
    for danger in ("<script", "javascript:", "onerror", "<iframe", "<style"):
        assert danger not in body, danger


def test_the_atom_feed_lists_the_published_mementos(client, published, draft):
    response = client.get("/mementos/flux.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [str(published)]
    entry = entries[0]
    for required in ("id", "title", "updated", "link", "summary"):
        assert entry.find(f"{ATOM}{required}") is not None, required
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/mementos/{published.slug}/")
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Pôle Bois Montagne"
    assert b'rel="alternate" type="application/atom+xml"' in client.get("/mementos/").content


def test_search_finds_mementos_and_case_studies_in_french(client, published, draft):
    page = client.get("/mementos/?q=mutualisations")  # plural, found by the stem
    assert published.title in page.content.decode()
    assert draft.title not in page.content.decode()
    page = client.get("/mementos/?q=agricole")  # a word of the case study only
    assert "Le Pays de Saint-Flour et sa pépinière" in page.content.decode()
    nothing = client.get("/mementos/?q=xylophone").content.decode()
    assert "Aucun mémento ni aucune monographie ne correspond" in nothing


def test_pages_run_a_fixed_number_of_queries(
    client, published, directory, django_assert_max_num_queries
):
    pages = [
        "/mementos/",
        f"/mementos/{published.slug}/",
        f"/mementos/{published.slug}/pays-de-saint-flour/",
        "/mementos/?q=pepiniere",
        "/mementos/flux.atom",
    ]
    counts = {}
    for url in pages:
        client.get(url)
        with django_assert_max_num_queries(12) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured.captured_queries)
    # More of everything: the counts do not move.
    for number in range(6, 10):
        make_memento(number, status="published", directory=None, sections=3)
    for position in range(3, 9):
        Section.objects.create(memento=published, position=position, title="Encore", body="x")
    published.practices.add(directory["wood"])
    for n, key in enumerate(["bois", "labo", "metropole"]):  # case studies of structures
        Monograph.objects.create(
            memento=published, slug=f"cas-{n}", title=f"Cas {n}", position=10 + n,
            entry=directory[key], summary="Un cas.",
        )  # fmt: skip
    services.memento_index(published)
    for url in pages:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)
