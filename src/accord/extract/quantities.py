"""Quantities with units (600,000 troops; $100 billion; 100 days; Nov. 27), linked to issues.

:func:`find_quantities` finds money, counts with a unit noun, durations,
percentages, "N-point" plans and dates (via :mod:`accord.extract.dates`, so
dateparser only ever sees spans found here). Values are normalised: money in
units of its currency (``$100 billion`` → 1e11 USD); a date's value is
``YYYYMMDD`` with unit ``date``. :func:`link_issue` ties a quantity to the issue
of its sentence: an issue whose keyword *is* the quantity ("$100 billion",
"100 days", "600,000") first, else the issue keyword nearest to it, else the
plan when a deadline or the plan is spoken of, else none.

>>> [(q.value, q.unit) for q in find_quantities("an army of 600,000 troops and $100 billion in 100 days", None)]
[(600000.0, 'troops'), (100000000000.0, 'USD'), (100.0, 'days')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from accord.extract.dates import DateMention, find_dates
from accord.extract.issues import IssueHit
from accord.model import PLAN, Quantity

_SCALE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_CURRENCY = {
    "$": "USD",
    "us$": "USD",
    "€": "EUR",
    "£": "GBP",
    "dollars": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "rubles": "RUB",
    "roubles": "RUB",
    "hryvnias": "UAH",
}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_RX = r"(?:thousand|million|billion|trillion|bn|mn|tn)"
MONEY = re.compile(
    rf"(?<![A-Za-z0-9])(?P<cur>US\$|\$|€|£|USD |EUR |GBP )\s?(?P<num>{_NUM})"
    rf"(?:\s?(?P<scale>{_SCALE_RX}|[mbk])(?![A-Za-z]))?"
    rf"|(?<![A-Za-z0-9$€£])(?P<num2>{_NUM})\s?(?P<scale2>{_SCALE_RX})?\s"
    rf"(?P<cur2>dollars|euros|euro|pounds|rubles|roubles)",
    re.I,
)
UNITS = (
    "troops",
    "soldiers",
    "servicemen",
    "personnel",
    "men",
    "fighters",
    "days",
    "weeks",
    "months",
    "years",
    "hours",
    "km",
    "kilometers",
    "kilometres",
    "miles",
    "prisoners",
    "children",
    "people",
    "civilians",
    "tanks",
    "aircraft",
    "jets",
    "missiles",
    "warheads",
    "points",
    "percent",
    "per cent",
    "%",
    "regions",
    "countries",
    "billion cubic meters",
    "megawatts",
    "MW",
    "GW",
)
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
COUNT = re.compile(
    rf"(?<![A-Za-z0-9$€£.,])(?P<num>{_NUM})(?:\s(?P<scale>thousand|million|billion))?"
    rf"(?:\s?-\s?|\s)(?P<unit>{_UNIT_ALT}|point|strong|day|year)"
    rf"(?![A-Za-z])",
    re.I,
)
BARE = re.compile(r"(?<![A-Za-z0-9$€£.,])\d{1,3}(?:,\d{3})+(?![\d,]*\d)(?!\.\d)")
_TROOP_CONTEXT = re.compile(r"\b(?:army|armies|armed forces|military|troops|soldiers|forces)\b", re.I)
_SINGULAR = {
    "point": "points",
    "day": "days",
    "year": "years",
    "strong": "troops",
    "per cent": "percent",
    "%": "percent",
}


def _number(num: str, scale: str | None) -> float:
    v = float(num.replace(",", ""))
    if scale:
        v *= _SCALE.get(scale.lower(), 1.0)
    return v


def find_quantities(
    text: str, anchor: dt.date | None, offset: int = 0, dates: list[DateMention] | None = None
) -> list[Quantity]:
    """Quantities in ``text`` (spans shifted by ``offset``), without issues; see :func:`link_issue`.

    ``dates``: ``find_dates(text, anchor)`` where the caller has it already.
    """
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in MONEY.finditer(text):
        if m.group("num"):
            cur, num, scale = m.group("cur"), m.group("num"), m.group("scale")
        else:
            cur, num, scale = m.group("cur2"), m.group("num2"), m.group("scale2")
        unit = _CURRENCY.get(cur.lower().strip(), cur.upper().strip())
        out.append(
            Quantity(
                value=_number(num, scale),
                unit=unit,
                text=m.group(0).strip(),
                start=offset + m.start(),
                end=offset + m.end(),
            )
        )
        taken.append((m.start(), m.end()))
    for m in COUNT.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        unit = m.group("unit").lower()
        unit = _SINGULAR.get(unit, unit)
        out.append(
            Quantity(
                value=_number(m.group("num"), m.group("scale")),
                unit=unit,
                text=m.group(0),
                start=offset + m.start(),
                end=offset + m.end(),
            )
        )
        taken.append((m.start(), m.end()))
    for m in BARE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        unit = "troops" if _TROOP_CONTEXT.search(text) else ""
        out.append(
            Quantity(
                value=_number(m.group(0), None),
                unit=unit,
                text=m.group(0),
                start=offset + m.start(),
                end=offset + m.end(),
            )
        )
        taken.append((m.start(), m.end()))
    for d in find_dates(text, anchor) if dates is None else dates:
        if d.relative or any(a <= d.start < b for a, b in taken):
            continue
        out.append(
            Quantity(
                value=float(d.date.strftime("%Y%m%d")),
                unit="date",
                text=d.text,
                start=offset + d.start,
                end=offset + d.end,
            )
        )
    out.sort(key=lambda q: q.start or 0)
    return out


def link_issue(q: Quantity, hits: Sequence[IssueHit], sentence: str = "", sentence_start: int = 0) -> Quantity:
    """``q`` with the issue of the nearest fitting keyword in its sentence (``hits`` in document offsets).

    >>> hits = [IssueHit("military_limits", "army", 10, 14), IssueHit("frozen_assets", "$100 billion", 40, 52)]
    >>> link_issue(Quantity(value=1e11, unit="USD", text="$100 billion", start=40, end=52), hits).issue
    'frozen_assets'
    """
    qs, qe = q.start or 0, q.end or 0
    for h in hits:
        if h.start <= qs and qe <= h.end or qs <= h.start and h.end <= qe:
            return q.model_copy(update={"issue": h.issue})
    specific = [h for h in hits if h.issue != PLAN]
    if specific:
        near = min(specific, key=lambda h: (min(abs(h.start - qe), abs(qs - h.end)), h.weak, h.start))
        return q.model_copy(update={"issue": near.issue})
    low = sentence.lower()
    if any(h.issue == PLAN for h in hits) or "deadline" in low:
        return q.model_copy(update={"issue": PLAN})
    return q
