"""The command line in Danish and in a Danish user's habits (issue 12, point 9).

Every help text and usage error is Danish; numbers are typed with decimal
comma and thousands points; tables fit 100 columns with whole kr.; ``sibc ny``
starts a case; pictures are PNG files; errors say how to mend them.
"""

import json
import re

import pytest
import yaml

from udfs.core.casefile import load_business_case
from udfs.core.engine import run
from udfs.core.uncertainty import driver_label, tornado
from udfs.core.vocabulary import NOT_WITHIN
from workbooks import book
from workbooks.cli import WIDTH, build_parser, danish_argparse, example_cases, load, main
from workbooks.layout import describe

EXAMPLE = next(p for p in example_cases() if p.stem == "eksempel_ungeindsats")

#: English words argparse (or a careless message) would print; none may reach a Danish user.
ENGLISH = re.compile(
    r"\b(usage|invalid|required|arguments?|error|options|optional|positional|show|help message|expected|choose|"
    r"unrecognized|ambiguous|missing|not allowed|exit|maybe|value|subcommands?|while parsing|found|mapping)\b",
    flags=re.I,
)


def subcommands() -> list[str]:
    with danish_argparse():
        parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    return sorted(sub.choices)


def english_in(text: str) -> list[str]:
    return ENGLISH.findall(text)


@pytest.mark.parametrize("command", [[]] + [[c] for c in subcommands()], ids=lambda c: " ".join(c) or "sibc")
def test_every_help_text_is_danish_and_fits_100_columns(command, capsys):
    assert main([*command, "-h"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("brug: sibc") and "tilvalg:" in out and "vis denne hjælp og stop" in out
    assert not english_in(out), (english_in(out), out)
    assert max(len(line) for line in out.splitlines()) <= WIDTH


BAD = [
    [],
    ["ukendt"],
    ["clac", str(EXAMPLE)],
    ["calc"],
    ["calc", str(EXAMPLE), "--ukendt"],
    ["calc", str(EXAMPLE), "ekstra"],
    ["calc", str(EXAMPLE), "--fremskrivning"],
    ["calc", str(EXAMPLE), "--fremskrivning", "to procent"],
    ["montecarlo", str(EXAMPLE), "--traek"],
    ["montecarlo", str(EXAMPLE), "--traek", "mange"],
    ["montecarlo", str(EXAMPLE), "--traek", "10,5"],
    ["calc", str(EXAMPLE), "--o"],  # ambiguous: --oere or --overwrite
    ["sensitivity", str(EXAMPLE), "--aendring", "x"],
    ["sensitivity", str(EXAMPLE), "--aendring", "2"],
    ["build", str(EXAMPLE)],
    ["catalogue", "--prisaar", "20x"],
    ["check"],
    ["ny"],
    ["calc", "findes_ikke.yaml"],
]


@pytest.mark.parametrize("argv", BAD, ids=lambda a: " ".join(a) or "(intet)")
def test_every_usage_error_is_danish(argv, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("Fejl i ") and err.count("\n") == 1, err
    assert not english_in(err), (english_in(err), err)


def test_a_mistyped_command_lists_the_commands_and_suggests_the_nearest(capsys):
    assert main(["clac", str(EXAMPLE)]) == 2
    err = capsys.readouterr().err
    assert "'clac' er ikke et af valgene (" in err and "Mente du 'calc'?" in err and "sensitivity" in err


# --------------------------------------------------------------------------- numbers as Danes type them


@pytest.mark.parametrize("typed", ["0,2", "0.2", "20 %", "20%"])
def test_aendring_with_decimal_comma_or_per_cent(typed, capsys):
    assert main(["sensitivity", str(EXAMPLE), "--aendring", typed]) == 0
    out = capsys.readouterr().out
    # The core's tornado at ±20 %: the largest bar's payer PV at −20 % and +20 %, in whole kr. with thousands points
    bar = tornado(load_business_case(EXAMPLE), 0.2)[0]
    low, high = (f"{round(v):,}".replace(",", ".") for v in (bar.pv_low, bar.pv_high))
    assert re.search(rf"{re.escape(driver_label(load_business_case(EXAMPLE), bar.driver))}\s+{re.escape(low)}\s+{re.escape(high)}", out), out
    assert "Driver −20 %" in out and "Driver +20 %" in out


@pytest.mark.parametrize("typed, draws", [("10.000", 10_000), ("2.500", 2_500), ("2500", 2_500)])
def test_traek_with_thousands_points(typed, draws, capsys):
    assert main(["montecarlo", str(EXAMPLE), "--traek", typed, "--seed", "1.234", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["Antal træk"] == draws


def test_seed_with_thousands_point_is_the_same_seed(capsys):
    assert main(["montecarlo", str(EXAMPLE), "--traek", "500", "--seed", "1.234", "--json"]) == 0
    first = capsys.readouterr().out
    assert main(["montecarlo", str(EXAMPLE), "--traek", "500", "--seed", "1234", "--json"]) == 0
    assert capsys.readouterr().out == first


@pytest.mark.parametrize("typed", ["0,02", "2 %"])
def test_fremskrivning_as_share_or_per_cent(typed, capsys):
    # sygedagpenge_uge: 4.695 kr./uge in 2024 (bm.dk); npi ends 2023, so at 2 % a year 2026 is 4,695 × 1.02² = 4,884.678
    assert main(["catalogue", "sygedagpenge_uge", "--prisaar", "2026", "--fremskrivning", typed]) == 0
    assert "4.884,68" in capsys.readouterr().out


# --------------------------------------------------------------------------- tables


def commands_of_the_examples():
    for path in example_cases():
        yield ["calc", str(path)]
        yield ["calc", str(path), "--oere"]
        yield ["sensitivity", str(path)]
        uncertainty = load_business_case(path).usikkerhed
        if uncertainty is not None and uncertainty.fordelinger:  # a Monte Carlo needs distributions
            yield ["montecarlo", str(path), "--traek", "300"]
    yield ["catalogue"]
    yield ["catalogue", "--prisaar", "2023"]


@pytest.mark.parametrize("argv", list(commands_of_the_examples()), ids=lambda a: " ".join(a[:1] + [a[1][-30:]] if len(a) > 1 else a))
def test_every_table_the_examples_print_fits_100_columns(argv, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    too_wide = [line for line in out.splitlines() if len(line) > WIDTH]
    assert not too_wide, too_wide


def test_amounts_in_whole_kroner_unless_oere_is_asked(capsys):
    # eksempel_ungeindsats, Besparelse kommune in year 3: 1.589.563,29 kr. (the core; the workbook's Resultat agrees
    # in test_standard_workbook) is shown as 1.589.563 (rounded to whole kr.), and with --oere as 1.589.563,29.
    saved = run(load_business_case(EXAMPLE)).savings_by_authority[0, 0, 3]
    assert f"{saved:.2f}" == "1589563.29"
    assert main(["calc", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Besparelse kommune .* 1\.589\.563 ", out) and "1.589.563,29" not in out
    assert re.search(r"Deltagere, der starter +40 +40 +40 +0", out)  # counts as whole numbers, not 40,00
    assert main(["calc", str(EXAMPLE), "--oere"]) == 0
    assert "1.589.563,29" in capsys.readouterr().out


def test_a_30_year_table_is_split_into_blocks_with_the_row_names_repeated(tmp_path, capsys):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")) | {"horisont": 30}
    path = tmp_path / "lang.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["calc", str(path)]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= WIDTH
    blocks = [line for line in out.splitlines() if line.startswith("Netto betaler kumuleret")]
    assert len(blocks) >= 3  # 30 years do not fit one block of 100 columns
    years = [int(y) for line in out.splitlines() if line.startswith("År ") for y in line.split()[1:]]
    assert years == list(range(30))  # every year once, in order, across the blocks


def test_a_payback_that_never_comes_has_the_one_text(tmp_path, capsys):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for effect in data["effekter"]:
        effect["succesrate"] = 0.0  # no effect: the costs are never paid back
    path = tmp_path / "aldrig.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["calc", str(path)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "Tilbagebeta" in line]
    assert len(lines) == 4 and all(line.endswith(NOT_WITHIN) for line in lines), lines


# --------------------------------------------------------------------------- sibc ny


def test_ny_writes_a_commented_case_that_calculates_and_its_workbook(tmp_path, capsys, soffice):
    target = tmp_path / "min_case"
    assert main(["ny", str(target)]) == 0
    text = (tmp_path / "min_case.yaml").read_text(encoding="utf-8")
    assert text.count("#") >= 20 and "enhedspris: kontanthjaelp_30plus_ikke_forsoerger_uge" in text
    case = load_business_case(tmp_path / "min_case.yaml")
    assert case.navn == "Min case" and len(case.effekter) == 1 and case.betalingsmodel is not None
    assert main(["calc", str(tmp_path / "min_case.yaml")]) == 0
    assert (tmp_path / "min_case.xlsx").read_bytes()[:2] == b"PK"
    assert main(["check", str(tmp_path / "min_case.xlsx")]) == 0  # LibreOffice agrees with the core in every cell
    assert "ingen forskelle" in capsys.readouterr().out
    before = text.encode("utf-8")
    assert main(["ny", str(target)]) == 2
    assert "findes allerede" in capsys.readouterr().err and (tmp_path / "min_case.yaml").read_bytes() == before


# --------------------------------------------------------------------------- pictures

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("argv", [
    ["calc", str(EXAMPLE)],
    ["sensitivity", str(EXAMPLE), "--aendring", "0,2"],
    ["montecarlo", str(EXAMPLE), "--traek", "2.000"],
], ids=lambda a: a[0])  # fmt: skip
def test_png_pictures_are_written_and_never_replace_a_file_unasked(argv, tmp_path, capsys):
    picture = tmp_path / "billede.png"
    assert main([*argv, "--png", str(picture)]) == 0
    data = picture.read_bytes()
    assert data.startswith(PNG) and len(data) > 10_000  # a real chart, not an empty canvas
    assert main([*argv, "--png", str(picture)]) == 2
    assert "findes allerede" in capsys.readouterr().err and picture.read_bytes() == data
    assert main([*argv, "--png", str(tmp_path / "billede.jpg")]) == 2
    assert ".png" in capsys.readouterr().err


# --------------------------------------------------------------------------- errors that say how to mend them


def test_all_errors_of_a_file_at_once_numbered_as_in_the_workbook(tmp_path, capsys):
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("succesrate: 0.35\n    kontrolgruppe", "succesrate: 35\n    kontrolgruppe", 1)
    text = text.replace("betaler: investor", "betaler: investorr", 1)
    text = text.replace("frafald: 0.2", "frafald: 2", 1)
    path = tmp_path / "fejl.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["calc", str(path)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "Fejl i omkostning 1 (Mentorer (finansieret af inve…), betaler: skal være en af: kommune, region, stat, "
        "investor, ikke 'investorr' (mente du 'investor'?) (fil: fejl.yaml)",
        "Fejl i effekt 1 (job), succesrate: skal ligge mellem 0 og 1, ikke 35 (en andel skrives 0–1: 35 % er 0,35) (fil: fejl.yaml)",
        "Fejl i effekt 3 (kriminalitet), frafald: skal ligge mellem 0 og 1, ikke 2 (en andel skrives 0–1: 2 % er 0,02) "
        "(fil: fejl.yaml)",
    ]


def test_a_mistyped_unit_price_id_suggests_the_nearest(tmp_path, capsys):
    path = tmp_path / "id.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("faengsel_lukket_dag", "faengsel_lukke_dag"), encoding="utf-8")
    with pytest.raises(Exception) as err:
        load(str(path))
    assert err.value.argument == "effekt 3 (kriminalitet), enhedspris"
    assert "ukendt enhedspris 'faengsel_lukke_dag'" in err.value.message and "mente du 'faengsel_lukket_dag'?" in err.value.message


def test_an_unknown_field_suggests_the_nearest(tmp_path, capsys):
    path = tmp_path / "felt.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("horisont:", "horisnt:"), encoding="utf-8")
    assert main(["calc", str(path)]) == 2
    assert "Fejl i horisnt: ukendt felt (mente du 'horisont'?)" in capsys.readouterr().err


@pytest.mark.parametrize("text, line, column, words", [
    ("navn: x\nprisaar: 2023\n  horisont: 3\n", 3, 11, "et kolon står"),
    ("navn: x\ndeltagere: [1, 2\nprisaar: 3\n", 3, 8, "en liste i [ ] er ikke lukket"),
    ("navn: x\n\tprisaar: 1\n", 2, 1, "tabulatortegn"),
    ("navn: [\n", 2, 1, "filen slutter"),
])  # fmt: skip
def test_yaml_syntax_errors_in_danish_with_line_and_column(text, line, column, words, tmp_path, capsys):
    path = tmp_path / "syntaks.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["calc", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Fejl i casefil: filen kan ikke læses: YAML-fejl i linje {line}, kolonne {column}: {words}"), err
    assert not english_in(err), err


def test_json_syntax_error_in_danish_with_line_and_column(tmp_path, capsys):
    path = tmp_path / "syntaks.json"
    path.write_text('{"navn": "x",\n "prisaar" 2023}', encoding="utf-8")
    assert main(["calc", str(path)]) == 2
    assert "JSON-fejl i linje 2, kolonne 12: mangler et kolon efter feltnavnet" in capsys.readouterr().err


def test_check_names_sheet_cell_and_label(tmp_path):
    path = book.build(load_business_case(EXAMPLE), tmp_path / "b.xlsx")
    _, _, plan = book.open_checked([path])[0]
    cell = plan.names["r_omk_investor"].cell(0).label()
    assert cell.startswith("Resultat!")
    assert describe(plan, "r_omk_investor", 0) == f"{cell} (Omkostninger investor, År 0)"
