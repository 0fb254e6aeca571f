"""Learned components of the extractor: which (holder, issue) pairs of a document are claims, and how.

The rules (:mod:`accord.extract.pipeline`) read every sentence and keep what
they saw (:class:`~accord.extract.pipeline.SentenceFacts`: actor mentions,
issue hits, stance cues, speakers, quotes). Here that becomes **candidate
pairs** — every actor that speaks or is named in a sentence × every issue
named in it, in the sentence before, or in the sentence's context, and every
claim the rules made — each with **features** (the rules' own verdict
among them) that name no case: the holder's role in the sentence (speaker,
subject, object of "wants … to", possessive, inside a quote), the words just
before and after its mention, the cues and their distance, negation and
hypotheticals, counts over the document, and the words of the sentence with
actors and issue words masked (``<A>``, ``<I>``).

Three linear models read them (:class:`ClaimModel`): **detection** (is the
pair a claim of the document? logistic, Platt-calibrated), **stance** (support
/ conditional / oppose) and **basis** (stated / reported / assessed), each a
one-vs-rest logistic model read as a softmax. Features of sentences where
holder and issue meet stand apart from those of sentences further off
(``far|…``). A claim's ``confidence`` is the calibrated probability that the
pair is a claim times the probability of its stance. The weights are trained
by ``accord extract train`` (:mod:`accord.extract.training`, scikit-learn)
and shipped as JSON (``models/claims.json``); applying them needs only the
standard library. Logistic regression over hand-made and lexical features is
the classic recipe for attribution and stance (Pareti 2015; Somasundaran &
Wiebe 2010); Platt (1999) scaling for the confidence.

>>> m = LinearModel(labels=("yes",), bias=(-1.0,), weights={"a": (2.0,)})
>>> round(m.probabilities({"a": 1.0})[0], 3), round(m.probabilities({})[0], 3)
(0.731, 0.269)
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from accord.model import PLAN, Basis, Case, Claim, Stance

__all__ = ["ClaimModel", "LinearModel", "Pair", "apply_model", "candidate_pairs", "default_model"]

STANCES: tuple[Stance, ...] = ("support", "conditional", "oppose")
BASES: tuple[Basis, ...] = ("stated", "reported", "assessed")
MODEL_FILE = "claims.json"

_PREP = frozenset(
    ("to", "for", "from", "with", "by", "on", "about", "against", "of", "in", "into", "at", "over", "under")
    + ("between", "among", "after", "before", "toward", "towards")
)
_OBJECT_VERBS = re.compile(
    r"(?i)\b(?:wants?|wanted|urg\w*|press\w*|push\w*|ask\w*|told|tells?|forc\w*|pressur\w*|call\w* on|demand\w*|"
    r"expects?|expected|invit\w*|persuad\w*|convinc\w*|warn\w*|threat\w*|lean\w* on|prod\w*|get|got)\s+(?:\w+\s+)?$"
)
# the process as a whole, in words that are not the plan's nouns: "ready to continue contacts", "the talks"
_TALKS = re.compile(
    r"(?i)\b(?:talks|negotiat\w+|settlement|peace|contacts|summit|meeting|dialogue|diplomac\w+|truce talks|"
    r"mediat\w+|round)\b"
)
_CLOSE = frozenset({"same", "ctx", "rule"})
_NEG = re.compile(r"(?i)\b(?:not|n't|never|no|nor|without|refus\w*)\b")
_IF = re.compile(r"(?i)\b(?:if|whether|unless)\b")
_UNCLEAR = re.compile(r"(?i)\b(?:unclear|unknown|uncertain|remains to be seen)\b")
_MODAL = re.compile(r"(?i)\b(?:will|would|could|might|may|likely|unlikely|expected|probably)\b")
_ACCORDING = re.compile(r"(?i)according to\s+(?:the\s+)?$")


@dataclass(frozen=True)
class LinearModel:
    """A linear model over named features: one score per label (softmax, or a sigmoid for one label)."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]

    def scores(self, features: Mapping[str, float]) -> list[float]:
        """The linear score of each label."""
        out = list(self.bias)
        w = self.weights
        # visit only the features with a weight, in the features' own order (a set intersection would add in
        # an order that changes with PYTHONHASHSEED, so the last bits of a score would differ between runs);
        # one and three labels unrolled (the detector, stance and basis: the learned extractor's hot path)
        present = filter(w.__contains__, features)
        if len(out) == 1:
            out[0] += sum(w[name][0] * features[name] for name in present)
            return out
        if len(out) == 3:
            s0, s1, s2 = out
            for name in present:
                v = features[name]
                a, b, c = w[name]
                s0 += a * v
                s1 += b * v
                s2 += c * v
            return [s0, s1, s2]
        for name, value in features.items():
            row = w.get(name)
            if row is not None:
                for k, x in enumerate(row):
                    out[k] += x * value
        return out

    def probabilities(self, features: Mapping[str, float]) -> list[float]:
        """Sigmoid of the one score, or softmax over the labels."""
        s = self.scores(features)
        if len(s) == 1:
            return [_sigmoid(s[0])]
        top = max(s)
        e = [math.exp(x - top) for x in s]
        z = sum(e)
        return [x / z for x in e]

    def as_json(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "bias": [round(b, 6) for b in self.bias],
            "weights": {k: [round(x, 6) for x in v] for k, v in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LinearModel:
        return cls(
            labels=tuple(data["labels"]),
            bias=tuple(float(b) for b in data["bias"]),
            weights={k: tuple(float(x) for x in v) for k, v in data["weights"].items()},
        )


@dataclass(frozen=True)
class ClaimModel:
    """The three trained models, the decision threshold and the calibration of the detector.

    ``platt`` = (a, b): the calibrated probability that a pair is a claim is
    ``sigmoid(a * score + b)`` where ``score`` is the detector's linear score.
    ``calibration`` = (a, b), fitted on held-out documents (``accord extract
    train --calibrate``): a claim's confidence, the probability that it is
    right — its holder, issue *and* stance as the gold has them — is
    ``sigmoid(a * logit(p * q) + b)``, ``p`` the probability that the pair is
    a claim and ``q`` that of its stance; without it the confidence is ``p * q``,
    a ranking only. ``meta`` says what it was trained and calibrated on and how
    it scored.

    >>> m = ClaimModel(LinearModel(("claim",), (0.0,), {}), LinearModel(STANCES, (0.0,) * 3, {}),
    ...                LinearModel(BASES, (0.0,) * 3, {}), calibration=(1.0, -1.0))
    >>> m.confidence(0.8, 0.5), round(sigmoid_inverse(0.4), 3)
    (0.197, -0.405)
    >>> ClaimModel(m.detect, m.stance, m.basis).confidence(0.8, 0.5)  # uncalibrated: the product
    0.4
    """

    detect: LinearModel
    stance: LinearModel
    basis: LinearModel
    threshold: float = 0.5
    platt: tuple[float, float] = (1.0, 0.0)
    meta: Mapping[str, Any] = field(default_factory=dict)
    calibration: tuple[float, float] | None = None

    def confidence(self, claim: float, stance: float) -> float:
        """A claim's confidence from the probability that its pair is a claim and that of its stance."""
        raw = claim * stance
        if self.calibration is None:
            return round(raw, 3)
        a, b = self.calibration
        return round(_sigmoid(a * sigmoid_inverse(raw) + b), 3)

    def claim_probability(self, features: Mapping[str, float]) -> float:
        """Calibrated probability that a candidate pair is a claim of its document."""
        a, b = self.platt
        return _sigmoid(a * self.detect.scores(features)[0] + b)

    def as_json(self) -> dict[str, Any]:
        return {
            "detect": self.detect.as_json(),
            "stance": self.stance.as_json(),
            "basis": self.basis.as_json(),
            "threshold": round(self.threshold, 6),
            "platt": [round(x, 6) for x in self.platt],
            "calibration": None if self.calibration is None else [round(x, 6) for x in self.calibration],
            "meta": dict(self.meta),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClaimModel:
        cal = data.get("calibration")
        return cls(
            detect=LinearModel.from_json(data["detect"]),
            stance=LinearModel.from_json(data["stance"]),
            basis=LinearModel.from_json(data["basis"]),
            threshold=float(data["threshold"]),
            platt=(float(data["platt"][0]), float(data["platt"][1])),
            meta=data.get("meta", {}),
            calibration=None if cal is None else (float(cal[0]), float(cal[1])),
        )

    def dumps(self) -> str:
        """The model as JSON text, byte-for-byte the same for the same weights."""
        return json.dumps(self.as_json(), sort_keys=True, indent=0, ensure_ascii=False) + "\n"

    def fingerprint(self) -> str:
        """A short hash of the weights (which model produced a claim); computed once per model."""
        fp: str | None = self.__dict__.get("_fingerprint")
        if fp is None:
            fp = hashlib.sha256(self.dumps().encode()).hexdigest()[:12]
            object.__setattr__(self, "_fingerprint", fp)  # a cache beside the frozen fields, not one of them
        return fp


def load_model(path: str | Path) -> ClaimModel:
    """A model written by ``accord extract train``."""
    return ClaimModel.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default_model() -> ClaimModel | None:
    """The model shipped with accord (``accord/extract/models/claims.json``), or ``None`` if there is none."""
    ref = resources.files("accord.extract") / "models" / MODEL_FILE
    if not ref.is_file():
        return None
    return ClaimModel.from_json(json.loads(ref.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Pair:
    """A candidate (holder, issue) of one document, its features, and the sentences it rests on (best first)."""

    holder: str
    issue: str
    features: dict[str, float]
    sentences: tuple[int, ...]
    rule: Claim | None = None


@dataclass(frozen=True)
class CaseFacts:
    """What the features need to know of a case, without naming anything in it."""

    parties: frozenset[str]
    authors: frozenset[str]

    @classmethod
    def of(cls, case: Case) -> CaseFacts:
        roots = [p for p in case.plans if p.kind == "plan" and not p.based_on]
        return cls(frozenset(a.id for a in case.actors if a.party), frozenset(a for p in roots for a in p.authors))


def candidate_pairs(result: Any, case: CaseFacts) -> list[Pair]:
    """Every candidate (holder, issue) of a document (a :class:`~accord.extract.pipeline.DocResult`) with features."""
    facts = result.facts
    n = len(facts)
    if not n:
        return []
    rule_claims = {(c.holder, c.issue): c for c in (result.rules or result.claims)}
    rule_sent: dict[tuple[str, str, int], list[Any]] = defaultdict(list)
    owners: set[str] = set()
    for c in result.candidates:
        rule_sent[(c.holder, c.issue, c.sentence)].append(c)
        if c.owner:
            owners.add(c.holder)
    holders_at = [_holders(f) for f in facts]
    issues_at = [{h.issue for h in f.hits} for f in facts]
    in_para: dict[int, set[str]] = defaultdict(set)
    for f, xs in zip(facts, issues_at, strict=True):
        in_para[f.para] |= xs
    where: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for i, f in enumerate(facts):
        near = set()
        for j in (i - 1, i + 1):
            if 0 <= j < n:
                near |= issues_at[j]
        ctx = set(f.context_issues) - issues_at[i]
        near -= issues_at[i] | ctx
        para = in_para[f.para] - issues_at[i] - ctx - near
        talks = PLAN not in issues_at[i] and bool(_TALKS.search(f.text))
        for h in holders_at[i]:
            for x in issues_at[i]:
                where[(h, x)].append((i, "same"))
            for x in ctx:
                where[(h, x)].append((i, "ctx"))
            for x in near:
                where[(h, x)].append((i, "near"))
            for x in para:
                where[(h, x)].append((i, "para"))
            if talks:
                where[(h, PLAN)].append((i, "talks"))
    for (h, x), c in rule_claims.items():
        if (h, x) not in where:
            where[(h, x)] = [(_sentence_of(facts, c.start), "rule")]
    mentioned: dict[str, int] = defaultdict(int)
    for hs in holders_at:
        for h in hs:
            mentioned[h] += 1
    speaks: dict[str, int] = defaultdict(int)
    tone: dict[tuple[str, str], float] = defaultdict(float)  # cue weight per stance where the holder is
    for f, hs in zip(facts, holders_at, strict=True):
        for h in f.speakers:
            speaks[h] += 1
        for c in f.cues:
            for h in hs:
                tone[(h, c.stance)] += c.weight
    named: dict[str, int] = defaultdict(int)
    for xs in issues_at:
        for x in xs:
            named[x] += 1
    masked: dict[int, str] = {}
    out = []
    for (h, x), occ in sorted(where.items()):
        feats: dict[str, float] = defaultdict(float)
        scored = []
        for i, how in occ:
            if i not in masked:
                masked[i] = _mask(facts[i])
            of = _occurrence(facts[i], masked[i], h, x, how, rule_sent.get((h, x, i), ()))
            # what is said where holder and issue share a sentence weighs apart from what is said further off
            pre = "" if how in _CLOSE else "far|"
            for k, v in of.items():
                k = pre + k if not k.startswith("o:") else k
                if v > feats.get(k, 0.0):
                    feats[k] = v
            scored.append((of.get("o:cue", 0.0) + of.get("o:rule", 0.0) + (how == "same"), -i, i))
        counts: dict[str, int] = defaultdict(int)
        for _, how in occ:
            counts[how] += 1
        for how, count in counts.items():
            feats[f"n:{how}"] = math.log1p(count)
        feats["n:holder"] = math.log1p(mentioned.get(h, 0))
        feats["n:issue"] = math.log1p(named.get(x, 0))
        feats["first"] = round(min(i for i, _ in occ) / max(1, n - 1), 1)
        feats["plan" if x == PLAN else "specific"] = 1.0
        if h in case.parties:
            feats["party"] = 1.0
        if h in case.authors:
            feats["author"] = 1.0
            if x == PLAN:
                feats["author:plan"] = 1.0
        if h in owners:
            feats["owner"] = 1.0
        rc = rule_claims.get((h, x))
        if rc is not None:
            feats["r:has"] = 1.0
            feats[f"r:{rc.stance}"] = 1.0
            feats[f"r:basis:{rc.basis}"] = 1.0
            feats["r:conf"] = rc.confidence
        # the holder in the document: how much of it is about or by it
        feats["share:holder"] = round(mentioned.get(h, 0) / max(1, sum(mentioned.values())), 2)
        feats["speaks"] = math.log1p(speaks.get(h, 0))
        for st in STANCES:
            if tone.get((h, st)):
                feats[f"tone:{st}"] = math.log1p(tone[(h, st)])
        # whether the plan or a specific issue is at stake changes what a role or a cue means
        kind = "plan" if x == PLAN else "specific"
        for k in [k for k in feats if k.startswith(("role:", "cue:", "r:", "o:"))]:
            feats[f"{kind}&{k}"] = feats[k]
        feats["bias"] = 1.0
        order = tuple(i for *_, i in sorted(scored, reverse=True))
        out.append(Pair(h, x, dict(feats), order, rc))
    return out


def _holders(f: Any) -> set[str]:
    return {m.actor for m in f.mentions} | set(f.speakers)


def _sentence_of(facts: Sequence[Any], start: int | None) -> int:
    for i, f in enumerate(facts):
        if start is not None and f.start <= start < f.end:
            return i
    return 0


def _mask(f: Any) -> str:
    """The sentence lower-cased, each actor mention written ``A…A`` and each issue word ``I…I`` (same length)."""
    chars = list(f.text.lower())
    for spans, c in (([(h.start, h.end) for h in f.hits], "I"), ([(m.start, m.end) for m in f.mentions], "A")):
        for a, b in spans:
            chars[a:b] = c * (b - a)
    return "".join(chars)


def _words(text: str) -> list[str]:
    """Words of a masked text: ``<a>`` for an actor, ``<i>`` for an issue word."""
    return [("<a>" if w[0] == "A" else "<i>") if w[0] in "AI" else w for w in _TOKEN.findall(text)]


_TOKEN = re.compile(r"A+|I+|[a-z][a-z'\-]*|\d+")


def _occurrence(f: Any, low: str, holder: str, issue: str, how: str, rule: Iterable[Any]) -> dict[str, float]:
    """Features of one sentence where ``holder`` and ``issue`` meet (``how``: same, ctx, near, rule).

    ``low`` is the sentence masked by :func:`_mask`: no feature carries a name.
    """
    t = f.text
    o: dict[str, float] = {f"o:{how}": 1.0, f"kind:{f.kind}": 1.0}
    mine = [m for m in f.mentions if m.actor == holder]
    others = {m.actor for m in f.mentions} - {holder}
    hits = [h for h in f.hits if h.issue == issue]
    if holder in f.speakers:
        o["role:speaker" if f.speech_at >= 0 else "role:quoted"] = 1.0
    first_cue = min((c.start for c in f.cues), default=len(t))
    for m in mine[:2]:
        words = _words(low[max(0, m.start - 40) : m.start])
        prev = words[-1] if words else "^"
        o[f"prev:{prev}"] = 1.0
        if len(words) >= 2:
            o[f"prev2:{words[-2]}_{prev}"] = 1.0
        nxt = _words(low[m.end : m.end + 30])
        o[f"next:{nxt[0] if nxt else '$'}"] = 1.0
        if m.possessive:
            o["role:possessive"] = 1.0
        if any(a <= m.start < b for a, b in f.quotes):
            o["role:in_quote"] = 1.0
        if prev in _PREP:
            o["role:after_prep"] = 1.0
        elif m.start < first_cue:
            o["role:subject"] = 1.0
        if _OBJECT_VERBS.search(t[max(0, m.start - 40) : m.start]):
            o["role:object"] = 1.0
        if _ACCORDING.search(t[max(0, m.start - 20) : m.start]):
            o["role:source"] = 1.0
        for c in f.cues:
            d = c.start - m.end if c.start >= m.end else m.start - c.end
            side = "after" if c.start >= m.end else "before"
            o[f"cue:{c.stance}:{side}"] = 1.0
            if d <= 30:
                o[f"cue:{c.stance}:{side}:near"] = 1.0
    if not mine and holder in f.speakers:
        o["role:pronoun" if f.speech_at >= 0 else "role:quote_only"] = 1.0
    if mine:
        _relation(o, low, mine[0], hits)
    for c in f.cues:
        o[f"cue:{c.stance}"] = o.get(f"cue:{c.stance}", 0.0) + c.weight
        o[f"cuek:{c.kind}"] = 1.0
        o[f"cuew:{' '.join(_words(low[c.start : c.end])[:3])}"] = 1.0
        for h in hits:
            if abs(c.start - h.start) <= 40:
                o[f"cue:{c.stance}:at_issue"] = 1.0
    if f.cues:
        o["o:cue"] = max(c.weight for c in f.cues)
    if hits:
        o["hit:weak" if all(h.weak for h in hits) else "hit:strong"] = 1.0
        if mine:
            gap = min(abs(h.start - m.start) for h in hits for m in mine)
            o[f"gap:{min(4, gap // 25)}"] = 1.0
            o["issue_after_holder" if hits[0].start > mine[0].start else "issue_before_holder"] = 1.0
    if _NEG.search(t):
        o["neg"] = 1.0
    if _IF.search(t):
        o["if"] = 1.0
    if _UNCLEAR.search(t):
        o["unclear"] = 1.0
    if _MODAL.search(t):
        o["modal"] = 1.0
    if f.quotes:
        o["quote"] = 1.0
    o[f"actors:{min(3, len(others))}"] = 1.0
    o[f"issues:{min(3, len({h.issue for h in f.hits}))}"] = 1.0
    for c in rule:
        o["o:rule"] = max(o.get("o:rule", 0.0), c.weight)
        o[f"rc:{c.stance}"] = 1.0
        o[f"rc:basis:{c.basis}"] = 1.0
    # conjunctions a linear model cannot form by itself: the holder's role in the sentence × where it is
    # (same sentence, context, next sentence) and what the sentence does (a cue at the issue, any cue, a clear
    # issue word, a quote, "if", a negation); the detector's alone (they say whether, not which stance)
    acts: list[str] = [a for a in ("hit:strong", "quote", "if", "neg") if a in o]
    if f.cues:
        acts.append("cue")
    if any(k.endswith(":at_issue") for k in o):
        acts.append("cue_at")
    for r in [k[5:] for k in o if k.startswith("role:")] or ["none"]:
        o[f"x:{r}&{how}"] = 1.0
        for a in acts:
            o[f"x:{r}&{a}"] = 1.0
    words = _words(low)
    for w in words:
        o[f"w:{w}"] = 1.0
    for a, b in zip(words, words[1:], strict=False):
        o[f"w:{a}_{b}"] = 1.0
    return o


def _relation(o: dict[str, float], low: str, m: Any, hits: Sequence[Any]) -> None:
    """The holder's own words: three before its first mention (``hb:``), four after it, where its verb
    usually is (``ha:``), and those between it and the nearest mention of the issue (``bt:``, up to 12).

    Classic relation-extraction features: "Kyiv **rejected** the plan" and "pressed **Kyiv** to accept the
    plan" differ in exactly these words, which the sentence's bag of words (``w:``) cannot tell apart.
    """
    for w in _words(low[max(0, m.start - 40) : m.start])[-3:]:
        o[f"hb:{w}"] = 1.0
    for w in _words(low[m.end : m.end + 50])[:4]:
        o[f"ha:{w}"] = 1.0
    if hits:
        h = min(hits, key=lambda h: abs(h.start - m.start))
        a, b = (m.end, h.start) if h.start >= m.end else (h.end, m.start)
        between = _words(low[a:b])
        if len(between) <= 12:
            for w in between:
                o[f"bt:{w}"] = 1.0
            o[f"btn:{min(3, len(between) // 3)}"] = 1.0


def apply_model(model: ClaimModel, result: Any, case: CaseFacts, url: str | None = None) -> list[Claim]:
    """The claims of a document by the learned models (one per accepted pair), evidence from its best sentence."""
    out = []
    for p in candidate_pairs(result, case):
        prob = model.claim_probability(p.features)
        if prob < model.threshold:
            continue
        ps = model.stance.probabilities(p.features)
        pb = model.basis.probabilities(p.features)
        stance = STANCES[max(range(3), key=ps.__getitem__)]
        basis = BASES[max(range(3), key=pb.__getitem__)]
        out.append(_claim(result, p, stance, basis, model.confidence(prob, max(ps)), url))
    return out


def _claim(result: Any, p: Pair, stance: Stance, basis: Basis, confidence: float, url: str | None) -> Claim:
    r = p.rule
    if r is not None:
        return r.model_copy(update={"stance": stance, "basis": basis, "confidence": confidence})
    f = result.facts[p.sentences[0]]
    speaker = f.speaker if p.holder in f.speakers else None
    quote = None
    if basis == "stated" and f.quotes:
        a, b = max(f.quotes, key=lambda q: q[1] - q[0])
        quote = f.text[a + 1 : b - 1].strip() or None
    return Claim(
        id=hashlib.sha1(f"{result.doc}|{p.holder}|{p.issue}".encode()).hexdigest()[:12],
        doc=result.doc,
        holder=p.holder,
        issue=p.issue,
        stance=stance,
        basis=basis,
        text=f.display,
        quote=quote,
        speaker=speaker,
        start=f.start,
        end=f.end,
        date=f.date,
        url=url,
        confidence=confidence,
        quantities=tuple(q for q in result.quantities if q.issue == p.issue and f.start <= (q.start or -1) < f.end),
    )


def sigmoid_inverse(p: float, eps: float = 1e-4) -> float:
    """The logit of ``p``, clipped to [eps, 1 - eps] so that 0 and 1 stay finite."""
    p = min(1.0 - eps, max(eps, p))
    return math.log(p / (1.0 - p))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
