"""The scale-data generator behind `make bench`: rows as the portal would hold them,
derived columns filled, and found by the same search and filters."""

from django.core.management import call_command

from clusters.models import DirectoryEntry, Practice
from devdata.scale.directory import PREFIX, scale_data_exists
from tests.markers import REAL_TRANSACTIONS


@REAL_TRANSACTIONS  # the command vacuums, which no transaction may wrap
def test_generated_rows_are_searchable_filterable_and_replaceable(
    client, reference_data, places, themes
):
    call_command("generate_scale_data", "--entries", "60", "--practices", "200", "--seed", "7")
    assert scale_data_exists() == 60
    entries = DirectoryEntry.objects.filter(slug__startswith=PREFIX)
    practices = Practice.objects.filter(slug__startswith=PREFIX)
    assert practices.count() == 200
    # Derived columns, as the services compute them.
    assert not entries.filter(search_vector=None).exists()
    assert not practices.filter(search_vector=None).exists()
    assert practices.exclude(region_codes=[]).count() == 200
    assert entries.filter(published_practice_count__gt=0).exists()
    for entry in entries.prefetch_related("themes")[:10]:  # ranked on for the partners
        assert entry.theme_ids == sorted(theme.pk for theme in entry.themes.all())
        assert entry.theme_ids
    # Found by the portal's own search.
    practice = practices.filter(state="published").first()
    page = client.get("/pratiques/", {"q": practice.title})
    assert practice.title in page.content.decode()
    # A second run asks for --replace, and --replace starts over.
    call_command("generate_scale_data", "--entries", "60", "--practices", "200")
    assert practices.count() == 200
    call_command("generate_scale_data", "--entries", "30", "--practices", "50", "--replace")
    assert scale_data_exists() == 30
    assert practices.count() == 50
