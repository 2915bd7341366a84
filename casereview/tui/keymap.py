"""Rebindable keys: a TOML file maps binding ids to keys.

    # ~/.config/casereview/keys.toml  (or the file named by $CASEREVIEW_KEYS)
    [keys]
    confirm = "y,enter"
    reject = "x"
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

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
    return dict(keys)


def binding_ids() -> set[str]:
    """The ids of every binding of the review and adjudication apps, their screens and widgets."""
    from textual.dom import DOMNode

    from . import audit_apps  # noqa: F401 - imports the apps, and with them their screens and widgets
    from .screens import pii_findings  # noqa: F401 - imported only when opened

    ids, classes = set(), [DOMNode]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if cls.__module__.startswith(__package__ + "."):
            ids.update(b.id for b in cls.BINDINGS if getattr(b, "id", None))
    return ids
