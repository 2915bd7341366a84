"""The ``casereview`` command: a thin typer shell over the library.

Exit codes: 0 ok; 1 a failed check or findings; 2 bad usage or bad input. A reader of stdout
that stops early (| head) changes none of them (cli_stdout).
"""

from __future__ import annotations

import contextlib
import json
import sys
import textwrap
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.console import Console
from typer.core import TyperGroup
from rich.text import Text

from . import exporter, importer
from .cli_stdout import OutputToStdout, StdoutError, reader_may_leave
from .errors import CaseReviewError, UnknownValueError, UnknownValuesError, WorkspaceNotice
from .escaping import json_line
from .names import escaped, undecoded_byte
from .files import check_input_file, check_text_stream, private_file
from .dates import check_date_format
from .entry import STOPPED, STOPPED_BY_CTRL_C
from .notes import (CODED_FIELDS, Note, UpToFirstError, check_encoding, check_json_lines_file, iter_validated, read_jsonl,
                    read_jsonl_stream, requiring_labels, without_labels)
from .workers import default_processes
from .value_maps import ValueMap, parse_value_maps
from .wording import agree, count, figure_text, number
from .workspace import Workspace

if TYPE_CHECKING:
    from .corpus import FieldCheck

class SaysWhenStopped(TyperGroup):
    """The commands' group: a Ctrl-C as a command's options are read or as it runs is said in one line, ``error:
    stopped (Ctrl-C)``, with what the command has done so far where it said (:func:`if_stopped`), and exits 130.
    typer's own exit 130 said nothing: a Ctrl-C as merge printed its lines, its merge committed, left the user unable
    to tell whether it had merged. (typer turns one in its few steps around these into a silent exit 130, which
    :func:`main` says the same way.)"""

    def make_context(self, *args, **kwargs):
        with _said_if_stopped():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx):
        with _said_if_stopped():
            return super().invoke(ctx)


@contextlib.contextmanager
def _said_if_stopped() -> Iterator[None]:
    try:
        yield
    except KeyboardInterrupt:
        say_stopped()
        raise typer.Exit(STOPPED_BY_CTRL_C) from None


def say_stopped() -> None:
    """The line a Ctrl-C is said in, with what the command has done (:func:`if_stopped`); said once."""
    if not _stopping.said:
        _stopping.said = True
        say_error(STOPPED + (f": {_stopping.done_so_far}" if _stopping.done_so_far else ""))


class _Stopping:
    #: what a Ctrl-C now would leave done, said after "stopped (Ctrl-C): " (if_stopped)
    done_so_far = ""
    said = False


_stopping = _Stopping()


def if_stopped(words: str) -> None:
    """From here on, a Ctrl-C is said ``stopped (Ctrl-C): WORDS``: what the command has committed (or, while it
    works, what a stop leaves), so that one stopped as it prints its result says whether it is in. A command calls it
    as soon as the library call that commits returns, before it prints anything."""
    _stopping.done_so_far = words


app = typer.Typer(
    cls=SaysWhenStopped,
    help="""Tag, review and audit children's social care case notes against the concern codebook.

    Every command has --help with examples. The workspace is --workspace DIR, else
    $CASEREVIEW_WORKSPACE, else ./casereview-workspace.

    [bold]Examples[/]

      casereview import corpora/sample/notes.jsonl

      casereview tag

      casereview review --reviewer "A. Inspector"

      casereview sample --size 40 --stratify label --name march-qa

      casereview report --audit march-qa -o march-qa.html
    """,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    # An unexpected error's traceback must not print local variables: they can hold note text.
    pretty_exceptions_show_locals=False,
)
# What the commands print is text as written, never Rich markup: file names and paths, audit, reviewer and model
# names, ids and teams come from people and files ("QA [draft]/march.md", an audit "[/]QA": a tag read in one was
# dropped, or closed none and ended the command with a MarkupError). Style, where there is any, is a Text's.
# Messages to a log or a pipe keep each line whole (a path cut by a line break cannot be copied or grepped);
# on a terminal rich wraps them between words.
err = Console(stderr=True, markup=False, highlight=False,
              soft_wrap=not (sys.stderr is not None and sys.stderr.isatty()))
#: stdout's tables (metrics, audits, agreement, models)
stdout_console = Console(markup=False)


@contextlib.contextmanager
def stages_shown() -> Iterator[Callable[[str], None]]:
    """A step of a long command (a retrain takes minutes) told as it starts, with the time taken so far, on a terminal
    only (as predict's count of notes), so that a person waiting sees it is at work; a log or pipe gets nothing."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.table import Column

    shown = sys.stderr is not None and sys.stderr.isatty() and not err.is_dumb_terminal
    # words longer than the terminal leaves them are cut at its edge ("…"), the spinner and the time kept: rich
    # fitted the line by dropping both and cutting the words anywhere
    words = TextColumn("{task.description}", table_column=Column(no_wrap=True, overflow="ellipsis", ratio=1))
    with Progress(SpinnerColumn(), words, TimeElapsedColumn(), console=err, disable=not shown, transient=True,
                  expand=True) as progress:
        task = progress.add_task("", total=None)
        yield lambda words: progress.update(task, description=words)

WorkspaceOption = typer.Option(
    None, "--workspace", "-w", envvar="CASEREVIEW_WORKSPACE",
    help="Workspace folder \\[default: ./casereview-workspace].",
)


ModelWorkspaceOption = typer.Option(
    None, "--workspace", "-w", envvar="CASEREVIEW_WORKSPACE",
    help="Workspace whose promoted model to use \\[default: ./casereview-workspace if there is one].",
)


def say_error(message: str) -> None:
    err.print(Text.assemble(("error:", "bold red"), " ", message), soft_wrap=True)


def fail(message: str, code: int = 2) -> None:
    say_error(message)
    raise typer.Exit(code)


@contextlib.contextmanager
def library_errors():
    """Turn the library's errors into a located message and exit code 2."""
    try:
        yield
    except CaseReviewError as e:
        fail(str(e))


@contextlib.contextmanager
def output_stream(path: Optional[Path]):
    """stdout for None or '-'; else :func:`private_file`: a regular file owner-only (0600), replaced only if the
    command succeeds; a device, pipe or descriptor (/dev/null, /dev/stdout) written straight.

    Every command's output goes through here: outputs hold note text, labels, decisions,
    predictions or personal-data findings, and a failed run must not truncate a file.
    """
    if path is None or str(path) == "-":
        yield OutputToStdout()  # a reader that stops early (| head) stops the command, quietly
        return
    with private_file(path) as fh:
        yield fh


EncodingOption = typer.Option(
    None, "--encoding", metavar="NAME",
    help="The files' encoding, any Python codec name: cp1252 (Windows-1252), latin-1... \\[default: UTF-8, or UTF-16 "
         "with its byte-order mark].",
)
DateFormatOption = typer.Option(
    None, "--date-format", metavar="FORMAT",
    help="The form of the notes' dates, a strptime format: %d/%m/%Y, \"%d/%m/%Y %H:%M\"; stored as ISO dates, "
         "a time as the note's time \\[default: ISO dates, YYYY-MM-DD, a time may follow].",
)


#: A case management system's own note types and author roles read as the codebook's (value_maps): import, predict
#: and evaluate read the same notes, so the same export is read the same way by each
MapValueOption = typer.Option(
    [], "--map-value", metavar="FIELD:FROM=TO",
    help="Read a value of note_type or author_role as a codebook value: --map-value "
         "\"note_type:Telephone Call=contact\" (repeatable; case and spaces aside).")
ValueMapOption = typer.Option(
    [], "--value-map", metavar="FILE",
    help="--map-value's entries from a file: CSV with the columns field,from,to, or JSON "
         "{\"note_type\": {\"Telephone Call\": \"contact\"}} (repeatable).")


@app.command("import")
def import_(
    paths: list[Path] = typer.Argument(..., help="JSON Lines files, CSV files or folders of .txt files."),
    workspace: Optional[Path] = WorkspaceOption,
    map_: list[str] = typer.Option([], "--map", help="Rename a CSV column: SOURCE=TARGET (repeatable)."),
    map_value: list[str] = MapValueOption,
    value_map: list[Path] = ValueMapOption,
    list_values: Optional[str] = typer.Option(
        None, "--list-values", metavar="FIELD",
        help="Import nothing: list each file's values of note_type or author_role, their rows and what each is "
             "read as, to see what to map."),
    update: bool = typer.Option(False, "--update", help="Replace changed notes, keeping the old version."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Import valid rows; write rejected rows to FILE.rejects.jsonl."
    ),
    redact: bool = typer.Option(False, "--redact", help="Store notes with personal data replaced by [LABEL], never the original."),
    encoding: Optional[str] = EncodingOption,
    date_format: Optional[str] = DateFormatOption,
    midnight: Optional[str] = typer.Option(
        None, "--midnight", metavar="date-only|time",
        help="A time of 00:00 in the dates: date-only (a date written with no time) or time (a note made at midnight) "
             "\\[default: dates alone if every time in a file's dates is 00:00, else refused if any is].",
    ),
) -> None:
    """Import case notes into the workspace (each file in one transaction); every note is scanned for personal data.

    Files are JSON Lines (.jsonl, .ndjson, .json), CSV (.csv) or folders of .txt files, in UTF-8 (with or without a byte-order mark) or UTF-16 with its mark (Excel's "Unicode Text"), unless --encoding names theirs: a Windows-1252 export (£, é, curly quotes) needs --encoding cp1252, else each row holding such a character is rejected. A byte the encoding has no character for is its row's error, and so is UTF-8 text read with a single-byte --encoding (leave it out). CSV files are delimited by commas, semicolons or tabs, with any line endings (a carriage return alone too); JSON Lines end lines with \\n or \\r\\n; a compressed file or a workbook (.xlsx, .xls) is refused: save the sheet from Excel as "CSV UTF-8". Dates are YYYY-MM-DD (a time may follow: 2024-03-12T09:30) unless --date-format gives their form; a date not in that form is its row's error. A time of day, in the date or a time field (HH:MM, 9:30 am, 9.30pm, 21.30; 9.30 alone may be morning or evening: refused), is kept beside the date and orders a day's notes (in the timeline, --case): a newest-first export reads in time order; a day's notes with no time follow its timed ones, in import order. A time with a zone (Z, +01:00, %z) is stored as UK time (GMT or BST), the date with it. Many systems write 00:00 for a date alone: a file whose every time in its dates is 00:00 is read as dates alone (said on stderr), and 00:00 among other times is refused unless --midnight says which it is; a time field's 00:00 is midnight. White space around ids, dates and coded values is not part of them; an author role or note type may be written in words, in any case (Social Worker, home visit); a system's own (Telephone Call) is its row's error, each such value told once for all its rows, unless --map-value or --value-map says which codebook value it is (--list-values shows a file's values first). The same file imported again with the same options is unchanged.

    [bold]Examples[/]

      casereview import corpora/sample/notes.jsonl

      casereview import export.csv --map ClientRef=case_id --map Narrative=text

      casereview import letters/ --skip-invalid

      casereview import cms-export.jsonl --redact

      casereview import export.csv --encoding cp1252

      casereview import export.csv --date-format "%d/%m/%Y %H:%M"

      casereview import cms-export.csv --midnight date-only

      casereview import cms.csv --map "Type=note_type" --list-values note_type

      casereview import cms.csv --map-value "note_type:Telephone Call=contact"

      casereview import cms.csv --value-map cms-values.csv
    """
    with library_errors():
        mapping = importer.parse_mapping(map_)
        values = parse_value_maps(map_value, value_map)
        if list_values is not None:
            for path in paths:
                _print_field_values(importer.field_values(path, list_values, mapping=mapping, values=values,
                                                          encoding=encoding))
            return
        reports = importer.import_paths(workspace, paths, mapping=mapping, update=update,
                                        skip_invalid=skip_invalid, redact=redact, encoding=encoding,
                                        date_format=date_format, midnight=midnight, values=values,
                                        committed=lambda done: if_stopped(imported_so_far(paths, done)))
        if_stopped(imported_so_far(paths, 0))
        for report in reports:
            _print_import_report(report, redact)


def imported_so_far(paths: list[Path], done: int) -> str:
    """What a Ctrl-C during an import leaves, once ``done`` of the ``paths`` are in: which file was not imported
    (each is one transaction, rolled back) and that those before it were. Said from each file's commit on, which
    may come before its line is printed: "before it", not "reported above"."""
    if done == len(paths):
        return f"{escaped(str(paths[0]))} was imported" if done == 1 else "every file was imported"
    said = f"nothing of {escaped(str(paths[done]))} was imported (each file is one transaction)"
    if done:
        said += f"; {agree(done, 'the file', f'the {number(done)} files')} before it {agree(done, 'is', 'are')} in"
    return said


def _print_import_report(report: importer.FileReport, redact: bool) -> None:
    r = report.result
    line = (f"{report.source}: {number(r.added)} added, {number(r.updated)} updated, {number(r.unchanged)} "
            f"unchanged, {count(r.decisions, 'decision')}")
    if report.pii_findings:
        line += f", {count(report.pii_findings, 'personal-data finding')}" + (" redacted" if redact else " to resolve")
    if report.rejected:
        line += f", {number(len(report.rejected))} rejected -> {escaped(str(report.rejects_path))}"
    if report.not_notes:
        line += f"; {count(report.not_notes, 'other entry', 'other entries')} of the folder not read (only .txt files are notes)"
    if report.fields_with_personal_data:
        fields = ", ".join(f"{escaped(name)} ({count(notes, 'note')})"
                           for name, notes in report.fields_with_personal_data.items())
        line += (f"; personal data found in other fields, kept as they came (findings cover note text only, "
                 f"and exports carry these fields; --redact redacts them): {fields}")
    if report.midnight_dates:
        line += (f"; every time in its dates is 00:00: {count(report.midnight_dates, 'note')} read as dates "
                 "without a time (--midnight time keeps them as midnight)")
    err.print(line, soft_wrap=True)  # a path is not wrapped


def _print_field_values(found: importer.FieldValues) -> None:
    """``import --list-values``'s table of one file: rows, value (escaped: it comes from the file), read as."""
    what = CODED_FIELDS[found.field].what
    typer.echo(f"{found.source}: {found.field} on {count(found.rows, 'row')}, "
               f"{count(len(found.values) + found.not_shown, 'distinct value')}")
    width = max([len(escaped(v.value)) for v in found.values if v.value is not None] + [len("(none given)")])
    typer.echo(f"{'rows':>8}  {'value':<{width}}  read as")
    for v in found.values:
        reads_as = ("" if v.value is None else f"not a codebook {what}") if v.reads_as is None else v.reads_as
        shown = "(none given)" if v.value is None else escaped(v.value)
        typer.echo(f"{number(v.rows):>8}  {shown:<{width}}  {reads_as}{' (mapped)' if v.mapped else ''}".rstrip())
    if found.not_shown:
        typer.echo(f"{number(found.not_shown_rows):>8}  {count(found.not_shown, 'value')} not shown (long, sentences or like "
                   f"personal data: is this the {what} column?)")
    if found.unread:
        typer.echo(f"{count(found.unread, 'row')} not read (not a record: import names {agree(found.unread, 'its', 'their')} "
                   "problem)")


@app.command()
def export(
    kind: str = typer.Argument(..., help="notes | labels | decisions | comments"),
    workspace: Optional[Path] = WorkspaceOption,
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl | csv"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write \\[default: stdout]."),
    allow_pii: bool = typer.Option(False, "--allow-pii", help="Export notes even with unresolved personal-data findings, comments even where the scanner finds some."),
    redact: bool = typer.Option(False, "--redact", help="comments: write each with the personal data the scanner finds replaced by [PERSON], [ADDRESS]..., to share for reading (merge takes the export made without it)."),
) -> None:
    """Export notes, notes with their current labels, the full decision log, or reviewers' comments.

    labels: each note with a decision, its confirmed or added labels under
    "labels", and under "unreviewed" those undecided, only marked unsure or
    disputed (reviewers decided differently, an imported label counting as a
    reviewer's, and no one has adjudicated). A label one reviewer decided and
    another marked unsure goes out as decided, whoever saved last, as reports
    count it. A note whose every decision is disputed is left out; the
    command says how many.

    comments: every comment made in review (c), oldest first, with its note,
    case file, reviewer and time, written as typed: a reviewer's free text.

    Notes with unresolved personal-data findings are refused (exit 1) unless
    --allow-pii; so are comments, scanned as they are exported, where the
    scanner finds personal data in one (there are no findings to resolve),
    unless --redact writes them with it replaced by [PERSON], [ADDRESS]...

    CSV: notes and labels keep their text exact, to be imported again; a
    cell starting with = + - @ would open as a formula in a spreadsheet, so
    import them there with every column as text (the command says how many
    cells would not show as written). In decisions and comments, for
    reading, such a cell gets a leading ' and a control character is drawn
    (their JSON Lines are exact).

    [bold]Examples[/]

      casereview export labels -o labelled.jsonl

      casereview export decisions --format csv -o decisions.csv

      casereview export comments --format csv -o comments.csv

      casereview export comments --redact --format csv -o qa-comments.csv
    """
    from .cli_pii import announce_scan
    from .pii.findings import PersonalDataError, check_exportable

    if kind not in exporter.KINDS:
        fail(f"unknown export {kind!r}; choose from {', '.join(exporter.KINDS)}")
    if fmt not in exporter.FORMATS:
        fail(f"--format {fmt!r}: choose from {', '.join(exporter.FORMATS)}")
    redacted = exporter.Redacted(asked=redact)
    with library_errors():
        exporter.check_redact(kind, redacted)
    with library_errors(), Workspace.open(workspace, create=False) as ws:
        if not (allow_pii or redact):
            try:
                check_exportable(ws, kind, starting=announce_scan)  # before the output file is opened: a refusal writes nothing
            except PersonalDataError as e:
                fail(str(e), 1)
        held_back, exact_cells = exporter.HeldBack(), exporter.ExactCells()
        with output_stream(output) as out:
            written = exporter.write(ws, kind, fmt, out, held_back, exact_cells, redacted)  # checked above, not again
    err.print(f"{count(written, kind.removesuffix('s') + ' record')} written")
    if redact:
        err.print(redacted.describe())
    if held_back.labels or held_back.notes:
        err.print(held_back.describe())
    if exact_cells.cells:
        err.print(exact_cells.describe())


@app.command()
def status(
    workspace: Optional[Path] = WorkspaceOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Counts of notes, case files, predictions, labels by final state, and models.

    A label's final state is the one reports and export labels count: the
    adjudication, else the side reviewers took ('unsure' takes none). A
    disputed label counts by its latest side; disputed pairs says how many.
    Every registered model's file is checked against its registered hash: a
    missing or changed one is named (the promoted one's with the way out),
    and folders of model saves not finished (a retrain saving, or killed
    while saving, before or after moving its model into place) are named.

    [bold]Example[/]

      casereview status --json
    """
    from . import model_saves, registry

    with library_errors(), Workspace.open(workspace, create=False) as ws:
        info = ws.status()
        files = registry.files_status(ws)
    problem, saves = files["promoted_model_file_problem"], files["unfinished_model_saves"]
    if as_json:
        info |= {"promoted_model_file_problem": problem, "model_file_problems": files["model_file_problems"],
                 "unfinished_model_saves": [s.as_json() for s in saves]}
        typer.echo(json.dumps(info, indent=2))
        return
    for key, value in info.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {number(v)}" for k, v in value.items())
        elif key != "schema_version" and type(value) is int:  # a count
            value = number(value)
        elif key == "promoted_model" and value is None and (default := registry.shipped_pins().get("default")):
            # what 'tag', 'predict' and 'evaluate' use meanwhile ('tag' promotes the model it first scores with)
            value = f"none yet (the shipped default, {default}, scores notes until one is promoted)"
        elif key == "promoted_model" and problem:  # 'tag', 'retrain' and 'promote' would stop on it
            value = f"{value} (model file {problem}; {registry.promote_instead(value)})"
        typer.echo(f"{key.replace('_', ' ')}: {value}")
    # the others briefly: a version to promote or roll back to would be refused; 'models list' says more
    others = {v: p.split(" (")[0] for v, p in files["model_file_problems"].items() if v != info.get("promoted_model")}
    if others:
        typer.echo(f"model files not as registered: {', '.join(f'{v} ({p})' for v, p in others.items())}; "
                   "'casereview models list' checks them all")
    if saves:
        typer.echo(f"unfinished model saves: {len(saves)} in {saves[0].path.parent}: {model_saves.describe(saves)}; "
                   "a retrain saving its model now, or one killed while saving: the next 'casereview models list' "
                   "or 'casereview retrain' removes those no retrain is saving into")


@app.command()
def backup(
    destination: Path = typer.Argument(..., help="A new folder for the copy (it must not exist)."),
    workspace: Optional[Path] = WorkspaceOption,
    copied_through: Optional[int] = typer.Option(None, "--copied-through", metavar="ID", help="This workspace is a folder copied with cp from another by a casereview that let the copy keep the other's id, and decisions after ID were made here: the backup knows them as its own. merge's refusal of a file from the copy names ID."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Copy the workspace to a new folder, safely while others review in it.

    Copying the folder with cp can miss the latest decisions (SQLite keeps
    them in workspace.db-wal until a checkpoint) or catch one half-saved.
    This copies the database as one moment saw it, checks the copy, and
    copies the retrained models it registers, checked against their hashes.
    The shipped model is not copied (it comes with casereview). The copy is
    owner-only and opens as a workspace: --workspace DESTINATION.

    [bold]Example[/]

      casereview backup ~/backups/march-inspection-2026-11-27
    """
    from . import backup as backups

    with library_errors(), Workspace.open(workspace, create=False) as ws:
        summary = backups.backup(ws, destination, copied_through)
    if as_json:
        typer.echo(json.dumps(summary.as_json(), indent=2))
        return
    typer.echo(f"backed up {ws.path} to {summary.folder} {_what_was_copied(summary)}")
    if summary.models_elsewhere:
        typer.echo(f"not copied, registered from outside the workspace: {', '.join(summary.models_elsewhere)}")
    for version, problem in summary.model_problems.items():
        typer.echo(f"model {version}: {problem}")
    typer.echo(f"open it with: casereview status --workspace {summary.folder}")


@app.command()
def restore(
    backup: Path = typer.Argument(..., help="A backup folder ('casereview backup' made it)."),
    workspace: Optional[Path] = WorkspaceOption,
    replace: bool = typer.Option(False, "--replace", help="Restore over the workspace there, moving it aside first."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Bring a workspace back from a backup, checked before anything is touched.

    The backup's database must pass SQLite's check and be of a schema this
    casereview opens (an older one is migrated). Each retrained model it
    registers is checked against its recorded hash; one whose file is
    missing or changed is named and restored as it was (registered, its file
    missing or as found): every decision is restored. A new or empty folder
    takes the copy; a workspace already there is replaced only with
    --replace, never while the review UI or another command has it open,
    and only after it is moved whole to a dated, owner-only folder beside
    it (named in the output); a restore killed midway is finished by the
    next command to open the workspace. The restored workspace gets a
    workspace id of its own, so decisions merged into it later count once.

    [bold]Examples[/]

      casereview restore ~/backups/march-inspection-2026-11-27 -w restored

      casereview restore ~/backups/march-inspection-2026-11-27 --replace
    """
    from . import restore as restores

    # the copy is made and checked beside the place, then put in place in one step at the end (a swap held from
    # Ctrl-C, said by its own note): a stop may land either side of that step
    if_stopped("'casereview status' with the same --workspace shows whether the restored workspace is in place (it is "
               "put there in one step, at the end)")
    with library_errors():
        summary = restores.restore(backup, workspace, replace=replace)
    if_stopped(f"{summary.backup} is restored to {summary.workspace}"
               + (f"; the workspace that was there is kept in {summary.replaced}" if summary.replaced else ""))
    if as_json:
        typer.echo(json.dumps(summary.as_json(), indent=2))
        return
    typer.echo(f"restored {summary.backup} to {summary.workspace} {_what_was_copied(summary)}")
    if summary.migrated_from is not None:
        typer.echo(f"migrated from schema version {summary.migrated_from} to this casereview's")
    if summary.models_elsewhere:
        typer.echo(f"not in the backup, registered from outside the workspace: {', '.join(summary.models_elsewhere)}")
    for version, problem in summary.model_problems.items():
        typer.echo(f"model {version}: {problem} in the backup; still registered in the restored workspace")
    if summary.model_problems:
        typer.echo("the decisions are all restored; a command needing such a model (tag, retrain, promote) says so "
                   "and how to go on: put its file back at its place, or promote another version ('casereview status' "
                   "names them)")
    if summary.replaced is not None:
        typer.echo(f"the workspace that was there is kept, owner-only, in {summary.replaced}; "
                   "delete it once the restored one is as you want it")
    typer.echo(f"open it with: casereview status --workspace {summary.workspace}")


def _what_was_copied(summary) -> str:
    """'(41 MB): 10,879 notes, 80,412 decisions, 1 retrained model': a backup's or a restore's summary."""
    from .wording import size

    return (f"({size(summary.bytes)}): {count(summary.notes, 'note')}, {count(summary.decisions, 'decision')}, "
            f"{count(len(summary.models_copied), 'retrained model')}")


@contextlib.contextmanager
def optional_workspace(path: Optional[Path]):
    """The workspace named by --workspace or $CASEREVIEW_WORKSPACE (it must exist); else the default one
    if there is one; else None (commands that only need a model work without any workspace)."""
    if path is None and not Workspace.exists(None):
        yield None
        return
    with Workspace.open(path, create=False) as ws:
        yield ws


ModelOption = typer.Option(None, "--model", "-m", help="A model folder \\[default: the workspace's promoted model, else the shipped model].")
TrustOption = typer.Option(False, "--trust-model", help="Load a model whose sha256 is not recorded (joblib files run code when loaded).")
ProcessesOption = typer.Option(default_processes(), "--processes", "-p", min=1,
                               help="Processes scoring notes: forked workers, one per CPU up to 4 by default; 1 scores in this process.")


def read_notes_arg(path: Path, labels: str = "keep", encoding: str | None = None,
                   date_format: str | None = None, check: FieldCheck | None = None,
                   values: ValueMap | None = None) -> Iterator[Note]:
    """Validated notes from a JSON Lines file or stdin ('-'), streamed; bad input raises with file, line and field.

    ``labels``: "keep" reads a note's label fields as any other; "ignore" leaves them out unread (scoring);
    "require" makes a note without them an error (gold notes). ``encoding`` and ``date_format`` are
    ``--encoding`` and ``--date-format``, as ``import`` reads them. ``check`` checks each valid note's fields beyond
    the note schema (raw record, note, file, line), raising :class:`InputError` as a corpus's check does.
    ``values`` (``--map-value``, ``--value-map``, :func:`value_maps.parse_value_maps`) maps a system's own note types
    and author roles to the codebook's before each row is validated, as ``import`` does; given, even empty, an
    unknown value's error names the ``--map-value`` that reads it, as ``import``'s does (None: the command takes none).
    The file and the options are checked at once (missing, a folder, unreadable; by its name, a CSV file or an
    unknown type, as ``import`` knows them; an unknown encoding, a date format reading no whole date), before any
    output is opened.
    """
    check_encoding(encoding)
    check_date_format(date_format)
    if str(path) == "-":
        if sys.stdin is None:  # started with standard input closed (<&-)
            raise CaseReviewError("<stdin>: standard input is closed")
        # the stream itself: /dev/stdin cannot be opened again by path for a socket, nor always under sudo
        check_text_stream(sys.stdin.buffer, "<stdin>")
        source, records = "<stdin>", read_jsonl_stream(sys.stdin.buffer, "<stdin>", encoding)
    else:
        check_input_file(path)
        check_json_lines_file(path)
        source, records = path.name, read_jsonl(path, encoding=encoding)
    if labels == "ignore":
        records = without_labels(records)
    elif labels == "require":
        records = requiring_labels(records, source)
    if values is not None:
        records = values.applied_to_rows(records)
    return _validated(records, source, date_format, check, map_values=values is not None)


def _validated(records, source: str, date_format: str | None, check: FieldCheck | None = None,
               map_values: bool = False) -> Iterator[Note]:
    for line, raw, item in iter_validated(records, source, date_format):
        if isinstance(item, UnknownValueError) and map_values:
            raise UnknownValuesError(item)
        if isinstance(item, Exception):
            raise item
        if check is not None:
            check(raw, item, source, line)
        yield item


def read_all_notes(path: Path, labels: str = "keep", encoding: str | None = None,
                   date_format: str | None = None, check: FieldCheck | None = None,
                   values: ValueMap | None = None) -> list[Note]:
    """Every note of a JSON Lines file or stdin (``check``, ``values``: as :func:`read_notes_arg`); a file with no
    notes is an input error."""
    notes = list(read_notes_arg(path, labels, encoding, date_format, check, values))
    if not notes:
        raise CaseReviewError(f"{'<stdin>' if str(path) == '-' else path}: no notes in the file")
    return notes


@app.command()
def train(
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="Corpus folder \\[default: corpora/sample]."),
    out: Optional[Path] = typer.Option(None, "--out", help="Model folder to write (not one holding a model) \\[default: models/<version>]."),
    seed: int = typer.Option(20261125, "--seed", help="Random seed (training is deterministic)."),
    version: Optional[str] = typer.Option(None, "--version", help="Model version \\[default: concern-<data hash>]."),
    cv: Optional[str] = typer.Option(None, "--cv", help="'origin': leave each hand-written voice out in turn and report (keeps no model)."),
    with_cv: bool = typer.Option(False, "--with-cv", help="Also run the leave-one-voice-out evaluation and put it in the model card."),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
    pin: bool = typer.Option(False, "--pin", help="Pin the new model's sha256 as the shipped default (releases; the "
                                                  "model folder must be inside the project)."),
    processes: int = typer.Option(default_processes(), "--processes", "-p", min=1,
                                  help="Forked workers: the stackers' out-of-fold fits, and with --cv or --with-cv "
                                       "the folds run at once (about 1 GB each); 1 trains in this process."),
) -> None:
    """Train the concern model: fit on the train split, tune on dev, report test.

    [bold]Examples[/]

      casereview train --out models/my-model

      casereview train --cv origin --processes 1

      casereview train --with-cv --version concern-0.12.0 --pin
    """
    from . import registry
    from .corpus import package_root
    from .model_files import check_destination, check_no_model_in, check_version_name

    with library_errors():
        if cv is not None:
            if cv != "origin":
                fail("--cv takes 'origin'")
            ignored = [name for name, given in (("--out", out), ("--version", version), ("--with-cv", with_cv),
                                                ("--pin", pin)) if given]
            if ignored:
                fail(f"{', '.join(ignored)}: not with --cv origin, which trains no model to keep (only reports); "
                     "--with-cv puts the same figures in a model's card")
            from . import training  # scikit-learn and spaCy (2 s): imported once the options are found sound

            with stages_shown() as stage:  # several fits, minutes each on the sample corpus
                result = training.cross_validate_origins(corpus, seed=seed, processes=processes, stage=stage)
            if as_json:
                typer.echo(json.dumps(result, indent=2))
                return
            for origin, fold in result["folds"].items():
                unscored = "  (no note carries a label: not in the mean)" if fold["macro_f1"] is None else ""
                typer.echo(f"{origin:<28} {number(fold['notes']):>5} notes  macro-F1 {figure_text(fold['macro_f1'])}{unscored}")
            typer.echo(f"mean macro-F1 {figure_text(result['mean_macro_f1'])}; worst {figure_text(result['worst_macro_f1'])} "
                       f"({result['worst_origin']})")
            return
        # what would fail only once the model is trained is refused before (its folder is named by its version)
        if version is not None:
            check_version_name(version)
        models = package_root() / "models"
        check_destination(out, models, version, pin, registry.check_pinnable)
        from . import training  # as above: a refused option is said in half a second, not three

        from .model import save

        with stages_shown() as stage:  # minutes on the sample corpus: a person waiting is told the step it is at
            model, card = training.train_corpus(corpus, None, seed=seed, version=version, processes=processes,
                                                stage=stage)
            if with_cv:
                card["cv_origin"] = training.cross_validate_origins(corpus, seed=seed, processes=processes,
                                                                    stage=stage)
            folder = out or models / model.version
            check_no_model_in(folder)  # the default folder is named by the data hash, known only now
            stage(f"saving {model.version}")
            save(model, folder, card)
        if pin:
            registry.pin(folder)
    if as_json:
        typer.echo(json.dumps(card["metrics"], indent=2))
        return
    _print_metrics(card["metrics"]["test"], card["baseline"]["test"], "test")
    near_miss = card["near_miss"]["false_positive_rate"]
    near_miss = ("no near-miss notes in the test split (hard_case: near_miss)" if near_miss is None
                 else f"near-miss false-positive rate {near_miss:.3f}")
    typer.echo(f"dev macro-F1 {figure_text(card['metrics']['dev']['macro_f1'])}; {near_miss}; model written to {folder}")


def _print_metrics(model_metrics: dict, baseline: dict | None, title: str) -> None:
    from rich import box
    from rich.table import Table

    from .retrained_card import f1_of

    def f1(block: dict, name: str | None = None) -> str:
        """A label's F1 (the macro's with no name); '–' where there is none: a label no gold note carries."""
        return figure_text(f1_of(block, name))

    left_out = model_metrics.get("left_out_of_macro", {})  # the gold's labels: the same for keyword search
    # fits 80 columns with every label name whole: a boxed table cut them to 'managem…', in a file too
    table = Table(title=f"{title}: model vs keyword search (kw)", title_justify="left", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False, collapse_padding=True)
    for column in ("label", "P", "R", "F1", "support"):
        table.add_column(column, justify="left" if column == "label" else "right", no_wrap=True)
    if baseline:
        for column in ("kw P", "kw R", "kw F1"):
            table.add_column(column, justify="right", no_wrap=True)
    for name, m in model_metrics["per_label"].items():
        # '–': no precision where nothing was suggested, no recall where no note carries the label
        row = [name, figure_text(m["precision"]), figure_text(m["recall"]), f1(model_metrics, name), number(m["support"])]
        if baseline:
            b = baseline["per_label"][name]
            row += [figure_text(b["precision"]), figure_text(b["recall"]), f1(baseline, name)]
        table.add_row(*row)
    last = ["macro-F1", "", "", f1(model_metrics), number(model_metrics["notes"])]
    if baseline:
        last += ["", "", f1(baseline)]
    table.add_row(*last)
    stdout_console.print(table)
    if left_out:  # one line per label, so no wrapped line starts with a label name as a table row does
        carried = len(model_metrics["per_label"]) - len(left_out)
        typer.echo(f"macro-F1 is over the {count(carried, 'label')} some gold note carries; left out:")
        for name, why in left_out.items():
            alarms = f"suggested by the model on {count(why['false_alarms'], 'note')}"
            if baseline:
                alarms += f", by keyword search on {number(baseline['left_out_of_macro'][name]['false_alarms'])}"
            typer.echo(textwrap.fill(f"- {name}: {why['reason']}; {alarms}", width=80, subsequent_indent="  "))
    typer.echo(f"exact match: model {model_metrics['exact_match']:.3f}" + (f", keyword {baseline['exact_match']:.3f}" if baseline else ""))


@app.command()
def predict(
    input: Path = typer.Argument(..., help="JSON Lines notes in the codebook schema ('-' for stdin); labels are not read."),
    model: Optional[Path] = ModelOption,
    workspace: Optional[Path] = ModelWorkspaceOption,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write \\[default: stdout]."),
    trust_model: bool = TrustOption,
    processes: int = ProcessesOption,
    encoding: Optional[str] = EncodingOption,
    date_format: Optional[str] = DateFormatOption,
    map_value: list[str] = MapValueOption,
    value_map: list[Path] = ValueMapOption,
) -> None:
    """Score notes: one JSON line per input note, in order, with labels, scores and evidence.

    Notes are read as import reads JSON Lines (--encoding, --date-format,
    --map-value and --value-map alike): a system's own note types and author
    roles need the same map as its import.

    [bold]Examples[/]

      casereview predict notes.jsonl -o predictions.jsonl

      cat notes.jsonl | casereview predict - | jq .labels

      casereview predict big.jsonl -o out.jsonl --processes 1

      casereview predict export.jsonl --encoding cp1252 -o predictions.jsonl

      casereview predict cms.jsonl --value-map cms-values.csv -o predictions.jsonl
    """
    from . import registry

    with library_errors():
        values = parse_value_maps(map_value, value_map)
        notes = UpToFirstError(read_notes_arg(input, "ignore", encoding, date_format, values=values))
        with optional_workspace(workspace) as ws:
            concern_model, _folder = registry.resolve(model, ws, trust=trust_model)
        with output_stream(output) as out:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            # how many notes so far (a stream's length is not known ahead), on a terminal only: isatty, as rich's
            # own test takes FORCE_COLOR for one; notes typed on the terminal (stdin) would be drawn over
            show_progress = (sys.stderr.isatty() and not err.is_dumb_terminal
                             and not (str(input) == "-" and sys.stdin.isatty()))
            with Progress(TextColumn("scoring"), BarColumn(), TextColumn("{task.completed:,} notes"), TimeElapsedColumn(),
                          console=err, disable=not show_progress, transient=True) as progress:
                task = progress.add_task("scoring", total=None)
                for result in concern_model.predict_stream(notes, processes=processes):
                    result.pop("thresholds", None)
                    out.write(json_line(result) + "\n")  # C1 and bidi controls \u-escaped: cat sends no escape
                    progress.advance(task)
            notes.raise_error()  # after every note before it is written (with -o, the file is then not made)


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., help="JSON Lines notes with a 'labels' field; labels under 'unreviewed' count for neither side."),
    model: Optional[Path] = ModelOption,
    workspace: Optional[Path] = ModelWorkspaceOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    trust_model: bool = TrustOption,
    encoding: Optional[str] = EncodingOption,
    date_format: Optional[str] = DateFormatOption,
    map_value: list[str] = MapValueOption,
    value_map: list[Path] = ValueMapOption,
) -> None:
    """Per-label precision/recall/F1, macro-F1 and exact match, beside a keyword-search baseline.

    The macro-F1 is over the labels some gold note carries: a label none carries
    (no F1: nothing to find) is left out, and named under the table with its
    false alarms (--json: left_out_of_macro). Notes are read as import reads
    JSON Lines (--encoding, --date-format, --map-value and --value-map alike).

    [bold]Examples[/]

      casereview evaluate gold.jsonl

      casereview evaluate gold.jsonl --model models/my-model --trust-model --json

      casereview evaluate gold.jsonl --workspace ws

      casereview evaluate cms-gold.jsonl --value-map cms-values.csv
    """
    from . import registry
    from .evaluation import evaluate_gold

    with library_errors():
        values = parse_value_maps(map_value, value_map)
        notes = read_all_notes(gold, "require", encoding, date_format, values=values)
        with optional_workspace(workspace) as ws:
            concern_model, _ = registry.resolve(model, ws, trust=trust_model)
        result = evaluate_gold(concern_model, notes)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    _print_metrics(result["model"], result["keyword_baseline"], f"{gold.name} ({concern_model.version})")


@app.command()
def tag(
    workspace: Optional[Path] = WorkspaceOption,
    model: Optional[Path] = ModelOption,
    trust_model: bool = TrustOption,
    processes: int = ProcessesOption,
) -> None:
    """Score every workspace note not yet scored by the current model; store the predictions.

    [bold]Examples[/]

      casereview tag

      casereview tag --model models/my-model --trust-model
    """
    from . import registry, tagging

    with library_errors(), Workspace.open(workspace, create=False) as ws:
        concern_model, folder = registry.resolve(model, ws, trust=trust_model)
        if_stopped("the notes scored so far are stored, a batch at a time; 'casereview tag' again scores the rest")
        scored = tagging.tag(ws, concern_model, folder, processes=processes)
        if_stopped(f"{count(scored, 'note')} scored with {concern_model.version}, stored")
        promoted = ws.promoted_model()
    err.print(f"{count(scored, 'note')} scored with {concern_model.version}")
    if promoted is not None and promoted.version != concern_model.version:
        err.print(f"{concern_model.version} is not the promoted model: review and the queues show "
                  f"{promoted.version}'s suggestions (casereview models promote {concern_model.version})")


def run_app(tui) -> None:
    """Run a Textual app; exit non-zero when it ended with an error (run() itself returns normally).

    Saves still queued when the app stopped (after a crash) are made here, so no decision is lost.
    """
    from .tui.saves import signals_end_app

    with signals_end_app(tui):  # a dropped SSH connection (SIGHUP) or a kill (SIGTERM) ends it so too
        try:
            tui.run()
        finally:
            not_saved = tui.saves.flush()
    for message in not_saved:
        err.print(message, soft_wrap=True)
    if tui.return_code or not_saved:
        raise typer.Exit(tui.return_code or 1)


@app.command()
def review(
    workspace: Optional[Path] = WorkspaceOption,
    queue: Optional[str] = typer.Option(None, "--queue", help="priority | uncertain | case | date | random \\[default: priority; case with --case]."),
    label: Optional[str] = typer.Option(None, "--label", help="Only notes suggested or labelled with this label."),
    case: Optional[str] = typer.Option(None, "--case", help="Only this case file, read in date and time order (as its timeline lists it) unless --queue is given."),
    unreviewed: bool = typer.Option(False, "--unreviewed", help="Only notes with no decision yet."),
    reviewer: Optional[str] = typer.Option(None, "--reviewer", help="Your name on every decision \\[default: $CASEREVIEW_REVIEWER, else the OS user]."),
    files: bool = typer.Option(False, "--files", help="Open on the case files ranked by concern."),
    from_start: bool = typer.Option(False, "--from-start", help="Open on the queue's first note, not where you left off."),
    audit: Optional[str] = typer.Option(None, "--audit", help="Review an audit's notes: your assigned share, blind as assigned."),
    adjudicate: Optional[str] = typer.Option(None, "--adjudicate", help="Settle an audit's open disputes (senior reviewer)."),
    adjudicate_all: bool = typer.Option(False, "--adjudicate-all", help="Settle every open dispute in the workspace, an imported label's too (senior reviewer)."),
) -> None:
    """Open the review UI where you left off in the queue.

    It opens on the note you last decided on in the queue if a label on it is
    still undecided, else on the next note with one; on the queue's first
    note if you have decided none of its notes, or with --from-start. The
    status line says so.

    Notes not yet scanned for personal data by this version's scanner (after
    an upgrade) are scanned in the background as it opens, as 'pii rescan'
    does; a notice says what was found.

    In the UI, ? lists the keys. N codes the open note whole: it rejects every
    label you left undecided (not one you marked unsure). Coding an audit
    (--audit), mark the concerns you see, then press N: a label left undecided
    is no code, so agreement would compare only the labels both coders marked.

    --adjudicate-all opens the adjudication screen on every note with an open
    dispute in the workspace: a label reviewers decided differently, in an audit
    or outside any, an imported label counting as a decision of reviewer
    import:<file>. These are the labels export labels and retrain hold back
    until they are adjudicated. On a note of an audit sampled with --hide-model
    the adjudication screen (--adjudicate, --adjudicate-all) shows no model
    score or evidence, as its coders saw none.

    [bold]Examples[/]

      casereview review --queue uncertain --reviewer "A. Inspector"

      casereview review --files

      casereview review --from-start

      casereview review --label supervision_issue --unreviewed

      casereview review --audit march-qa --reviewer ann

      casereview review --adjudicate march-qa --reviewer "S. Senior"

      casereview review --adjudicate-all --reviewer "S. Senior"
    """
    from .review import ReviewSession, reviewer_name
    from .taxonomy import LABEL_NAMES
    from .tui.app import ReviewApp
    from .tui.keymap import load_keymap
    from .workspace import QUEUE_ORDERS, QueueQuery

    if queue is None:  # one case file is read as its timeline lists it, oldest first
        queue = "case" if case is not None else "priority"
    if queue not in QUEUE_ORDERS:
        fail(f"--queue {queue!r}: choose from {', '.join(QUEUE_ORDERS)}")
    if label is not None and label not in LABEL_NAMES:
        fail(f"--label {label!r}: choose from {', '.join(LABEL_NAMES)}")
    if audit is not None or adjudicate is not None or adjudicate_all:
        filters = [flag for flag, given in (("--label", label is not None), ("--case", case is not None),
                                            ("--unreviewed", unreviewed), ("--files", files)) if given]
        # an audit's notes are its sample (and a reviewer's share), the workspace's disputes are theirs:
        # a filter would be ignored
        if from_start and audit is None:  # adjudication opens on the first open dispute, wherever it was left
            fail(f"--from-start: not with --{'adjudicate-all' if adjudicate_all else 'adjudicate'}, which opens on "
                 "the first open dispute")
        if filters and adjudicate_all:
            fail(f"{', '.join(filters)}: not with --adjudicate-all, which settles every open dispute in the workspace")
        if filters:
            fail(f"{', '.join(filters)}: not with --{'audit' if audit is not None else 'adjudicate'}, which reviews "
                 "the audit's own notes")
    with library_errors():
        reviewer = reviewer_name(reviewer)  # a name refused before anything opens
    with library_errors(), Workspace.open(workspace, create=False) as ws:
        if audit is not None or adjudicate is not None or adjudicate_all:
            from .tui.audit_apps import audit_app

            run_app(audit_app(ws, reviewer, audit=audit, adjudicate=adjudicate,
                              adjudicate_all=adjudicate_all, order=queue, keymap=load_keymap(),
                              from_start=from_start))
            return
        session = ReviewSession(ws, reviewer, QueueQuery(order=queue, label=label, case_id=case, unreviewed=unreviewed))
        run_app(ReviewApp(session, start="files" if files else "note", keymap=load_keymap(), from_start=from_start))


@app.command()
def demo(
    reviewer: Optional[str] = typer.Option(None, "--reviewer", help="Your name on every decision."),
    no_ui: bool = typer.Option(False, "--no-ui", help="Prepare the demo workspace and print its status; do not open the UI."),
) -> None:
    """Import the bundled sample into a temporary workspace, scan it for personal data and tag it, open the review UI.

    [bold]Example[/]

      casereview demo
    """
    import tempfile

    from . import demo as demo_mod
    from .review import ReviewSession, reviewer_name

    with library_errors():
        reviewer = reviewer_name(reviewer)  # refused before the demo is prepared, not after
    with library_errors(), tempfile.TemporaryDirectory(prefix="casereview-demo-") as folder:
        err.print("Preparing the demo workspace (import, scan for personal data, tag)…")
        ws = demo_mod.prepare(Path(folder) / "workspace", processes=default_processes())
        try:
            if no_ui:
                typer.echo(json.dumps(ws.status(), indent=2))
                return
            from .tui.app import ReviewApp
            from .tui.keymap import load_keymap

            run_app(ReviewApp(ReviewSession(ws, reviewer), keymap=load_keymap()))
        finally:
            ws.close()


# Command groups kept in their own modules; each adds its commands to `app`.
# (one line per module: `from . import cli_x; cli_x.register(app)`)
from . import cli_models; cli_models.register(app)  # noqa: E402
from . import cli_qa; cli_qa.register(app)  # noqa: E402
from . import cli_pii; cli_pii.register(app)  # noqa: E402


def undecoded_argument(arguments: list[str]) -> str | None:
    """The error for the first of the command's ``arguments`` holding bytes that are not UTF-8, naming its option
    (``--name``, ``--case``...) or its place, and the byte, never printing it; None if every one is UTF-8. Python
    keeps such bytes as lone surrogates, which SQLite cannot store nor the screen print: a name, id or file name
    holding one ended the command in a traceback wherever it reached either."""
    for place, argument in enumerate(arguments, 1):
        option, equals, value = argument.partition("=") if argument.startswith("--") else ("", "", argument)
        byte = next((byte for char in value if (byte := undecoded_byte(char)) is not None), None)
        if byte is None:
            continue
        if not equals:  # the value of the option before it, or an argument of its own (a path)
            before = arguments[place - 2] if place > 1 else ""
            option = before if before in _value_options() else f"argument {place}"
        return (f"{option}: not UTF-8 text (a byte 0x{byte:02X}): casereview reads names, ids and paths as UTF-8 "
                "(rename a file whose name is not)")
    return None


def _value_options() -> set[str]:
    """The names of every command's options that take a value (``--name``, ``-w``), not flags (``--update``)."""
    names, commands = set(), [typer.main.get_command(app)]
    while commands:
        command = commands.pop()
        names.update(name for param in command.params if getattr(param, "is_flag", True) is False
                     and not getattr(param, "count", False) for name in param.opts)
        commands.extend(getattr(command, "commands", {}).values())
    return names


def _show_notice(message, category, filename, lineno, file=None, line=None) -> None:
    """A :class:`WorkspaceNotice` as one line on stderr, ``note: ...`` (Python's form would add a file, a line number
    and a line of code); any other warning as Python shows it."""
    if issubclass(category, WorkspaceNotice):
        err.print(Text.assemble(("note:", "bold"), " ", str(message)), soft_wrap=True)
    else:
        _python_shows_warning(message, category, filename, lineno, file, line)


_python_shows_warning = warnings.showwarning


def main() -> None:
    warnings.showwarning = _show_notice
    if (problem := undecoded_argument(sys.argv[1:])) is not None:
        say_error(problem)
        sys.exit(2)
    try:
        with reader_may_leave():  # `casereview ... | head`: quiet, and the exit code is the command's own
            app()
    except StdoutError as e:  # `> /dev/full`: the output is cut short, whatever the command did
        say_error(str(e))
        sys.exit(2)
    except SystemExit as e:  # typer's silent exit 130 for a Ctrl-C outside the group's steps (SaysWhenStopped)
        if e.code == STOPPED_BY_CTRL_C:
            say_stopped()
        raise
