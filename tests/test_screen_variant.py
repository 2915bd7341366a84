"""bench/screen_variant.py: the first filter for a model variant, a few voices left out against the shipped card."""

from __future__ import annotations

import copy
import dataclasses
import importlib.util
import json
import os
import subprocess
import sys

import pytest

from casereview import registry

SCRIPT = registry.shipped_default_folder().parents[1] / "bench" / "screen_variant.py"
#: the script run as a command imports this casereview, not another installed one
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SCRIPT.parents[1]), os.environ.get("PYTHONPATH", "")])}


def screen_module():
    spec = importlib.util.spec_from_file_location("screen_variant", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shipped_cv() -> dict:
    return json.loads((registry.shipped_default_folder() / "model-card.json").read_text())["cv_origin"]


def test_the_screen_voices_are_voices_the_shipped_card_left_out_with_its_worst():
    screen, cv = screen_module(), shipped_cv()
    assert len(set(screen.SCREEN_VOICES)) == 8 and set(screen.SCREEN_VOICES) <= set(cv["folds"])
    assert cv["worst_origin"] in screen.SCREEN_VOICES


def test_each_voices_change_is_against_the_shipped_fold_of_that_voice():
    screen, cv = screen_module(), shipped_cv()
    folds = {o: copy.deepcopy(cv["folds"][o]) for o in ("hand:nqsw_wales", "hand:kinship_england", "hand:mash_england")}
    folds["hand:nqsw_wales"]["per_label_f1"]["risk_analysis_gap"] += 0.02
    folds["hand:nqsw_wales"]["macro_f1"] -= 0.01
    folds["hand:kinship_england"]["per_label_f1"]["risk_analysis_gap"] -= 0.01
    folds["hand:mash_england"]["per_label_f1"]["management_oversight_missing"] = None  # no note carries it there
    changes = screen.voice_changes(folds, cv)
    assert changes["per_voice"]["hand:nqsw_wales"] == {"risk_analysis_gap": 0.02, "management_oversight_missing": 0.0,
                                                       "macro_f1": -0.01}
    assert changes["per_voice"]["hand:mash_england"]["management_oversight_missing"] is None
    assert changes["summary"]["risk_analysis_gap"] == {"mean_change": round(0.01 / 3, 4), "voices_up": 1,
                                                        "voices_down": 1, "voices": 3}
    assert changes["summary"]["management_oversight_missing"]["voices"] == 2
    assert changes["summary"]["macro_f1"]["voices_down"] == 1


@pytest.mark.slow  # two runs of the script, each importing scikit-learn and spaCy: 16 s under load; CI runs it
def test_an_unknown_voice_is_refused_by_name_before_any_training(tmp_path):
    log = tmp_path / "screen.jsonl"
    run = subprocess.run([sys.executable, str(SCRIPT), "--cv", str(log), "--voices",
                          "hand:kinship_england,hand:nowhere"], capture_output=True, text=True, timeout=120, env=ENV)
    assert run.returncode != 0 and "hand:nowhere" in run.stderr and "hand:kinship_england:" not in run.stderr
    assert not log.exists()
    run = subprocess.run([sys.executable, str(SCRIPT), "--screen"], capture_output=True, text=True, timeout=120,
                         env=ENV)
    assert run.returncode == 2 and "--cv" in run.stderr


@dataclasses.dataclass
class _Options:  # a config with a field of each kind the script parses (TrainingConfig's types are strings too)
    labels: tuple[str, ...] = ()
    rate: float = 0.0
    folds: int = 4
    note_model: bool = True


def test_each_field_is_parsed_by_its_type_a_tuple_comma_separated():
    screen = screen_module()
    field = {f.name: f for f in dataclasses.fields(_Options)}
    assert screen._value(field["labels"], "risk_analysis_gap,management_oversight_missing") == (
        "risk_analysis_gap", "management_oversight_missing")
    assert screen._value(field["labels"], "risk_analysis_gap") == ("risk_analysis_gap",)
    assert screen._value(field["labels"], "") == ()
    assert (screen._value(field["rate"], "0.3"), screen._value(field["folds"], "3"),
            screen._value(field["note_model"], "false")) == (0.3, 3, False)
