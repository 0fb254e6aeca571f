"""Monitoring commands: sign a plan, register monitors, add reports, compliance, the ledger, backups.

Every command that stores or reads stored data takes ``--db URL`` (default
``sqlite:///accord.db`` in the working directory, or ``$ACCORD_DB``);
``postgresql://USER@HOST/DB`` works too. Commands that append to the ledger
sign a new tree head with the log key (``--log-key PATH``; by default a file
named for the database in ``$ACCORD_KEY_DIR`` or ``~/.config/accord/keys``, apart
from the database — created on first use; :mod:`accord.store.keyfile`).

- ``accord sign --plan ID --date YYYY-MM-DD`` — record a signed plan and its obligations
- ``accord keys create|add|rotate|revoke|list`` — monitors' Ed25519 keys (one active key per monitor)
- ``accord reports add …`` / ``accord reports import FILE`` / ``reports sign`` / ``reports list``
- ``accord compliance`` — the board: per obligation, per actor, timeline
- ``accord ledger verify|head|proof`` — the tamper-evident log
- ``accord export`` / ``accord import`` — backups

JSON output (``--json``, stable keys):

- ``sign``: ``{"agreement": {id, case, plan, plan_name, plan_version, signed, plan_digest},
  "new", "obligations": [{id, provision, title, indicator, comparator, threshold, unit, obliged,
  verifier, signed, due}], "tree_size"}``
- ``keys create|add``: ``{"monitor", "name", "public_key", "key_id", "new", "private_key_file"}``;
  ``keys rotate|revoke``: ``{"event": {action, monitor, key_id, public_key, retired, effective, reason, by},
  "seq", "private_key_file", "keys": [Key]}``; ``keys list``: ``{"monitors": [Key + {id}], "log_keys":
  [{key_id, public_key}]}``; a Key is ``{monitor, name, key_id, public_key, status (active, retired, revoked),
  registered, retired, revoked_from, revoke_reason}``
- ``reports add`` / ``reports import``: ``{"stored", "duplicate", "rejected", "rows": [{"row",
  "outcome", "message", "report", "seq"}], "tree_size"}``
- ``compliance``: ``{"as_of", "window_days", "tolerance", "known_by", "synthetic_reports",
  "transcribed_reports", "ignored_future_reports", "unpublished_reports", "published_later_reports",
  "agreements": [...], "obligations": [{id, agreement, provision, title, indicator, comparator,
  threshold, unit, per, obliged, verifier, signed, due, status, reason, disputed, figures_disputed, met_on,
  late_days, days_past_due, latest, evidence, figures: {report id: figure judged}, conflicts: [{start, end,
  meets, fails, monitors, kind}]}], "scorecard": [{actor, compliant, breach, overdue, due, unknown, total,
  rate}], "timeline": [{date, obligation, status, reason}], "reports": {id: {monitor, speaker, indicator,
  value, observed_at, period_start, location, source, confidence, kind, body, url, published, synthetic,
  seq}}, "revoked_reports": [{id, monitor, seq, why}], "ledger": {ok, scope, size, root, key_id, pinned,
  problem, sentence}}`` (``per``, ``period_start``, ``kind``, ``body``, ``url``,
  ``published`` only when set; ``revoked_reports``: in the ledger, but signed with a key revoked before they
  reached it — left out of the board)
- ``ledger verify``: ``{"ok", "size", "root", "tree_heads", "first_bad_entry", "findings",
  "log_keys", "against"}``; ``ledger head``: the latest signed tree head
  ``{size, root, timestamp, key_id, signature}``; ``ledger proof``: an inclusion proof
  ``{index, size, leaf_hash, root, path, verified, entry}`` or a consistency proof
  ``{old_size, size, old_root, root, path, verified}``
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.app import (
    DEFAULT_CASE,
    CaseOpt,
    DemoContext,
    JsonOpt,
    console,
    demo_section,
    emit_json,
    err_console,
    open_case,
    registry,
)
from accord.cli.commands import Group
from accord.defaults import DEFAULT_DB
from accord.errors import AccordError, Problem

if TYPE_CHECKING:
    from accord.monitor.compliance import Board
    from accord.monitor.keys import Ed25519PrivateKey
    from accord.monitor.obligations import Obligation
    from accord.monitor.reports import Report
    from accord.store import Store
    from accord.store.monitoring import ImportResult
    from accord.store.records import Records

DbOpt = Annotated[
    str,
    typer.Option("--db", envvar="ACCORD_DB", help="Database URL: sqlite:///FILE (default accord.db here) "
                 "or postgresql://USER@HOST/DB."),
]
LogKeyOpt = Annotated[
    Path | None,
    typer.Option("--log-key", envvar="ACCORD_LOG_KEY",
                 help="The ledger's signing key (PEM), kept apart from the database. Default: a file named "
                      "for the database in $ACCORD_KEY_DIR or ~/.config/accord/keys; created on first use."),
]

keys_app = typer.Typer(cls=Group, help="Monitors' Ed25519 keys: create, register, list.", no_args_is_help=True)
reports_app = typer.Typer(cls=Group, help="Monitoring reports: add, import, sign, list.", no_args_is_help=True)
ledger_app = typer.Typer(cls=Group, help="The tamper-evident ledger: verify, tree head, proofs.", no_args_is_help=True)
registry.add_typer(keys_app, name="keys")
registry.add_typer(reports_app, name="reports")
registry.add_typer(ledger_app, name="ledger")

STATUS_STYLE = {"compliant": "green", "breach": "bold red", "overdue": "red", "due": "yellow",
                "unknown": "dim"}


# -- helpers -------------------------------------------------------------------------------------
def _store(db: str) -> Store:
    from accord.store import Store

    return Store.open(db)


def _signer(store: Store, db: str, log_key: Path | None) -> Ed25519PrivateKey:
    """The log key: the given or default file; created when the ledger has no key yet."""
    from accord.store import keyfile

    path, warning = keyfile.log_key_path(db, log_key)
    if warning:
        err_console.print(f"warning: {warning}", markup=False, highlight=False, soft_wrap=True)
    known = store.log_keys()
    if path.exists():
        return keyfile.read_private_key(path)
    if known:
        raise AccordError(
            f"{path}: no such file — the log key of this ledger ({', '.join(sorted(known))}) is needed "
            "to append; give it with --log-key or $ACCORD_LOG_KEY"
        )
    key, created = keyfile.load_or_create(path)
    if created:
        apart = "" if warning else "; kept apart from the database"
        err_console.print(f"created log key {path} (it signs this ledger's tree heads{apart}: keep it safe)",
                          markup=False, highlight=False, soft_wrap=True)
    return key


def _pinned_key(db: str, log_key: Path | None) -> str | None:
    """The log public key from the key file held apart from the database, when this machine has it."""
    from accord.monitor.keys import public_key_hex
    from accord.store import keyfile

    path, _ = keyfile.log_key_path(db, log_key)
    if not path.is_file():
        return None
    return public_key_hex(keyfile.read_private_key(path))


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise AccordError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def _num(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


def _import_output(result: ImportResult, store: Store, name: str, json: bool) -> None:
    if json:
        emit_json({
            "stored": result.count("stored"), "duplicate": result.count("duplicate"),
            "rejected": result.count("rejected"), "tree_size": store.size(),
            "rows": [{"row": r.number, "outcome": r.outcome, "message": r.message, "report": r.report,
                      "seq": r.seq} for r in result.rows],
        })
    else:
        console.print(f"{name}: {result.count('stored')} stored, {result.count('duplicate')} already in the "
                      f"ledger, {result.count('rejected')} rejected (ledger size {store.size()})")
    for r in result.rejected:
        sys.stderr.write(f"error: {name}:{r.number}: {r.message}\n")
    if result.rejected:
        raise typer.Exit(1)


# -- sign ----------------------------------------------------------------------------------------
@registry.command()
def sign(
    plan: Annotated[str, typer.Option("--plan", "-p", help="The plan that was signed (see `accord plans list`).")],
    date: Annotated[str, typer.Option("--date", help="Date of signature, YYYY-MM-DD.")],
    case: CaseOpt = DEFAULT_CASE,
    db: DbOpt = DEFAULT_DB,
    log_key: LogKeyOpt = None,
    json: JsonOpt = False,
) -> None:
    """Record a signed plan and derive its obligations (indicator, threshold, deadline, obliged, verifier).

    The case is read as of the date of signature: a plan dated after it cannot be signed then.
    """
    from accord.cli.case import known_plan
    from accord.store.monitoring import sign_agreement

    signed = _date(date, "--date")
    c = known_plan(open_case(case, signed), plan, date_flag="--date")
    store = _store(db)
    result = sign_agreement(store, c, plan, signed, _signer(store, db, log_key))
    if json:
        emit_json({
            "agreement": result.agreement, "new": result.new, "tree_size": store.size(),
            "obligations": [{k: getattr(o, k) for k in ("id", "provision", "title", "indicator", "comparator",
                                                        "threshold", "unit", "obliged", "verifier", "signed",
                                                        "due")} for o in result.obligations],
        })
        return
    from rich.table import Table

    what = "recorded" if result.new else "already recorded"
    console.print(f"{result.agreement.id}: {what}; {len(result.obligations)} obligations")
    if not result.obligations:
        console.print(f"note: plan '{plan}' declares no checkable obligations")
        return
    t = Table("pt", "obligation", "obliged", "verifier", "due", title=f"Obligations of {result.agreement.id}")
    t.columns[1].overflow = "fold"
    for o in result.obligations:
        t.add_row(o.provision, f"{o.title}\n[dim]{o.rule}[/]", ", ".join(o.parties), o.verifier or "",
                  o.due.isoformat())
    console.print(t)


# -- keys ----------------------------------------------------------------------------------------
def _monitor_out(m: Any, new: bool, json: bool, private_file: Path | None = None) -> None:
    if json:
        emit_json({"monitor": m.id, "name": m.name, "public_key": m.public_key, "key_id": m.key_id,
                   "new": new, "private_key_file": private_file})
        return
    state = "registered" if new else "already registered"
    console.print(f"monitor {m.id}: key {m.key_id} {state} (public key {m.public_key})")
    if private_file:
        console.print(f"private key written to {private_file} — it signs this monitor's reports; keep it safe")


@keys_app.command("create")
def keys_create(
    monitor: Annotated[str, typer.Option("--monitor", "-m", help="Monitor id.")],
    name: Annotated[str, typer.Option("--name", help="Monitor's display name.")] = "",
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the private key "
                                             "(default MONITOR.key.pem here; never overwritten).")] = None,
    db: DbOpt = DEFAULT_DB,
    log_key: LogKeyOpt = None,
    json: JsonOpt = False,
) -> None:
    """Create an Ed25519 key pair for a monitor: private key to a file, public key into the ledger."""
    from accord.monitor import keys
    from accord.store import keyfile
    from accord.store.monitoring import register_monitor

    path = out or Path(f"{monitor}.key.pem")
    store = _store(db)
    signer = _signer(store, db, log_key)
    key = keys.generate_private_key()
    keyfile.write_private_key(path, key)
    try:
        m, new = register_monitor(store, monitor, keys.public_key_hex(key), signer, name)
    except AccordError:
        path.unlink(missing_ok=True)  # refused (the monitor has a key: rotate it): this one is no key of anyone's
        raise
    _monitor_out(m, new, json, path)


@keys_app.command("add")
def keys_add(
    monitor: Annotated[str, typer.Option("--monitor", "-m", help="Monitor id.")],
    public_key: Annotated[str, typer.Option("--public-key", help="The monitor's Ed25519 public key (64 hex).")],
    name: Annotated[str, typer.Option("--name", help="Monitor's display name.")] = "",
    db: DbOpt = DEFAULT_DB,
    log_key: LogKeyOpt = None,
    json: JsonOpt = False,
) -> None:
    """Register a monitor's existing public key (its reports are then accepted)."""
    from accord.monitor.keys import check_public_key_hex
    from accord.store.monitoring import register_monitor

    public_key = check_public_key_hex(public_key)
    store = _store(db)
    m, new = register_monitor(store, monitor, public_key, _signer(store, db, log_key), name)
    _monitor_out(m, new, json)


@keys_app.command("rotate")
def keys_rotate(
    monitor: Annotated[str, typer.Option("--monitor", "-m", help="Monitor id.")],
    public_key: Annotated[str | None, typer.Option("--public-key", help="The new public key (64 hex), made "
                                                   "elsewhere; default: create a key pair here.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the new private key "
                                             "(default MONITOR.KEYID.key.pem here; never overwritten).")] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why, for the ledger (e.g. scheduled rotation).")] = "",
    db: DbOpt = DEFAULT_DB,
    log_key: LogKeyOpt = None,
    json: JsonOpt = False,
) -> None:
    """Replace a monitor's key: the new key is registered and the old one retired, in one ledger entry.

    Reports signed with the old key are rejected from then on; those already in the ledger stay valid.
    """
    from accord.monitor import keys
    from accord.store import keyfile
    from accord.store.monitoring import rotate_key

    store = _store(db)
    signer = _signer(store, db, log_key)
    key = None
    if public_key is None:
        key = keys.generate_private_key()
        public_key = keys.public_key_hex(key)
    else:
        public_key = keys.check_public_key_hex(public_key)
    path = None
    if key is not None:
        path = out or Path(f"{monitor}.{keys.key_id(public_key)}.key.pem")
        keyfile.write_private_key(path, key)
    try:
        change = rotate_key(store, monitor, public_key, signer, reason=reason, by=_who())
    except AccordError:
        if path is not None:
            path.unlink(missing_ok=True)  # the rotation was refused: the new key is no key of anyone's
        raise
    _key_change_out(change, json, path)


@keys_app.command("revoke")
def keys_revoke(
    monitor: Annotated[str, typer.Option("--monitor", "-m", help="Monitor id.")],
    effective: Annotated[str | None, typer.Option("--effective", help="From when the key is not to be trusted: "
                                                  "YYYY-MM-DD or ISO date-time (UTC if no zone); default now. "
                                                  "Reports that reached the ledger from then on stop counting.")]
    = None,
    key_id: Annotated[str | None, typer.Option("--key-id", help="Which key (default: the monitor's current one).")]
    = None,
    reason: Annotated[str, typer.Option("--reason", help="Why, for the ledger (e.g. key compromised).")] = "",
    db: DbOpt = DEFAULT_DB,
    log_key: LogKeyOpt = None,
    json: JsonOpt = False,
) -> None:
    """Revoke a monitor's key from an effective moment (may be in the past), recorded in the ledger.

    A key's validity is judged by when a report reached the ledger (the signed tree head that first covers
    it), not by the observed_at its signer claims, so a stolen key cannot backdate reports.
    """
    from accord.monitor.reports import as_utc
    from accord.store.monitoring import revoke_key

    when = None
    if effective is not None:
        try:
            when = as_utc(effective)
        except ValueError:
            raise AccordError(f"--effective: {effective!r} is not a date or date-time (YYYY-MM-DD[THH:MM])") from None
    store = _store(db)
    change = revoke_key(store, monitor, _signer(store, db, log_key), key_id, when, reason=reason, by=_who())
    _key_change_out(change, json)


def _who() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _key_change_out(change: Any, json: bool, private_file: Path | None = None) -> None:
    e = change.event
    now = dt.datetime.now(dt.UTC)
    if json:
        emit_json({"event": e.to_json(), "seq": change.seq, "private_key_file": private_file,
                   "keys": [_key_json(k, now) for k in change.keys]})
        return
    if e.action == "rotate":
        old = ", ".join(e.retired) or "none"
        console.print(f"monitor {e.monitor}: key {e.key_id} active, key {old} retired (ledger entry #{change.seq})")
        if private_file:
            console.print(f"private key written to {private_file} — it signs this monitor's reports; keep it safe")
    else:
        console.print(f"monitor {e.monitor}: key {e.key_id} revoked from {e.effective} (ledger entry #{change.seq}); "
                      "reports signed with it that reached the ledger from then on do not count")


def _key_json(k: Any, now: dt.datetime) -> dict[str, Any]:
    return {"monitor": k.monitor, "name": k.name, "key_id": k.key_id, "public_key": k.public_key,
            "status": k.status(now), "registered": k.registered, "retired": k.retired,
            "revoked_from": k.revoked_from, "revoke_reason": k.revoke_reason}


@keys_app.command("list")
def keys_list(db: DbOpt = DEFAULT_DB, json: JsonOpt = False) -> None:
    """Registered monitors and their keys (active, retired or revoked), and the ledger's log keys."""
    from accord.store.records import records

    store = _store(db)
    rec = records(store)
    now = dt.datetime.now(dt.UTC)
    logs = [{"key_id": k, "public_key": v} for k, v in sorted(store.log_keys().items())]
    monitors = [_key_json(k, now) | {"id": k.monitor} for k in rec.roster.keys.values()]
    if json:
        emit_json({"monitors": monitors, "log_keys": logs})
        return
    from rich.table import Table

    t = Table("monitor", "name", "key id", "status", "public key", title="Monitors")
    for m in monitors:
        status = m["status"] + (f" from {m['revoked_from']:%Y-%m-%d %H:%M} UTC" if m["revoked_from"] else "")
        t.add_row(m["id"], m["name"], m["key_id"], status, m["public_key"])
    console.print(t)
    for k in logs:
        console.print(f"log key {k['key_id']}: {k['public_key']}")


# -- reports -------------------------------------------------------------------------------------
@reports_app.command("add")
def report_add(
    monitor: Annotated[str, typer.Option("--monitor", "-m", help="Monitor id.")],
    indicator: Annotated[str, typer.Option("--indicator", "-i", help="Indicator observed.")],
    value: Annotated[float, typer.Option("--value", help="Observed value (flags: 1 or 0).")],
    observed_at: Annotated[str, typer.Option("--observed-at", help="YYYY-MM-DD or ISO date-time (UTC if no zone).")],
    source: Annotated[str, typer.Option("--source", help="Where the observation comes from.")],
    location: Annotated[str | None, typer.Option("--location", help="Where it was observed.")] = None,
    confidence: Annotated[float, typer.Option("--confidence", help="0 to 1.")] = 1.0,
    key: Annotated[Path | None, typer.Option("--key", help="The monitor's private key (PEM) to sign with.")] = None,
    signature: Annotated[str | None, typer.Option("--signature", help="A signature made elsewhere (hex).")] = None,
    db: DbOpt = DEFAULT_DB,
    log_key: LogKeyOpt = None,
    json: JsonOpt = False,
) -> None:
    """Add one signed report (sign it here with --key, or pass --signature)."""
    from pydantic import ValidationError

    from accord.monitor.reports import Report, Row, sign_report
    from accord.store import keyfile
    from accord.store.monitoring import add_reports

    if key is not None and signature is not None:
        raise AccordError("give --key or --signature, not both")
    try:
        report = Report(monitor=monitor, indicator=indicator, value=value, observed_at=observed_at,
                        source=source, location=location, confidence=confidence, signature=signature)
    except ValidationError as e:
        from accord.monitor.reports import _problem_text

        raise AccordError(f"report: {_problem_text(e)}") from None
    if key is not None:
        report = sign_report(report, keyfile.read_private_key(key))
    store = _store(db)
    result = add_reports(store, [Row(1, report)], _signer(store, db, log_key))
    _import_output(result, store, "report", json)


@reports_app.command("import")
def reports_import(
    file: Annotated[Path, typer.Argument(help="A .csv or .jsonl file of signed reports.")],
    strict: Annotated[bool, typer.Option("--strict", help="Store nothing unless every row is valid.")] = False,
    db: DbOpt = DEFAULT_DB,
    log_key: LogKeyOpt = None,
    json: JsonOpt = False,
) -> None:
    """Import signed reports. Valid rows are stored in one transaction; each bad row is named (exit 1)."""
    from accord.cli.progress import progress
    from accord.monitor.reports import parse_reports
    from accord.store.monitoring import add_reports

    text = _read_text(file)
    with progress("read rows") as bar:
        rows = parse_reports(text, str(file))
        store = _store(db)
        signer = _signer(store, db, log_key)
        bar.step("check reports", total=len(rows))

        def checked(done: int, total: int) -> None:
            bar.count(done, total)
            if done == total:
                bar.step("store")  # append to the ledger, sign a tree head, update the tallies

        result = add_reports(store, rows, signer, strict=strict, name=str(file), progress=checked)
    _import_output(result, store, str(file), json)


def _read_text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AccordError(f"{file}: no such file") from None
    except UnicodeDecodeError as e:
        raise AccordError(f"{file}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise AccordError(f"{file}: cannot read ({e.strerror})") from None


@reports_app.command("sign")
def reports_sign(
    file: Annotated[Path, typer.Argument(help="A .csv or .jsonl file of reports (signatures are replaced).")],
    key: Annotated[Path, typer.Option("--key", help="The monitor's private key (PEM).")],
    out: Annotated[Path | None, typer.Option("--out", help="Output .csv or .jsonl (default: JSONL on stdout).")] = None,
) -> None:
    """Sign every report of a file with a monitor's key (for monitors preparing a file to import)."""
    from accord.monitor.reports import parse_reports, sign_report, to_csv, to_jsonl
    from accord.store import keyfile

    rows = parse_reports(_read_text(file), str(file))
    bad = [r for r in rows if r.report is None]
    if bad:
        raise AccordError([Problem(str(file), r.number, "", r.problem or "") for r in bad])
    from accord.cli.progress import progress

    k = keyfile.read_private_key(key)
    signed = []
    with progress("sign reports", total=len(rows)) as bar:
        for r in rows:
            if r.report is not None:
                signed.append(sign_report(r.report, k))
            bar.advance()
    text = to_csv(signed) if out is not None and out.suffix.lower() == ".csv" else to_jsonl(signed)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"{out}: {len(signed)} reports signed")


@reports_app.command("list")
def reports_list(
    indicator: Annotated[str | None, typer.Option("--indicator", "-i", help="Only this indicator.")] = None,
    db: DbOpt = DEFAULT_DB,
    json: JsonOpt = False,
) -> None:
    """The reports in the ledger, in the order they were recorded."""
    from accord.store.records import records

    rec = records(_store(db))
    reps = [r for r in rec.reports if indicator is None or r.indicator == indicator]
    if json:
        emit_json([{**r.to_json(), "id": r.id, "seq": rec.seqs.get(r.id)} for r in reps])
        return
    from rich.table import Table

    t = Table("#", "observed", "monitor", "indicator", "value", "conf.", "source", title=f"{len(reps)} reports")
    for r in reps:
        t.add_row(str(rec.seqs.get(r.id, "")), r.observed_at.strftime("%Y-%m-%d %H:%M"), r.monitor, r.indicator,
                  _num(r.value), f"{r.confidence:.2f}", r.source)
    console.print(t)


# -- compliance ----------------------------------------------------------------------------------
def board_json(b: Board, rec: Records) -> dict[str, Any]:
    """The ``accord compliance --json`` document (also used by the web service)."""
    from accord.monitor.compliance import measured

    wanted = {o.obligation.agreement for o in b.obligations}
    return {
        "as_of": b.as_of, "window_days": b.window_days, "tolerance": b.tolerance, "known_by": b.known_by,
        "synthetic_reports": b.synthetic, "ignored_future_reports": b.ignored_future,
        "transcribed_reports": sum(1 for r in b.reports.values() if r.kind == "transcription"),
        "unpublished_reports": b.unpublished, "published_later_reports": b.published_later,
        "agreements": [{**a.model_dump(mode="json"), "seq": rec.seqs.get(a.id)} for a in rec.agreements
                       if a.id in wanted],
        "obligations": [{
            **s.obligation.model_dump(mode="json"),
            "status": s.status, "reason": s.reason, "disputed": s.disputed, "met_on": s.met_on,
            "late_days": s.late_days, "days_past_due": s.days_past_due, "latest": s.latest,
            "evidence": s.evidence, "conflicts": s.conflicts, "figures_disputed": s.figures_disputed,
            "figures": {rid: measured(s.obligation, b.reports[rid]) for rid in s.evidence},
            "parties": s.parties,
        } for s in b.obligations],
        "scorecard": b.scorecard,
        "timeline": b.timeline,
        "reports": {rid: {**{k: v for k, v in r.to_json().items() if k != "signature"}, "speaker": r.speaker,
                          "synthetic": r.synthetic, "seq": rec.seqs.get(rid)} for rid, r in b.reports.items()},
        "revoked_reports": [{"id": r.id, "monitor": r.monitor, "seq": rec.seqs.get(r.id), "why": why}
                            for r, why in rec.revoked],
        "ledger": None if rec.seal is None else {**asdict(rec.seal), "sentence": rec.seal.sentence()},
    }


def print_board(b: Board, rec: Records, con: Any = None, timeline: bool = True) -> None:
    """The compliance board as rich tables: obligations, scorecard, timeline."""
    from rich.table import Table

    con = con or console
    if b.synthetic:
        con.print(f"[bold yellow]SYNTHETIC DATA:[/] {b.synthetic} of the {len(b.reports)} reports behind this "
                  "board are invented demo data, not real observations")
    transcribed = sum(1 for r in b.reports.values() if r.kind == "transcription")
    if transcribed:
        con.print(f"[bold cyan]PUBLIC RECORD:[/] {transcribed} of the {len(b.reports)} reports behind this board "
                  "are transcriptions of figures other bodies published — attributed to the body, signed by the "
                  "importer, never by the body itself")
    t = Table(title=f"Compliance on {b.as_of.isoformat()}")
    t.add_column("pt", no_wrap=True)
    t.add_column("obligation", ratio=2)
    t.add_column("obliged", no_wrap=True)
    t.add_column("due", no_wrap=True)
    t.add_column("status", ratio=1, min_width=9)
    t.add_column("latest evidence", ratio=3)
    t.add_column("n", justify="right", no_wrap=True)
    for s in b.obligations:
        o = s.obligation
        style = STATUS_STYLE[s.status]
        status = f"[{style}]{s.status}[/]"
        if s.disputed:
            status += " [magenta]⚑ disputed[/]"
        if s.figures_disputed:
            status += " [magenta]⚑ figures disputed[/]"
        if s.late_days:
            status += f" [dim]({s.late_days}d late)[/]"
        for ps in s.parties:  # a duty of several parties: each party judged on the reports about it
            status += f"\n{ps.actor}: [{STATUS_STYLE[ps.status]}]{ps.status}[/]"
        conflicts = f"\n[magenta]{len(s.conflicts)}⚑[/]" if s.conflicts else ""
        t.add_row(o.provision, o.title, "\n".join(o.parties), o.due.isoformat(), status, s.reason,
                  f"{len(s.evidence)}{conflicts}")
    con.print(t)
    sc = Table("actor", "compliant", "breach", "overdue", "due", "unknown", "rate", title="Scorecard per obliged actor")
    for a in b.scorecard:
        sc.add_row(a.actor, str(a.compliant), str(a.breach), str(a.overdue), str(a.due), str(a.unknown),
                   "–" if a.rate is None else f"{a.rate:.0%}")
    con.print(sc)
    if timeline:
        signed = {o.obligation.id: o.obligation.signed for o in b.obligations}
        short = {o.obligation.id: o.obligation.provision for o in b.obligations}
        changes = [x for x in b.timeline if not (x.date == signed[x.obligation] and x.status == "due")]
        tl = Table("date", "pt", "status", "why", title="Timeline (status changes after signature)")
        for x in changes:
            tl.add_row(x.date.isoformat(), short[x.obligation], f"[{STATUS_STYLE[x.status]}]{x.status}[/]", x.reason)
        con.print(tl)
    for s in b.obligations:
        for c in s.conflicts:
            what = "disagree" if c.kind == "verdict" else "agree on the verdict but not on the figures"
            con.print(f"[magenta]conflict[/] point {s.obligation.provision} ({s.obligation.indicator}), "
                      f"{c.start}–{c.end}: {', '.join(c.monitors)} {what} — meets: {', '.join(c.meets) or '–'}; "
                      f"fails: {', '.join(c.fails) or '–'}")
            for rid in (*c.meets, *c.fails):
                con.print(f"    {report_line(s.obligation, b.reports[rid])}", highlight=False)
    from accord.monitor.compliance import figure

    series = [(s, [b.reports[rid] for rid in s.evidence]) for s in b.obligations if len(s.evidence) > 1]
    if series:
        con.print("[bold]Figures over time[/] (date, figure, whose)")
        for s, reps in series:
            shown = reps[-SERIES_POINTS:]
            more = f"… {len(reps) - len(shown)} earlier; " if len(reps) > len(shown) else ""
            points = "; ".join(f"{r.observed_on} {figure(s.obligation, r)} ({r.speaker})" for r in shown)
            con.print(f"  {s.obligation.provision} {s.obligation.indicator}: {more}{points}", highlight=False)
    if b.published_later:
        con.print(f"note: {b.published_later} of the reports behind this board were published after {b.as_of}; "
                  f"add --known-by {b.as_of} to judge on what was public that day")
    if b.unpublished:
        con.print(f"note: {b.unpublished} reports observed by {b.as_of} but published after {b.known_by} "
                  "were left out (--known-by)")


SERIES_POINTS = 10
"""How many of an obligation's latest figures ``Figures over time`` lists."""


def report_line(ob: Obligation, r: Report) -> str:
    """One report as evidence: whose, the figure, when, and where it comes from."""
    from accord.monitor.compliance import figure

    if r.kind == "transcription":
        return (f"{r.speaker}: {figure(ob, r)} on {r.observed_on} — transcribed by {r.monitor} from {r.source}; "
                f"{r.url} (published {r.published})")
    return f"{r.monitor}: {figure(ob, r)} on {r.observed_on} — {r.source}"


@registry.command()
def compliance(
    agreement: Annotated[str | None, typer.Option("--agreement", "-a", help="Agreement or plan id (default all).")]
    = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge on this day (YYYY-MM-DD; default: today, UTC).")]
    = None,
    window: Annotated[int, typer.Option("--window", min=1, help="Days in which two monitors' reports count as "
                                        "the same observation window.")] = 1,
    case: Annotated[str | None, typer.Option("--case", "-c", help="Only the agreements of this case (folder or "
                                             "bundled name).")] = None,
    known_by: Annotated[str | None, typer.Option("--known-by", metavar="DATE", help="Leave out figures published "
                                                 "after DATE: judge on what could be known then.")] = None,
    tolerance: Annotated[float, typer.Option("--tolerance", min=0.0, max=0.99, help="Figures that agree on the "
                                             "verdict are disputed when they differ by more than this share "
                                             "of the larger.")] = 0.25,
    no_timeline: Annotated[bool, typer.Option("--no-timeline", help="Leave out the timeline table.")] = False,
    db: DbOpt = DEFAULT_DB,
    log_key: LogKeyOpt = None,
    json: JsonOpt = False,
) -> None:
    """The compliance board: each obligation's status with its reports and conflicts, scorecard, timeline.

    Every ledger entry read is first re-hashed and checked against the latest signed tree head, with the log
    key held apart from the database when it is found (else the key the database lists); the board says so,
    and exits 1 when the ledger does not verify.
    """
    from accord.cli.progress import progress
    from accord.store.monitoring import compliance as _compliance

    day = _date(as_of, "--as-of") if as_of else dt.datetime.now(dt.UTC).date()
    known = _date(known_by, "--known-by") if known_by else None
    case_id = open_case(case).id if case is not None else None
    store = _store(db)
    with progress("verify the ledger, judge the reports"):  # one pass with no count to show: a spinner
        b, rec = _compliance(store, day, agreement, window, case=case_id, known_by=known, tolerance=tolerance,
                             public_key=_pinned_key(db, log_key))
    seal = rec.seal
    if json:
        emit_json(board_json(b, rec))
    elif not b.obligations:
        console.print("no obligations: record a signed plan with `accord sign --plan ID --date YYYY-MM-DD`")
    else:
        print_board(b, rec, timeline=not no_timeline)
    if seal is not None and not seal.ok:
        sys.stderr.write(f"error: {seal.sentence()}\n")
        raise typer.Exit(1)
    if json or not b.obligations:
        return
    if seal is not None:
        console.print(seal.sentence(), markup=False, highlight=False, soft_wrap=True)
    if rec.revoked:
        console.print(f"note: {len(rec.revoked)} reports in the ledger do not count: their key was revoked before "
                      "they reached it (`accord compliance --json` lists them; `accord keys list`)")
    if b.ignored_future:
        console.print(f"note: {b.ignored_future} reports observed after {b.as_of} were left out")


# -- ledger --------------------------------------------------------------------------------------
@ledger_app.command("verify")
def ledger_verify(
    pubkey: Annotated[str | None, typer.Option("--pubkey", help="Trust only this log public key (hex), "
                                               "not the keys the database lists.")] = None,
    against: Annotated[Path | None, typer.Option("--against", help="A tree head published earlier "
                                                 "(`accord ledger head --json`): the log must extend it. The "
                                                 "recommended form: it proves history was not rewritten.")] = None,
    db: DbOpt = DEFAULT_DB,
    log_key: LogKeyOpt = None,
    json: JsonOpt = False,
) -> None:
    """Recompute every hash from the stored rows; check tree heads and signatures; name the first bad entry.

    Without --against this proves the log is internally consistent and signed by a log key the database
    lists — not that history was never rewritten by someone holding both the database and that key. Against
    a tree head published earlier (kept where the database's writers cannot change it) it proves the log
    only grew since. Warns when the log key sits beside the database.
    """
    import json as _json

    from accord.cli.progress import progress
    from accord.monitor import keys
    from accord.monitor.ledger import Finding, TreeHead

    store = _store(db)
    with progress("verify entries") as bar:  # a spinner while the rows are read, then the entries re-hashed
        audit = store.audit(progress=bar.count)
    findings = list(audit.findings)
    log_keys = store.log_keys()
    if pubkey is not None:
        pub = keys.check_public_key_hex(pubkey)
        if keys.key_id(pub) not in log_keys or log_keys[keys.key_id(pub)] != pub:
            findings.append(Finding(None, f"the ledger is not signed with the trusted key {keys.key_id(pub)}"))
        elif any(h.key_id != keys.key_id(pub) for h in store.tree_heads()):
            findings.append(Finding(None, "some tree heads are signed with a key other than the trusted one"))
    checked_against = None
    if against is not None:
        try:
            saved = TreeHead.from_json(_json.loads(_read_text(against)))
        except (ValueError, KeyError, TypeError) as e:
            raise AccordError(f"{against}: not a tree head ({e})") from None
        checked_against = saved.size
        pub_saved = log_keys.get(saved.key_id)
        if pub_saved is None or not saved.verify(pub_saved):
            findings.append(Finding(None, f"{against}: the saved tree head's signature does not verify"))
        elif saved.size > audit.size:
            findings.append(Finding(audit.size, f"the log has {audit.size} entries but the saved tree head "
                                                f"covers {saved.size}: entries were removed"))
        else:
            proof = store.consistency_proof(saved.size, audit.size)
            if proof.old_root != saved.root or not proof.verify():
                findings.append(Finding(None, f"the log is not an extension of the saved tree head of size "
                                              f"{saved.size} (history rewritten)"))
    bad = [f.entry for f in findings if f.entry is not None]
    first = min(bad) if bad else None
    warnings = _key_warnings(db, log_key, log_keys)
    if against is None:
        warnings.append("checked against the tree heads stored in the database only: whoever holds the database "
                        "and the log key could have rewritten history consistently; publish `accord ledger head "
                        "--json` where they cannot change it and verify with --against it")
    if not json:
        for w in warnings:
            err_console.print(f"warning: {w}", markup=False, highlight=False, soft_wrap=True)
    if json:
        emit_json({"ok": not findings, "size": audit.size, "root": audit.root.hex(), "tree_heads": audit.heads,
                   "first_bad_entry": first, "findings": [{"entry": f.entry, "message": f.message} for f in findings],
                   "log_keys": sorted(log_keys), "against": checked_against, "warnings": warnings})
    elif not findings:
        console.print(f"ok: {audit.size} entries, {audit.heads} signed tree heads verified; "
                      f"root {audit.root.hex()} (log key {', '.join(sorted(log_keys)) or 'none'})")
    else:
        where = f"first bad entry #{first}" if first is not None else "no single entry to blame"
        sys.stderr.write(f"ledger verify FAILED: {len(findings)} problem(s); {where}\n")
        for f in findings:
            sys.stderr.write(f"error: {f.message}\n")
    if findings:
        raise typer.Exit(1)


def _key_warnings(db: str, log_key: Path | None, log_keys: dict[str, str]) -> list[str]:
    """A warning for each copy of this ledger's log key found in the database's folder."""
    from accord.monitor.keys import public_key_hex
    from accord.store import keyfile
    from accord.store.url import sqlite_path

    path, warning = keyfile.log_key_path(db, log_key)
    found = {path.absolute()} if warning and path.is_file() else set()
    folder = Path(sqlite_path(db) or "").expanduser().absolute().parent if sqlite_path(db) else None
    if folder is not None and folder.is_dir():
        for f in sorted(folder.glob("*.pem"))[:50]:
            try:
                if f.stat().st_size < 10_000 and public_key_hex(keyfile.read_private_key(f)) in log_keys.values():
                    found.add(f.absolute())
            except (AccordError, OSError):
                continue
    return [keyfile.beside_warning(f, db) for f in sorted(found)]


@ledger_app.command("head")
def ledger_head(db: DbOpt = DEFAULT_DB, json: JsonOpt = False) -> None:
    """The latest signed tree head (save it with --json to check later with `ledger verify --against`)."""
    head = _store(db).latest_head()
    if head is None:
        raise AccordError("the ledger is empty")
    if json:
        emit_json(head.to_json())
        return
    when = dt.datetime.fromtimestamp(head.timestamp / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    console.print(f"size {head.size}  root {head.root.hex()}\nsigned {when} by log key {head.key_id}\n"
                  f"signature {head.signature}")


@ledger_app.command("proof")
def ledger_proof(
    entry: Annotated[int | None, typer.Option("--entry", "-e", help="Inclusion proof for this entry number.")] = None,
    old_size: Annotated[int | None, typer.Option("--from", help="Consistency proof from this tree size …")] = None,
    size: Annotated[int | None, typer.Option("--size", "--to", help="… to this tree size (default: latest).")] = None,
    db: DbOpt = DEFAULT_DB,
    json: JsonOpt = False,
) -> None:
    """An inclusion proof (--entry N) or a consistency proof (--from M [--to N]), checked before printing."""
    if (entry is None) == (old_size is None):
        raise AccordError("give --entry N (inclusion proof) or --from M (consistency proof)")
    store = _store(db)
    if entry is not None:
        p = store.inclusion_proof(entry, size)
        e = store.entry(entry)
        doc: dict[str, Any] = {**p.to_json(), "verified": p.verify(),
                               "entry": {"kind": e.kind, "ref": e.ref, "body": e.body}}
        title = f"entry #{p.index} ({e.kind} {e.ref}) is in the tree of size {p.size}"
    else:
        assert old_size is not None
        c = store.consistency_proof(old_size, size)
        doc = {**c.to_json(), "verified": c.verify()}
        title = f"the tree of size {c.size} extends the tree of size {c.old_size}"
    if json:
        emit_json(doc)
    else:
        console.print(f"{title}: {'verified' if doc['verified'] else 'DOES NOT VERIFY'}")
        console.print(f"root {doc['root']}")
        for i, h in enumerate(doc["path"]):
            console.print(f"  path[{i}] {h}")
    if not doc["verified"]:
        raise typer.Exit(1)


# -- backups -------------------------------------------------------------------------------------
@registry.command("export")
def export_(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here (default: stdout).")] = None,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Back up the ledger as JSON Lines (entries, signed tree heads, log public keys)."""
    store = _store(db)
    if out is None:
        for line in store.export_lines():
            sys.stdout.write(line)
        return
    with out.open("w", encoding="utf-8") as f:
        for line in store.export_lines():
            f.write(line)
    console.print(f"{out}: ledger exported ({store.size()} entries)")


@registry.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A file written by `accord export`.")],
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Restore a backup into an empty ledger (or one it extends); every hash and signature is re-checked."""
    from accord.cli.progress import progress

    text = _read_text(file)
    store = _store(db)
    with progress("restore and re-check every hash and signature"):  # one transaction: a spinner
        entries, heads = store.import_lines(text.splitlines(), str(file))
    console.print(f"{file}: {entries} entries and {heads} tree heads restored (ledger size {store.size()})")


# -- demo ----------------------------------------------------------------------------------------
@demo_section(50, "Monitor: a signed agreement, its public record, compliance, the ledger")
def _monitor_section(ctx: DemoContext) -> None:
    from accord.monitor import keys
    from accord.monitor.record import load_record
    from accord.store import Store, keyfile
    from accord.store.monitoring import compliance as _compliance
    from accord.store.monitoring import import_record

    full = ctx.case.at(None)
    rec = load_record(full, ctx.folder if ctx.folder is not None else full.id)
    if rec is None:
        ctx.console.print(f"case {full.id} has no signed agreement on record (monitoring/record.yaml); skipped",
                          style="dim")
        return
    folder = ctx.workdir / "monitor"
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("demo.db*"), folder / "demo.log-key.pem", folder / "record-desk.key.pem"]:
        old.unlink(missing_ok=True)
    url = f"sqlite:///{folder / 'demo.db'}"
    store = Store.open(url)
    log_key, _ = keyfile.load_or_create(folder / "demo.log-key.pem")
    importer = keys.generate_private_key()
    keyfile.write_private_key(folder / "record-desk.key.pem", importer)
    done = import_record(store, full, rec, "record-desk", importer, log_key)
    last = max(o.observed_at.date() for o in rec.observations)
    day = min(last, ctx.case.as_of) if ctx.case.as_of else last
    ctx.console.print(
        f"signed {done.signed.agreement.id} → {len(done.signed.obligations)} obligations; "
        f"{done.result.count('stored')} published figures transcribed from the public record, signed by "
        f"record-desk as transcriptions; the board as of {day}"
    )
    b, records = _compliance(store, day, done.signed.agreement.id)
    print_board(b, records, ctx.console)
    audit = store.audit()
    ctx.console.print(f"ledger: {audit.size} entries, {audit.heads} signed tree heads, verify "
                      f"{'ok' if audit.ok else 'FAILED'}; root {audit.root.hex()[:16]}…")
    ctx.console.print(f"explore: accord compliance --db {url} --as-of {day} (any day from {rec.agreement.signed})",
                      markup=False, highlight=False, soft_wrap=True)
    ctx.outputs["compliance"] = b
    ctx.outputs["db"] = url
    store.close()
