"""The personal-data scanner: validated patterns plus the statistical name recogniser.

:class:`Scanner` finds entities in plain strings (the fast path used by import,
``pii scan`` and the bench); :func:`make_pii_nlp` wraps the same scanner as a
registered spaCy component (``casereview_pii``) that puts the entities in
``doc.spans["pii"]``, for use inside a spaCy pipeline.

The name model ships as a joblib file in ``models/pii-*/``. joblib files run code
when loaded, so, as for concern models, the file's sha256 must match the pin in
``shipped.json`` (or the caller's ``expected_sha256``) before it is loaded.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .. import model_files
from ..corpus import package_root
from ..dates import read_date
from ..errors import CaseReviewError, ModelError
from ..model_files import CARD_JSON
from ..workers import can_fork, in_forked_processes
from ..taxonomy import PII_TYPES
from .ner import NameModel, tokenize
from .patterns import structured
from .sentence_starts import add_names_after_sentence_starts
from .spans import DisjointSpans

PINS_FILE = Path(__file__).with_name("shipped.json")
#: A note's date as the scanner takes it: ISO (YYYY-MM-DD, as notes store it; a time may follow), a date, or None for
#: none; any other form is refused (:func:`note_day`).
NoteDate = str | dt.date | None


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str
    score: float

    def record(self, text: str) -> dict[str, Any]:
        """The ``pii scan`` output form, with the found value."""
        return {"start": self.start, "end": self.end, "label": self.label, "text": text[self.start : self.end],
                "score": self.score}


def resolve_overlaps(hits: Iterable[tuple[int, int, str, float]]) -> list[Entity]:
    """Non-overlapping entities: structured hits first (they are validated), then longer, then stronger."""
    order = sorted(hits, key=lambda h: (h[2] in _NER_SET, -(h[1] - h[0]), -h[3], h[0]))
    chosen: list[Entity] = []
    taken = DisjointSpans()
    for start, end, label, score in order:
        if taken.overlaps(start, end):
            continue
        taken.add(start, end)
        chosen.append(Entity(start, end, label, score))
    chosen.sort(key=lambda e: (e.start, e.end))
    return chosen


_NER_SET = frozenset({"PERSON", "ADDRESS", "SCHOOL"})

#: National services and charities whose names read like people's ("Women's Aid",
#: "Barnardo's"), in English and in Welsh ("Dechrau'n Deg" is Flying Start), days, and the
#: Welsh words for languages ("Cymraeg"): a name found inside one is dropped.
SERVICES_RE = re.compile(
    r"\b(?:Women['’]s Aid|Flying Start|Families First|Barnardo['’]s|NSPCC|Action for Children|Home-Start|"
    r"Citizens Advice|Shelter Cymru|Sure Start|Samaritans|Childline|Cafcass(?: Cymru)?|Victim Support|"
    r"(?:the )?Red Cross|Salvation Army|Job ?Centre(?: Plus)?|Team Around the Family|Early Help|"
    r"Dechrau['’]n Deg|Teuluoedd yn Gyntaf|Mudiad Meithrin|Menter Iaith|Urdd(?: Gobaith Cymru)?|Eisteddfod|"
    r"Cymraeg|Gymraeg|Saesneg|"
    r"Christmas(?: Day| Eve)?|Boxing Day|New Year['’]s(?: Day| Eve)?|Mother['’]s Day|Father['’]s Day)\b",
    re.IGNORECASE,
)

#: A name made only of initials, as the codebook's anonymised notes write them ("J", "Mr T" are not
#: personal data): capitals, or letters of the Welsh alphabet written with two that begin names ("Ll" is
#: Llinos's initial, "Th" Thomas's, "Ph" Phylip's; none is a surname). Not "Ng": no Welsh name begins with
#: it (it begins words only by mutation, "yng Nghaerdydd"), and Ng is a surname ("Ms Ng").
_INITIAL = r"(?:[A-Z]|Ch|Dd|Ff|Ll|Ph|Rh|Th)\.?"
INITIALS_RE = re.compile(rf"{_INITIAL}(?:\s+{_INITIAL})*")


def _not_look_alikes(text: str, found: list[tuple[int, int, str, float]]) -> list[tuple[int, int, str, float]]:
    """The names found, less initials and those inside a service's name."""
    found = [f for f in found if not (f[2] == "PERSON" and INITIALS_RE.fullmatch(text, f[0], f[1]))]
    services = [m.span() for m in SERVICES_RE.finditer(text)]  # in order, not overlapping
    if not services:
        return found
    starts = [start for start, _ in services]

    def inside_service(start: int, end: int) -> bool:
        k = bisect.bisect_right(starts, start)  # the last service starting at or before the name
        return k > 0 and end <= services[k - 1][1]

    return [f for f in found if not inside_service(f[0], f[1])]


assert _NER_SET <= set(PII_TYPES)


#: The version of the scanner's own rules: the validated patterns (``patterns``), the look-alikes dropped
#: (initials, services' names) and the names added after a sentence's first word (``sentence_starts``).
#: Raise it with any change to them that can change what a scan finds: a workspace scans again every note
#: whose last scan was by another :attr:`Scanner.version` (``pii.findings.scan_workspace``).
#: 2: e-mail addresses written in words, NHS numbers in more groupings, dates of birth after "b." and in more
#: forms, phone numbers joined by a slash or after "Tel.".
#: 3: NI numbers and postcodes written with hyphens ("AB-12-34-56-C", "CF10-1AB"), a mobile's 0 spaced off
#: ("0 7700 900 123").
#: 4: years of birth after a birth cue ("born 1990", "YOB 1979"), dates in brackets after an initial ("K (03/04/2016)")
#: or after a child's initial and a comma ("Child K, 03/04/2016,"), after "born at UHW on", "DOB for K is", run into
#: "DOB" or with a time after them, a day and month with no year straight after "born" or "DOB" ("born 19/2", "born on
#: 3rd March").
#: 5: a date of birth in brackets after a family tie ("mum's partner (12/03/1990)", "maternal aunt (04/07/1985)"),
#: Welsh dates with an ordinal day and "o" before the month ("ganwyd K ar y 3ydd o Fai 2015", "dyddiad geni: 2il
#: Mehefin 2016"), "son (...)", "daughter (...)", "mgm (...)", "ganwyd K yn Wrecsam ar", "ganwyd y babi ar"; given
#: the note's date, a date in brackets after a person that is after it, or after a parent, partner or grandparent
#: fewer than ten years before it, is an event's ("Contact: mum (12/05/2024) cancelled").
#: 6: a date of birth in brackets after "baby" ("mum and baby (12/06/2024)", Welsh "babi") and as a family tie's field
#: ("Father: 12/03/1990"), both read by the note's date.
#: 7: a date of birth ending a line, not only the note's last ("Child K, 03/04/2016\n", "Father: 12/03/1990\r\n"); a
#: note without a date read as of the latest day it can be of (the scan's), so that a date after it, or after a parent
#: fewer than ten years before it, is an event's there too; fields read by the patterns only read with the note's date.
#: 8: each child's date of birth in a list of children under a heading, a child a line ("Siblings: J, 03/04/2016" then
#: "K, 05/06/2018"), not only the heading's line's.
RULES_VERSION = 8


class Scanner:
    """Find residual personal data in note texts."""

    def __init__(self, model: NameModel, model_version: str):
        self.model = model
        self.model_version = model_version
        #: What a workspace records a scan by: the recogniser and the rules (a new version of either scans again).
        self.version = _scanner_version(model_version)

    def scan(self, text: str, date: NoteDate = None) -> list[Entity]:
        return self.scan_many([text], [date])[0]

    def scan_many(self, texts: Sequence[str], dates: Sequence[NoteDate] | None = None) -> list[list[Entity]]:
        """The entities of each text. ``dates``: each note's date (:data:`NoteDate`), which tells a date after a
        family tie or an initial that is an event's from a date of birth ("Contact: mum (12/05/2024) cancelled"); a
        note without one is read as of the latest day it can be of (``patterns.latest_note_day``)."""
        tokens = [tokenize(text) for text in texts]  # read once, by the model and by the sentence-start rule
        names = add_names_after_sentence_starts(self.model, texts, self.model.find(texts, tokens=tokens), tokens)
        days = [note_day(d) for d in dates] if dates is not None else [None] * len(texts)
        return [resolve_overlaps(structured(text, day) + _not_look_alikes(text, found))
                for text, day, found in zip(texts, days, names)]

    @staticmethod
    def scan_exact(text: str, date: NoteDate = None) -> list[Entity]:
        """The entities of ``text`` found by the validated patterns only (phone, e-mail, postcode, NHS and NI
        numbers, dates of birth), not the name recogniser: for values that are names of places or services. ``date``:
        the date of the note ``text`` belongs to, as for :meth:`scan_many`."""
        return resolve_overlaps(structured(text, note_day(date)))

    def scan_stream(
        self, texts: Iterable[str], batch_size: int = 256, dates: Iterable[NoteDate] | None = None
    ) -> Iterator[list[Entity]]:
        """Entities of each text, in order, in constant memory (``dates``: each text's note's date, as for
        :meth:`scan_many`)."""
        for batch in _batches(texts, batch_size, dates):
            yield from self.scan_many(*batch)

    def scan_in_processes(
        self, texts: Iterable[str], processes: int = 1, batch_size: int = 256,
        dates: Iterable[NoteDate] | None = None,
    ) -> Iterator[list[Entity]]:
        """Entities of each text, in order, scanned in ``processes`` forked workers (here where the platform cannot
        fork). Its caller's thread then leaves this process's interpreter to the others: the review app scans
        after an upgrade in a thread whose scanning, done there, made each note take 20 times longer to show."""
        global _WORKER_SCANNER
        if not can_fork():
            yield from self.scan_stream(texts, batch_size, dates)
            return
        _WORKER_SCANNER = self  # forked workers inherit it: the recogniser is not pickled per batch
        try:
            for found in in_forked_processes(_scan_in_worker, _batches(texts, batch_size, dates), processes):
                yield from found
        finally:
            _WORKER_SCANNER = None


class NoteDateError(CaseReviewError, ValueError):
    """A note's date given to the scanner in a form it cannot read: never read as no date, which would silently
    change what is found (a booking after the note's day read as a date of birth)."""


def note_day(date: NoteDate) -> dt.date | None:
    """A note's date as a day (None: it has none), as readers of notes give it: a date, or an ISO date with a time of
    day after it or not (``dates.read_date``, white space around it ignored). Any other form raises
    :class:`NoteDateError`, saying what form it must have, never quoting it: ``20/06/2024`` may be either day, and a
    caller reading a file checks its notes first, naming the file, line and field (``notes.validate``)."""
    if isinstance(date, dt.datetime):
        return date.date()
    if isinstance(date, dt.date):
        return date
    if date is None or (isinstance(date, str) and not date.strip()):
        return None
    if not isinstance(date, str):
        problem = f"not a {type(date).__name__}"
    else:
        day, _, problem = read_date(date.strip(), None)
        if problem is None:
            return dt.date.fromisoformat(day)
    raise NoteDateError(f"a note's date must be an ISO date (YYYY-MM-DD, a time of day may follow) or a datetime.date: "
                        f"{problem}")


def _batches(
    texts: Iterable[str], size: int, dates: Iterable[NoteDate] | None = None
) -> Iterator[tuple[list[str], list[NoteDate]]]:
    """(texts, their dates) in batches of ``size``; with no ``dates``, every date None."""
    batch: list[tuple[str, NoteDate]] = []
    for pair in zip(texts, dates, strict=True) if dates is not None else ((text, None) for text in texts):
        batch.append(pair)
        if len(batch) >= size:
            yield _unzipped(batch)
            batch = []
    if batch:
        yield _unzipped(batch)


def _unzipped(batch: list[tuple[str, NoteDate]]) -> tuple[list[str], list[NoteDate]]:
    return [text for text, _ in batch], [date for _, date in batch]


_WORKER_SCANNER: Scanner | None = None


def _scan_in_worker(batch: tuple[list[str], list[NoteDate]]) -> list[list[Entity]]:
    return _WORKER_SCANNER.scan_many(*batch)


# -- the model on disk (one mechanism for every model kind: casereview.model_files) --------
def pin(folder: Path, default: bool = True) -> None:
    """Record a PII model folder inside the project as shipped (when releasing a model)."""
    model_files.pin(PINS_FILE, folder, default)


def check_pinnable(folder: Path) -> None:
    """Refuse, before training, a PII model folder :func:`pin` would refuse after it."""
    model_files.check_pinnable(PINS_FILE, folder)


def save_model(model: NameModel, folder: Path, card: dict[str, Any]) -> str:
    """Write model.joblib, model-card.json and MODEL_CARD.md; returns the sha256."""
    from .card import render_markdown

    return model_files.write_folder(model, folder, card, render_markdown)


def load_model(folder: str | Path, expected_sha256: str | None, trust: bool = False) -> NameModel:
    """Load a name model after checking its hash; unknown or changed files are refused unless ``trust``."""
    return model_files.load_verified(folder, expected_sha256, trust, NameModel, "PII name model")[0]


def shipped_folder() -> Path:
    pins = model_files.read_pins(PINS_FILE)
    if not pins.get("default"):
        raise ModelError("no PII model is pinned (run 'casereview pii train' and pin it)")
    return package_root() / pins["models"][pins["default"]]["path"]


_CACHE: dict[tuple[str, bool], Scanner] = {}


def _scanner_version(model_version: str) -> str:
    return f"{model_version}+rules.{RULES_VERSION}"


def _model_version(folder: Path) -> str:
    card = folder / CARD_JSON
    return json.loads(card.read_text(encoding="utf-8"))["version"] if card.exists() else folder.name


def shipped_scanner_version() -> str:
    """The :attr:`Scanner.version` of the shipped scanner, read from its model card without loading the model:
    a workspace whose notes it has all scanned needs no scanner (the review app asks at every start)."""
    return _scanner_version(_model_version(shipped_folder()))


def load_scanner(folder: str | Path | None = None, trust: bool = False) -> Scanner:
    """The scanner with the model in ``folder``, else the shipped one (loaded once per process)."""
    folder = Path(folder) if folder is not None else shipped_folder()
    key = (str(folder.resolve()), trust)
    if key not in _CACHE:
        model = load_model(folder, model_files.pinned_hash(PINS_FILE, folder), trust=trust)
        _CACHE[key] = Scanner(model, _model_version(folder))
    return _CACHE[key]


# -- the spaCy component ------------------------------------------------------------------
#: The Doc extension the component reads a note's date from (``doc._.note_date``), as the scanner takes it.
NOTE_DATE_EXTENSION = "note_date"


def make_pii_nlp(scanner: Scanner | None = None):
    """``spacy.blank("en")`` with the ``casereview_pii`` component; entities land in ``doc.spans["pii"]``.

    The component reads the note's date from ``doc._.note_date`` (ISO, or a date), as a note's scan does, to tell an
    event's date from a date of birth; a Doc made from a string has none, and is read as an undated note is::

        doc = nlp.make_doc(note_text)
        doc._.note_date = "2024-06-20"
        doc = nlp(doc)
    """
    import spacy

    _register_component()
    nlp = spacy.blank("en")
    nlp.add_pipe("casereview_pii", config={})
    if scanner is not None:
        nlp.get_pipe("casereview_pii").scanner = scanner
    return nlp


def _register_component() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc

    if not Doc.has_extension(NOTE_DATE_EXTENSION):
        Doc.set_extension(NOTE_DATE_EXTENSION, default=None)
    if "casereview_pii" in Language.factories:
        return

    class PiiComponent:
        def __init__(self):
            self.scanner: Scanner | None = None

        def __call__(self, doc):
            scanner = self.scanner or load_scanner()
            date = doc._.get(NOTE_DATE_EXTENSION)
            try:
                note_day(date)
            except NoteDateError as e:  # never read as no date: a silent change of findings
                raise NoteDateError(f"doc._.{NOTE_DATE_EXTENSION}: not a date; {e}") from None
            spans = []
            for entity in scanner.scan(doc.text, date):
                span = doc.char_span(entity.start, entity.end, label=entity.label, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
            doc.spans["pii"] = spans
            return doc

    Language.factory("casereview_pii")(lambda nlp, name: PiiComponent())


def entity_dicts(entities: Sequence[Entity]) -> list[dict[str, Any]]:
    return [asdict(e) for e in entities]
