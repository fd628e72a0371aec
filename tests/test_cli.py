"""The sibc command line."""

import json

import pytest

from workbooks.cli import example_cases, main


def test_catalogue_prints_a_table(capsys):
    assert main(["catalogue", "fængsel"]) == 0
    out = capsys.readouterr().out
    assert "faengsel_lukket_dag" in out and "1.878,00" in out  # kriminalforsorgen.dk 2015: 1.878 kr./dag


def test_catalogue_uprated(capsys):
    assert main(["catalogue", "faengsel_lukket", "--prisaar", "2023"]) == 0
    assert "2023" in capsys.readouterr().out


def test_unknown_filter_is_a_danish_error_with_exit_code_2(capsys):
    assert main(["catalogue", "ingen-sådan-række"]) == 2
    assert capsys.readouterr().err.startswith("Fejl i filter:")


def test_price_year_outside_index_is_one_message_and_exit_code_2(capsys):
    assert main(["catalogue", "faengsel_lukket", "--prisaar", "2099"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("Fejl i --prisaar: 2099 ligger uden for indekset npi (2015–2023)") and "--fremskrivning" in err


def test_rows_outside_index_are_left_out_with_one_note(capsys):
    # sygedagpenge_uge has price year 2024; the nettoprisindeks ends in 2023, so it cannot be moved to 2023.
    assert main(["catalogue", "--prisaar", "2023"]) == 0
    out = capsys.readouterr().out
    assert "prisår uden for indeks" not in out
    assert out.count("udeladt, fordi deres prisår ligger uden for indekset npi") == 1 and "sygedagpenge_uge." in out.replace(",", ".")


@pytest.mark.parametrize("rate", ["0,02", "0.02"])
def test_catalogue_with_fremskrivning_decimal_comma(rate, capsys):
    # sygedagpenge_uge: 4.695 kr./uge in 2024 (bm.dk). npi 2023 = 118.04 is the last year, so at 2 % a year
    # I(2024) = 118.04 × 1.02 and I(2026) = 118.04 × 1.02³: 4,695 × 1.02² = 4,884.678 kr. (the kommune's
    # share after refusion is 80 %: 3,907.74 kr.).
    assert main(["catalogue", "sygedagpenge_uge", "--prisaar", "2026", "--fremskrivning", rate]) == 0
    out = capsys.readouterr().out
    assert "4.884,68" in out and "3.907,74" in out
    assert "Prisindekset npi er fremskrevet med 2,0 % om året fra 2023." in out


def test_catalogue_bad_fremskrivning_is_refused(capsys):
    assert main(["catalogue", "--prisaar", "2026", "--fremskrivning", "to procent"]) == 2
    assert "--fremskrivning: skal være en årlig andel som 0,02" in capsys.readouterr().err
    assert main(["catalogue", "--prisaar", "2026", "--fremskrivning", "2"]) == 2  # per cent, not a share
    # check_rate's message: 2 is outside −0,5–0,5 and 2 / 100 = 0,02 inside, so 2 % typed as a whole number.
    assert capsys.readouterr().err.startswith(
        "Fejl i --fremskrivning: skal være en årlig andel mellem -0,5 og 0,5, fx 0,02 for 2 % om året; skrev du 2 for 2 %? "
        "Skriv 0,02 eller 2 %")
    assert main(["catalogue", "--prisaar", "2026", "--fremskrivning", "0,7"]) == 2  # 0,7 × 100 = 70 % a year: no per cent slip
    assert "; 0,7 er 70 % om året" in capsys.readouterr().err


def test_demo_reproduces_every_published_case(capsys, tmp_path):
    assert main(["demo", "--outdir", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "enhedspriser" in out
    # The three published cases (Sygedagpenge, Job til mor, Arbejdspladser i trivsel) reproduce their
    # figures; the illustrative examples have none and are not said to.
    illustrative = [p for p in example_cases() if p.stem.startswith("eksempel")]
    assert out.count("alle offentliggjorte tal genskabt") == len(example_cases()) - len(illustrative) == 3 and "✗" not in out
    assert out.count("illustrativt eksempel uden offentliggjorte tal") == len(illustrative) == 3  # with the three-payer example
    assert out.count("✓") >= 3 * 7  # every published figure of the three cases
    assert len(list((tmp_path / "out").glob("*.xlsx"))) == len(example_cases()) + 1  # blank + examples


@pytest.mark.parametrize("path", example_cases(), ids=lambda p: p.stem)
def test_calc_prints_table_and_key_figures(path, capsys):
    assert main(["calc", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Netto betaler kumuleret" in out and "Nutidsværdi netto betaler" in out and "✗" not in out


def test_calc_json_sygedagpenge(capsys):
    # Seed 000, Sygedagpenge: investment 6.2, payment 7.4, bonus 1.2, net saving 22.0 mio. kr.
    path = next(p for p in example_cases() if p.stem == "sygedagpenge")
    assert main(["calc", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["afregning"]["investering"] == 6_200_000
    assert data["afregning"]["bonus"] == pytest.approx(1_200_000)
    assert round(data["afregning"]["nettobesparelse"] / 1e6, 1) == 22.0
    assert data["noegletal"]["bonus"] == pytest.approx(1_200_000)


def test_calc_missing_file_is_a_danish_error(capsys, tmp_path):
    assert main(["calc", str(tmp_path / "nope.yaml")]) == 2
    assert capsys.readouterr().err.startswith("Fejl i casefil:")


EXAMPLE = next(p for p in example_cases() if p.stem == "eksempel_ungeindsats")


def test_calc_writes_csv_and_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "tabel.csv"
    assert main(["calc", str(EXAMPLE), "--csv", str(target)]) == 0
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("År;Kalenderår;") and len(lines) == 11
    before = target.read_bytes()
    assert main(["calc", str(EXAMPLE), "--csv", str(target)]) == 2
    assert "findes allerede" in capsys.readouterr().err and target.read_bytes() == before
    assert main(["calc", str(EXAMPLE), "--csv", str(target), "--overwrite"]) == 0


def test_sensitivity_prints_scenarios_tornado_and_break_even(capsys):
    assert main(["sensitivity", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Lav" in out and "Høj" in out and "Tornado" in out and "Break-even succesrate" in out


def test_montecarlo_json_is_reproducible(capsys):
    assert main(["montecarlo", str(EXAMPLE), "--traek", "3000", "--seed", "4", "--json"]) == 0
    first = capsys.readouterr().out
    assert main(["montecarlo", str(EXAMPLE), "--traek", "3000", "--seed", "4", "--json"]) == 0
    assert capsys.readouterr().out == first and json.loads(first)["antal_traek"] == 3000


def test_calc_bad_case_file_names_the_field(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    text = next(p for p in example_cases() if p.stem == "sygedagpenge").read_text(encoding="utf-8")
    bad.write_text(text.replace("type: lineaer", "type: ukendt_regel", 1), encoding="utf-8")
    assert main(["calc", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fejl i ") and "regel" in err and "Traceback" not in err


def test_calc_lists_several_internal_rates(capsys, tmp_path):
    """Issue 9: a case whose investor flow has two rates prints Excel's IRR and both rates (text and JSON)."""
    import yaml

    from tests.feature_cases import SEVERAL_RATES

    path = tmp_path / "flere.yaml"
    path.write_text(yaml.safe_dump(SEVERAL_RATES, allow_unicode=True), encoding="utf-8")
    assert main(["calc", str(path)]) == 0
    out = capsys.readouterr().out
    # Rates as in tests/test_businesscase.py: Excel's IRR −56.5 %, the rates −56.52 % and −18.47 %
    assert "Investors interne rente (IRR)" in out and "-56,5 %" in out
    assert "flere interne renter: -56,52 %; -18,47 %" in out
    assert main(["calc", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # JSON gives the rates themselves (shares), the numbers the text above shows rounded
    assert data["noegletal"]["investor_renter"] == [pytest.approx(-0.5652, abs=5e-5), pytest.approx(-0.1847, abs=5e-5)]


def _keys(value):
    """Every key of every object in a JSON value, however deep."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


@pytest.mark.parametrize("stem, command", [
    ("sygedagpenge", ["calc"]),  # with its published settlement (afregning)
    ("eksempel_tre_betalere", ["afregn"]),
    ("eksempel_ungeindsats", ["montecarlo", "--traek", "500", "--seed", "1"]),
])  # fmt: skip
def test_every_json_output_is_keyed_by_stable_snake_case_names(stem, command, capsys):
    """README, --json: stable names, never the tables' Danish labels (which hold spaces, capitals and æøå)."""
    import re

    path = next(p for p in example_cases() if p.stem == stem)
    assert main([command[0], str(path), *command[1:], "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    bad = sorted({k for k in _keys(data) if not re.fullmatch(r"[a-z][a-z0-9_]*", k)})
    assert bad == [], bad


def test_afregn_json_names_its_lines_and_years(capsys):
    """eksempel_tre_betalere: the investor pays 700.000 kr. in each of years 0–2 (its cost lines as entered: the
    example's 10 % optimism mark-up is on the authorities' costs only), 2.100.000 kr. in all; the outcome payments are 1.250.000 kr. in year 3
    and 180.000 kr. in year 5 (1.430.000 in all), as `sibc afregn` prints them."""
    path = next(p for p in example_cases() if p.stem == "eksempel_tre_betalere")
    assert main(["afregn", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["afregning"]["investering"] == pytest.approx(2_100_000) and data["afregning"]["betalinger"] == pytest.approx(1_430_000)
    years = data["aar_for_aar"]
    assert list(years) == ["investering", "betalinger", "investor_foer_garanti", "besparelser", "betalinger_betaler", "nettobesparelse"]
    assert [years["investering"][f"aar_{t}"] for t in range(4)] == pytest.approx([700_000, 700_000, 700_000, 0])
    assert years["betalinger"]["aar_3"] == pytest.approx(1_250_000) and years["betalinger"]["aar_5"] == pytest.approx(180_000)
    assert years["investor_foer_garanti"]["i_alt"] == pytest.approx(1_430_000 - 2_100_000)


def _in_oere(value) -> bool:
    """An amount written to the øre: no float noise beyond two decimals (1999999.9999999995 is not)."""
    return value is None or isinstance(value, str) or round(value, 2) == value


def test_json_amounts_are_written_to_the_oere_and_shares_in_full(tmp_path, capsys):
    """The economist's finding: `afregn --json` wrote aar_3: 1999999.9999999995 and i_alt 450000.00000000023.

    Hand (tests/test_businesscase.py _housing_first): at success 60 % less 20 % deadweight the net success is
    x = 0.4, the bolig target: 2,000,000 kr. in year 3; herbergfri 0.4 × 75 × 50,000 = 1,500,000 kr. in year 4, cut
    to 1,450,000 by the contract cap 3,450,000; investor 3,450,000 − 3,000,000 = 450,000 kr.  The investor's
    break-even success rate 0.2 + 5/13.75 = 0.563636… is a share: written in full, not to two decimals.  Every
    amount of calc, afregn and montecarlo (the line items of unit kr.) has at most two decimals (rounding.by_unit)."""
    import yaml

    from tests.test_businesscase import HF_SUCCESS, _housing_first
    from udfs.core.lineitems import ITEMS, YEARLY
    from udfs.core.uncertainty import MONTE_CARLO_ITEMS

    path = tmp_path / "hf.yaml"
    path.write_text(yaml.safe_dump(_housing_first(HF_SUCCESS), allow_unicode=True), encoding="utf-8")
    assert main(["afregn", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    years = data["aar_for_aar"]
    assert (years["betalinger"]["aar_3"], years["betalinger"]["aar_4"]) == (2_000_000.0, 1_450_000.0)
    assert years["investor_foer_garanti"]["i_alt"] == 450_000.0
    assert all(_in_oere(v) for line in years.values() for v in line.values())
    assert data["afregning"]["be_investor"] == pytest.approx(0.2 + 5 / 13.75, abs=1e-12) and round(data["afregning"]["be_investor"], 2) != data["afregning"]["be_investor"]
    assert data["afregning"]["afkast"] == 0.15  # a share: 450,000 / 3,000,000

    assert main(["calc", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    amounts = [v for row in data["aar_for_aar"] for k, v in row.items() if YEARLY[k].unit == "kr"]
    amounts += [v for k, v in data["noegletal"].items() if ITEMS[k].unit == "kr" and not isinstance(v, list)]
    amounts += [v for party in data["parter"].values() for v in party.values()] + [data["overskrift"]["nv"], data["overskrift"]["netto_i_alt"]]
    assert len(amounts) > 100 and all(_in_oere(v) for v in amounts)
    assert any(round(row["r_df"], 2) != row["r_df"] for row in data["aar_for_aar"])  # discount factors in full

    assert main(["montecarlo", str(path), "--traek", "500", "--seed", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert all(_in_oere(v) for k, v in data.items() if MONTE_CARLO_ITEMS[k].unit == "kr")
    assert data["p_tab_investor"] * 500 == round(data["p_tab_investor"] * 500)  # a share of the draws, unrounded


@pytest.mark.parametrize("field, value", [("afkastloft", 0.15), ("afkastgulv", 0.02)])
def test_build_models_a_return_limit_and_check_agrees(field, value, tmp_path, capsys):
    """The economist's finding: `sibc build` with afkastloft refused the case.  The workbook now holds the return
    cap and floor on Betalingsmodel (workbooks.standard.return_limit_blocks): the case builds, ``sibc check`` finds
    LibreOffice equal to the core, and the command line settles the same case."""
    import yaml

    from tests.test_businesscase import HF_SUCCESS, _housing_first

    path = tmp_path / "hf.yaml"
    path.write_text(yaml.safe_dump(_housing_first(HF_SUCCESS) | {field: value}, allow_unicode=True), encoding="utf-8")
    assert main(["build", str(path), "-o", str(tmp_path / "hf.xlsx")]) == 0
    assert main(["check", str(tmp_path / "hf.xlsx")]) == 0
    assert "ingen forskelle" in capsys.readouterr().out
    assert main(["afregn", str(path)]) == 0  # the command line settles it
