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


@pytest.mark.parametrize("field", SHORT_FIELDS)
@pytest.mark.parametrize("value", UNPRINTABLE)
def test_a_short_field_holding_a_line_break_or_control_character_is_its_rows_error(field, value):
    raw = {"note_id": "n1", "text": "Home visit.", "date": "2024-03-12", field: value}
    with pytest.raises(InputError) as refused:
        validate(raw, "cms.jsonl", 7)
    error = refused.value
    assert (error.source, error.line, error.field) == ("cms.jsonl", 7, field)
    assert "U+" in error.problem and "line of printable text" in error.problem
    assert value not in str(error) and not any(c in str(error) for c in "\x1b\x7f\x85\t\n\r\u2028")


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
