"""The demo's workspace: what `casereview demo` opens the review UI on."""

from __future__ import annotations

from casereview import corpus, demo
from casereview.pii.findings import scan_workspace

from .conftest import write_jsonl


def test_the_demos_notes_are_scanned_for_personal_data_as_an_import_scans_them(tmp_path):
    # demo imported the sample unscanned: its review screen then scanned every note as it opened, its first notes
    # shown with no warning meanwhile, and the scan's notices covered the label's definition at 80 columns for 30 s
    records = corpus.load()[:6]
    (tmp_path / "sample").mkdir()
    write_jsonl(tmp_path / "sample" / corpus.NOTES_FILE, records)
    told = []
    with demo.prepare(tmp_path / "ws", corpus=tmp_path / "sample") as workspace:
        assert workspace.pii_unscanned_note_ids() == []
        assert not scan_workspace(workspace, starting=told.append).notes  # the review app's scan: nothing left to do
        assert told == []
        assert workspace.status()["scored_notes"] == len(records)
