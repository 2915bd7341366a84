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


#: Unicode's format characters that change what is shown around them without showing themselves: a right-to-left
#: override, embeddings, isolates and marks reorder what follows (Trojan Source); zero-width characters, a
#: byte-order mark and a soft hyphen make two names that look the same two reviewers.
INVISIBLE = ["ann\u202eqa", "ann\u202aqa", "ann\u2066qa", "ann\u2069", "\u200fann", "ann\u200bqa", "ann\ufeffqa",
             "an\u00adn", "an\u200dn", "an\u200cn", "\u200dann"]


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_name_holding_a_bidirectional_control_or_invisible_character_is_refused_naming_it(name, ws, monkeypatch):
    with pytest.raises(CaseReviewError, match=r"^--reviewer: the name holds an? .*\(U\+[0-9A-F]{4}, character \d+\)"
                       ) as refused:
        reviewer_name(name)
    assert name not in str(refused.value) and str(refused.value).isprintable()
    with pytest.raises(CaseReviewError, match=r"^--reviewers: .*U\+"):
        double_coding.parse_reviewers(f"bo,{name}")
    with pytest.raises(CaseReviewError, match=r"^--name: .*U\+"):
        sampling.sample(ws, SampleSpec(size=2, seed=1), name)
    assert ws.audits() == []
    monkeypatch.setenv("CASEREVIEW_REVIEWER", name)
    with pytest.raises(CaseReviewError, match=r"^\$CASEREVIEW_REVIEWER: .*U\+"):
        reviewer_name(None)


def test_the_right_to_left_override_is_named_as_one():
    with pytest.raises(CaseReviewError) as refused:
        reviewer_name("ann\u202e")
    assert str(refused.value).startswith("--reviewer: the name holds a bidirectional control (U+202E, character 4)")


def test_a_joiner_between_letters_of_a_script_that_needs_it_is_kept():
    # Persian writes a zero-width non-joiner inside names (Mehr-angiz), Malayalam and other Indic scripts a joiner
    # after a virama; an emoji sequence joins its pictures. Between Latin letters a joiner shows nothing.
    for name in ("مهر\u200cانگیز", "സ്\u200dത്രീ", "क्\u200dष", "ann 👩\u200d💻"):
        assert reviewer_name(name) == name
        assert double_coding.parse_reviewers(f"bo,{name}") == ["bo", name]


def test_a_name_from_bytes_that_are_not_utf8_is_refused_naming_the_byte(monkeypatch):
    # Python reads such bytes of an argument or a variable as lone surrogates, which SQLite cannot store: the
    # decision, audit or assignment ended in a traceback (UnicodeEncodeError)
    with pytest.raises(CaseReviewError, match=r"^--reviewer: the name holds a byte that is not UTF-8 \(0xFF, "
                                              r"character 2\)"):
        reviewer_name("b\udcffo")
    monkeypatch.setenv("CASEREVIEW_REVIEWER", "b\udcffo")
    with pytest.raises(CaseReviewError, match=r"^\$CASEREVIEW_REVIEWER: .*0xFF"):
        reviewer_name(None)
    with pytest.raises(CaseReviewError, match=r"^--reviewers: .*0xE9"):
        double_coding.parse_reviewers("bo,Si\udce9n")


def test_white_space_around_a_reviewer_name_is_not_part_of_it(monkeypatch):
    # assign --reviewers " ann" assigned ann, and review --reviewer " ann" coded as " ann": one person, two reviewers,
    # and the audit's share assigned to ann was not found for " ann"
    assert reviewer_name(" ann\t") == "ann" == reviewer_name("ann\u00a0")
    assert double_coding.parse_reviewers(" ann , bo") == ["ann", "bo"]
    monkeypatch.setenv("CASEREVIEW_REVIEWER", "  Siân O'Brien ")
    assert reviewer_name(None) == "Siân O'Brien"
    for unset in ("CASEREVIEW_REVIEWER", "LNAME", "USERNAME"):
        monkeypatch.delenv(unset, raising=False)
    monkeypatch.setenv("LOGNAME", "ann ")
    assert reviewer_name(None) == "ann"


def test_an_argument_that_is_not_utf8_is_one_line_naming_its_option_not_a_traceback(ws, tmp_path):
    # `sample --name $'qa\xff'`, `review --case $'C\xe9'` and a file named in Latin-1 ended in a traceback
    # (UnicodeEncodeError) wherever the argument reached SQLite or the screen
    folder = str(ws.path)
    for args, named in ((["sample", "--size", "2", "--name", "qa\udcff"], "--name"),
                        (["assign", "--audit", "qa", "--reviewers=ann,b\udcffo"], "--reviewers"),
                        (["report", "--case", "C\udce9"], "--case"),
                        (["import", "--update", str(tmp_path / "caf\udce9.jsonl")], "argument 3")):
        refused = run_cli(*args, "-w", folder)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr, refused.stderr
        assert refused.stderr.startswith(f"error: {named}: not UTF-8 text (a byte 0x"), refused.stderr
        assert len(refused.stderr.splitlines()) == 1
    assert ws.audits() == []
