"""keys.toml: rebinding by binding id; a mistake in the file is an error naming the file and the id, not ignored."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from textual.screen import Screen

from casereview.adjudication import AdjudicationSession
from casereview.errors import CaseReviewError
from casereview.tui.audit_apps import AdjudicationApp, audit_app
from casereview.tui.keymap import bound_keys, load_keymap, screen_chains

from ..conftest import NOTES, run_cli, write_jsonl
from .conftest import press, settle
from .test_audit_apps import disputed
from .test_pii_findings import NOTE


def keys_file(tmp_path, text: str):
    path = tmp_path / "keys.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_known_binding_ids_of_every_screen_load(tmp_path):
    path = keys_file(tmp_path, '[keys]\nconfirm = "x"\nsettle_concern = "c"\nrow_down = "J"\npii_redact = "R"\n')
    assert load_keymap(path) == {"confirm": "x", "settle_concern": "c", "row_down": "J", "pii_redact": "R"}


def test_an_unknown_binding_id_is_an_error_naming_the_file_and_the_id(tmp_path):
    path = keys_file(tmp_path, '[keys]\nconfirm = "x"\nconfrim = "y"\naccept = "A"\n')
    with pytest.raises(CaseReviewError) as raised:
        load_keymap(path)
    message = str(raised.value)
    assert str(path) in message and "'confrim'" in message and "'accept'" in message
    assert "accept_all" in message  # the ids it knows, to choose from


def review_with_keys(tmp_path, path) -> subprocess.CompletedProcess:
    """The real ``casereview review`` with the keys file ``path``; without a terminal the app would wait for keys:
    a run that gets as far as opening it times out."""
    ws = str(tmp_path / "ws")
    assert run_cli("import", str(write_jsonl(tmp_path / "n.jsonl", NOTES)), "-w", ws).returncode == 0
    return subprocess.run([sys.executable, "-m", "casereview", "review", "-w", ws],
                          env={**os.environ, "CASEREVIEW_KEYS": str(path)},
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)


def test_review_refuses_a_keys_file_with_an_unknown_id_before_opening(tmp_path):
    path = keys_file(tmp_path, '[keys]\nconfrim = "x"\n')
    result = review_with_keys(tmp_path, path)
    assert result.returncode == 2
    assert str(path) in result.stderr and "confrim" in result.stderr


def clash_message(tmp_path, text: str) -> str:
    path = keys_file(tmp_path, text)
    with pytest.raises(CaseReviewError) as raised:
        load_keymap(path)
    message = str(raised.value)
    assert str(path) in message
    return message


def test_a_key_given_to_two_bindings_of_one_screen_is_an_error_naming_the_key_and_both_ids(tmp_path):
    # the note screen's 'comment' would lose to the label panel's 'confirm' (y), and vanish from help
    message = clash_message(tmp_path, '[keys]\ncomment = "y"\n')
    assert "'y'" in message and "'comment'" in message and "'confirm'" in message
    # a list's row_down would lose the app's queue key (l), or take it
    message = clash_message(tmp_path, '[keys]\nrow_down = "j,l"\n')
    assert "'l'" in message and "'row_down'" in message and "'queue'" in message
    # written as a reader types it: '?' is the help key
    message = clash_message(tmp_path, '[keys]\nsearch = "?"\n')
    assert "'?'" in message and "'search'" in message and "'help'" in message


def test_a_key_taken_from_textuals_own_binding_of_the_screen_is_an_error_too(tmp_path):
    # the command palette row of help would vanish; on a list, Left scrolls the list and never goes back
    message = clash_message(tmp_path, '[keys]\nsearch = "ctrl+p"\n')
    assert "'ctrl+p'" in message and "'search'" in message and "command_palette" in message
    message = clash_message(tmp_path, '[keys]\nback = "escape,left"\n')
    assert "'Left'" in message and "'back'" in message and "scroll_left" in message


def test_a_key_may_mean_different_things_on_different_screens(tmp_path):
    # adjudication's keys vs the note screen's; a modal screen's vs the app's; lists vs the note screen
    text = ('[keys]\nsettle_concern = "c"\ndispute_down = "z"\npii_false_alarm = "l"\npii_redact = "p"\n'
            'open = "c"\nclose_help = "escape,f"\n')  # c: the note screen's comment, free on the lists
    assert load_keymap(keys_file(tmp_path, text))["pii_redact"] == "p"


def test_a_key_given_to_the_queue_lists_timeline_and_another_of_its_keys_is_refused(tmp_path):
    # the queue list's t (timeline) was checked as part of no screen's keys: open = "t" was let through, and one of
    # the two keys silently stopped working there
    with pytest.raises(CaseReviewError, match="'t' is the key of 'open' and 'timeline' on the queue list"):
        load_keymap(keys_file(tmp_path, '[keys]\nopen = "t"\n'))


def test_keys_swapped_between_two_bindings_do_not_clash(tmp_path):
    assert load_keymap(keys_file(tmp_path, '[keys]\nconfirm = "n"\nreject = "y"\n')) == {"confirm": "n", "reject": "y"}


def test_the_shipped_keys_have_no_clash():
    from casereview.tui.keymap import clashes

    assert clashes({}) == []


def test_review_refuses_a_keys_file_with_a_clash_before_opening(tmp_path):
    path = keys_file(tmp_path, '[keys]\ncomment = "y"\n')
    result = review_with_keys(tmp_path, path)
    assert result.returncode == 2
    assert str(path) in result.stderr and "'comment'" in result.stderr and "'confirm'" in result.stderr


# -- the binding chains load_keymap checks are the ones the running apps have --------------------------
def check_chain(screen) -> str:
    """The screen's bindings in force (shadowed ones too) are those of the chain load_keymap reads for it."""
    name = next(name for name, chain in screen_chains().items()
                if isinstance(screen, next(cls for cls in chain if issubclass(cls, Screen))))
    in_force: dict[str, set[str]] = {}
    for _node, bindings in screen._modal_binding_chain:  # what Textual looks a key up in, first to last
        for key, binding in bindings:
            in_force.setdefault(key, set()).add(binding.id or binding.action)
    assert in_force == bound_keys(screen_chains()[name], {}), f"{type(screen).__name__}: not as in {name}"
    return name


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
async def test_the_chains_checked_are_those_of_every_screen_of_the_review_app(open_imported):
    async with open_imported(NOTE) as pilot:  # a note with personal-data findings: d opens them
        seen = {check_chain(pilot.app.screen)}
        for key in ("l", "F", "t", "p", "question_mark", "d"):
            await press(pilot, key)
            seen.add(check_chain(pilot.app.screen))
            await press(pilot, "escape")
        await pilot.resize_terminal(59, 24)
        await settle(pilot)
        seen.add(check_chain(pilot.app.screen))
    assert seen == set(screen_chains()) - {"the adjudication screen"}


async def test_the_chains_checked_are_those_of_the_audit_and_adjudication_apps(workspace):
    disputed(workspace, notes=1, labels=1)  # audit qa, and a dispute in it
    app = audit_app(workspace, "ann", audit="qa")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("l", "p"):  # the audit's own queue and progress screens
            await press(pilot, key)
            check_chain(app.screen)
            await press(pilot, "escape")
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert check_chain(app.screen) == "the adjudication screen"
        await press(pilot, "question_mark")
        assert check_chain(app.screen) == "help"


def test_every_binding_id_of_our_classes_is_one_a_keys_file_may_name():
    # binding_ids reads the classes of screen_chains: a class of ours with a binding id outside them would have keys
    # neither rebindable nor checked for clashes
    from textual.dom import DOMNode

    from casereview.tui import audit_apps  # noqa: F401 - the apps, their screens and widgets
    from casereview.tui.keymap import binding_ids
    from casereview.tui.screens import pii_findings  # noqa: F401 - imported only when opened

    ids, classes = set(), [DOMNode]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if cls.__module__.startswith("casereview."):
            ids.update(binding.id for binding in cls.BINDINGS if binding.id)
    assert binding_ids() == ids and "confirm" in ids and "pii_redact" in ids


def test_an_empty_key_is_an_error_naming_the_file_and_the_id(tmp_path):
    path = keys_file(tmp_path, '[keys]\ncomment = ""\nconfirm = "y,,x"\n')
    with pytest.raises(CaseReviewError) as raised:
        load_keymap(path)
    assert str(path) in str(raised.value) and "'comment', 'confirm'" in str(raised.value)



def test_an_alt_key_is_an_error_naming_the_file_and_the_id(tmp_path):
    # the apps read ESC and a key as Escape, then the key (escape_keys): a key rebound to alt+x would never act
    path = keys_file(tmp_path, '[keys]\ncomment = "c, Alt+c"\nconfirm = "y"\n')
    with pytest.raises(CaseReviewError) as raised:
        load_keymap(path)
    assert str(path) in str(raised.value) and "'comment': an alt+ key never arrives" in str(raised.value)

async def test_the_notice_under_60_columns_names_and_takes_the_quit_key_as_rebound(make_app):
    from .conftest import until_stopped
    from .test_narrow import shown_text

    app = make_app(keymap={"quit": "Q"})
    async with app.run_test(size=(50, 20)) as pilot:
        await settle(pilot)
        assert "Q quits" in shown_text(app)
        await press(pilot, "q")  # not bound here any more
        assert app.is_running
        await pilot.press("Q")
        await until_stopped(app)
