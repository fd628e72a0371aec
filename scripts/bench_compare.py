"""Today's code against this tree, for the benchmarks of issue 14 ("fast where users wait").

"Today" is commit :data:`BASELINE`, unpacked with ``git archive`` into a temporary
folder and run with the same interpreter (``PYTHONPATH`` puts that folder first,
ahead of the editable install); "new" is this tree.  Each figure is measured in a
fresh process for both, so start-up and peak memory are the real ones.

:func:`issue14_benchmarks` prints every target of the issue except the IRR ones,
with today's figure, the new one and the ratio.  ``scripts/benchmark_server.py``
uses :func:`old_tree` and :func:`run_in` for the server's spill.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "78c5544"
"""The commit the issue measured ("today's code")."""
sys.path.insert(0, str(ROOT / "scripts"))

from bench_cases import large_case_data  # noqa: E402

EXAMPLE = ROOT / "workbooks" / "cases" / "eksempel_ungeindsats.yaml"

# A probe run in a fresh process of either tree: argv[1] says what to measure; prints JSON.
PROBE = r'''
import json, resource, subprocess, sys, time
what, args = sys.argv[1], sys.argv[2:]
out = {}
if what == "check":
    # count workbook loads, layout resolutions and LibreOffice starts while checking
    import openpyxl, openpyxl.reader.excel as rx
    counts = {"loads": 0, "resolves": 0, "libreoffice": 0}
    original_load = rx.load_workbook
    def load(*a, **k):
        counts["loads"] += 1
        return original_load(*a, **k)
    rx.load_workbook = openpyxl.load_workbook = load
    import workbooks.layout as layout
    original_resolve = layout.resolve
    def resolve(*a, **k):
        counts["resolves"] += 1
        return original_resolve(*a, **k)
    layout.resolve = resolve
    original_run = subprocess.run
    def run(cmd, *a, **k):
        counts["libreoffice"] += "soffice" in str(cmd[0]) or "libreoffice" in str(cmd[0])
        return original_run(cmd, *a, **k)
    subprocess.run = run
    from workbooks import book
    t = time.perf_counter()
    results = [book.check(p) for p in args]
    out["seconds"] = time.perf_counter() - t
    out["agree"] = all(not r[1] and all(k.ok for k in r[3]) for r in results)
    out |= {k: v / len(args) for k, v in counts.items()}
elif what == "build":
    from udfs.core.casefile import load_business_case
    from workbooks import book
    case = load_business_case(args[0])
    times = []
    for _ in range(int(args[1])):
        t = time.perf_counter()
        book.build_bytes(case)
        times.append(time.perf_counter() - t)
    out["seconds"] = sorted(times)[len(times) // 2]
elif what == "montecarlo":
    import numpy as np
    from udfs.core.casefile import load_business_case
    from udfs.core.uncertainty import monte_carlo
    case = load_business_case(args[0])
    t = time.perf_counter()
    mc = monte_carlo(case, draws=int(args[1]), seed=1)
    out["seconds"] = time.perf_counter() - t
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if len(args) > 2:
        np.save(args[2], mc.payer_pv)
print("PROBE " + json.dumps(out))
'''


@contextlib.contextmanager
def old_tree(rev: str = BASELINE) -> Iterator[Path | None]:
    """The code of commit ``rev`` (default today's, :data:`BASELINE`) unpacked in a temporary folder, or
    ``None`` when this is not a git checkout (then only the new figures are shown)."""
    with tempfile.TemporaryDirectory(prefix="sibc-baseline-") as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True)
        if archive.returncode != 0:
            yield None
            return
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        yield Path(tmp)


def run_in(tree: Path, argv: list[str], timeout: float = 900) -> tuple[float, str]:
    """Run ``python argv...`` with ``tree`` first on the path; (wall seconds, stdout)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "XLWINGS_LICENSE_KEY": os.environ.get("XLWINGS_LICENSE_KEY") or "noncommercial"}
    t = time.perf_counter()
    done = subprocess.run([sys.executable, *argv], cwd=tree, env=env, capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise RuntimeError(f"{argv} in {tree} failed:\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def probe(tree: Path, probe_file: Path, *args: str) -> dict:
    _, out = run_in(tree, [str(probe_file), *args])
    return json.loads(next(line for line in out.splitlines() if line.startswith("PROBE "))[6:])


def command_seconds(tree: Path, argv: list[str], repeat: int) -> float:
    """Median wall time of ``sibc argv`` (start-up included) over ``repeat`` runs."""
    code = "import sys; from workbooks.cli import main; sys.exit(main(sys.argv[1:]))"
    return statistics.median(run_in(tree, ["-c", code, *argv])[0] for _ in range(repeat))


def build_in(tree: Path, case: Path, out: Path) -> Path:
    """``sibc build case -o out`` with the code in ``tree``: each side checks a workbook of its own
    template version (a newer template is refused by older code, as it should be)."""
    code = "import sys; from workbooks.cli import main; sys.exit(main(sys.argv[1:]))"
    out.parent.mkdir(parents=True, exist_ok=True)
    run_in(tree, ["-c", code, "build", str(case), "-o", str(out)])
    return out


def row(label: str, old: float | None, new: float, unit: str, target: float | None = None, note: str = "") -> None:
    """One line: today's figure, the new one, the ratio and the target's verdict."""
    shown_old = "—" if old is None else f"{old:9.3f} {unit}"
    ratio = "" if old is None or new == 0 else f"{old / new:6.1f} ×"
    verdict = "" if target is None else f"≤ {target:g} {unit} {'ok' if new <= target else 'MISSED'}"
    print(f"  {label:44} {shown_old:>14} {new:9.3f} {unit:2} {ratio:>8}   {verdict:16} {note}")


def issue14_benchmarks() -> None:
    """Every target of issue 14 except the IRR ones: today's figure, the new one, the ratio."""
    from udfs.core.casefile import load_business_case
    from workbooks import book

    with old_tree() as old, tempfile.TemporaryDirectory(prefix="sibc-bench14-") as tmp:
        tmp = Path(tmp)
        print(f"\nIssue 14: fast where users wait (today = commit {BASELINE}"
              f"{', run from a git archive' if old else ': not a git checkout, not measured'}; new = this tree)")  # fmt: skip
        print(f"  {'':44} {'today':>14} {'new':>12} {'ratio':>8}   target")
        probe_file = tmp / "probe.py"
        probe_file.write_text(PROBE, encoding="utf-8")
        large = tmp / "stor_30x30.yaml"
        large.write_text(yaml.safe_dump(large_case_data(30, 30), allow_unicode=True), encoding="utf-8")
        workbooks, old_workbooks = {}, {}
        for name, path in (("normal", EXAMPLE), ("30x30", large)):
            (tmp / name).mkdir()
            workbooks[name] = book.build(load_business_case(path), tmp / name / f"{path.stem}.xlsx")
            if old:
                old_workbooks[name] = build_in(old, path, tmp / "old" / name / f"{path.stem}.xlsx")

        # sibc check: the whole command, then what it did inside
        for name, target, repeat in (("normal", 3.0, 3), ("30x30", 8.0, 1)):
            argv = ["check", str(workbooks[name])]
            new = command_seconds(ROOT, argv, repeat)
            before = command_seconds(old, ["check", str(old_workbooks[name])], repeat) if old else None
            row(f"sibc check, {name} workbook (wall, median of {repeat})", before, new, "s", target)
        from workbooks.recalc import recalculate

        t = time.perf_counter()
        recalculate(workbooks["normal"], tmp / "lo")
        row("  of which LibreOffice's own run (normal)", None, time.perf_counter() - t, "s", None, "(the floor: start, load, recalculate, save)")
        inside_new = probe(ROOT, probe_file, "check", str(workbooks["normal"]))
        inside_old = probe(old, probe_file, "check", str(old_workbooks["normal"])) if old else None
        for key, label in (("loads", "workbook loads per check"), ("resolves", "layout resolutions per check"),
                           ("libreoffice", "LibreOffice starts per workbook")):  # fmt: skip
            row(f"  {label}", inside_old and inside_old[key], inside_new[key], "")
        # the examples both sides have (today's code has no eksempel_alle_myndigheder)
        others = [p for p in sorted(EXAMPLE.parent.glob("*.yaml")) if p != EXAMPLE and (not old or (old / "workbooks" / "cases" / p.name).exists())]
        several = [workbooks["normal"]] + [book.build(load_business_case(p), tmp / f"{p.stem}.xlsx") for p in others]
        new = command_seconds(ROOT, ["check", *map(str, several)], 1)
        before = (command_seconds(old, ["check", str(old_workbooks["normal"])], 1)
                  + sum(command_seconds(old, ["check", str(build_in(old, p, tmp / "old" / "several" / f"{p.stem}.xlsx"))], 1) for p in others)
                  if old else None)  # fmt: skip
        row(f"sibc check of {len(several)} workbooks (today: one command each)", before, new, "s")

        # Monte Carlo
        draws_old = 100_000
        new_large = probe(ROOT, probe_file, "montecarlo", str(large), "1000000")
        old_large = probe(old, probe_file, "montecarlo", str(large), str(draws_old)) if old else None
        scale = 1_000_000 / draws_old
        row("Monte Carlo 30×30, 10⁶ draws (time)", old_large and old_large["seconds"] * scale, new_large["seconds"], "s", 10.0,
            f"(today: {draws_old:,} draws × {scale:g})" if old else "")  # fmt: skip
        row("Monte Carlo 30×30, 10⁶ draws (peak memory)", old_large and old_large["peak_mb"], new_large["peak_mb"], "MB", 500.0,
            "(whole process; per chunk, so the same at 10⁵)" if old else "")  # fmt: skip
        new_ex = probe(ROOT, probe_file, "montecarlo", str(EXAMPLE), "1000000", str(tmp / "new.npy"))
        old_ex = probe(old, probe_file, "montecarlo", str(EXAMPLE), "1000000", str(tmp / "old.npy")) if old else None
        row("Monte Carlo example case, 10⁶ draws", old_ex and old_ex["seconds"], new_ex["seconds"], "s", 0.5)
        if old:
            import numpy as np

            a, b = np.load(tmp / "old.npy"), np.load(tmp / "new.npy")
            print(f"  {'  same seed, same draws: largest difference':44} {np.max(np.abs(a - b)):.2e} kr. of up to {np.max(np.abs(a)):.2e} kr.")

        # build and start-up
        new = probe(ROOT, probe_file, "build", str(large), "3")["seconds"]
        before = probe(old, probe_file, "build", str(large), "3")["seconds"] if old else None
        row("build of a 30×30 workbook (median of 3)", before, new, "s", 2.0)
        argv = ["calc", str(EXAMPLE)]
        new = command_seconds(ROOT, argv, 5)
        before = command_seconds(old, argv, 5) if old else None
        row("sibc calc of the example (wall, median of 5)", before, new, "s", 0.6)
        code = "import time; t = time.perf_counter(); import workbooks.cli; print(time.perf_counter() - t)"
        new = statistics.median(float(run_in(ROOT, ["-c", code])[1]) for _ in range(5))
        before = statistics.median(float(run_in(old, ["-c", code])[1]) for _ in range(5)) if old else None
        row("  of which import workbooks.cli (median of 5)", before, new, "s")


def workbook_size(path: Path) -> tuple[float, int, int]:
    """(unpacked size in MB, columns of the hidden break-even sheet, points of its evaluation grid: the cells of
    its row »Nutidsværdi netto betaler«) of a built workbook."""
    import zipfile

    import openpyxl

    with zipfile.ZipFile(path) as z:
        unpacked = sum(i.file_size for i in z.infolist()) / 1e6
    wb = openpyxl.load_workbook(path, read_only=True)
    sheet = next((name for name in wb.sheetnames if name.startswith("Beregning_")), None)
    if sheet is None:
        return unpacked, 0, 0
    rows = wb[sheet].iter_rows(values_only=True)
    grid = next((sum(v is not None for v in r[1:]) for r in rows if r and r[0] == "Nutidsværdi netto betaler"), 0)
    return unpacked, wb[sheet].max_column, grid


def examples_against(rev: str, repeat: int = 3) -> None:
    """Every example (and the blank case): build time (median of ``repeat``, in a fresh process), the
    LibreOffice recalculation and comparison (``book.check``, once), the unpacked size and the break-even
    sheet's columns, for commit ``rev`` and this tree in the same run, with the ratio old / new."""
    from workbooks.cli import example_cases

    with old_tree(rev) as old, tempfile.TemporaryDirectory(prefix="sibc-examples-") as tmp:
        tmp = Path(tmp)
        probe_file = tmp / "probe.py"
        probe_file.write_text(PROBE, encoding="utf-8")
        print(f"\nExamples against commit {rev}{' (git archive)' if old else ': not a git checkout, not measured'}; new = this tree")
        print(f"  {'':44} {'old':>14} {'new':>12} {'ratio':>8}")
        for case in example_cases():
            new_book = build_in(ROOT, case, tmp / "new" / f"{case.stem}.xlsx")
            old_book = build_in(old, case, tmp / "old" / f"{case.stem}.xlsx") if old else None
            new_build = probe(ROOT, probe_file, "build", str(case), str(repeat))["seconds"]
            old_build = probe(old, probe_file, "build", str(case), str(repeat))["seconds"] if old else None
            row(f"{case.stem}: build (median of {repeat})", old_build, new_build, "s")
            new_check = probe(ROOT, probe_file, "check", str(new_book))
            old_check = probe(old, probe_file, "check", str(old_book)) if old else None
            row(f"  recalculate + compare{'' if new_check['agree'] else ' (DIFFERENCES)'}", old_check and old_check["seconds"],
                new_check["seconds"], "s")  # fmt: skip
            (new_mb, new_cols, new_grid), (old_mb, old_cols, old_grid) = (workbook_size(new_book),
                                                                         workbook_size(old_book) if old else (None,) * 3)
            row("  unpacked size", old_mb, new_mb, "MB")
            row("  columns of the break-even sheet", old_cols, new_cols, "")
            row("  points of its evaluation grid", old_grid, new_grid, "")
