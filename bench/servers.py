"""gunicorn instances of the portal on loopback, and requests to them: for the benchmark
(bench/run.py), the two-instance check (bench/two_instances.py) and the suite's tests
across processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# Production settings, but plain HTTP on loopback.
LOOPBACK = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SITE_URL": "http://127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "LOG_LEVEL": "WARNING",
}
CSRF = "c" * 32  # a fixed token, sent as cookie and header by post_form()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(port: int, *, env: dict, workers: int = 2, threads: int = 4) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:``port``, in its own process group; ``threads`` > 1 gives
    threaded workers, else sync ones."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    kind = ["--threads", str(threads), "--worker-class", "gthread"] if threads > 1 else []
    return subprocess.Popen(  # noqa: S603 (our own command line)
        [
            str(gunicorn),
            "interclusters.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *(kind or ["--worker-class", "sync"]),
            "--no-control-socket",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,  # its log goes to stderr, shown with the caller's
        start_new_session=True,
    )


def start_worker(*, env: dict) -> subprocess.Popen:
    """``manage.py worker`` (tasks and scheduled jobs), in its own process group."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "worker",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--verbosity",
            "0",
        ],  # fmt: skip
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_until_up(port: int, *, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn on port {port} did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


@contextmanager
def running(count: int, *, env: dict, **options) -> Iterator[list[int]]:
    """``count`` instances on free ports, up and answering; stopped on the way out."""
    ports = [free_port() for _ in range(count)]
    servers = [start(port, env=env, **options) for port in ports]
    try:
        for port in ports:
            wait_until_up(port)
        yield ports
    finally:
        for server in servers:
            stop(server)


def signed_in_session(user) -> str:
    """The key of a new database session in which ``user`` is signed in."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Leaves redirects to the caller, who checks them."""

    def redirect_request(self, *args, **kwargs):
        return None


def post_form(url: str, data: dict, *, session: str = "", timeout: float = 60) -> int:
    """POST a form as a browser would (CSRF cookie and token), optionally in a session;
    the status code, redirects not followed."""
    cookies = f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else "")
    headers = {
        "Cookie": cookies,
        "X-CSRFToken": CSRF,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(data, doseq=True).encode(), headers=headers
    )
    try:
        return urllib.request.build_opener(NoRedirect).open(request, timeout=timeout).status
    except urllib.error.HTTPError as error:
        return error.code
