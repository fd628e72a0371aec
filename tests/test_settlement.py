"""Tests for udfs.core.settlement — IRR, XIRR, return cap and floor, the settlement.

Figures are hand calculations written out next to each row; IRR and XIRR are
also recalculated by LibreOffice (``=IRR`` / ``=XIRR``) when it is installed.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from udfs.core.errors import SIError
import numpy as np

from workbooks.standard import irr_formula
from udfs.core.settlement import (
    IRR_STEPS,
    IRR_TOLERANCE,
    XIRR_STEPS,
    XIRR_TOLERANCE,
    dated_times,
    irr,
    irr_roots,
    limit_returns,
    newton_rates,
    normalised,
    rates_note,
    settle,
    sign_changes,
    workbook_irr,
    xirr,
    xirr_roots,
    yearly_rows,
)

# --------------------------------------------------------------------------
# IRR
# --------------------------------------------------------------------------

# [-100, 60, 60]: with x = 1/(1+r), 60x² + 60x − 100 = 0 → x = (−60 + √(60² + 4·60·100)) / (2·60)
_X = (-60 + math.sqrt(60**2 + 4 * 60 * 100)) / (2 * 60)

IRR_CASES = [
    # (cash flows, guess, expected rate, hand calculation)
    ([-100, 110], 0.1, 0.10, "110 / 100 − 1"),
    ([-100, 0, 121], 0.1, 0.10, "121 = 100 × 1.1²"),
    ([-100, 60, 60], 0.1, 1 / _X - 1, "quadratic in 1/(1+r), = 0.1306624"),
    ([-100, 50], 0.1, -0.5, "50 / 100 − 1"),
    ([100, -110], 0.1, 0.10, "signs flipped: same rate"),
    ([-100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 0.1, 0.01 ** (1 / 10) - 1, "(1+r)^10 = 1/100, r = −0.369043"),
    ([-1, 1_000_000], 0.1, 999_999.0, "1 000 000 / 1 − 1"),
    ([-100, 230, -132], 0.1, 0.10, "132x² − 230x + 100 = 0 → x = 240/264 or 220/264: r = 10 % or 20 %; guess 0.1"),
    ([-100, 230, -132], 0.25, 0.20, "same flows, the root nearest the guess 0.25"),
    ([-6_200_000, 0, 7_400_000], 0.1, math.sqrt(7.4 / 6.2) - 1, "Sygedagpenge-like: (1+r)² = 7.4/6.2"),
]


@pytest.mark.parametrize(("flows", "guess", "expected", "hand"), IRR_CASES)
def test_irr(flows, guess, expected, hand):
    assert irr(flows, guess) == pytest.approx(expected, rel=1e-12, abs=1e-13), hand


IRR_ERRORS = [
    ([100, 110], "pengestroem", "mindst én negativ og én positiv"),
    ([-100, -10], "pengestroem", "mindst én negativ og én positiv"),
    ([], "pengestroem", "mindst én negativ og én positiv"),
    ([-100, math.nan], "pengestroem", "endeligt"),
    # −100 + 50x − 100x² < 0 for every x (discriminant 2 500 − 40 000 < 0): no rate exists
    ([-100, 50, -100], "pengestroem", "skifter ikke fortegn"),
]


@pytest.mark.parametrize(("flows", "argument", "message"), IRR_ERRORS)
def test_irr_errors(flows, argument, message):
    with pytest.raises(SIError) as info:
        irr(flows)
    assert (info.value.argument, message in info.value.message) == (argument, True)


# --------------------------------------------------------------------------
# XIRR
# --------------------------------------------------------------------------

XIRR_CASES = [
    # (flows, dates, expected, hand calculation)
    ([-100, 110], [dt.date(2023, 1, 1), dt.date(2024, 1, 1)], 0.10, "365 days: 110/100 − 1"),
    ([-100, 110], [dt.date(2024, 1, 1), dt.date(2025, 1, 1)], 1.1 ** (365 / 366) - 1, "366 days: 1.1^(365/366) − 1"),
    ([-100, 121], [dt.date(2023, 1, 1), dt.date(2024, 12, 31)], 0.10, "730 days = 2 × 365: 1.1²"),
    ([-100, 110], [44927, 45292], 0.10, "Excel serials of 2023-01-01 and 2024-01-01"),
    ([-100, 110], [dt.datetime(2023, 1, 1, 18), dt.datetime(2024, 1, 1, 6)], 0.10, "time of day dropped"),
    ([-100, 0, 121], [dt.date(2023, 1, 1), dt.date(2023, 7, 1), dt.date(2024, 12, 31)], 0.10, "a zero flow"),
    ([-100, 110, 0], [dt.date(2023, 1, 1), dt.date(2024, 1, 1), dt.date(2023, 6, 1)], 0.10, "dates out of order"),
]


@pytest.mark.parametrize(("flows", "dates", "expected", "hand"), XIRR_CASES)
def test_xirr(flows, dates, expected, hand):
    assert xirr(flows, dates) == pytest.approx(expected, rel=1e-12), hand


@pytest.mark.parametrize(
    ("flows", "dates", "argument", "message"),
    [
        ([-100, 110], [dt.date(2024, 1, 1), dt.date(2023, 1, 1)], "datoer", "før den første"),
        ([-100, 110], [dt.date(2024, 1, 1)], "datoer", "har 1 værdi, men pengestroem har 2"),
        ([-100, 110], [dt.date(2024, 1, 1), "i morgen"], "datoer", "skal være en dato"),
        ([100, 110], [dt.date(2023, 1, 1), dt.date(2024, 1, 1)], "pengestroem", "negativ"),
    ],
)
def test_xirr_errors(flows, dates, argument, message):
    with pytest.raises(SIError) as info:
        xirr(flows, dates)
    assert (info.value.argument, message in info.value.message) == (argument, True)


# --------------------------------------------------------------------------
# Return cap and floor
# --------------------------------------------------------------------------

CAP_FLOOR = [
    # (payments, investment total, cap, floor, expected payments)
    ([0, 60, 80], 100, 0.2, None, [0, 60, 60]),  # max 120: excess 20 off the last year
    ([0, 100, 50], 100, 0.2, None, [0, 100, 20]),  # max 120: excess 30 off the last year
    ([0, 100, 50], 100, 0.0, None, [0, 100, 0]),  # max 100: excess 50 = the whole last year
    ([0, 100, 50], 100, -0.5, None, [0, 50, 0]),  # max 50: last 50 → 0, then 100 → 50
    ([0, 60, 40], 100, 0.2, None, [0, 60, 40]),  # 100 ≤ 120: unchanged
    ([0, 10, 20], 100, None, -0.25, [0, 10, 65]),  # min 75: shortfall 45 added to the last year
    ([0, 0, 0], 100, None, 0.0, [0, 0, 100]),  # floor 0: investor gets the money back at the end
    ([0, 60, 80], 100, None, -0.25, [0, 60, 80]),  # 140 ≥ 75: unchanged
    ([0, 60, 80], 100, 0.3, -0.25, [0, 60, 70]),  # max 130 binds, floor does not
]


@pytest.mark.parametrize(("payments", "investment", "cap", "floor", "expected"), CAP_FLOOR)
def test_return_cap_and_floor(payments, investment, cap, floor, expected):
    s = settle([investment, 0, 0], payments, [0, 0, 0], return_cap=cap, return_floor=floor)
    assert s.payments == pytest.approx(tuple(expected), abs=1e-12)
    assert s.payments_before_limits == tuple(float(p) for p in payments)


@pytest.mark.parametrize(("payments", "investment", "cap", "floor", "expected"), CAP_FLOOR)
def test_limit_returns_one_row_as_the_table(payments, investment, cap, floor, expected):
    # the one rule settle applies, called directly: same rows as the table, settled in the last year
    assert limit_returns(payments, investment, cap, floor, -1).tolist() == [pytest.approx(expected, abs=1e-12)]


def test_limit_returns_by_draw_and_settlement_year():
    # three draws of 10 + 20 = 30 paid, floor −0.25, settled in year 1:
    #   100 invested → at least 75: 45 added in year 1 → [0, 55, 20]
    #   0 invested   → no limit (both are shares of the investment) → unchanged
    #   20 invested  → at least 15 ≤ 30: unchanged
    got = limit_returns([[0, 10, 20]] * 3, [100, 0, 20], None, -0.25, 1)
    assert got.tolist() == [[0.0, 55.0, 20.0], [0.0, 10.0, 20.0], [0.0, 10.0, 20.0]]
    # cap 0 (at most the investment back) on the same draws: 100 → unchanged (30 ≤ 100), 0 → unchanged,
    #   20 → cut 10 off the last year → [0, 10, 10]
    capped = limit_returns([[0, 10, 20]] * 3, [100, 0, 20], 0.0, None, 1)
    assert capped.tolist() == [[0.0, 10.0, 20.0], [0.0, 10.0, 20.0], [0.0, 10.0, 10.0]]


# --------------------------------------------------------------------------
# The settlement
# --------------------------------------------------------------------------


def test_settlement_totals_by_hand():
    # Investment 100 in year 0, payment 120 in year 1, savings 200 in year 1.
    s = settle([100, 0], [0, 120], [0, 200])
    assert s.total_investment == 100
    assert s.total_payments == 120
    assert s.bonus == 20  # 120 − 100
    assert s.return_share == pytest.approx(0.2)  # 20 / 100
    assert s.money_multiple == pytest.approx(1.2)  # 120 / 100
    assert s.irr == pytest.approx(0.2, rel=1e-12)  # −100 → 120 one year later
    assert s.net_saving == 80  # 200 − 120
    assert s.net_saving_by_year == (0, 80)
    assert s.investor_cashflow == (-100, 120)


def test_settlement_of_a_three_year_contract():
    # Investment 3.1 mio. in years 0 and 1; payment 7.4 mio. in year 2; savings 14.7 mio. in years 1 and 2.
    s = settle([3.1e6, 3.1e6, 0], [0, 0, 7.4e6], [0, 14.7e6, 14.7e6])
    assert s.bonus == pytest.approx(1.2e6)  # 7.4 − 6.2
    assert s.return_share == pytest.approx(1.2 / 6.2)
    assert s.money_multiple == pytest.approx(7.4 / 6.2)
    assert s.net_saving == pytest.approx(22.0e6)  # 29.4 − 7.4
    assert s.net_saving_by_year == pytest.approx((0, 14.7e6, 7.3e6))  # 14.7 − 7.4 in year 2
    # IRR: −3.1 − 3.1x + 7.4x² = 0 with x = 1/(1+r) → x = (3.1 + √(3.1² + 4·7.4·3.1)) / (2·7.4)
    x = (3.1 + math.sqrt(3.1**2 + 4 * 7.4 * 3.1)) / (2 * 7.4)
    assert s.irr == pytest.approx(1 / x - 1, rel=1e-12)


def test_no_payment_means_no_irr_and_a_full_loss():
    s = settle([100, 0], [0, 0], [0, 0])
    assert (s.irr, s.bonus, s.return_share, s.money_multiple) == (None, -100, -1, 0)


def test_rows_are_labelled_in_danish():
    # one payer: its payments are all payments (the same 120 under both labels)
    s = settle([100, 0], [0, 120], [0, 200])
    assert s.rows() == [
        ("Investering", 100),
        ("Resultatbetalinger i alt (alle betalere)", 120),
        ("Investors bonus", 20),
        ("Samlet afkast (i % af investeringen)", pytest.approx(0.2)),
        ("Investors interne rente (IRR)", pytest.approx(0.2)),
        ("Investors interne renter", "én (20,00 %)"),
        ("Pengemultiplikator", pytest.approx(1.2)),
        ("Betalers besparelser", 200),
        ("Betalinger fra betaler", 120),
        ("Betalers nettobesparelse (uden egne omkostninger)", 80),
    ]
    assert yearly_rows(s.yearly_lines()) == [
        ("", "År 0", "År 1", "I alt"),
        ("Investering", 100, 0, 100),
        ("Resultatbetalinger i alt (alle betalere)", 0, 120, 120),
        ("Investors nettopengestrøm før garanti", -100, 120, 20),
        ("Betalers besparelser", 0, 200, 200),
        ("Betalinger fra betaler", 0, 120, 120),
        ("Betalers nettobesparelse (uden egne omkostninger)", 0, 80, 80),
    ]


# The user trial's case (several payers): 3,000,000 kr. paid in year 3; the kommune pays by its savings what the
# fixed shares leave: stat 0.2 and the Life Chances Fund 0.2 (resultatfonde.csv) → kommune 1 − 0.2 − 0.2 = 0.6.
TRIAL = dict(investment=[2_000_000, 0, 0, 0], payments=[0, 0, 0, 3_000_000], savings=[0, 1_000_000, 1_500_000, 1_199_794])


def test_the_payer_pays_its_own_share_and_the_investor_gets_all_payers_payments():
    s = settle(TRIAL["investment"], TRIAL["payments"], TRIAL["savings"], payer_share=[0, 0, 0.6, 0.6])
    rows = dict(s.rows())
    # the investor: all payers' payments, 3,000,000 − 2,000,000 = 1,000,000 bonus
    assert rows["Resultatbetalinger i alt (alle betalere)"] == 3_000_000 and rows["Investors bonus"] == 1_000_000
    assert rows["Pengemultiplikator"] == pytest.approx(1.5)
    # the kommune: 0.6 × 3,000,000 = 1,800,000 of its own; net 3,699,794 − 1,800,000 = 1,899,794
    assert rows["Betalinger fra betaler"] == pytest.approx(1_800_000)
    assert rows["Betalers nettobesparelse (uden egne omkostninger)"] == pytest.approx(1_899_794)
    yearly = {label: values for label, *values in yearly_rows(s.yearly_lines())}
    assert yearly["Betalinger fra betaler"] == pytest.approx([0, 0, 0, 1_800_000, 1_800_000])
    assert yearly["Betalers nettobesparelse (uden egne omkostninger)"][3] == pytest.approx(1_199_794 - 1_800_000)  # −600,206 in year 3
    assert yearly["Resultatbetalinger i alt (alle betalere)"][3] == 3_000_000
    # one share for every year gives the same
    assert settle(TRIAL["investment"], TRIAL["payments"], TRIAL["savings"], payer_share=0.6).net_saving == pytest.approx(1_899_794)


def test_a_return_cap_cuts_the_payment_before_the_payer_takes_its_share():
    # cap 0.2: 2,000,000 × 1.2 = 2,400,000 paid in year 3; the kommune pays 0.6 × 2,400,000 = 1,440,000
    s = settle(TRIAL["investment"], TRIAL["payments"], TRIAL["savings"], return_cap=0.2, payer_share=0.6)
    assert s.total_payments == pytest.approx(2_400_000) and s.total_payer_payments == pytest.approx(1_440_000)


@pytest.mark.parametrize("share, words", [
    (1.5, "betalers_andel: skal ligge mellem 0 og 1 (fx 0,6 for 60 %), ikke 1,5"),
    ([0.6, 0.6], "betalers_andel: har 2 værdier, men investering har 4"),
    (float("nan"), "betalers_andel"),
])  # fmt: skip
def test_a_bad_payer_share_is_refused_naming_it(share, words):
    with pytest.raises(SIError) as err:
        settle(TRIAL["investment"], TRIAL["payments"], TRIAL["savings"], payer_share=share)
    assert words in str(err.value)
def test_si_afregning_takes_no_markup_on_the_investment():
    """The investment is the investor's cost lines as given (no optimism mark-up: udfs.core.engine.cost_factors), so
    SI_AFREGNING's old argument ``optimismetillaeg`` is refused unless empty or 0, naming it; the figures with it
    empty: bonus 3.000.000 − 4.600.000 = −1.600.000 kr."""
    import udfs.excel as xl

    plain = dict(xl.SI_AFREGNING([[4_600_000, 0]], [[0, 3_000_000]], [[0, 4_000_000]]))
    assert plain["Investering"] == 4_600_000 and plain["Investors bonus"] == -1_600_000
    assert dict(xl.SI_AFREGNING([[4_600_000, 0]], [[0, 3_000_000]], [[0, 4_000_000]], optimismetillaeg=0)) == plain
    for given in (0.15, "meget"):
        out = xl.SI_AFREGNING([[4_600_000, 0]], [[0, 3_000_000]], [[0, 4_000_000]], optimismetillaeg=given)
        assert "optimismetillaeg" in str(out)


def test_settlement_is_frozen():
    s = settle([100, 0], [0, 120], [0, 200])
    with pytest.raises(AttributeError):
        s.payments = (0, 0)  # type: ignore[misc]


SETTLE_ERRORS = [
    # (investment, payments, savings, cap, floor, argument, message part)
    (
        [1] * 5,
        [1] * 3,
        [1] * 5,
        None,
        None,
        "betalinger",
        "har 3 værdier, men investering har 5 — områderne skal være lige lange",
    ),
    ([1] * 5, [1] * 5, [1] * 4, None, None, "besparelser", "har 4 værdier, men investering har 5"),
    ([100, -1], [0, 1], [0, 0], None, None, "investering", "negativ"),
    ([0, 0], [0, 1], [0, 0], None, None, "investering", "større end 0"),
    ([], [], [], None, None, "investering", "større end 0"),
    ([100, 0], [0, -1], [0, 0], None, None, "betalinger", "negativ"),
    ([100, 0], [0, 1], [0, math.nan], None, None, "besparelser", "endeligt"),
    ([100, 0], [0, 1], [0, 0], 0.1, 0.2, "afkastgulv", "større end afkastloftet"),
    ([100, 0], [0, 1], [0, 0], -1.5, None, "afkastloft", "mindst -1"),
    ([100, 0], [0, 1], [0, 0], None, -2, "afkastgulv", "mindst -1"),
    ([100, 0], [0, 1], [0, 0], math.inf, None, "afkastloft", "endeligt"),
    (100, [0, 1], [0, 0], None, None, "investering", "række"),
]


@pytest.mark.parametrize(("investment", "payments", "savings", "cap", "floor", "argument", "message"), SETTLE_ERRORS)
def test_settle_errors(investment, payments, savings, cap, floor, argument, message):
    with pytest.raises(SIError) as info:
        settle(investment, payments, savings, return_cap=cap, return_floor=floor)
    assert (info.value.argument, message in info.value.message) == (argument, True)


# --------------------------------------------------------------------------
# LibreOffice cross-check of IRR and XIRR
# --------------------------------------------------------------------------

# (flows, guess): every IRR case above, with the guess passed to LibreOffice too.  LibreOffice's
# IRR is Newton's method from the guess and returns #N/A for [-100, 50], the 10-period flow and
# [-1, 1e6] from the default guess 0.1 (checked with LibreOffice 7); there the guess given is
# one near the root, so both find it.  The core finds these roots from any guess.
_LO_GUESS = {(-100, 50): -0.4, (-100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1): -0.3, (-1, 1_000_000): 900_000}
LIBREOFFICE_IRR = [(flows, _LO_GUESS.get(tuple(flows), guess)) for flows, guess, _, _ in IRR_CASES] + [
    ([-4_400_000 / 5] * 4 + [5_600_000 - 880_000], 0.1),
    ([-2_200_000, 3_400_000], 0.1),
    ([-50, 10, 20, 30, -5, 15], 0.1),
]
LIBREOFFICE_XIRR = [(flows, dates) for flows, dates, _, _ in XIRR_CASES if isinstance(dates[0], dt.date)]


def _column(index: int) -> str:
    """Spreadsheet column letters for a 1-based index (1 → A, 27 → AA)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def test_irr_and_xirr_agree_with_libreoffice(libreoffice):
    # One column per case: the formula in row 1, the flows (and dates) below it.
    cells: dict[str, object] = {}
    expected: dict[str, float] = {}
    col = 0
    for flows, guess in LIBREOFFICE_IRR:
        col += 1
        c = _column(col)
        cells.update({f"{c}{row}": value for row, value in enumerate(flows, start=2)})
        cells[f"{c}1"] = f"=IRR({c}2:{c}{len(flows) + 1},{guess})"
        expected[f"{c}1"] = irr(flows, guess)
    for flows, dates in LIBREOFFICE_XIRR:
        v, d = _column(col + 1), _column(col + 2)
        col += 2
        cells.update({f"{v}{row}": value for row, value in enumerate(flows, start=2)})
        cells.update({f"{d}{row}": date for row, date in enumerate(dates, start=2)})
        last = len(flows) + 1
        cells[f"{v}1"] = f"=XIRR({v}2:{v}{last},{d}2:{d}{last})"
        expected[f"{v}1"] = xirr(flows, dates)
    got = libreoffice(cells)
    for ref, value in expected.items():
        assert isinstance(got[ref], (int, float)) and not isinstance(got[ref], bool), (ref, got[ref])
        assert got[ref] == pytest.approx(value, abs=1e-9), ref


# --------------------------------------------------------------------------
# Several internal rates: Excel's root, every root, and LibreOffice on a table of flows
# --------------------------------------------------------------------------

# (flows, sign changes, every rate > −1 by hand)
ROOT_TABLE = [
    ([100, 110], 0, [], "no negative flow: no rate"),
    ([-100, -10], 0, [], "no positive flow: no rate"),
    ([-100, 110], 1, [0.1], "110 / 100 − 1"),
    ([-100, 0, 121], 1, [0.1], "121 = 100 × 1.1²"),
    ([-100, 50], 1, [-0.5], "50 / 100 − 1"),
    ([-100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 1, [0.01 ** 0.1 - 1], "(1+r)^10 = 100"),
    ([-1, 1_000_000], 1, [999_999.0], "1 000 000 − 1"),
    ([-1_000_000] + [12_000] * 119, 1, None, "120 monthly periods; one rate by Descartes, value from LibreOffice"),
    ([-50, -100, 600, 300, -100], 2, None, "issue 9: two rates, −0.769 and 1.854 (LibreOffice below)"),
    ([-100, 230, -132], 2, [0.1, 0.2], "132x² − 230x + 100 = 0, x = 1/(1+r): x = 10/11 or 5/6"),
    ([-100, 50, -100], 2, [], "−100 + 50x − 100x² < 0 for all x: no rate"),
    ([-10, 21, 0, -11.1], 2, None, "two rates, 0.8 % and 72.8 % (LibreOffice below)"),
    ([-100, 450, -650, 300], 3, [0.0, 0.5, 1.0], "−100(y−1)(y−1.5)(y−2), y = 1+r: rates 0, 50 %, 100 %"),
    ([-100, 300, -300, 110], 3, [0.1 ** (1 / 3)], "NPV × y³ = −100(y−1)³ + 10, y = 1+r: one rate, r = 0.1^(1/3)"),
]


@pytest.mark.parametrize(("flows", "changes", "roots", "hand"), [r for r in ROOT_TABLE if r[2] is not None])
def test_every_rate_by_hand(flows, changes, roots, hand):
    assert sign_changes(np.array(flows, dtype=float)) == changes, hand
    if (np.array(flows) < 0).any() and (np.array(flows) > 0).any():
        assert irr_roots(flows) == pytest.approx(roots, rel=1e-12, abs=1e-13), hand
    else:
        with pytest.raises(SIError, match="mindst én negativ og én positiv"):
            irr_roots(flows)


def test_issue_9_flow_gives_excels_rate_and_lists_both():
    flows = [-50, -100, 600, 300, -100]
    # LibreOffice 7.4: =IRR(A1:A5) → 1.8544178 (the issue's figure; also the cross-check below)
    assert irr(flows) == pytest.approx(1.8544178, abs=5e-8)
    low, high = irr_roots(flows)
    assert high == pytest.approx(irr(flows), rel=1e-13) and low == pytest.approx(-0.7688955, abs=5e-8)
    assert rates_note([low, high], irr(flows)) == "flere interne renter: -76,89 %; 185,44 %"


def test_rates_note_in_danish():
    assert rates_note([], None) == "ingen"
    assert rates_note([0.1], 0.1) == "én (10,00 %)"
    assert rates_note([999_999.0], None) == "én: 99.999.900,00 % (Excels IRR finder den ikke)"


def test_guess_must_be_above_minus_one():
    for bad in (-1, -2.5):
        with pytest.raises(SIError) as info:
            irr([-100, 110], bad)
        assert info.value.argument == "gaet" and "større end -1" in info.value.message


# Guesses tried on every flow; with LibreOffice's IRR as the judge.
GUESSES = (0.1, -0.5, 0.3, 0.8, 2.0)

DATES = [dt.date(2023, 1, 1), dt.date(2024, 3, 1), dt.date(2024, 12, 31), dt.date(2026, 7, 1), dt.date(2027, 1, 1)]
XIRR_TABLE = [
    ([-100, 0, 121, 0, 0], "one change of sign"),
    ([-50, -100, 600, 300, -100], "two changes of sign"),
    ([-100, 450, -650, 300, 0], "three changes of sign"),
    ([-10, 21, -11.1, 0, 0], "two changes of sign, two rates"),
]


def _excel_newton(flows, times, guess, steps, tolerance):
    c, t = normalised(np.array(flows, dtype=float), np.array(times, dtype=float))
    return float(newton_rates(c, t, (guess,), steps, tolerance)[0])


def test_rates_agree_with_libreoffice_on_a_table_of_flows(libreoffice):
    """Each flow of the table in a column; IRR from every guess, the standard workbook's chain and XIRR.

    Where LibreOffice's IRR (Newton's method, 20 steps) converges from a guess, :func:`irr` from that guess
    gives the same rate; where it does not, our emulation of Excel's Newton's method does not converge either.
    Every number LibreOffice gives is one of the rates :func:`irr_roots` lists.
    """
    cells: dict[str, object] = {}
    checks = []  # (cell, kind, flows, guess)
    for col, (flows, *_rest) in enumerate(ROOT_TABLE, start=1):
        c = _column(col)
        rng = f"{c}10:{c}{9 + len(flows)}"
        cells.update({f"{c}{row}": value for row, value in enumerate(flows, start=10)})
        for row, guess in enumerate(GUESSES, start=1):
            cells[f"{c}{row}"] = f"=IRR({rng},{guess})"
            checks.append((f"{c}{row}", "irr", flows, guess))
        cells[f"{c}{len(GUESSES) + 1}"] = irr_formula(rng)  # the standard workbook's IRR cell
        checks.append((f"{c}{len(GUESSES) + 1}", "workbook", flows, None))
    col = len(ROOT_TABLE)
    for flows, _ in XIRR_TABLE:
        v, d = _column(col + 1), _column(col + 2)
        col += 2
        cells.update({f"{v}{row}": value for row, value in enumerate(flows, start=10)})
        cells.update({f"{d}{row}": date for row, date in enumerate(DATES, start=10)})
        for row, guess in enumerate(GUESSES, start=1):
            cells[f"{v}{row}"] = f"=XIRR({v}10:{v}14,{d}10:{d}14,{guess})"
            checks.append((f"{v}{row}", "xirr", flows, guess))
    got = libreoffice(cells)
    number = lambda x: isinstance(x, (int, float)) and not isinstance(x, bool)  # noqa: E731
    compared = 0
    for ref, kind, flows, guess in checks:
        value = got[ref]
        if kind == "workbook":
            want = workbook_irr(flows)
            assert (value == "ikke defineret") if want is None else value == pytest.approx(want, abs=1e-9), (ref, flows)
            compared += want is not None
            continue
        both_signs = min(flows) < 0 < max(flows)
        if kind == "irr":
            times = range(len(flows))
            ours = _excel_newton(flows, times, guess, IRR_STEPS, IRR_TOLERANCE) if both_signs else math.nan
            roots = irr_roots(flows) if both_signs else []
        else:
            times = dated_times(np.array(flows, dtype=float), DATES)
            ours = _excel_newton(flows, times, guess, XIRR_STEPS, XIRR_TOLERANCE)
            roots = xirr_roots(flows, DATES)
        rate = number(value) and value > -1  # LibreOffice's IRR can end below −1 (e.g. −2.1 for 100, 110)
        if rate:
            assert any(value == pytest.approx(r, abs=1e-9) for r in roots), (ref, flows, guess, value, roots)
        if kind == "irr":  # LibreOffice's IRR is the same Newton's method: converges exactly where ours does
            assert rate == (not math.isnan(ours)), (ref, flows, guess, value, ours)
        if rate and not math.isnan(ours):
            expected = irr(flows, guess) if kind == "irr" else xirr(flows, DATES, guess)
            assert value == pytest.approx(expected, abs=1e-9), (ref, flows, guess)
            compared += 1
    assert compared >= 55  # most of the table converges (59 with LibreOffice 7.4); the rest are #NUM! in both


from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_amounts = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False).map(lambda x: round(x, 2))


@settings(max_examples=200, deadline=None)
@given(st.lists(_amounts, min_size=2, max_size=40), st.sampled_from([0.1, -0.5, 0.3, 2.0]))
@example([0.25, -2500001.0], 0.1)
def test_every_listed_rate_is_a_root_and_descartes_bounds_them(flows, guess):
    """Properties: each listed rate makes the NPV 0 (relative to the flows' size); there are at most as many
    rates as changes of sign, of the same parity (Descartes' rule of signs); a flow with one change of sign
    has exactly one rate, and :func:`irr` gives it from any guess."""
    flows_array = np.array(flows, dtype=float)
    if not ((flows_array < 0).any() and (flows_array > 0).any()):
        return
    roots = irr_roots(flows)
    changes = sign_changes(flows_array)
    scale = float(np.abs(flows_array).sum())
    for r in roots:
        # NPV × (1+r)^s with s as in scaled_npv: every power ≤ 1, so the sum is small next to Σ|cf|
        s = len(flows) - 1 if r < 0 else 0
        assert abs(sum(c * (1 + r) ** (s - t) for t, c in enumerate(flows))) <= 1e-9 * scale
    assert len(roots) <= changes
    if changes == 1:
        from udfs.core.settlement import _RATE_GRID, normalised, scaled_npv

        ends = np.sign(scaled_npv(_RATE_GRID[[0, -1]], *normalised(flows_array, np.arange(len(flows), dtype=float))))
        if ends[0] == ends[1]:  # the one rate lies above +10^9 %, outside the documented range: none is listed
            assert roots == []  # e.g. [0.25, -2500001]: its rate is 1.0000003e7 (found by hypothesis)
            return
        assert len(roots) == 1 and irr(flows, guess) == pytest.approx(roots[0], rel=1e-9, abs=1e-12)


# --------------------------------------------------------------------------- the return limits in the business case


def _three_payers(**limits):
    from udfs.core.case_model import parse_case
    from udfs.core.casefile import load_business_case

    data = load_business_case("workbooks/cases/eksempel_tre_betalere.yaml").model_dump(mode="json", exclude_defaults=True)
    return parse_case(data | limits)


def test_the_return_cap_and_floor_limit_the_payments_the_business_case_counts(capsys, tmp_path):
    """A trial's finding: with ``afkastloft`` the settlement cut the payments, but the key figures, the parties and the
    payer's present value counted them uncut.

    Hand case (eksempel_tre_betalere: investment 3 × 700.000 = 2.100.000 kr.; payments 1.250.000 in year 3 and
    180.000 in year 5, settlement year 5): a cap of −50 % lets the investor receive 2.100.000 × 0,5 = 1.050.000 kr.:
    380.000 is cut, the latest first — year 5's 180.000, then 200.000 of year 3's.  A floor of −20 % tops 1.430.000
    up to 2.100.000 × 0,8 = 1.680.000: 250.000 more in year 5.  The payer's present value rises (falls) by its share
    of each year's cut (top-up), discounted; the Monte Carlo's path agrees with the full engine; ``sibc afregn`` still
    shows what the cap took off."""
    import numpy as np

    from udfs.core import engine
    from udfs.core.businesscase import key_figures
    from workbooks.cli import main

    plain, capped, floored = (engine.run(_three_payers(**kw)) for kw in ({}, {"afkastloft": -0.5}, {"afkastgulv": -0.2}))
    assert list(capped.payments[0]) == pytest.approx([0, 0, 0, 1_050_000, 0, 0, 0, 0])
    assert list(floored.payments[0]) == pytest.approx([0, 0, 0, 1_250_000, 0, 430_000, 0, 0])
    assert list(capped.payments_before_limits[0]) == pytest.approx(list(plain.payments[0]))
    k = capped.payer_index
    change = (plain.payments[0] - capped.payments[0]) * plain.payer_shares[k, 0] @ plain.prepared.discount
    assert capped.payer_pv[0] - plain.payer_pv[0] == pytest.approx(change) and change > 0
    assert key_figures(capped)["betalinger_i_alt"] == pytest.approx(1_050_000)
    p, d = engine.prepare(_three_payers(afkastloft=-0.5)), engine.base_drivers(_three_payers(afkastloft=-0.5))
    payer_pv, _, investor_net = engine.present_values(p, d)
    assert payer_pv[0] == pytest.approx(capped.payer_pv[0]) and investor_net[0] == pytest.approx(1_050_000 - 2_100_000)
    import yaml

    path = str(tmp_path / "loft.yaml")
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(_three_payers(afkastloft=-0.5).model_dump(mode="json", exclude_defaults=True), f, allow_unicode=True)
    assert main(["afregn", path, "--json"]) == 0
    import json

    out = json.loads(capsys.readouterr().out)
    assert out["afregning"]["betalinger"] == pytest.approx(1_050_000)
    assert out["afregning"]["loft_skaaret"] == pytest.approx(380_000)
    assert np.isfinite(capped.payer_pv[0])
