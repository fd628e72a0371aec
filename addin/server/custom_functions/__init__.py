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
  message (the desktop route returns the message as the cell's text);
* file names are read only inside the case folder ``SI_SAGSMAPPE`` (no
  absolute path, no ``..``, no link out of it); without it file names are
  switched off and a case is given as its content (YAML/JSON text), see
  :func:`udfs.core.files.restrict_to_folder`;
* each call runs in a worker thread with a time limit (``SI_TIMEOUT``,
  default 10 s), so a heavy call never holds the server's event loop and the
  other users' calls are still served; Monte Carlo draws are capped lower
  (:data:`udfs.core.limits.MAX_DRAWS_SERVER`).

Functions added to ``udfs.excel.REGISTRY`` appear here without any change.
"""

from __future__ import annotations

import asyncio
import functools
import os

import xlwings as xw
import xlwings.server as xs

from udfs import excel as _excel
from udfs.core import files, limits
from udfs.core.errors import SIError

PREFIX = "SI_"
TIMEOUT = float(os.environ.get("SI_TIMEOUT", 10))
"""Seconds one call may take before it is answered with an error."""

files.restrict_to_folder(os.environ.get("SI_SAGSMAPPE") or None)
limits.server_mode(True)


def _server_function(name: str):
    public = getattr(_excel, name)  # the desktop function: never raises, answers errors as text
    original = public.__wrapped__  # the function as written: raises SIError on bad input
    meta = _excel.REGISTRY[name]

    def answer(*args):
        try:
            return _excel.check_result(original(*args))
        except SIError as err:
            return xw.XlwingsError(err.danish)
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
        call = xs.arg(arg, doc=help_text)(call)
    return xs.func(name=name.removeprefix(PREFIX))(call)


for _name in sorted(_excel.REGISTRY):
    globals()[_name] = _server_function(_name)

__all__ = sorted(_excel.REGISTRY)
