"""The SYNTHETIC monitoring stream shipped for the demo — invented data, not observations.

Three fictional monitors report on the seven obligations of the bundled
``us-28-point`` plan over 200 days after a hypothetical signature on
:data:`SIGNED` (the army-cap deadline in the bundled plan is 180 days, so the
stream runs past it). Nothing here happened; it exists to show the desk at
work, and it is built to contain:

- a **breach of the army cap**: the headcount falls but is still above 600,000
  when the 180-day deadline passes;
- a **late election**: nothing by the 100-day deadline (overdue), held on day 118;
- a **dispute between two monitors**: on the last day one reports ceasefire
  violations, the other none.

The monitors' keys come from fixed seeds so the stream is reproducible; their
private keys are demo-only and published in ``monitors.yaml``. A test checks
that :func:`synthetic_stream` reproduces the shipped file byte for byte.

>>> reports = synthetic_stream()
>>> len(reports), all(r.synthetic for r in reports)
(93, True)
>>> sorted({r.monitor for r in reports})
['synthetic-alpha', 'synthetic-bravo', 'synthetic-charlie']
"""

from __future__ import annotations

import datetime as dt
import hashlib

from accord.monitor import keys as _keys
from accord.monitor.reports import Report, sign_report

SIGNED = dt.date(2026, 1, 15)
"""The hypothetical signature date of us-28-point that the stream assumes."""
DAYS = 200
AS_OF = SIGNED + dt.timedelta(days=DAYS)
PLAN = "us-28-point"

MONITORS = {
    "synthetic-alpha": "Monitor Alpha (SYNTHETIC demo: remote sensing)",
    "synthetic-bravo": "Monitor Bravo (SYNTHETIC demo: ground observers)",
    "synthetic-charlie": "Monitor Charlie (SYNTHETIC demo: humanitarian and electoral desk)",
}


def demo_seed(monitor: str) -> bytes:
    """The fixed, published (so NOT secret) key seed of a synthetic monitor."""
    return hashlib.sha256(f"accord SYNTHETIC demo monitor {monitor} (demo only, not secret)".encode()).digest()


def demo_key(monitor: str) -> _keys.Ed25519PrivateKey:
    return _keys.private_key_from_seed(demo_seed(monitor))


# (indicator, monitor, [(day, value, confidence)], source, location)
_Series = tuple[str, str, list[tuple[int, int, float]], str, str | None]
_SERIES: list[_Series] = [
    ("ukraine_armed_forces_headcount", "synthetic-alpha",
     [(10, 880_000, 0.7), (40, 820_000, 0.7), (70, 760_000, 0.75), (100, 710_000, 0.75),
      (130, 680_000, 0.8), (160, 655_000, 0.8), (190, 640_000, 0.8)],
     "personnel registers and imagery", None),
    ("ukraine_armed_forces_headcount", "synthetic-bravo", [(185, 645_000, 0.7)],
     "unit visits", None),
    ("election_held", "synthetic-charlie",
     [(30, 0, 0.95), (60, 0, 0.95), (95, 0, 0.95), (118, 1, 0.99), (150, 1, 0.99)],
     "electoral commission notices", "Kyiv"),
    ("ceasefire_violations_per_day", "synthetic-alpha",
     [(d, v, 0.8) for d, v in zip(range(0, 35, 5), (46, 30, 18, 9, 4, 1, 0), strict=True)]
     + [(d, 0, 0.85) for d in range(35, DAYS + 1, 5)],
     "satellite and drone imagery", "line of contact"),
    ("ceasefire_violations_per_day", "synthetic-bravo",
     [(d, 0, 0.75) for d in range(40, DAYS, 10)] + [(DAYS, 3, 0.75)],
     "ground patrol logs", "line of contact"),
    ("prisoners_unreturned", "synthetic-charlie",
     [(20, 8_000, 0.6), (40, 6_500, 0.6), (60, 5_000, 0.65), (80, 3_200, 0.7), (100, 1_800, 0.7),
      (120, 700, 0.75), (140, 150, 0.8), (165, 0, 0.85), (195, 0, 0.9)],
     "exchange lists of the humanitarian committee", None),
    ("dnipro_commercial_passage", "synthetic-bravo",
     [(20, 0, 0.9), (45, 1, 0.9), (75, 1, 0.9), (105, 1, 0.9), (135, 1, 0.9), (165, 1, 0.9), (195, 1, 0.9)],
     "port and lock records", "Dnipro river"),
    ("znpp_under_iaea", "synthetic-alpha", [(60, 0, 0.9), (120, 0, 0.9), (180, 0, 0.9)],
     "IAEA statements", "Enerhodar"),
    ("frozen_assets_transferred_usd", "synthetic-charlie",
     [(90, 0, 0.8), (150, 25_000_000_000, 0.7), (200, 40_000_000_000, 0.7)],
     "fund disbursement statements", None),
]


def synthetic_stream() -> list[Report]:
    """Every synthetic report, signed with its monitor's demo key, in time order."""
    out = []
    for indicator, monitor, points, source, location in _SERIES:
        key = demo_key(monitor)
        for day, value, confidence in points:
            at = dt.datetime.combine(SIGNED + dt.timedelta(days=day), dt.time(12, 0), tzinfo=dt.UTC)
            r = Report(monitor=monitor, indicator=indicator, value=value, observed_at=at,
                       source=f"SYNTHETIC demo data, not a real observation: {source}",
                       location=location, confidence=confidence)
            out.append(sign_report(r, key))
    out.sort(key=lambda r: (r.observed_at, r.indicator, r.monitor))
    return out


def monitors_yaml() -> str:
    """The text of ``monitoring/monitors.yaml``: ids, names, public keys and demo-only seeds."""
    lines = [
        "# SYNTHETIC demo monitors — fictional; they exist only for `accord demo`.",
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
