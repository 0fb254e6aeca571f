"""Show commands: ``report`` (self-contained HTML + Markdown), ``serve`` (web service), ``token create``.

JSON output (``--json``):

- ``report``: ``{"html": path, "markdown": path, "case", "as_of", "sections": {section: "rendered" | note}}``
- ``token create``: ``{"token", "id", "role", "name", "monitor", "db"}`` (the token is shown once)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from accord.cli.app import (
    DEFAULT_CASE,
    AsOfOpt,
    CaseOpt,
    DemoContext,
    JsonOpt,
    as_of_date,
    console,
    demo_section,
    emit_json,
    err_console,
    open_case,
    registry,
)
from accord.cli.commands import Group
from accord.errors import AccordError

token_app = typer.Typer(cls=Group, help="Bearer tokens for the web service's writes.", no_args_is_help=True)
registry.add_typer(token_app, name="token")

DbUrlOpt = Annotated[
    str | None,
    typer.Option("--db", envvar="ACCORD_DB", help="Database URL (sqlite:///FILE or postgresql://USER@HOST/DB). "
                 "Default: accord.db here when it exists (what sign, reports and compliance write)."),
]


def compliance_from_db(db: str, case_id: str, as_of: dt.date | None = None) -> Any:
    """The compliance view of ``case_id``'s agreements in the database at ``db``."""
    from accord.monitor.keys import public_key_hex
    from accord.report.compliance import stored_board
    from accord.store import Store, keyfile

    store = Store.open(db)
    try:
        key = keyfile.default_log_key_path(db)  # the seal checks the head with this ledger's own key when here
        seal = store.head_seal(public_key_hex(keyfile.read_private_key(key)) if key.exists() else None)
        return stored_board(store, case_id, as_of, seal=seal if store.latest_head() else None)
    finally:
        store.close()


def write_report(data: Any, out: Path) -> tuple[Path, Path]:
    """Write the HTML report to ``out`` and its Markdown twin beside it (same name, ``.md``)."""
    from accord.report.render import render_html, render_markdown

    out.parent.mkdir(parents=True, exist_ok=True)
    md = out.with_suffix(".md")
    if md == out:
        raise AccordError(f"-o {out}: give the HTML file a name ending in .html; the Markdown twin goes beside it")
    out.write_text(render_html(data), encoding="utf-8")
    md.write_text(render_markdown(data), encoding="utf-8")
    return out, md


def _sections(data: Any) -> dict[str, str]:
    return {
        "matrix": f"{len(data.matrices)} plans",
        "positions": f"{len(data.positions)} positions",
        "diff": f"{len(data.diffs)} version pairs",
        "tilt": "rendered",
        "solve": "rendered" if data.solve.available else data.solve.note,
        "forecast": "rendered" if data.forecast.available else data.forecast.note,
        "compliance": "rendered" if data.compliance.available else data.compliance.note,
        "time": f"{len(data.time.issues)} issues over time, {len(data.time.changes)} changes since "
                f"{data.time.since.isoformat() if data.time.since else 'the first state'}",
    }


@registry.command()
def report(
    case: CaseOpt = DEFAULT_CASE,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file; the .md twin is written beside it.")]
    = Path("report.html"),
    db: DbUrlOpt = None,
    draws: Annotated[int, typer.Option("--draws", min=1, max=100000, help="Forecast Monte Carlo draws.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Forecast seed.")] = 0,
    pareto_limit: Annotated[int, typer.Option("--pareto-limit", min=1, max=500,
                                              help="Most Pareto points to compute.")] = 40,
    no_solve: Annotated[bool, typer.Option("--no-solve", help="Leave out the solve section.")] = False,
    no_forecast: Annotated[bool, typer.Option("--no-forecast", help="Leave out the forecast section.")] = False,
    json: JsonOpt = False,
    as_of: AsOfOpt = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="'What changed since' starts "
                                              "after this date (default: the earliest plan's date).")] = None,
) -> None:
    """Write the report: one self-contained HTML file (opens offline) and its Markdown twin.

    Each plan is judged against the positions as of its own date; with --as-of DATE the whole
    report (plans, positions, solve, forecast, compliance) is the case as known on that date.
    """
    from accord.cli.progress import progress
    from accord.report.build import report_data
    from accord.report.engines import forecast_view, solve_view

    c = open_case(case, as_of)
    from accord.store.url import found_url

    db = db or found_url()
    board = compliance_from_db(db, c.id, c.as_of) if db else None
    with progress() as bar:
        if not no_solve:
            bar.step("solve")
        sv = False if no_solve else solve_view(c, pareto_limit=pareto_limit)
        if not no_forecast:
            bar.step("forecast", total=1.0)
        fv = False if no_forecast else forecast_view(c, draws=draws, seed=seed, progress=bar.fraction)
        bar.step("write")
        data = report_data(c, compliance=board, solve=sv, forecast=fv, since=as_of_date(since, "--since"),
                           generated=dt.datetime.now(dt.UTC).replace(microsecond=0))
        html, md = write_report(data, output)
    if json:
        emit_json({"html": str(html), "markdown": str(md), "case": c.id, "as_of": c.as_of,
                   "sections": _sections(data)})
        return
    console.print(f"report: {html}")
    console.print(f"markdown: {md}")
    for k, v in _sections(data).items():
        console.print(f"  {k}: {v}", markup=False)


@registry.command()
def serve(
    db: DbUrlOpt = None,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port (0: any free one).")] = 8000,
    case: Annotated[list[str] | None, typer.Option("--case", "-c", help="Case folder or bundled case; "
                                                   "repeat for several (default: every bundled case).")] = None,
    workspace: Annotated[Path | None, typer.Option("--workspace", help="Folder API paths must stay inside "
                                                   "(default: the working directory).")] = None,
    reads: Annotated[str, typer.Option("--reads", help="Who may read: local (loopback clients), open, token.")]
    = "local",
    max_body: Annotated[int, typer.Option("--max-body", min=1024, help="Largest request body in bytes.")] = 1_000_000,
    log_key: Annotated[Path | None, typer.Option("--log-key", help="The ledger's signing key (PEM); default "
                                                 "beside a SQLite database.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", hidden=True, help="Recompute every read "
                                           "(benchmark baseline).")] = False,
    no_append_process: Annotated[bool, typer.Option("--no-append-process", hidden=True, help="Append reports in "
                                                    "request threads, not a child process (benchmark "
                                                    "baseline).")] = False,
    documents: Annotated[list[Path] | None, typer.Option("--documents", help="Articles (files or folders) to "
                                                         "extract claims from into the first case; repeatable.")]
    = None,
    claims: Annotated[Path | None, typer.Option("--claims", help="Claims to load into the first case "
                                                "(JSON Lines, as `accord extract -o` writes).")] = None,
    allow_host: Annotated[list[str] | None, typer.Option("--allow-host", help="A Host name to serve besides "
                                                         "localhost and the --host address; repeatable; '*' for "
                                                         "any.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="The date pages and API reads "
                                              "view the cases as of when a URL gives no ?as_of= (default: "
                                              "the latest state).")] = None,
) -> None:
    """Serve the dashboard at / and the REST API at /api/v1 (OpenAPI at /openapi.json).

    Every page has a date control and every case read takes ?as_of=YYYY-MM-DD.
    """
    from accord.cli.claims_file import read_claims
    from accord.cli.progress import progress
    from accord.model import bundled_cases
    from accord.store.url import found_url, redact

    db = db or found_url()
    day = as_of_date(as_of)
    if reads not in ("local", "open", "token"):
        raise AccordError(f"--reads {reads}: expected local, open or token")
    cases = case or bundled_cases()
    with progress("start the service") as bar:  # seconds on a loaded machine: the web stack, the cases
        bar.phase("load the web stack")
        import uvicorn

        from accord.web.app import create_app
        from accord.web.security import allowed_hosts

        bar.phase(f"read {len(cases)} case{'s' if len(cases) != 1 else ''}" + (" and the claims" if claims else ""))
        preload = {open_case(cases[0]).id: read_claims(claims)} if claims else None
        application = create_app(db_url=db, case=cases, workspace=workspace, reads=reads,  # type: ignore[arg-type,unused-ignore]
                                 max_body=max_body, log_key=log_key, caching=not no_cache,
                                 documents=documents or (), claims=preload, as_of=day,
                                 hosts=allowed_hosts(host, allow_host or ()),
                                 append_process=not no_append_process)
    where = (f"database {redact(db)}" if db
             else "no --db and no accord.db here: tokens in memory, monitoring off")
    console.print(f"accord serving {', '.join(application.state.accord.cases)} on http://{host}:{port}/  ({where})",
                  markup=False)
    if host in ("0.0.0.0", "::") and not allow_host:
        console.print(f"note: listening on every interface, but only Host {', '.join(allowed_hosts(host))} "
                      "is served; add the names clients use with --allow-host", markup=False)
    uvicorn.run(application, host=host, port=port, log_level="warning", access_log=False)


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option("--role", help="editor (case data, claims), monitor (reports), admin (tokens).")],
    name: Annotated[str, typer.Option("--name", help="Who the token is for.")] = "",
    monitor: Annotated[str | None, typer.Option("--monitor", help="For a monitor token: the monitor id it "
                                                "speaks for.")] = None,
    db: DbUrlOpt = None,
    json: JsonOpt = False,
) -> None:
    """Create a token in the database and print it once (only its SHA-256 hash is stored)."""
    from accord.store.tokens import SqlTokenStore, check_role
    from accord.store.url import default_url, redact

    try:
        checked = check_role(role)
    except ValueError as e:
        raise AccordError(f"--role: {e}") from None
    if role == "monitor" and not monitor:
        raise AccordError("--monitor: a monitor token names the monitor it speaks for")
    url = db or default_url()
    info, token = SqlTokenStore.open(url).create(checked, name=name, monitor=monitor)
    if json:
        emit_json({"token": token, "id": info.id, "role": info.role, "name": info.name, "monitor": info.monitor,
                   "db": url})
        return
    console.print(token, markup=False, highlight=False)
    err_console.print(f"token {info.id} ({info.role}) stored hashed in {redact(url)}; it is not shown again",
                      markup=False, highlight=False)


@demo_section(90, "Report: the self-contained HTML file")
def _report_section(ctx: DemoContext) -> None:
    from rich.table import Table

    from accord.report.build import report_data
    from accord.report.compliance import compliance_view
    from accord.report.engines import forecast_to_view, forecast_view, solve_view

    # reuse what earlier demo sections computed: the forecast, the extracted claims, the compliance board
    sv = solve_view(ctx.case, pareto_limit=10)
    f = ctx.outputs.get("forecast")
    fv = forecast_to_view(ctx.case, f) if f is not None else forecast_view(ctx.case, draws=1000, seed=0)
    board = ctx.outputs.get("compliance")
    data = report_data(ctx.case, solve=sv, forecast=fv, claims=ctx.outputs.get("claims") or (),
                       compliance=compliance_view(board) if board is not None else None,
                       generated=dt.datetime.now(dt.UTC).replace(microsecond=0))
    html, md = write_report(data, ctx.workdir / "report.html")
    ctx.outputs["report"] = html
    t = Table("section", "content", title="Report sections")
    for k, v in _sections(data).items():
        t.add_row(k, v)
    ctx.console.print(t)
    ctx.console.print(f"report: {html.resolve()}", markup=False)
    ctx.console.print(f"markdown: {md.resolve()}", markup=False)
