"""A case's public record: ``accord record show`` and ``accord record import``.

A case folder may ship ``monitoring/record.yaml`` — figures that other bodies
published (COGAT, the UN 2720 mechanism, the ICRC…), each with its source.
``record import`` signs the record's agreement, registers the importer's key
and stores every figure as a transcription signed by the importer and
attributed to its body; ``accord compliance --case CASE`` then judges the
agreement on them.

JSON output (``--json``):

- ``record show``: ``{"case", "as_of", "agreement": {plan, signed}, "bodies": [{id, name, actor}],
  "observations": [{indicator, body, value, observed_at, period_start, source, url, published, note}]}``, by
  date, then body
- ``record import``: ``{"agreement", "obligations", "importer", "public_key", "new_importer", "key_file",
  "stored", "duplicate", "tree_size"}``
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

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
)
from accord.cli.commands import Group
from accord.cli.monitor import DEFAULT_DB, DbOpt, LogKeyOpt, _signer, _store
from accord.errors import AccordError

if TYPE_CHECKING:
    from accord.model import Case
    from accord.monitor.record import Record

record_app = typer.Typer(cls=Group, help="A case's public record: figures other bodies published, transcribed.",
                         no_args_is_help=True)
registry.add_typer(record_app, name="record")

DEFAULT_IMPORTER = "record-desk"


def case_record(case: str) -> tuple[Case, Record]:
    """The case and its public record; an error when the case ships none."""
    from accord.monitor.record import RECORD_FILE, load_record

    c = open_case(case)
    rec = load_record(c, case)
    if rec is None:
        raise AccordError(f"case '{c.id}' ships no public record ({RECORD_FILE})")
    return c, rec


@record_app.command("show")
def record_show(case: CaseOpt = DEFAULT_CASE, json: JsonOpt = False, as_of: AsOfOpt = None) -> None:
    """The figures on record: which body published what, for when, and where it was read (by date, then body).

    With --as-of DATE, only the figures published by then (a figure whose source is undated is left out).
    """
    c, rec = case_record(case)
    src = {s.id: s for s in c.sources}
    day = as_of_date(as_of)
    published = {o.source: src[o.source].date for o in rec.observations}
    observations = sorted((o for o in rec.observations
                           if day is None or (d := published[o.source]) is not None and d <= day),
                          key=lambda o: (o.observed_at, o.body, o.indicator))
    rows = [{**o.model_dump(mode="json", exclude={"location", "confidence"}), "url": src[o.source].url,
             "published": src[o.source].date} for o in observations]
    if json:
        emit_json({"case": c.id, "as_of": day, "agreement": rec.agreement, "bodies": rec.bodies,
                   "observations": rows})
        return
    from rich.table import Table

    t = Table("indicator", "body", "value", "period", "published", "source",
              title=f"Public record of {rec.agreement.plan}@{rec.agreement.signed} ({len(rows)} figures"
              + (f" published by {day})" if day else ")"))
    for o in observations:
        period = (f"{o.period_start.date()} – {o.observed_at.date()}" if o.period_start
                  else o.observed_at.date().isoformat())
        value = f"{int(o.value):,}" if float(o.value).is_integer() else f"{o.value:g}"
        t.add_row(o.indicator, o.body, value, period, str(src[o.source].date), o.source)
    console.print(t)


@record_app.command("import")
def record_import(
    case: CaseOpt = DEFAULT_CASE,
    importer: Annotated[str, typer.Option("--importer", help="Monitor id the transcriptions are signed as.")]
    = DEFAULT_IMPORTER,
    key: Annotated[Path | None, typer.Option("--key", help="The importer's private key (PEM); created when missing. "
                                             "Default: IMPORTER.key.pem here.")] = None,
    name: Annotated[str, typer.Option("--name", help="The importer's display name.")] = "",
    db: DbOpt = DEFAULT_DB,
    log_key: LogKeyOpt = None,
    json: JsonOpt = False,
) -> None:
    """Sign the record's agreement and store its figures as transcriptions signed by the importer."""
    from accord.monitor import keys
    from accord.store import keyfile
    from accord.store.monitoring import import_record

    c, rec = case_record(case)
    path = key or Path(f"{importer}.key.pem")
    if path.exists():
        private = keyfile.read_private_key(path)
    else:
        private = keys.generate_private_key()
        keyfile.write_private_key(path, private)
        err_console.print(f"created importer key {path} (it signs the transcriptions: keep it safe)",
                          markup=False, highlight=False)
    store = _store(db)
    done = import_record(store, c, rec, importer, private, _signer(store, db, log_key), name)
    res = done.result
    if json:
        emit_json({"agreement": done.signed.agreement.id, "obligations": len(done.signed.obligations),
                   "importer": importer, "public_key": done.importer.public_key, "new_importer": done.new_importer,
                   "key_file": path, "stored": res.count("stored"), "duplicate": res.count("duplicate"),
                   "tree_size": store.size()})
        return
    console.print(f"{done.signed.agreement.id}: {'recorded' if done.signed.new else 'already recorded'}; "
                  f"{len(done.signed.obligations)} obligations")
    console.print(f"{res.count('stored')} transcriptions stored, {res.count('duplicate')} already in the ledger, "
                  f"signed by {importer} as transcriptions of published figures (ledger size {store.size()})")
