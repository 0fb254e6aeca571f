"""Scoring extracted claims against gold claims, exactly as GUIDELINES.md defines it.

Separate from the extractor: it takes any claims (or ``(doc, holder, issue,
stance)`` rows) and gold rows.

- **strict** — micro precision / recall / F1 over the set of
  ``(doc, holder, issue, stance)``;
- **detection** — the same over ``(doc, holder, issue)``, with **stance
  accuracy** on the matched triples;
- a predicted issue finer than the gold ids ("territory.donetsk",
  "territory/crimea") is scored at its id; predictions for one triple with
  several stances keep the most confident;
- breakdowns per issue and per holder (strict), and the rows missed and
  spurious, so every change shows its effect.

>>> gold = [GoldRow("d", "russia", "plan", "oppose"), GoldRow("d", "us", "plan", "support")]
>>> ev = evaluate([("d", "russia", "plan", "oppose"), ("d", "us", "plan", "conditional")], gold)
>>> ev.strict.tp, ev.strict.fp, ev.strict.fn, round(ev.strict.f1, 2)
(1, 1, 1, 0.5)
>>> ev.detection.f1, ev.stance_accuracy
(1.0, 0.5)
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.errors import AccordError, Problem
from accord.model import Claim

Row = tuple[str, str, str, str]


@dataclass(frozen=True)
class GoldRow:
    """One gold claim: the holder's dominant stance on an issue in a document."""

    doc: str
    holder: str
    issue: str
    stance: str
    basis: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class Score:
    """Micro-averaged counts and rates."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True)
class Evaluation:
    """Everything :func:`evaluate` measures."""

    strict: Score
    detection: Score
    stance_accuracy: float
    stance_matched: int
    per_issue: dict[str, Score] = field(default_factory=dict)
    per_holder: dict[str, Score] = field(default_factory=dict)
    missed: tuple[Row, ...] = ()
    spurious: tuple[Row, ...] = ()
    wrong_stance: tuple[tuple[Row, str], ...] = ()
    calibration: tuple[Bin, ...] = ()

    @property
    def ece(self) -> float:
        """Expected calibration error of the confidences: the claims-weighted mean |confidence − share right|."""
        n = sum(b.n for b in self.calibration)
        return sum(b.n * abs(b.confidence - b.right) for b in self.calibration) / n if n else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "strict": self.strict.as_dict(),
            "detection": self.detection.as_dict(),
            "stance_accuracy": round(self.stance_accuracy, 4),
            "stance_matched": self.stance_matched,
            "per_issue": {k: v.as_dict() for k, v in sorted(self.per_issue.items())},
            "per_holder": {k: v.as_dict() for k, v in sorted(self.per_holder.items())},
            "missed": [list(r) for r in self.missed],
            "spurious": [list(r) for r in self.spurious],
            "wrong_stance": [[*r, s] for r, s in self.wrong_stance],
            "calibration": {"ece": round(self.ece, 4), "bins": [b.as_dict() for b in self.calibration]},
        }


@dataclass(frozen=True)
class Bin:
    """Claims whose confidence lies in [lo, hi): how many, their mean confidence, the share strictly right."""

    lo: float
    hi: float
    n: int
    confidence: float
    right: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            "lo": self.lo,
            "hi": self.hi,
            "n": self.n,
            "confidence": round(self.confidence, 4),
            "right": round(self.right, 4),
        }


def calibration(pred: Iterable[tuple[Row, float]], gold: set[Row], bins: int = 5) -> tuple[Bin, ...]:
    """Reliability of confidences: per equal-width bin, the mean confidence and the share of rows in ``gold``.

    >>> b = calibration([(("d", "a", "plan", "oppose"), 0.9), (("d", "b", "plan", "oppose"), 0.1)],
    ...                 {("d", "a", "plan", "oppose")}, bins=2)
    >>> [(x.lo, x.n, x.right) for x in b]
    [(0.0, 1, 0.0), (0.5, 1, 1.0)]
    """
    out = []
    items = list(pred)
    for k in range(bins):
        lo, hi = k / bins, (k + 1) / bins
        got = [(r, c) for r, c in items if lo <= c < hi or (k == bins - 1 and c == hi)]
        if got:
            conf = sum(c for _, c in got) / len(got)
            out.append(Bin(lo, hi, len(got), conf, sum(1 for r, _ in got if r in gold) / len(got)))
    return tuple(out)


def coarse_issue(issue: str) -> str:
    """The gold id of a possibly finer issue: ``territory.donetsk`` → ``territory``.

    >>> coarse_issue("territory.donetsk"), coarse_issue("frozen_assets/us-split"), coarse_issue("plan")
    ('territory', 'frozen_assets', 'plan')
    """
    for sep in (".", "/", ":", "#"):
        issue = issue.split(sep, 1)[0]
    return issue.strip().lower()


def _rated(pred: Iterable[Claim | Row]) -> list[tuple[Row, float]]:
    """One stance per (doc, holder, issue), the most confident prediction, with its confidence (0.5 for a row)."""
    best: dict[tuple[str, str, str], tuple[float, str]] = {}
    stance: str
    for p in pred:
        if isinstance(p, Claim):
            key = (p.doc, p.holder, coarse_issue(p.issue))
            conf, stance = p.confidence, p.stance
        else:
            key = (p[0], p[1], coarse_issue(p[2]))
            conf, stance = 0.5, p[3]
        if key not in best or conf > best[key][0]:
            best[key] = (conf, stance)
    return sorted(((k[0], k[1], k[2], v[1]), v[0]) for k, v in best.items())


def evaluate(pred: Iterable[Claim | Row], gold: Iterable[GoldRow], docs: Iterable[str] | None = None) -> Evaluation:
    """Score predictions against gold (predictions for documents outside ``docs`` are ignored).

    ``docs`` defaults to the documents of the gold rows.
    """
    g_rows = sorted({(g.doc, g.holder, coarse_issue(g.issue), g.stance) for g in gold})
    scope = set(docs) if docs is not None else {r[0] for r in g_rows}
    rated = [(r, c) for r, c in _rated(pred) if r[0] in scope]
    p_rows = [r for r, _ in rated]
    gs, ps = set(g_rows), set(p_rows)
    strict = Score(len(gs & ps), len(ps - gs), len(gs - ps))
    g3 = {r[:3]: r[3] for r in g_rows}
    p3 = {r[:3]: r[3] for r in p_rows}
    matched = set(g3) & set(p3)
    detection = Score(len(matched), len(set(p3) - set(g3)), len(set(g3) - set(p3)))
    right = sum(1 for k in matched if g3[k] == p3[k])
    acc = right / len(matched) if matched else 0.0

    def breakdown(idx: int) -> dict[str, Score]:
        keys = {r[idx] for r in gs | ps}
        out = {}
        for k in keys:
            gk = {r for r in gs if r[idx] == k}
            pk = {r for r in ps if r[idx] == k}
            out[k] = Score(len(gk & pk), len(pk - gk), len(gk - pk))
        return out

    wrong = tuple(sorted(((*k, g3[k]), p3[k]) for k in matched if g3[k] != p3[k]))
    return Evaluation(
        strict,
        detection,
        acc,
        len(matched),
        breakdown(2),
        breakdown(1),
        tuple(sorted(r for r in gs - ps if r[:3] not in matched)),
        tuple(sorted(r for r in ps - gs if r[:3] not in matched)),
        wrong,
        calibration(rated, gs),
    )


def parse_gold(lines: Iterable[str], source: str = "gold.jsonl") -> list[GoldRow]:
    """Gold rows from JSON lines (``doc``, ``holder``, ``issue``, ``stance`` required)."""
    out, problems = [], []
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(Problem(source, n, "", f"not JSON ({e.msg})"))
            continue
        missing = [k for k in ("doc", "holder", "issue", "stance") if not row.get(k)]
        if missing:
            problems.append(Problem(source, n, ",".join(missing), "missing"))
            continue
        if row["stance"] not in ("support", "conditional", "oppose"):
            problems.append(Problem(source, n, "stance", f"{row['stance']!r} is not support/conditional/oppose"))
            continue
        out.append(
            GoldRow(
                str(row["doc"]),
                str(row["holder"]),
                str(row["issue"]),
                str(row["stance"]),
                str(row.get("basis", "")),
                str(row.get("evidence", "")),
            )
        )
    if problems:
        raise AccordError(problems)
    return out


def load_gold(path: str | Path) -> list[GoldRow]:
    """Read a gold JSONL file (an :class:`~accord.errors.AccordError` if it is unreadable or malformed)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise AccordError(f"{p}: cannot read gold file ({e})") from None
    return parse_gold(text.splitlines(), str(p))


def group_by(rows: Iterable[Row], idx: int) -> dict[str, list[Row]]:
    """Rows grouped by one of their fields (0 doc, 1 holder, 2 issue)."""
    out: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        out[r[idx]].append(r)
    return dict(out)
