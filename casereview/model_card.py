"""Render a model card (``model-card.json`` content) as ``MODEL_CARD.md``."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from . import retrained_card
from .taxonomy import BY_NAME
from .wording import agree, count, figure_text, number, tally

INTENDED_USE = (
    "Suggesting codebook concern labels, with evidence sentences, on anonymised children's social care "
    "case notes, for a human reviewer to confirm or reject in casereview. It prioritises reading; it does "
    "not decide anything about a child or a worker."
)
SAMPLE_CORPUS = "a synthetic corpus (hand-written voices plus a compositional generator)"
#: The limits after what the model was trained on (``_trained_on``, which begins their first sentence).
LIMITS_AFTER_CORPUS = (
    "other authorities' recording styles and note types it has not "
    "seen. It reads each note on its own, as the codebook asks, so a gap shown only across notes is missed. "
)
#: ... for a model trained on a corpus alone (a retrained model's card says how retraining calibrated it instead).
#: It said "recalibrate after retraining on local decisions", which no command does: what a data lead can do is
#: measure the suggestions on their own decided notes.
CALIBRATION = (f"Scores are calibrated on the corpus dev split, so {retrained_card.UNLIKE_THE_CORPUS}; "
               "`casereview retrain` fits the calibrators and thresholds on the corpus dev split again, not on a "
               "workspace's decisions (nothing to recalibrate after it): measure its suggestions on notes your "
               "reviewers decided with `casereview evaluate` (`casereview export labels` writes them). ")
NEVER_WITHOUT_READING = "Never use a score without reading the note."
#: What the dev errors of the corpus-trained models had in common (read note by note, and confirmed by an
#: independent second coding of dev notes: readers of the codebook found these gaps where the model did not).
#: A model retrained on a workspace's decisions, or trained on another corpus, has not been read that way, so its
#: card does not say it.
TYPICAL_MISSES = (
    "Most of what it misses is a gap in ordinary words: an incident or disclosure recorded as one routine line "
    "(a police notification, a child's remark about a parent) and never weighed, or a decision recorded with "
    "nothing in its wording to say a manager was needed."
)
NO_SUGGESTION = "A note with no suggestion is not a note with no concern."
#: Recall under this is spelt out in the limits as how many notes carrying the label get no suggestion.
RECALL_TO_STATE = 0.9


def _sample_corpus(card: dict[str, Any]) -> bool:
    """Whether the model was trained on the project's sample corpus; a card written before it was recorded is if
    'train' named its corpus folder 'sample' (the shipped card)."""
    return card.get("sample_corpus", card.get("corpus") == "sample")


def _trained_on(card: dict[str, Any]) -> str:
    """What the model was trained on, and so which notes it may do worse on: the sample corpus's facts only for it."""
    corpus = SAMPLE_CORPUS if _sample_corpus(card) else f"the corpus `{Path(card.get('corpus', '')).name}`"
    if "trained_on" in card:  # retrained on a workspace's decisions besides the corpus
        return f"Trained on {corpus} and a workspace's reviewed notes: expect lower accuracy on notes unlike those, "
    if _sample_corpus(card):
        return f"Trained on {corpus}, not real records: expect lower accuracy on real notes, "
    return f"Trained on {corpus} alone: expect lower accuracy on notes unlike those it was trained on, "


def _how_many(share: float) -> tuple[int, int]:
    """A share (0 < share < 1) as "k in n" to say "about k in n": 1 in n up to a third (1 in 6), else the nearest
    fraction with a small denominator (3 in 5), as "1 in" rounded says 1 in 2 of anything from 0.34 to 0.6 and
    1 in 1 above."""
    if share <= 1 / 3:
        return 1, round(1 / share)
    for most in (10, 100, 1000):
        near = Fraction(share).limit_denominator(most)
        if near < 1:
            break
    return near.numerator, near.denominator


def _miss_rate(name: str, m: dict[str, Any]) -> str:
    """One label's misses and wrong suggestions, in words."""
    if m["recall"] == 0:
        return f"- `{name}`: no note carrying it got a suggestion (recall 0.000)"
    missed, of = _how_many(1 - m["recall"])
    line = f"- `{name}`: about {missed} in {of} notes carrying it get no suggestion (recall {m['recall']:.3f})"
    if 0 < m["precision"] < 1:
        wrong, of = _how_many(1 - m["precision"])
        line += (f", and about {wrong} {agree(wrong, 'suggestion', 'suggestions')} in {of} "
                 f"{agree(wrong, 'is', 'are')} wrong (precision {m['precision']:.3f})")
    return line


def _miss_rates(card: dict[str, Any]) -> list[str]:
    """Plain-language miss and false-suggestion rates for labels the model finds least, on test (else dev)."""
    split = next((s for s in ("test", "dev") if s in card.get("metrics", {})), None)
    if split is None:
        return []
    lines = [_miss_rate(name, m) for name, m in card["metrics"][split]["per_label"].items()
             if m["support"] and m["recall"] < RECALL_TO_STATE]
    if not lines:
        return []
    head = f"On the {split} split ({card['metrics'][split]['notes']:,} notes), the labels it finds least:"
    closing = [NO_SUGGESTION]
    # trained from the sample corpus alone: the misses read and second-coded are its design's on that corpus
    if _sample_corpus(card) and "trained_on" not in card:
        closing.insert(0, TYPICAL_MISSES)
    if "cv_origin" in card:
        closing.append("Notes in a voice it was not trained on fare worse: see the leave-one-voice-out figures below.")
    return [head, ""] + lines + ["", " ".join(closing), ""]


#: Figures measured after training (by scripts in bench/), as headed in MODEL_CARD.md.
MEASURED_SECTIONS = {"benchmarks": "Benchmarks",
                     "robustness": "Robustness: notes written differently (same labels, hand-written dev notes)"}


def _metric_table(block: dict[str, Any]) -> list[str]:
    lines = ["| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for name, m in block["per_label"].items():
        core = " (core)" if BY_NAME[name].core else ""
        lines.append(f"| `{name}`{core} | {figure_text(m['precision'])} | {figure_text(m['recall'])} | "
                     f"{figure_text(m['f1'])} | {number(m['support'])} |")
    lines.append(f"| **macro** | | | **{figure_text(block['macro_f1'])}** | {count(block['notes'], 'note')} |")
    lines.append(f"\nExact match: {block['exact_match']:.3f}.")
    return lines


def _cv_origin(cv: dict[str, Any]) -> list[str]:
    """The leave-one-voice-out section. A voice whose notes carry no label has no macro-F1, and a label none of a
    voice's notes carries no F1 there (None): each mean is over the voices that have one, and says so."""
    folds = list(cv["folds"].values())
    scored = sum(f["macro_f1"] is not None for f in folds)
    out = ["## Generalisation: leave one hand-written voice out", "",
           "| held-out origin | notes | macro-F1 |", "|---|---|---|"]
    out += [f"| {o} | {number(v['notes'])} | {figure_text(v['macro_f1'])} |" for o, v in cv["folds"].items()]
    out += ["", f"Mean macro-F1 {figure_text(cv['mean_macro_f1'])}; worst {figure_text(cv['worst_macro_f1'])} "
                f"({cv['worst_origin']})."]
    if scored < len(folds):
        out[-1] += (f" Mean macro-F1 and the worst are over the {count(scored, 'voice')} whose notes carry some label "
                    "(– : none of its notes carries one, so there is nothing to find).")
    out += [""]
    if folds and "per_label_f1" in folds[0]:
        out += ["Per label, mean F1 over the held-out voices (what to expect on notes in a new style):", "",
                "| label | mean F1 |", "|---|---|"]
        for name in folds[0]["per_label_f1"]:
            carried = [f["per_label_f1"][name] for f in folds if f["per_label_f1"][name] is not None]
            mean = figure_text(sum(carried) / len(carried) if carried else None)
            out.append(f"| `{name}` | {mean} |" if len(carried) == len(folds) else
                       f"| `{name}` | {mean} ({len(carried)} of {count(len(folds), 'voice')}) |")
        out += [""]
    return out


def _limits(card: dict[str, Any]) -> str:
    calibration = retrained_card.CALIBRATION if "trained_on" in card else CALIBRATION
    return _trained_on(card) + LIMITS_AFTER_CORPUS + calibration + NEVER_WITHOUT_READING


def _data(card: dict[str, Any]) -> list[str]:
    """Where the notes came from and how many: a retrained model's in words (its counts are of several kinds)."""
    out = ["## Data", "", f"- corpus: `{card.get('corpus', '')}`",
           f"- corpus data hash (sha256): `{card.get('data_hash', '')}`"]
    out += (retrained_card.data_lines(card) if "trained_on" in card else [f"- notes: {tally(card.get('counts', {}))}"])
    return out + [f"- seed: {card.get('seed')}", ""]


def render_markdown(card: dict[str, Any]) -> str:
    out = [f"# Model card: {card['version']}", "", card.get("summary", ""), "",
           "## Intended use", "", INTENDED_USE, "", "## Limits", "", _limits(card), ""]
    out += _miss_rates(card)
    out += ["## Design", "", card.get("design", ""), ""]
    out += ["## Labels and thresholds", "", "| label | threshold |", "|---|---|"]
    out += [f"| `{n}` | {t:.2f} |" for n, t in card["thresholds"].items()]
    out += [""] + _data(card)
    out += retrained_card.comparison_section(card)
    for split in ("dev", "test"):
        if split in card.get("metrics", {}):
            out += [f"## {split.capitalize()} metrics", ""] + _metric_table(card["metrics"][split]) + [""]
            baseline = card.get("baseline", {}).get(split)
            if baseline:
                out += [f"Keyword-search baseline on {split}: macro-F1 {figure_text(baseline['macro_f1'])}.", ""]
    if "near_miss" in card:
        nm = card["near_miss"]
        # a card written before an unmeasured rate was None says 0.0 of 0 notes
        measured = (f"False-positive rate on {number(nm['notes'])} near-miss notes of the test split "
                    f"(pairs the note does not carry): {nm['false_positive_rate']:.3f}." if nm["notes"] else
                    "The test split has no near-miss notes (`hard_case: near_miss`): not measured.")
        out += ["## Near-miss good-practice notes", "", measured, ""]
    if "cv_origin" in card:
        out += _cv_origin(card["cv_origin"])
    for key, heading in MEASURED_SECTIONS.items():
        if key in card:
            out += [f"## {heading}", ""] + [f"- {k}: {v}" for k, v in card[key].items()] + [""]
    out += ["## Safety of the model file", "",
            f"`model.joblib` runs code when loaded. Its sha256 is `{card['sha256']}`; casereview pins the "
            "hashes of shipped models and records workspace models' hashes, and refuses a file that does "
            "not match unless given `--trust-model`.", "",
            "## Library versions", ""]
    out += [f"- {k} {v}" for k, v in card.get("library_versions", {}).items()]
    return "\n".join(out) + "\n"


def add_section(folder, key: str, value: Any) -> None:
    """Add figures measured after training (benchmarks) to a model card; the model file is untouched."""
    from .model_files import add_card_section

    add_card_section(folder, key, value, render_markdown)
