"""Dates as Excel hands them over: a datetime or a serial number, in Excel's 1900 date system.

Excel stores a date as a serial number: days since 0 January 1900, the time of
day as the fraction.  A cell reaches a function as a ``datetime`` when it is
formatted as a date and as a plain number when it is not (for instance a
formula's result in a General cell), so a range of dates can hold both.  This
module turns either form into the serial number, the one scale every date
calculation here uses.

Excel's 1900 system counts a 29 February 1900 that never was (serial 60), kept
for compatibility with Lotus 1-2-3 (Microsoft: "Excel incorrectly assumes that
the year 1900 is a leap year").  So 1 January 1900 is serial 1, 28 February
1900 is 59 and 1 March 1900 is 61; from 1 March 1900 on, the serial is the
number of days since 30 December 1899.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from typing import Any

from .errors import SIError, excerpt

#: Day 0 of the serial numbers from 1 March 1900 on.
EPOCH = dt.datetime(1899, 12, 30)
#: Excel's first and last date: 1 January 1900 and 31 December 9999.
FIRST_SERIAL, LAST_SERIAL = 1, 2_958_465
#: The first real day after the fictitious 29 February 1900 (serial 60).
MARCH_1900 = dt.datetime(1900, 3, 1)

_RANGE = f"skal være en dato fra 1-1-1900 til 31-12-9999 (serienummer {FIRST_SERIAL} til {LAST_SERIAL})"


def excel_serial(argument: str, value: Any) -> float:
    """The Excel serial number (days; fraction = time of day) of a date, a datetime or a serial.

    Parameters
    ----------
    argument : str
        The argument or cell named in an error, e.g. ``"datoer[3]"``.
    value : date, datetime or number
        A ``date``/``datetime`` (a time zone, if any, is ignored: Excel has
        none) or a number taken as a serial already.

    Returns
    -------
    float
        Days in Excel's 1900 system, 1 (1 January 1900) up to 2958465.99…
        (31 December 9999).

    Raises
    ------
    SIError
        For text, TRUE/FALSE, empty, NaN or a date outside Excel's range,
        naming ``argument``.

    Notes
    -----
    Excel equivalent: the number ``=A1*1`` shows for a date in A1, e.g.
    ``DATE(2024;1;1)`` = 45292.

    Examples
    --------
    >>> excel_serial("dato", dt.date(2024, 1, 1)), excel_serial("dato", 45292.0)
    (45292.0, 45292.0)
    >>> excel_serial("dato", dt.datetime(2024, 1, 1, 18))
    45292.75
    >>> excel_serial("dato", dt.date(1900, 2, 28)), excel_serial("dato", dt.date(1900, 3, 1))
    (59.0, 61.0)
    """
    if isinstance(value, dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        moment = moment.replace(tzinfo=None)
        delta = moment - EPOCH
        serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86_400
        if moment < MARCH_1900:
            serial -= 1  # before the fictitious 29 February 1900
    elif value is None or (isinstance(value, str) and not value.strip()):
        raise SIError(argument, "mangler (tom celle)")
    elif isinstance(value, bool):
        raise SIError(argument, "skal være en dato, ikke SAND/FALSK")
    elif isinstance(value, str):
        raise SIError(argument, f"skal være en dato, ikke teksten '{excerpt(value)}'")
    elif isinstance(value, numbers.Real):
        serial = float(value)
        if not math.isfinite(serial):
            raise SIError(argument, "skal være en dato, ikke NaN eller uendelig")
    else:
        raise SIError(argument, "skal være en dato")
    if not FIRST_SERIAL <= serial < LAST_SERIAL + 1:
        raise SIError(argument, _RANGE)
    return float(serial)


def day_serial(argument: str, value: Any) -> int:
    """The whole day of :func:`excel_serial`: the time of day dropped, as Excel's XIRR does.

    Examples
    --------
    >>> day_serial("dato", 45292.75), day_serial("dato", dt.datetime(2024, 1, 1, 18))
    (45292, 45292)
    """
    return math.floor(excel_serial(argument, value))
