"""The calendar tells people the truth: the waitlist and its rank everywhere, seats left,
no promotion after an event, links to the real site, calendar files that say what they
are, and exports that hold what the pages show."""

import csv
import io

import pytest
from django.core import mail
from icalendar import Calendar
from openpyxl import load_workbook

from events.models import Registration
from tests.factories.accounts import UserFactory
from tests.factories.events import make_event, register


def test_a_person_waiting_for_a_workshop_is_told_so_by_email_and_on_the_page(
    client, db, django_capture_on_commit_callbacks
):
    event = make_event(workshops=(("Atelier bois", 1),))
    workshop = event.workshops.get()
    first, second = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        register(event, user=first, workshops=[workshop])
        register(event, user=second, workshops=[workshop])
    message = mail.outbox[-1]
    assert message.to == [second.email]
    assert message.subject == (
        "Liste d'attente (rang 1) pour « Atelier bois » : Journée des ateliers"
    )
    assert "liste d'attente, rang 1" in message.body
    assert "confirmée" not in message.subject
    client.force_login(second)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Vous êtes inscrit." not in html
    assert "sur la liste d'attente d'un atelier complet" in html
    assert "liste d'attente, rang 1" in html
    assert "alert-warning" in html


def test_a_person_waiting_for_the_event_has_the_rank_in_subject_page_and_mon_espace(
    client, db, django_capture_on_commit_callbacks
):
    event = make_event("Séminaire", workshops=(), capacity=1)
    people = [UserFactory() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            register(event, user=person)
    assert mail.outbox[-1].subject == "Liste d'attente (rang 2) : Séminaire"
    assert "au rang 2" in mail.outbox[-1].body
    client.force_login(people[2])
    assert "au rang 2" in client.get(event.get_absolute_url()).content.decode()
    assert "rang 2" in client.get("/compte/").content.decode()


def test_an_event_with_a_capacity_shows_seats_left_then_full(client, db):
    event = make_event("Webinaire", workshops=(), capacity=2)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "2 places restantes" in page
    register(event, name="Alice A", notify=False)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "1 place restante" in page
    assert "1 places" not in page
    register(event, name="Bruno B", notify=False)
    assert (
        "Complet — liste d'attente ouverte" in client.get(event.get_absolute_url()).content.decode()
    )
    assert "Complet — liste d'attente ouverte" in client.get("/agenda/").content.decode()


def test_cancelling_after_an_event_is_refused_and_nobody_is_promoted(
    client, db, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from events.models import Event

    event = make_event("Passé", workshops=(), capacity=1)
    kept = register(event, name="Alice A", notify=False).registration
    waiting = register(event, name="Bruno B", notify=False).registration
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/agenda/inscription/{kept.token}/annuler/", follow=True)
    assert "Cet événement est terminé" in response.content.decode()
    kept.refresh_from_db()
    waiting.refresh_from_db()
    assert kept.status == "confirmed"
    assert waiting.status == "waitlisted"
    assert mail.outbox == []


def test_the_cancel_link_of_an_email_asks_to_confirm_in_french(client, db):
    event = make_event()
    registration = register(event, name="Alice A", notify=False).registration
    page = client.get(f"/agenda/inscription/{registration.token}/annuler/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Oui, annuler mon inscription" in html
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_links_in_emails_and_calendar_files_use_the_site_address(
    db, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://interclusters.example.org"
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        register(event, name="Alice A", workshops=[event.workshops.get()])
    message = mail.outbox[-1]
    assert "https://interclusters.example.org/agenda/inscription/" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert "method=PUBLISH" in mimetype
    calendar = Calendar.from_ical(content)
    assert calendar["METHOD"] == "PUBLISH"
    urls = [str(component["URL"]) for component in calendar.walk("VEVENT")]
    assert all(url.startswith("https://interclusters.example.org/") for url in urls)


def test_the_agenda_feed_holds_the_events_of_the_page(client, db):
    from reference.models import Theme

    bois = Theme.objects.get(slug="bois-foret")
    tagged = make_event("Atelier du bois")
    tagged.themes.add(bois)
    make_event("Autre journée")
    make_event("Il y a longtemps", days_ahead=-60).themes.add(bois)
    for query in ["", "theme=bois-foret", "type=webinar", "q=bois"]:
        page = client.get(f"/agenda/?{query}").context
        shown = {e.title for e in [*page["upcoming"], *page["past"]]}
        feed = Calendar.from_ical(client.get(f"/agenda.ics?{query}").content)
        titles = {str(c["SUMMARY"]) for c in feed.walk("VEVENT")}
        assert titles == shown, query


@pytest.mark.parametrize(
    "query", ["", "q=dur", "statut=waitlisted", "statut=all", "statut=cancelled"]
)
def test_attendee_exports_hold_the_rows_of_the_welcome_desk(staff_client, db, query):
    event = make_event(workshops=(), capacity=1)
    register(event, name="Camille Durand", notify=False)
    register(event, name="Dominique Durand", notify=False)
    gone = register(event, name="Éloi Martin", notify=False).registration
    from events import services

    services.registration_cancel(registration=gone)
    desk = staff_client.get(f"/agenda/{event.slug}/accueil/?{query}")
    shown = [r.full_name for r in desk.context["rows"]]
    body = b"".join(
        staff_client.get(f"/agenda/{event.slug}/inscrits.csv?{query}").streaming_content
    )
    rows = list(csv.reader(io.StringIO(body.decode().lstrip("\ufeff")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == shown
    sheet = load_workbook(
        io.BytesIO(staff_client.get(f"/agenda/{event.slug}/inscrits.xlsx?{query}").content)
    ).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == shown


def test_attendee_exports_neutralise_formulas_and_type_dates(staff_client, db):
    event = make_event()
    register(event, name="=cmd|' /C calc'!A0", notify=False)
    body = b"".join(staff_client.get(f"/agenda/{event.slug}/inscrits.csv").streaming_content)
    assert "'=cmd|" in body.decode()
    sheet = load_workbook(
        io.BytesIO(staff_client.get(f"/agenda/{event.slug}/inscrits.xlsx").content)
    ).worksheets[0]
    name, registered = sheet.cell(row=2, column=1), sheet.cell(row=2, column=8)
    assert name.data_type == "s"
    assert registered.is_date


def test_the_welcome_desk_refuses_junk(staff_client, db):
    event = make_event()
    url = f"/agenda/{event.slug}/accueil/"
    assert staff_client.get(f"{url}?q=a%00b").status_code == 400
    assert staff_client.post(url, {"registration": "abc", "present": "1"}).status_code == 404
    assert staff_client.post(url, {"registration": "9" * 30, "present": "1"}).status_code == 404
    assert staff_client.get(f"{url}?statut=lunaire").status_code == 400
    assert Registration.objects.count() == 0


def test_the_agenda_filters_by_a_kept_theme_and_refuses_an_unknown_one(client, db):
    from reference.models import Theme

    tagged = make_event("Journée forêt", workshops=(("Atelier scierie", 2),))
    tagged.themes.add(Theme.objects.get(slug="bois-foret"))
    make_event("Journée mobilité")
    page = client.get("/agenda/?theme=bois-foret")
    assert [e.title for e in page.context["upcoming"]] == ["Journée forêt"]
    assert page.context["upcoming"][0].seats_left == 2  # those to come show their seats
    html = page.content.decode()
    assert '<option value="bois-foret" selected>' in html
    refused = client.get("/agenda/?theme=nulle-part&q=journ%C3%A9e")
    assert refused.status_code == 400
    assert "nulle-part" in refused.content.decode()
    assert 'value="journée"' in refused.content.decode()  # what was typed stays
