"""Guarantees (issue 15.2) and the investor's view (issue 15.5): core, case file, SI_AFREGNING, sibc afregn.

The Rikers Island social impact bond (New York, 2012) is the published example.  All its amounts are
USD as published (the case file says so; the tool labels amounts "kr."):

* Terms: Goldman Sachs lends 9.6 mio. USD to MDRC; Bloomberg Philanthropies guarantees 7.2 mio.
  (Olson & Phillips 2013, FRBSF Community Development Investment Review 2013:1 pp. 97–101; MDRC,
  "Social Impact Bond Project at Rikers Island").  At a 10 % reduction in recidivism bed days Goldman
  gets its 9.6 mio. back; more gives up to 2.1 mio. profit; missing 10 % it loses up to 2.4 mio.
  (WNYC, 2 Aug. 2012; New York Times, 2 Aug. 2012, quoted by Gothamist).  Maximum payments
  11.7 mio. (Urban Institute, PFS fact sheet "The NYC ABLE Project for Incarcerated Youth").
  10 % = break-even, 0 % IRR (Social Ventures Australia, case study "Rikers Island SIB").
* Outcome: no significant reduction (Vera Institute of Justice, July 2015); the target for the city
  to pay was not met (MDRC statement on Vera's study, 2015); the program stopped after three years,
  Goldman had put in 7.2 mio., Bloomberg's guarantee covered 6 mio., Goldman lost 1.2 mio.
  (Responsible Investor, 3 July 2015, "First US social impact bond program discontinued amid missed
  targets"; WNYC, July 2015: "the financial company only lost $1.2 million dollars in the end").
"""

from __future__ import annotations

import json

import pytest

import udfs.excel as xl
from udfs.core.casefile import load_business_case
from udfs.core.case_model import parse_case
from udfs.core.engine import run
from udfs.core.errors import SIError
from udfs.core.guarantee import Guarantee, GuaranteedSettlement, guarantee_payment, investor_view, maximum_loss
from udfs.core.published import case_investor_view, guaranteed_settlement, settle_case
from udfs.core.settlement import settle
from workbooks.cli import main

RIKERS = "workbooks/cases/kontrakter/rikers.yaml"
MIO = 1e6


def rikers(reduction: float):
    """The Rikers case at a reduction in recidivism bed days (share), its result and its settlement."""
    case = load_business_case(RIKERS)
    case = case.model_copy(update={"effekter": [case.effekter[0].model_copy(update={"succesrate": reduction})]})
    result = run(case)
    return case, result, settle_case(case, result=result)


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    "principal, received, cover, expected",
    [
        (9.6, 0.0, 7.2, 7.2),  # nothing paid: the whole cover
        (9.6, 4.0, 7.2, 5.6),  # shortfall 9.6 − 4.0 = 5.6 < cover
        (9.6, 9.6, 7.2, 0.0),  # principal repaid: nothing
        (9.6, 11.7, 7.2, 0.0),  # more than the principal: nothing (never negative)
        (9.6, 0.0, 0.0, 0.0),  # no cover
    ],
)
def test_guarantee_payment_hand_worked(principal, received, cover, expected):
    # max(0, min(cover, principal − received)), written out in each row
    assert guarantee_payment(principal, received, cover) == pytest.approx(expected)


def test_share_cover_is_a_share_of_the_principal():
    s = settle([60.0, 40.0, 0.0], [0.0, 0.0, 20.0], [0.0, 0.0, 0.0])
    g = GuaranteedSettlement(s, Guarantee("Fond", share=0.5, authority="ingen"))
    # cover 0.5 × 100 = 50; shortfall 100 − 20 = 80 → the guarantor pays 50 in the last year
    assert g.cover == 50.0 and g.payment == 50.0
    assert g.guarantor_cashflow == (0.0, 0.0, -50.0)
    assert g.investor_cashflow == (-60.0, -40.0, 70.0)  # 20 paid + 50 guaranteed
    assert g.investor_net == -30.0 and g.investor_return == -0.3
    # IRR of −60, −40, 70 by hand: with x = 1/(1+r), 70x² − 40x − 60 = 0 → x = (40 + √(1600 + 16800)) / 140
    x = (40 + (1600 + 16800) ** 0.5) / 140
    assert g.investor_irr == pytest.approx(1 / x - 1, abs=1e-12)


def test_maximum_loss_with_floor_and_guarantee():
    # I = 100, nothing paid; floor −0.25 → payer tops up to 75 → loss 25; a cover of 50 then pays
    # min(50, 100 − 75) = 25 → loss 0
    assert maximum_loss(100.0, 0.0, -0.25, 0.0) == 25.0
    assert maximum_loss(100.0, 0.0, -0.25, 50.0) == 0.0
    assert maximum_loss(100.0, 0.0, None, 30.0) == 70.0


def test_cap_and_floor_bite():
    # cap 0.3 on 150 paid for 100 invested: 150 − 130 = 20 cut (settlement.py's doctest)
    capped = investor_view(settle([100, 0], [0, 150], [0, 200], return_cap=0.3))
    assert (capped.cap_cut, capped.floor_top_up) == (20.0, 0.0)
    # floor −0.25 with 30 paid: topped up to 75, 45 added (limit_returns' doctest: 10 + 20 → 75)
    floored = investor_view(settle([100, 0], [10, 20], [0, 0], return_floor=-0.25))
    assert (floored.cap_cut, floored.floor_top_up) == (0.0, 45.0)


# --------------------------------------------------------------------------- Rikers, terms


def test_rikers_missed_target_city_pays_nothing_guarantor_pays_its_cover():
    # Vera (2015) / MDRC (2015): no reduction, the city pays 0
    case, result, s = rikers(0.0)
    assert s.total_payments == 0.0
    g = guaranteed_settlement(case, s)
    # Olson & Phillips (2013): Bloomberg guarantees 7.2 mio. USD; missing the target it pays it all
    assert g.guarantee.guarantor == "Bloomberg Philanthropies"
    assert g.payment == pytest.approx(7.2 * MIO)
    assert g.guarantor_cashflow[-1] == pytest.approx(-7.2 * MIO)
    # WNYC (2012): "could lose as much as $2.4 million" = 9.6 − 7.2
    assert g.investor_net == pytest.approx(-2.4 * MIO)
    assert g.investor_return == pytest.approx(-0.25)  # SVA: "<8.5% – 25% principal lost"


def test_rikers_ten_per_cent_is_the_investors_break_even():
    # WNYC (2012): "If the program reduces reincarceration by 10 percent, Goldman will break even"
    case, result, s = rikers(0.10)
    assert s.total_payments == pytest.approx(9.6 * MIO)
    g = guaranteed_settlement(case, s)
    assert g.payment == 0.0 and g.investor_net == pytest.approx(0.0)
    # SVA: 10 % – breakeven (0 % IRR)
    assert s.irr == pytest.approx(0.0, abs=1e-12)
    # the break-even of the key figures (break_evens, not a second algorithm) finds the same 10 %
    assert case_investor_view(case, result).break_even == pytest.approx(0.10)


def test_rikers_top_tier_pays_the_investor_two_point_one_mio():
    # NYT (2012, via Gothamist): "Goldman could make as much as $2.1 million in profit";
    # Urban Institute: maximum payments 11.7 mio. = 9.6 + 2.1
    case, result, s = rikers(0.25)
    assert s.total_payments == pytest.approx(11.7 * MIO)
    g = guaranteed_settlement(case, s)
    assert g.payment == 0.0 and g.investor_net == pytest.approx(2.1 * MIO)


def test_rikers_largest_loss_with_and_without_guarantee():
    case, result, _ = rikers(0.0)
    view = case_investor_view(case, result)
    # the contract pays 0 below 10 %: the whole 9.6 mio. is at risk without the guarantee, 2.4 with it (WNYC 2012)
    assert view.maximum_loss == pytest.approx(9.6 * MIO)
    assert view.maximum_loss_guaranteed == pytest.approx(2.4 * MIO)


# --------------------------------------------------------------------------- Rikers, outcome


def test_rikers_published_outcome_goldman_lost_one_point_two_mio():
    # Responsible Investor (3 July 2015): stopped after three years, Goldman had put in 7.2 mio. USD,
    # Bloomberg guaranteed 6 mio. of it, Goldman loses 1.2 mio.; WNYC (July 2015): "only lost $1.2 million".
    # The draws by year are not published: 2.4 mio. in each of the three years (as the case file assumes).
    s = settle([2.4 * MIO, 2.4 * MIO, 2.4 * MIO, 0.0], [0.0] * 4, [0.0] * 4)
    g = GuaranteedSettlement(s, Guarantee("Bloomberg Philanthropies", amount=6.0 * MIO, authority="ingen"))
    assert s.total_payments == 0.0  # the city paid nothing (MDRC 2015)
    assert g.payment == pytest.approx(6.0 * MIO)
    assert g.investor_net == pytest.approx(-1.2 * MIO)


# --------------------------------------------------------------------------- SI_AFREGNING


PAID_IN_YEAR_4 = "Garantens betaling (i kontraktens afregningsår, år 4)"
"""The guarantee's payment in a settlement of five years (year 0 first): the label says the year it is paid."""


def test_si_afregning_with_a_guarantee_equals_the_core():
    case, result, s = rikers(0.0)
    rows = dict(xl.SI_AFREGNING([list(s.investment)], [list(s.payments)], [list(s.savings)],
                                None, None, 7.2 * MIO, None, "Bloomberg Philanthropies", garanti_myndighed="ingen"))
    core = dict(guaranteed_settlement(case, s).rows())
    for label in (PAID_IN_YEAR_4, "Investors nettoresultat efter garanti", "Samlet afkast efter garanti (i % af investeringen)",
                  "Investors interne rente (IRR) efter garanti", "Garantens nettoresultat", "Myndighed bag garanten",
                  "Offentlig udgift til garanti (i myndighedens netto)"):
        assert rows[label] == core[label], label
    assert rows["Garant"] == "Bloomberg Philanthropies"
    assert rows["Investors største tab med garanti"] == pytest.approx(2.4 * MIO)
    # the same by share: 7.2 / 9.6 = 0.75 of the principal
    by_share = dict(xl.SI_AFREGNING([list(s.investment)], [list(s.payments)], [list(s.savings)], None, None, None, 0.75,
                                    garanti_myndighed="Ingen (ikke offentlig)"))
    assert by_share[PAID_IN_YEAR_4] == pytest.approx(7.2 * MIO)
    assert "Garant" not in by_share  # no name given: no name row


def test_si_afregning_without_guarantee_keeps_its_rows_and_adds_the_investors_view():
    rows = xl.SI_AFREGNING([[3.1e6, 3.1e6, 0.0]], [[0.0, 0.0, 7.4e6]], [[0.0, 14.7e6, 14.7e6]])
    labels = [label for label, _ in rows]
    own = [label for label, _ in settle([1], [1], [1]).rows()]
    assert labels[: len(own)] == own
    assert not any(label.startswith("Garantens betaling") for label in labels)
    # no outcome reached: the whole 6.2 mio. is lost (sygedagpenge, seed 000)
    assert dict(rows)["Investors største tab"] == pytest.approx(6.2e6)


@pytest.mark.parametrize(
    "args, argument",
    [
        ((1.0, 0.5, None), "garanti_andel"),  # both
        ((-1.0, None, None), "garanti_beloeb"),
        ((None, 1.5, None), "garanti_andel"),
        ((None, None, "Fond"), "garant"),  # a name without a cover
        ((None, 0.5, 3.0), "garant"),  # a number for a name
        (("x", None, None), "garanti_beloeb"),
        ((float("nan"), None, None), "garanti_beloeb"),
    ],
)
def test_si_afregning_bad_guarantee_names_the_argument(args, argument):
    out = xl.SI_AFREGNING([[1.0]], [[2.0]], [[0.0]], None, None, *args, garanti_myndighed="ingen")
    assert isinstance(out, str) and out.startswith(f"Fejl i {argument}:"), out


# --------------------------------------------------------------------------- case file and command line


@pytest.mark.parametrize(
    "garanti, field",
    [
        ({"garant": "Fond", "myndighed": "ingen"}, "garanti.beloeb"),
        ({"garant": "Fond", "beloeb": 1, "andel": 0.5, "myndighed": "ingen"}, "garanti.andel"),
        ({"garant": "Fond", "andel": 1.5, "myndighed": "ingen"}, "garanti.andel"),
        ({"garant": "Fond", "beloeb": -1, "myndighed": "ingen"}, "garanti.beloeb"),
        ({"beloeb": 1, "myndighed": "ingen"}, "garanti.garant"),
        ({"garant": "Fond", "beloeb": 1}, "garanti.myndighed"),
    ],
)
def test_case_file_guarantee_errors_name_the_field(garanti, field):
    import yaml

    data = yaml.safe_load(open(RIKERS, encoding="utf-8"))
    data["garanti"] = garanti
    with pytest.raises(SIError) as err:
        parse_case(data)
    assert err.value.argument == field, str(err.value)


def test_sibc_afregn_json(capsys):
    assert main(["afregn", RIKERS, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)["afregning"]
    # keyed by the line items' stable names (README: --json), not by their Danish labels
    assert out["garanti_betaling"] == pytest.approx(7.2 * MIO)
    assert out["investor_netto_garanti"] == pytest.approx(-2.4 * MIO)
    assert out["be_investor"] == pytest.approx(0.10)
    assert not any(" " in key or key != key.lower() for key in out)


def test_sibc_afregn_without_investment_is_a_danish_message(capsys, tmp_path):
    import yaml

    data = yaml.safe_load(open(RIKERS, encoding="utf-8"))
    data["indsats"][0]["betaler"] = "kommune"
    data.pop("garanti")
    path = tmp_path / "uden.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["afregn", str(path)]) == 2
    assert "investering" in capsys.readouterr().err


# --------------------------------------------------------------------------- the workbook


def test_workbook_investor_block_equals_the_core_in_libreoffice(soffice, tmp_path):
    """Resultat's investor block (guarantee's payment, investor after it, largest loss), recalculated by
    LibreOffice, equals the core to 0.01 kr. — at a missed target, at the top tier, with the cover as a share —
    and so do Overblik's guarantee rows, which read it (a case without a guarantee: "ingen garanti", compared in every
    other workbook test)."""
    from workbooks import book

    base, _, _ = rikers(0.0)
    variants = {
        "missed": base,
        "top": rikers(0.25)[0],
        "share": base.model_copy(update={"garanti": base.garanti.model_copy(update={"beloeb": None, "andel": 0.75})}),
    }
    paths = [book.build(case, tmp_path / f"{name}.xlsx") for name, case in variants.items()]
    for (name, case), result in zip(variants.items(), book.check_many(paths)):
        read, differences, cells, kontrol = result
        assert differences == [], name
        assert read == case, name  # the guarantee reads back from Forudsætninger
        expected = book.expected_values(case)
        # the cells compared include the investor block; their core values for this variant:
        assert expected["garanti_betaling"] == pytest.approx(0.0 if name == "top" else 7.2 * MIO)
        assert expected["inv_tab_garanti"] == pytest.approx(2.4 * MIO)  # 9.6 − 7.2 (WNYC 2012)
        assert expected["inv_netto_garanti"] == pytest.approx(2.1 * MIO if name == "top" else -2.4 * MIO)
        # Overblik shows the guarantor's payment and the investor after it (compared above with LibreOffice's values):
        # missed target: guarantor pays its 7.2 mio. cover, investor 0 + 7.2 − 9.6 = −2.4 mio.
        assert expected["ov_garanti_betaling"] == pytest.approx(0.0 if name == "top" else 7.2 * MIO)
        assert expected["ov_investor_netto_garanti"] == pytest.approx(2.1 * MIO if name == "top" else -2.4 * MIO)
        assert expected["ov_investor_irr_garanti"] == expected["investor_irr_garanti"]


# --------------------------------------------------------------------------- the optimism mark-up is not on the investment


def markup_case(markup: float):
    """The three-payer example with a guarantee of 50 % of the investment and an optimism mark-up on costs."""
    data = load_business_case("workbooks/cases/eksempel_tre_betalere.yaml").model_dump(mode="json", exclude_defaults=True)
    data["optimisme"] = {"omkostninger": markup, "gevinster": 0.0}
    data["garanti"] = {"garant": "Egmont Fonden", "andel": 0.5, "myndighed": "ingen"}
    return parse_case(data)


def test_the_investment_is_the_cost_lines_as_entered_whatever_the_markup(tmp_path, capsys):
    """The optimism mark-up is the public business case's cushion on the authorities' own costs
    (Digitaliseringsstyrelsen's business-case model); the investor's cost lines are the contract's investment.
    ``eksempel_tre_betalere``: the investor's cost lines 700.000 × 3 = 2.100.000 kr. whatever the mark-up; the cover
    is 50 % of it, 1.050.000 kr.; with no payment at all the investor loses 2.100.000 kr.  The kommune's own
    coordination, 100.000 kr. a year, is 100.000 × 1,15 = 115.000 kr. a year with a 15 % mark-up."""
    import yaml

    from udfs.core import engine

    result = engine.run(markup_case(0.15))
    assert result.investment[0].sum() == pytest.approx(2_100_000)
    assert engine.costs(result.prepared, engine.base_drivers(markup_case(0.15)))[0, 0, :3] == pytest.approx([115_000] * 3)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(markup_case(0.15).model_dump(mode="json", exclude_defaults=True), allow_unicode=True), encoding="utf-8")
    assert main(["afregn", str(path)]) == 0
    out = capsys.readouterr().out
    lines = {line.split("  ")[1].strip(): line.split()[-1] for line in out.splitlines() if line.startswith("  ") and "  " in line[2:]}
    assert lines["Investering"] == "2.100.000"
    assert lines["Garantiens dækning"] == "1.050.000"  # 50 % of 2.100.000
    assert lines["Investors største tab uden garanti"] == "2.100.000"
    assert "optimismetillæg" not in out
    assert main(["afregn", str(path), "--json"]) == 0
    afregning = json.loads(capsys.readouterr().out)["afregning"]
    assert afregning["investering"] == pytest.approx(2_100_000)
    assert afregning["garanti_daekning"] == pytest.approx(1_050_000)
    assert main(["calc", "--json", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["afregning_garanti"]["garanti_daekning"] == pytest.approx(1_050_000)


def test_si_afregning_refuses_a_markup_it_no_longer_uses():
    """``optimismetillaeg`` keeps its place among SI_AFREGNING's arguments (so ``garanti_myndighed`` after it stays
    where old formulas put it), empty or 0 only: a value would once have named a mark-up in the investment's label."""
    rows = dict(xl.SI_AFREGNING([[2_100_000, 0, 0]], [[0, 0, 0]], [[0, 0, 0]], None, None, None, 0.5, None, None, None, "ingen"))
    assert rows["Garantiens dækning"] == pytest.approx(1_050_000)  # 0.5 × 2.100.000
    assert rows == dict(xl.SI_AFREGNING([[2_100_000, 0, 0]], [[0, 0, 0]], [[0, 0, 0]], None, None, None, 0.5, None, None, 0, "ingen"))
    refused = xl.SI_AFREGNING([[2_100_000, 0, 0]], [[0, 0, 0]], [[0, 0, 0]], None, None, None, 0.5, None, None, 0.15, "ingen")
    assert "optimismetillaeg" in str(refused) and "bruges ikke længere" in str(refused)


def test_workbook_investment_has_no_markup_and_the_authorities_costs_have_it_in_libreoffice(soffice, tmp_path):
    """With a 15 % mark-up LibreOffice computes Resultat's investment 2.100.000 kr. (the cost lines as entered), the
    cover 0,5 × 2.100.000 = 1.050.000 kr., and the kommune's costs on Indsats 100.000 × 1,15 = 115.000 kr. a year;
    the workbook equals the core (0.01 kr.)."""
    from openpyxl import load_workbook

    from workbooks import book
    from workbooks.recalc import recalculating

    case = markup_case(0.15)
    path = book.build(case, tmp_path / "med.xlsx")

    def label_and_value(wb, name, column=None):
        sheet, ref = next(iter(wb.defined_names[name].destinations))
        first = wb[sheet][ref.replace("$", "").split(":")[0]]
        return wb[sheet].cell(first.row, 1).value, first.value

    with recalculating([path]) as recalculated:
        checked = book.check_many([path], recalculated)
        wb = load_workbook(recalculated(0), data_only=True)
        got = {n: label_and_value(wb, n) for n in ("investering", "garanti_daekning", "omk_kommune", "omk_investor")}
    assert got["investering"] == ("Investering (investor)", pytest.approx(2_100_000))
    assert got["garanti_daekning"] == ("Garantiens dækning", pytest.approx(1_050_000))
    assert got["omk_kommune"] == ("I alt kommune (med optimismetillæg)", pytest.approx(115_000))
    assert got["omk_investor"] == ("I alt investor (uden optimismetillæg)", pytest.approx(700_000))
    (read, differences, _, _), = checked
    assert differences == [] and read == case
# --------------------------------------------------------------------------- the guarantor is a third party

THIRD_PARTY = ("garanten skal være en tredjepart (fx en fond) eller en myndighed angivet i garanti.myndighed, ellers "
               "tælles dens betaling ikke i partens netto. Angiv garanten, eller fjern garantien")  # reason and remedy


def authority_named(shown: str, party: str, given: str, field: str = "garanti.myndighed") -> str:
    """The expected message for a guarantor named as an authority whose ``myndighed`` says otherwise."""
    definite = {"kommune": "kommunen", "region": "regionen", "stat": "staten"}[party]
    sounds = {"kommune": "en kommune", "region": "en region", "stat": "staten"}[party]  # not "the case's": any kommune
    return (f"'{shown}' lyder som {sounds}, men {field} er '{given}'; skriv {party} i {field}, så garantens "
            f"betaling tælles i {definite}s netto, eller angiv en tredjepart (fx en fond)")


@pytest.mark.parametrize(
    "name, party",
    [
        ("kommune", "kommune"), ("Kommunen", "kommune"), ("  KOMMUNE ", "kommune"), ("Aarhus Kommune", "kommune"),
        ("Region Midtjylland", "region"), ("regionen", "region"), ("Staten", "stat"), ("stat", "stat"),
        ("Betaleren", "betaleren"), ("Investoren", "investor"),
    ],
)  # fmt: skip
def test_a_party_of_the_case_is_refused_as_guarantor(name, party):
    """The trial's finding: ``garanti: {garant: kommune, andel: 0.5}`` was accepted and the kommune's 2.29 mio.
    left out of its net.  The word test stays as a check of the name against ``garanti.myndighed``: an
    authority's name with ``myndighed: ingen`` is refused, naming the field to fill (case file: garanti.garant;
    SI_AFREGNING: garant); the payer and the investor are refused whatever the field says."""
    import yaml

    data = yaml.safe_load(open(RIKERS, encoding="utf-8"))
    data["garanti"] = {"garant": name, "andel": 0.5, "myndighed": "ingen"}
    with pytest.raises(SIError) as err:
        parse_case(data)
    shown = " ".join(name.split())
    public = party in ("kommune", "region", "stat")
    expected = authority_named(shown, party, "ingen") if public else f"'{shown}' er casens {party}; {THIRD_PARTY}"
    assert err.value.argument == "garanti.garant"
    assert err.value.message == expected
    assert len(err.value.danish) <= 255
    out = xl.SI_AFREGNING([[1.0]], [[0.0]], [[0.0]], None, None, None, 0.5, name, garanti_myndighed="ingen")
    expected = authority_named(shown, party, "ingen", "garanti_myndighed") if public else \
        f"'{shown}' er casens {party}; {THIRD_PARTY}".replace("garanti.myndighed", "garanti_myndighed")
    assert out == f"Fejl i garant: {expected}"
    if public:  # with the field saying so, the authority is the guarantor and pays out of its own net
        data["garanti"]["myndighed"] = party
        assert parse_case(data).garanti.myndighed == party


@pytest.mark.parametrize("name", ["Bloomberg Philanthropies", "Novo Nordisk Fonden", "Den Sociale Investeringsfond",
                                  "Statens Pensionsfond", "Fond"])  # fmt: skip
def test_a_third_party_is_accepted_as_guarantor(name):
    """Words that only contain an authority's letters (Statens, Investeringsfond) are not the authority; a fund
    is a guarantor unless it pays outcomes in the case (Rikers: the city pays alone)."""
    import yaml

    data = yaml.safe_load(open(RIKERS, encoding="utf-8"))
    data["garanti"] = {"garant": name, "andel": 0.5, "myndighed": "ingen"}
    assert parse_case(data).garanti.garant == name


def test_the_outcomes_fund_paying_outcomes_is_refused_as_guarantor():
    """eksempel_tre_betalere.yaml: the central outcomes fund pays a share of the outcome payments (betaler: fond),
    so it cannot also guarantee the investor; a foundation called something else can."""
    import yaml

    data = yaml.safe_load(open("workbooks/cases/eksempel_tre_betalere.yaml", encoding="utf-8"))
    assert "fond" in [p["betaler"] for p in data["betalingsmodel"]["betalere"]]
    for name in ("fond", "Central resultatfond", "Central Resultatfonden"):
        data["garanti"] = {"garant": name, "beloeb": 1_000_000, "myndighed": "ingen"}
        with pytest.raises(SIError) as err:
            parse_case(data)
        assert err.value.argument == "garanti.garant"
        assert err.value.message == f"'{name}' er casens central resultatfond; {THIRD_PARTY}"
    data["garanti"] = {"garant": "Novo Nordisk Fonden", "beloeb": 1_000_000, "myndighed": "ingen"}
    assert parse_case(data).garanti.garant == "Novo Nordisk Fonden"


def test_workbook_names_the_guarantor_cell(tmp_path):
    """Typed into the workbook's guarantor cell, a party of the case is refused naming the cell and its label."""
    from tests.typing_cells import type_cells
    from workbooks import book

    path = book.build(rikers(0.0)[0], tmp_path / "g.xlsx")
    type_cells(path, {("garant", 0): "Kommunen"})
    with pytest.raises(SIError) as err:
        book.extract(path)
    assert err.value.argument.startswith("Forudsætninger!") and "Garant for investors hovedstol" in err.value.argument
    assert err.value.message == authority_named("Kommunen", "kommune", "ingen")  # Rikers: Bloomberg, myndighed ingen


# --------------------------------------------------------------------------- a public body as guarantor


def public_rikers(authority: str, name: str = "Socialstyrelsen", amount: float = 600_000.0):
    """Rikers at its published outcome (nothing paid) with ``name`` of ``authority`` guaranteeing ``amount`` kr."""
    import yaml

    data = yaml.safe_load(open(RIKERS, encoding="utf-8"))
    data["garanti"] = {"garant": name, "myndighed": authority, "beloeb": amount}
    return parse_case(data)


def test_a_public_guarantors_payment_is_its_authoritys_cost():
    """The trial's finding: Socialstyrelsen, KL, Aarhus or Vestkommune named as guarantor passed the word test as
    a private guarantor, and the public net looked better by the payment.  With ``garanti.myndighed`` the payment
    is a cost of that authority.

    Hand calculation (Rikers: the investor lends 4 × 2,400,000 = 9,600,000 kr.; no outcome payments; no savings
    or public costs; horizon 5 years, discounted at 3.5 %): Socialstyrelsen (stat) covers 600,000 kr. and pays
    max(0, min(600,000, 9,600,000 − 0)) = 600,000 kr. in year 4.

    * the stat's net: 0 − 600,000 = −600,000 kr. in year 4, present value −600,000 / 1.035⁴ = −522,865.34 kr.;
    * the public net: falls by the same 600,000 kr. (present value 522,865.34 kr.);
    * the investor's net: −9,600,000 + 600,000 = −9,000,000 kr.;
    * the payer (kommune) and the sum over parties (savings − costs = −9,600,000 kr.) do not change.
    The same case with ``myndighed: ingen`` (a foundation) is the reference: the payment is then the private
    guarantor's (the party ``garant``: −600,000 kr.), outside the public net; the investor's net is −9,000,000 kr. too.
    """
    private, public = run(public_rikers("ingen", "Fonden")), run(public_rikers("stat"))
    stat, investor, guarantor = 2, 3, 5  # PARTIES: kommune, region, stat, investor, fond, garant
    d4 = 1.035**-4
    assert public.prepared.discount[-1] == pytest.approx(d4, rel=1e-12)
    assert list(public.net_by_party[stat, 0] - private.net_by_party[stat, 0]) == pytest.approx([0, 0, 0, 0, -600_000])
    assert public.net_by_party[stat, 0].sum() == pytest.approx(-600_000)
    assert public.party_pv[stat, 0] == pytest.approx(-600_000 * d4) == pytest.approx(-522_865.34, abs=0.01)
    assert list(public.public_net[0] - private.public_net[0]) == pytest.approx([0, 0, 0, 0, -600_000])
    assert public.public_pv[0] - private.public_pv[0] == pytest.approx(-522_865.34, abs=0.01)
    assert public.net_by_party[investor, 0].sum() == pytest.approx(-9_000_000)
    assert private.net_by_party[investor, 0].sum() == pytest.approx(-9_000_000)
    assert list(private.net_by_party[guarantor, 0]) == pytest.approx([0, 0, 0, 0, -600_000])
    assert public.net_by_party[guarantor, 0].sum() == 0.0  # a public guarantor pays out of its authority's net
    assert public.payer_pv[0] == private.payer_pv[0] == 0.0
    assert public.net_by_party[:, 0].sum() == pytest.approx(-9_600_000)  # a transfer: the economy is unchanged
    assert private.net_by_party[:, 0].sum() == pytest.approx(-9_600_000)


@pytest.mark.parametrize("authority", ["kommune", "stat"])
def test_the_present_values_without_years_count_the_public_guarantee(authority):
    """:func:`present_values` (the Monte Carlo's path) equals the full engine with a public guarantor, for the
    payer itself as guarantor (Rikers' payer is the kommune; "Aarhus" names no party word) and another authority:
    payer PV 0 − 522,865.34 (kommune) or 0 (stat), public PV −522,865.34, as in the hand case above."""
    import numpy as np

    from udfs.core.engine import base_drivers, calculate, prepare, present_values

    case = public_rikers(authority, "Aarhus")
    p, d = prepare(case), base_drivers(case)
    full = calculate(p, d)
    payer_pv, public_pv, investor_net = present_values(p, d)
    assert np.allclose(payer_pv, full.payer_pv, rtol=1e-12, atol=1e-6)
    assert np.allclose(public_pv, full.public_pv, rtol=1e-12, atol=1e-6)
    assert investor_net == pytest.approx(full.investor_net)  # payments − investment, before any guarantee
    assert full.payer_pv[0] == pytest.approx(-522_865.34 if authority == "kommune" else 0.0, abs=0.01)
    assert full.public_pv[0] == pytest.approx(-522_865.34, abs=0.01)


def test_sibc_calc_and_afregn_show_the_public_guarantee(capsys, tmp_path):
    """sibc calc's party table and sibc afregn show the stat's 600,000 kr. (hand case above)."""
    import yaml

    data = yaml.safe_load(open(RIKERS, encoding="utf-8"))
    data["garanti"] = {"garant": "Socialstyrelsen", "myndighed": "stat", "beloeb": 600_000}
    path = str(tmp_path / "offentlig_garanti.yaml")
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(data, f, allow_unicode=True)
    assert main(["afregn", path, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)["afregning"]  # stable keys (the line items' names)
    assert out["garanti_myndighed"] == "stat"  # the case file's code (the table shows "Stat")
    assert out["offentlig_garanti"] == pytest.approx(600_000)
    assert main(["calc", path]) == 0
    stat = next(line for line in capsys.readouterr().out.splitlines() if line.strip().startswith("Stat "))
    # Stat: costs 0, savings 0, payments −600.000, net −600.000, present value −522.865
    assert stat.split()[1:] == ["0", "0", "-600.000", "-600.000", "-522.865"]


def test_si_afregning_with_a_public_guarantor():
    """SI_AFREGNING through its Python function: investment 9,600,000, nothing paid, a 600,000 kr. cover by the
    stat → Garantens betaling 600,000 = Offentlig udgift til garanti; with ``ingen`` the public cost is 0;
    without garanti_myndighed, or with an unknown word, a Danish message naming the argument."""
    args = ([[2.4e6, 2.4e6, 2.4e6, 2.4e6, 0.0]], [[0.0] * 5], [[0.0] * 5], None, None, 600_000.0, None, "Socialstyrelsen")
    rows = dict(xl.SI_AFREGNING(*args, garanti_myndighed="Stat"))
    assert rows[PAID_IN_YEAR_4] == rows["Offentlig udgift til garanti (i myndighedens netto)"] == 600_000.0
    assert rows["Myndighed bag garanten"] == "Stat"
    assert dict(xl.SI_AFREGNING(*args, garanti_myndighed="ingen"))["Offentlig udgift til garanti (i myndighedens netto)"] == 0.0
    assert xl.SI_AFREGNING(*args) == ("Fejl i garanti_myndighed: mangler: skriv kommune, region, stat eller ingen "
                                      "(den myndighed, der står bag garanten)")
    assert xl.SI_AFREGNING(*args, garanti_myndighed="KL") == "Fejl i garanti_myndighed: 'KL' kendes ikke: skriv kommune, region, stat eller ingen"


@pytest.mark.parametrize("value, message", [
    (None, "mangler: skriv kommune, region, stat eller ingen (den myndighed, der står bag garanten)"),
    ("amt", "'amt' kendes ikke: skriv kommune, region, stat eller ingen"),
    (3, "'3' kendes ikke: skriv kommune, region, stat eller ingen"),
])  # fmt: skip
def test_the_case_files_myndighed_is_required(value, message):
    """``garanti.myndighed`` missing or wrong: one Danish message naming the field."""
    import yaml

    data = yaml.safe_load(open(RIKERS, encoding="utf-8"))
    data["garanti"] = {"garant": "Socialstyrelsen", "beloeb": 600_000} | ({} if value is None else {"myndighed": value})
    with pytest.raises(SIError) as err:
        parse_case(data)
    assert (err.value.argument, err.value.message) == ("garanti.myndighed", message)
    assert err.value.danish == f"Fejl i garanti.myndighed: {message}"


def test_workbook_counts_a_public_guarantee_in_the_nets_in_libreoffice(soffice, tmp_path):
    """The standard workbook with a public guarantor, recalculated by LibreOffice, equals the core to 0.01 kr. in
    every compared cell (Resultat's nets by year and *Offentlig garanti betalt af …*, Overblik's who-pays table,
    the scenario present values and break-even on Følsomhed), and *Myndighed bag garanten* reads back.

    Hand case (see :func:`test_a_public_guarantors_payment_is_its_authoritys_cost`): 600,000 kr. paid in year 4,
    present value 600,000 / 1.035⁴ = 522,865.34 kr.  With the stat as guarantor: the stat's Overblik payments
    −600,000, net −600,000; the investor's payments +600,000 and net −9,600,000 + 600,000 = −9,000,000; the public
    PV −522,865.34, the payer's (kommune) 0.  With the payer (kommune) as guarantor: the payer's PV −522,865.34 too.
    With a private guarantor (``ingen``, a foundation): Overblik's row *Garant (privat)* pays −600,000 (net −600,000),
    the investor +600,000 (net −9,000,000), the authorities 0, the public PV 0; the rows add up to −9,600,000.
    Every year Resultat's line *Garantens betaling til investor* (``r_garanti``) is 0, 0, 0, 0, 600,000.
    """
    from workbooks import book

    names = {"stat": "Socialstyrelsen", "kommune": "Aarhus", "ingen": "Fonden"}
    cases = {a: public_rikers(a, name) for a, name in names.items()}
    paths = [book.build(case, tmp_path / f"{a}.xlsx") for a, case in cases.items()]
    for (authority, case), (read, differences, _, _) in zip(cases.items(), book.check_many(paths)):
        assert differences == [], authority
        assert read == case and read.garanti.myndighed == authority  # read back from Forudsætninger
        expected = book.expected_values(case)
        assert expected["r_garanti"] == pytest.approx([0, 0, 0, 0, 600_000])
        assert sum(expected["myn_netto"]) == pytest.approx(-9_600_000)
        if authority == "ingen":  # the private guarantor's row (PARTIES: …, fond, garant)
            assert expected["myn_betal"] == pytest.approx([0, 0, 0, 600_000, 0, -600_000])
            assert expected["myn_netto"] == pytest.approx([0, 0, 0, -9_000_000, 0, -600_000])
            assert expected["nv_offentlig"] == pytest.approx(0.0) and expected["nv_betaler"] == pytest.approx(0.0)
            continue
        assert expected["myn_netto"][5] == 0.0  # a public guarantor's payment is in its authority's row only
        k = ("kommune", "region", "stat").index(authority)
        assert expected[f"r_garanti_{authority}"] == pytest.approx([0, 0, 0, 0, 600_000])
        assert expected["myn_betal"][k] == pytest.approx(-600_000) and expected["myn_betal"][3] == pytest.approx(600_000)
        assert expected["myn_netto"][k] == pytest.approx(-600_000) and expected["myn_netto"][3] == pytest.approx(-9_000_000)
        assert expected["nv_offentlig"] == pytest.approx(-522_865.34, abs=0.01)
        assert expected["nv_betaler"] == pytest.approx(-522_865.34 if authority == "kommune" else 0.0, abs=0.01)
        assert expected["investor_irr"] is None  # nothing paid: the IRR before the guarantee has no rate


def test_workbook_refuses_a_guarantor_without_myndighed(tmp_path):
    """A guarantor typed into the workbook with *Myndighed bag garanten* left empty is refused naming that cell."""
    from tests.typing_cells import type_cells
    from workbooks import book

    path = book.build(rikers(0.0)[0], tmp_path / "g.xlsx")
    type_cells(path, {("garanti_myndighed_valg", 0): None})
    with pytest.raises(SIError) as err:
        book.extract(path)
    assert err.value.argument.startswith("Forudsætninger!") and "Myndighed bag garanten" in err.value.argument
    assert err.value.message == "mangler: skriv kommune, region, stat eller ingen (den myndighed, der står bag garanten)"


# --------------------------------------------------------------------------- paid at the contract's end


def stat_guaranteed_three_payers(horizon: int = 8):
    """eksempel_tre_betalere (payments in years 3 and 5) with the stat covering up to 2.000.000 kr."""
    data = load_business_case("workbooks/cases/eksempel_tre_betalere.yaml").model_dump(mode="json", exclude_defaults=True)
    data["garanti"] = {"garant": "Socialstyrelsen", "myndighed": "stat", "beloeb": 2_000_000}
    data["horisont"] = horizon
    return parse_case(data)


def test_the_guarantor_pays_in_the_contracts_last_payment_year_not_the_horizons():
    """A trial's finding: the guarantor paid in the horizon's last year (year 7), two years after the contract's
    last payment (year 5), so the investor's IRR after the guarantee and the guarantee's present value depended on
    how long the savings were followed.

    Hand calculation (eksempel_tre_betalere, horizon 8, Finansministeriet's 3.5 %): the investment is 3 × 700.000
    = 2.100.000 kr., the payments 1.250.000 (year 3) + 180.000 (year 5) = 1.430.000 kr.; the stat pays
    min(2.000.000, 2.100.000 − 1.430.000) = 670.000 kr. in year 5 (the last metric's ``aar``), present value
    670.000 / 1,035⁵ = 564.122,02 kr.  The investor's flow after the guarantee: −700.000 × 3, 1.250.000 in
    year 3, 180.000 + 670.000 = 850.000 in year 5; its net 0.  With a horizon of 12 the same: year 5, same IRR."""
    from udfs.core.published import guaranteed_settlement

    case = stat_guaranteed_three_payers()
    assert case.settlement_year == 5
    r = run(case)
    stat = 2
    without = parse_case(case.model_dump(mode="json", exclude_defaults=True, exclude={"garanti"}))
    diff = r.net_by_party[stat, 0] - run(without).net_by_party[stat, 0]
    assert list(diff) == pytest.approx([0, 0, 0, 0, 0, -670_000, 0, 0])
    assert r.party_pv[stat, 0] - run(without).party_pv[stat, 0] == pytest.approx(-670_000 / 1.035**5)
    assert 670_000 / 1.035**5 == pytest.approx(564_122.02, abs=0.01)
    g = guaranteed_settlement(case)
    assert g.investor_cashflow == pytest.approx((-700_000, -700_000, -700_000, 1_250_000, 0, 850_000, 0, 0))
    assert g.investor_net == pytest.approx(0.0)
    longer = guaranteed_settlement(stat_guaranteed_three_payers(12))
    assert longer.settlement.settlement_year == 5 and longer.investor_irr == pytest.approx(g.investor_irr, abs=1e-12)


def test_a_return_floor_tops_up_in_the_settlement_year():
    """The floor's top-up falls in the settlement year too: investment 100, payments 10 (year 1) and 20 (year 2),
    floor −25 %: the shortfall 75 − 30 = 45 is added in year 2 when the contract settles then, in year 1 when it
    settles in year 1; a year outside the rows is refused naming it."""
    assert settle([100, 0, 0, 0], [0, 10, 20, 0], None, return_floor=-0.25, settlement_year=2).payments == (0, 10, 65, 0)
    assert settle([100, 0, 0, 0], [0, 10, 20, 0], None, return_floor=-0.25).payments == (0, 10, 20, 45)
    with pytest.raises(SIError) as err:
        settle([100, 0], [0, 10], None, settlement_year=2)
    assert err.value.argument == "afregningsaar"


def test_workbook_pays_the_guarantee_in_the_settlement_year_in_libreoffice(soffice, tmp_path):
    """The workbook's ``garanti_aar`` = MIN(horisont − 1, MAX of the metrics' years) = 5 for the case above
    (payments in years 3 and 5, horizon 8); LibreOffice puts the stat's 670.000 kr. in year 5 of Resultat's
    ``r_garanti_stat`` and agrees with the core on every compared cell; typing the second metric's year as 6 moves
    it to year 6."""
    from workbooks import book
    from workbooks.reader import read_values
    from workbooks.recalc import recalculating
    from workbooks.standard import layout_from_info
    from tests.typing_cells import type_cells

    case = stat_guaranteed_three_payers()
    path = book.build(case, tmp_path / "garanti.xlsx")
    moved = book.build(case, tmp_path / "flyttet.xlsx")
    type_cells(moved, {("bm2_aar", 0): 6})
    with recalculating([path, moved]) as recalculated:
        (read, differences, _, _), = book.check_many([path], recalculated)
        v = read_values(recalculated(0), layout_from_info, ["garanti_aar", "r_garanti_stat"])
        w = read_values(recalculated(1), layout_from_info, ["garanti_aar", "r_garanti_stat"])
    assert differences == [] and read == case
    assert v["garanti_aar"] == 5 and list(v["r_garanti_stat"])[:8] == pytest.approx([0, 0, 0, 0, 0, 670_000, 0, 0])
    assert w["garanti_aar"] == 6 and w["r_garanti_stat"][6] == pytest.approx(670_000)


# --------------------------------------------------------------------------- the guarantee shown the same way everywhere


def write_case(case_data: dict, path) -> str:
    import yaml

    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(case_data, f, allow_unicode=True)
    return str(path)


def rikers_with(tmp_path, authority: str, name: str, amount: float = 600_000.0) -> str:
    """Rikers (nothing paid) as a case file with ``name`` of ``authority`` guaranteeing ``amount`` kr."""
    import yaml

    data = yaml.safe_load(open(RIKERS, encoding="utf-8"))
    data["garanti"] = {"garant": name, "myndighed": authority, "beloeb": amount}
    return write_case(data, tmp_path / f"rikers_{authority}.yaml")


def test_calc_has_the_guarantee_as_a_yearly_line_in_json_csv_and_text(tmp_path, capsys):
    """Hand case (Rikers: the investor lends 2,400,000 in each of years 0–3, 9,600,000 in all; nothing is paid; the
    horizon is 5 years): the stat guarantees 600,000 and pays max(0, min(600,000, 9,600,000 − 0)) = 600,000 in
    year 4, the horizon's last year.  The yearly line ``r_garanti`` is 0, 0, 0, 0, 600,000; the stat's net in year 4
    is −600,000 and the investor's after the guarantee 0 + 600,000 = 600,000, explained by that line.  Without a
    guarantee the line is there with 0 in every year (the same columns for every case)."""
    import csv

    path = rikers_with(tmp_path, "stat", "Socialstyrelsen")
    assert main(["calc", path, "--json"]) == 0
    years = json.loads(capsys.readouterr().out)["aar_for_aar"]
    assert [y["r_garanti"] for y in years] == pytest.approx([0, 0, 0, 0, 600_000])
    assert years[4]["r_netto_stat"] == pytest.approx(-600_000)
    assert [y["r_investor"] for y in years] == pytest.approx([-2.4 * MIO] * 4 + [600_000])
    target = tmp_path / "rikers.csv"
    assert main(["calc", path, "--csv", str(target)]) == 0
    header, *rows = list(csv.reader(open(target, encoding="utf-8-sig"), delimiter=";"))
    k = header.index("Garantens betaling til investor")
    assert [r[k] for r in rows] == ["0", "0", "0", "0", "600000"]
    assert header[k + 1] == "Investors nettopengestrøm efter garanti"
    capsys.readouterr()
    assert main(["calc", path]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("Garantens betaling til investor"))
    assert line.split()[-5:] == ["0", "0", "0", "0", "600.000"]
    assert main(["calc", "workbooks/cases/sygedagpenge.yaml", "--json"]) == 0
    assert all(y["r_garanti"] == 0 for y in json.loads(capsys.readouterr().out)["aar_for_aar"])


def test_a_private_guarantor_is_a_party_whose_payment_adds_up(tmp_path, capsys):
    """Hand case (Rikers: nothing paid; a private guarantor covers 600,000): the guarantor pays 600,000 in year 4.
    Who pays and who gains: Garant (privat) payments −600,000, net −600,000; the investor payments 0 + 600,000 and
    net −9,600,000 + 600,000 = −9,000,000; the authorities and the fund 0.  The rows add up to the whole economy:
    savings 0 − costs 9,600,000 = −9,600,000.  With the stat as guarantor the private row is 0 (no double count):
    the stat −600,000, the investor −9,000,000."""
    path = rikers_with(tmp_path, "ingen", "Fonden")
    assert main(["calc", path, "--json"]) == 0
    parties = json.loads(capsys.readouterr().out)["parter"]
    assert parties["garant"]["betal"] == pytest.approx(-600_000) and parties["garant"]["netto"] == pytest.approx(-600_000)
    assert parties["investor"]["betal"] == pytest.approx(600_000) and parties["investor"]["netto"] == pytest.approx(-9_000_000)
    assert sum(p["netto"] for p in parties.values()) == pytest.approx(-9_600_000)
    assert main(["calc", path]) == 0
    out = capsys.readouterr().out
    row = next(x for x in out.splitlines() if x.strip().startswith("Garant (privat)"))
    # Garant (privat): costs 0, savings 0, payments −600.000, net −600.000, present value −600.000 / 1,035⁴ = −522.865
    assert row.split()[2:] == ["0", "0", "-600.000", "-600.000", "-522.865"]
    assert "Betalinger omfatter garantens betaling til investor (i kontraktens afregningsår, år 4)." in out
    public = rikers_with(tmp_path, "stat", "Socialstyrelsen")
    assert main(["calc", public, "--json"]) == 0
    parties = json.loads(capsys.readouterr().out)["parter"]
    assert parties["garant"]["netto"] == 0 and parties["stat"]["netto"] == pytest.approx(-600_000)
    assert parties["investor"]["netto"] == pytest.approx(-9_000_000)
    assert sum(p["netto"] for p in parties.values()) == pytest.approx(-9_600_000)
    assert main(["calc", public]) == 0
    assert "Garant (privat)" not in capsys.readouterr().out  # a public guarantor's payment is in its authority's row


def test_afregn_names_the_investors_flow_before_and_after_the_guarantee_as_calc(tmp_path, capsys):
    """One label per quantity: afregn's investor flow before the guarantee (payments − investment: −2,400,000 in
    years 0–3, 0 in year 4) and after it (+600,000 in year 4), the latter under calc's label of ``r_investor``; the
    guarantee's payment says its year (the contract's settlement year, Rikers' only metric's year 4)."""
    from udfs.core.lineitems import YEARLY

    path = rikers_with(tmp_path, "ingen", "Fonden")
    assert main(["afregn", path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    years = data["aar_for_aar"]
    assert years["investor_foer_garanti"]["aar_4"] == 0 and years["investor_foer_garanti"]["i_alt"] == pytest.approx(-9.6 * MIO)
    assert years["investor_efter_garanti"]["aar_4"] == pytest.approx(600_000)
    assert main(["afregn", path]) == 0
    import re

    # a long row name wraps over lines in the year table, its amounts on the first line: the words without them
    out = " ".join(w for w in capsys.readouterr().out.split() if not re.fullmatch(r"-?[\d.]+", w))
    assert "Investors nettopengestrøm før garanti" in out and YEARLY["r_investor"].label in out
    assert "Garantens betaling (i kontraktens afregningsår, år 4)" in out


def test_the_payers_net_saving_after_a_guarantee_it_pays():
    """Hand case: investment 100 in year 0, payments 60 in year 1, the payer saves 200 in year 1; the kommune is both
    the payer and the guarantor of 30: it pays max(0, min(30, 100 − 60)) = 30 in year 1.  Net saving before the
    guarantee 200 − 60 = 140, after it 140 − 30 = 110 (by year: 0, 110).  With the stat as guarantor the payer's net
    saving is 140 and has no "before/after" pair."""
    from udfs.core.guarantee import settlement_figures

    s = settle([100, 0], [0, 60], [0, 200])
    kommune = Guarantee("Aarhus Kommune", amount=30, authority="kommune")
    rows = {item.label: v for item, v in settlement_figures(s, kommune, payer="kommune")}
    assert rows["Betalers nettobesparelse før garanti (uden egne omkostninger)"] == 140
    assert rows["Betalers nettobesparelse efter garanti (uden egne omkostninger)"] == 110
    assert "Betalers nettobesparelse (uden egne omkostninger)" not in rows
    lines = {label: v for _, label, v in GuaranteedSettlement(s, kommune, "kommune").settlement_lines()}
    assert lines["Betalers nettobesparelse efter garanti (uden egne omkostninger)"] == (0, 110)
    assert lines["Betalers nettobesparelse før garanti (uden egne omkostninger)"] == (0, 140)
    stat = {item.label: v for item, v in settlement_figures(s, Guarantee("Staten", amount=30, authority="stat"), payer="kommune")}
    assert stat["Betalers nettobesparelse (uden egne omkostninger)"] == 140 and "Betalers nettobesparelse efter garanti (uden egne omkostninger)" not in stat
    # SI_AFREGNING with the payer named: the same rows; an unknown payer is refused in Danish
    table = dict(xl.SI_AFREGNING([[100, 0]], [[0, 60]], [[0, 200]], None, None, 30, None, "Aarhus Kommune",
                                 garanti_myndighed="kommune", betaler="Kommune"))
    assert table["Betalers nettobesparelse efter garanti (uden egne omkostninger)"] == 110 and table["Betalers nettobesparelse før garanti (uden egne omkostninger)"] == 140
    assert xl.SI_AFREGNING([[100, 0]], [[0, 60]], [[0, 200]], betaler="amt") == (
        "Fejl i betaler: 'amt' kendes ikke: skriv kommune, region eller stat")


def test_afregn_subtracts_the_guarantee_the_payer_pays(tmp_path, capsys):
    """Rikers with the payer (the kommune, Aarhus) as guarantor of 600,000: the payer saves 0 and pays 0 outcome
    payments, so its net saving is 0 before the guarantee and 0 − 600,000 = −600,000 after it, in year 4."""
    path = rikers_with(tmp_path, "kommune", "Aarhus")
    assert main(["afregn", path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["afregning"]["nettobesparelse"] == 0
    assert data["afregning"]["nettobesparelse_garanti"] == pytest.approx(-600_000)
    assert data["aar_for_aar"]["nettobesparelse_garanti"]["aar_4"] == pytest.approx(-600_000)


def test_the_benefit_cost_ratio_counts_a_guarantee_the_payer_pays_itself(soffice, tmp_path):
    """A trial's finding: with the kommune as its own guarantor the benefit-cost ratio left out the guarantee it pays.
    eksempel_tre_betalere with the kommune covering up to 2.000.000 kr.: it pays min(2.000.000, 2.100.000 − 1.430.000)
    = 670.000 kr. in year 5, present value 670.000 / 1,035⁵ = 564.122,02 kr., which joins its costs and payments in
    the denominator (ROI = ratio − 1); LibreOffice's bcr_betaler equals the core's."""
    from udfs.core.businesscase import key_figures
    from workbooks import book

    data = load_business_case("workbooks/cases/eksempel_tre_betalere.yaml").model_dump(mode="json", exclude_defaults=True)
    data["garanti"] = {"garant": "Aarhus", "myndighed": "kommune", "beloeb": 2_000_000}
    case = parse_case(data)
    r = run(case)
    k = r.payer_index
    gains = r.pv(r.savings_by_authority[k])[0]
    spent = r.pv(r.costs[k] + r.payments_by_payer[k])[0]
    figures = key_figures(r)
    assert figures["bcr_betaler"] == pytest.approx(gains / (spent + 670_000 / 1.035**5))
    assert figures["roi_betaler"] == pytest.approx(figures["bcr_betaler"] - 1)
    path = book.build(case, tmp_path / "kommunen_garant.xlsx")
    (read, differences, _, _), = book.check_many([path])
    assert differences == [] and read == case


def test_without_savings_the_payer_as_its_own_guarantor_shows_its_outlay():
    """Hand case: investment 2.000.000 kr. in year 0, payments 1.800.000 in year 2, no savings; the kommune pays and
    guarantees 500.000: the guarantee pays min(500.000; 2.000.000 − 1.800.000) = 200.000 kr. in year 2, so the
    kommune pays out 1.800.000 + 200.000 = 2.000.000 kr. (by year: 0, 0, 2.000.000).  There is no net saving, so no
    before/after pair; with the stat as guarantor the kommune's outlay is its payments alone and has no such line."""
    from udfs.core.guarantee import settlement_figures

    label = "Betalers udgift efter garanti (betalinger + garanti)"
    s = settle([2_000_000, 0, 0], [0, 0, 1_800_000], None)
    kommune = Guarantee("Vestby Kommune", amount=500_000, authority="kommune")
    rows = {item.label: v for item, v in settlement_figures(s, kommune, payer="kommune")}
    assert rows["Garantens betaling (i kontraktens afregningsår, år 2)"] == 200_000
    assert rows[label] == 2_000_000
    assert not any(k.startswith("Betalers nettobesparelse") for k in rows)
    lines = {lab: v for _, lab, v in GuaranteedSettlement(s, kommune, "kommune").settlement_lines()}
    assert lines[label] == (0, 0, 2_000_000)
    stat = {item.label for item, _ in settlement_figures(s, Guarantee("Staten", amount=500_000, authority="stat"), payer="kommune")}
    assert label not in stat
