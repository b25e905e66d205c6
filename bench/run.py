"""Load benchmark of the portal on scale data: `make bench`.

Generates the scale data when it is missing, serves the portal with gunicorn on
loopback (DEBUG off, production settings but plain HTTP), loads each page kind with
ApacheBench (ab) and prints requests/s, p50/p95/p99 and the SQL queries each page runs.
Figures are also written to var/bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "LOG_LEVEL": "WARNING",
}


def django_setup() -> None:
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interclusters.settings")
    import django

    django.setup()


def ensure_scale_data() -> None:
    from django.core.management import call_command

    from clusters.scale import scale_data_exists

    if scale_data_exists() < 20_000:
        print("Generating scale data (20,000 entries, 100,000 practices)…", flush=True)
        call_command("generate_scale_data", "--replace")
    from surveys.models import Response
    from surveys.scale import SLUG

    if Response.objects.filter(survey__slug=SLUG).count() < 5_000:
        print("Generating a survey with 5,000 responses of 40 questions…", flush=True)
        call_command("generate_survey_scale_data")


def staff_session() -> str:
    """A signed-in staff editor's session key, for the staff pages."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from interclusters.models import User
    from interclusters.permissions import FRANCE_CLUSTERS_TEAM

    user, _created = User.objects.get_or_create(
        email="bench-staff@exemple.fr", defaults={"first_name": "Bench", "is_staff": True}
    )
    user.groups.add(Group.objects.get(name=FRANCE_CLUSTERS_TEAM))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def pages() -> list[tuple[str, str]]:
    """(name, path) of every page kind measured, with real slugs from the scale data."""
    from clusters.models import DirectoryEntry, Practice

    structure = (
        DirectoryEntry.objects.published()
        .structures()
        .filter(slug__startswith="scale-", published_practice_count__gt=3)
        .order_by("pk")
        .values_list("slug", flat=True)
        .first()
    )
    territory = (
        DirectoryEntry.objects.published()
        .territories()
        .filter(slug__startswith="scale-", published_practice_count__gt=3)
        .order_by("pk")
        .values_list("slug", flat=True)
        .first()
    )
    practice = (
        Practice.objects.published()
        .filter(slug__startswith="scale-")
        .order_by("pk")
        .values_list("slug", flat=True)
        .first()
    )
    return [
        ("home", "/"),
        ("directory", "/annuaire/"),
        ("directory, 2 filters", "/annuaire/?milieu=rural&region=84"),
        ("directory, search", "/annuaire/?q=numerique"),
        ("directory, search + 2 filters", "/annuaire/?q=numerique&milieu=rural&region=84"),
        ("structure page", f"/annuaire/structures/{structure}/"),
        ("territory page", f"/annuaire/territoires/{territory}/"),
        ("practices", "/pratiques/"),
        ("practices, 2 filters", "/pratiques/?theme=bois-foret&region=84"),
        ("practices, search", "/pratiques/?q=bois"),
        ("practices, search + 2 filters", "/pratiques/?q=bois&theme=bois-foret&region=84"),
        ("practices, typo", "/pratiques/?q=agroalimentiare&region=84"),
        ("practice page", f"/pratiques/{practice}/"),
        ("map page", "/carte/?region=84"),
        ("map data", "/carte/donnees.geojson?region=84&theme=tourisme"),
        ("directory CSV", "/annuaire/export.csv?region=84&theme=tourisme"),
        ("practices CSV", "/pratiques/export.csv?q=bois&region=84"),
        ("survey results (5,000 responses)", "/enquetes/scale-enquete/resultats/"),
        ("survey dashboard (5,000, staff)", "/enquetes/scale-enquete/tableau-de-bord/"),
        ("survey CSV (5,000, staff)", "/enquetes/scale-enquete/export.csv"),
    ]


def count_queries(paths: list[tuple[str, str]], session: str) -> dict[str, int]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path in paths:
        client = Client()
        if "staff" in name:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        client.get(path)
        with CaptureQueriesContext(connection) as context:
            response = client.get(path)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        counts[name] = len(context.captured_queries)
    return counts


def start_server(port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(  # noqa: S603 (our own command line)
        [
            str(gunicorn),
            "interclusters.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
            "--access-logfile",
            "/dev/null",
        ],  # fmt: skip
        cwd=BASE_DIR,
        env={**os.environ, **ENV},
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def ab(url: str, requests: int, concurrency: int, cookie: str = "") -> dict:
    extra = ["-C", cookie] if cookie else []
    out = subprocess.run(  # noqa: S603 (our own command line)
        ["ab", "-q", "-k", "-n", str(requests), "-c", str(concurrency), *extra, url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))
    percentiles = {int(p): int(ms) for p, ms in re.findall(r"^\s+(\d+)%\s+(\d+)", out, re.M)}
    failed = int(re.search(r"Failed requests:\s+(\d+)", out).group(1))
    non_2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    return {
        "rps": rps,
        "p50": percentiles.get(50),
        "p95": percentiles.get(95),
        "p99": percentiles.get(99),
        "errors": failed + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if not shutil.which("ab"):
        raise SystemExit("ApacheBench is missing: apt-get install apache2-utils")

    django_setup()
    ensure_scale_data()
    from django.conf import settings

    paths = pages()
    session = staff_session()
    queries = count_queries(paths, session)
    server = start_server(args.port, args.workers)
    results = []
    try:
        for name, path in paths:
            url = f"http://127.0.0.1:{args.port}{path}"
            cookie = f"{settings.SESSION_COOKIE_NAME}={session}" if "staff" in name else ""
            # The heavy pages get a tenth of the requests: their time is what matters.
            requests = args.requests // 10 if "5,000" in name else args.requests
            ab(url, max(5, requests // 10), args.concurrency, cookie)  # warm-up
            figures = ab(url, requests, args.concurrency, cookie)
            results.append({"page": name, "path": path, "queries": queries[name], **figures})
            print(
                f"{name:<32} {figures['rps']:>7.1f} req/s  p50 {figures['p50']:>4} ms  "
                f"p95 {figures['p95']:>4} ms  p99 {figures['p99']:>4} ms  "
                f"{queries[name]:>2} queries"
                + (f"  ERRORS {figures['errors']}" if figures["errors"] else ""),
                flush=True,
            )
    finally:
        stop_server(server)

    print(
        f"\n{args.requests} requests per page, {args.concurrency} concurrent, "
        f"gunicorn {args.workers} sync workers, {os.cpu_count()} cores\n"
    )
    print("| page | req/s | p50 ms | p95 ms | p99 ms | SQL queries |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for row in results:
        print(
            f"| {row['page']} | {row['rps']:.1f} | {row['p50']} | {row['p95']} | {row['p99']} "
            f"| {row['queries']} |"
        )
    output = BASE_DIR / "var" / "bench"
    output.mkdir(parents=True, exist_ok=True)
    settings = {"requests": args.requests, "concurrency": args.concurrency, "workers": args.workers}
    (output / "results.json").write_text(
        json.dumps({"settings": settings, "pages": results}, indent=2)
    )


if __name__ == "__main__":
    main()
