from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reference.services import density_grid_import, density_grid_rows


class Command(BaseCommand):
    help = (
        "Import INSEE's grille communale de densité (7 levels) from its CSV or XLSX file, so "
        "that the admin proposes each entry's setting (1–2 urban, 3–4 peri-urban, 5–7 rural)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The grid file, as INSEE publishes it.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file, write nothing.")

    def handle(self, *args, path: Path, dry_run: bool = False, **options):
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            report = density_grid_import(rows=density_grid_rows(path), dry_run=dry_run)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        verb = "would update" if dry_run else "updated"
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.updated} communes {verb}; {report.unknown_codes} unknown codes; "
                f"{len(report.invalid_rows)} rows with an unreadable level."
            )
        )
        for line in report.invalid_rows[:20]:
            self.stdout.write(f"  {line}")
