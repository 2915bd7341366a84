"""Case files ranked by aggregated concern, for triage at file level."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from ...taxonomy import LABEL_NAMES
from ...workspace import CaseFileRow
from .list_screen import ListScreen, case_column, cell, label_marks

def case_width(case_ids: Iterable[str]) -> int:
    """The case column: as wide as the longest id shown, up to the maximum. With the narrow count columns and each
    count hard after its label's mark, a file flagging every label (once to nine times) still fits the 76 columns
    a list shows in a terminal of 80 (padding and scroll bar take the rest)."""
    return case_column(max(map(len, case_ids), default=0))


def columns_heading(width: int) -> str:
    return (f"{cell('case', width)}{cell('notes', 6)}{cell('flag', 5)}{cell('top', 5)}{cell('open', 5)}"
            f"{cell('last', 11)}flagged labels (count)")


def case_line(case: CaseFileRow, width: int) -> Text:
    line = Text(f"{cell(case.case_id, width)}{cell(case.notes, 6)}{cell(case.flagged_notes, 5)}"
                f"{cell(f'{case.strongest:.2f}', 5)}{cell(case.unreviewed, 5)}{cell(case.last_date, 11)}")
    for name in LABEL_NAMES:
        if case.flagged_by_label.get(name):
            line.append_text(label_marks([name]))
            line.append(str(case.flagged_by_label[name]))
    return line


class CaseFilesScreen(ListScreen):
    """Case files, most concerning first; Enter opens the file's timeline."""

    heading = "Case files by concern"
    columns = columns_heading(case_width(()))

    def load(self) -> int:
        self.cases = self.app.session.workspace.case_files()
        self.width = case_width(case.case_id for case in self.cases)
        self.columns = columns_heading(self.width)
        return len(self.cases)

    def fetch(self, start: int, stop: int) -> list[Text]:
        return [case_line(case, self.width) for case in self.cases[start:stop]]

    def open(self, index: int) -> None:
        self.app.open_timeline(self.cases[index].case_id)
