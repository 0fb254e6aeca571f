"""Claims over time: how each party's stance on each issue moved, what it repeats, what it dropped.

- :func:`timelines` — per (holder, issue), the dominant stance on each date
  (claims without a date are left out and counted), and how often it changed;
- :func:`repeated_phrases` — word n-grams (3–6 words) of a party's own words
  (quotes, or the sentence of a stated claim) that recur in at least
  ``min_docs`` documents: talking points;
- :func:`dropped_topics` — issues a party spoke to earlier but not in its last
  ``min_later`` dated statements: topics that stopped appearing.

>>> import datetime as dt
>>> from accord.model import Claim
>>> d = dt.date
>>> cs = [Claim(doc="a", holder="russia", issue="plan", stance="oppose", text="x", date=d(2025, 11, 21)),
...       Claim(doc="b", holder="russia", issue="plan", stance="conditional", text="y", date=d(2025, 11, 27))]
>>> [(p.date.isoformat(), p.stance) for p in timelines(cs)[0].points]
[('2025-11-21', 'oppose'), ('2025-11-27', 'conditional')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from accord.model import Claim, Stance

_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "or",
        "in",
        "on",
        "for",
        "with",
        "that",
        "this",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "as",
        "at",
        "by",
        "from",
        "we",
        "our",
        "they",
        "their",
        "he",
        "his",
        "she",
        "her",
        "will",
        "would",
        "could",
        "should",
        "not",
        "no",
        "but",
        "if",
        "than",
        "then",
        "there",
        "which",
        "who",
    ]
)


@dataclass(frozen=True)
class TimelinePoint:
    """The dominant stance of one holder on one issue on one date."""

    date: dt.date
    stance: Stance
    n: int
    docs: tuple[str, ...]


@dataclass(frozen=True)
class Track:
    """One holder's stance on one issue over time."""

    holder: str
    issue: str
    points: tuple[TimelinePoint, ...]
    changes: int
    undated: int


def timelines(claims: Iterable[Claim]) -> list[Track]:
    """Tracks sorted by holder and issue; a date's stance is the most confident total (ties: alphabetical)."""
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        groups[(c.holder, c.issue)].append(c)
    out = []
    for (holder, issue), cs in sorted(groups.items()):
        by_date: dict[dt.date, list[Claim]] = defaultdict(list)
        undated = 0
        for c in cs:
            if c.date is None:
                undated += 1
            else:
                by_date[c.date].append(c)
        points = []
        for day in sorted(by_date):
            w: dict[str, float] = defaultdict(float)
            for c in by_date[day]:
                w[c.stance] += c.confidence
            stance: Stance = max(sorted(w), key=lambda s: w[s])  # type: ignore[arg-type]
            points.append(
                TimelinePoint(
                    day,
                    stance,
                    len(by_date[day]),
                    tuple(sorted({c.doc for c in by_date[day]})),
                )
            )
        changes = sum(1 for a, b in zip(points, points[1:], strict=False) if a.stance != b.stance)
        out.append(Track(holder, issue, tuple(points), changes, undated))
    return out


def _ngrams(text: str, lo: int, hi: int) -> set[str]:
    words = re.findall(r"[a-z][a-z'\-]*", text.lower())
    out = set()
    for n in range(lo, hi + 1):
        for i in range(len(words) - n + 1):
            gram = words[i : i + n]
            if gram[0] in _STOP or gram[-1] in _STOP or sum(w not in _STOP for w in gram) < 2:
                continue
            out.add(" ".join(gram))
    return out


def repeated_phrases(
    claims: Iterable[Claim], *, min_docs: int = 2, lo: int = 3, hi: int = 6, top: int = 10
) -> dict[str, list[tuple[str, int]]]:
    """Per holder, phrases of its own words found in ≥ ``min_docs`` documents (longest, commonest first).

    A phrase contained in a longer repeated phrase with the same documents is dropped.
    """
    docs_of: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    seen: set[tuple[str, str, str]] = set()
    for c in claims:
        words = c.quote or (c.text if c.basis == "stated" else None)
        if not words or (c.holder, c.doc, words) in seen:
            continue
        seen.add((c.holder, c.doc, words))
        for g in _ngrams(words, lo, hi):
            docs_of[c.holder][g].add(c.doc)
    out: dict[str, list[tuple[str, int]]] = {}
    for holder, grams in sorted(docs_of.items()):
        rep = {g: d for g, d in grams.items() if len(d) >= min_docs}
        keep = [g for g in rep if not any(g != o and g in o and rep[o] == rep[g] for o in rep)]
        keep.sort(key=lambda g: (-len(rep[g]), -len(g.split()), g))
        if keep:
            out[holder] = [(g, len(rep[g])) for g in keep[:top]]
    return out


def dropped_topics(claims: Iterable[Claim], *, min_later: int = 2) -> dict[str, list[tuple[str, dt.date]]]:
    """Per holder, issues last raised before its final ``min_later`` dated statements (with that last date)."""
    dates: dict[str, set[dt.date]] = defaultdict(set)
    last: dict[tuple[str, str], dt.date] = {}
    for c in claims:
        if c.date is None:
            continue
        dates[c.holder].add(c.date)
        key = (c.holder, c.issue)
        if key not in last or c.date > last[key]:
            last[key] = c.date
    out: dict[str, list[tuple[str, dt.date]]] = {}
    for holder, ds in sorted(dates.items()):
        ordered = sorted(ds)
        if len(ordered) <= min_later:
            continue
        cutoff = ordered[-min_later]
        gone = sorted(((i, d) for (h, i), d in last.items() if h == holder and d < cutoff), key=lambda x: (x[1], x[0]))
        if gone:
            out[holder] = gone
    return out
