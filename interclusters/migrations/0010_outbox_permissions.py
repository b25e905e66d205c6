"""The staff teams see the portal's emails and bulk sends, and resend a failed email."""

from django.db import migrations

from core.permissions import grant_to_staff_groups


def grant(apps, schema_editor):
    grant_to_staff_groups(
        apps, "core", ["view_outgoingemail", "change_outgoingemail", "view_emailbatch"]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interclusters", "0009_contentversion_to_core"),
        ("core", "0006_export_file"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
