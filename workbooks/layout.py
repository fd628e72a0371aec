"""A workbook described as data: sheets of blocks, named inputs, formulas against names.

Design note
===========

A :class:`WorkbookLayout` is a template id and version plus a tuple of
:class:`Sheet`; a sheet is a vertical flow of *blocks* written from row 1 down
(row 1 holds the sheet title when there is one, blocks start on row 3).  No
block gives a cell address: :func:`resolve` places them and returns a
:class:`Plan` with the address of every name, which the writer
(:mod:`workbooks.writer`) writes and the reader (:mod:`workbooks.reader`) reads
back.  Column A holds labels, values start in column B.

Blocks:

* ``Heading("Forudsætninger")``, ``Text("En linje vejledning")``, ``Blank()``,
  ``Legend()`` (the colour legend: input cells vs formulas).
* ``Input(name, label, ...)`` one named input cell (label in A, value in B,
  unit in C, help in D).  ``kind`` is ``"number"``, ``"integer"`` or
  ``"text"``; ``validation`` a :class:`Validation`
  (``Validation.one_of("kommune", "stat")``, ``Validation.from_range("ids")``,
  ``Validation.between(0, 1)``, ``Validation.whole(0)``, or
  ``Validation.words({"npi": "Nettoprisindeks"})``: readable words for codes,
  see :meth:`Validation.words`).  Input cells are unlocked and styled as
  inputs; everything else is locked.  ``percent_when`` (on an input or a
  formula) shows the cell as per cent while a condition holds.
* ``Formula(name, label, "=SUM({investering})")`` one computed cell, named
  when ``name`` is given.
* ``Table(name, labels, items, orientation="rows")`` a grid: ``labels`` are
  the column headers (e.g. years) and each item (an ``Input`` or a
  ``Formula``) is one row; with ``orientation="columns"`` the labels are row
  labels and each item is a column.  Each item is a named 1-D range.
* ``Chart(title, series=("netto",), categories="aar")`` a line or bar chart
  of named 1-D ranges.

Formula templates are Excel formulas (English function names, ``,`` as
argument separator, as stored in the file) with placeholders:

* ``{navn}``       the whole named range: ``'Forudsætninger'!$B$5`` (or the
  defined name itself when ``WorkbookLayout.formula_refs == "name"``);
* ``{navn[2]}``    the third cell of a 1-D range (0-based), absolute;
* ``{navn[i]}``    inside a table: the cell of ``navn`` at this item's index
  (same column of a row-oriented table), ``{navn[i-1]}`` the one before;
* ``{i}``          inside a table: the index itself (0, 1, ...), e.g. the year.

References on the same sheet are written without the sheet name.  Braces that
do not hold a lower-case name (Excel array constants such as ``{1,2,3}``) are
left alone.  ``Formula.first`` replaces the formula at index 0 (for running
totals).  Names are lower-case ASCII identifiers (``prisaar``, not
``prisår``) that cannot be read as a cell reference (``aar1`` is cell AAR1 and
is refused); Excel treats names case-insensitively, so must we.

Values are not part of the layout: the writer takes ``{input name: value}``
(a scalar for an ``Input`` block, a list for an input row/column of a table),
falling back to each input's ``default``; the reader returns the same dict.
``WorkbookLayout.dims`` (e.g. ``{"antal_aar": 3}``) and ``meta`` (e.g. the
catalogue version) are stored with the template id and version on the hidden
sheet ``_skabelon`` so that a reader can rebuild the layout of a variable-size
workbook before reading it.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from openpyxl.utils import get_column_letter, quote_sheetname

from udfs.core.checks import per_cent_hint
from udfs.core.danish_numbers import number_from_text
from udfs.core.errors import SIError, did_you_mean
from udfs.core.rounding import whole_number
from udfs.core.validation import MISSING_VALUE, limit_words, per_cent_range, shown as quoted, technical
from udfs.core.vocabulary import CURRENCY, code_for, excel_string, in_currency  # excel_string: the one quoting of a text in a formula

from .styles import INTEGER as INTEGER_FORMAT, LEGEND, ROLES, TEXT

Kind = Literal["number", "integer", "text"]

TEMPLATE_SHEET = "_skabelon"
"""The hidden sheet holding template id, version, meta data and dimensions."""
CODES_SHEET = "_koder"
"""The hidden sheet holding the code of each single input that shows a word (:meth:`Validation.words`)."""
FIXED_TIMESTAMP = _dt.datetime(2020, 1, 1)
"""Default creation/modification time written to the file (for identical builds)."""
FIRST_BLOCK_ROW_WITH_TITLE = 3
PRINTED_YEARS = "§udskrevne_år§"
"""Stands in a formula for the number of year columns the sheet's print area holds (years 0 … n − 1): the print
area is fixed when the workbook is built (:func:`workbooks.writer._horizon_cut`), so the writer puts the number in."""
DANGEROUS_TEXT_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""Text starting with one of these is written as text, never as a formula."""

_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
_A1_LIKE = re.compile(r"^[a-z]{1,3}[0-9]+$")
_R1C1_LIKE = re.compile(r"^(r[0-9]*c?[0-9]*|c[0-9]*)$")
_RESERVED = {"i", "skabelon_id", "skabelon_version"}
_BAD_SHEET_CHARS = set("[]:*?/\\'")
LISTED_OPTIONS = 12
"""A list validation with at most this many options names them all in its message; a longer one names the nearest."""
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?:\[(i(?:[+-][0-9]+)?|[0-9]+)\])?\}")


class LayoutError(ValueError):
    """The layout itself is wrong (a programming error, not a user error)."""


# ---------------------------------------------------------------- description


@dataclass(frozen=True)
class Validation:
    """Data validation of an input: a list of allowed texts, or numeric bounds.

    ``kind`` is ``"list"`` (``options`` given literally, or ``source`` naming a
    range of the layout), ``"decimal"`` or ``"whole"`` (with ``minimum`` and/or
    ``maximum``, inclusive).
    """

    kind: Literal["list", "decimal", "whole"]
    options: tuple[str, ...] = ()
    source: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    codes: tuple[str, ...] = ()
    """With :meth:`words`: the code each of ``options`` (the words shown) stands for."""
    unlisted: Callable[[Any], str | None] | None = None
    """For a list: what to tell the user about a value that is not in it (where else it is known and how to add
    it to the list), or None; said instead of the nearest option."""

    @classmethod
    def one_of(cls, *options: str) -> Validation:
        """A drop-down list of these texts (no commas or quotes, 255 characters in all)."""
        return cls("list", options=tuple(options))

    @classmethod
    def words(cls, vocabulary: Mapping[str, str]) -> Validation:
        """A drop-down list of readable words, each standing for a code (``vocabulary``: code → word).

        The cell shows the word; the reader returns the code and accepts the
        code itself too (workbooks typed before the words).  A single input
        with such a list is named ``<name>_valg``; its name is a cell on the
        hidden sheet :data:`CODES_SHEET` that gives the code, so formulas
        referring to the name get the code.  (In a table the cells hold the
        words; formulas must not compare them with codes.)
        """
        return cls("list", options=tuple(vocabulary.values()), codes=tuple(vocabulary))

    def code_of(self, value: Any, options: Sequence[Any] | None = None) -> Any:
        """The code a word (or the code itself) stands for; any other value unchanged.

        A list's choice is matched as Excel's formulas compare texts (``="ja"``, ``COUNTIF``, ``MATCH``):
        case-insensitively, and returned in its canonical spelling: ``"Ja"`` is ``"ja"``.  A choice with spaces
        around it is refused before (``" ja"`` is not ``"ja"`` to Excel's formulas either, :func:`compared`); a word of a
        list of words (codes) is read by :func:`~udfs.core.vocabulary.code_for`, where the hidden code cell
        does the matching.  ``options``: the allowed values of a list validated from a range.
        """
        if not isinstance(value, str) or self.kind != "list":
            return value
        if self.codes:
            return code_for(dict(zip(self.codes, self.options)), value)
        listed = {o.casefold(): o for o in reversed([o for o in (self.options or options or ()) if isinstance(o, str)])}
        return listed.get(value.casefold(), value)

    def word_of(self, value: Any) -> Any:
        """The word shown for a code; any other value unchanged."""
        return dict(zip(self.codes, self.options)).get(value, value) if isinstance(value, str) else value

    @classmethod
    def from_range(cls, name: str, unlisted: Callable[[Any], str | None] | None = None) -> Validation:
        """A drop-down list of the values in the named range ``name`` (``unlisted``: see :attr:`unlisted`)."""
        return cls("list", source=name, unlisted=unlisted)

    @classmethod
    def between(cls, minimum: float | None = None, maximum: float | None = None) -> Validation:
        """A decimal number within the inclusive bounds (a share: ``between(0, 1)``)."""
        return cls("decimal", minimum=minimum, maximum=maximum)

    @classmethod
    def whole(cls, minimum: float | None = None, maximum: float | None = None) -> Validation:
        """A whole number within the inclusive bounds."""
        return cls("whole", minimum=minimum, maximum=maximum)

    def message(self) -> str:
        """What the user is told (Danish) when a value breaks the rule."""
        if self.kind == "list":
            if self.options:
                return "Vælg en af: " + ", ".join(self.options)
            return "Vælg en værdi fra listen"
        what = "et helt tal" if self.kind == "whole" else "et tal"
        return f"Skal være {what}{bounds_text(self.minimum, self.maximum)}"


@dataclass(frozen=True)
class Input:
    """A named input: one cell on its own row, or one row/column of a :class:`Table`.

    ``default`` is used when the writer gets no value (a scalar, or a sequence
    in a table).  ``unit`` (e.g. ``"kr."``) and ``help`` are shown next to a
    single input; ``help`` is also the cell's input prompt.
    """

    name: str
    label: str
    kind: Kind = "number"
    number_format: str | None = None
    validation: Validation | None = None
    default: Any = None
    unit: str = ""
    help: str = ""
    required: bool = True
    percent_when: str | None = None
    """A condition (formula template without ``=``, e.g. ``{bm1_maal}="andel"``) under which the cell
    holds a share and is shown as per cent (conditional formatting); else ``number_format`` applies."""
    per_cent_by_case: bool = False
    """With ``percent_when``: a per cent typed as text (``20 %``) is passed on as typed, for the case to read by
    the unit of the value (a Monte Carlo driver's: :func:`udfs.core.case_model.driver_number`) or refuse."""
    share_if: tuple[str, str] | None = None
    """The cell holds a share when the choice input named first holds the second (``("bm1_maal", "andel")``: an
    outcome metric measured as a share).  It sets ``percent_when`` (``{bm1_maal}="andel"``), and the reader reads a
    per cent typed as text in the cell (``30 %``) as that share, as in every per-cent cell (:func:`holds_share`)."""
    key: bool = False
    """An id the workbook's formulas look up or compare (``MATCH``, ``=``), like every choice from a list:
    a text with spaces before or after it is refused (:func:`spaces_around`), as the formulas would not find it."""
    label_formula: str | None = None
    """As :attr:`Formula.label_formula`: a label that follows other inputs."""
    wrap: bool = False
    """A table's text input wrapped within its column, each row as tall as the text written at build needs (an own
    price's name and source, which ran into the next column)."""

    def __post_init__(self) -> None:
        if self.share_if is not None and self.percent_when is None:
            name, word = self.share_if
            object.__setattr__(self, "percent_when", f'{{{name}}}="{word}"')


@dataclass(frozen=True)
class Formula:
    """A computed cell (or row/column of a :class:`Table`); ``name`` may be ``None``.

    ``formula`` is a template starting with ``=`` (see the module note);
    ``first`` replaces it at index 0 of a table.
    """

    name: str | None
    label: str
    formula: str
    number_format: str | None = None
    first: str | None = None
    unit: str = ""
    percent_when: str | None = None
    """As :attr:`Input.percent_when`."""
    role: str = "formula"
    """The cell's look (:data:`workbooks.styles.ROLES`), e.g. ``"warning"`` for a red warning text."""
    text_length: int = 0
    """For a formula giving a long text: the characters it may take.  The cell is then merged across the
    printed width and wrapped, its row as tall as that text needs (a sentence not cut at the page edge); in a
    table (``orientation="columns"``), wrapped within its column, each row as tall as that text needs there."""
    blank_at_build: bool = False
    """A long text (``text_length``) that is blank in the workbook as built (a print warning: the horizon at build
    is the one printed): merged and wrapped, but its row keeps the normal height instead of reserving its lines."""
    label_formula: str | None = None
    """A label that follows the inputs: a template starting with ``=`` written in the label cell instead of
    ``label`` (which stays the label the code and the checks name the cell by, and the widest text it gives)."""
    label_length: int = 0
    """For a :attr:`label_formula` that may give a label longer than ``label``: the characters it may take.  The label
    cell then wraps within column A, its row as tall as that text needs (the largest loss's label naming the effect
    with the highest deadweight)."""
    in_kroner: bool = False
    """Its amount is Danish kroner whatever the case's currency (the catalogue's price beside an own price): its
    number format keeps ``kr.``, as on a :attr:`Sheet.in_kroner` sheet."""


@dataclass(frozen=True)
class Formulas:
    """A table row/column whose cells each have their own formula template (``formulas[k]``)."""

    name: str | None
    label: str
    formulas: tuple[str, ...]
    number_format: str | None = None


@dataclass(frozen=True)
class Data:
    """Locked, sourced values (one cell, or one row/column of a :class:`Table`).

    ``values`` holds one value per cell (a 1-tuple for a single block).  Used
    for figures from ``udfs/data`` (indices, discount rates) that formulas
    refer to but users do not edit.
    """

    name: str
    label: str
    values: tuple[Any, ...]
    number_format: str | None = None
    unit: str = ""
    role: str = "data"  # "data_text": long texts wrapped in their column (a source, a note)


@dataclass(frozen=True)
class Heading:
    """A section heading on its own row."""

    text: str


@dataclass(frozen=True)
class Text:
    """A line of text (instructions, notes), not counted for column widths."""

    text: str
    role: str = "text"


@dataclass(frozen=True)
class Blank:
    """Empty rows."""

    rows: int = 1


@dataclass(frozen=True)
class Legend:
    """The colour legend: a sample input cell and a sample formula cell, explained (``roles``: which of
    :data:`~workbooks.styles.LEGEND` to show, e.g. also ``"data"``, sourced data)."""

    roles: tuple[str, ...] = ("input", "formula")


@dataclass(frozen=True)
class Table:
    """A grid of named series sharing one axis of ``labels``.

    ``orientation="rows"``: header row = ``title`` + ``labels`` (e.g. years),
    then one row per item.  ``orientation="columns"``: header row = ``title`` +
    the items' labels, then one row per label.  ``labels_name`` names the
    label cells (for chart categories or lookups).

    ``totals`` names the items (of a row-oriented table) that get one more
    cell after the last label, under the header ``total_label``: the
    template ``total_formula`` with ``{row}`` standing for the item's whole
    series (``=SUM({row})``).  That cell is named ``<item>_i_alt``.

    ``greyed`` is an Excel condition (no ``=``, defined names, evaluated for
    each cell, e.g. ``COLUMN()-2>=horisont``) under which the table's label
    and value cells (not the totals) are shown greyed out: conditional
    formatting, so it follows the inputs it names.
    """

    name: str
    labels: tuple[str, ...]
    items: tuple[Input | Formula | Formulas | Data, ...]
    orientation: Literal["rows", "columns"] = "rows"
    title: str = ""
    labels_name: str | None = None
    totals: tuple[str, ...] = ()
    total_formula: str = "=SUM({row})"
    total_label: str = "I alt"
    greyed: str | None = None
    hidden: tuple[int, ...] = ()
    """Positions of the table's rows the writer hides and groups: of ``labels`` (``orientation="columns"``) or of
    ``items`` (``orientation="rows"``); not printed, shown again with the + in the margin (an outline); with every
    label of a ``"columns"`` table hidden, the header row too.  Only the look: the cells are the same as without."""


@dataclass(frozen=True)
class Chart:
    """A chart of named 1-D ranges, anchored at column A, ``height_rows`` tall.

    ``kind="tornado"`` draws horizontal bars, the series on top of each other
    around 0 (each series a change from a base value).  ``x_title`` names the
    categories' unit (e.g. "mio. kr."): the category labels are then short and
    written level, never rotated (rotated labels squash the plot).  ``first`` limits
    the chart to the first cells of its ranges."""

    title: str
    series: tuple[str, ...]
    categories: str | None = None
    kind: Literal["line", "bar", "tornado"] = "line"
    y_title: str = ""
    x_title: str = ""
    height_rows: int = 15
    first: int | None = None
    """Draw only the first ``first`` cells of each range (a tornado's largest swings); the table keeps them all."""
    over_years: bool = False
    """The ranges are year rows (year 0 first): the writer draws only the years within the horizon at build
    (:attr:`WorkbookLayout.print_horizon`), as the year tables print."""


Block = Heading | Text | Blank | Legend | Input | Formula | Data | Table | Chart


@dataclass(frozen=True)
class Sheet:
    """A worksheet: its name, an optional title (row 1) and its blocks.

    ``freeze`` names a table whose header row and label column stay visible
    (default: the title row); ``widths`` overrides column widths by letter;
    ``one_page`` prints the sheet on one page (shrunk to fit, :mod:`workbooks.printing`);
    ``hidden`` hides a helper sheet (not printed; Excel's "Vis" shows it again);
    ``in_kroner``: its amounts are Danish kroner whatever the case's currency (the catalogue), so its
    formats and texts keep ``kr.`` (:attr:`WorkbookLayout.currency_mark`).
    """

    name: str
    blocks: tuple[Block, ...]
    title: str | None = None
    freeze: str | None = None
    widths: Mapping[str, float] = field(default_factory=dict)
    one_page: bool = False
    hidden: bool = False
    in_kroner: bool = False
    folded: tuple[int, ...] = ()
    """Positions of ``blocks`` whose rows the writer hides and groups (an outline, shown again with the + in the
    margin): not printed while folded, e.g. the empty spare slots kept for typing.  Only the look: the cells are
    the same as without."""
    print_title_only: bool = False
    """Repeat only the title row (not the ``freeze`` table's header) on every printed page: the sheet has other
    tables below, with headers of their own (Enhedspriser's index printed under the unit prices' header)."""


@dataclass(frozen=True)
class WorkbookLayout:
    """The whole workbook: template id and version, sheets, and what is stored with them.

    ``meta`` (texts, e.g. the catalogue version) and ``dims`` (whole numbers,
    e.g. the number of years) go to the hidden ``_skabelon`` sheet.
    ``formula_refs`` chooses how ``{navn}`` is written: ``"address"``
    (``'Ark'!$B$3``) or ``"name"`` (the defined name).  ``print_name`` names
    the input whose value (the case's name) heads every printed page;
    ``print_horizon`` names the input holding the horizon H: a sheet whose year
    tables (``greyed`` tables from column B) are its last columns prints only
    columns A to H + 1, the years within the horizon at build time; one with a
    total column after the years hides and groups the year columns after the
    horizon (and prints the total); a chart ``over_years`` draws years 0..H − 1.  ``currency_mark`` names the
    input holding the currency (ISO 4217): in a workbook for another currency than DKK, every ``kr.`` of the
    layout's texts (labels, headings, help texts, formulas' texts, chart titles) and number formats is written
    as its code (:func:`written_text`).  ``currency_built`` names a ``written`` :class:`Data` cell (blank in the
    layout) where the writer puts the currency the texts were written in, for the reader to compare the labels
    with and the workbook's formulas to tell when the currency input has been changed since.
    """

    template_id: str
    version: str
    sheets: tuple[Sheet, ...]
    meta: Mapping[str, str] = field(default_factory=dict)
    dims: Mapping[str, int] = field(default_factory=dict)
    formula_refs: Literal["address", "name"] = "address"
    timestamp: _dt.datetime = FIXED_TIMESTAMP
    print_name: str | None = None
    print_horizon: str | None = None
    currency_mark: str | None = None
    currency_built: str | None = None


VALUE_ROLES = frozenset({"input", "data", "written", "data_text"})
"""Roles of cells holding values (the user's, sourced data, what sibc wrote), never written in the case's currency;
every other text of the layout (a title, label, heading, header, unit, help text, a formula's texts) is."""


def sheet_currency(sheet: Sheet, currency: str) -> str:
    """The currency ``sheet``'s texts and number formats are written in: the case's ``currency``, or DKK on a sheet
    whose amounts are kroner whatever the case's (:attr:`Sheet.in_kroner`, the catalogue)."""
    return CURRENCY if sheet.in_kroner else currency


def cell_currency(spec: CellSpec, currency: str) -> str:
    """The currency of one cell's texts and number format on a sheet in ``currency``: DKK for a cell in kroner whatever
    the case's (:attr:`Formula.in_kroner`)."""
    return CURRENCY if spec.in_kroner else currency


def written_text(spec: CellSpec, currency: str) -> Any:
    """What the writer writes for ``spec``'s literal value or formula in a sheet in ``currency`` (:func:`sheet_currency`):
    a text of the layout with each ``kr.`` in that currency (:func:`udfs.core.vocabulary.in_currency`), a value
    (:data:`VALUE_ROLES`) as it is.  The reader compares a workbook's labels with the same texts."""
    currency = cell_currency(spec, currency)
    if spec.formula is not None:
        return in_currency(spec.formula, currency)
    if isinstance(spec.value, str) and spec.role not in VALUE_ROLES:
        return in_currency(spec.value, currency)
    return spec.value


# ---------------------------------------------------------------- references


@dataclass(frozen=True)
class Ref:
    """A rectangular range on one sheet (1-based rows and columns); 1-D for names."""

    sheet: str
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    def __len__(self) -> int:
        return (self.max_row - self.min_row + 1) * (self.max_col - self.min_col + 1)

    def cell(self, k: int) -> Ref:
        """The ``k``-th cell (0-based) of a 1-D range."""
        if not 0 <= k < len(self):
            raise IndexError(k)
        if self.min_row == self.max_row:
            return Ref(self.sheet, self.min_row, self.min_col + k, self.min_row, self.min_col + k)
        return Ref(self.sheet, self.min_row + k, self.min_col, self.min_row + k, self.min_col)

    def cells(self) -> list[Ref]:
        """Every cell of a 1-D range, in order."""
        return [self.cell(k) for k in range(len(self))]

    def coordinate(self) -> str:
        """Relative local address without sheet: ``B3`` or ``B3:D3``."""
        first = f"{get_column_letter(self.min_col)}{self.min_row}"
        if len(self) == 1:
            return first
        return f"{first}:{get_column_letter(self.max_col)}{self.max_row}"

    def absolute(self, with_sheet: bool = True) -> str:
        """Absolute address, e.g. ``'Forudsætninger'!$B$3`` or ``$B$3:$D$3``."""
        return _absolute(self, with_sheet)

    def label(self) -> str:
        """How a user finds the cell, e.g. ``Forudsætninger!B3``."""
        return f"{self.sheet}!{self.coordinate()}"


@lru_cache(maxsize=65536)
def _absolute(ref: Ref, with_sheet: bool) -> str:
    """:meth:`Ref.absolute`, remembered: a workbook refers to the same cells many times."""
    local = f"${get_column_letter(ref.min_col)}${ref.min_row}"
    if len(ref) > 1:
        local += f":${get_column_letter(ref.max_col)}${ref.max_row}"
    return f"{quote_sheetname(ref.sheet)}!{local}" if with_sheet else local


# ---------------------------------------------------------------- checks


def check_name(name: str) -> str:
    """Refuse a name Excel cannot hold or would read as a cell reference."""
    if not _NAME_RE.match(name) or len(name) > 60:
        raise LayoutError(f"name {name!r}: use lower-case ASCII letters, digits and _ (at most 60)")
    if _A1_LIKE.match(name) or _R1C1_LIKE.match(name):
        raise LayoutError(f"name {name!r} reads as a cell reference in Excel")
    if name in _RESERVED:
        raise LayoutError(f"name {name!r} is reserved")
    return name


def check_sheet_name(name: str) -> str:
    """Refuse a sheet name Excel does not allow (or that the layout reserves)."""
    if not 0 < len(name) <= 31 or _BAD_SHEET_CHARS & set(name):
        raise LayoutError(f"sheet name {name!r}: 1-31 characters, none of []:*?/\\'")
    if name.lower() in (TEMPLATE_SHEET, CODES_SHEET):
        raise LayoutError(f"sheet name {name!r} is reserved")
    return name


def check_validation(validation: Validation) -> None:
    """Refuse a literal list Excel cannot store (commas, quotes, over 255 characters)."""
    if validation.kind != "list":
        return
    if bool(validation.options) == bool(validation.source):
        raise LayoutError("a list validation needs either options or a source range")
    joined = ",".join(validation.options)
    if any("," in o or '"' in o for o in validation.options) or len(joined) > 255:
        raise LayoutError(f"list options {validation.options!r}: no commas or quotes, 255 characters in all")


# ---------------------------------------------------------------- the plan


@dataclass(frozen=True)
class CellSpec:
    """One cell to write: a literal ``value`` or a resolved ``formula``, with its role.

    Input cells carry ``input`` (the input's name) and ``index`` (``None`` for
    a single input, else the position in its series) instead of a value.
    """

    row: int
    col: int
    role: str
    value: Any = None
    formula: str | None = None
    number_format: str | None = None
    input: str | None = None
    index: int | None = None
    sizing: bool = True
    percent_when: str | None = None
    """The rendered condition (a formula without ``=``) under which the cell is shown as per cent."""
    text_length: int = 0
    """As :attr:`Formula.text_length`."""
    blank_at_build: bool = False
    """As :attr:`Formula.blank_at_build`."""
    in_table: bool = False
    """A cell of a table's column wrapped within its own column (not merged across): a formula with a
    ``text_length``, or an input marked :attr:`Input.wrap` (as tall as its text written at build)."""
    in_kroner: bool = False
    """As :attr:`Formula.in_kroner`: written in kroner whatever the case's currency."""


@dataclass
class SheetPlan:
    """Everything the writer does on one sheet."""

    sheet: Sheet
    cells: list[CellSpec] = field(default_factory=list)
    charts: list[tuple[Chart, int]] = field(default_factory=list)
    freeze: str | None = None
    print_rows: str | None = None
    print_cols: str | None = None
    greyed: list[tuple[str, str]] = field(default_factory=list)
    folded: list[int] = field(default_factory=list)
    """The rows of the sheet's :attr:`Sheet.folded` blocks."""


@dataclass
class Plan:
    """A resolved layout: every name's range, every input, every cell to write."""

    layout: WorkbookLayout
    names: dict[str, Ref] = field(default_factory=dict)
    inputs: dict[str, tuple[Input, Ref]] = field(default_factory=dict)
    sheets: list[SheetPlan] = field(default_factory=list)
    series: set[str] = field(default_factory=set)
    """Names of table rows/columns: their values are lists, not scalars."""
    input_cells: dict[str, str] = field(default_factory=dict)
    """The defined name of an input's cell where it differs from the input's name: a single input with
    :meth:`Validation.words` holds the word in ``<name>_valg``; the name itself is its code (a helper cell)."""
    rendered: dict[tuple[str, int, str], str] = field(default_factory=dict, repr=False, compare=False)
    """Cell references already rendered, by (name, index, sheet written on)."""
    currency: str = CURRENCY
    """The currency the workbook's texts were written in (the reader sets it from the workbook,
    :func:`workbooks.reader.built_currency`): :func:`describe` names a cell by its label as the workbook shows it."""


def resolve(layout: WorkbookLayout, cells: bool = True) -> Plan:
    """Place every block, give every name its address and render every formula.

    With ``cells=False`` only the names are placed (``plan.sheets`` stays
    empty): all a reader needs, without rendering the formulas.  Raises
    :class:`LayoutError` for duplicate or invalid names, unknown placeholders
    and out-of-range indexes.
    """
    plan = Plan(layout)
    _check_layout(layout)
    positions = [_place_sheet(plan, sheet) for sheet in layout.sheets]
    _add_template_names(plan)
    if not cells:
        return plan
    for sheet, rows in zip(layout.sheets, positions, strict=True):
        plan.sheets.append(_plan_sheet(plan, sheet, rows))
    if plan.input_cells:
        plan.sheets.append(_codes_sheet(plan))
    return plan


def _check_layout(layout: WorkbookLayout) -> None:
    seen: set[str] = set()
    for sheet in layout.sheets:
        check_sheet_name(sheet.name)
        if sheet.name.lower() in seen:
            raise LayoutError(f"sheet {sheet.name!r} appears twice")
        seen.add(sheet.name.lower())
    for key in [*layout.meta, *layout.dims]:
        check_name(key)


def _add_name(plan: Plan, name: str, ref: Ref) -> None:
    check_name(name)
    if name in plan.names:
        raise LayoutError(f"name {name!r} is defined twice")
    plan.names[name] = ref


def _add_template_names(plan: Plan) -> None:
    plan.names["skabelon_id"] = Ref(TEMPLATE_SHEET, 1, 2, 1, 2)
    plan.names["skabelon_version"] = Ref(TEMPLATE_SHEET, 2, 2, 2, 2)


def _block_rows(block: Block) -> int:
    if isinstance(block, Blank):
        return block.rows
    if isinstance(block, Legend):
        return len(block.roles)
    if isinstance(block, Chart):
        return block.height_rows
    if isinstance(block, Table):
        return 1 + (len(block.items) if block.orientation == "rows" else len(block.labels))
    return 1


def _place_sheet(plan: Plan, sheet: Sheet) -> list[int]:
    """First pass: the start row of each block, and the names it defines."""
    row = FIRST_BLOCK_ROW_WITH_TITLE if sheet.title else 1
    rows = []
    for block in sheet.blocks:
        rows.append(row)
        _name_block(plan, sheet.name, block, row)
        row += _block_rows(block)
    return rows


def _name_block(plan: Plan, sheet: str, block: Block, row: int) -> None:
    if isinstance(block, Input):
        ref = Ref(sheet, row, 2, row, 2)
        if coded(block):
            plan.input_cells[block.name] = check_name(block.name + WORD_SUFFIX)
            _add_name(plan, block.name + WORD_SUFFIX, ref)
            k = len(plan.input_cells)
            _add_name(plan, block.name, Ref(CODES_SHEET, k, 2, k, 2))
        else:
            _add_name(plan, block.name, ref)
        plan.inputs[block.name] = (block, ref)
    elif isinstance(block, Formula | Data) and block.name:
        _add_name(plan, block.name, Ref(sheet, row, 2, row, 2))
    elif isinstance(block, Table):
        _name_table(plan, sheet, block, row)


def _series_ref(sheet: str, table: Table, row: int, j: int) -> Ref:
    n = len(table.labels)
    if table.orientation == "rows":
        return Ref(sheet, row + 1 + j, 2, row + 1 + j, 1 + n)
    return Ref(sheet, row + 1, 2 + j, row + n, 2 + j)


def _labels_ref(sheet: str, table: Table, row: int) -> Ref:
    n = len(table.labels)
    if table.orientation == "rows":
        return Ref(sheet, row, 2, row, 1 + n)
    return Ref(sheet, row + 1, 1, row + n, 1)


def _name_table(plan: Plan, sheet: str, table: Table, row: int) -> None:
    if not table.labels:
        raise LayoutError(f"table {table.name!r} has no labels")
    check_name(table.name)
    for j, item in enumerate(table.items):
        if item.name is None:
            continue
        ref = _series_ref(sheet, table, row, j)
        if isinstance(item, Data) and len(item.values) != len(table.labels):
            raise LayoutError(f"data {item.name!r} has {len(item.values)} values for {len(table.labels)} labels")
        if isinstance(item, Formulas) and len(item.formulas) != len(table.labels):
            raise LayoutError(f"formulas {item.name!r}: {len(item.formulas)} templates for {len(table.labels)} labels")
        _add_name(plan, item.name, ref)
        plan.series.add(item.name)
        if isinstance(item, Input):
            plan.inputs[item.name] = (item, ref)
    if table.labels_name:
        _add_name(plan, table.labels_name, _labels_ref(sheet, table, row))
    for name, ref in _total_refs(sheet, table, row):
        _add_name(plan, f"{name}_i_alt", ref)


def _total_refs(sheet: str, table: Table, row: int) -> list[tuple[str, Ref]]:
    """(item name, cell) of each total of ``table`` (the column after its labels)."""
    if not table.totals:
        return []
    if table.orientation != "rows":
        raise LayoutError(f"table {table.name!r}: totals need orientation='rows'")
    names = [i.name for i in table.items]
    missing = sorted(set(table.totals) - set(names))
    if missing:
        raise LayoutError(f"table {table.name!r}: totals of unknown items {missing}")
    col = 2 + len(table.labels)
    return [(name, Ref(sheet, row + 1 + names.index(name), col, row + 1 + names.index(name), col)) for name in table.totals]


# ---------------------------------------------------------------- second pass


def _plan_sheet(plan: Plan, sheet: Sheet, rows: list[int]) -> SheetPlan:
    sp = SheetPlan(sheet)
    if sheet.title:
        sp.cells.append(CellSpec(1, 1, "title", value=sheet.title, sizing=False))
    for k, (block, row) in enumerate(zip(sheet.blocks, rows, strict=True)):
        _plan_block(plan, sp, block, row)
        if k in sheet.folded:
            sp.folded += range(row, row + _block_rows(block))
    _plan_freeze(plan, sp, sheet, rows)
    return sp


def _plan_block(plan: Plan, sp: SheetPlan, block: Block, row: int) -> None:
    name = sp.sheet.name
    if isinstance(block, Heading):
        sp.cells.append(CellSpec(row, 1, "heading", value=block.text, sizing=False))
    elif isinstance(block, Text):
        if block.role not in ROLES:
            raise LayoutError(f"text role {block.role!r} is not one of {sorted(ROLES)}")
        sp.cells.append(CellSpec(row, 1, block.role, value=block.text, sizing=False))
    elif isinstance(block, Legend):
        for k, (role, text) in enumerate((r, t) for r, t in LEGEND if r in block.roles):
            sample = {"input": "Input", "formula": "Formel", "data": "Data"}[role]
            sp.cells += [CellSpec(row + k, 1, role, value=sample), CellSpec(row + k, 2, "note", value=text, sizing=False)]
    elif isinstance(block, Input | Formula | Data):
        _plan_single(plan, sp, block, row)
    elif isinstance(block, Table):
        _plan_table(plan, sp, block, row)
    elif isinstance(block, Chart):
        for ref_name in (*block.series, *([block.categories] if block.categories else [])):
            _lookup(plan, ref_name)
        sp.charts.append((block, row))
    elif not isinstance(block, Blank):
        raise LayoutError(f"unknown block {block!r} on sheet {name!r}")


def _plan_single(plan: Plan, sp: SheetPlan, item: Input | Formula | Data, row: int) -> None:
    label_formula = item.label_formula if isinstance(item, (Formula, Input)) else None
    if isinstance(item, Formula) and item.role == "warning" and item.name and not label_formula:
        # a red warning's label shows only while the warning says something: no empty "Advarsel: …" rows on a printed page
        label_formula = f'=IF({{{item.name}}}="","",{excel_string(item.label)})'
    if label_formula:
        length = getattr(item, "label_length", 0)
        sp.cells.append(CellSpec(row, 1, "label", formula=render_formula(plan, label_formula, sp.sheet.name),
                                 text_length=length, in_table=bool(length)))
    else:
        sp.cells.append(CellSpec(row, 1, "label", value=item.label))
    if isinstance(item, Data):
        sp.cells.append(CellSpec(row, 2, item.role, value=item.values[0], number_format=item.number_format))
    elif isinstance(item, Input):
        _check_input(plan, item)
        sp.cells.append(CellSpec(row, 2, "input", number_format=_input_format(item), input=item.name,
                                 percent_when=_percent_when(plan, item, sp.sheet.name, None)))
    else:
        formula = render_formula(plan, item.formula, sp.sheet.name)
        sp.cells.append(CellSpec(row, 2, item.role, formula=formula, number_format=item.number_format,
                                 percent_when=_percent_when(plan, item, sp.sheet.name, None), text_length=item.text_length,
                                 in_kroner=item.in_kroner, blank_at_build=item.blank_at_build))
    if item.unit:
        sp.cells.append(CellSpec(row, 3, "unit", value=item.unit))
    if isinstance(item, Input) and item.help:
        wrapped = len(item.help) if len(item.help) > HELP_WRAP else 0  # a long help wraps over the columns beside it
        sp.cells.append(CellSpec(row, 4, "note", value=item.help, sizing=False, text_length=wrapped))


HELP_WRAP = 80
"""An input's help text (column D) longer than this many characters wraps within the columns beside it, its row as tall
as it needs (:func:`workbooks.writer._long_texts`); run out to the right whole, the guarantor's help (190 characters)
took Forudsætninger's print area to column Q and the sheet printed at 51 %."""


WORD_SUFFIX = "_valg"
"""The defined name of a single input's cell that shows a word for a code (:meth:`Validation.words`)."""


def _codes_sheet(plan: Plan) -> SheetPlan:
    """The hidden sheet :data:`CODES_SHEET`: per single input with words, its label and the formula giving its code."""
    sp = SheetPlan(Sheet(CODES_SHEET, ()))
    for name in plan.input_cells:
        item, ref = plan.inputs[name]
        helper = plan.names[name]
        sp.cells += [CellSpec(helper.min_row, 1, "label", value=f"{ref.label()}: {item.label}"),
                     CellSpec(helper.min_row, 2, "formula", formula=code_formula(item, ref.absolute()))]  # fmt: skip
    return sp


def coded(item: Input) -> bool:
    """Whether the input shows words standing for codes (:meth:`Validation.words`)."""
    return item.validation is not None and bool(item.validation.codes)


def code_formula(item: Input, cell: str) -> str:
    """The helper formula giving the code of the word in ``cell``; a code typed there is kept (any case)."""
    rule = item.validation
    out = cell
    for word, code in reversed(tuple(zip(rule.options, rule.codes))):
        out = f'IF(OR({cell}={excel_string(word)},{cell}={excel_string(code)}),{excel_string(code)},{out})'
    return "=" + out


def _input_format(item: Input) -> str | None:
    """Text inputs are formatted as text, so what a user types there stays text."""
    return item.number_format or (TEXT if item.kind == "text" else None)


def _check_input(plan: Plan, item: Input) -> None:
    if item.validation is None:
        return
    check_validation(item.validation)
    if item.validation.source:
        _lookup(plan, item.validation.source)


def _plan_table(plan: Plan, sp: SheetPlan, table: Table, row: int) -> None:
    sheet = sp.sheet.name
    heads = table.labels if table.orientation == "rows" else tuple(i.label for i in table.items)
    sides = tuple(i.label for i in table.items) if table.orientation == "rows" else table.labels
    sp.cells.append(CellSpec(row, 1, "header", value=table.title))
    sp.cells += [CellSpec(row, 2 + k, "header", value=h) for k, h in enumerate(heads)]
    sp.cells += [CellSpec(row + 1 + k, 1, "label", value=s) for k, s in enumerate(sides)]
    for j, item in enumerate(table.items):
        ref = _series_ref(sheet, table, row, j)
        for k, cell in enumerate(ref.cells()):
            sp.cells.append(_table_cell(plan, sheet, item, cell, k))
    if table.greyed:
        last_row = row + (len(table.items) if table.orientation == "rows" else len(table.labels))
        last_col = 1 + (len(table.labels) if table.orientation == "rows" else len(table.items))
        sp.greyed.append((Ref(sheet, row, 2, last_row, last_col).coordinate(), table.greyed))
    formats = {i.name: i.number_format for i in table.items}
    for k, (name, cell) in enumerate(_total_refs(sheet, table, row)):
        if k == 0:
            sp.cells.append(CellSpec(row, cell.min_col, "header", value=table.total_label))
        formula = render_formula(plan, table.total_formula.replace("{row}", "{" + name + "}"), sheet)
        sp.cells.append(CellSpec(cell.min_row, cell.min_col, "formula", formula=formula, number_format=formats[name]))


def _table_cell(plan: Plan, sheet: str, item: Input | Formula | Formulas | Data, cell: Ref, k: int) -> CellSpec:
    if isinstance(item, Formulas):
        formula = render_formula(plan, item.formulas[k], sheet, index=k)
        return CellSpec(cell.min_row, cell.min_col, "formula", formula=formula, number_format=item.number_format)
    if isinstance(item, Data):  # a text sibc writes into a table (a driver's name in words) wraps within its column
        wrap = item.role == "written" and isinstance(item.values[k], str)
        return CellSpec(cell.min_row, cell.min_col, item.role, value=item.values[k], number_format=item.number_format, in_table=wrap)
    if isinstance(item, Input):
        if k == 0:
            _check_input(plan, item)
        return CellSpec(cell.min_row, cell.min_col, "input", number_format=_input_format(item), input=item.name, index=k,
                        percent_when=_percent_when(plan, item, sheet, k), in_table=item.wrap)
    template = item.first if (k == 0 and item.first) else item.formula
    formula = render_formula(plan, template, sheet, index=k)
    return CellSpec(cell.min_row, cell.min_col, "formula", formula=formula, number_format=item.number_format,
                    percent_when=_percent_when(plan, item, sheet, k), in_kroner=getattr(item, "in_kroner", False),
                    text_length=item.text_length, in_table=bool(item.text_length), blank_at_build=item.blank_at_build)


def _percent_when(plan: Plan, item: Input | Formula, sheet: str, index: int | None) -> str | None:
    """The item's per-cent condition rendered for one cell (without the leading ``=``)."""
    if item.percent_when is None:
        return None
    return render_formula(plan, "=" + item.percent_when, sheet, index=index)[1:]


def _plan_freeze(plan: Plan, sp: SheetPlan, sheet: Sheet, rows: list[int]) -> None:
    if sheet.freeze:
        tables = {b.name: r for b, r in zip(sheet.blocks, rows, strict=True) if isinstance(b, Table)}
        if sheet.freeze not in tables:
            raise LayoutError(f"sheet {sheet.name!r}: freeze names no table on the sheet: {sheet.freeze!r}")
        header = tables[sheet.freeze]
        sp.freeze, sp.print_rows, sp.print_cols = f"B{header + 1}", "1:1" if sheet.print_title_only else f"1:{header}", "A:A"
    elif sheet.title:
        sp.freeze, sp.print_rows = "A2", "1:1"


# ---------------------------------------------------------------- formulas


def _lookup(plan: Plan, name: str) -> Ref:
    try:
        return plan.names[name]
    except KeyError:
        raise LayoutError(f"unknown name {name!r}") from None


def render_formula(plan: Plan, template: str, sheet: str, index: int | None = None) -> str:
    """Replace the placeholders of ``template`` by references (see the module note).

    ``sheet`` is the sheet the formula is written on; ``index`` the position in
    a table series (``None`` outside tables).
    """
    if not template.startswith("="):
        raise LayoutError(f"formula {template!r} must start with '='")
    out = []
    for text, name, sub in _segments(template):
        out.append(text)
        if name is not None:
            out.append(_placeholder(plan, name, sub, sheet, index, template))
    return "".join(out)


@lru_cache(maxsize=4096)
def _segments(template: str) -> tuple[tuple[str, str | None, str | None], ...]:
    """A template split once into (text before, placeholder name, subscript) pieces."""
    pieces, pos = [], 0
    for match in _PLACEHOLDER.finditer(template):
        pieces.append((template[pos : match.start()], match.group(1), match.group(2)))
        pos = match.end()
    pieces.append((template[pos:], None, None))
    return tuple(pieces)


def _placeholder(plan: Plan, name: str, sub: str | None, sheet: str, index: int | None, template: str) -> str:
    if name == "i" and sub is None:
        if index is None:
            raise LayoutError(f"{template!r}: {{i}} is only allowed in a table")
        return str(index)
    ref = _lookup(plan, name)
    if sub is None:
        if plan.layout.formula_refs == "name" and not name.startswith("skabelon_"):
            return name
        return ref.absolute(with_sheet=ref.sheet != sheet)
    k = _subscript(sub, index, template)
    key = (name, k, sheet)
    if key not in plan.rendered:
        if not 0 <= k < len(ref):
            raise LayoutError(f"{template!r}: index {k} is outside {name!r} ({len(ref)} cells)")
        cell = ref.cell(k)
        plan.rendered[key] = cell.absolute(with_sheet=cell.sheet != sheet)
    return plan.rendered[key]


def _subscript(sub: str, index: int | None, template: str) -> int:
    if not sub.startswith("i"):
        return int(sub)
    if index is None:
        raise LayoutError(f"{template!r}: [i] is only allowed in a table")
    return index + (int(sub[1:]) if len(sub) > 1 else 0)


# ---------------------------------------------------------------- values


def template_rows(layout: WorkbookLayout) -> list[tuple[str, Any]]:
    """The key/value rows of the ``_skabelon`` sheet: id, version, meta, ``dim.<key>``."""
    rows: list[tuple[str, Any]] = [("skabelon", layout.template_id), ("version", layout.version)]
    rows += [(k, str(v)) for k, v in layout.meta.items()]
    rows += [(f"dim.{k}", int(v)) for k, v in layout.dims.items()]
    return rows


def number_text(x: float) -> str:
    """A number as a Danish reader writes it: ``0,25``, ``12``, ``-1,5``."""
    if float(x).is_integer():
        return str(int(x))
    return repr(float(x)).replace(".", ",")


def bounds_text(minimum: float | None, maximum: float | None) -> str:
    """Danish text for inclusive bounds, e.g. `` mellem 0 og 1``; a technical limit in words, as every message
    says it (:func:`udfs.core.validation.technical`): `` på mindst 0 (højst 1.000 mia.)``."""
    word = lambda bound: limit_words(bound) if technical(bound) else quoted(bound)  # noqa: E731
    if minimum is not None and not technical(minimum) and technical(maximum):
        return f" på mindst {quoted(minimum)} (højst {limit_words(maximum)})"
    if minimum is not None and maximum is not None:
        return f" mellem {word(minimum)} og {word(maximum)}"
    if minimum is not None:
        return f" på mindst {word(minimum)}"
    if maximum is not None:
        return f" på højst {word(maximum)}"
    return ""


def holds_share(item: Input, raw: Mapping[str, Sequence[tuple[Any, str]]] | None = None, index: int = 0) -> bool:
    """Whether ``item``'s cell holds a share, so that ``30 %``, ``30%`` and ``0,3`` typed as text are all 0.3 and 30 is
    refused saying how to type it: a cell shown in per cent (its number format), or one whose :attr:`Input.share_if`
    choice is made in ``raw`` (the inputs' cells as read, :func:`workbooks.reader.raw_inputs`; the choice's cell at
    ``index`` in a table, else its one cell).  The one rule of the reader for every share cell."""
    if item.number_format and item.number_format.endswith("%"):
        return True
    if item.share_if is None or raw is None or not raw.get(item.share_if[0]):
        return False
    cells = raw[item.share_if[0]]
    chosen = cells[index if index < len(cells) else 0][0]
    return isinstance(chosen, str) and chosen.strip().lower() == item.share_if[1]


def check_value(item: Input, raw: Any, where: str, options: Sequence[Any] | None = None, share: bool | None = None) -> Any:
    """The value of one input cell, typed and validated, or :class:`SIError`.

    ``where`` names the cell for the user (``Forudsætninger!B3``); ``options``
    are the allowed values of a list validated from a range (``None``: not
    checked); ``share``: whether the cell holds a share (:func:`holds_share`; by its number format when not
    given).  Empty gives ``None`` unless the input is required.
    """
    if raw is None or raw == "":
        if item.required:
            raise SIError(item.name, f"{MISSING_VALUE} ({where})" + _choices(item.validation))
        return None
    share = holds_share(item) if share is None else share
    value = _typed(item, raw, where, share)
    if compared(item) and value != value.strip():
        raise SIError(item.name, spaces_around(value, where))
    if item.validation is not None:
        value = item.validation.code_of(value, options)
        _validate(item, value, where, options, share)
    return value


def compared(item: Input) -> bool:
    """Whether the workbook's formulas compare the text of ``item``'s cell as it stands (an id, :attr:`Input.key`,
    or a choice from a list): Excel's ``MATCH``, ``VLOOKUP`` and ``=`` do not ignore spaces around a text."""
    return item.kind == "text" and (item.key or (item.validation is not None and item.validation.kind == "list"))


def spaces_around(text: str, where: str) -> str:
    """The message (Danish) for an id or choice typed with spaces around it, which a cell does not show:
    ``'x' har et mellemrum efter (Effekter!B11), …`` and how to mend it."""
    core = text.strip()
    before, after = len(text) - len(text.lstrip()), len(text) - len(text.rstrip())
    count = lambda n: "et mellemrum" if n == 1 else f"{n} mellemrum"  # noqa: E731
    if before and after:
        spaces = f"{count(before)} før og {count(after)} efter"
    else:
        spaces = f"{count(before)} før" if before else f"{count(after)} efter"
    return (f"{quoted(core)} har {spaces} ({where}), som cellen ikke viser, og så finder regnearkets formler ikke "
            f"{quoted(core)}; skriv {quoted(core)} i cellen igen uden mellemrum")
def _choices(rule: Validation | None) -> str:
    """``: vælg ja eller nej`` for a drop-down list of at most :data:`LISTED_OPTIONS` texts, else nothing."""
    if rule is None or rule.kind != "list" or not rule.options or len(rule.options) > LISTED_OPTIONS:
        return ""
    shown = list(rule.options)
    return ": vælg " + (shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} eller {shown[-1]}")


def _typed(item: Input, raw: Any, where: str, share: bool) -> Any:
    if item.kind == "text":
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise SIError(item.name, f"skal være en tekst, ikke {quoted(raw)} ({where})")
        return raw if isinstance(raw, str) else number_text(raw).replace(",", ".")
    if isinstance(raw, str):
        raw = _number_of_text(item, raw, where, share)
        if isinstance(raw, str):  # a per cent the case reads by its unit (Input.per_cent_by_case)
            return raw
    if isinstance(raw, _dt.date | _dt.time):
        fix = "skriv kun året, fx 2026" if _is_year(item) else "skriv tallet igen (Excel har læst det skrevne som en dato)"
        raise SIError(item.name, f"skal være et tal, ikke {quoted(raw)} ({where}); {fix}")
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise SIError(item.name, f"skal være et tal, ikke {quoted(raw)} ({where})")
    if item.kind == "integer":
        whole = whole_number(raw)  # as Excel counts: =0,29*100 is 29
        if whole is None:
            raise SIError(item.name, f"skal være et helt tal, ikke {quoted(raw)} ({where})")
        return whole
    return float(raw) + 0.0  # + 0.0: a typed -0 is 0


def _is_year(item: Input) -> bool:
    """A calendar year (prisår, startår): a whole number whose lowest allowed value is a year."""
    rule = item.validation
    return item.kind == "integer" and rule is not None and rule.minimum is not None and rule.minimum >= 1000


def _unit_hint(item: Input, share: bool) -> str:
    """How to type a number into ``item``'s cell, for a message (Danish)."""
    if share:
        return "skriv fx 30 % eller 0,3 som tal"
    if _is_year(item):
        return "skriv året som tal, fx 2026"
    if item.number_format and "kr." in item.number_format:
        return "skriv beløbet som tal, fx 1.200.000"
    return "skriv et tal, fx 1,5" if item.kind != "integer" and item.number_format != INTEGER_FORMAT else "skriv et helt tal, fx 12"


_THOUSANDS_ONLY = re.compile(r"\s*[+-]?[1-9]\d{0,2}\.\d{3}\s*")


def _number_of_text(item: Input, text: str, where: str, share: bool) -> float | str:
    """A number typed as text into a number cell (a cell formatted as text, or pasted), read as a Dane types
    it by the project's one reader (:func:`udfs.core.danish_numbers.number_from_text`) where the cell's unit
    makes it unambiguous: ``0,3`` and ``30 %`` in a per-cent cell are 0.3, ``1.200.000`` in a kr. cell is
    1200000.  Refused, saying how to type it: a text that is no number, a per cent in a cell that is not a
    share, and ``1.200`` (a thousands point or a decimal point?) where the cell is neither kr. nor a count."""
    found = number_from_text(text)
    if found is None:
        raise SIError(item.name, f"skal være et tal, ikke {quoted(text)} ({where}); {_unit_hint(item, share)}")
    number, percent = found
    if percent and item.percent_when is not None and item.per_cent_by_case:
        return text
    if percent and not share:
        fix = ("cellen viser kun procent, når målet er en andel: skriv andelen som tal, fx 0,3" if item.percent_when
               else "cellen er ikke en andel: skriv tallet uden %")
        raise SIError(item.name, f"skal være et tal, ikke {quoted(text)} ({where}); {fix}")
    counted = item.kind == "integer" or item.number_format == INTEGER_FORMAT or "kr." in (item.number_format or "")
    if not percent and not counted and _THOUSANDS_ONLY.fullmatch(text):
        english = text.strip().replace(".", ",")
        raise SIError(item.name, f"er tvetydig: {quoted(text)} ({where}) kan være {quoted(float(number))} eller {english}; "
                                 f"skriv {quoted(float(number))} eller {english} som tal")
    return float(number / 100 if percent else number) + 0.0


def _validate(item: Input, value: Any, where: str, options: Sequence[Any] | None, share: bool) -> None:
    rule = item.validation
    if rule.kind == "list":
        allowed = rule.codes or rule.options or options
        if allowed is not None and value not in allowed:
            shown = [str(a) for a in (rule.options or allowed)]
            listed = f"skal være en af: {', '.join(shown)}" if len(shown) <= LISTED_OPTIONS else "skal vælges fra listen"
            hint = (rule.unlisted and rule.unlisted(value)) or did_you_mean(value, shown)
            raise SIError(item.name, f"{listed}; ikke {quoted(value)} ({where})" + (f"; {hint}" if hint else ""))
        return
    low = rule.minimum if rule.minimum is not None else -math.inf
    high = rule.maximum if rule.maximum is not None else math.inf
    if not isinstance(value, int | float) or not low <= value <= high:
        hint = per_cent_hint(value, rule.minimum, rule.maximum) if share else ""
        hint = f"; {hint}" if hint else ""
        range_pc, value_pc = per_cent_range(value, rule.minimum, rule.maximum) if share else ("", "")
        raise SIError(item.name, f"skal være{bounds_text(rule.minimum, rule.maximum)}{range_pc}, "
                                 f"ikke {quoted(value)}{value_pc} ({where}){hint}")
    if rule.kind == "whole" and whole_number(value) is None:
        raise SIError(item.name, f"skal være et helt tal, ikke {quoted(value)} ({where})")


def describe(plan: Plan, name: str, index: int | None = None) -> str:
    """Where a user finds a named cell and what its label says: ``Resultat!C14 (Omkostninger investor, År 0)``.

    ``index`` is the position in a table row or column (its header, e.g. the year, is named too).
    A label that repeats on its sheet (each effect's ``Succesrate``) is told apart by the heading above
    it: ``Effekter!B12 (Effekt 1, Succesrate)``.  An unknown name is returned as it is.
    """
    ref = plan.names.get(name)
    if ref is None:
        return name if index is None else f"{name}[{index}]"
    cell = ref.cell(index) if index is not None and index < len(ref) else ref
    labels = []
    sheets = {sheet.name: sheet for sheet in plan.layout.sheets}
    for sheet in plan.layout.sheets:
        heading, seen = None, [getattr(b, "label", None) for b in sheet.blocks if not isinstance(b, Table)]
        for block in sheet.blocks:
            heading = block.text.split(" (")[0] if isinstance(block, Heading) else heading
            items = block.items if isinstance(block, Table) else (block,)
            for item in items:
                if getattr(item, "name", None) is not None and name in (item.name, plan.input_cells.get(item.name)):
                    if heading and not isinstance(block, Table) and seen.count(item.label) > 1:
                        labels.append(heading)
                    labels.append(item.label)
                    if isinstance(block, Table) and index is not None and index < len(block.labels):
                        labels.append(block.labels[index])
                elif isinstance(block, Table) and item.name in block.totals and name == f"{item.name}_i_alt":
                    labels += [item.label, block.total_label]  # the total after the last label
    shown = in_currency(", ".join(labels), sheet_currency(sheets[cell.sheet], plan.currency)) if cell.sheet in sheets else ", ".join(labels)
    return f"{cell.label()} ({shown})" if labels else cell.label()
