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
"""

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

import brotli
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

CACHED_STATUSES = (200, 404)
# The view's own headers are kept; those the middleware adds per response are not.
PER_RESPONSE_HEADERS = frozenset({"x-trace-id", "set-cookie", "date"})
ENTRY_OVERHEAD = 500  # bytes for the key, the headers and the bookkeeping of one entry


@dataclass(eq=False)
class Stored:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    encodings: dict[str, bytes] = field(default_factory=dict)
    kept: bool = False  # in the cache, so its encodings count against the budget

    @property
    def size(self) -> int:
        return len(self.body) + sum(map(len, self.encodings.values())) + ENTRY_OVERHEAD

    def encoded(self, coding: str) -> bytes:
        """The body in a content coding ("br" or "gzip"), made on first use and kept."""
        body = self.encodings.get(coding)
        if body is None:
            body = self.encodings[coding] = encode(self.body, coding)
            if self.kept:
                responses.grew(len(body))
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
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= previous.size
            self._entries[key] = stored
            stored.kept = True
            self._bytes += stored.size
            self._evict()

    def grew(self, by: int) -> None:
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


responses = ResponseCache()


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
            stored = responses.get(key) if responses.budget else None
            if stored is not None:
                return stored.response()
            response = view(request, *args, **kwargs)
            stored = _keep(request, response)
            if stored is not None:
                # Kept when the cache is on; compressible either way (linqdocs.compression).
                responses.put(key, stored)
                response.stored = stored  # type: ignore[attr-defined]
            return response

        return wrapper

    return decorate
