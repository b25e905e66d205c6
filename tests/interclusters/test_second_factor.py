"""Staff accounts need a second factor (an authenticator app) before any page; the admin
signs in through the portal's door; members added by the team choose their password;
nobody unconfirmed is linked to a structure."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError

from interclusters.models import User
from tests.factories.accounts import PASSWORD, TOTP_SECRET, UserFactory, totp_code

LOGIN = "/compte/connexion/"


def test_staff_without_a_second_factor_reach_only_the_enrolment_page(client, db):
    editor = UserFactory(is_staff=True, second_factor=False, groups=["Équipe France Clusters"])
    client.force_login(editor)
    for path in ("/admin/", "/admin/clusters/practice/", "/", "/compte/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/compte/2fa/totp/activate/"), path
    page = client.get("/admin/", follow=True)
    assert "activez d&#x27;abord la double authentification" in page.content.decode()
    # Enrolment asks the password again, then shows the secret to scan.
    assert page.redirect_chain[-1][0].startswith("/compte/reauthenticate/")
    client.post("/compte/reauthenticate/", {"password": PASSWORD})
    assert client.get("/compte/2fa/totp/activate/").status_code == 200
    # Enrolling: the code of the app that scanned the page's secret.
    secret = client.session["mfa.totp.secret"]
    code = totp_code(secret)
    assert client.post("/compte/2fa/totp/activate/", {"code": "123456"}).status_code == 422
    response = client.post("/compte/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_members_are_never_asked_for_a_second_factor(member_client):
    assert member_client.get("/").status_code == 200
    assert member_client.get("/compte/").status_code == 200


def test_staff_sign_in_asks_the_code_of_their_app(client, staff_editor):
    response = client.post(LOGIN, {"login": staff_editor.email, "password": PASSWORD})
    assert response.headers["Location"] == "/compte/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not signed in yet
    assert client.post("/compte/2fa/authenticate/", {"code": "000000"}).status_code == 422
    response = client.post("/compte/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_removing_the_app_sends_staff_back_to_enrolment(client, staff_editor):
    client.post(LOGIN, {"login": staff_editor.email, "password": PASSWORD})
    client.post("/compte/2fa/authenticate/", {"code": totp_code()})
    assert client.get("/admin/").status_code == 200
    response = client.post("/compte/2fa/totp/deactivate/")
    assert "reauthenticate" in response.headers["Location"]  # proof first
    assert client.post("/compte/reauthenticate/", {"password": PASSWORD}).status_code == 302
    response = client.post("/compte/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert staff_editor.authenticator_set.filter(type="totp").count() == 0
    response = client.get("/admin/")
    assert response.headers["Location"].startswith("/compte/2fa/totp/activate/")


def test_the_admin_has_one_door_the_portals_sign_in(client, staff_editor):
    response = client.get("/admin/login/?next=/admin/clusters/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/compte/connexion/?next=%2Fadmin%2Fclusters%2F"
    # Its form no longer signs anybody in: no password check without limits or code.
    response = client.post("/admin/login/", {"username": staff_editor.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").headers["Location"].startswith("/admin/login/")


def test_a_signed_in_member_gets_a_403_from_the_admin(member_client):
    response = member_client.get("/admin/login/")
    assert response.status_code == 403


def test_pages_refuse_powerful_browser_features(client, db):
    policy = client.get("/a-propos/").headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    assert "publickey-credentials-get=(self)" in policy


def test_a_member_added_by_the_team_chooses_a_password_and_confirms_the_address(
    client, db, django_capture_on_commit_callbacks
):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/interclusters/user/add/",
            {"email": "Nouvelle@Exemple.fr", "first_name": "Anne", "last_name": "Vidal",
             "organisation_name": "Pays de Gex", "_save": "1"},
        )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    person = User.objects.get(email="nouvelle@exemple.fr")
    assert not person.has_usable_password()
    assert not EmailAddress.objects.get(user=person).verified
    [message] = mail.outbox
    assert message.to == ["nouvelle@exemple.fr"]
    assert message.subject == "Votre compte Interclusters : choisissez votre mot de passe"
    link = re.search(r"https?://[^/\s]+(/compte/password/reset/key/\S+/)", message.body).group(1)
    client.logout()
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form_url, {"password1": "bocage-et-metropole", "password2": "bocage-et-metropole"}
        )
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=person).verified
    client.logout()
    assert (
        client.post(LOGIN, {"login": person.email, "password": "bocage-et-metropole"}).status_code
        == 302
    )


def test_nobody_unconfirmed_is_linked_to_a_structure(directory, staff_client):
    from clusters.models import DirectoryEntry
    from clusters.services import membership_add

    entry = DirectoryEntry.objects.first()
    newcomer = UserFactory(verified_email=False)
    with pytest.raises(ValidationError, match="pas encore confirmé son adresse"):
        membership_add(user=newcomer, entry=entry)
    admin = UserFactory(is_staff=True, is_superuser=True)
    staff_client.force_login(admin)
    response = staff_client.post(
        "/admin/clusters/membership/add/",
        {"user": newcomer.pk, "entry": entry.pk, "role": "representative"},
    )
    assert response.status_code == 200
    assert "pas encore confirmé son adresse" in response.content.decode()
    EmailAddress.objects.filter(user=newcomer).update(verified=True)
    assert membership_add(user=newcomer, entry=entry).entry == entry


def test_existing_accounts_get_their_address_when_accounts_move_to_allauth(db):
    """The data migration: people keep their account; staff addresses count as confirmed."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("interclusters.migrations.0011_accounts_email_addresses")
    member = UserFactory(email="ancien@exemple.fr")
    staff = UserFactory(email="equipe@exemple.fr", is_staff=True)
    EmailAddress.objects.all().delete()
    migration.addresses_from_accounts(apps, None)
    migration.addresses_from_accounts(apps, None)  # twice: nothing doubled
    rows = dict(EmailAddress.objects.values_list("user_id", "verified"))
    assert rows == {member.pk: False, staff.pk: True}
    assert EmailAddress.objects.filter(primary=True).count() == 2


@pytest.mark.parametrize("seconds_later", [0, 1, 30])
def test_the_code_of_the_moment_is_accepted_until_the_next_period_ends(monkeypatch, seconds_later):
    # The code the tests and `manage.py demo_code` give is the current period's: still
    # accepted when the server checks it after this period has ended (the previous
    # period's code, allauth's first counter, would have stopped working by then).
    from types import SimpleNamespace

    from allauth.mfa.totp.internal import auth

    start = (int(time.time()) // 30) * 30 + 29.5  # half a second before a period ends
    monkeypatch.setattr(auth, "time", SimpleNamespace(time=lambda: start))
    monkeypatch.setattr("devdata.demo.accounts.time", SimpleNamespace(time=lambda: start))
    code = totp_code(TOTP_SECRET)
    monkeypatch.setattr(auth, "time", SimpleNamespace(time=lambda: start + seconds_later))
    assert auth.validate_totp_code(TOTP_SECRET, code)
