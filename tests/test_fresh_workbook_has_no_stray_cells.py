"""A workbook as built holds nothing outside its template: ``sibc extract`` of a fresh workbook warns of no cell
"uden for inputcellerne".  A note written only where rows are folded (Risici's empty risk rows) was read back as a
value typed outside the inputs on every built case -- the read-back layout did not know it."""

from __future__ import annotations

import pytest

from udfs.core.casefile import load_business_case
from workbooks import book
from workbooks.cli import example_cases, main

CASES = {p.stem: p for p in example_cases()}


@pytest.mark.parametrize("name", ["eksempel_tre_betalere", "sygedagpenge", "blank"])
def test_extract_of_a_fresh_workbook_names_no_stray_cell(name, tmp_path, capsys):
    case = book.blank_case() if name == "blank" else load_business_case(CASES[name])
    path = book.build(case, tmp_path / f"{name}.xlsx")
    capsys.readouterr()
    main(["extract", str(path), "-o", str(tmp_path / f"{name}.yaml")])
    err = capsys.readouterr().err
    assert "uden for inputcellerne" not in err and "ingen inputcelle her" not in err, err
