"""Adjudication across the workspace (no audit): disputes with an imported label, or between reviews outside any audit.

``export labels`` and ``retrain`` hold back every such dispute until it is adjudicated, so it must be adjudicable:
settled, it is exported and trained on as settled.
"""

from __future__ import annotations

import io
import json

import pytest

from casereview import corpus, exporter, importer, learning
from casereview.adjudication import AdjudicationSession
from casereview.errors import CaseReviewError
from casereview.notes import validate
from casereview.review import ReviewSession
from casereview.taxonomy import LABEL_NAMES
from casereview.workspace import QueueQuery, Workspace

from .conftest import run_cli, write_jsonl

IMPORT = "import:notes.jsonl"


@pytest.fixture(scope="module")
def sample():
    return corpus.load()


@pytest.fixture(scope="module")
def train_notes(sample):
    """Three corpus train notes with at least one label, and one more (without the second label) to import unlabelled."""
    records = corpus.split(sample, "train")
    labelled = [r for r in records if r["labels"]][:3]
    return labelled, next(r for r in records if r not in labelled and LABEL_NAMES[1] not in r["labels"])


def exported_labels(ws: Workspace) -> tuple[dict[str, dict], exporter.HeldBack]:
    out, held_back = io.StringIO(), exporter.HeldBack()
    exporter.export(ws, "labels", "jsonl", out, allow_pii=True, held_back=held_back)
    return {r["note_id"]: r for r in map(json.loads, out.getvalue().splitlines())}, held_back


def test_disputes_outside_any_audit_are_adjudicated_then_exported_and_trained_on(tmp_path, sample, train_notes):
    labelled, unlabelled = train_notes
    with Workspace.open(tmp_path / "ws") as ws:
        importer.import_path(ws, write_jsonl(tmp_path / "notes.jsonl", labelled))  # labels: decisions of IMPORT
        importer.import_path(ws, write_jsonl(tmp_path / "extra.jsonl",
                                             [{k: v for k, v in unlabelled.items() if k != "labels"}]))
        imported, other = labelled[0], unlabelled["note_id"]
        label = imported["labels"][0]
        ws.record_decision(imported["note_id"], label, "rejected", "ann")  # overturns the imported label
        second = LABEL_NAMES[1]
        ws.record_decision(other, second, "confirmed", "ann")  # two reviewers, no audit
        ws.record_decision(other, second, "rejected", "bo")
        assert {(d.note_id, d.label) for d in ws.disagreements()} == {(imported["note_id"], label), (other, second)}
        records, held_back = exported_labels(ws)
        assert label in records[imported["note_id"]]["unreviewed"] and other not in records
        # one disputed label listed as unreviewed (the imported note's); the other is the left-out note's
        assert (held_back.labels, held_back.notes, held_back.left_out_labels) == (1, 1, 1)
        with pytest.raises(learning.NothingToLearnError,  # the others are the same as their corpus notes
                           match=r"held back as disputed until adjudicated \('casereview review --adjudicate-all' "
                                 r"settles them\): 2 labels reviewers disagree on, of 2 notes;"):
            learning.retrain(ws, actor="A. Lead")
        # both are corpus train notes: their corpus copies train, without the disputed labels until adjudicated
        held_back = learning.build(ws, sample)
        masks = {r["note_id"]: row for r, row in zip(held_back.training.records, held_back.training.mask)}
        assert masks[imported["note_id"]].tolist() == [int(n != label) for n in LABEL_NAMES]
        assert masks[other].tolist() == [int(n != second) for n in LABEL_NAMES]

        with pytest.raises(CaseReviewError, match="ann coded"):  # a coder does not adjudicate their own dispute
            AdjudicationSession(ws, None, "ann").settle(label, True, note_id=imported["note_id"])
        session = AdjudicationSession(ws, None, "S. Senior")
        assert session.note_ids == sorted([imported["note_id"], other])
        view = session.view()
        assert [(d.label, d.states, d.final) for d in view.disputes] == [
            (label, {IMPORT: "confirmed", "ann": "rejected"}, None)]
        decision = session.settle(label, False, note_id=imported["note_id"])
        assert (decision.kind, decision.audit, decision.state, decision.reviewer) == (
            "adjudication", None, "rejected", "S. Senior")
        session.settle(second, True, note_id=other)
        assert ws.disagreements() == [] and session.view().open_disputes == 0
        assert AdjudicationSession(ws, None, "S. Senior").note_ids == []

        records, held_back = exported_labels(ws)
        assert records[imported["note_id"]]["labels"] == [n for n in LABEL_NAMES if n in imported["labels"] and n != label]
        assert "unreviewed" not in records[imported["note_id"]]
        assert records[other]["labels"] == [second]
        assert (held_back.labels, held_back.notes, held_back.left_out_labels) == (0, 0, 0)
        trained = learning.build(ws, sample)
    assert (trained.counts["left_out_disputed"], trained.counts["workspace_train"]) == (0, 2)
    by_id = {r["note_id"]: (r, row) for r, row in zip(trained.training.records, trained.training.mask)}
    record, mask = by_id[imported["note_id"]]
    assert label not in record["labels"] and mask.all()  # the adjudicated rejection trains as a negative
    record, mask = by_id[other]
    assert sorted(record["labels"]) == sorted(unlabelled["labels"] + [second]) and mask.all()


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
def test_review_refuses_adjudicate_all_with_an_audit_or_a_queue_filter(tmp_path):
    ws_path = tmp_path / "ws"
    Workspace.open(ws_path).close()
    for extra, refused in [(["--audit", "qa"], "--adjudicate-all and --audit: choose one"),
                           (["--adjudicate", "qa"], "--adjudicate-all and --adjudicate: choose one"),
                           (["--label", LABEL_NAMES[0], "--unreviewed"], "--label, --unreviewed: not with --adjudicate-all"),
                           (["--case", "C1"], "--case: not with --adjudicate-all"),
                           (["--files"], "--files: not with --adjudicate-all")]:
        done = run_cli("review", "--adjudicate-all", "--reviewer", "S. Senior", *extra, "-w", str(ws_path))
        assert done.returncode == 2 and refused in done.stderr, (extra, done.stderr)
        assert "Traceback" not in done.stderr


def test_export_labels_says_so_when_it_leaves_out_a_note_whose_every_decision_is_disputed(tmp_path, train_notes):
    # No disputed label is listed as unreviewed (none of a written note), but a note is left out:
    # the export must still say what it held back, and count the left-out note's labels apart.
    _, unlabelled = train_notes
    ws_path, exported = tmp_path / "ws", tmp_path / "labels.jsonl"
    second = LABEL_NAMES[1]
    with Workspace.open(ws_path) as ws:
        importer.import_path(ws, write_jsonl(tmp_path / "notes.jsonl",
                                             [{k: v for k, v in unlabelled.items() if k != "labels"}]))
        ws.record_decision(unlabelled["note_id"], second, "confirmed", "ann")
        ws.record_decision(unlabelled["note_id"], second, "rejected", "bo")
        records, held_back = exported_labels(ws)
    assert records == {} and (held_back.labels, held_back.notes, held_back.left_out_labels) == (0, 1, 1)
    done = run_cli("export", "labels", "--allow-pii", "-o", str(exported), "-w", str(ws_path))
    assert done.returncode == 0, done.stderr
    assert exported.read_text() == ""
    said = " ".join(done.stderr.split())
    # nothing was listed as unreviewed: no "0 disputed labels listed as unreviewed", and no "more" labels
    assert "listed as unreviewed" not in said and "more" not in said, done.stderr
    assert ("1 note left out, holding 1 disputed label (reviewers decided differently, an imported label counting as "
            "a reviewer's, and no one has adjudicated): every decision on it is disputed. Settle the disputes with: "
            "casereview review --adjudicate-all") in said, done.stderr


def test_export_labels_says_nothing_of_notes_left_out_when_none_was(tmp_path, train_notes):
    # "1 disputed label listed as unreviewed (...); 0 notes left out, holding 0 more disputed labels: every decision
    # on them is disputed." when the note with the dispute had another label decided, and was written
    _, unlabelled = train_notes
    ws_path, exported = tmp_path / "ws", tmp_path / "labels.jsonl"
    first, second = LABEL_NAMES[0], LABEL_NAMES[1]
    with Workspace.open(ws_path) as ws:
        importer.import_path(ws, write_jsonl(tmp_path / "notes.jsonl",
                                             [{k: v for k, v in unlabelled.items() if k != "labels"}]))
        ws.record_decision(unlabelled["note_id"], second, "confirmed", "ann")
        ws.record_decision(unlabelled["note_id"], second, "rejected", "bo")
        ws.record_decision(unlabelled["note_id"], first, "rejected", "ann")
    done = run_cli("export", "labels", "--allow-pii", "-o", str(exported), "-w", str(ws_path))
    assert done.returncode == 0, done.stderr
    said = " ".join(done.stderr.split())
    assert "left out" not in said and "0 notes" not in said, done.stderr
    assert ("1 disputed label listed as unreviewed (reviewers decided differently, an imported label counting as "
            "a reviewer's, and no one has adjudicated). Settle the disputes with: casereview review --adjudicate-all"
            ) in said, done.stderr


def exported_by_the_command(ws_path, out) -> dict[str, dict]:
    done = run_cli("export", "labels", "--allow-pii", "-o", str(out), "-w", str(ws_path))
    assert done.returncode == 0, done.stderr
    return {r["note_id"]: r for r in map(json.loads, out.read_text().splitlines())}


@pytest.mark.parametrize("side", ["confirmed", "rejected"])
def test_a_label_one_reviewer_decides_and_another_marks_unsure_exports_the_same_whoever_saved_last(tmp_path, train_notes,
                                                                                                  side):
    # 'unsure' takes no side (as in disputes and reports): ann's call is the label's. export labels read the latest
    # decision alone, so the label went out as ann's call, or under "unreviewed", by who saved last.
    _, unlabelled = train_notes
    note_id, first, second = unlabelled["note_id"], LABEL_NAMES[0], LABEL_NAMES[1]
    exported = {}
    for order in (("ann", "bo"), ("bo", "ann")):
        ws_path = tmp_path / order[-1]  # named by who saved last
        with Workspace.open(ws_path) as ws:
            importer.import_path(ws, write_jsonl(tmp_path / "notes.jsonl",
                                                 [{k: v for k, v in unlabelled.items() if k != "labels"}]))
            states = {"ann": side, "bo": "unsure"}
            for reviewer in order:
                ws.record_decision(note_id, first, states[reviewer], reviewer)
            ws.record_decision(note_id, second, "unsure", "bo")  # no one took a side: unreviewed
        exported[order[-1]] = exported_by_the_command(ws_path, tmp_path / f"{order[-1]}.jsonl")[note_id]
    assert exported["bo"] == exported["ann"]
    assert exported["bo"]["labels"] == ([first] if side == "confirmed" else [])
    assert exported["bo"]["unreviewed"] == list(LABEL_NAMES[1:])


def test_unsure_on_an_imported_label_shows_as_pressed_and_exports_and_trains_as_imported(tmp_path, train_notes):
    # A reviewer presses 'u' on an imported label: the screen shows 'unsure' (what they just did), but the label
    # keeps the import's side, as the reports count it; export labels listed it as unreviewed.
    record = train_notes[0][0]
    label = record["labels"][0]
    ws_path = tmp_path / "ws"
    with Workspace.open(ws_path) as ws:
        importer.import_path(ws, write_jsonl(tmp_path / "notes.jsonl", [record]))
        session = ReviewSession(ws, "ann")
        session.goto(record["note_id"])
        session.decide(label, "unsure", record["note_id"])
        assert next(row.state for row in session.view(record["note_id"]).labels if row.name == label) == "unsure"
        assert ws.disagreements() == []
        data = learning.build(ws, [], hold_out=False)
    exported = exported_by_the_command(ws_path, tmp_path / "labels.jsonl")[record["note_id"]]
    assert exported["labels"] == [n for n in LABEL_NAMES if n in record["labels"]] and "unreviewed" not in exported
    assert data.training.mask.tolist() == [[1] * len(LABEL_NAMES)]
    assert data.training.records[0]["labels"] == exported["labels"]


def test_export_labels_refuses_a_note_with_open_findings_whose_label_stands_though_its_latest_event_cleared(
        tmp_path):
    # ann's confirmation stands when bo's own decision is cleared (bo takes no side): the note is exported, so the
    # personal-data check must hold it back too (it looked for the latest event, and let it through unchecked)
    ws_path, out = tmp_path / "ws", tmp_path / "labels.jsonl"
    leaky = {"note_id": "p2", "case_id": "C9", "text": "Mum's new mobile is 07700 900123; visit overdue."}
    with Workspace.open(ws_path) as ws:
        assert importer.import_path(ws, write_jsonl(tmp_path / "notes.jsonl", [leaky])).pii_findings
        ws.record_decision("p2", LABEL_NAMES[0], "confirmed", "ann")
        ws.record_decision("p2", LABEL_NAMES[0], "cleared", "bo")
    done = run_cli("export", "labels", "-o", str(out), "-w", str(ws_path))
    assert done.returncode == 1 and "p2" in done.stderr, done.stderr
    assert not out.exists()
    assert exported_by_the_command(ws_path, out)["p2"]["labels"] == [LABEL_NAMES[0]]


def test_workspace_progress_counts_a_label_one_reviewer_confirms_and_another_marks_unsure_as_confirmed_whoever_saved_last(
        tmp_path, train_notes):
    # progress() over the whole workspace read the latest decision: ann's confirmation counted as unsure when bo
    # saved last. Each reviewer's own progress (the review UI's progress screen) stays their own decisions.
    _, unlabelled = train_notes
    note_id, first, second = unlabelled["note_id"], LABEL_NAMES[0], LABEL_NAMES[1]
    for order in (("ann", "bo"), ("bo", "ann")):
        with Workspace.open(tmp_path / order[-1]) as ws:
            importer.import_path(ws, write_jsonl(tmp_path / "notes.jsonl",
                                                 [{k: v for k, v in unlabelled.items() if k != "labels"}]))
            states = {"ann": "confirmed", "bo": "unsure"}
            for reviewer in order:
                ws.record_decision(note_id, first, states[reviewer], reviewer)
            ws.record_decision(note_id, second, "unsure", "bo")  # no one took a side: unsure
            per_label = ws.progress()["per_label"]
            assert per_label[first] == {"confirmed": 1, "rejected": 0, "added": 0, "unsure": 0}, f"{order[-1]} saved last"
            assert per_label[second] == {"confirmed": 0, "rejected": 0, "added": 0, "unsure": 1}
            assert ws.progress()["reviewed_notes"] == 1
            assert ws.progress("bo")["per_label"][first]["unsure"] == 1  # bo's own decision
            assert ws.progress("ann")["per_label"][first]["confirmed"] == 1


def _suggesting_nothing(note_ids, version="m1"):
    return [{"note_id": n, "labels": [], "evidence": {}, "thresholds": {name: 0.5 for name in LABEL_NAMES},
             "scores": {name: 0.1 for name in LABEL_NAMES}} for n in note_ids]


def test_status_queues_case_files_and_model_agreement_read_each_labels_final_state_whoever_saved_last(tmp_path):
    # These read the latest decision, where reports and export labels read the final state: ann's confirmation
    # counted as bo's 'unsure' when bo saved last (status, the queue's label filter, progress()'s agreement with the
    # model), and a label bo cleared his own decision on stood unreviewed (the 'unreviewed' filter, the queue list's
    # and the case files' counts) though ann's confirmation stands.
    first, second = LABEL_NAMES[0], LABEL_NAMES[1]
    seen = {}
    for order in (("ann", "bo"), ("bo", "ann")):
        with Workspace.open(tmp_path / order[-1]) as ws:  # named by who saved last
            ws.import_notes([validate({"note_id": n, "text": "Home visit.", "case_id": "C1"}, "t", 1) for n in "abc"],
                            "notes.jsonl")
            ws.store_predictions("m1", _suggesting_nothing("abc"))
            for reviewer in order:
                ws.record_decision("a", first, {"ann": "confirmed", "bo": "unsure"}[reviewer], reviewer,
                                   model_version="m1", score=0.1)
                ws.record_decision("b", second, {"ann": "confirmed", "bo": "cleared"}[reviewer], reviewer,
                                   model_version="m1", score=0.1)
            status = ws.status()
            seen[order[-1]] = {
                "by state": status["labels_by_final_state"], "reviewed": status["reviewed_pairs"],
                "disputed": status["disputed_pairs"],
                "label queue": ws.queue_ids(QueueQuery(label=first)), "second": ws.queue_ids(QueueQuery(label=second)),
                "unreviewed queue": ws.queue_ids(QueueQuery(unreviewed=True)),
                "decided labels": [r.decided_labels for r in ws.queue_rows(["a", "b", "c"])],
                "compared": ws.progress()["decisions_compared"], "agreement": ws.progress()["agreement_with_model"],
            }
    assert seen["bo"] == seen["ann"]
    assert seen["bo"] == {
        "by state": {"confirmed": 2, "rejected": 0, "added": 0, "unsure": 0}, "reviewed": 2, "disputed": 0,
        "label queue": ["a"], "second": ["b"], "unreviewed queue": ["c"], "decided labels": [1, 1, 0],
        "compared": 2, "agreement": 0.0,
    }


def test_casereview_status_counts_an_imported_label_marked_unsure_as_imported_and_disputes_apart(tmp_path, train_notes):
    # A reviewer presses 'u' on an imported label: export labels and reports keep the import's side; status counted
    # the label as unsure. A reviewer overturning an imported label is a dispute, which status now counts.
    record = train_notes[0][0]
    label, other = record["labels"][0], next(n for n in LABEL_NAMES if n not in record["labels"])
    ws_path = tmp_path / "ws"
    assert run_cli("import", str(write_jsonl(tmp_path / "notes.jsonl", [record])), "-w", str(ws_path)).returncode == 0
    imported = json.loads(run_cli("status", "--json", "-w", str(ws_path)).stdout)
    with Workspace.open(ws_path) as ws:
        session = ReviewSession(ws, "ann")
        session.decide(label, "unsure", record["note_id"])
        session.decide(other, "unsure", record["note_id"])
    status = json.loads(run_cli("status", "--json", "-w", str(ws_path)).stdout)
    assert status["labels_by_final_state"] == imported["labels_by_final_state"]
    assert status["labels_by_final_state"]["unsure"] == 0 and status["disputed_pairs"] == 0
    with Workspace.open(ws_path) as ws:
        ReviewSession(ws, "bo").decide(label, "rejected", record["note_id"])
    done = run_cli("status", "-w", str(ws_path))
    assert done.returncode == 0 and "disputed pairs: 1\n" in done.stdout, done.stdout


def test_two_adjudicators_on_one_file_a_dispute_settled_elsewhere_since_read_is_refused_not_overwritten(tmp_path):
    # the session read disputes once: a second adjudicator's settlement (another window, another person) was never
    # seen, and y / n here overwrote it as if the dispute were still open
    from casereview.adjudication import NoLongerDisputed, SettledElsewhere

    first, second = LABEL_NAMES[:2]
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([validate({"note_id": "n1", "text": "Visit overdue.", "case_id": "C"}, "n.jsonl", 1)],
                        "n.jsonl")
        for label in (first, second):
            ws.record_decision("n1", label, "confirmed", "ann")
            ws.record_decision("n1", label, "rejected", "bo")
        here = AdjudicationSession(ws, None, "sam")
        assert [(d.label, d.final) for d in here.view().disputes] == [(first, None), (second, None)]
        with Workspace.open(ws.path) as other:  # a second adjudicator's program: its own connection to the file
            assert AdjudicationSession(other, None, "tom").settle(first, False, note_id="n1").state == "rejected"
            other.record_decision("n1", second, "rejected", "ann")  # ann comes round to bo's side: no dispute left
        assert here.changed_elsewhere() and not here.changed_elsewhere()  # once per write elsewhere
        with pytest.raises(SettledElsewhere, match="settled elsewhere as no concern by tom"):
            here.settle(first, True, note_id="n1")  # shown open: the adjudicator has not seen tom's decision
        with pytest.raises(NoLongerDisputed, match="no longer disputed") as refused:
            here.settle(second, True, note_id="n1", shown_final=None)
        assert (refused.value.note_id, refused.value.label) == ("n1", second)  # for the screen to say it briefly
        assert ws.final_decisions("n1")["n1"][first].state == "rejected"
        # read again, as the screen shows it after the refusal: tom's decision, and the dispute ann ended is gone
        assert [(d.label, d.final) for d in here.view().disputes] == [(first, "rejected")]
        assert here.view().open_disputes == 0
        assert here.settle(first, True, note_id="n1").state == "added"  # seen now, and changed: recorded
        assert ws.final_decisions("n1")["n1"][first].state == "added"


def test_the_count_of_open_disputes_follows_disputes_settled_started_or_ended_on_other_notes_elsewhere(tmp_path):
    # the count was read with the queue: the open note's disputes were read again with each view, the others' only at
    # the queue's end, so a dispute settled on another note in another window, or one a coder started or ended there,
    # left "N disputes open" wrong for as long as the adjudicator stayed in the queue
    first, second = LABEL_NAMES[:2]
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([validate({"note_id": f"n{i}", "text": "Visit overdue.", "case_id": "C"}, "n.jsonl", i)
                         for i in (1, 2, 3)], "n.jsonl")
        for note_id in ("n1", "n2"):
            ws.record_decision(note_id, first, "confirmed", "ann")
            ws.record_decision(note_id, first, "rejected", "bo")
        here = AdjudicationSession(ws, None, "sam")
        assert (here.current_id, here.view().open_disputes) == ("n1", 2)
        with Workspace.open(ws.path) as other:
            AdjudicationSession(other, None, "tom").settle(first, False, note_id="n2")
            assert here.view().open_disputes == 1
            other.record_decision("n3", second, "added", "ann")  # a dispute started on a note not in the queue
            other.record_decision("n3", second, "rejected", "bo")
            assert here.view().open_disputes == 2
            other.record_decision("n3", second, "rejected", "ann")  # and ended
            assert here.view().open_disputes == 1
        here.settle(first, True)  # this session's own final decision counts at once
        assert here.view().open_disputes == 0
        assert here.note_ids == ["n1", "n2"]  # the queue itself grows only at its end (look_again)
