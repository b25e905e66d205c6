"""Accounts on django-allauth: sign-up with a confirmed address, sign-in by email with
failed attempts counted per account and per address, password reset lifting a lockout,
re-authentication before sensitive changes, profile."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from interclusters.models import User
from tests.factories.accounts import signup_data
from tests.factories.events import make_event

SIGNUP = "/compte/inscription/"
LOGIN = "/compte/connexion/"
RESET = "/compte/mot-de-passe/oublie/"


def sign_in(client, email, password, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def link_in(message, path_pattern: str) -> str:
    found = re.search(r"https?://[^/\s]+(" + path_pattern + r")", message.body)
    assert found, message.body
    return found.group(1)


def test_sign_up_creates_an_unconfirmed_account_and_sends_the_link(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data(), follow=True)
    assert response.redirect_chain[-1] == ("/compte/", 302)
    user = User.objects.get()
    assert user.email == "lea.moreau@exemple.fr"
    assert (user.first_name, user.organisation_name) == ("Léa", "Cluster Bois Auvergne")
    assert not user.is_staff
    assert not EmailAddress.objects.get(user=user).verified
    html = response.content.decode()
    assert "Bonjour Léa" in html
    assert "à confirmer" in html
    [message] = mail.outbox
    assert message.to == ["lea.moreau@exemple.fr"]
    assert message.subject == "[Interclusters] Confirmez votre adresse e-mail"
    assert "http://testserver/compte/confirm-email/" in message.body


def test_an_unconfirmed_account_cannot_register_nor_propose_until_it_follows_the_link(
    client, db, directory, django_capture_on_commit_callbacks
):
    event = make_event()
    register = f"/agenda/{event.slug}/inscription/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, signup_data())
    for url in (register, "/pratiques/proposer/"):
        refused = client.get(url)
        assert refused.status_code == 403
        assert "Vérifiez votre adresse e-mail" in refused.content.decode()
    assert client.post(register, {}).status_code == 403

    confirm = link_in(mail.outbox[0], r"/compte/confirm-email/\S+/")
    assert client.get(confirm).status_code == 200
    response = client.post(confirm)
    assert response.status_code == 302
    assert EmailAddress.objects.get().verified
    assert client.get(register).status_code == 200
    assert client.get("/pratiques/proposer/").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_name": "", "email": ""}, "Ce champ est obligatoire."),
        ({"last_name": "x" * 151}, "au plus 150 caractères"),
        ({"email": "lea.moreau@"}, "Saisissez une adresse"),
        ({"password2": "autre-chose-2015"}, "Vous devez saisir deux fois le même mot de passe."),
        ({"first_name": "<b>Léa</b>"}, "Les balises HTML ne sont pas acceptées dans ce champ."),
        ({"organisation_name": "<script>alert(1)</script>"}, "Les balises HTML ne sont pas"),
        ({"password1": "12345678901", "password2": "12345678901"}, "entièrement numérique"),
        ({"password1": "Zq9-x", "password2": "Zq9-x"}, "trop court"),
    ],
)
def test_sign_up_bad_input_gets_a_french_message_and_keeps_what_was_typed(
    client, db, overrides, message
):
    data = signup_data(**overrides)
    response = client.post(SIGNUP, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert "Le formulaire contient" in html
    for field in ("first_name", "last_name", "email", "organisation_name"):
        if data[field] and "<" not in data[field] and len(data[field]) < 151:
            assert f'value="{data[field]}"' in html
    assert data["password1"] not in html
    assert not User.objects.exists()


def test_sign_up_refuses_an_address_already_used_whatever_its_case(client, member):
    response = client.post(SIGNUP, signup_data(email="MEMBRE@exemple.fr"))
    assert response.status_code == 422
    assert "Un autre utilisateur utilise déjà cette adresse e-mail." in response.content.decode()
    assert User.objects.count() == 1


def test_sign_in_by_email_ignores_case(client, member, password):
    response = sign_in(client, "Membre@EXEMPLE.fr", password)
    assert response.status_code == 302
    assert response.headers["Location"] == "/compte/"
    assert client.get("/compte/").status_code == 200


def test_a_wrong_password_says_how_many_attempts_are_left_and_keeps_the_address(client, member):
    response = sign_in(client, member.email, "pas-le-bon")
    assert response.status_code == 422
    html = response.content.decode()
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in html
    assert "Il vous reste 4 tentatives" in html
    assert f'value="{member.email}"' in html
    html = sign_in(client, member.email, "pas-le-bon").content.decode()
    assert "Il vous reste 3 tentatives" in html


def test_five_failures_lock_the_account_even_with_the_right_password_and_say_the_wait(
    client, member, password, settings
):
    settings.LOGIN_FAILURE_MINUTES = 42
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS,
                                    "login_failed": "20/m/ip,5/42m/key"}  # fmt: skip
    for _ in range(4):
        sign_in(client, member.email, "pas-le-bon")
    last = sign_in(client, member.email, "pas-le-bon").content.decode()
    assert "C&#x27;était la dernière tentative" in last
    response = sign_in(client, member.email, password)
    assert response.status_code == 429
    html = response.content.decode()
    assert "bloquée pendant encore 42 minutes" in html
    assert "_auth_user_id" not in client.session


def test_another_account_is_not_locked_by_someone_elses_failures(
    client, member, outsider, password
):
    for _ in range(5):
        sign_in(client, member.email, "pas-le-bon")
    assert sign_in(client, outsider.email, password).status_code == 302


def test_a_password_reset_lifts_the_lockout(
    client, member, password, django_capture_on_commit_callbacks
):
    for _ in range(6):
        sign_in(client, member.email, "pas-le-bon")
    assert sign_in(client, member.email, password).status_code == 429
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(RESET, {"email": "MEMBRE@exemple.fr"}).status_code == 302
    [message] = mail.outbox
    link = link_in(message, r"/compte/password/reset/key/\S+/")
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url, {"password1": "nouveau-secret-rural", "password2": "nouveau-secret-rural"}
    )
    assert response.status_code == 302
    client.post("/compte/deconnexion/")
    assert sign_in(client, member.email, "nouveau-secret-rural").status_code == 302


def test_thirty_reset_requests_in_a_minute_do_not_send_thirty_emails(
    client, member, django_capture_on_commit_callbacks
):
    """Three requests an hour per address (the same link is not sent twice); beyond, the
    429 page names the limit."""
    with django_capture_on_commit_callbacks(execute=True):
        codes = [client.post(RESET, {"email": member.email}).status_code for _ in range(30)]
    assert 1 <= len(mail.outbox) <= 3
    assert codes[:3] == [302, 302, 302]
    assert set(codes[3:]) == {429}


def test_reset_reveals_nothing_about_unknown_addresses(client, db):
    response = client.post(RESET, {"email": "personne@exemple.fr"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/compte/password/reset/done/"


def test_a_broken_reset_link_says_so(client, db):
    response = client.get("/compte/password/reset/key/1-abc-123/", follow=True)
    assert response.status_code == 200
    assert "invalide" in response.content.decode()


def test_behind_a_proxy_the_address_limit_holds_the_client_and_not_the_proxy(client, db, settings):
    """The proxy's address is everybody's: limiting it would lock every visitor out."""
    settings.PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS,
                                    "login_failed": "3/m/ip,5/15m/key"}  # fmt: skip
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    codes = [
        sign_in(
            client, f"x{n}@exemple.fr", "x", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy
        ).status_code
        for n in range(4)
    ]
    assert codes == [422, 422, 422, 429]
    other = sign_in(client, "y@exemple.fr", "x", HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy)
    assert other.status_code == 422


def test_mon_espace_asks_anonymous_visitors_to_sign_in(client, db):
    response = client.get("/compte/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/compte/connexion/?next=/compte/"


def test_sign_out_needs_a_post(member_client):
    member_client.get("/compte/deconnexion/")
    assert member_client.get("/compte/").status_code == 200
    response = member_client.post("/compte/deconnexion/")
    assert response.status_code == 302
    assert member_client.get("/compte/").status_code == 302


def reauthenticate(client, password):
    return client.post("/compte/reauthenticate/", {"password": password})


def test_changing_the_password_asks_the_current_one(member_client, password):
    assert member_client.get("/compte/mot-de-passe/").status_code == 200
    data = {"oldpassword": "pas-le-bon", "password1": "nouveau-secret-rural",
            "password2": "nouveau-secret-rural"}  # fmt: skip
    assert member_client.post("/compte/mot-de-passe/", data).status_code == 422
    data["oldpassword"] = password
    assert member_client.post("/compte/mot-de-passe/", data).status_code == 302


def test_a_new_address_is_confirmed_before_it_replaces_the_old_one(
    member_client, member, password, django_capture_on_commit_callbacks
):
    add = {"action_add": "", "email": "Marie.Nouvelle@exemple.fr"}
    response = member_client.post("/compte/adresse/", add)
    assert response.headers["Location"].startswith("/compte/reauthenticate/")
    assert reauthenticate(member_client, "pas-le-bon").status_code == 422
    assert reauthenticate(member_client, password).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post("/compte/adresse/", add)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "membre@exemple.fr"
    [message] = mail.outbox
    assert message.to == ["marie.nouvelle@exemple.fr"]
    confirm = link_in(message, r"/compte/confirm-email/\S+/")
    member_client.post(confirm)
    member.refresh_from_db()
    assert member.email == "marie.nouvelle@exemple.fr"
    assert EmailAddress.objects.get(user=member, primary=True).verified


def test_deleting_the_account_asks_the_password_again(member_client, member, password):
    response = member_client.post("/compte/supprimer/", {"confirm": "on"})
    assert response.status_code == 302
    assert User.objects.filter(pk=member.pk).exists()
    reauthenticate(member_client, password)
    assert member_client.post("/compte/supprimer/", {}).status_code == 422
    assert member_client.post("/compte/supprimer/", {"confirm": "on"}).status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()


def test_profile_edit_saves_the_name_and_structure(member_client, member):
    response = member_client.post(
        "/compte/profil/",
        {"first_name": "Marie", "last_name": "Durand-Roux",
         "organisation_name": "PETR du Pays de Langres"},
    )  # fmt: skip
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.last_name, member.organisation_name) == (
        "Durand-Roux",
        "PETR du Pays de Langres",
    )
    response = member_client.post("/compte/profil/", {"first_name": "<i>M</i>", "last_name": "D"})
    assert response.status_code == 422


def test_user_addresses_are_unique_in_the_database_whatever_the_case(member):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="MEMBRE@EXEMPLE.FR", first_name="X")])
