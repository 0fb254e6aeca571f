"""Stance and basis from cues: support / conditional / oppose, stated / reported / assessed.

:func:`find_cues` scans a text once for the cue patterns of
:mod:`accord.extract.lexicon` (longest cue wins where two overlap) and flips a
support cue preceded by a negation ("did not endorse") to oppose.
:func:`combine` merges the cues one holder has on one issue in one sentence:
removal beats everything; a condition marker ("only if", "unless", "before
any") turns support or rejection into ``conditional``; otherwise oppose beats
conditional beats support ("will not accept its terms, but will attempt to
revise it" is a rejection). :func:`hypothetical_spans` marks what lies after
"if"/"whether" in a clause, and "it remains unclear whether …": nothing there
is claimed.

>>> [(c.stance, c.text) for c in find_cues("Putin said the draft could be the basis, but only if red lines hold.")]
[('support', 'could be the basis'), ('conditional', 'only if'), ('conditional', 'red lines')]
>>> [(c.stance, c.kind) for c in find_cues("Kyiv did not endorse it.")]
[('oppose', 'negated')]
>>> combine(find_cues("could be the basis, but only if red lines hold"))
'conditional'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from accord.extract.lexicon import ASSESSED, HYPOTHETICAL, NEGATORS, STANCE_CUES, UNCLEAR, CueKind, Stance
from accord.extract.prefilter import LiteralGate


@dataclass(frozen=True)
class Cue:
    """One stance cue found in a text (offsets into that text)."""

    stance: Stance
    kind: CueKind
    weight: float
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[tuple[re.Pattern[str], Stance, CueKind, float], ...], LiteralGate]:
    cues = tuple(
        (re.compile(rf"(?<![a-z0-9])(?:{p})(?![a-z0-9])"), stance, kind, w) for p, stance, kind, w in STANCE_CUES
    )
    return cues, LiteralGate([rx for rx, *_ in cues])


_NEG = re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(n) for n in NEGATORS) + r")(?![a-z])")
_HYPO = re.compile("|".join(HYPOTHETICAL), re.I)
_UNCLEAR = re.compile("|".join(UNCLEAR), re.I)
_ASSESSED = re.compile("|".join(ASSESSED), re.I)
_CLAUSE_END = re.compile(r"[,;:\u2014\u2013]| - | but | and then ")


def find_cues(text: str) -> list[Cue]:
    """Every stance cue in ``text`` (any case), longest first where they overlap, in order."""
    low = text.lower()
    found: list[Cue] = []
    cues, gate = _compiled()
    for i in gate.candidates(low):  # only the patterns whose required words occur (the others cannot match)
        rx, stance, kind, w = cues[i]
        for m in rx.finditer(low):
            found.append(Cue(stance, kind, w, m.start(), m.end(), text[m.start() : m.end()]))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Cue] = []
    for c in found:
        if any(k.start <= c.start and c.end <= k.end for k in kept):
            continue
        kept = [k for k in kept if not (c.start <= k.start and k.end <= c.end)]
        kept.append(c)
    out = []
    for c in sorted(kept, key=lambda c: c.start):
        if (
            c.kind == "verb"
            and c.text.lower() in _NOUNLIKE
            and _NOUN_BEFORE.search(low[max(0, c.start - 40) : c.start])
        ):
            continue  # "Moscow's key demands", "the demand": a noun, not a stance taken
        if (
            c.kind == "verb"
            and _PARTICIPLE.fullmatch(c.text.lower())
            and _DET_BEFORE.search(low[max(0, c.start - 12) : c.start])
        ):
            continue  # "the amended text", "a revised draft": an adjective, not a stance
        if c.stance == "support" and c.kind == "verb" and _negated(low, c.start):
            c = Cue("oppose", "negated", c.weight, c.start, c.end, c.text)
        elif c.stance == "oppose" and c.kind == "verb" and _negated(low, c.start):
            c = Cue("conditional", "verb", c.weight * 0.8, c.start, c.end, c.text)  # "we are not rejecting it"
        out.append(c)
    return out


_PARTICIPLE = re.compile(r"(?:amended|revised|modified|adjusted|reworked|proposed|supported|backed|endorsed)")
_DET_BEFORE = re.compile(r"\b(?:the|a|an|this|that|its|their|his|her|our|newly|latest)\s+$")
_NOUNLIKE = frozenset(
    {
        "demand",
        "demands",
        "insistence",
        "support",
        "backing",
        "offer",
        "offers",
        "pledge",
        "pledges",
        "promise",
        "promises",
    }
)
_NOUN_BEFORE = re.compile(
    r"(?:'s?|\b(?:the|a|an|its|his|her|their|our|key|main|maximalist|security|these|those|such|of|new|broad|"
    r"diplomatic|financial|military|political|public|western|eastern|[a-z]+(?:ian|ean|can)|territorial|"
    r"growing|strong|stronger|for|without|with))\s+(?:\w+\s+)?$"
)


def _negated(low: str, start: int) -> bool:
    window = low[max(0, start - 24) : start]
    words = re.findall(r"[a-z']+", window)[-3:]
    return any(_NEG.fullmatch(w) or w.endswith("n't") for w in words)


def combine(cues: Iterable[Cue]) -> Stance | None:
    """One stance from the cues one holder has on one issue in one sentence (``None`` if none)."""
    cs = list(cues)
    if not cs:
        return None
    kinds = {(c.stance, c.kind) for c in cs}
    stances = {c.stance for c in cs}
    if ("oppose", "removal") in kinds:
        return "oppose"
    marker = any(c.kind == "marker" for c in cs)
    if "oppose" in stances:
        plain_reject = any(c.stance == "oppose" and c.kind in ("verb", "negated") for c in cs)
        if marker and plain_reject:
            return "conditional"
        return "oppose"
    if any(c.kind in ("threat", "agree") for c in cs):
        return "support"  # taking by force what the plan gives, or "as the draft foresees", is support
    if "conditional" in stances:
        return "conditional"
    return "support"


def hypothetical_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that state no stance: after "if"/"whether" to the clause end; "unclear whether …".

    >>> t = "Putin threatened to seize more land if Kyiv rejects the proposal, saying so."
    >>> [t[a:b] for a, b in hypothetical_spans(t)]
    ['if Kyiv rejects the proposal']
    """
    spans = []
    for m in _UNCLEAR.finditer(text):
        spans.append((m.start(), len(text)))
    for m in _HYPO.finditer(text):
        end = _CLAUSE_END.search(text, m.end())
        spans.append((m.start(), end.start() if end else len(text)))
    return spans


def is_assessed(text: str) -> bool:
    """Whether a holder's stance in ``text`` is hedged or predicted (basis ``assessed``).

    >>> is_assessed("Russia will also reject the plan."), is_assessed("Russia rejected the plan.")
    (True, False)
    """
    return bool(_ASSESSED.search(text))
