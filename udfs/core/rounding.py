"""Rounding like Excel's ROUND: half away from zero, on the decimal value shown.

Python's built-in :func:`round` rounds half to even and works on the binary
value, so ``round(2.675, 2)`` gives 2.67; Excel gives 2.68.
"""

from __future__ import annotations

import math

from .danish_numbers import excel_value, round_half_away  # noqa: F401 - excel_value re-exported
from .errors import SIError
from .vocabulary import TOLERANCE_KR


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


OERE_DECIMALS = round(-math.log10(TOLERANCE_KR))
"""The decimals an amount in kr. is written with (CSV, ``--json``, INDIGO): the øre, the precision to which the tool
compares amounts (:data:`~udfs.core.vocabulary.TOLERANCE_KR`, 0.01 kr.)."""


def oere(value: float) -> float:
    """kr. rounded to the øre (:data:`OERE_DECIMALS`, half away from zero as Excel's ROUND), which also takes
    away the float noise of a sum (1999999.9999999995 → 2000000.0).

    >>> oere(1374999.9999999998), oere(378.599999999977), oere(-0.005)
    (1375000.0, 378.6, -0.01)
    """
    return excel_round(float(value), OERE_DECIMALS)


def by_unit(value, unit: str | None):
    """A figure as written for a program (CSV, ``--json``): an amount (``unit`` ``"kr"``) to the øre (:func:`oere`);
    a share, rate, factor or count, a text, None and anything not a number as it is (full precision).  The one rule
    of how amounts are written; a line item's unit (:class:`~udfs.core.lineitems.LineItem`) says which is which."""
    if unit == "kr" and isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return oere(value)
    return value


def whole_number(value: float) -> int | None:
    """The whole number ``value`` is at 15 significant digits (as Excel counts it), else None.

    Excel equivalent: ``=A1=INT(A1)``.

    >>> whole_number(0.29 * 100), whole_number(1.5), whole_number(-3.0)
    (29, None, -3)
    """
    shown = excel_value(value)
    return int(shown) if shown == shown.to_integral_value() else None
