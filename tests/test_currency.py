"""A case's currency (``valuta``, ISO 4217; DKK when not given).

The published US contracts (Rikers Island, Utah preschool) are in US dollars as published and are not converted.
Before ``valuta`` every table, number format and the portfolio called their amounts "kr.", and a portfolio
added dollars to kroner.  Now the currency is a field of the case, shown wherever an amount's unit is shown,
read back from the workbook, carried by the INDIGO export, and a portfolio refuses to add two currencies.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from udfs.core.case_model import dump_case, parse_case
from udfs.core.casefile import read_case_file
from udfs.core.errors import SIError
from udfs.core.indigo import partial_from_indigo, to_indigo
from udfs.core.portfolio import portfolio
from udfs.core.vocabulary import amount_unit, check_currency, currency_word, in_currency
from workbooks import portfolio_out
from workbooks.cli import main

RIKERS = Path("workbooks/cases/kontrakter/rikers.yaml")
UTAH = Path("workbooks/cases/kontrakter/utah_preschool.yaml")
DANISH = Path("workbooks/cases/eksempel_ungeindsats.yaml")


@pytest.mark.parametrize("typed, code", [("DKK", "DKK"), (" usd ", "USD"), ("eur", "EUR"), ("G B P", "GBP")])
def test_a_currency_code_in_any_case_and_spacing(typed, code):
    assert check_currency(typed) == code


@pytest.mark.parametrize("typed, words", [
    ("kroner", "'kroner' er ikke en valutakode (ISO 4217); skriv fx DKK, EUR eller USD (mente du 'DKK'?)"),
    ("Euro", "'Euro' er ikke en valutakode (ISO 4217); skriv fx DKK, EUR eller USD (mente du 'EUR'?)"),
    ("", "skal være en valutakode (ISO 4217), fx DKK, EUR eller USD"),
    (208, "skal være en valutakode (ISO 4217), fx DKK, EUR eller USD"),  # DKK's ISO number is not taken for the code
])
def test_a_wrong_currency_is_a_danish_message_naming_the_field(typed, words):
    with pytest.raises(SIError) as err:
        check_currency(typed, "valuta")
    assert err.value.argument == "valuta" and err.value.message == words


@pytest.mark.parametrize("code, unit, oere, table", [
    ("DKK", "kr.", False, "hele kr."), ("DKK", "kr.", True, "kr. med øre"),
    ("USD", "USD", False, "hele USD"), ("USD", "USD", True, "USD med cent"),
])
def test_the_unit_words(code, unit, oere, table):
    assert currency_word(code) == unit and amount_unit(code, oere) == table


def test_a_case_is_in_kroner_unless_it_says_otherwise_and_the_field_round_trips():
    danish, rikers = read_case_file(DANISH), read_case_file(RIKERS)
    assert danish.valuta == "DKK" and rikers.valuta == "USD" and read_case_file(UTAH).valuta == "USD"
    assert "valuta" not in dump_case(danish)  # the default is not written
    again = parse_case(yaml.safe_load(dump_case(rikers)))
    assert again.valuta == "USD" and again == rikers


def test_a_catalogue_price_in_a_case_in_another_currency_is_refused():
    """The catalogue's unit prices are Danish kroner (udfs/data/enhedspriser.csv): a case in USD that uses one
    would add kroner to dollars, so the effect's unit price is named."""
    data = yaml.safe_load(DANISH.read_text(encoding="utf-8"))
    data["valuta"] = "USD"
    with pytest.raises(SIError) as err:
        parse_case(data)
    text = str(err.value)
    assert "effekter[0].enhedspris" in text or "effekt 1" in text
    assert "er en enhedspris fra kataloget i kr., men casens beløb er i USD (valuta); brug en egen pris i USD (egne_priser)" in text


def test_the_command_line_names_the_currency(capsys):
    assert main(["calc", str(RIKERS)]) == 0
    out = capsys.readouterr().out
    assert "Beløb i hele USD, prisniveau 2012." in out and "Hvem betaler, og hvem vinder (hele USD," in out
    assert "hele kr." not in out
    assert main(["afregn", str(RIKERS)]) == 0
    assert "Beløb i hele USD, prisniveau 2012." in capsys.readouterr().out
    assert main(["sensitivity", str(RIKERS)]) == 0
    assert "Scenarier (nutidsværdi, hele USD):" in capsys.readouterr().out
    assert main(["calc", str(DANISH)]) == 0
    assert "Beløb i hele kr., prisniveau" in capsys.readouterr().out


def test_a_portfolio_refuses_to_add_two_currencies(tmp_path, capsys):
    shutil.copy(RIKERS, tmp_path / "rikers.yaml")
    shutil.copy(DANISH, tmp_path / "ungeindsats.yaml")
    with pytest.raises(SIError) as err:
        portfolio(tmp_path)
    assert err.value.argument == "mappe"
    assert err.value.message == ("casene er i forskellige valutaer (DKK: ungeindsats.yaml; USD: rikers.yaml); beløb i forskellige "
                                 "valutaer kan ikke lægges sammen: læg casene i hver sin mappe efter valuta")
    assert main(["portefoelje", str(tmp_path)]) == 2
    assert "forskellige valutaer" in capsys.readouterr().err


def test_a_portfolio_in_dollars_says_so(tmp_path, capsys):
    """Rikers and Utah: both USD; every title and note of the portfolio names USD, none kr."""
    shutil.copy(RIKERS, tmp_path / "a_rikers.yaml")
    shutil.copy(UTAH, tmp_path / "b_utah.yaml")
    p = portfolio(tmp_path)
    assert p.errors == () and p.valuta == "USD"
    text = portfolio_out.text_tables(p)
    assert "Netto pr. part (nutidsværdi, USD)" in text and "Forventet (hele USD;" in text and "kr." not in text
    assert main(["portefoelje", str(tmp_path), "--xlsx", str(tmp_path / "p.xlsx")]) == 0
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["Portefølje"]
    notes = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert any(n.startswith("Beløb i USD i hver cases eget prisniveau") for n in notes)


def test_the_workbook_shows_and_reads_back_the_currency(tmp_path, capsys):
    """Rikers' workbook: every amount format shows USD and none kr.; the Danish example's none USD;
    `sibc extract` gives the currency back, and a wrong code typed in the cell is named by its cell."""
    from workbooks import book

    for case, shown, never in ((RIKERS, '"USD"', '"kr."'), (DANISH, '"kr."', '"USD"')):
        target = tmp_path / (case.stem + ".xlsx")
        assert main(["build", str(case), "-o", str(target)]) == 0
        wb = openpyxl.load_workbook(target)
        _, _, plan = book.open_checked([target])[0]
        catalogue_price = plan.names["eg_katalog"]  # Egne priser: the catalogue's amount beside an own price, kroner
        kroner = {(catalogue_price.sheet, c.min_row, c.min_col) for c in catalogue_price.cells()}
        formats = {c.number_format for ws in wb.worksheets if ws.title != "Katalog" for row in ws.iter_rows() for c in row
                   if (ws.title, c.row, c.column) not in kroner}
        assert any(shown in f for f in formats) and not any(never in f for f in formats)
        assert {wb[ws].cell(r, col).number_format for ws, r, col in kroner} == {'#,##0.00 "kr."'}
        # the catalogue's unit prices are Danish kroner whatever the case's currency
        catalogue = {c.number_format for row in wb["Katalog"].iter_rows() for c in row}
        assert any('"kr."' in f for f in catalogue) and not any('"USD"' in f for f in catalogue)
    capsys.readouterr()
    out = tmp_path / "rikers_igen.yaml"
    assert main(["extract", str(tmp_path / "rikers.xlsx"), "-o", str(out)]) == 0
    assert read_case_file(out).valuta == "USD"
    wb = openpyxl.load_workbook(tmp_path / "rikers.xlsx")
    ws = wb["Forudsætninger"]
    cell = next(row[1] for row in ws.iter_rows(min_col=1, max_col=2) if row[0].value == "Valuta for alle beløb (ISO 4217-kode)")
    cell.value = "dollar"
    wb.save(tmp_path / "forkert.xlsx")
    capsys.readouterr()
    assert main(["extract", str(tmp_path / "forkert.xlsx"), "-o", str(tmp_path / "x.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"Forudsætninger!{cell.coordinate}" in err and "'dollar' er ikke en valutakode (ISO 4217)" in err and "mente du 'USD'?" in err


def test_the_workbook_in_dollars_agrees_with_the_core_in_libreoffice(soffice, tmp_path, capsys):
    """The currency changes formats and units only: `sibc check` recalculates Rikers' workbook and finds no
    difference, and the break-even sentence written by a formula gives the payer's largest loss (the core's
    key figure, whole dollars with thousands points) in USD, not kr."""
    from udfs.core.businesscase import key_figures
    from udfs.core.engine import run
    from workbooks import book
    from workbooks.recalc import recalculate

    target = tmp_path / "rikers.xlsx"
    assert main(["build", str(RIKERS), "-o", str(target)]) == 0
    capsys.readouterr()
    assert main(["check", str(target)]) == 0
    assert "ingen forskelle" in capsys.readouterr().out
    _, _, plan = book.open_checked([target])[0]
    ref = plan.names["be_tekst"].cell(0)
    text = openpyxl.load_workbook(recalculate(target, tmp_path / "ud"), data_only=True)[ref.sheet].cell(ref.min_row, ref.min_col).value
    loss = round(key_figures(run(read_case_file(RIKERS)))["tab_stoerst"])
    assert loss > 0 and f"er {loss:,} USD i nutidsværdi".replace(",", ".") in text and " kr." not in text
    # the city pays nothing and saves nothing below a 10 % reduction: it loses from 10 % on (one interval, the
    # core's), not "at every success rate"
    from udfs.core.businesscase import break_evens

    payer = break_evens(read_case_file(RIKERS))["betaler"]
    assert payer.rate is None and len(payer.losses) == 1 and payer.losses[0] == (pytest.approx(0.10), 1.0)
    assert text.startswith("Betaleren taber også ved 100 % (samme succesrate for alle effekter): ved succesrater fra 10,0 % "
                           "op til 100 %; største tab ved succesrater fra dødvægten (0,0 %) er ")


def test_indigo_carries_the_currency():
    """Export: every INDIGO currency field of Rikers says USD; import of a file in one foreign currency sets it,
    in several lists them to convert."""
    project = to_indigo(read_case_file(RIKERS))
    found = []
    stack = [{k: v for k, v in project.items() if k != "x_sibc"}]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("currency"), dict):
                found.append(node["currency"]["value"])
            stack += node.values()
        elif isinstance(node, list):
            stack += node
    assert found and set(found) == {"USD"}
    gbp = {"name": {"value": "Test"}, "overall_project_finance": {
        "total_investment_commitment": {"currency": {"value": "gbp"}, "amount": {"exact": {"value": 1_200_000}}}}}
    data, todo = partial_from_indigo(gbp)
    assert data["valuta"] == "GBP" and any(line.startswith("valuta: filens beløb er i GBP") for line in todo)
    mixed = json.loads(json.dumps(gbp))
    mixed["overall_project_finance"]["maximum_potential_outcome_payment_v2"] = {"currency": {"value": "EUR"}, "amount": {"value": 1}}
    data, todo = partial_from_indigo(mixed)
    assert "valuta" not in data and any("flere valutaer (EUR, GBP)" in line for line in todo)


def test_json_names_the_currency_and_price_year_and_writes_no_negative_zero(capsys):
    """`calc --json` and `afregn --json` carry `valuta` and `prisaar` (a USD result is marked as USD); an amount
    that rounds to zero from below is written 0.0, not -0.0 (as in the tables)."""
    from workbooks.cli import as_json

    assert json.loads(as_json({"a": -0.0, "b": [-0.0, 1.5]}, "x")) == {"a": 0.0, "b": [0.0, 1.5]}
    assert "-0.0" not in as_json({"a": -0.0, "b": [-0.0, 1.5]}, "x")
    for command in ("calc", "afregn"):
        assert main([command, "--json", str(RIKERS)]) == 0
        out = capsys.readouterr().out
        data = json.loads(out)
        assert (data["valuta"], data["prisaar"]) == ("USD", 2012) and "-0.0" not in out


# ---------------------------------------------------------------- every text of the workbook in the case's currency

KRONER = re.compile(r"(?<![\w.])kr\.|kr\)")
""""kr." as a unit of its own ("(kr.)", "mio. kr.", " kr. ") or "kr)": the unit named in kroner."""


def _texts(path: Path) -> dict[str, str]:
    """Every text of a built workbook a reader sees beside the values, keyed by where it is: each literal text and
    formula of every sheet (a formula's texts are what it shows), every input prompt and every chart's titles.  Left
    out: the case's own values (input cells, sourced data, the values sibc wrote: the layout's value roles) and the
    Katalog sheet, whose unit prices are Danish kroner whatever the case's currency."""
    from workbooks.layout import VALUE_ROLES, resolve
    from workbooks.reader import open_template
    from workbooks.standard import layout_from_info

    wb, _, plan = open_template(path, layout_from_info)
    plan = resolve(plan.layout)  # with every cell's role
    values = {(sp.sheet.name, c.row, c.col) for sp in plan.sheets for c in sp.cells if c.role in VALUE_ROLES or c.input}
    values |= {(ref.sheet, cell.min_row, cell.min_col) for _, ref in plan.inputs.values() for cell in ref.cells()}
    out = {}
    for ws in wb.worksheets:
        if ws.title in ("Katalog", "_skabelon"):
            continue
        for row in ws.iter_rows():
            out |= {f"{ws.title}!{c.coordinate}": c.value for c in row
                    if isinstance(c.value, str) and (ws.title, c.row, c.column) not in values}
        out |= {f"{ws.title}: inputhjælp {dv.sqref}": dv.prompt for dv in ws.data_validations.dataValidation if dv.prompt}
        for k, chart in enumerate(ws._charts):
            titles = [chart.title, chart.y_axis.title, chart.x_axis.title, *(s.tx.v for s in chart.series if s.tx and s.tx.v)]
            out |= {f"{ws.title}: diagram {k + 1} ({n})": _plain(t) for n, t in enumerate(titles) if t}
    return out


def _plain(title) -> str:
    """A chart or axis title as its text (openpyxl reads a title back as rich text)."""
    if isinstance(title, str):
        return title
    runs = [r.t for p in (title.tx.rich.p if title.tx and title.tx.rich else []) for r in (p.r or [])]
    return "".join(runs)


def test_every_label_heading_and_help_of_a_dollar_workbook_says_usd_not_kr(tmp_path, capsys):
    """Rikers (valuta: USD), built: no text of any sheet but Katalog names kroner — labels, headings, table headers,
    help texts and prompts, formulas' texts (the break-even sentence, the warnings) and chart titles.  The user trial's
    examples read in dollars; the catalogue's prices keep kr.; the workbook reads back without a stray cell (its labels
    are compared as written, in USD)."""
    from workbooks import book

    target = tmp_path / "rikers.xlsx"
    assert main(["build", str(RIKERS), "-o", str(target)]) == 0
    texts = _texts(target)
    assert len(texts) > 1000  # every sheet's texts were read (the test would pass on none)
    assert {where: t for where, t in texts.items() if KRONER.search(t)} == {}
    shown = set(texts.values())
    assert {"Garantiens dækning (USD)", "Hvem betaler, og hvem vinder (USD over horisonten)", "Loft for hele kontrakten (USD)",
            "Beløb pr. enhed (USD, eget prisår)", "Gevinster efter horisonten betaler (USD)"} <= shown
    assert any("højst 0,01 USD" in t for t in shown)  # Kontrol's tolerance
    catalogue = openpyxl.load_workbook(target)["Katalog"]
    assert "Beløb pr. enhed (kr.)" in {c.value for row in catalogue.iter_rows() for c in row}
    case, strays = book.extract_report(target)
    assert strays == [] and case.valuta == "USD"


def test_a_workbook_in_kroner_says_kr(tmp_path):
    """The Danish example (no valuta: DKK): the same texts say kr., and none names another currency but the currency
    cell's own help (which lists examples)."""
    target = tmp_path / "dansk.xlsx"
    assert main(["build", str(DANISH), "-o", str(target)]) == 0
    texts = _texts(target)
    shown = set(texts.values())
    assert {"Garantiens dækning (kr.)", "Hvem betaler, og hvem vinder (kr. over horisonten)", "Loft for hele kontrakten (kr.)",
            "Beløb pr. enhed (kr., eget prisår)", "Gevinster efter horisonten betaler (kr.)"} <= shown
    assert {t for t in shown if "USD" in t} == {
        "DKK (danske kroner) eller fx EUR, USD. Talformater og tekster følger valutaen, når regnearket bygges; "
        "katalogets priser er i danske kroner"}


def test_in_currency_names_the_unit_once():
    """The one definition of the unit in a text (currency_word): kr. for DKK, else the code; "dkr." is a word of its
    own and stays; amount_unit's table line is built on the same word."""
    assert in_currency("Betaling (kr.); loft 0,01 kr. i mio. kr.", "USD") == "Betaling (USD); loft 0,01 USD i mio. USD"
    assert in_currency('#,##0.00 "kr."', "EUR") == '#,##0.00 "EUR"'
    assert in_currency("i dkr. (kr.)", "USD") == "i dkr. (USD)"
    assert in_currency("Betaling (kr.)", "DKK") == "Betaling (kr.)"
    assert amount_unit("EUR") == "hele " + currency_word("EUR")


def _cell(path: Path, name: str, data_only: bool = True):
    from workbooks import book

    _, _, plan = book.open_checked([path])[0]
    ref = plan.names[name]
    return openpyxl.load_workbook(path, data_only=data_only)[ref.sheet].cell(ref.min_row, ref.min_col).value


def _typed(path: Path, target: Path, value: str) -> Path:
    """``path`` with ``value`` typed in the currency cell (Forudsætninger, *Valuta for alle beløb*), saved as ``target``."""
    from workbooks import book

    _, _, plan = book.open_checked([path])[0]
    ref = plan.inputs["valuta"][1]
    wb = openpyxl.load_workbook(path)
    wb[ref.sheet].cell(ref.min_row, ref.min_col).value = value
    wb.save(target)
    return target


def test_kontrol_says_when_the_currency_was_changed_after_the_build(soffice, tmp_path):
    """The Danish example built in DKK (the cell valuta_bygget holds DKK): recalculated by LibreOffice as built, Kontrol's
    currency warning is blank; with "usd" typed over DKK (read as USD, as sibc reads it) it says the sentence."""
    from workbooks.recalc import recalculate

    built = tmp_path / "dansk.xlsx"
    assert main(["build", str(DANISH), "-o", str(built)]) == 0
    assert _cell(built, "valuta_bygget") == "DKK"
    assert _cell(recalculate(built, tmp_path / "ud0"), "k_valuta") in (None, "")  # LibreOffice gives "" as an empty cell
    edited = _typed(built, tmp_path / "usd.xlsx", "usd")
    assert _cell(recalculate(edited, tmp_path / "ud1"), "k_valuta") == (
        "Valutaen er ændret fra DKK til USD efter opbygningen; talformater og tekster viser stadig DKK. "
        "Kør sibc extract og sibc build igen.")


def test_sibc_check_says_when_the_currency_was_changed_and_extract_reads_the_new_one(soffice, tmp_path, capsys):
    """Rikers built in USD, then EUR typed in the currency cell: `sibc check` says the same sentence as Kontrol,
    `sibc extract` gives the case in EUR; the workbook as built says nothing of the kind."""
    built = tmp_path / "rikers.xlsx"
    assert main(["build", str(RIKERS), "-o", str(built)]) == 0
    edited = _typed(built, tmp_path / "eur.xlsx", "EUR")
    capsys.readouterr()
    main(["check", str(built), str(edited)])
    out = capsys.readouterr().out
    sentence = ("Valutaen er ændret fra USD til EUR efter opbygningen; talformater og tekster viser stadig USD. Kør sibc "
                "extract og sibc build igen.")
    mine, _, theirs = out.partition("eur.xlsx")
    assert "Valutaen er ændret" not in mine and "ingen forskelle (tolerance 0,01 USD)" in mine
    assert sentence in " ".join(line.strip(" !") for line in theirs.splitlines())
    assert main(["extract", str(edited), "-o", str(tmp_path / "eur.yaml")]) == 0
    assert read_case_file(tmp_path / "eur.yaml").valuta == "EUR"


def test_a_message_names_a_cell_by_its_label_as_the_workbook_shows_it(tmp_path, capsys):
    """Rikers' workbook with a word typed as the guarantee's cover: `sibc extract` names the cell by the label the
    user sees there, in dollars."""
    built = tmp_path / "rikers.xlsx"
    assert main(["build", str(RIKERS), "-o", str(built)]) == 0
    from workbooks import book

    _, _, plan = book.open_checked([built])[0]
    ref = plan.inputs["garanti_beloeb"][1]
    wb = openpyxl.load_workbook(built)
    wb[ref.sheet].cell(ref.min_row, ref.min_col).value = "mange"
    wb.save(tmp_path / "ord.xlsx")
    capsys.readouterr()
    assert main(["extract", str(tmp_path / "ord.xlsx"), "-o", str(tmp_path / "x.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"Fejl i Forudsætninger!{ref.coordinate()} (Garantiens dækning (USD)): skal være et tal, ikke 'mange'" in err


def test_the_measurement_report_of_a_case_in_dollars_says_usd(tmp_path, capsys):
    """`sibc maal` on the synthetic sygedagpenge example with its case file set to `valuta: USD`: the payments on the
    command line and the report workbook's amount formats are in USD, none in kr. (the amounts are the case's own
    prices, not the catalogue's)."""
    assert main(["maal", str(tmp_path), "--lav-eksempel"]) == 0
    case = tmp_path / "sygedagpenge.yaml"
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    case.write_text(yaml.safe_dump({**data, "valuta": "USD"}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["maal", str(tmp_path / "maaling.yaml"), "-o", str(tmp_path / "maal.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "Betalinger pr. år (hele USD): " in out and re.search(r"betaling [0-9.]+ USD", out) and not KRONER.search(out)
    formats = {c.number_format for ws in openpyxl.load_workbook(tmp_path / "maal.xlsx").worksheets for row in ws.iter_rows() for c in row}
    assert '#,##0 "USD"' in formats and not any("kr." in f for f in formats)


def test_the_comparison_with_published_figures_names_the_currency():
    """A case in dollars with published figures is compared in millions of dollars (the sentence of `sibc calc` and
    of `--json`); one in kroner as before.  29,4 published against 26,2 computed, as the README's example."""
    from udfs.core.published import deviation_text

    rows = [("Besparelse i alt", 29.4, 26.2)]
    assert deviation_text(rows, "USD") == "Casen afviger fra de offentliggjorte tal (mio. USD): Besparelse i alt 29,4 offentliggjort, 26,2 beregnet."
    assert deviation_text(rows) == "Casen afviger fra de offentliggjorte tal (mio. kr.): Besparelse i alt 29,4 offentliggjort, 26,2 beregnet."


def test_key_figure_labels_name_the_currency_in_noegletal_and_calc(capsys):
    """The key figures' labels that name the unit (*Gevinster efter horisonten betaler (kr.)*): in dollars for Rikers
    in `SI_NOEGLETAL` and `sibc calc`, in kr. for the Danish example (lineitems.figure_label, one definition)."""
    from udfs.excel import SI_NOEGLETAL

    labels = [row[0] for row in SI_NOEGLETAL(str(RIKERS.resolve()))]
    assert "Gevinster efter horisonten betaler (USD)" in labels and not any(KRONER.search(label) for label in labels)
    assert "Gevinster efter horisonten betaler (kr.)" in [row[0] for row in SI_NOEGLETAL(str(DANISH.resolve()))]
    assert main(["calc", str(RIKERS)]) == 0
    out = capsys.readouterr().out
    assert "Gevinster efter horisonten offentlig (USD)" in out and not KRONER.search(out)
