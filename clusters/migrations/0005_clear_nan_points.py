"""Two communes of the reference data had their town hall as NaN, and entries placed in
them copied it (which made the map data invalid JSON): no point rather than a bad one."""

from django.db import migrations

CLEAR = """
UPDATE clusters_commune SET latitude = NULL, longitude = NULL
 WHERE latitude = 'NaN' OR longitude = 'NaN';
UPDATE clusters_directoryentry SET latitude = NULL, longitude = NULL
 WHERE latitude = 'NaN' OR longitude = 'NaN';
"""


class Migration(migrations.Migration):
    dependencies = [("clusters", "0004_entry_setting_covering_index")]

    operations = [migrations.RunSQL(CLEAR, migrations.RunSQL.noop)]
