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
from typing import Any

from .errors import InputError, InvalidDecisionsFileError
from .merging import (MergeResult, ReviewerMerged, batches, field_note_id, field_text, field_time, free_text,
                      reviewer_problem)
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


def merge_comments(workspace: Workspace, records: Iterator[tuple[int, dict[str, Any]]], source: str) -> MergeResult:
    """Merge a comments file's rows (:func:`merging.exchanged_records`) into ``workspace``, each with its reviewer and
    time, in one transaction; raise :class:`InvalidDecisionsFileError` naming every bad row (file, line, field),
    and merge nothing, if any row is bad or cannot be merged here. The rows are read into a temporary table, a
    batch at a time, and placed and merged there (:class:`StagedComments`)."""
    with workspace.staged_comments() as staged:
        errors: list[InputError] = []
        for batch in batches(records):
            staged.add(_read(batch, source, errors))
        if errors:
            raise InvalidDecisionsFileError(source, errors)
        with workspace.transaction():  # checked and written as one state
            staged.refuse_unknown_notes()
            staged.place()
            errors = [InputError(source, row["line"], row["refused"], _problem(row)) for row in staged.refused()]
            if errors:
                raise InvalidDecisionsFileError(source, errors)
            staged.merge()
        return MergeResult(source, {reviewer: ReviewerMerged(merged, present)
                                    for reviewer, merged, present in staged.counts()}, merging="comment")


def _problem(row) -> str:
    """Why a refused row cannot be merged here (:meth:`StagedComments.place`)."""
    note = escaped(row["note_id"])
    if row["refused"] == "note_id":
        return f"note '{note}' is not in this workspace: import the notes first"
    if row["refused"] == "note_hash":
        return (f"note '{note}' was commented on in another version of its text or fields than this workspace "
                "holds: bring both workspaces to one version of the note (import --update), or read the comment "
                "where it was written")
    return row["problem_text"]


def _read(records: list[tuple[int, dict[str, Any]]], source: str, errors: list[InputError]) -> list[tuple]:
    """A batch of a file's rows as :meth:`StagedComments.add` takes them, each with what would be wrong with its
    reviewer or text were it new (a name or text stored before today's rules stays mergeable where it is here);
    the errors of the rows not valid added to ``errors``."""
    rows = []
    for line, record in records:
        def fail(name: str, problem: str, line: int = line) -> InputError:
            return InputError(source, line, name, problem)

        try:
            if missing := [name for name in _READ if name not in record]:
                raise fail(missing[0], _MISSING)
            text = free_text(record, "comment", fail)
            if not text:
                raise fail("comment", "empty")
            note_id, reviewer = field_note_id(record, fail), field_text(record, "reviewer", fail)
            created_at, note_hash = field_time(record, fail), field_text(record, "note_hash", fail)
        except InputError as e:
            errors.append(e)
            continue
        problem = None
        if (said := reviewer_problem(reviewer)) is not None:
            problem = "reviewer", said
        elif (character := unprintable_character(text, joiners=True)) is not None:
            problem = "comment", f"holds {character}: a comment is {ONE_LINE}"
        rows.append((line, note_id, reviewer, created_at, text, note_hash, *(problem or (None, None))))
    return rows
