"""Fixtures shared by the whole suite: people in each role, reference data, a clean cache."""

import pytest
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

from clusters.services import reference_data_load
from interclusters.permissions import FRANCE_CLUSTERS_TEAM
from tests.factories import PASSWORD, UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the reference data (all but the 35,000 communes)."""
    with django_db_blocker.unblock():
        reference_data_load(communes=False)
    # Transactional tests restore what the migrations wrote (staff groups, permissions)
    # from a snapshot kept on the connection. Playwright's event loop makes asgiref hand
    # out fresh connection objects in the browser tests, which would not carry it: keep
    # the snapshot on the class, where every connection object finds it.
    wrapper = connections[DEFAULT_DB_ALIAS]
    contents = getattr(wrapper, "_test_serialized_contents", None)
    if contents is not None:
        type(wrapper)._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def member(db):
    """A network member: an account and nothing more."""
    return UserFactory(email="membre@exemple.fr", first_name="Marie", last_name="Durand")


@pytest.fixture
def representative(db):
    """A structure representative (linked to a structure by the directory's fixtures)."""
    return UserFactory(email="representant@exemple.fr", first_name="Paul", last_name="Roche")


@pytest.fixture
def staff_editor(db):
    """A France Clusters team member with access to the admin."""
    return UserFactory(
        email="editrice@exemple.fr",
        first_name="Inès",
        last_name="Lambert",
        is_staff=True,
        groups=[FRANCE_CLUSTERS_TEAM],
    )


@pytest.fixture
def outsider(db):
    """Someone with an account but no link to anything under test."""
    return UserFactory(email="autre@exemple.fr", first_name="Hugo", last_name="Blanc")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def staff_client(client, staff_editor):
    client.force_login(staff_editor)
    return client
