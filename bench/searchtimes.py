"""Search at scale, in process: the CPU time of each query of a realistic table.

    .venv/bin/python bench/searchtimes.py    # prints JSON; LINQDOCS_CONTENT_DIR picks the catalogue

bench/run.py runs it in a child process for the real catalogue and for the synthetic one. Two
figures per query, each the best of RUNS runs of `time.process_time()` (CPU time of this process,
so other processes on a shared machine disturb it less than a wall clock): the search alone
(errors.search.search: index look-ups, scoring, ranking) and the whole htmx fragment view with
the response cache off (reading the query, the search, the filter counts, rendering the rows).
Then message matching the same way: a pasted message diagnosed (diagnose.engine.diagnose: the
catalogue's message index, errors/messages.py) and the whole POST /api/diagnose/ view.
"""

import gc
import json
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

# As typed into the catalogue's search box: words, pasted messages, a typo, a prefix being
# typed, code numbers and a category, a stop word alone.
QUERIES = (
    "rate limit",
    "webhook",
    "Rate limit exceeded",
    "webhok",
    "attachmnt not fuond",
    "atta",
    "1007",
    "10",
    "429",
    "2xxx",
    "retry after",
    "retry_after",
    "chat not found",
    "file too large",
    "ratelimit",
    "phone number permission denied",
    "message failed to send to recipient because",
    "the",
)
# Pasted into the diagnosis as they are: a message with a typo, words that are no message.
MESSAGES = (
    "Error: Rate limit exeeded",
    "chat not fuond",
    "Invalid phone numbr format",
    "the recipient could not be reached",
)
# On a shared machine a run is now and then slowed two or three times by something else; the
# best of 15 is what the query itself costs (the same code gave 4 to 15 ms as the best of 5).
RUNS = 15


def best_cpu_ms(call) -> float:
    call()  # warm
    best = float("inf")
    for _ in range(RUNS):
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best * 1000


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linqdocs.settings")
    os.environ["RESPONSE_CACHE_BYTES"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    from django.test import Client

    from errors import startup
    from errors.search import search
    from errors.searchrequest import SearchRequest

    catalogue = startup.prepare()
    gc.collect()
    gc.freeze()  # as gunicorn's master does before the workers fork
    client = Client()
    rows = []
    for q in QUERIES:
        request = SearchRequest(q=q)
        found = len(search(request, catalogue))

        def fragment(q: str = q) -> None:
            response = client.get("/errors/", {"q": q}, headers={"HX-Request": "true"})
            assert response.status_code == 200, response.status_code

        rows.append(
            {
                "query": q,
                "hits": found,
                "search_ms": best_cpu_ms(lambda r=request: search(r, catalogue)),
                "view_ms": best_cpu_ms(fragment),
            }
        )
    from diagnose.engine import diagnose

    matched = []
    for text in MESSAGES:

        def answer(text: str = text) -> None:
            response = client.post("/api/diagnose/", text, content_type="text/plain")
            assert response.status_code == 200, response.status_code

        found = diagnose(text).as_dict()
        matched.append(
            {
                "query": text,
                "hits": len(found["diagnoses"]) + len(found.get("related_codes", [])),
                "search_ms": best_cpu_ms(lambda t=text: diagnose(t)),
                "view_ms": best_cpu_ms(answer),
            }
        )
    print(json.dumps({"codes": len(catalogue.codes), "queries": rows, "messages": matched}))


if __name__ == "__main__":
    main()
