"""Several outcome payers (udfs/core/payers.py): the split of each payment, every party's net, conservation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from udfs.core.businesscase import authority_figures, key_figures
from udfs.core.casefile import load_business_case
from udfs.core.data import outcome_funds
from udfs.core.engine import run
from udfs.core.errors import SIError
from udfs.core.payers import PayerShare, payer_shares
from udfs.core.vocabulary import FUND, OUTCOME_PAYERS, PARTIES

CASES = Path(__file__).resolve().parents[1] / "workbooks" / "cases"
EXAMPLE = CASES / "eksempel_tre_betalere.yaml"
ALL_EXAMPLES = sorted(CASES.glob("*.yaml"))


def shares(*payers: dict) -> list[PayerShare]:
    return [PayerShare.model_validate(p) for p in payers]


def test_the_life_chances_funds_share_is_data_with_its_source():
    # Cabinet Office, "Life Chances Fund" (gov.uk, July 2016): the fund "will aim for contributions of
    # around 20% of total outcomes payments".
    fund = outcome_funds()["life_chances_fund"]
    assert fund.andel == 0.2 and "gov.uk" in fund.kilde_url


def test_the_split_by_hand():
    # Fund 20 % fixed; kommune and stat split the rest (80 %) by their savings that year:
    # year 0: kommune 300, stat 100 → kommune 0.8 × 300/400 = 0.6, stat 0.8 × 100/400 = 0.2;
    # year 1: kommune −50 (counts as 0), stat 100 → kommune 0, stat 0.8;
    # year 2: kommune 0, stat −10: no one saves → the rest split equally, 0.4 each.
    savings = np.array([[[300.0, -50.0, 0.0]], [[999.0, 999.0, 999.0]], [[100.0, 100.0, -10.0]]])  # (3, n=1, H=3)
    got = payer_shares(shares({"betaler": FUND, "fond": "life_chances_fund"}, {"betaler": "kommune", "andel": "besparelse"},
                              {"betaler": "stat", "andel": "besparelse"}), "kommune", savings)
    k, r, s, f = (OUTCOME_PAYERS.index(w) for w in ("kommune", "region", "stat", FUND))
    assert got[k, 0] == pytest.approx([0.6, 0.0, 0.4])
    assert got[s, 0] == pytest.approx([0.2, 0.8, 0.4])
    assert got[r, 0] == pytest.approx([0, 0, 0])  # the region saves but is no payer
    assert got[f, 0] == pytest.approx([0.2, 0.2, 0.2])
    assert got.sum(axis=0) == pytest.approx(np.ones((1, 3)))


def test_fixed_shares_and_the_old_single_payer():
    savings = np.ones((3, 2, 4))
    got = payer_shares(shares({"betaler": "kommune", "andel": 0.7}, {"betaler": "stat", "andel": 0.3}), "kommune", savings)
    assert got[0] == pytest.approx(np.full((2, 4), 0.7)) and got[2] == pytest.approx(np.full((2, 4), 0.3))
    only = payer_shares(None, "region", savings)  # no betalere: the case's betaler pays all
    assert only[1] == pytest.approx(np.ones((2, 4))) and only.sum() == pytest.approx(8)


@pytest.mark.parametrize("payers, field, words", [
    ([{"betaler": "kommune", "andel": 0.5}, {"betaler": "stat", "andel": 0.4}], "betalingsmodel.betalere", "summe til 1"),
    ([{"betaler": "kommune", "andel": 0.9}, {"betaler": "fond", "fond": "life_chances_fund"},
      {"betaler": "stat", "andel": "besparelse"}], "betalingsmodel.betalere", "rest"),
    ([{"betaler": "fond", "fond": "ukendt"}, {"betaler": "kommune", "andel": 0.8}], "betalingsmodel.betalere[0].fond", "ukendt resultatfond"),
    ([{"betaler": "fond", "andel": "besparelse"}, {"betaler": "kommune", "andel": 0.8}], "betalingsmodel.betalere[0].andel", "kun"),
    ([{"betaler": "kommune", "fond": "life_chances_fund"}], "betalingsmodel.betalere[0].fond", "kun betaleren"),
    ([{"betaler": "kommune", "andel": 1.5}], "betalingsmodel.betalere[0].andel", "mellem 0 og 1"),
    ([{"betaler": "kommune"}], "betalingsmodel.betalere[0].andel", "mangler"),
    ([{"betaler": "kommune", "andel": 0.5}, {"betaler": "kommune", "andel": 0.5}], "betalingsmodel.betalere", "mere end én gang"),
])  # fmt: skip
def test_bad_payers_get_a_danish_message_naming_the_field(tmp_path, payers, field, words):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["betalingsmodel"]["betalere"] = payers
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SIError) as err:
        load_business_case(tmp_path / "c.yaml")
    assert err.value.argument == field and words in err.value.message


def test_each_payment_is_split_where_the_savings_fall():
    r = run(load_business_case(EXAMPLE))
    s = r.savings_by_authority[:, 0]
    paid = r.payments_by_payer[:, 0]
    year = 3  # the job metric's payment year
    rest = 0.8 * r.payments[0, year]  # what the fund's 20 % leaves
    assert paid[0, year] == pytest.approx(rest * s[0, year] / (s[0, year] + s[2, year]))
    assert paid[2, year] == pytest.approx(rest * s[2, year] / (s[0, year] + s[2, year]))
    assert paid[3] == pytest.approx(0.2 * r.payments[0])
    assert paid.sum(axis=0) == pytest.approx(r.payments[0])


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda p: p.stem)
def test_the_parties_nets_add_up_to_the_whole_economys_net(path):
    # Conservation: the payments move money between the parties and cancel in the sum, so
    # Σ parties' nets = all savings − all costs, year by year and in present value.
    r = run(load_business_case(path))
    economy = r.savings_by_authority.sum(axis=0) - r.costs.sum(axis=0)
    assert r.net_by_party.sum(axis=0) == pytest.approx(economy, abs=1e-6)
    figures = authority_figures(r)
    assert sum(figures["myn_nv"]) == pytest.approx(float(r.pv(economy)[0]), abs=1e-6)
    # the public sector is kommune + region + stat + the fund; the payer's net is its own row
    public = [figures["myn_nv"][PARTIES.index(w)] for w in ("kommune", "region", "stat", FUND)]
    assert sum(public) == pytest.approx(key_figures(r)["nv_offentlig"], abs=1e-6)
    assert figures["myn_nv"][PARTIES.index(r.case.betaler)] == pytest.approx(key_figures(r)["nv_betaler"], abs=1e-6)


def test_si_parter_gives_every_partys_net_by_year_and_present_value():
    import udfs.excel as xl

    r = run(load_business_case(EXAMPLE))
    table = xl.SI_PARTER(str(EXAMPLE))
    h = r.case.horisont
    assert table[0] == ["Part", *(f"År {y}" for y in range(h)), "I alt", "Nutidsværdi"]
    assert [row[0] for row in table[1:]] == ["Kommune", "Region", "Stat", "Investor", "Central resultatfond", "Garant (privat)"]
    for k, row in enumerate(table[1:]):
        assert row[1 : h + 1] == pytest.approx(r.net_by_party[k, 0].tolist(), abs=0.01)
        assert row[-1] == pytest.approx(float(r.party_pv[k, 0]), abs=0.01)
    # the fund pays 20 % of each payment: −0.2 × (1,250,000 in year 3 + 180,000 in year 5) = −286,000 kr. in all
    assert table[5][h + 1] == pytest.approx(-0.2 * (1_250_000 + 180_000))
    assert xl.SI_PARTER("findes_ikke.yaml") == "Fejl i casefil: filen 'findes_ikke.yaml' findes ikke"


def test_the_three_payer_workbook_recalculated_by_libreoffice_gives_every_partys_net(soffice, tmp_path):
    """Python (the engine), the Excel function SI_PARTER and the standard workbook recalculated by LibreOffice
    give the same net for every party, year by year (Resultat's rows r_netto_…) and in present value
    (Overblik's column myn_nv), to 0.01 kr."""
    import udfs.excel as xl
    from udfs.core.lineitems import PARTY_NET_LINES
    from workbooks import book
    from workbooks.reader import open_template, open_workbook, values_of
    from workbooks.recalc import recalculate
    from workbooks.standard import layout_from_info

    case = load_business_case(EXAMPLE)
    r = run(case)
    path = book.build(case, tmp_path / "tre_betalere.xlsx")
    _, _, plan = open_template(path, layout_from_info)
    got = values_of(open_workbook(recalculate(path, tmp_path / "ud"), data_only=True), plan, [*PARTY_NET_LINES, "myn_nv"])
    table = xl.SI_PARTER(str(EXAMPLE))
    h = case.horisont
    for k, line in enumerate(PARTY_NET_LINES):
        assert got[line][:h] == pytest.approx(r.net_by_party[k, 0].tolist(), abs=0.01), line
        assert got[line][:h] == pytest.approx(table[1 + k][1 : h + 1], abs=0.01), line
        assert got["myn_nv"][k] == pytest.approx(float(r.party_pv[k, 0]), abs=0.01) == table[1 + k][-1]


def test_the_settlement_counts_the_payers_own_share_and_labels_all_payers_payments(capsys):
    """With several payers the settlement's payer is the case's betaler paying its own share; the investor's figures
    count all payers' payments.  Python (settle_case), the Excel functions (SI_AFREGNING with betalers_andel,
    SI_NOEGLETAL) and the command line (sibc afregn, --json) give the same figures."""
    import udfs.excel as xl
    from udfs.core.published import settle_case
    from udfs.core.settlement import yearly_rows
    from workbooks.cli import main

    case = load_business_case(EXAMPLE)
    r = run(case)
    k, s_, f = (OUTCOME_PAYERS.index(w) for w in ("kommune", "stat", FUND))
    pay = r.payments[0]
    assert pay[3] == 1_250_000 and pay[5] == 180_000 and pay.sum() == 1_430_000  # the two metrics' payments
    # By hand: the fund pays 0.2 of each payment; the kommune and the stat split the rest (0.8) by their savings that
    # year (as the case expects them), so the kommune pays 0.8 × s_k / (s_k + s_s) of year 3's and year 5's payment.
    sav = r.savings_by_authority[:, 0]
    own = [0.8 * sav[0, t] / (sav[0, t] + sav[2, t]) * pay[t] for t in (3, 5)]
    kommune_pays = own[0] + own[1]
    assert r.payments_by_payer[f, 0].sum() == pytest.approx(0.2 * 1_430_000)  # 286,000 kr.
    assert r.payments_by_payer[k, 0].sum() == pytest.approx(kommune_pays)
    assert kommune_pays == pytest.approx(828_833, abs=1)  # what sibc afregn prints, rounded to whole kr.
    saved = sav[0].sum()

    s = settle_case(case, result=r)
    rows = dict(s.rows())
    assert rows["Resultatbetalinger i alt (alle betalere)"] == pytest.approx(1_430_000)
    assert rows["Investors bonus"] == pytest.approx(1_430_000 - 2_100_000)  # every payer's part; investment 3 × 700.000 as entered
    assert rows["Betalinger fra betaler"] == pytest.approx(kommune_pays)
    assert rows["Betalers nettobesparelse (uden egne omkostninger)"] == pytest.approx(saved - kommune_pays)
    assert rows["Betalers nettobesparelse (uden egne omkostninger)"] != pytest.approx(saved - 1_430_000)  # the old figure: all payments as the kommune's
    yearly = {label: values for label, *values in yearly_rows(s.yearly_lines())}
    assert yearly["Betalers nettobesparelse (uden egne omkostninger)"][3] == pytest.approx(sav[0, 3] - own[0])
    # the settlement's net by year is the kommune's savings less its own payments: its yearly net plus its costs
    assert yearly["Betalers nettobesparelse (uden egne omkostninger)"][:-1] == pytest.approx((r.net_by_party[k, 0] + r.costs[k, 0]).tolist())

    # SI_AFREGNING: the payer's share of each year's payment from the workbook's row "Betalers andel af resultatbetalingerne"
    share = r.payer_shares[k, 0].tolist()
    table = dict(xl.SI_AFREGNING([r.investment[0].tolist()], [pay.tolist()], [sav[0].tolist()], betalers_andel=[share]))
    assert table["Betalinger fra betaler"] == pytest.approx(kommune_pays)
    assert table["Betalers nettobesparelse (uden egne omkostninger)"] == pytest.approx(saved - kommune_pays)
    assert table["Resultatbetalinger i alt (alle betalere)"] == pytest.approx(1_430_000)
    bad = xl.SI_AFREGNING([[1.0, 0.0]], [[0.0, 2.0]], [[0.0, 3.0]], betalers_andel=1.5)
    assert bad == ("Fejl i betalers_andel: skal ligge mellem 0 og 1 (fx 0,6 for 60 %), ikke 1,5; skrev du 1,5 for 1,5 %? "
                   "Skriv 0,015 eller 1,5 %")  # 1,5 / 100 = 0,015 lies within 0–1
    assert dict(xl.SI_NOEGLETAL(str(EXAMPLE)))["Resultatbetalinger i alt (alle betalere)"] == pytest.approx(1_430_000)

    assert main(["afregn", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    totals = out.split("\n\n")[1]  # the block of totals (the yearly tables follow)
    lines = {line.strip().rsplit("  ", 1)[0].strip(): line.split()[-1] for line in totals.splitlines()[1:]}
    assert lines["Resultatbetalinger i alt (alle betalere)"] == "1.430.000"
    assert lines["Betalinger fra betaler"] == "828.833"
    assert lines["Betalers nettobesparelse (uden egne omkostninger)"] == f"{saved - kommune_pays:,.0f}".replace(",", ".")
    assert main(["afregn", str(EXAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["afregning"]["betalinger_betaler"] == pytest.approx(kommune_pays)
    assert data["aar_for_aar"]["nettobesparelse"]["aar_3"] == pytest.approx(sav[0, 3] - own[0])
    assert data["aar_for_aar"]["betalinger_betaler"]["i_alt"] == pytest.approx(kommune_pays)


def _thirds() -> dict:
    """The three-payer example with kommune, region and stat paying a third of every payment each."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    third = 1 / 3
    data["betalingsmodel"]["betalere"] = [{"betaler": who, "andel": third} for who in ("kommune", "region", "stat")]
    return data


def test_the_payers_shares_are_shown_rounded_together_so_they_add_up(tmp_path, capsys):
    """Hand case: kommune, region and stat pay 1/3 each.  Rounded one by one to 0,1 % they show 33,3 % three times,
    99,9 % in all; rounded together (largest remainder, rounding.whole_shares) the 0,1 % left goes to the first of the
    equal remainders: 33,4 % + 33,3 % + 33,3 % = 100,0 %.  ``sibc calc`` and ``sibc afregn`` say so."""
    from udfs.core.businesscase import payment_shares
    from udfs.core.case_model import dump_case, parse_case
    from workbooks.cli import main, payment_shares_text

    case = parse_case(_thirds())
    result = run(case)
    shares = payment_shares(result)
    assert list(shares) == ["kommune", "region", "stat"] and shares == pytest.approx({w: 1 / 3 for w in shares}, abs=1e-12)
    assert [round(s * 100, 1) for s in shares.values()] == [33.3, 33.3, 33.3]  # the naive rounding: 99,9 %
    sentence = "Resultatbetalingerne over horisonten betales af kommune 33,4 %, region 33,3 % og stat 33,3 %."
    assert payment_shares_text(result) == sentence
    path = tmp_path / "tredjedele.yaml"
    path.write_text(dump_case(case), encoding="utf-8")
    for command in ("calc", "afregn"):
        capsys.readouterr()
        assert main([command, str(path)]) == 0
        assert sentence in " ".join(capsys.readouterr().out.split())


def test_the_three_payer_examples_shares_by_hand():
    """eksempel_tre_betalere.yaml (sibc calc, Hvem betaler): of the 1.430.000 kr. paid, the kommune pays 721.203 +
    107.630 = 828.833 kr. (57,96 %), the state 278.797 + 36.370 = 315.167 kr. (22,04 %), the fund 20 % of each payment,
    286.000 kr.: 58,0 % + 22,0 % + 20,0 % = 100,0 %.  With one payer there is nothing to split and no line."""
    from udfs.core.businesscase import payment_shares
    from workbooks.cli import payment_shares_text

    result = run(load_business_case(EXAMPLE))
    shares = payment_shares(result)
    assert shares == pytest.approx({"kommune": 828_833 / 1_430_000, "stat": 315_167 / 1_430_000, FUND: 0.2}, abs=1e-6)
    assert payment_shares_text(result) == ("Resultatbetalingerne over horisonten betales af kommune 58,0 %, stat 22,0 % og "
                                           "central resultatfond 20,0 %.")
    single = run(load_business_case(CASES / "eksempel_ungeindsats.yaml"))
    assert list(payment_shares(single)) == ["kommune"] and payment_shares_text(single) is None
