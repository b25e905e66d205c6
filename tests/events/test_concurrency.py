"""Capacity under concurrency: threads on the service, then two gunicorn instances."""

import os
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection, connections

from bench import servers
from events.models import Registration, WorkshopChoice
from tests.factories.accounts import UserFactory
from tests.factories.events import make_event, register
from tests.markers import REAL_TRANSACTIONS


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


def _database_url() -> str:
    """The suite's own URL, pointed at the test database."""
    from interclusters import localdb

    url = urllib.parse.urlsplit(os.environ.get("DATABASE_URL") or localdb.database_url())
    name = connections["default"].settings_dict["NAME"]
    return urllib.parse.urlunsplit(url._replace(path=f"/{name}"))


def _app_env() -> dict:
    env = {**os.environ, **servers.LOOPBACK, "DATABASE_URL": _database_url()}
    env["EMAIL_BACKEND"] = "console"
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


@REAL_TRANSACTIONS
def test_a_hundred_registrations_over_two_app_processes_keep_capacity():
    event = make_event(workshops=(("Atelier de dix places", 10),))
    workshop = event.workshops.get()
    people = [
        (UserFactory(email=f"personne{n}@exemple.fr", first_name="Personne", last_name=str(n)))
        for n in range(100)
    ]
    sessions = [servers.signed_in_session(user) for user in people]
    with servers.running(2, env=_app_env()) as ports:

        def post(index: int) -> int:
            return servers.post_form(
                f"http://127.0.0.1:{ports[index % 2]}/agenda/{event.slug}/inscription/",
                {
                    "full_name": f"Personne {index}",
                    "email": f"personne{index}@exemple.fr",
                    "structure_name": "",
                    "consent": "on",
                    "slot_1": str(workshop.pk),
                },
                session=sessions[index],
            )

        with ThreadPoolExecutor(max_workers=100) as pool:
            codes = list(pool.map(post, range(100)))
    assert codes == [302] * 100, codes
    assert Registration.objects.filter(event=event).count() == 100
    assert_capacity_held(workshop, capacity=10, total=100)
    assert settings.SECRET_KEY  # the app processes shared the suite's key to read sessions
