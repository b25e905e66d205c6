"""Anonymous visitors' copies of public pages: served from cache, retired by any change,
never shared with signed-in people, and carrying each visitor's own CSRF token."""

import re
import time

import pytest
from django.core.cache import caches
from django.db.models import F
from django.test import Client

from tests.factories.accounts import signup_data
from tests.markers import REAL_TRANSACTIONS

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


def test_a_second_visit_is_served_from_the_cache_with_two_queries(
    client, directory, django_assert_num_queries
):
    first = client.get("/annuaire/")
    assert first.status_code == 200
    assert "X-Page-Cache" not in first
    # In the process that made the copy: no query at all.
    with django_assert_num_queries(0):
        again = client.get("/annuaire/")
    assert again["X-Page-Cache"] == "hit"
    # In another process (its own memory empty): the versions of the kinds of content
    # the page shows, then the copy (the shared cache lives in PostgreSQL).
    caches["local"].clear()
    with django_assert_num_queries(2):
        second = client.get("/annuaire/")
    assert second["X-Page-Cache"] == "hit"
    assert "Pôle Bois Montagne" in second.content.decode()
    # The security headers are those of a fresh page.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"
    nonces = re.findall(r'nonce="([^"]+)"', second.content.decode())
    assert nonces
    assert nonces[0] not in first.content.decode()  # the visitor's own nonce


@REAL_TRANSACTIONS
def test_a_committed_change_anywhere_retires_the_copies(client, reference_data, directory):
    client.get("/annuaire/")
    assert client.get("/annuaire/")["X-Page-Cache"] == "hit"
    entry = directory["bois"]
    entry.name = "Pôle Bois Renommé"
    entry.save()
    page = client.get("/annuaire/")
    assert "X-Page-Cache" not in page
    assert "Pôle Bois Renommé" in page.content.decode()


@REAL_TRANSACTIONS
def test_a_successful_form_post_retires_the_copies(client, reference_data, directory):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    signed_up = client.post("/compte/inscription/", signup_data())  # a new network member
    assert signed_up.status_code == 302
    client.logout()
    page = client.get("/")
    assert "X-Page-Cache" not in page
    assert page.context["figures"]["members"] == 1


@REAL_TRANSACTIONS
def test_signing_in_or_switching_language_keeps_the_copies(
    client, reference_data, directory, member, password
):
    client.get("/annuaire/")
    signed_in = Client().post("/compte/connexion/", {"login": member.email, "password": password})
    assert signed_in.status_code == 302
    switched = Client().post("/i18n/setlang/", {"language": "fr", "next": "/annuaire/"})
    assert switched.status_code == 302
    assert client.get("/annuaire/")["X-Page-Cache"] == "hit"


def test_signed_in_people_never_get_or_leave_a_copy(client, directory, member):
    client.get("/annuaire/")
    client.force_login(member)
    page = client.get("/annuaire/")
    assert "X-Page-Cache" not in page
    assert "/compte/deconnexion/" in page.content.decode()
    client.logout()
    anonymous = Client().get("/annuaire/")
    assert anonymous["X-Page-Cache"] == "hit"
    assert "/compte/deconnexion/" not in anonymous.content.decode()


def test_each_visitor_gets_a_working_csrf_token_of_their_own(directory):
    Client(enforce_csrf_checks=True).get("/annuaire/")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/annuaire/")
    assert page["X-Page-Cache"] == "hit"
    tokens = TOKEN.findall(page.content.decode())
    assert tokens
    assert "\x00" not in page.content.decode()
    assert "csrftoken" in page.cookies
    switched = visitor.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/annuaire/", "csrfmiddlewaretoken": tokens[0]},
    )
    assert switched.status_code == 302


def test_english_and_french_copies_are_kept_apart(client, directory):
    client.get("/annuaire/")
    english = Client()
    english.cookies["interclusters_language"] = "en"
    page = english.get("/annuaire/")
    assert "X-Page-Cache" not in page
    assert page["Content-Language"] == "en"
    assert english.get("/annuaire/")["Content-Language"] == "en"
    assert client.get("/annuaire/")["Content-Language"] == "fr"


def test_private_and_failed_pages_are_never_cached(client, directory):
    for _ in range(2):
        assert "X-Page-Cache" not in client.get("/compte/connexion/")
        assert client.get("/annuaire/structures/cluster-cache/").status_code == 404
        assert "X-Page-Cache" not in client.get("/annuaire/structures/cluster-cache/")


def test_the_cache_can_be_turned_off(client, directory, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get("/annuaire/")
    assert "X-Page-Cache" not in client.get("/annuaire/")


@REAL_TRANSACTIONS
def test_a_change_retires_only_the_pages_that_show_its_kind(client, reference_data, directory):
    """A survey's change leaves the directory's copies in place; the directory's change
    retires the directory, the calendar (its organisers) and the home page, not the
    surveys' pages."""
    from surveys import services as survey_services
    from tests.factories.surveys import definition

    for url in ("/annuaire/", "/agenda/", "/", "/enquetes/"):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    survey_services.survey_load(definition(results_public=True))
    assert client.get("/annuaire/")["X-Page-Cache"] == "hit"
    assert client.get("/agenda/")["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in client.get("/enquetes/")
    assert "X-Page-Cache" not in client.get("/")  # the home page shows every kind
    client.get("/")
    entry = directory["bois"]
    entry.name = "Pôle Bois Renommé"
    entry.save()
    for url in ("/annuaire/", "/agenda/", "/"):
        assert "X-Page-Cache" not in client.get(url), url
    assert client.get("/enquetes/")["X-Page-Cache"] == "hit"


@REAL_TRANSACTIONS
def test_a_form_post_retires_the_kind_of_its_app_only(
    client, reference_data, directory, staff_editor
):
    """A form post may write without signals (a bulk update): it retires the kind of its
    app, in the admin that of the model's app, and only that."""
    from surveys import services as survey_services
    from tests.factories.surveys import definition

    survey, _ = survey_services.survey_load(definition(results_public=True))
    for url in ("/annuaire/", "/enquetes/"):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    staff = Client()
    staff.force_login(staff_editor)
    # A survey's form sent back with its errors: a post that succeeded, writing nothing.
    answered = staff.post(f"/admin/surveys/survey/{survey.pk}/change/", {"title": ""})
    assert answered.status_code == 200
    assert client.get("/annuaire/")["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in client.get("/enquetes/")


def test_a_change_committed_by_another_process_shows_within_a_second(client, directory, settings):
    from core.models import ContentVersion

    settings.CONTENT_VERSIONS_SECONDS = 1  # as in production (the suite trusts them longer)
    client.get("/annuaire/")
    assert client.get("/annuaire/")["X-Page-Cache"] == "hit"
    # Another process commits a change: here, only the versions in the database move.
    ContentVersion.objects.filter(kind="directory").update(counter=F("counter") + 1)
    # This process still trusts the versions it read less than a second ago...
    assert client.get("/annuaire/")["X-Page-Cache"] == "hit"
    # ...then reads them again (the second has passed) and renders a fresh page.
    time.sleep(settings.CONTENT_VERSIONS_SECONDS + 0.1)
    assert "X-Page-Cache" not in client.get("/annuaire/")
