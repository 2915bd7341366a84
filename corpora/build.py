"""Build corpora/sample/notes.jsonl from the hand-written batches and the generator's output.

    python3 corpora/build.py

Evidence given as verbatim sentences becomes character spans; each case file is
assigned to train/dev/test by a hash of its case_id (70/15/15), so no case file
spans two splits. Writes notes.jsonl and manifest.json beside the sources.
"""

from __future__ import annotations

import collections
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "sample"


def split_of(case_id: str) -> str:
    bucket = int(hashlib.sha256(case_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if bucket < 70 else "dev" if bucket < 85 else "test"


def spans(text: str, sentences: list) -> list[dict]:
    out = []
    for sentence in sentences:
        if isinstance(sentence, dict):
            out.append({"start": sentence["start"], "end": sentence["end"]})
            continue
        start = text.find(sentence)
        if start < 0:
            raise ValueError(f"evidence not found verbatim: {sentence[:50]!r}")
        out.append({"start": start, "end": start + len(sentence)})
    return sorted(out, key=lambda s: s["start"])


def main() -> int:
    sources = sorted((SAMPLE / "handwritten").glob("*.jsonl")) + [SAMPLE / "generated.jsonl"]
    notes = []
    for source in sources:
        if not source.exists():
            print(f"warning: {source.name} is missing; building without it", file=sys.stderr)
            continue
        for lineno, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            raw = json.loads(line)
            try:
                evidence = {label: spans(raw["text"], raw.get("evidence", {}).get(label, []))
                            for label in raw.get("labels", [])}
            except ValueError as e:
                print(f"{source.name}:{lineno}: {e}", file=sys.stderr)
                return 1
            note = {k: raw[k] for k in ("note_id", "case_id", "date", "author_role", "note_type", "text") if raw.get(k)}
            note.update(labels=raw.get("labels", []), evidence=evidence, origin=raw["origin"],
                        split=split_of(raw["case_id"]))
            if raw.get("hard_case"):
                note["hard_case"] = raw["hard_case"]
            if raw.get("pair_of"):
                note["pair_of"] = raw["pair_of"]
            notes.append(note)
    notes.sort(key=lambda n: (n["split"], n["case_id"], n.get("date", ""), n["note_id"]))
    with open(SAMPLE / "notes.jsonl", "w", encoding="utf-8") as fh:
        for note in notes:
            fh.write(json.dumps(note, ensure_ascii=False) + "\n")
    cases = collections.defaultdict(set)
    for note in notes:
        cases[note["split"]].add(note["case_id"])
    labels = collections.Counter(label for n in notes for label in n["labels"])
    manifest = {
        "notes": len(notes),
        "case_files": sum(len(c) for c in cases.values()),
        "splits": {s: {"notes": sum(1 for n in notes if n["split"] == s), "case_ids": sorted(cases[s])}
                   for s in ("train", "dev", "test")},
        "origins": dict(sorted(collections.Counter(n["origin"] for n in notes).items())),
        "labels": dict(sorted(labels.items())),
        "unlabelled": sum(1 for n in notes if not n["labels"]),
        "hard_cases": dict(sorted(collections.Counter(n.get("hard_case") for n in notes if n.get("hard_case")).items())),
    }
    (SAMPLE / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in manifest.items() if k != "splits"}, indent=1))
    print({s: v["notes"] for s, v in manifest["splits"].items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
