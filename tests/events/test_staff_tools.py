"""Staff tools: check-in, attendee exports, admin actions, reminders, retention."""

import csv
import io
import json

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from events.models import Registration, WorkshopChoice
from tests.factories.events import make_event, register


def test_check_in_is_for_staff_and_marks_people_present(client, member, staff_editor):
    event = make_event()
    anne = register(event, name="Anne Aubert", structure_name="Pays du Haut-Jura").registration
    register(event, name="Bruno Barbier")
    url = f"/agenda/{event.slug}/accueil/"
    assert client.get(url).status_code == 302
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(staff_editor)
    html = client.get(url + "?q=aubert").content.decode()
    assert "Anne Aubert" in html
    assert "Bruno Barbier" not in html
    html = client.get(url + "?q=haut-jura").content.decode()
    assert "Anne Aubert" in html
    response = client.post(url, {"registration": anne.pk, "present": "1", "q": "aubert"})
    assert response.status_code == 302
    anne.refresh_from_db()
    assert anne.checked_in_at is not None
    page = client.get(url)
    assert page.context["counts"] == {"expected": 2, "present": 1, "waiting": 0}
    client.post(url, {"registration": anne.pk, "present": "0"})
    anne.refresh_from_db()
    assert anne.checked_in_at is None


def test_check_in_refuses_a_registration_of_another_event(staff_client):
    event, other = make_event("Un"), make_event("Deux")
    stranger = register(other, name="Ailleurs").registration
    response = staff_client.post(
        f"/agenda/{event.slug}/accueil/", {"registration": stranger.pk, "present": "1"}
    )
    assert response.status_code == 404


def test_attendee_exports_are_staff_only_and_complete(client, member, staff_editor):
    event = make_event(workshops=(("Atelier bois", 1),))
    workshop = event.workshops.get()
    register(event, name="Anne Aubert", workshops=[workshop])
    register(event, name="Bruno Barbier", workshops=[workshop])
    for url in (f"/agenda/{event.slug}/inscrits.csv", f"/agenda/{event.slug}/inscrits.xlsx"):
        assert client.get(url).status_code == 302
        client.force_login(member)
        assert client.get(url).status_code == 403
        client.logout()
    client.force_login(staff_editor)
    response = client.get(f"/agenda/{event.slug}/inscrits.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [(r["Nom et prénom"], r["Ateliers"]) for r in rows] == [
        ("Anne Aubert", "Atelier bois (confirmée)"),
        ("Bruno Barbier", "Atelier bois (en liste d'attente)"),
    ]
    workbook = load_workbook(io.BytesIO(client.get(f"/agenda/{event.slug}/inscrits.xlsx").content))
    assert workbook.active["A2"].value == "Anne Aubert"


def test_admin_cancel_and_message_actions(staff_client, django_capture_on_commit_callbacks):
    event = make_event(workshops=(("Atelier bois", 1),))
    workshop = event.workshops.get()
    anne = register(event, name="Anne Aubert", workshops=[workshop], notify=False).registration
    register(event, name="Bruno Barbier", workshops=[workshop], notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/admin/events/registration/",
            {"action": "cancel_registrations", "_selected_action": [anne.pk]},
        )
    assert WorkshopChoice.objects.get(registration__full_name="Bruno Barbier").status == "confirmed"
    assert any("Une place s'est libérée" in m.subject for m in mail.outbox)
    assert any("L'équipe du programme a annulé" in m.body for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/events/workshop/",
            {
                "action": "write_to_registrants",
                "_selected_action": [workshop.pk],
                "apply": "1",
                "subject": "Salle changée",
                "body": "Rendez-vous en salle B.",
            },
        )
    # The worker writes and sends the messages; staff follow the progress.
    assert response.status_code == 302
    progress = staff_client.get(response["Location"])
    assert "Envoi terminé : 1 / 1" in progress.content.decode()
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Salle changée", ["bruno.barbier@exemple.fr"])
    ]


def test_admin_pages_for_the_calendar_open(staff_client):
    event = make_event()
    register(event)
    for url in [
        "/admin/events/event/",
        f"/admin/events/event/{event.pk}/change/",
        "/admin/events/registration/",
        "/admin/events/workshop/",
        "/admin/events/proposal/",
    ]:
        assert staff_client.get(url).status_code == 200, url


def test_reminders_go_once_to_confirmed_people_of_events_starting_soon(
    db, django_capture_on_commit_callbacks
):
    soon = make_event("Bientôt", days_ahead=2)
    later = make_event("Plus tard", days_ahead=20)
    register(soon, name="Anne Aubert", notify=False)
    register(later, name="Bruno Barbier", notify=False)
    out = io.StringIO()
    call_command("send_event_reminders", "--days", "3", "--dry-run", stdout=out)
    assert "1 registrants would be reminded" in out.getvalue()
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", "--days", "3", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["anne.aubert@exemple.fr"]]
    assert mail.outbox[0].subject.startswith("Rappel : Bientôt")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", "--days", "3", stdout=io.StringIO())
    assert len(mail.outbox) == 1


def test_old_registrations_lose_personal_data_but_keep_counts(db, member):
    old = make_event("Ancien", days_ahead=-500)
    recent = make_event("Récent", days_ahead=-30)
    for event in (old, recent):
        Registration.objects.create(
            event=event, user=member, full_name="Marie Durand", email="marie@exemple.fr",
            dietary_needs="végétarien", consent_at=timezone.now(),
        )  # fmt: skip
    call_command("anonymise_registrations", "--months", "12", stdout=io.StringIO())
    anonymised = Registration.objects.get(event=old)
    assert anonymised.full_name == "Participant anonymisé"
    assert anonymised.user is None
    assert anonymised.dietary_needs == ""
    assert Registration.objects.get(event=recent).full_name == "Marie Durand"
    assert Registration.objects.filter(event=old).count() == 1


def test_a_person_downloads_what_the_portal_holds_about_them(client, member):
    event = make_event(workshops=(("Atelier bois", 5),))
    register(event, user=member, workshops=list(event.workshops.all()), notify=False)
    assert client.get("/compte/mes-donnees.json").status_code == 302
    client.force_login(member)
    response = client.get("/compte/mes-donnees.json")
    data = json.loads(response.content)
    assert data["compte"]["adresse_email"] == member.email
    assert data["inscriptions"][0]["evenement"] == event.title
    assert data["inscriptions"][0]["ateliers"] == [
        {"atelier": "Atelier bois", "statut": "confirmée"}
    ]
    assert "attachment" in response.headers["Content-Disposition"]
