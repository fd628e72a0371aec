"""Run the add-in's xlwings Server on 127.0.0.1 for tests and benchmarks, and call it
the way Excel's custom-functions runtime does.

``running_server()`` starts ``python -m addin.server`` on a free loopback port,
waits until it answers (bounded), yields its base URL and stops it.
``call(base_url, name, args)`` posts the body that xlwings Server's
custom-functions script sends from Excel.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(timeout: float = 60.0, licence_key: str | None = None, extra_env: dict[str, str] | None = None,
                   process: list | None = None) -> Iterator[str]:  # fmt: skip
    """Start the server on 127.0.0.1 and yield ``http://127.0.0.1:PORT``.

    ``extra_env`` adds settings (e.g. ``SI_SAGSMAPPE``, ``XLWINGS_AUTH_PROVIDERS``);
    the server process is appended to ``process`` when given (to measure it).
    """
    port = free_port()
    env = dict(os.environ) | (extra_env or {})
    if licence_key:
        env["XLWINGS_LICENSE_KEY"] = licence_key
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    log = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: a full pipe would block the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "addin.server", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    if process is not None:
        process.append(proc)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"xlwings Server stopped (exit {proc.returncode}):\n{log.read()}")
            try:
                with urllib.request.urlopen(base + "/xlwings/custom-functions-meta", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"xlwings Server did not answer within {timeout:.0f} s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def payload(name: str, args: list, *, version: str | None = None) -> dict:
    """The body Excel's custom-functions runtime posts for one call (xlwings Server's
    custom-functions-code.js): every argument a 2-D array, ``None`` for an omitted one."""
    if version is None:
        import importlib.metadata

        version = importlib.metadata.version("xlwings")
    return {
        "client": "Office.js",
        "func_name": name,
        "args": args,
        "caller_address": "[Bog1.xlsx]Ark1!A1",
        "session_id": "test",
        "culture_info_name": "da-DK",
        "date_format": "dd-mm-yyyy",
        "version": version,
        "runtime": "1.4",
    }


class Client:
    """A keep-alive HTTP connection to the server (as a browser keeps one)."""

    def __init__(self, base_url: str, token: str | None = None):
        parts = urlsplit(base_url)
        self.parts = parts
        self.headers = {"Content-Type": "application/json"} | ({"Authorization": token} if token else {})
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    def call(self, name: str, args: list) -> tuple[int, object]:
        """(HTTP status, result or error text) for one custom-function call."""
        return self.post(json.dumps(payload(name, args)).encode())

    def post(self, body: bytes) -> tuple[int, object]:
        """(HTTP status, result or error text) for a raw request body (reconnects after a refusal)."""
        try:
            self.conn.request("POST", "/xlwings/custom-functions-call", body, self.headers)
            response = self.conn.getresponse()
        except (ConnectionError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.parts.hostname, self.parts.port, timeout=30)
            raise
        data = response.read().decode("utf-8")
        if response.will_close:
            self.conn.close()
        if response.status == 200:
            return 200, json.loads(data)["result"]
        return response.status, data

    def get(self, path: str) -> tuple[int, str]:
        self.conn.request("GET", path)
        response = self.conn.getresponse()
        return response.status, response.read().decode("utf-8")

    def close(self) -> None:
        self.conn.close()
