"""Capacity under concurrency: threads on the service, then two gunicorn instances."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, connections

from events.models import Registration, WorkshopChoice
from tests.factories import UserFactory, make_event, register
from tests.markers import REAL_TRANSACTIONS

BASE_DIR = Path(__file__).resolve().parents[2]


def assert_capacity_held(workshop, capacity: int, total: int) -> None:
    choices = list(
        WorkshopChoice.objects.filter(workshop=workshop).order_by("registration__created_at", "pk")
    )
    assert len(choices) == total
    assert len({c.registration_id for c in choices}) == total, "no duplicate"
    confirmed = [c for c in choices if c.status == "confirmed"]
    waiting = [c for c in choices if c.status == "waitlisted"]
    assert len(confirmed) == capacity
    # The waitlist is in arrival order, without gaps.
    assert [c.waitlist_position for c in waiting] == list(range(1, total - capacity + 1))
    assert sorted(waiting, key=lambda c: c.waitlist_position) == waiting


@REAL_TRANSACTIONS
def test_concurrent_registrations_never_oversell_a_workshop():
    event = make_event(workshops=(("Atelier très demandé", 10),))
    workshop = event.workshops.get()

    def attempt(number: int) -> str:
        try:
            register(event, name=f"Personne {number}", workshops=[workshop], notify=False)
            return "ok"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(attempt, range(40)))
    assert results == ["ok"] * 40
    assert_capacity_held(workshop, capacity=10, total=40)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    """The suite's own URL, pointed at the test database."""
    from interclusters import localdb

    url = urllib.parse.urlsplit(os.environ.get("DATABASE_URL") or localdb.database_url())
    name = connections["default"].settings_dict["NAME"]
    return urllib.parse.urlunsplit(url._replace(path=f"/{name}"))


def _start_gunicorn(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "console",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return subprocess.Popen(
        [
            str(gunicorn),
            "interclusters.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--no-control-socket",
        ],  # fmt: skip
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _wait_until_up(port: int) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"gunicorn on port {port} did not start")


def _session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


@REAL_TRANSACTIONS
def test_a_hundred_registrations_over_two_app_processes_keep_capacity():
    event = make_event(workshops=(("Atelier de dix places", 10),))
    workshop = event.workshops.get()
    people = [
        (UserFactory(email=f"personne{n}@exemple.fr", first_name="Personne", last_name=str(n)))
        for n in range(100)
    ]
    sessions = [_session_for(user) for user in people]
    ports = [_free_port(), _free_port()]
    servers = [_start_gunicorn(port) for port in ports]
    try:
        for port in ports:
            _wait_until_up(port)
        csrf = "a" * 32

        def post(index: int) -> int:
            port = ports[index % 2]
            body = urllib.parse.urlencode(
                {
                    "full_name": f"Personne {index}",
                    "email": f"personne{index}@exemple.fr",
                    "structure_name": "",
                    "consent": "on",
                    "slot_1": str(workshop.pk),
                }
            ).encode()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/agenda/{event.slug}/inscription/",
                data=body,
                headers={
                    "Cookie": f"sessionid={sessions[index]}; csrftoken={csrf}",
                    "X-CSRFToken": csrf,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )

            class NoRedirect(urllib.request.HTTPRedirectHandler):
                def redirect_request(self, *args, **kwargs):
                    return None

            opener = urllib.request.build_opener(NoRedirect)
            try:
                return opener.open(request, timeout=60).status
            except urllib.error.HTTPError as error:
                return error.code

        with ThreadPoolExecutor(max_workers=100) as pool:
            codes = list(pool.map(post, range(100)))
    finally:
        for server in servers:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
    assert codes == [302] * 100, codes
    assert Registration.objects.filter(event=event).count() == 100
    assert_capacity_held(workshop, capacity=10, total=100)
    assert settings.SECRET_KEY  # the app processes shared the suite's key to read sessions
