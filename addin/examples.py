"""The functions' README examples as Python values, to call them in tests.

Each function's ``REGISTRY`` entry has an example formula in Danish Excel
syntax (``;`` between arguments, ``,`` as decimal comma, ``{a;b;c}`` a column
array).  :func:`example_arguments` turns it into the values a cell would hold:
texts, numbers (``int`` when whole), ``True``/``False`` for SAND/FALSK, lists of
rows for arrays, :data:`OMITTED` for a left-out argument.  A range reference
(``B5:K5``) becomes cells from ``reference_values`` or, if not given there,
the cells 100, 200, 300, … in reading order; a nested ``SI_`` call becomes the
value the function returns.
"""

from __future__ import annotations

import re

from udfs import excel

#: An argument the formula leaves out.
OMITTED = object()

_CALL = re.compile(r"(SI_[A-Z0-9_]+)\((.*)\)", re.S)
_REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+):\$?([A-Z]{1,3})\$?([0-9]+)")


def split_top(text: str, sep: str) -> list[str]:
    """Split at ``sep`` outside quotes, parentheses and braces.

    >>> split_top('"a;b"; {1;2}; F(1;2)', ";")
    ['"a;b"', ' {1;2}', ' F(1;2)']
    """
    parts, depth, quoted, current = [], 0, False, ""
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "({":
            depth += 1
        elif not quoted and ch in ")}":
            depth -= 1
        if ch == sep and depth == 0 and not quoted:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def literal(text: str, reference_values: dict[str, list] | None = None):
    """One argument's value.

    >>> literal(' "kommune" '), literal('0,42'), literal('2023'), literal('{1;2}'), literal('B1:C2')
    ('kommune', 0.42, 2023, [[1], [2]], [[100.0, 200.0], [300.0, 400.0]])
    """
    text = text.strip()
    if text == "":
        return OMITTED
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1].replace('""', '"')
    if text.startswith("{") and text.endswith("}"):
        return [[literal(v)] for v in split_top(text[1:-1], ";")]
    if ref := _REF.fullmatch(text):
        if reference_values and text in reference_values:
            return reference_values[text]
        c1, r1, c2, r2 = _column(ref[1]), int(ref[2]), _column(ref[3]), int(ref[4])
        width, height = c2 - c1 + 1, r2 - r1 + 1
        return [[100.0 * (r * width + c + 1) for c in range(width)] for r in range(height)]
    if call := _CALL.fullmatch(text):  # a nested SI function: the value its cell would hold
        inner = call.group(2)
        args = [literal(a, reference_values) for a in split_top(inner, ";")] if inner.strip() else []
        return getattr(excel, call.group(1))(*[None if a is OMITTED else a for a in args])
    if text.upper() in ("SAND", "FALSK", "TRUE", "FALSE"):
        return text.upper() in ("SAND", "TRUE")
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise ValueError(f"cannot read the example argument {text!r}") from None
    return int(number) if number.is_integer() else number


def example_arguments(name: str, reference_values: dict[str, list] | None = None) -> list:
    """The argument values of ``name``'s example formula.

    >>> example_arguments("SI_REFUSIONSSATS")
    [30]
    >>> literal('SI_REFUSIONSSATS(30)')
    0.3
    """
    example = excel.REGISTRY[name]["example"]
    match = re.fullmatch(rf"={name}\((.*)\)", example)
    if not match:
        raise ValueError(f"{name}: the example {example!r} is not a single call of the function")
    inner = match.group(1)
    return [literal(a, reference_values) for a in split_top(inner, ";")] if inner.strip() else []
