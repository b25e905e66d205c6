from django.db import migrations

from core.permissions import MEMENTO_PUBLISHERS, grant_to_staff_groups


def grant(apps, schema_editor):
    grant_to_staff_groups(
        apps,
        "mementos",
        [
            "add_memento",
            "change_memento",
            "view_memento",
            "add_section",
            "change_section",
            "delete_section",
            "view_section",
            "add_monograph",
            "change_monograph",
            "delete_monograph",
            "view_monograph",
            "view_monographreview",
        ],
    )
    grant_to_staff_groups(
        apps,
        "mementos",
        ["publish_memento", "view_memento", "change_memento"],
        groups=(MEMENTO_PUBLISHERS,),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interclusters", "0006_surveys_staff_permissions"),
        ("mementos", "0001_mementos"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
