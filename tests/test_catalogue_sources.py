"""Check the unit-cost catalogue and the price indices against their cited sources.

SOURCE_TABLE holds, for every row of ``udfs/data/enhedspriser.csv``, the figure exactly
as the source publishes it, the unit it is published in, the arithmetic that turns it
into the catalogue's ``beloeb`` (written out as Python arithmetic), the price year and
the citation. The tests assert that the CSV agrees with this table to the øre, and that
every CSV row is covered by the table, so no number enters the catalogue unchecked.

Conversions: a monthly rate becomes a weekly rate as ``monthly * 12 / 52``.
Rounding: ``beloeb`` is rounded to 2 decimals half away from zero (like Excel's ROUND).

Only the standard library (csv) is used to read the files, so the test does not depend
on the loader.
"""

from __future__ import annotations

import csv
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

DATA = Path(__file__).parents[1] / "udfs" / "data"
ENHEDSPRISER = DATA / "enhedspriser.csv"
PRISINDEKS = DATA / "prisindeks.csv"

ENHEDSPRISER_COLUMNS = [
    "id", "navn", "enhed", "beloeb", "prisaar", "andel_kommune", "andel_region", "andel_stat",
    "fordelingsgrundlag", "budgetomraade", "regelsaet", "ydelsesdel", "kilde_udgiver", "kilde_dokument", "kilde_url",
    "kildetype", "kildevaerdi", "note",
]
PRISINDEKS_COLUMNS = [
    "indeks", "aar", "vaerdi", "basis", "kilde_udgiver", "kilde_dokument", "kilde_url",
    "kildetype", "note",
]
ENHEDER = {"uge", "dag", "maaned", "aar", "haendelse"}
KILDETYPER = {"primaer", "sekundaer"}

BM23_KH = "bm.dk, Satser for 2023 – Kontanthjælp"
BM23_UH = "bm.dk, Satser for 2023 – Uddannelseshjælp"
BM24_RF = "bm.dk, Satser for 2024 – Ressourceforløbsydelse"
LW23 = "lundsteenwiederquist.dk, Grundlæggende satser (1.11.2023), the 2023 agreement's levels"
KAL25 = "kalundborg.dk, Tillæg til kontanthjælp – Satser 2025"
RW25 = "refugeeswelcome.dk/en, Benefits – How much do you receive? (2025 monthly rates, before tax)"
KRIM15 = "kriminalforsorgen.dk, Økonomi – udgiften pr. indsat pr. dag i 2015"
NB19 = "nb-okonomi.dk 7.10.2020, gengiver Benchmarkingenheden (anbringelser 2019)"

# (id, published figure, published unit, beloeb as arithmetic on the published figure(s), prisaar, citation)
SOURCE_TABLE = [
    ("sygedagpenge_uge", 4695, "kr./uge", 4695, 2024,
     f"{BM24_RF}: højeste sygedagpengebeløb 4.695 kr. pr. uge (§ 68, stk. 4)"),
    ("kontanthjaelp_30plus_forsoerger_uge", 15874, "kr./md.", 15874 * 12 / 52, 2023,
     f"{BM23_KH}: fyldt 30 år, forsørger 15.874 kr. pr. md."),
    ("kontanthjaelp_30plus_ikke_forsoerger_uge", 11944, "kr./md.", 11944 * 12 / 52, 2023,
     f"{BM23_KH}: fyldt 30 år, andre 11.944 kr. pr. md."),
    ("kontanthjaelp_u30_enlig_forsoerger_uge", 15172, "kr./md.", 15172 * 12 / 52, 2023,
     f"{BM23_KH}: enlige forsørgere under 30 år 15.172 kr. pr. md."),
    ("kontanthjaelp_u30_udeboende_uge", 7699, "kr./md.", 7699 * 12 / 52, 2023,
     f"{BM23_KH}: 25-29 år og under 25 år, udeboende 7.699 kr. pr. md."),
    ("kontanthjaelp_u30_hjemmeboende_uge", 3715, "kr./md.", 3715 * 12 / 52, 2023,
     f"{BM23_KH}: 25-29 år og under 25 år, hjemmeboende 3.715 kr. pr. md."),
    ("uddannelseshjaelp_enlig_forsoerger_uge", 13090, "kr./md.", 13090 * 12 / 52, 2023,
     f"{BM23_UH}: enlige forsørgere under 30 år 13.090 kr. pr. md."),
    ("uddannelseshjaelp_udeboende_uge", 6545, "kr./md.", 6545 * 12 / 52, 2023,
     f"{BM23_UH}: udeboende 6.545 kr. pr. md."),
    ("uddannelseshjaelp_hjemmeboende_uge", 2820, "kr./md.", 2820 * 12 / 52, 2023,
     f"{BM23_UH}: hjemmeboende 2.820 kr. pr. md."),
    ("kontanthjaelp_2025_mindstesats_uge", 6789, "kr./md.", 6789 * 12 / 52, 2025,
     f"{RW25}: Minimum rate: DKK 6,789"),
    ("kontanthjaelp_2025_grundsats_uge", 7205, "kr./md.", 7205 * 12 / 52, 2025,
     f"{RW25}: Basic rate: DKK 7,205"),
    ("kontanthjaelp_2025_forhoejet_sats_uge", 12064, "kr./md.", 12064 * 12 / 52, 2024,
     f"{LW23}: forhøjet sats 12.064 kr. pr. måned (2024-tal)"),
    ("kontanthjaelp_2025_boernetillaeg_uge", 2784, "kr./md.", 2784 * 12 / 52, 2025,
     f"{KAL25}: børnetillæg 2.784 kr. pr. måned"),
    ("kontanthjaelp_2025_tillaeg_enlig_forsoerger_uge", 1638, "kr./md.", 1638 * 12 / 52, 2025,
     f"{KAL25}: tillæg til enlige forsørgere 1.638 kr. pr. måned"),
    ("kontanthjaelp_2025_tillaeg_enlig_ikke_forsoerger_uge", 1092, "kr./md.", 1092 * 12 / 52, 2025,
     f"{KAL25}: tillæg til enlige ikke-forsørgere 1.092 kr. pr. måned"),
    ("kontanthjaelp_2025_ungetillaeg_18_24_uge", 1036, "kr./md.", 1036 * 12 / 52, 2025,
     f"{KAL25}: særligt ungetillæg (18-24 år) til ikke-forsørgere 1.036 kr. pr. måned"),
    ("kontanthjaelp_2025_ungetillaeg_25_29_uge", 2590, "kr./md.", 2590 * 12 / 52, 2025,
     f"{KAL25}: særligt ungetillæg (25-29 år) ikke-forsørgere / (under 30 år) forsørgere 2.590 kr. pr. måned"),
    ("kontanthjaelp_2025_fritidstillaeg_pr_barn_uge", 450, "kr./md. pr. barn", 450 * 12 / 52, 2025,
     "odense.dk, Kontanthjælp – satser og tillæg: Fritidstillæg: i 2025 på 450 kr. skattefrit pr. barn pr. måned"),
    ("ressourceforloebsydelse_forsoerger_uge", 16382, "kr./md.", 16382 * 12 / 52, 2024,
     f"{BM24_RF}: forsørgere 16.382 kr. pr. md."),
    ("ressourceforloebsydelse_ikke_forsoerger_uge", 12326, "kr./md.", 12326 * 12 / 52, 2024,
     f"{BM24_RF}: ikke-forsørgere 12.326 kr. pr. md."),
    ("ledighedsydelse_89pct_uge", 4185, "kr./uge", 4185, 2024,
     f"{BM24_RF}: ressourceforløbsydelse (ledighedsydelse 89 pct.) 4.185 kr. pr. uge"),
    ("fleksloentilskud_max_uge", 18964, "kr./md.", 18964 * 12 / 52, 2022,
     "slagelse.dk, Fleksløntilskud: maksimalt 98 % af højeste dagpengesats (18.964 kr. pr. måned i 2022)"),
    ("foertidspension_enlig_uge", 19360, "kr./md.", 19360 * 12 / 52, 2022,
     "borger.dk, Førtidspension – tilkendt efter 2003 (2022): enlig 19.360 kr. pr. måned"),
    ("foertidspension_gift_samlevende_uge", 16457, "kr./md.", 16457 * 12 / 52, 2022,
     "borger.dk, Førtidspension – tilkendt efter 2003 (2022): gift/samlevende 16.457 kr. pr. måned"),
    ("a_dagpenge_max_uge", 21092, "kr./md.", 21092 * 12 / 52, 2025,
     "bm.dk, Satser for 2025 – Dagpenge: fuldtidsforsikrede § 47 21.092 kr. pr. md."),
    ("anbringelse_plejefamilie_aar", 470000, "kr./år", 470000, 2019,
     f"{NB19}: plejefamilie 470.000 kr. pr. år"),
    ("anbringelse_doegninstitution_opholdssted_aar", 1160000, "kr./år", 1160000, 2019,
     f"{NB19}: døgninstitution/opholdssted 1.160.000 kr. pr. år"),
    ("faengsel_lukket_dag", 1878, "kr./dag", 1878, 2015, f"{KRIM15}: lukkede fængsler 1.878 kr."),
    ("faengsel_aabent_dag", 1321, "kr./dag", 1321, 2015, f"{KRIM15}: åbne fængsler 1.321 kr."),
    ("koebenhavns_faengsler_dag", 1574, "kr./dag", 1574, 2015, f"{KRIM15}: Københavns fængsler 1.574 kr."),
    ("arresthus_dag", 1199, "kr./dag", 1199, 2015, f"{KRIM15}: arresthuse 1.199 kr."),
    ("kriminalforsorg_pension_dag", 1197, "kr./dag", 1197, 2015, f"{KRIM15}: pensioner 1.197 kr."),
    ("fodlaenke_dag", 392, "kr./dag", 392, 2015, f"{KRIM15}: fodlænke 392 kr."),
    ("faengsel_arresthus_gennemsnit_dag", 1469, "kr./dag", 1469, 2015,
     f"{KRIM15}: gennemsnitsprisen for fængsler og arresthuse 1.469 kr."),
    ("psykiatri_saerlig_plads_kommunal_takst_dag", 4165, "kr./dag", 4165, 2022,
     "psykiatri-regionh.dk, Særlige pladser – Økonomi: kommunen betaler i 2022 4.165 kr. pr. dag"),
    ("sygesikring_oevrige_behandlere_0_17_kontakt", 352, "kr./kontakt (region)", 352 + 110 + 0, 2022,
     "refud.dk/sygesikringandre (VIVE 2022): region 352 kr., kommune 110 kr., stat 0 kr. pr. kontakt, 2022-priser"),
    ("almen_praksis_pr_borger_aar", 1540, "kr./borger/år", 1540, 2022,
     "bt.dk/samfund/saa-meget-koster-dit-laegebesoeg (dec. 2023) gengiver PLO: prisen er 1.540 kroner i gennemsnit "
     "per borger årligt; regionernes samlede udgift 10,5 mia. kr. i 2022"),
    ("krisecenter_ophold_doegn", 1599, "kr./døgn", 1599, 2016,
     "aarhuskrisecenter.dk, Betaling: takstbetaling for kommunerne i 2016 er 1.599 kr. i døgnet"),
    ("offentlig_gevinst_kontanthjaelp_til_job_aar", 260000, "kr. pr. person i fuldtidsjob", 260000, 2023,
     "kristeligt-dagblad.dk (Ritzau, sep. 2023), Erik Bjørsted/Dansk Metal: i omegnen af 260.000 kr."),
]

# Rows whose split must be shared between the three authorities exactly as published.
PUBLISHED_SPLITS = {
    # id: (kommune, region, stat) in kr. per unit, as published
    "sygesikring_oevrige_behandlere_0_17_kontakt": (110, 352, 0),
}


def excel_round(value: float, digits: int = 2) -> Decimal:
    """Round half away from zero, like Excel's ROUND (not Python's banker's rounding)."""
    quantum = Decimal(1).scaleb(-digits)
    return Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def danish_number(value: float) -> str:
    """Format a published figure the way Danish sources print it: 11944 -> '11.944'."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,}".replace(",", "X").replace(".", ",").replace("X", ".")


def parse_first_danish_number(text: str) -> Decimal | None:
    match = re.search(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?", text)
    if match is None:
        return None
    return Decimal(match.group(0).replace(".", "").replace(",", "."))


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def catalogue() -> dict[str, dict[str, str]]:
    _, rows = read_csv(ENHEDSPRISER)
    return {row["id"]: row for row in rows}


@pytest.fixture(scope="module")
def catalogue_rows() -> list[dict[str, str]]:
    return read_csv(ENHEDSPRISER)[1]


@pytest.fixture(scope="module")
def index_rows() -> list[dict[str, str]]:
    return read_csv(PRISINDEKS)[1]


# --- the source table -------------------------------------------------------------------

def test_source_table_ids_unique() -> None:
    ids = [entry[0] for entry in SOURCE_TABLE]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    "row_id, published, unit, expected, prisaar, citation",
    SOURCE_TABLE,
    ids=[entry[0] for entry in SOURCE_TABLE],
)
def test_row_matches_cited_source(catalogue, row_id, published, unit, expected, prisaar, citation) -> None:
    assert row_id in catalogue, f"{row_id} missing from enhedspriser.csv ({citation})"
    row = catalogue[row_id]
    assert abs(Decimal(row["beloeb"]) - excel_round(expected)) < Decimal("0.005"), (
        f"{row_id}: beloeb {row['beloeb']} != {excel_round(expected)} from {published} {unit} ({citation})"
    )
    assert int(row["prisaar"]) == prisaar, f"{row_id}: prisaar ({citation})"
    assert danish_number(published) in row["kildevaerdi"], (
        f"{row_id}: published figure {danish_number(published)} not in kildevaerdi {row['kildevaerdi']!r}"
    )


def test_every_csv_row_is_in_source_table(catalogue_rows) -> None:
    table_ids = {entry[0] for entry in SOURCE_TABLE}
    unchecked = [row["id"] for row in catalogue_rows if row["id"] not in table_ids]
    assert not unchecked, f"rows without a source-table entry: {unchecked}"


def test_published_splits(catalogue) -> None:
    for row_id, (kommune, region, stat) in PUBLISHED_SPLITS.items():
        row = catalogue[row_id]
        total = kommune + region + stat
        assert abs(float(row["andel_kommune"]) - kommune / total) < 1e-9
        assert abs(float(row["andel_region"]) - region / total) < 1e-9
        assert abs(float(row["andel_stat"]) - stat / total) < 1e-9


# --- structural checks on every catalogue row ---------------------------------------------

def test_enhedspriser_columns_in_order() -> None:
    columns, _ = read_csv(ENHEDSPRISER)
    assert columns == ENHEDSPRISER_COLUMNS


def test_at_least_30_rows(catalogue_rows) -> None:
    assert len(catalogue_rows) >= 30


def test_ids_unique_and_snake_case(catalogue_rows) -> None:
    ids = [row["id"] for row in catalogue_rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for row_id in ids:
        assert re.fullmatch(r"[a-z0-9_]+", row_id), row_id


def test_rows_are_sourced(catalogue_rows) -> None:
    for row in catalogue_rows:
        assert row["kilde_udgiver"].strip(), row["id"]
        assert row["kilde_dokument"].strip(), row["id"]
        assert row["kildevaerdi"].strip(), row["id"]
        assert row["kildetype"] in KILDETYPER, row["id"]


def test_the_rules_of_a_rate_are_said_by_its_own_row(catalogue_rows) -> None:
    """``regelsaet`` marks the rows of kontanthjælp and uddannelseshjælp priced by the rules before 1 July 2025 and the
    new kontanthjælp's from it; each row's own text (note, split basis) cites the change, so the field keeps the row's
    source.  The old rules' rows are the eight 2023 rates of bm.dk; the new ones the three rates and six supplements."""
    marked = {row["id"]: (row["regelsaet"], row["ydelsesdel"]) for row in catalogue_rows if row["regelsaet"] or row["ydelsesdel"]}
    old = [i for i, (rules, _) in marked.items() if rules == "foer_1_7_2025"]
    new = [i for i, (rules, _) in marked.items() if rules == "fra_1_7_2025"]
    assert len(old) == 8 and len(new) == 9 and len(marked) == 17
    assert all(i.startswith(("kontanthjaelp_", "uddannelseshjaelp_")) and not i.startswith("kontanthjaelp_2025") for i in old)
    assert all(i.startswith("kontanthjaelp_2025_") for i in new)
    assert [i for i in new if marked[i][1] == "sats"] == [
        "kontanthjaelp_2025_mindstesats_uge", "kontanthjaelp_2025_grundsats_uge", "kontanthjaelp_2025_forhoejet_sats_uge"]
    assert all(marked[i][1] == "sats" for i in old)
    for row in catalogue_rows:
        if row["id"] in marked:
            assert "1. juli 2025" in row["note"] + row["fordelingsgrundlag"], row["id"]


def test_prisaar_and_enhed(catalogue_rows) -> None:
    for row in catalogue_rows:
        assert 2010 <= int(row["prisaar"]) <= 2026, row["id"]
        assert row["enhed"] in ENHEDER, row["id"]
        assert Decimal(row["beloeb"]) > 0, row["id"]


def test_shares_all_empty_or_sum_to_one(catalogue_rows) -> None:
    for row in catalogue_rows:
        shares = [row["andel_kommune"], row["andel_region"], row["andel_stat"]]
        if all(share == "" for share in shares):
            assert row["fordelingsgrundlag"].strip(), f"{row['id']}: say why the split is unknown"
            continue
        assert all(share != "" for share in shares), f"{row['id']}: partly filled split"
        values = [float(share) for share in shares]
        assert all(0.0 <= value <= 1.0 for value in values), row["id"]
        assert abs(sum(values) - 1.0) < 1e-9, row["id"]
        assert row["fordelingsgrundlag"].strip(), row["id"]


def test_note_when_beloeb_differs_from_kildevaerdi(catalogue_rows) -> None:
    for row in catalogue_rows:
        published = parse_first_danish_number(row["kildevaerdi"])
        if published is None or published != Decimal(row["beloeb"]):
            assert row["note"].strip(), f"{row['id']}: beloeb differs from kildevaerdi but no note"


# --- price indices -------------------------------------------------------------------------

def test_prisindeks_columns_in_order() -> None:
    columns, _ = read_csv(PRISINDEKS)
    assert columns == PRISINDEKS_COLUMNS


def test_prisindeks_years_consecutive_values_positive_sourced(index_rows) -> None:
    assert index_rows, "prisindeks.csv is empty"
    by_index: dict[str, list[int]] = {}
    for row in index_rows:
        assert float(row["vaerdi"]) > 0, row
        assert row["basis"].strip(), row
        assert row["kilde_udgiver"].strip() and row["kilde_dokument"].strip(), row
        assert row["kildetype"] in KILDETYPER, row
        by_index.setdefault(row["indeks"], []).append(int(row["aar"]))
    for name, years in by_index.items():
        assert len(years) == len(set(years)), f"{name}: duplicate years"
        ordered = sorted(years)
        assert ordered == list(range(ordered[0], ordered[-1] + 1)), f"{name}: years not consecutive"


def test_prisindeks_base_year_is_100(index_rows) -> None:
    for row in index_rows:
        base = re.fullmatch(r"(\d{4})=100", row["basis"])
        if base and int(row["aar"]) == int(base.group(1)):
            assert abs(float(row["vaerdi"]) - 100.0) < 0.05, row


# Økonomistyrelsen, "Fastprisberegninger" (oes.dk): årlig stigning i pct. 2016–2025, per column:
# generel pris- og lønstigning (pl_stat), lønninger (loen_stat), forbrugerpriser (pris_stat).
OES_PUBLISHED_PCT = {
    "pl_stat": {2016: 0.5, 2017: 1.2, 2018: 1.9, 2019: 1.3, 2020: 1.1, 2021: 1.2, 2022: 4.3, 2023: 2.5, 2024: 4.0, 2025: 2.8},
    "loen_stat": {2016: 0.7, 2017: 1.2, 2018: 2.7, 2019: 1.7, 2020: 1.5, 2021: 0.8, 2022: 2.0, 2023: 2.0, 2024: 5.2, 2025: 3.2},
    "pris_stat": {2016: 0.3, 2017: 1.1, 2018: 0.8, 2019: 0.8, 2020: 0.4, 2021: 1.9, 2022: 7.7, 2023: 3.3, 2024: 2.1, 2025: 2.1},
}


@pytest.mark.parametrize("name", sorted(OES_PUBLISHED_PCT))
def test_oes_series_are_the_published_annual_increases_chained(index_rows, name) -> None:
    values = {int(r["aar"]): float(r["vaerdi"]) for r in index_rows if r["indeks"] == name}
    expected = 100.0
    assert values[2015] == expected
    for year, pct in sorted(OES_PUBLISHED_PCT[name].items()):
        expected *= 1 + pct / 100
        assert abs(values[year] - expected) < 5e-6, year
    assert sorted(values) == list(range(2015, 2026))


# DST monthly nettoprisindeks 2023 (dst.dk, Nettoprisindeks, hovedtal): the annual value is their mean.
NPI_2023_MONTHS = [117.4, 118.5, 118.3, 118.7, 117.2, 117.6, 119.2, 118.3, 118.0, 118.3, 117.8, 117.2]


def test_npi_2023_is_the_mean_of_the_published_months(index_rows) -> None:
    value = next(float(r["vaerdi"]) for r in index_rows if r["indeks"] == "npi" and r["aar"] == "2023")
    assert abs(value - sum(NPI_2023_MONTHS) / 12) < 0.005


# DST monthly forbrugerprisindeks 2024 (dst.dk/en, Consumer price index, table of main figures, 2015=100):
# the annual value shipped is their mean, 1,425.8 / 12 = 118.817 → 118.82.
FPI_2024_MONTHS = [117.8, 118.4, 118.4, 118.5, 118.5, 118.5, 119.8, 119.3, 118.9, 119.6, 119.2, 118.9]


def test_fpi_2024_is_the_mean_of_the_published_months(index_rows) -> None:
    row = next(r for r in index_rows if r["indeks"] == "fpi" and r["aar"] == "2024")
    assert abs(float(row["vaerdi"]) - sum(FPI_2024_MONTHS) / 12) < 0.005
    assert "gennemsnit" in row["note"] and "afledt" in row["note"]  # marked as derived


# --- what a row says about itself -------------------------------------------------------------


def test_every_source_url_points_at_a_page_not_a_bare_domain(catalogue_rows) -> None:
    for row in catalogue_rows:
        url = row["kilde_url"].strip()
        if url:
            path = re.sub(r"^https?://[^/]+", "", url).strip("/")
            assert path, f"{row['id']}: kilde_url '{url}' names only a site, not the page with the figure"


def test_old_figures_say_their_age(catalogue_rows) -> None:
    """Prisons (2015) and placements (2019) are the newest figures found; the name says so."""
    for row in catalogue_rows:
        if row["id"].startswith(("faengsel", "arresthus", "koebenhavns_faengsler", "kriminalforsorg", "fodlaenke", "anbringelse")):
            assert f"({row['prisaar']}-tal)" in row["navn"], row["id"]


def test_agreement_amounts_are_not_passed_off_as_paid_rates(catalogue_rows) -> None:
    """The new kontanthjælp's base rates: mindstesats and grundsats as paid in 2025 (refugeeswelcome.dk: 6.789 and
    7.205 kr./md.); forhøjet sats only as the 2023 agreement's amount at 2024 level (lundsteenwiederquist.dk:
    12.064 kr./md.). A row at the agreement's level says so in its name; a row at the paid rate says it is the 2025
    rate and that its source is secondary."""
    base_rates = {
        "kontanthjaelp_2025_mindstesats_uge": "2025",
        "kontanthjaelp_2025_grundsats_uge": "2025",
        "kontanthjaelp_2025_forhoejet_sats_uge": "2024",
    }
    seen = {row["id"]: row for row in catalogue_rows if row["id"] in base_rates}
    assert set(seen) == set(base_rates)
    for row_id, prisaar in base_rates.items():
        row = seen[row_id]
        assert row["prisaar"] == prisaar, row_id
        if prisaar == "2024":
            assert "aftales beløb i 2024-niveau, ikke satsen som udbetalt" in row["navn"], row_id
        else:
            assert "2025-satsen som udbetalt, fra en sekundær kilde" in row["navn"], row_id
            assert row["kildetype"] == "sekundaer", row_id
