"""A case typed into the blank workbook: spare slots, extract, LibreOffice check, rebuild, stray cells.

The blank workbook (``sibc build blank``) has one effect and one cost line of
its own and empty slots after them (``workbooks.standard.SPARE_SLOTS``, at
least ``MIN_EFFECT_SLOTS`` effects and ``MIN_COST_SLOTS`` cost lines).  Here a
user fills six effects, four cost lines and an own price with openpyxl, cell
by cell, the way they would type in Excel, and a payment model of four outcome
metrics of different rules in the spare metric slots (one per rule,
``workbooks.standard.spare_metrics``); LibreOffice recalculates the file and every
result cell must equal the core's calculation of the extracted case.
"""

import shutil
from pathlib import Path

import openpyxl
import pytest

from udfs.core.data import catalogue
from udfs.core.errors import SIError
from workbooks import book
from workbooks.cli import example_cases, main
from workbooks.layout import resolve
from workbooks.reader import read_template_info
from udfs.core.rules import by_code, rules
from workbooks.standard import (
    MIN_COST_SLOTS, MIN_EFFECT_SLOTS, SPARE_SLOTS, SPARE_STEPS, dims_of, layout_from_info, spare_metrics, values_for,
)  # fmt: skip

PRICE = "kontanthjaelp_30plus_ikke_forsoerger_uge"  # the blank workbook's one unit-price row
# (id, success rate, deadweight, attrition, delay, profile in profile years 1, 2, 3)
EFFECTS = [
    ("job", 0.35, 0.10, 0.05, 0, [-20.0, -30.0, -30.0]),
    ("uddannelse", 0.25, 0.05, 0.0, 1, [-10.0, -20.0]),
    ("bolig", 0.40, 0.15, 0.10, 0, [-5.0]),
    ("sundhed", 0.20, 0.0, 0.0, 2, [-8.0, -8.0, -8.0]),
    ("kriminalitet", 0.30, 0.20, 0.02, 0, [-12.0, -6.0]),
    ("familie", 0.50, 0.30, 0.0, 0, [-4.0, -4.0]),
]
HORIZON = 20  # typed over the blank workbook's 10 years: columns 10–19 come into use, 20–29 stay greyed out
# (name, payer, type, amounts in years 0, 1, 2, …)
COSTS = [
    ("Sagsbehandlere", "kommune", "drift", [400_000.0, 400_000.0, 400_000.0] + [0.0] * 12 + [50_000.0]),  # year 15: follow-up
    ("Opstart", "investor", "opstart", [250_000.0]),
    ("Mentorer", "kommune", "drift", [0.0, 150_000.0, 150_000.0]),
    ("Efteruddannelse", "region", "opstart", [60_000.0]),
]
OWN_PRICE = "kontanthjaelp_egen_uge"
OWN_AMOUNT = 2_900.0  # kr. per week: the kommune's own price instead of the catalogue's 2.756,31
CONTRACT_CAP = 900_000.0  # kr.: the contract's cap over all metrics
# Outcome metrics typed into the blank workbook's spare slots, one per rule type: the slot's rule is the one in its
# heading (slot order = rule registry order, the order the case's metrics are read in). (rule type, common cells, rule cells, step table rows)
METRICS = [
    ("lineaer", dict(id="job_andel", aar=3, effekt="job", maal="andel", faktor=1),
     dict(taerskel=0.10, maalvaerdi=0.30, betaling=500_000.0), {}),
    ("ratekort", dict(id="udfald", aar=6), {},  # 2 of the slot's 5 outcome rows
     dict(udfald_navn=["Job", "Bolig"], priser=[10_000.0, 5_000.0], udfald_effekt=["job", "bolig"], udfald_maal=["antal", "antal"])),
    ("trappe", dict(id="uddannede", aar=4, effekt="uddannelse", maal="antal", faktor=1), {},
     dict(taerskler=[5.0, 15.0, 30.0], betalinger=[100_000.0, 200_000.0, 400_000.0])),  # 3 of the slot's 5 step rows
    ("besparelsesandel", dict(id="besparelse", aar=5, effekt=None, maal="besparelse", faktor=1, loft=300_000.0),
     dict(andel=0.10), {}),
]


class Typist:
    """Types values into a workbook's cells, found by the template's cell names (as a user finds them by label)."""

    def __init__(self, path: Path):
        self.path = path
        self.plan = resolve(layout_from_info(read_template_info(path)), cells=False)
        self.wb = openpyxl.load_workbook(path)

    def where(self, name: str, index: int = 0):
        """The cell the user types ``name`` in (for a coded input: the cell showing its words, where a code is kept too)."""
        ref = self.plan.names[self.plan.input_cells.get(name, name)].cell(index)
        return ref.sheet, ref.min_row, ref.min_col

    def type(self, name: str, value, index: int = 0) -> None:
        sheet, row, col = self.where(name, index)
        self.wb[sheet].cell(row, col).value = value

    def save(self) -> None:
        self.wb.save(self.path)


def fill_blank(path: Path) -> None:
    """Type the whole case into the blank workbook at ``path``."""
    t = Typist(path)
    t.type("navn", "Helhedsindsats for udsatte borgere")
    t.type("horisont", HORIZON)
    for year, starters in enumerate([40, 40, 30]):
        t.type("deltagere", starters, year)
    own = catalogue()[PRICE].model_dump() | {  # the catalogue's price as the kommune's own, with its own amount and source
        "id": OWN_PRICE, "beloeb": OWN_AMOUNT, "kildetype": "egen", "kilde_udgiver": "Eksempelkommune",
        "kilde_dokument": "Egen opgørelse af gennemsnitlig ydelse 2023", "kilde_url": None, "kildevaerdi": None,
        "note": "Gennemsnit af kommunens udbetalte ydelse 2023"}  # fmt: skip
    for field, value in own.items():
        t.type(f"eg_{field}", value, 0)
    t.type("ep_id", OWN_PRICE, 0)  # chosen on Enhedspriser instead of the catalogue's price
    for e, (eid, rate, dead, attrition, delay, profile) in enumerate(EFFECTS, start=1):
        p = f"eff{e}_"
        for field, value in (("id", eid), ("navn", eid.capitalize()), ("enhedspris", OWN_PRICE), ("succesrate", rate),
                             ("doedvaegt_type", "doedvaegt"), ("doedvaegt", dead), ("frafald", attrition),
                             ("forsinkelse", delay), ("prisfaktor", 1), ("profilfaktor", 1), ("egne_deltagere", "nej")):  # fmt: skip
            t.type(p + field, value)
        for year, amount in enumerate(profile):
            t.type(p + "profil", amount, year)
        t.type("sc_lav", round(rate - 0.1, 2), e - 1)
        t.type("sc_hoej", round(rate + 0.1, 2), e - 1)
    for c, (name, payer, kind, amounts) in enumerate(COSTS, start=1):
        t.type(f"omk{c}_navn", name)
        t.type(f"omk{c}_betaler", payer)
        t.type(f"omk{c}_type", kind)
        for year, amount in enumerate(amounts):
            t.type(f"omk{c}_pr_aar", amount, year)
    t.type("loft_kontrakt", CONTRACT_CAP)
    for kind, common, cells, steps in METRICS:
        p = f"bm{metric_slot(kind)}_"
        for field, value in (("navn", common["id"].capitalize()), ("enhed", "personer"), ("datakilde", "Kommunens opgørelse"),
                             ("maaletidspunkt", "Ved årets udgang"), *common.items(), *cells.items()):  # fmt: skip
            t.type(p + field, value)
        for field, column in steps.items():
            for k, value in enumerate(column):
                t.type(p + field, value, k)
    t.save()


def metric_slot(kind: str) -> int:
    """The blank workbook's spare metric slot with the rule of type ``kind`` (it has no metrics of its own)."""
    codes = [code for code, _ in dims_of(book.blank_case()).metrics]
    return 1 + codes.index(next(r.CODE for r in rules() if r.type_name() == kind))


@pytest.fixture
def blank(tmp_path) -> Path:
    path = tmp_path / "blank.xlsx"
    assert main(["build", "blank", "-o", str(path)]) == 0
    return path


def test_the_blank_workbook_has_room_for_the_case():
    d = dims_of(book.blank_case())
    assert (d.effects, d.costs) == (MIN_EFFECT_SLOTS, MIN_COST_SLOTS)
    # one spare metric slot per registered rule, a step table with SPARE_STEPS rows where the rule has one
    assert d.used_metrics == 0 and d.metrics == spare_metrics()
    assert [by_code(code) for code, _ in d.metrics] == list(rules())
    assert [steps for _, steps in d.metrics] == [SPARE_STEPS if r.STEPS else 0 for r in rules()]
    assert d.effects >= len(EFFECTS) + 1 and d.costs >= len(COSTS) + 1  # still a spare slot after the typed case
    assert SPARE_SLOTS >= 3


def test_a_case_typed_into_the_blank_workbook_is_extracted_checked_and_rebuilt_without_loss(blank, soffice, tmp_path):
    fill_blank(blank)
    case, strays = book.extract_report(blank)
    assert strays == []
    assert [e.id for e in case.effekter] == [e[0] for e in EFFECTS]
    assert [c.navn for c in case.indsats] == [c[0] for c in COSTS]
    assert case.effekter[1].profil[:2] == [-10.0, -20.0] and case.effekter[3].forsinkelse == 2
    assert case.indsats[1].betaler == "investor" and case.indsats[2].pr_aar[:3] == [0.0, 150_000.0, 150_000.0]
    assert case.scenarier["lav"]["effekter.job.succesrate"] == 0.25
    assert [p["beloeb"] for p in case.egne_priser] == [OWN_AMOUNT]
    assert case.horisont == HORIZON and case.indsats[0].pr_aar[15] == 50_000.0
    model = case.betalingsmodel
    assert [m.id for m in model.resultatmaal] == [m[1]["id"] for m in METRICS] and model.loft_kontrakt == CONTRACT_CAP
    assert [m.regel.type for m in model.resultatmaal] == [m[0] for m in METRICS]
    assert model.resultatmaal[1].regel.priser == [10_000.0, 5_000.0] and [x.effekt for x in case.maaling["udfald"]] == ["job", "bolig"]
    assert model.resultatmaal[2].regel.taerskler == [5.0, 15.0, 30.0]  # the empty step rows are not steps
    assert model.resultatmaal[3].loft == 300_000.0 and [m.aar for m in model.resultatmaal] == [3, 6, 4, 5]
    assert (case.maaling["job_andel"].effekt, case.maaling["job_andel"].maal) == ("job", "andel")
    assert (case.maaling["besparelse"].effekt, case.maaling["besparelse"].maal) == (None, "besparelse")

    # LibreOffice recalculates the typed workbook; every result cell (yearly lines, I alt, key figures,
    # scenarios, break-evens, the spare slots' zeros) equals the core's value to 0,01 kr.
    checked, differences, cells, kontrol = book.check(blank)
    assert checked == case
    assert cells > 300 and differences == []
    assert kontrol and all(k.ok for k in kontrol), [k for k in kontrol if not k.ok]

    # Rebuilt from the extracted case, the workbook holds the same inputs and reads back to the same case.
    rebuilt = book.build(case, tmp_path / "rebuilt.xlsx")
    again = book.extract(rebuilt)
    assert again == case
    assert values_for(again) == values_for(case)
    assert len(dims_of(case).__dict__) and dims_of(case).effects == len(EFFECTS) + SPARE_SLOTS
    assert dims_of(case).metrics == ((1, 0), (4, 2), (2, 3), (3, 0), *spare_metrics())  # the case's metrics, then a spare one per rule


def test_values_typed_outside_the_inputs_are_reported_by_extract_and_check(blank, soffice, tmp_path, capsys):
    fill_blank(blank)
    t = Typist(blank)
    sheet, row, col = t.where("aar", 0)  # the year-0 formula (=0), typed over with the same number
    t.wb[sheet].cell(row, col).value = 0
    note_sheet, note_row, _ = t.where("nv_betaler")
    t.wb[note_sheet].cell(note_row, 9).value = "husk at spørge økonomichefen"
    t.wb.create_sheet("Noter")["A1"] = 1234.5
    t.type("omk2_pr_aar", 777.0, HORIZON + 2)  # a cost typed in a greyed-out year after the horizon
    t.save()
    late = "{}!{}{}".format(t.where("omk2_pr_aar", HORIZON + 2)[0], openpyxl.utils.get_column_letter(t.where("omk2_pr_aar", HORIZON + 2)[2]),
                            t.where("omk2_pr_aar", HORIZON + 2)[1])
    over = f"{sheet}!{openpyxl.utils.get_column_letter(col)}{row}"
    note = f"{note_sheet}!I{note_row}"

    case, strays = book.extract_report(blank)
    assert [(f"{s.sheet}!{s.coordinate}", s.kind) for s in strays] == [
        (over, "over_formel"), (note, "uden_input"), ("Noter!A1", "andet_ark"), (late, "efter_horisont")]  # fmt: skip
    assert [e.id for e in case.effekter] == [e[0] for e in EFFECTS]  # the case itself is read as before

    assert main(["extract", str(blank), "-o", str(tmp_path / "case.yaml")]) == 0
    err = capsys.readouterr().err
    assert "Advarsel: 4 celler uden for inputcellerne indgår ikke i casen" in err
    assert f"{late}: 777 (efter tidshorisonten: indgår ikke; forlæng horisonten eller slet værdien)" in err
    assert f"{over}: 0 (skrevet over en formel)" in err
    assert f"{note}: 'husk at spørge økonomichefen' (ingen inputcelle her)" in err
    assert "Noter!A1: 1234,5 (arket hører ikke til skabelonen)" in err

    assert main(["check", str(blank)]) == 0  # the values agree; the stray cells are listed as warnings
    out = capsys.readouterr().out
    assert "ingen forskelle" in out and f"{over}: 0 (skrevet over en formel" in out and "Noter!A1" in out


def test_an_empty_spare_slot_is_ignored_and_a_half_filled_one_is_refused_naming_its_cells(blank, tmp_path):
    base = book.extract(blank)
    assert len(base.effekter) == 1 and len(base.indsats) == 1  # the spare slots are not part of the case
    assert base.betalingsmodel is None and base.maaling == {}  # nor are the empty metric slots
    for name, index, value, slot in (("eff7_succesrate", 0, 0.3, "Effekt 7"), ("sc_hoej", 4, 0.5, "Effekt 5"),
                                     ("omk3_pr_aar", 2, 1000.0, "Omkostning 3"), ("omk2_betaler", 0, "stat", "Omkostning 2"),
                                     ("bm1_maalvaerdi", 0, 0.3, "Resultatmål 1"), ("bm3_betalinger", 2, 1000.0, "Resultatmål 3"),
                                     ("bm2_udfald_effekt", 0, "job", "Resultatmål 2"), ("bm4_faktor", 0, 2, "Resultatmål 4")):  # fmt: skip
        path = tmp_path / f"{name}.xlsx"
        shutil.copy(blank, path)
        t = Typist(path)
        t.type(name, value, index)
        t.save()
        sheet, row, col = t.where(name, index)
        with pytest.raises(SIError) as err:
            book.extract(path)
        message = err.value.danish
        assert slot in message and f"{sheet}!{openpyxl.utils.get_column_letter(col)}{row}" in message, message
        assert "delvist udfyldt" in message


def test_a_filled_spare_slot_must_be_complete(blank, tmp_path):
    t = Typist(blank)
    t.type("eff2_id", "job")  # the slot is in use: its required cells must be filled
    t.save()
    sheet, row, col = t.where("eff2_navn")
    with pytest.raises(SIError, match=f"{sheet}!{openpyxl.utils.get_column_letter(col)}{row}"):
        book.extract(blank)


@pytest.mark.parametrize("path", example_cases(), ids=lambda p: p.stem)
def test_a_freshly_built_workbook_has_no_stray_cells(path, tmp_path):
    built = book.build(book_case(path), tmp_path / "x.xlsx")
    assert book.extract_report(built)[1] == []


def book_case(path: Path):
    from udfs.core.casefile import load_business_case

    return load_business_case(path)


def test_a_built_example_with_spare_metric_slots_checks_with_no_differences(soffice, tmp_path, capsys):
    """The example with all four rules gets one empty metric slot per rule after its own four; LibreOffice's
    values of every result cell, Kontrol row and break-even equal the core's (the empty slots give 0)."""
    case = book_case(Path("workbooks/cases/eksempel_alle_myndigheder.yaml"))
    d = dims_of(case)
    own = len(case.betalingsmodel.resultatmaal)
    assert d.used_metrics == own and d.metrics[own:] == spare_metrics()
    path = book.build(case, tmp_path / "alle.xlsx")
    plan = resolve(layout_from_info(read_template_info(path)), cells=False)
    ws = openpyxl.load_workbook(path)["Betalingsmodel"]
    headings = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("Resultatmål ")]
    assert headings[own:] == [f"Resultatmål {own + k} – ledig (regel: {rule}): udfyld id for at tage den i brug"
                              for k, rule in enumerate(("Lineær", "Ratekort", "Trappe", "Andel af besparelsen"), start=1)]  # fmt: skip
    assert all(f"bm{m}_id" in plan.inputs for m in range(1, len(d.metrics) + 1))
    assert book.extract(path) == case  # the empty slots are not part of the case
    assert main(["check", str(path)]) == 0
    assert "ingen forskelle" in capsys.readouterr().out
