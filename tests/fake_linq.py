"""A local stand-in for the Linq API that the page snippets run against in the suite.

It answers the first `failures` requests with a code's example envelope (its HTTP status, the
`Retry-After` header on a 429, an `X-Trace-ID`), then answers like a working API, and records
every request it saw. `fail_method` and `fail_path` narrow which requests get the envelope.

Lists (lines, chats, webhook subscriptions) are answered in a simple shape of this fake's own: the
facts the snippets are written from give no list layout, so the snippets look records up by their
fields (`id`, an E.164 number, `target_url`) wherever they sit in the answer, and the suite checks
that against this shape.
"""

import json
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Seen:
    method: str
    path: str
    body: dict | None
    headers: dict = field(default_factory=dict)
    raw: bytes = b""


@dataclass
class FakeLinq:
    envelope: dict
    failures: int = 1
    available: bool = False  # the capability checks' answer
    fail_method: str | None = None  # fail only requests with this method (None: any)
    fail_path: str | None = None  # fail only requests whose path starts with this (None: any)
    lines: list[dict] = field(
        default_factory=lambda: [
            {
                "id": "7c1c3f0e-0000-4000-8000-000000000001",
                "phone_number": "+12223334444",
                "status": "ACTIVE",
            }
        ]
    )
    chats: list[str] = field(default_factory=list)  # chat ids GET /v3/chats lists
    subscriptions: list[dict] = field(default_factory=list)  # GET /v3/webhook-subscriptions
    # A file host for media URLs (no token asked): path -> (HTTP status, Content-Type, bytes).
    media: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    failed: int = 0
    base_url: str = ""  # set by serve()

    def answer(self, method: str, path: str, body: dict | None) -> tuple[int, dict, dict]:
        if (
            self.failed < self.failures
            and self.fail_method in (None, method)
            and path.startswith(self.fail_path or "")
        ):
            self.failed += 1
            error = self.envelope["error"]
            headers = {"X-Trace-ID": self.envelope["trace_id"]}
            if "retry_after" in error:
                headers["Retry-After"] = str(error["retry_after"])
            return error["status"], headers, self.envelope
        trace = {"X-Trace-ID": f"{len(self.requests):032x}"}  # one per request, as Linq's
        if path.startswith("/v3/capability/"):
            return 200, trace, {"address": (body or {}).get("address"), "available": self.available}
        if path.startswith("/v3/contact_card") and method == "GET":
            return 200, trace, {"contact_cards": []}
        if path == "/v3/attachments" and method == "POST":
            return (
                200,
                trace,
                {
                    "attachment_id": "6f1c7a52-0000-4000-8000-00000000a77c",
                    "upload_url": f"{self.base_url}/upload/6f1c7a52",
                    "required_headers": {
                        "Content-Type": (body or {}).get("content_type", ""),
                        "x-amz-meta-check": "exactly-this",
                    },
                },
            )
        if path.startswith("/upload/"):
            return 200, {}, {}
        if path.startswith("/v3/phone_numbers"):
            return 200, trace, {"phone_numbers": self.lines}
        if path == "/v3/chats" and method == "GET":
            return 200, trace, {"chats": [{"id": chat} for chat in self.chats]}
        if path == "/v3/webhook-subscriptions" and method == "GET":
            return 200, trace, {"subscriptions": self.subscriptions}
        if path == "/v3/webhook-subscriptions" and method == "POST":
            created = {"id": "5b0e9c1d-0000-4000-8000-0000000000aa", **(body or {})}
            self.subscriptions.append(created)
            return 201, trace, {**created, "signing_secret": "whsec_c2VjcmV0"}
        return 200, trace, {"ok": True, "method": method, "path": path}


def serve(fake: FakeLinq, tls: tuple[str, str] | None = None) -> tuple[ThreadingHTTPServer, str]:
    """Start the fake on a free port, over HTTPS with `tls` = (certificate file, key file)."""

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = {"unparseable": raw.decode("utf-8", "replace")}
            headers: dict[str, str]
            fake.requests.append(
                Seen(self.command, self.path, body, dict(self.headers.items()), raw)
            )
            if self.path in fake.media:
                status, content_type, data = fake.media[self.path]
                self.send_response(status)
                if content_type:  # "" serves the file without a Content-Type
                    self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            if self.path.startswith("/upload/"):
                status, headers, payload = fake.answer(self.command, self.path, body)
            elif self.headers.get("Authorization") != "Bearer test-key":
                status, headers, payload = 401, {}, {"success": False}
            else:
                status, headers, payload = fake.answer(self.command, self.path, body)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    scheme = "http"
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    fake.base_url = f"{scheme}://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, fake.base_url
