"""Two app instances, a worker and a mail server on one database: `make two-instances`.

Starts two gunicorn instances of 4 workers each on two ports against the same PostgreSQL
(the local cluster, or DATABASE_URL), a worker (`manage.py worker`), and on a local port
a mail server that accepts connections and never answers. Then shows that:

1. a person who signs in on one instance is signed in on the other (sessions live in the
   database, not in a process);
2. 60 registrations for a workshop of 10 seats, sent at once and spread over both
   instances, leave exactly 10 confirmed and a waitlist numbered 1 to 50 without gaps;
3. 20 submissions of one structure's survey answers, at once over both instances, leave
   exactly one submitted response;
4. while the mail server never answers, then while it refuses connections, registering,
   proposing a practice and submitting survey answers each answer in under a second;
5. once a mail server answers, every email those actions caused arrives exactly once:
   none lost, none duplicated (the script brings the retries forward rather than
   waiting for their delay);
6. a rate limit of 12 sign-ups per hour allows exactly 12 over both instances.

Everything it creates carries the prefix "deux-instances" and is deleted at the end.
Exits with status 1 if any check fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
import os
import re
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.servers import (  # noqa: E402
    LOOPBACK,
    NoRedirect,
    free_port,
    post_form,
    running,
    signed_in_session,
    start_worker,
    stop,
)

SMTP_PORT = free_port()

ENV = {
    **LOOPBACK,
    "SECRET_KEY": os.environ.get(
        "SECRET_KEY", "two-instances-only-not-a-secret-0123456789-abcdefghijklmnop"
    ),
    "EMAIL_BACKEND": "smtp",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": str(SMTP_PORT),
    "EMAIL_USE_TLS": "0",
    "EMAIL_TIMEOUT": "5",
    "TASKS_BACKEND": "database",
    "STAFF_NOTIFICATION_EMAILS": "equipe@deux-instances.exemple.fr",
    # Generous limits: this script is the only client; but one limit to check.
    "REGISTRATION_RATE": "1000/m",
    "PROPOSAL_RATE": "1000/m",
    "SURVEY_TOKEN_RATE": "1000/m",
    "SIGN_UP_RATE": "12/h",
}
SIGN_UPS_ALLOWED = 12
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
            {"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token}
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


class SilentMailServer:
    """Accepts connections on the port and never says a word; once closed, the port
    refuses connections."""

    def __init__(self, port: int) -> None:
        self.listener = socket.create_server(("127.0.0.1", port))
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self) -> None:
        with contextlib.suppress(OSError):  # wakes the thread waiting in accept()
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.thread.join(5)
        for connection in self.held:
            connection.close()


class AnsweringMailServer:
    """A mail server that answers (aiosmtpd) and keeps what it receives."""

    def __init__(self, port: int) -> None:
        from aiosmtpd.controller import Controller

        self.received: list[tuple[str, str]] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=port)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):
        from email.parser import BytesParser
        from email.policy import default

        subject = BytesParser(policy=default).parsebytes(envelope.content)["Subject"]
        for address in envelope.rcpt_tos:
            self.received.append((address, " ".join(str(subject).split())))
        await asyncio.sleep(0)
        return "250 OK"

    def close(self) -> None:
        self.controller.stop()


def timed(action) -> tuple[int, float]:
    started = time.monotonic()
    code = action()
    return code, time.monotonic() - started


def main() -> int:
    django_setup()
    from collections import Counter

    from allauth.account.models import EmailAddress
    from django.core.cache import cache, caches
    from django.test import Client
    from django.utils import timezone

    from clusters.models import DirectoryEntry
    from core import mail
    from core.models import OutgoingEmail
    from events.models import Event, Registration, Status, WorkshopChoice
    from interclusters.models import User
    from surveys import services as survey_services
    from surveys.models import Response, Survey
    from tests.factories.clusters import make_entry, practice_proposal_data
    from tests.factories.events import make_event
    from tests.factories.surveys import answer_everything, definition

    cleanup()
    caches["counters"].clear()
    caches["default"].clear()  # django-allauth's sign-up counts
    run_started = timezone.now()
    people = []
    for n in range(70):
        user = User.objects.create_user(
            email=f"{PREFIX}-{n}@exemple.fr", password=PASSWORD if n == 0 else None,
            first_name="Deux", last_name="Instances",
        )  # fmt: skip
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        people.append(user)
    sessions = [signed_in_session(user) for user in people]
    event = make_event(f"{PREFIX} journée", workshops=(("Atelier de dix places", 10),))
    workshop = event.workshops.get()
    other_event = make_event(f"{PREFIX} atelier", workshops=(("Atelier ouvert", 50),))
    survey, _ = survey_services.survey_load(definition(slug=f"{PREFIX}-enquete"))
    invitations = []
    for number in range(2):
        entry = make_entry(f"{PREFIX} pôle {number}", email=f"pole-{number}@{PREFIX}.exemple.fr")
        (invitation,), _ = survey_services.invitations_create(
            survey=survey, entries=[entry], send=False
        )
        answer_everything(Client(), _questions(survey), f"/enquetes/r/{invitation.token}/")
        invitations.append(invitation)

    results = []
    silent = SilentMailServer(SMTP_PORT)
    answering = None
    worker = start_worker(env={**os.environ, **ENV})
    try:
        with running(2, env={**os.environ, **ENV}, workers=4, threads=1) as ports:
            print(
                f"Two instances of 4 workers: 127.0.0.1:{ports[0]} and 127.0.0.1:{ports[1]}; "
                f"a worker; a mail server on 127.0.0.1:{SMTP_PORT} that never answers",
                flush=True,
            )
            results.append(sessions_are_shared(ports, people[0].email))

            def url(index: int, path: str) -> str:
                return f"http://127.0.0.1:{ports[index % 2]}{path}"

            def register(index: int, on=event, slot=workshop) -> int:
                return post_form(
                    url(index, f"/agenda/{on.slug}/inscription/"),
                    {"full_name": f"Personne {index}", "email": people[index].email,
                     "structure_name": "", "consent": "on", "slot_1": str(slot.pk)},
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

            def submit(index: int, invitation=invitations[0]) -> int:
                return post_form(url(index, f"/enquetes/r/{invitation.token}/envoyer/"), {})

            with ThreadPoolExecutor(max_workers=20) as pool:
                codes = list(pool.map(submit, range(20)))
            responses = Response.objects.filter(invitation=invitations[0])
            results.append(check(
                "20 survey submissions at once over both instances",
                codes.count(302) == 20, f"answers {sorted(set(codes))}",
            ))  # fmt: skip
            results.append(check(
                "one response per structure, submitted once",
                responses.count() == 1 and responses.get().status == Response.Status.SUBMITTED,
                f"{responses.count()} response(s)",
            ))  # fmt: skip

            # The mail server never answers: each action, one after another, still answers
            # at once (it only writes to the outbox).
            other_slot = other_event.workshops.get()
            silent_timings = [
                timed(lambda i=i: register(i, on=other_event, slot=other_slot))
                for i in range(60, 65)
            ]
            silent_timings += [
                timed(lambda i=i: post_form(
                    url(i, "/pratiques/proposer/"),
                    practice_proposal_data(title=f"{PREFIX} pratique {i}"),
                    session=sessions[i],
                ))
                for i in range(3)
            ]  # fmt: skip
            silent_timings.append(timed(lambda: submit(1, invitations[1])))
            codes = sorted({code for code, _seconds in silent_timings})
            slowest = max(seconds for _code, seconds in silent_timings)
            results.append(check(
                "mail server silent: 5 registrations, 3 proposals, 1 survey answered < 1 s each",
                codes == [302] and slowest < 1, f"slowest {slowest * 1000:.0f} ms, {codes}",
            ))  # fmt: skip
            ours = OutgoingEmail.objects.filter(created_at__gte=run_started)
            tried = _wait(lambda: ours.exclude(last_error="").exists(), seconds=60)
            results.append(check(
                "the worker found the server silent; the emails wait in the outbox",
                tried and not ours.filter(status="sent").exists(),
                (ours.exclude(last_error="").values_list("last_error", flat=True).first() or "")
                + f" {list(ours.values_list('status', 'attempts', 'next_attempt_at')[:3])}",
            ))  # fmt: skip

            # The server is gone: connections are refused. Same.
            silent.close()
            refused_timings = [
                timed(lambda i=i: register(i, on=other_event, slot=other_slot))
                for i in range(65, 68)
            ]
            slowest = max(seconds for _code, seconds in refused_timings)
            results.append(check(
                "mail server refusing: 3 registrations answered < 1 s each",
                {code for code, _seconds in refused_timings} == {302} and slowest < 1,
                f"slowest {slowest * 1000:.0f} ms",
            ))  # fmt: skip

            # A server answers: every email arrives once. Rather than wait for the retry
            # delays, bring them forward, as time passing would.
            answering = AnsweringMailServer(SMTP_PORT)
            OutgoingEmail.objects.filter(status="pending").update(next_attempt_at=timezone.now())
            cache.delete(mail.SERVER_DOWN_KEY)
            _wait(lambda: not ours.filter(status="pending").exists(), seconds=120)
            expected = Counter(ours.values_list("to", "subject"))
            received = Counter(item for item in answering.received if item in expected)
            registrations = ours.filter(topic__startswith="registration:").count()
            results.append(check(
                "mail server answering: every email arrived, exactly once",
                received == expected and not ours.exclude(status="sent").exists()
                and registrations == 68,
                f"{sum(expected.values())} emails ({registrations} for registrations), "
                f"{sum(received.values())} received, "
                f"duplicates {[k for k, n in received.items() if n > 1][:3]}",
            ))  # fmt: skip

            def sign_up(index: int) -> int:
                return post_form(url(index, "/compte/inscription/"), {"email": "pas-une-adresse"})

            with ThreadPoolExecutor(max_workers=16) as pool:
                codes = list(pool.map(sign_up, range(40)))
            allowed = sum(code != 429 for code in codes)
            results.append(check(
                f"a limit of {SIGN_UPS_ALLOWED} sign-ups per hour holds across 2 × 4 workers",
                allowed == SIGN_UPS_ALLOWED, f"{allowed} allowed, {codes.count(429)} refused",
            ))  # fmt: skip
    finally:
        stop(worker)
        silent.close()
        if answering is not None:
            answering.close()
        OutgoingEmail.objects.filter(created_at__gte=run_started).delete()
        caches["counters"].clear()
        cleanup()
    assert Survey.objects.filter(slug__startswith=PREFIX).count() == 0
    assert not Event.objects.filter(slug__startswith=PREFIX).exists()
    assert not DirectoryEntry.objects.filter(name__startswith=PREFIX).exists()
    print("All checks passed." if all(results) else "Some checks failed.", flush=True)
    return 0 if all(results) else 1


def _wait(condition, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return condition()


def _questions(survey):
    from surveys.models import Question

    return {q.code: q for q in Question.objects.filter(section__survey=survey)}


def cleanup() -> None:
    """Remove what a previous run left."""
    from clusters.models import DirectoryEntry, Practice
    from events.models import Event
    from interclusters.models import User
    from surveys.models import Survey

    for survey in Survey.objects.filter(slug__startswith=PREFIX):
        survey.responses.all().delete()
        survey.delete()
    Event.objects.filter(slug__startswith=PREFIX).delete()
    Practice.objects.filter(title__startswith=PREFIX).delete()
    DirectoryEntry.objects.filter(name__startswith=PREFIX).delete()
    User.objects.filter(email__startswith=PREFIX).delete()


if __name__ == "__main__":
    sys.exit(main())
