"""Adding a payment rule takes one file: the toy rule of tests/toy_rule.py appears in the JSON Schema,
the engine, the break-even, the standard workbook (LibreOffice agreeing with the core in every result
cell) and the read-back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def toy(soffice):
    """The toy rule's results, from a process of its own (the registry closes when the payment model is built)."""
    # a plain process: not the xlwings Server mode another test may have switched on in this one
    env = {k: v for k, v in os.environ.items() if not k.startswith("XLWINGS_")} | {"PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "tests.toy_rule"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_toy_rule_is_in_the_schema(toy):
    assert toy["in_schema"]


def test_the_engine_pays_by_the_toy_rule(toy):
    # Metric "job", year 1, measured as net successes: net rate 0.30 − 0.10 (control group) = 0.20 × 40
    # participants (10 + 20 + 10) = 8; 3 000 kr. × (8 − 2) = 18 000 kr., under the metric's cap of 30 000.
    assert toy["payments"] == pytest.approx([0.0, 18_000.0, 0.0, 0.0, 0.0], abs=1e-9)


def test_break_even_uses_the_toy_rules_breakpoints(toy):
    # x(s) = (s − 0.10) × 40: the threshold 2 at s = 6 / 40 = 0.15; the cap reached at x = 2 + 30 000 / 3 000 = 12,
    # s = 16 / 40 = 0.4.
    assert toy["knots"] == pytest.approx([0.15, 0.4], abs=1e-12)
    # The investor gets its 20 000 kr. back when 3 000 × (x − 2) ≥ 20 000: x ≥ 8.667, s = (8.667 + 4) / 40 = 0.31667.
    assert toy["break_even_investor"] == pytest.approx(19 / 60, abs=1e-12)
    assert 0.15 < toy["break_even_payer"] < 0.4  # the payer's own break-even, checked against the workbook below


def test_the_workbook_holds_the_toy_rule_and_libreoffice_agrees(toy):
    assert toy["workbook_cells"] > 50
    assert toy["workbook_differences"] == []
    assert toy["kontrol_ok"]


def test_the_toy_rule_reads_back(toy):
    assert toy["read_back_equal"]
