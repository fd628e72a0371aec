"""Every error found while reading a workbook names the cell the user must change, with its label: an id typed
with spaces around it (which no cell shows) at the cell holding the spaces, and a rule across fields (a risk's
min ≤ most likely ≤ max, an own price's three shares, a payer's fund) at the field's cell, not by the case path."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbooks import book
from workbooks.cli import load, main

from .test_danish_input import typed

CASES = Path(__file__).resolve().parents[1] / "workbooks" / "cases"
OWN = "merbeskaeftigelse_pris"  # Job til mor's own price (Enhedspriser: Egne priser row 1, chosen in id row 1)
RISK = {("rk_beskrivelse", 1): "Forsinket opstart", ("rk_sandsynlighed", 1): 0.5}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return book.build(load(str(CASES / "job_til_mor.yaml")), tmp_path_factory.mktemp("wb") / "mor.xlsx")


def spaces(text: str, where: str) -> str:
    return f"'{text}' har {where}, som cellen ikke viser, og så finder regnearkets formler ikke '{text}'; skriv '{text}' i cellen igen uden mellemrum"


# (cells typed, the cell named, its label, the message): the cell named is the one holding the fault.
CELLS = [
    # finding 1: an id with a space the cell does not show, named at the cell holding it, on every sheet
    ({("eff1_enhedspris", 0): OWN + " "}, "eff1_enhedspris", "Effekt 1, Enhedspris (id fra arket Enhedspriser)", spaces(OWN, "et mellemrum efter")),
    ({("ep_id", 0): OWN + " "}, "ep_id", "id (vælg på listen), Enhedspris 1", spaces(OWN, "et mellemrum efter")),
    ({("eg_id", 0): " " + OWN}, "eg_id", "Id (små bogstaver, tal og understregning), Egen pris 1", spaces(OWN, "et mellemrum før")),
    ({("eff1_id", 0): " merbeskaeftigelse  "}, "eff1_id", "Effekt 1, Id (kort navn uden mellemrum)",
     spaces("merbeskaeftigelse", "et mellemrum før og 2 mellemrum efter")),
    ({("bm1_id", 0): "merbeskaeftigelse "}, "bm1_id", "Resultatmål 1, Id (kort navn uden mellemrum)", spaces("merbeskaeftigelse", "et mellemrum efter")),
    ({("bm1_effekt", 0): "merbeskaeftigelse "}, "bm1_effekt", "Resultatmål 1, Måles på effekt (id)", spaces("merbeskaeftigelse", "et mellemrum efter")),
    ({("bt_fond", 3): "fond "}, "bt_fond", "Resultatfond (id), Central resultatfond", spaces("fond", "et mellemrum efter")),
    ({("mc_driver", 0): "omkostningsfaktor "}, "mc_driver", "Driver (navnet fra case-filen; i ord i rækken ovenfor), Fordeling 1",
     spaces("omkostningsfaktor", "et mellemrum efter")),
    ({("omk1_type", 0): "drift "}, "omk1_type", "Omkostning 1, Type", spaces("drift", "et mellemrum efter")),
    ({("visning", 0): "Kommune "}, "visning", "Resultat vises for", spaces("Kommune", "et mellemrum efter")),  # a word for a code
    # finding 2: a rule across fields, named at the field to change
    (RISK | {("rk_min", 1): 300_000, ("rk_mest_sandsynlig", 1): 200_000, ("rk_max", 1): 400_000}, "rk_min",
     "Konsekvens min. (kr.), Risiko 2", "mindst må ikke være over den mest sandsynlige værdi (mindst ≤ mest sandsynlig ≤ højst (kr.))"),
    # a max below the most likely value is named at the max cell (Risici!G…), not at the min
    (RISK | {("rk_min", 1): 100_000, ("rk_mest_sandsynlig", 1): 200_000, ("rk_max", 1): 150_000}, "rk_max",
     "Konsekvens maks. (kr.), Risiko 2", "højst må ikke være under den mest sandsynlige værdi (mindst ≤ mest sandsynlig ≤ højst (kr.))"),
    ({("eg_andel_region", 0): None}, "eg_andel_region", "Andel region, Egen pris 1",
     "andelene for kommune, region og stat skal udfyldes alle tre eller ingen"),
    ({("eg_andel_stat", 1): None}, "eg_andel_stat", "Andel stat, Egen pris 2",
     "andelene for kommune, region og stat skal udfyldes alle tre eller ingen"),
    ({("rk_beskrivelse", 3): "Nøglemedarbejder stopper", ("rk_sandsynlighed", 3): 0.2, ("rk_min", 3): None}, "rk_min",
     "Konsekvens min. (kr.), Risiko 4",
     "mangler Konsekvens min. (kr.), Konsekvens mest sandsynlig (kr.), Konsekvens maks. (kr.) (udfyld rækken helt, eller tøm den)"),
    ({("bm1_effekt", 0): None}, "bm1_effekt", "Resultatmål 1, Måles på effekt (id)", "mangler (kun besparelse kan måles på alle effekter)"),
    ({("bm1_maal", 0): "besparelse"}, "bm1_maal", "Resultatmål 1, Måles som", "besparelsesandel måles som besparelse, de andre regler ikke"),
    ({("bt_andel", 0): 0.5, ("bt_fond", 1): "fond"}, "bt_fond", "Resultatfond (id), Region",
     "kun betaleren 'fond' kan have en fond; 'region' har en andel"),
    ({("bt_andel", 1): 0.6, ("bt_andel", 0): 0.7}, "bt_andel", "Fast andel af hver betaling, Kommune",
     "andelene skal summe til 1 (100 %), men summerer til 1,3"),
]  # fmt: skip


@pytest.mark.parametrize(("cells", "name", "label", "message"), CELLS)
def test_a_workbook_error_names_the_cell_to_change_and_its_label(built, tmp_path, capsys, cells, name, label, message):
    path, where = typed(built, tmp_path / "t.xlsx", cells)
    capsys.readouterr()
    assert main(["extract", str(path), "-o", str(tmp_path / "t.yaml")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"Fejl i {where[name]} ({label}): {message} (fil: t.xlsx)", err
    assert not (tmp_path / "t.yaml").exists()


def test_the_workbooks_formulas_do_not_find_an_id_with_a_space_either(soffice, built, tmp_path):
    """Why the reader refuses rather than trims: LibreOffice, recalculating the workbook, matches ids as Excel does
    (MATCH, =) and does not find an id with a space after it, wherever the space is typed; the same ids without the
    space are found (the built workbook)."""
    from workbooks.recalc import recalculating
    from workbooks.reader import read_values
    from workbooks.standard import layout_from_info

    variants = [{}, {("ep_id", 0): OWN + " "}, {("eg_id", 0): OWN + " "}, {("eff1_enhedspris", 0): OWN + " "}]
    paths = [typed(built, tmp_path / f"v{k}.xlsx", cells)[0] for k, cells in enumerate(variants)]
    with recalculating(paths) as result:
        v = [read_values(result(k), layout_from_info, ["ep_type", "ep_effektfejl"]) for k in range(len(paths))]
    assert v[0]["ep_type"][0] == "Egen pris" and v[0]["ep_effektfejl"] in (None, "")  # no space: found
    assert v[1]["ep_type"][0] == "Ukendt id"  # the id chosen on Enhedspriser, with a space: neither own nor Katalog
    assert v[2]["ep_type"][0] == "Ukendt id"  # the own price's id with a space: the chosen id finds no own price
    assert v[3]["ep_effektfejl"].startswith(f"Effekt 1 (merbeskaeftigelse) bruger enhedspris '{OWN} ', som ikke står på arket Enhedspriser")
