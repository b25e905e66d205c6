"""Browser journey through a survey: from the invitation link to the staff's export."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from surveys import services
from surveys.models import Response, Survey
from tests.e2e.helpers import E2E, assert_accessible, sign_in
from tests.factories.accounts import PASSWORD
from tests.factories.surveys import definition, invite

pytestmark = E2E


@pytest.fixture
def survey(transactional_db):
    return services.survey_load(definition())[0]


def test_answer_over_two_visits_submit_and_staff_export(
    browser, live_server, page, survey, directory, staff_editor
):
    entry = directory["bois"]
    entry.email = "contact@pole-bois.fr"
    entry.save(update_fields=["email"])
    _invitation, token = invite(survey, entry)
    link = f"/enquetes/r/{token}/"

    # First visit: the intro, then two sections, then "save and come back later".
    page.goto(link)
    expect(page.get_by_role("heading", name="Enquête de test")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Commencer").click()
    expect(page.get_by_text("Partie 1 sur 3")).to_be_visible()
    page.get_by_label("Quel type ? (obligatoire)").select_option(label="Cluster")
    page.get_by_label("Combien d'adhérents ?").fill("120")
    page.get_by_label("Combien d'ETP ?").fill("beaucoup")
    page.get_by_role("checkbox", name="Bois").check()
    page.get_by_role("checkbox", name="Tourisme").check()
    page.get_by_role("radio", name="4").check()
    # "Précisez « Autre »" shows only once "Autre" is ticked.
    other = page.get_by_role("textbox", name="Précisez « Autre » : Quels secteurs ?")
    expect(other).to_be_hidden()
    page.get_by_role("checkbox", name="Autre (précisez)").check()
    expect(other).to_be_visible()
    page.get_by_role("checkbox", name="Autre (précisez)").uncheck()
    page.get_by_role("button", name="Partie suivante").click()
    expect(page.get_by_text("Saisissez un nombre, par exemple 0,5.", exact=True)).to_be_visible()
    expect(page.get_by_role("checkbox", name="Tourisme")).to_be_checked()  # nothing lost
    assert_accessible(page)
    expect(page.get_by_label("Combien d'adhérents ?")).to_have_value("120")
    page.get_by_label("Combien d'ETP ?").fill("1,5")
    page.get_by_role("button", name="Partie suivante").click()

    expect(page.get_by_text("Partie 2 sur 3")).to_be_visible()
    story = page.get_by_label("Racontez une coopération.")
    expect(story).to_be_hidden()  # only if they cooperate
    page.get_by_role("radio", name="Oui").first.check()
    expect(story).to_be_visible()
    story.fill("Une scierie et un laboratoire de l'université.")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer et continuer plus tard").click()
    expect(page.get_by_text("Vos réponses sont enregistrées.")).to_be_visible()
    page.context.close()

    # Second visit, another browser: the same link resumes where they stopped.
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.goto(link)
    page.get_by_role("link", name="Reprendre").click()
    expect(page.get_by_text("Partie 2 sur 3")).to_be_visible()
    expect(page.get_by_label("Racontez une coopération.")).to_have_value(
        "Une scierie et un laboratoire de l'université."
    )
    page.get_by_role("button", name="Partie suivante").click()
    page.get_by_label("Votre site ?").fill("pole-bois.fr")
    page.get_by_role("button", name="Relire mes réponses").click()
    expect(page.get_by_text("https://pole-bois.fr")).to_be_visible()
    expect(page.get_by_text("1,5")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("Merci beaucoup !")).to_be_visible()
    assert_accessible(page)
    assert mail.outbox[-1].to == ["contact@pole-bois.fr"]
    assert "Une scierie et un laboratoire" in mail.outbox[-1].body

    # Afterwards the link shows the answers, read-only and printable.
    page.goto(link)
    expect(page.get_by_text(re.compile("Réponses envoyées le"))).to_be_visible()
    expect(page.get_by_role("button", name="Partie suivante")).to_have_count(0)
    expect(page.get_by_role("button", name="Imprimer")).to_be_visible()
    assert Response.objects.get().status == Response.Status.SUBMITTED
    context.close()

    # A staff editor sees the response and exports it.
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    sign_in(page, staff_editor.email, PASSWORD)
    page.goto(f"/enquetes/{survey.slug}/tableau-de-bord/")
    expect(page.get_by_text("Une scierie et un laboratoire de l'université.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en CSV").click()
    content = download.value.path().read_text(encoding="utf-8-sig")
    assert "Pôle Bois Montagne" in content
    assert "https://pole-bois.fr" in content
    context.close()


def test_published_results_are_accessible(page, survey):
    Survey.objects.filter(pk=survey.pk).update(results_public=True)
    page.goto(f"/enquetes/{survey.slug}/resultats/")
    expect(page.get_by_role("heading", name="Enquête de test")).to_be_visible()
    assert_accessible(page)
    page.goto("/enquetes/")
    expect(page.get_by_role("link", name=re.compile("Enquête de test"))).to_be_visible()
    assert_accessible(page)
