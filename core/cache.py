"""A cache backend of counters in PostgreSQL, for the rate limits of every process.

django-ratelimit counts with ``add`` then ``incr``, which must be atomic across
processes; Django's database cache reads then writes (two processes counting at once
lose a count). Here each operation is one SQL statement on ``core.Counter``: an upsert
that only replaces an expired counter, and an ``UPDATE … SET value = value + n``. It
holds integers only. With Redis (``CACHE_URL``), the rate limits count there instead.
"""

from datetime import datetime, timedelta

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connection
from django.utils import timezone


class CounterCache(BaseCache):
    def __init__(self, table: str, params: dict) -> None:
        super().__init__(params)
        self._table = connection.ops.quote_name(table)

    def _expires(self, timeout) -> datetime:
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        if timeout is None:
            return timezone.now() + timedelta(days=365 * 100)
        return timezone.now() + timedelta(seconds=timeout)

    def _sql(self, sql: str, params: list):
        with connection.cursor() as cursor:
            cursor.execute(sql.format(table=self._table), params)
            return cursor.fetchone() if cursor.description else None

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        row = self._sql(
            "INSERT INTO {table} (key, value, expires) VALUES (%s, %s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires "
            "WHERE {table}.expires <= now() RETURNING 1",
            [key, int(value), self._expires(timeout)],
        )
        return row is not None

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        self._sql(
            "INSERT INTO {table} (key, value, expires) VALUES (%s, %s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires",
            [key, int(value), self._expires(timeout)],
        )

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        row = self._sql("SELECT value FROM {table} WHERE key = %s AND expires > now()", [key])
        return default if row is None else row[0]

    def incr(self, key, delta=1, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        row = self._sql(
            "UPDATE {table} SET value = value + %s WHERE key = %s AND expires > now() "
            "RETURNING value",
            [int(delta), key],
        )
        if row is None:
            raise ValueError(f"Key '{key}' not found.")
        return row[0]

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        row = self._sql(
            "UPDATE {table} SET expires = %s WHERE key = %s AND expires > now() RETURNING 1",
            [self._expires(timeout), key],
        )
        return row is not None

    def delete(self, key, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._sql("DELETE FROM {table} WHERE key = %s RETURNING 1", [key]) is not None

    def clear(self) -> None:
        self._sql("DELETE FROM {table}", [])

    def delete_expired(self) -> None:
        """Forget the counters whose period is over (a scheduled job)."""
        self._sql("DELETE FROM {table} WHERE expires <= now()", [])
