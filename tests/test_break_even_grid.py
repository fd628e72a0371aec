"""The hidden break-even grid evaluates only the distinct knots: it grows with the slots, not slots × crossings."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from udfs.core.businesscase import break_evens, deadweight_floor
from udfs.core.case_model import parse_case
from udfs.core.casefile import load_business_case
from udfs.core.engine import prepare
from udfs.core.vocabulary import NO_LOSS, NONE_REACHED, UNDEFINED
from workbooks import book
from workbooks.book import build_bytes
from workbooks.layout import resolve

from tests.feature_cases import CAP_AFTER_RATE_CARD_CAP, GUARANTEE_BEND, LOSS_BELOW_DEADWEIGHT, RETURN_LIMITS
from workbooks.recalc import recalculating
from workbooks import standard
from workbooks.names import effect_cell
from workbooks.standard import GUARANTEE_BENDS, MACHINERY_SHEET, TOO_MANY_KNOTS, dims_of, knot_candidates, piecewise_levels, union_columns

CASE = Path(__file__).resolve().parents[1] / "workbooks" / "cases" / "eksempel_alle_myndigheder.yaml"


def test_grid_points_of_the_largest_example():
    """eksempel_alle_myndigheder (4 metrics in use + 6 spare slots, one per rule of the registry): K = 46 rule knots
    (43 candidates of the rules: the two staircases with MAX_STEPS = 8 rows each, the rate cards with 5 outcome rows
    each -- the case's one outcome and room for more -- + the deadweight floor + 0 and 1); 6 rows crossed between
    the rule knots (stage 1: 2 rate cards × 3 caps), giving K1 = 1 + K + 2 × 6 = 59 stage-1 knots; 13 rows crossed
    between those (stage 2: 10 metrics' cumulative payments against the lower of the contract's cap and the return
    cap, the payments against the return floor and the two levels where a payer's own guarantee bends).  The grid
    has 5 scenario columns + 2 × K (rule knots, just left of them) + 2 × K1 (stage-1 knots, just left of them)
    + 2 × (1 + K + 2 × 19) = 5 + 92 + 118 + 170 = 385 points (every candidate of every crossing evaluated instead:
    5 + 92 + 2 × K × 20 = 1,937)."""
    case = load_business_case(CASE)
    d = dims_of(case)
    K, piecewise = len(knot_candidates(d)) + 3, len(piecewise_levels(d))  # + 0, 1 and the floor
    crossed = piecewise + len(d.metrics) + 1 + len(GUARANTEE_BENDS)  # + 1: the return floor
    assert (K, piecewise, crossed) == (46, 6, 19)
    assert (union_columns(K, piecewise), union_columns(K, crossed)) == (59, 85)
    data = build_bytes(case)
    rows = openpyxl.load_workbook(io.BytesIO(data), read_only=True)[MACHINERY_SHEET].iter_rows(values_only=True)
    grid = next(sum(v is not None for v in r[1:]) for r in rows if r and r[0] == "Nutidsværdi netto betaler")
    assert grid == 385
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # 15.8 MB measured (1.1 MB zipped); the safety limit is 30 MB
        assert sum(i.file_size for i in z.infolist()) < 16.5e6


# ------------------------------------------------------------------ metrics paid every year (til_aar)

UTAH = Path(__file__).resolve().parents[1] / "workbooks" / "cases" / "kontrakter" / "utah_preschool.yaml"
PER_YEAR = 110 * 2_583.0275229358  # Utah: savings a year at success rate s are PER_YEAR × s (years 1–7, dødvægt 0)
SWITCH = 1_000_000 * 1.05 / 0.95  # cumulative savings at Utah's switch from 95 % to 40 % (hovedstol × (1 + afkast) / andel_foer)
STEP = {"id": "trin", "navn": "Andel uden specialundervisning", "enhed": "andel", "datakilde": "Evaluator",
        "maaletidspunkt": "År 3", "aar": 3, "regel": {"type": "trappe", "taerskler": [0.3, 0.6], "betalinger": [100_000, 200_000]}}
LINE = {"id": "linje", "navn": "Børn uden specialundervisning", "enhed": "personer", "datakilde": "Evaluator",
        "maaletidspunkt": "År 2", "aar": 2, "regel": {"type": "lineaer", "taerskel": 20, "maal": 80, "betaling_ved_maal": 300_000}}


def utah(cost: float, rule: dict | None = None, loft: float | None = None, extra: tuple[dict, dict] | None = None,
         contract: float | None = None, required: float | None = None):
    """Utah's first cohort (a share of the state's savings paid every year, years 1–7) with a cost of ``cost`` kr.
    the payer (stat) pays itself in year 0, so the payer can lose; optionally another rule, a metric cap, a second
    metric (data, its maaling), a contract cap and the investor's required return."""
    data = load_business_case(UTAH).model_dump(mode="json", exclude_none=True)
    data.pop("kilder")
    data["indsats"].append({"navn": "Statens opfølgning", "betaler": "stat", "pr_aar": [float(cost)] + [0.0] * 7})
    metric = data["betalingsmodel"]["resultatmaal"][0]
    metric |= {"regel": rule or metric["regel"]} | ({"loft": loft} if loft else {})
    if extra:
        data["betalingsmodel"]["resultatmaal"].append(extra[0])
        data["maaling"][extra[0]["id"]] = extra[1]
    if contract:
        data["betalingsmodel"]["loft_kontrakt"] = contract
    if required:
        data["investor"] = {"krav_til_afkast": required}
    return parse_case(data)


YEARLY_CASES = {
    "skiftende_andel": utah(260_000),
    "fast_andel_med_loft": utah(560_000, {"type": "besparelsesandel", "andel": 0.5}, loft=600_000),
    "skiftende_andel_og_trappe": utah(260_000, extra=(STEP, {"effekt": "specialundervisning", "maal": "andel"})),
    "lineaer_og_kontraktloft": utah(200_000, extra=(LINE, {"effekt": "specialundervisning", "maal": "antal"}),
                                    contract=1_200_000, required=0.05),
}
BREAK_EVEN_CELLS = {"break_even": "betaler", "be_investor": "investor", "be_investor_krav": "investor_krav"}


@pytest.fixture(scope="module")
def yearly_workbooks(soffice, tmp_path_factory):
    """Each case of :data:`YEARLY_CASES` built and recalculated by LibreOffice (one run): name → its break-even
    cells (``break_even``, ``be_investor``, ``be_investor_krav``, ``tab_fra``, ``tab_stoerst``, ``kn_fuld``)."""
    folder = tmp_path_factory.mktemp("aarlige")
    paths = [book.build(case, folder / f"{name}.xlsx") for name, case in YEARLY_CASES.items()]
    with pytest.MonkeyPatch.context() as patch:  # room for 3 of the switch's 4 yearly knots: the cells must say so
        patch.setattr(standard, "YEARLY_KNOTS", 3)
        paths.append(book.build(YEARLY_CASES["skiftende_andel"], folder / "for_faa_kolonner.xlsx"))
    out = {}
    with recalculating(paths) as result:
        for k, (name, case) in enumerate([*YEARLY_CASES.items(), ("for_faa_kolonner", YEARLY_CASES["skiftende_andel"])]):
            # the cells read are placed as in the workbook with room for 16 (the machinery's columns, not rows, differ)
            plan = resolve(book.layout_of(case))
            values = openpyxl.load_workbook(result(k), data_only=True)
            cell = lambda n: values[plan.names[n].sheet].cell(plan.names[n].min_row, plan.names[n].min_col).value  # noqa: E731
            out[name] = {n: cell(n) for n in (*BREAK_EVEN_CELLS, "tab_fra", "tab_stoerst", "kn_fuld")}
    return out


def test_a_yearly_metric_with_more_knots_than_its_columns_shows_no_figure(yearly_workbooks):
    """Utah's switch has 4 yearly knots in 0–1 (0.5557, 0.6483, 0.7780, 0.9725, see below); a workbook with room for
    3 says so (``kn_fuld`` = 0, the break-even cells :data:`~workbooks.standard.TOO_MANY_KNOTS`) instead of a figure
    from a grid that lacks one."""
    got = yearly_workbooks["for_faa_kolonner"]
    assert got["kn_fuld"] == 0
    assert got["break_even"] == got["be_investor"] == got["tab_fra"] == TOO_MANY_KNOTS


def test_a_yearly_switch_the_break_even_lies_between_two_years_crossings_in_the_workbook_as_in_the_core(yearly_workbooks):
    """Utah's switching share paid every year, the state paying 260 000 in year 0 itself (its own follow-up).

    By hand: at success rate s each year 1–7 saves S × s, S = 110 × 2 583.03 = 284 133.03; year t's cumulative savings
    t × S × s reach the switch X* = 1 050 000 / 0.95 = 1 105 263.16 at s = X* / (t × S): t = 7: 0.5557, t = 6: 0.6483,
    t = 5: 0.7780, t = 4: 0.9725.  The payment rule bends at each of these (the core's knots, ``yearly_knots``).
    Between 0.6483 and 0.7780 years 1–5 pay 95 % of S × s (the state keeps 5 %), year 6 crosses the switch and pays
    0.95 × (X* − 5 S s) + 0.40 × (6 S s − X*) (the state keeps 3.35 S s − 0.55 X*), year 7 pays 40 % (keeps 60 %):
    PV(s) = −260 000 × df0 + S s × (0.05 × (df1 + … + df5) + 3.35 × df6 + 0.6 × df7) − 0.55 × X* × df6, linear there;
    PV = 0 at s = (260 000 × df0 + 0.55 × X* × df6) / (S × (0.05 × Σ df1..5 + 3.35 × df6 + 0.6 × df7)) = 0.77589,
    inside the piece.  A grid with only the knot where the whole horizon's savings reach X* (s = 0.5557, as a single
    payment would have) interpolates linearly from 0.5557 to 1 over the kinks at 0.6483, 0.7780 and 0.9725 and misses
    it (LibreOffice gave 0.7719 before the grid had the yearly knots)."""
    case = YEARLY_CASES["skiftende_andel"]
    df = prepare(case).discount
    by_hand = (260_000 * df[0] + 0.55 * SWITCH * df[6]) / (PER_YEAR * (0.05 * sum(df[1:6]) + 3.35 * df[6] + 0.6 * df[7]))
    assert 6 * PER_YEAR * by_hand > SWITCH > 5 * PER_YEAR * by_hand  # on the piece of year 6's crossing
    assert break_evens(case)["betaler"].rate == pytest.approx(by_hand, abs=1e-12)
    assert yearly_workbooks["skiftende_andel"]["break_even"] == pytest.approx(by_hand, abs=1e-9)


@pytest.mark.parametrize("name", list(YEARLY_CASES))
def test_yearly_metrics_break_even_in_libreoffice_equals_the_core(name, yearly_workbooks):
    """Every break-even, the first loss and the largest loss of the workbook (LibreOffice) equal the core's
    (:func:`udfs.core.businesscase.break_evens`) for cases whose yearly metric bends inside 0–1: a switching share,
    a fixed share up to a metric cap, each beside a one-off step or a line with a contract cap."""
    case, got = YEARLY_CASES[name], yearly_workbooks[name]
    core = break_evens(case)
    assert got["kn_fuld"] == 1
    for cell, who in BREAK_EVEN_CELLS.items():
        want = core[who]
        if want is None:
            assert got[cell] == UNDEFINED
        elif want.rate is None:
            assert got[cell] == NONE_REACHED
        else:
            assert got[cell] == pytest.approx(want.rate, abs=1e-9), cell
    payer = core["betaler"]
    assert got["tab_fra"] == (pytest.approx(payer.losses[0][0], abs=1e-9) if payer.losses else NO_LOSS)
    assert got["tab_stoerst"] == pytest.approx(max(0.0, -payer.minimum), abs=0.01)


# ------------------------------------------------------------------ the largest loss from the deadweight up

def typed_into(path: Path, plan, values: dict) -> None:
    """Type ``values`` (input name → value) into the workbook at ``path`` as a user would, and save it."""
    wb = openpyxl.load_workbook(path)
    for name, value in values.items():
        where = plan.names[name]
        wb[where.sheet].cell(where.min_row, where.min_col).value = value
    wb.save(path)



def test_the_largest_loss_from_the_deadweight_up_in_libreoffice_equals_the_core(soffice, tmp_path):
    """LOSS_BELOW_DEADWEIGHT (hand calculation in tests/feature_cases.py): the payer loses on 0–20 % (below and
    above its deadweight of 10 %) and 30–35 %; LibreOffice gives the core's break-even 35 %, first loss 0 % and
    largest loss from the deadweight up, 200,000 kr. (at 10 %; 400,000 kr. at 0 %), and says so in the sentence.
    The same workbook with the deadweight typed as 25 % follows it (``kn_doedvaegt`` is a formula): the core
    on the case with 25 % gives the floor 25 %, PV −200,000 there (2,000,000 × 0 − 200,000) and −100,000 at the
    step (s = 45 %), so 200,000 kr. again, against 700,000 kr. at 0 %; break-even 2,000,000 × (s − 0.25) = 500,000
    at s = 50 %."""
    case = parse_case(LOSS_BELOW_DEADWEIGHT)
    typed = copy.deepcopy(LOSS_BELOW_DEADWEIGHT)
    typed["effekter"][0]["doedvaegt"] = 0.25
    typed = parse_case(typed)
    paths = [book.build(case, tmp_path / "doedvaegt.xlsx"), book.build(case, tmp_path / "indtastet.xlsx")]
    plan = resolve(book.layout_of(case))
    typed_into(paths[1], plan, {effect_cell(1, "doedvaegt"): 0.25})
    names = ("break_even", "tab_fra", "tab_stoerst", "kn_doedvaegt", "kn_fuld", "be_tekst")
    got = []
    with recalculating(paths) as result:
        for k in range(2):
            values = openpyxl.load_workbook(result(k), data_only=True)
            got.append({n: values[plan.names[n].sheet].cell(plan.names[n].min_row, plan.names[n].min_col).value for n in names})
    for cells, c in zip(got, (case, typed)):
        core = break_evens(c)["betaler"]
        assert cells["kn_fuld"] == 1
        assert cells["kn_doedvaegt"] == pytest.approx(deadweight_floor(c), abs=1e-12)
        assert cells["break_even"] == pytest.approx(core.rate, abs=1e-9)
        assert cells["tab_fra"] == pytest.approx(core.losses[0][0], abs=1e-9)
        assert cells["tab_stoerst"] == pytest.approx(max(0.0, -core.minimum), abs=0.01)
        assert cells["tab_stoerst"] == pytest.approx(200_000, abs=0.01)  # by hand, both cases
    assert got[0]["kn_doedvaegt"] == 0.10 and got[1]["kn_doedvaegt"] == 0.25
    assert got[0]["break_even"] == pytest.approx(0.35, abs=1e-9) and got[1]["break_even"] == pytest.approx(0.50, abs=1e-9)
    # Danish numbers whatever the application's own (LibreOffice here: en-US); two separate loss intervals each
    # (0–20 % and 30–35 %; 0–35 % and 45–50 %), so the sentence does not say the payer loses all the way
    assert ("under 35,0 % taber betaleren ved succesrater i 2 adskilte intervaller mellem 0,0 % og 35,0 % (største tab ved "
            "succesrater fra dødvægten (10,0 %) er 200.000 kr. i nutidsværdi).") in got[0]["be_tekst"]
    assert ("under 50,0 % taber betaleren ved succesrater i 2 adskilte intervaller mellem 0,0 % og 50,0 % (største tab ved "
            "succesrater fra dødvægten (25,0 %) er 200.000 kr. i nutidsværdi).") in got[1]["be_tekst"]


def test_a_guarantee_the_payer_gives_bends_its_loss_in_libreoffice_as_in_the_core(soffice, tmp_path):
    """GUARANTEE_BEND (hand calculation in tests/feature_cases.py): the kommune pays and guarantees 500,000 kr. of
    the investor's 1,000,000; its PV is lowest, −750,000 kr., at 12,5 %, where the payments reach the investment less
    the cover -- no rule's knot (the grid of rule knots alone gave 500,000 kr.).  One loss interval, 0–50 %: the
    grid's knots are distinct (the linear rule's target was a knot twice, and the empty piece between the two split
    the interval in two)."""
    case = parse_case(GUARANTEE_BEND)
    core = break_evens(case)["betaler"]
    assert core.minimum == pytest.approx(-750_000, abs=0.01) and core.rate == pytest.approx(0.5, abs=1e-9)
    assert core.losses == ((0.0, pytest.approx(0.5, abs=1e-9)),)
    path = book.build(case, tmp_path / "garantens_knaek.xlsx")
    plan = resolve(book.layout_of(case))
    names = ("break_even", "tab_fra", "tab_stoerst", "tab_antal_betaler", "kn_fuld", "be_tekst")
    with recalculating([path]) as result:
        values = openpyxl.load_workbook(result(0), data_only=True)
        got = {n: values[plan.names[n].sheet].cell(plan.names[n].min_row, plan.names[n].min_col).value for n in names}
    assert got["kn_fuld"] == 1
    assert got["tab_stoerst"] == pytest.approx(750_000, abs=0.01)  # by hand: −500,000 − 2,000,000 × 0,125
    assert got["break_even"] == pytest.approx(0.5, abs=1e-9) and got["tab_fra"] == pytest.approx(0.0, abs=1e-12)
    assert got["tab_antal_betaler"] == 1
    assert got["be_tekst"].endswith("under 50,0 % taber betaleren ved succesrater mellem 0,0 % og 50,0 % (største tab ved "
                                    "succesrater fra dødvægten (0,0 %) er 750.000 kr. i nutidsværdi).")


def test_the_contract_cap_after_a_rate_cards_cap_in_libreoffice_as_in_the_core(soffice, tmp_path):
    """CAP_AFTER_RATE_CARD_CAP (hand calculation in tests/feature_cases.py): the rate card's cap binds at 40 %, between
    the linear rule's knots 20 % and 60 %, and the contract cap at 44 %; the contract cap is sought between the
    stage-1 knots (the rule knots and the rate card's crossings), so the payer's largest loss is 240,000 kr. at 44 %
    (interpolating between the rule knots alone put the cap at 46,7 % and the loss at 200,000 kr.)."""
    case = parse_case(CAP_AFTER_RATE_CARD_CAP)
    core = break_evens(case)
    assert core["betaler"].minimum == pytest.approx(-240_000, abs=0.01)
    path = book.build(case, tmp_path / "kontraktloft_efter_ratekortloft.xlsx")
    plan = resolve(book.layout_of(case))
    names = ("break_even", "tab_fra", "tab_stoerst", "be_investor", "kn_fuld", "kn_alle")
    with recalculating([path]) as result:
        values = openpyxl.load_workbook(result(0), data_only=True)
        sheet = lambda n: values[plan.names[n].sheet]  # noqa: E731
        got = {n: sheet(n).cell(plan.names[n].min_row, plan.names[n].min_col).value for n in names[:-1]}
        where = plan.names["kn_alle"]
        knots = [sheet("kn_alle").cell(where.min_row, col).value for col in range(where.min_col, where.max_col + 1)]
    assert got["kn_fuld"] == 1
    assert [k for k in knots if 0 < k < 1] == pytest.approx([0.2, 0.4, 0.44, 0.6], abs=1e-12)  # by hand, above
    assert got["tab_stoerst"] == pytest.approx(240_000, abs=0.01)  # 200,000 − 1,000,000 × 0,44 = −240,000
    assert got["break_even"] == pytest.approx(0.5, abs=1e-9) == core["betaler"].rate
    assert got["tab_fra"] == pytest.approx(1 / 3, abs=1e-9)  # 1,000,000 − 3,000,000 s = 0
    assert got["be_investor"] == pytest.approx(2 / 7, abs=1e-9) == core["investor"].rate  # 7,000,000 s − 1,000,000 = 1,000,000


# ------------------------------------------------------------------ the investor's return floor and cap


def _cells(values, plan, names) -> dict:
    """Each name's cell value, or its row's values for a row of a table."""
    out = {}
    for n in names:
        where = plan.names[n]
        sheet = values[where.sheet]
        row = [sheet.cell(where.min_row, col).value for col in range(where.min_col, where.max_col + 1)]
        out[n] = row if len(row) > 1 else row[0]
    return out


def test_a_return_floor_and_cap_bend_the_break_even_in_libreoffice_as_in_the_core(soffice, tmp_path):
    """RETURN_LIMITS (hand calculation in tests/feature_cases.py): the floor (−50 %: at least 500,000 kr.) and the cap
    (20 %: at most 1,200,000 kr.) bend the payer's PV at 12,5 % and 30 %, where no rule knots; LibreOffice has both
    among its knots and gives the core's break-even 60 %, the largest loss 600,000 kr. at 30 % and the investor's
    money back at 25 %.  At the case's 50 % the cap cuts 800,000 kr. of year 1's 2,000,000; the same workbook with the
    success rate typed as 5 % pays 4,000,000 × 0,05 = 200,000 kr., and the floor adds 500,000 − 200,000 = 300,000 kr.
    in the settlement year 1."""
    case = parse_case(RETURN_LIMITS)
    low = copy.deepcopy(RETURN_LIMITS)
    low["effekter"][0]["succesrate"] = 0.05
    paths = [book.build(case, tmp_path / "afkast.xlsx"), book.build(case, tmp_path / "afkast_5_procent.xlsx")]
    plan = resolve(book.layout_of(case))
    typed_into(paths[1], plan, {effect_cell(1, "succesrate"): 0.05})
    names = ("break_even", "tab_fra", "tab_stoerst", "be_investor", "inv_tab", "kn_fuld", "kn_alle", "bet_brutto",
             "bet_skaeres", "bet_skaeres_afkast", "bet_gulv", "betalinger", "loft_skaaret", "gulv_lagt_til",
             "loft_samlet", "gulv_afkast", "bm_afkast_advarsel")
    with recalculating(paths) as result:
        got = [_cells(openpyxl.load_workbook(result(k), data_only=True), plan, names) for k in range(2)]
    at_half, at_five = got
    assert at_half["kn_fuld"] == 1
    assert [k for k in at_half["kn_alle"] if 0 < k < 1] == pytest.approx([0.125, 0.3, 0.5], abs=1e-12)  # by hand
    assert at_half["break_even"] == pytest.approx(0.6, abs=1e-9) and at_half["tab_fra"] == pytest.approx(0.0, abs=1e-12)
    assert at_half["tab_stoerst"] == pytest.approx(600_000, abs=0.01)  # −2,000,000 × 0,30
    assert at_half["be_investor"] == pytest.approx(0.25, abs=1e-9)  # 4,000,000 s = 1,000,000
    assert at_half["inv_tab"] == pytest.approx(500_000, abs=0.01)  # the floor: 1,000,000 − 500,000
    assert (at_half["loft_samlet"], at_half["gulv_afkast"], at_half["bm_afkast_advarsel"]) == (1_200_000, 500_000, None)
    assert at_half["bet_brutto"][:2] == [0, 2_000_000] and at_half["bet_skaeres_afkast"][:2] == [0, 800_000]
    assert at_half["betalinger"][:2] == [0, 1_200_000] and at_half["bet_gulv"][:2] == [0, 0]
    assert (at_half["loft_skaaret"], at_half["gulv_lagt_til"]) == (800_000, 0)
    assert at_five["bet_brutto"][:2] == [0, pytest.approx(200_000, abs=0.01)]
    assert at_five["bet_gulv"][:2] == [0, pytest.approx(300_000, abs=0.01)] and at_five["bet_skaeres_afkast"][:2] == [0, 0]
    assert at_five["betalinger"][:2] == [0, pytest.approx(500_000, abs=0.01)]
    assert at_five["gulv_lagt_til"] == pytest.approx(300_000, abs=0.01)
    core = break_evens(case)
    assert (core["betaler"].rate, core["investor"].rate) == (pytest.approx(0.6, abs=1e-12), pytest.approx(0.25, abs=1e-12))
    assert core["betaler"].minimum == pytest.approx(-600_000, abs=0.01)
    core_low = book.expected_values(parse_case(low))
    assert core_low["betalinger"][1] == pytest.approx(500_000, abs=0.01) and core_low["gulv_lagt_til"] == pytest.approx(300_000, abs=0.01)


def test_return_limits_typed_into_a_workbook_built_without_them_are_read_and_agree(soffice, tmp_path):
    """The limits are inputs of Betalingsmodel like the contract's cap: typed as 20 % and −50 % into the workbook of
    RETURN_LIMITS built without them, ``sibc check`` reads the case with both (extract) and finds LibreOffice equal
    to the core in every result cell; a floor typed above the cap is said in red beside them."""
    plain = {k: v for k, v in RETURN_LIMITS.items() if k not in ("afkastloft", "afkastgulv")}
    case = parse_case(plain)
    paths = [book.build(case, tmp_path / "uden_graenser.xlsx"), book.build(case, tmp_path / "gulv_over_loft.xlsx")]
    plan = resolve(book.layout_of(case))
    for path, (cap, floor) in zip(paths, ((0.2, -0.5), (0.1, 0.3))):
        typed_into(path, plan, {"afkastloft": cap, "afkastgulv": floor})
    back, differences, cells, kontrol = book.check(paths[0])
    assert back == parse_case(RETURN_LIMITS) and differences == [] and cells > 50
    with recalculating(paths[1:]) as result:
        warning = _cells(openpyxl.load_workbook(result(0), data_only=True), plan, ["bm_afkast_advarsel"])["bm_afkast_advarsel"]
    assert warning == "Afkastgulvet er større end afkastloftet: sæt gulvet ned eller loftet op"
