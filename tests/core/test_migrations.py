"""The move of the reference data and of the shared tables to their own apps keeps every
row: a database at the state before the move is migrated forward, then read with the
current models."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.markers import REAL_TRANSACTIONS

BEFORE_THE_MOVE = [
    ("clusters", "0005_clear_nan_points"),
    ("interclusters", "0008_content_version"),
    ("events", "0002_event_search"),
    ("surveys", "0002_condition_restrict"),
    ("mementos", "0002_review_labels"),
    ("reference", None),
    ("core", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@REAL_TRANSACTIONS
def test_a_database_from_before_the_move_keeps_every_row(reference_data):
    old = _migrate(BEFORE_THE_MOVE)
    Region = old.get_model("clusters", "Region")
    Department = old.get_model("clusters", "Department")
    Commune = old.get_model("clusters", "Commune")
    Theme = old.get_model("clusters", "Theme")
    Entry = old.get_model("clusters", "DirectoryEntry")
    Event = old.get_model("events", "Event")
    SearchWord = old.get_model("clusters", "SearchWord")
    ContentVersion = old.get_model("interclusters", "ContentVersion")
    Permission = old.get_model("auth", "Permission")
    Group = old.get_model("auth", "Group")

    region = Region.objects.create(code="R99", name="Région d'essai")
    department = Department.objects.create(code="D99", name="Département d'essai", region=region)
    commune = Commune.objects.create(code="99001", name="Essai-le-Bourg", department=department)
    theme = Theme.objects.get(slug="bois-foret")
    entry = Entry.objects.create(
        category="structure", kind="cluster", name="Cluster d'essai", slug="cluster-essai",
        commune=commune, department=department, region=region,
    )  # fmt: skip
    entry.themes.add(theme)
    entry.departments.add(department)
    event = Event.objects.create(
        kind="seminar", title="Séminaire d'essai", slug="seminaire-essai", summary="…",
        starts_at=timezone.now(), ends_at=timezone.now(), commune=commune, region=region,
    )  # fmt: skip
    event.themes.add(theme)
    SearchWord.objects.create(word="essaimage")
    ContentVersion.objects.update_or_create(pk=1, defaults={"counter": 41})
    themes_before = Theme.objects.count()
    team = Group.objects.get(name="Équipe France Clusters")
    granted_before = set(
        team.permissions.filter(codename__endswith="_theme").values_list("codename", flat=True)
    )
    assert granted_before, "the staff groups may edit themes"
    assert Permission.objects.filter(content_type__app_label="clusters", codename="change_theme")

    _migrate(_latest())

    from django.contrib.auth.models import Group as CurrentGroup

    from clusters.models import DirectoryEntry
    from core.models import ContentVersion as CurrentContentVersion
    from core.models import SearchWord as CurrentSearchWord
    from events.models import Event as CurrentEvent
    from reference.models import Commune as CurrentCommune
    from reference.models import Theme as CurrentTheme

    moved = DirectoryEntry.objects.get(slug="cluster-essai")
    assert moved.commune == CurrentCommune.objects.get(code="99001")
    assert moved.commune.department.region.name == "Région d'essai"
    assert [t.slug for t in moved.themes.all()] == ["bois-foret"]
    assert [d.code for d in moved.departments.all()] == ["D99"]
    assert CurrentEvent.objects.get(slug="seminaire-essai").themes.get().slug == "bois-foret"
    assert CurrentTheme.objects.count() == themes_before
    assert CurrentSearchWord.objects.filter(word="essaimage").exists()
    assert CurrentContentVersion.objects.get(pk=1).counter == 41
    # The staff groups keep their rights, now on the reference app's themes.
    team = CurrentGroup.objects.get(name="Équipe France Clusters")
    assert {
        p.codename for p in team.permissions.filter(content_type__app_label="reference")
    } >= granted_before
    tables = connection.introspection.table_names()
    assert "reference_commune" in tables
    assert "clusters_commune" not in tables
    assert "core_searchword" in tables
    assert "clusters_searchword" not in tables
