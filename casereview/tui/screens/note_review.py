"""The note review screen: note text with evidence, label panel, definition and metadata."""

from __future__ import annotations

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ...review import NoteView
from ...taxonomy import BY_NAME
from ..widgets.label_panel import LabelPanel
from ..widgets.note_text import NoteText
from ..widgets.pii_warning import PiiWarning
from .prompt import PromptScreen


def metadata_line(view: NoteView) -> str:
    note = view.note
    where = f"note {view.position + 1}/{view.queue_length}" if view.position >= 0 else "opened from timeline"
    case = f"case {note.case_id} ({view.case_position}/{view.case_length})" if note.case_id else "no case"
    parts = [where, note.note_id, case, note.date or "no date", note.author_role or "–", note.note_type or "–"]
    if view.comments:
        parts.append(f"{len(view.comments)} comment(s)")
    return "  ·  ".join(parts)


def saved_decision(decision) -> str:
    return f"saved · {decision.label}: {decision.state}"


def definition_text(name: str, view: NoteView | None = None) -> str:
    label = BY_NAME[name]
    core = " (core)" if label.core else ""
    text = f"[b]{label.number}. {label.title}{core}[/b]\n{label.definition}\n\n[i]Not:[/i] {label.exclude}"
    shown = next((lv for lv in view.labels if lv.name == name), None) if view else None
    if shown and shown.terms:  # why the model suggests it, before what the label means
        text = f"[i]Model's reasons:[/i] {escape(' · '.join(shown.terms))}\n\n" + text
    return text


class NoteReviewScreen(Screen):
    """Review one note at a time; every decision is saved at once."""

    BINDINGS = [
        Binding("enter", "next_note", "Next", id="next"),
        Binding("backspace", "previous_note", "Previous", id="previous"),
        Binding("z", "undo", "Undo", id="undo"),
        Binding("c", "comment", "Comment", id="comment"),
        Binding("t", "timeline", "Timeline", id="timeline"),
        Binding("d", "personal_data", "Personal data", id="personal_data", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="meta")
        yield PiiWarning(id="pii-warning")
        with Horizontal(id="review-body"):
            yield NoteText(id="note-text")
            with Vertical(id="side"):
                yield LabelPanel(id="labels")
                yield Static("", id="definition")
        yield Static("", id="status-line")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(LabelPanel).focus()
        self.show_definition()
        self.refresh_note()

    @property
    def session(self):
        return self.app.session

    # -- loading -----------------------------------------------------------------
    @work(thread=True, exclusive=True, group="note")
    def refresh_note(self, message: str = "") -> None:
        view = self.session.view()
        self.app.call_from_thread(self.show_view, view, message)

    def show_view(self, view: NoteView | None, message: str = "") -> None:
        self.view = view
        if view is None:
            self.query_one("#meta", Static).update("The queue is empty: no notes match. Press l for the queue, f to filter.")
            self.query_one(LabelPanel).show(())
            self.show_definition()  # no note: no model's reasons left from the last one
            return
        self.query_one("#meta", Static).update(metadata_line(view))
        self.query_one(PiiWarning).load(view.note.note_id)
        self.query_one(NoteText).show(view)
        self.query_one(LabelPanel).show(view.labels)
        self.show_definition()
        self.query_one("#status-line", Static).update(message)

    def show_definition(self, name: str | None = None) -> None:
        self.query_one("#definition", Static).update(
            definition_text(name or self.query_one(LabelPanel).selected, getattr(self, "view", None)))

    # -- decisions (each in a worker, saved before the screen updates) ------------------
    @on(LabelPanel.Decide)
    def on_decide(self, event: LabelPanel.Decide) -> None:
        self._act(lambda: self.session.decide(event.label, event.state), saved_decision)

    @on(LabelPanel.Toggle)
    def on_toggle(self, event: LabelPanel.Toggle) -> None:
        self._act(lambda: self.session.toggle(event.label), saved_decision)

    @on(LabelPanel.AcceptAll)
    def on_accept_all(self) -> None:
        self._act(self.session.accept_all, lambda _: "saved · accepted every suggestion")

    @on(LabelPanel.Selected)
    def on_selected(self, event: LabelPanel.Selected) -> None:
        self.show_definition(event.label)

    @work(thread=True, group="decide")
    def _act(self, action, describe, needs_note: bool = True) -> None:
        """Save off the UI thread, then show the note with what was saved."""
        if needs_note and self.session.current_id is None:
            return  # an empty queue: nothing to decide on
        message = describe(action())
        self.app.call_from_thread(self.show_view, self.session.view(), message)

    def action_undo(self) -> None:
        self._act(self.session.undo, lambda d: f"undone · {d.label}: {d.state}" if d else "nothing to undo",
                  needs_note=False)

    # -- navigation --------------------------------------------------------------
    def action_next_note(self) -> None:
        self.session.next()
        self.refresh_note()

    def action_previous_note(self) -> None:
        self.session.previous()
        self.refresh_note()

    def action_comment(self) -> None:
        if self.session.current_id is None:
            return

        def save(text: str | None) -> None:
            if text:
                self._act(lambda: self.session.comment(text), lambda _: "comment saved")

        self.app.push_screen(PromptScreen("Comment on this note", "comment"), save)

    def action_timeline(self) -> None:
        view = getattr(self, "view", None)
        if view is not None and view.note.case_id:
            self.app.open_timeline(view.note.case_id)

    def action_personal_data(self) -> None:
        from .pii_findings import PiiFindingsScreen

        view = getattr(self, "view", None)
        if view is not None:
            self.app.push_screen(PiiFindingsScreen(view.note.note_id), lambda changed: changed and self.refresh_note())
