"""The package refuses, in words, a platform it cannot run on."""

import subprocess
import sys


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
