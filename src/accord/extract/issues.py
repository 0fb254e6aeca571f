"""Issues in text: the case's issue vocabulary.

:class:`IssueIndex` compiles the ``keywords`` and ``phrasings`` of every issue
of a case (issues.yaml; docs/case-format.md) into one regular expression with a
named group per issue (scanned once per document): words match
case-insensitively with an optional plural ending and with "-" and " "
interchangeable ("non-aggression" = "non aggression"); all-capital keywords
("NPT", "START") match only as written. Nouns that name the plan as a whole
("the plan", "the 28-point draft", "its terms", "the Alban text" with a
demonym of the case) give the pseudo-issue ``plan``.

The words an issue lists as ``ambiguous`` ("land", "cap") give *weak* hits:
the pipeline counts one only when a clear keyword of the same issue is near.
The second signal, cosine similarity of the sentence embedding to each issue's
description (:mod:`accord.extract.embed`), is applied by the pipeline.

>>> from accord.model import Issue
>>> idx = IssueIndex([Issue(id="sanctions", name="Sanctions", status_quo="x",
...                         options=[{"id": "x", "label": "x", "axis": 0}, {"id": "y", "label": "y", "axis": 100}],
...                         keywords=["sanctions relief", "G8"], phrasings=["relief"], ambiguous=["relief"])])
>>> [(h.issue, h.keyword, h.weak) for h in idx.hits("Moscow wants sanctions reliefs, a seat in the G8 and the plan.")]
[('sanctions', 'sanctions reliefs', False), ('sanctions', 'G8', False), ('plan', 'plan', False)]
>>> [(h.keyword, h.weak) for h in idx.hits("Some relief, at last.")]
[('relief', True)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from accord.extract.lexicon import PLAN_NOUNS
from accord.model import PLAN, Case, Issue


@dataclass(frozen=True)
class IssueHit:
    """A keyword of ``issue`` at ``start:end`` (``weak`` if it needs corroboration)."""

    issue: str
    keyword: str
    start: int
    end: int
    weak: bool = False


def _kw_pattern(kw: str) -> tuple[str, bool]:
    """The regex body of one keyword and whether it is case-sensitive (all capitals)."""
    kw = kw.strip()
    words = [w for w in re.split(r"[\s\-\u2013]+", kw) if w]
    if not words:
        return "", False
    sensitive = kw.isupper() and any(c.isalpha() for c in kw)
    if not sensitive:
        words = [w.lower() for w in words]
    parts = [re.escape(w) for w in words]
    sep = r"[\s\-\u2013]+"
    last = words[-1]
    if last.isalpha() and not sensitive:
        if last.endswith("y") and len(last) > 3:
            parts[-1] = re.escape(last[:-1]) + r"(?:y|ies)"
        elif not last.endswith("s"):
            parts[-1] = re.escape(last) + r"(?:s|es)?"
    return sep.join(parts), sensitive


class IssueIndex:
    """The issue vocabulary of a case, compiled into two scanners (lower-cased text, exact capitals).

    ``demonyms`` (the case's adjectives, "American") also make "the American
    text" a name of the plan.
    """

    def __init__(self, issues: Iterable[Issue], *, demonyms: Iterable[str] = ()):
        low: list[str] = []
        caps: list[str] = []
        self._names: dict[str, str] = {}
        self._weak: dict[str, frozenset[str]] = {}
        self.issue_ids: list[str] = []
        for n, issue in enumerate(issues):
            self.issue_ids.append(issue.id)
            self._weak[issue.id] = frozenset(_stem(w) for w in issue.ambiguous)
            kws = sorted({k.strip() for k in issue.words() if k.strip()}, key=lambda k: (-len(k), k))
            lo: list[str] = []
            up: list[str] = []
            for k in kws:
                body, sensitive = _kw_pattern(k)
                if body:
                    (up if sensitive else lo).append(body)
            name = f"i{n}"
            self._names[name] = issue.id
            if lo:
                low.append(f"(?P<{name}>{'|'.join(lo)})")
            if up:
                caps.append(f"(?P<{name}>{'|'.join(up)})")
        adjectives = sorted({re.escape(d.lower()) for d in demonyms if not d.endswith("'s")}, key=lambda d: -len(d))
        text_noun = r"(?:the|this|that) (?:revised |draft |new |amended |" + "".join(f"{d} |" for d in adjectives)
        low.append(f"(?P<plan>{'|'.join((*PLAN_NOUNS, text_noun + r')?text'))})")
        self._names["plan"] = PLAN
        self._low = re.compile(r"(?<![a-z0-9])(?:" + "|".join(low) + r")(?![a-z0-9])")
        self._caps = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(caps) + r")(?![A-Za-z0-9])") if caps else None
        # one anchored pattern per issue, to let a longer keyword of a later issue win at the same place
        self._single: dict[int, list[re.Pattern[str]]] = {
            id(self._low): [re.compile(r"(?<![a-z0-9])(?:" + g + r")(?![a-z0-9])") for g in low],
        }
        if self._caps is not None:
            self._single[id(self._caps)] = [re.compile(r"(?<![A-Za-z0-9])(?:" + g + r")(?![A-Za-z0-9])") for g in caps]

    @classmethod
    def of_case(cls, case: Case) -> IssueIndex:
        """The index of a case's issues, with its actors' demonyms."""
        return cls(case.issues, demonyms=[d for a in case.actors for d in a.demonyms])

    def hits(self, text: str) -> list[IssueHit]:
        """Every keyword hit in ``text``, in order of position; where keywords of two issues overlap the longest wins.

        >>> from accord.defaults import DEFAULT_CASE

        >>> from accord.model import load_case
        >>> idx = IssueIndex.of_case(load_case(DEFAULT_CASE))
        >>> [(h.issue, h.keyword) for h in idx.hits("no troops from NATO countries")]
        [('foreign_troops', 'troops from NATO')]
        """
        found = []
        scans = [(self._low, text.lower())] + ([(self._caps, text)] if self._caps else [])
        for rx, t in scans:
            pos = 0
            while True:
                m = rx.search(t, pos)
                if m is None:
                    break
                # the regex takes the first issue that matches here; try the others for a longer keyword
                best = m
                for other in self._single[id(rx)]:
                    o = other.match(t, m.start())
                    if o is not None and o.end() > best.end():
                        best = o
                kw = text[best.start() : best.end()]
                issue = self._names[best.lastgroup or ""]
                found.append(IssueHit(issue, kw, best.start(), best.end(), _stem(kw) in self._weak.get(issue, ())))
                pos = m.start() + 1 if best.end() <= m.start() else max(m.end(), best.end())
        found.sort(key=lambda h: (h.start, -h.end))
        out: list[IssueHit] = []
        for h in found:
            if out and h.start < out[-1].end:
                continue
            out.append(h)
        return out


def _stem(word: str) -> str:
    return word.strip().lower().rstrip("s")
