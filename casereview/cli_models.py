"""The learning loop's commands: ``casereview retrain`` and ``casereview models list|show|promote|rollback``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import typer
from rich import box
from rich.table import Table

from .retrained_card import HELD_OUT, SET_TITLES, f1_of, support_line, version_lines
from .taxonomy import BY_NAME
from .wording import number, tally
from .workspace import REFUSED_PROMOTION


def _f1(block: dict | None, label: str | None = None) -> str:
    value = f1_of(block, label)  # None: no model, no note to measure on, or none carrying the label: no F1, not 0
    return "-" if value is None else f"{value:.3f}"


def f1_table(title: str, sets: dict[str, dict[str, Any]], with_current: bool = True,
             with_support: bool = False, held_out_support: bool = False) -> Table:
    """Per label, F1 on each evaluation set: 'current -> new' side by side, or the new model's only;
    ``with_support``, each set's notes carrying the label too (on a few, one note moves an F1 a lot);
    ``held_out_support``, the held-out set's under the table (three sets' columns leave no room for more)."""
    left_out = any(b[side].get("left_out_of_macro") for b in sets.values() for side in ("new", "current") if b.get(side))
    held_out = sets.get(HELD_OUT) if held_out_support else None
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, caption_justify="left",
                  caption="* core label" + ("; -: no note of that set carries the label (left out of its macro-F1)"
                                            if left_out else "")
                  + (f"; {support_line(held_out)}" if held_out and held_out["notes"] else ""))
    table.add_column("label")
    for name, block in sets.items():
        table.add_column(f"{SET_TITLES.get(name, name)} ({number(block['notes'])})", justify="right")
        if with_support:
            table.add_column("notes with it", justify="right")

    def cells(label: str | None) -> list[str]:
        row = []
        for b in sets.values():
            new = _f1(b["new"], label)
            row.append(f"{_f1(b.get('current'), label)} -> {new}" if with_current else new)
            if with_support:  # the gold's, the same for both models
                row.append(number(b["new"]["per_label"][label]["support"]) if label else "")
        return row

    for label in next(iter(sets.values()))["new"]["per_label"]:
        # the marker first: in 80 columns a long name is cut short, and a marker after it went with it
        table.add_row(("*" if BY_NAME[label].core else "") + label, *cells(label))
    table.add_row("macro-F1", *cells(None))
    return table


def register(app: typer.Typer) -> None:
    from .cli import WorkspaceOption, err, fail, if_stopped, library_errors, stages_shown, stdout_console
    from .workers import default_processes

    CorpusOption = typer.Option(None, "--corpus", help="Base corpus folder \\[default: corpora/sample].")
    ReviewerOption = typer.Option(
        None, "--reviewer", help="Your name in the audit log \\[default: $CASEREVIEW_REVIEWER, else the OS user]."
    )
    JsonOption = typer.Option(False, "--json", help="Print JSON for scripts.")

    models_app = typer.Typer(
        help="""List, inspect, promote and roll back the workspace's model versions.

        [bold]Examples[/]

          casereview models list

          casereview models show local-120-3fa2c1d0

          casereview models promote local-120-3fa2c1d0

          casereview models rollback
        """,
        no_args_is_help=True, rich_markup_mode="rich",
    )
    app.add_typer(models_app, name="models")

    def open_workspace(workspace: Optional[Path]):
        from .workspace import Workspace

        return Workspace.open(workspace, create=False)

    def say_removed(saves) -> None:
        from .model_saves import describe

        if saves:
            err.print(f"removed {describe(saves)}: left by a retrain killed while saving its model")

    def say_compared_on(result) -> None:
        """What promote judges a retrained version on: the held-out slice's notes with every label decided, else a
        corpus's test split, and why."""
        from .learning import Evidence

        say_evidence("promote compares on", Evidence(**result.promote_compares_on))

    def say_evidence(verb: str, evidence) -> None:
        """What the guardrail judges on (``learning.Evidence``) and, if it left reviewed notes out, why."""
        err.print(f"{verb} {evidence.describe()}")
        if evidence.left_out():
            err.print(evidence.left_out())

    @app.command()
    def retrain(
        workspace: Optional[Path] = WorkspaceOption,
        corpus: Optional[Path] = CorpusOption,
        seed: int = typer.Option(20261125, "--seed", help="Random seed (training is deterministic)."),
        reviewer: Optional[str] = ReviewerOption,
        as_json: bool = JsonOption,
        processes: int = typer.Option(default_processes(), "--processes", "-p", min=1,
                                      help="Forked workers for the out-of-fold fits (the model is the same); 1 trains here."),
    ) -> None:
        """Retrain on the base corpus plus the workspace's decisions; compare with the current model; register it.

        Confirmed and added labels are positives, rejected ones negatives;
        unreviewed labels, and those only marked unsure, are left out (not
        negatives; a label one reviewer decided and another marked unsure
        trains as decided, whoever saved last); a label reviewers
        disagree on (an imported label counting as a reviewer's) is left out of
        its note until adjudicated, which 'casereview review --adjudicate-all'
        records, while the note's other decided labels train. A fixed 20% of
        case files is held out for the comparison. The corpus needs dev and test
        notes (it tunes on dev and compares on test). The new version is
        registered, not promoted (if a retrain run at the same time on the
        same data registered it first, it says so). Refused (exit 1) while no
        reviewed note would train it. It says what promote will judge the new
        version on (the held-out slice's notes with every label decided, else
        the --corpus test split) and how to promote it. Folders left by a
        retrain killed while saving its model (before or after moving it into
        place) are removed first, when no retrain is saving.

        [bold]Examples[/]

          casereview retrain

          casereview retrain --workspace ws --json

          casereview retrain -p 1
        """
        from . import learning
        from .adjudication import ADJUDICATE_ALL_COMMAND
        from .review import reviewer_name

        # a version is saved and registered at the end, in one step: a stop may land either side of it
        if_stopped("a retrain again on the same data trains the same version, or says it is registered already "
                   "('casereview models list' lists them)")
        with library_errors(), open_workspace(workspace) as ws, stages_shown() as stage:
            try:
                result = learning.retrain(ws, actor=reviewer_name(reviewer), corpus_dir=corpus, seed=seed,
                                          processes=processes, stage=stage)
            except learning.NothingToLearnError as e:
                fail(str(e), 1)
        record = result.record
        if_stopped(f"{record.version} is registered (not promoted); 'casereview models show {record.version}' says the "
                   "rest")
        if as_json:
            typer.echo(json.dumps({"version": record.version, "already_registered": result.already_registered,
                                   "registered_by_another_run": result.registered_by_another_run,
                                   "counts": result.counts, "comparison": result.comparison,
                                   "too_few_held_out": result.too_few_held_out,
                                   "promote_compares_on": result.promote_compares_on,
                                   "removed_unfinished_saves": [s.as_json() for s in result.removed_leftovers]}, indent=2))
            return
        say_removed(result.removed_leftovers)
        if result.already_registered:
            err.print(f"Nothing new to learn: {record.version} was trained on exactly this data "
                      "(the same corpus, training decisions and seed).")
            say_compared_on(result)
            err.print(f"{record.version} is the promoted model" if record.promoted else
                      f"{record.version} is not promoted; promote it with: {result.promote_command}")
            return
        comparison = result.comparison
        stdout_console.print(f1_table(f"F1: current ({comparison['current_version'] or 'none'}) vs new "
                                      f"({record.version})", comparison["sets"],
                                      with_current=comparison["current_version"] is not None, held_out_support=True))
        err.print("\n".join(version_lines(record)))  # in words, as its card says them
        if result.counts["disputed_labels"]:
            err.print(f"the disputed labels train once adjudicated: {ADJUDICATE_ALL_COMMAND}")
        say_compared_on(result)
        if result.registered_by_another_run:  # a retrain run at the same time, on the same data, saved first
            err.print(f"{record.version} was registered by another run meanwhile, trained on the same data (the same "
                      f"model): this run registered nothing; promote it with: {result.promote_command}")
            return
        err.print(f"registered {record.version} (not promoted); promote it with: {result.promote_command}")

    @models_app.command("list")
    def list_(workspace: Optional[Path] = WorkspaceOption, as_json: bool = JsonOption) -> None:
        """The workspace's model versions in the order registered; * marks the promoted one, ! a model file missing or changed since it was registered (each file is checked against its hash).

        'trained' is the date on the model's card: the shipped model was
        trained before any workspace registered it. Each version's test F1 is
        on the test split of the corpus it was retrained with (its 'corpus'
        column; 'models show' gives the folder): figures on two corpora do not
        compare. A model this workspace did not train (the shipped one) shows
        the figures of its model card, on the corpus it was trained on. Folders
        left by a retrain killed while saving its model are removed (when no
        retrain is saving) and named.

        [bold]Examples[/]

          casereview models list

          casereview models list --json | jq '.[] | select(.promoted) | .version'
        """
        from .learning import listed
        from .registry import remove_leftover_saves

        with library_errors(), open_workspace(workspace) as ws:
            removed = remove_leftover_saves(ws)
            entries = listed(ws)
        say_removed(removed)
        if as_json:
            typer.echo(json.dumps([e.as_json() for e in entries], indent=2))
            return
        if not entries:
            err.print("no models yet; 'casereview tag' registers the shipped model, promotes it and scores the notes",
                      soft_wrap=True)
            return
        table = Table(box=box.SIMPLE_HEAD, caption="* promoted; log: decision-log position trained on",
                      caption_justify="left", pad_edge=False, show_edge=False, collapse_padding=True)
        # test F1 is on the test split of the corpus a version was retrained with: figures on two corpora differ
        for column in ("", "version", "trained (UTC)", "corpus", "held-out F1", "test F1", "log"):
            table.add_column(column, no_wrap=column != "corpus")
        for e in entries:
            r = e.record
            corpus = Path(r.trained_on["corpus"]).name if r.trained_on.get("corpus") else "-"
            trained = e.trained_at[:16].replace("T", " ") if e.trained_at else "-"
            table.add_row(("*" if r.promoted else "") + ("!" if e.file_problem else ""), r.version, trained, corpus,
                          _f1(r.metrics.get("held_out")), _f1(r.metrics.get("test")),
                          str(r.trained_on.get("decision_log_position", "-")))
        stdout_console.print(table)
        for e in entries:
            if e.file_problem:
                stdout_console.print(f"! {e.record.version}: model file {e.file_problem}", highlight=False)

    @models_app.command()
    def show(version: str = typer.Argument(..., help="A model version (see 'casereview models list')."),
             workspace: Optional[Path] = WorkspaceOption, as_json: bool = JsonOption) -> None:
        """One model version: file, hash, when it was trained and registered, what it was trained on, its metrics and its audit log.

        The audit log lists each promotion tried: refused by the guardrail, or
        forced past it, with what it was judged on and why.

        [bold]Examples[/]

          casereview models show local-120-3fa2c1d0

          casereview models show local-120-3fa2c1d0 --json
        """
        from .learning import audit_log, listed_model

        with library_errors(), open_workspace(workspace) as ws:
            record = ws.model(version)
            if record is None:
                fail(f"no model version {version!r} in this workspace (see 'casereview models list')")
            events = audit_log(ws, version)
        entry = listed_model(record)
        record, problem = entry.record, entry.file_problem
        if as_json:
            typer.echo(json.dumps({**entry.as_json(), "events": events}, indent=2))
            return
        typer.echo(f"version: {record.version}{'  (promoted)' if record.promoted else ''}")
        typer.echo(f"path: {record.path}\nsha256: {record.sha256}\ntrained: {entry.trained_at or '-'} (its model card)\n"
                   f"registered here: {record.created_at}")
        typer.echo(f"file: {'as registered' if problem is None else problem}")
        for key, value in record.trained_on.items():
            if key == "notes" and "decision_log_position" in record.trained_on:  # retrained: in words, as its card
                typer.echo("\n".join(["notes:"] + [f"  {line}" for line in version_lines(record)]))
            else:
                typer.echo(f"{key.replace('_', ' ')}: {tally(value) if isinstance(value, dict) else value}")
        sets = {name: {"notes": m["notes"], "new": m} for name, m in record.metrics.items()
                if isinstance(m, dict) and "per_label" in m}
        if sets:
            stdout_console.print(f1_table("F1", sets, with_current=False, held_out_support=True))
        for e in events:
            by = (f", asked by {e['actor']}" if e["action"] == REFUSED_PROMOTION
                  else f" by {e['actor']}{' (forced)' if e['forced'] else ''}")
            typer.echo(f"{e['created_at'][:19]} {e['what']}{by}")
            if e["guardrail"]:  # a promotion refused, or forced past the guardrail: on what, and why
                said = e["guardrail"]
                if said["judged_on"]:
                    typer.echo(f"  compared with {said['compared_with']} on {said['judged_on']}")
                for reason in said["reasons"]:
                    typer.echo(f"  - {reason}")

    @models_app.command()
    def promote(
        version: str = typer.Argument(..., help="The model version to promote."),
        workspace: Optional[Path] = WorkspaceOption,
        force: bool = typer.Option(False, "--force", help="Promote even if the guardrail refuses (recorded as forced)."),
        reviewer: Optional[str] = ReviewerOption,
        corpus: Optional[Path] = CorpusOption,
    ) -> None:
        """Promote a model version, unless it does worse than the current model on the held-out data.

        The held-out data is the held-out slice's notes with every label decided
        (imported with their labels, or each label confirmed, added or rejected
        by reviewers) once there are 100 and each core label is carried by 20 of
        them, else the corpus test split; a note whose labels were decided only
        where the model suggested them would hide the current model's misses and
        the new one's false alarms, and is left out. It says what it judged on:
        which set, how many notes, how many carry each core label, and how many
        reviewed notes it left out. Refused (exit 1) when its macro-F1 drops by
        more than 0.01 or any core label's F1 by more than 0.03, when compared
        on another --corpus than the version was retrained with, or when there
        is nothing to compare on (a corpus with no test notes); the audit log
        records a refusal, with your name, what it was judged on and why
        ('casereview models show VERSION'); --force overrides and the audit log
        records it as forced, with your name and the same. Then run
        'casereview tag' to re-score the notes with the promoted model. The
        model this casereview ships is promoted by its version even before 'tag'
        has scored with it: after an upgrade removed the model shipped before,
        which the workspace promoted, that is the way out (--force). The version
        promoted already changes nothing (exit 0); one whose file is the model
        in use (the same hash: the shipped model before any is promoted) is
        promoted with nothing to compare.

        [bold]Examples[/]

          casereview models promote local-120-3fa2c1d0

          casereview models promote local-120-3fa2c1d0 --force --reviewer "A. Lead"
        """
        from . import learning
        from .review import reviewer_name

        # compared first (a minute on the corpus test split), then promoted, or the refusal recorded, in one step
        if_stopped("a promotion (or a refusal) is recorded at the end, in one step: 'casereview models list' marks the "
                   "promoted version")
        with library_errors(), open_workspace(workspace) as ws:
            result = learning.promote(ws, version, actor=reviewer_name(reviewer), force=force, corpus_dir=corpus)
        if_stopped(f"{version} was the promoted model already: nothing changed" if result.already_promoted else
                   f"{version} is promoted{' (forced)' if result.forced else ''}" if result.promoted else
                   f"promotion of {version} refused by the guardrail, as its audit log records ('casereview models show "
                   f"{version}')")
        if result.already_promoted:
            err.print(f"{version} is already the promoted model: nothing changed")
            return
        if result.same_file_as:  # the model in use: compared with itself, it would pass after a minute's scoring
            what = ("the model in use (the shipped default, until one is promoted; " if result.same_file_as == version
                    else f"the same file as {result.same_file_as}, the model in use (")
            err.print(f"{version} is {what}sha256 {result.sha256[:12]}…): nothing to compare")
        if result.evidence is not None and result.notes:  # nothing to compare on: the reasons say so
            say_evidence("judged on", result.evidence)
        if result.current is not None:
            sets = {result.guard_set: {"notes": result.notes, "new": result.new, "current": result.current}}
            stdout_console.print(f1_table(f"guardrail: current ({result.previous}) vs new ({version})", sets,
                                          with_support=True))
        for reason in result.reasons:
            err.print(f"- {reason}")
        if not result.promoted:
            fail(f"promotion of {version} refused by the guardrail, as its audit log now records ('casereview models "
                 f"show {version}'); --force overrides (recorded as forced)", 1)
        err.print(f"promoted {version}{' (forced)' if result.forced else ''}; run 'casereview tag' to re-score")

    @models_app.command()
    def rollback(workspace: Optional[Path] = WorkspaceOption, reviewer: Optional[str] = ReviewerOption) -> None:
        """Promote again the version promoted before the current one; its stored predictions are used again.

        The first promotion of a model retrained here rolls back to the model
        casereview ships, which the workspace used until then.

        [bold]Examples[/]

          casereview models rollback

          casereview models rollback --reviewer "A. Lead"
        """
        from . import learning
        from .review import reviewer_name

        with library_errors(), open_workspace(workspace) as ws:
            restored, previous = learning.rollback(ws, actor=reviewer_name(reviewer))
        if_stopped(f"rolled back from {previous} to {restored}")
        err.print(f"rolled back from {previous} to {restored}; its predictions are used again "
                  f"('casereview tag' scores any note it has not scored)")
