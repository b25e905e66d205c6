"""The reference data moved to the reference app with its tables: only the state changes here."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mementos", "0002_review_labels"),
        ("reference", "0001_initial"),
    ]
    run_before = [("clusters", "0007_reference_to_own_app")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="memento",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="mementos",
                        to="reference.theme",
                        verbose_name="thèmes",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
