"""Check a hand-written or generated corpus batch against WRITING_GUIDE.md."""
import collections
import json
import re
import sys

LABELS = {"risk_analysis_gap", "management_oversight_missing", "supervision_issue",
          "delay_timeliness", "recording_quality", "workforce_capacity", "family_support_drift"}
ROLES = {"social_worker", "agency_social_worker", "senior_practitioner", "team_manager",
         "student", "family_support_worker", "iro", "other"}
TYPES = {"home_visit", "contact", "supervision", "management_decision", "strategy_discussion",
         "assessment", "meeting", "closure", "case_note"}
HARD = {None, "near_miss", "absence", "long_one_sentence", "terse_approval"}


def main(path):
    problems, notes = [], []
    for lineno, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            n = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"line {lineno}: bad JSON: {e}")
            continue
        notes.append((lineno, n))
        for f in ("note_id", "case_id", "date", "author_role", "note_type", "text", "labels", "evidence", "origin"):
            if f not in n:
                problems.append(f"line {lineno}: missing {f}")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(n.get("date", ""))):
            problems.append(f"line {lineno}: bad date")
        if n.get("author_role") not in ROLES:
            problems.append(f"line {lineno}: bad author_role {n.get('author_role')}")
        if n.get("note_type") not in TYPES:
            problems.append(f"line {lineno}: bad note_type {n.get('note_type')}")
        if n.get("hard_case") not in HARD:
            problems.append(f"line {lineno}: bad hard_case")
        labels = n.get("labels", [])
        if set(labels) - LABELS:
            problems.append(f"line {lineno}: unknown labels {set(labels) - LABELS}")
        ev = n.get("evidence", {})
        if set(ev) != set(labels):
            problems.append(f"line {lineno}: evidence keys {sorted(ev)} != labels {sorted(labels)}")
        text = n.get("text", "")
        for lab, sents in ev.items():
            if not sents:
                problems.append(f"line {lineno}: no evidence for {lab}")
            for s in sents:
                i = text.find(s)
                if i < 0:
                    problems.append(f"line {lineno}: evidence for {lab} not found verbatim in text: {s[:60]!r}")
                    continue
                before = text[i - 1] if i > 0 else "\n"
                after = text[i + len(s)] if i + len(s) < len(text) else "\n"
                if not s.strip():
                    problems.append(f"line {lineno}: empty evidence for {lab}")
                    continue
                if s[0] in "-•*–" or s[0].isspace():
                    problems.append(f"line {lineno}: evidence for {lab} starts with a bullet marker or a space (quote the line without it): {s[:60]!r}")
                if not (before.isspace() or before in "-•*:(\"'") or not (after.isspace() or after in ")\"'"):
                    problems.append(f"line {lineno}: evidence for {lab} is not a whole sentence: {s[:60]!r}")
    ids = collections.Counter(n["note_id"] for _, n in notes if "note_id" in n)
    problems += [f"duplicate note_id {i}" for i, c in ids.items() if c > 1]
    texts = collections.Counter(n.get("text") for _, n in notes)
    problems += [f"duplicate text in {c} notes" for t, c in texts.items() if c > 1]
    cases = collections.Counter(n.get("case_id") for _, n in notes)
    problems += [f"case {c} has {k} notes (want 4-12)" for c, k in cases.items() if not 4 <= k <= 12]
    ids_set = set(ids)
    for lineno, n in notes:
        if n.get("pair_of") and n["pair_of"] not in ids_set:
            problems.append(f"line {lineno}: pair_of {n['pair_of']} not in batch")
    total = len(notes)
    unl = sum(1 for _, n in notes if not n.get("labels"))
    multi = sum(1 for _, n in notes if len(n.get("labels", [])) >= 2)
    per = collections.Counter(l for _, n in notes for l in n.get("labels", []))
    hard = collections.Counter(n.get("hard_case") for _, n in notes)
    words = [len(n.get("text", "").split()) for _, n in notes]
    print(f"{total} notes in {len(cases)} case files; unlabelled {unl} ({unl / max(total, 1):.0%}); "
          f"multi-label {multi} ({multi / max(total - unl, 1):.0%} of labelled)")
    print("per label:", dict(per))
    print("hard cases:", dict(hard))
    print(f"words: min {min(words, default=0)} max {max(words, default=0)} mean {sum(words) / max(total, 1):.0f}")
    for p in problems:
        print("PROBLEM:", p)
    print("OK" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
