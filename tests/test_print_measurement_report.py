"""The measurement report workbook (``sibc maal -o``) prints as the standard workbook's sheets do
(:mod:`workbooks.printing`): the case's name in the header, the date and "Side x af y" in the footer, landscape
fitted to one page wide with the title row repeated, every text whole (wrapped where its column is narrow), and
"< 5" standing right, apart from the number before it.  The economist's report printed portrait without header
or footer, cut "Ingen herbergsophold …" at the right edge, showed "50 < 5" run together and took 5 pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.test_print_long_texts import _printed_text
from udfs.core.measurement import report
from udfs.core.measurement.privacy import SUPPRESSED_TEXT
from workbooks import measurement_sheet

DATA = Path(__file__).resolve().parent / "data" / "housing_first"


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hf")
    for f in DATA.iterdir():
        shutil.copy(f, folder / f.name)
    spec, base = report.load_file(folder / "maaling.yaml")
    path = measurement_sheet.write(report.run(spec, base), folder / "rapport.xlsx")
    return path, openpyxl.load_workbook(path)[measurement_sheet.SHEET]


def test_the_page_setup_is_the_project_s(sheet):
    _, ws = sheet
    expected = [
        # (what, value, source)
        ("header, left", ws.oddHeader.left.text, "Housing First, Vestby Kommune"),  # hf.yaml: navn
        ("header, centre", ws.oddHeader.center.text, "&A"),  # the sheet's name (printing.HEADER_CENTRE)
        ("footer, left", ws.oddFooter.left.text, "Udskrevet &D"),  # printing.FOOTER_LEFT
        ("footer, centre", ws.oddFooter.center.text, "Side &P af &N"),  # printing.FOOTER
        ("orientation", ws.page_setup.orientation, "landscape"),
        ("one page wide", (ws.sheet_properties.pageSetUpPr.fitToPage, ws.page_setup.fitToWidth), (True, 1)),
        ("title row on every page", ws.print_title_rows, "$1:$1"),
    ]
    for what, got, want in expected:
        assert got == want, what


def test_texts_wrap_and_suppressed_figures_stand_right(sheet):
    _, ws = sheet
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    # "Ingen herbergsophold i året efter start" (39 characters) is wider than the Navn column (16): wrapped
    assert cells["Ingen herbergsophold i året efter start"].alignment.wrap_text
    suppressed = [c for row in ws.iter_rows() for c in row if c.value == SUPPRESSED_TEXT]
    assert suppressed and all(c.alignment.horizontal == "right" for c in suppressed)


def test_libreoffice_prints_every_text_whole_on_two_pages(sheet, soffice, tmp_path):
    path, ws = sheet
    printed = _printed_text(soffice, path, tmp_path)
    for text in ["Ingen herbergsophold i året efter start", "Housing First, Vestby Kommune", "Side 1 af 2", "Side 2 af 2",
                 "herbergfri: målet 30 gælder casens 75 deltagere;", "Betalingen måler herbergfri på de 25 målte alene"]:
        assert text in printed, text
    assert "Side 1 af 3" not in printed  # two pages ("Side 2 af 2"), not five
