"""casereview merge: coders' decisions, each coded in a workspace of their own, merged into the QA lead's, read as if
all had coded in one workspace; a merge refused whole on any bad row; merged twice, nothing added."""

from __future__ import annotations

import contextlib
import csv
import json
import re
import shutil
import sqlite3
import subprocess
import warnings
from dataclasses import asdict
from pathlib import Path

import pytest

from casereview import backup, exporter, sampling
from casereview.adjudication import disputes
from casereview.agreement import audit_agreement
from casereview.double_coding import audit_session
from casereview.errors import CaseReviewError, InvalidDecisionsFileError, WorkspaceNotice
from casereview.merging import MergeResult, ReviewerMerged, decision_records, merge
from casereview.notes import validate
from casereview.review import reviewer_name
from casereview.sampling import SampleSpec
from casereview.schema import SCHEMA_VERSION
from casereview.workspace import Workspace

from .conftest import file_size_limit, mode, read_terminal_to_its_end, run_cli, wait_until_waiting
from .test_workspace import ONE_DECISION, old_workspace

RISK, OVERSIGHT, DELAY = "risk_analysis_gap", "management_oversight_missing", "delay_timeliness"
NOTES = [
    {"note_id": f"n{i}", "text": text, "case_id": f"C{i % 2}", "date": f"2024-0{1 + i}-01"}
    for i, text in enumerate(["Mother disclosed that her partner hit her. Visit ended.", "Case closed. NFA.",
                              "Supervision cancelled again; last held in March.", "Visit overdue, case unallocated."])
]
NOTES[1]["labels"] = []  # imported with its labels: every label rejected, by import:notes.jsonl, in each workspace
SECRET = "partner hit her"


def workspace_with_notes(folder: Path, notes: list[dict] = NOTES, seed: int = 3) -> Workspace:
    """A workspace holding the notes, and the audit qa drawn from them as `sample --size 3 --seed 3 --name qa`."""
    ws = Workspace.open(folder)
    ws.import_notes([validate(dict(n), "notes.jsonl", i) for i, n in enumerate(notes, 1)], "notes.jsonl")
    sampling.sample(ws, SampleSpec(size=3, seed=seed), "qa")
    return ws


def code_ann(ws: Workspace) -> None:
    session = audit_session(ws, "ann", "qa")
    for note_id in session.note_ids:
        session.decide(RISK, "confirmed", note_id)
        session.decide(OVERSIGHT, "rejected", note_id, comment="=HYPERLINK(\"x\")")
    session.decide(DELAY, "unsure", session.note_ids[0])


def code_bo(ws: Workspace) -> None:
    session = audit_session(ws, "bo", "qa")
    first, *others = session.note_ids
    session.decide(RISK, "rejected", first)
    for note_id in others:
        session.decide(RISK, "confirmed", note_id)
        session.decide(OVERSIGHT, "confirmed", note_id)
    session.decide(OVERSIGHT, "rejected", first)
    session.undo()  # taken back: bo's oversight on the first note stays undecided
    session.decide(DELAY, "confirmed", first)


def exported(ws: Workspace, path: Path, fmt: str = "jsonl") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        exporter.export(ws, "decisions", fmt, out, allow_pii=True)
    return path


def reading(ws: Workspace) -> tuple:
    """What agreement, adjudication and reports read of the audit: agreement, disputes and final states."""
    # a disputed label's state is its latest side, whichever coder's was saved (or merged) last: every reader holds
    # it back until adjudicated, so it is left out
    held_back = {(d.note_id, d.label) for d in ws.disagreements()}
    final = {note: {label: d.state for label, d in labels.items() if (note, label) not in held_back}
             for note, labels in ws.final_decisions().items()}
    return (asdict(audit_agreement(ws, "qa")), [(d.note_id, d.label, d.states) for d in disputes(ws, "qa")], final)


@pytest.fixture
def lead_and_coder(tmp_path):
    """The lead's workspace, ann coding in it; bo's, coded apart, and his decisions exported."""
    lead, coder = workspace_with_notes(tmp_path / "lead"), workspace_with_notes(tmp_path / "bo")
    code_ann(lead)
    code_bo(coder)
    yield lead, coder, exported(coder, tmp_path / "bo.jsonl")
    lead.close()
    coder.close()


def test_merged_decisions_read_as_if_both_coded_in_one_workspace_and_merging_again_adds_nothing(lead_and_coder, tmp_path):
    lead, coder, decisions = lead_and_coder
    with workspace_with_notes(tmp_path / "one") as one:
        code_ann(one)
        code_bo(one)
        expected = reading(one)
    assert expected[1], "the coders disagree somewhere: disputes to compare"

    result = merge(lead, decisions)
    assert result.lines() == ["bo: 8 decisions merged, 0 already here",
                              "import:notes.jsonl: 0 decisions merged, 7 already here"]  # the same import's labels
    assert reading(lead) == expected
    # the undo takes back the merged decision it took back there, and keeps its time
    undo = next(d for d in lead.iter_decisions() if d.undoes is not None)
    undone = next(d for d in lead.iter_decisions() if d.id == undo.undoes)
    there = {d.id: d for d in coder.iter_decisions()}
    original_undo = next(d for d in there.values() if d.undoes is not None)
    assert (undone.reviewer, undone.state, undone.created_at) == ("bo", "rejected", there[original_undo.undoes].created_at)
    assert undo.created_at == original_undo.created_at

    count = lead.decision_log_position()
    again = merge(lead, decisions)
    assert again.merged == 0 and again.lines()[0] == "bo: 0 decisions merged, 8 already here"
    assert merge(lead, exported(lead, tmp_path / "lead.jsonl")).merged == 0  # its own, bo's merged ones included
    assert lead.decision_log_position() == count and reading(lead) == expected
    # and the other way: bo merges the lead's log, his own decisions in it recognised as his
    assert merge(coder, tmp_path / "lead.jsonl").lines() == [
        "ann: 7 decisions merged, 0 already here", "bo: 0 decisions merged, 8 already here",
        "import:notes.jsonl: 0 decisions merged, 7 already here"]
    assert reading(coder) == expected


def test_the_counts_a_merge_prints_are_thousands_apart():
    """'1400 already here' beside '1,400 decisions merged': both counts are now written as every other count is."""
    result = MergeResult("bo.jsonl", {"bo": ReviewerMerged(merged=1400, present=1400)})
    assert result.lines() == ["bo: 1,400 decisions merged, 1,400 already here"]


def test_a_decision_on_another_version_of_the_note_is_refused_and_nothing_is_merged(tmp_path):
    changed = [dict(n) for n in NOTES]
    changed[0]["text"] = NOTES[0]["text"] + " Police called."
    with workspace_with_notes(tmp_path / "lead") as lead, workspace_with_notes(tmp_path / "bo", changed) as coder:
        code_bo(coder)
        decisions = exported(coder, tmp_path / "bo.jsonl")
        with pytest.raises(InvalidDecisionsFileError) as refused:
            merge(lead, decisions)
        message = str(refused.value)
        assert "nothing merged" in message and "field 'note_hash': note 'n0' was decided on another version" in message
        first_n0 = next(i for i, line in enumerate(decisions.read_text().splitlines(), 1) if '"n0"' in line)
        # the note's decisions refused alike are one line naming the file, the field and their lines, the first first
        assert "bo.jsonl, field 'note_hash': note 'n0' was decided on another version" in message
        assert re.search(rf"on \d+ rows \(lines {first_n0}, ", message), message
        assert SECRET not in message and "Police" not in message
        assert lead.decision_log_position() == 7  # the import's labels alone: nothing merged


def test_a_bad_row_of_a_csv_export_is_named_by_file_line_and_field_and_nothing_is_merged(lead_and_coder, tmp_path):
    lead, coder, _ = lead_and_coder
    rows = list(csv.DictReader(exported(coder, tmp_path / "bo.csv", "csv").open(encoding="utf-8", newline="")))
    rows[9]["state"] = "maybe"
    broken = tmp_path / "broken.csv"
    with broken.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=exporter.DECISION_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    before = lead.decision_log_position()
    with pytest.raises(InvalidDecisionsFileError, match=r"broken\.csv:11: field 'state': 'maybe'"):
        merge(lead, broken)
    assert lead.decision_log_position() == before
    # the CSV as written merges, its comments read back as typed (a ' put before a formula for spreadsheets)
    assert merge(lead, tmp_path / "bo.csv").merged == 8
    ann_csv = exported(lead, tmp_path / "lead.csv", "csv")
    assert "'=HYPERLINK" in ann_csv.read_text()
    with workspace_with_notes(tmp_path / "third") as third:
        merge(third, ann_csv)
        assert {d.comment for d in third.iter_decisions() if d.reviewer == "ann"} == {None, '=HYPERLINK("x")'}


def test_decisions_in_another_sample_of_the_same_name_are_refused_naming_the_audit(tmp_path):
    with workspace_with_notes(tmp_path / "lead") as lead, workspace_with_notes(tmp_path / "bo", seed=4) as coder:
        # drawn with another seed (here, the same notes: still another draw, whose figures another seed gives)
        code_bo(coder)
        with pytest.raises(InvalidDecisionsFileError, match="field 'audit': audit 'qa' here is another sample"):
            merge(lead, exported(coder, tmp_path / "bo.jsonl"))
    with Workspace.open(tmp_path / "empty") as empty:
        empty.import_notes([validate(dict(n), "notes.jsonl", i) for i, n in enumerate(NOTES, 1)], "notes.jsonl")
        with pytest.raises(InvalidDecisionsFileError, match="audit 'qa' is not in this workspace"):
            merge(empty, tmp_path / "bo.jsonl")


def test_a_reviewer_who_decided_here_is_refused_decisions_from_elsewhere(lead_and_coder):
    lead, _, decisions = lead_and_coder
    audit_session(lead, "bo", "qa").decide(RISK, "confirmed", "n0")  # another "bo", or bo coding in two places
    with pytest.raises(InvalidDecisionsFileError, match="reviewer 'bo' has 1 decision in this workspace that the file"):
        merge(lead, decisions)


def test_a_coder_working_in_a_backup_of_the_leads_workspace_merges_only_what_they_decided(tmp_path):
    with workspace_with_notes(tmp_path / "lead") as lead:
        code_ann(lead)
        backup.backup(lead, tmp_path / "for-bo")
        with Workspace.open(tmp_path / "for-bo") as copy:
            assert copy.workspace_id != lead.workspace_id
            code_bo(copy)  # its decisions' ids follow ann's, as the lead's next ones do
            decisions = exported(copy, tmp_path / "bo.jsonl")
        audit_session(lead, "cy", "qa").decide(RISK, "rejected", "n3")  # the same id as bo's first, here
        assert merge(lead, decisions).lines() == ["ann: 0 decisions merged, 7 already here",
                                                  "bo: 8 decisions merged, 0 already here",
                                                  "import:notes.jsonl: 0 decisions merged, 7 already here"]
        assert {d.reviewer for d in lead.iter_decisions()} == {"import:notes.jsonl", "ann", "bo", "cy"}


def test_an_old_workspace_gets_an_id_of_its_own_once_migrated(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    ids = []
    for folder in (tmp_path / "a", tmp_path / "b"):
        with Workspace.open(old_workspace(folder, 12, ONE_DECISION)) as ws:
            ids.append(ws.workspace_id)
            (record,) = decision_records(ws)
            assert (record["origin_workspace"], record["origin_id"], record["note_hash"]) == (ws.workspace_id, 1, "h")
        with Workspace.open(folder / "ws") as ws:
            assert ws.workspace_id == ids[-1]  # stable
    assert ids[0] != ids[1] and len(ids[0]) == 32


def test_merge_command(lead_and_coder, tmp_path):
    lead, _, decisions = lead_and_coder
    first = run_cli("merge", str(decisions), "-w", str(lead.path))
    assert first.returncode == 0, first.stderr
    assert "bo: 8 decisions merged, 0 already here" in first.stderr.splitlines()
    again = run_cli("merge", str(decisions), "-w", str(lead.path))
    assert "bo: 0 decisions merged, 8 already here" in again.stderr.splitlines()
    lines = decisions.read_text().splitlines()
    record = json.loads(lines[-1])
    record.update(reviewer="bo\x1b[2J", id=1000, origin_id=1000)  # a new decision: a name is checked where it is added
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines[:-1] + [json.dumps(record)]) + "\n")
    refused = run_cli("merge", str(bad), "-w", str(lead.path))
    assert refused.returncode == 2 and f"bad.jsonl:{len(lines)}: field 'reviewer'" in refused.stderr
    assert "\x1b" not in refused.stderr


def test_a_shifted_csvs_sentence_or_control_character_as_a_reviewer_or_audit_is_refused_by_line_never_quoted(
        lead_and_coder, tmp_path):
    # a comment or note text shifted into the reviewer column was merged as a reviewer, printed by merge ("Mother said
    # her partner hit her on 12/03/2024.: 8 decisions merged") and by every agreement table and report after it; in
    # the audit column, the error quoted it ("audit 'Mother said ...' is not in this workspace")
    lead, coder, _ = lead_and_coder
    before = lead.decision_log_position()
    rows = list(csv.DictReader(exported(coder, tmp_path / "bo.csv", "csv").open(encoding="utf-8", newline="")))
    lines = [line for line, row in enumerate(rows, 2) if row["reviewer"] == "bo"]
    sentence = f"Mother said her {SECRET} on 12/03/2024."
    for column, value, problem in (
            ("reviewer", sentence, "the name reads as sentences (8 words): a name is a few words, not a comment or note "
                                   "text"),
            ("audit", sentence, "the name reads as sentences (8 words)"),
            ("audit", "qa[2J", "the name holds a control character (U+001B, character 3)"),
            ("reviewer", "bo " * 120, "the name has 360 characters, more than the 300 a name takes")):
        shifted = tmp_path / "shifted.csv"
        with shifted.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=exporter.DECISION_FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows([{**row, column: value} if row["reviewer"] == "bo" else row for row in rows])
        refused = run_cli("merge", str(shifted), "-w", str(lead.path))
        said = " ".join(refused.stderr.split())
        assert refused.returncode == 2 and f"shifted.csv, field '{column}': {problem}" in said, refused.stderr
        assert f"on {len(lines)} rows (lines {lines[0]}, " in said and SECRET not in said and "\x1b" not in said
        assert lead.decision_log_position() == before
    with pytest.raises(CaseReviewError, match=r"^--reviewer: the name reads as sentences \(8 words\)"):
        reviewer_name(sentence)


def test_a_decisions_time_in_another_zone_is_merged_as_the_logs_utc_time_and_one_without_a_zone_is_refused(
        lead_and_coder, tmp_path):
    """The log's times are UTC in one form, compared as text (which version of a note was in force when a label was
    decided, a reviewer's decisions today): a file's time written in another zone is stored as that UTC time, and one
    with no zone, which names no moment, is refused."""
    lead, _, decisions = lead_and_coder
    records = [json.loads(line) for line in decisions.read_text().splitlines()]
    bo = [r for r in records if r["reviewer"] == "bo"]
    bo[0]["created_at"] = "2026-03-29T02:30:00+01:00"  # the night the UK's clocks went forward
    bo[1]["created_at"] = "2026-03-29T01:30:00Z"
    zoned = tmp_path / "zoned.jsonl"
    zoned.write_text("".join(json.dumps(r) + "\n" for r in records))
    naive = tmp_path / "naive.jsonl"
    bo[2]["created_at"] = "2026-03-29T01:30:00"
    naive.write_text("".join(json.dumps(r) + "\n" for r in records))
    line = records.index(bo[2]) + 1
    with pytest.raises(InvalidDecisionsFileError, match=rf"naive\.jsonl:{line}: field 'created_at': no time zone"):
        merge(lead, naive)

    merge(lead, zoned)
    times = [d.created_at for d in lead.iter_decisions() if d.reviewer == "bo"]
    assert times[:2] == ["2026-03-29T01:30:00.000000+00:00"] * 2
    assert merge(lead, zoned).merged == 0  # recognised again, as the time it is


@pytest.mark.parametrize("field, value, problem", [
    ("origin_id", "²", "not a decision id"),  # a digit to str.isdigit, not to int()
    ("origin_id", str(2 ** 70), "not a decision id"),  # past SQLite's integers
    ("note_id", "\ud800", "not UTF-8 text"),  # half a UTF-16 pair, as JSON may escape it
    ("comment", "x\udc80", "not UTF-8 text"),
])
def test_a_malformed_value_is_the_rows_error_not_a_traceback(lead_and_coder, tmp_path, field, value, problem):
    lead, _, decisions = lead_and_coder
    rows = [json.loads(line) for line in decisions.read_text().splitlines()]
    rows[8][field] = value
    broken = tmp_path / "broken.jsonl"
    broken.write_text("".join(json.dumps(r) + "\n" for r in rows))
    before = lead.decision_log_position()
    with pytest.raises(InvalidDecisionsFileError, match=rf"broken\.jsonl:9: field '{field}': {problem}"):
        merge(lead, broken)
    assert lead.decision_log_position() == before


def test_a_comment_or_note_text_in_a_coded_cell_is_never_quoted_by_the_error(lead_and_coder, tmp_path):
    """A shifted or hand-edited file's label, state, kind or note id holding a comment was quoted in the error:
    "field 'label': 'Mother said her partner hit her on 12/03/2024.' is no label of the codebook"."""
    lead, _, decisions = lead_and_coder
    rows = [json.loads(line) for line in decisions.read_text().splitlines()]
    for row, field in zip(rows, ("label", "state", "kind")):
        row[field] = f"Mother said her {SECRET} on 12/03/2024."
    rows[3]["note_id"] = f"Mother said her {SECRET}."  # as import reads ids: sentences are no id
    broken = tmp_path / "broken.jsonl"
    broken.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(InvalidDecisionsFileError) as refused:
        merge(lead, broken)
    hidden = "a value of 46 characters, not shown (it may be note text or personal data),"
    assert str(refused.value).splitlines()[1:] == [
        f"  {broken}:1: field 'label': {hidden} is no label of the codebook",
        f"  {broken}:2: field 'state': {hidden} is no decision state: choose from confirmed, rejected, added, unsure, "
        "cleared",
        f"  {broken}:3: field 'kind': {hidden} is no kind of decision: choose from review, adjudication",
        f"  {broken}:4: field 'note_id': reads as sentences (6 words), not an id: is this the note text column?"]
    assert merge(lead, exported(lead, tmp_path / "ok.jsonl")).merged == 0  # a short, unlike value is still quoted
    rows[0]["label"] = "risk"
    broken.write_text(json.dumps(rows[0]) + "\n")
    with pytest.raises(InvalidDecisionsFileError, match="field 'label': 'risk' is no label of the codebook"):
        merge(lead, broken)


def test_a_csv_row_with_more_cells_than_the_header_is_named_by_its_line(lead_and_coder, tmp_path):
    lead, coder, _ = lead_and_coder
    lines = exported(coder, tmp_path / "bo.csv", "csv").read_text(encoding="utf-8").splitlines()
    lines[4] += ",extra"  # a cell typed past the last column in a spreadsheet
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidDecisionsFileError, match=r"broken\.csv:5: 1 cell more than the header's 16 fields"):
        merge(lead, broken)


def test_a_reviewer_name_stored_before_todays_rules_does_not_stop_a_merge_of_rows_already_here(lead_and_coder, tmp_path):
    # names were stripped, and invisible characters refused, only from this version on: an older workspace's log
    # keeps "ann " for good, and its own export, or a backup's, carries the row back to it
    lead, _, decisions = lead_and_coder
    with lead.transaction() as conn:
        conn.execute("INSERT INTO decisions (note_id, label, state, reviewer, created_at) VALUES "
                     "('n1', ?, 'confirmed', 'ann ', '2024-01-01T00:00:00.000000+00:00')", (DELAY,))
    own = exported(lead, tmp_path / "lead.jsonl")
    assert merge(lead, own).merged == 0
    assert merge(lead, decisions).merged == 8
    # a new row of such a name is still refused
    with workspace_with_notes(tmp_path / "third") as third, pytest.raises(
            InvalidDecisionsFileError, match=r"field 'reviewer': white space around the name"):
        merge(third, own)


def test_the_notes_earlier_versions_are_found_by_index_not_by_reading_every_version(tmp_path):
    # export decisions and merge look up each note's versions: without an index on note_history's note_id each
    # lookup read every earlier version of every note (4,000 updated notes: export 0.7 s -> 45 s)
    from .test_workspace import sqlite_steps

    with workspace_with_notes(tmp_path / "ws") as ws:
        ws.record_decision("n0", RISK, "confirmed", "ann")
        rows = [r for r in map(json.loads, exported(ws, tmp_path / "all.jsonl").read_text().splitlines())
                if r["note_id"] == "n0"]
        decisions = tmp_path / "n0.jsonl"
        decisions.write_text("".join(json.dumps({**r, "note_hash": "an earlier version"}) + "\n" for r in rows))

        def merging() -> None:
            with pytest.raises(InvalidDecisionsFileError, match="another version"):
                merge(ws, decisions)

        alone = sqlite_steps(ws, merging)
        with ws.transaction() as conn:  # many earlier versions of another note
            conn.executemany("INSERT INTO note_history (note_id, text, extra, source_file, imported_at, content_hash, "
                             "replaced_at) SELECT 'n1', text, extra, 'f', 'now', ?, 'now' FROM notes WHERE note_id = 'n1'",
                             [(f"h{i}",) for i in range(5000)])
        after = sqlite_steps(ws, merging)
    assert after < 2 * alone + 5, (alone, after)


# -- a workspace copied other than by `casereview backup` ----------------------------------------------------------
def copied_before_copies_were_told(source: Path, target: Path) -> Path:
    """``source``'s folder copied as `cp -r` does, by a casereview that did not yet record which file a workspace is:
    the copy keeps the original's id (a copy made so today gets one of its own when first opened)."""
    shutil.copytree(source, target)
    with contextlib.closing(sqlite3.connect(target / "workspace.db")) as conn, conn:
        conn.execute("DROP TABLE IF EXISTS workspace_file")
        conn.execute("DROP TABLE IF EXISTS decisions_read_from")  # schema 15's, and its triggers
        conn.execute("ALTER TABLE model_events DROP COLUMN guardrail")  # nor what the guardrail said (16)
        conn.execute("ALTER TABLE notes DROP COLUMN source_values")  # nor a value map's source values (17)
        conn.execute("PRAGMA user_version = 13")
    return target


def test_a_decision_claiming_this_workspaces_id_that_is_not_in_its_log_is_refused_as_from_a_copy(tmp_path):
    with workspace_with_notes(tmp_path / "lead") as lead:
        code_ann(lead)
        lead_id = lead.workspace_id
        copy = copied_before_copies_were_told(tmp_path / "lead", tmp_path / "bo")
        backup.backup(lead, tmp_path / "for-cy")
        with Workspace.open(copy) as bo, Workspace.open(tmp_path / "for-cy") as cy:
            assert bo.workspace_id == lead_id
            code_bo(bo)
            audit_session(cy, "cy", "qa").decide(RISK, "rejected", "n3")
            merge(lead, exported(cy, tmp_path / "cy.jsonl"))  # cy's decision takes the id bo's first has in the copy
            decisions = exported(bo, tmp_path / "bo.jsonl")
        before = lead.decision_log_position()
        with pytest.raises(InvalidDecisionsFileError) as refused:
            merge(lead, decisions)
        first_bo = next(i for i, line in enumerate(decisions.read_text().splitlines(), 1) if '"bo"' in line)
        message = str(refused.value)
        assert f"bo.jsonl:{first_bo}: field 'origin_id': decision 15 of this workspace is not in its log" in message
        assert "a copy of this workspace made other than by `casereview backup`" in message
        assert lead.decision_log_position() == before  # nothing merged, nothing taken for the lead's own

        # what the refusal says to do: in the copy, a backup whose decisions after the last both share are its own
        assert "`casereview backup NEW --copied-through 14`" in message
        out_of_log = run_cli("backup", str(tmp_path / "x"), "-w", str(copy), "--copied-through", "99")
        assert out_of_log.returncode != 0 and "not a decision of this workspace" in out_of_log.stderr
        remedied = run_cli("backup", str(tmp_path / "bo-own"), "-w", str(copy), "--copied-through", "14")
        assert remedied.returncode == 0, remedied.stderr
        with Workspace.open(tmp_path / "bo-own") as own:
            assert merge(lead, exported(own, tmp_path / "bo-own.jsonl")).lines() == [
                "ann: 0 decisions merged, 7 already here", "bo: 8 decisions merged, 0 already here",
                "import:notes.jsonl: 0 decisions merged, 7 already here"]
            assert merge(own, exported(lead, tmp_path / "lead.jsonl")).lines() == [  # and back: the lead's all known
                "ann: 0 decisions merged, 7 already here", "bo: 0 decisions merged, 8 already here",
                "cy: 1 decision merged, 0 already here", "import:notes.jsonl: 0 decisions merged, 7 already here"]


def test_a_decision_claiming_this_workspaces_id_must_be_its_decision_of_that_id_in_every_field(lead_and_coder, tmp_path):
    lead, _, _ = lead_and_coder
    rows = [json.loads(line) for line in exported(lead, tmp_path / "lead.jsonl").read_text().splitlines()]
    ann = next(r for r in rows if r["reviewer"] == "ann")
    ann.update(audit=None, audit_hash=None)  # the same note, label, state, reviewer, kind and time: another audit
    changed = tmp_path / "changed.jsonl"
    changed.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(InvalidDecisionsFileError, match=rf"changed\.jsonl:{rows.index(ann) + 1}: field 'origin_id': "
                                                        rf"decision {ann['id']} of this workspace is here as another "
                                                        r"decision \(its audit differs\)"):
        merge(lead, changed)


def test_a_folder_copied_with_cp_gets_an_id_of_its_own_when_opened_and_its_coders_decisions_merge(tmp_path):
    """The lead copies their workspace with `cp -r` for bo and goes on deciding; bo's decisions in the copy have the
    ids the lead's later ones have: the copy, opened, is a workspace of its own, its decisions so far the lead's."""
    with workspace_with_notes(tmp_path / "lead") as lead:
        code_ann(lead)
        lead_id = lead.workspace_id
    assert subprocess.run(["cp", "-r", str(tmp_path / "lead"), str(tmp_path / "bo")]).returncode == 0
    with Workspace.open(tmp_path / "lead") as lead:
        audit_session(lead, "cy", "qa").decide(RISK, "rejected", "n3")  # the id bo's first decision will have
    opened = run_cli("status", "-w", str(tmp_path / "bo"))
    assert opened.returncode == 0, opened.stderr
    assert "a copy of another workspace's file" in opened.stderr
    with Workspace.open(tmp_path / "bo") as bo:
        assert bo.workspace_id != lead_id
        code_bo(bo)
    exported_bo = run_cli("export", "decisions", "-w", str(tmp_path / "bo"), "-o", str(tmp_path / "bo.jsonl"))
    assert exported_bo.returncode == 0, exported_bo.stderr
    merged = run_cli("merge", str(tmp_path / "bo.jsonl"), "-w", str(tmp_path / "lead"))
    assert merged.returncode == 0, merged.stderr
    assert merged.stderr.splitlines()[-3:] == ["ann: 0 decisions merged, 7 already here",
                                               "bo: 8 decisions merged, 0 already here",
                                               "import:notes.jsonl: 0 decisions merged, 7 already here"]
    with Workspace.open(tmp_path / "lead") as lead:
        assert lead.workspace_id == lead_id
        assert {d.reviewer for d in lead.iter_decisions()} == {"import:notes.jsonl", "ann", "bo", "cy"}


def test_a_workspace_moved_keeps_its_id_and_each_copy_of_a_backup_gets_one_of_its_own(tmp_path):
    with workspace_with_notes(tmp_path / "lead") as lead:
        code_ann(lead)
        lead_id = lead.workspace_id
        backup.backup(lead, tmp_path / "for-bo")
    (tmp_path / "lead").rename(tmp_path / "moved")  # mv: the same file
    with Workspace.open(tmp_path / "moved") as moved:
        assert moved.workspace_id == lead_id
    for coder in ("bo", "cy"):  # one backup unpacked by two coders, before anyone opened it
        shutil.copytree(tmp_path / "for-bo", tmp_path / coder)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the backup as written is the workspace it made: nothing to tell
        with Workspace.open(tmp_path / "for-bo") as handed:
            backup_id = handed.workspace_id
    ids = set()
    for coder in ("bo", "cy"):  # each copy a workspace of its own
        with pytest.warns(WorkspaceNotice, match="a copy of another workspace's file"), \
                Workspace.open(tmp_path / coder) as ws:
            ids.add(ws.workspace_id)
            (first,) = [r for r in decision_records(ws) if r["id"] == 1]
            assert first["origin_workspace"] == lead_id  # its decisions so far still the lead's
        with Workspace.open(tmp_path / coder) as ws:
            assert ws.workspace_id in ids  # once
    assert len(ids) == 2 and not ids & {lead_id, backup_id}


@pytest.mark.filterwarnings("ignore::casereview.errors.WorkspaceNotice")  # told in each thread: not the point here
def test_two_programs_opening_a_copied_folder_at_once_give_it_one_id_of_its_own(tmp_path):
    import threading

    with workspace_with_notes(tmp_path / "lead") as lead:
        lead_id = lead.workspace_id
    shutil.copytree(tmp_path / "lead", tmp_path / "copy")
    other = sqlite3.connect(tmp_path / "copy" / "workspace.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a third program writes while both start: both find the copy, then wait
    ids = []

    def open_it():
        with Workspace.open(tmp_path / "copy") as ws:
            ids.append(ws.workspace_id)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    wait_until_waiting(threads, "transaction", '"BEGIN IMMEDIATE"')  # both found the copy, and wait to write
    other.execute("ROLLBACK")
    for thread in threads:
        thread.join(timeout=120)  # a bound on a hang
    copied = other.execute("SELECT workspace, last_decision FROM decisions_copied").fetchall()
    other.close()
    assert len(ids) == 2 and ids[0] == ids[1] != lead_id
    assert copied == [(lead_id, 7)]  # once: the second found it done


def test_a_workspace_made_before_it_recorded_its_file_keeps_its_id_once_migrated(tmp_path):
    with workspace_with_notes(tmp_path / "lead") as lead:
        lead_id = lead.workspace_id
    copied_before_copies_were_told(tmp_path / "lead", tmp_path / "old")  # as schema 13 left it
    for _ in range(2):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no notice: nothing tells it is a copy
            with Workspace.open(tmp_path / "old") as old:
                assert old.workspace_id == lead_id and old.schema_version == SCHEMA_VERSION
    shutil.copytree(tmp_path / "old", tmp_path / "newer")  # copied once the file is recorded: told
    with pytest.warns(WorkspaceNotice), Workspace.open(tmp_path / "newer") as newer:
        assert newer.workspace_id != lead_id


# -- reviewers' comments --------------------------------------------------------------------------------------------
def exported_comments(ws: Workspace, path: Path, fmt: str = "jsonl") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        exporter.export(ws, "comments", fmt, out, allow_pii=True)
    return path


def test_a_coders_comments_merge_with_their_reviewer_and_time_and_merging_again_adds_nothing(lead_and_coder, tmp_path):
    lead, coder, _ = lead_and_coder
    coder.add_comment("n0", "bo", "ISW delay, not escalated")
    coder.add_comment("n2", "bo", '=HYPERLINK("x")')  # a formula to a spreadsheet: the CSV export quotes it
    lead.add_comment("n0", "ann", "no analysis of risk")
    for fmt in ("jsonl", "csv"):
        comments = exported_comments(coder, tmp_path / f"bo-comments.{fmt}", fmt)
        with workspace_with_notes(tmp_path / f"lead-{fmt}") as fresh:
            assert merge(fresh, comments).lines() == ["bo: 2 comments merged, 0 already here"]
            assert fresh.comments("n0") == coder.comments("n0") and fresh.comments("n2") == coder.comments("n2")

    first = run_cli("merge", str(tmp_path / "bo-comments.jsonl"), "-w", str(lead.path))
    assert first.returncode == 0, first.stderr
    assert first.stderr.splitlines() == ["bo: 2 comments merged, 0 already here"]
    again = run_cli("merge", str(tmp_path / "bo-comments.jsonl"), "-w", str(lead.path))
    assert again.stderr.splitlines() == ["bo: 0 comments merged, 2 already here"]
    assert [c["reviewer"] for c in lead.comments("n0")] == ["bo", "ann"]  # in the order written, times kept
    # the lead's comments merged back into the coder's workspace: bo's known as his
    assert merge(coder, exported_comments(lead, tmp_path / "lead-comments.csv", "csv")).lines() == [
        "ann: 1 comment merged, 0 already here", "bo: 0 comments merged, 2 already here"]


def test_an_export_of_no_comments_merged_says_so_not_that_it_held_no_decisions(lead_and_coder, tmp_path):
    # a JSON Lines export of no comments is an empty file, as one of no decisions is: which it is, nothing tells
    lead, coder, _ = lead_and_coder
    for fmt, said in (("jsonl", "no decisions or comments to merge (an empty file)"), ("csv", "no comments to merge")):
        comments = exported_comments(coder, tmp_path / f"none.{fmt}", fmt)
        merged = run_cli("merge", str(comments), "-w", str(lead.path))
        assert merged.returncode == 0, merged.stderr
        assert merged.stderr.splitlines() == [f"{comments}: {said}"]


def test_a_comment_on_a_note_not_here_or_on_another_version_is_refused_and_nothing_is_merged(tmp_path):
    changed = [dict(n) for n in NOTES]
    changed[0]["text"] = NOTES[0]["text"] + " Police called."
    with workspace_with_notes(tmp_path / "lead") as lead, workspace_with_notes(tmp_path / "bo", changed) as coder:
        coder.add_comment("n1", "bo", "fine")
        coder.add_comment("n0", "bo", f"{SECRET}: police not told")
        rows = [json.loads(line) for line in exported_comments(coder, tmp_path / "c.jsonl").read_text().splitlines()]
        rows.append(dict(rows[0], note_id="n9"))
        rows.append(dict(rows[0], comment="fine\x1b[2J", created_at="2026-01-01T00:00:00+00:00"))
        bad = tmp_path / "bad.jsonl"
        bad.write_text("".join(json.dumps(r) + "\n" for r in rows))
        with pytest.raises(InvalidDecisionsFileError) as refused:
            merge(lead, bad)
        message = str(refused.value)
        assert "3 rows cannot be merged; nothing merged" in message
        assert "bad.jsonl:2: field 'note_hash': note 'n0' was commented on in another version" in message
        assert "bad.jsonl:3: field 'note_id': note 'n9' is not in this workspace" in message
        assert "bad.jsonl:4: field 'comment': holds a control character (U+001B, character 5)" in message
        assert SECRET not in message and "police" not in message and "\x1b" not in message
        assert lead.comments("n1") == []  # the good row not merged either


# -- a large file: read a batch at a time into a temporary table --------------------------------------------------
def test_a_files_rows_are_checked_against_every_row_before_them_however_far_apart(tmp_path):
    # a file is read into the merge's table a thousand rows at a time: an id given twice, and an undo of an earlier
    # row (valid, or of a row undone before, or of a later row), are told as if the file were read whole
    with workspace_with_notes(tmp_path / "bo") as coder:
        with coder.transaction():
            for i in range(2100):
                coder.record_decision(f"n{i % 4}", (RISK, OVERSIGHT, DELAY)[i % 3], "confirmed", "bo")
        rows = [json.loads(line) for line in exported(coder, tmp_path / "bo.jsonl").read_text().splitlines()]
    assert len(rows) == 2107 and all(r["undoes"] is None for r in rows)
    bo = [i for i, r in enumerate(rows) if r["reviewer"] == "bo"]
    first, second = bo[10], bo[20]
    rows[1500]["id"] = rows[first]["id"]  # a batch and more apart
    for at in (1800, 1900):  # the second undo of one row, both a batch from it
        rows[at].update(undoes=rows[second]["id"], note_id=rows[second]["note_id"], label=rows[second]["label"])
    rows[1950]["undoes"] = rows[2050]["id"]  # a later row's
    broken = tmp_path / "broken.jsonl"
    broken.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with workspace_with_notes(tmp_path / "lead") as lead, pytest.raises(InvalidDecisionsFileError) as refused:
        merge(lead, broken)
    assert [(e.line, e.field, e.problem) for e in refused.value.errors] == [
        (1501, "id", f"decision {rows[first]['id']} is in the file twice"),
        (1901, "undoes", f"decision {rows[second]['id']} is undone twice"),
        (1951, "undoes", f"decision {rows[2050]['id']} is not an earlier row of the file")]


def test_a_merge_refused_leaves_nothing_behind_and_the_next_merge_reads_its_own_file(lead_and_coder, tmp_path):
    # each merge reads its file into temporary tables of the workspace's connection: gone once it ends, merged or
    # refused, so that the next merge in the same process (the review app's, a script's) starts from none
    lead, coder, decisions = lead_and_coder
    rows = [json.loads(line) for line in decisions.read_text().splitlines()]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps(dict(r, note_hash="0" * 64)) + "\n" for r in rows))
    coder.add_comment("n0", "bo", "ISW delay, not escalated")
    with open(tmp_path / "c.jsonl", "w", encoding="utf-8") as out:
        exporter.export(coder, "comments", "jsonl", out, allow_pii=True)
    for path in (bad, tmp_path / "c.jsonl", bad):
        with contextlib.suppress(InvalidDecisionsFileError):
            merge(lead, path)
    assert merge(lead, decisions).lines()[0] == "bo: 8 decisions merged, 0 already here"
    assert merge(lead, tmp_path / "c.jsonl").lines() == ["bo: 0 comments merged, 1 already here"]
    assert lead._conn.execute("SELECT name FROM temp.sqlite_master").fetchall() == []



BIG_CASE = [{"note_id": f"b{i}", "case_id": "BIG", "date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
             "text": f"Visited; {SECRET}, said mother. " * 40 + str(i)} for i in range(3000)]  # 4 MB of text


def test_a_large_merge_or_case_report_writes_nothing_in_the_shared_temporary_folder(tmp_path):
    """A merge staged the file's rows in SQLite's temporary tables, and a case file's notes were sorted by date in
    SQLite's temporary files: past 2 MB both went to $TMPDIR, often a shared /tmp on another disk than the workspace,
    decisions' comments, reviewers' comments and note text (files deleted as made, but on that disk). A merge stages
    them inside the workspace, its folder removed once done, or by the next merge if one was killed."""
    shared = tmp_path / "tmp"
    shared.mkdir()
    lead, coder = (workspace_with_notes(tmp_path / name, NOTES + BIG_CASE) for name in ("lead", "bo"))
    with coder.transaction():
        for _ in range(1500):
            for note in NOTES:
                coder.record_decision(note["note_id"], RISK, "confirmed", "bo", comment=f"{SECRET}: " + "x" * 80)
        for at in range(3000):
            said_at = f"2026-01-01T{at // 3600:02d}:{at // 60 % 60:02d}:{at % 60:02d}+00:00"
            coder.add_comment("n0", "bo", f"{SECRET}, said at {at}: " + "x" * 80, said_at)
    files = exported(coder, tmp_path / "bo.jsonl"), exported_comments(coder, tmp_path / "bo-comments.jsonl")
    coder.close()
    lead.close()
    killed = lead.path / ".merging.k1ll3d00.part"  # the rows a merge killed midway staged
    killed.mkdir(mode=0o700)
    (killed / "workspace.db").write_bytes(b"staged rows")

    untouched = shared.stat().st_mtime_ns  # a file made there and deleted at once changes it
    for command in (("merge", str(files[0])), ("merge", str(files[1])),
                    ("report", "--case", "BIG", "-o", str(tmp_path / "big.md"))):
        done = run_cli(*command, "-w", str(lead.path), env={"TMPDIR": str(shared)})
        assert done.returncode == 0, done.stderr
        if command == ("merge", str(files[0])):
            assert done.stderr.splitlines()[0] == (f"note: {killed}: removed the rows a merge stopped midway (killed) "
                                                   "staged there; it merged nothing")
    assert shared.stat().st_mtime_ns == untouched
    assert [p.name for p in lead.path.iterdir()] == ["workspace.db"]  # the staged rows removed
    with Workspace.open(lead.path, create=False) as merged:
        assert len(merged.decisions_of("bo")) == 6000 and len(merged.comments("n0")) == 3000


def test_a_merges_staged_rows_are_owner_only_inside_the_workspace_whatever_the_umask(tmp_path, umask_000):
    """SQLite made the staged rows' database file 0644 (its journal as the file), readable by all but for the folder."""
    with workspace_with_notes(tmp_path / "ws") as ws, ws.staged_decisions():
        staged = [p for p in ws.path.rglob("*") if ".merging." in str(p)]
        assert [(p.relative_to(ws.path).parts[1:], mode(p)) for p in sorted(staged)] == [
            ((), "0o700"), (("workspace.db",), "0o600")]
    assert [p.name for p in ws.path.iterdir()] == ["workspace.db"]  # removed once done


def test_a_merge_the_disk_cannot_stage_is_an_error_naming_the_workspace_and_the_limit_and_merges_nothing(tmp_path):
    """A file size limit (or a quota) reached while a merge staged the file's rows ended in a traceback, exit 1
    ('sqlite3.OperationalError: disk I/O error'), naming neither the workspace nor what ran out."""
    lead, coder = workspace_with_notes(tmp_path / "lead"), workspace_with_notes(tmp_path / "bo")
    for _ in range(300):  # a long log, each decision with a long comment
        for note in NOTES:
            coder.record_decision(note["note_id"], RISK, "unsure", "bo", comment="needs a second look " * 10)
    decisions = exported(coder, tmp_path / "bo.jsonl")
    before = lead.decision_log_position()
    lead.close()
    limit = (tmp_path / "lead" / "workspace.db").stat().st_size + 64 * 1024  # the workspace fits, the staged rows not
    failed = run_cli("merge", str(decisions), "-w", str(tmp_path / "lead"), preexec_fn=file_size_limit(limit))
    assert failed.returncode == 2, failed.stderr
    assert failed.stderr == (f"error: {tmp_path / 'lead'}: cannot write the rows being merged (disk I/O error; a file "
                             f"may be at most {limit:,} bytes here: the file size limit (ulimit -f)); nothing was "
                             "merged\n")
    assert sorted(p.name for p in (tmp_path / "lead").iterdir()) == ["workspace.db"]  # no staged rows left
    merged = run_cli("merge", str(decisions), "-w", str(tmp_path / "lead"))
    assert merged.stderr.splitlines()[0] == "bo: 1,200 decisions merged, 0 already here"  # the workspace as it was
    with Workspace.open(tmp_path / "lead") as again:
        assert again.decision_log_position() == before + 1200


@pytest.mark.skipif(not Path("/proc/self/syscall").exists(), reason="reads where the command waits from /proc")
def test_ctrl_c_as_merge_prints_its_lines_says_the_file_is_merged(lead_and_coder):
    """A Ctrl-C just after merge's commit, as it printed its lines, exited 130 saying nothing: had it merged? Its
    stderr is a terminal whose output is stopped (Ctrl-S): the command waits in its first line's write, the merge
    committed; a real SIGINT lands there, then the output goes on (Ctrl-Q)."""
    import os
    import pty
    import signal
    import sys
    import time

    lead, _, decisions = lead_and_coder
    before = lead.decision_log_position()
    master, terminal = pty.openpty()
    os.write(master, b"\x13")  # Ctrl-S: the terminal shows nothing more, a write to it waits
    child = subprocess.Popen([sys.executable, "-m", "casereview", "merge", str(decisions), "-w", str(lead.path)],
                             stdout=subprocess.DEVNULL, stderr=terminal, env={**os.environ, "CASEREVIEW_WORKSPACE": ""})
    os.close(terminal)
    deadline = time.monotonic() + 120
    while not (lead.decision_log_position() > before and _waits_writing_stderr(child.pid)):
        assert child.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    while _pending(child.pid, signal.SIGINT):  # taken as it waits, not once the output goes on (a time waited was not,
        time.sleep(0.01)  # on a loaded machine)
    os.write(master, b"\x11")  # Ctrl-Q: the output goes on
    said = read_terminal_to_its_end(master)
    assert child.wait(timeout=60) == 130
    last = re.sub(r"\x1b\[[0-9;]*m", "", said.decode()).replace("\r\n", " ").split("error: ")[-1]
    assert " ".join(last.split()) == (f"stopped (Ctrl-C): {decisions} is merged (8 decisions merged), as the lines "
                                      "above say of each reviewer")
    assert lead.decision_log_position() == before + 8


def _pending(pid: int, signum: int) -> bool:
    """Whether signal ``signum`` sent to process ``pid`` waits to be taken (its C handler not yet run)."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return any(int(status[field], 16) >> (signum - 1) & 1 for field in ("ShdPnd", "SigPnd"))


def _waits_writing_stderr(pid: int) -> bool:
    """Whether process ``pid`` waits in a write(2) to its stderr (x86-64's and arm64's numbers for write)."""
    call = Path(f"/proc/{pid}/syscall").read_text().split()
    return len(call) > 1 and call[0] in ("1", "64") and call[1] == "0x2"
