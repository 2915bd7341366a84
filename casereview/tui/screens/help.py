"""Help: the keys and the codebook's labels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from ...taxonomy import LABELS

KEYS = """\
| key | action |
|---|---|
| Up/Down, j/k | select a label |
| y / n / u | confirm / reject / unsure the selected label |
| 1-7 | toggle label N (add, or reject a positive) |
| a | accept every suggestion on the note |
| Enter / Backspace | next / previous note (decisions are already saved) |
| PageDown / PageUp, ctrl+d / ctrl+u | scroll the note text a page |
| shift+Down / shift+Up | scroll the note text a line |
| ] / [ | scroll the label's definition |
| z | undo your last decision (taken back: the label shows what was current before it) |
| c | comment on the note |
| t | timeline of the note's case file |
| l / F / p | queue list / case files / progress |
| / | search the text · f filter the queue |
| ? | this help · q quit · ctrl+p command palette |

Suggestions you move past without deciding stay *unreviewed*. Keys can be rebound in
`~/.config/casereview/keys.toml` (see the README).
"""


def codebook_markdown(keys: str = KEYS) -> str:
    parts = ["# Keys", keys, "# The codebook"]
    for label in LABELS:
        core = " (core)" if label.core else ""
        parts.append(f"## {label.number}. [{label.symbol}] {label.title}{core}\n`{label.name}`\n\n{label.definition}\n")
        parts.append("\n".join(f"- {item}" for item in label.include))
        parts.append(f"\n*Exclude:* {label.exclude}\n")
    return "\n".join(parts)


class HelpScreen(ModalScreen):
    """The keys of the screen it was opened from (``keys``: a Markdown table), then the codebook."""

    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "Close", id="close_help")]

    def __init__(self, keys: str = KEYS) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(codebook_markdown(self.keys))
