"""The declarative workbook machinery (layout → writer → reader) on a small toy layout.

The toy values (ids ``toy_a``/``toy_b``, prices 1,000 and 2,500 kr., shares,
yearly amounts 100/200/300 kr., rate 4 %) are made up for the test; every
expected figure is computed by hand below, and LibreOffice computes the same
formulas from the written workbook.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from udfs.core.errors import SIError
from workbooks import styles as st
from workbooks import safe_write
from workbooks.layout import (
    Blank,
    Chart,
    Formula,
    Heading,
    Input,
    LayoutError,
    Legend,
    Sheet,
    Table,
    Text,
    Validation,
    WorkbookLayout,
    resolve,
)
from workbooks.reader import read_inputs, read_template_info, read_values
from workbooks.recalc import recalculate
from workbooks.writer import backup_path, workbook_bytes, write_workbook

DANGEROUS = ["=1+1", "+4512345678", "-5", "@SUM(A1)"]


def toy_layout(years: int = 3, refs: str = "address", version: str = "1") -> WorkbookLayout:
    """Three sheets: assumptions (list, share, bounded rate), a price table, yearly amounts."""
    assumptions = Sheet("Forudsætninger", (
        Legend(),
        Blank(),
        Input("myndighed", "Myndighed", kind="text", validation=Validation.one_of("kommune", "region", "stat", "offentlig")),
        Input("rente", "Diskonteringsrente", number_format=st.PERCENT, validation=Validation.between(0, 0.2), unit="andel", help="Fx 0,04 for 4 %"),
        Input("andel", "Andel af besparelsen", number_format=st.PERCENT, validation=Validation.between(0, 1)),
        Input("valgt_id", "Valgt enhedspris", kind="text", validation=Validation.from_range("pris_id")),
        Input("projekt", "Projektets navn", kind="text", required=False),
        Formula("valgt_pris", "Valgt pris", "=INDEX({pris},MATCH({valgt_id},{pris_id},0))", number_format=st.KR),
        Blank(),
        Table("noter_tabel", ("1", "2", "3", "4"), (Input("noter", "Note", kind="text", required=False),), orientation="columns", title="Nr."),
    ), title="Forudsætninger")
    prices = Sheet("Enhedspriser", (
        Heading("Priser"),
        Table("priser", ("1", "2"), (
            Input("pris_id", "Id", kind="text"),
            Input("pris", "Pris", number_format=st.KR, validation=Validation.between(0)),
            Input("andel_kommune", "Kommunens andel", number_format=st.PERCENT, validation=Validation.between(0, 1)),
        ), orientation="columns", title="Nr."),
    ), title="Enhedspriser", freeze="priser")
    labels = tuple(f"År {k}" for k in range(years))
    npv = "={beloeb[0]}+NPV({rente}," + ",".join(f"{{beloeb[{k}]}}" for k in range(1, years)) + ")"
    calc = Sheet("Beregning", (
        Table("aarlig", labels, (
            Input("beloeb", "Beløb", number_format=st.KR, validation=Validation.between(0)),
            Formula("df", "Diskonteringsfaktor", "=1/(1+{rente})^{i}", number_format=st.FACTOR),
            Formula("kum", "Kumuleret", "={kum[i-1]}+{beloeb[i]}", first="={beloeb[i]}", number_format=st.KR),
        ), title="Kr. pr. år", labels_name="aar"),
        Blank(),
        Formula("i_alt", "I alt × andel", "=SUM({beloeb})*{andel}", number_format=st.KR),
        Formula("nutid", "Nutidsværdi", npv, number_format=st.KR),
        Formula("nutid_kommune", "Kommunens nutidsværdi", "={nutid}*INDEX({andel_kommune},MATCH({valgt_id},{pris_id},0))", number_format=st.KR),
        Text("Diagrammet viser beløbene år for år.", role="note"),
        Chart("Beløb pr. år", ("beloeb",), categories="aar", kind="bar"),
    ), title="Beregning", freeze="aarlig")
    return WorkbookLayout("toy_business_case", version, (assumptions, prices, calc), meta={"katalogversion": "toy-1"}, dims={"antal_aar": years}, formula_refs=refs)


VALUES = {
    "myndighed": "kommune",
    "rente": 0.04,
    "andel": 0.5,
    "valgt_id": "toy_b",
    "projekt": "Toy-projekt",
    "noter": DANGEROUS,
    "pris_id": ["toy_a", "toy_b"],
    "pris": [1000.0, 2500.0],
    "andel_kommune": [0.5, 0.8],
    "beloeb": [100.0, 200.0, 300.0],
}

# Hand calculation for VALUES (rate 4 %, amounts 100/200/300 kr. in years 0-2):
HAND = {
    "df": [1.0, 1 / 1.04, 1 / 1.04**2],                         # 1, 0.961538…, 0.924556…
    "kum": [100.0, 300.0, 600.0],                               # running total
    "i_alt": 600.0 * 0.5,                                       # (100+200+300) × 0.5 = 300
    "nutid": 100 + 200 / 1.04 + 300 / 1.04**2,                  # 100 + 192.3077 + 277.3669 = 569.6746
    "nutid_kommune": (100 + 200 / 1.04 + 300 / 1.04**2) * 0.8,  # toy_b's share 0.8: 455.7396
    "valgt_pris": 2500.0,                                       # INDEX/MATCH of toy_b
}


def _sheet(path, name, data_only=False):
    return openpyxl.load_workbook(path, data_only=data_only)[name]


@pytest.fixture
def built(tmp_path) -> Path:
    return write_workbook(toy_layout(), VALUES, tmp_path / "toy.xlsx")


# ---------------------------------------------------------------- layout


@pytest.mark.parametrize(("name", "address"), [
    ("myndighed", "'Forudsætninger'!$B$6"),       # title row 1, blocks from row 3; legend 3-4, blank 5
    ("rente", "'Forudsætninger'!$B$7"),
    ("valgt_pris", "'Forudsætninger'!$B$11"),
    ("noter", "'Forudsætninger'!$B$14:$B$17"),    # blank 12, header 13, four rows
    ("pris_id", "'Enhedspriser'!$B$5:$B$6"),       # heading 3, header 4
    ("andel_kommune", "'Enhedspriser'!$D$5:$D$6"),
    ("aar", "'Beregning'!$B$3:$D$3"),              # the header row of years
    ("beloeb", "'Beregning'!$B$4:$D$4"),
    ("kum", "'Beregning'!$B$6:$D$6"),
    ("nutid", "'Beregning'!$B$9"),
    ("skabelon_version", "'_skabelon'!$B$2"),
])
def test_names_resolve_to_addresses(name, address):
    assert resolve(toy_layout()).names[name].absolute() == address


def _formulas(plan, sheet):
    cells = next(sp.cells for sp in plan.sheets if sp.sheet.name == sheet)
    return {f"{openpyxl.utils.get_column_letter(c.col)}{c.row}": c.formula for c in cells if c.formula}


@pytest.mark.parametrize(("refs", "sheet", "cell", "formula"), [
    ("address", "Beregning", "B5", "=1/(1+'Forudsætninger'!$B$7)^0"),
    ("address", "Beregning", "D5", "=1/(1+'Forudsætninger'!$B$7)^2"),
    ("address", "Beregning", "B6", "=$B$4"),                        # `first` at index 0, same sheet: no sheet name
    ("address", "Beregning", "C6", "=$B$6+$C$4"),
    ("address", "Beregning", "B8", "=SUM($B$4:$D$4)*'Forudsætninger'!$B$8"),
    ("address", "Beregning", "B9", "=$B$4+NPV('Forudsætninger'!$B$7,$C$4,$D$4)"),
    ("name", "Beregning", "B8", "=SUM(beloeb)*andel"),             # whole ranges as defined names
    ("name", "Beregning", "C6", "=$B$6+$C$4"),                      # indexed cells stay addresses
    ("name", "Forudsætninger", "B11", "=INDEX(pris,MATCH(valgt_id,pris_id,0))"),
])
def test_formula_templates_resolve(refs, sheet, cell, formula):
    assert _formulas(resolve(toy_layout(refs=refs)), sheet)[cell] == formula


def _one_sheet(*blocks):
    return WorkbookLayout("t", "1", (Sheet("Ark", tuple(blocks)),))


@pytest.mark.parametrize(("layout", "fragment"), [
    (_one_sheet(Input("aar1", "x")), "cell reference"),               # column AAR, row 1
    (_one_sheet(Input("r1c1", "x")), "cell reference"),
    (_one_sheet(Input("prisår", "x")), "lower-case ASCII"),
    (_one_sheet(Input("Pris", "x")), "lower-case ASCII"),
    (_one_sheet(Input("i", "x")), "reserved"),
    (_one_sheet(Input("a_b", "x"), Input("a_b", "y")), "defined twice"),
    (_one_sheet(Formula(None, "x", "=2*{ukendt}")), "unknown name"),
    (_one_sheet(Formula(None, "x", "SUM(1)")), "start with '='"),
    (_one_sheet(Formula(None, "x", "={i}")), "only allowed in a table"),
    (_one_sheet(Table("t", ("a", "b"), (Formula("f", "f", "={f[i+1]}"),))), "outside"),
    (_one_sheet(Input("a_b", "x", kind="text", validation=Validation.one_of("a,b", "c"))), "no commas"),
    (_one_sheet(Input("a_b", "x", kind="text", validation=Validation.from_range("ingen"))), "unknown name"),
    (_one_sheet(Text("x", role="fed")), "text role"),
    (WorkbookLayout("t", "1", (Sheet("Ark:1", ()),)), "sheet name"),
    (WorkbookLayout("t", "1", (Sheet("_skabelon", ()),)), "reserved"),
])
def test_layout_mistakes_are_refused(layout, fragment):
    with pytest.raises(LayoutError, match=fragment):
        resolve(layout)


def test_array_constants_in_formulas_are_left_alone():
    plan = resolve(_one_sheet(Input("uge", "Uge"), Formula(None, "x", "=LOOKUP({uge},{1,5,27,53},{0.8,0.4,0.3,0.2})")))
    assert _formulas(plan, "Ark")["B2"] == "=LOOKUP($B$1,{1,5,27,53},{0.8,0.4,0.3,0.2})"


# ---------------------------------------------------------------- build and read back


def test_build_then_read_back_gives_the_inputs(built):
    assert read_inputs(built, toy_layout()) == VALUES


@pytest.mark.parametrize(("name", "cell", "typed", "expected"), [
    ("rente", ("Forudsætninger", "B7"), 0.035, 0.035),
    ("myndighed", ("Forudsætninger", "B6"), "stat", "stat"),
    ("valgt_id", ("Forudsætninger", "B9"), "toy_a", "toy_a"),
    ("beloeb", ("Beregning", "C4"), 250, [100.0, 250.0, 300.0]),
    ("pris_id", ("Enhedspriser", "B6"), "toy_c", ["toy_a", "toy_c"]),
    ("projekt", ("Forudsætninger", "B10"), None, None),               # optional input emptied
])
def test_an_edited_input_reads_back_changed(built, name, cell, typed, expected):
    wb = openpyxl.load_workbook(built)
    wb[cell[0]][cell[1]] = typed
    if name == "pris_id":                  # keep the chosen id valid after renaming toy_b
        wb["Forudsætninger"]["B9"] = "toy_c"
    wb.save(built)
    assert read_inputs(built, toy_layout())[name] == expected


@pytest.mark.parametrize(("cell", "typed", "argument", "fragment"), [
    (("Forudsætninger", "B8"), 1.5, "andel", "skal være mellem 0 og 1, ikke 1,5 (Forudsætninger!B8)"),
    (("Forudsætninger", "B7"), "fire procent", "rente", "skal være et tal"),
    (("Forudsætninger", "B6"), "amt", "myndighed", "skal være en af: kommune, region, stat, offentlig"),
    (("Forudsætninger", "B9"), "toy_x", "valgt_id", "skal være en af: toy_a, toy_b"),
    (("Forudsætninger", "B6"), None, "myndighed", "mangler en værdi (Forudsætninger!B6)"),
    (("Beregning", "D4"), -1, "beloeb", "skal være på mindst 0, ikke -1 (Beregning!D4)"),
])
def test_an_invalid_edit_is_refused_naming_input_and_cell(built, cell, typed, argument, fragment):
    wb = openpyxl.load_workbook(built)
    wb[cell[0]][cell[1]] = typed
    wb.save(built)
    with pytest.raises(SIError) as err:
        read_inputs(built, toy_layout())
    assert err.value.argument == argument and fragment in err.value.message


@pytest.mark.parametrize(("values", "argument", "fragment"), [
    ({**VALUES, "andel": 2.0}, "andel", "skal være mellem 0 og 1"),
    ({**VALUES, "beloeb": [1.0, 2.0]}, "beloeb", "skal have 3 værdier, ikke 2"),
    ({**VALUES, "ukendt": 1}, "ukendt", "er ikke et input"),
    ({**VALUES, "valgt_id": "toy_x"}, "valgt_id", "skal være en af: toy_a, toy_b"),
])
def test_building_refuses_values_the_layout_refuses(tmp_path, values, argument, fragment):
    with pytest.raises(SIError) as err:
        write_workbook(toy_layout(), values, tmp_path / "x.xlsx")
    assert err.value.argument == argument and fragment in err.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_layout_function_reads_a_workbook_of_any_size(tmp_path):
    path = write_workbook(toy_layout(years=4), {**VALUES, "beloeb": [1.0, 2.0, 3.0, 4.0]}, tmp_path / "fire.xlsx")
    info = read_template_info(path)
    assert (info.template_id, info.version, info.dims, info.meta) == ("toy_business_case", "1", {"antal_aar": 4}, {"katalogversion": "toy-1"})
    assert read_inputs(path, lambda info: toy_layout(years=info.dims["antal_aar"]))["beloeb"] == [1.0, 2.0, 3.0, 4.0]
    with pytest.raises(SIError, match="antal_aar = 4, skabelonen forventer 3"):
        read_inputs(path, toy_layout(years=3))


def test_a_formula_typed_into_an_input_is_read_from_the_saved_value(built, tmp_path, soffice):
    wb = openpyxl.load_workbook(built)
    wb["Forudsætninger"]["B7"] = "=0.02*2"
    wb.save(built)
    with pytest.raises(SIError, match="formel uden gemt værdi"):
        read_inputs(built, toy_layout())
    saved = recalculate(built, tmp_path / "lo")       # as Excel would: computed and saved
    assert read_inputs(saved, toy_layout())["rente"] == pytest.approx(0.04)


# ---------------------------------------------------------------- LibreOffice


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, request):
    """The toy workbook in both reference styles, recalculated by LibreOffice."""
    request.getfixturevalue("soffice")
    out = {}
    for refs in ("address", "name"):
        folder = tmp_path_factory.mktemp(refs)
        src = write_workbook(toy_layout(refs=refs), VALUES, folder / f"toy_{refs}.xlsx")
        out[refs] = recalculate(src, folder / "lo")
    return out


@pytest.mark.parametrize("refs", ["address", "name"])
@pytest.mark.parametrize("name", sorted(HAND))
def test_libreoffice_computes_the_hand_values(recalculated, refs, name):
    got = read_values(recalculated[refs], toy_layout(refs=refs), [name])[name]
    assert got == pytest.approx(HAND[name], abs=1e-9)


def test_inputs_survive_a_libreoffice_round_trip(recalculated):
    assert read_inputs(recalculated["address"], toy_layout()) == VALUES


def test_text_that_looks_like_a_formula_stays_text(built, recalculated):
    cells = _sheet(built, "Forudsætninger")["B14:B17"]
    assert [c.data_type for (c,) in cells] == ["s"] * 4
    assert [c.value for (c,) in cells] == DANGEROUS
    assert all(c.quotePrefix for (c,) in cells)
    computed = _sheet(recalculated["address"], "Forudsætninger", data_only=True)["B14:B17"]
    assert [c.value for (c,) in computed] == DANGEROUS   # LibreOffice did not evaluate "=1+1"


# ---------------------------------------------------------------- refusing files


def _plain_workbook(path):
    openpyxl.Workbook().save(path)


def _other_template(path):
    write_workbook(WorkbookLayout("andet", "1", toy_layout().sheets), VALUES, path)


def _newer_version(path):
    write_workbook(toy_layout(version="2"), VALUES, path)


@pytest.mark.parametrize(("make", "filename", "fragment"), [
    (_plain_workbook, "almindelig.xlsx", "er ikke lavet med sibc build (skabelonen), så den kan ikke læses; lav en projektmappe med sibc build"),
    (lambda p: p.write_bytes(b"ikke en zip-fil"), "itu.xlsx", "kan ikke åbnes som Excel-projektmappe"),
    (lambda p: p.write_text("id;beloeb\n", encoding="utf-8"), "data.csv", "er ikke en Excel-projektmappe (.xlsx)"),
    (_other_template, "andet.xlsx", "er lavet med skabelonen 'andet', ikke 'toy_business_case'"),
    (_newer_version, "ny.xlsx", "har skabelonversion 2, som dette program ikke kan læse (kender version 1); åbn den med "
                                "den version af sibc, der lavede den, kør sibc extract for at få casen som case-fil, og byg"),
])
def test_foreign_files_are_refused_and_left_untouched(tmp_path, make, filename, fragment):
    path = tmp_path / filename
    make(path)
    before, stat = path.read_bytes(), path.stat()
    with pytest.raises(SIError) as err:
        read_inputs(path, toy_layout())
    assert err.value.argument == "fil" and fragment in err.value.message
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stat.st_mtime_ns


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(SIError, match="findes ikke"):
        read_inputs(tmp_path / "ingen.xlsx", toy_layout())


# ---------------------------------------------------------------- safe writing


def test_an_existing_file_is_kept_unless_overwrite_and_then_backed_up(tmp_path):
    path = tmp_path / "toy.xlsx"
    path.write_bytes(b"brugerens gamle fil")
    with pytest.raises(SIError, match="findes allerede"):
        write_workbook(toy_layout(), VALUES, path)
    assert path.read_bytes() == b"brugerens gamle fil"
    write_workbook(toy_layout(), VALUES, path, overwrite=True)
    assert backup_path(path) == tmp_path / "toy.bak1.xlsx"
    assert backup_path(path).read_bytes() == b"brugerens gamle fil"
    assert path.read_bytes() == workbook_bytes(toy_layout(), VALUES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["toy.bak1.xlsx", "toy.xlsx"]
    # a second overwrite keeps the first backup and adds the next number
    path.write_bytes(b"rettet igen")
    write_workbook(toy_layout(), VALUES, path, overwrite=True)
    assert (tmp_path / "toy.bak1.xlsx").read_bytes() == b"brugerens gamle fil"
    assert (tmp_path / "toy.bak2.xlsx").read_bytes() == b"rettet igen"


@pytest.mark.parametrize("target", ["toy.xls", "toy.csv", "mangler/toy.xlsx"])
def test_a_target_that_is_not_an_xlsx_in_an_existing_folder_is_refused(tmp_path, target):
    with pytest.raises(SIError):
        write_workbook(toy_layout(), VALUES, tmp_path / target)
    assert list(tmp_path.iterdir()) == []


def _fail(*args, **kwargs):
    raise OSError("disken er fuld (simuleret)")


@pytest.mark.parametrize("where", ["openpyxl_save", "fsync", "rename"])
@pytest.mark.parametrize("existing", [None, b"den gamle fil"])
def test_an_interrupted_write_leaves_no_partial_file(tmp_path, monkeypatch, where, existing):
    path = tmp_path / "toy.xlsx"
    if existing:
        path.write_bytes(existing)
    target = {"openpyxl_save": (openpyxl.Workbook, "save"), "fsync": (safe_write.os, "fsync"), "rename": (safe_write.os, "replace")}[where]
    if where == "rename" and existing:  # let the backup be written, fail on the workbook itself
        real = os.replace
        monkeypatch.setattr(safe_write.os, "replace", lambda s, d: real(s, d) if str(d).endswith(".bak1.xlsx") else _fail())
    else:
        monkeypatch.setattr(*target, _fail)
    with pytest.raises(OSError, match="simuleret"):
        write_workbook(toy_layout(), VALUES, path, overwrite=True)
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "toy.bak1.xlsx")
    assert leftovers == (["toy.xlsx"] if existing else [])
    if existing:
        assert path.read_bytes() == existing


def test_a_written_file_has_ordinary_permissions(built):
    umask = os.umask(0)
    os.umask(umask)
    assert built.stat().st_mode & 0o777 == 0o666 & ~umask


# ---------------------------------------------------------------- determinism


_BUILD_IN_SUBPROCESS = (
    "import importlib.util, sys\n"
    "spec = importlib.util.spec_from_file_location('toy', sys.argv[1])\n"
    "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
    "from workbooks.writer import workbook_bytes\n"
    "sys.stdout.buffer.write(workbook_bytes(m.toy_layout(), m.VALUES))\n"
)


def test_two_builds_are_identical_bytes():
    """'Same content' means the same .xlsx bytes: fixed document times, fixed zip entry times,
    and no dependence on hash seeds (checked across processes)."""
    here = workbook_bytes(toy_layout(), VALUES)
    assert workbook_bytes(toy_layout(), VALUES) == here
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", _BUILD_IN_SUBPROCESS, __file__], capture_output=True, env=env, check=True)
        assert done.stdout == here
    assert workbook_bytes(toy_layout(), {**VALUES, "rente": 0.05}) != here   # the comparison can fail


def test_zip_entries_and_document_times_are_fixed(built):
    """Independent of how fast two builds run: every time stamp in the file is the layout's."""
    with zipfile.ZipFile(built) as z:
        assert {info.date_time for info in z.infolist()} == {(2020, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert core.count("2020-01-01T00:00:00Z") == 2   # created and modified


# ---------------------------------------------------------------- workbook features


def test_the_written_workbook_has_the_promised_features(built):
    wb = openpyxl.load_workbook(built)
    assert wb.calculation.fullCalcOnLoad is True
    assert wb.sheetnames == ["Forudsætninger", "Enhedspriser", "Beregning", "_skabelon"]
    assert wb["_skabelon"].sheet_state == "hidden"
    assert [(r[0].value, r[1].value) for r in wb["_skabelon"]["A1:B4"]] == [
        ("skabelon", "toy_business_case"), ("version", "1"), ("katalogversion", "toy-1"), ("dim.antal_aar", 3)]
    assert set(resolve(toy_layout()).names) <= set(wb.defined_names)
    assert wb.defined_names["beloeb"].attr_text == "'Beregning'!$B$4:$D$4"
    assert (wb.properties.created.isoformat(), wb.properties.modified.isoformat()) == ("2020-01-01T00:00:00",) * 2
    for ws in wb.worksheets:
        assert ws.protection.sheet and not ws.protection.password
    for ws in wb.worksheets[:3]:
        # A4; the toy's sheets are narrower than a portrait page (workbooks.printing): portrait at 100 %, not shrunk
        assert ws.page_setup.orientation == "portrait" and int(ws.page_setup.paperSize) == 9
        assert not ws.sheet_properties.pageSetUpPr.fitToPage
    ws = wb["Beregning"]
    assert ws.freeze_panes == "B4" and ws.print_title_rows == "$1:$3" and ws.print_title_cols == "$A:$A"
    assert wb["Forudsætninger"].freeze_panes == "A2"
    assert len(ws._charts) == 1
    assert ws.column_dimensions["A"].width == len("Kommunens nutidsværdi") + 2


@pytest.mark.parametrize(("sheet", "cell", "locked", "number_format", "fill"), [
    ("Forudsætninger", "B7", False, st.PERCENT, st.INPUT_FILL),     # input: unlocked
    ("Forudsætninger", "B6", False, st.TEXT, st.INPUT_FILL),        # text input formatted as text
    ("Enhedspriser", "C5", False, st.KR, st.INPUT_FILL),
    ("Beregning", "C4", False, st.KR, st.INPUT_FILL),
    ("Beregning", "C5", True, st.FACTOR, st.FORMULA_FILL),          # formula: locked
    ("Beregning", "B9", True, st.KR, st.FORMULA_FILL),
    ("Forudsætninger", "A3", True, "General", st.INPUT_FILL),       # legend sample of an input cell
    ("Forudsætninger", "A4", True, "General", st.FORMULA_FILL),     # legend sample of a formula cell
])
def test_cells_are_styled_and_protected_by_role(built, sheet, cell, locked, number_format, fill):
    c = _sheet(built, sheet)[cell]
    assert (c.protection.locked, c.number_format, c.fill.start_color.rgb[-6:]) == (locked, number_format, fill)


@pytest.mark.parametrize(("sqref", "kind", "formula1", "formula2"), [
    ("B6", "list", '"kommune,region,stat,offentlig"', None),
    ("B7", "decimal", "0", "0.2"),
    ("B8", "decimal", "0", "1"),
    ("B9", "list", "pris_id", None),                  # list from a named range on another sheet
])
def test_inputs_carry_data_validation(built, sqref, kind, formula1, formula2):
    rules = {str(dv.sqref): dv for dv in _sheet(built, "Forudsætninger").data_validations.dataValidation}
    dv = rules[sqref]
    assert (dv.type, dv.formula1, dv.formula2, dv.showErrorMessage) == (kind, formula1, formula2, True)
    assert dv.error  # a Danish message for the user


def test_a_tables_totals_column_and_greyed_columns(tmp_path):
    """``Table.totals`` adds a named SUM cell after the labels; ``Table.greyed`` adds one conditional
    format over the label and value cells (not the totals), with the condition as given."""
    from dataclasses import replace

    layout = toy_layout()
    calc = layout.sheets[2]
    table = replace(calc.blocks[0], totals=("beloeb",), greyed="COLUMN()-2>=2")
    layout = replace(layout, sheets=(*layout.sheets[:2], replace(calc, blocks=(table, *calc.blocks[1:]))))
    plan = resolve(layout)
    total = plan.names["beloeb_i_alt"]
    assert (total.sheet, total.coordinate()) == ("Beregning", "E4")  # after År 0–2 in B–D, on the row of beloeb
    path = write_workbook(layout, VALUES, tmp_path / "totals.xlsx")
    ws = openpyxl.load_workbook(path)["Beregning"]
    assert ws["E3"].value == "I alt" and ws["E4"].value == "=SUM($B$4:$D$4)" and ws["E5"].value is None
    rules = [(str(cf.sqref), rule.formula) for cf in ws.conditional_formatting for rule in cf.rules]
    assert rules == [("B3:D6", ["COLUMN()-2>=2"])]
