"""The Excel functions of :mod:`udfs.excel`, registered as xlwings Server custom functions.

xlwings Server imports this module (it is the project's ``custom_functions``)
and serves every function carrying xlwings.server's ``__xlfunc__``.  Each one
here wraps the function of the same name in :mod:`udfs.excel` — same arguments,
same Danish help, same calculation — with these differences that belong to the
Office.js route:

* the Excel name drops the ``SI_`` prefix, because the add-in's namespace is
  ``SI``: ``SI_ENHEDSPRIS`` is ``=SI.ENHEDSPRIS(...)`` in a cell;
* bad input raises ``xlwings.XlwingsError`` with the Danish message, which
  xlwings Server answers with HTTP 400 and Excel shows as ``#VALUE!`` with the
  message (the desktop route returns the message as the cell's text);
* file names are read only inside the case folder ``SI_SAGSMAPPE`` (no
  absolute path, no ``..``, no link out of it); without it file names are
  switched off and a case is given as its content (YAML/JSON text), see
  :func:`udfs.core.files.restrict_to_folder`;
* each call runs in a worker thread with a time limit (``SI_TIMEOUT``,
  default 10 s), so a heavy call never holds the server's event loop and the
  other users' calls are still served; Monte Carlo draws are capped lower
  (:data:`udfs.core.limits.MAX_DRAWS_SERVER`);
* every argument is declared with :class:`CellValues`, which reads the cells
  Excel posts exactly as xlwings's default conversion does, once per argument
  instead of once per cell (see the class).

Functions added to ``udfs.excel.REGISTRY`` appear here without any change.
"""

from __future__ import annotations

import asyncio
import functools
import os

import xlwings as xw
import xlwings.server as xs
from xlwings.conversion import Converter

from udfs import excel as _excel
from udfs.core import files, limits
from udfs.core.errors import SIError

PREFIX = "SI_"
TIMEOUT = float(os.environ.get("SI_TIMEOUT", 10))
"""Seconds one call may take before it is answered with an error."""

files.restrict_to_folder(os.environ.get("SI_SAGSMAPPE") or None)
limits.server_mode(True)


class CellValues(Converter):
    """An argument's cells as xlwings's default conversion gives them, read in one pass.

    xlwings's default reading of a custom-function argument empties ``""``,
    turns error cells (``{"type": "Error", ...}``) into ``None`` (their text with
    ``err_to_str``, which every argument here declares) and other
    data-type cells into their ``basicValue``, then gives a single cell as a
    value, one row or one column as a list and anything else as a list of rows.
    It also tries, for every cell, to import Pyodide's ``JsNull`` (xlwings Lite's
    empty cell), which on a server fails and costs about 0.1 ms per cell: 80 % of
    a 1,000-cell call.  Here JSON's ``null`` is already ``None``, so the same
    reading is done without that check; ``tests/test_performance.py``
    compares it with xlwings's own on every kind of cell.  (Reported upstream:
    ``docs/xlwings-issue-jsnull.md``.)
    """

    base_type = "raw"  # xlwings's raw accessor: the values Excel posted, no per-cell cleaning

    @staticmethod
    def read_value(value, options):
        if not isinstance(value, list):
            rows = [[value]]
        elif value and not isinstance(value[0], list):
            rows = [value]
        else:
            rows = value
        errors_as_text = bool(options.get("err_to_str"))
        rows = [[_cell(v, errors_as_text) for v in row] for row in rows]
        if len(rows) == 1:
            return rows[0][0] if len(rows[0]) == 1 else rows[0]
        if len(rows[0]) == 1:
            return [row[0] for row in rows]
        return rows


def _cell(value, errors_as_text: bool = False):
    """One cell as xlwings's default reading gives it (empty → None; an error → its text, e.g. ``"#N/A"``,
    with ``err_to_str`` as every argument here declares, so that it is refused by name, else None)."""
    if isinstance(value, dict):
        if value["type"] == "Error":
            return value.get("basicValue") if errors_as_text else None
        return value["basicValue"]
    return None if value == "" else value


def _server_function(name: str):
    public = getattr(_excel, name)  # the desktop function: never raises, answers errors as text
    original = public.__wrapped__  # the checked function: raises SIError on bad input (error cells included)
    meta = _excel.REGISTRY[name]

    def answer(*args):
        try:
            return _excel.check_result(original(*args))
        except SIError as err:
            return xw.XlwingsError(_excel.cell_text(err.danish))
        except Exception:  # noqa: BLE001 - the desktop function logs it and words the message
            return xw.XlwingsError(public(*args))

    @functools.wraps(original)
    async def call(*args):
        try:
            result = await asyncio.wait_for(asyncio.to_thread(answer, *args), TIMEOUT)
        except TimeoutError:
            raise xw.XlwingsError(f"Fejl i {name}: beregningen tog mere end {TIMEOUT:g} s; brug færre celler eller træk") from None
        if isinstance(result, xw.XlwingsError):
            raise result
        return result

    for arg, help_text in meta["args"].items():
        call = xs.arg(arg, CellValues, doc=help_text, **_excel.ARG_OPTIONS)(call)
    return xs.func(name=name.removeprefix(PREFIX))(call)


for _name in sorted(_excel.REGISTRY):
    globals()[_name] = _server_function(_name)

__all__ = sorted(_excel.REGISTRY)
