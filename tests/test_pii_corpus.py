"""The personal-data corpus: schema, gold spans, splits, held-out names, look-alikes."""

import json

from casereview.pii.patterns import nhs_check_digit_ok
from casereview.pii.training import default_corpus, load_corpus
from casereview.taxonomy import PII_TYPES


def test_schema_spans_and_splits():
    records = load_corpus()
    assert len(records) >= 3000
    assert {r["split"] for r in records} == {"train", "dev", "test"}
    assert len({r["note_id"] for r in records}) == len(records)
    for r in records:
        for e in r["entities"]:
            assert e["label"] in PII_TYPES
            assert 0 <= e["start"] < e["end"] <= len(r["text"]) and r["text"][e["start"]:e["end"]] == e["text"]
            if e["label"] == "NHS_NUMBER":
                assert nhs_check_digit_ok(e["text"].replace(" ", "").replace("-", ""))
        spans = sorted((e["start"], e["end"]) for e in r["entities"])
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), r["note_id"]
    for label in PII_TYPES:
        assert sum(e["label"] == label for r in records if r["split"] == "test" for e in r["entities"]) >= 20, label
    manifest = json.loads((default_corpus() / "manifest.json").read_text())
    assert manifest["notes"] == len(records)


def test_test_names_are_held_out_and_look_alikes_are_present():
    records = load_corpus()
    names = {split: {e["text"] for r in records if r["split"] == split for e in r["entities"] if e["label"] in ("PERSON", "SCHOOL")}
             for split in ("train", "test")}
    unseen = names["test"] - names["train"]
    assert len(unseen) / len(names["test"]) > 0.7
    test_text = " ".join(r["text"] for r in records if r["split"] == "test")
    for look_alike in ("CAMHS", "Mum", "ICPC", "Women's Aid"):
        assert look_alike in test_text
    assert sum(1 for r in records if not r["entities"]) > 200  # notes with look-alikes only
