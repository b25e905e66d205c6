from django.db import migrations

from core.permissions import grant_to_staff_groups


def grant(apps, schema_editor):
    grant_to_staff_groups(
        apps,
        "clusters",
        [
            "view_region",
            "view_department",
            "view_epci",
            "view_commune",
            "change_commune",
            "view_theme",
            "add_theme",
            "change_theme",
            "view_fundingmeasure",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interclusters", "0002_staff_groups"),
        ("clusters", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
