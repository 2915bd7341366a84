"""Score a workspace's notes with a model and store the predictions."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from .model import ConcernModel
from .model_files import MODEL_FILE, sha256_file
from .workspace import Workspace


def ensure_registered(workspace: Workspace, model: ConcernModel, folder: Path) -> None:
    """Record the model in the workspace's registry so every prediction traces to a file and hash."""
    if workspace.model(model.version) is None:
        sha = sha256_file(folder / MODEL_FILE)
        workspace.register_model(model.version, str(folder.resolve()), sha, metrics={}, trained_on={},
                                 promote=workspace.promoted_model() is None)


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
    return total
