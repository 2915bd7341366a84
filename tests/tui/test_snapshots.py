"""Snapshot tests of each screen (pytest-textual-snapshot). Update with --snapshot-update."""

from __future__ import annotations

import pytest

from .conftest import settle


def keys_then_settle(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize(
    "name, keys, size",
    [
        ("note_review_80x24", (), (80, 24)),
        ("note_review_120x36", (), (120, 36)),
        # a note opens on its first suggestion still to decide: k goes up to label 1 (added, as not suggested there)
        ("note_review_after_decisions", ("k", "y", "j", "n", "3"), (100, 30)),
        ("queue", ("l",), (100, 30)),
        ("case_files", ("F",), (100, 30)),
        ("timeline", ("t",), (100, 30)),
        ("progress", ("k", "y", "p"), (100, 30)),
        ("help", ("question_mark",), (100, 30)),
        ("note_review_60x20", (), (60, 20)),
        ("queue_60x20", ("l",), (60, 20)),
        ("case_files_60x20", ("F",), (60, 20)),
        ("timeline_60x20", ("t",), (60, 20)),
        ("filter_unreviewed_checked", ("f", "tab", "tab", "tab", "tab", "space"), (80, 24)),
        ("too_narrow_46x20", (), (46, 20)),
        # the first note partly decided, the second coded whole (N): 'part' and 'coded' in the state column
        ("queue_60x20_part_and_coded", ("k", "y", "enter", "N", "l"), (60, 20)),
    ],
)
def test_screen_snapshot(snap_compare, make_app, name, keys, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=keys_then_settle(*keys))


def test_light_theme_snapshot(snap_compare, make_app):
    app = make_app()
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=(100, 30), run_before=keys_then_settle())
