"""Every sheet of every example (and of the blank workbook) prints legibly on A4: orientation, paper,
print titles, fit, header and footer; no chart is cut by a page break; line charts are straight.

The page breaks are computed from the file's own settings (row heights, column widths, scale, manual
breaks) with the model written down in :mod:`workbooks.printing`; LibreOffice's rendering of the same
files is looked at by eye (README, "Udskrift").  Risk register and its pool: hand calculations below.
"""

import io
import math
import re

import openpyxl
import pytest
from openpyxl.chart import LineChart
from openpyxl.utils import get_column_letter

from udfs.core.businesscase import authority_figures, key_figures, risk_expected
from udfs.core.case_model import parse_case
from udfs.core.engine import run
from workbooks import book
from workbooks.layout import HELP_WRAP
from workbooks.printing import (
    CM_PT, DEFAULT_ROW_PT, FOOTER, HEIGHT_SLACK, header_text, MIN_SCALE, SPLIT_SCALE, Fit, choose_fit, column_pages, column_pt, crosses, printable, row_pages,
    rows_spanned,
)  # fmt: skip

from tests.feature_cases import FEATURE_CASES, RISKS
from tests.test_standard_workbook import CASES

NAMES = ["blank", *sorted(n for n in CASES if n != "blank" and n not in FEATURE_CASES), "risikoregister"]


@pytest.fixture(scope="module")
def workbooks():
    """Each workbook as written to its file and read back (charts with their anchors, breaks, print titles)."""
    return {name: openpyxl.load_workbook(io.BytesIO(book.build_bytes(CASES[name]))) for name in NAMES}


def _sheets(wb):
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


def _widths(ws, last_col: int) -> list[float]:
    """The printed width of columns 1..``last_col``: a hidden column prints nothing."""
    from openpyxl.utils import get_column_letter

    dims = [ws.column_dimensions[get_column_letter(c)] for c in range(1, last_col + 1)]
    return [0.0 if d.hidden else column_pt(d.width) for d in dims]


def _area(ws) -> tuple[int, int]:
    """Last column and last row of the print area (``'Ark'!$A$1:$K$83``)."""
    from openpyxl.utils.cell import range_boundaries

    _, _, col, row = range_boundaries(ws.print_area.split("!")[1].replace("$", ""))
    return col, row


def _fit(ws) -> Fit:
    """The fit the file asks for, with the scale a program reaches (module note of workbooks.printing)."""
    col, row = _area(ws)
    width = sum(_widths(ws, col))
    ps = ws.page_setup
    if not ws.sheet_properties.pageSetUpPr.fitToPage:  # at 100 %, or split across pages at a fixed scale
        scale = (ps.scale or 100) / 100
        return Fit(ps.orientation, scale, width * scale <= printable(ps.orientation)[0] + 0.01)
    heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height}
    tall = sum(heights.get(r, DEFAULT_ROW_PT) for r in range(1, row + 1))
    one_tall = ps.fitToHeight == 1
    w, h = printable(ps.orientation)
    scale = min(1.0, w / width, (HEIGHT_SLACK * h / tall) if one_tall else 1.0)
    return Fit(ps.orientation, math.floor(100 * scale) / 100, True, one_tall)


def test_the_page_model_by_hand():
    # A column 14 characters wide: 14 × 7 + 5 = 103 px = 77.25 pt; A4 portrait 595.28 pt less 2 × 0.5 in margins.
    assert column_pt(14) == 77.25
    assert printable("portrait") == pytest.approx((523.28, 733.89))
    assert printable("landscape") == pytest.approx((769.89, 487.28))
    # 900 pt wide: landscape at floor(769.89 / 900 × 100) % = 85 %; 1600 pt: 48 % ≥ 45 %, one page wide;
    # 2000 pt: 38 % < 45 %, so split across pages at 60 %.
    assert MIN_SCALE == 0.45 and SPLIT_SCALE == 0.6
    assert choose_fit(900) == Fit("landscape", 0.85, True)
    assert choose_fit(1600) == Fit("landscape", 0.48, True)
    assert choose_fit(2000) == Fit("landscape", 0.6, False)
    assert choose_fit(500) == Fit("portrait", 1.0, True)
    # Rows of 15 pt, landscape at 100 %: 0.96 × 487.28 = 467.8 pt = 31 rows on page 1; 2 title rows (30 pt)
    # repeat, so page 2 holds 437.8 pt = 29 rows: pages start at rows 32 and 61.
    assert HEIGHT_SLACK == 0.96
    assert row_pages({}, 70, 2, 1.0, "landscape") == [32, 61]
    # A manual break after row 10 starts page 2 at row 11.
    assert row_pages({}, 20, 0, 1.0, "landscape", [10]) == [11]
    # Columns of 100 pt split across a landscape page (769.89 pt) with column A repeated: 7 on page 1 (700 pt),
    # then A + 6 more (700 pt): pages start at columns 8 and 14.
    assert column_pages([100.0] * 15, 1, Fit("landscape", 1.0, False)) == [8, 14]
    # At 60 % a page holds 769.89 / 0.6 = 1283.15 pt: 12 columns on page 1, then A + 11: pages at 13 and 24.
    assert column_pages([100.0] * 30, 1, Fit("landscape", 0.6, False)) == [13, 24]


def test_every_computed_page_start_is_set_as_a_break():
    """LibreOffice, left to break pages itself, fit more rows on a page than computed (its rows are drawn shorter)
    and printed Resultat's last rows before its first chart alone on a page; now every computed start is a manual
    break.  By hand (rows of 15 pt, landscape at 100 %, 2 title rows): pages start at rows 32 and 61 (see
    test_the_page_model_by_hand), so breaks after 31 and 60.  With a chart at rows 40–50 starting a page: after 31,
    after 39 (the chart), and its page holds 467.8 − 30 = 437.8 pt = 29 rows (40–68): after 68.  One page tall:
    none."""
    from workbooks.printing import page_breaks

    assert page_breaks({}, 70, 2, Fit("landscape", 1.0, True), []) == [31, 60]
    assert page_breaks({}, 80, 2, Fit("landscape", 1.0, True), [(40, 50, True)]) == [31, 39, 68]
    assert page_breaks({}, 80, 2, Fit("landscape", 1.0, True, True), [(40, 50, True)]) == []


def test_the_header_names_the_case_with_its_ampersands_escaped(tmp_path):
    """Excel's header codes start with "&" (``&P``, ``&8`` a font size): a name's "&" is written "&&" so it prints
    as one "&"; a line break becomes a space; a name of 120 characters is cut to 99 and "…" (100); no name: the
    file's name (&F) stands left instead.  The built workbook carries it on every printed sheet."""
    assert header_text("Job & trivsel &8 mere") == "Job && trivsel &&8 mere"
    assert header_text("To\nlinjer") == "To linjer"
    assert header_text("x" * 120) == "x" * 99 + "…"
    assert header_text(None) == header_text("  ") == "&F"
    data = book.case_yaml(CASES["eksempel_ungeindsats"]).replace("navn: ", "navn: Unge & job – ", 1)
    case = parse_case(__import__("yaml").safe_load(data))
    wb = openpyxl.load_workbook(io.BytesIO(book.build_bytes(case)))
    assert {ws.oddHeader.left.text for ws in _sheets(wb)} == {"Unge && job – " + CASES["eksempel_ungeindsats"].navn.replace("&", "&&")}


@pytest.mark.parametrize("name", NAMES)
def test_every_sheet_prints_on_a4_with_titles_header_and_footer(name, workbooks):
    wb = workbooks[name]
    for ws in _sheets(wb):
        ps = ws.page_setup
        where = f"{name}: {ws.title}"
        assert int(ps.paperSize) == int(ws.PAPERSIZE_A4) == 9, where  # A4
        assert ps.orientation in ("portrait", "landscape"), where
        assert ws.print_title_cols == "$A:$A", where  # the name column on every page across
        assert ws.print_title_rows and ws.print_title_rows.startswith("$1:"), where  # title (and table header) rows
        # The case's name (as the starter file promises: "vises i regnearkets sidehoved"), the sheet's name and
        # the file's name (which follows a save under a new name); the print date and "Side x af y" below.
        assert (ws.oddHeader.left.text, ws.oddHeader.center.text, ws.oddHeader.right.text) == (
            header_text(CASES[name].navn), "&A", "&F"), where
        assert (ws.oddFooter.left.text, ws.oddFooter.center.text) == ("Udskrevet &D", "Side &P af &N"), where
        fit = _fit(ws)
        if ws.sheet_properties.pageSetUpPr.fitToPage:  # shrunk: never below 45 %
            assert fit.scale >= MIN_SCALE, (where, fit)
            assert ps.fitToWidth == 1, where
        else:  # at 100 %: fits the paper's width, or is split across pages at 60 % with the name column repeated
            col, _ = _area(ws)
            if sum(_widths(ws, col)) > printable(ps.orientation)[0]:
                assert ps.orientation == "landscape" and ps.scale == 100 * SPLIT_SCALE, where
    overview = wb["Overblik"]
    assert wb.sheetnames[0] == "Overblik"
    assert overview.page_setup.fitToHeight == 1 and overview.page_setup.fitToWidth == 1  # one page
    # the case's inputs are read across one page: a longer help text beside an input (the guarantor's, the
    # currency's) widened the print area past it and split Forudsætninger over four pages
    assert wb["Forudsætninger"].sheet_properties.pageSetUpPr.fitToPage and wb["Forudsætninger"].page_setup.fitToWidth == 1


@pytest.mark.parametrize("name", NAMES)
def test_foelsomhed_prints_at_about_two_thirds_with_its_long_texts_wrapped(name, workbooks):
    """The analysis sheet decision makers read: sized by its longest texts (a driver's name in words, the Monte Carlo's
    driver names, a switching value over the input's limit) it took 314 characters across and printed at 45 %, the
    least (eksempel_alle_myndigheder with a 30-year horizon: A 53, B 50, C 50, D 46, E–J 17–23).  Its columns are set
    now (standard.SENSITIVITY_WIDTHS) and the long texts sibc writes wrap within them."""
    ws = workbooks[name]["Følsomhed"]
    fit = _fit(ws)
    assert fit.one_wide and fit.scale >= 0.6, fit
    room = {c: ws.column_dimensions[get_column_letter(c)].width for c in range(2, 5)}
    long = [cell for row in ws.iter_rows(min_col=2, max_col=4) for cell in row
            if isinstance(cell.value, str) and not cell.value.startswith("=") and len(cell.value) > room[cell.column]]
    assert long, "no long text to check"  # every example's Monte Carlo header and tornado drivers are longer
    for cell in long:
        assert cell.alignment.wrap_text, cell.coordinate
        assert (ws.row_dimensions[cell.row].height or 0) >= 30, cell.coordinate  # two lines at least


@pytest.mark.parametrize("name", NAMES)
def test_forudsaetninger_wraps_long_helps_and_the_description_and_prints_large(name, workbooks):
    """Forudsætninger's print area ran to column Q for the guarantor's help (190 characters, run out to the right
    whole), and the sheet printed at 51 %; Job til mor's description (270 characters) was cut at that edge.  A help
    longer than layout.HELP_WRAP characters wraps over the columns beside it, and a long text typed into a single input
    with nothing beside it is merged with the empty cells to its right and wrapped: the sheet prints at 70 % or more,
    every text whole."""
    ws = workbooks[name]["Forudsætninger"]
    fit = _fit(ws)
    assert fit.one_wide and fit.scale >= 0.7, fit
    merged = {str(r).split(":")[0]: r for r in ws.merged_cells.ranges}
    helps = [c for c in ws["D"] if isinstance(c.value, str) and len(c.value) > HELP_WRAP]
    assert helps  # the guarantor's help at least
    for cell in helps:
        assert cell.alignment.wrap_text and cell.coordinate in merged, cell.coordinate
        assert ws.row_dimensions[cell.row].height >= 15, cell.coordinate  # as tall as its lines (_long_texts)
    description = ws[book_cell(ws, "Beskrivelse")]
    if len(description.value or "") > 80:  # Job til mor, sygedagpenge, arbejdspladser_i_trivsel
        assert description.alignment.wrap_text and description.coordinate in merged, description.coordinate


def book_cell(ws, label: str) -> str:
    """The input cell (column B) beside ``label`` in column A."""
    return next(f"B{c.row}" for c in ws["A"] if c.value == label)


@pytest.mark.parametrize("name", NAMES)
def test_no_chart_crosses_a_page_break_and_lines_are_straight(name, workbooks):
    lines = [c for ws in _sheets(workbooks[name]) for c in ws._charts if isinstance(c, LineChart)]
    assert len(lines) >= 2  # Overblik's and Resultat's cumulative net
    for ws in _sheets(workbooks[name]):
        fit = _fit(ws)
        heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height}
        col, last_row = _area(ws)
        title_rows = int(ws.print_title_rows.split(":")[1].replace("$", ""))
        manual = [b.id for b in ws.row_breaks.brk]
        starts = row_pages(heights, last_row, title_rows, fit.scale, fit.orientation, manual)
        widths = _widths(ws, max(col, 30))
        across = column_pages(widths, 1, fit)
        for chart in ws._charts:
            top = chart.anchor._from.row + 1
            bottom = rows_spanned(heights, top, chart.height * CM_PT)
            where = f"{name}: {ws.title}, chart at row {top}"
            assert bottom <= last_row, where  # inside the print area
            if fit.one_tall:
                assert starts == [], where  # the whole sheet on one page
            assert not crosses(starts, top, bottom), (where, starts)
            right, x = 1, widths[0]
            while x < chart.width * CM_PT:
                right, x = right + 1, x + widths[right]
            assert not crosses(across, 1, right), (where, across)
            if isinstance(chart, LineChart):
                assert chart.series and all(s.smooth is False for s in chart.series), where


def test_risk_pool_and_who_pays_by_hand():
    case = parse_case(RISKS)
    # The hand calculations in tests/feature_cases.py: 85 000 + 43 333.33 + 25 000.
    assert [risk_expected(r) for r in case.risici] == pytest.approx([85_000, 43_333.333333, 25_000])
    r = run(case)
    k, a = key_figures(r), authority_figures(r)
    assert k["risikopulje"] == pytest.approx(153_333.333333)
    assert k["nv_betaler_efter_risiko"] == pytest.approx(k["nv_betaler"] - 153_333.333333)
    assert k["nv_offentlig_efter_risiko"] == pytest.approx(k["nv_offentlig"] - 153_333.333333)
    # The three authorities' nets add up to the public net; the payer's (region) is the payer's.
    assert sum(a["myn_nv"][:3]) == pytest.approx(k["nv_offentlig"])
    assert a["myn_nv"][1] == pytest.approx(k["nv_betaler"])
    assert a["myn_betal"][1] == pytest.approx(-k["betalinger_i_alt"]) and a["myn_betal"][3] == pytest.approx(k["betalinger_i_alt"])
    # Without risks the pool is 0 and the present values are unchanged.
    plain = key_figures(run(parse_case({**RISKS, "risici": []})))
    assert plain["risikopulje"] == 0 and plain["nv_betaler_efter_risiko"] == plain["nv_betaler"]


def _owned_risks() -> dict:
    """The trial's risk register with a kommune payer: each risk a point estimate (min = most likely = max, so the
    PERT mean is that value) owned by kommune, Investor, a person (Jobcenterchef: no party) and Region."""
    point = lambda text, owner, p, kr: {"beskrivelse": text, "ejer": owner, "sandsynlighed": p,  # noqa: E731
                                        "min": kr, "mest_sandsynlig": kr, "max": kr}
    return RISKS | {"betaler": "kommune", "risici": [
        point("Færre deltagere", "kommune", 0.3, 350_000), point("Leverandøren svigter", "Investor", 0.05, 1_083_333),
        point("Målingen forsinkes", "Jobcenterchef", 0.5, 46_667), point("Behandlingen bliver dyrere", "Region", 0.2, 100_000),
    ]}


def test_each_risk_is_borne_by_its_owner_by_hand():
    """Hand case (the trial): kommune 0,3 × 350.000 = 105.000 plus the risk owned by a person, which the payer (the
    kommune) bears, 0,5 × 46.667 = 23.333,50: 128.333,50; investor 0,05 × 1.083.333 = 54.166,65; region 0,2 × 100.000
    = 20.000; the pool 202.500,15.  The kommune's present value loses its 128.333,50 only (not the investor's part),
    the public one kommune's + region's 148.333,50."""
    k = key_figures(run(parse_case(_owned_risks())))
    assert k["risikopulje"] == pytest.approx(202_500.15)
    assert k["risiko_kommune"] == pytest.approx(128_333.50) == k["risiko_betaler"]
    assert k["risiko_investor"] == pytest.approx(54_166.65)
    assert k["risiko_region"] == pytest.approx(20_000) and k["risiko_stat"] == 0
    assert k["nv_betaler_efter_risiko"] == pytest.approx(k["nv_betaler"] - 128_333.50)
    assert k["nv_offentlig_efter_risiko"] == pytest.approx(k["nv_offentlig"] - 148_333.50)


def test_libreoffice_bears_each_risk_by_its_owner_as_the_core(soffice, tmp_path):
    """Risici's SUMIF by owner, Resultat's and Overblik's present values after the pool: book.check compares every
    key figure cell (risiko_kommune … risiko_betaler, nv_*_efter_risiko, ov_risikopulje) with the core above."""
    from workbooks import book

    path = book.build(parse_case(_owned_risks()), tmp_path / "ejere.xlsx")
    case, differences, cells, kontrol = book.check(path)
    assert differences == [] and cells > 50
    assert [r.ejer for r in case.risici] == ["kommune", "Investor", "Jobcenterchef", "Region"]


@pytest.mark.parametrize("field,value,message", [
    ("sandsynlighed", 1.5, "risici[0].sandsynlighed: skal ligge mellem 0 og 1"),
    # risk 1 is 100.000 / 250.000 / 600.000: a min of 300.000 is above the most likely value, a max of 200.000 below it
    ("min", 300_000, "risici[0].min: mindst må ikke være over den mest sandsynlige værdi (mindst ≤ mest sandsynlig ≤ højst (kr.))"),
    ("max", 200_000, "risici[0].max: højst må ikke være under den mest sandsynlige værdi (mindst ≤ mest sandsynlig ≤ højst (kr.))"),
    ("beskrivelse", None, "risici[0].beskrivelse: mangler"),
])  # fmt: skip
def test_a_bad_risk_is_refused_in_danish_naming_the_field(field, value, message):
    from udfs.core.errors import SIError

    risk = dict(RISKS["risici"][0])
    if value is None:
        del risk[field]
    else:
        risk[field] = value
    with pytest.raises(SIError) as err:
        parse_case({**RISKS, "risici": [risk]})
    assert str(err.value).startswith(message)


def test_at_most_twelve_risks():
    from udfs.core.errors import SIError

    with pytest.raises(SIError, match="risici: har for mange elementer"):
        parse_case({**RISKS, "risici": RISKS["risici"] * 5})


def test_a_half_filled_risk_row_is_reported_naming_the_row_and_what_is_missing(tmp_path):
    """A user types a risk and its probability on Risici's fourth row but no consequences: extract says which
    row and which cells, in Danish, instead of dropping the row or failing on a field path."""
    from udfs.core.errors import SIError
    from workbooks.layout import resolve

    path = book.build(parse_case(RISKS), tmp_path / "risici.xlsx")
    plan = resolve(book.layout_of(parse_case(RISKS)))
    wb = openpyxl.load_workbook(path)
    for name, value in (("rk_beskrivelse", "Nøglemedarbejder stopper"), ("rk_sandsynlighed", 0.2)):
        ref = plan.names[name].cell(3)
        wb[ref.sheet].cell(ref.min_row, ref.min_col).value = value
    wb.save(path)
    with pytest.raises(SIError) as err:
        book.extract(path)
    first = plan.names["rk_min"].cell(3).label()  # the row's first empty cell, Risici!E<row>
    assert str(err.value) == (f"{first} (Konsekvens min. (kr.), Risiko 4): mangler Konsekvens min. (kr.), Konsekvens mest sandsynlig (kr.), "
                              "Konsekvens maks. (kr.) (udfyld rækken helt, eller tøm den)")


@pytest.mark.parametrize("name", NAMES)
def test_hidden_sheets_have_no_print_area_and_the_machinery_is_hidden(name, workbooks):
    """LibreOffice prints a hidden sheet that has a print area (``_koder`` came out as the last PDF page);
    the machinery behind Følsomhed (a 70-column helper sheet, 57–165 pages) is hidden and not printed."""
    from workbooks.layout import CODES_SHEET
    from workbooks.standard import MACHINERY_SHEET

    wb = workbooks[name]
    assert wb[MACHINERY_SHEET].sheet_state == "hidden" and wb[CODES_SHEET].sheet_state == "hidden"
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            assert not ws.print_area, (name, ws.title)


@pytest.mark.parametrize("horizon,last", [(20, "U"), (30, "AE")])
def test_year_tables_print_the_years_within_the_horizon(horizon, last):
    """A year table (years 0..29 in columns B..AE) prints columns A..H+1, the years within the horizon H
    at build: for H = 20 up to U (column 21 = year 19), for H = 30 all of them.  Resultat, whose total
    column follows the years, prints up to it (AF), its year columns after the horizon hidden."""
    case = CASES["eksempel_ungeindsats"].model_copy(update={"horisont": horizon})
    wb = openpyxl.load_workbook(io.BytesIO(book.build_bytes(case)))
    for sheet in ("Forudsætninger", "Indsats", "Effekter", "Betalingsmodel"):
        assert wb[sheet].print_area.split(":")[1].startswith(f"${last}$"), (sheet, wb[sheet].print_area)
    assert wb["Resultat"].print_area.split(":")[1].startswith("$AF$")


def test_the_portfolio_workbook_prints_on_a4_legibly(tmp_path):
    """``sibc portefoelje --xlsx`` was fitted to one A3 page (text about 3 pt): now A4 by the same rule as the
    case workbooks.  Its columns, 22, 30, 27 figures (the central outcomes fund's and the private guarantor's net and
    present value, the guarantor's payment and the part of it a public guarantor pays per authority among them) and one
    more of 12, and 30 characters, are by :func:`column_pt` 119.25 + 161.25 + 28 × 66.75 + 161.25 = 2 310.75 pt;
    769.89 / 2 310.75 = 33 % < 45 %, so it is split across at 60 % with the header row and the file and case
    columns repeated."""
    from workbooks import portfolio_out
    from workbooks.cli import example_cases
    from udfs.core.portfolio import portfolio

    ws = openpyxl.load_workbook(io.BytesIO(portfolio_out.workbook_bytes(portfolio(example_cases()[0].parent)))).active
    ps = ws.page_setup
    assert int(ps.paperSize) == 9 and ps.orientation == "landscape"
    width = sum(_widths(ws, _area(ws)[0]))
    assert width == pytest.approx(2310.75)
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and ps.scale == 60
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$B"
    assert ws.oddFooter.center.text == FOOTER


def test_the_histogram_has_short_level_labels_and_the_unit_on_its_axis(workbooks):
    """Labels "x–y mio. kr." were rotated by the chart and squashed its plot: now "x til y" (mio. kr. with two
    decimals, as book.py writes them; a negative with the typographic minus, "-1,58–-1,44" read as a double
    minus), level (rotation 0), and "nutidsværdi, mio. kr." as the axis title."""
    from workbooks.book import bin_label

    # −1.580.000 to −1.440.000 kr. is −1,58 to −1,44 mio. kr.; 0 prints without a sign
    assert bin_label(-1_580_000, -1_440_000) == "\u22121,58 til \u22121,44" and bin_label(-1.0, 250_000) == "0,00 til 0,25"
    ws = workbooks["eksempel_ungeindsats"]["Følsomhed"]
    from workbooks.layout import resolve
    from workbooks.standard import layout_for, dims_of

    ref = resolve(layout_for(dims_of(CASES["eksempel_ungeindsats"]))).names["mc_hist_navn"]
    labels = [c.value for row in ws.iter_rows(min_row=ref.min_row, max_row=ref.max_row, min_col=ref.min_col, max_col=ref.max_col)
              for c in row]  # fmt: skip
    assert labels and all(isinstance(t, str) and " til " in t and "kr" not in t and "-" not in t and len(t) <= 17 for t in labels), labels
    (chart,) = [c for c in ws._charts if c.x_axis.title is not None]
    assert "".join(r.t for p in chart.x_axis.title.tx.rich.p for r in p.r) == "nutidsværdi, mio. kr."
    assert chart.x_axis.txPr.bodyPr.rot == 0


def test_a_horizon_raised_in_the_workbook_gets_a_red_print_warning(soffice, tmp_path):
    """Excel and LibreOffice keep a print area fixed: a print area given by a formula on the horizon
    (``_xlnm.Print_Area`` = OFFSET(…, Forudsætninger!horisont+1)) is printed by LibreOffice as the whole used
    range (tried: 546 text runs instead of 104 for 5 of 30 year columns), so the print area stays the horizon's at
    build and each sheet with cut year tables says so in red when the horizon typed is longer.

    Built with 10 years, Indsats prints A..K (year 9 in column K); typed 15, the warning names years 0–9 and
    column P (year 14 = column 14 + 2 = 16 = P).  Forudsætninger prints 13 years (its help texts reach column N)."""
    from tests.typing_cells import type_cells
    from workbooks.recalc import recalculate

    case = CASES["eksempel_ungeindsats"]
    assert case.horisont == 10
    path = book.build(case, tmp_path / "udskrift.xlsx")
    names = {"Forudsætninger": "fo_udskrift", "Indsats": "in_udskrift", "Effekter": "ef_udskrift", "Betalingsmodel": "bm_udskrift"}
    built = openpyxl.load_workbook(path)
    # years each sheet prints: its print area's last column (year y in column y + 2), at least the horizon's 10
    shown = {sheet: openpyxl.utils.column_index_from_string(
        re.sub(r"[^A-Z]", "", str(built[sheet].print_area).split(":")[-1])) - 1 for sheet in names}  # fmt: skip
    assert shown["Indsats"] == 10 and all(n >= 10 for n in shown.values())

    def warnings(path, outdir):
        from workbooks.reader import open_template
        from workbooks.standard import layout_from_info

        _, _, plan = open_template(path, layout_from_info)
        wb = openpyxl.load_workbook(recalculate(path, tmp_path / outdir), data_only=True)
        return {s: wb[s].cell(plan.names[n].min_row, plan.names[n].min_col).value for s, n in names.items()}

    assert set(warnings(path, "ud0").values()) == {None}  # as built: no warning (an empty text reads back as empty)
    type_cells(path, {("horisont", 0): 15})
    for sheet, text in warnings(path, "ud1").items():
        if shown[sheet] >= 15:  # its help texts already print 15 years or more: nothing to warn of
            assert text is None, (sheet, text)
            continue
        assert text.startswith(f"Udskriften viser kun år 0–{shown[sheet] - 1} (horisonten, da regnearket blev bygget), "
                               "men horisonten er nu 15 år. Udvid udskriftsområdet til kolonne P "), (sheet, text)
        assert text.endswith("eller byg regnearket igen (sibc extract og sibc build)."), text
    wb = openpyxl.load_workbook(path)
    assert wb["Indsats"].print_area.split(":")[1].startswith("$K$")  # the print area itself is unchanged
    # A horizon typed shorter than the years printed gives no warning: the extra years print greyed out.
    type_cells(path, {("horisont", 0): 5})
    assert set(warnings(path, "ud2").values()) == {None}


def _hidden(ws) -> set[int]:
    return {r for r, d in ws.row_dimensions.items() if d.hidden}


def _rows(wb, name: str, positions) -> set[int]:
    from workbooks.layout import resolve
    from workbooks.reader import template_info
    from workbooks.standard import layout_from_info

    plan = resolve(layout_from_info(template_info(wb, "x.xlsx")), cells=False)
    return {plan.names[name].cell(k).min_row for k in positions}


@pytest.mark.parametrize("name", NAMES)
def test_overblik_hides_the_rows_the_case_does_not_use(name, workbooks):
    """Overblik has no inputs; the rows of spare effect slots, of parties with no cost, saving or payment (other than the
    payer) and of risks the register does not have are hidden and grouped (outline level 1), so the one page prints
    no empty rows.  Which rows: from the case, by hand from the core's who-pays table."""
    from udfs.core.vocabulary import PARTIES
    from workbooks.standard import TOP_RISKS, dims_of

    case, wb = CASES[name], workbooks[name]
    ws = wb["Overblik"]
    d = dims_of(case)
    used = len(case.effekter)
    figures = authority_figures(run(case))
    idle = [k for k, p in enumerate(PARTIES) if p != case.betaler and all(figures[n][k] == 0 for n in ("myn_omk", "myn_bes", "myn_betal"))]
    risks = range(min(len(case.risici), TOP_RISKS), TOP_RISKS)
    want = _rows(wb, "ov_succesrate", range(used, d.effects)) | _rows(wb, "myn_omk", idle) | _rows(wb, "ov_risiko_vaerdi", risks)
    if len(risks) == TOP_RISKS:  # no risk at all: the table's header row hidden too (a text under it says so)
        want |= {min(_rows(wb, "ov_risiko_vaerdi", [0])) - 1}
    if name == "blank":  # typed into by the user: every row shown (a user trial filled rows that stayed hidden)
        want = set()
    assert _hidden(ws) == want
    assert all(ws.row_dimensions[r].outlineLevel == 1 for r in want)
    assert ws.page_setup.fitToHeight == 1 and ws.sheet_properties.pageSetUpPr.fitToPage  # still one page
    if name == "risikoregister":  # its three risks are shown, the two empty places hidden
        assert _rows(wb, "ov_risiko_vaerdi", range(3)).isdisjoint(_hidden(ws)) and len(_rows(wb, "ov_risiko_vaerdi", range(3, 5)) & want) == 2
    if name == "eksempel_ungeindsats":  # kommune, region, stat and investor have figures; the fund and a private guarantor none
        assert idle == [PARTIES.index("fond"), PARTIES.index("garant")]


def test_a_hidden_overblik_row_taken_into_use_gets_a_red_warning(soffice, tmp_path):
    """A spare effect slot filled later (its id typed on Effekter) would be counted on a hidden row of Overblik: the red
    warning says so, computed by LibreOffice."""
    from tests.typing_cells import type_cells
    from workbooks.recalc import recalculate
    from workbooks.standard import HIDDEN_ROWS_WARNING

    case = CASES["eksempel_ungeindsats"]
    path = book.build(case, tmp_path / "skjult.xlsx")
    wb = openpyxl.load_workbook(path)
    assert _rows(wb, "ov_succesrate", [3]) <= _hidden(wb["Overblik"])  # effect slot 4 is spare: its row hidden
    row, col = next(iter(_rows(wb, "ov_skjult", [0]))), 2

    def warning(outdir):
        return openpyxl.load_workbook(recalculate(path, tmp_path / outdir), data_only=True)["Overblik"].cell(row, col).value

    assert warning("ud0") in (None, "")
    type_cells(path, {("eff4_id", 0): "ny_effekt"})
    assert warning("ud1") == HIDDEN_ROWS_WARNING


def _horizon_columns(wb) -> tuple[int, int]:
    """(first, last) column of Resultat's years (the defined name ``r_aar_overskrift``)."""
    from openpyxl.utils.cell import range_boundaries

    first, _, last, _ = range_boundaries(wb.defined_names["r_aar_overskrift"].attr_text.split("!")[1].replace("$", ""))
    return first, last


def _chart_ranges(chart) -> list[str]:
    """The categories and values ranges of each series of a chart (``'Resultat'!$B$5:$I$5``)."""
    return [r for s in chart.series for r in (s.cat.numRef.f if s.cat.numRef else s.cat.strRef.f, s.val.numRef.f)]


@pytest.mark.parametrize("name", NAMES)
def test_resultat_prints_the_horizons_years_and_the_total_and_charts_draw_them(name, workbooks):
    """Resultat's total column (I alt) follows its 30 year columns B..AE, so its print area ends at the total (AF) and the
    year columns after the horizon H, H + 2..AE, are hidden and grouped: the page shows years 0..H − 1 (B..H + 1) and I alt,
    e.g. H = 3 (sygedagpenge): B, C, D and AF.  The charts over the years (Resultat's two, Overblik's one) draw years
    0..H − 1: every range ends in column H + 1 (a row of years from B)."""
    from openpyxl.utils import get_column_letter

    from workbooks.standard import dims_of

    case, wb = CASES[name], workbooks[name]
    horizon, years = case.horisont, dims_of(case).years
    first, last = _horizon_columns(wb)
    assert (first, last) == (2, years + 1)
    ws = wb["Resultat"]
    total = ws.cell(_rows(wb, "r_deltagere", [0]).pop(), years + 2)
    assert total.coordinate == wb.defined_names["r_deltagere_i_alt"].attr_text.split("!")[1].replace("$", "")
    assert _area(ws)[0] == years + 2 == 32  # column AF: the total
    hidden = {c for c in range(1, years + 3) if ws.column_dimensions[get_column_letter(c)].hidden}
    assert hidden == set(range(horizon + 2, years + 2))
    assert all(ws.column_dimensions[get_column_letter(c)].outlineLevel == 1 for c in hidden)
    shown = [c for c in range(1, years + 3) if c not in hidden]
    assert shown == [1, *range(2, horizon + 2), years + 2]
    if name == "sygedagpenge":
        assert horizon == 3 and [get_column_letter(c) for c in shown] == ["A", "B", "C", "D", "AF"]
    fit = _fit(ws)
    assert fit.one_wide and fit.scale >= MIN_SCALE, fit  # one page wide: I alt on the pages of the years
    charts = [(sheet, c) for sheet in ("Resultat", "Overblik") for c in wb[sheet]._charts]
    assert len(charts) == 3
    end = get_column_letter(horizon + 1)
    for sheet, chart in charts:
        for ref in _chart_ranges(chart):
            cells = ref.split("!")[1].split(":")
            assert cells[0].startswith("$B$") and cells[1].startswith(f"${end}$"), (name, sheet, ref)


@pytest.mark.parametrize("horizon,warned", [(15, True), (5, False)])
def test_resultat_and_overblik_warn_in_red_when_the_horizon_is_raised(soffice, tmp_path, horizon, warned):
    """Built with H = 10, Resultat shows years 0..9 (B..K) and I alt (AF) and its charts and Overblik's draw years 0..9;
    typed 15, each says so: Resultat names the columns to show (K, year 9, to AF, the total) and both say to rebuild.
    Typed 5: no warning (a shorter horizon's later years print greyed out)."""
    from tests.typing_cells import type_cells
    from workbooks.recalc import recalculate

    case = CASES["eksempel_ungeindsats"]
    assert case.horisont == 10
    path = book.build(case, tmp_path / "resultat.xlsx")
    wb = openpyxl.load_workbook(path)
    cells = {"Resultat": (_rows(wb, "r_udskrift", [0]).pop(), 2), "Overblik": (_rows(wb, "ov_udskrift", [0]).pop(), 2)}
    type_cells(path, {("horisont", 0): horizon})
    got = openpyxl.load_workbook(recalculate(path, tmp_path / "ud"), data_only=True)
    text = {sheet: got[sheet].cell(*rc).value for sheet, rc in cells.items()}
    if not warned:
        assert set(text.values()) <= {None, ""}, text
        return
    assert text["Resultat"] == (
        "Udskriften og diagrammerne viser kun år 0–9 (horisonten, da regnearket blev bygget), men horisonten er nu 15 år. "
        "Vis de skjulte årskolonner (markér kolonne K til AF, højreklik > Vis), eller byg regnearket igen (sibc extract og sibc build)."
    )
    assert text["Overblik"] == (
        "Diagrammet viser kun år 0–9 (horisonten, da regnearket blev bygget), men horisonten er nu 15 år: "
        "byg regnearket igen (sibc extract og sibc build), så det viser alle årene."
    )


@pytest.mark.parametrize("name", NAMES)
def test_empty_spare_slots_are_folded_and_slots_in_use_print(name, workbooks):
    """The spare outcome-metric slots (one per payment rule) and the spare effect slots printed as pages of
    empty templates (four pages on Betalingsmodel): every row of an empty slot but its heading is hidden and
    grouped (outline level 1, shown again with the + by the heading), a slot in use is not; a hidden row prints
    nothing (LibreOffice and Excel)."""
    from workbooks.layout import resolve
    from workbooks.names import effect_cell, metric_cell
    from workbooks.standard import layout_for, dims_of

    wb, case = workbooks[name], CASES[name]
    d = dims_of(case)
    plan = resolve(layout_for(d))
    slots = [("Betalingsmodel", metric_cell(m, "id"), d.spare_metric(m)) for m in range(1, len(d.metrics) + 1)]
    slots += [("Effekter", effect_cell(e, "id"), d.spare_effect(e)) for e in range(1, d.effects + 1)]
    assert any(spare for *_, spare in slots)
    for sheet, cell, spare in slots:
        row = plan.names[cell].min_row
        dims = wb[sheet].row_dimensions
        assert bool(dims[row].hidden) == spare and dims[row].outlineLevel == (1 if spare else 0), (sheet, cell)
        assert not dims[row - 1].hidden, (sheet, cell)  # the slot's heading, with the +


@pytest.mark.parametrize("name", ["eksempel_tre_betalere", "blank"])
def test_long_texts_in_the_name_column_wrap_on_sheets_split_across_pages(name, workbooks):
    """On a sheet printed across pages column A repeats on each page, and a text of column A that ran over the
    empty cells beside it was drawn again over the next page's table (Enhedspriser: »medgjort(kædeår)«): such a
    text wraps in column A, its row as tall as its lines at 5.5 pt a character (the writer's TEXT_CHAR_PT),
    e.g. a text of 300 characters in column A 54 wide (383 px = 287.25 pt, 281.25 pt inside the padding: 51
    characters a line) takes 6 or 7 lines, 90–105 pt."""
    from workbooks.writer import LINE_HEIGHT, TEXT_CHAR_PT, wrapped_lines

    checked = 0
    for ws in _sheets(workbooks[name]):
        if ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1:
            continue  # one page wide: a text runs over empty cells within the page
        if sum(_widths(ws, _area(ws)[0])) * (ws.page_setup.scale or 100) / 100 <= printable(ws.page_setup.orientation)[0]:
            continue  # not split across pages
        room = column_pt(ws.column_dimensions["A"].width) - 6
        for (cell,) in ws.iter_rows(min_col=1, max_col=1):
            if isinstance(cell.value, str) and not cell.font.b and len(cell.value) * TEXT_CHAR_PT > room \
                    and ws.cell(cell.row, 2).value is None and cell.coordinate not in ws.merged_cells:  # a text, no label
                assert cell.alignment.wrap_text, (ws.title, cell.coordinate)
                assert ws.row_dimensions[cell.row].height >= LINE_HEIGHT * wrapped_lines(cell.value, room, TEXT_CHAR_PT)
                checked += 1
    assert checked >= 4  # Enhedspriser's guide lines and its note on the index, at least


@pytest.mark.parametrize("name", NAMES)
def test_spare_cost_lines_and_kontrol_rows_of_spare_slots_are_folded(name, workbooks):
    """Indsats printed the empty spare cost lines (their name, payer and type and their row of amounts) and Kontrol
    the rows of the spare effects (three per effect) and outcome metrics, and their helper cells: hidden and grouped as
    the spare effect slots on Effekter.  Which: from the case, by hand (e.g. eksempel_tre_betalere has 2 cost lines of
    6 slots, 2 effects of 8)."""
    from workbooks.layout import resolve
    from workbooks.names import cost_cell, effect_cell, metric_cell
    from workbooks.standard import AUTHORITIES, dims_of, layout_for

    wb, case = workbooks[name], CASES[name]
    d = dims_of(case)
    plan = resolve(layout_for(d))
    if name == "eksempel_tre_betalere":
        assert (len(case.indsats), d.costs, len(case.effekter), d.effects) == (2, 6, 2, 8)
    costs = _hidden(wb["Indsats"])
    for c in range(1, d.costs + 1):
        rows = {plan.names[cost_cell(c, k)].min_row for k in ("navn", "betaler", "type", "pr_aar")}
        assert (rows <= costs) if d.spare_cost(c) else rows.isdisjoint(costs), (name, c)
        assert not wb["Indsats"].row_dimensions[plan.names[cost_cell(c, "navn")].min_row - 1].hidden  # its heading
    control = _hidden(wb["Kontrol"])
    for e in range(1, d.effects + 1):
        rows = {plan.names[f"{n}{e}_{a}"].min_row for n in ("k_eff", "k_pris") for a in AUTHORITIES}
        assert (rows <= control) if d.spare_effect(e) else rows.isdisjoint(control), (name, e)
    for m in range(1, len(d.metrics) + 1):
        if f"k_bm{m}" in plan.names:
            assert (plan.names[f"k_bm{m}"].min_row in control) == d.spare_metric(m), (name, m)
    assert effect_cell and metric_cell  # the slots' own sheets: test_empty_spare_slots_are_folded_and_slots_in_use_print


@pytest.mark.parametrize("name", NAMES)
def test_enhedspriser_prints_the_case_s_rows_and_not_the_helper_list(name, workbooks):
    """Enhedspriser printed its helper list (the 44 ids the id cells' list is made of), the empty spare rows (»Ledig«),
    the empty own prices and the index years without a value (2026–2035, kept for own values): all hidden and
    grouped; the blank workbook, typed into, hides only the helper list.  By hand: the index's published years end
    in 2025 (its last value, Danmarks Statistik's and Økonomistyrelsens tables), so 2026–2035 are hidden."""
    from udfs.core.data import indices
    from workbooks.layout import resolve
    from workbooks.standard import dims_of, index_years, layout_for, own_rows, unit_rows

    wb, case = workbooks[name], CASES[name]
    d = dims_of(case)
    plan = resolve(layout_for(d))
    ws = wb["Enhedspriser"]
    hidden = _hidden(ws)
    helper = set(range(plan.names["ep_valg"].min_row - 1, plan.names["ep_valg"].max_row + 1))  # with its header row
    assert helper <= hidden
    spare_units = {plan.names["ep_id"].cell(k).min_row for k in range(d.units, unit_rows(d))}
    spare_own = {plan.names["eg_id"].cell(k).min_row for k in range(d.own, own_rows(d))}
    years = index_years()
    empty = [k for k, y in enumerate(years) if y not in (case.own_index() or {}) and all(t.get(y) is None for t in indices().values())]
    if name == "eksempel_tre_betalere":
        assert max(y for t in indices().values() for y in t) == 2025 and [years[k] for k in empty] == list(range(2026, 2036))
    empty_years = {plan.names["idx_aar"].cell(k).min_row for k in empty}
    used = {plan.names["ep_id"].cell(k).min_row for k in range(d.units)} | {plan.names["idx_aar"].cell(k).min_row
                                                                           for k in range(len(years)) if k not in empty}
    assert used.isdisjoint(hidden)
    if name == "blank":
        assert hidden == helper
    else:
        assert spare_units | spare_own | empty_years <= hidden
    assert all(ws.row_dimensions[r].outlineLevel == 1 for r in hidden)
    # Only the title row repeats: the unit prices' header printed over the index table on the next pages.  A folded
    # row prints nothing and does not widen the page: with no own prices (all their rows and header folded) the print
    # area ends at the unit prices' last column, P (15 columns from B: id … Kilde: dokument), not at S.
    assert ws.print_title_rows == "$1:$1"
    if d.own == 0 and name != "blank":
        assert _area(ws)[0] == 16 and ws.cell(plan.names["ep_kilde_dokument"].min_row - 1, 16).value == "Kilde: dokument"


@pytest.mark.parametrize("name", NAMES)
def test_enhedspriser_ids_and_names_fit_their_columns(name, workbooks):
    """Enhedspriser cut the longer ids (»kontanthjaelp_30plus_ikke_forsoerger_uge«, 40 characters, in a column 34 wide:
    243 px = 182.25 pt) and ran the names and sources into the next column.  The id column holds the Katalog's longest
    id (52 characters) at 5.5 pt a character (the writer's TEXT_CHAR_PT) and the padding: 52 × 5.5 + 6 = 292 pt ≤
    column B (55 wide: 390 px = 292.5 pt); each name and source of the case's unit prices wraps within its column,
    its row as tall as its words need at 5.5 pt a character."""
    from openpyxl.utils import get_column_letter

    from udfs.core.catalogue import lookup
    from udfs.core.data import catalogue
    from workbooks.standard import unit_ids
    from workbooks.writer import LINE_HEIGHT, TEXT_CHAR_PT, wrapped_lines

    ws, case = workbooks[name]["Enhedspriser"], CASES[name]
    longest = max(catalogue(), key=len)
    assert len(longest) == 52 and ws.column_dimensions["B"].width == 55 and column_pt(55) == 292.5
    assert len(longest) * TEXT_CHAR_PT + 6 <= column_pt(ws.column_dimensions["B"].width)
    heads = {ws.cell(r, c).value: c for r in range(1, 20) for c in range(1, 20) if ws.cell(r, c).value in ("Navn", "Kilde: dokument")}
    assert len(heads) == 2
    first = next(r for r in range(1, 40) if ws.cell(r, 1).value == "Enhedspris 1")
    for k, uid in enumerate(unit_ids(case)):
        unit = lookup(uid, case.own_prices())
        for field, col in (("navn", heads["Navn"]), ("kilde_dokument", heads["Kilde: dokument"])):
            cell = ws.cell(first + k, col)
            room = column_pt(ws.column_dimensions[get_column_letter(col)].width) - 6
            assert cell.alignment.wrap_text, (name, cell.coordinate)
            lines = wrapped_lines(getattr(unit, field) or "", room, TEXT_CHAR_PT)
            assert ws.row_dimensions[first + k].height >= LINE_HEIGHT * lines, (name, cell.coordinate, lines)


@pytest.mark.parametrize("name", NAMES)
def test_warnings_leave_no_blank_band_above_the_figures(name, workbooks):
    """Overblik kept five rows (195 pt: 15 + 30 + 45 + 45 + 60) for its red warnings between the price message and
    »Case«, white on paper when there is no warning (as built, mostly): the warnings stand last, under the chart, so
    »Case« follows the price message directly (rows 3 and 4).  Kontrol's two (60 pt) stood above its table and
    Indsats's print warning (45 pt) above its year table: they stand under them, in the print area."""
    wb = workbooks[name]
    ws = wb["Overblik"]
    assert (ws.cell(3, 1).value, ws.cell(4, 1).value) == ("Prisomregning", "Case")
    chart_row = min(c.anchor._from.row + 1 for c in ws._charts)
    row = lambda n: min(_rows(wb, n, [0]))  # noqa: E731
    warnings = [row(n) for n in ("ov_advarsel", "ov_foraeldet", "ov_plausibel", "ov_skjult", "ov_udskrift")]
    assert min(warnings) > chart_row and max(warnings) <= _area(ws)[1]
    from openpyxl.utils.cell import range_boundaries

    def bottom(n):  # the last row of a named table row/column
        return range_boundaries(wb.defined_names[n].attr_text.split("!")[1].replace("$", ""))[3]

    assert min(row("k_plausibel"), row("k_valuta")) > bottom("k_irr" if "k_irr" in wb.defined_names else "k_nv_model")
    assert row("k_plausibel") > max(bottom(n) for n in wb.defined_names if n.startswith("k_bm") or n.startswith("k_eff"))
    assert row("in_udskrift") > bottom("omk_investor") and row("in_udskrift") <= _area(wb["Indsats"])[1]


@pytest.mark.parametrize("name", NAMES)
def test_risici_folds_the_rows_after_the_case_s_risks(name, workbooks):
    """Risici printed twelve empty risk rows for a case with none (Rikers, eksempel_tre_betalere): the rows after the
    case's risks are hidden and grouped (with none, the table's header too), a text says how to show them; the blank
    workbook, typed into, shows all twelve.  risikoregister has 3 risks: rows 4–12 hidden."""
    from workbooks.standard import MAX_RISKS, RISKS_FOLDED

    wb, case = workbooks[name], CASES[name]
    ws = wb["Risici"]
    first = min(_rows(wb, "rk_beskrivelse", [0]))
    want = set() if name == "blank" else {first + k for k in range(len(case.risici), MAX_RISKS)}
    if want and not case.risici:
        want.add(first - 1)  # the header
    if name == "risikoregister":
        assert len(case.risici) == 3 and len(want) == 9
    assert _hidden(ws) == want
    # the text on folding stands in every workbook (read back by the layout of its dimensions alone, a text that
    # differed by case was taken for one typed over the template)
    assert any(c.value == RISKS_FOLDED for c in ws["A"])


def test_an_empty_print_warning_keeps_the_normal_row_height(tmp_path):
    """As built the print warnings are blank (the horizon typed is the one printed): their rows on Forudsætninger,
    Effekter, Betalingsmodel and Resultat have no height of their own (15 pt, a normal row) instead of the
    30–45 pt reserved for the text; the cell is still merged across the page and wrapped for a text shown later."""
    from workbooks.reader import open_template
    from workbooks.standard import layout_from_info

    path = book.build(CASES["eksempel_ungeindsats"], tmp_path / "udskrift.xlsx")
    _, _, plan = open_template(path, layout_from_info)
    wb = openpyxl.load_workbook(path)
    for sheet, name in (("Forudsætninger", "fo_udskrift"), ("Effekter", "ef_udskrift"), ("Betalingsmodel", "bm_udskrift"),
                        ("Resultat", "r_udskrift")):
        ref = plan.names[name]
        ws = wb[sheet]
        assert ws.row_dimensions[ref.min_row].height is None, (sheet, ws.row_dimensions[ref.min_row].height)
        assert ws.cell(ref.min_row, ref.min_col).alignment.wrap_text
        assert any(ref.min_row == m.min_row and ref.min_col == m.min_col for m in ws.merged_cells.ranges), sheet
