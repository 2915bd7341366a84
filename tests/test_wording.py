"""Counts in messages agree with their nouns: '1 note', '2 notes'."""

import datetime as dt
import json
import re
import tokenize
from pathlib import Path

import casereview
from casereview.retrained_card import trained_on_lines
from casereview.tui.screens.progress import progress_summary
from casereview.learning import Evidence
from casereview.review import LabelView
from casereview.sampling import describe
from casereview.wording import (as_written, count, found_in, number, of_the, part, percent, percent_range, position, size, tally,
                                 when_saved)

from .conftest import NOTES, run_cli, write_jsonl


def test_count_agrees_with_its_noun():
    assert [count(n, "note") for n in (0, 1, 2)] == ["0 notes", "1 note", "2 notes"]
    assert count(1, "case file") == "1 case file" and count(3, "case file") == "3 case files"
    assert count(1, "entity", "entities") == "1 entity" and count(2, "entity", "entities") == "2 entities"
    # thousands apart, as tally and the counts people read elsewhere: promote said "1706 notes"
    assert count(1706, "note") == "1,706 notes" and count(10_879, "case file") == "10,879 case files"
    assert [number(n) for n in (0, 999, 1000, 1_234_567)] == ["0", "999", "1,000", "1,234,567"]


def test_a_count_of_a_whole_already_named_reads_for_none_one_both_all_and_some():
    # "1 of the 1 case file ... was read in part": the whole named with "the", and its noun plural or not by chance
    assert of_the(1, 1, "case file") == "the only case file"
    # none of a whole reads as people write it: a headline read "in 0 of 1 note read"
    assert of_the(0, 1, "note") == "no note" and of_the(0, 0, "note") == "no notes"
    assert of_the(0, 2, "note") == "neither of the 2 notes" and of_the(0, 1706, "note") == "none of the 1,706 notes"
    assert [found_in(n, total, "note") for n, total in ((0, 1), (1, 1), (0, 2), (2, 2), (0, 5), (3, 5))] == [
        "not in the only note", "in the only note", "in neither of the 2 notes", "in both notes",
        "in none of the 5 notes", "in 3 of the 5 notes"]
    assert of_the(2, 2, "case file") == "both case files" and of_the(1706, 1706, "note") == "all 1,706 notes"
    assert of_the(1, 3, "case file") == "1 of the 3 case files"
    assert of_the(2, 10_879, "entity", "entities") == "2 of the 10,879 entities"
    # an audit's design read "Sample: 1 of 1 notes"
    one = {"unit": "note", "frame_units": 1, "strata": [{"stratum": "all", "population": 1, "sampled": 1}]}
    assert describe(one) == "1 of 1 note" and describe({"unit": "case", "size": 1}) == "1 case file"


def test_what_promote_judges_on_keeps_thousands_apart():
    """'judged on the test split of the corpus ...: 1706 notes, every label decided (core labels carried: ...)'."""
    on_test = Evidence("test", 1706, {"risk_analysis_gap": 1367, "supervision_issue": 204}, "corpora/sample", 1342,
                       12, "the held-out slice has 1,342 reviewed notes, 12 with every label decided, too few")
    on_held_out = Evidence("held_out", 1130, {"risk_analysis_gap": 1031}, "corpora/sample", 3342, 1130, None)
    for said in (on_test.describe(), on_held_out.describe(), on_held_out.left_out()):
        assert re.findall(r"\b\d{4,}\b", said) == [], said
    assert on_test.describe().startswith("the test split of the corpus corpora/sample: 1,706 notes, every label "
                                         "decided (core labels carried: risk_analysis_gap 1,367, supervision_issue 204)")
    assert on_held_out.describe().endswith("(core labels carried: risk_analysis_gap 1,031); 2,212 with some label "
                                           "undecided left out")


def test_import_and_status_keep_thousands_apart(tmp_path):
    """An import said '1200 added' and status 'notes: 1200', beside '10,879 notes' from backup."""
    notes = [{"note_id": f"n{i}", "text": "Visit completed.", "note_type": "contact" if i < 100 else "Telephone Call"}
             for i in range(1200)]
    path, ws = write_jsonl(tmp_path / "many.jsonl", notes), str(tmp_path / "ws")
    listed = run_cli("import", str(path), "--list-values", "note_type")
    assert listed.stdout.splitlines()[0] == "many.jsonl: note_type on 1,200 rows, 2 distinct values"
    assert listed.stdout.splitlines()[2].split() == ["1,100", "Telephone", "Call", "not", "a", "codebook", "note", "type"]
    done = run_cli("import", str(path), "-w", ws, "--map-value", "note_type:Telephone Call=contact")
    assert done.returncode == 0 and done.stderr == "many.jsonl: 1,200 added, 0 updated, 0 unchanged, 0 decisions\n"
    status = run_cli("status", "-w", ws).stdout.splitlines()
    assert "notes: 1,200" in status and "schema version: " in "\n".join(status), status


def test_a_share_reads_0_or_100_percent_only_when_it_is_none_or_all():
    assert [percent(v) for v in (None, 0.0, 0.004, 0.005, 0.5, 0.994, 0.996, 1.0)] == \
        ["–", "0%", "<1%", "<1%", "50%", "99%", ">99%", "100%"]
    assert percent_range(0.0004, 0.9996) == "0%–100%" and percent_range(None, None) == "–"


def test_a_size_reads_as_du_si_gives_it():
    assert [size(n) for n in (0, 1, 999, 1000, 17_702, 3_496_578, 999_960, 12_111_476_000)] == \
        ["0 bytes", "1 byte", "999 bytes", "1.0 kB", "17.7 kB", "3.5 MB", "1.0 MB", "12.1 GB"]


def test_no_message_hedges_its_plural_with_s_in_brackets():
    """'2 note(s)', '1 dispute(s) open': where the number is known, a count agrees with its noun ('count')."""
    hedged = re.compile(r"[a-z]\((?:s|es)\)")
    package = Path(casereview.__file__).parent
    found = []
    for path in package.rglob("*.py"):
        with open(path, "rb") as fh:  # the strings of the code, not its comments
            strings = [t for t in tokenize.tokenize(fh.readline) if t.type == tokenize.STRING]
        found += [f"{path.relative_to(package)}:{t.start[0]}" for t in strings if hedged.search(t.string)]
    for path in (package / "templates").iterdir():
        found += [f"{path.relative_to(package)}:{n}" for n, line in enumerate(path.read_text().splitlines(), 1)
                  if hedged.search(line)]
    assert found == []


def test_tally_words_named_counts():
    assert tally({"train": 7581, "dev": 1592, "test": 1706}) == "7,581 train, 1,592 dev, 1,706 test"
    assert tally({"held_out": 1, "same_as_corpus": 0}) == "1 held out, 0 same as corpus"


def test_the_progress_screen_counts_one_note_and_one_decision_in_the_singular():
    # it said "ann: 1 notes reviewed, ... (1 decisions)" (the shipped snapshot of the progress screen did)
    progress = {"reviewed_notes": 1, "agreement_with_model": 1.0, "decisions_compared": 1, "per_label": {}}
    assert progress_summary(progress, "ann", 1, 1) == (
        "Queue: 1 of 1 note to code (a label still undecided)\n"
        "ann: decisions on 1 note · agreement with the model 100% (1 decision)")


def test_sample_names_one_unit_in_the_singular(tmp_path):
    ws = tmp_path / "ws"
    assert run_cli("import", str(write_jsonl(tmp_path / "n.jsonl", NOTES)), "-w", str(ws)).returncode == 0
    by_note = run_cli("sample", "--size", "1", "--seed", "7", "--name", "one", "-w", str(ws))
    assert by_note.returncode == 0 and "audit one: 1 note of 3, seed 7" in by_note.stderr
    by_case = run_cli("sample", "--size", "1", "--by", "case", "--seed", "7", "--name", "case", "-w", str(ws))
    assert by_case.returncode == 0 and "audit case: 1 case file (1 note) of 2, seed 7" in by_case.stderr


def test_a_retrains_counts_keep_thousands_apart_in_every_line():
    """A retrain of a workspace holding the sample corpus said '7,181 corpus train notes' and then '7181 the same as
    the corpus train notes' and '2150 labels ... were given the sentences' in the next lines."""
    notes = {"corpus_train": 7181, "workspace_train": 400, "held_out": 683, "left_out_in_corpus_evaluation": 2615,
             "same_as_corpus": 7181, "evidence_located": 2150, "disputed_labels": 1200, "disputed_notes": 1100,
             "left_out_disputed": 1000}
    lines = "\n".join(trained_on_lines({"notes": notes, "held_out_percent": 20}, 683))
    assert re.findall(r"\b\d{4,}\b", lines) == [], lines
    assert "and 7,181 the same as the corpus train notes" in lines
    assert "- evidence: 2,150 labels reviewers confirmed" in lines
    assert "1,200 labels reviewers disagree on, of 1,100 notes (1,000 notes left out" in lines


def test_places_and_parts_read_as_people_say_them_thousands_apart():
    # "note 3/10879" read aloud as a fraction or a date, its count not thousands apart as every other count is
    assert position(3, 10_879) == "3 of 10,879" and position(1, 1) == "1 of 1"
    assert part(197, 200, "note") == "197 of 200 notes" and part(1, 1, "audit note") == "1 of 1 audit note"
    assert part(1_200, 10_879, "note") == "1,200 of 10,879 notes"


def test_a_number_in_the_models_reasons_reads_as_its_sentence_writes_it():
    # the model reads "2nd", "28/11" and "3" alike, and its reasons said "the a number time", "was a number"
    sentence = ("Supervision cancelled for the 2nd time this month - TM is covering. My last supervision was 28/11. "
                "Paid £200 after the third visit.")
    assert as_written("the a number time", sentence) == "the 2nd time"
    assert as_written("was a number", sentence) == "was 28/11"
    assert as_written("£ a number", sentence) == "£ 200"
    assert as_written("a number visit", sentence) == "third visit"
    assert as_written("a number (negated)", "not seen for 3 weeks") == "3 (negated)"
    # a number alone, of a sentence with several: each of them, the first few ("a number" alone read as "several", and
    # pointed at nothing in the note); negated, only some of them are, which the sentence does not tell: as it was
    assert as_written("a number", sentence) == "a number (2nd, 28/11, 200, …)"
    assert as_written("a number", "His third exclusion since 17 March, the third this year") == "a number (third, 17)"
    assert as_written("a number (negated)", "Seen 3/1, not seen on the 2nd visit") == "a number (negated)"
    # its words not as the sentence writes them (the model reads "TM" as "team manager"): the sentence's one number,
    # else as it was
    assert as_written("team manager a number", "TM (30/11)") == "team manager 30/11"
    assert as_written("team manager a number", sentence) == "team manager a number"
    assert as_written("team manager is", sentence) == "team manager is"
    view = LabelView("delay_timeliness", 0.9, 0.5, True, None, (
        {"start": 0, "end": 30, "text": "Visit 11/2, recorded 7/3.", "terms": ["recorded a number", "visit a number"]},
        {"start": 31, "end": 60, "text": "Recorded 9/3 again.", "terms": ["recorded a number"]}))
    assert view.terms == ["recorded 7/3", "visit 11/2", "recorded 9/3"]  # the panel's reasons, each as written


def test_when_a_decision_was_saved_says_the_time_today_else_the_date():
    stamp = dt.datetime(2026, 11, 27, 14, 2, tzinfo=dt.timezone.utc)
    local = stamp.astimezone()
    assert when_saved(stamp.isoformat(), today=local.date()) == f"{local:%H:%M}"
    assert when_saved(stamp.isoformat(), today=local.date() + dt.timedelta(days=1)) == local.date().isoformat()


def test_the_shipped_model_cards_write_counts_thousands_apart():
    """The cards read '1592 notes', '| 1784 |', '66910 candidate spans', 'notes per split {'train': 2400, ...}' and
    '758 in 606 of 10879 notes' beside the commands' '10,879 notes'. A seed is an id, not a count."""
    from casereview import registry
    from casereview.model_card import render_markdown as concern_card
    from casereview.pii.card import render_markdown as pii_card
    from casereview.pii.scanner import shipped_folder

    for folder, render in ((registry.shipped_default_folder(), concern_card), (shipped_folder(), pii_card)):
        card = json.loads((folder / "model-card.json").read_text(encoding="utf-8"))
        for holder in (card, card.get("training", {})):
            holder["seed"] = 0
        unseparated = re.findall(r"(?<![\w.,/-])\d{4,}(?![\w,/-]|\.\d)", render(card))
        assert unseparated == [], (folder.name, unseparated)
