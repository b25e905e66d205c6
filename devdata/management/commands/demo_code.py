from django.core.management.base import BaseCommand

from devdata.demo import accounts as demo


class Command(BaseCommand):
    help = "Print the demo staff's second-factor code of the moment (valid 30 seconds)."

    def handle(self, *args, **options):
        self.stdout.write(demo.demo_totp_code())
