"""Discount factors and present values.

Two conventions, clearly named:

* :func:`present_value` — Finansministeriet's convention (and SØM's): the first
  amount falls in year 0 and is not discounted.
* :func:`npv_excel` — Excel's ``NPV(rate; values)``: one constant rate, and the
  first value is discounted one full period.  ``npv_excel(r, v) ==
  present_value(v, r) / (1 + r)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from .checks import out_of_range
from .danish_numbers import number_from_text
from .data import discount_schedules, manifest
from .errors import SIError, did_you_mean, excerpt

MAX_YEAR = 500


def default_schedule() -> str:
    return manifest()["datasets"]["diskontering"]["default"]


def schedule_names() -> list[str]:
    return sorted(discount_schedules())


def rate_for_year(year: int, schedule: str) -> float:
    """The annual rate (share 0–1) that discounts year ``year`` back to ``year - 1``."""
    for band in discount_schedules()[schedule]:
        if band.fra_aar <= year and (band.til_aar is None or year <= band.til_aar):
            return band.rente
    raise SIError("skema", f"skemaet '{excerpt(schedule)}' dækker ikke år {year}")


@lru_cache(maxsize=64)
def _factors(schedule: str) -> tuple[float, ...]:
    """Discount factors for years 0..MAX_YEAR of a named schedule."""
    out = [1.0]
    for year in range(1, MAX_YEAR + 1):
        out.append(out[-1] / (1.0 + rate_for_year(year, schedule)))
    return tuple(out)


FIXED_RATE_CHOICE = "eller en fast rente som andel, fx 0,035"
"""How every message about an unknown schedule names the fixed-rate option."""


def unknown_schedule(text: str, argument: str = "skema") -> SIError:
    """The one message for a schedule name that is neither known nor a fixed rate: the nearest name, the
    known ones and the fixed-rate option."""
    hint = did_you_mean(text, schedule_names())
    return SIError(argument, f"ukendt skema '{excerpt(text)}'{f' ({hint})' if hint else ''}; kendte: "
                             f"{', '.join(schedule_names())}, {FIXED_RATE_CHOICE}")  # fmt: skip


def read_schedule(value: str | float, argument: str = "skema") -> str | float:
    """A schedule as typed: a name (any case, surrounding spaces ignored: ``"FM_2021 "`` is ``fm_2021``) or a
    fixed rate, as a number or as a Danish text (``"0,04"``, ``"4 %"``, ``"0.04"``; read by the one reader of
    number texts, :func:`udfs.core.danish_numbers.number_from_text`), checked by :func:`check_constant_rate`.

    Returns the schedule's name or the rate as a share.  SIError naming ``argument`` otherwise
    (:func:`unknown_schedule`).

    >>> read_schedule(" FM_2013"), read_schedule("0,04"), read_schedule("4 %"), read_schedule(0.04)
    ('fm_2013', 0.04, 0.04, 0.04)
    """
    if not isinstance(value, str):
        return check_constant_rate(value, argument)
    name = value.strip().lower()
    if name in discount_schedules():
        return name
    found = number_from_text(name)
    if found is None:
        raise unknown_schedule(value, argument)
    number, percent = found
    return check_constant_rate(float(number / 100 if percent else number), argument)


def _check_schedule(schedule: str) -> str:
    if schedule not in discount_schedules():
        raise unknown_schedule(schedule)
    return schedule


def _check_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 0 <= year <= MAX_YEAR:
        raise SIError("aar", f"skal være et helt tal fra 0 til {MAX_YEAR}")
    return year


RATE_BOUNDS = (-0.5, 0.5)
"""The constant discount rates accepted everywhere (functions, case files, workbooks), as shares."""


def check_constant_rate(rate: float, argument: str = "skema") -> float:
    """A constant discount rate: a share within :data:`RATE_BOUNDS` (0.035, not 3.5); else a Danish error naming ``argument``."""
    low, high = RATE_BOUNDS
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not math.isfinite(rate) or not low <= rate <= high:
        rule = "en fast rente skal være en andel mellem -0,5 og 0,5, fx 0,035 for 3,5 %"
        raise SIError(argument, out_of_range(rule, rate, low, high) if isinstance(rate, (int, float)) and not isinstance(rate, bool) else rule)
    return float(rate)


def discount_factor(year: int, schedule: str | float | None = None) -> float:
    """Discount factor for ``year`` years after year 0.

    Parameters
    ----------
    year : int
        Years after the base year (0 = base year, factor 1).
    schedule : str or float, optional
        A named schedule from ``diskontering.csv`` (default ``fm_2021``:
        Finansministeriet 3.5 % years 1–35, 2.5 % years 36–70, 1.5 % after), or
        a constant annual rate as a share (0.035, not 3.5).

    Returns
    -------
    float
        Unitless factor in (0, 1] for positive rates.

    Notes
    -----
    Banded schedule: ``DF(t) = Π_{k=1..t} 1 / (1 + r(k))`` where ``r(k)`` is the
    rate of the band containing year k, so factors compound across bands:
    ``DF(40) = 1.035^-35 × 1.025^-5``.  Constant rate: ``DF(t) = (1 + r)^-t``.

    Examples
    --------
    >>> round(discount_factor(40), 10) == round(1.035**-35 * 1.025**-5, 10)
    True
    >>> discount_factor(2, 0.05) == 1.05**-2
    True
    """
    _check_year(year)
    if schedule is None:
        schedule = default_schedule()
    if isinstance(schedule, str):
        return _factors(_check_schedule(schedule))[year]
    return (1.0 + check_constant_rate(schedule)) ** -year


def discount_factors(n: int, schedule: str | float | None = None) -> tuple[float, ...]:
    """Factors for years ``0 .. n-1`` (see :func:`discount_factor`)."""
    if schedule is None:
        schedule = default_schedule()
    if n - 1 > MAX_YEAR:
        raise SIError("beloeb", f"højst {MAX_YEAR + 1} år")
    if isinstance(schedule, str):
        return _factors(_check_schedule(schedule))[:n]
    rate = check_constant_rate(schedule)
    return tuple((1.0 + rate) ** -t for t in range(n))


def present_value(amounts: Sequence[float], schedule: str | float | None = None) -> float:
    """Present value of yearly amounts, the first amount in year 0 (not discounted).

    Parameters
    ----------
    amounts : sequence of float
        kr. per year, year 0 first, all at the same price level.
    schedule : str or float, optional
        Named schedule (default Finansministeriet's) or a constant rate (share).

    Returns
    -------
    float
        kr. at the price level of the amounts, discounted to year 0.

    Notes
    -----
    ``PV = Σ_t amounts[t] × DF(t)``.  Excel equivalent for a constant rate r:
    ``amounts[0] + NPV(r; amounts[1:])`` — Excel's ``NPV`` alone would discount
    the first amount too (see :func:`npv_excel`).

    Examples
    --------
    >>> present_value([100, 103.5], 0.035)
    200.0
    """
    factors = discount_factors(len(amounts), schedule)
    return _sum("beloeb", (a * f for a, f in zip(amounts, factors)))


def _sum(argument: str, terms) -> float:
    """An exact float sum; amounts too large to add up are an error naming ``argument``."""
    try:
        return math.fsum(terms)
    except OverflowError:
        raise SIError(argument, "beløbene er for store til at lægge sammen") from None


def npv_excel(rate: float, values: Sequence[float]) -> float:
    """Excel's ``NPV(rate; values)``: constant rate, first value discounted one period.

    Notes
    -----
    ``NPV = Σ_{i=1..n} values[i-1] / (1 + rate)^i``.  Same as
    ``present_value(values, rate) / (1 + rate)``.

    Examples
    --------
    >>> round(npv_excel(0.1, [110, 121]), 10)
    200.0
    """
    rate = check_constant_rate(rate, "rente")
    return _sum("vaerdier", (v / (1.0 + rate) ** (i + 1) for i, v in enumerate(values)))
