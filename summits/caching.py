"""What the cached reader pages and API answers depend on, held in the cache itself.

A page's body is cached under its ETag, built from versions of what it shows: the newest
change of a live summit of its translation family for an article page, the newest change of the
published set as a whole for the list, the tracker and the API's pages (edits, publications,
withdrawals). A change of content shared by many summits (a participant's or a topic's name)
moves the version of every summit showing it (partners.mark_summits_showing), so it moves
these versions too. The database defines those versions; the cache holds them (`versions()`),
so a cached page, a cached API body and a 304 cost no SQL.

The cache vouches for a version until one of three things: a write (every write path calls
`content_changed()`, which moves the write counter every held version names), the next
scheduled publish_at (a summit going live on the minute changes the published set with no
write), or VERSION_TIMEOUT seconds, which bounds a change made around the write path.
"""

import hashlib
import time
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Min, Subquery
from django.db.models.functions import Greatest
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from . import conf

WRITES_KEY = "summits:writes"
PUBLISHED_KEY = "summits:version:published"


def counter(key: str, value: int | None = None) -> int:
    """The number at `key` (`value`: what a get_many of it read), started when absent.

    Entries name the number they were stored under and hold only while it stays. A number
    that starts anew must not meet one an entry still names: it starts from the clock, which
    moves on much faster than any count of changes.
    """
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key) or time.time_ns()  # the cache away: a number nothing names
    return value


def move(key: str) -> None:
    """Moves the number at `key` on, now and again when the transaction commits.

    Twice, because a request between the two may read the database as it was before the
    commit: what it stores then names the first move, not the second.
    """
    _advance(key)
    transaction.on_commit(lambda: _advance(key), robust=True)


def _advance(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # never set, evicted, or the cache is away
        counter(key)


def content_changed() -> None:
    """Call in every write that readers or partners could see: the versions the cache holds
    stop counting."""
    move(WRITES_KEY)


@dataclass(frozen=True)
class Held:
    """A version the cache vouches for while the write counter is `writes`, until `expires`."""

    writes: int
    expires: float

    def holds(self, writes, now) -> bool:
        return self.writes == writes and now < self.expires


@dataclass(frozen=True)
class PublishedVersion(Held):
    """The published set's version and when it last changed."""

    token: str
    last_modified: float | None


@dataclass(frozen=True)
class SummitVersion(Held):
    """A live summit's keys: when it and its translation family last changed for readers."""

    pk: int
    language: str
    family_changed_at: float


@dataclass(frozen=True)
class Versions:
    published: PublishedVersion | None = None
    summit: SummitVersion | None = None


def summit_version_key(slug: str) -> str:
    return f"summits:version:summit:{slug}"


def versions(slug: str | None = None) -> Versions:
    """The versions a request depends on, from the cache: one round trip when it holds them,
    the database's answer (and a new entry) where it does not.

    Without `slug`, the published set's (`published`); with it, that summit's (`summit`, None
    when no live summit has the slug).
    """
    keys = [WRITES_KEY, PUBLISHED_KEY if slug is None else summit_version_key(slug)]
    held = cache.get_many(keys)
    # Read before the database is: a write committed after this moves the counter past it.
    writes = counter(WRITES_KEY, held.get(WRITES_KEY))
    # The clock that decides visibility (querysets.is_published) decides expiry too.
    now = timezone.now().timestamp()
    if slug is None:
        published = _held(PublishedVersion, held.get(PUBLISHED_KEY), writes, now)
        if published is None:
            published = _published_version(writes, now)
            cache.set(PUBLISHED_KEY, asdict(published), conf.get("VERSION_TIMEOUT"))
        return Versions(published=published)
    summit = _held(SummitVersion, held.get(summit_version_key(slug)), writes, now)
    if summit is None:
        summit = _summit_version(slug, writes, now)
        if summit is not None:
            cache.set(summit_version_key(slug), asdict(summit), conf.get("VERSION_TIMEOUT"))
    return Versions(summit=summit)


def _held(kind, entry, writes, now):
    """The version `entry` holds, if the cache still vouches for it. Kept as a plain dict, so
    that an entry of an older release reads as missing, not as an error."""
    try:
        version = kind(**entry)
    except TypeError:
        return None
    return version if version.holds(writes, now) else None


def _expiry(now, next_live) -> float:
    expires = now + conf.get("VERSION_TIMEOUT")
    return expires if next_live is None else min(expires, next_live.timestamp())


def _next_live():
    """When the next scheduled summit goes live, as a subquery: the published set changes then
    with no write. One lookup on summit_visibility_idx."""
    from .models import Summit

    return Subquery(Summit.objects.scheduled().order_by("publish_at").values("publish_at")[:1])


def _published_version(writes, now) -> PublishedVersion:
    token, last_modified, next_live = published_version()
    return PublishedVersion(
        writes=writes,
        expires=_expiry(now, next_live),
        token=token,
        last_modified=last_modified.timestamp() if last_modified else None,
    )


def _summit_version(slug, writes, now) -> SummitVersion | None:
    from .models import Summit

    row = (
        Summit.objects.published()
        .filter(slug=slug)
        .with_family_changed_at()
        .annotate(next_live=_next_live())
        .values("pk", "language", "family_changed_at", "next_live")
        .first()
    )
    if row is None:
        return None
    return SummitVersion(
        writes=writes,
        expires=_expiry(now, row["next_live"]),
        pk=row["pk"],
        language=row["language"],
        family_changed_at=row["family_changed_at"].timestamp(),
    )


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
            get_language() or "",
            request.get_host(),
            address,
        ]
    )
    return f'"{hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()}"'


def published_version():
    """The version of the published set as a whole, when it last changed, and when it next
    changes with no write (a scheduled summit going live): two index lookups.

    Every change a reader can see moves the version. An edit or a publication moves the
    newest moment of change, the later of updated_at and publish_at (a scheduled summit going
    live brings a publish_at later than any before); a loader's new summits, dated to their
    story, move the newest id; a withdrawal (unpublished, archived, deleted) writes a
    tombstone. Counting the published set instead would scan it each time.
    """
    from .models import Summit, Withdrawal

    newest_id = Subquery(Summit.objects.published().order_by("-pk").values("pk")[:1])
    newest = (
        Summit.objects.published()
        .annotate(
            changed_at=Greatest("updated_at", "publish_at"),
            newest_id=newest_id,
            next_live=_next_live(),
        )
        .order_by("-changed_at", "-id")
        .values_list("changed_at", "newest_id", "next_live")
        .first()
    )
    if newest is None:  # nothing live yet
        newest = (None, 0, Summit.objects.scheduled().aggregate(next=Min("publish_at"))["next"])
    changed_at, newest_id, next_live = newest
    withdrawn = Withdrawal.objects.aggregate(latest=Max("withdrawn_at"))["latest"]
    moments = [moment for moment in (changed_at, withdrawn) if moment is not None]
    version = "-".join(
        [str(moment.timestamp()) if moment else "0" for moment in (changed_at, withdrawn)]
        + [str(newest_id)]
    )
    return version, max(moments) if moments else None, next_live


def conditional_response(
    request, version, last_modified, render, *, kind, content_type=None, query=None
):
    """A 304 when the client has this version, else the body from the cache or `render()`.

    The body is cached under its ETag, which changes with the version: nothing stale is served
    and nothing needs purging. `last_modified`: a POSIX timestamp or None. `kind` keeps pages and API bodies apart in the cache.
    """
    etag = page_etag(request, version, query)
    timestamp = int(last_modified) if last_modified is not None else None
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
        request,
        version,
        last_modified,
        lambda: render_html(query),
        kind="page",
        query=query,
    )
    if language:
        response["Content-Language"] = language
    patch_cache_control(response, public=True, max_age=60)
    return response


def published_set_page(request, render_html, *, query):
    """A page of the published set as a whole (the list, the tracker): conditional_page() in
    the published set's version."""
    held = versions()
    return conditional_page(
        request,
        held.published.token,
        held.published.last_modified,
        render_html,
        query=query,
    )
