"""Importing a large file, and the review screen on the workspace it makes.

    .venv/bin/python bench/bench_import.py [--notes 20000] [--format jsonl|csv|csv-utf16|jsonl-utf16]

Writes a JSON Lines file of N notes (the sample corpus's notes repeated under new ids, in case files of 1 to 30
notes, and one of 700, as a local authority's export has a few long-running ones; a tenth imported with their
labels), or with ``--format csv`` a CSV file of the same notes without labels (``csv-utf16``: in UTF-16 with its
byte-order mark, as Excel's "Unicode Text" saves one, which was read whole; ``jsonl-utf16``: the JSON Lines file in
UTF-16 with its mark, as PowerShell's '>' writes one, which was read whole too), then measures, against baselines run
in the same process:

- ``casereview import`` of the file (``importer.import_path``, the personal-data scan included), against reading
  and validating the file once (``notes.read_jsonl`` or ``notes.read_csv``, and ``notes.iter_notes``: the cheapest
  full pass);
- the import's peak traced memory (tracemalloc) for N notes and for a quarter of them: an import that streams holds
  about as much for either (a ratio near 1), one that holds the file four times as much; and per MB of the file;
  and the baseline's (the reader's own: a CSV file was read whole, 200,000 notes held as 150 MB of text);
- the review screen's view of a note (``ReviewSession.view``) in the 700-note case file, against one in a case file
  of one note (it read every note of the case file, text and all, to tell the note's place in it);
- a note's comments (``Workspace.comments``) once 20,000 comments are on other notes, against before any are (every
  comment was read: no index on note_id);
- how many times an import hashes and validates each note (2,000 notes with a time in their dates): hashing a note
  costs about as much as validating it.

Prints JSON and writes it to bench/out/import.json (a CSV file's: bench/out/import_csv.json, or import_csv_utf16.json;
import_jsonl_utf16.json).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import tempfile
from pathlib import Path

from bench_qa import peak_mb, save_figures, timed

from casereview import corpus, importer, notes
from casereview.notes import iter_notes, read_csv, read_jsonl
from casereview.review import ReviewSession
from casereview.workspace import Workspace

LONG_CASE = 700
CSV_COLUMNS = ("note_id", "case_id", "date", "author_role", "note_type", "text")


def write_export(path: Path, n: int, encoding: str = "utf-8") -> Path:
    """An export of ``n`` notes in case files of 1 to 30 notes and one of :data:`LONG_CASE` (``CF-long``): JSON Lines,
    a tenth with their labels, or by its suffix a CSV file, without labels (an empty cell would be "none")."""
    records, rng = corpus.load(), random.Random(23)
    with open(path, "w", encoding=encoding, newline="") as out:
        rows = csv.DictWriter(out, CSV_COLUMNS, extrasaction="ignore") if path.suffix == ".csv" else None
        if rows is not None:
            rows.writeheader()
        case, left = "CF-long", LONG_CASE
        for i in range(n):
            if left == 0:
                case, left = f"CF-{i}", rng.randint(1, 30)
            left -= 1
            r = records[i % len(records)]
            note = {"note_id": f"LA-{i:06d}", "case_id": case, "date": f"20{19 + i % 5}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    "author_role": r["author_role"], "note_type": r["note_type"], "text": r["text"]}
            if rng.random() < 0.1:
                note["labels"] = r["labels"]
            if rows is not None:
                rows.writerow(note)
            else:
                out.write(json.dumps(note) + "\n")
    return path


def work_per_note(folder: Path, n: int) -> dict[str, float]:
    """How many times an import of ``n`` notes, each with a time in its date, hashes and validates each note (they
    hashed each one 5 times, and validated each one with a time twice in the first reading), counted by wrapping
    ``Note.content_hash`` and ``notes.validate`` for the one import."""
    path = write_export(folder / "timed.jsonl", n)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    path.write_text("".join(json.dumps({**r, "date": r["date"] + "T09:30"}) + "\n" for r in lines), encoding="utf-8")
    calls = {"hash": 0, "validate": 0}
    hash_property, validate = notes.Note.content_hash, notes.validate

    def counted(name, fn):
        def call(*args, **kwargs):
            calls[name] += 1
            return fn(*args, **kwargs)
        return call

    notes.Note.content_hash = property(counted("hash", hash_property.fget))
    notes.validate = importer.validate = counted("validate", validate)
    try:
        with Workspace.open(folder / "ws-timed") as ws:
            importer.import_path(ws, path)
    finally:
        notes.Note.content_hash, notes.validate, importer.validate = hash_property, validate, validate
    return {"content_hashes_per_note": round(calls["hash"] / n, 2), "validations_per_note": round(calls["validate"] / n, 2)}


def median_ms(fn, runs: int = 30) -> float:
    times = [timed(fn)[1] for _ in range(runs)]
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--format", choices=("jsonl", "csv", "csv-utf16", "jsonl-utf16"), default="jsonl")
    args = parser.parse_args()
    suffix = ".jsonl" if args.format.startswith("jsonl") else ".csv"
    encoding = "utf-16" if args.format.endswith("-utf16") else "utf-8"  # Python's utf-16 writes the byte-order mark
    read = read_jsonl if suffix == ".jsonl" else read_csv
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = write_export(tmp / f"export{suffix}", args.notes, encoding)
        quarter = write_export(tmp / f"q{suffix}", args.notes // 4, encoding)
        size_mb = path.stat().st_size / 2**20
        with Workspace.open(tmp / "warm") as ws:  # the scanner loaded, as for every import after a process's first
            importer.import_path(ws, write_export(tmp / "w.jsonl", 10))
        _, baseline_s = timed(lambda: sum(1 for _ in iter_notes(read(path), path.name)))
        with Workspace.open(tmp / "ws") as ws:
            _, import_s = timed(lambda: importer.import_path(ws, path))
            session = ReviewSession(ws, "bench")
            long_ids = [n for (n,) in ws._conn.execute("SELECT note_id FROM notes WHERE case_id = 'CF-long'")][:30]
            single = ws._conn.execute("SELECT note_id FROM notes WHERE case_id IN (SELECT case_id FROM notes"
                                      " GROUP BY case_id HAVING COUNT(*) = 1) LIMIT 1").fetchone()[0]
            view_single_ms = median_ms(lambda: session.view(single))
            view_long_ms = statistics.median(timed(lambda: session.view(n))[1] for n in long_ids) * 1000
            ws.add_comment(single, "bench", "see the strategy meeting")
            comments_ms = median_ms(lambda: ws.comments(single), 200)
            with ws.transaction() as conn:
                conn.executemany("INSERT INTO comments (note_id, reviewer, text, created_at) VALUES (?, 'bench', ?,"
                                 " 'now')", [(long_ids[i % len(long_ids)], f"comment {i}") for i in range(20_000)])
            comments_many_ms = median_ms(lambda: ws.comments(single), 200)
        # a second run for memory, into new workspaces: tracing slows Python several times over
        memory, read_memory = {}, {}
        for name, file in (("all", path), ("quarter", quarter)):
            read_memory[name] = peak_mb(lambda: sum(1 for _ in iter_notes(read(file), file.name)))
            with Workspace.open(tmp / f"ws-{name}") as ws:
                memory[name] = peak_mb(lambda: importer.import_path(ws, file))
        work = work_per_note(tmp, 2000)
    figures = {
        "notes": args.notes, "format": args.format, "file_mb": round(size_mb, 1),
        "baseline_read_and_validate_s": round(baseline_s, 2),
        "import_s": round(import_s, 1), "import_ratio": round(import_s / baseline_s, 1),
        "import_peak_traced_mb": memory["all"], "import_quarter_peak_traced_mb": memory["quarter"],
        "import_memory_all_to_quarter_ratio": round(memory["all"] / memory["quarter"], 2),
        "import_peak_traced_mb_per_file_mb": round(memory["all"] / size_mb, 2),
        "read_peak_traced_mb": read_memory["all"], "read_quarter_peak_traced_mb": read_memory["quarter"],
        "view_note_in_single_note_case_ms": round(view_single_ms, 2),
        f"view_note_in_{LONG_CASE}_note_case_ms": round(view_long_ms, 2),
        "view_long_case_ratio": round(view_long_ms / view_single_ms, 1),
        "comments_ms": round(comments_ms, 3), "comments_with_20000_on_other_notes_ms": round(comments_many_ms, 3),
        "comments_ratio": round(comments_many_ms / comments_ms, 1),
        **{f"import_{name}": value for name, value in work.items()},
    }
    save_figures("import" if args.format == "jsonl" else f"import_{args.format.replace('-', '_')}", figures)


if __name__ == "__main__":
    main()
