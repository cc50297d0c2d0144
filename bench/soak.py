"""Soak run: mixed reader and partner API traffic against gunicorn for a while, with faults.

Usage: .venv/bin/python bench/soak.py [--seconds S] [--threads T] [--rate R] ...  (or `make soak`)

It builds everything it needs on 127.0.0.1 and takes it all down again at the end, also on
Ctrl-C or a failure:
- a throwaway database summits_soak_<pid> on the PostgreSQL server (--postgres, default the
  local one), migrated and seeded with seed_demo and seed_bulk, and a partner API key;
- its own redis-server on a free port (never the shared one), as the app's cache;
- a TCP proxy (bench/tcpproxy.py) between the app and PostgreSQL, so that it can cut the
  database;
- gunicorn with newsroom/gunicorn.conf.py and production settings (DEBUG=False, a generated
  SECRET_KEY, ALLOWED_HOSTS=127.0.0.1).

A warm-up makes every worker render every kind of page once (with Redis stopped, see
warm_up()) before the memory counted as the start is measured. Then client threads send
requests (a new connection each, with a timeout) for --seconds
(SOAK_SECONDS, default 600): the list, article pages, search, the tracker, the feed and the
sitemap, some with utm_ parameters, and the partner API's list (updated_since, following the
cursor) and detail. At 30 % of the run the redis-server is stopped, and started again on the
same port after --fault-seconds; at 60 % the proxy refuses and drops every database
connection for as long. The report (printed, and written to bench/soak.md) gives the
responses by status, the errors, latency per phase, the time to recover from each fault,
/healthz during each phase, the exceptions the app logged, and the workers' memory.

The app is measured as it is: the faults are not worked around. Exit status 1 only when the
harness itself fails, or when a request fails before the first fault (then the app or the
set-up is broken, and nothing after it means much).
"""

import argparse
import collections
import concurrent.futures
import contextlib
import datetime
import http.client
import importlib.metadata
import itertools
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.tcpproxy import TCPProxy  # noqa: E402
from newsroom.cache import RETRY_AFTER as CACHE_RETRY_AFTER  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
GUNICORN_CONF = ROOT / "newsroom" / "gunicorn.conf.py"
REPORT = ROOT / "bench" / "soak.md"
HOST = "127.0.0.1"

DEMO_ARTICLE = "/summits/gipfel-genf-2021/"
SEARCH_WORDS = ["Botschafter", "Genf", "climate", "trade", "ceasefire", "summit", "sanctions"]
UTM = ["utm_source=newsletter&utm_medium=email", "utm_source=twitter", "utm_source=partner"]
API_LIST = "/api/v1/summits/?updated_since=2020-01-01T00:00:00Z&page_size=20"
# (kind, weight): what the client threads pick from.
MIX = [
    ("list", 10),
    ("list page", 4),
    ("article", 26),
    ("search", 8),
    ("tracker", 6),
    ("feed", 4),
    ("sitemap", 2),
    ("api list", 10),
    ("api detail", 10),
]
UTM_SHARE = 0.2  # of reader requests
PHASES = ["normal", "redis down", "between faults", "database cut", "after"]


# The things it starts --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen | None, timeout: float) -> None:
    """SIGTERM, then SIGKILL to its process group (it was started in a session of its own)."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


class RedisServer:
    def __init__(self, port: int, log_path: Path):
        self.port = port
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    *("redis-server", "--port", str(self.port), "--bind", HOST, "--save", ""),
                    *("--appendonly", "no", "--daemonize", "no"),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 10
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        stop_process(self.process, timeout=5)

    def answers(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class Database:
    """A throwaway database on the PostgreSQL server of `admin_url`."""

    def __init__(self, admin_url: str, prefix: str = "summits_soak"):
        self.admin_url = admin_url
        self.name = f"{prefix}_{os.getpid()}"
        self.created = False

    def _execute(self, sql: str):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchall() if cursor.description else None

    def create(self) -> None:
        self._execute(f'CREATE DATABASE "{self.name}"')
        self.created = True

    def drop(self) -> None:
        if self.created:
            self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.created = False

    def server_version(self) -> str:
        return self._execute("SHOW server_version")[0][0]

    def url(self, host: str, port: int) -> str:
        parts = urllib.parse.urlsplit(self.admin_url)
        user = parts.username or "postgres"
        password = f":{parts.password}" if parts.password else ""
        return f"postgresql://{user}{password}@{host}:{port}/{self.name}"

    @property
    def address(self) -> tuple[str, int]:
        parts = urllib.parse.urlsplit(self.admin_url)
        return parts.hostname or HOST, parts.port or 5432


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: the processes whose parent is the master."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:  # gone meanwhile
            continue
        match = re.search(r"^PPid:\s+(\d+)$", status, re.MULTILINE)
        if match and int(match.group(1)) == master:
            pids.append(int(entry.name))
    return sorted(pids)


def rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB$", status, re.MULTILINE)
    return int(match.group(1)) if match else 0


@dataclass
class Memory:
    workers: int
    rss_kib: int

    def __str__(self):
        return f"{self.rss_kib / 1024:.1f} MiB over {self.workers} workers"


def workers_memory(master: int) -> Memory:
    pids = worker_pids(master)
    return Memory(len(pids), sum(rss_kib(pid) for pid in pids))


# The traffic -----------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    start: float  # seconds since the traffic began
    end: float
    status: int | None  # None: no HTTP answer
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 500

    @property
    def outcome(self) -> str:
        return str(self.status) if self.status is not None else self.error

    @property
    def latency(self) -> float:
        return self.end - self.start


def fetch(port: int, path: str, timeout: float, headers: dict | None = None):
    """(status, body) of one GET on a new connection; raises OSError/HTTPException."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def error_name(error: Exception) -> str:
    if isinstance(error, TimeoutError):
        return "timeout"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, http.client.RemoteDisconnected):  # a ConnectionResetError too
        return "closed without answer"
    if isinstance(error, ConnectionResetError):
        return "connection reset"
    return error.__class__.__name__


class Traffic:
    """Client threads picking requests from MIX; every result is kept as a Sample."""

    def __init__(self, port, api_key, articles, args):
        self.port = port
        self.api_key = api_key
        self.articles = articles
        self.args = args
        self.samples: list[Sample] = []
        self.health: list[tuple[float, int | None, str]] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.t0 = 0.0
        self.progress_at = -1e9
        self.threads: list[threading.Thread] = []
        kinds, weights = zip(*MIX, strict=True)
        self.kinds, self.weights = list(kinds), list(weights)

    def now(self) -> float:
        return time.monotonic() - self.t0

    def request_for(self, kind: str, rng: random.Random, state: dict) -> tuple[str, bool]:
        """(path, is_api) for a request of this kind."""
        if kind == "api list":
            return state.pop("next", None) or API_LIST, True
        if kind == "api detail":
            return f"/api/v1/summits/{rng.choice(self.articles).strip('/').split('/')[-1]}/", True
        if kind == "list":
            path = "/summits/"
        elif kind == "list page":
            path = f"/summits/?page={rng.randint(2, 10)}"
        elif kind == "article":
            path = DEMO_ARTICLE if rng.random() < 0.2 else rng.choice(self.articles)
        elif kind == "search":
            path = f"/summits/?q={urllib.parse.quote(rng.choice(SEARCH_WORDS))}"
            if rng.random() < 0.5:
                path += "&year=2021"
        elif kind == "tracker":
            path = "/summits/tracker/"
        elif kind == "feed":
            path = "/summits/feed/"
        else:  # the index, or its (first) page
            path = rng.choice(["/sitemap.xml", "/sitemap-summits.xml"])
        if rng.random() < UTM_SHARE:
            path += ("&" if "?" in path else "?") + rng.choice(UTM)
        return path, False

    def one(self, kind: str, rng: random.Random, state: dict) -> Sample:
        path, api = self.request_for(kind, rng, state)
        headers = {"Authorization": f"Api-Key {self.api_key}"} if api else {}
        start = self.now()
        try:
            status, body = fetch(self.port, path, self.args.timeout, headers)
        except (OSError, http.client.HTTPException) as error:
            return Sample(kind, start, self.now(), None, error_name(error))
        sample = Sample(kind, start, self.now(), status)
        if kind == "api list" and status == 200:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                following = json.loads(body)["next"]
                if following:
                    parts = urllib.parse.urlsplit(following)
                    state["next"] = f"{parts.path}?{parts.query}"
        return sample

    def client(self, number: int):
        rng = random.Random(self.args.seed * 1000 + number)
        state: dict = {}
        # Each thread's share of the rate; 0: as fast as answers come.
        interval = self.args.threads / self.args.rate if self.args.rate else 0.0
        next_at = self.now() + rng.random() * interval
        while not self.stop.is_set():
            if interval:
                delay = next_at - self.now()
                if delay > 0 and self.stop.wait(delay):
                    break
                # Behind schedule (slow answers): carry on, but never in a burst to catch up.
                next_at = max(next_at + interval, self.now())
            sample = self.one(rng.choices(self.kinds, self.weights)[0], rng, state)
            with self.lock:
                self.samples.append(sample)

    def health_probe(self):
        while not self.stop.wait(self.args.health_interval):
            start = self.now()
            try:
                status, body = fetch(self.port, "/healthz", 5)
                try:
                    checks = json.loads(body)
                    detail = f"database {checks.get('database')}, cache {checks.get('cache')}"
                except ValueError:
                    detail = "not JSON"
            except (OSError, http.client.HTTPException) as error:
                status, detail = None, error_name(error)
            with self.lock:
                self.health.append((start, status, detail))

    def start(self):
        self.t0 = time.monotonic()
        self.threads = [
            threading.Thread(target=self.client, args=(n,), daemon=True)
            for n in range(self.args.threads)
        ]
        self.threads.append(threading.Thread(target=self.health_probe, daemon=True))
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=self.args.timeout + 5)


def warm_up(
    port: int,
    api_key: str,
    articles: list[str],
    timeout: float,
    redis,
    workers: int,
    threads: int = 8,
) -> list[str]:
    """Every page the traffic asks for rendered afresh in every worker, then served from the
    cache, before the memory counted as the start is measured: the start is then what a
    worker holds once it has built every kind of page, and growth after it is what traffic
    and faults add.

    With the cache up, a page is rendered once, by whichever worker gets it first, and the
    others only ever serve it from the cache: they first built it when the Redis outage made
    every worker render every page (that was most of the growth measured before). So the
    rendering rounds run with the run's own Redis stopped, as many rounds as it takes each
    worker to get every page kind a few times (the connections go to workers at random); the
    API list is walked along its cursor as the traffic walks it. Redis's outage and return
    during the warm-up are logged as the run's are."""
    problems = []
    paths = ["/summits/", *(f"/summits/?page={number}" for number in range(2, 11))]
    paths += [DEMO_ARTICLE, *articles, "/summits/tracker/", "/summits/feed/", "/sitemap.xml"]
    paths += ["/sitemap-summits.xml"]
    paths += [f"/summits/?q={urllib.parse.quote(word)}" for word in SEARCH_WORDS]
    paths += [f"/summits/?q={urllib.parse.quote(word)}&year=2021" for word in SEARCH_WORDS]
    api_paths = [
        API_LIST,
        *(f"/api/v1/summits/{path.strip('/').split('/')[-1]}/" for path in articles),
    ]
    api_headers = {"Authorization": f"Api-Key {api_key}"}
    requests = [(path, None) for path in paths]
    requests += [(path, api_headers) for path in api_paths]

    def get(request):
        path, headers = request
        status, _ = fetch(port, path, timeout, headers)
        return None if status == 200 else f"{path}: {status}"

    def walk_the_api_list():
        path = API_LIST
        while path:
            status, body = fetch(port, path, timeout, api_headers)
            if status != 200:
                return [f"{path}: {status}"]
            following = json.loads(body)["next"]
            parts = urllib.parse.urlsplit(following) if following else None
            path = f"{parts.path}?{parts.query}" if parts else None
        return []

    rendering_rounds = 2 * workers
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        redis.stop()
        try:
            for _ in range(rendering_rounds):
                walk = pool.submit(walk_the_api_list)
                problems += [problem for problem in pool.map(get, requests) if problem]
                problems += walk.result()
        finally:
            redis.start()
        time.sleep(CACHE_RETRY_AFTER + 1)  # the workers try Redis again
        for _ in range(2):  # filled, then served from the cache
            problems += [problem for problem in pool.map(get, requests) if problem]
            problems += walk_the_api_list()
    return sorted(set(problems))


def wait_until_serving(port: int, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            status, body = fetch(port, "/healthz", 5)
            if status == 200:
                return
            detail = f"/healthz answered {status}: {body[:200]!r}"
        except (OSError, http.client.HTTPException) as error:
            detail = error_name(error)
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not serve /healthz within {seconds:g} s ({detail})")
        time.sleep(0.2)


def article_paths(port: int, timeout: float) -> list[str]:
    """The article pages the sitemap lists: its index, then each of its pages."""
    paths = []
    for page in sitemap_locations(port, "/sitemap.xml", timeout):
        parts = urllib.parse.urlsplit(page)
        page_path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        paths += [
            urllib.parse.urlsplit(url).path for url in sitemap_locations(port, page_path, timeout)
        ]
    if not paths:
        raise RuntimeError("the sitemap lists no article")
    return paths


def sitemap_locations(port: int, path: str, timeout: float) -> list[str]:
    status, body = fetch(port, path, timeout)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return [url.decode() for url in re.findall(rb"<loc>([^<]+)</loc>", body)]


# The run ---------------------------------------------------------------------------------


@dataclass
class Fault:
    name: str  # the phase it makes
    start: float = 0.0
    end: float = 0.0


@dataclass
class Run:
    args: argparse.Namespace
    facts: dict = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    duration: float = 0.0
    memory: dict = field(default_factory=dict)
    memory_peak: Memory | None = None
    workers_seen: set = field(default_factory=set)
    proxy_connections: int = 0
    log_summary: dict = field(default_factory=dict)
    warm_up_problems: list = field(default_factory=list)


class Terminated(Exception):
    pass


def on_sigterm(signum, frame):
    raise Terminated


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], epilog="See the module docstring for details."
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=float(os.environ.get("SOAK_SECONDS", "600")),
        help="seconds of traffic (SOAK_SECONDS, default 600); set-up and tear-down come on top",
    )
    parser.add_argument("--threads", type=int, default=8, help="client threads (8)")
    parser.add_argument(
        "--rate",
        type=float,
        default=40.0,
        help="requests per second, all threads together (40); 0: as fast as answers come",
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="request timeout, s (10)")
    parser.add_argument(
        "--fault-seconds",
        type=float,
        default=20.0,
        help="how long Redis is down, and then the database cut (20; at most a sixth of --seconds)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="gunicorn workers (default: WEB_CONCURRENCY, else newsroom/gunicorn.conf.py's)",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=0,
        help="gunicorn's GUNICORN_MAX_REQUESTS during the run (default 0: workers are never "
        "recycled, so that memory growth shows; production's default is 1000)",
    )
    parser.add_argument("--summits", type=int, default=200, help="seed_bulk --summits (200)")
    parser.add_argument("--items", type=int, default=10, help="seed_bulk --items (10)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "SOAK_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL database to connect to for creating and dropping the throwaway "
        "one (SOAK_POSTGRES_URL; default postgresql://postgres@127.0.0.1:5432/postgres)",
    )
    parser.add_argument("--health-interval", type=float, default=0.5, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help="seed of the request mix (0)")
    parser.add_argument("--report", type=Path, default=REPORT, help=f"markdown report ({REPORT})")
    parser.add_argument(
        "--keep-logs", type=Path, default=None, help="copy gunicorn's and redis' logs here"
    )
    args = parser.parse_args()
    if args.seconds < 30:
        parser.error("--seconds must be at least 30 (two faults and time to recover)")
    if args.threads < 1 or args.timeout <= 0 or args.rate < 0 or args.fault_seconds <= 0:
        parser.error("--threads, --timeout and --fault-seconds must be positive, --rate >= 0")
    args.fault_seconds = min(args.fault_seconds, args.seconds / 6)

    signal.signal(signal.SIGTERM, on_sigterm)
    workdir = Path(tempfile.mkdtemp(prefix="summits-soak-"))
    run = Run(args)
    try:
        failures = soak(run, workdir)
    except (KeyboardInterrupt, Terminated):
        print(
            "\nInterrupted: everything started is stopped, the database dropped.", file=sys.stderr
        )
        return 130
    except RuntimeError as error:  # the harness failed (set-up, a server not starting)
        print(f"\nsoak: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep_logs:
            args.keep_logs.mkdir(parents=True, exist_ok=True)
            for log in workdir.glob("*.log"):
                shutil.copy(log, args.keep_logs / log.name)
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failures else 0


def soak(run: Run, workdir: Path) -> int:
    args = run.args
    database = Database(args.postgres)
    redis = RedisServer(free_port(), workdir / "redis.log")
    proxy = TCPProxy(*database.address)
    gunicorn = None
    traffic = None
    gunicorn_log = workdir / "gunicorn.log"
    if not Path(GUNICORN).exists():
        raise RuntimeError(f"no {GUNICORN}: install requirements.txt into this Python's venv")
    if not shutil.which("redis-server"):
        raise RuntimeError("no redis-server on PATH (Debian: apt-get install redis-server)")
    try:
        run.facts = machine_facts(database)
        print(f"Creating database {database.name} ...", flush=True)
        database.create()
        redis.start()
        proxy.start()
        port = free_port()
        env = app_environment(database.url(*database.address), redis.url)
        started = time.monotonic()
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        manage(env, "seed_demo")
        manage(env, "seed_bulk", "--summits", str(args.summits), "--items", str(args.items))
        api_key = manage(env, "create_partner_key", "Soak", "--rate", "1000000/hour").strip()
        print(f"migrate, collectstatic, seeding: {time.monotonic() - started:.0f} s", flush=True)

        env.update(
            DATABASE_URL=database.url(HOST, proxy.port),
            BIND=f"{HOST}:{port}",
            GUNICORN_PIDFILE=str(workdir / "gunicorn.pid"),
            GUNICORN_MAX_REQUESTS=str(args.max_requests),
        )
        workers = args.workers or os.environ.get("WEB_CONCURRENCY")
        if workers:
            env["WEB_CONCURRENCY"] = str(workers)
        with open(gunicorn_log, "wb") as log:
            gunicorn = subprocess.Popen(
                [GUNICORN, "--config", str(GUNICORN_CONF)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_serving(port, gunicorn, 60)
        run.facts["gunicorn workers"] = len(worker_pids(gunicorn.pid))
        run.memory["after boot"] = workers_memory(gunicorn.pid)
        articles = article_paths(port, args.timeout)
        run.facts["content"] = f"{len(articles)} published summits in the sitemap"
        run.warm_up_problems = warm_up(
            port, api_key, articles, args.timeout, redis, run.facts["gunicorn workers"]
        )
        run.memory["start (after warm-up)"] = workers_memory(gunicorn.pid)
        run.workers_seen.update(worker_pids(gunicorn.pid))

        traffic = Traffic(port, api_key, articles, args)
        print(
            f"Traffic for {args.seconds:g} s: {args.threads} threads, "
            f"{f'{args.rate:g} requests/s' if args.rate else 'unpaced'}; Redis down at "
            f"{args.seconds * 0.3:.0f} s, database cut at {args.seconds * 0.6:.0f} s, "
            f"{args.fault_seconds:g} s each",
            flush=True,
        )
        traffic.start()
        faults = [
            (args.seconds * 0.3, Fault("redis down"), redis.stop, redis.start),
            (args.seconds * 0.6, Fault("database cut"), proxy.cut, proxy.restore),
        ]
        peak = [run.memory["start (after warm-up)"]]

        def wait_until(moment):
            # Samples the workers' memory every second meanwhile, and shows the progress.
            while traffic.now() < moment:
                time.sleep(max(0.0, min(1.0, moment - traffic.now())))
                memory = workers_memory(gunicorn.pid)
                if memory.rss_kib > peak[0].rss_kib:
                    peak[0] = memory
                run.workers_seen.update(worker_pids(gunicorn.pid))
                progress(traffic)

        for at, fault, begin, end in faults:
            wait_until(at)
            run.memory[f"at {fault.name}"] = workers_memory(gunicorn.pid)
            fault.start = traffic.now()
            begin()
            print(f"\n{traffic.now():6.1f} s: {fault.name}", flush=True)
            wait_until(fault.start + args.fault_seconds)
            end()
            fault.end = traffic.now()
            print(f"\n{traffic.now():6.1f} s: {fault.name} over", flush=True)
            run.faults.append(fault)
        wait_until(args.seconds)
        run.duration = traffic.now()
        run.memory["end"] = workers_memory(gunicorn.pid)
        run.memory_peak = max(peak[0], run.memory["end"], key=lambda m: m.rss_kib)
        run.workers_seen.update(worker_pids(gunicorn.pid))
        traffic.finish()
        print()
    finally:
        if traffic is not None:
            traffic.finish()
        stop_process(gunicorn, timeout=40)
        proxy.stop()
        redis.stop()
        run.proxy_connections = proxy.connections_accepted
        try:
            database.drop()
        except Exception as error:  # reported; the run's own results still stand
            print(f"Could not drop database {database.name}: {error}", file=sys.stderr)
        if gunicorn_log.exists():
            run.log_summary = summarize_log(gunicorn_log.read_text(errors="replace"))
    report = make_report(run, traffic)
    print(report)
    args.report.write_text(report)
    print(f"Written to {args.report}")
    normal = [s for s in traffic.samples if phase_of(s.start, run.faults) == "normal"]
    return sum(not s.ok for s in normal)


def app_environment(database_url: str, redis_url: str | None) -> dict:
    """The app's environment: production settings, DEBUG off; the cache local memory when
    redis_url is None."""
    # Nothing of the caller's app settings leaks in: the run's own settings only.
    drop = {"DATABASE_URL", "REDIS_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    drop |= {name for name in os.environ if name.startswith(("GUNICORN_", "SECURE_"))}
    drop |= {"WEB_CONCURRENCY", "BIND", "HTTPS", "BEHIND_PROXY", "STATICFILES_BACKEND"}
    drop |= {"DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_KEY_PREFIX", "ALLOWED_HOSTS"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env.update(
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def progress(traffic: Traffic, every: float = 1.0 if sys.stdout.isatty() else 30.0) -> None:
    """One line updated in place on a terminal; into a log, a line every 30 s."""
    now = traffic.now()
    if now - traffic.progress_at < every:
        return
    traffic.progress_at = now
    with traffic.lock:
        total = len(traffic.samples)
        recent = list(itertools.takewhile(lambda s: s.start > now - 5, reversed(traffic.samples)))
    failed = sum(not s.ok for s in recent)
    line = f"{now:6.1f} s  {total} requests, last 5 s: {len(recent) / 5:5.1f}/s, {failed} failed"
    if sys.stdout.isatty():
        print(f"\r{line}   ", end="", flush=True)
    else:
        print(line, flush=True)


def machine_facts(database: Database) -> dict:
    def command(*argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"

    cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
    memory = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
    return {
        "CPUs (nproc)": command("nproc"),
        "CPU": cpu.group(1) if cpu else "?",
        "memory": f"{int(memory.group(1)) / 1024 / 1024:.1f} GiB" if memory else "?",
        "system": platform.platform(),
        "Python": platform.python_version(),
        "Django": importlib.metadata.version("django"),
        "gunicorn": importlib.metadata.version("gunicorn"),
        "PostgreSQL": database.server_version(),
        "Redis": command("redis-server", "--version").split(" sha=")[0],
    }


# The report ------------------------------------------------------------------------------


def phase_of(moment: float, faults: list[Fault]) -> str:
    """normal < redis down < between faults < database cut < after, by the faults' times."""
    phase = "normal"
    for fault, after in zip(faults, ["between faults", "after"], strict=False):
        if moment >= fault.end:
            phase = after
        elif moment >= fault.start:
            return fault.name
    return phase


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)  # nearest rank
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def ms(seconds: float) -> str:
    return "–" if seconds != seconds else f"{seconds * 1000:.0f} ms"


def outcomes(samples) -> str:
    counts = collections.Counter(s.outcome for s in samples)
    return ", ".join(f"{key}: {count}" for key, count in sorted(counts.items())) or "–"


def recovery(samples: list[Sample], fault: Fault, window_end: float) -> tuple[str, str, int]:
    """(first success, all succeed from, failures) after the fault's end, within its window.

    The window holds the requests that started after the fault's end and were answered before
    the next fault began (or the run ended): a request the next fault broke is not counted.
    """
    after = [s for s in samples if fault.end <= s.start and s.end < window_end]
    failed = [s for s in after if not s.ok]
    successes = [s.end for s in after if s.ok]
    first = f"{min(successes) - fault.end:.1f} s" if successes else "never"
    last_failure = max((s.end for s in failed), default=None)
    if last_failure is None:
        steady = "0.0 s (no failure after it)"
    elif any(s.ok and s.start > last_failure for s in after):
        steady = f"{last_failure - fault.end:.1f} s"
    else:
        steady = "not within the window"
    return first, steady, len(failed)


EXCEPTION_LINE = re.compile(
    r"^((?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Timeout|Unavailable)\w*): ?(.*)$"
)
# Django's django.request logger: "Service Unavailable: /summits/".
REQUEST_LINE = re.compile(r"^([A-Z][A-Za-z ]+): (/\S*)$")


def summarize_log(text: str) -> dict:
    """What gunicorn's log (the app's stderr too) says, counted."""
    exceptions = collections.Counter()
    requests_logged, messages = collections.Counter(), collections.Counter()
    for line in text.splitlines():
        if match := EXCEPTION_LINE.match(line):
            # By type and message, with numbers (ports, seconds) made alike.
            key = (match.group(1), re.sub(r"\d+", "N", match.group(2))[:160])
            exceptions[key] += 1
        elif match := REQUEST_LINE.match(line):
            requests_logged[match.group(1)] += 1
        elif line.strip() and not (
            line.startswith((HOST, "[", " ", "\t", "Traceback", "The above exception"))
            or line.startswith("During handling")
        ):
            # The app's own messages, with numbers (ports, seconds) made alike.
            messages[re.sub(r"\d+", "N", line)[:200]] += 1
    return {
        "exceptions": exceptions,
        "requests logged": requests_logged,
        "messages": messages,
        "worker timeouts": len(re.findall(r"WORKER TIMEOUT", text)),
        "workers booted": len(re.findall(r"Booting worker with pid", text)),
    }


def make_report(run: Run, traffic: Traffic | None) -> str:
    args = run.args
    now = datetime.datetime.now().astimezone()
    lines = [
        "# Soak run",
        "",
        f"{now:%Y-%m-%d %H:%M %Z}, `bench/soak.py` "
        f"({' '.join(sys.argv[1:]) or 'default options'}).",
        "",
        "## Machine and software",
        "",
        *[f"- {key}: {value}" for key, value in run.facts.items()],
        "",
        "## Parameters",
        "",
        f"- traffic: {args.seconds:g} s, {args.threads} client threads, "
        + (f"paced at {args.rate:g} requests/s in all" if args.rate else "unpaced")
        + f", a new connection per request, {args.timeout:g} s timeout",
        "- mix (weights): "
        + ", ".join(f"{kind} {weight}" for kind, weight in MIX)
        + f"; {UTM_SHARE:.0%} of reader requests with utm_ parameters; the API list walks "
        "the cursor (updated_since, page_size=20); /healthz polled apart every "
        f"{args.health_interval:g} s",
        f"- content: seed_demo + seed_bulk --summits {args.summits} --items {args.items}",
        "- gunicorn: newsroom/gunicorn.conf.py, "
        f"GUNICORN_MAX_REQUESTS={args.max_requests}, DEBUG=False, CONN_MAX_AGE default (60), "
        "cache: its own redis-server; database: PostgreSQL through bench/tcpproxy.py",
        "- warm-up, before the memory counted as the start: every page and API call of the "
        "mix (the API list along its cursor) rendered afresh, 2 rounds per worker with the "
        "redis-server stopped, then twice through the cache (see warm_up())",
        f"- faults: redis-server stopped at {args.seconds * 0.3:.0f} s and started again on the "
        f"same port {args.fault_seconds:g} s later; at {args.seconds * 0.6:.0f} s the proxy "
        f"refuses new database connections and drops the open ones for {args.fault_seconds:g} s",
        "",
    ]
    if traffic is None or not traffic.samples:
        return "\n".join([*lines, "No traffic was measured.", ""])
    samples = sorted(traffic.samples, key=lambda s: s.start)
    faults = run.faults
    total = len(samples)
    errors = [s for s in samples if s.status is None]
    latencies = [s.latency for s in samples if s.status is not None]
    lines += [
        "## Results",
        "",
        f"- requests: {total} in {run.duration:.0f} s ({total / run.duration:.1f}/s)",
        f"- responses by status: {outcomes(s for s in samples if s.status is not None)}",
        f"- errors without a response: {outcomes(errors) if errors else 'none'}",
        f"- latency of the responses: p50 {ms(percentile(latencies, 0.5))}, "
        f"p99 {ms(percentile(latencies, 0.99))}, max {ms(max(latencies, default=float('nan')))}",
    ]
    if run.warm_up_problems:
        lines.append(f"- warm-up answers other than 200: {'; '.join(run.warm_up_problems)}")
    lines += [
        "",
        "### Per phase",
        "",
        "Phases by when a request started (one that started just before a fault and met it "
        "counts in the phase before); a failure is a 5xx or no response.",
        "",
        "| phase | from–to (s) | requests | req/s | failed | p50 | p99 | outcomes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    bounds = phase_bounds(faults, run.duration)
    for phase in PHASES:
        if phase not in bounds:
            continue
        start, end = bounds[phase]
        chosen = [s for s in samples if phase_of(s.start, faults) == phase]
        timed = [s.latency for s in chosen if s.status is not None]
        lines.append(
            f"| {phase} | {start:.0f}–{end:.0f} | {len(chosen)} | "
            f"{len(chosen) / max(end - start, 1e-9):.1f} | {sum(not s.ok for s in chosen)} | "
            f"{ms(percentile(timed, 0.5))} | {ms(percentile(timed, 0.99))} | {outcomes(chosen)} |"
        )
    lines += [
        "",
        "### Recovery",
        "",
        "After the fault's end (Redis answering PING again / the proxy listening again): the "
        "first successful response, and from when on every request succeeded (until the next "
        "fault or the end of the run).",
        "",
        "| fault | lasted | failures during it | first success after | all succeed after | "
        "failures after its end | /healthz 200 again after |",
        "|---|---|---|---|---|---|---|",
    ]
    for index, fault in enumerate(faults):
        window_end = faults[index + 1].start if index + 1 < len(faults) else run.duration
        first, steady, failures_after = recovery(samples, fault, window_end)
        during = sum(not s.ok for s in samples if fault.start <= s.start < fault.end)
        healthy = [t for t, status, _ in traffic.health if t >= fault.end and status == 200]
        health_back = f"{min(healthy) - fault.end:.1f} s" if healthy else "never"
        lines.append(
            f"| {fault.name} | {fault.end - fault.start:.1f} s | {during} | {first} | {steady} | "
            f"{failures_after} | {health_back} |"
        )
    lines += ["", "### /healthz per phase", "", "| phase | answers |", "|---|---|"]
    for phase in PHASES:
        if phase not in bounds:
            continue
        answers = collections.Counter(
            f"{status or 'no answer'} ({detail})"
            for t, status, detail in traffic.health
            if phase_of(t, faults) == phase
        )
        summary = "; ".join(f"{key} ×{count}" for key, count in answers.most_common()) or "–"
        lines.append(f"| {phase} | {summary} |")
    lines += [
        "",
        "### Per kind of request",
        "",
        "| kind | requests | p50 | p99 | failed in normal | failed in faults | outcomes |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, _ in MIX:
        chosen = [s for s in samples if s.kind == kind]
        timed = [s.latency for s in chosen if s.status is not None]
        normal = sum(not s.ok for s in chosen if phase_of(s.start, faults) == "normal")
        in_faults = sum(
            not s.ok for s in chosen if phase_of(s.start, faults) in ("redis down", "database cut")
        )
        lines.append(
            f"| {kind} | {len(chosen)} | {ms(percentile(timed, 0.5))} | "
            f"{ms(percentile(timed, 0.99))} | {normal} | {in_faults} | {outcomes(chosen)} |"
        )
    lines += ["", "### Workers", ""]
    memory = run.memory
    for name, value in memory.items():
        lines.append(f"- RSS {name}: {value}")
    if "end" in memory and memory.get("start (after warm-up)"):
        start, end = memory["start (after warm-up)"], memory["end"]
        growth = (end.rss_kib - start.rss_kib) / start.rss_kib * 100
        lines.append(f"- growth from start to end: {growth:+.1f} %")
        if memory.get("at redis down"):
            middle = memory["at redis down"]
            growth = (end.rss_kib - middle.rss_kib) / middle.rss_kib * 100
            lines.append(f"- growth from the end of the normal phase to the end: {growth:+.1f} %")
    if run.memory_peak:
        lines.append(f"- highest sum seen (sampled every second): {run.memory_peak}")
    log = run.log_summary
    logged = collections.Counter(log.get("requests logged", {})).most_common()
    logged = ", ".join(f"{reason}: {count}" for reason, count in logged)
    lines += [
        f"- worker processes seen: {len(run.workers_seen)} "
        f"(booted per gunicorn's log: {log.get('workers booted', '?')}, "
        f"worker timeouts: {log.get('worker timeouts', '?')})",
        f"- database connections the app opened through the proxy: {run.proxy_connections} "
        f"(while /healthz was polled {len(traffic.health)} times)",
        "",
        "### What the app logged",
        "",
        f"Requests Django logged as failed (django.request, by reason): {logged or 'none'}.",
        "",
    ]
    if log.get("messages"):
        lines += ["Other lines (numbers shown as N):", ""]
        lines += [f"- {count} × `{line}`" for line, count in log["messages"].most_common(10)]
        lines.append("")
    exceptions = log.get("exceptions") or {}
    if exceptions:
        lines += [
            "Exceptions, from the last line of each traceback (chained ones count apiece; "
            "numbers shown as N):",
            "",
            "| exception | message | count |",
            "|---|---|---|",
        ]
        for (name, message), count in exceptions.most_common(12):
            lines.append(f"| {name} | {message.replace('|', '\\|')} | {count} |")
    else:
        lines.append("No exception in gunicorn's log.")
    lines += ["", *timeline(samples, run.duration), ""]
    return "\n".join(lines)


def phase_bounds(faults: list[Fault], duration: float) -> dict:
    edges = [0.0]
    for fault in faults:
        edges += [fault.start, fault.end]
    edges.append(duration)
    names = PHASES[: len(edges) - 1]
    return {name: (edges[i], edges[i + 1]) for i, name in enumerate(names)}


def timeline(samples: list[Sample], duration: float) -> list[str]:
    step = max(5, round(duration / 60 / 5) * 5)
    lines = [
        "<details><summary>Timeline</summary>",
        "",
        f"Per {step} s, by when a request started.",
        "",
        "| from (s) | requests | failed | p50 | outcomes |",
        "|---|---|---|---|---|",
    ]
    buckets = collections.defaultdict(list)
    for sample in samples:
        buckets[int(sample.start // step)].append(sample)
    for index in sorted(buckets):
        chosen = buckets[index]
        timed = [s.latency for s in chosen if s.status is not None]
        lines.append(
            f"| {index * step} | {len(chosen)} | {sum(not s.ok for s in chosen)} | "
            f"{ms(percentile(timed, 0.5))} | {outcomes(chosen)} |"
        )
    return [*lines, "", "</details>"]


if __name__ == "__main__":
    sys.exit(main())
