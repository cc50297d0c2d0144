"""Gunicorn configuration of the newsroom host project: `make serve`, or
`gunicorn --config newsroom/gunicorn.conf.py`.

Every value comes from the environment, like the Django settings; the defaults suit one
machine behind a buffering reverse proxy (docs/deploy/nginx.conf):

    BIND                        address to listen on, several separated by commas
                                (default 127.0.0.1:8000: only the proxy on this machine)
    WEB_CONCURRENCY             worker processes (default 2 x CPUs + 1, at most 12)
    GUNICORN_THREADS            threads per worker (default 1: sync workers; more than 1
                                switches gunicorn to its gthread worker)
    GUNICORN_TIMEOUT            seconds a worker may spend on one request before the master
                                kills and replaces it (default 30; 0 is refused: a worker must
                                never hang forever on a request)
    GUNICORN_GRACEFUL_TIMEOUT   seconds a worker gets to finish its request on a restart or
                                shutdown before it is killed (default 30)
    GUNICORN_KEEPALIVE          seconds to hold an idle keep-alive connection (default 5;
                                sync workers close every connection after the response, so
                                only gthread workers keep any)
    GUNICORN_MAX_REQUESTS       requests after which a worker is replaced by a fresh one, which
                                bounds the memory a slow leak can take (default 1000; 0: never)
    GUNICORN_MAX_REQUESTS_JITTER  a random 0..N added per worker, so that workers are not all
                                replaced at once (default a tenth of GUNICORN_MAX_REQUESTS)
    GUNICORN_PIDFILE            file to write the master's process id to (default: none).
                                Not GUNICORN_PID: gunicorn itself sets that one to the old
                                master's id when it re-executes itself (on USR2), and fails
                                to start when it holds anything but a number.
    GUNICORN_LOG_LEVEL          gunicorn's own log level (default info)
    GUNICORN_CONTROL_SOCKET     path of gunicorn's control socket for `gunicornc` (default:
                                none; gunicorn's own default, one shared path under $HOME,
                                would clash between two instances on a machine)

The access log goes to stdout, gunicorn's own log (worker starts, timeouts) to stderr.

Graceful restart, e.g. after a deployment: `kill -HUP $(cat "$GUNICORN_PIDFILE")`. The master
re-reads this file and the code, starts new workers and lets the old ones finish their
requests (up to GUNICORN_GRACEFUL_TIMEOUT) before they exit; the listening socket stays open,
so no request is refused meanwhile. `kill -TERM` stops gracefully, `kill -QUIT` at once.

Sync workers handle one request at a time. That is safe only behind a proxy that buffers
whole requests and responses (nginx does, see docs/deploy/nginx.conf): a slow client then
holds an nginx connection, never a worker.
"""

import os
from pathlib import Path

MAX_DEFAULT_WORKERS = 12


def _env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: give a whole number") from None
    if value < minimum:
        raise ValueError(f"{name}={raw!r}: give a number of at least {minimum}")
    return value


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may run on
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """2 x CPUs + 1, gunicorn's advice for sync workers, capped: each worker holds its own
    database connection and some 100 MB of memory."""
    return min(2 * _cpus() + 1, MAX_DEFAULT_WORKERS)


BASE_DIR = Path(__file__).resolve().parent.parent

wsgi_app = "newsroom.wsgi:application"
chdir = str(BASE_DIR)

bind = [
    address.strip()
    for address in os.environ.get("BIND", "127.0.0.1:8000").split(",")
    if address.strip()
]
workers = _env_int("WEB_CONCURRENCY", default_workers(), minimum=1)
threads = _env_int("GUNICORN_THREADS", 1, minimum=1)
worker_class = "sync" if threads == 1 else "gthread"
timeout = _env_int("GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5, minimum=0)
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 10)

_inherited_pid = os.environ.get("GUNICORN_PID", "")
if _inherited_pid and not _inherited_pid.isdigit():
    raise ValueError(
        f"GUNICORN_PID={_inherited_pid!r}: gunicorn keeps that variable for itself (the old "
        "master's process id on a re-exec); name the pidfile in GUNICORN_PIDFILE"
    )
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET")
if _control_socket:
    control_socket = _control_socket
else:
    control_socket_disable = True

# The heartbeat file the master watches to find a hung worker: on tmpfs where there is one,
# so that a slow disk cannot make a healthy worker look hung.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The combined format, then the client address the proxy forwarded and the time in ms.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" "%({x-forwarded-for}i)s" %(M)sms'
)
proc_name = "newsroom"
