"""Synthetic large cases for the benchmarks (data only, readable by today's and older code).

:func:`large_case_data` is a business case of ``years`` years and ``effects``
effects, every effect with an uncertain success rate and drop-off, and a
payment metric on the payer's savings, so every part of the engine and the
workbook grows with the case.  The figures are made up; only the size matters.
"""

from __future__ import annotations

UNITS = (
    "kontanthjaelp_30plus_ikke_forsoerger_uge",
    "sygesikring_oevrige_behandlere_0_17_kontakt",
    "faengsel_lukket_dag",
    "anbringelse_plejefamilie_aar",
    "kontanthjaelp_u30_udeboende_uge",
    "kontanthjaelp_30plus_forsoerger_uge",
)


def large_case_data(years: int = 30, effects: int = 30) -> dict:
    """A case file's content (dict) with ``years`` years and ``effects`` effects."""
    intake = min(years, 10)
    effect_list, distributions = [], {}
    for e in range(effects):
        eid = f"effekt{e + 1:02d}"
        effect_list.append({
            "id": eid, "navn": f"Effekt {e + 1}", "enhedspris": UNITS[e % len(UNITS)],
            "profil": [-(5 + (e + k) % 7) for k in range(min(years, 10))],
            "succesrate": 0.3, "doedvaegt": 0.05, "frafald": 0.1, "forsinkelse": e % 3,
        })  # fmt: skip
        distributions[f"effekter.{eid}.succesrate"] = {"fordeling": "triangulaer", "min": 0.2, "mest_sandsynlig": 0.3, "max": 0.4}
        distributions[f"effekter.{eid}.frafald"] = {"fordeling": "uniform", "min": 0.05, "max": 0.2}
    distributions["omkostningsfaktor"] = {"fordeling": "normal", "middel": 1.0, "spredning": 0.1}
    return {
        "navn": f"Stor case ({years} år, {effects} effekter)", "prisaar": 2023, "startaar": 2026, "horisont": years,
        "diskontering": "fm_2021", "visning": "kommune", "forloebsaar": 1, "deltagere": [40] * intake,
        "indsats": [
            {"navn": "Indsats (investor)", "betaler": "investor", "type": "drift", "pr_aar": [1_200_000] * intake},
            {"navn": "Koordinering", "betaler": "kommune", "type": "drift", "pr_aar": [150_000] * intake},
        ],
        "effekter": effect_list,
        "betalingsmodel": {"resultatmaal": [{
            "id": "besparelse", "navn": "Andel af besparelsen", "enhed": "kr.", "datakilde": "Kommunens data",
            "maaletidspunkt": "Ved udgangen af år 4", "aar": min(4, years - 1),
            "regel": {"type": "besparelsesandel", "andel": 0.3}, "loft": 12_000_000,
        }]},
        "maaling": {"besparelse": {"maal": "besparelse"}},
        "usikkerhed": {"antal_traek": 10_000, "seed": 2026, "fordelinger": distributions},
    }  # fmt: skip
