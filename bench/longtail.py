"""The long tail: thousands of distinct public URLs, as real visitors ask them.

`make bench MODE=long-tail` (or `python bench/run.py --long-tail`). On the scale data it
1. builds a realistic sequence of public URLs (filter combinations, French words and
   typos, deep pages, detail pages of random structures and practices, map data, theme
   and event pages), most of them distinct, with the landing pages asked more often;
2. renders a sample of each page kind afresh in this process (page cache off) and
   reports the median render time, its SQL time and the most SQL queries seen;
3. serves the portal with gunicorn (sync workers) and runs the sequence with wrk at
   16 connections three times in one run: the page cache off, the page cache on (from
   empty), and one page's HTML served as a static file by the same server; plus one
   URL repeated (nearly all cache hits). It prints req/s, p50/p95/p99, errors and each
   row's ratio to the static file.
Targets (issue 14): fresh medians ≤ 30 ms per page kind, site search ≤ 60 ms for the most
common words, ≤ 12 queries everywhere; the mix at ≥ 10 % of static with the cache, ≥ 5 %
without it with p95 ≤ 300 ms; no errors. Figures go to var/bench/long_tail.json.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
OUTPUT = BASE_DIR / "var" / "bench"

# The most common words of the portal's content, some with the typos people make.
WORDS = [
    "rural", "bois", "numérique", "coopération", "tourisme", "circuits courts", "forêt",
    "énergie", "mobilité", "santé", "artisanat", "agroalimentaire", "laine", "recyclage",
    "patrimoine", "irrigation", "télétravail", "pépinière", "fab lab", "tiers-lieu",
    "innovation sociale", "économie circulaire", "méthanisation", "restauration",
    "formation", "plateforme", "réseau", "coopérative", "marché", "compétences",
    "numerique", "cooperation", "energie", "pepiniere", "foret",  # without accents
    "agroalimentiare", "numériqe", "coopératon", "turisme", "pépinire", "recylage",  # typos
    "bois local", "tourisme durable", "création d'entreprise", "eau",
]  # fmt: skip
SITE_SEARCH_WORDS = ["rural", "bois", "numérique", "coopération"]
FRESH_TARGET_MS = 30
SEARCH_TARGET_MS = 60
MAX_QUERIES = 12


def _q(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode([(k, v) for k, v in params.items() if v not in (None, "")], doseq=True)


class Urls:
    """Random public URLs of each page kind, drawn from the scale data."""

    def __init__(self, seed: int = 14) -> None:
        from clusters.models import DirectoryEntry, Practice
        from events.models import Event
        from mementos.models import Memento, Monograph
        from reference.models import Department, Region, Theme
        from surveys.models import Survey

        self.rng = random.Random(seed)
        published = DirectoryEntry.objects.published()
        self.structures = list(published.structures().values_list("slug", flat=True))
        self.territories = list(published.territories().values_list("slug", flat=True))
        self.practices = list(Practice.objects.published().values_list("slug", flat=True))
        self.points = list(
            published.exclude(latitude=None).values_list("latitude", "longitude")[:5000]
        )
        self.events = list(Event.objects.values_list("slug", flat=True))
        self.themes = list(Theme.objects.values_list("slug", flat=True))
        self.regions = list(Region.objects.values_list("code", flat=True))
        self.departments = list(Department.objects.values_list("code", flat=True))
        self.mementos = [m.get_absolute_url() for m in Memento.objects.published()]
        self.monographs = [
            m.get_absolute_url()
            for m in Monograph.objects.filter(memento__status="published").select_related("memento")
        ]
        self.surveys = list(
            Survey.objects.filter(results_public=True)
            .exclude(status=Survey.Status.DRAFT)
            .values_list("slug", flat=True)
        )

    def pick(self, rows: list, k: int = 1) -> list:
        return self.rng.sample(rows, min(k, len(rows)))

    def maybe(self, value, chance: float = 0.5):
        return value if self.rng.random() < chance else None

    def directory(self) -> str:
        r = self.rng
        params = {
            "q": self.maybe(r.choice(WORDS), 0.3),
            "categorie": self.maybe(r.choice(["structure", "territory"]), 0.3),
            "milieu": self.maybe(r.choice(["rural", "urban", "peri_urban"]), 0.3),
            "region": self.maybe(r.choice(self.regions), 0.4),
            "theme": self.maybe(r.choice(self.themes), 0.4),
            "avec_pratiques": self.maybe("on", 0.15),
            "tri": self.maybe(r.choice(["nom", "pratiques", "recent"]), 0.2),
            "page": self.maybe(r.randint(2, 60), 0.3),
        }
        return "/annuaire/?" + _q(params)

    def practices_list(self) -> str:
        r = self.rng
        params = {
            "theme": self.pick(self.themes, r.choice([0, 1, 1, 2])),
            "region": self.maybe(r.choice(self.regions), 0.4),
            "departement": self.maybe(r.choice(self.departments), 0.1),
            "rural_urbain": self.maybe("on", 0.2),
            "avancement": self.maybe(r.choice(["planned", "ongoing", "completed"]), 0.15),
            "tri": self.maybe(r.choice(["recent", "titre", "annee"]), 0.2),
            "page": self.maybe(r.randint(2, 250), 0.35),
        }
        return "/pratiques/?" + _q(params)

    def practices_search(self) -> str:
        r = self.rng
        params = {
            "q": r.choice(WORDS),
            "theme": self.maybe(r.choice(self.themes), 0.3),
            "region": self.maybe(r.choice(self.regions), 0.3),
            "page": self.maybe(r.randint(2, 10), 0.2),
        }
        return "/pratiques/?" + _q(params)

    def map_data(self) -> str:
        """What the map's script asks: the filters' first view (zoom 6, no bounds), then
        the views a visitor zooms into (bounds of a 800 × 600 pixel map around a place)."""
        r = self.rng
        params = {
            "region": self.maybe(r.choice(self.regions), 0.5),
            "theme": self.maybe(r.choice(self.themes), 0.4),
            "categorie": self.maybe(r.choice(["structure", "territory"]), 0.3),
            "zoom": 6,
        }
        if self.points and r.random() < 0.6:
            zoom = r.randint(7, 13)
            lat, lon = r.choice(self.points)
            half_width = 800 / 2 * 360 / (256 * 2**zoom)
            half_height = half_width * 0.75 * 0.7  # 600 pixels, at about 45° of latitude
            params["zoom"] = zoom
            params["bbox"] = ",".join(
                f"{v:.4f}"
                for v in (lon - half_width, lat - half_height, lon + half_width, lat + half_height)
            )
        return "/carte/donnees.geojson?" + _q(params)

    def map_page(self) -> str:
        r = self.rng
        return "/carte/?" + _q(
            {"region": self.maybe(r.choice(self.regions), 0.7), "theme": self.maybe(
                r.choice(self.themes), 0.4)}
        )  # fmt: skip

    def agenda(self) -> str:
        r = self.rng
        params = {
            "q": self.maybe(r.choice(WORDS), 0.3),
            "type": self.maybe(r.choice(["seminar", "workshop_day", "webinar"]), 0.3),
            "region": self.maybe(r.choice(self.regions), 0.3),
        }
        return "/agenda/?" + _q(params)

    def kinds(self) -> dict:
        """Page kind → a function that gives one URL of that kind."""
        r = self.rng
        kinds = {
            "home": lambda: "/",
            "directory": self.directory,
            "structure page": lambda: f"/annuaire/structures/{r.choice(self.structures)}/",
            "territory page": lambda: f"/annuaire/territoires/{r.choice(self.territories)}/",
            "practice list": self.practices_list,
            "practice search": self.practices_search,
            "practice page": lambda: f"/pratiques/{r.choice(self.practices)}/",
            "map page": self.map_page,
            "map data": self.map_data,
            "themes": lambda: "/themes/",
            "theme page": lambda: f"/themes/{r.choice(self.themes)}/",
            "site search": lambda: "/recherche/?" + _q({"q": r.choice(WORDS)}),
            "agenda": self.agenda,
            "event page": lambda: f"/agenda/{r.choice(self.events)}/",
            "mementos": lambda: "/mementos/",
            "memento page": lambda: r.choice(self.mementos),
            "monograph page": lambda: r.choice(self.monographs),
            "surveys": lambda: "/enquetes/",
            "survey results": lambda: f"/enquetes/{r.choice(self.surveys)}/resultats/",
        }
        return {name: make for name, make in kinds.items() if self._possible(name)}

    def _possible(self, name: str) -> bool:
        needs = {"memento page": self.mementos, "monograph page": self.monographs,
                 "event page": self.events, "survey results": self.surveys}  # fmt: skip
        return bool(needs.get(name, True))

    # How often each kind comes in the mix (the landing pages are in "popular").
    WEIGHTS = {
        "directory": 14, "structure page": 12, "territory page": 6, "practice list": 14,
        "practice search": 10, "practice page": 16, "map data": 5, "map page": 3,
        "theme page": 4, "site search": 6, "agenda": 3, "event page": 3,
        "memento page": 1, "monograph page": 1,
    }  # fmt: skip
    POPULAR = ["/", "/annuaire/", "/pratiques/", "/carte/", "/agenda/", "/mementos/",
               "/themes/", "/enquetes/", "/annuaire/?categorie=territory",
               "/annuaire/?categorie=structure", "/carte/donnees.geojson"]  # fmt: skip

    def sequence(self, count: int, popular_share: float = 0.25) -> list[str]:
        """``count`` URLs: mostly distinct ones of every kind, weighted, with the landing
        pages (and a few very common filters) making up ``popular_share`` of the mix."""
        kinds = self.kinds()
        names = [n for n in self.WEIGHTS if n in kinds]
        weights = [self.WEIGHTS[n] for n in names]
        popular = [*self.POPULAR, *(f"/pratiques/?theme={t}" for t in self.themes[:6])]
        urls = []
        for _ in range(count):
            if self.rng.random() < popular_share:
                urls.append(self.rng.choice(popular))
            else:
                urls.append(kinds[self.rng.choices(names, weights)[0]]())
        return urls


def fresh_renders(urls: Urls, per_kind: int) -> list[dict]:
    """Each page kind rendered afresh ``per_kind`` times on distinct URLs (and the site
    search on its four most common words): median time, its SQL time, most queries."""
    from bench.run import fresh_client, timed_get

    client = fresh_client()
    samples = {name: [make() for _ in range(per_kind)] for name, make in urls.kinds().items()}
    samples["site search, common words"] = [
        f"/recherche/?{_q({'q': word})}" for word in SITE_SEARCH_WORDS
    ]
    rows = []
    for name, paths in samples.items():
        times, sql, queries, slowest = [], [], [], ("", 0.0)
        for path in paths:
            elapsed, captured = timed_get(client, path)
            times.append(elapsed)
            sql.append(sum(float(q["time"]) for q in captured) * 1000)
            queries.append(len(captured))
            if elapsed > slowest[1]:
                slowest = (path, elapsed)
        goal = SEARCH_TARGET_MS if name == "site search, common words" else FRESH_TARGET_MS
        row = {
            "kind": name,
            "urls": len(paths),
            "median_ms": round(statistics.median(times), 1),
            "sql_ms": round(statistics.median(sql), 1),
            "max_ms": round(max(times), 1),
            "max_queries": max(queries),
            "slowest": slowest[0],
            "target_ms": goal,
        }
        row["ok"] = row["median_ms"] <= goal and row["max_queries"] <= MAX_QUERIES
        rows.append(row)
        print(
            f"  {name:<28} median {row['median_ms']:>6.1f} ms  SQL {row['sql_ms']:>5.1f} ms  "
            f"max {row['max_ms']:>6.1f} ms  ≤{row['max_queries']:>2} queries"
            + ("" if row["ok"] else "  MISSES TARGET"),
            flush=True,
        )
    return rows


WRK_SCRIPT = r"""
-- Each connection walks the list of paths from its own starting point.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end
function init(args)
  index = offset
end
function request()
  index = index + 1
  return wrk.format("GET", paths[(index % #paths) + 1])
end
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'JSON{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, ' ..
    '"errors": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
end
"""


def wrk(port: int, paths: list[str], seconds: int, connections: int) -> dict:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path_file = OUTPUT / "paths.txt"
    path_file.write_text("\n".join(paths) + "\n")
    script = OUTPUT / "walk.lua"
    script.write_text(WRK_SCRIPT)
    out = subprocess.run(  # noqa: S603 (our own command line)
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",  # noqa: S607
         "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
        env={**os.environ, "BENCH_PATHS": str(path_file)},
    ).stdout  # fmt: skip
    figures = json.loads(out.split("JSON", 1)[1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def load(args, sequence: list[str], env: dict) -> list[dict]:
    """The mix with the page cache off, then on (from empty), one URL repeated, and the
    static file; each on a fresh gunicorn."""
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from bench.servers import start, stop, wait_until_up

    copies = Path(settings.STATIC_ROOT) / "bench"
    copies.mkdir(parents=True, exist_ok=True)
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    (copies / "practices.html").write_bytes(Client().get("/pratiques/").content)
    static_path = f"{settings.STATIC_URL}bench/practices.html"

    runs = [
        ("distinct URLs, page cache off", sequence, "0"),
        ("distinct URLs, page cache on", sequence, "300"),
        ("one practice list URL, repeated", ["/pratiques/?theme=tourisme"], "300"),
        ("the same HTML as a static file", [static_path], "300"),
    ]
    rows = []
    try:
        for name, paths, cache_seconds in runs:
            cache.clear()
            server = start(
                args.port,
                env={**env, "PUBLIC_PAGE_CACHE_SECONDS": cache_seconds},
                workers=args.workers,
                threads=1,
            )
            try:
                wait_until_up(args.port)
                wrk(args.port, paths[:50], 3, args.concurrency)  # warm the workers
                cache.clear()
                figures = wrk(args.port, paths, args.seconds, args.concurrency)
            finally:
                stop(server)
            rows.append({"workload": name, "urls": len(set(paths)), **figures})
            print(
                f"  {name:<34} {figures['rps']:>8.1f} req/s  p50 {figures['p50']:>6.0f} ms  "
                f"p95 {figures['p95']:>6.0f} ms  p99 {figures['p99']:>6.0f} ms  "
                f"errors {figures['errors']}",
                flush=True,
            )
    finally:
        shutil.rmtree(copies, ignore_errors=True)
    static = rows[-1]["rps"]
    for row in rows:
        row["ratio"] = row["rps"] / static
    return rows


def machine_speed() -> float:
    """Milliseconds for a fixed pure-Python loop (3 million additions), median of three:
    this machine's speed varies by a factor of two or three within a day, and the fresh
    renders with it. About 150 ms on a quiet hour of the development machine."""
    import time

    times = []
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for step in range(3_000_000):
            total += step
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def main(args) -> None:
    from bench.run import ENV, django_setup, ensure_scale_data

    django_setup()
    ensure_scale_data()
    urls = Urls(seed=args.seed)
    sequence = urls.sequence(args.urls)
    print(
        f"{len(sequence)} requests in the mix, {len(set(sequence))} distinct URLs.\n"
        f"Fresh renders in this process ({args.per_kind} distinct URLs per page kind):",
        flush=True,
    )
    speed = machine_speed()
    print(f"Machine speed before the renders: {speed} ms for the reference loop", flush=True)
    renders = fresh_renders(urls, args.per_kind)
    speed_after = machine_speed()
    print(
        f"Machine speed after the renders: {speed_after} ms (about 150 ms on a quiet hour; "
        "compare fresh medians only at a similar speed)",
        flush=True,
    )
    if args.fresh_only:
        return
    print(
        f"\nUnder load: wrk, {args.concurrency} connections, {args.seconds} s each, "
        f"gunicorn {args.workers} sync workers, {os.cpu_count()} cores:",
        flush=True,
    )
    loads = load(args, sequence, {**os.environ, **ENV})
    off, on = loads[0], loads[1]
    checks = {
        "fresh renders ≤ 30 ms, site search ≤ 60 ms, ≤ 12 queries": all(r["ok"] for r in renders),
        "mix with the cache ≥ 10 % of static": on["ratio"] >= 0.10,
        "mix without the cache ≥ 5 % of static": off["ratio"] >= 0.05,
        "mix without the cache p95 ≤ 300 ms": off["p95"] <= 300,
        "no errors": all(row["errors"] == 0 for row in loads),
    }
    print("\n| workload | distinct URLs | req/s | p50 ms | p95 ms | p99 ms | vs static |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in loads:
        print(
            f"| {row['workload']} | {row['urls']:,} | {row['rps']:.1f} | {row['p50']:.0f} "
            f"| {row['p95']:.0f} | {row['p99']:.0f} | {row['ratio'] * 100:.1f} % |"
        )
    print("\n| page kind | fresh median ms | SQL ms | slowest ms | max queries |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for row in renders:
        print(
            f"| {row['kind']} | {row['median_ms']} | {row['sql_ms']} | {row['max_ms']} "
            f"| {row['max_queries']} |" + ("" if row["ok"] else " ✗")
        )
    print()
    for check, ok in checks.items():
        print(f"{'ok  ' if ok else 'MISS'} {check}")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "long_tail.json").write_text(
        json.dumps(
            {
                "settings": vars(args),
                "machine_speed_ms": [speed, speed_after],
                "renders": renders,
                "load": loads,
                "checks": checks,
            },
            indent=2,
            default=str,
        )
    )
    (OUTPUT / "long_tail_urls.txt").write_text("\n".join(sequence) + "\n")
