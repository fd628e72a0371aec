"""Building, reading back and checking the standard business-case workbook.

* :func:`build` writes the workbook for a case file safely (never overwrites
  without ``overwrite=True``, then keeps a backup).
* :func:`extract` reads an edited workbook's inputs back into a case.
* :func:`check` recalculates a workbook with LibreOffice and compares every
  result cell with the core's calculation of the same inputs.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from addin.formula import to_server_names
from udfs.core.vocabulary import OUTCOME_PAYERS
from udfs.core.businesscase import authority_figures, break_evens, key_figures, yearly_lines
from udfs.core.case_model import Case
from udfs.core.engine import Result, base_drivers, check_price_years, prepare, run
from udfs.core.errors import SIError
from udfs.core.danish_numbers import fixed
from udfs.core.engine import driver_names
from udfs.core.uncertainty import (
    DISTRIBUTION_WORDS, PERCENTILES, driver_label, driver_value_text, histogram, monte_carlo, scenario_pv, switching_text, switching_values,
    shown_shares, tornado, tornado_label,
)  # fmt: skip
from udfs.core.rounding import whole_shares
from udfs.core.settlement import limit_returns
from udfs.core.lineitems import KEY_FIGURES
from udfs.core.published import guarantee_figures, reproduction
from udfs.core.vocabulary import AUTHORITIES, NO_LOSS, NOT_WITHIN, UNDEFINED, amount_tolerance

from .layout import Formulas, Table, WorkbookLayout
from .names import EFFECT, effect_cell
from .reader import (
    StrayCell, check_rows, check_template, checked_inputs, gathered_inputs, notes_of, open_template, open_workbook, raw_inputs, stray_cells, template_info,
    values_of,
)  # fmt: skip
from .recalc import recalculating
from .standard import (
    COPY, NO_GUARANTEE, OVERVIEW_GUARANTEE, overview_key_cells, RESULT_TOTALS, OverviewRows, WORKBOOK_PRICE_HINT, Dims, case_from_values, dims_of, filled_slots,
    layout_for, layout_from_info, notes_for, empty_step_rows, in_use_headings, overview_rows, spare_cells, values_for, with_notes,
    snapshot_name, with_snapshot, workbook_error, workbook_errors,
    year_inputs,
)  # fmt: skip
from udfs.core.casefile import numbered_field
from udfs.core.plausibility import own_price_changed
from udfs.core.vocabulary import CURRENCY, in_currency
from .writer import workbook_bytes, write_workbook



def blank_case() -> Case:
    """An empty case to start from: one effect, one cost line, zeros everywhere, ten years."""
    from udfs.core.case_model import parse_case

    return parse_case({
        "navn": "Ny business case", "prisaar": 2023, "horisont": 10, "deltagere": [0],
        "indsats": [{"navn": "Indsats", "betaler": "kommune", "pr_aar": [0]}],
        "effekter": [{"id": "effekt", "navn": "Effekt", "enhedspris": "kontanthjaelp_30plus_ikke_forsoerger_uge",
                      "profil": [0], "succesrate": 0}],
    })  # fmt: skip


def server_layout(layout: WorkbookLayout) -> WorkbookLayout:
    """The layout with ``SI.X(`` names for the Office.js route (xlwings Server)."""
    sheets = []
    for sheet in layout.sheets:
        blocks = []
        for b in sheet.blocks:
            if isinstance(b, Table):
                items = tuple(
                    Formulas(i.name, i.label, tuple(to_server_names(f) for f in i.formulas), i.number_format)
                    if isinstance(i, Formulas) else i
                    for i in b.items
                )  # fmt: skip
                b = replace(b, items=items)
            blocks.append(b)
        sheets.append(replace(sheet, blocks=tuple(blocks)))
    return replace(layout, sheets=tuple(sheets))


def layout_of(case: Case, server_names: bool = False) -> WorkbookLayout:
    d = dims_of(case)  # what the workbook cannot hold is refused before anything is computed
    try:
        check_price_years(case, WORKBOOK_PRICE_HINT)
    except SIError:  # prices the index cannot reach: the sheets show the price message, Følsomhed's values stay blank
        written, shown = None, None
    else:
        written = {**written_values(case), **run_values(case)}
        # the blank workbook is typed into: Overblik shows every row (a case built by sibc hides those it does not use)
        shown = OverviewRows.every_row() if case == blank_case() else overview_rows(case)
    layout = layout_for(d, written, shown)
    # the copy of the inputs as built: what Følsomhed's written values belong to (stale_warning, blank under the price
    # message) and the amounts the own prices' derivations were written for (own_price_changed_excel)
    layout = with_snapshot(layout, values_for(case))
    return server_layout(layout) if server_names else layout


def fingerprint(case: Case) -> str:
    """A short digest of the case's inputs as the workbook holds them (:func:`~workbooks.standard.values_for`, the
    values of its input cells): which inputs the values sibc wrote belong to.  Taken of the workbook's inputs, not of
    the case file's text, so that every spelling of one case gives one digest: a metric's ``maaling`` as a mapping or
    as a list of one, a default written out or left away, a source beside a value (sources do not change a figure)."""
    text = json.dumps(values_for(case), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def written_values(case: Case) -> dict[str, list]:
    """The Følsomhed sheet's figures that Excel cannot compute, from the core, by cell name: the tornado
    (:func:`~udfs.core.uncertainty.tornado`, largest swing first), the switching values
    (:func:`~udfs.core.uncertainty.switching_values`), the Monte Carlo's results
    (:func:`~udfs.core.uncertainty.monte_carlo` with the case's draws and seed; none without
    distributions) and the fingerprint of the inputs.  Deterministic: ``sibc check`` compares them."""
    names = driver_names(case)
    bars = tornado(case, names=names)
    base_pv = float(run(case).payer_pv[0])
    out: dict[str, Any] = {
        "foelsomhed_grundlag": [fingerprint(case)],
        "to_basis_nv": [base_pv],
        "to_driver": [tornado_label(case, b) for b in bars],
        "to_basis": [driver_value_text(b.driver, b.base_value) for b in bars],
        "to_lav": [driver_value_text(b.driver, b.low_value) for b in bars],
        "to_hoej": [driver_value_text(b.driver, b.high_value) for b in bars],
        "to_nv_lav": [b.pv_low for b in bars], "to_nv_hoej": [b.pv_high for b in bars],
        "to_aendr_lav": [b.pv_low - base_pv for b in bars], "to_aendr_hoej": [b.pv_high - base_pv for b in bars],
        "to_udsving": [b.swing for b in bars],
    }  # fmt: skip
    switching = switching_values(case, names)
    base = {b.driver: b.base_value for b in bars}
    out |= {"sv_driver": [driver_label(case, n) for n in names], "sv_basis": [driver_value_text(n, base[n]) for n in names],
            "sv_vaerdi": [switching_text(n, switching[n], case) for n in names]}  # fmt: skip
    if not (case.usikkerhed and case.usikkerhed.fordelinger):
        return out
    spec = case.usikkerhed
    mc = monte_carlo(case)
    summary = shown_shares(mc.figures())  # keyed by name (udfs.core.uncertainty.MONTE_CARLO_FIGURES); shares add up as shown
    bins = histogram(mc.payer_pv)
    rows = [f"p{q}_nv" for q in PERCENTILES] + ["middel_nv"]
    out |= {
        "mc_i_ord": [f"{driver_label(case, n)}: {DISTRIBUTION_WORDS[dist.fordeling]}" for n, dist in spec.fordelinger.items()],
        "mc_traek_brugt": [spec.antal_traek], "mc_seed_brugt": [spec.seed],
        "mc_pv_betaler": [summary[f"{r}_betaler"] for r in rows], "mc_pv_offentlig": [summary[f"{r}_offentlig"] for r in rows],
        **{f"mc_{kind}_{who}": [summary[f"p_{kind}_{who}"]]
           for kind in ("gevinst", "tab") for who in ("betaler", "offentlig")},
        "mc_tab_investor": [summary["p_tab_investor"]],
        "mc_hist_navn": [bin_label(lo, hi) for lo, hi, _ in bins],  # mio. kr. (the chart's axis title)
        "mc_hist_fra": [lo for lo, _, _ in bins], "mc_hist_til": [hi for _, hi, _ in bins],
        "mc_hist_antal": [c for _, _, c in bins], "mc_hist_andel": whole_shares([c / mc.payer_pv.size for _, _, c in bins]),
    }  # fmt: skip
    return out


MINUS = "\u2212"
"""The typographic minus sign (−), wider than a hyphen: a negative number in a label read beside a dash."""


def bin_label(low: float, high: float) -> str:
    """A histogram bin as its chart label, in mio. kr. with two decimals: "−1,58 til −1,44" (a typographic minus
    and "til": "-1,58–-1,44" read as a double minus), "0,25 til 0,50"."""
    mio = lambda x: fixed(x / 1e6, 2).replace("-", MINUS)  # noqa: E731
    return f"{mio(low)} til {mio(high)}"


def run_values(case: Case) -> dict[str, list]:
    """What the values sibc writes say about their own run: the date (not compared by ``sibc check``)."""
    if not (case.usikkerhed and case.usikkerhed.fordelinger):
        return {}
    return {"mc_dato": [datetime.date.today().strftime("%d-%m-%Y")]}


def build_bytes(case: Case, server_names: bool = False) -> bytes:
    """The workbook for ``case`` as bytes (identical for identical cases)."""
    return workbook_bytes(layout_of(case, server_names), values_for(case), notes_for(case))


def build(case: Case, path: str | Path, *, overwrite: bool = False, server_names: bool = False) -> Path:
    """Write the workbook for ``case`` to ``path`` (see :func:`workbooks.writer.write_workbook`)."""
    return write_workbook(layout_of(case, server_names), values_for(case), path, overwrite=overwrite, notes=notes_for(case))


def extract(path: str | Path) -> Case:
    """The case held by a standard workbook's inputs (refuses other files, untouched)."""
    return extract_report(path)[0]


def extract_report(path: str | Path) -> tuple[Case, list[StrayCell]]:
    """:func:`extract`, and every non-empty cell outside the inputs (:func:`workbooks.reader.stray_cells`),
    which the case does not hold and the user must be told about."""
    case, strays, _ = extract_warnings(path)
    return case, strays


def extract_warnings(path: str | Path) -> tuple[Case, list[StrayCell], list[str]]:
    """:func:`extract_report`, and each own price whose amount was changed under the derivation written for the amount
    as built (:func:`own_prices_changed`, one Danish line each): the case keeps the user's derivation as typed."""
    wb, info, plan = open_template(path, layout_from_info)
    case = _case_of(wb, info, plan, path)
    cell = lambda d: plan.names[d.name].cell(d.index)  # noqa: E731
    over = [StrayCell(cell(d).sheet, cell(d).coordinate(), d.workbook, "over_beregnet", d.where, d.core) for d in written_over(wb, plan, case)]
    return case, outside_inputs(wb, info, plan, path) + over, own_prices_changed(wb, plan, case.valuta)


def own_prices_changed(wb, plan, currency: str = CURRENCY) -> list[str]:
    """Each own price whose amount differs from its copy as built while its derivation is the text built with it
    (:func:`udfs.core.plausibility.own_price_changed`, what the row's Kontrol says by formula), one Danish line naming
    the own price, its id and the amount's cell: ``Advarsel om egen pris 1 (x), Enhedspriser!F22: Beløbet er ændret
    …``.  A workbook built before the copies existed (names missing) gives none."""
    names = ("eg_id", "eg_beloeb", "eg_note", snapshot_name("eg_beloeb"), snapshot_name("eg_note"))
    if any(n not in plan.names or wb.defined_names.get(n) is None for n in names):
        return []
    value = lambda ref: wb[ref.sheet].cell(ref.min_row, ref.min_col).value if ref.sheet in wb.sheetnames else None  # noqa: E731
    ids, now, notes, built, built_notes = ([value(c) for c in plan.names[n].cells()] for n in names)
    data = {"egne_priser": [{"id": uid if isinstance(uid, str) else None} for uid in ids]}  # named as the workbook counts
    out = []
    for k, (amount, note, was, was_note) in enumerate(zip(now, notes, built, built_notes, strict=True)):
        message = own_price_changed(was, amount, was_note, note)
        if message:
            where = plan.names["eg_beloeb"].cell(k).label()
            out.append(f"Advarsel om {numbered_field(f'egne_priser[{k}]', data)}, {where}: {in_currency(message, currency)}")
    return out


def written_over(wb, plan, case: Case) -> list[Difference]:
    """Every value sibc wrote on Følsomhed at build (tornado, switching values, Monte Carlo) that a user typed over:
    its cell differs from its copy on the machinery sheet (:func:`workbooks.standard.written_copies`).  Each is a
    :class:`Difference` with the value found and the value sibc computes now for ``case`` (the workbook's inputs;
    None where it computes none, e.g. a Monte Carlo without distributions), ``where`` naming sheet, cell and label.
    A workbook built before the copies existed (every copy empty) gives none."""
    from .layout import Data, describe

    sheet = next((s for s in plan.layout.sheets if s.name == "Følsomhed"), None)
    items = [i for b in (sheet.blocks if sheet else ()) for i in (b.items if isinstance(b, Table) else (b,))]
    names = [i.name for i in items if isinstance(i, Data) and i.role == "written" and COPY + i.name in plan.names]
    value = lambda ref: wb[ref.sheet].cell(ref.min_row, ref.min_col).value  # noqa: E731
    pairs = [(name, k, value(c), value(plan.names[COPY + name].cell(k))) for name in names for k, c in enumerate(plan.names[name].cells())]
    if all(copy in (None, "") for _, _, _, copy in pairs):
        return []
    typed = [(name, k, found) for name, k, found, copy in pairs if not _same_written(found, copy)]
    if not typed:
        return []
    now = written_values(case) | run_values(case)
    return [Difference(name, k, found, now[name][k] if name in now and k < len(now[name]) else None, describe(plan, name, k))
            for name, k, found in typed]


def _same_written(found: Any, copy: Any) -> bool:
    if found in (None, "") or copy in (None, ""):
        return found in (None, "") and copy in (None, "")
    if isinstance(copy, int | float) and isinstance(found, int | float) and not isinstance(found, bool):
        return abs(found - copy) <= 1e-9 * max(1.0, abs(copy))
    return str(found) == str(copy)


def outside_inputs(wb, info, plan, path: str | Path) -> list[StrayCell]:
    """Every value of an open workbook that is not part of its case: cells the template has no input for
    (:func:`workbooks.reader.stray_cells`) and year cells of an input after the case's horizon."""
    d = Dims.from_dict(info.dims)
    raw = raw_inputs(wb, plan, path)
    horizon = raw["horisont"][0][0]
    later = []
    if isinstance(horizon, int | float) and not isinstance(horizon, bool) and 1 <= horizon <= d.years:
        for name in year_inputs(d):
            for value, where in raw[name][int(horizon):]:
                if value not in (None, "", 0):
                    sheet, cell = where.rsplit("!", 1)
                    later.append(StrayCell(sheet, cell, value, "efter_horisont"))
    return stray_cells(wb, plan.layout) + later


def _case_of(wb, info, plan, path: str | Path) -> Case:
    return _case_and_slots(wb, info, plan, path)[0]


def _case_and_slots(wb, info, plan, path: str | Path) -> tuple[Case, list[int]]:
    """The case of an open workbook, and the effect slots it fills (an empty slot is not part of the case)."""
    check_rows(wb, plan)  # a deleted or inserted row would move values under other labels
    d = Dims.from_dict(info.dims)
    raw = raw_inputs(wb, plan, path)
    effects, costs, metrics = filled_slots(raw, d)
    values, errors = gathered_inputs(plan, raw, spare_cells(d, effects, costs, metrics) | empty_step_rows(d, raw, metrics))
    refused = len(errors)
    try:  # read on past refused cells (None), so one message names every error: ids, funds and drivers too
        case = case_from_values(values, d, effects, costs, metrics)
    except SIError as err:
        errors += [err, *err.others]
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        if not errors:
            raise
        # a refused cell left nothing the case can be read from: the refused cells alone are reported
    if errors:  # every refusal names the workbook's sheet, cell and label (workbook_error), each cell once
        slots = {"effekter": effects, "indsats": costs, "betalingsmodel.resultatmaal": metrics}
        raise workbook_errors(errors, plan, slots, in_use_headings(raw, d), refused) from None
    return with_notes(case, notes_of(wb, plan)), effects


def usable_case(wb, info, plan, path: str | Path) -> tuple[Case, list[int]]:
    """:func:`_case_and_slots` of an open workbook whose prices can also be moved to its price year: the
    core's refusal of its inputs comes here, so ``sibc check`` can report it before LibreOffice starts."""
    case, slots = _case_and_slots(wb, info, plan, path)
    try:
        check_price_years(case, WORKBOOK_PRICE_HINT)
    except SIError as err:
        raise workbook_error(err) from None
    return case, slots


# --------------------------------------------------------------------------- expected values


def _num(x) -> float | str | None:
    return None if x is None else (x if isinstance(x, str) else float(x))


def expected_values(case: Case, d: Dims | None = None, effect_slots: list[int] | None = None) -> dict[str, Any]:
    """The core's value for every result cell of the workbook, by name (scalars and lists).

    ``d`` is the workbook's shape (default: the one built for ``case``) and
    ``effect_slots`` the slot of each of the case's effects (default: 1, 2, …);
    every other effect slot is empty and must give 0.
    """
    d = d or dims_of(case)
    effect_slots = effect_slots or list(range(1, len(case.effekter) + 1))
    r = run(case)
    s = r.savings[:, :, 0, :]
    out: dict[str, Any] = {"df": r.prepared.discount.tolist()}
    # each line of the year-by-year table is in the Resultat row of the same name (udfs.core.lineitems)
    out |= yearly_lines(r)
    zeros = [0.0] * d.years
    for i, a in enumerate(AUTHORITIES):
        for e in range(1, d.effects + 1):
            k = effect_slots.index(e) if e in effect_slots else None
            out[effect_cell(e, "bespar_" + a)] = zeros if k is None else s[k, i].tolist()
            out[effect_cell(e, "bespar_sum_" + a)] = 0.0 if k is None else float(s[k, i].sum())
    out |= {f"r_andel_{p}": r.payer_shares[k, 0].tolist() for k, p in enumerate(OUTCOME_PAYERS)}
    out["r_betal_betaler"] = r.payments_by_payer[OUTCOME_PAYERS.index(case.betaler), 0].tolist()
    guarantor, guaranteed = r.public_guarantee  # a public guarantor's payment by authority (udfs.core.guarantee)
    out |= {f"r_garanti_{a}": (guaranteed[0] if k == guarantor else 0.0 * guaranteed[0]).tolist() for k, a in enumerate(AUTHORITIES)}
    out["r_garanti_betaler"] = out[f"r_garanti_{case.betaler}"]
    out["r_investor_kontrakt"] = (r.payments[0] - r.investment[0]).tolist()
    out["r_andel_betaler"] = r.payer_shares[OUTCOME_PAYERS.index(case.betaler), 0].tolist()
    k = key_figures(r)  # each key figure with a cell is in the cell of the same name (udfs.core.lineitems)
    out |= {item.name: k[item.name] for item in KEY_FIGURES if item.cell}
    out |= authority_figures(r)  # who pays and who gains: the table on Overblik (udfs.core.lineitems.AUTHORITY_FIGURES)
    losses = break_evens(case)["betaler"].losses
    out["tab_fra"] = losses[0][0] if losses else NO_LOSS
    out["betalinger"] = r.payments[0].tolist()
    out |= return_limit_rows(case, r)
    for e in range(1, d.effects + 1):
        out[effect_cell(e, "maengde")] = _quantity(r, effect_slots.index(e)).tolist() if e in effect_slots else zeros
    out |= scenario_values(case)
    out |= guarantee_figures(case, r)  # the investor block on Resultat (udfs.core.guarantee)
    # Overblik's key figures: their Resultat cells' values; a guarantee's row says "ingen garanti" without a guarantor
    guarantee_rows = {cell for cell, *_ in OVERVIEW_GUARANTEE}
    out |= {cell: NO_GUARANTEE if cell in guarantee_rows and case.garanti is None else out[source]
            for cell, source in overview_key_cells().items()}
    if case.offentliggjort is not None:  # the Offentliggjort sheet: the core's comparison (udfs.core.published)
        rows, n = reproduction(case, r), len(case.effekter)
        by_slot = {slot: rows[1 + k] for k, slot in enumerate(effect_slots)}  # one row per effect slot; an empty slot gives 0
        rows = [rows[0], *(by_slot.get(e, ("", None, 0.0)) for e in range(1, d.effects + 1)), *rows[1 + n:]]
        out["off_beregnet"] = [calc for _, _, calc in rows]
        out["off_status"] = ["—" if pub is None else "genskabt" if pub == calc else "afviger" for _, pub, calc in rows]
    out |= {f"{name}_i_alt": float(sum(out[name])) for name in RESULT_TOTALS if name in out}
    return out


def return_limit_rows(case: Case, r: Result) -> dict[str, Any]:
    """Betalingsmodel's rows of the return cap's cut and the floor's top-up by year, and their totals on Resultat
    (``loft_skaaret``, ``gulv_lagt_til``), from the core's one rule (:func:`udfs.core.settlement.limit_returns`):
    the payments after the contract's cap less those after the return cap, and the payments after both limits less
    those after the cap alone."""
    before = r.payments[0] if r.payments_before_limits is None else r.payments_before_limits[0]
    investment = float(r.investment[0].sum())
    capped = limit_returns(before, investment, case.afkastloft, None, case.settlement_year)[0]
    cut, top_up = before - capped, r.payments[0] - capped
    return {"bet_skaeres_afkast": cut.tolist(), "bet_gulv": top_up.tolist(),
            "loft_skaaret": float(cut.sum()), "gulv_lagt_til": float(top_up.sum())}


def _quantity(r: Result, e: int) -> np.ndarray:
    """Effect e's change in quantity per year (draw 0)."""
    from udfs.core.engine import quantity_change

    return quantity_change(r.prepared, base_drivers(r.case))[e, 0]


def scenario_values(case: Case) -> dict[str, float]:
    """The payer's and the public PV for the low, base and high success rates (the core's
    :func:`~udfs.core.uncertainty.scenario_pv`), by the Følsomhed sheet's cell names; a scenario
    the case does not give is the base."""
    p = prepare(case)
    out = {}
    for scen in ("lav", "basis", "hoej"):
        pv = scenario_pv(case, {} if scen == "basis" else case.scenarier.get(scen, {}), p)
        out[f"nv_{scen}"], out[f"nvo_{scen}"] = pv["betaler"], pv["offentlig"]
    return out


# --------------------------------------------------------------------------- check


@dataclass(frozen=True)
class Difference:
    name: str
    index: int | None
    workbook: Any
    core: Any
    where: str = ""
    """Set for a value sibc wrote that was typed over (:func:`written_over`): its sheet, cell and label."""


def _same(workbook_value, core_value, name: str) -> bool:
    if core_value is None:
        return workbook_value in (UNDEFINED, NOT_WITHIN, None)
    if isinstance(core_value, str):  # a formula's empty text ("") is read back as an empty cell
        return workbook_value == core_value or (core_value == "" and workbook_value is None)
    if not isinstance(workbook_value, (int, float)) or isinstance(workbook_value, bool):
        return False
    kr = name.removeprefix("ov_").startswith(("r_", EFFECT, "nv", "bonus", "inv", "betal"))  # Overblik's copy as its source
    tolerance = amount_tolerance(core_value, workbook_value) if abs(core_value) >= 1 or kr else 1e-9
    return math.isclose(workbook_value, core_value, rel_tol=0.0, abs_tol=tolerance)  # the one rule, not isclose's own 1e-9


def compare(values: dict[str, Any], expected: dict[str, Any]) -> list[Difference]:
    """Every result cell whose recalculated value differs from the core's."""
    out = []
    for name, want in expected.items():
        got = values.get(name)
        if isinstance(want, list):
            got = got if isinstance(got, list) else [got] * len(want)
            out += [Difference(name, i, g, w) for i, (g, w) in enumerate(zip(got, want)) if not _same(g, w, name)]
        elif not _same(got, want, name):
            out.append(Difference(name, None, got, want))
    return out


def check(path: str | Path):
    """Recalculate ``path`` with LibreOffice and compare with the core on the same inputs.

    Returns the case read from the workbook, the result cells that differ, how
    many result cells were compared, and the Kontrol sheet's rows with its
    ``SI_`` formulas evaluated by the Python functions on LibreOffice's values
    (a :class:`Checked`; its ``stale`` says whether the values sibc wrote at build
    belong to older inputs).
    """
    result = check_many([path])[0]
    if isinstance(result, SIError):
        raise result
    return result


def open_checked(paths: list[str | Path]) -> list[tuple]:
    """Each workbook opened once (:func:`workbooks.reader.open_template`): a missing,
    hostile or foreign file is refused here, before LibreOffice is started on it."""
    return [open_template(path, layout_from_info) for path in paths]


def check_many(
    paths: list[str | Path], recalculated: Callable[[int], Path] | None = None, opened: list[tuple] | None = None
) -> list[tuple]:
    """:func:`check` for several workbooks, recalculated in one LibreOffice run (when their
    file names differ).  Each file is opened once for its inputs and formulas, each
    recalculated copy once for its values, and each layout resolved once; LibreOffice
    runs while Python reads the inputs and computes the expected values.

    A workbook whose inputs the core refuses (prices that cannot be moved, an own
    index without its link year, …) gives, in its place, an :class:`SIError`
    naming the workbook's sheet and cell label (:func:`workbooks.standard.workbook_error`);
    the other workbooks are checked as usual.

    ``opened`` is :func:`open_checked` of ``paths`` (done first by default), so every
    file is checked before LibreOffice starts.  ``recalculated`` is the ``result`` of a
    :func:`workbooks.recalc.recalculating` the caller started already after opening
    them; by default one is started here.
    """
    if opened is None:
        opened = open_checked(paths)
    if recalculated is None:
        with recalculating(paths) as result:
            return check_many(paths, result, opened)
    cases, expected = [], []
    for path, (wb, info, plan) in zip(paths, opened, strict=True):
        try:  # a workbook whose inputs the core cannot use is reported by its cells; the others go on
            case, slots = usable_case(wb, info, plan, path)
            cases.append(case)
            expected.append(expected_values(case, Dims.from_dict(info.dims), slots))
        except SIError as err:
            cases.append(workbook_error(err))
            expected.append(None)
    from .si_eval import control_rows  # the Excel functions, imported while LibreOffice works
    results = []
    for k, (formulas, _, plan) in enumerate(opened):
        if expected[k] is None:
            results.append(cases[k])
            continue
        out = recalculated(k)
        values = open_workbook(out, data_only=True)
        check_template(template_info(values, out.name), plan.layout, out.name)
        want = expected[k]
        current = values_of(values, plan, ["foelsomhed_grundlag"])["foelsomhed_grundlag"] == fingerprint(cases[k])
        if current:  # the values sibc wrote belong to these inputs: they must equal the core's
            want = want | written_values(cases[k])
        cells = sum(len(v) if isinstance(v, list) else 1 for v in want.values())
        found = values_of(values, plan, list(want))
        over = written_over(formulas, plan, cases[k])  # typed over a value sibc wrote: reported also when stale
        typed = {(d.name, d.index) for d in over}
        differences = over + [d for d in compare(found, want) if (d.name, d.index) not in typed]
        results.append(Checked((cases[k], differences, cells, control_rows(formulas, values, plan)), stale=not current))
    return results


class Checked(tuple):
    """One workbook's check: (case, differences, cells compared, Kontrol rows), and ``stale``: True when the
    values sibc wrote at build (Følsomhed's tornado, switching values, Monte Carlo) belong to other inputs
    than the workbook holds now (edited since): they were not compared and the workbook should be built again."""

    stale: bool

    def __new__(cls, items: tuple, stale: bool = False):
        out = super().__new__(cls, items)
        out.stale = stale
        return out


def case_yaml(case: Case) -> str:
    """The case as YAML text (what extract writes)."""
    from udfs.core.case_model import dump_case

    return dump_case(case)


__all__ = ["blank_case", "build", "build_bytes", "case_yaml", "check", "check_many", "compare", "expected_values", "extract",
           "extract_report", "extract_warnings", "open_checked", "own_prices_changed"]
