"""What a retrained model's card (``casereview retrain``) says beyond a corpus-trained one's: its training data in
words, how it compares with the model in use, what promotion judges it on, and how its scores are calibrated."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .taxonomy import BY_NAME
from .wording import agree, count, figure_text, number

if TYPE_CHECKING:
    from .workspace import ModelRecord

#: What a calibrated score promises, and where it may not hold (here and in a corpus-trained model's card).
UNLIKE_THE_CORPUS = "on notes unlike the corpus's a score of 0.8 need not mean the label holds on 8 notes in 10"
#: Retraining fits every model's calibrators and thresholds on the corpus dev split (``learning.retrain``, ``fit``):
#: there is nothing to recalibrate after it, but the workspace's decisions calibrate nothing.
CALIBRATION = ("Scores are calibrated on the corpus dev split: retraining fitted the calibrators and thresholds "
               f"again on it, not on the workspace's decisions, so {UNLIKE_THE_CORPUS}. ")
#: The evaluation sets a retrained model is compared on, as headed (here and in the comparison tables of the CLI).
SET_TITLES = {"held_out": "held-out", "dev": "corpus dev", "test": "corpus test"}
HELD_OUT = "held_out"
#: Why a held-out F1 is read with the notes carrying its label (F1 = 2TP / (2TP + FP + FN): on 10 positives at about
#: 0.7, one more note missed takes it to 0.63)
FEW_CARRY = ("a label few notes carry has an F1 that one note found or missed moves a lot (on 10 notes carrying it, "
             "by about 0.05 to 0.1)")


def held_out_support(block: dict[str, Any], label: str | None) -> str:
    """How many notes of an evaluation set carry ``label`` ('' for the macro-F1's row): the gold's, either model's."""
    return "" if label is None else number(block["new"]["per_label"][label]["support"])


def support_line(block: dict[str, Any]) -> str:
    """'held-out notes carrying each label: risk_analysis_gap 25, ...; a label few notes carry ...': what a held-out
    F1 is read with."""
    carried = ", ".join(f"{name} {held_out_support(block, name)}" for name in block["new"]["per_label"])
    return f"{SET_TITLES[HELD_OUT]} notes carrying each label: {carried}; {FEW_CARRY}"


def data_lines(card: dict[str, Any]) -> list[str]:
    """The notes a retrained model learnt from, and those it did not, each figure in words (its card's)."""
    compared = card.get("comparison", {}).get("sets", {}).get("held_out", {}).get("notes")
    return trained_on_lines(card["trained_on"], compared)


def trained_on_lines(trained_on: dict[str, Any], compared: int | None) -> list[str]:
    """The notes a retrained model learnt from, and those it did not, in words, from what its version records
    (``trained_on``) and how many held-out notes compared it with the model in use (None: not known); its card,
    ``retrain`` and ``models show`` say them alike."""
    n = trained_on.get("notes", {})
    by = trained_on.get("evidence_located_by") or "the model in use"
    position = trained_on.get("decision_log_position")
    decisions = f" (its decisions up to decision-log position {position})" if position is not None else ""
    lines = [f"- trained on: {count(n.get('corpus_train', 0), 'corpus train note')} and "
             f"{count(n.get('workspace_train', 0), 'reviewed note')} of the workspace{decisions}"]
    if trained_on.get("held_out_percent"):
        those = "those" if compared is None else f"the {number(compared)}"
        lines.append(f"- held out: {count(n.get('held_out', 0), 'reviewed note')} of the held-out slice (the case "
                     f"files of a fixed {trained_on['held_out_percent']}%, chosen by case file), never trained on: "
                     f"{those} with every label decided compare it with the model in use")
    else:
        lines.append("- held out: none (trained on the held-out slice too)")
    evaluation, same = n.get("left_out_in_corpus_evaluation", 0), n.get("same_as_corpus", 0)
    lines.append(f"- left out: {count(evaluation, 'reviewed note')} that {agree(evaluation, 'is', 'are')} the corpus's "
                 f"dev or test notes (which tune and test it), and {number(same)} the same as the corpus train "
                 f"{agree(same, 'note', 'notes')} {agree(same, 'it', 'they')} would replace (the corpus "
                 f"{agree(same, 'note trains', 'notes train')} as {agree(same, 'it is', 'they are')})")
    lines.append(f"- held back until adjudicated: {describe_disputed(n)}")
    located = n.get("evidence_located", 0)
    lines.append(f"- evidence: {count(located, 'label')} reviewers confirmed or added without evidence sentences "
                 f"{agree(located, 'was', 'were')} given the sentences {by} finds strongest for "
                 f"{agree(located, 'it', 'them')} (the sentence classifiers learn from sentences)")
    return lines


def describe_disputed(counts: dict[str, int]) -> str:
    """The disputed labels a retraining holds back, and the notes left out for having nothing else decided, from its
    counts (``learning.build``'s, as a version records them): its card, ``retrain``'s refusal and ``models show``
    say them in these words."""
    disputed, notes, left_out = (counts.get(k, 0) for k in ("disputed_labels", "disputed_notes", "left_out_disputed"))
    words = f"{count(disputed, 'label')} reviewers disagree on, of {count(notes, 'note')}"
    if left_out:
        words += f" ({count(left_out, 'note')} left out: no other label decided on {agree(left_out, 'it', 'them')})"
    return words


def version_lines(record: ModelRecord) -> list[str]:
    """:func:`trained_on_lines` of a registered retrained version (``retrain`` and ``models show`` print them)."""
    return trained_on_lines(record.trained_on, (record.metrics.get("held_out") or {}).get("notes"))


def f1_of(block: dict[str, Any] | None, label: str | None = None) -> float | None:
    """A label's F1 on an evaluation set (the macro's with no label); None where there is none: no model, no note
    in the set, or no note of it carrying the label (left out of the macro: figures stored before such an F1 was
    None say 0)."""
    if block is None or not block.get("notes"):
        return None
    if label is None:
        return block["macro_f1"]
    return None if label in block.get("left_out_of_macro", {}) else block["per_label"][label]["f1"]


def _f1(block: dict[str, Any] | None, label: str | None) -> str:
    return figure_text(f1_of(block, label))


def comparison_section(card: dict[str, Any]) -> list[str]:
    """F1 of the model in use at retraining and of this one on every evaluation set, what promotion judges on, and
    whether the guardrail would have promoted it then."""
    comparison = card.get("comparison") or {}
    sets = comparison.get("sets")
    if not sets:
        return []
    current = comparison.get("current_version")
    out = [f"## Compared with the model in use ({current or 'none'})", ""]
    out.append("F1 on notes neither model was trained on: the held-out slice's reviewed notes with every label "
               "decided (a note with some label undecided would hide the current model's misses and this one's "
               "false alarms), and the corpus's dev split (on which this model's calibrators and thresholds were fitted) and test "
               "split. "
               + ("Each cell is the model in use, then this one." if current else
                  "There was no model in use to compare with: each cell is this model's."))
    # the held-out slice is the workspace's few notes (the corpus splits' counts are in the metrics below): each
    # label's F1 there beside the notes carrying it
    heads = [f"{SET_TITLES.get(name, name)} ({s['notes']:,} notes)" + (" | held-out notes with it" if name == HELD_OUT
                                                                        else "") for name, s in sets.items()]
    out += ["", "| label | " + " | ".join(heads) + " |", "|---|" + "---|" * (len(sets) + (HELD_OUT in sets))]

    def cells(label: str | None) -> str:
        return " | ".join((f"{_f1(s.get('current'), label)} → {_f1(s['new'], label)}" if current else
                           _f1(s["new"], label))
                          + (f" | {held_out_support(s, label)}" if name == HELD_OUT else "")
                          for name, s in sets.items())

    for label in next(iter(sets.values()))["new"]["per_label"]:
        out.append(f"| `{label}`{' (core)' if BY_NAME[label].core else ''} | {cells(label)} |")
    out += [f"| **macro-F1** | {cells(None)} |", ""]
    if HELD_OUT in sets:
        out += [f"On the held-out notes, {FEW_CARRY}: read each F1 there with its count.", ""]
        out += _tuned_held_out(sets[HELD_OUT])
    if any(s["new"].get("left_out_of_macro") for s in sets.values()):
        out += ["–: no note of that set carries the label (or the set has no note), so there is no F1: it is left "
                "out of that set's macro-F1.", ""]
    out += _promotion(card, sets, current)
    return out


def _tuned_held_out(held_out: dict[str, Any]) -> list[str]:
    """Held-out notes that are corpus dev notes (a workspace holding the corpus has them: the slice is chosen by case
    file, the splits are not): the thresholds were tuned on them, so the held-out figures are not all on unseen notes."""
    tuned = held_out.get("corpus_dev_notes")  # not recorded by retrains before it was
    if not tuned:
        return []
    return [f"{number(tuned)} of the {number(held_out['notes'])} held-out notes are the corpus's dev notes, on which this model's "
            "calibrators and thresholds were fitted, as were the model in use's if it was trained on the same corpus "
            "(the shipped model was, on the sample corpus): on them the held-out F1s flatter each model tuned there. "
            "The corpus test column compares the models on notes this one was not tuned on.", ""]


def _promotion(card: dict[str, Any], sets: dict[str, Any], current: str | None) -> list[str]:
    """What ``casereview models promote`` judges on (as the workspace stood at retraining) and what it would say."""
    from .learning import MAX_CORE_F1_DROP, MAX_MACRO_F1_DROP, Evidence, guardrail

    if "promote_compares_on" not in card:  # retrained before the card recorded it
        return []
    evidence = Evidence(**card["promote_compares_on"])
    out = ["`casereview models promote` judges it against the model in use when it runs, on the workspace as it "
           f"stands then; at retraining that was {evidence.describe()}."]
    if evidence.left_out():
        out[-1] += f" {evidence.left_out()}."
    judged = sets.get(evidence.set)
    if current and judged and judged.get("current"):
        reasons = guardrail(judged["new"], judged["current"])
        limits = (f"its macro-F1 may drop by at most {MAX_MACRO_F1_DROP} and a core label's F1 by at most "
                  f"{MAX_CORE_F1_DROP}")
        out.append(f"On that set the guardrail would refuse it ({limits}): " + "; ".join(reasons) + "." if reasons else
                   f"On that set the guardrail would promote it ({limits}).")
    return [" ".join(out), ""]
