"""Page copies retire per kind of content: the single content version becomes one row
per kind, each starting from the old counter (the old row becomes the directory's)."""

from django.core.management.color import no_style
from django.db import migrations, models

KINDS = ("directory", "events", "surveys", "mementos", "accounts")


def split_by_kind(apps, schema_editor):
    ContentVersion = apps.get_model("core", "ContentVersion")
    first = ContentVersion.objects.order_by("pk").first()
    counter = first.counter if first else 0
    # The first row was written with an explicit key: the sequence starts after it.
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [ContentVersion]):
            cursor.execute(sql)
    if first:
        first.kind = KINDS[0]
        first.save(update_fields=["kind"])
    for kind in KINDS:
        ContentVersion.objects.get_or_create(kind=kind, defaults={"counter": counter})


def merge_kinds(apps, schema_editor):
    ContentVersion = apps.get_model("core", "ContentVersion")
    ContentVersion.objects.exclude(kind=KINDS[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_searchword_lexeme")]

    operations = [
        migrations.AddField(
            model_name="contentversion",
            name="kind",
            field=models.CharField(default="", max_length=20),
            preserve_default=False,
        ),
        migrations.RunPython(split_by_kind, merge_kinds),
        migrations.AlterField(
            model_name="contentversion",
            name="kind",
            field=models.CharField(max_length=20, unique=True),
        ),
    ]
