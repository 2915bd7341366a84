"""How the concern model holds up when notes are written differently: macro-F1 on rewritten dev notes.

    .venv/bin/python bench/bench_robustness.py [--model DIR] [--update-card]

Real notes come from many systems and hands: upper case from old systems, Windows line endings,
curly quotes from word processors, text-message shorthand, American spelling, slips of the keyboard,
no full stops at all. Each rewrite below is applied to every hand-written note of the corpus's dev
split (never test), and the model's macro-F1 and core-label F1 on the rewritten notes are reported
beside the unchanged notes', as ratios, in the same process. The gold labels do not change: each
rewrite keeps what a note says. Figures go to bench/out/robustness.{json,md} and, with
``--update-card``, into the model's card.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable
from pathlib import Path

from threadpoolctl import threadpool_limits

from casereview import corpus, registry
from casereview.evaluation import metrics, predictions_matrix, targets
from casereview.model import _note_from_record
from casereview.taxonomy import CORE_LABELS

OUT = Path(__file__).resolve().parent / "out"
SEED = 20261126

TEXT_SPEAK = {"and": "&", "with": "w/", "without": "w/o", "because": "b/c", "about": "abt", "appointment": "appt",
              "weeks": "wks", "week": "wk", "information": "info", "tomorrow": "tmrw", "before": "b4",
              "message": "msg", "text": "txt"}
AMERICAN = [(r"our\b", "or"), (r"is(e|ed|es|ing|ation)\b", r"iz\1"), (r"tre\b", "ter"), (r"ogue\b", "og")]


def typos(rate: float) -> Callable[[str], str]:
    """Drop one inner letter of a word of five or more letters, at ``rate`` of such words (seeded per note)."""
    def rewrite(text: str) -> str:
        rng = random.Random(f"{SEED}:{text[:40]}")
        words = text.split(" ")
        for i, w in enumerate(words):
            if len(w) > 4 and w.isalpha() and rng.random() < rate:
                k = rng.randrange(1, len(w) - 1)
                words[i] = w[:k] + w[k + 1:]
        return " ".join(words)
    return rewrite


def american(text: str) -> str:
    for pattern, replacement in AMERICAN:
        text = re.sub(pattern, replacement, text)
    return text


#: name -> (what it does, the rewrite)
REWRITES: dict[str, tuple[str, Callable[[str], str]]] = {
    "as written": ("the notes unchanged", lambda t: t),
    "upper case": ("every letter upper case (old case systems)", str.upper),
    "lower case": ("every letter lower case (dictated, hurried)", str.lower),
    "CRLF": ("Windows line endings", lambda t: t.replace("\n", "\r\n")),
    "one line": ("line breaks replaced by spaces (exports that flatten text)", lambda t: re.sub(r"\s*\n+\s*", " ", t)),
    "curly quotes": ("apostrophes as word processors write them", lambda t: t.replace("'", "\u2019")),
    "no commas": ("commas removed", lambda t: t.replace(",", "")),
    "text speak": ("&, w/, w/o, b/c, appt, wks, info, ... for their words", lambda t: re.sub(
        r"\b(" + "|".join(TEXT_SPEAK) + r")\b", lambda m: TEXT_SPEAK[m.group(1)], t)),
    "American spelling": ("behavior, organize, center", american),
    "typos": ("one letter dropped from 8% of longer words", typos(0.08)),
    "no full stops": ("every full stop removed (run-on text)", lambda t: t.replace(".", "")),
    "one line, no full stops": ("both: a dictated or pasted note with no breaks at all",
                                lambda t: re.sub(r"\s*\n+\s*", " ", t.replace(".", ""))),
}


def measure(model, records: list[dict]) -> dict[str, dict]:
    gold = targets(records)
    results = {}
    for name, (what, rewrite) in REWRITES.items():
        notes = [_note_from_record({**r, "text": rewrite(r["text"])}) for r in records]
        with threadpool_limits(1):
            scored = metrics(gold, predictions_matrix(model.predict(notes)))
        results[name] = {"what": what, "macro_f1": round(scored["macro_f1"], 4),
                         **{label: round(scored["per_label"][label]["f1"], 4) for label in CORE_LABELS}}
    base = results["as written"]["macro_f1"]
    for r in results.values():
        r["ratio"] = round(r["macro_f1"] / base, 3) if base else 0.0
    return results


def table(results: dict[str, dict]) -> str:
    lines = ["| notes | macro-F1 | ratio | " + " | ".join(CORE_LABELS) + " |",
             "|---|---|---|" + "---|" * len(CORE_LABELS)]
    for name, r in results.items():
        lines.append(f"| {name}: {r['what']} | {r['macro_f1']:.3f} | {r['ratio']:.3f} | "
                     + " | ".join(f"{r[label]:.3f}" for label in CORE_LABELS) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", help="A model folder (default: the shipped default).")
    parser.add_argument("--update-card", action="store_true", help="Write the figures into the model's card.")
    args = parser.parse_args()
    model, folder = registry.resolve(args.model)
    dev = [r for r in corpus.split(corpus.load(), "dev") if r.get("origin") != "generator"]
    results = measure(model, dev)
    OUT.mkdir(exist_ok=True)
    (OUT / "robustness.json").write_text(json.dumps({"model": model.version, "notes": len(dev), "results": results},
                                                    indent=2) + "\n")
    text = (f"{model.version} on the {len(dev)} hand-written dev notes, each rewritten as below "
            "(ratio: macro-F1 against the notes as written)\n\n" + table(results) + "\n")
    (OUT / "robustness.md").write_text(text)
    print(text)
    if args.update_card:
        from casereview.model_card import add_section
        from casereview.wording import number

        add_section(folder, "robustness", {
            f"{name}: {r['what']}": f"macro-F1 {r['macro_f1']:.3f} (ratio {r['ratio']:.3f}); "
                                   + ", ".join(f"{label} {r[label]:.3f}" for label in CORE_LABELS)
            for name, r in results.items()} | {"measured on": f"the {number(len(dev))} hand-written dev notes; bench/bench_robustness.py"})


if __name__ == "__main__":
    main()
