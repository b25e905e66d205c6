"""Two app instances on one database: `make two-instances`.

Starts two gunicorn instances on two ports against the same PostgreSQL (the local cluster,
or DATABASE_URL), then shows that:

1. a person who signs in on one instance is signed in on the other (sessions live in the
   database, not in a process);
2. 60 registrations for a workshop of 10 seats, sent at once and spread over both
   instances, leave exactly 10 confirmed and a waitlist numbered 1 to 50 without gaps;
3. 20 submissions of one structure's survey answers, at once over both instances, leave
   exactly one submitted response and one copy by email.

Everything it creates carries the prefix "deux-instances" and is deleted at the end.
Exits with status 1 if any check fails.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.servers import LOOPBACK, NoRedirect, post_form, running, signed_in_session  # noqa: E402

ENV = {
    **LOOPBACK,
    "SECRET_KEY": os.environ.get(
        "SECRET_KEY", "two-instances-only-not-a-secret-0123456789-abcdefghijklmnop"
    ),
    "EMAIL_BACKEND": "console",
    # Generous limits: this script is the only client.
    "REGISTRATION_RATE": "1000/m",
    "SIGN_IN_RATE": "1000/m",
    "SURVEY_TOKEN_RATE": "1000/m",
}
PREFIX = "deux-instances"
PASSWORD = "deux-instances-mot-de-passe"  # noqa: S105 (throwaway accounts, deleted at the end)


def django_setup() -> None:
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interclusters.settings")
    import django

    django.setup()


def check(label: str, ok: bool, detail: str = "") -> bool:
    print(f"{'OK  ' if ok else 'FAIL'} {label}{f' — {detail}' if detail else ''}", flush=True)
    return ok


def sessions_are_shared(ports: list[int], email: str) -> bool:
    """Sign in through instance A's form, then read Mon espace on instance B."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(f"http://127.0.0.1:{ports[0]}/compte/connexion/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    request = urllib.request.Request(
        f"http://127.0.0.1:{ports[0]}/compte/connexion/",
        data=urllib.parse.urlencode(
            {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode(),
        headers={"Referer": f"http://127.0.0.1:{ports[0]}/compte/connexion/"},
    )
    try:
        opener.open(request)
    except urllib.error.HTTPError as error:
        if error.code != 302:
            return check("sign-in on instance A", False, f"HTTP {error.code}")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar if c.name == "sessionid")
    other = urllib.request.Request(
        f"http://127.0.0.1:{ports[1]}/compte/", headers={"Cookie": cookie}
    )
    try:
        body = urllib.request.build_opener(NoRedirect).open(other).read().decode()
    except urllib.error.HTTPError as error:
        return check("session read on instance B", False, f"HTTP {error.code}")
    return check(
        "signed in on instance A, recognised on instance B",
        "Mon espace" in body and "Deux Instances" in body,
    )


def main() -> int:
    django_setup()
    from django.core import mail  # noqa: F401 (the console backend prints to the servers)

    from clusters.models import DirectoryEntry
    from events.models import Event, Registration, Status, WorkshopChoice
    from interclusters.models import User
    from surveys import services as survey_services
    from surveys.models import Response, Survey
    from tests.factories.clusters import make_entry
    from tests.factories.events import make_event
    from tests.factories.surveys import answer_everything, definition

    cleanup()
    people = []
    for n in range(60):
        user = User.objects.create_user(
            email=f"{PREFIX}-{n}@exemple.fr", password=PASSWORD if n == 0 else None,
            first_name="Deux", last_name="Instances",
        )  # fmt: skip
        people.append(user)
    sessions = [signed_in_session(user) for user in people]
    event = make_event(f"{PREFIX} journée", workshops=(("Atelier de dix places", 10),))
    workshop = event.workshops.get()
    entry = make_entry(f"{PREFIX} pôle", email="contact@deux-instances.exemple.fr")
    survey, _ = survey_services.survey_load(definition(slug=f"{PREFIX}-enquete"))
    (invitation,), _ = survey_services.invitations_create(
        survey=survey, entries=[entry], send=False
    )
    from django.test import Client

    answer_everything(Client(), _questions(survey), f"/enquetes/r/{invitation.token}/")

    results = []
    try:
        with running(2, env={**os.environ, **ENV}) as ports:
            print(f"Two instances: 127.0.0.1:{ports[0]} and 127.0.0.1:{ports[1]}", flush=True)
            results.append(sessions_are_shared(ports, people[0].email))

            def register(index: int) -> int:
                return post_form(
                    f"http://127.0.0.1:{ports[index % 2]}/agenda/{event.slug}/inscription/",
                    {"full_name": f"Personne {index}", "email": people[index].email,
                     "structure_name": "", "consent": "on", "slot_1": str(workshop.pk)},
                    session=sessions[index],
                )  # fmt: skip

            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=60) as pool:
                codes = list(pool.map(register, range(60)))
            elapsed = time.monotonic() - started
            choices = WorkshopChoice.objects.filter(workshop=workshop)
            confirmed = choices.filter(status=Status.CONFIRMED).count()
            waiting = sorted(
                choices.filter(status=Status.WAITLISTED).values_list("waitlist_position", flat=True)
            )
            results.append(check(
                "60 registrations at once over both instances",
                codes.count(302) == 60, f"{elapsed:.1f} s, answers {sorted(set(codes))}",
            ))  # fmt: skip
            results.append(check(
                "capacity held: 10 confirmed, waitlist 1–50 without gaps",
                confirmed == 10 and waiting == list(range(1, 51)),
                f"{confirmed} confirmed, {len(waiting)} waiting, "
                f"{Registration.objects.filter(event=event).count()} registrations",
            ))  # fmt: skip

            def submit(index: int) -> int:
                return post_form(
                    f"http://127.0.0.1:{ports[index % 2]}/enquetes/r/{invitation.token}/envoyer/",
                    {},
                )

            with ThreadPoolExecutor(max_workers=20) as pool:
                codes = list(pool.map(submit, range(20)))
            responses = Response.objects.filter(survey=survey)
            results.append(check(
                "20 survey submissions at once over both instances",
                codes.count(302) == 20, f"answers {sorted(set(codes))}",
            ))  # fmt: skip
            results.append(check(
                "one response per structure, submitted once",
                responses.count() == 1 and responses.get().status == Response.Status.SUBMITTED,
                f"{responses.count()} response(s)",
            ))  # fmt: skip
    finally:
        cleanup()
    assert Survey.objects.filter(slug__startswith=PREFIX).count() == 0
    assert not Event.objects.filter(slug__startswith=PREFIX).exists()
    assert not DirectoryEntry.objects.filter(name__startswith=PREFIX).exists()
    print("All checks passed." if all(results) else "Some checks failed.", flush=True)
    return 0 if all(results) else 1


def _questions(survey):
    from surveys.models import Question

    return {q.code: q for q in Question.objects.filter(section__survey=survey)}


def cleanup() -> None:
    """Remove what a previous run left."""
    from clusters.models import DirectoryEntry
    from events.models import Event
    from interclusters.models import User
    from surveys.models import Survey

    for survey in Survey.objects.filter(slug__startswith=PREFIX):
        survey.responses.all().delete()
        survey.delete()
    Event.objects.filter(slug__startswith=PREFIX).delete()
    DirectoryEntry.objects.filter(name__startswith=PREFIX).delete()
    User.objects.filter(email__startswith=PREFIX).delete()


if __name__ == "__main__":
    sys.exit(main())
