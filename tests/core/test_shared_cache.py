"""One cache for every process: the rate limits' counters count exactly however many
processes count at once, and expire; page copies and the rest live in PostgreSQL."""

import threading

import pytest
from django.core.cache import caches
from django.db import connection

from tests.markers import REAL_TRANSACTIONS

pytestmark = REAL_TRANSACTIONS


def test_counters_count_exactly_under_concurrency():
    """Eight connections count at once, as django-ratelimit does (add, else incr): no
    count is lost, as one would be with a read-then-write cache."""
    counters = caches["counters"]
    start = threading.Barrier(8)

    def count():
        start.wait()
        for _hit in range(50):
            if not counters.add("limite", 1, timeout=60):
                counters.incr("limite")
        connection.close()

    threads = [threading.Thread(target=count) for _thread in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert counters.get("limite") == 400


def test_a_counter_starts_again_after_its_period():
    counters = caches["counters"]
    assert counters.add("fenetre", 1, timeout=60)
    assert not counters.add("fenetre", 1, timeout=60)
    assert counters.incr("fenetre") == 2
    counters.set("fenetre", 2, timeout=-1)  # its period is over
    assert counters.get("fenetre") is None
    assert counters.add("fenetre", 1, timeout=60)
    assert counters.get("fenetre") == 1
    with pytest.raises(ValueError, match="not found"):
        counters.incr("absent")


def test_the_default_cache_is_the_database():
    cache = caches["default"]
    cache.set("page:essai", {"content": b"<html>"}, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_cache")
        assert cursor.fetchone()[0] == 1
    assert cache.get("page:essai") == {"content": b"<html>"}
