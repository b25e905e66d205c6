import time

from django.core.management.base import BaseCommand

from devdata.scale.directory import (
    scale_data_clear,
    scale_data_exists,
    scale_data_generate,
    scale_data_vacuum,
)


class Command(BaseCommand):
    help = (
        "Create a realistic synthetic volume for benchmarks: 20,000 structures and "
        "territories and 100,000 practices by default (slugs start with 'scale-')."
    )

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=20_000)
        parser.add_argument("--practices", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument(
            "--replace", action="store_true", help="Remove earlier scale data first."
        )

    def handle(self, *args, entries: int, practices: int, seed: int, replace: bool, **options):
        existing = scale_data_exists()
        if existing and not replace:
            self.stdout.write(f"Scale data already present ({existing} entries); use --replace.")
            return
        started = time.monotonic()
        if existing:
            scale_data_clear()
        counts = scale_data_generate(entries=entries, practices=practices, seed=seed)
        scale_data_vacuum()
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {counts['entries']} entries and {counts['practices']} practices "
                f"in {time.monotonic() - started:.0f} s."
            )
        )
