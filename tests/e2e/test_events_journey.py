"""Browser journeys through the calendar."""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from events import services
from events.models import CallForParticipation, Event, Proposal, Registration
from tests.e2e.helpers import E2E, assert_accessible, sign_in
from tests.factories.accounts import PASSWORD
from tests.factories.events import make_event, register
from tests.factories.files import pdf_bytes

pytestmark = E2E


def test_register_see_it_in_mon_espace_and_cancel(page, member):
    event = make_event(
        "Ateliers de printemps", workshops=(("Atelier bois", 10), ("Atelier énergie", 10))
    )
    page.goto("/agenda/")
    assert_accessible(page)
    page.get_by_role("link", name="Ateliers de printemps").click()
    expect(page.get_by_text("10 places restantes").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="S'inscrire").click()
    sign_in_form = page.get_by_role("textbox", name="Adresse e-mail")
    sign_in_form.fill(member.email)
    page.get_by_role("textbox", name="Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(f"/agenda/{event.slug}/inscription/$"))
    expect(page.get_by_role("textbox", name="Nom et prénom")).to_have_value("Marie Durand")
    assert_accessible(page)
    page.get_by_role("radio", name=re.compile("^Atelier bois")).check()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "Votre accord est nécessaire"
    )
    page.get_by_role("checkbox", name=re.compile("J'accepte")).check()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_text("Inscription confirmée.")).to_be_visible()
    expect(page.get_by_text("9 places restantes", exact=True)).to_be_visible()
    assert mail.outbox[-1].to == [member.email]

    page.get_by_role("link", name="Mon espace").first.click()
    expect(page.get_by_text("Atelier bois — place confirmée")).to_be_visible()
    page.get_by_role(
        "button", name=re.compile("Annuler mon inscription à Ateliers de printemps")
    ).click()
    expect(
        page.get_by_text("Votre inscription à « Ateliers de printemps » est annulée.")
    ).to_be_visible()
    assert Registration.objects.get(user=member).status == "cancelled"


def test_a_full_workshop_waitlists_then_promotes_when_someone_cancels(page, member, outsider):
    event = make_event("Atelier très demandé", workshops=(("Tiers-lieux", 1),))
    workshop = event.workshops.get()
    first = register(event, user=outsider, workshops=[workshop], notify=False).registration
    sign_in(page, member.email, PASSWORD)
    page.goto(f"/agenda/{event.slug}/inscription/")
    page.get_by_role("radio", name=re.compile("Complet — liste d'attente")).check()
    page.get_by_role("checkbox", name=re.compile("J'accepte")).check()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_text("vous êtes sur sa liste d'attente")).to_be_visible()
    page.goto("/compte/")
    expect(page.get_by_text("Tiers-lieux — liste d'attente, rang 1")).to_be_visible()
    assert_accessible(page)

    mail.outbox.clear()
    services.registration_cancel(registration=first)
    page.reload()
    expect(page.get_by_text("Tiers-lieux — place confirmée")).to_be_visible()
    assert any(
        m.to == [member.email] and "Une place s'est libérée" in m.subject for m in mail.outbox
    )

    # The link in the email opens the registration without signing in.
    token = Registration.objects.get(user=member).token
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(f"/agenda/inscription/{token}/")
    expect(page.get_by_text("Confirmée", exact=True)).to_be_visible()
    assert_accessible(page)


def test_submit_a_proposal_with_its_pdf(page, member, tmp_path):
    event = make_event("Journée à contributions", workshops=(("Atelier bois", 10),))
    CallForParticipation.objects.create(
        event=event, title="Appel à témoignages", description="Venez témoigner.",
        opens_at=timezone.now() - timezone.timedelta(days=1),
        closes_at=timezone.now() + timezone.timedelta(days=5),
    )  # fmt: skip
    document = tmp_path / "temoignage.pdf"
    document.write_bytes(pdf_bytes())
    sign_in(page, member.email, PASSWORD)
    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Proposer une contribution").click()
    assert_accessible(page)
    page.get_by_role("textbox", name="Titre de la contribution").fill("Le bois dans les écoles")
    page.get_by_role("textbox", name="Résumé").fill("Trois communes, une filière.")
    page.get_by_role("combobox", name="Atelier visé (facultatif)").select_option(
        label="Atelier bois"
    )
    page.get_by_label("Document (PDF, 5 Mo au plus, facultatif)").set_input_files(str(document))
    page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(page.get_by_text("Merci ! Votre proposition est enregistrée")).to_be_visible()
    expect(page.get_by_text("Le bois dans les écoles")).to_be_visible()
    assert Proposal.objects.get().document


def test_staff_check_people_in_on_a_phone(page, staff_editor):
    event = make_event("Séminaire du jour", days_ahead=1)
    register(event, name="Anne Aubert", structure_name="Pays du Haut-Jura", notify=False)
    register(event, name="Bruno Barbier", notify=False)
    # The day has come: the seminar started an hour ago, whatever the time of the run.
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=7)
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, staff_editor.email, PASSWORD)
    page.goto(f"/agenda/{event.slug}/accueil/")
    assert_accessible(page)
    page.get_by_role("searchbox", name="Nom ou structure").fill("aubert")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_text("Bruno Barbier")).to_have_count(0)
    page.get_by_role("button", name="Marquer présent : Anne Aubert").click()
    expect(page.get_by_text("Anne Aubert est marqué présent.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Anne Aubert : présent"))).to_be_visible()
    assert Registration.objects.get(full_name="Anne Aubert").checked_in_at is not None
