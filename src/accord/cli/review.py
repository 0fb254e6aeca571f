"""``accord review`` (claims → proposed updates of the case) and ``accord edits`` (the kept edits: list, export).

JSON output (``--json``):

- ``review``: ``{"case", "as_of", "claims", "proposals": [{"id", "kind", "actor", "issue", "option", "read_from",
  "date", "reason", "changes": [text], "current": Position | null, "proposed": Position | null,
  "sources": [Source], "claims": [Claim]}], "agrees", "skipped": [{"claim", "reason"}]}``
- ``edits list``: ``[{"seq", "kind", "key", "action", "author", "at", "applied", "problem"}]``
- ``edits export``: ``{"case", "folder", "edits", "applied", "skipped": [{"seq", "problem"}], "files": [path]}``
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from accord.cli.app import (
    DEFAULT_CASE,
    AsOfOpt,
    CaseOpt,
    JsonOpt,
    as_of_date,
    console,
    emit_json,
    err_console,
    open_case,
    registry,
    to_jsonable,
)
from accord.cli.commands import Group
from accord.errors import AccordError, Problem

if TYPE_CHECKING:
    from accord.model import Case

edits_app = typer.Typer(
    cls=Group, no_args_is_help=True,
    help="The edits kept in the database (positions, plans, review decisions): list, export.",
)
registry.add_typer(edits_app, name="edits")

DbOpt = Annotated[str | None, typer.Option("--db", envvar="ACCORD_DB",
                                           help="Database URL (sqlite:///FILE or postgresql://USER@HOST/DB).")]


@registry.command("review")
def review_cmd(
    claims: Annotated[Path, typer.Argument(help="Claims as JSON lines (from `accord extract -o`).")],
    case: CaseOpt = DEFAULT_CASE,
    as_of: AsOfOpt = None,
    json: JsonOpt = False,
) -> None:
    """Compare dated claims with the position in effect on each claim's date; list the proposed updates.

    A claim that contradicts a coded position (opposes its ideal or an acceptable option, supports or
    conditionally accepts an option on its red line, supports an option not coded acceptable, speaks on an
    issue the actor holds no position on) becomes a proposal with the claim's sentence, speaker and source.
    Nothing is written: accept or dismiss proposals in the dashboard (`accord serve --claims FILE`, Review).
    With --as-of, claims dated after that day are left aside.
    """
    from accord.analysis.review import KINDS, changes, review
    from accord.cli.claims_file import read_claims

    c = open_case(case)
    day = as_of_date(as_of)
    found = read_claims(claims)
    result = review(c, found, as_of=day)
    if json:
        emit_json({
            "case": c.id, "as_of": day, "claims": len(found), "agrees": result.agrees,
            "skipped": result.skipped,
            "proposals": [{**to_jsonable(p), "changes": changes(c, p)} for p in result.proposals],
        })
        return
    for p in result.proposals:
        head = f"[bold]{p.id}[/]  {p.date}  {p.actor} · {p.issue}: {KINDS[p.kind]}"
        console.print(head)
        console.print(f"  {p.reason}", markup=False)
        console.print(f"  option read from {p.read_from}", style="dim", markup=False)
        proposed = "; ".join(changes(c, p)) or "no state can be read from the claims: code it by hand"
        console.print(f"  proposed state of {p.date}: {proposed}", markup=False)
        for cl in p.claims:
            who = cl.speaker or cl.holder
            console.print(f"  “{cl.text}” — {who} ({cl.stance}, {cl.basis})", markup=False, soft_wrap=True)
        for src in p.sources:
            console.print(f"    {src.url} ({src.date or 'undated'}, reliability {src.reliability})", markup=False,
                          soft_wrap=True)
    reasons: dict[str, int] = {}
    for left in result.skipped:
        reasons[left.reason] = reasons.get(left.reason, 0) + 1
    console.print(f"{len(result.proposals)} proposed updates from {len(found)} claims; {result.agrees} agree "
                  f"with the case; {len(result.skipped)} left aside", markup=False)
    for reason, n in sorted(reasons.items(), key=lambda t: -t[1]):
        console.print(f"  {n} × {reason}", style="dim", markup=False)


@edits_app.command("list")
def edits_list(case: CaseOpt = DEFAULT_CASE, db: DbOpt = None, json: JsonOpt = False) -> None:
    """Every edit kept for a case, oldest first: who, when, what, and whether it still applies."""
    c = open_case(case)
    done = _replayed(c, db)
    if json:
        emit_json(done.edits)
        return
    t = Table("seq", "at", "author", "kind", "key", "action", "applies", title=f"Edits of {c.id}")
    for e in done.edits:
        t.add_row(str(e.seq), e.at.strftime("%Y-%m-%d %H:%M"), e.author, e.kind, e.key, e.action,
                  "yes" if e.applied else f"no: {e.problem}")
    console.print(t)


@edits_app.command("export")
def edits_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="A new (or empty) folder for the edited case.")],
    case: CaseOpt = DEFAULT_CASE,
    db: DbOpt = None,
    json: JsonOpt = False,
) -> None:
    """Write the case with its kept edits applied as a case folder: a copy of the case whose positions.yaml,
    sources.yaml and plans/ carry the accepted states, new sources and edited plans (comments kept)."""
    from accord.model import load_case
    from accord.model.dump import positions_yaml, sources_yaml
    from accord.model.load import case_dir

    c = open_case(case)
    folder = case_dir(case)
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise AccordError(f"--output {output}: expected a new or empty folder (nothing is overwritten)")
    done = _replayed(c, db)
    tmp = output.with_name(output.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.copytree(folder, tmp)
    written = []
    text = (folder / "positions.yaml").read_text(encoding="utf-8") if (folder / "positions.yaml").is_file() else ""
    (tmp / "positions.yaml").write_text(positions_yaml(c, done.case, text), encoding="utf-8")
    written.append("positions.yaml")
    text = (folder / "sources.yaml").read_text(encoding="utf-8") if (folder / "sources.yaml").is_file() else ""
    (tmp / "sources.yaml").write_text(sources_yaml(done.case.sources, text), encoding="utf-8")
    written.append("sources.yaml")
    written += _plans(c, done.case, tmp)
    try:
        load_case(tmp)
    except AccordError as e:
        shutil.rmtree(tmp)
        head = Problem(str(output), None, "", "the edited case does not validate; nothing was written")
        raise AccordError([head, *e.problems]) from None
    if output.exists():
        output.rmdir()
    tmp.rename(output)
    skipped = [{"seq": e.seq, "problem": e.problem} for e in done.edits if not e.applied]
    out: dict[str, Any] = {"case": c.id, "folder": str(output), "edits": len(done.edits),
                           "applied": len(done.edits) - len(skipped), "skipped": skipped,
                           "files": [str(output / f) for f in written]}
    if json:
        emit_json(out)
        return
    console.print(f"{out['applied']} of {out['edits']} kept edits applied; case written to {output}", markup=False)
    for s in skipped:
        err_console.print(f"note: edit {s['seq']} no longer applies: {s['problem']}", markup=False)


def _replayed(case: Case, db: str | None) -> Any:
    from accord.store.edits import EditStore
    from accord.store.url import default_url
    from accord.web.edits import replay

    store = EditStore.open(db or default_url())
    return replay(case, store.load(case.id))


def _plans(before: Case, after: Case, folder: Path) -> list[str]:
    """Write the plans an edit added or changed, remove those it removed; return the files touched."""
    import yaml

    from accord.model.dump import plan_yaml

    touched = []
    files = {}
    for path in sorted((folder / "plans").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and "id" in doc:
            files[str(doc["id"])] = path
    old = {p.id: p for p in before.plans}
    for plan in after.plans:
        if old.get(plan.id) == plan:
            continue
        path = files.get(plan.id) or folder / "plans" / f"{plan.id}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(plan_yaml(plan), encoding="utf-8")
        touched.append(f"plans/{path.name}")
    for plan_id in set(old) - {p.id for p in after.plans}:
        if plan_id in files:
            files[plan_id].unlink()
            touched.append(f"plans/{files[plan_id].name}")
    return touched
