"""Fixtures and helpers the learning loop's tests share (test_learning, test_learning_edges): a small corpus cut
from the sample, so that each real fit takes a second or two, models trained on it, and workspaces tagged by them.
The fixtures are per test module: each module that imports them trains its own, so the two can run side by side."""

import random
from pathlib import Path

import pytest

from casereview import corpus as corpus_mod
from casereview import tagging
from casereview.model import TrainingConfig, fit, load, save
from casereview.model_files import sha256_file
from casereview.notes import CORE_FIELDS, Note, validate
from casereview.taxonomy import CORE_LABELS
from casereview.workspace import Workspace

from .conftest import write_jsonl


@pytest.fixture(scope="module")
def sample():
    return corpus_mod.load()


@pytest.fixture(scope="module")
def small_corpus(sample, tmp_path_factory) -> Path:
    """Every 7th train, 4th dev and 5th test note of the sample corpus."""
    folder = tmp_path_factory.mktemp("corpus")
    steps = {"train": 7, "dev": 4, "test": 5}
    records = [r for name, step in steps.items() for r in corpus_mod.split(sample, name)[::step]]
    write_jsonl(folder / corpus_mod.NOTES_FILE, records)
    return folder


@pytest.fixture(scope="module")
def fresh_notes(sample):
    """Sample train notes that are not in the small corpus (which holds every 7th): new to the learning loop."""
    return corpus_mod.split(sample, "train")[1::7][::3]


def _save(model, folder: Path) -> Path:
    save(model, folder, {})
    return folder


@pytest.fixture(scope="module")
def base_model(small_corpus, tmp_path_factory) -> Path:
    records = corpus_mod.load(small_corpus)
    model = fit(corpus_mod.split(records, "train"), corpus_mod.split(records, "dev"), TrainingConfig(), version="base")
    return _save(model, tmp_path_factory.mktemp("models") / "base")


@pytest.fixture(scope="module")
def degraded_model(small_corpus, tmp_path_factory) -> Path:
    """Trained on the train split with each note's labels given to another note."""
    records = corpus_mod.load(small_corpus)
    train = corpus_mod.split(records, "train")
    shuffled = [r["labels"] for r in train]
    random.Random(1).shuffle(shuffled)
    train = [{**r, "labels": labels, "evidence": {}} for r, labels in zip(train, shuffled)]
    model = fit(train, corpus_mod.split(records, "dev"), TrainingConfig(), version="degraded")
    return _save(model, tmp_path_factory.mktemp("models") / "degraded")


def as_note(record: dict, labelled: bool = True, **changes) -> Note:
    raw = {f: record[f] for f in CORE_FIELDS if record.get(f)}
    if labelled:
        raw["labels"] = record["labels"]
    return validate({**raw, **changes}, "test", 1)


def tagged_workspace(path: Path, notes: list[Note], model_folder: Path) -> Workspace:
    """A workspace with ``notes``, scored by (and so promoted to) the model in ``model_folder``."""
    ws = Workspace.open(path)
    ws.import_notes(notes, "notes.jsonl")
    tagging.tag(ws, load(model_folder, None, trust=True), model_folder)
    return ws


def notes_in_test_split(corpus: Path) -> int:
    return len(corpus_mod.split(corpus_mod.load(corpus), "test"))


def judged_on_test_split(corpus: Path, why: str) -> str:
    """What retrain and promote say when the corpus test split judges: its notes and positives, and why."""
    notes = corpus_mod.split(corpus_mod.load(corpus), "test")
    carried = ", ".join(f"{name} {sum(name in r['labels'] for r in notes)}" for name in CORE_LABELS)
    return (f"the test split of the corpus {corpus}: {len(notes)} notes, every label decided (core labels carried: "
            f"{carried}); {why}")


def register(ws: Workspace, folder: Path) -> str:
    version = load(folder, None, trust=True).version
    ws.register_model(version, str(folder), sha256_file(folder / "model.joblib"))
    return version

