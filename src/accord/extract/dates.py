"""Dates in news text, absolute or relative to the article's date.

News writes "said Friday", "last week", "Nov. 27", "28/11/2025". :func:`find_dates`
finds such spans with its own patterns and resolves them: weekdays and
relative phrases by the rules of news style (a bare weekday is the most recent
one on or before the article date — the AP convention that a weekday without a
date lies in the past week; "next Friday" lies after it), absolute dates with
dateparser, only ever on the span found here, with the article's year when the
text gives none.

>>> import datetime as dt
>>> friday = dt.date(2025, 11, 21)
>>> [(d.text, d.date.isoformat()) for d in find_dates("Zelensky said Thursday; the Nov. 27 deadline.", friday)]
[('Thursday', '2025-11-20'), ('Nov. 27', '2025-11-27')]
>>> resolve_relative("last week", friday).isoformat()
'2025-11-14'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
ABSOLUTE = re.compile(
    rf"(?<![A-Za-z0-9])(?:"
    rf"(?:{_MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTHS})\.?(?:,? \d{{4}})?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{4}}"
    rf")(?![A-Za-z0-9])",
    re.I,
)
RELATIVE = re.compile(
    r"(?<![A-Za-z])(?:(?:last|next|this|on|earlier|later) )?(?:this )?"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|"
    r"week|month|year|weekend)(?![A-Za-z])",
    re.I,
)


@dataclass(frozen=True)
class DateMention:
    """A date expression at ``start:end`` and the date it stands for."""

    text: str
    start: int
    end: int
    date: dt.date
    relative: bool


def resolve_relative(phrase: str, anchor: dt.date) -> dt.date | None:
    """The date a relative phrase means, seen from ``anchor`` (the article's date).

    >>> d = dt.date(2025, 11, 28)  # a Friday
    >>> [resolve_relative(p, d).isoformat() for p in ("yesterday", "Friday", "last Friday", "next week")]
    ['2025-11-27', '2025-11-28', '2025-11-21', '2025-12-05']
    """
    p = " ".join(phrase.lower().split())
    words = p.split()
    head = words[-1]
    mod = words[0] if len(words) > 1 else ""
    if head == "today":
        return anchor
    if head == "yesterday":
        return anchor - dt.timedelta(days=1)
    if head == "tomorrow":
        return anchor + dt.timedelta(days=1)
    if head in WEEKDAYS:
        target = WEEKDAYS.index(head)
        back = (anchor.weekday() - target) % 7
        if mod == "next":
            return anchor + dt.timedelta(days=(target - anchor.weekday()) % 7 or 7)
        if mod == "last" and back == 0:
            back = 7
        return anchor - dt.timedelta(days=back)
    step = {"week": 7, "weekend": 7, "month": 30, "year": 365}.get(head)
    if step is None:
        return None
    if mod == "last":
        return anchor - dt.timedelta(days=step)
    if mod == "next":
        return anchor + dt.timedelta(days=step)
    if mod in ("this", "earlier", "later"):
        return anchor
    return None


@lru_cache(maxsize=2048)
def parse_absolute(text: str, anchor: dt.date | None) -> dt.date | None:
    """An absolute date span ("Nov. 27", "28/11/2025") parsed by dateparser, year from ``anchor``."""
    import dateparser

    base = dt.datetime.combine(anchor or dt.date(2000, 1, 1), dt.time())
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month"],
        "PREFER_DATES_FROM": "current_period",
    }
    try:
        parsed = dateparser.parse(text.replace(".", " ").replace(",", " "), languages=["en"], settings=settings)
    except Exception:  # dateparser raises on odd spans
        return None
    if parsed is None:
        return None
    d = parsed.date()
    if anchor is None and not re.search(r"\d{4}", text):
        return None
    return d


def find_dates(text: str, anchor: dt.date | None) -> list[DateMention]:
    """Date expressions in ``text`` with their dates (relative ones need ``anchor``)."""
    out: list[DateMention] = []
    for m in ABSOLUTE.finditer(text):
        d = parse_absolute(m.group(0), anchor)
        if d is not None:
            out.append(DateMention(m.group(0), m.start(), m.end(), d, False))
    if anchor is not None:
        for m in RELATIVE.finditer(text):
            if any(o.start <= m.start() < o.end for o in out):
                continue
            phrase = m.group(0)
            if phrase[:1].isupper() is False and phrase.split()[-1].lower() in WEEKDAYS:
                pass
            d = resolve_relative(phrase, anchor)
            if d is not None and phrase.lower() not in ("week", "month", "year", "weekend"):
                out.append(DateMention(phrase, m.start(), m.end(), d, True))
    out.sort(key=lambda x: x.start)
    return out
