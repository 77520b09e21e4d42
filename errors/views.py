"""Catalogue pages, guides, the JSON API and the files for tools; none touches the database."""

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache, partial
from itertools import groupby
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from errors import representations
from errors.catalogue import Catalogue, ErrorCode
from errors.facets import facets
from errors.guidesearch import search_guides
from errors.loading import get_catalogue
from errors.pagination import Page, PageRequest, page_count, page_link, page_of, parse_page
from errors.search import SUGGESTIONS, Hit, search
from errors.searchrequest import SearchRequest, parse_request
from errors.signals import search_missed
from linqdocs.errorpages import JSON_DUMPS, api_envelope
from linqdocs.httppolicy import revalidated
from linqdocs.requests import SiteRequest
from linqdocs.responsecache import cached

POPULAR_CODES = (1007, 2004, 1002, 2008, 3002, 4003)  # on the home page
# A search shows its best matches first; "Show all" pages through the rest, 100 at a time. 25
# shows every match of a word or a category of this catalogue ("2xxx" finds 21 codes, "retry
# after" 24) and keeps a live search's answer, made at each pause in typing, small to render and
# to send at 9,000 codes.
SEARCH_PREVIEW = 25


def site_version() -> str:
    """A digest of everything a catalogue page is made of: content, templates, static files.

    Content-based, so every app server computes the same ETag for the same page, and a deploy
    that changes any of them changes every ETag.
    """
    return _version_of(get_catalogue().digest)


@cache
def _version_of(content_digest: str) -> str:
    digest = hashlib.sha256(content_digest.encode())
    roots = [settings.BASE_DIR / "templates", settings.BASE_DIR / "static"]
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _variant(request: SiteRequest) -> str:
    """The content version and the form of the answer: whole page or htmx fragment."""
    return f"{site_version()}|{'fragment' if _wants_fragment(request) else 'page'}"


def _etag(request: SiteRequest, *args: object, **kwargs: object) -> str:
    key = f"{_variant(request)}|{request.get_full_path()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _last_modified(request: HttpRequest, *args: object, **kwargs: object) -> datetime:
    return get_catalogue().updated_at


def catalogue_page[V: Callable[..., HttpResponse]](view: V, vary: Sequence[str] = ()) -> V:
    """GET and HEAD only, revalidated by ETag (the policy is linqdocs.httppolicy's); a conditional
    request is answered 304 before anything is rendered, and any other is answered from the
    response cache once the page has been made."""
    # Accept-Encoding: linqdocs.compression may send these compressed; the 304 must say so too.
    vary = ("Accept-Encoding", *vary)
    policy = revalidated(etag_func=_etag, last_modified_func=_last_modified, vary=vary)
    return policy(cached(_variant)(view))


# The catalogue answers htmx with its results fragment, and a history restore with the whole page.
HTMX_VARY = ("HX-Request", "HX-History-Restore-Request")


def _wants_fragment(request: SiteRequest) -> bool:
    # A history restore asks for the whole page (HX-History-Restore-Request), not the fragment.
    return bool(request.htmx) and not request.htmx.history_restore_request


# --- Pages ------------------------------------------------------------------------------------


def _search_form(catalogue: Catalogue, wanted: SearchRequest) -> dict:
    """What templates/errors/_search_form.html needs."""
    return {
        "catalogue": catalogue,
        "wanted": wanted,
    }


def _results_context(request: HttpRequest) -> dict:
    catalogue = get_catalogue()
    wanted = parse_request(request.GET, catalogue)
    hits = search(wanted, catalogue)
    ranked = bool(wanted.q)
    asked = parse_page(request.GET)
    problems = [*wanted.problems, *asked.problems]
    link = partial(page_link, request.path, request.GET)
    show_all_url = None
    if ranked and "all" not in request.GET:
        page = Page(hits[:SEARCH_PREVIEW], 1, SEARCH_PREVIEW, len(hits))
        if len(hits) > SEARCH_PREVIEW:
            show_all_url = _with_param(request, "all", "1")
    else:
        page = page_of(hits, asked) or _last_page(hits, asked, problems)
    context = _search_form(catalogue, wanted) | {
        "hits": page.items,
        "guide_hits": search_guides(wanted.q, catalogue) if wanted.q else [],
        "count": len(hits),
        "page": page,
        "previous_url": link(page.number - 1) if page.has_previous else None,
        "next_url": link(page.number + 1) if page.has_next else None,
        "show_all_url": show_all_url,
        "problems": problems,
        "suggestions": SUGGESTIONS,
        "ranked": ranked,
        "groups": [] if ranked else _grouped(page.items),
        # Without filters, the hits are what the words alone find: no second search.
        "facets": facets(wanted, catalogue, None if wanted.filters.active else hits.ranked),
    }
    if not hits and wanted.q and wanted.filters.active:
        # Say so when the filters, not the words, are what empties the page.
        context["without_filters"] = len(search(SearchRequest(q=wanted.q), catalogue))
    return context


def _last_page(hits: Sequence[Hit], asked: PageRequest, problems: list[str]) -> Page:
    last = page_count(len(hits), asked.size)
    problems.append(f"There is no page {asked.number}; this is the last one, page {last}.")
    return page_of(hits, PageRequest(last, asked.size)) or Page([], 1, asked.size, 0)


def _with_param(request: HttpRequest, name: str, value: str) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query[name] = value
    return f"{request.path}?{query.urlencode()}"


def _grouped(hits: list[Hit]) -> list[tuple]:
    catalogue = get_catalogue()
    return [
        (category, list(group), catalogue.exceptions(category))
        for category, group in groupby(hits, key=lambda hit: hit.entry.category)
    ]


@catalogue_page
def home(request: HttpRequest) -> HttpResponse:
    catalogue = get_catalogue()
    popular = [catalogue.get(code) for code in POPULAR_CODES]
    context = _search_form(catalogue, SearchRequest()) | {
        "popular": [entry for entry in popular if entry is not None],
        "categories": [(c, catalogue.exceptions(c)) for c in catalogue.categories],
        "section": "home",
    }
    return render(request, "errors/home.html", context)


@partial(catalogue_page, vary=HTMX_VARY)
def catalogue_list(request: SiteRequest) -> HttpResponse:
    context = _results_context(request) | {"section": "errors"}
    if not context["hits"] and context["wanted"].q:
        # The search box sends a request at each pause while typing: those are "live".
        live = bool(request.htmx) and request.htmx.trigger == "search-q"
        search_missed.send(catalogue_list, query=context["wanted"].q, request=request, live=live)
    template = (
        "errors/catalogue.html#results" if _wants_fragment(request) else "errors/catalogue.html"
    )
    return render(request, template, context)


def _code_number(code: str) -> int | None:
    """The number a URL segment names, if it names one (ASCII digits only, at most six)."""
    return int(code) if code.isascii() and code.isdigit() and len(code) <= 6 else None


def _entry_named(code: str) -> ErrorCode | None:
    """The entry a URL segment names, if it names a documented code (Catalogue.lookup)."""
    entry, _ = get_catalogue().lookup(_code_number(code))
    return entry


def _entry_or_404(request: HttpRequest, code: str) -> ErrorCode | HttpResponse:
    """The entry, or the helpful 404 page: nearest codes and the category the number falls in."""
    entry = _entry_named(code)
    if entry is not None:
        return entry
    catalogue = get_catalogue()
    number = _code_number(code)
    wanted = parse_request({"q": code if number is None else ""}, catalogue)
    context = _search_form(catalogue, wanted) | {
        "asked": code,
        "number": number,
        "category": catalogue.category_for_number(number) if number is not None else None,
        "nearest": catalogue.nearest(number) if number is not None else [],
        "section": "errors",
    }
    return render(request, "errors/unknown_code.html", context, status=404)


@catalogue_page
def detail(request: HttpRequest, code: str) -> HttpResponse:
    entry = _entry_or_404(request, code)
    if isinstance(entry, HttpResponse):
        return entry
    catalogue = get_catalogue()
    previous, following = catalogue.neighbours(entry)
    context = {
        "entry": entry,
        "previous": previous,
        "next": following,
        "related": [catalogue.get(c) for c in entry.related_codes],
        "guides": [catalogue.guides[slug] for slug in entry.related_guides],
        "retry_sentence": representations.retry_sentence(entry),
        "feedback_page": f"code:{entry.code}",
        "section": "errors",
    }
    return render(request, "errors/detail.html", context)


@catalogue_page
def guide(request: HttpRequest, slug: str) -> HttpResponse:
    catalogue = get_catalogue()
    page = catalogue.guides.get(slug)
    if page is None:
        raise Http404(f"There is no guide called {slug!r}.")
    linked = [e for e in catalogue.codes if slug in e.related_guides]
    context = {
        "guide": page,
        "guides": catalogue.guides.values(),
        "linked": linked,
        "feedback_page": f"guide:{slug}",
        "section": "guides",
    }
    return render(request, "guides/guide.html", context)


@catalogue_page
def guide_markdown(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_catalogue().guides.get(slug)
    if page is None:
        raise Http404(f"There is no guide called {slug!r}.")
    return HttpResponse(
        representations.guide_markdown(page), content_type="text/markdown; charset=utf-8"
    )


@catalogue_page
def guide_index(request: HttpRequest) -> HttpResponse:
    catalogue = get_catalogue()
    return render(
        request, "guides/index.html", {"guides": catalogue.guides.values(), "section": "guides"}
    )


# --- One code in other formats ----------------------------------------------------------------


@catalogue_page
def code_markdown(request: HttpRequest, code: str) -> HttpResponse:
    entry = _entry_or_404(request, code)
    if isinstance(entry, HttpResponse):
        return entry
    return HttpResponse(
        representations.entry_markdown(entry), content_type="text/markdown; charset=utf-8"
    )


@catalogue_page
def code_json(request: HttpRequest, code: str) -> HttpResponse:
    entry = _entry_named(code)
    if entry is None:
        return api_envelope(request, 404, "unknown_code", f"There is no error code {code!r}.")
    return JsonResponse(representations.entry_dict(entry), json_dumps_params=JSON_DUMPS)


@catalogue_page
def code_problem(request: HttpRequest, code: str) -> HttpResponse:
    entry = _entry_named(code)
    if entry is None:
        return api_envelope(request, 404, "unknown_code", f"There is no error code {code!r}.")
    base = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(
        representations.entry_problem(entry, base),
        content_type="application/problem+json",
        json_dumps_params=JSON_DUMPS,
    )


# --- JSON API ---------------------------------------------------------------------------------


@catalogue_page
def api_list(request: HttpRequest) -> HttpResponse:
    wanted = parse_request(request.GET)
    if wanted.problems:
        return api_envelope(request, 400, "invalid_filter", " ".join(wanted.problems))
    asked = parse_page(request.GET)
    if asked.problems:
        return api_envelope(request, 400, "invalid_page", " ".join(asked.problems))
    hits = search(wanted)
    page = page_of(hits, asked)
    if page is None:
        pages = page_count(len(hits), asked.size)
        return api_envelope(
            request,
            400,
            "invalid_page",
            f"There is no page {asked.number}: {len(hits)} codes make {pages} "
            f"page{'s' if pages != 1 else ''} of {asked.size}.",
        )
    link = partial(page_link, request.path, request.GET)
    data = representations.catalogue_dict(
        [hit.entry for hit in page.items],
        page.count,
        link(page.number + 1) if page.has_next else None,
        link(page.number - 1) if page.has_previous else None,
    )
    return JsonResponse(data, json_dumps_params=JSON_DUMPS)


@catalogue_page
def api_detail(request: HttpRequest, code: str) -> HttpResponse:
    return code_json(request, code)


# --- Files for assistants and search engines --------------------------------------------------


@catalogue_page
def llms(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        representations.llms_index(get_catalogue()), content_type="text/plain; charset=utf-8"
    )


@catalogue_page
def llms_full(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        representations.llms_index(get_catalogue(), full=True),
        content_type="text/plain; charset=utf-8",
    )


@revalidated()
def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        # A developer's request page is reached by its unguessable address alone; the form
        # itself is a page people look for ("Linq API support").
        "Disallow: /support/requests/",
        "Disallow: /api/diagnose/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
