"""An INDIGO file published by others (without this tool's extension block) is read into a partial case
file with a Danish list of what must be filled in by hand; a file with none of a case's fields is refused.

The file below is hand-written in the shape of the INDIGO data standard 4.1.0 (``schema/project.json``:
fields as ``{"value": …}``, lists of objects, organisation ids ``INDIGO-ORG-…``), as the Government
Outcomes Lab publishes a UK impact bond -- the figures are invented for the test, not a real project.
"""

from __future__ import annotations

import json

import pytest
import yaml

from udfs.core.errors import SIError
from udfs.core.indigo import partial_from_indigo
from workbooks.cli import main

FOREIGN = {
    "id": "INDIGO-POJ-9999",
    "name": {"value": "Test Outcomes Partnership"},
    "purpose_and_classifications": {"intervention": {"value": "Key-worker support for young people"}},
    "service_and_beneficiaries": {
        "target_population": {"value": "Young people not in education, employment or training"},
        "targeted_number_service_users_or_beneficiaries_total": {"value": 450},
    },
    "dates": {"start_date_of_service_provision": {"value": "2019-04-01"}},
    "overall_project_finance": {
        "total_investment_commitment": {"currency": {"value": "GBP"}, "amount": {"exact": {"value": 1200000}}},
        "maximum_potential_outcome_payment_v2": {"currency": {"value": "GBP"}, "amount": {"value": 3300000}},
    },
    "outcome_metrics": [
        {"id": "om1", "definition": {"value": "Sustained employment for 26 weeks"}},
        {"id": "om2", "definition": {"value": "Entry into education"}},
    ],
    "outcome_pricings": [
        {"outcome_metric_id": {"value": "om1"}, "currency": {"value": "GBP"}, "price_per_unit": {"amount": {"value": 3500}}},
    ],
    "outcome_payment_commitments": [{"organisation_id": {"value": "INDIGO-ORG-0042"}}],
    "sources": [{"id": "source1", "name": {"value": "Outcomes fund evaluation report"}}],
}


def test_what_indigo_holds_is_read_and_the_rest_is_listed():
    data, todo = partial_from_indigo(FOREIGN)
    assert data["navn"] == "Test Outcomes Partnership" and data["startaar"] == 2019  # year of 2019-04-01
    assert data["maalgruppe"].startswith("Young people") and data["kilde"] == "Outcomes fund evaluation report"
    assert data["betalingsmodel"]["loft_kontrakt"] == 3300000
    assert [m["id"] for m in data["betalingsmodel"]["resultatmaal"]] == ["om1", "om2"]
    assert "betaler" not in data  # an INDIGO organisation is not kommune, region or stat
    listed = "\n".join(todo)
    for field in ("prisaar", "horisont", "deltagere", "indsats", "effekter", "betaler", "resultatmaal[0] (om1)", "resultatmaal[1] (om2)"):
        assert field in listed, field
    # the file's figures as a Dane reads them (the trial saw "75.0" and "4500000.0")
    assert "det samlede antal: 450)" in listed and "den samlede investering: 1.200.000)" in listed
    assert "GBP" in listed and "INDIGO-ORG-0042" in listed and "pris pr. enhed er 3.500" in listed


def test_the_command_writes_the_partial_file_and_a_case_check_names_every_missing_field(tmp_path, capsys):
    src = tmp_path / "andres.json"
    src.write_text(json.dumps(FOREIGN), encoding="utf-8")
    out = tmp_path / "delvis.yaml"
    capsys.readouterr()
    assert main(["indigo", "import", str(src), str(out)]) == 0
    printed = capsys.readouterr().out
    assert "delvis case-fil" in printed and "prisaar" in printed and "effekter" in printed
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Delvis case-fil læst fra andres.json")
    data = yaml.safe_load(text)
    assert data["navn"] == "Test Outcomes Partnership" and data["prisaar"] is None and data["effekter"] is None
    # before it is filled in, the case file is refused with every missing field at once
    assert main(["calc", str(out)]) == 2
    err = capsys.readouterr().err
    for field in ("prisaar", "horisont", "deltagere", "effekter"):
        assert field in err, field


def test_a_file_with_no_case_field_is_refused_naming_the_fields():
    with pytest.raises(SIError) as err:
        partial_from_indigo({"id": "INDIGO-POJ-1", "organisations": []})
    assert "der kan ikke dannes en case" in err.value.message and "name" in err.value.message


def test_a_wrong_type_names_the_indigo_field():
    with pytest.raises(SIError) as err:
        partial_from_indigo({**FOREIGN, "name": {"value": 7}})
    assert err.value.argument == "name.value"


def test_several_outcome_payers_are_imported_with_their_shares():
    """Three outcome payment commitments (a local authority, central government and an outcomes fund, as the
    GO Lab's UK projects with the Life Chances Fund): the payment model's ``betalere`` in the file's order, each
    share its maximum of all the maxima (hand check: 1.800.000 / 3.000.000 = 0,6; 600.000 / 3.000.000 = 0,2 twice);
    the INDIGO organisations are listed to name as kommune, region, stat or fond, and the case's own payer to fill in."""
    project = {**FOREIGN, "outcome_payment_commitments": [
        {"organisation_id": {"value": "INDIGO-ORG-0042"}, "maximum_potential_outcome_payment": {"amount": {"value": 1_800_000}}},
        {"organisation_id": {"value": "INDIGO-ORG-0001"}, "maximum_potential_outcome_payment": {"amount": {"value": 600_000}}},
        {"organisation_id": {"value": "INDIGO-ORG-0777"}, "maximum_potential_outcome_payment": {"amount": {"value": 600_000}}},
    ]}  # fmt: skip
    data, todo = partial_from_indigo(project)
    payers = data["betalingsmodel"]["betalere"]
    assert [p["andel"] for p in payers] == [0.6, 0.2, 0.2]
    assert [p["betaler"] for p in payers] == [None, None, None]  # INDIGO organisations, not the case's words
    listed = "\n".join(todo)
    for k, org in enumerate(("INDIGO-ORG-0042", "INDIGO-ORG-0001", "INDIGO-ORG-0777")):
        assert f"betalingsmodel.betalere[{k}].betaler" in listed and org in listed
    assert "andel 0,6 efter filens beløb" in listed
    assert "betaler: kommune, region eller stat" in listed and "betaler" not in data


def test_several_payers_named_as_a_case_names_them_are_kept():
    """Commitments naming kommune, stat and fond (a file written by this tool, its extension removed): the payers are
    kept as they are; a commitment without an amount leaves its share to fill in."""
    project = {**FOREIGN, "outcome_payment_commitments": [
        {"organisation_id": {"value": "kommune"}, "maximum_potential_outcome_payment": {"amount": {"value": 1_800_000}}},
        {"organisation_id": {"value": "stat"}, "maximum_potential_outcome_payment": {"amount": {"value": 600_000}}},
        {"organisation_id": {"value": "fond"}},
    ]}  # fmt: skip
    data, todo = partial_from_indigo(project)
    assert [(p["betaler"], p["andel"]) for p in data["betalingsmodel"]["betalere"]] == [("kommune", None), ("stat", None), ("fond", None)]
    listed = "\n".join(todo)
    assert "betalingsmodel.betalere[2].andel" in listed and "betalingsmodel.betalere[0].betaler" not in listed
    with pytest.raises(SIError) as err:
        partial_from_indigo({**project, "outcome_payment_commitments": [
            {"organisation_id": {"value": "kommune"}}, {"organisation_id": {"value": 7}}]})  # fmt: skip
    assert err.value.argument == "outcome_payment_commitments[1].organisation_id.value"
