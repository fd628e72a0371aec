"""Shared fixtures: LibreOffice as the independent spreadsheet engine."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from workbooks.recalc import find_soffice, recalculate


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's soffice; skips outside CI when absent, fails in CI."""
    path = find_soffice()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required in CI (installed by scripts/install-system-deps.sh)")
        pytest.skip("LibreOffice is not installed: spreadsheet cross-check skipped (run `make test` as root, or apt-get install libreoffice-calc-nogui)")
    return path


@pytest.fixture
def libreoffice(soffice, tmp_path):
    """``calc(cells)`` writes the cells (A1-address → value or formula) to a
    workbook, recalculates it with LibreOffice and returns address → value."""

    def calc(cells: dict[str, object]) -> dict[str, object]:
        wb = openpyxl.Workbook()
        ws = wb.active
        for address, value in cells.items():
            ws[address] = value
        src = tmp_path / "in" / "calc.xlsx"
        src.parent.mkdir(exist_ok=True)
        wb.save(src)
        out = recalculate(src, tmp_path / "out")
        values = openpyxl.load_workbook(out, data_only=True).active
        return {address: values[address].value for address in cells}

    return calc


ROOT = Path(__file__).resolve().parents[1]

# The toy payment rule registers itself before the payment model is built: it runs in a process of its own
# (tests/test_toy_rule.py), never imported by the doctest collection.
collect_ignore = ["toy_rule.py"]


# Property-based tests: random in development (to keep finding new cases), reproducible in CI.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    _hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def desktop_rules():
    """Every test starts and ends under the desktop's rules: importing the server's
    ``custom_functions`` in-process switches on its case folder and tighter limits
    (module-level settings), which must not reach the tests that follow."""
    from udfs.core import files, limits

    folder, server = files._FOLDER, limits._SERVER
    yield
    files._FOLDER, limits._SERVER = folder, server
