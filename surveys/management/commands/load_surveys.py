from django.core.management.base import BaseCommand

from surveys import data, services


class Command(BaseCommand):
    help = (
        "Load the programme's 2015 surveys (one to clusters, one to territories). "
        "A survey already there is left as it is: safe to run again."
    )

    def handle(self, *args, **options):
        for definition in data.surveys_2015():
            survey, created = services.survey_load(definition)
            state = "loaded" if created else "already there"
            self.stdout.write(f"{survey.title}: {state}.")
