"""The ASGI application served by ``python -m addin.server``: xlwings Server's app
behind bounds on each request, checked before xlwings Server reads it.

* A body larger than ``SI_MAX_REQUEST_BYTES`` (default 1 MB; a 10,000-cell
  range is about 0.1 MB) is answered with HTTP 413 and a Danish text.
* A function call whose ranges hold more than
  :data:`udfs.core.limits.MAX_CELLS_SERVER` cells in all is answered with
  HTTP 400 and a Danish text naming the largest argument.  xlwings Server
  converts every cell on its event loop (about 0.1 ms a cell, measured: 5.4 s
  for 48,000 cells), during which no other user is served, so this bound is
  what keeps one request from holding the others for more than about a second.

The body is never echoed.
"""

from __future__ import annotations

import inspect
import json
import os

from xlwings_server.main import main_app

from udfs import excel
from udfs.core.limits import MAX_CELLS_SERVER

MAX_REQUEST_BYTES = int(os.environ.get("SI_MAX_REQUEST_BYTES", 1_000_000))
TOO_LARGE = f"Fejl i forespørgsel: for stor (højst {MAX_REQUEST_BYTES:,} byte); brug et mindre område".replace(",", ".")
CALL_PATH = "/xlwings/custom-functions-call"


def too_many_cells(body: bytes) -> str | None:
    """The Danish refusal for a function call with more than ``MAX_CELLS_SERVER`` cells, else ``None``."""
    try:
        data = json.loads(body)
        args = data["args"]
        counts = [sum(len(row) if isinstance(row, list) else 1 for row in a) if isinstance(a, list) else 1 for a in args]
    except (ValueError, KeyError, TypeError):
        return None  # not a call this bound applies to; xlwings Server answers it
    if sum(counts) <= MAX_CELLS_SERVER:
        return None
    largest = max(range(len(counts)), key=counts.__getitem__)
    function = getattr(excel, str(data.get("func_name")), None)
    names = list(inspect.signature(function).parameters) if callable(function) else []
    name = names[largest] if largest < len(names) else f"argument {largest + 1}"
    return f"Fejl i {name}: området har {counts[largest]:,} celler; højst {MAX_CELLS_SERVER:,} i alt pr. kald på serveren".replace(",", ".")


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
            refusal = too_many_cells(body)
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
