"""The limits every input is checked against before any work starts.

One place for the bounds that keep a calculation within seconds and a few
hundred megabytes whatever the input: a case file, an Excel range, a workbook
or a request to the server.  The README's section "Grænser" lists them; a
value beyond a limit is refused with a Danish :class:`~udfs.core.errors.SIError`
naming the argument or field, never cut silently.
"""

from __future__ import annotations

#: Largest case file (YAML/JSON) read, in bytes; real cases are a few kB.
MAX_CASE_FILE_BYTES = 1_000_000
#: Deepest nesting of lists and tables in a case file (a case needs about 6).
MAX_NESTING = 20
#: Most values (tables, lists and scalars, aliases counted each time used) in a case file.
MAX_NODES = 100_000
#: Years a yearly series given as a mapping of calendar years may span.
MAX_SERIES_YEARS = 100
#: Effects, cost lines, result metrics (måling) and own unit prices in one case.
MAX_EFFECTS = 50
MAX_COST_LINES = 50
MAX_METRICS = 50
MAX_OWN_PRICES = 1_000
#: Steps of a step rule (``trappe``: thresholds and payments) in one outcome metric; every step rule's table in the
#: standard workbook has this many rows, so steps typed after a case's own are read (published staircases have up
#: to 7: Rikers Island, 8,5 % to 20 % reduction).
MAX_STEPS = 8
#: Risks in a case's risk register (as the state's business-case model: its up to 12 main risks).
MAX_RISKS = 12
#: Largest amount, count or factor in a case (kr., persons, factors): 10^12.
MAX_AMOUNT = 1e12
#: Monte Carlo draws in one run (command line and Excel function).
MAX_DRAWS = 1_000_000
#: Monte Carlo draws in one call on the server (Office.js route), so one call stays within seconds.
MAX_DRAWS_SERVER = 100_000
#: Largest Monte Carlo seed (seeds are whole numbers 0 … 2^32 − 1, as in Excel).
MAX_SEED = 2**32 - 1
#: Cells in one Excel range argument, checked before any cell is converted.
MAX_CELLS_PER_ARGUMENT = 50_000
#: Cells in all arguments of one call on the server (xlwings Server converts
#: them on its event loop, about 0.1 ms a cell, while no other call is served).
MAX_CELLS_SERVER = 10_000
#: A workbook (.xlsx) read back: file size, uncompressed size, zip entries and
#: the largest uncompressed/compressed ratio of one entry (the standard workbook:
#: about 60 kB, 0.5 MB uncompressed, ratio 13).
MAX_WORKBOOK_BYTES = 10_000_000
MAX_WORKBOOK_UNCOMPRESSED = 30_000_000
MAX_WORKBOOK_ENTRIES = 500
MAX_COMPRESSION_RATIO = 100
#: Cells, rows and shared strings in a workbook's sheets, counted before openpyxl
#: reads them (the largest standard workbook, 30 years and 50 effects: 32,000;
#: openpyxl needs about 0.9 KB and 50 µs a cell).
MAX_WORKBOOK_CELLS = 200_000


_SERVER = False


def server_mode(on: bool) -> None:
    """Apply the server's tighter limits (set once by the xlwings Server project)."""
    global _SERVER
    _SERVER = on


def max_draws() -> int:
    """The draws allowed here: ``MAX_DRAWS_SERVER`` on the server, else ``MAX_DRAWS``."""
    return MAX_DRAWS_SERVER if _SERVER else MAX_DRAWS
