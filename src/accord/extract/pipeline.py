"""Document → claims: the rule-based extraction pipeline (pure; no I/O).

For each sentence (:mod:`accord.extract.sentences`) the pipeline finds actor
mentions (:mod:`.actors`), issue keywords (:mod:`.issues`), stance cues
(:mod:`.stance`), quantities and dates, then decides for every cue *who* holds
the stance and *on what*:

holder, first that applies
    an explicit frame around the cue ("unacceptable **to Putin**", "concerns
    **in Kyiv**", "**in Moscow's view**", "**For Putin**, …"); the speaker of the
    sentence when the cue lies in a quote or after a speech verb ("Putin
    **said** the draft could be a basis"; "…," **he said** → the last named
    speaker); the subject — the nearest actor mention before the cue in its
    clause that is not the object of a preposition, nor a possessive of a
    non-stance noun ("**Kyiv's** legitimacy"), nor a plan's owner; the subject
    of the previous clause for a clause that continues it ("…, **citing**
    unresolved issues"); the holder of a list introduced by a colon.
issue
    the specific issues named in the clause (keywords that are not the cue
    itself), else the plan when it is named, else the clause before, else —
    for a quote, bullet, short or anaphoric sentence ("This arrangement …") —
    the issues of the sentence before; optionally the nearest issue by
    sentence embedding (:mod:`.embed`).
stance
    :func:`accord.extract.stance.combine` over the holder's cues in the
    sentence; a condition marker anywhere in the sentence ("— but only if …")
    or a sentence opening with "If …, we will …" makes it conditional. Nothing
    after "if"/"whether" in a clause, nor "it remains unclear whether …", is claimed.

An article that presents the plan as a party's own ("the Trump plan",
"U.S.-drafted", "circulated by Washington") gives that party ``plan``/support,
basis reported (GUIDELINES.md). Claims are then merged to one per (holder,
issue) — the document's dominant stance, with its strongest evidence — by
:func:`aggregate`: opposition must outweigh the rest; any conditional stance
wins over support; a holder that calls the plan a basis but sets conditions on
its issues holds the plan conditionally; the plan's owner supports it.

This is cue-based stance classification in the line of Somasundaran & Wiebe
(2010) with attribution after Pareti (2015); see docs/extract.md.

>>> from accord.defaults import DEFAULT_CASE

>>> from accord.model import load_case
>>> from accord.extract.documents import Document
>>> ex = Extractor(load_case(DEFAULT_CASE), model=None)  # the rules alone
>>> doc = Document(id="d1", text="Peskov said Moscow rejected the plan. Zelensky said Kyiv was ready to talk "
...                "about the plan, but only if security guarantees come first.", date=None)
>>> [(c.holder, c.issue, c.stance, c.basis) for c in ex.extract(doc).claims]
[('russia', 'plan', 'oppose', 'stated'), ('ukraine', 'plan', 'conditional', 'stated'),
 ('ukraine', 'security_guarantees', 'conditional', 'stated')]
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from accord.extract.actors import ActorIndex, Mention, SpeakerTracker
from accord.extract.dates import find_dates
from accord.extract.documents import Document
from accord.extract.issues import IssueHit, IssueIndex
from accord.extract.learned import CaseFacts, ClaimModel, apply_model, default_model
from accord.extract.lexicon import (
    ANAPHORS,
    OWNER_VERBS,
    SPEECH_VERBS,
    STANCE_NOUNS,
    SUBORDINATORS,
    UNCLEAR,
)
from accord.extract.prefilter import GatedPattern
from accord.extract.quantities import find_quantities, link_issue
from accord.extract.sentences import Sentence, normalize, split_sentences
from accord.extract.stance import Cue, combine, find_cues, hypothetical_spans, is_assessed
from accord.model import PLAN, Basis, Case, Claim, Quantity, Stance

__all__ = ["Candidate", "DocResult", "Extractor", "SentenceFacts", "aggregate", "extract_claims"]

_SPEECH = re.compile(r"(?<![A-Za-z])(?:" + "|".join(SPEECH_VERBS) + r")(?![A-Za-z])")
_ACCORDING = re.compile(r"(?i)\baccording to\s+$")
_PREP_BEFORE = re.compile(
    r"(?i)(?:\b(?:with|to|from|for|against|of|on|about|in|by|between|over|into|under|at|toward|towards|"
    r"across|after|upon|within|among|amid|including|like|on behalf of|via)\s+(?:the\s+|a\s+)?(?:\w+\s+){0,1})$"
)
_CLAUSE_SPLIT = re.compile(
    r",\s+|;\s+|:\s+|\s+[\u2014\u2013]\s+|\s+-\s+|\s+(?=(?:but|while|whereas|although|though)\s)"
)
_NP_ITEM = re.compile(
    r"(?i)^(?:and\s+|or\s+)?(?:the|an?|any|its|their)\s+(?:[\w'\u2019-]+\s+){0,5}?[\w'\u2019-]+"
    r"(?:\s+(?:and|or)\s+(?:the|an?|any|its|their)\s+(?:[\w'\u2019-]+\s+){0,5}?[\w'\u2019-]+)?\W*$"
)
_NP_VERB = re.compile(
    r"(?i)\b(?:is|are|was|were|be|been|being|has|have|had|will|would|could|can|should|must|may|might|do|does|did|"
    r"said|says|told|added|remains?|seems?)\b"
)
_NAME_LIST = re.compile(r"^(?:[A-Z][\w.'\u2019-]*\s+){1,2}(?:and|or|nor)\s+(?:the\s+)?[A-Z]")
_STANCE_NOUN = re.compile(r"^\s*(?:\w+\s+){0,1}(?:" + "|".join(re.escape(n) for n in STANCE_NOUNS) + r")\b", re.I)
_ANAPHOR = re.compile("|".join(ANAPHORS), re.I)
_PRONOUN_SUBJ = re.compile(r"(?i)(?<![a-z])(he|she|they|his|her|their)(?![a-z])")
_OWNER_AFTER = re.compile(
    r"^[\s\"',]*(?:\w+\s+){0,2}?(?:" + "|".join(OWNER_VERBS) + r")\s+(?:\w+\s+)?(?:by|under|from)\s+(?:the\s+)?$", re.I
)
# between an owner and the plan noun: "Washington's US-drafted", "Trump's latest" (+ the case's demonyms)
_OWNER_GAP_WORDS = (
    r"[\w.]*-?(?:drafted|backed|led|brokered|authored|proposed|sponsored|written|made)|"
    r"latest|new|original|revised|draft|peace|proposed|initial|own|leaked|reported|\d+-point|administration's|"
    r"government's|side's|president's"
)
_FRAME_CLAUSE = re.compile(
    r"(?i)^(?:for|to|according to|in the view of|in|from)\s+(?:the\s+)?(?P<rest>.{1,60}?)"
    r"(?:'s?\s+(?:view|eyes|perspective|mind))?$"
)
_EXPLICIT_AFTER = re.compile(r"(?i)^\s*(?:to|for|in|among|from|by|within)\s+(?:the\s+)?$")
_IN_VIEW = re.compile(r"(?i)\b(?:in|from)\s+(?:the\s+)?$")
_CONT_START = re.compile(
    r"(?i)^(?:and\s+|but\s+|or\s+)?(?:\w+ly\s+)?(?:\w+ing\b|will\b|would\b|could\b|can\b|has\b|have\b|had\b|is\b|are\b|"
    r"was\b|were\b|also\b|then\b|still\b|not\b|does\b|did\b|do\b|said\b|says\b|added\b|deeming\b|calling\b)"
)
_SUB_START = re.compile(r"(?i)^(?:" + "|".join(SUBORDINATORS) + r")\b")
_REL_START = re.compile(r"(?i)^(?:which|who|that|whose|where)\b")
_IF_START = re.compile(r"(?i)^\W*(?:if|unless)\b")
_DEMAND_INTRO = re.compile(
    r"(?i)\b(?:principles?|conditions?|demands?|insists?|insisted|non-negotiable|calls? for|wants?|"
    r"requirements?|red lines?|preconditions?|terms|essential|indispensable|must|needs?|priorit\w+|expects?)\b"
)
_QUOTE = re.compile(r'"[^"]{3,}"')
_IDEA = re.compile(r"(?i)\b(?:the|this|that|such an?) (?:idea|arrangement|provision|clause|point)\b")
_UNCLEAR_RX = re.compile("|".join(UNCLEAR), re.I)
_PAST = re.compile(
    r"(?i)\b(?:in (?:previous|past|earlier|prior) (?:rounds|talks|years|negotiations)|previously|"
    r"in the past|back in|in 20(?:0\d|1\d|2[0-3]))\b"
)
_MODAL = re.compile(r"(?i)^(?:must|should|has to|have to|needs? to)\b")
_ADJ_CUE = re.compile(
    r"(?i)(?:unacceptable|acceptable|inadmissible|pointless|cent(?:er|re)piece|priority|cornerstone|"
    r"non-?starter|welcome|unpalatable|anathema|dead on arrival|poison pill|win|victory|gift|boon|trap|red line|"
    r"pill|breaker|sticking point|too far|question|swallow|sell|must|essential|indispensable|vital|non-negotiable)$"
)
_NOUN_CUE = re.compile(
    r"(?i)(?:concerns?|reservations|doubts|resistance|opposition|support|criticism|rejection|praise|backing|approval|"
    r"applause|endorsement|fire|condemnation|objections|protests?|scorn|derision|enthusiasm|appetite)$"
)
_PASSIVE_CUE = re.compile(r"(?i)(?:ed|en|out)$")
# a party's own version of the plan; the case's demonyms and names of non-authors are added per case
_COUNTER_NOUN = (
    r"(?i)\b(?:marked-up (?:copy|text|version|draft)|mark-?up\b|amendments\b|counter-?proposals?|counter-?offer|"
    r"counter-?plan|(?:own|alternative|rival|parallel) (?:\d+-point )?(?:version|text|draft|plan|proposal|framework)|"
    r"(?:its|their|his|her) (?:own )?(?:new |revised |updated )?\d+-point (?:framework|plan|proposal|draft|version)|"
    r"(?:{who}) (?:\d+-point )?(?:version|wording|text|draft|counter-?proposal|amendments|markup|framework|changes)\b)"
)
_COUNTER_REF = (
    r"(?i)\b(?:their|its|the (?:three|two|{who})) (?:own )?(?:text|version|draft|wording|"
    r"governments|capitals|markup|amendments|framework|changes)\b|\b(?:their|its) text\b"
)
_EDIT = re.compile(
    r"(?i)\b(?:(?P<keep>survives?(?: \w+){0,2} untouched|survives? intact|unchanged|untouched|intact|word for word|"
    r"verbatim|(?:left|leaves|keeps?|kept|keeping|retains?|retained|preserves?|preserved)\b(?: \w+){0,8} "
    r"(?:exactly )?as (?:\w+ )?(?:wrote|written|drafted|it (?:was|stood))|remains? in (?:their|its|the) "
    r"(?:\w+ )?(?:text|version|draft)|(?:chose|choose|chooses) to keep)|"
    r"(?P<delete>struck out|strikes? out|striking out|strike|deletes?|deleted|deleting|drops?|dropped|dropping|"
    r"throws? out|threw out|thrown out|throwing out|removes?|removed|removing|scraps?|scrapped|scrapping|omits?|"
    r"omitted|omitting|cuts? out|cutting out|no longer (?:contains|includes))|"
    r"(?P<amend>recast|reworded|rewrit(?:es?|ten|ing)|narrow(?:s|ed)?|widen(?:s|ed)?|"
    r"(?:raises?|raised|lifts?|lifted) the (?:cap|ceiling|limit)|instead of|rather than|replac(?:es?|ed)|"
    r"amend(?:s|ed)?|modif(?:y|ies|ied)|soften(?:s|ed)?|tighten(?:s|ed)?|only after|starting from|"
    r"propose(?:s|d)?|qualif(?:y|ies|ied)|add(?:s|ed)? (?:a )?condition))\b"
)
_NOT_A_PROVISION = re.compile(
    r"(?i)^\s+(?:(?:\w+\s+){0,2}\w+'s\s+|the\s+|this\s+|that\s+|these\s+|such\s+)?(?:\w+\s+)?(?:charges?|claims?|"
    r"accusations?|allegations?|criticism|remarks|comments|reports?|suggestions?|assertions?|characteri[sz]ation|"
    r"account|rumou?rs?|speculation)\b"
)
_AMENDED_OBJECT = re.compile(
    r"(?i)(?:\b(?:changes|amendments|revisions|edits)\b(?:\s+[\w']+){0,4}\s+to\s+(?:the\s+)?(?:[\w.'-]+\s+){0,2}|"
    r"\b(?:remain|remains|stay|stays|survive|survives|appear|appears|included|written|be)\s+in(?:to)?\s+"
    r"(?:the\s+)?(?:[\w.'-]+\s+)?)$"
)
_TEMPORAL_BEFORE = re.compile(r"(?i)\b(?:after|following|once|until|ahead of)\s+(?:a|an|the|any)?\s*$")
_SOURCE_NOUNS = (
    r"officials?|diplomats?|negotiators?|envoys?|aides?|ministers?|sources?|spokes(?:man|woman|person)|"
    r"representatives?|advisers?|advisors?|lawmakers?|people|figures?"
)
# "a senior diplomat in Brussels said": an unnamed official of the place speaks for its actor
_SOURCE_IN = re.compile(
    r"(?i)\b(?:" + _SOURCE_NOUNS + r")\s+(?:in|from|at|of|close to)\s+(?:the\s+)?(?:several\s+|other\s+)?$"
)
# "…," the diplomat added: the last named source
_SOURCE_ANAPHOR = re.compile(
    r"(?i)(?<![a-z])(?:the|that|this|one|a)\s+(?:[a-z-]+\s+){0,2}"
    r"(diplomat|official|envoy|aide|minister|negotiator|spokes(?:man|woman|person)|president|source|leader|"
    r"adviser|advisor)\s+(?:\w+\s+){0,1}$"
)
_THINK_TANK = re.compile(
    r"(?i)\b(?:research|group|institute|forum|centre|center|think[- ]tank|university|analysts?|researchers?|"
    r"experts?|scholars?|observers?|watchers?|commentators?|economists?|academy|foundation|fellow)\b"
)
_PROVISION_WORDS = re.compile(
    r"(?i)\b(?:bans?|banned|banning|bar|barred|barring|clauses?|provisions?|points?|pledges?|prohibit\w*|renounc\w*|"
    r"constitution\w*|commitments?|restrictions?|vetoe?s?|non-expansion|exclu\w+|not to|never|keep \w+ out|"
    r"kept out|stay out|outside|limits?|limitations?|curbs?|restrict\w*|caps?)\b"
)
# cues aimed at the ban itself, not at the banned thing: "never give up its bid", "the door remains open"
_COPULA = re.compile(r"(?i)\b(?:is|are|was|were|has been|have been|remains|seems)\b")
# the plan's own sequence: a ceasefire comes with the settlement, so "no ceasefire before a deal" agrees with it
_CEASEFIRE_AFTER_DEAL = re.compile(
    r"(?i)\bbefore (?:a|any|the) (?:final |comprehensive |full |peace )?(?:settlement|agreement|deal|peace)\b"
)
_RELINQUISH = re.compile(r"(?i)give up|abandon|renounc|surrender|cede|drop|forgo|forsake|door|veto")
_DEMANDS_BAN = re.compile(
    r"(?i)\b(?:never (?:\w+ )?join|not (?:\w+ )?join|no (?:\w+ )?(?:troops|forces|soldiers|membership)|"
    r"(?:stay|stays|kept|keep|remain|remains) out(?:side)? of (?:the )?\w+|non-aligned|"
    r"neutral(?:ity)?|no further (?:\w+ )?(?:expansion|enlargement)|not (?:\w+ )?(?:expand|enlarge)|"
    r"outside (?:of )?(?:the )?\w+|(?:abandon|renounce|give up|drop|forgo|shelve)\w* (?:its|their|any|the) "
    r"(?:\w+ )?(?:membership|bid|ambitions?|aspirations?))\b"
)
# "a remark Ukrainian officials dismissed": the object is a remark, not a provision
_REMARK_BEFORE = re.compile(
    r"(?:^|\s)(?:remarks?|comments?|claims?|charges?|statements?|suggestions?|accusations?|allegations?|words)\s+"
    r"(?:that\s+|which\s+)?(?:[A-Z][\w.'-]*\s+){1,3}(?:[a-z]+\s+)?$"
)
# "Rubio insisted the plan was …": insisting that a clause holds is saying it, not a demand
_CLAUSE_AFTER = re.compile(r"^\s+(?:that\s+)?(?:the|it|this|he|she|they|we|[A-Z])")
# "the Kremlin said only that it was studying the text": no stance taken
_NONCOMMITTAL = re.compile(r"(?i)\b(?:said|says|say|stated|added) only\b|\b(?:would|will|did) only say\b|\bonly said\b")
_LONE_REST = re.compile(r"(?i)^[\s,]*(?:(?:and|but|yet|so|the|both|&|meanwhile|then)\s*)*$")
_ACCORDING_START = re.compile(r"(?i)^\s*according to\b")
_ACCORDING_ANY = re.compile(r"(?i)\baccording to\b")
_AGENT_BY = re.compile(r"(?i)\b\w+(?:ed|en|wn)\s+(?:\w+\s+)?by\s+(?:the\s+)?$")
_SPEAKER_TAG = re.compile(r",\s[^,]{1,60}?\b(?:said|says|added|noted|told \w+)\s*,\s")
_BOTH_SIDES = re.compile(
    r"(?i)\b(?:the two|both) (?:sides|delegations|teams|governments|leaders|countries|parties)\s+(?:\w+\s+)?$"
)
# "troops on Ukrainian territory": a place noun after a possessive or demonym (+ the case's demonyms)
_PLACE_BEFORE = r"(?i)\b(?:on|in|into|onto|from|across)\s+(?:the\s+)?(?:its|their|\w+'s|{demonyms})\s+$"
_PLACE_NOUN = re.compile(r"(?i)(?:territor(?:y|ies)|soil|lands?|ground|regions?)")
_DESTINATION = re.compile(r"(?i)\b(?:into|for|to|towards|toward)\s+(?:[\w$-]+\s+){0,2}$")
_HAILED_AFTER = re.compile(
    r"(?i)^\s+(?:\w+\s+)?(?:presented|welcomed|hailed|called|described|saw|counted|claimed|celebrated|touted|"
    r"demanded|sought|won|secured)\b"
)
_VERSION_AFTER = re.compile(r"(?i)^\s+(?:\w+\s+)?(?:text|version|draft|wording|proposal|framework|markup)\b")
_EDIT_STANCE: dict[str, Stance] = {"keep": "support", "delete": "oppose", "amend": "conditional"}


@dataclass(frozen=True)
class Candidate:
    """One sentence-level claim before the per-document merge."""

    holder: str
    issue: str
    stance: Stance
    basis: Basis
    weight: float
    sentence: int
    start: int
    end: int
    text: str
    quote: str | None = None
    speaker: str | None = None
    date: dt.date | None = None
    owner: bool = False
    quantities: tuple[Quantity, ...] = ()


@dataclass(frozen=True)
class SentenceFacts:
    """What the rules saw in one sentence (offsets into its text): the learned components' raw material."""

    index: int
    para: int
    kind: str
    start: int
    end: int
    text: str
    display: str
    mentions: tuple[Mention, ...]
    hits: tuple[IssueHit, ...]
    cues: tuple[Cue, ...]
    speakers: tuple[str, ...]
    speech_at: int
    speaker: str | None
    quotes: tuple[tuple[int, int], ...]
    context_issues: tuple[str, ...]
    date: dt.date | None


@dataclass(frozen=True)
class DocResult:
    """What one document gives: merged claims, sentence-level candidates, quantities, and what the rules saw."""

    doc: str
    claims: tuple[Claim, ...]
    candidates: tuple[Candidate, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    sentences: int = 0
    facts: tuple[SentenceFacts, ...] = ()
    rules: tuple[Claim, ...] = ()  # the rules' own claims (= claims when no learned model is applied)


@dataclass
class _Ctx:
    tracker: SpeakerTracker = field(default_factory=SpeakerTracker)
    prev_issues: tuple[str, ...] = ()
    prev_at: int = -10
    prev_para: int = -10
    list_holder: tuple[str, ...] = ()
    list_stance: Stance | None = None
    list_basis: Basis = "stated"
    list_left: int = 0
    colon_at: int = -10
    counter: tuple[str, ...] = ()
    counter_at: int = -100
    facts: list[SentenceFacts] = field(default_factory=list)
    full_names: dict[str, str] = field(default_factory=dict)  # "Peskov" → "Dmitry Peskov", as the text gave it
    person: tuple[tuple[str, ...], str] = ((), "")  # the last named person who spoke, and for whom


def _bucket(items: Sequence[Any], starts: list[int]) -> list[list[Any]]:
    out: list[list[Any]] = [[] for _ in starts]
    for it in items:
        i = bisect.bisect_right(starts, it.start) - 1
        if i >= 0:
            out[i].append(it)
    return out


def _in_spans(pos: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


class Extractor:
    """The pipeline compiled for one case; :meth:`extract` is a pure function of a document.

    ``embedder`` (optional, see :mod:`accord.extract.embed`) is asked for an
    issue when a clause has a holder and a stance cue but no issue keyword.
    """

    def __init__(self, case: Case, embedder: Any = None, model: ClaimModel | None | Literal["default"] = "default"):
        self.case_id = case.id
        self.model = default_model() if model == "default" else model
        self.case_facts = CaseFacts.of(case)
        self.actors = ActorIndex(case.actors)
        self.issues = IssueIndex.of_case(case)
        self.issue_ids = {i.id for i in case.issues}
        self.bans = frozenset(i.id for i in case.issues if i.ban)
        self.on_signing = frozenset(i.id for i in case.issues if i.on_signing)
        self.destinations = {i.id: frozenset(i.destination_of) for i in case.issues if i.destination_of}
        self.embedder = embedder
        # the case's words inside the extractor's patterns
        demonyms = self.actors.demonym_alternation()
        self._owner_gap = re.compile(rf"^(?:'s|')?[\s\-]*(?:(?:{_OWNER_GAP_WORDS}|{demonyms})[\s\-]*){{0,4}}$")
        self._place_before = re.compile(_PLACE_BEFORE.format(demonyms=demonyms))
        # a counter-proposal is a version by anyone but the authors of the original plans
        authors = {a for p in case.plans if p.kind == "plan" and not p.based_on for a in p.authors}
        others = [a for a in case.actors if a.id not in authors]
        adjectives = {d for a in others for d in a.demonyms if not d.endswith("'s")}
        who = _alternation({*adjectives, *(f"{n}'s" for a in others for n in a.aliases if not n.endswith("s"))})
        # searched in every sentence: gated by the words each needs ("draft", "amendments", …), as most lack them
        self._counter_noun = GatedPattern(re.compile(_COUNTER_NOUN.format(who=who)))
        places = _alternation({*adjectives, *_places(others)})
        self._counter_ref = GatedPattern(re.compile(_COUNTER_REF.format(who=places)))

    # -- public ---------------------------------------------------------------------
    def extract(self, doc: Document) -> DocResult:
        """Claims of one document (merged per holder and issue), with candidates and quantities."""
        text = doc.text
        norm = normalize(text)
        sentences = split_sentences(text, norm)
        if not sentences:
            return DocResult(doc.id, ())
        starts = [s.start for s in sentences]
        mentions_by = _bucket(self.actors.mentions(norm), starts)
        demonyms_by = _bucket(self.actors.demonyms(norm), starts)
        hits_by = _bucket(self._valid_hits(self.issues.hits(norm), sentences, starts), starts)
        cues_by = _bucket(find_cues(norm), starts)
        ctx = _Ctx()
        cands: list[Candidate] = []
        pending: list[tuple[Sentence, str, list[Cue], tuple[str, ...], Basis, float, dt.date | None]] = []
        quantities: list[Quantity] = []
        for s in sentences:
            loc = self._localize(s, mentions_by[s.index], demonyms_by[s.index], hits_by[s.index], cues_by[s.index])
            qs = [
                link_issue(q, hits_by[s.index], s.text, s.start)
                for q in find_quantities(s.text, doc.date, offset=s.start)
            ]
            quantities.extend(qs)
            date = self._date(s.text, doc.date)
            new, pend = self._sentence(s, loc, ctx, date, qs)
            cands.extend(new)
            pending.extend(pend)
        if pending and self.embedder is not None:
            cands.extend(self._resolve_pending(pending))
        cands.sort(key=lambda c: (c.sentence, c.holder, c.issue))
        rules = tuple(aggregate(cands, doc))
        res = DocResult(doc.id, rules, tuple(cands), tuple(quantities), len(sentences), tuple(ctx.facts), rules)
        if self.model is None:
            return res
        return replace(res, claims=tuple(apply_model(self.model, res, self.case_facts, doc.url)))

    # -- preparation ----------------------------------------------------------------------
    def _valid_hits(self, hits: list[IssueHit], sentences: list[Sentence], starts: list[int]) -> list[IssueHit]:
        """Drop weak keyword hits with no strong hit of the same issue nearby (same paragraph or ±1 sentence)."""
        strong: dict[str, list[tuple[int, int]]] = defaultdict(list)
        where = []
        for h in hits:
            i = bisect.bisect_right(starts, h.start) - 1
            where.append(i)
            if not h.weak and i >= 0:
                strong[h.issue].append((i, sentences[i].para))
        out = []
        for h, i in zip(hits, where, strict=True):
            if i < 0:
                continue
            if not h.weak or any(p == sentences[i].para or abs(j - i) <= 2 for j, p in strong[h.issue]):
                out.append(h)
        return out

    def _localize(
        self, s: Sentence, mentions: list[Mention], demonyms: list[Mention], hits: list[IssueHit], cues: list[Cue]
    ) -> dict[str, Any]:
        off = s.start
        return {
            "mentions": [Mention(m.actor, m.alias, m.start - off, m.end - off, m.possessive) for m in mentions],
            "demonyms": [Mention(m.actor, m.alias, m.start - off, m.end - off) for m in demonyms],
            "hits": [IssueHit(h.issue, h.keyword, h.start - off, h.end - off, h.weak) for h in hits],
            "cues": [
                Cue(c.stance, c.kind, c.weight, c.start - off, min(c.end - off, len(s.text)), c.text) for c in cues
            ],
        }

    @staticmethod
    def _date(text: str, anchor: dt.date | None) -> dt.date | None:
        for d in find_dates(text, anchor):
            if anchor is None or d.date <= anchor:
                return d.date
        return anchor

    # -- one sentence -------------------------------------------------------------------
    def _sentence(
        self, s: Sentence, loc: dict[str, Any], ctx: _Ctx, date: dt.date | None, qs: list[Quantity]
    ) -> tuple[list[Candidate], list[Any]]:
        t = s.text
        mentions: list[Mention] = loc["mentions"]
        hits: list[IssueHit] = loc["hits"]
        hypo = hypothetical_spans(t)
        cues: list[Cue] = [
            c
            for c in loc["cues"]
            if not _in_spans(c.start, hypo)
            and not (c.kind in ("verb", "negated") and _NOT_A_PROVISION.match(t[c.end :]))
            and not (c.weight <= 0.5 and _NONCOMMITTAL.search(t[: c.start]))
            and not (c.text.lower().startswith("insist") and _CLAUSE_AFTER.match(t[c.end :]))
            and not (c.kind in ("verb", "negated") and _REMARK_BEFORE.search(t[: c.start]))
        ]
        quotes = [(m.start(), m.end()) for m in _QUOTE.finditer(t)]
        out: list[Candidate] = []
        specific_at = [h.start for h in hits if h.issue != PLAN]
        hits = [
            h
            for h in hits
            if not (
                # "changes … to the American draft": the plan is what is amended, not what is judged
                (h.issue == PLAN and _AMENDED_OBJECT.search(t[max(0, h.start - 50) : h.start]))
                # "$100bn of frozen assets into US-led reconstruction": where the assets go, not a topic
                or (
                    h.issue in self.destinations
                    and _DESTINATION.search(t[max(0, h.start - 30) : h.start])
                    and any(x.issue in self.destinations[h.issue] for x in loc["hits"])
                )
                # "troops on Ukrainian territory": a place, when another issue is the topic
                or (
                    _PLACE_NOUN.fullmatch(h.keyword)
                    and self._place_before.search(t[max(0, h.start - 30) : h.start])
                    and any(a != h.start for a in specific_at)
                )
                # "after a ceasefire", "before the elections": a time, when another issue is the topic
                or (
                    h.issue != PLAN
                    and _TEMPORAL_BEFORE.search(t[max(0, h.start - 14) : h.start])
                    and any(a != h.start for a in specific_at)
                )
            )
        ]
        # mentions inside an issue's own words ("dialogue between Russia and the alliance") hold nothing
        in_keyword = {m.start for m in mentions for h in hits if h.issue != PLAN and h.start <= m.start < h.end}

        # plan ownership ("the Trump plan", "drafted by Washington")
        counter_spans = [(m.start(), m.end()) for m in self._counter_noun.finditer(t)]
        owners, owner_mentions = self._owners(
            t, mentions, loc["demonyms"], [h for h in hits if not _in_spans(h.start, counter_spans)], hypo
        )
        owner_mentions = owner_mentions | in_keyword
        for actor in owners:
            out.append(self._cand(s, actor, PLAN, "support", "reported", 0.55, date, qs, owner=True))

        # the sentence's speaker(s)
        for m in mentions:
            if " " in m.alias and self.actors.is_person(m.alias):
                ctx.full_names[m.alias.split()[-1]] = m.alias
        speakers, speech_at, speaker_alias = self._speaker(s, t, mentions, ctx, quotes, hypo)
        poss = self._possessive_holders(t, mentions)
        pron_poss = self._pronoun_possessive(t, ctx, s.index)

        # issues of the sentence, and of the context
        issue_hits = [
            h
            for h in hits
            if h.issue == PLAN
            or len(h.keyword.split()) >= 2  # "open to a Russia–NATO dialogue": a named issue inside the cue
            or not any(c.start <= h.start and h.end <= c.end and c.kind not in ("removal", "threat") for c in cues)
        ]
        sent_issues = self._clause_issues(issue_hits, [])
        anaphoric = bool(_ANAPHOR.search(t)) or s.kind in ("quote", "bullet") or len(t.split()) <= 10
        reach = 2 if ctx.colon_at == s.index - 1 else 1
        context_issues = (
            ctx.prev_issues if (s.index - ctx.prev_at <= reach and anaphoric and s.kind != "heading") else ()
        )
        if context_issues and _IDEA.search(t):
            # "the idea of financing the rebuilding": what the sentence before proposed, and its own words
            merged = tuple(dict.fromkeys((*context_issues, *(i for i in sent_issues if i != PLAN))))
            at = _IDEA.search(t).start()  # type: ignore[union-attr]
            issue_hits = issue_hits + [IssueHit(i, "", at, at) for i in merged if i not in sent_issues]

        # clauses
        clauses = _clauses(t)
        per: dict[tuple[str, str], list[Cue]] = defaultdict(list)
        basis_of: dict[tuple[str, str], Basis] = {}
        conf_of: dict[tuple[str, str], float] = {}
        loose_markers: list[Cue] = []
        agree_cues: list[Cue] = []
        running_holder: tuple[str, ...] = ()
        running_issues: tuple[str, ...] = ()
        frame: tuple[str, ...] = ()
        pending: list[Any] = []
        if_open = bool(_IF_START.match(t))
        lone: tuple[str, ...] = ()
        for ci, (cs, ce) in enumerate(clauses):
            ctext = t[cs:ce]
            ccues = [c for c in cues if cs <= c.start < ce]
            cmentions = [m for m in mentions if cs <= m.start < ce]
            if cmentions and not ccues and ci + 1 < len(clauses) and _LONE_REST.match(_without(ctext, cmentions, cs)):
                # "Moscow, however, rejected …": the subject stands alone before asides
                lone = tuple(dict.fromkeys(m.actor for m in cmentions if m.start not in owner_mentions))
                if lone:
                    running_holder = lone
                    continue
            fr = self._frame_clause(ctext, cmentions)
            if fr:
                if lone and _ACCORDING_START.match(ctext):
                    continue  # "Washington, according to Umerov, agreed": a source, not the holder
                frame = fr
                continue
            if ccues and all(c.kind == "agree" for c in ccues):
                agree_cues.extend(ccues)  # "…, as the draft itself foresees": binds the clause before
                continue
            chits = [h for h in issue_hits if cs <= h.start < ce]
            c_issues = self._clause_issues(chits, ccues)
            issue_factor = 1.0
            if not c_issues and running_issues:
                c_issues, issue_factor = running_issues, 0.9
            if not c_issues and context_issues:
                c_issues, issue_factor = context_issues, 0.8
            # holder
            kind = "sub" if _SUB_START.match(ctext) else "cont" if _CONT_START.match(ctext) else "main"
            subj = self._subject(ctext, cs, cmentions, owner_mentions, ccues, hypo)
            if (kind == "cont" or lone) and not subj:
                subj = running_holder
            if subj and kind != "sub":
                running_holder = subj
            if c_issues:
                running_issues = c_issues
            if not ccues:
                if if_open and ci > 0 and _IF_START.match(t[clauses[0][0] : clauses[0][1]]) and c_issues and speakers:
                    holder = speakers
                    for h in holder:
                        for iss in c_issues:
                            per[(h, iss)].append(Cue("conditional", "marker", 0.6, cs, cs, "if"))
                            basis_of.setdefault((h, iss), "stated" if speakers else "reported")
                            conf_of[(h, iss)] = max(conf_of.get((h, iss), 0), 0.6 * issue_factor)
                continue
            spk, spk_at = speakers, speech_at
            if lone and subj == lone and speakers and speech_at < cs and _ACCORDING_ANY.search(t[:cs]):
                spk, spk_at = (), -1
            for cue in ccues:
                holder, how = self._holder_for(
                    cue,
                    t,
                    cs,
                    ce,
                    cmentions,
                    mentions,
                    subj,
                    kind,
                    running_holder,
                    spk,
                    spk_at,
                    quotes,
                    frame,
                    poss,
                    pron_poss,
                    ctx,
                    s,
                    owner_mentions,
                )
                if not holder:
                    if cue.kind == "marker":
                        loose_markers.append(cue)
                    continue
                basis: Basis = "stated" if how in ("speaker", "quote", "list") else "reported"
                if how in ("frame",) or (basis == "reported" and is_assessed(t[max(0, cue.start - 60) : cue.start])):
                    basis = "assessed"
                factor_past = 0.5 if _PAST.search(t) else 1.0
                factor = factor_past * {
                    "explicit": 1.0,
                    "speaker": 1.0,
                    "quote": 0.95,
                    "subject": 0.95,
                    "frame": 0.9,
                    "possessive": 0.9,
                    "running": 0.85,
                    "pronoun": 0.8,
                    "list": 0.75,
                }.get(how, 0.7)
                if not c_issues:
                    if self.embedder is not None and cue.kind != "marker":
                        pending.append((s, t[cs:ce], [cue], holder, basis, cue.weight * factor, date))
                    continue
                for h in holder:
                    for iss in c_issues:
                        per[(h, iss)].append(cue)
                        basis_of.setdefault((h, iss), basis)
                        conf_of[(h, iss)] = max(conf_of.get((h, iss), 0.0), cue.weight * factor * issue_factor)
                ctx.tracker.update(holder, s.index) if how in ("subject", "explicit", "speaker") else None
        # list items (after a colon intro) with no cue of their own
        if ctx.list_left > 0 and ctx.list_holder and not per and not speakers:
            items = sent_issues or (context_issues if s.kind == "quote" else ())
            if items:
                for h in ctx.list_holder:
                    for iss in items:
                        scues = [c for c in cues] or (
                            [Cue(ctx.list_stance, "verb", 0.6, 0, 0, "")] if ctx.list_stance else []
                        )
                        if scues:
                            per[(h, iss)].extend(scues)
                            basis_of[(h, iss)] = ctx.list_basis
                            conf_of[(h, iss)] = 0.6
        # a loose condition marker ("— but only if …") binds every stance of the sentence
        if loose_markers and per:
            for k in per:
                per[k].extend(loose_markers)
        if agree_cues and per:
            for k in per:
                if k[1] != PLAN:
                    per[k].extend(agree_cues)
        for (h, iss), cl in per.items():
            stance = combine(cl)
            if stance is None:
                continue
            if (
                stance == "oppose"
                and iss in self.bans
                and not _PROVISION_WORDS.search(_blank(t, cues))
                and not any(_RELINQUISH.search(c.text) for c in cl)
            ):
                # rejecting the thing the plan bans ("Moscow rejects Western troops in Ukraine") agrees with the plan
                stance = "support"
            elif stance == "support" and iss in self.bans and any(re.search(r"(?i)\bto join", c.text) for c in cl):
                stance = "oppose"  # "Kyiv wants to join NATO": against the plan's ban
            elif stance == "oppose" and iss in self.on_signing and _CEASEFIRE_AFTER_DEAL.search(t):
                stance = "support"
            elif (
                stance == "conditional"
                and iss in self.bans
                and not any(c.kind == "marker" for c in cl)
                and _DEMANDS_BAN.search(t)
            ):
                # demanding the ban itself ("insists Ukraine must never join NATO") agrees with the plan
                stance = "support"
            quote = _quote_text(t, quotes)
            alias = self._speaker_name(speaker_alias, speakers, ctx) if h in speakers else None
            out.append(
                self._cand(
                    s,
                    h,
                    iss,
                    stance,
                    basis_of[(h, iss)],
                    conf_of[(h, iss)],
                    date,
                    qs,
                    quote=quote if basis_of[(h, iss)] == "stated" else None,
                    speaker=alias,
                )
            )
        # counter-proposals: what a party's own version keeps, amends or deletes
        counter = self._counter(s, t, mentions, loc["demonyms"], hits, ctx, owner_mentions, date, qs)
        if counter:
            done = {(c.holder, c.issue) for c in counter}
            edited = {c.issue for c in counter if c.issue != PLAN}
            out = [c for c in out if c.owner or (c.holder, c.issue) not in done and c.issue not in edited]
            out.extend(counter)
        # update context
        if speakers and speech_at >= 0:
            ctx.tracker.update(speakers, s.index)
        elif poss:
            ctx.tracker.update(poss, s.index)
        elif clauses and s.kind == "text":
            # the subject of a sentence that opens with an actor ("Witkoff flew to Moscow …")
            c0s, c0e = clauses[0]
            head = [m for m in mentions if c0s <= m.start < c0e and len(t[c0s : m.start].split()) <= 3]
            if (
                head
                and (not _PREP_BEFORE.search(t[c0s : head[0].start]) or _SOURCE_IN.search(t[c0s : head[0].start]))
                and not head[0].possessive
            ):
                ctx.tracker.update((head[0].actor,), s.index)
        if s.kind == "heading" or _UNCLEAR_RX.search(t):
            ctx.prev_issues = ()
        elif sent_issues:
            ctx.prev_issues, ctx.prev_at, ctx.prev_para = sent_issues, s.index, s.para
        if t.rstrip().endswith(":"):
            ctx.colon_at = s.index
            intro = speakers or poss or pron_poss or self._subject(t, 0, mentions, owner_mentions, cues, hypo)
            ctx.list_holder = tuple(intro)
            ctx.list_stance = "conditional" if _DEMAND_INTRO.search(t) else None
            ctx.list_basis = "stated"
            ctx.list_left = 8
            if intro:
                ctx.tracker.update(tuple(intro), s.index)
        elif ctx.list_left > 0:
            if s.kind == "bullet" or (s.kind in ("text", "quote") and ctx.list_left == 8):
                ctx.list_left -= 1
            else:
                ctx.list_left = 0
        ctx.facts.append(
            SentenceFacts(
                s.index,
                s.para,
                s.kind,
                s.start,
                s.end,
                t,
                s.display,
                tuple(mentions),
                tuple(issue_hits),
                tuple(cues),
                speakers,
                speech_at,
                self._speaker_name(speaker_alias, speakers, ctx) if speakers else None,
                tuple(quotes),
                context_issues,
                date,
            )
        )
        return out, pending

    # -- pieces -----------------------------------------------------------------------------
    def _speaker_name(self, alias: str | None, speakers: tuple[str, ...], ctx: _Ctx) -> str | None:
        """The person's name for a claim's ``speaker``: the alias if it names a person (its full form if the
        document gave one), the last named person for "he said" or "the diplomat added", else ``None``."""
        if alias and self.actors.is_person(alias):
            name = ctx.full_names.get(alias, alias)
            ctx.person = (speakers, name)
            return name
        if alias and not alias[:1].isupper() and ctx.person[0] == speakers:
            return ctx.person[1]  # a pronoun or "the diplomat": the person last named for these speakers
        return None

    def _counter(
        self,
        s: Sentence,
        t: str,
        mentions: list[Mention],
        demonyms: list[Mention],
        hits: list[IssueHit],
        ctx: _Ctx,
        owner_mentions: set[int],
        date: dt.date | None,
        qs: list[Quantity],
    ) -> list[Candidate]:
        """Claims of a counter-proposal (GUIDELINES.md): point kept → support, amended → conditional, deleted → oppose.

        A sentence that names a party's own version ("a marked-up copy", "their
        amendments", "the European draft", "Kyiv's counter-proposal") makes that
        party the document's counter-proposer (and gives it the plan,
        conditional); later sentences that refer to that version and say what it
        does to a point give the proposer a stance on that point's issue.
        """
        out: list[Candidate] = []
        if s.kind == "heading":
            return out
        noun = self._counter_noun.search(t)
        if noun:
            who = [d.actor for d in demonyms if noun.start() <= d.start < noun.end()]
            who = who or [m.actor for m in mentions if m.possessive and 0 <= noun.start() - m.end <= 3]
            if not who:
                usable = [
                    m
                    for m in mentions
                    if m.start not in owner_mentions
                    and not (m.possessive and m.end <= noun.start() and noun.start() - m.end > 3)
                    and not _in_spans(m.start, _quote_spans(t))
                ]
                # the proposer is the subject before the noun, else the agent after it ("circulated by Britain")
                before = [m for m in usable if m.end <= noun.start()]
                by = [m for m in usable if m.start >= noun.end() and re.search(r"\bby\s+(?:the\s+)?$", t[: m.start])]
                if by:
                    by = [m for m in usable if m.start >= by[0].start]
                who = [m.actor for m in (before or by)]
            if who:
                actors = tuple(dict.fromkeys(who))
                if actors != ctx.counter:
                    ctx.counter = actors
                    for a in actors:
                        out.append(self._cand(s, a, PLAN, "conditional", "reported", 0.6, date, qs))
                ctx.counter_at = s.index
        if not ctx.counter or s.index - ctx.counter_at > 30:
            return out
        edits = [(m.start(), m.end(), _EDIT_STANCE[m.lastgroup or "amend"]) for m in _EDIT.finditer(t)]
        if not edits:
            return out
        ref = (
            bool(noun)
            or bool(self._counter_ref.search(t))
            or any(m.actor in ctx.counter for m in mentions)
            or any(d.actor in ctx.counter and _VERSION_AFTER.match(t[d.end :]) for d in demonyms)
        )
        if not ref:
            return out
        ctx.counter_at = s.index
        specific = [h for h in hits if h.issue != PLAN]
        for cs, ce in _clauses(t) if len(edits) > 1 else [(0, len(t))]:
            ed = [e for e in edits if cs <= e[0] < ce]
            if not ed:
                continue
            for h in (h for h in specific if cs <= h.start < ce):
                # the edit just before the issue's keyword, else the first edit of the clause
                prior = [e for e in ed if e[0] <= h.start]
                stance = (prior[-1] if prior else ed[0])[2]
                for a in ctx.counter:
                    out.append(self._cand(s, a, h.issue, stance, "reported", 0.75, date, qs))
        seen: set[tuple[str, str]] = set()
        uniq = []
        for c in out:
            if (c.holder, c.issue) not in seen:
                seen.add((c.holder, c.issue))
                uniq.append(c)
        return uniq

    def _cand(
        self,
        s: Sentence,
        holder: str,
        issue: str,
        stance: Stance,
        basis: Basis,
        weight: float,
        date: dt.date | None,
        qs: list[Quantity],
        *,
        owner: bool = False,
        quote: str | None = None,
        speaker: str | None = None,
    ) -> Candidate:
        mine = tuple(q for q in qs if q.issue == issue)
        return Candidate(
            holder,
            issue,
            stance,
            basis,
            round(weight, 4),
            s.index,
            s.start,
            s.end,
            s.display,
            quote,
            speaker,
            date,
            owner,
            mine,
        )

    def _owners(
        self,
        t: str,
        mentions: list[Mention],
        demonyms: list[Mention],
        hits: list[IssueHit],
        hypo: list[tuple[int, int]],
    ) -> tuple[list[str], set[int]]:
        owners: list[str] = []
        used: set[int] = set()
        plan_hits = [h for h in hits if h.issue == PLAN and not _in_spans(h.start, hypo)]
        if not plan_hits:
            return owners, used
        cands = mentions + demonyms
        for h in plan_hits:
            for m in cands:
                ok = False
                if m.end <= h.start and h.start - m.end <= 40:
                    gap = t[m.end : h.start]
                    # "Ukraine peace plan", "the Ukraine war plan": the war's subject, not the plan's owner
                    topic = not m.possessive and re.match(r"(?i)^\s+(?:peace|war)\b", gap + h.keyword)
                    ok = bool(self._owner_gap.match(gap)) and not topic
                elif m.start >= h.end and m.start - h.end <= 50:
                    # "The plan, spokesman X said, was authored by the United States": drop the speaker tag
                    gap = _SPEAKER_TAG.sub(" ", t[h.end : m.start])
                    ok = bool(_OWNER_AFTER.match(gap))
                if ok:
                    if m.actor not in owners:
                        owners.append(m.actor)
                    used.add(m.start)
        return owners, used

    def _speaker(
        self,
        s: Sentence,
        t: str,
        mentions: list[Mention],
        ctx: _Ctx,
        quotes: list[tuple[int, int]],
        hypo: list[tuple[int, int]],
    ) -> tuple[tuple[str, ...], int, str | None]:
        """Who speaks in this sentence, where the speech verb is (-1: quote attribution), the alias used."""
        for m in _SPEECH.finditer(t):
            if _in_spans(m.start(), hypo) or _in_spans(m.start(), quotes):
                continue
            before = t[: m.start()]
            # subject just before the verb: "Putin said", "Peskov, speaking …", "Kremlin spokesman Peskov said"
            for mn in reversed(mentions):
                if mn.end > m.start():
                    continue
                gap = t[mn.end : m.start()]
                if _THINK_TANK.search(gap):
                    break  # "a Warsaw research group said": the analysts speak, not the capital
                if (
                    len(gap.split()) <= 4
                    and not re.search(r"[.;:]\s|\bthat\b|\bwhich\b|\bwho\b", gap)
                    and (not mn.possessive or re.match(r"^\s*(?:\w+\s+){0,2}$", gap))
                    and (not _PREP_BEFORE.search(t[: mn.start]) or _SOURCE_IN.search(t[: mn.start]))
                ):
                    return self._group(mentions, mn, t), m.start(), mn.alias
                break
            both = _BOTH_SIDES.search(before)
            if both and not _in_spans(both.start(), quotes):
                pair = ctx.tracker.last_distinct(s.index, 2)
                if len(pair) == 2:
                    return pair, m.start(), both.group(0).strip()
            pm = re.search(r"(?i)(?<![a-z])(he|she|they)\s+(?:\w+\s+){0,2}$", before) or _SOURCE_ANAPHOR.search(before)
            if pm and not _in_spans(pm.start(), quotes):
                res = ctx.tracker.resolve(s.index)
                if res:
                    return res, m.start(), pm.group(1)
            # inverted: "…," said Peskov / "… ," Peskov said handled above
            after = t[m.end() :]
            for mn in mentions:
                if (
                    mn.start >= m.end()
                    and len(t[m.end() : mn.start].split()) <= 2
                    and not re.search(r"[.;,]", t[m.end() : mn.start])
                ):
                    if before.rstrip().endswith((",", '"')):
                        return (mn.actor,), m.start(), mn.alias
                    break
            _ = after
        for mn in mentions:
            if _ACCORDING.search(t[: mn.start]):
                return (mn.actor,), mn.start, mn.alias
        if quotes or s.kind == "quote":
            res = ctx.list_holder if ctx.list_left == 8 else ctx.tracker.resolve(s.index)
            if res:
                return tuple(res), -1, None
        return (), -1, None

    @staticmethod
    def _group(mentions: list[Mention], head: Mention, t: str) -> tuple[str, ...]:
        """``head`` and the mentions coordinated with it just before ("Poland, Finland and the Baltic states")."""
        out = [head.actor]
        cur = head
        for mn in reversed([m for m in mentions if m.end <= head.start]):
            gap = t[mn.end : cur.start]
            if cur is head and re.fullmatch(r"\s*,\s*(?:the\s+)?", gap):
                break  # "in Ukraine, the Russian leader said": apposition, not a list ("A, B and C")
            if re.fullmatch(r"\s*(?:,|and|or|nor|&|,\s*and)\s*(?:the\s+|its\s+|their\s+)?", gap):
                if mn.actor not in out:
                    out.append(mn.actor)
                cur = mn
            else:
                break
        return tuple(sorted(set(out), key=out.index))

    def _possessive_holders(self, t: str, mentions: list[Mention]) -> tuple[str, ...]:
        out = []
        for m in mentions:
            if m.possessive and _STANCE_NOUN.match(t[m.end :]):
                out.append(m.actor)
        return tuple(dict.fromkeys(out))

    def _pronoun_possessive(self, t: str, ctx: _Ctx, index: int) -> tuple[str, ...]:
        m = re.match(r"(?i)^\W*(?:his|her|their)\s+(?:\w+\s+)?(?:" + "|".join(STANCE_NOUNS) + r")\b", t)
        return ctx.tracker.resolve(index) if m else ()

    def _frame_clause(self, ctext: str, cmentions: list[Mention]) -> tuple[str, ...]:
        """A clause that only names whose view follows: "For Putin", "In Moscow's view", "According to Kyiv"."""
        c = ctext.strip()
        if not cmentions or len(c.split()) > 6:
            return ()
        m = _FRAME_CLAUSE.match(c)
        if not m:
            return ()
        return tuple(dict.fromkeys(mn.actor for mn in cmentions))

    def _clause_issues(self, chits: list[IssueHit], ccues: list[Cue]) -> tuple[str, ...]:
        specific = [h for h in chits if h.issue != PLAN]
        plans = [h for h in chits if h.issue == PLAN]
        out = _issues_of(specific)
        if plans and (not specific or any(0 <= p.start - c.end <= 14 for p in plans for c in ccues)):
            out = (*out, PLAN)
        return out

    def _subject(
        self,
        ctext: str,
        cs: int,
        cmentions: list[Mention],
        owner_mentions: set[int],
        ccues: list[Cue],
        hypo: list[tuple[int, int]],
    ) -> tuple[str, ...]:
        """The actor subject of a clause: nearest usable mention before its first cue."""
        limit = min((c.start for c in ccues), default=cs + len(ctext))
        full = ctext  # clause text, offsets relative to cs
        best: Mention | None = None
        for mn in cmentions:
            if mn.start >= limit or mn.start in owner_mentions or _in_spans(mn.start, hypo):
                continue
            pre = full[: mn.start - cs]
            if _PREP_BEFORE.search(pre) and not _AGENT_BY.search(pre):
                continue
            if mn.possessive and not _STANCE_NOUN.match(full[mn.end - cs :]):
                continue
            post = full[mn.end - cs : mn.end - cs + 30]
            if re.match(
                r"(?i)^\s+(?:is|are|was|were|has been|have been)\s+(?:also\s+)?(?:barred|prohibited|forced|"
                r"required|obliged|asked|allowed|urged|pressed|pressured)",
                post,
            ):
                continue
            best = mn
        if best is None:
            return ()
        mentions_abs = cmentions
        return self._group(mentions_abs, best, self._pad(ctext, cs))

    @staticmethod
    def _pad(ctext: str, cs: int) -> str:
        return " " * cs + ctext

    def _holder_for(
        self,
        cue: Cue,
        t: str,
        cs: int,
        ce: int,
        cmentions: list[Mention],
        mentions: list[Mention],
        subj: tuple[str, ...],
        kind: str,
        running: tuple[str, ...],
        speakers: tuple[str, ...],
        speech_at: int,
        quotes: list[tuple[int, int]],
        frame: tuple[str, ...],
        poss: tuple[str, ...],
        pron_poss: tuple[str, ...],
        ctx: _Ctx,
        s: Sentence,
        owner_mentions: set[int],
    ) -> tuple[tuple[str, ...], str]:
        # explicit: "unacceptable to Putin", "concerns in Kyiv and Europe", "rejected by Moscow"
        for mn in mentions:
            if mn.start >= cue.end and mn.start - cue.end <= 16:
                m = _EXPLICIT_AFTER.match(t[cue.end : mn.start])
                if not m:
                    continue
                prep = t[cue.end : mn.start].split()[0].lower()
                if (
                    (prep in ("to", "for") and _ADJ_CUE.search(cue.text))
                    or (prep in ("in", "among", "within", "from") and _NOUN_CUE.search(cue.text))
                    or (prep == "by" and _PASSIVE_CUE.search(cue.text))
                ):
                    return self._group_after(mentions, mn, t), "explicit"
            if cue.start < mn.start < cue.end and cue.kind == "negated":
                return (mn.actor,), "frame"  # "difficult to imagine Putin welcoming …"
        modal = bool(_MODAL.match(cue.text))
        for mn in cmentions:
            if (
                mn.possessive
                and mn.end <= cue.start
                and _IN_VIEW.search(t[: mn.start])
                and re.match(r"^\s*(?:view|eyes|perspective|mind)", t[mn.end :])
            ):
                return (mn.actor,), "frame"
            if (
                mn.possessive
                and mn.start >= cue.end
                and re.match(r"^\s*(?:view|perspective)", t[mn.end :])
                and _IN_VIEW.search(t[: mn.start])
            ):
                return (mn.actor,), "frame"
        if speakers and (_in_spans(cue.start, quotes) or (speech_at < 0 and s.kind == "quote")):
            return speakers, "speaker" if speech_at >= 0 else "quote"
        if speakers and speech_at >= 0 and cue.start > speech_at:
            # "Putin said the draft could be a basis" → Putin; "…, which sources say Trump endorsed" → Trump
            own = self._subject(
                t[speech_at : cue.start + 1],
                speech_at,
                [m for m in mentions if speech_at < m.start < cue.start],
                owner_mentions,
                [cue],
                [],
            )
            if own and not modal and cue.kind not in ("marker", "threat", "agree") and not set(own) & set(speakers):
                last = max((m for m in mentions if m.actor in own and m.start < cue.start), key=lambda m: m.start)
                between = t[last.end : cue.start]
                if len(between.split()) <= 3 and not _COPULA.search(between):
                    return own, "subject"
            return speakers, "speaker"
        if frame:
            return frame, "frame"
        if subj and not modal:
            return subj, "subject"
        if kind == "cont" and running:
            return running, "running"
        if poss and any(m.possessive and m.actor in poss for m in cmentions):
            return poss, "possessive"
        if pron_poss:
            return pron_poss, "pronoun"
        pm = _PRONOUN_SUBJ.search(t[cs : cue.start])
        if pm and not _in_spans(cs + pm.start(), quotes):
            res = ctx.tracker.resolve(s.index)
            if res:
                return res, "pronoun"
        if speakers:
            return speakers, "speaker" if speech_at >= 0 else "quote"
        if ctx.list_left > 0 and ctx.list_holder and s.kind in ("bullet", "quote", "text"):
            return ctx.list_holder, "list"
        if running and re.match(r"(?i)^\W*it\s+(?:\w+\s+)?$", t[cs : cue.start]):
            return running, "running"  # "Moscow's response was swift: it rejected …"
        if cue.kind == "removal":
            for mn in cmentions:
                if mn.start >= cue.end and _HAILED_AFTER.match(t[mn.end : mn.end + 40]):
                    return (mn.actor,), "subject"
        return (), ""

    @staticmethod
    def _group_after(mentions: list[Mention], head: Mention, t: str) -> tuple[str, ...]:
        out = [head.actor]
        cur = head
        for mn in [m for m in mentions if m.start >= head.end]:
            gap = t[cur.end : mn.start]
            if re.fullmatch(r"\s*(?:,|and|or|nor|&|,\s*and)\s*(?:the\s+|its\s+|their\s+)?", gap):
                out.append(mn.actor)
                cur = mn
            else:
                break
        return tuple(dict.fromkeys(out))

    def _resolve_pending(self, pending: list[Any]) -> list[Candidate]:
        texts = [p[1] for p in pending]
        best = self.embedder.best_issues(texts)
        out = []
        for (s, _ctext, cl, holder, basis, conf, date), found in zip(pending, best, strict=True):
            if not found:
                continue
            issue, score = found
            stance = combine(cl)
            if stance is None or (issue != PLAN and issue not in self.issue_ids):
                continue
            for h in holder:
                out.append(
                    Candidate(
                        h,
                        issue,
                        stance,
                        basis,
                        round(conf * 0.6 * score, 4),
                        s.index,
                        s.start,
                        s.end,
                        s.display,
                        None,
                        None,
                        date,
                    )
                )
        return out


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first (``(?!)``, which matches nothing, if there are none)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) or "(?!)"


def _places(actors: Iterable[Any]) -> list[str]:
    """The single-word capitalised aliases of ``actors`` ("Kyiv", "EU"): what "the Kyiv text" is named for."""
    return [n for a in actors for n in a.aliases if " " not in n and n[:1].isupper()]


def _issues_of(hits: Iterable[IssueHit]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(h.issue for h in hits))


def _clauses(t: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _CLAUSE_SPLIT.finditer(t):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(t):
        out.append((pos, len(t)))
    # a list of noun phrases after a comma ("rejected the clause, the ceiling and the amnesty") is one clause
    merged: list[tuple[int, int]] = []
    for s, e in out:
        after_comma = bool(merged) and t[merged[-1][1] : s].startswith(",")
        if after_comma and _NP_ITEM.match(t[s:e]) and not _NP_VERB.search(t[s:e]):
            merged[-1] = (merged[-1][0], e)
        elif (
            after_comma
            and _NAME_LIST.match(t[s:e])
            and re.fullmatch(r"(?:[A-Z][\w.'\u2019-]*\s*){1,2}", t[slice(*merged[-1])])
        ):
            merged[-1] = (merged[-1][0], e)  # "Washington, Moscow and Kyiv backed …": a list of names
        else:
            merged.append((s, e))
    return merged or [(0, len(t))]


def _blank(t: str, cues: list[Cue]) -> str:
    """``t`` with the cues' own words blanked ("would never agree" is a cue, not a ban)."""
    chars = list(t)
    for c in cues:
        for i in range(max(0, c.start), min(len(chars), c.end)):
            chars[i] = " "
    return "".join(chars)


def _without(ctext: str, mentions: list[Mention], cs: int) -> str:
    """The clause text with its actor mentions blanked out."""
    chars = list(ctext)
    for m in mentions:
        for i in range(max(0, m.start - cs), min(len(chars), m.end - cs)):
            chars[i] = " "
    return "".join(chars)


def _quote_spans(t: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTE.finditer(t)]


def _quote_text(t: str, quotes: list[tuple[int, int]]) -> str | None:
    if not quotes:
        return None
    a, b = max(quotes, key=lambda q: q[1] - q[0])
    return t[a + 1 : b - 1].strip() or None


_BASIS_RANK = {"stated": 0, "reported": 1, "assessed": 2}


def aggregate(cands: Sequence[Candidate], doc: Document) -> list[Claim]:
    """One claim per (holder, issue): the document's dominant stance with its strongest evidence.

    Weights are summed per stance (owner evidence kept apart). Oppose wins when
    it outweighs support and conditional together; otherwise any conditional
    weight makes it conditional; otherwise support (or oppose if heavier). The
    plan's owner supports the plan unless opposition outweighs; a holder that
    supports the plan but sets conditions on some issue of it holds the plan
    conditionally.
    """
    groups: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for c in cands:
        groups[(c.holder, c.issue)].append(c)
    conditional_elsewhere = {
        h for (h, i), cs in groups.items() if i != PLAN and any(c.stance == "conditional" and not c.owner for c in cs)
    }
    claims = []
    for (holder, issue), cs in sorted(groups.items(), key=lambda kv: min(c.sentence for c in kv[1])):
        w: dict[str, float] = defaultdict(float)
        owner = False
        for c in cs:
            if c.owner:
                owner = True
            else:
                w[c.stance] += c.weight
        S, C, O = w["support"], w["conditional"], w["oppose"]  # noqa: E741
        stance: Stance
        if O > S + C and O > 0:
            stance = "oppose"
        elif owner and issue == PLAN:
            stance = "support"
        elif C > 0:
            stance = "conditional"
        elif S > 0 and S >= O:
            stance = "support"
        elif O > 0:
            stance = "oppose"
        else:
            stance = "support"  # owner evidence only
        if stance == "support" and issue == PLAN and not owner and holder in conditional_elsewhere:
            stance = "conditional"
        pool = [c for c in cs if c.stance == stance and not c.owner] or [c for c in cs if c.stance == stance] or cs
        best = max(pool, key=lambda c: (c.weight, -_BASIS_RANK[c.basis], -c.sentence))
        total = sum(w.values()) or 1.0
        share = (w[stance] / total) if w[stance] else 0.5
        conf = min(0.99, max(0.05, best.weight * (0.6 + 0.4 * share) + 0.05 * min(len(cs) - 1, 4)))
        qty: list[Quantity] = []
        for c in cs:
            for q in c.quantities:
                if q not in qty:
                    qty.append(q)
        claims.append(
            Claim(
                id=_claim_id(doc.id, holder, issue),
                doc=doc.id,
                holder=holder,
                issue=issue,
                stance=stance,
                basis=best.basis,
                text=best.text,
                quote=best.quote,
                speaker=best.speaker,
                start=best.start,
                end=best.end,
                date=best.date or doc.date,
                url=doc.url,
                confidence=round(conf, 3),
                quantities=tuple(qty),
            )
        )
    return claims


def _claim_id(doc: str, holder: str, issue: str) -> str:
    return hashlib.sha1(f"{doc}|{holder}|{issue}".encode()).hexdigest()[:12]


def extract_claims(doc: Document, case: Case, embedder: Any = None) -> list[Claim]:
    """Claims of one document for ``case`` (compiles the case each call; reuse :class:`Extractor` for many)."""
    return list(Extractor(case, embedder).extract(doc).claims)
