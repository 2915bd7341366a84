"""Reports: figures (Wilson intervals, weights), and md / csv / HTML for an empty, a one-note and the full sample audit."""

from __future__ import annotations

import csv
import re
import io
import json
import shutil
import stat
import subprocess
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from casereview import case_report, corpus, registry, report, sampling, tagging
from casereview.adjudication import AdjudicationSession
from casereview.importer import read_notes
from casereview.notes import validate
from casereview.report import Rate, wilson
from casereview.sampling import SampleSpec
from casereview.taxonomy import LABEL_NAMES, LABELS
from casereview.workspace import Workspace

from .conftest import run_cli


def test_wilson_interval_worked_by_hand():
    # p = 0.5, n = 10, z = 1.96: centre 0.5, half-width 1.96 * sqrt(0.025 + 0.0096) / 1.3842 = 0.2634
    low, high = wilson(0.5, 10)
    assert (low, high) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
    assert wilson(0.0, 20)[0] == 0.0 and 0 < wilson(0.0, 20)[1] < 0.17


def test_weighted_rate_uses_the_effective_sample_size():
    equal = Rate.of([(True, 1.0)] * 3 + [(False, 1.0)] * 7)
    assert (equal.positives, equal.decided, equal.estimate) == (3, 10, pytest.approx(0.3))
    assert (equal.low, equal.high) == pytest.approx(wilson(0.3, 10))
    tilted = Rate.of([(True, 1.0)] * 5 + [(False, 4.0)] * 5)  # weights 1 and 4: Kish n = 25^2 / 85
    assert tilted.estimate == pytest.approx(5 / 25)
    assert (tilted.low, tilted.high) == pytest.approx(wilson(0.2, 625 / 85))
    assert Rate.of([]).estimate is None


class Page(HTMLParser):
    """The parts of a report page the tests check."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.svg_titles = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "title" and self.stack[-2:-1] == ["svg"]:  # a chart's own title, not a point's tooltip
            self.svg_titles += 1
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        self.text.append(data)

    def count(self, tag):
        return sum(1 for t, _ in self.tags if t == tag)


def parse_html(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def render(data, fmt: str) -> str:
    out = io.StringIO()
    report.render(data, fmt, out)
    return out.getvalue()


def check_html(text: str) -> Page:
    """A self-contained page with the three charts, each titled, and print styles."""
    page = parse_html(text)
    assert page.count("svg") == 3 and page.svg_titles == 3
    assert page.count("script") == 0 and page.count("link") == 0 and page.count("img") == 0
    assert not any(value and "//" in value for _, attrs in page.tags for key, value in attrs.items()
                   if key in ("src", "href"))
    assert "@media print" in text
    return page


def check_svgs_render(text: str, tmp_path) -> None:
    """Where librsvg is installed, each chart must render in a real SVG engine."""
    if shutil.which("rsvg-convert") is None:
        return
    import re

    for i, svg in enumerate(re.findall(r"<svg.*?</svg>", text, re.S)):
        path = tmp_path / f"chart{i}.svg"
        path.write_text(svg, encoding="utf-8")
        done = subprocess.run(["rsvg-convert", "-o", str(tmp_path / f"chart{i}.png"), str(path)], capture_output=True)
        assert done.returncode == 0, done.stderr


def check_csv(text: str) -> list[dict]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and list(rows[0]) == list(report.CSV_COLUMNS)
    rates = [r for r in rows if r["section"] == "rates" and r["measure"] == "rate"]
    assert {r["label"] for r in rates} == set(LABEL_NAMES)
    return rows


# -- small workspaces ------------------------------------------------------------------
@pytest.fixture
def small_ws(tmp_path):
    from casereview.notes import validate

    records = [
        {"note_id": "a1", "text": "Visit overdue as case unallocated since SW left.", "case_id": "A", "date": "2024-01-05",
         "author_role": "social_worker", "team": "north", "labels": ["delay_timeliness", "workforce_capacity"]},
        {"note_id": "a2", "text": "Home visit; child seen alone.", "case_id": "A", "date": "2024-02-05",
         "author_role": "social_worker", "team": "north", "labels": []},
        {"note_id": "b1", "text": "Case closed. No further action.", "case_id": "B", "date": "2024-02-07",
         "author_role": "student", "team": "south", "labels": ["management_oversight_missing"]},
    ]
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([validate(r, "small.jsonl", i) for i, r in enumerate(records, 1)], "small.jsonl")
        yield ws


def test_empty_audit_renders_in_every_format(small_ws, tmp_path):
    small_ws.create_audit("empty", {"seed": 0, "unit": "note", "command": "casereview sample --size 5 --seed 0"}, [])
    data = report.build(small_ws, "empty")
    assert data.notes == 0 and data.headlines() == [] and data.top_cases == []
    markdown = render(data, "md")
    assert "# Concern report: audit empty" in markdown and "No decisions yet" in markdown
    page = check_html(render(data, "html"))
    assert "No dated notes with decisions" in "".join(page.text)
    check_svgs_render(render(data, "html"), tmp_path)
    rows = check_csv(render(data, "csv"))
    assert all(r["of"] == "0" for r in rows if r["section"] == "rates")


def test_single_note_audit(small_ws, tmp_path):
    small_ws.create_audit("one", {"seed": 0, "unit": "note", "command": "casereview sample --size 1 --seed 0"},
                          [("b1", None, 1.0)])
    data = report.build(small_ws, "one")
    assert (data.notes, data.case_files, data.decided_notes) == (1, 1, 1)
    oversight = next(r for r in data.rates if r.label.name == "management_oversight_missing")
    assert (oversight.cases.positives, oversight.cases.decided, oversight.notes.estimate) == (1, 1, 1.0)
    assert data.headlines()[1] == "Management oversight missing: in the only note read (100%, 95% CI 21%–100%)."
    assert "casereview sample --size 1 --seed 0" in render(data, "md")
    html = render(data, "html")
    check_html(html)
    check_svgs_render(html, tmp_path)
    check_csv(render(data, "csv"))


def test_workspace_report_breaks_down_by_month_team_and_role(small_ws):
    data = report.build(small_ws)
    assert data.audit is None and data.scope == "the whole workspace"
    assert [g for g, _ in data.breakdowns["team"]] == ["north", "south"]
    assert [g for g, _ in data.breakdowns["month"]] == ["2024-01", "2024-02"]
    assert [g for g, _ in data.breakdowns["author_role"]] == ["social_worker", "student"]
    delay_by_team = {g: rates[LABEL_NAMES.index("delay_timeliness")] for g, rates in data.breakdowns["team"]}
    assert (delay_by_team["north"].positives, delay_by_team["north"].decided) == (1, 2)
    assert [c.case_id for c in data.top_cases] == ["A", "B"]  # A shows two labels, B one
    markdown = render(data, "md")
    assert "## By team" in markdown and "| north |" in markdown


# -- the full sample corpus ----------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_ws(tmp_path_factory):
    """The sample corpus with its gold labels as decisions, tagged by the shipped model."""
    folder = tmp_path_factory.mktemp("report") / "ws"
    with Workspace.open(folder) as ws:
        ws.import_notes(list(read_notes(corpus.default_corpus() / corpus.NOTES_FILE)), "notes.jsonl")
        model, model_folder = registry.resolve(None, ws)
        tagging.tag(ws, model, model_folder)
    with Workspace.open(folder) as ws:
        yield ws


@pytest.mark.slow  # 9 s alone (its fixture tags the whole sample corpus: the three tests using it are slow, so the default run never builds it): the default run keeps well under CI's 10 minutes; CI runs it
def test_full_sample_corpus_report(sample_ws, tmp_path):
    name, drawn = sampling.sample(sample_ws, SampleSpec(size=30, unit="case", stratify=("score-band",), seed=8,
                                                        oversample=2), "corpus-audit")
    records = corpus.load()
    # Quotes pass a personal-data check: here one that clears nothing mentioning "mum".
    data = report.build(sample_ws, name, check=lambda text, date: "mum" in text.lower())
    assert data.notes == len(drawn.items) and data.case_files == 30
    assert data.quotes and not any("mum" in q.text.lower() for q in data.quotes)
    assert all(len([q for q in data.quotes if q.label == label]) <= report.QUOTES_PER_LABEL for label in LABELS)
    gold = {r["note_id"]: set(r.get("labels") or []) for r in records}
    for q in data.quotes:
        assert q.label.name in gold[q.note_id]  # quoted only where a decision confirms the concern
    html = render(data, "html")
    page = check_html(html)
    assert data.model_version in "".join(page.text)
    assert drawn.params(name)["command"] in html
    check_svgs_render(html, tmp_path)
    markdown = render(data, "md")
    assert all(label.title in markdown for label in LABELS)
    rows = check_csv(render(data, "csv"))
    assert any(r["section"] == "breakdown" and r["dimension"] == "month" for r in rows)
    whole = report.build(sample_ws)  # the whole workspace: every weight 1, rates are k of n
    risk = whole.rates[0].notes
    assert risk.decided == len(records) and risk.positives == sum("risk_analysis_gap" in g for g in gold.values())


@pytest.mark.slow  # 9 s alone (its fixture tags the whole sample corpus: the three tests using it are slow, so the default run never builds it): the default run keeps well under CI's 10 minutes; CI runs it
def test_quotes_are_cleared_by_the_personal_data_scanner_or_withheld(sample_ws):
    scanner = report.personal_data_check()
    assert scanner is not None, "casereview.pii's scanner should load (its model is shipped)"
    assert scanner("Mum rang from 07700 900123.", None) and not scanner("Visit overdue as case unallocated.", None)
    checked = report.build(sample_ws)  # the default: the real scanner
    assert checked.quotes_checked and checked.quotes
    assert not any(scanner(q.text, q.date) for q in checked.quotes)
    unchecked = report.build(sample_ws, check=None)
    assert unchecked.quotes == [] and not unchecked.quotes_checked
    assert "Evidence quotes withheld" in render(unchecked, "md")


def test_the_quote_check_reads_a_sentence_by_its_notes_date_as_the_scanner_reads_the_note(small_ws):
    # The check scanned a quote's sentence with no date, so a date in brackets after a parent, which the scanner
    # reads by the note's date as an event's ("Core group: mum (10/06/2024)" in a note of 20 June 2024), held the
    # sentence back as a date of birth though the note's scan found none.
    from casereview.notes import validate
    from casereview.pii import load_scanner

    delay, sentence = "delay_timeliness", "Core group: mum (10/06/2024) absent, review for K (15/07/2024) delayed."
    small_ws.import_notes([validate({"note_id": "c1", "text": sentence, "case_id": "C", "date": "2024-06-20"},
                                    "new.jsonl", 1)], "new.jsonl")
    small_ws.store_predictions("v1", [{
        "note_id": "c1", "labels": [delay], "evidence": {delay: [{"start": 0, "end": len(sentence), "text": sentence}]},
        "thresholds": {n: 0.5 for n in LABEL_NAMES}, "scores": {n: 0.9 if n == delay else 0.1 for n in LABEL_NAMES}}])
    small_ws.record_decision("c1", delay, "confirmed", "ann", model_version="v1")
    assert load_scanner().scan(sentence, "2024-06-20") == []  # the note, as import and export scan it
    check = report.personal_data_check()
    # undated, read as of the day it is checked: K's date, past by then, may be K's birth's (mum's is still an event's)
    assert not check(sentence, "2024-06-20") and check(sentence, None)
    assert [q.text for q in report.build(small_ws).quotes] == [sentence]



def _confirmed_with_evidence(ws, note_id: str, text: str, sentence: str, date: str = "2024-06-20") -> None:
    """A note of ``text`` whose ``sentence`` is the evidence of a confirmed delay, as tagging and review store it."""
    from casereview.notes import validate

    delay, start = "delay_timeliness", text.index(sentence)
    ws.import_notes([validate({"note_id": note_id, "text": text, "case_id": "C", "date": date}, "new.jsonl", 1)],
                    "new.jsonl")
    ws.store_predictions("v1", [{
        "note_id": note_id, "labels": [delay],
        "evidence": {delay: [{"start": start, "end": start + len(sentence), "text": sentence}]},
        "thresholds": {n: 0.5 for n in LABEL_NAMES}, "scores": {n: 0.9 if n == delay else 0.1 for n in LABEL_NAMES}}])
    ws.record_decision(note_id, delay, "confirmed", "ann", model_version="v1")


#: Sentences that are clear alone and hold a date of birth in their note: under a list's "Siblings:" heading, and
#: after "born" on the line before (note id -> (note text, its evidence sentence)).
IN_CONTEXT = {
    "s1": ("Family composition.\nSiblings: J, 03/04/2016\nK, 05/06/2018, visit overdue by three weeks.\n",
           "K, 05/06/2018, visit overdue by three weeks."),
    "s2": ("Baby girl born\n18/05/2024, the discharge visit was held three weeks late.",
           "18/05/2024, the discharge visit was held three weeks late."),
}


def test_a_sentence_clear_alone_is_not_quoted_where_its_note_makes_a_date_in_it_a_date_of_birth(small_ws):
    # The check scanned a quote's sentence alone: "K, 05/06/2018" is a date of birth only under its list's
    # "Siblings:" heading, and a date only after "born" on the line before, so both were quoted, in the audit report
    # and in the case file's, though the note's own scan flags both dates.
    from casereview.pii import load_scanner

    scanner, check = load_scanner(), report.personal_data_check()
    for note_id, (text, sentence) in IN_CONTEXT.items():
        _confirmed_with_evidence(small_ws, note_id, text, sentence)
        assert not check(sentence, "2024-06-20")  # the sentence alone
        assert any(e.label == "DATE_OF_BIRTH" and text.index(sentence) <= e.start
                   for e in scanner.scan(text, "2024-06-20"))  # the note
    assert not any(q.note_id in IN_CONTEXT for q in report.build(small_ws).quotes)
    held = case_report.build(small_ws, "C").findings
    assert {f.note_id for f in held} == set(IN_CONTEXT)
    assert all(q.text is None and q.held_back for f in held for q in f.evidence)
    for fmt in report.FORMATS:
        out = io.StringIO()
        case_report.render(case_report.build(small_ws, "C"), fmt, out)
        shown = render(report.build(small_ws), fmt) + out.getvalue()
        assert "05/06/2018" not in shown and "18/05/2024" not in shown


def test_a_sentence_is_not_quoted_over_a_finding_the_workspace_holds_for_its_note(small_ws):
    # What an earlier scan of the note found (a scanner version since changed, the note not scanned again yet, or a
    # false alarm a reviewer marked) is note text the scanner flagged: a quote never shows it.
    from casereview.pii.findings import record_scans
    from casereview.pii.scanner import Entity

    text = "Wendy's plan was agreed. The review was held three weeks late at Brynheulog."
    _confirmed_with_evidence(small_ws, "w1", text, "The review was held three weeks late at Brynheulog.")
    assert [q.note_id for q in report.build(small_ws).quotes] == ["w1"]  # nothing found in it now
    place = text.index("Brynheulog")
    record_scans(small_ws, [small_ws.get_note("w1")], [[Entity(place, place + len("Brynheulog"), "ADDRESS", 0.6)]],
                 scanner_version="pii-earlier+rules.1")
    assert report.build(small_ws).quotes == []
    finding = small_ws.pii_findings("w1")[0]
    small_ws.resolve_pii_finding(finding.id, "false_alarm", "ann")
    assert report.build(small_ws).quotes == []


def test_a_quote_names_its_notes_time_where_the_note_has_one(small_ws):
    # quotes named the note's date alone, where the case report, the timeline and the review screen give its time
    from casereview.notes import validate

    delay, sentence = "delay_timeliness", "The review was held three weeks late."
    for note_id, when in (("t1", "2024-06-20T09:30"), ("d1", "2024-06-21")):
        small_ws.import_notes([validate({"note_id": note_id, "text": sentence.replace("three", note_id),
                                         "case_id": "C", "date": when}, "new.jsonl", 1)], "new.jsonl")
        text = sentence.replace("three", note_id)
        small_ws.store_predictions("v1", [{
            "note_id": note_id, "labels": [delay], "evidence": {delay: [{"start": 0, "end": len(text), "text": text}]},
            "thresholds": {n: 0.5 for n in LABEL_NAMES}, "scores": {n: 0.9 if n == delay else 0.1 for n in LABEL_NAMES}}])
        small_ws.record_decision(note_id, delay, "confirmed", "ann", model_version="v1")
    data = report.build(small_ws)
    assert {q.note_id: q.when for q in data.quotes} == {"t1": "2024-06-20 09:30", "d1": "2024-06-21"}
    assert "(note t1, case C, 2024-06-20 09:30)" in render(data, "md")
    assert "(note d1, case C, 2024-06-21)" in render(data, "md")
    assert "· case C · 2024-06-20 09:30</footer>" in render(data, "html")

@pytest.mark.slow  # 9 s alone (its fixture tags the whole sample corpus: the three tests using it are slow, so the default run never builds it): the default run keeps well under CI's 10 minutes; CI runs it
def test_report_command_writes_an_owner_only_file(sample_ws, tmp_path):
    out = tmp_path / "report.html"
    done = run_cli("report", "-o", str(out), "-w", str(sample_ws.path))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    check_html(out.read_text(encoding="utf-8"))
    assert run_cli("report", "--audit", "nope", "-w", str(sample_ws.path)).returncode == 2
    assert run_cli("report", "--format", "pdf", "-w", str(sample_ws.path)).returncode == 2


def test_the_report_command_names_its_output_file_as_written_not_as_markup(small_ws, tmp_path):
    # "md report written to QA  report.md": '[draft]' was read as a style and dropped, and '[/b]' closed no tag:
    # the report was written, then the message ended the command with a MarkupError's traceback (exit 1)
    (tmp_path / "QA [draft] [").mkdir()
    out = tmp_path / "QA [draft] [/b] report.md"
    done = run_cli("report", "-o", str(out), "-w", str(small_ws.path))
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"md report written to {out}\n"


def test_a_weighted_share_that_is_neither_none_nor_all_never_reads_0_or_100_percent(small_ws):
    # 14 of 15 case files with a concern read "(100%, 95% CI 72%-100%, weighted)": a letter quoting it says all
    # a1 (delay, workforce) is in a stratum of 1000, a2 (no concern) of 1: delay's weighted share is 1000/1001
    small_ws.create_audit("tilted", {"seed": 0, "unit": "note", "strata": [
        {"stratum": "a", "population": 1000, "sampled": 1, "weight": 1000.0},
        {"stratum": "b", "population": 1, "sampled": 1, "weight": 1.0}]}, [("a1", "a", 1000.0), ("a2", "b", 1.0)])
    data = report.build(small_ws, "tilted", check=None)
    delay = next(r for r in data.rates if r.label.name == "delay_timeliness")
    assert (delay.notes.positives, delay.notes.decided) == (1, 2) and delay.notes.estimate > 0.995
    assert "Delay: in 1 of the 2 notes read (>99%, 95% CI 21%–100%, weighted)." in data.headlines()
    assert "| 1/2 | >99% (21%–100%) |" in next(l for l in render(data, "md").splitlines() if l.startswith("| D Delay"))
    assert "| 1,000 | 1 | 1,000.00 |" in render(data, "md")  # a stratum's weight thousands apart, as its size is
    # and the other way: b1 (oversight) alone weighs 1 against a2's 1000
    small_ws.create_audit("other", {"seed": 0, "unit": "note", "strata": [
        {"stratum": "a", "population": 1000, "sampled": 1, "weight": 1000.0},
        {"stratum": "b", "population": 1, "sampled": 1, "weight": 1.0}]}, [("a2", "a", 1000.0), ("b1", "b", 1.0)])
    other = report.build(small_ws, "other", check=None)
    assert "Management oversight missing: in 1 of the 2 notes read (<1%, 95% CI 0%–79%, weighted)." in other.headlines()
    html = render(other, "html")
    assert "&lt;1%" in html and check_html(html)


def test_a_headline_of_a_concern_found_in_no_note_reads_as_plain_english(small_ws):
    # a one-note audit's report read "Risk not analysed: in 0 of 1 note read", and others "in 0 of the 30 notes read"
    small_ws.create_audit("one", {"seed": 0, "unit": "note"}, [("b1", None, 1.0)])
    small_ws.create_audit("two", {"seed": 0, "unit": "note"}, [("a1", None, 1.0), ("a2", None, 1.0)])
    said = {scope: {line.split(":")[0]: line for line in report.build(small_ws, scope, check=None).headlines()}
            for scope in ("one", "two", None)}
    assert said["one"]["Risk not analysed"] == "Risk not analysed: not in the only note read (0%, 95% CI 0%–79%)."
    assert said["two"]["Supervision issue"] == "Supervision issue: in neither of the 2 notes read (0%, 95% CI 0%–66%)."
    assert said[None]["Risk not analysed"] == \
        "Risk not analysed: in neither of the 2 case files read (0%, 95% CI 0%–66%)."  # read whole: case files
    assert said["two"]["Delay"].startswith("Delay: in 1 of the 2 notes read")  # some of a whole, as before
    for lines in said.values():
        assert not any(re.search(r"\b0 of\b", line) for line in lines.values()), lines


def test_report_to_a_file_named_for_another_format_is_refused_not_written_as_markdown(small_ws, tmp_path):
    # `report -o findings.pdf` wrote Markdown into findings.pdf (exit 0): a file no PDF reader opens
    for name in ("findings.pdf", "findings.docx", "findings.txt"):
        out = tmp_path / name
        done = run_cli("report", "-o", str(out), "-w", str(small_ws.path))
        assert done.returncode == 2, done.stderr
        assert not out.exists()
        assert done.stderr.startswith(f"error: {out}: ") and "--format" in done.stderr and ".html" in done.stderr
    # --format says what to write whatever the name; a name with no suffix is Markdown, as --help says
    given = tmp_path / "findings.txt"
    assert run_cli("report", "--format", "md", "-o", str(given), "-w", str(small_ws.path)).returncode == 0
    plain = tmp_path / "findings"
    assert run_cli("report", "-o", str(plain), "-w", str(small_ws.path)).returncode == 0
    assert given.read_text(encoding="utf-8").startswith("# Concern report")
    assert plain.read_text(encoding="utf-8").startswith("# Concern report")


def test_an_open_dispute_is_left_out_of_rates_and_labels_until_adjudicated(small_ws, tmp_path):
    # ann and bo disagree on delay in a2; whoever saved last must not decide the rate or the export
    small_ws.create_audit("qa", {"seed": 0, "unit": "note"}, [("a1", None, 1.0), ("a2", None, 1.0)])
    delay = "delay_timeliness"
    rates = {}
    for first, second in (("ann", "bo"), ("bo", "ann")):
        for reviewer, state in ((first, "added" if first == "ann" else "rejected"),
                                (second, "added" if second == "ann" else "rejected")):
            small_ws.record_decision("a2", delay, state, reviewer, audit="qa")
        data = report.build(small_ws, "qa", check=None)
        rates[first] = next(r.notes for r in data.rates if r.label.name == delay)
    assert rates["ann"] == rates["bo"]
    assert data.agreement.open_disputes == (("a2", delay),)
    assert (rates["ann"].positives, rates["ann"].decided) == (1, 1)  # a1's imported label only
    markdown = render(data, "md")
    assert "1 open dispute (labels the audit's coders decided differently, not yet adjudicated) is left out" in markdown
    exported = tmp_path / "labels.jsonl"
    assert run_cli("export", "labels", "-o", str(exported), "-w", str(small_ws.path)).returncode == 0
    a2 = next(json.loads(line) for line in exported.read_text().splitlines() if json.loads(line)["note_id"] == "a2")
    assert delay not in a2["labels"] and delay in a2["unreviewed"]
    AdjudicationSession(small_ws, "qa", "sam").settle(delay, True, note_id="a2")
    settled = report.build(small_ws, "qa", check=None)
    assert settled.agreement.open_disputes == ()
    assert [(r.notes.positives, r.notes.decided) for r in settled.rates if r.label.name == delay] == [(2, 2)]
    assert run_cli("export", "labels", "-o", str(exported), "-w", str(small_ws.path)).returncode == 0
    a2 = next(json.loads(line) for line in exported.read_text().splitlines() if json.loads(line)["note_id"] == "a2")
    assert delay in a2["labels"]


def test_agreement_with_one_reviewer_says_so_instead_of_an_empty_table(small_ws):
    small_ws.create_audit("solo", {"seed": 0, "unit": "note"}, [("a1", None, 1.0), ("a2", None, 1.0)])
    small_ws.record_decision("a2", "delay_timeliness", "rejected", "cy", audit="solo")
    data = report.build(small_ws, "solo", check=None)
    assert data.agreement.reviewers == ("cy",) and data.agreement.overall.pairs == ()
    markdown = render(data, "md")
    agreement = markdown[markdown.index("## Agreement"):markdown.index("## Method")]
    assert "Only one reviewer coded: no agreement between reviewers to report." in agreement
    assert "| label | pair |" not in agreement and "| cy | 0 |" in agreement  # (no model scores here)
    page = parse_html(render(data, "html"))
    text = " ".join(page.text)
    assert "Only one reviewer coded" in text
    html = render(data, "html")
    section = html[html.index('id="agreement"'):html.index('id="method"')]
    assert "<th scope=\"col\">kappa / alpha</th>" not in section


def test_disputes_say_whose_decisions_differ_and_what_export_and_retrain_hold_back(small_ws, tmp_path):
    # An audit's disputes are between its own coders; `export labels` and `retrain` also hold back a
    # coder overturning an imported label. A QA lead reading the audit report must learn of both.
    from casereview.notes import validate

    delay = "delay_timeliness"
    small_ws.import_notes([validate({"note_id": "c1", "text": "Visit overdue.", "case_id": "C"}, "new.jsonl", 1)],
                          "new.jsonl")
    small_ws.create_audit("qa", {"seed": 0, "unit": "note"}, [("a1", None, 1.0), ("a2", None, 1.0), ("c1", None, 1.0)])
    small_ws.record_decision("a1", delay, "rejected", "ann", audit="qa")  # overturns a1's imported label; single-coded
    for note_id in ("a2", "c1"):  # ann and bo dispute a2 (imported labels elsewhere) and c1 (no other decision)
        small_ws.record_decision(note_id, delay, "added", "ann", audit="qa")
        small_ws.record_decision(note_id, delay, "rejected", "bo", audit="qa")
    data = report.build(small_ws, "qa", check=None)
    assert data.agreement.open_disputes == (("a2", delay), ("c1", delay))
    # export and retrain hold back a2 and c1 too, and a1: decided here (rejected), against its imported label
    assert (data.held_back_by_export_and_retrain, data.held_back_beyond_open_disputes) == (3, 1)
    markdown, page = render(data, "md"), " ".join(parse_html(render(data, "html")).text)
    for text in (markdown, " ".join(page.split())):
        assert ("2 open disputes (labels the audit's coders decided differently, not yet adjudicated) "
                "are left out of the rates until adjudicated.") in text
        assert ("1 more label of these notes counts here as the audit decided it, but export labels and "
                "retrain hold it back as disputed until adjudicated: a coder's decision differs from an "
                "imported label or a review made outside the audit.") in text
        assert ("In all, export labels and retrain hold back 3 labels of these notes, those above, until adjudicated: "
                "settle them with casereview review --adjudicate-all.") in text
        assert "2 disputes open, 0 adjudicated" in text and "disagreement" not in text
    held_back = ("held_back_by_export_and_retrain", "all")
    assert {(r["measure"], r["label"]): r["count"] for r in check_csv(render(data, "csv"))}[held_back] == "3"
    whole = report.build(small_ws, check=None)  # the whole workspace: an imported label counts as a reviewer's
    assert len(whole.agreement.open_disputes) == 3
    assert (whole.held_back_by_export_and_retrain, whole.held_back_beyond_open_disputes) == (3, 0)
    assert "(labels reviewers decided differently, an imported label counting as a reviewer's" in render(whole, "md")
    for text in (render(whole, "md"), " ".join(" ".join(parse_html(render(whole, "html")).text).split())):
        # the same 3 labels, said once: two lines of them read as 6
        assert ("3 open disputes (labels reviewers decided differently, an imported label counting as a reviewer's, "
                "not yet adjudicated) are left out of the rates, and held back by export labels and retrain, until "
                "adjudicated: settle them with casereview review --adjudicate-all.") in text
        assert "Export labels and retrain hold back" not in text and "In all" not in text
        assert "more label of these notes" not in text and "more labels of these notes" not in text
    assert {(r["measure"], r["label"]): r["count"] for r in check_csv(render(whole, "csv"))}[held_back] == "3"
    table = run_cli("agreement", "--audit", "qa", "-w", str(small_ws.path), env={"COLUMNS": "80"})
    assert "open: labels the audit's coders decided differently, not yet adjudicated" in " ".join(table.stdout.split())
    exported = tmp_path / "labels.jsonl"
    done = run_cli("export", "labels", "-o", str(exported), "-w", str(small_ws.path))
    assert done.returncode == 0, done.stderr
    records = {r["note_id"]: r for r in map(json.loads, exported.read_text().splitlines())}
    assert "c1" not in records  # its only decisions are disputed: no decision to export
    assert delay in records["a1"]["unreviewed"] and delay in records["a2"]["unreviewed"]
    # a1's and a2's disputed labels are listed as unreviewed; c1 is left out with its one
    assert ("2 disputed labels listed as unreviewed (reviewers decided differently, an imported label counting "
            "as a reviewer's, and no one has adjudicated); 1 note left out, holding 1 more disputed label: "
            "every decision on it is disputed") in " ".join(done.stderr.split())


def test_an_audits_open_disputes_that_are_all_export_and_retrain_hold_back_are_said_once(small_ws):
    # "2 open disputes ... are left out of the rates" then "Export labels and retrain hold back 2 labels of these
    # notes ... Settle them with casereview review --adjudicate-all": the same 2 labels read as 4 more, and the audit's
    # own adjudication, which settles them, went unnamed
    delay = "delay_timeliness"
    small_ws.create_audit("march qa", {"seed": 0, "unit": "note"}, [("a2", None, 1.0), ("b1", None, 1.0)])
    for note_id, label in (("a2", delay), ("b1", "management_oversight_missing")):
        small_ws.record_decision(note_id, label, "added", "ann", audit="march qa")
        small_ws.record_decision(note_id, label, "rejected", "bo", audit="march qa")
    data = report.build(small_ws, "march qa", check=None)
    assert data.dispute_lines() == [
        "2 open disputes (labels the audit's coders decided differently, not yet adjudicated) are left out of the "
        "rates, and held back by export labels and retrain, until adjudicated: settle them with casereview review "
        "--adjudicate 'march qa'."]
    page = " ".join(" ".join(parse_html(render(data, "html")).text).split())
    for text in (" ".join(render(data, "md").replace("\\", "").split()), page):
        assert data.dispute_lines()[0] in text and "hold back" not in text


def test_labels_held_back_after_the_audits_own_disputes_are_settled_name_the_command_that_settles_them(small_ws):
    # "1 more label ... export labels and retrain hold it back" with the audit's own disputes settled: --adjudicate
    # AUDIT had nothing left to show, and the report did not say what would settle the rest
    delay = "delay_timeliness"
    small_ws.create_audit("qa", {"seed": 0, "unit": "note"}, [("a1", None, 1.0), ("a2", None, 1.0)])
    small_ws.record_decision("a1", delay, "rejected", "ann", audit="qa")  # overturns a1's imported label
    small_ws.record_decision("a2", delay, "added", "ann", audit="qa")
    small_ws.record_decision("a2", delay, "rejected", "bo", audit="qa")
    AdjudicationSession(small_ws, "qa", "sam").settle(delay, False, note_id="a2")
    data = report.build(small_ws, "qa", check=None)
    assert (len(data.agreement.open_disputes), data.held_back_by_export_and_retrain) == (0, 1)
    said = ("1 more label of these notes counts here as the audit decided it, but export labels and retrain hold it "
            "back as disputed until adjudicated: a coder's decision differs from an imported label or a review made "
            "outside the audit. Settle it with casereview review --adjudicate-all.")
    assert data.dispute_lines() == [said]  # one label, said once, with what settles it
    page = " ".join(" ".join(parse_html(render(data, "html")).text).split())
    for text in (" ".join(render(data, "md").replace("\\", "").split()), page):
        assert said in text


def test_a_weighted_audit_says_its_breakdown_rates_are_weighted_and_the_csv_counts_open_disputes(small_ws):
    # "18% (1/3)" under "concern notes / decided notes" read as a wrong sum; and a CSV reader
    # was not told that the rates leave open disputes out
    strata = [{"stratum": "x", "population": 10, "sampled": 2, "weight": 5.0},
              {"stratum": "y", "population": 1, "sampled": 1, "weight": 1.0}]
    small_ws.create_audit("w", {"seed": 0, "unit": "note", "strata": strata},
                          [("a1", "x", 5.0), ("a2", "x", 5.0), ("b1", "y", 1.0)])
    delay = "delay_timeliness"
    small_ws.record_decision("a2", delay, "added", "ann", audit="w")
    small_ws.record_decision("a2", delay, "rejected", "bo", audit="w")
    small_ws.record_decision("b1", "management_oversight_missing", "rejected", "ann", audit="w")  # overturns an import
    data = report.build(small_ws, "w", check=None)
    assert data.weighted
    team = dict(data.breakdowns["team"])["north"][LABEL_NAMES.index("workforce_capacity")]
    assert (team.positives, team.decided, team.estimate) == (1, 2, pytest.approx(0.5))
    assert ("Note rate, weighted by the sample's design (concern notes / decided notes beside it), and its 95% interval."
            in render(data, "md"))
    assert "Note rate, weighted by the sample's design" in " ".join(parse_html(render(data, "html")).text)
    rows = check_csv(render(data, "csv"))
    disputes = {(r["measure"], r["label"]): r["count"] for r in rows if r["section"] == "disputes"}
    assert disputes[("open", delay)] == "1" and disputes[("adjudicated", delay)] == "0"
    assert disputes[("open", "all")] == "1" and disputes[("held_back_by_export_and_retrain", "all")] == "2"
    unweighted = report.build(small_ws, check=None)
    assert "Note rate (concern notes / decided notes) and its 95% interval." in render(unweighted, "md")


def two_note_audit(folder):
    """A fresh workspace with audit qa of two notes, c1 and c2, that no import labelled: only coders decide them."""
    from casereview.notes import validate

    ws = Workspace.open(folder)
    ws.import_notes([validate({"note_id": n, "text": t, "case_id": "C"}, "new.jsonl", i)
                     for i, (n, t) in enumerate((("c1", "Visit overdue."), ("c2", "Visit late again.")), 1)],
                    "new.jsonl")
    ws.create_audit("qa", {"seed": 0, "unit": "note"}, [("c1", None, 1.0), ("c2", None, 1.0)])
    return ws


@pytest.mark.parametrize("other", ["added", "rejected"])
def test_a_label_one_coder_decides_and_another_marks_unsure_counts_the_same_whoever_saved_last(tmp_path, other):
    # ann decides delay on c1, bo marks it unsure: not a dispute ('unsure' takes no side), so it was never
    # adjudicated, and the report counted whichever coder saved last: ann's call, or nothing at all
    delay = "delay_timeliness"
    rates = {}
    for first in ("ann", "bo"):
        with two_note_audit(tmp_path / first) as ws:
            ws.record_decision("c2", delay, "rejected", "ann", audit="qa")
            states = {"ann": other, "bo": "unsure"}
            for reviewer in (first, *(r for r in states if r != first)):
                ws.record_decision("c1", delay, states[reviewer], reviewer, audit="qa")
        done = run_cli("report", "--audit", "qa", "--format", "csv", "-w", str(tmp_path / first))
        assert done.returncode == 0, done.stderr
        rows = check_csv(done.stdout)
        rates[first] = next((r["count"], r["of"], r["estimate"]) for r in rows if r["section"] == "rates"
                            and r["measure"] == "rate" and r["label"] == delay and r["unit"] == "note")
        disputes = {(r["measure"], r["label"]): r["count"] for r in rows if r["section"] == "disputes"}
        assert disputes[("open", delay)] == "0"
    assert rates["ann"] == rates["bo"]
    assert rates["bo"] == (("1", "2", "0.5") if other == "added" else ("0", "2", "0.0"))  # ann's call counts
    markdown = run_cli("report", "--audit", "qa", "--format", "md", "-w", str(tmp_path / "bo")).stdout
    assert "a label one coder decided and another marked unsure counts as decided" in " ".join(markdown.split())


def test_a_confirmed_concern_another_coder_marked_unsure_is_quoted_whoever_saved_last(tmp_path):
    # ann confirms delay on c1, bo marks it unsure: the report counts ann's confirmation whoever saved last, but
    # quoted its evidence only when ann saved last (the quotes read the latest decision, not the final one)
    from casereview.notes import validate

    delay, sentence = "delay_timeliness", "Visit overdue by three weeks."
    for order in (("ann", "bo"), ("bo", "ann")):
        folder = tmp_path / order[-1]
        with Workspace.open(folder) as ws:
            ws.import_notes([validate({"note_id": "c1", "text": sentence, "case_id": "C"}, "new.jsonl", 1)], "new.jsonl")
            ws.store_predictions("v1", [{
                "note_id": "c1", "labels": [delay], "evidence": {delay: [{"start": 0, "end": len(sentence), "text": sentence}]},
                "thresholds": {n: 0.5 for n in LABEL_NAMES}, "scores": {n: 0.9 if n == delay else 0.1 for n in LABEL_NAMES}}])
            states = {"ann": "confirmed", "bo": "unsure"}
            for reviewer in order:
                ws.record_decision("c1", delay, states[reviewer], reviewer, model_version="v1")
        done = run_cli("report", "--format", "md", "-w", str(folder))
        assert done.returncode == 0, done.stderr
        assert sentence in done.stdout, f"{order[-1]} saved last: not quoted"


def test_an_audits_rates_count_its_own_coders_decision_whoever_saved_last_in_another_audit(small_ws):
    # a2 is in two audits. ann added delay coding it in "qa"; later bo rejected it coding "other". The qa
    # report counted bo's rejection (the workspace's latest side) while saying the label counts "as the
    # audit decided it", and a quote of qa's concern went with it: qa's figures moved with another audit's work.
    from casereview.notes import validate

    delay, sentence = "delay_timeliness", "Visit overdue by three weeks."
    small_ws.import_notes([validate({"note_id": "d1", "text": sentence, "case_id": "D"}, "new.jsonl", 1)], "new.jsonl")
    small_ws.store_predictions("v1", [{
        "note_id": "d1", "labels": [delay], "evidence": {delay: [{"start": 0, "end": len(sentence), "text": sentence}]},
        "thresholds": {n: 0.5 for n in LABEL_NAMES}, "scores": {n: 0.9 if n == delay else 0.1 for n in LABEL_NAMES}}])
    small_ws.create_audit("qa", {"seed": 0, "unit": "note"}, [("a2", None, 1.0), ("d1", None, 1.0)])
    small_ws.create_audit("other", {"seed": 0, "unit": "note"}, [("a2", None, 1.0), ("d1", None, 1.0)])
    small_ws.record_decision("a2", delay, "added", "ann", audit="qa")
    small_ws.record_decision("d1", delay, "confirmed", "ann", audit="qa", model_version="v1")
    small_ws.record_decision("a2", delay, "rejected", "bo", audit="other")
    small_ws.record_decision("d1", delay, "rejected", "bo", audit="other", model_version="v1")
    data = report.build(small_ws, "qa", check=lambda text, date: False)
    assert data.agreement.open_disputes == ()
    assert [(r.notes.positives, r.notes.decided) for r in data.rates if r.label.name == delay] == [(2, 2)]
    assert [q.note_id for q in data.quotes] == ["d1"]
    assert (data.held_back_by_export_and_retrain, data.held_back_beyond_open_disputes) == (2, 2)
    other = report.build(small_ws, "other", check=lambda text, date: False)  # and the other audit its own
    assert [(r.notes.positives, r.notes.decided) for r in other.rates if r.label.name == delay] == [(0, 2)]
    assert other.quotes == []
    # a label no coder of the audit took a side on still counts as the workspace decided it (a2's imported
    # labels: "a2" was imported with none, so every other label is rejected)
    assert [(r.notes.positives, r.notes.decided) for r in data.rates if r.label.name == "supervision_issue"] == [(0, 1)]


def test_a_note_sample_reports_notes_and_says_which_strata_it_leaves_unrepresented(small_ws):
    # A sample of notes read one or two notes of each case file, yet its headlines said "in 1 of the 2 case
    # files read", and nothing told the inspector that strata drawing no note (here 7 notes of 10) are not
    # represented by the weighted rates at all: "drawn from 10 units" read as a rate for all ten.
    strata = [{"stratum": "month=2024-01", "population": 2, "sampled": 2, "weight": 1.0},
              {"stratum": "month=2024-02", "population": 7, "sampled": 0, "weight": None},
              {"stratum": "month=2024-03", "population": 1, "sampled": 1, "weight": 1.0}]
    params = {"seed": 3, "unit": "note", "size": 3, "stratify": ["month"], "frame_units": 10, "strata": strata,
              "oversample": 2.0, "command": "casereview sample --size 3 --by note --seed 3 --stratify month"}
    small_ws.create_audit("notes", params, [("a1", "month=2024-01", 1.0), ("a2", "month=2024-01", 1.0),
                                            ("b1", "month=2024-03", 1.0)])
    data = report.build(small_ws, "notes", check=None)
    assert data.headlines()[1] == "Management oversight missing: in 1 of the 3 notes read (33%, 95% CI 6%–79%)."
    limits = ("Sample: 3 of 10 notes by month, flagged x2, seed 3. 7 of the 10 notes are in 1 stratum from which "
              "nothing was drawn: the rates describe the other 3 notes only. Notes were sampled, not whole case files: "
              "a case file's figures are from its notes that were read.")
    for text in (render(data, "md"), " ".join(parse_html(render(data, "html")).text)):
        assert limits in " ".join(text.split())
    assert "drawn from 10 units" not in render(data, "md")


def test_a_case_file_sample_names_its_unrepresented_units_case_files(small_ws):
    # sampling.describe said "cases" where the report and CLI say case files; the limits sentence beside it did too
    strata = [{"stratum": "team=A", "population": 2, "sampled": 1, "weight": 2.0},
              {"stratum": "team=B", "population": 3, "sampled": 0, "weight": None}]
    params = {"seed": 3, "unit": "case", "size": 1, "stratify": ["team"], "frame_units": 5, "strata": strata,
              "oversample": 1.0, "command": "casereview sample --size 1 --by case --seed 3 --stratify team"}
    small_ws.create_audit("files", params, [("a1", "team=A", 2.0), ("a2", "team=A", 2.0)])
    assert report.build(small_ws, "files", check=None).sample_design() == (
        "Sample: 1 of 5 case files by team, seed 3. 3 of the 5 case files are in 1 stratum from which nothing was "
        "drawn: the rates describe the other 2 case files only.")


def test_a_label_no_coder_of_the_audit_decided_that_is_disputed_elsewhere_is_left_out_not_counted_by_order(small_ws):
    # d1 is in two audits. qa's coder decided delay only; in "other", bo added supervision_issue and cy rejected it
    # (an open dispute there). qa's report counted supervision_issue as whichever of them saved last, moving qa's
    # rate with the order of another audit's coding, and said it counted "as the audit decided it".
    from casereview.notes import validate

    delay, other_label = "delay_timeliness", "supervision_issue"
    small_ws.import_notes([validate({"note_id": "d1", "text": "Visit made.", "case_id": "D"}, "new.jsonl", 1)],
                          "new.jsonl")
    small_ws.create_audit("qa", {"seed": 0, "unit": "note"}, [("d1", None, 1.0)])
    small_ws.create_audit("other", {"seed": 0, "unit": "note"}, [("d1", None, 1.0)])
    small_ws.record_decision("d1", delay, "added", "ann", audit="qa")
    small_ws.record_decision("d1", other_label, "rejected", "cy", audit="other")
    small_ws.record_decision("d1", other_label, "added", "bo", audit="other")  # saved last: the view's latest side
    data = report.build(small_ws, "qa", check=None)
    assert [(r.notes.positives, r.notes.decided) for r in data.rates if r.label.name == other_label] == [(0, 0)]
    assert [(r.notes.positives, r.notes.decided) for r in data.rates if r.label.name == delay] == [(1, 1)]
    assert (data.held_back_by_export_and_retrain, data.held_back_beyond_open_disputes) == (1, 0)
    said = " ".join(data.dispute_lines())
    assert "as the audit decided" not in said, said
    assert ("1 label of these notes that no coder of the audit took a side on is disputed outside it (reviewers "
            "decided it differently, not yet adjudicated): left out of the rates until adjudicated.") in said, said
    assert small_ws.final_decisions(audit="qa") == {"d1": {delay: small_ws.final_decisions("d1")["d1"][delay]}}


def test_a_case_file_sample_within_dates_says_its_case_files_were_read_only_in_that_range(small_ws, tmp_path):
    # sample --by case --from/--to takes only each case file's notes dated in the range (case A's a1, of January,
    # is not in the audit), yet every format's headline spoke of "the 2 case files read" as if read whole
    ws = str(small_ws.path)
    drawn = run_cli("sample", "--size", "5", "--by", "case", "--from", "2024-02-01", "--to", "2024-03-31", "--seed", "1",
                    "--name", "feb", "-w", ws)
    assert drawn.returncode == 0, drawn.stderr
    assert {i.note_id for i in small_ws.audit_items("feb")} == {"a2", "b1"}
    headline = ("Management oversight missing: in 1 of the 2 case files (notes from 2024-02-01 to 2024-03-31) read "
                "(50%, 95% CI 9%–91%).")
    design = ("Case files were read only in their notes from 2024-02-01 to 2024-03-31: a case file's figures are from "
              "those notes.")
    texts = {}
    for fmt in report.FORMATS:
        done = run_cli("report", "--audit", "feb", "--format", fmt, "-w", ws)
        assert done.returncode == 0, done.stderr
        texts[fmt] = " ".join(parse_html(done.stdout).text) if fmt == "html" else done.stdout
    for fmt in ("md", "html"):
        text = " ".join(texts[fmt].split())
        assert headline in text and design in text, fmt
        assert "case files read" not in text, fmt
    parameters = {r["measure"]: r["value"] for r in check_csv(texts["csv"]) if r["section"] == "parameters"}
    assert (parameters["date_from"], parameters["date_to"]) == ("2024-02-01", "2024-03-31")
    # one end open; and where nothing was cut the case files are read whole, as notes always are
    assert sampling.notes_dated({"date_from": "2024-02-01"}) == "notes from 2024-02-01 on"
    assert sampling.notes_dated({"date_to": "2024-03-31"}) == "notes up to 2024-03-31"
    assert sampling.notes_dated({}) is None
    for args in (("--by", "case"), ("--by", "note", "--from", "2024-02-01")):
        name = "whole" if args[1] == "case" else "notes"
        assert run_cli("sample", "--size", "5", *args, "--seed", "1", "--name", name, "-w", ws).returncode == 0
        data = report.build(small_ws, name, check=None)
        assert any(f"of the 2 {args[1]}{'s' if args[1] == 'note' else ' files'} read (" in h for h in data.headlines())
        assert "read only in their notes" not in data.sample_design()


def test_the_csv_markdown_and_html_reports_of_one_audit_carry_the_same_figures(small_ws):
    # The CSV left out figures the Markdown and HTML state: "1 more label ... counts here as the audit decided it",
    # how many notes and case files were read and decided, how many notes were double-coded, the sample's strata
    # (and so how many units sit in strata that drew none) and how it was drawn; the Markdown left out the frame hash
    from casereview.notes import validate

    delay, supervision = "delay_timeliness", "supervision_issue"
    small_ws.import_notes([validate({"note_id": n, "text": t, "case_id": c}, "new.jsonl", i) for i, (n, t, c)
                           in enumerate((("c1", "Visit overdue.", "C"), ("d1", "Visit made.", "D")), 1)], "new.jsonl")
    strata = [{"stratum": "team=north", "population": 4, "sampled": 2, "weight": 2.0},
              {"stratum": "team=none", "population": 1, "sampled": 1, "weight": 1.0},
              {"stratum": "team=south", "population": 3, "sampled": 0, "weight": None},
              {"stratum": "team=west", "population": 1, "sampled": 1, "weight": 1.0}]
    params = {"size": 4, "unit": "note", "stratify": ["team"], "seed": 5, "date_from": "2024-01-01", "date_to": None,
              "oversample": 2.0, "hide_model": True, "frame_units": 9, "frame_hash": "0123456789abcdef" * 4,
              "strata": strata, "command": "casereview sample --size 4 --by note --seed 5 --stratify team --from "
                                           "2024-01-01 --oversample-flagged 2 --hide-model --name qa"}
    small_ws.create_audit("qa", params, [("a1", "team=north", 2.0), ("a2", "team=north", 2.0), ("c1", "team=none", 1.0),
                                         ("d1", "team=west", 1.0)])
    small_ws.create_audit("other", {"seed": 0, "unit": "note"}, [("d1", None, 1.0)])
    small_ws.record_decision("a1", delay, "rejected", "ann", audit="qa")  # overturns its imported label
    for note_id in ("a2", "c1"):  # open disputes between the audit's coders
        small_ws.record_decision(note_id, delay, "added", "ann", audit="qa")
        small_ws.record_decision(note_id, delay, "rejected", "bo", audit="qa")
    small_ws.record_decision("d1", delay, "added", "ann", audit="qa")
    small_ws.record_decision("d1", supervision, "rejected", "cy", audit="other")  # disputed outside the audit
    small_ws.record_decision("d1", supervision, "added", "bo", audit="other")
    data = report.build(small_ws, "qa", check=None)
    figures = (data.notes, data.case_files, data.decided_notes, len(data.agreement.open_disputes),
               data.held_back_beyond_open_disputes, data.disputed_outside_audit, data.held_back_by_export_and_retrain,
               data.agreement.double_coded_notes, data.agreement.overall.adjudicated)
    assert figures == (4, 3, 3, 2, 1, 1, 4, 2, 0)  # each figure below is one the audit has

    rows = check_csv(render(data, "csv"))
    csv_counts = {(r["section"], r["measure"], r["label"], r["group"]): r["count"] for r in rows}
    assert [csv_counts[key] for key in (
        ("coverage", "notes", "", ""), ("coverage", "case_files", "", ""), ("coverage", "decided_notes", "", ""),
        ("disputes", "open", "all", ""), ("disputes", "held_back_counted_as_audit_decided", "all", ""),
        ("disputes", "disputed_outside_audit", "all", ""), ("disputes", "held_back_by_export_and_retrain", "all", ""),
        ("agreement", "double_coded_notes", "all", ""), ("disputes", "adjudicated", "all", ""))] == list(map(str, figures))
    sampled = {r["group"]: (r["count"], r["of"]) for r in rows if (r["section"], r["measure"]) == ("sample_strata", "sampled")}
    weights = {r["group"]: r["estimate"] for r in rows if (r["section"], r["measure"]) == ("sample_strata", "weight")}
    assert sampled == {s["stratum"]: (str(s["sampled"]), str(s["population"])) for s in strata}
    assert weights == {"team=north": "2.0", "team=none": "1.0", "team=south": "", "team=west": "1.0"}
    parameters = {r["measure"]: r["value"] for r in rows if r["section"] == "parameters"}
    assert {k: parameters[k] for k in ("size", "unit", "stratify", "date_from", "date_to", "oversample", "hide_model",
                                       "seed", "frame_units", "frame_hash")} == {
        "size": "4", "unit": "note", "stratify": "team", "date_from": "2024-01-01", "date_to": "", "oversample": "2.0",
        "hide_model": "True", "seed": "5", "frame_units": "9", "frame_hash": params["frame_hash"]}

    said = ("4 notes in 3 case files; 3 notes with at least one decision.",
            "2 open disputes (labels the audit's coders decided differently, not yet adjudicated) are left out",
            "1 more label of these notes counts here as the audit decided it",
            "1 label of these notes that no coder of the audit took a side on is disputed outside it",
            "In all, export labels and retrain hold back 4 labels of these notes",
            "2 notes coded by two or more; 2 disputes open, 0 adjudicated.",
            "Sample: 4 of 9 notes by team, 2024-01-01 to …, flagged x2, model hidden, seed 5. 3 of the 9 notes are in "
            "1 stratum from which nothing was drawn",
            "Frame hash 0123456789ab")
    markdown = render(data, "md")
    page = parse_html(render(data, "html"))
    for fmt, text in (("md", " ".join(markdown.replace("`", "").split())), ("html", " ".join(" ".join(page.text).split()))):
        missing = [line for line in said if line not in text]
        assert not missing, (fmt, missing)
    for s in strata:
        weight = "–" if s["weight"] is None else f"{s['weight']:.2f}"
        shown = report.stratum_words(s["stratum"])  # "team=north" as "team: north"
        assert f"| {shown} | {s['population']} | {s['sampled']} | {weight} |" in markdown
        assert f"{shown} {s['population']} {s['sampled']} {weight}" in " ".join(" ".join(page.text).split())


# -- what a figure is of --------------------------------------------------------------------------------------
def _add_notes(ws, records):
    from casereview.notes import validate

    ws.import_notes([validate(r, "more.jsonl", i) for i, r in enumerate(records, 1)], "more.jsonl")


def _suggest(ws, suggestions: dict[str, list[str]]) -> None:
    """The current model's suggestions on these notes (every label scored; the ones named suggested)."""
    ws.store_predictions("m1", [{"note_id": note_id, "labels": labels, "evidence": {},
                                 "scores": {n: 0.9 if n in labels else 0.1 for n in LABEL_NAMES},
                                 "thresholds": dict.fromkeys(LABEL_NAMES, 0.5)}
                                for note_id, labels in suggestions.items()])


def test_case_files_read_in_part_are_said_to_be_and_the_headlines_are_then_note_rates(small_ws):
    # a case file one note of which a reviewer decided counted as a case file "read": the whole workspace's report,
    # where reviewers work through a queue of notes from many case files, read "Delay: in 1 of the 3 case files read
    # (33%)" though no case file of C's and D's four notes had been read but one note each
    _add_notes(small_ws, [{"note_id": n, "text": "Home visit.", "case_id": n[0].upper(), "date": "2024-02-10"}
                          for n in ("c1", "c2", "c3", "d1")])
    small_ws.record_decision("c1", "delay_timeliness", "confirmed", "ann")
    data = report.build(small_ws, check=None)
    assert data.case_files_read_in_part == 1  # C: c2, c3 not decided; D: no decision, not counted
    delay = next(r for r in data.rates if r.label.name == "delay_timeliness")
    assert (delay.cases.positives, delay.cases.decided) == (2, 3)
    assert "Delay: in 2 of the 4 notes read (50%, 95% CI 15%–85%)." in data.headlines()
    said = ("1 of the 3 case files with a decision was read in part (it has a note with no decision): the headline "
            "figures are note rates, and a case file's figures count only its decided notes.")
    assert said in render(data, "md") and said in " ".join(" ".join(parse_html(render(data, "html")).text).split())
    rows = check_csv(render(data, "csv"))
    assert {(r["measure"], r["count"]) for r in rows if r["section"] == "coverage"} >= {("case_files_read_in_part", "1")}
    for note_id in ("c2", "c3"):  # C read whole: case files again
        small_ws.record_decision(note_id, "delay_timeliness", "rejected", "ann")
    whole = report.build(small_ws, check=None)
    assert whole.case_files_read_in_part == 0 and "Delay: in 2 of the 3 case files read (67%, 95% CI 21%–94%)." \
        in whole.headlines() and "read in part" not in render(whole, "md")


def test_counts_of_a_whole_read_well_for_one_both_and_all_in_every_form(tmp_path):
    # "1 of the 1 case file with a decision was read in part (a note of it has no decision)" and "Delay: in 1 of the
    # 1 note read": a count of a whole already named, written as no board reader writes it
    with Workspace.open(tmp_path / "one") as one:  # the only case file, read in part
        _add_notes(one, [{"note_id": n, "text": "Home visit.", "case_id": n[0].upper(), "date": "2024-02-10"}
                         for n in ("c1", "c2", "d1")])
        one.record_decision("c1", "delay_timeliness", "confirmed", "ann")
        data = report.build(one, check=None)
        said = "The only case file with a decision was read in part (it has a note with no decision): the headline"
        assert data.read_in_part_line().startswith(said)
        assert "Delay: in the only note read (100%, 95% CI 21%–100%)." in data.headlines()
        for fmt in ("md", "html"):
            assert said in " ".join(render(data, fmt).split()) and "of the 1 " not in render(data, fmt)
        for note_id in ("c2", "d1"):
            one.record_decision(note_id, "delay_timeliness", "confirmed", "ann")
        assert "Delay: in both case files read (100%, 95% CI 34%–100%)." in report.build(one, check=None).headlines()


def test_a_notes_quote_is_its_strongest_evidence_sentence_not_its_first(small_ws):
    # a note's evidence for Supervision issue was "Case:" (a heading, 0.944) and "No supervision is recorded on this
    # file since ..." (0.999): the report quoted the heading, the first in the note, to a board as the evidence
    text = "Case:\nNo supervision is recorded on this file since the case was allocated."
    _add_notes(small_ws, [{"note_id": "s1", "text": text, "case_id": "S", "date": "2024-03-01",
                           "labels": ["supervision_issue"]}])
    spans = [{"start": 0, "end": 5, "text": "Case:", "score": 0.944},
             {"start": 6, "end": len(text), "text": text[6:], "score": 0.999}]
    small_ws.store_predictions("m1", [{"note_id": "s1", "labels": ["supervision_issue"],
                                       "evidence": {"supervision_issue": spans},
                                       "scores": {n: 0.9 if n == "supervision_issue" else 0.1 for n in LABEL_NAMES},
                                       "thresholds": dict.fromkeys(LABEL_NAMES, 0.5)}])
    visit = "Visit overdue as case unallocated since SW left."  # a1: delay (and workforce), imported
    small_ws.store_predictions("m1", [{"note_id": "a1", "labels": ["delay_timeliness"],
                                       "evidence": {"delay_timeliness": [{"start": 0, "end": len(visit), "text": visit,
                                                                          "score": 0.9}]},
                                       "scores": dict.fromkeys(LABEL_NAMES, 0.9),
                                       "thresholds": dict.fromkeys(LABEL_NAMES, 0.5)}])
    data = report.build(small_ws, check=lambda text, date: False)
    assert [q.text for q in data.quotes if q.note_id == "s1"] == [text[6:]]
    # in the codebook's order, as every table of the report lists the labels (not by their names: D F M Q R S W)
    assert [q.label.name for q in data.quotes] == ["supervision_issue", "delay_timeliness"]


def test_the_method_says_why_a_high_agreement_can_have_a_kappa_near_0(small_ws):
    # "Family support drift | ann ~ bo | 20 | 95% | 0.00": read by a board as the coders agreeing on nothing
    data = report.build(small_ws, check=None)
    page = " ".join(" ".join(parse_html(render(data, "html")).text).split())
    for text in (" ".join(render(data, "md").split()), page):
        assert "on a label coders rarely mark, agreement can be high and kappa near 0 or below" in text


def test_the_rate_charts_model_mark_is_of_the_same_units_as_its_bar(small_ws):
    # the chart drew, on a bar of case files with the concern, a mark at the share of NOTES the model suggests it on
    # (here 1 of 3 notes, 33%, against 1 of 2 case files, 50%): the model looked a third lower than it is
    _suggest(small_ws, {"a1": ["delay_timeliness"], "a2": [], "b1": []})
    data = report.build(small_ws, check=None)
    delay = next(r for r in data.rates if r.label.name == "delay_timeliness")
    assert data.headline_rate(delay)[1] == "case files"
    assert (delay.suggested.positives, delay.suggested.decided) == (1, 3)
    assert (delay.suggested_cases.positives, delay.suggested_cases.decided) == (1, 2)
    label, bar, mark = next(row for row in report.rate_chart_rows(data) if row[0].name == "delay_timeliness")
    assert bar is delay.cases and mark is delay.suggested_cases
    line = next(line for line in render(data, "md").splitlines() if line.startswith("| D Delay"))
    assert line.split("|")[4].strip() == "50%" and line.split("|")[7].strip() == "33%"  # case files', notes'
    rows = check_csv(render(data, "csv"))
    suggested = {r["unit"]: (r["count"], r["of"]) for r in rows
                 if r["measure"] == "model_suggested" and r["label"] == "delay_timeliness"}
    assert suggested == {"case_file": ("1", "2"), "note": ("1", "3")}


def test_the_models_share_is_over_the_same_decided_notes_as_the_rate_beside_it(small_ws):
    # across the workspace, "model suggests" was over every scored note, decided or not, beside a concern rate over the
    # decided ones: C's two notes, which no one read, lifted the model's share of notes from 1 in 3 to 3 in 5 and its
    # share of case files from 1 in 2 to 2 in 3, so the model looked to flag far more than reviewers found
    _add_notes(small_ws, [{"note_id": n, "text": "Home visit.", "case_id": "C", "date": "2024-02-10"} for n in ("c1", "c2")])
    _suggest(small_ws, {"a1": ["delay_timeliness"], "a2": [], "b1": [], "c1": ["delay_timeliness"],
                        "c2": ["delay_timeliness"]})
    data = report.build(small_ws, check=None)
    delay = next(r for r in data.rates if r.label.name == "delay_timeliness")
    assert (delay.notes.positives, delay.notes.decided) == (1, 3)
    assert (delay.suggested.positives, delay.suggested.decided) == (1, 3)
    assert (delay.suggested_cases.positives, delay.suggested_cases.decided) == (1, 2)
    line = next(line for line in render(data, "md").splitlines() if line.startswith("| D Delay"))
    assert line.split("|")[4].strip() == "50%" and line.split("|")[7].strip() == "33%"
    rows = check_csv(render(data, "csv"))
    measures = {(r["measure"], r["unit"]): (r["count"], r["of"]) for r in rows
                if r["section"] == "rates" and r["label"] == "delay_timeliness"}
    assert measures[("model_suggested", "note")] == ("1", "3")
    assert measures[("model_suggested", "case_file")] == ("1", "2")
    # what the model flags in the whole workspace, read or not, keeps a name of its own
    assert measures[("model_suggested_all_scored", "note")] == ("3", "5")
    assert measures[("model_suggested_all_scored", "case_file")] == ("2", "3")
    for text in (render(data, "md"), " ".join(" ".join(parse_html(render(data, "html")).text).split())):
        assert "The model's share is over the same decided" in text


def test_a_report_names_its_workspace_and_how_far_its_decision_log_went_and_two_runs_differ_only_in_the_time(small_ws):
    # a report named its model and audit but not the workspace, nor the state of it the figures are of: a reader
    # could not tell which copy (a backup, a colleague's) or which day's decisions a figure came from
    small_ws.record_decision("a2", "delay_timeliness", "confirmed", "ann")
    where, identity = str(small_ws.path.resolve()), small_ws.workspace_id
    data = report.build(small_ws, check=None)
    assert (data.workspace, data.workspace_id, data.decision_log_position) == \
        (where, identity, small_ws.decision_log_position())
    said = f"workspace {where}, id {identity[:8]} (decision log to #{small_ws.decision_log_position()})"
    assert said in render(data, "md") and said in " ".join(parse_html(render(data, "html")).text)
    parameters = {r["measure"]: r["value"] for r in check_csv(render(data, "csv")) if r["section"] == "parameters"}
    assert (parameters["workspace"], parameters["workspace_id"], parameters["decision_log_position"]) == \
        (where, identity, str(data.decision_log_position))
    again = report.build(small_ws, check=None)
    for fmt in report.FORMATS:
        assert render(replace(again, generated_at=data.generated_at), fmt) == render(data, fmt)


def test_a_report_names_a_workspace_under_the_home_folder_from_tilde_not_by_the_account(small_ws, monkeypatch):
    # /home/<login>/... in a report sent to a service named the account it was made in
    monkeypatch.setenv("HOME", str(small_ws.path.parent.parent))
    data = report.build(small_ws, check=None)
    assert data.workspace == f"~/{small_ws.path.parent.name}/{small_ws.path.name}"
    assert f"workspace {data.workspace}, id " in " ".join(parse_html(render(data, "html")).text)
    monkeypatch.setenv("HOME", str(small_ws.path))  # the home folder itself is not shortened to a bare ~
    assert report.build(small_ws, check=None).workspace == str(small_ws.path.resolve())


@pytest.mark.parametrize("kind", ["report", "case report"])
def test_a_report_reads_one_state_of_the_workspace_while_another_process_saves(small_ws, kind):
    # A report read its figures in a dozen reads and the decision log position last: a decision saved between them
    # was named in the position ("decision log to #N") while the figures left it out, so two reports saying the same
    # position could differ. The saving happens while quotes are checked, between the figures' reads.
    sentence = "Visit overdue by six weeks."
    _confirmed_with_evidence(small_ws, "c1", sentence, sentence)
    before = small_ws.decision_log_position()
    other = Workspace.open(small_ws.path)

    def check_while_saving(text, date):
        if other.decision_log_position() == before:  # once: another reviewer confirms a concern meanwhile
            other.record_decision("c1", "risk_analysis_gap", "confirmed", "bo")
        return False

    try:
        if kind == "report":
            data = report.build(small_ws, check=check_while_saving)
            risk = next(r for r in data.rates if r.label.name == "risk_analysis_gap")
            counted = risk.notes.positives
        else:
            data = case_report.build(small_ws, "C", check=check_while_saving)
            counted = sum(f.label.name == "risk_analysis_gap" for f in data.findings)
    finally:
        other.close()
    assert small_ws.decision_log_position() == before + 1  # it was saved
    assert (data.decision_log_position, counted) == (before, 0)  # the report is of the state before it, throughout


# -- what a board reads: a table of the months read, counts written as people read them ----------------------------
def _report_files(ws, tmp_path, *args: str) -> dict[str, str]:
    """The report in each form, written by the casereview command."""
    texts = {}
    for fmt in report.FORMATS:
        out = tmp_path / f"report.{fmt}"
        done = run_cli("report", "-w", str(ws.path), "-o", str(out), *args)
        assert done.returncode == 0, done.stderr
        texts[fmt] = out.read_text(encoding="utf-8")
    return texts


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
def test_months_no_one_decided_a_note_of_are_one_row_after_the_others_a_csv_row_a_run(small_ws, tmp_path):
    # a whole workspace's report listed every month with notes, decided or not: years of notes and one audit's
    # decisions read as a page of "no decided notes" rows, while a month with no note at all was left out unsaid;
    # then a row a run, between the months read: an audit of 40 notes showed 11 such rows among its 22 months
    _add_notes(small_ws, [{"note_id": n, "text": "Home visit.", "case_id": "C", "date": d} for n, d in
                          (("c3", "2024-03-04"), ("c5", "2024-05-06"), ("c9", "2024-09-10"))])
    _add_notes(small_ws, [{"note_id": "c6", "text": "Visit overdue.", "case_id": "C", "date": "2024-06-01",
                           "labels": ["delay_timeliness"]}])
    runs = {"2024-03 to 2024-05": ("no decided notes in 3 months (2 notes)", 2),
            "2024-07 to 2024-09": ("no decided notes in 3 months (1 note)", 1)}
    texts = _report_files(small_ws, tmp_path)

    lines = texts["md"][texts["md"].index("## By month"):].split("\n## ")[0].splitlines()
    rows = [line.split(" | ")[0].lstrip("| ") for line in lines if line.startswith("| 2024")]
    empty, said = "2024-03 to 2024-05, 2024-07 to 2024-09", "no decided notes in 6 months (3 notes)"
    assert rows == ["2024-01", "2024-02", "2024-06", empty]
    assert f"| {empty} | {said} |{' |' * (len(LABELS) - 1)}" in lines

    section = texts["html"][texts["html"].index('id="by-month"'):texts["html"].index('id="by-team"')]
    assert re.findall(r'<th scope="row">([^<]*)</th>', section) == rows
    assert f'<th scope="row">{empty}</th><td colspan="{len(LABELS)}" class="note">{said}</td>' in section

    # the CSV keeps a row a run, in its place: a spreadsheet sorts and sums each one's notes
    months = [r for r in check_csv(texts["csv"]) if (r["section"], r["dimension"]) == ("breakdown", "month")]
    assert list(dict.fromkeys(r["group"] for r in months)) == ["2024-01", "2024-02", "2024-03 to 2024-05", "2024-06",
                                                               "2024-07 to 2024-09"]
    assert {r["group"]: int(r["count"]) for r in months if r["measure"] == "no_decided_notes"} == \
        {group: notes for group, (_, notes) in runs.items()}
    assert all(r["measure"] == "rate" for r in months if r["group"] not in runs)

    # in an audit, a month none of whose notes was drawn is said to be so (the workspace has notes then)
    small_ws.create_audit("qa", {"seed": 1, "unit": "note", "command": "casereview sample --size 2 --seed 1"},
                          [("a1", None, 1.0), ("c6", None, 1.0)])
    markdown = _report_files(small_ws, tmp_path, "--audit", "qa")["md"]
    assert f"| 2024-02 to 2024-05 | no notes drawn in 4 months |{' |' * (len(LABELS) - 1)}" in markdown.splitlines()


def test_an_audits_months_it_drew_no_note_from_are_said_once_after_the_months_it_did(small_ws):
    # an audit of 40 notes by label, drawn from 33 months, showed a "no notes drawn" row between its months 11 times
    _add_notes(small_ws, [{"note_id": n, "text": "Home visit.", "case_id": "C", "date": d} for n, d in
                          (("c4", "2024-04-04"), ("c6", "2024-06-06"), ("c9", "2024-09-10"))])
    small_ws.create_audit("qa", {"seed": 1, "unit": "note"}, [("a1", None, 1.0), ("c4", None, 1.0), ("c6", None, 1.0)])
    small_ws.record_decision("c4", "delay_timeliness", "rejected", "ann", audit="qa")
    small_ws.record_decision("c6", "delay_timeliness", "added", "ann", audit="qa")
    data = report.build(small_ws, "qa", check=None)
    rows = [(row.group, row.undecided if row.rates is None else "rates") for row in data.breakdown_rows("month")]
    assert rows == [("2024-01", "rates"), ("2024-04", "rates"), ("2024-06", "rates"),
                    ("2024-02 to 2024-03, 2024-05", "no notes drawn in 3 months")]
    assert "| 2024-02 to 2024-03, 2024-05 | no notes drawn in 3 months |" in render(data, "md")


def test_teams_and_roles_no_one_decided_a_note_of_are_one_row_after_the_others_in_the_tables(small_ws, tmp_path):
    # a workspace's report gave every team and author role a row, decided or not: one audit's decisions in a service
    # of many teams read as a page of "no decided notes" rows, where its months were one row a run
    _add_notes(small_ws, [{"note_id": n, "text": "Home visit.", "case_id": "C", "date": "2024-02-10", "team": team,
                           "author_role": "team_manager"} for n, team in (("c1", "east"), ("c2", "west"), ("c3", "west"))])
    texts = _report_files(small_ws, tmp_path)
    tail = "|" + " |" * (len(LABELS) - 1)
    lines = texts["md"][texts["md"].index("## By team"):].split("\n## ")[0].splitlines()
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| team")]
    assert [row.split(" | ")[0] for row in rows] == ["| north", "| south", "| east, west"]
    assert f"| east, west | no decided notes in 2 teams (3 notes) {tail}" in rows
    assert f"| team manager | no decided notes (3 notes) {tail}" in texts["md"]  # one group: its own row, as before
    section = texts["html"][texts["html"].index('id="by-team"'):texts["html"].index('id="by-author-role"')]
    assert re.findall(r'<th scope="row">([^<]*)</th>', section) == ["north", "south", "east, west"]
    assert f'<td colspan="{len(LABELS)}" class="note">no decided notes in 2 teams (3 notes)</td>' in section
    teams = [r for r in check_csv(texts["csv"]) if (r["section"], r["dimension"]) == ("breakdown", "team")]
    assert {r["group"]: int(r["count"]) for r in teams if r["measure"] == "no_decided_notes"} == {"east": 1, "west": 2}


def test_a_report_names_labels_roles_note_types_and_strata_in_words_and_its_csv_as_coded(small_ws, tmp_path):
    # a board pack's agreement table read "risk_analysis_gap", "all"; its breakdown "agency_social_worker", "iro";
    # its strata "label=delay_timeliness"; a case file's findings "team_manager, home_visit": the codebook's names
    _add_notes(small_ws, [{"note_id": "c1", "text": "Visit overdue.", "case_id": "C", "date": "2024-02-10",
                           "author_role": "iro", "note_type": "home_visit", "labels": ["delay_timeliness"]}])
    strata = [{"stratum": "label=delay_timeliness|flagged=yes", "population": 3, "sampled": 2, "weight": 1.5}]
    small_ws.create_audit("qa", {"seed": 1, "unit": "note", "strata": strata, "frame_units": 3,
                                 "command": "casereview sample --size 2 --seed 1"}, [("a1", None, 1.5), ("c1", None, 1.5)])
    for reviewer in ("ann", "bo"):
        small_ws.record_decision("a1", "delay_timeliness", "confirmed", reviewer, audit="qa")
    texts = _report_files(small_ws, tmp_path, "--audit", "qa")
    html = " ".join(" ".join(parse_html(texts["html"]).text).split())
    for text in (texts["md"], html):
        assert "risk_analysis_gap" not in text and "delay_timeliness" not in text and "| all |" not in text
        assert "IRO" in text and "social worker" in text and "social_worker" not in text
        assert "label: Delay · flagged: yes" in text
    assert "| Delay | ann ~ bo | 1 |" in texts["md"] and "| All labels | ann ~ bo |" in texts["md"]
    rows = check_csv(texts["csv"])
    assert {r["group"] for r in rows if r["dimension"] == "author_role"} == {"social_worker", "iro"}
    assert {r["group"] for r in rows if r["section"] == "sample_strata"} == {"label=delay_timeliness|flagged=yes"}
    assert {r["label"] for r in rows if r["section"] == "agreement"} >= {"delay_timeliness", "all"}
    case = tmp_path / "case.md"
    assert run_cli("report", "--case", "C", "-w", str(small_ws.path), "-o", str(case)).returncode == 0
    assert "IRO" in case.read_text() and "home visit" in case.read_text() and "home_visit" not in case.read_text()


def test_a_workspaces_report_does_not_say_its_rates_are_weighted_by_a_sample(small_ws):
    # the whole workspace's method read "Rates are weighted by the sample's weights (stratum size / units drawn)"
    whole = render(report.build(small_ws, check=None), "md")
    assert "sample's weights" not in whole and "the workspace's notes are not a sample" in whole
    small_ws.create_audit("qa", {"seed": 1, "unit": "note", "command": "casereview sample --size 1 --seed 1"},
                          [("a1", None, 1.0)])
    assert "Rates are weighted by the sample" in render(report.build(small_ws, "qa", check=None), "html")


def test_every_count_a_report_shows_is_written_thousands_apart(tmp_path):
    # the reports' tables wrote "412/1001", "| 1001 |" beside "1,001 notes" in their sentences
    from casereview.notes import validate

    notes = 1001
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([validate({"note_id": f"n{i:04}", "text": "Visit overdue.", "case_id": f"C{i:04}",
                                   "date": "2024-03-01", "team": "north", "labels": ["delay_timeliness"]},
                                  "many.jsonl", i) for i in range(notes)], "many.jsonl")
        with ws.transaction():
            for i in range(notes):
                for reviewer in ("ann", "bo"):
                    ws.record_decision(f"n{i:04}", "delay_timeliness", "confirmed", reviewer)
        texts = _report_files(ws, tmp_path)
    for fmt in ("md", "html"):
        text = texts[fmt].split("\n", 3)[3]  # (not the title and the provenance line: a workspace id, a log position)
        shown = " ".join(parse_html(text).text) if fmt == "html" else text
        assert "1001" not in shown, fmt
        assert "1,001/1,001" in shown and "in all 1,001 case files read" in shown, fmt
    assert "| ann ~ bo | 1,001 |" in texts["md"] and '<td class="n">1,001</td>' in texts["html"]
    for group in ("2024-03", "north"):  # the breakdowns: by month, by team
        row = next(line for line in texts["md"].splitlines() if line.startswith(f"| {group} |"))
        assert "100% (1,001/1,001)" in row and "0% (0/1,001)" in row


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
def test_the_csv_reports_figure_columns_hold_only_numbers_and_its_parameters_their_own_column(small_ws, tmp_path):
    # the parameters' text (scope, workspace, command, model version) stood in "estimate" among the rates: a
    # spreadsheet summing or sorting that column read a mess
    sampling.sample(small_ws, SampleSpec(size=2, stratify=("team",), seed=3), "qa")
    for args in ((), ("--audit", "qa")):
        rows = check_csv(_report_files(small_ws, tmp_path, *args)["csv"])
        for row in rows:
            for column in ("count", "of", "estimate", "ci_low", "ci_high"):
                if row[column]:
                    float(row[column])  # a number, else ValueError names the cell
        parameters = {r["measure"]: r["value"] for r in rows if r["section"] == "parameters"}
        assert parameters["scope"] == ("audit qa" if args else "the whole workspace")
        assert "workspace" in parameters and "model_version" in parameters
        assert not [r for r in rows if r["value"] and r["section"] != "parameters"]
    assert parameters["command"].startswith("casereview sample --size 2") and parameters["seed"] == "3"


def test_the_workspace_headlines_from_its_decided_notes_are_its_reports(small_ws, tmp_path):
    # the progress screen's headlines, read from the decided notes alone, say what the whole report says: case files
    # read whole or in part, an open dispute, one adjudicated, a label unsure, a note with no case file
    def same() -> list[str]:
        fast, whole = report.workspace_headlines(small_ws), report.build(small_ws, None, check=None)
        assert fast == whole.headlines() + whole.dispute_lines()[:1]  # the open disputes they leave out, if any
        return whole.headlines()

    def delay_line(lines: list[str]) -> str:
        return next(line for line in lines if line.startswith("Delay:"))

    before = same()
    assert all("case file" in line for line in before)  # every case file read whole: case files' rates
    delay, oversight = "delay_timeliness", "management_oversight_missing"
    small_ws.record_decision("a1", delay, "rejected", "ann")  # disputes the import's label: left out until settled
    small_ws.record_decision("b1", oversight, "unsure", "bo")
    small_ws.record_decision("a2", "supervision_issue", "confirmed", "bo")
    disputed = same()
    assert len(small_ws.disagreements()) == 2 and delay_line(disputed) != delay_line(before)
    assert report.workspace_headlines(small_ws)[-1].startswith("2 open disputes (")
    AdjudicationSession(small_ws, None, "sam").settle(delay, False, note_id="a1")
    assert delay_line(same()).startswith("Delay: in neither of the 2 case files read")
    # a note of case B with no decision: B read in part, the headlines are the notes' rates
    small_ws.import_notes([validate({"note_id": "b2", "text": "Phone call with the school.", "case_id": "B",
                                     "date": "2024-03-01"}, "more.jsonl", 1),
                           validate({"note_id": "n1", "text": "Duty call, no case opened.", "date": "2024-03-02",
                                     "labels": ["recording_quality"]}, "more.jsonl", 2)], "more.jsonl")
    assert all("notes read" in line for line in same())


def test_note_facts_of_some_notes_are_those_notes_in_import_order(small_ws):
    facts = small_ws.note_facts(of_notes=["b1", "a1", "nowhere"])
    assert [f.note_id for f in facts] == ["a1", "b1"]
    assert facts == [f for f in small_ws.note_facts() if f.note_id in ("a1", "b1")]
