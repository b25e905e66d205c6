"""Calendar feeds, calls for participation and their PDFs."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import CallForParticipation, Event, Proposal, Workshop
from tests.factories.events import make_event
from tests.factories.files import pdf_bytes

PARIS = ZoneInfo("Europe/Paris")


def workshop_at(event, year, month, day) -> Workshop:
    start = datetime(year, month, day, 14, 0, tzinfo=PARIS)
    return Workshop.objects.create(
        event=event, title=f"Atelier du {day}/{month}", starts_at=start,
        ends_at=start.replace(hour=16), capacity=10,
    )  # fmt: skip


def test_event_feed_parses_and_keeps_paris_time_in_winter_and_summer(client, db):
    event = make_event(workshops=())
    Event.objects.filter(pk=event.pk).update(
        starts_at=datetime(2027, 1, 10, 9, tzinfo=PARIS),
        ends_at=datetime(2027, 7, 10, 18, tzinfo=PARIS),
    )
    workshop_at(event, 2027, 1, 14)  # winter: UTC+1
    workshop_at(event, 2027, 7, 8)  # summer: UTC+2
    response = client.get(f"/agenda/{event.slug}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar.walk("VTIMEZONE"), "the time zone travels with the file"
    workshops = {str(e["summary"]).split(" — ")[0]: e for e in calendar.walk("VEVENT")}
    for title in ("Atelier du 14/1", "Atelier du 8/7"):
        start = workshops[title].decoded("dtstart")
        assert start.astimezone(PARIS).hour == 14
        assert start.astimezone(PARIS).minute == 0
    winter = workshops["Atelier du 14/1"].decoded("dtstart")
    summer = workshops["Atelier du 8/7"].decoded("dtstart")
    assert winter.utcoffset().total_seconds() == 3600
    assert summer.utcoffset().total_seconds() == 7200


def test_agenda_feed_lists_published_events_only(client, db):
    make_event("Publié")
    make_event("Caché", published=False)
    calendar = Calendar.from_ical(client.get("/agenda.ics").content)
    titles = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert titles == ["Publié"]


@pytest.fixture
def call(db):
    event = make_event(workshops=(("Atelier bois", 10),))
    return CallForParticipation.objects.create(
        event=event,
        title="Appel à témoignages",
        description="Proposez un retour d'expérience.",
        opens_at=timezone.now() - timezone.timedelta(days=1),
        closes_at=timezone.now() + timezone.timedelta(days=10),
    )


def proposal_data(call, **overrides) -> dict:
    data = {
        "title": "Le bois local dans les écoles",
        "summary": "Comment trois communes ont construit leurs écoles en bois du massif.",
        "workshop": str(call.event.workshops.get().pk),
        "theme": "",
        "contributors": "Paul Roche (Pôle Bois Montagne)",
    }
    data.update(overrides)
    return data


def test_a_member_submits_a_proposal_with_a_pdf(member_client, member, call):
    url = f"/agenda/{call.event.slug}/proposer/"
    upload = SimpleUploadedFile("temoignage.pdf", pdf_bytes(), content_type="application/pdf")
    response = member_client.post(url, {**proposal_data(call), "document": upload})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.author == member
    assert proposal.document.name.startswith("propositions/")
    assert "temoignage" not in proposal.document.name
    download = member_client.get(f"/agenda/propositions/{proposal.pk}/document.pdf")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "Le bois local dans les écoles" in member_client.get("/compte/").content.decode()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"Bonjour, ceci est un texte.", "faux.pdf", "Ce fichier n&#x27;est pas un PDF"),
        (b"%PDF-1.7\nrien de lisible", "casse.pdf", "Ce PDF est illisible ou endommagé"),
        (b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 10), "gros.pdf", "5 Mo au plus"),
    ],
)
def test_a_file_that_is_not_a_real_pdf_or_too_large_is_refused_and_the_form_kept(
    member_client, call, content, name, message
):
    url = f"/agenda/{call.event.slug}/proposer/"
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = member_client.post(url, {**proposal_data(call), "document": upload})
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html or message.replace("&#x27;", "'") in html
    assert "Comment trois communes ont construit leurs écoles" in html
    assert not Proposal.objects.exists()


def test_a_closed_call_takes_no_proposal(member_client, call):
    call.closes_at = timezone.now() - timezone.timedelta(minutes=1)
    call.save()
    response = member_client.post(f"/agenda/{call.event.slug}/proposer/", proposal_data(call))
    assert response.status_code == 422
    assert "Cet appel à participation est clos." in response.content.decode()


def test_a_proposals_pdf_is_for_its_author_and_staff_only(
    client, member, outsider, staff_editor, call
):
    proposal = Proposal.objects.create(
        call=call, author=member, title="T", summary="S",
        document=SimpleUploadedFile("x.pdf", pdf_bytes()),
    )  # fmt: skip
    url = f"/agenda/propositions/{proposal.pk}/document.pdf"
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(staff_editor)
    assert client.get(url).status_code == 200


def test_staff_decision_emails_the_author_and_shows_accepted_ones(
    client, member, staff_editor, call, django_capture_on_commit_callbacks
):
    accepted = Proposal.objects.create(call=call, author=member, title="Retenue", summary="S")
    refused = Proposal.objects.create(call=call, author=member, title="Écartée", summary="S")
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decide(proposal=accepted, status="accepted", reviewer=staff_editor)
        services.proposal_decide(
            proposal=refused,
            status="rejected",
            reviewer=staff_editor,
            note="Hors sujet cette fois.",
        )
    assert [m.to for m in mail.outbox] == [[member.email], [member.email]]
    assert "Hors sujet cette fois." in mail.outbox[1].body
    html = client.get(call.event.get_absolute_url()).content.decode()
    assert "Contributions retenues" in html
    assert "Retenue" in html
    assert "Écartée" not in html


def test_staff_decide_in_bulk_from_the_admin(
    staff_client, member, call, django_capture_on_commit_callbacks
):
    proposals = [
        Proposal.objects.create(call=call, author=member, title=f"P{n}", summary="S")
        for n in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/events/proposal/",
            {
                "action": "accept_proposals",
                "_selected_action": [p.pk for p in proposals],
                "apply": "1",
                "note": "Bienvenue au programme.",
            },
        )
    assert response.status_code == 302
    assert set(Proposal.objects.values_list("status", flat=True)) == {"accepted"}
    assert len(mail.outbox) == 3
