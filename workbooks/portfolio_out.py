"""The portfolio (:mod:`udfs.core.portfolio`) as text tables, a CSV, a workbook sheet and a chart.

Only layout: every figure comes from the core.  The text tables fit 100
columns and show whole kroner with thousands points; the CSV is the one
Danish Excel reads (``workbooks.cli.write_csv``); the workbook sheet sums the
cases with plain ``SUM`` formulas (checked against the core by LibreOffice in
the tests); the chart shows each case's net present value per authority.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from udfs.core.danish_numbers import fixed
from udfs.core.portfolio import COLUMNS, NAMES, Portfolio
from udfs.core.vocabulary import AUTHORITIES, FUND, GUARANTOR, PARTIES, PARTY_WORDS, currency_word

from .printing import apply_fit, choose_fit, column_pt, header_footer
from .safe_write import check_target, write_file
from .writer import write_text
from .reader import PORTFOLIO_SHEET

WIDTH = 100
"""Characters a text table may use."""
TOTAL = "I alt"

SHORT_PARTY_WORDS = {FUND: "Resultatfond", GUARANTOR: "Privat garant"}
"""Shorter column headers of parties (:data:`~udfs.core.vocabulary.PARTY_WORDS`) in the text tables, six of which fit
:data:`WIDTH`."""

TABLES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Forventet (hele {enhed}; borgere = deltagere × nettosuccesrate)", (
        ("investering", "Investering"), ("betalinger", "Betalinger"), ("bes_kommune", "Bes. kommune"),
        ("bes_region", "Bes. region"), ("bes_stat", "Bes. stat"), ("borgere", "Borgere"))),
    ("Netto pr. part ({enhed}, udiskonteret)", tuple((f"netto_{p}", SHORT_PARTY_WORDS.get(p, PARTY_WORDS[p])) for p in PARTIES)),
    ("Netto pr. part (nutidsværdi, {enhed})", tuple((f"nv_{p}", SHORT_PARTY_WORDS.get(p, PARTY_WORDS[p])) for p in PARTIES)),
    ("Garanti ({enhed}; betalt til investor i kontraktens afregningsår, 0 uden; heraf en offentlig garants)", (
        ("netto_investor", "Netto investor"), ("garanti_betaling", "Garanti i alt"),
        *((f"garanti_{a}", f"Heraf {a}") for a in AUTHORITIES))),
    ("Realiseret mod forventet ({enhed}; realiseret: casefilens 'realiseret')", (
        ("betalinger", "Betal. forv."), ("real_betalinger", "Betal. real."), ("bes_i_alt", "Bes. forv."),
        ("real_bes_i_alt", "Bes. real."), ("borgere", "Borgere"), ("real_borgere", "I arbejde"))),
)
"""The text tables: title (``{enhed}``: the portfolio's amount unit, :func:`~udfs.core.vocabulary.currency_word`)
and (figure name, column header) pairs.  ``bes_i_alt`` and ``real_bes_i_alt``
are the savings of the three authorities added."""


def whole(value: float | None, unit: str = "kr") -> str:
    """A figure for the text table: whole kr. with thousands points (``-1.234.567``), a count as a whole
    number or with one decimal (``17,5``), ``–`` where not given."""
    if value is None:
        return "–"
    if unit != "kr" and abs(value - round(value)) > 1e-9:
        return fixed(value, 1)
    return fixed(value, 0)


def case_keys(files: list[str]) -> list[str]:
    """The name each case goes by in the text tables: its file without the suffix (``job_til_mor``), the whole
    file name where two files share it (``a.yaml`` and ``a.json``).  Short and unique, so no case name is cut: the
    names themselves are listed once above the tables (:func:`text_tables`)."""
    stems = [Path(f).stem for f in files]
    return [f if stems.count(s) > 1 else s for f, s in zip(files, stems, strict=True)]


def _with_sums(figures: dict[str, float | None]) -> dict[str, float | None]:
    out = dict(figures)
    for prefix in ("bes", "real_bes"):
        parts = [figures[f"{prefix}_{a}"] for a in AUTHORITIES]
        out[f"{prefix}_i_alt"] = None if all(v is None for v in parts) else sum(v or 0.0 for v in parts)
    return out


def text_tables(p: Portfolio) -> str:
    """The portfolio as text tables, each at most :data:`WIDTH` characters wide: first the cases, each case's name
    beside the short name the tables give it (:func:`case_keys`), wrapped, never cut; then one table per
    :data:`TABLES` with a row per case and the total (a short name longer than the room left wraps over lines)."""
    from .cli import wrap_label

    units = {c.name: c.unit for c in COLUMNS}
    rows = [(line.name, _with_sums(line.figures)) for line in p.lines] + [(TOTAL, _with_sums(p.totals))]
    keys = case_keys([line.file for line in p.lines])
    width = max(len("Case"), *(len(k) for k in keys))
    out = ["Cases (i tabellerne ved filens navn)\n" + "\n".join(
        textwrap.fill(f"{key.ljust(width)}  {line.name}", WIDTH, initial_indent="  ",
                      subsequent_indent=" " * (width + 6), break_on_hyphens=False)
        for key, line in zip(keys, p.lines, strict=True))]  # fmt: skip
    for title, columns in TABLES:
        cells = [[whole(f[name], units.get(name, "kr")) for name, _ in columns] for _, f in rows]
        widths = [max(len(header), *(len(r[j]) for r in cells)) for j, (_, header) in enumerate(columns)]
        first = min(max(len("Case"), *(len(k) for k in keys), len(TOTAL)), max(12, WIDTH - sum(w + 2 for w in widths)))
        lines = [title.format(enhed=currency_word(p.valuta)), "  ".join(["Case".ljust(first)] + [h.rjust(w) for (_, h), w in zip(columns, widths)])]
        for k, (key, row) in enumerate(zip([*keys, TOTAL], cells, strict=True)):
            if k == len(rows) - 1:
                lines.append("-" * min(WIDTH, first + sum(w + 2 for w in widths)))
            head, *more = wrap_label(key, first)
            lines.append("  ".join([head.ljust(first)] + [v.rjust(w) for v, w in zip(row, widths)]))
            lines += more
        out.append("\n".join(lines))
    dated = [textwrap.fill(f"{line.name}: pr. {line.realised_date}, kilde: {line.realised_source}", WIDTH, initial_indent="  ",
                           subsequent_indent="    ", break_on_hyphens=False) for line in p.lines if line.realised_date]
    if dated:
        out.append("Realiserede tal:\n" + "\n".join(dated))
    return "\n\n".join(out)


CSV_UNITS = [None, None, *(c.unit for c in COLUMNS), None, None]
"""The unit of each column of :func:`csv_table` (None for text), by which the CSV writes its numbers."""


def csv_table(p: Portfolio) -> list[list]:
    """Header and one row per case and the total: file, case, every figure of :data:`COLUMNS`, realised date and source."""
    header = ["Fil", "Case", *(c.label for c in COLUMNS), "Realiseret pr. dato", "Kilde til realiserede tal"]
    rows = [[line.file, line.name, *(line.figures[n] for n in NAMES), line.realised_date, line.realised_source] for line in p.lines]
    return [header, *rows, ["", TOTAL, *(p.totals[n] for n in NAMES), "", ""]]


SHEET = PORTFOLIO_SHEET
FIRST_FIGURE_COLUMN = 3
"""Column C: the first figure (A: file, B: case)."""


def workbook_bytes(p: Portfolio) -> bytes:
    """The sheet *Portefølje*: one row per case (row 2 on), the total row below with ``=SUM(…)`` per figure
    (blank where no case gives a realised figure), and the notes under it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from .styles import font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    table = csv_table(p)
    header, rows = table[0], table[1:-1]
    ws.append(header)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                write_text(ws.cell(r, c), value)  # text from a case file stays text, never a formula
            elif value is not None:
                ws.cell(r, c, value)
    total_row = len(rows) + 2
    ws.cell(total_row, 2, TOTAL).font = font(bold=True)
    for j, name in enumerate(NAMES):
        col = get_column_letter(FIRST_FIGURE_COLUMN + j)
        if p.totals[name] is not None:
            cell = ws.cell(total_row, FIRST_FIGURE_COLUMN + j, f"=SUM({col}2:{col}{total_row - 1})" if rows else 0)
            cell.font = font(bold=True)
    units = {c.name: c.unit for c in COLUMNS}
    for j, name in enumerate(NAMES):
        fmt = "#,##0" if units[name] == "kr" else "#,##0.0"
        for r in range(2, total_row + 1):
            ws.cell(r, FIRST_FIGURE_COLUMN + j).number_format = fmt
        ws.column_dimensions[get_column_letter(FIRST_FIGURE_COLUMN + j)].width = 12
    for cell in ws[1]:
        cell.font = font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 45
    after = FIRST_FIGURE_COLUMN + len(NAMES)
    ws.column_dimensions[get_column_letter(after)].width = 12
    ws.column_dimensions[get_column_letter(after + 1)].width = 30
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 30
    ws.freeze_panes = "C2"
    notes = [f"Beløb i {currency_word(p.valuta)} i hver cases eget prisniveau (prisår); nutidsværdier med hver cases egen diskontering.",
             "Borgere hjulpet: deltagere × nettosuccesrate (succesrate − dødvægt), den største over casens effekter.",
             "Netto pr. part: en myndigheds besparelser − omkostninger − dens egen andel af resultatbetalingerne; investor: "
             "alle betaleres resultatbetalinger + garantens betaling − investering; central resultatfond: − dens andel; "
             "privat garant: − dens betaling.",
             "Garantens betaling: det, casens garant betaler investor i kontraktens afregningsår (0 uden garanti). En offentlig "
             "garants betaling (myndighed bag garanten: kommune, region eller stat; kolonnerne Garanti betalt af …) er med i "
             "myndighedens og investors netto, en privat garants (fx en fond) i kolonnerne Garant (privat) og i investors netto."]
    notes += [f"Ikke med: {name}: {message}" for name, message in p.errors]
    for k, note in enumerate(notes):
        write_text(ws.cell(total_row + 2 + k, 1), note)
    last = after + 1  # A4 by its width (workbooks.printing): one page wide down to 45 %, else split across at 60 %
    apply_fit(ws, choose_fit(sum(column_pt(ws.column_dimensions[get_column_letter(c)].width) for c in range(1, last + 1))))
    ws.print_title_rows, ws.print_title_cols = "1:1", "A:B"  # the header and each case's name on every page
    ws.print_area = f"A1:{get_column_letter(last)}{total_row + 1 + len(notes)}"
    header_footer(ws)  # no case's name: the file's name
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_workbook(p: Portfolio, target: Path, overwrite: bool) -> Path:
    check_target(target, overwrite, "xlsx", (".xlsx",))
    return write_file(target, workbook_bytes(p), overwrite=overwrite, argument="xlsx", suffixes=(".xlsx",))


def chart_bytes(p: Portfolio) -> bytes:
    """A bar chart (PNG): each case's net present value per authority and the investor, mio. of the portfolio's currency."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    names = [line.name if len(line.name) <= 28 else line.name[:27] + "…" for line in p.lines]
    fig, ax = plt.subplots(figsize=(max(8, 1.6 * len(names) + 2), 5.5), dpi=100)
    width = 0.8 / len(PARTIES)
    for k, who in enumerate(PARTIES):
        values = [line.figures[f"nv_{who}"] / 1e6 for line in p.lines]
        ax.bar([i + (k - (len(PARTIES) - 1) / 2) * width for i in range(len(names))], values, width, label=PARTY_WORDS[who])
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(range(len(names)), names, rotation=20, ha="right", fontsize=8)
    ax.set_ylabel(f"Nutidsværdi netto, mio. {currency_word(p.valuta)}")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")))
    ax.set_title("Portefølje: nutidsværdi netto pr. case og myndighed")
    ax.legend()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def write_chart(p: Portfolio, target: Path, overwrite: bool) -> Path:
    check_target(target, overwrite, "png", (".png",))
    return write_file(target, chart_bytes(p), overwrite=overwrite, argument="png", suffixes=(".png",))
