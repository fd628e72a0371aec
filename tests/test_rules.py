"""Every payment rule in the registry: the numpy payment equals the checked scalar payment, and the
rule's Excel formula, recalculated by LibreOffice, equals both — on random inputs and at the edges
(at a threshold, at the target, at a step, at and above a cap)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from udfs.core.rules import rules
from udfs.core.rules.base import Rule

AMOUNT = st.floats(0, 2_000_000, allow_nan=False).map(lambda v: round(v, 2))
LEVEL = st.floats(-50, 500, allow_nan=False).map(lambda v: round(v, 3))
CASE_PARTICIPANTS = 40.0  # the case's participants in the test sheet (``{deltagere}``), for a rate card without its own


@st.composite
def linear(draw):
    t = draw(LEVEL)
    m = t + draw(st.floats(0.5, 300).map(lambda v: round(v, 3)))
    pay = draw(AMOUNT)
    cap = draw(st.none() | AMOUNT)
    return {"type": "lineaer", "taerskel": t, "maal": m, "betaling_ved_maal": pay, "loft": cap}


@st.composite
def tiers(draw):
    ts = sorted(set(draw(st.lists(LEVEL, min_size=1, max_size=5))))
    return {"type": "trappe", "taerskler": ts, "betalinger": draw(st.lists(AMOUNT, min_size=len(ts), max_size=len(ts)))}


@st.composite
def savings_share(draw):
    return {"type": "besparelsesandel", "andel": draw(st.floats(0, 1).map(lambda v: round(v, 4)))}


@st.composite
def rate_card(draw):
    k = draw(st.integers(1, 4))
    return {"type": "ratekort", "udfald": [f"u{i}" for i in range(k)],
            "priser": draw(st.lists(AMOUNT, min_size=k, max_size=k)),
            "loft_pr_deltager": draw(st.none() | AMOUNT), "deltagere": draw(st.none() | st.integers(0, 60)),
            "loft_i_alt": draw(st.none() | AMOUNT)}  # fmt: skip


@st.composite
def switching_share(draw):
    share = st.floats(0, 1).map(lambda v: round(v, 4))
    return {"type": "skiftende_andel", "andel_foer": draw(share.filter(lambda v: v > 0)), "andel_efter": draw(share),
            "hovedstol": draw(AMOUNT), "afkast": draw(st.floats(0, 0.5).map(lambda v: round(v, 4)))}


@st.composite
def per_period(draw):
    cap_pp = draw(st.none() | AMOUNT)
    return {"type": "pr_periode", "sats": draw(AMOUNT.map(lambda v: round(v / 100, 2))), "periode": draw(st.sampled_from(["uge", "maaned"])),
            "loft_pr_deltager": cap_pp, "deltagere": draw(st.integers(0, 60) if cap_pp is not None else st.none() | st.integers(0, 60)),
            "loft_i_alt": draw(st.none() | AMOUNT)}  # fmt: skip


STRATEGIES = {"lineaer": linear(), "trappe": tiers(), "besparelsesandel": savings_share(), "ratekort": rate_card(),
              "skiftende_andel": switching_share(), "pr_periode": per_period()}


def test_every_registered_rule_has_a_strategy_here():
    assert {r.type_name() for r in rules()} <= set(STRATEGIES), "add a strategy for the new rule to this file"


def rule_of(data) -> Rule:
    return next(r for r in rules() if r.type_name() == data["type"]).model_validate(data)


@st.composite
def measured(draw, rule: Rule):
    """A measured value: random, or at a breakpoint (threshold, target, step, cap), or just either side of it.

    For a rate card: counts per outcome type (≥ 0), scaled so the gross payment lands at or near a cap.
    """
    if rule.PER_OUTCOME:
        counts = draw(st.lists(st.floats(0, 80).map(lambda v: round(v, 2)), min_size=rule.steps(), max_size=rule.steps()))
        levels = [v for v in rule.levels(None, CASE_PARTICIPANTS) if v > 0]
        gross = float(rule.measure(counts))
        if levels and gross > 0 and draw(st.booleans()):  # put the gross payment exactly at a cap, or 1 % above
            factor = draw(st.sampled_from(levels)) / gross * draw(st.sampled_from([1.0, 1.01]))
            counts = [c * factor for c in counts]
        return counts
    levels = rule.levels(None, CASE_PARTICIPANTS) + [0.0]
    at_level = st.sampled_from(levels).flatmap(lambda v: st.sampled_from([v, v - 1e-9 * max(1, abs(v)), v + 0.5, v * 1.5]))
    return draw(at_level | st.floats(-1_000, 1_000_000, allow_nan=False))


@st.composite
def examples(draw, n: int):
    out = []
    for _ in range(n):
        rule = rule_of(draw(st.sampled_from(sorted(STRATEGIES)).flatmap(lambda t: STRATEGIES[t])))
        out.append((rule, draw(measured(rule))))
    return out


def scalar(rule: Rule, x) -> float:
    """The checked scalar payment (the SI_ functions' path)."""
    if rule.PER_OUTCOME and rule.loft_pr_deltager is not None and rule.deltagere is None:
        rule = rule.model_copy(update={"deltagere": int(CASE_PARTICIPANTS)})
    return rule.payment(x)


def vectorised(rule: Rule, xs: list) -> np.ndarray:
    """The engine's path: one call on all draws at once."""
    if rule.PER_OUTCOME:
        values = list(np.array(xs, dtype=float).T)  # one array of draws per outcome type
        return rule.pay(rule.measure(values), np.full(len(xs), CASE_PARTICIPANTS))
    return rule.pay(np.array(xs, dtype=float), np.full(len(xs), CASE_PARTICIPANTS))


# Explicit rows the property test always checks first: (rule, measured value, payment by hand).
# A rate card's participants enter only through the cap per participant (payment = min(loft i alt,
# loft pr. deltager × deltagere, Σ antal × pris), rate_card_payment's Notes): with 0 participants and
# no cap per participant, counts 0 and 1 at prices 0 and 1 kr. pay 0 × 0 + 1 × 1 = 1 kr. (the scalar
# path once returned 0 for any 0 participants); with a cap of 5 kr. per participant the cap is
# 5 × 0 = 0 kr.
EDGE_ROWS = {
    "ratekort": [
        ({"type": "ratekort", "udfald": ["u0", "u1"], "priser": [0.0, 1.0], "loft_pr_deltager": None, "deltagere": 0,
          "loft_i_alt": None}, [0.0, 1.0], 1.0),
        ({"type": "ratekort", "udfald": ["u0", "u1"], "priser": [0.0, 1.0], "loft_pr_deltager": 5.0, "deltagere": 0,
          "loft_i_alt": None}, [0.0, 1.0], 0.0),
    ],
}


@pytest.mark.parametrize("kind", sorted(STRATEGIES))
@given(data=st.data())
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_numpy_payment_equals_the_scalar_one(kind, data):
    for rule_data, x, by_hand in EDGE_ROWS.get(kind, []):
        edge = rule_of(rule_data)
        assert scalar(edge, x) == by_hand and vectorised(edge, [x])[0] == by_hand, rule_data
    rule = rule_of(data.draw(STRATEGIES[kind]))
    xs = data.draw(st.lists(measured(rule), min_size=1, max_size=8))
    many = vectorised(rule, xs)
    assert many.shape == (len(xs),)
    for x, v in zip(xs, many):
        one = scalar(rule, x)
        assert isinstance(one, float)
        # a rate card sums count × price in another order (math.fsum per participant row): equal to 1e-12
        assert v == pytest.approx(one, rel=1e-12, abs=1e-9)
    if not rule.PER_OUTCOME:
        assert isinstance(rule.pay(float(xs[0])), float), "a number in gives a number out"


@pytest.mark.parametrize("kind", sorted(STRATEGIES))
@given(data=st.data())
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_levels_are_every_point_where_the_payment_bends_or_steps(kind, data):
    """The promise :meth:`Rule.levels` makes and ``OutcomeMetric.maximum`` relies on: between two levels
    and beyond the largest the payment (after a metric cap, with its level) is a straight line.  Checked by
    three points inside each interval (the middle one's payment is the mean of the outer two) and three
    beyond the largest level; a rate card's levels are gross kr., the measure its payment is a function of."""
    rule = rule_of(data.draw(STRATEGIES[kind]))
    metric_cap = data.draw(st.none() | AMOUNT)

    def paid(x: float) -> float:
        value = float(rule.pay(x, CASE_PARTICIPANTS))
        return value if metric_cap is None else min(value, metric_cap)

    levels = sorted({float(v) for v in rule.levels(metric_cap, CASE_PARTICIPANTS)})
    top = levels[-1]
    intervals = list(zip(levels, levels[1:])) + [(top, top + data.draw(st.sampled_from([1.0, 37.5, 10_000.0])))]
    for a, b in intervals:
        if b - a < 1e-6 * max(1.0, abs(a)):
            continue
        x1, x2, x3 = a + (b - a) / 4, a + (b - a) / 2, a + 3 * (b - a) / 4
        y1, y2, y3 = paid(x1), paid(x2), paid(x3)
        assert y2 == pytest.approx((y1 + y3) / 2, rel=1e-9, abs=1e-6), (rule, metric_cap, (a, b), (y1, y2, y3))


# ---------------------------------------------------------------------------------------- LibreOffice


def sheet_for(batch) -> tuple[dict[str, object], list[str]]:
    """One row per example: the rule's cells, its computed cells and the payment formula of its class.

    The rule's templates are filled with the row's addresses: ``{@name}`` (a range for step cells),
    ``{@name[k]}``, ``{x}`` and the case's ``{deltagere}`` (cell A1)."""
    cells: dict[str, object] = {"A1": CASE_PARTICIPANTS}
    results = []
    for r, (rule, x) in enumerate(batch, start=2):
        col = 2
        where: dict[str, str] = {}

        def put(value) -> str:
            nonlocal col
            address = f"{openpyxl_col(col)}{r}"
            if value is not None:
                cells[address] = value
            col += 1
            return address

        xs = x if rule.PER_OUTCOME else [x]
        inputs = [put(v) for v in xs]
        where["udfald_opnaaet"] = f"{inputs[0]}:{inputs[-1]}"
        for k, a in enumerate(inputs):
            where[f"udfald_opnaaet[{k}]"] = a
        for cell in rule.CELLS:
            value = getattr(rule, cell.field)
            if cell.step:
                addresses = [put(v) for v in value]
                where[cell.name] = f"{addresses[0]}:{addresses[-1]}"
                for k, a in enumerate(addresses):
                    where[f"{cell.name}[{k}]"] = a
            else:
                where[cell.name] = put(value)

        def fill(template: str) -> str:
            out = re.sub(r"\{@(\w+(?:\[\d+\])?)\}", lambda m: where[m.group(1)], template)
            return out.replace("{deltagere}", "$A$1")

        for f in rule.FORMULAS:
            where[f.name] = put("=" + fill(f.template))
        x_formula = fill(rule.excel_measure([where[f"udfald_opnaaet[{k}]"] for k in range(len(inputs))]))
        where["x"] = put("=" + x_formula)
        results.append(put("=" + fill(rule.excel().replace("{x}", "{@x}"))))
    return cells, results


def openpyxl_col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


@given(batch=examples(40))
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_libreoffice_recalculates_each_rules_formula_to_the_same_payment(batch, libreoffice):
    cells, results = sheet_for(batch)
    got = libreoffice(cells)
    many = {id(rule): vectorised(rule, [x])[0] for rule, x in batch}
    for (rule, x), address in zip(batch, results):
        expected = scalar(rule, x)
        assert many[id(rule)] == pytest.approx(expected, rel=1e-12, abs=1e-9)
        assert isinstance(got[address], (int, float)), (rule, x, got[address])
        assert math.isclose(got[address], expected, rel_tol=1e-12, abs_tol=1e-6), (rule, x, got[address], expected)


def test_libreoffice_at_every_edge_of_each_rule(libreoffice):
    """Hand-picked edges, each with its value written out."""
    line = rule_of({"type": "lineaer", "taerskel": 20, "maal": 120, "betaling_ved_maal": 1_000_000, "loft": 1_200_000})
    steps = rule_of({"type": "trappe", "taerskler": [0.085, 0.1, 0.15], "betalinger": [0, 100_000, 250_000]})
    share = rule_of({"type": "besparelsesandel", "andel": 0.4})
    card = rule_of({"type": "ratekort", "udfald": ["a", "b"], "priser": [5_000, 20_000], "loft_pr_deltager": 3_000,
                    "deltagere": 40, "loft_i_alt": 100_000})  # fmt: skip
    weekly = rule_of({"type": "pr_periode", "sats": 1_000, "loft_pr_deltager": 20_000, "deltagere": 10, "loft_i_alt": 150_000})
    weekly_pp = rule_of({"type": "pr_periode", "sats": 1_000, "periode": "uge", "loft_pr_deltager": 5_000, "deltagere": 10})
    utah = rule_of({"type": "skiftende_andel", "andel_foer": 0.95, "andel_efter": 0.4, "hovedstol": 7_000_000, "afkast": 0.05})
    batch = [
        (line, 20, 0.0),  # at the threshold: 0
        (line, 120, 1_000_000.0),  # at the target: the payment at the target, exactly
        (line, 60, 400_000.0),  # (60 − 20) / 100 × 1 000 000
        (line, 140, 1_200_000.0),  # 1.2 × 1 000 000 = the cap exactly
        (line, 500, 1_200_000.0),  # above the cap: the cap
        (steps, 0.3 - 0.2, 100_000.0),  # 0.09999999999999998 reaches the step 0.1 as Excel compares
        (steps, 0.15, 250_000.0),  # at the last step
        (steps, 0.08, 0.0),  # below the first step
        (share, -5_000, 0.0),  # savings ≤ 0 pay nothing
        (share, 2_000_000, 800_000.0),  # 0.4 × 2 000 000
        (card, [10, 4], 100_000.0),  # 10 × 5 000 + 4 × 20 000 = 130 000 > 3 000 × 40 = 120 000 > loft i alt 100 000
        (card, [4, 1], 40_000.0),  # 4 × 5 000 + 20 000, under both caps
        *[(rule_of(data), x, by_hand) for data, x, by_hand in EDGE_ROWS["ratekort"]],  # 0 participants: 1 and 0 kr.
        # Utah's form: 95 % until 7 000 000 × 1.05 = 7 350 000 is repaid, then 40 %; the switch at
        # X = 7 350 000 / 0.95 = 7 736 842.105…
        (utah, 281_550, 267_472.5),  # 0.95 × 281 550, below the switch
        (utah, 7_350_000 / 0.95, 7_350_000.0),  # at the switch: T exactly
        (utah, 8_736_842.105263158, 7_750_000.0),  # 1 000 000 past the switch: 7 350 000 + 0.4 × 1 000 000
        (utah, -10, 0.0),  # savings ≤ 0 pay nothing
        # Aalborg's form: 1 000 kr. a week in work or education, 20 000 kr. per participant (10), 150 000 kr. in all
        (weekly, 100, 100_000.0),  # 1 000 × 100 weeks, under 20 000 × 10 = 200 000 and under 150 000
        (weekly, 150, 150_000.0),  # exactly at the cap in total
        (weekly, 160, 150_000.0),  # 160 000 above the cap in total: 150 000
        (weekly_pp, 60, 50_000.0),  # 60 000 above 5 000 × 10 = 50 000 (the cap per participant binds)
        (weekly_pp, -3, 0.0),  # weeks ≤ 0 pay nothing
    ]
    cells, results = sheet_for([(r, x) for r, x, _ in batch])
    got = libreoffice(cells)
    for (rule, x, expected), address in zip(batch, results):
        assert scalar(rule, x) == expected
        assert vectorised(rule, [x])[0] == expected
        assert got[address] == pytest.approx(expected, abs=1e-9), (rule.type, x)


def test_the_measurement_report_writes_each_rules_own_formula(libreoffice):
    """The measurement report (workbooks/measurement_sheet.py) writes a rule's payment with the rule's formula,
    its step lists in cells of the row: LibreOffice gives the core's payment."""
    from workbooks.measurement_sheet import rule_formula

    steps = rule_of({"type": "trappe", "taerskler": [0.085, 0.1, 0.15], "betalinger": [0, 100_000, 250_000]})
    line = rule_of({"type": "lineaer", "taerskel": 20, "maal": 120, "betaling_ved_maal": 1_000_000})
    utah = rule_of({"type": "skiftende_andel", "andel_foer": 0.95, "andel_efter": 0.4, "hovedstol": 1_000_000, "afkast": 0.05})
    half = utah.model_copy(update={"andel_foer": 0.5})
    cases = [(steps, 0.3 - 0.2, 100_000.0), (steps, 0.2, 250_000.0), (steps, 0.05, 0.0), (line, 60, 400_000.0),
             (utah, 281_550, 267_472.5),  # 0.95 × 281 550, before the switch at 1 000 000 × 1.05
             (half, 3_100_000, 1_450_000.0)]  # after the switch: 1 050 000 + 0.4 × (3 100 000 − 1 050 000 / 0.5)
    cells = {}
    for r, (rule, x, _) in enumerate(cases, start=1):
        cells[f"A{r}"] = x
        ranges = {}
        if rule.STEPS:  # the steps in C–E, the payments in F–H, as the report writes them
            cells |= {f"{'CDEFGH'[k]}{r}": v for k, v in enumerate([*rule.taerskler, *rule.betalinger])}
            ranges = {"taerskler": f"C{r}:E{r}", "betalinger": f"F{r}:H{r}"}
        cells[f"B{r}"] = "=" + rule_formula(rule, f"A{r}", ranges)
    got = libreoffice(cells)
    for r, (rule, x, expected) in enumerate(cases, start=1):
        assert rule.payment(x) == expected  # hand: the step reached (0.09999999999999998 reaches 0.1), (60 − 20) / 100 × 1 000 000
        assert got[f"B{r}"] == pytest.approx(expected, abs=1e-9), (rule.type, x)
