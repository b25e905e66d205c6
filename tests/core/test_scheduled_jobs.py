"""The scheduled jobs the worker runs (no cron to install): each is listed in the README
with its time, and each does its work once however often it runs."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from core import scheduler
from core.models import Counter, ExportFile, OutgoingEmail
from events.models import Registration
from surveys import services as survey_services
from surveys.models import Invitation
from tests.factories.events import make_event, register
from tests.factories.surveys import definition

pytestmark = pytest.mark.django_db
README = Path(__file__).parents[2] / "README.md"


def job(name: str):
    scheduler.load_task_modules()
    return next(job for job in scheduler.JOBS if job.name == name)


def test_every_job_is_listed_in_the_readme_with_its_time():
    scheduler.load_task_modules()
    readme = README.read_text()
    table = readme.split("### Scheduled jobs")[1].split("\n## ")[0]
    for entry in scheduler.JOBS:
        row = next((line for line in table.splitlines() if f"`{entry.name}`" in line), None)
        assert row is not None, f"{entry.name} is not in the README's table"
        assert f"`{entry.schedule}`" in row, f"{entry.name}: its schedule is not {row}"


def test_the_jobs_run_at_their_times():
    scheduler.load_task_modules()
    schedules = {entry.name: entry.schedule for entry in scheduler.JOBS}
    assert schedules["send_event_reminders"] == "0 8 * * *"
    assert schedules["send_survey_reminders"] == "0 9 * * Mon"
    assert schedules["anonymise_registrations"] == "0 3 * * *"
    assert schedules["deliver_due_emails"] == "* * * * *"
    assert schedules["delete_expired_exports"] == "5 * * * *"
    # Each job is registered once, however many times the modules are loaded.
    assert len(scheduler.JOBS) == len(schedules)


def test_event_reminders_go_once(django_capture_on_commit_callbacks):
    soon = make_event("Bientôt", days_ahead=2)
    register(soon, name="Anne Aubert", notify=False)
    register(make_event("Plus tard", days_ahead=20), name="Bruno Barbier", notify=False)
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            job("send_event_reminders").task.call()
    assert [m.to for m in mail.outbox] == [["anne.aubert@exemple.fr"]]
    assert mail.outbox[0].attachments  # the calendar file


def test_old_registrations_lose_their_personal_data(settings):
    settings.REGISTRATION_RETENTION_MONTHS = 12
    old, recent = make_event("Séminaire 2024"), make_event("Atelier récent")
    register(old, name="Anne Aubert", notify=False)
    register(recent, name="Bruno Barbier", notify=False)
    for event, days in ((old, 400), (recent, 30)):  # both took place since
        event.starts_at -= timedelta(days=days + 30)
        event.ends_at -= timedelta(days=days + 30)
        event.save(update_fields=["starts_at", "ends_at"])
    assert job("anonymise_registrations").task.call() == 1
    assert job("anonymise_registrations").task.call() == 0
    assert list(
        Registration.objects.order_by("event__starts_at").values_list("email", flat=True)
    ) == [
        "anonyme@invalid",
        "bruno.barbier@exemple.fr",
    ]


def test_survey_reminders_respect_the_minimum_delay(
    directory, settings, django_capture_on_commit_callbacks
):
    settings.SURVEY_REMINDER_MIN_DAYS = 7
    survey, _ = survey_services.survey_load(definition())
    for key in ("bois", "labo"):
        directory[key].email = f"contact@{key}.fr"
        directory[key].save(update_fields=["email"])
    invited, _skipped = survey_services.invitations_create(
        survey=survey, entries=[directory["bois"], directory["labo"]], send=False
    )
    Invitation.objects.filter(entry=directory["bois"]).update(
        sent_at=timezone.now() - timedelta(days=8)
    )
    Invitation.objects.filter(entry=directory["labo"]).update(
        sent_at=timezone.now() - timedelta(days=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert job("send_survey_reminders").task.call() == 1
    assert [m.to for m in mail.outbox] == [["contact@bois.fr"]]
    assert mail.outbox[0].subject.startswith("Rappel")
    # A week has not passed since that reminder: the next Monday's run skips it.
    with django_capture_on_commit_callbacks(execute=True):
        assert job("send_survey_reminders").task.call() == 0


def test_expired_sessions_go():
    stale, fresh = SessionStore(), SessionStore()
    for store in (stale, fresh):
        store["x"] = 1
        store.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    job("clear_expired_sessions").task.call()
    assert list(Session.objects.values_list("session_key", flat=True)) == [fresh.session_key]


def test_expired_export_files_go_with_their_file(member):
    def export(token: str, hours: int) -> ExportFile:
        made = ExportFile.objects.create(
            token=token, owner=member, label="Pratiques", builder="x", format="csv",
            expires_at=timezone.now() + timedelta(hours=hours),
        )  # fmt: skip
        made.file.save(f"{token}/pratiques.csv", ContentFile(b"a;b\n"))
        return made

    old, kept = export("ancien", -1), export("recent", 5)
    path = old.file.name
    assert default_storage.exists(path)
    assert job("delete_expired_exports").task.call() == 1
    assert not default_storage.exists(path)
    assert list(ExportFile.objects.values_list("token", flat=True)) == [kept.token]


def test_old_emails_leave_the_outbox(settings):
    settings.OUTBOX_RETENTION_DAYS = 30

    def email(status: str, days: int) -> OutgoingEmail:
        made = OutgoingEmail.objects.create(
            template="t", to=f"{status}-{days}@exemple.fr", subject="S", text="T",
            topic="t", fingerprint="f", status=status,
        )  # fmt: skip
        OutgoingEmail.objects.filter(pk=made.pk).update(
            created_at=timezone.now() - timedelta(days=days)
        )
        return made

    for status, days in (("sent", 40), ("sent", 10), ("failed", 40), ("failed", 100)):
        email(status, days)
    email("pending", 100)  # still to send: kept whatever its age
    job("prune_outbox").task.call()
    assert sorted(OutgoingEmail.objects.values_list("to", flat=True)) == [
        "failed-40@exemple.fr",
        "pending-100@exemple.fr",
        "sent-10@exemple.fr",
    ]


def test_expired_counters_and_page_copies_go(settings):
    counters = caches["counters"]
    counters.set("fini", 3, timeout=-1)
    counters.set("en-cours", 3, timeout=60)
    caches["default"].set("page:vieille", "x", timeout=-1)
    caches["default"].set("page:recente", "x", timeout=60)
    job("clean_caches").task.call()
    assert list(Counter.objects.values_list("key", flat=True)) == [":1:en-cours"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM core_cache")
        assert cursor.fetchall() == [(":1:page:recente",)]
