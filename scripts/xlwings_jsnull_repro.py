"""Minimal reproduction for the xlwings issue in docs/xlwings-issue-jsnull.md (to be reported upstream).

Outside Pyodide, ``xlwings.utils.is_jsnull`` attempts ``from pyodide.ffi import JsNull``
on every call; the import fails each time, and a failed import is not cached, so
Python searches every ``sys.path`` entry again.  The Office.js engine calls it once
per cell when it cleans a custom-function argument, so on xlwings Server the
cleaning of a 1,000-cell argument costs tens of milliseconds.

Needs only xlwings with a licence key for the Office.js engine (``noncommercial``
is used when none is set, as the PolyForm Noncommercial licence permits testing).
Run: ``python scripts/xlwings_jsnull_repro.py``.
"""

from __future__ import annotations

import os
import sys
import timeit

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings  # noqa: E402
from xlwings import conversion  # noqa: E402
from xlwings.utils import is_jsnull  # noqa: E402

N_CELLS = 1_000


def main() -> int:
    print(f"xlwings {xlwings.__version__}, Python {sys.version.split()[0]}, {len(sys.path)} sys.path entries")
    per_call = min(timeit.repeat(lambda: is_jsnull(1.0), number=2_000, repeat=5)) / 2_000
    print(f"is_jsnull(1.0): {per_call * 1e6:.1f} µs per call (isinstance alone: ~0.05 µs)")

    rows = [[float(r * 10 + c) for c in range(10)] for r in range(N_CELLS // 10)]  # a 100 × 10 argument
    default = min(timeit.repeat(lambda: conversion.read(None, rows, {}, engine_name="officejs"), number=10, repeat=5)) / 10
    raw = min(timeit.repeat(lambda: conversion.read(None, rows, {"convert": "raw"}, engine_name="officejs"), number=10, repeat=5)) / 10
    print(f"reading a {N_CELLS:,}-cell custom-function argument: default {default * 1e3:.2f} ms, raw {raw * 1e3:.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
