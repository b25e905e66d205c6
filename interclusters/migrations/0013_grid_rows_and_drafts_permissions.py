from django.db import migrations

from core.permissions import MEMENTO_PUBLISHERS, grant_to_staff_groups


def grant(apps, schema_editor):
    # The staff build grids (their rows) and conditions, and see the changes waiting for
    # review; those who publish mementos decide on them.
    grant_to_staff_groups(
        apps,
        "surveys",
        [
            *(f"{action}_{model}" for model in ("gridrow", "rule")
              for action in ("add", "change", "delete", "view")),
        ],
    )  # fmt: skip
    grant_to_staff_groups(apps, "mementos", ["view_draft"])
    grant_to_staff_groups(
        apps, "mementos", ["view_draft", "change_draft"], groups=(MEMENTO_PUBLISHERS,)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interclusters", "0012_savedsearch"),
        ("surveys", "0007_question_kinds_grid_ranking_bounds"),
        ("mementos", "0004_drafts_of_published_content"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
