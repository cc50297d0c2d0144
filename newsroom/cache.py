"""Redis as a cache, not a dependency: while it is down or hung, the site answers uncached.

Django's Redis backend raises on every call while Redis is unreachable, so every cached page
and API call failed with it. This backend answers such a call as an empty cache would (a miss,
nothing stored) and, for a few seconds, skips Redis altogether: a hung server costs one short
timeout per interval, not one per call. It logs once when Redis goes away (and once a minute
while it stays away), once when it is back, and tries again by itself.

What degrades: pages and API responses are rendered afresh; the partner API's rate limits
are not counted while Redis is away (keys are still checked, against the database); the admin's
login lockout is kept in the database (django-axes) and is not affected.
"""

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Seconds; every one settable per cache in OPTIONS, these are the defaults.
CONNECT_TIMEOUT = 0.25
SOCKET_TIMEOUT = 0.25
RETRY_AFTER = 5.0
STILL_DOWN_LOG_INTERVAL = 60.0


def _answer_when_down(default):
    """Runs the cache call, or gives `default(args)` while Redis is unreachable."""

    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if self._down_until > time.monotonic():
                return default(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                self._went_down(error)
                return default(*args, **kwargs)
            if self._down_since is not None:
                self._came_back()
            return result

        return call

    return decorate


def _miss(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _no_values(*args, **kwargs):
    return {}


def _not_stored(data, *args, **kwargs):
    return list(data)


def _not_counted(key, *args, **kwargs):
    # As for a key that is not there: callers of incr() handle a ValueError already.
    raise ValueError(f"Key '{key}' not found (the cache is unreachable).")


class _Reachability:
    """Whether one Redis answers, shared by every thread of the process: Django makes a cache
    object per thread (the health check's probes, threaded workers), and each would otherwise
    wait for its own timeout and log the outage again."""

    def __init__(self):
        self.down_until = 0.0
        self.down_since = None
        self.last_logged = 0.0
        self.lock = threading.Lock()


_reachability: dict[str, _Reachability] = {}
_reachability_lock = threading.Lock()


def _reachability_of(location) -> _Reachability:
    with _reachability_lock:
        return _reachability.setdefault(str(location), _Reachability())


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS", {}))}
        options = params["OPTIONS"]
        self.retry_after = float(options.pop("RETRY_AFTER", RETRY_AFTER))
        options.setdefault("socket_connect_timeout", CONNECT_TIMEOUT)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT)
        super().__init__(server, params)
        self._state = _reachability_of(server)

    @property
    def _down_until(self):
        return self._state.down_until

    @property
    def _down_since(self):
        return self._state.down_since

    def _went_down(self, error):
        state, now = self._state, time.monotonic()
        with state.lock:
            state.down_until = now + self.retry_after
            first = state.down_since is None
            if first:
                state.down_since = now
            if first or now - state.last_logged >= STILL_DOWN_LOG_INTERVAL:
                state.last_logged = now
                logger.warning(
                    "The cache (Redis) is unreachable%s: serving uncached, trying again every "
                    "%g s. %s: %s",
                    "" if first else f" for {now - state.down_since:.0f} s",
                    self.retry_after,
                    type(error).__name__,
                    error,
                )

    def _came_back(self):
        state = self._state
        with state.lock:
            if state.down_since is None:
                return
            logger.warning(
                "The cache (Redis) answers again after %.0f s.",
                time.monotonic() - state.down_since,
            )
            state.down_since = None

    @property
    def is_reachable(self) -> bool:
        """Whether the last call reached Redis (or none has failed yet)."""
        return self._down_since is None

    add = _answer_when_down(_false)(RedisCache.add)
    get = _answer_when_down(_miss)(RedisCache.get)
    set = _answer_when_down(_nothing)(RedisCache.set)
    touch = _answer_when_down(_false)(RedisCache.touch)
    delete = _answer_when_down(_false)(RedisCache.delete)
    get_many = _answer_when_down(_no_values)(RedisCache.get_many)
    has_key = _answer_when_down(_false)(RedisCache.has_key)
    incr = _answer_when_down(_not_counted)(RedisCache.incr)
    set_many = _answer_when_down(_not_stored)(RedisCache.set_many)
    delete_many = _answer_when_down(_nothing)(RedisCache.delete_many)
    clear = _answer_when_down(_false)(RedisCache.clear)
