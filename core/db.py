"""Small database helpers shared by the site-wide pages."""

from django.db import connection
from django.db.models import QuerySet


def count_many(**querysets: QuerySet) -> dict[str, int]:
    """Count several querysets in one round trip: {name: count}."""
    if not querysets:
        return {}
    parts, params = [], []
    for name, queryset in querysets.items():
        if not name.isidentifier():
            raise ValueError(f"Not a usable alias: {name!r}")
        sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        # The SQL is Django's own compiled query; values travel as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{name})")  # noqa: S608
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def move_content_types(apps, old_label: str, new_label: str, models: list[str]) -> None:
    """In a migration that moves models between apps (their tables kept): carry their
    content types over, so that permissions granted to groups, admin history and
    revisions still point to them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in models:
        old = ContentType.objects.filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        if ContentType.objects.filter(app_label=new_label, model=model).exists():
            old.delete()
        else:
            old.app_label = new_label
            old.save(update_fields=["app_label"])


MAX_ID = 2**63 - 1  # PostgreSQL's bigint


def parse_id(raw) -> int | None:
    """A primary key sent by a form or a query string, or None when it cannot be one
    (not a number, negative, beyond bigint)."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if 0 < value <= MAX_ID else None
