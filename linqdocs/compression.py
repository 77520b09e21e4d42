"""Brotli and gzip for the public reference, and for nothing that could leak a secret.

Only responses of the response cache are compressed (`linqdocs.responsecache`): pages, fragments,
JSON, Markdown and text that are a pure function of the repository's content and the URL. They
hold no CSRF token, no session data and nothing a visitor typed beyond the URL they asked for, so
compression cannot be used against them to guess a secret (BREACH). Everything else (the support
form, diagnosis results, the admin) is sent as is. Each encoding is made once per cached response,
so a compressed answer costs no more than a plain one.

The ETag of a compressed body is made weak (W/"…"), as the bytes differ from the plain ones while
meaning the same; conditional requests compare ETags weakly, so either form gets its 304.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

# Preferred first. Brotli is smaller; gzip is what every client has.
CODINGS = ("br", "gzip")
MIN_SIZE = 256  # below this the headers cost more than the saving


def accepted_coding(accept_encoding: str) -> str | None:
    """The best coding of CODINGS the Accept-Encoding header allows (q=0 refuses one)."""
    allowed = {}
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        allowed[name.strip().lower()] = quality
    for coding in CODINGS:
        quality = allowed[coding] if coding in allowed else allowed.get("*", 0.0)
        if quality > 0:
            return coding
    return None


class CompressionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        stored = getattr(response, "stored", None)
        if stored is None or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ["Accept-Encoding"])
        coding = accepted_coding(request.headers.get("Accept-Encoding", ""))
        if coding is None or len(stored.body) < MIN_SIZE:
            return response
        body = stored.encoded(coding)
        response.content = body
        response["Content-Encoding"] = coding
        response["Content-Length"] = str(len(body))
        etag = response.get("ETag")
        if etag and not etag.startswith("W/"):
            response["ETag"] = "W/" + etag
        return response
