"""A model folder on disk, for every kind of model we ship: hash, verified load, pins, card files.

joblib files execute code when loaded, so a model file is loaded only when its
sha256 matches the one recorded for it (pinned in the package for shipped
models, registered in the workspace for retrained ones), unless trusted explicitly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import platform
import re
import zlib
from collections.abc import Callable, Collection
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from .corpus import package_root
from .errors import ModelError
from .files import check_output_folder, private_file, private_folder, written_here

MODEL_FILE = "model.joblib"
CARD_JSON = "model-card.json"
CARD_MD = "MODEL_CARD.md"


def sha256_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def sha256_bytes(data: bytes | memoryview) -> str:
    return hashlib.sha256(data).hexdigest()


def library_versions(packages: tuple[str, ...]) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in packages:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "unknown"
    return versions


def read_card(folder: str | Path) -> dict[str, Any]:
    """A model folder's card (``model-card.json``); {} if it has none that can be read (display only: never trusted
    for loading, which checks the model file's hash)."""
    try:
        card = json.loads((Path(folder) / CARD_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return card if isinstance(card, dict) else {}


def write_folder(obj: Any, folder: Path, card: dict[str, Any], render_markdown: Callable[[dict], str]) -> str:
    """Write ``model.joblib``, ``model-card.json`` (with the file's sha256) and ``MODEL_CARD.md``, owner-only.

    A model holds terms of the notes it was trained on, so its files are private like every output:
    the folder is 0700 (an existing one too, if it holds nothing but a model's files: see
    :func:`private_folder`); each file replaces the one before only once written whole, so a failed
    write over an existing folder leaves it as it was.
    """
    import joblib

    private_folder(folder, written_here(MODEL_FILE, CARD_JSON, CARD_MD))
    with private_file(folder / MODEL_FILE, binary=True) as fh:
        hashed = _HashedWrites(fh)
        joblib.dump(obj, hashed, compress=3)
    digest = hashed.sha256.hexdigest()  # of the bytes written: the file is not read back
    card = {**card, "sha256": digest,
            "created_at": card.get("created_at") or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    with private_file(folder / CARD_JSON) as fh:
        fh.write(json.dumps(card, indent=2) + "\n")
    with private_file(folder / CARD_MD) as fh:
        fh.write(render_markdown(card))
    return digest


class _HashedWrites:
    """A file to write that hashes what is written to it, as it is written."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh, self.sha256 = fh, hashlib.sha256()

    def write(self, data) -> int:
        self.sha256.update(data)
        return self.fh.write(data)


def check_no_model_in(folder: str | os.PathLike) -> None:
    """Refuse to write a model into a folder that holds one: the earlier model would be lost, and a shipped or
    registered one would no longer match its recorded hash (given before training, where the folder is known)."""
    if (Path(folder) / MODEL_FILE).exists():
        raise ModelError(f"{folder}: already holds a model ({MODEL_FILE}); choose another --out, "
                         "or move that model away first")


def check_destination(out: Path | None, models: Path, version: str | None, pin: bool,
                      check_pinnable: Callable[[Path], None]) -> None:
    """Refuse before training what would fail only once a model is trained: a folder that cannot be made or written,
    one that holds a model (when it is named: ``out``, or ``models/<version>``), a pin outside the project. The
    default folder is named by the data, known only after training: check it then with :func:`check_no_model_in`."""
    named = out or (models / version if version else None)
    check_output_folder(named or models)
    if named:
        check_no_model_in(named)
    if pin:
        check_pinnable(out or models)


#: A model version names its folder (``models/<version>``): one plain name, never a path.
VERSION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")


def check_version_name(version: str) -> None:
    """Refuse a version that is not a plain folder name ("../x" would write the model outside ``models/``)."""
    if not VERSION_NAME.fullmatch(version):
        raise ModelError(f"version {version!r}: letters, digits and . _ + - only, starting with a letter or digit "
                         "(it names the model's folder)")


#: How model files are written (``joblib.dump(..., compress=3)``): a zlib stream, whose first byte is this.
ZLIB_START = b"\x78"
CHUNK = 1 << 20


def check_intact(path: Path, fh: BinaryIO) -> None:
    """Refuse a model file (``path``, read from ``fh``) that is not one whole zlib stream, as every model file
    casereview writes is.

    For a file no hash vouches for (``--trust-model``): a damaged file (a bad block, a broken copy, a byte
    added) made joblib read a length from the damage and ask for gigabytes of memory, or all there was,
    before it noticed. zlib's own checksum of the content (adler32, read at the stream's end) tells a
    damaged file in one pass (about 0.1 s for the shipped model), before joblib reads it.
    """
    inflate = zlib.decompressobj()
    data = fh.read(CHUNK)
    try:
        if not data.startswith(ZLIB_START):
            raise zlib.error("not a zlib stream")
        while data and not inflate.eof:
            inflate.decompress(data, CHUNK)  # at most CHUNK bytes out at a time, whatever the data says
            data = inflate.unconsumed_tail or fh.read(CHUNK)
        if not inflate.eof:
            raise zlib.error("the stream ends early")
        if inflate.unused_data or fh.read(1):
            raise zlib.error("bytes after the end of the stream")
    except zlib.error as e:
        raise ModelError(f"{path}: damaged or not a casereview model file ({e}); copy it again or retrain it") from None


def add_card_section(folder: str | Path, key: str, value: Any, render_markdown: Callable[[dict], str]) -> None:
    """Add figures measured after training (benchmarks) to a model's card, both forms; the model file is untouched."""
    path = Path(folder) / CARD_JSON
    card = json.loads(path.read_text(encoding="utf-8"))
    card[key] = value
    with private_file(path) as fh:
        fh.write(json.dumps(card, indent=2) + "\n")
    with private_file(Path(folder) / CARD_MD) as fh:
        fh.write(render_markdown(card))


def load_verified(folder: str | Path, expected_sha256: str | Collection[str] | None, trust: bool, kind: type,
                  what: str, unknown_hint: str = "") -> tuple[Any, str]:
    """The object in ``folder``'s model file, after its hash check, and the sha256 of the bytes it was loaded from
    (what a workspace registers for it: the file read again could be another); refused unless it is a ``kind``.

    ``expected_sha256``: the hash recorded for the file, or the hashes recorded for its folder (a workspace may have
    registered two versions trained into one folder in turn); none (None or empty) is an unknown file.
    ``unknown_hint``: what to try when the hash is not known, said before ``--trust-model``.
    """
    import joblib

    path = Path(folder) / MODEL_FILE
    expected = (expected_sha256,) if isinstance(expected_sha256, str) else tuple(expected_sha256 or ())
    if not Path(folder).is_dir():  # a mistyped --model said "no model.joblib", as if the folder were there
        found = "is a file, not a folder" if Path(folder).exists() else "no such folder"
        raise ModelError(f"{folder}: {found} (a casereview {what} folder holds {MODEL_FILE} and its model card)")
    if not path.exists():
        raise ModelError(f"{folder}: no {MODEL_FILE} (not a casereview {what} folder)")
    if not trust and not expected:
        raise ModelError(
            f"{path}: this {what}'s hash is not pinned in casereview or registered in the workspace; "
            f"joblib files run code when loaded, so it is refused. {unknown_hint}"
            "Pass --trust-model if you trust its source."
        )
    # read once: what is checked is what is loaded (a file read again could have changed in between)
    content = io.BytesIO(path.read_bytes())
    actual = sha256_bytes(content.getbuffer())
    if not trust:
        if actual not in expected:
            recorded = ", ".join(f"{sha[:12]}…" for sha in expected)
            raise ModelError(
                f"{path}: sha256 {actual[:12]}… does not match the recorded {recorded}; "
                "the file has changed since it was recorded. Refusing to load it (--trust-model overrides)."
            )
    else:
        check_intact(path, content)
        content.seek(0)
    try:
        obj = joblib.load(content)
    except Exception as e:  # an old or foreign file: say so rather than show a traceback
        raise ModelError(f"{path}: cannot be loaded by this casereview ({type(e).__name__}); retrain it") from None
    if not isinstance(obj, kind):
        raise ModelError(f"{path}: not a casereview {what}")
    return obj, actual


def read_pins(pins_file: Path) -> dict:
    """``{"default": version, "models": {version: {"path": ..., "sha256": ...}}}``."""
    if not pins_file.exists():
        return {"default": None, "models": {}}
    return json.loads(pins_file.read_text(encoding="utf-8"))


def check_pinnable(pins_file: Path, folder: Path) -> None:
    """What :func:`pin` needs, checked before a model is trained to be pinned: a folder inside the project (a pin
    is a path in it, as the model ships with it) and a pins file that can be written."""
    if not folder.resolve().is_relative_to(package_root()):
        raise ModelError(f"{folder}: not inside the project ({package_root()}), so it cannot be pinned as shipped; "
                         f"write the model under {package_root() / 'models'}, or do not pin it")
    if not os.access(pins_file, os.W_OK):
        raise ModelError(f"{pins_file}: cannot be written, so no model can be pinned in it")


def pin(pins_file: Path, folder: Path, default: bool = True) -> None:
    """Record a model folder inside the project as shipped (when releasing a model)."""
    check_pinnable(pins_file, folder)
    pins = read_pins(pins_file)
    version = json.loads((folder / CARD_JSON).read_text(encoding="utf-8"))["version"]
    pins["models"][version] = {"path": str(folder.resolve().relative_to(package_root())),
                               "sha256": sha256_file(folder / MODEL_FILE)}
    if default:
        pins["default"] = version
    pins_file.write_text(json.dumps(pins, indent=2) + "\n", encoding="utf-8")


def pinned_hash(pins_file: Path, folder: Path) -> str | None:
    """The pinned sha256 of a shipped model folder, if it is one."""
    folder = folder.resolve()
    for entry in read_pins(pins_file)["models"].values():
        if (package_root() / entry["path"]).resolve() == folder:
            return entry["sha256"]
    return None
