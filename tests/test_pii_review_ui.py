"""The review UI: a warning on a note with findings; false alarm and redaction from the findings screen."""

import asyncio

from casereview import importer
from casereview.review import ReviewSession
from casereview.tui.app import ReviewApp
from casereview.tui.screens.pii_findings import PiiFindingsScreen
from casereview.tui.widgets.pii_warning import PiiWarning
from casereview.workspace import QueueQuery

from .conftest import write_jsonl
from .tui.conftest import press, settle

NOTE = {"note_id": "p1", "case_id": "C1",
        "text": "Visited Kayleigh Thompson; mobile 07700 900123. Visit went well and the child was seen alone."}


def test_warning_false_alarm_and_redaction(workspace, tmp_path):
    importer.import_path(workspace, write_jsonl(tmp_path / "n.jsonl", [NOTE]))
    app = ReviewApp(ReviewSession(workspace, "ann", QueueQuery(order="case")))

    async def run():
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            warning = app.screen.query_one(PiiWarning)
            assert warning.display and "2 unresolved" in str(warning.render())
            await press(pilot, "d")
            assert isinstance(app.screen, PiiFindingsScreen)
            assert [f.label for f in app.screen.findings] == ["PERSON", "PHONE"]
            await pilot.press("r")  # redact the name
            await settle(pilot)
            await pilot.press("down", "f")  # the phone number: a false alarm
            await settle(pilot)
            await press(pilot, "escape")
            assert not app.screen.query_one(PiiWarning).display

    asyncio.run(run())
    states = {f.label: (f.resolution, f.reviewer) for f in workspace.pii_findings("p1")}
    assert states == {"PERSON": ("redacted", "ann"), "PHONE": ("false_alarm", "ann")}
    assert workspace.get_note("p1").text.startswith("Visited [PERSON]; mobile 07700 900123.")
