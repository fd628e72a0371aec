"""The Excel functions of :mod:`udfs.excel`, registered as xlwings Server custom functions.

xlwings Server imports this module (it is the project's ``custom_functions``)
and serves every function carrying xlwings.server's ``__xlfunc__``.  Each one
here wraps the function of the same name in :mod:`udfs.excel` — same arguments,
same Danish help, same calculation — with two differences that belong to the
Office.js route:

* the Excel name drops the ``SI_`` prefix, because the add-in's namespace is
  ``SI``: ``SI_ENHEDSPRIS`` is ``=SI.ENHEDSPRIS(...)`` in a cell;
* bad input raises ``xlwings.XlwingsError`` with the Danish message, which
  xlwings Server answers with HTTP 400 and Excel shows as ``#VALUE!`` with the
  message (the desktop route returns the message as the cell's text).

Functions added to ``udfs.excel.REGISTRY`` appear here without any change.
"""

from __future__ import annotations

import functools

import xlwings as xw
import xlwings.server as xs

from udfs import excel as _excel
from udfs.core.errors import SIError

PREFIX = "SI_"


def _server_function(name: str):
    public = getattr(_excel, name)  # the desktop function: never raises, answers errors as text
    original = public.__wrapped__  # the checked function: raises SIError on bad input (error cells included)
    meta = _excel.REGISTRY[name]

    @functools.wraps(original)
    def call(*args):
        try:
            return _excel.check_result(original(*args))
        except SIError as err:
            raise xw.XlwingsError(_excel.cell_text(err.danish)) from None
        except Exception:  # noqa: BLE001 - the desktop function logs it and words the message
            raise xw.XlwingsError(public(*args)) from None

    for arg, help_text in meta["args"].items():
        call = xs.arg(arg, doc=help_text, **_excel.ARG_OPTIONS)(call)
    return xs.func(name=name.removeprefix(PREFIX))(call)


for _name in sorted(_excel.REGISTRY):
    globals()[_name] = _server_function(_name)

__all__ = sorted(_excel.REGISTRY)
