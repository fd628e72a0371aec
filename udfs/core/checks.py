"""Small input checks shared by the core modules.

Each returns the cleaned value or raises :class:`SIError` naming the argument,
with a short Danish message.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Sequence
from typing import Annotated, Any

import numpy as np
from pydantic import BeforeValidator

from .danish_numbers import unsigned_zero
from .errors import SIError, count
from .rounding import whole_number
from .vocabulary import EXCEL_EQUAL

# --------------------------------------------------------------------------


def check_number(argument: str, value: Any) -> float:
    """A finite real number as float; SIError otherwise (also for None, NaN, ±inf, bool, text)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SIError(argument, "skal være et tal")
    number = float(value)
    if not math.isfinite(number):
        raise SIError(argument, "skal være et endeligt tal (ikke NaN eller uendelig)")
    return number


def check_whole(argument: str, value: Any, low: int | None = None, high: int | None = None) -> int:
    """A whole number within ``low..high`` (either may be None), counted as Excel counts it.

    Excel passes every number as a float (3.0 for 3), and a formula such as
    ``=0,29*100`` gives 28.999999999999996, which Excel shows and counts as 29:
    a number that is whole at 15 significant digits (:func:`whole_number`) is
    that whole number; 1.5 is an error.

    >>> check_whole("uge", 0.29 * 100)
    29
    """
    number = check_number(argument, value)
    whole = whole_number(number)
    if whole is None:
        raise SIError(argument, f"skal være et helt tal, ikke {format_number(number)}")
    if (low is not None and whole < low) or (high is not None and whole > high):
        bounds = f"skal ligge mellem {low} og {high}" if low is not None and high is not None else (
            f"skal være mindst {low}" if low is not None else f"må højst være {high}"
        )
        raise SIError(argument, f"{bounds}, ikke {format_number(number)}")
    return whole


def _whole_as_excel(value: Any) -> Any:
    """A float that is whole at 15 significant digits becomes that int; anything else is left to pydantic."""
    if isinstance(value, float) and math.isfinite(value):
        whole = whole_number(value)
        return value if whole is None else whole
    return value


#: A whole-number field of a case file or an own-prices row: counted as :func:`check_whole` counts
#: (28.999999999999996 from ``=0,29*100`` is 29; 1.5 stays an error from pydantic).
WholeNumber = Annotated[int, BeforeValidator(_whole_as_excel)]


def format_number(x: float) -> str:
    """A number as a Danish message shows it: 1,5 (decimal comma), up to 6 significant digits."""
    return unsigned_zero(f"{x:g}".replace(".", ","))


def check_non_negative(argument: str, value: Any) -> float:
    """A finite number ≥ 0."""
    number = check_number(argument, value)
    if number < 0:
        raise SIError(argument, "må ikke være negativ")
    return number


def per_cent_hint(value: Any, low: float | None, high: float | None) -> str:
    """How to type a share (or a rate) that was typed as a whole per cent: ``"skrev du 10 for 10 %? Skriv 0,10
    eller 10 %"`` for 10 given where ``low``–``high`` are the field's bounds and 10 / 100 lies within them; ``""``
    otherwise (a value within the bounds, one that is no per cent of an allowed share: 150 for 0–1, or -- where
    shares above 1 are allowed -- one at most twice the highest, as likely a share over the limit: 2,5 for a mark-up
    of at most 2, i.e. 250 %).

    The one wording of the usual slip in a share field (a case file's ``succesrate: 10``, a workbook's
    Optimismetillæg typed 10 into a cell that is not shown in per cent, an Excel function's ``succesrate`` 30):
    the caller decides that the field is a share; this only says how to type it.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        return ""
    inside = lambda x: (low is None or x >= low) and (high is None or x <= high)  # noqa: E731
    if inside(value) or not 1 < value <= 100 or not inside(value / 100):
        return ""
    if high is not None and high > 1 and value <= 2 * high:  # just above a highest share over 100 % (2,5 where
        return ""  # 200 % is the most): a share over the limit (250 %) as likely as a per cent
    typed, share = format_number(float(value)), format_number(value / 100)
    whole, _, decimals = share.partition(",")
    share = f"{whole},{decimals.ljust(2, '0')}"  # 0,10 and 1,00: read as a share, not as a whole number
    return f"skrev du {typed} for {typed} %? Skriv {share} eller {typed} %"


def out_of_range(rule: str, value: Any, low: float | None, high: float | None) -> str:
    """``"<rule>, ikke <value>"`` and, for a share typed as a whole per cent, how to type it (:func:`per_cent_hint`):
    ``"skal være en andel mellem 0 og 1, ikke 18; skrev du 18 for 18 %? Skriv 0,18 eller 18 %"``."""
    hint = per_cent_hint(value, low, high)
    given = format_number(value) if isinstance(value, numbers.Real) and not isinstance(value, bool) else str(value)
    return f"{rule}, ikke {given}" + (f"; {hint}" if hint else "")


def check_share(argument: str, value: Any) -> float:
    """A share in [0, 1] (0.12 for 12 %, not 12)."""
    number = check_number(argument, value)
    if not 0.0 <= number <= 1.0:
        raise SIError(argument, out_of_range("skal være en andel mellem 0 og 1", number, 0.0, 1.0))
    return number


def check_optional_non_negative(argument: str, value: Any) -> float | None:
    """None stays None (argument left out); otherwise a finite number ≥ 0."""
    return None if value is None else check_non_negative(argument, value)


def check_series(argument: str, values: Any) -> list[float]:
    """A one-dimensional sequence of finite numbers (may be empty)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        if hasattr(values, "tolist"):  # numpy arrays
            return check_series(argument, values.tolist())
        raise SIError(argument, "skal være en række af tal")
    if all(type(v) is float for v in values) and math.isfinite(sum(values)):
        return list(values)  # floats, as Excel passes them, none NaN or infinite: nothing to check one by one
    return [check_number(argument, v) for v in values]


def check_non_negative_series(argument: str, values: Any) -> list[float]:
    """A one-dimensional sequence of finite numbers ≥ 0."""
    return [check_non_negative(argument, v) for v in check_series(argument, values)]


def check_same_length(argument: str, values: Sequence, other_argument: str, other: Sequence) -> None:
    """SIError on ``argument`` unless both sequences have the same length."""
    if len(values) != len(other):
        raise SIError(
            argument,
            f"har {count(len(values), 'værdi', 'værdier')}, men {other_argument} har {len(other)} — områderne skal være lige lange",
        )


def check_threshold_below_target(threshold: float, target: float) -> None:
    """SIError on ``taerskel`` unless threshold < target."""
    if not threshold < target:
        raise SIError("taerskel", "tærsklen skal være mindre end målet")


def check_strictly_increasing(argument: str, values: Sequence[float]) -> None:
    """SIError unless every value is larger than the one before."""
    if any(b <= a for a, b in itertools.pairwise(values)):
        raise SIError(argument, "skal være strengt stigende")


def reaches(value: Any, threshold: Any) -> Any:
    """``value ≥ threshold`` as Excel compares: equal at 15 significant digits counts as reached.

    Floating point makes ``0.3 − 0.1`` fall just below ``0.2``; Excel and
    LibreOffice compare such numbers as equal, and so do we.  Numbers give a
    bool; arrays broadcast (numpy) and give an array of bools.

    >>> 0.3 - 0.1 >= 0.2, reaches(0.3 - 0.1, 0.2)
    (False, True)
    """
    if isinstance(value, numbers.Real) and isinstance(threshold, numbers.Real):
        return value >= threshold or abs(value - threshold) <= EXCEL_EQUAL * max(abs(value), abs(threshold))
    v, t = np.asarray(value, dtype=float), np.asarray(threshold, dtype=float)
    return (v >= t) | (np.abs(v - t) <= EXCEL_EQUAL * np.maximum(np.abs(v), np.abs(t)))
