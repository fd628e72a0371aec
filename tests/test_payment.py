"""Tests for udfs.core.payment — the four payment rules, the contract, YAML and JSON Schema.

Every expected figure is a hand calculation written out in the row's comment.
"""

from __future__ import annotations

import math

import jsonschema
import pytest
import yaml

from udfs.core.errors import SIError
from udfs.core.payment import (
    PaymentModel,
    cap_latest_first,
    contract_payments,
    linear_payment,
    metric_payments,
    parse_payment_model,
    payment_model_from_yaml,
    payment_model_json_schema,
    payment_model_to_yaml,
    rate_card_payment,
    savings_share_payment,
    tier_payment,
)

# --------------------------------------------------------------------------
# lineaer
# --------------------------------------------------------------------------

LINEAR = [
    # (achieved, threshold, target, payment_at_target, cap, expected kr.)
    (0, 20, 120, 1_000_000, None, 0.0),  # below the threshold → 0
    (20, 20, 120, 1_000_000, None, 0.0),  # exactly at the threshold: the line starts at 0
    (70, 20, 120, 1_000_000, None, 500_000.0),  # 1e6 × (70 − 20) / (120 − 20) = 1e6 × 0.5
    (45, 20, 120, 1_000_000, None, 250_000.0),  # 1e6 × 25 / 100
    (120, 20, 120, 1_000_000, None, 1_000_000.0),  # exactly at the target → the target payment
    (150, 20, 120, 1_000_000, None, 1_000_000.0),  # beyond target, default cap = target payment
    (130, 20, 120, 1_000_000, 1_200_000, 1_100_000.0),  # same slope beyond target: 1e6 × 110 / 100
    (150, 20, 120, 1_000_000, 1_200_000, 1_200_000.0),  # 1e6 × 130/100 = 1.3e6 above the cap → cap
    (70, 20, 120, 1_000_000, 300_000, 300_000.0),  # cap below the target payment binds early
    (70, 20, 120, 1_000_000, 0, 0.0),  # cap 0
    (0, -10, 10, 400_000, None, 200_000.0),  # negative threshold: 4e5 × (0 + 10) / 20
    (0.15, 0.10, 0.20, 200_000, None, 100_000.0),  # shares: 2e5 × 0.05 / 0.10
    (15, 0, 15, 1_610_884.35, None, 1_610_884.35),  # Sygedagpenge case file at full success: at target
    (7.5, 0, 15, 1_610_884.35, None, 805_442.175),  # half of the target: 1 610 884.35 / 2
]


@pytest.mark.parametrize(("achieved", "threshold", "target", "payment", "cap", "expected"), LINEAR)
def test_linear_payment(achieved, threshold, target, payment, cap, expected):
    assert linear_payment(achieved, threshold, target, payment, cap) == pytest.approx(expected, rel=1e-12, abs=1e-9)


def test_linear_payment_is_exact_at_target():
    # (target − threshold) / (target − threshold) is exactly 1.0, so no rounding error creeps in.
    assert linear_payment(0.12, 0, 0.12, 4_857_831.33) == 4_857_831.33


LINEAR_ERRORS = [
    # (args, argument, message part)
    ((50, 120, 120, 1000), "taerskel", "mindre end målet"),  # threshold == target
    ((50, 130, 120, 1000), "taerskel", "mindre end målet"),  # threshold > target
    ((math.nan, 20, 120, 1000), "opnaaet", "endeligt"),
    ((None, 20, 120, 1000), "opnaaet", "tal"),
    (("12", 20, 120, 1000), "opnaaet", "tal"),
    ((True, 20, 120, 1000), "opnaaet", "tal"),
    ((50, 20, math.inf, 1000), "maal", "endeligt"),
    ((50, math.nan, 120, 1000), "taerskel", "endeligt"),
    ((50, 20, 120, -1000), "betaling_ved_maal", "negativ"),
    ((50, 20, 120, 1000, -1), "loft", "negativ"),
    ((50, 20, 120, 1000, math.nan), "loft", "endeligt"),
]


@pytest.mark.parametrize(("args", "argument", "message"), LINEAR_ERRORS)
def test_linear_payment_errors(args, argument, message):
    with pytest.raises(SIError) as info:
        linear_payment(*args)
    assert (info.value.argument, message in info.value.message) == (argument, True)


# --------------------------------------------------------------------------
# ratekort
# --------------------------------------------------------------------------

PRICES = [5_000, 20_000]
RATE_CARD = [
    # (counts, cap_per_participant, participants, cap_total, expected kr.)
    ([10, 4], None, None, None, 130_000.0),  # 10 × 5 000 + 4 × 20 000
    ([0, 0], None, None, None, 0.0),  # nothing achieved
    ([10, 4], 10_000, 12, None, 120_000.0),  # totals: min(130 000, 10 000 × 12)
    ([10, 4], 20_000, 12, None, 130_000.0),  # cap 20 000 × 12 = 240 000 does not bind
    ([10, 4], 10_000, 0, None, 0.0),  # zero participants: the cap 10 000 × 0 = 0
    # Participants enter only through the cap per participant (Notes of rate_card_payment): without that cap
    # 0 participants leave the counts' payment, 10 × 5 000 + 4 × 20 000 = 130 000 (as the numpy path and Excel).
    ([10, 4], None, 0, None, 130_000.0),
    ([10, 4], None, 12, 100_000, 100_000.0),  # total cap: min(130 000, 100 000)
    ([[1, 1], [1, 0], [0, 0]], 15_000, None, None, 20_000.0),  # rows: min(25 000, 15 000) + 5 000 + 0
    ([[1, 1], [1, 0], [0, 0]], 15_000, 3, 18_000, 18_000.0),  # rows as above, then min(20 000, 18 000)
    ([[1, 1], [1, 0], [0, 0]], None, 3, None, 30_000.0),  # no caps: 25 000 + 5 000 + 0
    ([[2, 0]], 15_000, 1, None, 10_000.0),  # one participant: 2 × 5 000 below the cap
    ([], 15_000, 0, None, 0.0),  # an empty table: zero participants → 0
    ([[0.5, 0.25]], None, None, None, 7_500.0),  # fractions allowed: 0.5 × 5 000 + 0.25 × 20 000
]


@pytest.mark.parametrize(("counts", "cap_pp", "participants", "cap_total", "expected"), RATE_CARD)
def test_rate_card_payment(counts, cap_pp, participants, cap_total, expected):
    assert rate_card_payment(counts, PRICES, cap_pp, participants, cap_total) == pytest.approx(expected, abs=1e-9)


def test_rate_card_accepts_whole_float_participants_from_excel():
    assert rate_card_payment([10, 4], PRICES, 10_000, 12.0) == 120_000.0  # as in the table above


RATE_CARD_ERRORS = [
    # (counts, prices, cap_pp, participants, cap_total, argument, message part)
    ([10, -1], PRICES, None, None, None, "antal", "negativ"),
    ([10, math.nan], PRICES, None, None, None, "antal", "endeligt"),
    ([[1, 1], [1, -2]], PRICES, None, None, None, "antal", "negativ"),
    ([10, 4, 1], PRICES, None, None, None, "antal", "har 3 værdier, men priser har 2"),
    ([[1, 1], [1]], PRICES, None, None, None, "antal", "lige lange"),
    ("10", PRICES, None, None, None, "antal", "række"),
    ([10, 4], [5_000, -1], None, None, None, "priser", "negativ"),
    ([10, 4], [], None, None, None, "priser", "mindst én"),
    ([10, 4], PRICES, 10_000, None, None, "deltagere", "skal angives"),
    ([10, 4], PRICES, 10_000, 2.5, None, "deltagere", "helt tal"),
    ([10, 4], PRICES, 10_000, -1, None, "deltagere", "negativ"),
    ([[1, 1], [1, 0]], PRICES, None, 3, None, "deltagere", "én række pr. deltager"),
    ([10, 4], PRICES, -5, 3, None, "loft_pr_deltager", "negativ"),
    ([10, 4], PRICES, None, None, -5, "loft_i_alt", "negativ"),
]


@pytest.mark.parametrize(
    ("counts", "prices", "cap_pp", "participants", "cap_total", "argument", "message"), RATE_CARD_ERRORS
)
def test_rate_card_errors(counts, prices, cap_pp, participants, cap_total, argument, message):
    with pytest.raises(SIError) as info:
        rate_card_payment(counts, prices, cap_pp, participants, cap_total)
    assert (info.value.argument, message in info.value.message) == (argument, True)


# --------------------------------------------------------------------------
# trappe
# --------------------------------------------------------------------------

THRESHOLDS = [0.085, 0.10, 0.15]
STEPS = [0, 100_000, 250_000]
TIERS = [
    # (achieved, expected kr.) — highest step with threshold ≤ achieved
    (0.05, 0.0),  # below the first threshold
    (0.085, 0.0),  # exactly at the first threshold: its step pays 0
    (0.0999, 0.0),  # just below the second threshold
    (0.10, 100_000.0),  # exactly at a threshold counts as reached
    (0.12, 100_000.0),
    (0.15, 250_000.0),
    (0.90, 250_000.0),  # above the highest step: the highest payment
]


@pytest.mark.parametrize(("achieved", "expected"), TIERS)
def test_tier_payment(achieved, expected):
    assert tier_payment(achieved, THRESHOLDS, STEPS) == expected


TIER_ERRORS = [
    # (achieved, thresholds, payments, argument, message part)
    (0.1, [0.1, 0.1], [1, 2], "taerskler", "strengt stigende"),
    (0.1, [0.2, 0.1], [1, 2], "taerskler", "strengt stigende"),
    (0.1, [0.1, 0.2], [1], "betalinger", "har 1 trin, men taerskler har 2 — angiv én betaling pr. tærskel"),
    (0.1, [0.1, 0.2], [1, -2], "betalinger", "negativ"),
    (0.1, [], [], "taerskler", "mindst ét"),
    (math.nan, [0.1], [1], "opnaaet", "endeligt"),
    (0.1, [math.nan], [1], "taerskler", "endeligt"),
]


@pytest.mark.parametrize(("achieved", "thresholds", "payments", "argument", "message"), TIER_ERRORS)
def test_tier_errors(achieved, thresholds, payments, argument, message):
    with pytest.raises(SIError) as info:
        tier_payment(achieved, thresholds, payments)
    assert (info.value.argument, message in info.value.message) == (argument, True)


# --------------------------------------------------------------------------
# besparelsesandel
# --------------------------------------------------------------------------

SAVINGS_SHARE = [
    # (savings kr., share, expected kr.)
    (2_000_000, 0.4, 800_000.0),  # 0.4 × 2 000 000
    (2_000_000, 0.0, 0.0),
    (2_000_000, 1.0, 2_000_000.0),
    (0, 0.5, 0.0),
    (-100_000, 0.5, 0.0),  # costs went up: nothing to share
]


@pytest.mark.parametrize(("savings", "share", "expected"), SAVINGS_SHARE)
def test_savings_share_payment(savings, share, expected):
    assert savings_share_payment(savings, share) == expected


@pytest.mark.parametrize(
    ("savings", "share", "argument", "message"),
    [
        (1_000, 40, "andel", "ikke 40; skrev du 40 for 40 %? Skriv 0,40 eller 40 %"),
        (1_000, -0.1, "andel", "mellem 0 og 1"),
        (math.nan, 0.4, "besparelse", "endeligt"),
        (1_000, None, "andel", "tal"),
    ],
)
def test_savings_share_errors(savings, share, argument, message):
    with pytest.raises(SIError) as info:
        savings_share_payment(savings, share)
    assert (info.value.argument, message in info.value.message) == (argument, True)


# --------------------------------------------------------------------------
# The contract
# --------------------------------------------------------------------------


def metric(id_: str, year: int, rule: dict, **extra) -> dict:
    return {
        "id": id_,
        "navn": f"Resultatmål {id_}",
        "enhed": "antal",
        "datakilde": "testdata",
        "maaletidspunkt": "ved årets udgang",
        "aar": year,
        "regel": rule,
        **extra,
    }


ALL_RULES = {
    "resultatmaal": [
        metric("a", 0, {"type": "lineaer", "taerskel": 0, "maal": 100, "betaling_ved_maal": 1_000}),
        metric("b", 1, {"type": "ratekort", "udfald": ["job", "uddannelse"], "priser": [100, 200]}, loft=400),
        metric("c", 2, {"type": "trappe", "taerskler": [1, 2], "betalinger": [300, 600]}),
        metric("d", 2, {"type": "besparelsesandel", "andel": 0.5}),
    ]
}
ACHIEVED = {"a": 50, "b": [3, 1], "c": 2}
SAVINGS = {"d": 1_000}


def with_contract_cap(cap: float | None) -> PaymentModel:
    return parse_payment_model({**ALL_RULES, "loft_kontrakt": cap})


def test_metric_payments_apply_each_rule_and_metric_cap():
    # a: 1 000 × 50/100 = 500; b: 3×100 + 1×200 = 500, metric cap 400 → 400;
    # c: 2 reaches the step at 2 → 600; d: 0.5 × 1 000 = 500
    assert metric_payments(with_contract_cap(None), ACHIEVED, SAVINGS) == {"a": 500, "b": 400, "c": 600, "d": 500}


CONTRACT = [
    # (contract cap, years, expected kr. per year)
    (None, None, [500.0, 400.0, 1_100.0]),  # year 2 = c 600 + d 500
    (None, 4, [500.0, 400.0, 1_100.0, 0.0]),  # padded to 4 years
    (2_000, None, [500.0, 400.0, 1_100.0]),  # total 2 000 = cap: nothing cut
    (1_500, None, [500.0, 400.0, 600.0]),  # excess 500 cut from year 2: 1 100 − 500
    (700, None, [500.0, 200.0, 0.0]),  # excess 1 300: year 2 1 100 → 0, then year 1 400 → 200
    (0, None, [0.0, 0.0, 0.0]),
]


@pytest.mark.parametrize(("cap", "years", "expected"), CONTRACT)
def test_contract_payments_by_year(cap, years, expected):
    assert contract_payments(with_contract_cap(cap), ACHIEVED, SAVINGS, years=years) == expected


@pytest.mark.parametrize(
    ("achieved", "savings", "years", "argument", "message"),
    [
        ({"a": 50, "b": [3, 1]}, SAVINGS, None, "opnaaet", "'c'"),  # c missing
        ({**ACHIEVED, "x": 1}, SAVINGS, None, "opnaaet", "ukendt resultatmål 'x'"),
        (ACHIEVED, {}, None, "besparelser", "'d'"),
        (ACHIEVED, {"d": 1, "z": 5}, None, "besparelser", "'z'"),
        ({**ACHIEVED, "b": [3, -1]}, SAVINGS, None, "antal", "negativ"),
        ({**ACHIEVED, "a": math.nan}, SAVINGS, None, "opnaaet", "endeligt"),
        (ACHIEVED, SAVINGS, 2, "antal_aar", "år 2"),
        (ACHIEVED, SAVINGS, 3.5, "antal_aar", "helt tal"),
    ],
)
def test_contract_payment_errors(achieved, savings, years, argument, message):
    with pytest.raises(SIError) as info:
        contract_payments(with_contract_cap(None), achieved, savings, years=years)
    assert (info.value.argument, message in info.value.message) == (argument, True)


def test_cap_latest_first():
    # 230 − 170 = 60 off the last year; 230 − 90 = 140: last 80 → 0, middle 50 → 0, first 100 → 90
    assert cap_latest_first([100.0, 50.0, 80.0], 170.0) == [100.0, 50.0, 20.0]
    assert cap_latest_first([100.0, 50.0, 80.0], 90.0) == [90.0, 0.0, 0.0]


# --------------------------------------------------------------------------
# Validation of model data: SIError naming the field, Danish message
# --------------------------------------------------------------------------


def replace_rule(rule: dict) -> dict:
    return {"resultatmaal": [metric("a", 0, rule)]}


MODEL_ERRORS = [
    # (data, argument, message part)
    (
        replace_rule({"type": "lineaer", "taerskel": 10, "maal": 10, "betaling_ved_maal": 1}),
        "betalingsmodel.resultatmaal[0].regel.taerskel",
        "mindre end målet",
    ),
    (
        replace_rule({"type": "lineaer", "taerskel": 0, "maal": 10, "betaling_ved_maal": -1}),
        "betalingsmodel.resultatmaal[0].regel.betaling_ved_maal",
        "negativ",
    ),
    (
        replace_rule({"type": "lineaer", "taerskel": math.nan, "maal": 10, "betaling_ved_maal": 1}),
        "betalingsmodel.resultatmaal[0].regel.taerskel",
        "endeligt",
    ),
    (
        replace_rule({"type": "lineaer", "maal": 10, "betaling_ved_maal": 1}),
        "betalingsmodel.resultatmaal[0].regel.taerskel",
        "mangler",
    ),
    (
        replace_rule({"type": "besparelsesandel", "andel": 40}),
        "betalingsmodel.resultatmaal[0].regel.andel",
        "ikke 40; skrev du 40 for 40 %? Skriv 0,40 eller 40 %",
    ),
    (replace_rule({"type": "ukendt"}), "betalingsmodel.resultatmaal[0].regel", "lineaer, ratekort"),
    (replace_rule({"taerskel": 0}), "betalingsmodel.resultatmaal[0].regel", "mangler feltet type"),
    (
        replace_rule({"type": "trappe", "taerskler": [2, 1], "betalinger": [1, 2]}),
        "betalingsmodel.resultatmaal[0].regel.taerskler",
        "strengt stigende",
    ),
    (
        replace_rule({"type": "trappe", "taerskler": [1, 2], "betalinger": [1]}),
        "betalingsmodel.resultatmaal[0].regel.betalinger",
        "én betaling pr. tærskel",
    ),
    (
        replace_rule({"type": "ratekort", "udfald": ["job"], "priser": [1, 2]}),
        "betalingsmodel.resultatmaal[0].regel.priser",
        "lige lange",
    ),
    (
        replace_rule({"type": "besparelsesandel", "andel": 0.5, "loft": 3}),
        "betalingsmodel.resultatmaal[0].regel.loft",
        "ukendt felt",
    ),
    (
        {"resultatmaal": [metric("a", -1, {"type": "besparelsesandel", "andel": 0.5})]},
        "betalingsmodel.resultatmaal[0].aar",
        "negativ",
    ),
    (
        {"resultatmaal": [metric("Æ", 0, {"type": "besparelsesandel", "andel": 0.5})]},
        "betalingsmodel.resultatmaal[0].id",
        "små bogstaver",
    ),
    (
        {"resultatmaal": [metric("a", 0, {"type": "besparelsesandel", "andel": 0.5})] * 2},
        "betalingsmodel.resultatmaal",
        "mere end én gang",
    ),
    ({"resultatmaal": []}, "betalingsmodel.resultatmaal", "tom"),
    ({**ALL_RULES, "loft_kontrakt": -1}, "betalingsmodel.loft_kontrakt", "negativ"),
]


@pytest.mark.parametrize(("data", "argument", "message"), MODEL_ERRORS)
def test_model_validation_errors_name_the_field(data, argument, message):
    with pytest.raises(SIError) as info:
        parse_payment_model(data)
    assert info.value.argument == argument
    assert message in info.value.message


# --------------------------------------------------------------------------
# YAML round trip and JSON Schema
# --------------------------------------------------------------------------

ROUND_TRIP_MODELS = [
    ALL_RULES,
    {**ALL_RULES, "loft_kontrakt": 1_500},
    {
        "resultatmaal": [
            metric(
                "r",
                3,
                {
                    "type": "ratekort",
                    "udfald": ["a", "b"],
                    "priser": [1.5, 2.25],
                    "loft_pr_deltager": 3,
                    "deltagere": 25,
                    "loft_i_alt": 60,
                },
                antagelse="Antaget: æøå",
            )
        ]
    },
]


@pytest.mark.parametrize("data", ROUND_TRIP_MODELS)
def test_model_round_trips_through_yaml(data):
    model = parse_payment_model(data)
    text = payment_model_to_yaml(model)
    assert payment_model_from_yaml(text) == model
    assert "æøå" in text or "æøå" not in str(data)  # Danish letters are written as they are


@pytest.mark.parametrize("data", ROUND_TRIP_MODELS)
def test_json_schema_accepts_valid_models(data):
    jsonschema.Draft202012Validator(payment_model_json_schema()).validate(data)
    jsonschema.Draft202012Validator(payment_model_json_schema()).validate(
        yaml.safe_load(payment_model_to_yaml(parse_payment_model(data)))
    )


@pytest.mark.parametrize(
    "data",
    [
        replace_rule({"type": "ukendt"}),
        replace_rule({"type": "lineaer", "taerskel": 0, "maal": 10, "betaling_ved_maal": -1}),
        replace_rule({"type": "besparelsesandel", "andel": 40}),
        replace_rule({"type": "trappe", "taerskler": [1], "betalinger": [1], "ekstra": 1}),
        {"resultatmaal": []},
    ],
)
def test_json_schema_rejects_invalid_models(data):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(payment_model_json_schema()).validate(data)


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(payment_model_json_schema())
