"""Monitoring reports: one monitor's signed observation of one indicator.

A report says which monitor observed which indicator, the value, when
(``observed_at``, stored in UTC), where (optional), from what source and with
what confidence (0–1). The monitor signs it with its Ed25519 key over the
canonical JSON (:mod:`accord.monitor.canonical`) of::

    {"type": "accord.report/1", "monitor": …, "indicator": …, "value": …,
     "observed_at": "YYYY-MM-DDTHH:MM:SSZ", "location": … or null,
     "source": …, "confidence": …}

Unsigned reports and reports whose signature does not verify with a key
registered for their monitor are rejected, each with its row number. The
signature is decoded to its 64 bytes when a report is read and kept as
lower-case hex, so the same signed report re-encoded (upper case, spaces) is
the same report — a duplicate, not a new one. A report must also make sense
as an observation (:func:`observation_problem`): of an indicator some signed
obligation watches, not in the future (beyond :data:`MAX_SKEW`), not before
that agreement was signed, with a value within :data:`MAX_ABS_VALUE`.

A report may count what happened over a period: ``period_start`` to
``observed_at`` (trucks that entered from 12 October to 7 December), which a
rate obligation (``per: day``) reads as an average per day.

A **transcription** (``kind: transcription``) is a figure another body made
public — COGAT's truck count, the UN 2720 mechanism's, an ICRC hand-over —
copied from a cited publication: it names the ``body`` whose figure it is, the
``url`` and ``published`` date of the source, and is signed by the monitor who
transcribed it (the importer), over a payload of its own type
(``accord.transcription/1``), so it can never pass as the body's own signed
observation. Compliance hears it as the body's word (:attr:`Report.speaker`).

A report on a duty that binds several parties (a ceasefire, an all-for-all
exchange) may name the ``party`` its figure is about — whose violations, whose
prisoners still held; compliance then judges each party on the reports about it
(a report naming no party speaks about every party).

Files come as CSV (a header row naming the columns ``monitor, indicator,
value, observed_at, source`` and optionally ``location, confidence,
signature``, ``period_start``, the transcription's ``kind, body, url, published``
and ``party``) or JSON Lines (one object per line with the same keys).

>>> from accord.monitor.keys import private_key_from_seed, public_key_hex
>>> key = private_key_from_seed(bytes(range(32)))
>>> r = sign_report(Report(monitor="m1", indicator="election_held", value=1,
...                        observed_at="2026-04-30", source="electoral commission"), key)
>>> r.observed_at.isoformat()
'2026-04-30T00:00:00+00:00'
>>> report_problem(r, {"m1": [public_key_hex(key)]}) is None
True
>>> report_problem(r.model_copy(update={"value": 0}), {"m1": [public_key_hex(key)]})
"signature does not verify with monitor 'm1''s registered key"
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from accord.errors import AccordError
from accord.model.source import Strict
from accord.monitor import keys as _keys
from accord.monitor.canonical import canonical_json

REPORT_TYPE = "accord.report/1"
TRANSCRIPTION_TYPE = "accord.transcription/1"
REQUIRED_COLUMNS = ("monitor", "indicator", "value", "observed_at", "source")
OPTIONAL_COLUMNS = ("location", "confidence", "signature")
EXTENSION_COLUMNS = ("period_start", "kind", "body", "url", "published", "party")
"""Columns a file has only when one of its reports uses them (periods, transcriptions, a party)."""
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_SKEW = dt.timedelta(minutes=5)
"""How far past the clock of the machine that stores it a report's ``observed_at`` may be."""
MAX_ABS_VALUE = 1e15
"""No indicator a monitor observes (people, money, kilometres, a flag) comes near this."""
SYNTHETIC_MARK = "SYNTHETIC"
"""Demo reports carry this word at the start of their ``source``."""


def as_utc(value: Any) -> Any:
    """A date or ISO date-time (text or object) as an aware UTC date-time; other values unchanged."""
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            try:
                d = dt.date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None
            return dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC)
        try:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{text!r} is not an ISO date or date-time") from None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return value


def format_utc(moment: dt.datetime) -> str:
    """``2026-01-15T08:30:00Z`` (microseconds kept when present)."""
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


class Report(Strict):
    """One monitor's observation of one indicator — or its transcription of another body's figure."""

    monitor: str = Field(min_length=1)
    indicator: str = Field(min_length=1)
    value: float = Field(allow_inf_nan=False)
    observed_at: dt.datetime
    source: str = Field(min_length=1)
    location: str | None = None
    confidence: float = Field(1.0, ge=0.0, le=1.0)
    signature: str | None = None
    period_start: dt.datetime | None = Field(None, description="the value counts from here to observed_at")
    kind: Literal["observation", "transcription"] = "observation"
    body: str | None = Field(None, description="a transcription: the body whose figure it is")
    url: str | None = Field(None, description="a transcription: where the figure was published")
    published: dt.date | None = Field(None, description="a transcription: the source's publication date")
    party: str | None = Field(None, description="the obliged party the figure is about, for a duty of several "
                              "parties (whose ceasefire violations); none: about every party")

    _observed = field_validator("observed_at", "period_start", mode="before")(as_utc)

    @field_validator("monitor", "indicator", "source", "location", "signature", "body", "url", "party",
                     mode="before")
    @classmethod
    def _strip(cls, v: Any, info: ValidationInfo) -> Any:
        if isinstance(v, str):
            v = v.strip()
            if not v and info.field_name in ("location", "signature", "body", "url", "party"):
                return None
        return v

    @field_validator("published", mode="before")
    @classmethod
    def _date(cls, v: Any) -> Any:
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, v: Any) -> Any:
        return "observation" if v is None or (isinstance(v, str) and not v.strip()) else v

    @model_validator(mode="after")
    def _check(self) -> Report:
        if self.period_start is not None and self.period_start >= self.observed_at:
            raise ValueError("period_start must come before observed_at (the period the value counts)")
        extra = [f for f in ("body", "url", "published") if getattr(self, f) is not None]
        if self.kind == "observation" and extra:
            raise ValueError(f"{', '.join(extra)}: only a transcription names a body and its publication")
        if self.kind == "transcription":
            missing = [f for f in ("body", "url", "published") if getattr(self, f) is None]
            if missing:
                raise ValueError(f"a transcription needs {', '.join(missing)} (whose figure, where and when published)")
            if not self.url.startswith(("http://", "https://")):  # type: ignore[union-attr]
                raise ValueError("url: expected an http(s) URL")
        return self

    @field_validator("signature")
    @classmethod
    def _signature_bytes(cls, v: str | None) -> str | None:
        """The signature as its canonical encoding: 64 bytes as 128 lower-case hex characters."""
        if v is None:
            return None
        try:
            raw = bytes.fromhex(v)
        except ValueError:
            raise ValueError("not hexadecimal; expected 128 hex characters (an Ed25519 signature)") from None
        if len(raw) != 64:
            raise ValueError(f"{len(raw)} bytes; an Ed25519 signature has 64 (128 hex characters)")
        return raw.hex()

    @property
    def observed_on(self) -> dt.date:
        return self.observed_at.date()

    @property
    def speaker(self) -> str:
        """Whose word the report is: the body for a transcription, else the monitor."""
        return self.body if self.kind == "transcription" and self.body else self.monitor

    @property
    def order(self) -> tuple[dt.datetime, str, str]:
        """How reports are listed, everywhere: by the moment observed, then whose word it is, then id — so
        that figures of one moment from several bodies keep their order whoever transcribed them (a
        transcription's id changes with the importer's key)."""
        return (self.observed_at, self.speaker, self.id)

    @property
    def days(self) -> float | None:
        """The length of the period the value counts, in days (None for a point observation)."""
        if self.period_start is None:
            return None
        return (self.observed_at - self.period_start).total_seconds() / 86400

    @property
    def known_on(self) -> dt.date:
        """The day the report could first be known: its publication for a transcription, else its observation."""
        if self.published is not None:
            return max(self.published, self.observed_on)
        return self.observed_on

    @property
    def synthetic(self) -> bool:
        return self.source.upper().startswith(SYNTHETIC_MARK)

    @property
    def id(self) -> str:
        """A short stable id: 16 hex characters of SHA-256 over the signed payload and signature."""
        return hashlib.sha256(signing_payload(self) + (self.signature or "").encode()).hexdigest()[:16]

    def to_json(self) -> dict[str, Any]:
        """The report as stored in the ledger (and written to JSON Lines).

        The keys of a plain point observation are the original eight, so its
        encoding, id and signature are those it has always had; a period and a
        transcription's fields and a party appear only when present.
        """
        out: dict[str, Any] = {
            "monitor": self.monitor, "indicator": self.indicator, "value": self.value,
            "observed_at": format_utc(self.observed_at), "location": self.location,
            "source": self.source, "confidence": self.confidence, "signature": self.signature,
        }
        if self.period_start is not None:
            out["period_start"] = format_utc(self.period_start)
        if self.kind == "transcription":
            out.update(kind=self.kind, body=self.body, url=self.url,
                       published=self.published.isoformat() if self.published else None)
        if self.party is not None:
            out["party"] = self.party
        return out


def signing_payload(report: Report) -> bytes:
    """The bytes a monitor signs (canonical JSON; the signature itself excluded).

    A transcription is signed as ``accord.transcription/1``: what its signer
    attests is the copy of a published figure, not an observation of their own.
    """
    body = report.to_json()
    del body["signature"]
    body["type"] = TRANSCRIPTION_TYPE if report.kind == "transcription" else REPORT_TYPE
    return canonical_json(body)


def sign_report(report: Report, key: _keys.Ed25519PrivateKey) -> Report:
    """The report with its signature by ``key``."""
    return report.model_copy(update={"signature": _keys.sign(key, signing_payload(report))})


def report_problem(report: Report, monitor_keys: Mapping[str, Sequence[str]]) -> str | None:
    """Why the report must be rejected, or None if its signature verifies.

    ``monitor_keys`` maps a monitor id to its registered public keys (hex).
    """
    if not report.signature:
        return "unsigned report (no signature)"
    registered = monitor_keys.get(report.monitor)
    if not registered:
        return f"monitor '{report.monitor}' has no registered key (register it with `accord keys add`)"
    payload = signing_payload(report)
    if any(_keys.verify(pub, report.signature, payload) for pub in registered):
        return None
    return f"signature does not verify with monitor '{report.monitor}''s registered key"


def observation_problem(report: Report, watched: Mapping[str, dt.date], now: dt.datetime,
                        parties: Mapping[str, Collection[str]] | None = None) -> str | None:
    """Why ``report`` cannot be an observation, or None.

    ``watched`` maps each indicator of a signed obligation to the earliest
    signature date among them; ``now`` is the storing machine's clock (UTC);
    ``parties`` maps each indicator to the parties its obligations oblige (a
    report's ``party`` must be one of them).

    >>> r = Report(monitor="m1", indicator="army", value=5, observed_at="2026-03-01", source="s")
    >>> now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    >>> observation_problem(r, {"army": dt.date(2026, 1, 15)}, now) is None
    True
    >>> observation_problem(r, {"army": dt.date(2026, 4, 1)}, now)
    "observed_at 2026-03-01 is before 2026-04-01, when the first agreement watching 'army' was signed"
    >>> observation_problem(r, {"army": dt.date(2026, 1, 15)}, dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    'observed_at 2026-03-01T00:00:00Z is in the future (the clock says 2026-02-01T00:00:00Z)'
    >>> observation_problem(r.model_copy(update={"party": "russia"}), {"army": dt.date(2026, 1, 15)}, now,
    ...                     {"army": {"ukraine"}})
    "party 'russia' is not obliged by any obligation on 'army' (obliged: ukraine)"
    """
    if report.indicator not in watched:
        known = ", ".join(sorted(watched)[:12]) or "none: sign an agreement first"
        return f"indicator '{report.indicator}' is watched by no signed obligation (known: {known})"
    if report.observed_at > now + MAX_SKEW:
        return f"observed_at {format_utc(report.observed_at)} is in the future (the clock says {format_utc(now)})"
    signed = watched[report.indicator]
    if report.observed_on < signed:
        return (f"observed_at {report.observed_on} is before {signed}, when the first agreement watching "
                f"'{report.indicator}' was signed")
    if abs(report.value) > MAX_ABS_VALUE:
        return f"value {report.value:g} is beyond ±{MAX_ABS_VALUE:g}; check the number and its unit"
    if report.party is not None and parties is not None and report.party not in parties.get(report.indicator, ()):
        obliged = ", ".join(sorted(parties.get(report.indicator, ()))) or "none"
        return f"party '{report.party}' is not obliged by any obligation on '{report.indicator}' (obliged: {obliged})"
    return None


# -- files -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One row of an input file: its number (the file's line) and a report or a problem."""

    number: int
    report: Report | None
    problem: str | None = None


def _problem_text(err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "row"
        msg = e["msg"].removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}")
    return "; ".join(parts)


def _row(number: int, fields: Mapping[str, Any]) -> Row:
    try:
        return Row(number, Report.model_validate(fields))
    except ValidationError as e:
        return Row(number, None, _problem_text(e))


def parse_csv(text: str, name: str = "reports.csv") -> list[Row]:
    """Rows of a CSV file of reports; bad rows carry their problem and line number.

    >>> rows = parse_csv("monitor,indicator,value,observed_at,source\\n"
    ...                  "m1,election_held,1,2026-04-30,ec\\nm1,election_held,yes,2026-04-30,ec\\n")
    >>> [(r.number, r.problem) for r in rows]
    [(2, None), (3, 'value: Input should be a valid number, unable to parse string as a number')]
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise AccordError(f"{name}: empty file") from None
    except csv.Error as e:
        raise AccordError(f"{name}:1: unreadable header ({e})") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS + EXTENSION_COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        what = []
        if missing:
            what.append("missing columns " + ", ".join(missing))
        if unknown:
            what.append("unknown columns " + ", ".join(unknown))
        if len(set(header)) != len(header):
            what.append("duplicate columns")
        raise AccordError(f"{name}:1: header: {'; '.join(what)} (expected {', '.join(COLUMNS)}, "
                          f"optionally {', '.join(EXTENSION_COLUMNS)})")
    rows: list[Row] = []
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            rows.append(Row(start, None, f"malformed CSV ({e})"))
            continue
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) != len(header):
            rows.append(Row(start, None, f"expected {len(header)} fields, found {len(values)}"))
            continue
        fields = {k: v for k, v in zip(header, values, strict=True) if v.strip() != "" or k in REQUIRED_COLUMNS}
        rows.append(_row(start, fields))
    return rows


def parse_jsonl(text: str) -> list[Row]:
    """Rows of a JSON Lines file of reports (blank lines skipped).

    >>> print(parse_jsonl('{"monitor": "m1"\\n')[0].problem)
    not valid JSON (Expecting ',' delimiter at column 17)
    """
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            rows.append(Row(number, None, f"not valid JSON ({e.msg} at column {e.colno})"))
            continue
        if not isinstance(obj, dict):
            rows.append(Row(number, None, "expected a JSON object"))
            continue
        rows.append(_row(number, obj))
    return rows


def parse_reports(text: str, name: str) -> list[Row]:
    """Rows of a ``.csv`` or ``.jsonl`` file, by its name's extension."""
    lower = name.lower()
    if lower.endswith(".csv"):
        return parse_csv(text, name)
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return parse_jsonl(text)
    raise AccordError(f"{name}: expected a .csv or .jsonl file")


def to_csv(reports: Sequence[Report]) -> str:
    """Reports as CSV (the format :func:`parse_csv` reads): every column, and the extension
    columns when some report has a period or is a transcription."""
    rows = [r.to_json() for r in reports]
    columns = COLUMNS + tuple(c for c in EXTENSION_COLUMNS if any(c in d for d in rows))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for d in rows:
        w.writerow(["" if d.get(c) is None else _cell(d[c]) for c in columns])
    return buf.getvalue()


def _cell(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def to_jsonl(reports: Sequence[Report]) -> str:
    """Reports as JSON Lines, one canonical object per line."""
    return "".join(canonical_json(r.to_json()).decode("utf-8") + "\n" for r in reports)
