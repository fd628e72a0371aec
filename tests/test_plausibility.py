"""Implausible inputs are warned about (not refused) in the core, the command line and the workbook.

Hand cases: effect 1 of ``eksempel_ungeindsats`` with a success rate of 10 % against a deadweight of
15 % has a net success rate of 0,10 − 0,15 = −5 %; an optimism mark-up of 10 (1000 %) is above the
Green Book's highest upper bound of 200 % (:mod:`udfs.core.plausibility`).  The workbook's warning cell
is recalculated by LibreOffice.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from udfs.core.case_model import dump_case, parse_case
from udfs.core.casefile import load_business_case
from udfs.core.plausibility import OPTIMISM_COST_CEILING, plausibility_warnings
from workbooks import book
from workbooks.cli import example_cases, main
from workbooks.layout import resolve
from workbooks.recalc import recalculate
from workbooks.standard import dims_of, layout_for

import yaml

EXAMPLES = {p.stem: p for p in example_cases()}


def _implausible():
    data = yaml.safe_load(dump_case(load_business_case(EXAMPLES["eksempel_ungeindsats"])))
    data["effekter"][0] |= {"succesrate": 0.10, "doedvaegt": 0.15}
    data["effekter"][0].pop("kontrolgruppe", None)
    data["optimisme"] = {"omkostninger": 10, "gevinster": 0}
    return parse_case(data)


def test_the_core_warns_of_negative_net_success_and_a_1000_percent_markup():
    case = _implausible()
    warnings = dict(plausibility_warnings(case))
    assert set(warnings) == {"effekter[0].succesrate", "optimisme.omkostninger"}
    assert "nettosuccesraten er negativ (-5 %)" in warnings["effekter[0].succesrate"]  # 0,10 − 0,15
    assert "1000 %" in warnings["optimisme.omkostninger"] and "200 %" in warnings["optimisme.omkostninger"]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_examples_give_no_warning(name):
    assert plausibility_warnings(load_business_case(EXAMPLES[name])) == []


def test_the_bounds_themselves_pass():
    data = yaml.safe_load(dump_case(load_business_case(EXAMPLES["eksempel_ungeindsats"])))
    data["effekter"][0] |= {"succesrate": 0.15, "doedvaegt": 0.15}  # net 0: no saving, nothing implausible
    data["effekter"][0].pop("kontrolgruppe", None)
    data["optimisme"] = {"omkostninger": OPTIMISM_COST_CEILING, "gevinster": 0.99}
    assert plausibility_warnings(parse_case(data)) == []


def test_calc_prints_the_warnings_and_still_calculates(tmp_path, capsys):
    path = tmp_path / "case.yaml"
    path.write_text(dump_case(_implausible()), encoding="utf-8")
    capsys.readouterr()
    assert main(["calc", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Advarsel om effekt 1 (" in out and "Advarsel om optimisme.omkostninger" in out
    assert "Nutidsværdi" in out  # the key figures follow
    assert main(["calc", "--json", str(path)]) == 0
    assert len(json.loads(capsys.readouterr().out)["advarsler"]) == 2


def test_the_workbook_shows_them_on_overblik_and_kontrol(soffice, tmp_path, capsys):
    case = _implausible()
    path = book.build(case, tmp_path / "urimelig.xlsx")
    plan = resolve(layout_for(dims_of(case)), cells=False)
    wb = openpyxl.load_workbook(recalculate(path, tmp_path / "ud"), data_only=True)
    for name in ("ov_plausibel", "k_plausibel"):
        ref = plan.names[name]
        text = wb[ref.sheet].cell(ref.min_row, ref.min_col).value
        # Danish in any locale (LibreOffice here: en-US): −5,0 %
        assert text.startswith("Effekt 1: succesraten er under dødvægten (nettosuccesrate -5,0 %)")
        assert "Optimismetillægget på omkostninger er over 200 %" in text
        assert "Effekt 2" not in text
    capsys.readouterr()
    main(["check", str(path)])
    assert "Advarsel om effekt 1 (" in capsys.readouterr().out


def test_no_warning_cell_text_for_a_plausible_workbook(soffice, tmp_path):
    case = load_business_case(EXAMPLES["eksempel_ungeindsats"])
    path = book.build(case, tmp_path / "eks.xlsx")
    plan = resolve(layout_for(dims_of(case)), cells=False)
    wb = openpyxl.load_workbook(recalculate(path, tmp_path / "ud"), data_only=True)
    ref = plan.names["ov_plausibel"]
    assert wb[ref.sheet].cell(ref.min_row, ref.min_col).value in (None, "")
