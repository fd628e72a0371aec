"""The measurement report workbook: definitions, counts, effects with intervals, metrics, payments, settlement.

``sibc maal … -o rapport.xlsx`` writes it.  Figures that come from the persons
(counts, means, standard errors, MDE, balance) are values; everything derived
from them is a formula a reader can follow: the effect (difference of means),
its interval (``NORM.S.INV``), each metric's value, each payment rule, the
payments by year with the contract cap, the return cap and floor, and the
settlement.  :func:`build` returns the workbook and the Python value of every
formula cell, so LibreOffice's recalculation can be compared with Python
(tests/test_measurement.py).  No person id is written; suppressed figures
show "< 5".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from udfs.core.errors import SIError
from udfs.core.measurement.privacy import SUPPRESSED_TEXT
from udfs.core.measurement.report import MeasurementResult
from udfs.core.payment import LinearRule, TierRule
from udfs.core.rules import Rule

from . import styles as st

SHEET = "Måling"
BOLD = Font(bold=True)


def _num(x: float) -> str:
    return repr(float(x))


def rule_formula(rule: Rule, x: str, cells: dict[str, str]) -> str:
    """The payment of ``rule`` at ``x`` as its own Excel formula (:meth:`udfs.core.rules.Rule.excel`).

    The rule's cells named in ``cells`` are those addresses (a step list: a range of one row, so steps
    are compared as the workbook compares them; LibreOffice's MATCH on an array constant does not count
    0.3 − 0.2 as reaching 0.1); the others are written into the formula as numbers (``""`` when unset).
    """
    fields = {c.name: c.field for c in rule.CELLS}

    def value(match: re.Match) -> str:
        name, index = match.group(1), match.group(2)
        if name not in fields:
            raise SIError("betalingsmodel", f"reglen {rule.type} kan ikke vises i målerapporten")
        v = getattr(rule, fields[name])
        if index is not None:
            return _num(v[int(index)])
        if name in cells:
            return cells[name]
        if isinstance(v, list):
            raise SIError("betalingsmodel", f"reglen {rule.type} kan ikke vises i målerapporten")
        return '""' if v is None else _num(v)

    return re.sub(r"\{@(\w+)(?:\[(\d+)\])?\}", value, rule.excel().replace("{x}", x))


STEP_COLUMN = 13
"""The column (M) from which a rule's step lists are written, one list after the other, on the metric's row."""


def step_cells(w: Writer, rule: Rule, column: int) -> dict[str, str]:
    """Write each of the rule's step lists into the row from ``column`` on; their ranges by cell name."""
    out = {}
    for cell in (c for c in rule.CELLS if c.step):
        values = getattr(rule, cell.field)
        first = w.put(column, values[0], st.DECIMAL)
        last = first
        for k, v in enumerate(values[1:], start=1):
            last = w.put(column + k, v, st.DECIMAL)
        out[cell.name] = f"{first}:{last}"
        column += len(values)
    return out


class Writer:
    """Rows written top to bottom; remembers the Python value of each formula cell."""

    def __init__(self, ws):
        self.ws = ws
        self.row = 1
        self.expected: dict[str, float] = {}

    def put(self, col: int, value: Any, fmt: str | None = None, expected: float | None = None, bold: bool = False) -> str:
        cell = self.ws.cell(row=self.row, column=col)
        cell.value = SUPPRESSED_TEXT if value is None else value
        if fmt:
            cell.number_format = fmt
        if bold:
            cell.font = BOLD
        if expected is not None:
            self.expected[cell.coordinate] = expected
        return cell.coordinate

    def header(self, labels: list[str]) -> None:
        for i, label in enumerate(labels, start=1):
            self.put(i, label, bold=True)
        self.row += 1

    def skip(self, n: int = 1) -> None:
        self.row += n


def build(result: MeasurementResult) -> tuple[Workbook, dict[str, float]]:
    """The report workbook and the Python value of every formula cell (address → value)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    w = Writer(ws)
    w.put(1, f"Måling: {result.name}", bold=True)
    w.skip(2)
    info = [
        ("Kodegruppering", f"{result.grouping.name} – {result.grouping.source}"),
        ("Panelets uger", result.panel_span),
        ("Sammenligning", result.method),
        ("Konfidensniveau", result.level),
        ("Styrke (MDE)", result.power),
    ] + [(f"Antal personer: {arm}", n) for arm, n in result.counts.items()]
    if result.method == "matchning":
        info += [("Matchede par", result.matched), ("Uden match inden for kaliberen", result.unmatched)]
    level_cell = ""
    for label, value in info:
        w.put(1, label)
        ref = w.put(2, value)
        if label == "Konfidensniveau":
            level_cell = "$B$" + ref[1:]
        w.skip()
    w.skip()
    w.put(1, "Definitioner", bold=True)
    w.skip()
    w.header(["Mål", "Version", "Navn", "Definition"])
    for r in result.measures:
        m = r.measure
        for col, v in enumerate([m.id, m.version, m.navn, m.describe()], start=1):
            w.put(col, v)
        w.skip()
    w.skip()
    w.put(1, "Antal og effekt", bold=True)
    w.skip()
    w.header(["Mål", "n indsats", "n sammenligning", "Gennemsnit indsats", "Gennemsnit sammenligning", "Effekt",
              "Standardfejl", "Nedre grænse", "Øvre grænse", "Bootstrap nedre", "Bootstrap øvre", "MDE", "Metode"])
    refs: dict[str, dict[str, str]] = {}
    z = f"_xlfn.NORM.S.INV((1+{level_cell})/2)"  # NORM.S.INV, stored with its OOXML prefix
    for r in result.measures:
        n = w.row
        w.put(1, r.measure.id)
        w.put(2, r.treated["n"], st.INTEGER)
        w.put(3, r.comparison["n"], st.INTEGER)
        w.put(4, r.treated["gennemsnit"], st.FACTOR)
        w.put(5, r.comparison["gennemsnit"], st.FACTOR)
        e = r.estimate
        if e is None:
            for col in range(6, 12):
                w.put(col, None)
        else:
            from statistics import NormalDist
            se = (e.upper - e.lower) / (2 * NormalDist().inv_cdf((1 + result.level) / 2))
            w.put(6, f"=D{n}-E{n}", st.FACTOR, expected=e.effect)
            w.put(7, se, st.FACTOR)
            w.put(8, f"=F{n}-{z}*G{n}", st.FACTOR, expected=e.lower)
            w.put(9, f"=F{n}+{z}*G{n}", st.FACTOR, expected=e.upper)
            w.put(10, "" if e.boot_lower is None else e.boot_lower, st.FACTOR)
            w.put(11, "" if e.boot_upper is None else e.boot_upper, st.FACTOR)
            w.put(13, e.method)
        w.put(12, "" if r.mde is None else r.mde, st.FACTOR)
        refs[r.measure.id] = {"niveau": f"D{n}", "effekt": f"F{n}", "nedre": f"H{n}"}
        w.skip()
    if result.balance:
        w.skip()
        w.put(1, "Balance (standardiserede forskelle)", bold=True)
        w.skip()
        w.header(["Variabel", "Indsats", "Pulje", "SMD før", "Matchet sammenligning", "SMD efter"])
        for b in result.balance:
            for col, v in enumerate([b.name, b.treated_mean, b.pool_mean, b.smd_before, b.matched_mean, b.smd_after], start=1):
                w.put(col, v, None if col == 1 else st.FACTOR)
            w.skip()
    if result.payment_model is not None:
        payments_section(w, result, refs)
    if result.notes:
        w.skip()
        for note in result.notes:
            w.put(1, note)
            w.skip()
    for col, width in zip(range(1, 14), [34, 14, 16, 18, 20, 14, 14, 14, 14, 14, 14, 12, 24]):
        ws.column_dimensions[get_column_letter(col)].width = width
    return wb, w.expected


def payments_section(w: Writer, result: MeasurementResult, refs: dict[str, dict[str, str]]) -> None:
    """Metrics, payment rules, payments by year and the settlement, as formulas."""
    model = result.payment_model
    assert model is not None
    w.skip()
    w.put(1, "Resultatmål og betaling", bold=True)
    w.skip()
    w.put(1, "Personer i indsatsgruppen")
    n_ref = w.put(2, result.n_treated, st.INTEGER)
    n_ref = "$B$" + n_ref[1:]
    w.skip()
    w.header(["Resultatmål", "Navn", "År", "Mål", "Værdi", "Regel", "Tærskel", "Mål (værdi)", "Betaling ved mål", "Loft", "Betaling"])
    first = w.row
    by_metric = {m[0]: m for m in result.metrics}
    values = dict((m[0], m[4]) for m in result.metrics)
    links = {link.resultatmaal: link for link in result.links}
    from udfs.core.payment import metric_payments

    paid = metric_payments(model, values)
    for metric in model.resultatmaal:
        r = w.row
        link = links[metric.id]
        source = refs[link.maal]["niveau" if link.vaerdi == "niveau" else ("nedre" if link.interval == "nedre" else "effekt")]
        scale = f"*{n_ref}" if link.skala == "i_alt" else ""
        w.put(1, metric.id)
        w.put(2, metric.navn)
        w.put(3, metric.aar, st.YEAR)
        w.put(4, link.maal)
        w.put(5, f"={link.fortegn}*{source}{scale}", st.DECIMAL, expected=by_metric[metric.id][4])
        rule = metric.regel
        w.put(6, rule.type)
        if isinstance(rule, LinearRule):
            cap = rule.betaling_ved_maal if rule.loft is None else rule.loft
            w.put(7, rule.taerskel)
            w.put(8, rule.maal)
            w.put(9, rule.betaling_ved_maal, st.KR)
            w.put(10, cap if metric.loft is None else min(cap, metric.loft), st.KR)  # both caps: the rule's cap cell
            formula = "=" + rule_formula(rule, f"E{r}", {"taerskel": f"G{r}", "maalvaerdi": f"H{r}", "betaling": f"I{r}",
                                                          "regelloft": f"J{r}"})  # fmt: skip
        elif isinstance(rule, TierRule):
            w.put(7, "; ".join(f"{t:g}" for t in rule.taerskler))
            w.put(9, "; ".join(f"{p:g}" for p in rule.betalinger))
            lookup = rule_formula(rule, f"E{r}", step_cells(w, rule, STEP_COLUMN))
            if metric.loft is not None:
                w.put(10, metric.loft, st.KR)
                formula = f"=MIN(J{r},{lookup})"
            else:
                formula = f"={lookup}"
        else:
            raise SIError(f"betalingsmodel.{metric.id}", f"reglen {rule.type} kan ikke vises i målerapporten")
        w.put(11, formula, st.KR, expected=paid[metric.id])
        w.skip()
    last = w.row - 1
    years = len(result.payments)
    w.skip()
    w.put(1, "År", bold=True)
    for y in range(years):
        w.put(2 + y, y, st.YEAR, bold=True)
    w.skip()
    w.put(1, "Betalinger før kontraktloft")
    raw_row = w.row
    raw_python = [0.0] * years
    for metric in model.resultatmaal:
        raw_python[metric.aar] += paid[metric.id]
    for y in range(years):
        col = get_column_letter(2 + y)
        w.put(2 + y, f"=SUMIF($C${first}:$C${last},{col}{raw_row - 1},$K${first}:$K${last})", st.KR, expected=raw_python[y])
    w.skip()
    pay_row = raw_row
    if model.loft_kontrakt is not None:
        w.put(1, "Betalinger efter kontraktloft (seneste først)")
        w.put(2 + years, model.loft_kontrakt, st.KR)
        cap = f"${get_column_letter(2 + years)}${w.row}"
        capped = latest_first_formulas(w, raw_row, years, cap)
        pay_row = capped
    settlement = result.settlement
    w.put(1, "Betalinger (målt)")
    for y in range(years):
        col = get_column_letter(2 + y)
        w.put(2 + y, f"={col}{pay_row}", st.KR, expected=result.payments[y])
    pay_row = w.row
    w.skip()
    if settlement is None:
        return
    w.skip()
    w.put(1, "Afregning", bold=True)
    w.skip()
    w.put(1, "Investering")
    for y, v in enumerate(settlement.investment):
        w.put(2 + y, v, st.KR)
    inv_row = w.row
    w.skip()
    w.put(1, "Besparelser (casens forventede)")
    for y, v in enumerate(settlement.savings):
        w.put(2 + y, v, st.KR)
    sav_row = w.row
    w.skip()
    end = get_column_letter(1 + years)
    inv_total = f"SUM($B${inv_row}:${end}${inv_row})"
    final_row = pay_row
    if settlement.return_cap is not None:
        w.put(1, "Betalinger efter afkastloft")
        final_row = latest_first_formulas(w, pay_row, years, f"{inv_total}*(1+{_num(settlement.return_cap)})")
    if settlement.return_floor is not None:
        w.put(1, "Betalinger efter afkastgulv")
        prev = final_row
        for y in range(years):
            col = get_column_letter(2 + y)
            top = f"+MAX(0,{inv_total}*(1+{_num(settlement.return_floor)})-SUM($B${prev}:${end}${prev}))" if y == years - 1 else ""
            w.put(2 + y, f"={col}{prev}{top}", st.KR)
        final_row = w.row
        w.skip()
    for y in range(years):
        address = f"{get_column_letter(2 + y)}{final_row}"
        if final_row != pay_row:
            w.expected[address] = settlement.payments[y]
    pays = f"SUM($B${final_row}:${end}${final_row})"
    rows = [
        ("Investering i alt", f"={inv_total}", settlement.total_investment, st.KR),
        ("Betalinger i alt", f"={pays}", settlement.total_payments, st.KR),
        ("Investors bonus", f"={pays}-{inv_total}", settlement.bonus, st.KR),
        ("Afkast af investering", f"=({pays}-{inv_total})/{inv_total}", settlement.return_share, st.PERCENT),
        ("Besparelser i alt", f"=SUM($B${sav_row}:${end}${sav_row})", settlement.total_savings, st.KR),
        ("Betalers nettobesparelse", f"=SUM($B${sav_row}:${end}${sav_row})-{pays}", settlement.net_saving, st.KR),
    ]
    for label, formula, value, fmt in rows:
        w.put(1, label)
        w.put(2, formula, fmt, expected=value)
        w.skip()


def latest_first_formulas(w: Writer, source_row: int, years: int, cap: str) -> int:
    """A row paying each year's amount until ``cap`` is used up (so the latest payments are cut first); returns its row."""
    for y in range(years):
        col = get_column_letter(2 + y)
        before = f"SUM($B${source_row}:{get_column_letter(1 + y)}{source_row})" if y else "0"
        w.put(2 + y, f"=MIN({col}{source_row},MAX(0,{cap}-{before}))", st.KR)
    row = w.row
    w.skip()
    return row


def write(result: MeasurementResult, target: str | Path, overwrite: bool = False) -> Path:
    """Write the report workbook through the one safe write (:func:`workbooks.safe_write.write_file`):
    never over an existing file without ``overwrite``, and then the earlier version is kept as a
    numbered backup."""
    import io

    from .safe_write import check_target, write_file

    path = check_target(target, overwrite, "output", (".xlsx",))
    wb, _ = build(result)
    buffer = io.BytesIO()
    wb.save(buffer)
    return write_file(path, buffer.getvalue(), overwrite=overwrite, argument="output", suffixes=(".xlsx",))
