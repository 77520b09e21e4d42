"""The diagnosis engine: a paste in, a `Report` out. No HTTP, no templates, no storage.

The page, the JSON API, the command line and the support form use only what is named here.
"""

from diagnose.engine.findings import FINDINGS, INPUT_FINDINGS, finding, oversized_report
from diagnose.engine.limits import MAX_DEPTH, MAX_GROUPS, MAX_INPUT_BYTES, MAX_TRACE_IDS
from diagnose.engine.reader import diagnose, diagnose_bytes
from diagnose.engine.results import (
    INPUT_KINDS,
    LEVELS,
    CodeGroup,
    Diagnosis,
    Finding,
    Report,
    RetryTiming,
)
from diagnose.engine.sharing import shared_diagnosis

__all__ = [
    "FINDINGS",
    "INPUT_FINDINGS",
    "INPUT_KINDS",
    "LEVELS",
    "MAX_DEPTH",
    "MAX_GROUPS",
    "MAX_INPUT_BYTES",
    "MAX_TRACE_IDS",
    "CodeGroup",
    "Diagnosis",
    "Finding",
    "Report",
    "RetryTiming",
    "diagnose",
    "diagnose_bytes",
    "finding",
    "oversized_report",
    "shared_diagnosis",
]
