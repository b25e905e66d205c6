"""Browser journeys for accounts and the site's frame."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.e2e.helpers import E2E, assert_accessible, sign_in
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = E2E


def test_sign_up_sign_in_mon_espace_sign_out(page):
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
    page.get_by_role("textbox", name="Mot de passe", exact=True).fill("coopération-rurale-2015")
    page.get_by_label("Confirmation du mot de passe").fill("autre-chose-2015")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Les deux mots de passe ne sont pas identiques."
    )
    expect(page.get_by_label("Prénom")).to_have_value("Léa")
    expect(page.get_by_label("Structure (facultatif)")).to_have_value("PETR du Pays de Langres")
    assert_accessible(page)

    page.get_by_role("textbox", name="Mot de passe", exact=True).fill("coopération-rurale-2015")
    page.get_by_label("Confirmation du mot de passe").fill("coopération-rurale-2015")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page).to_have_url(re.compile("/compte/$"))
    expect(page.get_by_role("heading", name="Mon espace")).to_be_visible()
    expect(page.get_by_text("Bienvenue ! Votre compte est créé.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté.")).to_be_visible()

    page.get_by_role("link", name="Se connecter").click()
    assert_accessible(page)
    page.get_by_label("Adresse e-mail").fill("LEA.MOREAU@exemple.fr")
    page.get_by_label("Mot de passe").fill("coopération-rurale-2015")
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile("/compte/$"))
    expect(page.get_by_text("lea.moreau@exemple.fr")).to_be_visible()

    page.get_by_role("link", name="À propos", exact=True).click()
    expect(page.get_by_role("heading", name="Financement")).to_be_visible()
    assert_accessible(page)


def test_password_reset_mail_link_lets_the_person_back_in(page):
    user = UserFactory(email="paul.roche@exemple.fr")
    page.goto("/compte/connexion/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.get_by_label("Adresse e-mail").fill("paul.roche@exemple.fr")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_role("heading", name="Vérifiez votre messagerie")).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/compte/mot-de-passe/nouveau/\S+/", mail.outbox[0].body)
    path = re.sub(r"^https?://[^/]+", "", link.group(0))
    page.goto(path)
    page.get_by_role("textbox", name="Nouveau mot de passe", exact=True).fill("bocage-et-metropole")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("bocage-et-metropole")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Mot de passe enregistré")).to_be_visible()

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
    response = page.goto("/nulle-part/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    assert_accessible(page)


def test_staff_editor_works_in_the_admin_under_the_content_security_policy(page):
    from django.contrib.auth.models import Group

    editor = UserFactory(email="equipe@exemple.fr", is_staff=True)
    editor.groups.add(Group.objects.get(name="Équipe France Clusters"))
    page.goto("/admin/")
    page.get_by_label("Adresse e-mail").fill(editor.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Back-office du programme")).to_be_visible()
    page.get_by_role("link", name="Thèmes").first.click()
    page.get_by_role("link", name="Bois et forêt").click()
    expect(page.get_by_role("textbox", name="Nom")).to_have_value("Bois et forêt")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("a été modifié avec succès")).to_be_visible()
