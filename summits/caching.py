"""Cache keys of reader pages: they change with the content, so nothing stale is ever served.

A summit page's key holds the summit's updated_at (every save, publication, re-anchoring or
item change moves it) and a generation number for content shared by many summits
(participants, topics), which moves when such content changes.
"""

from django.core.cache import cache

GENERATION_KEY = "summits:generation"


def content_generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def shared_content_changed() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # never set, or evicted: any new number renews the keys
        cache.set(GENERATION_KEY, content_generation() + 1, timeout=None)


def summit_etag(summit) -> str:
    return f'"{summit.pk}-{summit.updated_at.timestamp():.6f}-{content_generation()}"'
