"""SYNTHETIC monitoring streams for tests and trials — invented data, never observations.

:func:`synthetic_stream` makes up a stream of signed reports for any plan of
any case, as if it had been signed on a given date: three fictional monitors
report on every obligation the plan declares, and the stream is built to tell
three stories the desk must show, in turn over the plan's obligations:

- a **breach**: the figure moves towards the threshold but is still short when
  the deadline passes;
- a **late fulfilment**: nothing by the deadline (overdue), met some weeks later;
- a **dispute**: met early, until on the last day a second monitor reports it unmet.

Every report's ``source`` starts with "SYNTHETIC"; the monitors' keys come
from fixed, published seeds (:func:`demo_key`), so the stream is reproducible
and anyone can sign as them — never register them in a real ledger. The
test suite keeps one such stream, for the default case, as a labelled fixture
(``tests/monitor/fixtures/synthetic/``) and checks it is this function's output.

>>> import datetime as dt
>>> from accord.model import ObligationSpec, Plan, Provision
>>> spec = lambda i, c, t: ObligationSpec(indicator=i, comparator=c, threshold=t, deadline_days=30)
>>> plan = Plan(id="p", name="P", provisions=[
...     Provision(id=str(k), title=i, text="…", obliged=("a",), obligation=spec(i, c, t))
...     for k, (i, c, t) in enumerate([("army", "<=", 600), ("vote_held", "==", 1), ("violations", "==", 0)])])
>>> reports = synthetic_stream(plan, dt.date(2026, 1, 15))
>>> all(r.synthetic for r in reports), sorted({r.monitor for r in reports})
(True, ['synthetic-alpha', 'synthetic-bravo', 'synthetic-charlie'])
"""

from __future__ import annotations

import datetime as dt
import hashlib

from accord.model import Plan
from accord.model.plan import ObligationSpec
from accord.monitor import keys as _keys
from accord.monitor.reports import Report, sign_report

MONITORS = {
    "synthetic-alpha": "Monitor Alpha (SYNTHETIC demo: remote sensing)",
    "synthetic-bravo": "Monitor Bravo (SYNTHETIC demo: ground observers)",
    "synthetic-charlie": "Monitor Charlie (SYNTHETIC demo: humanitarian and electoral desk)",
}
STORIES = ("breach", "late", "disputed")
"""What the stream makes of the plan's obligations, in turn."""
STEP = 10
"""Days between two reports of the same monitor."""


def demo_seed(monitor: str) -> bytes:
    """The fixed, published (so NOT secret) key seed of a synthetic monitor."""
    return hashlib.sha256(f"accord SYNTHETIC demo monitor {monitor} (demo only, not secret)".encode()).digest()


def demo_key(monitor: str) -> _keys.Ed25519PrivateKey:
    return _keys.private_key_from_seed(demo_seed(monitor))


def _met(spec: ObligationSpec) -> float:
    """A value that meets the obligation (its threshold, or just past it for a strict comparator)."""
    t = spec.threshold
    return {"<": t - 1, ">": t + 1, "!=": t + 1}.get(spec.comparator, t)


def _unmet(spec: ObligationSpec, share: float) -> float:
    """A value that misses the obligation, ``share`` of the way from far (1) to near (0)."""
    t, c = spec.threshold, spec.comparator
    span = max(abs(t), 1.0)
    if c in ("<=", "<"):
        return round(t + span * (0.05 + share))
    if c in (">=", ">"):
        return round(t - span * (0.05 + 0.9 * share))
    if c == "!=":
        return t
    return t + max(1, round(10 * share)) if t == 0 else 0   # ==: a count above zero, or a flag not set


def days_for(plan: Plan) -> int:
    """How long a stream for ``plan`` runs: past its latest deadline, so every story can be told."""
    deadlines = [p.obligation.deadline_days for p in plan.provisions if p.obligation]
    return max([*deadlines, 60]) + 30


def synthetic_stream(plan: Plan, signed: dt.date, days: int | None = None) -> list[Report]:
    """A signed SYNTHETIC stream over ``days`` (default :func:`days_for`) after ``signed``, in time order."""
    days = days_for(plan) if days is None else days
    specs = [(p, p.obligation) for p in plan.provisions if p.obligation]
    out: list[Report] = []

    def report(monitor: str, spec: ObligationSpec, day: int, value: float, what: str) -> None:
        at = dt.datetime.combine(signed + dt.timedelta(days=day), dt.time(12, 0), tzinfo=dt.UTC)
        period = at - dt.timedelta(days=STEP) if spec.per else None
        scale = STEP if spec.per else 1
        r = Report(monitor=monitor, indicator=spec.indicator, value=value * scale, observed_at=at,
                   period_start=period, source=f"SYNTHETIC demo data, not a real observation: {what}",
                   confidence=0.8)
        out.append(sign_report(r, demo_key(monitor)))

    seen: set[str] = set()
    for k, (prov, spec) in enumerate(specs):
        if spec.indicator in seen:
            continue
        seen.add(spec.indicator)
        story, due = STORIES[k % len(STORIES)], spec.deadline_days
        what = f"{spec.indicator} (point {prov.id})"
        if story == "breach":
            for n, day in enumerate(range(STEP, days + 1, STEP)):
                report("synthetic-alpha", spec, day, _unmet(spec, max(0.0, 1 - n * STEP / max(days, 1))), what)
        elif story == "late":   # nothing said between the deadline and the late fulfilment: overdue
            met_on = min(due + 18, days - STEP)
            for day in [*range(STEP, due, STEP), *range(met_on, days + 1, STEP)]:
                report("synthetic-charlie", spec, day, _met(spec) if day >= met_on else _unmet(spec, 1.0), what)
        else:
            for day in sorted({*range(0, days + 1, STEP // 2), days}):
                report("synthetic-alpha", spec, day, _met(spec), what)
            for day in range(STEP * 4, days, STEP):
                report("synthetic-bravo", spec, day, _met(spec), what)
            report("synthetic-bravo", spec, days, _unmet(spec, 0.1), what)
    out.sort(key=lambda r: (r.observed_at, r.indicator, r.monitor))
    return out


def monitors_yaml() -> str:
    """The monitors' file of a synthetic fixture: ids, names, public keys and demo-only seeds."""
    lines = [
        "# SYNTHETIC demo monitors — fictional; they exist only for tests and trials.",
        "# Their private key seeds are PUBLISHED HERE ON PURPOSE (demo only): anyone can sign",
        "# as them. Never register these keys in a real ledger.",
        "# Generated by accord.monitor.synthetic.monitors_yaml().",
        "monitors:",
    ]
    for mid, name in MONITORS.items():
        key = demo_key(mid)
        lines += [
            f"  - id: {mid}",
            f'    name: "{name}"',
            f"    public_key: {_keys.public_key_hex(key)}",
            f"    demo_private_seed: {_keys.private_key_seed_hex(key)}  # DEMO ONLY, not secret",
        ]
    return "\n".join(lines) + "\n"
