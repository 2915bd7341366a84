"""QA sampling: reproducible, stratified as asked, weights that undo over-sampling; assignments."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import shlex
from collections import Counter
from dataclasses import replace

import pytest

from casereview import double_coding, report, sampling
from casereview.errors import CaseReviewError
from casereview.notes import validate
from casereview.sampling import SampleSpec
from casereview.workspace import NoteFacts, Workspace

from .conftest import run_cli, write_jsonl

TEAMS = {"north": 60, "south": 30, "east": 10}


def team_notes() -> list[dict]:
    """100 notes in 3 teams, 20 case files of 5 notes, spread over 4 months; every 5th note shows a delay."""
    records, i = [], 0
    for team, count in TEAMS.items():
        for _ in range(count):
            records.append({"note_id": f"n{i:03d}", "text": f"Home visit number {i}.", "case_id": f"C{i // 5:02d}",
                            "date": f"2024-0{1 + i % 4}-1{i % 9}", "author_role": "social_worker", "team": team,
                            "labels": ["delay_timeliness"] if i % 5 == 0 else []})
            i += 1
    return records


@pytest.fixture
def teams_ws(tmp_path):
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([validate(r, "teams.jsonl", n) for n, r in enumerate(team_notes(), 1)], "teams.jsonl")
        yield ws


def test_same_seed_and_data_give_the_same_sample(teams_ws):
    facts = teams_ws.note_facts()
    spec = SampleSpec(size=15, stratify=("team", "month"), seed=11)
    first, again = sampling.draw(facts, spec), sampling.draw(list(reversed(facts)), spec)
    assert first.units == again.units and first.items == again.items
    other = sampling.draw(facts, SampleSpec(size=15, stratify=("team", "month"), seed=12))
    assert [u for u, _, _ in other.units] != [u for u, _, _ in first.units]


def test_a_seed_an_audit_of_the_same_units_used_is_warned_of_naming_it_and_the_sample_is_still_drawn(teams_ws):
    _, first = sampling.sample(teams_ws, SampleSpec(size=20, stratify=("team",), seed=7), "march")
    assert not first.warnings
    # another design, the same seed: units ranked the same way, so the two samples overlap far beyond chance
    _, second = sampling.sample(teams_ws, SampleSpec(size=20, stratify=("month",), seed=7), "april")
    shared = sampled_ids(first) & sampled_ids(second)
    assert len(shared) >= 8, shared  # (two independent samples of 20 of 100 share about 4)
    assert second.warnings == [
        f"--seed 7 is the seed of audit 'march' too: the same seed ranks notes the same way, so {len(shared)} of "
        "this sample's 20 notes are in it as well; for an independent sample give another --seed (or leave it out "
        "for a new one)"]
    assert sampled_ids(second) == sampled_ids(sampling.draw(teams_ws.note_facts(), second.spec))  # still reproducible
    # another seed, another unit or another method ranks afresh: nothing to warn of
    for spec in (SampleSpec(size=20, seed=8), SampleSpec(size=4, unit="case", seed=7),
                 SampleSpec(size=20, seed=7, method="shuffle")):
        assert not sampling.sample(teams_ws, spec)[1].warnings, spec


def test_strata_get_proportional_counts_and_inverse_probability_weights(teams_ws):
    name, drawn = sampling.sample(teams_ws, SampleSpec(size=20, stratify=("team",), seed=1), "by-team")
    facts = {f.note_id: f for f in teams_ws.note_facts()}
    items = teams_ws.audit_items(name)
    assert Counter(facts[i.note_id].team for i in items) == {"north": 12, "south": 6, "east": 2}
    assert {i.stratum for i in items} == {"team=north", "team=south", "team=east"}
    assert all(i.weight == pytest.approx(5.0) for i in items)
    params = teams_ws.audit(name).params
    assert params["seed"] == 1 and params["stratify"] == ["team"] and params["frame_units"] == 100
    assert params["command"] == "casereview sample --size 20 --by note --seed 1 --stratify team --method hash-rank --name by-team"


def test_every_stratum_is_read_when_the_size_allows(teams_ws):
    drawn = sampling.draw(teams_ws.note_facts(), SampleSpec(size=4, stratify=("team", "month"), seed=3))
    assert len(drawn.units) == 4
    small = sampling.draw(teams_ws.note_facts(), SampleSpec(size=12, stratify=("team", "month"), seed=3))
    assert all(s.sampled >= 1 for s in small.strata) and len(small.strata) == 12


def test_a_sample_smaller_than_its_strata_says_how_it_spread_and_which_strata_drew_nothing(tmp_path):
    # "--size 2 --stratify month" warned only "the sample is smaller than the number of strata: some strata are not
    # sampled": which months no one would read, and how many notes they hold, the QA lead learned from the report
    ws = str(tmp_path / "ws")
    assert run_cli("import", str(write_jsonl(tmp_path / "teams.jsonl", team_notes())), "-w", ws).returncode == 0
    drawn = run_cli("sample", "--size", "2", "--stratify", "month", "--seed", "3", "--name", "small", "-w", ws)
    assert drawn.returncode == 0, drawn.stderr
    assert ("warning: --size 2 is smaller than the 4 strata: the sample reaches 2 of the 4 strata, each taking its "
            "share by its size, and draws nothing from 2 strata, 50 notes the rates will not describe: "
            "month=2024-03 to 2024-04; --size 4 or more draws from every stratum") in " ".join(drawn.stderr.split())
    strata = {s.key: s.sampled for s in sampling.draw(Workspace.open(ws).note_facts(),
                                                      SampleSpec(size=2, stratify=("month",), seed=3)).strata}
    assert strata == {"month=2024-01": 1, "month=2024-02": 1, "month=2024-03": 0, "month=2024-04": 0}
    # past a dozen, the rest counted; strata of two keys listed as they are keyed
    facts = Workspace.open(ws).note_facts()
    two_keys = sampling.draw(facts, SampleSpec(size=1, stratify=("team", "month"), seed=3)).warnings
    assert [w for w in two_keys if "draws nothing from 11 strata" in w and w.endswith(
        "team=south|month=2024-03, team=south|month=2024-04; --size 12 or more draws from every stratum")], two_keys
    many = sampling.draw(facts, SampleSpec(size=1, stratify=("team", "month"), seed=3, oversample=2)).warnings
    assert [w for w in many if re.search(r"draws nothing from 2\d strata, .* and \d+ more \(casereview audits --json "
                                         r"lists each stratum\); --size 2\d or more draws from every stratum$", w)], many
    assert not sampling.draw(facts, SampleSpec(size=4, stratify=("month",), seed=3)).warnings


def test_audits_says_which_strata_a_sample_smaller_than_its_strata_reached(teams_ws):
    """sample warned which strata it drew nothing from, once; audits, where a QA lead looks at the audits later,
    did not say it: the months no one would read were learned from the report."""
    ws = str(teams_ws.path)
    assert run_cli("sample", "--size", "2", "--stratify", "month", "--seed", "3", "--name", "small", "-w", ws).returncode == 0
    assert run_cli("sample", "--size", "4", "--stratify", "month", "--seed", "3", "--name", "whole", "-w", ws).returncode == 0
    listed = run_cli("audits", "-w", ws)
    assert listed.returncode == 0, listed.stderr
    below = listed.stdout.splitlines()[-1]
    assert " ".join(below.split()) == ("small: reaches 2 of the 4 strata; draws nothing from 2 strata, 50 notes its "
                                       "rates do not describe: month=2024-03 to 2024-04")
    assert "whole:" not in listed.stdout  # it reaches every month


def test_oversampled_flagged_notes_keep_the_weighted_rate_unbiased(teams_ws):
    # 20 of 100 notes are flagged (a confirmed delay); draw them 4 times as often.
    name, drawn = sampling.sample(teams_ws, SampleSpec(size=20, seed=5, oversample=4), "tilted")
    strata = {s.key: s for s in drawn.strata}
    assert (strata["flagged=yes"].sampled, strata["flagged=no"].sampled) == (10, 10)
    assert (strata["flagged=yes"].weight, strata["flagged=no"].weight) == (2.0, 8.0)
    delay = next(r for r in report.build(teams_ws, name).rates if r.label.name == "delay_timeliness")
    assert (delay.notes.positives, delay.notes.decided) == (10, 20)  # half the sample is flagged...
    assert delay.notes.estimate == pytest.approx(0.2)  # ...but the estimate is the population's 20 of 100


def test_a_note_with_several_labels_falls_in_its_rarest_labels_stratum(tmp_path):
    records = [{"note_id": f"a{i}", "text": "x", "labels": ["delay_timeliness"]} for i in range(5)]
    records.append({"note_id": "both", "text": "x", "labels": ["delay_timeliness", "supervision_issue"]})
    records.append({"note_id": "none", "text": "x", "labels": []})
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([validate(r, "f", n) for n, r in enumerate(records, 1)], "f.jsonl")
        drawn = sampling.draw(ws.note_facts(), SampleSpec(size=7, stratify=("label",), seed=0))
    assert {u: s for u, s, _ in drawn.units}["both"] == "label=supervision_issue"
    assert {s.key: s.population for s in drawn.strata} == {
        "label=delay_timeliness": 5, "label=supervision_issue": 1, "label=none": 1}


def test_sampling_by_case_takes_whole_case_files(teams_ws):
    name, drawn = sampling.sample(teams_ws, SampleSpec(size=4, unit="case", stratify=("team",), seed=2), "cases")
    assert len(drawn.units) == 4
    items = teams_ws.audit_items(name)
    case_of = {f.note_id: f.case_id for f in teams_ws.note_facts()}
    assert Counter(case_of[i.note_id] for i in items) == {case_id: 5 for case_id, _, _ in drawn.units}
    # it said "4 of 20 cases", where the report, the audits table's other words and the CLI say case files
    assert sampling.describe(teams_ws.audit(name).params) == "4 of 20 case files by team"


def test_a_stratum_key_or_oversampling_that_splits_nothing_is_said(tmp_path):
    # `sample --stratify team` on notes with no team field drew one stratum, team=none, and said nothing: the
    # audit and its report read "by team"; so did score-band before `tag`, and --oversample-flagged with no flag
    records = [{k: v for k, v in r.items() if k not in ("team", "labels")} for r in team_notes()]
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([validate(r, "plain.jsonl", n) for n, r in enumerate(records, 1)], "plain.jsonl")
        facts = ws.note_facts()
    drawn = sampling.draw(facts, SampleSpec(size=10, stratify=("team", "month", "score-band"), seed=1, oversample=3))
    assert [w for w in drawn.warnings if w.startswith(("--stratify", "--oversample"))] == [
        "--stratify team: no note of the frame has a team field, so it splits nothing (every note is in team=none)",
        "--stratify score-band: no note of the frame is scored (casereview tag scores them), so it splits nothing "
        "(every note is in score-band=unscored)",
        "--oversample-flagged 3: no note of the frame is flagged (a label suggested by the model or decided as a "
        "concern), so nothing is over-sampled",
    ]
    by_case = sampling.draw(facts, SampleSpec(size=3, unit="case", stratify=("label", "author_role"), seed=1))
    assert by_case.warnings == ["--stratify label: no case file of the frame has a label suggested by the model or "
                                "decided as a concern (casereview tag scores them), so it splits nothing "
                                "(every case file is in label=none)"]
    flagged = [f if f.note_id in ("n000", "n001") else replace(f, suggested=("delay_timeliness",)) for f in facts]
    assert sampling.draw(flagged, SampleSpec(size=10, stratify=("month",), seed=1, oversample=3)).warnings == []
    every = [replace(f, suggested=("delay_timeliness",)) for f in facts]
    assert sampling.draw(every, SampleSpec(size=10, seed=1, oversample=3)).warnings == [
        "--oversample-flagged 3: every note of the frame is flagged (a label suggested by the model or decided as a "
        "concern), so nothing is over-sampled"]


def test_the_sample_command_says_when_a_stratum_key_splits_nothing(tmp_path):
    ws = str(tmp_path / "ws")
    records = [{k: v for k, v in r.items() if k != "team"} for r in team_notes()]
    assert run_cli("import", str(write_jsonl(tmp_path / "plain.jsonl", records)), "-w", ws).returncode == 0
    drawn = run_cli("sample", "--size", "20", "--by", "case", "--stratify", "team", "--name", "files", "-w", ws)
    assert drawn.returncode == 0, drawn.stderr
    assert len(drawn.stdout.split()) == 20
    assert ("warning: --stratify team: no case file of the frame has a team field, so it splits nothing "
            "(every case file is in team=none)") in drawn.stderr.splitlines()


def test_date_range_limits_the_frame(teams_ws):
    drawn = sampling.draw(teams_ws.note_facts(date_from="2024-02-01", date_to="2024-02-28"), SampleSpec(size=200, seed=0))
    assert drawn.frame_units == 25 and len(drawn.units) == 25
    assert any("fewer than --size" in w for w in drawn.warnings)


@pytest.mark.parametrize("spec, problem", [
    (SampleSpec(size=0), "--size"),
    (SampleSpec(size=5, unit="team"), "--by"),
    (SampleSpec(size=5, stratify=("colour",)), "--stratify"),
    (SampleSpec(size=5, date_from="2024-02-30"), "--from"),
    (SampleSpec(size=5, date_from="2024-03-01", date_to="2024-02-01"), "after"),
    (SampleSpec(size=5, oversample=0.5), "--oversample-flagged"),
    (SampleSpec(size=5, oversample=math.inf), "--oversample-flagged must be between 1 and 1000, not inf"),
    (SampleSpec(size=5, oversample=1e308), "--oversample-flagged must be between 1 and 1000"),
    (SampleSpec(size=5, oversample=0.0), "--oversample-flagged must be between 1 and 1000, not 0$"),  # as typed, not 0.0
])
def test_bad_specs_are_refused_with_the_option_named(spec, problem):
    with pytest.raises(CaseReviewError, match=problem):
        spec.check()


def test_assignment_shares_evenly_and_double_codes_the_fraction_blind(teams_ws):
    name, _ = sampling.sample(teams_ws, SampleSpec(size=30, seed=4), "shared")
    summary = double_coding.assign(teams_ws, name, ["ann", "bo", "cy"], double=0.2, blind=False)
    assert summary.units == 30 and summary.double_units == 6
    assert sum(summary.notes_per_reviewer.values()) == 36
    assert max(summary.notes_per_reviewer.values()) - min(summary.notes_per_reviewer.values()) <= 1
    rows = teams_ws.assignments(name)
    per_note = Counter(a.note_id for a in rows)
    assert Counter(per_note.values()) == {1: 24, 2: 6}
    assert all(a.blind == (per_note[a.note_id] == 2) for a in rows)  # only double-coded notes are blind here
    with pytest.raises(CaseReviewError, match="already has assignments"):
        double_coding.assign(teams_ws, name, ["ann"])


def test_assignment_is_reproducible_and_checks_its_input():
    units = [(f"u{i}", [f"n{i}"]) for i in range(10)]
    assert double_coding.plan(units, ["a", "b"], 0.3, 9) == double_coding.plan(units, ["a", "b"], 0.3, 9)
    with pytest.raises(CaseReviewError, match="two reviewers"):
        double_coding.plan(units, ["a"], 0.3, 9)
    with pytest.raises(CaseReviewError, match="between 0 and 1"):
        double_coding.plan(units, ["a", "b"], 1.5, 9)
    with pytest.raises(CaseReviewError, match="twice"):
        double_coding.parse_reviewers("a,b,a")


def test_a_small_double_fraction_double_codes_one_unit_rather_than_none(tmp_path):
    # --double 0.05 of 10 units rounded 0.5 to 0 (round half to even): the QA lead who asked for double coding got
    # none, said only as "0 double-coded" in the summary; the audit cannot be assigned again, and agreement, which
    # compares reviewers on the units both coded, had nothing to compare
    units = [(f"u{i}", [f"n{i}"]) for i in range(10)]
    planned = double_coding.plan(units, ["a", "b"], 0.05, 9)
    assert sum(len(chosen) == 2 for _, _, chosen in planned) == 1
    assert sum(len(chosen) == 2 for _, _, chosen in double_coding.plan(units, ["a", "b"], 0.0, 9)) == 0
    ws = str(tmp_path / "ws")
    assert run_cli("import", str(write_jsonl(tmp_path / "teams.jsonl", team_notes())), "-w", ws).returncode == 0
    assert run_cli("sample", "--size", "10", "--seed", "3", "--name", "small", "-w", ws).returncode == 0
    shared = run_cli("assign", "--audit", "small", "--reviewers", "ann,bo", "--double", "0.05", "-w", ws)
    assert shared.returncode == 0, shared.stderr
    assert sorted(shared.stdout.splitlines()) == ["ann: 6 notes (1 double-coded)", "bo: 5 notes (1 double-coded)"]
    said = shared.stderr.splitlines()
    assert ("warning: --double 0.05 of 10 units is less than one unit: 1 unit is double-coded, as agreement needs "
            "units coded by two reviewers") in said, said
    assert "10 units, 1 double-coded; each reviewer runs: casereview review --audit small --reviewer NAME" in said
    coded = Counter(a.note_id for a in Workspace.open(tmp_path / "ws").assignments("small"))
    assert Counter(coded.values()) == {1: 9, 2: 1}


def test_reviewer_pairs_that_share_no_double_coded_unit_are_named(teams_ws):
    # kappa is per pair of reviewers, on the units both coded: with three reviewers and one double-coded unit two
    # pairs share none, and the report shows "–" for them with no word of why
    name, _ = sampling.sample(teams_ws, SampleSpec(size=10, seed=4), "three")
    summary = double_coding.assign(teams_ws, name, ["ann", "bo", "cy"], double=0.1)
    assert summary.double_units == 1
    assert summary.warnings == ("ann ~ cy and bo ~ cy share no double-coded unit: agreement has no kappa for them "
                                "(alpha, over all reviewers, counts every double-coded unit)",)
    name, _ = sampling.sample(teams_ws, SampleSpec(size=30, seed=4), "thirty")
    assert double_coding.assign(teams_ws, name, ["ann", "bo", "cy"], double=0.2).warnings == ()
    name, _ = sampling.sample(teams_ws, SampleSpec(size=10, seed=4), "single")
    assert double_coding.assign(teams_ws, name, ["ann", "bo", "cy"]).warnings == ()  # no double coding asked for


def test_default_audit_names_never_collide(teams_ws):
    # Take the default names of the next minute, as a burst of samples within each second would.
    start = dt.datetime.now(dt.timezone.utc)
    taken = {f"audit-{start + dt.timedelta(seconds=s):%Y%m%d-%H%M%S}" for s in range(60)}
    for name in taken:
        teams_ws.create_audit(name, {}, [])
    names = [sampling.sample(teams_ws, SampleSpec(size=5, seed=1))[0] for _ in range(3)]
    assert len(set(names)) == 3 and not set(names) & taken
    assert all(re.fullmatch(r"audit-\d{8}-\d{6}-[234]", n) and n.rsplit("-", 1)[0] in taken for n in names)
    assert [teams_ws.audit(n).notes for n in names] == [5, 5, 5]


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
def test_sample_and_assign_commands(tmp_path):
    ws = str(tmp_path / "ws")
    notes = write_jsonl(tmp_path / "teams.jsonl", team_notes())
    assert run_cli("import", str(notes), "-w", ws).returncode == 0
    first = run_cli("sample", "--size", "8", "--stratify", "team,month", "--seed", "42", "--name", "one", "-w", ws)
    again = run_cli("sample", "--size", "8", "--stratify", "team", "--stratify", "month", "--seed", "42", "--name", "two", "-w", ws)
    assert first.returncode == 0, first.stderr
    ids = first.stdout.split()
    assert len(ids) == 8 and ids == again.stdout.split()
    assert "warning: --seed 42 is the seed of audit 'one' too" in again.stderr and "another --seed" in again.stderr
    assert "is the seed of audit" not in first.stderr
    assert "casereview review --audit one" in first.stderr
    as_json = json.loads(run_cli("sample", "--size", "3", "--by", "case", "--seed", "1", "--name", "three", "--json", "-w", ws).stdout)
    assert as_json["audit"] == "three" and len(as_json["units"]) == 3 and as_json["unit"] == "case"
    notes = {r["note_id"]: r["case_id"] for r in team_notes()}
    assert {i["note_id"] for i in as_json["items"]} == {n for n, c in notes.items() if c in {u["id"] for u in as_json["units"]}}
    taken = run_cli("sample", "--size", "3", "--name", "one", "-w", ws)
    assert taken.returncode == 2 and "already exists" in taken.stderr
    bad = run_cli("sample", "--size", "3", "--stratify", "colour", "-w", ws)
    assert bad.returncode == 2 and "--stratify 'colour'" in bad.stderr
    shared = run_cli("assign", "--audit", "one", "--reviewers", "ann,bo", "--double", "0.25", "-w", ws)
    assert shared.returncode == 0, shared.stderr
    assert shared.stdout.splitlines() == ["ann: 5 notes (2 double-coded)", "bo: 5 notes (2 double-coded)"]
    assert run_cli("assign", "--audit", "nope", "--reviewers", "ann", "-w", ws).returncode == 2
    listed = json.loads(run_cli("audits", "--json", "-w", ws).stdout)
    assert [a["name"] for a in listed] == ["one", "two", "three"] and [a["notes"] for a in listed][:2] == [8, 8]
    assert listed[0]["params"]["assignment"]["reviewers"] == ["ann", "bo"]
    assert listed[2]["params"]["command"].startswith("casereview sample --size 3 --by case")
    table = run_cli("audits", "-w", ws)
    assert table.returncode == 0 and "one" in table.stdout and "ann, bo" in table.stdout


def test_a_sample_of_nothing_or_without_a_name_is_refused_and_saves_no_audit(tmp_path):
    ws = str(tmp_path / "ws")
    notes = write_jsonl(tmp_path / "teams.jsonl", team_notes())
    assert run_cli("import", str(notes), "-w", ws).returncode == 0
    for args, problem in [(("--from", "2030-01-01"), "no note is dated from 2030-01-01 (--from/--to)"),
                          (("--name", ""), "--name: give the audit a name"),
                          (("--name", "  "), "--name: give the audit a name")]:
        refused = run_cli("sample", "--size", "5", *args, "-w", ws)
        assert refused.returncode == 2, (args, refused.stderr)
        assert problem in refused.stderr and "Traceback" not in refused.stderr
    assert json.loads(run_cli("audits", "--json", "-w", ws).stdout) == []
    with Workspace.open(tmp_path / "empty") as empty:
        with pytest.raises(CaseReviewError, match="the workspace has no notes"):
            sampling.sample(empty, SampleSpec(size=5, seed=1), "nothing")
        assert empty.audits() == []


def test_an_infinite_oversampling_factor_is_a_one_line_error(teams_ws):
    assert run_cli("sample", "--size", "5", "--oversample-flagged", "3", "--name", "ok", "-w", str(teams_ws.path)).returncode == 0
    for factor in ("inf", "1e308"):
        refused = run_cli("sample", "--size", "5", "--oversample-flagged", factor, "-w", str(teams_ws.path))
        assert refused.returncode == 2 and "Traceback" not in refused.stderr
        assert refused.stderr.strip().splitlines() == [f"error: --oversample-flagged must be between 1 and 1000, not {float(factor)}"]


def test_audits_table_says_how_many_were_drawn_and_how(teams_ws):
    ws = str(teams_ws.path)
    assert run_cli("sample", "--size", "500", "--name", "all", "-w", ws).returncode == 0
    assert run_cli("sample", "--size", "10", "--stratify", "team", "--from", "2024-02-01", "--oversample-flagged", "2",
                   "--hide-model", "--method", "shuffle", "--name", "tilted", "-w", ws).returncode == 0
    table = run_cli("audits", "-w", ws, env={"COLUMNS": "200"})
    assert table.returncode == 0, table.stderr
    # Cells, not whole rows: the seed column is random and can hold "500" itself.
    rows = {cells[0]: cells for cells in (re.split(r"\s{2,}", line.strip()) for line in table.stdout.splitlines())}
    assert rows["audit"][2:6] == ["notes", "sampled", "method", "seed"]
    assert rows["all"][2:5] == ["100", "100 of 100 notes", "hash-rank"]  # drawn, not asked for (500)
    assert rows["tilted"][2:5] == ["10", "10 of 75 notes by team, 2024-02-01 to …, flagged x2, model hidden", "shuffle"]
    seeds = {a["name"]: str(a["params"]["seed"]) for a in json.loads(run_cli("audits", "--json", "-w", ws).stdout)}
    narrow = run_cli("audits", "-w", ws).stdout  # 80 columns: what names and draws an audit again is never cut
    assert all(len(line) <= 80 for line in narrow.splitlines())
    for audit, method in (("all", "hash-rank"), ("tilted", "shuffle")):
        assert re.search(rf"^{audit} .* {method} +{seeds[audit]} ", narrow, re.M), narrow
    # nor the dates it was drawn within ("2024-02-… to 2024-02-…" left the reader guessing which days), nor a header
    assert run_cli("sample", "--size", "3", "--by", "case", "--stratify", "team", "--from", "2024-02-01", "--to",
                   "2024-02-29", "--name", "march-files", "-w", ws).returncode == 0
    narrow = run_cli("audits", "-w", ws).stdout
    assert "2024-02-01" in narrow and "2024-02-29" in narrow and " reviewers" in narrow, narrow


def test_audit_and_reviewer_names_are_printed_as_written_not_read_as_markup(teams_ws):
    ws, name = str(teams_ws.path), "[/]QA [bold]march[/bold]"  # "[/]" closes nothing: rich's markup would raise
    drawn = run_cli("sample", "--size", "4", "--seed", "3", "--name", name, "-w", ws)
    assert drawn.returncode == 0 and "Traceback" not in drawn.stderr, drawn.stderr
    # the command to run next is quoted for the shell: pasted, `--audit [/]QA [bold]...` named another audit
    assert f"audit {name}: 4 notes of 100" in drawn.stderr and f"--audit {shlex.quote(name)}\n" in drawn.stderr
    shared = run_cli("assign", "--audit", name, "--reviewers", "[i]ann,bo", "--double", "0.5", "-w", ws)
    assert shared.returncode == 0 and f"review --audit {shlex.quote(name)} --reviewer" in shared.stderr, shared.stderr
    table = run_cli("audits", "-w", ws, env={"COLUMNS": "200"})
    assert table.returncode == 0 and name in table.stdout and "[i]ann, bo" in table.stdout, table.stderr
    ann = double_coding.audit_session(teams_ws, "[i]ann", name)
    ann.decide("delay_timeliness", "confirmed", ann.current_id)
    agreed = run_cli("agreement", "--audit", name, "-w", ws, env={"COLUMNS": "200"})
    assert agreed.returncode == 0 and f"agreement in audit {name} " in agreed.stdout, agreed.stderr
    assert "[i]ann ~ model" in agreed.stdout


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
def test_an_audits_command_draws_it_again_under_its_name_in_a_copy_of_the_data(tmp_path):
    # the command left --name out: run again, it drew the same sample under a new audit-<time> name
    notes = write_jsonl(tmp_path / "teams.jsonl", team_notes())
    first, copy = str(tmp_path / "ws"), str(tmp_path / "copy")
    for ws in (first, copy):
        assert run_cli("import", str(notes), "-w", ws).returncode == 0
    ids = {}
    for args in (("--by", "case", "--stratify", "team", "--name", "March QA's"), ()):  # a name to quote; a default one
        drawn = run_cli("sample", "--size", "4", *args, "-w", first)
        assert drawn.returncode == 0, drawn.stderr
        assert "4 case files (20 notes) of 20" in drawn.stderr if args else "4 notes of 100" in drawn.stderr
        ids[re.search(r"audit (.+?): ", drawn.stderr).group(1)] = drawn.stdout.split()
    audits = json.loads(run_cli("audits", "--json", "-w", first).stdout)
    assert [a["name"] for a in audits] == list(ids) and ids["March QA's"]
    for audit in audits:
        command = shlex.split(audit["params"]["command"])
        assert command[:2] == ["casereview", "sample"] and command[command.index("--name") + 1] == audit["name"]
        again = run_cli(*command[1:], "-w", copy)
        assert again.returncode == 0, again.stderr
        assert f"audit {audit['name']}: " in again.stderr and again.stdout.split() == ids[audit["name"]]
    # in the workspace that holds the audit, the record draws no second one of the same name
    taken = run_cli(*shlex.split(audits[0]["params"]["command"])[1:], "-w", first)
    assert taken.returncode == 2 and "already exists" in taken.stderr


def sampled_ids(drawn: sampling.Sample) -> set[str]:
    return {unit_id for unit_id, _, _ in drawn.units}


def test_a_redraw_after_coding_keeps_the_units_still_in_their_stratum(teams_ws):
    # Each stratum was drawn by a shuffle of the whole stratum seeded by (seed, stratum): a reviewer adding a concern
    # to three unflagged notes moved them out of label=none, and the redraw of label=none (and the new stratum's
    # share taken from it) was a different sample altogether, keeping about k/N of it
    spec = SampleSpec(size=40, stratify=("label",), seed=7)
    first = sampling.draw(teams_ws.note_facts(), spec)
    for note_id in ("n001", "n002", "n003"):  # unflagged notes, now with a supervision issue
        teams_ws.record_decision(note_id, "supervision_issue", "added", "ann")
    again = sampling.draw(teams_ws.note_facts(), spec)
    assert {s.key: s.sampled for s in again.strata} == {
        "label=delay_timeliness": 8, "label=none": 31, "label=supervision_issue": 1}
    # label=delay_timeliness kept its units and share: the same 8; label=none lost the moved notes and one unit of
    # its share: the rest stay
    stayed = {u for u, s, _ in first.units if u not in ("n001", "n002", "n003")}
    assert len(stayed - sampled_ids(again)) <= 1, (sorted(stayed - sampled_ids(again)))


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
def test_a_recorded_command_run_after_more_notes_came_keeps_most_of_the_audit(tmp_path):
    # The audit's command drawn again once a tenth more notes were imported kept about 40 * 40 / 110 of its 40 units:
    # every stratum's shuffle was over a bigger pool. Ranked by a hash of (seed, unit id), a unit leaves the sample
    # only when a new one outranks it: about 40 * 10 / 110
    first, later = str(tmp_path / "ws"), str(tmp_path / "later")
    notes = team_notes()
    more = [{**r, "note_id": f"m{i:03d}", "case_id": f"D{i // 5:02d}"} for i, r in enumerate(notes[::10])]
    assert run_cli("import", str(write_jsonl(tmp_path / "teams.jsonl", notes)), "-w", first).returncode == 0
    assert run_cli("import", str(write_jsonl(tmp_path / "all.jsonl", notes + more)), "-w", later).returncode == 0
    for args in (("--by", "note", "--stratify", "team"), ("--by", "case"), ("--by", "note", "--stratify", "label")):
        name = "-".join(args[1::2])
        drawn = run_cli("sample", "--size", "40" if args[1] == "note" else "8", *args, "--seed", "7", "--name", name, "-w", first)
        assert drawn.returncode == 0, drawn.stderr
        params = next(a for a in json.loads(run_cli("audits", "--json", "-w", first).stdout) if a["name"] == name)["params"]
        assert params["method"] == "hash-rank" and "--method hash-rank" in params["command"]
        again = run_cli(*shlex.split(params["command"])[1:], "-w", later)
        assert again.returncode == 0, again.stderr
        kept = set(drawn.stdout.split()) & set(again.stdout.split())
        assert len(kept) >= (34 if args[1] == "note" else 6), (args, len(kept))


def test_hash_ranking_draws_a_simple_random_sample_within_a_stratum():
    # Every 2 of 6 units equally likely (1 in 15) over seeds, as a draw without replacement gives
    facts = [NoteFacts(f"u{i}", None, None, None, None, None, (), {}) for i in range(6)]
    pairs = Counter(frozenset(sampled_ids(sampling.draw(facts, SampleSpec(size=2, seed=seed)))) for seed in range(3000))
    assert len(pairs) == 15 and all(140 <= n <= 260 for n in pairs.values()), pairs


def test_weights_stay_inverse_inclusion_probabilities_and_weighted_rates_unbiased_under_hash_ranking():
    # 300 notes in three teams; flagged notes (a suggestion) over-sampled x3; the concern is commoner among flagged
    # notes and differs by team. Over many seeds each unit is drawn as often as its weight says (n/N of its stratum)
    # and the report's weighted rate averages to the population's.
    facts, concern = [], {}
    for i in range(300):
        team, flagged = "abc"[i % 3], i % 4 == 0
        concern[f"n{i:03d}"] = (i % 7 < (4 if flagged else 1)) or (team == "c" and i % 5 == 0)
        facts.append(NoteFacts(f"n{i:03d}", None, None, None, team, None, ("delay_timeliness",) if flagged else (), {}))
    truth = sum(concern.values()) / len(concern)
    drawn_times, weight_of, estimates = Counter(), {}, []
    seeds = range(600)
    for seed in seeds:
        drawn = sampling.draw(facts, SampleSpec(size=30, stratify=("team",), oversample=3, seed=seed))
        strata = {s.key: s for s in drawn.strata}
        for unit_id, key, weight in drawn.units:
            assert weight == strata[key].population / strata[key].sampled
            drawn_times[unit_id] += 1
            weight_of[unit_id] = weight
        estimates.append(report.Rate.of([(concern[u], w) for u, _, w in drawn.units]).estimate)
    assert len(weight_of) == 300
    for unit_id, times in drawn_times.items():  # 600 draws at p = 1/weight: within 4.5 standard deviations
        p = 1 / weight_of[unit_id]
        assert abs(times - 600 * p) <= 4.5 * math.sqrt(600 * p * (1 - p)), unit_id
    mean = sum(estimates) / len(estimates)
    spread = math.sqrt(sum((e - mean) ** 2 for e in estimates) / (len(estimates) - 1) / len(estimates))
    assert abs(mean - truth) <= 4 * spread, (mean, truth, spread)


# Samples as casereview 0.1.0 drew them (a shuffle of each stratum seeded by seed and stratum), pinned: an audit
# drawn then must draw again exactly as recorded.
SHUFFLED_SAMPLES = [
    ({"size": 8, "stratify": ("team", "month"), "seed": 42}, ["n009", "n038", "n039", "n048", "n062", "n067", "n072", "n089"]),
    ({"size": 4, "unit": "case", "stratify": ("team",), "seed": 3, "oversample": 2}, ["C00", "C08", "C12", "C19"]),
]


@pytest.mark.parametrize("design, ids", SHUFFLED_SAMPLES)
def test_an_audit_drawn_by_seeded_shuffle_draws_again_exactly(teams_ws, design, ids):
    spec = SampleSpec(**design, method="shuffle")
    drawn = sampling.draw(teams_ws.note_facts(), spec)
    assert [u for u, _, _ in drawn.units] == ids
    params = drawn.params("old")
    assert params["method"] == "shuffle" and " --method shuffle --name old" in params["command"]
    hashed = sampling.draw(teams_ws.note_facts(), replace(spec, method="hash-rank"))
    assert sampled_ids(hashed) != set(ids) and hashed.strata == drawn.strata  # same shares, other units


def test_an_unknown_sampling_method_is_refused():
    with pytest.raises(CaseReviewError, match="--method 'random': choose from hash-rank, shuffle"):
        SampleSpec(size=5, method="random").check()


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
def test_the_report_says_how_the_sample_was_drawn(teams_ws):
    ws = str(teams_ws.path)
    assert run_cli("sample", "--size", "10", "--stratify", "team", "--seed", "3", "--name", "new", "-w", ws).returncode == 0
    assert run_cli("sample", "--size", "10", "--stratify", "team", "--seed", "3", "--method", "shuffle", "--name", "old",
                   "-w", ws).returncode == 0
    for name, method, words in (("new", "hash-rank", sampling.METHODS["hash-rank"]),
                                ("old", "shuffle", sampling.METHODS["shuffle"])):
        md = run_cli("report", "--audit", name, "--format", "md", "-w", ws)
        assert md.returncode == 0, md.stderr
        assert words in " ".join(md.stdout.split())
        rows = csv.DictReader(run_cli("report", "--audit", name, "--format", "csv", "-w", ws).stdout.splitlines())
        parameters = {r["measure"]: r["value"] for r in rows if r["section"] == "parameters"}
        assert parameters["method"] == method and f"--method {method} " in parameters["command"]


def test_white_space_around_an_audit_name_is_not_part_of_it(teams_ws):
    # `sample --name " march"` saved " march", which `--audit march` could not find; reviewer names are stripped
    name, _ = sampling.sample(teams_ws, SampleSpec(size=5, seed=1), " march\t")
    assert name == "march" and [a.name for a in teams_ws.audits()] == ["march"]
    with pytest.raises(CaseReviewError, match="an audit named 'march' already exists"):
        sampling.sample(teams_ws, SampleSpec(size=5, seed=2), "march ")


def test_an_audit_saved_with_white_space_around_its_name_is_found_by_the_name_and_as_saved(teams_ws):
    drawn = sampling.draw(teams_ws.note_facts(), SampleSpec(size=6, seed=1), None)
    teams_ws.create_audit(" march", drawn.params(" march"), drawn.items)  # as casereview saved it before
    summary = double_coding.assign(teams_ws, "march", ["ann", "bo"])
    assert sum(summary.notes_per_reviewer.values()) == 6 and len(teams_ws.assignments(" march")) == 6
    assert double_coding.audit_session(teams_ws, "ann", "march").note_ids == \
        double_coding.audit_session(teams_ws, "ann", " march").note_ids != []
    assert report.build(teams_ws, "march", check=None).audit == " march"
    with pytest.raises(CaseReviewError, match="an audit named ' march' already exists"):
        sampling.sample(teams_ws, SampleSpec(size=5, seed=2), "march")
    with pytest.raises(CaseReviewError, match="--audit 'april': no audit of that name"):
        double_coding.assign(teams_ws, "april", ["ann"])


def test_the_sample_command_saves_the_name_without_its_spaces(tmp_path):
    ws = str(tmp_path / "ws")
    assert run_cli("import", str(write_jsonl(tmp_path / "teams.jsonl", team_notes())), "-w", ws).returncode == 0
    drawn = run_cli("sample", "--size", "4", "--name", " march", "-w", ws)
    assert drawn.returncode == 0, drawn.stderr
    assert "audit march:" in drawn.stderr and "review --audit march" in drawn.stderr
    shared = run_cli("assign", "--audit", "march", "--reviewers", "ann", "-w", ws)
    assert shared.returncode == 0, shared.stderr


def test_an_audit_name_no_audit_has_is_refused_naming_the_option_that_gave_it(tmp_path):
    # "error: no audit named 'marhc-qa' in this workspace" named no option, nor where the audits are listed
    ws = str(tmp_path / "ws")
    assert run_cli("import", str(write_jsonl(tmp_path / "teams.jsonl", team_notes())), "-w", ws).returncode == 0
    for command, option in ((("agreement",), "--audit"), (("report",), "--audit"),
                            (("assign", "--reviewers", "ann"), "--audit"),
                            (("review", "--reviewer", "S. Senior"), "--adjudicate")):
        done = run_cli(*command, option, "marhc-qa", "-w", ws)
        assert done.returncode == 2, (command, done.stderr)
        assert done.stderr.startswith(f"error: {option} 'marhc-qa': no audit of that name in this workspace "
                                      "(casereview audits lists them)"), (command, done.stderr)
