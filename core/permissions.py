"""Staff groups and the permissions each app grants them.

Two groups are created by a data migration: France Clusters' team and ANPP's team; a third
holds the right to publish mementos. Each
app that adds models grants them permissions in a data migration of its own, through
``grant_to_staff_groups``, so that a fresh database and an old one end up alike.
"""

from django.contrib.auth.management import create_permissions

FRANCE_CLUSTERS_TEAM = "Équipe France Clusters"
ANPP_TEAM = "Équipe ANPP"
STAFF_GROUPS = (FRANCE_CLUSTERS_TEAM, ANPP_TEAM)
# Those who publish, unpublish and archive mementos (editors only write them).
MEMENTO_PUBLISHERS = "Publication des mémentos"


def grant_to_staff_groups(apps, app_label: str, codenames: list[str], groups=STAFF_GROUPS) -> None:
    """In a data migration: give ``groups`` the permissions ``app_label.<codename>``."""
    # Permissions are normally created after all migrations ran; create them now.
    app_config = apps.get_app_config(app_label)
    # A historical app config has no models module, which create_permissions skips.
    app_config.models_module = getattr(app_config, "models_module", None) or True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
    missing = set(codenames) - {p.codename for p in permissions}
    if missing:
        raise LookupError(f"Unknown permissions for {app_label}: {sorted(missing)}")
    for name in groups:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)
