"""Reading a workbook back by the layout that built it.

:func:`read_template_info` opens a file and checks that it is a workbook of
a template (the hidden ``_skabelon`` sheet); :func:`read_inputs` then reads
every input of the layout, typed and validated as the layout says, and
:func:`read_values` reads the computed values of every named cell (those
Excel or LibreOffice stored when saving).  A caller that needs several of
these from one file opens it once with :func:`open_template` and uses
:func:`inputs_of` and :func:`values_of` on the open workbook and its plan.

Inputs are found by their defined names in the file, and each name must
point exactly where the template puts it (the sheets are protected, so rows
cannot be inserted); a name that is missing or points elsewhere is refused.
The file is checked against zip bombs before it is unpacked (:func:`check_archive`).  Every refusal is an
:class:`~udfs.core.errors.SIError` with a Danish message, and the file is
only read, never written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from udfs.core.errors import SIError, excerpt, nearest

from .archive import check_archive, check_file  # noqa: F401 - check_archive is part of this module's interface

from udfs.core.vocabulary import CURRENCY, in_currency

from .layout import (
    TEMPLATE_SHEET, CellSpec, Input, Plan, Ref, WorkbookLayout, check_value, describe, holds_share, number_text, resolve, sheet_currency,
    written_text,
)  # fmt: skip

NEW_WORKBOOK = "lav en projektmappe med sibc build case.yaml -o case.xlsx (eller sibc build blank -o ny.xlsx) og skriv tallene i den"
"""How to get a workbook sibc can read, for a refused file (Danish)."""

_RANGE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]+\$?[0-9]+(?::\$?[A-Z]+\$?[0-9]+)?)$")


@dataclass(frozen=True)
class TemplateInfo:
    """What the ``_skabelon`` sheet of a file says: id, version, meta texts, dimensions."""

    template_id: str
    version: str
    meta: dict[str, str] = field(default_factory=dict)
    dims: dict[str, int] = field(default_factory=dict)


LayoutSource = WorkbookLayout | Callable[[TemplateInfo], WorkbookLayout]
"""A layout, or a function giving the layout for a file's template info (variable size)."""


# ---------------------------------------------------------------- opening


def open_workbook(path: str | Path, data_only: bool = False) -> Workbook:
    """Open an .xlsx file for reading, or refuse it with a Danish message.

    The one place a workbook file is opened.  Before openpyxl reads anything,
    :func:`check_archive` bounds the file and its zip content; openpyxl then
    parses the XML with defusedxml (no entity expansion, no external entities).
    The file is only read, never written.
    """
    path = check_file(path)
    try:
        return load_workbook(path, data_only=data_only, keep_links=False)
    except Exception as exc:  # openpyxl raises zip, XML and key errors alike
        raise SIError("fil", f"'{excerpt(path.name)}' kan ikke åbnes som Excel-projektmappe (.xlsx)") from exc


MEASUREMENT_SHEET = "Måling"
"""The sheet of the measurement report (``sibc maal -o``, :mod:`workbooks.measurement_sheet`)."""
PORTFOLIO_SHEET = "Portefølje"
"""The sheet of the portfolio workbook (``sibc portefoelje --xlsx``, :mod:`workbooks.portfolio_out`)."""
OTHER_WORKBOOKS: dict[str, str] = {
    MEASUREMENT_SHEET: "en målerapport (skrevet af sibc maal -o)",
    PORTFOLIO_SHEET: "en porteføljeoversigt (skrevet af sibc portefoelje --xlsx)",
}
"""sibc's own workbooks that are no project workbook, by their sheet: what the file is (Danish)."""


def template_info(wb: Workbook, filename: str) -> TemplateInfo:
    """The template id, version, meta and dims stored in an open workbook; a workbook sibc wrote that is no
    project workbook (:data:`OTHER_WORKBOOKS`) is refused saying what it is."""
    if TEMPLATE_SHEET not in wb.sheetnames:
        kind = next((what for sheet, what in OTHER_WORKBOOKS.items() if wb.sheetnames == [sheet]), None)
        if kind is not None:
            raise SIError("fil", f"'{filename}' er {kind}, ikke en projektmappe: sibc tjek og sibc udtraek læser kun "
                                 "projektmapper bygget med sibc byg (fx sibc byg case.yaml -o case.xlsx)")
        raise SIError("fil", f"'{filename}' er ikke lavet med sibc build (skabelonen), så den kan ikke læses; {NEW_WORKBOOK}")
    rows = {}
    for key, value in wb[TEMPLATE_SHEET].iter_rows(min_col=1, max_col=2, values_only=True):
        if isinstance(key, str):
            rows[key] = value
    if not rows.get("skabelon") or rows.get("version") is None:
        raise SIError("fil", f"'{filename}' er ikke lavet med sibc build (skabelonen: dens id eller version mangler); {NEW_WORKBOOK}")
    return _info_from_rows(rows, filename)


def _info_from_rows(rows: dict[str, Any], filename: str) -> TemplateInfo:
    meta, dims = {}, {}
    for key, value in rows.items():
        if key.startswith("dim."):
            if isinstance(value, bool) or not isinstance(value, int | float) or not float(value).is_integer():
                raise SIError("fil", f"'{filename}': dimensionen {key[4:]} er ikke et helt tal")
            dims[key[4:]] = int(value)
        elif key not in ("skabelon", "version"):
            meta[key] = "" if value is None else str(value)
    return TemplateInfo(str(rows["skabelon"]), str(rows["version"]), meta, dims)


def read_template_info(path: str | Path) -> TemplateInfo:
    """Open ``path`` and return its template info; refuse files that are not a template's."""
    return template_info(open_workbook(path), Path(path).name)


def check_template(info: TemplateInfo, layout: WorkbookLayout, filename: str) -> None:
    """Refuse a file of another template, another version or other dimensions."""
    if info.template_id != layout.template_id:
        raise SIError("fil", f"'{filename}' er lavet med skabelonen '{info.template_id}', ikke '{layout.template_id}'")
    if info.version != layout.version:
        raise SIError(
            "fil",
            f"'{filename}' har skabelonversion {info.version}, som dette program ikke kan læse (kender version {layout.version}); "
            "åbn den med den version af sibc, der lavede den, kør sibc extract for at få casen som case-fil, "
            "og byg projektmappen igen med denne version (sibc build)",
        )
    for key, expected in layout.dims.items():
        if info.dims.get(key) != expected:
            raise SIError("fil", f"'{filename}' har {key} = {info.dims.get(key)}, skabelonen forventer {expected}")


def _layout_for(source: LayoutSource, info: TemplateInfo) -> WorkbookLayout:
    return source if isinstance(source, WorkbookLayout) else source(info)


def open_template(path: str | Path, source: LayoutSource, data_only: bool = False) -> tuple[Workbook, TemplateInfo, Plan]:
    """Open ``path`` once: the workbook, its template info and the resolved plan of its layout
    (refusing a file of another template, version or size)."""
    wb = open_workbook(path, data_only=data_only)
    info = template_info(wb, Path(path).name)
    layout = _layout_for(source, info)
    check_template(info, layout, Path(path).name)
    plan = resolve(layout, cells=False)
    plan.currency = built_currency(wb, plan) or CURRENCY  # messages name the labels as the workbook shows them
    return wb, info, plan


def _open_checked(path: str | Path, source: LayoutSource, data_only: bool) -> tuple[Workbook, Plan]:
    wb, _, plan = open_template(path, source, data_only)
    return wb, plan


# ---------------------------------------------------------------- cells by name


def named_cells(wb: Workbook, name: str, expected: Ref) -> list:
    """The cells of the defined name ``name`` in the file, in order (a 1-D range).

    The name must point exactly where the template puts it (``expected``):
    a missing name, one on another sheet or one re-pointed to other cells is
    refused before any cell is read, so a name covering a whole sheet costs
    nothing.
    """
    dn = wb.defined_names.get(name)
    match = _RANGE.match(dn.attr_text) if dn is not None else None
    if match is None:
        raise SIError(name, "navnet mangler i projektmappen eller peger ikke på celler (er arket ændret?)")
    sheet = (match.group(1) or "").replace("''", "'") or match.group(2)
    where = f"{excerpt(sheet)}!{match.group(3).replace('$', '')}"
    if sheet != expected.sheet or match.group(3).replace("$", "") != expected.coordinate():
        raise SIError(name, f"navnet peger på {where}, men skabelonen placerer det i {expected.label()} (er navnet eller arket ændret?)")
    if sheet not in wb.sheetnames:  # the sheet, not the name, is what the user renamed or deleted
        renamed = nearest(sheet, [s for s in wb.sheetnames if s not in _template_sheets(wb)], 1)
        hint = f"omdøb arket '{excerpt(renamed[0])}' til '{excerpt(sheet)}' igen" if renamed else f"giv arket navnet '{excerpt(sheet)}' igen, eller byg projektmappen igen (sibc build)"
        raise SIError(f"arket {excerpt(sheet)}", f"mangler i projektmappen (omdøbt eller slettet?); {hint}")
    block = wb[sheet][expected.coordinate()]
    return [c for row in block for c in row] if isinstance(block, tuple) else [block]


def _template_sheets(wb) -> set[str]:
    """The sheet names the workbook's defined names point to (the template's sheets)."""
    out = set()
    for dn in wb.defined_names.values():
        match = _RANGE.match(dn.attr_text or "")
        if match:
            out.add((match.group(1) or "").replace("''", "'") or match.group(2))
    return out


def _where(cell) -> str:
    return f"{cell.parent.title}!{cell.coordinate}"


def _cell_value(cell, cached: Callable[[], Workbook]) -> Any:
    """A cell's value; for a formula typed into an input cell, the value Excel saved
    (``cached()`` gives the file opened for its saved values)."""
    if cell.data_type != "f":
        return cell.value
    value = cached()[cell.parent.title][cell.coordinate].value
    if value is None:
        raise SIError("fil", f"{_where(cell)} indeholder en formel uden gemt værdi; åbn og gem projektmappen i Excel")
    return value


# ---------------------------------------------------------------- reading


def read_inputs(path: str | Path, layout: LayoutSource) -> dict[str, Any]:
    """Every input of ``layout`` read from ``path``: ``{name: value}`` (lists for table series).

    Values are typed (``number`` → float, ``integer`` → int, ``text`` → str)
    and validated by the layout's rules; empty optional inputs are ``None``.
    """
    wb, plan = _open_checked(path, layout, data_only=False)
    return inputs_of(wb, plan, path)


def inputs_of(wb: Workbook, plan: Plan, path: str | Path) -> dict[str, Any]:
    """:func:`read_inputs` on a workbook already open (with formulas) from ``path``.

    The file is opened a second time, for its saved values, only when an input
    cell holds a formula.
    """
    return checked_inputs(plan, raw_inputs(wb, plan, path))


def raw_inputs(wb: Workbook, plan: Plan, path: str | Path) -> dict[str, list[tuple[Any, str]]]:
    """Every input's cells as they stand, unchecked: ``{name: [(value, "Ark!B3"), …]}``."""
    saved: list[Workbook] = []

    def cached() -> Workbook:
        if not saved:
            saved.append(open_workbook(path, data_only=True))
        return saved[0]

    return {name: _raw_input(wb, cached, plan, name) for name in plan.inputs}


def checked_inputs(plan: Plan, raw: Mapping[str, list[tuple[Any, str]]], optional: set[tuple[str, int]] = frozenset()) -> dict[str, Any]:
    """:func:`raw_inputs` typed and validated (see :func:`read_inputs`); the cells in ``optional``,
    ``(name, index)``, may be empty even where the input is required (a slot not in use).

    Every cell is checked: the first refusal is raised carrying all the others
    (:attr:`~udfs.core.errors.SIError.others`, each with its cell), in the workbook's order."""
    out, errors = gathered_inputs(plan, raw, optional)
    if errors:
        raise errors[0].with_others(errors[1:])
    return out


def gathered_inputs(
    plan: Plan, raw: Mapping[str, list[tuple[Any, str]]], optional: set[tuple[str, int]] = frozenset()
) -> tuple[dict[str, Any], list[SIError]]:
    """:func:`checked_inputs` without raising: the values (``None`` in each refused cell) and every refusal,
    each with its cell, in the workbook's order (so the case can still be read for its other errors)."""
    out, errors = {}, []
    for name in plan.inputs:
        try:
            out[name] = _checked_input(plan, name, raw, optional, errors)
        except SIError as err:
            errors.append(err)
            out[name] = None
    return out, errors


def notes_of(wb: Workbook, plan: Plan) -> dict[str, dict[int, str]]:
    """The cell comments on the inputs: ``{name: {position: text}}`` (a value's source, see :func:`workbooks.standard.with_notes`)."""
    out: dict[str, dict[int, str]] = {}
    for name, (_, ref) in plan.inputs.items():
        for k, cell in enumerate(named_cells(wb, plan.input_cells.get(name, name), ref)):
            if cell.comment is not None and cell.comment.text:
                out.setdefault(name, {})[k] = cell.comment.text
    return out


def _raw_input(wb: Workbook, cached: Callable[[], Workbook], plan: Plan, name: str) -> list[tuple[Any, str]]:
    _, ref = plan.inputs[name]
    return [(_cell_value(c, cached), _where(c)) for c in named_cells(wb, plan.input_cells.get(name, name), ref)]


def _checked_input(
    plan: Plan, name: str, raw: Mapping[str, list[tuple[Any, str]]], optional: set[tuple[str, int]], errors: list[SIError] | None = None
) -> Any:
    """One input's cells typed and validated; a refused cell is appended to ``errors`` (when given, so every
    cell of a row is checked) or raised, remembering the cell so the caller can name it as the user finds it
    (:func:`cell_error`)."""
    item, _ = plan.inputs[name]
    options = _options(item, raw)
    loose = replace(item, required=False)
    values = []
    for k, (value, where) in enumerate(raw[name]):
        try:
            values.append(check_value(loose if (name, k) in optional else item, value, where, options, holds_share(item, raw, k)))
        except SIError as err:
            err.cell = (plan.input_cells.get(name, name), k if len(raw[name]) > 1 or name in plan.series else None, where)
            if errors is None:
                raise
            errors.append(err)
            values.append(None)
    return values if name in plan.series else values[0]


def cell_error(plan: Plan, err: SIError) -> SIError:
    """``err`` raised by :func:`checked_inputs` named as the user finds the cell: sheet, cell and label
    (``Fejl i Effekter!B12 (Effekt 1, Succesrate): …``, see :func:`workbooks.layout.describe`); other errors unchanged."""
    cell = getattr(err, "cell", None)
    if cell is None:
        return err
    name, index, where = cell
    return SIError(describe(plan, name, index), err.message.replace(f" ({where})", ""))


def _options(item: Input, raw: Mapping[str, list[tuple[Any, str]]]) -> list | None:
    rule = item.validation
    if rule is None or rule.source is None or rule.source not in raw:
        return None
    # a source cell with spaces around its id is refused at that cell (layout.compared), not the cells choosing from it
    return [value.strip() if isinstance(value, str) else value for value, _ in raw[rule.source] if value not in (None, "")]


def read_values(path: str | Path, layout: LayoutSource, names: list[str] | None = None) -> dict[str, Any]:
    """The saved values of named cells (inputs and formulas), as stored by the last
    program that calculated the file (Excel, LibreOffice); ``None`` where none is stored.
    """
    wb, plan = _open_checked(path, layout, data_only=True)
    return values_of(wb, plan, names)


def values_of(wb: Workbook, plan: Plan, names: list[str] | None = None) -> dict[str, Any]:
    """:func:`read_values` on a workbook already open (``data_only=True``) and its plan."""
    wanted = names if names is not None else [n for n in plan.names if not n.startswith("skabelon_")]
    out = {}
    for name in wanted:
        if name not in plan.names:
            raise SIError(name, "er ikke et navn i skabelonen")
        cells = named_cells(wb, name, plan.names[name])
        values = [c.value for c in cells]
        out[name] = values if len(plan.names[name]) > 1 or name in plan.series else values[0]
    return out


# ---------------------------------------------------------------- rows deleted or inserted


def check_rows(wb: Workbook, plan: Plan) -> None:
    """Refuse a workbook whose rows or columns were deleted or inserted: each input's label cell (column A
    of its row; for a column of a table, its header and the row labels in column A) must hold the
    template's label.  Otherwise values stand beside other labels than the template's — a cost line's
    amounts under another payer — and would be read silently into the wrong place.  (Excel moves the
    defined names with a deleted row, which :func:`named_cells` refuses; other programs, openpyxl among
    them, leave the names where they were.)  ``plan`` may be resolved without cells.  The labels are compared
    as written in the workbook's currency at build (:func:`built_currency`)."""
    expected: dict[tuple[str, int, int], str] = {}
    built = built_currency(wb, plan) or CURRENCY
    for sheet in plan.layout.sheets:
        shown = lambda text: in_currency(str(text), sheet_currency(sheet, built))  # noqa: E731
        for block in sheet.blocks:
            items = [(block, None)] if isinstance(block, Input) else \
                [(i, block) for i in getattr(block, "items", ()) if isinstance(i, Input)]
            for item, table in items:
                ref = plan.inputs[item.name][1]
                if table is None or table.orientation == "rows":
                    expected[(sheet.name, ref.min_row, 1)] = shown(item.label)
                else:
                    expected[(sheet.name, ref.min_row - 1, ref.min_col)] = shown(item.label)
                    expected |= {(sheet.name, ref.min_row + k, 1): shown(label) for k, label in enumerate(table.labels)}
    for (sheet, row, col), label in expected.items():
        if sheet not in wb.sheetnames:
            continue  # a missing sheet is refused where its inputs are read (named_cells)
        cell = wb[sheet].cell(row, col)
        if cell.data_type != "f" and str(cell.value or "").strip() != str(label).strip():
            found = "en tom celle" if cell.value in (None, "") else f"»{excerpt(cell.value)}«"
            raise SIError(f"arket {excerpt(sheet)}, række {row}",
                          f"{cell.coordinate} skulle hedde »{excerpt(label)}«, men der står {found}: en række er slettet eller "
                          "indsat, så tal står ud for forkerte overskrifter. Fortryd ændringen, eller byg regnearket igen")


def built_currency(wb: Workbook, plan: Plan) -> str | None:
    """The currency (ISO 4217 code) the workbook's texts and number formats were written in when it was built, from
    its cell :attr:`~workbooks.layout.WorkbookLayout.currency_built`; None where the layout keeps none or the
    workbook was built before it did (its texts then say kr.)."""
    name = plan.layout.currency_built
    ref = plan.names.get(name) if name else None
    if ref is None or ref.sheet not in wb.sheetnames:
        return None
    value = wb[ref.sheet].cell(ref.min_row, ref.min_col).value
    return value if isinstance(value, str) and re.fullmatch(r"[A-Z]{3}", value) else None


# ---------------------------------------------------------------- cells outside the inputs


STRAY_KINDS = {
    "uden_input": "ingen inputcelle her",
    "over_formel": "skrevet over en formel",
    "over_tekst": "skrevet over skabelonens tekst",
    "andet_ark": "arket hører ikke til skabelonen",
    "efter_horisont": "efter tidshorisonten: indgår ikke; forlæng horisonten eller slet værdien",
    "over_beregnet": "skrevet over en værdi, som sibc beregnede ved opbygningen",
    "tal_som_tekst": "et tal skrevet som tekst: sibc læser det, men regnearkets egne formler regner ikke med tekst "
                     "(#VALUE! eller 0); skriv tallet igen i cellen, så Excel gemmer det som tal",
}
"""How each kind of stray cell is described to the user (Danish)."""


@dataclass(frozen=True)
class StrayCell:
    """A non-empty cell that is not one of the template's inputs: its value is not part of the case.

    ``kind`` is a key of :data:`STRAY_KINDS`: typed where the template has no
    cell (``uden_input``), typed over a formula (``over_formel``) or over the
    template's own text or data (``over_tekst``), or on a sheet the template
    does not have (``andet_ark``); or an input's year after the case's horizon
    (``efter_horisont``).  ``tal_som_tekst`` is an input cell, part of the case,
    whose number is stored as text (``'30 %'`` in a cell formatted as text):
    sibc reads it (``now`` holds the number read), the workbook's formulas cannot.
    """

    sheet: str
    coordinate: str
    value: Any
    kind: str
    where: str = ""
    """Sheet, cell and label (``Følsomhed!F46 (Nutidsværdi ved −10 %, 1)``) of a value sibc wrote (``over_beregnet``)."""
    now: Any = None
    """For ``over_beregnet``: the value sibc computes now for the case the workbook holds."""

    def danish(self) -> str:
        """One line for the user, e.g. ``Resultat!N7: 1234 (skrevet over en formel)``."""
        if self.kind == "tal_som_tekst":
            return (f"{self.where or excerpt(self.sheet) + '!' + self.coordinate}: {_shown(self.value)} læses som "
                    f"{_figure(self.now)} ({STRAY_KINDS[self.kind]})")
        if self.kind == "over_beregnet":
            return (f"{self.where or excerpt(self.sheet) + '!' + self.coordinate}: {_figure(self.value)} ({STRAY_KINDS[self.kind]}; "
                    f"sibc beregner nu {_figure(self.now)}; byg regnearket igen med sibc extract og sibc build)")
        return f"{excerpt(self.sheet)}!{self.coordinate}: {_shown(self.value)} ({STRAY_KINDS[self.kind]})"


def _figure(value: Any) -> str:
    """A value sibc wrote, or one typed over it, as Danish text: amounts with thousands points and up to four decimals."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.4f}".replace(",", "X").replace(".", ",").replace("X", ".").rstrip("0").rstrip(",")
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 10_000:  # a year stays 2031
        return f"{value:,.0f}".replace(",", ".")
    return _shown(value)


def _shown(value: Any) -> str:
    if value is None:
        return "ingen værdi"
    return number_text(value) if isinstance(value, int | float) and not isinstance(value, bool) else repr(excerpt(str(value)))


def stray_cells(wb: Workbook, layout: WorkbookLayout) -> list[StrayCell]:
    """Every non-empty cell of ``wb`` (opened with formulas) that ``layout`` has no input for, in sheet order.

    Input cells are read by :func:`inputs_of`; a formula cell still holding a
    formula, and a label or data cell still holding the template's value, are
    the template's own.  Everything else is returned: nothing a user typed is
    dropped without a word.  The hidden ``_skabelon`` sheet is the template's.
    """
    plan = resolve(layout)
    known = {sp.sheet.name: {(c.row, c.col): c for c in sp.cells} for sp in plan.sheets}
    built = built_currency(wb, plan) or CURRENCY
    currencies = {sp.sheet.name: sheet_currency(sp.sheet, built) for sp in plan.sheets}
    out = []
    for ws in wb.worksheets:
        if ws.title == TEMPLATE_SHEET:
            continue
        specs = known.get(ws.title)
        for (row, col), cell in sorted(ws._cells.items()):  # only the cells the file holds (a sparse sheet stays cheap)
            if cell.value is None or cell.value == "":
                continue
            spec = specs.get((row, col)) if specs is not None else None
            if spec is not None and spec.input is not None and isinstance(cell.value, str):
                number = _number_as_text(plan, spec, cell.value, f"{ws.title}!{cell.coordinate}", wb)
                if number is not None:
                    out.append(StrayCell(ws.title, cell.coordinate, cell.value, "tal_som_tekst",
                                         describe(plan, spec.input, spec.index), number))
                continue
            kind = "andet_ark" if specs is None else _stray_kind(cell, spec, currencies[ws.title])
            if kind is not None:
                out.append(StrayCell(ws.title, cell.coordinate, cell.value, kind))
    return out


def _number_as_text(plan: Plan, spec: CellSpec, text: str, where: str, wb: Workbook) -> float | None:
    """The number sibc reads from ``text`` in a number input cell (:func:`workbooks.layout.check_value`, the one
    reading of a cell, a share as :func:`workbooks.layout.holds_share` says), or None: a text input, a choice from a
    list, an empty text or one sibc refuses (then the reading of the inputs reports it)."""
    item = plan.inputs[spec.input][0]
    if item.kind == "text" or (item.validation is not None and item.validation.kind == "list") or not text.strip():
        return None
    choice = {} if item.share_if is None else {item.share_if[0]: _raw_input(wb, lambda: wb, plan, item.share_if[0])}
    try:
        value = check_value(item, text, where, share=holds_share(item, choice, spec.index or 0))
    except SIError:
        return None
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _stray_kind(cell, spec: CellSpec | None, currency: str = CURRENCY) -> str | None:
    if spec is None or (spec.input is None and spec.formula is None and spec.value in (None, "") and spec.role != "written"):
        return "uden_input"
    if spec.input is not None:
        return None
    if spec.formula is not None:
        return None if cell.data_type == "f" else "over_formel"
    if spec.role == "written":  # a value sibc wrote at build (Følsomhed); the layout read back leaves it blank
        return None
    return None if _same_value(cell.value, written_text(spec, currency)) else "over_tekst"


def _same_value(found: Any, template: Any) -> bool:
    if isinstance(template, int | float) and isinstance(found, int | float):
        return abs(found - template) <= 1e-9 * max(1.0, abs(template))
    return str(found) == str(template)
