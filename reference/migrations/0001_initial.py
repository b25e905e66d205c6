"""Regions, departments, EPCI, communes, themes and funding measures move from the
directory to their own app. Their tables are kept: this records them in the new app's
state; the next migration renames the tables."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("clusters", "0006_searchword_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Department",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.CharField(max_length=3, unique=True, verbose_name="code INSEE"),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="nom")),
                    ],
                    options={
                        "verbose_name": "département",
                        "verbose_name_plural": "départements",
                        "db_table": "clusters_department",
                        "ordering": ["code"],
                    },
                ),
                migrations.CreateModel(
                    name="Epci",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.CharField(
                                max_length=9, unique=True, verbose_name="numéro SIREN"
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="nom")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("CC", "Communauté de communes"),
                                    ("CA", "Communauté d'agglomération"),
                                    ("CU", "Communauté urbaine"),
                                    ("METRO", "Métropole"),
                                    ("MET69", "Métropole de Lyon"),
                                ],
                                max_length=5,
                                verbose_name="type",
                            ),
                        ),
                        (
                            "population",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="population"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "EPCI",
                        "verbose_name_plural": "EPCI",
                        "db_table": "clusters_epci",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="FundingMeasure",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.CharField(max_length=10, unique=True, verbose_name="code")),
                        (
                            "article",
                            models.CharField(max_length=50, verbose_name="article du règlement"),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="intitulé")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "position",
                            models.PositiveSmallIntegerField(default=0, verbose_name="ordre"),
                        ),
                    ],
                    options={
                        "verbose_name": "mesure de financement",
                        "verbose_name_plural": "mesures de financement",
                        "db_table": "clusters_fundingmeasure",
                        "ordering": ["position", "code"],
                    },
                ),
                migrations.CreateModel(
                    name="Region",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.CharField(max_length=3, unique=True, verbose_name="code INSEE"),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="nom")),
                    ],
                    options={
                        "verbose_name": "région",
                        "verbose_name_plural": "régions",
                        "db_table": "clusters_region",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Theme",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "slug",
                            models.SlugField(
                                max_length=60, unique=True, verbose_name="identifiant"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, unique=True, verbose_name="nom")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "position",
                            models.PositiveSmallIntegerField(default=0, verbose_name="ordre"),
                        ),
                    ],
                    options={
                        "verbose_name": "thème",
                        "verbose_name_plural": "thèmes",
                        "db_table": "clusters_theme",
                        "ordering": ["position", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="Commune",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.CharField(max_length=5, unique=True, verbose_name="code INSEE"),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="nom")),
                        (
                            "population",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="population"
                            ),
                        ),
                        (
                            "latitude",
                            models.FloatField(blank=True, null=True, verbose_name="latitude"),
                        ),
                        (
                            "longitude",
                            models.FloatField(blank=True, null=True, verbose_name="longitude"),
                        ),
                        (
                            "density_level",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="Grille communale de densité à 7 niveaux (1 : grands centres urbains … 7 : rural à habitat très dispersé).",
                                null=True,
                                verbose_name="niveau de densité INSEE",
                            ),
                        ),
                        (
                            "department",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="communes",
                                to="reference.department",
                                verbose_name="département",
                            ),
                        ),
                        (
                            "epci",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="communes",
                                to="reference.epci",
                                verbose_name="EPCI",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "commune",
                        "verbose_name_plural": "communes",
                        "db_table": "clusters_commune",
                        "ordering": ["name"],
                    },
                ),
                migrations.AddField(
                    model_name="department",
                    name="region",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="departments",
                        to="reference.region",
                        verbose_name="région",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
