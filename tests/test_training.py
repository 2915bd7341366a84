"""Leave-one-voice-out evaluation: each hand-written voice held out in turn, in one process or several."""

from __future__ import annotations

import json
import os

import pytest

from casereview import corpus, training

from .conftest import run_cli, write_jsonl


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """Three hand-written voices and some generated notes from the real corpus."""
    records = corpus.load()
    voices = corpus.hand_origins(records)[:3]
    kept = [r for r in records if r["origin"] in voices] + [r for r in records if r["origin"] == "generator"][:300]
    folder = tmp_path_factory.mktemp("corpus")
    write_jsonl(folder / corpus.NOTES_FILE, kept)
    return folder, voices, {v: sum(r["origin"] == v for r in kept) for v in voices}


@pytest.fixture(scope="module")
def in_one_process(small_corpus):
    return training.cross_validate_origins(small_corpus[0], seed=7, processes=1)


def test_each_hand_written_voice_is_a_test_fold_with_all_its_notes(small_corpus, in_one_process):
    _, voices, sizes = small_corpus
    assert list(in_one_process["folds"]) == voices  # the generator is never a test fold
    assert {v: f["notes"] for v, f in in_one_process["folds"].items()} == sizes
    scores = {v: f["macro_f1"] for v, f in in_one_process["folds"].items()}
    assert in_one_process["worst_origin"] == min(scores, key=scores.get)
    assert in_one_process["mean_macro_f1"] == pytest.approx(sum(scores.values()) / 3, abs=1e-4)
    assert 0.3 < in_one_process["mean_macro_f1"] < 1.0  # it learns from two voices, and the third is unseen
    assert in_one_process["processes"] == 1


def test_folds_in_worker_processes_give_the_same_result(small_corpus, in_one_process, tmp_path, monkeypatch):
    fitted_in = tmp_path / "pids"
    real_fit = training.fit

    def fit_and_record_the_process(*args, **kwargs):
        with open(fitted_in, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        return real_fit(*args, **kwargs)

    monkeypatch.setattr(training, "fit", fit_and_record_the_process)  # the forked workers inherit it
    # more processes than folds: one worker per fold
    in_workers = training.cross_validate_origins(small_corpus[0], seed=7, processes=5)
    assert in_workers == {**in_one_process, "processes": 3}
    pids = fitted_in.read_text().split()
    assert len(pids) == 3 and str(os.getpid()) not in pids and len(set(pids)) > 1


def test_train_cv_command_reports_the_library_result(small_corpus, in_one_process):
    result = run_cli("train", "--cv", "origin", "--corpus", str(small_corpus[0]), "--seed", "7", "--json", "-p", "2")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {**in_one_process, "processes": 2}  # -p reached the library
