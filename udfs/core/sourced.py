"""A sourced value: any number (or series, or text) of a case file with where it comes from.

Anywhere a case file gives a value it may give it plainly (``succesrate: 0.35``)
or as a sourced value::

    succesrate:
      vaerdi: 0.35
      kilde: "VIVE 2023, tabel 4.2"          # where the number is published
      antagelse: "Samme rate for alle hold"  # or the assumption behind it

This module is the one definition of that form.  :func:`split` takes the
sources out of the raw data before validation, leaving plain values and a
mapping *path → note* (paths as in error messages: ``effekter[0].succesrate``,
``maaling.job.faktor``); the case keeps the notes in ``kilder``.  :func:`join`
puts them back beside the values when the case is written as YAML, and
:func:`schema` lets the JSON Schema accept either form at every field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import SIError

VALUE = "vaerdi"
KEYS = frozenset({VALUE, "kilde", "antagelse"})
SCHEMA_NAME = "Kildevaerdi"


class Note(BaseModel):
    """Where a value comes from: a published source, an assumption, or both (Danish text)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    kilde: str | None = Field(None, description="Hvor tallet er offentliggjort (udgiver, dokument, side/tabel)")
    antagelse: str | None = Field(None, description="Antagelsen bag tallet, eller hvordan det er afledt")

    @model_validator(mode="after")
    def _something(self) -> Note:
        if not (self.kilde or self.antagelse):
            raise SIError("kilde", "angiv en kilde eller en antagelse ved værdien")
        return self

    def text(self) -> str:
        """The note as one text (``Kilde: …`` / ``Antagelse: …`` lines), as the workbook shows it."""
        return "\n".join(f"{label}: {v}" for label, v in (("Kilde", self.kilde), ("Antagelse", self.antagelse)) if v)

    @classmethod
    def from_text(cls, text: str) -> Note | None:
        """The note of :meth:`text` read back; None for a text that is not one (e.g. another comment)."""
        parts: dict[str, list[str]] = {}
        key = None
        for line in str(text).splitlines():
            head, _, rest = line.partition(":")
            if head.strip() in ("Kilde", "Antagelse"):
                key = head.strip().lower()
                parts[key] = [rest.strip()]
            elif key is not None:
                parts[key].append(line.strip())
            else:
                return None
        fields = {k: "\n".join(v).strip() for k, v in parts.items()}
        return cls(**fields) if any(fields.values()) else None


def is_sourced(node: Any) -> bool:
    """Whether ``node`` is the sourced form ``{vaerdi: …, kilde: …, antagelse: …}``."""
    return isinstance(node, dict) and VALUE in node and set(node) <= KEYS


def child(path: str, key: Any) -> str:
    """The path of ``key`` below ``path``: ``a.b`` for a mapping key, ``a[0]`` for a list position."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def split(data: Any, path: str = "") -> tuple[Any, dict[str, Note]]:
    """``data`` with every sourced value replaced by its value, and the notes by path.

    Raises SIError naming the path for a sourced value without a source or an
    assumption.
    """
    notes: dict[str, Note] = {}

    def walk(node: Any, here: str) -> Any:
        if is_sourced(node):
            try:
                notes[here] = Note(**{k: v for k, v in node.items() if k != VALUE})
            except ValidationError as exc:
                cause = (exc.errors()[0].get("ctx") or {}).get("error")
                raise SIError(here, cause.message if isinstance(cause, SIError) else "kilde og antagelse skal være tekst") from None
            return walk(node[VALUE], here)
        if isinstance(node, dict):
            return {k: walk(v, child(here, k)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, child(here, i)) for i, v in enumerate(node)]
        return node

    return walk(data, path), notes


def paths(data: Any, path: str = "") -> Iterator[str]:
    """Every path in plain data (mappings and lists), in the form :func:`split` names them."""
    if path:
        yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from paths(v, child(path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from paths(v, child(path, i))


def join(data: Any, notes: dict[str, Note], path: str = "") -> Any:
    """The reverse of :func:`split`: each value with a note written as ``{vaerdi, kilde, antagelse}``."""
    if isinstance(data, dict):
        data = {k: join(v, notes, child(path, k)) for k, v in data.items()}
    elif isinstance(data, list):
        data = [join(v, notes, child(path, i)) for i, v in enumerate(data)]
    note = notes.get(path)
    if note is None:
        return data
    return {VALUE: data} | note.model_dump(exclude_none=True)


def schema(root: dict) -> dict:
    """A pydantic JSON Schema in which every field may also be given as a sourced value."""
    defs = root.setdefault("$defs", {})
    ref = {"$ref": f"#/$defs/{SCHEMA_NAME}"}
    for model in [root, *(d for d in defs.values() if d.get("title") != Note.__name__)]:
        for name, prop in model.get("properties", {}).items():
            if name != "kilder":
                model["properties"][name] = {"anyOf": [_items(prop, ref), ref]}
    defs[SCHEMA_NAME] = {
        "type": "object", "title": SCHEMA_NAME, "required": [VALUE], "additionalProperties": False,
        "description": "En værdi med kilde og/eller antagelse",
        "properties": {VALUE: {}, "kilde": {"type": "string"}, "antagelse": {"type": "string"}},
        "anyOf": [{"required": ["kilde"]}, {"required": ["antagelse"]}],
    }  # fmt: skip
    return root


def _items(prop: dict, ref: dict) -> dict:
    """A list's items may be sourced values too (``deltagere: [{vaerdi: 120, kilde: …}, 40]``)."""
    if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        return {**prop, "items": {"anyOf": [prop["items"], ref]}}
    return prop
