"""Rules for the endpoints that do not send a message: attachments, webhooks, contact cards."""

import re
from urllib.parse import parse_qs, urlsplit

from diagnose.engine.request.model import Problem, RequestView, rule, shown
from diagnose.engine.request.parts import not_public_https

MAX_PRE_UPLOAD = 100 * 1024 * 1024
# What the pre-upload endpoint refuses outright (its page names them), by MIME type or extension.
REJECTED_TYPES = {
    "image/webp": "WebP",
    "image/svg+xml": "SVG",
    "audio/flac": "FLAC",
    "audio/x-flac": "FLAC",
    "audio/ogg": "OGG",
    "video/ogg": "OGG",
    "application/ogg": "OGG",
    "application/x-msdownload": "an executable",
    "application/x-executable": "an executable",
    "application/vnd.microsoft.portable-executable": "an executable",
    "application/x-sh": "an executable",
}
_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _body(view: RequestView, endpoint_id: str) -> dict | None:
    body = view.body
    if view.endpoint is None or view.endpoint.id != endpoint_id or not isinstance(body, dict):
        return None
    return body


@rule("request_attachment_type", sources=("attachments",), codes=(5004,))
def attachment_type(view: RequestView) -> list[Problem]:
    """Pre-uploads name a supported `content_type`; WebP, SVG, FLAC, OGG and executables are
    refused."""
    body = _body(view, "attachments.create")
    value = body.get("content_type") if body else None
    if not isinstance(value, str):
        return []
    kind = REJECTED_TYPES.get(value.strip().lower())
    if kind is None:
        return []
    return [
        Problem(
            "request_attachment_type",
            "content_type",
            f"`{shown(value)}` ({kind}) is a type Linq refuses for attachments.",
            "Convert the file first: JPEG or PNG for images, MP4 for video, M4A or MP3 for "
            "audio, PDF for documents.",
            value=shown(value),
            code=5004,
        )
    ]


@rule("request_attachment_size", sources=("attachments", "table"), codes=(5005,))
def attachment_size(view: RequestView) -> list[Problem]:
    """`size_bytes` is the exact byte count, at most 100 MB."""
    body = _body(view, "attachments.create")
    if body is None or "size_bytes" not in body:
        return []
    size = body["size_bytes"]
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        return [
            Problem(
                "request_attachment_size",
                "size_bytes",
                f"`size_bytes` must be the file's size as a positive whole number of bytes, not "
                f"`{shown(size)}`.",
                "Send the exact byte count of the file you will upload (e.g. `os.path.getsize`).",
                value=shown(size),
            )
        ]
    if size > MAX_PRE_UPLOAD:
        return [
            Problem(
                "request_attachment_size",
                "size_bytes",
                f"The file is {size / 1024 / 1024:,.1f} MB; pre-uploads take at most 100 MB.",
                "Compress or shorten the file, or send a link to it instead of the file.",
                value=f"{size:,}",
                code=5005,
            )
        ]
    return []


@rule("request_upload_put", sources=("attachments",))
def upload_put(view: RequestView) -> list[Problem]:
    """The upload is a PUT of the raw bytes with every header of `required_headers`."""
    request = view.request
    url = (request.url or "").lower()
    if request.method != "PUT" or not ("x-amz-signature" in url or "amazonaws.com" in url):
        return []
    problems = []
    if request.body.form:
        problems.append(
            Problem(
                "request_upload_put",
                "body",
                "The file is sent as a multipart form (`-F`); the upload URL takes the raw bytes.",
                "Send the file itself: `curl -X PUT --data-binary @photo.jpg …`.",
            )
        )
    elif request.body.value is not None and isinstance(request.body.value, dict | list):
        problems.append(
            Problem(
                "request_upload_put",
                "body",
                "The upload sends JSON; the upload URL takes the file's raw bytes.",
                "Send the file itself: `curl -X PUT --data-binary @photo.jpg …`.",
            )
        )
    sent_type = request.header("Content-Type")
    if request.headers is not None and sent_type in (None, "application/x-www-form-urlencoded"):
        problems.append(
            Problem(
                "request_upload_put",
                "header Content-Type",
                (
                    "The upload sends no `Content-Type`"
                    if sent_type is None
                    else "The upload is sent as `application/x-www-form-urlencoded` (curl's "
                    "default for `--data-binary`)"
                )
                + "; the storage rejects an upload whose headers differ from `required_headers`.",
                "Send every header of the pre-upload response's `required_headers` exactly as "
                "returned, and exactly `size_bytes` bytes.",
            )
        )
    return problems


@rule("request_webhook_target", sources=("webhooks",))
def webhook_target(view: RequestView) -> list[Problem]:
    """A webhook target is a public HTTPS URL; a pinned payload version is a date."""
    body = _body(view, "webhook_subscriptions.create")
    target = body.get("target_url") if body else None
    problems = []
    if isinstance(target, str) and (why := not_public_https(target)):
        problems.append(
            Problem(
                "request_webhook_target",
                "target_url",
                f"Linq will not be able to deliver to this URL: {why}.",
                "Use a public HTTPS endpoint with a valid certificate that answers 2xx.",
                value=shown(target),
                level="warning",
            )
        )
    if isinstance(target, str):
        version = parse_qs(urlsplit(target).query).get("version", [None])[0]
        if version is not None and not _VERSION.match(version):
            problems.append(
                Problem(
                    "request_webhook_target",
                    "target_url",
                    f"The payload version `{shown(version)}` is not a date.",
                    "Pin a version as `?version=YYYY-MM-DD` on the target URL.",
                    value=shown(version),
                    level="warning",
                )
            )
    events = body.get("subscribed_events") if body else None
    if body is not None and events is not None and not (isinstance(events, list) and events):
        problems.append(
            Problem(
                "request_webhook_target",
                "subscribed_events",
                "`subscribed_events` must be a non-empty array of event names.",
                'Send e.g. `"subscribed_events": ["message.sent", "message.failed"]`.',
                value=shown(events),
            )
        )
    return problems


@rule("request_image_url", sources=("table", "contact-card-api"), codes=(5007,))
def image_url(view: RequestView) -> list[Problem]:
    """A contact card's `image_url` is a public URL that returns an image."""
    if view.endpoint is None or not view.endpoint.id.startswith("contact_card"):
        return []
    body = view.body
    url = body.get("image_url") if isinstance(body, dict) else None
    if not isinstance(url, str) or not (why := not_public_https(url)):
        return []
    return [
        Problem(
            "request_image_url",
            "image_url",
            f"Linq cannot download this image: {why}.",
            "Host the image at a public HTTPS URL that returns the image itself.",
            value=shown(url),
            code=5007,
        )
    ]
