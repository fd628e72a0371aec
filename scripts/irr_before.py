"""The IRR as it was before Excel's Newton's method was reproduced: kept for ``make bench`` only.

A copy of the earlier ``udfs.core.settlement.irr``: the NPV's sign probed on a fixed grid of
503 rates, one Python evaluation per rate, then bisection in every bracket, and the root nearest
the guess returned.  The benchmark times it against the current code on the same flows.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from udfs.core.settlement import check_cashflows

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
    base = 1.0 + rate
    if rate >= 0:
        return math.fsum(cashflows * base ** (-times))
    return math.fsum(cashflows * base ** (times.max() - times))


def bisect_root(f: Any, low: float, high: float) -> float:
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


def irr(cashflows, guess: float = 0.1) -> float:
    """The earlier IRR, with the same input check as today."""
    flows = check_cashflows(cashflows)
    times = np.arange(len(flows), dtype=float)

    def f(rate: float) -> float:
        return npv_sign_function(rate, flows, times)

    brackets = sign_change_brackets(f)
    if not brackets:
        raise ValueError("no rate")
    roots = [low if low == high else bisect_root(f, low, high) for low, high in brackets]
    return float(min(roots, key=lambda r: abs(r - guess)))
