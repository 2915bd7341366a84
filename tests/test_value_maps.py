"""A case management system's own note types and roles ("Telephone Call", "Agency Worker") mapped to the codebook's
at import (--map-value, --value-map), the values a file has listed (--list-values), and an unknown value told once
for all its rows, not once a row."""

from __future__ import annotations

import csv
import json
import re

import pytest

from casereview import importer
from casereview.errors import CaseReviewError, InvalidFileError
from casereview.value_maps import parse_value_maps
from casereview.workspace import Workspace

from .conftest import run_cli

CMS_TYPES = ["Telephone Call", "Home Visit", "Supervision Record", "Telephone Call", "Strategy Meeting"]
COLUMNS = ["Entry ID", "Case Note", "Entry Type", "Worker Role"]
MAPPING = {"Entry ID": "note_id", "Case Note": "text", "Entry Type": "note_type", "Worker Role": "author_role"}
MAP_OPTIONS = [option for column, field in MAPPING.items() for option in ("--map", f"{column}={field}")]


def note_text(i: int) -> str:
    return f"Spoke with mother about the school run, entry {i}."


def write_export(path, rows: int = 100, role=lambda i: "Social Worker"):
    """A CMS export whose note types are its own: every fifth row a strategy meeting, 40 telephone calls."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for i in range(rows):
            out.writerow([f"e{i}", note_text(i), CMS_TYPES[i % len(CMS_TYPES)], role(i)])
    return path


def lines_of(value: str, rows: int = 100) -> list[int]:
    """The file lines (the header is line 1) of the rows of ``value`` in :func:`write_export`'s file."""
    return [i + 2 for i in range(rows) if CMS_TYPES[i % len(CMS_TYPES)] == value]


#: what each of CMS_TYPES is in the codebook
CODEBOOK_TYPES = {"Telephone Call": "contact", "Supervision Record": "supervision", "Strategy Meeting": "strategy_discussion",
                  "Home Visit": "home_visit"}
CMS_MAP = ["note_type:Telephone Call=contact", "note_type:supervision record=Supervision",
           "note_type:Strategy  Meeting=strategy_discussion"]


# --- the map, as the library reads it -------------------------------------------------------------------------------

def test_map_value_specs_map_values_of_coded_fields_case_and_spaces_aside():
    values = parse_value_maps(CMS_MAP + ["author_role:Agency Worker=agency social worker", "note_type:A=B:C=meeting"])
    assert values.target("note_type", " telephone  call ") == "contact"
    assert values.target("note_type", "Supervision Record") == "supervision"  # the target in words too
    assert values.target("note_type", "strategy-meeting") == "strategy_discussion"
    assert values.target("author_role", "AGENCY WORKER") == "agency_social_worker"
    assert values.target("note_type", "A=B:C") == "meeting"  # the system's value may hold ':' and '='
    assert values.target("note_type", "Home Visit") is None and values.target("author_role", "Telephone Call") is None
    raw = {"note_id": "a", "note_type": "Telephone Call", "text": "Telephone Call"}
    assert values.applied(raw) == {**raw, "note_type": "contact"}  # the note's text is never mapped


@pytest.mark.parametrize("spec, says", [
    ("note_type=contact", "--map-value note_type=contact: expected FIELD:FROM=TO"),
    ("note_type:Telephone Call", "--map-value 'note_type:Telephone Call': expected FIELD:FROM=TO"),
    ("Entry Type:Telephone Call=contact", "--map-value 'Entry Type:Telephone Call=contact': 'Entry Type' is not a "
                                          "field whose values the codebook lists; map values of author_role or note_type"),
    ("team:North=South", "'team' is not a field whose values the codebook lists"),
    ("note_type: =contact", "--map-value 'note_type: =contact': no value to map before '='"),
    ("note_type:Telephone Call=phone", "--map-value 'note_type:Telephone Call=phone': 'phone' is not a codebook note "
                                       "type; known: home_visit, contact,"),
    ("note_type:Telephone Call=", "'' is not a codebook note type"),
    ("author_role:Agency Worker=contact", "'contact' is not a codebook author role; known: social_worker,"),
])
def test_a_bad_map_value_is_refused_naming_the_option_and_its_value(spec, says):
    with pytest.raises(CaseReviewError) as refused:
        parse_value_maps([spec])
    assert says in str(refused.value), str(refused.value)


def test_one_value_mapped_to_two_codebook_values_is_refused_naming_both_entries(tmp_path):
    with pytest.raises(CaseReviewError, match=re.escape(
            "--map-value 'note_type:telephone call=meeting': 'telephone call' is mapped to contact already "
            "(--map-value 'note_type:Telephone Call=contact')")):
        parse_value_maps(["note_type:Telephone Call=contact", "note_type:telephone call=meeting"])
    parse_value_maps(["note_type:Telephone Call=contact", "note_type:TELEPHONE CALL=contact"])  # the same: no conflict


def test_a_value_map_file_is_csv_or_json_and_its_bad_entries_name_the_file_and_line(tmp_path):
    mapped = tmp_path / "cms-values.csv"
    mapped.write_text("\ufefffield,from,to\r\nnote_type,Telephone Call,contact\r\n\r\n"
                      "author_role,Agency Worker,agency_social_worker\r\n", encoding="utf-8")
    as_json = tmp_path / "cms-values.json"
    as_json.write_text(json.dumps({"note_type": {"Supervision Record": "supervision"}}), encoding="utf-8")
    values = parse_value_maps([], [mapped, as_json])
    assert (values.target("note_type", "Telephone Call"), values.target("author_role", "agency worker"),
            values.target("note_type", "Supervision Record")) == ("contact", "agency_social_worker", "supervision")
    for content, says in [
        ("note_type,Telephone Call,contact\n", f"--value-map {mapped}: expected the columns field,from,to"),
        ("field,from,to\nnote_type,Telephone Call\n", f"--value-map {mapped}:2: 2 cells for the 3 columns"),
        ("field,from,to\nnote_type,Telephone Call,contact\nnote_type,Visit,house\n",
         f"--value-map {mapped}:3: 'house' is not a codebook note type"),
    ]:
        mapped.write_text(content, encoding="utf-8")
        with pytest.raises(CaseReviewError, match=re.escape(says)):
            parse_value_maps([], [mapped])
    for content, says in [("[1]", "expected an object of fields"), ('{"note_type": "contact"}', "'note_type' must map"),
                          ('{"note_type": {"Visit": "house"}}', "'note_type': 'Visit': 'house' is not a codebook"),
                          ("{", "not JSON")]:
        as_json.write_text(content, encoding="utf-8")
        with pytest.raises(CaseReviewError, match=re.escape(f"--value-map {as_json}") + ".*" + re.escape(says)):
            parse_value_maps([], [as_json])
    as_text = tmp_path / "map.txt"
    as_text.write_text("note_type,Telephone Call,contact\n", encoding="utf-8")
    with pytest.raises(CaseReviewError, match=re.escape(f"--value-map {as_text}: expected a .json or .csv file")):
        parse_value_maps([], [as_text])


# --- importing with a map, and without one ----------------------------------------------------------------------

def test_an_import_stores_the_codebook_values_a_map_gives_and_again_is_unchanged(tmp_path):
    path = write_export(tmp_path / "cms.csv", rows=10, role=lambda i: "Agency Worker" if i % 2 else "Social Worker")
    values = parse_value_maps(CMS_MAP + ["author_role:Agency Worker=agency_social_worker"])
    with Workspace.open(tmp_path / "ws") as ws:
        report = importer.import_path(ws, path, mapping=MAPPING, values=values)
        assert report.result.added == 10
        stored = {n.note_id: (n.note_type, n.author_role, n.text) for n in ws.iter_notes()}
        assert stored["e0"] == ("contact", "social_worker", note_text(0))
        assert stored["e1"] == ("home_visit", "agency_social_worker", note_text(1))
        assert stored["e2"][0] == "supervision" and stored["e4"][0] == "strategy_discussion"
        assert importer.import_path(ws, path, mapping=MAPPING, values=values).result.unchanged == 10


def test_a_value_on_many_rows_is_one_line_with_its_count_lines_and_the_map_that_reads_it(tmp_path):
    path = write_export(tmp_path / "cms.csv")
    with Workspace.open(tmp_path / "ws") as ws:
        with pytest.raises(InvalidFileError) as refused:
            importer.import_path(ws, path, mapping=MAPPING)
        assert ws.note_ids() == []  # nothing imported
    message = str(refused.value)
    listed = message.splitlines()
    calls = lines_of("Telephone Call")
    assert listed[0].startswith("cms.csv: 80 invalid rows; nothing imported")
    assert listed[1:] == [
        f"  cms.csv, field 'Entry Type (note_type)': 'Telephone Call' is not a codebook note type, on 40 rows "
        f"(lines {', '.join(map(str, calls[:5]))} and 35 more); map it with --map-value 'note_type:Telephone Call=TYPE'",
        "  cms.csv, field 'Entry Type (note_type)': 'Supervision Record' is not a codebook note type, on 20 rows "
        "(lines 4, 9, 14, 19, 24 and 15 more); map it with --map-value 'note_type:Supervision Record=TYPE'",
        "  cms.csv, field 'Entry Type (note_type)': 'Strategy Meeting' is not a codebook note type, on 20 rows "
        "(lines 6, 11, 16, 21, 26 and 15 more); map it with --map-value 'note_type:Strategy Meeting=TYPE'",
        "  codebook note types (note_type): home_visit, contact, supervision, management_decision, strategy_discussion, "
        "assessment, meeting, closure, case_note (or in words: Home Visit)",
    ]
    # a value mapped is read; the rest are still errors, and nothing of the file is imported
    with Workspace.open(tmp_path / "ws") as ws:
        with pytest.raises(InvalidFileError) as refused:
            importer.import_path(ws, path, mapping=MAPPING, values=parse_value_maps(CMS_MAP[:1]))
        assert ws.note_ids() == []
    assert str(refused.value).splitlines()[0].startswith("cms.csv: 40 invalid rows")
    assert "Telephone Call" not in str(refused.value)


def test_a_rows_unknown_role_and_type_are_both_listed_though_the_row_is_rejected_for_one(tmp_path):
    """A row was told its first problem only: mapping every role, the user ran the import again to be told the
    note types."""
    path = write_export(tmp_path / "cms.csv", rows=10, role=lambda i: "Agency Worker")
    with pytest.raises(InvalidFileError) as refused:
        importer.read_notes(path, MAPPING)
    message = str(refused.value)
    assert message.startswith("cms.csv: 10 invalid rows")
    assert ("cms.csv, field 'Worker Role (author_role)': 'Agency Worker' is not a codebook author role, on 10 rows "
            "(lines 2, 3, 4, 5, 6 and 5 more)") in message
    for value, rows in (("Telephone Call", 4), ("Supervision Record", 2), ("Strategy Meeting", 2)):
        assert f"cms.csv, field 'Entry Type (note_type)': '{value}' is not a codebook note type, on {rows} rows" in message
    assert "codebook author roles (author_role): social_worker," in message and "codebook note types" in message
    assert "Spoke with" not in message


def test_a_value_that_may_be_note_text_or_personal_data_is_described_never_quoted(tmp_path):
    rows = [{"note_id": f"r{i}", "text": note_text(i), "note_type": value}
            for i, value in enumerate(["Visited at home today.", "jo.smith@example.org", "Mother said the visit was fine",
                                       "Telephone Call", "12/03/2019", "Telephone Call", "jo.smith@example.org"])]
    path = tmp_path / "notes.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    with pytest.raises(InvalidFileError) as refused:
        importer.read_notes(path)
    message = str(refused.value)
    # a sentence, an e-mail address (found by the personal-data patterns), six words, a date (its digits)
    for hidden in ("Visited", "jo.smith", "Mother said", "2019"):
        assert hidden not in message, message
    assert ("notes.jsonl, field 'note_type': 4 values not shown (long, sentences or like personal data) are not "
            "codebook note types, on 5 rows (lines 1, 2, 3, 5, 7); is this the note type column?") in message
    assert "notes.jsonl, field 'note_type': 'Telephone Call' is not a codebook note type, on 2 rows" in message


def test_the_same_problem_of_other_kinds_on_many_rows_is_one_line_too(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("note_id,text,date\n" + "".join(f"r{i},Seen.,12/03/2024\n" for i in range(30))
                    + "r30,Seen.,2024-03-12\nr30,Seen.,2024-03-12\n", encoding="utf-8")
    with pytest.raises(InvalidFileError) as refused:
        importer.read_notes(path)
    listed = str(refused.value).splitlines()
    assert listed[0] == "notes.csv: 31 invalid rows; nothing imported"
    assert re.fullmatch(r"  notes\.csv, field 'date': .+, on 30 rows \(lines 2, 3, 4, 5, 6 and 25 more\)", listed[1])
    assert listed[2:] == ["  notes.csv:33: field 'note_id': duplicate id (first on line 32)"]  # alone, as it was


# --- the command --------------------------------------------------------------------------------------------------

def test_import_refuses_an_export_in_the_systems_own_types_in_one_line_a_value_then_imports_it_mapped(tmp_path):
    path = write_export(tmp_path / "cms.csv")
    ws = str(tmp_path / "ws")
    refused = run_cli("import", str(path), *MAP_OPTIONS, "-w", ws)
    assert refused.returncode == 2 and not (tmp_path / "ws").exists()
    said = refused.stderr.splitlines()
    assert len(said) == 5 and sum("'Telephone Call' is not a codebook note type, on 40 rows" in s for s in said) == 1
    assert "Spoke with" not in refused.stderr
    mapped = tmp_path / "cms-values.csv"
    mapped.write_text("field,from,to\nnote_type,Supervision Record,supervision\n", encoding="utf-8")
    done = run_cli("import", str(path), *MAP_OPTIONS, "-w", ws, "--value-map", str(mapped),
                   "--map-value", "note_type:Telephone Call=contact", "--map-value", "note_type:Strategy Meeting=meeting")
    assert done.returncode == 0, done.stderr
    assert "cms.csv: 100 added" in done.stderr
    exported = [json.loads(line) for line in run_cli("export", "notes", "--allow-pii", "-w", ws).stdout.splitlines()]
    assert {n["note_type"] for n in exported} == {"contact", "home_visit", "supervision", "meeting"}


def test_import_names_a_bad_map_value_and_imports_nothing(tmp_path):
    path = write_export(tmp_path / "cms.csv", rows=3)
    done = run_cli("import", str(path), *MAP_OPTIONS, "-w", str(tmp_path / "ws"), "--map-value", "Entry Type:Telephone Call=contact")
    assert done.returncode == 2 and not (tmp_path / "ws").exists()
    assert done.stderr.startswith("error: --map-value 'Entry Type:Telephone Call=contact': 'Entry Type' is not a field")
    done = run_cli("import", str(path), *MAP_OPTIONS, "-w", str(tmp_path / "ws"), "--value-map", str(tmp_path / "no.csv"))
    assert done.returncode == 2 and done.stderr == f"error: --value-map {tmp_path / 'no.csv'}: no such file\n"


def test_list_values_shows_each_value_its_rows_and_what_it_reads_as_importing_nothing(tmp_path):
    path = write_export(tmp_path / "cms.csv")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("e100,Seen.,,Social Worker\ne101,Seen.,Visited the family at home today.,Social Worker\n")
    found = importer.field_values(path, "note_type", mapping=MAPPING, values=parse_value_maps(CMS_MAP[:1]))
    assert [(v.value, v.rows, v.reads_as, v.mapped) for v in found.values] == [
        ("Telephone Call", 40, "contact", True), ("Home Visit", 20, "home_visit", False),
        ("Strategy Meeting", 20, None, False), ("Supervision Record", 20, None, False), (None, 1, None, False)]
    assert (found.not_shown, found.not_shown_rows, found.rows) == (1, 1, 102)
    ws = tmp_path / "ws"
    done = run_cli("import", str(path), *MAP_OPTIONS, "--list-values", "note_type", "-w", str(ws),
                   "--map-value", "note_type:Telephone Call=contact")
    assert done.returncode == 0 and not ws.exists(), done.stderr
    table = [" ".join(line.split()) for line in done.stdout.splitlines()]
    assert table == ["cms.csv: note_type on 102 rows, 6 distinct values", "rows value read as",
                     "40 Telephone Call contact (mapped)", "20 Home Visit home_visit",
                     "20 Strategy Meeting not a codebook note type", "20 Supervision Record not a codebook note type",
                     "1 (none given)",
                     "1 1 value not shown (long, sentences or like personal data: is this the note type column?)"]
    assert "Visited" not in done.stdout
    for field, says in [("Entry Type", "--list-values 'Entry Type': lists the values of author_role or note_type"),
                        ("text", "--list-values 'text'")]:
        done = run_cli("import", str(path), *MAP_OPTIONS, "--list-values", field)
        assert done.returncode == 2 and done.stderr.startswith(f"error: {says}"), done.stderr
    done = run_cli("import", str(path), "--list-values", "note_type")
    assert done.returncode == 2 and "no 'note_type' column; rename one with --map SOURCE=note_type" in done.stderr


# --- predict and evaluate read the same export with the same map -----------------------------------------------------

def write_jsonl_export(path, rows: int = 10, role=lambda i: "Social Worker", **fields):
    """:func:`write_export`'s rows as a JSON Lines export in the codebook's field names, with ``fields`` on each."""
    path.write_text("".join(json.dumps({"note_id": f"e{i}", "text": note_text(i), "note_type": CMS_TYPES[i % 5],
                                        "author_role": role(i), **fields}) + "\n" for i in range(rows)),
                    encoding="utf-8")
    return path


def test_notes_read_for_predict_and_evaluate_take_the_map_and_its_errors_as_import_does(tmp_path):
    from casereview.cli import read_notes_arg
    from casereview.errors import UnknownValueError, UnknownValuesError
    from casereview.value_maps import ValueMap

    path = write_jsonl_export(tmp_path / "cms.jsonl", role=lambda i: "Agency Worker")
    values = parse_value_maps(CMS_MAP + ["note_type:Home Visit=home_visit", "author_role:Agency Worker=social worker"])
    notes = list(read_notes_arg(path, "ignore", values=values))
    assert [(n.note_type, n.author_role) for n in notes[:5]] == [
        ("contact", "social_worker"), ("home_visit", "social_worker"), ("supervision", "social_worker"),
        ("contact", "social_worker"), ("strategy_discussion", "social_worker")]
    with pytest.raises(UnknownValuesError) as refused:  # a command taking a map, given none
        list(read_notes_arg(path, "ignore", values=ValueMap()))
    # the row's unknown type and role alike, each with the --map-value that reads it, as import lists them
    said = str(refused.value).splitlines()
    assert said[:2] == [
        "cms.jsonl:1: field 'author_role': 'Agency Worker' is not a codebook author role; map it with --map-value "
        "'author_role:Agency Worker=ROLE'",
        "  cms.jsonl:1: field 'note_type': 'Telephone Call' is not a codebook note type; map it with --map-value "
        "'note_type:Telephone Call=TYPE'"]
    assert [line.split(":")[0] for line in said[2:]] == ["  codebook author roles (author_role)",
                                                          "  codebook note types (note_type)"]
    with pytest.raises(UnknownValueError) as unmapped:  # a command taking none (pii scan) suggests none
        list(read_notes_arg(path, "ignore"))
    assert "--map-value" not in str(unmapped.value) and not isinstance(unmapped.value, UnknownValuesError)


def test_evaluate_refuses_a_systems_own_values_naming_the_map_and_a_bad_map_at_once(tmp_path):
    path = write_jsonl_export(tmp_path / "gold.jsonl", labels=[])
    refused = run_cli("evaluate", str(path))
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith("error: gold.jsonl:1: field 'note_type': 'Telephone Call' is not a codebook note "
                                     "type; map it with --map-value 'note_type:Telephone Call=TYPE'\n"), refused.stderr
    assert "Spoke with" not in refused.stderr
    # parsed as import parses them, before anything is read
    bad = run_cli("predict", str(path), "--map-value", "note_type:Telephone Call=phone")
    assert bad.returncode == 2 and bad.stderr.startswith(
        "error: --map-value 'note_type:Telephone Call=phone': 'phone' is not a codebook note type; known: ")
    missing = run_cli("evaluate", str(path), "--value-map", str(tmp_path / "no.csv"))
    assert missing.stderr == f"error: --value-map {tmp_path / 'no.csv'}: no such file\n"


@pytest.mark.slow  # 20-40 s: five runs loading the shipped model
def test_predict_and_evaluate_read_an_export_with_its_map_as_if_written_in_codebook_values(tmp_path):
    """An export that imports with its map was refused by predict and evaluate, which took no map."""
    cms = write_jsonl_export(tmp_path / "cms.jsonl", labels=["delay_timeliness"])
    plain = tmp_path / "plain.jsonl"  # the same export, written in the codebook's values
    plain.write_text("".join(json.dumps({**row, "note_type": CODEBOOK_TYPES[row["note_type"]]}) + "\n"
                             for row in map(json.loads, cms.read_text().splitlines())), encoding="utf-8")
    value_map = tmp_path / "cms-values.json"
    value_map.write_text(json.dumps({"note_type": CODEBOOK_TYPES}), encoding="utf-8")
    refused = run_cli("predict", str(cms), "-p", "1")
    assert refused.returncode == 2 and "map it with --map-value 'note_type:Telephone Call=TYPE'" in refused.stderr
    expected = run_cli("predict", str(plain), "-p", "1")
    mapped = run_cli("predict", str(cms), "-p", "1", "--value-map", str(value_map))
    assert expected.returncode == 0 and len(expected.stdout.splitlines()) == 10, expected.stderr
    assert (mapped.returncode, mapped.stdout) == (0, expected.stdout), mapped.stderr
    expected = run_cli("evaluate", str(plain), "--json")
    mapped = run_cli("evaluate", str(cms), "--json", *(option for spec in CMS_MAP for option in ("--map-value", spec)))
    assert (mapped.returncode, mapped.stdout) == (0, expected.stdout), mapped.stderr


@pytest.mark.slow  # 20-30 s: six runs loading the personal-data scanner
def test_pii_scan_redact_and_evaluate_read_an_export_with_its_map_as_import_does(tmp_path):
    """An export that imports with its map was refused by pii scan, redact and evaluate, which took none: its
    personal data could not be looked for before it was shared."""
    cms = write_jsonl_export(tmp_path / "cms.jsonl", case_id="C1", date="2024-03-01", entities=[])
    plain = tmp_path / "plain.jsonl"  # the same export, written in the codebook's values
    plain.write_text("".join(json.dumps({**row, "note_type": CODEBOOK_TYPES[row["note_type"]]}) + "\n"
                             for row in map(json.loads, cms.read_text().splitlines())), encoding="utf-8")
    refused = run_cli("pii", "scan", str(cms))
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith("error: cms.jsonl:1: field 'note_type': 'Telephone Call' is not a codebook note "
                                     "type; map it with --map-value 'note_type:Telephone Call=TYPE'\n"), refused.stderr
    value_map = tmp_path / "cms-values.json"
    value_map.write_text(json.dumps({"note_type": CODEBOOK_TYPES}), encoding="utf-8")
    for command in (["pii", "scan"], ["pii", "redact"], ["pii", "evaluate", "--json"]):
        expected = run_cli(*command, str(plain))
        assert expected.returncode == 0 and expected.stdout, expected.stderr
        mapped = run_cli(*command, str(cms), *(["--value-map", str(value_map)] if command[1] == "scan" else
                                               [option for spec in CMS_MAP for option in ("--map-value", spec)]))
        assert (mapped.returncode, mapped.stdout) == (0, expected.stdout), mapped.stderr


def test_a_mapped_value_keeps_the_systems_own_value_shown_in_review_and_exported_as_the_codebooks(tmp_path):
    """Imported through a value map, a note kept only the codebook's value: a data lead could not trace 'contact'
    back to the export's 'Telephone Call' (or 'Phone Call', mapped alike). Not part of the note's content: an export
    imports again unchanged, and a file imported before the workspace kept them imports again unchanged too."""
    from casereview.review import NoteView
    from casereview.tui.screens.note_review import metadata_line

    path = write_export(tmp_path / "cms.csv", rows=5, role=lambda i: "Agency Worker" if i % 2 else "Social Worker")
    values = parse_value_maps(CMS_MAP + ["author_role:Agency Worker=agency_social_worker"])
    with Workspace.open(tmp_path / "ws") as ws:
        importer.import_path(ws, path, mapping=MAPPING, values=values)
        first, second = ws.get_note("e0"), ws.get_note("e1")
        assert first.source_values == {"note_type": "Telephone Call"}  # 'Social Worker' is read, not mapped
        assert second.source_values == {"author_role": "Agency Worker"}  # 'Home Visit' too
        assert (first.shown_coded("note_type"), second.shown_coded("author_role")) == (
            "contact (Telephone Call)", "agency_social_worker (Agency Worker)")
        view = NoteView(note=first, labels=(), position=0, queue_length=5, case_position=0, case_length=0,
                        model_version=None, comments=())
        assert "social_worker  ·  contact (Telephone Call)" in metadata_line(view)
        exported = run_cli("export", "notes", "--allow-pii", "-w", str(ws.path))
        assert "Telephone Call" not in exported.stdout and '"note_type": "contact"' in exported.stdout
        (tmp_path / "notes.jsonl").write_text(exported.stdout, encoding="utf-8")
        again = importer.import_path(ws, tmp_path / "notes.jsonl")
        assert again.result.unchanged == 5 and ws.get_note("e0").source_values == {}  # as that file gives it
        assert importer.import_path(ws, path, mapping=MAPPING, values=values).result.unchanged == 5
        assert ws.get_note("e0").source_values == {"note_type": "Telephone Call"}
