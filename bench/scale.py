"""Server-side timings at scale (issue 14, part 5): each request, uncached and cached, in this
process on an existing PostgreSQL database of many summits, with the EXPLAIN of each uncached
request's slowest queries.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/summits_100k \\
        .venv/bin/python bench/scale.py [--seed 100000] [--requests 20] [--report bench/scale.md]

--seed N migrates the database and runs `seed_bulk --summits N` first (timed), so point
DATABASE_URL at a database you can throw away. Without it the database is used as it is.

Uncached means the cache cleared before each request: the state after an editor's save, for
the pages of the published set. The first uncached request of an article renders and stores
its page parts (seed_bulk leaves them to it); it counts as a warm-up, like the first two of
every request. A partner key is created for the API requests and deleted at the end.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WARM_UP = 2
SLOW_QUERIES = 3  # EXPLAINed per request


def requests_to_measure(summit_slug, german_word, english_word):
    return [
        ("list page 1", "/summits/"),
        ("list page 2,000", "/summits/?page=2000"),
        ("list, country", "/summits/?country=CH"),
        ("list, participant", "/summits/?participant=joe-biden"),
        ("list, topic", "/summits/?topic=arms-control"),
        ("list, year", "/summits/?year=2001"),
        ("search, German", f"/summits/?q={german_word}"),
        ("search, English", f"/summits/?q={english_word}"),
        ("tracker", "/summits/tracker/"),
        ("article page", f"/summits/{summit_slug}/"),
        ("feed", "/summits/feed/"),
        ("sitemap index", "/sitemap.xml"),
        ("sitemap page", "/sitemap-summits.xml?p=3"),
        ("API list page 1", "/api/v1/summits/?page_size=50"),
        ("API detail", f"/api/v1/summits/{summit_slug}/"),
        ("API updated_since", "/api/v1/summits/?updated_since=2026-01-01T00:00:00Z"),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, help="seed_bulk --summits N first")
    parser.add_argument("--requests", type=int, default=20, help="per request and state (20)")
    parser.add_argument("--report", default=str(ROOT / "bench" / "scale.md"))
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/scale.py: set DATABASE_URL to a PostgreSQL database")
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django
    from django.conf import settings

    with tempfile.TemporaryDirectory(prefix="summits-scale-") as workdir:
        # As a deployment does: collectstatic into STATIC_ROOT for the manifest storage.
        settings.STATIC_ROOT = Path(workdir) / "static"
        django.setup()
        run(args)


def run(args):
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from summits.models import Summit
    from summits.partners import PartnerKey

    lines = [
        "# Scale benchmark",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, `bench/scale.py`, in one process "
        "(django.test.Client), DEBUG off, local-memory cache.",
        "",
    ]
    call_command("collectstatic", verbosity=0, interactive=False)
    if args.seed:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_bulk", summits=args.seed)
        lines += [f"`seed_bulk --summits {args.seed}`: {time.perf_counter() - started:.0f} s", ""]
    settings.ALLOWED_HOSTS = ["*"]
    summits = Summit.objects.published().count()
    slug = Summit.objects.published().order_by("-pk").values_list("slug", flat=True).first()
    partner_key, key = PartnerKey.objects.create_key("scale bench", rate_limit="1000000000/hour")
    client = Client(headers={"Authorization": f"Api-Key {key}"})
    lines += [
        f"{summits:,} published summits. p50 and p95 of {args.requests} requests after "
        f"{WARM_UP} to warm up; SQL: queries per request and their own time (p50).",
        "",
        "| request | uncached p50 | uncached p95 | SQL | SQL time | cached p50 | cached p95 |",
        "|---|---|---|---|---|---|---|",
    ]
    explains = []
    try:
        for name, url in requests_to_measure(slug, "Abkommen", "agreement"):
            row, slowest = measure(client, url, args.requests, cache, connection)
            lines.append(f"| {name} | " + " | ".join(row) + " |")
            print(lines[-1], flush=True)
            for sql, seconds in slowest:
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN ANALYZE {sql}")
                    plan = "\n".join(line for (line,) in cursor.fetchall())
                explains += [f"### {name}: {seconds * 1000:.1f} ms", "", "```sql", sql, "```", ""]
                explains += ["```", plan, "```", ""]
    finally:
        partner_key.delete()
    lines += ["", "## EXPLAIN of each uncached request's slowest queries", "", *explains]
    Path(args.report).write_text("\n".join(lines) + "\n")
    print(f"Written to {args.report}")


def measure(client, url, requests, cache, connection):
    from django.test.utils import CaptureQueriesContext

    def timed(clear):
        if clear:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return elapsed, captured.captured_queries

    rows = {}
    for clear in (True, False):
        for _ in range(WARM_UP):
            timed(clear)
        rows[clear] = [timed(clear) for _ in range(requests)]
    uncached = [elapsed for elapsed, _queries in rows[True]]
    cached = [elapsed for elapsed, _queries in rows[False]]
    queries = rows[True][0][1]
    sql_times = [sum(float(query["time"]) for query in sample) for _elapsed, sample in rows[True]]
    slowest = sorted(queries, key=lambda query: -float(query["time"]))[:SLOW_QUERIES]
    row = [
        ms(statistics.median(uncached)),
        ms(percentile(uncached, 95)),
        str(len(queries)),
        ms(statistics.median(sql_times)),
        ms(statistics.median(cached)),
        ms(percentile(cached, 95)),
    ]
    return row, [(query["sql"], float(query["time"])) for query in slowest]


def percentile(values, percent):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


if __name__ == "__main__":
    main()
