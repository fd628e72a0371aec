"""Printed pages show long texts whole: the price message, the break-even sentence and the help text beside
every input are not cut at the page edge, and a Katalog row is as tall as its text, not lines taller.

Checked on the PDF LibreOffice prints (``soffice --convert-to pdf``, text read back with poppler's
``pdftotext -bbox``, words beyond the right margin left out, as LibreOffice clips them): each text
must appear whole in the printed text.  The examples include a three-year case
(``sygedagpenge``), whose year tables print only the horizon's columns -- the print area that used to cut
the help texts beside the inputs -- and the blank workbook.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
from html import unescape

import openpyxl
import pytest

from udfs.core.casefile import load_business_case
from workbooks import book
from workbooks.cli import example_cases
from workbooks.layout import resolve
from workbooks.printing import MARGINS, column_pt
from workbooks.recalc import recalculate
from workbooks.standard import dims_of, layout_for
from workbooks.writer import DATA_CHAR_PT, LINE_HEIGHT, wrapped_lines

EXAMPLES = {p.stem: p for p in example_cases()}


def _printed_text(soffice, xlsx, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext is required in CI (poppler-utils, installed by scripts/install-system-deps.sh)")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), str(xlsx)], check=True, capture_output=True, timeout=600)
    pdf = tmp_path / "pdf" / (xlsx.stem + ".pdf")
    # every word with its box: a word beyond the right margin is in the PDF (clipped) but not on paper
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words, edge = [], 72 * MARGINS["right"] - 1  # LibreOffice clips a cell's text at the right margin
    for page in re.finditer(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', html, re.S):
        width = float(page.group(1))
        words += [unescape(w) for x0, x1, w in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>',
                                                           page.group(2)) if float(x1) <= width - edge]
    return " ".join(words)


@pytest.mark.parametrize("name", ["sygedagpenge", "blank"])
def test_long_texts_print_whole(soffice, tmp_path, name):
    case = book.blank_case() if name == "blank" else load_business_case(EXAMPLES[name])
    path = book.build(case, tmp_path / f"{name}.xlsx")
    # the PDF of the recalculated copy: the formulas' texts as LibreOffice computed them
    recalculated = recalculate(path, tmp_path / "ud")
    printed = _printed_text(soffice, recalculated, tmp_path)
    plan = resolve(layout_for(dims_of(case)))
    values = openpyxl.load_workbook(recalculated, data_only=True)
    texts = []
    for sp in plan.sheets:
        if sp.sheet.hidden or sp.sheet.name.startswith("_"):
            continue
        # the help beside an input, unless in an empty spare slot folded away (hidden rows print nothing)
        texts += [spec.value for spec in sp.cells if spec.role == "note" and not spec.sizing and spec.row not in sp.folded]
    for name_ in ("prisbesked", "be_tekst"):
        ref = plan.names[name_]
        texts.append(values[ref.sheet].cell(ref.min_row, ref.min_col).value)
    assert texts and all(isinstance(t, str) and t for t in texts)
    missing = [t for t in texts if " ".join(t.split()) not in printed]
    assert not missing, missing


def test_katalog_rows_are_as_tall_as_their_text(tmp_path):
    # A row's height is the lines of its tallest wrapped text (a source, a note) at DATA_CHAR_PT a character:
    # hand check of the tallest note: 453 characters in a 60-character column (318.75 pt) hold 71 characters a
    # line (/ 4.4 pt), so 7 lines (LibreOffice shows 7 with DejaVu Sans, the wider fallback of Calibri), 105 pt -- not 8 (120 pt).
    path = book.build(load_business_case(EXAMPLES["eksempel_ungeindsats"]), tmp_path / "eks.xlsx")
    ws = openpyxl.load_workbook(path)["Katalog"]
    checked = 0
    for row in ws.iter_rows(min_row=1):
        texts = [(c, c.value) for c in row if isinstance(c.value, str) and c.alignment.wrap_text and c.font.i]
        if not texts:
            continue
        need = max(sum(wrapped_lines(part, column_pt(ws.column_dimensions[c.column_letter].width) - 6, DATA_CHAR_PT)
                       for part in v.split("\n")) for c, v in texts)
        assert ws.row_dimensions[row[0].row].height == LINE_HEIGHT * need
        checked += 1
    assert checked >= 39  # every catalogue row
    assert max(ws.row_dimensions[r].height or 0 for r in range(1, ws.max_row + 1)) <= 7 * LINE_HEIGHT
    assert math.floor((column_pt(60) - 6) / DATA_CHAR_PT) == 71
