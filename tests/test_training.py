"""Leave-one-voice-out evaluation: each hand-written voice held out in turn, in one process or several."""

from __future__ import annotations

import json
import os

import pytest

from casereview import corpus, registry, training
from casereview.errors import CaseReviewError
from casereview.pii import scanner

from .conftest import run_cli, run_saying_if_model_code_loaded, stderr_on_a_terminal, write_jsonl


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
def told_in_one_process(small_corpus):
    """Leave-one-voice-out in one process, and each step it told as it started."""
    told: list[str] = []
    return training.cross_validate_origins(small_corpus[0], seed=7, processes=1, stage=told.append), told


@pytest.fixture(scope="module")
def in_one_process(told_in_one_process):
    return told_in_one_process[0]


def folds_told(voices: list[str]) -> list[str]:
    """What leave-one-voice-out tells as it starts and as each fold is done, ``voices`` in the order they are done."""
    return ["reading the corpus", f"leaving each of {len(voices)} hand-written voices out in turn: 0 done",
            *(f"{n} of {len(voices)} voices left out, the last {voice}" for n, voice in enumerate(voices, 1))]


def test_leave_one_voice_out_tells_how_many_folds_are_done(small_corpus, told_in_one_process):
    """'train --cv origin' fits a model per voice (44 on the sample corpus, minutes) and said nothing meanwhile."""
    assert told_in_one_process[1] == folds_told(small_corpus[1])


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
    told: list[str] = []
    in_workers = training.cross_validate_origins(small_corpus[0], seed=7, processes=5, stage=told.append)
    assert in_workers == {**in_one_process, "processes": 3}
    done_in = [line.rsplit(" ", 1)[1] for line in told[2:]]  # the order the workers finished them
    assert sorted(done_in) == sorted(small_corpus[1]) and told == folds_told(done_in)  # each counted once
    pids = fitted_in.read_text().split()
    assert len(pids) == 3 and str(os.getpid()) not in pids and len(set(pids)) > 1


@pytest.mark.slow  # 9 s alone: the default run keeps well under CI's 10 minutes; CI runs it
def test_train_cv_command_reports_the_library_result(small_corpus, in_one_process):
    result = run_cli("train", "--cv", "origin", "--corpus", str(small_corpus[0]), "--seed", "7", "--json", "-p", "2")
    assert result.returncode == 0 and result.stderr == "", result.stderr  # its steps are a terminal's only
    assert json.loads(result.stdout) == {**in_one_process, "processes": 2}  # -p reached the library


#: an option combination that can only fail once the model is trained (the message it is refused with)
REFUSED_BEFORE_TRAINING = {
    "a pin of a folder outside the project": (lambda tmp: ["--out", str(tmp / "model"), "--pin"],
                                               "not inside the project"),
    "--out an existing file": (lambda tmp: ["--out", str(tmp / "file")], "is a file, not a folder"),
    "--out inside a file": (lambda tmp: ["--out", str(tmp / "file" / "model")], "({tmp}/file is a file)"),
}


@pytest.mark.parametrize("command", [["train"], ["pii", "train"]], ids=" ".join)
@pytest.mark.parametrize("case", REFUSED_BEFORE_TRAINING)
def test_train_refuses_before_training_what_could_only_fail_after_it(tmp_path, command, case):
    """Refused before the corpus is even read (it is missing here: it is not what is refused), not minutes later."""
    options, problem = REFUSED_BEFORE_TRAINING[case]
    (tmp_path / "file").write_text("not a folder\n")
    pins = {p: p.read_bytes() for p in (registry.PINS_FILE, scanner.PINS_FILE)}
    result = run_cli(*command, "--corpus", str(tmp_path / "no-corpus"), *options(tmp_path))
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert problem.format(tmp=tmp_path) in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # no model written
    assert {p: p.read_bytes() for p in pins} == pins


@pytest.mark.parametrize("command", [["train"], ["pii", "train"]], ids=" ".join)
def test_train_refuses_to_write_over_a_model_before_training(tmp_path, command):
    """--out a folder that holds a model replaced it without a word: a data lead's earlier model, or a
    workspace's registered one (whose hash then no longer matches), was lost. Refused before the corpus is
    read (it is missing here), and the model stays as it was."""
    kept = tmp_path / "my-model"
    kept.mkdir()
    files = {name: f"{name} of the earlier model\n".encode() for name in ("model.joblib", "model-card.json")}
    for name, data in files.items():
        (kept / name).write_bytes(data)
    result = run_cli(*command, "--corpus", str(tmp_path / "no-corpus"), "--out", str(kept))
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert result.stderr == (f"error: {kept}: already holds a model (model.joblib); choose another --out, "
                             "or move that model away first\n")
    assert {p.name: p.read_bytes() for p in kept.iterdir()} == files


def test_train_refuses_the_shipped_models_version_as_its_folder(tmp_path):
    """'train --version concern-0.10.0' (the release example without --pin) wrote over the shipped model, whose
    pinned hash then matched no file: every command refused the shipped model from then on."""
    shipped = registry.shipped_default_folder()
    before = {p.name: p.stat().st_mtime_ns for p in shipped.iterdir()}
    pins = registry.PINS_FILE.read_bytes()
    result = run_cli("train", "--corpus", str(tmp_path / "no-corpus"), "--version", shipped.name)
    assert result.returncode == 2 and f"{shipped}: already holds a model" in result.stderr, result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in shipped.iterdir()} == before
    assert registry.PINS_FILE.read_bytes() == pins


@pytest.mark.parametrize("options, problem", [
    (["--version", "../elsewhere"], "version '../elsewhere': letters, digits"),
    (["--cv", "origin", "--out", "m", "--pin"], "--out, --pin: not with --cv origin"),
], ids=["a version that is a path", "--cv origin with options it would ignore"])
def test_train_refuses_options_it_cannot_honour_before_reading_the_corpus(tmp_path, options, problem):
    result = run_cli("train", "--corpus", str(tmp_path / "no-corpus"), *options, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert result.stderr.startswith("error: ") and problem in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_train_refuses_its_options_before_loading_the_model_code(tmp_path):
    """An option refused before training was said after scikit-learn and spaCy were imported: 3 s, not 0.5."""
    (tmp_path / "file").write_text("not a folder\n")
    for options in (["--out", str(tmp_path / "file")], ["--cv", "origin", "--pin"]):
        done = run_saying_if_model_code_loaded("train", "--corpus", str(tmp_path / "no-corpus"), *options)
        assert done.stderr.startswith("error: ") and done.stderr.strip().endswith("sklearn not loaded"), done.stderr


@pytest.mark.parametrize("command", [pytest.param(["train", "-p", "1"], marks=pytest.mark.slow),  # 4.5 s; CI runs it
                                     ["pii", "train"]], ids=["train", "pii train"])
def test_a_corpus_folder_that_does_not_exist_is_named_as_such(tmp_path, command):
    """'train --corpus DIR' with a mistyped folder said only '<DIR>: no corpus file', as if the folder were there
    and lacked a file, and never what a corpus folder holds."""
    missing, empty = tmp_path / "my-corpus", tmp_path / "empty"
    empty.mkdir()
    result = run_cli(*command, "--corpus", str(missing), "--out", str(tmp_path / "model"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"error: {missing}: no such folder (a ") and result.stderr.count("\n") == 1
    assert f"corpus folder holds {corpus.NOTES_FILE}: notes in the codebook's schema, one JSON object a line, " \
           "each with its " in result.stderr, result.stderr
    without_notes = run_cli(*command, "--corpus", str(empty), "--out", str(tmp_path / "model"))
    assert without_notes.returncode == 2 and without_notes.stderr.count("\n") == 1
    assert without_notes.stderr.startswith(f"error: {empty}: no {corpus.NOTES_FILE} in the folder (a ")
    assert not (tmp_path / "model").exists()


def test_train_refuses_a_corpus_without_dev_or_test_notes_before_training(small_corpus, tmp_path):
    """Without dev notes the model was trained, then its dev report crashed (IndexError)."""
    records = corpus.load(small_corpus[0])
    no_dev, only_train = tmp_path / "no-dev", tmp_path / "only-train"
    for folder, split in ((no_dev, ("train", "test")), (only_train, ("train",))):
        folder.mkdir()
        write_jsonl(folder / corpus.NOTES_FILE, [r for r in records if r["split"] in split][::4])
    result = run_cli("train", "--corpus", str(no_dev), "--out", str(tmp_path / "model"), "-p", "1")
    assert result.returncode == 2
    assert result.stderr == (f"error: {no_dev}: no dev notes (a note's 'split'): a model is fitted on train, tuned "
                             "on dev and reported on test\n")
    with pytest.raises(CaseReviewError, match="no dev and no test notes"):
        training.train_corpus(only_train, None, seed=7)


def test_a_model_trained_on_another_corpus_has_a_card_about_that_corpus(small_corpus, tmp_path):
    """Its card said it was trained on the synthetic sample corpus and told the shipped model's design history."""
    folder = small_corpus[0]
    out = tmp_path / "m"
    result = run_cli("train", "--corpus", str(folder), "--out", str(out), "-p", "1")
    assert result.returncode == 0 and result.stderr == "", result.stderr  # its steps are a terminal's only
    card = json.loads((out / "model-card.json").read_text())
    markdown = (out / "MODEL_CARD.md").read_text()
    assert card["sample_corpus"] is False
    limits = markdown.split("## Limits")[1].split("## Design")[0]
    assert f"Trained on the corpus `{folder.name}` alone: expect lower accuracy on notes unlike those" in limits
    assert "synthetic" not in markdown and "hand-written voices" not in markdown
    assert "Most of what it misses" not in limits  # read note by note on the sample corpus's dev errors, not these
    design = markdown.split("## Design")[1].split("## Labels")[0]
    assert "concern-0." not in design and "leave-one-voice-out" not in design and "robustness section" not in design
    assert "A Platt calibrator per label" in design  # the design itself is still described
    counts = card["counts"]
    assert f"- notes: {counts['train']:,} train, {counts['dev']:,} dev, {counts['test']:,} test\n" in markdown
    assert f"- corpus: `{folder.name}`" in markdown and card["data_hash"] in markdown


def test_only_the_sample_corpus_folder_is_the_sample_corpus(small_corpus, tmp_path):
    assert corpus.is_sample(None) and corpus.is_sample(corpus.default_corpus())
    assert not corpus.is_sample(small_corpus[0])
    named_alike = tmp_path / "sample"
    named_alike.mkdir()  # a folder of the user's that is called 'sample' is not the project's sample corpus
    assert not corpus.is_sample(named_alike)


@pytest.fixture(scope="module")
def uneven_corpus(tmp_path_factory):
    """A corpus as a data lead's may be: a voice whose notes carry no label at all (a few routine notes from one
    team), a voice with no note of one label, and no near-miss notes marked (``hard_case``)."""
    records = corpus.load()
    voices = corpus.hand_origins(records)[:3]
    absent = corpus_label_names()[-1]
    kept = [r for r in records if r["origin"] in voices[:2]]
    kept += [r for r in records if r["origin"] == voices[2] and absent not in r["labels"]]
    kept += [r for r in records if r["origin"] == "generator"][:300]
    quiet = [{**r, "note_id": f"Q-{r['note_id']}", "case_id": f"Q-{r['case_id']}", "origin": "hand:quiet"}
             for r in records if r["origin"] == voices[0] and not r["labels"]][:12]
    kept = [{k: v for k, v in r.items() if k != "hard_case"} for r in kept + quiet]
    folder = tmp_path_factory.mktemp("uneven")
    write_jsonl(folder / corpus.NOTES_FILE, kept)
    return folder, voices, absent


def corpus_label_names():
    from casereview.taxonomy import LABEL_NAMES

    return LABEL_NAMES


@pytest.mark.slow  # 8 s alone: the default run keeps well under CI's 10 minutes; CI runs it
def test_leave_one_voice_out_leaves_undefined_f1s_out_of_its_means(uneven_corpus, tmp_path):
    """A voice whose notes carry no label has no macro-F1 (None): 'train --with-cv' trained every fold, then
    crashed comparing None with the others' (TypeError, a traceback, no model) - forty minutes on the full
    corpus. And a label a voice's notes never carry has no F1 there: counted as 0, it pulled the card's 'mean F1
    over the held-out voices' for that label down by a third."""
    folder, voices, absent = uneven_corpus
    out = tmp_path / "m"
    result = run_cli("train", "--corpus", str(folder), "--with-cv", "--out", str(out), "-p", "1", "--seed", "7")
    assert result.returncode == 0, result.stderr
    cv = json.loads((out / "model-card.json").read_text())["cv_origin"]
    folds = cv["folds"]
    assert folds["hand:quiet"]["macro_f1"] is None
    assert set(folds["hand:quiet"]["per_label_f1"].values()) == {None}
    scored = {o: f["macro_f1"] for o, f in folds.items() if o != "hand:quiet"}
    assert cv["worst_origin"] == min(scored, key=scored.get) and cv["worst_macro_f1"] == min(scored.values())
    assert cv["mean_macro_f1"] == pytest.approx(sum(scored.values()) / 3, abs=1e-4)
    assert folds[voices[2]]["per_label_f1"][absent] is None
    carried = [folds[v]["per_label_f1"][absent] for v in voices[:2]]
    assert all(f > 0 for f in carried)
    markdown = (out / "MODEL_CARD.md").read_text()
    assert "| hand:quiet | 12 | – |" in markdown
    assert f"| `{absent}` | {sum(carried) / 2:.3f} (2 of 4 voices) |" in markdown
    assert "Mean macro-F1 and the worst are over the 3 voices whose notes carry some label" in markdown


@pytest.mark.slow  # 8 s alone: the default run keeps well under CI's 10 minutes; CI runs it
def test_train_cv_shows_a_voice_with_no_labelled_note_without_a_score(uneven_corpus):
    folder = uneven_corpus[0]
    result = run_cli("train", "--cv", "origin", "--corpus", str(folder), "--seed", "7", "-p", "2")
    assert result.returncode == 0, result.stderr
    [quiet] = [line for line in result.stdout.splitlines() if line.startswith("hand:quiet")]
    assert " 12 notes  macro-F1 –  (no note carries a label: not in the mean)" in quiet
    assert result.stdout.splitlines()[-1].startswith("mean macro-F1 0.")


def test_a_test_split_without_near_miss_notes_reports_no_near_miss_rate(uneven_corpus, tmp_path):
    """'near-miss false-positive rate 0.000' (and the card's 'False-positive rate on 0 near-miss notes ...:
    0.000') read as a model that never flags good practice, of a corpus that marks no near-miss note at all."""
    out = tmp_path / "m"
    result = run_cli("train", "--corpus", str(uneven_corpus[0]), "--out", str(out), "-p", "1", "--seed", "7")
    assert result.returncode == 0, result.stderr
    assert "near-miss false-positive rate" not in result.stdout
    assert "no near-miss notes in the test split (hard_case: near_miss)" in result.stdout
    card = json.loads((out / "model-card.json").read_text())
    assert card["near_miss"] == {"notes": 0, "false_positive_rate": None}
    markdown = (out / "MODEL_CARD.md").read_text()
    assert "on 0 near-miss notes" not in markdown
    assert "The test split has no near-miss notes (`hard_case: near_miss`): not measured." in markdown


def test_training_tells_each_step_as_it_starts(small_corpus, tmp_path):
    """'casereview train' printed nothing for the minutes it trains on the sample corpus, as retrain tells its steps."""
    told: list[str] = []
    model, card = training.train_corpus(small_corpus[0], tmp_path / "m", seed=7, stage=told.append)
    counts = card["counts"]
    training_step = f"training on {counts['train']} train notes, tuning on {counts['dev']} dev notes"
    # the stackers' cross-validation folds, most of a retrain's minutes, told as each is done
    folds = [f"training: {done} of 4 cross-validation folds done" for done in range(5)]
    assert told == ["reading the corpus", training_step, *folds,
                    f"measuring on {counts['dev']} dev notes and {counts['test']} test notes", f"saving {model.version}"]


@pytest.mark.slow  # 10-20 s: two trainings of the small corpus
def test_train_shows_the_step_it_is_at_on_a_terminal(small_corpus, tmp_path):
    """The steps with a spinner and the time taken, as retrain shows them, on a terminal; a pipe gets none (above)."""
    folder, voices, _ = small_corpus
    code, out, shown = stderr_on_a_terminal("train", "--corpus", str(folder), "--out", str(tmp_path / "m"), "-p", "1")
    assert code == 0 and "model written to" in out, shown
    counts = json.loads((tmp_path / "m" / "model-card.json").read_text())["counts"]
    assert f"training on {counts['train']} train notes, tuning on {counts['dev']} dev notes".encode() in shown
    assert b"training: 4 of 4 cross-validation folds done" in shown
    assert b"0:00:0" in shown  # the time taken
    code, out, shown = stderr_on_a_terminal("train", "--cv", "origin", "--corpus", str(folder), "-p", "2")
    assert code == 0 and "mean macro-F1" in out, shown
    assert f"{len(voices)} of {len(voices)} voices left out, the last ".encode() in shown
