"""Errors the library raises. Messages name file, line and field, never note text."""

from __future__ import annotations

import shlex

from .wording import agree, count, number


class CaseReviewError(Exception):
    """Base class: something the user can act on. The CLI maps it to exit code 2."""


class WorkspaceNotice(UserWarning):
    """What opening a workspace did to its data that its user should know (a migration's): a warning, as the
    library prints nothing; the CLI shows it on stderr as ``note: ...``."""


class InputError(CaseReviewError):
    """One invalid row of an input file, located by file, line and field."""

    def __init__(self, source: str, line: int | None, field: str | None, problem: str, column: str | None = None):
        # column: the file's own column the field was read from, when --map renamed it (the one the user fixes)
        from .names import escaped  # names raises this module's errors

        self.source, self.line, self.field, self.problem, self.column = source, line, field, problem, column
        where = escaped(source) if line is None else f"{escaped(source)}:{line}"  # a file's name: not always printable
        what = f"field '{self.named_field}': {problem}" if field else problem
        super().__init__(f"{where}: {what}")

    @property
    def named_field(self) -> str | None:
        """The field as messages and rejects files name it: ``Worker Role (author_role)`` when --map renamed it. A
        name read from the file (a column, a key) is shown escaped where it holds what is not printable text
        (``x\\x1b[2J``): an escape sequence in it reached the terminal, a right-to-left override reversed the line."""
        from .names import escaped  # names raises this module's errors

        if self.field is None:
            return None
        return f"{escaped(self.column)} ({escaped(self.field)})" if self.column else escaped(self.field)

    def in_column(self, column: str) -> "InputError":
        """The same error, naming the file's own ``column`` the field was read from as well as the field."""
        return type(self)(self.source, self.line, self.field, self.problem, column)


def quoted_or_described(value: str, shown: bool) -> str:
    """A value from a file as a message names it: quoted if ``shown`` (``notes.shown_value``), else described, never
    quoted: a column mapped or shifted by mistake may hold note text or personal data."""
    from .names import escaped  # names raises this module's errors

    if shown:
        return f"'{escaped(value)}'"
    return f"a value of {count(len(value), 'character')}, not shown (it may be note text or personal data),"


class UnknownValueError(InputError):
    """A row's value of a field whose values the codebook lists (note type, author role) that is none of them.
    ``shown``: the value may be quoted (else it is described: it may be note text or personal data from a column
    mapped by mistake); ``what`` names one such value ("note type"), ``known`` are the codebook's."""

    def __init__(self, source: str, line: int | None, field: str, value: str, shown: bool, what: str,
                 known: tuple[str, ...], column: str | None = None):
        self.value, self.shown, self.what, self.known = value, shown, what, known
        #: the row's other coded fields' unknown values: a row is rejected for its first problem, but a file's
        #: errors list every value to map, not one more each time the user runs the import again
        self.others: list[UnknownValueError] = []
        super().__init__(source, line, field, f"{self.subject} is not a codebook {what}; known: {_in_words(known)}",
                         column)

    @property
    def subject(self) -> str:
        """The value as a message names it: quoted, or described."""
        return quoted_or_described(self.value, self.shown)

    def in_column(self, column: str) -> "UnknownValueError":
        error = UnknownValueError(self.source, self.line, self.field, self.value, self.shown, self.what, self.known,
                                  column)
        error.others = self.others
        return error


class UnknownValuesError(InputError):
    """A row's values of coded fields that are no codebook values, where a command stops at a file's first invalid
    row and takes ``--map-value`` (``predict``, ``evaluate``): said as ``import`` lists them, each with the
    ``--map-value`` that reads it, and the codebook's values once after."""

    def __init__(self, error: UnknownValueError):
        self.source, self.line, self.field, self.problem, self.column = (error.source, error.line, error.field,
                                                                         error.problem, error.column)
        self.errors = [error]
        CaseReviewError.__init__(self, _listed(self.errors, map_values=True).removeprefix("\n  "))


def _in_words(known: tuple[str, ...]) -> str:
    """A coded field's codebook values, and that they may be written in words."""
    return f"{', '.join(known)} (or in words: {known[0].replace('_', ' ').title()})"


class UnreadableRestError(InputError):
    """A row past which a file cannot be read safely (a CSV quote out of place): no row of it is imported, even
    with --skip-invalid, as the rows after it may be lost or misread."""


class InvalidFileError(CaseReviewError):
    """A file with one or more invalid rows; nothing of it was imported."""

    def __init__(self, source: str, errors: list[InputError], next_step: str = ""):
        self.source, self.errors = source, errors
        super().__init__(f"{source}: {count(len(errors), 'invalid row')}; nothing imported"
                         + (f": {next_step}" if next_step else "") + _listed(errors, map_values=True))


class InvalidDecisionsFileError(InvalidFileError):
    """A decisions (or comments) file (``merge``) with rows that are not valid, or cannot be merged here; nothing
    was merged."""

    def __init__(self, source: str, errors: list[InputError]):
        self.source, self.errors = source, errors
        CaseReviewError.__init__(self, f"{source}: {count(len(errors), 'row')} cannot be merged; nothing merged"
                                 + _listed(errors))


class InvalidCorpusError(CaseReviewError):
    """A corpus file with one or more invalid notes; nothing is trained on it. One note's problem is one line."""

    def __init__(self, source: str, errors: list[InputError]):
        self.source, self.errors = source, errors
        if len(errors) == 1:
            super().__init__(str(errors[0]))
        else:
            super().__init__(f"{source}: {count(len(errors), 'invalid note')}; the corpus cannot be used" + _listed(errors))


def _listed(errors: list[InputError], shown: int = 20, map_values: bool = False) -> str:
    """The errors, one to an indented line, the same problem on many rows in one line (:func:`_grouped`), the first
    ``shown`` such lines; then, for unknown coded values, the codebook's values once. ``map_values``: an unknown
    value's line says how ``import --map-value`` maps it."""
    groups = _grouped(errors)
    lines = [_group_line(group, map_values) for group in groups[:shown]]
    if len(groups) > shown:
        rows = {(e.source, e.line) for group in groups[shown:] for e in group}
        lines.append(f"... and {len(groups) - shown} more, on {count(len(rows), 'row')}")
    fields = {(e.field, e.what): e.known for group in groups for e in group if isinstance(e, UnknownValueError)}
    lines += [f"codebook {what}s ({field}): {_in_words(known)}" for (field, what), known in fields.items()]
    return "".join(f"\n  {line}" for line in lines)


def _grouped(errors: list[InputError]) -> list[list[InputError]]:
    """The errors in groups, in order of each group's first row: one group for the same problem of the same field
    in the same file (an unknown value: the same value, or any value not shown), each other error alone."""
    groups: dict[object, list[InputError]] = {}
    for e in (e for error in errors for e in (error, *getattr(error, "others", ()))):
        if isinstance(e, UnknownValueError):
            key: object = (UnknownValueError, e.source, e.named_field, e.value if e.shown else None)
        elif e.line is None or type(e) is not InputError:
            key = id(e)
        else:
            key = (InputError, e.source, e.named_field, e.problem)
        groups.setdefault(key, []).append(e)
    return list(groups.values())


def _group_line(group: list[InputError], map_values: bool) -> str:
    """One line for a group of errors (:func:`_grouped`): an error alone as it reads, else the file, field and
    problem once, with how many rows and the first few lines."""
    from .names import escaped  # names raises this module's errors

    first = group[0]
    where = f"{escaped(first.source)}, field '{first.named_field}'" if first.field else escaped(first.source)
    if not isinstance(first, UnknownValueError):
        return str(first) if len(group) == 1 else f"{where}: {first.problem}, on {_rows(group)}"
    if first.shown:
        spec = f"{first.field}:{first.value}={first.what.split()[-1].upper()}"
        remedy = f"; map it with --map-value {shlex.quote(spec)}" if map_values else ""
    else:
        remedy = f"; is this the {first.what} column?"
    if len(group) == 1:  # as it reads alone, its codebook values said once, after the list
        return f"{escaped(first.source)}:{first.line}: field '{first.named_field}': {first.subject} is not a " \
               f"codebook {first.what}{remedy}"
    if first.shown:
        return f"{where}: {first.subject} is not a codebook {first.what}, on {_rows(group)}{remedy}"
    values = len({e.value for e in group})
    are_not = agree(values, f"is not a codebook {first.what}", f"are not codebook {first.what}s")
    return f"{where}: {count(values, 'value')} not shown (long, sentences or like personal data) {are_not}, " \
           f"on {_rows(group)}{remedy}"


def _rows(group: list[InputError], shown: int = 5) -> str:
    """'74 rows (lines 2, 5, 9, 14, 20 and 69 more)', '1 row (line 7)'."""
    lines = [str(e.line) for e in group[:shown]]
    more = f" and {number(len(group) - shown)} more" if len(group) > shown else ""
    return f"{count(len(group), 'row')} ({agree(len(group), 'line', 'lines')} {', '.join(lines)}{more})"


class ConflictError(CaseReviewError):
    """An import would change a stored note without ``update=True``."""


class ChangedNotesError(ConflictError):
    """An import without ``update=True`` would change stored notes; nothing of the file was imported.

    ``changed`` maps each such note's id to the names of its fields that differ; given ``places`` (note id -> the
    file and line it is on), each is listed as a row of the file, naming the first of those fields.
    """

    def __init__(self, source: str, changed: dict[str, list[str]],
                 places: dict[str, tuple[str, int]] | None = None):
        self.source, self.changed = source, changed
        rows = []
        for note_id, fields in changed.items():
            where, line = (places or {}).get(note_id, (source, None))
            others = ", ".join(map(repr, fields[1:]))
            also = "" if not others else f" (so {'does' if len(fields) == 2 else 'do'} {others})"
            rows.append(InputError(where, line, fields[0] if fields else None,
                                   f"note {note_id!r} differs from the one in the workspace{also}"))
        them = agree(len(changed), "it", "them")
        super().__init__(f"{source}: {count(len(changed), 'note')} already in the workspace with different content; "
                         f"nothing imported (use --update to replace {them}; the old versions are kept)" + _listed(rows))


class RedactionConflictError(InputError, ConflictError):
    """An import would replace a note whose personal data was redacted in the workspace with a changed one."""


class WorkspaceError(CaseReviewError):
    """The workspace cannot be opened or is from a newer version."""


class WorkspaceLockedError(WorkspaceError):
    """Another program held the workspace's write lock past the busy timeout; nothing was written."""


class WorkspaceInUseError(WorkspaceLockedError):
    """A workspace another casereview process has open (the review UI, any command), which ``restore`` would have
    moved aside under it; nothing was changed."""


class ModelError(CaseReviewError):
    """A model cannot be found, loaded or trusted."""
