"""`manage.py export_site DIR`: the read-only reference as files, under the URLs the site uses.

Every page and file that is a pure function of the content (home, catalogue, code pages in every
format, guides and their Markdown, the JSON API's first page and each code, OpenAPI, llms,
sitemap, robots, the changes feed) is requested through the whole Django stack, exactly as a
visitor would get it, and written where a static server finds it: a URL ending in "/" becomes
index.html (or index.json for JSON), any other URL its own file. Static files are copied under
STATIC_URL.

The pages those pages link to with a query string of pages and categories only (`/errors/?page=2`
of a large catalogue, `/errors/?category=2xxx` from a breadcrumb, the JSON list's `next`) are
followed and written too, the query kept in the file name after an "@": errors/index@page=2.html.
nginx finds them with `$args` (README, "Serving the reference as files"). Django then serves only
what needs it: search, other filters, htmx requests, diagnosis and support.

Each file Django would send compressed gets its Brotli and gzip forms beside it, the bytes Django
sends for that encoding (errors/index.html.br, .gz), for nginx's brotli_static and gzip_static.
Brotli at Django's quality is most of an export's time, so those copies are made on every CPU at
once, with the function Django's answers use.
The folder must be new or empty: a code removed from the content must not stay behind as a page,
so a release is exported to a fresh folder and the server switched to it.
"""

import html
import logging
import multiprocessing
import os
import re
import shutil
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client
from django.urls import reverse
from django.utils.cache import has_vary_header

from errors.loading import get_catalogue
from linqdocs.responsecache import encode

FILE_SUFFIXES = {"text/html": "index.html", "application/json": "index.json"}
# Query parameters of the pages written as files: what links between pages carry. A search (q)
# or the other filters stay with Django.
EXPORTED_PARAMETERS = frozenset({"page", "page_size", "category"})
# Links in HTML (href) and in the JSON list (next, previous).
LINK = re.compile(r'href="([^"]*)"|"(?:next|previous)":\s*"([^"]*)"')
SAFE_QUERY = re.compile(r"[A-Za-z0-9=&_-]+")  # what nginx's map lets through (README)
# The compressed forms written beside a file, as nginx's *_static modules look for them.
ENCODINGS = {"br": ".br", "gzip": ".gz"}
BROTLI_BATCH = 16  # files per task handed to a worker process


def site_paths() -> list[str]:
    """Every URL of the read-only site."""
    catalogue = get_catalogue()
    paths = [
        reverse("errors:home"),
        reverse("errors:catalogue"),
        reverse("errors:guides"),
        reverse("errors:api_list"),
        reverse("openapi"),
        reverse("errors:llms"),
        reverse("errors:llms_full"),
        reverse("sitemap"),
        reverse("errors:robots"),
        reverse("errors:changes_feed"),
    ]
    for entry in catalogue.codes:
        code = entry.code
        paths += [
            reverse("errors:detail", args=[code]),
            reverse("errors:markdown", args=[code]),
            reverse("errors:json", args=[code]),
            reverse("errors:problem", args=[code]),
            reverse("errors:api_detail", args=[code]),
        ]
    for guide in catalogue.guides.values():
        paths += [guide.url, guide.markdown_url]
    return paths


def file_for(url: str, content_type: str) -> str:
    """Where a static server looks for `url`: index.html/index.json for a path ending in "/",
    with the query string, if any, after an "@" (errors/index@page=2.html)."""
    path, _, query = url.partition("?")
    if not path.endswith("/"):
        return path.lstrip("/") + (f"@{query}" if query else "")
    kind = content_type.split(";")[0].strip()
    if kind not in FILE_SUFFIXES:
        raise CommandError(f"{url} answers {kind}, which has no index file name")
    stem, _, suffix = FILE_SUFFIXES[kind].partition(".")
    return path.lstrip("/") + stem + (f"@{query}" if query else "") + "." + suffix


def linked_pages(body: str, pages: set[str]) -> list[str]:
    """The links in `body` to one of `pages` with a query of page and category parameters."""
    found = []
    for match in LINK.finditer(body):
        link = urlsplit(html.unescape(match[1] or match[2]))
        if link.scheme or link.netloc or link.path not in pages or not link.query:
            continue
        names = {name for name, _ in parse_qsl(link.query, keep_blank_values=True)}
        if names <= EXPORTED_PARAMETERS and SAFE_QUERY.fullmatch(link.query):
            found.append(f"{link.path}?{link.query}")
    return found


class BrotliCopies:
    """file.br beside each file given, as Django compresses it (linqdocs.responsecache.encode),
    made in worker processes (one per CPU, fresh ones: this process may be running threads) in
    batches while the export goes on requesting pages."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._batch: list[str] = []
        self._pending: list[Future[None]] = []

    def add(self, file: Path) -> None:
        self._batch.append(str(file))
        if len(self._batch) == BROTLI_BATCH:
            self._submit()

    def wait(self) -> None:
        """Until every copy is written; a worker's failure is raised here."""
        self._submit()
        for done in self._pending:
            done.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def _submit(self) -> None:
        if not self._batch:
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=len(os.sched_getaffinity(0)),
                mp_context=multiprocessing.get_context("spawn"),
            )
        self._pending.append(self._pool.submit(write_brotli_copies, self._batch))
        self._batch = []


def write_brotli_copies(paths: list[str]) -> None:
    for path in paths:
        file = Path(path)
        file.with_name(file.name + ENCODINGS["br"]).write_bytes(encode(file.read_bytes(), "br"))


@contextmanager
def quiet_request_log() -> Iterator[None]:
    """The export makes hundreds of requests: their log lines would bury what it reports. A
    warning (a 5xx) still shows."""
    log = logging.getLogger("linqdocs.request")
    level = log.level
    log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        log.setLevel(level)


class Command(BaseCommand):
    help = "Write the read-only site (pages, .md, .json, guides, llms, sitemap, static) as files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", type=Path, help="a new or empty folder to write into")
        parser.add_argument(
            "--base-url",
            default="",
            help="the site's public origin, e.g. https://docs.example.com, for the absolute "
            "URLs in problem.json, the sitemap and robots.txt (default: the first ALLOWED_HOSTS "
            "entry over https)",
        )
        parser.add_argument(
            "--plain",
            action="store_true",
            help="write no .br and .gz copies (quicker; for a CDN that compresses itself)",
        )

    def handle(
        self, *args: object, target: Path, base_url: str, plain: bool, **options: object
    ) -> None:
        origin = urlsplit(base_url or f"https://{self._default_host()}")
        if origin.scheme not in {"http", "https"} or not origin.hostname:
            raise CommandError(f"--base-url {base_url!r} is not an http(s) origin")
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise CommandError(
                f"{target} is not an empty folder: export each release to a new one, then "
                "point the server at it, so no page of a removed code stays behind"
            )
        with quiet_request_log():
            written = self._export_pages(
                target, origin.netloc, secure=origin.scheme == "https", compress=not plain
            )
        copied = self._copy_static(target)
        self.stdout.write(f"{written} pages and files, {copied} static files, in {target}")

    @staticmethod
    def _export_pages(target: Path, host: str, secure: bool, compress: bool) -> int:
        client = Client()
        written = 0
        paths = site_paths()
        pages, queue, seen = set(paths), deque(paths), set(paths)
        brotli_copies = BrotliCopies()
        try:
            while queue:
                url = queue.popleft()
                response = client.get(url, secure=secure, headers={"host": host})
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
                content_type = response["Content-Type"]
                file = target / file_for(url, content_type)
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_bytes(response.content)
                written += 1
                if compress and has_vary_header(response, "Accept-Encoding"):
                    # Django's gzip answer says whether it compresses this response at all.
                    gzipped = client.get(
                        url, secure=secure, headers={"host": host, "accept-encoding": "gzip"}
                    )
                    if gzipped.status_code == 200 and gzipped.get("Content-Encoding") == "gzip":
                        file.with_name(file.name + ENCODINGS["gzip"]).write_bytes(gzipped.content)
                        brotli_copies.add(file)
                if content_type.startswith(("text/html", "application/json")):
                    for link in linked_pages(response.content.decode(), pages):
                        if link not in seen:
                            seen.add(link)
                            queue.append(link)
            brotli_copies.wait()
        finally:
            brotli_copies.close()
        return written

    @staticmethod
    def _default_host() -> str:
        hosts = [h for h in settings.ALLOWED_HOSTS if h not in {"*"} and not h.startswith(".")]
        if not hosts:
            raise CommandError("give --base-url: ALLOWED_HOSTS names no host to build URLs with")
        return hosts[0]

    @staticmethod
    def _copy_static(target: Path) -> int:
        """Static files under STATIC_URL's path: collectstatic's output (fingerprinted, with
        .gz/.br) when there is one, else the files the finders serve in development."""
        static_url = urlsplit(settings.STATIC_URL)
        if static_url.netloc:
            return 0  # a CDN serves them
        destination = target / static_url.path.strip("/")
        root = Path(settings.STATIC_ROOT)
        if root.is_dir() and any(root.iterdir()):
            shutil.copytree(root, destination, dirs_exist_ok=True)
            return sum(1 for p in destination.rglob("*") if p.is_file())
        copied = 0
        for finder in get_finders():
            for path, storage in finder.list([]):
                file = destination / path
                file.parent.mkdir(parents=True, exist_ok=True)
                with storage.open(path) as source:
                    file.write_bytes(source.read())
                copied += 1
        return copied
