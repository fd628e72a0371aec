"""Cases that exercise every payment rule, the contract cap and an index fremskrivning (built on the
worked example of tests/test_engine.py); used by the workbook tests."""

import copy
from pathlib import Path

import yaml

from tests.test_engine import WORKED

# Costs and savings for kommune, region and stat, an investor, every payment rule (illustrative).
EVERY_AUTHORITY = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "workbooks" / "cases" / "eksempel_alle_myndigheder.yaml").read_text(encoding="utf-8")
)

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

REGION_PAYS = copy.deepcopy(EVERY_AUTHORITY) | {"betaler": "region", "visning": "offentlig"}
STATE_PAYS = copy.deepcopy(EVERY_AUTHORITY) | {"betaler": "stat"}

# Issue 9: the investor also pays a final evaluation (1.5 mio. kr., 1.65 mio. with optimism) in year 5, after
# the outcome payment in year 4, so the investor's flow changes sign twice and has two internal rates,
# −56.5 % and −18.5 %.  Excel's IRR from the guess 0.1 reaches −56.5 %: the workbook and the core must agree.
SEVERAL_RATES = yaml.safe_load((Path(__file__).resolve().parents[1] / "workbooks" / "cases" / "eksempel_ungeindsats.yaml").read_text(encoding="utf-8"))
# The investor's flow −1.32, −1.32, −1.32, 0, 4.2, −1.65 mio. kr. (the investment carries no optimism mark-up, so the
# cost lines are written as the flow needs them): two internal rates, −56.52 % and −18.47 %.
assert SEVERAL_RATES["indsats"][0]["betaler"] == "investor"
SEVERAL_RATES["indsats"][0]["pr_aar"] = [1_320_000] * 3
SEVERAL_RATES["indsats"].append({"navn": "Afsluttende evaluering (investor)", "betaler": "investor", "type": "drift",
                                 "pr_aar": [0, 0, 0, 0, 0, 1_650_000]})

FEATURE_CASES = {"region_betaler": REGION_PAYS, "stat_betaler": STATE_PAYS, "flere_interne_renter": SEVERAL_RATES, "refusionsuge": REFUSION, "ratekort_fremskrivning": RATECARD, "trappe_andel_kontraktloft": TIERS, "ratekort_kontraktloft": CAPPED,
                 "trappe_stort_trin": STEP}

# The payer gains nothing and loses nothing at 0 %, loses from 2 % to 5.9 % and from 50 % to 60 % (tier steps),
# and gains from 60 %: the break-even is 60 %, not 0 (the hand calculation is in tests/test_businesscase.py).
LOSS_ABOVE_ZERO = {
    "navn": "Tab over nul", "prisaar": 2023, "horisont": 2, "diskontering": 0.0, "deltagere": [100],
    "indsats": [{"navn": "Investor", "betaler": "investor", "pr_aar": [50_000]}],
    "investor": {"krav_til_afkast": 0.25},
    "egne_priser": [{
        "id": "enhed_1000", "navn": "Enhed til 1.000 kr.", "enhed": "haendelse", "beloeb": 1000.0, "prisaar": 2023,
        "andel_kommune": 1, "andel_region": 0, "andel_stat": 0, "budgetomraade": "Eksempel",
        "kilde_udgiver": "Regneeksempel", "kilde_dokument": "Testens egen pris", "kildetype": "egen",
    }],
    "effekter": [{"id": "effekt", "navn": "Effekt", "enhedspris": "enhed_1000", "profil": [-10], "succesrate": 0.3}],
    "betalingsmodel": {"resultatmaal": [metric("trin", 1, {"type": "trappe", "taerskler": [2, 8, 50],
                                                          "betalinger": [59_000, 66_000, 600_000]})]},
    "maaling": {"trin": {"effekt": "effekt", "maal": "antal"}},
}
FEATURE_CASES["tab_over_nul"] = LOSS_ABOVE_ZERO

# A rate card whose total cap binds where the counts are piecewise linear in the success rate: "anbringelse"
# counts from 5 % (its deadweight), "job" from 10 % (its control group), so the gross payment is
# 2 000 000 × (s − 0.05) up to 10 %, then 2 800 000 × s − 180 000, and reaches the cap of 300 000 at s = 480 / 2 800
# = 17.14 %, not at 300 000 / 2 620 000 = 11.45 % (the line from s = 0 to s = 1).  The payer breaks even at 14.9 %,
# between the two: only the piecewise crossing gives the workbook the core's break-even.
CLIPPED = copy.deepcopy(WORKED)
CLIPPED["indsats"][0]["pr_aar"] = [50_000]
CLIPPED["betalingsmodel"] = {"resultatmaal": [metric("ratekort", 1, {"type": "ratekort", "udfald": ["job", "anbringelse"],
    "priser": [20_000, 50_000], "loft_i_alt": 300_000})]}
CLIPPED["maaling"] = {"ratekort": [{"effekt": "job", "maal": "antal"}, {"effekt": "anbringelse", "maal": "antal"}]}
FEATURE_CASES["ratekort_loft_mellem_klip"] = CLIPPED

# A profile that runs past the horizon: intake in year 2 lands after the 3-year horizon (hand calculation in
# tests/test_businesscase.py).
AFTER_HORIZON = {
    "navn": "Efter horisonten", "prisaar": 2023, "startaar": 2025, "horisont": 3, "diskontering": 0.04,
    "forloebsaar": 1, "deltagere": [10, 0, 10],
    "indsats": [{"navn": "Indsats", "betaler": "kommune", "pr_aar": [5_000]}],
    "egne_priser": [{
        "id": "enhed_60_40", "navn": "Enhed (kommune 60 %, stat 40 %)", "enhed": "haendelse", "beloeb": 1000.0,
        "prisaar": 2023, "andel_kommune": 0.6, "andel_region": 0, "andel_stat": 0.4, "budgetomraade": "Eksempel",
        "kilde_udgiver": "Regneeksempel", "kilde_dokument": "Testens egen pris", "kildetype": "egen",
    }],
    "effekter": [{"id": "effekt", "navn": "Effekt", "enhedspris": "enhed_60_40", "profil": [-2, -1], "succesrate": 0.5}],
}
# Long delays past the horizon: years after 35 and 70 use Finansministeriet's second and third rates.
LONG_AFTER = copy.deepcopy(AFTER_HORIZON) | {"horisont": 30, "diskontering": "fm_2021", "forloebsaar": 5,
                                            "deltagere": [10] * 30}
LONG_AFTER["effekter"][0] |= {"forsinkelse": 25, "profil": [-1] * 30, "frafald": 0.02}
FEATURE_CASES |= {"efter_horisonten": AFTER_HORIZON, "lang_efter_horisonten": LONG_AFTER}

# A risk register (sheet Risici): three risks, one with a zero minimum and no owner, and a region payer,
# so the risk pool, the present values after it and who pays and who gains are all checked by LibreOffice.
# Risk pool by hand (PERT mean × probability): 0.3 × (100 000 + 4 × 250 000 + 600 000)/6 = 85 000;
# 0.1 × (0 + 4 × 400 000 + 1 000 000)/6 = 43 333.33; 0.5 × (20 000 + 4 × 50 000 + 80 000)/6 = 25 000; sum 153 333.33.
RISKS = copy.deepcopy(REGION_PAYS) | {"navn": "Risikoregister", "risici": [
    {"beskrivelse": "Færre deltagere end planlagt", "ejer": "Jobcenterchef", "sandsynlighed": 0.3,
     "min": 100_000, "mest_sandsynlig": 250_000, "max": 600_000},
    {"beskrivelse": "Leverandøren kan ikke levere", "ejer": "Indkøb", "sandsynlighed": 0.1,
     "min": 0, "mest_sandsynlig": 400_000, "max": 1_000_000},
    {"beskrivelse": "Målingen forsinkes", "sandsynlighed": 0.5, "min": 20_000, "mest_sandsynlig": 50_000, "max": 80_000},
]}
FEATURE_CASES["risikoregister"] = RISKS

def one_effect(navn: str, indsats: dict, profil: list, resultatmaal: list, maaling: dict, effect: dict | None = None, **case) -> dict:
    """A two-year case without discounting: 100 participants, one effect priced 1,000 kr. a unit (the kommune's own
    price of LOSS_ABOVE_ZERO), success rate 50 %; ``case`` adds or replaces top-level fields (a contract cap goes
    in ``resultatmaal``'s model through ``loft_kontrakt``)."""
    cap = case.pop("loft_kontrakt", None)
    return {
        "navn": navn, "prisaar": 2023, "horisont": 2, "diskontering": 0.0, "deltagere": [100], "indsats": [indsats],
        "egne_priser": copy.deepcopy(LOSS_ABOVE_ZERO["egne_priser"]),
        "effekter": [{"id": "effekt", "navn": "Effekt", "enhedspris": "enhed_1000", "profil": profil, "succesrate": 0.5, **(effect or {})}],
        "betalingsmodel": {**({"loft_kontrakt": cap} if cap else {}), "resultatmaal": resultatmaal}, "maaling": maaling, **case,
    }


# The payer loses below its deadweight (the net success rate is negative: the model books extra benefit weeks) and
# above it (a step payment), and the largest loss is sought from the deadweight up.  By hand (discount rate 0,
# horizon 2): 100 participants, deadweight 10 %, 20 units of 1,000 kr. (kommune) saved per net success in year 0:
# savings 100 × (s − 0.10) × 20,000 = 2,000,000 × (s − 0.10) kr.; the payer's own cost 200,000 kr. in year 0; a
# step of 300,000 kr. paid in year 1 from 20 net successes, 100 × (s − 0.10) ≥ 20, i.e. s ≥ 30 %.
#   PV(s) = 2,000,000 × (s − 0.10) − 200,000 for s < 30 %: −400,000 at 0, −200,000 at 10 % (the deadweight),
#           0 at 20 %, 200,000 just below 30 %;
#   PV(s) = 2,000,000 × (s − 0.10) − 500,000 from 30 %: −100,000 at 30 %, 0 at 35 %, 1,300,000 at 100 %.
# Losses 0–20 % and 30–35 %; break-even 35 %; the largest loss from the deadweight up is 200,000 kr. (at 10 %),
# against 400,000 kr. over 0–100 % (at 0, where the intervention makes things worse).
LOSS_BELOW_DEADWEIGHT = one_effect(
    "Tab under dødvægten", {"navn": "Kommunens indsats", "betaler": "kommune", "pr_aar": [200_000]}, [-20],
    [metric("trin", 1, {"type": "trappe", "taerskler": [20], "betalinger": [300_000]})],
    {"trin": {"effekt": "effekt", "maal": "antal"}}, effect={"doedvaegt": 0.1})
FEATURE_CASES["tab_under_doedvaegt"] = LOSS_BELOW_DEADWEIGHT

# The payer (kommune) is its own guarantor, covering 500,000 kr. of the investor's 1,000,000 kr.: its guarantee's
# payment MAX(0, MIN(500,000, 1,000,000 − P)) bends its present value where the payments P reach 500,000 and
# 1,000,000 kr.  Savings 2,000,000 × s (100 participants × 20 units × 1,000 kr.), payments P = 4,000,000 × s up to
# 1,000,000 at s = 25 % (a linear rule from 0 to 25 persons); no discounting.  By hand, the payer's PV:
#   0–12,5 %:   2,000,000 s − 4,000,000 s − 500,000               = −500,000 − 2,000,000 s  (−750,000 at 12,5 %)
#   12,5–25 %:  2,000,000 s − 4,000,000 s − (1,000,000 − 4,000,000 s) = 2,000,000 s − 1,000,000 (−500,000 at 25 %)
#   25–100 %:   2,000,000 s − 1,000,000                           (0 at 50 %, 1,000,000 at 100 %)
# One loss interval 0–50 %, break-even 50 %, largest loss 750,000 kr. at 12,5 % -- a bend of the guarantee, no
# rule's knot (the rule's knots are 0 and 25 %, where the PV is −500,000).
GUARANTEE_BEND = one_effect(
    "Garantens knæk", {"navn": "Investor", "betaler": "investor", "pr_aar": [1_000_000]}, [-20],
    [metric("linje", 1, {"type": "lineaer", "taerskel": 0, "maal": 25, "betaling_ved_maal": 1_000_000})],
    {"linje": {"effekt": "effekt", "maal": "antal"}},
    garanti={"garant": "Kommunen", "myndighed": "kommune", "beloeb": 500_000})
FEATURE_CASES["garantens_knaek"] = GUARANTEE_BEND

# A rate card's total cap binds between two knots of the other rule, and the contract cap binds after it: the
# payments bend twice between the linear rule's knots 20 % and 60 %.  Savings 4,000,000 × s (100 participants × 40
# units × 1,000 kr.), the kommune pays; a linear rule on the share pays 5,000,000 × (s − 0,2) from 20 % to 60 %
# (2,000,000 at 60 %), a rate card 20,000 kr. per person (100 s persons) up to 800,000 kr. (reached at 40 %), the
# contract cap 2,000,000 kr.; no discounting.  By hand, the payments P and the payer's PV 4,000,000 s − P:
#   0–20 %:   P = 2,000,000 s                                   PV = 2,000,000 s ≥ 0
#   20–40 %:  P = 2,000,000 s + 5,000,000 (s − 0,2)             PV = 1,000,000 − 3,000,000 s (0 at 33,3 %, −200,000 at 40 %)
#   40–44 %:  P = 800,000 + 5,000,000 (s − 0,2)                 PV = 200,000 − 1,000,000 s   (−240,000 at 44 %)
#   44–100 %: P = 2,000,000 (the contract cap, reached at 800,000 + 5,000,000 × 0,24) PV = 4,000,000 s − 2,000,000 (0 at 50 %)
# Break-even 50 %, losses from 33,3 %, the largest loss 240,000 kr. at 44 % -- where the contract cap starts to
# bind, which interpolating the payments between the linear rule's knots alone put at 46,7 %
# (400,000 + 2,400,000 × (s − 0,2) / 0,4 = 2,000,000), giving 200,000 kr.
CAP_AFTER_RATE_CARD_CAP = one_effect(
    "Kontraktloft efter ratekortets loft", {"navn": "Investor", "betaler": "investor", "pr_aar": [1_000_000]}, [-40],
    [metric("linje", 1, {"type": "lineaer", "taerskel": 0.2, "maal": 0.6, "betaling_ved_maal": 2_000_000}),
     metric("kort", 1, {"type": "ratekort", "udfald": ["person"], "priser": [20_000], "loft_i_alt": 800_000})],
    {"linje": {"effekt": "effekt", "maal": "andel"}, "kort": [{"effekt": "effekt", "maal": "antal"}]},
    loft_kontrakt=2_000_000)
FEATURE_CASES["kontraktloft_efter_ratekortloft"] = CAP_AFTER_RATE_CARD_CAP

# The investor's return floor and cap bend the payer's present value where no rule knots: savings 2,000,000 × s
# (100 participants × 20 units × 1,000 kr.), the kommune pays; a linear rule pays 4,000,000 × s (0 to 50 persons,
# 2,000,000 kr. at 50) in year 1; the investor invests 1,000,000 kr.; afkastgulv −50 % (the payments at least
# 1,000,000 × 0,5 = 500,000 kr.) and afkastloft 20 % (at most 1,000,000 × 1,2 = 1,200,000 kr.); no discounting.
# By hand, the payments P and the payer's PV 2,000,000 s − P:
#   0–12,5 %:   P = 500,000 (the floor; 4,000,000 s below it)   PV = 2,000,000 s − 500,000  (−500,000 at 0, −250,000 at 12,5 %)
#   12,5–30 %:  P = 4,000,000 s                                 PV = −2,000,000 s            (−600,000 at 30 %)
#   30–100 %:   P = 1,200,000 (the cap)                         PV = 2,000,000 s − 1,200,000 (0 at 60 %, 800,000 at 100 %)
# Break-even 60 %, losses from 0, the largest loss 600,000 kr. at 30 %, where the cap starts to bind -- no rule
# knot (the rule's knots are 0 and 50 %); the investor gets its money back (P = 1,000,000) at 25 % and loses at
# most 500,000 kr. (at the floor).  At the case's 50 % the cap cuts 2,000,000 − 1,200,000 = 800,000 kr. in year 1.
RETURN_LIMITS = one_effect(
    "Afkastgulv og afkastloft", {"navn": "Investor", "betaler": "investor", "pr_aar": [1_000_000]}, [-20],
    [metric("linje", 1, {"type": "lineaer", "taerskel": 0, "maal": 50, "betaling_ved_maal": 2_000_000})],
    {"linje": {"effekt": "effekt", "maal": "antal"}}, afkastgulv=-0.5, afkastloft=0.2)
FEATURE_CASES["afkastgulv_og_afkastloft"] = RETURN_LIMITS
