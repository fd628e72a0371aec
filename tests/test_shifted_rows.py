"""A row deleted or inserted on a sheet is refused by ``extract`` and ``check``, naming sheet and row.

openpyxl (like other programs than Excel) leaves the defined names where they were when a row is
deleted, so the inputs' names then point at the next line's values: cost line 2's amounts would be read
as cost line 1's, paid by another payer.  The label beside each input must still be the template's.
"""

from __future__ import annotations

import openpyxl
import pytest

from udfs.core.casefile import load_business_case
from udfs.core.errors import SIError
from workbooks import book
from workbooks.cli import example_cases, main
from workbooks.layout import resolve
from workbooks.standard import dims_of, layout_for

EXAMPLE = next(p for p in example_cases() if p.stem == "eksempel_ungeindsats")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    case = load_business_case(EXAMPLE)
    return case, book.build(case, tmp_path_factory.mktemp("rows") / "eks.xlsx"), resolve(layout_for(dims_of(case)), cells=False)


def _edited(built, tmp_path, edit) -> str:
    _, path, _ = built
    wb = openpyxl.load_workbook(path)
    edit(wb)
    out = tmp_path / "rettet.xlsx"
    wb.save(out)
    return out


def _row(plan, name: str) -> tuple[str, int]:
    ref = plan.names[name]
    return ref.sheet, ref.min_row


@pytest.mark.parametrize("name, action", [
    ("omk1_pr_aar", "delete"),   # Indsats: cost line 1's year row gone, line 2's amounts (kommune) under line 1 (investor)
    ("omk2_betaler", "delete"),  # Indsats: a payer row gone, the payers below move up
    ("omk1_pr_aar", "insert"),   # Indsats: an empty row inserted above cost line 1's amounts
    ("eff1_succesrate", "delete"),  # Effekter
    ("deltagere", "delete"),     # Forudsætninger
])
def test_a_deleted_or_inserted_row_is_refused_naming_sheet_and_row(built, tmp_path, name, action):
    _, _, plan = built
    sheet, row = _row(plan, name)
    path = _edited(built, tmp_path, lambda wb: getattr(wb[sheet], f"{action}_rows")(row))
    with pytest.raises(SIError) as err:
        book.extract(path)
    assert err.value.argument == f"arket {sheet}, række {row}"
    assert "slettet eller indsat" in err.value.message


def test_check_names_the_shifted_sheet_and_row(built, tmp_path, capsys):
    _, _, plan = built
    sheet, row = _row(plan, "omk1_pr_aar")
    path = _edited(built, tmp_path, lambda wb: wb[sheet].delete_rows(row))
    capsys.readouterr()
    assert main(["check", str(path)]) != 0
    out = capsys.readouterr()
    assert f"arket {sheet}, række {row}" in out.out + out.err


def test_an_untouched_workbook_is_read_as_built(built):
    case, path, _ = built
    assert book.extract(path) == case
