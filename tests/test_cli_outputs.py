"""The command line's outputs as an economist reads them: the case's view heads `sibc calc`, `--json` gives numbers
and codes (never display texts), the CSV writes amounts to the øre, and no table cuts a label."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from udfs.core.lineitems import IRR_LABEL
from workbooks.cli import main

CASES = Path(__file__).resolve().parents[1] / "workbooks" / "cases"
ALLE = CASES / "eksempel_alle_myndigheder.yaml"


def _with_view(tmp_path: Path, view: str) -> str:
    data = yaml.safe_load(ALLE.read_text(encoding="utf-8"))
    data["visning"] = view
    path = tmp_path / f"alle_{view}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def _figure(out: str, label: str) -> str:
    """The value printed after ``label`` on the first line that starts with it (two-column tables)."""
    line = next(line for line in out.splitlines() if line.strip().startswith(label + "  "))
    return line.strip()[len(label):].strip()


# --------------------------------------------------------------------------- 1. the case's view


def test_view_offentlig_heads_calc_with_the_whole_public_sector(tmp_path, capsys):
    """visning: offentlig: the headline is the public sector's present value, the sum of the authorities' own.

    Hand check from sibc calc's table by party for eksempel_alle_myndigheder (its column Nutidsværdi):
    kommune 1.362.706 + region −140.149 + stat 1.052.277 + central resultatfond 0 = 2.274.834 kr.; the net over the
    horizon is the last year of "Netto offentlig kumuleret", 2.747.505 kr., paid back in year 4 (2029)."""
    path = _with_view(tmp_path, "offentlig")
    assert main(["calc", path]) == 0
    out = capsys.readouterr().out
    head = out.split("\n\nÅr ")[0]  # the block above the year table
    assert "Resultat for hele den offentlige sektor: kommune, region og stat (casens visning: offentlig):" in head
    assert _figure(head, "Nutidsværdi netto offentlig") == "2.274.834"
    assert _figure(head, "Netto offentlig over horisonten") == "2.747.505"
    assert _figure(head, "Tilbagebetalingstid offentlig (antal år fra start)") == "4"
    assert _figure(head, "Tilbagebetalt i kalenderår offentlig") == "2029"
    assert "Nutidsværdi netto betaler" not in head
    assert "Visningens linjer i tabellen: Netto offentlig, Netto offentlig kumuleret og Nutidsværdi netto" in head
    parties = {line.split()[0]: line.split()[-1] for line in out.splitlines()[-5:]}
    assert parties["Kommune"] == "1.362.706" and parties["Region"] == "-140.149" and parties["Stat"] == "1.052.277"
    # the key figures start with the view's
    figures = out.split("\n\n")[[k for k, block in enumerate(out.split("\n\n")) if "Benefit-cost-ratio" in block][0]]
    assert figures.splitlines()[0].split()[:3] == ["Nutidsværdi", "netto", "offentlig"]

    assert main(["calc", path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    head = data["overskrift"]
    assert head["visning"] == "offentlig" and head["nv"] == data["noegletal"]["nv_offentlig"]
    # the public present value is the sum of the public parties' present values (kommune, region, stat, fond)
    assert head["nv"] == pytest.approx(sum(data["parter"][p]["nv"] for p in ("kommune", "region", "stat", "fond")), abs=0.01)
    assert head["nv"] == pytest.approx(2_274_834, abs=0.5)
    assert head["netto_i_alt"] == pytest.approx(sum(year["r_netto_offentlig"] for year in data["aar_for_aar"]), abs=0.01)
    assert (head["tilbage"], head["tilbage_aar"]) == (4, 2029)
    assert head["linjer"] == ["r_netto_offentlig", "r_kum_offentlig", "r_nv_offentlig"]


def test_view_kommune_heads_calc_with_the_payer(tmp_path, capsys):
    """visning: kommune (the shipped file): the payer's figures. Table by party: kommune 1.362.706 kr.; the net over
    the horizon is the last "Netto betaler kumuleret", 1.646.841 kr. (the kommune's "Netto i alt"), paid back in year 3."""
    assert main(["calc", str(ALLE)]) == 0
    out = capsys.readouterr().out
    head = out.split("\n\nÅr ")[0]
    assert "Resultat for betaleren: kommune (casens visning: kommune):" in head
    assert _figure(head, "Nutidsværdi netto betaler") == "1.362.706"
    assert _figure(head, "Netto betaler over horisonten") == "1.646.841"
    assert _figure(head, "Tilbagebetalingstid betaler (antal år fra start)") == "3"
    assert "offentlig" not in head.split("Beløb i")[1]
    assert main(["calc", str(ALLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overskrift"]["nv"] == pytest.approx(data["parter"]["kommune"]["nv"], abs=0.01)
    assert data["overskrift"]["noegletal"][0] == "nv_betaler"


def test_the_public_view_names_the_outcomes_fund_when_it_pays(tmp_path, capsys):
    """eksempel_tre_betalere: a central outcomes fund pays part of the outcome payments; its net is public money, so
    the public view names it (and the public present value includes its −payments)."""
    data = yaml.safe_load((CASES / "eksempel_tre_betalere.yaml").read_text(encoding="utf-8"))
    data["visning"] = "offentlig"
    path = tmp_path / "tre.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["calc", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["parter"]["fond"]["nv"] < 0  # the fund pays
    assert result["overskrift"]["nv"] == pytest.approx(
        sum(result["parter"][p]["nv"] for p in ("kommune", "region", "stat", "fond")), abs=0.01)
    assert main(["calc", str(path)]) == 0
    assert "hele den offentlige sektor: kommune, region, stat og central resultatfond" in capsys.readouterr().out


# --------------------------------------------------------------------------- 2. JSON for programs

TEXT_KEYS = {"navn", "valuta", "garant", "advarsler", "prisnote", "offentliggjort_sammenligning", "post", "felt", "nu",
             "offentliggjort"}
"""Keys whose values are names, sources and messages: text by nature."""

CODE = re.compile(r"^[a-z0-9_]+$")


def _texts(value, key=""):
    """Every string in a JSON value with the key it is under (not under a ``…_forklaring`` block: the reasons beside
    the figures that are null, text by nature)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if not k.endswith("_forklaring"):
                yield from _texts(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v, key)
    elif isinstance(value, str):
        yield key, value


def _examples():
    return sorted(CASES.rglob("*.yaml"))


@pytest.mark.parametrize("path", _examples(), ids=lambda p: p.stem)
def test_json_gives_numbers_and_codes_not_display_texts(path, capsys):
    """Every string of calc --json and afregn --json is a name, a message or a code (lower-case ASCII)."""
    commands = [["calc", str(path), "--json"]]
    if "garanti:" in path.read_text(encoding="utf-8") or "investor" in path.read_text(encoding="utf-8"):
        commands.append(["afregn", str(path), "--json"])
    for command in commands:
        assert main(command) == 0
        data = json.loads(capsys.readouterr().out)
        shown = [(k, v) for k, v in _texts(data) if k not in TEXT_KEYS and not CODE.match(v)]
        assert not shown, f"{command[0]}: display texts in JSON: {shown}"


def test_json_loss_ranges_rates_and_codes(capsys):
    """eksempel_alle_myndigheder: the table shows "Betaler taber ved succesrater 0,0 %–18,0 %" and the break-even
    18,0 %; JSON gives the range [0, break-even] as shares. The investor's one internal rate is its IRR (3,21 % on the
    1.800.000 kr. of cost lines as entered; the example's optimism mark-up is on the authorities' costs only), and
    its break-even at the required return is not reached ("nås ikke (taber også ved 100 %)"): the code naas_ikke."""
    assert main(["calc", str(ALLE)]) == 0
    out = capsys.readouterr().out
    assert _figure(out, "Betaler taber ved succesrater") == "0,0 %–18,0 %"
    assert main(["calc", str(ALLE), "--json"]) == 0
    k = json.loads(capsys.readouterr().out)["noegletal"]
    assert k["break_even"] == pytest.approx(0.18, abs=0.0005)
    assert k["tab_intervaller"] == [[0.0, k["break_even"]]]
    assert k["investor_renter"] == [k["investor_irr"]] and k["investor_irr"] == pytest.approx(0.0321, abs=0.00005)
    assert k["be_investor_krav"] == "naas_ikke"


def test_json_guarantor_authority_is_the_case_code(capsys):
    """Rikers (kontrakter/rikers.yaml: garanti.myndighed ingen) shows "Ingen (ikke offentlig)"; JSON gives "ingen"."""
    rikers = CASES / "kontrakter" / "rikers.yaml"
    assert main(["afregn", str(rikers)]) == 0
    assert "Ingen (ikke offentlig)" in capsys.readouterr().out
    assert main(["afregn", str(rikers), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["afregning"]["garanti_myndighed"] == "ingen"


def test_json_calendar_year_without_start_year_is_null(capsys, tmp_path):
    """sygedagpenge.yaml has no startaar: the table shows no calendar year, JSON null (not a text).  Its payer is
    never out of pocket (payments after savings), so its payback is null too, the reason beside it; with a
    kommune start-up cost of 100.000 kr. in year 0 the payback is a number of years and only the calendar year null."""
    import yaml

    assert main(["calc", str(CASES / "sygedagpenge.yaml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {year["r_kalenderaar"] for year in data["aar_for_aar"]} == {None}
    assert data["noegletal"]["tilbage_betaler"] is None
    assert data["noegletal_forklaring"]["tilbage_betaler"] == "ikke relevant (intet udlæg)"
    case = yaml.safe_load((CASES / "sygedagpenge.yaml").read_text(encoding="utf-8"))
    case["indsats"].append({"navn": "Kommunens opstart", "betaler": "kommune", "type": "opstart", "pr_aar": [100_000]})
    path = tmp_path / "med_udlaeg.yaml"
    path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    assert main(["calc", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data["noegletal"]["tilbage_betaler"], int) and data["noegletal"]["tilbage_betaler_aar"] is None
    assert data["noegletal_forklaring"]["tilbage_betaler_aar"] == "ikke defineret (intet startår i casen)"


def test_json_nulls_say_why_as_the_tables_do(capsys):
    """Every figure that is null in a JSON block has beside it, under ``<block>_forklaring``, the text the table shows
    in its place (vocabulary.program_figures, one rule for every block):
    - pr_uge.yaml: the payer's cumulative net is still below 0 at the horizon, so ``sibc calc`` shows its payback as
      "ikke inden for perioden"; the public sector is never out of pocket: "ikke relevant (intet udlæg)";
    - Rikers (kontrakter/rikers.yaml): the target missed, the city pays nothing, so the investor's flow is −2.4 mio.
      in years 0–3 and 0 in year 4: no rate makes it 0, and ``sibc afregn`` shows "Investors interne rente (IRR)  ikke defineret"
      (Rikers has no required return: its break-even at it is "ikke defineret" too)."""
    assert main(["calc", str(CASES / "kontraktformer" / "pr_uge.yaml")]) == 0
    table = capsys.readouterr().out
    assert main(["calc", str(CASES / "kontraktformer" / "pr_uge.yaml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    why = data["noegletal_forklaring"]
    assert why["tilbage_betaler"] == "ikke inden for perioden" == _figure(table, "Tilbagebetalingstid betaler (antal år fra start)")
    assert why["tilbage_offentlig"] == "ikke relevant (intet udlæg)" == _figure(table, "Tilbagebetalingstid offentlig (antal år fra start)")
    assert {k for k, v in data["noegletal"].items() if v is None} == set(why)

    rikers = CASES / "kontrakter" / "rikers.yaml"
    assert main(["afregn", str(rikers)]) == 0
    table = capsys.readouterr().out
    assert main(["afregn", str(rikers), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["afregning"]["investor_irr"] is None
    assert data["afregning_forklaring"] == {"investor_irr": _figure(table, IRR_LABEL),
                                            "be_investor_krav": _figure(table, "Break-even succesrate investor (krav til afkast)")}
    assert set(data["afregning_forklaring"].values()) == {"ikke defineret"}
    assert main(["calc", str(rikers), "--json"]) == 0  # calc's guarantee block gives the same reasons
    data = json.loads(capsys.readouterr().out)
    assert data["afregning_garanti_forklaring"] == {"investor_irr": "ikke defineret", "be_investor_krav": "ikke defineret"}


def test_maal_json_gives_the_interval_method_and_savings_basis_as_codes(tmp_path, capsys):
    """sibc maal --json on the synthetic example: each effect's interval method is a code (welch for a mean, wald for
    a 0/1 share; the workbook and the tables keep "normalfordeling (Welch)" and "Wald (andele)"), and the
    settlement's savings basis is the code maalt."""
    assert main(["maal", str(tmp_path / "eks"), "--lav-eksempel"]) == 0
    capsys.readouterr()
    assert main(["maal", str(tmp_path / "eks" / "maaling.yaml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    methods = {m["id"]: m["effekt"]["metode"] for m in data["maal"]}
    assert methods["uger_selvforsoerget"] == "welch" and methods["selvforsoerget_uge_26"] == "wald"
    assert set(methods.values()) <= {"welch", "wald"}
    assert data["afregningens_besparelser"]["grundlag"] == "maalt"


# --------------------------------------------------------------------------- 3. one currency a shipped folder


@pytest.mark.parametrize("folder", sorted({p.parent for p in CASES.rglob("*.yaml")}), ids=lambda p: p.name)
def test_every_shipped_folder_is_one_portfolio(folder, capsys):
    """Each folder of shipped case files holds one currency (kontrakter: the USD contracts from abroad; kontraktformer
    and the examples: kr.), so sibc portefoelje adds it without refusing it or leaving a file out."""
    from udfs.core.casefile import load_business_case

    currencies = {load_business_case(path).valuta for path in folder.glob("*.yaml")}
    assert len(currencies) == 1, f"{folder.name}: {currencies}"
    assert main(["portefoelje", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Filer, der ikke kom med" not in out
    assert f"({len(list(folder.glob('*.yaml')))} case" in out.splitlines()[0]


# --------------------------------------------------------------------------- 5. no label cut


def _commands(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    out = [["calc", str(path)], ["calc", str(path), "--oere"], ["sensitivity", str(path)]]
    if "fordelinger:" in text:
        out.append(["montecarlo", str(path), "--traek", "200", "--seed", "1"])
    if "investor" in text or "garanti:" in text:
        out.append(["afregn", str(path)])
    return out


@pytest.mark.parametrize("path", _examples(), ids=lambda p: p.stem)
def test_no_printed_line_is_wider_than_100_columns_or_cut(path, capsys):
    """sibc calc, afregn, sensitivity and montecarlo on every shipped case: every line fits 100 columns and no label
    is cut (the tables wrap a long label over lines instead of ending it with "…")."""
    for command in _commands(path):
        assert main(command) == 0, command
        out = capsys.readouterr().out
        too_wide = [line for line in out.splitlines() if len(line) > 100]
        assert not too_wide, f"{command[0]}: {too_wide}"
        assert "…" not in out, f"{command[0]}: {[line for line in out.splitlines() if '…' in line]}"


@pytest.mark.parametrize("folder", sorted({p.parent for p in CASES.rglob("*.yaml")}), ids=lambda p: p.name)
def test_the_portfolio_fits_100_columns_and_names_every_case_whole(folder, capsys):
    """sibc portefoelje on every shipped folder: lines within 100 columns, no "…", every case's whole name printed."""
    from udfs.core.casefile import load_business_case

    assert main(["portefoelje", str(folder)]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 100 and "…" not in out
    for path in folder.glob("*.yaml"):
        assert load_business_case(path).navn in out


def test_a_long_label_wraps_with_every_word_kept():
    """text_table gives a label longer than the room left several lines (values on the first), never a cut: the
    tornado's label "Frafald pr. år, effekt 1 (merbeskaeftigelse) — er 0: ±10 %-point" was printed "… ±10 %…"."""
    from workbooks.cli import text_table

    label = "Frafald pr. år, effekt 1 (merbeskaeftigelse) — er 0: ±10 %-point " * 2
    text = text_table([[label.strip(), "2.695.498", "1.222.916", "1.472.582"]] * 2, width=100)
    lines = text.splitlines()
    assert all(len(line) <= 100 for line in lines) and "…" not in text
    assert lines[0].endswith("2.695.498  1.222.916  1.472.582")
    first = [line for line in lines if not line.startswith("  ")]
    assert len(first) == 2  # one row each, its continuation lines indented
    row = " ".join(lines[: len(lines) // 2])
    assert " ".join(row.replace("2.695.498", "").replace("1.222.916", "").replace("1.472.582", "").split()) == label.strip()
    assert "±10 %-point" in text  # a number and its per cent sign stay on one line


def test_calc_marks_a_break_even_below_the_deadweight(tmp_path, capsys):
    """A trial's finding: a break-even below the deadweight was marked only on Følsomhed and in ``sibc sensitivity``.
    eksempel_ungeindsats with effect 3's deadweight raised to 20 %: the payer's break-even is 16,6 % (0,16598), below
    the highest deadweight, so ``sibc calc`` says so beside the key figures; the example as shipped (highest
    deadweight 15 %, break-even 16,6 %) is not marked."""
    import yaml

    data = yaml.safe_load((CASES / "eksempel_ungeindsats.yaml").read_text(encoding="utf-8"))
    assert main(["calc", str(CASES / "eksempel_ungeindsats.yaml")]) == 0
    assert "under dødvægten" not in capsys.readouterr().out
    data["effekter"][2]["doedvaegt"] = 0.20
    data["effekter"][2].pop("kontrolgruppe", None)
    path = tmp_path / "hoej_doedvaegt.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["calc", str(path)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    # the deadweights differ (15 %, 15 %, 20 %): the highest is named with its effect, and for whom it would be reached
    assert ("Break-even succesrate betaler er under den højeste dødvægt (20,0 %, effekt kriminalitet). Under den højeste "
            "dødvægt: tallet nås allerede ved en succesrate, som for effekt kriminalitet ville være nået uden indsatsen. "
            "Tjek dødvægt og succesrate.") in out and "casen betaler sig, selv om intet ændres" not in out
    # the largest loss's label (wrapped: its value beside the first line) says the rate it is sought from
    largest = out.split("Største tab for betaler (nutidsværdi, ")[1].split(")")[0].split()
    assert " ".join(w for w in largest if not re.fullmatch(r"-?[0-9.]+", w)) == "succesrate fra den højeste dødvægt 20,0 %, effekt kriminalitet", largest
