from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual import events

from casereview import corpus, registry, tagging
from casereview.notes import validate
from casereview.review import ReviewSession
from casereview.tui.app import ReviewApp
from casereview.workspace import QueueQuery, Workspace


@pytest.fixture(scope="session")
def tagged_template(tmp_path_factory) -> Path:
    """A workspace with the sample corpus's test-split notes, unlabelled, tagged by the shipped model."""
    folder = tmp_path_factory.mktemp("template") / "ws"
    records = corpus.split(corpus.load(), "test")
    with Workspace.open(folder) as ws:
        ws.import_notes([validate({k: v for k, v in r.items() if k != "labels"}, "sample", i) for i, r in enumerate(records, 1)], "sample.jsonl")
        model, model_folder = registry.resolve(None, ws)
        tagging.tag(ws, model, model_folder)
    return folder


@pytest.fixture
def workspace(tagged_template, tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree(tagged_template, folder)
    with Workspace.open(folder) as ws:
        yield ws


@pytest.fixture
def make_app(workspace):
    def make(query: QueueQuery | None = None, reviewer: str = "ann", **kwargs) -> ReviewApp:
        return ReviewApp(ReviewSession(workspace, reviewer, query or QueueQuery()), **kwargs)

    return make


async def settle(pilot) -> None:
    """Let workers finish and the screen catch up."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot, *keys: str) -> None:
    """Press keys, then let the app settle (the workers a key starts save before the screen shows it)."""
    await pilot.press(*keys)
    await settle(pilot)


def type_ahead(app, *keys: str) -> None:
    """Keys that arrive together, before the app has handled the first (as from a terminal)."""
    for key in keys:
        app.post_message(events.Key(key, KEY_CHARACTERS.get(key, key)))


KEY_CHARACTERS = {"enter": "\r", "backspace": "\x7f", "escape": "\x1b"}
