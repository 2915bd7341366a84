"""Model folders on disk: owner-only whatever the umask and whatever was there; a damaged file refused before loading."""

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casereview import registry
from casereview.errors import CaseReviewError, ModelError
from casereview.model import ConcernModel, load
from casereview.model_files import CARD_JSON, CARD_MD, MODEL_FILE, load_verified, write_folder

from .conftest import ROOT, has_open, mode

MODEL_FILES = [CARD_MD, CARD_JSON, MODEL_FILE]


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


def test_a_model_folder_mistyped_or_a_file_is_named_as_such_when_loading(tmp_path):
    # 'predict --model modles/x' said "modles/x: no model.joblib (not a casereview concern model folder)", as if the
    # folder were there and lacked its file
    (tmp_path / "a-file").write_text("x")
    for folder, found in ((tmp_path / "mistyped", "no such folder"), (tmp_path / "a-file", "is a file, not a folder")):
        with pytest.raises(ModelError, match=f"^{folder}: {found} \\(a casereview concern model folder holds "
                                             f"{MODEL_FILE} and its model card\\)$"):
            load_verified(folder, None, kind=ConcernModel, trust=True, what="concern model")
    said = subprocess.run([sys.executable, "-m", "casereview", "predict", "-", "--model", str(tmp_path / "mistyped")],
                          input="", capture_output=True, text=True)
    assert (said.returncode, said.stderr) == (2, f"error: {tmp_path / 'mistyped'}: no such folder (a casereview "
                                                  f"concern model folder holds {MODEL_FILE} and its model card)\n")


# -- a damaged model file ------------------------------------------------------------------------------------
#: 512 bytes of the shipped model zeroed at this offset (a bad disk block, a broken copy) made joblib ask for
#: 4.2 GB of memory before it noticed: a length it read from the damaged stream.
ZEROED_AT = 4_830_794


def damaged_copy(to, damage) -> "os.PathLike":
    folder = shutil.copytree(registry.shipped_default_folder(), to)
    data = bytearray((folder / MODEL_FILE).read_bytes())
    (folder / MODEL_FILE).write_bytes(damage(data))
    return folder


def zeroed(data: bytearray) -> bytes:
    data[ZEROED_AT:ZEROED_AT + 512] = bytes(512)
    return bytes(data)


def trailing_byte(data: bytearray) -> bytes:
    """One byte after the compressed stream (as a changed file in test_model has): joblib read on, and on, until
    the machine ran out of memory (23 GB)."""
    return bytes(data) + b"\0"


@pytest.fixture
def address_space_limited():
    """This process may take 2 GB more address space for the test, no more: a load that asks joblib for gigabytes
    fails with a MemoryError instead of taking the machine's memory."""
    size = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmSize:")) * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (size + (2 << 30), hard))
    yield
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.mark.parametrize("damage", [zeroed, lambda d: bytes(d[: len(d) // 2]), trailing_byte,
                                    lambda d: b"\x80\x04\x95" + (3_200_000_000).to_bytes(8, "little") + b"abc"],
                         ids=["zeroed-block", "truncated", "trailing-byte", "raw-pickle-of-3-GB"])
def test_a_damaged_model_file_is_refused_before_it_is_loaded_even_if_trusted(tmp_path, damage,
                                                                             address_space_limited):
    folder = damaged_copy(tmp_path / "m", damage)
    with pytest.raises(ModelError, match=r"model\.joblib: damaged or not a casereview model file"):
        load(folder, None, trust=True)


def predict_in_2_gb(model: Path, folder: Path) -> subprocess.CompletedProcess:
    """The real 'predict' of one note with ``model``, in 2 GB of address space."""
    notes = folder / "n.jsonl"
    notes.write_text('{"note_id": "a", "text": "Visit done."}\n', encoding="utf-8")

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run([sys.executable, "-m", "casereview", "predict", str(notes), "--model", str(model),
                           "--trust-model", "-p", "1"], capture_output=True, text=True, cwd=ROOT,
                          preexec_fn=limited, env={**os.environ, "CASEREVIEW_WORKSPACE": ""}, timeout=600)


@pytest.fixture(scope="module")
def sound_model_in_2_gb(tmp_path_factory) -> subprocess.CompletedProcess:
    """The shipped model's run in 2 GB, once for the module: the same for every damage."""
    return predict_in_2_gb(registry.shipped_default_folder(), tmp_path_factory.mktemp("sound"))


@pytest.mark.parametrize("damage", [zeroed, trailing_byte], ids=["zeroed-block", "trailing-byte"])
def test_a_trusted_damaged_model_asks_for_no_more_memory_than_a_sound_one(tmp_path, damage, sound_model_in_2_gb):
    """The real command, in 2 GB of address space: the shipped model loads in it; the damaged one used to ask
    joblib for 4.2 GB, or for all there was (a MemoryError, said as 'cannot be loaded by this casereview')."""
    assert sound_model_in_2_gb.returncode == 0, sound_model_in_2_gb.stderr
    damaged = predict_in_2_gb(damaged_copy(tmp_path / "m", damage), tmp_path)
    assert damaged.returncode == 2 and "Traceback" not in damaged.stderr
    assert "damaged or not a casereview model file" in damaged.stderr and "MemoryError" not in damaged.stderr


def test_a_sound_model_still_loads_trusted_or_pinned():
    folder = registry.shipped_default_folder()
    model, sha256 = load_verified(folder, None, True, ConcernModel, "concern model")
    assert isinstance(model, ConcernModel) and (sha256,) == registry.expected_hashes(folder)
    assert registry.resolve(folder)[0].version == load(folder, None, trust=True).version


def test_pinning_a_model_folder_outside_the_project_is_a_clear_error_and_pins_nothing(tmp_path):
    write(tmp_path / "mine")
    pins = registry.PINS_FILE.read_bytes()
    with pytest.raises(ModelError, match="not inside the project"):
        registry.pin(tmp_path / "mine")
    assert registry.PINS_FILE.read_bytes() == pins


class _MakesAFolder:
    """Unpickled, it makes a folder: what a hostile model file could do, harmlessly and visibly."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return os.mkdir, (self.path,)


def test_the_model_file_loaded_is_the_one_whose_hash_was_checked(tmp_path):
    """The hash was checked on one read of the file and joblib loaded a second: a file that changed in between
    (replaced on a shared or network drive, or, as here, a named pipe that serves the recorded model to the
    check and another to the load) ran code no hash vouched for, silently. One read is now checked and loaded."""
    import io
    import threading
    import time

    import joblib

    shipped = registry.shipped_default_folder() / MODEL_FILE
    recorded = shipped.read_bytes()
    ran = tmp_path / "code-ran"
    hostile = io.BytesIO()
    joblib.dump(_MakesAFolder(ran), hostile, compress=3)
    folder = tmp_path / "model"
    folder.mkdir()
    os.mkfifo(folder / MODEL_FILE)

    def serve():  # the recorded bytes to the first reader, the hostile ones to the next
        for payload in (recorded, hostile.getvalue()):
            try:
                with open(folder / MODEL_FILE, "wb") as fh:
                    fh.write(payload)
            except BrokenPipeError:
                pass
            # the first reader (this process, in its main thread) has its end of the file before the next one opens
            while has_open(os.getpid(), folder / MODEL_FILE):
                time.sleep(0.01)

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        model, sha256 = load_verified(folder, registry.expected_hashes(shipped.parent), False, ConcernModel,
                                      "concern model")
    finally:
        os.close(os.open(folder / MODEL_FILE, os.O_RDONLY | os.O_NONBLOCK))  # a writer still waiting goes on
        server.join(timeout=10)
    assert not ran.exists()
    assert isinstance(model, ConcernModel) and (sha256,) == registry.expected_hashes(shipped.parent)  # what was loaded


def files_opened_by(action) -> list[str]:
    """The paths ``action()`` opens (Python's audit events: every open(), os.open() and mkstemp in this process)."""
    opened: list[str] = []

    def record(event: str, args: tuple) -> None:
        if event == "open" and opened is not None and isinstance(args[0], (str, os.PathLike)):
            opened.append(os.fspath(args[0]))

    sys.addaudithook(record)  # a hook cannot be removed: it records nothing once the list is let go
    action()
    paths, opened = list(opened), None
    return paths


def test_a_model_file_is_hashed_as_written_not_read_back(tmp_path):
    """write_folder wrote the model file and then read it all back to hash it (12 MB for a full model): the hash is
    of the bytes written, taken as they are written, and the file is opened once, to write it (a temporary file,
    renamed once whole)."""
    folder, written = tmp_path / "model", []
    opened = files_opened_by(lambda: written.append(
        write_folder({"weights": list(range(1000))}, folder, {"version": "t"}, lambda card: "# card\n")))
    digest = hashlib.sha256((folder / MODEL_FILE).read_bytes()).hexdigest()
    assert written == [digest] and json.loads((folder / CARD_JSON).read_text())["sha256"] == digest
    model_file = [p for p in opened if Path(p).name == MODEL_FILE or Path(p).name.startswith(f".{MODEL_FILE}.")]
    assert len(model_file) == 1 and Path(model_file[0]).name != MODEL_FILE, opened
