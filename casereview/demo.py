"""The demo: the sample corpus imported into a fresh workspace and tagged with the shipped model."""

from __future__ import annotations

from pathlib import Path

from . import importer, registry, tagging
from .corpus import NOTES_FILE, default_corpus
from .workspace import Workspace


def prepare(folder: Path, corpus: Path | None = None, processes: int = 1) -> Workspace:
    """Create a workspace at ``folder`` with the sample's notes (without their labels) and predictions.

    The sample's gold labels are left out so that every label starts unreviewed,
    as it would with real notes.
    """
    workspace = Workspace.open(folder)
    path = (corpus or default_corpus()) / NOTES_FILE
    notes = [n for n in importer.read_notes(path)]
    for note in notes:
        note.labels = None
    workspace.import_notes(notes, path.name)
    model, model_folder = registry.resolve(None, workspace)
    tagging.tag(workspace, model, model_folder, processes=processes)
    return workspace
