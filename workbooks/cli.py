"""The ``sibc`` command line: catalogue, calculate a case, sensitivity, Monte Carlo, demo.

User-facing output is Danish; errors are printed as one line without a
traceback and give exit code 2.

Start-up is part of every command's time, so heavy modules are imported only
by the commands that need them: pandas by ``catalogue``, openpyxl (through
:mod:`workbooks.book`) by the workbook commands.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import difflib
import errno
import io
import json
import math
import os
import re
import shlex
import shutil
import sys
import tempfile
import textwrap
import time
import traceback
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from udfs.core import catalogue as cat
from udfs.core.businesscase import (authority_figures, below_deadweight, below_deadweight_note, break_even_figures, break_evens,
                                    case_labels, deadweight_floor, deadweight_floor_effect, headline, key_figures, payment_shares,
                                    yearly_table)
from udfs.core.casefile import case_from_data, numbered_field, read_case_file  # noqa: F401 - numbered_field re-exported
from udfs.core.files import parse_text
from udfs.core.case_model import Case, parse_case
from udfs.core.danish_numbers import fixed, number_from_text, unsigned_zero
from udfs.core.data import manifest
from udfs.core.engine import check_price_years, price_note, run
from udfs.core.guarantee import guarantee_year_words
from udfs.core.settlement import named_years, yearly_rows
from udfs.core.published import (changed_inputs, deviation_text, deviations, input_text, reproduction, settle_case,
                                  settlement_rows)
from udfs.core.indices import extension_note, index_value, resolve
from udfs.core.errors import SIError, count, excerpt
from udfs.core.rounding import by_unit, excel_round, excel_value, whole_shares
from udfs.core.limits import MAX_DRAWS
from udfs.core.lineitems import AUTHORITY_FIGURES, AUTHORITY_LINES, ITEMS, YEARLY, YEARLY_LINES, LineItem, figure_label, view_names
from udfs.core.vocabulary import (AUTHORITIES, CURRENCY, FUND, GUARANTOR, NOT_PUBLIC, OUTCOME_PAYERS, PARTIES, PARTY_WORDS, SCENARIO_WORDS, TOLERANCE_KR, UNIT_WORDS,
                                  VIEW_FIGURES, amount_unit, data_of, in_currency, program_block, program_figures)
from udfs.core.uncertainty import (
    MONTE_CARLO_ITEMS, OUTSIDE_INPUT_NOTE, TORNADO_CHANGE, driver_label, driver_value_text, monte_carlo, outside_input, scenarios,
    below_own_deadweight, shown_shares, switching_text, switching_values, tornado, tornado_label,
)  # fmt: skip

from .case_model_io import write_case_file
from .recalc import find_soffice, recalculating
from .safe_write import check_target, file_name_error, write_file

if TYPE_CHECKING:
    import pandas as pd

EXAMPLES = Path(__file__).resolve().parent / "cases"
WIDTH = 100
"""Columns every table and help text fits in."""


def example_cases() -> list[Path]:
    """The example case files shipped with the package, in name order."""
    return sorted(EXAMPLES.glob("*.yaml"))


# --------------------------------------------------------------------------- formatting


def money(x) -> str:
    """Danish number format with two decimals: 1.234.567,89 (text passes through)."""
    if isinstance(x, str):
        return x
    return fixed(x, 2)


def kroner(x, oere: bool = False) -> str:
    """An amount in kr. as shown in tables: whole kr. with thousands points (``1.234.568``), with øre when asked.

    Rounded half away from zero, as Excel's AFRUND, at the 15 significant digits Excel shows
    (:func:`udfs.core.danish_numbers.fixed`); text passes through.
    """
    if isinstance(x, str) or oere:
        return money(x)
    return fixed(float(x), 0)


SHOWN = {
    "share": lambda v: fixed(v * 100, 1, thousands=False) + " %", "years": lambda v: fixed(v, 0, False), "year": lambda v: fixed(v, 0, False),
    "ratio": lambda v: fixed(v, 2, False), "factor": lambda v: fixed(v, 4, False),
    "count": lambda v: count_text(v), "kr": kroner, "text": str,
}  # fmt: skip
"""How each unit of a figure (:class:`udfs.core.lineitems.LineItem`) is shown: the one place a figure's
format is chosen (key figures, the year-by-year table, settlement, Monte Carlo)."""


def item_text(item: LineItem, value, oere: bool = False) -> str:
    """A figure for display by its line item's unit (its ``missing`` text where it does not exist; text as it is)."""
    if value is None:
        return item.missing
    if isinstance(value, str):
        return value
    return kroner(value, oere) if item.unit == "kr" else SHOWN[item.unit](value)


def figure_text(name: str, value, oere: bool = False) -> str:
    """Key figure ``name`` for display, by its unit (:data:`~udfs.core.vocabulary.UNDEFINED` where it does not exist)."""
    return item_text(ITEMS[name], value, oere)


def print_figures(figures: dict, indent: str = "  ", oere: bool = False, currency: str = CURRENCY, labels: dict | None = None) -> None:
    """Key figures keyed by name, one per line: Danish label and value (amounts right-aligned); a label's unit in the
    case's ``currency`` and the case's own labels (:func:`udfs.core.lineitems.figure_label`)."""
    print_rows([[figure_label(name, currency, labels), figure_text(name, value, oere)] for name, value in figures.items()], indent)


def floor_json(case, even: dict) -> dict:
    """The deadweight the payer's break-even is compared with and its largest loss sought from, for a program: the
    highest deadweight (share), the effect it is of when the effects' deadweights differ (else null) and whether the
    break-even lies below it (:func:`udfs.core.businesscase.below_deadweight`)."""
    floor, effect = deadweight_floor(case), deadweight_floor_effect(case)
    return {"hoejeste": floor, "effekt": effect, "break_even_under": bool(below_deadweight(even.get("break_even"), floor))}


_KEEP = "\x1f"
"""Joins a number and its per cent sign while a text is wrapped (textwrap breaks only at ASCII whitespace)."""


def wrap_label(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` characters, broken between words (never between a number and its
    ``%``; a word longer than the line is broken inside), the lines after the first indented two spaces: a label is
    wrapped, never cut."""
    if len(text) <= width:
        return [text]
    lines = textwrap.wrap(text.replace(" %", _KEEP + "%"), max(width, 3), subsequent_indent="  ", break_on_hyphens=False)
    return [line.replace(_KEEP, " ") for line in lines] or [""]


def print_wrapped(text: str, indent: str = "") -> None:
    """A line of text within :data:`WIDTH` columns, wrapped as :func:`wrap_label` (never cut), the continuation
    indented two spaces more."""
    print("\n".join(indent + line for line in wrap_label(text, WIDTH - len(indent))))


def print_rows(rows: list[list[str]], indent: str = "  ", header: list[str] | None = None) -> None:
    """Rows as one table within :data:`WIDTH` columns: the first column left-aligned (wrapped over lines when
    the table would be wider, :func:`text_table`), the others right-aligned; an optional header row."""
    print(text_table(([header] if header else []) + rows, indent=indent))


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
    """Finite results as JSON text for a program: a figure given in words as its code, number or list
    (:func:`~udfs.core.vocabulary.data_of`), Danish letters kept, a negative zero (the rounding left when amounts
    cancel) as 0 (:func:`~udfs.core.danish_numbers.unsigned_zero`)."""
    return json.dumps(unsigned_zero(finite(data_of(value), field)), ensure_ascii=False, indent=2, allow_nan=False)


def print_items(pairs, indent: str = "  ", oere: bool = False) -> None:
    """(line item, value) pairs as a two-column table: Danish label and value shown by its unit (:func:`item_text`)."""
    print_rows([[item.label, item_text(item, value, oere)] for item, value in pairs], indent)


# --------------------------------------------------------------------------- catalogue


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
    print_catalogue_rows(frame.to_dict("records"))
    print(f"\n{len(frame)} enhedspriser · katalogversion {manifest()['version']}")
    if note:
        print(textwrap.fill(note, WIDTH))


def print_catalogue_rows(rows: list[dict]) -> None:
    """The catalogue within :data:`WIDTH` columns: per unit price a line with id and name, then its unit,
    price year and kr. pr. enhed (with øre: a unit price is the catalogue's figure) for the public
    sector and per authority, aligned under one header."""
    amounts = ("offentlig", "kommune", "region", "stat")
    table = [["", "enhed", "prisår", *amounts]]
    table += [["", UNIT_WORDS.get(str(r["enhed"]), str(r["enhed"])), str(r["prisår"]), *(money(r[c]) for c in amounts)] for r in rows]
    lines = text_table(table, indent="    ").splitlines()
    print("id  navn")
    print(lines[0])
    for r, line in zip(rows, lines[1:], strict=True):
        print_wrapped(f"{r['id']}  {r['navn']}")
        print(line)


def cmd_catalogue(args: argparse.Namespace) -> None:
    with as_option("fremskrivning", "--fremskrivning", args.fremskrivning):
        print_catalogue(args.filter, args.prisaar, args.fremskrivning, args.indeks)


# --------------------------------------------------------------------------- a case


def load(path: str, rate: float | None = None) -> Case:
    """A case file; ``rate`` (from ``--fremskrivning``) replaces the case's own ``fremskrivning``.

    Every error found in the file is raised at once (the first, carrying the others), each naming its
    field as the workbook numbers it and its line in the file (:func:`udfs.core.casefile.read_case_file`).
    """
    case = read_case_file(path)
    if rate is not None:
        with as_option("fremskrivning", "--fremskrivning", rate):
            case = parse_case({**case.model_dump(), "fremskrivning": rate})
    return case


def text_table(rows: list[list[str]], indent: str = "", width: int = WIDTH) -> str:
    """Rows of texts as aligned columns within ``width`` characters: the first column left-aligned, the
    others right-aligned.

    A table too wide for ``width`` is split into blocks of columns, each block repeating the first column
    (the row names), separated by an empty line; a row name longer than the room left is wrapped over lines
    (:func:`wrap_label`: the values on its first line), never cut.
    """
    if not rows:
        return ""
    widths = [max(len(row[j]) for row in rows) for j in range(len(rows[0]))]
    room = width - len(indent)
    others = sum(2 + w for w in widths[1:])
    if widths[0] + others <= room or room - others >= 24:  # fits, or fits with the row names wrapped
        first = min(widths[0], room - others)
    else:  # blocks of columns, the row names repeated (cut only when even one column leaves no room)
        first = min(widths[0], max(room - 2 - max(widths[1:], default=0), 12))
    blocks, block, used = [], [], first
    for j in range(1, len(widths)):
        if block and used + 2 + widths[j] > room:
            blocks.append(block)
            block, used = [], first
        block.append(j)
        used += 2 + widths[j]
    blocks.append(block)
    parts = []
    for cols in blocks:
        lines = []
        for row in rows:
            name, *more = wrap_label(row[0], first)
            lines.append((indent + "  ".join([name.ljust(first)] + [row[j].rjust(widths[j]) for j in cols])).rstrip())
            lines += [(indent + line).rstrip() for line in more]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def count_text(x: float) -> str:
    """A count (participants) as a whole number, with two decimals only when it has a fraction."""
    return f"{x:,.0f}".replace(",", ".") if float(x).is_integer() else money(x)


def print_table(table: list[list], oere: bool = False) -> None:
    """The year-by-year table transposed: one line per line item, one column per year, in blocks of years
    within :data:`WIDTH` columns (row names repeated)."""
    header, *rows = table
    lines = [[str(h)] + [str(r[0]) for r in rows] for h in header]
    for j, item in enumerate(YEARLY_LINES[1:len(header)], start=1):  # column j is line j (udfs.core.lineitems.YEARLY_LINES)
        lines[j][1:] = [item_text(item, r[j], oere) for r in rows]
    print(text_table(lines))


def print_reproduction(rows: list[tuple[str, float | None, float]], currency: str = CURRENCY) -> bool:
    """Published next to computed figures (millions of the case's ``currency``) and a sentence on the difference; True
    when all agree."""
    print(in_currency("\n  Offentliggjort mod beregnet (mio. kr., 1 decimal):", currency))
    ok, table = True, []
    for label, pub, computed in rows:
        match = pub is None or pub == computed
        ok &= match
        shown = "—" if pub is None else fixed(pub, 1, False)
        table.append([f"{'✓' if match else '✗'} {label}", shown, fixed(computed, 1, False)])
    print_rows(table, header=["  Post", "Offentliggjort", "Beregnet"])
    print("\n" + textwrap.fill(deviation_text(rows, currency), WIDTH, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False))
    return ok


def print_case(path: Path, rate: float | None = None, oere: bool = False) -> bool | None:
    """Print a case's year-by-year table and key figures; returns whether every published figure is
    reproduced, None for a case without published figures (an illustrative example)."""
    case = load(str(path), rate)
    result = run(case)
    finite(yearly_table(result), "år-for-år")
    finite(key_figures(result), "nøgletal")
    print(f"== {case.navn} ({path.name}) ==\n")
    print_warnings(case)
    if price_note(case):
        print(textwrap.fill(price_note(case), WIDTH) + "\n")
    print(f"Beløb i {amount_unit(case.valuta, oere)}, prisniveau {case.prisaar}.\n")
    figures = key_figures(result)
    print_headline(result, figures, oere)
    print_table(yearly_table(result), oere)
    print()
    names = view_names(case.visning)[0]  # the view's key figures first
    print_figures({**{n: figures[n] for n in names}, **figures}, oere=oere, currency=case.valuta, labels=case_labels(case))
    effect = deadweight_floor_effect(case)
    mark = below_deadweight(figures.get("break_even"), deadweight_floor(case), effect)  # as sibc sensitivity marks it
    if mark:
        print_wrapped(f"Break-even succesrate betaler er {mark}. {below_deadweight_note(effect)}", "  ")
    print_parties(result, oere, case.valuta)
    print_payment_shares(result)
    if case.garanti is not None:
        print_settlement(*settlement_rows(case, result), SETTLEMENT_TITLE, oere)
    if case.offentliggjort is None:
        return None
    print("\n  Afregning med casens forudsætninger:")
    print_items(settle_case(case, result=result).figures(), oere=oere)
    agree = print_reproduction(reproduction(case, result), case.valuta)
    print_changed_inputs(case)
    return agree


def view_words(result) -> str:
    """Whose figures the case's view (``visning``) shows, in Danish: ``betaleren: kommune``, or ``hele den offentlige
    sektor: kommune, region og stat`` with the central outcomes fund named when it pays (its net is public money)."""
    case = result.case
    if VIEW_FIGURES[case.visning] == "betaler":
        return f"betaleren: {case.betaler}"
    fund = bool(result.payments_by_payer[OUTCOME_PAYERS.index(FUND), 0].any())
    parts = [*AUTHORITIES, *([PARTY_WORDS[FUND].lower()] if fund else [])]
    return f"hele den offentlige sektor: {', '.join(parts[:-1])} og {parts[-1]}"


def print_headline(result, figures: dict, oere: bool = False) -> None:
    """The figures of the case's view (``visning``; :func:`udfs.core.businesscase.headline`): whose they are, the
    present value net, the net over the horizon and the payback, and which lines of the table are the view's."""
    head = headline(result, figures)
    print(f"Resultat for {view_words(result)} (casens visning: {head['visning']}):")
    nv, payback, year = (ITEMS[n] for n in head["noegletal"][:3])
    net = YEARLY[head["linjer"][0]]
    print_rows([[nv.label, item_text(nv, head["nv"], oere)],
                [f"{net.label} over horisonten", kroner(head["netto_i_alt"], oere)],
                [payback.label, item_text(payback, head["tilbage"])],
                [year.label, item_text(year, head["tilbage_aar"])]])
    lines = [YEARLY[n].label for n in head["linjer"]]
    print(textwrap.fill(f"Visningens linjer i tabellen: {', '.join(lines[:-1])} og {lines[-1]}.", WIDTH,
                        initial_indent="  ", subsequent_indent="  ") + "\n")


def published_reference(case: Case) -> tuple[Path, Case] | None:
    """The case as published, for a case with published figures: the shipped case file (:func:`example_cases`)
    whose ``offentliggjort`` block is this case's and whose inputs reproduce those figures
    (:func:`~udfs.core.published.reproduction`); ``None`` when none does (a published case of the kommune's own)."""
    for path in example_cases():
        try:
            shipped = read_case_file(path)
        except SIError:
            continue
        if shipped.offentliggjort == case.offentliggjort and not deviations(reproduction(shipped)):
            return path, shipped
    return None


def changed_input_rows(case: Case) -> tuple[str, list[tuple[str, object, object]] | None]:
    """The shipped file the case as published is read from ('' when none) and the inputs that differ from it
    (:func:`~udfs.core.published.changed_inputs`; ``None`` without it)."""
    reference = published_reference(case)
    if reference is None:
        return "", None
    return reference[0].name, changed_inputs(case, reference[1])


def print_changed_inputs(case: Case) -> None:
    """Which inputs of a case with published figures differ from the case as published (a what-if names
    what it changed): field, value now and value as published."""
    name, rows = changed_input_rows(case)
    if rows is None:
        print("\n" + textwrap.fill("Casen som offentliggjort er ikke blandt de medfølgende cases, så ændrede forudsætninger "
                                   "kan ikke vises.", WIDTH, initial_indent="  ", subsequent_indent="  "))
    elif not rows:
        print(f"\n  Ingen forudsætninger afviger fra casen som offentliggjort ({name}).")
    else:
        print(f"\n  Forudsætninger, der afviger fra casen som offentliggjort ({name}):")
        print_rows([[field, input_text(now), input_text(then)] for field, now, then in rows],
                   header=["Felt", "Nu", "Offentliggjort"])


SETTLEMENT_TITLE = "Afregning: betaler, investor og garant (casens forudsætninger)"
"""The title of a case's settlement (``sibc afregn``, ``sibc calc``); a measurement's says it is measured."""


MEASURED_SETTLEMENT_TITLE = "Afregning: betaler, investor og garant (målte betalinger)"
"""The title of a measured settlement (``sibc maal``): the same rows as :data:`SETTLEMENT_TITLE`'s."""


def print_settlement(rows, lines, title: str, oere: bool = False) -> None:
    """The settlement between payer, investor and guarantor and the investor's view
    (:func:`udfs.core.published.settlement_rows`), as two tables under ``title``."""
    print(f"\n  {title}:")
    print_items(rows, oere=oere)
    print()
    header, *table = yearly_rows(lines)
    print_rows([[label, *(kroner(v, oere) for v in values)] for label, *values in table], header=["  ", *header[1:]])


def cmd_afregn(args: argparse.Namespace) -> None:
    case = load(args.case)
    result = run(case)
    if args.json:
        rows, lines = settlement_rows(case, result)
        found = warning_lines(case)  # each warning check once (the guarantee's and the floor's run the case)
        warnings = {"advarsler": found} if found else {}
        print(as_json({"navn": case.navn, "valuta": case.valuta, "prisaar": case.prisaar, **program_block("afregning", rows),
                       "aar_for_aar": named_years(lines)} | warnings, "afregning"))
        return
    print(f"== {case.navn} ({Path(args.case).name}) ==")
    print(f"Beløb i {amount_unit(case.valuta, args.oere)}, prisniveau {case.prisaar}.")
    print_warnings(case)
    print_settlement(*settlement_rows(case, result), SETTLEMENT_TITLE, args.oere)
    print_payment_shares(result, gap=True)


def warning_lines(case: Case, own_prices: bool = False) -> list[str]:
    """The case's implausible inputs (:func:`udfs.core.plausibility.plausibility_warnings`), one Danish
    line each, the field numbered as the workbook numbers it; with ``own_prices`` also each own price without
    a derivation (:func:`~udfs.core.plausibility.own_price_warnings`, what the workbook's Kontrol of that row says:
    ``sibc check`` and ``sibc extract``)."""
    from udfs.core.plausibility import own_price_warnings, plausibility_warnings

    data = {"effekter": [{"id": e.id} for e in case.effekter], "egne_priser": [{"id": u.get("id")} for u in case.egne_priser]}
    found = plausibility_warnings(case) + (own_price_warnings(case) if own_prices else [])
    return [f"Advarsel om {numbered_field(field, data)}: {message}" for field, message in found]


def print_warnings(case: Case, indent: str = "", out=None, own_prices: bool = False, more: list[str] = ()) -> None:
    """Print :func:`warning_lines` and the lines ``more`` (a workbook's own prices whose amount changed under their
    derivation, :func:`workbooks.book.own_prices_changed`) wrapped to :data:`WIDTH` (to ``out``, standard output by
    default)."""
    lines = warning_lines(case, own_prices) + list(more)
    for line in lines:
        print(textwrap.fill(line, WIDTH, initial_indent=indent, subsequent_indent=indent + "  "), file=out or sys.stdout)
    if lines:
        print()
PARTY_COLUMNS = ("Omkostninger", "Besparelser", "Betalinger", "Netto i alt", "Nutidsværdi")
"""The columns of ``sibc calc``'s table by party: :data:`udfs.core.lineitems.AUTHORITY_LINES` in short."""


def print_parties(result, oere: bool = False, valuta: str = CURRENCY) -> None:
    """Who pays and who gains: one line per party (kommune, region, stat, investor, central resultatfond and, for a
    case with a private guarantor, that guarantor) with its costs, savings, outcome payments and guarantee (paid −,
    received +), net and the net's present value (:func:`udfs.core.businesscase.authority_figures`), within
    :data:`WIDTH` columns.  The rows add up to the whole economy's net."""
    figures = finite(authority_figures(result), "parter")
    keys = [f"myn_{k}" for k, _ in AUTHORITY_LINES]
    g = result.case.garanti
    shown = [j for j, who in enumerate(PARTIES) if who != GUARANTOR or (g is not None and g.myndighed == NOT_PUBLIC)]
    print(f"\n  Hvem betaler, og hvem vinder ({amount_unit(valuta, oere)}, over horisonten; betalinger: betalt −, modtaget +):")
    print_rows([[PARTY_WORDS[PARTIES[j]], *(kroner(figures[k][j], oere) for k in keys)] for j in shown],
               header=["Part", *PARTY_COLUMNS])  # fmt: skip
    if g is not None:
        print(f"  Betalinger omfatter garantens betaling til investor ({guarantee_year_words(result.case.settlement_year)}).")


PAYMENT_SHARES = "Resultatbetalingerne over horisonten betales af"
"""The start of the line that splits the outcome payments between their payers (:func:`payment_shares_text`)."""


def payment_shares_text(result) -> str | None:
    """The outcome payers' shares of the payments over the horizon (:func:`udfs.core.businesscase.payment_shares`) as
    one Danish sentence, the shares rounded together so that they add up to 100 % (:func:`whole_shares`: 1/3 each is
    33,4 % + 33,3 % + 33,3 %, never 33,3 % three times); None when one payer (or none) pays."""
    shares = payment_shares(result)
    if len(shares) < 2:
        return None
    shown = whole_shares(list(shares.values()))
    parts = [f"{PARTY_WORDS[who].lower()} {SHOWN['share'](share)}" for who, share in zip(shares, shown, strict=True)]
    return f"{PAYMENT_SHARES} {', '.join(parts[:-1])} og {parts[-1]}."


def print_payment_shares(result, gap: bool = False) -> None:
    """Print :func:`payment_shares_text`, when there is one, indented as the tables above it (after a blank line
    with ``gap``)."""
    text = payment_shares_text(result)
    if text:
        if gap:
            print()
        print_wrapped(text, "  ")


AUTHORITY_ITEMS: dict[str, LineItem] = {item.name: item for item in AUTHORITY_FIGURES}


def case_json(path: Path, rate: float | None = None) -> dict:
    case = load(str(path), rate)
    result = run(case)
    header, *rows = yearly_table(result)
    # a number that does not exist is null in JSON, and the text the user reads says why (vocabulary.program_figures)
    out = {"navn": case.navn, "valuta": case.valuta, "prisaar": case.prisaar,
           "aar_for_aar": [program_figures(zip(YEARLY_LINES, r, strict=True))[0] for r in rows],
           **program_block("noegletal", ((ITEMS[k], v) for k, v in key_figures(result).items()))}
    out["doedvaegt"] = floor_json(case, out["noegletal"])
    head = headline(result, out["noegletal"])
    out["overskrift"] = head | {"netto_i_alt": by_unit(head["netto_i_alt"], "kr")}
    if case.garanti is not None:
        out |= program_block("afregning_garanti", settlement_rows(case, result)[0])
    if warning_lines(case):
        out["advarsler"] = warning_lines(case)
    figures = authority_figures(result)
    out["parter"] = {who: {k[len("myn_"):]: by_unit(v[j], AUTHORITY_ITEMS[k].unit) for k, v in figures.items()} for j, who in enumerate(PARTIES)}
    if price_note(case):
        out["prisnote"] = price_note(case)
    if case.offentliggjort is not None:
        rows = reproduction(case, result)
        out |= program_block("afregning", settle_case(case, result=result).figures())
        out["offentliggjort_mod_beregnet_mio_kr"] = [
            {"post": label, "offentliggjort": pub, "beregnet": calc} for label, pub, calc in rows
        ]
        out["offentliggjort_sammenligning"] = deviation_text(rows, case.valuta)
        _, changed = changed_input_rows(case)
        out["forudsaetninger_mod_offentliggjort"] = None if changed is None else [
            {"felt": field, "nu": now, "offentliggjort": then} for field, now, then in changed
        ]
    return out


def csv_number(value: float, unit: str | None = None) -> str:
    """A float as the CSV writes it, by its line item's ``unit``: an amount (``"kr"``) rounded to øre
    (:func:`udfs.core.rounding.by_unit`, half away from zero as Excel's AFRUND: 378.599999999977 → ``378,6``), any
    other number (a share, a discount factor, a count) at 15 significant digits, the number Excel stores and shows
    (:func:`udfs.core.rounding.excel_value`: 0.9661835748792271 → ``0,966183574879227``); no exponent, decimal comma."""
    return unsigned_zero(format(excel_value(by_unit(value, unit)).normalize(), "f").replace(".", ","))


def write_csv(table: list[list], units: list[str | None], target: Path, overwrite: bool) -> None:
    """A table as CSV (semicolon, decimal comma, as Danish Excel reads it): a header row, then rows whose numbers are
    written by their column's unit (``units``, one per column: the line items' units, None for a text column;
    :func:`csv_number`): amounts in kr. to the øre, without float noise, shares and factors without rounding away
    their decimals."""
    check_target(target, overwrite, "csv", (".csv",))
    text = io.StringIO(newline="")
    w = csv.writer(text, delimiter=";")
    for row in table:
        w.writerow([csv_number(finite(v, "csv"), unit) if isinstance(v, float) else v for v, unit in zip(row, units, strict=True)])
    write_file(target, text.getvalue().encode("utf-8-sig"), overwrite=overwrite, argument="csv", suffixes=(".csv",))


def cmd_calc(args: argparse.Namespace) -> None:
    path = Path(args.case)
    if args.csv:
        write_csv(yearly_table(run(load(str(path), args.fremskrivning))), [item.unit for item in YEARLY_LINES], Path(args.csv),
                  args.overwrite)
    if args.png:
        from . import pictures

        case = load(str(path), args.fremskrivning)
        written = pictures.cumulative_net(case, run(case), Path(args.png), args.overwrite)
        print(f"Skrev {written}", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(as_json(case_json(path, args.fremskrivning), "resultat"))
    elif not args.csv and not args.png:
        print_case(path, args.fremskrivning, args.oere)  # a what-if off the published figures is reported, not refused


def cmd_sensitivity(args: argparse.Namespace) -> None:
    case = load(args.case)
    with as_option("aendring", "--aendring", args.aendring):
        bars = tornado(case, args.aendring)
    scen, switching = scenarios(case), switching_values(case)
    even = break_even_figures(break_evens(case))
    # each switching value with its code when it lies outside the range the input accepts (uncertainty.outside_input)
    result = {"scenarier": scen, "tornado": [dataclasses.asdict(b) for b in bars],
              "skifteværdier": [{"driver": name, "vaerdi": value, "uden_for_input": outside_input(name, value),
                                 "under_doedvaegt": bool(below_own_deadweight(name, value, case))}
                                for name, value in switching.items()],
              "break_even": even, "doedvaegt": floor_json(case, even)}  # fmt: skip
    finite(result, "følsomhed")
    if args.json:
        print(as_json(result, "følsomhed"))
        return
    oere = args.oere
    unit = amount_unit(case.valuta, oere)
    print(f"== Følsomhed: {case.navn} ==\n\n  Scenarier (nutidsværdi, {unit}):")
    print_rows([[SCENARIO_WORDS.get(name, name), kroner(pv["betaler"], oere), kroner(pv["offentlig"], oere)] for name, pv in scen.items()],
               header=["Scenarie", "Betaler", "Offentlig"])  # fmt: skip
    low, high = change_labels(args.aendring)
    print(f"\n  Tornado: hver driver {low} og {high} (betalerens nutidsværdi, {unit}; største udsving øverst):")
    print_rows([[tornado_label(case, bar, args.aendring), kroner(bar.pv_low, oere), kroner(bar.pv_high, oere), kroner(bar.swing, oere)]
                for bar in bars], header=["Driver", f"Driver {low}", f"Driver {high}", "Udsving"])  # fmt: skip
    if any(bar.base_value == 0 for bar in bars):
        step = f"{args.aendring:g}".replace(".", ",")
        print(f"  En driver på 0 har ingen procentvis ændring: den flyttes ±{step} i absolutte tal (står ved driveren).")
    if args.png:
        from . import pictures

        written = pictures.tornado_chart(case, bars, args.aendring, Path(args.png), args.overwrite)
        print(f"\n  Skrev {written}")
    # a success rate below the deadweight is marked (businesscase.below_deadweight): a switching value by its
    # effect's own deadweight (uncertainty.switching_marks), a break-even (one rate for every effect) by the highest
    floor, effect = deadweight_floor(case), deadweight_floor_effect(case)
    marks = {name: below_deadweight(even[name], floor, effect) for name in ("break_even", "be_investor", "be_investor_krav") if name in even}
    marked = lambda text, mark: f"{text} ({mark})" if mark else text  # noqa: E731
    print("\n  Skifteværdier (driverens værdi, hvor betalerens nutidsværdi er 0):")
    print_rows([[driver_label(case, name), switching_text(name, value, case)] for name, value in switching.items()])
    if any(outside_input(name, value) for name, value in switching.items()):
        print("\n" + textwrap.fill(OUTSIDE_INPUT_NOTE, WIDTH, initial_indent="  ", subsequent_indent="  "))
    print()
    labels = case_labels(case)
    print_rows([[figure_label(name, case.valuta, labels), marked(figure_text(name, value, oere), marks.get(name, ""))]
                for name, value in even.items()])  # fmt: skip
    # one note for each deadweight a figure is marked below: the highest of differing ones (its effect's), an effect's own
    notes = [below_deadweight_note(effect)] if any(marks.values()) else []
    if any(below_own_deadweight(name, value, case) for name, value in switching.items()):
        notes.append(below_deadweight_note())
    for note in dict.fromkeys(notes):
        print("\n" + textwrap.fill(note, WIDTH, initial_indent="  ", subsequent_indent="  "))


def change_labels(change: float) -> tuple[str, str]:
    """The tornado's two sides as the user reads them: ``("−10 %", "+10 %")`` for ``change`` 0.1."""
    shown = f"{change * 100:.4g}".replace(".", ",")
    return f"−{shown} %", f"+{shown} %"


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
    case = load(args.case)
    started = [time.perf_counter()]
    with as_option("antal_traek", "--traek", args.traek), as_option("seed", "--seed", args.seed):
        result = monte_carlo(case, args.traek, args.seed, chunk=20_000, progress=lambda d, t: progress_bar(d, t, started))
    if args.json:
        print(as_json(program_figures((MONTE_CARLO_ITEMS[k], v) for k, v in finite(result.figures(), "resultat").items())[0], "resultat"))
        return
    print(f"== Monte Carlo: {case.navn} ==\n")
    shown = shown_shares(finite(result.figures(), "resultat"))
    print_items([(MONTE_CARLO_ITEMS[name], value) for name, value in shown.items()], oere=args.oere)
    if args.png:
        from . import pictures

        written = pictures.histogram(case, result, Path(args.png), args.overwrite)
        print(f"\n  Skrev {written}")


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
    try:
        result = measurement.run(spec, base, progress=not args.json and sys.stderr.isatty(), memory_limit=args.hukommelse)
    except SIError as err:  # a betaling link the case's payment model refuses: named with its line in the measurement file
        raise measurement.located_in_file(err, args.maalefil) from None
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
            month = result.month(metric_id)
            due = f"betales i år {year}" if month is None else f"måling {month} måneder efter kontraktens start, betales i år {year}"
            print(f"  {metric_id} ({due}):")
            if result.scale(metric_id) == "pr_person":
                weeks = shown(int(value)) if float(value).is_integer() else shown(value, 1)
                print(f"    hver deltagers egne uger i {measure_id}: {weeks} uger i alt for {shown(result.n_treated)} deltagere; "
                      "loftet pr. deltager gælder hver person")
            else:
                print(f"    målt som {measure_id}: {shown(value)}")
            cap = "" if result.payment_model.loft_kontrakt is None else " før kontraktloftet"
            print(in_currency(f"    betaling {kroner(result.paid[metric_id])} kr.{cap}", result.valuta))
        print(f"\nBetalinger pr. år ({amount_unit(result.valuta)}): " + "; ".join(f"år {y}: {kroner(v)}" for y, v in enumerate(result.payments)))
    if result.settlement is not None:
        print_settlement(result.settlement_rows, result.settlement_lines, MEASURED_SETTLEMENT_TITLE)
    for note in result.notes:
        print(f"\n{note}")


# --------------------------------------------------------------------------- workbooks


def cmd_build(args: argparse.Namespace) -> None:
    from . import book

    case = book.blank_case() if args.case == "blank" else load(args.case)
    if args.fremskrivning is not None:
        with as_option("fremskrivning", "--fremskrivning", args.fremskrivning):
            case = parse_case({**case.model_dump(), "fremskrivning": args.fremskrivning})
    path = book.build(case, args.output, overwrite=args.overwrite, server_names=args.server_names)
    print(f"Skrev {path}")
    from .standard import unplaced_notes

    for field in unplaced_notes(case):
        print(f"Advarsel: {field} har en kilde eller antagelse, som regnearket ikke har en celle til; "
              "den følger ikke med ved sibc extract")
    warn_price_years(case)  # the workbook shows the price message in its cells; say it here too


def warn_price_years(case, out=None) -> None:
    """A warning (not a refusal) naming every unit price the case cannot move to its price year, with the
    workbook's cells to fill (:func:`udfs.core.engine.check_price_years`); ``sibc calc`` refuses such a case."""
    from . import book

    try:
        check_price_years(case, book.WORKBOOK_PRICE_HINT)
    except SIError as err:
        print(f"Advarsel: {err.message}", file=out)


def cmd_new(args: argparse.Namespace) -> None:
    """``sibc ny NAVN``: a commented starting case file NAVN.yaml and its workbook NAVN.xlsx (never over existing files)."""
    from . import book
    from .starter import starter_case

    given = Path(args.navn)
    base = given.with_suffix("") if given.suffix.lower() in (".yaml", ".yml", ".xlsx") else given
    refused = file_name_error(base.name)
    if refused:
        raise SIError("navn", refused)
    yaml_path, xlsx_path = base.with_name(base.name + ".yaml"), base.with_name(base.name + ".xlsx")
    for target, suffix in ((yaml_path, ".yaml"), (xlsx_path, ".xlsx")):  # refuse before anything is written
        if target.exists():
            raise SIError("navn", f"'{excerpt(target.name)}' findes allerede; sibc ny erstatter aldrig en fil, vælg et andet navn")
        check_target(target, False, "navn", (suffix,))
    text = starter_case(base.name, time.localtime().tm_year)
    case = case_from_data(parse_text(text))  # the starting file is valid as it stands
    write_file(yaml_path, text.encode("utf-8"), overwrite=False, argument="navn", suffixes=(".yaml",))
    print(f"Skrev {yaml_path} (kommenteret case-fil: ret tallene, og kør sibc calc {shlex.quote(str(yaml_path))})")
    print(f"Skrev {book.build(case, xlsx_path, overwrite=False)}")


def built_examples(outdir: Path, overwrite: bool) -> list[tuple[str, Path]]:
    """Build the blank workbook and one per example case into ``outdir``."""
    from . import book

    outdir.mkdir(parents=True, exist_ok=True)
    cases = [("blank", book.blank_case())] + [(p.stem, load(str(p))) for p in example_cases()]
    return [(name, book.build(case, outdir / f"{name}.xlsx", overwrite=overwrite)) for name, case in cases]


def cmd_build_examples(args: argparse.Namespace) -> None:
    for name, path in built_examples(Path(args.outdir), args.overwrite):
        print(f"Skrev {path}")


def cmd_extract(args: argparse.Namespace) -> None:
    from . import book

    case, strays, changed = book.extract_warnings(args.workbook)
    print_strays(strays, sys.stderr)
    warn_price_years(case, sys.stderr)
    print_warnings(case, out=sys.stderr, own_prices=True, more=changed)
    if args.output:
        write_case_file(case, Path(args.output), args.overwrite)
        print(f"Skrev {args.output}")
    else:
        print(book.case_yaml(case), end="")


STRAYS_SHOWN = 40
"""At most this many cells outside the inputs are listed one by one (then a count of the rest)."""


def print_strays(strays: list, out=None, indent: str = "") -> None:
    """Warn about every non-empty cell outside the inputs (:func:`workbooks.reader.stray_cells`): the case
    does not hold their values."""
    out = out or sys.stdout
    as_text = [s for s in strays if s.kind == "tal_som_tekst"]
    outside = [s for s in strays if s.kind != "tal_som_tekst"]
    if as_text:  # part of the case, but the workbook's own formulas cannot count them
        print(f"{indent}Advarsel: {count(len(as_text), 'inputcelle', 'inputceller')} har et tal skrevet som tekst; sibc "
              "læser tallet, men regnearkets formler kan ikke regne med det (skriv tallet igen, så det gemmes som tal):",
              file=out)
        _listed(as_text, out, indent)
    if outside:
        print(f"{indent}Advarsel: {count(len(outside), 'celle', 'celler')} uden for inputcellerne indgår ikke i casen "
              "(flyt værdien til en inputcelle eller slet den):", file=out)
        _listed(outside, out, indent)


def _listed(strays: list, out, indent: str) -> None:
    for stray in strays[:STRAYS_SHOWN]:
        print(f"{indent}  {stray.danish()}", file=out)
    if len(strays) > STRAYS_SHOWN:
        print(f"{indent}  … og {count(len(strays) - STRAYS_SHOWN, 'celle', 'celler')} mere", file=out)


FOLLOWING_SHOWN = 20
"""Differences that follow from the causes ``sibc check`` names (cells typed over, numbers stored as text) listed at most
(then a count of the rest; ``--alle`` lists every one): one cell typed over can change a thousand."""


def print_checks(paths: list[Path], all_shown: bool = False) -> list[bool]:
    """Recalculate workbooks with LibreOffice (one run for all) and compare with the core.

    Prints each workbook's differences (of those following from named causes at most :data:`FOLLOWING_SHOWN` unless
    ``all_shown``); returns for each workbook True when all agree.
    """
    from . import book
    from .archive import check_file

    started = time.perf_counter()
    refused: dict[Path, SIError] = {}
    opened = []
    for path in paths:  # a missing, foreign or hostile file, or inputs the core refuses: reported before LibreOffice starts
        try:
            check_file(path)
            entry = book.open_checked([path])
            book.usable_case(*entry[0], path)
            opened += entry
        except SIError as err:
            refused[path] = err
    usable = [p for p in paths if p not in refused]
    results = []
    if usable:
        with recalculating(usable) as recalculated:  # Python computes the expected values while LibreOffice works
            results = book.check_many(usable, recalculated, opened)
    seconds = time.perf_counter() - started
    from .layout import describe
    from .reader import built_currency
    from .standard import currency_changed

    checked = dict(zip(usable, zip(results, opened, strict=True), strict=True))
    agree = []
    for path in paths:
        if path in refused:
            print_refused(path, refused[path])
            agree.append(False)
            continue
        result, (wb, info, plan) = checked[path]
        if isinstance(result, SIError):  # the core cannot use this workbook's inputs: say which cells
            print_refused(path, result)
            agree.append(False)
            continue
        case, differences, cells, kontrol = result
        failed = [k for k in kontrol if not k.ok]
        print(f"  {path.name}: {cells} resultatceller og {len(kontrol)} kontrolrækker sammenlignet")
        print_warnings(case, indent="    ", own_prices=True, more=book.own_prices_changed(wb, plan, case.valuta))
        strays = book.outside_inputs(wb, info, plan, path)
        # a value typed over one sibc wrote is a cause of its own, not a consequence of the cells typed over formulas
        differences = sorted(differences, key=lambda d: not d.where)
        written = sum(1 for d in differences if d.where)
        follow = len(differences) - written + len(failed)
        grouped = bool(strays and follow)  # the causes first (typed over a formula or a value, a number stored as text)
        if strays and (differences or failed):
            if grouped:
                print(f"    ✗ {count(len(strays) + written, 'årsag', 'årsager')}, {count(follow, 'følgeforskel', 'følgeforskelle')}:")
            print_strays(strays, indent="    ")
        # the causes in full; of the differences that follow from them at most FOLLOWING_SHOWN (--alle: every one)
        listed = follow if all_shown or not grouped else min(follow, FOLLOWING_SHOWN)
        for k, d in enumerate([*differences, *([None] if grouped and written == len(differences) else [])]):
            if grouped and k == written:
                print("    Følgeforskelle (forsvinder, når cellerne ovenfor har skabelonens formel eller et tal igen; byg evt. "
                      "regnearket igen):")
            if d is None or k >= written + listed:  # only the Kontrol rows follow, or the rest is counted below
                break
            fmt = cell_format(wb, plan, d.name, d.index)  # named as the user finds it: sheet, cell, label; in the cell's unit
            print_wrapped(f"✗ {describe(plan, d.name, d.index)}", "    ")
            print(compared_line("regneark", d.workbook, "Python", d.core, fmt)
                  + ("   (skrevet over en værdi, som sibc beregnede ved opbygningen; byg regnearket igen)" if d.where else ""))
        for k in failed[:max(0, listed - (len(differences) - written))]:
            print_wrapped(f"✗ Kontrol: {k.label}", "    ")
            print(compared_line("formel", k.plain, "SI_", k.si, k.number_format))
        if listed < follow:
            print(f"    … og {count(follow - listed, 'følgeforskel', 'følgeforskelle')} mere (vis alle med sibc check --alle)")
        if not differences and not failed:
            print(in_currency("    ✓ ingen forskelle (tolerance 0,01 kr.)", case.valuta))
        if not (differences or failed):
            print_strays(strays, indent="    ")
        changed = currency_changed(built_currency(wb, plan), case.valuta)  # formats and texts in the currency at build
        if changed:
            print(textwrap.fill(changed, WIDTH, initial_indent="    ! ", subsequent_indent="      ", break_on_hyphens=False))
        if getattr(result, "stale", False):
            print("    ! Følsomhed: tornado, skifteværdier og Monte Carlo er beregnet af sibc for tidligere input og ikke "
                  "sammenlignet; byg regnearket igen (sibc extract, derefter sibc build)")
        agree.append(not differences and not failed)
    shown = f"{seconds:.1f}".replace(".", ",")
    compared = sum(1 for path in usable if not isinstance(checked[path][0], SIError))
    if usable:
        print(f"  ({count(len(usable), 'regneark', 'regneark')} genberegnet og {compared} sammenlignet på {shown} s)")
    else:
        print(f"  (intet regneark genberegnet: {'det' if len(paths) == 1 else 'alle'} blev afvist, før LibreOffice startede)")
    return agree


def compared_line(left: str, a, right: str, b, number_format: str | None) -> str:
    """One difference's values and their difference, in the cell's unit (:func:`shown_value`)."""
    diff = shown_difference(a, b, number_format)
    return f"        {left} {shown_value(a, number_format)}   {right} {shown_value(b, number_format)}" + (f"   forskel {diff}" if diff else "")


def cell_format(wb, plan, name: str, index: int | None) -> str | None:
    """The number format of the named result cell in the opened workbook; ``None`` if it is not known."""
    ref = plan.names.get(name)
    if ref is None:
        return None
    cell = ref.cell(index) if index is not None and index < len(ref) else ref
    try:
        return wb[cell.sheet].cell(cell.min_row, cell.min_col).number_format
    except (KeyError, ValueError):
        return None


def shown_value(value, number_format: str | None = None) -> str:
    """A compared cell's value as ``sibc check`` shows it, by the cell's number format (its unit):
    kr. with øre (``1.234.567,89 kr.``), a share in per cent with two decimals (``17,28 %``), a
    factor with four, a year or code whole (``2031``), any other number with two decimals; a text
    quoted, nothing as ``tom``."""
    if isinstance(value, bool) or value is None:
        return "tom" if value is None else str(value)
    if not isinstance(value, (int, float)):
        return f"'{excerpt(value)}'"
    unit = format_unit(number_format)
    if unit == "year" or (unit is None and float(value).is_integer() and 1000 <= abs(value) < 10_000):
        return str(int(excel_round(value, 0)))  # a year (2031) reads without a thousands point, as in the messages
    if unit == "share":
        return f"{money(value * 100)} %"
    if unit == "factor":
        return fixed(value, 4)
    return money(value) + (f" {amount_word(number_format)}" if unit == "kr" else "")


def shown_difference(workbook, core, number_format: str | None = None) -> str:
    """The difference workbook − Python of two compared numbers, in the cell's unit
    (``-615.457,71 kr.``, ``11,22 procentpoint``); ``""`` when either is not a number."""
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (workbook, core)):
        return ""
    unit, diff = format_unit(number_format), workbook - core
    if unit == "share":
        return f"{money(diff * 100)} procentpoint"
    if unit == "factor":
        return fixed(diff, 4)
    return money(diff) + (f" {amount_word(number_format)}" if unit == "kr" else "")


AMOUNT_FORMAT_UNIT = re.compile(r'"(kr\.|[A-Z]{3})"')
"""The unit of an amount's number format as written in the case's currency (``#,##0 "kr."``, ``#,##0 "USD"``,
:func:`~udfs.core.vocabulary.in_currency`)."""


def amount_word(number_format: str) -> str:
    """The currency an amount's number format shows (``kr.``, ``USD``): a compared amount is shown in it."""
    found = AMOUNT_FORMAT_UNIT.search(number_format)
    return found.group(1) if found else "kr."


def format_unit(number_format: str | None) -> str | None:
    """The unit an Excel number format shows (:data:`workbooks.styles.UNIT_FORMATS` read backwards):
    ``"kr"`` for a format of an amount (in kr. or the case's currency), ``"share"`` for per cent, ``"factor"``,
    ``"year"`` (whole, no thousands point), ``None`` for any other."""
    from .styles import CODE, FACTOR, YEAR

    if not number_format:
        return None
    if AMOUNT_FORMAT_UNIT.search(number_format):
        return "kr"
    if "%" in number_format:
        return "share"
    return {FACTOR: "factor", YEAR: "year", CODE: "year"}.get(number_format)


def cmd_check(args: argparse.Namespace) -> None:
    if find_soffice() is None:
        raise SIError("libreoffice", "LibreOffice (soffice) er ikke installeret; installér libreoffice-calc-nogui")
    agree = print_checks([Path(w) for w in args.workbook], args.alle)
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
            write_csv(portfolio_out.csv_table(result), portfolio_out.CSV_UNITS, Path(args.csv), args.overwrite)
            print(f"\nSkrev {args.csv}")
        if args.xlsx:
            print(f"Skrev {portfolio_out.write_workbook(result, Path(args.xlsx), args.overwrite)}")
        if args.png:
            print(f"Skrev {portfolio_out.write_chart(result, Path(args.png), args.overwrite)}")
    if result.errors:
        print("\nFiler, der ikke kom med:")
        for name, message in result.errors:
            print_wrapped(f"{name}: {message}", "  ")
        raise SIError("portefoelje", f"{count(len(result.errors), 'fil', 'filer')} af "
                                     f"{len(result.errors) + len(result.lines)} kunne ikke beregnes (se ovenfor)")


# --------------------------------------------------------------------------- INDIGO open data


def cmd_indigo_export(args: argparse.Namespace) -> None:
    from udfs.core.indigo import csv_files, to_indigo

    project = finite(to_indigo(load(args.case)), "indigo")
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
    from udfs.core.indigo import EXTENSION, from_indigo, partial_from_indigo, read_indigo

    from .case_model_io import write_partial_case_file

    project = read_indigo(args.fil)
    if isinstance(project, dict) and EXTENSION not in project:  # published by others: what INDIGO holds, and what to fill in
        data, todo = partial_from_indigo(project)
        written = write_partial_case_file(data, todo, Path(args.fil).name, Path(args.ny_case), args.overwrite)
        print(f"Skrev {written}: en delvis case-fil. INDIGO-filen har ikke alt, en case skal have; udfyld i hånden:")
        for line in todo:
            print(textwrap.fill(line, WIDTH, initial_indent="  - ", subsequent_indent="    "))
        return
    case = from_indigo(project)
    print(f"Skrev {write_case_file(case, Path(args.ny_case), args.overwrite)}")


# --------------------------------------------------------------------------- the parser


#: argparse's own texts (its gettext message ids, Python 3.11–3.13) in Danish: usage, help headings, usage errors.
ARGPARSE_DANISH = {
    "usage: ": "brug: ",
    "positional arguments": "argumenter",
    "options": "tilvalg",
    "optional arguments": "tilvalg",
    "show this help message and exit": "vis denne hjælp og stop",
    "subcommands": "kommandoer",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "'%(value)s' er ikke en gyldig værdi",
    "invalid choice: %(value)r (choose from %(choices)s)": "'%(value)s' er ikke et af valgene; vælg mellem %(choices)s",
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)":
        "'%(value)s' er ikke et af valgene; mente du '%(closest)s'? Vælg mellem %(choices)s",
    "the following arguments are required: %s": "mangler %s",
    "one of the arguments %s is required": "et af argumenterne %s skal angives",
    "unrecognized arguments: %s": "ukendte argumenter: %s",
    "expected one argument": "mangler en værdi",
    "expected at most one argument": "højst én værdi",
    "expected at least one argument": "mindst én værdi",
    "expected %s argument": "forventer %s værdi",
    "expected %s arguments": "forventer %s værdier",
    "not allowed with argument %s": "kan ikke bruges sammen med %s",
    "ignored explicit argument %r": "tager ingen værdi: %r",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydigt tilvalg: %(option)s kan være %(matches)s",
    "unexpected option string: %s": "uventet tilvalg: %s",
    "%(prog)s: error: %(message)s\n": "Fejl i %(prog)s: %(message)s\n",
    "can't open '%(filename)s': %(error)s": "kan ikke åbne '%(filename)s': %(error)s",
}  # fmt: skip


@contextlib.contextmanager
def danish_argparse():
    """argparse speaks Danish inside this block: its texts go through :data:`ARGPARSE_DANISH`.

    argparse looks every text up through ``gettext`` when it builds a parser,
    prints help or reports a usage error; this swaps its two look-up functions
    for the Danish table and puts them back afterwards.
    """
    saved = argparse._, argparse.ngettext
    argparse._ = lambda text: ARGPARSE_DANISH.get(text, text)
    argparse.ngettext = lambda one, many, n: ARGPARSE_DANISH.get(one if n == 1 else many, one if n == 1 else many)
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class DanishHelp(argparse.HelpFormatter):
    """Help text wrapped to at most 100 columns, as the tables are."""

    def __init__(self, prog: str, **kwargs):
        super().__init__(prog, width=min(WIDTH, shutil.get_terminal_size((WIDTH, 24)).columns), max_help_position=30, **kwargs)


NEGATIVE_NUMBER = re.compile(r"^-(\d[\d.,]*|[.,]\d+)\s*%?$")
"""A negative number as Danes type it (``-0,2``, ``-1.000``, ``-10 %``): argparse reads it as a value."""


@contextlib.contextmanager
def as_option(argument: str, option: str, given: object):
    """An :class:`SIError` about ``argument`` raised inside the block names the command-line ``option`` instead,
    when the value came from that option (``given`` is not ``None``)."""
    try:
        yield
    except SIError as err:
        if given is None or err.argument != argument:
            raise
        raise SIError(option, err.message).with_others(err.others) from None


DANISH_COMMANDS: dict[str, tuple[str, ...]] = {
    "catalogue": ("katalog",), "calc": ("beregn",), "sensitivity": ("foelsomhed", "følsomhed"),
    "build": ("byg",), "build-examples": ("byg-eksempler",), "extract": ("udtraek", "udtræk"), "check": ("tjek",),
}  # fmt: skip
"""The Danish names of the English subcommands (``sibc beregn`` runs ``sibc calc``); ``sibc -h`` lists them beside each."""


class DanishCommands(argparse._SubParsersAction):
    """Subcommands that also answer to their Danish names (:data:`DANISH_COMMANDS`)."""

    def add_parser(self, name, **kwargs):
        kwargs.setdefault("aliases", DANISH_COMMANDS.get(name, ()))
        return super().add_parser(name, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        """Run the subcommand named as the user typed it: its usage line, ``-h`` and its usage errors name that
        word (``sibc beregn``, not ``sibc calc``), and so do its own subcommands' (:func:`typed_prog`)."""
        chosen = self._name_parser_map.get(values[0]) if values else None
        if chosen is not None:
            typed_prog(chosen, f"{self._prog_prefix} {values[0]}")
        super().__call__(parser, namespace, values, option_string)


def typed_prog(parser: argparse.ArgumentParser, prog: str) -> None:
    """Name ``parser`` ``prog`` (the command as typed), also in the usage of its own subcommands (whose prefix
    argparse fixed from the English name when the parser was built; each is named as typed when it runs)."""
    old, parser.prog = parser.prog, prog
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and action._prog_prefix.startswith(old):
            action._prog_prefix = prog + action._prog_prefix[len(old):]


class DanishParser(argparse.ArgumentParser):
    """argparse in Danish (:func:`danish_argparse`); a usage error is an :class:`SIError` (one Danish line, exit 2)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", DanishHelp)
        super().__init__(*args, **kwargs)
        self.register("action", "parsers", DanishCommands)
        self._negative_number_matcher = NEGATIVE_NUMBER  # "-0,2" is a value (a number), not an option


    def error(self, message: str):
        raise SIError("kommandolinjen", f"{message} (se {self.prog} -h)")

    def _check_value(self, action, value):
        """A value not among the choices (a mistyped subcommand) lists them and suggests the nearest ("mente du …?")."""
        if action.choices is not None and value not in action.choices:
            raise argparse.ArgumentError(action, unknown_choice(value, list(action.choices)))


def unknown_choice(value, choices: list) -> str:
    """The Danish message for a value that is not one of ``choices``: the choices, and the nearest as "mente du …?"."""
    near = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1, cutoff=0.5)
    hint = f" Mente du '{near[0]}'?" if near else ""
    return f"'{excerpt(value)}' er ikke et af valgene ({', '.join(map(str, choices))}).{hint}"


# --------------------------------------------------------------------------- numbers as Danes type them


def danish_number(text: str, what: str, percent: bool = False) -> Decimal:
    """A number from the command line as Danes type it: ``0,2``, ``10.000``, ``1.234,5``, also ``0.02``;
    with ``percent``, also a per cent (``20 %`` is 0.2).

    The project's one reader of number texts (:func:`udfs.core.danish_numbers.number_from_text`:
    Danish first, then the English decimal point).  Raises ``argparse.ArgumentTypeError`` with the
    Danish rule ``what`` and the text given.
    """
    found = number_from_text(text)
    if found is None or (found[1] and not percent):
        raise argparse.ArgumentTypeError(f"skal være {what}, ikke '{excerpt(text)}'")
    number, in_percent = found
    return number / 100 if in_percent else number  # its range is checked where it is used


def share_option(what: str):
    """An option's type for a share: ``0,2`` or ``0.2`` or a per cent ``20 %`` (all 0.2)."""

    def share(text: str) -> float:
        return float(danish_number(text, what, percent=True))  # its range is checked where it is used

    share.__name__ = "andel"
    return share


def whole_option(what: str):
    """An option's type for a whole number: ``10.000`` or ``10000`` (thousands points allowed)."""

    def whole(text: str) -> int:
        number = danish_number(text, what)
        if not number.is_finite() or number != number.to_integral_value():
            raise argparse.ArgumentTypeError(f"skal være {what}, ikke '{excerpt(text)}'")
        return int(number)

    whole.__name__ = "heltal"
    return whole


rate_option = share_option("en årlig andel som 0,02 eller 2 %")
"""``--fremskrivning``: an annual rate, ``0,02``, ``0.02`` or ``2 %``."""


CASE_HELP = "case-fil (YAML/JSON), fx workbooks/cases/eksempel_ungeindsats.yaml"
OVERWRITE_HELP = "erstat en eksisterende fil"
OERE_HELP = "vis beløb med øre (standard: hele kroner)"


def build_parser() -> argparse.ArgumentParser:
    """The ``sibc`` parser; build it (and parse with it) inside :func:`danish_argparse` for Danish texts."""
    parser = DanishParser(prog="sibc", description="Business cases for sociale investeringer: beregn, byg regneark, kontrollér og afregn.",
                          epilog="Tal skrives som på dansk: decimalkomma og tusindtalspunktum (0,2 · 10.000 · 20 %). "
                                 "Se 'sibc KOMMANDO -h' for hver kommandos tilvalg.")  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True, title="kommandoer", metavar="KOMMANDO")
    p = sub.add_parser("catalogue", help="vis enhedspriskataloget som tabel")
    p.add_argument("filter", nargs="?", metavar="TEKST", help="kun rækker hvis id, navn eller budgetområde indeholder teksten")
    p.add_argument("--prisaar", type=whole_option("et årstal som 2026"), metavar="ÅR", help="omregn alle beløb til dette prisår")
    p.add_argument("--indeks", metavar="INDEKS", help="prisindeks til omregning: npi (standard), fpi, pl_stat, loen_stat eller pris_stat")
    p.add_argument("--fremskrivning", type=rate_option, metavar="ANDEL",
                   help="årlig stigning efter indeksets sidste år, fx 0,02 eller 2 %%")
    p.set_defaults(func=cmd_catalogue)

    p = sub.add_parser("calc", help="beregn en case-fil: år-for-år-tabel og nøgletal")
    p.add_argument("case", metavar="CASEFIL", help=CASE_HELP)
    p.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    p.add_argument("--csv", metavar="FIL", help="skriv år-for-år-tabellen til denne CSV-fil (semikolon, decimalkomma)")
    p.add_argument("--png", metavar="FIL", help="tegn den kumulerede nettoeffekt pr. myndighed som billede (.png)")
    p.add_argument("--oere", action="store_true", help=OERE_HELP)
    p.add_argument("--overwrite", action="store_true", help="erstat eksisterende CSV- og PNG-filer")
    p.add_argument("--fremskrivning", type=rate_option, metavar="ANDEL",
                   help="erstatter case-filens fremskrivning: årlig stigning efter indeksets sidste år, fx 0,02 eller 2 %%")
    p.set_defaults(func=cmd_calc)

    p = sub.add_parser("afregn", help="afregn en case-fil: betaler, investor og garant; investors break-even, største tab og IRR")
    p.add_argument("case", metavar="CASEFIL", help=CASE_HELP)
    p.add_argument("--json", action="store_true", help="skriv afregningen som JSON")
    p.add_argument("--oere", action="store_true", help=OERE_HELP)
    p.set_defaults(func=cmd_afregn)

    p = sub.add_parser("sensitivity", help="scenarier, tornado, skifteværdier og break-even")
    p.add_argument("case", metavar="CASEFIL", help=CASE_HELP)
    p.add_argument("--aendring", type=share_option("en andel som 0,1 eller 10 %"), default=TORNADO_CHANGE, metavar="ANDEL",
                   help="relativ ændring af hver driver i tornadoen, fx 0,2 eller 20 %% (standard 0,1 = ±10 %%)")
    p.add_argument("--png", metavar="FIL", help="tegn tornadoen som billede (.png)")
    p.add_argument("--json", action="store_true", help="skriv scenarier, tornado, skifteværdier og break-even som JSON")
    p.add_argument("--oere", action="store_true", help=OERE_HELP)
    p.add_argument("--overwrite", action="store_true", help="erstat en eksisterende PNG-fil")
    p.set_defaults(func=cmd_sensitivity)

    p = sub.add_parser("montecarlo", help="Monte Carlo over casens fordelinger")
    p.add_argument("case", metavar="CASEFIL", help=CASE_HELP)
    p.add_argument("--traek", type=whole_option("et helt antal træk som 10.000"), metavar="ANTAL",
                   help="antal træk, fx 10.000 (standard: case-filens, ellers 10.000)")
    p.add_argument("--seed", type=whole_option("et helt tal"), metavar="TAL", help="startværdi; samme seed giver samme resultat")
    p.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    p.add_argument("--png", metavar="FIL", help="tegn fordelingen af betalerens nutidsværdi som histogram (.png)")
    p.add_argument("--oere", action="store_true", help=OERE_HELP)
    p.add_argument("--overwrite", action="store_true", help="erstat en eksisterende PNG-fil")
    p.set_defaults(func=cmd_montecarlo)

    p = sub.add_parser("ny", help="skriv en kommenteret case-fil at starte fra, og byg dens regneark")
    p.add_argument("navn", metavar="NAVN", help="casens filnavn uden endelse, fx min_case (giver min_case.yaml og min_case.xlsx)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("build", help="byg standardregnearket for en case-fil (eller 'blank')")
    p.add_argument("case", metavar="CASEFIL", help=CASE_HELP + ", eller 'blank' for en tom case")
    p.add_argument("-o", "--output", required=True, metavar="FIL", help="regnearket, der skrives (.xlsx)")
    p.add_argument("--overwrite", action="store_true", help="erstat en eksisterende fil (den gamle gemmes som nummereret kopi, .bak1.xlsx, .bak2.xlsx …)")
    p.add_argument("--server-names", action="store_true", help="skriv SI.X( i stedet for SI_X( (Excel på nettet)")
    p.add_argument("--fremskrivning", type=rate_option, metavar="ANDEL",
                   help="erstatter case-filens fremskrivning: årlig stigning efter indeksets sidste år, fx 0,02 eller 2 %%")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("build-examples", help="byg den tomme case og alle eksempler")
    p.add_argument("outdir", metavar="MAPPE", help="mappen, regnearkene skrives i")
    p.add_argument("--overwrite", action="store_true", help=OVERWRITE_HELP)
    p.set_defaults(func=cmd_build_examples)

    p = sub.add_parser("extract", help="læs et redigeret regneark tilbage til en case-fil")
    p.add_argument("workbook", metavar="REGNEARK", help="regnearket (.xlsx)")
    p.add_argument("-o", "--output", metavar="FIL", help="case-fil (.yaml), der skrives; ellers vises den")
    p.add_argument("--overwrite", action="store_true", help=OVERWRITE_HELP)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("check", help="genberegn regneark med LibreOffice og sammenlign med Python")
    p.add_argument("workbook", nargs="+", metavar="REGNEARK", help="et eller flere regneark (.xlsx); de genberegnes i én kørsel")
    p.add_argument("--alle", action="store_true",
                   help=f"vis alle følgeforskelle (ellers højst {FOLLOWING_SHOWN} efter de celler, der er årsagen)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("maal", help="mål udfald i et ugepanel (DREAM-format): effekt, resultatmål, betalinger og afregning")
    p.add_argument("maalefil", metavar="MAALEFIL", help="målefil (YAML/JSON); med --lav-eksempel: mappen, der skrives til")
    p.add_argument("-o", "--output", metavar="FIL", help="skriv målerapporten som regneark (.xlsx)")
    p.add_argument("--overwrite", action="store_true", help="erstat eksisterende filer")
    p.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    p.add_argument("--hukommelse", metavar="GRÆNSE", help="største hukommelsesforbrug for DuckDB, fx 3GB (resten skrives midlertidigt til disk)")
    p.add_argument("--lav-eksempel", action="store_true",
                   help="skriv et syntetisk eksempel (panel, kohorte, målefil til sygedagpenge-casen) i mappen MAALEFIL")
    p.set_defaults(func=cmd_maal)

    p = sub.add_parser("portefoelje", help="portefølje: alle case-filer i en mappe, pr. case og i alt, forventet og realiseret")
    p.add_argument("mappe", metavar="MAPPE", help="mappe med case-filer (.yaml, .yml, .json)")
    p.add_argument("--csv", metavar="FIL", help="skriv porteføljen som CSV (semikolon, decimalkomma) til denne fil")
    p.add_argument("--xlsx", metavar="FIL", help="skriv porteføljen som regneark (.xlsx) med SUM-formler for i alt")
    p.add_argument("--png", metavar="FIL", help="skriv et søjlediagram (.png): nutidsværdi pr. case og myndighed")
    p.add_argument("--overwrite", action="store_true", help="erstat eksisterende filer (de gamle gemmes som nummererede kopier)")
    p.set_defaults(func=cmd_portefoelje)

    p = sub.add_parser("indigo", help="INDIGO-data (Government Outcomes Lab): eksportér en case eller importér en INDIGO-fil")
    indigo = p.add_subparsers(dest="indigo", required=True, metavar="{eksport,import}")
    q = indigo.add_parser("eksport", help="skriv en case som INDIGO-projekt (standard 4.1.0), JSON eller CSV")
    q.add_argument("case", metavar="CASEFIL", help="case-fil (YAML/JSON)")
    form = q.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="JSON (standard): projektobjektet, på skærmen eller i -o")
    form.add_argument("--csv", action="store_true", help="CSV som Government Outcomes Lab udgiver dem: én fil pr. liste i en .zip-fil (-o)")
    q.add_argument("-o", "--output", metavar="FIL", help="filen, der skrives (.json eller .zip)")
    q.add_argument("--overwrite", action="store_true", help="erstat en eksisterende fil (den gamle gemmes som nummereret kopi)")
    q.set_defaults(func=cmd_indigo_export)
    q = indigo.add_parser("import", help="læs en INDIGO-fil (.json eller .zip med CSV) tilbage til en case-fil; en fil "
                                          "offentliggjort af andre giver en delvis case-fil og en liste over, hvad der skal udfyldes")
    q.add_argument("fil", metavar="FIL", help="INDIGO-fil (.json) eller CSV-formen (.zip)")
    q.add_argument("ny_case", metavar="NY-CASE.yaml", help="case-filen, der skrives (.yaml)")
    q.add_argument("--overwrite", action="store_true", help="erstat en eksisterende case-fil (den gamle gemmes som nummereret kopi)")
    q.set_defaults(func=cmd_indigo_import)

    p = sub.add_parser("demo", help="hovedjobbet: katalog, eksempler, regneark bygget og kontrolleret")
    p.add_argument("--outdir", default="out", metavar="MAPPE", help="mappe til regnearkene (standard: out)")
    p.set_defaults(func=cmd_demo)
    for action in sub._choices_actions:  # each command's own help starts with what it does
        sub.choices[action.dest].description = action.help[0].upper() + action.help[1:] + "."
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
_NOT_ABOUT_THE_INPUT = {"fil", "csv", "png", "navn", "output", "kommandolinjen", "libreoffice", "check", "demo", "portefoelje", "xlsx", "--csv"}


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
        line, name = exc.full, _input_file(args)
        about_input = exc.argument not in _NOT_ABOUT_THE_INPUT and not exc.argument.startswith("--") and name is not None \
            and name not in line
        return _one_line(f"{line} (fil: {excerpt(name)})" if about_input else line)
    if isinstance(exc, OSError) and (exc.errno in _OS_ERRORS or exc.filename):
        what = _OS_ERRORS.get(exc.errno) or f"kan ikke læses eller skrives ({errno.errorcode.get(exc.errno, type(exc).__name__)})"
        return _one_line(f"Fejl i {excerpt(Path(str(exc.filename)).name) if exc.filename else 'fil'}: {what}")
    if isinstance(exc, KeyboardInterrupt):
        return "Fejl i sibc: afbrudt; ingen fil er ændret halvt (de skrives helt eller slet ikke)"
    return _unexpected(exc, args, argv)


MAX_LISTED = 10
"""Errors of one file listed at most, one line each; the rest are counted."""


def print_refused(path: Path, err: SIError) -> None:
    """``sibc check``'s lines for a workbook it cannot check: the error, or every error of its inputs (at most
    :data:`MAX_LISTED`, then how many more), one line each below the file's name."""
    errors = [err, *err.others]
    if len(errors) == 1:
        print(f"  {path.name}: ✗ kan ikke kontrolleres: {err.full}")
        return
    print(f"  {path.name}: ✗ kan ikke kontrolleres ({count(len(errors), 'fejl', 'fejl')}):")
    for e in errors[:MAX_LISTED]:
        print(f"    {e.full}")
    if len(errors) > MAX_LISTED:
        print(f"    … og {count(len(errors) - MAX_LISTED, 'fejl', 'fejl')} mere")


def error_lines(exc: BaseException, args: argparse.Namespace | None, argv=None) -> list[str]:
    """The Danish lines for a failure: one per error found in the input (all of a file's errors at once,
    at most :data:`MAX_LISTED`, then how many more; every one when the list is bounded where it was found,
    :attr:`~udfs.core.errors.SIError.bounded`: a measurement's data files, each kind of row fault counted
    after its first rows)."""
    errors = [exc, *getattr(exc, "others", ())]
    listed = len(errors) if getattr(exc, "bounded", False) else MAX_LISTED
    lines = [error_line(e, args, argv) for e in errors[:listed]]
    if len(errors) > listed:
        lines.append(f"Fejl i {excerpt(_input_file(args) or 'casefil')}: … og {count(len(errors) - listed, 'fejl', 'fejl')} mere")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure is one Danish line on stderr (one per error of the input file) and exit code 2.

    The error boundary for all commands: a refused input (:class:`SIError`,
    also argparse's usage errors) names the argument or field and the input
    file; a disk error names the file; anything unexpected (including
    ``RecursionError``, ``MemoryError`` and Ctrl-C) is logged with its
    traceback to :func:`log_file`, which the line names.  ``-h`` exits 0, and
    so does output cut short by its reader (``sibc calc … | head``).
    """
    args = None
    try:
        with danish_argparse():
            args = build_parser().parse_args(argv)
        args.func(args)
    except SystemExit as exc:  # -h / --help
        return exc.code if isinstance(exc.code, int) else 0
    except BrokenPipeError:  # the reader stopped early (sibc calc … | head): not an error of the command
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except BaseException as exc:  # noqa: BLE001 - the one boundary: never a traceback
        for line in error_lines(exc, args, argv):
            print(line, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
