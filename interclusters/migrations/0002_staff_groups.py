from django.db import migrations

from core.permissions import STAFF_GROUPS, grant_to_staff_groups


def create_staff_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in STAFF_GROUPS:
        Group.objects.get_or_create(name=name)
    # Staff can look people up (to link them to a structure, to answer a question);
    # changing accounts stays with superusers.
    grant_to_staff_groups(apps, "interclusters", ["view_user"])


class Migration(migrations.Migration):
    dependencies = [
        ("interclusters", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_staff_groups, migrations.RunPython.noop)]
