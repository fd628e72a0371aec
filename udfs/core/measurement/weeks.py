"""ISO weeks: DREAM's ``y_YYWW`` column names, ``YYYY-Www`` texts and a running week number.

A week is identified by its ISO year and ISO week (weeks start on Monday; week 1
holds the year's first Thursday, so some years have 53 weeks, e.g. 2015, 2020
and 2026).  Calculations use a running week number, the number of whole weeks
since Monday 1 January 0001 (proleptic Gregorian), so that consecutive weeks
differ by one across a year end, including after week 53.

Python's :meth:`datetime.date.fromisocalendar` decides which weeks exist.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..checks import check_whole
from ..errors import SIError, excerpt

#: DREAM's weekly columns are named y_YYWW (two-digit year).  DREAM starts in 1991, so
#: YY ≥ 91 is 19YY and YY ≤ 90 is 20YY.
DREAM_CENTURY_PIVOT = 91
_COLUMN = re.compile(r"^y_(\d{2})(\d{2})$", re.IGNORECASE)
_TEXT = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def week_number(year: int, week: int, argument: str = "uge") -> int:
    """Running week number of ISO ``year``-W``week``; SIError naming ``argument`` for a week that does not exist.

    Examples
    --------
    >>> week_number(2021, 1) - week_number(2020, 53)   # 2020 has 53 weeks
    1
    >>> week_number(2021, 53)
    Traceback (most recent call last):
    ...
    udfs.core.errors.SIError: uge: 2021 har ikke en uge 53 (kun 52 uger)
    """
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        if 1 <= year <= 9999 and week == 53:
            raise SIError(argument, f"{year} har ikke en uge 53 (kun 52 uger)") from None
        raise SIError(argument, f"{year}-W{week:02d} er ikke en ISO-uge") from None
    return (monday.toordinal() - 1) // 7


def iso_week(number: int) -> tuple[int, int]:
    """(ISO year, ISO week) of a running week number (inverse of :func:`week_number`).

    >>> iso_week(week_number(2020, 53))
    (2020, 53)
    """
    year, week, _ = date.fromordinal(number * 7 + 1).isocalendar()
    return year, week


def week_label(number: int) -> str:
    """``YYYY-Www`` text of a running week number, e.g. ``2020-W53``."""
    year, week = iso_week(number)
    return f"{year}-W{week:02d}"


def weeks_in_year(year: int) -> int:
    """52 or 53: the number of ISO weeks in ``year``.

    >>> weeks_in_year(2020), weeks_in_year(2021), weeks_in_year(2026)
    (53, 52, 53)
    """
    return date(year, 12, 28).isocalendar()[1]


def column_week(name: str) -> int | None:
    """Running week number of a DREAM column ``y_YYWW`` (None for any other column name).

    SIError naming the column when it looks like a week column but the week
    does not exist (``y_2153``: 2021 has 52 weeks).

    >>> iso_week(column_week("y_2053"))
    (2020, 53)
    >>> iso_week(column_week("y_9101"))
    (1991, 1)
    >>> column_week("pnr") is None
    True
    """
    m = _COLUMN.match(name)
    if not m:
        return None
    yy, ww = int(m.group(1)), int(m.group(2))
    year = (1900 if yy >= DREAM_CENTURY_PIVOT else 2000) + yy
    return week_number(year, ww, name)


def column_name(number: int) -> str:
    """DREAM's column name for a running week number: ``y_2053`` for 2020-W53."""
    year, week = iso_week(number)
    return f"y_{year % 100:02d}{week:02d}"


def parse_week(argument: str, value: Any) -> int:
    """A week given by the user, as a running week number.

    Accepted: ``"2020-W53"``/``"2020W53"`` (ISO text), a whole number
    ``YYYYWW`` (202053, as Excel passes it: 202053.0) or a DREAM column name
    ``"y_2053"``.  Anything else is an SIError naming ``argument``.

    >>> parse_week("start", "2020-W53") == parse_week("start", 202053.0) == parse_week("start", "y_2053")
    True
    """
    if isinstance(value, str):
        text = value.strip()
        m = _TEXT.match(text)
        if m:
            return week_number(int(m.group(1)), int(m.group(2)), argument)
        if _COLUMN.match(text):
            return column_week(text)  # type: ignore[return-value]
        if text.isdigit():
            return parse_week(argument, int(text))
        raise SIError(argument, f"'{excerpt(text)}' er ikke en uge; skriv fx 2020-W53 eller 202053")
    number = check_whole(argument, value)
    year, week = divmod(number, 100)
    if not 1900 <= year <= 2100:
        raise SIError(argument, f"{number} er ikke en uge; skriv fx 2020-W53 eller 202053")
    return week_number(year, week, argument)
