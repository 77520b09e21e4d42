"""What a diagnosis shows, decided once for the page, the htmx fragment and the terminal.

The templates (`diagnose/page.html`, `diagnose/_diagnosis.html`) and the `diagnose` command
render these views; neither decides on its own which facts appear, in which order, under which
label, or what the retry timing says. Texts mark code with backticks (see `segments`): the
templates render those pieces as `<code>`, the terminal prints them as they are.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from diagnose.engine import CodeGroup, Diagnosis, Finding, Report
from diagnose.engine.outside import SUMMARIES as OUTSIDE_SUMMARIES
from errors.catalogue import ErrorCode

# How each input kind is named to people ("You pasted …").
KIND_LABELS = {
    "envelope": "an error envelope",
    "error_object": "the inner error object, without its envelope",
    "http_response": "an HTTP response",
    "batch": "several errors",
    "webhook": "a webhook payload",
    "code": "an error code",
    "trace_id": "a trace id",
    "message": "an error message without its code",
    "legacy_v2": "an error of the legacy V2 API",
    "request": "the request that was sent, without an error beside it",
    "unrecognized": "nothing that could be diagnosed",
}

# Where only Linq can act, "Contact support" is the first thing offered; everywhere else the
# fix is, and support comes second. Server errors 3001-3006 (3007 waits for the recipient), a
# delivery that failed on Linq's side (4001), a line that cannot send (4002); and a bare trace
# id, which only support can look up.
SUPPORT_FIRST_CODES = frozenset({3001, 3002, 3003, 3004, 3005, 3006, 4001, 4002})
# Every code's guidance has this section (errors/content/README.md), so its anchor exists.
FIX_ANCHOR = "#how-to-fix-it"
# The title of a diagnosis without a code, by what held it. A trace id alone is titled by what
# to do with it: the fact below already says "Trace id".
TITLES_WITHOUT_CODE = {"trace_id": "A call only support can look up", **OUTSIDE_SUMMARIES}
# Failures outside the API whose fix is to retry safely.
TRANSIENT_SOURCES = frozenset({"gateway", "empty_body", "timeout", "connection"})

# Facts in the order they are shown; `key` lets a template render one richly (a badge, a link).
LEGACY, DOCUMENTED, CATEGORY, HTTP_STATUS, MESSAGE, RETRY, SEEN, TRACE_ID, CHANGE = (
    "legacy",
    "documented",
    "category",
    "http_status",
    "message",
    "retry",
    "seen",
    "trace_id",
    "change",
)


def segments(text: str) -> list[tuple[bool, str]]:
    """`text` as (is_code, piece) pairs: texts mark code with backticks, as Markdown does.
    An unpaired backtick leaves the whole text plain."""
    pieces = text.split("`")
    if len(pieces) % 2 == 0:
        return [(False, text)]
    return [(index % 2 == 1, piece) for index, piece in enumerate(pieces) if piece]


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    text: str  # the fact as plain text (backticks mark code)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    nofollow: bool = False  # a link search engines should not follow (a shared diagnosis)


@dataclass(frozen=True)
class DiagnosisView:
    diagnosis: Diagnosis
    title_code: int | None  # the code in the title, when there is one
    title_text: str  # beside it: "Rate limit exceeded", "Unknown code"; or "Trace id", …
    line: int | None  # where the error starts in the paste, shown when past the first line
    facts: tuple[Fact, ...]
    retry_note: str | None  # what the clock time is counted from
    retry_advice: str | None  # the code's own advice, when the timing sentence does not say it
    findings_by_level: list[tuple[str, list[Finding]]]
    read: Link | None  # the code's page (the title links there)
    support: Link  # a plain link (GET): code, status, trace id, endpoint; never the paste
    share: Link | None  # None for a diagnosis that is itself a shared one
    trace_ids: tuple[str, ...] = ()  # of this diagnosis and its copies, as listed
    more_trace_ids: int = 0  # distinct trace ids past those listed
    fix: Link | None = None  # the code's steps ("How to fix 2004"), or how to retry safely
    support_first: bool = False  # only Linq can act: support is the primary action

    def fact_text(self, key: str) -> str | None:
        """The text of the fact `key`, or None when it is not shown."""
        return next((f.text for f in self.facts if f.key == key), None)

    @property
    def actions(self) -> tuple[Link, ...]:
        """The links under the diagnosis, the primary one first: the fix, then support;
        support first only where only Linq can act (or there is no fix to offer)."""
        if self.fix is None or self.support_first:
            first = (self.support, self.fix)
        else:
            first = (self.fix, self.support)
        return tuple(link for link in (*first, self.share) if link is not None)


@dataclass(frozen=True)
class ReportView:
    report: Report
    kind_label: str  # "an HTTP response"
    count_note: str  # "(3)" after the kind for several errors, "" for one
    ambiguous: bool  # a message that fits several codes equally well
    findings: tuple[Finding, ...]  # about the paste as a whole, most serious first
    advice: str | None  # what to paste to learn more
    groups: list[CodeGroup]  # the summary by code; empty unless several codes were diagnosed
    diagnoses: tuple[DiagnosisView, ...]
    more_note: str | None  # how many distinct diagnoses are counted but not shown
    # A paste that is only words: the codes they match ("Codes that match your words"), the
    # catalogue search for them and a support link; None for any other paste.
    related: tuple[ErrorCode, ...] | None = None
    search: Link | None = None
    support: Link | None = None

    @property
    def feedback_page(self) -> str:
        """The key "Was this helpful?" answers on this diagnosis are stored under
        (feedback/pages.py): its first documented code, else what kind of paste it was.
        Never anything of the paste itself."""
        first = self.report.diagnoses[0] if self.report.diagnoses else None
        if first is not None and first.known:
            return f"diagnosis:{first.code}"
        if self.related is not None:
            return "diagnosis:words"
        if first is not None and first.source in TITLES_WITHOUT_CODE and first.code is None:
            return "diagnosis:trace-id" if first.source == "trace_id" else "diagnosis:no-answer"
        return "diagnosis"


def _count_note(report: Report) -> str:
    """ "(6,554)" after the kind; "(6,554, 3 distinct)" when copies were collapsed."""
    errors = max(report.error_count, len(report.diagnoses))
    if errors <= 1:
        return ""
    distinct = max(report.distinct_count, len(report.diagnoses))
    return f"({errors:,})" if distinct == errors else f"({errors:,}, {distinct:,} distinct)"


def _more_note(report: Report) -> str | None:
    hidden = report.hidden_count
    if not hidden:
        return None
    shown = len(report.diagnoses)
    return (
        f"{hidden:,} more distinct diagnos{'is' if hidden == 1 else 'es'} not shown: only the "
        f"first {shown} are. Paste the lines around the error that matters to see it here."
    )


def present_report(report: Report) -> ReportView:
    count = len(report.diagnoses)
    several_meanings = report.input_kind == "message" and count > 1
    count_note = f"({count} possible codes)" if several_meanings else _count_note(report)
    if several_meanings:
        advice = (
            f"The text fits {count} codes equally well. The `code` in the full response decides "
            "which one it is: paste the whole response body if you have it."
        )
    elif report.input_kind in ("code", "message"):
        advice = (
            "This is what the code means in general. Paste the whole response to also check its "
            "fields, its trace id and the exact time to retry."
        )
    else:
        advice = None
    endpoint = _endpoint(report)
    search = support = None
    if report.related is not None:
        words = " ".join(report.redacted_text.split())[:MAX_SEARCH_WORDS]
        search = Link(
            "Search these words",
            f"{reverse('errors:catalogue')}?{urlencode({'q': words})}",
        )
        support = Link("Contact support", _support_link(reverse("support:new"), endpoint))
    return ReportView(
        report=report,
        kind_label=KIND_LABELS.get(report.input_kind, ""),
        count_note=count_note,
        ambiguous=several_meanings,
        findings=tuple(f for _, group in report.findings_by_level() for f in group),
        advice=advice,
        groups=report.groups() if count > 1 and not several_meanings else [],
        diagnoses=tuple(present_diagnosis(d, endpoint=endpoint) for d in report.diagnoses),
        more_note=_more_note(report),
        related=report.related,
        search=search,
        support=support,
    )


MAX_SEARCH_WORDS = 200  # characters of the words carried to the catalogue search (its limit)


def _endpoint(report: Report) -> str:
    """`POST /api/partner/v3/chats` when the paste shows the request that was sent, or ""."""
    check = report.request
    if check is None or check.endpoint_guessed:
        return ""
    method, path = check.request.method, check.request.path
    return f"{method} {path}" if method and path else ""


def _support_link(url: str, endpoint: str) -> str:
    """The support form's link from a diagnosis: it says where the person came from (for the
    breadcrumb) and the endpoint when the paste showed it."""
    params = [("from", "diagnosis")] + ([("endpoint", endpoint)] if endpoint else [])
    return url + ("&" if "?" in url else "?") + urlencode(params)


def present_diagnosis(
    diagnosis: Diagnosis, *, shared: bool = False, endpoint: str = ""
) -> DiagnosisView:
    entry, category, retry = diagnosis.entry, diagnosis.category, diagnosis.retry
    if entry is not None:
        title = entry.message
    elif diagnosis.code is not None:
        title = "Unknown code"
    else:
        title = TITLES_WITHOUT_CODE.get(diagnosis.source, "No error code")
    facts = []
    if entry is not None and diagnosis.source == "legacy_v2":
        facts.append(
            Fact(
                LEGACY,
                "Legacy V2",
                f"This legacy error corresponds to {entry.code}: the same message, which v3 "
                f"sends with code {entry.code}.",
            )
        )
    if entry is not None:
        facts.append(
            Fact(
                DOCUMENTED,
                "Documented",
                f"HTTP {entry.http_status} {entry.reason_phrase} · "
                f"{entry.category.id} {entry.category.name}",
            )
        )
    elif category is not None:
        facts.append(
            Fact(
                CATEGORY,
                "Category",
                f"{category.id} {category.name} (default: {category.default_retry_text})",
            )
        )
    observed = diagnosis.observed
    if observed["http_status"] is not None:
        facts.append(Fact(HTTP_STATUS, "HTTP status seen", str(observed["http_status"])))
    if observed["message"] is not None and observed["message"] != diagnosis.message:
        facts.append(Fact(MESSAGE, "Message seen", str(observed["message"])))
    shows_retry = diagnosis.code is not None or diagnosis.source != "trace_id"
    if shows_retry:
        facts.append(Fact(RETRY, "Retry?", retry.summary))
    if diagnosis.count > 1:
        facts.append(Fact(SEEN, "Seen", f"{diagnosis.count:,} times in the paste, alike"))
    trace_ids = diagnosis.listed_trace_ids
    if len(trace_ids) > 1:
        more = diagnosis.distinct_trace_ids - len(trace_ids)
        listed = " ".join(trace_ids) + (f" and {more:,} more" if more else "")
        facts.append(Fact(TRACE_ID, f"Trace ids ({diagnosis.distinct_trace_ids:,})", listed))
    elif diagnosis.trace_id:
        facts.append(Fact(TRACE_ID, "Trace id", diagnosis.trace_id))
    else:
        facts.append(Fact(TRACE_ID, "Trace id", "none" if shared else "none in the paste"))
    if entry is not None:
        facts.append(Fact(CHANGE, "What to change", entry.troubleshooting))
    retry_note = None
    if shows_retry and retry.retry_at is not None:
        retry_note = (
            "Counted from the response's `Date` header."
            if retry.counted_from == "date"
            else "Counted from now: paste the `Date` header for the exact time."
        )
    share_url = f"{reverse('diagnose:shared')}?{urlencode(diagnosis.share_params())}"
    return DiagnosisView(
        diagnosis=diagnosis,
        title_code=diagnosis.code,
        title_text=title,
        line=diagnosis.line if diagnosis.line and diagnosis.line > 1 else None,
        facts=tuple(facts),
        retry_note=retry_note,
        retry_advice=(
            retry.advice
            if shows_retry and entry is not None and retry.advice != retry.summary
            else None
        ),
        findings_by_level=diagnosis.findings_by_level(),
        read=Link(f"Read about {entry.code}", diagnosis.url) if entry and diagnosis.url else None,
        support=Link("Contact support", _support_link(diagnosis.support_url, endpoint)),
        # A link rebuilds a diagnosis from its code or trace id; without either it would be a 404.
        share=(
            Link("Share this diagnosis", share_url, nofollow=True)
            if not shared and (diagnosis.code is not None or diagnosis.trace_id)
            else None
        ),
        trace_ids=diagnosis.listed_trace_ids,
        more_trace_ids=diagnosis.distinct_trace_ids - len(diagnosis.listed_trace_ids),
        fix=_fix(diagnosis),
        support_first=_support_first(diagnosis),
    )


def _fix(diagnosis: Diagnosis) -> Link | None:
    if diagnosis.entry is not None:
        return Link(f"How to fix {diagnosis.entry.code}", diagnosis.entry.url + FIX_ANCHOR)
    if diagnosis.source in TRANSIENT_SOURCES:
        return Link("How to retry safely", reverse("errors:guide", args=["retries"]))
    return None


def _support_first(diagnosis: Diagnosis) -> bool:
    if diagnosis.code is None:
        return diagnosis.source == "trace_id"
    return diagnosis.code in SUPPORT_FIRST_CODES


def finding_details(finding: Finding) -> tuple[Fact, ...]:
    """The field-level facts of a finding about the request that was sent: where, what was
    seen, the fix and the code Linq answers with. Empty for every other finding."""
    if finding.fix is None:
        return ()
    facts = []
    if finding.field:
        facts.append(Fact("field", "Field", f"`{finding.field}`"))
    if finding.value is not None:
        facts.append(Fact("value", "Seen", f"`{finding.value}`"))
    facts.append(Fact("fix", "Fix", finding.fix))
    if finding.causes_code is not None:
        facts.append(Fact("causes", "Linq answers", str(finding.causes_code)))
    return tuple(facts)
