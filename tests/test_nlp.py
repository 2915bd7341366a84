"""The spaCy pipeline: layout-aware sentences, norms, negation scopes; batches agree with single docs."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casereview import corpus
from casereview.nlp import CUE, NEGATED, NUMBER, PLAIN, context_marks, make_nlp


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


@pytest.fixture(scope="module")
def other_nlp():
    """A second pipeline, for docs processed one at a time."""
    return make_nlp()


def sentences(nlp, text):
    return [s.text for s in nlp(text).sents]


def annotations(doc):
    return ([t.is_sent_start for t in doc], [t.norm_ for t in doc], [int(m) for m in doc._.context])


def test_sentences_follow_case_note_layout(nlp):
    text = "Home visit\n- child seen alone\n- room clean. Mum present.\nPlan: review in 2 wks."
    assert sentences(nlp, text) == ["Home visit\n", "- child seen alone\n", "- room clean.", "Mum present.\n",
                                    "Plan: review in 2 wks."]


def test_abbreviations_with_full_stops_do_not_end_a_sentence(nlp):
    assert len(sentences(nlp, "Seen approx. 3 times by Dr. Jones. Next visit Monday.")) == 2
    assert len(sentences(nlp, "Was he hurt? No. Bruise seen!")) == 3


def test_a_lower_case_word_after_a_full_stop_starts_a_sentence_unless_the_stop_abbreviates(nlp):
    # dictated notes often leave out capitals
    assert sentences(nlp, "she came back by herself. the interview still hasn't been done. i rang mum.") == [
        "she came back by herself.", "the interview still hasn't been done.", "i rang mum."]
    assert len(sentences(nlp, "Seen approx. three times, incl. at night, e.g. at bath time. Recorded in the log no. in the folder.")) == 2
    assert sentences(nlp, "He said no. Mum then left.") == ["He said no.", "Mum then left."]
    # the negation of one sentence stops at its end
    doc = nlp("mum was not at home. the children were fed.")
    assert not any(t._.negated for t in doc if t.text in ("children", "fed"))


def test_a_capital_pronoun_or_article_starts_a_sentence_with_no_full_stop_before_it(nlp):
    # notes typed on phones or in a hurry leave the stops out
    assert sentences(nlp, "seen at home She said dad hit her The school rang Next visit Friday") == [
        "seen at home", "She said dad hit her", "The school rang", "Next visit Friday"]
    # names are capitalised anywhere; a quoted sentence is not broken at its capital
    assert len(sentences(nlp, "I told Mum and Dad about J and then I rang")) == 1
    assert sentences(nlp, 'She said "He hit me" and left.') == ['She said "He hit me" and left.']


def test_an_initial_at_the_end_of_a_sentence_ends_it(nlp):
    assert sentences(nlp, "Placed in band B. The SW visited.") == ["Placed in band B.", "The SW visited."]
    assert len(sentences(nlp, "Seen with M . Mother present.")) == 2


def test_spaces_or_a_tab_after_a_full_stop_do_not_join_sentences(nlp):
    for text in ("He said he wasn't hit.   Mother says otherwise.", "Mum was drunk.\tNo safety plan."):
        doc = nlp(text)
        assert len(list(doc.sents)) == 2, text
    doc = nlp("He said he wasn't hit.   Mother says otherwise.")
    assert not any(t._.negated for t in doc if t.text in ("Mother", "says", "otherwise"))


def test_abbreviations_and_their_phrases_share_a_norm(nlp):
    doc = nlp("TM agreed with the team manager; SW and social worker; nfa. 12 visits, twelve calls.")
    norms = {t.text: t.norm_ for t in doc}
    assert norms["TM"] == norms["team"] == norms["manager"] == "team_manager"
    assert norms["SW"] == norms["social"] == "social_worker"
    assert norms["nfa"] == "no_further_action"
    assert norms["12"] == norms["twelve"] == NUMBER


def test_nothing_spans_two_notes_in_a_batch(nlp, other_nlp):
    first, second = nlp.pipe(["Discussed with the team", "manager was away"])
    assert first[-1].norm_ == "team" and second[0].norm_ == "manager"
    texts = ["Letter to J", ". TM agreed.", "Not seen", "today"]
    assert [annotations(d) for d in nlp.pipe(texts)] == [annotations(other_nlp(t)) for t in texts]


def test_negation_is_scoped_to_the_sentence_and_closed_by_terminators(nlp):
    doc = nlp("Supervision not held, no date offered. Supervision held today.")
    marks = {t.text + str(t.i): t._.negated for t in doc}
    assert marks["held2"] and marks["date5"] and not marks["held9"]
    doc = nlp("No evidence of a safety plan but TM reviewed it.")
    assert [t.text for t in doc if t._.cue] == ["No", "evidence", "of"]
    assert doc[4]._.negated and doc[5]._.negated  # safety plan
    assert not any(t._.negated for t in doc[6:])  # after "but"


def test_text_message_shorthand_shares_a_norm_with_its_words(nlp):
    doc = nlp("Visit w/o mum & dad b/c appt missed, info sent w/ msg")
    norms = [t.norm_ for t in doc]
    assert norms[1:4] == ["without"] * 3 and norms[5] == "and" and norms[7:10] == ["because"] * 3
    assert norms[10] == "appointment" and norms[13] == "information" and norms[15] == "with"
    assert [t.text for t in doc if t._.cue][:3] == ["w", "/", "o"] and doc[4]._.negated  # "w/o" is "without"


def test_multi_word_cues_are_cues_not_negated_words(nlp):
    doc = nlp("Visit has not been completed.")
    assert [int(m) for m in doc._.context] == [PLAIN, CUE, CUE, CUE, NEGATED, NEGATED]


def test_context_marks_are_the_docs_extension_values(nlp):
    docs = list(nlp.pipe(["Not seen.", "Seen alone.", ""]))
    assert context_marks(docs).tolist() == [m for d in docs for m in d._.context.tolist()]


def test_batches_give_the_same_annotations_as_single_docs(nlp, other_nlp):
    """The components work on whole batches: nothing may leak across docs."""
    texts = [r["text"] for r in corpus.load()[:300]] + ["", "\n\n", "no", "team", "manager"]
    batched = [annotations(d) for d in nlp.pipe(texts, batch_size=37)]
    single = [annotations(other_nlp(t)) for t in texts]
    assert batched == single


PIECES = ["a", "b", " ", ".", "?", "!", "\n", "-", "no ", "not ", "TM ", "team ", "manager ", "but ", "Dr. ", "J. ",
          "3 ", "has not been ", "Seen"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), min_size=1, max_size=6))
def test_any_text_batched_or_alone_annotates_the_same(nlp, other_nlp, texts):
    assert [annotations(d) for d in nlp.pipe(texts, batch_size=4)] == [annotations(other_nlp(t)) for t in texts]


def test_contractions_are_whole_negation_cues(nlp):
    doc = nlp("Supervision didn't happen. TM can’t attend; Mum's view sought.")
    assert [t.text for t in doc if t._.cue] == ["didn't", "can’t"]
    assert {t.norm_ for t in doc if t._.cue} == {"not"}
    assert [t.text for t in doc if t._.negated] == ["happen", ".", "attend"]


RUN_ON = ("mum said the boys had been fighting all week and dad came round on saturday shouting at the door and the "
          "police were called but nobody was arrested and the boys were scared and did not sleep well after that so "
          "school rang to say they were tired")


@pytest.fixture(scope="module")
def cutting_nlp():
    return make_nlp(sentence_words=40)


def words(text):
    return [w for w in text.split() if any(c.isalnum() for c in w)]


def test_run_on_sentences_are_cut_at_clause_boundaries_into_parts_of_ten_words_or_more(cutting_nlp, nlp):
    parts = sentences(cutting_nlp, RUN_ON)
    assert parts == ["mum said the boys had been fighting all week and dad came round on saturday shouting at the door",
                     "and the police were called but nobody was arrested and the boys were scared",
                     "and did not sleep well after that so school rang to say they were tired"]
    assert all(len(words(p)) >= 10 for p in parts)
    tail = sentences(cutting_nlp, RUN_ON + ", and then slept")  # a boundary near the end: no short part after it
    assert tail[-1].endswith("were tired, and then slept") and all(len(words(p)) >= 10 for p in tail)
    assert sentences(nlp, RUN_ON) == [RUN_ON]  # no limit: as before (models trained before the cut)
    forty = " ".join(["seen at home and"] * 10)  # 40 words: not run-on
    assert sentences(cutting_nlp, forty) == [forty]
    no_boundary = " ".join(["word"] * 60)  # nowhere to cut: left whole
    assert sentences(cutting_nlp, no_boundary) == [no_boundary]


def test_a_cut_closes_the_negation_scope_of_the_part_before_it(cutting_nlp, nlp):
    text = ("supervision has not been held for months and the worker has had no case direction at all on the family "
            "then the manager came back from her leave last week and went through every one of the cases with her in "
            "detail")
    assert len(words(text)) > 40
    for pipeline, cut in ((cutting_nlp, True), (nlp, False)):
        doc = pipeline(text)
        then, manager = [t for t in doc if t.text == "then"][0], [t for t in doc if t.text == "manager"][0]
        assert [t for t in doc if t.text == "held"][0]._.negated
        assert then.is_sent_start is cut and manager._.negated is not cut


def test_run_on_cuts_are_the_same_batched_or_alone(cutting_nlp):
    other = make_nlp(sentence_words=40)
    texts = [RUN_ON, "Short. Note.", RUN_ON.replace(" and ", ", and "), "", RUN_ON.upper()]
    assert [annotations(d) for d in cutting_nlp.pipe(texts, batch_size=2)] == [annotations(other(t)) for t in texts]
