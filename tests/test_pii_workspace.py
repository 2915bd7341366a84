"""Personal data in the workspace: scan at import, --redact, the export refusal, resolving findings."""

import json
import re
import sqlite3
from pathlib import Path

import pytest

from casereview import importer
from casereview.pii.findings import resolve_finding
from casereview.workspace import Workspace

from .conftest import run_cli, write_jsonl

SENTENCE = "No safety plan was agreed after the incident."
SECRETS = ["Kayleigh Thompson", "07700 900123", "943 476 5919", "14 Heol y Wern", "CF37 1AB"]
LEAKY = [
    {"note_id": "p1", "case_id": "C9",
     "text": "Visited Kayleigh Thompson at 14 Heol y Wern, CF37 1AB. No safety plan was agreed after the incident.",
     "evidence": {"risk_analysis_gap": [{"start": 55, "end": 100}]}},
    {"note_id": "p2", "case_id": "C9", "text": "Mum's new mobile is 07700 900123; NHS number 943 476 5919."},
    {"note_id": "p3", "case_id": "C9", "text": "Visited J at home; Mum and MGM present. Referral to CAMHS made."},
]


def workspace_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())


def imported_by_the_command(tmp_path: Path, notes: list[dict]) -> tuple[Path, Path, dict]:
    """(notes file, workspace) after `casereview import`, and the findings by (note id, type)."""
    path = write_jsonl(tmp_path / "leaky.jsonl", notes)
    ws = tmp_path / "ws"
    assert run_cli("import", str(path), "-w", str(ws)).returncode == 0
    with Workspace.open(ws) as opened:
        return path, ws, {(f.note_id, f.label): f for f in opened.pii_findings()}


def test_import_with_redact_never_stores_the_original(tmp_path):
    path = write_jsonl(tmp_path / "leaky.jsonl", LEAKY)
    ws = tmp_path / "ws"
    done = run_cli("import", str(path), "--redact", "-w", str(ws))
    assert done.returncode == 0, done.stderr
    assert "personal-data findings redacted" in " ".join(done.stderr.split())
    stored = workspace_bytes(ws)
    assert not any(secret.encode() in stored for secret in SECRETS)
    assert not any(secret in done.stderr + done.stdout for secret in SECRETS)
    exported = [json.loads(line) for line in run_cli("export", "notes", "-w", str(ws)).stdout.splitlines()]
    first = exported[0]
    assert first["text"].startswith("Visited [PERSON] at [ADDRESS], [POSTCODE].")
    span = first["evidence"]["risk_analysis_gap"][0]
    assert first["text"][span["start"]:span["end"]] == "No safety plan was agreed after the incident."
    assert exported[2]["text"] == LEAKY[2]["text"]  # nothing to redact: unchanged


@pytest.mark.slow  # 6 s alone: the default run keeps well under CI's 10 minutes; CI runs it
def test_export_refuses_unresolved_findings_until_resolved(tmp_path):
    path = write_jsonl(tmp_path / "leaky.jsonl", LEAKY)
    ws = tmp_path / "ws"
    assert run_cli("import", str(path), "-w", str(ws)).returncode == 0
    out = tmp_path / "out.jsonl"
    refused = run_cli("export", "notes", "-w", str(ws), "-o", str(out))
    assert refused.returncode == 1 and "p1, p2" in refused.stderr and "--allow-pii" in refused.stderr
    assert "2 notes to export as notes have unresolved personal-data findings" in refused.stderr
    assert not out.exists()
    assert not any(secret in refused.stderr for secret in SECRETS)
    assert run_cli("export", "decisions", "-w", str(ws)).returncode == 0  # no note text in the log
    allowed = run_cli("export", "notes", "-w", str(ws), "--allow-pii")
    assert allowed.returncode == 0 and "Kayleigh Thompson" in allowed.stdout

    listing = run_cli("pii", "findings", "--json", "-w", str(ws))
    assert listing.returncode == 1  # unresolved findings
    rows = [json.loads(line) for line in listing.stdout.splitlines()]
    assert {r["label"] for r in rows} >= {"PERSON", "ADDRESS", "POSTCODE", "PHONE", "NHS_NUMBER"}
    assert not any(secret in listing.stdout for secret in SECRETS)  # offsets and types, never values
    table = run_cli("pii", "findings", "-w", str(ws)).stdout.splitlines()  # for people: its columns line up
    assert len(table) == len(rows) and len({re.search(r"[A-Z][A-Z_]{2,}", line).start() for line in table}) == 1, table
    for row in rows:
        resolution = "false_alarm" if row["label"] == "POSTCODE" else "redacted"
        done = run_cli("pii", "resolve", str(row["id"]), "--as", resolution, "--reviewer", "A. Inspector", "-w", str(ws))
        assert done.returncode == 0, done.stderr
    assert run_cli("pii", "findings", "--unresolved", "-w", str(ws)).returncode == 0
    exported = run_cli("export", "notes", "-w", str(ws))
    assert exported.returncode == 0
    assert "CF37 1AB" in exported.stdout and "[PERSON]" in exported.stdout and "[NHS_NUMBER]" in exported.stdout


def test_redacting_a_finding_removes_the_value_from_the_database_file(tmp_path):
    path = write_jsonl(tmp_path / "leaky.jsonl", LEAKY)
    with Workspace.open(tmp_path / "ws") as ws:
        report = importer.import_path(ws, path)
        assert report.pii_findings >= 5
        ws.store_predictions("m1", [{
            "note_id": "p1", "labels": ["risk_analysis_gap"], "thresholds": {n: 0.5 for n in _labels()},
            "scores": {n: 0.9 if n == "risk_analysis_gap" else 0.1 for n in _labels()},
            "evidence": {"risk_analysis_gap": [{"start": 0, "end": 100, "text": LEAKY[0]["text"]}]},
        }])
        findings = ws.pii_findings("p1")
        person = next(f for f in findings if f.label == "PERSON")
        resolved, recorded = resolve_finding(ws, person.id, "redacted", "A. Inspector")
        assert recorded
        assert resolved.resolution == "redacted" and resolved.reviewer == "A. Inspector"
        note = ws.get_note("p1")
        assert note.text.startswith("Visited [PERSON] at 14 Heol y Wern")
        moved = {f.label: note.text[f.start:f.end] for f in ws.pii_findings("p1")}
        assert moved["PERSON"] == "[PERSON]" and moved["ADDRESS"] == "14 Heol y Wern"
        evidence = ws.predictions("p1", "m1")["risk_analysis_gap"].evidence[0]
        assert evidence["text"] == note.text[evidence["start"]:evidence["end"]]
        false_alarm = next(f for f in ws.pii_findings("p3", unresolved=True)) if ws.pii_findings("p3") else None
        assert false_alarm is None  # the anonymised note has no findings
    assert b"Kayleigh Thompson" not in workspace_bytes(tmp_path / "ws")


def test_false_alarm_is_logged_and_keeps_the_text(workspace, tmp_path):
    path = write_jsonl(tmp_path / "n.jsonl", [LEAKY[1]])
    importer.import_path(workspace, path)
    phone = next(f for f in workspace.pii_findings("p2") if f.label == "PHONE")
    resolve_finding(workspace, phone.id, "false_alarm", "QA lead")
    assert workspace.pii_findings(finding_id=phone.id)[0].resolution == "false_alarm"
    assert "07700 900123" in workspace.get_note("p2").text
    assert phone.id not in [f.id for f in workspace.pii_findings(unresolved=True)]


def test_resolving_a_finding_again_as_it_stands_records_nothing_and_says_so(tmp_path):
    # A second `pii resolve` appended the same resolution again, silently, under the second reviewer's name.
    _, ws, findings = imported_by_the_command(tmp_path, LEAKY[:2])
    phone, person = findings["p2", "PHONE"], findings["p1", "PERSON"]

    def resolve(finding, resolution, reviewer):
        return run_cli("pii", "resolve", str(finding.id), "--as", resolution, "--reviewer", reviewer, "-w", str(ws))

    for finding, resolution in ((phone, "false_alarm"), (person, "redacted")):
        assert resolve(finding, resolution, "QA lead").returncode == 0
        again = resolve(finding, resolution, "B. Other")
        assert again.returncode == 0, again.stderr  # a no-op, as re-importing the same file is
        said = " ".join(again.stderr.split())
        assert f"finding {finding.id} on {finding.note_id} is already {resolution} by QA lead; nothing recorded" in said
    with Workspace.open(ws) as opened:
        assert {f.id: (f.resolution, f.reviewer) for f in opened.pii_findings() if f.id in (phone.id, person.id)} == {
            phone.id: ("false_alarm", "QA lead"), person.id: ("redacted", "QA lead")}
    with sqlite3.connect(next(ws.glob("*.db"))) as db:  # the append-only log holds one resolution each
        assert db.execute("SELECT finding_id, COUNT(*) FROM pii_resolutions GROUP BY finding_id").fetchall() == [
            (min(phone.id, person.id), 1), (max(phone.id, person.id), 1)]
    refused = resolve(person, "false_alarm", "B. Other")  # a redacted value is gone: not a no-op, an error
    assert refused.returncode == 2 and f"finding {person.id} is already redacted" in refused.stderr


def test_pii_scan_redact_and_evaluate_commands(tmp_path):
    path = write_jsonl(tmp_path / "leaky.jsonl", LEAKY)
    scanned = run_cli("pii", "scan", str(path))
    assert scanned.returncode == 0, scanned.stderr
    first = json.loads(scanned.stdout.splitlines()[0])
    assert first["note_id"] == "p1"
    assert {"start": 8, "end": 25, "label": "PERSON", "text": "Kayleigh Thompson"}.items() <= first["entities"][0].items()
    redacted = run_cli("pii", "redact", "-", input=path.read_text())
    assert redacted.returncode == 0 and not any(s in redacted.stdout for s in SECRETS)
    gold = write_jsonl(tmp_path / "gold.jsonl", [
        {"note_id": "g1", "text": "Ring Rhian Bowen on 07700 900321.",
         "entities": [{"start": 5, "end": 16, "label": "PERSON"}, {"start": 20, "end": 32, "label": "PHONE"}]},
        {"note_id": "g2", "text": "Ref 943 476 5918 on the bundle.", "entities": []},
    ])
    evaluated = run_cli("pii", "evaluate", str(gold), "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    result = json.loads(evaluated.stdout)
    assert result["exact"]["per_type"]["PHONE"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1, "predicted": 1}
    assert result["exact"]["overall"]["predicted"] == 2
    table = run_cli("pii", "evaluate", str(gold), env={"COLUMNS": "80"})  # a terminal 80 columns wide
    assert table.returncode == 0, table.stderr
    for name in ("POSTCODE", "DATE_OF_BIRTH", "NHS_NUMBER", "NI_NUMBER", "overall"):  # not "POSTCO…", "DATE_O…"
        assert re.search(rf"\b{name}\b", table.stdout), table.stdout
    assert "…" not in table.stdout and table.stdout.count("overlap") == 3  # nor a header cut
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"note_id": "b0", "text": "x", "entities": []},
                                               {"note_id": "b1", "text": "x", "entities": [{"start": 0, "end": 1, "label": "NAME"}]}])
    failed = run_cli("pii", "evaluate", str(bad))
    assert failed.returncode == 2
    assert "bad.jsonl:2: field 'entities': entity 1: 'label' must be one of PERSON" in " ".join(failed.stderr.split())


# A bad 'entities' field of a gold note was named by the note's id ("note 'b1'"), not its file, line and field as every
# other input error is; a span past the end of the text, or ending before it starts, was taken as it was.
TEXT = "Ring Rhian Bowen."


@pytest.mark.parametrize("entities,problem", [
    (None, "missing: a gold note needs its entities ([] for none)"),
    ("Rhian Bowen", "must be a list of spans {start, end}"),
    ([{"start": 5, "end": 16, "label": "NAME"}], "entity 1: 'label' must be one of PERSON"),
    ([{"start": 5, "end": 16}], "entity 1: 'label' must be one of PERSON"),
    ([{"start": 5, "end": 99, "label": "PERSON"}], "span 1 (5-99) is outside the text (17 characters)"),
    ([{"start": 16, "end": 5, "label": "PERSON"}], "span 1 (16-5) is reversed: it ends before it starts"),
    ([{"start": -1, "end": 5, "label": "PERSON"}], "span 1 (-1-5) is outside the text"),
    ([{"start": "5", "end": 16, "label": "PERSON"}], "span 1 needs whole-number 'start' and 'end'"),
    ([{"start": True, "end": 16, "label": "PERSON"}], "span 1 needs whole-number 'start' and 'end'"),
    (["Rhian Bowen"], "span 1 needs whole-number 'start' and 'end'"),
])
def test_a_gold_notes_bad_entities_are_named_by_file_line_and_field(tmp_path, entities, problem):
    from casereview.cli import read_all_notes
    from casereview.errors import InputError
    from casereview.pii.training import check_gold_entities

    bad = {"note_id": "g2", "text": TEXT} | ({} if entities is None else {"entities": entities})
    gold = write_jsonl(tmp_path / "gold.jsonl", [{"note_id": "g1", "text": TEXT, "entities": []}, bad])
    with pytest.raises(InputError) as raised:
        read_all_notes(gold, check=check_gold_entities)
    assert str(raised.value).startswith(f"gold.jsonl:2: field 'entities': {problem}")
    assert "Rhian" not in str(raised.value)


def _labels():
    from casereview.taxonomy import LABEL_NAMES

    return LABEL_NAMES


def test_redaction_covers_the_other_fields_too(tmp_path):
    # a CMS export's own columns: --redact kept them as they were, and 'pii redact' wrote them out
    path = tmp_path / "cms.csv"
    path.write_text("note_id,text,child_name,contact\n"
                    "r1,Visited the child at home.,Kayleigh Thompson,Mum on 07700 900123\n", encoding="utf-8")
    ws = tmp_path / "ws"
    done = run_cli("import", str(path), "--redact", "-w", str(ws))
    assert done.returncode == 0, done.stderr
    assert not any(secret.encode() in workspace_bytes(ws) for secret in SECRETS)
    (exported,) = [json.loads(line) for line in run_cli("export", "notes", "-w", str(ws)).stdout.splitlines()]
    assert exported["child_name"] == "[PERSON]" and exported["contact"] == "Mum on [PHONE]"
    assert "1 unchanged" in run_cli("import", str(path), "--redact", "-w", str(ws)).stderr  # the same redaction
    note = {**LEAKY[0], "carer": {"name": "Kayleigh Thompson", "phones": ["07700 900123"]}}
    redacted = run_cli("pii", "redact", "-", input=json.dumps(note) + "\n")
    assert redacted.returncode == 0 and not any(s in redacted.stdout for s in SECRETS)
    record = json.loads(redacted.stdout)
    assert record["carer"] == {"name": "[PERSON]", "phones": ["[PHONE]"]}
    assert record["text"][record["evidence"]["risk_analysis_gap"][0]["start"]:].startswith("No safety plan")
    assert redacted.stderr.strip() == "5 entities redacted"


def test_a_field_read_by_the_patterns_only_is_read_with_the_notes_date(tmp_path):
    # `team` (scanned by the patterns only) was read without the note's date: a booking's date after a child there
    # was redacted as a date of birth, and the same words in any other field, read with the date, were not
    note = {"note_id": "t1", "date": "2024-06-20", "text": "Seen at home.",
            "team": "Review for K (15/07/2024)", "next_step": "Review for K (15/07/2024)",
            "household": "Child K, 03/04/2016"}
    done = run_cli("pii", "redact", "-", input=json.dumps(note) + "\n")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert (record["team"], record["next_step"]) == ("Review for K (15/07/2024)",) * 2
    assert record["household"] == "Child K, [DATE_OF_BIRTH]"
    undated = run_cli("pii", "redact", "-", input=json.dumps({**note, "date": None}) + "\n")  # read as of today
    assert undated.returncode == 0, undated.stderr
    assert json.loads(undated.stdout)["team"] == "Review for K ([DATE_OF_BIRTH])"


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
def test_reimport_after_a_reviewer_redacted_keeps_the_redaction(tmp_path):
    # Re-importing the same file was refused as "different content", and --update brought the name back.
    path, ws, findings = imported_by_the_command(tmp_path, LEAKY[:1])
    person = findings["p1", "PERSON"]
    done = run_cli("pii", "resolve", str(person.id), "--as", "redacted", "--reviewer", "QA lead", "-w", str(ws))
    assert done.returncode == 0, done.stderr
    for again in ([], ["--update"], ["--redact"]):  # the same file: a no-op either way
        done = run_cli("import", str(path), *again, "-w", str(ws))
        assert done.returncode == 0, done.stderr
        assert "0 updated, 1 unchanged" in done.stderr and "findings" not in done.stderr
    assert b"Kayleigh Thompson" not in workspace_bytes(ws)
    with Workspace.open(ws) as opened:  # the name is not flagged again: the redaction stands
        assert opened.get_note("p1").text.startswith("Visited [PERSON] at 14 Heol y Wern")
        assert {f.label: f.resolution for f in opened.pii_findings("p1")} == {
            "PERSON": "redacted", "ADDRESS": None, "POSTCODE": None}

    # the source changed: --update refuses the row, naming file, line and field, and imports nothing of the file
    changed = write_jsonl(tmp_path / "changed.jsonl", [
        {"note_id": "p9", "text": "Case closed."}, {**LEAKY[0], "text": LEAKY[0]["text"].replace("incident", "accident")}])  # the evidence span fits
    before = workspace_bytes(ws)
    refused = run_cli("import", str(changed), "--update", "-w", str(ws))
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: changed.jsonl:2: field 'text': note 'p1'") and "--update --redact" in refused.stderr
    assert "Traceback" not in refused.stderr and not any(s in refused.stderr for s in SECRETS + ["safety plan"])
    assert workspace_bytes(ws) == before
    with Workspace.open(ws) as opened:
        assert opened.get_note("p9") is None and "Kayleigh" not in opened.get_note("p1").text
    done = run_cli("import", str(changed), "--update", "--redact", "-w", str(ws))  # stored redacted: allowed
    assert done.returncode == 0 and "1 added, 1 updated" in done.stderr, done.stderr
    with Workspace.open(ws) as opened:
        assert opened.get_note("p1").text == ("Visited [PERSON] at [ADDRESS], [POSTCODE]. No safety plan was agreed "
                                              "after the accident.")
    assert b"Kayleigh Thompson" not in workspace_bytes(ws)


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
def test_reimport_after_import_redacted_only_the_other_fields_keeps_them_redacted(tmp_path):
    # Only the fields were redacted, and that was not recorded: the same file again was refused as
    # "different content", and --update stored the child's name and the phone number back in notes.extra.
    path = write_jsonl(tmp_path / "n.jsonl", [
        {"note_id": "f1", "text": "Visited the child at home.", "child_name": "Bethany Morgan", "contact": "07700 900123"}])
    ws = tmp_path / "ws"
    assert run_cli("import", str(path), "--redact", "-w", str(ws)).returncode == 0
    for again in ([], ["--update"], ["--redact"], ["--update", "--redact"]):
        done = run_cli("import", str(path), *again, "-w", str(ws))
        assert done.returncode == 0 and "0 updated, 1 unchanged" in done.stderr, (again, done.stderr)
    with Workspace.open(ws) as opened:
        assert opened.get_note("f1").extra == {"child_name": "[PERSON]", "contact": "[PHONE]"}
        assert opened.stored_version("f1").redacted
    changed = write_jsonl(tmp_path / "changed.jsonl", [{**json.loads(path.read_text()), "text": "Visited the child."}])
    refused = run_cli("import", str(changed), "--update", "-w", str(ws))
    assert refused.returncode == 2 and refused.stderr.startswith("error: changed.jsonl:1: field"), refused.stderr
    assert "Bethany" not in refused.stderr
    done = run_cli("import", str(changed), "--update", "--redact", "-w", str(ws))
    assert done.returncode == 0 and "1 updated" in done.stderr, done.stderr
    assert not any(s.encode() in workspace_bytes(ws) for s in ("Bethany Morgan", "07700 900123"))


def test_reimport_without_redact_after_import_redacted_the_text_is_a_no_op(tmp_path):
    # It was refused as "differs from the note imported": the file's note is the one imported, redacted.
    path = write_jsonl(tmp_path / "leaky.jsonl", LEAKY)
    ws = tmp_path / "ws"
    assert run_cli("import", str(path), "--redact", "-w", str(ws)).returncode == 0
    for again in ([], ["--update"]):
        done = run_cli("import", str(path), *again, "-w", str(ws))
        assert done.returncode == 0 and "0 added, 0 updated, 3 unchanged" in done.stderr, (again, done.stderr)
        assert "findings" not in done.stderr
    assert not any(secret.encode() in workspace_bytes(ws) for secret in SECRETS)
    with Workspace.open(ws) as opened:
        assert opened.get_note("p1").text.startswith("Visited [PERSON] at [ADDRESS], [POSTCODE].")
        assert opened.pii_findings(unresolved=True) == []


def test_import_redact_keeps_the_teams_sampling_reads_and_redacts_a_phone_given_as_a_number(tmp_path):
    # Every string field went through the name recogniser: "Cardiff North" became "[PERSON]", so every note
    # fell in one stratum "team=[PERSON]"; and a phone written as a JSON number was not scanned at all.
    teams = ["Cardiff North", "Swansea East", "Barry Hub"]
    path = write_jsonl(tmp_path / "teams.jsonl", [
        {"note_id": f"t{i}", "case_id": f"C{i}", "text": "Visited the child at home.", "team": teams[i % 3],
         "child_name": "Bethany Morgan", "contact": 7700900123, "visits": 3} for i in range(6)]
        + [{"note_id": "t6", "text": "Home visit.", "team": "Mum on 07700 900123"}])
    ws = tmp_path / "ws"
    assert run_cli("import", str(path), "--redact", "-w", str(ws)).returncode == 0
    with Workspace.open(ws) as opened:
        assert opened.get_note("t0").extra == {"team": "Cardiff North", "child_name": "[PERSON]", "contact": "[PHONE]",
                                               "visits": 3}
        assert opened.get_note("t6").extra == {"team": "Mum on [PHONE]"}  # the patterns still apply
    assert b"7700900123" not in workspace_bytes(ws)
    drawn = run_cli("sample", "--size", "3", "--stratify", "team", "--seed", "1", "--json", "-w", str(ws))
    assert drawn.returncode == 0, drawn.stderr
    strata = {s["stratum"] for s in json.loads(drawn.stdout)["strata"]}
    assert {f"team={t}" for t in teams} <= strata


def test_import_redact_keeps_place_names_in_fields_named_as_places(tmp_path):
    # A CMS export's "locality" column went through the name recogniser with no context: "Cardiff North",
    # "Ely" and "Splott" were stored as "[PERSON]". A field named as a place is read for addresses, schools
    # and the patterns, not for names of people; a child's name in any other field ("area_manager" too: its
    # last word says what it holds) is still redacted.
    path = tmp_path / "cms.csv"
    path.write_text("note_id,text,locality,AreaOffice,home_town,child_name,area_manager\n"
                    "l1,Visited the child at home.,Cardiff North,Ely,Splott,Jayden Smith,Kelly Morgan\n"
                    "l2,Visited the child at home.,14 Oak Road,Llanrumney Hub,Mum on 07700 900123,Kelly Morgan,\n",
                    encoding="utf-8")
    ws = tmp_path / "ws"
    done = run_cli("import", str(path), "--redact", "-w", str(ws))
    assert done.returncode == 0, done.stderr
    with Workspace.open(ws) as opened:
        assert opened.get_note("l1").extra == {"locality": "Cardiff North", "AreaOffice": "Ely", "home_town": "Splott",
                                               "child_name": "[PERSON]", "area_manager": "[PERSON]"}
        assert opened.get_note("l2").extra == {"locality": "[ADDRESS]", "AreaOffice": "Llanrumney Hub",
                                               "home_town": "Mum on [PHONE]", "child_name": "[PERSON]",
                                               "area_manager": ""}
    # nested fields: the nearest field name decides
    note = {"note_id": "l3", "text": "Home visit.", "placement": {"carer": "Kelly Morgan", "locality": "Splott"}}
    redacted = run_cli("pii", "redact", "-", input=json.dumps(note) + "\n")
    assert redacted.returncode == 0, redacted.stderr
    assert json.loads(redacted.stdout)["placement"] == {"carer": "[PERSON]", "locality": "Splott"}


def import_as_an_older_scanner_did(ws_folder: Path, path: Path, stored: dict, in_fields: int) -> None:
    """``import --redact`` of ``path`` by an earlier version whose scanner redacted the file's one note to ``stored``
    (its extra fields replacing the file's): the real import, with that scanner's output in place of today's."""
    import dataclasses

    from casereview.pii.findings import ImportScan

    prepared = importer.prepare(path, redact=True)
    (plain,) = importer.read_notes(path)
    older = ImportScan((), {**plain.extra, **stored} if in_fields else None, in_fields)  # it found nothing in the text
    prepared = dataclasses.replace(prepared, scans=[older], scanner_version="pii-older")
    with Workspace.open(ws_folder) as ws:
        importer.store(ws, prepared)


REIMPORTED = [  # a note an earlier scanner redacted differently: "Cardiff North" as a name; nothing of this text
    ("cms.csv", "note_id,text,locality\nl1,Visited the family at home.,Cardiff North\n", {"locality": "[PERSON]"}, 1),
    ("notes.jsonl", json.dumps({"note_id": "l1", "case_id": "C1", "text": "Asked Amira about contact. Phone +48 512 "
                                "345 678. Date of birth 03-Apr-2016."}) + "\n", {}, 0),
]


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
@pytest.mark.parametrize("name, content, stored, in_fields", REIMPORTED, ids=["fewer-found", "more-found"])
def test_the_same_file_imports_again_as_unchanged_when_the_scanner_finds_more_or_less(tmp_path, name, content, stored,
                                                                                    in_fields):
    # The workspace recorded the note's hash as --redact stored it, so when the scanner changed, the same file's
    # redacted form no longer matched it: "cms.csv:2: field 'locality': note 'l1' differs" (and "field 'text'").
    path, ws = tmp_path / name, tmp_path / "ws"
    path.write_text(content, encoding="utf-8")
    import_as_an_older_scanner_did(ws, path, stored, in_fields)
    with Workspace.open(ws) as opened:
        before = opened.get_note("l1")
    for again in (["--redact"], ["--update", "--redact"], [], ["--update"]):
        done = run_cli("import", str(path), *again, "-w", str(ws))
        assert done.returncode == 0 and "0 added, 0 updated, 1 unchanged" in done.stderr, (again, done.stderr)
    with Workspace.open(ws) as opened:  # as stored: a redaction stays
        assert opened.get_note("l1") == before and opened.note_history("l1") == []

    # a note that really changed is refused as before, and --update --redact stores it redacted by today's scanner
    changed = tmp_path / f"changed{path.suffix}"
    changed.write_text(content.replace("contact.", "contact at school.").replace("family", "child"), encoding="utf-8")
    refused = run_cli("import", str(changed), "--redact", "-w", str(ws))
    assert refused.returncode == 2 and f"changed{path.suffix}:" in refused.stderr and "'l1'" in refused.stderr
    done = run_cli("import", str(changed), "--update", "--redact", "-w", str(ws))
    assert done.returncode == 0 and "1 updated" in done.stderr, done.stderr
    with Workspace.open(ws) as opened:
        assert opened.get_note("l1").text in ("Visited the child at home.", "Asked [PERSON] about contact at school. "
                                              "Phone [PHONE]. Date of birth [DATE_OF_BIRTH].")


# "Contact: mum (12/05/2024) cancelled" in a note of 20 June 2024 is the contact's date, and so is a review booked
# after it; import, 'pii scan' and 'pii redact' read them by the note's date (a note with no date is read as of the
# day it is scanned: mum's date is still an event's, the children's, past by then, dates of birth)
EVENT_DATES = "Contact: mum (12/05/2024) cancelled. Review booked for K (15/07/2024) and sister (16/07/2024)."
DATED = [{"note_id": "d1", "case_id": "C9", "date": "2024-06-20", "text": EVENT_DATES},
         {"note_id": "u1", "case_id": "C9", "text": EVENT_DATES}]


def test_import_scan_and_redact_read_a_date_after_a_parent_by_the_notes_date(tmp_path):
    path, ws, found = imported_by_the_command(tmp_path, DATED)
    assert [key for key in found if key[0] == "d1"] == []
    with Workspace.open(ws) as opened:
        assert [f.note_id for f in opened.pii_findings()] == ["u1"] * 2

    scanned = run_cli("pii", "scan", str(path))
    assert scanned.returncode == 0, scanned.stderr
    assert [len(json.loads(line)["entities"]) for line in scanned.stdout.splitlines()] == [0, 2]

    redacted = run_cli("pii", "redact", str(path))
    assert redacted.returncode == 0, redacted.stderr
    assert [json.loads(line)["text"] for line in redacted.stdout.splitlines()] == [
        EVENT_DATES,
        "Contact: mum (12/05/2024) cancelled. Review booked for K ([DATE_OF_BIRTH]) and sister ([DATE_OF_BIRTH])."]


# The `evidence` field was left out of redaction whole (its spans follow the text's redaction): text in it that is no
# span of the note's, evidence given as a CSV cell or a system's own words, or a reviewer's remark beside a span, was
# kept by `import --redact` and written by `pii redact` as it came, personal data and all.
def test_redaction_covers_text_in_the_evidence_field_that_is_not_a_span_of_the_note(tmp_path):
    from casereview.pii import load_scanner
    from casereview.pii.findings import redact_for_sharing

    text = LEAKY[0]["text"]
    notes = [
        {"note_id": "v1", "text": text, "evidence": "Seen by Kayleigh Thompson; mum on 07700 900123."},
        {"note_id": "v2", "text": text, "evidence": {"risk_analysis_gap": [
            {"start": 55, "end": 100, "text": text[55:100], "remark": "Mum's mobile is 07700 900123."}]}},
    ]
    path = write_jsonl(tmp_path / "leaky.jsonl", notes)
    with Workspace.open(tmp_path / "ws") as ws:
        importer.import_path(ws, path, redact=True)
        stored = {note_id: ws.get_note(note_id) for note_id in ("v1", "v2")}
    assert not any(secret.encode() in workspace_bytes(tmp_path / "ws") for secret in SECRETS)
    assert stored["v1"].extra["evidence"] == "Seen by [PERSON]; mum on [PHONE]."
    span = stored["v2"].extra["evidence"]["risk_analysis_gap"][0]
    assert span["remark"] == "Mum's mobile is [PHONE]."
    assert stored["v2"].text[span["start"]:span["end"]] == span["text"] == SENTENCE  # the span follows the text

    from casereview.notes import validate

    valid = [validate(n, "leaky.jsonl", line) for line, n in enumerate(notes, 1)]
    shared = [note.to_record() for note, _ in redact_for_sharing(valid, load_scanner())]
    assert not any(secret in json.dumps(shared) for secret in SECRETS)
    assert shared[1]["evidence"]["risk_analysis_gap"][0] == span


# `pii redact` moved a note's evidence spans without checking them, as import does: a span past the text's end, or
# reversed, was moved silently and written out quoting nothing of the redacted note
@pytest.mark.parametrize("span", [{"start": 5, "end": 10_000}, {"start": 40, "end": 20}])
def test_pii_redact_refuses_an_evidence_span_that_is_not_one_of_the_notes_text_naming_file_line_and_field(
        span, tmp_path):
    text = LEAKY[0]["text"]
    notes = [{"note_id": "v1", "text": text, "evidence": {"risk_analysis_gap": [{"start": 0, "end": 10}]}},
             {"note_id": "v2", "text": text, "evidence": {"risk_analysis_gap": [span]}}]
    path = write_jsonl(tmp_path / "spans.jsonl", notes)
    out = tmp_path / "redacted.jsonl"
    redacted = run_cli("pii", "redact", str(path), "-o", str(out))
    assert redacted.returncode != 0 and "Traceback" not in redacted.stderr
    assert redacted.stderr.startswith("error: spans.jsonl:2: field 'evidence': "), redacted.stderr
    assert f"({span['start']}-{span['end']})" in redacted.stderr
    assert text not in redacted.stderr and not out.exists()
