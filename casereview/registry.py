"""Where models come from: the shipped default (hash pinned here), a folder, or a workspace's promoted model."""

from __future__ import annotations

import json
from pathlib import Path

from .corpus import package_root
from .errors import ModelError
from .model import ConcernModel, load, sha256_file
from .workspace import Workspace

PINS_FILE = Path(__file__).with_name("shipped_models.json")


def shipped_pins() -> dict:
    """``{"default": version, "models": {version: {"path": ..., "sha256": ...}}}``."""
    if not PINS_FILE.exists():
        return {"default": None, "models": {}}
    return json.loads(PINS_FILE.read_text(encoding="utf-8"))


def shipped_default_folder() -> Path:
    pins = shipped_pins()
    if not pins.get("default"):
        raise ModelError("no shipped model is pinned (run 'casereview train' and pin it)")
    return package_root() / pins["models"][pins["default"]]["path"]


def expected_hash(folder: Path, workspace: Workspace | None = None) -> str | None:
    """The recorded sha256 for a model folder: pinned if shipped, else registered in the workspace."""
    folder = folder.resolve()
    for entry in shipped_pins()["models"].values():
        if (package_root() / entry["path"]).resolve() == folder:
            return entry["sha256"]
    if workspace is not None:
        for record in workspace.models():
            if Path(record.path).resolve() == folder:
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
    return load(folder, expected_hash(folder, workspace), trust=trust), folder


def pin(folder: Path, default: bool = True) -> None:
    """Record a model folder inside the project as shipped (used when releasing a model)."""
    pins = shipped_pins()
    version = json.loads((folder / "model-card.json").read_text())["version"]
    pins["models"][version] = {"path": str(folder.resolve().relative_to(package_root())),
                               "sha256": sha256_file(folder / "model.joblib")}
    if default:
        pins["default"] = version
    PINS_FILE.write_text(json.dumps(pins, indent=2) + "\n", encoding="utf-8")
