from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from surveys import services
from surveys.models import Invitation, Survey


class Command(BaseCommand):
    help = (
        "Remind, with their same link, the structures invited to an open survey that have "
        "not submitted their answers. Run it from cron, e.g. every Monday morning."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survey", help="Only this survey (its slug).")
        parser.add_argument(
            "--min-days",
            type=int,
            default=7,
            help="Skip invitations sent or reminded fewer than this many days ago (default 7).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be reminded; send nothing."
        )

    def handle(self, *args, survey=None, min_days=7, dry_run=False, **options):
        if min_days < 0:
            raise CommandError("--min-days cannot be negative.")
        surveys = Survey.objects.filter(status=Survey.Status.OPEN)
        if survey:
            surveys = surveys.filter(slug=survey)
            if not surveys.exists():
                raise CommandError(f"No open survey with the slug {survey!r}.")
        since = timezone.now() - timedelta(days=min_days)
        invitations = (
            Invitation.objects.filter(survey__in=surveys)
            .exclude(Q(sent_at__gt=since) | Q(reminded_at__gt=since))
            .select_related("survey", "entry")
            .order_by("survey__title", "entry__name")
        )
        due = services.invitations_remind(invitations=invitations, dry_run=dry_run)
        for invitation in due:
            self.stdout.write(
                f"{invitation.survey.slug}\t{invitation.entry.name}\t{invitation.email}"
            )
        verb = "would be reminded" if dry_run else "reminded"
        self.stdout.write(self.style.SUCCESS(f"{len(due)} invitation(s) {verb}."))
