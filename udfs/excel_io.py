"""Turning what Excel passes into core types, and refusing what does not fit.

Excel (through xlwings) passes numbers as floats (also whole numbers), empty
cells as ``None``, text as ``str``, dates as ``datetime``, and ranges as lists
(or tuples) of rows.  Each converter names the argument in its Danish error
message so the user knows which cell to fix.  No xlwings import here: these
are plain functions, tested directly.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from .core.errors import SIError
from .core.limits import MAX_CELLS_PER_ARGUMENT

_MISSING = object()


def _is_seq(value: object) -> bool:
    return isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray"


def scalar(name: str, value: object) -> object:
    """Unwrap a 1×1 range; refuse a larger range where one value is expected."""
    while _is_seq(value):
        if len(value) != 1:
            raise SIError(name, "skal være én celle, ikke et område")
        value = value[0]
    return value


def number(name: str, value: object, default: object = _MISSING) -> float:
    """A finite number; empty → ``default`` when one is given, else an error."""
    value = scalar(name, value)
    if value is None or (isinstance(value, str) and value.strip() == ""):
        if default is _MISSING:
            raise SIError(name, "mangler (tom celle)")
        return default
    if isinstance(value, bool):
        raise SIError(name, "skal være et tal, ikke SAND/FALSK")
    if isinstance(value, (dt.date, dt.datetime)):
        raise SIError(name, "skal være et tal, ikke en dato")
    if isinstance(value, str):
        raise SIError(name, f"skal være et tal, ikke teksten '{_short(value)}'")
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise SIError(name, "skal være et tal") from None
    if not math.isfinite(out):
        raise SIError(name, "skal være et endeligt tal (ikke NaN eller uendelig)")
    return out


def integer(name: str, value: object, low: int | None = None, high: int | None = None, default: object = _MISSING) -> int:
    """A whole number within ``low..high``; Excel's floats such as 3.0 are accepted."""
    out = number(name, value, default)
    if out is default and default is not _MISSING:
        return default
    if not float(out).is_integer():
        raise SIError(name, f"skal være et helt tal, ikke {_fmt(out)}")
    if (low is not None and out < low) or (high is not None and out > high):
        raise SIError(name, f"skal ligge mellem {low} og {high}, ikke {_fmt(out)}" if high is not None else f"skal være mindst {low}, ikke {_fmt(out)}")
    return int(out)


def text(name: str, value: object, default: object = _MISSING) -> str:
    """A non-empty text; empty → ``default`` when one is given, else an error."""
    value = scalar(name, value)
    if value is None or (isinstance(value, str) and value.strip() == ""):
        if default is _MISSING:
            raise SIError(name, "mangler (tom celle)")
        return default
    if not isinstance(value, str):
        raise SIError(name, "skal være en tekst")
    return value.strip()


def text_or_number(name: str, value: object, default: object = _MISSING) -> str | float:
    """Either a name (text) or a finite number, e.g. a schedule name or a constant rate."""
    value = scalar(name, value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return number(name, value, default)


def rows(name: str, value: object) -> list[list[object]]:
    """A range as a list of rows (a single value becomes a 1×1 table)."""
    if not _is_seq(value):
        return [[value]]
    if len(value) == 0:
        raise SIError(name, "er tomt")
    check_size(name, value)
    if all(_is_seq(r) for r in value):
        return [list(r) for r in value]
    if any(_is_seq(r) for r in value):
        raise SIError(name, "har rækker af forskellig form")
    return [list(value)]


def check_size(name: str, value: Sequence) -> None:
    """Refuse a range of more than ``MAX_CELLS_PER_ARGUMENT`` cells, before any cell is converted."""
    cells = len(value) if len(value) > MAX_CELLS_PER_ARGUMENT else sum(len(r) if _is_seq(r) else 1 for r in value)
    if cells > MAX_CELLS_PER_ARGUMENT:
        raise SIError(name, f"området har {cells:,} celler; højst {MAX_CELLS_PER_ARGUMENT:,}".replace(",", "."))


def vector(name: str, value: object) -> list[float]:
    """One row or one column of finite numbers; no empty cells, text or NaN."""
    table = rows(name, value)
    width = {len(r) for r in table}
    if len(width) != 1:
        raise SIError(name, "har rækker af forskellig længde")
    if len(table) > 1 and width != {1}:
        raise SIError(name, "skal være én række eller én kolonne")
    cells = [c for r in table for c in r]
    return [number(f"{name}[{i}]", c) for i, c in enumerate(cells, start=1)]


def matrix(name: str, value: object) -> list[list[float]]:
    """A rectangular range of finite numbers (rows of equal length)."""
    table = rows(name, value)
    if len({len(r) for r in table}) != 1:
        raise SIError(name, "har rækker af forskellig længde")
    return [[number(f"{name}[{i},{j}]", c) for j, c in enumerate(r, start=1)] for i, r in enumerate(table, start=1)]


def dates(name: str, value: object) -> list[dt.date | float]:
    """One row or column of dates (Excel dates arrive as datetimes, or as serial numbers)."""
    table = rows(name, value)
    if len(table) > 1 and {len(r) for r in table} != {1}:
        raise SIError(name, "skal være én række eller én kolonne")
    out: list[dt.date | float] = []
    for i, c in enumerate((c for r in table for c in r), start=1):
        out.append(c if isinstance(c, (dt.date, dt.datetime)) else number(f"{name}[{i}]", c))
    return out


def _fmt(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _short(s: str, n: int = 20) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def table_is_path(table: Sequence[Sequence[object]]) -> str | None:
    """The text of a 1×1 table holding a file name, else ``None``."""
    if len(table) == 1 and len(table[0]) == 1 and isinstance(table[0][0], str):
        return table[0][0].strip()
    return None


def year_values(name: str, value: object) -> list[tuple[int, float]]:
    """A two-column range of (year; value) rows, e.g. a kommune's own price index.

    An optional header row (text in the year column) and rows without a
    value are skipped; years must be whole numbers and values finite numbers.  Errors
    name the argument and the row (counted from 1 within the range).
    """
    table = rows(name, value)
    if {len(r) for r in table} != {2}:
        raise SIError(name, "skal være et område med to kolonner: år og værdi")
    out: list[tuple[int, float]] = []
    for k, (year, val) in enumerate(table, start=1):
        if k == 1 and isinstance(year, str) and not year.strip().isdigit():
            continue  # a header row such as ("år", "værdi")
        if val in (None, ""):
            continue  # a year the series has no value for (e.g. a future year not filled in)
        out.append((integer(f"{name}[{k},1]", year, 1900, 2200), number(f"{name}[{k},2]", val)))
    if not out:
        raise SIError(name, "har ingen rækker med år og værdi")
    return out
