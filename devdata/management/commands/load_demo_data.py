from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devdata.demo import accounts as demo


class Command(BaseCommand):
    help = "Load the demo data (accounts, then each app's demo content). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load even though DEBUG is off (never on a production site).",
        )

    def handle(self, *args, allow_without_debug: bool = False, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "Demo data is for development: set DEBUG=1, or pass --allow-without-debug."
            )
        accounts = demo.demo_load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if settings.DEBUG:
            self.stdout.write(f"Demo accounts (password: {demo.DEMO_PASSWORD}):")
            for account in accounts:
                self.stdout.write(f"  {account.role:<34} {account.email}")
            self.stdout.write(
                f"Staff second factor: authenticator-app key {demo.DEMO_TOTP_SECRET}, "
                "or `manage.py demo_code` for the code of the moment."
            )
