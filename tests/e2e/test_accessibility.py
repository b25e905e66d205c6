"""axe-core on every public page kind and the main staff pages, in Chromium: no serious
or critical violation."""

from django.core.files.base import ContentFile
from playwright.sync_api import expect

from clusters.models import Membership
from surveys import services as survey_services
from tests.e2e.helpers import E2E, assert_accessible, sign_in
from tests.factories.accounts import PASSWORD
from tests.factories.events import make_event
from tests.factories.files import pdf_bytes
from tests.factories.mementos import make_memento
from tests.factories.surveys import definition, invite

pytestmark = E2E


def test_public_pages_pass_axe(page, directory):
    memento = make_memento(1, status="published", directory=directory)
    memento.pdf.save("m.pdf", ContentFile(pdf_bytes()), save=False)
    memento.save()
    event = make_event("Journée des ateliers", workshops=(("Atelier bois", 10),))
    survey, _ = survey_services.survey_load(definition(results_public=True))
    pages = [
        "/", "/a-propos/", "/mentions-legales/", "/donnees-personnelles/", "/accessibilite/",
        "/annuaire/", "/annuaire/?q=bois&region=84", directory["bois"].get_absolute_url(),
        directory["pays"].get_absolute_url(), "/pratiques/", "/pratiques/?theme=bois-foret",
        directory["wood"].get_absolute_url(), "/carte/", "/agenda/", event.get_absolute_url(),
        "/mementos/", memento.get_absolute_url(),
        f"{memento.get_absolute_url()}pays-de-saint-flour/", "/themes/",
        "/themes/bois-foret/", "/recherche/?q=bois", "/recherche/?q=zzzz",
        "/enquetes/", f"/enquetes/{survey.slug}/resultats/", "/compte/connexion/",
        "/compte/inscription/", "/compte/mot-de-passe/oublie/", "/page-inconnue/",
        "/donnees-ouvertes/",
    ]  # fmt: skip
    for path in pages:
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        assert_accessible(page)


def test_signed_in_and_staff_pages_pass_axe(
    page, browser, live_server, directory, representative, staff_editor
):
    Membership.objects.create(
        user=representative, entry=directory["bois"], role=Membership.Role.REPRESENTATIVE
    )
    event = make_event("Journée des ateliers", workshops=(("Atelier bois", 10),))
    survey, _ = survey_services.survey_load(definition())
    directory["bois"].email = "contact@bois.fr"
    directory["bois"].save(update_fields=["email"])
    _invitation, token = invite(survey, directory["bois"])

    sign_in(page, representative.email, PASSWORD)
    for path in (
        "/compte/", "/compte/profil/", "/compte/supprimer/",
        f"{directory['bois'].get_absolute_url()}modifier/", "/pratiques/proposer/",
        f"/agenda/{event.slug}/inscription/", f"/enquetes/r/{token}/section/2/",
        f"/enquetes/{survey.slug}/pour/{directory['bois'].slug}/section/1/",
        "/compte/alertes/", f"{directory['bois'].get_absolute_url()}contacter/",
        "/compte/2fa/", "/compte/adresse/",
    ):  # fmt: skip
        page.goto(path)
        assert_accessible(page)
    page.context.close()

    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    staff = context.new_page()
    sign_in(staff, staff_editor.email, PASSWORD)
    for path in (
        f"/enquetes/{survey.slug}/tableau-de-bord/",
        f"/enquetes/{survey.slug}/apercu/section/1/",
        f"/agenda/{event.slug}/accueil/",
        f"/enquetes/{survey.slug}/concevoir/",
        f"/enquetes/{survey.slug}/concevoir/?modifier=q{survey.sections.first().questions.last().pk}",
    ):
        staff.goto(path)
        assert_accessible(staff)
    context.close()
