"""The standard business-case workbook: LibreOffice's recalculation equals the core,
the Kontrol sheet's SI_ formulas agree, read-back loses nothing, writing is safe."""

import copy
import os
from pathlib import Path

import openpyxl
import yaml
import pytest

from udfs.core.case_model import parse_case
from udfs.core.casefile import load_business_case
from udfs.core.errors import SIError
from workbooks import book
from workbooks.cli import example_cases, main
from workbooks.layout import resolve
from workbooks.reader import open_template
from workbooks.standard import dims_of, layout_for, layout_from_info

from tests.feature_cases import FEATURE_CASES

CASES = {"blank": book.blank_case(), **{p.stem: load_business_case(p) for p in example_cases()}}
# Every payment rule, contract caps, a tier step at the break-even and an index fremskrivning.
CASES |= {name: parse_case(data) for name, data in FEATURE_CASES.items()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_libreoffice_equals_the_core_in_every_result_cell(name, soffice, tmp_path):
    """Every result cell, recalculated by LibreOffice, equals the core to 0.01 kr.;
    every SI_ formula of the Kontrol sheet, evaluated with the Python functions, agrees."""
    path = book.build(CASES[name], tmp_path / f"{name}.xlsx")
    case, differences, cells, kontrol = book.check(path)
    assert cells > 50
    assert differences == []
    assert kontrol and all(k.ok for k in kontrol), [k for k in kontrol if not k.ok]
    assert case == CASES[name]


@pytest.mark.parametrize("name", sorted(CASES))
def test_build_then_extract_gives_the_same_case(name, tmp_path):
    path = book.build(CASES[name], tmp_path / f"{name}.xlsx")
    assert book.extract(path) == CASES[name]


@pytest.mark.parametrize("name", sorted(CASES))
def test_two_builds_are_identical(name):
    assert book.build_bytes(CASES[name]) == book.build_bytes(CASES[name])


def _set(path: Path, name: str, value, index: int = 0) -> None:
    """Change an input the way a user would in Excel (openpyxl here), by its defined name."""
    _, _, plan = open_template(path, layout_from_info)  # the workbook's own layout: a half-typed row does not stop it
    ref = (plan.inputs[name][1] if name in plan.inputs else plan.names[name]).cell(index)  # an input's own cell
    wb = openpyxl.load_workbook(path)
    wb[ref.sheet].cell(ref.min_row, ref.min_col).value = value
    wb.save(path)


def test_an_edited_workbook_extracts_to_the_changed_case_and_still_checks(soffice, tmp_path):
    path = book.build(CASES["eksempel_ungeindsats"], tmp_path / "eks.xlsx")
    _set(path, "eff1_succesrate", 0.4)
    _set(path, "omk2_pr_aar", 99_000, index=1)
    _set(path, "sc_lav", 0.05, index=2)  # effect 3's base is 10 %: a low scenario below it
    changed = book.extract(path)
    assert changed.effekter[0].succesrate == 0.4
    assert changed.indsats[1].pr_aar[1] == 99_000
    assert changed.scenarier["lav"]["effekter.kriminalitet.succesrate"] == 0.05
    _, differences, _, kontrol = book.check(path)
    assert differences == [] and all(k.ok for k in kontrol)


def test_a_changed_price_becomes_the_kommunes_own_price(tmp_path):
    # A price of its own for a Katalog id is a row of Egne priser with that id, its amount and its own source.
    path = book.build(CASES["eksempel_ungeindsats"], tmp_path / "eks.xlsx")
    row = {"id": "kontanthjaelp_30plus_ikke_forsoerger_uge", "navn": "Kontanthjælp, kommunens egen pris", "enhed": "uge",
           "beloeb": 3000.0, "prisaar": 2023, "andel_kommune": 0.8, "andel_region": 0, "andel_stat": 0.2,
           "budgetomraade": "Forsørgelsesydelser", "kilde_udgiver": "Kommunen", "kilde_dokument": "Eget regnestykke"}
    for field, value in row.items():
        _set(path, f"eg_{field}", value, index=0)
    case = book.extract(path)
    own = {p["id"]: p for p in case.egne_priser}
    assert own["kontanthjaelp_30plus_ikke_forsoerger_uge"]["beloeb"] == 3000.0


def test_formula_like_text_is_written_as_text(tmp_path):
    data = copy.deepcopy(CASES["eksempel_ungeindsats"].model_dump(mode="json"))
    data["navn"] = '=HYPERLINK("http://example.invalid","klik")'
    data["effekter"][0]["navn"] = "+45 dage"
    case = parse_case(data)
    path = book.build(case, tmp_path / "tekst.xlsx")
    ref = resolve(layout_for(dims_of(case))).names["navn"]
    cell = openpyxl.load_workbook(path)[ref.sheet].cell(ref.min_row, ref.min_col)
    assert cell.data_type == "s" and cell.value == data["navn"]
    assert book.extract(path) == case


def test_existing_target_is_not_overwritten_without_the_flag(tmp_path):
    target = tmp_path / "case.xlsx"
    target.write_bytes(b"my own work")
    with pytest.raises(SIError):
        book.build(CASES["blank"], target)
    assert target.read_bytes() == b"my own work"
    book.build(CASES["blank"], target, overwrite=True)
    assert (tmp_path / "case.bak1.xlsx").read_bytes() == b"my own work"


def test_extract_refuses_a_workbook_that_is_not_the_template(tmp_path):
    other = tmp_path / "andet.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "mit eget regneark"
    wb.save(other)
    before, mtime = other.read_bytes(), os.stat(other).st_mtime_ns
    with pytest.raises(SIError) as err:
        book.extract(other)
    assert err.value.argument == "fil" and "skabelon" in err.value.message
    assert other.read_bytes() == before and os.stat(other).st_mtime_ns == mtime


def test_unknown_unit_cost_id_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    text = next(p for p in example_cases() if p.stem == "eksempel_ungeindsats").read_text(encoding="utf-8")
    bad.write_text(text.replace("enhedspris: faengsel_lukket_dag", "enhedspris: findes_ikke"), encoding="utf-8")
    assert main(["build", str(bad), "-o", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    # The third effect (id kriminalitet) named as the workbook numbers it, with the line of the case file
    line = 1 + bad.read_text(encoding="utf-8").splitlines().index("    enhedspris: findes_ikke")
    assert err.startswith(f"Fejl i effekt 3 (kriminalitet), enhedspris (linje {line}): ukendt enhedspris 'findes_ikke'")
    assert not (tmp_path / "x.xlsx").exists()


def test_server_names_for_the_office_js_route(tmp_path):
    path = book.build(CASES["eksempel_ungeindsats"], tmp_path / "web.xlsx", server_names=True)
    ws = openpyxl.load_workbook(path)["Kontrol"]
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert any("SI.NUTIDSVAERDI(" in f for f in formulas) and not any("SI_" in f for f in formulas)


def test_workbook_features(tmp_path):
    path = book.build(CASES["eksempel_ungeindsats"], tmp_path / "eks.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:11] == ["Overblik", "Vejledning", "Forudsætninger", "Enhedspriser", "Indsats", "Effekter",
                                  "Betalingsmodel", "Risici", "Resultat", "Følsomhed", "Kontrol"]
    assert wb.calculation.fullCalcOnLoad
    assert all(wb[s].protection.sheet for s in wb.sheetnames[:11])
    assert {"prisaar", "eff1_succesrate", "nv_betaler", "break_even"} <= set(wb.defined_names)
    assert wb["Resultat"]._charts and wb["Resultat"].freeze_panes


def test_cli_build_extract_check(tmp_path, capsys, soffice):
    example = str(next(p for p in example_cases() if p.stem == "sygedagpenge"))
    out = tmp_path / "s.xlsx"
    assert main(["build", example, "-o", str(out)]) == 0
    assert main(["extract", str(out), "-o", str(tmp_path / "s.yaml")]) == 0
    assert load_business_case(tmp_path / "s.yaml") == load_business_case(example)
    assert main(["extract", str(out), "-o", str(tmp_path / "s.yaml")]) == 2  # no silent overwrite
    assert main(["check", str(out)]) == 0
    assert "ingen forskelle" in capsys.readouterr().out


def _top_level_operators(formula: str) -> str:
    """The + and − signs of a formula outside brackets, names ({…}) and texts ("…")."""
    ops, depth, quoted, name = [], 0, False, 0
    for i, ch in enumerate(formula):
        if ch == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif ch == "{":
            name += 1
        elif ch == "}":
            name -= 1
        elif name:
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and ch in "+-" and i > 1 and formula[i - 1] not in "(,*/^=<>E":
            ops.append(ch)
    return "".join(ops)


@pytest.mark.parametrize("name", ["alle_myndigheder", "region_betaler", "ratekort_kontraktloft"])
def test_no_formula_subtracts_part_of_a_sum(name):
    """A subtracted sum is bracketed: no formula has a − followed by a + at the same level (the Følsomhed
    sheet once computed savings − kommune + region + stat costs)."""
    from workbooks.layout import Formula, Formulas

    case = CASES.get(name) or CASES[f"eksempel_{name}"]

    def items(blocks):
        for b in blocks:
            yield from items(b.items) if hasattr(b, "items") and not isinstance(b, (Formula, Formulas)) else [b]

    for sheet in book.layout_of(case).sheets:
        for item in items(sheet.blocks):
            formulas = [item.formula] if isinstance(item, Formula) else list(item.formulas) if isinstance(item, Formulas) else []
            for f in formulas:
                ops = _top_level_operators(f)
                assert "+" not in ops[ops.find("-"):] or "-" not in ops, (sheet.name, item.name, f)


def test_every_line_of_the_yearly_table_is_a_resultat_row_with_its_label():
    # One definition per line (udfs.core.lineitems.YEARLY_LINES): the sheet Resultat has a row of the
    # same name and label for each, in the same order; its recalculated values are compared with the
    # line's numpy column in test_libreoffice_equals_the_core_in_every_result_cell (book.expected_values).
    from udfs.core.businesscase import TABLE_HEADER, YEARLY_COLUMNS
    from udfs.core.lineitems import YEARLY_LINES
    from workbooks.layout import Table
    from workbooks.standard import dims_of, sheet_results

    sheet = sheet_results(dims_of(book.blank_case()))
    table = next(b for b in sheet.blocks if isinstance(b, Table) and b.name == "resultat")
    rows = [(item.name, item.label) for item in table.items if item.name in {line.name for line in YEARLY_LINES}]
    assert rows == [(line.name, line.label) for line in YEARLY_LINES]
    assert TABLE_HEADER == [line.label for line in YEARLY_LINES]
    assert list(YEARLY_COLUMNS) == [line.name for line in YEARLY_LINES]  # a numpy column for each line
    assert set(book.expected_values(book.blank_case())) >= {line.name for line in YEARLY_LINES}


# --------------------------------------------------------------------------- sources and published figures


def test_sources_are_cell_comments_beside_their_values_and_read_back(tmp_path):
    """A value's kilde/antagelse is a comment on its input cell; extract reads it back; a comment the
    user writes that is not a source is left out; an unplaced source is named."""
    from udfs.core.sourced import Note
    from workbooks.standard import note_cells, unplaced_notes

    case = CASES["sygedagpenge"]
    assert unplaced_notes(case) == [] and len(case.kilder) >= 10
    path = book.build(case, tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    name, k = note_cells(case)["egne_priser[0].beloeb"]
    cell = list(wb.defined_names[name].destinations)[0]
    sheet, ref = cell
    first = wb[sheet][ref.replace("$", "").split(":")[0]]
    row = [c for r in wb[sheet][ref.replace("$", "")] for c in r] if ":" in ref else [first]
    text = row[k].comment.text
    assert text.startswith("Antagelse: Kommunens egen pris, afledt af de offentliggjorte tal: 6.400.000 kr.")
    assert Note.from_text(text) == case.kilder["egne_priser[0].beloeb"]
    assert Note.from_text("En bemærkning, jeg selv har skrevet") is None
    assert book.extract(path).kilder == case.kilder
    # A source on a value the workbook has no cell for (a scenario) is named, not dropped silently.
    lone = parse_case({**CASES["eksempel_ungeindsats"].model_dump(),
                       "kilder": {"usikkerhed.seed": {"antagelse": "fast frø for gentagelighed"}}})
    assert unplaced_notes(lone) == ["usikkerhed.seed"]


def test_what_if_workbook_shows_the_published_comparison(tmp_path, soffice):
    """A copy of Sygedagpenge with half success: LibreOffice computes the Offentliggjort sheet as the core
    does (savings of effect 1: 3.2 against 6.4 published, 'afviger'; investment 6.2 'genskabt')."""
    data = CASES["sygedagpenge"].model_dump()
    data["effekter"][0]["succesrate"] = 0.5
    what_if = parse_case(data)
    path = book.build(what_if, tmp_path / "hvad_hvis.xlsx")
    case, differences, cells, kontrol = book.check(path)
    assert differences == [] and case == what_if
    values = book.expected_values(what_if)
    # rows: investering, effect 1, effect 2, i alt, betaling, bonus, netto (hand figures in tests/test_cases.py)
    got = values["off_beregnet"]  # one row per effect slot: the two effects, then the empty slots (0), then the totals
    # the payment at full success is computed with every success rate at 1, as published: 7.4 (tests/test_cases.py)
    assert got[:3] + got[-4:] == [6.2, 3.2, 23.0, 26.2, 7.4, 0.4, 19.6] and set(got[3:-4]) == {0.0}
    status = values["off_status"]
    assert status[:3] + status[-4:] == ["genskabt", "afviger", "genskabt", "afviger", "genskabt", "afviger", "afviger"] and set(status[3:-4]) == {"—"}


def test_optimism_deduction_on_gains_only_agrees_in_libreoffice(soffice, tmp_path):
    """The workbook's optimism deduction shrinks gains only, as the engine (tests/test_engine.py computes
    OPTIMISM by hand): LibreOffice equals the core in every result cell (0.01 kr.) and in Kontrol."""
    from tests.test_engine import OPTIMISM

    case = parse_case(OPTIMISM)
    path = book.build(case, tmp_path / "optimisme.xlsx")
    back, differences, cells, kontrol = book.check(path)
    assert cells > 50 and differences == [], differences
    assert kontrol and all(k.ok for k in kontrol), [k for k in kontrol if not k.ok]
    assert back == case


def test_overblik_heads_with_the_present_value_of_the_cases_view(soffice, tmp_path, capsys):
    """``visning: offentlig``: Overblik's first key figure is the public sector's present value, as ``sibc calc``'s
    headline; the payer's follows.  Read from the built sheet recalculated by LibreOffice: the figures are the
    core's (0.01 kr.) and the same in both views, only their order follows the view."""
    from udfs.core.businesscase import key_figures
    from udfs.core.case_model import dump_case
    from udfs.core.engine import run
    from workbooks.recalc import recalculate

    payer = CASES["eksempel_ungeindsats"]
    public = parse_case(yaml.safe_load(dump_case(payer)) | {"visning": "offentlig"})
    core = key_figures(run(public))
    shown = {}
    for case in (payer, public):
        path = book.build(case, tmp_path / f"{case.visning}.xlsx")
        back, differences, _, kontrol = book.check(path)  # every result cell, recalculated, equals the core
        assert differences == [] and all(k.ok for k in kontrol) and back == case
        _, _, plan = open_template(path, layout_from_info)
        sheet = openpyxl.load_workbook(recalculate(path, tmp_path / case.visning), data_only=True)["Overblik"]
        rows = sorted((plan.names[f"ov_{name}"].min_row, name) for name in ("nv_betaler", "nv_offentlig"))
        shown[case.visning] = [(sheet.cell(row, 1).value, sheet.cell(row, plan.names[f"ov_{name}"].min_col).value) for row, name in rows]
        for _, name in rows:
            assert sheet.cell(plan.names[f"ov_{name}"].min_row, plan.names[f"ov_{name}"].min_col).value == pytest.approx(core[name], abs=0.01)
    assert [label for label, _ in shown["offentlig"]] == ["Nutidsværdi netto, offentlig sektor i alt", "Nutidsværdi netto, betaler"]
    assert shown["kommune"] == shown["offentlig"][::-1]  # the same figures, the view's first
    path = tmp_path / "offentlig.yaml"
    path.write_text(dump_case(public), encoding="utf-8")
    capsys.readouterr()
    main(["calc", str(path)])
    out = capsys.readouterr().out
    assert out.index("Nutidsværdi netto offentlig") < out.index("Nutidsværdi netto betaler")
