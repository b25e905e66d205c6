"""The reference data moved to the reference app with its tables: only the state changes here."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0006_searchword_to_core"),
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="directoryentry",
                    name="commune",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Pour un territoire, la commune siège.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="reference.commune",
                        verbose_name="commune",
                    ),
                ),
                migrations.AlterField(
                    model_name="directoryentry",
                    name="departments",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="covering_entries",
                        to="reference.department",
                        verbose_name="départements couverts",
                    ),
                ),
                migrations.AlterField(
                    model_name="directoryentry",
                    name="department",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Déduit de la commune, sinon du premier département couvert.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="reference.department",
                        verbose_name="département",
                    ),
                ),
                migrations.AlterField(
                    model_name="directoryentry",
                    name="epci",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="entries",
                        to="reference.epci",
                        verbose_name="EPCI correspondant",
                    ),
                ),
                migrations.AlterField(
                    model_name="practice",
                    name="funding_measures",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="practices",
                        to="reference.fundingmeasure",
                        verbose_name="mesures FEADER",
                    ),
                ),
                migrations.AlterField(
                    model_name="directoryentry",
                    name="region",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="reference.region",
                        verbose_name="région",
                    ),
                ),
                migrations.AlterField(
                    model_name="practice",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="practices",
                        to="reference.theme",
                        verbose_name="thèmes",
                    ),
                ),
                migrations.AlterField(
                    model_name="directoryentry",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="entries",
                        to="reference.theme",
                        verbose_name="thèmes",
                    ),
                ),
                migrations.DeleteModel(
                    name="Commune",
                ),
                migrations.DeleteModel(
                    name="Department",
                ),
                migrations.DeleteModel(
                    name="Region",
                ),
                migrations.DeleteModel(
                    name="Epci",
                ),
                migrations.DeleteModel(
                    name="Theme",
                ),
                migrations.DeleteModel(
                    name="FundingMeasure",
                ),
            ],
            database_operations=[],
        ),
    ]
