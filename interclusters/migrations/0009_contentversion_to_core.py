"""The content version belongs to the shared toolbox now (core.ContentVersion, same table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("interclusters", "0008_content_version"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ContentVersion")],
            database_operations=[],
        ),
    ]
