"""The adjudication screen: a disputed note, every reviewer's decision on each disputed label, the final call."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static

from ...adjudication import FINAL_WORDS, AdjudicationView, DisputeView, NoLongerDisputed, SettledElsewhere
from ...errors import CaseReviewError
from ...notes import Note
from ...review import LabelView
from ...taxonomy import BY_NAME, LABEL_NAMES, LABELS
from ...wording import count, position
from ..saves import STATUS_COLUMNS, NoteSaves, left_note
from ..widgets.keys_footer import KeysFooter
from ..widgets.label_panel import STATE_MARKS
from ..widgets.note_text import NoteText, ScrollKeys, note_scroll_bindings
from .help import KeyRow, key_for
from .list_screen import NO_DATE
from .note_review import (DEFINITION_SCROLL_ROW, NOTE_SCROLL_ROWS, changed_labels_text, definition_scroll_bindings,
                          definition_text, unchanged)

#: every title whole: with the final word, two coders and the model's score, a row is 72 columns
TITLE_WIDTH = max(len(label.title) for label in LABELS)


def settled_elsewhere_text(refused: SettledElsewhere, key: str, left: str | None) -> str:
    """Why a final decision was NOT saved, in one line at 80 columns: what the dispute was settled as elsewhere, by
    whom if there is room, and, on the note still open (``left`` None), that ``key`` again changes it; on a note left
    (``left``, its id, named by :func:`on_note`) no key: it would settle the note open now."""
    said = f"{BY_NAME[refused.dispute.label].shown_name}: {FINAL_WORDS[refused.dispute.final]} elsewhere"
    again = f"; {key} again" if left is None else ""
    by = f" by {refused.dispute.adjudicator}" if refused.dispute.adjudicator else ""
    return f"{said}{by if len(said + by + again) <= refusal_room(left) else ''}{again}"


def refusal_room(left: str | None) -> int:
    """The columns a refusal's reason has on the status line at 80 columns, after "NOT saved · " (and, on a note left,
    ``left``, its id: :func:`on_note`)."""
    return STATUS_COLUMNS - len("NOT saved · ") - (len(f" on {left}") if left else 0)


def no_longer_disputed_text(refused: NoLongerDisputed, left: str | None) -> str:
    """Why a final decision was NOT saved, in one line at 80 columns: the label is disputed no more (its row goes),
    and so nothing to do, where there is room (on a note left, ``left``, named by :func:`on_note`): the library's
    message named the note again and took two or three lines."""
    said, then = f"{BY_NAME[refused.label].shown_name}: no longer disputed", "; nothing to do"
    return said + (then if len(said + then) <= refusal_room(left) else "")


@dataclass(frozen=True)
class EvidenceView:
    """What NoteText needs to highlight the model's evidence for the disputed labels."""

    note: Note
    labels: tuple[LabelView, ...]
    comments: tuple[dict, ...] = ()  # the adjudication screen shows none (the note screen shows them)


def evidence_view(view: AdjudicationView) -> EvidenceView:
    rows = tuple(LabelView(d.label, d.prediction.score if d.prediction else None, None, True, None,
                           tuple(d.prediction.evidence) if d.prediction else ()) for d in view.disputes)
    return EvidenceView(view.note, rows)


def changed_disputes_text(before: AdjudicationView, after: AdjudicationView) -> str:
    """What the status line says as the open note is shown again, changed elsewhere (another adjudicator's final
    decision, a coder's): the dispute changed and what it shows now (several: their symbols); '' if nothing did."""
    was, now = {row.label: row for row in before.disputes}, {row.label: row for row in after.disputes}
    changes = []
    for name in LABEL_NAMES:
        old, new = was.get(name), now.get(name)
        if new is None or old is None:
            if new is not old:
                changes.append((name, "no longer disputed" if new is None else "now disputed"))
        elif new.final != old.final:
            changes.append((name, f"now {FINAL_WORDS[new.final]}"))
        elif new.states != old.states:
            changes.append((name, "a coder's decision changed"))
    # the count of open disputes is the scope's: one settled on another note is shown in the header, not said here
    same_note = replace(after, open_disputes=before.open_disputes) == before
    return changed_labels_text(changes) or ("" if same_note else "changed elsewhere")


#: a reviewer's name is shortened to fit the row, never below this many characters (and "…")
NAME_MIN = 6


def fitted_names(names: list[str], room: int) -> list[str]:
    """The names, the longest shortened in turn (ending "…") until they take ``room`` columns or less."""
    names = list(names)
    while sum(map(len, names)) > room:
        longest = max(range(len(names)), key=lambda i: len(names[i]))
        if len(names[longest]) <= NAME_MIN + 1:
            break
        names[longest] = names[longest][:len(names[longest]) - 2] + "…"
    return names


def model_text(row: DisputeView, width: int | None = None) -> Text:
    """The model's score (◆: suggested); given a ``width``, as wide with ◆ as without, so that rows align."""
    model = Text()
    if row.prediction is not None:
        mark = " ◆" if row.prediction.suggested else ("  " if width is not None else "")
        model.append(f" model {row.prediction.score:.2f}{mark}", style="dim")
    return model


def fitted_row(row: DisputeView, width: int) -> tuple[list[str], int]:
    """The reviewers' names and the title's width that keep the row in ``width`` columns: long names are
    shortened first, then (under 80 columns) the title, after the symbol that names the label too."""
    names = [name for name, _ in sorted(row.states.items())]
    # symbol (3), the spaces around the title (2), the final word (13), each reviewer's two spaces and mark
    room = width - 18 - model_text(row, width).cell_len - 4 * len(names)
    names = fitted_names(names, room - TITLE_WIDTH)
    return names, max(0, min(TITLE_WIDTH, room - sum(map(len, names))))


def dispute_line(row: DisputeView, width: int | None = None, title_width: int | None = None) -> Text:
    """One line: label, the final call, each reviewer's decision (✓ concern, ✗ not, ? unsure), the model's score.

    Given the ``width``, long reviewer names ('import:notes.jsonl') are shortened so that the model's score
    stays on the line, then the title (:func:`fitted_row`); ``title_width``, narrower, aligns it with other rows.
    The definition under the panel gives the selected label's whole title.
    """
    label = BY_NAME[row.label]
    reviewers, states = zip(*sorted(row.states.items())) if row.states else ((), ())
    names, fits = fitted_row(row, width) if width is not None else (list(reviewers), TITLE_WIDTH)
    title_width = fits if title_width is None else min(fits, title_width)
    title = label.title if len(label.title) <= title_width else label.title[:max(title_width - 1, 0)] + "…"
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f" {label.symbol} ", style=f"bold #ffffff on {label.colour}")
    line.append(f" {title:<{title_width}} " if title_width else " ")
    line.append(f"→ {FINAL_WORDS[row.final]:<10} ", style="bold" if row.final else "italic")
    for name, state in zip(names, states):
        line.append(f" {name} {STATE_MARKS[state]} ")
    line.append_text(model_text(row, width))
    return line


class DisputePanel(Widget, can_focus=True):
    """The disputed labels of the note; y / n settle the selected one.

    y / n run the screen's action at once, as the key is handled (as the label
    panel's keys do): a message would reach the screen after a following Enter
    had moved on, and the decision would land on the wrong note.
    """

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False, id="dispute_up"),
        Binding("down,j", "move(1)", "Down", show=False, id="dispute_down"),
        Binding("y", "screen.settle(True)", "Concern", id="settle_concern"),
        Binding("n", "screen.settle(False)", "No concern", id="settle_no_concern"),
    ]
    cursor: reactive[int] = reactive(0)

    class Selected(Message):
        def __init__(self, label: str) -> None:
            super().__init__()
            self.label = label

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: tuple[DisputeView, ...] = ()

    def show(self, rows: tuple[DisputeView, ...]) -> None:
        self.rows = rows
        self.cursor = min(self.cursor, max(len(rows) - 1, 0))
        self.refresh(layout=True)

    @property
    def selected(self) -> str | None:
        return self.rows[self.cursor].label if self.rows else None

    def action_move(self, step: int) -> None:
        if self.rows:
            self.cursor = (self.cursor + step) % len(self.rows)
            self.post_message(self.Selected(self.rows[self.cursor].label))
            self.refresh()

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(len(self.rows), 1)

    def render(self) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        # one title width for every row, the narrowest a row needs: the final words stay in a column
        title_width = min((fitted_row(row, self.size.width)[1] for row in self.rows), default=TITLE_WIDTH)
        for i, row in enumerate(self.rows):
            line = dispute_line(row, self.size.width, title_width)
            if i == self.cursor:
                line.stylize("reverse")
            out.append_text(line)
            if i < len(self.rows) - 1:
                out.append("\n")
        return out


class AdjudicationScreen(ScrollKeys, NoteSaves, Screen):
    """Settle an audit's or the workspace's disagreements note by note; each final decision is saved at once, in key order."""

    DEFAULT_CSS = """
    AdjudicationScreen #adjudication-text { height: 1fr; min-height: 5; padding: 0 1; }
    AdjudicationScreen DisputePanel { height: auto; max-height: 9; padding: 0 1; border-top: hkey $primary-darken-2; }
    AdjudicationScreen DisputePanel:focus { background: $boost; }
    AdjudicationScreen #adjudication-definition-pane { height: 1fr; max-height: 6; }
    AdjudicationScreen #adjudication-definition { padding: 0 1; color: $text-muted; }
    """
    # The note and the definition (6 rows at most) share the rows left, the note 5 at least; the definition scrolls:
    # at 60x20 with seven disputes it kept 6 rows and the note had 1, and its end was cut with no sign, at 80x24 too.
    BINDINGS = [
        Binding("enter", "next_note", "Next", id="next"),
        Binding("backspace", "previous_note", "Previous", id="previous"),
        # the dispute panel keeps the focus: these scroll the note above it and the definition under it
        *note_scroll_bindings("#adjudication-text"),
        *definition_scroll_bindings("#adjudication-definition-pane"),
    ]
    # The help screen's keys here (the review screen's keys do not apply).
    HELP_ROWS = (
        KeyRow(("dispute_up", "dispute_down"), "select a disputed label (a note opens on its first open one)"),
        KeyRow(("settle_concern", "settle_no_concern"),
               "final decision on the selected label: concern / no concern (the other key changes it; the same one "
               "again saves nothing; one settled otherwise elsewhere since it showed is refused, and shown)"),
        KeyRow(("next", "previous"), "next / previous note (final decisions are already saved); next on the "
                                     "last note looks for disputes made since the screen opened"),
        *NOTE_SCROLL_ROWS,
        DEFINITION_SCROLL_ROW,
    )
    HELP_NOTES = """\
Each row shows the label, the final decision (open until you make it), each reviewer's decision
(✓ confirmed, + added, ✗ rejected, ? unsure; a long name, then under 80 columns the title, shortened
with … to keep the row on screen: the definition under the rows gives the selected label's whole title)
and the model's score (◆: suggested; hidden, with its evidence, on a note of an audit sampled with
--hide-model, as from its coders). You cannot settle a dispute you coded yourself.
"""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="meta", markup=False)  # ids are text: "[PERSON]" is not a tag
        yield NoteText(id="adjudication-text")
        yield DisputePanel(id="disputes")
        with VerticalScroll(id="adjudication-definition-pane", can_focus=False):
            yield Static("", id="adjudication-definition")
        yield Static("", id="status-line", markup=False)
        # compact, as the note screen's: room for its keys at 60 columns, moving on kept before settling
        yield KeysFooter(compact=True, show_command_palette=False,
                         keep=("next", "previous", "settle_concern", "settle_no_concern"))

    _opening: tuple[str, int] | None = None  # a note and the row its panel opens on (row_for)
    said_changed = staticmethod(changed_disputes_text)  # NoteSaves.show_changed: what changed elsewhere

    def on_mount(self) -> None:
        self.query_one(DisputePanel).focus()
        self.refresh_note()
        self.watch_elsewhere()

    def row_for(self, note_id: str) -> int:
        """The row the note's panel opens on: its first open dispute (it opened on the last note's row, a dispute
        settled already, where y or n changed a final decision instead of making one). Taken once per visit, as the
        note is shown or as a key settles on it before it shows, so that both take the same row."""
        if self._opening is None or self._opening[0] != note_id:
            self._opening = (note_id, self.session.first_open(note_id))
        return self._opening[1]

    @property
    def session(self):
        return self.app.adjudication

    @work(thread=True, exclusive=True, group="adjudication")
    def refresh_note(self, message: str = "") -> None:
        self.read_and_show(message)

    def show_view(self, view: AdjudicationView | None, message: str | None = "") -> None:
        """Show ``view`` and ``message`` on the status line (None: the line as it is)."""
        if not self.fresh(view):
            return  # read before the adjudicator moved on, or before the view on screen
        shown = getattr(self, "view", None)
        arrived = view is not None and (shown is None or shown.note.note_id != view.note.note_id)
        self.view = view
        if message is not None:
            self.query_one("#status-line", Static).update(message)
        panel = self.query_one(DisputePanel)
        selected = panel.selected
        if view is None:
            self.query_one("#meta", Static).update(f"No open disputes in {self.session.scope}.")
            panel.show(())
            return
        note = view.note
        # the count beside the position: last, it wrapped at 80 columns ("5" on one line, "disputes open" on the next);
        # it counts the audit's (or workspace's) open disputes, not the note's: "4 disputes open" alone read as these
        scope = "this audit" if self.session.audit is not None else "the workspace"
        self.query_one("#meta", Static).update("  ·  ".join([
            f"note {position(view.position + 1, view.queue_length)}", f"{count(view.open_disputes, 'dispute')} open in {scope}",
            note.note_id, f"case {note.case_id or '–'}", note.when or NO_DATE, note.author_role or "–",
            *(["model hidden"] if view.model_hidden else []),
        ]))
        self.query_one(NoteText).show(evidence_view(view))
        panel.show(view.disputes)
        labels = [row.label for row in view.disputes]
        if arrived:  # on the note the adjudicator moved to: its first open dispute; else where they put the cursor
            panel.cursor = min(self.row_for(note.note_id), max(len(view.disputes) - 1, 0))
        elif selected in labels:  # on its label, though a dispute above it ended elsewhere: y must settle what it did
            panel.cursor = labels.index(selected)
        if panel.selected:
            self.show_definition(panel.selected)

    def _move(self, step, edge: str, moved: str = "") -> None:
        self._opening = None  # each visit to a note opens on its first open dispute, as it is then
        super()._move(step, edge, moved)

    def action_next_note(self) -> None:
        """The next note; on the last one (or none), look for disputes made since the queue was read.

        The look runs in the save queue (after the final decisions typed before it, and never
        beside one): it reads every dispute of the scope. The queue only grows at its end, and
        the screen stays on the note it shows, so a key typed next lands on that note.
        """
        session = self.session
        if session.index < len(session.note_ids) - 1:
            super().action_next_note()
            return

        def look_again(session) -> str:
            added = session.look_again()
            if not added or len(session.note_ids) == added:  # nothing new, or the queue was empty: shown now
                return "end of the queue" if not added else ""
            return (f"end of the queue; {count(added, 'more note')} with open disputes since it opened: "
                    f"Enter for {'it' if added == 1 else 'them'}")

        self._save(look_again)

    def on_dispute_panel_selected(self, event: DisputePanel.Selected) -> None:
        self.show_definition(event.label)

    def show_definition(self, label: str) -> None:
        self.query_one("#adjudication-definition", Static).update(definition_text(label))
        self.query_one("#adjudication-definition-pane").scroll_home(animate=False)

    # -- final decisions: queued as the key is pressed, saved in key order off the UI thread (NoteSaves) --
    def action_settle(self, positive: bool) -> None:
        """Settle the selected dispute of the note open when the key was pressed.

        When that note is not on screen yet (y typed just after Enter), the label is
        the one its panel will show selected: its first open dispute (row_for).
        """
        panel = self.query_one(DisputePanel)
        view = getattr(self, "view", None)
        note_id = self.session.current_id
        shown = view is not None and view.note.note_id == note_id
        if shown and panel.selected is None:
            return
        label = panel.selected if shown else None
        row = panel.cursor if shown or note_id is None else self.row_for(note_id)
        # what the adjudicator saw of it: a final decision made elsewhere since is refused, not overwritten unseen
        seen = {"shown_final": panel.rows[panel.cursor].final} if shown else {}
        key = key_for(self, "settle_concern" if positive else "settle_no_concern")

        def settle(session, note_id: str) -> str:
            labels = session.disputed_labels(note_id)
            if label is None and not labels:
                raise CaseReviewError(f"note {note_id!r} has no dispute to settle")
            chosen = label or labels[min(row, len(labels) - 1)]
            try:
                decision = session.settle(chosen, positive, note_id=note_id, **seen)
            except SettledElsewhere as e:  # the rows show it once this save ends: the key again changes it
                raise CaseReviewError(settled_elsewhere_text(e, key, left_note(session, note_id))) from None
            except NoLongerDisputed as e:  # its row goes once this save ends
                raise CaseReviewError(no_longer_disputed_text(e, left_note(session, note_id))) from None
            if decision is None:  # settled so already: nothing recorded
                return unchanged(chosen, FINAL_WORDS[session.final(note_id, chosen)])
            return f"saved · {BY_NAME[decision.label].shown_name}: {FINAL_WORDS[decision.state]}"

        self._save_on_note(settle, str)
