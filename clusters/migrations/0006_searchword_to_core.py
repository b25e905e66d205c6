"""The search vocabulary belongs to the shared toolbox now (core.SearchWord, same table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0005_clear_nan_points"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SearchWord")],
            database_operations=[],
        ),
    ]
