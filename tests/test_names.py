"""Names people give (--reviewer, $CASEREVIEW_REVIEWER, --reviewers, an audit's --name) are one line of printable
text: a line break split a name over two rows of `audits` and the review header, and an escape character in one was
sent to the terminal as it was (`assign --reviewers 'bo\\x1b[31m'` turned the rest of the line red)."""

from __future__ import annotations

import pytest

from casereview import double_coding, sampling
from casereview.errors import CaseReviewError
from casereview.notes import validate
from casereview.review import reviewer_name
from casereview.sampling import SampleSpec
from casereview.workspace import Workspace

from .conftest import NOTES, UNPRINTABLE, run_cli


@pytest.fixture
def ws(tmp_path):
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([validate(r, "notes.jsonl", n) for n, r in enumerate(NOTES, 1)], "notes.jsonl")
        yield ws


@pytest.mark.parametrize("name", UNPRINTABLE)
def test_a_name_holding_a_line_break_or_control_character_is_refused_naming_the_option(name, ws, monkeypatch):
    with pytest.raises(CaseReviewError, match=r"^--name: .*line") as refused:
        sampling.sample(ws, SampleSpec(size=2, seed=1), name)
    assert name not in str(refused.value)  # the character is named, not printed
    assert ws.audits() == []  # nothing drawn
    with pytest.raises(CaseReviewError, match=r"^--reviewers: .*line"):
        double_coding.parse_reviewers(f"ann,{name}")
    with pytest.raises(CaseReviewError, match=r"^--reviewer: .*line"):
        reviewer_name(name)
    monkeypatch.setenv("CASEREVIEW_REVIEWER", name)
    with pytest.raises(CaseReviewError, match=r"^\$CASEREVIEW_REVIEWER: .*line"):
        reviewer_name(None)


def test_names_of_any_script_with_spaces_and_punctuation_are_kept_as_given(ws):
    for name in ("A. Inspector", "Siân O'Brien-Jones", "Ffion ap Rhys", "张伟", "Zoë (QA lead)", "[/]QA"):
        assert reviewer_name(name) == name
        assert double_coding.parse_reviewers(f"ann, {name}") == ["ann", name]
    assert sampling.sample(ws, SampleSpec(size=2, seed=1), "Siân's QA — March")[0] == "Siân's QA — March"


def test_the_commands_refuse_such_a_name_with_one_line_naming_the_option(ws, tmp_path):
    folder = str(ws.path)
    drawn = run_cli("sample", "--size", "2", "--name", "march\nqa", "-w", folder)
    assert drawn.returncode == 2 and drawn.stderr.startswith("error: --name: ") and drawn.stdout == ""
    assert len(drawn.stderr.splitlines()) == 1 and "Traceback" not in drawn.stderr
    assert run_cli("audits", "--json", "-w", folder).stdout.strip() == "[]"
    assert run_cli("sample", "--size", "2", "--name", "qa", "-w", folder).returncode == 0
    shared = run_cli("assign", "--audit", "qa", "--reviewers", "ann,bo\x1b[31m", "-w", folder)
    assert shared.returncode == 2 and shared.stderr.startswith("error: --reviewers: "), shared.stderr
    assert "\x1b" not in shared.stderr + shared.stdout
    # refused before anything opens: not the UI, nor a workspace (this one does not exist)
    nowhere = str(tmp_path / "nowhere")
    review = run_cli("review", "--reviewer", "ann\nbo", "-w", nowhere)
    assert review.returncode == 2 and review.stderr.startswith("error: --reviewer: "), review.stderr
    from_env = run_cli("review", "-w", nowhere, env={"CASEREVIEW_REVIEWER": "ann\x1b]0;title\x07"})
    assert from_env.returncode == 2 and from_env.stderr.startswith("error: $CASEREVIEW_REVIEWER: "), from_env.stderr


def test_a_blank_reviewer_name_is_refused_naming_where_it_came_from(monkeypatch, tmp_path):
    # --reviewer " " was recorded on every decision as a reviewer with no name, shown as a blank in tables and reports
    for blank in ("", " ", "\u00a0 "):
        with pytest.raises(CaseReviewError, match=r"^--reviewer: .*blank"):
            reviewer_name(blank)
    monkeypatch.setenv("CASEREVIEW_REVIEWER", "  ")
    with pytest.raises(CaseReviewError, match=r"^\$CASEREVIEW_REVIEWER: .*blank"):
        reviewer_name(None)
    review = run_cli("review", "--reviewer", " ", "-w", str(tmp_path / "nowhere"))
    assert review.returncode == 2 and review.stderr.startswith("error: --reviewer: "), review.stderr


@pytest.mark.parametrize("variable", ["LOGNAME", "USER"])
def test_the_os_user_name_is_checked_as_a_given_name_is_naming_its_variable(variable, monkeypatch):
    # the fallback to the OS user ($LOGNAME, $USER...: getpass) was not checked: an escape character in $LOGNAME
    # reached the review header, the terminal and every table as it was
    for unset in ("CASEREVIEW_REVIEWER", "LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(unset, raising=False)
    monkeypatch.setenv(variable, "bo\x1b[31m")
    with pytest.raises(CaseReviewError, match=rf"^\${variable}: .*line") as refused:
        reviewer_name(None)
    assert "\x1b" not in str(refused.value)
    monkeypatch.setenv(variable, " ")
    with pytest.raises(CaseReviewError, match=rf"^\${variable}: .*blank"):
        reviewer_name(None)
    monkeypatch.setenv(variable, "Siân")
    assert reviewer_name(None) == "Siân"
