"""Generate the residual personal-data corpus: corpora/sample/pii/notes.jsonl and manifest.json.

    python corpora/pii_generator/generate.py [--seed N] [--out corpora/sample/pii]

Each note is a stretch of an anonymised note of the main sample corpus (same split),
with its initials sometimes replaced by names, plus sentences that leak identifiers
and sentences with look-alikes that are not personal data. Every leaked value carries
a gold character span, a date of birth the stretch holds ("born 18/05") too. Names, streets, schools, towns and a quarter of the sentence
frames are split between training and held-out pools, so that the dev and test
splits measure unseen names and phrasings. Faker's en_GB names are added when Faker
is installed (the optional extra ``corpus``); the committed output does not need it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

import banks  # noqa: E402
import frames  # noqa: E402

SPLIT_SIZES = {"train": 2400, "dev": 600, "test": 600}
SLOT = re.compile(r"\{([A-Za-z0-9]+)\}")


def held_out(value: str) -> bool:
    """A stable fifth of every bank is kept for the dev and test splits."""
    return int(hashlib.sha1(value.encode("utf-8")).hexdigest(), 16) % 5 == 0


def pools(values: list[str]) -> dict[str, list[str]]:
    values = sorted(set(values))
    train = [v for v in values if not held_out(v)]
    held = [v for v in values if held_out(v)]
    return {"train": train, "dev": held, "test": held}


def cue_pools(values: list[str]) -> dict[str, list[str]]:
    """Words that lead into a name ("Emailed", "Later", "Present:"): the hand-picked held-out ones in dev and test."""
    values = sorted(set(values))
    held = [v for v in values if v in banks.HELD_OUT_CUES]
    return {"train": [v for v in values if v not in banks.HELD_OUT_CUES], "dev": held, "test": held}


def faker_names() -> tuple[list[str], list[str], str | None]:
    try:
        import faker.providers.person.en_GB as person
        from faker import VERSION
    except ImportError:
        return [], [], None
    first = list(person.Provider.first_names_female) + list(person.Provider.first_names_male)
    return first, list(person.Provider.last_names), VERSION


class Values:
    """Random values for one split, drawn from that split's pools."""

    def __init__(self, rng: random.Random, split: str, faker_first: list[str], faker_last: list[str]):
        self.rng, self.split = rng, split
        self.first = pools(banks.BRITISH_FIRST + banks.WELSH_FIRST + faker_first)[split]
        self.word_first = pools(banks.WORD_FIRST_NAMES)[split]
        self.welsh_first = pools(banks.WELSH_FIRST)[split]
        self.last = pools(banks.BRITISH_SURNAMES + banks.WELSH_SURNAMES + faker_last)[split]
        self.welsh_last = pools(banks.WELSH_SURNAMES)[split]
        self.stems = pools(banks.STREET_STEMS)[split]
        self.welsh_streets = pools(banks.WELSH_STREETS)[split]
        self.school_stems = pools(banks.SCHOOL_STEMS)[split]
        self.welsh_schools = pools(banks.WELSH_SCHOOL_NAMES)[split]
        self.towns = banks.WELSH_TOWNS + banks.ENGLISH_TOWNS
        self.cues = {name: cue_pools(getattr(banks, name))[split] for name in (
            "SENTENCE_START_VERBS", "SENTENCE_START_ADVERBS", "KINSHIP_WORDS", "WELSH_VERBS_SUBJECT",
            "WELSH_VERBS_OBJECT", "LIST_CUES")}

    def choice(self, seq):
        return self.rng.choice(seq)

    def first_name(self) -> str:
        return self.choice(self.welsh_first if self.rng.random() < 0.3 else self.first)

    def surname(self) -> str:
        name = self.choice(self.welsh_last if self.rng.random() < 0.35 else self.last)
        return name.upper() if self.rng.random() < 0.04 else name

    def person(self) -> str:
        r = self.rng.random()
        if r < 0.08:
            return f"{self.first_name()} {self.first_name()} {self.surname()}"
        if r < 0.11:
            return f"{self.choice(self.welsh_first)} ap {self.choice(self.welsh_first)}"
        return f"{self.first_name()} {self.surname()}"

    def street(self) -> str:
        if self.rng.random() < 0.35:
            return self.choice(self.welsh_streets)
        return f"{self.choice(self.stems)} {self.choice(banks.STREET_TYPES)}"

    def address(self) -> str:
        number = str(self.rng.randint(1, 240))
        r = self.rng.random()
        if r < 0.12:
            number += self.choice("abAB")
        street = self.street()
        if r > 0.8:
            return f"Flat {self.rng.randint(1, 30)}{self.choice(['', '', 'A', 'b'])}, {number} {street}"
        return f"{number} {street}"

    def postcode(self) -> str:
        inward = f"{self.rng.randint(0, 9)}{self.choice('ABDEFGHJLNPQRSTUWXYZ')}{self.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        code = f"{self.choice(banks.OUTWARD_CODES)} {inward}"
        r = self.rng.random()
        if r < 0.1:
            code = code.replace(" ", "")
        elif r < 0.15:
            code = code.lower()
        return code

    def phone(self) -> str:
        n3 = f"{self.rng.randint(0, 999):03d}"
        forms = [
            f"07700 900{n3}", f"07700900{n3}", f"07700 900 {n3}", f"+44 7700 900{n3}", f"+447700900{n3}",
            f"+44 (0)7700 900{n3}", f"0044 7700 900{n3}", f"029 2018 0{n3}", f"(029) 2018 0{n3}",
            f"0292018 0{n3}", f"0113 496 0{n3}", f"0161-496-0{n3}", f"01632 960{n3}", f"(01632) 960{n3}",
            f"0808 157 0{n3}", f"020 7946 0{n3}", f"0117 496 0{n3}", f"0191 498 0{n3}", f"07700-900-{n3}",
        ]
        return self.choice(forms)

    def email(self) -> str:
        first, last = self.first_name().lower(), self.surname().lower().replace("'", "")
        local = self.choice([f"{first}.{last}", f"{first}{last}{self.rng.randint(1, 99)}", f"{first[0]}.{last}",
                             f"{first}_{self.rng.randint(80, 99)}", f"{last}.{first}", f"{first}-{last}"])
        local = local.encode("ascii", "ignore").decode()
        domain = self.choice(["example.com", "example.org", "example.net", "mail.example.com", "example.co.uk"])
        return f"{local}@{domain}"

    def date(self, year_from: int, year_to: int) -> str:
        y, m, d = self.rng.randint(year_from, year_to), self.rng.randint(1, 12), self.rng.randint(1, 28)
        month = banks.MONTHS[m - 1]
        suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(d, "th")
        forms = [
            f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y % 100:02d}", f"{d:02d}.{m:02d}.{y}", f"{d:02d}-{m:02d}-{y}",
            f"{y}-{m:02d}-{d:02d}", f"{d} {month} {y}", f"{d}{suffix} {month} {y}", f"{d}{suffix} of {month} {y}",
            f"{month} {d}, {y}", f"{d:02d} {month[:3]} {y}", f"{d}/{m}/{y}",
        ]
        return self.choice(forms)

    def nhs(self) -> str:
        while True:
            digits = "999" + "".join(str(self.rng.randint(0, 9)) for _ in range(6))
            total = sum(int(c) * w for c, w in zip(digits, range(10, 1, -1)))
            check = (11 - total % 11) % 11
            if check != 10:
                return self._group(digits + str(check))

    def bad_nhs(self) -> str:
        while True:
            digits = str(self.rng.randint(1, 9)) + "".join(str(self.rng.randint(0, 9)) for _ in range(9))
            total = sum(int(c) * w for c, w in zip(digits[:9], range(10, 1, -1)))
            check = (11 - total % 11) % 11
            if check == 10 or check != int(digits[9]):
                return self._group(digits)

    def _group(self, digits: str) -> str:
        r = self.rng.random()
        if r < 0.5:
            return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
        return digits if r < 0.85 else f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"

    def ni(self) -> str:
        first = self.choice("ABCEGHJKLMNOPRSTWXYZ")
        while True:
            second = self.choice("ABCEGHJKLMNPRSTWXYZ")
            if first + second not in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}:
                break
        d = "".join(str(self.rng.randint(0, 9)) for _ in range(6))
        suffix = self.choice("ABCD")
        if self.rng.random() < 0.5:
            return f"{first}{second} {d[:2]} {d[2:4]} {d[4:]} {suffix}"
        return f"{first}{second}{d}{suffix}"

    def school(self) -> str:
        if self.rng.random() < 0.35:
            return self.choice(self.welsh_schools)
        pattern = self.choice(banks.SCHOOL_PATTERNS)
        return pattern.format(stem=self.choice(self.school_stems), saint=self.choice(banks.SAINTS),
                              town=self.choice(self.towns))

    def initial(self) -> str:
        letter = self.choice("BCDEFGHJKLMNPRSTWZ")
        return self.choice([letter, letter, letter, f"{letter}{self.choice('BCDJKMRSTW')}", f"Baby {letter}",
                            f"{letter}.{self.choice('BCDJKMRSTW')}.", f"Mr {letter}", f"Ms {letter}"])

    def reference(self) -> str:
        rng = self.rng
        return self.choice([
            f"CR-{rng.randint(2019, 2025)}-{rng.randint(1, 9999):04d}", str(rng.randint(1000000, 9999999)),
            f"{rng.randint(10, 99)}/{rng.randint(10000, 99999)}/{rng.randint(19, 25)}",
            f"{rng.randint(2019, 2025)}/{rng.randint(1, 9999):04d}", f"ID-{rng.randint(1, 99999):05d}",
            "".join(str(rng.randint(0, 9)) for _ in range(10)),
        ])


def gold_value(slot: str, v: Values, state: dict) -> tuple[str, str | None]:
    """(text, label or None) for a slot; pronoun slots use the note's child's gender."""
    rng = v.rng
    label_of = {"FIRST": "PERSON", "FIRST2": "PERSON", "WFIRST": "PERSON", "SURNAME": "PERSON", "SURNAME2": "PERSON",
                "PERSON": "PERSON", "ADDRESS": "ADDRESS", "POSTCODE": "POSTCODE", "PHONE": "PHONE",
                "EMAIL": "EMAIL", "DOB": "DATE_OF_BIRTH", "NHS": "NHS_NUMBER", "NI": "NI_NUMBER",
                "SCHOOL": "SCHOOL", "SCHOOL2": "SCHOOL"}
    if slot in ("FIRST", "SURNAME", "SCHOOL"):  # the same child, surname and school within a note
        key = slot
        if key not in state:
            state[key] = {"FIRST": v.first_name, "SURNAME": v.surname, "SCHOOL": v.school}[key]()
        return state[key], label_of[slot]
    makers = {
        "FIRST2": v.first_name, "SURNAME2": v.surname, "PERSON": v.person, "ADDRESS": v.address,
        "POSTCODE": v.postcode, "PHONE": v.phone, "EMAIL": v.email, "DOB": lambda: v.date(1975, 2024),
        "NHS": v.nhs, "NI": v.ni, "SCHOOL2": v.school,
        "INITIAL": v.initial, "INITIAL2": v.initial, "LETTER": lambda: v.choice("BCDFGHJKLMNPRSTW"),
        "ROLE": lambda: v.choice(banks.ROLES), "ROLE2": lambda: v.choice(banks.ROLES),
        "AGENCY": lambda: v.choice(banks.AGENCIES), "HOSPITAL": lambda: v.choice(banks.HOSPITALS),
        "COUNCIL": lambda: v.choice(banks.COUNCILS), "TOWN": lambda: v.choice(v.towns),
        "TOWN2": lambda: v.choice(v.towns), "MONTH": lambda: v.choice(banks.MONTHS),
        "DAY": lambda: v.choice(banks.DAYS), "FESTIVAL": lambda: v.choice(banks.FESTIVALS),
        "BRAND": lambda: v.choice(banks.BRANDS), "BRAND2": lambda: v.choice(banks.BRANDS),
        "CONDITION": lambda: v.choice(banks.CONDITIONS), "LAW": lambda: v.choice(banks.LAWS),
        "DATE": lambda: v.date(2019, 2025), "REF": v.reference, "BADNHS": v.bad_nhs,
        "AMOUNT": lambda: v.choice([f"£{rng.randint(20, 900)}", f"£{rng.randint(1, 9)},{rng.randint(0, 999):03d}",
                                    f"£{rng.randint(5, 99)}.{rng.randint(0, 99):02d}"]),
        "AGE": lambda: str(rng.randint(2, 17)), "YEAR": lambda: str(rng.randint(1, 11)),
        "NUM": lambda: str(rng.randint(2, 40)),
        "WFIRST": lambda: v.choice(v.word_first),
        "VERB": lambda: v.choice(v.cues["SENTENCE_START_VERBS"]),
        "ADVERB": lambda: v.choice(v.cues["SENTENCE_START_ADVERBS"]),
        "KIN": lambda: v.choice(v.cues["KINSHIP_WORDS"]),
        "WVERB3": lambda: v.choice(v.cues["WELSH_VERBS_SUBJECT"]),
        "WVERB1": lambda: v.choice(v.cues["WELSH_VERBS_OBJECT"]),
        "LISTCUE": lambda: v.choice(v.cues["LIST_CUES"]),
        "ROLEABBR": lambda: v.choice(banks.ROLE_ABBREVIATIONS), "ROLEABBR2": lambda: v.choice(banks.ROLE_ABBREVIATIONS),
        "ROLEABBR3": lambda: v.choice(banks.ROLE_ABBREVIATIONS),
        "LANGUAGE": lambda: v.choice(banks.LANGUAGES), "LANGUAGE2": lambda: v.choice(banks.LANGUAGES),
        "AGENCY2": lambda: v.choice(banks.AGENCIES), "ACRONYMS": lambda: v.choice(banks.PLURAL_ACRONYMS),
    }
    if slot in ("his", "he", "him"):
        boy = state.setdefault("boy", rng.random() < 0.5)
        return {"his": ("his", "her"), "he": ("he", "she"), "him": ("him", "her")}[slot][0 if boy else 1], None
    return makers[slot](), label_of.get(slot)


def render(template: str, v: Values, state: dict) -> tuple[str, list[dict]]:
    out, entities, pos = [], [], 0
    length = 0
    for m in SLOT.finditer(template):
        literal = template[pos : m.start()]
        out.append(literal)
        length += len(literal)
        value, label = gold_value(m.group(1), v, state)
        if label is not None:
            previous = entities[-1] if entities else None
            if label == "PERSON" and previous and previous["label"] == "PERSON" and previous["end"] + 1 == length and literal == " ":
                previous["end"] = length + len(value)  # "{FIRST} {SURNAME2}" is one name
            else:
                entities.append({"start": length, "end": length + len(value), "label": label})
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), entities


INITIAL_GUARD = frozenset(
    """plan part category vitamin hep form grade section type schedule appendix block ward room zone level wing
    option year class group team unit floor flat exhibit step stage tier phase child sibling key point""".split()
)
TITLE_INITIAL = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.? ([A-Z])\b(?![\w.-]|['’](?!s\b))")
LONE_INITIAL = re.compile(r"(?<![\w'’./&+-])([B-HJ-NP-UWYZ])(?![\w/&+-]|['’](?!s\b)|\.\w)")


def named_sentence(sentence: str, v: Values, names: dict[str, str]) -> tuple[str, list[dict]]:
    """Replace initials by names (gold PERSON spans), consistently within a note."""
    pieces, entities, pos, length = [], [], 0, 0
    hits = [(m.start(2), m.end(2), m.group(2), True) for m in TITLE_INITIAL.finditer(sentence)]
    taken = {h[0] for h in hits}
    for m in LONE_INITIAL.finditer(sentence):
        if m.start() in taken:
            continue
        before = sentence[: m.start()].split()
        if before and before[-1].lower().strip("(") in INITIAL_GUARD:
            continue
        hits.append((m.start(), m.end(), m.group(1), False))
    for start, end, letter, is_surname in sorted(hits):
        key = ("s:" if is_surname else "f:") + letter
        if key not in names:
            names[key] = v.surname() if is_surname else v.first_name()
        name = names[key]
        pieces.append(sentence[pos:start])
        length += start - pos
        entities.append({"start": length, "end": length + len(name), "label": "PERSON"})
        pieces.append(name)
        length += len(name)
        pos = end
    pieces.append(sentence[pos:])
    return "".join(pieces), entities


#: A date of birth a stretch of the concern corpus holds ("Baby girl born 18/05", "DOB: 03/04/2016"): leaked as a
#: frame's value is, so it is gold too (the scanner finds it; without a span, finding it counted as a false alarm).
BIRTH_DATE = re.compile(r"\b(?:born|DOB)\b:?\s+(?:on\s+)?(\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?)")


def with_birth_dates(sentence: str, spans: list[dict]) -> tuple[str, list[dict]]:
    """A stretch's sentence with its gold spans and a DATE_OF_BIRTH span for each date of birth it holds."""
    dates = [{"start": m.start(1), "end": m.end(1), "label": "DATE_OF_BIRTH"} for m in BIRTH_DATE.finditer(sentence)]
    return sentence, sorted(spans + dates, key=lambda e: e["start"])


SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])|\n+")


def filler_sentences(source: dict, rng: random.Random) -> list[str]:
    sentences = [s.strip() for s in SENTENCE_BREAK.split(source["text"]) if s.strip()]
    if len(sentences) <= 5:
        return sentences
    start = rng.randint(0, len(sentences) - 4)
    return sentences[start : start + rng.randint(2, 5)]


def make_note(note_id: str, split: str, v: Values, sources: list[dict], frame_pool: dict) -> dict:
    rng = v.rng
    state: dict = {}
    segments: list[tuple[str, list[dict]]] = []
    source = rng.choice(sources) if sources else None
    name_initials = rng.random() < 0.5
    names: dict[str, str] = {}
    for sentence in (filler_sentences(source, rng) if source else [rng.choice(frames.lines(frames.NEUTRAL_FRAMES))]):
        segments.append(with_birth_dates(*(named_sentence(sentence, v, names) if name_initials else (sentence, []))))
    n_pii = 0 if rng.random() < 0.15 else rng.choice([1, 1, 2, 2, 3, 4])
    n_look = rng.choice([0, 1, 1, 2, 3])
    inserts = [render(rng.choice(frame_pool["pii"]), v, state) for _ in range(n_pii)]
    inserts += [render(rng.choice(frame_pool["look"]), v, state) for _ in range(n_look)]
    n_context = rng.choice([0, 0, 1, 1, 2])  # a note without personal data gets the look-alikes only
    inserts += [render(rng.choice(frame_pool["context"] if n_pii and rng.random() < 0.6 else frame_pool["context_look"]),
                       v, state) for _ in range(n_context)]
    for insert in inserts:
        segments.insert(rng.randint(0, len(segments)), insert)
    text, entities = "", []
    for k, (segment, spans) in enumerate(segments):
        if k:
            text += "\n" if (":" in segment[:12] or rng.random() < 0.25) else " "
        entities += [{**e, "start": e["start"] + len(text), "end": e["end"] + len(text)} for e in spans]
        text += segment
    for e in entities:
        e["text"] = text[e["start"] : e["end"]]
    origin = f"pii-generator:{source['origin']}" if source else "pii-generator:neutral"
    return {"note_id": note_id, "text": text, "entities": entities, "split": split, "origin": origin,
            "initials_named": name_initials}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--out", type=Path, default=ROOT / "corpora" / "sample" / "pii")
    parser.add_argument("--sources", type=Path, default=ROOT / "corpora" / "sample" / "notes.jsonl")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    faker_first, faker_last, faker_version = faker_names()
    records = [json.loads(line) for line in args.sources.read_text(encoding="utf-8").splitlines() if line.strip()]
    pii_frames = frames.lines(frames.PII_FRAMES)
    look_frames = frames.lines(frames.LOOKALIKE_FRAMES)
    context_frames = frames.lines(frames.NAME_CONTEXT_FRAMES)
    context_look_frames = frames.lines(frames.NAME_CONTEXT_LOOKALIKES)
    notes = []
    for split, size in SPLIT_SIZES.items():
        values = Values(rng, split, faker_first, faker_last)
        sources = [r for r in records if r.get("split") == split]
        keep = (lambda i: i % 4 != 3) if split == "train" else (lambda i: True)
        pool = {"pii": [f for i, f in enumerate(pii_frames) if keep(i)],
                "look": [f for i, f in enumerate(look_frames) if keep(i)],
                "context": [f for i, f in enumerate(context_frames) if keep(i)],
                "context_look": [f for i, f in enumerate(context_look_frames) if keep(i)]}
        for k in range(size):
            notes.append(make_note(f"pii-{split}-{k + 1:04d}", split, values, sources, pool))
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "notes.jsonl", "w", encoding="utf-8") as fh:
        for note in notes:
            fh.write(json.dumps(note, ensure_ascii=False) + "\n")
    counts = {s: {} for s in SPLIT_SIZES}
    for note in notes:
        for e in note["entities"]:
            counts[note["split"]][e["label"]] = counts[note["split"]].get(e["label"], 0) + 1
    manifest = {
        "notes": len(notes), "seed": args.seed, "generator": "corpora/pii_generator/generate.py",
        "faker_version": faker_version, "splits": {s: sum(n["split"] == s for n in notes) for s in SPLIT_SIZES},
        "entities": counts,
        "held_out": "names, streets, schools and every fourth sentence frame of dev/test are not in train",
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(notes)} notes written to {args.out}")


if __name__ == "__main__":
    main()
