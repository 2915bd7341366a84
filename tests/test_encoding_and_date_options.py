"""--encoding and --date-format: UK case-management exports are often Windows-1252 (curly quotes, £, é) with dates
written DD/MM/YYYY, sometimes with a time. Said explicitly, never guessed: the library's readers and import functions
take both, and the commands that read notes pass them on. A byte the encoding given cannot decode, or a date not in
the format given, is its row's error (file, line, field), never quoting note text."""

import json

import pytest

from casereview import importer
from casereview.errors import CaseReviewError, InputError, InvalidFileError
from casereview.notes import iter_notes, read_csv, read_jsonl, read_text_folder, validate

from .conftest import run_cli

SECRET = "Mother disclosed a secret about the baby"
TEXT = "Mum said \u201cwe\u2019re fine\u201d \u2013 paid \u00a320 at the caf\u00e9."  # every one of them cp1252's own byte
ROWS = [("r1", TEXT, "C1", "03/04/2024 14:05"), ("r2", SECRET, "C1", "28/02/2024 09:00")]


def _export(path, rows=ROWS, header="note_id,text,case_id,date", encoding="cp1252"):
    """A CSV export as a case-management system writes it: CRLF lines, in ``encoding``."""
    lines = [header] + [",".join(f'"{cell}"' for cell in row) for row in rows]
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def test_the_readers_decode_the_encoding_given(tmp_path):
    csv_path = _export(tmp_path / "export.csv")
    assert [raw["text"] for _, raw in read_csv(csv_path, encoding="cp1252")] == [TEXT, SECRET]
    assert [raw["text"] for _, raw in read_csv(csv_path, encoding="Windows-1252")] == [TEXT, SECRET]
    jsonl = tmp_path / "notes.jsonl"
    jsonl.write_bytes((json.dumps({"note_id": "a", "text": TEXT}, ensure_ascii=False) + "\n").encode("cp1252"))
    assert [raw["text"] for _, raw in read_jsonl(jsonl, encoding="cp1252")] == [TEXT]
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "n1.txt").write_bytes("Caf\u00e9 visit, \u00a35 for bus fare.".encode("latin-1"))
    assert [raw for _, _, raw in read_text_folder(folder, encoding="latin-1")] == [
        {"note_id": "n1", "text": "Caf\u00e9 visit, \u00a35 for bus fare."}]


def test_import_reads_a_windows_1252_export_with_day_first_dates_and_again_as_unchanged(workspace, tmp_path):
    path = _export(tmp_path / "export.csv")
    report = importer.import_path(workspace, path, encoding="cp1252", date_format="%d/%m/%Y %H:%M")
    assert report.result.added == 2
    note = workspace.get_note("r1")
    assert (note.text, note.date) == (TEXT, "2024-04-03")
    assert workspace.get_note("r2").date == "2024-02-28"
    again = importer.import_path(workspace, path, encoding="cp1252", date_format="%d/%m/%Y %H:%M")
    assert (again.result.added, again.result.updated, again.result.unchanged) == (0, 0, 2)
    assert (note.time, workspace.get_note("r2").time) == ("14:05", "09:00")  # kept: it orders a day's notes
    # the same notes saved as UTF-8 with ISO dates and times are the same notes
    utf8 = _export(tmp_path / "utf8.csv", [("r1", TEXT, "C1", "2024-04-03T14:05"), ("r2", SECRET, "C1", "2024-02-28 09:00")],
                   encoding="utf-8")
    assert importer.import_path(workspace, utf8).result.unchanged == 2


def test_without_the_options_the_errors_say_which_to_give(workspace, tmp_path):
    path = _export(tmp_path / "export.csv")
    with pytest.raises(InvalidFileError) as caught:
        importer.import_path(workspace, path)
    message = str(caught.value)
    assert "export.csv:2: field 'text': not UTF-8 text" in message and "--encoding cp1252" in message
    assert "export.csv:3: field 'date': day and month first" in message  # r2 is plain ASCII: only its date is wrong
    dated = _export(tmp_path / "dated.csv", [("r1", "Seen.", "C1", "03/04/2024 14:05"), ("r2", SECRET, "C1", "2024")])
    with pytest.raises(InvalidFileError) as caught:
        importer.import_path(workspace, dated)
    lines = str(caught.value).splitlines()[1:]
    assert lines[0].startswith("  dated.csv:2: field 'date': day and month first") and "--date-format" in lines[0]
    assert lines[1].startswith("  dated.csv:3: field 'date': not an ISO date") and "--date-format" in lines[1]
    assert SECRET not in str(caught.value) and workspace.note_ids() == []


def test_a_byte_the_encoding_given_cannot_decode_rejects_only_its_row(workspace, tmp_path):
    path = tmp_path / "export.csv"
    # 0x81 is no character in Windows-1252
    path.write_bytes(b"note_id,text\r\nr1,Caf\xe9\r\nr2,bad \x81 byte " + SECRET.encode() + b"\r\nr3,\x93fine\x94\r\n")
    items = list(iter_notes(read_csv(path, encoding="cp1252"), "export.csv"))
    assert [type(i).__name__ for i in items] == ["Note", "InputError", "Note"]
    assert str(items[1]).startswith("export.csv:3: field 'text': not cp1252 text") and SECRET not in str(items[1])
    report = importer.import_path(workspace, path, encoding="cp1252", skip_invalid=True)
    assert workspace.note_ids() == ["r1", "r3"] and [e.line for e in report.rejected] == [3]
    jsonl = tmp_path / "n.jsonl"
    jsonl.write_bytes(b'{"note_id": "a", "text": "t", "team": "Caf\xe9"}\n{"note_id": "b", "text": "t"}\n')
    items = list(iter_notes(read_jsonl(jsonl, encoding="ascii"), "n.jsonl"))
    assert str(items[0]).startswith("n.jsonl:1: field 'team': not ascii text") and items[1].note_id == "b"


def test_windows_1252_read_as_latin_1_is_its_rows_error_not_control_characters(workspace, tmp_path):
    # many call Windows-1252 "Latin-1": read as latin-1, its curly quotes and dashes are invisible control characters
    path = _export(tmp_path / "export.csv", [("r1", TEXT, "C1", ""), ("r2", "Caf\u00e9, \u00a35.", "C1", "")])
    items = list(iter_notes(read_csv(path, encoding="latin-1"), "export.csv"))
    assert str(items[0]).startswith("export.csv:2: field 'text': not latin-1 text") and "cp1252" in str(items[0])
    assert items[1].text == "Caf\u00e9, \u00a35."
    jsonl = tmp_path / "n.jsonl"
    jsonl.write_bytes(b'{"note_id": "a", "text": "\x93quoted\x94"}\n')
    (error,) = iter_notes(read_jsonl(jsonl, encoding="iso-8859-1"), "n.jsonl")
    assert str(error).startswith("n.jsonl:1: field 'text': not iso-8859-1 text")
    with pytest.raises(InvalidFileError, match="export.csv:2: field 'text'"):
        importer.import_path(workspace, path, encoding="latin-1")


@pytest.mark.parametrize("name", ["cp9999", "base64", "rot13", "", "idna", "punycode"])
def test_an_unknown_or_not_text_encoding_is_refused_before_anything(tmp_path, name):
    path = _export(tmp_path / "export.csv")
    with pytest.raises(CaseReviewError, match=f"--encoding {name!r}: "):
        list(importer.import_paths(tmp_path / "ws", [path], encoding=name))
    assert not (tmp_path / "ws").exists()
    with pytest.raises(CaseReviewError, match="--encoding"):
        importer.read_notes(path, encoding=name)


def test_a_file_marked_as_unicode_given_a_single_byte_encoding_is_refused(workspace, tmp_path):
    # Excel's "CSV UTF-8" starts with a byte-order mark: read as cp1252 every £ would become "Â£", silently
    path = tmp_path / "export.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "note_id,text\r\nr1,\u00a320\r\n".encode("utf-8"))
    with pytest.raises(InvalidFileError) as caught:
        importer.import_path(workspace, path, encoding="cp1252", skip_invalid=True)
    assert "export.csv:1: starts with UTF-8's byte-order mark" in str(caught.value)
    assert "--encoding" in str(caught.value) and workspace.note_ids() == []
    assert importer.import_path(workspace, path, encoding="utf-8").result.added == 1  # as without --encoding
    assert workspace.get_note("r1").text == "\u00a320"


UTF8_TEXT = "Caf\u00e9 visit; \u00a320 paid \u2013 Zo\u00eb"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "mac-roman"])
def test_utf8_text_given_a_single_byte_encoding_is_refused_not_stored_garbled(workspace, tmp_path, encoding):
    # no byte-order mark to tell: read as cp1252, "Caf\u00e9" was stored as "Caf\u00c3\u00a9", silently; as latin-1
    # its dash's bytes were read as control characters and the error advised cp1252, which stored it garbled
    path = tmp_path / "export.csv"
    path.write_bytes(f"note_id,text\r\nr1,Seen at home.\r\nr2,{UTF8_TEXT} {SECRET}\r\n".encode("utf-8"))
    with pytest.raises(InvalidFileError) as caught:
        importer.import_path(workspace, path, encoding=encoding, skip_invalid=False)
    message = str(caught.value)
    assert f"export.csv:3: field 'text': UTF-8 text, not {encoding}: leave out --encoding" in message, message
    assert "cp1252" not in message.replace(encoding, "") and SECRET not in message and workspace.note_ids() == []
    report = importer.import_path(workspace, path, encoding=encoding, skip_invalid=True)
    assert workspace.note_ids() == ["r1"] and [e.line for e in report.rejected] == [3]
    importer.import_path(workspace, path, update=True)  # as it is: UTF-8
    assert workspace.get_note("r2").text == f"{UTF8_TEXT} {SECRET}"


def test_utf8_text_given_a_single_byte_encoding_is_refused_in_json_lines_folders_and_column_names(tmp_path):
    jsonl = tmp_path / "n.jsonl"
    jsonl.write_bytes(b'{"note_id": "a", "text": "plain"}\n'
                      + json.dumps({"note_id": "b", "text": "t", "team": UTF8_TEXT}, ensure_ascii=False).encode() + b"\n")
    items = list(iter_notes(read_jsonl(jsonl, encoding="cp1252"), "n.jsonl"))
    assert items[0].note_id == "a"
    assert str(items[1]) == "n.jsonl:2: field 'team': UTF-8 text, not cp1252: leave out --encoding"
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "n1.txt").write_bytes(UTF8_TEXT.encode("utf-8"))
    ((source, line, error),) = read_text_folder(folder, encoding="latin-1")
    assert str(error) == "letters/n1.txt:1: field 'text': UTF-8 text, not latin-1: leave out --encoding"
    header = tmp_path / "header.csv"
    header.write_bytes("note_id,text,R\u00e9f\u00e9rence\r\nr1,t,x\r\n".encode("utf-8"))
    ((line, error),) = read_csv(header, encoding="cp1252")
    assert str(error) == "header.csv:1: column names: UTF-8 text, not cp1252: leave out --encoding"


def test_import_command_refuses_utf8_text_given_cp1252_and_stores_nothing(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(f"note_id,text\r\nr1,{UTF8_TEXT}\r\n".encode("utf-8"))
    done = run_cli("import", str(path), "--encoding", "cp1252", "-w", str(tmp_path / "ws"))
    assert done.returncode == 2 and "f.csv:2: field 'text': UTF-8 text, not cp1252: leave out --encoding" in done.stderr
    assert UTF8_TEXT not in done.stderr and not (tmp_path / "ws").exists()


@pytest.mark.parametrize("date_format, value, iso", [
    ("%d/%m/%Y", "03/04/2024", "2024-04-03"),
    ("%d/%m/%Y", " 3/4/2024 ", "2024-04-03"),
    ("%d/%m/%Y %H:%M", "03/04/2024 14:05", "2024-04-03"),
    ("%m/%d/%Y", "04/03/2024", "2024-04-03"),
    ("%d.%m.%y", "03.04.24", "2024-04-03"),
    ("%d %b %Y", "3 Apr 2024", "2024-04-03"),
    ("%Y-%m-%dT%H:%M:%S%z", "2024-04-03T22:30:00Z", "2024-04-03"),
    ("%Y-%m-%dT%H:%M:%S%z", "2024-04-03T23:30:00Z", "2024-04-04"),  # stored as UK time: 00:30 BST the next day
])
def test_a_date_in_the_format_given_is_stored_as_an_iso_date(date_format, value, iso):
    note = validate({"note_id": "a", "text": "t", "date": value}, "export.csv", 4, date_format=date_format)
    assert note.date == iso


@pytest.mark.parametrize("value, says", [
    ("2024-04-03", "an ISO date"),  # a file mixing forms: said, as the format alone would not tell why
    ("31/02/2024", "no such day"),
    ("03/04/24", "does not match"),
    ("03/04/2024 14:05", "does not match"),
    ("Tuesday", "does not match"),
])
def test_a_date_not_in_the_format_given_is_its_rows_error_naming_the_format(value, says):
    with pytest.raises(InputError) as caught:
        validate({"note_id": "a", "text": "t", "date": value}, "export.csv", 4, date_format="%d/%m/%Y")
    message = str(caught.value)
    assert message.startswith(f"export.csv:4: field 'date': {says}") and "--date-format %d/%m/%Y" in message
    assert value not in message


@pytest.mark.parametrize("date_format", ["%d/%m", "%H:%M", "%m/%Y", "%Q/%m/%Y", "", "day first"])
def test_a_date_format_that_gives_no_whole_date_is_refused_before_anything(tmp_path, date_format):
    path = _export(tmp_path / "export.csv", encoding="utf-8")
    with pytest.raises(CaseReviewError, match="--date-format"):
        list(importer.import_paths(tmp_path / "ws", [path], date_format=date_format))
    assert not (tmp_path / "ws").exists()


def test_date_format_is_refused_for_a_folder_whose_notes_have_no_date(tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "n1.txt").write_text("Seen.", encoding="utf-8")
    with pytest.raises(CaseReviewError, match="--date-format .*folder of .txt files"):
        list(importer.import_paths(tmp_path / "ws", [folder], date_format="%d/%m/%Y"))
    assert not (tmp_path / "ws").exists()


def test_date_format_applies_to_json_lines_and_to_a_mapped_column(workspace, tmp_path):
    jsonl = tmp_path / "n.jsonl"
    jsonl.write_text(json.dumps({"note_id": "a", "text": "t", "date": "03/04/2024"}) + "\n", encoding="utf-8")
    importer.import_path(workspace, jsonl, date_format="%d/%m/%Y")
    assert workspace.get_note("a").date == "2024-04-03"
    path = _export(tmp_path / "export.csv", [("r9", "Seen.", "C1", "2024-04-03")], header="Ref,Narrative,Client,Recorded")
    with pytest.raises(InvalidFileError, match=r"export.csv:2: field 'Recorded \(date\)': .*%d/%m/%Y"):
        importer.import_path(workspace, path, date_format="%d/%m/%Y", encoding="cp1252",
                             mapping={"Ref": "note_id", "Narrative": "text", "Client": "case_id", "Recorded": "date"})


# The real command


def test_import_command_reads_a_windows_1252_export_and_again_as_unchanged(tmp_path):
    path = _export(tmp_path / "cms.csv", header="Ref,Narrative,Client,Recorded")
    ws = str(tmp_path / "ws")
    args = ["import", str(path), "-w", ws, "--map", "Ref=note_id", "--map", "Narrative=text", "--map", "Client=case_id",
            "--map", "Recorded=date"]
    plain = run_cli(*args)
    assert plain.returncode == 2 and "--encoding cp1252" in plain.stderr and SECRET not in plain.stderr
    assert not (tmp_path / "ws").exists()
    done = run_cli(*args, "--encoding", "cp1252", "--date-format", "%d/%m/%Y %H:%M")
    assert done.returncode == 0, done.stderr
    assert "cms.csv: 2 added" in done.stderr
    again = run_cli(*args, "--encoding", "cp1252", "--date-format", "%d/%m/%Y %H:%M")
    assert again.returncode == 0 and "cms.csv: 0 added, 0 updated, 2 unchanged" in again.stderr
    exported = [json.loads(line) for line in run_cli("export", "notes", "--allow-pii", "-w", ws).stdout.splitlines()]
    assert [(e["text"], e["date"]) for e in exported] == [(TEXT, "2024-04-03"), (SECRET, "2024-02-28")]


@pytest.mark.parametrize("option, value, says", [
    ("--encoding", "cp9999", "error: --encoding 'cp9999': "),
    ("--encoding", "idna", "error: --encoding 'idna': "),  # a codec of domain names: it was a traceback
    ("--date-format", "%d/%m", "error: --date-format '%d/%m': "),
])
def test_import_command_refuses_an_unknown_encoding_or_a_date_format_without_a_whole_date(tmp_path, option, value, says):
    path = _export(tmp_path / "export.csv")
    done = run_cli("import", str(path), option, value, "-w", str(tmp_path / "ws"))
    assert done.returncode == 2 and done.stderr.startswith(says) and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "ws").exists()


def test_import_help_gives_the_options_with_examples():
    out = run_cli("import", "--help", env={"COLUMNS": "200"}).stdout
    assert "--encoding" in out and "--date-format" in out
    # one option an example, each fitting 80 columns (test_cli's help test)
    assert "casereview import export.csv --encoding cp1252" in out
    assert 'casereview import export.csv --date-format "%d/%m/%Y %H:%M"' in out


# predict's three runs load the model: 7 s alone, so slow (the default run keeps well under CI's 10 minutes; CI runs it)
@pytest.mark.parametrize("command", [pytest.param(["predict", "-p", "1"], marks=pytest.mark.slow), ["pii", "scan"]])
def test_predict_and_pii_scan_read_the_encoding_and_date_format_given(tmp_path, command):
    path = tmp_path / "notes.jsonl"
    records = [{"note_id": "a", "text": TEXT, "date": "03/04/2024"}, {"note_id": "b", "text": SECRET, "date": "04/04/2024"}]
    path.write_bytes("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("cp1252"))
    plain = run_cli(*command, str(path))
    assert plain.returncode == 2 and "notes.jsonl:1: field 'text': not UTF-8 text" in plain.stderr
    assert "--encoding cp1252" in plain.stderr and SECRET not in plain.stderr
    done = run_cli(*command, str(path), "--encoding", "cp1252", "--date-format", "%d/%m/%Y")
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["note_id"] for line in done.stdout.splitlines()] == ["a", "b"]
    with open(path, "rb") as stdin:
        piped = run_cli(*command, "-", "--encoding", "cp1252", "--date-format", "%d/%m/%Y", stdin=stdin)
    assert piped.returncode == 0 and piped.stdout == done.stdout


#: Windows-1252 text whose non-ASCII bytes happen to be valid UTF-8: a capital with an accent before a curly
#: apostrophe or a non-breaking space ("ZO\u00cb\u2019S" is CB 92, UTF-8's U+02D2; "JOS\u00c9\u00a0" is C9 A0, U+0260), as
#: a name in capitals is written. Its row was refused as "UTF-8 text, not cp1252: leave out --encoding", and left
#: out, the file's other rows were refused as not UTF-8: the note could not be imported either way.
CAPITALS = "Visit to ZO\u00cb\u2019S flat; JOS\u00c9\u00a0attended"


def test_windows_1252_text_whose_bytes_read_as_utf8_is_windows_1252_in_a_file_that_is_not_utf8(workspace, tmp_path):
    path = _export(tmp_path / "export.csv", [ROWS[0], ("r3", CAPITALS, "C1", "04/04/2024 10:00")])
    report = importer.import_path(workspace, path, encoding="cp1252", date_format="%d/%m/%Y %H:%M")
    assert (report.result.added, report.rejected) == (2, [])
    assert workspace.get_note("r3").text == CAPITALS
    done = run_cli("import", str(path), "--encoding", "cp1252", "--date-format", "%d/%m/%Y %H:%M",
                   "-w", str(tmp_path / "cli-ws"))
    assert done.returncode == 0 and "export.csv: 2 added" in done.stderr, done.stderr
    jsonl = tmp_path / "notes.jsonl"
    jsonl.write_bytes("".join(json.dumps({"note_id": i, "text": t}, ensure_ascii=False) + "\n"
                              for i, t in (("a", TEXT), ("b", CAPITALS))).encode("cp1252"))
    assert [raw["text"] for _, raw in read_jsonl(jsonl, encoding="cp1252")] == [TEXT, CAPITALS]
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "n1.txt").write_bytes(f"{CAPITALS}. Mum said \u201cfine\u201d.".encode("cp1252"))
    assert [raw for _, _, raw in read_text_folder(folder, encoding="cp1252")] == [
        {"note_id": "n1", "text": f"{CAPITALS}. Mum said \u201cfine\u201d."}]


def test_utf8_text_in_a_file_that_is_not_utf8_is_still_refused_not_stored_garbled(tmp_path):
    # a row pasted in as UTF-8 into a Windows-1252 export: its caf\u00e9, \u00a3 and dash read as cp1252 are the
    # garbling of Western text, refused as before; the row beside it is read
    path = _export(tmp_path / "export.csv", [ROWS[0]])
    path.write_bytes(path.read_bytes() + f'"r2","{UTF8_TEXT}","C1","04/04/2024 10:00"\r\n'.encode("utf-8"))
    first, second = read_csv(path, encoding="cp1252")
    assert first[1]["text"] == TEXT
    assert str(second[1]) == "export.csv:3: field 'text': UTF-8 text, not cp1252: leave out --encoding"


@pytest.mark.parametrize("pasted", [
    "Plan \u2192 review at the caf\u00e9",  # an arrow, as plans are written
    "Seen \u2713, paid \u00a320",  # a tick, as forms are pasted
    "Mum texted \U0001F600 to K",  # an emoji, as texts are quoted
])
def test_utf8_text_with_a_symbol_of_its_own_in_a_file_that_is_not_utf8_is_refused_not_stored_garbled(tmp_path, pasted):
    # a character of three or four bytes (an arrow, a tick, an emoji) is UTF-8's: Windows-1252 text whose bytes read
    # as UTF-8 reads as letters of two bytes ("ZO\u00cb\u2019S" as "ZO\u02d2S"). Such a row was stored as "Plan \u00e2\u2020\u2019
    # review at the caf\u00c3\u00a9", silently
    path = _export(tmp_path / "export.csv", [ROWS[0]])
    path.write_bytes(path.read_bytes() + f'"r2","{pasted}","C1","04/04/2024 10:00"\r\n'.encode("utf-8"))
    first, second = read_csv(path, encoding="cp1252")
    assert first[1]["text"] == TEXT
    assert str(second[1]) == "export.csv:3: field 'text': UTF-8 text, not cp1252: leave out --encoding"
