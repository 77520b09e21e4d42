"""The site's HTTP policy in one place: which methods each view takes, and how long and where each
class of response may be kept.

response class                               Cache-Control                         ETag
catalogue pages, their htmx fragments, JSON  `max-age=0, must-revalidate`          yes; 304 on a
  and the files for tools (`revalidated`)    (kept, but checked on every use)      match
pages that set a cookie or show a paste or   `private, no-store`                   none
  a ticket (`private`; also forced on any
  response that sets a cookie)
/healthz (linqdocs.health)                   `no-store`                            none
anything else: error pages, 405s, redirects  `no-store`                            none
fingerprinted static files                   ten years, `immutable` (WhiteNoise)   WhiteNoise's

The decorators set Cache-Control and Vary on whatever the view returns, including the 304 that
`condition` answers before the view runs, so a 304 carries the same Cache-Control, Vary and ETag as
its 200 (RFC 9110 §15.4.5). Anything layered on top (a rendered-response cache, compression) must
keep these headers as they are and add to Vary only.

`allow` records the methods a view takes; `HttpPolicyMiddleware` answers any other method with
405 and `Allow` before the CSRF check (a PUT to a read-only page is the wrong method, not a forged
request), and HEAD is taken wherever GET is (RFC 9110 §9.3.2).
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.cache import patch_vary_headers, set_response_etag
from django.views.decorators.http import condition

# Any cache may keep it, but must ask with the ETag before each use. No `public`: nothing here
# needs authorisation, so it would only be noise (REDbot says as much).
REVALIDATE = "max-age=0, must-revalidate"
PRIVATE = "private, no-store"
NO_STORE = "no-store"

View = Callable[..., HttpResponse]
V = TypeVar("V", bound=View)  # a decorated view keeps its own signature for type checkers
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


# --- Methods ------------------------------------------------------------------------------------


def allowed_methods(methods: Iterable[str]) -> tuple[str, ...]:
    """The methods as sent in `Allow`: upper case, HEAD beside GET, OPTIONS never implied."""
    wanted = [method.upper() for method in methods]
    if "GET" in wanted and "HEAD" not in wanted:
        wanted.insert(wanted.index("GET") + 1, "HEAD")
    return tuple(wanted)


def method_not_allowed(request: HttpRequest, allowed: Iterable[str]) -> HttpResponse:
    """405 with `Allow`; under /api/ ApiErrorMiddleware turns it into the envelope."""
    allowed = tuple(allowed)
    response = HttpResponseNotAllowed(
        allowed,
        f"This address does not accept {request.method}; it accepts {', '.join(allowed)}.\n",
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = NO_STORE
    return response


def allow(*methods: str) -> Callable[[V], V]:
    """Take only `methods` (HEAD comes with GET); any other gets 405 and `Allow`.

    The middleware answers before the CSRF check runs; the wrapper answers when the view is called
    some other way (a test, another view).
    """
    allowed = allowed_methods(methods)

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in allowed:
                return method_not_allowed(request, allowed)
            return view(request, *args, **kwargs)

        wrapper.allowed_methods = allowed  # type: ignore[attr-defined]
        return cast(V, wrapper)

    return decorator


# --- Caching ------------------------------------------------------------------------------------


def cache_policy(cache_control: str, vary: Iterable[str] = ()) -> Callable[[V], V]:
    """Send `cache_control` (replacing anything the view set) and `vary` on every response."""
    vary = tuple(vary)

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            response["Cache-Control"] = cache_control
            if vary:
                patch_vary_headers(response, vary)
            return response

        wrapper.cache_control = cache_control  # type: ignore[attr-defined]
        return cast(V, wrapper)

    return decorator


def revalidated(
    etag_func: Callable[..., str | None] | None = None,
    last_modified_func: Callable[..., Any] | None = None,
    vary: Iterable[str] = (),
) -> Callable[[V], V]:
    """GET and HEAD only; public, but checked with the ETag on every use; a conditional request is
    answered 304 before the view runs. Without an `etag_func` the ETag is the body's digest."""

    def decorator(view: V) -> V:
        conditional = (
            condition(etag_func=etag_func, last_modified_func=last_modified_func)(view)
            if etag_func or last_modified_func
            else view
        )
        return allow("GET")(cache_policy(REVALIDATE, vary)(conditional))

    return decorator


def private[F: View](view: F) -> F:
    """For a page that sets a cookie (a form's CSRF token) or shows what someone pasted or sent:
    no shared cache may keep it, and no browser cache either."""
    return cache_policy(PRIVATE)(view)


# --- Request bodies -----------------------------------------------------------------------------


def too_large_answer(handler: Callable[..., HttpResponse]) -> Callable[[V], V]:
    """Name the view's own answer to a form post bigger than Django will read
    (DATA_UPLOAD_MAX_MEMORY_SIZE): the page with its "too large" message, status 413."""

    def decorator(view: V) -> V:
        view.too_large_answer = handler  # type: ignore[attr-defined]
        return view

    return decorator


def declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def is_oversized_form_post(request: HttpRequest) -> bool:
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if request.method in {"GET", "HEAD", "OPTIONS"} or content_type not in FORM_TYPES:
        return False
    length = declared_length(request)
    return length is None or length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def read_body(request: HttpRequest, limit: int) -> bytes | None:
    """Up to `limit` bytes of the request body, a chunked one included.

    Django reads a body by its Content-Length, so a chunked body (no Content-Length) reads as
    empty. gunicorn de-chunks it and says so (`wsgi.input_terminated`): read the stream itself
    then. None when a chunked body came through a server that cannot frame it: answer 411.
    """
    chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    if chunked and not request.META.get("CONTENT_LENGTH"):
        # A WSGI request's META is its environ: the server's own input stream is there.
        if not request.META.get("wsgi.input_terminated") or "wsgi.input" not in request.META:
            return None
        body: bytes = request.META["wsgi.input"].read(limit)
        return body
    return request.read(limit)


def generic_too_large(request: HttpRequest) -> HttpResponse:
    limit_kib = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    response = HttpResponse(
        f"That request was larger than this address accepts ({limit_kib} KiB).\n",
        status=413,
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = NO_STORE
    return response


# --- Middleware ---------------------------------------------------------------------------------


class HttpPolicyMiddleware:
    """Sits just above CsrfViewMiddleware (and below ConditionalGetMiddleware).

    Before the view: a method the view does not take gets 405 + `Allow`, and a form post too big to
    read gets the view's own 413 page, both before CSRF reads the body. After it: a response no
    decorator classed gets `no-store`; one that sets a cookie is never public; a revalidated
    response without an ETag gets the digest of its body, on HEAD as on GET.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        cache_control = response.get("Cache-Control", "")
        if not cache_control:
            response["Cache-Control"] = NO_STORE
        elif response.cookies and "no-store" not in cache_control:
            response["Cache-Control"] = PRIVATE
            del response["ETag"]
        elif (
            cache_control == REVALIDATE
            and request.method in {"GET", "HEAD"}
            and not response.has_header("ETag")
            and not response.streaming
            and response.status_code == 200
        ):
            set_response_etag(response)
        return response

    def process_view(
        self, request: HttpRequest, view: View, args: tuple, kwargs: dict
    ) -> HttpResponse | None:
        allowed = getattr(view, "allowed_methods", None)
        if allowed is not None and request.method not in allowed:
            return method_not_allowed(request, allowed)
        if is_oversized_form_post(request):
            handler = getattr(view, "too_large_answer", generic_too_large)
            response = handler(request)
            response["Cache-Control"] = PRIVATE
            return response
        return None
