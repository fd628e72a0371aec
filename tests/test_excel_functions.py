"""The Excel functions, called as Excel calls them: tables of inputs → expected values.

Excel (through xlwings) passes whole numbers as floats, empty cells as None and
ranges as lists of rows.  Every bad input must come back as a short Danish text
naming the argument — never an exception, never NaN.
"""

import datetime as dt
import inspect
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import udfs.excel as xl
from udfs.core.businesscase import TABLE_HEADER, break_even_success_rate, key_figures, yearly_table
from udfs.core.casefile import load_business_case
from udfs.core.data import indices
from udfs.core.engine import run

NPI = indices()["npi"]

# (function, args, expected) — expected numbers with their source in the comment.
GOOD = [
    # Issue example: 4×200 + 22×600 + 26×700 + 8×800.
    ("SI_KOMMUNAL_UDGIFT", (1000.0, 1.0, 60.0), 38_600.0),
    ("SI_KOMMUNAL_UDGIFT", (1000.0, 1.0, 60.0, "medfinansiering_2016"), 38_600.0),
    ("SI_KOMMUNAL_UDGIFT", (500.0, 53.0, 62.0), 10 * 500 * 0.8),
    ("SI_REFUSIONSSATS", (1.0,), 0.8),
    ("SI_REFUSIONSSATS", (30.0,), 0.3),
    ("SI_REFUSIONSSATS", (30.0, "medfinansiering_2016"), 0.7),
    ("SI_REFUSIONSSATS", ([[53.0]],), 0.2),  # a 1×1 range
    ("SI_DISKONTERINGSFAKTOR", (0.0,), 1.0),
    ("SI_DISKONTERINGSFAKTOR", (40.0,), 1.035**-35 * 1.025**-5),  # FM 2021 schedule
    ("SI_DISKONTERINGSFAKTOR", (10.0, 0.04), 1.04**-10),
    ("SI_DISKONTERINGSFAKTOR", (40.0, "FM_2013"), 1.04**-35 * 1.03**-5),
    ("SI_NUTIDSVAERDI", ([[100.0, 103.5]], 0.035), 200.0),
    ("SI_NUTIDSVAERDI", ([[100.0], [103.5]], 0.035), 200.0),  # a column
    ("SI_NUTIDSVAERDI", ([1.0] * 3,), 1 + 1.035**-1 + 1.035**-2),
    ("SI_PRISINDEKS", (2015.0, 2023.0), NPI[2023] / NPI[2015]),
    ("SI_PRISINDEKS", (2023.0, 2025.0, None, 0.02), 1.02**2),
    # Lukket fængsel 2015: 1.878 kr./dag (kriminalforsorgen.dk), state cost, uprated by NPI.
    ("SI_ENHEDSPRIS", ("faengsel_lukket_dag",), 1878.0),
    ("SI_ENHEDSPRIS", ("faengsel_lukket_dag", 2023.0, "stat"), 1878.0 * NPI[2023] / NPI[2015]),
    ("SI_ENHEDSPRIS", ("faengsel_lukket_dag", None, "kommune"), 0.0),
    # Kontanthjælp 30+ ikke-forsørger 2023: 11.944 × 12 / 52 = 2.756,31 kr./uge, kommune 80 %.
    ("SI_ENHEDSPRIS", ("kontanthjaelp_30plus_ikke_forsoerger_uge", 2023.0, "kommune"), 2756.31 * 0.8),
    # Linear payment, hand-worked: (96 − 60) / (120 − 60) × 7.4 mio. = 0.6 × 7.4 mio.
    ("SI_RESULTATBETALING", (96.0, 60.0, 120.0, 7_400_000.0), 0.6 * 7_400_000),
    ("SI_RESULTATBETALING", (60.0, 60.0, 120.0, 7_400_000.0), 0.0),  # exactly at the threshold
    ("SI_RESULTATBETALING", (120.0, 60.0, 120.0, 7_400_000.0), 7_400_000.0),  # at the target
    ("SI_RESULTATBETALING", (150.0, 60.0, 120.0, 7_400_000.0), 7_400_000.0),  # default cap = target payment
    ("SI_RESULTATBETALING", (150.0, 60.0, 120.0, 7_400_000.0, 8_000_000.0), 8_000_000.0),  # 1.5 × 7.4 capped at 8
    # Rate card: 10 × 5,000 + 4 × 20,000 = 130,000; as a column too.
    ("SI_RATEKORT", ([[10.0, 4.0]], [[5_000.0, 20_000.0]]), 130_000.0),
    ("SI_RATEKORT", ([[10.0], [4.0]], [[5_000.0], [20_000.0]]), 130_000.0),
    # One row per participant, cap 15,000 each: min(25,000; 15,000) + 5,000 = 20,000.
    ("SI_RATEKORT", ([[1.0, 1.0], [1.0, 0.0]], [5_000.0, 20_000.0], 15_000.0), 20_000.0),
    ("SI_RATEKORT", ([[10.0, 4.0]], [5_000.0, 20_000.0], 2_000.0, 45.0), 90_000.0),  # 2,000 × 45 participants
    ("SI_RATEKORT", ([[10.0, 4.0]], [5_000.0, 20_000.0], None, None, 100_000.0), 100_000.0),
    # Tiers (DOMAIN.md: below 8.5 % nothing, 10 % break-even …): the highest step reached.
    ("SI_TRAPPEBETALING", (0.095, [0.085, 0.10, 0.12], [0.0, 1_000_000.0, 1_500_000.0]), 0.0),
    ("SI_TRAPPEBETALING", (0.10, [0.085, 0.10, 0.12], [0.0, 1_000_000.0, 1_500_000.0]), 1_000_000.0),
    ("SI_TRAPPEBETALING", (0.05, [0.085, 0.10, 0.12], [0.0, 1_000_000.0, 1_500_000.0]), 0.0),
    ("SI_TRAPPEBETALING", (0.20, [[0.085], [0.10], [0.12]], [[0.0], [1_000_000.0], [1_500_000.0]]), 1_500_000.0),
    # A step range with room for more steps (the workbook's step tables): the empty cells at its end are not steps.
    ("SI_TRAPPEBETALING", (0.20, [[0.085, 0.10, 0.12, None, ""]], [[0.0, 1_000_000.0, 1_500_000.0, None, None]]), 1_500_000.0),
    ("SI_RATEKORT", ([[10.0, 4.0, None]], [[5_000.0, 20_000.0, None]]), 130_000.0),  # 10 × 5,000 + 4 × 20,000
    # IRR: −100 then 110 → 10 %; −100, 0, 121 → 10 %.
    ("SI_INVESTOR_IRR", ([[-100.0, 110.0]],), 0.10),
    ("SI_INVESTOR_IRR", ([[-100.0, 0.0, 121.0]],), 0.10),
    ("SI_INVESTOR_IRR", ([[-100.0, 110.0]], [[dt.datetime(2023, 1, 1), dt.datetime(2024, 1, 1)]]), 0.10),  # 365 days
    ("SI_INVESTOR_IRR", ([[-100.0, 110.0]], [[44927.0, 45292.0]]), 0.10),  # the same dates as serial numbers
]

EXAMPLE = str(Path(__file__).resolve().parents[1] / "workbooks" / "cases" / "eksempel_ungeindsats.yaml")
GOOD += [
    # The worked example of tests/test_engine.py, effect "job": net 0.30 − 0.10, kernel −20, −15 × 0.8.
    ("SI_TILBAGEBETALINGSTID", ([[-100.0, 30.0, 40.0, 50.0]],), 4),  # cumulative −100, −70, −30, 20: ≥ 0 after 4 years
    ("SI_TILBAGEBETALINGSTID", ([[10.0, -5.0, 1.0]],), "ikke relevant (intet udlæg)"),  # 10, 5, 6: never below 0, no outlay
    ("SI_TILBAGEBETALINGSTID", ([[-100.0, 30.0]],), "ikke inden for perioden"),
    ("SI_TILBAGEBETALINGSTID", ([[-100.0, 150.0, -60.0, 20.0]],), 4),  # 50 falls back to −10, then 10 in the 4th year
    ("SI_BREAK_EVEN", (EXAMPLE,), None),  # checked against the engine below
]
SPILLS_EXTRA = [
    ("SI_EFFEKT", ([[10.0, 20.0, 10.0]], [[-20.0, -15.0]], 0.30, 0.10, 0.20),
     [[10 * 0.2 * -20, 10 * 0.2 * -12 + 20 * 0.2 * -20, 20 * 0.2 * -12 + 10 * 0.2 * -20, 10 * 0.2 * -12]]),
    ("SI_BESPARELSE", ([[10.0, 20.0, 10.0]], [[-20.0, -15.0]], 0.30, 100.0, 0.10, 0.20, None, 5.0),
     [[4000.0, 10400.0, 8800.0, 2400.0, 0.0]]),
    ("SI_EFFEKT", ([[10.0]], [[-0.1]], 0.25, 0.05, None, 1.0), [[0.0, 10 * 0.2 * -0.1]]),  # one year's lag
]

# Wald interval, hand-worked: 0.42 − 0.24 = 0.18; se = sqrt(.42·.58/120 + .24·.76/118).
_SE = math.sqrt(0.42 * 0.58 / 120 + 0.24 * 0.76 / 118)
_Z = 1.959963984540054  # NORM.S.INV(0.975)
SPILLS = [
    ("SI_MEREFFEKT", (0.42, 0.24, 120.0, 118.0), [[0.18, 0.18 - _Z * _SE, 0.18 + _Z * _SE]]),
    ("SI_MEREFFEKT", (0.42, 0.24), [[0.18, "", ""]]),
    # Sygedagpenge (seed 000): 6.2 mio. invested, 7.4 mio. paid, 29.4 mio. saved → bonus 1.2, net 22.0.
    ("SI_AFREGNING", ([[3.1e6, 3.1e6, 0.0]], [[0.0, 0.0, 7.4e6]], [[0.0, 14.7e6, 14.7e6]]), None),
]


@pytest.mark.parametrize("name, args, expected", SPILLS + SPILLS_EXTRA)
def test_spilled_results(name, args, expected):
    got = getattr(xl, name)(*args)
    if expected is None:
        table = dict((label, value) for label, value in got)
        assert table["Investering"] == 6.2e6 and table["Betalinger fra betaler"] == 7.4e6
        assert table["Investors bonus"] == pytest.approx(1.2e6) and table["Betalers nettobesparelse (uden egne omkostninger)"] == pytest.approx(22.0e6)
        return
    assert len(got) == len(expected) and len(got[0]) == len(expected[0])
    for g, e in zip(got[0], expected[0]):
        assert g == (pytest.approx(e, rel=1e-12) if isinstance(e, float) else e)


@pytest.mark.parametrize("name, args, expected", GOOD)
def test_good_input(name, args, expected):
    got = getattr(xl, name)(*args)
    if expected is None:  # SI_BREAK_EVEN: the engine's own break-even
        assert got == pytest.approx(break_even_success_rate(load_business_case(args[0])), abs=0)
        return
    assert got == (pytest.approx(expected, rel=1e-12, abs=1e-9) if not isinstance(expected, str) else expected)


# (function, args, argument named in the message)
BAD = [
    ("SI_TRAPPEBETALING", (0.2, [[0.085, None, 0.12]], [[0.0, 1.0, 2.0]]), "taerskler[2]"),  # empty before a step
    ("SI_TRAPPEBETALING", (0.2, [[None, None]], [[None, None]]), "taerskler"),  # no steps at all
    ("SI_RATEKORT", ([[10.0, 4.0]], [[5_000.0, None, 20_000.0]]), "priser[2]"),
    ("SI_KOMMUNAL_UDGIFT", ("tusind", 1.0, 60.0), "beloeb_pr_uge"),
    ("SI_KOMMUNAL_UDGIFT", (None, 1.0, 60.0), "beloeb_pr_uge"),
    ("SI_KOMMUNAL_UDGIFT", (-1000.0, 1.0, 60.0), "beloeb_pr_uge"),
    ("SI_KOMMUNAL_UDGIFT", (math.nan, 1.0, 60.0), "beloeb_pr_uge"),
    ("SI_KOMMUNAL_UDGIFT", (1000.0, 1.5, 60.0), "fra_uge"),
    ("SI_KOMMUNAL_UDGIFT", (1000.0, -3.0, 60.0), "fra_uge"),
    ("SI_KOMMUNAL_UDGIFT", (1000.0, 10.0, 5.0), "til_uge"),
    ("SI_KOMMUNAL_UDGIFT", (1000.0, 1.0, 60.0, "gammel"), "ordning"),
    ("SI_REFUSIONSSATS", (0.0,), "uge"),
    ("SI_REFUSIONSSATS", ("uge 3",), "uge"),
    ("SI_REFUSIONSSATS", ([[1.0, 2.0]],), "uge"),
    ("SI_REFUSIONSSATS", (True,), "uge"),
    ("SI_DISKONTERINGSFAKTOR", (-1.0,), "aar"),
    ("SI_DISKONTERINGSFAKTOR", (2.0, 3.5), "skema"),  # per cent, not a share
    ("SI_DISKONTERINGSFAKTOR", (2.0, "dansk"), "skema"),
    ("SI_DISKONTERINGSFAKTOR", (dt.datetime(2024, 1, 1),), "aar"),
    ("SI_NUTIDSVAERDI", ([[100.0, None, 3.0]],), "beloeb[2]"),
    ("SI_NUTIDSVAERDI", ([[100.0, "x"]],), "beloeb[2]"),
    ("SI_NUTIDSVAERDI", ([[1.0, 2.0], [3.0, 4.0]],), "beloeb"),
    ("SI_NUTIDSVAERDI", ([[1.0, math.inf]],), "beloeb[2]"),
    ("SI_PRISINDEKS", (2015.0, 2099.0), "til_aar"),
    ("SI_PRISINDEKS", (1800.0, 2020.0), "fra_aar"),
    ("SI_PRISINDEKS", (2015.0, 2020.0, "abc"), "indeks"),
    ("SI_PRISINDEKS", (2015.0, 2020.5), "til_aar"),
    ("SI_ENHEDSPRIS", ("findes_ikke",), "id"),
    ("SI_ENHEDSPRIS", (None,), "id"),
    ("SI_ENHEDSPRIS", (12.0,), "id"),
    ("SI_ENHEDSPRIS", ("faengsel_lukket_dag", 2099.0), "prisaar"),
    ("SI_ENHEDSPRIS", ("faengsel_lukket_dag", None, "borgeren"), "myndighed"),
    ("SI_ENHEDSPRIS", ("faengsel_lukket_dag", None, None, [["id"], ["x"]]), "egne_priser"),
    ("SI_ENHEDSPRIS", ("faengsel_lukket_dag", None, None, "findes_ikke.csv"), "egne_priser"),
    ("SI_ENHEDSPRISER", ("ingen-række-hedder-sådan",), "filter"),
    ("SI_RESULTATBETALING", (96.0, 130.0, 120.0, 7.4e6), "taerskel"),  # threshold above target
    ("SI_RESULTATBETALING", (96.0, 120.0, 120.0, 7.4e6), "taerskel"),
    ("SI_RESULTATBETALING", ("mange", 60.0, 120.0, 7.4e6), "opnaaet"),
    ("SI_RESULTATBETALING", (96.0, 60.0, 120.0, -1.0), "betaling_ved_maal"),
    ("SI_RESULTATBETALING", (96.0, 60.0, 120.0, 7.4e6, math.nan), "loft"),
    ("SI_RATEKORT", ([[-1.0, 4.0]], [5_000.0, 20_000.0]), "antal"),  # negative counts
    ("SI_RATEKORT", ([[1.0, 4.0, 2.0]], [5_000.0, 20_000.0]), "antal"),  # mismatched ranges
    ("SI_RATEKORT", ([[1.0, None]], [5_000.0, 20_000.0]), "antal[1,2]"),
    ("SI_RATEKORT", ([[1.0, 4.0]], [5_000.0, -20_000.0]), "priser"),
    ("SI_RATEKORT", ([[1.0, 4.0]], [5_000.0, 20_000.0], 1_000.0), "deltagere"),
    ("SI_RATEKORT", ([[1.0, 4.0]], [5_000.0, 20_000.0], 1_000.0, 2.5), "deltagere"),
    ("SI_TRAPPEBETALING", (0.1, [0.12, 0.10], [1.0, 2.0]), "taerskler"),  # not increasing
    ("SI_TRAPPEBETALING", (0.1, [0.08, 0.10], [1.0, 2.0, 3.0]), "betalinger"),
    ("SI_MEREFFEKT", (12.0, 0.24), "andel_indsats"),  # per cent, not a share
    ("SI_MEREFFEKT", (0.42, 0.24, 120.0), "n_kontrol"),
    ("SI_MEREFFEKT", (0.42, 0.24, -5.0, 10.0), "n_indsats"),
    ("SI_MEREFFEKT", (0.42, 0.24, 100.0, 100.0, 95.0), "niveau"),
    ("SI_AFREGNING", ([1.0, 2.0], [1.0, 2.0, 3.0], [1.0, 2.0]), "betalinger"),
    ("SI_AFREGNING", ([1.0, 2.0], [1.0, 2.0], [1.0, "x"]), "besparelser[2]"),
    ("SI_AFREGNING", ([-1.0, 2.0], [1.0, 2.0], [1.0, 2.0]), "investering"),
    ("SI_INVESTOR_IRR", ([[100.0, 110.0]],), "pengestroem"),  # no sign change
    ("SI_INVESTOR_IRR", ([[-100.0, 110.0]], [[44927.0]]), "datoer"),
    ("SI_INVESTOR_IRR", ([[-100.0, 110.0]], [["i går", 1.0]]), "datoer[1]"),
    ("SI_INVESTOR_IRR", ([[-100.0, 110.0]], None, -1.0), "gaet"),  # a rate of −100 % has no present value
    ("SI_INVESTOR_IRR", ([[-100.0, 110.0]], [[44927.0, 45292.0]], -2.0), "gaet"),
    ("SI_INVESTOR_IRR", ([[-100.0, 50.0, -100.0]],), "pengestroem"),  # two changes of sign, no rate
    ("SI_BUSINESS_CASE", ("findes_ikke.yaml",), "casefil"),
    ("SI_BUSINESS_CASE", ("notat.docx",), "casefil"),
    ("SI_BUSINESS_CASE", (None,), "casefil"),
    ("SI_NOEGLETAL", (3.0,), "casefil"),
    ("SI_BREAK_EVEN", ("findes_ikke.json",), "casefil"),
    ("SI_BREAK_EVEN", (EXAMPLE, "kommunen"), "hvem"),
    ("SI_MONTE_CARLO", ("findes_ikke.yaml",), "casefil"),
    ("SI_MONTE_CARLO", (EXAMPLE, -5.0), "antal_traek"),
    ("SI_TILBAGEBETALINGSTID", ([[1.0, None]],), "netto[2]"),
    ("SI_EFFEKT", ([[10.0]], [[-1.0]], 30.0), "succesrate"),  # per cent, not a share
    ("SI_EFFEKT", ([[-10.0]], [[-1.0]], 0.3), "deltagere"),
    ("SI_EFFEKT", ([[10.0]], [[-1.0]], 0.3, 0.1, 0.1, 1.5), "forsinkelse"),
    ("SI_EFFEKT", ([[10.0]], [["x"]], 0.3), "profil[1]"),
    ("SI_BESPARELSE", ([[10.0]], [[-1.0]], 0.3, -100.0), "enhedspris"),
    ("SI_ENHEDSPRISER", (None, 2099.0, None, 5.0), "fremskrivning"),
]


@pytest.mark.parametrize("name, args, argument", BAD)
def test_bad_input_gives_danish_message_naming_argument(name, args, argument):
    answer = getattr(xl, name)(*args)
    assert isinstance(answer, str), answer
    assert answer.startswith(f"Fejl i {argument}: "), answer
    assert "Traceback" not in answer and len(answer) < 200


def test_catalogue_spills_with_header():
    table = xl.SI_ENHEDSPRISER("fængsel")
    assert table[0] == xl.CATALOGUE_HEADER
    assert len(table) > 2 and all(len(r) == len(table[0]) for r in table)
    row = {r[0]: r for r in table[1:]}["faengsel_lukket_dag"]
    assert row[4] == 1878.0 and row[7] == 1878.0 and row[5] == 0.0  # total, stat, kommune


def test_catalogue_uprated_to_one_price_year():
    table = xl.SI_ENHEDSPRISER("faengsel_lukket", 2023.0)
    assert table[1][3] == 2023 and table[1][4] == pytest.approx(1878 * NPI[2023] / NPI[2015])


def test_catalogue_marks_rows_it_cannot_uprate():
    """A price year beyond the index table is shown as text, never as a guessed number."""
    table = xl.SI_ENHEDSPRISER(None, 2099.0)
    assert all(r[4] == "prisår uden for indeks" for r in table[1:])
    with_rate = xl.SI_ENHEDSPRISER("faengsel_lukket", 2025.0, None, 0.02)
    last = max(NPI)
    assert with_rate[1][4] == pytest.approx(1878 * NPI[last] * 1.02 ** (2025 - last) / NPI[2015])


def test_own_prices_passed_as_a_range():
    header = ["id", "navn", "enhed", "beloeb", "prisaar", "andel_kommune", "andel_region", "andel_stat",
              "budgetomraade", "kilde_udgiver", "kilde_dokument", "kildetype"]
    row = ["eget_botilbud_dag", "Eget botilbud", "dag", 2500.0, 2023.0, 1.0, 0.0, 0.0,
           "Sociale serviceydelser", "Eksempel Kommune", "Takstblad 2023", "egen"]
    assert xl.SI_ENHEDSPRIS("eget_botilbud_dag", None, "kommune", [header, row]) == 2500.0
    listed = xl.SI_ENHEDSPRISER("eget", None, [header, row])
    assert [r[0] for r in listed[1:]] == ["eget_botilbud_dag"]


# ---------------------------------------------------------------- property-based: junk in, Danish out

JUNK_SCALARS = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e6, 1e6).map(lambda x: round(x, 1)),
    st.integers(-100, 3000).map(float),
    st.sampled_from([float("nan"), -1.0, 0.5, 2.5, 1e300, -0.0, 2023.0, 53.0]),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(["faengsel_lukket_dag", "kommune", "fm_2021", "npi", "refusion_2016", "", "  "]),
)
JUNK = st.one_of(
    JUNK_SCALARS,
    st.lists(JUNK_SCALARS, min_size=0, max_size=4),
    st.lists(st.lists(JUNK_SCALARS, min_size=1, max_size=3), min_size=1, max_size=3),
)


def _is_clean(value) -> bool:
    from udfs.core.vocabulary import NO_OUTLAY

    if value in (xl.NOT_WITHIN, NO_OUTLAY):
        return True
    if isinstance(value, int):
        return True
    if isinstance(value, str):
        return value.startswith("Fejl i ") and "uventet fejl" not in value and "Traceback" not in value
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(isinstance(r, list) and all(isinstance(c, (str, int)) or (isinstance(c, float) and math.isfinite(c)) for c in r) for r in value)
    return False


@pytest.mark.parametrize("name", sorted(xl.REGISTRY))
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_junk_never_escapes(name, data):
    """Over all functions: any junk gives a finite number, a clean table, or a Danish message
    that names one of the function's arguments — never an exception, NaN or a generic error."""
    func = getattr(xl, name)
    params = list(inspect.signature(func).parameters)
    required = sum(1 for p in inspect.signature(func).parameters.values() if p.default is inspect.Parameter.empty)
    n = data.draw(st.integers(required, len(params)))
    args = [data.draw(JUNK, label=params[i]) for i in range(n)]
    answer = func(*args)
    assert _is_clean(answer), (args, answer)
    if isinstance(answer, str) and answer.startswith("Fejl i "):
        named = answer.removeprefix("Fejl i ").split(":")[0].split("[")[0]
        assert named in params or named == "resultat", answer



def test_business_case_table_and_key_figures_from_a_case_file():
    case = load_business_case(EXAMPLE)
    table = xl.SI_BUSINESS_CASE(EXAMPLE)
    assert table[0] == TABLE_HEADER and len(table) == case.horisont + 1
    assert table == yearly_table(run(case))
    figures = dict(xl.SI_NOEGLETAL(EXAMPLE))
    assert figures["Nutidsværdi netto betaler"] == pytest.approx(key_figures(run(case))["nv_betaler"])


def test_monte_carlo_function_is_reproducible():
    a = xl.SI_MONTE_CARLO(EXAMPLE, 2000.0, 5.0)
    assert a == xl.SI_MONTE_CARLO(EXAMPLE, 2000.0, 5.0)
    assert dict(a)["Antal træk"] == 2000


def test_break_even_for_payer_and_investor(tmp_path):
    """The hand-calculated case of tests/test_businesscase.py: the payer stays ≥ 0 from 60 %, the investor gets
    its money back from 2 % and its required 25 % from 8 %."""
    import json

    from tests.feature_cases import LOSS_ABOVE_ZERO

    path = tmp_path / "tab.json"
    path.write_text(json.dumps(LOSS_ABOVE_ZERO), encoding="utf-8")
    assert xl.SI_BREAK_EVEN(str(path)) == pytest.approx(0.60, abs=1e-9)
    assert xl.SI_BREAK_EVEN(str(path), None) == xl.SI_BREAK_EVEN(str(path), "betaler")
    assert xl.SI_BREAK_EVEN(str(path), "investor") == pytest.approx(0.02, abs=1e-12)
    assert xl.SI_BREAK_EVEN(str(path), "investor_krav") == pytest.approx(0.08, abs=1e-12)
    figures = dict(xl.SI_NOEGLETAL(str(path)))
    assert figures["Betaler taber ved succesrater"] == "2,0 %–5,9 %; 50,0 %–60,0 %"


def test_several_internal_rates_in_the_excel_functions(tmp_path):
    """Issue 9: −50, −100, 600, 300, −100 has two rates; LibreOffice's and Excel's IRR (guess 0.1) give 1.8544178."""
    import yaml

    from tests.feature_cases import SEVERAL_RATES

    assert xl.SI_INVESTOR_IRR([[-50.0, -100.0, 600.0, 300.0, -100.0]]) == pytest.approx(1.8544178, abs=5e-8)
    rows = dict(xl.SI_AFREGNING([[50.0, 100.0, 0.0, 0.0, 100.0]], [[0.0, 0.0, 600.0, 300.0, 0.0]], [[0.0] * 5]))
    assert rows["Investors interne rente (IRR)"] == pytest.approx(1.8544178, abs=5e-8)
    assert rows["Investors interne renter"] == "flere interne renter: -76,89 %; 185,44 %"
    path = tmp_path / "flere.yaml"
    path.write_text(yaml.safe_dump(SEVERAL_RATES, allow_unicode=True), encoding="utf-8")
    figures = dict(xl.SI_NOEGLETAL(str(path)))
    # As tests/test_businesscase.py: Excel's IRR −56.52 %, both rates listed
    assert figures["Investors interne rente (IRR)"] == pytest.approx(-0.5651881, abs=1e-7)
    assert figures["Investors interne renter"] == "flere interne renter: -56,52 %; -18,47 %"


def test_key_figures_are_recomputed_when_the_case_file_changes(tmp_path):
    """SI_NOEGLETAL caches by path, modification time and size: an edited file gives new figures."""
    import yaml

    data = yaml.safe_load(Path(EXAMPLE).read_text(encoding="utf-8"))
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = dict(xl.SI_NOEGLETAL(str(path)))
    assert dict(xl.SI_NOEGLETAL(str(path))) == before  # cached: the same figures
    first = xl.SI_NOEGLETAL(str(path))
    first[0][1] = "ændret af kalderen"  # the caller's copy, not the cache
    assert dict(xl.SI_NOEGLETAL(str(path))) == before
    data["indsats"][0]["pr_aar"] = [2 * x for x in data["indsats"][0]["pr_aar"]]  # double the investor's cost
    path.write_text(yaml.safe_dump(data, allow_unicode=True) + "\n# ændret\n", encoding="utf-8")
    after = dict(xl.SI_NOEGLETAL(str(path)))
    # 1.2 mio. × 3 years = 3.6 mio. kr., doubled 7.2 mio. kr.; the investment carries no optimism mark-up (the
    # example's 10 % is on the authorities' costs: udfs.core.engine.cost_factors)
    label = "Investering (investor)"
    assert before[label] == pytest.approx(3_600_000) and after[label] == pytest.approx(7_200_000)
