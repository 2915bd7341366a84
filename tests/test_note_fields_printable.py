"""A note's id, case id, author role, note type, date, time and team are one line of printable text: an untrusted
case-management export's `"C1\\x1b]0;pwned\\x07"` was imported as it came and printed raw by `sample` (setting the
terminal's title), by error messages naming the note and in the review UI and reports. The text of a note keeps its
line breaks and tabs."""

from __future__ import annotations

import json

import pytest

from casereview import importer
from casereview.errors import InputError, InvalidFileError
from casereview.notes import validate

from .conftest import UNPRINTABLE, run_cli, write_jsonl

SHORT_FIELDS = ("note_id", "case_id", "author_role", "note_type", "date", "time", "team")


#: Format characters that make a table or report show an id other than what is stored (a right-to-left override
#: in a case id reorders it, Trojan Source style) or two ids that look the same (zero-width characters, a joiner,
#: a byte-order mark inside a value, a soft hyphen); an id takes none of them, not even the joiners a name may.
INVISIBLE = ["C1\u202e23", "C\u202a1", "C\u20661\u2069", "C1\u200e", "C\u200b1", "C\u200c1", "C\u200d1", "C\ufeff1",
             "C\u00ad1", "\u061cC1"]


@pytest.mark.parametrize("field", SHORT_FIELDS)
@pytest.mark.parametrize("value", UNPRINTABLE + INVISIBLE)
def test_a_short_field_holding_a_line_break_control_or_format_character_is_its_rows_error(field, value):
    raw = {"note_id": "n1", "text": "Home visit.", "date": "2024-03-12", field: value}
    with pytest.raises(InputError) as refused:
        validate(raw, "cms.jsonl", 7)
    error = refused.value
    assert (error.source, error.line, error.field) == ("cms.jsonl", 7, field)
    assert "U+" in error.problem and "line of printable text" in error.problem
    assert value not in str(error) and str(error).isprintable()


def test_the_character_is_named_by_its_code_point_and_position():
    with pytest.raises(InputError) as refused:
        validate({"note_id": "n1", "text": "Home visit.", "case_id": "C1\x1b]0;pwned\x07"}, "cms.jsonl", 3)
    assert str(refused.value) == ("cms.jsonl:3: field 'case_id': holds a control character (U+001B, character 3): "
                                  "this field is one line of printable text, as tables, headers and reports "
                                  "show it")


def test_text_keeps_its_line_breaks_and_tabs_and_fields_keep_any_script():
    text = "Home visit.\r\n\tChild seen alone.\n\nMother\u2028present."
    note = validate({"note_id": "Siân-1 (draft)", "text": text, "case_id": "张伟 C1", "team": "Caerdydd — North",
                     "author_role": "Social Worker", "origin": "line one\nline two"}, "cms.jsonl", 1)
    assert note.text == text and note.case_id == "张伟 C1" and note.extra["team"] == "Caerdydd — North"
    assert note.extra["origin"] == "line one\nline two"  # a field the tool does not show is kept as it came
    # a line break around a value is white space around it, not part of it (as "C1 " is C1)
    assert validate({"note_id": "n1\n", "text": "t", "case_id": "\tC1\r\n"}, "cms.jsonl", 1).case_id == "C1"


def test_skip_invalid_rejects_only_that_row(workspace, tmp_path):
    rows = [{"note_id": "n1", "text": "Home visit.", "case_id": "C1"},
            {"note_id": "n2", "text": "Visit.", "case_id": "C1\x1b]0;pwned\x07"},
            {"note_id": "n3", "text": "Call.\nFollow-up\tbooked.", "team": "North\x1b[2J"}]
    path = write_jsonl(tmp_path / "cms.jsonl", rows)
    with pytest.raises(InvalidFileError, match=r"cms.jsonl:2: field 'case_id'.*U\+001B"):
        importer.import_path(workspace, path)
    assert workspace.note_ids() == []
    report = importer.import_path(workspace, path, skip_invalid=True)
    assert workspace.note_ids() == ["n1"]
    rejects = [json.loads(line) for line in report.rejects_path.read_text().splitlines()]
    assert [(r["line"], r["field"]) for r in rejects] == [(2, "case_id"), (3, "team")]


def test_import_refuses_an_escape_and_sample_never_prints_one(tmp_path):
    rows = [{"note_id": f"n{i}", "text": "Home visit.\nChild seen alone.", "case_id": f"C{i}"} for i in range(4)]
    rows[1]["case_id"] = "C1\x1b]0;pwned\x07"
    rows[2]["note_id"] = "n2\x1b[2J"
    path = write_jsonl(tmp_path / "cms.jsonl", rows)
    folder = str(tmp_path / "ws")
    refused = run_cli("import", str(path), "-w", folder)
    assert refused.returncode == 2, refused.stderr
    assert "cms.jsonl:2: field 'case_id': holds a control character (U+001B, character 3)" in refused.stderr
    assert "cms.jsonl:3: field 'note_id': holds a control character (U+001B, character 3)" in refused.stderr
    assert "\x1b" not in refused.stdout + refused.stderr
    skipped = run_cli("import", str(path), "--skip-invalid", "-w", folder)
    assert skipped.returncode == 0, skipped.stderr
    drawn = run_cli("sample", "--size", "4", "--by", "case", "-w", folder)
    assert drawn.returncode == 0, drawn.stderr
    assert {"C0", "C3"} <= set(drawn.stdout.splitlines()) and "\x1b" not in drawn.stdout + drawn.stderr



def test_a_lone_surrogate_in_an_id_is_its_rows_error_not_a_traceback(workspace, tmp_path):
    # JSON's "\ud800" is no character: the import ended in a traceback (UnicodeEncodeError) as SQLite stored it
    path = tmp_path / "cms.jsonl"
    path.write_text('{"note_id": "n1", "text": "Home visit."}\n{"note_id": "n2\\ud800", "text": "Call."}\n'
                    '{"note_id": "n3", "text": "Call.", "case_id": "C\\udbff"}\n', encoding="utf-8")
    with pytest.raises(InvalidFileError) as refused:
        importer.import_path(workspace, path)
    assert "cms.jsonl:2: field 'note_id': holds a lone surrogate (U+D800, character 3)" in str(refused.value)
    assert "cms.jsonl:3: field 'case_id': holds a lone surrogate (U+DBFF, character 2)" in str(refused.value)
    assert workspace.note_ids() == []


def test_a_number_json_cannot_hold_in_another_field_is_its_rows_error_naming_it(workspace, tmp_path):
    # Python's JSON reads NaN and Infinity; SQLite's does not: a note holding one was stored, and every later
    # `sample`, `assign` and report of the workspace ended in a traceback (OperationalError: malformed JSON)
    path = tmp_path / "cms.jsonl"
    path.write_text('{"note_id": "n1", "text": "Home visit.", "score": 0.5}\n'
                    '{"note_id": "n2", "text": "Call.", "score": NaN}\n'
                    '{"note_id": "n3", "text": "Call.", "scores": {"a": [-Infinity]}}\n', encoding="utf-8")
    with pytest.raises(InvalidFileError) as refused:
        importer.import_path(workspace, path)
    assert "cms.jsonl:2: field 'score': NaN is not a JSON number" in str(refused.value)
    assert "cms.jsonl:3: field 'scores': -Infinity is not a JSON number" in str(refused.value)
    importer.import_path(workspace, path, skip_invalid=True)
    assert workspace.note_ids() == ["n1"] and len(workspace.note_facts()) == 1


def test_a_field_name_from_the_file_is_shown_escaped_in_messages(tmp_path):
    # a key of a note's other fields is named in its row's error as it came: an escape sequence in one reached the
    # terminal, a right-to-left override reversed the rest of the message
    path = tmp_path / "cms.jsonl"
    path.write_bytes(b'{"note_id": "n1", "text": "Home visit.", "x\\u001b[2J\\u202e": "caf\xe9"}\n')
    with pytest.raises(InvalidFileError) as refused:
        importer.read_notes(path)
    assert "cms.jsonl:1: field 'x\\x1b[2J\\u202e': not UTF-8 text" in str(refused.value)


def test_skip_invalid_keeps_a_row_holding_a_lone_surrogate_in_the_rejects_file(workspace, tmp_path):
    # writing the rejected row, as it came, to the rejects file ended the import in a traceback (UnicodeEncodeError)
    path = tmp_path / "cms.jsonl"
    path.write_text('{"note_id": "n1", "text": "Home visit."}\n{"note_id": "n2\\ud800", "text": "Call."}\n',
                    encoding="utf-8")
    report = importer.import_path(workspace, path, skip_invalid=True)
    assert workspace.note_ids() == ["n1"]
    [rejected] = [json.loads(line) for line in report.rejects_path.read_text(encoding="utf-8").splitlines()]
    assert (rejected["line"], rejected["field"]) == (2, "note_id")
    assert rejected["row"] == {"note_id": "n2\ud800", "text": "Call."}  # written as the file wrote it: "\ud800"


def test_a_csv_header_listed_in_an_error_shows_an_override_escaped(tmp_path):
    # the columns of a header missing 'text' are listed: an override in one reversed the rest of the message
    path = tmp_path / "cms.csv"
    path.write_text("note_id,body,case\u202e_id\nn1,Home visit.,C1\n", encoding="utf-8")
    with pytest.raises(InvalidFileError) as refused:
        importer.read_notes(path)
    assert "columns: note_id, body, case\\u202e_id" in str(refused.value) and "\u202e" not in str(refused.value)


# A CMS export's narrative column mapped to a coded field by mistake (`--map Narrative=case_id`): note text became
# case ids, printed by `sample`, `audits`, reports and the review UI, none of which treats them as note text. Only
# note_id had a length limit; every short field has one now, and an id that reads as sentences is no id.

NARRATIVE = ("Home visit to the family home. Mother present and engaged; child seen alone in his bedroom and said "
             "he felt safe. Discussed the concerns raised by school about lateness.")


@pytest.mark.parametrize("field", ["note_id", "case_id", "author_role", "note_type", "team"])
def test_note_text_in_a_short_field_is_its_rows_error_naming_the_length_never_the_text(field):
    value = NARRATIVE * 2  # over every limit, note_id's 200 characters too
    with pytest.raises(InputError) as refused:
        validate({"note_id": "n1", "text": "Call.", field: value}, "cms.jsonl", 4)
    error = refused.value
    assert (error.source, error.line, error.field) == ("cms.jsonl", 4, field)
    assert f"{len(value)} characters" in error.problem and "is this the note text column?" in error.problem
    assert "Home visit" not in str(error) and "Mother" not in str(error)


@pytest.mark.parametrize("field", ["note_id", "case_id"])
def test_an_id_that_reads_as_sentences_is_refused_as_the_note_text_column(field):
    # short enough for any limit, and still a note's text, not an id
    with pytest.raises(InputError) as refused:
        validate({"note_id": "n1", "text": "Call.", field: "Visited the home today. Mum was not in."}, "cms.jsonl", 2)
    assert refused.value.field == field and "is this the note text column?" in refused.value.problem
    assert "Mum" not in str(refused.value)


def test_real_ids_teams_and_coded_values_are_kept():
    digest = "3f" * 32  # a pseudonymised id may be a hash: 64 characters
    note = validate({"note_id": f"mosaic:{digest}", "text": "Call.", "case_id": f"LA-12/{digest}",
                     "team": "Cardiff North Children Looked After Team (East), Duty and Assessment Hub",
                     "author_role": "Family Support Worker", "note_type": "Strategy Discussion"}, "cms.jsonl", 1)
    assert note.case_id == f"LA-12/{digest}" and note.author_role == "family_support_worker"
    assert validate({"note_id": "n1", "text": "t", "case_id": "Case 12 of St. Mary's Rd. team"}, "f", 1).case_id


def test_import_of_a_narrative_mapped_to_the_case_id_is_refused_naming_file_line_and_column(tmp_path):
    path = tmp_path / "cms.csv"
    path.write_text("Ref,Summary,Narrative\nr1,Visit,\"" + NARRATIVE + "\"\n", encoding="utf-8")
    folder = str(tmp_path / "ws")
    refused = run_cli("import", str(path), "--map", "Ref=note_id", "--map", "Summary=text",
                      "--map", "Narrative=case_id", "-w", folder)
    assert refused.returncode == 2
    assert "cms.csv:2: field 'Narrative (case_id)'" in refused.stderr
    assert f"{len(NARRATIVE)} characters" in refused.stderr and "note text column" in refused.stderr
    assert "Mother" not in refused.stdout + refused.stderr


# A file's name is the source of its notes (`import:<file>`, the reviewer of its labels, in tables, the review UI and
# exports; the name in every message about its rows). A name holding an escape sequence or a right-to-left override
# (a file another system or person named) reached the terminal as a command, or reordered what tables show.

def test_a_file_named_with_a_bidi_control_is_known_by_its_name_escaped(workspace, tmp_path):
    path = write_jsonl(tmp_path / "cms\u202egol.jsonl", [{"note_id": "n1", "text": "Home visit.", "labels": []}])
    report = importer.import_path(workspace, path)
    assert report.source == "cms\\u202egol.jsonl"
    assert {d.reviewer for d in workspace.iter_decisions()} == {"import:cms\\u202egol.jsonl"}


def test_a_folder_file_named_with_an_escape_sequence_is_named_escaped_in_its_rows_error(tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "ok.txt").write_text("Home visit.", encoding="utf-8")
    (folder / "x\x1b]0;pwned\x07.txt").write_text("Phone call.", encoding="utf-8")
    refused = run_cli("import", str(folder), "-w", str(tmp_path / "ws"))
    assert refused.returncode == 2
    assert "letters/x\\x1b]0;pwned\\x07.txt:1: field 'note_id': holds a control character" in refused.stderr
    assert "\x1b" not in refused.stdout + refused.stderr


def test_a_file_named_with_an_escape_sequence_is_named_escaped_on_the_import_line_and_its_rejects(tmp_path):
    path = write_jsonl(tmp_path / "cms\x1b[31m.jsonl", [{"note_id": "n1", "text": "Home visit."},
                                                        {"note_id": "n2", "text": "Call.", "case_id": "C1\x1b"}])
    imported = run_cli("import", str(path), "--skip-invalid", "-w", str(tmp_path / "ws"))
    assert imported.returncode == 0, imported.stderr
    assert imported.stderr.startswith("cms\\x1b[31m.jsonl: 1 added") and "\x1b" not in imported.stderr
    assert "1 rejected -> " in imported.stderr and imported.stderr.rstrip().endswith("cms\\x1b[31m.jsonl.rejects.jsonl")
