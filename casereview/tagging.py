"""Score a workspace's notes with a model and store the predictions."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from .errors import ModelError
from .model import ConcernModel
from .model_files import MODEL_FILE
from .workspace import Workspace


def ensure_registered(workspace: Workspace, model: ConcernModel, folder: Path) -> None:
    """Record the model in the workspace's registry so every prediction traces to a file and hash.

    A version already registered with another file is refused: predictions are stored under the
    version, so two models under one name (say, trained again with another seed) would mix. The hash is of
    the bytes the model was loaded from (``load``): a file changed since (replaced on a shared drive) must
    not be recorded as the one that scored the notes, and then load unchecked as registered.
    """
    sha = model.loaded_sha256
    if sha is None:
        raise ModelError(f"{folder / MODEL_FILE}: model {model.version} was not loaded from a file, so no hash "
                         "vouches for what scores the notes; load it from its folder first")
    record = workspace.model(model.version)
    if record is None:
        workspace.register_model(model.version, str(folder.resolve()), sha, metrics={}, trained_on={},
                                 promote=workspace.promoted_model() is None)
    elif record.sha256 != sha:
        raise ModelError(f"{folder / MODEL_FILE}: version {model.version} is registered in this workspace with "
                         f"another model file ({record.path}, sha256 {record.sha256[:12]}…); give this model "
                         "its own version ('casereview train --version')")


def tag(workspace: Workspace, model: ConcernModel, folder: Path, batch_size: int = 512,
        progress: Callable[[int], None] | None = None, processes: int = 1) -> int:
    """Score every note not yet scored by ``model``; returns how many were scored.

    Predictions are stored ``batch_size`` at a time, each batch in one transaction.
    """
    ensure_registered(workspace, model, folder)
    # One pass in rowid order: iter_notes pages by rowid, so storing a batch does not
    # make the next page rescan the notes already scored.
    notes = workspace.iter_notes(where_not_scored_by=model.version, batch_size=batch_size)
    results = model.predict_stream(notes, processes=processes)
    total = 0
    while batch := list(itertools.islice(results, batch_size)):
        total += workspace.store_predictions(model.version, batch)
        if progress:
            progress(total)
    # a note's place in the uncertain queue depends on the others' (and on which are reviewed): ranked every time
    workspace.order_uncertain(model.version)
    return total
