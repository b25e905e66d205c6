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
