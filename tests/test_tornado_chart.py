"""The tornado chart draws the largest swings only; its table lists every driver (a user trial: 34 drivers in a
quarter-page chart printed at 4–5 pt)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from udfs.core.casefile import load_business_case
from udfs.core.engine import driver_names
from workbooks.book import build_bytes
from workbooks.standard import TORNADO_CHART_DRIVERS, dims_of, tornado_drivers


def chart_ranges(data: bytes, title_word: str) -> list[str]:
    """The cell ranges (categories and values) of the chart whose title holds ``title_word``."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/charts/chart"):
                xml = z.read(name).decode("utf-8")
                if title_word in xml:
                    return re.findall(r"<(?:c:)?f>([^<]+)</(?:c:)?f>", xml)
    raise AssertionError(f"no chart with {title_word!r}")


def rows_of(ref: str) -> int:
    first, last = re.findall(r"\$(\d+)", ref)[-2:]
    return int(last) - int(first) + 1


def test_a_case_with_many_drivers_draws_the_largest_swings_and_its_table_keeps_all():
    case = load_business_case("workbooks/cases/eksempel_ungeindsats.yaml")
    n = tornado_drivers(dims_of(case))
    assert n > TORNADO_CHART_DRIVERS  # 19 drivers (its effects' and spare slots' success rates, costs, …)
    refs = chart_ranges(build_bytes(case), "Tornado")
    assert refs and all(rows_of(r) == TORNADO_CHART_DRIVERS for r in refs)  # categories, −X % and +X %


def test_a_case_with_few_drivers_draws_them_all():
    case = load_business_case("workbooks/cases/kontrakter/rikers.yaml")
    n = tornado_drivers(dims_of(case))
    refs = chart_ranges(build_bytes(case), "Tornado")
    assert all(rows_of(r) == min(n, TORNADO_CHART_DRIVERS) for r in refs)
    assert len(driver_names(case)) <= n


# A hand case for the ranking (user trial): one effect, 100 participants, success rate 50 %, no deadweight, one unit of
# 1.000 kr. saved per net success, no costs, discount rate 0; one step payment of 15.000 kr. when at least 50 are in
# work (measured as 100 × net success rate).  Base: savings 100 × 0,5 × 1.000 = 50.000, the step is reached,
# PV = 50.000 − 15.000 = 35.000 kr.
#   success rate −10 % (45 %): 45 < 50, no payment: PV 45.000 (+10.000); +10 % (55 %): 55.000 − 15.000 = 40.000 (+5.000).
#     Both sides lie above the base; swing |40.000 − 45.000| = 5.000.
#   price factor −10 %/+10 %: savings 45.000/55.000, the step still reached: PV 30.000/40.000, swing 10.000.
# Ranked by |high − low| (the standard tornado ranking) the price factor (10.000) comes before the success rate
# (5.000), although the success rate's largest distance from the base (10.000) is twice the price factor's (5.000).
HAND_CASE = {
    "navn": "Tornado-håndeksempel", "prisaar": 2024, "startaar": 2026, "horisont": 3, "diskontering": 0.0,
    "deltagere": [100],
    "egne_priser": [{"id": "egen_enhed", "navn": "Enhed", "enhed": "haendelse", "beloeb": 1000, "prisaar": 2024,
                     "andel_kommune": 1, "andel_region": 0, "andel_stat": 0, "kilde_udgiver": "Kommunen",
                     "kilde_dokument": "Testeksempel", "kildetype": "egen", "budgetomraade": "Test",
                     "fordelingsgrundlag": "Kommunen betaler"}],
    "effekter": [{"id": "job", "navn": "Job", "enhedspris": "egen_enhed", "profil": [-1], "succesrate": 0.5}],
    "betalingsmodel": {"resultatmaal": [{"id": "job", "navn": "Job", "enhed": "personer", "datakilde": "Test",
                                         "maaletidspunkt": "År 1", "aar": 1,
                                         "regel": {"type": "trappe", "taerskler": [50], "betalinger": [15000]}}]},
    "maaling": {"job": {"effekt": "job", "maal": "antal"}},
}  # fmt: skip


def test_bars_on_one_side_of_the_base_are_ranked_by_their_distance_high_low_everywhere(tmp_path, capsys):
    import yaml

    from udfs.core.case_model import parse_case
    from udfs.core.uncertainty import tornado, tornado_label
    from workbooks.book import written_values
    from workbooks.cli import main

    case = parse_case(HAND_CASE)
    bars = tornado(case)
    by = {b.driver: b for b in bars}
    rate, price = by["effekter.job.succesrate"], by["effekter.job.prisfaktor"]
    kr = lambda *values: pytest.approx(values, abs=1e-6)  # noqa: E731
    assert (rate.pv_low, rate.pv_high, rate.swing) == kr(45_000, 40_000, 5_000)  # both above the base of 35.000
    assert (price.pv_low, price.pv_high, price.swing) == kr(30_000, 40_000, 10_000)
    assert bars.index(price) < bars.index(rate)
    assert [b.swing for b in bars] == sorted((b.swing for b in bars), reverse=True)
    # the workbook's table (and the chart drawn from its first rows) in the same order, with the same swings
    written = written_values(case)
    assert written["to_driver"] == [tornado_label(case, b) for b in bars]
    assert written["to_udsving"] == [b.swing for b in bars]
    k = bars.index(rate)
    assert (written["to_aendr_lav"][k], written["to_aendr_hoej"][k]) == kr(10_000, 5_000)  # 45.000 − 35.000, 40.000 − 35.000
    # the command line lists them in the same order, each swing as computed
    path = tmp_path / "hand.yaml"
    path.write_text(yaml.safe_dump(HAND_CASE, allow_unicode=True), encoding="utf-8")
    capsys.readouterr()
    assert main(["sensitivity", str(path)]) == 0
    out = capsys.readouterr().out.split("Tornado:")[1].split("Skifteværdier")[0]
    start = {tornado_label(case, b): tornado_label(case, b)[:24] for b in bars}  # a long label wraps: its first words
    lines = [line for line in out.splitlines() if any(line.strip().startswith(s) for s in start.values())]
    assert [next(label for label, s in start.items() if line.strip().startswith(s)) for line in lines] \
        == [tornado_label(case, b) for b in bars]
    assert lines[bars.index(rate)].split()[-3:] == ["45.000", "40.000", "5.000"]
    assert lines[bars.index(price)].split()[-3:] == ["30.000", "40.000", "10.000"]
