"""Key figures of a business case: the year-by-year table, payback, ratios and break-even.

Built on :mod:`udfs.core.engine`; every function reads draw 0 of a
:class:`~udfs.core.engine.Result` unless it says otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .case_model import AUTHORITIES, Case
from .engine import (
    Prepared,
    Result,
    achieved,
    base_drivers,
    calculate,
    prepare,
    run,
    set_drivers,
)
from .engine import savings as savings_of
from .settlement import rates_line, workbook_irr

LEFT_OF = 1e-9
"""How far left of a rule's knot its left limit is taken (steps count as reached within 1e-13,
as Excel compares, so the next float down would still count as reached)."""

TABLE_HEADER = [
    "År", "Kalenderår", "Deltagere (start)",
    "Omkostninger kommune", "Omkostninger region", "Omkostninger stat", "Omkostninger investor",
    "Besparelse kommune", "Besparelse region", "Besparelse stat", "Resultatbetalinger",
    "Netto betaler", "Netto betaler kumuleret", "Netto offentlig", "Netto offentlig kumuleret",
    "Diskonteringsfaktor", "Nutidsværdi netto betaler", "Nutidsværdi netto offentlig",
]  # fmt: skip


def yearly_table(result: Result) -> list[list]:
    """The year-by-year table with a header row (draw 0), as :data:`TABLE_HEADER`."""
    case, p = result.case, result.prepared
    s, c, pay = result.savings_by_authority[:, 0], result.costs[:, 0], result.payments[0]
    payer, public = result.payer_net[0], result.public_net[0]
    columns = [
        np.arange(case.horisont),
        [case.startaar + y if case.startaar else "" for y in range(case.horisont)],
        p.participants, *c, *s, pay,
        payer, np.cumsum(payer), public, np.cumsum(public),
        p.discount, payer * p.discount, public * p.discount,
    ]  # fmt: skip
    rows = [[_plain(col[y]) for col in columns] for y in range(case.horisont)]
    return [list(TABLE_HEADER)] + rows


def _plain(x):
    return x if isinstance(x, (str, int)) else (int(x) if isinstance(x, np.integer) else float(x))


def payback_year(net: np.ndarray) -> int | None:
    """First year from which the cumulative net stays ≥ 0 to the horizon; None if it never does.

    Notes
    -----
    With ``C(y) = Σ_{t≤y} net(t)``, payback is the smallest y with ``C(t) ≥ 0``
    for every t ≥ y.  Excel equivalent (cumulative in C2:C11): the first year
    whose flag ``AND(C_y >= 0; flag_{y+1})`` is TRUE, computed from the last
    year backwards.

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


def benefit_cost_ratio(result: Result) -> float | None:
    """PV of the payer's savings / PV of its costs and payments (None without costs)."""
    i = result.payer_index
    benefits = result.pv(result.savings_by_authority[i])[0]
    spent = result.pv(result.costs[i] + result.payments)[0]
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
    """Headline figures (Danish labels), draw 0.

    "Investors interne renter" is a Danish text beside the IRR: "én", "ingen",
    or "flere interne renter: …" listing every rate of the investor's flow
    (:func:`~udfs.core.settlement.rates_line`).
    """
    bcr = benefit_cost_ratio(result)
    investor_rate = investor_irr(result)
    investment = float(result.investment[0].sum())
    paid = float(result.payments[0].sum())
    return {
        "Nutidsværdi netto betaler": float(result.payer_pv[0]),
        "Nutidsværdi netto offentlig": float(result.public_pv[0]),
        "Tilbagebetalingstid (år) betaler": payback_year(result.payer_net[0]),
        "Tilbagebetalingstid (år) offentlig": payback_year(result.public_net[0]),
        "Benefit-cost-ratio betaler": bcr,
        "Afkast (ROI) betaler": None if bcr is None else bcr - 1,
        "Investering (investor)": investment,
        "Resultatbetalinger i alt": paid,
        "Investors bonus": paid - investment,
        "Investors IRR": investor_rate,
        "Investors interne renter": rates_line(result.payments[0] - result.investment[0], investor_rate),
        "Break-even succesrate": break_even_success_rate(result.case),
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

    Each metric's measured value is linear in the success rate,
    ``x(s) = x(0) + (x(1) − x(0)) × s``; the rule's thresholds, targets and
    steps are mapped back to s.
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
    for metric in model.resultatmaal:
        links = case.maaling[metric.id]
        links = links if isinstance(links, list) else [links]
        for link in links:
            x0, x1 = (float(achieved(p, d, link, sv)[0]) for d, sv in zip(at, payer_savings))
            if x1 == x0:
                continue
            for level in _rule_levels(metric):
                s = (level - x0) / (x1 - x0)
                if 0.0 < s < 1.0:
                    knots.append(s)
    return sorted(set(knots))


def _rule_levels(metric) -> list[float]:
    rule = metric.regel
    if rule.type == "lineaer":
        return [rule.taerskel, rule.maal]
    if rule.type == "trappe":
        return list(rule.taerskler)
    return [0.0]


def _linear_root(f: Callable[[float], float], a: float, fa: float, b: float, fb: float, depth: int = 0) -> float:
    """Root of a piecewise-linear f on (a, b] with f(a) < 0 ≤ f(b): exact on the linear piece.

    The piece holding the root is found by halving until f is linear on it
    (checked at two interior points); then the root is the linear solution.
    """
    m1, m2 = a + (b - a) / 3, a + 2 * (b - a) / 3
    chord = lambda x: fa + (fb - fa) * (x - a) / (b - a)  # noqa: E731
    scale = max(1.0, abs(fa), abs(fb))
    if depth > 200 or all(abs(f(x) - chord(x)) <= 1e-9 * scale for x in (m1, m2)):
        return a - fa * (b - a) / (fb - fa)
    mid = (a + b) / 2
    fm = f(mid)
    return _linear_root(f, a, fa, mid, fm, depth + 1) if fm >= 0 else _linear_root(f, mid, fm, b, fb, depth + 1)


def break_even_success_rate(case: Case) -> float | None:
    """The lowest success rate (same for every effect) at which the payer's PV is ≥ 0.

    Returns None when no rate in 0–1 reaches it.

    Notes
    -----
    The payer's PV is piecewise linear in the success rate: linear in the
    savings, with kinks or steps where payment rules reach thresholds,
    targets, steps or caps.  The interval is split at the rules' thresholds,
    targets and steps; on the first interval whose right end (its left limit,
    :data:`LEFT_OF` before a step) reaches PV ≥ 0 the root is solved exactly
    on its linear piece (:func:`_linear_root`).  No grid is scanned.
    """
    p = prepare(case)
    f = pv_at_success(p, case)
    knots = [0.0, *rule_knots(case, p), 1.0]
    for a, b in zip(knots, knots[1:]):
        fa = f(a)
        if fa >= 0:
            return a
        left_of_b = max(a, b - LEFT_OF)
        fb = f(left_of_b) if b < 1.0 else f(b)
        if fb >= 0:
            return _linear_root(f, a, fa, left_of_b if b < 1.0 else b, fb)
    return 1.0 if f(1.0) >= 0 else None


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
    "TABLE_HEADER", "benefit_cost_ratio", "break_even_success_rate", "investor_irr", "key_figures",
    "payback_year", "run", "switching_value", "yearly_table",
]  # fmt: skip
