"""Fixtures shared by the whole suite: people in each role, reference data, a clean cache."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections

from core.permissions import FRANCE_CLUSTERS_TEAM, MEMENTO_PUBLISHERS
from reference.services import reference_data_load
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.reference import CommuneFactory


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


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test starts from an emptied database: put the reference data back."""
    from reference.models import Region

    if not Region.objects.exists():
        reference_data_load(communes=False)


@pytest.fixture(autouse=True)
def _fast_password_hashing_and_private_media(settings, tmp_path):
    """Hashing 100 passwords with the production hasher would take a minute; uploads go
    to a folder of the test's own."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(scope="session", autouse=True)
def _static_files_found_on_request():
    """WhiteNoise lists every collected static file each time a middleware chain is built,
    that is for each test Client: about 0.15 s a client, minutes over the suite. In the
    tests it looks a file up when it is asked for instead (its autorefresh mode)."""
    from django.conf import settings as django_settings

    django_settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def _one_rate_limit_window(monkeypatch):
    """django-ratelimit counts in windows of the clock: six requests against « 5 a minute »
    that straddle the end of a window would be counted in two, and the sixth let through.
    A test's requests all fall in the window of its start."""
    import time
    from types import SimpleNamespace

    import django_ratelimit.core

    start = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: start))


def _clear_caches() -> None:
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _clear_cache(django_db_setup, django_db_blocker):
    """Every test starts with empty caches: the shared ones live in the test database,
    where transactional tests leave rows behind."""
    with django_db_blocker.unblock():
        _clear_caches()
    yield
    with django_db_blocker.unblock():
        _clear_caches()


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
def publisher(db):
    """A staff member who may also publish mementos."""
    return UserFactory(
        email="publication@exemple.fr",
        first_name="Sophie",
        last_name="Leroy",
        is_staff=True,
        groups=[FRANCE_CLUSTERS_TEAM, MEMENTO_PUBLISHERS],
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


@pytest.fixture
def places(db):
    """Real places: Lyon (urban, Rhône), Ambert (rural, Puy-de-Dôme), Clermont-Ferrand
    (urban, Puy-de-Dôme), Saint-Flour (rural, Cantal)."""
    from reference.models import Department

    def commune(code, name, department, lat, lon):
        return CommuneFactory(
            code=code,
            name=name,
            department=Department.objects.get(code=department),
            latitude=lat,
            longitude=lon,
        )

    return {
        "lyon": commune("69123", "Lyon", "69", 45.7677, 4.8354),
        "ambert": commune("63003", "Ambert", "63", 45.5497, 3.7417),
        "clermont": commune("63113", "Clermont-Ferrand", "63", 45.7772, 3.0870),
        "saint_flour": commune("15187", "Saint-Flour", "15", 45.0337, 3.0930),
    }


@pytest.fixture
def themes(db):
    from reference.models import Theme

    return {theme.slug: theme for theme in Theme.objects.all()}


@pytest.fixture
def directory(places, themes):
    """A small directory: two rural and two urban entries, one unpublished, and
    practices between them (one still proposed)."""
    from reference.models import FundingMeasure
    from tests.factories.clusters import make_entry, make_practice

    m16 = FundingMeasure.objects.get(code="M16")
    m19 = FundingMeasure.objects.get(code="M19")
    bois = make_entry(
        "Pôle Bois Montagne",
        commune=places["ambert"],
        setting="rural",
        themes=[themes["bois-foret"], themes["energie-transition-ecologique"]],
        description="Scieries et charpentiers du Livradois-Forez.",
        acronym="PBM",
    )
    labo = make_entry(
        "Laboratoire des matériaux biosourcés",
        kind="research",
        commune=places["clermont"],
        setting="urban",
        themes=[themes["bois-foret"], themes["economie-circulaire"]],
    )
    metropole = make_entry(
        "Métropole de Lyon",
        category="territory",
        kind="epci",
        commune=places["lyon"],
        setting="urban",
        themes=[
            themes["agroalimentaire"],
            themes["bois-foret"],
            themes["energie-transition-ecologique"],
        ],
    )
    pays = make_entry(
        "Pays de Saint-Flour",
        category="territory",
        kind="pays",
        commune=places["saint_flour"],
        setting="rural",
        themes=[themes["agroalimentaire"], themes["tourisme"]],
    )
    hidden = make_entry(
        "Cluster caché",
        commune=places["lyon"],
        setting="urban",
        published=False,
        themes=[themes["bois-foret"]],
    )
    wood = make_practice(
        "Coopérations pour le bois local des chantiers urbains",
        lead=bois,
        partners=[metropole, labo],
        themes=[themes["bois-foret"]],
        measures=[m16],
        summary="Les scieries livrent du bois certifié aux chantiers de la métropole.",
        kind="supply_chain",
        rural_contribution="La forêt et le savoir-faire.",
        urban_contribution="Des marchés publics.",
    )
    food = make_practice(
        "Circuits courts agroalimentaires",
        lead=pays,
        partners=[metropole],
        themes=[themes["agroalimentaire"]],
        measures=[m19],
        start_year=2015,
        end_year=2018,
        status="completed",
        summary="Les éleveurs approvisionnent les cantines.",
    )
    secret = make_practice(
        "Projet secret de scierie mobile",
        lead=bois,
        state="proposed",
        summary="Pas encore relu.",
        themes=[themes["bois-foret"]],
    )
    return {
        "bois": bois, "labo": labo, "metropole": metropole, "pays": pays, "hidden": hidden,
        "wood": wood, "food": food, "secret": secret,
    }  # fmt: skip


@pytest.fixture
def forest_lab(places, themes):
    """An urban research institute on two of the wood pole's themes that works with
    nobody yet: the pole's one potential partner in ``directory``."""
    from tests.factories.clusters import make_entry

    return make_entry(
        "Institut forêt-énergie",
        kind="research",
        commune=places["lyon"],
        setting="urban",
        themes=[themes["bois-foret"], themes["energie-transition-ecologique"]],
    )
