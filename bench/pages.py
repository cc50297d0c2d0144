"""Benchmark of the reader pages on the real stack: CPU and wall time per request, and SQL queries.

Usage: .venv/bin/python bench/pages.py [--summits N] [--requests R] [--items I] [--profile CASE]

It builds a throwaway database (a temporary SQLite file, unless DATABASE_URL is given: then
that database is migrated and seeded, so point it at one you can throw away), collects the
static files as a deployment would, loads seed_demo and seed_bulk (with --items, every bulk
summit has that many items: --items 15 gives the partner API list of 50 summits with 15 items
each), and requests each page with django.test.Client in this process: the settings are the
production ones with DEBUG=False, the cache is local memory and, when REDIS_URL (or CACHE_URL) is
set, Redis too. Requests per second are 1 / the median wall time of one request.

It exits non-zero only when a page answers with an unexpected status or fails, never because
a page is slow.
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GERMAN_DEMO = "/summits/gipfel-genf-2021/"
SEARCH = "/summits/?q=Botschafter&year=2021"
API_PAGE = "/api/v1/summits/?page_size=50"
API_DEMO = "/api/v1/summits/gipfel-genf-2021/"
# DESIGN.md, Budgets: measured for the same content shape.
PLAIN_DJANGO_MS = 7.0
HEAVY_CMS_MS = 23.0
WARM_UP = 3


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    cached: bool = True
    conditional: bool = False
    # Text the page must hold, so that an empty or broken page is not what gets measured.
    contains: str = ""
    # Sent with the partner key that run() creates (the partner API).
    api: bool = False


CASES = [
    Case("article (de demo), cached", GERMAN_DEMO, contains='<mark id="passage-'),
    Case("article (de demo), uncached", GERMAN_DEMO, cached=False, contains="<mark"),
    Case("article (de demo), 304", GERMAN_DEMO, conditional=True),
    Case("list, cached", "/summits/", contains="/summits/bulk-"),
    Case("list, uncached", "/summits/", cached=False, contains="/summits/bulk-"),
    Case("list q+year, cached", SEARCH, contains=GERMAN_DEMO),
    Case("list q+year, uncached", SEARCH, cached=False, contains=GERMAN_DEMO),
    Case("tracker, cached", "/summits/tracker/", contains="/summits/bulk-"),
    Case("tracker, uncached", "/summits/tracker/", cached=False, contains="/summits/bulk-"),
    Case("API list of 50, cached", API_PAGE, api=True, contains='"slug":"bulk-'),
    Case("API list of 50, uncached", API_PAGE, cached=False, api=True, contains='"slug":"bulk-'),
    Case("API list of 50, 304", API_PAGE, conditional=True, api=True),
    Case("API summit (de demo), cached", API_DEMO, api=True, contains='"items"'),
    Case("API summit (de demo), uncached", API_DEMO, cached=False, api=True, contains='"items"'),
]
# The partner key run() creates for the API cases.
API_KEY = {}


@dataclass
class Result:
    case: Case
    status: int
    queries: int
    cpu: list[float]
    wall: list[float]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summits", type=int, default=2000, help="seed_bulk summits (2000)")
    parser.add_argument("--requests", type=int, default=300, help="requests per page (300)")
    parser.add_argument(
        "--items",
        type=int,
        default=None,
        help="items per seed_bulk summit (default: 3 to 8 at random, as seed_bulk makes them)",
    )
    parser.add_argument(
        "--profile",
        metavar="CASE",
        action="append",
        default=[],
        help="also profile this case with cProfile: a prefix of its name, e.g. 'list, uncached' "
        "(repeatable)",
    )
    args = parser.parse_args()
    if args.requests < 2 or args.summits < 1:
        parser.error("--requests must be at least 2 (for a p95) and --summits at least 1")
    if args.items is not None and args.items < 1:
        parser.error("--items must be at least 1")

    workdir = Path(tempfile.mkdtemp(prefix="summits-bench-"))
    try:
        return run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path) -> int:
    # The settings read these at import; the first pass runs on local memory without them.
    cache_url, redis_url = os.environ.pop("CACHE_URL", None), os.environ.pop("REDIS_URL", None)
    redis_url = cache_url or redis_url
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["DEBUG"] = "False"
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")

    import django
    from django.conf import settings

    # As a deployment does: collectstatic into STATIC_ROOT for the manifest storage.
    settings.STATIC_ROOT = workdir / "static"
    django.setup()

    from django.core.management import call_command
    from django.db import connection

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    print(f"migrate + collectstatic: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    call_command("seed_demo", stdout=io.StringIO())
    print(f"seed_demo: {time.perf_counter() - started:.1f} s")
    call_command("seed_bulk", summits=args.summits, items=args.items)

    from summits.models import Item, Summit
    from summits.partners import PartnerKey

    _, API_KEY["key"] = PartnerKey.objects.create_key("Benchmark", rate_limit="1000000/hour")

    summits, items = Summit.objects.published().count(), Item.objects.count()
    print(
        f"Content: {summits} published summits, {items} items "
        f"({items / summits:.1f} items per summit); {args.requests} requests per page, "
        f"{WARM_UP} more to warm up"
    )
    print(api_page_shape() + "\n")
    failures = measure_all("local memory", args)
    if redis_url:
        from django.test import override_settings

        prefix = f"summits-bench-{os.getpid()}"
        redis = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
        with override_settings(CACHES={"default": redis}):
            try:
                failures += measure_all("Redis", args)
            finally:
                clear_cache()
    else:
        print("REDIS_URL not set: Redis not measured.")
    return 1 if failures else 0


def api_page_shape() -> str:
    """How many summits and items the API list of 50 holds: what its cases measure."""
    summits = request(client(), Case("API list", API_PAGE, api=True), None).json()["results"]
    items = sum(len(summit["items"]) for summit in summits)
    return (
        f"{API_PAGE}: {len(summits)} summits, {items} items "
        f"({items / len(summits):.1f} items per summit)"
    )


def measure_all(cache_name: str, args) -> int:
    """Measures every case with the configured cache, prints the table; returns the failures."""
    results, failures = [], 0
    for case in CASES:
        try:
            results.append(measure(case, args.requests))
        except Exception as error:  # a broken page is reported, and the others still measured
            failures += 1
            print(f"ERROR {case.name}: {error.__class__.__name__}: {error}")
    print_table(cache_name, results)
    for case in CASES:
        if any(case.name.startswith(prefix) for prefix in args.profile):
            profile(case, args.requests)
    return failures


def client():
    from django.conf import settings
    from django.test import Client

    # ALLOWED_HOSTS of the production settings; https when they redirect http to it.
    return Client(HTTP_HOST="localhost", secure=settings.SECURE_SSL_REDIRECT)


def request(browser, case: Case, etag: str | None):
    """One request as a WSGI server makes it: connections checked before and after."""
    from django.db import close_old_connections

    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    if case.api:
        headers["HTTP_AUTHORIZATION"] = f"Api-Key {API_KEY['key']}"
    close_old_connections()
    response = browser.get(case.path, **headers)
    response.content  # noqa: B018 (the whole body, as a server would send it)
    close_old_connections()
    return response


def clear_cache():
    """Empties the cache: all of local memory, but only this benchmark's keys in a shared Redis."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if isinstance(cache, RedisCache):
        redis = cache._cache.get_client(write=True)
        keys = list(redis.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            redis.delete(*keys)
    else:
        cache.clear()


def measure(case: Case, requests: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    expected = 304 if case.conditional else 200
    browser = client()
    etag = request(browser, case, None)["ETag"] if case.conditional else None
    for _ in range(WARM_UP):
        request(browser, case, etag)
    if not case.cached:
        clear_cache()
    with CaptureQueriesContext(connection) as queries:
        response = request(browser, case, etag)
    # Counted now: every request_started signal empties the query log.
    query_count = len(queries)
    if response.status_code != expected:
        raise AssertionError(f"{case.path} answered {response.status_code}, not {expected}")
    if case.contains not in response.content.decode():
        raise AssertionError(f"{case.path} does not contain {case.contains!r}")
    cpu, wall = [], []
    for _ in range(requests):
        if not case.cached:
            clear_cache()
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        response = request(browser, case, etag)
        wall.append(time.perf_counter() - wall_start)
        cpu.append(time.process_time() - cpu_start)
        if response.status_code != expected:
            raise AssertionError(f"{case.path} answered {response.status_code}, not {expected}")
    return Result(case, response.status_code, query_count, cpu, wall)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def print_table(cache_name: str, results: list[Result]) -> None:
    print(f"Cache: {cache_name}")
    header = (
        f"{'page':<30} {'status':>6} {'queries':>7} "
        f"{'CPU med':>9} {'CPU p95':>9} {'wall med':>9} {'wall p95':>9} {'req/s':>7}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        print(
            f"{result.case.name:<30} {result.status:>6} {result.queries:>7} "
            f"{ms(statistics.median(result.cpu))} {ms(p95(result.cpu))} "
            f"{ms(statistics.median(result.wall))} {ms(p95(result.wall))} "
            f"{per_second(result):>7.0f}"
        )
    cached = next((r for r in results if r.case.name.startswith("article (de demo), cached")), None)
    if cached:
        median = statistics.median(cached.cpu) * 1000
        verdict = "under" if median < PLAIN_DJANGO_MS else "NOT under"
        print(
            f"\nCached article page: {median:.2f} ms CPU (median), {verdict} the {PLAIN_DJANGO_MS:g} ms "
            f"of a plain Django page with 2 queries and one template (DESIGN.md); "
            f"a heavyweight CMS page costs about {HEAVY_CMS_MS:g} ms."
        )
    api_list = [r for r in results if r.case.path == API_PAGE and not r.case.conditional]
    if api_list:
        rates = [f"{per_second(r):.0f} {r.case.name.rpartition(', ')[2]}" for r in api_list]
        print(f"\nAPI list of 50, requests per second (1 / median wall): {', '.join(rates)}")
    print()


def per_second(result: Result) -> float:
    """Requests per second one process serves at the median wall time of a request."""
    return 1 / statistics.median(result.wall)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:>6.2f} ms"


def profile(case: Case, requests: int) -> None:
    browser = client()
    etag = request(browser, case, None)["ETag"] if case.conditional else None
    request(browser, case, etag)
    profiler = cProfile.Profile()
    for _ in range(requests):
        if not case.cached:
            clear_cache()
        profiler.enable()
        request(browser, case, etag)
        profiler.disable()
    print(f"Profile of {requests} requests: {case.name}")
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    sys.exit(main())
