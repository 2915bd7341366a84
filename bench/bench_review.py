"""Review UI speed with a large workspace (issue 5): next-note render and queue scrolling.

    .venv/bin/python bench/bench_review.py [--notes 100000]

Builds a workspace of N notes (the sample corpus repeated, with the shipped model's predictions),
drives the real app with Textual's Pilot, and times: Enter -> the next note shown (target < 50 ms),
opening the queue list, and paging through it. The same steps on a 1,000-note workspace in the
same process are the baseline, so the ratios show how the UI scales.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from casereview import corpus, registry
from casereview.model import _note_from_record
from casereview.notes import Note
from casereview.review import ReviewSession
from casereview.tui.app import ReviewApp
from casereview.tui.screens.queue import QueueScreen
from casereview.workspace import Workspace

OUT = Path(__file__).resolve().parent / "out"


def build(folder: Path, n: int, predictions: list[dict]) -> None:
    records = corpus.load()
    with Workspace.open(folder) as ws:
        notes = []
        for i in range(n):
            r = records[i % len(records)]
            notes.append(Note(f"bench-{i}", r["text"], f"case-{i // 8}", r.get("date"), r.get("author_role"), r.get("note_type")))
        ws.import_notes(notes, "bench.jsonl")
        model, folder_ = registry.resolve(None, ws)
        from casereview.tagging import ensure_registered

        ensure_registered(ws, model, folder_)
        ws.store_predictions(model.version, ({**predictions[i % len(predictions)], "note_id": f"bench-{i}"} for i in range(n)))


async def drive(folder: Path, presses: int) -> dict:
    with Workspace.open(folder) as ws:
        start = time.perf_counter()
        session = ReviewSession(ws, "bench")
        app = ReviewApp(session)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            opened = time.perf_counter() - start
            timings = []
            for _ in range(presses):
                target = session.note_ids[session.index + 1]
                t0 = time.perf_counter()
                # The key as the terminal driver delivers it (Pilot.press adds its own idle waits).
                app.simulate_key("enter")
                while target not in str(app.screen.query_one("#meta").render()):
                    await asyncio.sleep(0.0005)
                timings.append((time.perf_counter() - t0) * 1000)
                await pilot.pause()
            t0 = time.perf_counter()
            await pilot.press("l")
            while not (isinstance(app.screen, QueueScreen) and app.screen.query_one("RowList").count):
                await asyncio.sleep(0.001)
            queue_open = (time.perf_counter() - t0) * 1000
            t0 = time.perf_counter()
            for _ in range(20):
                await pilot.press("pagedown")
            await app.workers.wait_for_complete()
            await pilot.pause()
            page = (time.perf_counter() - t0) * 1000 / 20
    return {"notes": len(session.note_ids), "app_open_s": round(opened, 2),
            "next_note_ms_median": round(statistics.median(timings), 1),
            "next_note_ms_p95": round(sorted(timings)[int(0.95 * len(timings)) - 1], 1),
            "queue_open_ms": round(queue_open, 1), "queue_page_ms": round(page, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--presses", type=int, default=60)
    args = parser.parse_args()
    model, _ = registry.resolve()
    predictions = list(model.predict_stream(_note_from_record(r) for r in corpus.load()))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, n in (("baseline", 1000), ("large", args.notes)):
            t0 = time.perf_counter()
            build(Path(tmp) / name, n, predictions)
            built = time.perf_counter() - t0
            results[name] = asyncio.run(drive(Path(tmp) / name, args.presses))
            results[name]["build_s"] = round(built, 1)
    base, large = results["baseline"], results["large"]
    results["ratios_large_to_baseline"] = {k: round(large[k] / base[k], 2) for k in ("next_note_ms_median", "queue_open_ms", "queue_page_ms") if base[k]}
    OUT.mkdir(exist_ok=True)
    (OUT / "review.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
