"""How a sheet prints on A4: orientation, fit, page breaks, print titles, header and footer.

Design note
===========

A sheet is printed on A4 with fixed margins (:data:`MARGINS`, inches).  Its
*content width* is the sum of its used columns' widths (and at least the
widest chart); column widths in characters become points as Excel draws them
with Calibri 11 (a digit is 7 px): ``px = round(width × 7 + 5)``, 0.75 pt a
pixel.  From that width (:func:`choose_fit`):

* it fits the portrait width → portrait, 100 %;
* it fits the landscape width → landscape, 100 %;
* landscape at a scale of at least :data:`MIN_SCALE` (45 %) fits it →
  landscape, one page wide (``fitToWidth = 1``, as many pages tall as needed);
* else landscape at :data:`SPLIT_SCALE` (60 %), split into pages across with
  the name column (A) and the header rows repeated on every page (print
  titles), so every page shows what its numbers are.

The thresholds were 60 % and 100 % until a 20-year case printed its year
tables two or three year columns a page (the 68-character name column
repeated on each): a year table of 30 columns is better read on one page
width at 45 % (Calibri 11 prints as about 5 pt, still legible on A4) than
cut into ten pages across, and a sheet too wide even for that is split at
60 %, so each page across holds about twice the columns it held at 100 %.
A year table prints only the years within the horizon at build time (the
writer's print area; the guide says so).

A sheet marked ``one_page`` (Overblik) is shrunk to one page in the
orientation that shrinks it least.

Rows are split into pages by height (:func:`row_pages`): page 1 holds rows
from row 1 until the next row would not fit in the printable height (divided
by the scale); every later page holds less, by the height of the repeated
title rows; a manual break starts a new page.  A chart (anchored at a row,
its height in cm) must lie on one page, and a section (a heading and the
rows up to the next one) that fits on a page is not split: where the
computed pages would cut one, the writer puts a manual break before it
(:func:`keep_together`).  Every computed page start is then set as a manual break
(:func:`page_breaks`), so LibreOffice, which draws rows shorter, prints the same
pages instead of drifting (a page holding only the rows before a chart).
Columns are split the same way by width (:func:`column_pages`) when a sheet
is paginated across.

Header: the case's name (left; the file's name where the workbook has none), the
sheet's name (centre), the file's name (right); footer: the print date (left) and
"Side x af y" (centre) (Excel's codes ``&F``, ``&A``, ``&D``, ``&P``, ``&N``;
:func:`header_footer`).  Excel's header cannot refer to a cell, so the name is
the one the case had when the workbook was built (a name typed on
Forudsætninger later shows from the next build: sibc extract, then sibc build;
the help text beside Navn says so); the file's name beside it follows the
workbook whenever it is saved under a new name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from udfs.core.errors import excerpt

A4_PT = (595.28, 841.89)
"""A4 paper, width × height in points (210 × 297 mm)."""
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}
"""Page margins in inches (header and footer sit inside the top and bottom margins)."""
MIN_SCALE = 0.45
"""Smallest scale a sheet is shrunk to for one page width; below it the sheet is split across pages."""
SPLIT_SCALE = 0.6
"""Scale of a sheet split into pages across (too wide for one page width at :data:`MIN_SCALE`)."""
DEFAULT_ROW_PT = 15.0
"""Height of a row without an explicit height (Calibri 11), points."""
DEFAULT_COLUMN_WIDTH = 8.43
"""Width of a column without an explicit width, characters (Excel's default)."""
CM_PT = 72 / 2.54
HEIGHT_SLACK = 0.96
"""Share of the printable height the row computation fills: room for LibreOffice's and Excel's own rounding."""
FOOTER = "Side &P af &N"
FOOTER_LEFT = "Udskrevet &D"
HEADER_CENTRE, HEADER_RIGHT = "&A", "&F"
HEADER_NAME_CHARS = 100
"""At most this many characters of the case's name in the header (Excel allows 255 for the whole header)."""


def header_text(name: str | None) -> str:
    """The case's name as header text: on one line, at most :data:`HEADER_NAME_CHARS` characters, each ``&``
    doubled (Excel's header code character: ``&&`` prints one ``&``); the file's name (``&F``) without a name."""
    text = " ".join(name.split()) if isinstance(name, str) else ""
    return excerpt(text, HEADER_NAME_CHARS).replace("&", "&&") if text else "&F"


def header_footer(ws, name: str | None = None) -> None:
    """Set an openpyxl worksheet's header (the case's name, :func:`header_text`; the sheet's name; the file's
    name) and footer (the print date; "Side x af y")."""
    ws.oddHeader.left.text, ws.oddHeader.center.text = header_text(name), HEADER_CENTRE
    ws.oddHeader.right.text = HEADER_RIGHT if name and name.strip() else None  # no name: the file's name stands left
    ws.oddFooter.left.text, ws.oddFooter.center.text = FOOTER_LEFT, FOOTER


def column_pt(width: float | None) -> float:
    """A column's width in points from its width in characters (Excel, Calibri 11: 7 px a digit, 5 px padding)."""
    w = DEFAULT_COLUMN_WIDTH if width is None else width
    return round(w * 7 + 5) * 0.75


def printable(orientation: str) -> tuple[float, float]:
    """Printable width and height (points) of an A4 page in ``orientation`` inside :data:`MARGINS`."""
    w, h = A4_PT if orientation == "portrait" else A4_PT[::-1]
    return w - 72 * (MARGINS["left"] + MARGINS["right"]), h - 72 * (MARGINS["top"] + MARGINS["bottom"])


@dataclass(frozen=True)
class Fit:
    """How a sheet prints: ``orientation``, ``scale`` (≤ 1) and whether it is fitted to one page width
    (``one_wide``; else it is split across pages with the name column repeated)."""

    orientation: str
    scale: float
    one_wide: bool
    one_tall: bool = False


def _percent(x: float) -> float:
    return math.floor(100 * x) / 100  # Excel and LibreOffice scale in whole per cent


def choose_fit(content_pt: float, height_pt: float = 0.0, one_page: bool = False) -> Fit:
    """Portrait, landscape, landscape fitted to one page width, or landscape split across pages (module note).

    ``one_page``: the orientation in which the whole sheet (``content_pt`` wide,
    ``height_pt`` tall) shrinks least to fit one page, fitted to one page.
    """
    if one_page:
        fits = []
        for orientation in ("portrait", "landscape"):
            w, h = printable(orientation)
            fits.append(Fit(orientation, _percent(min(1.0, w / content_pt, HEIGHT_SLACK * h / max(height_pt, 1.0))), True, True))
        return max(fits, key=lambda f: f.scale)
    if content_pt <= printable("portrait")[0]:
        return Fit("portrait", 1.0, True)
    width = printable("landscape")[0]
    if content_pt <= width:
        return Fit("landscape", 1.0, True)
    scale = _percent(width / content_pt)
    if scale >= MIN_SCALE:
        return Fit("landscape", scale, True)
    return Fit("landscape", SPLIT_SCALE, False)


def row_pages(
    heights: Mapping[int, float], last_row: int, title_rows: int, scale: float, orientation: str, manual: Sequence[int] = ()
) -> list[int]:
    """The first row of each page after the first (1-based), splitting rows 1..``last_row`` by height.

    ``heights`` gives rows with an explicit height (points; others
    :data:`DEFAULT_ROW_PT`); ``title_rows`` rows 1..t repeat on every page;
    ``manual`` are rows after which a page break is set (Excel's ``rowBreaks``).
    """
    page = HEIGHT_SLACK * printable(orientation)[1] / scale
    titles = sum(heights.get(r, DEFAULT_ROW_PT) for r in range(1, title_rows + 1))
    starts, used, room, after = [], 0.0, page, set(manual)
    for r in range(1, last_row + 1):
        h = heights.get(r, DEFAULT_ROW_PT)
        if r > 1 and ((r - 1) in after or used + h > room):
            starts.append(r)
            used, room = 0.0, page - titles
        used += h
    return starts


def column_pages(widths_pt: Sequence[float], title_cols: int, fit: Fit) -> list[int]:
    """The first column of each page across after the first (1-based); none when fitted to one page wide."""
    if fit.one_wide:
        return []
    page = printable(fit.orientation)[0] / fit.scale
    titles = sum(widths_pt[:title_cols])
    starts, used, room = [], 0.0, page
    for c, w in enumerate(widths_pt, start=1):
        if c > 1 and used + w > room:
            starts.append(c)
            used, room = titles, page
        used += w
    return starts


def rows_spanned(heights: Mapping[int, float], top: int, height_pt: float) -> int:
    """The last row a drawing ``height_pt`` tall, anchored at the top of row ``top``, reaches."""
    row, y = top, heights.get(top, DEFAULT_ROW_PT)
    while y < height_pt:
        row += 1
        y += heights.get(row, DEFAULT_ROW_PT)
    return row


def crosses(starts: Sequence[int], first: int, last: int) -> bool:
    """Whether a page starts inside rows (or columns) ``first``..``last`` after the first of them."""
    return any(first < s <= last for s in starts)


def keep_together(
    heights: Mapping[int, float], last_row: int, title_rows: int, fit: Fit, blocks: Sequence[tuple[int, int, bool]]
) -> list[int]:
    """Manual row breaks (after row n) so that no block (first row, last row, starts a page) is cut by a page.

    Blocks are taken from the top; where a block that fits on a page would be
    cut, the page breaks just before its first row, and the following pages
    are computed again.  A block marked to start a page always does (unless
    it is at the top): the first chart of a sheet, because where the rows
    above it end depends on how a program rounds row heights (LibreOffice
    draws a row of Calibri 11 12.75 pt high, Excel 15 pt, this model 15 pt),
    and a page that starts at the chart does not.  A sheet on one page needs
    no breaks.
    """
    if fit.one_tall:
        return []
    room = HEIGHT_SLACK * printable(fit.orientation)[1] / fit.scale - sum(heights.get(r, DEFAULT_ROW_PT) for r in range(1, title_rows + 1))
    manual: list[int] = []
    for first, last, new_page in sorted(blocks):
        if first <= title_rows + 1 or (first - 1) in manual:
            continue
        starts = row_pages(heights, max(last_row, last), title_rows, fit.scale, fit.orientation, manual)
        tall = sum(heights.get(r, DEFAULT_ROW_PT) for r in range(first, last + 1))
        if new_page or (crosses(starts, first, last) and tall <= room):
            manual.append(first - 1)
    return sorted(manual)


def page_breaks(
    heights: Mapping[int, float], last_row: int, title_rows: int, fit: Fit, blocks: Sequence[tuple[int, int, bool]]
) -> list[int]:
    """Every page start the model computes, as manual breaks (after row n): :func:`keep_together`'s and the
    automatic ones.  LibreOffice draws rows shorter than the model (and Excel) and, left to break pages itself,
    fits more rows on a page, so the pages drift from the computed ones: Resultat printed the last rows before its
    first chart (which starts a page) alone on a page ("Investors største tab med garanti").  With every break
    set, both programs print the computed pages (each fits, as no program draws rows taller than the model)."""
    manual = keep_together(heights, last_row, title_rows, fit, blocks)
    if fit.one_tall:
        return manual
    starts = row_pages(heights, last_row, title_rows, fit.scale, fit.orientation, manual)
    return sorted(set(manual) | {s - 1 for s in starts})


def apply_fit(ws, fit: Fit) -> None:
    """Set an openpyxl worksheet's paper (A4), orientation, margins and ``fit``: fitted to one page wide
    (and tall when ``one_tall``) below 100 %, or a fixed scale when split across pages."""
    ws.page_setup.orientation = fit.orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = fit.scale < 1 and fit.one_wide
    if fit.scale < 1 and fit.one_wide:
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1 if fit.one_tall else 0
    elif fit.scale < 1:  # split across pages at a fixed scale
        ws.page_setup.scale = round(100 * fit.scale)
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)
