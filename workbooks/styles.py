"""Cell styles and number formats of the standard workbooks.

A cell gets a *role* (``"input"``, ``"formula"``, ``"title"``, ...) and the
writer applies the role's font, fill, border and alignment from :data:`ROLES`.
Input cells are the only unlocked cells; the colours are explained to the user
by the legend (:data:`LEGEND`).

Number formats are stored in the file in Excel's locale-independent form;
Danish Excel shows ``#,##0 "kr."`` as ``1.234 kr.`` and ``0.0%`` as ``12,5 %``.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

KR = '#,##0 "kr."'
"""Whole kroner with thousands separator, e.g. 1.234.567 kr."""
KR_DECIMALS = '#,##0.00 "kr."'
"""Kroner and øre, e.g. 3.555,56 kr."""
PERCENT = "0.0%"
"""A share 0–1 shown as per cent with one decimal, e.g. 12,5 %."""
INTEGER = "#,##0"
"""A count, e.g. 1.200."""
DECIMAL = "#,##0.00"
"""A plain number with two decimals."""
YEAR = "0"
"""A year without thousands separator, e.g. 2023."""
CODE = "0"
"""A whole number that is a code, not an amount (a random seed): no thousands separator, e.g. 2026."""
FACTOR = "0.0000"
"""A factor such as a discount factor, four decimals."""
TEXT = "@"
"""Text: what is typed is kept as text."""

UNIT_FORMATS: dict[str, str] = {
    "kr": KR, "share": PERCENT, "years": INTEGER, "year": YEAR, "ratio": DECIMAL, "factor": FACTOR, "count": INTEGER, "text": TEXT,
}  # fmt: skip
"""The number format of a figure's cell by its line item's unit (:class:`udfs.core.lineitems.LineItem`): the one
mapping from unit to Excel format (the command line's is ``workbooks.cli.SHOWN``)."""

FONT = "Calibri"
"""The workbooks' font, named in every cell font: a font without a name is drawn in the spreadsheet's default
(LibreOffice: a serif), wider than the print layout's model (:mod:`workbooks.printing`, Calibri 11).  LibreOffice
draws Calibri with the metric-compatible Carlito (Debian ``fonts-crosextra-carlito``)."""
FONT_SIZE = 11
"""Points, the size of every cell's text but titles and headings."""


def font(*, size: float = FONT_SIZE, **kwargs) -> Font:
    """A cell font in :data:`FONT` (``size`` in points; ``bold``, ``italic``, ``color`` as openpyxl's ``Font``)."""
    return Font(name=FONT, size=size, **kwargs)


INPUT_FILL = "FFF2CC"
FORMULA_FILL = "F2F2F2"
HEADER_FILL = "D9E1F2"

_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class Role:
    """How one kind of cell looks (openpyxl style objects; ``None`` = default)."""

    font: Font | None = None
    fill: PatternFill | None = None
    border: Border | None = None
    alignment: Alignment | None = None


def _fill(rgb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


ROLES: dict[str, Role] = {
    "title": Role(font=font(bold=True, size=14)),
    "heading": Role(font=font(bold=True, size=12)),
    "label": Role(),
    "unit": Role(font=font(color="595959")),
    "note": Role(font=font(italic=True, color="595959")),
    "text": Role(alignment=Alignment(vertical="top")),
    "header": Role(font=font(bold=True), fill=_fill(HEADER_FILL), border=_BOX, alignment=Alignment(horizontal="center", wrap_text=True)),
    "input": Role(font=font(color="0000FF"), fill=_fill(INPUT_FILL), border=_BOX),
    "formula": Role(font=font(color="000000"), fill=_fill(FORMULA_FILL), border=_BOX),
    "data": Role(font=font(color="000000", italic=True), fill=_fill(FORMULA_FILL), border=_BOX),
    "written": Role(font=font(color="000000", italic=True), fill=_fill(FORMULA_FILL), border=_BOX),  # values sibc writes at build
    "warning": Role(font=font(color="C00000", bold=True)),  # a red warning text (a formula that is "" when all is well)
    "data_text": Role(font=font(color="000000", italic=True), fill=_fill(FORMULA_FILL), border=_BOX,
                      alignment=Alignment(vertical="top", wrap_text=True)),
}
"""Role name → style.  Inputs: blue on light yellow; formulas: black on light grey."""

LEGEND: tuple[tuple[str, str], ...] = (
    ("input", "Inputcelle: kan ændres (blå tekst på gul baggrund)"),
    ("formula", "Formel: beregnes automatisk og er låst (grå baggrund)"),
    ("data", "Data med kilde: offentliggjorte tal (indeks, renter, refusion), låst (grå kursiv)"),
)
"""The colour legend written by the ``Legend`` block: (role, Danish explanation)."""


def apply_role(cell, role: str) -> None:
    """Give ``cell`` the look of ``role`` (one of :data:`ROLES`)."""
    style = ROLES[role]
    if style.font is not None:
        cell.font = style.font
    if style.fill is not None:
        cell.fill = style.fill
    if style.border is not None:
        cell.border = style.border
    if style.alignment is not None:
        cell.alignment = style.alignment
