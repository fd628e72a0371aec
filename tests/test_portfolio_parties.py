"""The portfolio's per-party columns are derived from the parties and the who-pays-who-gains figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from udfs.core.businesscase import authority_figures
from udfs.core.casefile import load_business_case
from udfs.core.engine import run
from udfs.core.lineitems import AUTHORITY_LINES
from udfs.core.portfolio import COLUMNS, NAMES, PARTY_LINES, case_figures
from udfs.core.vocabulary import AUTHORITIES, PAYERS

CASES = Path(__file__).resolve().parents[1] / "workbooks" / "cases"


def test_every_party_has_its_columns():
    assert {f"netto_{p}" for p in PAYERS} | {f"nv_{p}" for p in PAYERS} | {f"bes_{a}" for a in AUTHORITIES} <= set(NAMES)
    assert {k for k, _ in PARTY_LINES} <= {k for k, _ in AUTHORITY_LINES}
    assert len(NAMES) == len(set(NAMES)) and len({c.label for c in COLUMNS}) == len(COLUMNS)
    assert len(COLUMNS) <= 100


@pytest.mark.parametrize("case_file", ["eksempel_alle_myndigheder.yaml", "sygedagpenge.yaml"])
def test_party_figures_are_the_overview_table(case_file):
    """A case's per-party portfolio figures are Overblik's who-pays-who-gains table, and the parties' nets add up.

    Hand check of the identity: the nets of all parties add up to savings − costs, since the payer's payments
    are the investor's receipts (authority_figures: savings − costs + payments received − payments paid)."""
    case = load_business_case(CASES / case_file)
    figures, table = case_figures(case), authority_figures(run(case))
    for i, p in enumerate(PAYERS):
        assert figures[f"netto_{p}"] == table["myn_netto"][i] and figures[f"nv_{p}"] == table["myn_nv"][i]
    savings = sum(figures[f"bes_{a}"] for a in AUTHORITIES)
    costs = sum(table["myn_omk"])
    assert sum(figures[f"netto_{p}"] for p in PAYERS) == pytest.approx(savings - costs, abs=0.01)
