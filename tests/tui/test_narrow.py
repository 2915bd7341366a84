"""The lists and the adjudication rows at 60 columns (inspectors over SSH, in split panes): columns give way
deliberately (shorter forms, a count of what is left out), a number is never cut, nothing goes silently."""

from __future__ import annotations

import contextlib
import itertools
import re

import pytest

from casereview.adjudication import AdjudicationSession
from casereview.taxonomy import BY_NAME, LABEL_NAMES, LABELS
from casereview.tui.audit_apps import AdjudicationApp
from casereview.tui.screens.case_files import CaseFilesScreen
from casereview.tui.screens.help import HelpMarkdown
from casereview.tui.screens.note_review import NoteReviewScreen
from casereview.tui.screens.queue import QueueScreen
from casereview.tui.screens.timeline import TimelineScreen
from casereview.tui.widgets.label_panel import LabelPanel
from casereview.tui.widgets.row_list import RowList

from .conftest import press, screen_rows, settle, to_row, until_stopped
from .test_audit_apps import disputed, shown_lines


@contextlib.asynccontextmanager
async def list_at_60_columns(make_app, key: str, screen: type):
    """The app at 60x20 with the list ``key`` opens on screen: its pilot."""
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await press(pilot, key)
        assert isinstance(app.screen, screen)
        yield pilot


def shown_list(app) -> tuple[str, list[str]]:
    """The open list's heading and rows as the terminal shows them (cut at the list's edge), checked to fit it."""
    rows = app.screen.query_one(RowList)
    width = rows.scrollable_content_region.width
    heading = str(app.screen.query_one("#list-columns").render()).rstrip()
    lines = [rows.render_line(y).text.rstrip() for y in range(min(rows.size.height, rows.count))]
    assert lines and all(len(line) <= width for line in [heading, *lines]), (width, heading, lines)
    return heading, lines


def marks_shown(labels_part: str, names) -> bool:
    """Every label's symbol in the labels column, or the ones left out counted there ("+2")."""
    symbols = re.findall(r"\b([A-Z])\b", labels_part)
    more = re.search(r"\+(\d)$", labels_part)
    left_out = int(more.group(1)) if more else 0
    return [BY_NAME[n].symbol for n in names][:len(names) - left_out] == symbols and left_out <= len(names)


async def test_the_queue_at_60_columns_keeps_score_state_and_every_label(make_app, workspace):
    async with list_at_60_columns(make_app, "l", QueueScreen) as pilot:
        app = pilot.app
        heading, shown = shown_list(app)
        assert heading.endswith("labels") and all(col in heading for col in ("note", "date", "score", "state"))
        for row, line in zip(workspace.queue_rows(app.session.note_ids[:len(shown)]), shown, strict=True):
            start = heading.index("score")
            assert line[start:].split()[0] == f"{row.priority:.2f}", line  # 0.87 was cut to 0.8
            state = line[heading.index("state"):heading.index("labels")].strip()
            assert state in ("open", "part", "coded"), line
            assert marks_shown(line[heading.index("labels"):], row.suggested), line


async def test_the_queue_counts_label_marks_it_has_no_room_for(make_app, workspace):
    """A note with every label suggested: those past the edge are counted, at any width."""
    from casereview.tui.screens.queue import layout_for, queue_line
    from casereview.workspace import QueueRow
    row = QueueRow("n", "C-1", "2024-01-01", "family_support_worker", "management_decision", 0.87, LABEL_NAMES, 1)
    for width, case_width in itertools.product((56, 76, 116), (0, 8)):  # ids naming their cases, or a case column too
        layout = layout_for(width, 8, case_width)
        line = queue_line(row, layout, False).plain.rstrip()
        assert len(line) <= width and "0.87" in line, (width, line)
        assert marks_shown(line[layout.labels_at:], LABEL_NAMES), (width, line)


async def test_case_files_at_60_columns_show_every_flagged_label_or_count_the_rest(make_app):
    async with list_at_60_columns(make_app, "F", CaseFilesScreen) as pilot:
        app = pilot.app
        heading, shown = shown_list(app)
        start = heading.index("labels")
        for case, line in zip(app.screen.cases, shown):
            flagged = [n for n in LABEL_NAMES if case.flagged_by_label.get(n)]
            shown = re.findall(r"([A-Z]) ?(\d+)", line[start:])
            more = re.search(r"\+(\d)$", line)
            assert len(shown) + (int(more.group(1)) if more else 0) == len(flagged), line
            assert shown == [(BY_NAME[n].symbol, str(case.flagged_by_label[n])) for n in flagged[:len(shown)]], line
            assert f"{case.strongest:.2f}" in line, line


async def test_adjudication_rows_at_60_columns_show_both_coders_and_the_model(workspace):
    # the title, padded to 28 columns whatever the width, pushed the second coder and the model's score off
    disputed(workspace, notes=1, labels=len(LABEL_NAMES))
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one("DisputePanel")
        lines = shown_lines(panel)
        assert lines and len(lines) <= len(LABEL_NAMES)
        for line, label in zip(lines, LABELS):
            assert line.startswith(f" {label.symbol} "), line
            assert re.search(r"ann ✓ +bo ✗ +model \d\.\d\d", line), line
        assert len({line.index("→") for line in lines}) == 1, lines  # the final words in one column


def shown_in(app, widget) -> list[str]:
    """The terminal's rows where ``widget`` is, as the reviewer sees them."""
    region = widget.region
    return ["".join(char for char, _ in row[region.x:region.right]).rstrip()
            for row in screen_rows(app)[region.y:region.bottom]]


async def test_the_adjudicator_reads_the_note_and_the_whole_definition_with_seven_disputes(workspace):
    # at 60x20 the definition kept its 6 rows and the note had 1, cut with no sign; the definition's end (what the
    # label is not) was cut at 80x24 too, with no sign and no key to scroll it
    from casereview.tui.widgets.note_text import NoteText

    disputed(workspace, notes=1, labels=len(LABEL_NAMES))
    label = LABELS[0]
    for size in ((60, 20), (80, 24)):
        app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            note = app.screen.query_one(NoteText)
            assert note.scrollable_content_region.height >= 5, size
            pane = app.screen.query_one("#adjudication-definition-pane")
            assert shown_in(app, pane)[0].strip().startswith(f"{label.number}. {label.title}"), size  # its whole title
            assert pane.max_scroll_y > 0 and pane.show_vertical_scrollbar, size  # more follows: its scrollbar says so
            for _ in range(10):
                if any(line.strip().startswith("Not:") for line in shown_in(app, pane)):
                    break
                await press(pilot, "right_square_bracket")
            else:
                raise AssertionError(f"{size}: the definition's end is not reached: {shown_in(app, pane)}")
            await press(pilot, "left_square_bracket")
            assert pane.scroll_y < pane.max_scroll_y


async def test_the_status_line_names_a_label_by_its_symbol_and_title(make_app):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await to_row(pilot, 0)
        await press(pilot, "n")
        label = LABELS[0]
        assert str(app.screen.query_one("#status-line").render()).startswith(
            f"saved · {label.symbol} {label.title}: rejected")


def test_case_files_at_60_columns_never_cut_the_count_of_notes():
    from casereview.tui.screens.case_files import case_line, columns_heading, counts_widths
    from casereview.workspace import CaseFileRow
    big = CaseFileRow("C-1", 1234, 987, {name: 3 for name in LABEL_NAMES}, 0.87, "2024-12-31")
    small = CaseFileRow("C-2", 3, 1, {LABEL_NAMES[0]: 1}, 0.5, "2024-12-30")
    to_code = {"C-1": 1200, "C-2": 3}
    counts = counts_widths([big, small], to_code)
    heading = columns_heading(8, counts, compact=True)
    for case in (big, small):
        line = case_line(case, to_code, 8, 56, counts, compact=True).plain.rstrip()
        assert f" {to_code[case.case_id]}/{case.notes} " in line and f" {case.flagged_notes} " in line, line
        assert line.index(f"{case.strongest:.2f}") == heading.index("top") and len(line) <= 56, line


async def test_the_timeline_at_60_columns_keeps_every_label_and_some_opening_words(make_app, workspace):
    # the author and type columns took the labels' room and all of the opening words': a fourth mark was cut
    async with list_at_60_columns(make_app, "t", TimelineScreen) as pilot:
        app = pilot.app
        heading, shown = shown_list(app)
        assert heading.endswith("opening") and "labels" in heading, heading  # "words" had no room
        rows = {r.note_id: r for r in workspace.queue_rows([n.note_id for n in app.screen.notes])}
        for note, line in zip(app.screen.notes, shown, strict=True):
            labels = line[heading.index("labels"):heading.index("opening")]
            assert marks_shown(labels.rstrip(), rows[note.note_id].suggested), line
            words = line[heading.index("opening"):].rstrip("…")
            # 7: the note column ("…-01", each id's end after the case's) took 5 of the 12 the words had
            assert len(words) >= 7 and " ".join(note.text.split()).startswith(words), line


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_the_timeline_names_each_note_by_its_id(make_app, workspace, size):
    # the timeline had no note column (the queue list had one): a reviewer reading a case file could not tell a
    # colleague "note X"; at 60 columns each id's end after the case's ("…-02": the title names the case)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        assert isinstance(app.screen, TimelineScreen)
        heading, shown = shown_list(app)
        case_id = app.screen.case_id
        assert heading.startswith("note ") and f"case {case_id}" in str(app.screen.query_one("#list-title").render())
        for note, line in zip(app.screen.notes, shown, strict=True):
            named = line[:heading.index("date")].rstrip()
            assert named == (note.note_id if size[0] >= 80 else "…" + note.note_id[len(case_id):]), (size, line)
        assert "note column names each note by its id" in app.screen.HELP_NOTES
        await press(pilot, "question_mark")
        assert "note column names each note by its id" in app.screen.query_one(HelpMarkdown).source


async def test_help_on_the_queue_list_says_what_its_note_column_shows(make_app):
    # the queue list got its note column without a word of it in help
    async with list_at_60_columns(make_app, "l", QueueScreen) as pilot:
        await press(pilot, "question_mark")
        assert "note column names each note by its id" in pilot.app.screen.query_one(HelpMarkdown).source


async def test_help_on_a_list_gives_the_legend_of_its_short_forms(make_app):
    for key, screen, says in (("l", QueueScreen, "TM team manager"), ("t", TimelineScreen, "mgmt dec management"),
                              ("F", CaseFilesScreen, "5/12: 5 of its 12 notes have a label undecided")):
        async with list_at_60_columns(make_app, key, screen) as pilot:
            await press(pilot, "question_mark")
            assert says in pilot.app.screen.query_one(HelpMarkdown).source, key


async def test_the_adjudication_header_at_60_columns_names_the_adjudicator_and_the_audit(workspace):
    # Textual's header keeps 18 of 60 columns for its icon and a clock space (no clock is shown): the title had 42,
    # and "adjudication · audit qa — adjudicator: S. Senior" lost the adjudicator's name, whose decisions these are
    disputed(workspace, notes=1)
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "S. Senior"))
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        header = "".join(char for char, _ in screen_rows(app)[0]).strip()
        assert "audit qa" in header and header.endswith("adjudicator: S. Senior"), header
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        header = "".join(char for char, _ in screen_rows(app)[0]).strip()
        assert header.startswith("⭘") and header.endswith("adjudicator: S. Senior"), header  # wide: as it was


def shown_text(app) -> str:
    """The words on the terminal, a space apart (wherever a line wrapped)."""
    return " ".join(" ".join("".join(char for char, _ in row) for row in screen_rows(app)).split())


async def test_under_60_columns_the_app_asks_for_a_wider_terminal_and_takes_no_decision(make_app, workspace):
    # at 46 columns the queue's labels column fell off every row silently, at 40 its state column too, and the
    # note screen's footer lost its y: the app showed broken rows (and took decision keys) instead of saying so
    app = make_app()
    async with app.run_test(size=(46, 20)) as pilot:
        await settle(pilot)
        note_id = app.session.current_id
        shown = shown_text(app)
        assert "at least 60 columns wide; this one is 46." in shown, shown
        await press(pilot, "y", "n", "l", "enter")  # nothing decided, nothing opened, on a screen one cannot read
        assert workspace.current_decisions(note_id, reviewer="ann") == {}
        assert app.session.current_id == note_id
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "at least 60 columns" not in shown_text(app)
        assert isinstance(app.screen, NoteReviewScreen) and isinstance(app.focused, LabelPanel)
        await press(pilot, "y")  # the review goes on where it was
        assert workspace.current_decisions(note_id, reviewer="ann")


async def test_a_list_narrowed_under_60_columns_comes_back_with_its_focus(make_app):
    async with list_at_60_columns(make_app, "l", QueueScreen) as pilot:
        app = pilot.app
        await press(pilot, "j", "j")
        await pilot.resize_terminal(59, 20)
        await settle(pilot)
        assert "at least 60 columns" in shown_text(app)
        await press(pilot, "j", "escape")  # the list under the notice neither moves nor closes
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen) and isinstance(app.focused, RowList)
        assert app.focused.cursor == 2
        assert "at least 60 columns" not in shown_text(app)


async def test_the_notice_quits_with_q_and_the_adjudication_app_shows_it_too(workspace):
    disputed(workspace, notes=1)
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(50, 20)) as pilot:
        await settle(pilot)
        assert "at least 60 columns" in shown_text(app)
        await pilot.press("q")
        await until_stopped(app)


async def test_the_timeline_cuts_no_author_or_type_where_their_short_forms_fit(make_app, workspace):
    # at 80 columns the timeline kept its full columns and cut them mid-word ("agency_social…", "strategy_dis…"),
    # with the short forms, which fit, taken only under 80; wide, the full forms show whole
    from casereview.tui.screens.list_screen import AUTHOR_SHORT, TYPE_SHORT
    from casereview.tui.screens.list_screen import case_column
    from casereview.tui.screens.timeline import full_terminal_width

    longest = max(workspace.case_files(), key=lambda c: max(
        len(n.author_role or "") + len(n.note_type or "") for n in workspace.case_notes(c.case_id)))
    full_from = full_terminal_width(case_column(max(len(n.note_id) for n in workspace.case_notes(longest.case_id))))
    for size, full in (((80, 24), False), ((60, 20), False), ((full_from - 1, 24), False),
                       ((full_from, 24), True), ((140, 30), True)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            app.open_timeline(longest.case_id)
            await settle(pilot)
            heading, shown = shown_list(app)
            for line in shown:
                assert "…" not in line[heading.index("date"):heading.index("labels")], (size, line)
            author_at, type_at = heading.index("author" if full else "by"), heading.index("type")
            for note, line in zip(app.screen.notes, shown):
                author, note_type = line[author_at:type_at].strip(), line[type_at:heading.index("state")].strip()
                if full:
                    assert (author, note_type) == (note.author_role, note.note_type), (size, line)
                else:
                    assert (author, note_type) == (AUTHOR_SHORT[note.author_role], TYPE_SHORT[note.note_type]), line


async def test_the_adjudication_header_says_its_count_of_open_disputes_is_the_audits_at_60_columns(workspace):
    # "note 1 of 2  ·  4 disputes open" read as the open note's disputes; it counts the audit's (or the workspace's)
    from casereview.adjudication import disputes
    from casereview.wording import count

    disputed(workspace, notes=3, labels=2)
    for audit, scope, size in (("qa", "in this audit", (60, 20)), ("qa", "in this audit", (80, 24)),
                               (None, "in the workspace", (60, 20))):
        app = AdjudicationApp(AdjudicationSession(workspace, audit, "S. Senior"))
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            for keys in ((), ("y",), ("n",)):  # the second settles the note: the count is still the scope's
                await press(pilot, *keys, "j")
                still_open = sum(d.final is None for d in disputes(workspace, audit))
                header = shown_lines(app.screen.query_one("#meta"))
                position = f"note 1 of {len(app.adjudication.note_ids):,}"
                assert header[0].startswith(f"{position}  ·  {count(still_open, 'dispute')} open {scope}"), (size, header)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_long_filter_cuts_the_queue_lists_title_never_its_count(make_app, size):
    # the title's count came after the queue's filters and search, and a long search pushed it off the line
    from casereview.workspace import QueueQuery

    app = make_app(QueueQuery(label="supervision_issue", search="supervision was cancelled", unreviewed=True))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        count, to_code = len(app.session.note_ids), app.session.notes_to_code()
        assert count > 1
        title = str(app.screen.query_one("#list-title").render())
        assert title.endswith(f"— {count:,} notes, {to_code:,} to code") and len(title) <= size[0] - 2, title
        assert title.startswith("Queue · order priority · label ") and "…" in title, title
