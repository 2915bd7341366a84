"""Regenerate schema3_undos.json: the log casereview 94ac47d (schema 3) wrote for its "steps".

Back then an undo was a new decision by the same reviewer, comment 'undo', restoring their
earlier state or 'cleared'. Run with that version first on the path:

    git archive 94ac47d casereview | tar -x -C /tmp/old
    PYTHONPATH=/tmp/old python tests/data/make_schema3_undos.py
"""

import json
import sys
import tempfile
from pathlib import Path

from casereview.notes import validate
from casereview.review import ReviewSession
from casereview.schema import SCHEMA_VERSION
from casereview.workspace import Workspace

FIXTURE = Path(__file__).with_name("schema3_undos.json")


def replay(ws: Workspace, fixture: dict) -> None:
    """Import the fixture's notes and take its steps, one review session per reviewer."""
    ws.import_notes([validate(n, "gold.jsonl", i) for i, n in enumerate(fixture["notes"], 1)], "gold.jsonl")
    sessions: dict[str, ReviewSession] = {}
    for reviewer, action, *args in fixture["steps"]:
        session = sessions.setdefault(reviewer, ReviewSession(ws, reviewer))
        session.undo() if action == "undo" else session.decide(args[1], args[2], args[0])


def main() -> None:
    assert SCHEMA_VERSION == 3, "run with casereview 94ac47d on PYTHONPATH"
    fixture = json.loads(FIXTURE.read_text())
    with tempfile.TemporaryDirectory() as folder, Workspace.open(Path(folder) / "ws") as ws:
        replay(ws, fixture)
        fixture["tables"] = {
            table: [dict(r) for r in ws._conn.execute(f"SELECT * FROM {table} ORDER BY rowid")]
            for table in ("notes", "decisions")
        }
    FIXTURE.write_text(json.dumps(fixture, indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(main())
