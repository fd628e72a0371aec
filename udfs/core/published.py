"""A case's figures as published, compared with the calculation; the settlement of a case.

A case taken from a publication (the three examples of seed 000, "Sociale
effektinvesteringer") is an ordinary case file whose values carry their
``kilde``/``antagelse`` (:mod:`udfs.core.sourced`) and which holds the figures
as published in ``offentliggjort`` (mio. kr. at one decimal).  Nothing here
changes the calculation: :func:`reproduction` sets the published figure next
to the computed one and :func:`deviations` says where they differ, so that a
copy with a driver changed (a what-if) calculates and reports how far it is
from the publication.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .businesscase import break_even_figures, break_evens, success_profile
from .case_model import Case
from .casefile import numbered_field
from .danish_numbers import fixed
from .engine import Result, achieved, calculate, run
from .rounding import excel_round
from .sourced import child
from .validation import shown
from .vocabulary import CURRENCY, NOT_PUBLIC, OUTCOME_PAYERS, in_currency
from .settlement import Settlement, settle, workbook_irr
from .guarantee import Guarantee, GuaranteedSettlement, InvestorView, investor_view, maximum_loss, settlement_figures


def mio(value: float) -> float:
    """kr. → mio. kr. at one decimal, rounded like Excel's ROUND (the published precision).

    Excel equivalent: ``=ROUND(beløb/1000000; 1)``.

    Examples
    --------
    >>> mio(6_400_000.08)
    6.4
    >>> mio(1_250_000)
    1.3
    """
    return excel_round(value / 1e6, 1)


def settle_case(case: Case, payments: Sequence[float] | None = None, result: Result | None = None,
                measured: MeasuredSavings | None = None) -> Settlement:
    """The contract of ``case`` settled (see :func:`udfs.core.settlement.settle`).

    The investment is what the investor pays (cost lines with ``betaler:
    investor``), the savings are the payer's, and the payments are the
    engine's on the case as given before the return cap and floor, which
    the settlement applies (or ``payments``, kr. per year, e.g. measured
    ones), all payers together; the payer pays its own share of each
    year's payment (:attr:`~udfs.core.engine.Result.payer_shares`: 1 with one
    payer), which its net saving counts; ``afkastloft`` and ``afkastgulv`` are
    the case's; the investment is the investor's cost lines as entered, without
    the optimism mark-up (:func:`udfs.core.engine.cost_factors`).  With ``measured`` (:func:`measured_savings`)
    the savings are those of the situation measured, or none when the
    measurement gives no honest scaling.  SIError (naming ``investering``) for a
    case without an investment.
    """
    r = result if result is not None else run(case)
    return settle(
        r.investment[0],
        (r.payments if r.payments_before_limits is None else r.payments_before_limits)[0] if payments is None else payments,
        r.savings_by_authority[r.payer_index, 0] if measured is None else measured.savings,
        return_cap=case.afkastloft,
        return_floor=case.afkastgulv,
        payer_share=r.payer_shares[OUTCOME_PAYERS.index(case.betaler), 0],
        settlement_year=case.settlement_year,
    )


@dataclass(frozen=True)
class MeasuredSavings:
    """The payer's savings in the situation a measurement shows (see :func:`measured_savings`).

    ``savings``: kr. per year (H,), or None when no honest scaling exists (``reason`` says why, in Danish);
    ``scales``: effect id → (r = measured / expected, the metric that measures it, the case's expected value
    of that metric — for a count of persons: for the persons measured, see :func:`measured_savings`); ``expected``: effect id → the payer's savings by year as the case expects them (kr.).
    """

    savings: tuple[float, ...] | None
    scales: dict[str, tuple[float, str, float]]
    expected: dict[str, tuple[float, ...]]
    reason: str | None = None


def counted_participants(case: Case, metric_id: str, result: Result | None = None) -> float | None:
    """The participants a metric's expected value counts: for a metric measured as a count of persons
    (``maaling``: ``maal: antal``, one link) the case's participants of its effect over all intake years
    (:func:`udfs.core.engine.achieved`: net success rate × participants); None for any other metric."""
    links = case.maaling.get(metric_id) if case.maaling else None
    if not links or isinstance(links, list) and len(links) != 1:
        return None
    link = links[0] if isinstance(links, list) else links
    if link.maal != "antal":
        return None
    r = result if result is not None else run(case)
    i = [e.id for e in case.effekter].index(link.effekt)
    return float(r.drivers.participant_factor[0] * r.prepared.effects[i].participants.sum())


def measured_savings(case: Case, measured: Mapping[str, float | None], result: Result | None = None,
                     counted: Mapping[str, int] | None = None) -> MeasuredSavings:
    """The case's savings for the payer, scaled to the effects a measurement shows.

    ``measured``: outcome metric id → the measured *effect* in the metric's unit (intervention −
    comparison, the point estimate, e.g. 5.6 weeks per participant; None when suppressed).  The case
    measures each metric from one effect (``maaling``: ``faktor × nettosuccesrate``, × participants for
    ``antal``; :func:`udfs.core.engine.achieved`), so the measured value over the case's expected value,
    r = measured / expected, is the measured net success rate over the case's; the effect's savings are
    the engine's at net success rate r × (succesrate − dødvægt) — exactly r × its expected savings, as
    savings are linear in the net success rate.  Effects without savings for the payer are left as they
    are.  Hand example: 6 weeks measured against the case's 15 gives r = 0.4, and an effect the case
    expects to save 6,400,000 kr. saves 0.4 × 6,400,000 = 2,560,000 kr.

    ``counted``: metric id → the persons a measured count counts (the intervention group measured).  A metric the
    case counts in persons over its participants (``maal: antal``, :func:`counted_participants`) is set against
    the case's value for that many persons: 7,5 of 25 persons measured against the case's 30 of 75 participants is
    7,5 ÷ (30 × 25 ÷ 75) = 0,75, the net success rate 0,3 over the case's 0,4 (not 7,5 ÷ 30).

    No honest scaling exists, and ``savings`` is None with the reason, when a metric's effect is
    suppressed, when the case expects 0 for a metric, when a metric is measured on several outcomes,
    when two metrics measure one effect with different r, or when an effect with savings for the payer
    is measured by no metric (its savings would stay the case's expected ones).
    """
    r = result if result is not None else run(case)
    model = case.betalingsmodel
    p, d = r.prepared, r.drivers
    payer = r.payer_index
    payer_savings = r.savings[:, payer]  # (E, 1, H)
    expected = {e.id: tuple(float(v) for v in payer_savings[i, 0]) for i, e in enumerate(case.effekter)}
    scales: dict[str, tuple[float, str, float]] = {}

    def without(reason: str) -> MeasuredSavings:
        return MeasuredSavings(None, scales, expected, reason)

    if model is None or d is None:
        return without("casen har ingen betalingsmodel")
    names = {e.id: e.navn for e in case.effekter}
    for metric in model.resultatmaal:
        links = case.maaling[metric.id]
        links = links if isinstance(links, list) else [links]
        value = measured.get(metric.id)
        if value is None:
            return without(f"effekten bag '{metric.id}' er undertrykt (under 5 personer)")
        if len(links) != 1:
            return without(f"'{metric.id}' måles på flere udfald, så én skalering af effekterne findes ikke")
        link = links[0]
        at_case = float(achieved(p, d, link, payer_savings)[0])
        persons = counted_participants(case, metric.id, r) if counted and metric.id in counted else None
        if persons:  # the case's count for the persons measured
            at_case *= counted[metric.id] / persons  # type: ignore[index]
        if at_case == 0:
            return without(f"casen forventer 0 for '{metric.id}', så målingen kan ikke sættes i forhold til casen")
        ratio = value / at_case
        for effect in [e.id for e in case.effekter] if link.effekt is None else [link.effekt]:
            if effect in scales and not math.isclose(scales[effect][0], ratio, rel_tol=1e-9):
                other = scales[effect][1]
                return without(f"effekten '{names[effect]}' måles af både '{other}' og '{metric.id}' med forskellige "
                               "forhold til casen")
            scales[effect] = (ratio, metric.id, at_case)
    for i, e in enumerate(case.effekter):
        if e.id not in scales and np.any(payer_savings[i] != 0):
            return without(f"effekten '{e.navn}' måles ikke af noget resultatmål, så dens besparelse kan ikke skaleres")
    rows = [i for i, e in enumerate(case.effekter) if e.id in scales]
    success = d.success.copy()
    for i in rows:  # net success rate r × (s − dw), i.e. s' = dw + r × (s − dw)
        success[i] = d.deadweight[i] + scales[case.effekter[i].id][0] * (d.success[i] - d.deadweight[i])
    at_measured = calculate(p, replace(d, success=success))
    return MeasuredSavings(tuple(float(v) for v in at_measured.savings_by_authority[payer, 0]), scales, expected)


def case_guarantee(case: Case) -> Guarantee | None:
    """The case's ``garanti`` as a :class:`~udfs.core.guarantee.Guarantee`; None without one."""
    g = case.garanti
    return None if g is None else Guarantee(g.garant, g.beloeb, g.andel, g.myndighed)


def guaranteed_settlement(case: Case, settlement: Settlement | None = None) -> GuaranteedSettlement | None:
    """The case's settlement (:func:`settle_case`) with its guarantee; None for a case without ``garanti``."""
    g = case_guarantee(case)
    return None if g is None else GuaranteedSettlement(settlement or settle_case(case), g, case.betaler)


def case_investor_view(case: Case, result: Result | None = None, settlement: Settlement | None = None) -> InvestorView:
    """The investor's view of ``case``: its settlement, guarantee and break-even (SIError without an investment).

    ``settlement``: the contract settled on other payments (e.g. measured ones, :func:`settle_case` with
    ``payments``); by default the case's own.  Break-even and the lowest payments are the contract's and come from
    :func:`udfs.core.businesscase.break_evens` (the investor's payments −
    investment, undiscounted, over success rates 0–1): the lowest payments
    are the investment plus that figure's minimum.
    """
    s = settlement if settlement is not None else settle_case(case, result=result)
    be = break_evens(case)
    figures = break_even_figures(be)
    worst = s.total_investment + be["investor"].minimum if be["investor"] is not None else 0.0
    return investor_view(s, case_guarantee(case), worst, figures["be_investor"], figures["be_investor_krav"])


def settlement_rows(case: Case, result: Result | None = None,
                    settlement: Settlement | None = None) -> tuple[list[tuple[Any, Any]], list[tuple[str, str, Any]]]:
    """The case's whole settlement as ``sibc afregn`` shows it: (line item, value) pairs of the settlement, its
    guarantee and the investor's view (:func:`udfs.core.guarantee.settlement_figures`), and the year-by-year lines
    (name, Danish label, values by year; with the guarantor's and the investor's flows after the guarantee).

    ``settlement``: the contract settled on other payments (a measurement's, :func:`settle_case` with ``payments``),
    which then goes through the same guarantee, return cap and floor; by default the case's own settlement.
    Hand example (Housing First, a state guarantee of 50 % of 3.000.000 kr.): measured payments 1.375.000 kr.
    give the guarantor's payment min(1.500.000; 3.000.000 − 1.375.000) = 1.500.000 kr. in the settlement year.
    """
    view = case_investor_view(case, result, settlement)
    guaranteed = guaranteed_settlement(case, view.settlement)
    rows = settlement_figures(view.settlement, case_guarantee(case), view, case.betaler)
    lines = view.settlement.yearly_lines() if guaranteed is None else guaranteed.settlement_lines()
    return rows, lines


def guarantee_figures(case: Case, result: Result | None = None) -> dict[str, float | list[float] | None]:
    """The investor and guarantor figures of the standard workbook's investor block (Resultat), by cell name.

    Without ``garanti`` the cover is 0 and the figures are the investor's own;
    without an investment the return and the IRR are None (undefined).  The
    guarantor pays in the contract's settlement year (``garanti_aar``,
    :attr:`~udfs.core.case_model.Case.settlement_year`); the largest loss is
    :func:`~udfs.core.guarantee.maximum_loss` at the lowest payments over
    success rates 0–1 (:func:`udfs.core.businesscase.break_evens`), after the
    case's afkastgulv (the engine's payments and the investor's break-even
    pieces are after both limits, as the workbook's rows are).
    """
    r = result if result is not None else run(case)
    inv, pay = r.investment[0], r.payments[0]
    s = Settlement(tuple(inv), tuple(pay), tuple(pay), tuple(pay), settlement_year=case.settlement_year)  # savings do not enter these figures
    g = GuaranteedSettlement(s, case_guarantee(case) or Guarantee("", amount=0.0, authority=NOT_PUBLIC))
    flow = list(g.investor_cashflow)  # the cells of the yearly line r_investor (expected from the engine's yearly lines)
    total = s.total_investment
    be = break_evens(case)["investor"]
    lowest = total + be.minimum if be is not None else float(pay.sum())
    lowest_flow = {} if be is None else {"inv_laveste": be.minimum}  # without an investment the core has no such figure
    return lowest_flow | {
        "garanti_daekning": g.cover,
        "garanti_betaling": g.payment,
        "inv_netto_garanti": g.investor_net,
        "afkast_garanti": g.investor_return if total > 0 else None,
        "investor_irr_garanti": workbook_irr(flow),
        "garant_netto": 0.0 - g.payment,
        "inv_tab": maximum_loss(total, lowest, None, 0.0),
        "inv_tab_garanti": maximum_loss(total, lowest, None, g.cover),
    }


def reproduction(case: Case, result: Result | None = None) -> list[tuple[str, float | None, float]]:
    """Rows ``(label, published, computed)``, mio. kr. at one decimal; [] for a case without published figures.

    ``published`` is None where the source does not show the figure.  Savings
    are the payer's, one row per effect (published in ``offentliggjort.besparelser``).
    The workbook's Offentliggjort sheet has the same rows.
    """
    pub = case.offentliggjort
    if pub is None:
        return []
    r = result if result is not None else run(case)
    s = settle_case(case, result=r)
    payer = r.payer_index
    rows: list[tuple[str, float | None, float]] = [("Investering", pub.investering, mio(s.total_investment))]
    rows += [(f"Besparelse: {e.navn}", pub.besparelser.get(e.id), mio(r.savings[i, payer, 0].sum())) for i, e in enumerate(case.effekter)]
    rows += [
        ("Besparelse i alt", pub.besparelse_i_alt, mio(s.total_savings)),
        ("Betaling ved fuld succes", pub.betaling_ved_fuld_succes, mio(full_success_payments(case, r))),
        ("Investors bonus", pub.investors_bonus, mio(s.bonus)),
        ("Kommunal nettobesparelse", pub.kommunal_nettobesparelse, mio(s.net_saving)),
    ]
    return rows


def full_success_payments(case: Case, result: Result) -> float:
    """The outcome payments (kr., after every cap) with every effect's success rate at 1, as a publication's
    "betaling ved fuld succes" is meant — not at the case's own rates, which a what-if may have lowered.

    Excel: the standard workbook's break-even grid at s = 1, ``ev_inv[1] + investering`` (sheet Offentliggjort).
    """
    return float(success_profile(case, result.prepared)(1.0)[1] + result.investment[0].sum())


def deviations(rows: list[tuple[str, float | None, float]]) -> list[tuple[str, float, float]]:
    """The rows of :func:`reproduction` whose computed figure is not the published one."""
    return [(label, pub, calc) for label, pub, calc in rows if pub is not None and pub != calc]


def deviation_text(rows: list[tuple[str, float | None, float]], currency: str = CURRENCY) -> str:
    """One Danish sentence on how the calculation compares with the published figures ('' without any), the amounts
    in millions of the case's ``currency``."""
    if not rows:
        return ""
    off = deviations(rows)
    if not off:
        return "Alle offentliggjorte tal genskabes."

    def dk(x: float) -> str:
        return fixed(x, 1, thousands=False)

    parts = "; ".join(f"{label} {dk(pub)} offentliggjort, {dk(calc)} beregnet" for label, pub, calc in off)
    return in_currency(f"Casen afviger fra de offentliggjorte tal (mio. kr.): {parts}.", currency)


#: A text compared as an input: an id or a choice, in the project's ASCII naming (``skolefravaer_pris``, ``investor``);
#: any other text (a name, a description, a unit's wording) describes and is not compared.
_NAME = re.compile(r"[a-z0-9_]+")


def input_values(case: Case) -> dict[str, Any]:
    """The case's inputs by field path as the file writes it (``effekter[1].succesrate``): every number, yes/no,
    list of numbers (a profile, a cost line's years) and id or choice; not the descriptive texts, the sources
    (``kilder``) or the published figures (``offentliggjort``)."""
    return dict(_leaves(case.model_dump(mode="json", exclude={"kilder", "offentliggjort"})))


def _leaves(data: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _leaves(v, child(path, k))
    elif isinstance(data, list) and any(isinstance(v, (dict, list)) for v in data):
        for i, v in enumerate(data):
            yield from _leaves(v, child(path, i))
    elif not isinstance(data, str) or _NAME.fullmatch(data):
        yield path, data


def changed_inputs(case: Case, published: Case) -> list[tuple[str, Any, Any]]:
    """Rows ``(field, value now, value as published)`` for every input of ``case`` that differs from ``published``
    (the case as published: the inputs that reproduce its published figures), in the file's order; ``None`` for
    a field one of them does not have.  The field is named as the workbook numbers it
    (``effekt 2 (skolefravaer), succesrate``)."""
    now, then = input_values(case), input_values(published)
    data = case.model_dump(mode="json")
    return [(numbered_field(path, data), now.get(path), then.get(path))
            for path in [*now, *(p for p in then if p not in now)] if now.get(path) != then.get(path)]


def input_text(value: Any) -> str:
    """An input as the comparison shows it: ``0,3``, ``0; -0,25; -0,25``, ``ikke angivet`` for a field not given."""
    if value is None:
        return "ikke angivet"
    if isinstance(value, list):
        return "; ".join(shown(v) for v in value)
    return shown(value)
