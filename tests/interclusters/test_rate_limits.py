"""Forms that could be abused are rate-limited: beyond the limit, a 429 page."""

import pytest
from django.test import Client

from tests.factories.events import make_event

pytestmark = pytest.mark.django_db


def test_sign_in_attempts_are_limited_per_address(settings, member):
    settings.SIGN_IN_RATE = "3/m"
    client = Client()
    codes = [
        client.post(
            "/compte/connexion/", {"username": f"x{n}@exemple.fr", "password": "x"}
        ).status_code
        for n in range(4)
    ]
    assert codes[:3] == [422, 422, 422]
    assert codes[3] == 429
    assert "Trop de requêtes" in client.post("/compte/connexion/", {}).content.decode()


def test_sign_ups_are_limited_per_address(settings):
    settings.SIGN_UP_RATE = "2/m"
    client = Client()
    codes = [client.post("/compte/inscription/", {"email": "pas"}).status_code for _ in range(3)]
    assert codes == [422, 422, 429]


def test_registrations_and_proposals_are_limited_per_person(settings, member_client, directory):
    settings.REGISTRATION_RATE = "2/m"
    settings.PROPOSAL_RATE = "2/m"
    event = make_event()
    url = f"/agenda/{event.slug}/inscription/"
    codes = [member_client.post(url, {}).status_code for _ in range(3)]
    assert codes[-1] == 429
    codes = [member_client.post("/pratiques/proposer/", {}).status_code for _ in range(3)]
    assert codes[-1] == 429
    # Reading is never limited.
    assert member_client.get(url).status_code == 200


def test_the_429_page_says_the_real_limit_and_wait(settings):
    settings.SIGN_UP_RATE = "2/h"
    client = Client()
    for _ in range(2):
        client.post("/compte/inscription/", {"email": "pas"})
    page = client.post("/compte/inscription/", {"email": "pas"})
    assert page.status_code == 429
    html = page.content.decode()
    assert "la limite de 2 envois par heure" in html
    assert "dans une heure au plus" in html
    assert "Patientez une minute" not in html
    settings.SIGN_IN_RATE = "3/m"
    for _ in range(3):
        client.post("/compte/connexion/", {"username": "x@exemple.fr", "password": "x"})
    page = client.post("/compte/connexion/", {"username": "x@exemple.fr", "password": "x"})
    assert "3 envois par minute" in page.content.decode()
    assert "dans une minute au plus" in page.content.decode()
