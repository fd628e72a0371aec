"""Price uprating: value × index(to) / index(from), no silent extrapolation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from udfs.core.data import indices
from udfs.core.errors import SIError
from udfs.core.indices import chain_bases, extension_note, index_value, own_index, resolve, uprate, uprating_factor, year_span

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


# --------------------------------------------------------------------------- the user's own index


OWN_PL = {2024: 100.0, 2025: 102.0, 2026: 104.5}  # the example: a kommune's own series (år; værdi)


def test_own_series_as_the_index():
    # 104.5 / 100 = 1.045 (hand calculation); 104.5 / 102 = 1.0245098…
    assert uprating_factor(2024, 2026, OWN_PL) == pytest.approx(1.045, rel=1e-15)
    assert uprating_factor(2025, 2026, "eget", own=OWN_PL) == pytest.approx(104.5 / 102.0, rel=1e-15)


def test_own_values_extend_a_published_index_chained_at_its_last_year():
    # npi ends in 2023 (118.04); own values on another base are chained there (as chain_bases links two bases):
    # npi(2025) = 121.0 × 118.04 / 99.0 = 144.2711…, so the factor 2023 → 2025 is 121 / 99 (hand calculation).
    own = {2022: 50.0, 2023: 99.0, 2024: 119.0, 2025: 121.0}
    name, series = resolve("npi", own)
    assert name == "npi" and series[2022] == NPI[2022] and series[2023] == NPI[2023]
    assert series[2025] == pytest.approx(121.0 * 118.04 / 99.0, rel=1e-15)
    assert uprating_factor(2023, 2025, "npi", own=own) == pytest.approx(121.0 / 99.0, rel=1e-15)


def test_own_values_without_the_last_published_year_are_an_error_naming_that_year():
    with pytest.raises(SIError) as err:
        resolve("npi", {2025: 102.0, 2026: 104.5})
    assert err.value.argument == "eget_indeks" and "skal også have en værdi for 2023" in err.value.message


def test_own_values_inside_the_published_years_change_nothing():
    assert resolve("npi", {2020: 1.0, 2021: 2.0})[1] == resolve("npi")[1]


@pytest.mark.parametrize("years, text", [([2024], "2024"), ([2024, 2026], "2024 og 2026"), ([2015, 2016, 2017], "2015–2017"),
                                         ([2015, 2016, 2018, 2020, 2021], "2015–2016, 2018 og 2020–2021")])
def test_year_span_lists_years_one_way(years, text):
    assert year_span(years) == text


@pytest.mark.parametrize(
    "pairs, message",
    [
        ({2024: 100.0, 2026: 104.5}, "mangler år 2025"),
        ([(2024, 100.0), (2024, 101.0)], "år 2024 forekommer mere end én gang"),
        ({2024: 0.0}, "værdien for 2024 skal være et positivt tal"),
        ({2024: float("nan")}, "værdien for 2024 skal være et positivt tal"),
        ({2024.5: 100.0}, "årstallet '2024.5' skal være et helt tal"),
        ({}, "har ingen år med værdier"),
    ],
)
def test_own_series_is_validated(pairs, message):
    with pytest.raises(SIError) as err:
        own_index(pairs, "eget_indeks.vaerdier")
    assert err.value.argument == "eget_indeks.vaerdier" and message in err.value.message


def test_eget_without_values_is_an_error_naming_indeks():
    with pytest.raises(SIError) as err:
        uprating_factor(2024, 2026, "eget")
    assert err.value.argument == "indeks"


def test_extension_note():
    assert extension_note([2023, 2026], "npi", 0.02) == "Prisindekset npi er fremskrevet med 2,0 % om året fra 2023."
    assert extension_note([2019, 2023], "npi", 0.02) == ""  # inside the table: the rate is not used
    assert extension_note([2026], "npi", None) == ""


# --------------------------------------------------------------------------- DST's rebase (2025 = 100)


def test_chaining_a_new_base_onto_the_old_one_hand_calculation():
    # Illustrative values (not DST's): old base 2015=100 has 2024 = 118.82 and 2025 = 121.00; the new base
    # 2025=100 has 2025 = 100.00 and 2026 = 102.00.  Link year 2025 (the latest year both cover):
    # 2026 on the old base = 102.00 × 121.00 / 100.00 = 123.42, so the factor 2024 → 2026 is
    # 123.42 / 118.82 = 1.038714…, which equals (121.00 / 118.82) × (102.00 / 100.00).
    chained = chain_bases({"2025=100": {2025: 100.0, 2026: 102.0}, "2015=100": {2024: 118.82, 2025: 121.0}})
    assert chained == {2024: 118.82, 2025: 121.0, 2026: pytest.approx(123.42, rel=1e-15)}
    assert chained[2026] / chained[2024] == pytest.approx(123.42 / 118.82, rel=1e-15)
    assert chained[2026] / chained[2024] == pytest.approx((121.0 / 118.82) * (102.0 / 100.0), rel=1e-15)


def test_chaining_needs_a_common_year():
    with pytest.raises(SIError) as err:
        chain_bases({"2015=100": {2023: 118.0}, "2025=100": {2025: 100.0}}, "npi")
    assert err.value.argument == "prisindeks.csv" and "kan ikke kædes" in err.value.message


def test_shipped_series_go_through_the_chaining():
    # Every shipped series is on one base today, so chaining leaves it as published.
    import csv

    from udfs.core.data import dataset_path

    with open(dataset_path("prisindeks"), encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        assert indices()[row["indeks"]][int(row["aar"])] == float(row["vaerdi"])
