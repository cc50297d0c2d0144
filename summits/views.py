"""Reader pages and operational endpoints of the summits plugin."""

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """200 when the database and the cache answer, 503 naming the one that does not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any driver error means "down" to the load balancer
        checks["database"] = f"error: {error.__class__.__name__}"
    try:
        cache.set("summits:healthz", "ok", 5)
        checks["cache"] = "ok" if cache.get("summits:healthz") == "ok" else "error: no read-back"
    except Exception as error:
        checks["cache"] = f"error: {error.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
