"""Tests for udfs.core.counterfactual — effect against a control group, Wald interval.

Figures are hand calculations written out next to each row (z quantiles from a
standard normal table: 1.959964 for 95 %, 1.644854 for 90 %), so they are
compared to 6 decimals.
"""

from __future__ import annotations

import math

import pytest

from udfs.core.counterfactual import Effect, effect_vs_control, wald_standard_error, z_value
from udfs.core.errors import SIError

POINT_ESTIMATES = [
    # (p1, p0, expected effect, where the figure comes from)
    # Seed 004 reports an employment effect of 18 percentage points against a control
    # group; the two shares are not published, so 0.30 and 0.12 are illustrative shares
    # whose difference is those 18 points: 0.30 − 0.12 = 0.18.
    (0.30, 0.12, 0.18, "seed 004: 18 procentpoint"),
    (0.12, 0.02, 0.10, "DOMAIN.md dødvægt example: 12 % − 2 % = 10 %"),
    (0.10, 0.25, -0.15, "hand: 0.10 − 0.25 = −0.15 (a negative effect is kept)"),
    (0.0, 0.0, 0.0, "hand: 0 − 0"),
    (1.0, 0.0, 1.0, "hand: 1 − 0"),
]


@pytest.mark.parametrize(("p1", "p0", "expected", "source"), POINT_ESTIMATES)
def test_effect_without_group_sizes_has_no_interval(p1, p0, expected, source):
    effect, lower, upper = effect_vs_control(p1, p0)
    assert effect == pytest.approx(expected, abs=1e-12), source
    assert (lower, upper) == (None, None)


INTERVALS = [
    # (p1, n1, p0, n0, level, effect, lower, upper)
    # se = sqrt(0.5·0.5/100 + 0.3·0.7/100) = sqrt(0.0025 + 0.0021) = sqrt(0.0046) = 0.0678233
    # half width = 1.959964 × 0.0678233 = 0.132931 → 0.2 ∓ 0.132931
    (0.5, 100, 0.3, 100, 0.95, 0.2, 0.067069, 0.332931),
    # se = sqrt(0.30·0.70/150 + 0.12·0.88/150) = sqrt(0.0014 + 0.000704) = sqrt(0.002104) = 0.0458694
    # 95 %: half width = 1.959964 × 0.0458694 = 0.0899023 → 0.18 ∓ 0.0899023
    (0.30, 150, 0.12, 150, 0.95, 0.18, 0.090098, 0.269902),
    # 90 %: half width = 1.644854 × 0.0458694 = 0.0754484 → 0.18 ∓ 0.0754484
    (0.30, 150, 0.12, 150, 0.90, 0.18, 0.104552, 0.255448),
    # Both shares 0: se = 0, the interval collapses to the point (documented Wald limitation).
    (0.0, 50, 0.0, 50, 0.95, 0.0, 0.0, 0.0),
    # Unequal groups: se = sqrt(0.4·0.6/45 + 0.25·0.75/200) = sqrt(0.0053333 + 0.0009375)
    # = sqrt(0.0062708) = 0.0791884; half width = 1.959964 × 0.0791884 = 0.155206
    (0.40, 45, 0.25, 200, 0.95, 0.15, -0.005206, 0.305206),
]


@pytest.mark.parametrize(("p1", "n1", "p0", "n0", "level", "effect", "lower", "upper"), INTERVALS)
def test_wald_interval_matches_hand_calculation(p1, n1, p0, n0, level, effect, lower, upper):
    result = effect_vs_control(p1, p0, n1, n0, level=level)
    assert result.effect == pytest.approx(effect, abs=1e-12)
    assert result.lower == pytest.approx(lower, abs=1e-6)
    assert result.upper == pytest.approx(upper, abs=1e-6)


def test_group_sizes_may_come_as_whole_floats_from_excel():
    assert effect_vs_control(0.5, 0.3, 100.0, 100.0) == effect_vs_control(0.5, 0.3, 100, 100)


def test_result_is_a_three_tuple_with_labelled_rows():
    result = effect_vs_control(0.5, 0.3, 100, 100)
    assert isinstance(result, Effect) and len(result) == 3
    labels = [label for label, _ in result.rows()]
    assert labels == ["Mereffekt", "Nedre grænse (95 %)", "Øvre grænse (95 %)"]
    assert [label for label, _ in result.rows(0.9)][1] == "Nedre grænse (90 %)"


@pytest.mark.parametrize(
    ("level", "expected"),
    [(0.95, 1.959964), (0.90, 1.644854), (0.99, 2.575829)],  # standard normal table, two-sided
)
def test_z_value(level, expected):
    assert z_value(level) == pytest.approx(expected, abs=1e-6)


def test_standard_error_formula():
    # hand: sqrt(0.5·0.5/100 + 0.5·0.5/100) = sqrt(0.005) = 0.0707107
    assert wald_standard_error(0.5, 100, 0.5, 100) == pytest.approx(0.0707107, abs=1e-7)


ERRORS = [
    # (kwargs, argument named in the error, part of the Danish message)
    ({"share_treated": 18, "share_control": 0.12}, "andel_indsats", "ikke 18; skrev du 18 for 18 %? Skriv 0,18 eller 18 %"),
    ({"share_treated": 0.3, "share_control": -0.1}, "andel_kontrol", "mellem 0 og 1"),
    ({"share_treated": math.nan, "share_control": 0.1}, "andel_indsats", "endeligt"),
    ({"share_treated": None, "share_control": 0.1}, "andel_indsats", "tal"),
    ({"share_treated": 0.3, "share_control": 0.1, "n_treated": 100}, "n_kontrol", "begge"),
    ({"share_treated": 0.3, "share_control": 0.1, "n_control": 100}, "n_indsats", "begge"),
    ({"share_treated": 0.3, "share_control": 0.1, "n_treated": 0, "n_control": 100}, "n_indsats", "mindst 1"),
    ({"share_treated": 0.3, "share_control": 0.1, "n_treated": 100, "n_control": 2.5}, "n_kontrol", "helt tal"),
    ({"share_treated": 0.3, "share_control": 0.1, "n_treated": 100, "n_control": -5}, "n_kontrol", "mindst 1"),
    ({"share_treated": 0.3, "share_control": 0.1, "level": 95}, "niveau", "ikke 95; skrev du 95 for 95 %? Skriv 0,95 eller 95 %"),
    ({"share_treated": 0.3, "share_control": 0.1, "level": 1.0}, "niveau", "mellem 0 og 1"),
    ({"share_treated": 0.3, "share_control": 0.1, "level": 0.0}, "niveau", "mellem 0 og 1"),
]


@pytest.mark.parametrize(("kwargs", "argument", "message"), ERRORS)
def test_bad_inputs_raise_si_error_naming_the_argument(kwargs, argument, message):
    with pytest.raises(SIError) as info:
        effect_vs_control(**kwargs)
    assert info.value.argument == argument
    assert message in info.value.message
