"""The outbox: every email is written in the transaction of the change that causes it,
delivered by the worker, retried while the mail server does not answer, given up after
two days with the reason shown to staff, resent on demand, and sent once however many
times an unchanged situation repeats."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from clusters.models import Membership, Practice
from core import mail as outbox
from core.models import OutgoingEmail
from core.tasks import deliver_due_emails
from events.models import Registration
from tests.core.mailservers import server
from tests.factories.clusters import entry_change_data, practice_proposal_data
from tests.factories.events import make_event, register, register_data
from tests.markers import REAL_TRANSACTIONS

pytestmark = pytest.mark.django_db


def _age(email: OutgoingEmail) -> None:
    """Bring an email's next attempt to now, and forget that the server was down: as if
    the retry delay had passed."""
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    cache.delete(outbox.SERVER_DOWN_KEY)


@REAL_TRANSACTIONS
def test_a_rolled_back_change_sends_nothing_and_a_committed_one_is_sent(reference_data):
    event = make_event(workshops=(("Atelier bois", 5),))
    workshop = event.workshops.get()

    def change_that_fails():
        with transaction.atomic():
            register(event, name="Anne Aubert", workshops=[workshop])
            raise RuntimeError("the rest of the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not Registration.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []

    register(event, name="Bruno Barbier", workshops=[workshop])
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 1
    assert [m.to for m in mail.outbox] == [["bruno.barbier@exemple.fr"]]
    # The calendar file survives the queue, byte for byte.
    (name, content, mimetype) = mail.outbox[0].attachments[0]
    assert name.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in (content if isinstance(content, bytes) else content.encode())


def test_a_server_that_never_answers_leaves_the_email_waiting_then_it_goes_once(
    settings, django_capture_on_commit_callbacks
):
    server(settings, "Silent")
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        register(event, name="Anne Aubert")
        register(event, name="Bruno Barbier")
    first, second = OutgoingEmail.objects.order_by("to")
    first.refresh_from_db()
    assert first.status == OutgoingEmail.Status.PENDING
    assert first.attempts == 1
    assert first.last_error == "Le serveur de messagerie ne répond pas — TimeoutError: timed out"
    assert timedelta(seconds=50) < first.next_attempt_at - timezone.now() < timedelta(seconds=70)
    # The server was found silent: the other email waits without spending an attempt.
    second.refresh_from_db()
    assert second.attempts == 0
    assert second.next_attempt_at > timezone.now()
    assert mail.outbox == []

    # The server answers again; the worker's minute job sends both, once each.
    server(settings, "Answering")
    for email in (first, second):
        _age(email)
    assert deliver_due_emails.call() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anne.aubert@exemple.fr",
        "bruno.barbier@exemple.fr",
    ]
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert deliver_due_emails.call() == 0
    assert len(mail.outbox) == 2


def test_a_refused_connection_is_retried_with_growing_delays_then_failed_for_staff_to_see(
    settings, django_capture_on_commit_callbacks, staff_client
):
    server(settings, "Refusing")
    with django_capture_on_commit_callbacks(execute=True):
        register(make_event(), name="Anne Aubert")
    email = OutgoingEmail.objects.get()
    delays = []
    for _attempt in range(len(outbox.RETRY_DELAYS)):
        email.refresh_from_db()
        delays.append(round((email.next_attempt_at - timezone.now()).total_seconds() / 60))
        _age(email)
        deliver_due_emails.call()
    # 1 minute, 5, 15, 30 minutes, then hours: about two days in all.
    assert delays[:4] == [1, 5, 15, 30]
    assert delays == sorted(delays)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == len(outbox.RETRY_DELAYS) + 1
    assert email.last_error.startswith("Le serveur de messagerie refuse la connexion — ")

    # Who, what and why, in the admin's list of failed emails.
    listing = staff_client.get("/admin/core/outgoingemail/?status__exact=failed")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "anne.aubert@exemple.fr" in text
    assert email.subject in text
    assert "Connection refused" in text

    # Resent once the server is back.
    server(settings, "Answering")
    cache.delete(outbox.SERVER_DOWN_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        resent = staff_client.post(
            "/admin/core/outgoingemail/",
            {"action": "resend", "_selected_action": [email.pk]},
            follow=True,
        )
    assert "1 e-mail remis dans la file d&#x27;envoi." in resent.content.decode()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert [m.to for m in mail.outbox] == [["anne.aubert@exemple.fr"]]


def test_an_address_refused_for_good_fails_at_once(settings, django_capture_on_commit_callbacks):
    server(settings, "UnknownRecipient")
    with django_capture_on_commit_callbacks(execute=True):
        register(make_event(), name="Anne Aubert")
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == 1
    assert email.last_error.startswith("Adresse refusée par le serveur de messagerie — ")
    assert "User unknown" in email.last_error


def test_ten_clicks_on_register_send_one_email(member_client, django_capture_on_commit_callbacks):
    event = make_event(workshops=(("Atelier bois", 12),))
    for _click in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            response = member_client.post(
                f"/agenda/{event.slug}/inscription/", register_data(event)
            )
        assert response.status_code == 302
    assert Registration.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["membre@exemple.fr"]]
    # A real change is news again: the person changes workshop.
    first = event.workshops.get()
    event.workshops.create(
        title="Atelier énergie", capacity=5, starts_at=first.starts_at, ends_at=first.ends_at
    )
    other = event.workshops.get(title="Atelier énergie")
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(
            f"/agenda/{event.slug}/inscription/", register_data(event, slot_1=str(other.pk))
        )
    assert len(mail.outbox) == 2
    assert "Atelier énergie" in mail.outbox[1].body


def test_twenty_identical_edits_of_a_structure_tell_the_staff_once(
    client, representative, directory, staff_editor, django_capture_on_commit_callbacks
):
    Membership.objects.create(user=representative, entry=directory["bois"])
    client.force_login(representative)
    for _edit in range(20):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/annuaire/structures/pole-bois-montagne/modifier/", entry_change_data()
            )
        assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[staff_editor.email]]


def test_a_repeat_is_sent_again_the_next_day(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.emails_enqueue(
            template="workshop_message",
            context={"subject": "Salle B", "body": "Rendez-vous en salle B."},
            to=["anne@exemple.fr"],
            topic="test",
        )
    OutgoingEmail.objects.update(created_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        written = outbox.emails_enqueue(
            template="workshop_message",
            context={"subject": "Salle B", "body": "Rendez-vous en salle B."},
            to=["anne@exemple.fr"],
            topic="test",
        )
    assert len(written) == 1
    assert len(mail.outbox) == 2


def test_a_proposal_answers_at_once_while_the_server_is_silent(
    member_client, directory, settings, django_capture_on_commit_callbacks, staff_editor
):
    """The request only writes to the outbox: a silent server costs it nothing."""
    server(settings, "Silent")
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post("/pratiques/proposer/", practice_proposal_data())
    assert response.status_code == 302
    assert Practice.objects.filter(title=practice_proposal_data()["title"]).count() == 1
    waiting = OutgoingEmail.objects.get()
    assert waiting.to == staff_editor.email
    assert waiting.status == OutgoingEmail.Status.PENDING
