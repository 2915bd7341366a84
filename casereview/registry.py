"""Where models come from: the shipped default (hash pinned here), a folder, or a workspace's promoted model."""

from __future__ import annotations

from pathlib import Path

from . import model_files
from .corpus import package_root
from .errors import ModelError
from .model import ConcernModel, load
from .workspace import MODELS_DIR, Workspace

PINS_FILE = Path(__file__).with_name("shipped_models.json")


def shipped_pins() -> dict:
    """``{"default": version, "models": {version: {"path": ..., "sha256": ...}}}``."""
    return model_files.read_pins(PINS_FILE)


def shipped_default_folder() -> Path:
    pins = shipped_pins()
    if not pins.get("default"):
        raise ModelError("no shipped model is pinned (run 'casereview train' and pin it)")
    return package_root() / pins["models"][pins["default"]]["path"]


def expected_hash(folder: Path, workspace: Workspace | None = None) -> str | None:
    """The recorded sha256 for a model folder: pinned if shipped, else registered in the workspace."""
    pinned = model_files.pinned_hash(PINS_FILE, folder)
    if pinned is not None or workspace is None:
        return pinned
    for record in workspace.models():
        if Path(record.path).resolve() == folder.resolve():
            return record.sha256
    return None


def resolve(model_dir: str | Path | None = None, workspace: Workspace | None = None,
            trust: bool = False) -> tuple[ConcernModel, Path]:
    """The model to use: ``model_dir``, else the workspace's promoted model, else the shipped default."""
    if model_dir is not None:
        folder = Path(model_dir)
    elif workspace is not None and workspace.promoted_model() is not None:
        folder = Path(workspace.promoted_model().path)
    else:
        folder = shipped_default_folder()
    hint = _workspace_hint(folder) if model_dir is not None and workspace is None else ""
    return load(folder, expected_hash(folder, workspace), trust=trust, unknown_hint=hint), folder


def _workspace_hint(folder: Path) -> str:
    """For a model folder named without a workspace: the workspace whose registry may record its hash."""
    home = folder.resolve().parent
    if home.name == MODELS_DIR and Workspace.exists(home.parent):  # a retrained model, in its workspace's folder
        return f"It is in the workspace {home.parent}: pass --workspace {home.parent} to check it against its hash there. "
    return "If a workspace retrained it, pass its workspace with --workspace. "


def pin(folder: Path, default: bool = True) -> None:
    """Record a concern model folder inside the project as shipped (used when releasing a model)."""
    model_files.pin(PINS_FILE, folder, default)


def check_pinnable(folder: Path) -> None:
    """Refuse, before training, a concern model folder :func:`pin` would refuse after it."""
    model_files.check_pinnable(PINS_FILE, folder)
