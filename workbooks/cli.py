"""The ``sibc`` command line: catalogue, calculate a case, sensitivity, Monte Carlo, demo.

User-facing output is Danish; errors are printed as one line without a
traceback and give exit code 2.

Start-up is part of every command's time, so heavy modules are imported only
by the commands that need them: pandas by ``catalogue``, openpyxl (through
:mod:`workbooks.book`) by the workbook commands.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import errno
import io
import json
import math
import os
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from udfs.core import catalogue as cat
from udfs.core.businesscase import break_even_figures, break_evens, key_figures, yearly_table
from udfs.core.cases import PublishedCase, reproduction, settle_case
from udfs.core.casefile import case_from_data, read_data
from udfs.core.case_model import Case, parse_case
from udfs.core.data import manifest
from udfs.core.engine import check_price_years, price_note, run
from udfs.core.indices import extension_note, index_value, resolve
from udfs.core.errors import SIError, count, excerpt
from udfs.core.rounding import excel_value
from udfs.core.limits import MAX_DRAWS
from udfs.core.lineitems import ITEMS
from udfs.core.vocabulary import UNDEFINED
from udfs.core.uncertainty import monte_carlo, scenarios, switching_values, tornado

from .case_model_io import write_case_file
from .recalc import find_soffice, recalculating
from .safe_write import check_target, write_file

if TYPE_CHECKING:
    import pandas as pd

EXAMPLES = Path(__file__).resolve().parent / "cases"
PERCENT_LABELS = ("Afkast", "IRR", "succesrate", "Sandsynlighed")


def example_cases() -> list[Path]:
    """The example case files shipped with the package, in name order."""
    return sorted(EXAMPLES.glob("*.yaml"))


# --------------------------------------------------------------------------- formatting


def money(x) -> str:
    """Danish number format with two decimals: 1.234.567,89 (text passes through)."""
    if isinstance(x, str):
        return x
    return f"{x:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def figure(label: str, value) -> str:
    """A key figure for display: per cent for shares, whole years, kr. otherwise."""
    if value is None:
        return UNDEFINED
    if isinstance(value, str):
        return value
    if any(word in label for word in PERCENT_LABELS):
        return f"{value * 100:.1f} %".replace(".", ",")
    if "antal år" in label or "kalenderår" in label or "Antal" in label:
        return f"{value:.0f}"
    if "ratio" in label or "multiplikator" in label:
        return f"{value:.2f}".replace(".", ",")
    return money(value)


SHOWN = {
    "share": lambda v: f"{v * 100:.1f} %".replace(".", ","), "years": lambda v: f"{v:.0f}", "year": lambda v: f"{v:.0f}",
    "ratio": lambda v: f"{v:.2f}".replace(".", ","), "kr": money, "text": str,
}  # fmt: skip
"""How each unit of a key figure (:class:`udfs.core.lineitems.LineItem`) is shown."""


def figure_text(name: str, value) -> str:
    """Key figure ``name`` for display, by its unit (:data:`~udfs.core.vocabulary.UNDEFINED` where it does not exist)."""
    if value is None:
        return ITEMS[name].missing
    return value if isinstance(value, str) else SHOWN[ITEMS[name].unit](value)


def print_figures(figures: dict, indent: str = "  ") -> None:
    """Key figures keyed by name, one per line: Danish label and value."""
    width = max(len(ITEMS[name].label) for name in figures)
    for name, value in figures.items():
        print(f"{indent}{ITEMS[name].label:{width}}  {figure_text(name, value)}")


def finite(value, field: str):
    """``value`` itself, checked: every number in it (nested lists and tables too) is finite.

    A result that is infinite or undefined is refused with an :class:`SIError`
    naming the result's field, never printed as ``inf``/``nan`` or written as
    ``Infinity``/``NaN`` (which JSON does not allow).
    """
    stack = [(value, field)]
    while stack:
        v, where = stack.pop()
        if isinstance(v, dict):
            stack.extend((item, f"{where}.{k}") for k, item in v.items())
        elif isinstance(v, (list, tuple)):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(v))
        elif isinstance(v, (float, int)) and not isinstance(v, bool) and not math.isfinite(v):
            raise SIError(where, "resultatet er ikke et endeligt tal (uendeligt eller udefineret); kontrollér casens beløb og andele")
    return value


def as_json(value, field: str) -> str:
    """Finite results as JSON text (Danish letters kept)."""
    return json.dumps(finite(value, field), ensure_ascii=False, indent=2, allow_nan=False)


def print_pairs(pairs, indent: str = "  ") -> None:
    width = max(len(label) for label, _ in pairs)
    for label, value in pairs:
        print(f"{indent}{label:{width}}  {figure(label, value)}")


# --------------------------------------------------------------------------- catalogue


def rate_option(text: str) -> float:
    """An annual rate from the command line: a share with decimal comma or point (``0,02`` or ``0.02``)."""
    try:
        return float(text.strip().replace(",", "."))  # its range is checked where it is used (check_rate)
    except ValueError:
        raise argparse.ArgumentTypeError(f"skal være en årlig andel som 0,02, ikke '{text}'") from None


def catalogue_frame(text: str | None = None, price_year: int | None = None, rate: float | None = None,
                    index: str | None = None) -> tuple[pd.DataFrame, str]:  # fmt: skip
    """The catalogue as a table (one row per unit cost), optionally uprated, and a note.

    A price year the index cannot reach is an error (one line, exit code 2).
    Rows whose own price year lies outside the index are left out of the
    table and named once in the note, never shown as text in every cell.
    """
    import pandas as pd

    if price_year is not None:
        try:
            index_value(price_year, index, rate, "prisaar")
        except SIError as err:
            if err.argument != "prisaar":
                raise
            name, table = resolve(index)
            raise SIError("--prisaar", f"{price_year} ligger uden for indekset {name} ({min(table)}–{max(table)}); "
                                       "angiv --fremskrivning (årlig stigning, fx 0,02) eller et andet --indeks") from None  # fmt: skip
    rows = cat.catalogue_table(text, price_year, beyond_rate=rate, index=index)
    left_out = [r for r in rows if r["offentlig"] == cat.OUTSIDE_INDEX]
    kept = [r for r in rows if r["offentlig"] != cat.OUTSIDE_INDEX]
    notes = []
    if left_out:
        name, table = resolve(index)
        notes.append(f"{count(len(left_out), 'enhedspris', 'enhedspriser')} er udeladt, fordi deres prisår ligger uden for indekset {name} "
                     f"({min(table)}–{max(table)}): {', '.join(r['id'] for r in left_out)}. "
                     "Angiv --fremskrivning (fx 0,02) for at få dem med.")  # fmt: skip
    if price_year is not None and rate is not None:
        years = {price_year} | {cat.lookup(r["id"]).prisaar for r in kept}
        notes.append(extension_note(years, index, rate))
    if not kept:
        raise SIError("--prisaar", notes[0])
    frame = pd.DataFrame(kept).drop(columns=["kilde"])
    return frame, " ".join(n for n in notes if n)


def print_catalogue(text: str | None, price_year: int | None, rate: float | None = None, index: str | None = None) -> None:
    frame, note = catalogue_frame(text, price_year, rate, index)
    formatters = {c: money for c in ("offentlig", "kommune", "region", "stat")}
    print(frame.to_string(index=False, formatters=formatters))
    print(f"\n{len(frame)} enhedspriser · katalogversion {manifest()['version']}")
    if note:
        print(note)


def cmd_catalogue(args: argparse.Namespace) -> None:
    print_catalogue(args.filter, args.prisaar, args.fremskrivning, args.indeks)


# --------------------------------------------------------------------------- a case


def load(path: str, rate: float | None = None) -> tuple[Case, PublishedCase | None]:
    """A case file; ``rate`` (from ``--fremskrivning``) replaces the case's own ``fremskrivning``."""
    case, published = case_from_data(read_data(path))
    if rate is not None:
        case = parse_case({**case.model_dump(), "fremskrivning": rate})
    return case, published


def text_table(rows: list[list[str]]) -> str:
    """Rows of texts as aligned columns: the first left-aligned, the others right-aligned."""
    widths = [max(len(row[j]) for row in rows) for j in range(len(rows[0]))]
    return "\n".join(
        "  ".join([row[0].ljust(widths[0])] + [v.rjust(w) for v, w in zip(row[1:], widths[1:])]) for row in rows
    )


def print_table(table: list[list]) -> None:
    """The year-by-year table transposed: one line per line item, one column per year."""
    header, *rows = table
    lines = [[str(h)] + [str(r[0]) for r in rows] for h in header]
    for j, label in enumerate(header[1:], start=1):
        values = [r[j] for r in rows]
        if label == "Kalenderår":
            lines[j][1:] = [v if v == "" else f"{int(v)}" for v in values]
        elif label == "Diskonteringsfaktor":
            lines[j][1:] = [f"{v:.4f}".replace(".", ",") for v in values]
        else:
            lines[j][1:] = [money(v) for v in values]
    print(text_table(lines))


def print_reproduction(published: PublishedCase) -> bool:
    """Published next to computed figures (mio. kr.); True when all agree."""
    print("\n  Offentliggjort mod beregnet (mio. kr., 1 decimal):")
    ok = True
    for label, pub, computed in reproduction(published):
        match = pub is None or pub == computed
        ok &= match
        shown = "—" if pub is None else f"{pub:.1f}".replace(".", ",")
        print(f"  {'✓' if match else '✗'} {label:60} {shown:>6} {f'{computed:.1f}'.replace('.', ','):>6}")
    return ok


def print_case(path: Path, rate: float | None = None) -> bool | None:
    """Print a case's year-by-year table and key figures; returns whether every published figure is
    reproduced, None for a case without published figures (an illustrative example)."""
    case, published = load(str(path), rate)
    result = run(case)
    finite(yearly_table(result), "år-for-år")
    finite(key_figures(result), "nøgletal")
    print(f"== {case.navn} ({path.name}) ==\n")
    if price_note(case):
        print(price_note(case) + "\n")
    print_table(yearly_table(result))
    print()
    print_figures(key_figures(result))
    if published is None:
        return None
    print("\n  Afregning ved fuld succes:")
    print_pairs(settle_case(published).rows())
    return print_reproduction(published)


def case_json(path: Path, rate: float | None = None) -> dict:
    case, published = load(str(path), rate)
    result = run(case)
    header, *rows = yearly_table(result)
    out = {"navn": case.navn, "aar_for_aar": [dict(zip(header, r)) for r in rows], "noegletal": key_figures(result)}
    if price_note(case):
        out["prisnote"] = price_note(case)
    if published is not None:
        out["afregning"] = dict(settle_case(published).rows())
        out["offentliggjort_mod_beregnet_mio_kr"] = [
            {"post": label, "offentliggjort": pub, "beregnet": calc} for label, pub, calc in reproduction(published)
        ]
    return out


def csv_number(value: float) -> str:
    """A float as the CSV writes it: 15 significant digits, no exponent, decimal comma (``132302,88``)."""
    return format(excel_value(value).normalize(), "f").replace(".", ",")


def write_csv(table: list[list], target: Path, overwrite: bool) -> None:
    """The year-by-year table as CSV (semicolon, decimal comma, as Danish Excel reads it).

    Numbers are written at 15 significant digits, the number Excel stores and
    shows (:func:`udfs.core.rounding.excel_value`): 132302.87999999998 is
    written 132302,88, without float noise and without rounding away a
    discount factor's decimals.
    """
    check_target(target, overwrite, "csv", (".csv",))
    text = io.StringIO(newline="")
    w = csv.writer(text, delimiter=";")
    for row in table:
        w.writerow([csv_number(finite(v, "csv")) if isinstance(v, float) else v for v in row])
    write_file(target, text.getvalue().encode("utf-8-sig"), overwrite=overwrite, argument="csv", suffixes=(".csv",))


def cmd_calc(args: argparse.Namespace) -> None:
    path = Path(args.case)
    if args.csv:
        write_csv(yearly_table(run(load(str(path), args.fremskrivning)[0])), Path(args.csv), args.overwrite)
    if args.json:
        print(as_json(case_json(path, args.fremskrivning), "resultat"))
    elif not args.csv and print_case(path, args.fremskrivning) is False:
        raise SIError("case", "de offentliggjorte tal genskabes ikke")


def cmd_sensitivity(args: argparse.Namespace) -> None:
    case, _ = load(args.case)
    scen, bars, switching = scenarios(case), tornado(case, args.aendring), switching_values(case)
    even = break_even_figures(break_evens(case))
    finite({"scenarier": scen, "tornado": [dataclasses.asdict(b) for b in bars],
            "skifteværdier": switching, "break_even": even}, "følsomhed")  # fmt: skip
    print(f"== Følsomhed: {case.navn} ==\n\n  Scenarier (nutidsværdi, kr.):")
    for name, pv in scen.items():
        print(f"  {name:10} betaler {money(pv['betaler']):>18}   offentlig {money(pv['offentlig']):>18}")
    print(f"\n  Tornado: hver driver ±{args.aendring * 100:g} % (betalerens nutidsværdi, største udsving først):")
    for bar in bars:
        print(f"  {bar.driver:38} {money(bar.pv_low):>16} {money(bar.pv_high):>16}   udsving {money(bar.swing):>15}")
    print("\n  Skifteværdier (driverens værdi, hvor betalerens nutidsværdi er 0):")
    for name, value in switching.items():
        print(f"  {name:38} {'ingen i intervallet' if value is None else f'{value:.4f}'.replace('.', ',')}")
    print()
    for name, value in even.items():
        print(f"  {ITEMS[name].label}: {figure_text(name, value)}")


def progress_bar(done: int, total: int, started: list[float]) -> None:
    """A one-line progress bar on stderr, shown once the run has taken a second."""
    if time.perf_counter() - started[0] < 1.0 and done < total:
        return
    width = 30
    filled = int(width * done / total)
    sys.stderr.write(f"\rMonte Carlo [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} træk".replace(",", "."))
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def cmd_montecarlo(args: argparse.Namespace) -> None:
    case, _ = load(args.case)
    started = [time.perf_counter()]
    result = monte_carlo(case, args.traek, args.seed, chunk=20_000, progress=lambda d, t: progress_bar(d, t, started))
    summary = finite(result.summary(), "resultat")
    if args.json:
        print(as_json(summary, "resultat"))
        return
    print(f"== Monte Carlo: {case.navn} ==\n")
    print_pairs(list(summary.items()))


# --------------------------------------------------------------------------- measurement


def cmd_maal(args: argparse.Namespace) -> None:
    from udfs.core.measurement import report as measurement

    from . import measurement_sheet

    if args.lav_eksempel:
        from udfs.core.measurement.synthetic import example_files

        folder = Path(args.maalefil)
        files = example_files(EXAMPLES / "sygedagpenge.yaml")
        folder.mkdir(parents=True, exist_ok=True)
        for name in files:  # refuse before anything is written
            check_target(folder / name, args.overwrite, "maalefil", (Path(name).suffix.lower(),))
        for name, data in files.items():
            print(f"Skrev {write_file(folder / name, data, overwrite=args.overwrite, argument='maalefil')}")
        return
    spec, base = measurement.load_file(args.maalefil)
    if not args.json:
        print(f"Måler {spec.navn} …", file=sys.stderr)
    result = measurement.run(spec, base, progress=not args.json and sys.stderr.isatty(), memory_limit=args.hukommelse)
    if args.output:
        path = measurement_sheet.write(result, args.output, args.overwrite)
        if not args.json:
            print(f"Skrev {path}", file=sys.stderr)
    if args.json:
        print(as_json(result.to_dict(), "maaling"))
        return
    print_measurement(result)


def shown(value, digits: int = 3) -> str:
    """A figure for the measurement report: '< 5' when suppressed, Danish decimals otherwise."""
    from udfs.core.measurement.privacy import SUPPRESSED_TEXT

    if value is None:
        return SUPPRESSED_TEXT
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return f"{value:.{digits}f}".replace(".", ",")


def print_columns(rows: list[list[str]]) -> None:
    """Rows of texts in aligned columns (first column left, the rest right)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))


def print_measurement(result) -> None:
    """The measurement report on the terminal (aggregates only)."""
    print(f"== Måling: {result.name} ==\n")
    print(f"  Kodegruppering: {result.grouping.name} ({result.grouping.source})")
    print(f"  Panel: {result.panel_span}; sammenligning: {result.method}; niveau {shown(result.level, 2)}")
    print("  Antal personer: " + ", ".join(f"{arm} {shown(n)}" for arm, n in result.counts.items()))
    if result.method == "matchning":
        print(f"  Matchede par: {shown(result.matched)}; uden match: {shown(result.unmatched)}")
    print("\nMål:")
    for r in result.measures:
        m = r.measure
        print(f"  {m.id} (version {m.version}): {m.describe()}")
    print("\nEffekt (indsats − sammenligning):")
    header = ["mål", "n indsats", "n sml.", "indsats", "sml.", "effekt", "nedre", "øvre", "MDE"]
    rows = []
    for r in result.measures:
        e = r.estimate
        rows.append([r.measure.id, shown(r.treated["n"]), shown(r.comparison["n"]), shown(r.treated["gennemsnit"]),
                     shown(r.comparison["gennemsnit"]), shown(None if e is None else e.effect),
                     shown(None if e is None else e.lower), shown(None if e is None else e.upper), shown(r.mde)])
    print_columns([header] + rows)
    if result.balance:
        print("\nBalance (standardiserede forskelle, |d| < 0,1 = balance):")
        print_columns([["variabel", "indsats", "pulje", "d før", "matchet", "d efter"]] +
                    [[b.name, shown(b.treated_mean), shown(b.pool_mean), shown(b.smd_before), shown(b.matched_mean),
                      shown(b.smd_after)] for b in result.balance])
    if result.metrics:
        print("\nResultatmål:")
        for metric_id, name, year, measure_id, value in result.metrics:
            print(f"  {metric_id} (år {year}, målt som {measure_id}): {shown(value)}")
        print("\nBetalinger pr. år: " + "; ".join(f"år {y}: {money(v)}" for y, v in enumerate(result.payments)))
    if result.settlement is not None:
        print("\nAfregning:")
        print_pairs(result.settlement.rows())
    for note in result.notes:
        print(f"\n{note}")


# --------------------------------------------------------------------------- workbooks


def cmd_build(args: argparse.Namespace) -> None:
    from . import book

    case = book.blank_case() if args.case == "blank" else load(args.case)[0]
    if args.fremskrivning is not None:
        case = parse_case({**case.model_dump(), "fremskrivning": args.fremskrivning})
    path = book.build(case, args.output, overwrite=args.overwrite, server_names=args.server_names)
    print(f"Skrev {path}")
    try:  # the workbook shows the price message in its cells; say it here too
        check_price_years(case, book.WORKBOOK_PRICE_HINT)
    except SIError as err:
        print(f"Advarsel: {err.message}")


def built_examples(outdir: Path, overwrite: bool) -> list[tuple[str, Path]]:
    """Build the blank workbook and one per example case into ``outdir``."""
    from . import book

    outdir.mkdir(parents=True, exist_ok=True)
    cases = [("blank", book.blank_case())] + [(p.stem, load(str(p))[0]) for p in example_cases()]
    return [(name, book.build(case, outdir / f"{name}.xlsx", overwrite=overwrite)) for name, case in cases]


def cmd_build_examples(args: argparse.Namespace) -> None:
    for name, path in built_examples(Path(args.outdir), args.overwrite):
        print(f"Skrev {path}")


def cmd_extract(args: argparse.Namespace) -> None:
    from . import book

    case = book.extract(args.workbook)
    if args.output:
        write_case_file(case, Path(args.output), args.overwrite)
        print(f"Skrev {args.output}")
    else:
        print(book.case_yaml(case), end="")


def print_checks(paths: list[Path]) -> list[bool]:
    """Recalculate workbooks with LibreOffice (one run for all) and compare with the core.

    Prints each workbook's differences; returns for each workbook True when all agree.
    """
    from .archive import check_file

    started = time.perf_counter()
    for path in paths:  # a missing file or a zip bomb is refused before LibreOffice starts
        check_file(path)
    with recalculating(paths) as recalculated:  # LibreOffice starts first; Python reads and computes meanwhile
        from . import book

        opened = book.open_checked(paths)  # a foreign workbook is refused here, and LibreOffice stopped at once
        results = book.check_many(paths, recalculated, opened)
    seconds = time.perf_counter() - started
    agree = []
    for path, result in zip(paths, results, strict=True):
        if isinstance(result, SIError):  # the core cannot use this workbook's inputs: say which cells
            print(f"  {path.name}: ✗ kan ikke kontrolleres: {result.danish}")
            agree.append(False)
            continue
        case, differences, cells, kontrol = result
        failed = [k for k in kontrol if not k.ok]
        print(f"  {path.name}: {cells} resultatceller og {len(kontrol)} kontrolrækker sammenlignet")
        for d in differences:
            where = d.name if d.index is None else f"{d.name}[{d.index}]"
            print(f"    ✗ {where:34} regneark {d.workbook!s:>22}   Python {d.core!s:>22}")
        for k in failed:
            print(f"    ✗ Kontrol: {k.label:30} formel {k.plain!s:>20}   SI_ {k.si!s:>20}")
        if not differences and not failed:
            print("    ✓ ingen forskelle (tolerance 0,01 kr.)")
        agree.append(not differences and not failed)
    shown = f"{seconds:.1f}".replace(".", ",")
    print(f"  ({len(paths)} regneark genberegnet og sammenlignet på {shown} s)")
    return agree


def cmd_check(args: argparse.Namespace) -> None:
    if find_soffice() is None:
        raise SIError("libreoffice", "LibreOffice (soffice) er ikke installeret; installér libreoffice-calc-nogui")
    agree = print_checks([Path(w) for w in args.workbook])
    if not all(agree):
        raise SIError("check", f"{count(agree.count(False), 'regneark', 'regneark')} af {len(agree)} kunne ikke kontrolleres "
                               "eller er ikke enige med Python-beregningen")  # fmt: skip


def cmd_demo(args: argparse.Namespace) -> None:
    print("Enhedspriskatalog (kr. pr. enhed, i hver enhedspris' eget prisår)\n")
    print_catalogue(None, None)
    print("\nEksempler (de tre offentliggjorte cases og de illustrative eksempler)\n")
    results = {}
    for path in example_cases():
        results[path.stem] = print_case(path)
        print()
    outdir = Path(args.outdir)
    print(f"Standardregneark i {outdir}/ (tom case og hvert eksempel)")
    workbooks = built_examples(outdir, overwrite=True)
    for _, path in workbooks:
        print(f"  Skrev {path}")
    checked = {}
    if find_soffice() is None:
        print("\nLibreOffice mangler: regnearkene er bygget, men ikke genberegnet og kontrolleret.")
    else:
        print("\nGenberegnet med LibreOffice og sammenlignet med Python-beregningen:")
        agree = print_checks([path for _, path in workbooks])
        checked = {name: ok for (name, _), ok in zip(workbooks, agree, strict=True)}
    print("\nOpsummering:")
    shown = {True: "beregnet; alle offentliggjorte tal genskabt", False: "AFVIGER fra de offentliggjorte tal",
             None: "beregnet (illustrativt eksempel uden offentliggjorte tal)"}
    for name, ok in results.items():
        print(f"  {name:30} {shown[ok]}")
    for name, ok in checked.items():
        print(f"  {name + '.xlsx':30} {'regneark = Python i alle celler' if ok else 'AFVIGER'}")
    if any(ok is False for ok in results.values()) or not all(checked.values()):
        raise SIError("demo", "mindst ét eksempel afviger")


# --------------------------------------------------------------------------- portfolio


def cmd_portefoelje(args: argparse.Namespace) -> None:
    from udfs.core.portfolio import portfolio

    from . import portfolio_out

    result = portfolio(args.mappe)
    finite([line.figures for line in result.lines], "portefoelje")
    if result.lines:
        print(f"== Portefølje: {args.mappe} ({count(len(result.lines), 'case', 'cases')}) ==\n")
        print(portfolio_out.text_tables(result))
        if args.csv:
            write_csv(portfolio_out.csv_table(result), Path(args.csv), args.overwrite)
            print(f"\nSkrev {args.csv}")
        if args.xlsx:
            print(f"Skrev {portfolio_out.write_workbook(result, Path(args.xlsx), args.overwrite)}")
        if args.png:
            print(f"Skrev {portfolio_out.write_chart(result, Path(args.png), args.overwrite)}")
    if result.errors:
        print("\nFiler, der ikke kom med:")
        for name, message in result.errors:
            print(f"  {name}: {message}")
        raise SIError("portefoelje", f"{count(len(result.errors), 'fil', 'filer')} af "
                                     f"{len(result.errors) + len(result.lines)} kunne ikke beregnes (se ovenfor)")


# --------------------------------------------------------------------------- INDIGO open data


def cmd_indigo_export(args: argparse.Namespace) -> None:
    from udfs.core.indigo import csv_files, to_indigo

    project = finite(to_indigo(load(args.case)[0]), "indigo")
    if args.csv:
        if not args.output:
            raise SIError("--csv", "kræver -o med en .zip-fil (CSV-formen er én fil pr. liste, samlet i en zip-fil)")
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in csv_files(project).items():
                archive.writestr(zipfile.ZipInfo(name, (2000, 1, 1, 0, 0, 0)), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
        print(f"Skrev {write_file(Path(args.output), buffer.getvalue(), overwrite=args.overwrite, argument='output', suffixes=('.zip',))}")
        return
    text = as_json(project, "indigo") + "\n"
    if args.output:
        print(f"Skrev {write_file(Path(args.output), text.encode('utf-8'), overwrite=args.overwrite, argument='output', suffixes=('.json',))}")
    else:
        print(text, end="")


def cmd_indigo_import(args: argparse.Namespace) -> None:
    from udfs.core.indigo import from_indigo, read_indigo

    case = from_indigo(read_indigo(args.fil))
    print(f"Skrev {write_case_file(case, Path(args.ny_case), args.overwrite)}")


# --------------------------------------------------------------------------- the parser


class DanishParser(argparse.ArgumentParser):
    """argparse, but a usage error is an :class:`SIError` (one Danish line, exit 2)."""

    def error(self, message: str):
        raise SIError("kommandolinjen", danish_usage(message) + f" (se {self.prog} -h)")


_USAGE = (
    (r"argument (\S+): invalid (?:int|float|rate_option) value: '(.*)'", lambda m: f"{m[1]}: '{excerpt(m[2])}' er ikke et gyldigt tal"),
    (r"argument (\S+): invalid choice: '(.*?)'.*", lambda m: f"{m[1].replace('command', 'kommando')}: '{excerpt(m[2])}' er ikke et af valgene"),
    (r"argument (\S+): expected one argument", lambda m: f"{m[1]} mangler en værdi"),
    (r"argument (\S+): (.*)", lambda m: f"{m[1]}: {excerpt(m[2], 120)}"),
    (r"the following arguments are required: (.*)", lambda m: f"mangler {m[1]}"),
    (r"unrecognized arguments: (.*)", lambda m: f"ukendte argumenter: {excerpt(m[1])}"),
)


def danish_usage(message: str) -> str:
    """argparse's English usage message in Danish (the common kinds; others trimmed as they are)."""
    for pattern, danish in _USAGE:
        m = re.fullmatch(pattern, message, flags=re.S)
        if m:
            return danish(m)
    return excerpt(message, 120)


def build_parser() -> argparse.ArgumentParser:
    parser = DanishParser(prog="sibc", description="Business cases for sociale investeringer.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("catalogue", help="Vis enhedspriskataloget som tabel.")
    p.add_argument("filter", nargs="?", help="Kun rækker hvis id, navn eller budgetområde indeholder teksten.")
    p.add_argument("--prisaar", type=int, help="Omregn alle beløb til dette prisår (nettoprisindeks).")
    p.add_argument("--indeks", help="Prisindeks til omregning: npi (standard), fpi, pl_stat, loen_stat eller pris_stat.")
    p.add_argument("--fremskrivning", type=rate_option, metavar="ANDEL",
                   help="Årlig stigning efter indeksets sidste år, fx 0,02 (decimalkomma eller -punktum).")
    p.set_defaults(func=cmd_catalogue)

    p = sub.add_parser("calc", help="Beregn en case-fil: år-for-år-tabel og nøgletal.")
    p.add_argument("case", help="Case-fil (YAML/JSON), fx workbooks/cases/eksempel_ungeindsats.yaml")
    p.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")
    p.add_argument("--csv", help="Skriv år-for-år-tabellen til denne CSV-fil.")
    p.add_argument("--overwrite", action="store_true", help="Erstat en eksisterende CSV-fil.")
    p.add_argument("--fremskrivning", type=rate_option, metavar="ANDEL",
                   help="Erstatter case-filens fremskrivning: årlig stigning efter indeksets sidste år, fx 0,02 (decimalkomma eller -punktum).")
    p.set_defaults(func=cmd_calc)

    p = sub.add_parser("sensitivity", help="Scenarier, tornado, skifteværdier og break-even.")
    p.add_argument("case")
    p.add_argument("--aendring", type=float, default=0.1, help="Relativ ændring i tornadoen (standard 0,1 = ±10 %%).")
    p.set_defaults(func=cmd_sensitivity)

    p = sub.add_parser("montecarlo", help="Monte Carlo over casens fordelinger.")
    p.add_argument("case")
    p.add_argument("--traek", type=int, help="Antal træk (standard: case-filens, ellers 10.000).")
    p.add_argument("--seed", type=int, help="Startværdi; samme seed giver samme resultat.")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_montecarlo)

    p = sub.add_parser("build", help="Byg standardregnearket for en case-fil (eller 'blank').")
    p.add_argument("case", help="Case-fil (YAML/JSON), eller 'blank' for en tom case")
    p.add_argument("-o", "--output", required=True, help="Regnearket, der skrives (.xlsx)")
    p.add_argument("--overwrite", action="store_true", help="Erstat en eksisterende fil (den gamle gemmes som nummereret kopi, .bak1.xlsx, .bak2.xlsx …)")
    p.add_argument("--server-names", action="store_true", help="Skriv SI.X( i stedet for SI_X( (Excel på nettet)")
    p.add_argument("--fremskrivning", type=rate_option, metavar="ANDEL",
                   help="Erstatter case-filens fremskrivning: årlig stigning efter indeksets sidste år, fx 0,02 (decimalkomma eller -punktum).")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("build-examples", help="Byg den tomme case og alle eksempler.")
    p.add_argument("outdir")
    p.add_argument("--overwrite", action="store_true")
    p.set_defaults(func=cmd_build_examples)

    p = sub.add_parser("extract", help="Læs et redigeret regneark tilbage til en case-fil.")
    p.add_argument("workbook")
    p.add_argument("-o", "--output", help="Case-fil (.yaml), der skrives; ellers vises den")
    p.add_argument("--overwrite", action="store_true")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("check", help="Genberegn regneark med LibreOffice og sammenlign med Python.")
    p.add_argument("workbook", nargs="+", help="Et eller flere regneark (.xlsx); de genberegnes i én kørsel")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("maal", help="Mål udfald i et ugepanel (DREAM-format): effekt, resultatmål, betalinger og afregning.")
    p.add_argument("maalefil", help="Målefil (YAML/JSON); med --lav-eksempel: mappen, der skrives til")
    p.add_argument("-o", "--output", help="Skriv målerapporten som regneark (.xlsx)")
    p.add_argument("--overwrite", action="store_true", help="Erstat eksisterende filer")
    p.add_argument("--json", action="store_true", help="Skriv resultatet som JSON")
    p.add_argument("--hukommelse", metavar="GRÆNSE", help="Største hukommelsesforbrug for DuckDB, fx 3GB (resten skrives midlertidigt til disk)")
    p.add_argument("--lav-eksempel", action="store_true",
                   help="Skriv et syntetisk eksempel (panel, kohorte, målefil til sygedagpenge-casen) i mappen maalefil")
    p.set_defaults(func=cmd_maal)

    p = sub.add_parser("portefoelje", help="Portefølje: alle case-filer i en mappe, pr. case og i alt, forventet og realiseret.")
    p.add_argument("mappe", help="Mappe med case-filer (.yaml, .yml, .json)")
    p.add_argument("--csv", help="Skriv porteføljen som CSV (semikolon, decimalkomma) til denne fil.")
    p.add_argument("--xlsx", help="Skriv porteføljen som regneark (.xlsx) med SUM-formler for i alt.")
    p.add_argument("--png", help="Skriv et søjlediagram (.png): nutidsværdi pr. case og myndighed.")
    p.add_argument("--overwrite", action="store_true", help="Erstat eksisterende filer (de gamle gemmes som nummererede kopier).")
    p.set_defaults(func=cmd_portefoelje)

    p = sub.add_parser("indigo", help="INDIGO-data (Government Outcomes Lab): eksportér en case eller importér en INDIGO-fil.")
    indigo = p.add_subparsers(dest="indigo", required=True)
    q = indigo.add_parser("eksport", help="Skriv en case som INDIGO-projekt (standard 4.1.0), JSON eller CSV.")
    q.add_argument("case", help="Case-fil (YAML/JSON)")
    form = q.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="JSON (standard): projektobjektet, på skærmen eller i -o")
    form.add_argument("--csv", action="store_true", help="CSV som Government Outcomes Lab udgiver dem: én fil pr. liste i en .zip-fil (-o)")
    q.add_argument("-o", "--output", help="Filen, der skrives (.json eller .zip)")
    q.add_argument("--overwrite", action="store_true", help="Erstat en eksisterende fil (den gamle gemmes som nummereret kopi)")
    q.set_defaults(func=cmd_indigo_export)
    q = indigo.add_parser("import", help="Læs en INDIGO-fil (.json eller .zip med CSV) tilbage til en case-fil.")
    q.add_argument("fil", help="INDIGO-fil (.json) eller CSV-formen (.zip)")
    q.add_argument("ny_case", metavar="ny-case.yaml", help="Case-filen, der skrives (.yaml)")
    q.add_argument("--overwrite", action="store_true", help="Erstat en eksisterende case-fil (den gamle gemmes som nummereret kopi)")
    q.set_defaults(func=cmd_indigo_import)

    p = sub.add_parser("demo", help="Hovedjobbet: katalog, eksempler, regneark bygget og kontrolleret.")
    p.add_argument("--outdir", default="out", help="Mappe til regnearkene (standard: out)")
    p.set_defaults(func=cmd_demo)
    return parser


LOG_ENV = "SIBC_LOG"
"""Environment variable naming the log file for unexpected errors (default: sibc-fejl.log in the temporary folder)."""

_OS_ERRORS = {
    errno.ENOSPC: "disken er fuld", errno.EACCES: "ingen adgang", errno.EPERM: "ingen adgang",
    errno.ENOENT: "findes ikke", errno.EISDIR: "er en mappe", errno.ENAMETOOLONG: "navnet er for langt",
    errno.EROFS: "drevet er skrivebeskyttet", errno.ENOTDIR: "en del af stien er ikke en mappe",
    errno.EEXIST: "findes allerede (og er ikke en mappe)", errno.EBUSY: "er i brug af et andet program",
}  # fmt: skip


#: Errors about something other than the input file's content (the output, the command line).
_NOT_ABOUT_THE_INPUT = {"fil", "csv", "output", "kommandolinjen", "libreoffice", "check", "demo", "portefoelje", "xlsx", "png", "--csv"}


def log_file() -> Path:
    """Where unexpected errors are logged with their traceback."""
    return Path(os.environ.get(LOG_ENV) or Path(tempfile.gettempdir()) / "sibc-fejl.log")


def _input_file(args: argparse.Namespace | None) -> str | None:
    value = getattr(args, "case", None) or getattr(args, "workbook", None) or getattr(args, "fil", None)
    if isinstance(value, list):  # sibc check takes several workbooks: named only when there is one
        value = value[0] if len(value) == 1 else None
    return None if value in (None, "blank") else Path(value).name


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _unexpected(exc: BaseException, args: argparse.Namespace | None, argv) -> str:
    """Log ``exc`` with its traceback and return the Danish line naming the log."""
    where = _input_file(args) or getattr(args, "command", None) or "sibc"
    log = log_file()
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} sibc {excerpt(' '.join(map(str, argv or sys.argv[1:])), 500)}\n")
            fh.write("".join(traceback.format_exception(exc)))
        detail = f"detaljer i {log}"
    except OSError:
        detail = f"logfilen {log} kunne ikke skrives"
    return f"Fejl i {excerpt(where)}: uventet fejl ({type(exc).__name__}); {detail}"


def error_line(exc: BaseException, args: argparse.Namespace | None, argv=None) -> str:
    """The one Danish line for any failure of a command (see :func:`main`)."""
    if isinstance(exc, SIError):
        line, name = exc.danish, _input_file(args)
        about_input = exc.argument not in _NOT_ABOUT_THE_INPUT and name is not None and name not in line
        return _one_line(f"{line} (fil: {excerpt(name)})" if about_input else line)
    if isinstance(exc, OSError) and (exc.errno in _OS_ERRORS or exc.filename):
        what = _OS_ERRORS.get(exc.errno) or f"kan ikke læses eller skrives ({errno.errorcode.get(exc.errno, type(exc).__name__)})"
        return _one_line(f"Fejl i {excerpt(Path(str(exc.filename)).name) if exc.filename else 'fil'}: {what}")
    if isinstance(exc, KeyboardInterrupt):
        return "Fejl i sibc: afbrudt; ingen fil er ændret halvt (de skrives helt eller slet ikke)"
    return _unexpected(exc, args, argv)


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure is one Danish line on stderr and exit code 2.

    The error boundary for all commands: a refused input (:class:`SIError`,
    also argparse's usage errors) names the argument or field and the input
    file; a disk error names the file; anything unexpected (including
    ``RecursionError``, ``MemoryError`` and Ctrl-C) is logged with its
    traceback to :func:`log_file`, which the line names.  ``-h`` exits 0, and
    so does output cut short by its reader (``sibc calc … | head``).
    """
    args = None
    try:
        args = build_parser().parse_args(argv)
        args.func(args)
    except SystemExit as exc:  # -h / --help
        return exc.code if isinstance(exc.code, int) else 0
    except BrokenPipeError:  # the reader stopped early (sibc calc … | head): not an error of the command
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except BaseException as exc:  # noqa: BLE001 - the one boundary: never a traceback
        print(error_line(exc, args, argv), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
