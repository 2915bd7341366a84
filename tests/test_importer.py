import contextlib
import hashlib
import io
import json
import sqlite3
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casereview import exporter, importer
from casereview.errors import CaseReviewError, ConflictError, InvalidFileError
from casereview.notes import codebook_value
from casereview.workspace import Workspace

from .conftest import NOTES, run_cli, write_jsonl


def db_digest(ws: Workspace) -> str:
    """A digest of every table's rows, to prove a failed import changed nothing."""
    h = hashlib.sha256()
    for table in ("notes", "decisions", "note_history", "predictions"):
        for row in ws._conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def test_jsonl_round_trip(workspace, notes_file, tmp_path):
    importer.import_path(workspace, notes_file)
    out = io.StringIO()
    exporter.export(workspace, "notes", "jsonl", out)
    exported = [json.loads(line) for line in out.getvalue().splitlines()]
    assert exported == [{k: v for k, v in n.items() if k != "labels"} for n in NOTES]
    out = io.StringIO()
    exporter.export(workspace, "labels", "jsonl", out)
    labelled = [json.loads(line) for line in out.getvalue().splitlines()]
    assert labelled == [n for n in NOTES if "labels" in n]


def test_labels_export_reimports_to_the_same_state(workspace, tmp_path):
    workspace.import_notes([], "x")
    importer.import_path(workspace, write_jsonl(tmp_path / "a.jsonl", [{"note_id": "a", "text": "t"}]))
    workspace.record_decision("a", "delay_timeliness", "added", "ann")
    workspace.record_decision("a", "workforce_capacity", "rejected", "ann")
    out = io.StringIO()
    exporter.export(workspace, "labels", "jsonl", out)
    record = json.loads(out.getvalue())
    assert record["labels"] == ["delay_timeliness"]
    assert "workforce_capacity" not in record["unreviewed"] and "risk_analysis_gap" in record["unreviewed"]
    with Workspace.open(tmp_path / "other") as other:
        importer.import_path(other, write_jsonl(tmp_path / "b.jsonl", [record]))
        state = {k: d.state for k, d in other.current_decisions("a").items()}
        assert state == {"delay_timeliness": "confirmed", "workforce_capacity": "rejected"}


def test_csv_round_trip(workspace, tmp_path):
    importer.import_path(workspace, write_jsonl(tmp_path / "n.jsonl", NOTES))
    out = io.StringIO()
    exporter.export(workspace, "labels", "csv", out)
    csv_path = tmp_path / "labels.csv"
    csv_path.write_text(out.getvalue(), encoding="utf-8")
    with Workspace.open(tmp_path / "ws2") as ws2:
        report = importer.import_path(ws2, csv_path)
        assert report.result.added == 2
        assert ws2.current_decisions("n1")["recording_quality"].state == "confirmed"
        assert ws2.get_note("n2").text == NOTES[1]["text"]


def test_text_folder_import(workspace, tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "note-17.txt").write_text("Home visit.\nChild seen alone.", encoding="utf-8")
    (folder / "note-18.txt").write_bytes(b"ok \xff")
    with pytest.raises(InvalidFileError, match=r"letters/note-18.txt:1"):
        importer.import_path(workspace, folder)
    assert workspace.note_ids() == []
    report = importer.import_path(workspace, folder, skip_invalid=True)
    assert workspace.note_ids() == ["note-17"] and len(report.rejected) == 1


def test_invalid_row_imports_nothing_and_skip_invalid_writes_rejects(workspace, tmp_path):
    path = write_jsonl(tmp_path / "n.jsonl", [NOTES[0], {"note_id": "x", "text": "t", "date": "2025-1-1"}])
    with pytest.raises(InvalidFileError, match=r"n.jsonl:2: field 'date'"):
        importer.import_path(workspace, path)
    assert workspace.note_ids() == []
    old = tmp_path / "n.jsonl.rejects.jsonl"  # an older rejects file, world-readable
    old.write_text("old\n")
    old.chmod(0o644)
    report = importer.import_path(workspace, path, skip_invalid=True)
    assert report.rejects_path == old
    assert workspace.note_ids() == ["n1"]
    rejects = [json.loads(line) for line in report.rejects_path.read_text().splitlines()]
    assert rejects[0]["line"] == 2 and rejects[0]["field"] == "date"
    assert oct(report.rejects_path.stat().st_mode & 0o777) == "0o600"



def test_a_rejects_file_that_is_a_link_is_refused_not_followed(workspace, tmp_path):
    """The rejects file's name is made from the input's, in the input's folder, often one others write in (an
    incoming folder). A link someone put there under that name made the import replace the file it points to
    (another of the user's files, anywhere) with the rejected rows' note text."""
    path = write_jsonl(tmp_path / "n.jsonl", [NOTES[0], {"note_id": "x", "text": "Rejected row text", "date": "2025-1-1"}])
    elsewhere = tmp_path / "home" / "keep.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_text("mine\n")
    (tmp_path / "n.jsonl.rejects.jsonl").symlink_to(elsewhere)
    with pytest.raises(CaseReviewError, match=r"n.jsonl.rejects.jsonl: is a link") as caught:
        importer.import_path(workspace, path, skip_invalid=True)
    assert "Rejected row text" not in str(caught.value)
    assert elsewhere.read_text() == "mine\n"
    assert workspace.note_ids() == []  # nothing imported: the rejects are written whole or the import is not
    assert sorted(p.name for p in elsewhere.parent.iterdir()) == ["keep.txt"]

def blank(value) -> bool:
    return isinstance(value, str) and not value.strip()


valid_note = st.fixed_dictionaries(
    {"note_id": st.text(string.ascii_letters, min_size=1, max_size=8), "text": st.text(min_size=1, max_size=50)}
)
junk_value = st.one_of(st.integers(), st.floats(allow_nan=False), st.lists(st.integers(), max_size=3),
                       st.booleans(), st.just(""), st.text(max_size=5))
bad_row = st.one_of(
    valid_note.map(lambda r: json.dumps(r)[:-3]),  # truncated JSON
    st.builds(lambda v: json.dumps({"note_id": "a", "text": v}), junk_value.filter(lambda v: not (isinstance(v, str) and v.strip()))),
    # a value of white space alone is an absent one, and a role may be written in words ("IRO ", "Other"): valid rows
    st.builds(lambda v: json.dumps({"note_id": "a", "text": "t", "date": v}), junk_value.filter(lambda v: not blank(v))),
    st.builds(lambda v: json.dumps({"note_id": "a", "text": "t", "author_role": v}),
              junk_value.filter(lambda v: not blank(v) and not (isinstance(v, str) and codebook_value("author_role", v)))),
    st.builds(lambda v: json.dumps({"note_id": v, "text": "t"}), st.one_of(st.lists(st.integers(), max_size=2), st.booleans(), st.floats(allow_nan=False))),
    st.just('{"note_id": "a", "text": "' + "x" * 1_000_050 + '"}'),  # huge field
    st.text(alphabet="\ud7ff\ue000\ufffe\u200b{}[]\":,", min_size=1, max_size=20).filter(lambda s: s.strip()),
    st.just("[1, 2, 3]"),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(good=st.lists(valid_note, max_size=3, unique_by=lambda r: r["note_id"]), bad=bad_row, position=st.integers(0, 3))
def test_malformed_input_is_located_and_changes_nothing(tmp_path_factory, good, bad, position):
    tmp = tmp_path_factory.mktemp("h")
    with Workspace.open(tmp / "ws") as ws:
        importer.import_path(ws, write_jsonl(tmp / "seed.jsonl", NOTES))
        before = db_digest(ws)
        lines = [json.dumps(r, ensure_ascii=False) for r in good]
        position = min(position, len(lines))
        lines.insert(position, bad)
        path = tmp / "in.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        with pytest.raises(InvalidFileError) as info:
            importer.import_path(ws, path)
        assert f"in.jsonl:{position + 1}:" in str(info.value)
        assert db_digest(ws) == before


def test_a_folder_given_as_dot_is_named_and_its_rejects_go_beside_it(tmp_path, monkeypatch):
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "a.txt").write_text("Home visit.", encoding="utf-8")
    (folder / "b.txt").write_text("  ", encoding="utf-8")
    monkeypatch.chdir(folder)
    with Workspace.open(tmp_path / "ws") as ws:
        with pytest.raises(InvalidFileError, match=r"^letters: 1 invalid row.*\n  letters/b.txt:1: field 'text'"):
            importer.import_path(ws, ".")
        report = importer.import_path(ws, ".", skip_invalid=True)
        assert report.source == "letters" and report.rejects_path == tmp_path / "letters.rejects.jsonl"
        assert ws.get_note("a").text == "Home visit." and report.rejects_path.exists()
        (folder / "sub").mkdir()
        monkeypatch.chdir(folder / "sub")
        report = importer.import_path(ws, "..", skip_invalid=True)
        assert report.source == "letters" and report.rejects_path == tmp_path / "letters.rejects.jsonl"


def test_a_refused_file_with_valid_rows_says_how_to_import_them(workspace, tmp_path):
    """The refusal said 'nothing imported' and stopped: what to do next (fix the rows, or --skip-invalid) was
    left to the README."""
    path = write_jsonl(tmp_path / "n.jsonl", [NOTES[0], NOTES[1], {"note_id": "x", "text": ""}])
    with pytest.raises(InvalidFileError) as info:
        importer.import_path(workspace, path)
    assert str(info.value).splitlines()[0] == (
        "n.jsonl: 1 invalid row; nothing imported: fix it, or import the 2 valid rows with --skip-invalid "
        "(the invalid one goes to n.jsonl.rejects.jsonl)")
    assert workspace.note_ids() == []


def test_skip_invalid_with_no_valid_row_imports_nothing_and_writes_no_rejects(workspace, tmp_path):
    path = write_jsonl(tmp_path / "n.jsonl", [{"note_id": "a", "text": ""}, {"note_id": "b"}])
    with pytest.raises(InvalidFileError, match=r"n.jsonl: 2 invalid rows; nothing imported\n"):
        importer.import_path(workspace, path, skip_invalid=True)
    assert workspace.note_ids() == [] and not (tmp_path / "n.jsonl.rejects.jsonl").exists()


def test_the_rejects_file_and_the_import_land_together(workspace, tmp_path):
    (tmp_path / "m.jsonl.rejects.jsonl").mkdir()  # where the rejects would go: it cannot be written
    path = write_jsonl(tmp_path / "m.jsonl", [NOTES[0], {"note_id": "x", "text": ""}])
    with pytest.raises(CaseReviewError, match="is a folder, not a file"):
        importer.import_path(workspace, path, skip_invalid=True)
    assert workspace.note_ids() == []  # not imported with its rejected rows unrecorded
    (tmp_path / "m.jsonl.rejects.jsonl").rmdir()
    importer.import_path(workspace, write_jsonl(tmp_path / "n.jsonl", NOTES))
    with pytest.raises(ConflictError):  # and an import that fails writes no rejects file
        importer.import_path(workspace, write_jsonl(path, [{**NOTES[0], "text": "Changed."}, {"note_id": "x"}]),
                             skip_invalid=True)
    assert not (tmp_path / "m.jsonl.rejects.jsonl").exists() and not list(tmp_path.glob(".m.jsonl*"))


def test_an_import_stores_its_notes_and_their_scans_in_one_transaction(workspace, tmp_path):
    # The scans are written after the notes: a failure between them (here SQLite itself refuses the scan,
    # as a full disk would) must take the notes back too, or they stay stored and never scanned.
    # (The test wrapped the import in its own transaction, which rolled back whatever the import did.)
    path = write_jsonl(tmp_path / "n.jsonl", [{"note_id": "p", "text": "Visited Jayden Smith at home."}])
    with contextlib.closing(sqlite3.connect(workspace.db_path)) as other:
        other.execute("CREATE TRIGGER scans_fail BEFORE INSERT ON pii_scans BEGIN SELECT RAISE(ABORT, 'no room'); END")
    with pytest.raises(sqlite3.DatabaseError, match="no room"):
        importer.import_path(workspace, path)
    assert workspace.note_ids() == [] and workspace.pii_findings() == []
    with contextlib.closing(sqlite3.connect(workspace.db_path)) as other:
        other.execute("DROP TRIGGER scans_fail")
    importer.import_path(workspace, path)
    assert workspace.note_ids() == ["p"] and workspace.pii_unscanned_note_ids() == []


@pytest.mark.parametrize("content, error", [
    # the lenient reader read the rest of the file as one cell: r1's text swallowed r2 and r3, with no error
    ('r1,"never closed\nr2,c\nr3,d\n', "a quoted cell opened on this row is never closed"),
    # r1's quoted cell ran over r2-r4 before the error: only line 3 was rejected, and r2-r4 vanished without a word
    ('r1,"open\nr2,fine\nr3,""x""\nr4,"y" z\nr5,last\n', ".* on line 6, .* lines 4-6 cannot be told apart"),
    # a quote inside a quoted cell written once: going on at the next line made a note of the cell's second line
    ('r1,"said "no" then\nr2,left"\nr3,fine\n', ".*nothing of the file is imported"),
], ids=["never-closed", "ran-over-rows", "stray"])
def test_a_csv_quote_out_of_place_imports_nothing_even_skipping_invalid_rows(workspace, tmp_path, content, error):
    path = tmp_path / "export.csv"
    path.write_text("note_id,text\nr0,ok\n" + content, encoding="utf-8")
    with pytest.raises(InvalidFileError, match=f"export.csv:3: bad CSV: {error}"):
        importer.import_path(workspace, path, skip_invalid=True)
    assert workspace.note_ids() == [] and not (tmp_path / "export.csv.rejects.jsonl").exists()


def test_a_csv_row_too_big_is_rejected_alone(workspace, tmp_path):
    # a cell over the csv module's limit stopped the reading there: later rows were silently not imported
    path = tmp_path / "export.csv"
    path.write_text("note_id,text\nr1,fine\nr2," + "x" * 5_000_000 + "\nr3,also fine\n", encoding="utf-8")
    report = importer.import_path(workspace, path, skip_invalid=True)
    assert workspace.note_ids() == ["r1", "r3"]
    assert [(e.line, e.field) for e in report.rejected] == [(3, "text")]


def test_a_rejects_file_that_cannot_be_written_fails_the_import_before_any_workspace_is_made(tmp_path):
    """The rejects file was opened after the workspace: an import that failed on it left a new, empty workspace."""
    path = write_jsonl(tmp_path / "n.jsonl", [NOTES[0], {"note_id": "no-text"}])
    (tmp_path / "n.jsonl.rejects.jsonl").mkdir()  # stops the write as root too, where a read-only mode would not
    with pytest.raises(CaseReviewError, match="n.jsonl.rejects.jsonl: is a folder, not a file"):
        list(importer.import_paths(tmp_path / "ws", [path], skip_invalid=True))
    assert not (tmp_path / "ws").exists()
    with Workspace.open(tmp_path / "ws2") as ws:  # a workspace that exists keeps what it had, and gets nothing
        importer.import_path(ws, write_jsonl(tmp_path / "first.jsonl", NOTES[1:]))
        with pytest.raises(CaseReviewError, match="is a folder"):
            importer.import_path(ws, path, skip_invalid=True)
        assert ws.note_ids() == ["n2", "n3"]


# -- a large file, read and stored a batch at a time ------------------------------------------------------------

MANY = [{"note_id": f"m{i}", "case_id": f"C{i % 3}", "date": f"2025-01-{i + 1:02d}", "text": f"Home visit {i}."}
        for i in range(7)]


@pytest.fixture
def small_batches(monkeypatch):
    """Imports scanned and stored two notes at a time, so that a few notes span several batches (a large file's
    are a thousand notes each)."""
    monkeypatch.setattr(importer, "BATCH_NOTES", 2)


def stored_contents(ws: Workspace) -> dict[str, list[tuple]]:
    """Every row an import writes, without the times it was written at."""
    times = {"imported_at", "created_at", "scanned_at", "replaced_at"}
    contents = {}
    for table in ("notes", "note_history", "decisions", "pii_scans", "pii_findings", "pii_resolutions"):
        rows = ws._conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
        contents[table] = [tuple(v for k, v in zip(row.keys(), row) if k not in times) for row in rows]
    return contents


@pytest.mark.parametrize("redact", [False, True], ids=["as-given", "redact"])
def test_an_import_in_batches_stores_what_it_stores_at_once(tmp_path, redact, monkeypatch):
    records = [*MANY[:3],
               {"note_id": "p1", "text": "Visited Jayden Smith at home. Ring 07700 900123.", "labels": ["delay_timeliness"],
                "unreviewed": ["risk_analysis_gap"], "date": "2025-02-03T09:30"},
               {"note_id": "p2", "text": "Case closed.", "child_name": "Kayleigh Thompson", "team": "north",
                "labels": []},
               *MANY[3:]]
    path = write_jsonl(tmp_path / "n.jsonl", records)
    contents = []
    for batch_notes in (importer.BATCH_NOTES, 2):
        monkeypatch.setattr(importer, "BATCH_NOTES", batch_notes)
        with Workspace.open(tmp_path / f"ws-{batch_notes}") as ws:
            report = importer.import_path(ws, path, redact=redact)
            assert (report.result.added, report.result.decisions, report.pii_findings) == (len(records), 13, 2)
            assert ws.get_note("p2").extra["child_name"] == ("[PERSON]" if redact else "Kayleigh Thompson")
            contents.append(stored_contents(ws))
    assert contents[0] == contents[1]


def test_changed_notes_in_different_batches_are_all_named_and_nothing_is_stored(workspace, tmp_path, small_batches):
    importer.import_path(workspace, write_jsonl(tmp_path / "n.jsonl", MANY))
    before = db_digest(workspace)
    changed = [{**r, "text": "Changed."} if r["note_id"] in ("m1", "m5") else r for r in MANY]
    path = write_jsonl(tmp_path / "n.jsonl", changed + [{"note_id": "new", "text": "A new note."}])
    with pytest.raises(ConflictError) as refused:
        importer.import_path(workspace, path)
    assert "2 notes already in the workspace with different content; nothing imported" in str(refused.value)
    assert "n.jsonl:2: field 'text': note 'm1'" in str(refused.value)
    assert "n.jsonl:6: field 'text': note 'm5'" in str(refused.value)
    assert db_digest(workspace) == before and "new" not in workspace.note_ids()  # the batches before taken back
    report = importer.import_path(workspace, path, update=True)
    assert (report.result.updated, report.result.added, report.result.unchanged) == (2, 1, 5)
    assert [workspace.get_note(n).text for n in ("m1", "m5")] == ["Changed.", "Changed."]
    assert len(workspace.note_history("m1")) == len(workspace.note_history("m5")) == 1


def test_a_bad_row_late_in_a_large_file_imports_nothing_naming_file_line_and_field(tmp_path, small_batches):
    rows = MANY + [{**MANY[0], "text": "Same id, far down."}, {"note_id": "late", "text": "t", "date": "31/02/2025"}]
    path = write_jsonl(tmp_path / "n.jsonl", rows)
    with pytest.raises(InvalidFileError) as refused:
        list(importer.import_paths(tmp_path / "ws", [path]))
    assert "n.jsonl:8: field 'note_id': duplicate id (first on line 1)" in str(refused.value)
    assert "n.jsonl:9: field 'date'" in str(refused.value)
    assert not (tmp_path / "ws").exists()  # checked before anything is scanned or written


def test_a_failure_in_a_late_batch_takes_back_the_batches_stored_before_it(workspace, tmp_path, small_batches):
    path = write_jsonl(tmp_path / "n.jsonl", MANY)
    with contextlib.closing(sqlite3.connect(workspace.db_path)) as other:  # as a full disk would, at the last batch
        other.execute("CREATE TRIGGER scans_fail BEFORE INSERT ON pii_scans WHEN NEW.note_id = 'm6'"
                      " BEGIN SELECT RAISE(ABORT, 'no room'); END")
    with pytest.raises(sqlite3.DatabaseError, match="no room"):
        importer.import_path(workspace, path)
    assert workspace.note_ids() == [] and workspace.pii_findings() == []


def test_a_file_changed_between_its_scan_and_its_storing_imports_nothing(workspace, tmp_path, small_batches):
    # the file is read again to be stored: a note's scan (where its personal data is) must never be stored with
    # another version of it, which --redact would then redact in the wrong places
    path = write_jsonl(tmp_path / "n.jsonl", MANY)
    prepared = importer.prepare(path, redact=True)
    write_jsonl(path, [{**r, "text": "Ring 07700 900123."} if r["note_id"] == "m5" else r for r in MANY])
    with pytest.raises(CaseReviewError, match=r"n.jsonl: changed while it was being imported; nothing imported"):
        importer.store(workspace, prepared)
    write_jsonl(path, MANY[:-1])  # a note fewer
    with pytest.raises(CaseReviewError, match="changed while it was being imported"):
        importer.store(workspace, prepared)
    prepared = importer.prepare(write_jsonl(path, MANY))
    write_jsonl(path, MANY + [{"note_id": "x"}])  # a row to reject, not there when it was read
    with pytest.raises(CaseReviewError, match="changed while it was being imported"):
        importer.store(workspace, prepared)
    assert workspace.note_ids() == []


def test_a_prepared_file_keeps_what_its_scan_found_not_its_notes(tmp_path):
    # every row of the file, each note and each of its scanned forms were held at once: 700 MB for 200,000 notes
    import pickle

    texts = [f"Home visit {i}, the child seen alone in her room; school attendance discussed." for i in range(50)]
    path = write_jsonl(tmp_path / "n.jsonl", [{"note_id": f"n{i}", "text": t} for i, t in enumerate(texts)])
    held = pickle.dumps(importer.prepare(path))
    assert not any(t.encode() in held for t in texts) and len(held) < path.stat().st_size / 2


# An evidence span past the end of the note's text, or ending before it starts, negative or not a whole number, was
# imported as it came (retraining then dropped it without a word, and redaction moved it as if it were one). It is its
# row's error, naming file, line and field, and nothing of the file is imported.
EVIDENCE_TEXT = "Visited K at home. No safety plan was agreed."


@pytest.mark.parametrize("evidence,problem", [
    ({"risk_analysis_gap": [{"start": 19, "end": 500}]}, "'risk_analysis_gap': span 1 (19-500) is outside the text"),
    ({"risk_analysis_gap": [{"start": 19, "end": 45}, {"start": 30, "end": 19}]},
     "'risk_analysis_gap': span 2 (30-19) is reversed: it ends before it starts"),
    ({"risk_analysis_gap": [{"start": 19, "end": 19}]}, "'risk_analysis_gap': span 1 (19-19) is empty"),
    ({"risk_analysis_gap": [{"start": -5, "end": 10}]}, "'risk_analysis_gap': span 1 (-5-10) is outside the text"),
    ({"risk_analysis_gap": [{"start": 19.0, "end": 45}]}, "'risk_analysis_gap': span 1 needs whole-number 'start' and 'end'"),
    ({"risk_analysis_gap": [{"start": "19", "end": "45"}]}, "'risk_analysis_gap': span 1 needs whole-number 'start' and 'end'"),
    ({"risk_analysis_gap": [{"start": False, "end": 45}]}, "'risk_analysis_gap': span 1 needs whole-number 'start' and 'end'"),
    ({"risk_analysis_gap": {"start": 19, "end": 45}}, "'risk_analysis_gap': must be a list of spans"),
    ({"Kayleigh Thompson": [{"start": 19, "end": 500}]}, "a key: span 1 (19-500) is outside the text"),
    ([{"start": 19, "end": 45}], "must be an object: {label: [{start, end}, ...]}"),
])
def test_an_evidence_span_that_is_not_one_of_the_text_is_refused_and_nothing_imported(workspace, tmp_path, evidence,
                                                                                      problem):
    importer.import_path(workspace, write_jsonl(tmp_path / "seed.jsonl", NOTES))
    before = db_digest(workspace)
    good = {"note_id": "e1", "text": EVIDENCE_TEXT, "labels": ["risk_analysis_gap"],
            "evidence": {"risk_analysis_gap": [{"start": 19, "end": 45}]}}
    path = write_jsonl(tmp_path / "in.jsonl", [good, {**good, "note_id": "e2", "evidence": evidence}])
    with pytest.raises(InvalidFileError) as raised:
        importer.import_path(workspace, path)
    assert f"in.jsonl:2: field 'evidence': {problem}" in str(raised.value)
    assert "Kayleigh" not in str(raised.value) and "safety" not in str(raised.value)
    assert db_digest(workspace) == before
    report = importer.import_path(workspace, path, skip_invalid=True)  # the valid row alone, the other rejected
    assert [e.line for e in report.rejected] == [2] and workspace.note_ids() == [n["note_id"] for n in NOTES] + ["e1"]


def test_evidence_spans_of_the_text_and_evidence_given_as_text_are_imported(workspace, tmp_path):
    # a span may end at the text's end; a CSV cell (as export notes --format csv writes evidence) is text, not spans
    path = write_jsonl(tmp_path / "in.jsonl", [
        {"note_id": "e1", "text": EVIDENCE_TEXT, "evidence": {"risk_analysis_gap": [{"start": 19, "end": 45}]}},
        {"note_id": "e2", "text": EVIDENCE_TEXT, "evidence": '{"risk_analysis_gap": [{"start": 19, "end": 45}]}'},
        {"note_id": "e3", "text": EVIDENCE_TEXT, "evidence": None},
    ])
    assert importer.import_path(workspace, path).result.added == 3


def test_a_problem_on_a_thousand_rows_and_more_counts_them_thousands_apart(tmp_path):
    # "on 1,010 rows (lines 2, 3, 4, 5, 6 and 1005 more)": the rows counted one way, the rest another
    rows = [{"note_id": f"n{i}", "case_id": "C1", "date": "2024-13-01", "text": "Home visit."} for i in range(1010)]
    done = run_cli("import", str(write_jsonl(tmp_path / "bad.jsonl", rows)), "-w", str(tmp_path / "ws"))
    assert done.returncode == 2
    assert "on 1,010 rows (lines 1, 2, 3, 4, 5 and 1,005 more)" in done.stderr, done.stderr
