"""Claims reach the case: compare dated claims with the positions in effect on their date, propose updates.

A claim (:mod:`accord.model.claim`, from ``accord extract``) says that an actor
supports, opposes or conditionally accepts something on an issue, on a date.
:func:`review` reads which option it speaks to and compares its stance with the
state of the actor's position in effect that day (no later state is used):

==================  =========================================  ===========================================
kind                the claim                                   proposed new state (dated the claim's day)
==================  =========================================  ===========================================
opposes-ideal       opposes the option the case calls its ideal the ideal moves one option towards the actor's
                                                                pole (for the case's axis poles; others: none)
opposes-acceptable  opposes an option the case calls acceptable the option leaves ``acceptable``
supports-red-line   supports an option on its red line          the option leaves the red line, joins ``acceptable``
conditional-on-     accepts, with conditions, an option on its  the option leaves the red line
red-line            red line
supports-unmarked   supports an option the case does not call   the option joins ``acceptable``
                    acceptable
new-position        speaks on an issue it holds no position on  support: a position with that ideal and salience 0
                                                                (weigh it); otherwise none: code it by hand
==================  =========================================  ===========================================

The option a claim speaks to is the one a quantity in its sentence names (an
option whose ``value`` is the number: "600,000 troops"), else the one the plan
on the table settles the issue to — the latest plan dated by the claim's day
that settles it (when plans of that day disagree, the claim is left aside).
Claims of one day that propose the same change are one proposal; its new state
cites each claim's article as a source (with its date, so the leakage rule
holds) and lists the claims. A claim that agrees with the case, or cannot be
compared (undated, on the plan as a whole, an unknown actor or issue, no
option), is counted with the reason.

>>> from accord.model import DEFAULT_CASE, Claim, load_case
>>> case = load_case(DEFAULT_CASE)
>>> p = case.positions[0]
>>> undated = Claim(doc="d1", holder=p.actor, issue=p.issue, stance="oppose", text="They say no.")
>>> review(case, [undated]).skipped[0].reason
'undated: a claim is compared with the position of its day'
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Literal
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict

from accord.analysis.moves import describe, step
from accord.model import Case, Claim, Estimate, Issue, Plan, Position, Source
from accord.model.claim import PLAN

ProposalKind = Literal["opposes-ideal", "opposes-acceptable", "supports-red-line", "conditional-on-red-line",
                       "supports-unmarked", "new-position"]
KINDS: dict[str, str] = {
    "opposes-ideal": "opposes the option the case calls its ideal",
    "opposes-acceptable": "opposes an option the case calls acceptable",
    "supports-red-line": "supports an option on its red line",
    "conditional-on-red-line": "accepts, with conditions, an option on its red line",
    "supports-unmarked": "supports an option the case does not call acceptable",
    "new-position": "speaks on an issue it holds no position on",
}


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Proposal(_Out):
    """A proposed update of one actor's position, and the claims behind it."""

    id: str
    """Stable across runs: a hash of the actor, issue, kind, option, date and claims."""
    kind: ProposalKind
    actor: str
    issue: str
    option: str | None
    read_from: str
    """How the option was read: a quantity in the sentence, or the plan on the table."""
    date: dt.date
    reason: str
    current: Position | None
    """The state of the position in effect on ``date`` (None: the actor held none)."""
    proposed: Position | None
    """The new state, dated ``date``; None when the claims cannot say what it is (code it by hand)."""
    sources: tuple[Source, ...] = ()
    """The claims' articles as sources; those the case does not yet have are added on acceptance."""
    claims: tuple[Claim, ...]


class Skipped(_Out):
    claim: str
    reason: str


class Review(_Out):
    proposals: tuple[Proposal, ...]
    agrees: int
    """Claims whose stance agrees with the position in effect on their date."""
    skipped: tuple[Skipped, ...]


def review(case: Case, claims: Iterable[Claim], *, as_of: dt.date | None = None) -> Review:
    """Proposed updates from ``claims`` (those dated after ``as_of`` are left aside), oldest first."""
    full = case.at(None)
    groups: dict[tuple[str, str, str, str | None, dt.date], list[tuple[Claim, str]]] = {}
    skipped: list[Skipped] = []
    agrees = 0
    for c in claims:
        why = _not_comparable(full, c, as_of)
        if why:
            skipped.append(Skipped(claim=c.id or c.doc, reason=why))
            continue
        assert c.date is not None
        current = state_on(full, c.holder, c.issue, c.date)
        option, read_from = option_of(full, c)
        if current is None:
            kind: str | None = "new-position"
        elif option is None:
            skipped.append(Skipped(claim=c.id or c.doc, reason=read_from))
            continue
        else:
            kind = _kind(current, option, c.stance)
        if kind is None:
            agrees += 1
            continue
        groups.setdefault((c.holder, c.issue, kind, option, c.date), []).append((c, read_from))
    proposals = [_proposal(full, *key, found) for key, found in groups.items()]  # type: ignore[arg-type]
    order = {a: k for k, a in enumerate(full.actor_ids)}
    proposals.sort(key=lambda p: (p.date, order.get(p.actor, 0), p.issue, p.kind))
    return Review(proposals=tuple(proposals), agrees=agrees, skipped=tuple(skipped))


def changes(case: Case, proposal: Proposal) -> list[str]:
    """What accepting a proposal changes, in words: the moves from the state in effect to the proposed one."""
    if proposal.proposed is None:
        return []
    sources = {s.id: s for s in (*case.sources, *proposal.sources)}
    found = step(case.issue(proposal.issue), proposal.current, proposal.proposed, {}, sources)
    return [describe(m, case) for m in found]


def state_on(case: Case, actor: str, issue: str, day: dt.date) -> Position | None:
    """The state of a position in effect on ``day``, as recorded (saliences not rescaled)."""
    held = None
    for s in case.states(actor, issue):
        if s.since is None or s.since <= day:
            held = s
    return held


def option_of(case: Case, claim: Claim) -> tuple[str | None, str]:
    """The option a claim speaks to, and how it was read (or None and why not)."""
    issue = case.issue(claim.issue)
    for q in claim.quantities:
        if q.issue not in (None, issue.id):
            continue
        for o in issue.options:
            if o.value is not None and abs(o.value - q.value) <= 1e-9 * max(1.0, abs(o.value)):
                return o.id, f"the quantity '{q.text}' in the sentence"
    assert claim.date is not None
    dated = sorted({p.date for p in case.plans if p.kind == "plan" and p.date and p.date <= claim.date
                    and issue.id in p.settled()}, reverse=True)
    if not dated:
        return None, "names no option: no quantity in the sentence, and no plan dated by then settles the issue"
    day = dated[0]
    on_table = [p for p in case.plans if p.kind == "plan" and p.date == day and issue.id in p.settled()]
    chosen = _the_text(case, on_table, issue.id, claim.holder)
    if chosen is None:
        which = ", ".join(f"{p.id}: {p.settled()[issue.id]}" for p in on_table)
        return None, f"names no option: the plans of {day.isoformat()} settle the issue differently ({which})"
    points = ", ".join(p.id for p in chosen[0].settling(issue.id) if p.option is not None)
    names = " and ".join(p.id for p in chosen)
    return chosen[0].settled()[issue.id], f"the plan on the table: {names} ({day.isoformat()}), point {points}"


def _the_text(case: Case, plans: Sequence[Plan], issue: str, holder: str) -> list[Plan] | None:
    """Among plans of one day, the text a claim of ``holder`` speaks to: all of them when they agree on the
    issue; else the holder's own text; else the one most parties wrote; None when that still leaves a tie."""
    for pick in (lambda p: True, lambda p: holder in p.authors):
        found = [p for p in plans if pick(p)]
        if found and len({p.settled()[issue] for p in found}) == 1:
            return found
    parties = set(case.parties)
    most = max(len(parties & set(p.authors)) for p in plans)
    found = [p for p in plans if len(parties & set(p.authors)) == most]
    return found if len({p.settled()[issue] for p in found}) == 1 else None


def _not_comparable(case: Case, c: Claim, as_of: dt.date | None) -> str:
    if c.date is None:
        return "undated: a claim is compared with the position of its day"
    if as_of is not None and c.date > as_of:
        return f"dated {c.date.isoformat()}, after --as-of {as_of.isoformat()}"
    if c.holder not in case.actor_ids:
        return f"holder '{c.holder}' is not an actor of the case"
    if c.issue == PLAN:
        return "on the plan as a whole, not one issue (a decision on a plan belongs in outcomes.yaml)"
    if c.issue not in case.issue_ids:
        return f"issue '{c.issue}' is not an issue of the case"
    return ""


def _kind(current: Position, option: str, stance: str) -> str | None:
    """The kind of contradiction, or None when the claim agrees with the state."""
    if stance == "oppose":
        if option == current.ideal:
            return "opposes-ideal"
        return "opposes-acceptable" if option in current.acceptable else None
    if stance == "support":
        if option in current.red_line:
            return "supports-red-line"
        return None if option == current.ideal or option in current.acceptable else "supports-unmarked"
    return "conditional-on-red-line" if option in current.red_line else None


def _proposal(case: Case, actor: str, issue: str, kind: ProposalKind, option: str | None, day: dt.date,
              found: Sequence[tuple[Claim, str]]) -> Proposal:
    claims = tuple(c for c, _ in found)
    current = state_on(case, actor, issue, day)
    iss = case.issue(issue)
    label = iss.option(option).label if option else ""
    sources = sources_of(case, claims)
    held = f"{actor}'s position of {current.since or 'the undated snapshot'}" if current else ""
    reason = {
        "opposes-ideal": f"{actor} opposes {label}, the ideal in {held}",
        "opposes-acceptable": f"{actor} opposes {label}, acceptable in {held}",
        "supports-red-line": f"{actor} supports {label}, on the red line in {held}",
        "conditional-on-red-line": f"{actor} accepts {label} with conditions; it is on the red line in {held}",
        "supports-unmarked": f"{actor} supports {label}, not acceptable in {held}",
        "new-position": f"{actor} holds no position on {iss.name} on {day.isoformat()}",
    }[kind]
    key = "|".join([actor, issue, kind, option or "", day.isoformat(), *sorted(c.id or c.text for c in claims)])
    return Proposal(
        id=hashlib.sha256(key.encode()).hexdigest()[:12], kind=kind, actor=actor, issue=issue, option=option,
        read_from=found[0][1], date=day, reason=reason, current=current,
        proposed=_proposed(kind, iss, actor, option, day, current, claims, sources, _pole(case, actor)),
        sources=sources, claims=claims,
    )


def _proposed(kind: str, iss: Issue, actor: str, option: str | None, day: dt.date, current: Position | None,
              claims: Sequence[Claim], sources: Sequence[Source], pole: int) -> Position | None:
    """The new dated state a proposal writes (None: the claims do not say what it is)."""
    stated = any(c.basis == "stated" for c in claims)
    said = "; ".join(f"\"{_short(c.text)}\" ({c.speaker or c.holder}, {c.date})" for c in claims)
    note = f"from {len(claims)} extracted claim{'s' if len(claims) > 1 else ''}: {said}"
    cited = tuple(s.id for s in sources)
    claim_ids = tuple(c.id for c in claims if c.id)
    if kind == "new-position":
        if option is None or not all(c.stance == "support" for c in claims):
            return None
        why = "not weighed yet: a position read from a claim; set its salience and rebalance the actor's others"
        return Position(actor=actor, issue=iss.id, ideal=option, salience=Estimate(value=0.0, estimate=why),
                        since=day, sources=cited, claims=claim_ids, note=note, inferred=not stated)
    if current is None or option is None:
        return None
    acceptable, red_line = set(current.acceptable), set(current.red_line)
    ideal = current.ideal
    if kind == "opposes-ideal":
        moved = _next_towards_pole(iss, option, pole)
        if moved is None or moved in red_line:
            return None
        ideal = moved
        acceptable.discard(ideal)
        note = f"{note}; the ideal moves one option towards {actor}'s pole (accord's reading)"
        stated = False
    elif kind == "opposes-acceptable":
        acceptable.discard(option)
    elif kind == "supports-red-line":
        red_line.discard(option)
        acceptable.add(option)
    elif kind == "conditional-on-red-line":
        red_line.discard(option)
    elif kind == "supports-unmarked":
        acceptable.add(option)
    same_day = current.since == day
    kept = tuple(dict.fromkeys((*current.sources, *cited))) if same_day else cited
    if same_day and current.note:
        note = f"{current.note} | review: {note}"
    order = iss.option_ids
    new_red = tuple(o for o in order if o in red_line) if red_line != set(current.red_line) else current.red_line
    return current.model_copy(update={
        "since": day, "ideal": ideal, "sources": kept, "claims": claim_ids, "note": note, "inferred": not stated,
        "acceptable": tuple(o for o in order if o in acceptable),
        "red_line": new_red,
        "firmness": current.firmness if new_red == current.red_line and new_red else None,
    })


def _pole(case: Case, actor: str) -> int:
    """−1 when the actor's pole is the axis's low end, +1 the high end, 0 when it is neither."""
    return -1 if actor == case.axis.low else 1 if actor == case.axis.high else 0


def _next_towards_pole(issue: Issue, option: str, pole: int) -> str | None:
    """The option next to ``option`` on the side of the actor's pole (None: no pole, or none that side)."""
    ids = issue.option_ids
    k = ids.index(option) + pole
    return ids[k] if pole and 0 <= k < len(ids) else None


def sources_of(case: Case, claims: Iterable[Claim]) -> tuple[Source, ...]:
    """The claims' articles as sources: the case's own source for a URL it has, else a new one."""
    known = {s.url: s for s in case.sources}
    out: dict[str, Source] = {}
    for c in claims:
        if not c.url or not c.url.startswith(("http://", "https://")) or c.url in out:
            continue
        if c.url in known:
            out[c.url] = known[c.url]
            continue
        host = urlparse(c.url).hostname or "source"
        host = host.removeprefix("www.")
        sid = f"{host.split('.')[0]}-{hashlib.sha256(c.url.encode()).hexdigest()[:8]}"
        quote = (c.quote or "")[:400]
        out[c.url] = Source(id=sid, url=c.url, date=c.date, undated=c.date is None, publisher=host, quote=quote,
                            note=f"added in review from claim {c.id or c.doc}", reliability="medium")
    return tuple(out.values())


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["KINDS", "Proposal", "Review", "Skipped", "changes", "option_of", "review", "sources_of", "state_on"]
