#!/usr/bin/env python3
"""Variety and target check for a generated batch (standard library only).

    python3 corpora/generator/check_variety.py corpora/sample/generated.jsonl

Reports exact duplicate texts, note pairs whose word 5-gram Jaccard similarity is above
0.8 (exact comparison of every pair that shares at least one 5-gram, via an inverted
index), the share of notes involved, and the corpus targets from the brief.
"""
import collections
import json
import re
import sys

WORD = re.compile(r"\w+")


def shingles(text):
    toks = WORD.findall(text.lower())
    if len(toks) < 5:
        return {" ".join(toks)}
    return {" ".join(toks[i:i + 5]) for i in range(len(toks) - 4)}


def main(path, threshold=0.8):
    notes = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    n = len(notes)
    texts = collections.Counter(x["text"] for x in notes)
    dups = sum(c - 1 for c in texts.values() if c > 1)
    sets = [shingles(x["text"]) for x in notes]
    index = collections.defaultdict(list)
    for i, s in enumerate(sets):
        for g in s:
            index[g].append(i)
    pairs, involved, max_j = [], set(), 0.0
    soft = {0.5: 0, 0.6: 0, 0.7: 0}
    for i, s in enumerate(sets):
        inter = collections.Counter()
        for g in s:
            for j in index[g]:
                if j > i:
                    inter[j] += 1
        for j, k in inter.items():
            jac = k / (len(s) + len(sets[j]) - k)
            max_j = max(max_j, jac)
            for t in soft:
                if jac > t:
                    soft[t] += 1
            if jac > threshold:
                pairs.append((notes[i]["note_id"], notes[j]["note_id"], round(jac, 3)))
                involved.update((i, j))
    all_pairs = n * (n - 1) // 2
    print(f"{n} notes; exact duplicate texts: {dups}")
    print(f"pairs with 5-gram Jaccard > {threshold}: {len(pairs)} of {all_pairs} "
          f"({len(pairs) / max(all_pairs, 1):.5%} of pairs); notes involved: {len(involved)} "
          f"({len(involved) / max(n, 1):.2%} of notes); max similarity {max_j:.3f}")
    print("  pairs above lower thresholds:", ", ".join(f"> {t}: {c}" for t, c in soft.items()))
    for p in pairs[:10]:
        print("  near-duplicate:", p)
    labelled = [x for x in notes if x["labels"]]
    per = collections.Counter(l for x in notes for l in x["labels"])
    multi = sum(1 for x in labelled if len(x["labels"]) >= 2)
    hard = collections.Counter(x.get("hard_case") for x in notes)
    print(f"unlabelled {n - len(labelled)} ({(n - len(labelled)) / n:.1%}); multi-label "
          f"{multi} ({multi / max(len(labelled), 1):.1%} of labelled); near_miss {hard['near_miss']}")
    print("label counts:", dict(sorted(per.items())))
    ok = (dups == 0 and len(involved) / max(n, 1) < 0.01 and min(per.values()) >= 140
          and multi / max(len(labelled), 1) >= 0.25 and hard["near_miss"] >= 110)
    print("targets met" if ok else "TARGETS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
