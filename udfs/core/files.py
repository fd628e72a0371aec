"""Reading the user's files: YAML/JSON case files and text as Windows programs save it.

Errors are Danish and name the argument the file was given in (``casefil``,
``egne_priser``).

Every file the functions read on the user's behalf goes through
:func:`user_file`: on the desktop any path works; on a server
(:func:`restrict_to_folder`) only a plain file name inside the configured case
folder — no absolute path, no ``..``, no link out of it — and a refused name
gets the same message whether or not such a file exists.

Every file read is at most ``MAX_CASE_FILE_BYTES`` (checked before reading).
Case files are checked while parsing too (see :mod:`udfs.core.limits`):
duplicate keys, nesting depth and the number of values.
"""

from __future__ import annotations

import codecs
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import SIError, excerpt
from .limits import MAX_CASE_FILE_BYTES, MAX_NESTING, MAX_NODES

CASE_SUFFIXES = (".yaml", ".yml", ".json")

#: PyYAML's safe loader on libyaml (its C parser, about seven times as fast: 0.17 s against 1.1 s for a
#: 170 kB case file) where PyYAML was built with it, else PyYAML's own; both give each node its line.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: ``None``: the user's own machine, any path.  A Path: only files inside it.
#: ``False``: no file names at all (a server without a case folder).
_FOLDER: Path | bool | None = None


def restrict_to_folder(folder: str | Path | None) -> None:
    """On a server: read files only inside ``folder``; ``None`` switches file names off."""
    global _FOLDER
    _FOLDER = Path(folder).resolve() if folder else False


def _refused(argument: str) -> SIError:
    if _FOLDER is False:
        return SIError(argument, "filnavne kan ikke bruges på serveren; indsæt casens indhold (YAML/JSON) i stedet")
    return SIError(argument, "skal være navnet på en fil i sagsmappen (uden mappe, drev eller '..')")


def user_file(value: str | Path, argument: str, suffixes: tuple[str, ...]) -> Path:
    """The file ``value`` names, checked: allowed here, right suffix, exists.

    Raises :class:`SIError` naming ``argument``.  On a server outside the case
    folder the message is the same whether or not the file exists.
    """
    try:
        p = Path(value)
        if _FOLDER is not None:
            if _FOLDER is False or p.is_absolute() or p.anchor or ".." in p.parts:
                raise _refused(argument)
            p = (_FOLDER / p).resolve()
            if not p.is_relative_to(_FOLDER):
                raise _refused(argument)  # a link out of the folder
        if p.suffix.lower() not in suffixes:
            workbook = suffixes == CASE_SUFFIXES and p.suffix.lower() in (".xlsx", ".xlsm")
            hint = f"; læs projektmappen ind i en case-fil først: sibc extract {p.name} -o {p.with_suffix('.yaml').name}" if workbook else ""
            raise SIError(argument, f"'{excerpt(p.name)}' er ikke en {_kinds(suffixes)}{hint}")
        exists = p.is_file()
    except (OSError, ValueError) as exc:
        if isinstance(exc, SIError):
            raise
        raise SIError(argument, "er ikke et gyldigt filnavn") from None
    if not exists:
        raise SIError(argument, f"filen '{excerpt(p.name)}' findes ikke")
    _check_size(p.stat().st_size, argument)
    return p


def _check_size(size: int, argument: str) -> None:
    if size > MAX_CASE_FILE_BYTES:
        raise SIError(argument, f"filen er {size:,} byte; højst {MAX_CASE_FILE_BYTES:,} byte".replace(",", "."))


def _kinds(suffixes: tuple[str, ...]) -> str:
    """``.yaml-, .yml- eller .json-fil``."""
    names = [f"{s}-" for s in suffixes]
    return (", ".join(names[:-1]) + " eller " + names[-1] if len(names) > 1 else names[0]) + "fil"


def is_content(value: object) -> bool:
    """True when a ``casefil`` argument holds the case itself (YAML/JSON text), not a file name."""
    return isinstance(value, str) and ("\n" in value.strip() or value.lstrip().startswith("{"))


def read_data(path: str | Path) -> Any:
    """The parsed YAML/JSON content of a case file (limits checked before reading)."""
    return read_checked(user_file(path, "casefil", CASE_SUFFIXES))


def read_checked(p: Path) -> Any:
    """The parsed content of a case file :func:`user_file` has allowed (never more than the size limit is read)."""
    return parse_text(read_text(p, "casefil", "YAML eller JSON"), json_format=p.suffix.lower() == ".json")


def read_text_and_data(path: str | Path, argument: str = "casefil") -> tuple[str, Any]:
    """A YAML/JSON file's text and its parsed content (limits checked before reading); the text gives
    the line of a field (:func:`field_line`)."""
    p = user_file(path, argument, CASE_SUFFIXES)
    text = read_text(p, argument, "YAML eller JSON")
    return text, parse_text(text, json_format=p.suffix.lower() == ".json")


def field_line(text: str | None, path: str) -> int | None:
    """The line (1-based) of the field at ``path`` in a YAML or JSON ``text``, as an error names it
    (``effekter[1].succesrate``, ``maaling.job.effekt``, ``scenarier.lav.effekter.job.succesrate``).

    A sourced value (``{vaerdi, kilde, antagelse}``) gives the line of its ``vaerdi``; a field that is
    not in the file (missing) gives the line of the nearest part of the path that is; ``None`` when the
    text cannot be read as YAML or the path starts outside it.
    """
    node = _composed(text) if text else None
    if node is None:
        return None
    line, rest = None, path
    while node is not None and rest:
        rest = rest.lstrip(".")
        if isinstance(node, yaml.SequenceNode):
            m = re.match(r"\[(\d+)\]", rest)
            if not m or int(m[1]) >= len(node.value):
                break
            node, rest = node.value[int(m[1])], rest[m.end():]
            line = node.start_mark.line + 1
        elif isinstance(node, yaml.MappingNode):
            keys = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)
                    and (rest == k.value or rest.startswith((k.value + ".", k.value + "[")))]
            if not keys:
                break
            key, node = max(keys, key=lambda kv: len(kv[0].value))  # the longest key: a driver's name holds dots
            rest, line = rest[len(key.value):], key.start_mark.line + 1
        else:
            break
    if not rest and isinstance(node, yaml.MappingNode):  # a sourced value: the line of its vaerdi
        line = next((k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.value == "vaerdi"), line)
    return line


@lru_cache(maxsize=4)
def _composed(text: str) -> yaml.Node | None:
    """The YAML node tree of ``text`` (with each node's line), composed once for all of a file's errors."""
    try:
        return yaml.compose(text, Loader=_SAFE_LOADER)
    except (yaml.YAMLError, RecursionError):
        return None


def located_errors(err: SIError, text: str | None, name=lambda argument: argument) -> SIError:
    """``err`` and its :attr:`~udfs.core.errors.SIError.others`, each field named by ``name`` (the path as
    the error gives it, by default) followed by its line in the file's ``text`` where the file has it
    (``betaling[2].maal (linje 58)``), ordered by line (an error without a line after those with one,
    each group in the order found)."""
    found = [(e, field_line(text, e.argument)) for e in (err, *err.others)]
    found.sort(key=lambda pair: pair[1] if pair[1] is not None else float("inf"))  # stable: ties keep their order
    errors = [SIError(name(e.argument) + (f" (linje {line})" if line else ""), e.message) for e, line in found]
    return errors[0].with_others(errors[1:], bounded=err.bounded)


def parse_text(text: str, json_format: bool | None = None) -> Any:
    """Parse case content (YAML, or JSON when ``json_format``; ``None``: JSON if it starts with '{').

    Duplicate keys, nesting deeper than ``MAX_NESTING`` and more than
    ``MAX_NODES`` values are refused with a Danish :class:`SIError`.
    """
    if len(text) > MAX_CASE_FILE_BYTES:
        raise SIError("casefil", f"indholdet er {len(text):,} tegn; højst {MAX_CASE_FILE_BYTES:,}".replace(",", "."))
    if json_format is None:
        json_format = text.lstrip().startswith("{")
    if not json_format:
        _refuse_deep_yaml(text)
    try:
        data = json.loads(text, object_pairs_hook=_json_object, parse_constant=_json_constant) if json_format else yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise SIError("casefil", f"filen kan ikke læses: {syntax_error(exc, text)}") from None
    except RecursionError:
        raise SIError("casefil", f"er indlejret for dybt (højst {MAX_NESTING} niveauer)") from None
    check_shape(data)
    return data


_OPENING = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_CLOSING = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _refuse_deep_yaml(text: str) -> None:
    """Refuse YAML nested far deeper than ``MAX_NESTING`` from its tokens, before PyYAML's parser, which
    recurses once per level, spends seconds on ``[[[[…`` before it gives up.  The scanner is a loop, so
    this stops after the first levels.  A syntax error is left to the parser, which reports it; the
    exact limit is :func:`check_shape`'s, on the parsed data (the tokens count a block mapping's
    sequence and the mapping itself as two levels, so the bound here is twice the limit)."""
    depth = 0
    try:
        for token in yaml.scan(text, Loader=_SAFE_LOADER):
            if isinstance(token, _OPENING):
                depth += 1
                if depth > 2 * MAX_NESTING:
                    raise SIError("casefil", f"er indlejret for dybt (højst {MAX_NESTING} niveauer)")
            elif isinstance(token, _CLOSING):
                depth -= 1
    except yaml.YAMLError:
        return


#: The problem reported for a quoted text that is never closed (shown where its quote opens, not at the file's end).
_UNCLOSED_QUOTE = "an unclosed quote"

#: The problem reported for a file that ends inside a list or table (libyaml does not say so itself).
_STREAM_END = "but found '<stream end>'"


#: PyYAML's and json's descriptions of a syntax error (their start) in Danish, with how to mend it.
_SYNTAX = (
    ("mapping values are not allowed", "et kolon står, hvor et nyt felt ikke kan begynde; tjek indrykningen og at tekst med kolon står i anførselstegn"),
    ("could not find expected ':'", "mangler et kolon (:) efter feltnavnet"),
    ("did not find expected key", "indrykningen passer ikke med linjerne over; ret mellemrummene foran feltet"),
    ("expected <block end>", "indrykningen passer ikke med linjerne over; ret mellemrummene foran feltet"),
    ("did not find expected '-' indicator", "indrykningen af listen passer ikke; hvert punkt begynder med '- ' under det forrige"),
    ("expected ',' or ']'", "en liste i [ ] er ikke lukket, eller der mangler et komma mellem værdierne"),
    ("expected ',' or '}'", "en tabel i { } er ikke lukket, eller der mangler et komma"),
    ("did not find expected node content", "mangler en værdi (fx efter et komma eller '- ')"),
    (_STREAM_END, "filen slutter, før en liste [ ] eller tabel { } er lukket"),
    ("expected the node content", "mangler en værdi (fx efter et komma eller '- ')"),
    ("found character '\\t'", "tabulatortegn kan ikke bruges til indrykning; brug mellemrum"),
    ("found a tab character", "tabulatortegn kan ikke bruges til indrykning; brug mellemrum"),
    ("found character", "et tegn, der ikke kan begynde en værdi; sæt teksten i anførselstegn"),
    (_UNCLOSED_QUOTE, "et anførselstegn begynder her, men lukkes aldrig; tilføj det afsluttende anførselstegn"),
    ("found unexpected end of stream", "filen slutter midt i en værdi (mangler et afsluttende anførselstegn?)"),
    ("found unknown escape character", "ukendt \\-tegn i tekst i dobbelte anførselstegn; brug enkelte anførselstegn"),
    ("found undefined alias", "en henvisning (*navn) til et anker (&navn), der ikke findes"),
    ("found duplicate anchor", "det samme anker (&navn) står to gange"),
    ("Expecting property name enclosed in double quotes", "forventer et feltnavn i dobbelte anførselstegn (eller et komma for meget)"),
    ("Expecting ',' delimiter", "mangler et komma"),
    ("Expecting ':' delimiter", "mangler et kolon efter feltnavnet"),
    ("Expecting value", "mangler en værdi"),
    ("Extra data", "der står mere efter casens afsluttende }"),
    ("Unterminated string", "en tekst mangler sit afsluttende anførselstegn"),
    ("Invalid control character", "et styretegn (fx tabulator) i en tekst"),
    ("Invalid \\escape", "ukendt \\-tegn i en tekst"),
)


def syntax_error(exc: yaml.YAMLError | json.JSONDecodeError, text: str | None = None) -> str:
    """A YAML or JSON syntax error in Danish with its line and column and how to mend it:
    ``"YAML-fejl i linje 3, kolonne 11: mangler et kolon (:) efter feltnavnet"``; ``text``, the
    file's text, tells an error at its very end (a list or table never closed)."""
    if isinstance(exc, json.JSONDecodeError):
        kind, line, column, problem = "JSON", exc.lineno, exc.colno, exc.msg
    else:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        kind, problem = "YAML", str(getattr(exc, "problem", None) or "")
        if str(getattr(exc, "context", None) or "").startswith("while scanning a quoted scalar") and exc.context_mark is not None:
            # The parser reports the end of the file; the user needs the line where the quote opens.
            mark, problem = exc.context_mark, _UNCLOSED_QUOTE
        elif text is not None and mark is not None and str(getattr(exc, "context", None) or "").startswith("while parsing a flow") \
                and getattr(mark, "index", -1) >= len(text.rstrip()):
            problem = _STREAM_END
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    danish = next((text for start, text in _SYNTAX if problem.startswith(start) or start in problem), None)
    where = f" i linje {line}, kolonne {column}" if line is not None else ""
    return f"{kind}-fejl{where}: {danish or f'filen følger ikke {kind}-reglerne her'}"


def _json_object(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise SIError("casefil", f"feltet '{excerpt(key)}' står to gange i samme tabel")
        out[key] = value
    return out


def _json_constant(name: str):
    raise SIError("casefil", f"{name} er ikke et tal, JSON tillader det ikke")


class _UniqueKeyLoader(_SAFE_LOADER):
    """PyYAML's safe loader, refusing a key given twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:
                continue  # an unhashable key; the safe loader refuses it itself
            if duplicate:
                line = key_node.start_mark.line + 1
                raise SIError("casefil", f"feltet '{excerpt(key)}' står to gange i samme tabel (linje {line})")
        for key_node, value_node in node.value:
            _refuse_thousands_points(key_node, value_node)
            _refuse_decimal_commas(key_node, value_node)
        return super().construct_mapping(node, deep=deep)


#: A plain YAML number that a Dane writes with thousands points: 1–3 digits not
#: starting with 0, then groups of exactly three digits after points ("900.000").
#: YAML reads a single group as a decimal number (900.0), so it would pass silently;
#: several groups ("3.600.000") are text and refused as "not a number" later.
#: A decimal number with a leading 0 ("0.350") or not exactly three decimals
#: ("0.35", "2.5", "1.25") stays valid.
THOUSANDS_POINTS = re.compile(r"[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+")


def _refuse_thousands_points(key_node: yaml.Node, value_node: yaml.Node) -> None:
    """Refuse a field's number (or a number in its list) written with Danish thousands points."""
    items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
    for item in items:
        if isinstance(item, yaml.ScalarNode) and not item.style and item.tag == "tag:yaml.org,2002:float" and THOUSANDS_POINTS.fullmatch(item.value):
            meant = item.value.replace(".", "")
            read = f"{float(item.value):g}".replace(".", ",")
            raise SIError(
                "casefil",
                f"linje {item.start_mark.line + 1}, feltet '{excerpt(key_node.value)}': {item.value} læses som {read} – mente du {meant}? "
                f"Skriv beløb uden tusindtalspunktum ({meant}); et decimaltal med tre decimaler skrives med et nul til sidst ({item.value}0)",
            )
        if isinstance(item, yaml.ScalarNode) and item.style in ("'", '"') and THOUSANDS_POINTS.fullmatch(item.value.strip()) \
                and item.value.count(".") == 1:  # "1.700" in quotes: Python reads 1,7, a Dane 1.700 (several points are read as Danish)
            meant, decimal = item.value.strip().replace(".", ""), f"{float(item.value):g}"
            decimal += "0" if THOUSANDS_POINTS.fullmatch(decimal) else ""  # 1.755 → 1.7550, as the rule above says
            raise SIError(
                "casefil",
                f"linje {item.start_mark.line + 1}, feltet '{excerpt(key_node.value)}': '{item.value}' i anførselstegn er tvetydig: "
                f"{meant} eller {f'{float(item.value):g}'.replace('.', ',')}? Skriv {meant} eller {decimal} uden anførselstegn",
            )


#: A comma between two values of a list in brackets with no space after it, where the value before ends in a digit and
#: the one after begins with one: "[-20,5, -25]" is three values to YAML (-20, 5, -25), and "[1.700.000,00, 5]" three too.
_DIGITS_AT_COMMA = (re.compile(r".*\d"), re.compile(r"\d.*"))


def _refuse_decimal_commas(key_node: yaml.Node, value_node: yaml.Node) -> None:
    """Refuse a list in brackets (``profil: [-20,5, -25, -15]``) where a comma with no space after it joins two
    numbers: YAML splits ``-20,5`` into -20 and 5 and the list gets a value too many, silently -- a Dane writes a decimal
    comma where the case file wants a point.  ``[1, 2, 3]`` (a space after each comma) and ``[0.5, 1]`` pass; a list
    meant as ``[1,2,3]`` is refused too, saying how to write both."""
    if not isinstance(value_node, yaml.SequenceNode) or not value_node.flow_style:
        return
    for left, right in zip(value_node.value, value_node.value[1:]):
        if isinstance(left, yaml.ScalarNode) and isinstance(right, yaml.ScalarNode) and not left.style and not right.style \
                and right.start_mark.index == left.end_mark.index + 1 \
                and _DIGITS_AT_COMMA[0].fullmatch(left.value) and _DIGITS_AT_COMMA[1].fullmatch(right.value):
            typed = f"{left.value},{right.value}"
            raise SIError(
                "casefil",
                f"linje {left.start_mark.line + 1}, feltet '{excerpt(key_node.value)}': {typed} i en liste [ ] læses som to tal, "
                f"{left.value} og {right.value}. Et decimaltal skrives med punktum og uden tusindtalspunktum "
                f"({typed.replace('.', '').replace(',', '.')}); er det to tal, så sæt mellemrum efter kommaet ({left.value}, {right.value})",
            )


class _CaseDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing a number that would read as Danish thousands points with a trailing 0."""


def _represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    node = dumper.represent_float(value)
    if THOUSANDS_POINTS.fullmatch(node.value):
        node.value += "0"  # 650.125 is written 650.1250, which reads back as the same number
    return node


_CaseDumper.add_representer(float, _represent_float)


def dump_yaml(data: Any) -> str:
    """YAML text for case data (Danish letters and field order kept) that :func:`parse_text` reads back unchanged."""
    return yaml.dump(data, Dumper=_CaseDumper, allow_unicode=True, sort_keys=False)


def check_shape(data: Any) -> None:
    """Refuse data nested deeper than ``MAX_NESTING`` or with more than ``MAX_NODES`` values.

    Iterative, so a shared YAML alias is counted each time it is used (an
    alias bomb stops at the limit instead of growing on).
    """
    stack = [(data, 1)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise SIError("casefil", f"har mere end {MAX_NODES:,} værdier".replace(",", "."))
        if isinstance(value, (dict, list)):
            if depth > MAX_NESTING:
                raise SIError("casefil", f"er indlejret for dybt (højst {MAX_NESTING} niveauer)")
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)


def read_text(path: Path, argument: str, save_as: str = "CSV eller tekst") -> str:
    """The text of a file in the encodings Windows programs save: UTF-8 (with or without BOM),
    UTF-16 with BOM (Excel's "Unicode-tekst") or else Windows-1252 (Excel's "CSV
    (semikolonsepareret)" and Notepad's "ANSI" on a Danish Windows).

    At most ``MAX_CASE_FILE_BYTES`` are read.  Raises SIError naming ``argument``
    when the file cannot be read, is larger or is not text.
    """
    try:
        with Path(path).open("rb") as fh:
            data = fh.read(MAX_CASE_FILE_BYTES + 1)
    except PermissionError:
        raise SIError(argument, f"filen '{excerpt(Path(path).name)}' kan ikke læses: ingen adgang (er den låst af et andet program?)") from None
    except OSError:
        raise SIError(argument, f"filen '{excerpt(Path(path).name)}' kan ikke læses") from None
    if len(data) > MAX_CASE_FILE_BYTES:  # never more than the limit is read, even if the file grew since it was checked
        try:
            size = max(len(data), Path(path).stat().st_size)
        except OSError:
            size = len(data)
        _check_size(size, argument)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SIError(argument, f"filen '{excerpt(Path(path).name)}' er ikke gyldig UTF-16-tekst") from None
    if b"\x00" in data:
        raise SIError(argument, f"filen '{excerpt(Path(path).name)}' er ikke en tekstfil (gem den som {save_as})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SIError(
            argument, f"filen '{excerpt(Path(path).name)}' er hverken UTF-8 eller Windows-1252 (tegn nr. {exc.start + 1})"
        ) from None
