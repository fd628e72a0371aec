"""The Katalog sheet and unit prices chosen by id on Enhedspriser.

A unit price is picked by its id from a list and everything else on its row is
looked up by formula, from the Katalog or from the kommune's own prices (Egne
priser), which carry their own source.  Checked by LibreOffice's recalculation
against the core, and by reading the workbook back.
"""

from __future__ import annotations

import math

import openpyxl
import pytest

from udfs.core.case_model import Case, parse_case
from udfs.core.casefile import load_business_case
from udfs.core.data import SOURCE_KIND_SHOWN, UnitCost, catalogue
from udfs.core.vocabulary import UNIT_WORDS
from udfs.core.errors import SIError
from udfs.core.plausibility import own_price_warnings
from udfs.excel import SI_ENHEDSPRIS
from workbooks import book
from workbooks.layout import describe
from workbooks.cli import example_cases
from workbooks.reader import open_template, read_values
from workbooks.recalc import recalculating
from workbooks.standard import SPARE_OWN, SPARE_UNITS, UNIT_FIELDS, dims_of, layout_from_info
from tests.typing_cells import type_cells

CASE = load_business_case(next(p for p in example_cases() if p.stem == "eksempel_ungeindsats"))
OLD = "kontanthjaelp_30plus_ikke_forsoerger_uge"  # effect 1's unit price in the example
NEW = "foertidspension_enlig_uge"  # another Katalog price per week, from another publisher
TYPO = "kontanthjalp_30plus_ikke_forsoerger_uge"  # OLD with one letter missing
OWN = {  # an own price as a kommune's economist types it, with its own source and derivation
    "id": "botilbud_egen_takst_dag", "navn": "Botilbud, kommunens egen takst", "enhed": "dag", "beloeb": 1650.5,
    "prisaar": 2023, "andel_kommune": 1.0, "andel_region": 0.0, "andel_stat": 0.0, "budgetomraade": "Voksenhandicap",
    "kilde_udgiver": "Eksempel Kommune", "kilde_dokument": "Takstblad 2023", "kildetype": "egen",
    "note": "Døgntakst fra takstbladet, inkl. administration",
}  # fmt: skip


_type = type_cells


def _own_row(row: dict, k: int = 0) -> dict[tuple[str, int], object]:
    return {(f"eg_{f}", k): v for f, v in row.items()}


def _with(case: Case, **changes) -> Case:
    data = case.model_dump(mode="json")
    for e, unit in changes.get("units", {}).items():
        data["effekter"][e]["enhedspris"] = unit
    data["egne_priser"] = changes.get("own", data["egne_priser"])
    data["enhedspriser"] = changes.get("shown", data["enhedspriser"])
    return parse_case(data)


def catalogue_id(case: Case, e: int) -> str:
    """The id of effect ``e``'s unit price (0-based)."""
    return case.effekter[e].enhedspris


def test_the_katalog_sheet_holds_the_whole_catalogue_as_locked_data(tmp_path):
    path = book.build(CASE, tmp_path / "k.xlsx")
    wb = openpyxl.load_workbook(path)
    assert "Katalog" in wb.sheetnames and wb["Katalog"].protection.sheet
    values = read_values(path, layout_from_info, ["kat_id", *(f"kat_{f}" for f in UNIT_FIELDS[1:])])
    units = list(catalogue().values())  # udfs/data/enhedspriser.csv, every row
    assert values["kat_id"] == [u.id for u in units]
    for f in UNIT_FIELDS[1:]:
        shown = {"kildetype": SOURCE_KIND_SHOWN, "enhed": UNIT_WORDS}.get(f)  # codes shown as Danish words
        want = [shown[getattr(u, f)] if shown else getattr(u, f) for u in units]
        assert values[f"kat_{f}"] == [None if w == "" else w for w in want], f
    # the rules a row is priced by, in words (udfs/data/enhedspriser.csv, columns regelsaet and ydelsesdel)
    rules = read_values(path, layout_from_info, ["kat_regelsaet", "kat_ydelsesdel"])
    ids = values["kat_id"]
    at = lambda name, uid: rules[name][ids.index(uid)]  # noqa: E731
    assert (at("kat_regelsaet", OLD), at("kat_ydelsesdel", OLD)) == ("før 1. juli 2025", "sats")
    new = "kontanthjaelp_2025_boernetillaeg_uge"
    assert (at("kat_regelsaet", new), at("kat_ydelsesdel", new)) == ("fra 1. juli 2025", "tillæg")
    assert (at("kat_regelsaet", NEW), at("kat_ydelsesdel", NEW)) == (None, None)  # førtidspension: no rule change
    assert rules["kat_regelsaet"].count("før 1. juli 2025") == 8 and rules["kat_regelsaet"].count("fra 1. juli 2025") == 9
    _, _, plan = open_template(path, layout_from_info)
    ref = plan.names["kat_beloeb"].cell(0)
    assert wb["Katalog"].cell(ref.min_row, ref.min_col).protection.locked  # data, not an input


def test_spare_rows_are_empty_and_marked(soffice, tmp_path):
    path = book.build(CASE, tmp_path / "tom.xlsx")
    d = dims_of(CASE)
    with recalculating([path]) as result:
        v = read_values(result(0), layout_from_info, ["ep_id", "ep_type", "eg_id", "eg_kontrol", "ep_kontrol", "pris_ok"])
    assert v["ep_id"][d.units:] == [None] * SPARE_UNITS and v["ep_type"][d.units:] == ["Ledig"] * SPARE_UNITS
    assert v["eg_id"] == [None] * SPARE_OWN and v["eg_kontrol"] == [None] * SPARE_OWN  # "" is read back as empty
    assert v["ep_kontrol"] == "OK: hver enhedspris har en kilde" and v["pris_ok"] == 1


def test_picking_another_id_changes_the_row_and_the_results(soffice, tmp_path):
    """LibreOffice recalculates workbooks where the user picked another id, added an own price and gave
    a Katalog id a price of its own; each row shows the chosen price's fields and source, and every
    result cell equals the core's figure for the case read back (0.01 kr., book.check)."""
    d = dims_of(CASE)
    picked, own, override, bad, unexplained = (book.build(CASE, tmp_path / f"{n}.xlsx")
                                               for n in ("picked", "own", "override", "bad", "unexplained"))
    _type(picked, {("ep_id", 0): NEW, ("eff1_enhedspris", 0): NEW})
    _type(own, {**_own_row(OWN), ("ep_id", d.units): OWN["id"], ("eff2_enhedspris", 0): OWN["id"]})
    mine = {**catalogue()[OLD].unit_fields(), "beloeb": 3000.0, "kildetype": "egen", "kilde_url": "",
            "kilde_udgiver": "Eksempel Kommune", "kilde_dokument": "Eget regnestykke", "note": "Gennemsnit af egne sager"}  # fmt: skip
    _type(override, _own_row(mine))
    _type(bad, {**_own_row({**OWN, "kilde_udgiver": None, "kilde_dokument": None}), ("ep_id", d.units): TYPO})
    _type(unexplained, {**_own_row({**OWN, "note": None}), ("ep_id", d.units): OWN["id"]})
    paths = [picked, own, override, bad, unexplained]
    names = ["ep_id", "ep_type", "ep_navn", "ep_beloeb", "ep_prisaar", "ep_andel_kommune", "ep_kilde_udgiver",
             "ep_kilde_dokument", "eg_kontrol", "eg_mangler", "ep_kontrol", "nv_betaler", "prisbesked"]  # fmt: skip
    with recalculating(paths) as result:
        checked = book.check_many(paths[:3], result)
        v = [read_values(result(k), layout_from_info, names) for k in range(5)]

    # the case read back is the example with the new choice; LibreOffice equals the core in every result cell
    wanted = [_with(CASE, units={0: NEW}), _with(CASE, units={1: OWN["id"]}, own=[OWN], shown=[catalogue_id(CASE, 1)]),
              _with(CASE, own=[mine])]
    for (case, differences, cells, kontrol), want in zip(checked, wanted, strict=True):
        assert case == want and differences == [] and cells > 50 and all(k.ok for k in kontrol)

    # the picked row: every field is the new id's (udfs/data/enhedspriser.csv: førtidspension 4.467,69 kr./uge, 2022)
    new = catalogue()[NEW]
    assert v[0]["ep_type"][0] == "Katalog" and v[0]["ep_navn"][0] == new.navn
    assert (v[0]["ep_beloeb"][0], v[0]["ep_prisaar"][0], v[0]["ep_andel_kommune"][0]) == (4467.69, 2022, 0.8)
    assert (v[0]["ep_kilde_udgiver"][0], v[0]["ep_kilde_dokument"][0]) == (new.kilde_udgiver, new.kilde_dokument)
    # … and the payer's present value moved with it, to the core's figure for the case with that id
    before, after = book.expected_values(CASE)["nv_betaler"], book.expected_values(wanted[0])["nv_betaler"]
    assert math.isclose(v[0]["nv_betaler"], after, abs_tol=0.01) and abs(after - before) > 1000

    # an own price: the row shows its amount and its own source
    row = d.units
    assert v[1]["ep_type"][row] == "Egen pris" and v[1]["ep_beloeb"][row] == 1650.5
    assert (v[1]["ep_kilde_udgiver"][row], v[1]["ep_kilde_dokument"][row]) == ("Eksempel Kommune", "Takstblad 2023")
    assert v[1]["eg_kontrol"][0] == "OK" and v[1]["eg_mangler"] == 0

    # a Katalog id with a price of its own: the amount and the source are the kommune's, never the Katalog's
    assert v[2]["ep_type"][0] == "Egen pris (i stedet for katalogets)" and v[2]["ep_beloeb"][0] == 3000.0
    assert (v[2]["ep_kilde_udgiver"][0], v[2]["ep_kilde_dokument"][0]) == ("Eksempel Kommune", "Eget regnestykke")

    # an own price without a source and an unknown id are flagged in the workbook
    assert v[3]["eg_kontrol"][0] == "Mangler kilde: skriv udgiver og dokument" and v[3]["eg_mangler"] == 1
    assert v[3]["ep_type"][row] == "Ukendt id" and v[3]["ep_kontrol"].startswith("Et id findes hverken i Katalog")
    assert v[3]["prisbesked"] == (f"Ukendt enhedspris: '{TYPO}' findes hverken i Katalog eller Egne priser; "
                                  "vælg et id fra listen i kolonnen id på arket Enhedspriser.")  # the message atop every sheet
    assert v[3]["nv_betaler"] is None  # results blank, not computed from an unknown price

    # an own price with a source but no derivation: its row says so, and the sheet's status line counts that row
    # (it said "OK: hver enhedspris har en kilde" beside "Mangler udledning"), as sibc extract and check say it
    assert v[4]["eg_kontrol"][0] == "Mangler udledning: skriv hvordan beløbet er fundet" and v[4]["eg_mangler"] == 1
    assert v[4]["ep_kontrol"] == ("1 egen pris mangler kilde eller udledning, eller udledningen passer til et tidligere "
                                  "beløb: se Kontrol under Egne priser")
    assert own_price_warnings(book.extract(unexplained)) == [("egne_priser[0].note", v[4]["eg_kontrol"][0])]
    assert own_price_warnings(book.extract(own)) == []


def test_an_own_price_round_trips_through_extract(tmp_path):
    path = book.build(CASE, tmp_path / "egen.xlsx")
    _type(path, {**_own_row(OWN), ("ep_id", dims_of(CASE).units): OWN["id"], ("eff3_enhedspris", 0): OWN["id"]})
    case = book.extract(path)
    assert case.egne_priser == [UnitCost.model_validate(OWN).model_dump()]
    assert case.effekter[2].enhedspris == OWN["id"]
    again = book.build(case, tmp_path / "igen.xlsx")  # rebuilt: the own price has its own row, no spare row lost
    assert book.extract(again) == case
    assert dims_of(case).own == 1


def test_an_own_price_without_a_source_is_refused_naming_its_cell(tmp_path):
    path = book.build(CASE, tmp_path / "uden.xlsx")
    _type(path, _own_row({**OWN, "kilde_dokument": None}))
    _, _, plan = open_template(path, layout_from_info)
    with pytest.raises(SIError) as err:
        book.extract(path)
    where = plan.names["eg_kilde_dokument"].cell(0).label()  # Enhedspriser!<column><row>, with its label as every cell error
    assert err.value.argument == f"{where} (Kilde: dokument, Egen pris 1)"
    assert err.value.message == "må ikke være tom"


@pytest.mark.parametrize("cells, name, message", [
    ({("ep_id", 3): TYPO}, "ep_id", f"'{TYPO}' findes hverken i Katalog eller Egne priser; mente du '{OLD}'?"),
    ({("eg_id", 0): "egen pris", ("eg_beloeb", 0): 10.0}, "eg_id", None),
])  # fmt: skip
def test_a_row_the_case_cannot_hold_is_refused_naming_its_cell(tmp_path, cells, name, message):
    path = book.build(CASE, tmp_path / "x.xlsx")
    _type(path, cells)
    _, _, plan = open_template(path, layout_from_info)
    k = next(k for (n, k) in cells if n == name)
    with pytest.raises(SIError) as err:
        book.extract(path)
    # the cell and its label, as every cell error: Enhedspriser!B12 (id (vælg på listen), Enhedspris 4)
    assert err.value.argument == describe(plan, name, k) and err.value.argument.startswith(plan.names[name].cell(k).label() + " (")
    assert message is None or err.value.message == message


def test_a_price_picked_but_not_used_by_an_effect_is_kept(tmp_path):
    """Picking another unit price for an effect leaves the old one on its row; extract keeps it
    (``enhedspriser``), so the rebuilt workbook shows it again instead of losing it."""
    path = book.build(CASE, tmp_path / "valgt.xlsx")
    _type(path, {("ep_id", dims_of(CASE).units): NEW})
    case = book.extract(path)
    assert case.enhedspriser == [NEW] and case == _with(CASE, shown=[NEW])
    assert book.extract(book.build(case, tmp_path / "igen.xlsx")) == case


def test_a_mistyped_id_gets_the_nearest_ids_everywhere(tmp_path):
    """Every place an id is typed: the Excel function, the case file, an effect's cell in the workbook."""
    assert SI_ENHEDSPRIS("sygedagpenge_ug").startswith("Fejl i id: ukendt enhedspris 'sygedagpenge_ug'; mente du 'sygedagpenge_uge'?")
    data = CASE.model_dump(mode="json")
    data["effekter"][0]["enhedspris"] = TYPO
    with pytest.raises(SIError) as err:
        parse_case(data)
    assert err.value.argument == "effekter[0].enhedspris" and f"mente du '{OLD}'?" in err.value.message
    path = book.build(CASE, tmp_path / "eff.xlsx")
    _type(path, {("eff1_enhedspris", 0): TYPO})
    with pytest.raises(SIError) as err:
        book.extract(path)
    assert err.value.argument.startswith("Effekter!") and "Enhedspris" in err.value.argument  # the cell, as a user finds it
    assert err.value.message.endswith(f"; mente du '{OLD}'?")


def test_extract_warns_about_an_own_price_without_a_derivation(tmp_path, capsys):
    """The row's check says "Mangler udledning" on Enhedspriser; sibc extract says the same on its error
    stream, naming the own price as the workbook numbers it (egen pris 1 and its id), and still writes the case."""
    from workbooks.cli import main

    path = book.build(CASE, tmp_path / "uden_udledning.xlsx")
    _type(path, _own_row({**OWN, "note": None}))
    assert main(["extract", str(path), "-o", str(tmp_path / "ud.yaml")]) == 0
    err = " ".join(capsys.readouterr().err.split())  # wrapped to the terminal's width
    assert f"Advarsel om egen pris 1 ({OWN['id']}), note: Mangler udledning: skriv hvordan beløbet er fundet" in err


def test_the_assumption_beside_an_own_prices_amount_is_its_derivation(tmp_path):
    """An own price whose amount carries its assumption (``beloeb: {vaerdi, antagelse}``) and no ``note``: the
    assumption says how the amount was found, so no "Mangler udledning" (``sibc check``/``extract`` warned, and the
    workbook's Kontrol flagged it, though the case file said it); the column Udledning shows it, and extract gives
    the case back as written -- the assumption beside the amount, no ``note`` and no empty texts (``note: ''``,
    ``kilde_url: ''``)."""
    from udfs.core.case_model import dump_case
    from tests.feature_cases import LOSS_ABOVE_ZERO

    how = "Gennemsnit af tre takster i regionen (egen opgørelse)"
    data = {**LOSS_ABOVE_ZERO, "egne_priser": [{**LOSS_ABOVE_ZERO["egne_priser"][0], "beloeb": {"vaerdi": 1000.0, "antagelse": how}}]}
    case = parse_case(data)
    assert own_price_warnings(case) == []
    assert own_price_warnings(parse_case(LOSS_ABOVE_ZERO)) == [("egne_priser[0].note", "Mangler udledning: skriv hvordan beløbet er fundet")]
    path = book.build(case, tmp_path / "udledning.xlsx")
    from workbooks.layout import resolve

    where = resolve(book.layout_of(case)).names["eg_note"]  # Enhedspriser, Egne priser: Udledning, row 1
    note = openpyxl.load_workbook(path)[where.sheet].cell(where.min_row, where.min_col).value
    assert note == how
    back = book.extract(path)
    assert back.egne_priser[0]["note"] == "" and back.kilder["egne_priser[0].beloeb"].antagelse == how
    assert own_price_warnings(back) == []
    text = dump_case(back)
    assert "note:" not in text and "''" not in text and how in text
