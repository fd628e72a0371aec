"""Small input checks shared by the core modules.

Each returns the cleaned value or raises :class:`SIError` naming the argument,
with a short Danish message.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Sequence
from typing import Any

from .errors import SIError

# --------------------------------------------------------------------------


def check_number(argument: str, value: Any) -> float:
    """A finite real number as float; SIError otherwise (also for None, NaN, ±inf, bool, text)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SIError(argument, "skal være et tal")
    number = float(value)
    if not math.isfinite(number):
        raise SIError(argument, "skal være et endeligt tal (ikke NaN eller uendelig)")
    return number


def check_non_negative(argument: str, value: Any) -> float:
    """A finite number ≥ 0."""
    number = check_number(argument, value)
    if number < 0:
        raise SIError(argument, "må ikke være negativ")
    return number


def check_share(argument: str, value: Any) -> float:
    """A share in [0, 1] (0.12 for 12 %, not 12)."""
    number = check_number(argument, value)
    if not 0.0 <= number <= 1.0:
        raise SIError(argument, "skal være en andel mellem 0 og 1, ikke procent")
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
            f"har {len(values)} værdier, men {other_argument} har {len(other)} — områderne skal være lige lange",
        )


def check_threshold_below_target(threshold: float, target: float) -> None:
    """SIError on ``taerskel`` unless threshold < target."""
    if not threshold < target:
        raise SIError("taerskel", "tærsklen skal være mindre end målet")


def check_strictly_increasing(argument: str, values: Sequence[float]) -> None:
    """SIError unless every value is larger than the one before."""
    if any(b <= a for a, b in itertools.pairwise(values)):
        raise SIError(argument, "skal være strengt stigende")


def reaches(value: float, threshold: float) -> bool:
    """``value ≥ threshold`` as Excel compares: equal at 15 significant digits counts as reached.

    Floating point makes ``0.3 − 0.1`` fall just below ``0.2``; Excel and
    LibreOffice compare such numbers as equal, and so do we.

    >>> 0.3 - 0.1 >= 0.2, reaches(0.3 - 0.1, 0.2)
    (False, True)
    """
    return value >= threshold or abs(value - threshold) <= 1e-13 * max(abs(value), abs(threshold))
