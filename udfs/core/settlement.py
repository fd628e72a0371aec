"""Settlement of a social investment (afregning): who pays whom, and who gains.

From the investment, the payer's payments and the payer's savings, year by
year (year 0 first, equal lengths), this module gives the investor's bonus,
return, money multiple and internal rate of return, and the payer's net
saving — per year and in total — with an optional return cap (afkastloft) and
floor (afkastgulv).

It also holds :func:`irr` and :func:`xirr`, which behave like Excel's
``IRR`` and ``XIRR`` but find the rate by bracketing and bisection instead of
Newton's method, so they do not depend on a starting guess to converge.

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
)
from .dates import day_serial
from .errors import SIError
from .payment import cap_latest_first

# --------------------------------------------------------------------------
# Internal rate of return
# --------------------------------------------------------------------------

# Rates at which the sign of the NPV is probed: dense between -90 % and +100 %,
# logarithmic towards -100 % and towards very large rates.
_RATE_GRID: np.ndarray = np.unique(
    np.concatenate(
        [
            -1.0 + np.logspace(-9, -1, 33),
            np.arange(-0.9, 1.0, 0.005),
            1.0 + np.logspace(-2, 7, 91) - 0.01,
        ]
    )
)


def npv_sign_function(rate: float, cashflows: np.ndarray, times: np.ndarray) -> float:
    """A function with the same sign and roots as the NPV at ``rate`` (> −1), safe from overflow.

    Notes
    -----
    ``NPV(r) = Σ cf_i (1 + r)^−t_i``.  For r ≥ 0 this is computed as it stands;
    for −1 < r < 0 it is multiplied by the positive ``(1 + r)^T`` with
    ``T = max t_i``, which keeps the terms bounded as r → −1.
    """
    base = 1.0 + rate
    if rate >= 0:
        return math.fsum(cashflows * base ** (-times))
    return math.fsum(cashflows * base ** (times.max() - times))


def bisect_root(f: Any, low: float, high: float) -> float:
    """A root of ``f`` in [low, high] where f(low) and f(high) differ in sign, to full float precision."""
    f_low = f(low)
    while True:
        mid = 0.5 * (low + high)
        if mid in (low, high):
            return mid
        f_mid = f(mid)
        if f_mid == 0.0:
            return mid
        if (f_mid < 0) == (f_low < 0):
            low, f_low = mid, f_mid
        else:
            high = mid


def sign_change_brackets(f: Any) -> list[tuple[float, float]]:
    """Neighbouring grid rates between which ``f`` changes sign (or hits 0)."""
    values = [f(r) for r in _RATE_GRID]
    brackets = []
    for i in range(len(_RATE_GRID) - 1):
        if values[i] == 0.0:
            brackets.append((float(_RATE_GRID[i]), float(_RATE_GRID[i])))
        elif (values[i] < 0) != (values[i + 1] < 0) and values[i + 1] != 0.0:
            brackets.append((float(_RATE_GRID[i]), float(_RATE_GRID[i + 1])))
    if values[-1] == 0.0:
        brackets.append((float(_RATE_GRID[-1]), float(_RATE_GRID[-1])))
    return brackets


def check_cashflows(cashflows: Any) -> np.ndarray:
    """At least one negative and one positive finite amount, as an array."""
    flows = np.array(check_series("pengestroem", cashflows), dtype=float)
    if not (flows < 0).any() or not (flows > 0).any():
        raise SIError(
            "pengestroem", "skal have mindst én negativ og én positiv værdi — ellers findes ingen intern rente"
        )
    return flows


def rate_of_return(flows: np.ndarray, times: np.ndarray, guess: float) -> float:
    """The rate (> −1) where the NPV of ``flows`` at ``times`` (years) is 0; the root nearest ``guess``."""

    def f(rate: float) -> float:
        return npv_sign_function(rate, flows, times)

    brackets = sign_change_brackets(f)
    if not brackets:
        raise SIError("pengestroem", "nutidsværdien skifter ikke fortegn — der findes ingen intern rente")
    roots = [low if low == high else bisect_root(f, low, high) for low, high in brackets]
    return float(min(roots, key=lambda r: abs(r - guess)))


def irr(cashflows: Sequence[float], guess: float = 0.1) -> float:
    """Internal rate of return of periodic cash flows, like Excel's ``IRR``.

    Parameters
    ----------
    cashflows : sequence of float
        kr. per period, the first at t = 0 (not discounted); negative =
        paid out, positive = received.  At least one of each sign.
    guess : float
        Share; when the flows have more than one rate of return, the one
        nearest ``guess`` is returned (default 0.1, as in Excel).

    Returns
    -------
    float
        Rate per period, share (0.1 = 10 %).

    Notes
    -----
    Solves ``Σ_t cf_t / (1 + r)^t = 0`` for r > −1.  The NPV's sign is probed
    on a fixed grid of rates from −100 % to +10⁷ %; each sign change is then
    narrowed by bisection to full float precision.

    Excel equivalent: ``=IRR(pengestrøm; [gæt])``.  Excel uses Newton's method
    from the guess: it returns ``#NUM!`` when that fails to converge, and when
    there are several roots it returns whichever Newton reaches.  Here the
    bracketing always finds a root when the NPV changes sign on the grid, and
    several roots are resolved by nearness to the guess.  Conventional flows
    (one change of sign) have exactly one root, and the two agree when
    Excel converges.  (LibreOffice's ``IRR``, also Newton's method, gives an
    error for ``[-100, 50]`` from the default guess; this function gives −0.5.)

    Examples
    --------
    >>> round(irr([-100, 110]), 12)
    0.1
    >>> round(irr([-100, 0, 121]), 12)
    0.1
    """
    flows = check_cashflows(cashflows)
    return rate_of_return(flows, np.arange(len(flows), dtype=float), check_number("gaet", guess))


def day_number(value: Any) -> int:
    """Whole day of a date, datetime or Excel serial number, as an Excel serial (time of day dropped).

    Every form goes to Excel's 1900 serial numbers (:func:`udfs.core.dates.day_serial`), so
    dates and serial numbers can be mixed.
    """
    return day_serial("datoer", value)


def xirr(cashflows: Sequence[float], dates: Sequence[Any], guess: float = 0.1) -> float:
    """Annual internal rate of return of dated cash flows, like Excel's ``XIRR``.

    Parameters
    ----------
    cashflows : sequence of float
        kr.; negative = paid out, positive = received; at least one of each.
    dates : sequence of date, datetime or number
        One per flow; numbers are Excel serial dates; the time of day is
        dropped, like Excel does.  No date may come before the first.
    guess : float
        Share; picks among several roots (default 0.1, as in Excel).

    Returns
    -------
    float
        Rate per year (actual/365), share.

    Notes
    -----
    Solves ``Σ_i cf_i / (1 + r)^((d_i − d_0) / 365) = 0`` for r > −1, with
    ``d_0`` the first date, by bracketing and bisection (see :func:`irr`).

    Excel equivalent: ``=XIRR(pengestrøm; datoer; [gæt])`` — same formula and
    day count; Excel uses Newton's method (``#NUM!`` when it fails).

    Examples
    --------
    >>> import datetime as dt
    >>> round(xirr([-100, 110], [dt.date(2023, 1, 1), dt.date(2024, 1, 1)]), 12)
    0.1
    """
    flows = check_cashflows(cashflows)
    days = [day_number(d) for d in dates]
    check_same_length("datoer", days, "pengestroem", flows)
    if any(d < days[0] for d in days):
        raise SIError("datoer", "ingen dato må ligge før den første dato")
    times = (np.array(days, dtype=float) - days[0]) / 365.0
    return rate_of_return(flows, times, check_number("gaet", guess))


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


def apply_return_cap(payments: Sequence[float], total_investment: float, cap: float) -> list[float]:
    """Payments with their sum cut to ``total_investment × (1 + cap)``, latest payments reduced first.

    Examples
    --------
    >>> apply_return_cap([0.0, 60.0, 80.0], 100.0, 0.2)
    [0.0, 60.0, 60.0]
    """
    return cap_latest_first(payments, total_investment * (1.0 + cap))


def apply_return_floor(payments: Sequence[float], total_investment: float, floor: float) -> list[float]:
    """Payments with any shortfall below ``total_investment × (1 + floor)`` added in the last year.

    Examples
    --------
    >>> apply_return_floor([0.0, 10.0, 20.0], 100.0, -0.25)
    [0.0, 10.0, 65.0]
    """
    shortfall = total_investment * (1.0 + floor) - math.fsum(payments)
    out = list(payments)
    if shortfall > 0:
        out[-1] += shortfall
    return out


# --------------------------------------------------------------------------
# The settlement
# --------------------------------------------------------------------------


def _minus(a: Sequence[float], b: Sequence[float]) -> tuple[float, ...]:
    return tuple(x - y for x, y in zip(a, b))


@dataclass(frozen=True)
class Settlement:
    """A settled contract, year by year (year 0 first).  Build it with :func:`settle`.

    Attributes
    ----------
    investment : tuple of float
        The investor's investment, kr. per year.
    payments : tuple of float
        The payer's payments to the investor after cap and floor, kr. per year.
    savings : tuple of float
        The payer's savings, kr. per year.
    payments_before_limits : tuple of float
        The payments before the return cap and floor, kr. per year.
    return_cap, return_floor : float or None
        Afkastloft and afkastgulv as shares of the total investment.
    """

    investment: tuple[float, ...]
    payments: tuple[float, ...]
    savings: tuple[float, ...]
    payments_before_limits: tuple[float, ...]
    return_cap: float | None = None
    return_floor: float | None = None

    @property
    def total_investment(self) -> float:
        """kr."""
        return math.fsum(self.investment)

    @property
    def total_payments(self) -> float:
        """kr."""
        return math.fsum(self.payments)

    @property
    def total_savings(self) -> float:
        """kr."""
        return math.fsum(self.savings)

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
        """Afkast af investering: bonus / investment, share."""
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
    def net_saving_by_year(self) -> tuple[float, ...]:
        """Betalers nettobesparelse: savings − payments, kr. per year."""
        return _minus(self.savings, self.payments)

    @property
    def net_saving(self) -> float:
        """Betalers nettobesparelse i alt: total savings − total payments, kr."""
        return self.total_savings - self.total_payments

    def rows(self) -> list[tuple[str, float | None]]:
        """Totals as labelled rows for a two-column table (Danish labels; IRR None when undefined)."""
        return [
            ("Investering", self.total_investment),
            ("Betalinger fra betaler", self.total_payments),
            ("Investors bonus", self.bonus),
            ("Afkast af investering", self.return_share),
            ("Investors IRR", self.irr),
            ("Pengemultiplikator", self.money_multiple),
            ("Besparelser", self.total_savings),
            ("Betalers nettobesparelse", self.net_saving),
        ]

    def yearly_rows(self) -> list[tuple[Any, ...]]:
        """Year-by-year table with a header row ("", "År 0", …, "I alt") and a total column."""

        def row(label: str, values: Sequence[float]) -> tuple[Any, ...]:
            return (label, *values, math.fsum(values))

        header = ("", *(f"År {t}" for t in range(len(self.investment))), "I alt")
        return [
            header,
            row("Investering", self.investment),
            row("Betalinger fra betaler", self.payments),
            row("Investors nettopengestrøm", self.investor_cashflow),
            row("Besparelser", self.savings),
            row("Betalers nettobesparelse", self.net_saving_by_year),
        ]


def settle(
    investment: Sequence[float],
    payments: Sequence[float],
    savings: Sequence[float],
    return_cap: float | None = None,
    return_floor: float | None = None,
) -> Settlement:
    """Settle a contract: apply the return cap and floor and collect the results.

    Parameters
    ----------
    investment : sequence of float
        kr. per year (≥ 0), year 0 first; the total must be above 0.
    payments : sequence of float
        kr. per year (≥ 0) the payer owes under the payment model.
    savings : sequence of float
        The payer's savings, kr. per year (may be negative).
    return_cap : float, optional
        Afkastloft, share of the total investment (≥ −1), e.g. 0.3.
    return_floor : float, optional
        Afkastgulv, share of the total investment (≥ −1, ≤ cap), e.g. −0.25:
        the investor loses at most 25 %.

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
      last year's payment (the payer tops up at the end of the contract).

    Because floor ≤ cap the two never act on the same contract.  Then:
    bonus = Σ payments − I; return = bonus / I; money multiple =
    Σ payments / I; net saving = Σ savings − Σ payments (also per year);
    IRR = ``irr(payments − investment)`` per year.

    Excel equivalent of the totals: ``=SUM(betalinger)-SUM(investering)``,
    ``=(SUM(betalinger)-SUM(investering))/SUM(investering)``,
    ``=IRR(betalinger-investering)``.

    Examples
    --------
    >>> s = settle([100, 0], [0, 120], [0, 200])
    >>> s.bonus, s.return_share, s.net_saving
    (20.0, 0.2, 80.0)
    >>> settle([100, 0], [0, 150], [0, 200], return_cap=0.3).payments
    (0.0, 130.0)
    """
    inv = check_non_negative_series("investering", investment)
    pay = check_non_negative_series("betalinger", payments)
    sav = check_series("besparelser", savings)
    check_same_length("betalinger", pay, "investering", inv)
    check_same_length("besparelser", sav, "investering", inv)
    total = math.fsum(inv)
    if total <= 0:
        raise SIError("investering", "skal være større end 0 i alt")
    cap, floor = check_return_limits(return_cap, return_floor)
    limited = pay if cap is None else apply_return_cap(pay, total, cap)
    limited = limited if floor is None else apply_return_floor(limited, total, floor)
    return Settlement(tuple(inv), tuple(limited), tuple(sav), tuple(pay), cap, floor)
