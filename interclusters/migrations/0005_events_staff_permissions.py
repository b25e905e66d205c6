from django.db import migrations

from core.permissions import grant_to_staff_groups


def grant(apps, schema_editor):
    grant_to_staff_groups(
        apps,
        "events",
        [
            "add_event",
            "change_event",
            "view_event",
            "add_workshop",
            "change_workshop",
            "delete_workshop",
            "view_workshop",
            "add_callforparticipation",
            "change_callforparticipation",
            "view_callforparticipation",
            "change_registration",
            "view_registration",
            "view_workshopchoice",
            "change_proposal",
            "view_proposal",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interclusters", "0004_directory_staff_permissions"),
        ("events", "0001_calendar"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
