"""Settlement of a social investment (afregning): who pays whom, and who gains.

From the investment, the outcome payments the investor receives (from all
payers together), the payer's savings and the payer's share of each year's
payments, year by year (year 0 first, equal lengths), this module gives the
investor's bonus, return, money multiple and internal rate of return, and the
payer's own payments and net saving — per year and in total — with an
optional return cap (afkastloft) and floor (afkastgulv).  With one payer its
share is 1 and the payer's payments are all payments.

It also holds :func:`irr` and :func:`xirr`, which return the rate Excel's
``IRR`` and ``XIRR`` return (Newton's method from the guess, polished to full
precision), and :func:`irr_roots` and :func:`xirr_roots`, which list every
rate where a flow's net present value changes sign — a flow whose sign
changes more than once can have several.

All amounts are kr.; shares are 0–1.  Nothing is rounded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .checks import (
    check_non_negative_series,
    check_number,
    check_same_length,
    check_series,
    out_of_range,
)
from .danish_numbers import fixed
from .dates import day_serial
from .errors import SIError
from .lineitems import INVESTOR_BEFORE_GUARANTEE, IRR_LABEL, RETURN_LABEL, LineItem
from .payment import cap_latest_first
from .rounding import by_unit
from .vocabulary import Worded

SETTLEMENT_FIGURES: tuple[LineItem, ...] = (
    LineItem("investering", "Investering", "kr", cell=False),
    LineItem("betalinger", "Resultatbetalinger i alt (alle betalere)", "kr", cell=False),
    LineItem("bonus", "Investors bonus", "kr", cell=False),
    LineItem("afkast", RETURN_LABEL, "share", cell=False),
    LineItem("investor_irr", IRR_LABEL, "share", cell=False),
    LineItem("investor_renter", "Investors interne renter", "text", cell=False),
    LineItem("pengemultiplikator", "Pengemultiplikator", "ratio", cell=False),
    LineItem("besparelser", "Betalers besparelser", "kr", cell=False),
    LineItem("betalinger_betaler", "Betalinger fra betaler", "kr", cell=False),
    LineItem("nettobesparelse", "Betalers nettobesparelse (uden egne omkostninger)", "kr", cell=False),
)
"""A settlement's totals (:meth:`Settlement.figures`), in order: stable name, Danish label, unit (how it is shown).
``betalinger`` are all payers' payments together (what the investor receives), ``betalinger_betaler`` the payer's
own share of them, which its net saving counts."""
SETTLEMENT_ITEMS: dict[str, LineItem] = {item.name: item for item in SETTLEMENT_FIGURES}

# --------------------------------------------------------------------------
# Internal rate of return
# --------------------------------------------------------------------------

#: Excel's IRR: Newton's method from the guess, at most 20 steps, until a step is below
#: 0.00001 % (Microsoft's documentation of IRR; LibreOffice's ScIRR uses the same 20 and 1e-7).
IRR_STEPS, IRR_TOLERANCE = 20, 1e-7
#: Excel's XIRR: at most 100 steps, accurate within 0.000001 % (Microsoft's documentation of XIRR).
XIRR_STEPS, XIRR_TOLERANCE = 100, 1e-8
#: The guesses the standard workbook's IRR cell tries in turn, each while the ones before give
#: ``#NUM!`` or a rate not above −1 (``workbooks.standard.irr_formula``).
WORKBOOK_GUESSES: tuple[float, ...] = (0.1, -0.5, -0.9, 1.0)

# Rates at which the sign of the NPV is probed to find every root: dense between -90 % and
# +100 %, logarithmic towards -100 % and towards very large rates.
_RATE_GRID: np.ndarray = np.unique(
    np.concatenate(
        [
            -1.0 + np.logspace(-9, -1, 33),
            np.arange(-0.9, 1.0, 0.005),
            1.0 + np.logspace(-2, 7, 91) - 0.01,
        ]
    )
)
_COARSE_GRID: np.ndarray = np.append(_RATE_GRID[::8], _RATE_GRID[-1])
_SPLIT = np.linspace(0.0, 1.0, 33)  # each bracket is cut into 32 per round
_MAX_ROUNDS = 12
# A step of Newton's method beyond 1e15 (10^17 %) has diverged: the next is of the order of its
# square, away from every root.  Excel's and LibreOffice's run overflows to #NUM! a few steps later.
_DIVERGED = 1e15


def check_cashflows(cashflows: Any) -> np.ndarray:
    """At least one negative and one positive finite amount, as an array."""
    flows = np.array(check_series("pengestroem", cashflows), dtype=float)
    if not (flows < 0).any() or not (flows > 0).any():
        raise SIError(
            "pengestroem", "skal have mindst én negativ og én positiv værdi — ellers findes ingen intern rente"
        )
    return flows


def check_guess(guess: Any) -> float:
    """A guess above −1 (a rate of −100 % or less has no present value)."""
    g = check_number("gaet", guess)
    if g <= -1:
        raise SIError("gaet", f"skal være større end -1 (fx 0,1 for 10 %), ikke {g:g}".replace(".", ","))
    return g


def normalised(flows: np.ndarray, times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The flows summed per time, zeros dropped, in time order (the same NPV at every rate)."""
    if len(times) > 1 and not (np.diff(times) > 0).all():
        times, at = np.unique(times, return_inverse=True)
        flows = np.bincount(at, weights=flows)
    keep = flows != 0
    return flows[keep], times[keep]


def sign_changes(flows: np.ndarray) -> int:
    """How often the nonzero flows change sign, in time order: by Descartes' rule of signs an
    upper bound on the number of internal rates, of the same parity."""
    signs = np.sign(flows[flows != 0])
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


def scaled_npv(rates: np.ndarray, flows: np.ndarray, times: np.ndarray) -> np.ndarray:
    """A function with the same sign and roots as the NPV at each of ``rates`` (> −1), safe from overflow.

    Notes
    -----
    ``NPV(r) = Σ cf_i (1 + r)^−t_i`` is multiplied by the positive ``(1 + r)^s``,
    with ``s`` the last time for r < 0 and the first time for r ≥ 0, so that
    every term's power ``(1 + r)^(s − t_i)`` is at most 1.  ``flows`` and
    ``times`` as from :func:`normalised`; the result has the shape of ``rates``.
    """
    log = np.log1p(rates)[..., None]
    shift = np.where(log < 0, times[-1], times[0])
    # powers below e^−700 are kept at e^−700: no subnormal numbers (slow), and no term that small decides a sign
    return np.exp(np.maximum((shift - times) * log, -700.0)) @ flows


def newton_rates(
    flows: np.ndarray, times: np.ndarray, guesses: Sequence[float], steps: int, tolerance: float
) -> np.ndarray:
    """The rate Excel's IRR/XIRR reaches from each guess (all at once), NaN where Excel gives ``#NUM!``.

    Newton's method on ``NPV(r) = Σ cf_i (1 + r)^−t_i`` with
    ``NPV'(r) = −Σ t_i cf_i (1 + r)^(−t_i − 1)``: ``r ← r − NPV / NPV'`` until
    a step is smaller than ``tolerance``, at most ``steps`` steps (the
    algorithm of LibreOffice's ``IRR`` with Excel's documented limits).  A
    start whose step is not finite or beyond 1e15 (diverged), or that ends
    at a rate not above −1, has not converged.  The run stops as soon as
    the first guess still in play has converged.
    """
    x = np.array(guesses, dtype=float)
    live = np.arange(len(x))  # the starts still running
    status: list[float | bool | None] = [None] * len(x)  # None: running; False: failed; float: converged
    value_and_slope = np.stack([flows, flows * times], axis=1)
    minus_times = -times
    parity = None  # (−1)^t, NaN for a fractional t (as pow gives for a negative base); made when first needed
    with np.errstate(all="ignore"):
        for _ in range(steps):
            base = 1.0 + x
            # (1 + r)^−t as exp(−t·log|1 + r|), times (−1)^t for a negative base
            powers = np.exp(np.log(np.abs(base))[:, None] * minus_times)
            if base.min() < 0:
                if parity is None:
                    parity = np.where(times % 2 == 1, -1.0, np.where(times % 1 == 0, 1.0, np.nan))
                powers[base < 0] *= parity
            npv, slope = (powers @ value_and_slope).T  # NPV and −NPV' × (1 + r) per start
            step = npv * base / slope
            x = x + step  # r − NPV / NPV'
            size = np.abs(step)
            if not (size.min() >= tolerance and size.max() < _DIVERGED):  # a NaN step counts too
                converged = size < tolerance
                done = converged | ~(size < _DIVERGED)
                for k, rate, ok in zip(live[done], x[done], converged[done]):
                    status[k] = float(rate) if ok and rate > -1 else False
                if next((s for s in status if s is not False), False) is not None:
                    break  # the first guess still in play has converged, or none is left
                x, live = x[~done], live[~done]
    return np.array([s if isinstance(s, float) else np.nan for s in status])


def excel_rate(
    flows: np.ndarray, times: np.ndarray, guesses: Sequence[float], steps: int, tolerance: float
) -> float | None:
    """The first of ``guesses`` from which Excel's Newton's method converges: its rate, polished; None if none does.

    All guesses run together (:func:`newton_rates`), so a flow where none
    converges costs 20 steps, not 20 per guess.
    """
    rates = newton_rates(flows, times, tuple(dict.fromkeys(guesses)), steps, tolerance)
    converged = rates[~np.isnan(rates)]
    return polish(flows, times, float(converged[0])) if converged.size else None


def polish(flows: np.ndarray, times: np.ndarray, rate: float) -> float:
    """Newton's method on :func:`scaled_npv` from a rate near a root, while the steps shrink: the root to full precision."""
    exponents = (times[-1] if rate < 0 else times[0]) - times
    last = math.inf
    with np.errstate(all="ignore"):
        for _ in range(12):
            base = 1.0 + rate
            powers = np.exp(exponents * math.log(base))
            slope = (powers * exponents) @ flows / base
            step = (powers @ flows) / slope if slope != 0 else math.nan
            if not abs(step) < last or rate - step <= -1:
                break
            rate, last = float(rate - step), abs(step)
            if last <= 4e-16 * max(1.0, abs(rate)):
                break
    return rate


def all_rates(flows: np.ndarray, times: np.ndarray, known: float | None = None) -> list[float]:
    """Every rate > −1 where the NPV changes sign, ascending, to full precision (``flows``, ``times`` normalised).

    With no change of sign in the flows there is no rate; with one there is
    exactly one (Descartes' rule of signs, which holds for real exponents
    too), which is ``known`` when given.  Otherwise the sign of
    :func:`scaled_npv` is probed on a fixed grid of rates from −100 % to
    +10⁹ % in one array operation (503 rates; every 8th where one rate is
    sought); every bracket with a change of sign is narrowed to 1e-4 of the
    rate (:func:`narrow`) and the root then polished by Newton's method
    (:func:`polish`) — or, should Newton's method leave the bracket, the
    bracket narrowed to the end.
    Two roots within one grid cell (0.5 percentage points apart between
    −90 % and +100 %) and a root where the NPV only touches 0 are not found.
    """
    changes = sign_changes(flows)
    if changes == 0:
        return []
    if changes == 1 and known is not None:
        return [known]
    grid = _COARSE_GRID if changes == 1 else _RATE_GRID
    values = np.sign(scaled_npv(grid, flows, times))
    exact = grid[values == 0]
    cells = np.flatnonzero(values[:-1] * values[1:] < 0)
    low, high = narrow(flows, times, grid[cells], grid[cells + 1], 1e-4)
    roots = []
    for a, b in zip(low, high):
        root = polish(flows, times, 0.5 * (a + b))
        if not a <= root <= b:  # Newton's method left the bracket: narrow it to the end instead
            a, b = narrow(flows, times, np.array([a]), np.array([b]), 0.0)
            root = 0.5 * (a[0] + b[0])
        roots.append(root)
    return sorted({float(r) for r in (*exact, *roots)})


def narrow(
    flows: np.ndarray, times: np.ndarray, low: np.ndarray, high: np.ndarray, width: float
) -> tuple[np.ndarray, np.ndarray]:
    """Brackets [low, high] of sign changes of :func:`scaled_npv`, each cut into 32 per round, all at once,
    until narrower than ``width`` × (1 + |low|) (at most :data:`_MAX_ROUNDS` rounds)."""
    rows = np.arange(len(low))
    for _ in range(_MAX_ROUNDS):
        if ((high - low) <= width * (1.0 + np.abs(low))).all():
            break
        points = low[:, None] + (high - low)[:, None] * _SPLIT
        signs = np.sign(scaled_npv(points, flows, times))
        first = np.argmax(signs[:, :-1] * signs[:, 1:] <= 0, axis=1)
        low, high = points[rows, first], points[rows, first + 1]
    return low, high


def dated_times(flows: np.ndarray, dates: Sequence[Any]) -> np.ndarray:
    """Years (actual/365) from the first date to each date, as XIRR counts them; no date before the first."""
    days = [day_number(d) for d in dates]
    check_same_length("datoer", days, "pengestroem", flows)
    if any(d < days[0] for d in days):
        raise SIError("datoer", "ingen dato må ligge før den første dato")
    return (np.array(days, dtype=float) - days[0]) / 365.0


def rate_of_return(flows: np.ndarray, times: np.ndarray, guess: float, steps: int, tolerance: float) -> float:
    """The rate Excel's IRR/XIRR gives from ``guess``, else from :data:`WORKBOOK_GUESSES`, else the root nearest ``guess``."""
    c, t = normalised(flows, times)
    rate = excel_rate(c, t, (guess, *WORKBOOK_GUESSES), steps, tolerance)
    if rate is not None:
        return rate
    roots = all_rates(c, t)
    if not roots:
        raise SIError("pengestroem", "nutidsværdien skifter ikke fortegn — der findes ingen intern rente")
    return min(roots, key=lambda r: abs(r - guess))


def irr(cashflows: Sequence[float], guess: float = 0.1) -> float:
    """Internal rate of return of periodic cash flows: the rate Excel's ``IRR`` gives.

    Parameters
    ----------
    cashflows : sequence of float
        kr. per period, the first at t = 0 (not discounted); negative =
        paid out, positive = received.  At least one of each sign.
    guess : float
        Share above −1, Excel's starting point (default 0.1, as in Excel).

    Returns
    -------
    float
        Rate per period, share (0.1 = 10 %), at full float precision.

    Raises
    ------
    SIError
        ``pengestroem`` without both signs or without any rate where the
        NPV changes sign; ``gaet`` not above −1.

    Notes
    -----
    Solves ``Σ_t cf_t / (1 + r)^t = 0`` for r > −1.  A flow whose sign
    changes more than once can have several such rates (:func:`irr_roots`
    lists them); this function returns the one Excel returns:

    1. Newton's method from ``guess`` as Excel's IRR does it (at most 20
       steps, until a step is below 1e-7; :func:`newton_rates`), polished
       to full precision;
    2. where that gives ``#NUM!`` in Excel, the same from 0.1, −0.5, −0.9
       and 1 in turn — what the standard workbook's IRR cell does;
    3. where all of these fail (Excel has no answer), the rate nearest
       ``guess`` among all rates (:func:`irr_roots`).

    Excel equivalent: ``=IRR(pengestrøm; [gæt])`` (steps 1–2:
    ``=IFERROR(IRR(r; gæt); IFERROR(IRR(r; 0,1); …))``).

    Examples
    --------
    >>> round(irr([-100, 110]), 12)
    0.1
    >>> round(irr([-50, -100, 600, 300, -100]), 7)  # two rates; Excel's IRR gives this one
    1.8544178
    """
    flows = check_cashflows(cashflows)
    return rate_of_return(flows, np.arange(len(flows), dtype=float), check_guess(guess), IRR_STEPS, IRR_TOLERANCE)


def irr_roots(cashflows: Sequence[float]) -> list[float]:
    """Every internal rate of periodic cash flows: each rate > −1 where the NPV changes sign, ascending.

    Shares per period; an empty list when there is none.  See
    :func:`all_rates` for the method and its limits.  Excel has no equivalent
    (``IRR`` gives one rate).

    Examples
    --------
    >>> [round(r, 6) for r in irr_roots([-100, 230, -132])]  # 132x² − 230x + 100 = 0, x = 1/(1+r)
    [0.1, 0.2]
    """
    flows = check_cashflows(cashflows)
    return all_rates(*normalised(flows, np.arange(len(flows), dtype=float)))


def workbook_irr(cashflows: Sequence[float]) -> float | None:
    """What the standard workbook's IRR cell shows: Excel's IRR from :data:`WORKBOOK_GUESSES` in turn.

    The rate per period (share), or None where the cell shows "ikke
    defineret" (no guess converges, or the flows lack a sign).
    """
    periodic = _periodic(cashflows)
    return None if periodic is None else excel_rate(*periodic, WORKBOOK_GUESSES, IRR_STEPS, IRR_TOLERANCE)


def _periodic(cashflows: Sequence[float]) -> tuple[np.ndarray, np.ndarray] | None:
    """Computed periodic flows (already checked) as :func:`normalised` flows and times; None without both signs."""
    flows = np.asarray(cashflows, dtype=float)
    if not ((flows < 0).any() and (flows > 0).any()):
        return None
    return normalised(flows, np.arange(len(flows), dtype=float))


def percent_text(rate: float) -> str:
    """A share as Danish per cent with two decimals: 1.8544 → "185,44 %"."""
    return fixed(rate * 100, 2) + " %"


def rates_note(roots: Sequence[float], shown: float | None) -> str:
    """The Danish line beside an IRR: how many internal rates the flow has, listing them when not exactly the one shown."""
    if not roots:
        return "ingen"
    listed = "; ".join(percent_text(r) for r in roots)
    if len(roots) > 1:
        return f"flere interne renter: {listed}"
    return f"én ({listed})" if shown is not None else f"én: {listed} (Excels IRR finder den ikke)"


def rates_line(cashflows: Sequence[float], shown: float | None) -> Worded:
    """:func:`rates_note` for computed periodic ``cashflows`` whose IRR is shown as ``shown`` (one of their rates, or None),
    standing for the rates themselves (a list of shares, ``[]`` for none) for a program.

    ``shown`` is listed too should the grid of :func:`all_rates` miss it.
    """
    periodic = _periodic(cashflows)
    roots = [] if periodic is None else all_rates(*periodic, known=shown)
    if shown is not None and not any(math.isclose(shown, r, rel_tol=1e-9, abs_tol=1e-12) for r in roots):
        roots = sorted([*roots, shown])
    return Worded(rates_note(roots, shown), [float(r) for r in roots])


def day_number(value: Any) -> int:
    """Whole day of a date, datetime or Excel serial number, as an Excel serial (time of day dropped).

    Every form goes to Excel's 1900 serial numbers (:func:`udfs.core.dates.day_serial`), so
    dates and serial numbers can be mixed.
    """
    return day_serial("datoer", value)


def xirr(cashflows: Sequence[float], dates: Sequence[Any], guess: float = 0.1) -> float:
    """Annual internal rate of return of dated cash flows: the rate Excel's ``XIRR`` gives.

    Parameters
    ----------
    cashflows : sequence of float
        kr.; negative = paid out, positive = received; at least one of each.
    dates : sequence of date, datetime or number
        One per flow; numbers are Excel serial dates; the time of day is
        dropped, like Excel does.  No date may come before the first.
    guess : float
        Share above −1, Excel's starting point (default 0.1, as in Excel).

    Returns
    -------
    float
        Rate per year (actual/365), share, at full float precision.

    Notes
    -----
    Solves ``Σ_i cf_i / (1 + r)^((d_i − d_0) / 365) = 0`` for r > −1, with
    ``d_0`` the first date, choosing among several rates as :func:`irr` does,
    with XIRR's limits (at most 100 steps, until a step is below 1e-8).
    LibreOffice's XIRR, when Newton's method fails from the guess, tries
    the start values −0.99, −0.98, …, 0.99 in turn instead of step 2.

    Excel equivalent: ``=XIRR(pengestrøm; datoer; [gæt])`` — same formula and
    day count.

    Examples
    --------
    >>> import datetime as dt
    >>> round(xirr([-100, 110], [dt.date(2023, 1, 1), dt.date(2024, 1, 1)]), 12)
    0.1
    """
    flows = check_cashflows(cashflows)
    times = dated_times(flows, dates)
    return rate_of_return(flows, times, check_guess(guess), XIRR_STEPS, XIRR_TOLERANCE)


def xirr_roots(cashflows: Sequence[float], dates: Sequence[Any]) -> list[float]:
    """Every annual internal rate of dated cash flows (as :func:`xirr` counts time), ascending; see :func:`irr_roots`."""
    flows = check_cashflows(cashflows)
    return all_rates(*normalised(flows, dated_times(flows, dates)))


# --------------------------------------------------------------------------
# Return cap and floor
# --------------------------------------------------------------------------


def check_return_limits(cap: Any, floor: Any) -> tuple[float | None, float | None]:
    """Cap and floor as shares of the investment: each ≥ −1, and floor ≤ cap."""
    c = None if cap is None else check_number("afkastloft", cap)
    f = None if floor is None else check_number("afkastgulv", floor)
    if c is not None and c < -1:
        raise SIError("afkastloft", "skal være en andel af investeringen på mindst -1 (fx 0,3 for 30 %)")
    if f is not None and f < -1:
        raise SIError("afkastgulv", "skal være en andel af investeringen på mindst -1 (fx -0,25 for højst 25 % tab)")
    if c is not None and f is not None and f > c:
        raise SIError("afkastgulv", "må ikke være større end afkastloftet")
    return c, f


def limit_returns(payments: Any, investment: Any, cap: float | None, floor: float | None, year: int) -> np.ndarray:
    """Outcome payments after the investor's return cap and floor: the one definition of the two limits.

    Parameters
    ----------
    payments : array-like, shape (n, H) or (H,)
        Outcome payments to the investor by year (year 0 first), kr.; one row per draw, or one row for one
        contract.
    investment : array-like, shape (n,), or float
        Each row's total investment, kr.; a number for one contract.
    cap : float or None
        Return cap, share of the investment (≥ −1; 0.2 = at most 20 % above it); None for no cap.
    floor : float or None
        Return floor, share of the investment (≥ −1; −0.25 = at most 25 % lost); None for no floor.
    year : int
        Index of the contract's settlement year (:attr:`udfs.core.case_model.Case.settlement_year`), where the
        floor's top-up is paid; −1 is the last year.

    Returns
    -------
    numpy.ndarray, shape (n, H)
        The payments after both limits, kr. (always two-dimensional: one row for one contract).

    Notes
    -----
    The cap cuts each row's sum to ``investment × (1 + cap)``, the latest payments first
    (:func:`udfs.core.payment.cap_latest_first`); the floor then adds any shortfall below
    ``investment × (1 + floor)`` to ``year``.  A row without an investment (0) is left as it is: both limits are
    shares of it.  :func:`settle` and the engine's payments (:func:`udfs.core.engine.calculate`, so the payer's
    present value, the parties' nets and the break-even count them) apply it.

    Examples
    --------
    Cap 0.2 on 140 paid for 100 invested: at most 120, so 20 comes off the last year.  Floor −0.25 on 30 paid
    for 100 invested: at least 75, so 45 is added in the settlement year (here year 1); the second draw has no
    investment and is left as it is.

    >>> limit_returns([0.0, 60.0, 80.0], 100.0, 0.2, None, -1).tolist()
    [[0.0, 60.0, 60.0]]
    >>> limit_returns([[0.0, 10.0, 20.0], [0.0, 10.0, 20.0]], [100.0, 0.0], None, -0.25, 1).tolist()
    [[0.0, 55.0, 20.0], [0.0, 10.0, 20.0]]
    """
    out = np.atleast_2d(np.asarray(payments, dtype=float))
    total = np.broadcast_to(np.asarray(investment, dtype=float), out.shape[:1])
    if cap is not None:
        out = np.where(total[:, None] > 0, cap_latest_first(out, total * (1.0 + cap)), out)
    if floor is not None:
        shortfall = np.where(total > 0, np.clip(total * (1.0 + floor) - out.sum(axis=1), 0.0, None), 0.0)
        out = out.copy()
        out[:, year] += shortfall
    return out


def return_limit_excel(investment: str, limit: str) -> str:
    """The total payments a return limit of :func:`limit_returns` sets, as an Excel expression (no ``=``):
    ``investment × (1 + limit)`` kr., or "" (no limit) when the limit's cell is empty or there is no investment
    (a row without one is left as it is).  The cap's total is then cut from the latest payments, as the contract's
    cap is (:func:`udfs.core.payment.cap_latest_first`); the floor's shortfall is :func:`floor_top_up_excel`.

    >>> return_limit_excel("{investering}", "{afkastloft}")
    'IF(OR({afkastloft}="",N({investering})<=0),"",{investering}*(1+{afkastloft}))'
    """
    return f'IF(OR({limit}="",N({investment})<=0),"",{investment}*(1+{limit}))'


def floor_top_up_excel(level: str, paid: str) -> str:
    """The floor's top-up of :func:`limit_returns` as an Excel expression (no ``=``): what the payments after the
    cap, ``paid`` kr. in all, lack of the floor's total ``level`` (:func:`return_limit_excel`; "" for none), paid
    in the settlement year.

    >>> floor_top_up_excel("{gulv_afkast}", "SUM({x})")
    'IF({gulv_afkast}="",0,MAX(0,{gulv_afkast}-(SUM({x}))))'
    """
    return f'IF({level}="",0,MAX(0,{level}-({paid})))'


# --------------------------------------------------------------------------
# The settlement
# --------------------------------------------------------------------------


def _minus(a: Sequence[float], b: Sequence[float]) -> tuple[float, ...]:
    return tuple(x - y for x, y in zip(a, b))


def labelled_rows(figures: Sequence[tuple[LineItem, Any]]) -> list[tuple[str, Any]]:
    """(line item, value) pairs as (Danish label, value) rows for a two-column table."""
    return [(item.label, value) for item, value in figures]


def named_years(lines: Sequence[tuple[str, str, Sequence[float]]]) -> dict[str, dict[str, float]]:
    """Year-by-year lines ((name, label, values by year), amounts in kr.) keyed for ``--json``:
    ``{name: {"aar_0": …, "aar_1": …, "i_alt": …}}`` (the total as :func:`total_row` sums it), each to the øre
    (:func:`~udfs.core.rounding.by_unit`)."""
    return {name: {**{f"aar_{t}": by_unit(v, "kr") for t, v in enumerate(values)}, "i_alt": by_unit(total_row(label, values)[-1], "kr")}
            for name, label, values in lines}


def total_row(label: str, values: Sequence[float]) -> tuple[Any, ...]:
    """A year-by-year row: its label, the values by year and their total."""
    return (label, *values, math.fsum(values))


def yearly_rows(lines: Sequence[tuple[str, str, Sequence[float]]]) -> list[tuple[Any, ...]]:
    """Year-by-year lines ((name, label, values by year): :meth:`Settlement.yearly_lines`, with a guaranteed
    settlement's after them) as a table: a header row ("", "År 0", …, "I alt") and one :func:`total_row` a line."""
    header = ("", *(f"År {t}" for t in range(len(lines[0][2]))), "I alt")
    return [header] + [total_row(label, values) for _, label, values in lines]


@dataclass(frozen=True)
class Settlement:
    """A settled contract, year by year (year 0 first).  Build it with :func:`settle`.

    Attributes
    ----------
    investment : tuple of float
        The investor's investment, kr. per year.
    payments : tuple of float
        The outcome payments to the investor after cap and floor, all payers together, kr. per year.
    savings : tuple of float or None
        The payer's savings, kr. per year; None when no savings belong with these payments (a measurement
        whose effects cannot be set against the case's, :func:`udfs.core.published.measured_savings`): then
        the savings and the payer's net saving are left out, never shown as 0.
    payments_before_limits : tuple of float
        The payments before the return cap and floor, kr. per year.
    return_cap, return_floor : float or None
        Afkastloft and afkastgulv as shares of the total investment.
    payer_share : tuple of float or None
        The payer's share (0–1) of each year's payment; None: 1 in every year (the payer pays all).
    settlement_year : int or None
        The contract's settlement year (0 first), when a floor tops up and a guarantor pays; None: the last year.
    """

    investment: tuple[float, ...]
    payments: tuple[float, ...]
    savings: tuple[float, ...] | None
    payments_before_limits: tuple[float, ...]
    return_cap: float | None = None
    return_floor: float | None = None
    payer_share: tuple[float, ...] | None = None
    settlement_year: int | None = None

    @property
    def total_investment(self) -> float:
        """kr."""
        return math.fsum(self.investment)

    @property
    def total_payments(self) -> float:
        """kr."""
        return math.fsum(self.payments)

    @property
    def total_savings(self) -> float | None:
        """kr.; None without savings."""
        return None if self.savings is None else math.fsum(self.savings)

    @property
    def investor_cashflow(self) -> tuple[float, ...]:
        """Payments − investment, kr. per year (the investor's net cash flow)."""
        return _minus(self.payments, self.investment)

    @property
    def bonus(self) -> float:
        """Investors bonus: total payments − total investment, kr."""
        return self.total_payments - self.total_investment

    @property
    def return_share(self) -> float:
        """Samlet afkast (i % af investeringen): bonus / investment, share (lineitems.RETURN_LABEL)."""
        return self.bonus / self.total_investment

    @property
    def money_multiple(self) -> float:
        """Pengemultiplikator: total payments / total investment (1.2 = 1.2 × the money back)."""
        return self.total_payments / self.total_investment

    @property
    def irr(self) -> float | None:
        """The investor's IRR per year (share) on :attr:`investor_cashflow`; None when there is none."""
        try:
            return irr(self.investor_cashflow)
        except SIError:
            return None

    @property
    def payer_payments(self) -> tuple[float, ...]:
        """Betalinger fra betaler: the payer's share × each year's payment (after cap and floor), kr. per year;
        all payments when the payer pays all."""
        if self.payer_share is None:
            return self.payments
        return tuple(share * paid for share, paid in zip(self.payer_share, self.payments))

    @property
    def total_payer_payments(self) -> float:
        """kr."""
        return math.fsum(self.payer_payments)

    @property
    def net_saving_by_year(self) -> tuple[float, ...] | None:
        """Betalers nettobesparelse: the payer's savings − its own payments, kr. per year; None without savings."""
        return None if self.savings is None else _minus(self.savings, self.payer_payments)

    @property
    def net_saving(self) -> float | None:
        """Betalers nettobesparelse i alt: the payer's total savings − its own total payments, kr.; None without
        savings."""
        return None if self.savings is None else self.total_savings - self.total_payer_payments

    def figures(self) -> list[tuple[LineItem, float | str | None]]:
        """Totals with their line items (:data:`SETTLEMENT_FIGURES`: name, Danish label, unit; IRR None when undefined).

        "Investors interne renter" says how many internal rates the
        investor's flow has and lists them when there are several
        (:func:`rates_note`)."""
        values = (self.total_investment, self.total_payments, self.bonus, self.return_share, self.irr,
                  rates_line(self.investor_cashflow, self.irr), self.money_multiple, self.total_savings,
                  self.total_payer_payments, self.net_saving)  # fmt: skip
        figures = list(zip(SETTLEMENT_FIGURES, values, strict=True))
        if self.savings is None:  # no savings: neither they nor the net saving
            figures = [(item, v) for item, v in figures if item.name not in ("besparelser", "nettobesparelse")]
        return figures

    def rows(self) -> list[tuple[str, float | str | None]]:
        """Totals as labelled rows for a two-column table (Danish labels of :meth:`figures`)."""
        return labelled_rows(self.figures())

    def yearly_lines(self) -> list[tuple[str, str, Sequence[float]]]:
        """The year-by-year lines: (stable name, Danish label, the values by year); the names are those of
        :data:`SETTLEMENT_FIGURES` where a line is one of its totals by year."""
        label = lambda name: SETTLEMENT_ITEMS[name].label  # noqa: E731
        return [
            ("investering", label("investering"), self.investment),
            ("betalinger", label("betalinger"), self.payments),
            ("investor_foer_garanti", INVESTOR_BEFORE_GUARANTEE, self.investor_cashflow),
        ] + ([("betalinger_betaler", label("betalinger_betaler"), self.payer_payments)] if self.savings is None else [
            ("besparelser", label("besparelser"), self.savings),
            ("betalinger_betaler", label("betalinger_betaler"), self.payer_payments),
            ("nettobesparelse", label("nettobesparelse"), self.net_saving_by_year),
        ])


def settle(
    investment: Sequence[float],
    payments: Sequence[float],
    savings: Sequence[float] | None,
    return_cap: float | None = None,
    return_floor: float | None = None,
    payer_share: float | Sequence[float] | None = None,
    settlement_year: int | None = None,
) -> Settlement:
    """Settle a contract: apply the return cap and floor and collect the results.

    Parameters
    ----------
    investment : sequence of float
        kr. per year (≥ 0), year 0 first; the total must be above 0.
    payments : sequence of float
        kr. per year (≥ 0) owed to the investor under the payment model, all payers together.
    savings : sequence of float or None
        The payer's savings, kr. per year (may be negative); None: no savings belong with these payments
        (the settlement then has no savings and no net saving).
    return_cap : float, optional
        Afkastloft, share of the total investment (≥ −1), e.g. 0.3.
    return_floor : float, optional
        Afkastgulv, share of the total investment (≥ −1, ≤ cap), e.g. −0.25:
        the investor loses at most 25 %.
    payer_share : float or sequence of float, optional
        The payer's share (0–1) of each year's payment, one number for every
        year or one per year (several outcome payers,
        :attr:`udfs.core.engine.Result.payer_shares`); default 1, the payer
        pays all.
    settlement_year : int, optional
        The contract's settlement year (0 first, within the years given):
        the floor tops up and a guarantor pays then
        (:attr:`udfs.core.case_model.Case.settlement_year`); default the
        last year given.

    Returns
    -------
    Settlement

    Notes
    -----
    With ``I = Σ investment``:

    * cap: if ``Σ payments > I × (1 + cap)`` the excess is taken off the
      latest payments first (the last year's payment is reduced, down to 0,
      then the year before, …);
    * floor: if ``Σ payments < I × (1 + floor)`` the shortfall is added to the
      settlement year's payment (the payer tops up at the end of the contract).

    Because floor ≤ cap the two never act on the same contract.  Then:
    bonus = Σ payments − I; return = bonus / I; money multiple =
    Σ payments / I; the payer's payments = share × payments (each year,
    after cap and floor); net saving = Σ savings − Σ the payer's payments
    (also per year); IRR = ``irr(payments − investment)`` per year.

    Excel equivalent of the totals: ``=SUM(betalinger)-SUM(investering)``,
    ``=(SUM(betalinger)-SUM(investering))/SUM(investering)``,
    ``=IRR(betalinger-investering)``, ``=SUM(besparelser)-SUMPRODUCT(andel;betalinger)``.

    Examples
    --------
    >>> s = settle([100, 0], [0, 120], [0, 200])
    >>> s.bonus, s.return_share, s.net_saving
    (20.0, 0.2, 80.0)
    >>> settle([100, 0], [0, 150], [0, 200], return_cap=0.3).payments
    (0.0, 130.0)
    >>> settle([100, 0], [0, 120], [0, 200], payer_share=0.6).net_saving  # 200 − 0.6 × 120
    128.0
    """
    inv = check_non_negative_series("investering", investment)
    pay = check_non_negative_series("betalinger", payments)
    sav = None if savings is None else check_series("besparelser", savings)
    check_same_length("betalinger", pay, "investering", inv)
    if sav is not None:
        check_same_length("besparelser", sav, "investering", inv)
    total = math.fsum(inv)
    if total <= 0:
        raise SIError("investering", "skal være større end 0 i alt")
    cap, floor = check_return_limits(return_cap, return_floor)
    year = len(inv) - 1 if settlement_year is None else int(settlement_year)
    if not 0 <= year < len(inv):
        raise SIError("afregningsaar", f"skal ligge mellem 0 og {len(inv) - 1} (et af de givne år), ikke {year}")
    limited = [float(v) for v in limit_returns([pay], total, cap, floor, year)[0]]
    return Settlement(tuple(inv), tuple(limited), None if sav is None else tuple(sav), tuple(pay), cap, floor,
                      check_payer_share(payer_share, len(inv)), year)


def check_payer_share(share: float | Sequence[float] | None, years: int) -> tuple[float, ...] | None:
    """The payer's share of each year's payment as ``years`` shares 0–1 (one number: the same every year);
    None stays None (the payer pays all).  SIError naming ``betalers_andel``."""
    if share is None:
        return None
    if isinstance(share, (int, float)) and not isinstance(share, bool):
        shares = [check_number("betalers_andel", share)] * years
    else:
        shares = check_series("betalers_andel", share)
        check_same_length("betalers_andel", shares, "investering", [0.0] * years)
    for value in shares:
        if not 0 <= value <= 1:
            raise SIError("betalers_andel", out_of_range("skal ligge mellem 0 og 1 (fx 0,6 for 60 %)", value, 0.0, 1.0))
    return tuple(float(v) for v in shares)
