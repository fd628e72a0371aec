"""The ASGI application served by ``python -m addin.server``: xlwings Server's app
behind a bound on the request body.

A body larger than ``SI_MAX_REQUEST_BYTES`` (default 2 MB; a 10,000-cell
range is about 0.3 MB) is answered with HTTP 413 and a Danish text before
xlwings Server reads or parses it, so one large request cannot hold the
server; the body is never echoed.
"""

from __future__ import annotations

import os

from xlwings_server.main import main_app

MAX_REQUEST_BYTES = int(os.environ.get("SI_MAX_REQUEST_BYTES", 2_000_000))
TOO_LARGE = f"Fejl i forespørgsel: for stor (højst {MAX_REQUEST_BYTES:,} byte); brug et mindre område".replace(",", ".").encode()


class LimitedBody:
    """ASGI middleware refusing request bodies above ``limit`` bytes (declared or streamed)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _discard(receive, 25 * self.limit)
            return await _refuse(send)
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await _refuse(send)


class _TooLarge(Exception):
    pass


async def _discard(receive, most: int) -> None:
    """Read and drop a refused body (up to ``most`` bytes, without parsing) so the
    client receives the 413 answer instead of a reset connection."""
    seen = 0
    while seen <= most:
        message = await receive()
        seen += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body"):
            return


async def _refuse(send) -> None:
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]})  # fmt: skip
    await send({"type": "http.response.body", "body": TOO_LARGE})


app = LimitedBody(main_app, MAX_REQUEST_BYTES)
