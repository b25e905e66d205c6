from django.core.management.base import BaseCommand, CommandError

from surveys import services
from surveys.models import Survey


class Command(BaseCommand):
    help = (
        "Remind now, with their same link, the structures invited to an open survey that "
        "have not submitted their answers and were not invited or reminded within "
        "SURVEY_REMINDER_MIN_DAYS days. The worker does it every Monday at 09:00."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survey", help="Only this survey (its slug).")
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be reminded; send nothing."
        )

    def handle(self, *args, survey=None, dry_run=False, **options):
        if survey and not Survey.objects.filter(slug=survey, status=Survey.Status.OPEN).exists():
            raise CommandError(f"No open survey with the slug {survey!r}.")
        due = services.invitations_remind(
            invitations=services.reminders_due(survey_slug=survey or ""), dry_run=dry_run
        )
        for invitation in due:
            self.stdout.write(
                f"{invitation.survey.slug}\t{invitation.entry.name}\t{invitation.email}"
            )
        verb = "would be reminded" if dry_run else "reminded"
        self.stdout.write(self.style.SUCCESS(f"{len(due)} invitation(s) {verb}."))
