"""Benchmark of the register measurement (not a test): DuckDB against pandas, and a national-scale panel.

1. 100,000 persons × 104 weeks (wide Parquet, synthetic): the measurement run
   (read the file, map codes to groups, five measures per person, effects)
   against a straightforward pandas groupby-apply computing one of the five
   measures (weeks self-supported in weeks 1–52 after start) from a long
   person-week table already in memory.  Targets: under 2 s, at least 20×
   faster.
2. 1,000,000 persons × 260 weeks from Parquet: the same run in a fresh
   process, wall time and peak resident memory.  Targets: under 60 s, under
   4 GB.

Run: ``.venv/bin/python scripts/benchmark_measurement.py [--skip-large] [--baseline-persons N]``.
Panels are synthetic (udfs.core.measurement.synthetic), never real data.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from udfs.core.measurement import report  # noqa: E402
from udfs.core.measurement.synthetic import CODES, generate  # noqa: E402

MEASURES = [
    {"id": "uger_selv", "navn": "Uger selvforsørget", "type": "uger", "gruppe": "selvforsoerget", "fra": 1, "til": 52},
    {"id": "fuldtid_syg", "navn": "Fuldtid sundhed", "type": "fuldtid", "gruppe": "sundhed", "fra": 1, "til": 52},
    {"id": "status_26", "navn": "Status uge 26", "type": "status", "gruppe": "selvforsoerget", "uge": 26},
    {"id": "overgang_13", "navn": "Overgang 13 uger", "type": "overgang", "gruppe": "selvforsoerget", "fra": 1, "til": 13},
    {"id": "varig", "navn": "12 af 13 uger", "type": "varig", "gruppe": "selvforsoerget", "fra": 1, "til": 52, "k": 12, "m": 13},
]


def write_panel(folder: Path, persons: int, weeks: int, seed: int) -> Path:
    """A synthetic trial (half intervention, half control) written as wide Parquet, and its measurement file."""
    s = generate(persons // 2, persons - persons // 2, weeks=weeks, start_weeks=(20, weeks - 53), seed=seed)
    s.write(folder)
    spec = {"navn": f"benchmark {persons} × {weeks}", "panel": {"fil": "panel.parquet"}, "kohorte": {"fil": "kohorte.csv"},
            "maal": MEASURES}
    path = folder / "maaling.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def run_file(spec_path: Path, memory_limit: str | None = None) -> float:
    """Seconds for one full measurement run of a measurement file."""
    t = time.perf_counter()
    spec, base = report.load_file(spec_path)
    report.run(spec, base, memory_limit=memory_limit)
    return time.perf_counter() - t


def pandas_baseline(persons: int, weeks: int, seed: int) -> tuple[float, int]:
    """Seconds for a straightforward pandas groupby-apply of weeks self-supported in weeks 1–52 after start."""
    s = generate(persons // 2, persons - persons // 2, weeks=weeks, start_weeks=(20, weeks - 53), seed=seed)
    codes = np.array([CODES[k] for k in range(4)], dtype=object)[s.observed]
    long = pd.DataFrame({
        "pnr": np.repeat(s.ids, weeks),
        "uge": np.tile(np.arange(weeks) + s.first_week, persons),
        "kode": codes.ravel(),
    })
    start = pd.Series(s.start, index=s.ids)
    self_codes = {None, "881", "651", "652", "661", "121"}

    def weeks_self(group: pd.DataFrame) -> int:
        s0 = start[group.name]
        window = group[(group["uge"] >= s0 + 1) & (group["uge"] <= s0 + 52)]
        return int(window["kode"].map(lambda c: c in self_codes).sum())

    t = time.perf_counter()
    result = long.groupby("pnr").apply(weeks_self, include_groups=False)
    return time.perf_counter() - t, int(result.sum())


def child(spec: str, memory_limit: str) -> None:
    """Run one measurement in this (fresh) process and print seconds and peak RSS."""
    seconds = run_file(Path(spec), memory_limit)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{seconds:.2f} {peak_kb}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-large", action="store_true", help="only the 100,000-person part")
    parser.add_argument("--baseline-persons", type=int, default=100_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--memory-limit", default="2GB")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.memory_limit)
        return
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}")
    with tempfile.TemporaryDirectory(prefix="sibc-bench-") as tmp:
        folder = Path(tmp) / "small"
        spec = write_panel(folder, 100_000, 104, seed=1)
        run_file(spec)  # warm-up (imports, first DuckDB connection)
        times = [run_file(spec) for _ in range(3)]
        best = min(times)
        print(f"100,000 × 104, five measures from Parquet: best {best:.2f} s of {', '.join(f'{t:.2f}' for t in times)} (target < 2 s)")
        con_time = min(run_one_measure(spec) for _ in range(3))
        print(f"  the one measure alone from Parquet: {con_time:.2f} s")
        base_seconds, total = pandas_baseline(args.baseline_persons, 104, seed=1)
        scale = 100_000 / args.baseline_persons
        print(f"pandas groupby-apply, one measure, {args.baseline_persons:,} persons in memory: {base_seconds:.1f} s"
              + (f" (× {scale:g} = {base_seconds * scale:.1f} s for 100,000)" if scale != 1 else ""))
        print(f"  speed-up, five measures from file vs one measure in pandas: {base_seconds * scale / best:.0f}× (target ≥ 20×); "
              f"one measure vs one measure: {base_seconds * scale / con_time:.0f}×")
        if args.skip_large:
            return
        folder = Path(tmp) / "large"
        t = time.perf_counter()
        spec = write_panel(folder, 1_000_000, 260, seed=2)
        size = (folder / "panel.parquet").stat().st_size / 1e6
        print(f"1,000,000 × 260 synthetic panel written in {time.perf_counter() - t:.0f} s ({size:.0f} MB Parquet)")
        out = subprocess.run([sys.executable, __file__, "--child", str(spec), "--memory-limit", args.memory_limit],
                             capture_output=True, text=True, check=True).stdout.split()
        seconds, peak_kb = float(out[0]), int(out[1])
        print(f"1,000,000 × 260, five measures from Parquet: {seconds:.1f} s (target < 60 s), "
              f"peak memory {peak_kb / 1024 / 1024:.2f} GB (target < 4 GB; DuckDB memory_limit {args.memory_limit})")


def run_one_measure(spec_path: Path) -> float:
    """Seconds for the run with only the measure the pandas baseline computes."""
    spec, base = report.load_file(spec_path)
    one = spec.model_copy(update={"maal": [spec.maal[0]]})
    t = time.perf_counter()
    report.run(one, base)
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
