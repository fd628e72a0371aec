"""Unit-cost lookups, authority shares, uprating and the user's own prices."""

import csv

import pytest

from udfs.core import catalogue as cat
from udfs.core.data import catalogue, indices
from udfs.core.errors import SIError

NPI = indices()["npi"]


def test_catalogue_has_at_least_30_sourced_rows():
    assert len(catalogue()) >= 30


@pytest.mark.parametrize(
    "unit_id, authority, expected",
    [
        # kontanthjælp 30+ ikke-forsørger 2023: 11.944 kr./md. × 12 / 52 (bm.dk), kommune 80 % after week 52.
        ("kontanthjaelp_30plus_ikke_forsoerger_uge", "offentlig", 2756.31),
        ("kontanthjaelp_30plus_ikke_forsoerger_uge", "kommune", 2756.31 * 0.8),
        ("kontanthjaelp_30plus_ikke_forsoerger_uge", "stat", 2756.31 * 0.2),
        ("kontanthjaelp_30plus_ikke_forsoerger_uge", "region", 0.0),
        ("kontanthjaelp_30plus_ikke_forsoerger_uge", None, 2756.31),
        # Lukket fængsel 2015: 1.878 kr. pr. indsat pr. dag (kriminalforsorgen.dk), a state cost.
        ("faengsel_lukket_dag", "stat", 1878.0),
        ("faengsel_lukket_dag", "kommune", 0.0),
        ("FAENGSEL_LUKKET_DAG ", "stat", 1878.0),  # ids are case- and space-tolerant
    ],
)
def test_unit_cost_by_authority(unit_id, authority, expected):
    assert cat.unit_cost(unit_id, authority=authority) == pytest.approx(expected, abs=0.005)


def test_uprating_uses_the_nettoprisindeks():
    # 1.878 kr. (2015 prices) in 2023 prices: × NPI(2023) / NPI(2015).
    assert cat.unit_cost("faengsel_lukket_dag", 2023, "stat") == pytest.approx(1878 * NPI[2023] / NPI[2015], rel=1e-12)


def test_unknown_split_only_for_the_public_sector():
    unknown = [u for u in catalogue().values() if not u.split_known]
    assert unknown, "the catalogue has rows whose split is not published"
    u = unknown[0]
    assert cat.unit_cost(u.id) == u.beloeb
    with pytest.raises(SIError) as err:
        cat.unit_cost(u.id, authority="kommune")
    assert err.value.argument == "myndighed"


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        (dict(unit_id="findes_ikke"), "id"),
        (dict(unit_id="faengsel_lukket_dag", authority="borger"), "myndighed"),
        (dict(unit_id="faengsel_lukket_dag", price_year=2040), "prisaar"),
        (dict(unit_id="faengsel_lukket_dag", index="xyz"), "indeks"),
    ],
)
def test_unit_cost_errors(kwargs, argument):
    with pytest.raises(SIError) as err:
        cat.unit_cost(**kwargs)
    assert err.value.argument == argument


OWN_HEADER = [
    "id", "navn", "enhed", "beloeb", "prisaar", "andel_kommune", "andel_region", "andel_stat",
    "budgetomraade", "kilde_udgiver", "kilde_dokument", "kildetype",
]
OWN_ROWS = [
    ["kontanthjaelp_30plus_ikke_forsoerger_uge", "Kontanthjælp, egen pris", "uge", 3000.0, 2023, 0.8, 0, 0.2,
     "Forsørgelsesydelser", "Eksempel Kommune", "Budget 2023", "egen"],
    ["lokalt_botilbud_dag", "Lokalt botilbud, døgntakst", "dag", 2500.0, 2023, 1, 0, 0,
     "Sociale serviceydelser", "Eksempel Kommune", "Takstblad 2023", "egen"],
]


def test_own_prices_from_table_add_and_override():
    own = cat.own_prices_from_table([OWN_HEADER, *OWN_ROWS, [None] * len(OWN_HEADER)])  # blank rows ignored
    assert cat.unit_cost("kontanthjaelp_30plus_ikke_forsoerger_uge", authority="kommune", own=own) == 2400.0
    assert cat.unit_cost("lokalt_botilbud_dag", own=own) == 2500.0
    assert cat.unit_cost("faengsel_lukket_dag", authority="stat", own=own) == 1878.0  # built-in still there


def test_own_prices_from_csv(tmp_path):
    path = tmp_path / "egne.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(OWN_HEADER)
        w.writerows(OWN_ROWS)
    own = cat.own_prices_from_csv(path)
    assert cat.unit_cost("lokalt_botilbud_dag", authority="kommune", own=own) == 2500.0


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"andel_kommune": 0.9}, "summerer"),
        ({"beloeb": -1}, "beloeb"),
        ({"beloeb": "abc"}, "beloeb"),
        ({"enhed": "time"}, "enhed"),
        ({"id": "Æ id"}, "id"),
        ({"kilde_udgiver": ""}, "kilde_udgiver"),
        ({"andel_region": ""}, "alle tre eller ingen"),
    ],
)
def test_own_prices_are_validated_like_the_catalogue(change, fragment):
    row = dict(zip(OWN_HEADER, OWN_ROWS[1]))
    row.update(change)
    with pytest.raises(SIError) as err:
        cat.own_prices_from_table([list(row), list(row.values())])
    assert err.value.argument == "egne_priser"
    assert "række 2" in err.value.message and fragment in err.value.message


def test_own_prices_refuse_unknown_columns_and_duplicates():
    with pytest.raises(SIError, match="ukendt kolonne"):
        cat.own_prices_from_table([OWN_HEADER + ["pris"], OWN_ROWS[0] + [1]])
    with pytest.raises(SIError, match="mere end én gang"):
        cat.own_prices_from_table([OWN_HEADER, OWN_ROWS[1], OWN_ROWS[1]])


def test_missing_csv_file_is_a_clear_error(tmp_path):
    with pytest.raises(SIError) as err:
        cat.own_prices_from_csv(tmp_path / "findes_ikke.csv")
    assert err.value.argument == "egne_priser"


def test_search_filters_on_id_name_and_area():
    hits = cat.search("fængsel")
    assert hits and all("fængsel" in (u.navn + u.budgetomraade).lower() or "faengsel" in u.id for u in hits)


@pytest.mark.parametrize(
    "rules, part, message",
    [
        ("gl. regler", "sats", "række 3: regelsaet: skal være en af: foer_1_7_2025, fra_1_7_2025, ikke 'gl. regler'"),
        ("fra_1_7_2025", "tillæg", "række 3: ydelsesdel: skal være en af: sats, tillaeg, ikke 'tillæg' (mente du 'tillaeg'?)"),
        ("foer_1_7_2025", "", "række 3: ydelsesdel skal udfyldes (sats eller tillaeg), når regelsaet er udfyldt (foer_1_7_2025)"),
        ("", "sats", "række 3: regelsaet skal udfyldes (foer_1_7_2025 eller fra_1_7_2025), når ydelsesdel er udfyldt"),
    ],
)
def test_the_catalogue_refuses_a_rule_set_it_does_not_know(tmp_path, monkeypatch, rules, part, message):
    """The catalogue's ``regelsaet`` and ``ydelsesdel`` are checked as the file loads: a bad value names the file, the
    row (the header is row 1, as a spreadsheet counts) and the field, in Danish."""
    import udfs.core.data as data

    with open(data.dataset_path("enhedspriser"), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[1] |= {"regelsaet": rules, "ydelsesdel": part}  # kontanthjaelp_30plus_forsoerger_uge, row 3
    path = tmp_path / "enhedspriser.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(data, "dataset_path", lambda name: path)
    with pytest.raises(SIError) as err:
        data.catalogue.__wrapped__()
    assert (err.value.argument, err.value.message) == ("enhedspriser.csv", message)
    rows[1] |= {"regelsaet": "FRA_1_7_2025 ", "ydelsesdel": "Tillaeg"}  # as typed in another case: read as the codes
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    row = data.catalogue.__wrapped__()["kontanthjaelp_30plus_forsoerger_uge"]
    assert (row.regelsaet, row.ydelsesdel) == ("fra_1_7_2025", "tillaeg")
