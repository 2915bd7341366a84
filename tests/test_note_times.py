"""A note's time of day: read where its source gives one (--date-format with a time, an ISO date and time, a `time`
field), kept beside its ISO date, and used to order a case file's notes within a day wherever notes are read in date
order (the timeline, --case's queue, the date queue). Notes of a day with no time follow that day's timed notes, in
the order they were imported in; so do notes of one date with no time at all, whatever SQLite's storage order."""

import hashlib
import json
import sqlite3

import pytest

from casereview import exporter, importer
from casereview.errors import CaseReviewError, InputError
from casereview.notes import validate
from casereview.review import ReviewSession
from casereview.workspace import QueueQuery, Workspace

from .conftest import run_cli, write_jsonl
from .test_workspace import old_workspace

#: A case-management export as many are: newest note first, dates day first with a time.
NEWEST_FIRST = [("late", "C1", "12/03/2024 16:30"), ("other", "C2", "12/03/2024 12:00"),
                ("early", "C1", "12/03/2024 09:00"), ("before", "C1", "11/03/2024 17:45")]
DAY_FIRST_WITH_TIME = "%d/%m/%Y %H:%M"


def cms_export(path, rows=NEWEST_FIRST):
    path.write_text("note_id,case_id,date,text\n" + "".join(f"{','.join(r)},Home visit.\n" for r in rows),
                    encoding="utf-8")
    return path


def in_date_order(ws: Workspace, case_id: str) -> list[str]:
    """The case file's notes as each reading in date order lists them: its timeline (which Enter reads on from),
    ``review --case`` (its queue in case order), the queue of every note by date, and each note's place in its case
    file on the review screen ("case C1 (2 of 7)"); all the same."""
    timeline = [n.note_id for n in ws.case_notes(case_id)]
    session = ReviewSession(ws, "ann", QueueQuery(case_id=case_id, order="case"))
    places = [(view.case_position, view.case_length) for view in map(session.view, timeline)]
    assert places == [(place, len(timeline)) for place in range(1, len(timeline) + 1)]
    case_queue = session.note_ids
    every_case = [i for i in ReviewSession(ws, "ann", QueueQuery(order="case")).note_ids
                  if ws.get_note(i).case_id == case_id]
    by_date = [i for i in ReviewSession(ws, "ann", QueueQuery(order="date")).note_ids
               if ws.get_note(i).case_id == case_id]
    assert case_queue == every_case == by_date == timeline
    return timeline


def test_a_time_in_the_date_format_given_is_kept_and_orders_the_day(workspace, tmp_path):
    # newest first, the day's notes read 16:30 before 09:00 in the timeline and --case: the time was dropped
    path = cms_export(tmp_path / "export.csv")
    importer.import_path(workspace, path, date_format=DAY_FIRST_WITH_TIME)
    assert [(workspace.get_note(i).date, workspace.get_note(i).time) for i in ("late", "early", "before")] == [
        ("2024-03-12", "16:30"), ("2024-03-12", "09:00"), ("2024-03-11", "17:45")]
    assert in_date_order(workspace, "C1") == ["before", "early", "late"]
    again = importer.import_path(workspace, path, date_format=DAY_FIRST_WITH_TIME)
    assert (again.result.unchanged, again.result.updated) == (4, 0)


@pytest.mark.parametrize("date_format, value, when", [
    ("%d/%m/%Y %H:%M", "03/04/2024 14:05", ("2024-04-03", "14:05")),
    ("%d/%m/%Y %H:%M:%S", "03/04/2024 14:05:09", ("2024-04-03", "14:05:09")),
    ("%d/%m/%Y %I:%M %p", "03/04/2024 02:05 PM", ("2024-04-03", "14:05")),
    ("%Y-%m-%dT%H:%M:%S%z", "2024-04-03T22:30:00Z", ("2024-04-03", "23:30:00")),  # UK time: BST, UTC+1
    ("%d/%m/%Y", "03/04/2024", ("2024-04-03", None)),
])
def test_a_date_format_with_a_time_gives_the_note_its_time(date_format, value, when):
    note = validate({"note_id": "a", "text": "t", "date": value}, "export.csv", 2, date_format=date_format)
    assert (note.date, note.time) == when


def test_a_twelve_hour_clock_without_am_or_pm_is_refused_before_anything(tmp_path):
    # 02:05 may be 14:05: the notes of an afternoon would be ordered before the morning's
    path = cms_export(tmp_path / "export.csv", [("a", "C1", "03/04/2024 02:05")])
    with pytest.raises(CaseReviewError, match=r"--date-format '%d/%m/%Y %I:%M': .*12-hour.*%p"):
        list(importer.import_paths(tmp_path / "ws", [path], date_format="%d/%m/%Y %I:%M"))
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize("value, time", [("2024-03-12T09:30", "09:30"), ("2024-03-12 09:30", "09:30"),
                                         ("2024-03-12T09:30:15", "09:30:15"), (" 2024-03-12 23:59 ", "23:59")])
def test_an_iso_date_and_time_is_read_without_a_date_format(value, time):
    note = validate({"note_id": "a", "text": "t", "date": value}, "n.jsonl", 1)
    assert (note.date, note.time) == ("2024-03-12", time)


@pytest.mark.parametrize("value, says", [("2024-03-12T24:00", "no such time"), ("2024-03-12T09:30+25:00", "offset"),
                                         ("2024-03-12T09:30:00.250", "fraction"), ("2024-02-30T09:30", "no such day")])
def test_an_iso_date_and_time_not_read_is_its_rows_error_without_quoting_it(value, says):
    with pytest.raises(InputError) as caught:
        validate({"note_id": "a", "text": "t", "date": value}, "n.jsonl", 3)
    assert str(caught.value).startswith("n.jsonl:3: field 'date': ") and says in str(caught.value)
    assert value not in str(caught.value)


@pytest.mark.parametrize("raw, time", [
    ({"date": "2024-03-12", "time": "09:30"}, "09:30"),
    ({"date": "2024-03-12", "time": "9:05"}, "09:05"),  # as exports write an hour before ten
    ({"date": "2024-03-12", "time": " 09:05:30 "}, "09:05:30"),
    ({"date": "2024-03-12T09:30", "time": "09:30"}, "09:30"),  # said twice, the same
    ({"date": "2024-03-12", "time": ""}, None),
])
def test_a_time_field_gives_the_note_its_time(raw, time):
    assert validate({"note_id": "a", "text": "t", **raw}, "n.jsonl", 1).time == time


@pytest.mark.parametrize("raw, says", [
    ({"date": "2024-03-12", "time": "25:00"}, "no such time"),
    ({"date": "2024-03-12", "time": "half past nine"}, "not a time of day"),
    ({"date": "2024-03-12", "time": "9.30"}, "morning or evening"),
    ({"date": "2024-03-12", "time": 930}, "must be a string"),
    ({"time": "09:30"}, "no date"),
    ({"date": "2024-03-12T16:30", "time": "09:30"}, "differs from the time in its date"),
])
def test_a_time_field_not_read_is_its_rows_error_without_quoting_it(raw, says):
    with pytest.raises(InputError) as caught:
        validate({"note_id": "a", "text": "t", **raw}, "n.jsonl", 2)
    assert str(caught.value).startswith("n.jsonl:2: field 'time': ") and says in str(caught.value)
    assert str(raw["time"]) not in str(caught.value)


def test_notes_of_a_day_with_no_time_follow_its_timed_notes_in_import_order(workspace, tmp_path):
    records = [{"note_id": "day-1", "date": "2024-03-12"}, {"note_id": "afternoon", "date": "2024-03-12T16:30"},
               {"note_id": "undated"}, {"note_id": "day-2", "date": "2024-03-12"},
               {"note_id": "morning", "date": "2024-03-12 09:00"}, {"note_id": "eve", "date": "2024-03-11"},
               {"note_id": "next", "date": "2024-03-13T08:00"}]
    path = write_jsonl(tmp_path / "n.jsonl", [{**r, "case_id": "C1", "text": "Home visit."} for r in records])
    importer.import_path(workspace, path)
    assert in_date_order(workspace, "C1") == ["eve", "morning", "afternoon", "day-1", "day-2", "next", "undated"]


def test_notes_of_one_date_with_no_time_keep_their_import_order_wherever_they_are_read(tmp_path):
    # not the order of their ids, nor where SQLite happens to keep them: the tie-break is import order, pinned
    folder = tmp_path / "ws"
    first = [{"note_id": i, "case_id": "C1", "date": "2024-03-12", "text": "Home visit."} for i in ("zulu", "alpha")]
    later = [{"note_id": i, "case_id": "C1", "date": "2024-03-12", "text": "Home visit."} for i in ("mike", "bravo")]
    with Workspace.open(folder) as ws:
        importer.import_path(ws, write_jsonl(tmp_path / "first.jsonl", first))
        importer.import_path(ws, write_jsonl(tmp_path / "later.jsonl", later))
        assert in_date_order(ws, "C1") == ["zulu", "alpha", "mike", "bravo"]
        changed = write_jsonl(tmp_path / "first.jsonl", [{**first[1], "text": "Home visit. Seen alone."}])
        importer.import_path(ws, changed, update=True)  # a new version keeps the note's place
        assert in_date_order(ws, "C1") == ["zulu", "alpha", "mike", "bravo"]
    conn = sqlite3.connect(folder / "workspace.db")
    conn.execute("VACUUM")  # may renumber the rowids of a table whose key is not an integer
    conn.close()
    with Workspace.open(folder) as ws:
        assert in_date_order(ws, "C1") == ["zulu", "alpha", "mike", "bravo"]


def test_exported_notes_keep_their_time_beside_the_date_and_import_again_in_the_same_order(workspace, tmp_path):
    importer.import_path(workspace, cms_export(tmp_path / "export.csv"), date_format=DAY_FIRST_WITH_TIME)
    with open(tmp_path / "notes.jsonl", "w", encoding="utf-8") as out:
        exporter.export(workspace, "notes", "jsonl", out)
    records = [json.loads(line) for line in (tmp_path / "notes.jsonl").read_text().splitlines()]
    assert [(r["note_id"], r["date"], r["time"]) for r in records][:2] == [("late", "2024-03-12", "16:30"),
                                                                            ("other", "2024-03-12", "12:00")]
    assert list(records[0]) == ["note_id", "text", "case_id", "date", "time"]  # the codebook's date stays a date
    with open(tmp_path / "notes.csv", "w", encoding="utf-8", newline="") as out:
        exporter.export(workspace, "notes", "csv", out)
    assert (tmp_path / "notes.csv").read_text().splitlines()[:2] == [
        "note_id,text,case_id,date,time,author_role,note_type", "late,Home visit.,C1,2024-03-12,16:30,,"]
    for name in ("notes.jsonl", "notes.csv"):
        assert importer.import_path(workspace, tmp_path / name).result.unchanged == 4  # the same notes
        with Workspace.open(tmp_path / f"ws-{name}") as copy:
            importer.import_path(copy, tmp_path / name)
            assert in_date_order(copy, "C1") == ["before", "early", "late"]
            assert [copy.get_note(n.note_id).time for n in workspace.case_notes("C1")] == ["17:45", "09:00", "16:30"]


def test_a_csv_export_of_notes_with_no_time_has_no_time_column(workspace, notes_file, tmp_path):
    importer.import_path(workspace, notes_file)
    with open(tmp_path / "notes.csv", "w", encoding="utf-8", newline="") as out:
        exporter.export(workspace, "notes", "csv", out)
    assert (tmp_path / "notes.csv").read_text().splitlines()[0] == "note_id,text,case_id,date,author_role,note_type,origin"


def test_a_note_without_a_time_is_the_same_note_as_before_times_were_kept():
    # a changed hash would make every stored note "changed" when its file is imported again
    note = validate({"note_id": "a", "text": "t", "case_id": "C1", "date": "2024-03-12", "team": "N"}, "n.jsonl", 1)
    before = json.dumps(["a", "t", "C1", "2024-03-12", None, None, {"team": "N"}], sort_keys=True, ensure_ascii=False)
    assert note.content_hash == hashlib.sha256(before.encode("utf-8")).hexdigest()
    # a file's `time` column was kept as one of the note's other fields: the same note, read as its time now
    timed = validate({"note_id": "a", "text": "t", "case_id": "C1", "date": "2024-03-12", "time": "09:30"}, "n.jsonl", 1)
    before = json.dumps(["a", "t", "C1", "2024-03-12", None, None, {"time": "09:30"}], sort_keys=True,
                        ensure_ascii=False)
    assert timed.content_hash == hashlib.sha256(before.encode("utf-8")).hexdigest()


def test_a_workspace_made_before_times_were_kept_migrates_without_loss(tmp_path):
    # a CSV file's `time` column was stored among a note's other fields; migrated, a time in the form casereview
    # writes orders the day, and the same file imports again as unchanged. Any other value stays where it was.
    sources = [{"note_id": "late", "case_id": "C1", "date": "2024-03-12", "time": "16:30", "text": "Home visit."},
               {"note_id": "early", "case_id": "C1", "date": "2024-03-12", "time": "09:00:05", "text": "Phone call."},
               {"note_id": "odd", "case_id": "C1", "date": "2024-03-12", "time": "9:15", "text": "Letter."},
               {"note_id": "plain", "case_id": "C1", "date": "2024-03-12", "text": "Visit.", "team": "N"},
               {"note_id": "timeless", "case_id": "C1", "time": "10:00", "text": "Visit."}]

    def as_stored_then(record):
        """The note as casereview read it before schema 9: `time` one of its other fields."""
        core = {k: v for k, v in record.items() if k != "time"}
        note = validate(core, "f.jsonl", 1)
        note.extra.update({k: v for k, v in record.items() if k == "time"})
        return note

    rows = [{"note_id": n.note_id, "text": n.text, "case_id": n.case_id, "date": n.date, "extra": json.dumps(n.extra),
             "source_file": "f.csv", "imported_at": "then", "content_hash": n.content_hash,
             "imported_hash": n.content_hash} for n in map(as_stored_then, sources)]
    history = [{**{k: v for k, v in rows[0].items() if k not in ("imported_hash",)}, "replaced_at": "then"}]
    with Workspace.open(old_workspace(tmp_path, 8, {"notes": rows, "note_history": history})) as ws:
        assert [ws.get_note(i).time for i in ("late", "early", "odd", "plain", "timeless")] == [
            "16:30", "09:00:05", None, None, None]
        assert ws.get_note("late").extra == {} and ws.get_note("odd").extra == {"time": "9:15"}  # kept as it was
        assert ws.get_note("timeless").extra == {"time": "10:00"}  # no date: no day to order it in
        assert in_date_order(ws, "C1") == ["early", "late", "odd", "plain", "timeless"]
        assert [ws.get_note(r["note_id"]).content_hash for r in rows] == [r["content_hash"] for r in rows]
        same = write_jsonl(tmp_path / "f.jsonl", [sources[0], sources[1], sources[3]])
        assert importer.import_path(ws, same).result.unchanged == 3
        assert ws._query("SELECT time FROM note_history")[0][0] == "16:30"


def test_the_import_command_keeps_the_time_and_export_writes_it_beside_the_date(tmp_path):
    ws = str(tmp_path / "ws")
    done = run_cli("import", str(cms_export(tmp_path / "export.csv")), "--date-format", DAY_FIRST_WITH_TIME, "-w", ws)
    assert done.returncode == 0, done.stderr
    exported = [json.loads(line) for line in run_cli("export", "notes", "-w", ws).stdout.splitlines()]
    assert [(r["note_id"], r["date"], r["time"]) for r in exported] == [
        ("late", "2024-03-12", "16:30"), ("other", "2024-03-12", "12:00"), ("early", "2024-03-12", "09:00"),
        ("before", "2024-03-11", "17:45")]
    refused = run_cli("import", str(tmp_path / "export.csv"), "--date-format", "%d/%m/%Y %I:%M", "-w", ws)
    assert refused.returncode == 2 and "12-hour" in refused.stderr


# A date alone written with a time of 00:00, as many case-management exports write a date-only entry: read as
# midnight, it was ordered before the day's timed notes.

def test_a_file_whose_every_time_in_its_dates_is_midnight_is_read_as_dates_alone_and_says_so(workspace, tmp_path):
    rows = [("visit", "C1", "12/03/2024 00:00"), ("call", "C1", "11/03/2024 00:00"), ("letter", "C1", "12/03/2024 00:00")]
    report = importer.import_path(workspace, cms_export(tmp_path / "export.csv", rows), date_format=DAY_FIRST_WITH_TIME)
    assert [(workspace.get_note(i).date, workspace.get_note(i).time) for i, _, _ in rows] == [
        ("2024-03-12", None), ("2024-03-11", None), ("2024-03-12", None)]
    assert report.midnight_dates == 3  # the command says so
    timed = importer.import_path(workspace, write_jsonl(tmp_path / "timed.jsonl", [
        {"note_id": "later", "case_id": "C1", "date": "2024-03-12T10:15", "text": "Home visit."}]))
    assert timed.midnight_dates == 0
    assert in_date_order(workspace, "C1") == ["call", "later", "visit", "letter"]  # after the day's timed note
    again = importer.import_path(workspace, tmp_path / "export.csv", date_format=DAY_FIRST_WITH_TIME)
    assert (again.result.unchanged, again.result.updated) == (3, 0)


def test_midnight_among_other_times_is_refused_naming_file_line_and_field_unless_midnight_says_which(workspace, tmp_path):
    # 00:00 beside 14:30 may be a date written with no time or a note made at midnight: nothing is guessed
    rows = [("visit", "C1", "12/03/2024 14:30"), ("call", "C1", "12/03/2024 00:00:00"),
            ("letter", "C1", "12/03/2024 00:00")]
    path = tmp_path / "export.csv"
    path.write_text("note_id,case_id,Recorded,text\n" + "".join(f"{','.join(r)},Home visit.\n" for r in rows),
                    encoding="utf-8")
    reading = {"date_format": "%d/%m/%Y %H:%M:%S", "mapping": {"Recorded": "date"}}
    path.write_text(path.read_text().replace(" 14:30,", " 14:30:00,").replace(" 00:00,", " 00:00:00,"))
    with pytest.raises(CaseReviewError) as caught:
        importer.import_path(workspace, path, **reading)
    message = str(caught.value)
    assert message.startswith("export.csv:3: field 'Recorded (date)': ") and "--midnight" in message, message
    assert "2 notes" in message and "1 note " in message and "nothing imported" in message, message
    assert workspace.get_note("visit") is None
    importer.import_path(workspace, path, midnight="date-only", **reading)
    assert [workspace.get_note(i).time for i in ("visit", "call", "letter")] == ["14:30:00", None, None]
    assert in_date_order(workspace, "C1") == ["visit", "call", "letter"]
    with Workspace.open(tmp_path / "ws2") as kept:
        importer.import_path(kept, path, midnight="time", **reading)
        assert [kept.get_note(i).time for i in ("visit", "call", "letter")] == ["14:30:00", "00:00:00", "00:00:00"]
        assert in_date_order(kept, "C1") == ["call", "letter", "visit"]


def test_a_time_field_of_midnight_is_a_time_so_an_export_imports_again_unchanged(workspace, tmp_path):
    # casereview's exports write a note's time as its own field: a note kept at midnight is exported so
    records = [{"note_id": "night", "case_id": "C1", "date": "2024-03-12", "time": "00:00", "text": "EDT call."},
               {"note_id": "day", "case_id": "C1", "date": "2024-03-12", "time": "09:30", "text": "Home visit."}]
    importer.import_path(workspace, write_jsonl(tmp_path / "n.jsonl", records))
    assert [workspace.get_note(i).time for i in ("night", "day")] == ["00:00", "09:30"]
    with open(tmp_path / "notes.csv", "w", encoding="utf-8", newline="") as out:
        exporter.export(workspace, "notes", "csv", out)
    again = importer.import_path(workspace, tmp_path / "notes.csv")
    assert (again.result.unchanged, again.midnight_dates) == (2, 0)
    # told that 00:00 means no time, a time field's midnight is no time either
    note = validate(records[0], "n.jsonl", 1, midnight="date-only")
    assert (note.date, note.time) == ("2024-03-12", None)


def test_the_import_command_says_when_it_read_midnight_as_dates_alone_and_takes_midnight(tmp_path):
    ws = str(tmp_path / "ws")
    path = cms_export(tmp_path / "export.csv", [("a", "C1", "12/03/2024 00:00"), ("b", "C1", "12/03/2024 09:00")])
    refused = run_cli("import", str(path), "--date-format", DAY_FIRST_WITH_TIME, "-w", ws)
    assert refused.returncode == 2 and "export.csv:2: field 'date'" in refused.stderr, refused.stderr
    # in words that agree with one note ("1 note of the file (this the first) have a time of 00:00 in their dates")
    assert "1 note of the file has a time of 00:00 in its date and 1 note another time" in refused.stderr, refused.stderr
    done = run_cli("import", str(path), "--date-format", DAY_FIRST_WITH_TIME, "--midnight", "date-only", "-w", ws)
    assert done.returncode == 0, done.stderr
    only = cms_export(tmp_path / "dates.csv", [("c", "C1", "13/03/2024 00:00")])
    done = run_cli("import", str(only), "--date-format", DAY_FIRST_WITH_TIME, "-w", ws)
    assert done.returncode == 0 and "every time in its dates is 00:00" in done.stderr, done.stderr
    assert [(r["note_id"], r.get("time")) for r in map(json.loads, run_cli("export", "notes", "-w", ws).stdout.splitlines())] == [
        ("a", None), ("b", "09:00"), ("c", None)]
    wrong = run_cli("import", str(only), "--midnight", "noon", "-w", ws)
    assert wrong.returncode == 2 and "date-only" in wrong.stderr


# A time with a zone: applied, so that notes from a system writing UTC and one writing UK clock time order right.

@pytest.mark.parametrize("date_format, value, when", [
    (None, "2024-06-03T08:30:00Z", ("2024-06-03", "09:30:00")),  # BST: UTC+1
    (None, "2024-06-03T23:30+00:00", ("2024-06-04", "00:30")),  # the UK day the note was made on
    (None, "2024-06-03 09:30:00+01:00", ("2024-06-03", "09:30:00")),
    (None, "2024-01-15T09:30Z", ("2024-01-15", "09:30")),  # GMT
    (None, "2024-01-15T10:30:00+0100", ("2024-01-15", "09:30:00")),  # from Paris, say
    ("%Y-%m-%dT%H:%M:%S%z", "2024-04-03T23:30:00Z", ("2024-04-04", "00:30:00")),
    ("%d/%m/%Y %H:%M %z", "03/06/2024 04:30 -0400", ("2024-06-03", "09:30")),
    ("%d/%m/%Y %H:%M %Z", "03/06/2024 08:30 GMT", ("2024-06-03", "09:30")),
    ("%d/%m/%Y %H:%M %Z", "03/06/2024 08:30 UTC", ("2024-06-03", "09:30")),
    ("%d/%m/%Y %H:%M %Z", "03/06/2024 09:30 BST", ("2024-06-03", "09:30")),
])
def test_a_time_with_a_zone_is_read_as_uk_time(date_format, value, when):
    note = validate({"note_id": "a", "text": "t", "date": value}, "export.csv", 2, date_format=date_format)
    assert (note.date, note.time) == when


def test_notes_from_a_utc_source_and_a_uk_clock_source_order_as_they_happened(workspace, tmp_path):
    utc = tmp_path / "utc.csv"  # 08:45 UTC on a summer day is 09:45 in the UK
    utc.write_text("note_id,case_id,date,text\nlater,C1,2024-06-03T08:45:00Z,Home visit.\n", encoding="utf-8")
    importer.import_path(workspace, utc, date_format="%Y-%m-%dT%H:%M:%S%z")
    importer.import_path(workspace, cms_export(tmp_path / "uk.csv", [("earlier", "C1", "03/06/2024 09:15")]),
                         date_format=DAY_FIRST_WITH_TIME)
    assert in_date_order(workspace, "C1") == ["earlier", "later"]
    assert workspace.get_note("later").when == "2024-06-03 09:45"
    again = importer.import_path(workspace, utc, date_format="%Y-%m-%dT%H:%M:%S%z")
    assert again.result.unchanged == 1


def test_a_zone_name_not_read_everywhere_alike_is_its_rows_error_without_quoting_it():
    with pytest.raises(InputError) as caught:
        validate({"note_id": "a", "text": "t", "date": "03/06/2024 09:30 CEST"}, "export.csv", 4,
                 date_format="%d/%m/%Y %H:%M %Z")
    assert str(caught.value).startswith("export.csv:4: field 'date': ") and "CEST" not in str(caught.value)
    assert "UTC, GMT or BST" in str(caught.value)


# A time field as people and systems write it: am/pm, a dot; what may be morning or evening is refused.

@pytest.mark.parametrize("value, time", [
    ("9:30 am", "09:30"), ("9.30pm", "21:30"), ("21:30", "21:30"), ("9:30 PM", "21:30"), ("9.30 p.m.", "21:30"),
    ("12:15 am", "00:15"), ("12.15pm", "12:15"), ("9am", "09:00"), ("11 pm", "23:00"), ("9:30:15 pm", "21:30:15"),
    ("21.30", "21:30"), ("09.30", "09:30"), ("00.05", "00:05"), ("9:05", "09:05"),
])
def test_a_time_field_in_a_common_unambiguous_form_is_read(value, time):
    assert validate({"note_id": "a", "text": "t", "date": "2024-03-12", "time": value}, "n.jsonl", 1).time == time


@pytest.mark.parametrize("value, says", [
    ("9.30", "morning or evening"), ("12.30", "morning or evening"), ("10.45", "morning or evening"),
    ("21:30 pm", "24-hour"), ("0:30 am", "12-hour"), ("13pm", "24-hour"), ("14", "not a time of day"),
    ("9:3 am", "not a time of day"), ("12:60 pm", "no such time"),
])
def test_a_time_field_that_may_be_morning_or_evening_or_is_no_time_is_refused_without_quoting_it(value, says):
    with pytest.raises(InputError) as caught:
        validate({"note_id": "a", "text": "t", "date": "2024-03-12", "time": value}, "n.csv", 5)
    assert str(caught.value).startswith("n.csv:5: field 'time': ") and says in str(caught.value), str(caught.value)
    assert value not in str(caught.value)


@pytest.mark.parametrize("value, when", [
    ("2024-06-03T00:00:00Z", ("2024-06-03", None)),  # a date written with no time, by a system writing UTC
    ("2024-06-03T00:00+01:00", ("2024-06-03", None)),
    ("2024-06-03T23:00:00Z", ("2024-06-04", "00:00:00")),  # a time: midnight in the UK, not as written
])
def test_midnight_is_read_as_the_file_writes_it_before_its_zone_is_applied(tmp_path, value, when):
    note = validate({"note_id": "a", "text": "t", "date": value}, "n.jsonl", 1, midnight="date-only")
    assert (note.date, note.time) == when
    formatted = validate({"note_id": "a", "text": "t", "date": value.replace("Z", "+0000")}, "n.csv", 2,
                         date_format="%Y-%m-%dT%H:%M:%S%z" if value[16:17] == ":" else "%Y-%m-%dT%H:%M%z",
                         midnight="date-only")
    assert (formatted.date, formatted.time) == when
    # every time in the file's dates at midnight as written: dates alone, the zone's hour not taken for a time
    path = write_jsonl(tmp_path / "utc.jsonl", [{"note_id": i, "case_id": "C1", "text": "Visit.", "date": value}
                                                for i in ("a", "b")])
    with Workspace.open(tmp_path / "ws") as ws:
        report = importer.import_path(ws, path)
        assert [(ws.get_note(i).date, ws.get_note(i).time) for i in ("a", "b")] == [when, when]
        assert report.midnight_dates == (2 if when[1] is None else 0)
