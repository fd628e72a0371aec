"""Discounting: Finansministeriet's schedule, closed forms, and LibreOffice's NPV."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from udfs.core.discounting import discount_factor, npv_excel, present_value
from udfs.core.errors import SIError

# Closed forms under fm_2021 (Finansministeriet, dokumentationsnotat 7 Jan 2021):
# 3.5 % for years 1–35, 2.5 % for 36–70, 1.5 % after; factors compound.
CLOSED_FORM = [
    (0, 1.0),
    (1, 1.035**-1),
    (10, 1.035**-10),
    (35, 1.035**-35),
    (36, 1.035**-35 * 1.025**-1),
    (40, 1.035**-35 * 1.025**-5),  # the example
    (70, 1.035**-35 * 1.025**-35),
    (71, 1.035**-35 * 1.025**-35 * 1.015**-1),
    (100, 1.035**-35 * 1.025**-35 * 1.015**-30),
]


@pytest.mark.parametrize("year, expected", CLOSED_FORM)
def test_fm_2021_closed_form(year, expected):
    assert discount_factor(year) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    "year, expected",
    [(35, 1.04**-35), (40, 1.04**-35 * 1.03**-5), (75, 1.04**-35 * 1.03**-35 * 1.02**-5)],  # FM 2013: 4/3/2 %
)
def test_fm_2013_schedule(year, expected):
    assert discount_factor(year, "fm_2013") == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    "amounts, schedule, expected",
    [
        ([100.0], None, 100.0),  # year 0 is not discounted
        ([100.0, 103.5], 0.035, 200.0),  # 100 + 103.5 / 1.035
        ([0.0, 0.0, 1.035**2], None, 1.0),
        ([-6_200_000.0, 3_700_000.0, 3_700_000.0], 0.04, -6_200_000 + 3_700_000 / 1.04 + 3_700_000 / 1.04**2),
        ([], None, 0.0),
    ],
)
def test_present_value_table(amounts, schedule, expected):
    assert present_value(amounts, schedule) == pytest.approx(expected, rel=1e-12, abs=1e-9)


@given(st.lists(st.floats(-1e9, 1e9), min_size=1, max_size=40), st.floats(0.0, 0.2))
def test_excel_npv_is_present_value_one_period_later(amounts, rate):
    assert npv_excel(rate, amounts) == pytest.approx(present_value(amounts, rate) / (1 + rate), rel=1e-9, abs=1e-6)


@pytest.mark.parametrize(
    "call",
    [
        lambda: discount_factor(-1),
        lambda: discount_factor(1.5),
        lambda: discount_factor(2, "ukendt"),
        lambda: discount_factor(2, 3.5),  # per cent instead of a share
        lambda: discount_factor(2, math.nan),
        lambda: npv_excel(math.inf, [1.0]),
    ],
)
def test_bad_input_is_a_danish_error(call):
    with pytest.raises(SIError) as err:
        call()
    assert err.value.argument in {"aar", "skema", "rente"}


ROWS = [
    (0.035, [100.0, 200.0, 300.0, -50.0, 1234.56, 0.0, 10.0, 20.0, 30.0, 40.0]),
    (0.04, [-6_200_000.0, 1_000_000.0, 2_500_000.0, 4_000_000.0]),
    (0.015, [1.0] * 30),
]


def test_npv_excel_against_libreoffice(libreoffice):
    """Excel's NPV convention, computed by LibreOffice on the same numbers."""
    cells = {}
    for r, (rate, values) in enumerate(ROWS, start=1):
        cells[f"A{r}"] = rate
        cells[f"B{r}"] = "=NPV(A{0},{1})".format(r, ",".join(repr(v) for v in values))
    got = libreoffice(cells)
    for r, (rate, values) in enumerate(ROWS, start=1):
        assert npv_excel(rate, values) == pytest.approx(got[f"B{r}"], rel=1e-12)


def test_present_value_against_libreoffice(libreoffice):
    """Year-0 convention = first value + NPV of the rest; banded = SUMPRODUCT with chained factors."""
    values = [1000.0 * (k + 1) for k in range(45)]
    cells = {f"A{t + 1}": v for t, v in enumerate(values)}
    for t in range(len(values)):
        years_35 = min(t, 35)
        years_25 = max(0, t - 35)
        cells[f"B{t + 1}"] = f"=1.035^-{years_35}*1.025^-{years_25}"
    cells["C1"] = f"=SUMPRODUCT(A1:A{len(values)},B1:B{len(values)})"
    cells["D1"] = f"=A1+NPV(0.035,A2:A{len(values)})"
    got = libreoffice(cells)
    assert present_value(values) == pytest.approx(got["C1"], rel=1e-12)
    assert present_value(values, 0.035) == pytest.approx(got["D1"], rel=1e-12)
