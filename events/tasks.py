"""Scheduled jobs of the calendar (run by the worker; times are Europe/Paris)."""

from django.conf import settings
from django.tasks import task

from core.models import EmailBatch
from core.scheduler import scheduled
from events import services
from events.models import Workshop


@task
def send_workshop_message(batch_id: int, workshop_ids: list[int], subject: str, body: str) -> int:
    """Write a staff message to everyone holding a seat in these workshops, for a bulk
    send started in the admin."""
    batch = EmailBatch.objects.get(pk=batch_id)
    written = 0
    for workshop in Workshop.objects.filter(pk__in=workshop_ids).select_related("event"):
        written += services.workshop_message_send(
            workshop=workshop, subject=subject, body=body, batch=batch
        )
    return written


@scheduled("0 8 * * *")
@task
def send_event_reminders() -> int:
    """Every morning at 08:00: remind, once, the confirmed registrants of events starting
    within EVENT_REMINDER_DAYS days."""
    return len(services.event_reminders_send(days=settings.EVENT_REMINDER_DAYS))


@scheduled("0 3 * * *")
@task
def anonymise_registrations() -> int:
    """Every night at 03:00: registrations to events that ended more than
    REGISTRATION_RETENTION_MONTHS months ago lose their personal data."""
    return services.registrations_anonymise(months=settings.REGISTRATION_RETENTION_MONTHS)
