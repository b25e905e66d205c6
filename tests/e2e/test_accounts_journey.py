"""Browser journeys for accounts and the site's frame."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.e2e.helpers import E2E, assert_accessible, sign_in
from tests.factories.accounts import PASSWORD, UserFactory, totp_code
from tests.factories.events import make_event

pytestmark = E2E


def mailed_link(pattern: str, to: str) -> str:
    message = [m for m in mail.outbox if m.to == [to]][-1]
    link = re.search(r"https?://[^/\s]+(" + pattern + r")", message.body)
    assert link, message.body
    return link.group(1)


def test_sign_up_confirm_the_address_then_register_for_an_event(page):
    event = make_event("Rencontres ville–campagne", workshops=(("Atelier bois", 10),))
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Créer un compte").first.click()
    expect(page).to_have_url(re.compile("/compte/inscription/$"))
    assert_accessible(page)

    # A first attempt with mismatched passwords keeps what was typed.
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Moreau")
    page.get_by_label("Adresse e-mail").fill("lea.moreau@exemple.fr")
    page.get_by_label("Structure (facultatif)").fill("PETR du Pays de Langres")
    passwords = page.locator("input[type=password]")
    passwords.nth(0).fill("coopération-rurale-2015")
    passwords.nth(1).fill("autre-chose-2015")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("alert").first).to_contain_text("deux fois le même mot de passe")
    expect(page.get_by_label("Prénom")).to_have_value("Léa")
    expect(page.get_by_label("Structure (facultatif)")).to_have_value("PETR du Pays de Langres")
    assert_accessible(page)

    passwords.nth(0).fill("coopération-rurale-2015")
    passwords.nth(1).fill("coopération-rurale-2015")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page).to_have_url(re.compile("/compte/$"))
    expect(page.get_by_role("heading", name="Mon espace")).to_be_visible()
    expect(page.get_by_text("à confirmer")).to_be_visible()
    assert_accessible(page)

    # Not yet: the address must be confirmed first.
    response = page.goto(f"/agenda/{event.slug}/inscription/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Vérifiez votre adresse e-mail")).to_be_visible()
    assert_accessible(page)

    page.goto(mailed_link(r"/compte/confirm-email/\S+/", "lea.moreau@exemple.fr"))
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("confirmée").first).to_be_visible()

    page.goto(f"/agenda/{event.slug}/inscription/")
    page.get_by_role("radio", name=re.compile("^Atelier bois")).check()
    page.get_by_role("checkbox", name=re.compile("J'accepte")).check()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_text("Inscription confirmée.")).to_be_visible()

    page.get_by_role("button", name="Se déconnecter").click()
    sign_in(page, "LEA.MOREAU@exemple.fr", "coopération-rurale-2015")
    expect(page.get_by_text("lea.moreau@exemple.fr")).to_be_visible()


def test_five_failures_lock_then_a_password_reset_lets_the_person_back_in(page):
    user = UserFactory(email="paul.roche@exemple.fr")
    page.goto("/compte/connexion/")
    for left in (4, 3, 2, 1):
        page.get_by_label("Adresse e-mail").fill(user.email)
        page.get_by_label("Mot de passe").fill("pas-le-bon")
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("alert").first).to_contain_text(f"Il vous reste {left} tentative")
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert").first).to_contain_text("bloquée pendant encore 15 minutes")
    assert_accessible(page)

    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.get_by_label("Adresse e-mail").fill("paul.roche@exemple.fr")
    page.get_by_role("button", name=re.compile("Réinitialiser|Recevoir")).click()
    expect(page).to_have_url(re.compile("/compte/password/reset/done/$"))
    assert_accessible(page)

    page.goto(mailed_link(r"/compte/password/reset/key/\S+/", user.email))
    passwords = page.locator("input[type=password]")
    passwords.nth(0).fill("bocage-et-metropole")
    passwords.nth(1).fill("bocage-et-metropole")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Modifier|Enregistrer|Changer")).click()
    expect(
        page.get_by_text(re.compile("mot de passe a été modifié|Mot de passe modifié", re.I)).first
    ).to_be_visible()

    sign_in(page, user.email, "bocage-et-metropole")
    expect(page.get_by_role("heading", name="Mon espace")).to_be_visible()


def test_language_switch_to_english_and_back(page):
    page.goto("/a-propos/")
    page.get_by_role("button", name=re.compile("^English")).click()
    expect(page).to_have_url(re.compile("/a-propos/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Funding")).to_be_visible()
    expect(page.get_by_role("link", name="About", exact=True)).to_be_visible()
    page.get_by_role("button", name=re.compile("^Français")).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Financement")).to_be_visible()


def test_keyboard_user_skips_to_content_and_uses_the_menu_on_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    menu = page.get_by_role("button", name="Menu")
    about = page.get_by_role("link", name="À propos", exact=True)
    expect(about).to_be_hidden()
    menu.click()
    expect(about).to_be_visible()
    assert_accessible(page)


def test_signed_in_pages_and_error_pages_are_accessible(page):
    user = UserFactory(email="ines.lambert@exemple.fr")
    sign_in(page, user.email, PASSWORD)
    page.goto("/compte/profil/")
    assert_accessible(page)
    page.goto("/compte/mot-de-passe/")
    assert_accessible(page)
    page.goto("/compte/2fa/")
    assert_accessible(page)
    response = page.goto("/nulle-part/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    assert_accessible(page)


def test_staff_sign_in_with_their_app_code_then_work_in_the_admin(page):
    from django.contrib.auth.models import Group

    editor = UserFactory(email="equipe@exemple.fr", is_staff=True)
    editor.groups.add(Group.objects.get(name="Équipe France Clusters"))
    page.goto("/admin/")
    expect(page).to_have_url(re.compile("/compte/connexion/"))
    page.get_by_label("Adresse e-mail").fill(editor.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile("/compte/2fa/authenticate/"))
    assert_accessible(page)
    submit_code = page.locator("form[action='/compte/2fa/authenticate/'] button[type=submit]")
    page.get_by_label("Code").fill("000000")
    submit_code.click()
    expect(page.get_by_role("alert").first).to_be_visible()
    page.get_by_label("Code").fill(totp_code())
    submit_code.click()
    expect(page.get_by_role("heading", name="Back-office du programme")).to_be_visible()
    page.get_by_role("link", name="Thèmes").first.click()
    page.get_by_role("link", name="Bois et forêt").click()
    expect(page.get_by_role("textbox", name="Nom")).to_have_value("Bois et forêt")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("a été modifié avec succès")).to_be_visible()


def test_new_staff_enrol_their_app_before_anything_else(page):
    UserFactory(email="nouvelle@exemple.fr", is_staff=True, second_factor=False)
    sign_in(page, "nouvelle@exemple.fr", PASSWORD, then=r"/compte/reauthenticate/")
    expect(page.get_by_text("activez d'abord la double authentification")).to_be_visible()
    assert_accessible(page)
    # Changing one's second factor always asks the password again first.
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("form[action^='/compte/reauthenticate/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile("/compte/2fa/totp/activate/"))
    # Each load of this page draws a new secret: read it once the page has settled, so
    # that the code is computed from the secret the server keeps.
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    code = totp_code(secret)
    page.get_by_label(re.compile("Code")).fill(code)
    page.locator("form[action='/compte/2fa/totp/activate/'] button[type=submit]").click()
    expect(
        page.get_by_role("heading", name=re.compile("Codes de récupération|récupération"))
    ).to_be_visible()
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Back-office du programme")).to_be_visible()


def test_staff_add_a_security_key_and_sign_in_with_it(page):
    """WebAuthn under the portal's CSP, with Chromium's virtual authenticator."""
    from allauth.mfa.models import Authenticator

    editor = UserFactory(email="cle@exemple.fr", is_staff=True)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    sign_in(page, editor.email, PASSWORD)
    page.goto("/compte/2fa/webauthn/add/")
    # Adding a key asks the password again first.
    expect(page).to_have_url(re.compile("/reauthenticate/"))
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form[action^='/compte/reauthenticate/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile("/compte/2fa/webauthn/add/"))
    assert_accessible(page)
    page.get_by_label("Nom de la clé").fill("Clé de l'équipe")
    page.locator("#mfa_webauthn_add").click()
    expect(page.get_by_text("Clé de sécurité ajoutée.")).to_be_visible()
    page.goto("/compte/2fa/webauthn/")
    expect(page.get_by_text("Clé de l'équipe")).to_be_visible()
    assert_accessible(page)
    assert Authenticator.objects.filter(user=editor, type="webauthn").count() == 1

    page.get_by_role("button", name="Se déconnecter").click()
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(editor.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile("/compte/2fa/authenticate/"))
    page.locator("#mfa_webauthn_authenticate").click()
    expect(page).to_have_url(re.compile("/compte/$"))
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Back-office du programme")).to_be_visible()


def test_a_member_saves_a_search_and_writes_to_a_structure(page, member, directory):
    from clusters.models import ContactMessage, DirectoryEntry
    from interclusters.models import SavedSearch

    DirectoryEntry.objects.filter(pk=directory["bois"].pk).update(email="pole@bois.example.org")
    sign_in(page, member.email, PASSWORD)
    page.goto("/pratiques/?theme=bois-foret")
    page.get_by_text("Recevoir par e-mail les nouveautés de cette recherche").click()
    page.get_by_label("Nom de l'alerte").fill("Filière bois")
    page.get_by_label("Recevoir les nouveautés").select_option("daily")
    page.get_by_role("button", name="Créer l'alerte").click()
    expect(page.get_by_text("Alerte « Filière bois » créée")).to_be_visible()
    assert SavedSearch.objects.get(user=member).query == "theme=bois-foret"
    page.goto("/compte/alertes/")
    expect(page.get_by_role("link", name="Filière bois")).to_be_visible()
    assert_accessible(page)

    page.goto(directory["bois"].get_absolute_url())
    expect(page.get_by_text("pole@bois.example.org")).to_have_count(0)
    page.get_by_role("link", name="Contacter cette structure").click()
    page.get_by_label("Objet").fill("Un chantier en bois local")
    page.get_by_label("Votre message").fill("Bonjour, nous cherchons une scierie partenaire.")
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_text("Votre message est envoyé à Pôle Bois Montagne")).to_be_visible()
    assert ContactMessage.objects.filter(sender=member).count() == 1
