"""The ASGI application served by ``python -m addin.server``: xlwings Server's app
behind bounds on each request, checked before xlwings Server reads it.

* A body larger than ``SI_MAX_REQUEST_BYTES`` (default 1 MB; a 10,000-cell
  range is about 0.1 MB) is answered with HTTP 413 and a Danish text.
* A function call not shaped as Excel sends one (unknown function, too many
  arguments, an argument that is not a rectangular 2-D array of cells) is
  answered with HTTP 400 and a Danish text naming the argument.
* A function call whose ranges hold more than
  :data:`udfs.core.limits.MAX_CELLS_SERVER` cells in all is answered with
  HTTP 400 and a Danish text naming the largest argument.  xlwings Server
  converts every cell on its event loop, during which no other user is served
  (with xlwings's default argument reading about 0.1 ms a cell, measured: 5.4 s
  for 48,000 cells), so this bound keeps one request from holding the others
  for more than about a second.

The body is never echoed.
"""

from __future__ import annotations

import inspect
import json
import os

from xlwings_server.main import main_app

from udfs import excel
from udfs.core.errors import excerpt
from udfs.core.limits import MAX_CELLS_SERVER

MAX_REQUEST_BYTES = int(os.environ.get("SI_MAX_REQUEST_BYTES", 1_000_000))
TOO_LARGE = f"Fejl i forespørgsel: for stor (højst {MAX_REQUEST_BYTES:,} byte); brug et mindre område".replace(",", ".")
CALL_PATH = "/xlwings/custom-functions-call"


def check_call(body: bytes) -> str | None:
    """The Danish refusal for a function call that is not shaped as Excel sends one, or
    holds more than ``MAX_CELLS_SERVER`` cells in all; ``None`` when it may go on.

    Excel's custom-functions runtime posts a known function name and, for each
    declared argument, ``null`` (left out) or a non-empty 2-D array of rows of
    equal length whose cells are scalars (or Office.js error objects).
    Anything else is refused here, before xlwings Server converts a cell.
    """
    try:
        data = json.loads(body)
    except ValueError:
        return None  # xlwings Server answers malformed JSON itself (HTTP 422)
    if not isinstance(data, dict):
        return None
    name = data.get("func_name")
    function = getattr(excel, name, None) if isinstance(name, str) and name in excel.REGISTRY else None
    if function is None:
        return f"Fejl i funktion: ukendt funktion '{excerpt(name)}'"
    params = list(inspect.signature(function).parameters)
    args = data.get("args")
    if not isinstance(args, list) or len(args) > len(params):
        return f"Fejl i {name}: forkert antal argumenter (højst {len(params)})"
    counts = []
    for param, arg in zip(params, args):
        if arg is None:
            counts.append(0)
            continue
        if not (isinstance(arg, list) and arg and all(isinstance(r, list) and r for r in arg)) or len({len(r) for r in arg}) != 1:
            return f"Fejl i {param}: skal være en celle eller et rektangulært område"
        if any(isinstance(c, list) for r in arg for c in r):
            return f"Fejl i {param}: en celle kan ikke indeholde et område"
        counts.append(len(arg) * len(arg[0]))
    if sum(counts) <= MAX_CELLS_SERVER:
        return None
    largest = max(range(len(counts)), key=counts.__getitem__)
    return f"Fejl i {params[largest]}: området har {counts[largest]:,} celler; højst {MAX_CELLS_SERVER:,} i alt pr. kald på serveren".replace(",", ".")


class Bounded:
    """ASGI middleware: body size and cells per call bounded (see the module note)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "POST":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _discard(receive, 25 * self.limit)
            return await _answer(send, 413, TOO_LARGE)
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await _discard(receive, 25 * self.limit)
                return await _answer(send, 413, TOO_LARGE)
        if scope.get("path", "").endswith(CALL_PATH):
            refusal = check_call(body)
            if refusal:
                return await _answer(send, 400, refusal)
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return await receive()  # e.g. http.disconnect
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _discard(receive, most: int) -> None:
    """Read and drop a refused body (up to ``most`` bytes, without parsing) so the
    client receives the answer instead of a reset connection."""
    seen = 0
    while seen <= most:
        message = await receive()
        seen += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body"):
            return


async def _answer(send, status: int, text: str) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]})  # fmt: skip
    await send({"type": "http.response.body", "body": text.encode()})


app = Bounded(main_app, MAX_REQUEST_BYTES)
