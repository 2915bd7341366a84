"""Sentence features: what a sentence becomes, and TF-IDF weights equal to scikit-learn's."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from casereview import corpus
from casereview.features import (FeatureVocabulary, SentenceFeatures, counts_matrix, describe_feature,
                                 largest_first_in_runs)
from casereview.nlp import featurized_docs, make_nlp, word_forms
from casereview.notes import Note


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


@pytest.fixture(scope="module")
def featurize(nlp):
    features = SentenceFeatures(nlp.vocab, plain_negated=True, prefix=4)

    def run(notes, names=True):
        return features(notes, list(nlp.pipe([n.text for n in notes])), names=names)
    return run


def sentence_features(batch) -> list[Counter]:
    """Each sentence's features by name, with counts."""
    out = [Counter() for _ in range(batch.n_sentences)]
    for row, key in zip(batch.rows.tolist(), batch.keys.tolist()):
        out[row][batch.names[key]] += 1
    return out


def test_a_sentence_is_its_marked_terms_bigrams_plain_forms_prefixes_and_note_features(featurize):
    batch = featurize([Note("n", "Supervision not held with TM.", author_role="social_worker", note_type="supervision")])
    [features] = sentence_features(batch)
    for name in ("supervision", "cue:not", "neg:held", "held", "neg:with", "neg:team_manager", "team_manager",
                 "supervision cue:not", "cue:not neg:held", "p:supe", "@role:social_worker", "@type:supervision",
                 "@has:team_manager", "@has:supervision", "@length:0"):
        assert features[name] == 1, name
    assert "." not in features and "neg:." not in features


def test_a_phrase_is_one_term(featurize):
    [features] = sentence_features(featurize([Note("n", "The team manager agreed.")]))
    assert features["team_manager"] == 1 and "team_manager team_manager" not in features
    assert features["the team_manager"] == 1 and features["team_manager agreed"] == 1


def test_sentences_span_their_text_and_every_note_has_one(featurize):
    notes = [Note("a", "  Seen alone.\nRoom clean.  "), Note("b", ""), Note("c", "   "), Note("d", "Why?")]
    batch = featurize(notes)
    assert batch.first_sentence.tolist() == [0, 2, 3, 4, 5]
    assert [notes[i].text[s:e] for i, (s, e) in zip(batch.sentence_note, batch.spans)] == \
        ["Seen alone.", "Room clean.", "", "   ", "Why?"]
    rows = sentence_features(batch)
    assert rows[2]["@length:0"] == 1 and rows[4]["?"] == 1  # an empty note still has its note features


def test_note_features_are_on_every_sentence(featurize):
    batch = featurize([Note("n", "Risk discussed. Manager agreed. Plan made.", note_type="meeting")])
    assert [f["@type:meeting"] + f["@has:manager"] + f["@has:risk"] for f in sentence_features(batch)] == [3, 3, 3]


def test_a_batch_features_each_note_as_it_would_alone(featurize):
    records = corpus.load()[:120]
    notes = [Note(r["note_id"], r["text"], author_role=r.get("author_role"), note_type=r.get("note_type")) for r in records]
    together = featurize(notes)
    rows = sentence_features(together)
    for i in (0, 17, 64, 119):
        [alone] = [featurize([notes[i]])]
        first, last = together.first_sentence[i], together.first_sentence[i + 1]
        assert rows[first:last] == sentence_features(alone)
        assert (together.spans[first:last] == alone.spans).all()


def test_docs_processed_into_token_columns_only_feature_as_docs_written(featurize):
    nlp = make_nlp(40)  # cutting run-on sentences too
    features = SentenceFeatures(nlp.vocab, forms=word_forms(nlp))
    records = corpus.load()[:300]
    texts = [r["text"] for r in records] + [r["text"].replace(".", "") for r in records[:20]]  # run-on: no full stops
    notes = [Note(str(i), text) for i, text in enumerate(texts)]
    written = features(notes, list(nlp.pipe(texts)), names=True)
    # in other batches than the featurizer's: each doc's own kept columns are read
    kept = features(notes, featurized_docs(nlp, texts, batch_size=64), names=True)
    assert (kept.spans == written.spans).all() and len(kept.spans) > len(texts)
    assert (kept.rows == written.rows).all() and (kept.keys == written.keys).all() and kept.names == written.names


def test_tfidf_weights_are_scikit_learns(featurize):
    records = corpus.load()[:200]
    batch = featurize([Note(r["note_id"], r["text"]) for r in records])
    vocabulary = FeatureVocabulary(min_df=2).fit(batch)
    ours = vocabulary.sentence_matrix(batch).toarray()
    bags = [[name for name, n in f.items() for _ in range(n)] for f in sentence_features(batch)]
    reference = TfidfVectorizer(analyzer=lambda bag: bag, min_df=2, sublinear_tf=True, lowercase=False)
    theirs = reference.fit_transform(bags).toarray()
    order = [reference.vocabulary_[name] for name in vocabulary.names]
    assert sorted(vocabulary.names) == sorted(reference.vocabulary_)
    np.testing.assert_allclose(ours, theirs[:, order], rtol=1e-5, atol=1e-6)
    notes = vocabulary.note_matrix(batch).toarray()
    note_bags = [sum((Counter(b) for b, o in zip(bags, batch.sentence_note) if o == i), Counter()) for i in range(len(records))]
    np.testing.assert_allclose(notes, reference.transform([list(c.elements()) for c in note_bags]).toarray()[:, order],
                               rtol=1e-5, atol=1e-6)


def test_codebook_flags_read_the_whole_note(featurize):
    def flags(text, **kw):
        return {n for n in sentence_features(featurize([Note("n", text, **kw)]))[0] if n.startswith("@") and "_" in n
                and not n.startswith(("@role", "@type", "@has", "@length"))}
    assert flags("Self-harm disclosed by child. Mum said so, she told me.") == {"@risk_unanalysed", "@risk_self_reported"}
    assert flags("Self-harm disclosed; the impact on her safety is high, safety plan agreed.") == set()
    assert flags("Agreed. Close.", author_role="team_manager") == {"@bare_manager_entry"}
    assert flags("Agreed to close because the risks have reduced.", author_role="team_manager") == set()


def test_features_read_as_a_reviewer_would():
    assert describe_feature("cue:not neg:held") == "not held"
    assert describe_feature("neg:held") == "held (negated)"
    assert describe_feature("cue:not 10:30") == "not 10:30"
    assert describe_feature("team_manager agreed") == "team manager agreed"
    assert describe_feature("@has:manager") == "the note mentions manager"
    assert describe_feature("@risk_unanalysed") == "the note: a risk and no analysis"


def test_a_sum_of_money_reads_as_the_note_writes_it_not_as_spacys_dollar(featurize):
    # "£200 in cash" showed "$" among the model's reasons: spaCy's norm of every currency sign
    batch = featurize([Note("n", "He had £200 in cash.")], names=True)
    shown = {describe_feature(name) for name in batch.names.values()}
    assert {"£", "£ a number"} <= shown and not any("$" in text for text in shown)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from([1e-30, 1e-3, 0.25, 0.5, 0.5000001, 3.0, 7e5, np.inf])),
                max_size=60))
def test_largest_first_in_runs_orders_as_lexsort_does(items):
    # the order evidence terms are explained in: by run, largest first, equal values in their order
    items.sort(key=lambda item: item[0])  # runs are consecutive
    run = np.array([r for r, _ in items], dtype=np.int64)
    values = np.array([v for _, v in items], dtype=np.float32)
    assert largest_first_in_runs(values, run).tolist() == np.lexsort((-values, run)).tolist()
    assert largest_first_in_runs(values.astype(np.float64), run).tolist() == np.lexsort((-values, run)).tolist()


def test_note_features_of_a_batch_are_each_notes_own(featurize):
    # a batch's notes get their own features, as each note alone does, in any company
    notes = [Note(r["note_id"], r["text"], author_role=r.get("author_role"), note_type=r.get("note_type"))
             for r in corpus.load()[:300]]
    together = sentence_features(featurize(notes))
    alone = [f for note in notes[::7] for f in sentence_features(featurize([note]))]
    first = featurize(notes).first_sentence
    assert alone == [f for i in range(0, len(notes), 7) for f in together[first[i]:first[i + 1]]]


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 4)), max_size=60))
def test_counts_matrix_is_scipys_sum_of_duplicate_pairs(pairs):
    """Sentence rows are built from (row, column) occurrences in one sort; the matrix must be the one scipy makes
    (summed, columns in order within a row: the classifiers' sums depend on that order, bit for bit)."""
    rows = np.array([r for r, _ in pairs], dtype=np.int64)
    columns = np.array([c for _, c in pairs], dtype=np.int64)
    expected = sparse.csr_matrix((np.ones(len(pairs), dtype=np.float32), (rows, columns)), shape=(7, 5))
    expected.sum_duplicates()
    made = counts_matrix(rows, columns, (7, 5))
    for name in ("data", "indices", "indptr"):
        assert getattr(made, name).tolist() == getattr(expected, name).tolist()
        assert getattr(made, name).dtype == getattr(expected, name).dtype
