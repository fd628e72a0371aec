"""An own price's derivation left behind when the user changes its amount in the workbook.

The Udledning of an own price explains the amount it was written for ("250 kr. × 20 dage = 5.000 kr.").  A user
who types another amount on Enhedspriser and leaves the derivation as it was gets a warning in the row's Kontrol (by
formula, against the copy of the inputs as built on the machinery sheet), counted in the sheet's status line, and
the same sentence from ``sibc extract`` and ``sibc check``; a derivation rewritten with the amount, or an amount left
as built, gives none.  The workbooks are built from the example eksempel_ungeindsats with one own price (effect 2
uses it), edited with openpyxl as a user types and recalculated by LibreOffice.
"""

from __future__ import annotations

import re

from udfs.core.case_model import parse_case
from udfs.core.casefile import load_business_case
from udfs.core.plausibility import OWN_PRICE_OK, own_price_changed
from workbooks import book
from workbooks.cli import built_examples, example_cases, main
from workbooks.reader import open_template, read_values
from workbooks.recalc import recalculating
from workbooks.standard import layout_from_info
from tests.typing_cells import type_cells

CASE = load_business_case(next(p for p in example_cases() if p.stem == "eksempel_ungeindsats"))
DERIVATION = "Takstblad 2023: 250 kr. pr. dag × 20 dage = 5.000 kr. pr. forløb"
OWN = {  # an own price as a kommune's economist writes it, its derivation leading to its amount
    "id": "botilbud_forloeb", "navn": "Botilbud, kommunens egen takst pr. forløb", "enhed": "haendelse", "beloeb": 5000.0,
    "prisaar": 2023, "andel_kommune": 1.0, "andel_region": 0.0, "andel_stat": 0.0, "budgetomraade": "Voksenhandicap",
    "kilde_udgiver": "Eksempel Kommune", "kilde_dokument": "Takstblad 2023", "kildetype": "egen", "note": DERIVATION,
}  # fmt: skip
CHANGED = ("Beløbet er ændret fra 5.000 kr. til 6.500 kr., efter udledningen blev skrevet: ret udledningen, så den fører "
           "til det nye beløb")
"""The sentence written out by hand: the amount as built (5000 → »5.000«) and as typed (6500 → »6.500«)."""
STATUS = ("1 egen pris mangler kilde eller udledning, eller udledningen passer til et tidligere beløb: se Kontrol under "
          "Egne priser")


def _case_with_own_price():
    data = CASE.model_dump(mode="json")
    shown = data["effekter"][1]["enhedspris"]  # effect 2's catalogue price stays on Enhedspriser
    data["effekter"][1]["enhedspris"] = OWN["id"]
    return parse_case({**data, "egne_priser": [OWN], "enhedspriser": [*data["enhedspriser"], shown]})


def _amount_cell(path) -> str:
    _, _, plan = open_template(path, layout_from_info)
    return plan.names["eg_beloeb"].cell(0).label()


def test_the_rule_compares_the_amount_and_the_derivation_with_the_built_ones():
    """Only an amount changed under the derivation built with it is flagged; amounts as number_words writes them."""
    assert own_price_changed(5000.0, 6500, DERIVATION, DERIVATION) == CHANGED
    assert own_price_changed(5000.0, 4321.25, DERIVATION, DERIVATION) == CHANGED.replace("6.500", "4.321,25")
    assert own_price_changed(5000.0, 5000, DERIVATION, DERIVATION) == ""  # the amount as built
    assert own_price_changed(5000.0, 6500, DERIVATION, "250 kr. × 26 dage = 6.500 kr.") == ""  # rewritten with it
    assert own_price_changed(5000.0, 6500, None, None) == ""  # no derivation: flagged as missing instead
    assert own_price_changed(None, 6500, None, DERIVATION) == ""  # typed into a spare row: nothing built to compare
    assert own_price_changed(5000.0, "6.500", DERIVATION, DERIVATION) == ""  # a number as text: flagged as such


def test_a_changed_amount_under_its_old_derivation_is_flagged_in_the_workbook_and_by_sibc(soffice, tmp_path, capsys):
    case = _case_with_own_price()
    built, changed, rewritten, decimals = (book.build(case, tmp_path / f"{n}.xlsx") for n in ("built", "changed", "rewritten", "decimals"))
    type_cells(changed, {("eg_beloeb", 0): 6500})  # the user types a new amount, the derivation left as it was
    type_cells(rewritten, {("eg_beloeb", 0): 6500, ("eg_note", 0): "Takstblad 2024: 250 kr. pr. dag × 26 dage = 6.500 kr."})
    type_cells(decimals, {("eg_beloeb", 0): 4321.25})
    paths = [built, changed, rewritten, decimals]
    with recalculating(paths) as result:
        v = [read_values(result(k), layout_from_info, ["eg_kontrol", "eg_mangler", "ep_kontrol"]) for k in range(len(paths))]

    # as built, and with the derivation rewritten for the new amount: OK, nothing counted
    for k in (0, 2):
        assert v[k]["eg_kontrol"][0] == OWN_PRICE_OK and v[k]["eg_mangler"] == 0
        assert v[k]["ep_kontrol"] == "OK: hver enhedspris har en kilde"
        assert book.extract_warnings(paths[k])[2] == []
    # the amount changed under its old derivation: the row says so (LibreOffice computing the formula), the sheet's
    # status line counts it
    assert v[1]["eg_kontrol"][0] == CHANGED and v[1]["eg_mangler"] == 1 and v[1]["ep_kontrol"] == STATUS
    assert v[3]["eg_kontrol"][0] == CHANGED.replace("6.500", "4.321,25") and v[3]["eg_mangler"] == 1

    # sibc extract says the same sentence, naming the own price, its id and the amount's cell, and keeps the
    # user's derivation as typed (nothing lost); the amount read is the new one
    cell = _amount_cell(changed)
    assert re.fullmatch(r"Enhedspriser![A-Z]+\d+", cell)
    line = f"Advarsel om egen pris 1 (botilbud_forloeb), {cell}: {CHANGED}"
    read, _, warnings = book.extract_warnings(changed)
    assert warnings == [line]
    assert read.egne_priser[0]["note"] == DERIVATION and read.egne_priser[0]["beloeb"] == 6500
    assert main(["extract", str(changed), "-o", str(tmp_path / "ud.yaml")]) == 0
    assert line in " ".join(capsys.readouterr().err.split())

    # sibc check prints it beside its comparison (which agrees: the case read back is what the workbook computes)
    assert main(["check", str(changed)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert line in out and "✓ ingen forskelle" in out


def test_no_built_example_shows_a_changed_own_price(soffice, tmp_path):
    """As built, every example's own prices (sygedagpenge, job_til_mor, arbejdspladser_i_trivsel have some) and the
    blank workbook's empty rows show no changed amount: in the recalculated Kontrol and for sibc extract."""
    built = [path for _, path in built_examples(tmp_path, False)]  # the blank workbook and every example
    with recalculating(built) as result:
        v = [read_values(result(k), layout_from_info, ["eg_id", "eg_kontrol", "eg_mangler"]) for k in range(len(built))]
    owned = 0
    for path, values in zip(built, v, strict=True):
        used = [k for k, uid in enumerate(values["eg_id"]) if uid]
        owned += len(used)
        assert [values["eg_kontrol"][k] for k in used] == [OWN_PRICE_OK] * len(used), path.name
        assert values["eg_mangler"] == 0, path.name
        assert book.extract_warnings(path)[2] == [], path.name
    assert owned >= 3  # the examples' own prices were compared, not only empty rows
