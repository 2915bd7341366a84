"""Errors the library raises. Messages name file, line and field, never note text."""

from __future__ import annotations


class CaseReviewError(Exception):
    """Base class: something the user can act on. The CLI maps it to exit code 2."""


class InputError(CaseReviewError):
    """One invalid row of an input file, located by file, line and field."""

    def __init__(self, source: str, line: int | None, field: str | None, problem: str):
        self.source, self.line, self.field, self.problem = source, line, field, problem
        where = source if line is None else f"{source}:{line}"
        what = f"field '{field}': {problem}" if field else problem
        super().__init__(f"{where}: {what}")


class UnreadableRestError(InputError):
    """A row past which a file cannot be read safely (a CSV quote out of place): no row of it is imported, even
    with --skip-invalid, as the rows after it may be lost or misread."""


class InvalidFileError(CaseReviewError):
    """A file with one or more invalid rows; nothing of it was imported."""

    def __init__(self, source: str, errors: list[InputError]):
        self.source, self.errors = source, errors
        shown = "\n".join(f"  {e}" for e in errors[:20])
        more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{source}: {len(errors)} invalid row(s); nothing imported\n{shown}{more}")


class ConflictError(CaseReviewError):
    """An import would change a stored note without ``update=True``."""


class RedactionConflictError(InputError, ConflictError):
    """An import would replace a note whose personal data was redacted in the workspace with a changed one."""


class WorkspaceError(CaseReviewError):
    """The workspace cannot be opened or is from a newer version."""


class WorkspaceLockedError(WorkspaceError):
    """Another program held the workspace's write lock past the busy timeout; nothing was written."""


class ModelError(CaseReviewError):
    """A model cannot be found, loaded or trusted."""
