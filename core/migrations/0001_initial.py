"""The content version (from interclusters) and the search vocabulary (from clusters)
move to the shared toolbox. Their tables are kept: this migration only records them
in the new app's state; the next one renames the tables."""

import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("clusters", "0005_clear_nan_points"),
        ("interclusters", "0008_content_version"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentVersion",
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
                        ("counter", models.BigIntegerField(default=0)),
                    ],
                    options={
                        "verbose_name": "version du contenu",
                        "verbose_name_plural": "versions du contenu",
                        "db_table": "interclusters_contentversion",
                    },
                ),
                migrations.CreateModel(
                    name="SearchWord",
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
                        ("word", models.CharField(max_length=100, unique=True)),
                    ],
                    options={
                        "verbose_name": "mot du vocabulaire",
                        "verbose_name_plural": "vocabulaire de recherche",
                        "db_table": "clusters_searchword",
                        "indexes": [
                            django.contrib.postgres.indexes.GinIndex(
                                django.contrib.postgres.indexes.OpClass(
                                    "word", name="gin_trgm_ops"
                                ),
                                name="searchword_trgm",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
