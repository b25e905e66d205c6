"""Accounts: sign-up, sign-in by email, brute-force lockout, password reset, profile."""

import re

import pytest
from django.core import mail

from interclusters.models import User
from tests.factories.accounts import signup_data

SIGNUP = "/compte/inscription/"
LOGIN = "/compte/connexion/"


def test_sign_up_creates_the_account_signs_in_and_opens_mon_espace(client, db):
    response = client.post(SIGNUP, signup_data(), follow=True)
    assert response.redirect_chain == [("/compte/", 302)]
    user = User.objects.get()
    assert user.email == "lea.moreau@exemple.fr"
    assert user.organisation_name == "Cluster Bois Auvergne"
    assert not user.is_staff
    html = response.content.decode()
    assert "Bienvenue ! Votre compte est créé." in html
    assert "Bonjour Léa" in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_name": "", "email": ""}, "Ce champ est obligatoire."),
        ({"last_name": "x" * 151}, "au plus 150 caractères"),
        ({"email": "lea.moreau@"}, "Saisissez une adresse de courriel valide."),
        ({"password2": "autre-chose-2015"}, "Les deux mots de passe ne sont pas identiques."),
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
    assert "Un compte existe déjà avec cette adresse e-mail." in response.content.decode()
    assert User.objects.count() == 1


def test_sign_in_by_email_ignores_case(client, member, password):
    response = client.post(LOGIN, {"username": "Membre@EXEMPLE.fr", "password": password})
    assert response.status_code == 302
    assert response.headers["Location"] == "/compte/"
    assert client.get("/compte/").status_code == 200


def test_wrong_password_gets_a_french_message_and_keeps_the_address(client, member):
    response = client.post(LOGIN, {"username": member.email, "password": "pas-le-bon"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Adresse e-mail ou mot de passe incorrect." in html
    assert f'value="{member.email}"' in html


def test_sign_in_is_locked_after_five_failures_even_with_the_right_password(
    client, member, password
):
    for _ in range(5):
        client.post(LOGIN, {"username": member.email, "password": "pas-le-bon"})
    response = client.post(LOGIN, {"username": member.email, "password": password})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Connexion temporairement bloquée" in html
    assert "15 minutes" in html
    assert "_auth_user_id" not in client.session


def test_another_account_is_not_locked_by_someone_elses_failures(
    client, member, outsider, password
):
    for _ in range(5):
        client.post(LOGIN, {"username": member.email, "password": "pas-le-bon"})
    response = client.post(LOGIN, {"username": outsider.email, "password": password})
    assert response.status_code == 302


def test_the_lockout_page_says_the_real_wait(client, member, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=42)
    for _ in range(6):
        page = client.post(LOGIN, {"username": member.email, "password": "pas-le-bon"})
    assert page.status_code == 429
    html = page.content.decode()
    assert "bloquée pendant 42 minutes" in html
    assert "15 minutes" not in html


def test_behind_a_proxy_a_lockout_holds_the_client_and_not_the_proxy(
    client, member, password, settings
):
    """The proxy's address is everybody's: locking it would lock every visitor out."""
    from axes.models import AccessAttempt

    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": member.email, "password": "pas-le-bon"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
            **proxy,
        )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]
    locked = client.post(
        LOGIN,
        {"username": member.email, "password": password},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        **proxy,
    )
    assert locked.status_code == 429
    elsewhere = client.post(
        LOGIN,
        {"username": member.email, "password": password},
        HTTP_X_FORWARDED_FOR="198.51.100.4",
        **proxy,
    )
    assert elsewhere.status_code == 302


def test_mon_espace_asks_anonymous_visitors_to_sign_in(client, db):
    response = client.get("/compte/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/compte/connexion/?next=/compte/"


def test_sign_out_needs_a_post(member_client):
    assert member_client.get("/compte/deconnexion/").status_code == 405
    response = member_client.post("/compte/deconnexion/")
    assert response.status_code == 302
    assert member_client.get("/compte/").status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(
    client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/mot-de-passe/oublie/", {"email": "MEMBRE@exemple.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert message.subject == "Interclusters : choisissez un nouveau mot de passe"
    assert message.alternatives[0][1] == "text/html"
    link = re.search(r"https?://testserver(/compte/mot-de-passe/nouveau/\S+/)", message.body)
    assert link, message.body
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "nouveau-secret-rural", "new_password2": "nouveau-secret-rural"},
    )
    assert response.status_code == 302
    response = client.post(LOGIN, {"username": member.email, "password": "nouveau-secret-rural"})
    assert response.status_code == 302


def test_password_reset_reveals_nothing_about_unknown_addresses(client, db):
    response = client.post("/compte/mot-de-passe/oublie/", {"email": "personne@exemple.fr"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/compte/mot-de-passe/oublie/envoye/"
    assert not mail.outbox


def test_a_used_reset_link_says_so(client, db):
    response = client.get("/compte/mot-de-passe/nouveau/MQ/abc-123/")
    assert response.status_code == 200
    assert "Ce lien n'est plus valable" in response.content.decode()


def test_password_change_needs_the_old_password(member_client, password):
    response = member_client.post(
        "/compte/mot-de-passe/",
        {
            "old_password": "pas-le-bon",
            "new_password1": "nouveau-secret-rural",
            "new_password2": "nouveau-secret-rural",
        },
    )
    assert response.status_code == 422
    assert "Votre ancien mot de passe est incorrect." in response.content.decode()
    response = member_client.post(
        "/compte/mot-de-passe/",
        {
            "old_password": password,
            "new_password1": "nouveau-secret-rural",
            "new_password2": "nouveau-secret-rural",
        },
    )
    assert response.status_code == 302
    assert member_client.get("/compte/").status_code == 200


def test_profile_edit_saves_and_refuses_another_accounts_address(member_client, member, outsider):
    response = member_client.post(
        "/compte/profil/",
        {
            "first_name": "Marie",
            "last_name": "Durand-Roux",
            "email": "Marie.Durand@exemple.fr",
            "organisation_name": "PETR du Pays de Langres",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.last_name == "Durand-Roux"
    assert member.email == "marie.durand@exemple.fr"
    response = member_client.post(
        "/compte/profil/",
        {"first_name": "Marie", "last_name": "D", "email": outsider.email.upper()},
    )
    assert response.status_code == 422
    assert "Un autre compte utilise déjà cette adresse e-mail." in response.content.decode()
    member.refresh_from_db()
    assert member.last_name == "Durand-Roux"


def test_user_addresses_are_unique_in_the_database_whatever_the_case(member):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="MEMBRE@EXEMPLE.FR", first_name="X")])
