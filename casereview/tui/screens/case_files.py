"""Case files ranked by aggregated concern, for triage at file level."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from ...taxonomy import LABEL_NAMES
from ...workspace import CaseFileRow
from .list_screen import (DATE_COLUMN, FULL_LIST_WIDTH, TIMED_DATE_COLUMN, ListScreen, case_column, cell, date_cell,
                          fitted, label_mark, shows_times)

#: The counts of a file flagging every label (once to nine times), each hard after its label's mark.
ALL_COUNTS = len(" R 9") * len(LABEL_NAMES)


def case_width(case_ids: Iterable[str]) -> int:
    """The case column: as wide as the longest id shown, up to the maximum. With the narrow count columns and each
    count hard after its label's mark, a file flagging every label (once to nine times) still fits the 76 columns
    a list shows in a terminal of 80 (padding and scroll bar take the rest)."""
    return case_column(max(map(len, case_ids), default=0))


def full_width(width: int, timed: bool = False) -> int:
    """The full columns' width, with a case column ``width`` wide and every label's count; ``timed``, the last
    column with its note's time."""
    last = TIMED_DATE_COLUMN if timed else DATE_COLUMN
    return width + 21 + last[1] + ALL_COUNTS


def is_compact(width: int, list_width: int) -> bool:
    """Under 80 columns the counts of notes and flagged notes share a column ("7/12") and the marks take one
    column each: every label of a file then has room at 60 columns."""
    return full_width(width) > list_width


#: The longest case ids the list shows the last note's time with at 80 columns.
TIMED_CASE_IDS_AT_80 = FULL_LIST_WIDTH - full_width(0, True) - 1


def shared_counts_width(cases: Iterable[CaseFileRow]) -> int:
    """The shared column's width: "flagged/notes" of every file whole, never cut."""
    return max([len("flag") + 2, *(len(f"{c.flagged_notes}/{c.notes}") + 1 for c in cases)])


def columns_heading(width: int, counts: int = 0, timed: bool = False) -> str:
    """The heading; ``counts``, the shared column's width when the notes and flagged notes share one; ``timed``, the
    last column with the last note's time, as the queue list and the timeline show times where they have room."""
    shared = cell("flag", counts) if counts else f"{cell('notes', 6)}{cell('flag', 5)}"
    last = (TIMED_DATE_COLUMN if timed else DATE_COLUMN)[1]
    return (f"{cell('case', width)}{shared}{cell('top', 5)}{cell('open', 5)}{cell('last', last)}"
            f"{'labels (count)' if counts else 'flagged labels (count)'}")


def case_line(case: CaseFileRow, width: int, list_width: int = FULL_LIST_WIDTH, counts: int = 0,
              timed: bool = False) -> Text:
    """The file's row; ``counts`` and ``timed`` as for :func:`columns_heading`, and then its label marks (a column
    each where ``counts``)."""
    shared = (cell(f"{case.flagged_notes}/{case.notes}", counts) if counts
              else f"{cell(case.notes, 6)}{cell(case.flagged_notes, 5)}")
    last = (TIMED_DATE_COLUMN if timed else DATE_COLUMN)[1]
    line = Text(f"{cell(case.case_id, width)}{shared}{cell(f'{case.strongest:.2f}', 5)}{cell(case.unreviewed, 5)}"
                f"{cell(date_cell(case.last_date, case.last_time, timed), last)}")
    parts = [label_mark(name, bool(counts)) + f"{case.flagged_by_label[name]}" + (" " if counts else "")
             for name in LABEL_NAMES if case.flagged_by_label.get(name)]
    line.append_text(fitted(parts, list_width - line.cell_len))
    return line


class CaseFilesScreen(ListScreen):
    """Case files, most concerning first; Enter opens the file's timeline."""

    heading = "Case files by concern"
    row_noun = "case file"
    columns = columns_heading(case_width(()))
    HELP_NOTES = ("open: a file's notes with no label decided, the state open in the queue list and the timeline (a "
                  "note begun, partial, is still to code there but not open). "
                  "Under 80 columns the list shortens: flag 7/12 is 7 flagged notes of 12, and label marks take a "
                  "column each. Counts with no room are themselves counted at the end: +2. The last column shows the "
                  "last note's time beside its date where every label's count keeps its room (from 80 columns with "
                  f"case ids of up to {TIMED_CASE_IDS_AT_80} characters).\n")

    rows_show_decisions = True  # the open column: a file's notes with no label decided

    def load(self) -> int:
        self.cases = self.files()
        self.width, self.counts, self.timed, self.columns = self.columns_for(self.cases)
        return len(self.cases)

    def files(self) -> list[CaseFileRow]:
        """The case files listed, most concerning first: in an audit, those its notes are of (the files sampled), not
        every file of the workspace, which reviewing the audit would lead outside it."""
        session = self.app.session
        if session.query.audit is None:
            return session.workspace.case_files()
        self.heading = f"Case files of audit {session.query.audit} by concern"
        return session.workspace.case_files(of_notes=sorted(session.audit_notes))  # not a search's: the audit's

    def columns_for(self, cases: list[CaseFileRow]) -> tuple[int, int, bool, str]:
        """The case column's width, the shared counts column's (0: none), whether the last column shows times, and
        the heading, for ``cases``."""
        width = case_width(case.case_id for case in cases)
        counts = shared_counts_width(cases) if is_compact(width, self.list_width) else 0
        timed = not counts and shows_times(any(case.last_time for case in cases), self.list_width,
                                           full_width(width, True))
        return width, counts, timed, columns_heading(width, counts, timed)

    def read_again(self) -> None:
        # the rows are read as the list opens (ranked as a whole): read again, and shown in place where the files and
        # their columns are as they were (decisions change the open counts, not the ranking); else laid out again
        cases = self.files()
        same = ([c.case_id for c in cases] == [c.case_id for c in self.cases]
                and self.columns_for(cases) == (self.width, self.counts, self.timed, self.columns))
        if same:
            self.cases = cases
            super().read_again()
        else:
            self.app.call_from_thread(self.reload)

    def row_keys(self) -> tuple[str, ...]:
        return tuple(case.case_id for case in self.cases)

    def fetch(self, start: int, stop: int) -> list[Text]:
        return [case_line(case, self.width, self.list_width, self.counts, self.timed)
                for case in self.cases[start:stop]]

    def open(self, index: int) -> None:
        self.app.open_timeline(self.cases[index].case_id)
