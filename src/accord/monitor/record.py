"""A case's public record of a signed agreement: observations other bodies published, to transcribe.

A case folder may ship ``monitoring/record.yaml``: the plan that was signed and
when, the bodies whose figures are on record (COGAT, the UN 2720 mechanism,
the ICRC…), and each observation as it was published — body, indicator,
value, the moment or period it covers, and the case source (``sources.yaml``:
URL, publication date, publisher) it was read in. Nothing in it is signed by
those bodies; :func:`transcriptions` turns each observation into a
:class:`~accord.monitor.reports.Report` of kind ``transcription`` for the
importer to sign, attributed to the body and citing its source.

>>> from accord.model import Source
>>> text = '''
... agreement: {plan: p, signed: 2025-10-10}
... bodies: [{id: un-2720, name: UN 2720 mechanism, actor: un}]
... observations:
...   - {indicator: aid_trucks, body: un-2720, value: 6545, period_start: 2025-10-10,
...      observed_at: 2025-12-07, source: s1}
... '''
>>> src = {"s1": Source(id="s1", url="https://example.org/un", date="2025-12-11", publisher="AP")}
>>> rec = parse_record(text, src, {"aid_trucks"})
>>> [r] = transcriptions(rec, src, importer="desk")
>>> r.kind, r.speaker, r.monitor, r.days, r.published.isoformat()
('transcription', 'un-2720', 'desk', 58.0, '2025-12-11')
>>> parse_record(text.replace("un-2720, value", "cogat, value"), src, {"aid_trucks"})
Traceback (most recent call last):
...
accord.errors.CaseError: record.yaml: observations[0].body: unknown body 'cogat'; expected one of ['un-2720']
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection, Mapping
from typing import Any

from pydantic import Field, ValidationError, field_validator

from accord.errors import CaseError, Problem
from accord.model import Case, case_dir
from accord.model.load import MAX_FILE_BYTES, bounded_yaml
from accord.model.source import Source, Strict
from accord.monitor.reports import Report, as_utc

RECORD_FILE = "monitoring/record.yaml"
"""Where a case folder keeps its public record."""


class SignedPlan(Strict):
    """Which plan of the case was signed, and on what date (its obligations run from then)."""

    plan: str
    signed: dt.date


class Body(Strict):
    """A body whose published figures are on record; ``actor`` when it belongs to a party."""

    id: str
    name: str
    actor: str | None = None
    note: str = ""


class Observation(Strict):
    """One published figure: which body, what indicator, its value, when, and where it was read."""

    indicator: str
    body: str
    value: float = Field(allow_inf_nan=False)
    observed_at: dt.datetime
    period_start: dt.datetime | None = None
    source: str
    location: str | None = None
    confidence: float = Field(1.0, ge=0.0, le=1.0)
    note: str = ""

    _moments = field_validator("observed_at", "period_start", mode="before")(as_utc)


class Record(Strict):
    """The public record of a case: the signed plan, the bodies, their observations in file order."""

    agreement: SignedPlan
    bodies: tuple[Body, ...]
    observations: tuple[Observation, ...]

    def body(self, body_id: str) -> Body:
        return next(b for b in self.bodies if b.id == body_id)


def parse_record(
    text: str, sources: Mapping[str, Source], indicators: Collection[str] | None = None, name: str = "record.yaml"
) -> Record:
    """Parse and check a record: every body, source and indicator it names must exist.

    A cited source must be dated (a transcription says when its figure was
    published); ``indicators``, when given, are those the signed plan's
    obligations observe. Raises :class:`CaseError` listing every problem.
    """
    return check_record(bounded_yaml(text, name), sources, indicators, name)


def check_record(
    doc: Any, sources: Mapping[str, Source], indicators: Collection[str] | None = None, name: str = "record.yaml"
) -> Record:
    """:func:`parse_record` on a document already read (checked the same way)."""
    if not isinstance(doc, dict):
        raise CaseError([Problem(name, None, "", "expected a mapping with agreement, bodies, observations")])
    try:
        rec = Record.model_validate(_plain_dates(doc))
    except ValidationError as e:
        raise CaseError([
            Problem(name, None, _path(err["loc"]), "required field is missing" if err["type"] == "missing"
                    else err["msg"].removeprefix("Value error, "))
            for err in e.errors()
        ]) from None
    problems: list[Problem] = []
    ids = [b.id for b in rec.bodies]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(name, None, "bodies", f"duplicate body id '{dup}'"))
    for k, o in enumerate(rec.observations):
        at = f"observations[{k}]"
        if o.body not in ids:
            msg = f"unknown body '{o.body}'; expected one of {sorted(ids)}"
            problems.append(Problem(name, None, f"{at}.body", msg))
        src = sources.get(o.source)
        if src is None:
            problems.append(Problem(name, None, f"{at}.source", f"unknown source '{o.source}'; add it to sources.yaml"))
        elif src.date is None:
            problems.append(Problem(name, None, f"{at}.source",
                                    f"source '{o.source}' has no publication date; a transcription needs one"))
        if indicators is not None and o.indicator not in indicators:
            problems.append(Problem(name, None, f"{at}.indicator",
                                    f"no obligation of the signed plan observes '{o.indicator}'; "
                                    f"expected one of {sorted(indicators)}"))
        if o.period_start is not None and o.period_start >= o.observed_at:
            problems.append(Problem(name, None, f"{at}.period_start", "must come before observed_at"))
    if problems:
        raise CaseError(problems)
    return rec


def load_record(case: Case, folder: str | os.PathLike[str] | None = None) -> Record | None:
    """The public record shipped in a case folder (``monitoring/record.yaml``), checked against
    the case's sources and the signed plan's obligations; None when the case ships none."""
    root = case_dir(folder if folder is not None else case.id)
    path = root / RECORD_FILE
    if not path.is_file():
        return None
    if not path.resolve().is_relative_to(root.resolve()):
        msg = "resolves outside the case folder; it must be a file of the case"
        raise CaseError([Problem(str(path), None, "", msg)])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise CaseError([Problem(str(path), None, "", f"{path.stat().st_size:,} bytes; a case file may hold at most "
                                                      f"{MAX_FILE_BYTES:,}")])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CaseError([Problem(str(path), None, "", f"cannot read ({e})")]) from None
    sources = {s.id: s for s in case.sources}
    head = bounded_yaml(text, str(path))
    plan_id = head.get("agreement", {}).get("plan") if isinstance(head, dict) and isinstance(
        head.get("agreement"), dict) else None
    indicators = None
    if plan_id is not None:
        try:
            plan = case.plan(str(plan_id))
        except KeyError:
            msg = f"unknown plan '{plan_id}'; expected one of {[p.id for p in case.plans]}"
            raise CaseError([Problem(str(path), None, "agreement.plan", msg)]) from None
        indicators = {p.obligation.indicator for p in plan.provisions if p.obligation}
    return check_record(head, sources, indicators, name=str(path))


def transcriptions(record: Record, sources: Mapping[str, Source], importer: str) -> list[Report]:
    """Each observation as an unsigned transcription by ``importer``, attributed to its body."""
    out = []
    for o in record.observations:
        src = sources[o.source]
        where = f"{src.publisher or src.url}, {src.date}" + (f": {src.title}" if src.title else "")
        text = f"{record.body(o.body).name}, as published in {where}" + (f" ({o.note})" if o.note else "")
        out.append(Report(
            monitor=importer, indicator=o.indicator, value=o.value, observed_at=o.observed_at,
            period_start=o.period_start, source=text, location=o.location, confidence=o.confidence,
            kind="transcription", body=o.body, url=src.url, published=src.date,
        ))
    return out


def _plain_dates(node: Any) -> Any:
    """YAML dates as ISO strings, so that a date and a date-time read alike."""
    if isinstance(node, dict):
        return {str(k): _plain_dates(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain_dates(v) for v in node]
    if isinstance(node, dt.datetime | dt.date):
        return node.isoformat()
    return node


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
