"""Prices at today's level: a case priced at 2026 calculates with an explicit rate or the user's own
index, in Python, the Excel functions, the command line and the workbook (checked by LibreOffice);
where it cannot, one Danish message says what to fill."""

import re
import tempfile
from pathlib import Path

import openpyxl
import pytest

from udfs.core.case_model import parse_case
from udfs.core.engine import price_note, run, unit_price
from udfs.core.errors import SIError
from udfs.excel import SI_ENHEDSPRIS, SI_PRISINDEKS
from workbooks import book
from workbooks.cli import main
from workbooks.layout import resolve
from workbooks.recalc import recalculate
from workbooks.standard import dims_of, layout_for

# sygedagpenge_uge: 4.695 kr./uge in 2024 (catalogue, bm.dk); kontanthjælp 30+ ikke-forsørger: 11.944 kr./md.
# in 2023 (bm.dk).  The nettoprisindeks (npi) ends in 2023 at 118.04.
SYG_2024 = 4695.0
KH_2023 = 2756.31  # the catalogue row: 11,944 × 12 / 52 = 2,756.31 kr./uge (rounded to øre)
# A kommune's own index (illustrative values, the example continued back to 2023).
OWN = {2023: 97.0, 2024: 100.0, 2025: 102.0, 2026: 104.5}

CASE_2026 = {
    "navn": "Sygedagpenge og kontanthjælp i 2026-priser", "prisaar": 2026, "horisont": 3, "deltagere": [10],
    "indsats": [{"navn": "Indsats", "betaler": "kommune", "pr_aar": [50_000]}],
    "effekter": [
        {"id": "syg", "navn": "Færre uger på sygedagpenge", "enhedspris": "sygedagpenge_uge", "profil": [-5, -5], "succesrate": 0.3},
        {"id": "kh", "navn": "Færre uger på kontanthjælp", "enhedspris": "kontanthjaelp_30plus_ikke_forsoerger_uge",
         "profil": [-4], "succesrate": 0.2},
    ],
}  # fmt: skip
WITH_RATE = CASE_2026 | {"fremskrivning": 0.02}
WITH_OWN = CASE_2026 | {"indeks": "eget", "eget_indeks": {"navn": "KL's pris- og lønskøn (eksempel)",
                                                          "kilde": "Kommunens budgetafdeling, juni 2026", "vaerdier": OWN}}
EXTENDED = CASE_2026 | {"indeks": "npi", "eget_indeks": {"navn": "KL", "kilde": "KL's pris- og lønskøn (eksempel)",
                                                         "vaerdier": {2023: 98.0, 2024: 100.0, 2025: 102.0, 2026: 104.5}}}
# The trial's case: own values on another base (2024 = 100) without npi's last year 2023.
EXTENDED_WITHOUT_OVERLAP = CASE_2026 | {"indeks": "npi", "eget_indeks": {"navn": "KL", "kilde": "KL",
                                                                         "vaerdier": {2024: 100.0, 2025: 102.0, 2026: 104.5}}}


def test_without_rate_or_own_index_one_message_names_every_unit_cost_and_the_fields():
    with pytest.raises(SIError) as err:
        run(parse_case(CASE_2026))
    assert err.value.argument == "prisaar"
    assert err.value.message == (
        "enhedspriserne kan ikke omregnes til prisår 2026 med indekset npi, som har tal for 2015–2023: "
        "'sygedagpenge_uge' (prisår 2024) mangler 2024 og 2026; 'kontanthjaelp_30plus_ikke_forsoerger_uge' "
        "(prisår 2023) mangler 2026. Udfyld 'fremskrivning' (årlig stigning, fx 0,02) eller 'eget_indeks' med "
        "værdier for 2023–2026 i case-filen"
    )  # own values must include npi's last year 2023 to be chained onto it


def test_explicit_rate_hand_calculation():
    case = parse_case(WITH_RATE)
    # I(2024) = 118.04 × 1.02, I(2026) = 118.04 × 1.02³: sygedagpenge × 1.02², kontanthjælp (2023) × 1.02³.
    assert unit_price(case, "sygedagpenge_uge")[0] == pytest.approx(SYG_2024 * 1.02**2, rel=1e-12)
    assert unit_price(case, "kontanthjaelp_30plus_ikke_forsoerger_uge")[0] == pytest.approx(KH_2023 * 1.02**3, rel=1e-12)
    assert price_note(case) == "Prisindekset npi er fremskrevet med 2,0 % om året fra 2023."
    run(case)


def test_own_index_hand_calculation():
    case = parse_case(WITH_OWN)
    # 104.5 / 100 = 1.045 for 2024 → 2026; 104.5 / 97 for 2023 → 2026.
    assert unit_price(case, "sygedagpenge_uge")[0] == pytest.approx(SYG_2024 * 1.045, rel=1e-12)
    assert unit_price(case, "kontanthjaelp_30plus_ikke_forsoerger_uge")[0] == pytest.approx(KH_2023 * 104.5 / 97.0, rel=1e-12)
    # sibc calc names the own index and its source, as it names a fremskrivning.
    assert price_note(case) == ("Priserne er omregnet med eget indeks 'KL's pris- og lønskøn (eksempel)' "
                                "(kilde: Kommunens budgetafdeling, juni 2026).")
    run(case)


def test_own_values_extend_npi_chained_at_2023():
    case = parse_case(EXTENDED)
    # Own values on their own base are chained onto npi at its last year 2023 (npi 2023 = 118.04, DST):
    # npi(y) = own(y) × 118.04 / 98 for y > 2023, so the factors are the own series' ratios:
    # sygedagpenge 2024 → 2026: 104.5 / 100 = 1.045; kontanthjælp 2023 → 2026: 104.5 / 98 = 1.066327 (hand calculation).
    assert unit_price(case, "sygedagpenge_uge")[0] == pytest.approx(SYG_2024 * 104.5 / 100.0, rel=1e-12)
    assert unit_price(case, "kontanthjaelp_30plus_ikke_forsoerger_uge")[0] == pytest.approx(KH_2023 * 104.5 / 98.0, rel=1e-12)
    assert price_note(case) == "Prisindekset npi er forlænget med eget indeks 'KL' (kilde: KL's pris- og lønskøn (eksempel)) for 2024 og 2026, kædet i 2023."
    run(case)


def test_own_values_on_another_base_without_the_overlap_year_are_an_error():
    # Before: kontanthjælp 2023 → 2026 was moved by 104.5 / 118.04 = 0.885, an 11.5 % price fall, silently.
    with pytest.raises(SIError) as err:
        parse_case(EXTENDED_WITHOUT_OVERLAP)
    assert err.value.argument == "eget_indeks.vaerdier"
    assert err.value.message == (
        "de egne værdier (2024–2026) skal også have en værdi for 2023, det sidste år i indekset npi, så de kan "
        "kædes på det: eget(år) / eget(2023) × npi(2023)"
    )


@pytest.mark.parametrize(
    "change, field",
    [
        ({"indeks": "eget"}, "indeks"),
        ({"indeks": "ukendt"}, "indeks"),
        ({"eget_indeks": {"vaerdier": {2024: 100.0}}}, "eget_indeks.kilde"),
        ({"eget_indeks": {"kilde": "x", "vaerdier": {2024: 100.0, 2026: 104.0}}}, "eget_indeks.vaerdier"),
    ],
)
def test_bad_index_fields_are_named(change, field):
    with pytest.raises(SIError) as err:
        parse_case(CASE_2026 | change)
    assert err.value.argument == field


def test_excel_functions_with_own_index_range():
    # The example: =SI_PRISINDEKS(2024; 2026; A1:B3) with (2024; 100), (2025; 102), (2026; 104,5) is 1,045.
    rows = ((2024.0, 100.0), (2025.0, 102.0), (2026.0, 104.5))
    assert SI_PRISINDEKS(2024.0, 2026.0, rows) == pytest.approx(1.045, rel=1e-15)
    # The kommune's share of sygedagpenge after refusion is 80 % (week 53+): 4,695 × 0.8 × 1.045.
    assert SI_ENHEDSPRIS("sygedagpenge_uge", 2026.0, "kommune", None, rows) == pytest.approx(SYG_2024 * 0.8 * 1.045, rel=1e-12)
    assert SI_PRISINDEKS(2024.0, 2027.0, rows).startswith("Fejl i til_aar: år 2027 ligger uden for indekset eget (2024–2026)")
    assert SI_PRISINDEKS(2024.0, 2026.0, ((2024.0, 100.0), (2026.0, 104.5))) == "Fejl i indeks: mangler år 2025 (årene skal følge efter hinanden)"


def _case_file(tmp_path: Path, data: dict) -> Path:
    import yaml

    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_cli_calc_and_build_take_fremskrivning_with_decimal_comma(tmp_path, capsys):
    path = _case_file(tmp_path, CASE_2026)
    assert main(["calc", str(path)]) == 2
    assert capsys.readouterr().err.startswith("Fejl i prisaar: enhedspriserne kan ikke omregnes til prisår 2026")
    assert main(["calc", str(path), "--fremskrivning", "0,02"]) == 0
    assert "Prisindekset npi er fremskrevet med 2,0 % om året fra 2023." in capsys.readouterr().out
    assert main(["build", str(path), "-o", str(tmp_path / "c.xlsx"), "--fremskrivning", "0,02"]) == 0
    assert book.extract(tmp_path / "c.xlsx").fremskrivning == 0.02


# --------------------------------------------------------------------------- the workbook, checked by LibreOffice


def _recalculated(path: Path):
    out = recalculate(path, Path(tempfile.mkdtemp(prefix="sibc-test-")))
    return openpyxl.load_workbook(out, data_only=True)


def _errors(wb) -> list:
    """Error values in any cell, the Kontrol sheet's SI_ column included (without the add-in it says so in words)."""
    return [(ws.title, c.coordinate, c.value) for ws in wb for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("#")]  # fmt: skip


def _message(wb, sheet: str) -> str:
    ws = wb[sheet]
    row = next(r for r in range(1, 6) if ws.cell(r, 1).value == "Prisomregning")
    return ws.cell(row, 2).value


@pytest.mark.parametrize("data", [WITH_RATE, WITH_OWN, EXTENDED], ids=["rate", "own", "extended"])
def test_workbook_at_2026_equals_the_core(data, soffice, tmp_path):
    path = book.build(parse_case(data), tmp_path / "c.xlsx")
    case, differences, cells, kontrol = book.check(path)
    assert case == parse_case(data)  # own index values and source come back from the workbook
    assert differences == [] and cells > 50
    assert kontrol and all(k.ok for k in kontrol), [k for k in kontrol if not k.ok]


def test_workbook_own_values_without_the_link_year_are_not_used(soffice, tmp_path):
    # The trial's case typed into the workbook: own values 2024–2026 without npi's last year 2023 are not
    # chained (no factor 104,5 / 118,04); both unit prices lack 2026 (and sygedagpenge 2024), listed as Python lists them.
    path = book.build(parse_case(EXTENDED), tmp_path / "c.xlsx")
    ref = resolve(layout_for(dims_of(parse_case(EXTENDED)))).names["idx_egne"].cell(2023 - 2015)
    wb = openpyxl.load_workbook(path)
    wb[ref.sheet].cell(ref.min_row, ref.min_col).value = None
    wb.save(path)
    wb = _recalculated(path)
    assert _errors(wb) == []
    assert _message(wb, "Forudsætninger") == (
        "Priserne kan ikke omregnes til prisår 2026 med indekset Nettoprisindeks (tal for 2015–2023): 'sygedagpenge_uge' (prisår 2024) "
        "mangler 2024 og 2026; 'kontanthjaelp_30plus_ikke_forsoerger_uge' (prisår 2023) mangler 2026; udfyld Årlig "
        "fremskrivning på arket Forudsætninger eller Egne værdier i indekstabellen på arket Enhedspriser (med kilde; også "
        "for 2023, hvor de kædes på indekset).")


def test_workbook_says_when_a_rate_is_used(soffice, tmp_path):
    wb = _recalculated(book.build(parse_case(WITH_RATE), tmp_path / "c.xlsx"))
    for sheet in ("Forudsætninger", "Enhedspriser", "Effekter", "Resultat"):
        assert re.fullmatch(r"Alle enhedspriser er omregnet til prisår 2026; prisindekset Nettoprisindeks er fremskrevet "
                            r"med 2,0 % om året fra 2023\.", _message(wb, sheet))  # fmt: skip


def test_blank_workbook_beyond_the_index_shows_one_message_and_no_na(soffice, tmp_path):
    path = book.build(book.blank_case(), tmp_path / "blank.xlsx")
    ref = resolve(layout_for(dims_of(book.blank_case()))).names["prisaar"].cell(0)
    wb = openpyxl.load_workbook(path)
    wb[ref.sheet].cell(ref.min_row, ref.min_col).value = 2026  # the user types today's price year
    wb.save(path)
    wb = _recalculated(path)
    assert _errors(wb) == []
    message = ("Priserne kan ikke omregnes til prisår 2026 med indekset Nettoprisindeks (tal for 2015–2023): "
               "'kontanthjaelp_30plus_ikke_forsoerger_uge' (prisår 2023) mangler 2026; udfyld Årlig fremskrivning på arket "
               "Forudsætninger eller Egne værdier i indekstabellen på arket Enhedspriser (med kilde; også for 2023, "
               "hvor de kædes på indekset).")  # fmt: skip
    for sheet in ("Forudsætninger", "Resultat"):
        assert _message(wb, sheet) == message
    with pytest.raises(SIError) as err:  # the core refuses the same inputs with the same facts
        run(book.extract(path))
    assert "'kontanthjaelp_30plus_ikke_forsoerger_uge' (prisår 2023) mangler 2026" in err.value.message


def test_every_function_with_an_index_argument_takes_an_own_series():
    """The whole kind: each Excel function that chooses an index accepts a two-column range (år; værdi)."""
    from udfs.excel import REGISTRY, SI_ENHEDSPRISER

    assert {n for n, meta in REGISTRY.items() if "indeks" in meta["args"]} == {"SI_PRISINDEKS", "SI_ENHEDSPRIS", "SI_ENHEDSPRISER"}
    rows = (("år", "værdi"), (2024.0, 100.0), (2025.0, 102.0), (2026.0, 104.5))  # with a header row
    assert SI_PRISINDEKS(2024.0, 2026.0, rows) == pytest.approx(1.045, rel=1e-15)
    assert SI_ENHEDSPRIS("sygedagpenge_uge", 2026.0, None, None, rows) == pytest.approx(SYG_2024 * 1.045, rel=1e-12)
    table = SI_ENHEDSPRISER("sygedagpenge_uge", 2026.0, None, None, rows)
    assert table[1][0] == "sygedagpenge_uge" and table[1][4] == pytest.approx(SYG_2024 * 1.045, rel=1e-12)


def test_cli_catalogue_with_another_index(capsys):
    # fpi 2015=100 (DST): 2023 = 117.21, 2024 = 118.82; kontanthjælp 30+ ikke-forsørger 2,756.31 kr./uge (2023)
    # at 2024 prices: 2,756.31 × 118.82 / 117.21 = 2,794.17 kr.
    assert main(["catalogue", "kontanthjaelp_30plus_ikke", "--prisaar", "2024", "--indeks", "fpi"]) == 0
    assert f"{KH_2023 * 118.82 / 117.21:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") == "2.794,17"
    assert "2.794,17" in capsys.readouterr().out


def test_workbook_refuses_own_years_outside_its_index_table(tmp_path):
    data = WITH_OWN | {"eget_indeks": {"kilde": "x", "vaerdier": {2010 + k: 90.0 + k for k in range(17)}}}
    with pytest.raises(SIError) as err:
        book.build(parse_case(data), tmp_path / "c.xlsx")
    assert err.value.argument == "eget_indeks.vaerdier" and "2010, 2011, 2012, 2013, 2014" in err.value.message


def test_sibc_build_warns_with_the_price_message(tmp_path, capsys):
    path = _case_file(tmp_path, CASE_2026)
    assert main(["build", str(path), "-o", str(tmp_path / "c.xlsx")]) == 0
    out = capsys.readouterr().out
    assert ("Advarsel: enhedspriserne kan ikke omregnes til prisår 2026 med indekset npi, som har tal for 2015–2023: "
            "'sygedagpenge_uge' (prisår 2024) mangler 2024 og 2026; 'kontanthjaelp_30plus_ikke_forsoerger_uge' (prisår 2023) "
            "mangler 2026. Udfyld Forudsætninger: »Årlig fremskrivning uden for indeksets år« eller Enhedspriser: »Egne værdier« "
            "i indekstabellen (med kilde) for 2023–2026") in out


def test_sibc_check_reports_a_workbook_it_cannot_check_by_its_cells_and_goes_on(soffice, tmp_path, capsys):
    good = book.build(parse_case(WITH_RATE), tmp_path / "god.xlsx")
    bad = book.build(parse_case(CASE_2026), tmp_path / "priser.xlsx")
    good2 = book.build(parse_case(WITH_OWN), tmp_path / "eget.xlsx")
    assert main(["check", str(good), str(bad), str(good2)]) == 2
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert any(line.startswith("  priser.xlsx: ✗ kan ikke kontrolleres: Fejl i Forudsætninger: »Prisår (prisniveau for alle "
                               "beløb)«: enhedspriserne kan ikke omregnes til prisår 2026") for line in lines), lines
    assert sum("✓ ingen forskelle" in line for line in lines) == 2  # the other two are checked
    assert captured.err.startswith("Fejl i check: 1 regneark af 3 kunne ikke kontrolleres")
