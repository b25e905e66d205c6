from django.conf import settings
from django.core.management.base import BaseCommand

from events.services import registrations_anonymise


class Command(BaseCommand):
    help = (
        "Remove names, emails and needs from registrations to events that ended more than "
        "REGISTRATION_RETENTION_MONTHS months ago (counts are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=settings.REGISTRATION_RETENTION_MONTHS)

    def handle(self, *args, months: int, **options):
        count = registrations_anonymise(months=months)
        self.stdout.write(self.style.SUCCESS(f"{count} registrations anonymised."))
