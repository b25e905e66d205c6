"""Markers shared by the suite."""

import pytest

# Tests on real transactions (threads, other processes, the browser's live server).
# Every one of them restores the migrations' data (staff groups, content types) from the
# snapshot instead of re-running post_migrate: mixing the two ways would give the content
# types new ids and break the next restore.
REAL_TRANSACTIONS = pytest.mark.django_db(transaction=True, serialized_rollback=True)
