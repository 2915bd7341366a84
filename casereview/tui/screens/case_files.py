"""Case files ranked by aggregated concern, for triage at file level."""

from __future__ import annotations

from rich.text import Text

from ...taxonomy import LABEL_NAMES
from .list_screen import ListScreen, cell, label_marks

# Narrow columns and each count hard after its label's mark: a file flagging every label fits 80 columns.
COLUMNS = f"{cell('case', 12)}{cell('notes', 6)}{cell('flagged', 8)}{cell('top', 5)}{cell('open', 5)}{cell('last', 11)}flagged labels (count)"


class CaseFilesScreen(ListScreen):
    """Case files, most concerning first; Enter opens the file's timeline."""

    heading = "Case files by concern"
    columns = COLUMNS

    def load(self) -> int:
        self.cases = self.app.session.workspace.case_files()
        return len(self.cases)

    def fetch(self, start: int, stop: int) -> list[Text]:
        lines = []
        for case in self.cases[start:stop]:
            line = Text(f"{cell(case.case_id, 12)}{cell(case.notes, 6)}{cell(case.flagged_notes, 8)}"
                        f"{cell(f'{case.strongest:.2f}', 5)}{cell(case.unreviewed, 5)}{cell(case.last_date, 11)}")
            for name in LABEL_NAMES:
                if case.flagged_by_label.get(name):
                    line.append_text(label_marks([name]))
                    line.append(str(case.flagged_by_label[name]))
            lines.append(line)
        return lines

    def open(self, index: int) -> None:
        self.app.open_timeline(self.cases[index].case_id)
