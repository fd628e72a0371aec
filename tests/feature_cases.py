"""Cases that exercise every payment rule, the contract cap and an index fremskrivning (built on the
worked example of tests/test_engine.py); used by the workbook tests."""

import copy
from pathlib import Path

import yaml

from tests.test_engine import WORKED

def metric(mid, aar, regel, **kw):
    return {"id": mid, "navn": mid, "enhed": "x", "datakilde": "x", "maaletidspunkt": "x", "aar": aar, "regel": regel, **kw}

RATECARD = copy.deepcopy(WORKED)
RATECARD |= {"prisaar": 2025, "fremskrivning": 0.02, "indeks": "npi"}
RATECARD["indsats"].append({"navn": "Investor", "betaler": "investor", "pr_aar": [150_000, 150_000]})
RATECARD["betalingsmodel"] = {"resultatmaal": [metric("ratekort", 3, {"type": "ratekort", "udfald": ["job", "anbringelse"],
    "priser": [20_000, 50_000], "loft_pr_deltager": 6_000, "loft_i_alt": 400_000})]}
RATECARD["maaling"] = {"ratekort": [{"effekt": "job", "maal": "antal"}, {"effekt": "anbringelse", "maal": "antal"}]}

TIERS = copy.deepcopy(WORKED)
TIERS["indsats"].append({"navn": "Investor", "betaler": "investor", "pr_aar": [100_000, 100_000]})
TIERS["betalingsmodel"] = {"loft_kontrakt": 250_000, "resultatmaal": [
    metric("trin", 2, {"type": "trappe", "taerskler": [0.1, 0.2, 0.3], "betalinger": [50_000, 120_000, 200_000]}),
    metric("andel", 4, {"type": "besparelsesandel", "andel": 0.2}, loft=150_000)]}
TIERS["maaling"] = {"trin": {"effekt": "job", "maal": "andel"}, "andel": {"maal": "besparelse"}}

CAPPED = copy.deepcopy(RATECARD)
CAPPED["betalingsmodel"]["loft_kontrakt"] = 100_000
CAPPED["indsats"][0]["pr_aar"] = [300_000] * 3

STEP = copy.deepcopy(TIERS)  # a large step: the break-even sits where the payer's PV jumps or bends
STEP["indsats"][0]["pr_aar"] = [150_000] * 3
STEP["betalingsmodel"]["resultatmaal"][0]["regel"]["betalinger"] = [5_000, 400_000, 900_000]

REFUSION = copy.deepcopy(TIERS)  # the saved benefit weeks fall early in the spells: kommune 60 %, stat 40 %
REFUSION["effekter"][0]["refusion"] = {"uge": 10}
REFUSION["effekter"][1]["refusion"] = {"uge": 30, "ordning": "medfinansiering_2016"}

# Issue 9: the investor also pays a final evaluation (1.5 mio. kr., 1.65 mio. with optimism) in year 5, after
# the outcome payment in year 4, so the investor's flow changes sign twice and has two internal rates,
# −56.5 % and −18.5 %.  Excel's IRR from the guess 0.1 reaches −56.5 %: the workbook and the core must agree.
SEVERAL_RATES = yaml.safe_load((Path(__file__).resolve().parents[1] / "workbooks" / "cases" / "eksempel_ungeindsats.yaml").read_text(encoding="utf-8"))
SEVERAL_RATES["indsats"].append({"navn": "Afsluttende evaluering (investor)", "betaler": "investor", "type": "drift",
                                 "pr_aar": [0, 0, 0, 0, 0, 1_500_000]})

FEATURE_CASES = {"flere_interne_renter": SEVERAL_RATES, "refusionsuge": REFUSION, "ratekort_fremskrivning": RATECARD, "trappe_andel_kontraktloft": TIERS, "ratekort_kontraktloft": CAPPED,
                 "trappe_stort_trin": STEP}
