"""Reviewers' comments brought from one workspace into another (``casereview merge`` given an ``export comments``
file): the QA lead adjudicating reads the coders' comments (``c`` in review) beside their merged decisions.

A comment is known wherever it goes by what it is (its note, reviewer, time and text), so merging a file again, or a
workspace's own comments back into it, adds nothing: a copy of a workspace, made by ``backup`` or otherwise, holds
the same comments, and no id of either is needed. Each row says on which version of the note it was written
(``note_hash``): a comment on a note not here, or on other text than this workspace's, is refused. A merge is one
transaction: one bad row, and nothing is merged. No comment's text is ever in an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .errors import InputError, InvalidDecisionsFileError
from .merging import MergeResult, ReviewerMerged, field_text, field_time, free_text, reviewer_problem
from .names import ONE_LINE, escaped, unprintable_character
from .workspace import Workspace

#: Reviewers' comments as ``export comments`` writes them: each with its note's case file, for people to read, and
#: the version of the note it was written on, for merge.
COMMENT_FIELDS = ("id", "note_id", "case_id", "reviewer", "created_at", "comment", "note_hash")
_READ = ("note_id", "reviewer", "created_at", "comment", "note_hash")  # what a merge reads of a row
_MISSING = ("missing: not a comments export of this casereview (export comments writes on which version of its "
            "note each comment was written; export the file again)")


def is_comments_file(columns: list[str]) -> bool:
    """Whether a file's columns are a comments export's: a comment on a note, with no label (a decision's)."""
    return "label" not in columns and {"note_id", "reviewer", "comment"} <= set(columns)


@dataclass(frozen=True, slots=True)
class ExchangedComment:
    line: int
    note_id: str
    reviewer: str
    created_at: str
    text: str
    note_hash: str

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """What makes two records one comment (as :meth:`Workspace.comment_identities`)."""
        return self.note_id, self.reviewer, self.created_at, self.text


def merge_comments(workspace: Workspace, records: Iterator[tuple[int, dict[str, Any]]], source: str) -> MergeResult:
    """Merge a comments file's rows (:func:`merging.exchanged_records`) into ``workspace``, each with its reviewer and
    time, in one transaction; raise :class:`InvalidDecisionsFileError` naming every bad row (file, line, field),
    and merge nothing, if any row is bad or cannot be merged here."""
    rows, errors = _read(records, source)
    if errors:
        raise InvalidDecisionsFileError(source, errors)
    result = MergeResult(source, merging="comment")
    with workspace.transaction():  # checked and written as one state
        here = workspace.comment_identities()
        versions: dict[str, set[str] | None] = {}
        new: list[ExchangedComment] = []
        for row in rows:
            problem = _problem(row, here, versions, workspace)
            if problem is not None:
                errors.append(InputError(source, row.line, *problem))
                continue
            reviewer = result.reviewers.setdefault(row.reviewer, ReviewerMerged())
            if row.identity in here:
                reviewer.present += 1
            else:
                here.add(row.identity)  # the same comment twice in a file is added once
                new.append(row)
                reviewer.merged += 1
        if errors:
            raise InvalidDecisionsFileError(source, errors)
        for row in new:
            workspace.add_comment(row.note_id, row.reviewer, row.text, created_at=row.created_at)
    return result


def _problem(row: ExchangedComment, here: set, versions: dict[str, set[str] | None],
             workspace: Workspace) -> tuple[str, str] | None:
    """Why the row cannot be merged here (its field, and what is wrong), or None."""
    if row.note_id not in versions:
        versions[row.note_id] = workspace.note_versions(row.note_id)
    if versions[row.note_id] is None:
        return "note_id", f"note '{escaped(row.note_id)}' is not in this workspace: import the notes first"
    if row.note_hash not in versions[row.note_id]:
        return "note_hash", (f"note '{escaped(row.note_id)}' was commented on in another version of its text or "
                             "fields than this workspace holds: bring both workspaces to one version of the note "
                             "(import --update), or read the comment where it was written")
    if row.identity in here:  # a name or text stored before today's rules stays mergeable where it is here
        return None
    if (problem := reviewer_problem(row.reviewer)) is not None:
        return "reviewer", problem
    if (character := unprintable_character(row.text, joiners=True)) is not None:
        return "comment", f"holds {character}: a comment is {ONE_LINE}"
    return None


def _read(records: Iterator[tuple[int, dict[str, Any]]], source: str) -> tuple[list[ExchangedComment], list[InputError]]:
    rows: list[ExchangedComment] = []
    errors: list[InputError] = []
    for line, record in records:
        def fail(name: str, problem: str, line: int = line) -> InputError:
            return InputError(source, line, name, problem)

        try:
            if missing := [name for name in _READ if name not in record]:
                raise fail(missing[0], _MISSING)
            text = free_text(record, "comment", fail)
            if not text:
                raise fail("comment", "empty")
            rows.append(ExchangedComment(line, field_text(record, "note_id", fail), field_text(record, "reviewer", fail),
                                         field_time(record, fail), text, field_text(record, "note_hash", fail)))
        except InputError as e:
            errors.append(e)
    return rows, errors
