"""Load benchmark of the portal on scale data: `make bench`.

Generates the scale data when it is missing (20,000 structures and territories, 100,000
practices, a survey with 5,000 responses, 50 events with 5,000 registrations), serves the
portal with gunicorn on loopback (DEBUG off, production settings but plain HTTP), and
loads every page kind with ApacheBench (ab) at 16 concurrent connections. Per page it
prints requests/s, p50/p95/p99, the SQL queries of a fresh render, the ratio of its
requests/s to the same HTML served as a static file by the same server, and the time a
single fresh render takes (what the first visitor after a change of content waits, as
anonymous visitors are otherwise served the cached copy: core.pagecache).
Targets: p95 ≤ 150 ms for public pages, ≤ 250 ms for searches, ≤ 12 queries; exports
and staff pages are reported, not judged. Figures go to var/bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.servers import LOOPBACK, signed_in_session, start, stop, wait_until_up  # noqa: E402

ENV = {
    **LOOPBACK,
    "SECRET_KEY": "bench-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
}


def django_setup() -> None:
    os.environ.update(ENV)
    # The scale generators live in the development tools.
    os.environ["DEV_TOOLS"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interclusters.settings")
    import django

    django.setup()


def fresh_client():
    """A test client whose pages are rendered afresh (the page cache off), in a process
    already warmed up (imports, templates, reference data)."""
    from django.conf import settings
    from django.test import Client

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client = Client()
    client.get("/")
    return client


def timed_get(client, path: str) -> tuple[float, list[dict]]:
    """Milliseconds to answer ``path`` (a streamed body read to the end) and the queries
    run; anything but a 200 stops the benchmark."""
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        start = time.perf_counter()
        response = client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return elapsed, context.captured_queries


def ensure_scale_data() -> None:
    from django.core.management import call_command

    from mementos.models import Memento

    if not Memento.objects.published().exists():
        # The mementos, case studies and demo accounts come with the demo data.
        print("Loading the demo data (mementos and case studies)…", flush=True)
        call_command("load_demo_data", "--allow-without-debug")
    from devdata.scale.directory import scale_data_exists

    if scale_data_exists() < 20_000:
        print("Generating scale data (20,000 entries, 100,000 practices)…", flush=True)
        call_command("generate_scale_data", "--replace")
    from devdata.scale.surveys import SLUG
    from surveys.models import Response

    if Response.objects.filter(survey__slug=SLUG).count() < 5_000:
        print("Generating a survey with 5,000 responses of 40 questions…", flush=True)
        call_command("generate_survey_scale_data")
    from events.models import Registration

    if Registration.objects.filter(event__slug__startswith="scale-").count() < 5_000:
        print("Generating 50 events with 5,000 registrations…", flush=True)
        call_command("generate_event_scale_data")


def staff_session() -> str:
    """A signed-in staff editor's session key, for the staff pages. The editor has an
    authenticator app, as staff must: without one every staff page would answer with the
    redirect to enrol it, and that is what would be measured."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group

    from core.permissions import FRANCE_CLUSTERS_TEAM
    from interclusters.models import User

    user, _created = User.objects.get_or_create(
        email="bench-staff@exemple.fr", defaults={"first_name": "Bench", "is_staff": True}
    )
    user.groups.add(Group.objects.get(name=FRANCE_CLUSTERS_TEAM))
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return signed_in_session(user)


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
    from events.models import Event
    from mementos.models import Memento, Monograph

    event = (
        Event.objects.filter(slug__startswith="scale-")
        .order_by("pk")
        .values_list("slug", flat=True)
    ).first()
    memento = Memento.objects.published().order_by("number").first()
    monograph = (
        Monograph.objects.filter(memento__status="published").select_related("memento").first()
    )
    if memento is None or monograph is None:
        raise SystemExit("No published memento or case study: run `make demo`.")
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
        ("agenda", "/agenda/"),
        ("agenda, search + filter", "/agenda/?q=bois&type=seminar"),
        ("event page", f"/agenda/{event}/"),
        ("mementos", "/mementos/"),
        ("memento page", memento.get_absolute_url()),
        ("monograph page", monograph.get_absolute_url()),
        ("themes", "/themes/"),
        ("theme page", "/themes/bois-foret/"),
        ("site search", "/recherche/?q=bois"),
        ("site search, typo", "/recherche/?q=pepinire"),
        ("surveys", "/enquetes/"),
        ("survey results (5,000 responses)", "/enquetes/scale-enquete/resultats/"),
        ("survey dashboard (5,000, staff)", "/enquetes/scale-enquete/tableau-de-bord/"),
        ("export: directory CSV", "/annuaire/export.csv?region=84&theme=tourisme"),
        ("export: practices CSV", "/pratiques/export.csv?q=bois&region=84"),
        ("export: survey CSV (5,000, staff)", "/enquetes/scale-enquete/export.csv"),
    ]


# A session cookie that matches no session: the page is rendered afresh, as anonymous.
FRESH = "bench-fresh-render"


def count_queries(paths: list[tuple[str, str]], session: str) -> dict[str, int]:
    """Each page's SQL queries when rendered afresh (not from the page cache), and a
    copy of its HTML under STATIC_ROOT/bench/ for the static-file comparison."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # in this process only: count a fresh render
    copies = Path(settings.STATIC_ROOT) / "bench"
    shutil.rmtree(copies, ignore_errors=True)
    copies.mkdir(parents=True)
    counts = {}
    for index, (name, path) in enumerate(paths):
        client = Client()
        if "staff" in name:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        client.get(path)
        with CaptureQueriesContext(connection) as context:
            response = client.get(path)
            body = (
                b"".join(response.streaming_content)
                if getattr(response, "streaming", False)
                else response.content
            )
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        counts[name] = len(context.captured_queries)
        (copies / f"{index}.html").write_bytes(body)
    return counts


def target(name: str) -> int | None:
    """The p95 target in ms: 250 for searches, 150 for every other public page; none for
    exports and staff pages (reported, not judged)."""
    if name.startswith("export") or "staff" in name:
        return None
    if "search" in name or "typo" in name:
        return 250
    return 150


def ab(url: str, requests: int, concurrency: int, cookie: str = "") -> dict:
    extra = ["-C", cookie] if cookie else []
    concurrency = min(concurrency, requests)  # ab refuses more connections than requests
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
    parser.add_argument("--requests", type=int, default=400, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--long-tail",
        action="store_true",
        help="distinct URLs instead of one URL per page kind (bench/longtail.py)",
    )
    parser.add_argument("--urls", type=int, default=6000, help="long tail: requests in the mix")
    parser.add_argument("--seconds", type=int, default=30, help="long tail: seconds per load run")
    parser.add_argument("--per-kind", type=int, default=15, help="long tail: fresh renders")
    parser.add_argument("--seed", type=int, default=14, help="long tail: random seed")
    parser.add_argument(
        "--fresh-only", action="store_true", help="long tail: only the fresh renders, no load"
    )
    args = parser.parse_args()
    if args.long_tail:
        if not shutil.which("wrk"):
            raise SystemExit("wrk is missing: apt-get install wrk")
        from bench import longtail

        longtail.main(args)
        return
    if not shutil.which("ab"):
        raise SystemExit("ApacheBench is missing: apt-get install apache2-utils")

    django_setup()
    ensure_scale_data()
    from django.conf import settings

    paths = pages()
    session = staff_session()
    queries = count_queries(paths, session)
    server = start(args.port, env={**os.environ, **ENV}, workers=args.workers, threads=1)
    results = []
    try:
        wait_until_up(args.port)
        for index, (name, path) in enumerate(paths):
            url = f"http://127.0.0.1:{args.port}{path}"
            cookie = f"{settings.SESSION_COOKIE_NAME}={session}" if "staff" in name else ""
            # Exports and the 5,000-response pages get a tenth of the requests.
            heavy = name.startswith("export") or "5,000" in name
            requests = max(20, args.requests // 10) if heavy else args.requests
            fresh_cookie = cookie or f"{settings.SESSION_COOKIE_NAME}={FRESH}"
            fresh = ab(url, 5 if heavy else 10, 1, fresh_cookie)
            ab(url, max(5, requests // 10), args.concurrency, cookie)  # warm-up
            figures = ab(url, requests, args.concurrency, cookie)
            static = ab(
                f"http://127.0.0.1:{args.port}{settings.STATIC_URL}bench/{index}.html",
                requests,
                args.concurrency,
            )
            goal = target(name)
            row = {
                "page": name, "path": path, "queries": queries[name], **figures,
                "static_rps": static["rps"], "ratio": figures["rps"] / static["rps"],
                "fresh_p50": fresh["p50"],
                "target_p95": goal,
                "ok": (goal is None or figures["p95"] <= goal)
                and (name.startswith("export") or queries[name] <= 12),
            }  # fmt: skip
            results.append(row)
            print(
                f"{name:<34} {figures['rps']:>7.1f} req/s  p50 {figures['p50']:>4} ms  "
                f"p95 {figures['p95']:>4} ms  p99 {figures['p99']:>4} ms  "
                f"{queries[name]:>2} queries  {row['ratio']:.2f}× static  "
                f"fresh {fresh['p50']:>4} ms"
                + ("" if row["ok"] else "  MISSES TARGET")
                + (f"  ERRORS {figures['errors']}" if figures["errors"] else ""),
                flush=True,
            )
    finally:
        stop(server)
        shutil.rmtree(Path(settings.STATIC_ROOT) / "bench", ignore_errors=True)

    print(
        f"\n{args.requests} requests per page ({max(20, args.requests // 10)} for exports and "
        f"5,000-response pages), {args.concurrency} concurrent connections, gunicorn "
        f"{args.workers} sync workers, {os.cpu_count()} cores. Targets: p95 ≤ 150 ms for "
        "public pages, ≤ 250 ms for searches, ≤ 12 SQL queries. “Fresh”: the median of "
        "single renders that bypass the page cache.\n"
    )
    print("| page | req/s | p50 ms | p95 ms | p99 ms | SQL | vs static | fresh ms | target |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in results:
        goal = f"p95 ≤ {row['target_p95']} ms" if row["target_p95"] else "—"
        print(
            f"| {row['page']} | {row['rps']:.1f} | {row['p50']} | {row['p95']} | {row['p99']} "
            f"| {row['queries']} | {row['ratio']:.2f}× | {row['fresh_p50']} "
            f"| {goal}{'' if row['ok'] else ' ✗'} |"
        )
    missed = [row["page"] for row in results if not row["ok"]]
    print("\nAll targets met." if not missed else f"\nTargets missed: {', '.join(missed)}")
    output = BASE_DIR / "var" / "bench"
    output.mkdir(parents=True, exist_ok=True)
    run = {"requests": args.requests, "concurrency": args.concurrency, "workers": args.workers}
    (output / "results.json").write_text(json.dumps({"settings": run, "pages": results}, indent=2))


if __name__ == "__main__":
    main()
