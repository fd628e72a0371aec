"""Writing a :class:`~workbooks.layout.WorkbookLayout` with openpyxl, safely.

:func:`build_workbook` turns a layout and input values into an openpyxl
workbook: styles, defined names (workbook scope), data validation, sheet
protection without password (input cells unlocked), number formats, frozen
panes, column widths, print setup and full recalculation on open.
:func:`workbook_bytes` serialises it deterministically (fixed document
timestamps and zip entry times: two builds of the same input are identical
bytes).  :func:`write_workbook` writes those bytes with
:func:`workbooks.safe_write.write_file`: whole or not at all, an existing
target only with ``overwrite=True`` and then kept as a numbered backup.

Text values are always written as text: one starting with ``=``, ``+``, ``-``
or ``@`` is stored as a string with Excel's quote prefix, never as a formula.
"""

from __future__ import annotations

import io
import math
from copy import copy
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.text import RichText
from openpyxl.comments import Comment
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RichTextProperties
from openpyxl.formatting.rule import FormulaRule, Rule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from udfs.core.errors import SIError
from udfs.core.vocabulary import CURRENCY, in_currency

from .safe_write import backup_path, check_target, write_file  # noqa: F401 - backup_path re-exported
from .layout import (
    DANGEROUS_TEXT_PREFIXES,
    CODES_SHEET,
    HELP_WRAP,
    PRINTED_YEARS,
    TEMPLATE_SHEET,
    CellSpec,
    Input,
    Plan,
    SheetPlan,
    Table,
    Validation,
    WorkbookLayout,
    cell_currency,
    check_value,
    number_text,
    resolve,
    sheet_currency,
    template_rows,
    written_text,
)
from .printing import (
    CM_PT, DEFAULT_ROW_PT, apply_fit, choose_fit, column_pt, header_footer, page_breaks, printable,
    rows_spanned,
)  # fmt: skip
from .styles import apply_role

CHART_WIDTH_CM = 18.0
"""Width of every chart (cm); its height is half a centimetre a row of its block."""
TEXT_CHAR_PT = 5.5
"""Average width of a character of Calibri 11 (points): how far a line of text runs over empty cells."""
DATA_CHAR_PT = 4.4
"""Average width of a character of a wrapped italic data text (a source, a note), points: measured in
LibreOffice's rendering with DejaVu Sans (wider than Calibri 11), a 60-character column holds up to 74
characters a line (4.2 pt); 4.4 keeps a little room, so a row is as tall as its text, not lines taller."""
BOLD_CHAR_PT = 6.5
"""Average width of a character of a bold header (points), a little wide: a header is never cut."""
ROW_PT = {"title": 21.0, "heading": 17.0}
"""Heights (points) of rows holding a title or a heading (their fonts are larger than Calibri 11)."""
DEFAULT_WIDTH = 14.0
"""Column width (characters) of value columns."""
MIN_WIDTH, MAX_WIDTH = 10.0, 50.0
_UNLOCKED = Protection(locked=False)
_CORE_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


# ---------------------------------------------------------------- values


def collect_values(plan: Plan, values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Each input's value: the given one, else its default; typed and validated.

    Raises :class:`SIError` (Danish, naming the input) for an unknown name, a
    series of the wrong length, or a value its validation refuses.
    """
    values = dict(values or {})
    unknown = sorted(set(values) - set(plan.inputs))
    if unknown:
        raise SIError(unknown[0], "er ikke et input i skabelonen")
    out = {name: values.get(name, item.default) for name, (item, _) in plan.inputs.items()}
    for name, (item, ref) in plan.inputs.items():
        out[name] = _checked(plan, item, ref, out[name], out)
    return out


def _checked(plan: Plan, item: Input, ref, value: Any, all_values: Mapping[str, Any]) -> Any:
    options = _list_source_values(item, all_values)
    if item.name not in plan.series:
        return _check_optional(item, value, ref.label(), options)
    value = [None] * len(ref) if value is None else list(value)
    if len(value) != len(ref):
        raise SIError(item.name, f"skal have {len(ref)} værdier, ikke {len(value)}")
    return [_check_optional(item, v, c.label(), options) for v, c in zip(value, ref.cells(), strict=True)]


def _check_optional(item: Input, value: Any, where: str, options) -> Any:
    """A missing value may be left empty for the user to fill in; a given one must be valid."""
    return None if value is None else check_value(item, value, where, options)


def shown_values(plan: Plan, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` as the cells show them: a code as its word where the input has a list of words."""
    out = dict(values)
    for name, (item, _) in plan.inputs.items():
        if item.validation is not None and item.validation.codes:
            word = item.validation.word_of
            out[name] = [word(v) for v in out[name]] if name in plan.series else word(out[name])
    return out


def _list_source_values(item: Input, values: Mapping[str, Any]) -> list | None:
    rule = item.validation
    if rule is None or rule.source is None or rule.source not in values:
        return None
    source = values[rule.source]
    return [v for v in (source if isinstance(source, list) else [source]) if v is not None]


# ---------------------------------------------------------------- cells


def write_text(cell, text: str) -> None:
    """Write ``text`` as a text cell, never as a formula (formula-injection guard)."""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(DANGEROUS_TEXT_PREFIXES):
        cell.quotePrefix = True


def write_value(cell, value: Any) -> None:
    """Write a literal value (text safely, numbers as numbers, ``None`` as empty)."""
    if isinstance(value, str):
        write_text(cell, value)
    else:
        cell.value = value


def _write_cell(ws, spec: CellSpec, values: Mapping[str, Any], styles: dict, currency: str = CURRENCY) -> None:
    """Write one cell, its texts and number format in the case's ``currency`` (:func:`~udfs.core.vocabulary.in_currency`:
    ``Garantiens dækning (kr.)`` is ``Garantiens dækning (USD)`` in a workbook built for USD).  ``styles`` remembers
    each look (role, number format, unlocked, the style the value gave, e.g. a quote prefix) once set up,
    so later cells with that look share its style record instead of hashing every style object
    again (openpyxl's own worksheet copy shares styles the same way)."""
    cell = ws.cell(row=spec.row, column=spec.col)
    currency = cell_currency(spec, currency)
    if spec.formula is not None:
        cell.value = written_text(spec, currency)
    elif spec.input is not None:
        value = values[spec.input]
        write_value(cell, value if spec.index is None else value[spec.index])
    elif spec.value not in (None, ""):
        write_value(cell, written_text(spec, currency))
    shown = in_currency(spec.number_format, currency) if spec.number_format else None  # Katalog's stay in kr.
    look = (spec.role, shown, spec.input is not None, tuple(cell._style or ()))  # with a quote prefix
    if look in styles:
        cell._style = copy(styles[look])
        return
    if spec.input is not None:
        cell.protection = _UNLOCKED
    apply_role(cell, spec.role)
    if shown:
        cell.number_format = shown
    styles[look] = copy(cell._style)


# ---------------------------------------------------------------- sheet features


def _data_validation(rule: Validation, required: bool, prompt: str) -> DataValidation:
    dv = DataValidation(type=rule.kind, allow_blank=not required, showErrorMessage=True, errorStyle="stop")
    dv.errorTitle, dv.error = "Ugyldig værdi", rule.message()
    if prompt:
        dv.promptTitle, dv.prompt, dv.showInputMessage = "Input", prompt[:255], True
    if rule.kind == "list":
        dv.formula1 = rule.source if rule.source else '"' + ",".join(rule.options) + '"'
    else:
        _set_bounds(dv, rule)
    return dv


def _set_bounds(dv: DataValidation, rule: Validation) -> None:
    low, high = rule.minimum, rule.maximum
    if low is not None and high is not None:
        dv.operator, dv.formula1, dv.formula2 = "between", _num(low), _num(high)
    elif low is not None:
        dv.operator, dv.formula1 = "greaterThanOrEqual", _num(low)
    elif high is not None:
        dv.operator, dv.formula1 = "lessThanOrEqual", _num(high)
    else:  # any number of this kind
        dv.operator, dv.formula1, dv.formula2 = "between", "-1E+300", "1E+300"


def _num(x: float) -> str:
    return number_text(x).replace(",", ".")


def _add_validations(ws, plan: Plan, sheet_name: str, currency: str = CURRENCY) -> None:
    for item, ref in plan.inputs.values():
        if ref.sheet == sheet_name and item.validation is not None:
            dv = _data_validation(item.validation, item.required, in_currency(item.help, currency))
            dv.add(ref.coordinate())
            ws.add_data_validation(dv)


def _add_charts(wb: Workbook, ws, plan: Plan, sp: SheetPlan, horizon: Any = None, currency: str = CURRENCY) -> None:
    """Each chart of the sheet, its titles in the case's ``currency``; one :attr:`~workbooks.layout.Chart.over_years`
    draws years 0..``horizon`` − 1 only."""
    for chart_spec, row in sp.charts:
        first = chart_spec.first
        if chart_spec.over_years and _valid_horizon(horizon):
            first = horizon if first is None else min(first, horizon)
        chart = BarChart() if chart_spec.kind in ("bar", "tornado") else LineChart()
        if chart_spec.kind == "tornado":  # horizontal bars, the −X % and +X % bars of a driver on one line
            chart.type, chart.overlap = "bar", 100
            chart.x_axis.scaling.orientation = "maxMin"  # the first category (largest swing) on top
            chart.x_axis.tickLblPos = "low"  # the names left of the bars, not across them
        chart.title, chart.y_axis.title = in_currency(chart_spec.title, currency), in_currency(chart_spec.y_title, currency) or None
        chart.height, chart.width = chart_height_cm(chart_spec), CHART_WIDTH_CM
        chart.x_axis.tickLblPos = "low"  # the years below the plot, also when the values are negative
        if chart_spec.x_title:  # short category labels in a unit: level, not rotated
            chart.x_axis.title = in_currency(chart_spec.x_title, currency)
            chart.legend = None if len(chart_spec.series) == 1 else chart.legend  # one series: its title says it
            level = RichTextProperties(rot=0, vert="horz")
            chart.x_axis.txPr = RichText(bodyPr=level, p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties(sz=800)),
                                                                    endParaRPr=CharacterProperties())])
        for name in chart_spec.series:
            ref = plan.names[name]
            series = Series(_reference(wb, ref, first), title=in_currency(_series_title(plan, name), currency))
            series.smooth = False  # straight lines between the yearly values: a smoothed line overshoots them
            chart.series.append(series)
        if chart_spec.categories:
            chart.set_categories(_reference(wb, plan.names[chart_spec.categories], first))
        ws.add_chart(chart, f"A{row}")


def chart_height_cm(chart_spec) -> float:
    """A chart's height in cm: half a centimetre for each row its block takes."""
    return 0.5 * chart_spec.height_rows


def _series_title(plan: Plan, name: str) -> str:
    for sp in plan.sheets:
        for block in sp.sheet.blocks:
            for item in getattr(block, "items", ()):
                if item.name == name:
                    return item.label
    return name


def _reference(wb: Workbook, ref, first: int | None = None) -> Reference:
    """A named range as a chart reference; with ``first`` only its first cells (along a row or a column)."""
    max_col, max_row = ref.max_col, ref.max_row
    if first is not None and ref.max_row > ref.min_row:
        max_row = min(max_row, ref.min_row + first - 1)
    elif first is not None:
        max_col = min(max_col, ref.min_col + first - 1)
    return Reference(wb[ref.sheet], min_col=ref.min_col, min_row=ref.min_row, max_col=max_col, max_row=max_row)


def _column_widths(ws, sp: SheetPlan, values: Mapping[str, Any] | None = None) -> None:
    """Each column as wide as its longest label, header or text in a table's input column (10–50
    characters; numbers 14), unless the sheet sets its width.  A single input's text runs over the cells
    beside it and does not widen its column (a column of year values)."""
    widths: dict[int, float] = {}
    for spec in sp.cells:
        if spec.sizing:
            value = spec.value
            if spec.input is not None and spec.index is not None and values is not None:  # a table's text column
                value = values[spec.input][spec.index]
            text_len = len(value) + 2 if isinstance(value, str) else DEFAULT_WIDTH
            widths[spec.col] = max(widths.get(spec.col, MIN_WIDTH), min(MAX_WIDTH, text_len))
    for col, width in sorted(widths.items()):
        ws.column_dimensions[get_column_letter(col)].width = width
    for letter, width in sorted(sp.sheet.widths.items()):
        ws.column_dimensions[letter].width = width
    for spec in sp.cells:  # a header wraps at its spaces: its longest word must fit, or it is cut mid-word when printed
        if spec.role == "header" and isinstance(spec.value, str) and spec.value.split():
            dim = ws.column_dimensions[get_column_letter(spec.col)]
            need = max(map(len, spec.value.split())) * HEADER_CHAR_PT + CELL_PADDING_PT
            if column_pt(dim.width) < need:
                dim.width = width_for(need)


HEADER_CHAR_PT = 4.6
"""Points a character of a bold header takes on average for its longest word (LibreOffice's PDF of Overblik: a column
15 wide, 76.5 pt inside its padding, held "Resultatbetaling" (17 characters) and broke "Resultatbetalinge/r" (18),
so 4.25–4.5 pt), with a little room."""
CELL_PADDING_PT = 6.0
"""Points of a cell's width its text cannot use (the padding either side)."""


def width_for(points: float) -> float:
    """The narrowest column width (characters, in steps of 0.5) that is at least ``points`` wide (:func:`column_pt`)."""
    width = 1.0
    while column_pt(width) < points:
        width += 0.5
    return width


LINE_HEIGHT = 15.0
"""Points per line of 11-point text."""


def _row_heights(ws, sp: SheetPlan) -> dict[int, float]:
    """Set the height of rows with a title, a heading, a wrapped table header or a wrapped text, so the page breaks
    computed from them (:mod:`workbooks.printing`) are those printed; returns the explicit heights."""
    heights: dict[int, float] = {}
    for spec in sp.cells:
        if spec.role in ROW_PT:
            heights[spec.row] = max(heights.get(spec.row, 0.0), ROW_PT[spec.role])
        elif spec.role == "header" and isinstance(spec.value, str):
            width = ws.column_dimensions[get_column_letter(spec.col)].width or DEFAULT_WIDTH
            lines = wrapped_lines(spec.value, column_pt(width) - 6, BOLD_CHAR_PT)
            heights[spec.row] = max(heights.get(spec.row, 0.0), 15.0 * min(lines, 6))
        elif spec.role == "data_text" and isinstance(spec.value, str):  # wrapped texts (a source, a note) shown whole
            width = ws.column_dimensions[get_column_letter(spec.col)].width or DEFAULT_WIDTH
            n = sum(wrapped_lines(part, column_pt(width) - 6, DATA_CHAR_PT) for part in spec.value.split("\n"))
            heights[spec.row] = max(heights.get(spec.row, 0.0), LINE_HEIGHT * n)
    for row, height in heights.items():
        ws.row_dimensions[row].height = height
    return heights


def _long_texts(ws, sp: SheetPlan, heights: dict[int, float], page_pt: float, last_col: int) -> bool:
    """Merge each cell giving a long text (:attr:`~workbooks.layout.CellSpec.text_length`) with the cells to
    its right up to the last column of the first printed page (``page_pt`` of content wide, at most
    ``last_col``), wrap it, and make its row as tall as that text needs (``heights`` updated).  Returns
    whether there was one."""
    found = False
    for spec in sp.cells:
        if not spec.text_length or spec.in_table:
            continue
        found = True
        pts = lambda c: 0.0 if ws.column_dimensions[get_column_letter(c)].hidden else column_pt(ws.column_dimensions[get_column_letter(c)].width)  # noqa: E731
        left = sum(pts(c) for c in range(1, spec.col))
        end, room = spec.col, pts(spec.col)
        while end < last_col and left + room + pts(end + 1) <= page_pt:
            end, room = end + 1, room + pts(end + 1)
        if end > spec.col:
            ws.merge_cells(start_row=spec.row, start_column=spec.col, end_row=spec.row, end_column=end)
        cell = ws.cell(spec.row, spec.col)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        for before in range(1, spec.col):  # the label (and an input's value) beside the text's first line
            top = copy(ws.cell(spec.row, before).alignment)
            top.vertical = "top"
            ws.cell(spec.row, before).alignment = top
        if spec.blank_at_build:  # empty as built: the normal height, no white band reserved for a text not shown
            continue
        lines = math.ceil(spec.text_length * TEXT_CHAR_PT / max(room - 6, TEXT_CHAR_PT))
        heights[spec.row] = max(heights.get(spec.row, 0.0), LINE_HEIGHT * lines)
        ws.row_dimensions[spec.row].height = heights[spec.row]
    return found


def _wrap_typed_texts(ws, sp: SheetPlan, heights: dict[int, float], last_col: int) -> bool:
    """Merge a single input holding a text longer than the columns up to ``last_col`` (the case's description, 270
    characters in Job til mor) with the empty cells to its right, wrap it and make its row as tall as it needs
    (``heights`` updated): run over them, it was cut at the print area's edge.  Only where every cell to its right is
    empty (an input's help beside it keeps it in its cell).  Returns whether there was one."""
    found = False
    for spec in sp.cells:
        text = ws.cell(spec.row, spec.col).value if spec.input is not None and spec.index is None else None
        if not isinstance(text, str) or spec.col >= last_col:
            continue
        pts = [column_pt(ws.column_dimensions[get_column_letter(c)].width) for c in range(spec.col, last_col + 1)]
        room = sum(pts) - CELL_PADDING_PT
        if len(text) * TEXT_CHAR_PT <= room or any(ws.cell(spec.row, c).value not in (None, "") for c in range(spec.col + 1, last_col + 1)):
            continue
        found = True
        ws.merge_cells(start_row=spec.row, start_column=spec.col, end_row=spec.row, end_column=last_col)
        cell = ws.cell(spec.row, spec.col)
        wrapped = copy(cell.alignment)
        wrapped.wrap_text, wrapped.vertical = True, "top"
        cell.alignment = wrapped
        label = copy(ws.cell(spec.row, 1).alignment)
        label.vertical = "top"
        ws.cell(spec.row, 1).alignment = label
        heights[spec.row] = max(heights.get(spec.row, 0.0), LINE_HEIGHT * wrapped_lines(text, room, TEXT_CHAR_PT))
        ws.row_dimensions[spec.row].height = heights[spec.row]
    return found


def _wrap_in_columns(ws, sp: SheetPlan, heights: dict[int, float]) -> None:
    """Wrap each table cell giving a long text (:attr:`~workbooks.layout.CellSpec.in_table`) within its column and
    make its row as tall as ``text_length`` characters need there at :data:`TEXT_CHAR_PT`, or an input's text as
    written (``heights`` updated): Enhedspriser's names and sources of the unit prices ran into the next column and
    were cut on paper."""
    for spec in sp.cells:
        if spec.in_table:
            room = column_pt(ws.column_dimensions[get_column_letter(spec.col)].width) - CELL_PADDING_PT
            text = ws.cell(spec.row, spec.col).value
            lines = (0 if spec.blank_at_build else math.ceil(spec.text_length * TEXT_CHAR_PT / room) if spec.text_length
                     else wrapped_lines(text, room, TEXT_CHAR_PT) if isinstance(text, str) and text else 0)
            ws.cell(spec.row, spec.col).alignment = Alignment(wrap_text=True, vertical="top")
            if not lines:  # an empty input or a text blank (short) as built: no height set, as for a text typed later
                continue
            for cell in ws[spec.row]:  # the row's other cells beside the text's first line
                top = copy(cell.alignment)
                top.vertical = "top"
                cell.alignment = top
            heights[spec.row] = max(heights.get(spec.row, 0.0), LINE_HEIGHT * lines)
            ws.row_dimensions[spec.row].height = heights[spec.row]


def _wrap_in_name_column(ws, sp: SheetPlan, heights: dict[int, float]) -> None:
    """On a sheet split into pages across (column A repeated on each page), wrap each text of column A (a
    :class:`~workbooks.layout.Text`) longer than column A within it and make its row as tall as it needs
    (``heights`` updated): run over the empty cells beside it, LibreOffice drew it again in the repeated column
    over the next page's cells (Enhedspriser's note on the index printed »medgjort(kædeår)« over its table)."""
    room = column_pt(ws.column_dimensions["A"].width) - 6
    for spec in sp.cells:
        if spec.col == 1 and not spec.sizing and spec.role in ("text", "note") and isinstance(spec.value, str) \
                and len(spec.value) * TEXT_CHAR_PT > room:
            ws.cell(spec.row, 1).alignment = Alignment(wrap_text=True, vertical="top")
            heights[spec.row] = max(heights.get(spec.row, 0.0), LINE_HEIGHT * wrapped_lines(spec.value, room, TEXT_CHAR_PT))
            ws.row_dimensions[spec.row].height = heights[spec.row]


def wrapped_lines(text: str, width_pt: float, char_pt: float) -> int:
    """Lines ``text`` takes when wrapped at spaces in a cell ``width_pt`` wide (a word longer than a line
    takes the lines it needs)."""
    per_line = max(1, int(width_pt // char_pt))
    lines, used = 1, 0
    for word in text.split():
        need = len(word) if used == 0 else used + 1 + len(word)
        if used and need > per_line:
            lines, need = lines + 1, len(word)
        while need > per_line:  # a word longer than a line spills onto the next
            lines, need = lines + 1, need - per_line
        used = need
    return lines


def _content_width(ws, sp: SheetPlan, hidden: Sequence[int] = ()) -> tuple[float, int]:
    """The printed width (points) of the sheet and its last column: its used columns, the text running
    over empty cells to their right, and its charts (anchored at column A).  A cell of a ``hidden`` row prints
    nothing and does not widen the page (Enhedspriser's own-price columns while its own prices are folded)."""
    folded = set(hidden)
    cells = [spec for spec in sp.cells if spec.row not in folded]
    used = max((spec.col for spec in cells), default=1)
    edges = [0.0]
    for c in range(1, used + 60):
        edges.append(edges[-1] + column_pt(ws.column_dimensions[get_column_letter(c)].width))
    need = edges[used]
    for spec in cells:
        if not spec.sizing and isinstance(spec.value, str):
            need = max(need, edges[spec.col - 1] + len(spec.value) * TEXT_CHAR_PT)
    if sp.charts:
        need = max(need, CHART_WIDTH_CM * CM_PT)
    last = next(c for c in range(1, len(edges)) if edges[c] >= need - 1e-6)
    return need, max(last, used)


def _blocks(sp: SheetPlan, heights: dict[int, float], charts: list[tuple[int, float]], last_row: int) -> list[tuple[int, int, bool]]:
    """What a page should not cut (:func:`workbooks.printing.keep_together`): each chart (the first one
    starts a page) and each section, from a heading to the row before the next heading."""
    blocks = [(top, rows_spanned(heights, top, h), k == 0) for k, (top, h) in enumerate(charts)]
    heads = sorted({spec.row for spec in sp.cells if spec.role == "heading"})
    blocks += [(first, nxt - 1, False) for first, nxt in zip(heads, [*heads[1:], last_row + 1])]
    return blocks


def _valid_horizon(horizon: Any) -> bool:
    return isinstance(horizon, int) and not isinstance(horizon, bool) and horizon >= 1


def _horizon_cut(ws, sp: SheetPlan, width: float, last_col: int, horizon: Any) -> tuple[float, int]:
    """The printed width and last column of a sheet whose year tables (greyed, from column B) are its last
    columns, cut after the ``horizon``'s last year (column H + 1) but never narrower than its charts and the
    help texts beside its inputs.  A sheet with a total column after the years (Resultat) keeps ``last_col``;
    its year columns after the horizon (H + 2 to the last year) are hidden and grouped (outline level 1:
    hidden columns are not printed, and Excel and LibreOffice both print them hidden), so its width is that
    of the columns shown, never narrower than its charts."""
    if not _valid_horizon(horizon) or not sp.greyed:
        return width, last_col
    from openpyxl.utils.cell import range_boundaries

    years_end = max(range_boundaries(coordinate)[2] for coordinate, _ in sp.greyed)
    if last_col > years_end:
        for c in range(horizon + 2, years_end + 1):
            dim = ws.column_dimensions[get_column_letter(c)]
            dim.hidden, dim.outlineLevel = True, 1
        shown = sum(column_pt(ws.column_dimensions[get_column_letter(c)].width) for c in range(1, last_col + 1)
                    if not ws.column_dimensions[get_column_letter(c)].hidden)
        return max(shown, CHART_WIDTH_CM * CM_PT if sp.charts else 0.0), last_col
    if horizon + 1 >= last_col:
        return width, last_col
    edges = [0.0]
    for c in range(1, last_col + 1):
        edges.append(edges[-1] + column_pt(ws.column_dimensions[get_column_letter(c)].width))
    chart = CHART_WIDTH_CM * CM_PT if sp.charts else 0.0
    texts = max((edges[spec.col - 1] + min(len(spec.value), HELP_WRAP) * TEXT_CHAR_PT for spec in sp.cells
                 if not spec.sizing and isinstance(spec.value, str)), default=0.0)  # an input's help text printed whole
    # (a longer one wraps within this width: _long_texts); a text typed into a single input (the case's description)
    # runs over the empty cells beside it and is printed whole too
    typed = max((edges[spec.col - 1] + min(len(ws.cell(spec.row, spec.col).value), HELP_WRAP) * TEXT_CHAR_PT for spec in sp.cells
                 if spec.input is not None and spec.index is None and isinstance(ws.cell(spec.row, spec.col).value, str)),
                default=0.0)  # a longer one wraps within this width too (_wrap_typed_texts)
    texts = max(texts, typed)
    cut = max(horizon + 1, next((c for c in range(1, last_col + 1) if edges[c] >= max(chart, texts) - 1e-6), last_col))
    return edges[cut], cut


def _hide_rows(ws, plan: Plan, sp: SheetPlan) -> list[int]:
    """Hide and group each table's ``hidden`` rows (:attr:`workbooks.layout.Table.hidden`) and of the
    sheet's folded blocks (:attr:`workbooks.layout.Sheet.folded`); returns them."""
    rows = []
    for block in sp.sheet.blocks:
        if isinstance(block, Table) and block.hidden:
            j, first = next((j, item.name) for j, item in enumerate(block.items) if item.name)
            if block.orientation == "rows":  # item k's row: k − j rows below the first named item's
                rows += [plan.names[first].min_row - j + k for k in block.hidden]
                continue
            rows += [plan.names[first].cell(k).min_row for k in block.hidden]
            if len(block.hidden) == len(block.labels):  # nothing shown: no header either
                rows.append(plan.names[first].cell(0).min_row - 1)
    rows += sp.folded
    for row in rows:
        ws.row_dimensions[row].hidden = True
        ws.row_dimensions[row].outlineLevel = 1
    if rows:
        ws.sheet_properties.outlinePr.summaryBelow = False  # the + stands by the table's header, above the hidden rows
    return rows


def _page_setup(ws, sp: SheetPlan, name: str | None, horizon: Any = None, hidden: list[int] = (), drawn: int = 0) -> None:
    """A4, orientation and fit by width, print titles, margins, header and footer, and manual page breaks
    before charts that a page would cut (:mod:`workbooks.printing`); year tables printed up to the ``horizon``
    (:func:`_horizon_cut`); ``hidden`` rows take no height; ``drawn``: the years of the ranges of the charts over
    the years (:func:`_put_printed_years`)."""
    heights = _row_heights(ws, sp)
    _wrap_in_columns(ws, sp, heights)
    heights |= {row: 0.0 for row in hidden}
    width, last_col = _horizon_cut(ws, sp, *_content_width(ws, sp, hidden), horizon)
    charts = [(row, chart_height_cm(spec) * CM_PT) for spec, row in sp.charts]
    last_row = max([ws.max_row, *(rows_spanned(heights, top, h) for top, h in charts)])
    fit = choose_fit(width, sum(heights.get(r, DEFAULT_ROW_PT) for r in range(1, last_row + 1)), sp.sheet.one_page)
    if _long_texts(ws, sp, heights, width if fit.one_wide else printable(fit.orientation)[0] / fit.scale, last_col) \
            | _wrap_typed_texts(ws, sp, heights, last_col):
        fit = choose_fit(width, sum(heights.get(r, DEFAULT_ROW_PT) for r in range(1, last_row + 1)), sp.sheet.one_page)
    if not fit.one_wide:
        _wrap_in_name_column(ws, sp, heights)
    apply_fit(ws, fit)
    title_rows = int(sp.print_rows.split(":")[1]) if sp.print_rows else 0
    if sp.print_rows:
        ws.print_title_rows = sp.print_rows
    ws.print_title_cols = sp.print_cols or "A:A"
    for after in page_breaks(heights, last_row, title_rows, fit, _blocks(sp, heights, charts, last_row)):
        ws.row_breaks.append(Break(id=after))
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    _put_printed_years(ws, sp, last_col, horizon, drawn)
    header_footer(ws, name)


def _put_printed_years(ws, sp: SheetPlan, last_col: int | None, horizon: Any = None, drawn: int = 0) -> None:
    """Write into each formula holding :data:`~workbooks.layout.PRINTED_YEARS` how many year columns (from column B,
    year 0) the print area holds: up to ``last_col`` and not hidden, or all of them (``None``: not printed).  A sheet
    without year tables (Overblik) gets the years its charts draw: of the ``drawn`` years of their ranges, those
    within the ``horizon`` at build (all of them without one)."""
    from openpyxl.utils.cell import range_boundaries

    if sp.greyed:
        years_end = max(range_boundaries(coordinate)[2] for coordinate, _ in sp.greyed)
        printed = sum(1 for c in range(2, min(years_end, last_col or years_end) + 1)
                      if last_col is None or not ws.column_dimensions[get_column_letter(c)].hidden)
    else:  # the years drawn: those of the charts over the years (all of them), cut at the horizon when printed
        printed = min(drawn, horizon) if _valid_horizon(horizon) and last_col is not None else drawn
    for spec in sp.cells:
        if spec.formula is not None and PRINTED_YEARS in spec.formula:
            cell = ws.cell(spec.row, spec.col)  # the formula as written (in the case's currency)
            cell.value = cell.value.replace(PRINTED_YEARS, str(printed))


def _protect(ws) -> None:
    """Sheet protection without password: formulas locked, inputs (unlocked) editable."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # False = allowed: users may widen columns
    ws.protection.formatRows = False


_GREYED_FILL, _GREYED_FONT = PatternFill("solid", start_color="BFBFBF", end_color="BFBFBF"), Font(color="7F7F7F")
"""The look of cells a table's ``greyed`` condition marks (years after the horizon)."""
PERCENT_WHEN_FORMAT = "0.0%"
"""How a cell that holds a share under its condition (:attr:`CellSpec.percent_when`) is shown."""


def _add_percent_formats(ws, sp: SheetPlan) -> None:
    """Conditional formatting: each cell with a per-cent condition is shown as per cent while it holds."""
    for spec in sp.cells:
        if spec.percent_when is not None:
            dxf = DifferentialStyle(numFmt=NumberFormat(numFmtId=200, formatCode=PERCENT_WHEN_FORMAT))
            ws.conditional_formatting.add(ws.cell(spec.row, spec.col).coordinate,
                                          Rule(type="expression", dxf=dxf, formula=[spec.percent_when]))  # fmt: skip


def _write_sheet(
    wb: Workbook, plan: Plan, sp: SheetPlan, values: Mapping[str, Any], styles: dict, name: str | None = None, horizon: Any = None,
    currency: str = CURRENCY,
) -> None:
    ws = wb[sp.sheet.name]
    for spec in sp.cells:
        _write_cell(ws, spec, values, styles, currency)
    _add_percent_formats(ws, sp)
    _add_validations(ws, plan, sp.sheet.name, currency)
    for coordinate, condition in sp.greyed:
        ws.conditional_formatting.add(coordinate, FormulaRule(formula=[condition], fill=_GREYED_FILL, font=_GREYED_FONT))
    _add_charts(wb, ws, plan, sp, horizon, currency)
    drawn = max((len(plan.names[spec.categories]) for spec, _ in sp.charts if spec.over_years and spec.categories), default=0)
    _column_widths(ws, sp, values)
    hidden = _hide_rows(ws, plan, sp)
    if sp.freeze:
        ws.freeze_panes = sp.freeze
    if sp.sheet.hidden or sp.sheet.name == CODES_SHEET:  # a hidden sheet has no print area: LibreOffice prints one that has
        ws.sheet_state = "hidden"
        _put_printed_years(ws, sp, None, drawn=drawn)
    else:
        _page_setup(ws, sp, name, horizon, hidden, drawn)
    _protect(ws)


def _write_template_sheet(wb: Workbook, layout: WorkbookLayout) -> None:
    ws = wb.create_sheet(TEMPLATE_SHEET)
    for row, (key, value) in enumerate(template_rows(layout), start=1):
        write_text(ws.cell(row=row, column=1), key)
        write_value(ws.cell(row=row, column=2), value)
    ws.sheet_state = "hidden"
    _protect(ws)


def _define_names(wb: Workbook, plan: Plan) -> None:
    for name, ref in plan.names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=ref.absolute())


# ---------------------------------------------------------------- the workbook


def build_workbook(
    layout: WorkbookLayout, values: Mapping[str, Any] | None = None, notes: Mapping[str, Mapping[int, str]] | None = None
) -> Workbook:
    """The openpyxl workbook for ``layout`` with the inputs set to ``values``.

    ``values`` maps input names to a scalar (single input) or a list (table
    series); missing inputs take their ``default`` (or stay empty).  ``notes``
    maps input names to ``{position: text}``: a cell comment beside the value
    (a value's source or assumption).
    """
    plan = resolve(layout)
    checked = shown_values(plan, collect_values(plan, values))
    wb = Workbook()
    wb.remove(wb.active)
    for sp in plan.sheets:
        wb.create_sheet(sp.sheet.name)
    styles: dict = {}
    name = checked.get(layout.print_name) if layout.print_name else None
    horizon = checked.get(layout.print_horizon) if layout.print_horizon else None
    currency = checked.get(layout.currency_mark) if layout.currency_mark else None
    currency = currency if isinstance(currency, str) and currency else CURRENCY
    for sp in plan.sheets:
        _write_sheet(wb, plan, sp, checked, styles, name if isinstance(name, str) else None, horizon,
                     sheet_currency(sp.sheet, currency))
    if layout.currency_built:  # the currency the texts are in, for the reader and the workbook's own warning
        ref = plan.names[layout.currency_built]
        write_text(wb[ref.sheet].cell(ref.min_row, ref.min_col), currency)
    _write_template_sheet(wb, layout)
    _define_names(wb, plan)
    _add_notes(wb, plan, notes or {})
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True
    _set_properties(wb, layout)
    return wb


def _add_notes(wb: Workbook, plan: Plan, notes: Mapping[str, Mapping[int, str]]) -> None:
    """Each note as a comment on its input cell (the first cell of a row when no position is given)."""
    for name, texts in notes.items():
        if name not in plan.inputs:
            raise SIError(name, "er ikke et input i skabelonen")
        ref = plan.inputs[name][1]
        block = wb[ref.sheet][ref.coordinate()]
        cells = [c for row in block for c in row] if isinstance(block, tuple) else [block]
        for k, text in texts.items():
            lines = text.count("\n") + 1 + len(text) // 40
            cells[k].comment = Comment(text, "sociale-investeringer", height=min(400, 20 * lines + 20), width=320)


def _set_properties(wb: Workbook, layout: WorkbookLayout) -> None:
    wb.properties.creator = "sociale-investeringer"
    wb.properties.lastModifiedBy = None
    wb.properties.title = layout.template_id
    wb.properties.created = wb.properties.modified = layout.timestamp


def workbook_bytes(
    layout: WorkbookLayout, values: Mapping[str, Any] | None = None, notes: Mapping[str, Mapping[int, str]] | None = None
) -> bytes:
    """The .xlsx file for ``layout``, ``values`` and ``notes`` as bytes, identical for identical input."""
    buffer = io.BytesIO()
    build_workbook(layout, values, notes).save(buffer)
    return normalise_xlsx(buffer.getvalue(), layout)


def normalise_xlsx(data: bytes, layout: WorkbookLayout) -> bytes:
    """Rewrite the zip with fixed entry times and the layout's modification time.

    openpyxl stamps ``docProps/core.xml`` with the time of saving and the zip
    entries with the current time; both are replaced by ``layout.timestamp``.
    """
    stamp = layout.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    date_time = max(layout.timestamp.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            dst.writestr(_zip_info(info.filename, date_time), content)
    return out.getvalue()


def _zip_info(name: str, date_time: tuple) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0o600 << 16
    return info


# ---------------------------------------------------------------- safe writing


def write_workbook(
    layout: WorkbookLayout,
    values: Mapping[str, Any] | None,
    path: str | Path,
    *,
    overwrite: bool = False,
    notes: Mapping[str, Mapping[int, str]] | None = None,
) -> Path:
    """Build the workbook and write it safely to ``path`` (:func:`workbooks.safe_write.write_file`).

    The whole file is built in memory first, so an error while building never
    touches the disk.  With ``overwrite=True`` an existing file is first kept
    as the next numbered backup ``<name>.bakN.xlsx``; no backup is replaced.
    """
    check_target(path, overwrite, "fil", (".xlsx",))
    return write_file(path, workbook_bytes(layout, values, notes), overwrite=overwrite, argument="fil", suffixes=(".xlsx",))
