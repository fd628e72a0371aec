"""Numbers as Danes type and read them: the one parser and the one guard against a shown "-0".

:func:`parse_danish` reads a number text by Babel's Danish rules (decimal
comma, thousands points in groups of three); :func:`number_from_text` adds
what a user types around it (a per cent sign, spaces, the English decimal
point where it cannot be a thousands point).  The command line's options, a
Danish CSV file's numbers, a case file's number texts and a workbook's text
cells are all read by these two functions.

:func:`unsigned_zero` is the last step of every number format that shows a
value to a user (tables, messages, CSV): a value that rounds to zero where it
is shown is shown without a minus sign.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

_ENGLISH = re.compile(r"[+-]?\d+\.\d+|[+-]?\d+")
_NEGATIVE_ZERO = re.compile(r"^(\s*)[-\u2212](?=[^1-9]*$)")


def parse_danish(text: str) -> Decimal | None:
    """A number as Danes write it (``2.205,05``, ``10.000``, ``0,2``) as a Decimal; ``None`` when it is not one.

    Babel's Danish number rules (``da_DK``, strict: thousands points only in
    groups of three).  ``None`` leaves the caller to try the English form
    (``0.02``) or to refuse the text.
    """
    from babel.numbers import NumberFormatError, parse_decimal  # only Danish number texts need it

    try:
        return parse_decimal(text.strip(), locale="da_DK", strict=True)
    except NumberFormatError:
        return None


def number_from_text(text: str) -> tuple[Decimal, bool] | None:
    """A number typed as text, and whether it was typed in per cent; ``None`` when the text is not a number.

    Danish first (:func:`parse_danish`: ``0,3``, ``1.200.000``, ``6.500,00``),
    then the English decimal point where it cannot be a thousands point
    (``0.3``); spaces (also non-breaking, as thousands separators) and a
    trailing per cent sign are allowed (``30 %`` gives ``(Decimal(30), True)``:
    the caller decides whether a per cent is allowed where the number is used
    and divides by 100).  An infinite or undefined value is not a number here.

    >>> number_from_text("30 %"), number_from_text("1.200.000"), number_from_text("0.3"), number_from_text("abc")
    ((Decimal('30'), True), (Decimal('1200000'), False), (Decimal('0.3'), False), None)
    """
    if not isinstance(text, str):
        return None
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("\u2212", "-")
    percent = cleaned.endswith("%")
    cleaned = cleaned.removesuffix("%")
    if not cleaned:
        return None
    number = parse_danish(cleaned)
    if number is None and _ENGLISH.fullmatch(cleaned):
        number = Decimal(cleaned)
    if number is None or not number.is_finite():
        return None
    return number, percent


def unsigned_zero(value):
    """A value shown or written without the minus sign of a zero: a formatted number that is zero as shown
    (``-0,0 %`` → ``0,0 %``, ``-0`` → ``0``, ``-0,00`` → ``0,00``; any other text unchanged, ``-0,01`` keeps its
    sign), a float ``-0.0`` as ``0.0`` (the rounding left when amounts cancel, which JSON would write ``-0.0``),
    and every value inside a dict, list or tuple (a list for a tuple); anything else unchanged.

    >>> unsigned_zero("-0,0 %"), unsigned_zero("-0"), unsigned_zero("-0,01"), unsigned_zero("-10")
    ('0,0 %', '0', '-0,01', '-10')
    >>> unsigned_zero({"a": [-0.0, -1.5], "b": "-0"})
    {'a': [0.0, -1.5], 'b': '0'}
    """
    if isinstance(value, str):
        return _NEGATIVE_ZERO.sub(r"\1", value)
    if isinstance(value, float):
        return value + 0.0  # -0.0 + 0.0 == 0.0; every other float unchanged
    if isinstance(value, dict):
        return {k: unsigned_zero(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [unsigned_zero(v) for v in value]
    return value


def fixed(value: float, decimals: int, thousands: bool = True) -> str:
    """``value`` with ``decimals`` decimals as Danes write it: decimal comma, thousands points unless not
    ``thousands`` (``1.234,5``), and never a minus before a value shown as zero (:func:`unsigned_zero`).

    The number format of every table and line that shows a figure to a user.

    Rounded as Excel's ROUND rounds, half away from zero at 15 significant digits
    (:func:`round_half_away`, what :func:`udfs.core.rounding.excel_round` does), so a figure shows the digits the workbook shows: 0,25 % is 0,3 %
    in both (Python's own formatting would give 0,2).

    Digits beyond the 15 significant ones a float holds are written as zeros, as Excel shows them (a present
    value of 2,5 × 10¹⁷ kr. is not written with the binary noise of its last digits).

    >>> fixed(1234.5, 1), fixed(-0.0001, 2), fixed(0.5, 1, thousands=False), fixed(0.25, 1)
    ('1.234,5', '0,00', '0,5', '0,3')
    >>> fixed(254866940866915008.0, 0)
    '254.866.940.866.915.000'
    """
    if math.isfinite(value):
        value = excel_value(round_half_away(value, decimals))
    text = f"{value:,.{decimals}f}" if thousands else f"{value:.{decimals}f}"
    return unsigned_zero(text.replace(",", "X").replace(".", ",").replace("X", "."))


def excel_value(value: float) -> Decimal:
    """``value`` at 15 significant digits: the number Excel stores, shows and compares.

    Excel keeps 15 significant digits, so the float noise of a formula such as
    ``=0,29*100`` (28.999999999999996 in binary floating point) is not there
    for Excel: it shows 29 and ``=0,29*100=29`` is TRUE.

    >>> excel_value(0.29 * 100), excel_value(2.675)
    (Decimal('29'), Decimal('2.675'))
    """
    return Decimal(format(value, ".15g"))


def round_half_away(value: float, digits: int = 0) -> float:
    """``value`` (finite) rounded to ``digits`` decimals as Excel's ROUND: at 15 significant digits
    (:func:`excel_value`), half away from zero; negative ``digits`` round to tens, hundreds, ...  The rule of
    :func:`udfs.core.rounding.excel_round` (which checks its arguments) and of every figure :func:`fixed` writes.

    >>> round_half_away(2.675, 2), round_half_away(-2.5), round_half_away(1234.5, -2)
    (2.68, -3.0, 1200.0)
    """
    shown = excel_value(value)
    quantum = Decimal(1).scaleb(-digits)
    with localcontext() as exact:  # room for every digit of the largest float (10^308) and the decimals asked
        exact.prec = 330 + max(digits, 0)
        return float(shown.quantize(quantum, rounding=ROUND_HALF_UP)) if digits >= 0 else float(
            (shown / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP) * quantum
        )
