import time

from django.core.management.base import BaseCommand

from reference.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Load the reference data shipped in reference/data/: regions, departments, EPCI, "
        "communes, themes and FEADER measures. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-communes",
            action="store_true",
            help="Load everything but the EPCI and the 35,000 communes.",
        )

    def handle(self, *args, skip_communes: bool = False, **options):
        started = time.monotonic()
        counts = reference_data_load(communes=not skip_communes)
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Reference data loaded in {elapsed:.1f} s: {summary}")
        )
