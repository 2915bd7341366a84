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
    return dict(keys)
