"""The network connects: alerts on saved searches (digests with one-click unsubscribe),
« Contacter cette structure » without ever showing its address, the read-only API with
the pages' filters, and the open-data page."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from clusters.models import ContactMessage, DirectoryEntry, Practice
from interclusters import services
from interclusters.models import SavedSearch
from tests.factories.accounts import UserFactory
from tests.factories.clusters import make_entry, make_practice

pytestmark = pytest.mark.django_db

SECRET_ADDRESS = "direction@pole-bois.example.org"


def later(**delta):
    """The digests' clock, this long from now."""
    return timezone.now() + timedelta(**delta)


def digest_to(address: str):
    return [m for m in mail.outbox if m.to == [address] and "Du nouveau" in m.subject]


# --- Alerts ----------------------------------------------------------------------------


def test_a_saved_search_sends_what_is_new_and_nothing_older(
    member_client, member, directory, themes, django_capture_on_commit_callbacks
):
    old = make_practice("Scierie mobile partagée", lead=directory["bois"],
                        themes=[themes["bois-foret"]])  # fmt: skip
    response = member_client.post(
        "/compte/alertes/creer/",
        {"kind": "practices", "query": "theme=bois-foret&page=2", "name": "Filière bois",
         "frequency": "daily"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"] == "/pratiques/?theme=bois-foret"
    alert = SavedSearch.objects.get(user=member)
    assert alert.query == "theme=bois-foret"
    new = make_practice("Charpente en bois local pour les écoles", lead=directory["bois"],
                        themes=[themes["bois-foret"]])  # fmt: skip
    other = make_practice("Circuits courts des cantines", lead=directory["pays"],
                          themes=[themes["agroalimentaire"]])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert services.alert_digests_send(now=later(days=1)) == 1
    [digest] = digest_to(member.email)
    assert digest.subject == "Du nouveau : Filière bois"
    assert new.title in digest.body
    assert old.title not in digest.body
    assert other.title not in digest.body
    assert "Coopérations pour le bois local" not in digest.body  # published before
    unsubscribe = digest.extra_headers["List-Unsubscribe"].strip("<>")
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in digest.body
    # Run again: nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.alert_digests_send(now=later(days=1, hours=1)) == 0

    # One click from the mail client, without signing in and without a CSRF token.
    path = unsubscribe.split("://", 1)[1].split("/", 1)[1]
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.get(f"/{path}").status_code == 200  # a page that asks, no change
    assert SavedSearch.objects.filter(pk=alert.pk).exists()
    response = anonymous.post(f"/{path}", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Vous ne recevrez plus l" in response.content.decode()
    assert not SavedSearch.objects.exists()
    assert anonymous.get(f"/{path}").status_code == 404


def test_weekly_alerts_wait_a_week_and_unconfirmed_addresses_get_nothing(
    directory, themes, django_capture_on_commit_callbacks
):
    weekly_person = UserFactory()
    unconfirmed = UserFactory(verified_email=False)
    weekly = services.alert_create(user=weekly_person, kind="practices", name="Bois",
                                   query="theme=bois-foret", frequency="weekly")  # fmt: skip
    daily = services.alert_create(user=unconfirmed, kind="practices", name="Bois",
                                  query="theme=bois-foret", frequency="daily")  # fmt: skip
    make_practice("Bardage en douglas", lead=directory["bois"], themes=[themes["bois-foret"]])
    assert weekly.frequency != daily.frequency
    with django_capture_on_commit_callbacks(execute=True):
        assert services.alert_digests_send(now=later(days=2)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.alert_digests_send(now=later(days=7)) == 1
    assert digest_to(weekly_person.email)
    assert not digest_to(unconfirmed.email)


def test_alerts_refuse_bad_searches_doubles_and_other_peoples_alerts(
    member_client, member, outsider, directory
):
    bad = {"kind": "practices", "query": "type=pas-un-type", "name": "X", "frequency": "daily"}
    response = member_client.post("/compte/alertes/creer/", bad)
    assert response.status_code == 422
    assert "filtres invalides" in response.content.decode()
    good = {**bad, "query": "q=bois"}
    assert member_client.post("/compte/alertes/creer/", good).status_code == 302
    again = member_client.post("/compte/alertes/creer/", {**good, "name": "Encore"})
    assert again.status_code == 422
    assert "déjà une alerte" in again.content.decode()
    mine = SavedSearch.objects.get(user=member)
    theirs = Client()
    theirs.force_login(outsider)
    assert theirs.post(f"/compte/alertes/{mine.pk}/supprimer/").status_code == 404
    assert theirs.post(f"/compte/alertes/{mine.pk}/", {f"a{mine.pk}-name": "x"}).status_code == 404
    assert Client().post("/compte/alertes/creer/", good).status_code == 302  # to sign in
    assert member_client.get("/compte/alertes/").status_code == 200
    assert member_client.post(f"/compte/alertes/{mine.pk}/supprimer/").status_code == 302
    assert not SavedSearch.objects.exists()


def test_a_representative_hears_of_new_potential_partners(
    client, representative, directory, themes, places, django_capture_on_commit_callbacks
):
    from clusters.services import membership_add

    membership_add(user=representative, entry=directory["bois"])
    client.force_login(representative)
    response = client.post("/compte/alertes/creer/", {
        "kind": "partners", "entry": directory["bois"].slug, "name": "Partenaires",
        "frequency": "weekly",
    })  # fmt: skip
    assert response.status_code == 302
    alert = SavedSearch.objects.get(kind="partners")
    newcomer = make_entry("Fablab urbain du bois", setting="urban", commune=places["lyon"],
                          themes=[themes["bois-foret"]])  # fmt: skip
    make_entry("Autre cluster rural du bois", setting="rural", themes=[themes["bois-foret"]])
    assert alert.frequency == "weekly"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.alert_digests_send(now=later(days=7)) == 1
    [digest] = digest_to(representative.email)
    assert newcomer.name in digest.body
    assert "Autre cluster rural" not in digest.body
    # Someone who does not represent the structure cannot follow it.
    other = Client()
    other.force_login(UserFactory())
    refused = other.post("/compte/alertes/creer/", {
        "kind": "partners", "entry": directory["bois"].slug, "name": "X", "frequency": "daily",
    })  # fmt: skip
    assert refused.status_code == 422


def test_list_pages_offer_to_save_the_search(member_client, directory):
    page = member_client.get("/pratiques/?theme=bois-foret").content.decode()
    assert 'action="/compte/alertes/creer/"' in page
    assert 'name="query" value="theme=bois-foret"' in page
    assert "Connectez-vous" in Client().get("/annuaire/").content.decode()
    assert 'value="agenda"' in member_client.get("/agenda/").content.decode()


# --- Contacting a structure ------------------------------------------------------------


@pytest.fixture
def reachable(directory):
    entry = directory["bois"]
    DirectoryEntry.objects.filter(pk=entry.pk).update(email=SECRET_ADDRESS)
    entry.refresh_from_db()
    return entry


CONTACT = "/annuaire/structures/pole-bois-montagne/contacter/"
MESSAGE = {"subject": "Un projet de bardage", "message": "Bonjour, nous cherchons une scierie."}


def test_a_member_writes_to_a_structure_that_answers_them_directly(
    member_client, member, reachable, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(CONTACT, MESSAGE)
    assert response.status_code == 302
    to_structure = [m for m in mail.outbox if m.to == [SECRET_ADDRESS]]
    copy = [m for m in mail.outbox if m.to == [member.email]]
    assert len(to_structure) == 1
    assert len(copy) == 1
    assert to_structure[0].reply_to == [member.email]
    assert "nous cherchons une scierie" in to_structure[0].body
    assert SECRET_ADDRESS not in copy[0].body
    assert ContactMessage.objects.filter(entry=reachable, sender=member).count() == 1
    assert not hasattr(ContactMessage, "message")  # the content is not kept


def test_the_address_never_appears_in_a_page_an_export_or_the_api(member_client, reachable):
    for url in (
        "/annuaire/structures/pole-bois-montagne/", CONTACT, "/annuaire/export.csv",
        "/annuaire/export.xlsx", "/annuaire/export.geojson", "/api/structures/",
        "/api/structures/pole-bois-montagne/", "/carte/donnees.geojson", "/recherche/?q=bois",
    ):  # fmt: skip
        for who in (Client(), member_client):
            response = who.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert SECRET_ADDRESS.encode() not in body, url


def test_the_eleventh_message_in_an_hour_is_refused_politely(member_client, reachable, settings):
    codes = [member_client.post(CONTACT, MESSAGE).status_code for _ in range(11)]
    assert codes[:10] == [302] * 10
    assert codes[10] == 429
    page = member_client.post(CONTACT, MESSAGE).content.decode()
    assert "la limite de 10 envois par heure" in page


def test_a_structure_is_not_flooded_by_many_members(reachable, settings):
    settings.CONTACT_ENTRY_RATE = "3/d"
    codes = []
    for _ in range(4):
        sender = Client()
        sender.force_login(UserFactory())
        codes.append(sender.post(CONTACT, MESSAGE).status_code)
    assert codes == [302, 302, 302, 429]


def test_contacting_needs_a_confirmed_member_and_a_willing_structure(member_client, reachable):
    assert Client().get(CONTACT).headers["Location"].startswith("/compte/connexion/")
    unconfirmed = Client()
    unconfirmed.force_login(UserFactory(verified_email=False))
    assert unconfirmed.post(CONTACT, MESSAGE).status_code == 403
    assert member_client.post(CONTACT, {"subject": "", "message": "court"}).status_code == 422
    DirectoryEntry.objects.filter(pk=reachable.pk).update(accepts_messages=False)
    page = member_client.get(CONTACT)
    assert "ne reçoit pas de messages par le portail" in page.content.decode()
    assert member_client.post(CONTACT, MESSAGE).status_code == 403
    assert (
        "Contacter cette structure"
        not in member_client.get("/annuaire/structures/pole-bois-montagne/").content.decode()
    )
    assert not ContactMessage.objects.exists()


def test_staff_see_how_many_messages_a_structure_received(member_client, reachable, staff_client):
    member_client.post(CONTACT, MESSAGE)
    admin = UserFactory(is_staff=True, is_superuser=True)
    staff_client.force_login(admin)
    page = staff_client.get(f"/admin/clusters/organisation/{reachable.pk}/change/")
    assert "1 en tout, dont 1 ces 30 derniers jours" in page.content.decode()
    listing = staff_client.get("/admin/clusters/contactmessage/").content.decode()
    assert "Pôle Bois Montagne" in listing
    assert "nous cherchons une scierie" not in listing


# --- The API and the open data ---------------------------------------------------------


def slugs_on_page(client, url: str) -> list[str]:
    html = client.get(url).content.decode()
    import re

    return re.findall(r'<h3 class="h5 mb-2"><a href="/pratiques/([^/]+)/"', html)


def test_the_api_answers_the_same_rows_as_the_page(client, directory, themes):
    for n in range(25):
        make_practice(f"Pratique bois numéro {n}", lead=directory["bois"],
                      themes=[themes["bois-foret"]])  # fmt: skip
    for query in ("theme=bois-foret", "theme=bois-foret&page=2", "q=bois", "q=bois&page=2",
                  "rural_urbain=true"):  # fmt: skip
        page = slugs_on_page(client, f"/pratiques/?{query}")
        answer = client.get(f"/api/pratiques/?{query}").json()
        assert [p["slug"] for p in answer["results"]] == page, query
        assert answer["licence"]["name"].startswith("Licence Ouverte")
    data = client.get("/api/pratiques/?theme=bois-foret").json()
    assert (
        data["meta"]["count"]
        == Practice.objects.filter(state="published", themes__slug="bois-foret").count()
    )
    assert data["meta"]["next"].endswith("page=2")
    structures = client.get("/api/structures/?milieu=rural").json()["results"]
    assert {s["slug"] for s in structures} == {"pole-bois-montagne"}
    assert structures[0]["commune"]["insee_code"] == "63003"


def test_the_api_shows_only_published_content(client, directory):
    hidden = directory["hidden"]
    assert client.get(f"/api/structures/{hidden.slug}/").status_code == 404
    names = [s["slug"] for s in client.get("/api/structures/?par_page=100").json()["results"]]
    assert hidden.slug not in names
    proposed = Practice.objects.exclude(state="published").first()
    assert client.get(f"/api/pratiques/{proposed.slug}/").status_code == 404
    slugs = [p["slug"] for p in client.get("/api/pratiques/?par_page=100").json()["results"]]
    assert proposed.slug not in slugs


def test_the_api_refuses_bad_input_with_a_4xx(client, directory):
    assert client.get("/api/pratiques/?type=nimporte").status_code == 400
    assert client.get("/api/pratiques/?page=abc").status_code == 422
    assert client.get("/api/pratiques/?par_page=100000").status_code == 200  # capped
    assert client.get("/api/structures/inconnue/").status_code == 404


def test_the_api_is_rate_limited(client, directory, settings):
    settings.API_RATE = "3/m"
    codes = [client.get(f"/api/structures/?page={n}").status_code for n in range(1, 5)]
    assert codes == [200, 200, 200, 429]


def test_the_api_runs_the_same_queries_whatever_the_number_of_rows(
    client, directory, themes, django_assert_max_num_queries, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    for path in ("/api/pratiques/?par_page=1", "/api/structures/?par_page=1"):
        client.get(path)  # the process reads the reference data it keeps
    with django_assert_max_num_queries(8):
        client.get("/api/pratiques/?par_page=5")
    for n in range(30):
        make_practice(f"Encore une pratique {n}", lead=directory["bois"],
                      partners=[directory["labo"]], themes=[themes["bois-foret"]])  # fmt: skip
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/pratiques/?par_page=50").json()["results"]) == 32
    with django_assert_max_num_queries(8):
        client.get("/api/structures/?par_page=100")


def test_the_openapi_document_validates(client, db):
    from openapi_spec_validator import validate

    document = client.get("/api/openapi.json").json()
    validate(document)
    assert {"/api/structures/", "/api/pratiques/", "/api/evenements/",
            "/api/mementos/"} <= set(document["paths"])  # fmt: skip
    assert client.get("/api/docs/").status_code == 200


def test_the_open_data_page_lists_every_dataset_with_its_licence(client, directory):
    html = client.get("/donnees-ouvertes/").content.decode()
    for title in ("Annuaire des clusters", "Pratiques innovantes", "Agenda du séminaire",
                  "Mémentos de bonnes pratiques", "Liens de coopération"):  # fmt: skip
        assert title in html
    assert html.count("Licence Ouverte") >= 5
    assert "/api/openapi.json" in html
    catalogue = json.loads(client.get("/donnees-ouvertes/?format=json").content)
    assert catalogue["licence"]["url"].startswith("https://www.etalab.gouv.fr/")
    assert len(catalogue["datasets"]) == 5
    for dataset in catalogue["datasets"]:
        for fmt in dataset["formats"]:
            assert client.get(fmt["url"].replace("http://testserver", "")).status_code == 200


def test_api_answers_are_cached_for_anonymous_clients_like_the_pages(directory, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300  # off in the rest of the suite
    anonymous = Client()
    first = anonymous.get("/api/pratiques/?theme=bois-foret")
    assert "X-Page-Cache" not in first
    again = anonymous.get("/api/pratiques/?theme=bois-foret")
    assert again["X-Page-Cache"] == "hit"
    assert again.json() == first.json()
