"""``casereview pii``: scan, redact and evaluate residual personal data; findings in a workspace."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

import typer

from . import wording
from .escaping import json_line
from .cli import (DateFormatOption, EncodingOption, MapValueOption, ValueMapOption, WorkspaceOption, err, fail,
                  library_errors, output_stream, read_all_notes, read_notes_arg)
from .value_maps import parse_value_maps

pii_app = typer.Typer(
    help="""Residual personal data: find it, redact it, measure the scanner, resolve findings.

    [bold]Examples[/]

      casereview pii scan notes.jsonl -o findings.jsonl

      casereview pii redact export.jsonl -o export.redacted.jsonl

      casereview pii findings --unresolved

      casereview pii resolve 12 --as false_alarm
    """,
    no_args_is_help=True,
    rich_markup_mode="rich",
)
ModelDirOption = typer.Option(None, "--model", "-m", help="A PII model folder \\[default: the shipped model].")
InputArgument = typer.Argument(..., help="JSON Lines notes in the codebook schema ('-' for stdin).")
OutputOption = typer.Option(None, "--output", "-o", help="File to write \\[default: stdout].")
TrustOption = typer.Option(False, "--trust-model", help="Load a model whose sha256 is not pinned (joblib files run code when loaded).")


def _scanned(scanner, notes: Iterator) -> Iterator[tuple]:
    """(note, entities) for each note of a stream, scanned in batches."""
    notes_a, notes_b, notes_c = itertools.tee(notes, 3)
    yield from zip(notes_a, scanner.scan_stream((n.text for n in notes_b), dates=(n.date for n in notes_c)))


@pii_app.command("scan")
def scan(
    input: Path = InputArgument,
    output: Optional[Path] = OutputOption,
    model: Optional[Path] = ModelDirOption,
    trust_model: bool = TrustOption,
    encoding: Optional[str] = EncodingOption,
    date_format: Optional[str] = DateFormatOption,
    map_value: list[str] = MapValueOption,
    value_map: list[Path] = ValueMapOption,
) -> None:
    """Find personal data: one JSON line per note with the entities found (start, end, label, text, score).

    Notes are read as import reads JSON Lines (--encoding, --date-format,
    --map-value and --value-map alike): a system's own note types and author
    roles need the same map as its import.

    [bold]Examples[/]

      casereview pii scan notes.jsonl -o findings.jsonl

      cat notes.jsonl | casereview pii scan - | jq '.entities | length'

      casereview pii scan export.jsonl --encoding cp1252

      casereview pii scan cms.jsonl --value-map cms-values.csv -o findings.jsonl
    """
    from .pii import load_scanner

    with library_errors():
        notes = read_notes_arg(input, "keep", encoding, date_format, values=parse_value_maps(map_value, value_map))
        scanner = load_scanner(model, trust=trust_model)
        with output_stream(output) as out:
            for note, entities in _scanned(scanner, notes):
                record = {"note_id": note.note_id, "entities": [e.record(note.text) for e in entities]}
                out.write(json_line(record) + "\n")


@pii_app.command("redact")
def redact(
    input: Path = InputArgument,
    output: Optional[Path] = OutputOption,
    model: Optional[Path] = ModelDirOption,
    trust_model: bool = TrustOption,
    encoding: Optional[str] = EncodingOption,
    date_format: Optional[str] = DateFormatOption,
    map_value: list[str] = MapValueOption,
    value_map: list[Path] = ValueMapOption,
) -> None:
    """Write the notes with every personal-data entity replaced by [LABEL], in the text and the other fields; evidence offsets follow the text.

    Notes are read as import reads JSON Lines (--encoding, --date-format, --map-value and --value-map alike) and written as UTF-8, dates as ISO dates (a time beside, as time), note types and author roles as the codebook's.

    [bold]Examples[/]

      casereview pii redact export.jsonl -o export.redacted.jsonl

      cat notes.jsonl | casereview pii redact - > redacted.jsonl

      casereview pii redact cms.jsonl --value-map cms-values.csv -o shared.jsonl
    """
    from .corpus import check_note_evidence
    from .pii import load_scanner
    from .pii.findings import redact_for_sharing

    with library_errors():  # evidence spans checked as import checks them: redaction moves them with the text
        notes = read_notes_arg(input, "keep", encoding, date_format, check_note_evidence,
                               parse_value_maps(map_value, value_map))
        scanner = load_scanner(model, trust=trust_model)
        redacted_count = 0
        with output_stream(output) as out:
            for note, replaced in redact_for_sharing(notes, scanner):
                redacted_count += replaced
                out.write(json_line(note.to_record()) + "\n")
    err.print(f"{wording.count(redacted_count, 'entity', 'entities')} redacted")


@pii_app.command("evaluate")
def evaluate(
    gold: Path = typer.Argument(..., help="JSON Lines notes with gold 'entities' [{start, end, label}]."),
    model: Optional[Path] = ModelDirOption,
    split: Optional[str] = typer.Option(None, "--split", help="Only notes whose 'split' field is this (e.g. test)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    trust_model: bool = TrustOption,
    encoding: Optional[str] = EncodingOption,
    date_format: Optional[str] = DateFormatOption,
    map_value: list[str] = MapValueOption,
    value_map: list[Path] = ValueMapOption,
) -> None:
    """Per-type precision, recall and F1 of the scanner against gold spans, exact-span and overlap.

    Notes are read as import reads JSON Lines (--encoding, --date-format, --map-value and --value-map alike).

    [bold]Examples[/]

      casereview pii evaluate corpora/sample/pii/notes.jsonl --split test

      casereview pii evaluate my-gold.jsonl --json
    """
    from .pii import load_scanner
    from .pii.evaluation import span_metrics
    from .pii.training import check_gold_entities, gold_spans

    with library_errors():
        # every note's entities checked, named by file, line and field, whatever its split
        notes = [n for n in read_all_notes(gold, "keep", encoding, date_format, check_gold_entities,
                                           parse_value_maps(map_value, value_map))
                 if split is None or n.extra.get("split") == split]
        if not notes:
            fail(f"{gold.name}: no notes with 'split' {split!r}")
        scanner = load_scanner(model, trust=trust_model)
        found = scanner.scan_many([n.text for n in notes], [n.date for n in notes])
        result = span_metrics([gold_spans(n.extra) for n in notes],
                              [[(e.start, e.end, e.label) for e in f] for f in found])
    if as_json:
        typer.echo(json.dumps({"model_version": scanner.model_version, "scanner_version": scanner.version,
                               "notes": len(notes), **result}, indent=2))
        return
    _print_metrics(result, f"{gold.name} ({wording.count(len(notes), 'note')}, {scanner.version})")


def _print_metrics(result: dict, title: str) -> None:
    from rich.table import Table

    from .cli import stdout_console

    table = Table(title=title, title_justify="left")
    # a type's name whole ("DATE_OF_BIRTH", not "DATE_O…"), and headers on two lines, so all fit in 80 columns
    table.add_column("type", no_wrap=True)
    for column in ("P\nexact", "R\nexact", "F1\nexact", "P\noverlap", "R\noverlap", "F1\noverlap", "gold"):
        table.add_column(column, justify="right", no_wrap=True)
    rows = list(result["exact"]["per_type"]) + ["overall"]
    for name in rows:
        e = result["exact"]["overall"] if name == "overall" else result["exact"]["per_type"][name]
        o = result["overlap"]["overall"] if name == "overall" else result["overlap"]["per_type"][name]
        table.add_row(name, *(f"{m[k]:.3f}" for m in (e, o) for k in ("precision", "recall", "f1")), str(e["support"]))
    stdout_console.print(table)


@pii_app.command("train")
def train(
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="Corpus folder \\[default: corpora/sample/pii]."),
    out: Optional[Path] = typer.Option(None, "--out", help="Model folder to write (not one holding a model) \\[default: models/<version>]."),
    seed: int = typer.Option(20261125, "--seed", help="Random seed (training is deterministic)."),
    pin: bool = typer.Option(False, "--pin", help="Pin the new model's sha256 as the shipped default (releases; the "
                                                  "model folder must be inside the project)."),
) -> None:
    """Train the name recogniser (PERSON, ADDRESS, SCHOOL): fit on train, tune on dev, report test.

    [bold]Examples[/]

      casereview pii train --out models/my-pii-model

      casereview pii train --pin
    """
    from .model_files import check_destination, check_no_model_in
    from .pii import scanner as scanner_mod
    from .pii.training import train_corpus

    with library_errors():
        models = scanner_mod.package_root() / "models"
        check_destination(out, models, None, pin, scanner_mod.check_pinnable)
        model, card = train_corpus(corpus, seed=seed)
        folder = out or models / card["version"]
        check_no_model_in(folder)  # the default folder is named by the data, known only now
        scanner_mod.save_model(model, folder, card)
        if pin:
            scanner_mod.pin(folder)
    test = card["metrics"]["test"]
    if test:
        _print_metrics(test, f"test split ({card['version']})")
    err.print(f"model written to {folder}" + (" and pinned" if pin else ""))


@pii_app.command("findings")
def findings(
    workspace: Optional[Path] = WorkspaceOption,
    unresolved: bool = typer.Option(False, "--unresolved", help="Only findings nobody has resolved."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON lines."),
) -> None:
    """List the workspace's personal-data findings (where and what type, never the value); exit 1 if any is unresolved.

    [bold]Examples[/]

      casereview pii findings --unresolved

      casereview pii findings --json | jq .note_id
    """
    from dataclasses import asdict

    from .pii.findings import scan_workspace
    from .workspace import Workspace

    with library_errors(), Workspace.open(workspace, create=False) as ws:
        scan_workspace(ws, starting=announce_scan)
        rows = ws.pii_findings(unresolved=unresolved)
        open_count = len(ws.pii_findings(unresolved=True))
    # columns as wide as their widest value, so that they line up
    note_width = max((len(row.note_id) for row in rows), default=0)
    span_width = max((len(f"{row.start}-{row.end}") for row in rows), default=0)
    for row in rows:
        if as_json:
            typer.echo(json.dumps(asdict(row)))
        else:
            state = f"{row.resolution} by {row.reviewer}" if row.resolution else "UNRESOLVED"
            span = f"{row.start}-{row.end}"
            typer.echo(f"{row.id:>6}  {row.note_id:<{note_width}}  {span:<{span_width}}  {row.label:<14} "
                       f"{row.score:.2f}  {state}")
    err.print(f"{wording.count(len(rows), 'finding')}; {wording.number(open_count)} unresolved")
    if open_count:
        raise typer.Exit(1)


@pii_app.command("rescan")
def rescan(workspace: Optional[Path] = WorkspaceOption) -> None:
    """Scan notes not yet scanned by this version's scanner ('pii findings', exports and review do too).

    After an upgrade brings a new recogniser or rules, each note last scanned
    by another scanner version is scanned again (about 15 s for 10,000 notes).
    A finding found again (same place, same type) keeps its resolution; a new
    one is added unresolved; an earlier one not found again no longer counts
    (the workspace keeps it, marked superseded), unless it was redacted.

    [bold]Example[/]

      casereview pii rescan && casereview pii findings --unresolved
    """
    from .pii.findings import scan_workspace
    from .workspace import Workspace

    with library_errors(), Workspace.open(workspace, create=False) as ws:
        done = scan_workspace(ws, starting=announce_scan)
    err.print(done.describe())


def announce_scan(pending) -> None:
    """Say on stderr which notes are about to be scanned and why, before the wait (``scan_workspace``'s ``starting``)."""
    for line in pending.describe():
        err.print(line)


@pii_app.command("resolve")
def resolve(
    finding_id: int = typer.Argument(..., help="A finding id from 'casereview pii findings'."),
    resolution: str = typer.Option(..., "--as", help="false_alarm | redacted"),
    workspace: Optional[Path] = WorkspaceOption,
    reviewer: Optional[str] = typer.Option(None, "--reviewer", help="Your name \\[default: $CASEREVIEW_REVIEWER, else the OS user]."),
) -> None:
    """Resolve a finding: a false alarm (logged, text kept) or redacted (the value becomes [LABEL] in the note).

    A finding already resolved as asked is left as it is, and the command
    says so (exit 0). A redacted finding cannot become a false alarm: its
    value is gone (exit 2).

    [bold]Examples[/]

      casereview pii resolve 12 --as false_alarm --reviewer "A. Inspector"

      casereview pii resolve 13 --as redacted
    """
    from .pii.findings import RESOLUTIONS, resolve_finding
    from .review import reviewer_name
    from .workspace import Workspace

    if resolution not in RESOLUTIONS:
        fail(f"--as {resolution!r}: choose from {', '.join(RESOLUTIONS)}")
    with library_errors(), Workspace.open(workspace, create=False) as ws:
        done, recorded = resolve_finding(ws, finding_id, resolution, reviewer_name(reviewer))
    if recorded:
        err.print(f"finding {done.id} on {done.note_id}: {done.resolution} by {done.reviewer}")
    else:  # a no-op, as re-importing the same file is: exit 0
        err.print(f"finding {done.id} on {done.note_id} is already {done.resolution} by {done.reviewer}; "
                  "nothing recorded")


def register(app: typer.Typer) -> None:
    app.add_typer(pii_app, name="pii")
