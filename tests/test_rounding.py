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
