"""The package refuses, in words, a platform it cannot run on."""

import subprocess
import sys


def test_importing_on_windows_names_the_platforms_it_runs_on():
    # os.name is what the guard reads; faking it is the only way to see Windows' refusal on a POSIX machine
    result = subprocess.run([sys.executable, "-c", "import os; os.name = 'nt'; import casereview"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "ImportError: casereview runs on Linux and macOS; on Windows, run it inside WSL" in result.stderr


def test_importing_on_posix_works():
    result = subprocess.run([sys.executable, "-c", "import casereview.cli"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
