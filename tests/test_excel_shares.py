"""Shares typed as text, and the step limit of SI_TRAPPEBETALING, through xlwings's own call path.

A share or a rate may reach a function as a text: a cell formatted as text, a pasted value, a text
formula.  Danes type it ``10 %``, ``10%`` or ``0,1``; every share argument reads all three as 0.1, by the
one reader in ``udfs.excel_io.number`` (``udfs.core.danish_numbers.number_from_text``).  A per cent where
the argument is no share (an amount in kr., a count, a ratio) is refused, naming the argument.

The calls go through ``xlwings.udfs.call_udf`` with values shaped as pywin32 hands them over (floats,
tuples of rows, VBA's *Missing*), as in ``tests/test_excel_boundary.py``.
"""

from __future__ import annotations

import pytest

import udfs.excel as xl
from tests.test_excel_boundary import arguments, as_excel, parameters
from tests.test_xlwings_desktop import MISSING, call_like_excel, classic  # noqa: F401  (classic is a fixture)
from tests.test_payment import replace_rule
from udfs.core.errors import SIError
from udfs.core.limits import MAX_STEPS
from udfs.core.payment import parse_payment_model

#: Every argument of every Excel function that is a share, a rate or an outcome that may be measured as a
#: share: a per cent text is read as a share here.  (SI_RATEKORT has none: counts, prices and caps in kr.)
SHARES = {
    "SI_ENHEDSPRIS": {"fremskrivning"},  # annual rate beyond the index
    "SI_ENHEDSPRISER": {"fremskrivning"},
    "SI_PRISINDEKS": {"fremskrivning"},
    "SI_DISKONTERINGSFAKTOR": {"skema"},  # a schedule's name or a constant rate
    "SI_NUTIDSVAERDI": {"skema"},
    "SI_RESULTATBETALING": {"opnaaet", "taerskel", "maal"},  # in the metric's unit, which may be a share
    "SI_TRAPPEBETALING": {"opnaaet", "taerskler"},
    "SI_MEREFFEKT": {"andel_indsats", "andel_kontrol", "niveau"},
    "SI_MAALT_EFFEKT": {"niveau"},
    "SI_MDE": {"andel_kontrol", "styrke", "niveau"},
    "SI_MDE_GENNEMSNIT": {"styrke", "niveau"},
    "SI_STIKPROEVE": {"mde", "andel_kontrol", "styrke", "niveau"},  # forhold is a ratio n1/n0 (4 for 4 to 1)
    "SI_AFREGNING": {"afkastloft", "afkastgulv", "garanti_andel", "betalers_andel", "optimismetillaeg"},
    "SI_INVESTOR_IRR": {"gaet"},
    "SI_EFFEKT": {"succesrate", "doedvaegt", "frafald"},
    "SI_BESPARELSE": {"succesrate", "doedvaegt", "frafald"},
}

#: Arguments that are no number (names, choices, files, dates, week codes, a price table or index range).
NOT_NUMBERS = {"id", "myndighed", "egne_priser", "indeks", "filter", "ordning", "casefil", "hvem", "datoer",
               "koder", "uger", "start", "gruppe", "garant", "garanti_myndighed", "betaler"}

NUMBER_ARGUMENTS = [(name, arg) for name in sorted(xl.REGISTRY) for arg in parameters(name) if arg not in NOT_NUMBERS]

#: A share and the ways Danes type it as text; optimismetillaeg is no longer used and takes only 0.
TEN_PER_CENT = (0.1, ("10 %", "10%", "0,1", "0.1", "10\u00a0%", " 10 % "))
ZERO = (0.0, ("0 %", "0%", "0,0"))

NOT_A_SHARE = "skal være et tal, ikke teksten '10 %'; argumentet er ikke en andel: skriv tallet uden %"


def test_the_share_table_names_real_arguments():
    for name, args in SHARES.items():
        assert args <= set(parameters(name)), (name, args - set(parameters(name)))


@pytest.mark.parametrize(("name", "arg"), NUMBER_ARGUMENTS, ids=[f"{n}.{a}" for n, a in NUMBER_ARGUMENTS])
def test_a_per_cent_text_is_a_share_or_refused_by_name(classic, name, arg):
    """The README example with one argument replaced: in a share "10 %", "10%" and "0,1" give what 0.1 gives;
    elsewhere "10 %" is refused, naming the argument (the first cell, where the argument is a range)."""
    base = as_excel(arguments(name))
    k = parameters(name).index(arg)

    def call(value):
        args = list(base)
        args[k] = value
        return call_like_excel(classic, name, *args)

    if arg in SHARES.get(name, set()):
        value, texts = ZERO if arg == "optimismetillaeg" else TEN_PER_CENT
        number = call(value)
        for text in texts:
            assert call(text) == number, (text, number)
        assert not str(number[0][0]).startswith(f"Fejl i {arg}"), number
    else:
        got = call("10 %")
        assert len(got) == 1 and len(got[0]) == 1, got
        assert got[0][0] in (f"Fejl i {arg}: {NOT_A_SHARE}", f"Fejl i {arg}[1]: {NOT_A_SHARE}",
                             f"Fejl i {arg}[1,1]: {NOT_A_SHARE}"), got


# (function, arguments as Excel hands them over, expected cells) — each figure worked by hand in its comment.
GOOD = [
    # Linear payment on a share: (0,10 − 0,05) / (0,15 − 0,05) × 7.400.000 = 0,5 × 7.400.000 = 3.700.000 kr.
    ("SI_RESULTATBETALING", ("10 %", "5 %", "0,15", 7_400_000.0), 3_700_000.0),
    ("SI_RESULTATBETALING", ("10%", 0.05, "15 %", 7_400_000.0, MISSING), 3_700_000.0),
    # An amount typed as text in Danish: 7.400.000 is 7,4 mio.; same figure.
    ("SI_RESULTATBETALING", ("0,1", "0,05", "0,15", "7.400.000"), 3_700_000.0),
    # Above the target, cap given as text: (0,20 − 0,05) / 0,10 × 7,4 mio. = 11,1 mio., capped at 8 mio.
    ("SI_RESULTATBETALING", ("20 %", "5 %", "15 %", 7_400_000.0, "8.000.000"), 8_000_000.0),
    # Steps 8,5 % / 10 % / 12 % paying 250.000 / 1 mio. / 1,5 mio.: 9,5 % reaches only 8,5 % → 250.000 kr.
    ("SI_TRAPPEBETALING", ("9,5 %", (("8,5 %", "10 %", "12 %"),), ((250_000.0, 1_000_000.0, 1_500_000.0),)), 250_000.0),
    # 10 % reaches 10 % exactly (reaching counts) → 1.000.000 kr.
    ("SI_TRAPPEBETALING", ("10 %", (("8,5 %",), ("10 %",), ("12 %",)), ((250_000.0,), (1_000_000.0,), (1_500_000.0,))), 1_000_000.0),
    # Below the first step: 5 % < 8,5 % → 0 kr.
    ("SI_TRAPPEBETALING", ("5%", ((0.085, 0.10, 0.12),), ((250_000.0, 1_000_000.0, 1_500_000.0),)), 0.0),
    # MAX_STEPS = 8 steps of 1 %-point in a 10-row column with two empty rows: 8 % reaches all 8 → 8 × 1.000 kr.
    ("SI_TRAPPEBETALING", ("8 %", tuple((f"{k} %",) for k in range(1, 9)) + ((None,), (None,)),
                           tuple((1_000.0 * k,) for k in range(1, 9)) + ((None,), (None,))), 8_000.0),
    # Mereffekt: 0,42 − 0,24 = 0,18 (18 procentpoint); no group sizes, no interval.
    ("SI_MEREFFEKT", ("42 %", "0,24"), [[0.18, "", ""]]),
    # Fixed rate 4 %: 1 / 1,04 = 0,961538… after one year; after two 1 / 1,04² = 0,924556…
    ("SI_DISKONTERINGSFAKTOR", (1.0, "4 %"), 1 / 1.04),
    ("SI_NUTIDSVAERDI", (((100.0, 104.0),), "4%"), 200.0),  # 100 + 104 / 1,04 = 200
    # Uprating beyond the index table at 2 % a year from 2023 to 2025: 1,02² = 1,0404.
    ("SI_PRISINDEKS", (2023.0, 2025.0, MISSING, "2 %"), 1.02**2),
    # IRR of −100, 110 from the guess 10 %: −100 + 110 / 1,1 = 0, so 10 %.
    ("SI_INVESTOR_IRR", (((-100.0, 110.0),), MISSING, "10 %"), 0.1),
    # One effect: 10 participants, profile −1 in each of 2 years, (30 % − 10 %) × 10 × −1 = −2 a year.
    ("SI_EFFEKT", (((10.0,),), ((-1.0, -1.0),), "30 %", "10 %"), [[-2.0, -2.0]]),
]


@pytest.mark.parametrize(("name", "args", "expected"), GOOD, ids=[f"{c[0]}{i}" for i, c in enumerate(GOOD)])
def test_shares_typed_as_text(classic, name, args, expected):
    got = call_like_excel(classic, name, *args)
    if isinstance(expected, list):
        assert len(got) == len(expected) and all(len(g) == len(e) for g, e in zip(got, expected)), got
        for row, want in zip(got, expected):
            for cell, value in zip(row, want):
                assert cell == (pytest.approx(value, rel=1e-12, abs=1e-15) if isinstance(value, float) else value), got
    else:
        assert got == [[pytest.approx(expected, rel=1e-12)]], got


STEPS_9 = (tuple(0.01 * k for k in range(1, 10)),)  # 1 %, 2 %, …, 9 %: nine thresholds
PAYMENTS_9 = (tuple(1_000.0 * k for k in range(1, 10)),)

# (function, arguments as Excel hands them over, the cell's text)
BAD = [
    # amounts in kr. and counts are no shares
    ("SI_RESULTATBETALING", (96.0, 60.0, 120.0, "10 %"), f"Fejl i betaling_ved_maal: {NOT_A_SHARE}"),
    ("SI_RESULTATBETALING", (96.0, 60.0, 120.0, 7_400_000.0, "10 %"), f"Fejl i loft: {NOT_A_SHARE}"),
    ("SI_KOMMUNAL_UDGIFT", ("10 %", 1.0, 60.0, MISSING), f"Fejl i beloeb_pr_uge: {NOT_A_SHARE}"),
    ("SI_RATEKORT", (((1.0, 2.0),), ((100.0, "10 %"),)), f"Fejl i priser[2]: {NOT_A_SHARE}"),
    ("SI_RATEKORT", (((1.0, 2.0),), ((100.0, 200.0),), "10 %", 2.0), f"Fejl i loft_pr_deltager: {NOT_A_SHARE}"),
    ("SI_RATEKORT", (((1.0, 2.0),), ((100.0, 200.0),), MISSING, MISSING, "10 %"), f"Fejl i loft_i_alt: {NOT_A_SHARE}"),
    ("SI_TRAPPEBETALING", (0.1, ((0.1, 0.2),), ((1_000.0, "10 %"),)), f"Fejl i betalinger[2]: {NOT_A_SHARE}"),
    ("SI_AFREGNING", (((1.0, 2.0),), ((1.0, 2.0),), ((1.0, 2.0),), MISSING, MISSING, "10 %"),
     f"Fejl i garanti_beloeb: {NOT_A_SHARE}"),
    ("SI_STIKPROEVE", (0.14, 0.5, "10 %"), f"Fejl i forhold: {NOT_A_SHARE}"),  # a ratio, not a share
    ("SI_REFUSIONSSATS", ("10 %", MISSING), f"Fejl i uge: {NOT_A_SHARE}"),
    # a text that is no number, in a share
    ("SI_MEREFFEKT", ("tolv %", 0.24), "Fejl i andel_indsats: skal være et tal, ikke teksten 'tolv %'"),
    # a share read from text is checked as a share: 142 % = 1,42 is over 1
    ("SI_MEREFFEKT", ("142 %", 0.24), "Fejl i andel_indsats: skal være en andel mellem 0 og 1, ikke 1,42; "
                                     "skrev du 1,42 for 1,42 %? Skriv 0,0142 eller 1,42 %"),
    # "12" without % is 12, as the number 12 is: the usual slip, with its hint
    ("SI_MEREFFEKT", ("12", 0.24), "Fejl i andel_indsats: skal være en andel mellem 0 og 1, ikke 12; "
                                  "skrev du 12 for 12 %? Skriv 0,12 eller 12 %"),
    # the step limit: nine thresholds (and nine payments) where MAX_STEPS = 8 are allowed
    ("SI_TRAPPEBETALING", (0.05, STEPS_9, PAYMENTS_9),
     f"Fejl i taerskler: har for mange elementer (højst {MAX_STEPS}; se README, Grænser)"),
    # nine thresholds as per cent texts in a column, nine payments: the same
    ("SI_TRAPPEBETALING", ("5 %", tuple((f"{k} %",) for k in range(1, 10)), tuple((1_000.0 * k,) for k in range(1, 10))),
     f"Fejl i taerskler: har for mange elementer (højst {MAX_STEPS}; se README, Grænser)"),
    # one payment per threshold: three thresholds, two payments, in step tables of eight rows
    ("SI_TRAPPEBETALING", (0.1, ((0.085,), (0.10,), (0.12,)) + ((None,),) * 5, ((0.0,), (1_000_000.0,)) + ((None,),) * 6),
     "Fejl i betalinger: har 2 trin, men taerskler har 3 — angiv én betaling pr. tærskel"),
    ("SI_TRAPPEBETALING", (0.1, ((0.085, 0.10),), ((0.0, 1.0, 2.0),)),
     "Fejl i betalinger: har 3 trin, men taerskler har 2 — angiv én betaling pr. tærskel"),
    # nine payments for eight thresholds: the thresholds are within the limit, the payments do not match them
    ("SI_TRAPPEBETALING", (0.05, (STEPS_9[0][:8],), PAYMENTS_9),
     "Fejl i betalinger: har 9 trin, men taerskler har 8 — angiv én betaling pr. tærskel"),
]


@pytest.mark.parametrize(("name", "args", "message"), BAD, ids=[f"{c[0]}{i}" for i, c in enumerate(BAD)])
def test_refused_with_a_danish_message_naming_the_argument(classic, name, args, message):
    assert call_like_excel(classic, name, *args) == [[message]]


def test_the_limit_and_its_words_are_the_case_files():
    """SI_TRAPPEBETALING's limit is the case file's: MAX_STEPS = 8 (udfs/core/limits.py, the rows of the
    workbook's step table), and a case file's step rule says it in the same words."""
    assert MAX_STEPS == 8
    rule = {"type": "trappe", "taerskler": [0.01 * k for k in range(1, 10)], "betalinger": [1_000.0 * k for k in range(1, 10)]}
    with pytest.raises(SIError) as info:
        parse_payment_model(replace_rule(rule))
    assert info.value.argument == "betalingsmodel.resultatmaal[0].regel.taerskler"
    assert info.value.message == f"har for mange elementer (højst {MAX_STEPS}; se README, Grænser)"
