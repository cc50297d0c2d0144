"""Cache keys of reader pages: they change with the content, so nothing stale is ever served.

A summit page's key holds the newest change of a live summit of its translation family (every
save, publication, re-anchoring or item change moves updated_at; a translation going live on
schedule brings its publish_at) and a generation number for content shared by many summits
(participants, topics), which moves when such content changes.
"""

import hashlib

from django.core.cache import cache
from django.db.models import Max
from django.db.models.functions import Greatest
from django.http import HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from . import conf

GENERATION_KEY = "summits:generation"


def content_generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def shared_content_changed() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # never set, or evicted: any new number renews the keys
        cache.set(GENERATION_KEY, content_generation() + 1, timeout=None)


def understood_query(request, names) -> QueryDict:
    """The request's parameters that the page understands, in one order: the page renders from
    these and is cached under them, so `?utm_source=…` or `?fbclid=…` never make a new entry."""
    query = QueryDict(mutable=True)
    for name in sorted(names):
        values = [value for value in request.GET.getlist(name) if value != ""]
        if values:
            query.setlist(name, values)
    return query


def page_etag(request, version: str, query: QueryDict | None = None) -> str:
    """An ETag for the page at this address in this version of its content and language.

    `query`: the parameters the page understands (understood_query()); None takes the whole
    query string, for the API, which refuses parameters it does not know.
    """
    address = request.get_full_path() if query is None else f"{request.path}?{query.urlencode()}"
    parts = "|".join(
        [
            version,
            str(content_generation()),
            get_language() or "",
            request.get_host(),
            address,
        ]
    )
    return f'"{hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()}"'


def published_version():
    """The version of the published set as a whole and when it last changed: two index lookups.

    Every change a reader can see moves one of the two. An edit or a publication moves the
    newest moment of change, the later of updated_at and publish_at (a scheduled summit going
    live brings a publish_at later than any before); a withdrawal (unpublished, archived,
    deleted) writes a tombstone. Counting the published set instead would scan it each time.
    """
    from .models import Summit, Withdrawal

    newest = (
        Summit.objects.published()
        .annotate(changed_at=Greatest("updated_at", "publish_at"))
        .order_by("-changed_at", "-id")
        .values_list("changed_at", flat=True)
        .first()
    )
    withdrawn = Withdrawal.objects.aggregate(latest=Max("withdrawn_at"))["latest"]
    moments = [moment for moment in (newest, withdrawn) if moment is not None]
    version = "-".join(str(moment.timestamp()) if moment else "0" for moment in (newest, withdrawn))
    return version, max(moments) if moments else None


def conditional_response(
    request, version, last_modified, render, *, kind, content_type=None, query=None
):
    """A 304 when the client has this version, else the body from the cache or `render()`.

    The body is cached under its ETag, which changes with the version: nothing stale is
    served and nothing needs purging. `kind` keeps pages and API bodies apart in the cache.
    """
    etag = page_etag(request, version, query)
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        key = f"summits:{kind}:{etag.strip(chr(34))}"
        body = cache.get(key)
        if body is None:
            body = render()
            cache.set(key, body, conf.get("CACHE_TIMEOUT"))
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    return response


def conditional_page(request, version, last_modified, render_html, *, query, language=None):
    """A reader page: a 304 when the client has this version, else from the cache or
    `render_html(query)`, from the parameters it understands; shared caches may keep it for a
    minute."""
    response = conditional_response(
        request, version, last_modified, lambda: render_html(query), kind="page", query=query
    )
    if language:
        response["Content-Language"] = language
    patch_cache_control(response, public=True, max_age=60)
    return response
