"""Evaluating the Kontrol sheet's ``SI_`` formulas with the Python functions.

LibreOffice does not know the ``SI_`` functions, so after it has recalculated
a workbook their cells hold errors.  This module reads each ``SI_`` formula of
the Kontrol sheet, fetches its arguments from the recalculated workbook (the
values LibreOffice computed for the referenced cells), passes them the way
Excel passes them (floats, ``None`` for empty cells, lists of rows for ranges)
to the same-named function of :mod:`udfs.excel`, and compares the result with
the plain-formula cell beside it.  Supported forms: ``=SI_X(args)`` and
``=SUM(SI_X(args))`` with references, numbers and texts as arguments, each
possibly inside ``IFERROR(…, note)`` (the note shown when the add-in is missing),
and also as ``=IF(ref="",0,…)`` (0 for an empty slot of the workbook).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook

import udfs.excel as xl
from udfs.core.vocabulary import NOT_WITHIN, UNDEFINED, amount_tolerance

from .layout import Plan
from .reader import open_template, open_workbook
from .standard import layout_from_info

_GUARD = re.compile(r'^IF\(([^,()"]+)="",0,(.*)\)$', re.S)
_CALL = re.compile(r"^(SI_[A-Z_]+)\((.*)\)$", re.S)
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([A-Za-zÆØÅæøå_][^!]*))?!?(\$?[A-Z]+\$?[0-9]+(?::\$?[A-Z]+\$?[0-9]+)?)$")


@dataclass(frozen=True)
class Check:
    label: str
    plain: Any
    si: Any
    formula: str
    number_format: str | None = None
    """The plain formula cell's number format (its unit, for showing a difference)."""

    @property
    def ok(self) -> bool:
        if isinstance(self.plain, (int, float)) and isinstance(self.si, (int, float)):
            return abs(self.plain - self.si) <= amount_tolerance(self.plain, self.si)
        undefined = (UNDEFINED, NOT_WITHIN)
        return self.plain == self.si or (self.plain in undefined and isinstance(self.si, str) and self.si.startswith("Fejl i "))


def split_args(text: str) -> list[str]:
    """Top-level comma-separated arguments (commas inside quotes or parentheses stay)."""
    out, depth, quoted, start = [], 0, False, 0
    for k, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        elif not quoted and depth == 0 and ch == ",":
            out.append(text[start:k])
            start = k + 1
    out.append(text[start:])
    return [a.strip() for a in out if a.strip() != ""] if text.strip() else []


def excel_value(v: Any) -> Any:
    """A cell value as Excel passes it to a UDF: numbers as floats, empty as None."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    return float(v) if isinstance(v, (int, float)) else v


def argument(values: Workbook, sheet: str, text: str) -> Any:
    """The value of one argument: a text, a number, or a referenced cell or range."""
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1].replace('""', '"')
    try:
        return float(text)
    except ValueError:
        pass
    match = _REF.match(text)
    if not match:
        raise ValueError(f"unsupported argument {text!r}")
    name = (match.group(1) or "").replace("''", "'") or match.group(2) or sheet
    ws = values[name]
    min_col, min_row, max_col, max_row = range_boundaries(match.group(3).replace("$", ""))
    rows = [[excel_value(ws.cell(r, c).value) for c in range(min_col, max_col + 1)] for r in range(min_row, max_row + 1)]
    return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows


def evaluate(formula: str, values: Workbook, sheet: str) -> Any:
    """Evaluate one ``SI_`` formula with the Python functions (see the module docstring)."""
    body = formula.removeprefix("=")
    if body.startswith("IFERROR(") and body.endswith(")"):  # the note shown without the add-in (standard.without_addin)
        body = split_args(body[len("IFERROR("):-1])[0]
    guard = _GUARD.match(body)
    if guard:  # an empty slot's row: 0 without calling the function
        if argument(values, sheet, guard.group(1)) in (None, ""):
            return 0.0
        body = guard.group(2)
    wrapped = body.startswith("SUM(") and body.endswith(")")
    match = _CALL.match(body[4:-1] if wrapped else body)
    if not match:
        raise ValueError(f"not an SI_ formula: {formula!r}")
    name, args = match.group(1), match.group(2)
    result = getattr(xl, name)(*(argument(values, sheet, a) for a in split_args(args)))
    if wrapped:
        return sum(c for row in result for c in row) if isinstance(result, list) else result
    return result


def control_checks(original: str, recalculated: str) -> list[Check]:
    """Every Kontrol row: the plain-formula value (LibreOffice) and the SI_ value (Python)."""
    formulas, _, plan = open_template(original, layout_from_info)
    return control_rows(formulas, open_workbook(recalculated, data_only=True), plan)


def control_rows(formulas: Workbook, values: Workbook, plan: Plan) -> list[Check]:
    """:func:`control_checks` on the open workbooks (formulas, recalculated values) and the plan."""
    ws_f, ws_v = formulas["Kontrol"], values["Kontrol"]
    checks = []
    for name, ref in plan.names.items():
        if not name.startswith("k_") or ref.sheet != "Kontrol" or len(ref) != 3:
            continue
        plain_cell, si_cell, _ = ref.cells()
        label = ws_f.cell(ref.min_row, 1).value
        formula = ws_f.cell(si_cell.min_row, si_cell.min_col).value
        plain = ws_v.cell(plain_cell.min_row, plain_cell.min_col).value
        number_format = ws_f.cell(plain_cell.min_row, plain_cell.min_col).number_format
        checks.append(Check(label, plain, evaluate(formula, values, "Kontrol"), formula, number_format))
    return checks
