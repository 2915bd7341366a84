"""The card 'casereview retrain' writes, read as a data lead reads it: one real retrain on the sample corpus (about two
minutes, so the tests share it and run with the slow ones)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casereview import corpus as corpus_mod
from casereview import learning
from casereview.model_card import render_markdown
from casereview.notes import CORE_FIELDS, validate
from casereview.taxonomy import BY_NAME
from casereview.workspace import Workspace

from .conftest import run_cli

pytestmark = pytest.mark.slow

DISPUTED = "delay_timeliness"
TUNED_HELD_OUT = 10  # corpus dev notes among the held-out notes


@pytest.fixture(scope="module")
def retrained(tmp_path_factory):
    """A workspace's reviewed notes (new notes, corpus test notes, one label two reviewers disagree on), retrained on
    the sample corpus by the real command: its --json output, its card's two forms."""
    sample = corpus_mod.load()
    new = [{**{f: r[f] for f in CORE_FIELDS if r.get(f)}, "note_id": f"ws-{r['note_id']}",
            "text": r["text"] + "\nRecord checked.", "labels": r["labels"]}
           for r in corpus_mod.split(sample, "train")[:300:3]]
    tested = [{**{f: r[f] for f in CORE_FIELDS if r.get(f)}, "labels": r["labels"]}
              for r in corpus_mod.split(sample, "test")[:20]]
    # corpus dev notes of the held-out slice's case files (the README's tour imports the corpus): held out
    tested += [{**{f: r[f] for f in CORE_FIELDS if r.get(f)}, "labels": r["labels"]}
               for r in corpus_mod.split(sample, "dev") if learning.in_held_out_slice(r["case_id"])][:TUNED_HELD_OUT]
    path = tmp_path_factory.mktemp("retrain") / "ws"
    with Workspace.open(path) as ws:
        ws.import_notes([validate(r, "reviewed.jsonl", i) for i, r in enumerate(new + tested, 1)], "reviewed.jsonl")
        trained = next(r for r in new if not learning.in_held_out_slice(r["case_id"]) and DISPUTED in r["labels"])
        ws.record_decision(trained["note_id"], DISPUTED, "rejected", "B. Other")  # the import's side: confirmed
    done = run_cli("retrain", "-w", str(path), "--json", "-p", "1")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    folder = path / "models" / result["version"]
    card = json.loads((folder / "model-card.json").read_text(encoding="utf-8"))
    return result, card, (folder / "MODEL_CARD.md").read_text(encoding="utf-8")


def section(markdown: str, heading: str) -> str:
    return markdown.split(f"## {heading}")[1].split("\n## ")[0]


def test_its_data_says_each_figure_in_words(retrained):
    """The data line was the training counts' raw keys: '83 evidence located', '20 left out in corpus evaluation',
    '0 left out disputed'."""
    result, card, markdown = retrained
    counts, data = result["counts"], section(markdown, "Data")
    assert "- notes:" not in data, data
    for key in set(counts) - {"corpus_train", "held_out"}:  # those two read as words already
        assert key.replace("_", " ") not in data, data
    assert counts["workspace_train"] and counts["held_out"] and counts["left_out_in_corpus_evaluation"] == 20
    assert (f"- trained on: {counts['corpus_train']:,} corpus train notes and {counts['workspace_train']} reviewed "
            f"notes of the workspace (its decisions up to decision-log position "
            f"{card['trained_on']['decision_log_position']})\n") in data
    compared = card["comparison"]["sets"]["held_out"]["notes"]
    assert (f"- held out: {counts['held_out']} reviewed notes of the held-out slice (the case files of a fixed 20%, "
            f"chosen by case file), never trained on: the {compared} with every label decided compare it with the "
            "model in use\n") in data
    assert ("- left out: 20 reviewed notes that are the corpus's dev or test notes (which tune and test it), and 0 the "
            "same as the corpus train notes they would replace") in data
    assert "- held back until adjudicated: 1 label reviewers disagree on, of 1 note\n" in data
    assert (f"- evidence: {counts['evidence_located']} labels reviewers confirmed or added without evidence sentences "
            f"were given the sentences {card['trained_on']['evidence_located_by']} finds strongest for them") in data


def test_it_compares_the_new_model_with_the_model_in_use_as_promotion_will(retrained):
    """The card left out the comparison its model-card.json holds, and what promotion judges it on."""
    result, card, markdown = retrained
    comparison = card["comparison"]
    current = comparison["current_version"]
    assert current and card["trained_on"]["compared_with"] == current
    compared = section(markdown, f"Compared with the model in use ({current})")
    sets = comparison["sets"]
    assert (f"| label | held-out ({sets['held_out']['notes']} notes) | held-out notes with it | corpus dev "
            f"({sets['dev']['notes']:,} notes) | corpus test ({sets['test']['notes']:,} notes) |") in compared

    def cells(label):
        def f1(block):
            value = block["macro_f1"] if label is None else block["per_label"][label]["f1"]
            return "–" if value is None else f"{value:.3f}"
        carried = "" if label is None else sets["held_out"]["new"]["per_label"][label]["support"]
        return " | ".join(f"{f1(s['current'])} → {f1(s['new'])}" + (f" | {carried}" if name == "held_out" else "")
                          for name, s in sets.items())

    for label in card["labels"]:
        assert f"| `{label}`{' (core)' if BY_NAME[label].core else ''} | {cells(label)} |\n" in compared
    assert f"| **macro-F1** | {cells(None)} |\n" in compared
    # what promote judges on, as retrain said it, and what the guardrail makes of that set's comparison
    assert card["promote_compares_on"] == result["promote_compares_on"]
    evidence = learning.Evidence(**result["promote_compares_on"])
    assert evidence.set == "test" and evidence.too_few_held_out  # 22 or so held-out notes: too few to judge on
    words = " ".join(compared.split())
    assert f"at retraining that was {evidence.describe()}." in words
    judged = sets[evidence.set]
    reasons = learning.guardrail(judged["new"], judged["current"])
    verdict = "On that set the guardrail would " + ("refuse it" if reasons else "promote it")
    assert verdict in words and all(reason in words for reason in reasons)


def test_it_says_which_held_out_notes_its_thresholds_were_tuned_on(retrained):
    """The held-out column was read as notes neither model had seen, yet a workspace holding the corpus (the sample
    corpus has 316 dev notes in the held-out slice) holds out corpus dev notes, on which retraining fitted the
    calibrators and thresholds: the card says how many, and what that means for the comparison."""
    _, card, markdown = retrained
    held_out = card["comparison"]["sets"]["held_out"]
    assert held_out["corpus_dev_notes"] == TUNED_HELD_OUT, held_out.keys()
    compared = " ".join(section(markdown, "Compared with the model in use").split())
    assert (f"{TUNED_HELD_OUT} of the {held_out['notes']} held-out notes are the corpus's dev notes, on which this "
            "model's calibrators and thresholds were fitted") in compared, compared


def test_its_limits_say_how_retraining_calibrated_it(retrained):
    """'recalibrate after retraining on local decisions' asked for a recalibration no command does: retraining
    itself fits the calibrators and thresholds again, on the corpus dev split."""
    _, card, markdown = retrained
    limits = " ".join(section(markdown, "Limits").split())
    assert "recalibrate" not in limits
    assert ("Scores are calibrated on the corpus dev split: retraining fitted the calibrators and thresholds again on "
            "it, not on the workspace's decisions") in limits
    assert "Never use a score without reading the note." in limits
    assert markdown == render_markdown(card)  # the card's two forms say the same


def test_the_shipped_models_card_reads_as_it_did():
    shipped = Path(corpus_mod.package_root(), "models", "concern-0.11.0")
    card = json.loads((shipped / "model-card.json").read_text(encoding="utf-8"))
    markdown = render_markdown(card)
    assert markdown == (shipped / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "## Compared with" not in markdown and "retraining fitted the calibrators" not in markdown
