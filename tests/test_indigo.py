"""INDIGO open data (udfs/core/indigo.py, sibc indigo): export → import gives back an equal case.

The field names, titles and types are those of the INDIGO data standard 4.1.0, schema/project.json
(github.com/INDIGO-Initiative/indigo-data-standard, tag 4.1.0, 2023-10-19).
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import yaml

from udfs.core.casefile import load_business_case
from udfs.core.case_model import parse_case
from udfs.core.engine import run
from udfs.core.errors import SIError
from udfs.core.indigo import EXTENSION, csv_files, from_indigo, maximum_payment, project_from_csv, read_indigo, to_indigo
from udfs.core.limits import MAX_CASE_FILE_BYTES
from udfs.core.vocabulary import OUTCOME_PAYERS
from workbooks.cli import example_cases, main

EXAMPLES = example_cases()

#: The top-level properties of schema/project.json in INDIGO 4.1.0 (copied from the schema's "properties").
STANDARD_PROPERTIES = {
    "status", "name", "alternative_names", "stage_development", "social_investment_prototype", "dates", "jurisdiction",
    "overall_project_finance", "investment_details", "purpose_and_classifications", "service_and_beneficiaries",
    "changes_to_project_due_to_covid19", "notes", "outcome_funds", "delivery_locations", "sources", "service_provisions",
    "outcome_payment_commitments", "investments", "intermediary_services", "outcome_metrics", "outcome_pricings",
    "transactions", "technical_assistances", "technical_assistance_details", "results", "open_contracting_datas",
    "360giving_datas", "documents", "outcome_payment_plans", "outcome_payments", "provider_side_cost", "outcome_payer_cost",
}  # fmt: skip


def realised_case():
    data = load_business_case(EXAMPLES[0].parent / "eksempel_alle_myndigheder.yaml").model_dump(mode="json", exclude_defaults=True)
    data["realiseret"] = {"dato": "2027-06-30", "kilde": "Afregning juni 2027", "betalinger": 1_250_000,
                          "besparelser": {"kommune": 2_000_000, "stat": 300_000}, "borgere_i_arbejde": 17}  # fmt: skip
    return parse_case(data)


CASES = [pytest.param(lambda p=p: load_business_case(p), id=p.stem) for p in EXAMPLES] + [pytest.param(realised_case, id="realiseret")]


@pytest.mark.parametrize("make", CASES)
def test_json_export_then_import_gives_back_an_equal_case(make, tmp_path, capsys):
    case = make()
    source = tmp_path / "case.yaml"
    source.write_text(yaml.safe_dump(case.model_dump(mode="json", exclude_defaults=True), allow_unicode=True), encoding="utf-8")
    assert main(["indigo", "eksport", str(source), "-o", str(tmp_path / "p.json")]) == 0
    assert main(["indigo", "import", str(tmp_path / "p.json"), str(tmp_path / "back.yaml")]) == 0
    assert load_business_case(tmp_path / "back.yaml") == case


@pytest.mark.parametrize("make", CASES)
def test_csv_export_then_import_gives_back_an_equal_case(make, tmp_path, capsys):
    case = make()
    source = tmp_path / "case.yaml"
    source.write_text(yaml.safe_dump(case.model_dump(mode="json", exclude_defaults=True), allow_unicode=True), encoding="utf-8")
    assert main(["indigo", "eksport", str(source), "--csv", "-o", str(tmp_path / "p.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        names = archive.namelist()
        header = archive.read("projects.csv").decode("utf-8").splitlines()[0]
    assert "projects.csv" in names and "projects_outcome_metrics.csv" in names
    assert header.startswith("ID,Impact Bond Name - (Value),")  # the GO Lab's CSV: titles joined by " - "
    assert main(["indigo", "import", str(tmp_path / "p.zip"), str(tmp_path / "back.yaml")]) == 0
    assert load_business_case(tmp_path / "back.yaml") == case


def test_the_export_uses_the_standards_fields_and_one_extension_block():
    case = realised_case()
    project = to_indigo(case)
    assert set(project) - STANDARD_PROPERTIES == {EXTENSION}
    assert project["name"] == {"value": case.navn}
    assert project["dates"]["start_date_of_service_provision"] == {"value": "2026"}  # a date field: YYYY
    finance = project["overall_project_finance"]
    result = run(case)
    # the investment committed: the investor's cost lines as entered, 600.000 kr. × 3 years = 1.800.000 kr. (the
    # example's 10 % optimism mark-up is on the authorities' costs, never on the investment)
    assert finance["total_investment_commitment"]["amount"]["exact"]["value"] == 1_800_000
    assert finance["total_investment_commitment"]["currency"]["value"] == "DKK"
    assert finance["maximum_potential_outcome_payment_v2"]["amount"]["value"] == 2_000_000  # loft_kontrakt
    assert finance["total_outcome_payments_made"]["amount"]["value"] == 1_250_000
    # the schema types the IRR target as text: the required return 0.05 written as "0.05"
    assert project["investment_details"]["internal_rate_of_return"]["target"]["value"] == "0.05"
    assert [m["id"] for m in project["outcome_metrics"]] == [m.id for m in case.betalingsmodel.resultatmaal]
    planned: dict[str, float] = {}
    for p in project["outcome_payments"]:  # one item per metric and payer
        planned[p["outcome_metric_id"]["value"]] = planned.get(p["outcome_metric_id"]["value"], 0) + p["money"]["amount"]["value"]
    for m in case.betalingsmodel.resultatmaal:  # one metric a year here: the engine's payment of that year, in øre
        assert planned[m.id] == pytest.approx(round(float(result.payments[0][m.aar]), 2), abs=1e-6)
    # one payer (kommune): its commitment is the contract cap loft_kontrakt, 2.000.000 kr.
    assert [(c["organisation_id"]["value"], c["maximum_potential_outcome_payment"]["amount"]["value"])
            for c in project["outcome_payment_commitments"]] == [("kommune", 2_000_000)]
    assert project["results"][0]["number_with_positive_social_outcomes"]["value"] == 17
    ext = project[EXTENSION]["case"]
    for held in ("navn", "startaar", "beskrivelse", "maalgruppe", "kilde", "betaler"):
        assert held not in ext, held  # what INDIGO holds is not repeated in the extension
    assert "effekter" in ext and "deltagere" in ext


def test_an_edited_indigo_field_changes_the_case():
    case = load_business_case(EXAMPLES[0].parent / "eksempel_alle_myndigheder.yaml")
    project = json.loads(json.dumps(to_indigo(case)))
    project["name"]["value"] = "Nyt navn"
    project["outcome_metrics"][1]["definition"]["value"] = "Andel med færre kontakter"
    project["investment_details"]["internal_rate_of_return"]["target"]["value"] = "0.07"
    project["outcome_pricings"][3]["maximum_price_if_all_targets_achieved"]["amount"]["value"] = "350000"
    back = from_indigo(project)
    assert back.navn == "Nyt navn"
    assert back.betalingsmodel.resultatmaal[1].navn == "Andel med færre kontakter"
    assert back.investor.krav_til_afkast == 0.07
    assert back.betalingsmodel.resultatmaal[3].loft == 350_000


def edited(change):
    project = json.loads(json.dumps(to_indigo(load_business_case(EXAMPLES[0].parent / "eksempel_alle_myndigheder.yaml"))))
    change(project)
    return project


@pytest.mark.parametrize(("change", "field", "words"), [
    (lambda p: p.pop(EXTENSION), EXTENSION, "mangler"),
    (lambda p: p.__setitem__(EXTENSION, {"case": []}), EXTENSION, "mangler"),
    (lambda p: p["name"].__setitem__("value", 5), "name.value", "skal være tekst"),
    (lambda p: p["name"].__setitem__("value", ""), "name.value", "tom"),
    (lambda p: p["dates"]["start_date_of_service_provision"].__setitem__("value", "snart"), "dates.start_date_of_service_provision.value", "ikke en dato"),
    (lambda p: p["investment_details"]["internal_rate_of_return"]["target"].__setitem__("value", "fem"), "investment_details.internal_rate_of_return.target.value", "ikke et tal"),
    (lambda p: p["outcome_metrics"][0]["definition"].__setitem__("value", ""), "outcome_metrics[0].definition.value", "tom"),
    (lambda p: p["outcome_payment_commitments"][0]["organisation_id"].__setitem__("value", "fond"), "outcome_payment_commitments[0].organisation_id.value", "fond"),
    (lambda p: p.__setitem__("outcome_metrics", {"id": 1}), "outcome_metrics", "liste"),
    (lambda p: p[EXTENSION]["case"]["effekter"][0].__setitem__("succesrate", 2), f"{EXTENSION}.case.effekter[0].succesrate", "1"),
])  # fmt: skip
def test_a_bad_indigo_project_is_named(change, field, words):
    with pytest.raises(SIError) as info:
        from_indigo(edited(change))
    assert info.value.argument == field
    assert words in info.value.message


def test_a_project_that_is_not_an_object_is_refused():
    with pytest.raises(SIError, match="JSON-objekt"):
        from_indigo([1, 2])


def write_zip(path, files: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def test_bad_indigo_files_get_a_danish_message(tmp_path, capsys):
    out = str(tmp_path / "ny.yaml")
    cases = {
        "ugyldig.json": (b'{"name": {"value": "x"', "Fejl i indigo: filen kan ikke læses"),
        "liste.json": (b"[1, 2]", "Fejl i indigo: skal være et INDIGO-projekt"),
        "nan.json": (b'{"name": {"value": NaN}}', "NaN er ikke et tal"),
        "dyb.json": (b'{"a":' * 30 + b"1" + b"}" * 30, "indlejret for dybt"),
        "stor.json": (b'{"x": "' + b"a" * (MAX_CASE_FILE_BYTES + 10) + b'"}', "højst 1.000.000 byte"),
        "ikke_zip.zip": (b"PK\x03\x04 ikke en zip", "er ikke en gyldig zip-fil"),
        "tekst.txt": (b"{}", "er ikke en"),
    }
    for name, (data, words) in cases.items():
        (tmp_path / name).write_bytes(data)
        assert main(["indigo", "import", str(tmp_path / name), out]) == 2, name
        err = capsys.readouterr().err
        assert err.startswith("Fejl i ") and words in err, (name, err)
    assert not (tmp_path / "ny.yaml").exists()


def test_hostile_zips_are_refused_before_unpacking(tmp_path, capsys):
    many = tmp_path / "mange.zip"
    write_zip(many, {f"f{k}.csv": b"a\n" for k in range(25)})
    bomb = tmp_path / "bombe.zip"
    write_zip(bomb, {"projects.csv": b"0" * (MAX_CASE_FILE_BYTES + 1)})  # compresses to ~1 kB
    for path, words in ((many, "højst 20"), (bomb, "udpakket; højst 1.000.000")):
        assert main(["indigo", "import", str(path), str(tmp_path / "ny.yaml")]) == 2
        assert words in capsys.readouterr().err


def test_bad_csv_forms_name_the_file_and_column():
    files = csv_files(to_indigo(load_business_case(EXAMPLES[0].parent / "eksempel_ungeindsats.yaml")))
    with pytest.raises(SIError, match="projects.csv mangler"):
        project_from_csv({k: v for k, v in files.items() if k != "projects.csv"})
    header, row = files["projects.csv"].splitlines()[:2]
    with pytest.raises(SIError) as info:
        project_from_csv({**files, "projects.csv": "\n".join([header, row, row])})
    assert info.value.argument == "projects.csv" and "præcis ét projekt" in info.value.message
    broken = files["projects_outcome_payments.csv"].replace("DKK,", "DKK,mange", 1)
    with pytest.raises(SIError) as info:
        project_from_csv({**files, "projects_outcome_payments.csv": broken})
    assert info.value.argument == "projects_outcome_payments.csv, kolonnen 'Payments - Amount - (Value)'"


def test_read_indigo_reads_both_forms(tmp_path):
    project = json.loads(json.dumps(to_indigo(load_business_case(EXAMPLES[0].parent / "job_til_mor.yaml"))))
    (tmp_path / "p.json").write_text(json.dumps(project), encoding="utf-8")
    buffer = io.BytesIO()
    write_zip(tmp_path / "p.zip", {k: v.encode("utf-8") for k, v in csv_files(project).items()})
    assert read_indigo(tmp_path / "p.json") == project
    assert from_indigo(read_indigo(tmp_path / "p.zip")) == from_indigo(project)
    del buffer


# --------------------------------------------------------------------------- several outcome payers


def test_three_payers_are_exported_each_with_its_commitment_and_payments():
    """workbooks/cases/eksempel_tre_betalere.yaml: the outcomes fund pays 20 % (resultatfonde.csv, Life Chances
    Fund), kommune and stat the remaining 80 % in proportion to their savings that year (udfs/core/payers.py).

    Hand check, from the engine's savings (kr.) and payments:
    * job, year 3 (2029), payment 1.250.000 = (18 − 8) / (20 − 8) × 1.500.000 (18 = 3 × 30 × (0,35 − 0,15)
      net successes): savings kommune 701.205,264, stat 271.066,69584 (sum 972.271,95984) →
      fond 0,2 × 1.250.000 = 250.000,00; kommune 0,8 × 701.205,264 / 972.271,95984 × 1.250.000 = 721.202,80;
      stat 0,8 × 271.066,69584 / 972.271,95984 × 1.250.000 = 278.797,20 (sum 1.250.000,00);
    * kriminalitet, year 5 (2031), payment 180.000: savings kommune 929.480,653152, stat 314.089,9540848 (sum
      1.243.570,6072368) → fond 36.000,00; kommune 0,8 × 929.480,653152 / 1.243.570,6072368 × 180.000 = 107.629,77;
      stat 36.370,23;
    * commitments (no contract cap: the planned payments): kommune 721.202,80 + 107.629,77 = 828.832,57,
      stat 278.797,20 + 36.370,23 = 315.167,43, fond 286.000,00; in all 1.430.000,00.
    """
    case = load_business_case(EXAMPLES[0].parent / "eksempel_tre_betalere.yaml")
    result = run(case)
    saved = result.savings_by_authority[:, 0]
    assert saved[0, 3] == pytest.approx(701_205.264) and saved[2, 3] == pytest.approx(271_066.69584)
    assert saved[0, 5] == pytest.approx(929_480.653152) and saved[2, 5] == pytest.approx(314_089.9540848)
    assert result.payments[0, 3] == pytest.approx(1_250_000) and result.payments[0, 5] == pytest.approx(180_000)
    project = to_indigo(case)
    paid = {(p["outcome_metric_id"]["value"], p["payer_organisation_id"]["value"]): p["money"]["amount"]["value"]
            for p in project["outcome_payments"]}  # fmt: skip
    assert paid == {("job", "kommune"): 721_202.80, ("job", "stat"): 278_797.20, ("job", "fond"): 250_000.00,
                    ("kriminalitet", "kommune"): 107_629.77, ("kriminalitet", "stat"): 36_370.23,
                    ("kriminalitet", "fond"): 36_000.00}  # fmt: skip
    # The commitments are the most the contract can pay, not the planned payments: job at most its rule's cap
    # 1.800.000, the rate card at most 4.000 × 90 participants = 360.000 (below its 400.000 in all); 2.160.000 in all,
    # split by the planned shares: kommune 828.832,57 / 1.430.000 × 2.160.000 = 1.251.942,90, stat 315.167,43 /
    # 1.430.000 × 2.160.000 = 476.057,10, fond 286.000 / 1.430.000 = 0,2 × 2.160.000 = 432.000.
    committed = {c["organisation_id"]["value"]: c["maximum_potential_outcome_payment"]["amount"]["value"]
                 for c in project["outcome_payment_commitments"]}  # fmt: skip
    assert committed == {"kommune": 1_251_942.90, "stat": 476_057.10, "fond": 432_000.00}
    assert round(sum(committed.values()), 2) == 2_160_000.00
    assert project["overall_project_finance"]["maximum_potential_outcome_payment_v2"]["amount"]["value"] == 2_160_000
    # the planned payments are the core's one split, payer by payer, in øre
    planned = {payer: round(float(result.payments_by_payer[OUTCOME_PAYERS.index(payer), 0].sum()), 2) for payer in committed}
    assert planned == {"kommune": 828_832.57, "stat": 315_167.43, "fond": 286_000.00}
    for c in project["outcome_payment_commitments"]:
        assert c["organisation_role_category"]["value"] == "Government/Public Sector/Public Bank"  # the schema's code list
    assert [f["id"] for f in project["outcome_funds"]] == ["life_chances_fund"]
    # the investor's cost lines as entered, 700.000 × 3 = 2.100.000 (the mark-up is on the authorities' costs only)
    assert project["overall_project_finance"]["total_investment_commitment"]["amount"]["exact"]["value"] == 2_100_000
    assert project["investments"][0]["investment_commitment"]["amount"]["exact"]["value"] == 2_100_000
    assert run(case).investment[0].sum() == 2_100_000  # the same investment the settlement reckons with
    pricing = {p["outcome_metric_id"]["value"]: p["price_description"]["value"] for p in project["outcome_pricings"]}
    assert pricing == {"job": "Lineær: 0 kr. ved 8 personer, 1,5 mio. kr. ved 20, højst 1,8 mio. kr.",
                       "kriminalitet": "Ratekort: 20.000 kr. pr. færre domme; højst 4.000 kr. pr. deltager, "
                                       "højst 400.000 kr. i alt."}  # fmt: skip
    back = from_indigo(json.loads(json.dumps(project)))
    assert back == case and back.betaler == "kommune"


def test_amounts_are_in_oere_and_a_cap_is_split_by_the_payers_shares():
    """With a contract cap, each payer commits its share of the cap (its share of the planned payments); every
    amount is rounded to øre and the parts sum to the cap in øre.  Hand check: the three-payer example with
    loft_kontrakt 2.000.000,01 kr. (above the planned 1.430.000, so no payment is cut): planned kommune 828.832,57,
    stat 315.167,43, fond 286.000 of 1.430.000 → kommune 828.832,57 / 1.430.000 × 2.000.000,01 = 1.159.206,397… →
    1.159.206,40; stat 440.793,6106 → 440.793,61; fond 0,2 × 2.000.000,01 = 400.000,002 → 400.000,00; sum 2.000.000,01.
    The 15 % optimism mark-up on costs leaves the investment commitment at the cost lines, 2.100.000."""
    data = load_business_case(EXAMPLES[0].parent / "eksempel_tre_betalere.yaml").model_dump(mode="json", exclude_defaults=True)
    data["betalingsmodel"]["loft_kontrakt"] = 2_000_000.01
    data["optimisme"] = {"omkostninger": 0.15}
    project = to_indigo(parse_case(data))
    committed = {c["organisation_id"]["value"]: c["maximum_potential_outcome_payment"]["amount"]["value"]
                 for c in project["outcome_payment_commitments"]}  # fmt: skip
    assert committed == {"kommune": 1_159_206.40, "stat": 440_793.61, "fond": 400_000.00}
    assert round(sum(committed.values()), 2) == 2_000_000.01
    assert project["overall_project_finance"]["maximum_potential_outcome_payment_v2"]["amount"]["value"] == 2_000_000.01
    assert project["overall_project_finance"]["total_investment_commitment"]["amount"]["exact"]["value"] == 2_100_000


# --------------------------------------------------------------------------- rules in words

#: Every registered rule, one example each, and its description (hand-written: the Danish sentence a reader gets).
DESCRIPTIONS = [
    ({"type": "lineaer", "taerskel": 3, "maal": 10, "betaling_ved_maal": 2_500_000, "loft": 3_000_000}, "personer",
     "Lineær: 0 kr. ved 3 personer, 2,5 mio. kr. ved 10, højst 3 mio. kr."),
    ({"type": "lineaer", "taerskel": 2.5, "maal": 12, "betaling_ved_maal": 800_000}, "",
     "Lineær: 0 kr. ved 2,5, 800.000 kr. ved 12, højst 800.000 kr."),
    ({"type": "trappe", "taerskler": [5, 10], "betalinger": [500_000, 1_000_000]}, "personer",
     "Trappe: 0 kr. under 5 personer, 500.000 kr. fra 5, 1 mio. kr. fra 10."),
    ({"type": "besparelsesandel", "andel": 0.4}, "kr.", "Andel af besparelsen: 40 % af betalerens besparelse."),
    ({"type": "ratekort", "udfald": ["job", "uddannelse"], "priser": [20_000, 12_500.5], "loft_pr_deltager": 4_000,
      "deltagere": 100, "loft_i_alt": 400_000}, "personer",
     "Ratekort: 20.000 kr. pr. job, 12.500,50 kr. pr. uddannelse; højst 4.000 kr. pr. deltager (100 deltagere), "
     "højst 400.000 kr. i alt."),
    ({"type": "skiftende_andel", "andel_foer": 0.95, "andel_efter": 0.4, "hovedstol": 7_000_000, "afkast": 0.05}, "kr.",
     "Skiftende andel: 95 % af betalerens besparelse, til betalingerne når 7,35 mio. kr. (hovedstol 7 mio. kr. og "
     "5 % afkast), derefter 40 %."),
    ({"type": "pr_periode", "sats": 1_000, "periode": "maaned", "loft_pr_deltager": 30_000, "loft_i_alt": 1_000_000}, "",
     "Pr. måned: 1.000 kr. pr. måned i job eller uddannelse; højst 30.000 kr. pr. deltager, højst 1 mio. kr. i alt."),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "unit", "words"), DESCRIPTIONS, ids=[f"{r['type']}-{k}" for k, (r, _, _) in enumerate(DESCRIPTIONS)])
def test_each_rule_describes_itself_in_danish_words(rule, unit, words):
    from udfs.core.rules import rules

    cls = next(c for c in rules() if c.type_name() == rule["type"])
    assert cls(**rule).describe(unit) == words


def test_every_registered_rule_has_a_description_in_the_table():
    from udfs.core.rules import rule_types

    assert {r["type"] for r, _, _ in DESCRIPTIONS} == set(rule_types())


# --------------------------------------------------------------------------- the most the contract can pay


def capped_case(**job_rule):
    """eksempel_tre_betalere with one metric (job): linear 8 → 20 persons, 2.500.000 kr. at the target (the rule's
    own cap: the payment at the target), the metric's cap 2.400.000 kr., a contract cap of 3.000.000 kr., and fixed
    shares kommune 50 %, stat 30 %, fond 20 % (the Life Chances Fund's share in resultatfonde.csv)."""
    data = load_business_case(EXAMPLES[0].parent / "eksempel_tre_betalere.yaml").model_dump(mode="json", exclude_defaults=True)
    model = data["betalingsmodel"]
    model["betalere"] = [{"betaler": "fond", "fond": "life_chances_fund"}, {"betaler": "kommune", "andel": 0.5},
                         {"betaler": "stat", "andel": 0.3}]  # fmt: skip
    model["resultatmaal"] = [model["resultatmaal"][0]]
    model["resultatmaal"][0]["regel"] = {"type": "lineaer", "taerskel": 8, "maal": 20, "betaling_ved_maal": 2_500_000, **job_rule}
    model["resultatmaal"][0]["loft"] = 2_400_000
    model["loft_kontrakt"] = 3_000_000
    data["maaling"] = {"job": data["maaling"]["job"]}
    return parse_case(data)


def test_the_maximum_payment_is_what_the_metrics_can_pay_not_the_contract_cap(tmp_path, capsys):
    """Hand check: the job metric pays at most min(its cap 2.400.000, the rule's 2.500.000 at the target) =
    2.400.000 kr., below the contract cap 3.000.000, so the most the contract can pay is
    min(3.000.000, 2.400.000) = 2.400.000 kr.; split by the fixed shares: kommune 0,5 × 2.400.000 = 1.200.000,
    stat 0,3 × 2.400.000 = 720.000, fond 0,2 × 2.400.000 = 480.000.  At 100 % success the engine pays just that:
    90 participants × (1 − 0,15) × (1 − 0,10) = 68,85 persons ≥ the target 20, so 2.500.000 capped at 2.400.000."""
    case = capped_case()
    project = to_indigo(case)
    assert project["overall_project_finance"]["maximum_potential_outcome_payment_v2"]["amount"]["value"] == 2_400_000
    committed = {c["organisation_id"]["value"]: c["maximum_potential_outcome_payment"]["amount"]["value"]
                 for c in project["outcome_payment_commitments"]}  # fmt: skip
    assert committed == {"kommune": 1_200_000, "stat": 720_000, "fond": 480_000}
    data = case.model_dump(mode="json", exclude_defaults=True)
    data["effekter"][0]["succesrate"] = 1.0
    assert float(run(parse_case(data)).payments[0].sum()) == pytest.approx(2_400_000)
    # the contract cap itself stays the case's: the file gives back the case, 3.000.000 kr. and all
    source = tmp_path / "hf.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["indigo", "eksport", str(source), "-o", str(tmp_path / "hf.json")]) == 0
    back_path = tmp_path / "back.yaml"
    assert main(["indigo", "import", str(tmp_path / "hf.json"), str(back_path)]) == 0
    back = load_business_case(back_path)
    assert back == parse_case(data) and back.betalingsmodel.loft_kontrakt == 3_000_000


def test_an_unbounded_metric_leaves_the_contract_cap_as_the_maximum():
    """A share of the savings without a cap has no largest payment, so the contract cap 3.000.000 kr. is the most
    the contract can pay: kommune 1.500.000, stat 900.000, fond 600.000 (50 / 30 / 20 %)."""
    data = capped_case().model_dump(mode="json", exclude_defaults=True)
    data["betalingsmodel"]["resultatmaal"][0]["regel"] = {"type": "besparelsesandel", "andel": 0.4}
    del data["betalingsmodel"]["resultatmaal"][0]["loft"]
    data["maaling"]["job"] = {"effekt": "job", "maal": "besparelse"}
    project = to_indigo(parse_case(data))
    assert project["overall_project_finance"]["maximum_potential_outcome_payment_v2"]["amount"]["value"] == 3_000_000
    committed = {c["organisation_id"]["value"]: c["maximum_potential_outcome_payment"]["amount"]["value"]
                 for c in project["outcome_payment_commitments"]}  # fmt: skip
    assert committed == {"kommune": 1_500_000, "stat": 900_000, "fond": 600_000}


@pytest.mark.parametrize("success", [0.35, 0.6, 1.0])
def test_the_maximum_potential_payment_is_the_maximum_not_the_expected_payment(success):
    """The trial: a linear rule capped at 3.500.000 kr. and a rate card capped at 500.000 kr. in all were exported
    with the expected payments (3.800.000 or 3.100.000 kr. by the success rate) as the maximum.  By hand: the most
    the contract can pay is 3.500.000 + 500.000 = 4.000.000 kr. (90 participants × 20.000 kr. = 1.800.000 is above
    the 500.000 in all), whatever the success rate; with a contract cap of 3.800.000 kr., 3.800.000 kr."""
    data = load_business_case(EXAMPLES[0].parent / "eksempel_tre_betalere.yaml").model_dump(mode="json", exclude_defaults=True)
    data["betalingsmodel"]["betalere"] = None  # the kommune pays all: one commitment
    job, crime = data["betalingsmodel"]["resultatmaal"]
    job["regel"] |= {"betaling_ved_maal": 3_000_000, "loft": 3_500_000}
    crime["regel"] = {"type": "ratekort", "udfald": ["færre domme"], "priser": [20_000], "loft_i_alt": 500_000}
    data["effekter"][0]["succesrate"] = success
    case = parse_case(data)
    assert maximum_payment(case) == 4_000_000
    project = to_indigo(case)
    assert project["overall_project_finance"]["maximum_potential_outcome_payment_v2"]["amount"]["value"] == 4_000_000
    assert [c["maximum_potential_outcome_payment"]["amount"]["value"] for c in project["outcome_payment_commitments"]] == [4_000_000]
    assert float(run(case).payments[0].sum()) < 4_000_000  # the expected payments, what was written before
    data["betalingsmodel"]["loft_kontrakt"] = 3_800_000
    capped = to_indigo(parse_case(data))
    assert capped["overall_project_finance"]["maximum_potential_outcome_payment_v2"]["amount"]["value"] == 3_800_000
    # read back, the maximum (an engine figure) does not become a contract cap the case did not have
    assert from_indigo(json.loads(json.dumps(project))) == case


def test_without_a_bound_or_a_contract_cap_no_maximum_is_written():
    """A share of the savings without a cap can pay any amount: no maximum exists, so the export writes none (it
    wrote the expected payments), and the commitment names its payer only."""
    data = capped_case().model_dump(mode="json", exclude_defaults=True)
    data["betalingsmodel"]["resultatmaal"][0]["regel"] = {"type": "besparelsesandel", "andel": 0.4}
    del data["betalingsmodel"]["resultatmaal"][0]["loft"]
    del data["betalingsmodel"]["loft_kontrakt"]
    data["maaling"]["job"] = {"effekt": "job", "maal": "besparelse"}
    case = parse_case(data)
    project = to_indigo(case)
    assert maximum_payment(case) is None and "maximum_potential_outcome_payment_v2" not in project["overall_project_finance"]
    assert all("maximum_potential_outcome_payment" not in c for c in project["outcome_payment_commitments"])
    assert from_indigo(json.loads(json.dumps(project))) == case


@pytest.mark.parametrize(("rule", "loft", "participants", "most"), [
    # linear: the rule's cap (else the payment at the target), then the metric's cap
    ({"type": "lineaer", "taerskel": 8, "maal": 20, "betaling_ved_maal": 1_500_000, "loft": 1_800_000}, None, 90, 1_800_000),
    ({"type": "lineaer", "taerskel": 8, "maal": 20, "betaling_ved_maal": 1_500_000}, 1_200_000, 90, 1_200_000),
    # steps: the largest step's payment
    ({"type": "trappe", "taerskler": [5, 10], "betalinger": [500_000, 1_000_000]}, None, 90, 1_000_000),
    # rate card: 4.000 kr. × 90 participants = 360.000 below the 400.000 in all
    ({"type": "ratekort", "udfald": ["domme"], "priser": [20_000], "loft_pr_deltager": 4_000, "loft_i_alt": 400_000}, None, 90, 360_000),
    ({"type": "ratekort", "udfald": ["domme"], "priser": [20_000]}, None, 90, None),
    ({"type": "besparelsesandel", "andel": 0.4}, None, 90, None),
    ({"type": "besparelsesandel", "andel": 0.4}, 400_000, 90, 400_000),
    # per month: 30.000 kr. × 10 participants = 300.000 below the 1.000.000 in all
    ({"type": "pr_periode", "sats": 1_000, "periode": "maaned", "loft_pr_deltager": 30_000, "loft_i_alt": 1_000_000}, None, 10, 300_000),
])  # fmt: skip
def test_a_metrics_largest_payment_by_hand(rule, loft, participants, most):
    from udfs.core.payment import OutcomeMetric

    metric = OutcomeMetric(id="m", navn="m", enhed="personer", datakilde="d", maaletidspunkt="t", aar=1, regel=rule, loft=loft)
    assert metric.maximum(participants) == most
