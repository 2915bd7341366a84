"""The HTML reports as an inspectorate publishes them (public-sector accessibility regulations, WCAG 2.2 AA): a
language, one h1 and headings in order, tables with captions and headers scoped to their rows and columns, charts with
a text alternative and their figures in a table, nothing said by colour alone, text at 4.5:1 contrast, and a page that
prints with tables whole where they fit and their headers repeated where they do not; one file that needs no network."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest

from casereview import case_report, charts, report
from casereview.wording import percent_range
from casereview.notes import validate
from casereview.taxonomy import LABELS, value_words
from casereview.workspace import Workspace

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "source", "area", "base", "wbr"}


class Structure(HTMLParser):
    """What assistive technology reads of a page: headings, tables and their cells, charts, hidden parts."""

    def __init__(self):
        super().__init__()
        self.lang: str | None = None
        self.headings: list[int] = []
        self.tables: list[dict] = []  # each: caption text, header cells, body rows' first cells
        self.svgs: list[dict] = []
        self.ids: set[str] = set()
        self.stack: list[tuple[str, dict]] = []
        self.cell: dict | None = None
        self.caption: list[str] | None = None

    def hidden(self) -> bool:
        return any(attrs.get("aria-hidden") == "true" for _, attrs in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "html":
            self.lang = attrs.get("lang")
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables.append({"caption": None, "headers": [], "first_cells": []})
        elif tag == "caption":
            self.caption = []
        elif tag == "tr":
            self.tables[-1]["first_cell_pending"] = any(t == "tbody" for t, _ in self.stack)
        elif tag in ("th", "td"):
            self.cell = {"tag": tag, "scope": attrs.get("scope"), "text": [], "colspan": attrs.get("colspan")}
            if self.tables[-1].pop("first_cell_pending", False):
                self.tables[-1]["first_cells"].append(self.cell)
            if tag == "th":
                self.tables[-1]["headers"].append(self.cell)
        elif tag == "svg":
            self.svgs.append(attrs)
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1]["caption"] = " ".join("".join(self.caption).split())
            self.caption = None
        elif tag in ("th", "td"):
            self.cell = None
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.caption is not None:
            self.caption.append(data)
        if self.cell is not None and not self.hidden():
            self.cell["text"].append(data)


def structure(html: str) -> Structure:
    page = Structure()
    page.feed(html)
    page.close()
    return page


def check_accessible(html: str) -> Structure:
    page = structure(html)
    assert page.lang == "en"
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    skipped = [(a, b) for a, b in zip(page.headings, page.headings[1:]) if b > a + 1]
    assert not skipped, f"heading levels skipped: {skipped}"
    for table in page.tables:
        assert table["caption"], f"a table without a caption: {table}"
        for cell in table["headers"]:
            assert cell["scope"] in ("col", "row", "colgroup", "rowgroup"), f"a header cell without scope: {cell}"
            assert "".join(cell["text"]).strip(), f"a header cell read out as nothing: {table['caption']}"
        for cell in table["first_cells"]:  # each body row is named by a row header (a note in a row of its own aside)
            assert cell["tag"] == "th" and cell["scope"] == "row" or cell["colspan"], (table["caption"], cell)
    for svg in page.svgs:
        assert svg.get("role") == "img" and svg.get("aria-labelledby")
        assert all(ident in page.ids for ident in svg["aria-labelledby"].split())
    # self-contained: nothing fetched, from a file on a machine with no network (the SVG namespace is a name only)
    addresses = set(re.findall(r"[a-z]+://[^\s\"'<>)]+", html)) - {"http://www.w3.org/2000/svg"}
    assert not addresses and not re.search(r"@import|@font-face|url\(|<(script|link|img|iframe|object)\b", html)
    return page


def check_prints(html: str) -> None:
    """Tables kept whole on a page where they fit, a long one's header repeated on each page, a heading kept with what
    follows, and no background left dark on paper."""
    print_css = html.split("@media print", 1)[1].split("@page", 1)[0]
    assert re.search(r"thead\s*\{[^}]*display:\s*table-header-group", print_css)
    assert re.search(r"\btr\b[^{]*\{[^}]*break-inside:\s*avoid", print_css)
    assert re.search(r"h2[^{]*\{[^}]*break-after:\s*avoid", print_css)


@pytest.fixture
def reviewed_ws(tmp_path):
    """Two case files over three months, two teams and roles, two reviewers disagreeing on a label, and an audit."""
    records = [{"note_id": f"{case}{i}", "text": "Home visit.", "case_id": case, "date": f"2024-0{i}-10",
                "author_role": role, "team": team}
               for case, role, team in (("A", "social_worker", "north"), ("B", "team_manager", "south"))
               for i in (1, 2, 5)]
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([validate(r, "n.jsonl", i) for i, r in enumerate(records, 1)], "n.jsonl")
        for note_id in ("A1", "A2", "A5", "B1", "B2"):
            for reviewer in ("ann", "bo"):
                for label in LABELS:
                    state = "confirmed" if (note_id in ("A1", "A5", "B2") and label.number % 2) else "rejected"
                    if (reviewer, note_id, label.name) == ("bo", "A2", "delay_timeliness"):
                        state = "confirmed"
                    ws.record_decision(note_id, label.name, state, reviewer)
        strata = [{"stratum": "team=north", "population": 3, "sampled": 3, "weight": 1.0},
                  {"stratum": "team=south", "population": 3, "sampled": 2, "weight": 1.5}]
        ws.create_audit("qa", {"seed": 1, "unit": "note", "stratify": ["team"], "size": 5, "strata": strata,
                               "command": "casereview sample --size 5 --seed 1 --stratify team --name qa"},
                        [(n, "team=north" if n[0] == "A" else "team=south", 1.0 if n[0] == "A" else 1.5)
                         for n in ("A1", "A2", "A5", "B1", "B2")])
        yield ws


def _html(module, data) -> str:
    out = io.StringIO()
    module.render(data, "html", out)
    return out.getvalue()


@pytest.mark.parametrize("audit", [None, "qa"])
def test_the_report_page_has_headings_in_order_captioned_tables_with_scoped_headers_and_prints(reviewed_ws, audit):
    # tables had no caption; the agreement, reviewer and strata tables named their rows in plain cells; the breakdown
    # tables' column headers were the labels' symbols alone, hidden from a screen reader (aria-hidden): headers read
    # out as nothing; "By author role" was a heading under "Trend by month"; a long table printed without its header
    html = _html(report, report.build(reviewed_ws, audit, check=None))
    page = check_accessible(html)
    check_prints(html)
    captions = [t["caption"] for t in page.tables]
    assert any(c.startswith("Concern rates") for c in captions)
    assert any("By team" in c or "by team" in c for c in captions)


def test_the_case_files_chart_has_its_figures_in_a_table_as_the_markdown_report_gives_them(reviewed_ws):
    # the heat map of case files was the HTML report's only account of them (the Markdown has a table): a screen
    # reader heard its title, and no figure
    data = report.build(reviewed_ws, check=None)
    assert data.top_cases
    page = structure(_html(report, data))
    table = next(t for t in page.tables if t["caption"] and t["caption"].startswith("Case files with the most concerns"))
    rows = ["".join(c["text"]).strip() for c in table["first_cells"]]
    assert rows == [c.case_id for c in data.top_cases]


def test_the_case_report_page_has_headings_in_order_captioned_tables_with_scoped_headers_and_prints(reviewed_ws):
    html = _html(case_report, case_report.build(reviewed_ws, "A", check=None))
    check_accessible(html)
    check_prints(html)


def _contrast(first: tuple[float, ...], second: tuple[float, ...]) -> float:
    def luminance(rgb):
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    low, high = sorted((luminance(first), luminance(second)))
    return (high + 0.05) / (low + 0.05)


def _rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def test_every_count_on_the_heat_map_reads_at_4_5_to_1_on_its_cell():
    # a cell a little over half the peak was drawn dark enough for white text, which read at 2.9:1 on it
    rows = [(f"C{n}", {label.name: (n + j) % 21 for j, label in enumerate(LABELS)}, 20) for n in range(15)]
    svg = charts.heat_map(rows, LABELS)
    cells = re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})" fill-opacity="([0-9.]+)"[^>]*/><text [^>]*fill="(#[0-9a-f]{6})"',
                       svg)
    assert len(cells) == 15 * len(LABELS)
    for fill, opacity, ink in cells:
        background = tuple(float(opacity) * c + (1 - float(opacity)) * 255 for c in _rgb(fill))
        assert _contrast(background, _rgb(ink)) >= 4.5, (opacity, ink)


def test_the_trend_charts_months_stand_as_far_apart_as_they_are_in_time():
    # months with no decided note were left out and the others drawn evenly: January, February and June stood a
    # step apart, so four months with nothing read looked like one, and a line joined February to June as a trend
    rate = report.Rate(1, 2, 0.5, 0.1, 0.9)
    months = [("2024-01", [rate] * len(LABELS)), ("2024-02", [rate] * len(LABELS)), ("2024-06", [rate] * len(LABELS))]
    svg = charts.trend_chart(months, LABELS)
    first_panel = re.findall(r'<circle cx="([0-9.]+)"', svg)[:3]
    jan, feb, jun = map(float, first_panel)
    assert jun - feb == pytest.approx(4 * (feb - jan), abs=0.2)
    path = re.search(r'<path d="(M[^"]+)" fill="none" stroke="#', svg).group(1)
    assert path.count("M") == 2  # January to February joined; June on its own, after a gap


def _trend_points_and_whiskers(svg: str) -> tuple[list[tuple[float, float, str]], dict[float, list[tuple[float, float, str, str]]]]:
    """The trend chart's points (x, y, colour) and, by x, every opaque vertical stroke drawn there: (top, bottom,
    colour, the element)."""
    points = [(float(x), float(y), colour)
              for x, y, colour in re.findall(r'<circle cx="([0-9.]+)" cy="([0-9.]+)" r="[0-9.]+" fill="(#[0-9a-f]{6})"', svg)]
    strokes: dict[float, list[tuple[float, float, str, str]]] = {}
    for element in re.findall(r"<(?:path|line)\b[^>]*>", svg):
        if "opacity" in element:  # a faint mark is not the one that must read at 3:1
            continue
        colour = re.search(r'stroke="(#[0-9a-f]{6})"', element)
        for x, y1, y2 in re.findall(r"M([0-9.]+) ([0-9.]+)V([0-9.]+)", element):
            if colour:
                strokes.setdefault(float(x), []).append((min(float(y1), float(y2)), max(float(y1), float(y2)),
                                                         colour.group(1), element))
    return points, strokes


def test_the_trend_charts_95_intervals_are_drawn_at_3_to_1_at_every_month_a_lone_month_too():
    # the interval was a band at 15% opacity, 1.25:1 on white (WCAG 1.4.11 asks 3:1 of a graphic needed to read the
    # chart), and a month with no decided month either side drew none at all: its band had no width
    rates = [report.Rate(1, 4, 0.25, 0.05, 0.7), report.Rate(2, 4, 0.5, 0.15, 0.85), report.Rate(3, 4, 0.75, 0.3, 0.95)]
    months = [("2024-01", [rates[0]] * len(LABELS)), ("2024-02", [rates[1]] * len(LABELS)),
              ("2024-06", [rates[2]] * len(LABELS))]
    svg = charts.trend_chart(months, LABELS)
    points, strokes = _trend_points_and_whiskers(svg)
    assert len(points) == 3 * len(LABELS)
    panel_h = 46.0  # each panel: 0% at its foot, 100% at its head
    for k, (x, y, colour) in enumerate(points):
        rate = rates[k % 3]
        foot = y + panel_h * rate.estimate
        top, bottom = foot - panel_h * rate.high, foot - panel_h * rate.low
        drawn = [s for s in strokes.get(x, []) if abs(s[0] - top) < 0.2 and abs(s[1] - bottom) < 0.2]
        assert drawn, f"no interval drawn at point {k} ({x}, {y})"
        assert _contrast(_rgb(drawn[0][2]), (255, 255, 255)) >= 3, drawn[0]


def test_the_html_breakdown_tables_give_each_rates_95_interval_as_the_csv_does(reviewed_ws):
    # the trend chart's caption sends the reader to the table "By month" for every figure, but the table had no
    # interval: a reader who cannot see the chart (or prints the page) had the bands only in the CSV
    data = report.build(reviewed_ws, check=None)
    html = _html(report, data)
    for dimension, groups in data.breakdowns.items():
        section = html[html.index(f'id="by-{dimension.replace("_", "-")}"'):]
        section = section[:section.index("</table>")]
        assert "95% interval" in section.split("</caption>")[0]
        for group, rates in groups:
            shown = value_words(group) if dimension == "author_role" else group  # "team manager", not "team_manager"
            row = section[section.index(f'<th scope="row">{shown}</th>'):]
            row = row[:row.index("</tr>")]
            for rate in rates:
                if rate.decided:
                    assert percent_range(rate.low, rate.high) in row, (dimension, group)


@pytest.fixture
def gap_ws(reviewed_ws):
    """reviewed_ws with a month of notes no one decided (March) and a label no one decided in February."""
    reviewed_ws.import_notes([validate({"note_id": f"{case}3", "text": "Home visit.", "case_id": case,
                                        "date": "2024-03-10", "team": "east"}, "more.jsonl", i)
                              for i, case in enumerate("AB", 1)], "more.jsonl")
    return reviewed_ws


def test_a_month_with_no_decided_note_says_so_in_html_and_markdown_rather_than_a_row_of_0_of_0(gap_ws):
    # a month with notes and no decision read "– (0/0)" seven times over: a row of zeros a reader takes for a month
    # without concerns, not one no one read
    data = report.build(gap_ws, check=None)
    html = _html(report, data)
    markdown = io.StringIO()
    report.render(data, "md", markdown)
    markdown = markdown.getvalue()
    assert "0/0" not in html and "0/0" not in markdown
    # (March's notes and April, which has none, are one run of months no one decided a note of)
    for dimension, group, said in (("month", "2024-03 to 2024-04", "no decided notes in 2 months (2 notes)"),
                                   ("team", "east", "no decided notes (2 notes)")):
        section = html[html.index(f'id="by-{dimension}"'):]
        row = section[section.index(f'<th scope="row">{group}</th>'):]
        row = row[:row.index("</tr>")]
        assert re.fullmatch(rf'<th scope="row">{group}</th><td colspan="{len(LABELS)}"[^>]*>{re.escape(said)}</td>', row)
        assert f"| {group} | {said} |{' |' * (len(LABELS) - 1)}" in markdown.splitlines()
    page = check_accessible(html)  # a row still named by its header
    assert page.tables


def test_a_rate_with_no_decided_note_in_a_row_with_others_says_none_decided(gap_ws):
    gap_ws.record_decision("A3", "delay_timeliness", "confirmed", "ann")  # March: one label decided, the rest not
    data = report.build(gap_ws, check=None)
    html = _html(report, data)
    section = html[html.index('id="by-month"'):]
    row = section[section.index('<th scope="row">2024-03</th>'):]
    row = row[:row.index("</tr>")]
    assert row.count("none decided") == len(LABELS) - 1 and "0/0" not in row
    markdown = io.StringIO()
    report.render(data, "md", markdown)
    line = next(line for line in markdown.getvalue().splitlines() if line.startswith("| 2024-03 |"))
    assert line.count("none decided") == len(LABELS) - 1 and "0/0" not in line


def _agreement_rows(html: str) -> list[str]:
    section = html[html.index('id="agreement"'):html.index('id="method"')]
    return re.findall(r"<tr>.*?</tr>", section, re.S)


def test_agreement_on_fewer_than_ten_units_is_flagged_and_the_method_says_why(reviewed_ws):
    # kappa 0.00 from one disagreement on one unit stood in the table as plainly as a kappa on a hundred: the
    # units were there, but nothing said that a figure on so few says little about how reliably a label is coded
    data = report.build(reviewed_ws, check=None)
    assert all(p.n < 10 for row in data.agreement.labels[:-1] for p in row.pairs)  # each label: 5 notes
    html = _html(report, data)
    figures = [(int(re.search(r'<td class="n">(\d+)</td>', row).group(1)), row) for row in _agreement_rows(html)
               if re.search(r"[κα] -?\d", row)]
    assert any(units < 10 for units, _ in figures) and any(units >= 10 for units, _ in figures)  # (all labels: 35)
    for units, row in figures:
        assert ("too few units" in row) == (units < 10), row
    method = html[html.index('id="method"'):]
    assert "fewer than 10 units" in method
    markdown = io.StringIO()
    report.render(data, "md", markdown)
    markdown = markdown.getvalue()
    assert "too few units" in markdown[markdown.index("## Agreement"):markdown.index("## Method")]
    assert "fewer than 10 units" in markdown[markdown.index("## Method"):]
    assert "| ann | " in markdown and all("(too few units)" not in line for line in markdown.splitlines()
                                         if line.startswith("| all |"))
    table = io.StringIO()
    report.render(data, "csv", table)
    parameters = {r["measure"]: r["value"] for r in csv.DictReader(io.StringIO(table.getvalue()))
                  if r["section"] == "parameters"}
    assert parameters["agreement_few_units"] == "10"  # the CSV's counts beside each kappa, and the line drawn


def test_agreement_on_ten_units_or_more_is_not_flagged(tmp_path):
    records = [{"note_id": f"n{i}", "text": "Home visit.", "case_id": "A", "date": "2024-01-10"} for i in range(10)]
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([validate(r, "n.jsonl", i) for i, r in enumerate(records, 1)], "n.jsonl")
        for i, record in enumerate(records):
            for reviewer in ("ann", "bo"):
                state = "confirmed" if i % 2 or (reviewer, i) == ("bo", 0) else "rejected"
                ws.record_decision(record["note_id"], "delay_timeliness", state, reviewer)
        data = report.build(ws, check=None)
    delay = next(row for row in data.agreement.labels if row.label == "delay_timeliness")
    assert delay.pairs[0].n == 10 and delay.pairs[0].kappa is not None
    rows = [row for row in _agreement_rows(_html(report, data)) if "Delay" in row]
    assert rows and not any("too few units" in row for row in rows)
