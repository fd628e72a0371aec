"""The settlement of measured payments (``sibc maal``) goes through the case's settlement (``sibc afregn``):
the same guarantee, return cap and floor, the same rows in text, JSON and the report workbook.

The files are an economist's Housing First measurement (tests/data/housing_first): 25 persons in the
intervention group and 50 in the control group; 18 of the 25 (0,72) and 21 of the 50 (0,42) had no shelter
stay in the year after start, an effect of 0,30.  The case: an investment of 2 × 1.500.000 = 3.000.000 kr.,
a state guarantee of 50 % of it (1.500.000 kr.), payments ``bolig`` (linear 0,2 → 0,4 pays 0 → 2.000.000 kr.)
and ``herbergfri`` (0 → 30 persons pays 0 → 1.500.000 kr., the effect × 25 persons).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from udfs.core.measurement import report
from udfs.core.published import settlement_rows
from udfs.core.casefile import read_case_file
from workbooks import cli, measurement_sheet
from workbooks.recalc import recalculate

DATA = Path(__file__).resolve().parent / "data" / "housing_first"

# Hand: bolig (0,30 − 0,2) / (0,4 − 0,2) × 2.000.000 = 1.000.000 kr.; herbergfri 0,30 × 25 = 7,5 persons,
# 7,5 / 30 × 1.500.000 = 375.000 kr.; together 1.375.000 kr.  The guarantor pays
# min(1.500.000; 3.000.000 − 1.375.000) = 1.500.000 kr. in the settlement year (år 4, herbergfri's year),
# and the investor ends at 1.375.000 + 1.500.000 − 3.000.000 = −125.000 kr.
HAND = [
    # (name in JSON, Danish label, kr.)
    ("investering", "Investering", 3_000_000),
    ("betalinger", "Resultatbetalinger i alt (alle betalere)", 1_375_000),
    ("bonus", "Investors bonus", 1_375_000 - 3_000_000),
    ("garanti_daekning", "Garantiens dækning", 0.5 * 3_000_000),
    ("garanti_betaling", "Garantens betaling (i kontraktens afregningsår, år 4)", min(1_500_000, 3_000_000 - 1_375_000)),
    ("investor_netto_garanti", "Investors nettoresultat efter garanti", 1_375_000 + 1_500_000 - 3_000_000),
    ("garant_netto", "Garantens nettoresultat", -1_500_000),
    ("offentlig_garanti", "Offentlig udgift til garanti (i myndighedens netto)", 1_500_000),  # the state stands behind
]


def copied(tmp_path: Path, **case_changes) -> Path:
    for f in DATA.iterdir():
        shutil.copy(f, tmp_path / f.name)
    if case_changes:
        case = yaml.safe_load((tmp_path / "hf.yaml").read_text(encoding="utf-8"))
        case.update(case_changes)
        (tmp_path / "hf.yaml").write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    return tmp_path / "maaling.yaml"


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    spec_path = copied(tmp_path_factory.mktemp("hf"))
    spec, base = report.load_file(spec_path)
    return spec_path, report.run(spec, base)


@pytest.mark.parametrize("name,label,kr", HAND)
def test_the_measured_settlement_has_the_guarantee_in_text_and_json(measured, capsys, name, label, kr):
    spec_path, result = measured
    assert result.payments[3] == pytest.approx(1_000_000) and result.payments[4] == pytest.approx(375_000)
    assert cli.main(["maal", str(spec_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["afregning"][name] == pytest.approx(kr, abs=1e-6)
    assert cli.main(["maal", str(spec_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    shown = cli.kroner(kr)
    assert any(line.strip().startswith(label) and line.rstrip().endswith(" " + shown) for line in lines), (label, shown)


def test_the_measured_settlement_has_the_same_rows_as_afregn(measured, capsys):
    """The same line items, in the same order, as ``sibc afregn`` on the case (with savings: the measurement here
    gives none, see the design notes), and the guarantor's flow by year: −1.500.000 kr. in year 4."""
    spec_path, result = measured
    case_rows, _ = settlement_rows(read_case_file(spec_path.parent / "hf.yaml"))
    dropped = {"besparelser", "nettobesparelse"}  # no honest scaling of the savings in this measurement
    assert [i.name for i, _ in result.settlement_rows] == [i.name for i, _ in case_rows if i.name not in dropped]
    years = {name: values for name, _, values in result.settlement_lines}
    assert years["garant_pengestroem"][4] == -1_500_000 and sum(years["garant_pengestroem"]) == -1_500_000
    # the investor's flow after the guarantee: year 4 receives 375.000 + 1.500.000 = 1.875.000 kr.
    assert years["investor_efter_garanti"][4] == pytest.approx(1_875_000)


def test_a_return_floor_goes_through_the_same_settlement(tmp_path, capsys):
    """afkastgulv −0,5: the payments are topped up to 3.000.000 × (1 − 0,5) = 1.500.000 kr. (125.000 kr. added);
    the guarantor then pays min(1.500.000; 3.000.000 − 1.500.000) = 1.500.000 kr., and the investor nets 0."""
    spec_path = copied(tmp_path, afkastgulv=-0.5)
    assert cli.main(["maal", str(spec_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["afregning"]
    assert data["betalinger"] == pytest.approx(1_500_000)
    assert data["gulv_lagt_til"] == pytest.approx(1_500_000 - 1_375_000)
    assert data["garanti_betaling"] == pytest.approx(1_500_000)
    assert data["investor_netto_garanti"] == pytest.approx(0, abs=1e-6)


def _recalculated_report(result, tmp_path, tolerance: float = 1e-6):
    """The measurement's report workbook as built (its formulas) and as LibreOffice computes it, each cell checked
    against the value the core expects (to ``tolerance`` kr. beside 10⁻⁹ of the value)."""
    wb, expected = measurement_sheet.build(result)
    src = tmp_path / "in" / "rapport.xlsx"
    src.parent.mkdir()
    wb.save(src)
    ws = openpyxl.load_workbook(recalculate(src, tmp_path / "out"), data_only=True)[measurement_sheet.SHEET]
    for address, value in expected.items():
        assert ws[address].value == pytest.approx(value, rel=1e-9, abs=tolerance), address
    return wb[measurement_sheet.SHEET], ws


def test_the_report_workbook_shows_the_guarantee_as_libreoffice_computes_it(measured, tmp_path, soffice):
    _, result = measured
    _, ws = _recalculated_report(result, tmp_path)
    rows = {row[0].value: row[1].value for row in ws.iter_rows(max_col=2) if isinstance(row[0].value, str)}
    for _, label, kr in HAND:
        assert rows[label] == pytest.approx(kr, abs=1e-6), label


def test_the_design_notes_compare_the_target_for_the_persons_measured(measured):
    """bolig is paid per participant: its target 0,4 against the MDE 0,315 (the measurement's, per participant).
    herbergfri counts persons: the case's target 30 counts its 3 × 25 = 75 participants, so for the 25 measured it
    is 30 × 25 / 75 = 10 persons, against an MDE of 0,315 × 25 = 7,88 persons; the payment sets the 25's count
    against the target for all 75."""
    _, result = measured
    mde = next(r.mde for r in result.measures if r.measure.id == "ingen_herberg_aar")
    assert f"{mde:.3g}" == "0.315" and f"{mde * 25:.3g}" == "7.88"
    notes = [n for n in result.notes if n.startswith(("bolig:", "herbergfri:"))]
    assert notes == [
        "bolig: målet 0,4 mod en mindste påviselige effekt på 0,315 (styrke 0,8, niveau 0,95): målet kan påvises.",
        "herbergfri: målet 30 gælder casens 75 deltagere; for de 25 målte er det 10 mod en mindste påviselige effekt "
        "på 0,315 pr. deltager × 25 målte = 7,88 (styrke 0,8, niveau 0,95): målet kan påvises.\n"
        "Betalingen måler herbergfri på de 25 målte alene mod målet for alle 75 deltagere.",
    ]


def test_a_count_of_the_persons_measured_is_scaled_against_the_case_for_as_many_persons():
    """Both metrics measure the effect 'herberg' at the same net success rate: bolig 0,30 against the case's 0,4
    (0,6 − 0,2) is 0,75; herbergfri 7,5 persons of 25 against the case's 30 of 75, i.e. 10 of 25, is 0,75 too —
    not 7,5 / 30 = 0,25.  The savings stay out for the true reason: no metric measures 'kontanthjaelp' (psyk saves the region's money, not the payer's)."""
    from udfs.core.published import measured_savings

    case = read_case_file(DATA / "hf.yaml")
    basis = measured_savings(case, {"bolig": 0.3, "herbergfri": 7.5}, counted={"herbergfri": 25})
    assert basis.scales["herberg"] == (pytest.approx(0.75), "herbergfri", pytest.approx(30 * 25 / 75))
    assert basis.reason == "effekten 'Færre uger på kontanthjælp' måles ikke af noget resultatmål, så dens besparelse kan ikke skaleres"


# The payer (kommune) as its own guarantor, covering 200.000 kr.: the guarantee pays
# min(200.000; 3.000.000 − 1.375.000 = 1.625.000) = 200.000 kr. in år 4, so the kommune pays out
# 1.375.000 + 200.000 = 1.575.000 kr. in all (år 3: 1.000.000; år 4: 375.000 + 200.000 = 575.000).
# The measurement has no savings (see the design notes), so there is no net saving to show it against.
OWN_GUARANTEE = {"garant": "Vestby Kommune", "myndighed": "kommune", "beloeb": 200_000}
OUTLAY_LABEL = "Betalers udgift efter garanti (betalinger + garanti)"
OUTLAY = 1_375_000 + min(200_000, 3_000_000 - 1_375_000)


@pytest.fixture(scope="module")
def own_guarantor(tmp_path_factory):
    spec_path = copied(tmp_path_factory.mktemp("hf_own"), garanti=OWN_GUARANTEE)
    spec, base = report.load_file(spec_path)
    return spec_path, report.run(spec, base)


def test_the_payer_as_its_own_guarantor_shows_its_outlay_in_text_and_json(own_guarantor, capsys):
    spec_path, result = own_guarantor
    assert OUTLAY == 1_575_000
    assert cli.main(["maal", str(spec_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["afregning"]["betalinger_betaler"] == pytest.approx(1_375_000)
    assert data["afregning"]["garanti_betaling"] == pytest.approx(200_000)
    assert data["afregning"]["betaler_udgift_garanti"] == pytest.approx(OUTLAY)
    yearly = data["afregning_aar_for_aar"]["betaler_udgift_garanti"]
    assert [yearly["aar_3"], yearly["aar_4"], yearly["i_alt"]] == pytest.approx([1_000_000, 575_000, OUTLAY])
    assert cli.main(["maal", str(spec_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.strip().startswith(OUTLAY_LABEL) and line.rstrip().endswith(" 1.575.000") for line in lines)
    years = {name: values for name, _, values in result.settlement_lines}
    assert list(years["betaler_udgift_garanti"][3:5]) == pytest.approx([1_000_000, 375_000 + 200_000])


def test_the_outlay_line_is_the_payer_s_own_and_comes_with_afregn_s_labels(measured, own_guarantor):
    """A state guarantee is no outlay of the payer: no such line.  With savings, the payer as its own guarantor
    gets ``sibc afregn``'s net saving before and after the guarantee instead (and no outlay line)."""
    _, state = measured
    assert "betaler_udgift_garanti" not in [i.name for i, _ in state.settlement_rows]
    _, own = own_guarantor
    names = [i.name for i, _ in own.settlement_rows]
    assert "betaler_udgift_garanti" in names and "nettobesparelse_garanti" not in names
    with_savings, _ = settlement_rows(read_case_file(own_guarantor[0].parent / "hf.yaml"))  # as sibc afregn
    labels = {i.name: i.label for i, _ in with_savings}
    assert labels["nettobesparelse"] == "Betalers nettobesparelse før garanti (uden egne omkostninger)"
    assert labels["nettobesparelse_garanti"] == "Betalers nettobesparelse efter garanti (uden egne omkostninger)"
    assert "betaler_udgift_garanti" not in labels


def test_the_report_workbook_computes_the_payer_s_outlay_as_libreoffice_does(own_guarantor, tmp_path, soffice):
    _, result = own_guarantor
    built, ws = _recalculated_report(result, tmp_path)
    formulas = {row[0].value: row[1].value for row in built.iter_rows(max_col=2) if isinstance(row[0].value, str)}
    assert str(formulas[OUTLAY_LABEL]).startswith("=")  # a formula of the rows above, not a value
    rows = {row[0].value: row[1].value for row in ws.iter_rows(max_col=2) if isinstance(row[0].value, str)}
    assert rows[OUTLAY_LABEL] == pytest.approx(OUTLAY, abs=0.01)
    assert rows["Garantens betaling (i kontraktens afregningsår, år 4)"] == pytest.approx(200_000, abs=0.01)


def test_with_measured_savings_the_payer_as_guarantor_gets_afregn_s_net_lines_as_formulas(tmp_path, soffice, capsys):
    """The synthetic example (``sibc maal --lav-eksempel``: Sygedagpenge, investment 6.200.000 kr.) with the kommune
    as guarantor of half the investment (3.100.000 kr.): the measured savings are scaled, so the settlement shows
    ``sibc afregn``'s two lines, the net saving before and after the guarantee, and the workbook computes the
    latter as before − the guarantee's payment (LibreOffice)."""
    folder = tmp_path / "eks"
    assert cli.main(["maal", str(folder), "--lav-eksempel"]) == 0
    case_file = folder / "sygedagpenge.yaml"
    case_file.write_text(case_file.read_text(encoding="utf-8") + "garanti:\n  garant: Vestby Kommune\n  myndighed: kommune\n"
                         "  andel: 0.5\n", encoding="utf-8")
    spec, base = report.load_file(folder / "maaling.yaml")
    result = report.run(spec, base)
    figures = {i.name: (i.label, v) for i, v in result.settlement_rows}
    before, after, paid = figures["nettobesparelse"], figures["nettobesparelse_garanti"], figures["garanti_betaling"][1]
    assert before[0] == "Betalers nettobesparelse før garanti (uden egne omkostninger)"
    assert after[0] == "Betalers nettobesparelse efter garanti (uden egne omkostninger)"
    payments = figures["betalinger"][1]
    assert paid == pytest.approx(min(0.5 * 6_200_000, 6_200_000 - payments))  # the guarantee's payment, by hand
    assert after[1] == pytest.approx(before[1] - paid)
    assert "betaler_udgift_garanti" not in figures
    built, ws = _recalculated_report(result, tmp_path, tolerance=0.01)
    formulas = {row[0].value: row[1].value for row in built.iter_rows(max_col=2) if isinstance(row[0].value, str)}
    assert str(formulas[after[0]]).startswith("=")
    rows = {row[0].value: row[1].value for row in ws.iter_rows(max_col=2) if isinstance(row[0].value, str)}
    assert rows[after[0]] == pytest.approx(after[1], abs=0.01)
