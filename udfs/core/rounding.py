"""Rounding like Excel's ROUND: half away from zero, on the decimal value shown.

Python's built-in :func:`round` rounds half to even and works on the binary
value, so ``round(2.675, 2)`` gives 2.67; Excel gives 2.68.
"""

from __future__ import annotations

import math

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
