"""The demo: the sample corpus imported into a fresh workspace, scanned for personal data and tagged with the shipped
model."""

from __future__ import annotations

from pathlib import Path

from . import importer, registry, tagging
from .corpus import NOTES_FILE, default_corpus
from .pii.findings import scan_workspace
from .workspace import Workspace


def prepare(folder: Path, corpus: Path | None = None, processes: int = 1) -> Workspace:
    """Create a workspace at ``folder`` with the sample's notes (without their labels), their personal-data findings
    and predictions.

    The sample's gold labels are left out so that every label starts unreviewed,
    as it would with real notes. The notes are scanned for personal data as `import` scans a file's (10,879 notes:
    12 s in one process): unscanned, the review screen's first notes showed no warning, and its notice of the scan it
    then ran covered the label's definition at 80 columns for its first 30 s.
    """
    workspace = Workspace.open(folder)
    path = (corpus or default_corpus()) / NOTES_FILE
    notes = [n for n in importer.read_notes(path)]
    for note in notes:
        note.labels = None
    workspace.import_notes(notes, path.name)
    scan_workspace(workspace, processes=processes if processes > 1 else 0)
    model, model_folder = registry.resolve(None, workspace)
    tagging.tag(workspace, model, model_folder, processes=processes)
    return workspace
