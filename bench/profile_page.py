"""Where a fresh render of one address spends its time.

`make profile URL=/pratiques/?region=84` (or `python bench/profile_page.py URL…`): renders each
address in this process with the page cache off, DEBUG off and the cached template
loader, as gunicorn would, and prints the median of several renders, its SQL time and
queries, then the functions where the time goes (cProfile, cumulative and own time).
`--sql` lists the queries of one render with their times instead of the profile.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--repeat", type=int, default=7, help="renders per address")
    parser.add_argument("--sql", action="store_true", help="list the queries of one render")
    parser.add_argument("--top", type=int, default=30, help="functions listed")
    args = parser.parse_args()

    from bench.run import django_setup, fresh_client, timed_get

    django_setup()
    client = fresh_client()
    for path in args.urls:
        timed_get(client, path)  # this address's own first-time work
        runs = [timed_get(client, path) for _ in range(args.repeat)]
        times = [elapsed for elapsed, _ in runs]
        queries = runs[-1][1]
        sql = sum(float(q["time"]) for q in queries) * 1000
        print(
            f"{path}\n  median {statistics.median(times):.1f} ms over {args.repeat} renders, "
            f"{len(queries)} queries, SQL {sql:.1f} ms"
        )
        if args.sql:
            for query in queries:
                print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:400]}")
            continue
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.repeat):
            timed_get(client, path)
        profile.disable()
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order)
            stats.print_stats(args.top)
            print("\n".join(out.getvalue().splitlines()[6:]))


if __name__ == "__main__":
    main()
