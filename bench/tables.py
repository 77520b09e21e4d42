"""The printed tables of a bench run; each also returns its rows for the JSON results."""

from collections.abc import Callable

from bench import searchtimes
from bench.scale import SEARCH_PROCESSES
from bench.scenarios import PasteTiming, Scenario
from bench.servers import PATIENCE


def kb(size: int | None) -> str:
    return "-" if size is None else f"{size / 1024:.1f}"


def routes_table(runs: dict[str, list[Scenario]]) -> list[dict]:
    labels = list(runs)
    print("\nRoutes: median time as a ratio to GET /robots.txt on the same server; bytes sent")
    head = "".join(f" {label[:12]:>12}" for label in labels)
    print(f"  {'route':<34}{head} {'ms':>7} {'plain KB':>9} {'br KB':>7} {'gzip KB':>8}")
    rows = []
    newest = runs[labels[-1]]
    baselines = {label: scenarios[0].median_ms for label, scenarios in runs.items()}
    for scenario in newest:
        ratios = {}
        for label, scenarios in runs.items():
            same = next((s for s in scenarios if s.name == scenario.name), None)
            ratios[label] = same.median_ms / baselines[label] if same else None
        cells = "".join(
            f" {'-' if r is None else f'{r:.2f}':>12}" for r in (ratios[label] for label in labels)
        )
        print(
            f"  {scenario.name:<34}{cells} {scenario.median_ms:>7.2f}"
            f" {kb(scenario.sizes.get('plain')):>9} {kb(scenario.sizes.get('br')):>7}"
            f" {kb(scenario.sizes.get('gzip')):>8}"
        )
        rows.append(
            {
                "route": scenario.name,
                "ratios": ratios,
                "median_ms": scenario.median_ms,
                "bytes": scenario.sizes,
            }
        )
    return rows


def scale_table(results: dict[str, dict]) -> None:
    labels = list(results)
    print("\nScale (response cache off, so every request computes)")
    print(f"  {'':<36}" + "".join(f" {label:>22}" for label in labels))

    def line(name: str, cell: Callable[[dict], str]) -> None:
        print(f"  {name:<36}" + "".join(f" {cell(results[label]):>22}" for label in labels))

    def seconds(value: float | None) -> str:
        return f"> {PATIENCE:.0f} s" if value is None else f"{value:.1f} s"

    line("migrate (runs the checks)", lambda r: seconds(r["migrate_s"]))
    line("start-up to first 200 (/errors/)", lambda r: seconds(r["startup_s"]))
    line("worker memory (RSS)", lambda r: "-" if r["rss_mb"] is None else f"{r['rss_mb']:.0f} MB")
    names = dict.fromkeys(name for r in results.values() for name in r["scenarios"])
    for name in names:

        def cell(r: dict, name: str = name) -> str:
            s = r["scenarios"].get(name)
            return "-" if s is None else f"{kb(s['bytes'])} KB, {s['median_ms']:.1f} ms"

        line(name, cell)


def paste_table(title: str, timings: list[PasteTiming], with_answer: bool) -> list[dict]:
    baseline = timings[0].median_ms
    print(f"\n{title}")
    answer = f" {'answer KB':>10}" if with_answer else ""
    print(f"  {'paste':<40} {'KiB':>5} {'median ms':>10} {'x first':>8}{answer}")
    rows = []
    for t in timings:
        ratio = t.median_ms / baseline
        answer = f" {t.answer / 1024:>10.1f}" if with_answer else ""
        print(f"  {t.name:<40} {t.size / 1024:>5.1f} {t.median_ms:>10.2f} {ratio:>8.1f}{answer}")
        rows.append(
            {
                "paste": t.name,
                "bytes": t.size,
                "median_ms": t.median_ms,
                "ratio": ratio,
                "answer_bytes": t.answer,
            }
        )
    worst = max(timings[1:], key=lambda t: t.median_ms)
    print(f"  worst: {worst.name} at {worst.median_ms:.1f} ms ({worst.median_ms / baseline:.0f}x)")
    return rows


def search_table(results: dict[str, dict]) -> list[dict]:
    """Per query, the CPU ms of the search alone and of the whole fragment view, per catalogue."""
    labels = list(results)
    print(
        f"\nSearch, in process (CPU ms, best of {searchtimes.RUNS} runs in each of "
        f"{SEARCH_PROCESSES} processes; search alone / whole htmx fragment view)"
    )
    print(f"  {'query':<46}" + "".join(f" {label:>20}" for label in labels) + f" {'hits':>6}")
    rows = _timed_rows(results, "queries", "query")
    for label in labels:
        found = results[label]["queries"]
        worst = max(found, key=lambda row: row["search_ms"])
        view = max(found, key=lambda row: row["view_ms"])
        print(
            f"  worst, {label}: search {worst['search_ms']:.2f} ms ({worst['query']!r}),"
            f" view {view['view_ms']:.2f} ms ({view['query']!r})"
        )
    print("\n  message matching (diagnosis alone / whole POST /api/diagnose/)       codes")
    return rows + _timed_rows(results, "messages", "message")


def _timed_rows(results: dict[str, dict], table: str, name: str) -> list[dict]:
    """Print one line per row of `table` (a query or a message): its two CPU times in each
    catalogue, then how many codes it found in the last."""
    labels = list(results)
    rows = []
    for number, row in enumerate(next(iter(results.values()))[table]):
        cells = [results[label][table][number] for label in labels]
        shown = "".join(f" {c['search_ms']:>8.2f} / {c['view_ms']:>7.2f}  " for c in cells)
        print(f"  {row['query'][:46]:<46}{shown} {cells[-1]['hits']:>6}")
        rows.append({name: row["query"], **dict(zip(labels, cells, strict=True))})
    return rows
