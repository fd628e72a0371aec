"""What the standard workbook says when the user edits it into a state the sums cannot show.

Each workbook is built from the example, edited as a user would (openpyxl, by named cell), and
recalculated by LibreOffice; the expected texts are the workbook's own sentences with the
example's figures (workbooks/cases/eksempel_ungeindsats.yaml: horisont 10, diskontering
fm_2021, resultatmål 1 paid in år 4, effect 1 ``job`` on kontanthjaelp_30plus_ikke_forsoerger_uge).
"""

from __future__ import annotations

import openpyxl
import pytest

from udfs.core.casefile import load_business_case
from udfs.core.data import catalogue
from udfs.core.vocabulary import DISCOUNTING_WORDS
from workbooks import book
from workbooks.cli import example_cases
from workbooks.reader import open_template, read_values
from workbooks.recalc import recalculating
from workbooks.standard import dims_of, layout_from_info
from tests.typing_cells import type_cells

CASE = load_business_case(next(p for p in example_cases() if p.stem == "eksempel_ungeindsats"))
JOB_PRICE = "kontanthjaelp_30plus_ikke_forsoerger_uge"  # effect 1's unit price in the example
NO_SPLIT = "almen_praksis_pr_borger_aar"  # udfs/data/enhedspriser.csv: andel_kommune/region/stat empty (ukendt)
OTHER = "faengsel_aabent_dag"  # a Katalog id with a split that no effect of the example uses
NAMES = ["ov_horisont", "ov_diskontering", "ov_advarsel", "bm_efter_horisont", "ov_succesrate", "ov_navn",
         "prisbesked", "ep_kontrol", "pris_ok", "nv_betaler", "nv_offentlig", "tilbage_betaler", "be_tekst"]  # fmt: skip


_type = type_cells


def _row_of(path, unit_id: str) -> int:
    return read_values(path, layout_from_info, ["ep_id"])["ep_id"].index(unit_id)


def test_workbook_names_the_horizon_late_payments_and_unusable_prices(soffice, tmp_path):
    assert catalogue()[NO_SPLIT].andel_kommune is None and OTHER in catalogue()
    base, short, gone, no_split = (book.build(CASE, tmp_path / f"{n}.xlsx") for n in ("base", "short", "gone", "split"))
    _type(short, {("horisont", 0): 4})  # resultatmål 1 is paid in år 4: after år 0–3
    _type(gone, {("ep_id", _row_of(gone, JOB_PRICE)): OTHER})  # effect 1's price no longer on Enhedspriser
    _type(no_split, {("ep_id", _row_of(no_split, JOB_PRICE)): NO_SPLIT, ("eff1_enhedspris", 0): NO_SPLIT})
    paths = [base, short, gone, no_split]
    with recalculating(paths) as result:
        v = [read_values(result(k), layout_from_info, NAMES) for k in range(len(paths))]
    b, s, g, n = v

    # finding: Overblik said "30 år" (the year columns) for a 10-year case; it shows the horizon input
    assert b["ov_horisont"] == "10 år (år 0–9)" and s["ov_horisont"] == "4 år (år 0–3)"
    # … the discounting in words, not the code fm_2021
    assert b["ov_diskontering"] == DISCOUNTING_WORDS["fm_2021"] == "Finansministeriet 2021"
    # … an unused effect slot blank, not "0.0 %  0" (the example has 3 effects)
    used = len(CASE.effekter)
    assert b["ov_succesrate"][:used] == [0.35, 0.35, 0.10] and b["ov_navn"][0] == "Færre uger på kontanthjælp"
    assert set(b["ov_succesrate"][used:]) == {None} and set(b["ov_navn"][used:]) == {None}  # "" is read back as empty

    # a payment year after a shortened horizon is named on Betalingsmodel and on Overblik, not silently dropped
    assert b["bm_efter_horisont"] is None and b["ov_advarsel"] is None
    late = "Resultatmål 1 betales i år 4, efter horisonten (år 0–3): betalingen er ikke med."
    assert s["bm_efter_horisont"] == late and s["ov_advarsel"] == late
    assert isinstance(s["nv_betaler"], float)  # the rest of the case is still computed

    # an effect's unit price missing from Enhedspriser: named in the price message and the check; results blank
    missing = f"Effekt 1 (job) bruger enhedspris '{JOB_PRICE}', som ikke står på arket Enhedspriser."
    assert b["pris_ok"] == 1 and g["pris_ok"] == 0
    assert g["prisbesked"] == missing and g["ep_kontrol"] == missing
    # a unit price whose split on the authorities is unknown
    unknown = (f"Effekt 1 (job): enhedsprisen '{NO_SPLIT}' har ingen fordeling på myndigheder (ukendt) "
               "og kan ikke bruges i en business case.")  # fmt: skip
    assert n["pris_ok"] == 0 and n["prisbesked"] == unknown and n["ep_kontrol"] == unknown
    for broken in (g, n):  # blank, never #N/A or #VALUE! (read back as None)
        assert [broken[k] for k in ("nv_betaler", "nv_offentlig", "tilbage_betaler", "be_tekst")] == [None] * 4


def test_scenario_sentence_matches_the_table_layout(tmp_path):
    """Følsomhed's scenario table has an effect per row and a scenario per column, as its sentence now says
    (it said the opposite)."""
    path = book.build(CASE, tmp_path / "f.xlsx")
    _, _, plan = open_template(path, layout_from_info)
    low1, low2, high1 = plan.names["sc_lav"].cell(0), plan.names["sc_lav"].cell(1), plan.names["sc_hoej"].cell(0)
    assert (low1.min_col, low2.min_row) == (low2.min_col, low1.min_row + 1)  # effect 2 is the next row
    assert (high1.min_row, high1.min_col) == (low1.min_row, low1.min_col + 2)  # Høj two columns right of Lav
    ws = openpyxl.load_workbook(path)["Følsomhed"]
    sentences = [c.value for row in ws.iter_rows() for c in row if str(c.value).startswith("Sådan læses tabellen")]
    assert len(sentences) == 1 and "hver række er en effekt, hver kolonne succesraten i et scenarie" in sentences[0]


LABEL_CHAR_PT = 4.4
"""Points a character of an 11-point label takes on average, measured in LibreOffice's PDF of Følsomhed
(A 36 wide = 193 pt showed 45 characters of "Break-even succesrate (betaler forbliver mindst 0 herfra)": 4.3 pt),
with a little room."""


def _column_a_labels(sheet) -> list[str]:
    """The labels a sheet prints in column A: its single cells' and its row tables' rows (a column table's
    labels are its wrapped header cells)."""
    from workbooks.layout import Data, Formula, Formulas, Input, Table

    out = []
    for block in sheet.blocks:
        if isinstance(block, Input | Formula | Formulas | Data):
            out.append(block.label)
        elif isinstance(block, Table):
            out += [block.title] + ([i.label for i in block.items] if block.orientation == "rows" else list(block.labels))
    return out


@pytest.mark.parametrize("path", example_cases(), ids=lambda p: p.stem)
def test_every_label_in_column_a_fits_its_column(path):
    """A sheet that sets column A's width prints every label there whole, not cut by the value beside it
    (Følsomhed cut "Break-even succesrate (betaler forbliver minds…", Resultat the IRR label)."""
    from workbooks.printing import column_pt
    from workbooks.standard import layout_for

    for sheet in layout_for(dims_of(load_business_case(path))).sheets:
        if "A" not in sheet.widths:
            continue  # sized by the writer from its labels
        room = column_pt(sheet.widths["A"])
        cut = [label for label in _column_a_labels(sheet) if len(label) * LABEL_CHAR_PT > room]
        assert cut == [], (sheet.name, sheet.widths["A"], cut)


@pytest.mark.parametrize("path", [None, *example_cases()], ids=lambda p: "blank" if p is None else p.stem)
def test_no_word_of_a_column_header_is_wider_than_its_column(path):
    """A header wraps at its spaces; a word wider than its column is cut mid-word when printed (Overblik printed
    "Resultatbetalinge/r" in a column 15 wide: 15 × 7 + 5 = 110 px = 82.5 pt, 76.5 pt inside the padding, and
    18 × 4.4 = 79.2 pt).  Every header cell of every printed sheet, as built, with the label test's 4.4 pt a
    character and 6 pt of padding."""
    import io

    from openpyxl.utils import get_column_letter

    from workbooks.layout import resolve
    from workbooks.printing import column_pt

    case = book.blank_case() if path is None else load_business_case(path)
    wb = openpyxl.load_workbook(io.BytesIO(book.build_bytes(case)))
    cut = []
    for sp in resolve(book.layout_of(case)).sheets:
        ws = wb[sp.sheet.name]
        for spec in sp.cells:
            if ws.sheet_state == "visible" and spec.role == "header" and isinstance(spec.value, str):
                width = ws.column_dimensions[get_column_letter(spec.col)].width
                cut += [(sp.sheet.name, spec.value, word) for word in spec.value.split()
                        if len(word) * LABEL_CHAR_PT > column_pt(width) - 6]
    assert cut == []


def test_monte_carlo_drivers_are_shown_in_words_beside_their_row(tmp_path):
    """The Fordeling table prints the driver in Danish words in column B, beside its row label, before the
    code the user edits (the words were in a column printed on another page)."""
    path = book.build(CASE, tmp_path / "mc.xlsx")
    _, _, plan = open_template(path, layout_from_info)
    words, code = plan.names["mc_i_ord"].cell(0), plan.names["mc_driver"].cell(0)
    assert (words.min_row, words.min_col, code.min_col) == (code.min_row, 2, 3)
    assert read_values(path, layout_from_info, ["mc_i_ord"])["mc_i_ord"][0].startswith("Succesrate, effekt 1 (job)")


@pytest.mark.parametrize("path", example_cases(), ids=lambda p: p.stem)
def test_no_amount_shows_its_unit_twice(path):
    """An amount's number format already ends in "kr." (workbooks/styles.py KR); a unit cell beside it saying
    "kr." again printed "1.850.026 kr. kr." on Overblik."""
    from workbooks import styles as st
    from workbooks.layout import Formula, Input
    from workbooks.standard import layout_for

    for sheet in layout_for(dims_of(load_business_case(path))).sheets:
        for block in sheet.blocks:
            if isinstance(block, Formula | Input) and block.number_format in (st.KR, st.KR_DECIMALS):
                assert not block.unit.strip().startswith("kr"), (sheet.name, block.label, block.unit)


def test_overblik_says_when_no_risks_are_typed(soffice, tmp_path):
    """The example has no risks: Overblik says so under the (hidden) table instead of an empty risk area.  A risk
    described without its numbers: no expected value to rank it by, said so.  A whole risk: the table lists it and the
    text is blank; its expected value by hand: 0,5 × (100.000 + 4 × 200.000 + 600.000) / 6 = 125.000 kr."""
    from workbooks.standard import NO_RISK_VALUES, NO_RISKS

    assert not CASE.risici  # workbooks/cases/eksempel_ungeindsats.yaml has no risici
    none, described, whole = (book.build(CASE, tmp_path / f"{n}.xlsx") for n in ("none", "described", "whole"))
    _type(described, {("rk_beskrivelse", 0): "Færre deltagere end ventet"})
    _type(whole, {("rk_beskrivelse", 0): "Færre deltagere end ventet", ("rk_sandsynlighed", 0): 0.5, ("rk_min", 0): 100_000,
                  ("rk_mest_sandsynlig", 0): 200_000, ("rk_max", 0): 600_000})  # fmt: skip
    paths = [none, described, whole]
    with recalculating(paths) as result:
        v = [read_values(result(k), layout_from_info, ["ov_ingen_risici", "ov_risiko_vaerdi"]) for k in range(3)]
        label = [openpyxl.load_workbook(result(k), data_only=True) for k in (0, 2)]
    assert v[0]["ov_ingen_risici"] == NO_RISKS == "Ingen risici er skrevet ind (arket Risici)."
    assert v[1]["ov_ingen_risici"] == NO_RISK_VALUES
    assert v[2]["ov_ingen_risici"] is None and v[2]["ov_risiko_vaerdi"][0] == pytest.approx(125_000)
    # the label beside the text shows only with the text
    rows = []
    for wb in label:
        sheet, ref = next(iter(wb.defined_names["ov_ingen_risici"].destinations))
        rows.append(wb[sheet].cell(wb[sheet][ref.replace("$", "")].row, 1).value)
    assert rows == ["Største risici", None]
