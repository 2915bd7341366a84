"""The ``casereview`` command: a thin typer shell over the library.

Exit codes: 0 ok; 1 a failed check or findings; 2 bad usage or bad input.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from . import exporter, importer
from .errors import CaseReviewError
from .workspace import Workspace

app = typer.Typer(
    help="Tag, review and audit children's social care case notes against the concern codebook.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
err = Console(stderr=True, highlight=False)

WorkspaceOption = typer.Option(
    None, "--workspace", "-w", envvar="CASEREVIEW_WORKSPACE",
    help="Workspace folder [default: ./casereview-workspace].",
)


def fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)
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
    if path is None or str(path) == "-":
        yield sys.stdout
    else:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            yield fh


@app.command("import")
def import_(
    paths: list[Path] = typer.Argument(..., help="JSON Lines files, CSV files or folders of .txt files."),
    workspace: Optional[Path] = WorkspaceOption,
    map_: list[str] = typer.Option([], "--map", help="Rename a CSV column: SOURCE=TARGET (repeatable)."),
    update: bool = typer.Option(False, "--update", help="Replace changed notes, keeping the old version."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Import valid rows; write rejected rows to FILE.rejects.jsonl."
    ),
) -> None:
    """Import case notes into the workspace (each file in one transaction).

    [bold]Examples[/]

      casereview import corpora/sample/notes.jsonl

      casereview import export.csv --map ClientRef=case_id --map Narrative=text

      casereview import letters/ --skip-invalid
    """
    with library_errors():
        mapping = importer.parse_mapping(map_)
        with Workspace.open(workspace) as ws:
            for path in paths:
                report = importer.import_path(ws, path, mapping=mapping, update=update, skip_invalid=skip_invalid)
                r = report.result
                line = f"{report.source}: {r.added} added, {r.updated} updated, {r.unchanged} unchanged, {r.decisions} decisions"
                if report.rejected:
                    line += f", {len(report.rejected)} rejected -> {report.rejects_path}"
                err.print(line)


@app.command()
def export(
    kind: str = typer.Argument(..., help="notes | labels | decisions"),
    workspace: Optional[Path] = WorkspaceOption,
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl | csv"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write [default: stdout]."),
) -> None:
    """Export notes, notes with their current labels, or the full decision log.

    [bold]Examples[/]

      casereview export labels -o labelled.jsonl

      casereview export decisions --format csv -o decisions.csv
    """
    if kind not in exporter.KINDS:
        fail(f"unknown export {kind!r}; choose from {', '.join(exporter.KINDS)}")
    if fmt not in exporter.FORMATS:
        fail(f"unknown format {fmt!r}; choose from {', '.join(exporter.FORMATS)}")
    with library_errors(), Workspace.open(workspace, create=False) as ws, output_stream(output) as out:
        count = exporter.export(ws, kind, fmt, out)
    err.print(f"{count} {kind} records written")


@app.command()
def status(
    workspace: Optional[Path] = WorkspaceOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Counts of notes, case files, predictions, decisions by state, and models.

    [bold]Example[/]

      casereview status --json
    """
    with library_errors(), Workspace.open(workspace, create=False) as ws:
        info = ws.status()
    if as_json:
        typer.echo(json.dumps(info, indent=2))
        return
    for key, value in info.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        typer.echo(f"{key.replace('_', ' ')}: {value}")


def main() -> None:
    app()
