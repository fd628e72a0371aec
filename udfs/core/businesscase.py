"""Key figures of a business case: the year-by-year table, payback, ratios and break-even.

Built on :mod:`udfs.core.engine`; every function reads draw 0 of a
:class:`~udfs.core.engine.Result` unless it says otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .case_model import AUTHORITIES, Case
from .danish_numbers import fixed
from .engine import (
    PAYERS,
    Prepared,
    Result,
    achieved,
    achieved_by_year,
    base_drivers,
    calculate,
    prepare,
    reach,
    run,
    set_drivers,
)
from .engine import savings as savings_of
from .discounting import discount_factors
from .lineitems import PARTY_NET_LINES, YEARLY_LINES, view_names
from .vocabulary import OUTCOME_PAYERS, PARTIES, PARTY_WORDS, PAYERS
from .vocabulary import LEFT_OF, NO_LOSS, NO_OUTLAY, NO_START_YEAR, NOISE_KR, NONE_REACHED, Worded
from .settlement import rates_line, workbook_irr

_COLUMNS: dict[str, Callable[[Result], Sequence]] = {
    "r_aar": lambda r: np.arange(r.case.horisont),
    "r_kalenderaar": lambda r: [r.case.startaar + y if r.case.startaar else Worded("", None) for y in range(r.case.horisont)],
    "r_deltagere": lambda r: r.prepared.participants,
    **{f"r_omk_{p}": (lambda r, i=i: r.costs[i, 0]) for i, p in enumerate(PAYERS)},
    **{f"r_bes_{a}": (lambda r, i=i: r.savings_by_authority[i, 0]) for i, a in enumerate(AUTHORITIES)},
    "r_betalinger": lambda r: r.payments[0],
    **{f"r_betal_{p}": (lambda r, i=i: r.payments_by_payer[i, 0]) for i, p in enumerate(OUTCOME_PAYERS)},
    "r_netto_betaler": lambda r: r.payer_net[0],
    "r_kum_betaler": lambda r: np.cumsum(r.payer_net[0]),
    "r_netto_offentlig": lambda r: r.public_net[0],
    "r_kum_offentlig": lambda r: np.cumsum(r.public_net[0]),
    "r_df": lambda r: r.prepared.discount,
    "r_nv_betaler": lambda r: r.payer_net[0] * r.prepared.discount,
    "r_nv_offentlig": lambda r: r.public_net[0] * r.prepared.discount,
    "r_garanti": lambda r: r.guarantee[1][0],
    **{line: (lambda r, k=k: r.net_by_party[k, 0]) for k, line in enumerate(PARTY_NET_LINES)},
}
YEARLY_COLUMNS: dict[str, Callable[[Result], Sequence]] = {item.name: _COLUMNS[item.name] for item in YEARLY_LINES}
"""Each line of the year-by-year table (:data:`udfs.core.lineitems.YEARLY_LINES`, same names) as a
function of a :class:`~udfs.core.engine.Result` giving its values per year, draw 0."""

TABLE_HEADER = [item.label for item in YEARLY_LINES]


def yearly_lines(result: Result) -> dict[str, list]:
    """Each line of the year-by-year table (draw 0) by name, in the order of
    :data:`udfs.core.lineitems.YEARLY_LINES`: a list of plain numbers per year (the calendar
    year is ``""`` without ``startaar``)."""
    return {item.name: [_plain(v) for v in YEARLY_COLUMNS[item.name](result)] for item in YEARLY_LINES}


def yearly_table(result: Result) -> list[list]:
    """The year-by-year table with a header row (draw 0): one column per line of
    :data:`udfs.core.lineitems.YEARLY_LINES` (header: its label), one row per year.

    Excel equivalent: the table ``resultat`` on the standard workbook's sheet Resultat
    (rows of the same names)."""
    columns = list(yearly_lines(result).values())
    return [list(TABLE_HEADER)] + [list(row) for row in zip(*columns)]


def _plain(x):
    return x if isinstance(x, (str, int)) else (int(x) if isinstance(x, np.integer) else float(x))


def payback_year(net: np.ndarray) -> int | None:
    """Index (0 = the first year) of the first year from which the cumulative net stays ≥ 0; None if never.

    Notes
    -----
    With ``C(y) = Σ_{t≤y} net(t)``, this is the smallest y with ``C(t) ≥ 0``
    for every t ≥ y.  Users see :func:`payback_years` (a duration) or the
    calendar year, never this index.

    Examples
    --------
    >>> payback_year(np.array([-100.0, 30, 40, 50]))
    3
    >>> payback_year(np.array([-100.0, 30])) is None
    True
    """
    cumulative = np.cumsum(net)
    negative = np.flatnonzero(cumulative < 0)
    if negative.size == 0:
        return 0
    last = int(negative[-1])
    return None if last == len(net) - 1 else last + 1


def no_outlay(net: np.ndarray) -> bool:
    """Whether the cumulative net is never below 0: the party is never out of pocket, so there is no payback.

    The one rule behind :data:`~udfs.core.vocabulary.NO_OUTLAY` (key figures, ``SI_TILBAGEBETALINGSTID``, the
    workbook's ``MIN`` over the cumulative net on Resultat).  A kommune without costs that saves 100 and pays
    60 later (net 100, −60; cumulative 100, 40) has no outlay; a net of −100, 30, 40, 50 has one.

    >>> no_outlay(np.array([100.0, -60])), no_outlay(np.array([-100.0, 30, 40, 50]))
    (True, False)
    """
    return bool(np.all(np.cumsum(net) >= 0))


def payback_years(net: np.ndarray) -> int | str | None:
    """Payback time in whole years from the start: the cumulative net stays ≥ 0 from the end of this year on.

    Counts the first year as 1 (amounts at the end of each year), so a net of
    −100, 30, 40, 50 pays back in 4 years.  None when the cumulative net is
    negative in the last year (shown as :data:`~udfs.core.vocabulary.NOT_WITHIN`);
    :data:`~udfs.core.vocabulary.NO_OUTLAY` when it is never negative (nothing
    to pay back, :func:`no_outlay`).  Excel equivalent: ``MATCH(1; flags; 0)``
    over the flags "cumulative ≥ 0 from here" (the Resultat sheet).

    >>> payback_years(np.array([-100.0, 30, 40, 50])), payback_years(np.array([100.0, -60]))
    (4, 'ikke relevant (intet udlæg)')
    """
    if no_outlay(net):
        return NO_OUTLAY
    year = payback_year(net)
    return None if year is None else year + 1


def payback_calendar_year(net: np.ndarray, startaar: int | None) -> int | str | None:
    """The calendar year by whose end the cumulative net stays ≥ 0.

    None when the payback does not come within the horizon (shown as :data:`~udfs.core.vocabulary.NOT_WITHIN`);
    :data:`~udfs.core.vocabulary.NO_OUTLAY` when there is nothing to pay back (:func:`no_outlay`);
    :data:`~udfs.core.vocabulary.NO_START_YEAR` when it comes but the case has no start year.
    """
    if no_outlay(net):
        return NO_OUTLAY
    year = payback_year(net)
    if year is None:
        return None
    return NO_START_YEAR if startaar is None else startaar + year


def benefit_cost_ratio(result: Result) -> float | None:
    """PV of the payer's savings / PV of its costs, its outcome payments and a guarantee it pays as guarantor (None
    without any).  Excel: Resultat's ``bcr_betaler``, SUMPRODUCT of the rows ``r_bes_betaler`` / (``r_omk_betaler`` +
    ``r_betal_betaler`` + ``r_garanti_betaler``) with the discount factors."""
    i = result.payer_index
    benefits = result.pv(result.savings_by_authority[i])[0]
    guarantor, guaranteed = result.public_guarantee
    spent = result.pv(result.costs[i] + result.payments_by_payer[i] + (guaranteed if guarantor == i else 0.0))[0]
    return None if spent == 0 else float(benefits / spent)


def investor_irr(result: Result) -> float | None:
    """The investor's IRR on payments − investment by year, as the standard workbook's IRR cell shows it.

    Excel's IRR from the guesses 0.1, −0.5, −0.9 and 1 in turn
    (:func:`~udfs.core.settlement.workbook_irr`); None where none converges.
    When the flow has several rates, this is the one Excel finds;
    :func:`key_figures` lists them all beside it.
    """
    return workbook_irr(result.payments[0] - result.investment[0])


def key_figures(result: Result) -> dict[str, float | int | str | None]:
    """Headline figures, draw 0, keyed by the stable names of :data:`udfs.core.lineitems.KEY_FIGURES`
    (which give each its Danish label and unit; :func:`udfs.core.lineitems.labelled` gives label–value pairs).

    Present values (kr.); payback as a duration in whole years from the start
    (:func:`payback_years`) and as a calendar year; ratios; the investor's
    figures; break-even for the payer and the investor with the ranges where
    the payer loses and its largest loss from the deadweight up
    (:func:`break_even_figures`); and the savings after the
    horizon (:func:`after_horizon_figures`).  None where a figure does not exist.

    ``investor_renter`` is a Danish text beside the IRR: "én", "ingen",
    or "flere interne renter: …" listing every rate of the investor's flow
    (:func:`~udfs.core.settlement.rates_line`).
    """
    bcr = benefit_cost_ratio(result)
    investor_rate = investor_irr(result)
    investment = float(result.investment[0].sum())
    paid = float(result.payments[0].sum())
    be = break_even_figures(break_evens(result.case))
    return {
        "nv_betaler": float(result.payer_pv[0]),
        "nv_offentlig": float(result.public_pv[0]),
        "tilbage_betaler": payback_years(result.payer_net[0]),
        "tilbage_betaler_aar": payback_calendar_year(result.payer_net[0], result.case.startaar),
        "tilbage_offentlig": payback_years(result.public_net[0]),
        "tilbage_offentlig_aar": payback_calendar_year(result.public_net[0], result.case.startaar),
        "bcr_betaler": bcr,
        "roi_betaler": None if bcr is None else bcr - 1,
        "investering": investment,
        "betalinger_i_alt": paid,
        "bonus": paid - investment,
        "afkast": None if investment == 0 else (paid - investment) / investment,
        "pengemultiplikator": None if investment == 0 else paid / investment,
        "investor_irr": investor_rate,
        "investor_renter": rates_line(result.payments[0] - result.investment[0], investor_rate),
        "break_even": be["break_even"], "tab_intervaller": be["tab_intervaller"], "tab_stoerst": be["tab_stoerst"],
        "be_investor": be["be_investor"], "be_investor_krav": be["be_investor_krav"],
        **after_horizon_figures(result),
        **risk_figures(result),
    }  # fmt: skip


def headline(result: Result, figures: dict | None = None) -> dict:
    """The figures the case's view (``visning``) heads with, draw 0: the payer's (``kommune``) or the whole public
    sector's (``offentlig``: kommune, region, stat and a central outcomes fund), by
    :func:`~udfs.core.lineitems.view_names`.

    ``visning`` (the case's code), ``nv`` (the present value net, kr.: the key figure ``nv_betaler`` or
    ``nv_offentlig``), ``netto_i_alt`` (the net summed over the horizon, kr.: the view's net of
    :attr:`~udfs.core.engine.Result.headline_net`), ``tilbage`` and ``tilbage_aar`` (payback in years from the start
    and as a calendar year; None when not within the horizon), and the names of the view's key figures
    (``noegletal``) and yearly lines (``linjer``).  ``figures``: the case's :func:`key_figures` when already computed.
    """
    names, lines = view_names(result.case.visning)
    k = key_figures(result) if figures is None else figures
    return {"visning": result.case.visning, "nv": k[names[0]], "netto_i_alt": float(result.headline_net[0].sum()),
            "tilbage": k[names[1]], "tilbage_aar": k[names[2]], "noegletal": list(names), "linjer": list(lines)}


def risk_expected(risk) -> float:
    """Expected value (kr.) of one risk of the register: probability × PERT mean of its three-point estimate.

    ``sandsynlighed × (min + 4 × mest_sandsynlig + max) / 6`` -- the PERT
    (beta) mean of a three-point estimate weights the most likely value four
    times.  Excel: the column ``Forventet værdi`` on the sheet Risici, the same
    formula.  >>> 0.5 × (0 + 4 × 100 + 200) / 6 = 50.
    """
    return risk.sandsynlighed * (risk.min + 4 * risk.mest_sandsynlig + risk.max) / 6


def risk_owner(risk, payer: str) -> str:
    """Who bears a risk's expected value: its ``ejer`` when that is kommune, region, stat or investor (any case);
    else (a person, a department, no owner) the case's payer ``payer``, who bears the pool when no one else does.
    Excel: ``SUMIF`` over the column Ejer on the sheet Risici (case-insensitive, whole cell)."""
    owner = risk.ejer.strip().lower()
    return owner if owner in PAYERS else payer


def risk_figures(result: Result) -> dict[str, float]:
    """The risk pool (the sum of the risks' expected values, kr.), each owner's part (:func:`risk_owner`:
    ``risiko_kommune`` … ``risiko_investor``; ``risiko_betaler`` the payer's), and the payer's and the public
    present value net after their parts: the payer's PV − its part, the public PV − the parts of kommune, region
    and stat.  A risk the investor owns is the investor's, never the payer's.  0 and the present values unchanged
    without risks."""
    case = result.case
    parts = dict.fromkeys(PAYERS, 0.0)
    for r in case.risici:
        parts[risk_owner(r, case.betaler)] += risk_expected(r)
    return {
        "risikopulje": float(sum(parts.values())),
        **{f"risiko_{who}": float(v) for who, v in parts.items()},
        "risiko_betaler": float(parts[case.betaler]),
        "nv_betaler_efter_risiko": float(result.payer_pv[0]) - parts[case.betaler],
        "nv_offentlig_efter_risiko": float(result.public_pv[0]) - sum(parts[a] for a in AUTHORITIES),
    }


def authority_figures(result: Result) -> dict[str, list[float]]:
    """Who pays and who gains, draw 0, keyed as :data:`udfs.core.lineitems.AUTHORITY_FIGURES`: each a list
    by party (:data:`~udfs.core.vocabulary.PARTIES`: kommune, region, stat, investor, fond, garant), kr. summed over
    the horizon.

    ``myn_omk`` costs (with the optimism bias), ``myn_bes`` savings,
    ``myn_betal`` result payments (a payer pays its share: −; the investor
    receives them all: +) and the guarantee's payment (its guarantor −: the authority behind it, or the private
    guarantor ``garant``; the investor +; :attr:`udfs.core.engine.Result.guarantee`), ``myn_netto`` = savings − costs
    + payments, ``myn_nv`` the present value of the net by year (:attr:`udfs.core.engine.Result.net_by_party`).
    The authorities' and the fund's nets add up to the public net; the investor's is
    payments + guarantee − investment; all six add up to savings − costs.  Excel: the table on the
    sheet Overblik, sums over Resultat's rows.
    """
    df = np.asarray(result.prepared.discount, dtype=float)
    paid_by = result.payments_by_payer[:, 0]
    guarantor, guaranteed = result.guarantee
    out: dict[str, list[float]] = {f"myn_{k}": [] for k in ("omk", "bes", "betal", "netto", "nv")}
    for k, who in enumerate(PARTIES):
        zero = np.zeros(result.case.horisont)
        costs = np.asarray(result.costs[PAYERS.index(who), 0], dtype=float) if who in PAYERS else zero
        savings = (np.asarray(result.savings_by_authority[AUTHORITIES.index(who), 0], dtype=float)
                   if who in AUTHORITIES else zero)  # fmt: skip
        paid = (result.payments[0] if who == "investor" else -paid_by[OUTCOME_PAYERS.index(who)] if who in OUTCOME_PAYERS
                else zero)  # fmt: skip
        if guarantor is not None and k in (PARTIES.index("investor"), guarantor):
            paid = paid + (guaranteed[0] if who == "investor" else -guaranteed[0])
        net = result.net_by_party[k, 0]
        for key, value in (("omk", costs.sum()), ("bes", savings.sum()), ("betal", paid.sum()), ("netto", net.sum()), ("nv", net @ df)):
            out[f"myn_{key}"].append(float(value))
    return out


def party_table(result: Result) -> list[list]:
    """Every party's net (draw 0) side by side: a header row, then one row per party of
    :data:`~udfs.core.vocabulary.PARTIES` (kommune, region, stat, investor, central resultatfond, privat garant):
    its Danish name, its net in kr. for each year 0..H−1, the sum over the horizon and the present value.

    The nets are :attr:`udfs.core.engine.Result.net_by_party` (an authority: savings − costs − its
    outcome payments; the investor: payments received + the guarantee's payment − investment; the fund: − its
    payments; a private guarantor: − its payment); the rows add up to the whole economy's net (savings − costs).  Excel equivalent: the rows
    ``r_netto_<part>`` on the standard workbook's sheet Resultat and the column ``myn_nv`` on Overblik.
    """
    h = result.case.horisont
    header = ["Part", *(f"År {y}" for y in range(h)), "I alt", "Nutidsværdi"]
    rows = [[PARTY_WORDS[who], *(float(v) for v in result.net_by_party[k, 0]), float(result.net_by_party[k, 0].sum()),
             float(result.party_pv[k, 0])] for k, who in enumerate(PARTIES)]  # fmt: skip
    return [header, *rows]


def after_horizon(result: Result) -> tuple[np.ndarray, np.ndarray]:
    """Savings that fall after the horizon (draw 0): (3, X) kr. by authority and year H, H+1, …, and the
    X discount factors of those years (the case's discounting, year-0 convention)."""
    p = result.prepared
    end = reach(p)
    d = result.drivers if result.drivers is not None else base_drivers(result.case)
    later = savings_of(p, d, end)[:, :, 0, p.horizon :].sum(axis=0)
    return later, np.array(discount_factors(end, result.case.diskontering))[p.horizon :]


def after_horizon_figures(result: Result) -> dict[str, float]:
    """Savings the horizon cuts off, for the payer and the public sector, in kr. and present value.

    An intake in year t lands its profile in years t + forloebsaar +
    forsinkelse + k; years at or after the horizon are outside the year-by-year
    table and its present values.  These figures show what is left out.
    """
    later, df = after_horizon(result)
    payer, public = later[result.payer_index], later.sum(axis=0)
    return {
        "efter_betaler_kr": float(payer.sum()),
        "efter_betaler_nv": float(payer @ df),
        "efter_offentlig_kr": float(public.sum()),
        "efter_offentlig_nv": float(public @ df),
    }


def break_even_figures(be: dict[str, BreakEven | None]) -> dict[str, float | str | None]:
    """The break-even entries of the key figures, keyed by name (:data:`udfs.core.lineitems.KEY_FIGURES`).

    A rate is :data:`~udfs.core.vocabulary.NONE_REACHED` when the figure is negative even at a success rate of 1,
    None where it does not apply (no investor, no required return).  ``tab_stoerst`` is the payer's largest loss
    at success rates from its break-even's ``start`` (the deadweight floor, :func:`deadweight_floor`) up to 1;
    the loss ranges cover 0–1.
    """
    payer = be["betaler"]
    rate = lambda b: None if b is None else NONE_REACHED if b.rate is None else b.rate  # noqa: E731
    return {
        "break_even": rate(payer),
        "tab_intervaller": percent_ranges(payer.losses),
        "tab_stoerst": max(0.0, -payer.minimum),
        "be_investor": rate(be["investor"]),
        "be_investor_krav": rate(be["investor_krav"]),
    }


# --------------------------------------------------------------------------- break-even


def pv_at_success(p: Prepared, case: Case) -> Callable[[float], float]:
    """The payer's present value as a function of one success rate applied to every effect."""
    base = base_drivers(case)
    names = [f"effekter.{e.id}.succesrate" for e in case.effekter]

    def f(rate: float) -> float:
        d = set_drivers(base, case, {n: rate for n in names})
        return float(calculate(p, d).payer_pv[0])

    return f


def rule_knots(case: Case, p: Prepared) -> list[float]:
    """Success rates in (0, 1) where a payment rule changes slope or jumps.

    Each measurement is linear in the success rate, ``v(s) = v(0) + (v(1) −
    v(0)) × s``; the rule's breakpoints (:meth:`~udfs.core.rules.base.Rule.levels`
    on the measured value, :data:`~udfs.core.rules.base.Rule.LINK_LEVELS` on
    each measurement) are mapped back to s.  A metric paid every year (``til_aar``)
    has the knots of :func:`yearly_knots` instead.  The Følsomhed sheet's machinery
    maps the same breakpoints (:meth:`~udfs.core.rules.base.Rule.excel_levels`) the
    same way, yearly metrics included, so the workbook's break-even equals this one's.
    """
    model = case.betalingsmodel
    if model is None:
        return []
    base = base_drivers(case)
    names = [f"effekter.{e.id}.succesrate" for e in case.effekter]
    at = [set_drivers(base, case, {n: s for n in names}) for s in (0.0, 1.0)]
    payer = AUTHORITIES.index(case.betaler)
    payer_savings = [savings_of(p, d)[:, payer] for d in at]  # once per end, not once per link
    knots: list[float] = []

    def crossing(level: float, a: float, b: float, xa: float, xb: float) -> float | None:
        """Where a value linear from ``xa`` at ``a`` to ``xb`` at ``b`` meets ``level`` (None outside (a, b))."""
        s = a + (level - xa) * (b - a) / (xb - xa) if xb != xa else a
        return s if a < s < b else None

    for metric in model.resultatmaal:
        rule = metric.regel
        links = case.maaling[metric.id]
        links = links if isinstance(links, list) else [links]
        if metric.til_aar is not None:  # paid every year: the knots of each year's cumulative savings
            knots += yearly_knots(metric, p, links, payer_savings, crossing)
            continue
        ends = [[float(achieved(p, d, link, sv)[0]) for link in links] for d, sv in zip(at, payer_savings)]
        # each measurement is linear in s; the measured value is linear between its measurements' own levels
        grid = {0.0, 1.0}
        for v0, v1 in zip(*ends):
            grid |= {s for level in rule.LINK_LEVELS if (s := crossing(level, 0.0, 1.0, v0, v1)) is not None}
        grid = sorted(grid)
        x = [float(rule.measure([np.array([v0 + (v1 - v0) * s]) for v0, v1 in zip(*ends)])[0]) for s in grid]
        knots += grid[1:-1]
        for level in rule.levels(metric.loft, float(p.participants.sum())):
            for a, b, xa, xb in zip(grid, grid[1:], x, x[1:]):
                if (s := crossing(level, a, b, xa, xb)) is not None:
                    knots.append(s)
    return sorted(set(knots))


def yearly_knots(metric, p: Prepared, links, payer_savings, crossing) -> list[float]:
    """Success rates where a metric paid every year (``til_aar``) bends or steps: where a year's savings cross 0,
    and where a year's cumulative savings X_t = Σ_{τ≤t} max(0, s_τ) (each s_τ linear in the success rate)
    reach one of the rule's levels."""
    rule = metric.regel
    by_year = [rule.measure([achieved_by_year(p, link, sv) for link in links])[0] for sv in payer_savings]  # s = 0, 1
    grid = sorted({0.0, 1.0} | {s for v0, v1 in zip(*by_year) if (s := crossing(0.0, 0.0, 1.0, v0, v1)) is not None})
    cumulative = np.cumsum(np.maximum(0.0, [by_year[0] + (by_year[1] - by_year[0]) * s for s in grid]), axis=1)
    knots = grid[1:-1]
    last = metric.til_aar
    for t in range(metric.aar, last + 1):
        for level in rule.levels(metric.loft, float(p.participants.sum())):
            for a, b, xa, xb in zip(grid, grid[1:], cumulative[:, t], cumulative[1:, t]):
                if (s := crossing(level, a, b, xa, xb)) is not None:
                    knots.append(s)
    return knots


Piece = tuple[float, float, np.ndarray, np.ndarray, float]
"""A linear piece of the success-rate profile: (a, b, values at a, values at b, right end).

The values are linear on [a, b]; ``b`` is :data:`LEFT_OF` before the right end
when that is a rule knot (the left limit of a step), else the right end itself."""


@dataclass(frozen=True)
class BreakEven:
    """Where a figure that depends on the common success rate is below 0, for rates 0–1.

    ``rate`` is the lowest success rate from which the figure stays ≥ 0 up to
    1 (0 when it is never negative; None when it is negative at 1); ``losses``
    the success-rate ranges (from, to) where it is < 0, merged; ``minimum`` its
    lowest value at success rates from ``start`` up to 1 (the value at ``start``
    included; a step's left limit just before a knot counts when it is at or
    above ``start``).  ``start`` is 0 except for the payer, whose largest loss is
    taken from the deadweight floor up (:func:`deadweight_floor`).
    """

    rate: float | None
    losses: tuple[tuple[float, float], ...]
    minimum: float
    start: float = 0.0


def success_profile(case: Case, p: Prepared | None = None) -> Callable[[float], np.ndarray]:
    """The figures break-even is solved for, as a function of one success rate applied to every effect.

    Returns ``f(rate) -> array``: [the payer's present value; the investor's
    payments − investment, undiscounted (money back); the investor's present
    value of payments − investment at its required return
    (``investor.krav_til_afkast``; 0 without one)], kr.
    """
    p = p or prepare(case)
    base = base_drivers(case)
    names = [f"effekter.{e.id}.succesrate" for e in case.effekter]
    required = case.investor.krav_til_afkast if case.investor else None
    weights = (1.0 + (required or 0.0)) ** -np.arange(case.horisont, dtype=float)

    def f(rate: float) -> np.ndarray:
        r = calculate(p, set_drivers(base, case, {n: rate for n in names}))
        flow = r.payments[0] - r.investment[0]
        return np.array([r.payer_pv[0], flow.sum(), flow @ weights if required is not None else 0.0])

    return f


def linear_pieces(f: Callable[[float], np.ndarray], knots: list[float]) -> list[Piece]:
    """Split 0–1 at ``knots`` (0 and 1 included) into pieces on which every figure of ``f`` is linear.

    Between two rule knots the figures are continuous; kinks there (a contract
    cap starting to bind, a cap on a metric) are found from the slopes at the
    ends of the piece (exact for one kink), else by halving.
    """
    out: list[Piece] = []
    for a, b in zip(knots, knots[1:]):
        right = b if b >= 1.0 else max(a, b - LEFT_OF)
        _split(f, a, f(a), right, f(right), b, out, 0)
    return out


def _split(f, a: float, fa: np.ndarray, b: float, fb: np.ndarray, end: float, out: list[Piece], depth: int) -> None:
    width = b - a
    if width > 0 and depth < 80:
        xs = (a + width / 3, a + 2 * width / 3)
        fx = [f(x) for x in xs]
        scale = np.maximum(1.0, np.maximum(np.abs(fa), np.abs(fb)))
        off = [np.abs(v - (fa + (fb - fa) * (x - a) / width)) > 1e-9 * scale for x, v in zip(xs, fx)]
        if np.any(off[0] | off[1]):
            cut = _kink(a, fa, xs, fx, b, fb, int(np.argmax(off[0] | off[1])))
            fc = f(cut)
            _split(f, a, fa, cut, fc, cut, out, depth + 1)
            _split(f, cut, fc, b, fb, end, out, depth + 1)
            return
    out.append((a, b, fa, fb, end))


def _kink(a, fa, xs, fx, b, fb, k: int) -> float:
    """Where the line through the left end meets the line through the right end (else the middle)."""
    left = (fx[0][k] - fa[k]) / (xs[0] - a)
    right = (fb[k] - fx[1][k]) / (b - xs[1])
    if left != right:
        x = (fb[k] - fa[k] + left * a - right * b) / (left - right)
        if a + 1e-3 * (b - a) < x < b - 1e-3 * (b - a):
            return float(x)
    return (a + b) / 2


def break_even_of(pieces: list[Piece], k: int, at_one: float, start: float = 0.0) -> BreakEven:
    """Break-even, loss ranges and minimum of figure ``k`` from the linear pieces.

    On a piece with values va at a and vb at b, the figure is < 0 on
    [a, root) when va < 0 ≤ vb, on (root, end] when va ≥ 0 > vb, on [a, end]
    when both are < 0, with root = a − va × (b − a) / (vb − va) (Excel: the
    same formula on the Følsomhed sheet).  The minimum is over the pieces' end
    values at success rates ≥ ``start`` (a knot of the pieces, so every piece
    lies wholly below or wholly at and above it; Excel: ``tab_stoerst`` over
    the grid's points at or above ``kn_doedvaegt``).
    """
    losses: list[list[float]] = []
    for a, b, fa, fb, end in pieces:
        va, vb = (0.0 if abs(v) < NOISE_KR else v for v in (float(fa[k]), float(fb[k])))
        if va >= 0 and vb >= 0:
            continue
        root = a - va * (b - a) / (vb - va) if (va < 0) != (vb < 0) else None
        lo, hi = (a if va < 0 else root), (end if vb < 0 else root)
        if losses and lo <= losses[-1][1] + 1e-12:
            losses[-1][1] = max(losses[-1][1], hi)
        else:
            losses.append([lo, hi])
    minimum = min(float(v[k]) for a, b, fa, fb, _ in pieces for x, v in ((a, fa), (b, fb)) if x >= start)
    rate = None if at_one < 0 else (losses[-1][1] if losses else 0.0)
    return BreakEven(rate, tuple((lo, hi) for lo, hi in losses), minimum, start)


def deadweight_floor(case: Case) -> float:
    """The success rate from which the payer's largest loss is sought: the highest deadweight (or control
    group's success rate) among the effects, a share 0–1; 0 without effects.

    Below it at least one effect's net success rate (success rate − deadweight) is negative: the model books
    extra savings lost (an intervention that makes things worse), which is not a loss the payment model is
    judged by.  Excel: the cell ``kn_doedvaegt`` (MAX of the effects' deadweight cells) on the break-even sheet.

    >>> from types import SimpleNamespace as N
    >>> deadweight_floor(N(effekter=[N(deadweight=0.1), N(deadweight=0.25)]))
    0.25
    """
    return max((float(e.deadweight) for e in case.effekter), default=0.0)


def deadweight_floor_effect(case: Case) -> str | None:
    """The id of the effect whose deadweight is :func:`deadweight_floor` (the first of them) when the effects'
    deadweights differ, else None (one effect, or all alike: the floor is every effect's deadweight).  Excel: the cell
    ``kn_doedvaegt_effekt`` ("" for None).

    >>> from types import SimpleNamespace as N
    >>> deadweight_floor_effect(N(effekter=[N(id="job", deadweight=0.1), N(id="psyk", deadweight=0.5)]))
    'psyk'
    >>> deadweight_floor_effect(N(effekter=[N(id="job", deadweight=0.2), N(id="psyk", deadweight=0.2)])) is None
    True
    """
    rates = [float(e.deadweight) for e in case.effekter]
    if not rates or min(rates) == max(rates):
        return None
    return case.effekter[rates.index(max(rates))].id


DEADWEIGHT_NOISE = 1e-9
"""A success rate this close below the deadweight is at it (a break-even solved at the deadweight's own knot), not below."""

DEADWEIGHT_NAMES = ("dødvægten", "den højeste dødvægt")
"""The deadweight a success rate is compared with: every effect's (one effect, or all alike), or the highest of
differing ones, which is then named by its effect (:data:`FLOOR_EFFECT`; :func:`floor_words`)."""

FLOOR_EFFECT = ", effekt {effect}"
"""The effect whose deadweight is the highest, after the rate: ``50,0 %, effekt psyk``."""

BELOW_DEADWEIGHT = "under {name} ({detail})"
"""The mark of a break-even or switching success rate below the deadweight (:func:`below_deadweight`):
``under dødvægten (15,0 %)``, ``under den højeste dødvægt (50,0 %, effekt psyk)``."""

LARGEST_LOSS = "Største tab for betaler (nutidsværdi, succesrate fra {name} {detail})"
"""The label of the payer's largest loss, sought from the deadweight floor up (:func:`largest_loss_label`)."""

PAYS_UNCHANGED = "casen betaler sig, selv om intet ændres"
"""What a payer's break-even below every effect's deadweight means (``sibc sensitivity``'s note, the workbook's
break-even sentence)."""

WITHOUT_INTERVENTION = ("som ville være nået uden indsatsen", "som for effekt {effect} ville være nået uden indsatsen")
"""Whom a success rate below the deadweight would be reached for without the intervention: every effect, or the one
with the highest of differing deadweights (the others' lower ones are passed: the case is not unchanged)."""


def floor_words(rate: float, effect: str | None = None) -> tuple[str, str]:
    """The deadweight ``rate`` (a share) as (name, detail): ``("dødvægten", "15,0 %")``, or for the highest of
    differing deadweights, of effect ``effect``, ``("den højeste dødvægt", "50,0 %, effekt psyk")``.  The one wording
    of :data:`BELOW_DEADWEIGHT`, :data:`LARGEST_LOSS` and the notes; the workbook's by formula
    (``workbooks.standard.floor_words_excel``)."""
    detail = fixed(rate * 100, 1) + " %"  # as the rates beside it: 15,0 %
    return DEADWEIGHT_NAMES[effect is not None], detail + (FLOOR_EFFECT.format(effect=effect) if effect is not None else "")


def largest_loss_label(case: Case) -> str:
    """The label of ``tab_stoerst`` for ``case``, with the floor it is sought from: ``Største tab for betaler
    (nutidsværdi, succesrate fra dødvægten 10,0 %)``, ``… fra den højeste dødvægt 50,0 %, effekt psyk)``."""
    name, detail = floor_words(deadweight_floor(case), deadweight_floor_effect(case))
    return LARGEST_LOSS.format(name=name, detail=detail)


def case_labels(case: Case) -> dict[str, str]:
    """Key-figure labels that depend on the case (:func:`udfs.core.lineitems.figure_label`'s ``labels``)."""
    return {"tab_stoerst": largest_loss_label(case)}


def below_deadweight_note(effect: str | None = None) -> str:
    """What the mark :data:`BELOW_DEADWEIGHT` means, said once below the figures it marks (``sibc sensitivity``,
    ``sibc calc``): of every effect's deadweight (``effect`` None), or of the highest of differing ones."""
    name = DEADWEIGHT_NAMES[effect is not None]
    reached = WITHOUT_INTERVENTION[effect is not None].format(effect=effect)
    meaning = f"; {PAYS_UNCHANGED}" if effect is None else ""
    return f"Under {name}: tallet nås allerede ved en succesrate, {reached}{meaning}. Tjek dødvægt og succesrate."


BELOW_DEADWEIGHT_NOTE = below_deadweight_note()
"""The note of a mark below every effect's deadweight (:func:`below_deadweight_note`)."""


def below_deadweight(rate: float | str | None, deadweight: float, effect: str | None = None) -> str:
    """``"under dødvægten (15,0 %)"`` when the success rate ``rate`` (a break-even, a switching value) lies below
    ``deadweight`` (a share), else ``""`` (also for a text such as "nås ikke" or None); ``effect`` names the effect
    whose deadweight it is when the effects' deadweights differ (:func:`deadweight_floor_effect`):
    ``"under den højeste dødvægt (50,0 %, effekt psyk)"``.

    Correct figures, but a success rate below the deadweight is one that would be reached without the intervention:
    a payer's break-even there means the case pays even when nothing changes (an investor's: the payer pays for the
    deadweight).  A break-even is compared with :func:`deadweight_floor` (the highest deadweight; Excel: the cell
    ``kn_doedvaegt``), a switching value of ``effekter.<id>.succesrate`` with that effect's own deadweight.

    >>> below_deadweight(0.12, 0.15), below_deadweight(0.15, 0.15), below_deadweight("nås ikke", 0.15)
    ('under dødvægten (15,0 %)', '', '')
    >>> below_deadweight(0.488, 0.5, "psyk")
    'under den højeste dødvægt (50,0 %, effekt psyk)'
    """
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not rate < deadweight - DEADWEIGHT_NOISE:
        return ""
    name, detail = floor_words(deadweight, effect)
    return BELOW_DEADWEIGHT.format(name=name, detail=detail)


def break_evens(case: Case) -> dict[str, BreakEven | None]:
    """Break-even for the payer, the investor's money back and the investor's required return.

    Keys ``betaler``, ``investor`` and ``investor_krav``; the investor's are
    None without an investment, the last also without ``investor.krav_til_afkast``.

    Notes
    -----
    The figures are piecewise linear in the success rate: linear in the
    savings, with kinks or steps where payment rules reach thresholds,
    targets, steps or caps.  The interval 0–1 is split at the rules' knots
    (:func:`rule_knots`, each step's left limit taken :data:`LEFT_OF` before
    it), at the deadweight floor (:func:`deadweight_floor`) and at the kinks
    between them (:func:`linear_pieces`); on each linear piece the sign is
    exact (:func:`break_even_of`).  No grid is scanned.  The payer's
    ``minimum`` (its largest loss) is taken from the deadweight floor up; its
    break-even and loss ranges, and the investor's figures, cover 0–1.
    """
    p = prepare(case)
    f = success_profile(case, p)
    floor = deadweight_floor(case)
    pieces = linear_pieces(f, sorted({0.0, 1.0, floor, *rule_knots(case, p)}))
    at_one = f(1.0)
    invested = float(p.costs[PAYERS.index("investor")].sum()) > 0
    return {
        "betaler": break_even_of(pieces, 0, at_one[0], start=floor),
        "investor": break_even_of(pieces, 1, at_one[1]) if invested else None,
        "investor_krav": break_even_of(pieces, 2, at_one[2]) if invested and case.investor else None,
    }


def break_even_success_rate(case: Case) -> float | None:
    """The lowest success rate (same for every effect) from which the payer's PV stays ≥ 0 up to 1.

    Returns None when the payer's PV is negative at a success rate of 1 (see
    :func:`break_evens`).  A case whose payer loses at 2–5.9 % but not at 0 %
    has break-even 5.9 %, not 0.
    """
    return break_evens(case)["betaler"].rate


def payment_shares(result: Result) -> dict[str, float]:
    """Each outcome payer's share (0–1) of the outcome payments over the horizon, the case as given (draw 0): its
    payments (:attr:`udfs.core.engine.Result.payments_by_payer`) over all payments, in the order of
    :data:`~udfs.core.vocabulary.OUTCOME_PAYERS`; a payer that pays nothing is left out, and ``{}`` when nothing is
    paid.  Unrounded (they add up to 1); ``sibc calc`` and ``sibc afregn`` show them rounded together
    (:func:`udfs.core.rounding.whole_shares`).  Excel: ``SUM(r_betal_<betaler>)/SUM(r_betalinger)`` on Resultat."""
    paid = [float(v) for v in result.payments_by_payer[:, 0].sum(axis=1)]
    total = math.fsum(paid)
    if total <= 0:
        return {}
    return {who: v / total for who, v in zip(OUTCOME_PAYERS, paid, strict=True) if v > 0}


def percent_ranges(ranges: tuple[tuple[float, float], ...]) -> Worded:
    """Success-rate ranges as Danish text: ``2,0 %–5,9 %; 80,0 %–100,0 %`` (:data:`~udfs.core.vocabulary.NO_LOSS` when
    empty), standing for the ranges as ``[[fra, til], …]`` shares 0–1 for a program (``[]`` when empty)."""
    fmt = lambda x: fixed(x * 100, 1, thousands=False) + " %"  # noqa: E731
    return Worded("; ".join(f"{fmt(lo)}–{fmt(hi)}" for lo, hi in ranges) or NO_LOSS, [[lo, hi] for lo, hi in ranges])


def switching_value(case: Case, name: str, lo: float, hi: float, p: Prepared | None = None) -> float | None:
    """The value of driver ``name`` in [lo, hi] at which the payer's PV is 0 (None if no sign change)."""
    p = p or prepare(case)
    base = base_drivers(case)

    def f(x: float) -> float:
        return float(calculate(p, set_drivers(base, case, {name: x})).payer_pv[0])

    fa, fb = f(lo), f(hi)
    if fa == 0:
        return lo
    if math.copysign(1, fa) == math.copysign(1, fb):
        return None
    for _ in range(200):
        mid = (lo + hi) / 2
        fm = f(mid)
        if abs(fm) < 1e-6 or hi - lo < 1e-15:
            return mid
        if math.copysign(1, fm) == math.copysign(1, fa):
            lo, fa = mid, fm
        else:
            hi = mid
    return (lo + hi) / 2


__all__ = [
    "NONE_REACHED", "TABLE_HEADER", "YEARLY_COLUMNS", "BreakEven", "after_horizon", "after_horizon_figures", "authority_figures", "benefit_cost_ratio", "party_table",
    "below_deadweight", "below_deadweight_note", "break_even_figures", "break_even_of", "break_even_success_rate", "break_evens", "case_labels", "deadweight_floor", "deadweight_floor_effect", "floor_words", "largest_loss_label", "investor_irr", "key_figures",
    "linear_pieces", "no_outlay", "payback_calendar_year", "payback_year", "payback_years", "percent_ranges", "risk_expected", "risk_figures", "risk_owner", "run",
    "success_profile", "switching_value", "yearly_lines", "yearly_table",
]  # fmt: skip
