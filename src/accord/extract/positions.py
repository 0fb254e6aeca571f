"""Claims → positions: the actor × issue matrix of what the record says each party holds.

For each (holder, issue) over all documents: the dominant stance (claims
weighted by confidence; a tie goes to the stance of the latest claim), the
number of claims and of documents, the count per stance, the latest date, and
the strongest evidence — the claim with the best basis (stated > reported >
assessed), then the highest confidence, then the latest date.

>>> from accord.model import Claim
>>> cs = [Claim(doc="a", holder="russia", issue="plan", stance="oppose", text="x", confidence=0.9),
...       Claim(doc="b", holder="russia", issue="plan", stance="conditional", text="y", confidence=0.6)]
>>> [(p.holder, p.issue, p.stance, p.n) for p in positions(cs)]
[('russia', 'plan', 'oppose', 2)]
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from accord.model import PLAN, Claim, Stance

BASIS_RANK = {"stated": 2, "reported": 1, "assessed": 0}


@dataclass(frozen=True)
class PositionCell:
    """One cell of the matrix."""

    holder: str
    issue: str
    stance: Stance
    n: int
    docs: int
    counts: dict[str, int]
    latest: dt.date | None
    evidence: Claim


def strongest(claims: Iterable[Claim]) -> Claim:
    """The claim that shows a stance best: basis, then confidence, then date, then document id."""
    return max(claims, key=lambda c: (BASIS_RANK[c.basis], c.confidence, c.date or dt.date.min, c.doc))


def positions(claims: Iterable[Claim]) -> list[PositionCell]:
    """The matrix, sorted by holder then issue (``plan`` first)."""
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        groups[(c.holder, c.issue)].append(c)
    out = []
    for (holder, issue), cs in groups.items():
        weight: dict[str, float] = defaultdict(float)
        counts: dict[str, int] = defaultdict(int)
        for c in cs:
            weight[c.stance] += c.confidence
            counts[c.stance] += 1
        latest_claim = max(cs, key=lambda c: (c.date or dt.date.min, c.doc))
        stance: Stance = max(weight, key=lambda s: (round(weight[s], 9), s == latest_claim.stance, s))  # type: ignore[arg-type]
        dates = [c.date for c in cs if c.date]
        out.append(
            PositionCell(
                holder,
                issue,
                stance,
                len(cs),
                len({c.doc for c in cs}),
                dict(sorted(counts.items())),
                max(dates) if dates else None,
                strongest(c for c in cs if c.stance == stance),
            )
        )
    out.sort(key=lambda p: (p.holder, p.issue != PLAN, p.issue))
    return out
