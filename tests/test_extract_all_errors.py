"""``extract`` (and ``check``) report every refused cell of a workbook at once, each named by sheet,
cell and label, effects numbered as the workbook numbers them -- as a case file's errors are."""

from __future__ import annotations

import openpyxl
import pytest

from udfs.core.casefile import load_business_case
from udfs.core.errors import SIError
from workbooks import book
from workbooks.cli import example_cases, main
from workbooks.layout import describe, resolve
from workbooks.standard import dims_of, layout_for

EXAMPLE = next(p for p in example_cases() if p.stem == "eksempel_ungeindsats")

# three refused cells on three sheets: a success rate of 35 (not a share), a year's cost as text,
# and effect 2's dropout above 100 %
EDITS = (("eff1_succesrate", None, 35), ("omk1_pr_aar", 2, "mange"), ("eff2_frafald", None, 1.5))


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    case = load_business_case(EXAMPLE)
    path = book.build(case, tmp_path_factory.mktemp("fejl") / "eks.xlsx")
    plan = resolve(layout_for(dims_of(case)), cells=False)
    wb = openpyxl.load_workbook(path)
    for name, k, value in EDITS:
        ref = plan.names[name].cell(k or 0)
        wb[ref.sheet].cell(ref.min_row, ref.min_col).value = value
    wb.save(path)
    return path, plan


def test_every_refused_cell_is_reported_at_once(edited):
    path, plan = edited
    with pytest.raises(SIError) as err:
        book.extract(path)
    arguments = [e.argument for e in (err.value, *err.value.others)]
    # the workbook's own naming of each cell (sheet!cell (label)), in the order the template lists its inputs
    want = [describe(plan, name, k) for name, k, _ in EDITS]
    assert sorted(arguments) == sorted(want) and len(arguments) == 3
    assert any("Effekt 2" in a for a in arguments) and any("Effekt 1" in a for a in arguments)


def test_the_command_line_lists_them_all(edited, capsys):
    path, plan = edited
    capsys.readouterr()
    assert main(["extract", str(path)]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Fejl i ")]
    assert len(lines) == 3
    for name, k, _ in EDITS:
        assert any(describe(plan, name, k) in line for line in lines)
