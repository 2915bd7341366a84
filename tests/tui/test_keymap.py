"""keys.toml: rebinding by binding id; a mistake in the file is an error naming the file and the id, not ignored."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from casereview.errors import CaseReviewError
from casereview.tui.keymap import load_keymap

from ..conftest import NOTES, run_cli, write_jsonl


def keys_file(tmp_path, text: str):
    path = tmp_path / "keys.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_known_binding_ids_of_every_screen_load(tmp_path):
    path = keys_file(tmp_path, '[keys]\nconfirm = "x"\nsettle_concern = "c"\nrow_down = "J"\npii_redact = "R"\n')
    assert load_keymap(path) == {"confirm": "x", "settle_concern": "c", "row_down": "J", "pii_redact": "R"}


def test_an_unknown_binding_id_is_an_error_naming_the_file_and_the_id(tmp_path):
    path = keys_file(tmp_path, '[keys]\nconfirm = "x"\nconfrim = "y"\naccept = "A"\n')
    with pytest.raises(CaseReviewError) as raised:
        load_keymap(path)
    message = str(raised.value)
    assert str(path) in message and "'confrim'" in message and "'accept'" in message
    assert "accept_all" in message  # the ids it knows, to choose from


def test_review_refuses_a_keys_file_with_an_unknown_id_before_opening(tmp_path):
    ws = str(tmp_path / "ws")
    assert run_cli("import", str(write_jsonl(tmp_path / "n.jsonl", NOTES)), "-w", ws).returncode == 0
    path = keys_file(tmp_path, '[keys]\nconfrim = "x"\n')
    # without a terminal the app would wait for keys: a run that gets that far times out
    result = subprocess.run([sys.executable, "-m", "casereview", "review", "-w", ws],
                            env={**os.environ, "CASEREVIEW_KEYS": str(path)},
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert str(path) in result.stderr and "confrim" in result.stderr
