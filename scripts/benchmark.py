"""Benchmark: in-process time per call of the Excel functions (not a test).

Excel recalculates often, so the functions that sit in many cells must be
cheap.  Targets: SI_ENHEDSPRIS under 20 µs, SI_NUTIDSVAERDI on a 10-year row
under 50 µs.  Arguments are passed the way Excel passes them (floats, lists of
rows).  Run with ``make bench``.
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
import timeit
from pathlib import Path

import numpy as np
import yaml

import udfs.excel as xl
from udfs.core import engine
from udfs.core.case_model import parse_case
from udfs.core.uncertainty import drawn_drivers, monte_carlo

EXAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "cases" / "eksempel_ungeindsats.yaml"

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


def engine_benchmarks() -> None:
    """Issue targets: one full 10-year case (3 effects, 3 authorities) under 2 ms; 10,000 Monte Carlo
    draws under 0.5 s and at least 50× faster than a plain per-draw loop over the same engine."""
    case = parse_case(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    prepared = engine.prepare(case)
    drivers = engine.base_drivers(case)
    full, _ = per_call_us(lambda: engine.run(case), number=2_000)
    calc, _ = per_call_us(lambda: engine.calculate(prepared, drivers), number=2_000)
    print(f"\nBusiness case ({EXAMPLE.name}: {case.horisont} years, {len(case.effekter)} effects, 3 authorities)")
    print(f"  one case, prepare + calculate   {full / 1000:8.3f} ms   target < 2 ms {'ok' if full < 2000 else 'MISSED'}")
    print(f"  one case, calculate only        {calc / 1000:8.3f} ms")
    n = 10_000
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        monte_carlo(case, draws=n, seed=1)
        times.append(time.perf_counter() - t0)
    vectorised = statistics.median(times)
    rng = np.random.default_rng(1)
    draws = drawn_drivers(case, n, rng)
    t0 = time.perf_counter()
    for i in range(n):  # the same engine, one draw at a time
        one = engine.Drivers(**{f: (v[:, i : i + 1] if v.ndim == 2 else v[i : i + 1]) for f, v in vars(draws).items()})
        engine.calculate(prepared, one)
    loop = time.perf_counter() - t0
    print(f"  Monte Carlo {n:,} draws, vectorised {vectorised:8.3f} s    target < 0.5 s {'ok' if vectorised < 0.5 else 'MISSED'}")
    print(f"  the same draws, per-draw loop   {loop:8.3f} s")
    print(f"  ratio                           {loop / vectorised:8.0f} ×   target ≥ 50 × {'ok' if loop / vectorised >= 50 else 'MISSED'}")


MONTHLY = [-1_000_000.0] + [12_000.0] * 119  # 120 monthly periods: Excel's IRR fails from every workbook guess
MONTHLY_CONVERGING = [-1_000_000.0] + [0.0] * 11 + [150_000.0] * 108  # 120 periods: Excel's IRR converges from 0.1


def irr_benchmarks() -> None:
    """Issue targets: IRR of a 10-year flow ≤ 0.3 ms, of 120 periods ≤ 1 ms, SI_NOEGLETAL ≤ 2 ms; each
    against the earlier code (scripts/irr_before.py, and for SI_NOEGLETAL the earlier uncached path with
    the earlier IRR) in the same run."""
    import irr_before

    from udfs.core import businesscase as bc
    from udfs.core import settlement as stl
    from udfs.core.casefile import load_business_case

    def old_key_figures(path: str):
        """SI_NOEGLETAL before: the case run and its key figures computed on every call, IRR by the grid."""
        saved = bc.workbook_irr, bc.rates_line

        def old_irr(flow):
            try:
                return irr_before.irr(flow)
            except (ValueError, stl.SIError):
                return None

        bc.workbook_irr, bc.rates_line = old_irr, lambda flow, shown: ""
        try:
            figures = bc.key_figures(engine.run(load_business_case(path)))
            return [[k, "ikke defineret" if v is None else v] for k, v in figures.items()]
        finally:
            bc.workbook_irr, bc.rates_line = saved

    path = str(EXAMPLE)
    rows = [
        ("IRR, 10 år", lambda: irr_before.irr(TEN_YEARS[0]), lambda: stl.irr(TEN_YEARS[0]), 0.3, 200),
        ("IRR, 120 perioder (gæt 0,1 konvergerer)", lambda: irr_before.irr(MONTHLY_CONVERGING),
         lambda: stl.irr(MONTHLY_CONVERGING), 1.0, 50),
        ("IRR, 120 perioder (intet gæt konvergerer)", lambda: irr_before.irr(MONTHLY), lambda: stl.irr(MONTHLY), 1.0, 50),
        ("SI_NOEGLETAL (eksempel_ungeindsats)", lambda: old_key_figures(path), lambda: xl.SI_NOEGLETAL(path), 2.0, 50),
    ]
    print("\nInternal rate of return and key figures (ms per call, median of 7; old = before, new = now)")
    for name, old, new, target, number in rows:
        before, _ = per_call_us(old, number=number)
        now, _ = per_call_us(new, number=number * 10)
        verdict = "ok" if now / 1000 <= target else "MISSED"
        print(f"  {name:44} old {before / 1000:8.3f}   new {now / 1000:8.3f}   {before / now:7.0f} ×   target ≤ {target} ms {verdict}")
    same = [(stl.irr(f), irr_before.irr(f)) for f in (TEN_YEARS[0], MONTHLY, MONTHLY_CONVERGING)]
    print("  one-root flows, new − old rate:   " + ", ".join(f"{a - b:.1e}" for a, b in same))
    several = [-50.0, -100.0, 600.0, 300.0, -100.0]
    print(f"  issue 9 flow {several}: old {irr_before.irr(several):.7f}, new {stl.irr(several):.7f} (LibreOffice/Excel 1.8544178)")


def workbook_benchmarks() -> None:
    """Issue target: a workbook builds in under 1 s.  Also reports the LibreOffice check time."""
    import tempfile

    from workbooks import book
    from workbooks.cli import example_cases
    from workbooks.recalc import find_soffice

    cases = [("blank", book.blank_case())] + [(p.stem, parse_case_file(p)) for p in example_cases()]
    print("\nStandard workbook (build in memory, median of 5; LibreOffice recalculation + comparison, once)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, case in cases:
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                book.build_bytes(case)
                times.append(time.perf_counter() - t0)
            build = statistics.median(times)
            path = book.build(case, Path(tmp) / f"{name}.xlsx")
            if find_soffice():
                t0 = time.perf_counter()
                book.check(path)
                check = f"{time.perf_counter() - t0:6.2f} s"
            else:
                check = "LibreOffice mangler"
            print(f"  {name:28} build {build:6.3f} s   target < 1 s {'ok' if build < 1 else 'MISSED'}   check {check}")


def parse_case_file(path):
    from udfs.core.casefile import load_business_case

    return load_business_case(path)


def issue14() -> None:
    """Start-up, sibc check, Monte Carlo and build against today's code (scripts/bench_compare.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_compare import issue14_benchmarks

    issue14_benchmarks()


def main(argv: list[str] | None = None) -> int:
    """All benchmarks; ``--against REV`` adds every example's build, recalculation and size against commit REV
    in the same run (``--only-examples``: that alone)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="compare the examples with this commit (git archive)")
    parser.add_argument("--only-examples", action="store_true", help="only the examples against --against")
    args = parser.parse_args(argv)
    print(f"Python {platform.python_version()} on {platform.machine()} ({platform.processor() or 'unknown cpu'})")
    if args.against:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_compare import examples_against

        examples_against(args.against)
        if args.only_examples:
            return 0
    print(f"{'function':40} {'median µs':>10} {'best µs':>10} {'target':>8}")
    for name, fn, target in CASES:
        median, best = per_call_us(fn)
        verdict = "" if target is None else (f"<{target}" + (" ok" if median < target else " MISSED"))
        print(f"{name:40} {median:10.2f} {best:10.2f} {verdict:>8}")
    engine_benchmarks()
    irr_benchmarks()
    workbook_benchmarks()
    issue14()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
