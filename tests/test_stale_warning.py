"""The workbook itself says when Følsomhed's written values are stale.

sibc writes the tornado, the switching values and the Monte Carlo at build (they cannot be Excel
formulas); a hidden copy of every input as built, compared cell by cell with ``EXACT`` by formulas,
makes a red warning appear on Følsomhed and Overblik as soon as any input differs.  LibreOffice
recalculates the workbook before and after an edit.
"""

from __future__ import annotations

import openpyxl
import pytest

from udfs.core.casefile import load_business_case
from workbooks import book
from workbooks.cli import example_cases, shown_value
from workbooks.layout import resolve
from workbooks.recalc import recalculate
from workbooks.standard import STALE_WARNING, dims_of, layout_for

EXAMPLES = {p.stem: p for p in example_cases()}


def _plan(case):
    return resolve(layout_for(dims_of(case)))


def _read(path, plan, names):
    wb = openpyxl.load_workbook(path, data_only=True)
    return {n: wb[plan.names[n].sheet].cell(plan.names[n].min_row, plan.names[n].min_col).value for n in names}


@pytest.mark.parametrize("edit", ["number", "word", "text", "emptied"])
def test_an_edited_input_shows_the_red_warning_on_foelsomhed_and_overblik(soffice, tmp_path, edit):
    case = load_business_case(EXAMPLES["eksempel_ungeindsats"])
    plan = _plan(case)
    path = book.build(case, tmp_path / "eks.xlsx")
    names = ["fo_foraeldet", "ov_foraeldet", "grundlag_aendret"]
    fresh = _read(recalculate(path, tmp_path / "ud0"), plan, names)
    # as built, every input equals its copy: no warning (LibreOffice gives an empty text as an empty cell)
    assert fresh["grundlag_aendret"] == 0 and fresh["fo_foraeldet"] in (None, "") and fresh["ov_foraeldet"] in (None, "")
    target, value = {
        "number": ("eff1_succesrate", 0.4),                 # a share on Effekter
        "word": (plan.input_cells.get("visning", "visning"), "Hele den offentlige sektor"),  # a word chosen from a list
        "text": ("eff1_navn", "Et andet navn"),             # a text in a table
        "emptied": ("prisaar", None),                        # a cell emptied
    }[edit]
    ref = plan.names[target]
    wb = openpyxl.load_workbook(path)
    assert wb[ref.sheet].cell(ref.min_row, ref.min_col).value != value
    wb[ref.sheet].cell(ref.min_row, ref.min_col).value = value
    wb.save(path)
    stale = _read(recalculate(path, tmp_path / "ud1"), plan, names)
    assert stale["grundlag_aendret"] == 1  # exactly the one edited cell
    assert stale["fo_foraeldet"] == STALE_WARNING and stale["ov_foraeldet"] == STALE_WARNING


def test_no_warning_when_nothing_was_written_at_build(soffice, tmp_path):
    # The blank workbook's Følsomhed holds the written values of the blank case; a workbook read back
    # without them (the layout of extract) has no copy and no fingerprint: the warning stays blank.
    case = book.blank_case()
    plan = _plan(case)
    path = book.build(case, tmp_path / "blank.xlsx")
    got = _read(recalculate(path, tmp_path / "ud"), plan, ["fo_foraeldet", "grundlag_aendret"])
    assert got["grundlag_aendret"] == 0 and got["fo_foraeldet"] in (None, "")


def test_kontrol_says_a_spare_slot_was_not_compared(soffice, tmp_path):
    # Without the add-in (LibreOffice has none) a used slot's SI_ cell says it needs the add-in and the
    # difference "ikke sammenlignet"; a spare slot's SI_ formula is never called (0), and its difference must
    # not read 0 as if compared: it says the slot is not in use.
    from workbooks.standard import SPARE_NOT_COMPARED
    from udfs.core.vocabulary import NOT_COMPARED

    case = book.blank_case()  # effect slot 1 used ("effekt"), slots 2… spare
    plan = _plan(case)
    path = book.build(case, tmp_path / "blank.xlsx")
    wb = openpyxl.load_workbook(recalculate(path, tmp_path / "ud"), data_only=True)
    diff = lambda name: wb["Kontrol"].cell(plan.names[name].min_row, plan.names[name].max_col).value  # noqa: E731
    assert diff("k_eff1_kommune") == NOT_COMPARED
    assert diff("k_eff2_kommune") == SPARE_NOT_COMPARED
    metric_rows = [n for n in plan.names if n.startswith("k_bm")]
    assert metric_rows and all(diff(n) == SPARE_NOT_COMPARED for n in metric_rows)  # the blank case has no metric


def test_a_value_typed_over_a_written_value_is_reported_by_extract_and_check(soffice, tmp_path, capsys):
    """The tornado, the switching values and the Monte Carlo are values sibc wrote, not formulas: a value typed over
    one is found by its hidden copy on Beregning_følsomhed (workbooks.standard.written_copies), also after an input
    was edited (when the written values are stale and not compared).  extract warns with sheet, cell, label, the
    value found and the value sibc computes now; check reports it as a difference, never "ingen forskelle"."""
    from tests.typing_cells import type_cells
    from udfs.core.uncertainty import driver_label, monte_carlo, tornado
    from udfs.core.engine import driver_names
    from workbooks.cli import main

    case = load_business_case(EXAMPLES["eksempel_ungeindsats"])
    path = book.build(case, tmp_path / "eks.xlsx")
    assert book.extract_report(path)[1] == []  # as built: nothing typed over
    plan = _plan(case)
    typed = {("to_nv_lav", 0): 123.0, ("sv_driver", 1): "Min egen", ("mc_pv_betaler", 2): 5.0}
    type_cells(path, typed | {("mc_seed", 0): 7})  # and an input: the written values are stale now
    read, strays = book.extract_report(path)
    assert read.usikkerhed.seed == 7
    over = {s.coordinate: s for s in strays if s.kind == "over_beregnet"}
    where = lambda name, k: plan.names[name].cell(k)  # noqa: E731
    assert set(over) == {where(n, k).coordinate() for n, k in typed}
    # what sibc computes now for the extracted case, from the core: the tornado's largest swing at −10 %, the second
    # driver of the switching values (driver_names' order), the median of a Monte Carlo with seed 7
    bars = tornado(read, names=driver_names(read))
    p50 = monte_carlo(read).figures()["p50_nv_betaler"]
    second = driver_label(read, driver_names(read)[1])
    for (name, k), now in zip(typed, [bars[0].pv_low, second, p50], strict=True):
        s = over[where(name, k).coordinate()]
        assert s.value == typed[name, k] and s.sheet == "Følsomhed"
        assert s.now == pytest.approx(now) if isinstance(now, float) else s.now == now
        assert s.where.startswith(f"Følsomhed!{where(name, k).coordinate()} (")
    line = over[where("to_nv_lav", 0).coordinate()].danish()
    assert line.startswith(f"Følsomhed!{where('to_nv_lav', 0).coordinate()} (Nutidsværdi ved −10 %, 1): 123 (skrevet over en værdi, "
                           "som sibc beregnede ved opbygningen; sibc beregner nu ")
    assert main(["check", str(path)]) == 2
    out = capsys.readouterr().out
    assert "ingen forskelle" not in out
    assert f"✗ Følsomhed!{where('sv_driver', 1).coordinate()} (Driver, 2)" in out
    # a text is shown quoted and shortened as every compared text is (cli.shown_value)
    assert f"regneark 'Min egen'   Python {shown_value(second)}   (skrevet over en værdi" in out


def _spelled(mapping: bool):
    """eksempel_tre_betalere, whose rate card 'kriminalitet' is measured as a list of one; ``mapping``: the same
    measurement written as a mapping (``kriminalitet: {effekt: kriminalitet, maal: antal}``, the form ``sibc ny``
    writes), with the default factor 1 written out and a source beside the horizon: one case, spelled otherwise."""
    import yaml

    from udfs.core.case_model import parse_case

    data = yaml.safe_load(EXAMPLES["eksempel_tre_betalere"].read_text(encoding="utf-8"))
    assert data["maaling"]["kriminalitet"] == [{"effekt": "kriminalitet", "maal": "antal"}]
    if mapping:
        data["maaling"]["kriminalitet"] = {"effekt": "kriminalitet", "maal": "antal", "faktor": 1}
        data["horisont"] = {"vaerdi": data["horisont"], "kilde": "Kontrakten"}
    return parse_case(data)


def test_every_spelling_of_one_case_has_one_fingerprint():
    """The fingerprint is taken of the workbook's inputs (standard.values_for), not of the case file's text: the
    mapping and the list of one, a default written out and a source beside a value give one fingerprint; a changed
    success rate another."""
    listed, mapped = _spelled(False), _spelled(True)
    assert book.fingerprint(listed) == book.fingerprint(mapped)
    effect = listed.effekter[0]
    changed = listed.model_copy(update={"effekter": [effect.model_copy(update={"succesrate": effect.succesrate + 0.01}),
                                                     *listed.effekter[1:]]})
    assert book.fingerprint(changed) != book.fingerprint(listed)


def test_check_calls_a_fresh_workbook_of_either_spelling_current_and_an_edited_one_stale(soffice, tmp_path, capsys):
    """The trial: sibc check said "! Følsomhed: … beregnet af sibc for tidligere input" of a workbook just built
    from a case whose rate card was measured as a mapping (read back from the workbook as a list of one)."""
    from tests.typing_cells import type_cells
    from workbooks.cli import main

    path = book.build(_spelled(True), tmp_path / "map.xlsx")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ingen forskelle" in out and "tidligere input" not in out
    type_cells(path, {("eff1_succesrate", 0): 0.41})  # a real change of an input: stale
    main(["check", str(path)])
    assert "! Følsomhed: tornado, skifteværdier og Monte Carlo er beregnet af sibc for tidligere input" in capsys.readouterr().out
