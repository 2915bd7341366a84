"""The note review screen: note text with evidence, label panel, definition and metadata."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from ...errors import CaseReviewError
from ...escaping import visible_controls
from ...review import DecidedElsewhere, NoteView, QueuePlace, ReviewSession, first_to_decide
from ...workspace import Decision
from ...taxonomy import BY_NAME, LABEL_NAMES
from ...wording import agree, count, number, part, position, when_saved
from ..saves import STATUS_COLUMNS, NoteSaves, on_note
from ..widgets.keys_footer import KeysFooter
from ..widgets.label_panel import LabelPanel
from ..widgets.note_text import NoteText, ScrollKeys, note_scroll_bindings
from ..widgets.pii_warning import PiiWarning
from .help import KeyRow, key_for
from .list_screen import NO_DATE, NO_VALUE
from .prompt import PromptScreen


def metadata_line(view: NoteView) -> str:
    note = view.note
    where = f"note {position(view.position + 1, view.queue_length)}" if view.position >= 0 else "opened from timeline"
    if view.outside_audit is not None:  # a note of the case file the audit did not draw for the reviewer
        where += f"  ·  read only: not yours in audit {view.outside_audit}"
    case = f"case {note.case_id} ({position(view.case_position, view.case_length)})" if note.case_id else "no case"
    parts = [where, note.note_id, case, note.when or NO_DATE, note.shown_coded("author_role") or NO_VALUE,
             note.shown_coded("note_type") or NO_VALUE]
    if view.comments:
        parts.append(count(len(view.comments), "comment"))
    return "  ·  ".join(parts)


def opening_text(place: QueuePlace) -> str:
    """What the status line says as the review opens: where it resumed, and how much of the queue is left to code, in
    the words every screen counting it uses (ReviewSession.notes_to_code; in an audit, of the notes the reviewer codes
    in it, to code by their own decisions in it: what its progress screen counts, :class:`review.AuditProgress`)."""
    left = f"{part(place.left, place.notes, 'note' if place.audit is None else 'audit note')} to code"
    if place.from_start:
        return f"from the queue's first note · {left}"
    if not place.resumed:
        return left if place.left < place.notes else ""  # nothing decided in the queue: nothing to say
    today = f" · {number(place.decided_today)} by you today" if place.decided_today else ""  # notes decided on
    # the header gives the note's place; a queue of 100,000 notes took 82 columns: where it resumed, in fewer words
    said = f"resumed where you left off · {left}{today}"
    return said if len(said) <= STATUS_COLUMNS else f"resumed · {left}{today}"


def saved_decision(decision) -> str:
    return f"saved · {BY_NAME[decision.label].shown_name}: {decision.state}"


def unchanged(label: str, state: str) -> str:
    """What a key that changed nothing says (review.repeats): the label, and what it is already."""
    return f"not changed · {BY_NAME[label].shown_name}: already {state}"


def unchanged_own(label: str, own: Decision | None, shown: Decision | None) -> str:
    """:func:`unchanged` of a reviewer's key, ``own`` their decision of the label (None: taken back meanwhile) and
    ``shown`` the label's latest, which the panel shows: where that is another reviewer's (a colleague's, an import's,
    one merged in), who made it and when. "already confirmed" alone, beside a panel showing another's rejection (or
    another's confirmation, which the key did not make), read as the reviewer's own key misread."""
    if own is None:
        return unchanged(label, "so")
    if shown is None or shown.id == own.id:
        return unchanged(label, own.state)
    said = f"not changed · {BY_NAME[label].shown_name}: yours {own.state}; {shown.reviewer} {shown.state} it"
    timed = f"{said} {when_saved(shown.created_at)}"
    return timed if len(timed) <= STATUS_COLUMNS else said  # who before when: with the longest title it took 83


def decide_or_say_unchanged(decide: Callable[[ReviewSession, str, str], Decision | None],
                            label_of: Callable[[ReviewSession], str], key: str) -> Callable[[ReviewSession, str], str]:
    """A deciding key's save, ``decide(session, label, note_id)`` of the label ``label_of(session)`` (known as the key
    is pressed, or, typed on a note not shown yet, read as the save runs: NoteReviewScreen.key_row): the decision
    saved, or, as the reviewer's state was that already, that nothing was; refused (NOT saved), a state of theirs
    changed elsewhere since the note showed: what it is now and, on the note still open, that ``key`` again changes it
    (the panel shows it once the save ends)."""
    def save(session: ReviewSession, note_id: str) -> str:
        label = label_of(session)
        try:
            decision = decide(session, label, note_id)
        except DecidedElsewhere as e:
            again = f"; {key} again" if note_id == session.current_id else ""  # else it would decide another note
            raise CaseReviewError(f"{BY_NAME[label].shown_name}: {e.state or 'undecided'} elsewhere{again}") from None
        if decision is not None:
            return saved_decision(decision)
        own = session.own_decisions(note_id).get(label)  # None only if another program took it back meanwhile
        return unchanged_own(label, own, session.shown_decisions(note_id).get(label))

    return save


def accepted(decisions: list) -> str:
    if not decisions:
        return "no suggestions to accept"
    return f"saved · accepted {count(len(decisions), 'suggestion')}"


def rejected_undecided(made: tuple[list, int, int], in_audit: bool = False) -> str:
    """What N saved: the labels it rejected, how many of them the model suggested (rejected unread, perhaps), and
    how many it left as others decided them (the panel shows those as it shows the reviewer's own; ``in_audit``, as
    decided outside the audit, the reviewer's own decisions there too: "not the audit's"). With those, in
    fewer words: "...; 2 left as others decided them (y/n/u to decide yourself)" took up to 120 characters (132
    naming a note left, :func:`on_note`), wrapped at 80 columns, and the note's text lost a row."""
    decisions, suggested, others = made
    if not decisions:
        text = "no labels left undecided"
    elif others:  # the labels rejected were the undecided ones: the rest were someone's
        rejected = f"{len(decisions)} ({suggested} suggested)" if suggested else count(len(decisions), "label")
        text = f"saved · rejected {rejected}"
    else:
        text = f"saved · rejected {count(len(decisions), 'label')} left undecided"
        text += f" ({suggested} of them suggested)" if suggested else ""
    if others:
        whose = "not the audit's" if in_audit else agree(others, "other's", "others'")
        text += f"; {others} {whose} kept (y/n/u: yours)"
    return text


def reject_undecided(session, note_id: str) -> tuple[list, int, int]:
    suggested = {name for name, p in session.shown_predictions(note_id).items() if p.suggested}
    decisions = session.reject_undecided(note_id)
    return decisions, sum(d.label in suggested for d in decisions), len(session.decided_by_others(note_id))


def undone_text(undone: tuple, now: dict[str, Decision], reviewer: str, other_note: str | None = None) -> str:
    """What z took back (a decision, or a key's several: a, N) and what the labels show now (``now``: the note's
    shown decisions after it): "unsure" alone read as if the label were now unsure. On ``other_note``, a note the
    reviewer has left, the note named (:func:`on_note`, as every save's message names it) and an arrow for "taken back,
    now": the longest title's message took 97 characters, wrapped at 80 columns, and the note's text lost a row.
    There, another reviewer's name is said where the line has room (the label title is not cut for it): with the
    longest title, "confirmed → rejected by bo" took 81 characters."""
    what = BY_NAME[undone[0].label].shown_name if len(undone) == 1 else count(len(undone), "label")

    def shown(label: str, named: bool) -> str:
        decision = now.get(label)
        if decision is None:
            return "undecided"
        return decision.state + (f" by {decision.reviewer}" if named and decision.reviewer != reviewer else "")

    def after(named: bool = True) -> str:
        states = Counter(shown(d.label, named) for d in undone)
        return next(iter(states)) if len(states) == 1 else ", ".join(f"{n} {state}" for state, n in states.items())

    if other_note is None:
        return f"undone · {what}: {undone[0].state} taken back, now {after()}"
    said = on_note(f"undone · {what}: {undone[0].state} → {after()}", other_note)
    return said if len(said) <= STATUS_COLUMNS else on_note(f"undone · {what}: {undone[0].state} → {after(False)}",
                                                             other_note)


def changed_labels_text(changes: list[tuple[str, str]]) -> str:
    """What the status line says of labels changed elsewhere (another window, reviewer or adjudicator), each a
    (label, what it shows now): one, its name and that; several, their symbols; '' for none."""
    if len(changes) == 1:
        name, now = changes[0]
        return f"changed elsewhere · {BY_NAME[name].shown_name}: {now}"
    if changes:
        return f"changed elsewhere · {count(len(changes), 'label')}: {' '.join(BY_NAME[n].symbol for n, _ in changes)}"
    return ""


def changed_text(before: NoteView, after: NoteView, reviewer: str | None = None) -> str:
    """What the status line says as the open note is shown again, changed by another window or reviewer: the label
    whose state changed and what it shows now, by whom where that is not ``reviewer`` (the one reviewing here), where
    the line has room (several labels: their symbols), else what else changed; '' if nothing did."""
    changed = [(was, now) for was, now in zip(before.labels, after.labels) if now.state != was.state]
    labels = changed_labels_text([(now.name, f"now {now.state or 'undecided'}") for _, now in changed])
    if len(changed) == 1 and changed[0][1].state and changed[0][1].decided_by not in (None, reviewer):
        named = f"{labels} by {changed[0][1].decided_by}"
        labels = named if len(named) <= STATUS_COLUMNS else labels
    if labels:
        return labels
    if len(after.comments) > len(before.comments):
        return f"changed elsewhere · {count(len(after.comments) - len(before.comments), 'new comment')}"
    return "changed elsewhere" if after != before else ""


def definition_text(name: str, view: NoteView | None = None) -> Text:
    """The label's definition, and first the model's reasons for suggesting it on the note: words of notes, as
    written (a Text: not markup)."""
    label = BY_NAME[name]
    core = " (core)" if label.core else ""
    shown = next((lv for lv in view.labels if lv.name == name), None) if view else None
    # the reasons are words of the note: an escape character in one is drawn, not sent to the terminal
    terms = " · ".join(visible_controls(term) for term in shown.terms) if shown else ""
    reasons = [("Model's reasons:", "italic"), f" {terms}\n\n"] if terms else []
    if view is not None and view.unscored:  # every label "–": a model promoted and not run, said where it shows
        model = f"the model in use, {view.model_version}" if view.model_version else "any model"
        reasons = [(f"Not scored by {model}: no suggestions until 'casereview tag' scores the note.", "italic"),
                   "\n\n"]
    return Text.assemble(*reasons, (f"{label.number}. {label.title}{core}", "bold"), f"\n{label.definition}\n\n",
                         ("Not:", "italic"), f" {label.exclude}")


#: the help rows of note_scroll_bindings, on every screen that shows a note
NOTE_SCROLL_ROWS = (
    KeyRow(("note_page_down", "note_page_up"), "scroll the note text a page"),
    KeyRow(("note_line_down", "note_line_up"), "scroll the note text a line"),
    KeyRow(("note_start", "note_end"), "go to the note text's start / end"),
)


def definition_scroll_bindings(selector: str) -> list[Binding]:
    """The keys that scroll the label's definition (the pane ``selector`` names) while a panel keeps the focus: the
    same ids on every screen that shows a definition (actions of :class:`ScrollKeys`)."""
    return [
        Binding("right_square_bracket", f"scroll('{selector}', 1)", "Scroll definition", id="definition_down",
                show=False),
        Binding("left_square_bracket", f"scroll('{selector}', -1)", "Scroll definition back", id="definition_up",
                show=False),
    ]


#: the help row of definition_scroll_bindings
DEFINITION_SCROLL_ROW = KeyRow(("definition_down", "definition_up"), "scroll the label's definition")


class Visit:
    """A note the reviewer moved to whose view has not shown yet, and the keys typed on it meanwhile.

    The row its panel opens on (review.first_to_decide) is read once: by the save of the first key that needs it, off
    the UI thread (the workspace may be waiting for another program's write), or from the view as it shows, whichever
    comes first, so that both take the same row; a decision saved first would make the next suggestion the first one
    still to decide. A number key chooses a row; j and k move from it, else from the row the note opens on.
    """

    def __init__(self, note_id: str) -> None:
        self.note_id = note_id
        self.chosen: int | None = None  # the row a number key chose
        self.moved = 0  # j / k typed since (or since the note was moved to)
        self._opening: int | None = None
        self._lock = threading.Lock()

    def opening_row(self, read: Callable[[], int]) -> int:
        """The row the note opens on: ``read()``, unless read already (two threads reading: the first one kept)."""
        if self._opening is None:
            row = read()  # outside the lock: the read may wait for the workspace
            with self._lock:
                if self._opening is None:
                    self._opening = row
        return self._opening

    def row(self) -> Callable[[Callable[[], int]], int]:
        """The row the keys typed so far select, given how to read the row the note opens on if none chose one: a key
        acts on the row selected as it is pressed, whatever is typed after it."""
        chosen, moved = self.chosen, self.moved

        def selected(read: Callable[[], int]) -> int:
            return ((chosen if chosen is not None else self.opening_row(read)) + moved) % len(LABEL_NAMES)

        return selected


class NoteReviewScreen(ScrollKeys, NoteSaves, Screen):
    """Review one note at a time; every decision is saved at once, in the order of the keys."""

    HELP_ROWS = (
        KeyRow(("label_up", "label_down"), "select a label (a note moved to opens on its first suggestion still to "
                                           "decide, else on label 1)"),
        KeyRow(("confirm", "reject", "unsure"),
               "confirm / reject / unsure the selected label (confirming one not suggested: added; one already "
               "so by you: nothing saved)"),
        KeyRow(tuple(f"toggle_{i}" for i in range(1, len(LABEL_NAMES) + 1)),
               "toggle label N (add, or reject a positive)"),
        KeyRow(("accept_all",), "accept every suggestion on the note"),
        KeyRow(("reject_undecided",), "reject every label left undecided (·): the note is coded, what you did not mark "
                                      "is absent. A label shown decided stays as it is, unsure too, and on a note "
                                      "not blind another reviewer's or an import's: N records nothing on it (y, n or "
                                      "u decides it yourself)"),
        KeyRow(("next", "previous"), "next / previous note (decisions are already saved); on a note opened from the "
                                     "timeline, its case file's, in date order, then back to the queue's note you "
                                     "left"),
        *NOTE_SCROLL_ROWS,
        DEFINITION_SCROLL_ROW,
        KeyRow(("undo",), "undo your last decision, all of one key's at once (accept every suggestion, reject the rest; "
                          "taken back: the label shows what was current before it)"),
        KeyRow(("comment",), "comment on the note (Escape keeps what you typed: the key brings it back)"),
        KeyRow(("timeline",), "timeline of the note's case file"),
        KeyRow(("personal_data",), "the note's personal-data findings (when the red warning shows)"),
    )
    HELP_NOTES = ("Each label's row: its score, ◆ when the model suggests it, and its state (· unreviewed, ✓ confirmed: "
                  "a suggestion agreed with, ✗ rejected, + added: a concern the model did not suggest, or did not show, "
                  "? unsure; in words too where the panel is wide enough). Suggestions you move past without "
                  "deciding stay *unreviewed*. Keys can be rebound in "
                  "`~/.config/casereview/keys.toml` (see the README); this table shows them as bound now.")

    #: note id -> a comment typed and not saved (closed by Escape, or its save failed), offered again by c
    _unsaved_comments: dict[str, str]

    def said_changed(self, before: NoteView, after: NoteView) -> str:  # NoteSaves.show_changed: what changed elsewhere
        return changed_text(before, after, self.session.reviewer)

    BINDINGS = [
        Binding("enter", "next_note", "Next", id="next"),
        Binding("backspace", "previous_note", "Prev", tooltip="Previous note", id="previous"),
        Binding("z", "undo", "Undo", id="undo"),
        Binding("c", "comment", "Comment", id="comment", show=False),
        Binding("t", "timeline", "Timeline", id="timeline", show=False),
        Binding("d", "personal_data", "Personal data", id="personal_data", show=False),
        # the label panel keeps the focus: these scroll the panes beside it
        *note_scroll_bindings("#note-text"),
        *definition_scroll_bindings("#definition-pane"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="meta", markup=False)  # ids are text: "[PERSON]" is not a tag
        yield PiiWarning(id="pii-warning")
        with Horizontal(id="review-body"):
            yield NoteText(id="note-text")
            with Vertical(id="side"):
                yield LabelPanel(id="labels")
                with VerticalScroll(id="definition-pane", can_focus=False):
                    yield Static("", id="definition")
        yield Static("", id="status-line", markup=False)
        # compact: room for all its keys at 80 columns; narrower, moving on and undoing are kept before deciding
        # (y and n, then u and a; 1-7 goes first), which the label panel's marks and help also show
        yield KeysFooter(compact=True, show_command_palette=False,
                         keep=("next", "previous", "undo", "confirm", "reject", "unsure", "accept_all"))

    def on_mount(self) -> None:
        self._unsaved_comments = {}
        self.query_one(LabelPanel).focus()
        self.show_definition()
        self.open_queue()
        self.watch_elsewhere()

    @property
    def session(self):
        return self.app.session

    # -- loading -----------------------------------------------------------------
    @work(thread=True, exclusive=True, group="note")
    def open_queue(self) -> None:
        """Show the note the queue opens on, which the app decided before any screen (``ReviewApp.place``)."""
        self.read_and_show(opening_text(self.app.place))

    @work(thread=True, exclusive=True, group="note")
    def refresh_note(self, message: str = "") -> None:
        self.read_and_show(message)

    def show_view(self, view: NoteView | None, message: str | None = "") -> None:
        """Show ``view`` and ``message`` on the status line (None: the line as it is)."""
        if not self.fresh(view):
            return  # read before the reviewer moved on, or before the view on screen
        self.view = view
        if message is not None:
            self.query_one("#status-line", Static).update(message)
        if view is None:  # an empty queue: nothing of the last note stays on screen
            # the way back named: "Press l for the queue" opened the empty list
            self.query_one("#meta", Static).update(
                f"The queue is empty: no notes match. Press {key_for(self, 'search')} to search again (emptied, it "
                f"clears the search) or {key_for(self, 'filter')} to change the filter.")
            self.query_one(PiiWarning).clear()
            self.query_one(NoteText).clear()
            self.query_one(LabelPanel).show(())
            self.show_definition()
            return
        self.query_one("#meta", Static).update(metadata_line(view))
        self.query_one(PiiWarning).load(view.note.note_id)
        self.query_one(NoteText).show(view, self.session.query.search)  # its matches highlighted
        self.place_cursor(view).show(view.labels)
        self.show_definition()

    def show_definition(self, name: str | None = None) -> None:
        self.query_one("#definition", Static).update(
            definition_text(name or self.query_one(LabelPanel).selected, getattr(self, "view", None)))
        self.query_one("#definition-pane").scroll_home(animate=False)

    # -- the label panel's cursor: a note moved to opens on its first suggestion still to decide ----------------
    _cursor_on: str | None = None  # the note the panel's cursor was placed for; None once the reviewer left it
    _visit: Visit | None = None  # the note moved to, not shown yet, if a key was typed on it

    def place_cursor(self, view: NoteView) -> LabelPanel:
        """The label panel, its cursor placed for the note of ``view`` once per visit: on the note's first suggestion
        still to decide (review.first_to_decide), or where the keys typed before it showed put it (Visit); from then
        where the reviewer moves it: the note shown again in place (a save, a change elsewhere, a search that keeps
        it, the note opened from a list while on it) keeps it. The row carried over from the note before was one the
        reviewer had not looked at there, and y on it decided a label unread."""
        panel = self.query_one(LabelPanel)
        note_id = view.note.note_id
        if note_id != self._cursor_on:
            visit = self._visit if self._visit is not None and self._visit.note_id == note_id else Visit(note_id)

            def shown() -> int:
                return first_to_decide(view.labels)

            visit.opening_row(shown)  # unless a key's save read it first: a save still to run takes this row
            panel.cursor = visit.row()(shown)
            self._cursor_on, self._visit = note_id, None
        return panel

    def visit(self) -> Visit | None:
        """The open note's Visit while its view has not shown (None once it has, or with no note)."""
        note_id = self.session.current_id
        if note_id is None or note_id == self._cursor_on:
            return None
        if self._visit is None or self._visit.note_id != note_id:
            self._visit = Visit(note_id)
        return self._visit

    def key_row(self) -> Callable[[ReviewSession], int]:
        """The row a deciding key acts on, taken as it is pressed: the panel's; on a note moved to and not shown yet,
        the row it will show selected, read as the save runs if no key has chosen it (Visit)."""
        visit = self.visit()
        if visit is None:
            row = self.query_one(LabelPanel).cursor
            return lambda session: row
        selected = visit.row()
        return lambda session: selected(lambda: session.first_to_decide(visit.note_id))

    def action_move_label(self, step: int) -> None:
        visit = self.visit()
        if visit is None:
            self.query_one(LabelPanel).action_move(step)
        else:  # from the row the note will show selected
            visit.moved += step

    @on(LabelPanel.Selected)
    def on_selected(self, event: LabelPanel.Selected) -> None:
        self.show_definition(event.label)

    # -- decisions: queued as the key is pressed, saved in key order off the UI thread (NoteSaves) ----
    def action_decide(self, state: str) -> None:
        row = self.key_row()
        key = key_for(self, {"confirmed": "confirm", "rejected": "reject", "unsure": "unsure"}[state])
        self._save_on_note(decide_or_say_unchanged(
            lambda session, label, note_id: session.decide(label, state, note_id),
            lambda session: LABEL_NAMES[row(session)], key), str)

    def action_toggle(self, number: int) -> None:
        visit = self.visit()
        if visit is None:
            self.query_one(LabelPanel).cursor = number - 1
        else:  # the note shows with this row selected
            visit.chosen, visit.moved = number - 1, 0
        name = LABEL_NAMES[number - 1]
        self._save_on_note(decide_or_say_unchanged(lambda session, label, note_id: session.toggle(label, note_id),
                                                   lambda session: name, key_for(self, f"toggle_{number}")), str)

    def action_accept_all(self) -> None:
        self._save_on_note(lambda session, note_id: session.accept_all(note_id), accepted)

    def action_reject_undecided(self) -> None:
        in_audit = self.session.query.audit is not None
        self._save_on_note(reject_undecided, lambda made: rejected_undecided(made, in_audit))

    # -- navigation: NoteSaves's, and back from a case file read from its timeline to the queue -----------
    def action_next_note(self) -> None:
        self._move(self.session.next, "end of the queue", self._leaving(1))

    def action_previous_note(self) -> None:
        self._move(self.session.previous, "start of the queue", self._leaving(-1))

    def _move(self, step: Callable[[], str | None], edge: str, moved: str = "") -> None:
        before = self.session.current_id
        super()._move(step, edge, moved)
        if self.session.current_id != before:  # left the note: back on it, it opens as any note moved to does
            self._cursor_on = self._visit = None

    def _leaving(self, step: int) -> str:
        return "back to the queue" if self.session.leaves_reading(step) else ""

    def action_undo(self) -> None:
        def undo(session) -> str:
            undone = session.undo()
            if not undone:
                # the steps are this session's keys: a decision made before the review opened is decided again
                return "nothing to undo since this review opened: decide the label again to change it"
            note_id = undone[0].note_id
            return undone_text(undone, session.shown_decisions(note_id), session.reviewer,
                               None if note_id == session.current_id else note_id)

        self._save(undo)

    def action_comment(self) -> None:
        note_id = self.session.current_id
        if note_id is None:
            return
        drafts, key = self._unsaved_comments, key_for(self, "comment")

        def comment(session, n: str, text: str) -> str:
            try:
                session.comment(text, n)
            except CaseReviewError as e:
                if not self.app.is_running:
                    raise  # no prompt left to bring the comment back in
                drafts[n] = text  # a comment takes typing again, a decision one key: keep it for the next try
                # the status line names the note once the reviewer has left it (on_note)
                raise CaseReviewError(f"{e}; your comment is kept: press {key} on the note to save it") from None
            if drafts.get(n) == text:
                del drafts[n]
            return "comment saved"

        def save(text: str | None) -> None:
            if text:
                self._save_on_note(lambda session, n: comment(session, n, text), lambda message: message, note_id)
            elif text is not None:  # emptied and submitted: the kept comment is not wanted
                drafts.pop(note_id, None)

        def keep(typed: str) -> None:  # Escape: what is in the box is the note's draft, offered again by the key
            if typed.strip():
                drafts[note_id] = typed
                self.query_one("#status-line", Static).update(f"comment not saved: kept for this note ({key} brings "
                                                              "it back)")
            else:
                drafts.pop(note_id, None)

        self.app.push_screen(PromptScreen("Comment on this note", "comment", drafts.get(note_id, ""),
                                          escape_keeps=(f"close (kept: {key} brings it back)", keep)), save)

    def action_timeline(self) -> None:
        view = getattr(self, "view", None)
        if view is not None:
            self.app.open_timeline_of(view.note.note_id, view.note.case_id)

    def action_personal_data(self) -> None:
        from .pii_findings import PiiFindingsScreen

        view = getattr(self, "view", None)
        if view is not None:
            self.app.push_screen(PiiFindingsScreen(view.note.note_id), lambda changed: changed and self.refresh_note())
