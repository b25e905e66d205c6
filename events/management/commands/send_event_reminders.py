from django.conf import settings
from django.core.management.base import BaseCommand

from events.services import event_reminders_send


class Command(BaseCommand):
    help = "Email a reminder to the confirmed registrants of events starting soon (once each)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.EVENT_REMINDER_DAYS,
            help="Events starting within N days.",
        )
        parser.add_argument("--dry-run", action="store_true", help="List who would be reminded.")

    def handle(self, *args, days: int, dry_run: bool, **options):
        due = event_reminders_send(days=days, dry_run=dry_run)
        for registration in due:
            self.stdout.write(f"  {registration.email} — {registration.event.title}")
        verb = "would be reminded" if dry_run else "reminded"
        self.stdout.write(self.style.SUCCESS(f"{len(due)} registrants {verb}."))
