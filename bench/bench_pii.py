"""Scan throughput of the personal-data scanner, as a ratio to spacy.blank("en") tokenisation.

    python bench/bench_pii.py [--repeat 3]

Both run in this process on the same notes (the personal-data corpus plus the
concern sample corpus); words are whitespace-separated tokens. The target is
>= 50,000 words per second on the project's 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import time

import spacy

from casereview.corpus import default_corpus, load
from casereview.pii import load_scanner
from casereview.pii.training import load_corpus


def best_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


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
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
