from django.db import migrations

from core.permissions import grant_to_staff_groups


def grant(apps, schema_editor):
    grant_to_staff_groups(
        apps,
        "surveys",
        [
            "add_survey",
            "change_survey",
            "view_survey",
            "add_section",
            "change_section",
            "view_section",
            "add_question",
            "change_question",
            "view_question",
            "add_choice",
            "change_choice",
            "delete_choice",
            "view_choice",
            "change_invitation",
            "view_invitation",
            "view_response",
            "change_answer",
            "view_answer",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interclusters", "0005_events_staff_permissions"),
        ("surveys", "0001_surveys"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
