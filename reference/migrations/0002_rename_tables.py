"""The reference tables take the reference app's names; content types follow, so that
the staff groups keep their permissions on themes, measures and places."""

from django.db import migrations

from core.db import move_content_types

MODELS = ["region", "department", "epci", "commune", "theme", "fundingmeasure"]


def content_types_forward(apps, schema_editor):
    move_content_types(apps, "clusters", "reference", MODELS)


def content_types_backward(apps, schema_editor):
    move_content_types(apps, "reference", "clusters", MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        *[migrations.AlterModelTable(name=model, table=None) for model in MODELS],
        migrations.RunPython(content_types_forward, content_types_backward),
    ]
