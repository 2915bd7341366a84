"""Scan throughput of the personal-data scanner, as a ratio to spacy.blank("en") tokenisation, and its false alarms.

    python bench/bench_pii.py [--repeat 3]

Both run in this process on the same notes (the personal-data corpus plus the
concern sample corpus); words are whitespace-separated tokens. The target is
>= 50,000 words per second on the project's 2-core machine.

False alarms: every finding on the concern sample corpus (anonymised: initials and roles, so
a finding there is almost always a false alarm; each note read with its date, as an import
reads it), those on Welsh initials that are one letter of the Welsh alphabet written with
two (Ch Dd Ff Ng Ll Ph Rh Th: "Ll (4) did not go to cylch meithrin"), every finding on `bench/data/welsh_lookalikes.txt` (sentences with no
personal data: initials, Welsh words, services, towns), beside the scanner's PERSON
precision and recall on the personal-data corpus's dev and test splits.

New contexts: PERSON recall per group and precision on `bench/data/pii_contexts.txt`, hand-written
sentences (not from the generator) with names after a sentence's capitalised verb, adverb or kinship
word, in lists after "Present:", names that are words, Welsh verb-first sentences, and lines with no
name (whose findings are counted). ``--model DIR`` measures an unpinned model (``--trust-model``).
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
CONTEXTS = Path(__file__).with_name("data") / "pii_contexts.txt"
MARK = re.compile(r"\[\[(.+?)\]\]")
WELSH_DIGRAPH = re.compile(r"\b(?:Ch|Dd|Ff|Ng|Ll|Ph|Rh|Th)\b")


def best_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def concern_findings(scanner, records: list[dict]) -> list[list]:
    """The scanner's findings on each note of the concern corpus, read with its note's date as an import scans it
    (a date after a person that is after the note's date is an event's; undated, it is judged as of today)."""
    return list(scanner.scan_stream((r["text"] for r in records), dates=(r.get("date") for r in records)))


def false_alarms(scanner) -> dict:
    records = load(default_corpus())
    concern, found = [r["text"] for r in records], concern_findings(scanner, records)
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


def context_sentences(path: Path = CONTEXTS) -> list[tuple[str, str, set[tuple[int, int]]]]:
    """(group, sentence, gold PERSON spans) of each line of the contexts file, marks removed."""
    rows, group = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            group = line[3:].strip()
            continue
        if not line.strip() or line.startswith("#"):
            continue
        text, spans, pos = "", set(), 0
        for m in MARK.finditer(line):
            text += line[pos : m.start()]
            spans.add((len(text), len(text) + len(m.group(1))))
            text += m.group(1)
            pos = m.end()
        rows.append((group, text + line[pos:], spans))
    return rows


def new_contexts(scanner) -> dict:
    """PERSON recall per group (exact span), precision over all lines, and findings on lines with no name."""
    rows = context_sentences()
    found = scanner.scan_many([text for _, text, _ in rows])
    groups: dict[str, dict[str, int]] = {}
    true_pos = predicted = no_name_findings = 0
    for (group, _, gold), entities in zip(rows, found):
        names = {(e.start, e.end) for e in entities if e.label == "PERSON"}
        g = groups.setdefault(group, {"gold": 0, "found": 0})
        g["gold"] += len(gold)
        g["found"] += len(gold & names)
        true_pos += len(gold & names)
        predicted += len(names)
        no_name_findings += 0 if gold else len(entities)
    gold_total = sum(g["gold"] for g in groups.values())
    return {
        "sentences": len(rows), "names": gold_total,
        "person_recall": round(true_pos / gold_total, 3) if gold_total else None,
        "person_precision": round(true_pos / predicted, 3) if predicted else None,
        "findings_on_lines_without_names": no_name_findings,
        "recall_per_group": {name: f"{g['found']}/{g['gold']}" for name, g in groups.items() if g["gold"]},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", type=Path, default=None, help="a PII model folder [default: the shipped model]")
    parser.add_argument("--trust-model", action="store_true", help="load a model whose sha256 is not pinned")
    parser.add_argument("--contexts-only", action="store_true", help="only the new contexts' figures")
    parser.add_argument("--update-card", action="store_true",
                        help="write the figures, and the dev and test figures measured again, into the shipped model's card")
    args = parser.parse_args()
    scanner = load_scanner(args.model, trust=args.trust_model)
    if args.contexts_only:
        print(json.dumps({"model": scanner.version, "new_contexts": new_contexts(scanner)}, indent=2))
        return
    texts = [r["text"] for r in load_corpus()] + [r["text"] for r in load(default_corpus())]
    words = sum(len(t.split()) for t in texts)
    nlp = spacy.blank("en")
    scanner.scan_many(texts[:50])  # warm up
    tokenise = best_of(args.repeat, lambda: list(nlp.pipe(texts, batch_size=256)))
    scan = best_of(args.repeat, lambda: list(scanner.scan_stream(texts)))
    result = {
        "model": scanner.version, "notes": len(texts), "words": words,
        "spacy_blank_words_per_s": round(words / tokenise), "scan_words_per_s": round(words / scan),
        "scan_to_tokenise_ratio": round(tokenise / scan, 3), "target_words_per_s": 50_000,
        "false_alarms": false_alarms(scanner),
        "new_contexts": new_contexts(scanner),
    }
    print(json.dumps(result, indent=2))
    if args.update_card:
        update_card(result)
        update_card_metrics(scanner)


def update_card_metrics(scanner) -> None:
    """The card's dev and test figures measured again with the scanner as it is now: its rules (the patterns,
    RULES_VERSION) change without retraining the recogniser, and the card must state what the scanner does."""
    from casereview.model_files import add_card_section
    from casereview.pii.card import render_markdown
    from casereview.pii.scanner import shipped_folder

    pii = load_corpus()
    add_card_section(shipped_folder(), "metrics", {
        split: evaluate_scanner(scanner, [r for r in pii if r["split"] == split]) for split in ("dev", "test")},
        render_markdown)


def update_card(result: dict) -> None:
    from casereview.model_files import add_card_section
    from casereview.pii.card import render_markdown
    from casereview.pii.scanner import shipped_folder

    from casereview.wording import count, number

    fa, ctx = result["false_alarms"], result["new_contexts"]
    add_card_section(shipped_folder(), "benchmarks", {
        "scan speed": f"{number(result['scan_words_per_s'])} words/s on {count(result['notes'], 'note')} (target "
                      f"50,000; spacy.blank tokenises {number(result['spacy_blank_words_per_s'])} words/s)",
        "findings on the anonymised concern corpus (almost all false alarms)":
            f"{number(fa['concern_findings'])} in {number(fa['concern_notes_with_findings'])} of "
            f"{count(fa['concern_notes'], 'note')}",
        "findings on bench/data/welsh_lookalikes.txt (all false alarms)":
            f"{number(fa['welsh_lookalike_findings'])} on {count(fa['welsh_lookalike_sentences'], 'sentence')}",
        "names after a capital lead word, in lists, that are words, Welsh (bench/data/pii_contexts.txt)":
            f"recall {ctx['person_recall']}, precision {ctx['person_precision']} on {count(ctx['names'], 'name')}; "
            f"{count(ctx['findings_on_lines_without_names'], 'finding')} on its lines without names; per group "
            + ", ".join(f"{group} {found}" for group, found in ctx["recall_per_group"].items()),
        "machine": "2 cores shared; bench/bench_pii.py",
    }, render_markdown)


if __name__ == "__main__":
    main()
