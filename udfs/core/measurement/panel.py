"""Reading weekly benefit panels into DuckDB.

Three layouts give the same table, ``historik(pid VARCHAR, g VARCHAR)``: one
row per person, ``g`` a text with one letter per week from the panel's first
week to its last (the letter of the week's group in the code grouping, see
:mod:`.grouping`).  Measures then work on substrings of ``g``
(:mod:`.measures`), which DuckDB evaluates column-wise and, for files, streams
from disk, so the same code measures a cohort of 100 and a national register.

* **wide** (DREAM): one row per person, one column ``y_YYWW`` per week, a code
  or empty.  The week columns must be consecutive ISO weeks (53-week years
  included); other columns are ignored.
* **long**: one row per person and coded week (person, ISO week, code); weeks
  without a row are empty weeks.  Two codes in one week for one person are an
  error (DREAM holds one code per week).
* **rows** from a sheet (:func:`load_rows`): a header of week labels and one
  row of codes per person.

Files are CSV (read as text) or Parquet.  A CSV file is read as Windows programs save it
(:func:`csv_source`): UTF-8 with or without BOM, UTF-16 with BOM or Windows-1252, the separator
the header line uses (``,``, ``;`` or tab; a first line ``sep=;`` names it), any line ends; in a
``;``- or tab-separated file (Danish Excel's) numbers have decimal commas and thousands points,
read with the project's one Danish number parser (:func:`udfs.core.data.parse_danish`).  The
cohort file (:func:`load_cohort`) gives each person's start week, group and covariates.

DREAM, Beskæftigelsesministeriet's register of public transfer payments, holds
weekly information on every public transfer payment since 1991 ("Register-based
follow-up of social benefits and other transfer payments", Scand J Public Health
2007;35(5):497–502, https://pubmed.ncbi.nlm.nih.gov/17852980/).  That one code
per week is chosen by priority when several benefits are paid in a week is
taken from the project's brief, not from a public source read here.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ..data import SEPARATORS, field_count_errors, parse_danish
from ..errors import ROWS_LISTED, SIError, count, excerpt, more_rows
from .grouping import UNKNOWN, Grouping
from .weeks import column_week, iso_week, parse_week, week_label, week_number

ARMS = ("indsats", "kontrol", "historisk", "pulje")


@dataclass(frozen=True)
class Panel:
    """A panel loaded into ``con`` as table ``historik``: weeks ``first`` … ``first + n_weeks − 1`` (running numbers)."""

    con: duckdb.DuckDBPyConnection
    first: int
    n_weeks: int
    grouping: Grouping
    sparse: bool = False  # long layout: a person without rows has only empty weeks

    @property
    def last(self) -> int:
        return self.first + self.n_weeks - 1

    def span(self) -> str:
        """The panel's weeks as Danish text: '2019-W01–2021-W52'."""
        return f"{week_label(self.first)}–{week_label(self.last)}"


def connect(progress: bool = False, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection; ``progress`` shows DuckDB's progress bar on long queries.

    ``memory_limit`` (e.g. ``"3GB"``) makes DuckDB spill to a temporary
    directory instead of using more memory.
    """
    con = duckdb.connect(":memory:")
    con.execute(f"SET enable_progress_bar = {'true' if progress else 'false'}")
    if memory_limit:
        if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB)", memory_limit.strip(), re.IGNORECASE):
            raise SIError("hukommelse", f"'{excerpt(memory_limit)}' er ikke en størrelse; skriv fx 3GB eller 500MB")
        con.execute(f"SET memory_limit = '{memory_limit}'")
    return con


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def define_letters(con: duckdb.DuckDBPyConnection, grouping: Grouping) -> None:
    """Create the SQL macro ``gruppebogstav(code)``: the group letter of a code (NULL or '' = empty week).

    The listed codes are looked up in a constant MAP (about twice as fast as a
    CASE with IN lists over hundreds of week columns); an unlisted code gets
    the "(øvrige)" group's letter, or '?' when the grouping has none.
    """
    empty = next((g.letter for g in grouping.groups if g.empty), UNKNOWN)
    others = next((g.letter for g in grouping.groups if g.others), UNKNOWN)
    pairs = ", ".join(f"{_sql_text(c)}: '{g.letter}'" for g in grouping.groups for c in g.codes)
    listed = f"coalesce(MAP {{{pairs}}}[x], '{others}')" if pairs else f"'{others}'"
    con.execute(f"CREATE OR REPLACE MACRO gruppebogstav(x) AS CASE WHEN x IS NULL OR x = '' THEN '{empty}' ELSE {listed} END")


def letter_sql(code: str) -> str:
    """SQL giving the group letter of the text expression ``code`` (needs :func:`define_letters` on the connection)."""
    return f"gruppebogstav({code})"


@dataclass(frozen=True)
class Source:
    """A file as DuckDB reads it: ``sql`` its table function, ``danish`` whether numbers are written the Danish
    way (a ``;``- or tab-separated CSV file), ``name`` the file's name and ``first_row`` the file row of the
    first data row (2 after the header; 3 after a ``sep=`` line), for messages naming a row."""

    sql: str
    danish: bool = False
    name: str = ""
    first_row: int = 2


CHUNK = 1 << 20
WINDOWS_ONLY = re.compile(rb"[\x80-\x9f]")  # where Windows-1252 and Latin-1 differ


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in _chunks(path):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


@contextlib.contextmanager
def csv_source(path: Path, argument: str) -> Iterator[Source]:
    """A CSV file as Windows programs save it, for DuckDB (see the module docstring), streamed, never read whole.

    The encoding: UTF-16 with a BOM, else UTF-8 (with or without BOM) when every byte decodes, else
    Windows-1252 — read as Latin-1 when no byte lies in 0x80–0x9F (where the two agree), else
    re-encoded to a temporary UTF-8 copy, removed afterwards.  SIError naming ``argument`` for a file that
    is neither.
    """
    with path.open("rb") as fh:
        head = fh.read(CHUNK)
    encoding, read = "utf-8", path
    with contextlib.ExitStack() as stack:
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding, text = "utf-16", head.decode("utf-16", errors="ignore")
        elif _is_utf8(path):
            text = head.decode("utf-8-sig", errors="ignore")
        else:
            text = head.decode("cp1252", errors="replace")
            if not any(WINDOWS_ONLY.search(chunk) for chunk in _chunks(path)):
                encoding = "latin-1"
            else:
                folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="sibc_csv_"))
                read = Path(folder) / "utf8.csv"
                decoder = codecs.getincrementaldecoder("cp1252")()
                try:
                    with read.open("wb") as out:
                        for chunk in _chunks(path):
                            out.write(decoder.decode(chunk).encode("utf-8"))
                        out.write(decoder.decode(b"", final=True).encode("utf-8"))
                except UnicodeDecodeError:
                    raise SIError(argument, f"filen '{excerpt(path.name)}' er hverken UTF-8 eller Windows-1252") from None
        lines = [line for line in text.splitlines() if line.strip()]
        header = lines[0] if lines else ""
        declared = re.fullmatch(r'"?sep=(.)"?[,;\t]*', header.strip(), re.I)
        if declared:
            header = lines[1] if len(lines) > 1 else ""
        separator = declared.group(1) if declared else max(SEPARATORS, key=header.count)
        options = f"all_varchar = true, header = true, delim = {_sql_text(separator)}, encoding = '{encoding}'"
        options += ", skip = 1" if declared else ""
        try:
            yield Source(f"read_csv({_sql_text(str(read))}, {options})", separator != ",", path.name, 3 if declared else 2)
        except duckdb.Error:  # DuckDB's own words are English: say in Danish which rows are at fault, when some are
            errors = row_errors(read, "utf-8-sig" if encoding == "utf-8" else encoding, separator, bool(declared),
                                f"filen {excerpt(path.name)}")
            if not errors:
                raise
            raise errors[0].with_others(errors[1:], bounded=True) from None


def row_error(path: Path, encoding: str, separator: str, declared: bool) -> str | None:
    """The first row of a CSV file whose fields do not match the header's (:func:`udfs.core.data.field_count_error`),
    the file read as a stream; the rows numbered as a spreadsheet shows them."""
    return next(_field_count_errors(path, encoding, separator, declared), None)


def _field_count_errors(path: Path, encoding: str, separator: str, declared: bool) -> Iterator[str]:
    import csv

    with path.open(encoding=encoding, newline="") as fh:
        records = csv.reader(fh, delimiter=separator)
        if declared:
            next(records, None)
        # DuckDB wants as many fields in every row as in the header, empty ones too
        yield from field_count_errors(records, 2 if declared else 1, empty_extra=False)


def row_errors(path: Path, encoding: str, separator: str, declared: bool, where: str) -> list[SIError]:
    """Every row of a CSV file whose fields do not match the header's, as errors naming ``where`` (the file): the
    first :data:`~udfs.core.errors.ROWS_LISTED`, then one counting the rest; the file read as a stream, the rows
    beyond those listed only counted (bounded memory on a huge file)."""
    listed: list[SIError] = []
    total = 0
    for wrong in _field_count_errors(path, encoding, separator, declared):
        total += 1
        if total <= ROWS_LISTED:
            listed.append(SIError(where, f"{wrong} (skilletegn '{separator}')"))
    return listed + more_rows(where, len(listed), total)


@contextlib.contextmanager
def file_source(path: str | Path, argument: str) -> Iterator[Source]:
    """DuckDB's table function for a CSV (all columns as text, :func:`csv_source`) or Parquet file; SIError when
    missing or of another kind."""
    p = Path(path)
    if not p.exists():
        raise SIError(argument, f"filen '{excerpt(str(path))}' findes ikke")
    suffix = p.suffix.lower()
    if suffix not in (".parquet", ".csv", ".txt"):
        raise SIError(argument, f"'{excerpt(p.name)}' skal være en .csv- eller .parquet-fil")
    from ..data import EMPTY_FILE, is_empty_text_file  # the one message for an empty CSV file, as for unit prices

    if suffix != ".parquet" and is_empty_text_file(p):  # DuckDB reads no columns, and the person column is not "missing"
        raise SIError(argument, EMPTY_FILE.format(rows="personer"))
    try:
        if suffix == ".parquet":
            yield Source(f"read_parquet({_sql_text(str(p))})", name=p.name)
        else:
            with csv_source(p, argument) as source:
                yield source
    except duckdb.OutOfMemoryException:
        raise
    except duckdb.Error:  # no row to name (csv_source names one where it can): the file in Danish, not DuckDB's English
        kind = "Parquet-fil" if suffix == ".parquet" else "CSV-fil (fx uens anførselstegn eller tegnsæt)"
        raise SIError(f"filen {excerpt(p.name)}", f"kan ikke læses som {kind}") from None


PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def number_value(text: str, danish: bool) -> float | None:
    """A number cell's text as a float, None when it is not a number: in a Danish file (``danish``) the Danish
    form first (``34,0``, ``1.234,5``; :func:`udfs.core.data.parse_danish`), then, as everywhere, the plain
    form with a point (``34.5``)."""
    t = text.strip()
    if danish:
        number = parse_danish(t)
        if number is not None:
            return float(number)
    return float(t) if PLAIN_NUMBER.fullmatch(t) else None


def columns(con: duckdb.DuckDBPyConnection, source: str) -> dict[str, str]:
    """Column name → DuckDB type of a source."""
    return {row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}


def required_columns(con: duckdb.DuckDBPyConnection, source: str, needed: list[tuple[str, str]], argument: str,
                     file: Source | None = None) -> dict[str, str]:
    """:func:`columns` of ``source``, refusing it when a (column, role) of ``needed`` is missing (every one at once),
    named by the file (``filen kohorte.csv``) when ``file`` has a name, else by ``argument``."""
    kinds = columns(con, source)
    where = f"filen {excerpt(file.name)}" if file is not None and file.name else argument
    missing = [SIError(where, f"har ingen kolonne '{excerpt(name)}' ({role}kolonnen)") for name, role in needed if name not in kinds]
    if missing:
        raise missing[0].with_others(missing[1:])
    return kinds


def text_sql(name: str, kind: str, trim: bool = True) -> str:
    """A column as text (trimmed unless ``trim`` is False); whole numbers stored as floats (890.0) become '890'."""
    col = _ident(name)
    if kind in ("FLOAT", "DOUBLE") or kind.startswith("DECIMAL"):
        return f"CAST(CAST({col} AS BIGINT) AS VARCHAR)"
    if kind == "VARCHAR":
        return f"trim({col})" if trim else col
    return f"CAST({col} AS VARCHAR)"


def week_columns(names: Sequence[str], argument: str) -> list[tuple[int, str]]:
    """(running week, column) of every y_YYWW column, in week order; SIError for a gap or a duplicate."""
    found = sorted((column_week(n), n) for n in names if column_week(n) is not None)
    if not found:
        raise SIError(argument, "har ingen ugekolonner y_YYWW (fx y_2053 for 2020-W53)")
    for (w0, n0), (w1, n1) in zip(found, found[1:]):
        if w1 == w0:
            raise SIError(argument, f"kolonnerne {n0} og {n1} er samme uge")
        if w1 != w0 + 1:
            raise SIError(argument, f"mangler uge {week_label(w0 + 1)} mellem {n0} og {n1}")
    return found  # type: ignore[return-value]


def check_letters(panel: Panel, argument: str) -> Panel:
    """SIError when some week has a code no group lists (a grouping without '(øvrige)')."""
    bad = panel.con.execute(f"SELECT count(*) FROM historik WHERE strpos(g, '{UNKNOWN}') > 0").fetchall()[0][0]
    if bad:
        raise SIError(argument, f"{bad} personer har uger med en kode, som ingen gruppe i kodegrupperingen har (tilføj koden eller en gruppe med (øvrige))")
    return panel


def load_wide(con: duckdb.DuckDBPyConnection, source: str, person: str, grouping: Grouping, argument: str = "panel",
              file: Source | None = None) -> Panel:
    """Load a wide panel (``source`` is a DuckDB table function or table name) as ``historik``.

    ``file``: the file ``source`` reads (:class:`Source`); its faults — a row without a person id, a person in an
    earlier row too, a week whose code no group lists — are then named by row and column, every kind at once
    (:func:`wide_row_errors`); without it they are counted (:func:`check_unique_persons`, :func:`check_letters`)."""
    kinds = required_columns(con, source, [(person, "person")], argument, file)
    weeks = week_columns(list(kinds), argument)
    define_letters(con, grouping)
    trim = not source.startswith("read_parquet(")  # CSV cells may carry spaces; Parquet texts are taken as stored
    texts = [text_sql(name, kinds[name], trim) for _, name in weeks]
    letters = ", ".join(letter_sql(t) for t in texts)
    con.execute(f"CREATE OR REPLACE TABLE historik AS SELECT CAST({_ident(person)} AS VARCHAR) AS pid, concat({letters}) AS g FROM {source}")
    panel = Panel(con, weeks[0][0], len(weeks), grouping)
    if file is not None and file.name:
        errors = wide_row_errors(con, source, person, [name for _, name in weeks], texts, letters, file, argument)
        if errors:
            raise errors[0].with_others(errors[1:], bounded=True)
    check_unique_persons(con, argument)
    return check_letters(panel, argument)


def wide_row_errors(con: duckdb.DuckDBPyConnection, source: str, person: str, names: list[str], texts: list[str],
                    letters: str, file: Source, argument: str) -> list[SIError]:
    """The row faults of a wide panel file whose table ``historik`` is loaded (:func:`faulty_rows`, for each kind the
    first rows and a count of the rest): a row without a person id, a person in an earlier row too, the first week
    of a row whose code no group of the code grouping lists.  The file is read again only when ``historik`` shows
    a fault."""
    missing, dup, unknown = con.execute(
        f"SELECT count(*) FILTER (WHERE pid IS NULL), count(pid) - count(DISTINCT pid), "
        f"count(*) FILTER (WHERE strpos(g, '{UNKNOWN}') > 0) FROM historik").fetchall()[0]
    if not (missing or dup or unknown):
        return []
    weeks = "[" + ", ".join(map(_sql_text, names)) + "]"
    con.execute(f"CREATE OR REPLACE TEMP VIEW panelkilde AS SELECT row_number() OVER () AS __raekke, "
                f"CAST({_ident(person)} AS VARCHAR) AS pid, concat({letters}) AS g, list_value({', '.join(texts)}) AS koder "
                f"FROM {source}")
    errors = faulty_rows(con, "pid IS NULL", "NULL", file, person, argument, lambda v: "mangler person-id", "panelkilde")
    errors += faulty_rows(con, "__raekke IN (SELECT __raekke FROM (SELECT __raekke, row_number() OVER (PARTITION BY pid "
                               "ORDER BY __raekke) AS n FROM panelkilde WHERE pid IS NOT NULL) WHERE n > 1)", "pid",
                          file, person, argument, lambda v: f"'{excerpt(str(v))}' står også i en række før", "panelkilde")
    if unknown:  # the column differs by row: the week column and its code are the value
        bad = f"strpos(g, '{UNKNOWN}')"
        found = con.execute(f"SELECT __raekke, {weeks}[{bad}], koder[{bad}] FROM panelkilde WHERE {bad} > 0 "
                            f"ORDER BY __raekke LIMIT {ROWS_LISTED}").fetchall()
        errors += [SIError(file_cell(file, int(row), column, argument),
                           f"koden '{excerpt(str(code))}' står i ingen gruppe i kodegrupperingen "
                           "(tilføj koden eller en gruppe med (øvrige))") for row, column, code in found]
        errors += more_rows(f"filen {excerpt(file.name)}, ugekolonnerne", len(found), unknown)
    con.execute("DROP VIEW panelkilde")
    return errors


def check_unique_persons(con: duckdb.DuckDBPyConnection, argument: str) -> None:
    dup = con.execute("SELECT count(*) - count(DISTINCT pid), count(*) FILTER (WHERE pid IS NULL) FROM historik").fetchall()[0]
    if dup[1]:
        raise SIError(argument, f"{dup[1]} rækker mangler person-id")
    if dup[0]:
        raise SIError(argument, f"{dup[0]} personer står i mere end én række")


def week_table(con: duckdb.DuckDBPyConnection, first_year: int = 1985, last_year: int = 2100) -> None:
    """Table ``ugetekst(tekst, nr)``: every ISO week's accepted spellings (2020-W53, 2020W53, 2020-W5, 202053) → running number.

    The weeks come from :func:`udfs.core.measurement.weeks.week_number`, so SQL
    and Python read a week the same way.
    """
    rows = []
    start, end = week_number(first_year, 1), week_number(last_year, 52)
    for nr in range(start, end + 1):
        y, w = iso_week(nr)
        for text in (f"{y}-W{w:02d}", f"{y}W{w:02d}", f"{y}-W{w}", f"{y}{w:02d}"):
            rows.append((text, nr))
    frame = pd.DataFrame(rows, columns=["tekst", "nr"]).drop_duplicates("tekst")
    con.register("ugetekst_df", frame)
    con.execute("CREATE OR REPLACE TABLE ugetekst AS SELECT * FROM ugetekst_df")
    con.unregister("ugetekst_df")


def first_bad_week(con: duckdb.DuckDBPyConnection, query: str) -> str | None:
    """The first text of ``query``'s column ``tekst`` that is not a week, or None."""
    rows = con.execute(f"SELECT t FROM ({query}) q(t) ANTI JOIN ugetekst u ON upper(q.t) = u.tekst LIMIT 1").fetchall()
    return str(rows[0][0]) if rows else None


def check_weeks(con: duckdb.DuckDBPyConnection, query: str, argument: str, where: str = "") -> None:
    """Refuse ``query``'s texts when one is not an ISO week (``where`` says in which column)."""
    bad = first_bad_week(con, query)
    if bad is not None:
        raise SIError(argument, f"'{excerpt(bad)}'{where} er ikke en ISO-uge (fx 2020-W53 eller 202053)")


def load_long(con: duckdb.DuckDBPyConnection, source: str, person: str, week: str, code: str, grouping: Grouping,
              argument: str = "panel", period: tuple[Any, Any] | None = None, file: Source | None = None) -> Panel:
    """Load a long panel (person, ISO week, code) as ``historik``; empty weeks are weeks without a row.

    ``period`` (first and last ISO week observed) sets the panel's weeks;
    without it they run from the first to the last coded week in the file.
    A person of the cohort without any row is self-supported throughout (see
    :func:`load_cohort_source`).  ``file``: the file ``source`` reads; a week that is no ISO week is then named by
    its rows and column (:func:`faulty_rows`), else by its text.
    """
    kinds = required_columns(con, source, [(person, "person"), (week, "uge"), (code, "kode")], argument, file)
    week_table(con)
    wk = text_sql(week, kinds[week])
    if file is not None and file.name and first_bad_week(con, f"SELECT DISTINCT {wk} FROM {source}") is not None:
        con.execute(f"CREATE OR REPLACE TEMP VIEW langkilde AS SELECT row_number() OVER () AS __raekke, {wk} AS t FROM {source}")
        errors = faulty_rows(con, "t IS NULL OR upper(t) NOT IN (SELECT tekst FROM ugetekst)", "t", file, week, argument,
                             lambda v: f"'{excerpt(v or '')}' er ikke en ISO-uge (fx 2020-W53 eller 202053)", "langkilde")
        con.execute("DROP VIEW langkilde")
        raise errors[0].with_others(errors[1:], bounded=True)
    check_weeks(con, f"SELECT DISTINCT {wk} FROM {source}", argument, f" i kolonnen {week}")
    define_letters(con, grouping)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE obs AS SELECT CAST({_ident(person)} AS VARCHAR) AS pid, u.nr AS w, "
        f"{letter_sql(text_sql(code, kinds[code]))} AS l FROM {source} s JOIN ugetekst u ON upper({wk}) = u.tekst"
    )
    dup = con.execute("SELECT pid, w FROM obs GROUP BY pid, w HAVING count(*) > 1 LIMIT 1").fetchall()
    if dup:
        raise SIError(argument, f"en person har to koder i uge {week_label(dup[0][1])}; DREAM har én kode pr. uge")
    first, last = con.execute("SELECT min(w), max(w) FROM obs").fetchall()[0]
    if period is not None:
        lo, hi = parse_week(f"{argument}.foerste_uge", period[0]), parse_week(f"{argument}.sidste_uge", period[1])
        if hi < lo:
            raise SIError(f"{argument}.sidste_uge", "ligger før foerste_uge")
        if first is not None and (first < lo or last > hi):
            raise SIError(argument, f"har koder fra {week_label(first)} til {week_label(last)}, uden for perioden {week_label(lo)}–{week_label(hi)}")
        first, last = lo, hi
    if first is None:
        raise SIError(argument, "har ingen rækker")
    empty = next((g.letter for g in grouping.groups if g.empty), UNKNOWN)
    con.execute(
        f"CREATE OR REPLACE TABLE historik AS SELECT p.pid, string_agg(coalesce(o.l, '{empty}'), '' ORDER BY r.w) AS g "
        f"FROM (SELECT DISTINCT pid FROM obs) p CROSS JOIN range({first}, {last + 1}) r(w) "
        f"LEFT JOIN obs o ON o.pid = p.pid AND o.w = r.w GROUP BY p.pid"
    )
    con.execute("DROP TABLE obs")
    return check_letters(Panel(con, first, last - first + 1, grouping, sparse=True), argument)


def load_panel_file(con: duckdb.DuckDBPyConnection, path: str | Path, layout: str, person: str, grouping: Grouping,
                    week: str = "uge", code: str = "kode", argument: str = "panel",
                    period: tuple[Any, Any] | None = None) -> Panel:
    """Load a CSV or Parquet panel file, wide (``layout='bred'``) or long (``'lang'``, optionally with its ``period``)."""
    with file_source(path, f"{argument}.fil") as source:
        if layout == "bred":
            return load_wide(con, source.sql, person, grouping, argument, source)
        return load_long(con, source.sql, person, week, code, grouping, argument, period, source)


def load_rows(con: duckdb.DuckDBPyConnection, weeks: Sequence[Any], rows: Sequence[Sequence[Any]], grouping: Grouping,
              argument: str = "koder", weeks_argument: str = "uger") -> Panel:
    """Load a small panel from a sheet: ``weeks`` labels each column (2020-W53, 202053 or y_2053), ``rows`` holds codes.

    Persons are numbered by row (1, 2, …), so results come back in row order.
    Codes may be numbers (890.0 from Excel is '890') or texts; None or '' is an
    empty week.  The columns must be consecutive weeks.
    """
    numbers = [parse_week(f"{weeks_argument}[{i + 1}]", w) for i, w in enumerate(weeks)]
    for i in range(1, len(numbers)):
        if numbers[i] != numbers[i - 1] + 1:
            raise SIError(f"{weeks_argument}[{i + 1}]", f"er {week_label(numbers[i])}, men skal være ugen efter {week_label(numbers[i - 1])}")
    names = [f"y_{i}" for i in range(len(numbers))]
    data: dict[str, list[Any]] = {"pid": [str(r + 1) for r in range(len(rows))]}
    for j, name in enumerate(names):
        data[name] = [code_text(f"{argument}[{r + 1},{j + 1}]", row[j]) for r, row in enumerate(rows)]
    frame = pd.DataFrame(data, dtype=object)
    con.register("ark_df", frame)
    define_letters(con, grouping)
    letters = ", ".join(letter_sql(_ident(n)) for n in names)
    con.execute(f"CREATE OR REPLACE TABLE historik AS SELECT CAST(pid AS VARCHAR) AS pid, concat({letters}) AS g FROM ark_df")
    con.unregister("ark_df")
    return check_letters(Panel(con, numbers[0], len(numbers), grouping), argument)


def code_text(argument: str, value: Any) -> str | None:
    """A code from a cell as text: 890.0 → '890', '' / None → None (empty week); SIError for other numbers."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, bool):
        raise SIError(argument, "skal være en ydelseskode eller tom, ikke SAND/FALSK")
    if isinstance(value, (int, float)):
        if value != value or int(value) != value:
            raise SIError(argument, f"'{value}' er ikke en ydelseskode (hele tal eller tekst)")
        return str(int(value))
    return str(value).strip()


def file_cell(file: Source, row: int, column: str, argument: str) -> str:
    """Where a value of a data file is, as a spreadsheet shows it: ``filen kohorte.csv, række 5, kolonne gruppe``
    (``row`` the data row, 1 = the first; the header is row 1, and a ``sep=`` line before it counts); ``argument``
    with the column (``kohorte.gruppe``) for a table that is no file."""
    if not file.name:
        return f"{argument}.{column}"
    return f"filen {excerpt(file.name)}, række {row + file.first_row - 1}, kolonne {excerpt(column)}"


def first_row(con: duckdb.DuckDBPyConnection, condition: str, value: str = "NULL") -> tuple[int, Any] | None:
    """The first data row (1-based) of table ``kilde`` meeting ``condition``, and ``value`` there; None if none does."""
    rows = con.execute(f"SELECT __raekke, {value} FROM kilde WHERE {condition} ORDER BY __raekke LIMIT 1").fetchall()
    return (int(rows[0][0]), rows[0][1]) if rows else None


def column_place(file: Source, column: str, argument: str) -> str:
    """A column of a data file, for the line counting its further faulty rows: ``filen kohorte.csv, kolonne start``."""
    return f"filen {excerpt(file.name)}, kolonne {excerpt(column)}" if file.name else f"{argument}.{column}"


def faulty_rows(con: duckdb.DuckDBPyConnection, condition: str, value: str, file: Source, column: str, argument: str,
                message: Callable[[Any], str], source: str = "kilde") -> list[SIError]:
    """An error for each of the first :data:`~udfs.core.errors.ROWS_LISTED` rows of table ``source`` (with its row
    numbers ``__raekke``) meeting ``condition``, naming the row and ``column`` (:func:`file_cell`) and saying
    ``message(value there)``, then one counting the rest (:func:`~udfs.core.errors.more_rows`); [] when none does.
    Two queries whatever the file's size: the first rows (a top-N) and a count."""
    found = con.execute(f"SELECT __raekke, {value} FROM {source} WHERE {condition} ORDER BY __raekke LIMIT {ROWS_LISTED}").fetchall()
    if not found:
        return []
    total = con.execute(f"SELECT count(*) FROM {source} WHERE {condition}").fetchall()[0][0] if len(found) == ROWS_LISTED else len(found)
    errors = [SIError(file_cell(file, int(row), column, argument), message(v)) for row, v in found]
    return errors + more_rows(column_place(file, column, argument), len(errors), total)


def load_cohort(panel: Panel | None, path: str | Path, person: str, start: str, group: str,
                covariates: Sequence[str], argument: str = "kohorte", con: duckdb.DuckDBPyConnection | None = None) -> None:
    """Load the cohort file (CSV or Parquet) as table ``kohorte`` (see :func:`load_cohort_source`); ``panel`` None
    (the panel could not be read): only the cohort file's own errors are looked for, on ``con``."""
    with file_source(path, f"{argument}.fil") as source:
        load_cohort_source(panel, source.sql, person, start, group, covariates, argument, source, con)


def load_cohort_source(panel: Panel | None, source: str, person: str, start: str, group: str,
                       covariates: Sequence[str], argument: str = "kohorte", file: Source | None = None,
                       con: duckdb.DuckDBPyConnection | None = None) -> None:
    """Load a cohort (a DuckDB table function or a registered table) as ``kohorte(pid, start, arm, c0, c1, …)``.

    ``file`` tells how the file writes numbers and its name (:class:`Source`; default: a point, no name).
    Every fault at once (an SIError carrying the others): for each kind of fault the first
    :data:`~udfs.core.errors.ROWS_LISTED` rows, each naming the file, the row (as a spreadsheet shows it) and the
    column (:func:`file_cell`: ``filen kohorte.csv, række 5, kolonne gruppe``), then a line counting the rest — a
    start that is no ISO week, a group other than indsats / kontrol / historisk / pulje, a covariate that is not a
    number ("ikke et tal: '34,x'") or is empty ("mangler et tal"), a person twice; or naming the cohort: a person
    missing from a wide panel (in a long panel such a person had no coded week: self-supported throughout).
    ``panel`` None: the file's own faults only, on ``con``.
    """
    con = panel.con if panel is not None else con
    assert con is not None
    file = file or Source(source)
    needed = [(person, "person"), (start, "start"), (group, "gruppe")] + [(c, "kovariat") for c in covariates]
    kinds = required_columns(con, source, needed, argument, file)
    con.execute(f"CREATE OR REPLACE TEMP TABLE kilde AS SELECT *, row_number() OVER () AS __raekke FROM {source}")
    source = "kilde"
    week_table(con)
    st = text_sql(start, kinds[start])
    errors = faulty_rows(con, f"upper({st}) NOT IN (SELECT tekst FROM ugetekst) OR {st} IS NULL", st, file, start, argument,
                         lambda v: f"'{excerpt(v or '')}' er ikke en ISO-uge (fx 2020-W53 eller 202053)")
    arm = f"lower(trim({text_sql(group, kinds[group])}))"
    errors += faulty_rows(con, f"{arm} IS NULL OR {arm} NOT IN ({', '.join(map(_sql_text, ARMS))})", arm, file, group, argument,
                          lambda v: f"'{excerpt(str(v or ''))}' er ikke en af: {', '.join(ARMS)}")
    covs, joins = "", ""
    for i, c in enumerate(covariates):
        if kinds[c] == "VARCHAR":  # numbers written as text: read with the file's number form, each text once
            errors += numbers_table(con, c, f"tal{i}", file, argument)
            covs += f", tal{i}.v AS c{i}"
            joins += f" LEFT JOIN tal{i} ON tal{i}.t = trim(s.{_ident(c)})"
        else:
            covs += f", CAST(s.{_ident(c)} AS DOUBLE) AS c{i}"
        empty = f"{_ident(c)} IS NULL OR " + (f"trim({_ident(c)}) = ''" if kinds[c] == "VARCHAR" else f"isnan(CAST({_ident(c)} AS DOUBLE))")
        errors += faulty_rows(con, empty, "NULL", file, c, argument, lambda v: "mangler et tal")
    pid = f"CAST({_ident(person)} AS VARCHAR)"
    errors += faulty_rows(con, f"__raekke IN (SELECT __raekke FROM (SELECT __raekke, row_number() OVER (PARTITION BY {pid} "
                               "ORDER BY __raekke) AS n FROM kilde) WHERE n > 1)", pid, file, person, argument,
                          lambda v: f"'{excerpt(str(v))}' står også i en række før")
    if errors:
        raise errors[0].with_others(errors[1:], bounded=True)
    if panel is None:
        return
    con.execute(
        f"CREATE OR REPLACE TABLE kohorte AS SELECT CAST(s.{_ident(person)} AS VARCHAR) AS pid, u.nr AS start, "
        f"lower(trim({text_sql(group, kinds[group])})) AS arm{covs} FROM {source} s JOIN ugetekst u ON upper({st}) = u.tekst{joins}"
    )
    con.execute("DROP TABLE kilde")
    absent = con.execute("SELECT count(*) FROM kohorte k ANTI JOIN historik h USING (pid)").fetchall()[0][0]
    if absent and panel.sparse:
        empty = next((g.letter for g in panel.grouping.groups if g.empty), UNKNOWN)
        con.execute(f"INSERT INTO historik SELECT pid, repeat('{empty}', {panel.n_weeks}) FROM kohorte ANTI JOIN historik USING (pid)")
        check_letters(panel, argument)
    elif absent:
        raise SIError(argument, f"{absent} personer i kohorten findes ikke i panelet")


def numbers_table(con: duckdb.DuckDBPyConnection, column: str, table: str, file: Source, argument: str) -> list[SIError]:
    """Table ``table(t, v)``: each distinct non-empty text of ``column`` in table ``kilde`` and its number
    (:func:`number_value`); the errors naming the cells whose text is not a number (:func:`faulty_rows`)."""
    col = _ident(column)
    texts = [r[0] for r in con.execute(f"SELECT DISTINCT trim({col}) FROM kilde WHERE trim({col}) <> ''").fetchall()]
    frame = pd.DataFrame({"t": pd.Series(texts, dtype=object),
                          "v": pd.Series([number_value(t, file.danish) for t in texts], dtype="float64")})
    con.register("tal_df", frame)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT CAST(t AS VARCHAR) AS t, CAST(v AS DOUBLE) AS v FROM tal_df")
    con.unregister("tal_df")
    bad = f"trim({col}) IN (SELECT t FROM {table} WHERE v IS NULL OR isnan(v))"
    return faulty_rows(con, bad, f"trim({col})", file, column, argument, lambda v: f"ikke et tal: '{excerpt(str(v))}'")


def cohort_from_starts(con: duckdb.DuckDBPyConnection, starts: Sequence[Any], argument: str = "start") -> None:
    """Table ``kohorte`` for a sheet panel: person i (row i) starts in ``starts[i]``, all in the intervention group."""
    nrs = [parse_week(f"{argument}[{i + 1}]", s) for i, s in enumerate(starts)]
    frame = pd.DataFrame({"pid": [str(i + 1) for i in range(len(nrs))], "start": nrs, "arm": "indsats"})
    con.register("start_df", frame)
    con.execute("CREATE OR REPLACE TABLE kohorte AS SELECT CAST(pid AS VARCHAR) AS pid, CAST(start AS BIGINT) AS start, arm FROM start_df")
    con.unregister("start_df")

