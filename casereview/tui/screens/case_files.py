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
#: The columns of a file's notes still to code of all its notes ("5/12", as the status line's "5 of 12 notes to
#: code") and of its notes the model flags, as wide as their headings at least.
TO_CODE, FLAG = "to code", "flag"
COUNTS = (len(TO_CODE) + 1, len(FLAG) + 1)


def case_width(case_ids: Iterable[str]) -> int:
    """The case column: as wide as the longest id shown, up to the maximum. With the narrow count columns and each
    count hard after its label's mark, a file flagging every label (once to nine times) still fits the 76 columns
    a list shows in a terminal of 80 (padding and scroll bar take the rest)."""
    return case_column(max(map(len, case_ids), default=0))


def counts_widths(cases: Iterable[CaseFileRow], to_code: dict[str, int]) -> tuple[int, int]:
    """The widths of the to-code column ("to code/notes" of every file whole, never cut) and the flag column."""
    cases = list(cases)
    return (max([COUNTS[0], *(len(to_code_cell(c, to_code)) + 1 for c in cases)]),
            max([COUNTS[1], *(len(str(c.flagged_notes)) + 1 for c in cases)]))


def to_code_cell(case: CaseFileRow, to_code: dict[str, int]) -> str:
    return f"{to_code.get(case.case_id, 0)}/{case.notes}"


def full_width(width: int, timed: bool = False, counts: tuple[int, int] = COUNTS) -> int:
    """The full columns' width, with a case column ``width`` wide, the count columns ``counts`` wide and every
    label's count; ``timed``, the last column with its note's time."""
    last = TIMED_DATE_COLUMN if timed else DATE_COLUMN
    return width + sum(counts) + 5 + last[1] + ALL_COUNTS


def is_compact(width: int, list_width: int, counts: tuple[int, int] = COUNTS) -> bool:
    """Where every label's count has no room beside its mark, the marks take one column each: every label of a
    file then has room at 60 columns."""
    return full_width(width, False, counts) > list_width


#: The longest case ids the list shows the last note's time with at 80 columns.
TIMED_CASE_IDS_AT_80 = FULL_LIST_WIDTH - full_width(0, True) - 1


def columns_heading(width: int, counts: tuple[int, int] = COUNTS, compact: bool = False, timed: bool = False) -> str:
    """The heading; ``counts``, the widths of the count columns; ``compact``, the marks a column each; ``timed``,
    the last column with the last note's time, as the queue list and the timeline show times where they have room."""
    last = (TIMED_DATE_COLUMN if timed else DATE_COLUMN)[1]
    return (f"{cell('case', width)}{cell(TO_CODE, counts[0])}{cell(FLAG, counts[1])}{cell('top', 5)}"
            f"{cell('last', last)}{'labels (count)' if compact else 'flagged labels (count)'}")


def case_line(case: CaseFileRow, to_code: dict[str, int], width: int, list_width: int = FULL_LIST_WIDTH,
              counts: tuple[int, int] = COUNTS, compact: bool = False, timed: bool = False) -> Text:
    """The file's row: its notes still to code of all its notes (``to_code``: case id -> notes to code), those
    flagged, its top score and last note, then its label marks (a column each where ``compact``)."""
    last = (TIMED_DATE_COLUMN if timed else DATE_COLUMN)[1]
    line = Text(f"{cell(case.case_id, width)}{cell(to_code_cell(case, to_code), counts[0])}"
                f"{cell(case.flagged_notes, counts[1])}{cell(f'{case.strongest:.2f}', 5)}"
                f"{cell(date_cell(case.last_date, case.last_time, timed), last)}")
    parts = [label_mark(name, compact) + f"{case.flagged_by_label[name]}" + (" " if compact else "")
             for name in LABEL_NAMES if case.flagged_by_label.get(name)]
    line.append_text(fitted(parts, list_width - line.cell_len))
    return line


class CaseFilesScreen(ListScreen):
    """Case files, most concerning first; Enter opens the file's timeline."""

    heading = "Case files by concern"
    row_noun = "case file"
    columns = columns_heading(case_width(()))
    to_code_by_case: dict[str, int] = {}  # case id -> its notes still to code (load)
    HELP_NOTES = ("to code: a file's notes still to code of all its notes, 5/12: 5 of its 12 notes have a label "
                  "undecided (open or partial in the queue list and the timeline), as the status line counts what is "
                  "left (\"5 of 12 notes to code\"), and the file's timeline says again (in an audit, your notes in "
                  "it). flag: its notes the model flags; top: its highest score. "
                  "Under 80 columns label marks take a column each. Counts with no room are themselves counted at the "
                  "end: +2. The last column shows the last note's time beside its date where every label's count keeps "
                  f"its room (from 80 columns with case ids of up to {TIMED_CASE_IDS_AT_80} characters).\n")

    rows_show_decisions = True  # the to-code column: a file's notes still to code

    def load(self) -> int:
        self.cases = self.files()
        self.to_code_by_case = self.app.session.to_code_by_case()
        self.row_layout = self.layout_for(self.cases, self.to_code_by_case)
        self.columns = columns_heading(*self.row_layout)
        return len(self.cases)

    def files(self) -> list[CaseFileRow]:
        """The case files listed, most concerning first: in an audit, those its notes are of (the files sampled), not
        every file of the workspace, which reviewing the audit would lead outside it."""
        session = self.app.session
        if session.query.audit is None:
            return session.workspace.case_files()
        self.heading = f"Case files of audit {session.query.audit} by concern"
        return session.workspace.case_files(of_notes=sorted(session.audit_notes))  # not a search's: the audit's

    def layout_for(self, cases: list[CaseFileRow], to_code: dict[str, int]) -> tuple[int, tuple[int, int], bool, bool]:
        """The case column's width, the count columns', whether the marks take a column each, and whether the last
        column shows times, for ``cases``."""
        width = case_width(case.case_id for case in cases)
        counts = counts_widths(cases, to_code)
        compact = is_compact(width, self.list_width, counts)
        timed = not compact and shows_times(any(case.last_time for case in cases), self.list_width,
                                            full_width(width, True, counts))
        return width, counts, compact, timed

    def read_again(self) -> None:
        # the rows are read as the list opens (ranked as a whole): read again, and shown in place where the files and
        # their columns are as they were (decisions change the to-code counts, not the ranking); else laid out again
        cases, to_code = self.files(), self.app.session.to_code_by_case()
        same_files = [c.case_id for c in cases] == [c.case_id for c in self.cases]
        if same_files and self.layout_for(cases, to_code) == self.row_layout:
            self.cases, self.to_code_by_case = cases, to_code
            super().read_again()
        else:
            self.app.call_from_thread(self.reload)

    def row_keys(self) -> tuple[str, ...]:
        return tuple(case.case_id for case in self.cases)

    def fetch(self, start: int, stop: int) -> list[Text]:
        width, counts, compact, timed = self.row_layout
        return [case_line(case, self.to_code_by_case, width, self.list_width, counts, compact, timed)
                for case in self.cases[start:stop]]

    def open(self, index: int) -> None:
        self.app.open_timeline(self.cases[index].case_id)
