"""README.md and every command's --help against the code: each command and option the README names exists as named,
each command's help has a summary, its options described and an example whose options exist, and the figures and
values the README gives a newcomer (the note fields' values, the labels, the binding ids, the shipped models'
versions, the sample corpus's counts) are the code's and the corpus's."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
import pytest
import typer

from casereview import taxonomy
from casereview.cli import app
from casereview.notes import MAX_FIELD_CHARS, MAX_TEXT_BYTES, validate

from .test_architecture import names_not_in_the_code

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI = typer.main.get_command(app)
CONTEXT = click.Context(CLI)


def is_group(command) -> bool:
    # typer carries its own copy of click: its groups are no click.Group
    return hasattr(command, "list_commands")


def commands(command=CLI, path: tuple[str, ...] = ()):
    """Every command and subcommand, with the words that name it (``("models", "promote")``)."""
    yield path, command
    if is_group(command):
        for name in command.list_commands(CONTEXT):
            yield from commands(command.get_command(CONTEXT, name), path + (name,))


def options(command) -> set[str]:
    return {name for param in command.params for name in (*param.opts, *getattr(param, "secondary_opts", ()))}


def resolved(words: list[str]) -> tuple[tuple[str, ...], object | None, list[str]]:
    """The command a command line's words name, and the words after its name; None if no command has that name."""
    command, path = CLI, ()
    while words and is_group(command) and not words[0].startswith("-"):
        sub = command.get_command(CONTEXT, words[0])
        if sub is None:
            return path + (words[0],), None, words[1:]
        command, path, words = sub, path + (words[0],), words[1:]
    return path, command, words


def problems(line: str) -> list[str]:
    """What is wrong with a ``casereview ...`` command line: a command that does not exist, or one given an option
    it does not have (each command of a pipeline or list, ``casereview pii rescan && casereview pii findings``)."""
    parts = re.split(r"\s(?:&&|\|\||\||;)\s", line)
    if len(parts) > 1:
        return [problem for part in parts if part.startswith("casereview ") for problem in problems(part)]
    try:
        words = shlex.split(line.replace("\\\n", " "))
    except ValueError:  # a quote the README left open in prose
        words = line.split()
    path, command, rest = resolved(words[1:])
    if command is None:
        return [f"no command {' '.join(path)!r}: {line}"]
    if is_group(command):
        return [f"{' '.join(path)} needs a subcommand: {line}"]
    given = {word.partition("=")[0] for word in rest if re.match(r"--?[a-zA-Z]", word)}
    return [f"{' '.join(path)} has no option {option}: {line}" for option in sorted(given - options(command))]


def readme_command_lines(text: str) -> list[str]:
    """The README's command lines: each shell block's lines that run ``casereview`` (a comment after two spaces or
    more left out, a line ending in a backslash joined to the next), and every `casereview ...` quoted in prose."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if line.lstrip().startswith("casereview "):
                lines.append(re.split(r"\s{2,}#", line.strip())[0])
    lines += re.findall(r"`(casereview [^`]+)`", text)
    return lines


def test_the_readme_s_command_lines_are_read_and_a_wrong_one_is_told():
    lines = readme_command_lines(README)
    assert "casereview import corpora/sample/notes.jsonl" in lines
    assert "casereview models promote concern-0.11.0 --force" in lines
    assert len(lines) > 80
    assert problems("casereview models retire local-1") and problems("casereview sample --size 4 --stratum label")


def test_every_command_line_in_the_readme_names_a_command_and_options_it_has():
    wrong = [problem for line in readme_command_lines(README) for problem in problems(line)]
    assert not wrong


def test_every_option_the_readme_names_is_an_option_of_a_command_or_a_bench_script():
    known = set().union(*(options(command) for _, command in commands()), {"--help"})
    for script in (ROOT / "bench").glob("*.py"):
        known |= set(re.findall(r"add_argument\(\s*\"(--[a-z-]+)\"", script.read_text(encoding="utf-8")))
    named = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", README))
    assert not named - known


def test_every_command_s_help_has_a_summary_its_options_described_and_an_example():
    for path, command in commands():
        summary = (command.help or "").strip().partition("\n\n")[0]  # what the list of commands shows
        assert summary and "Example" not in summary, f"casereview {' '.join(path)}: no one-line summary"
        assert re.search(r"Examples?\[/\]", command.help or ""), f"casereview {' '.join(path)}: no example"
        undescribed = [param.name for param in command.params if not getattr(param, "help", None)]
        assert not undescribed, f"casereview {' '.join(path)}: options without a description"


def test_every_example_in_the_help_names_a_command_and_options_it_has():
    wrong = []
    for path, command in commands():
        examples = (command.help or "").partition("Examples")[2] or (command.help or "").partition("Example")[2]
        lines = [line.strip() for line in examples.splitlines() if line.strip().startswith("casereview ")]
        assert lines, f"casereview {' '.join(path)}: no example command"
        wrong += [problem for line in lines for problem in problems(line)]
    assert not wrong


def test_every_name_the_readme_gives_in_backticks_is_in_the_code():
    # but for other programs' names: Textual's ESCDELAY, Python's punycode codec
    assert names_not_in_the_code(README) == ["ESCDELAY", "punycode"]


def test_the_keys_toml_example_names_every_binding_id_and_no_other():
    from casereview.tui.keymap import binding_ids

    example = README.partition("```toml")[2].partition("```")[0]
    comments = " ".join(line.partition("#")[2] for line in example.splitlines())
    comments = re.sub(r"\([^)]*\)|binding ids:|lists|adjudication:|personal-data findings:|:", " ", comments)
    named = set()
    for word in comments.split():
        if word.endswith("_1..toggle_7"):
            named |= {f"toggle_{n}" for n in range(1, 8)}
        elif word.endswith("_*"):  # definition_*, note_*: every id of that start
            named |= {i for i in binding_ids() if i.startswith(word[:-1])}
        else:
            named.add(word)
    assert named == binding_ids()


def test_the_note_fields_table_gives_the_codebook_s_values_and_its_example_is_a_valid_note():
    section = README.partition("## The notes it reads")[2].partition("\n## ")[0]
    rows = {row.split("|")[1].strip(" `"): row.split("|")[3] for row in section.splitlines() if row.startswith("| `")}
    assert re.findall(r"`(\w+)`", rows["author_role"]) == list(taxonomy.AUTHOR_ROLES)
    assert re.findall(r"`(\w+)`", rows["note_type"]) == list(taxonomy.NOTE_TYPES)
    assert f"up to {MAX_FIELD_CHARS['note_id']} characters" in rows["note_id"]
    assert f"at most {MAX_TEXT_BYTES / 1_000_000:g} MB" in rows["text"]
    labels_sentence = section.partition("The labels are")[2].partition("A note to review")[0]
    assert re.findall(r"`(\w+)`", labels_sentence) == list(taxonomy.LABEL_NAMES)
    said_core = re.findall(r"`(\w+)`", labels_sentence.partition("(the three core labels)")[0])[-3:]
    assert set(said_core) == set(taxonomy.CORE_LABELS)
    example = json.loads(section.partition("```json\n")[2].partition("```")[0])
    assert validate(example, "README.md", 1).labels is None  # a note to review: no decisions


def test_the_shipped_models_the_readme_names_are_the_ones_shipped():
    from casereview.pii.scanner import RULES_VERSION

    concern = json.loads((ROOT / "casereview" / "shipped_models.json").read_text(encoding="utf-8"))["default"]
    pii = json.loads((ROOT / "casereview" / "pii" / "shipped.json").read_text(encoding="utf-8"))["default"]
    assert set(re.findall(r"concern-\d+\.\d+\.\d+", README)) == {concern}
    scanner_versions = re.findall(r"(pii-[0-9a-f]{8}-[0-9a-f]+-\w+?)(?:\+rules\.(\d+))?`", README)
    assert set(scanner_versions) == {(pii, str(RULES_VERSION))}
    assert (ROOT / "models" / concern / "MODEL_CARD.md").exists()


@pytest.fixture(scope="module")
def sample_corpus() -> list[dict]:
    with open(ROOT / "corpora" / "sample" / "notes.jsonl", encoding="utf-8") as corpus:
        return [json.loads(line) for line in corpus]


def test_the_sample_corpus_s_counts_the_readme_gives(sample_corpus):
    splits = {split: sum(1 for note in sample_corpus if note["split"] == split) for split in ("train", "dev", "test")}
    voices = {note["origin"] for note in sample_corpus if note.get("origin", "").startswith("hand:")}
    ado_002 = sum(1 for note in sample_corpus if note["case_id"] == "ADO-002")
    formula_starts = sum(1 for note in sample_corpus if note["text"][:1] in "=+-@\t\r")
    readme = " ".join(README.split())  # its sentences as read, not as wrapped
    said = [f"{len(sample_corpus):,} such notes", f"training on {splits['train']:,} train notes",
            f"tuning on {splits['dev']:,} dev notes", f"{splits['test']:,} notes, every label decided",
            f"of {len(voices)} voices left out", f"case ADO-002 (1 of {ado_002})",
            f"Timeline of case ADO-002 — {ado_002} notes",
            f"the sample corpus has {'two' if formula_starts == 2 else formula_starts} notes whose text starts"]
    assert [words for words in said if words not in readme] == []
