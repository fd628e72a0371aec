"""Benchmark: round-trip time of the Office.js route (xlwings Server on 127.0.0.1).

Starts ``python -m addin.server`` on a free loopback port, then times HTTP calls
with the body Excel's custom-functions runtime posts, over one keep-alive
connection (as the browser keeps one):

* a single-cell call, ``=SI.ENHEDSPRIS("anbringelse_plejefamilie_aar"; 2023; "kommune")``;
* a spill of about 1,000 cells: ``=SI.ENHEDSPRISER(; ; A1:I61)`` — the catalogue
  plus 60 of the kommune's own prices passed as a range, 100 rows × 10 columns.

Reports median and 95th percentile in milliseconds, then runs the same benchmark
on today's code (commit 78c5544, from a git archive; see ``scripts/bench_compare.py``)
and prints both medians, their ratio and the target of issue 14 (a 1,000-cell
spill under 30 ms median).  Bounded: a fixed number of calls and a time limit;
the server is stopped at the end.  This is the network
and serialisation cost on one machine, not Excel's: Excel adds its own
calculation and rendering time.  Needs the ``server`` extra and a licence key
(``XLWINGS_LICENSE_KEY``; ``noncommercial`` is used when none is set — see README).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from addin.server.local import Client, running_server  # noqa: E402

OWN_HEADER = ["id", "navn", "enhed", "beloeb", "prisaar", "budgetomraade", "kilde_udgiver", "kilde_dokument", "kildetype"]


def own_prices(n: int) -> list[list]:
    """``n`` rows of a kommune's own prices (made-up test rows, kildetype 'egen')."""
    rows = [OWN_HEADER]
    for i in range(n):
        rows.append([f"egen_pris_{i:03d}", f"Egen pris {i}", "dag", 1000.0 + i, 2023, "Test", "Testkommune", "Benchmark", "egen"])
    return rows


def timed(client: Client, name: str, args: list, n: int, deadline: float) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(n):
        if time.monotonic() > deadline:
            break
        start = time.perf_counter()
        status, result = client.call(name, args)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"{name} answered {status}: {result}")
    return times, result


def summary(times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
    return f"median {statistics.median(times):6.2f} ms   p95 {p95:6.2f} ms   (n={len(times)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300, help="single-cell calls (default 300)")
    parser.add_argument("--spills", type=int, default=60, help="1,000-cell spill calls (default 60)")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds for all calls (default 120)")
    parser.add_argument("--no-compare", action="store_true", help="do not run today's code for comparison")
    args = parser.parse_args(argv)
    medians = measure(args)
    if not args.no_compare:
        compare_with_today(args, medians)
    return 0


def measure(args: argparse.Namespace) -> dict[str, float]:
    """Run the calls; print and return the median milliseconds of the single call and the spill."""
    key = None if os.environ.get("XLWINGS_LICENSE_KEY") else "noncommercial"
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores; xlwings Server on 127.0.0.1")
    with running_server(timeout=90, licence_key=key) as base:
        client = Client(base)
        try:
            deadline = time.monotonic() + args.time_limit
            single = [[["anbringelse_plejefamilie_aar"]], [[2023]], [["kommune"]]]
            timed(client, "SI_ENHEDSPRIS", single, 20, deadline)  # warm-up
            times, _ = timed(client, "SI_ENHEDSPRIS", single, args.calls, deadline)
            print(f"SI.ENHEDSPRIS, one cell:            {summary(times)}")
            medians = {"single": statistics.median(times)}

            spill = [None, None, own_prices(60), None]
            timed(client, "SI_ENHEDSPRISER", spill, 5, deadline)  # warm-up
            times, result = timed(client, "SI_ENHEDSPRISER", spill, args.spills, deadline)
            cells = len(result) * len(result[0])
            print(f"SI.ENHEDSPRISER, {cells} cells spilled: {summary(times)}")
            medians["spill"] = statistics.median(times)
            print(f"  per 1,000 cells: median {statistics.median(times) * 1000 / cells:.2f} ms")
            import udfs.excel as xl

            start = time.perf_counter()
            for _ in range(20):
                xl.SI_ENHEDSPRISER(None, None, own_prices(60), None)
            print(f"  of which the function itself (in-process): {(time.perf_counter() - start) * 1000 / 20:.2f} ms")
        finally:
            client.close()
    return medians


def compare_with_today(args: argparse.Namespace, new: dict[str, float]) -> None:
    """The same benchmark on today's code, and both medians side by side."""
    import re

    from bench_compare import BASELINE, old_tree, run_in

    print(f"\nToday's code (commit {BASELINE}) for comparison:")
    with old_tree() as old:
        if old is None:
            print("  not a git checkout: today's figures not measured")
            return
        argv = ["scripts/benchmark_server.py", "--calls", str(args.calls), "--spills", str(args.spills), "--time-limit", str(args.time_limit)]
        _, out = run_in(old, argv)
    single = float(re.search(r"SI\.ENHEDSPRIS, one cell: +median +([0-9.]+) ms", out).group(1))
    spill = float(re.search(r"SI\.ENHEDSPRISER, [0-9]+ cells spilled: +median +([0-9.]+) ms", out).group(1))
    print(f"  {'':36} {'today':>10} {'new':>10} {'ratio':>8}   target")
    print(f"  {'SI.ENHEDSPRIS, one cell (median)':36} {single:7.2f} ms {new['single']:7.2f} ms {single / new['single']:6.1f} ×")
    verdict = "ok" if new["spill"] < 30 else "MISSED"
    print(f"  {'1,000-cell spill (median)':36} {spill:7.2f} ms {new['spill']:7.2f} ms {spill / new['spill']:6.1f} ×   < 30 ms {verdict}")


if __name__ == "__main__":
    sys.exit(main())
