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
from udfs.core.indigo import EXTENSION, csv_files, from_indigo, project_from_csv, read_indigo, to_indigo
from udfs.core.limits import MAX_CASE_FILE_BYTES
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
    # the investment: the investor's costs, 600.000 kr. × 3 years × (1 + 10 % optimism bias) = 1.980.000 kr.
    assert finance["total_investment_commitment"]["amount"]["exact"]["value"] == pytest.approx(1_980_000)
    assert finance["total_investment_commitment"]["currency"]["value"] == "DKK"
    assert finance["maximum_potential_outcome_payment_v2"]["amount"]["value"] == 2_000_000  # loft_kontrakt
    assert finance["total_outcome_payments_made"]["amount"]["value"] == 1_250_000
    # the schema types the IRR target as text: the required return 0.05 written as "0.05"
    assert project["investment_details"]["internal_rate_of_return"]["target"]["value"] == "0.05"
    assert [m["id"] for m in project["outcome_metrics"]] == [m.id for m in case.betalingsmodel.resultatmaal]
    planned = {p["outcome_metric_id"]["value"]: p["money"]["amount"]["value"] for p in project["outcome_payments"]}
    for m in case.betalingsmodel.resultatmaal:  # one metric a year here: the engine's payment of that year
        assert planned[m.id] == pytest.approx(float(result.payments[0][m.aar]))
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
