"""The baselines the evaluation runs beside the extractor: keyword co-occurrence, and the trivial one.

Every sentence that names an actor (by alias) and an issue (by keyword, or the
plan) gives a claim for each such pair; the stance is the first polarity word
found (reject-like → oppose, condition-like → conditional, else support). No
attribution, no clauses, no context: it shows what the pipeline's rules add.

>>> from accord.defaults import DEFAULT_CASE

>>> from accord.model import load_case
>>> from accord.extract.documents import Document
>>> rows = keyword_baseline(Document(id="d", text="Kyiv rejected the plan on territory."), load_case(DEFAULT_CASE))
>>> sorted((c.holder, c.issue, c.stance) for c in rows)
[('ukraine', 'territory', 'oppose')]
"""

from __future__ import annotations

import re

from accord.extract.actors import ActorIndex
from accord.extract.documents import Document
from accord.extract.issues import IssueIndex
from accord.extract.sentences import normalize, split_sentences
from accord.model import PLAN, Case, Claim, Stance

_OPPOSE = re.compile(r"(?i)\b(?:reject\w*|refus\w*|oppos\w*|unacceptable|not accept|won't accept|against)\b")
_CONDITIONAL = re.compile(r"(?i)\b(?:only if|unless|condition\w*|demand\w*|insist\w*|must)\b")


def keyword_baseline(
    doc: Document, case: Case, *, actors: ActorIndex | None = None, issues: IssueIndex | None = None
) -> list[Claim]:
    """Claims of ``doc`` by alias/keyword co-occurrence in a sentence (one per holder and issue)."""
    actors = actors or ActorIndex(case.actors)
    issues = issues or IssueIndex.of_case(case)
    norm = normalize(doc.text)
    seen: dict[tuple[str, str], Claim] = {}
    for s in split_sentences(doc.text, norm):
        holders = dict.fromkeys(m.actor for m in actors.mentions(s.text))
        hits = issues.hits(s.text)
        specific = [h.issue for h in hits if h.issue != PLAN]
        found = dict.fromkeys(specific or [h.issue for h in hits])
        stance: Stance = (
            "oppose" if _OPPOSE.search(s.text) else ("conditional" if _CONDITIONAL.search(s.text) else "support")
        )
        for h in holders:
            for i in found:
                if (h, i) not in seen:
                    seen[(h, i)] = Claim(
                        doc=doc.id,
                        holder=h,
                        issue=i,
                        stance=stance,
                        basis="reported",
                        text=s.display,
                        start=s.start,
                        end=s.end,
                        date=doc.date,
                        url=doc.url,
                        confidence=0.3,
                    )
    return list(seen.values())


def trivial_baseline(doc: Document, case: Case, *, actors: ActorIndex | None = None) -> list[Claim]:
    """The plan's authors support it; every other actor the document names holds it conditionally.

    The floor any extractor must clear ("the US supports the plan, everyone
    else named is conditional"): the authors of the case's original plans
    (plans with no ``based_on``) support ``plan``; every other actor mentioned
    is ``conditional`` on ``plan``; nothing on any issue.

    >>> from accord.defaults import DEFAULT_CASE

    >>> from accord.model import load_case
    >>> rows = trivial_baseline(Document(id="d", text="Kyiv and Moscow met in Geneva."), load_case(DEFAULT_CASE))
    >>> sorted((c.holder, c.issue, c.stance) for c in rows)
    [('russia', 'plan', 'conditional'), ('ukraine', 'plan', 'conditional'), ('us', 'plan', 'support')]
    """
    actors = actors or ActorIndex(case.actors)
    authors = {a for p in case.plans if p.kind == "plan" and not p.based_on for a in p.authors}
    named = dict.fromkeys(m.actor for m in actors.mentions(normalize(doc.text)))
    out = []
    for holder in dict.fromkeys([*sorted(authors), *named]):
        out.append(
            Claim(
                doc=doc.id,
                holder=holder,
                issue=PLAN,
                stance="support" if holder in authors else "conditional",
                basis="reported",
                text=doc.title or doc.id,
                date=doc.date,
                url=doc.url,
                confidence=0.2,
            )
        )
    return out
