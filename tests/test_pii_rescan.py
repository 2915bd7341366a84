"""Notes scanned by an earlier scanner version are scanned again by the current one, keeping what reviewers resolved."""

import json
import sqlite3

import pytest

from casereview.pii import Entity, load_scanner
from casereview.pii.findings import PersonalDataError, check_exportable, record_scans, resolve_finding, scan_workspace
from casereview.workspace import Workspace

from .conftest import run_cli
from .test_workspace import note

OLD = "pii-3c501b29-4b99de-f3"  # the recogniser the shipped one replaced
# (text, what the old scanner found): the current one finds Mark Davies, the phone, Sian Roberts and Tyler Evans
EMAILED = note("e", "Emailed Mark Davies about contact. Mum's new mobile is 07700 900123.")
PRESENT = note("p", "Present: Sian Roberts, Tyler Evans. No concerns.")
VISITED = note("v", "Visited J at home; Mum and MGM present. Referral to CAMHS made.")
OLD_FINDINGS = {
    "e": [Entity(0, 7, "PERSON", 0.6), Entity(55, 67, "PHONE", 1.0)],  # "Emailed" a name; Mark Davies missed
    "p": [Entity(9, 21, "PERSON", 0.9)],  # Sian Roberts; Tyler Evans missed
    "v": [Entity(0, 7, "PERSON", 0.7)],  # "Visited": a false alarm the current scanner does not raise
}


def scanned_by_the_old_scanner(ws: Workspace) -> dict[str, int]:
    """The three notes imported and scanned by :data:`OLD`; a reviewer has called the phone number a false alarm
    and redacted Sian Roberts. Returns those two findings' ids."""
    notes = [EMAILED, PRESENT, VISITED]
    ws.import_notes(notes, "notes.jsonl")
    record_scans(ws, notes, [OLD_FINDINGS[n.note_id] for n in notes], scanner_version=OLD)
    by_label = {(f.note_id, f.label): f.id for f in ws.pii_findings()}
    resolve_finding(ws, by_label["e", "PHONE"], "false_alarm", "QA lead")
    resolve_finding(ws, by_label["p", "PERSON"], "redacted", "QA lead")
    return {"phone": by_label["e", "PHONE"], "sian": by_label["p", "PERSON"]}


def findings(ws: Workspace, note_id: str) -> list[tuple[str, str | None]]:
    """A note's findings as (the text found, resolution)."""
    text = ws.get_note(note_id).text
    return [(text[f.start:f.end], f.resolution) for f in ws.pii_findings(note_id)]


def test_the_scanner_version_names_the_model_and_the_rules():
    from casereview.pii.scanner import RULES_VERSION

    scanner = load_scanner()
    assert scanner.version == f"{scanner.model_version}+rules.{RULES_VERSION}"
    assert scanner.model_version.startswith("pii-")


@pytest.mark.parametrize("rules,text,found", [
    # rules.1 missed an e-mail address written in words and a date of birth after "b."
    ("rules.1", "Mum's email is jo.bloggs at gmail dot com now. K, b. 03/04/2016, is well.",
     ["jo.bloggs at gmail dot com", "03/04/2016"]),
    # rules.3 missed a year of birth and a date of birth in brackets after an initial
    ("rules.3", "Mother (born 1990) was present. K (03/04/2016) was seen alone.", ["1990", "03/04/2016"]),
    # rules.4 missed an adult's date of birth after a family tie and a Welsh date with an ordinal day
    ("rules.4", "Present: mum's partner (12/03/1990). Ganwyd K ar y 3ydd o Fai 2015.", ["12/03/1990", "3ydd o Fai 2015"]),
    # rules.5 missed a date of birth after "baby" with no "born", and after a family tie naming a field
    ("rules.5", "Mum and baby (12/06/2024) seen.\nFather: 12/03/1990", ["12/06/2024", "12/03/1990"]),
    # rules.6 missed a date of birth ending a line that was not the note's last
    ("rules.6", "Child K, 03/04/2016\nFather: 12/03/1990\r\nSeen at home.", ["03/04/2016", "12/03/1990"]),
    # rules.7 missed the next child's date of birth in a list of children under a heading
    ("rules.7", "Siblings: J, 03/04/2016\nK, 05/06/2018\nSeen at home.", ["03/04/2016", "05/06/2018"]),
])
def test_notes_scanned_by_the_rules_before_a_change_to_them_are_scanned_again(workspace, rules, text, found):
    # a workspace scanned by earlier rules is scanned again by the rules that find what they missed (RULES_VERSION
    # was raised with them)
    current = load_scanner()
    earlier = f"{current.model_version}+{rules}"
    mum = note("m", text)
    workspace.import_notes([mum], "notes.jsonl")
    record_scans(workspace, [mum], [[]], scanner_version=earlier)

    summary = scan_workspace(workspace, current)
    assert findings(workspace, "m") == [(value, None) for value in found]
    assert (summary.notes, summary.added) == (1, len(found))


def test_notes_scanned_by_another_scanner_version_are_scanned_again_keeping_resolutions(workspace):
    ids = scanned_by_the_old_scanner(workspace)
    assert findings(workspace, "e") == [("Emailed", None), ("07700 900123", "false_alarm")]

    summary = scan_workspace(workspace)
    # the same span and type keeps its resolution (the same finding, not a second one); a new one is unresolved;
    # an old one no longer found is gone from the list
    assert findings(workspace, "e") == [("Mark Davies", None), ("07700 900123", "false_alarm")]
    assert [f.id for f in workspace.pii_findings("e") if f.label == "PHONE"] == [ids["phone"]]
    # a redacted finding stays redacted (the value is gone); what the old scanner missed is found
    assert findings(workspace, "p") == [("[PERSON]", "redacted"), ("Tyler Evans", None)]
    assert workspace.pii_findings(finding_id=ids["sian"])[0].reviewer == "QA lead"
    assert findings(workspace, "v") == []
    assert workspace.pii_note_ids_with_unresolved() == ["e", "p"]
    assert workspace.pii_unscanned_note_ids() == []
    assert (summary.notes, summary.added, summary.superseded) == (3, 2, 2)

    assert scan_workspace(workspace).notes == 0  # once per scanner version
    assert len(workspace.pii_findings()) == 4


def test_a_workspace_this_scanner_has_all_scanned_is_checked_without_loading_it(workspace, monkeypatch):
    # the review app checks at every start, exports before writing: loading the recogniser to learn that no note
    # needs it delayed the first note shown
    from casereview.pii import scanner as scanner_module

    workspace.import_notes([EMAILED, PRESENT], "notes.jsonl")
    scan_workspace(workspace)
    monkeypatch.setattr(scanner_module, "_CACHE", {})  # no scanner loaded in this process yet
    assert scan_workspace(workspace).notes == 0
    assert scanner_module._CACHE == {}

    workspace.import_notes([VISITED], "notes.jsonl")  # a note never scanned: now the scanner is needed
    assert scan_workspace(workspace).notes == 1
    assert [s.version for s in scanner_module._CACHE.values()] == [scanner_module.shipped_scanner_version()]


def test_a_scan_cancelled_part_way_records_nothing_and_is_done_again_next_time(workspace):
    # the review app's scan in the background stops when the app does
    scanned_by_the_old_scanner(workspace)
    asked = []
    summary = scan_workspace(workspace, cancelled=lambda: bool(asked.append(1)) or len(asked) > 1)  # after a note
    assert (summary.notes, summary.added, summary.superseded) == (0, 0, 0) and len(asked) == 2
    assert findings(workspace, "e") == [("Emailed", None), ("07700 900123", "false_alarm")]
    assert len(workspace.pii_scanned_by_others(load_scanner().version)) == 3
    assert scan_workspace(workspace).notes == 3


def test_a_rescan_deletes_nothing_from_the_findings_or_their_resolutions(tmp_path):
    def rows(sql):
        with sqlite3.connect(tmp_path / "ws" / "workspace.db") as db:
            return db.execute(sql).fetchall()

    with Workspace.open(tmp_path / "ws") as ws:
        scanned_by_the_old_scanner(ws)
        before = rows("SELECT id FROM pii_findings ORDER BY id")
        resolutions = rows("SELECT * FROM pii_resolutions ORDER BY id")
        scan_workspace(ws)
    assert rows("SELECT * FROM pii_resolutions ORDER BY id") == resolutions
    after = rows("SELECT id, note_id, superseded_by FROM pii_findings ORDER BY id")
    assert [r[:1] for r in after][: len(before)] == before and len(after) == len(before) + 2
    version = load_scanner().version  # recorded as no longer found by this scanner, not deleted
    assert [(note_id, by) for _, note_id, by in after if by] == [("e", version), ("v", version)]


def test_an_old_unresolved_finding_the_new_scanner_does_not_raise_no_longer_blocks_an_export(workspace):
    scanned_by_the_old_scanner(workspace)
    with pytest.raises(PersonalDataError) as refused:
        check_exportable(workspace, "notes")  # rescans first
    assert refused.value.note_ids == ["e", "p"]  # not "v"


def test_pii_rescan_and_findings_commands_say_on_stderr_that_notes_are_scanned_again(tmp_path):
    folder = tmp_path / "ws"
    with Workspace.open(folder) as ws:
        ids = scanned_by_the_old_scanner(ws)
    done = run_cli("pii", "rescan", "-w", str(folder))
    said = " ".join(done.stderr.split())
    assert done.returncode == 0, done.stderr
    assert f"Scanning 3 notes again for personal data: last scanned by another scanner version ({OLD}), not this one" in said
    assert "2 new findings to resolve; 2 earlier findings no longer found" in said
    assert not any(secret in done.stderr + done.stdout for secret in ("Mark Davies", "Tyler Evans", "07700"))
    again = run_cli("pii", "rescan", "-w", str(folder))
    assert again.returncode == 0 and "Scanning" not in again.stderr and "0 notes scanned" in again.stderr

    other = tmp_path / "other"  # `pii findings` (and exports) scan again too
    with Workspace.open(other) as ws:
        scanned_by_the_old_scanner(ws)
    listing = run_cli("pii", "findings", "--json", "-w", str(other))
    assert listing.returncode == 1  # Mark Davies and Tyler Evans are unresolved
    assert "Scanning 3 notes again for personal data" in " ".join(listing.stderr.split())
    rows = [json.loads(line) for line in listing.stdout.splitlines()]
    assert [(r["note_id"], r["label"], r["resolution"]) for r in rows] == [
        ("e", "PERSON", None), ("e", "PHONE", "false_alarm"), ("p", "PERSON", "redacted"), ("p", "PERSON", None)]
    assert {r["id"] for r in rows} >= set(ids.values())


@pytest.mark.parametrize("processes", [0, 2])
def test_a_rescan_reads_a_date_after_a_parent_by_the_notes_date(workspace, processes):
    # rules.5 read the contact's date in a note of 20 June 2024 as mum's date of birth; a rescan (the review app's
    # scans in forked processes) knows the note's date, and a note with no date is read as of the day it is scanned
    # (mum's date an event's still; a review booked after the note's date, past by then, a child's date of birth)
    current = load_scanner()
    text = "Contact: mum (12/05/2024) cancelled. Review booked for K (15/07/2024). Next: J (03/04/2016) to be seen."
    dated, undated = note("d", text, date="2024-06-20"), note("u", text)
    workspace.import_notes([dated, undated], "notes.jsonl")
    record_scans(workspace, [dated, undated], [[], []], scanner_version=f"{current.model_version}+rules.4")

    scan_workspace(workspace, current, processes=processes)
    assert findings(workspace, "d") == [("03/04/2016", None)]
    assert findings(workspace, "u") == [("15/07/2024", None), ("03/04/2016", None)]
