"""Forms that could be abused are rate-limited: beyond the limit, a 429 page."""

import pytest
from django.test import Client

from tests.factories.events import make_event

pytestmark = pytest.mark.django_db


def limits(settings, **rates):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, **rates}


def test_sign_in_attempts_are_limited_per_address(settings, member):
    limits(settings, login="3/m/ip")
    client = Client()
    codes = [
        client.post(
            "/compte/connexion/", {"login": f"x{n}@exemple.fr", "password": "x"}
        ).status_code
        for n in range(4)
    ]
    assert codes == [422, 422, 422, 429]
    assert "3 envois par minute" in client.post("/compte/connexion/", {}).content.decode()


def test_sign_ups_are_limited_per_address(settings):
    limits(settings, signup="2/m/ip")
    client = Client()
    codes = [client.post("/compte/inscription/", {"email": "pas"}).status_code for _ in range(3)]
    assert codes == [422, 422, 429]


def test_confirmation_links_are_not_resent_more_than_once_in_three_minutes(
    settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.factories.accounts import UserFactory

    user = UserFactory(verified_email=False)
    client = Client()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post("/compte/adresse/", {"action_send": "", "email": user.email})
    assert len(mail.outbox) == 1


def test_second_factor_codes_are_limited_per_account(settings, staff_editor, password):
    """Guessing a six-digit code: five wrong codes and the account's sign-in is locked."""
    client = Client()
    response = client.post(
        "/compte/connexion/", {"login": staff_editor.email, "password": password}
    )
    assert response.headers["Location"] == "/compte/2fa/authenticate/"
    codes = [
        client.post("/compte/2fa/authenticate/", {"code": "000000"}).status_code for _ in range(6)
    ]
    assert codes[:5] == [422] * 5
    html = client.post("/compte/2fa/authenticate/", {"code": "000000"}).content.decode()
    assert "Trop de tentatives" in html or "trop" in html.lower()


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
    limits(settings, signup="2/h/ip", login="3/m/ip")
    client = Client()
    for _ in range(2):
        client.post("/compte/inscription/", {"email": "pas"})
    page = client.post("/compte/inscription/", {"email": "pas"})
    assert page.status_code == 429
    html = page.content.decode()
    assert "la limite de 2 envois par heure" in html
    assert "dans une heure au plus" in html
    for _ in range(3):
        client.post("/compte/connexion/", {"login": "x@exemple.fr", "password": "x"})
    page = client.post("/compte/connexion/", {"login": "x@exemple.fr", "password": "x"})
    assert "3 envois par minute" in page.content.decode()
    assert "dans une minute au plus" in page.content.decode()
