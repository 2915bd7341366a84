"""The package refuses, in words, a platform it cannot run on, and an installed wheel runs as a checkout does."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from casereview import corpus


def test_importing_on_windows_names_the_platforms_it_runs_on():
    # os.name is what the guard reads; faking it is the only way to see Windows' refusal on a POSIX machine. The
    # package's file is found first: an editable install's finder makes paths, which fail once os.name is 'nt'
    found_then_run_as_on_windows = (
        "import importlib.util, os; path = importlib.util.find_spec('casereview').origin; source = open(path).read(); "
        "os.name = 'nt'; exec(compile(source, path, 'exec'), {'__name__': 'casereview'})")
    result = subprocess.run([sys.executable, "-c", found_then_run_as_on_windows], capture_output=True, text=True)
    assert result.returncode == 1
    assert "ImportError: casereview runs on Linux and macOS; on Windows, run it inside WSL" in result.stderr


def test_importing_on_posix_works():
    result = subprocess.run([sys.executable, "-c", "import casereview.cli"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow  # copies 36 MB and predicts in a subprocess: 4-6 s; CI runs it
def test_an_installed_wheel_carries_the_shipped_models_and_the_sample_corpus(tmp_path):
    # 'pip install .' (or pipx) installed the package without models/ and corpora/sample: every command that reads the
    # shipped model said "site-packages/models/concern-...: no model.joblib", and demo had no corpus. A wheel's
    # files are what build_py writes: built here into a folder, then run from it instead of the checkout
    root = Path(__file__).resolve().parents[1]
    built = tmp_path / "lib"
    subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(built)], cwd=root, check=True,
                   capture_output=True)
    shipped = built / "casereview" / "_data"
    pins = json.loads((built / "casereview" / "shipped_models.json").read_text())
    assert (shipped / pins["models"][pins["default"]]["path"] / "model.joblib").is_file()
    assert (shipped / "corpora" / "sample" / corpus.NOTES_FILE).is_file()
    note = {"note_id": "n1", "text": "No strategy discussion was held and no manager has signed off the plan."}
    result = subprocess.run(
        [sys.executable, "-c", "import casereview.corpus as c, casereview.cli as cli; print(c.package_root()); cli.main()",
         "predict", "-"],
        input=json.dumps(note) + "\n", capture_output=True, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(built)})
    assert result.returncode == 0, result.stderr
    root_said, line = result.stdout.splitlines()
    assert Path(root_said) == shipped
    assert json.loads(line)["model_version"] == pins["default"]
