"""Background work of the shared toolbox: delivering the outbox, and the clean-ups.
Scheduled jobs are enqueued by the worker's scheduler (core.scheduler); times are
Europe/Paris."""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connection
from django.tasks import task

from core import exportfiles, mail
from core.cache import CounterCache
from core.scheduler import scheduled


@task
def deliver_emails(email_ids: list[int]) -> dict[str, int]:
    """Deliver these emails of the outbox (those still due)."""
    outcome: dict[str, int] = {}
    for email_id in email_ids:
        status = mail.email_deliver(email_id)
        outcome[status] = outcome.get(status, 0) + 1
    return outcome


@scheduled("* * * * *")
@task
def deliver_due_emails() -> int:
    """Every minute: the emails whose retry time has come, and any whose delivery task was
    lost (a worker stopped in the middle)."""
    due = mail.emails_due()
    for email_id in due:
        mail.email_deliver(email_id)
    return len(due)


@task
def prepare_export(export_id: int) -> str:
    """Make the file of an export too big for a request."""
    return exportfiles.export_prepare(export_id)


@scheduled("5 * * * *")
@task
def delete_expired_exports() -> int:
    """Every hour: the export files past their time (EXPORT_FILE_HOURS)."""
    return exportfiles.exports_expire()


@scheduled("45 3 * * *")
@task
def prune_outbox() -> int:
    """Every night at 03:45: sent emails older than OUTBOX_RETENTION_DAYS days, failed
    ones older than three times that."""
    return mail.outbox_prune()


@scheduled("30 3 * * *")
@task
def clear_expired_sessions() -> None:
    """Every night at 03:30: sessions past their expiry."""
    call_command("clearsessions")


@scheduled("15 * * * *")
@task
def clean_caches() -> None:
    """Every hour: expired page copies and rate-limit counters (the database cache only
    removes them when it is full)."""
    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, CounterCache):
            cache.delete_expired()
        elif isinstance(cache, DatabaseCache):
            table = connection.ops.quote_name(cache._table)
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table} WHERE expires < now()")  # noqa: S608


@scheduled("0 4 * * *")
@task
def prune_finished_tasks() -> None:
    """Every night at 04:00: the records of tasks finished more than a week ago."""
    if settings.TASKS_BACKEND == "database":
        call_command("prune_db_task_results", "--min-age-days", "7", verbosity=0)
