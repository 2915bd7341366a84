"""A note's time of day on screen: the review screen's line about the note, and the timeline and the queue list where
there is room (their full columns with the time, each's TIMED_TERMINAL_WIDTH and wider; narrower, dates alone, the
rows still in order of time)."""

from __future__ import annotations

import contextlib

import pytest

from casereview import importer
from casereview.tui.screens import queue
from casereview.tui.screens.case_files import case_width, full_width
from casereview.tui.screens.list_screen import LIST_GUTTER, case_column
from casereview.tui.screens.queue import QueueScreen
from casereview.tui.screens.timeline import TimelineScreen, full_terminal_width, timed_terminal_width
from casereview.tui.widgets.row_list import RowList
from casereview.workspace import QueueQuery

from ..conftest import write_jsonl
from .conftest import press, settle

# Newest first, as a case-management export lists them
NOTES = [("late", "2024-03-12T16:30"), ("early", "2024-03-12T09:00"), ("day", "2024-03-12"), ("eve", "2024-03-11")]
#: the timeline's widths for the case's note ids, its first column
FULL_TERMINAL_WIDTH = full_terminal_width(case_column(max(len(note_id) for note_id, _ in NOTES)))
TIMED_TERMINAL_WIDTH = timed_terminal_width(case_column(max(len(note_id) for note_id, _ in NOTES)))


def shown_list(app) -> tuple[str, list[str]]:
    """The open list's heading and rows as the terminal shows them."""
    rows = app.screen.query_one(RowList)
    heading = str(app.screen.query_one("#list-columns").render()).rstrip()
    return heading, [rows.render_line(y).text.rstrip() for y in range(min(rows.size.height, rows.count))]


def import_timed_case(workspace, tmp_path) -> None:
    records = [{"note_id": i, "case_id": "T-1", "date": d, "text": "Home visit: the children were seen alone today."}
               for i, d in NOTES]
    importer.import_path(workspace, write_jsonl(tmp_path / "timed.jsonl", records))


@contextlib.asynccontextmanager
async def timed_case_list(make_app, workspace, tmp_path, size: tuple[int, int], key: str):
    """The app at ``size`` on the timed case's notes in date order, showing the list ``key`` opens (t: the timeline,
    l: the queue list)."""
    import_timed_case(workspace, tmp_path)
    app = make_app(QueueQuery(case_id="T-1", order="case"))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, key)
        yield app


async def test_the_review_screen_and_the_timeline_show_a_notes_time_in_time_order(make_app, workspace, tmp_path):
    import_timed_case(workspace, tmp_path)
    app = make_app(QueueQuery(case_id="T-1", order="case"))
    async with app.run_test(size=(TIMED_TERMINAL_WIDTH, 24)) as pilot:
        await settle(pilot)
        metas = []
        for _ in NOTES:
            metas.append(str(app.screen.query_one("#meta").render()))
            await press(pilot, "enter")
        assert [m.split("  ·  ")[1:4:2] for m in metas] == [
            ["eve", "2024-03-11"], ["early", "2024-03-12 09:00"], ["late", "2024-03-12 16:30"], ["day", "2024-03-12"]]
        await press(pilot, "t")
        assert isinstance(app.screen, TimelineScreen)
        heading, lines = shown_list(app)
        at = heading.index("date")
        assert heading[at:].startswith("date             author ")
        assert [line[at:at + 17] for line in lines] == ["2024-03-11       ", "2024-03-12 09:00 ", "2024-03-12 16:30 ",
                                                        "2024-03-12       "]
        assert all("Home vis" in line for line in lines), lines  # some of the opening words still show


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (FULL_TERMINAL_WIDTH, 24), (TIMED_TERMINAL_WIDTH - 1, 24)])
async def test_the_timeline_too_narrow_for_times_shows_dates_alone_and_keeps_its_opening_words(make_app, workspace,
                                                                                              tmp_path, size):
    async with timed_case_list(make_app, workspace, tmp_path, size, "t") as app:
        heading, lines = shown_list(app)
        at = heading.index("date")
        assert [line[at:at + 11] for line in lines] == ["2024-03-11 ", "2024-03-12 ", "2024-03-12 ", "2024-03-12 "]
        assert heading[at + 11] != " " and not any(":00" in line or ":30" in line for line in lines), (heading, lines)
        assert [n.note_id for n in app.screen.notes] == ["eve", "early", "late", "day"]
        # at 60 columns the note column took some of the words' room
        assert all(len(line[heading.index("opening"):]) >= (7 if size[0] < 80 else 10) for line in lines), lines


async def test_a_case_with_no_times_keeps_its_timeline_columns(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(TIMED_TERMINAL_WIDTH, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        heading, lines = shown_list(app)
        at = heading.index("date")
        assert heading[at:].startswith("date       author ")
        assert all(line[at + 10] == " " and line[at + 11] != " " for line in lines), lines


@pytest.mark.parametrize("size, timed", [((queue.TIMED_TERMINAL_WIDTH, 24), True), ((TIMED_TERMINAL_WIDTH, 24), True),
                                         ((queue.TIMED_TERMINAL_WIDTH - 1, 24), False), ((80, 24), False),
                                         ((60, 20), False)])
async def test_the_queue_list_shows_a_notes_time_where_its_columns_leave_the_labels_room(make_app, workspace, tmp_path,
                                                                                        size, timed):
    async with timed_case_list(make_app, workspace, tmp_path, size, "l") as app:
        assert isinstance(app.screen, QueueScreen)
        heading, lines = shown_list(app)
        at = heading.index("date")
        shown = [line[at:at + 17] for line in lines]
        if timed:
            assert shown == ["2024-03-11       ", "2024-03-12 09:00 ", "2024-03-12 16:30 ", "2024-03-12       "]
        else:
            assert [s[:11] for s in shown] == ["2024-03-11 ", "2024-03-12 ", "2024-03-12 ", "2024-03-12 "]
            assert not any(":00" in line or ":30" in line for line in lines), lines
        labels = heading.index("labels")  # the columns before the labels whole, up to the state
        assert all(line[:labels].rstrip().endswith(" open") for line in lines), (heading, lines)


@pytest.mark.parametrize("width, timed", [(80, True), ("narrower", False), (60, False)])
async def test_the_case_files_show_the_last_notes_time_where_every_label_count_keeps_its_room(make_app, workspace,
                                                                                            tmp_path, width, timed):
    # the "last" column showed the last note's date alone, though the queue list and the timeline show times where
    # they have room: a file written to this morning and one written to last night read the same
    import_timed_case(workspace, tmp_path)  # T-1: its last note is untimed, the day's last in date order
    importer.import_path(workspace, write_jsonl(tmp_path / "timed-2.jsonl", [
        {"note_id": i, "case_id": "T-2", "date": d, "text": "Home visit: the children were seen alone today."}
        for i, d in (("t2-late", "2024-03-14T08:15"), ("t2-early", "2024-03-13T17:40"))]))
    if width == "narrower":  # a column less than the times need with the workspace's case ids
        width = full_width(case_width(case.case_id for case in workspace.case_files()), True) + LIST_GUTTER - 1
        assert 60 < width < 80
    app = make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "F")
        heading, _ = shown_list(app)
        at = heading.index("last")
        lines = {case.case_id: app.screen.fetch(i, i + 1)[0].plain for i, case in enumerate(app.screen.cases)}
        if timed:
            assert lines["T-2"][at:at + 17] == "2024-03-14 08:15 " and lines["T-1"][at:at + 17] == "2024-03-12       "
        else:
            assert lines["T-2"][at:at + 11] == "2024-03-14 " and not any(":" in line for line in lines.values())
        width = app.screen.query_one(RowList).scrollable_content_region.width
        assert all(len(line.rstrip()) <= width for line in lines.values())  # every label's count still shows
