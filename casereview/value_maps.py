"""A case management system's own values of a coded field mapped to the codebook's, as an import reads them, and
``predict`` and ``evaluate`` read the same file.

A CMS export's note types are its own ("Telephone Call", "Supervision Record"), and so may be its workers' roles;
``import --map-value "note_type:Telephone Call=contact"`` (repeatable) or ``--value-map FILE`` (a CSV file with the
columns ``field,from,to``, or a JSON object ``{"note_type": {"Telephone Call": "contact"}}``, kept and used for every
export of the same system) says which codebook value each one is. A value is matched as coded values are read
(:func:`notes.coded_key`: case, spaces, hyphens and underscores aside); a value no map names is read as before: a
codebook value, in any spelling, or its row's error.
"""

from __future__ import annotations

import csv
import json
import os
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CaseReviewError
from .files import check_input_file
from .notes import CODED_FIELDS, codebook_value, coded_key

#: A mapping file's columns (CSV) in order.
FILE_COLUMNS = ("field", "from", "to")


@dataclass
class ValueMap:
    """Codebook values by coded field and by the :func:`coded_key` of the value mapped, each with where it was given
    (an option or a file's line), for the error a conflicting entry gets."""

    targets: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)  # field -> key -> (to, given by)

    def __bool__(self) -> bool:
        return any(self.targets.values())

    def add(self, name: str, value: str, target: str, given_by: str) -> None:
        """Map ``value`` of field ``name`` to ``target``; a bad entry raises a :class:`CaseReviewError` starting with
        ``given_by`` (the option and its value, or the file and line)."""
        coded = CODED_FIELDS.get(name)
        if coded is None:
            raise CaseReviewError(f"{given_by}: {name!r} is not a field whose values the codebook lists; map values "
                                  f"of {' or '.join(CODED_FIELDS)} (the field's name, after --map renames a column)")
        if not value.strip():
            raise CaseReviewError(f"{given_by}: no value to map before '='")
        known = codebook_value(name, target.strip()) if target.strip() else None
        if known is None:
            raise CaseReviewError(f"{given_by}: {target.strip()!r} is not a codebook {coded.what}; known: "
                                  f"{', '.join(coded.known)}")
        key = coded_key(value)
        earlier = self.targets.setdefault(name, {}).get(key)
        if earlier is not None and earlier[0] != known:
            raise CaseReviewError(f"{given_by}: {value.strip()!r} is mapped to {earlier[0]} already ({earlier[1]})")
        self.targets[name][key] = (known, given_by)

    def target(self, name: str, value: Any) -> str | None:
        """The codebook value ``value`` of field ``name`` is mapped to; None if no entry maps it."""
        if not isinstance(value, str) or name not in self.targets:
            return None
        found = self.targets[name].get(coded_key(value))
        return found[0] if found else None

    def applied(self, raw: Any) -> Any:
        """A raw record with its mapped values replaced by their codebook values (the record as given if none is)."""
        if not isinstance(raw, dict):
            return raw
        mapped = {name: target for name in self.targets if (target := self.target(name, raw.get(name))) is not None}
        return {**raw, **mapped} if mapped else raw

    def applied_to_rows(self, rows: Iterable[tuple[int, Any]],
                        given: dict[int, dict[str, str]] | None = None) -> Iterator[tuple[int, Any]]:
        """A file's (line, raw record) rows as read, each record :meth:`applied` before it is validated (``import``,
        ``predict`` and ``evaluate`` alike); the rows as they are with no entry. ``given``: each row's values
        replaced, as the file gave them, by line (``import`` keeps them with the note: ``Note.source_values``)."""
        if not self:
            return iter(rows)
        return (self._applied_noting(line, raw, given) for line, raw in rows) if given is not None else (
            (line, self.applied(raw)) for line, raw in rows)

    def _applied_noting(self, line: int, raw: Any, given: dict[int, dict[str, str]]) -> tuple[int, Any]:
        mapped = self.applied(raw)
        if mapped is not raw:
            given[line] = {name: raw[name].strip() for name in self.targets if mapped.get(name) != raw.get(name)}
        return line, mapped


#: How a ``--map-value`` is written.
MAP_VALUE_FORM = "FIELD:FROM=TO, e.g. --map-value 'note_type:Telephone Call=contact'"


def parse_value_maps(specs: Iterable[str] = (), files: Iterable[str | os.PathLike] = ()) -> ValueMap:
    """The map of ``--value-map FILE`` files and ``--map-value FIELD:FROM=TO`` options (``specs``); a bad entry
    raises a :class:`CaseReviewError` naming the option and its value, or the file and line."""
    values = ValueMap()
    for path in files:
        _read_file(Path(path), values)
    for spec in specs:
        given_by = f"--map-value {shlex.quote(spec)}"
        # a field's name holds no ':' and the codebook's values no '=': the system's value, between, may hold both
        name, colon, rest = spec.partition(":")
        value, equals, target = rest.rpartition("=")
        if not colon or not equals:
            raise CaseReviewError(f"{given_by}: expected {MAP_VALUE_FORM}")
        values.add(name.strip(), value, target, given_by)
    return values


def _read_file(path: Path, values: ValueMap) -> None:
    """Add a ``--value-map`` file's entries to ``values``: a .json object of objects, or a .csv file with the
    columns :data:`FILE_COLUMNS`."""
    option = f"--value-map {path}"
    try:
        check_input_file(path)
    except CaseReviewError as e:
        raise CaseReviewError(f"--value-map {e}") from None
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        raise CaseReviewError(f"{option}: expected a .json or .csv file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CaseReviewError(f"{option}: not UTF-8 text; save it as UTF-8") from None
    if suffix == ".json":
        _read_json(text, option, values)
    else:
        _read_csv(text, option, values)


def _read_json(text: str, option: str, values: ValueMap) -> None:
    try:
        fields = json.loads(text)
    except json.JSONDecodeError as e:
        raise CaseReviewError(f"{option}: not JSON ({e})") from None
    example = '{"note_type": {"Telephone Call": "contact"}}'
    if not isinstance(fields, dict):
        raise CaseReviewError(f"{option}: expected an object of fields, e.g. {example}")
    for name, mapped in fields.items():
        if not isinstance(mapped, dict) or not all(isinstance(v, str) for v in mapped.values()):
            raise CaseReviewError(f"{option}: {name!r} must map values to codebook values, e.g. {example}")
        for value, target in mapped.items():
            values.add(name, value, target, f"{option}, {name!r}: {value!r}")


def _read_csv(text: str, option: str, values: ValueMap) -> None:
    rows = csv.reader(text.splitlines())
    header = [cell.strip().casefold() for cell in next(rows, [])]
    if header != list(FILE_COLUMNS):
        raise CaseReviewError(f"{option}: expected the columns {','.join(FILE_COLUMNS)} in its first line, e.g. "
                              "note_type,Telephone Call,contact on the next")
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(FILE_COLUMNS):
            raise CaseReviewError(f"{option}:{line}: {len(row)} cells for the {len(FILE_COLUMNS)} columns "
                                  f"{','.join(FILE_COLUMNS)}")
        name, value, target = row
        values.add(name.strip(), value, target, f"{option}:{line}")
