"""Rounding like Excel's ROUND: half away from zero, on the decimal value shown.

Python's built-in :func:`round` rounds half to even and works on the binary
value, so ``round(2.675, 2)`` gives 2.67; Excel gives 2.68.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .danish_numbers import excel_value, round_half_away  # noqa: F401 - excel_value re-exported
from .errors import SIError
from .vocabulary import OERE_DECIMALS, TOLERANCE_KR, by_unit, oere  # noqa: F401 - re-exported: how amounts are written


def excel_round(value: float, digits: int = 0) -> float:
    """Round ``value`` to ``digits`` decimals like Excel's ROUND.

    Excel equivalent: ``ROUND(value; digits)``.  Like Excel, ``value`` is first
    taken at 15 significant digits (what Excel stores and shows), then rounded
    half away from zero.  Negative ``digits`` round to tens, hundreds, ...

    Parameters
    ----------
    value : float
        The number to round (any unit; the unit is kept).
    digits : int
        Decimals to keep; negative rounds left of the decimal point.

    Returns
    -------
    float

    Notes
    -----
    ``ROUND(x; d) = sign(x) × floor(|x| × 10^d + 0.5) / 10^d`` evaluated on the
    15-significant-digit decimal of ``x``.

    Examples
    --------
    >>> excel_round(2.675, 2)
    2.68
    >>> excel_round(-2.5)
    -3.0
    >>> excel_round(1234.5, -2)
    1200.0
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SIError("tal", "skal være et endeligt tal")
    if int(digits) != digits:
        raise SIError("antal_cifre", "skal være et helt tal")
    return round_half_away(value, int(digits))


def whole_number(value: float) -> int | None:
    """The whole number ``value`` is at 15 significant digits (as Excel counts it), else None.

    Excel equivalent: ``=A1=INT(A1)``.

    >>> whole_number(0.29 * 100), whole_number(1.5), whole_number(-3.0)
    (29, None, -3)
    """
    shown = excel_value(value)
    return int(shown) if shown == shown.to_integral_value() else None


def whole_shares(shares: Sequence[float], decimals: int = 1) -> list[float]:
    """Shares (0–1) of one whole rounded to ``decimals`` decimals of a per cent so that the shown figures add up
    to their rounded sum (largest-remainder rounding): each share is cut down to its step, and the steps left over
    go to the largest remainders (the first of equal ones).  The one rounding of every table of shares of a whole.

    Examples
    --------
    0,4445 and 0,5555 rounded one by one (half away from zero) show 44,5 % + 55,6 % = 100,1 %; together, the one
    step left after 44,4 % + 55,5 % goes to the first of the two equal remainders:

    >>> whole_shares([0.4445, 0.5555])
    [0.445, 0.555]
    >>> whole_shares([1 / 3, 1 / 3, 1 / 3])
    [0.334, 0.333, 0.333]
    """
    step = 10 ** (decimals + 2)
    scaled = [float(s) * step for s in shares]
    floors = [math.floor(v + 1e-9) for v in scaled]
    left = round(math.fsum(scaled)) - sum(floors)
    order = sorted(range(len(scaled)), key=lambda k: (-(scaled[k] - floors[k]), k))
    for k in order[:max(0, left)]:
        floors[k] += 1
    return [f / step for f in floors]
