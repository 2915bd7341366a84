"""Exports from case management systems as they come: compressed, saved from Excel in its other formats, with
padded cells and old line endings. Each is either read as the user meant or refused with one clear line naming
the file (and the line and field), creating nothing and never quoting note text."""

import gzip
import io
import json
import zipfile

import pytest

from pathlib import Path

from casereview.errors import InputError, UnreadableRestError
from casereview.notes import iter_notes, note_format, read_csv, read_jsonl, read_text_folder, validate

from .conftest import run_cli

SECRET = "Mother disclosed a secret about the baby"
NOTE = {"note_id": "r1", "text": SECRET, "case_id": "C1"}


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # a workbook is a zip archive of XML parts
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", f"<sheet>{SECRET}</sheet>")
    return buffer.getvalue()


NOT_TEXT = {
    "gzip": (gzip.compress((json.dumps(NOTE) + "\n").encode()), "compressed with gzip"),
    "zip": (_xlsx(), "a zip archive"),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + SECRET.encode(), "an Excel 97-2003 workbook"),
}


@pytest.mark.parametrize("kind", NOT_TEXT)
@pytest.mark.parametrize("name", ["export.csv", "export.jsonl", "export.jsonl.gz", "export.xlsx"])
def test_a_compressed_file_or_a_workbook_is_refused_up_front_as_what_it_is(tmp_path, kind, name):
    content, what = NOT_TEXT[kind]
    path = tmp_path / name
    path.write_bytes(content)
    done = run_cli("import", str(path), "-w", str(tmp_path / "ws"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: {path}: {what}") and len(done.stderr.strip().splitlines()) == 1
    assert "Windows-1252" not in done.stderr and "bad JSON" not in done.stderr and SECRET not in done.stderr
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize("command", [["predict", "-p", "1"], ["pii", "scan"], ["pii", "redact"]])
def test_predict_and_pii_refuse_a_compressed_file_as_what_it_is(tmp_path, command):
    path = tmp_path / "notes.jsonl.gz"
    path.write_bytes(NOT_TEXT["gzip"][0])
    done = run_cli(*command, str(path))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"error: {path}: compressed with gzip; decompress it first")
    with open(path, "rb") as stdin:
        piped = run_cli(*command, "-", stdin=stdin)
    assert piped.returncode == 2 and piped.stderr.startswith("error: <stdin>: compressed with gzip")


@pytest.mark.parametrize("command", [["predict", "-p", "1"], ["pii", "scan"]])
def test_predict_and_pii_given_a_csv_file_say_they_read_json_lines(tmp_path, command):
    path = tmp_path / "export.csv"
    path.write_text(f"note_id,text\nr1,{SECRET}\n", encoding="utf-8")
    done = run_cli(*command, str(path))
    assert done.returncode == 2 and "bad JSON" not in done.stderr and SECRET not in done.stderr
    assert done.stderr.startswith(f"error: {path}: a CSV file, and this command reads JSON Lines")


@pytest.mark.parametrize("name, reads", [("a.jsonl", "jsonl"), ("a.NDJSON", "jsonl"), ("a.json", "jsonl"),
                                         ("a.csv", "csv"), ("a.CSV", "csv"), ("a.tsv", None), ("a.txt", None)])
def test_which_reader_reads_a_file_is_one_decision_by_its_suffix(name, reads):
    assert note_format(Path(name)) == reads


@pytest.mark.parametrize("command", [["import", "-w", "{ws}"], ["predict", "-p", "1"], ["pii", "scan"]])
def test_a_tab_separated_file_is_an_unknown_type_to_import_and_to_predict_alike(tmp_path, command):
    # predict called it "a CSV file: import it", and import then called it an unknown file type
    path = tmp_path / "export.tsv"
    path.write_text(f"note_id\ttext\nr1\t{SECRET}\n", encoding="utf-8")
    done = run_cli(*[a.format(ws=tmp_path / "ws") for a in command], str(path))
    assert done.returncode == 2 and done.stderr.startswith(f"error: {path}: unknown file type (expected .jsonl")
    assert "CSV file" not in done.stderr and SECRET not in done.stderr and not (tmp_path / "ws").exists()


def test_an_unknown_file_type_to_import_names_every_suffix_it_reads(tmp_path):
    # it said "expected .jsonl, .csv or a folder of .txt files", though import reads .ndjson and .json too
    path = tmp_path / "export.tsv"
    path.write_text(json.dumps(NOTE) + "\n", encoding="utf-8")
    done = run_cli("import", "-w", str(tmp_path / "ws"), str(path))
    assert done.returncode == 2
    assert done.stderr.strip() == (f"error: {path}: unknown file type "
                                   "(expected .jsonl, .ndjson, .json, .csv or a folder of .txt files)")


@pytest.mark.parametrize("command", [["predict", "-p", "1"], ["evaluate"], ["pii", "scan"], ["pii", "redact"]])
def test_an_unknown_file_type_to_a_json_lines_command_names_the_json_lines_suffixes_only(tmp_path, command):
    # it said "expected .jsonl, .csv or a folder of .txt files", import's list: a .csv file or a folder given
    # then is refused too
    path = tmp_path / "export.tsv"
    path.write_text(json.dumps(NOTE) + "\n", encoding="utf-8")
    done = run_cli(*command, str(path))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {path}: unknown file type (expected .jsonl, .ndjson or .json: JSON Lines)"


def test_predict_reads_json_lines_from_a_name_without_a_suffix(tmp_path):
    path = tmp_path / "notes"  # as a pipe is named: /dev/fd/63
    path.write_text(json.dumps(NOTE) + "\n", encoding="utf-8")
    done = run_cli("pii", "scan", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["note_id"] == "r1"


def test_json_lines_ending_lines_with_a_carriage_return_alone_are_refused_saying_so(tmp_path):
    # an old Mac's line endings: the whole file was one line, "bad JSON: Extra data"
    path = tmp_path / "notes.jsonl"
    path.write_bytes(b'{"note_id": "a", "text": "t"}\r{"note_id": "b", "text": "' + SECRET.encode() + b'"}\r')
    ((line, error),) = read_jsonl(path)
    assert isinstance(error, UnreadableRestError) and line == 1
    assert str(error).startswith("notes.jsonl:1: lines end in a carriage return alone") and SECRET not in str(error)
    done = run_cli("import", str(path), "-w", str(tmp_path / "ws"))
    assert done.returncode == 2 and "notes.jsonl:1: lines end in a carriage return alone" in done.stderr
    # a carriage return as white space inside a note's object, and CRLF endings, are JSON Lines as ever
    path.write_bytes(b'{"note_id": "a",\r "text": "t"}\r\n{"note_id": "b", "text": "u"}\r\n')
    assert [raw["note_id"] for _, raw in read_jsonl(path)] == ["a", "b"]
    path.write_bytes(b'{"note_id": "a", "text": "t",}\r\n')
    ((_, error),) = read_jsonl(path)
    assert str(error).startswith("notes.jsonl:1: bad JSON")


def _utf16(text: str, order: str) -> bytes:
    return ("\ufeff" + text).encode(f"utf-16-{order}")  # as Excel's 'Unicode Text' and Windows PowerShell's '>'


@pytest.mark.parametrize("order", ["le", "be"])
def test_utf16_files_with_their_byte_order_mark_are_read(tmp_path, order):
    csv_path = tmp_path / "export.csv"
    csv_path.write_bytes(_utf16("note_id\ttext\tcase_id\r\nr1\tCaf\u00e9 visit \u2013 \u00a320 \u201cfine\u201d\tC1\r\n", order))
    assert list(read_csv(csv_path)) == [(2, {"note_id": "r1", "text": "Caf\u00e9 visit \u2013 \u00a320 \u201cfine\u201d",
                                             "case_id": "C1"})]
    jsonl_path = tmp_path / "notes.jsonl"
    jsonl_path.write_bytes(_utf16('{"note_id": "a", "text": "Caf\u00e9"}\r\n\r\n{"note_id": "b", "text": "t"}\r\n', order))
    assert [(line, raw["note_id"]) for line, raw in read_jsonl(jsonl_path)] == [(1, "a"), (3, "b")]
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "n9.txt").write_bytes(_utf16("Caf\u00e9 visit.", order))
    assert [raw for _, _, raw in read_text_folder(folder)] == [{"note_id": "n9", "text": "Caf\u00e9 visit."}]


def test_a_utf16_file_cut_short_is_one_error_and_imports_nothing(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(_utf16(f"note_id,text\r\nr1,ok\r\nr2,{SECRET}\r\n", "le")[:-1])
    done = run_cli("import", str(path), "--skip-invalid", "-w", str(tmp_path / "ws"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and SECRET not in done.stderr
    assert "export.csv:3: not whole UTF-16 text" in done.stderr
    assert not (tmp_path / "ws").exists()


def test_a_utf16_csv_imports_with_map_checked_against_its_header(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(_utf16("Ref\tNarrative\r\nr1\tHome visit, all seen.\r\n", "le"))
    ws = str(tmp_path / "ws")
    wrong = run_cli("import", str(path), "--map", "Ref=note_id", "--map", "Nope=text", "-w", ws)
    assert wrong.returncode == 2 and "no column 'Nope' (columns: Ref, Narrative)" in wrong.stderr
    done = run_cli("import", str(path), "--map", "Ref=note_id", "--map", "Narrative=text", "-w", ws)
    assert done.returncode == 0, done.stderr
    exported = run_cli("export", "notes", "--allow-pii", "-w", ws).stdout
    assert json.loads(exported) == {"note_id": "r1", "text": "Home visit, all seen."}


def test_white_space_around_ids_and_coded_values_is_not_part_of_them(tmp_path):
    # a padded cell ("C1 ", as fixed-width systems and hand edits leave them) made a case file of its own
    path = tmp_path / "export.csv"
    path.write_text("note_id,text,case_id,date,author_role,note_type\n"
                    " r1 ,Seen.,C1 , 2025-01-02 ,social_worker , home_visit\n"
                    "r2,Seen again.,  C1,,,\n", encoding="utf-8")
    notes = list(iter_notes(read_csv(path), "export.csv"))
    assert [(n.note_id, n.case_id, n.date, n.author_role, n.note_type) for n in notes] == [
        ("r1", "C1", "2025-01-02", "social_worker", "home_visit"), ("r2", "C1", None, None, None)]
    ws = str(tmp_path / "ws")
    assert run_cli("import", str(path), "-w", ws).returncode == 0
    assert json.loads(run_cli("status", "--json", "-w", ws).stdout)["case_files"] == 1
    again = tmp_path / "again.csv"
    again.write_text("note_id,text\nr1,Seen.\nr1 ,Seen.\n", encoding="utf-8")
    items = list(iter_notes(read_csv(again), "again.csv"))
    assert str(items[1]) == "again.csv:3: field 'note_id': duplicate id (first on line 2)"


def test_roles_and_note_types_written_as_a_case_management_system_shows_them_are_read(tmp_path):
    # A CMS export says "Social Worker" and "Home Visit": every such row was rejected as an unknown role or type,
    # and no option maps a column's values, so a real export imported nothing until it was rewritten by hand.
    path = tmp_path / "cms-export.csv"
    path.write_text("\ufeffEntry ID,Worker Role,Entry Type,Case Note\r\n"
                    "r1,Social Worker,Home Visit,Seen.\r\n"
                    "r2,team manager,management decision,Agreed.\r\n"
                    "r3,IRO,Strategy-Discussion,Held.\r\n"
                    "r4, Agency  Social Worker ,CASE NOTE,Noted.\r\n", encoding="utf-8")
    ws = str(tmp_path / "ws")
    mapping = ["--map", "Entry ID=note_id", "--map", "Worker Role=author_role", "--map", "Entry Type=note_type",
               "--map", "Case Note=text"]
    done = run_cli("import", str(path), *mapping, "-w", ws)
    assert done.returncode == 0, done.stderr
    assert "4 added" in done.stderr
    exported = [json.loads(line) for line in run_cli("export", "notes", "--allow-pii", "-w", ws).stdout.splitlines()]
    assert [(n["author_role"], n["note_type"]) for n in exported] == [
        ("social_worker", "home_visit"), ("team_manager", "management_decision"), ("iro", "strategy_discussion"),
        ("agency_social_worker", "case_note")]
    assert "4 unchanged" in run_cli("import", str(path), *mapping, "-w", ws).stderr
    # a role that is no codebook role in any spelling is still its row's error, naming file, line and field
    path.write_text("note_id,author_role,text\nr9,Social Work Assistant,Seen.\n", encoding="utf-8")
    refused = run_cli("import", str(path), "-w", ws)
    assert refused.returncode == 2
    assert "cms-export.csv:2: field 'author_role': 'Social Work Assistant' is not a codebook author role" in refused.stderr


def test_a_note_id_of_white_space_is_missing():
    with pytest.raises(InputError, match="field 'note_id'"):
        validate({"note_id": "   ", "text": "t"}, "n.jsonl", 1)


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
def test_a_csv_with_old_mac_line_endings_is_read(tmp_path, delimiter):
    # Excel for Mac's 'CSV (Macintosh)' ends lines with a carriage return alone
    path = tmp_path / "export.csv"
    path.write_bytes(delimiter.join(["note_id", "text", "case_id"]).encode() + b"\r"
                     + delimiter.join(["r1", "Seen, alone; well", "C1"]).replace("Seen, alone; well", '"Seen, alone; well"').encode()
                     + b"\rr2" + delimiter.encode() + b"ok" + delimiter.encode() + b"C2\r")
    assert list(read_csv(path)) == [(2, {"note_id": "r1", "text": "Seen, alone; well", "case_id": "C1"}),
                                    (3, {"note_id": "r2", "text": "ok", "case_id": "C2"})]


@pytest.mark.parametrize("value, says", [
    ("01/03/2024", "day and month first"),
    ("1.3.24", "day and month first"),
    ("2024-03-01 14:30:00.5+01:00", "a date and time"),  # an ISO date and time with no fraction is read (a zone too)
    ("2024-03-01T14:30:00,5Z", "a date and time"),
    ("2024-02-30", "no such day"),
    ("March 2024", "not an ISO date"),
    # digits of other scripts (full-width, Arabic-Indic) are no ISO date's: were "no such day in the calendar"
    ("\uff12\uff10\uff12\uff14-\uff10\uff13-\uff10\uff11", "not an ISO date"),
    ("2024-03-0\u0661", "not an ISO date"),
    ("\u0660\u0661/\u0660\u0663/\u0662\u0660\u0662\u0664", "not an ISO date"),
])
def test_a_date_not_in_iso_form_says_what_it_looks_like_without_quoting_it(value, says):
    with pytest.raises(InputError) as caught:
        validate({"note_id": "a", "text": "t", "date": value}, "export.csv", 4)
    message = str(caught.value)
    assert message.startswith("export.csv:4: field 'date': ") and says in message and "YYYY-MM-DD" in message
    assert value not in message
