from django.db import migrations

from core.permissions import grant_to_staff_groups


def grant(apps, schema_editor):
    # Staff curate and moderate; deleting structures, territories or practices stays with
    # superusers (unpublishing or refusing keeps the history).
    grant_to_staff_groups(
        apps,
        "clusters",
        [
            "view_directoryentry",
            "change_directoryentry",
            "add_organisation",
            "change_organisation",
            "view_organisation",
            "add_territory",
            "change_territory",
            "view_territory",
            "add_practice",
            "change_practice",
            "view_practice",
            "change_practicetoreview",
            "view_practicetoreview",
            "add_practicepartner",
            "change_practicepartner",
            "delete_practicepartner",
            "view_practicepartner",
            "add_practicelink",
            "change_practicelink",
            "delete_practicelink",
            "view_practicelink",
            "add_membership",
            "change_membership",
            "delete_membership",
            "view_membership",
            "change_entrychange",
            "view_entrychange",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interclusters", "0003_clusters_staff_permissions"),
        ("clusters", "0003_directory"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
