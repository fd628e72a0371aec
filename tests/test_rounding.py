"""excel_round against Excel's ROUND (half away from zero, on the shown decimal)."""

import pytest

from udfs.core.errors import SIError
from udfs.core.rounding import excel_round

# (value, digits, expected) — expected values are what Excel's ROUND gives:
# half away from zero on the 15-digit decimal, e.g. ROUND(2.675; 2) = 2.68
# although the binary double of 2.675 is slightly below 2.675.
CASES = [
    (2.675, 2, 2.68),
    (-2.675, 2, -2.68),
    (2.5, 0, 3.0),
    (-2.5, 0, -3.0),
    (0.5, 0, 1.0),
    (1.005, 2, 1.01),
    (1234.5, -2, 1200.0),
    (1250, -2, 1300.0),
    (-1250, -2, -1300.0),
    (29_449_999.99, -5, 29_400_000.0),
    (0.1 + 0.2, 15, 0.3),
    (7_400_000 / 1e6, 1, 7.4),
    (0.0, 2, 0.0),
]


@pytest.mark.parametrize("value, digits, expected", CASES)
def test_excel_round(value, digits, expected):
    assert excel_round(value, digits) == expected


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "2,5", None, True])
def test_excel_round_refuses_non_numbers(value):
    with pytest.raises(SIError):
        excel_round(value, 2)


def test_excel_round_against_libreoffice(libreoffice):
    cells = {f"A{i}": f"=ROUND({v!r},{d})" for i, (v, d, _) in enumerate(CASES, start=1)}
    got = libreoffice(cells)
    for i, (v, d, _) in enumerate(CASES, start=1):
        assert excel_round(v, d) == pytest.approx(got[f"A{i}"], abs=0), (v, d)


@pytest.mark.parametrize("value, decimals, shown", [
    # Excel keeps 15 significant digits and shows zeros after them (a cell holding 254866940866915008 shows
    # 254.866.940.866.915.000); the float's binary digits beyond are noise, not a figure
    (254866940866915008.0, 0, "254.866.940.866.915.000"),
    (-1.0000000000000002e16, 0, "-10.000.000.000.000.000"),
    (1e300, 0, "1" + ".000" * 100),  # the largest magnitudes round without a decimal overflow
    (1e24, 2, "1" + ".000" * 8 + ",00"),
    (-1234567.125, 2, "-1.234.567,13"),  # half away from zero, as ROUND
])
def test_fixed_writes_fifteen_significant_digits_as_excel_shows_them(value, decimals, shown):
    from udfs.core.danish_numbers import fixed

    assert fixed(value, decimals) == shown


def test_shares_of_a_whole_add_up_as_shown():
    """Largest remainder: 0,4444 and 0,5556 show 44,4 % + 55,6 % (one by one too); 0,4445 and 0,5555 one by one
    (half away from zero) show 44,5 % + 55,6 % = 100,1 %, together 44,4 + 55,5 = 99,9 and the one 0,1 left goes to
    the first of the equal remainders (0,5 each): 44,5 % + 55,5 % = 100,0 %."""
    from udfs.core.rounding import whole_shares

    assert whole_shares([0.4444, 0.5556]) == [0.444, 0.556]
    assert [excel_round(x * 100, 1) for x in (0.4445, 0.5555)] == [44.5, 55.6]  # separately: 100,1 %
    assert whole_shares([0.4445, 0.5555]) == [0.445, 0.555]
    assert whole_shares([1 / 3] * 3) == [0.334, 0.333, 0.333]  # 33,3 × 3 = 99,9; the first gets the 0,1
    assert whole_shares([0.25, 0.25, 0.5], decimals=0) == [0.25, 0.25, 0.5]


def test_monte_carlos_gain_and_loss_are_rounded_together(capsys):
    """A Monte Carlo's shown P(gain) and P(loss) add up to 100 % less the draws at exactly 0 (none here)."""
    from udfs.core.uncertainty import shown_shares

    figures = {"p_gevinst_offentlig": 0.4445, "p_tab_offentlig": 0.5555, "p_gevinst_betaler": 0.3, "p_tab_betaler": 0.6,
               "p_tab_investor": 0.12345}
    shown = shown_shares(figures)
    assert (shown["p_gevinst_offentlig"], shown["p_tab_offentlig"]) == (0.445, 0.555)  # 100,0 %, not 44,5 + 55,6
    assert (shown["p_gevinst_betaler"], shown["p_tab_betaler"]) == (0.3, 0.6)  # 10 % of the draws at exactly 0
    assert shown["p_tab_investor"] == 0.12345  # no whole: left to the format


def test_the_histograms_gain_is_the_monte_carlo_texts():
    """Hand case: 9 draws of the payer's present value, 4 gains, 2 losses and 3 at exactly 0: 44,44 %, 22,22 % and
    33,33 %.  One by one they show 44,4 % + 22,2 % + 33,3 % = 99,9 %; rounded together the 0,1 % left goes to the
    largest remainder, the gain's (0,444 of a step against 0,222 and 0,333): 44,5 %, as ``sibc montecarlo`` prints
    it (shown_shares).  The picture's axis (``--png``) says the same 44,5 %, not 44,4 %."""
    import numpy as np

    from udfs.core.uncertainty import MonteCarlo, shown_shares
    from workbooks.pictures import gain_text

    result = MonteCarlo(payer_pv=np.array([5.0, 1.0, 2.0, 3.0, -1.0, -2.0, 0.0, 0.0, 0.0]), investor_net=np.zeros(9))
    assert [excel_round(x * 100, 1) for x in (4 / 9, 2 / 9, 3 / 9)] == [44.4, 22.2, 33.3]  # one by one: 99,9 %
    shown = shown_shares(result.figures())
    assert (shown["p_gevinst_betaler"], shown["p_tab_betaler"]) == (0.445, 0.222)  # and 0,333 at exactly 0
    assert gain_text(result) == "44,5 %"
