"""The totals per theme that the themes pages show are kept up to date by every write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters import services
from clusters.models import DirectoryEntry, Practice, ThemeTotal
from clusters.totals import theme_totals_refresh
from reference.models import Theme
from tests.factories.clusters import make_entry, make_practice
from tests.factories.reference import ThemeFactory

pytestmark = pytest.mark.django_db


def totals(theme) -> tuple[int, int]:
    row = ThemeTotal.objects.filter(theme=theme).first()
    return (row.practices, row.entries) if row else (0, 0)


def test_publishing_tagging_and_withdrawing_move_the_totals():
    wood, water = ThemeFactory(slug="bois"), ThemeFactory(slug="eau")
    lead = make_entry("Cluster Bois", themes=[wood])
    hidden = make_entry("Fiche cachée", themes=[wood], published=False)
    assert totals(wood) == (0, 1)  # the unpublished entry does not count

    practice = make_practice("Scierie partagée", lead=lead, themes=[wood], state="proposed")
    assert totals(wood) == (0, 1)
    services.practice_publish(practice=practice)
    assert totals(wood) == (1, 1)

    # Its themes change: the theme it leaves loses it, the one it joins gains it.
    services.practice_save(practice=Practice.objects.get(pk=practice.pk), themes=[water])
    assert totals(wood) == (0, 1)
    assert totals(water) == (1, 0)

    services.entries_set_published(entry_ids=[hidden.pk], published=True)
    assert totals(wood) == (0, 2)

    services.practice_reject(practice=Practice.objects.get(pk=practice.pk), reason="Doublon")
    assert totals(water) == (0, 0)


def test_deleting_and_clearing_themes_recount():
    wood = ThemeFactory(slug="bois")
    lead = make_entry("Cluster Bois", themes=[wood])
    practice = make_practice("Scierie partagée", lead=lead, themes=[wood])
    assert totals(wood) == (1, 1)
    practice.themes.clear()
    assert totals(wood) == (0, 1)
    wood.entries.remove(lead)  # from the theme's side of the link
    assert totals(wood) == (0, 0)
    wood.entries.add(lead)
    assert totals(wood) == (0, 1)
    other = make_entry("Pays du Bois", category="territory", kind="pays", themes=[wood])
    assert totals(wood) == (0, 2)
    other.delete()
    assert totals(wood) == (0, 1)


def test_a_full_recount_matches_the_kept_totals():
    themes = [ThemeFactory(slug=f"theme-{i}") for i in range(3)]
    lead = make_entry("Pôle", themes=themes[:2])
    for i in range(4):
        make_practice(f"Pratique {i}", lead=lead, themes=themes[i % 2 : i % 2 + 2])
    kept = {t.pk: totals(t) for t in themes}
    ThemeTotal.objects.all().delete()
    theme_totals_refresh()
    assert {t.pk: totals(t) for t in themes} == kept
    assert kept[themes[1].pk] == (4, 1)


def test_practices_keep_their_themes_ids_for_the_filters(client):
    wood, water = ThemeFactory(slug="bois"), ThemeFactory(slug="eau")
    lead = make_entry("Cluster Bois")
    practice = make_practice("Scierie partagée", lead=lead, themes=[wood])

    def ids():
        return Practice.objects.get(pk=practice.pk).theme_ids

    assert ids() == [wood.pk]
    water.practices.add(practice)  # from the theme's side
    assert ids() == sorted([wood.pk, water.pk])
    practice.themes.remove(wood)
    assert ids() == [water.pk]
    water.practices.clear()
    assert ids() == []
    practice.themes.add(wood)
    # The list filtered by a theme finds it through the kept ids.
    listed = client.get("/pratiques/?theme=bois").context["results"]
    assert [p.pk for p in listed] == [practice.pk]
    assert list(client.get("/pratiques/?theme=eau").context["results"]) == []


def test_a_save_that_changes_themes_recounts_them_once():
    wood, water, air = (ThemeFactory(slug=slug) for slug in ("bois", "eau", "air"))
    lead = make_entry("Cluster Bois", themes=[wood])
    practice = make_practice("Scierie partagée", lead=lead, themes=[wood, water])
    with CaptureQueriesContext(connection) as seen:
        services.practice_save(practice=Practice.objects.get(pk=practice.pk), themes=[air])
    # Themes removed, themes added, then the reindex: one recount of the three at the end.
    recounts = [q for q in seen.captured_queries if "clusters_themetotal" in q["sql"]]
    assert len(recounts) == 1
    assert (totals(wood), totals(water), totals(air)) == ((0, 1), (0, 0), (1, 0))


@pytest.mark.django_db
def test_entries_keep_a_copy_of_their_themes_ids():
    """The potential partners are ranked on the entries' copy of their themes' ids: it
    follows every way themes are set, from the entry and from the theme."""
    wood, food, health = Theme.objects.order_by("pk")[:3]
    entry = make_entry("Pôle copie", themes=[wood])

    def ids():
        return DirectoryEntry.objects.get(pk=entry.pk).theme_ids

    assert ids() == [wood.pk]
    entry.themes.add(health, food)
    assert ids() == sorted([wood.pk, food.pk, health.pk])
    entry.themes.remove(wood)
    assert ids() == sorted([food.pk, health.pk])
    wood.entries.add(entry)
    assert wood.pk in ids()
    food.entries.clear()
    assert food.pk not in ids()
    entry.themes.clear()
    assert ids() == []
