import time

from django.core.management.base import BaseCommand, CommandError

from devdata.scale.surveys import SLUG, survey_scale_generate


class Command(BaseCommand):
    help = (
        "Generate a survey answered by 5,000 structures (40 questions each) for benchmarks. "
        "Needs the directory's scale data (generate_scale_data). Replaces a previous one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--responses", type=int, default=5_000)

    def handle(self, *args, responses: int = 5_000, **options):
        started = time.monotonic()
        try:
            survey = survey_scale_generate(responses=responses)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{survey.responses.count()} responses to /enquetes/{SLUG}/ "
                f"in {time.monotonic() - started:.0f} s."
            )
        )
