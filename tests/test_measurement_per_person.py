"""Paying a rate per week in work or education from a measured register panel (Aalborg's model).

``skala: pr_person`` hands the ``pr_periode`` rule each participant's own weeks
self-supported, so the cap per participant applies to each person; the
effect-based variant pays (intervention − comparison) weeks × persons.  Every
figure is a hand calculation written out next to it; the panel is a CSV file
as Danish Excel saves it (semicolons, a byte-order mark, CRLF line ends).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
import yaml

from udfs.core.errors import SIError
from udfs.core.measurement import report
from udfs.core.measurement.definitions import parse_measurement_file
from udfs.core.payment import PaymentModel
from udfs.core.rules import PerPeriodRule
from workbooks import cli, measurement_sheet
from workbooks.recalc import recalculate_many

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "workbooks" / "cases" / "kontraktformer" / "pr_uge.yaml"

#: 2020 has 53 ISO weeks; the panel runs 2020-W01 … 2021-W01 (54 weeks).
PANEL_WEEKS = [f"y_20{w:02d}" for w in range(1, 54)] + ["y_2101"]
#: Weeks self-supported (an empty week) in weeks 1–52 after the start week 2020-W01, i.e. 2020-W02 … 2020-W53;
#: every other week is coded 890 (a health-related benefit in the shipped grouping bmc_2023).
TREATED = [0, 10, 26, 40, 52, 52]
CONTROL = [0, 5, 10, 20, 30]

# The hand calculation (1.000 kr. per week, cap 30.000 kr. per participant, 150.000 kr. in total):
#   each person: min(1.000 × weeks, 30.000) = 0 + 10.000 + 26.000 + 30.000 + 30.000 + 30.000 = 126.000 kr.
#   in total: min(126.000, 150.000) = 126.000 kr.
# On the group's weeks in total instead (the cap per participant pooled): 180 weeks × 1.000 = 180.000 kr.,
# capped at min(30.000 × 6, 150.000) = 150.000 kr. — the persons above the cap would pay for those below it.
PER_PERSON = 0 + 10_000 + 26_000 + 30_000 + 30_000 + 30_000
assert PER_PERSON == 126_000


def danish_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A CSV file as Danish Excel saves it: semicolons, UTF-8 with a byte-order mark, CRLF."""
    text = "\r\n".join(";".join(r) for r in [header] + rows) + "\r\n"
    path.write_bytes(text.encode("utf-8-sig"))
    return path


def write_trial(folder: Path, treated=TREATED, control=CONTROL, rule=None, link=None, measure=None) -> Path:
    """Panel, cohort, a one-metric pr_periode case (measured 24 months after the contract's start) and the
    measurement file; returns the measurement file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    persons = [(f"P{i + 1:02d}", "indsats", w) for i, w in enumerate(treated)]
    persons += [(f"K{i + 1:02d}", "kontrol", w) for i, w in enumerate(control)]
    rows = []
    for pnr, _, weeks in persons:
        # week 0 (2020-W01): on the benefit; weeks 1..weeks self-supported (empty); then 890 to 2021-W01
        codes = ["890"] + [""] * weeks + ["890"] * (len(PANEL_WEEKS) - 1 - weeks)
        rows.append([pnr] + codes)
    danish_csv(folder / "panel.csv", ["pnr"] + PANEL_WEEKS, rows)
    danish_csv(folder / "kohorte.csv", ["pnr", "start", "gruppe"], [[p, "2020-W01", g] for p, g, _ in persons])
    case = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    case["maaling"].pop("uger_36")  # the case's expected measurement of the one metric kept
    metric = case["betalingsmodel"]["resultatmaal"][0]
    metric.pop("aar")  # the year follows from the month: ⌊24 / 12⌋ = 2
    metric["regel"] = rule or {"type": "pr_periode", "sats": 1000, "periode": "uge", "loft_pr_deltager": 30_000,
                               "loft_i_alt": 150_000}
    case["betalingsmodel"]["resultatmaal"] = [metric]
    (folder / "case.yaml").write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    spec = {
        "navn": "Uger i job – Aalborg-model", "case": "case.yaml",
        "panel": {"fil": "panel.csv", "format": "bred", "person": "pnr"},
        "kohorte": {"fil": "kohorte.csv"},
        "maal": [measure or {"id": "uger_selv", "navn": "Uger selvforsørget", "type": "uger", "gruppe": "selvforsoerget",
                             "fra": 1, "til": 52}],
        "betaling": [link or {"resultatmaal": "uger_24", "maal": "uger_selv", "vaerdi": "niveau", "skala": "pr_person"}],
    }
    (folder / "maaling.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return folder / "maaling.yaml"


def run(path: Path):
    spec, base = report.load_file(path)
    return report.run(spec, base)


def test_weeks_per_participant_are_paid_with_the_cap_on_each_person(tmp_path):
    result = run(write_trial(tmp_path))
    # The panel gives each person's weeks: the intervention group's mean is (0+10+26+40+52+52)/6 = 30.
    assert result.measures[0].treated["gennemsnit"] == pytest.approx(30.0)
    assert result.paid == {"uger_24": pytest.approx(PER_PERSON)}
    # Measured 24 months after the contract's start: year ⌊24/12⌋ = 2 of the case's five.
    assert result.payments == pytest.approx([0.0, 0.0, 126_000.0, 0.0, 0.0])
    # The settlement's savings follow the measured effect, not the weeks paid for: (30 − 13) weeks × 6 persons
    # = 102 extra weeks for the 6 measured; the case expects 20 weeks × net success (0.40 − 0.15) × 50 participants
    # = 250 weeks for its 50, i.e. 250 × 6 / 50 = 30 weeks for 6 persons, so each year's savings are
    # 102 / 30 = 3.4 times the case's (17 weeks a person against the case's 5: net success 0.15 + 3.4 × 0.25 = 1).
    ratio, metric, case_value = result.savings_basis.scales["job"]
    assert (metric, case_value, ratio) == ("uger_24", pytest.approx(250.0 * 6 / 50), pytest.approx(3.4))
    expected = result.savings_basis.expected["job"]
    assert result.settlement.savings == pytest.approx([3.4 * v for v in expected], rel=1e-12)
    # The metric shows the weeks in total (180), never the persons' own weeks.
    assert result.metrics == [("uger_24", result.metrics[0][1], 2, "uger_selv", 180.0)]
    # The same as the rule paid on the six numbers directly (the one definition of the per-person cap).
    rule = PerPeriodRule(type="pr_periode", sats=1000, loft_pr_deltager=30_000, loft_i_alt=150_000)
    assert rule.payment(TREATED) == pytest.approx(PER_PERSON)


def test_the_cap_in_total_applies_after_the_caps_per_person(tmp_path):
    rule = {"type": "pr_periode", "sats": 1000, "periode": "uge", "loft_pr_deltager": 30_000, "loft_i_alt": 100_000}
    # min(126.000, 100.000) = 100.000 kr.
    assert run(write_trial(tmp_path, rule=rule)).paid["uger_24"] == pytest.approx(100_000)


def test_the_effect_based_variant_pays_the_extra_weeks(tmp_path):
    # No cap per participant: (30 − 13) weeks × 6 persons = 102 weeks × 1.000 = 102.000 kr. ≤ 150.000 kr.
    # The comparison group's mean: (0+5+10+20+30)/5 = 13.
    rule = {"type": "pr_periode", "sats": 1000, "periode": "uge", "loft_i_alt": 150_000}
    link = {"resultatmaal": "uger_24", "maal": "uger_selv", "skala": "i_alt"}
    result = run(write_trial(tmp_path, rule=rule, link=link))
    assert result.measures[0].estimate.effect == pytest.approx(17.0)
    assert result.paid["uger_24"] == pytest.approx(102_000) and result.payments[2] == pytest.approx(102_000)


def test_command_line_prints_the_payment_and_the_year_it_falls_due(tmp_path, capsys):
    path = write_trial(tmp_path)
    assert cli.main(["maal", str(path)]) == 0
    out = capsys.readouterr().out
    assert "uger_24 (måling 24 måneder efter kontraktens start, betales i år 2):" in out
    assert "hver deltagers egne uger i uger_selv: 180 uger i alt for 6 deltagere; loftet pr. deltager gælder hver person" in out
    assert "betaling 126.000 kr." in out  # whole kr., as every other command prints amounts
    assert "Betalinger pr. år (hele kr.): år 0: 0; år 1: 0; år 2: 126.000; år 3: 0; år 4: 0" in out
    assert cli.main(["maal", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["resultatmaal"] == [{"id": "uger_24", "navn": data["resultatmaal"][0]["navn"], "aar": 2, "maaned": 24,
                                     "maal": "uger_selv", "skala": "pr_person", "vaerdi": 180.0, "betaling": 126_000.0}]
    assert data["betalinger"][2] == 126_000.0
    assert cli.main(["maal", str(path), "-o", str(tmp_path / "rapport.xlsx")]) == 0
    assert (tmp_path / "rapport.xlsx").exists()


def test_report_workbook_pays_both_variants_as_libreoffice_recalculates(tmp_path, soffice):
    per_person = run(write_trial(tmp_path / "pr_person"))
    rule = {"type": "pr_periode", "sats": 1000, "periode": "uge", "loft_i_alt": 150_000}
    effect = run(write_trial(tmp_path / "effekt", rule=rule, link={"resultatmaal": "uger_24", "maal": "uger_selv",
                                                                   "skala": "i_alt"}))
    sources, expected = [], []
    for name, result in (("pr_person", per_person), ("effekt", effect)):
        wb, values = measurement_sheet.build(result)
        sources.append(tmp_path / f"{name}.xlsx")
        wb.save(sources[-1])
        expected.append(values)
    recalculated = recalculate_many(sources, tmp_path / "out")
    for path, values, paid in zip(recalculated, expected, (126_000, 102_000)):
        ws = openpyxl.load_workbook(path, data_only=True)[measurement_sheet.SHEET]
        for address, value in values.items():
            assert ws[address].value == pytest.approx(value, rel=1e-9, abs=1e-6), (path.name, address)
        # The metric's payment cell (column K of the row naming uger_24) holds the hand-worked amount.
        row = next(r for r in ws.iter_rows() if r[0].value == "uger_24")
        assert row[10].value == pytest.approx(paid), path.name
        texts = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
        assert not any(t.startswith(("P0", "K0")) for t in texts)  # no person id
    # Per person: the sum of each person's capped payment is a value (the weeks stay inside), the cap in total a
    # formula; on the effect: the weeks (30 − 13) × 6 = 102 are the link's formula, the rule its own formula.
    assert any(a.startswith("K") for a in expected[0]) and len(expected[1]) > len(expected[0])


def test_fewer_than_5_participants_are_never_paid_on(tmp_path, capsys):
    path = write_trial(tmp_path, treated=[10, 26, 40, 52])  # 4 persons
    with pytest.raises(SIError) as err:
        run(path)
    assert err.value.danish == ("Fejl i betaling[0].maal: målingen er undertrykt (under 5 personer), "
                                "så betalingen kan ikke beregnes")
    assert cli.main(["maal", str(path)]) == 2
    captured = capsys.readouterr()
    assert "målingen er undertrykt" in captured.err and "kr." not in captured.out + captured.err


def measurement_error(tmp_path: Path, **kwargs) -> str:
    with pytest.raises(SIError) as err:
        run(write_trial(tmp_path, **kwargs))
    return err.value.danish


LINK = {"resultatmaal": "uger_24", "maal": "uger_selv", "vaerdi": "niveau", "skala": "pr_person"}


@pytest.mark.parametrize("kwargs,expected", [
    # A rule that cannot take weeks per participant.
    ({"rule": {"type": "lineaer", "taerskel": 0, "maal": 52, "betaling_ved_maal": 30_000}},
     "Fejl i betaling[0].skala: pr_person kan kun bruges med en regel, der betales pr. deltager (pr_periode); "
     "'uger_24' har reglen lineaer"),
    # A rate per month against a panel that counts weeks.
    ({"rule": {"type": "pr_periode", "sats": 4000, "periode": "måned"}},
     "Fejl i betaling[0].resultatmaal: 'uger_24' betaler pr. måned, men et ugepanel tæller uger; brug periode: uge"),
    # Participants in the rule that the panel does not have (6 measured).
    ({"rule": {"type": "pr_periode", "sats": 1000, "loft_pr_deltager": 30_000, "deltagere": 50}},
     "Fejl i case.betalingsmodel.uger_24.regel.deltagere: er 50, men uger har 6 værdier — én pr. deltager"),
    # A missing measure.
    ({"link": {**LINK, "maal": "uger_job"}},
     "Fejl i betaling[0].maal: ukendt mål 'uger_job'; kendte: uger_selv"),
    # Per person needs each person's own weeks: a level, counted in weeks, unsigned, no interval.
    ({"link": {**LINK, "vaerdi": "effekt"}},
     "Fejl i betaling[0].vaerdi: skal være niveau med skala: pr_person (hver deltagers egne uger; "
     "en effekt mod en sammenligning findes ikke pr. person)"),
    ({"link": {"resultatmaal": "uger_24", "maal": "uger_selv", "skala": "pr_person"}},
     "Fejl i betaling[0].vaerdi: skal være niveau med skala: pr_person (hver deltagers egne uger; "
     "en effekt mod en sammenligning findes ikke pr. person)"),
    ({"link": {**LINK, "fortegn": -1}},
     "Fejl i betaling[0].fortegn: skal være 1 med skala: pr_person (hver deltager betales for sine egne uger)"),
    ({"link": {**LINK, "interval": "nedre"}},
     "Fejl i betaling[0].interval: skal være punkt med skala: pr_person (hver deltagers uger er talt, ikke skønnet)"),
    ({"measure": {"id": "uger_selv", "navn": "I job i uge 52", "type": "status", "gruppe": "selvforsoerget", "uge": 52}},
     "Fejl i betaling[0].skala: pr_person kræver et mål af typen uger, men 'uger_selv' er status"),
    ({"link": {**LINK, "skala": "pr_deltagr"}},
     None),  # a misspelt scale: the field is named, with the allowed values
])
def test_per_person_errors_are_danish_and_named(tmp_path, kwargs, expected):
    message = re.sub(r" \(linje \d+\)", "", measurement_error(tmp_path, **kwargs))  # each message also gives its line
    if expected is None:
        assert message.startswith("Fejl i betaling[0].skala:") and "pr_person" in message
    else:
        assert message == expected


def test_a_per_person_payment_is_the_rule_applied_to_the_series():
    # The link hands the rule the series unchanged; the payment model pays it as PerPeriodRule.payment does.
    model = PaymentModel.model_validate({"resultatmaal": [{
        "id": "uger", "navn": "Uger i job", "enhed": "uger", "datakilde": "DREAM", "maaletidspunkt": "efter 18 måneder",
        "maaned": 18, "regel": {"type": "pr_periode", "sats": 1000, "loft_pr_deltager": 30_000, "loft_i_alt": 150_000}}]})
    from udfs.core.payment import contract_payments

    # Month 18 falls in year ⌊18/12⌋ = 1.
    assert contract_payments(model, {"uger": TREATED}) == pytest.approx([0.0, 126_000.0])
    assert parse_measurement_file({
        "navn": "x", "case": "c.yaml", "panel": {"fil": "p.csv"}, "kohorte": {"fil": "k.csv"},
        "maal": [{"id": "a", "navn": "a", "type": "uger", "gruppe": "selvforsoerget", "fra": 1, "til": 52}],
        "betaling": [{"resultatmaal": "uger", "maal": "a", "vaerdi": "niveau", "skala": "pr_person"}],
    }).betaling[0].skala == "pr_person"
