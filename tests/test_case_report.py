"""One case file's findings (`report --case`): its notes in date order, each decided concern with its evidence quoted
after the personal-data check, suggestions no one decided apart, and a summary per label."""

from __future__ import annotations

import csv
import io
import stat
from dataclasses import replace

import pytest

from casereview import case_report, corpus, registry, report, tagging
from casereview.errors import CaseReviewError
from casereview.importer import read_notes
from casereview.notes import validate
from casereview.review import ReviewSession
from casereview.taxonomy import BY_NAME, POSITIVE_STATES
from casereview.workspace import QueueQuery, Workspace

from .conftest import run_cli
from .test_report import parse_html

CASE = "CW3-004"
NAME = "Karen Whitfield"  # put into note 05's supervision sentence: its quote must be held back
#: Two notes moved to note 05's day, with times, so that the day reads 06 (09:05), 05 (16:40), then 04 (no time);
#: the notes are imported newest first, so neither import order nor id order is the date order.
WHEN = {"CW3-004-04": ("2024-11-27", None), "CW3-004-05": ("2024-11-27", "16:40"),
        "CW3-004-06": ("2024-11-27", "09:05")}
DATE_ORDER = ["CW3-004-01", "CW3-004-02", "CW3-004-03", "CW3-004-06", "CW3-004-05", "CW3-004-04", "CW3-004-07",
              "CW3-004-08"]
UNREVIEWED = "CW3-004-08"  # left for later: its suggestions are not decided
DISPUTED = ("CW3-004-03", "family_support_drift")  # A. Inspector confirms it, B. Senior rejects it
UNSURE = (UNREVIEWED, "delay_timeliness")  # B. Senior marks it unsure: no side taken


def _case_records() -> list[dict]:
    records = [r for r in read_notes(corpus.default_corpus() / corpus.NOTES_FILE) if r.case_id == CASE]
    assert [r.note_id for r in records] == sorted(DATE_ORDER)
    raws = []
    for note in reversed(records):
        raw = {"note_id": note.note_id, "case_id": note.case_id, "date": note.date, "author_role": note.author_role,
               "note_type": note.note_type, "text": note.text}  # no labels: a reviewer decides them here
        if note.note_id in WHEN:
            raw["date"], time = WHEN[note.note_id]
            if time:
                raw["time"] = time
        if note.note_id == "CW3-004-05":
            raw["text"] = note.text.replace("Supervision on the 20th", f"Supervision with {NAME} on the 20th")
            assert raw["text"] != note.text
        raws.append(raw)
    return raws


@pytest.fixture(scope="module")
def case_ws(tmp_path_factory):
    """Case file CW3-004 of the sample corpus, tagged by the shipped model and decided in the review library by its
    gold labels, but for one note left unreviewed and one label disputed."""
    gold = {r.note_id: set(r.labels or []) for r in read_notes(corpus.default_corpus() / corpus.NOTES_FILE)
            if r.case_id == CASE}
    folder = tmp_path_factory.mktemp("case-report") / "ws"
    with Workspace.open(folder) as ws:
        ws.import_notes([validate(r, "case.jsonl", i) for i, r in enumerate(_case_records(), 1)], "case.jsonl")
        model, model_folder = registry.resolve(None, ws)
        tagging.tag(ws, model, model_folder)
        session = ReviewSession(ws, "A. Inspector", QueueQuery(case_id=CASE, order="date"))
        for note_id in DATE_ORDER:
            if note_id == UNREVIEWED:
                continue
            for name in sorted(gold[note_id]):
                session.decide(name, "confirmed", note_id)
            session.reject_undecided(note_id)
        senior = ReviewSession(ws, "B. Senior")
        senior.decide(DISPUTED[1], "rejected", DISPUTED[0])
        senior.decide(UNSURE[1], "unsure", UNSURE[0])
    with Workspace.open(folder) as ws:
        yield ws


def _rendered(data, fmt: str) -> str:
    out = io.StringIO()
    case_report.render(data, fmt, out)
    return out.getvalue()


def test_the_notes_are_in_the_workspaces_date_order_with_the_decided_concerns_of_each(case_ws):
    data = case_report.build(case_ws, CASE)
    assert data.case_id == CASE and data.model_version == case_ws.current_model_version()
    assert [n.note_id for n in data.notes] == DATE_ORDER == [n.note_id for n in case_ws.case_notes(CASE)]
    by_id = {n.note_id: n for n in data.notes}
    assert by_id["CW3-004-05"].when == "2024-11-27 16:40" and by_id["CW3-004-04"].when == "2024-11-27"
    assert (by_id["CW3-004-01"].author_role, by_id["CW3-004-01"].note_type) == ("social_worker", "assessment")
    final = case_ws.final_decisions()
    decided = {(f.note_id, f.label.name) for f in data.findings}
    assert decided == {(note_id, label) for note_id, labels in final.items() for label, d in labels.items()
                       if d.state in POSITIVE_STATES and (note_id, label) != DISPUTED}
    assert ("CW3-004-01", "risk_analysis_gap") in decided and ("CW3-004-05", "supervision_issue") in decided
    assert [f.note_id for f in data.findings] == sorted((f.note_id for f in data.findings), key=DATE_ORDER.index)
    assert all(f.reviewer == "A. Inspector" and f.state in POSITIVE_STATES for f in data.findings)
    assert data.reviewers == ("A. Inspector", "B. Senior")
    # a label's findings carry its codebook name, as the other reports show it
    assert all(f.label is BY_NAME[f.label.name] for f in data.findings)


def test_evidence_is_quoted_after_the_personal_data_check_and_a_sentence_with_a_name_is_held_back(case_ws):
    data = case_report.build(case_ws, CASE)
    assert data.quotes_checked
    check = report.personal_data_check()
    quoted = [q for f in data.findings for q in f.evidence if q.text is not None]
    assert quoted and not any(check(q.text, f.date) for f in data.findings for q in f.evidence if q.text)
    supervision = next(f for f in data.findings if (f.note_id, f.label.name) == ("CW3-004-05", "supervision_issue"))
    assert supervision.evidence and all(q.text is None and q.held_back for q in supervision.evidence)
    risk = next(f for f in data.findings if (f.note_id, f.label.name) == ("CW3-004-01", "risk_analysis_gap"))
    assert any("cannabis" in q.text for q in risk.evidence if q.text)
    for fmt in case_report.FORMATS:
        text = _rendered(data, fmt)
        assert NAME not in text and "Whitfield" not in text
        assert "held back" in text if fmt != "csv" else [r["held_back"] for r in csv.DictReader(io.StringIO(text))
                                                         if (r["note_id"], r["label"], r["section"])
                                                         == ("CW3-004-05", "supervision_issue", "concern")] \
            == [q.held_back for q in supervision.evidence]
        # the note text beyond the evidence is never printed: note 07 has no concern, note 05's last sentence none
        assert "hair strand test" not in text and "dry cereal" not in text
    unchecked = case_report.build(case_ws, CASE, check=None)
    assert not unchecked.quotes_checked and all(q.text is None for f in unchecked.findings for q in f.evidence)
    assert "cannabis" not in _rendered(unchecked, "md")


def test_suggestions_no_reviewer_decided_are_listed_apart_never_among_the_decided(case_ws):
    data = case_report.build(case_ws, CASE)
    assert UNREVIEWED not in {f.note_id for f in data.findings}
    apart = {(f.note_id, f.label.name): f.state for f in data.undecided}
    suggested = {name for name, p in case_ws.predictions(UNREVIEWED).items() if p.suggested}
    assert UNSURE[1] not in suggested and apart[UNSURE] == "unsure"
    assert suggested and {name for (note_id, name) in apart if note_id == UNREVIEWED} == suggested | {UNSURE[1]}
    assert all(apart[(UNREVIEWED, name)] == "not reviewed" for name in suggested)
    assert apart[DISPUTED] == "disputed" and DISPUTED not in {(f.note_id, f.label.name) for f in data.findings}
    markdown = _rendered(data, "md")
    decided_part, apart_part = markdown.split("## Suggested, not decided")
    assert UNREVIEWED not in decided_part.split("## Concerns decided")[1] and UNREVIEWED in apart_part
    rows = list(csv.DictReader(io.StringIO(_rendered(data, "csv"))))
    assert {r["note_id"] for r in rows if r["section"] == "concern"} & {UNREVIEWED} == set()
    assert {r["state"] for r in rows if r["section"] == "suggested_not_decided" and r["note_id"] == UNREVIEWED} == {
        "not reviewed", "unsure"}


def test_the_summary_gives_each_labels_notes_and_first_and_last_date(case_ws):
    data = case_report.build(case_ws, CASE)
    summary = {s.label.name: s for s in data.summaries}
    risk = [f for f in data.findings if f.label.name == "risk_analysis_gap"]
    assert summary["risk_analysis_gap"].notes == len({f.note_id for f in risk}) >= 1
    assert summary["risk_analysis_gap"].first == "2024-09-02" == risk[0].date
    assert summary["risk_analysis_gap"].last == risk[-1].date
    oversight = summary["management_oversight_missing"]
    assert oversight.undecided == 1  # note 08's suggestion, not reviewed: not among its notes
    assert all(s.notes == len({f.note_id for f in data.findings if f.label == s.label}) for s in data.summaries)
    line = next(line for line in data.summary_lines() if line.startswith(BY_NAME["risk_analysis_gap"].title))
    assert f"from {summary['risk_analysis_gap'].first} to {summary['risk_analysis_gap'].last}" in line


def test_an_unknown_case_file_is_an_error_naming_it(case_ws):
    with pytest.raises(CaseReviewError, match="NO-SUCH-CASE"):
        case_report.build(case_ws, "NO-SUCH-CASE")


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_report_case_command_writes_each_format(case_ws, tmp_path, fmt):
    out = tmp_path / f"case.{fmt}"
    done = run_cli("report", "--case", CASE, "-o", str(out), "-w", str(case_ws.path))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text(encoding="utf-8")
    assert NAME not in text and "dry cereal" not in text and case_ws.current_model_version() in text
    if fmt == "md":
        assert text.startswith(f"# Case file report: {CASE}")
        assert "## Summary by label" in text and "A. Inspector" in text
    elif fmt == "html":
        page = parse_html(text)
        assert page.count("script") == 0 and page.count("link") == 0 and "@media print" in text
        assert f"Case file report: {CASE}" in "".join(page.text)
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
        assert list(rows[0]) == list(case_report.CSV_COLUMNS)
        assert [r["note_id"] for r in rows if r["section"] == "note"] == DATE_ORDER
    to_stdout = run_cli("report", "--case", CASE, "--format", fmt, "-w", str(case_ws.path))
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert CASE in to_stdout.stdout and NAME not in to_stdout.stdout


def test_report_case_command_refuses_an_unknown_case_file_naming_it(case_ws):
    done = run_cli("report", "--case", "NO-SUCH-CASE", "-w", str(case_ws.path))
    assert done.returncode == 2 and "NO-SUCH-CASE" in done.stderr and done.stdout == ""
    both = run_cli("report", "--case", CASE, "--audit", "march-qa", "-w", str(case_ws.path))
    assert both.returncode == 2 and "--case" in both.stderr


def test_a_concern_coders_agreed_on_names_every_coder_who_decided_it_not_only_the_last_to_save(tmp_path):
    # double-coded in an audit, ann and bo both confirmed it: the report said "confirmed by bo" (who saved last), and
    # its "Decisions by" left ann out; an adjudication still names the adjudicator alone
    records = [{"note_id": f"n{i}", "text": "Home visit.", "case_id": "C1", "date": f"2024-01-0{i}"} for i in (1, 2)]
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([validate(r, "n.jsonl", i) for i, r in enumerate(records, 1)], "n.jsonl")
        for reviewer in ("ann", "bo"):
            ws.record_decision("n1", "delay_timeliness", "confirmed", reviewer)
            ws.record_decision("n2", "delay_timeliness", "confirmed" if reviewer == "ann" else "rejected", reviewer)
        ws.record_decision("n2", "recording_quality", "added", "cy")
        ws.record_decision("n2", "delay_timeliness", "confirmed", "S. Senior", kind="adjudication")
        data = case_report.build(ws, "C1", check=None)
    assert [(f.note_id, f.label.name, f.reviewer) for f in data.findings] == [
        ("n1", "delay_timeliness", "ann, bo"), ("n2", "delay_timeliness", "S. Senior"),
        ("n2", "recording_quality", "cy")]
    assert data.reviewers == ("S. Senior", "ann", "bo", "cy")
    assert "(note n1; confirmed by ann, bo)" in _rendered(data, "md")


def test_the_summarys_first_and_last_show_the_notes_time_of_day_where_they_have_one(case_ws):
    # the summary showed dates alone ("on 2024-11-27"), though note 05 was made at 16:40 and the notes table, the
    # concerns and the timeline show it; a day's untimed note comes after its timed ones, as the notes are read
    data = case_report.build(case_ws, CASE)
    summary = {s.label.name: s for s in data.summaries}
    delay, oversight = summary["delay_timeliness"], summary["management_oversight_missing"]
    assert (delay.first_when, delay.last_when) == ("2024-11-27 16:40", "2024-11-27 16:40")
    assert (oversight.first_when, oversight.last_when) == ("2024-11-27 16:40", "2024-11-27")  # notes 05, then 04
    assert summary["risk_analysis_gap"].first_when == "2024-09-02"  # no time: the date alone
    said = f"{BY_NAME['delay_timeliness'].title}: 1 note, on 2024-11-27 16:40; suggested, not decided, in 1 more note."
    assert said in data.summary_lines()
    assert said in _rendered(data, "md") and said in " ".join(parse_html(_rendered(data, "html")).text)
    rows = {r["label"]: r for r in csv.DictReader(io.StringIO(_rendered(data, "csv"))) if r["section"] == "summary"}
    assert [rows["management_oversight_missing"][k] for k in ("first_date", "first_time", "last_date", "last_time")] \
        == ["2024-11-27", "16:40", "2024-11-27", ""]


def test_a_case_report_names_its_workspace_and_how_far_its_decision_log_went(case_ws):
    data = case_report.build(case_ws, CASE, check=None)
    where, identity = str(case_ws.path.resolve()), case_ws.workspace_id
    assert (data.workspace, data.workspace_id, data.decision_log_position) == \
        (where, identity, case_ws.decision_log_position())
    said = f"workspace {where}, id {identity[:8]} (decision log to #{case_ws.decision_log_position()})"
    assert said in _rendered(data, "md") and said in " ".join(parse_html(_rendered(data, "html")).text)
    parameters = {r["measure"]: r["value"] for r in csv.DictReader(io.StringIO(_rendered(data, "csv")))
                  if r["section"] == "parameters"}
    assert (parameters["workspace"], parameters["workspace_id"], parameters["decision_log_position"]) == \
        (where, identity, str(data.decision_log_position))


def test_an_undated_note_reads_undated_in_the_markdown_as_in_the_html(tmp_path):
    # the HTML said "undated", the Markdown "–", as it writes a missing author role
    records = [{"note_id": "n1", "text": "Home visit.", "case_id": "C1"}]
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([validate(r, "n.jsonl", i) for i, r in enumerate(records, 1)], "n.jsonl")
        ws.record_decision("n1", "delay_timeliness", "added", "ann")
        data = case_report.build(ws, "C1", check=None)
    markdown = _rendered(data, "md")
    assert "| undated | n1 |" in markdown and "— undated, –, –" in markdown
    assert "undated" in " ".join(parse_html(_rendered(data, "html")).text)


def test_a_note_no_one_reviewed_reads_not_reviewed_not_as_a_note_found_with_no_concern(case_ws):
    # every note without a concern decided read "–": a case file of which an audit read 2 notes of 8 read as 8 notes
    # read, 6 with no concern, and "8 notes; 3 concerns decided" did not say how many were read
    data = case_report.build(case_ws, CASE, check=None)
    rows = {line.split(" | ")[1]: line.split(" | ")[-1].rstrip(" |") for line in _rendered(data, "md").splitlines()
            if line.startswith("| ") and "CW3-004-0" in line}
    assert rows[UNREVIEWED] == "not reviewed"  # marked unsure alone: no side taken on any label
    concerns = {f.note_id for f in data.findings}
    assert all(rows[n] == "no concern" for n in DATE_ORDER if n not in concerns | {UNREVIEWED})
    assert "–" not in rows.values() and concerns - {UNREVIEWED}
    # a note read in part: some labels decided (the disputed one is decided by no one until adjudicated), none a concern
    entry = next(n for n in data.notes if n.note_id == UNREVIEWED)
    assert data.without_concern(replace(entry, labels_decided=6)) == "no concern (6 of 7 labels decided)"
    assert "8 notes, 7 reviewed, 1 not reviewed; " in _rendered(data, "md")
    page = " ".join(" ".join(parse_html(_rendered(data, "html")).text).split())
    assert "8 notes, 7 reviewed, 1 not reviewed; " in page and "not reviewed" in page
    decided = {r["note_id"]: r["labels_decided"] for r in csv.DictReader(io.StringIO(_rendered(data, "csv")))
               if r["section"] == "note"}
    assert decided[UNREVIEWED] == "0" and decided[DISPUTED[0]] == "6"
    assert {decided[n] for n in DATE_ORDER if n not in (UNREVIEWED, DISPUTED[0])} == {"7"}
