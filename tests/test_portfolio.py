"""The portfolio (udfs/core/portfolio.py, sibc portefoelje): totals are the sums of the cases' own figures.

Every expected value comes from the engine's own figures of each case (key_figures, yearly_lines), summed
here independently, or from LibreOffice recalculating the portfolio sheet's SUM formulas.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import openpyxl
import re

import pytest
import yaml

from udfs.core.businesscase import key_figures, yearly_lines
from udfs.core.casefile import load_business_case
from udfs.core.engine import run
from udfs.core.portfolio import COLUMNS, NAMES, portfolio
from udfs.core.vocabulary import AUTHORITIES, TOLERANCE_KR
from workbooks import portfolio_out
from workbooks.cli import example_cases, main
from workbooks.recalc import find_soffice, recalculate

EXAMPLES = example_cases()


@pytest.fixture(scope="module")
def shipped():
    return portfolio(EXAMPLES[0].parent)


def test_every_shipped_example_is_in_the_portfolio(shipped):
    assert [line.file for line in shipped.lines] == [p.name for p in EXAMPLES]
    assert shipped.errors == ()


def test_totals_are_the_sums_of_each_cases_own_figures(shipped):
    """Each case's figures from the engine's key figures and year-by-year lines, summed here."""
    expected = dict.fromkeys(["investering", "betalinger", *(f"bes_{a}" for a in AUTHORITIES)], 0.0)
    payer_pv = []
    for path in EXAMPLES:
        result = run(load_business_case(path))
        figures, lines = key_figures(result), yearly_lines(result)
        expected["investering"] += figures["investering"]
        expected["betalinger"] += figures["betalinger_i_alt"]
        for a in AUTHORITIES:
            expected[f"bes_{a}"] += sum(lines[f"r_bes_{a}"])
        payer_pv.append((result.case.betaler, figures["nv_betaler"], figures["bonus"], sum(lines["r_netto_betaler"])))
    for name, value in expected.items():
        assert shipped.totals[name] == pytest.approx(value, abs=1e-6), name
    for line, (payer, pv, bonus, net) in zip(shipped.lines, payer_pv, strict=True):
        # the payer's net in the portfolio is the engine's payer net; the investor's is the bonus
        assert line.figures[f"nv_{payer}"] == pytest.approx(pv, abs=1e-6)
        assert line.figures[f"netto_{payer}"] == pytest.approx(net, abs=1e-6)
        assert line.figures["netto_investor"] == pytest.approx(bonus, abs=1e-6)
    for name in NAMES:
        given = [line.figures[name] for line in shipped.lines if line.figures[name] is not None]
        assert shipped.totals[name] == (pytest.approx(sum(given)) if given else None), name


def test_published_sygedagpenge_figures(shipped):
    """Sygedagpenge (Carelink/Den Sociale Kapitalfond, seed 000): investment 6.2 mio. kr., savings
    6.4 + 23 = 29.4 mio. kr. for the kommune, payments 7.4 mio. kr.; 120 citizens (the effect's 120
    participants at success 1.0, workbooks/cases/sygedagpenge.yaml)."""
    line = next(line for line in shipped.lines if line.file == "sygedagpenge.yaml")
    assert line.figures["investering"] == pytest.approx(6_200_000)
    assert line.figures["bes_kommune"] == pytest.approx(29_400_000, abs=1)
    assert line.figures["betalinger"] == pytest.approx(7_400_000)
    assert line.figures["borgere"] == pytest.approx(120)
    # the kommune's net: 29.4 − 7.4 = 22.0 mio. kr.; the investor's 7.4 − 6.2 = 1.2 mio. kr.
    assert line.figures["netto_kommune"] == pytest.approx(22_000_000, abs=1)
    assert line.figures["netto_investor"] == pytest.approx(1_200_000)


def test_citizens_helped_is_participants_times_net_success():
    """eksempel_alle_myndigheder.yaml: 90 participants (30 + 30 + 30); job 0.35 − control 0.15 = 0.20 → 18,
    behandling 0.35 − 0.15 → 18, kriminalitet 0.15 − 0.05 → 9: the largest is 18."""
    case = load_business_case(EXAMPLES[0].parent / "eksempel_alle_myndigheder.yaml")
    line = portfolio_of([case.model_dump(mode="json", exclude_defaults=True)])
    assert line.lines[0].figures["borgere"] == pytest.approx(18)


def portfolio_of(datas, tmp=None):
    import tempfile
    from pathlib import Path

    folder = Path(tmp or tempfile.mkdtemp())
    for k, data in enumerate(datas):
        (folder / f"case{k}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return portfolio(folder)


def test_realised_figures_beside_the_expected(tmp_path):
    base = load_business_case(EXAMPLES[0].parent / "eksempel_ungeindsats.yaml").model_dump(mode="json", exclude_defaults=True)
    real = {"dato": "2027-06-30", "kilde": "Afregning 2027", "betalinger": 1_000_000,
            "besparelser": {"kommune": 2_500_000, "stat": 500_000}, "borgere_i_arbejde": 21}
    p = portfolio_of([{**base, "realiseret": real}, base], tmp_path)
    first, second = p.lines
    assert first.figures["real_betalinger"] == 1_000_000
    assert first.figures["real_bes_kommune"] == 2_500_000 and first.figures["real_bes_region"] == 0
    assert first.realised_date == "2027-06-30" and first.realised_source == "Afregning 2027"
    assert second.figures["real_betalinger"] is None
    # totals: the one case that gives them; the expected figures of both
    assert p.totals["real_betalinger"] == 1_000_000 and p.totals["real_borgere"] == 21
    assert p.totals["betalinger"] == pytest.approx(2 * first.figures["betalinger"])
    text = portfolio_out.text_tables(p)
    assert "1.000.000" in text and "pr. 2027-06-30, kilde: Afregning 2027" in text


@pytest.mark.parametrize(("real", "field", "words"), [
    ({"dato": "2027-13-01", "kilde": "x"}, "realiseret.dato", "ikke en gyldig dato"),
    ({"kilde": "x"}, "realiseret.dato", "mangler"),
    ({"dato": "2027-01-01"}, "realiseret.kilde", "mangler"),
    ({"dato": "2027-01-01", "kilde": "x", "betalinger": -5}, "realiseret.betalinger", "må ikke være negativ (højst 1.000 mia.), ikke -5"),
    ({"dato": "2027-01-01", "kilde": "x", "besparelser": {"komune": 1}}, "realiseret.besparelser.komune", "ukendt felt"),
    ({"dato": "2027-01-01", "kilde": "x", "borgere_i_arbejde": "mange"}, "realiseret.borgere_i_arbejde", "tal"),
])  # fmt: skip
def test_a_bad_realised_block_is_named(tmp_path, real, field, words):
    base = load_business_case(EXAMPLES[0].parent / "eksempel_ungeindsats.yaml").model_dump(mode="json", exclude_defaults=True)
    p = portfolio_of([{**base, "realiseret": real}], tmp_path)
    assert p.lines == ()
    (name, message), = p.errors
    # named with its line in the file (the portfolio reads each file as sibc calc does)
    assert name == "case0.yaml" and re.match(rf"Fejl i {re.escape(field)}( \(linje \d+\))?: ", message) and words in message, message


def test_a_bad_file_is_named_and_the_rest_still_run(tmp_path, capsys):
    for path in EXAMPLES:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "a_ugyldig.yaml").write_text("navn: [uafsluttet\n", encoding="utf-8")
    (tmp_path / "b_tom.json").write_text("{}", encoding="utf-8")
    assert main(["portefoelje", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert f"({len(EXAMPLES)} cases)" in out
    assert "a_ugyldig.yaml: Fejl i casefil: filen kan ikke læses" in out
    assert "b_tom.json: Fejl i" in out
    assert err.strip() == f"Fejl i portefoelje: 2 filer af {len(EXAMPLES) + 2} kunne ikke beregnes (se ovenfor)"


def test_a_folder_without_cases_is_refused(tmp_path, capsys):
    assert main(["portefoelje", str(tmp_path)]) == 2
    assert "Fejl i mappe: " in capsys.readouterr().err
    assert main(["portefoelje", str(tmp_path / "findes_ikke")]) == 2
    assert "er ikke en mappe" in capsys.readouterr().err


def test_the_table_fits_100_columns_with_whole_kroner(shipped):
    text = portfolio_out.text_tables(shipped)
    assert max(len(line) for line in text.splitlines()) <= 100
    total = shipped.totals["investering"]
    assert f"{round(total):,}".replace(",", ".") in text  # 20.940.000: whole kr., thousands points


def test_csv_as_danish_excel_reads_it(shipped, tmp_path, capsys):
    target = tmp_path / "p.csv"
    assert main(["portefoelje", str(EXAMPLES[0].parent), "--csv", str(target)]) == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    rows = [r.split(";") for r in data.decode("utf-8-sig").splitlines()]
    assert rows[0][:3] == ["Fil", "Case", COLUMNS[0].label]
    assert rows[-1][1] == "I alt"
    # the total investment written with a decimal comma (no thousands separator), as write_csv writes numbers
    assert float(rows[-1][2].replace(",", ".")) == pytest.approx(shipped.totals["investering"])
    assert len(rows) == len(EXAMPLES) + 2


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
def test_the_sheets_sums_recalculated_by_libreoffice_equal_the_totals(shipped, tmp_path, capsys):
    target = tmp_path / "portefoelje.xlsx"
    assert main(["portefoelje", str(EXAMPLES[0].parent), "--xlsx", str(target)]) == 0
    ws = openpyxl.load_workbook(recalculate(target, tmp_path / "lo"), data_only=True)[portfolio_out.SHEET]
    formulas = openpyxl.load_workbook(target)[portfolio_out.SHEET]
    total_row = len(shipped.lines) + 2
    assert ws.cell(total_row, 2).value == "I alt"
    for j, name in enumerate(NAMES):
        col = portfolio_out.FIRST_FIGURE_COLUMN + j
        if shipped.totals[name] is None:
            assert ws.cell(total_row, col).value is None, name
            continue
        assert str(formulas.cell(total_row, col).value).startswith("=SUM("), name
        assert abs(ws.cell(total_row, col).value - shipped.totals[name]) <= TOLERANCE_KR, name
        for k, line in enumerate(shipped.lines):
            assert ws.cell(2 + k, col).value == pytest.approx(line.figures[name]), name


def test_the_chart_is_a_png(shipped, tmp_path):
    data = portfolio_out.chart_bytes(shipped)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert portfolio_out.write_chart(shipped, tmp_path / "p.png", False).read_bytes() == data
    with pytest.raises(Exception, match="png"):
        portfolio_out.write_chart(shipped, tmp_path / "p.png", False)  # no silent overwrite


def test_net_per_authority_adds_up_to_the_public_net(shipped):
    """Kommune + region + stat + a central outcomes fund net = the engine's public net (all savings − public
    costs − payments); the fund is 0 in every example but the three-payer one."""
    for path, line in zip(EXAMPLES, shipped.lines, strict=True):
        result = run(load_business_case(path))
        public = float(np.sum(result.public_net[0]))
        assert sum(line.figures[f"netto_{a}"] for a in (*AUTHORITIES, "fond")) == pytest.approx(public, abs=1e-6)


def test_a_published_case_file_takes_a_realised_block_too(tmp_path):
    """The published format (sygedagpenge.yaml) with realised figures beside its expected ones."""
    data = yaml.safe_load((EXAMPLES[0].parent / "sygedagpenge.yaml").read_text(encoding="utf-8"))
    data["realiseret"] = {"dato": "2026-12-31", "kilde": "Delafregning", "betalinger": 3_000_000, "borgere_i_arbejde": 80}
    (tmp_path / "sygedagpenge.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (line,) = portfolio(tmp_path).lines
    assert line.figures["real_betalinger"] == 3_000_000 and line.figures["real_borgere"] == 80
    assert line.figures["betalinger"] == pytest.approx(7_400_000)  # the published payments at full success


def test_case_names_are_never_cut_and_stay_apart(shipped):
    """Trial 3, finding 16: names cut to 12 characters read alike ("Eksempel - …"); a later trial: a cut name is cut.
    The tables give each case its file's name (unique in a folder; the whole file name where two share a stem) and
    list every case's whole name once above them."""
    from workbooks.portfolio_out import case_keys

    assert case_keys(["a.yaml", "a.json", "job_til_mor.yaml"]) == ["a.yaml", "a.json", "job_til_mor"]
    text = portfolio_out.text_tables(shipped)
    assert "…" not in text and max(len(line) for line in text.splitlines()) <= 100
    legend = text.split("\n\n")[0].splitlines()
    for line in shipped.lines:  # "  eksempel_alle_myndigheder  Eksempel - alle myndigheder, investor og betalingsregler"
        assert any(row.split(None, 1) == [Path(line.file).stem, line.name] for row in legend), line.name


def test_the_guarantors_payment_is_a_column_summed_over_the_cases(tmp_path, capsys):
    """The guarantor's payment per case is the core's GuaranteedSettlement payment (as sibc afregn shows it),
    0 without a guarantee, and its total is the sum of the cases' own figures.

    Hand calculation, Rikers (workbooks/cases/kontrakter/rikers.yaml: 9.6 mio. USD invested, nothing paid at the
    case's success rate): guarantor pays min(cover, 9.6 − 0) = min(7.2, 9.6) = 7.2 mio.; with a 3 mio. cover
    min(3, 9.6) = 3 mio.; without a guarantee 0.  Total 7.2 + 3 + 0 = 10.2 mio. USD (all three cases in USD:
    a portfolio adds one currency only)."""
    from udfs.core.published import guaranteed_settlement

    rikers = Path("workbooks/cases/kontrakter/rikers.yaml")
    data = yaml.safe_load(rikers.read_text(encoding="utf-8"))
    shutil.copy(rikers, tmp_path / "a_rikers.yaml")
    data["garanti"]["beloeb"]["vaerdi"] = 3_000_000
    (tmp_path / "b_rikers_3mio.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    del data["garanti"]
    (tmp_path / "c_uden_garanti.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    p = portfolio(tmp_path)
    assert p.errors == ()
    got = [line.figures["garanti_betaling"] for line in p.lines]
    assert got == pytest.approx([7.2e6, 3.0e6, 0.0])
    core = [guaranteed_settlement(load_business_case(tmp_path / f)) for f in ("a_rikers.yaml", "b_rikers_3mio.yaml")]
    assert got[:2] == pytest.approx([g.payment for g in core])
    assert p.totals["garanti_betaling"] == pytest.approx(10.2e6)
    assert main(["portefoelje", str(tmp_path)]) == 0
    table = capsys.readouterr().out
    assert "Garanti (USD;" in table and "10.200.000" in table  # the total, whole dollars with thousands points
    assert max(len(line) for line in table.splitlines()) <= portfolio_out.WIDTH
    header = portfolio_out.csv_table(p)[0]
    assert "Garantens betaling" in header


def test_a_public_guarantors_payment_is_in_its_authoritys_net(tmp_path, capsys):
    """Finding from a user trial: a public body named in other words than the case's parties was taken for a
    private guarantor, and its payment fell outside the public net.  With ``garanti.myndighed: stat`` the
    payment is the stat's cost, per authority in the portfolio.

    Hand calculation, Rikers (9.6 mio. invested in four years of 2.4 mio., nothing paid, no savings, no public
    costs): Socialstyrelsen (stat) covering 600,000 pays min(600,000, 9,600,000 − 0) = 600,000 in the last
    year (year 4).  netto_stat = 0 − 600,000 = −600,000; nv_stat = −600,000 / 1.035^4 = −522,865.34 (the case
    discounts at 3.5 %); netto_investor = 0 − 9,600,000 + 600,000 = −9,000,000; garanti_stat = 600,000,
    garanti_kommune = garanti_region = 0, netto_garant = 0 (no double count).  The Bloomberg original (myndighed
    ingen, 7,200,000 covered) keeps the stat at 0; its private guarantor pays min(7,200,000, 9,600,000 − 0) = 7,200,000:
    netto_garant = −7,200,000, netto_investor = −9,600,000 + 7,200,000 = −2,400,000."""
    rikers = Path("workbooks/cases/kontrakter/rikers.yaml")
    data = yaml.safe_load(rikers.read_text(encoding="utf-8"))
    shutil.copy(rikers, tmp_path / "a_rikers.yaml")
    data["garanti"] = {"garant": "Socialstyrelsen", "myndighed": "stat", "beloeb": 600_000}
    (tmp_path / "b_socialstyrelsen.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    p = portfolio(tmp_path)
    assert p.errors == ()
    private, public = (line.figures for line in p.lines)
    assert (private["garanti_stat"], private["netto_stat"], private["netto_investor"]) == (0.0, 0.0, -2_400_000.0)
    assert private["netto_garant"] == -7_200_000.0 and public["netto_garant"] == 0.0
    assert public["garanti_betaling"] == public["garanti_stat"] == pytest.approx(600_000)
    assert public["garanti_kommune"] == public["garanti_region"] == 0.0
    assert public["netto_stat"] == pytest.approx(-600_000)
    assert public["nv_stat"] == pytest.approx(-600_000 / 1.035**4)
    assert public["netto_investor"] == pytest.approx(-9_000_000)
    assert p.totals["garanti_stat"] == pytest.approx(600_000)
    assert main(["portefoelje", str(tmp_path)]) == 0
    table = capsys.readouterr().out
    assert "Heraf stat" in table and max(len(line) for line in table.splitlines()) <= portfolio_out.WIDTH
