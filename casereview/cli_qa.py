"""QA commands: sample, audits, assign, agreement, merge, report (a thin shell over sampling, double_coding, agreement, report)."""

from __future__ import annotations

import json
import shlex
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.text import Text

from .cli import WorkspaceOption, err, fail, if_stopped, library_errors, output_stream, stdout_console
from .names import escaped
from .wording import count, number
from .workspace import Workspace

if TYPE_CHECKING:
    from rich.table import Table

    from .agreement import AgreementReport

REPORT_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".csv": "csv"}


def _split(values: list[str]) -> tuple[str, ...]:
    """Repeated options and comma lists alike: --stratify label --stratify month == --stratify label,month."""
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def say(message: str | Text) -> None:
    """A line on stderr, never wrapped (scripts and tests read it)."""
    err.print(message, soft_wrap=True)


def warn(warning: str) -> None:
    say(Text.assemble(("warning:", "yellow"), " ", warning))


def _fmt(value: Optional[float], spec: str = ".2f") -> str:
    return "–" if value is None else format(value, spec)


def _flagged(value: Optional[float], units: int) -> str:
    """A kappa or alpha, marked '(few)' on too few units to say much, as the reports mark it '(too few units)'."""
    from .agreement import too_few_units

    return _fmt(value) + (" (few)" if too_few_units(value, units) else "")


def agreement_table(result: AgreementReport) -> Table:
    """A label's row (its alpha, open and adjudicated disputes), then a row per pair under it.

    The name column is as wide as the longest label name and never cut; the
    figures take the rest, so the table fits 80 columns. Alpha sits in the
    label's row under kappa: it is the label's, not a pair's.
    """
    from rich import box
    from rich.table import Table

    from .agreement import FEW_UNITS
    from .report import label_title
    from .taxonomy import LABEL_NAMES

    with_alpha = len(result.reviewers) > 1  # with two reviewers too, as the reports and --json give it
    table = Table(title=f"agreement in {'audit ' + result.audit if result.audit else 'the workspace'} "
                        f"({count(result.double_coded_notes, 'note')} double-coded; model {result.model_version or 'none'})",
                  title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True,
                  caption=f"open: {result.disputes_are}, not yet adjudicated; adjudicated: settled by a senior reviewer"
                          + ("; α: Krippendorff's alpha, all reviewers" if with_alpha else "")
                          + f"; (few): on fewer than {FEW_UNITS} units, too few to say much"
                          + (f". {result.counted_across}" if result.counted_across else ""),
                  caption_justify="left")
    # each label by its title, as the reports and the review screens name it ("Risk not analysed"); --json keeps the
    # codebook's names
    table.add_column("label / pair", min_width=max(len(label_title(name)) for name in LABEL_NAMES), overflow="fold")
    for column in ("units", "agreement", "kappa", "open", "adjudicated"):
        table.add_column(column, justify="right", no_wrap=True)
    for row in result.labels:
        alpha = f"α {_flagged(row.alpha, row.alpha_units)}" if with_alpha else ""
        table.add_row(label_title(row.label), "", "", alpha, number(row.disagreements), number(row.adjudicated), style="bold")
        for pair in row.pairs + row.versus_model:
            table.add_row(f"  {pair.first} ~ {pair.second}", number(pair.n), _fmt(pair.agreement, ".0%"),
                          _flagged(pair.kappa, pair.n), "", "")
    return table


def register(app: typer.Typer) -> None:
    @app.command()
    def sample(
        size: int = typer.Option(..., "--size", "-n", help="How many notes (or case files) to draw."),
        by: str = typer.Option("note", "--by", help="note | case: draw notes, or whole case files (with --from/--to: their notes of those dates)."),
        stratify: list[str] = typer.Option([], "--stratify", help="label | team | author_role | month | score-band (repeatable; combined)."),
        seed: Optional[int] = typer.Option(None, "--seed", help="Random seed \\[default: a new one, recorded in the audit]."),
        date_from: Optional[str] = typer.Option(None, "--from", help="Only notes dated on or after this day (YYYY-MM-DD)."),
        date_to: Optional[str] = typer.Option(None, "--to", help="Only notes dated on or before this day (YYYY-MM-DD)."),
        name: Optional[str] = typer.Option(None, "--name", help="The audit's name \\[default: audit-<UTC time>, with -2, -3... if taken]."),
        oversample: float = typer.Option(1.0, "--oversample-flagged", help="Draw flagged units this many times as often, 1-1000 (weights keep rates unbiased)."),
        hide_model: bool = typer.Option(False, "--hide-model", help="Reviewers of this audit do not see the model's suggestions, nor does whoever adjudicates its notes."),
        method: str = typer.Option("hash-rank", "--method", help="hash-rank: each stratum's units first by a hash of seed and id, so a redraw after coding or imports keeps most; shuffle: as audits of casereview 0.1.0 were drawn."),
        as_json: bool = typer.Option(False, "--json", help="Print the audit, its strata and items as JSON."),
        workspace: Optional[Path] = WorkspaceOption,
    ) -> None:
        """Draw a reproducible, stratified sample and save it as a named audit; print the chosen ids.

        Each sampled unit records its weight (stratum size / units drawn), so
        reports stay unbiased even when flagged notes are over-sampled. The
        same seed and the same data give the same sample; drawn again once
        notes were coded or imported, it keeps the units still in their stratum
        but for those new ones outrank (the audit records the command).

        [bold]Examples[/]

          casereview sample --size 40 --stratify label --seed 7 --name march-qa

          casereview sample --size 20 --by case --from 2024-03-01 --to 2024-03-31

          casereview sample --size 60 --stratify month --oversample-flagged 3

          casereview sample --size 30 --stratify team --hide-model --json
        """
        from . import sampling

        spec = sampling.SampleSpec(size=size, unit=by, stratify=_split(stratify), seed=seed, date_from=date_from,
                                   date_to=date_to, oversample=oversample, hide_model=hide_model,
                                   method=method)
        with library_errors(), Workspace.open(workspace, create=False) as ws:
            audit, drawn = sampling.sample(ws, spec, name)
        for warning in drawn.warnings:
            warn(warning)
        if as_json:
            typer.echo(json.dumps({"audit": audit, **drawn.params(audit),
                                   "units": [{"id": u, "stratum": s, "weight": w} for u, s, w in drawn.units],
                                   # what reviewers code: the notes (a case file's notes, with --by case)
                                   "items": [{"note_id": n, "stratum": s, "weight": w} for n, s, w in drawn.items]},
                                  indent=2))
        else:
            for unit_id, _, _ in drawn.units:
                typer.echo(unit_id)
        notes = f" ({count(len(drawn.items), 'note')})" if by == "case" else ""
        say(f"audit {audit}: {count(len(drawn.units), sampling.UNIT_NOUNS[by])}{notes} of "
            f"{number(drawn.frame_units)}, seed {drawn.seed}; review with: casereview review --audit {shlex.quote(audit)}")

    @app.command("audits")
    def list_audits(
        as_json: bool = typer.Option(False, "--json", help="Print every audit with all its parameters as JSON."),
        workspace: Optional[Path] = WorkspaceOption,
    ) -> None:
        """List the workspace's audits: when drawn, how many notes, how, who codes them (--json: every parameter and the command that draws it again).

        Under the table, each audit whose sample is smaller than its strata says
        which strata it reaches and which it draws nothing from (--json: each
        stratum's population and sampled).

        The command names the audit (--name): it is a record, to check the sample
        on a copy of the data; run in this workspace it is refused, the name taken.

        [bold]Examples[/]

          casereview audits

          casereview audits --json | jq '.[].params.command'
        """
        with library_errors(), Workspace.open(workspace, create=False) as ws:
            records = ws.audits()
        if as_json:
            typer.echo(json.dumps([asdict(a) for a in records], indent=2, ensure_ascii=False))
            return
        if not records:
            say("no audits yet; draw one with: casereview sample --size 40 --stratify label")
            return
        from rich import box
        from rich.table import Column, Table

        from .sampling import describe, strata_not_reached

        # what names an audit and draws it again (its name, method, seed) is never cut short: wrapped, if need be;
        # nor is how it was drawn, whose longest word is a date (10 columns), nor a header
        table = Table(Column("audit", overflow="fold", min_width=8), Column("drawn (UTC)", min_width=10),
                      Column("notes", no_wrap=True), Column("sampled", overflow="fold", min_width=10),
                      Column("method", no_wrap=True), Column("seed", no_wrap=True),
                      Column("reviewers", overflow="fold", min_width=9), box=box.SIMPLE_HEAD, show_edge=False,
                      pad_edge=False, collapse_padding=True)
        for a in records:
            p = a.params
            reviewers = ", ".join(p.get("assignment", {}).get("reviewers", [])) or "–"
            table.add_row(a.name, a.created_at[:16].replace("T", " "), number(a.notes), describe(p),
                          p.get("method", "–"), str(p.get("seed", "–")), reviewers)
        stdout_console.print(table)
        for a in records:  # a sample smaller than its strata: which strata no one will read, as drawing it warned
            if not_reached := strata_not_reached(a.params):
                typer.echo(f"{a.name}: {not_reached}")

    @app.command()
    def assign(
        audit: str = typer.Option(..., "--audit", help="The audit to share out."),
        reviewers: str = typer.Option(..., "--reviewers", help="Comma-separated reviewer names."),
        double: float = typer.Option(0.0, "--double", help="Fraction of units coded by two reviewers independently (0-1; above 0: at least one unit)."),
        seed: Optional[int] = typer.Option(None, "--seed", help="Random seed \\[default: the audit's]."),
        blind: bool = typer.Option(True, "--blind/--no-blind", help="Single-coded notes blind too (double-coded always are)."),
        as_json: bool = typer.Option(False, "--json", help="Print the shares as JSON."),
        workspace: Optional[Path] = WorkspaceOption,
    ) -> None:
        """Give each reviewer an even share of an audit; send a fraction to two reviewers, blind.

        A blind reviewer sees only their own decisions on the note (and no model
        suggestions if the audit was sampled with --hide-model). Case-file audits
        are shared out whole files at a time.

        [bold]Examples[/]

          casereview assign --audit march-qa --reviewers ann,bo

          casereview assign --audit march-qa --reviewers ann,bo,cy --double 0.2
        """
        from . import double_coding

        with library_errors(), Workspace.open(workspace, create=False) as ws:
            summary = double_coding.assign(ws, audit, double_coding.parse_reviewers(reviewers), double, seed, blind)
        for warning in summary.warnings:
            warn(warning)
        if as_json:
            typer.echo(json.dumps(asdict(summary), indent=2))
            return
        for reviewer, notes in summary.notes_per_reviewer.items():
            typer.echo(f"{reviewer}: {count(notes, 'note')} ({number(summary.double_per_reviewer[reviewer])} double-coded)")
        say(f"{count(summary.units, 'unit')}, {number(summary.double_units)} double-coded; each reviewer runs: "
            f"casereview review --audit {shlex.quote(audit)} --reviewer NAME")

    @app.command()
    def agreement(
        audit: Optional[str] = typer.Option(None, "--audit", help="The audit \\[default: every review decision in the workspace]."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        workspace: Optional[Path] = WorkspaceOption,
    ) -> None:
        """Per label: Cohen's kappa per reviewer pair, Krippendorff's alpha, agreement, and each reviewer vs the model.

        open: disputes not yet adjudicated (in an audit, between its coders; without
        --audit, an imported label counts as a reviewer's); adjudicated: settled.

        [bold]Examples[/]

          casereview agreement --audit march-qa

          casereview agreement --audit march-qa --json
        """
        from .agreement import audit_agreement

        with library_errors(), Workspace.open(workspace, create=False) as ws:
            if audit is not None:
                audit = ws.named_audit(audit).name
            result = audit_agreement(ws, audit)
        if as_json:
            typer.echo(json.dumps(asdict(result), indent=2))
            return
        if not result.reviewers:
            say("no review decisions to compare yet")
            return
        stdout_console.print(agreement_table(result))

    @app.command()
    def merge(
        file: Path = typer.Argument(..., help="Another workspace's decisions (export decisions) or comments (export comments), JSON Lines or CSV."),
        workspace: Optional[Path] = WorkspaceOption,
    ) -> None:
        """Merge a coder's decisions, or comments, exported from their workspace.

        FILE is what export decisions wrote there (JSON Lines, or --format csv).
        Each decision is merged with its reviewer, time, audit, kind and undos,
        so agreement, review --adjudicate and report read them as if everyone
        had coded here. Its note must be here as it was decided (the same
        text and fields), and its audit the same sample (drawn here with the
        command audits --json gives for it); a reviewer here must not have
        decisions the file does not hold (one name is one coder). Any bad
        row, named by line and field, and nothing is merged (exit 2).

        A decision merged before, or made here, is recognised and not added
        again: merging a file twice adds nothing the second time. A row that
        says it was made here must be this workspace's decision of that id,
        else it comes from a folder copied with cp keeping this workspace's
        id, and is refused (the refusal says how to mend the copy). Prints a
        line per reviewer: decisions merged, and already here.

        FILE may be what export comments wrote instead, told by its columns:
        each comment is added with its reviewer and time, once (a comment is
        its note, reviewer, time and text); one on a note not here, or on
        another version of it, is refused, and nothing is merged.

        [bold]Examples[/]

          casereview merge ~/from-bo/decisions.jsonl

          casereview merge decisions.csv -w qa-workspace

          casereview merge ~/from-bo/comments.jsonl
        """
        from .merging import merge as merge_file

        # one transaction: a Ctrl-C as it commits may land either side of it, and a merge again adds nothing twice
        if_stopped(f"{escaped(str(file))} is merged whole or not at all (one transaction): merge it again to be sure; "
                   "what is here already is not added twice")
        with library_errors(), Workspace.open(workspace, create=False) as ws:
            result = merge_file(ws, file)
        if_stopped(f"{escaped(str(file))} is merged ({count(result.merged, result.merging)} merged), as the lines "
                   "above say of each reviewer")
        if not result.reviewers:
            say(f"{file}: {result.nothing_to_merge}")
        for line in result.lines():
            say(line)

    @app.command()
    def report(
        audit: Optional[str] = typer.Option(None, "--audit", help="The audit \\[default: the whole workspace]."),
        case_id: Optional[str] = typer.Option(None, "--case", help="One case file's findings instead: its notes in date order, each decided concern with its evidence, suggestions not decided apart."),
        fmt: Optional[str] = typer.Option(None, "--format", "-f", help="html | md | csv \\[default: from -o's suffix (.html, .md, .csv; another is refused), else md]."),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (owner-only) \\[default: stdout]."),
        workspace: Optional[Path] = WorkspaceOption,
    ) -> None:
        """Concern rates per case file and note with Wilson intervals, trends, top case files, evidence, agreement; or one case file's findings (--case).

        The HTML report is one self-contained file with inline charts that prints
        well; it names the model version, the workspace and how far its decision
        log went, and the sample's parameters, so a reader can reproduce the
        figures.

        --case: one case file's notes in date order and, for each, the concerns a
        reviewer decided (label, author role, note type, who decided, evidence
        quoted unless the personal-data check holds it back), the suggestions no
        one decided apart, and per label how many notes, first and last date.

        Text from notes and reviewers is shown as written: in the CSV, a cell a
        spreadsheet would run as a formula (a quote, case id, team or name
        starting with = + - @) gets a leading ' (figures stay numbers); in md,
        markup in it (* _ ` | <) is escaped; in HTML, it is escaped.

        [bold]Examples[/]

          casereview report --audit march-qa -o march-qa.html

          casereview report --format md

          casereview report --audit march-qa --format csv -o march-qa.csv

          casereview report --case ITM-012 -o ITM-012.html
        """
        from . import case_report
        from . import report as report_mod

        suffix = output.suffix.lower() if output else ""
        if fmt is None and suffix and suffix not in REPORT_SUFFIXES:  # Markdown in a .pdf opens nowhere
            fail(f"{output}: a report is html, md or csv, not {suffix}: name the file .html, .md or .csv, "
                 "or give --format")
        chosen = fmt or REPORT_SUFFIXES.get(suffix, "md")
        if chosen not in report_mod.FORMATS:
            fail(f"--format {chosen!r}: choose from {', '.join(report_mod.FORMATS)}")
        if case_id is not None and audit is not None:
            fail("--case reports one case file, --audit an audit: give one of them")
        with library_errors():
            with Workspace.open(workspace, create=False) as ws:
                data = report_mod.build(ws, audit) if case_id is None else case_report.build(ws, case_id)
            with output_stream(output) as out:  # reports quote case notes: owner-only
                (report_mod.render if case_id is None else case_report.render)(data, chosen, out)
        if not data.quotes_checked:
            say("note: evidence quotes withheld (the personal-data scanner could not be loaded)")
        if output is not None and str(output) != "-":
            say(f"{chosen} report written to {output}")
