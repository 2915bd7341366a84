"""Errors the library raises. Messages name file, line and field, never note text."""

from __future__ import annotations

from .wording import agree, count


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


class UnreadableRestError(InputError):
    """A row past which a file cannot be read safely (a CSV quote out of place): no row of it is imported, even
    with --skip-invalid, as the rows after it may be lost or misread."""


class InvalidFileError(CaseReviewError):
    """A file with one or more invalid rows; nothing of it was imported."""

    def __init__(self, source: str, errors: list[InputError], next_step: str = ""):
        self.source, self.errors = source, errors
        super().__init__(f"{source}: {count(len(errors), 'invalid row')}; nothing imported"
                         + (f": {next_step}" if next_step else "") + _listed(errors))


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
            super().__init__(f"{source}: {len(errors)} invalid notes; the corpus cannot be used" + _listed(errors))


def _listed(errors: list[InputError], shown: int = 20) -> str:
    """The first ``shown`` errors, one to an indented line."""
    more = f"\n  ... and {len(errors) - shown} more" if len(errors) > shown else ""
    return "".join(f"\n  {e}" for e in errors[:shown]) + more


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
