"""Kappa and alpha against values worked out by hand; audit agreement, blind double coding, adjudication."""

from __future__ import annotations

import math

import pytest

from casereview import double_coding, registry, report, sampling, tagging
from casereview.adjudication import AdjudicationSession, disputes
from casereview.agreement import FEW_UNITS, AgreementReport, LabelAgreement, PairAgreement, audit_agreement, cohen_kappa, krippendorff_alpha, percent_agreement
from casereview.errors import CaseReviewError
from casereview.notes import validate
from casereview.review import ReviewSession
from casereview.sampling import SampleSpec
from casereview.taxonomy import BY_NAME, LABEL_NAMES
from casereview.workspace import Workspace

from .conftest import copy_of_workspace, run_cli

NAN = math.nan
RISK, OVERSIGHT = "risk_analysis_gap", "management_oversight_missing"


def test_kappa_of_a_two_by_two_table():
    # both yes 20, A yes B no 5, A no B yes 10, both no 15 (n = 50):
    # po = 35/50 = 0.7; pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = (0.7 - 0.5) / 0.5 = 0.4
    a = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert percent_agreement(a, b) == pytest.approx(0.7)


def test_kappa_with_three_categories():
    # po = 3/6; each category 2/6 for both raters: pe = 3 * (1/3)^2 = 1/3; kappa = (1/2 - 1/3) / (2/3) = 0.25
    assert cohen_kappa([0, 1, 2, 0, 1, 2], [0, 1, 2, 1, 2, 0]) == pytest.approx(0.25)


def test_kappa_is_undefined_without_variation_and_needs_matching_units():
    assert cohen_kappa([1, 1, 1], [1, 1, 1]) is None
    assert cohen_kappa([], []) is None
    assert cohen_kappa([1, 0], [0, 1]) == pytest.approx(-1.0)
    with pytest.raises(ValueError):
        cohen_kappa([1, 0], [1])


def test_alpha_of_a_small_binary_table():
    # units (1,1) (0,0) (1,0) (0,0): coincidences o00 = 4, o11 = 2, o01 = o10 = 1; n0 = 5, n1 = 3, n = 8
    # alpha = 1 - (n - 1) * (o01 + o10) / (2 * n0 * n1) = 1 - 7 * 2 / 30
    assert krippendorff_alpha([[1, 0, 1, 0], [1, 0, 0, 0]]) == pytest.approx(1 - 14 / 30)


def test_alpha_matches_krippendorffs_published_nominal_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders, 12 units, nominal alpha = 0.743
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
            [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN]]
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=5e-4)


def test_alpha_edge_cases():
    assert krippendorff_alpha([[1, 0, 1], [1, 0, 1], [1, 0, NAN]]) == pytest.approx(1.0)
    assert krippendorff_alpha([[1, 1], [1, 1]]) is None  # one value throughout: nothing to expect
    assert krippendorff_alpha([[1, NAN], [NAN, 0]]) is None  # no unit coded twice


# -- on a workspace: the real model's suggestions, reviewers' decisions ------------------
TEXTS = [
    "Mother disclosed that her partner hit her last night in front of the children. Visit ended.",
    "Case closed. No further action.",
    "Supervision cancelled again due to TM sickness; last supervision was in March.",
    "Home visit completed. Child seen alone and said she feels safe; safety plan reviewed with mother.",
    "Visit overdue as case unallocated since SW left.",
    "Family support worker visiting weekly since January; the same concerns about school attendance continue.",
]


@pytest.fixture(scope="module")
def tagged_template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agreement") / "ws"
    with Workspace.open(folder) as ws:
        ws.import_notes([validate({"note_id": f"n{i}", "text": t, "case_id": f"C{i % 3}", "date": f"2024-0{1 + i % 3}-01"},
                                  "t.jsonl", i) for i, t in enumerate(TEXTS)], "t.jsonl")
        model, model_folder = registry.resolve(None, ws)
        tagging.tag(ws, model, model_folder)
    return folder


@pytest.fixture
def ws(tagged_template, tmp_path):
    with Workspace.open(copy_of_workspace(tagged_template, tmp_path / "ws")) as workspace:
        yield workspace


def code(ws, audit, reviewer, decisions: dict[tuple[str, str], str]) -> None:
    for (note_id, label), state in decisions.items():
        ws.record_decision(note_id, label, state, reviewer, audit=audit)


def test_audit_agreement_per_label_pair_and_model(ws):
    sampling.sample(ws, SampleSpec(size=6, seed=0), "qa")
    # RISK: ann 1 1 0 0, bo 1 0 0 0 on n0-n3 -> po 3/4, pe 1/2 * 1/4 + 1/2 * 3/4 = 1/2, kappa 1/2
    code(ws, "qa", "ann", {("n0", RISK): "confirmed", ("n1", RISK): "added", ("n2", RISK): "rejected", ("n3", RISK): "rejected"})
    code(ws, "qa", "bo", {("n0", RISK): "confirmed", ("n1", RISK): "rejected", ("n2", RISK): "rejected", ("n3", RISK): "rejected"})
    code(ws, "qa", "ann", {("n1", OVERSIGHT): "confirmed"})
    code(ws, "qa", "bo", {("n1", OVERSIGHT): "unsure"})  # unsure takes no side
    code(ws, "other", "bo", {("n2", RISK): "confirmed"})  # another audit's coding does not count
    result = audit_agreement(ws, "qa")
    assert result.reviewers == ("ann", "bo") and result.double_coded_notes == 4
    risk = result.labels[LABEL_NAMES.index(RISK)]
    (pair,) = risk.pairs
    assert (pair.first, pair.second, pair.n) == ("ann", "bo", 4)
    assert pair.agreement == pytest.approx(0.75) and pair.kappa == pytest.approx(0.5)
    assert risk.alpha == pytest.approx(krippendorff_alpha([[1, 1, 0, 0], [1, 0, 0, 0]]))
    assert risk.disagreements == 1 and risk.adjudicated == 0
    oversight = result.labels[LABEL_NAMES.index(OVERSIGHT)]
    assert oversight.pairs[0].n == 0 and oversight.disagreements == 0  # bo's only call was unsure
    suggested = {n: ws.predictions(n)[RISK].suggested for n in ("n0", "n1", "n2", "n3")}
    ann_vs_model = next(p for p in risk.versus_model if p.first == "ann")
    expected = [int(suggested[n]) for n in ("n0", "n1", "n2", "n3")]
    assert ann_vs_model.n == 4 and ann_vs_model.kappa == cohen_kappa([1, 1, 0, 0], expected)
    assert result.overall.label == "all" and result.overall.pairs[0].n == 4


def test_the_workspaces_agreement_says_why_it_is_not_its_audits_added_up(ws, tmp_path):
    # a workspace's agreement read 52 notes double-coded where its audits' summed to 51, and nothing said why: a note
    # two audits share, decided by ann in one and bo in the other, is double-coded across the workspace, in neither
    ws.create_audit("march", {"seed": 1, "unit": "note"}, [("n0", None, 1.0), ("n1", None, 1.0)])
    ws.create_audit("april", {"seed": 2, "unit": "note"}, [("n1", None, 1.0), ("n2", None, 1.0)])
    code(ws, "march", "ann", {("n0", RISK): "confirmed", ("n1", RISK): "confirmed"})
    code(ws, "april", "bo", {("n1", RISK): "rejected", ("n2", RISK): "rejected"})
    audits = [audit_agreement(ws, name) for name in ("march", "april")]
    whole = audit_agreement(ws, None)
    assert [a.double_coded_notes for a in audits] == [0, 0] and whole.double_coded_notes == 1
    assert [a.overall.disagreements for a in audits] == [0, 0] and whole.overall.disagreements == 1
    assert all(a.counted_across is None for a in audits)
    why = "a note two audits share is one unit, and one a coder decided in one audit and another coder in the other"
    assert why in whole.counted_across and "not the audits' figures added up" in whole.counted_across
    data = report.build(ws, check=None)
    for fmt in ("md", "html"):
        out = tmp_path / f"report.{fmt}"
        with out.open("w", encoding="utf-8") as f:
            report.render(data, fmt, f)
        assert why in " ".join(out.read_text(encoding="utf-8").split())
    assert why not in " ".join(report.render_markdown(report.build(ws, "march", check=None)).split())
    shown = run_cli("agreement", "-w", str(ws.path))
    assert shown.returncode == 0 and why in " ".join(shown.stdout.split()), shown.stdout


def test_adjudication_settles_a_dispute_and_wins_the_current_state(ws):
    sampling.sample(ws, SampleSpec(size=6, seed=0), "qa")
    code(ws, "qa", "ann", {("n1", OVERSIGHT): "confirmed", ("n1", RISK): "rejected", ("n2", RISK): "rejected"})
    code(ws, "qa", "bo", {("n1", OVERSIGHT): "rejected", ("n1", RISK): "rejected", ("n2", RISK): "confirmed"})
    assert [(d.note_id, d.label) for d in disputes(ws, "qa")] == [("n1", OVERSIGHT), ("n2", RISK)]
    with pytest.raises(CaseReviewError, match="another senior reviewer"):
        AdjudicationSession(ws, "qa", "ann").settle(OVERSIGHT, True)
    session = AdjudicationSession(ws, "qa", "sam")
    assert session.note_ids == ["n1", "n2"]
    view = session.view()
    assert [(d.label, d.states, d.final) for d in view.disputes] == [(OVERSIGHT, {"ann": "confirmed", "bo": "rejected"}, None)]
    decision = session.settle(OVERSIGHT, True)
    assert decision.kind == "adjudication" and decision.audit == "qa" and decision.state in ("confirmed", "added")
    ws.record_decision("n1", OVERSIGHT, "rejected", "bo", audit="qa")  # a later review does not undo it
    assert ws.current_decisions("n1")[OVERSIGHT].kind == "adjudication"
    assert session.next() == "n2" and session.view().open_disputes == 1
    with pytest.raises(CaseReviewError, match="no dispute"):
        session.settle(OVERSIGHT, False)
    session.settle(RISK, False)
    assert all(d.final is not None for d in disputes(ws, "qa"))
    assert audit_agreement(ws, "qa").overall.adjudicated == 2
    assert AdjudicationSession(ws, "qa", "sam").note_ids == []
    with pytest.raises(CaseReviewError, match="no audit"):
        AdjudicationSession(ws, "nope", "sam")


def test_settling_a_dispute_the_way_it_is_settled_records_nothing(ws):
    # y on a dispute settled as a concern appended another identical adjudication: the log held a final decision
    # that changed nothing (a review key that changes nothing records nothing, by the same rule)
    sampling.sample(ws, SampleSpec(size=6, seed=0), "qa")
    code(ws, "qa", "ann", {("n1", OVERSIGHT): "confirmed"})
    code(ws, "qa", "bo", {("n1", OVERSIGHT): "rejected"})
    session = AdjudicationSession(ws, "qa", "sam")

    def adjudications() -> list[str]:
        return [d.state for d in ws.iter_decisions() if d.kind == "adjudication"]

    concern = session.settle(OVERSIGHT, True)
    assert session.settle(OVERSIGHT, True) is None and adjudications() == [concern.state]
    assert session.settle(OVERSIGHT, False).state == "rejected"
    assert session.settle(OVERSIGHT, False) is None and adjudications() == [concern.state, "rejected"]
    # settled by another adjudicator: the final decision is the audit's, not each adjudicator's
    assert AdjudicationSession(ws, "qa", "cy").settle(OVERSIGHT, False, note_id="n1") is None
    assert session.settle(OVERSIGHT, True).state == concern.state and len(adjudications()) == 3


def test_blind_session_shows_only_own_decisions_and_hides_the_model(ws):
    sampling.sample(ws, SampleSpec(size=6, seed=0, hide_model=True), "blind")
    double_coding.assign(ws, "blind", ["ann", "bo"], double=1.0)
    ann = double_coding.audit_session(ws, "ann", "blind", order="priority")
    assert ann.query.order == "case"  # ordering by score would reveal the model
    assert sorted(ann.note_ids) == [f"n{i}" for i in range(6)] and ann.blind_notes == set(ann.note_ids)
    note_id = ann.note_ids[0]
    ws.record_decision(note_id, RISK, "confirmed", "bo", audit="blind")
    view = ann.view(note_id)
    assert all(row.state is None and row.score is None and not row.suggested and not row.evidence for row in view.labels)
    decision = ann.toggle(RISK, note_id)
    assert decision.state == "added" and decision.model_version is None and decision.audit == "blind"
    assert ann.view(note_id).labels[LABEL_NAMES.index(RISK)].state == "added"
    assert ann.accept_all(note_id) == []  # no suggestions shown, none to accept
    ws.add_comment(note_id, "bo", "bo's reading")
    assert ann.view(note_id).comments == ()  # another coder's comment would show their reading
    ann.comment("ann's reading", note_id)
    assert [c["text"] for c in ann.view(note_id).comments] == ["ann's reading"]
    lead = ReviewSession(ws, "lead")  # not blind: every comment
    assert [c["reviewer"] for c in lead.view(note_id).comments] == ["bo", "ann"]



def test_a_blind_coder_sees_only_the_decisions_they_made_in_this_audit(ws):
    # A note drawn into two audits: ann coded it in the first. Coding the second blind, her panel showed
    # those decisions as made, so she passed the note by, while the second audit's progress, agreement and
    # disputes count only decisions made in it: the note stayed uncoded there, with nothing to tell her so.
    sampling.sample(ws, SampleSpec(size=6, seed=0), "first")
    ws.record_decision("n0", RISK, "confirmed", "ann", audit="first")
    sampling.sample(ws, SampleSpec(size=6, seed=0, hide_model=True), "second")
    double_coding.assign(ws, "second", ["ann", "bo"], double=1.0)
    ann = double_coding.audit_session(ws, "ann", "second")
    assert all(row.state is None for row in ann.view("n0").labels)
    decision = ann.toggle(RISK, "n0")  # not taken as the first audit's positive to reject
    assert decision.state == "added" and decision.audit == "second"
    assert ann.view("n0").labels[LABEL_NAMES.index(RISK)].state == "added"
    assert ann.undo() == (decision,)
    assert ann.view("n0").labels[LABEL_NAMES.index(RISK)].state is None
    assert ReviewSession(ws, "ann").view("n0").labels[LABEL_NAMES.index(RISK)].state == "confirmed"  # outside audits


def test_a_reviewer_not_assigned_to_a_shared_out_audit_is_refused(ws):
    # "an" for "ann" would open every note unblinded and code as a third reviewer
    sampling.sample(ws, SampleSpec(size=6, seed=0), "blind")
    double_coding.assign(ws, "blind", ["ann", "bo"], double=1.0)
    ws.record_decision("n0", RISK, "confirmed", "bo", audit="blind")
    with pytest.raises(CaseReviewError, match="'an' has no notes in audit 'blind'; it is assigned to ann, bo"):
        double_coding.audit_session(ws, "an", "blind")
    refused = run_cli("review", "--audit", "blind", "--reviewer", "an", "-w", str(ws.path))
    assert refused.returncode == 2 and "'an' has no notes in audit 'blind'" in refused.stderr
    # an audit reviews its own notes: a filter given with it would be ignored without a word
    filtered = run_cli("review", "--audit", "blind", "--reviewer", "ann", "--label", RISK, "--unreviewed", "-w", str(ws.path))
    assert filtered.returncode == 2 and "--label, --unreviewed: not with --audit" in filtered.stderr
    assert "Traceback" not in refused.stderr
    sampling.sample(ws, SampleSpec(size=4, seed=0), "open")  # not shared out yet: open to anyone, unblinded
    lead = double_coding.audit_session(ws, "lead", "open")
    assert len(lead.note_ids) == 4 and not lead.blind_notes


def test_agreement_command(ws):
    sampling.sample(ws, SampleSpec(size=6, seed=0), "qa")
    code(ws, "qa", "ann", {("n0", RISK): "confirmed", ("n1", RISK): "rejected"})
    code(ws, "qa", "bo", {("n0", RISK): "confirmed", ("n1", RISK): "confirmed"})
    code(ws, "qa", "cy", {("n0", RISK): "rejected", ("n1", RISK): "confirmed"})
    done = run_cli("agreement", "--audit", "qa", "--json", "-w", str(ws.path))
    assert done.returncode == 0, done.stderr
    import json

    result = json.loads(done.stdout)
    risk = result["labels"][LABEL_NAMES.index(RISK)]
    assert [(p["first"], p["second"], p["n"]) for p in risk["pairs"]] == [("ann", "bo", 2), ("ann", "cy", 2), ("bo", "cy", 2)]
    assert risk["alpha"] == pytest.approx(krippendorff_alpha([[1, 0], [1, 1], [0, 1]]))
    table = run_cli("agreement", "--audit", "qa", "-w", str(ws.path))
    assert table.returncode == 0 and "ann ~ bo" in table.stdout and "model" in table.stdout
    assert run_cli("agreement", "--audit", "nope", "-w", str(ws.path)).returncode == 2


def label_row(lines: list[str], name: str, start: int = 0) -> int:
    """The index of the table's row of the label ``name``: its title first, as the reports name it."""
    return next(i for i, line in enumerate(lines) if i >= start and line.startswith(BY_NAME[name].title + " "))


def test_agreement_table_fits_80_columns_with_every_label_name_whole(ws):
    # the table used to cut names to "management_ove…" and wrap "ann ~ model" over two lines; it named the labels by
    # their codebook names ("risk_analysis_gap") where the reports and the review screens read their titles
    sampling.sample(ws, SampleSpec(size=6, seed=0), "qa")
    for reviewer, state in (("ann", "confirmed"), ("bo", "rejected"), ("cy", "confirmed")):
        code(ws, "qa", reviewer, {("n0", name): state for name in LABEL_NAMES})
    code(ws, "qa", "ann", {("n1", RISK): "rejected"})
    table = run_cli("agreement", "--audit", "qa", "-w", str(ws.path), env={"COLUMNS": "80"})
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80, table.stdout
    assert all(any(line.startswith(BY_NAME[name].title + " ") for line in lines) for name in LABEL_NAMES), table.stdout
    assert any(line.startswith("All labels ") for line in lines) and not any(name in table.stdout for name in LABEL_NAMES)
    assert "…" not in table.stdout
    risk = label_row(lines, RISK)
    assert "α" in lines[risk].split() and lines[risk].split()[-2:] == ["1", "0"]  # alpha, open, adjudicated
    assert [line.split()[:3] for line in lines[risk + 1 : risk + 4]] == [["ann", "~", "bo"], ["ann", "~", "cy"], ["bo", "~", "cy"]]
    assert any(line.split()[:3] == ["ann", "~", "model"] for line in lines[risk + 1 :])


def test_two_reviewers_alpha_is_in_the_agreement_table_as_in_the_report_and_json(ws):
    # the Markdown and HTML reports and --json gave alpha with two reviewers; the table showed it only with three
    sampling.sample(ws, SampleSpec(size=6, seed=0), "qa")
    code(ws, "qa", "ann", {("n0", RISK): "confirmed", ("n1", RISK): "added", ("n2", RISK): "rejected", ("n3", RISK): "rejected"})
    code(ws, "qa", "bo", {("n0", RISK): "confirmed", ("n1", RISK): "rejected", ("n2", RISK): "rejected", ("n3", RISK): "rejected"})
    alpha = krippendorff_alpha([[1, 1, 0, 0], [1, 0, 0, 0]])
    import json

    as_json = json.loads(run_cli("agreement", "--audit", "qa", "--json", "-w", str(ws.path)).stdout)
    assert as_json["labels"][LABEL_NAMES.index(RISK)]["alpha"] == pytest.approx(alpha)
    markdown = run_cli("report", "--audit", "qa", "--format", "md", "-w", str(ws.path)).stdout
    assert f"| {BY_NAME[RISK].title} | Krippendorff's alpha, all reviewers | 4 | | {alpha:.2f} (too few units) |" in markdown
    table = run_cli("agreement", "--audit", "qa", "-w", str(ws.path), env={"COLUMNS": "80"})
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    risk = lines[label_row(lines, RISK)]
    # alpha, flagged as on too few units (4) as the report flags it, open, adjudicated
    assert risk.split()[-5:] == ["α", f"{alpha:.2f}", "(few)", "1", "0"]
    assert "(few)" in next(line for line in lines if line.split()[:3] == ["ann", "~", "bo"])
    assert "α: Krippendorff's alpha, all reviewers" in " ".join(table.stdout.split())
    assert f"(few): on fewer than {FEW_UNITS} units, too few to say much" in " ".join(table.stdout.split())
    oversight = lines[label_row(lines, OVERSIGHT)]
    assert oversight.split()[-4:] == ["α", "–", "0", "0"]  # no unit coded twice: no alpha, as in the report


def test_the_agreement_table_flags_figures_on_too_few_units_as_the_report_does_within_80_columns():
    """The report marked a kappa or alpha on fewer than FEW_UNITS units "(too few units)"; the terminal table showed
    the same figures unmarked, as if 4 units said as much as 40."""
    import casereview.cli  # noqa: F401  (cli_qa is registered by cli)
    from rich.console import Console

    from casereview.cli_qa import agreement_table

    def pair(first, second, n, kappa):
        return PairAgreement(first, second, n, 0.5, kappa)

    pairs = (pair("ann", "bo", FEW_UNITS - 1, -0.333), pair("ann", "cy", FEW_UNITS, 0.5), pair("bo", "cy", 3, None))
    rows = tuple(LabelAgreement(name, pairs, -0.333, FEW_UNITS - 1, (pair("ann", "model", 2, -0.25),), 10, 10)
                 for name in (*LABEL_NAMES, "all"))
    console = Console(width=80, record=True)
    console.print(agreement_table(AgreementReport("qa", ("ann", "bo", "cy"), "m", 9, rows)))
    lines = console.export_text().splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80, "\n".join(lines)
    risk = label_row(lines, RISK)
    assert lines[risk].split()[-5:] == ["α", "-0.33", "(few)", "10", "10"], "\n".join(lines)
    assert [line.split()[5:] for line in lines[risk + 1:risk + 5]] == [  # after 'ann ~ bo', units and agreement
        ["-0.33", "(few)"], ["0.50"], ["–"], ["-0.25", "(few)"]], "\n".join(lines)


def test_the_audit_progress_screens_kappas_are_flagged_on_too_few_units_as_the_report_does(ws):
    sampling.sample(ws, SampleSpec(size=6, seed=0), "qa")
    code(ws, "qa", "ann", {("n0", RISK): "confirmed", ("n1", RISK): "added", ("n2", RISK): "rejected", ("n3", RISK): "rejected"})
    code(ws, "qa", "bo", {("n0", RISK): "confirmed", ("n1", RISK): "rejected", ("n2", RISK): "rejected", ("n3", RISK): "rejected"})
    summary = report.build(ws, "qa", check=None).summary_lines()[-1]
    assert "ann ~ bo kappa 0.50 (too few units)" in summary, summary


def test_coders_who_reject_the_labels_they_left_undecided_agree_on_absence_too(ws):
    # Blind coders of a --hide-model audit mark the concerns they see; the other labels stayed undecided, so kappa
    # rested on the labels both marked (here one, no kappa at all) and the report's rates on positives alone (100%).
    sampling.sample(ws, SampleSpec(size=6, seed=0, hide_model=True), "blind")
    double_coding.assign(ws, "blind", ["ann", "bo"], double=1.0)
    ann, bo = (double_coding.audit_session(ws, name, "blind") for name in ("ann", "bo"))
    ann.toggle(RISK, "n0")
    bo.toggle(RISK, "n0")
    ann.toggle(OVERSIGHT, "n1")
    before = audit_agreement(ws, "blind").overall.pairs[0]
    assert (before.n, before.kappa) == (1, None)  # the one label both marked
    assert report.build(ws, "blind", check=None).rates[LABEL_NAMES.index(RISK)].notes.decided == 1
    for session in (ann, bo):
        for note_id in ("n0", "n1"):
            session.reject_undecided(note_id)
    assert {(d.reviewer, d.audit, d.kind, d.model_version) for d in ws.iter_decisions()
            if d.state == "rejected"} == {("ann", "blind", "review", None), ("bo", "blind", "review", None)}
    overall = audit_agreement(ws, "blind").overall.pairs[0]
    ann_codes = [int(n == RISK) for n in LABEL_NAMES] + [int(n == OVERSIGHT) for n in LABEL_NAMES]
    bo_codes = [int(n == RISK) for n in LABEL_NAMES] + [0] * len(LABEL_NAMES)
    assert overall.n == 2 * len(LABEL_NAMES)  # every label of both notes, the negatives too
    assert overall.kappa == pytest.approx(cohen_kappa(ann_codes, bo_codes))
    assert overall.agreement == pytest.approx(13 / 14)
    assert audit_agreement(ws, "blind").labels[LABEL_NAMES.index(OVERSIGHT)].disagreements == 1  # ann's is the only one
    risk = report.build(ws, "blind", check=None).rates[LABEL_NAMES.index(RISK)].notes
    assert (risk.positives, risk.decided) == (1, 2)  # the rate of a concern among the notes read, not among its marks
