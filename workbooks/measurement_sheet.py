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
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from udfs.core.errors import SIError
from udfs.core.measurement.privacy import SUPPRESSED_TEXT
from udfs.core.measurement.report import MeasurementResult
from udfs.core.payment import LinearRule, TierRule
from udfs.core.rules import PerPeriodRule, Rule
from udfs.core.guarantee import guarantee_payment_excel
from udfs.core.settlement import SETTLEMENT_ITEMS
from udfs.core.vocabulary import CURRENCY, UNIT_WORDS, in_currency

from . import styles as st
from .printing import apply_fit, choose_fit, column_pt, header_footer, printable
from .reader import MEASUREMENT_SHEET
from .writer import BOLD_CHAR_PT, LINE_HEIGHT, TEXT_CHAR_PT, wrapped_lines

SHEET = MEASUREMENT_SHEET
BOLD = st.font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="bottom")


def _num(x: float) -> str:
    return repr(float(x))


def rule_formula(rule: Rule, x: str, cells: dict[str, str], template: str | None = None) -> str:
    """The payment of ``rule`` at ``x`` as its own Excel formula (:meth:`udfs.core.rules.Rule.excel`, or ``template``).

    The rule's cells named in ``cells`` are those addresses (a step list: a range of one row, so steps
    are compared as the workbook compares them; LibreOffice's MATCH on an array constant does not count
    0.3 − 0.2 as reaching 0.1); the others are written into the formula as numbers (``""`` when unset).
    """
    fields = {c.name: c.field for c in rule.CELLS}
    # a computed cell of the rule's own cells only (e.g. the switch point hovedstol × (1 + afkast)): its formula
    formulas = {f.name: f.template for f in rule.FORMULAS if "{" not in re.sub(r"\{@\w+\}", "", f.template)}

    def value(match: re.Match) -> str:
        name, index = match.group(1), match.group(2)
        if name in cells and index is None:
            return cells[name]
        if name in formulas and index is None:
            return "(" + re.sub(r"\{@(\w+)(?:\[(\d+)\])?\}", value, formulas[name]) + ")"
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

    return re.sub(r"\{@(\w+)(?:\[(\d+)\])?\}", value, (template or rule.excel()).replace("{x}", x))


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

    def __init__(self, ws, currency: str = CURRENCY):
        self.ws = ws
        self.row = 1
        self.expected: dict[str, float] = {}
        self.currency = currency
        """The case's currency: an amount's number format shows it (:func:`~udfs.core.vocabulary.in_currency`)."""

    def put(self, col: int, value: Any, fmt: str | None = None, expected: float | None = None, bold: bool = False) -> str:
        cell = self.ws.cell(row=self.row, column=col)
        cell.value = SUPPRESSED_TEXT if value is None else value
        if fmt:
            cell.number_format = in_currency(fmt, self.currency)
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
    w = Writer(ws, result.valuta)
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
            for line in note.split("\n"):  # a note of several lines: a row each
                w.put(1, line)
                w.skip()
    for col, width in zip(range(1, 14), [44, 16, 16, 18, 20, 14, 14, 14, 14, 14, 14, 12, 24]):
        ws.column_dimensions[get_column_letter(col)].width = width
    print_setup(ws, result.case_name or result.name)
    return wb, w.expected


YEAR_WIDTH = 14
"""The width of a column right of M (later years): an amount such as "1.500.000 kr." shown whole."""


def print_setup(ws, name: str) -> None:
    """Print the report on A4 as the standard workbook's sheets print (:mod:`workbooks.printing`): header with
    ``name`` (the case's name), the sheet's and the file's name, footer with the date and "Side x af y"; landscape,
    fitted to one page wide (or split across with column A repeated, :func:`~workbooks.printing.choose_fit`), the
    title row repeated on every page.  A text longer than its column wraps within it and its row is as tall as it
    needs (:func:`workbooks.writer.wrapped_lines`); a text of column A with nothing beside it (a note) wraps over
    the printed width instead; "< 5" (suppressed) stands right, as the numbers it stands for."""
    last = ws.max_column
    for col in range(14, last + 1):
        ws.column_dimensions[get_column_letter(col)].width = YEAR_WIDTH
    widths = [column_pt(ws.column_dimensions[get_column_letter(c)].width) for c in range(1, last + 1)]
    fit = choose_fit(sum(widths))
    page_cols = last if fit.one_wide else next((c for c in range(1, last + 1) if sum(widths[:c]) > printable(fit.orientation)[0] / fit.scale), last + 1) - 1
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=last):
        lines = 1
        for cell in row:
            if cell.value == SUPPRESSED_TEXT:
                cell.alignment = Alignment(horizontal="right")
            if not isinstance(cell.value, str) or cell.value.startswith("="):
                continue
            char_pt = BOLD_CHAR_PT if cell.font.b else TEXT_CHAR_PT
            free = next((c.column for c in row[cell.column:] if c.value not in (None, "")), last + 1)  # runs over empty cells
            end = max(cell.column, min(free - 1, page_cols))
            room = sum(widths[cell.column - 1:end]) - 6
            if len(cell.value) * char_pt <= room:
                continue
            if end > cell.column:  # a note: wrapped over the empty cells beside it
                ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row, end_column=end)
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=cell.alignment.horizontal)
            lines = max(lines, wrapped_lines(cell.value, room, char_pt))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = max(ws.row_dimensions[row[0].row].height or 0, LINE_HEIGHT * lines)
            for cell in row:  # the row's figures beside the first line of its texts
                if not cell.alignment.wrap_text:
                    cell.alignment = Alignment(vertical="top", horizontal=cell.alignment.horizontal)
    apply_fit(ws, fit)
    ws.print_title_rows, ws.print_title_cols = "1:1", "A:A"
    ws.print_area = f"A1:{get_column_letter(last)}{ws.max_row}"
    header_footer(ws, name)


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
    links = {link.resultatmaal: link for link in result.links}
    paid = result.paid
    for metric in model.resultatmaal:
        link = links[metric.id]
        rule = metric.regel
        per_person = link.skala == "pr_person"
        if isinstance(rule, PerPeriodRule):  # its own labels above the row
            for col, label in zip((7, 8, 9, 10), (f"Sats pr. {UNIT_WORDS[rule.periode]} (kr.)", "Loft pr. deltager (kr.)",
                                                  "Betalt pr. person før loft i alt (kr.)" if per_person else "Deltagere til loftet",
                                                  "Loft i alt (kr.)")):
                w.ws[w.put(col, in_currency(label, result.valuta), bold=True)].alignment = WRAP
            w.ws.row_dimensions[w.row].height = 40  # three lines of a 14-character column
            w.skip()
        r = w.row
        source = refs[link.maal]["niveau" if link.vaerdi == "niveau" else ("nedre" if link.interval == "nedre" else "effekt")]
        scale = f"*{n_ref}" if link.skala == "i_alt" else ""
        w.put(1, metric.id)
        w.put(2, metric.navn)
        w.put(3, metric.aar, st.YEAR)
        w.put(4, link.maal)
        if per_person:  # each participant's weeks stay inside the measurement (privacy): their sum, as a value
            w.put(5, by_metric[metric.id][4], st.DECIMAL)
        else:
            w.put(5, f"={link.fortegn}*{source}{scale}", st.DECIMAL, expected=by_metric[metric.id][4])
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
        elif isinstance(rule, PerPeriodRule):
            total_caps = [c for c in (rule.loft_i_alt, metric.loft) if c is not None]  # the metric's cap: on the total too
            w.put(7, rule.sats, st.KR)
            w.put(8, "" if rule.loft_pr_deltager is None else rule.loft_pr_deltager, st.KR)
            if per_person:
                w.put(9, result.per_person[metric.id], st.KR)  # Σ_p min(sats × uger_p, loft pr. deltager), from Python
                w.put(10, min(total_caps) if total_caps else "", st.KR)
                formula = "=" + rule_formula(rule, f"I{r}", {"loft_i_alt": f"J{r}"}, rule.excel_per_person())
            else:
                w.put(9, "" if rule.deltagere is None else rule.deltagere, st.INTEGER)
                w.put(10, min(total_caps) if total_caps else "", st.KR)
                formula = "=" + rule_formula(rule, f"E{r}", {"sats": f"G{r}", "loft_pr_deltager": f"H{r}",
                                                              "deltagere_brugt": f"I{r}", "loft_i_alt": f"J{r}"})
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
    sav_row = None if settlement.savings is None else measured_savings_rows(w, result, refs, n_ref, years)
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
    w.put(1, "Betalers andel af betalingerne (kontraktens fordeling)")
    for y, v in enumerate(settlement.payer_share or (1.0,) * years):
        w.put(2 + y, v, st.PERCENT)
    share_row = w.row
    w.skip()
    w.put(1, SETTLEMENT_ITEMS["betalinger_betaler"].label)
    for y in range(years):
        col = get_column_letter(2 + y)
        w.put(2 + y, f"={col}{share_row}*{col}{final_row}", st.KR, expected=settlement.payer_payments[y])
    own_row = w.row
    w.skip()
    sums = {"investering": inv_total, "betalinger": pays, "betalinger_betaler": f"SUM($B${own_row}:${end}${own_row})"}
    if sav_row is not None:
        sums["besparelser"] = f"SUM($B${sav_row}:${end}${sav_row})"
    settlement_summary(w, result, sums)


FORMATS = {"kr": st.KR, "share": st.PERCENT, "ratio": st.DECIMAL}
"""A settlement line item's unit → its number format (a text unit has none)."""


def settlement_summary(w: Writer, result: MeasurementResult, sums: dict[str, str]) -> None:
    """The settlement's rows as ``sibc afregn`` shows them (:func:`udfs.core.published.settlement_rows`: the same
    labels, with the guarantee and the investor's view), each a formula of the rows above where it is a sum or a
    difference (``sums``: the Excel sums of investment, payments, the payer's payments and savings), the guarantor's
    payment as :func:`udfs.core.guarantee.guarantee_payment_excel`; the IRRs, the break-evens and the largest losses
    as Python's values."""
    at: dict[str, str] = {}

    def ref(name: str) -> str:
        return at[name] if name in at else f"({sums[name]})"

    formulas = {
        "investering": lambda: sums["investering"],
        "betalinger": lambda: sums["betalinger"],
        "bonus": lambda: f"{ref('betalinger')}-{ref('investering')}",
        "afkast": lambda: f"{ref('bonus')}/{ref('investering')}",
        "besparelser": lambda: sums["besparelser"],
        "betalinger_betaler": lambda: sums["betalinger_betaler"],
        "nettobesparelse": lambda: f"{ref('besparelser')}-{ref('betalinger_betaler')}",
        "garanti_betaling": lambda: guarantee_payment_excel(ref("garanti_daekning"), ref("investering"), ref("betalinger")),
        "investor_netto_garanti": lambda: f"{ref('bonus')}+{ref('garanti_betaling')}",
        "afkast_garanti": lambda: f"{ref('investor_netto_garanti')}/{ref('investering')}",
        "garant_netto": lambda: f"-{ref('garanti_betaling')}",
        "nettobesparelse_garanti": lambda: f"{ref('nettobesparelse')}-{ref('garanti_betaling')}",
        "betaler_udgift_garanti": lambda: f"{ref('betalinger_betaler')}+{ref('garanti_betaling')}",
    }
    for item, value in result.settlement_rows:
        w.put(1, item.label)
        fmt = FORMATS.get(item.unit)
        if item.name in formulas and isinstance(value, (int, float)):
            at[item.name] = "$B$" + w.put(2, "=" + formulas[item.name](), fmt, expected=value)[1:]
        else:
            cell = w.put(2, "" if value is None else (value if isinstance(value, (int, float)) else str(value)), fmt)
            at[item.name] = "$B$" + cell[1:]
        w.skip()


def measured_savings_rows(w: Writer, result: MeasurementResult, refs: dict[str, dict[str, str]], n_ref: str,
                          years: int) -> int:
    """The payer's savings in the situation measured (:func:`udfs.core.published.measured_savings`): each effect's
    expected savings by year (values), its metric's value in the case and the measured effect in the metric's
    unit (a formula of the effect cell), their ratio, and the savings row Σ_e expected × ratio; returns that row."""
    basis = result.savings_basis
    assert basis is not None and basis.savings is not None
    links = {link.resultatmaal: link for link in result.links}
    metric_col, case_col, effect_col, ratio_col = (2 + years + k for k in range(4))
    w.put(1, "Besparelser i den målte situation", bold=True)
    w.skip()
    w.header(["Effekt: casens forventede besparelse", *(f"År {y}" for y in range(years)), "Målt ved", "Casens værdi",
              "Målt effekt", "Forhold"])
    first = w.row
    for effect, expected in basis.expected.items():
        w.put(1, effect)
        for y, v in enumerate(expected):
            w.put(2 + y, v, st.KR)
        if effect in basis.scales:
            ratio, metric, case_value = basis.scales[effect]
            link = links[metric]
            scale = f"*{n_ref}" if link.skala in ("i_alt", "pr_person") else ""
            w.put(metric_col, metric)
            w.put(case_col, case_value, st.DECIMAL)
            w.put(effect_col, f"={link.fortegn}*{refs[link.maal]['effekt']}{scale}", st.DECIMAL,
                  expected=case_value * ratio)
            ratio_letter, effect_letter, case_letter = (get_column_letter(c) for c in (ratio_col, effect_col, case_col))
            w.put(ratio_col, f"={effect_letter}{w.row}/{case_letter}{w.row}", st.FACTOR, expected=ratio)
        else:  # an effect without savings for the payer: nothing to scale
            w.put(ratio_col, 1, st.FACTOR)
        w.skip()
    last = w.row - 1
    ratio_range = f"${get_column_letter(ratio_col)}${first}:${get_column_letter(ratio_col)}${last}"
    w.put(1, "Besparelser (den målte situation)", bold=True)
    for y in range(years):
        col = get_column_letter(2 + y)
        w.put(2 + y, f"=SUMPRODUCT({col}{first}:{col}{last},{ratio_range})", st.KR, expected=basis.savings[y])
    row = w.row
    w.skip()
    return row


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
