"""Serving with gunicorn: its configuration, `make serve`'s migration check, and the soak harness
(bench/soak.py and the TCP proxy it cuts the database with). Fast: no soak run here."""

import argparse
import importlib.util
import os
import random
import socket
import socketserver
import subprocess
import sys
import threading
import types
from pathlib import Path

import pytest

from bench import soak
from bench.tcpproxy import TCPProxy

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "newsroom" / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).with_name("gunicorn")
CONFIG_VARIABLES = ("WEB_CONCURRENCY", "BIND")


def load_config(monkeypatch, **env):
    """newsroom/gunicorn.conf.py executed afresh with exactly these of its variables set."""
    for name in list(os.environ):
        if name in CONFIG_VARIABLES or name.startswith("GUNICORN_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gunicorn_conf_under_test", CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def clean_environment(**env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", *CONFIG_VARIABLES)
        and not key.startswith("GUNICORN_")
    }
    environment.update(env)
    return environment


# The gunicorn configuration ----------------------------------------------------------------


def test_gunicorn_config_takes_its_values_from_the_environment(monkeypatch):
    config = load_config(
        monkeypatch,
        WEB_CONCURRENCY="3",
        GUNICORN_TIMEOUT="45",
        GUNICORN_GRACEFUL_TIMEOUT="12",
        GUNICORN_KEEPALIVE="7",
        GUNICORN_MAX_REQUESTS="500",
        BIND="127.0.0.1:9001,unix:/tmp/newsroom.sock",
        GUNICORN_PIDFILE="/tmp/newsroom.pid",
    )
    assert config.workers == 3
    assert config.timeout == 45
    assert config.graceful_timeout == 12
    assert config.keepalive == 7
    assert config.bind == ["127.0.0.1:9001", "unix:/tmp/newsroom.sock"]
    assert config.pidfile == "/tmp/newsroom.pid"
    assert (config.max_requests, config.max_requests_jitter) == (500, 50)
    assert config.worker_class == "sync"


def test_gunicorn_config_defaults(monkeypatch):
    config = load_config(monkeypatch)
    assert config.workers == min(2 * len(os.sched_getaffinity(0)) + 1, 12)
    assert config.timeout == 30
    assert config.bind == ["127.0.0.1:8000"]
    assert config.pidfile is None
    assert config.accesslog == "-"
    assert config.max_requests > 0 and config.max_requests_jitter > 0
    assert config.wsgi_app == "newsroom.wsgi:application"
    # gunicorn's default control socket is one path per user: two instances would clash.
    assert config.control_socket_disable is True


def test_threads_switch_gunicorn_to_gthread_workers(monkeypatch):
    config = load_config(monkeypatch, GUNICORN_THREADS="4")
    assert (config.threads, config.worker_class) == (4, "gthread")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("GUNICORN_TIMEOUT", "0", "at least 1"),  # a worker must never hang forever
        ("WEB_CONCURRENCY", "many", "whole number"),
        ("WEB_CONCURRENCY", "0", "at least 1"),
        # gunicorn's own variable for a re-exec: a path there stops gunicorn from starting.
        ("GUNICORN_PID", "/run/newsroom.pid", "GUNICORN_PIDFILE"),
    ],
)
def test_gunicorn_config_refuses_bad_values(monkeypatch, name, value, message):
    with pytest.raises(ValueError, match=message):
        load_config(monkeypatch, **{name: value})


def test_gunicorn_reads_the_config_file_and_loads_the_app():
    result = subprocess.run(
        [GUNICORN, "--config", str(CONF), "--print-config"],
        cwd="/",  # the config's chdir, not the caller's directory, finds the project
        env=clean_environment(
            WEB_CONCURRENCY="3",
            GUNICORN_TIMEOUT="41",
            BIND="127.0.0.1:9002",
            SECRET_KEY="a-long-random-test-secret-key-with-enough-entropy-0123456789",
            # The app refuses to start without collected static files (newsroom.startup);
            # this test is about the config, on a clean clone with none collected.
            STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    settings = {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }
    assert settings["workers"] == "3"
    assert settings["timeout"] == "41"
    assert settings["bind"] == "['127.0.0.1:9002']"
    assert settings["accesslog"] == "-"
    assert settings["worker_class"] == "sync"


def test_make_serve_stops_with_advice_when_migrations_are_unapplied(tmp_path):
    result = subprocess.run(
        # -o: the venv counts as installed, so no pip run comes first.
        ["make", "--no-print-directory", "-o", ".venv/.installed", "serve"],
        cwd=ROOT,
        env=clean_environment(
            DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
            BIND=f"127.0.0.1:{soak.free_port()}",
            SECRET_KEY="a-long-random-test-secret-key-with-enough-entropy-0123456789",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "migrations are unapplied (run '.venv/bin/python manage.py migrate'" in result.stderr
    assert "Traceback" not in result.stderr  # the check's own verdict, not a crash
    # It stopped at the check: make echoes the recipe lines it runs after it.
    assert "collectstatic" not in result.stdout
    assert "gunicorn" not in result.stdout


# The TCP proxy -------------------------------------------------------------------------------


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while data := self.request.recv(65536):
            self.request.sendall(data)


@pytest.fixture
def echo_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(echo_server):
    with TCPProxy(*echo_server) as running:
        yield running


def echo_through(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(payload)
        connection.shutdown(socket.SHUT_WR)  # the answer still comes after a half-close
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


def closed_by_peer(connection: socket.socket) -> bool:
    """True when the other end closed: end of file, or a reset; False when data comes."""
    try:
        return connection.recv(1) == b""
    except ConnectionResetError:
        return True


def test_proxy_forwards_bytes_both_ways(proxy):
    payload = random.Random(0).randbytes(300_000)
    assert echo_through(proxy.port, payload) == payload
    assert proxy.connections_accepted == 1
    assert proxy.bytes_forwarded == 2 * len(payload)


def test_cut_proxy_refuses_new_connections_drops_open_ones_and_recovers(proxy):
    port = proxy.port
    open_one = socket.create_connection(("127.0.0.1", port), timeout=5)
    open_one.sendall(b"ping")
    assert open_one.recv(4) == b"ping"

    proxy.cut()
    assert proxy.is_cut
    with open_one:
        assert closed_by_peer(open_one)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5)

    proxy.restore()
    assert proxy.port == port
    assert echo_through(port, b"back again") == b"back again"
    assert proxy.connections_accepted == 2  # the refused one never reached the proxy


def test_proxy_closes_the_client_when_nothing_listens_behind_it():
    with TCPProxy("127.0.0.1", soak.free_port()) as proxy:  # a port nobody listens on
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as connection:
            assert closed_by_peer(connection)
        assert proxy.connections_accepted == 0


# The soak script -----------------------------------------------------------------------------


def test_soak_help_names_its_options():
    result = subprocess.run(
        [sys.executable, "bench/soak.py", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for option in ("--seconds", "SOAK_SECONDS", "--threads", "--timeout", "--fault-seconds"):
        assert option in result.stdout


def test_soak_refuses_a_run_too_short_for_its_faults():
    result = subprocess.run(
        [sys.executable, "bench/soak.py", "--seconds", "10"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--seconds must be at least 30" in result.stderr


FAULTS = [soak.Fault("redis down", 10.0, 20.0), soak.Fault("database cut", 30.0, 40.0)]


@pytest.mark.parametrize(
    ("moment", "phase"),
    [
        (0.0, "normal"),
        (9.9, "normal"),
        (10.0, "redis down"),
        (25.0, "between faults"),
        (30.0, "database cut"),
        (40.0, "after"),
        (99.0, "after"),
    ],
)
def test_soak_phases_follow_the_faults(moment, phase):
    assert soak.phase_of(moment, FAULTS) == phase


def test_soak_recovery_times_count_from_the_end_of_the_fault():
    samples = [
        soak.Sample("list", 20.1, 20.3, 503),
        soak.Sample("list", 20.2, 21.0, None, "timeout"),
        soak.Sample("list", 20.5, 20.9, 200),  # the first success, 0.9 s after the end
        soak.Sample("list", 21.5, 21.6, 200),  # from here on all succeed: 1.0 s after the end
        soak.Sample("list", 29.9, 30.5, 503),  # broken by the next fault: not Redis' doing
    ]
    first, steady, failures = soak.recovery(samples, FAULTS[0], window_end=FAULTS[1].start)
    assert (first, steady, failures) == ("0.9 s", "1.0 s", 2)


def test_soak_report_counts_each_phase_and_the_recovery():
    args = argparse.Namespace(
        seconds=50.0,
        threads=2,
        rate=10.0,
        timeout=10.0,
        fault_seconds=10.0,
        health_interval=0.5,
        summits=200,
        items=10,
        max_requests=0,
    )
    run = soak.Run(args, faults=FAULTS, duration=50.0)
    run.memory = {
        "start (after warm-up)": soak.Memory(2, 200_000),
        "end": soak.Memory(2, 220_000),
    }
    samples = [
        soak.Sample("list", 1.0, 1.01, 200),
        soak.Sample("article", 12.0, 12.3, 200),  # served uncached while Redis is down
        soak.Sample("api list", 31.0, 31.01, 503),
        soak.Sample("list", 32.0, 42.0, None, "timeout"),
        soak.Sample("list", 40.5, 40.6, 200),
    ]
    health = [(31.0, 503, "database error: OperationalError, cache ok"), (41.0, 200, "ok")]
    traffic = types.SimpleNamespace(samples=samples, health=health)

    report = soak.make_report(run, traffic)

    assert "- responses by status: 200: 3, 503: 1" in report
    assert "- errors without a response: timeout: 1" in report
    assert "| normal | 0–10 | 1 | 0.1 | 0 | 10 ms | 10 ms | 200: 1 |" in report
    assert "| database cut | 30–40 | 2 | 0.2 | 2 | 10 ms | 10 ms | 503: 1, timeout: 1 |" in report
    # The timeout ended after the cut did: the first success after it is what counts.
    assert "| database cut | 10.0 s | 2 | 0.6 s | 0.0 s (no failure after it) | 0 | 1.0 s |" in (
        report
    )
    assert "- growth from start to end: +10.0 %" in report


def test_soak_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert soak.percentile(values, 0.5) == 50.0
    assert soak.percentile(values, 0.99) == 99.0
    assert soak.percentile([7.0], 0.99) == 7.0
