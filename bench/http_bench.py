"""HTTP benchmark: the real app server under load, each endpoint as a share of a trivial view.

Usage: .venv/bin/python bench/http_bench.py [--rounds R] [--seconds D] [--cache locmem|redis] ...
(or `make bench`, options in HTTP_BENCH_ARGS; a smoke test: --rounds 1 --seconds 2)

It measures what issue 14's first table measures, on 127.0.0.1 only, and takes everything
down again at the end, also on Ctrl-C or a failure:
- a throwaway database summits_bench_<pid> on the PostgreSQL server (--postgres), migrated,
  its static files collected, seeded with seed_demo and seed_bulk --summits 500 --items 15,
  and a partner API key whose rate never throttles the bench;
- two gunicorns (newsroom/gunicorn.conf.py, 2 sync workers, DEBUG=False, workers never
  recycled) with the bench's settings (bench/settings.py: the product's, plus the ceiling view
  bench/ceiling/ and a middleware that counts each request's SQL queries in X-Bench-Queries):
  the *cached* one with local memory (or, with --cache redis, its own redis-server), the
  *uncached* one with Django's DummyCache. Only one of them is under load at a time.

Each endpoint is first requested once and must answer as expected (else the run stops), then
a few times to warm both workers and read its SQL queries per request. Then, for each round,
each endpoint gets --seconds of wrk (16 connections, 2 threads): interleaved, so that a
machine's drift touches every endpoint alike. An endpoint's figure is its requests per second
divided by the ceiling's (HttpResponse("ok") through the same middleware) on the same server
in the same round; the median over rounds is reported, with the ratio's spread (min–max) as the
run's own noise. The statuses of every request are read from gunicorn's access log.

Then, in this process, an uncached request of each endpoint is made with Django's test client
on the same database (bench settings, DummyCache), every SQL statement it runs is kept and
EXPLAINed (ANALYZE for SELECTs) on PostgreSQL; a Seq Scan on a summits or items table is
flagged, and EXPLAINed again with enable_seqscan off to tell a missing index from the
planner's choice on a small table.

Everything goes to bench/results.md (--report). The exit status is 1 only on failures: a wrong
status (a 429 or 5xx included), socket errors, a crash; never because an endpoint is below its
goal.
"""

import argparse
import collections
import concurrent.futures
import datetime
import http.client
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.soak import (  # noqa: E402
    GUNICORN,
    GUNICORN_CONF,
    HOST,
    Database,
    RedisServer,
    Terminated,
    app_environment,
    free_port,
    machine_facts,
    manage,
    on_sigterm,
    stop_process,
    wait_until_serving,
    worker_pids,
)

REPORT = ROOT / "bench" / "results.md"
WORKERS = 2
ARTICLE = "/summits/gipfel-genf-2021/"  # the German demo
LIST = "/summits/"
API_LIST = "/api/v1/summits/?page_size=50"
API_DETAIL = "/api/v1/summits/gipfel-genf-2021/"
CEILING = "/bench/ceiling/"
# Far above anything the bench sends: the partner rate limit must not be what is measured.
API_RATE = "1000000000/hour"
WARM_REQUESTS = 20  # per endpoint before its queries are read, shared by the workers
SAMPLE_REQUESTS = 10  # whose X-Bench-Queries are read
# Tables whose sequential scan on a request path issue 14 rules out.
FLAGGED_SCAN = re.compile(r"Seq Scan on (summits_(?:summit|item)\w*)")


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    server: str  # "cached" or "uncached"
    goal: float | None = None  # least ratio to the ceiling (issue 14)
    max_queries: int | None = None  # most SQL queries per request (issue 14)
    at_filing: str = ""  # issue 14's "summits today"
    api: bool = False
    conditional: bool = False  # sent with the ETag of its 200: must answer 304
    contains: str = ""  # in the body of the 200, so that a broken page is not measured

    @property
    def expected(self) -> int:
        return 304 if self.conditional else 200

    @property
    def key(self) -> str:
        return f"{self.name} ({self.server})" if self.path == CEILING else self.name


ENDPOINTS = [
    Endpoint("ceiling", CEILING, "cached", contains="ok"),
    Endpoint(
        "article page, cached", ARTICLE, "cached", 0.85, 0, "0.10 (1 query)", contains="<mark"
    ),
    Endpoint("article page, 304", ARTICLE, "cached", 0.85, 0, "0.08", conditional=True),
    Endpoint("list page, cached", LIST, "cached", 0.85, 0, "0.12", contains="/summits/bulk-"),
    Endpoint(
        "API list of 50 × 15, cached",
        API_LIST,
        "cached",
        0.2,
        0,
        "0.043",
        api=True,
        contains='"slug":"bulk-',
    ),
    Endpoint(
        "API detail, cached", API_DETAIL, "cached", 0.85, 0, "0.065", api=True, contains='"items"'
    ),
    Endpoint("API detail, 304", API_DETAIL, "cached", 0.85, 0, "0.08", api=True, conditional=True),
    Endpoint("ceiling", CEILING, "uncached", contains="ok"),
    Endpoint(
        "article page, uncached",
        ARTICLE,
        "uncached",
        0.15,
        6,
        "0.017 (15 queries)",
        contains="<mark",
    ),
    Endpoint("list page, uncached", LIST, "uncached", 0.06, None, "0.010", contains="/summits/"),
    Endpoint(
        "API list of 50 × 15, uncached",
        API_LIST,
        "uncached",
        0.05,
        None,
        "0.0024",
        api=True,
        contains='"slug":"bulk-',
    ),
    Endpoint(
        "API detail, uncached",
        API_DETAIL,
        "uncached",
        0.15,
        None,
        "0.023",
        api=True,
        contains='"items"',
    ),
]


# The servers -----------------------------------------------------------------------------


def get(port: int, path: str, headers: dict, timeout: float = 60):
    """(status, headers, body) of one GET on a new connection."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


ACCESS_LINE = re.compile(rb'"[A-Z]+ (\S+) HTTP/[\d.]+" (\d{3}) ')


class AppServer:
    """One gunicorn with the bench settings; its access log tells every request's status."""

    def __init__(self, name: str, env: dict, workdir: Path):
        self.name = name
        self.port = free_port()
        self.env = {**env, "BIND": f"{HOST}:{self.port}"}
        self.access_log = workdir / f"gunicorn-{name}.access.log"
        self.error_log = workdir / f"gunicorn-{name}.log"
        self.process: subprocess.Popen | None = None
        self.offset = 0

    def start(self) -> None:
        with open(self.access_log, "wb") as out, open(self.error_log, "wb") as err:
            self.process = subprocess.Popen(
                [GUNICORN, "--config", str(GUNICORN_CONF)],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )

    def wait(self) -> None:
        try:
            wait_until_serving(self.port, self.process, 60)
        except RuntimeError as error:
            raise RuntimeError(f"{self.name} server: {error}\n{self.log_tail()}") from None
        workers = len(worker_pids(self.process.pid))
        if workers != WORKERS:
            raise RuntimeError(f"{self.name} server: {workers} workers, not {WORKERS}")

    def stop(self) -> None:
        stop_process(self.process, timeout=40)

    def cpu_ticks(self) -> int:
        """The CPU time its workers have used, in clock ticks."""
        return sum(process_ticks(pid) for pid in worker_pids(self.process.pid))

    def wait_until_idle(self, timeout: float = 120) -> None:
        """Until the workers have finished what wrk left queued: when wrk stops, the
        connections in the listen queue are still served, and a slow endpoint's tail would
        load the next endpoint's run."""
        deadline = time.monotonic() + timeout
        before = self.cpu_ticks()
        while time.monotonic() < deadline:
            time.sleep(0.3)
            now = self.cpu_ticks()
            if now - before <= 1:
                return
            before = now
        raise RuntimeError(f"the {self.name} server is still busy {timeout:g} s after wrk")

    def statuses_since_last(self) -> collections.Counter:
        """The statuses in the access log since the last call."""
        with open(self.access_log, "rb") as log:
            log.seek(self.offset)
            text = log.read()
        end = text.rfind(b"\n") + 1  # a line being written is read next time
        self.offset += end
        return collections.Counter(int(m.group(2)) for m in ACCESS_LINE.finditer(text[:end]))

    def log_tail(self, lines: int = 30) -> str:
        if not self.error_log.exists():
            return ""
        return "\n".join(self.error_log.read_text(errors="replace").splitlines()[-lines:])


# The load --------------------------------------------------------------------------------


@dataclass
class Check:
    """What the endpoint answered before the load."""

    headers: dict  # sent by wrk: the API key, the ETag
    body_bytes: int
    queries: list[int]


@dataclass
class Measurement:
    endpoint: Endpoint
    round: int
    rps: float
    p50: float  # seconds
    p99: float
    requests: int
    wire_bytes: float  # per response, headers included
    non_2xx_3xx: int
    socket_errors: dict
    statuses: collections.Counter
    ratio: float = float("nan")
    other_cpu: float = float("nan")  # CPUs the rest of the machine used meanwhile

    @property
    def failures(self) -> list[str]:
        problems = []
        wrong = {s: n for s, n in self.statuses.items() if s != self.endpoint.expected}
        if wrong:
            problems.append(
                "statuses "
                + ", ".join(f"{s}: {n}" for s, n in sorted(wrong.items()))
                + f" (expected {self.endpoint.expected})"
            )
        if self.non_2xx_3xx:
            problems.append(f"wrk counted {self.non_2xx_3xx} responses not 2xx or 3xx")
        errors = {kind: n for kind, n in self.socket_errors.items() if n}
        if errors:
            problems.append("socket errors " + ", ".join(f"{k} {n}" for k, n in errors.items()))
        if not self.requests:
            problems.append("no request answered")
        return problems


UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
SIZES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


def parse_wrk(output: str) -> dict:
    def seconds(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
        if not match:
            raise RuntimeError(f"wrk's output has no {label}% latency:\n{output}")
        return float(match.group(1)) * UNITS[match.group(2)]

    total = re.search(r"(\d+) requests in [\d.]+\w+, ([\d.]+)([KMGT]?B) read", output)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not total or not rate:
        raise RuntimeError(f"wrk's output is not understood:\n{output}")
    requests = int(total.group(1))
    non = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": float(rate.group(1)),
        "p50": seconds("50"),
        "p99": seconds("99"),
        "requests": requests,
        "wire_bytes": float(total.group(2)) * SIZES[total.group(3)] / max(requests, 1),
        "non_2xx_3xx": int(non.group(1)) if non else 0,
        "socket_errors": dict(
            zip(
                ["connect", "read", "write", "timeout"],
                [int(n) for n in errors.groups()] if errors else [0, 0, 0, 0],
                strict=True,
            )
        ),
    }


def run_wrk(port: int, endpoint: Endpoint, check: Check, args, seconds=None) -> dict:
    seconds = seconds or args.seconds
    command = ["wrk", "-c", str(args.connections), "-t", str(args.threads)]
    command += ["-d", f"{seconds:g}s", "--latency", "--timeout", "30s"]
    for name, value in check.headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{endpoint.path}")
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return parse_wrk(result.stdout)


TICKS = os.sysconf("SC_CLK_TCK")


def busy_ticks() -> int:
    """The CPU time the whole machine has used (not idle, not waiting for I/O), in ticks."""
    fields = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return user + nice + system + irq + softirq + steal


def process_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone meanwhile
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime


def children_ticks() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it has ended
    return (usage.ru_utime + usage.ru_stime) * TICKS


class OtherLoad:
    """What the rest of the machine used during a wrk run: all its CPU time but the app
    servers' workers, wrk and the PostgreSQL backends of the bench's database. On a machine
    others share, it tells a noisy round from a slow endpoint."""

    def __init__(self, database: Database, servers):
        self.database = database
        self.servers = servers

    def backends(self) -> set[int]:
        rows = self.database._execute(
            f"SELECT pid FROM pg_stat_activity WHERE datname = '{self.database.name}'"
        )
        return {row[0] for row in rows}

    def ours(self, backends: set[int]) -> float:
        workers = sum(server.cpu_ticks() for server in self.servers)
        return workers + sum(process_ticks(pid) for pid in backends) + children_ticks()

    def start(self) -> None:
        self.backends_at_start = self.backends()
        self.at_start = (time.monotonic(), busy_ticks(), self.ours(self.backends_at_start))

    def cpus(self) -> float:
        """CPUs (e.g. 0.3: 30 % of one) the others used since start()."""
        backends = self.backends() | self.backends_at_start
        started, busy, ours = self.at_start
        # A backend that began meanwhile counts from 0: all its time is the run's.
        ours = self.ours(backends) - ours
        seconds = time.monotonic() - started
        return max(0.0, (busy_ticks() - busy) - ours) / TICKS / seconds


def check_endpoint(server: AppServer, endpoint: Endpoint, api_key: str) -> Check:
    """The endpoint answers as expected once, then warm; its SQL queries per request."""
    headers = {"Authorization": f"Api-Key {api_key}"} if endpoint.api else {}
    status, response_headers, body = get(server.port, endpoint.path, headers)
    where = f"{endpoint.key}: GET {endpoint.path} on the {server.name} server"
    if status != 200:
        raise RuntimeError(f"{where} answered {status}, not 200: {body[:300]!r}")
    if endpoint.contains not in body.decode(errors="replace"):
        raise RuntimeError(f"{where}: the body does not contain {endpoint.contains!r}")
    if endpoint.conditional:
        etag = response_headers.get("ETag")
        if not etag:
            raise RuntimeError(f"{where}: no ETag to send back")
        headers = {**headers, "If-None-Match": etag}
    # Each worker has a cache of its own (local memory): warm until each has served it a few
    # times, or a sample may be some worker's first request.
    # Requests side by side, so that a busy worker leaves the next one to another.
    served = collections.Counter()
    with concurrent.futures.ThreadPoolExecutor(WORKERS * 2) as pool:
        for _ in range(10):
            for _status, response_headers, _body in pool.map(
                lambda _: get(server.port, endpoint.path, headers), range(WORKERS * 2)
            ):
                served[response_headers.get("X-Bench-Worker")] += 1
            if len(served) >= WORKERS and min(served.values()) >= WARM_REQUESTS // WORKERS:
                break
        else:
            raise RuntimeError(f"{where}: not every worker served it while warming: {served}")
    queries, body_bytes = [], 0
    for _ in range(SAMPLE_REQUESTS):
        status, response_headers, body = get(server.port, endpoint.path, headers)
        if status != endpoint.expected:
            raise RuntimeError(
                f"{where} with {sorted(headers)} answered {status}, not {endpoint.expected}"
            )
        if "X-Bench-Queries" not in response_headers:
            raise RuntimeError(f"{where}: no X-Bench-Queries (not the bench settings?)")
        queries.append(int(response_headers["X-Bench-Queries"]))
        body_bytes = len(body)
    return Check(headers, body_bytes, queries)


# EXPLAIN ---------------------------------------------------------------------------------


@dataclass
class Statement:
    sql: str
    params: object
    count: int = 1
    plan: str = ""
    flagged: list[str] = field(default_factory=list)
    without_seqscan: str = ""  # the verdict with enable_seqscan off, for a flagged one


def explain_all(env: dict, api_key: str) -> dict[str, list[Statement]]:
    """Every SQL statement of an uncached request of each endpoint, EXPLAINed, in this process."""
    os.environ.update({**env, "BENCH_CACHE": "dummy"})
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client

    browser = Client(HTTP_HOST=HOST)
    explained = {}
    for endpoint in ENDPOINTS:
        if endpoint.server != "uncached" and not endpoint.conditional:
            continue
        headers = {"HTTP_AUTHORIZATION": f"Api-Key {api_key}"} if endpoint.api else {}
        if endpoint.conditional:
            headers["HTTP_IF_NONE_MATCH"] = browser.get(endpoint.path, **headers)["ETag"]
        statements: dict[str, Statement] = {}

        def keep(execute, sql, params, many, context, statements=statements):
            if sql in statements:
                statements[sql].count += 1
            else:
                statements[sql] = Statement(sql, None if many else params)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(keep):
            response = browser.get(endpoint.path, **headers)
        if response.status_code != endpoint.expected:
            raise RuntimeError(
                f"in-process {endpoint.path} answered {response.status_code}, "
                f"not {endpoint.expected}"
            )
        name = endpoint.name if endpoint.conditional else endpoint.name.removesuffix(", uncached")
        for statement in statements.values():
            explain(connection, transaction, statement)
        explained[f"{name}, uncached" if endpoint.conditional else endpoint.name] = list(
            statements.values()
        )
    connection.close()
    return explained


def explain(connection, transaction, statement: Statement) -> None:
    verb = statement.sql.lstrip().split(None, 1)[0].upper()
    if verb not in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH"):
        statement.plan = "(not explainable)"
        return
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if verb == "SELECT" else "EXPLAIN "
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(prefix + statement.sql, statement.params)
        statement.plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    statement.flagged = sorted(set(FLAGGED_SCAN.findall(statement.plan)))
    if statement.flagged:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + statement.sql, statement.params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
        still = sorted(set(FLAGGED_SCAN.findall(plan)))
        statement.without_seqscan = (
            f"still a Seq Scan on {', '.join(still)} with enable_seqscan off: no index serves it"
            if still
            else "with enable_seqscan off an index is used: the planner's choice at this size"
        )


# The run ---------------------------------------------------------------------------------


@dataclass
class Run:
    args: argparse.Namespace
    facts: dict = field(default_factory=dict)
    setup_seconds: float = 0.0
    checks: dict[str, Check] = field(default_factory=dict)
    measurements: list[Measurement] = field(default_factory=list)
    explained: dict[str, list[Statement]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    complete: bool = False


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], epilog="See the module docstring for details."
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds over all endpoints (5)")
    parser.add_argument("--seconds", type=float, default=10, help="wrk's seconds per run (10)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument(
        "--cache",
        choices=["locmem", "redis"],
        default="locmem",
        help="the cached server's cache: local memory (default), or its own redis-server",
    )
    parser.add_argument("--summits", type=int, default=500, help="seed_bulk --summits (500)")
    parser.add_argument("--items", type=int, default=15, help="seed_bulk --items (15)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL database to connect to for creating and dropping the throwaway one "
        "(BENCH_POSTGRES_URL; default postgresql://postgres@127.0.0.1:5432/postgres)",
    )
    parser.add_argument("--report", type=Path, default=REPORT, help=f"markdown report ({REPORT})")
    parser.add_argument("--keep-logs", type=Path, default=None, help="copy gunicorn's logs here")
    args = parser.parse_args()
    if args.rounds < 1 or args.seconds < 1 or args.connections < 1 or args.threads < 1:
        parser.error("--rounds, --connections and --threads must be positive, --seconds >= 1")
    if args.threads > args.connections:
        parser.error("--threads must not exceed --connections")
    for tool in ["wrk", *(["redis-server"] if args.cache == "redis" else [])]:
        if not shutil.which(tool):
            parser.error(f"no {tool} on PATH (Debian: apt-get install {tool})")
    if not Path(GUNICORN).exists():
        parser.error(f"no {GUNICORN}: install requirements.txt into this Python's venv")

    signal.signal(signal.SIGTERM, on_sigterm)
    workdir = Path(tempfile.mkdtemp(prefix="summits-http-bench-"))
    run = Run(args)
    try:
        bench(run, workdir)
    except (KeyboardInterrupt, Terminated):
        print(
            "\nInterrupted: everything started is stopped, the database dropped.", file=sys.stderr
        )
        return 130
    except RuntimeError as error:  # set-up, a server, an endpoint's check, wrk
        print(f"\nbench/http_bench.py: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep_logs:
            args.keep_logs.mkdir(parents=True, exist_ok=True)
            for log in workdir.glob("*.log"):
                shutil.copy(log, args.keep_logs / log.name)
        shutil.rmtree(workdir, ignore_errors=True)
    report = make_report(run)
    args.report.write_text(report)
    print(f"\n{summary_table(run)}\nWritten to {args.report}")
    if run.failures:
        print("\nFailures:\n" + "\n".join(f"- {f}" for f in run.failures), file=sys.stderr)
        return 1
    return 0


def bench(run: Run, workdir: Path) -> None:
    args = run.args
    database = Database(args.postgres, prefix="summits_bench")
    redis = RedisServer(free_port(), workdir / "redis.log") if args.cache == "redis" else None
    servers: dict[str, AppServer] = {}
    try:
        run.facts = machine_facts(database)
        run.facts["wrk"] = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
        run.facts["wrk"] = run.facts["wrk"].splitlines()[0].split(" [")[0].removeprefix("wrk ")
        run.facts["code"] = code_version()
        print(f"Creating database {database.name} ...", flush=True)
        database.create()
        if redis:
            redis.start()
        env = app_environment(database.url(*database.address), redis.url if redis else None)
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
            STATIC_ROOT=str(workdir / "static"),
            WEB_CONCURRENCY=str(WORKERS),
            GUNICORN_THREADS="1",
            GUNICORN_MAX_REQUESTS="0",  # never recycled: the cache stays, no boot in a round
        )
        started = time.monotonic()
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        manage(env, "seed_demo")
        manage(env, "seed_bulk", "--summits", str(args.summits), "--items", str(args.items))
        api_key = manage(env, "create_partner_key", "bench", "--rate", API_RATE).strip()
        run.setup_seconds = time.monotonic() - started
        print(f"migrate, collectstatic, seeding: {run.setup_seconds:.0f} s", flush=True)

        uncached_env = {k: v for k, v in env.items() if k not in ("REDIS_URL", "CACHE_URL")}
        servers["cached"] = AppServer("cached", env, workdir)
        servers["uncached"] = AppServer(
            "uncached", {**uncached_env, "BENCH_CACHE": "dummy"}, workdir
        )
        for server in servers.values():
            server.start()
        for server in servers.values():
            server.wait()

        for endpoint in ENDPOINTS:
            check = check_endpoint(servers[endpoint.server], endpoint, api_key)
            run.checks[endpoint.key] = check
            print(
                f"checked {endpoint.key}: {endpoint.expected}, {check.body_bytes} bytes, "
                f"queries {sorted(set(check.queries))}",
                flush=True,
            )

        # Not counted: a few seconds of the ceiling on each server, so that round 1 does not
        # meet a machine at rest; then the checks' log lines are passed over.
        for endpoint in ENDPOINTS:
            if endpoint.path == CEILING:
                server = servers[endpoint.server]
                run_wrk(server.port, endpoint, run.checks[endpoint.key], args, seconds=3)
        for server in servers.values():
            server.wait_until_idle()
            server.statuses_since_last()
        runs = args.rounds * len(ENDPOINTS)
        print(
            f"\n{args.rounds} rounds × {len(ENDPOINTS)} endpoints × {args.seconds:g} s "
            f"(about {runs * (args.seconds + 0.5) / 60:.0f} minutes)",
            flush=True,
        )
        other_load = OtherLoad(database, list(servers.values()))
        for number in range(1, args.rounds + 1):
            ceilings = {}
            for endpoint in ENDPOINTS:
                server = servers[endpoint.server]
                other_load.start()
                figures = run_wrk(server.port, endpoint, run.checks[endpoint.key], args)
                server.wait_until_idle()  # and so the last responses logged
                measurement = Measurement(
                    endpoint,
                    number,
                    statuses=server.statuses_since_last(),
                    other_cpu=other_load.cpus(),
                    **figures,
                )
                if endpoint.path == CEILING:
                    ceilings[endpoint.server] = measurement.rps
                measurement.ratio = measurement.rps / ceilings[endpoint.server]
                run.measurements.append(measurement)
                for problem in measurement.failures:
                    run.failures.append(f"round {number}, {endpoint.key}: {problem}")
                print(
                    f"round {number}/{args.rounds}  {endpoint.key:<32} {measurement.rps:8.1f} "
                    f"req/s  p50 {ms(measurement.p50):>9}  ratio {measurement.ratio:.3f}  "
                    f"others {measurement.other_cpu:.2f} CPU"
                    + ("  FAILED" if measurement.failures else ""),
                    flush=True,
                )
        for server in servers.values():
            server.stop()
        print("\nEXPLAIN of the uncached requests' queries ...", flush=True)
        in_process = {k: v for k, v in env.items() if k not in ("REDIS_URL", "CACHE_URL")}
        run.explained = explain_all(in_process, api_key)
        run.complete = True
    finally:
        for server in servers.values():
            server.stop()
            log = server.error_log.read_text(errors="replace") if server.error_log.exists() else ""
            if "Traceback" in log or "WORKER TIMEOUT" in log:
                run.failures.append(
                    f"the {server.name} server logged an error:\n{server.log_tail(15)}"
                )
        if redis:
            redis.stop()
        try:
            database.drop()
        except Exception as error:  # reported; the run's own figures still stand
            print(f"Could not drop database {database.name}: {error}", file=sys.stderr)


def code_version() -> str:
    """The commit measured, and the files changed beside it: the working tree is what runs."""

    def git(*argv):
        result = subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True)
        return result.stdout.rstrip() if result.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return "? (not a git checkout)"
    changed = [line[3:] for line in git("status", "--porcelain").splitlines() if line[3:]]
    if not changed:
        return f"commit {commit}, no uncommitted change"
    return f"commit {commit} with uncommitted changes in {', '.join(sorted(changed))}"


# The report ------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    if seconds != seconds:
        return "–"
    return f"{seconds * 1000:.2f} ms" if seconds < 0.01 else f"{seconds * 1000:.0f} ms"


def ratio_text(value: float) -> str:
    return "–" if value != value else (f"{value:.3f}" if value < 0.1 else f"{value:.2f}")


@dataclass
class Row:
    endpoint: Endpoint
    rps: float
    p50: float
    p99: float
    ratio: float
    low: float
    high: float
    queries: str
    body_bytes: int
    wire_bytes: float
    verdict: str


def rows(run: Run) -> list[Row]:
    result = []
    for endpoint in ENDPOINTS:
        chosen = [m for m in run.measurements if m.endpoint == endpoint]
        check = run.checks.get(endpoint.key)
        if not chosen or check is None:
            continue
        ratios = [m.ratio for m in chosen]
        ratio = statistics.median(ratios)
        low, high = min(check.queries), max(check.queries)
        verdict = []
        if endpoint.goal is not None:
            verdict.append("ratio met" if ratio >= endpoint.goal else "ratio **not met**")
        if endpoint.max_queries is not None:
            verdict.append("queries met" if high <= endpoint.max_queries else "queries **not met**")
        result.append(
            Row(
                endpoint,
                statistics.median(m.rps for m in chosen),
                statistics.median(m.p50 for m in chosen),
                statistics.median(m.p99 for m in chosen),
                ratio,
                min(ratios),
                max(ratios),
                str(low) if low == high else f"{low}–{high}",
                check.body_bytes,
                statistics.median(m.wire_bytes for m in chosen),
                ", ".join(verdict) or "(the ceiling)",
            )
        )
    return result


def goal_text(endpoint: Endpoint) -> str:
    parts = []
    if endpoint.goal is not None:
        parts.append(f"≥ {endpoint.goal:g}")
    if endpoint.max_queries is not None:
        parts.append(f"≤ {endpoint.max_queries} queries")
    return ", ".join(parts) or "–"


def summary_table(run: Run) -> str:
    lines = [
        "| endpoint | server | req/s | p50 | p99 | ratio to ceiling | spread | SQL queries "
        "| bytes (body / wire) | at filing | goal | met |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows(run):
        endpoint = row.endpoint
        spread = f"{ratio_text(row.low)}–{ratio_text(row.high)}"
        lines.append(
            f"| {endpoint.name} | {endpoint.server} | {row.rps:,.0f} | {ms(row.p50)} | "
            f"{ms(row.p99)} | {ratio_text(row.ratio)} | {spread} | {row.queries} | "
            f"{row.body_bytes:,} / {row.wire_bytes:,.0f} | {endpoint.at_filing or '–'} | "
            f"{goal_text(endpoint)} | {row.verdict} |"
        )
    return "\n".join(lines)


def make_report(run: Run) -> str:
    args = run.args
    now = datetime.datetime.now().astimezone()
    cache = "its own redis-server" if args.cache == "redis" else "local memory (per worker)"
    lines = [
        "# HTTP benchmark",
        "",
        f"{now:%Y-%m-%d %H:%M %Z}, `bench/http_bench.py` "
        f"({' '.join(sys.argv[1:]) or 'default options'}), `make bench`'s first part.",
        "",
        "## Machine and software",
        "",
        *[f"- {key}: {value}" for key, value in run.facts.items()],
        "",
        "## Settings of the run",
        "",
        f"- content: seed_demo + `seed_bulk --summits {args.summits} --items {args.items}` on a "
        f"throwaway PostgreSQL database (set up in {run.setup_seconds:.0f} s)",
        f"- app servers: gunicorn with newsroom/gunicorn.conf.py, {WORKERS} sync workers, "
        "DEBUG=False, GUNICORN_MAX_REQUESTS=0 (never recycled), the access log to a file; "
        "settings bench/settings.py (the product's, ROOT_URLCONF bench.urls, the query counter "
        "first in MIDDLEWARE)",
        f"- cached server: cache {cache}; uncached server: Django's DummyCache (BENCH_CACHE=dummy)"
        "; both up throughout, one under load at a time",
        f"- load: wrk -c {args.connections} -t {args.threads} -d {args.seconds:g}s --latency "
        f"--timeout 30s, a new connection per request (sync workers close it); {args.rounds} "
        "rounds, each over every endpoint in the order of the table",
        f"- partner key created with `create_partner_key bench --rate {API_RATE}`",
        "",
        "## Results",
        "",
        "req/s, p50 and p99: medians over the rounds. Ratio: an endpoint's req/s over the "
        "ceiling's (a view answering `ok` at /bench/ceiling/, same middleware) on the same server "
        "in the same round, median over the rounds; spread: its lowest and highest round. SQL "
        f"queries: X-Bench-Queries of {SAMPLE_REQUESTS} requests after {WARM_REQUESTS} to warm "
        "up (min–max when they differ). Bytes: the body, and on the wire per response "
        "(headers included, from wrk's total). At filing and goal: issue 14's first table "
        "(the queries goal from its text: a cache hit or 304 costs no SQL, an uncached article "
        "page at most 6).",
        "",
        summary_table(run),
        "",
    ]
    lines += [*noise_note(run), ""]
    if not run.complete:
        lines += ["**The run did not complete**; the figures above are what it measured.", ""]
    if run.failures:
        lines += ["### Failures", "", *[f"- {failure}" for failure in run.failures], ""]
    else:
        lines += ["No failure: every response had the expected status, no socket error.", ""]
    lines += [
        "<details><summary>Per round</summary>",
        "",
        "| round | endpoint | server | req/s | ratio | p50 | p99 | requests | statuses "
        "| others' CPU |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for m in run.measurements:
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(m.statuses.items()))
        lines.append(
            f"| {m.round} | {m.endpoint.name} | {m.endpoint.server} | {m.rps:,.1f} | "
            f"{ratio_text(m.ratio)} | {ms(m.p50)} | {ms(m.p99)} | {m.requests:,} | {statuses} "
            f"| {m.other_cpu:.2f} |"
        )
    lines += ["", "</details>", "", *explain_section(run), ""]
    return "\n".join(lines)


def noise_note(run: Run) -> list[str]:
    """What the rest of the machine used while wrk ran: the ratio's spread in context."""
    loads = [m.other_cpu for m in run.measurements if m.other_cpu == m.other_cpu]
    if not loads:
        return []
    cpus = os.cpu_count() or 1
    busy = sorted({m.round for m in run.measurements if m.other_cpu > 0.1})
    note = (
        f"Other processes on the machine (everything but the app servers' workers, wrk and the "
        f"bench database's PostgreSQL backends) used {statistics.median(loads):.2f} CPUs "
        f"(median over the wrk runs), at most {max(loads):.2f}, of {cpus}."
    )
    if busy:
        note += (
            " Over 0.1 CPU in round(s) "
            + ", ".join(map(str, busy))
            + ": those rounds' ratios are the less reliable, the medians and spreads include them."
        )
    return [note]


def explain_section(run: Run) -> list[str]:
    lines = [
        "## EXPLAIN of the uncached requests",
        "",
        "Each endpoint requested once in the bench process (Django's test client, bench "
        "settings, DummyCache, the same database), every SQL statement it ran EXPLAINed on "
        "PostgreSQL: SELECTs with ANALYZE and BUFFERS (rolled back), others without. A Seq Scan "
        "on a summits or items table is flagged and EXPLAINed again with enable_seqscan off. "
        f"At {run.args.summits} summits the planner may prefer a scan of a small table even "
        "where an index exists; the second EXPLAIN tells which.",
        "",
    ]
    if not run.explained:
        return [*lines, "Not reached.", ""]
    flagged = [
        (name, statement)
        for name, statements in run.explained.items()
        for statement in statements
        if statement.flagged
    ]
    lines += [
        "| request | statements | distinct | flagged Seq Scans |",
        "|---|---|---|---|",
    ]
    for name, statements in run.explained.items():
        count = sum(s.count for s in statements)
        scans = sum(bool(s.flagged) for s in statements)
        lines.append(f"| {name} | {count} | {len(statements)} | {scans or 'none'} |")
    lines.append("")
    if flagged:
        lines += ["Flagged:", ""]
        for name, statement in flagged:
            lines.append(
                f"- {name}: Seq Scan on {', '.join(statement.flagged)} "
                f"(`{shorten(statement.sql)}`): {statement.without_seqscan}"
            )
        lines.append("")
    else:
        lines += ["No Seq Scan on a summits or items table.", ""]
    for name, statements in run.explained.items():
        lines += [f"<details><summary>{name}: {sum(s.count for s in statements)} statements"]
        lines[-1] += "</summary>\n"
        for index, statement in enumerate(statements, 1):
            times = f" (×{statement.count})" if statement.count > 1 else ""
            flag = f" — **Seq Scan on {', '.join(statement.flagged)}**" if statement.flagged else ""
            lines += [
                f"{index}.{times}{flag}",
                "",
                "```sql",
                statement.sql,
                "```",
                "",
                f"params: `{statement.params!r}`" if statement.params else "",
                "",
                "```",
                statement.plan,
                "```",
                "",
            ]
            if statement.without_seqscan:
                lines += [f"enable_seqscan off: {statement.without_seqscan}", ""]
        lines += ["</details>", ""]
    return lines


def shorten(sql: str, length: int = 90) -> str:
    sql = " ".join(sql.split())
    return sql if len(sql) <= length else sql[: length - 1] + "…"


if __name__ == "__main__":
    sys.exit(main())
