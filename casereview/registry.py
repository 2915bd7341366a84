"""Where models come from: the shipped default (hash pinned here), a folder, or a workspace's promoted model."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import model_files, model_saves
from .corpus import package_root
from .errors import ModelError
from .workspace import MODELS_DIR, ModelRecord, Workspace

if TYPE_CHECKING:  # the model's module imports scikit-learn (2 s): only a command that loads a model pays for it
    from .model import ConcernModel

PINS_FILE = Path(__file__).with_name("shipped_models.json")


def shipped_pins() -> dict:
    """``{"default": version, "models": {version: {"path": ..., "sha256": ...}}}``."""
    return model_files.read_pins(PINS_FILE)


def shipped_default_folder() -> Path:
    pins = shipped_pins()
    if not pins.get("default"):
        raise ModelError("no shipped model is pinned (run 'casereview train' and pin it)")
    return package_root() / pins["models"][pins["default"]]["path"]


def shipped_folder(version: str, sha256: str) -> Path | None:
    """The folder of the model ``version`` as this casereview ships it, if it pins that version with ``sha256``."""
    entry = shipped_pins().get("models", {}).get(version)
    return package_root() / entry["path"] if entry is not None and entry["sha256"] == sha256 else None


def expected_hashes(folder: Path, workspace: Workspace | None = None) -> tuple[str, ...]:
    """The recorded sha256s for a model folder (none: unknown): pinned if shipped, else every one registered in the
    workspace for it, as two versions trained into one folder in turn are (the folder holds one of them: the first
    found was taken, and the second version's file refused as changed)."""
    pinned = model_files.pinned_hash(PINS_FILE, folder)
    if pinned is not None or workspace is None:
        return () if pinned is None else (pinned,)
    return tuple(dict.fromkeys(r.sha256 for r in workspace.models() if Path(r.path).resolve() == folder.resolve()))


def resolve(model_dir: str | Path | None = None, workspace: Workspace | None = None,
            trust: bool = False) -> tuple[ConcernModel, Path]:
    """The model to use: ``model_dir``, else the workspace's promoted model, else the shipped default."""
    if model_dir is None and workspace is not None and (promoted := workspace.promoted_model()) is not None:
        folder = Path(promoted.path)  # its own registered hash: another version may have been trained into it too
        return load_promoted(promoted, lambda: _load(folder, promoted.sha256, trust=trust)), folder
    folder = Path(model_dir) if model_dir is not None else shipped_default_folder()
    hint = _workspace_hint(folder) if model_dir is not None and workspace is None else ""
    return _load(folder, expected_hashes(folder, workspace), trust=trust, unknown_hint=hint), folder


def _load(folder: Path, expected, **options) -> ConcernModel:
    """``model.load``, its module imported only once a model is read: a promoted model's missing file is said
    without the 2 s of scikit-learn's import."""
    from .model import load

    return load(folder, expected, **options)


def load_promoted(record: ModelRecord, loader: Callable[[], ConcernModel]) -> ConcernModel:
    """The workspace's promoted model by ``loader``; one that cannot be loaded is an error naming its version and
    the way out (an upgrade removes the model the casereview before it shipped, which its 'tag' promoted)."""
    path = Path(record.path, model_files.MODEL_FILE)
    try:
        if not path.is_file():  # not '<folder>: no model.joblib (not a casereview concern model folder)'
            raise ModelError(f"{path}: {file_problem(record)}")
        return loader()
    except OSError as e:  # a disk error reading it
        raise ModelError(f"the workspace's promoted model {record.version}: {path}: cannot be read ({e.strerror}); "
                         f"{promote_instead(record.version)}") from None
    except ModelError as e:
        raise ModelError(f"the workspace's promoted model {record.version}: {str(e).rstrip('.')}; "
                         f"{promote_instead(record.version)}") from None


def file_problem(record: ModelRecord) -> str | None:
    """Why a registered model's file is not the one registered ('missing', 'changed since...'); None if it is."""
    path = Path(record.path, model_files.MODEL_FILE)
    if not path.is_file():
        # a model registered by 'tag' rather than retrained here: most often the shipped model of the casereview
        # that tagged the notes, whose folder the next release removes
        return "missing" + ("" if record.trained_on else " (not retrained in this workspace: the model an earlier "
                                                          "casereview shipped, which an upgrade removes, or a folder "
                                                          "given to 'tag')")
    try:
        actual = model_files.sha256_file(path)
    except OSError as e:  # a disk error: said, as 'missing' is, not a traceback of 'status'
        return f"cannot be read ({e.strerror})"
    if actual != record.sha256:
        return f"changed since it was registered (sha256 {actual[:12]}…, registered {record.sha256[:12]}…)"
    return None


def files_status(workspace: Workspace) -> dict:
    """What 'status' tells of model files: each registered model's whose file is missing or not the one registered
    (version -> :func:`file_problem`; the promoted one's apart too, None if it is fine or none is promoted), and the
    unfinished model saves in the workspace's models folder (a retrain saving, or one killed while saving: the next
    'models list' or 'retrain' removes those). Every file is hashed, about 10 ms for a full-corpus model's 12 MB."""
    problems = {m.version: problem for m in workspace.models() if (problem := file_problem(m)) is not None}
    promoted = workspace.promoted_model()
    return {"promoted_model_file_problem": problems.get(promoted.version) if promoted is not None else None,
            "model_file_problems": problems,
            "unfinished_model_saves": model_saves.unfinished_saves(workspace.path / MODELS_DIR,
                                                                   registered_folders(workspace))}


def registered_folders(workspace: Workspace) -> set[str]:
    """The names in the models folder a registered model holds: its version, and its own folder's name."""
    return {name for m in workspace.models() for name in (m.version, Path(m.path).name)}


def remove_leftover_saves(workspace: Workspace) -> list[model_saves.UnfinishedSave]:
    """Remove the folders of saves killed midway in the workspace's models folder (when no save is running),
    the registry read once none can be midway (``model_saves.remove_leftover_saves``)."""
    return model_saves.remove_leftover_saves(workspace.path / MODELS_DIR, lambda: registered_folders(workspace))


def promote_instead(current: str) -> str:
    """How to leave a promoted model that cannot be loaded: promote the shipped one (no workspace's registry
    need hold it), or another version, past the guardrail, which cannot compare with the broken one."""
    default = shipped_pins().get("default")
    if default and default != current:
        return (f"promote another version: 'casereview models promote {default} --force' (the model this casereview "
                "ships; 'casereview models list' lists the others), or 'casereview models rollback'")
    return ("promote another version: 'casereview models promote VERSION --force' (versions: 'casereview models "
            "list'), or 'casereview models rollback'")


def register_shipped(workspace: Workspace, version: str) -> ModelRecord | None:
    """The shipped model ``version`` registered in ``workspace`` with its pinned hash (None: not shipped)."""
    entry = shipped_pins().get("models", {}).get(version)
    if entry is None:
        return None
    if workspace.model(version) is None:
        workspace.register_model(version, str((package_root() / entry["path"]).resolve()), entry["sha256"])
    return workspace.model(version)


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
