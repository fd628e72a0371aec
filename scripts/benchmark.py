"""Benchmark: in-process time per call of the Excel functions (not a test).

Excel recalculates often, so the functions that sit in many cells must be
cheap.  Targets: SI_ENHEDSPRIS under 20 µs, SI_NUTIDSVAERDI on a 10-year row
under 50 µs.  Arguments are passed the way Excel passes them (floats, lists of
rows).  Run with ``make bench``.
"""

from __future__ import annotations

import platform
import statistics
import timeit

import udfs.excel as xl

TEN_YEARS = [[-6_200_000.0, 1_500_000.0, 2_000_000.0, 2_500_000.0, 2_500_000.0, 2_000_000.0, 1_500_000.0, 1_000_000.0, 500_000.0, 250_000.0]]

CASES = [
    ("SI_ENHEDSPRIS (eget prisår)", lambda: xl.SI_ENHEDSPRIS("kontanthjaelp_30plus_ikke_forsoerger_uge", None, "kommune"), 20),
    ("SI_ENHEDSPRIS (omregnet til 2023)", lambda: xl.SI_ENHEDSPRIS("faengsel_lukket_dag", 2023.0, "stat"), 20),
    ("SI_NUTIDSVAERDI (10 år, FM-skema)", lambda: xl.SI_NUTIDSVAERDI(TEN_YEARS), 50),
    ("SI_NUTIDSVAERDI (10 år, fast rente)", lambda: xl.SI_NUTIDSVAERDI(TEN_YEARS, 0.04), 50),
    ("SI_KOMMUNAL_UDGIFT (uge 1–60)", lambda: xl.SI_KOMMUNAL_UDGIFT(1000.0, 1.0, 60.0), None),
    ("SI_DISKONTERINGSFAKTOR (år 40)", lambda: xl.SI_DISKONTERINGSFAKTOR(40.0), None),
    ("SI_PRISINDEKS (2015→2023)", lambda: xl.SI_PRISINDEKS(2015.0, 2023.0), None),
    ("SI_REFUSIONSSATS (uge 30)", lambda: xl.SI_REFUSIONSSATS(30.0), None),
]


def per_call_us(fn, number: int = 20_000, repeat: int = 7) -> tuple[float, float]:
    fn()  # warm the caches (data files are read once per process)
    times = timeit.repeat(fn, number=number, repeat=repeat)
    per_call = [t / number * 1e6 for t in times]
    return statistics.median(per_call), min(per_call)


def main() -> int:
    print(f"Python {platform.python_version()} on {platform.machine()} ({platform.processor() or 'unknown cpu'})")
    print(f"{'function':40} {'median µs':>10} {'best µs':>10} {'target':>8}")
    for name, fn, target in CASES:
        median, best = per_call_us(fn)
        verdict = "" if target is None else (f"<{target}" + (" ok" if median < target else " MISSED"))
        print(f"{name:40} {median:10.2f} {best:10.2f} {verdict:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
