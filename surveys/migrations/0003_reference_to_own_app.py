"""The reference data moved to the reference app with its tables: only the state changes here."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0001_initial"),
        ("surveys", "0002_condition_restrict"),
    ]
    run_before = [("clusters", "0007_reference_to_own_app")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="answer",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="survey_answers",
                        to="reference.theme",
                        verbose_name="thèmes remontés",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
