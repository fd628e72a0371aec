"""Every figure the command line shows is a line item and is formatted by its unit, never by words in its label."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from udfs.core.lineitems import KEY_FIGURES, LineItem
from udfs.core.settlement import SETTLEMENT_FIGURES, settle
from udfs.core.uncertainty import MONTE_CARLO_FIGURES, PERCENTILES, MonteCarlo
from workbooks.cli import SHOWN, item_text

ROOT = Path(__file__).resolve().parents[1]
ALL_ITEMS = (*KEY_FIGURES, *SETTLEMENT_FIGURES, *MONTE_CARLO_FIGURES)


@pytest.mark.parametrize("item", ALL_ITEMS, ids=lambda i: i.name)
def test_every_unit_has_one_format(item: LineItem):
    from workbooks.styles import UNIT_FORMATS

    assert item.unit in SHOWN and item.unit in UNIT_FORMATS


@pytest.mark.parametrize("items", [SETTLEMENT_FIGURES, MONTE_CARLO_FIGURES], ids=["afregning", "montecarlo"])
def test_names_are_unique(items):
    assert len({i.name for i in items}) == len(items)
    assert len({i.label for i in items}) == len(items)


# (unit, value, shown) — hand-written Danish formats: per cent with one decimal, whole kr. with thousands
# points (half away from zero, as Excel's AFRUND), a ratio with two decimals, a count with thousands points.
@pytest.mark.parametrize(("unit", "value", "shown"), [
    ("share", 0.194, "19,4 %"), ("kr", 1_234_567.5, "1.234.568"), ("kr", -2.5, "-3"), ("ratio", 1.19354, "1,19"),
    ("count", 20_000.0, "20.000"), ("years", 3.0, "3"), ("year", 2031.0, "2031"), ("text", "én (12,39 %)", "én (12,39 %)"),
])  # fmt: skip
def test_item_text_by_unit(unit, value, shown):
    assert item_text(LineItem("x", "Afkast Antal ratio", unit), value) == shown  # the label's words play no part


def test_missing_figure_shows_its_items_text():
    assert item_text(LineItem("x", "X", "share", missing="ikke inden for horisonten"), None) == "ikke inden for horisonten"


def test_settlement_rows_are_its_line_items():
    # investment 100 in year 0, payment 130 in year 2, savings 200 in year 2: bonus 30, afkast 30 %, multiple 1.3
    s = settle([100.0, 0.0, 0.0], [0.0, 0.0, 130.0], [0.0, 0.0, 200.0])
    figures = dict((item.name, value) for item, value in s.figures())
    assert [label for label, _ in s.rows()] == [item.label for item in SETTLEMENT_FIGURES]
    assert figures["bonus"] == pytest.approx(30.0) and figures["afkast"] == pytest.approx(0.3)
    assert item_text(SETTLEMENT_FIGURES[3], figures["afkast"]) == "30,0 %"
    assert item_text(SETTLEMENT_FIGURES[6], figures["pengemultiplikator"]) == "1,30"


def test_monte_carlo_summary_is_its_line_items():
    pv = np.array([-1.0, 2.0, 3.0, 4.0])
    mc = MonteCarlo(pv, np.array([-1.0, 1.0, 1.0, 1.0]), pv * 2)
    figures = mc.figures()
    assert list(figures) == [item.name for item in MONTE_CARLO_FIGURES]
    assert list(mc.summary()) == [item.label for item in MONTE_CARLO_FIGURES]
    # hand count: 3 of 4 draws above 0, 1 of 4 below; the investor loses in 1 of 4; 4 draws
    assert figures["p_gevinst_betaler"] == 0.75 and figures["p_tab_betaler"] == 0.25
    assert figures["p_tab_investor"] == 0.25 and figures["antal_traek"] == 4.0
    assert figures["middel_nv_betaler"] == 2.0  # (−1 + 2 + 3 + 4) / 4
    assert figures[f"p{PERCENTILES[2]}_nv_betaler"] == 2.5  # the median of −1, 2, 3, 4
    assert "p5_nv_offentlig" not in MonteCarlo(pv, pv).figures()  # the public side only when computed


def test_no_format_chosen_by_words_in_a_label():
    """A figure's format comes from its unit: no ``… in label`` test anywhere in the code."""
    offenders = [f"{path.relative_to(ROOT)}:{n}" for folder in ("udfs", "workbooks", "addin")
                 for path in sorted((ROOT / folder).rglob("*.py"))
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if re.search(r"\bin label\b", line)]  # fmt: skip
    assert offenders == []


def _number_formats(layout) -> dict[str, str | None]:
    """Every named block of a workbook layout and its number format."""
    out: dict[str, str | None] = {}

    def walk(x):
        for part in ("sheets", "blocks", "items"):
            for y in getattr(x, part, ()) or ():
                walk(y)
        if getattr(x, "name", None):
            out[x.name] = getattr(x, "number_format", None)

    walk(layout)
    return out


@pytest.mark.parametrize("case_file", ["eksempel_alle_myndigheder.yaml", "sygedagpenge.yaml"])
def test_workbook_cells_take_their_format_from_the_unit(case_file):
    """Each line item's cell in the standard workbook has the number format of its unit (styles.UNIT_FORMATS)."""
    from udfs.core.casefile import load_business_case
    from udfs.core.lineitems import AUTHORITY_FIGURES, YEARLY_LINES
    from workbooks.book import layout_of
    from workbooks.styles import UNIT_FORMATS

    formats = _number_formats(layout_of(load_business_case(ROOT / "workbooks" / "cases" / case_file)))
    items = [i for i in (*KEY_FIGURES, *YEARLY_LINES, *AUTHORITY_FIGURES) if i.cell and i.unit != "text"]
    assert {i.name: formats.get(i.name) for i in items} == {i.name: UNIT_FORMATS[i.unit] for i in items}
