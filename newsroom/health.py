"""The host's health check and its answer when the database is away.

`/healthz` answers within a second whatever hangs: each dependency is probed in a thread of its
own with a time budget. It answers 503 only when the database is unusable; a cache that does
not answer is reported ("degraded") but the site serves uncached, so the balancer keeps it.
"""

import sys
import threading
import time

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connections
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache

from newsroom.cache import CONNECT_TIMEOUT, SOCKET_TIMEOUT

DATABASE_BUDGET = 0.6  # seconds
# Room for the cache's own limits: a Redis that connects and answers within them is "ok", one
# that does not is reported by the probe itself ("unreachable"), not cut short as "timeout". At
# 0.3 s, a worker's pause of a few hundred milliseconds (a full garbage collection in a large
# process) made a working cache read as timed out. The probes run side by side: the answer
# still comes within DATABASE_BUDGET.
CACHE_BUDGET = CONNECT_TIMEOUT + SOCKET_TIMEOUT + 0.1
RETRY_AFTER = 30  # seconds, in a 503's Retry-After

PROBE_KEY = "newsroom:healthz"


def _probe_database():
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # the probe's thread ends here; so does its connection
    return "ok"


def _probe_cache():
    cache.set(PROBE_KEY, "ok", 10)
    if cache.get(PROBE_KEY) == "ok":
        return "ok"
    if getattr(cache, "is_reachable", True) is False:
        return "unreachable: serving uncached"
    return "error: no read-back"


def _within(budget, probe):
    """Starts the probe in a thread of its own: (its outcome, the thread, the deadline)."""
    outcome = {}

    def run():
        try:
            outcome["answer"] = probe()
        except Exception as error:  # any driver error means "down" to the balancer
            outcome["answer"] = f"error: {type(error).__name__}"

    thread = threading.Thread(target=run, daemon=True, name="healthz-probe")
    thread.start()
    return outcome, thread, time.monotonic() + budget


@never_cache
def healthz(request):
    probes = {
        "database": _within(DATABASE_BUDGET, _probe_database),
        "cache": _within(CACHE_BUDGET, _probe_cache),
    }
    checks = {}
    for name, (outcome, thread, deadline) in probes.items():
        # Probes run side by side: the answer takes as long as the slowest budget, no longer.
        thread.join(max(0.0, deadline - time.monotonic()))
        checks[name] = outcome.get("answer", "timeout")
    database_ok = checks["database"] == "ok"
    if not database_ok:
        status = "error"
    elif all(answer == "ok" for answer in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse({"status": status, **checks}, status=200 if database_ok else 503)


def is_database_outage(error) -> bool:
    """Whether the error says the database cannot be reached or does not answer in time
    (connection refused or lost, a connect or statement timeout), not a bug of a query."""
    return isinstance(error, (OperationalError, InterfaceError))


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def server_error(request, template_name="500.html"):
    """Django's 500 page, except while the database is away: then a 503 that says so, in the
    site's style for readers and as JSON for partners, with a time to try again."""
    error = sys.exc_info()[1]
    if not is_database_outage(error):
        return defaults.server_error(request, template_name)
    if wants_json(request):
        response = JsonResponse(
            {"detail": "The service is briefly unavailable. Try again in a moment."}, status=503
        )
    else:
        response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
