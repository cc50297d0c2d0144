"""Settings of the HTTP benchmark (bench/http_bench.py): the product's settings, changed only
where the bench needs it.

- ROOT_URLCONF is bench.urls: the product's URLs plus the ceiling view (bench/ceiling/);
- the first middleware counts the SQL queries of each request (X-Bench-Queries, see
  bench/middleware.py), so every response, the ceiling's too, goes through the same stack;
- BENCH_CACHE=dummy (read here only) replaces the cache with Django's DummyCache: nothing is
  ever cached, which is how the bench measures the uncached figures on a server of their own.

Everything else, DEBUG included, comes from the environment as newsroom/settings.py reads it.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from newsroom import settings as product

globals().update({name: getattr(product, name) for name in dir(product) if name.isupper()})

if product.DEBUG:
    # STORAGES and the rest follow DEBUG at import: switching it off here would mix the two.
    raise ImproperlyConfigured("The bench settings measure production: run them with DEBUG=False.")

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.count_queries", *product.MIDDLEWARE]

_cache = os.environ.get("BENCH_CACHE", "").strip().lower()
if _cache == "dummy":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif _cache:
    raise ImproperlyConfigured(f"BENCH_CACHE={_cache!r}: give dummy, or leave it unset.")
