"""Price uprating: value × index(to) / index(from), no silent extrapolation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from udfs.core.data import indices
from udfs.core.errors import SIError
from udfs.core.indices import index_value, uprate, uprating_factor

NPI = indices()["npi"]
YEARS = sorted(NPI)


def test_factor_is_index_ratio():
    # DST nettoprisindeks (2015=100), annual means in prisindeks.csv: 2019 → 2023.
    assert uprating_factor(2019, 2023) == pytest.approx(NPI[2023] / NPI[2019], rel=1e-15)
    assert uprate(1000.0, 2015, 2015) == 1000.0


@given(st.sampled_from(YEARS), st.sampled_from(YEARS), st.sampled_from(YEARS), st.sampled_from(sorted(indices())))
def test_chain_consistent(a, b, c, name):
    """A→B→C equals A→C for every index and every triple of years in the table."""
    table = indices()[name]
    if not {a, b, c} <= set(table):
        return
    assert uprating_factor(a, b, name) * uprating_factor(b, c, name) == pytest.approx(uprating_factor(a, c, name), rel=1e-12)


@given(st.integers(1990, 2060), st.integers(1990, 2060), st.integers(1990, 2060), st.floats(-0.1, 0.1))
def test_chain_consistent_with_explicit_rate_beyond_table(a, b, c, rate):
    f = uprating_factor
    assert f(a, b, beyond_rate=rate) * f(b, c, beyond_rate=rate) == pytest.approx(f(a, c, beyond_rate=rate), rel=1e-12)


def test_year_outside_table_is_an_error_without_rate():
    last = YEARS[-1]
    with pytest.raises(SIError) as err:
        uprating_factor(YEARS[0], last + 1)
    assert err.value.argument == "til_aar"
    with pytest.raises(SIError) as err:
        uprating_factor(YEARS[0] - 1, last)
    assert err.value.argument == "fra_aar"


def test_explicit_rate_beyond_table():
    last = YEARS[-1]
    # Two years beyond the table at 2 % a year: I(last) × 1.02².
    assert index_value(last + 2, beyond_rate=0.02) == pytest.approx(NPI[last] * 1.02**2, rel=1e-15)
    assert uprating_factor(last, last + 2, beyond_rate=0.02) == pytest.approx(1.0404, rel=1e-12)


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        (dict(from_year=2019, to_year=2023, index="ukendt"), "indeks"),
        (dict(from_year=2019, to_year=2099, beyond_rate=2.0), "fremskrivning"),  # per cent, not a share
        (dict(from_year=2019, to_year=2099, beyond_rate=float("nan")), "fremskrivning"),
    ],
)
def test_errors(kwargs, argument):
    with pytest.raises(SIError) as err:
        uprating_factor(**kwargs)
    assert err.value.argument == argument
