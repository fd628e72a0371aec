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
from pathlib import Path
from typing import Any

import yaml

from .errors import SIError, excerpt
from .limits import MAX_CASE_FILE_BYTES, MAX_NESTING, MAX_NODES

CASE_SUFFIXES = (".yaml", ".yml", ".json")

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
            raise SIError(argument, f"'{excerpt(p.name)}' er ikke en {_kinds(suffixes)}")
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


def parse_text(text: str, json_format: bool | None = None) -> Any:
    """Parse case content (YAML, or JSON when ``json_format``; ``None``: JSON if it starts with '{').

    Duplicate keys, nesting deeper than ``MAX_NESTING`` and more than
    ``MAX_NODES`` values are refused with a Danish :class:`SIError`.
    """
    if len(text) > MAX_CASE_FILE_BYTES:
        raise SIError("casefil", f"indholdet er {len(text):,} tegn; højst {MAX_CASE_FILE_BYTES:,}".replace(",", "."))
    if json_format is None:
        json_format = text.lstrip().startswith("{")
    try:
        data = json.loads(text, object_pairs_hook=_json_object, parse_constant=_json_constant) if json_format else yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise SIError("casefil", f"filen kan ikke læses: {syntax_error(exc)}") from None
    except RecursionError:
        raise SIError("casefil", f"er indlejret for dybt (højst {MAX_NESTING} niveauer)") from None
    check_shape(data)
    return data


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
    ("but found '<stream end>'", "filen slutter, før en liste [ ] eller tabel { } er lukket"),
    ("expected the node content", "mangler en værdi (fx efter et komma eller '- ')"),
    ("found character '\\t'", "tabulatortegn kan ikke bruges til indrykning; brug mellemrum"),
    ("found character", "et tegn, der ikke kan begynde en værdi; sæt teksten i anførselstegn"),
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


def syntax_error(exc: yaml.YAMLError | json.JSONDecodeError) -> str:
    """A YAML or JSON syntax error in Danish with its line and column and how to mend it:
    ``"YAML-fejl i linje 3, kolonne 11: mangler et kolon (:) efter feltnavnet"``."""
    if isinstance(exc, json.JSONDecodeError):
        kind, line, column, problem = "JSON", exc.lineno, exc.colno, exc.msg
    else:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        kind, problem = "YAML", str(getattr(exc, "problem", None) or "")
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


class _UniqueKeyLoader(yaml.SafeLoader):
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
        return super().construct_mapping(node, deep=deep)


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
