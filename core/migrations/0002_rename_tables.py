"""The moved tables take their new app's names; content types follow, so that group
permissions stay granted."""

from django.db import migrations

from core.db import move_content_types


def content_types_forward(apps, schema_editor):
    move_content_types(apps, "interclusters", "core", ["contentversion"])
    move_content_types(apps, "clusters", "core", ["searchword"])


def content_types_backward(apps, schema_editor):
    move_content_types(apps, "core", "interclusters", ["contentversion"])
    move_content_types(apps, "core", "clusters", ["searchword"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="contentversion", table=None),
        migrations.AlterModelTable(name="searchword", table=None),
        migrations.RunPython(content_types_forward, content_types_backward),
    ]
