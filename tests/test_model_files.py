"""Model folders on disk: owner-only whatever the umask and whatever was there."""

import os
import stat

import pytest

from casereview.errors import CaseReviewError
from casereview.model_files import CARD_JSON, CARD_MD, MODEL_FILE, write_folder

MODEL_FILES = [CARD_MD, CARD_JSON, MODEL_FILE]


@pytest.fixture
def umask_000():
    old = os.umask(0)
    yield
    os.umask(old)


def mode(path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def write(folder) -> None:
    write_folder({"weights": [1, 2, 3]}, folder, {"version": "t"}, lambda card: "# card\n")


def test_a_new_model_folder_and_the_folders_made_for_it_are_owner_only(tmp_path, umask_000):
    write(tmp_path / "models" / "mine")
    assert [mode(p) for p in (tmp_path / "models", tmp_path / "models" / "mine")] == ["0o700", "0o700"]
    assert {p.name: mode(p) for p in (tmp_path / "models" / "mine").iterdir()} == dict.fromkeys(MODEL_FILES, "0o600")


@pytest.mark.parametrize("held", [[], MODEL_FILES], ids=["empty", "an-older-model"])
def test_an_existing_model_folder_open_to_others_is_made_owner_only(tmp_path, umask_000, held):
    """'mkdir models/new; casereview train --out models/new', or training again into a model's folder."""
    folder = tmp_path / "model"
    folder.mkdir(mode=0o755)
    for name in held:
        (folder / name).write_text("old")
    write(folder)
    assert mode(folder) == "0o700"
    assert {p.name: mode(p) for p in folder.iterdir()} == dict.fromkeys(MODEL_FILES, "0o600")


def test_a_folder_holding_other_things_keeps_its_permissions_and_the_model_files_are_private(tmp_path, umask_000):
    """'--out .' or '--out ~': not the tool's folder to change (it may be a home or /tmp)."""
    folder = tmp_path / "project"
    folder.mkdir(mode=0o755)
    (folder / "notes.md").write_text("mine")
    write(folder)
    assert mode(folder) == "0o755"
    assert {p.name: mode(p) for p in folder.iterdir() if p.name in MODEL_FILES} == dict.fromkeys(MODEL_FILES, "0o600")


def test_a_model_folder_that_is_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "taken").write_text("x")
    with pytest.raises(CaseReviewError, match="taken: is a file, not a folder"):
        write(tmp_path / "taken")
