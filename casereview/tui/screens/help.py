"""Help: the keys of the screen it was opened from, as bound now (keys.toml included), then the codebook."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import REPLACED_KEYS, key_to_character
from rich.markdown import Markdown, TableElement
from textual.screen import ModalScreen
from textual.widgets import Static

from ...taxonomy import LABELS
from ..widgets.keys_footer import KeysFooter


@dataclass(frozen=True)
class KeyRow:
    """One row of the key table: what ``bindings`` (ids) do, their keys read from the bindings in force."""

    bindings: tuple[str, ...]
    action: str


#: Keys of the app on every screen (both apps give these ids); screens give their own rows first.
APP_ROWS = (
    KeyRow(("queue", "case_files", "progress"), "queue list / case files / progress"),
    KeyRow(("search",), "search the note text (its matches show reversed in the note)"),
    KeyRow(("filter",), "filter the queue"),
    KeyRow(("help",), "this help"),
    KeyRow(("close_help",), "close help"),
    KeyRow(("quit",), "quit, once the decisions typed before it are saved"),
    KeyRow(("suspend",), "suspend to the shell (fg brings the review back as it was)"),
    KeyRow(("command_palette",), "command palette"),
)

KEY_NAMES = {"enter": "Enter", "backspace": "Backspace", "escape": "Escape", "space": "Space", "tab": "Tab",
             "up": "Up", "down": "Down", "left": "Left", "right": "Right", "pageup": "PageUp",
             "pagedown": "PageDown", "home": "Home", "end": "End", "delete": "Delete", "insert": "Insert"}


def key_name(key: str) -> str:
    """A key as a reader types it: 'Enter', '?', 'shift+Down', 'ctrl+d'."""
    *modifiers, last = key.split("+")
    character = key_to_character(REPLACED_KEYS.get(last, last)) if last not in KEY_NAMES else None  # slash: /
    name = KEY_NAMES.get(last) or (character if character and character.isprintable() and character != " " else last)
    return "+".join([*modifiers, name])


def binding_keys(bindings: Mapping[str, object]) -> dict[str, list[str]]:
    """Binding id (or action, for Textual's own) -> its keys, from a screen's ``active_bindings``."""
    keys: dict[str, list[str]] = {}
    for key, active in bindings.items():
        binding: Binding = active.binding
        keys.setdefault(binding.id or binding.action, []).append(key)
    return keys


def key_for(screen, binding_id: str) -> str:
    """The first key of a binding as bound now on ``screen`` (keys.toml included), for messages that name it."""
    keys = binding_keys(screen.active_bindings).get(binding_id)
    return key_name(keys[0]) if keys else "(no key)"


def keys_cell(names: Sequence[str]) -> str:
    """'1-7' for a run of digit keys (the toggles as shipped), else the keys as they are."""
    digits = [int(n) for n in names if len(n) == 1 and n.isdigit()]
    if len(names) > 2 and len(digits) == len(names) and digits == list(range(digits[0], digits[0] + len(digits))):
        return f"{digits[0]}-{digits[-1]}"
    return " ".join(names)


def key_table(rows: Sequence[KeyRow], bindings: Mapping[str, object],
              more: Mapping[str, Sequence[str]] | None = None) -> str:
    """The Markdown key table: each row's keys as bound now (``bindings``, and ``more`` keys by binding id); bindings
    no row names follow with their descriptions. Every binding has a key: load_keymap refuses clashes."""
    by_id = {**binding_keys(bindings), **(more or {})}

    def shown(binding_id: str) -> str:
        return ", ".join(key_name(k) for k in by_id.get(binding_id, ()))

    lines = ["| key | action |", "|---|---|"]
    named: set[str] = set()
    for row in rows:
        if not any(b in by_id for b in row.bindings):
            continue  # not on this screen
        named.update(row.bindings)
        if len(row.bindings) > 3:  # one key each (the toggles): '1-7', or the keys rebound
            cell = keys_cell([key_name(k) for b in row.bindings for k in by_id.get(b, ())])
        else:
            cell = " / ".join(shown(b) for b in row.bindings)
        lines.append(f"| {escape_cell(cell)} | {row.action} |")
    for key, active in bindings.items():
        binding = active.binding
        if binding.id and binding.id not in named:  # ours, with no row: listed anyway
            named.add(binding.id)
            lines.append(f"| {escape_cell(shown(binding.id))} | {binding.tooltip or binding.description} |")
    return "\n".join(lines) + "\n"


def escape_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def codebook_markdown(keys: str, notes: str = "") -> str:
    parts = ["# Keys", keys, notes, "# The codebook"]
    for label in LABELS:
        core = " (core)" if label.core else ""
        parts.append(f"## {label.number}. [{label.symbol}] {label.title}{core}\n`{label.name}`\n\n{label.definition}\n")
        parts.append("\n".join(f"- {item}" for item in label.include))
        parts.append(f"\n*Exclude:* {label.exclude}\n")
    return "\n".join(parts)


class HelpText(VerticalScroll):
    """Help's text, which has the focus: the keys that scroll it are VerticalScroll's own (Up, PageUp, Home, End
    too), shown in the footer, and those of a keyboard without PageUp, Home or End, as the lists take them."""

    BINDINGS = [
        Binding("down", "scroll_down", "Scroll", key_display="↑↓"),
        Binding("pagedown", "page_down", "Page", key_display="PgUp PgDn ^u ^d"),
        Binding("ctrl+d", "page_down", "Page down", show=False),
        Binding("ctrl+u", "page_up", "Page up", show=False),
        Binding("g", "scroll_home", "Start", show=False),
        Binding("G", "scroll_end", "End", show=False),
    ]


class NarrowFirstColumnTable(TableElement):
    """A Markdown table across the width, its first column (the keys) a quarter of it: by their content alone, Rich
    gave the keys ("PageDown, ctrl+d / PageUp, ctrl+u") half of 80 columns and wrapped each action word by word."""

    def __rich_console__(self, console, options):
        for table in super().__rich_console__(console, options):
            table.expand = True
            for column, ratio in zip(table.columns, (1, 3)):
                column.ratio = ratio
            yield table


class HelpMarkdownText(Markdown):
    elements = {**Markdown.elements, "table_open": NarrowFirstColumnTable}


class HelpMarkdown(Static):
    """Help's Markdown (``source``) drawn as one widget, by Rich: Textual's Markdown widget made one widget of every
    block and table cell, over 200, and help took 1.3 s to open (2.5 s on a loaded machine) where a note takes 0.05."""

    def __init__(self, source: str) -> None:
        super().__init__(HelpMarkdownText(source))
        self.source = source


class HelpScreen(ModalScreen):
    """The keys of the screen it was opened from (``rows`` of its ``bindings``), then the codebook.

    Its own keys close it (Escape, q and ? as shipped), and so does the app's help key as bound
    (a modal screen does not see the app's bindings).
    """

    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "Close", id="close_help")]

    def __init__(self, rows: Sequence[KeyRow], bindings: Mapping[str, object], notes: str = "") -> None:
        super().__init__()
        self.rows, self.origin_bindings, self.notes = tuple(rows), dict(bindings), notes
        self.close_keys = tuple(binding_keys(bindings).get("help", ()))

    def compose(self):
        own = binding_keys(self.active_bindings).get("close_help", [])
        keys = key_table(self.rows, self.origin_bindings, {"close_help": list(dict.fromkeys([*own, *self.close_keys]))})
        with HelpText(id="help"):
            yield HelpMarkdown(codebook_markdown(keys, self.notes))
        yield KeysFooter(compact=True)  # its own keys: the screen under it shows the keys help does not take

    def on_key(self, event) -> None:
        if event.key in self.close_keys:
            event.stop()
            self.app.pop_screen()


def open_help(app) -> None:
    """Help for the screen on top: its rows (``HELP_ROWS``, ``HELP_NOTES``) and the app's, keys as bound now."""
    screen = app.screen
    if isinstance(screen, HelpScreen):
        return
    rows = (*getattr(screen, "HELP_ROWS", ()), *APP_ROWS)
    app.push_screen(HelpScreen(rows, screen.active_bindings, getattr(screen, "HELP_NOTES", "")))
