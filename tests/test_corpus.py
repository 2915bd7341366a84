"""The sample corpus follows the codebook and issue 3's requirements."""

from __future__ import annotations

import collections
import copy
import json
import random
import subprocess
import sys

import pytest

from casereview import corpus
from casereview.errors import CaseReviewError
from casereview.notes import NOT_UTF8, NOT_UTF8_SAVE, read_jsonl, validate
from casereview.taxonomy import LABEL_NAMES
from casereview.workspace import Workspace

from .conftest import run_cli, write_jsonl


@pytest.fixture(scope="module")
def records():
    return corpus.load()


def test_every_note_is_valid_in_the_codebook_schema(records):
    for i, r in enumerate(records, 1):
        note = validate(r, "notes.jsonl", i)
        assert note.case_id and note.date and note.author_role and note.note_type
        assert set(r["labels"]) <= set(LABEL_NAMES)
        assert r["split"] in corpus.SPLITS
        assert r["origin"] == "generator" or r["origin"].startswith("hand:")


def test_evidence_spans_are_whole_sentences_inside_the_text(records):
    for r in records:
        assert set(r["evidence"]) == set(r["labels"]), r["note_id"]
        text = r["text"]
        for label, spans in r["evidence"].items():
            assert spans, (r["note_id"], label)
            for span in spans:
                start, end = span["start"], span["end"]
                assert 0 <= start < end <= len(text)
                before = text[start - 1] if start else "\n"
                after = text[end] if end < len(text) else "\n"
                assert before.isspace() or before in "-•*:(\"'", (r["note_id"], label, "start")
                assert after.isspace() or after in ")\"'", (r["note_id"], label, "end")
                assert text[start].isalnum() or text[start] in "\"'(“‘[", (r["note_id"], label)


def test_splits_are_disjoint_by_case_file(records):
    split_of = collections.defaultdict(set)
    for r in records:
        split_of[r["case_id"]].add(r["split"])
    assert all(len(s) == 1 for s in split_of.values())
    manifest = json.loads((corpus.default_corpus() / "manifest.json").read_text())
    for split in corpus.SPLITS:
        assert set(manifest["splits"][split]["case_ids"]) == {r["case_id"] for r in records if r["split"] == split}


def test_no_exact_duplicate_texts_and_few_near_duplicates(records):
    texts = [r["text"] for r in records]
    assert len(set(texts)) == len(texts)
    shingles = []
    for t in texts:
        words = t.lower().split()
        shingles.append({" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))})
    # Candidate pairs share a rare shingle; exact Jaccard on those (no pair is missed: J > 0.8 shares most).
    index = collections.defaultdict(list)
    for i, s in enumerate(shingles):
        for g in sorted(s)[:8]:
            index[g].append(i)
    near = set()
    for ids in index.values():
        if len(ids) > 50:
            continue
        for a_pos, a in enumerate(ids):
            for b in ids[a_pos + 1 :]:
                sa, sb = shingles[a], shingles[b]
                if len(sa & sb) / len(sa | sb) > 0.8:
                    near.add(a)
                    near.add(b)
    assert len(near) / len(texts) < 0.02, f"{len(near)} notes have a near duplicate"


def test_sizes_and_label_distribution(records):
    labelled = [r for r in records if r["labels"]]
    per_label = collections.Counter(l for r in records for l in r["labels"])
    hand = [r for r in records if r["origin"].startswith("hand:")]
    assert len(records) >= 2500
    assert len({r["case_id"] for r in records}) >= 300
    assert len(hand) >= 600
    assert 0.33 <= 1 - len(labelled) / len(records) <= 0.47  # about 40% carry no label
    assert all(per_label[name] >= 200 for name in LABEL_NAMES), per_label
    assert sum(1 for r in labelled if len(r["labels"]) >= 2) / len(labelled) >= 0.20
    assert sum(1 for r in records if r.get("hard_case") == "near_miss") >= 150
    case_sizes = collections.Counter(r["case_id"] for r in records)
    assert all(4 <= n <= 12 for n in case_sizes.values())


def test_case_files_are_dated_in_order(records):
    by_case = collections.defaultdict(list)
    for r in records:
        by_case[r["case_id"]].append(r)
    for notes in by_case.values():
        dates = [n["date"] for n in sorted(notes, key=lambda n: n["note_id"])]
        assert dates == sorted(dates)


def test_near_miss_pairs_point_at_gap_notes(records):
    ids = {r["note_id"]: r for r in records}
    for r in records:
        if r.get("hard_case") == "near_miss" and r.get("pair_of"):
            assert ids[r["pair_of"]]["labels"], r["note_id"]


def test_no_personal_data_patterns_in_the_concern_corpus(records):
    import re

    patterns = [r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", r"\b0\d{3,4} ?\d{3} ?\d{3,4}\b", r"[\w.]+@[\w.]+\.\w+", r"\b\d{3} ?\d{3} ?\d{4}\b"]
    rng = random.Random(0)
    for r in rng.sample(records, min(len(records), 3000)):
        for p in patterns:
            assert not re.search(p, r["text"]), (r["note_id"], p)


def test_the_second_coding_is_blind_double_coding_of_hand_written_dev_notes(records):
    folder = corpus.default_corpus()
    codes = [json.loads(line) for line in open(folder / "second_coding.jsonl", encoding="utf-8")]
    by_id = {r["note_id"]: r for r in records}
    coders = collections.defaultdict(set)
    for c in codes:
        coders[c["note_id"]].add(c["coder"])
    assert len(coders) == 120 and all(len(who) == 2 for who in coders.values())  # two different coders a note
    assert all(by_id[n]["split"] == "dev" and by_id[n]["origin"] != "generator" for n in coders)
    assert {label for c in codes for label in c["labels"]} <= {"risk_analysis_gap", "management_oversight_missing"}
    # the weights scale the three strata up to every hand-written dev note
    hand_dev = sum(1 for r in records if r["split"] == "dev" and r["origin"] != "generator")
    assert sum(c["weight"] for c in codes) / 2 == pytest.approx(hand_dev, abs=0.5)
    # the datasheet's table is what the script computes from the file
    run = subprocess.run([sys.executable, str(folder.parent / "second_coding.py")], capture_output=True, text=True,
                         check=True)
    report = json.loads(run.stdout)
    datasheet = (folder / "DATASHEET.md").read_text(encoding="utf-8")
    for label, figures in report.items():
        weighted = figures["coders_vs_corpus_weighted"]
        row = " / ".join(f"{weighted[k]:.2f}" for k in ("precision", "recall", "f1"))
        assert row in datasheet, (label, row)
        for kappas in (figures["coder_vs_corpus_kappa"], figures["coder_vs_coder_kappa"]):
            assert ", ".join(f"{k:.2f}" for k in kappas.values()) in datasheet, (label, kappas)
        assert figures["where_model_wrong_coders_side_with_model"].replace("/", " of ") in datasheet


# -- loading a corpus folder: every problem named by file, line and field -------------------------------------
def _few(records):
    """Copies of a note with two labels (and their evidence) and of the first four notes of each split."""
    chosen = [next(r for r in records if len(r["labels"]) >= 2 and r["split"] == "train")]
    chosen += [r for s in corpus.SPLITS for r in corpus.split(records, s)[:4] if r is not chosen[0]]
    return copy.deepcopy(chosen)


def _with_evidence_past_the_end(r):
    label = r["labels"][0]
    return {**r, "evidence": {**r["evidence"], label: [{"start": 0, "end": len(r["text"]) + 1}]}}


def _with_evidence_for_a_label_it_lacks(r):
    other = next(n for n in LABEL_NAMES if n not in r["labels"])
    return {**r, "evidence": {**r["evidence"], other: [{"start": 0, "end": 5}]}}


#: a change to the first note (line 1), the field named, and a word of the problem
BROKEN = {
    "bad JSON": (lambda r: json.dumps(r)[:-3], None, "bad JSON"),
    "not an object": (lambda r: "\"a note\"", None, "must be a JSON object"),
    "no text": (lambda r: {k: v for k, v in r.items() if k != "text"}, "text", "missing"),
    "text not a string": (lambda r: {**r, "text": 5}, "text", "string"),
    "no labels": (lambda r: {k: v for k, v in r.items() if k != "labels"}, "labels", "missing"),
    "labels as a string": (lambda r: {**r, "labels": ";".join(r["labels"])}, "labels", "list"),
    "label not in the taxonomy": (lambda r: {**r, "labels": ["risk"]}, "labels", "unknown label"),
    "unreviewed labels": (lambda r: {**r, "unreviewed": [n for n in LABEL_NAMES if n not in r["labels"]][:1]},
                          "unreviewed", "every label"),
    "evidence past the end": (_with_evidence_past_the_end, "evidence", "outside the text"),
    "evidence span reversed": (lambda r: {**r, "evidence": {r["labels"][0]: [{"start": 9, "end": 4}]}}, "evidence",
                               "span 1 (9-4) is reversed: it ends before it starts"),
    "evidence for a label it lacks": (_with_evidence_for_a_label_it_lacks, "evidence", "not one of the note's labels"),
    "evidence not an object": (lambda r: {**r, "evidence": ["x"]}, "evidence", "object"),
    "evidence span not numbers": (lambda r: {**r, "evidence": {r["labels"][0]: [{"start": "0", "end": 4}]}},
                                  "evidence", "start"),
    "no split": (lambda r: {k: v for k, v in r.items() if k != "split"}, "split", "missing"),
    "unknown split": (lambda r: {**r, "split": "Train"}, "split", "train, dev, test"),
    "origin not a string": (lambda r: {**r, "origin": 3}, "origin", "string"),
    # train --cv origin prints each voice in a table: an escape sequence reached the terminal, a line break split a row
    "origin with an escape": (lambda r: {**r, "origin": "hand:a\x1b[2J"}, "origin", "control character (U+001B"),
    "origin with an override": (lambda r: {**r, "origin": "hand:a\u202e"}, "origin", "bidirectional control"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_corpus_is_refused_naming_file_line_and_field_never_note_text(records, tmp_path, case):
    change, field, problem = BROKEN[case]
    notes = _few(records)
    first = change(notes[0])
    lines = [first if isinstance(first, str) else json.dumps(first)] + [json.dumps(r) for r in notes[1:]]
    path = tmp_path / corpus.NOTES_FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CaseReviewError) as refused:
        corpus.load(tmp_path)
    message = str(refused.value)
    located = f"{path}:1: field '{field}': " if field else f"{path}:1: "
    assert message.startswith(located) and problem in message and "\n" not in message, message
    assert notes[0]["text"][:30] not in message and notes[0]["text"][-30:] not in message


def test_every_broken_row_of_a_corpus_is_listed(records, tmp_path):
    notes = _few(records)
    notes[2] = {k: v for k, v in notes[2].items() if k != "split"}
    notes[5] = {**notes[5], "note_id": notes[1]["note_id"]}
    path = write_jsonl(tmp_path / corpus.NOTES_FILE, notes)
    path.write_bytes(path.read_bytes() + b'{"note_id": "x", "text": "caf\xe9", "labels": [], "split": "dev"}\n')
    with pytest.raises(CaseReviewError) as refused:
        corpus.load(tmp_path)
    message = str(refused.value)
    assert message.splitlines()[0] == f"{path}: 3 invalid notes; the corpus cannot be used"
    for located in (f"{path}:3: field 'split'", f"{path}:6: field 'note_id': duplicate",
                    f"{path}:{len(notes) + 1}: field 'text': not UTF-8"):
        assert located in message
    assert "--encoding" not in message  # import's option: training has none, a corpus is UTF-8


def test_the_shipped_corpus_loads_as_written(records):
    path = corpus.default_corpus() / corpus.NOTES_FILE
    with open(path, encoding="utf-8") as fh:
        assert records == [json.loads(line) for line in fh if line.strip()]


@pytest.mark.parametrize("command", ["train", "retrain"])
def test_train_and_retrain_refuse_a_broken_corpus_in_one_line_before_training(records, tmp_path, command):
    notes = _few(records)
    del notes[3]["text"]
    broken = tmp_path / "broken"
    broken.mkdir()
    write_jsonl(broken / corpus.NOTES_FILE, notes)
    Workspace.open(tmp_path / "ws").close()
    where = ["--out", str(tmp_path / "model")] if command == "train" else ["-w", str(tmp_path / "ws")]
    result = run_cli(command, "--corpus", str(broken), *where, "-p", "1")
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"error: {broken / corpus.NOTES_FILE}:4: field 'text': missing\n"
    assert not (tmp_path / "model").exists()


def test_the_reader_says_what_to_do_about_bytes_that_are_not_utf8_as_told(tmp_path):
    # the corpus passes its advice in (it has no --encoding to give), not rewriting the reader's message by its wording
    path = tmp_path / "n.jsonl"
    path.write_bytes(b'{"note_id": "x", "text": "caf\xe9"}\n')
    ((_, error),) = read_jsonl(path, not_utf8=NOT_UTF8_SAVE)
    assert str(error) == f"n.jsonl:1: field 'text': {NOT_UTF8_SAVE}"
    ((_, error),) = read_jsonl(path)
    assert str(error) == f"n.jsonl:1: field 'text': {NOT_UTF8}"
