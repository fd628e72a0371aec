"""Texts in workbook formulas: fixed texts quoted by one helper, and numbers put into texts written the Danish way.

A fixed text goes into a formula through :func:`udfs.core.vocabulary.excel_string` (``workbooks.layout.excel_string``):
a quote inside is doubled, so the text stays one text.  Numbers that workbook formulas put into texts are Danish in
any application: a decimal comma and thousands points.

FIXED alone writes the application's separators (LibreOffice in English: ``2.0``; the trial's message read
"fremskrevet med 2.0 %").  :func:`udfs.core.vocabulary.number_words_excel` reads the application's separators off
FIXED and swaps them for Danish ones; LibreOffice recalculates the formulas in English (the tests' default) and in
Danish (a profile with the locale da-DK, as Danish Excel), and both must give the texts written out below.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
import pytest

from udfs.core.casefile import load_business_case
from openpyxl.formula import Tokenizer

from udfs.core.vocabulary import excel_string, number_words, number_words_excel, share_words, share_words_excel
from workbooks import book
from workbooks.cli import example_cases
from workbooks.reader import read_values
from workbooks.recalc import find_soffice, recalculate, recalculating
from workbooks.standard import layout_from_info
from tests.typing_cells import type_cells

# (formula, the Danish text by hand)
HAND = [
    (share_words_excel("0.02"), "2,0 %"),  # the trial's 2 % a year: one decimal, a comma
    (share_words_excel("-0.05"), "-5,0 %"),  # 0,10 − 0,15
    (number_words_excel("1234567.4", 0), "1.234.567"),  # rounded to whole kroner, thousands points
    (number_words_excel("-1234.56", 1), "-1.234,6"),
    (share_words_excel("0.15", None), "15 %"),  # a per cent without decimals: trailing zeros dropped
    (share_words_excel("0.125", None), "12,5 %"),
    (share_words_excel("10", None), "1.000 %"),  # an optimism mark-up of 10 (1000 %)
    (number_words_excel("0.12345", None), "0,123"),  # at most three decimals
]

DANISH_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>da-DK</value></prop></item>
</oor:items>
"""


def _hand_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    for row, (formula, _) in enumerate(HAND, start=1):
        wb.active.cell(row, 1).value = "=" + formula
    wb.save(path)
    return path


def _texts(path: Path) -> list:
    return [row[0] for row in openpyxl.load_workbook(path, data_only=True).active.iter_rows(values_only=True)]


def _recalculate_in_danish(srcs: list[Path], tmp_path: Path) -> list[Path]:
    """LibreOffice with its locale set to Danish (a fresh profile), as Danish Excel writes numbers: ``2,0``."""
    profile = tmp_path / "profil"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(DANISH_PROFILE, encoding="utf-8")
    out = tmp_path / "dansk"
    subprocess.run([find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--calc",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), *map(str, srcs)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    return [out / src.name for src in srcs]


def test_the_python_words_agree_with_the_hand_texts():
    assert share_words(0.125) == "12,5 %" and share_words(10) == "1.000 %" and number_words(0.12345) == "0,123"


def test_a_fixed_text_with_quotes_stays_one_text_in_a_formula():
    """Excel doubles a quote inside a text; a text quoted by hand ("..." around it) would end at its first quote."""
    from workbooks.layout import excel_string as layout_quoting
    from workbooks.standard import nested_if

    text = 'Skriv "ja" eller "nej"'
    assert layout_quoting is excel_string and excel_string(text) == '"Skriv ""ja"" eller ""nej"""'
    formula = "=" + nested_if("A1", [(text, "1")], "0")
    texts = [t.value for t in Tokenizer(formula).items if t.subtype == "TEXT"]
    assert texts == [excel_string(text)]


def test_number_texts_are_danish_in_english_and_in_danish_libreoffice(soffice, tmp_path):
    src = _hand_workbook(tmp_path / "tal.xlsx")
    expected = [text for _, text in HAND]
    english = recalculate(src, tmp_path / "engelsk")
    assert _texts(english) == expected
    # the check is real: plain FIXED differs between the two locales (2.0 in English)
    probe = openpyxl.Workbook()
    probe.active["A1"] = "=FIXED(2,1)"
    probe.save(tmp_path / "fixed.xlsx")
    assert _texts(recalculate(tmp_path / "fixed.xlsx", tmp_path / "fixed_en")) == ["2.0"]
    fixed, danish = _recalculate_in_danish([tmp_path / "fixed.xlsx", src], tmp_path)
    assert _texts(fixed) == ["2,0"]
    assert _texts(danish) == expected


CASE = load_business_case(next(p for p in example_cases() if p.stem == "eksempel_ungeindsats"))


def test_the_workbooks_sentences_write_danish_numbers(soffice, tmp_path):
    """The example typed over as a user would: a fixed discount rate of 3,5 %, an optimism mark-up of 12,5 %, effect 1
    at a success rate of 10 % against a deadweight of 15 % (net −5 %).  LibreOffice (English) recalculates; every
    number in the sentences is Danish."""
    path = book.build(CASE, tmp_path / "eks.xlsx")
    type_cells(path, {("diskontering", 0): "fast", ("fast_rente", 0): 0.035, ("optimisme_omk", 0): 0.125,
                      ("eff1_succesrate", 0): 0.10, ("eff1_doedvaegt", 0): 0.15})  # fmt: skip
    with recalculating([path]) as result:
        out = result(0)
        v = read_values(out, layout_from_info, ["ov_diskontering", "ov_plausibel", "be_tekst", "break_even", "tab_fra", "tab_stoerst",
                                                "kn_doedvaegt"])
        wb = openpyxl.load_workbook(out, data_only=True)
    sheet, ref = next(iter(wb.defined_names["investering"].destinations))
    label = wb[sheet].cell(wb[sheet][ref.replace("$", "")].row, 1).value
    assert v["ov_diskontering"] == "fast rente 3,5 % om året"
    assert v["ov_plausibel"] == "Effekt 1: succesraten er under dødvægten (nettosuccesrate -5,0 %): merudgifter."
    assert label == "Investering (investor)"  # the mark-up is on the authorities' costs, not on the investment
    # the break-even sentence: LibreOffice's break-even (0.16634…) and largest loss from the highest deadweight (15 %)
    # up, 489,323.41 kr. (the core's figure for the typed inputs, read back by extract), written by hand in Danish, one
    # decimal and whole kroner
    from udfs.core.businesscase import key_figures
    from udfs.core.engine import run

    assert v["break_even"] == pytest.approx(0.16634, abs=5e-6) and v["tab_fra"] == 0 and v["kn_doedvaegt"] == 0.15
    assert v["tab_stoerst"] == pytest.approx(key_figures(run(book.extract(path)))["tab_stoerst"], abs=0.01)
    assert v["tab_stoerst"] == pytest.approx(489_323.41, abs=0.01)
    assert v["be_tekst"] == ("Betaleren får mindst pengene igen (nutidsværdi mindst 0), når succesraten er mindst 16,6 % for alle "
                             "effekter; under 16,6 % taber betaleren ved succesrater mellem 0,0 % og 16,6 % (største tab "
                             "ved succesrater fra den højeste dødvægt (15,0 %, effekt job) er 489.323 kr. i nutidsværdi).")
    # the effects' deadweights differ (15 % typed for job, behandling 15 %, kriminalitet 2 %): the highest is named with
    # the first effect at it
