"""Responses that are a pure function of the content and the request, made once per content version.

`cached(view)` keeps what a view returned (status, the headers it set, the body) in this process's
memory, under a key of the content version, the variant the request asks for (page, htmx fragment)
and the request's scheme, host and full path. The next identical request gets a copy without
running the view. Everything the middleware adds on the way out (X-Trace-ID, the
Content-Security-Policy, ETag, Cache-Control) is still added to each response, so a cached
response and a freshly made one carry the same headers.

A response is kept only when nothing in it belongs to one request: no cookie set, no session
read, no CSRF token or CSP nonce drawn, no trace id in the body, a status of 200 or 404. The
cache is bounded in bytes (RESPONSE_CACHE_BYTES, 0 turns it off) and drops the least recently
used entries first. Each entry also keeps its Brotli and gzip encodings once made, for
`linqdocs.compression`.

RESPONSE_CACHE=shared keeps the entries in Django's cache instead (CACHES["default"]: Redis or
the database table, from CACHE_URL), so every worker and every host renders a page once per
content version between them. The key holds the content version, so an entry never goes stale;
an entry larger than RESPONSE_CACHE_BYTES is not kept, and the backend's own limits evict. A
shared cache that fails (Redis down) only costs the rendering: the view runs as if nothing was
kept.
"""

import gzip
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

import brotli
from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

CACHED_STATUSES = (200, 404)
# The view's own headers are kept; those the middleware adds per response are not.
PER_RESPONSE_HEADERS = frozenset({"x-trace-id", "set-cookie", "date"})
ENTRY_OVERHEAD = 500  # bytes for the key, the headers and the bookkeeping of one entry
SHARED_TIMEOUT = 7 * 24 * 3600  # seconds; keys name the content version, so only space expires

log = logging.getLogger(__name__)


@dataclass(eq=False)
class Stored:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    encodings: dict[str, bytes] = field(default_factory=dict)
    kept: bool = False  # in the cache, so its encodings count against the budget
    key: tuple | None = field(default=None, compare=False)  # where the cache keeps it

    @property
    def size(self) -> int:
        return len(self.body) + sum(map(len, self.encodings.values())) + ENTRY_OVERHEAD

    def encoded(self, coding: str) -> bytes:
        """The body in a content coding ("br" or "gzip"), made on first use and kept."""
        body = self.encodings.get(coding)
        if body is None:
            body = self.encodings[coding] = encode(self.body, coding)
            if self.kept:
                store().grew(self, len(body))
        return body

    def response(self) -> HttpResponse:
        response = HttpResponse(self.body, status=self.status)
        for name, value in self.headers:
            response[name] = value
        response.stored = self  # type: ignore[attr-defined]
        return response


def encode(body: bytes, coding: str) -> bytes:
    if coding == "br":
        return brotli.compress(body, quality=11 if len(body) < 512 * 1024 else 5)
    if coding == "gzip":
        return gzip.compress(body, compresslevel=9, mtime=0)
    raise ValueError(f"unknown content coding {coding!r}")


class ResponseCache:
    def __init__(self) -> None:
        self._entries: OrderedDict[tuple, Stored] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def budget(self) -> int:
        return settings.RESPONSE_CACHE_BYTES

    def get(self, key: tuple) -> Stored | None:
        with self._lock:
            stored = self._entries.get(key)
            if stored is not None:
                self._entries.move_to_end(key)
            return stored

    def put(self, key: tuple, stored: Stored) -> None:
        if stored.size > self.budget:  # a budget of 0 keeps nothing
            return
        stored.key = key
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= previous.size
            self._entries[key] = stored
            stored.kept = True
            self._bytes += stored.size
            self._evict()

    def grew(self, stored: Stored, by: int) -> None:
        with self._lock:
            self._bytes += by
            self._evict()

    def _evict(self) -> None:
        while self._bytes > self.budget and self._entries:
            _, dropped = self._entries.popitem(last=False)
            dropped.kept = False
            self._bytes -= dropped.size

    def clear(self) -> None:
        with self._lock:
            for stored in self._entries.values():
                stored.kept = False
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


class SharedResponseCache:
    """The same entries in Django's cache, for every worker and host that uses it."""

    def __init__(self) -> None:
        self._written: set[str] = set()

    @property
    def budget(self) -> int:
        return settings.RESPONSE_CACHE_BYTES

    @staticmethod
    def name(key: tuple) -> str:
        return "response:" + hashlib.sha256(repr(key).encode()).hexdigest()

    def get(self, key: tuple) -> Stored | None:
        try:
            stored = caches["default"].get(self.name(key))
        except Exception as error:  # the cache is down: render instead
            log.warning("shared response cache unavailable: %s", error)
            return None
        return stored if isinstance(stored, Stored) and stored.key == key else None

    def put(self, key: tuple, stored: Stored) -> None:
        if stored.size > self.budget:
            return
        stored.key, stored.kept = key, True
        self._write(stored)

    def grew(self, stored: Stored, by: int) -> None:
        self._write(stored)  # with its new encoding, so no other worker compresses it again

    def _write(self, stored: Stored) -> None:
        assert stored.key is not None
        name = self.name(stored.key)
        try:
            caches["default"].set(name, stored, SHARED_TIMEOUT)
        except Exception as error:
            log.warning("shared response cache unavailable: %s", error)
            return
        self._written.add(name)

    def clear(self) -> None:
        """Forget what this process wrote (other processes' entries stay: they are valid)."""
        caches["default"].delete_many(list(self._written))
        self._written.clear()

    def __len__(self) -> int:
        return len(self._written)


responses = ResponseCache()  # in this process's memory: the default
shared = SharedResponseCache()


def store() -> ResponseCache | SharedResponseCache:
    """Where rendered responses are kept, by settings.RESPONSE_CACHE ("memory" or "shared")."""
    return shared if settings.RESPONSE_CACHE == "shared" else responses


def _belongs_to_the_request(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether anything in the response was made for this request alone."""
    session = getattr(request, "session", None)
    nonce = getattr(request, "_csp_nonce", None)
    trace_id = getattr(request, "trace_id", None)
    return bool(
        response.cookies
        or (session is not None and session.accessed)
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (nonce is not None and nonce._wrapped is not empty)
        or (trace_id and trace_id.encode() in response.content)
    )


def _keep(request: HttpRequest, response: HttpResponse) -> Stored | None:
    if (
        response.status_code not in CACHED_STATUSES
        or response.streaming
        or _belongs_to_the_request(request, response)
    ):
        return None
    headers = tuple(
        (name, value)
        for name, value in response.items()
        if name.lower() not in PER_RESPONSE_HEADERS
    )
    return Stored(response.status_code, headers, response.content)


def cached[R: HttpRequest](variant: Callable[[R], str]) -> Callable:
    """Decorate a view whose response depends only on the request's URL and on
    `variant(request)`, which names the content version and anything else the response depends
    on (e.g. "<version>|fragment" for an htmx request)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: R, *args: object, **kwargs: object) -> HttpResponse:
            key = (
                variant(request),
                request.scheme,
                request.get_host(),
                request.get_full_path(),
            )
            kept = store()
            stored = kept.get(key) if kept.budget else None
            if stored is not None:
                return stored.response()
            response = view(request, *args, **kwargs)
            stored = _keep(request, response)
            if stored is not None:
                # Kept when the cache is on; compressible either way (linqdocs.compression).
                kept.put(key, stored)
                response.stored = stored  # type: ignore[attr-defined]
            return response

        return wrapper

    return decorate
