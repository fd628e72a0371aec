"""Turning what Excel passes into core types, and refusing what does not fit.

Excel (through xlwings) passes numbers as floats (also whole numbers), empty
cells as ``None``, text as ``str``, dates as ``datetime`` or as serial numbers,
error cells as their text (``"#N/A"``; every argument is declared with
xlwings's ``err_to_str``) and ranges as lists (or tuples) of rows.  A number typed
into a text cell is read as Danes type it (:func:`number`); a per cent only where
the argument is a share.  Each
converter names the argument in its Danish error message so the user knows
which cell to fix.  No xlwings import here: these are plain functions, tested
directly.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

from .core.checks import check_whole
from .core.danish_numbers import number_from_text
from .core.dates import excel_serial
from .core.errors import SIError, excerpt
from .core.limits import MAX_CELLS_PER_ARGUMENT

_MISSING = object()


def _is_seq(value: object) -> bool:
    return isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray"


# Excel's error values, as xlwings hands them over with err_to_str: the classic ones
# (#NULL!, #DIV/0!, #VALUE!, #REF!, #NAME?, #NUM!, #N/A) and the newer ones of dynamic
# arrays, data types and connections (#GETTING_DATA, #SPILL!, #CONNECT!, #BLOCKED!,
# #UNKNOWN!, #FIELD!, #CALC!, #BUSY!, #PYTHON! …): "#" and capitals, ending in "!"
# or "?", plus #N/A and #GETTING_DATA; also Danish Excel's names (#I/T, #VÆRDI!,
# #DIVISION/0!, #NAVN?, #SPILD! …) in case a route hands over the shown text.
_ERROR_TEXT = re.compile(r"#(?:N/A|I/T|GETTING_DATA|[A-ZÆØÅ][A-ZÆØÅ0-9/_]*[!?])")
# On Windows an error cell arrives through pywin32 as the COM error code
# 0x800A0000 + Excel's CVErr number (xlErrNull 2000 … xlErrCalc 2050).  xlwings turns
# the seven classic codes into their text; a newer one (#SPILL! = 2045) would arrive as
# a plain int, which must never pass for a number.
_COM_ERROR_BASE = -2146828288
_COM_ERRORS = {2000: "#NULL!", 2007: "#DIV/0!", 2015: "#VALUE!", 2023: "#REF!", 2029: "#NAME?", 2036: "#NUM!",
               2042: "#N/A", 2043: "#GETTING_DATA", 2045: "#SPILL!", 2046: "#CONNECT!", 2047: "#BLOCKED!",
               2048: "#UNKNOWN!", 2049: "#FIELD!", 2050: "#CALC!"}


def error_value(value: object) -> str | None:
    """The Excel error a cell value stands for ("#N/A", "#DIV/0!", …), else None.

    >>> error_value("#N/A"), error_value(-2146826281), error_value("N/A"), error_value(7.0)
    ('#N/A', '#DIV/0!', None, None)
    """
    if isinstance(value, str):
        text = value.strip()
        return text if _ERROR_TEXT.fullmatch(text) else None
    if type(value) is int and 0 <= value - _COM_ERROR_BASE <= 2099:
        return _COM_ERRORS.get(value - _COM_ERROR_BASE, "#FEJL")
    return None


def refuse_errors(name: str, value: object) -> None:
    """SIError naming the argument (and the cell of a range) when it holds an Excel error value.

    Called for every argument of every function before anything else, so an
    error cell is never taken as a left-out argument, an empty cell or a text.
    """
    if _is_seq(value):
        table = rows(name, value)
        for i, row in enumerate(table, start=1):
            for j, cell in enumerate(row, start=1):
                found = error_value(cell)
                if found is not None:
                    where = "" if len(table) == len(row) == 1 else f" (række {i}, kolonne {j} i området)"
                    raise SIError(name, f"indeholder fejlværdien {found}{where}; ret cellen eller formlen, der giver fejlen")
    else:
        found = error_value(value)
        if found is not None:
            raise SIError(name, f"er fejlværdien {found}; ret cellen eller formlen, der giver fejlen")


def scalar(name: str, value: object) -> object:
    """Unwrap a 1×1 range; refuse a larger range where one value is expected."""
    while _is_seq(value):
        if len(value) != 1:
            raise SIError(name, "skal være én celle, ikke et område")
        value = value[0]
    return value


#: The end of the message for a per cent typed where the argument is not a share (an amount in kr., a count).
NOT_A_SHARE = "argumentet er ikke en andel: skriv tallet uden %"


def number(name: str, value: object, default: object = _MISSING, share: bool = False) -> float:
    """A finite number; empty → ``default`` when one is given, else an error.

    A text is read as Danes type a number (:func:`number_text`): ``"0,1"``, ``"7.400.000"``, and where the
    argument is a ``share`` (a share, a rate, or a result that may be one) also a per cent, ``"10 %"`` = 0.1.
    """
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
        return number_text(name, value, share)
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise SIError(name, "skal være et tal") from None
    if not math.isfinite(out):
        raise SIError(name, "skal være et endeligt tal (ikke NaN eller uendelig)")
    return out


def number_text(name: str, text: str, share: bool) -> float:
    """A number typed into a text cell, read by the project's one reader of number texts
    (:func:`udfs.core.danish_numbers.number_from_text`), as the command line, case files and the workbook read
    them: ``"0,1"``, ``"0.1"``, ``"7.400.000"``; a per cent (``"10 %"``, ``"10%"``, ``"12,5 %"``) divided by 100
    where the argument is a ``share``, refused naming the argument where it is not (an amount in kr., a count).

    >>> number_text("niveau", "95 %", share=True), number_text("loft", "7.400.000", share=False)
    (0.95, 7400000.0)
    """
    found = number_from_text(text)
    if found is None:
        raise SIError(name, f"skal være et tal, ikke teksten '{excerpt(text, 20)}'")
    value, percent = found
    if percent and not share:
        raise SIError(name, f"skal være et tal, ikke teksten '{excerpt(text, 20)}'; {NOT_A_SHARE}")
    out = float(value / 100 if percent else value) + 0.0
    if not math.isfinite(out):
        raise SIError(name, "skal være et endeligt tal (ikke NaN eller uendelig)")
    return out


def integer(name: str, value: object, low: int | None = None, high: int | None = None, default: object = _MISSING) -> int:
    """A whole number within ``low..high``, counted as Excel counts it (:func:`udfs.core.checks.check_whole`).

    Excel's floats such as 3.0 are accepted, and so is 28.999999999999996 from
    ``=0,29*100``, which Excel shows and counts as 29; 1.5 is an error.
    """
    out = number(name, value, default)
    if out is default and default is not _MISSING:
        return default
    return check_whole(name, out, low, high)


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


def choice(name: str, value: object, default: object = _MISSING) -> str:
    """A choice among fixed names (``myndighed``, ``ordning``, ``hvem``, ``indeks``, …): a text, case-insensitive.

    ``"Betaler"`` and ``"REFUSION_2016"`` are ``"betaler"`` and ``"refusion_2016"``, as
    case-file choices are (:func:`udfs.core.validation.lower_choices`); the core checks the name.
    """
    out = text(name, value, default)
    return out.lower() if isinstance(out, str) else out


def text_or_number(name: str, value: object, default: object = _MISSING) -> str | float:
    """Either a name (text, case-insensitive as :func:`choice`) or a finite number, e.g. a schedule name or a constant rate."""
    value = scalar(name, value)
    if isinstance(value, str) and value.strip():
        return value.strip().lower()
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


def _line(name: str, value: object) -> list[object]:
    """The cells of one row or one column, in order."""
    table = rows(name, value)
    width = {len(r) for r in table}
    if len(width) != 1:
        raise SIError(name, "har rækker af forskellig længde")
    if len(table) > 1 and width != {1}:
        raise SIError(name, "skal være én række eller én kolonne")
    return [c for r in table for c in r]


def vector(name: str, value: object, share: bool = False) -> list[float]:
    """One row or one column of finite numbers (number texts read as :func:`number` reads them, a per cent where
    the values are shares, ``share``); no empty cells, other text or NaN."""
    return [number(f"{name}[{i}]", c, share=share) for i, c in enumerate(_line(name, value), start=1)]


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def beyond_steps(value: object, n: int) -> object:
    """``value`` (one row or column of values per step) without its empty cells after the first ``n``: a step
    range with room for more steps, read beside a step table of ``n`` steps (:func:`steps`).  Anything else is
    returned unchanged, to be checked as it is."""
    if not _is_seq(value):
        return value
    if all(not _is_seq(r) for r in value):
        return list(value[:n]) if len(value) > n and all(_empty(c) for c in value[n:]) else value
    table = [list(r) if _is_seq(r) else [r] for r in value]
    if len(table) == 1 and len(table[0]) > n and all(_empty(c) for c in table[0][n:]):
        return [table[0][:n]]
    if len(table) > n and all(len(r) == 1 and _empty(r[0]) for r in table[n:]):
        return table[:n]
    return value


def steps(name: str, value: object, share: bool = False) -> list[float]:
    """A step table's row or column (thresholds, payments, prices per step) in a range with room for more steps:
    the empty cells at its end are not steps; every cell before them must be a finite number, as in :func:`vector`
    (a per cent where the steps are shares, ``share``, such as thresholds of a result measured as a share)."""
    cells = _line(name, value)
    while cells and _empty(cells[-1]):
        cells.pop()
    if not cells:
        raise SIError(name, "er tomt")
    return [number(f"{name}[{i}]", c, share=share) for i, c in enumerate(cells, start=1)]


def matrix(name: str, value: object) -> list[list[float]]:
    """A rectangular range of finite numbers (rows of equal length)."""
    table = rows(name, value)
    if len({len(r) for r in table}) != 1:
        raise SIError(name, "har rækker af forskellig længde")
    return [[number(f"{name}[{i},{j}]", c) for j, c in enumerate(r, start=1)] for i, r in enumerate(table, start=1)]


def dates(name: str, value: object) -> list[float]:
    """One row or column of dates as Excel serial numbers (:func:`udfs.core.dates.excel_serial`).

    A date cell arrives as a ``datetime`` or as a serial number depending on
    its format and on whether a formula made it; the two may be mixed.
    """
    table = rows(name, value)
    if len(table) > 1 and {len(r) for r in table} != {1}:
        raise SIError(name, "skal være én række eller én kolonne")
    return [excel_serial(f"{name}[{i}]", c) for i, c in enumerate((c for r in table for c in r), start=1)]


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


def cells(name: str, value: object) -> list[object]:
    """One row or one column of cells as they are (texts, numbers, None), in reading order."""
    table = rows(name, value)
    if len(table) > 1 and {len(r) for r in table} != {1}:
        raise SIError(name, "skal være én række eller én kolonne")
    return [c for r in table for c in r]
