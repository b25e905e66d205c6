"""The reference data moved to the reference app with its tables: only the state changes here."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_event_search"),
        ("reference", "0001_initial"),
    ]
    run_before = [("clusters", "0007_reference_to_own_app")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event",
                    name="commune",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="reference.commune",
                        verbose_name="commune",
                    ),
                ),
                migrations.AlterField(
                    model_name="event",
                    name="region",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Déduite de la commune.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="reference.region",
                        verbose_name="région",
                    ),
                ),
                migrations.AlterField(
                    model_name="event",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="events",
                        to="reference.theme",
                        verbose_name="thèmes",
                    ),
                ),
                migrations.AlterField(
                    model_name="proposal",
                    name="theme",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="proposals",
                        to="reference.theme",
                        verbose_name="thème",
                    ),
                ),
                migrations.AlterField(
                    model_name="workshop",
                    name="theme",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="workshops",
                        to="reference.theme",
                        verbose_name="thème",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
