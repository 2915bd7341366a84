"""A labelled corpus folder (``corpora/sample``): notes with labels, evidence spans and splits."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .errors import CaseReviewError

NOTES_FILE = "notes.jsonl"
SPLITS = ("train", "dev", "test")


def package_root() -> Path:
    """The project folder that holds ``models/`` and ``corpora/`` (editable install)."""
    return Path(__file__).resolve().parent.parent


def default_corpus() -> Path:
    return package_root() / "corpora" / "sample"


def load(folder: str | Path | None = None) -> list[dict[str, Any]]:
    """Every note record of the corpus, in file order."""
    folder = Path(folder) if folder else default_corpus()
    path = folder / NOTES_FILE if folder.is_dir() else folder
    if not path.exists():
        raise CaseReviewError(f"{path}: no corpus file")
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def split(records: list[dict], name: str) -> list[dict]:
    return [r for r in records if r.get("split") == name]


def data_hash(records: list[dict]) -> str:
    """A hash of the corpus content (ids, texts, labels, evidence, splits) for model cards."""
    digest = hashlib.sha256()
    for r in records:
        digest.update(json.dumps([r["note_id"], r["text"], sorted(r.get("labels") or []),
                                  r.get("evidence"), r.get("split")], sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def hand_origins(records: list[dict]) -> list[str]:
    """The hand-written voices (a voice may have several batches), for leave-one-origin-out evaluation."""
    return sorted({r["origin"] for r in records if str(r.get("origin", "")).startswith("hand:")})
