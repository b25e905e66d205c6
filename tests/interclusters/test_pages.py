"""Site-wide pages: home, about, errors, language, health check, admin access."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from devdata.demo.accounts import DEMO_ACCOUNTS
from interclusters.models import User
from reference.models import Theme
from tests.factories.clusters import make_entry
from tests.markers import REAL_TRANSACTIONS

BASE_DIR = Path(__file__).resolve().parents[2]


def test_home_is_in_french_and_shows_figures_read_from_the_database(
    client, directory, django_assert_max_num_queries
):
    Theme.objects.create(slug="apiculture", name="Apiculture", position=99)
    # The versions of the directory and the accounts (what the figures are kept under),
    # figures, latest practices (and their themes), mementos, next events, themes.
    with django_assert_max_num_queries(8):
        response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Trois objectifs" in html
    assert "Valoriser les initiatives innovantes en milieu rural" in html
    themes = Theme.objects.count()
    assert f'<dd class="figure-value">{themes}</dd>' in html
    assert "thèmes de travail" in html
    # Two published structures, two territories, two practices (one still proposed).
    figures = response.context["figures"]
    assert (figures["structures"], figures["territories"], figures["practices"]) == (2, 2, 2)
    assert "Dernières pratiques publiées" in html
    assert "Circuits courts agroalimentaires" in html
    assert "Projet secret" not in html


@REAL_TRANSACTIONS
def test_home_figures_follow_a_change_at_once(client, reference_data, directory):
    before = client.get("/").context["figures"]["structures"]
    make_entry("Nouveau pôle", category="structure", kind="pole")  # commits
    assert client.get("/").context["figures"]["structures"] == before + 1


def test_about_page_gives_partners_funding_timeline_and_sources(client, db):
    html = client.get("/a-propos/").content.decode()
    for text in ("France Clusters", "ANPP", "INRA", "3 décembre 2015", "28 septembre 2016"):
        assert text in html
    # French number format: no-break space between thousands, comma for decimals.
    assert "52\xa0971,05 €" in html
    assert "46\xa0974,35 €" in html
    assert "Licence Ouverte 2.0" in html
    assert "decoupage-administratif" in html


@pytest.mark.parametrize(
    "path", ["/mentions-legales/", "/donnees-personnelles/", "/accessibilite/"]
)
def test_legal_pages_are_published(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "<h1>" in response.content.decode()


def test_unknown_address_gives_a_french_404_page(client, db):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert "Retour à l'accueil" in html


def test_language_switch_turns_the_site_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/a-propos/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/a-propos/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Three objectives" in html
    assert "Trois objectifs" not in html
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert "Trois objectifs" in client.get("/").content.decode()


def test_navigation_marks_the_current_page(client, db):
    html = client.get("/a-propos/").content.decode()
    assert 'href="/a-propos/" aria-current="page"' in html


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, r.json()['database'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "interclusters.settings",
        "DATABASE_URL": f"postgres://nobody@/nowhere?host={tmp_path}",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "503 unreachable", result.stderr


def test_admin_refuses_anonymous_visitors(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")


def test_admin_refuses_members(client, member):
    client.force_login(member)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")


def test_admin_welcomes_a_staff_editor_in_french(client, staff_editor):
    client.force_login(staff_editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Interclusters — administration" in html
    # The group gives the editor the reference data, not the power to edit accounts.
    assert client.get("/admin/reference/theme/").status_code == 200
    assert client.get("/admin/interclusters/user/add/").status_code == 403


def test_staff_groups_exist_with_permissions(db):
    from django.contrib.auth.models import Group

    for name in ("Équipe France Clusters", "Équipe ANPP"):
        group = Group.objects.get(name=name)
        codenames = set(group.permissions.values_list("codename", flat=True))
        assert {"view_user", "change_theme", "view_commune"} <= codenames


def test_demo_data_is_idempotent_and_shows_the_banner(client, db):
    from clusters.models import DirectoryEntry, Practice
    from reference.services import reference_data_load

    reference_data_load(communes=True)
    assert "Données de démonstration" not in client.get("/").content.decode()
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())
    assert User.objects.filter(email__endswith="@demo.interclusters.fr").count() == len(
        DEMO_ACCOUNTS
    )
    # 40 demo structures and the programme's three partners (mementos' lead partners).
    assert DirectoryEntry.objects.structures().count() == 43
    assert DirectoryEntry.objects.territories().count() == 30
    assert Practice.objects.published().count() == 57
    assert Practice.objects.filter(rural_urban=True).count() > 40
    from mementos.models import Memento
    from surveys.models import Response, Survey

    assert list(Memento.objects.values_list("number", "status")) == [
        (1, "published"), (2, "published"), (3, "planned"), (4, "planned"),
    ]  # fmt: skip
    assert Survey.objects.count() == 3
    assert 55 <= Response.objects.filter(status="submitted").count() <= 75
    from django.utils import timezone

    from surveys.models import Invitation

    assert not Invitation.objects.filter(reminded_at__gt=timezone.now()).exists()
    editor = User.objects.get(email=DEMO_ACCOUNTS[0].email)
    assert editor.is_staff
    assert editor.groups.filter(name="Équipe France Clusters").exists()
    assert "Données de démonstration" in client.get("/").content.decode()
    response = client.post(
        "/compte/connexion/",
        {"login": DEMO_ACCOUNTS[2].email, "password": "interclusters-demo"},
    )
    assert response.status_code == 302
    assert not mail.outbox
    # Demo staff sign in with the documented second factor.
    from django.test import Client

    from devdata.demo.accounts import demo_totp_code

    staff = Client()
    response = staff.post(
        "/compte/connexion/", {"login": editor.email, "password": "interclusters-demo"}
    )
    assert response.headers["Location"] == "/compte/2fa/authenticate/"
    assert staff.post("/compte/2fa/authenticate/", {"code": demo_totp_code()}).status_code == 302
    assert staff.get("/admin/").status_code == 200


def test_demo_data_refuses_to_load_without_debug(db):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data")


def test_home_lists_the_next_events_that_still_have_seats(client, db):
    from tests.factories.events import make_event, register

    full = make_event("Atelier complet", days_ahead=3, workshops=(("Petit atelier", 1),))
    register(full, name="Ada Lovelace", workshops=[full.workshops.get()], notify=False)
    open_event = make_event("Atelier ouvert", days_ahead=5, workshops=(("Grand atelier", 10),))
    register(open_event, name="Alan Turing", workshops=[open_event.workshops.get()], notify=False)
    make_event("Séminaire sans limite", days_ahead=7, workshops=())
    make_event("Rencontre passée", days_ahead=-5)
    make_event("Brouillon", days_ahead=4, published=False)

    html = client.get("/").content.decode()
    assert "Atelier complet" not in html
    assert "Atelier ouvert" in html
    assert "9 places restantes" in html
    assert "Séminaire sans limite" in html
    assert "Rencontre passée" not in html
    assert "Brouillon" not in html
    assert html.index("Atelier ouvert") < html.index("Séminaire sans limite")


def test_the_map_scripts_are_served_minified(client, directory):
    html = client.get("/carte/").content.decode()
    assert "leaflet.markercluster-src" not in html
    assert re.search(r"leaflet-markercluster/leaflet\.markercluster\.[0-9a-f]{12}\.js", html)
