"""Render a PII model card (``model-card.json`` content) as ``MODEL_CARD.md``."""

from __future__ import annotations

from typing import Any

from ..wording import number, tally
from .training import THRESHOLD_TOLERANCE

INTENDED_USE = (
    "Flagging residual personal data (names, street addresses, schools, and with the validated patterns, "
    "postcodes, phone numbers, e-mail addresses, dates of birth, NHS and National Insurance numbers) in "
    "case notes that are meant to be anonymised, before anyone reviews, exports or shares them. A reviewer "
    "resolves each finding; redaction replaces the value with its type."
)
LIMITS = (
    "Trained on a synthetic corpus: anonymised notes of the sample corpus with initials replaced by British "
    "and Welsh names, plus generated sentences that leak identifiers and look-alikes that do not. Names "
    "written in lower case, house names without a street, nicknames and names in other scripts are missed "
    "more often; a place name alone is not flagged. A word that leads into a name and is neither in the "
    "training frames nor a common word (\"Reportedly Ieuan\", \"Godmother Lleucu Roberts\") may be taken into "
    "it, as may one before a first name alone (\"Eventually Kayden\"), a heading never seen may be flagged "
    "(\"Circulation:\", \"Invitees:\"), and a first name that is also a month or a word (\"May\", \"Hope\", "
    "\"Summer\") may be found in part or missed at the start of a sentence. "
    "A clean scan does not prove a note is anonymous: read it."
)


def _table(block: dict[str, Any]) -> list[str]:
    lines = ["| type | precision | recall | F1 | gold spans |", "|---|---|---|---|---|"]
    for name, m in block["per_type"].items():
        lines.append(f"| `{name}` | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
                     f"{number(m['support'])} |")
    o = block["overall"]
    lines.append(f"| **all** | **{o['precision']:.3f}** | **{o['recall']:.3f}** | **{o['f1']:.3f}** | "
                 f"{number(o['support'])} |")
    return lines


def render_markdown(card: dict[str, Any]) -> str:
    t = card["training"]
    lines = [f"# Model card: {card['version']}", "", card["kind"] + ".", "", "## Intended use", "", INTENDED_USE, "",
             "## Method", "", card["method"] + ".", "",
             f"Thresholds (of those within {THRESHOLD_TOLERANCE} of the best dev F2, the one nearest best F2 / 5): "
             f"{card['thresholds']}.", "",
             "## Training data", "",
             f"`{t['corpus']}` (sha256 `{t['data_sha256'][:16]}…`), seed {t['seed']}: notes per split: "
             f"{tally(t['notes'])}; {number(t['candidates'])} candidate spans, {number(t['features'])} features. "
             "Names, streets, schools, a fifth of the words that lead into a name (\"Debriefed\", \"Godmother\", "
             "\"Circulation:\") and a quarter of the sentence frames of dev and test never occur in train.", ""]
    for split in ("test", "dev"):
        block = card["metrics"].get(split)
        if not block:
            continue
        lines += [f"## Results on {split} (held out)" if split == "test" else "## Results on dev", "",
                  "Exact span:", "", *_table(block["exact"]), "", "Overlapping span:", "", *_table(block["overlap"]), ""]
    for key, title in (("benchmarks", "Benchmarks"), ("comparison", "Compared with the model it replaced")):
        if card.get(key):
            lines += [f"## {title}", "", "| measure | value |", "|---|---|",
                      *(f"| {name} | {value} |" for name, value in card[key].items()), ""]
    lines += ["## Limits", "", LIMITS, "", "## Integrity", "",
              f"`model.joblib` sha256 `{card['sha256']}`, pinned in `casereview/pii/shipped.json`; the file is "
              "hash-checked before it is loaded.", "", f"Libraries: {card['library_versions']}.", ""]
    return "\n".join(lines)
