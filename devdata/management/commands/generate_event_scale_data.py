from django.core.management.base import BaseCommand

from devdata.scale.events import event_scale_generate


class Command(BaseCommand):
    help = "Generate 50 events with 5,000 registrations for benchmarks (replaces earlier ones)."

    def handle(self, *args, **options):
        count = event_scale_generate()
        self.stdout.write(self.style.SUCCESS(f"{count} registrations to 50 scale events."))
