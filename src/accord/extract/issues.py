"""Issues in text: the case's issue vocabulary, plus optional sentence embeddings.

:class:`IssueIndex` compiles the ``keywords`` of every issue of a case into one
regular expression with a named group per issue (scanned once per document):
words match case-insensitively with an optional plural ending and with "-" and
" " interchangeable ("non-aggression" = "non aggression"); all-capital keywords
("NPT", "START") match only as written. Nouns that name the plan as a whole
("the plan", "the 28-point draft", "its terms") give the pseudo-issue ``plan``.

A few single words of the vocabulary are ambiguous on their own ("land",
"cap", "vote"); :data:`WEAK` lists them: such a hit counts only when another
keyword of the same issue occurs in the same paragraph. The second signal,
cosine similarity of the sentence embedding to each issue's description
(:mod:`accord.extract.embed`), is applied by the pipeline.

>>> from accord.model import Issue
>>> idx = IssueIndex([Issue(id="sanctions", name="Sanctions", status_quo="x",
...                         options=[{"id": "x", "label": "x", "axis": 0}, {"id": "y", "label": "y", "axis": 100}],
...                         keywords=["sanctions relief", "G8"])])
>>> [(h.issue, h.keyword) for h in idx.hits("Moscow wants sanctions reliefs, a seat in the G8 and the plan.")]
[('sanctions', 'sanctions reliefs'), ('sanctions', 'G8'), ('plan', 'plan')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from accord.extract.lexicon import PLAN_NOUNS
from accord.model import PLAN, Issue

# Single words of the case vocabulary that are too common to name an issue alone.
WEAK = frozenset(
    {
        "land",
        "cap",
        "capped",
        "deploy",
        "halt",
        "investment",
        "vote",
        "polls",
        "language",
        "education",
        "tolerance",
        "constitution",
        "recognition",
        "withdraw",
        "withdrawal",
        "monitor",
        "monitoring",
        "mandate",
        "children",
        "civilians",
        "guarantee",
        "aggression",
        "by force",
        "legitimate",
        "church",
        "religion",
        "religious",
        "recovery",
        "prosperity",
        "de facto",
        "independence",
        "sovereign",
        "electricity",
        "limits on",
        "end the war",
        "stop the fighting",
        "european security",
        "security architecture",
        "regions",
        "control over",
        "ceiling",
        "stationed",
        "assets",
        "recognising",
        "recognizing",
    }
)

# Extra vocabulary of the extractor: phrasings of the plan's points that news uses often.
EXTRA_KEYWORDS: dict[str, tuple[str, ...]] = {
    "territory": (
        "towns",
        "recognised borders",
        "recognized borders",
        "pull out of",
        "pullback",
        "pull back from",
        "occupied regions",
        "annexed regions",
        "four regions",
        "territorial concessions",
        "cede territory",
        "regions",
        "territories",
        "control over",
        "hand over land",
        "give up land",
        "hand over territory",
        "recognising",
        "recognizing",
        "land question",
        "land issue",
        "land clause",
        "land swap",
        "territorial question",
        "territorial issue",
        "territorial clause",
        "territorial demands",
    ),
    "military_limits": (
        "size of its army",
        "limit the size",
        "army cap",
        "ceiling on the army",
        "ceiling on Ukraine's army",
        "ceiling on its army",
        "troop ceiling",
        "ceiling",
        "cap on the army",
        "cap on its army",
        "size of its armed forces",
        "limits on its army",
        "army ceiling",
        "army size",
        "size of the army",
        "troop cap",
        "force cap",
        "manpower cap",
        "armed forces cap",
        "cap on troop numbers",
        "cap on its forces",
        "cap on its military",
        "cap on the armed forces",
        "cap on Ukraine's forces",
        "limits on its military",
        "limits on its forces",
        "limit on its forces",
        "size of its military",
    ),
    "non_aggression": (
        "not to attack",
        "no intention of attacking",
        "attack other European countries",
        "attack European countries",
        "attack Europe",
        "no intention of attacking",
        "war with Europe",
        "attack other countries",
        "non-aggression pact",
    ),
    "nato_enlargement": (
        "eastward growth",
        "NATO's eastward",
        "NATO expansion",
        "enlarge any further",
        "enlarge further",
        "not enlarge",
        "expand any further",
        "expand further",
        "open door",
        "open-door",
        "NATO's door",
        "alliance's door",
        "door to NATO",
        "Article 10",
    ),
    "security_guarantees": (
        "Western security guarantees",
        "international guarantees",
        "long-term security guarantees",
        "guarantees for Ukraine",
        "firmer guarantees",
        "stronger guarantees",
        "binding guarantees",
        "robust guarantees",
        "solid guarantees",
        "credible guarantees",
        "security assurances",
        "Article 5-style",
        "backstop",
        "security commitments",
        "security pledges",
        "mutual defence",
        "mutual defense",
    ),
    "legitimacy": (
        "term has expired",
        "fresh mandate",
        "newly elected",
        "validly sign",
        "negotiating partner",
        "legitimate status",
        "Ukrainian leadership",
        "Kyiv leadership",
        "current leadership",
        "legitimate leader",
        "legitimate president",
        "legitimate partner",
        "not legitimate",
    ),
    "ceasefire": (
        "pause in the fighting",
        "pause in fighting",
        "cease-fire",
        "ceasefire",
        "halt to the fighting",
        "stop to the fighting",
        "energy truce",
        "truce",
        "armistice",
        "cessation of hostilities",
        "freeze of the front line",
        "freeze the front line",
        "freezing the front line",
        "end to the fighting",
        "halt to the strikes",
    ),
    "sovereignty": ("Ukraine's sovereignty", "political sovereignty", "independent state"),
    "nato_membership": (
        "Ukrainian membership",
        "constitutional ban",
        "membership bid",
        "out of NATO",
        "outside NATO",
        "outside the alliance",
        "NATO path",
        "NATO ban",
        "ban on NATO membership",
        "membership of NATO",
        "alliance membership",
        "join the alliance",
        "joining the alliance",
        "NATO accession",
        "bid to join NATO",
        "NATO entry",
        "membership in the alliance",
        "membership in NATO",
        "NATO aspirations",
        "NATO ambitions",
        "alliance bid",
    ),
    "foreign_troops": (
        "Western soldiers",
        "soldiers in Ukraine",
        "NATO deployment",
        "NATO mission",
        "troops on Ukrainian",
        "European troops",
        "troops from NATO",
        "NATO countries' troops",
        "Western garrison",
        "foreign garrison",
        "foreign military presence",
        "military presence",
        "European soldiers",
        "European forces",
        "Western troops",
        "Western forces",
        "foreign forces",
        "foreign soldiers",
        "boots on the ground",
        "Ukrainian soil",
        "station forces",
        "stationed",
        "reassurance force",
        "peacekeeping force",
        "stabilisation force",
        "stabilization force",
        "troops on the ground",
        "European jets",
        "European contingent",
        "foreign contingent",
        "multinational force",
    ),
    "eu_membership": (
        "eligibility",
        "join the European Union",
        "EU integration",
        "European integration",
        "membership of the EU",
        "EU path",
        "EU accession",
        "single market",
    ),
    "frozen_assets": (
        "sovereign reserves",
        "the reserves",
        "seizure",
        "immobilised",
        "immobilized",
        "immobilised assets",
        "immobilized assets",
        "frozen reserves",
        "Russian central bank",
        "asset clause",
        "asset plan",
        "assets plan",
        "Euroclear",
        "assets",
        "asset scheme",
        "assets scheme",
        "assets clause",
        "frozen Russian funds",
        "$100bn",
        "Russian assets",
        "central bank assets",
        "reparations loan",
        "frozen funds",
        "frozen money",
        "frozen Russian money",
        "Russian reserves",
        "central bank reserves",
    ),
    "sanctions": (
        "sanctions eased",
        "easing of sanctions",
        "ease sanctions",
        "eased sanctions",
        "sanctions lifted",
        "sanction",
        "reimpose",
        "restrictive measures",
    ),
    "zaporizhzhia_npp": ("Zaporizhzhia plant", "Zaporizhzhia power", "nuclear station", "Enerhodar"),
    "language_religion": (
        "Orthodox Church",
        "Moscow Patriarchate",
        "Russian-language",
        "minority rights",
        "language rights",
        "church rights",
        "language provisions",
        "language clause",
        "religious freedom",
    ),
    "amnesty": ("blanket amnesty", "general amnesty", "pardon"),
    "oversight": (
        "peace board",
        "supervisory body",
        "monitoring mission",
        "police the deal",
        "police the settlement",
        "monitoring body",
        "monitoring mechanism",
        "ceasefire monitoring",
    ),
    "elections": (
        "hold elections",
        "snap election",
        "fresh elections",
        "new elections",
        "presidential vote",
        "presidential election",
        "early vote",
        "snap vote",
        "early election",
    ),
    "humanitarian": (
        "prisoner swap",
        "prisoner exchanges",
        "exchange of prisoners",
        "deported Ukrainian children",
        "return of children",
        "return of the children",
        "deported children",
    ),
    "navigation": ("sea lanes", "Black Sea ports", "freedom of navigation"),
    "russia_nato_dialogue": ("security dialogue", "Russia and the alliance", "NATO and Russia"),
    "arms_control": ("nuclear arms", "strategic arms"),
}


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
    """The issue vocabulary of a case, compiled into two scanners (lower-cased text, exact capitals)."""

    def __init__(self, issues: Iterable[Issue], *, extra: bool = True):
        low: list[str] = []
        caps: list[str] = []
        self._names: dict[str, str] = {}
        self.issue_ids: list[str] = []
        for n, issue in enumerate(issues):
            self.issue_ids.append(issue.id)
            kws = list(issue.keywords)
            if extra:
                kws += list(EXTRA_KEYWORDS.get(issue.id, ()))
            kws = sorted({k.strip() for k in kws if k.strip()}, key=lambda k: (-len(k), k))
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
        low.append(f"(?P<plan>{'|'.join(PLAN_NOUNS)})")
        self._names["plan"] = PLAN
        self._low = re.compile(r"(?<![a-z0-9])(?:" + "|".join(low) + r")(?![a-z0-9])")
        self._caps = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(caps) + r")(?![A-Za-z0-9])") if caps else None
        # one anchored pattern per issue, to let a longer keyword of a later issue win at the same place
        self._single: dict[int, list[re.Pattern[str]]] = {
            id(self._low): [re.compile(r"(?<![a-z0-9])(?:" + g + r")(?![a-z0-9])") for g in low],
        }
        if self._caps is not None:
            self._single[id(self._caps)] = [re.compile(r"(?<![A-Za-z0-9])(?:" + g + r")(?![A-Za-z0-9])") for g in caps]

    def hits(self, text: str) -> list[IssueHit]:
        """Every keyword hit in ``text``, in order of position; where keywords of two issues overlap the longest wins.

        >>> from accord.model import load_case
        >>> idx = IssueIndex(load_case("ukraine_2025").issues)
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
                weak = kw.lower().rstrip("s") in _WEAK_STEMS
                found.append(IssueHit(self._names[best.lastgroup or ""], kw, best.start(), best.end(), weak))
                pos = m.start() + 1 if best.end() <= m.start() else max(m.end(), best.end())
        found.sort(key=lambda h: (h.start, -h.end))
        out: list[IssueHit] = []
        for h in found:
            if out and h.start < out[-1].end:
                continue
            out.append(h)
        return out


_WEAK_STEMS = frozenset(w.rstrip("s") for w in WEAK)
