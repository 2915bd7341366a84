"""Rebindable keys: a TOML file maps binding ids to keys.

    # ~/.config/casereview/keys.toml  (or the file named by $CASEREVIEW_KEYS)
    [keys]
    confirm = "y,enter"
    reject = "x"

A key given to two bindings in force on one screen is refused: Textual would give it to one of them and the other
would silently stop working.
"""

from __future__ import annotations

import os
import tomllib
from collections import defaultdict
from pathlib import Path

from textual.binding import Binding

from ..errors import CaseReviewError


def keymap_path() -> Path:
    if os.environ.get("CASEREVIEW_KEYS"):
        return Path(os.environ["CASEREVIEW_KEYS"])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "casereview" / "keys.toml"


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """Binding id -> comma-separated keys; an absent file means the defaults."""
    path = path or keymap_path()
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise CaseReviewError(f"{path}: not valid TOML ({e})") from None
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise CaseReviewError(f"{path}: [keys] must map binding ids to key strings")
    unknown = sorted(set(keys) - binding_ids())
    if unknown:  # a mistyped id would be ignored, and the key never rebound
        raise CaseReviewError(f"{path}: [keys] {', '.join(map(repr, unknown))}: no such binding id; "
                              f"choose from {' '.join(sorted(binding_ids()))}")
    empty = sorted(i for i, k in keys.items() if not all(part.strip() for part in k.split(",")))
    if empty:
        raise CaseReviewError(f"{path}: [keys] {', '.join(map(repr, empty))}: a key is empty (\"\" or \",,\")")
    alt = sorted(i for i, k in keys.items() if any(part.strip().lower().startswith("alt+") for part in k.split(",")))
    if alt:  # escape_keys: a terminal sends Alt and a key as it sends Escape typed just before it, read as the two
        raise CaseReviewError(f"{path}: [keys] {', '.join(map(repr, alt))}: an alt+ key never arrives (a terminal "
                              f"sends Alt and a key as Escape and the key); give another key")
    clashing = clashes(keys)
    if clashing:
        raise CaseReviewError(f"{path}: [keys] {'; '.join(clashing)}: a key can do one thing on a screen; "
                              f"give one of them another key")
    return dict(keys)


def binding_ids() -> set[str]:
    """The ids of our bindings: those of our app, screen and widget classes in :func:`screen_chains`, where a
    binding is in force (a screen left out of them would have its keys neither rebindable nor checked)."""
    ours = {cls for chain in screen_chains().values() for cls in chain if cls.__module__.startswith(__package__ + ".")}
    return {binding.id for cls in ours for binding in class_bindings(cls) if binding.id}


def screen_chains() -> dict[str, tuple[type, ...]]:
    """The classes whose bindings are in force together on each screen, in Textual's order: the focused widget's,
    the screen's, then the app's unless the screen is modal (tests check these against the running apps)."""
    from textual.containers import VerticalScroll
    from textual.widgets import OptionList

    from .app import ReviewApp
    from .audit_apps import AdjudicationApp
    from .screens.adjudication import AdjudicationScreen, DisputePanel
    from .screens.help import HelpScreen, HelpText
    from .screens.list_screen import ListScreen
    from .screens.note_review import NoteReviewScreen
    from .screens.pii_findings import PiiFindingsScreen
    from .screens.progress import ProgressScreen
    from .screens.queue import QueueScreen
    from .screens.too_narrow import TooNarrowScreen
    from .widgets.label_panel import LabelPanel
    from .widgets.row_list import RowList

    return {
        "the note screen": (LabelPanel, NoteReviewScreen, ReviewApp),
        # the queue list before the other lists: the first chain a screen is an instance of is its own
        "the queue list": (RowList, QueueScreen, ReviewApp),
        "the lists (case files, timeline)": (RowList, ListScreen, ReviewApp),
        "the progress screen": (VerticalScroll, ProgressScreen, ReviewApp),
        "the personal-data findings": (OptionList, PiiFindingsScreen),
        "help": (HelpText, HelpScreen),
        "the adjudication screen": (DisputePanel, AdjudicationScreen, AdjudicationApp),
        "the notice under 60 columns": (TooNarrowScreen,),  # nothing to focus; modal: its quit key alone
    }


def class_bindings(cls: type) -> list[Binding]:
    """The bindings a class of widget, screen or app brings (one per key), its bases' included."""
    bindings = [binding for _key, binding in cls._merged_bindings]
    if getattr(cls, "ENABLE_COMMAND_PALETTE", False):  # an App adds this one when it starts
        bindings.append(Binding(cls.COMMAND_PALETTE_BINDING, "command_palette"))
    return bindings


def bound_keys(chain: tuple[type, ...], keymap: dict[str, str]) -> dict[str, set[str]]:
    """Key -> what it does on a screen with this binding chain: binding ids (ours), else actions (Textual's own)."""
    doers: dict[str, set[str]] = defaultdict(set)
    for cls in chain:
        for binding in class_bindings(cls):
            keys = normalised_keys(keymap[binding.id]) if binding.id in keymap else [binding.key]
            for key in keys:
                doers[key].add(binding.id or binding.action)
    return doers


def normalised_keys(keys: str) -> list[str]:
    """Keys as Textual matches them: 'y, ?' -> ['y', 'question_mark']."""
    return [binding.key for binding in Binding.make_bindings([Binding(keys, "")])]


def clashes(keymap: dict[str, str]) -> list[str]:
    """Every key the keymap leaves with two bindings of ours (or one of ours and one of Textual's) on one screen."""
    from .screens.help import key_name

    ours = binding_ids()
    found: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for screen, chain in screen_chains().items():
        for key, doers in bound_keys(chain, keymap).items():
            if len(doers) > 1 and doers & ours:
                names = tuple(sorted(doers, key=lambda d: (d not in ours, d)))
                found.setdefault((key, names), []).append(screen)
    return [f"{key_name(key)!r} is the key of {' and '.join(doer(n, ours) for n in names)} on {', '.join(screens)}"
            for (key, names), screens in found.items()]


def doer(name: str, ours: set[str]) -> str:
    return repr(name) if name in ours else f"Textual's own {name!r}"
