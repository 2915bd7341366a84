"""Scan throughput of the personal-data scanner, as a ratio to spacy.blank("en") tokenisation, and its false alarms.

    python bench/bench_pii.py [--repeat 3]

Both run in this process on the same notes (the personal-data corpus plus the
concern sample corpus); words are whitespace-separated tokens. The target is
>= 50,000 words per second on the project's 2-core machine.

False alarms: every finding on the concern sample corpus (anonymised: initials and roles, so
a finding there is almost always a false alarm), those on Welsh initials that are one letter
of the Welsh alphabet written with two (Ch Dd Ff Ng Ll Ph Rh Th: "Ll (4) did not go to
cylch meithrin"), every finding on `bench/data/welsh_lookalikes.txt` (sentences with no
personal data: initials, Welsh words, services, towns), beside the scanner's PERSON
precision and recall on the personal-data corpus's dev and test splits.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import spacy

from casereview.corpus import default_corpus, load
from casereview.pii import load_scanner
from casereview.pii.training import evaluate_scanner, load_corpus

LOOKALIKES = Path(__file__).with_name("data") / "welsh_lookalikes.txt"
WELSH_DIGRAPH = re.compile(r"\b(?:Ch|Dd|Ff|Ng|Ll|Ph|Rh|Th)\b")


def best_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def false_alarms(scanner) -> dict:
    concern = [r["text"] for r in load(default_corpus())]
    found = list(scanner.scan_stream(concern))
    digraph_initials = sum(len(WELSH_DIGRAPH.findall(t)) for t in concern)
    flagged_digraphs = sum(1 for t, f in zip(concern, found) for e in f if WELSH_DIGRAPH.fullmatch(t[e.start:e.end]))
    lookalikes = [line for line in LOOKALIKES.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
    pii = load_corpus()
    person = {split: evaluate_scanner(scanner, [r for r in pii if r["split"] == split])["exact"]["per_type"]["PERSON"]
              for split in ("dev", "test")}
    return {
        "concern_notes": len(concern), "concern_findings": sum(map(len, found)),
        "concern_notes_with_findings": sum(1 for f in found if f),
        "welsh_digraph_initials": digraph_initials, "welsh_digraph_initials_flagged": flagged_digraphs,
        "welsh_lookalike_sentences": len(lookalikes),
        "welsh_lookalike_findings": sum(len(f) for f in scanner.scan_many(lookalikes)),
        **{f"person_{split}_{k}": m[k] for split, m in person.items() for k in ("precision", "recall")},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = [r["text"] for r in load_corpus()] + [r["text"] for r in load(default_corpus())]
    words = sum(len(t.split()) for t in texts)
    nlp = spacy.blank("en")
    scanner = load_scanner()
    scanner.scan_many(texts[:50])  # warm up
    tokenise = best_of(args.repeat, lambda: list(nlp.pipe(texts, batch_size=256)))
    scan = best_of(args.repeat, lambda: list(scanner.scan_stream(texts)))
    result = {
        "notes": len(texts), "words": words,
        "spacy_blank_words_per_s": round(words / tokenise), "scan_words_per_s": round(words / scan),
        "scan_to_tokenise_ratio": round(tokenise / scan, 3), "target_words_per_s": 50_000,
        "false_alarms": false_alarms(scanner),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
