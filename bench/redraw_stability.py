"""How many of an audit's units a redraw of its command keeps once the frame changed, by sampling method.

    .venv/bin/python bench/redraw_stability.py [--notes 1500] [--more 150] [--size 40] [--seed 7]

A workspace of N notes of the sample corpus's dev and test splits (the shipped model was not trained
on them, so reviewers disagree with it now and then), imported without labels and tagged with the
shipped model. For each design (strata, --by note | case) and method (hash-rank, shuffle), an audit is
drawn, then drawn again with the same spec after each of:

- coding the audit's notes as the corpus labels them (a concern the model missed is added: the note
  moves to another label stratum);
- coding 200 other notes the same way (a review of the queue);
- importing M more notes of those splits and tagging them.

Prints a Markdown table of the units kept and writes it to bench/out/redraw_stability.md.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from casereview import corpus, registry, sampling, tagging
from casereview.notes import validate
from casereview.sampling import SampleSpec
from casereview.taxonomy import LABEL_NAMES
from casereview.workspace import Workspace

OUT = Path(__file__).resolve().parent / "out"
DESIGNS = ((("label",), "note"), (("month",), "note"), (("label", "author_role"), "note"), ((), "note"),
           (("label",), "case"), (("month",), "case"))


def notes_of(records: list[dict], first: int, last: int) -> list:
    keep = ("note_id", "case_id", "date", "author_role", "note_type", "text")
    return [validate({k: r[k] for k in keep if k in r}, "bench.jsonl", i + 1) for i, r in enumerate(records[first:last])]


def code(ws: Workspace, facts, gold: dict[str, set[str]], reviewer: str, audit: str | None = None) -> None:
    """Decide every label of the notes as the corpus labels them: confirmed, added where not suggested, rejected."""
    for f in facts:
        for label in LABEL_NAMES:
            state = ("confirmed" if label in f.suggested else "added") if label in gold[f.note_id] else "rejected"
            ws.record_decision(f.note_id, label, state, reviewer, audit=audit)


def measure(folder: Path, records: list[dict], gold, spec: SampleSpec, n: int, more: int, model) -> list[int]:
    """Units drawn, then kept by the redraw after each change of the frame."""
    model, model_folder = model
    ws = Workspace.open(folder)
    ws.import_notes(notes_of(records, 0, n), "bench.jsonl")
    tagging.tag(ws, model, model_folder)
    name, first = sampling.sample(ws, spec, "first")
    units = {u for u, _, _ in first.units}
    kept = []
    code(ws, ws.note_facts(audit=name), gold, "ann", audit=name)
    kept.append(len(units & {u for u, _, _ in sampling.draw(ws.note_facts(), spec).units}))
    code(ws, ws.note_facts()[:200], gold, "bo")
    kept.append(len(units & {u for u, _, _ in sampling.draw(ws.note_facts(), spec).units}))
    ws.import_notes(notes_of(records, n, n + more), "more.jsonl")
    tagging.tag(ws, model, model_folder)
    kept.append(len(units & {u for u, _, _ in sampling.draw(ws.note_facts(), spec).units}))
    ws.close()
    return [len(units), *kept]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1500)
    parser.add_argument("--more", type=int, default=150)
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    records = [r for r in corpus.load() if r.get("split") in ("dev", "test")]
    random.Random(1).shuffle(records)
    gold = {r["note_id"]: set(r.get("labels") or []) for r in records}
    model = registry.resolve()  # the shipped model
    lines = [f"Units of a {args.size}-unit audit (seed {args.seed}) that a redraw of its command keeps, on "
             f"{args.notes} notes of the sample corpus's dev and test splits.", "",
             f"| design | method | drawn | after coding the audit | and 200 notes more | and importing {args.more} notes |",
             "|---|---|---:|---:|---:|---:|"]
    for stratify, unit in DESIGNS:
        for method in sampling.METHODS:
            spec = SampleSpec(size=args.size, unit=unit, stratify=stratify, seed=args.seed, method=method)
            with tempfile.TemporaryDirectory() as tmp:
                drawn, *kept = measure(Path(tmp) / "ws", records, gold, spec, args.notes, args.more, model)
            design = f"--by {unit}" + "".join(f" --stratify {key}" for key in stratify)
            lines.append(f"| `{design}` | {method} | {drawn} | " + " | ".join(str(k) for k in kept) + " |")
            print(lines[-1], flush=True)
    OUT.mkdir(exist_ok=True)
    (OUT / "redraw_stability.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
