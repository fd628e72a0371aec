"""Typing into a built workbook as a user would: values into its input cells, found by name."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from workbooks.reader import open_template
from workbooks.standard import layout_from_info


def type_cells(path: Path, cells: dict[tuple[str, int], object]) -> None:
    """Type values into named cells ((name, index) → value), with the workbook's own layout, and save."""
    _, _, plan = open_template(path, layout_from_info)
    wb = openpyxl.load_workbook(path)
    for (name, k), value in cells.items():
        ref = plan.names[name].cell(k)
        wb[ref.sheet].cell(ref.min_row, ref.min_col).value = value
    wb.save(path)
