"""Labels and formats of the standard workbook: Danish words, never raw codes; units shown as what they are.

Every code a case file holds (``fm_2021``, ``npi``, ``primaer``, ``triangulaer`` …) is shown in the
workbook as a Danish word from one table (:mod:`udfs.core.vocabulary`); the reader accepts the word and
the old code.  Participants are whole numbers, shares per cent.  Without the add-in the Kontrol sheet
says so in words instead of ``#NAME?``.  The Vejledning describes every sheet.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import openpyxl
import pytest

from udfs.core.casefile import load_business_case
from typing import get_args

from udfs.core.case_model import Case, Distribution
from udfs.core.data import BenefitPart, RuleSet, SourceKind, Unit, discount_schedules, indices, refusion_schemes
from udfs.core.errors import SIError
from udfs.core.indices import OWN
from udfs.core.rules import rules
from udfs.core.vocabulary import ADDIN_MISSING, NOT_COMPARED, VOCABULARIES, code_for
from workbooks import book, styles as st
from workbooks.cli import example_cases
from workbooks.layout import CODES_SHEET, TEMPLATE_SHEET, Validation, check_validation, coded, resolve
from workbooks.reader import values_of
from workbooks.recalc import recalculate
from workbooks.standard import GUIDE_WIDTH, SHEET_GUIDE, SHARE, dims_of, layout_for

from tests.feature_cases import FEATURE_CASES
from udfs.core.case_model import parse_case

CASES = {"blank": book.blank_case(), **{p.stem: load_business_case(p) for p in example_cases()}}
CASES |= {name: parse_case(data) for name, data in FEATURE_CASES.items()}  # every payment rule


def _is_raw(code: str) -> bool:
    """A code that is not itself a Danish word: with an underscore, Danish letters spelt in ASCII, or an abbreviation."""
    return "_" in code or re.search(r"aa|ae|oe", code) is not None or code in ("npi", "fpi")


RAW_CODES = sorted({c for words in VOCABULARIES.values() for c in words if _is_raw(c)}
                   | {r.type_name() for r in rules() if _is_raw(r.type_name())})  # fmt: skip
RAW = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, RAW_CODES)) + r")(?![\w])")


def test_the_raw_codes_are_the_known_ones():
    # The codes the issue names are among those the scan looks for (a scan for nothing cannot fail).
    assert {"fm_2021", "npi", "lineaer", "primaer", "triangulaer", "doedvaegt", "maaned"} <= set(RAW_CODES)


def test_every_code_of_the_data_has_a_word():
    """The whole kind: every schedule, index, refusion scheme and distribution the core knows is in a table."""
    assert set(VOCABULARIES["diskontering"]) == set(discount_schedules()) | {"fast"}
    assert set(VOCABULARIES["indeks"]) == set(indices()) | {OWN}
    assert set(VOCABULARIES["refusionsordning"]) == set(refusion_schemes())
    assert set(VOCABULARIES["fordeling"]) == set(get_args(Distribution.model_fields["fordeling"].annotation))
    assert set(VOCABULARIES["enhed"]) == set(get_args(Unit))
    assert set(VOCABULARIES["kildetype"]) == set(get_args(SourceKind))
    assert set(VOCABULARIES["regelsaet"]) == set(get_args(RuleSet))
    assert set(VOCABULARIES["ydelsesdel"]) == set(get_args(BenefitPart))
    assert set(VOCABULARIES["visning"]) == set(get_args(Case.model_fields["visning"].annotation))


@pytest.mark.parametrize("field", sorted(VOCABULARIES))
def test_words_fit_an_excel_list_and_map_back(field):
    words = VOCABULARIES[field]
    check_validation(Validation.words(words))  # no comma or quote, 255 characters in all
    assert len(set(map(str.casefold, words.values()))) == len(words)  # no two codes share a word
    for code, word in words.items():
        assert code_for(words, word) == code == code_for(words, f"  {word.upper()} ") == code_for(words, code.upper())


def _is_url(text: str) -> bool:
    """A source's web address (the Katalog's column Kilde: URL), whose words are its publisher's, not labels."""
    return text.startswith(("https://", "http://"))


def _label_cells(ws):
    """Text cells a user reads as labels or picks as inputs: everything written as a value (not a formula), but a
    source's web address (its words are the publisher's: ``…/tillaeg-til-kontanthjaelp``)."""
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.data_type != "f" and not _is_url(c.value):
                yield c


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_raw_code_in_any_label_or_input(name, tmp_path):
    path = book.build(CASES[name], tmp_path / f"{name}.xlsx")
    wb = openpyxl.load_workbook(path)
    found = [(ws.title, c.coordinate, c.value) for ws in wb if ws.sheet_state == "visible"
             for c in _label_cells(ws) if RAW.search(c.value)]  # fmt: skip
    assert found == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_labels_hold_no_field_names(name):
    """No label, header or table title of the layout is a field name (``mest_sandsynlig``, ``r_omk_investor``):
    Danish words only; the SI_ function names are the one kind of name with an underscore a user sees."""
    names = []
    for sheet in layout_for(dims_of(CASES[name])).sheets:
        for block in sheet.blocks:
            # the Katalog's and Resultatfonde's rows are named by the ids a user picks from or types
            ids = getattr(block, "name", "") in ("katalog", "resultatfonde")
            texts = [getattr(block, "label", ""), getattr(block, "title", ""), *(() if ids else getattr(block, "labels", ()))]
            texts += [getattr(i, "label", "") for i in getattr(block, "items", ())]
            names += [(sheet.name, t) for t in texts if t and re.search(r"(?<!SI)_|\b[a-z]+_[a-z]", t)]
    assert names == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_number_formats_match_the_unit(name, tmp_path):
    """Participants as whole numbers (#,##0), every share input as per cent (0.0%)."""
    case = CASES[name]
    plan = resolve(layout_for(dims_of(case)))
    wb = openpyxl.load_workbook(book.build(case, tmp_path / "x.xlsx"))
    people = [n for n in plan.names if n in ("deltagere", "r_deltagere", "eo_antal")
              or re.fullmatch(r"eff\d+_(deltagere|gruppe|antal)", n)]  # fmt: skip
    shares = [n for n, (item, _) in plan.inputs.items() if item.validation == SHARE]
    assert len(people) >= 4 and len(shares) >= 4
    for names, fmt in ((people, st.INTEGER), (shares, st.PERCENT)):
        for n in names:
            for ref in plan.names[n].cells():
                assert wb[ref.sheet].cell(ref.min_row, ref.min_col).number_format == fmt, (n, ref.label())


def test_coded_inputs_show_words_and_extract_accepts_the_word_and_the_old_code(tmp_path):
    case = CASES["eksempel_ungeindsats"]
    path = book.build(case, tmp_path / "eks.xlsx")
    plan = resolve(layout_for(dims_of(case)))
    wb = openpyxl.load_workbook(path)
    shown = {}
    for name, (item, ref) in plan.inputs.items():
        if coded(item) and name in plan.input_cells:
            shown[name] = wb[ref.sheet][ref.coordinate()].value
    # The example's choices (case file): fm_2021, npi, visning kommune; as words in the cells.
    assert shown["diskontering"] == "Finansministeriet 2021" and shown["indeks"] == "Nettoprisindeks"
    assert shown["visning"] == "Betalerens perspektiv"
    # A workbook typed before the words (codes in the cells) and one with words in other case read back alike.
    for name, (item, ref) in plan.inputs.items():
        if coded(item):
            for cell in ref.cells():
                word = wb[cell.sheet].cell(cell.min_row, cell.min_col).value
                if word is not None:
                    wb[cell.sheet].cell(cell.min_row, cell.min_col).value = item.validation.code_of(word)
    wb.save(tmp_path / "codes.xlsx")
    assert book.extract(tmp_path / "codes.xlsx") == case
    wb["Forudsætninger"][plan.inputs["indeks"][1].coordinate()].value = "NETTOPRISINDEKS"
    wb.save(tmp_path / "upper.xlsx")
    assert book.extract(tmp_path / "upper.xlsx") == case


def test_a_wrong_word_names_the_cell_and_the_words(tmp_path):
    path = book.build(CASES["eksempel_ungeindsats"], tmp_path / "eks.xlsx")
    ref = resolve(layout_for(dims_of(CASES["eksempel_ungeindsats"]))).inputs["diskontering"][1]
    wb = openpyxl.load_workbook(path)
    wb[ref.sheet][ref.coordinate()].value = "Nationalbanken"
    wb.save(path)
    with pytest.raises(SIError) as err:
        book.extract(path)
    assert "Finansministeriet 2021, Finansministeriet 2013, Fast rente" in str(err.value)
    assert ref.label() in str(err.value) and "Nationalbanken" in str(err.value)


def test_words_are_drop_down_lists_and_codes_sit_on_a_hidden_sheet(tmp_path):
    path = book.build(CASES["eksempel_ungeindsats"], tmp_path / "eks.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb[CODES_SHEET].sheet_state == "hidden" and wb[TEMPLATE_SHEET].sheet_state == "hidden"
    lists = [dv.formula1 for dv in wb["Forudsætninger"].data_validations.dataValidation if dv.type == "list"]
    assert '"Nettoprisindeks,Forbrugerprisindeks,Pris og løn (staten),Løn (staten),Priser (staten),Eget indeks"' in lists


def test_the_guide_describes_every_sheet_and_fits_a_portrait_page(tmp_path):
    wb = openpyxl.load_workbook(book.build(CASES["eksempel_ungeindsats"], tmp_path / "eks.xlsx"))
    guide = wb["Vejledning"]
    text = [c.value for row in guide.iter_rows(max_col=1) for c in row if isinstance(c.value, str)]
    visible = [ws.title for ws in wb if ws.sheet_state == "visible"]
    assert visible[:2] == ["Overblik", "Vejledning"]  # the decision makers' page first, then the guide
    for sheet in visible:
        assert f"{sheet}: {SHEET_GUIDE[sheet]}".split()[:3] == next(t for t in text if t.startswith(f"{sheet}: ")).split()[:3]
    assert max(len(t) for t in text) <= GUIDE_WIDTH
    headings = {"Hvad projektmappen er til", "Sådan bygger du en case", "Arkene", "Tilføj en effekt, en omkostning eller et år",
                "Sådan læses resultatet", "Farver", "Hvad kræver tilføjelsesprogrammet", "Hvor tallene kommer fra"}  # fmt: skip
    assert headings <= set(text)
    assert not any("sibc" in t for t in text)  # written for an Excel user, not for the command line


def test_kontrol_without_the_addin_says_so(soffice):
    """LibreOffice has no SI_ functions (as Excel without the add-in): the cells say so, no #NAME? anywhere."""
    out = Path(tempfile.mkdtemp(prefix="sibc-test-"))
    path = book.build(CASES["eksempel_ungeindsats"], out / "eks.xlsx")
    wb = openpyxl.load_workbook(recalculate(path, out / "rc"), data_only=True)
    errors = [(ws.title, c.coordinate) for ws in wb for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith("#")]  # fmt: skip
    assert errors == []
    ws = wb["Kontrol"]
    rows = [r for r in ws.iter_rows(values_only=True) if r[2] == ADDIN_MISSING]
    assert len(rows) >= 6 and all(r[3] == NOT_COMPARED for r in rows)
    # The codes the formulas need come from the hidden sheet: the discount factor of year 9 at 3.5 %.
    assert rows[0][1] == pytest.approx(1.035**-9, abs=1e-12)
    # Words the formulas show (price message, rule names) are Danish too; the one exception is the Kontrol
    # sheet's helper cell that hands the schedule's code to the SI_ functions (their argument is the code).
    schedule = resolve(layout_for(dims_of(CASES["eksempel_ungeindsats"]))).names["k_skema"]
    found = [(w.title, c.coordinate, c.value) for w in wb if w.sheet_state == "visible"
             for row in w.iter_rows() for c in row if isinstance(c.value, str) and not _is_url(c.value) and RAW.search(c.value)]  # fmt: skip
    assert found == [("Kontrol", schedule.coordinate(), "fm_2021")]
    # The present values of gains and of costs shown apart add up to the net present value (LibreOffice computes
    # each; gains − (costs + payments) = net, as r_netto = besparelse − omkostninger − betalinger year by year).
    v = values_of(wb, resolve(layout_for(dims_of(CASES["eksempel_ungeindsats"]))))
    for who in ("betaler", "offentlig"):
        assert v[f"nv_gevinst_{who}"] > 0 and v[f"nv_omk_{who}"] > 0
        assert v[f"nv_gevinst_{who}"] - v[f"nv_omk_{who}"] == pytest.approx(v[f"nv_{who}"], abs=0.01)


def test_the_investors_irr_and_total_return_have_distinct_labels_from_one_place(capsys):
    """The economist's finding: "Investors afkast (IRR) 4,9 %" next to "afkastloft 15 %" -- two quantities called
    "afkast".  The IRR (a rate per year) and the total return (payments − investment over the investment, the
    quantity afkastloft and afkastgulv limit) each have one label (lineitems.IRR_LABEL, RETURN_LABEL), used by the
    key figures, the settlement, the guarantee, the workbook's Resultat and Overblik and the command line."""
    from udfs.core.guarantee import GUARANTEE_ITEMS
    from udfs.core.lineitems import IRR_LABEL, ITEMS, RETURN_LABEL
    from udfs.core.settlement import SETTLEMENT_ITEMS
    from workbooks.cli import example_cases, main
    from workbooks.standard import OVERVIEW_KEY_FIGURES

    assert (IRR_LABEL, RETURN_LABEL) == ("Investors interne rente (IRR)", "Samlet afkast (i % af investeringen)")
    assert ITEMS["investor_irr"].label == SETTLEMENT_ITEMS["investor_irr"].label == IRR_LABEL
    assert ITEMS["afkast"].label == SETTLEMENT_ITEMS["afkast"].label == RETURN_LABEL
    assert GUARANTEE_ITEMS["investor_irr_garanti"].label == "Investors interne rente (IRR) efter garanti"
    assert GUARANTEE_ITEMS["afkast_garanti"].label == "Samlet afkast efter garanti (i % af investeringen)"
    assert [label for name, label, *_ in OVERVIEW_KEY_FIGURES if name == "ov_investor_irr"] == [IRR_LABEL]
    path = next(p for p in example_cases() if p.stem == "eksempel_tre_betalere")
    assert main(["afregn", str(path)]) == 0
    out = capsys.readouterr().out
    assert IRR_LABEL in out and RETURN_LABEL in out and "afkast (IRR)" not in out.lower()
