"""The two 2015 surveys are reconstructions from the programme's sheet (the original
questionnaires are not public): their introduction says so, so that nobody quotes them as
the originals."""

from django.db import migrations

NOTE = (
    "\n\n*Questionnaire reconstitué à partir de la fiche du programme : le questionnaire "
    "original de 2015 n'est pas public. Ne le citez pas comme l'original.*"
)
SLUGS = ["enquete-2015-clusters", "enquete-2015-territoires"]


def add_notice(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    for survey in Survey.objects.filter(slug__in=SLUGS).exclude(intro__contains="reconstitué"):
        survey.intro += NOTE
        survey.save(update_fields=["intro"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0005_conditions")]

    operations = [migrations.RunPython(add_notice, migrations.RunPython.noop)]
