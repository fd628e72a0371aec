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
from udfs.core.limits import MAX_STEPS
from workbooks import book
from workbooks.cli import example_cases, main
from workbooks.layout import resolve
from workbooks.reader import read_template_info
from udfs.core.rules import by_code, rules
from workbooks.standard import (
    MIN_COST_SLOTS, MIN_DIST_SLOTS, MIN_EFFECT_SLOTS, SPARE_SLOTS, SPARE_STEPS, dims_of, layout_from_info, spare_metrics, values_for,
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
# Monte Carlo distributions typed into the distributions table's spare rows on Følsomhed (the blank case has none):
# (driver as in a case file, the distribution's word from the drop-down, its values in the driver's unit)
DISTRIBUTIONS = [
    ("effekter.job.succesrate", "Trekantfordeling", dict(min=0.25, mest_sandsynlig=0.35, max=0.45)),
    ("omkostningsfaktor", "Normalfordeling", dict(middel=1.0, spredning=0.1)),
    ("effekter.bolig.frafald", "Ligefordeling", dict(min=0.05, max=0.15)),
]
DRAWS, SEED = 5_000, 42


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


def type_effect(t: Typist, e: int, effect: tuple, price: str) -> None:
    """Effect slot ``e`` typed as a user fills it: ``effect`` as in :data:`EFFECTS` (id, success rate, deadweight,
    attrition, delay, profile) with the unit price ``price``."""
    eid, rate, dead, attrition, delay, profile = effect
    p = f"eff{e}_"
    for field, value in (("id", eid), ("navn", eid.capitalize()), ("enhedspris", price), ("succesrate", rate),
                         ("doedvaegt_type", "doedvaegt"), ("doedvaegt", dead), ("frafald", attrition),
                         ("forsinkelse", delay), ("prisfaktor", 1), ("profilfaktor", 1), ("egne_deltagere", "nej")):  # fmt: skip
        t.type(p + field, value)
    for year, amount in enumerate(profile):
        t.type(p + "profil", amount, year)


def fill_blank(path: Path) -> None:
    """Type the whole case into the blank workbook at ``path``."""
    t = Typist(path)
    t.type("navn", "Helhedsindsats for udsatte borgere")
    t.type("horisont", HORIZON)
    for year, starters in enumerate([40, 40, 30]):
        t.type("deltagere", starters, year)
    own = catalogue()[PRICE].unit_fields() | {  # the catalogue's price as the kommune's own, with its own amount and source
        "id": OWN_PRICE, "beloeb": OWN_AMOUNT, "kildetype": "egen", "kilde_udgiver": "Eksempelkommune",
        "kilde_dokument": "Egen opgørelse af gennemsnitlig ydelse 2023", "kilde_url": None, "kildevaerdi": None,
        "note": "Gennemsnit af kommunens udbetalte ydelse 2023"}  # fmt: skip
    for field, value in own.items():
        t.type(f"eg_{field}", value, 0)
    t.type("ep_id", OWN_PRICE, 0)  # chosen on Enhedspriser instead of the catalogue's price
    for e, effect in enumerate(EFFECTS, start=1):
        type_effect(t, e, effect, OWN_PRICE)
        rate = effect[1]
        t.type("sc_lav", round(rate - 0.1, 2), e - 1)
        t.type("sc_hoej", round(rate + 0.1, 2), e - 1)
    for c, (name, payer, kind, amounts) in enumerate(COSTS, start=1):
        t.type(f"omk{c}_navn", name)
        t.type(f"omk{c}_betaler", payer)
        t.type(f"omk{c}_type", kind)
        for year, amount in enumerate(amounts):
            t.type(f"omk{c}_pr_aar", amount, year)
    t.type("loft_kontrakt", CONTRACT_CAP)
    t.type("mc_antal_traek", DRAWS)
    t.type("mc_seed", SEED)
    for k, (driver, word, values) in enumerate(DISTRIBUTIONS):
        t.type("mc_driver", driver, k)
        t.type("mc_fordeling", word, k)
        for field, value in values.items():
            t.type(f"mc_{field}", value, k)
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
    # one spare metric slot per registered rule that offers one (SPARE_SLOT), a step table where the rule has one:
    # MAX_STEPS rows for a rule of steps (trappe), SPARE_STEPS outcome rows for a rate card
    offered = [r for r in rules() if r.SPARE_SLOT]
    assert d.used_metrics == 0 and d.metrics == spare_metrics()
    assert [by_code(code) for code, _ in d.metrics] == offered
    assert [steps for _, steps in d.metrics] == [(MAX_STEPS if r.MOST_STEPS else SPARE_STEPS) if r.STEPS else 0 for r in offered]
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
    mc = case.usikkerhed  # the distributions typed, in row order, as codes; the empty rows left out
    assert (mc.antal_traek, mc.seed) == (DRAWS, SEED) and list(mc.fordelinger) == [d[0] for d in DISTRIBUTIONS]
    assert [x.fordeling for x in mc.fordelinger.values()] == ["triangulaer", "normal", "uniform"]
    assert [x.model_dump(exclude_none=True, exclude={"fordeling"}) for x in mc.fordelinger.values()] == [d[2] for d in DISTRIBUTIONS]

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
    # the rebuilt workbook holds the Monte Carlo's results for the typed distributions, and spare rows after them
    assert dims_of(case).distributions == max(MIN_DIST_SLOTS, len(DISTRIBUTIONS) + SPARE_SLOTS)
    written = book.written_values(case)
    assert written["mc_traek_brugt"] == [DRAWS] and written["mc_seed_brugt"] == [SEED]
    assert sum(written["mc_hist_antal"]) == DRAWS
    assert dims_of(case).metrics == ((1, 0), (4, SPARE_STEPS), (2, MAX_STEPS), (3, 0), *spare_metrics())  # the case's metrics (a 2-outcome rate card: 5 rows), then a spare one per rule


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


# Each slot kind's choice cells (drop-down lists) a spare slot leaves empty, and the choice its message names.
CHOICES = {
    "Effekt": ("eff2_id", "faengsel", {"eff2_doedvaegt_type": "vælg Dødvægt eller Kontrolgruppens succesrate",
                                       "eff2_egne_deltagere": "vælg ja eller nej"}),
    "Omkostning": ("omk2_navn", "Mentorer", {"omk2_betaler": "vælg kommune, region, stat eller investor",
                                             "omk2_type": "vælg opstart eller drift"}),
}  # fmt: skip


@pytest.mark.parametrize("what", CHOICES)
def test_a_spare_slot_taken_into_use_is_named_by_its_id_and_its_empty_choices_say_what_to_choose(blank, what):
    """The user trial: 'Fejl i Effekter!B62 (Effekt 2 – ledig: udfyld id …, Egne deltagere …): mangler en værdi'
    once the slot had an id.  Now every message of the slot names it by its id, never as spare, and an empty
    drop-down cell names its choices."""
    key, value, choices = CHOICES[what]
    number = int(key.split("_")[0][-1])
    t = Typist(blank)
    t.type(key, value)
    t.save()
    with pytest.raises(SIError) as err:
        book.extract(blank)
    messages = [e.argument + ": " + e.message for e in (err.value, *err.value.others)]
    assert messages and all("ledig" not in m for m in messages), messages
    assert all(f"({what} {number} ({value}), " in m for m in messages), messages
    for name, words in choices.items():
        sheet, row, col = t.where(name)
        cell = f"{sheet}!{openpyxl.utils.get_column_letter(col)}{row}"
        assert any(m.startswith(cell) and m.endswith(f"mangler en værdi: {words}") for m in messages), (cell, messages)


def test_a_spare_metric_slot_taken_into_use_is_named_by_its_id(blank):
    """A rate card's slot with only its id: its own cells are named by the metric's id, its table's empty
    'Måles som' cell names its choices (antal, andel)."""
    m = metric_slot("ratekort")
    t = Typist(blank)
    t.type(f"bm{m}_id", "udfald")
    t.save()
    with pytest.raises(SIError) as err:
        book.extract(blank)
    messages = [e.argument + ": " + e.message for e in (err.value, *err.value.others)]
    assert all("ledig" not in msg for msg in messages), messages
    sheet, row, col = t.where(f"bm{m}_navn")
    assert f"{sheet}!{openpyxl.utils.get_column_letter(col)}{row} (Resultatmål {m} (udfald), Navn): mangler en værdi" in messages
    assert any(msg.endswith("(Måles som, Udfald 1): mangler en værdi: vælg antal eller andel") for msg in messages), messages


def test_a_spare_effect_filled_as_its_messages_ask_is_checked_equal_to_the_core(blank, soffice):
    """Effect slot 2 of the blank workbook taken into use by its id, then filled cell by cell as the messages
    ask (the choices as effect 1's: Dødvægt, nej); LibreOffice's results equal the core's to 0,01 kr."""
    base = book.extract(blank)
    t = Typist(blank)
    for field, value in (("id", "faengsel"), ("navn", "Færre fængselsdage"), ("enhedspris", PRICE), ("succesrate", 0.2),
                         ("doedvaegt_type", "Dødvægt"), ("egne_deltagere", "nej")):  # fmt: skip
        t.type("eff2_" + field, value)
    for year, amount in enumerate([-10, -5]):
        t.type("eff2_profil", amount, year)
    t.type("deltagere", 20, 0)
    t.save()
    case = book.extract(blank)
    assert [e.id for e in case.effekter] == [base.effekter[0].id, "faengsel"]
    assert case.effekter[1].doedvaegt == 0 and case.effekter[1].profil[:2] == [-10.0, -5.0]
    checked, differences, cells, kontrol = book.check(blank)
    assert checked == case and cells > 100 and differences == []
    assert kontrol and all(k.ok for k in kontrol), [k for k in kontrol if not k.ok]


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
                              for k, rule in enumerate((r.LABEL.split(" (")[0] for r in rules() if r.SPARE_SLOT), start=1)]  # fmt: skip
    # the registry's order: Lineær, Ratekort, Trappe, Andel af besparelsen, then the rules added after them
    assert headings[own:own + 4] == [f"Resultatmål {own + k} – ledig (regel: {rule}): udfyld id for at tage den i brug"
                                     for k, rule in enumerate(("Lineær", "Ratekort", "Trappe", "Andel af besparelsen"), start=1)]  # fmt: skip
    assert all(f"bm{m}_id" in plan.inputs for m in range(1, len(d.metrics) + 1))
    assert book.extract(path) == case  # the empty slots are not part of the case
    assert main(["check", str(path)]) == 0
    assert "ingen forskelle" in capsys.readouterr().out


def test_the_blank_workbook_has_rows_for_distributions():
    d = dims_of(book.blank_case())
    assert d.distributions == MIN_DIST_SLOTS and d.used_distributions == 0 and not d.has_monte_carlo()


@pytest.mark.parametrize("row,message", [
    ({"mc_fordeling": "Ligefordeling", "mc_min": 0.1, "mc_max": 0.2},
     "Fejl i Følsomhed!{mc_driver} (Driver (navnet fra case-filen; i ord i rækken ovenfor), Fordeling 2): fordeling 2 har værdier, "
     "men ingen driver; skriv driveren (fx effekter.<id>.succesrate), eller tøm rækken"),
    ({"mc_driver": "effekter.jobb.succesrate", "mc_fordeling": "Ligefordeling", "mc_min": 0.1, "mc_max": 0.2},
     "Fejl i Følsomhed!{mc_driver} (Driver (navnet fra case-filen; i ord i rækken ovenfor), Fordeling 2): "
     "'effekter.jobb.succesrate' er ikke en driver i casen (effekter.<id>.succesrate med en effekts id, omkostningsfaktor, …); "
     "mente du 'effekter.job.succesrate'?"),
    ({"mc_driver": "effekter.job.succesrate", "mc_fordeling": "Trekantfordeling", "mc_min": 0.1, "mc_max": 0.2},
     "Fejl i Følsomhed!{mc_mest_sandsynlig} (Mest sandsynlig, Fordeling 2): mangler for fordelingen trekantfordeling (triangulaer)"),
    ({"mc_driver": "effekter.job.succesrate", "mc_fordeling": "Ligefordeling", "mc_min": 0.3, "mc_max": 0.2},
     "Fejl i Følsomhed!{mc_min} (Mindst, Fordeling 2): mindst må ikke være over højst (mindst ≤ højst)"),
    ({"mc_driver": "effekter.job.succesrate", "mc_fordeling": "Trekantfordeling", "mc_min": 0.1, "mc_mest_sandsynlig": 0.3,
      "mc_max": 0.2},
     "Fejl i Følsomhed!{mc_max} (Højst, Fordeling 2): højst må ikke være under den mest sandsynlige værdi "
     "(mindst ≤ mest sandsynlig ≤ højst)"),
    ({"mc_driver": "omkostningsfaktor", "mc_fordeling": "Normalfordeling", "mc_middel": 1.0, "mc_spredning": 0.1},
     "Fejl i Følsomhed!{mc_driver} (Driver (navnet fra case-filen; i ord i rækken ovenfor), Fordeling 2): driveren "
     "'omkostningsfaktor' har allerede en fordeling (fordeling 1); giv hver driver én fordeling"),
])  # fmt: skip
def test_a_bad_distribution_row_is_refused_naming_its_cell(blank, row, message):
    """Row 1 holds a good distribution; row 2 a faulty one: extract names the cell and says what is wrong, in Danish."""
    t = Typist(blank)
    for field, value in (("driver", "omkostningsfaktor"), ("fordeling", "Normalfordeling"), ("middel", 1.0), ("spredning", 0.1)):
        t.type(f"mc_{field}", value, 0)
    t.type("eff1_id", "job")
    for name, value in row.items():
        t.type(name, value, 1)
    t.save()
    cells = {name: "{}{}".format(openpyxl.utils.get_column_letter(t.where(name, 1)[2]), t.where(name, 1)[1])
             for name in ("mc_driver", "mc_mest_sandsynlig", "mc_min", "mc_max")}
    with pytest.raises(SIError) as err:
        book.extract(blank)
    assert err.value.full == message.format(**cells)
# --------------------------------------------------------------------------- several payers typed by the user

TRIAL_PAYMENT = 3_000_000.0  # kr. in year 3: the staircase's first step, reached by 30 × 0.5 = 15 ≥ 1 participants


TRIAL_STEPS = ((1.0, TRIAL_PAYMENT), (100.0, 4_000_000.0))  # (threshold, payment) of the staircase's steps


def type_three_payer_case(path: Path, payers: dict[tuple[str, int], object],
                          steps: tuple[tuple[float, float], ...] = TRIAL_STEPS) -> None:
    """The user trial's case typed into the blank workbook at ``path``: 30 participants, the blank's effect at a
    success rate of 0.5, the investor's 2,000,000 kr., a staircase in year 3 with ``steps`` (by default paying
    3,000,000 kr. from 1 participant) typed in the first rows of its step table, and the payer table's cells
    ``payers`` ((name, payer column) → value)."""
    t = Typist(path)
    t.type("deltagere", 30, 0)
    for field, value in (("succesrate", 0.5), ("doedvaegt_type", "doedvaegt"), ("doedvaegt", 0.0), ("frafald", 0.0),
                         ("forsinkelse", 0), ("prisfaktor", 1), ("profilfaktor", 1), ("egne_deltagere", "nej")):  # fmt: skip
        t.type("eff1_" + field, value)
    for year in range(4):
        t.type("eff1_profil", -20.0, year)
    t.type("omk1_navn", "Indsats (investor)")
    t.type("omk1_betaler", "investor")
    t.type("omk1_pr_aar", 2_000_000.0, 0)
    p = f"bm{metric_slot('trappe')}_"
    for field, value in (("navn", "Job"), ("enhed", "personer"), ("datakilde", "Kommunens opgørelse"),
                         ("maaletidspunkt", "Ved årets udgang"), ("id", "job"), ("aar", 3), ("effekt", "effekt"),
                         ("maal", "antal"), ("faktor", 1)):  # fmt: skip
        t.type(p + field, value)
    for k, (threshold, payment) in enumerate(steps):
        t.type(p + "taerskler", threshold, k)
        t.type(p + "betalinger", payment, k)
    for (name, k), value in payers.items():
        t.type(name, value, k)
    t.save()


KOMMUNE, REGION, STAT, FUND_COLUMN = range(4)  # the payer table's rows (OUTCOME_PAYERS)


def test_an_outcomes_fund_typed_by_its_id_is_read_by_the_workbooks_formulas(blank, soffice, tmp_path):
    """The user trial: Kommune »ja« (C19), Stat 0,2 (B21), Central resultatfond life_chances_fund (D22; the trial's
    C13, B15, D16 before the return limits' rows were added above the table).  The
    workbook looks the fund's share up on the sheet Resultatfonde, so LibreOffice's values equal the core's
    (before, the formulas gave the fund 0 and the kommune 2,400,000).  Wrong entries get a red warning."""
    from udfs.core.data import outcome_funds
    from workbooks.reader import open_workbook, values_of
    from workbooks.recalc import recalculating

    good, bad = tmp_path / "tre_betalere.xlsx", tmp_path / "forkert.xlsx"
    shutil.copy(blank, good)
    shutil.copy(blank, bad)
    type_three_payer_case(good, {("bt_besparelse", KOMMUNE): "ja", ("bt_andel", STAT): 0.2, ("bt_fond", FUND_COLUMN): "life_chances_fund"})
    assert [Typist(good).where(n, k) for n, k in (("bt_besparelse", KOMMUNE), ("bt_andel", STAT), ("bt_fond", FUND_COLUMN))] == [
        ("Betalingsmodel", 19, 3), ("Betalingsmodel", 21, 2), ("Betalingsmodel", 22, 4)]  # C19, B21, D22 as the user types
    type_three_payer_case(bad, {("bt_besparelse", KOMMUNE): "ja", ("bt_fond", KOMMUNE): "life_chances_fund",
                                ("bt_fond", FUND_COLUMN): "ukendt_fond", ("bt_besparelse", FUND_COLUMN): "ja"})  # fmt: skip

    case = book.extract(good)
    assert [(p.betaler, p.andel, p.fond) for p in case.betalingsmodel.betalere] == [
        ("kommune", "besparelse", None), ("stat", 0.2, None), ("fond", None, "life_chances_fund")]
    with pytest.raises(SIError, match="kun betaleren 'fond' kan have en fond"):
        book.extract(bad)  # check refuses it too: the core cannot use it

    # By hand: the fund's share is 0.2 (resultatfonde.csv, the Life Chances Fund's "around 20 %"), the stat's 0.2
    # as typed, the kommune (the only payer by savings) the rest 1 − 0.2 − 0.2 = 0.6 of the 3,000,000 kr. in year 3.
    assert outcome_funds()["life_chances_fund"].andel == 0.2
    by_hand = {"r_betal_kommune": 0.6 * 3_000_000, "r_betal_stat": 0.2 * 3_000_000, "r_betal_fond": 0.2 * 3_000_000}
    assert by_hand == {"r_betal_kommune": 1_800_000, "r_betal_stat": 600_000, "r_betal_fond": 600_000}

    opened = book.open_checked([good, bad])
    with recalculating([good, bad]) as recalculated:
        (checked, differences, cells, kontrol), = book.check_many([good], recalculated, opened[:1])
        assert checked == case and cells > 300 and differences == []  # the workbook's formulas agree with the core
        _, _, plan = opened[0]
        got = values_of(open_workbook(recalculated(0), data_only=True), plan, [*by_hand, "bt_fast", "bt_advarsel"])
        for name, amount in by_hand.items():
            assert got[name][3] == pytest.approx(amount, abs=0.01), name
        assert got["bt_fast"] == [None, None, 0.2, 0.2] and got["bt_advarsel"] in ("", None)
        _, _, bad_plan = opened[1]
        warning = values_of(open_workbook(recalculated(1), data_only=True), bad_plan, ["bt_advarsel"])["bt_advarsel"]
    assert warning == ("Kommune: kun central resultatfond kan have en resultatfonds id. Resultatfonden 'ukendt_fond' findes ikke "
                       "på arket Resultatfonde. Central resultatfond: en fond har ingen besparelser; »ja« kan kun bruges af "
                       "kommune, region og stat.")

    # The workbook sibc builds from the extracted case holds the same payer cells as the typed one: the fund by its id.
    rebuilt = book.build(case, tmp_path / "bygget.xlsx")
    assert book.extract(rebuilt) == case
    assert {k: v for k, v in values_for(case).items() if k.startswith("bt_")} == {
        "bt_andel": [None, None, 0.2, None], "bt_besparelse": ["ja", None, None, None],
        "bt_fond": [None, None, None, "life_chances_fund"]}


def test_empty_low_and_high_mean_the_base(blank, soffice, tmp_path):
    """A user types three effects' success rates and nothing on Følsomhed: the blank workbook's Lav/Høj are empty,
    extract reads no scenarios (empty = as the base), and LibreOffice's low and high PVs equal the base PV (the
    scenarios change nothing)."""
    t = Typist(blank)
    assert [t.wb[s].cell(r, c).value for s, r, c in (t.where("sc_lav", 0), t.where("sc_hoej", 0))] == [None, None]
    for e, effect in enumerate(EFFECTS[:3], start=1):
        type_effect(t, e, effect, PRICE)
    t.type("deltagere", 40, 0)
    t.save()
    case = book.extract(blank)
    assert [e.succesrate for e in case.effekter] == [0.35, 0.25, 0.40] and case.scenarier == {}
    checked, differences, cells, _ = book.check(blank)  # LibreOffice: every result cell equals the core's
    assert checked == case and differences == []
    expected = book.expected_values(case)
    assert expected["nv_lav"] == expected["nv_hoej"] == pytest.approx(expected["nv_basis"])  # no scenario: all three the base



def test_a_share_typed_beside_a_fund_names_the_funds_share_in_danish(blank, tmp_path):
    """The user trial: Betalingsmodel!B16 = 0,25 beside the fund's id was refused with "har andelen 0.2"; the fund's
    share (resultatfonde.csv: the Life Chances Fund's 20 %) is now written as a Dane reads it."""
    path = tmp_path / "fond.xlsx"
    shutil.copy(blank, path)
    type_three_payer_case(path, {("bt_besparelse", KOMMUNE): "ja", ("bt_fond", FUND_COLUMN): "life_chances_fund",
                                 ("bt_andel", FUND_COLUMN): 0.25})  # fmt: skip
    with pytest.raises(SIError) as err:
        book.extract(path)
    assert err.value.message == "fonden 'life_chances_fund' har andelen 20 % i resultatfonde.csv; tøm andelen eller fondens id"


# --------------------------------------------------------------------------- step tables with empty rows

# A staircase typed with 1, 2, … 5 steps in the first rows of the blank workbook's step table (MAX_STEPS = 8 rows),
# the rows after them left empty.  Measured: 30 participants × success rate 0.5 = 15 net successes (no deadweight,
# no attrition, no delay), in year 3.  By hand, the payment is that of the highest threshold ≤ 15:
STAIRCASES = [  # (steps, payment by hand)
    (((15.0, 1_000_000.0),), 1_000_000.0),  # 1 step, reached exactly: 15 ≥ 15
    (((20.0, 1_000_000.0),), 0.0),  # 1 step, not reached: 15 < 20
    (((1.0, 1_000_000.0), (4.0, 2_000_000.0)), 2_000_000.0),  # the last used step reached: 15 ≥ 4
    (((1.0, 1_000_000.0), (4.0, 2_000_000.0), (8.0, 3_000_000.0)), 3_000_000.0),  # 15 ≥ 8
    (((1.0, 1_000_000.0), (4.0, 2_000_000.0), (8.0, 3_000_000.0), (16.0, 4_000_000.0)), 3_000_000.0),  # 8 ≤ 15 < 16
    (((1.0, 1_000_000.0), (4.0, 2_000_000.0), (8.0, 3_000_000.0), (12.0, 4_000_000.0), (15.0, 5_000_000.0)), 5_000_000.0),
]


RATE_CARD_PRICE = 10_000.0  # kr. per net success: a rate card of one outcome, its other four rows empty
RATE_CARD_YEAR = 2  # paid in year 2 on the 15 net successes: by hand 15 × 10 000 = 150 000 kr.


def type_one_outcome_rate_card(path: Path) -> None:
    """A rate card with one outcome (the blank's effect, counted) typed in the first row of the Ratekort slot's
    outcome table, the other rows left empty."""
    t = Typist(path)
    p = f"bm{metric_slot('ratekort')}_"
    for field, value in (("navn", "Udfald"), ("enhed", "personer"), ("datakilde", "Kommunens opgørelse"),
                         ("maaletidspunkt", "Ved årets udgang"), ("id", "udfald"), ("aar", RATE_CARD_YEAR)):  # fmt: skip
        t.type(p + field, value)
    for field, value in (("udfald_navn", "Job"), ("priser", RATE_CARD_PRICE), ("udfald_effekt", "effekt"), ("udfald_maal", "antal")):
        t.type(p + field, value, 0)
    t.save()


def test_a_staircase_with_one_to_five_steps_and_empty_rows_after_them_agrees_with_the_core(blank, soffice, tmp_path):
    """The user trial: one step typed (one threshold, one payment), the other four rows empty, gave #N/A in the
    workbook (a MATCH over the empty rows) while the core paid.  Each staircase of :data:`STAIRCASES`, typed into
    the blank workbook's Trappe slot, is recalculated by LibreOffice (one run) and every result cell equals the
    core's to 0,01 kr.; the payment of the year-3 measurement is the one worked out by hand.  The first workbook
    also has a rate card of one outcome, its other rows empty (the other rule with a table)."""
    from workbooks.reader import open_workbook, values_of
    from workbooks.recalc import recalculating

    paths = []
    for k, (steps, _) in enumerate(STAIRCASES):
        path = tmp_path / f"trappe_{k}.xlsx"
        shutil.copy(blank, path)
        type_three_payer_case(path, {("bt_besparelse", KOMMUNE): "ja"}, steps)
        paths.append(path)
    type_one_outcome_rate_card(paths[0])
    cases = [book.extract(path) for path in paths]
    for case, (steps, _) in zip(cases, STAIRCASES, strict=True):
        staircase = next(x for x in case.betalingsmodel.resultatmaal if x.regel.type == "trappe")
        assert staircase.regel.taerskler == [t for t, _ in steps]  # the empty rows are not steps
    card, _ = cases[0].betalingsmodel.resultatmaal  # the slots' order: Ratekort before Trappe
    assert (card.regel.type, card.regel.priser, card.regel.udfald) == ("ratekort", [RATE_CARD_PRICE], ["Job"])  # empty rows: no outcomes
    opened = book.open_checked(paths)
    m, r = metric_slot("trappe"), metric_slot("ratekort")
    with recalculating(paths) as recalculated:
        results = book.check_many(paths, recalculated, opened)
        for k, ((checked, differences, cells, kontrol), (steps, by_hand)) in enumerate(zip(results, STAIRCASES, strict=True)):
            assert checked == cases[k] and cells > 300 and differences == [], (steps, differences[:5])
            assert kontrol and all(row.ok for row in kontrol), (steps, [row for row in kontrol if not row.ok])
            _, _, plan = opened[k]
            got = values_of(open_workbook(recalculated(k), data_only=True), plan, [f"bm{m}_opnaaet", f"bm{m}_beregnet"])
            assert got[f"bm{m}_opnaaet"] == pytest.approx(15.0) and got[f"bm{m}_beregnet"] == pytest.approx(by_hand, abs=0.01), steps
        _, _, plan = opened[0]
        got = values_of(open_workbook(recalculated(0), data_only=True), plan, [f"bm{r}_beregnet"])
        assert got[f"bm{r}_beregnet"] == pytest.approx(15 * RATE_CARD_PRICE, abs=0.01)  # 150 000 kr., as by hand


# --------------------------------------------------------------------------- a step typed after a case's own

def two_step_case() -> dict:
    """The worked example (tests/test_engine.py) with a staircase of two steps paid in year 2 on effect job's net
    success rate (maal: andel): 30 % − 10 % (control group) = 20 %."""
    import copy

    from tests.test_engine import WORKED

    case = copy.deepcopy(WORKED)
    case["betalingsmodel"] = {"resultatmaal": [
        {"id": "job", "navn": "Job", "enhed": "andel", "datakilde": "Jobcentret", "maaletidspunkt": "Ved årets udgang",
         "aar": 2, "regel": {"type": "trappe", "taerskler": [0.05, 0.10], "betalinger": [50_000, 100_000]}}]}
    case["maaling"] = {"job": {"effekt": "job", "maal": "andel"}}
    return case


def checked_as_typed(path, typed, names: list[str]) -> dict:
    """``sibc check`` of a workbook the user typed into: LibreOffice equals the core in every result cell and every
    Kontrol row, the case read is ``typed``; the recalculated values of ``names``."""
    from workbooks.reader import open_workbook, values_of
    from workbooks.recalc import recalculating

    opened = book.open_checked([path])
    with recalculating([path]) as recalculated:
        ((checked, differences, cells, kontrol),) = book.check_many([path], recalculated, opened)
        assert checked == typed and cells > 300 and differences == [], differences[:5]
        assert kontrol and all(row.ok for row in kontrol), [row for row in kontrol if not row.ok]
        _, _, plan = opened[0]
        return values_of(open_workbook(recalculated(0), data_only=True), plan, names)


THIRD_STEP = (0.15, 250_000.0)  # typed in the first empty row: 15 %, 250.000 kr.


def test_a_third_step_typed_after_a_two_step_staircase_is_read_recalculated_and_a_knot(soffice, tmp_path):
    """A case built with a staircase of two steps has MAX_STEPS rows in its step table; the user types a third
    threshold and payment in the next empty row.  extract reads it as a step (no cell outside the inputs), LibreOffice
    pays it and every result cell equals the core's, and the break-even grid has its knot.

    By hand: the measured value is job's net success rate 0,30 − 0,10 = 0,20; it reaches the third threshold
    0,15, so the payment in year 2 is the third step's 250.000 kr. (the two steps alone paid 100.000 kr.).  All
    success rates moved together to s, the measured value is s − 0,10: the steps are reached at s = 0,15, 0,20
    and, the third, 0,25 (the break-even grid's knots)."""
    from udfs.core.businesscase import rule_knots
    from udfs.core.case_model import parse_case
    from udfs.core.engine import prepare

    case = parse_case(two_step_case())
    assert dims_of(case).metrics[0][1] == MAX_STEPS  # the step table's rows: two steps and room for six more
    path = book.build(case, tmp_path / "trappe.xlsx")
    t = Typist(path)
    t.type("bm1_taerskler", THIRD_STEP[0], 2)
    t.type("bm1_betalinger", THIRD_STEP[1], 2)
    t.save()

    typed, strays = book.extract_report(path)
    assert strays == []
    rule = typed.betalingsmodel.resultatmaal[0].regel
    assert (rule.taerskler, rule.betalinger) == ([0.05, 0.10, 0.15], [50_000.0, 100_000.0, 250_000.0])
    assert sorted(round(k, 12) for k in rule_knots(typed, prepare(typed))) == [0.15, 0.2, 0.25]

    got = checked_as_typed(path, typed, ["bm1_opnaaet", "bm1_beregnet", "kn_sorteret"])
    assert got["bm1_opnaaet"] == pytest.approx(0.30 - 0.10)
    assert got["bm1_beregnet"] == pytest.approx(250_000.0, abs=0.01)  # the third step's payment, as by hand
    knots = [k for k in got["kn_sorteret"] if isinstance(k, float)]
    for knot in (0.05 + 0.10, 0.10 + 0.10, 0.15 + 0.10):  # each threshold plus the control group's 0,10
        assert any(k == pytest.approx(knot, abs=1e-9) for k in knots), (knot, knots)


def test_a_staircase_of_more_steps_than_the_workbook_holds_is_refused_naming_the_field():
    from udfs.core.case_model import parse_case

    data = two_step_case()
    data["betalingsmodel"]["resultatmaal"][0]["regel"] |= {"taerskler": [0.01 * (k + 1) for k in range(MAX_STEPS + 1)],
                                                          "betalinger": [1_000.0 * (k + 1) for k in range(MAX_STEPS + 1)]}
    with pytest.raises(SIError) as err:
        parse_case(data)
    messages = [f"{e.argument}: {e.message}" for e in (err.value, *err.value.others)]
    assert f"betalingsmodel.resultatmaal[0].regel.taerskler: har for mange elementer (højst {MAX_STEPS}; se README, Grænser)" in messages, messages


# --------------------------------------------------------------------------- an outcome typed after a rate card's own

def one_outcome_rate_card() -> dict:
    """The worked example (tests/test_engine.py) with a rate card of one outcome, 20.000 kr. a job (effect job's
    net successes, maal: antal), paid in year 2."""
    import copy

    from tests.test_engine import WORKED

    case = copy.deepcopy(WORKED)
    case["betalingsmodel"] = {"resultatmaal": [
        {"id": "kort", "navn": "Udfald", "enhed": "personer", "datakilde": "Jobcentret", "maaletidspunkt": "Ved årets udgang",
         "aar": 2, "regel": {"type": "ratekort", "udfald": ["Job"], "priser": [20_000]}}]}
    case["maaling"] = {"kort": [{"effekt": "job", "maal": "antal"}]}
    return case


def test_an_outcome_typed_after_a_rate_cards_own_is_read_and_paid(soffice, tmp_path):
    """A rate card built with one outcome has room for more (SPARE_OUTCOMES empty rows, at least SPARE_STEPS in
    all); the user types a second outcome -- 50.000 kr. an avoided placement, effect anbringelse -- in the next row.
    extract reads it (no cell outside the inputs) and LibreOffice pays it, every result cell equal to the core's.

    By hand: 10 + 20 + 10 = 40 participants; job's net success rate 0,30 − 0,10 = 0,20 gives 8 jobs, anbringelse's
    0,25 − 0,05 = 0,20 gives 8 avoided placements: 8 × 20.000 + 8 × 50.000 = 560.000 kr. (the one outcome alone
    paid 160.000 kr.)."""
    from udfs.core.case_model import parse_case
    from workbooks.standard import SPARE_OUTCOMES

    case = parse_case(one_outcome_rate_card())
    assert dims_of(case).metrics[0][1] == max(SPARE_STEPS, 1 + SPARE_OUTCOMES)  # one outcome and room for more
    path = book.build(case, tmp_path / "ratekort.xlsx")
    t = Typist(path)
    for field, value in (("udfald_navn", "Anbringelse undgået"), ("priser", 50_000.0), ("udfald_effekt", "anbringelse"),
                         ("udfald_maal", "antal")):
        t.type(f"bm1_{field}", value, 1)
    t.save()

    typed, strays = book.extract_report(path)
    assert strays == []
    card = typed.betalingsmodel.resultatmaal[0].regel
    assert (card.udfald, card.priser) == (["Job", "Anbringelse undgået"], [20_000.0, 50_000.0])
    assert [(x.effekt, x.maal) for x in typed.maaling["kort"]] == [("job", "antal"), ("anbringelse", "antal")]

    got = checked_as_typed(path, typed, ["bm1_beregnet"])
    assert got["bm1_beregnet"] == pytest.approx(8 * 20_000 + 8 * 50_000, abs=0.01)  # 560.000 kr., as by hand
