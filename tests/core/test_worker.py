"""The PostgreSQL queue and its worker, for real: what a request enqueues waits in the
database until `manage.py worker` runs it; bulk sends show their progress; one worker at
a time runs the schedule."""

import signal
import threading

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from clusters.models import DirectoryEntry
from core import scheduler
from core.models import EmailBatch, OutgoingEmail
from surveys import services as survey_services
from surveys.models import Invitation
from tests.core.mailservers import server
from tests.factories.accounts import TOTP_SECRET
from tests.factories.reference import CommuneFactory
from tests.factories.surveys import definition
from tests.markers import REAL_TRANSACTIONS

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.TASKS_BACKEND = "database"
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    # The worker installs its own handlers for a graceful stop.
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def run_worker() -> None:
    """Run every task waiting, then stop (as a worker would, without the schedule)."""
    call_command(
        "worker", "--batch", "--no-scheduler", "--no-startup-delay", "--interval", "0",
        verbosity=0,
    )  # fmt: skip


def many_entries(count: int) -> list[DirectoryEntry]:
    commune = CommuneFactory()
    return DirectoryEntry.objects.bulk_create(
        DirectoryEntry(
            category="structure", kind="cluster", name=f"Cluster n° {number:03}",
            slug=f"cluster-{number:03}", commune=commune, setting="rural", published=True,
            email=f"contact-{number:03}@exemple.fr" if number != 7 else "inconnu@exemple.fr",
        )
        for number in range(count)
    )  # fmt: skip


@REAL_TRANSACTIONS
def test_600_invitations_leave_the_request_at_once_then_the_worker_sends_them(
    reference_data, database_queue, settings, staff_editor
):
    server(settings, "AnsweringButUnknown")
    survey, _ = survey_services.survey_load(definition())
    entries = many_entries(600)
    staff = Client()
    staff.force_login(staff_editor)
    response = staff.post(
        "/admin/clusters/organisation/",
        {
            "action": "invite_entries",
            "_selected_action": [entry.pk for entry in entries],
            "apply": "1",
            "survey": survey.pk,
        },
    )
    # The request only recorded the send and queued one task.
    assert response.status_code == 302
    assert OutgoingEmail.objects.count() == 0
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    progress = staff.get(response["Location"]).content.decode()
    assert "Envoi en cours : 0 / 600" in progress
    assert '<meta http-equiv="refresh"' in progress

    run_worker()
    assert Invitation.objects.count() == 600
    assert len(mail.outbox) == 599
    progress = staff.get(response["Location"]).content.decode()
    assert "Envoi terminé : 599 / 600" in progress
    assert '<meta http-equiv="refresh"' not in progress
    # The failed address, with its reason, on the progress page and its invitation.
    assert "inconnu@exemple.fr" in progress
    assert "User unknown" in progress
    failed = Invitation.objects.get(email="inconnu@exemple.fr")
    assert failed.delivered_at is None
    assert "User unknown" in failed.delivery_error
    assert Invitation.objects.exclude(delivered_at=None).count() == 599


@REAL_TRANSACTIONS
def test_another_person_does_not_see_a_send_s_progress(
    reference_data, database_queue, staff_editor, member
):
    batch = EmailBatch.objects.create(label="Invitations", total=3, created_by=staff_editor)
    other = Client()
    member.is_staff = True
    member.save()
    TOTP.activate(member, TOTP_SECRET)
    other.force_login(member)
    assert other.get(f"/admin/core/emailbatch/{batch.pk}/progression/").status_code == 403


@REAL_TRANSACTIONS
def test_a_registration_waits_in_the_queue_until_the_worker_runs(
    reference_data, database_queue, member
):
    from tests.factories.events import make_event, register_data

    event = make_event(workshops=(("Atelier bois", 12),))
    client = Client()
    client.force_login(member)
    response = client.post(f"/agenda/{event.slug}/inscription/", register_data(event))
    assert response.status_code == 302
    email = OutgoingEmail.objects.get()
    assert email.status == "pending"
    assert mail.outbox == []
    run_worker()
    email.refresh_from_db()
    assert email.status == "sent"
    assert [m.to for m in mail.outbox] == [["membre@exemple.fr"]]


def test_the_worker_says_when_there_is_no_queue_to_run(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="there is no queue for a worker"):
        call_command("worker", "--batch", "--no-scheduler")


@REAL_TRANSACTIONS
def test_one_worker_at_a_time_holds_the_schedule():
    """Each worker's scheduler asks PostgreSQL for one advisory lock: the first holds it,
    the second stands by, and takes over once the first is gone."""
    results: dict[str, bool] = {}
    first_holds = threading.Event()
    release = threading.Event()

    def first():
        results["first"] = scheduler.hold_lock()
        first_holds.set()
        release.wait(10)
        results["first again"] = scheduler.hold_lock()
        connection.close()  # the worker stops: its session ends, and the lock with it

    def second(label):
        results[label] = scheduler.hold_lock()
        connection.close()

    one = threading.Thread(target=first)
    one.start()
    first_holds.wait(10)
    other = threading.Thread(target=second, args=("second",))
    other.start()
    other.join(10)
    release.set()
    one.join(10)
    later = threading.Thread(target=second, args=("second, later",))
    later.start()
    later.join(10)
    assert results == {
        "first": True, "second": False, "first again": True, "second, later": True,
    }  # fmt: skip
