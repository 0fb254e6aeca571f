"""Training the learned components (``accord extract train``): gold claims in, :class:`ClaimModel` out.

Training data are articles and their gold claims. Every document runs
through the rules; its candidate pairs
(:func:`~accord.extract.learned.candidate_pairs`) are labelled from the gold:
a pair is a claim when the gold has a row for its (document, holder, issue),
and that row gives its stance and basis. Then, with scikit-learn (the
``train`` extra; fixed seeds, so the same data give the same bytes):

- the regularisation C of each model is chosen by 5-fold cross-validation
  grouped by document (no document is ever in its own validation fold);
- the detector's out-of-fold scores fit the Platt calibration, and the
  threshold on the calibrated probability that maximises strict F1 over the
  out-of-fold predictions — counting the gold rows no candidate reached as
  misses — is kept;
- the three models are refitted on all the data and written as JSON with the
  cross-validated figures in ``meta``. Stance and basis are one-vs-rest
  logistic models (liblinear) whose scores are read as a softmax;
- :func:`calibrate` then fits, on documents kept out of training (the dev
  part), the map from a claim's raw score (probability of the pair times that
  of its stance) to the probability that the claim is right (Platt scaling on
  the logit: two parameters, robust on a hundred claims where isotonic
  regression would follow the noise).

>>> from accord.extract.learned import LinearModel
>>> _threshold_grid()[:3]
[0.2, 0.25, 0.3]
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from accord.extract.documents import Document
from accord.extract.evaluate import GoldRow, coarse_issue
from accord.extract.learned import BASES, STANCES, CaseFacts, ClaimModel, LinearModel, Pair, candidate_pairs
from accord.extract.pipeline import Extractor
from accord.model import Case

__all__ = ["Example", "calibrate", "examples", "train"]

# C below 0.1 won the cross-validation by a hair but left the rules' cues too weak to outvote the
# plan's usual stance ("Kyiv rejected the plan." came out support) and scored lower on the dev part
C_GRID = (0.1, 0.3, 1.0)
FOLDS = 5
# features that say whether a pair is a claim, not which stance or basis: the detector's alone
_DETECT_ONLY = re.compile(r"(?:^|[|&])x:")
MIN_COUNT = 4


@dataclass(frozen=True)
class Example:
    """One candidate pair of one document with its gold label (``stance``/``basis`` empty when not a claim)."""

    doc: str
    pair: Pair
    stance: str
    basis: str

    @property
    def claim(self) -> bool:
        return bool(self.stance)


TrainingSet = tuple[Case, Sequence[Document], Sequence[GoldRow]]


def examples(sets: Iterable[TrainingSet]) -> tuple[list[Example], dict[str, int]]:
    """Labelled candidate pairs of every gold document of each (case, documents, gold), and the gold rows of each
    document (a candidate reached them or not)."""
    out: list[Example] = []
    gold_rows: dict[str, int] = {}
    for case, documents, gold in sets:
        ex = Extractor(case, model=None)
        facts = CaseFacts.of(case)
        rows: dict[tuple[str, str, str], GoldRow] = {}
        for g in gold:
            rows.setdefault((g.doc, g.holder, coarse_issue(g.issue)), g)
        docs = {d.id: d for d in documents}
        ids = sorted({d for d, _, _ in rows} & set(docs))
        for k in rows:
            if k[0] in docs:
                gold_rows[k[0]] = gold_rows.get(k[0], 0) + 1
        for i in ids:
            out.extend(labelled(ex.extract(docs[i]), facts, rows))
    return out, gold_rows


def labelled(result: Any, facts: CaseFacts, rows: Mapping[tuple[str, str, str], GoldRow]) -> list[Example]:
    """The candidate pairs of one document's rule result, labelled by the gold ``rows`` keyed (doc, holder, issue)."""
    out = []
    for p in candidate_pairs(result, facts):
        row = rows.get((result.doc, p.holder, p.issue))
        out.append(Example(result.doc, p, row.stance if row else "", (row.basis or "reported") if row else ""))
    return out


def assign_cases(cases: Sequence[Case], documents: Sequence[Document], gold: Sequence[GoldRow]) -> list[TrainingSet]:
    """Split gold documents among ``cases``: each goes to a case that knows every holder and issue id of its
    rows, the one whose actors it names most where several do (documents no case knows are left out).

    >>> from accord.defaults import DEFAULT_CASE

    >>> from accord.model import load_case
    >>> sets = assign_cases([load_case(DEFAULT_CASE)], [Document(id="d", text="Kyiv said no.")],
    ...                     [GoldRow("d", "ukraine", "plan", "oppose"), GoldRow("e", "israel", "plan", "oppose")])
    >>> [(c.id == DEFAULT_CASE, [d.id for d in ds], len(gs)) for c, ds, gs in sets]
    [(True, ['d'], 1)]
    """
    from accord.extract.actors import ActorIndex
    from accord.model import PLAN

    by_doc: dict[str, list[GoldRow]] = {}
    for g in gold:
        by_doc.setdefault(g.doc, []).append(g)
    knows = [({a.id for a in c.actors}, {i.id for i in c.issues} | {PLAN}) for c in cases]
    indexes = [ActorIndex(c.actors) for c in cases]
    chosen: list[tuple[list[Document], list[GoldRow]]] = [([], []) for _ in cases]
    for d in documents:
        rows = by_doc.get(d.id, [])
        fits = [
            k
            for k, (actors, issues) in enumerate(knows)
            if rows and all(g.holder in actors and coarse_issue(g.issue) in issues for g in rows)
        ]
        if not fits:
            continue
        best = max(fits, key=lambda k: (len(indexes[k].mentions(d.text)), -k))
        chosen[best][0].append(d)
        chosen[best][1].extend(rows)
    return [(c, ds, gs) for c, (ds, gs) in zip(cases, chosen, strict=True) if ds]


def train(
    sets: Sequence[TrainingSet], *, seed: int = 13, sources: Sequence[str] = (), scored: Collection[str] = ()
) -> ClaimModel:
    """Fit the three models on the gold claims of each (case, documents, gold) (``sources``: for the record;
    ``scored``: documents whose out-of-fold figures are also given alone, see :func:`fit`)."""
    data, gold_rows = examples(sets)
    model = fit(data, gold_rows, seed=seed, scored=scored)
    meta = {
        "trained_on": list(sources),
        "cases": {c.id: len(ds) for c, ds, _ in sets},
        "doc_ids": sorted(d.id for _, ds, _ in sets for d in ds),  # so that a held-out document can be checked
        **model.meta,
    }
    return replace(model, meta=meta)


def fit(
    data: Sequence[Example], gold_rows: Mapping[str, int], *, seed: int = 13, scored: Collection[str] = ()
) -> ClaimModel:
    """Fit the three models on labelled candidate pairs (``gold_rows``: each document's gold rows, reached or not).

    ``scored``: documents (among the training ones) whose out-of-fold figures are also given alone, in
    ``meta["cv_scored"]`` — e.g. the adjudicated articles, while other documents train in every fold.
    """
    import numpy as np

    total = sum(gold_rows.values())

    if not any(e.claim for e in data) or all(e.claim for e in data):
        from accord.errors import AccordError

        raise AccordError("training needs gold documents with both claims and non-claims among their candidates")
    docs = sorted({e.doc for e in data})
    fold_of = {d: k % FOLDS for k, d in enumerate(_shuffled(docs, seed))}
    folds = np.array([fold_of[e.doc] for e in data])
    rows = [e.pair.features for e in data]
    # what says whether a pair is a claim, not which stance: the stance and basis models go without
    plain = [{k: v for k, v in r.items() if not _DETECT_ONLY.search(k)} for r in rows]
    y = np.array([1 if e.claim else 0 for e in data])
    pos = [i for i, e in enumerate(data) if e.claim]

    best: tuple[float, float, float, float, Any, Any] | None = None
    st_oofs = {c: _oof_multi(plain, data, pos, folds, c, seed, "stance", STANCES) for c in C_GRID}
    for c_det in C_GRID:
        oof = _oof_scores(rows, y, folds, c_det, seed)
        a, b = _platt(oof, y, seed)
        for c_st, st_oof in st_oofs.items():
            prob = 1.0 / (1.0 + np.exp(-(a * oof + b)))
            thr, f1 = _best_threshold(prob, st_oof, data, total)
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, c_det, c_st, thr, (a, b), prob)
    assert best is not None
    f1, c_det, c_st, thr, platt, prob = best
    c_basis = c_st
    detect = _fit_binary(rows, y, c_det, seed)
    stance = _fit_multi([plain[i] for i in pos], [data[i].stance for i in pos], c_st, seed, STANCES)
    basis = _fit_multi([plain[i] for i in pos], [data[i].basis for i in pos], c_basis, seed, BASES)
    meta = {
        "documents": len(docs),
        "gold_rows": total,
        "candidates": len(data),
        "candidate_recall": round(len(pos) / total, 3) if total else 0.0,
        "cv_strict_f1": round(f1, 3),
        "cv_detection_f1": round(_detection_f1(prob, y, thr, total), 3),
        "cv_ece": round(float(_ece(prob, y)), 3),
        **({"cv_scored": _scored(prob, st_oofs[c_st], data, thr, set(scored), gold_rows)} if scored else {}),
        "C": {"detect": c_det, "stance": c_st, "basis": c_basis},
        "folds": FOLDS,
        "seed": seed,
    }
    return ClaimModel(detect, stance, basis, threshold=thr, platt=platt, meta=meta)


def calibrate(model: ClaimModel, sets: Sequence[TrainingSet], bins: int = 5) -> ClaimModel:
    """``model`` with its confidences calibrated on the gold claims of ``sets`` (documents it never trained on).

    Every claim the model makes on those documents (a pair above the threshold,
    with its most probable stance) is an example: its raw score against
    whether the gold has that (holder, issue, stance). ``meta["calibration"]``
    records the documents, the claims and the calibration error (``bins``
    equal-width bins, as ``accord extract eval`` reports it) before, after, and
    out-of-document (each document's claims calibrated by a map fitted on the
    others: the honest figure for unseen text).
    """
    from accord.errors import AccordError
    from accord.extract.learned import sigmoid_inverse

    data, _ = examples(sets)
    raw: list[float] = []
    right: list[int] = []
    docs: list[str] = []
    for e in data:
        p = model.claim_probability(e.pair.features)
        if p < model.threshold:
            continue
        ps = model.stance.probabilities(e.pair.features)
        k = max(range(len(ps)), key=ps.__getitem__)
        raw.append(p * ps[k])
        right.append(int(e.claim and STANCES[k] == e.stance))
        docs.append(e.doc)
    if len(set(right)) < 2:
        raise AccordError("calibration needs held-out claims both right and wrong (more documents with gold claims)")
    x = [sigmoid_inverse(r) for r in raw]
    a, b = _logistic_1d(x, right)
    held = [0.0] * len(raw)
    for d in sorted(set(docs)):
        rest = [i for i, o in enumerate(docs) if o != d]
        ra, rb = _logistic_1d([x[i] for i in rest], [right[i] for i in rest])
        for i, o in enumerate(docs):
            if o == d:
                held[i] = 1.0 / (1.0 + math.exp(-(ra * x[i] + rb)))
    after = [1.0 / (1.0 + math.exp(-(a * v + b))) for v in x]
    meta = {
        **model.meta,
        "calibration": {
            "doc_ids": sorted(set(docs)),
            "claims": len(raw),
            "right": sum(right),
            "ece_before": round(_ece(raw, right, bins), 3),
            "ece_after": round(_ece(after, right, bins), 3),
            "ece_out_of_document": round(_ece(held, right, bins), 3),
        },
    }
    return replace(model, calibration=(a, b), meta=meta)


def _logistic_1d(x: Sequence[float], y: Sequence[int]) -> tuple[float, float]:
    """Slope and intercept of a one-feature logistic regression (lightly regularised; flat if one class)."""
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:
        share = min(0.999, max(0.001, sum(y) / max(1, len(y))))
        return 0.0, math.log(share / (1 - share))
    import numpy as np

    lr = LogisticRegression(C=1e4, max_iter=1000).fit(np.array(x).reshape(-1, 1), np.array(y))
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


def _shuffled(items: list[str], seed: int) -> list[str]:
    import random

    out = list(items)
    random.Random(seed).shuffle(out)
    return out


def _vectorizer(rows: list[dict[str, float]]) -> Any:
    """Features seen in at least :data:`MIN_COUNT` examples (rarer ones cannot be learned, only memorised)."""
    from collections import Counter

    from sklearn.feature_extraction import DictVectorizer

    seen = Counter(k for r in rows for k in r)
    v = DictVectorizer(sort=True)
    v.fit([{k: 1.0 for k in r if seen[k] >= MIN_COUNT} for r in rows])
    return v


def _matrix(v: Any, rows: list[dict[str, float]]) -> Any:
    """The sparse matrix of ``rows`` with 32-bit indices (what liblinear takes)."""
    import numpy as np

    x = v.transform(rows).tocsr()
    x.indices = x.indices.astype(np.int32)
    x.indptr = x.indptr.astype(np.int32)
    return x


def _lr(c: float, seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=1000, random_state=seed, solver="liblinear")


def _fit_binary(rows: list[dict[str, float]], y: Any, c: float, seed: int) -> LinearModel:
    v = _vectorizer(rows)
    lr = _lr(c, seed).fit(_matrix(v, rows), y)
    names = v.get_feature_names_out()
    weights = {str(n): (float(w),) for n, w in zip(names, lr.coef_[0], strict=True) if abs(w) >= 1e-6}
    return LinearModel(("claim",), (float(lr.intercept_[0]),), weights)


def _fit_multi(
    rows: list[dict[str, float]], labels: list[str], c: float, seed: int, classes: Sequence[str]
) -> LinearModel:
    """One-vs-rest logistic models over ``classes``, read as a softmax (a class never seen gets a very low bias).

    liblinear's one-vs-rest fits are fast and sparse-friendly; the softmax of
    their scores ranks the classes as each binary model does. The classes keep
    their natural weights: weighing them by inverse frequency (tried) made the
    model say "conditional" — frequent in the synthetic training sets, rare in
    real news — too often (cross-validated strict F1 0.499 against 0.503; dev
    2 claims fewer right).
    """
    import numpy as np

    v = _vectorizer(rows)
    names = v.get_feature_names_out()
    x = _matrix(v, rows)
    y = np.array(labels)
    bias: list[float] = []
    cols: list[Any] = []
    for k in classes:
        yk = (y == k).astype(int)
        if yk.all() or not yk.any():
            bias.append(20.0 if yk.all() else -20.0)
            cols.append(np.zeros(len(names)))
            continue
        lr = _lr(c, seed).fit(x, yk)
        bias.append(float(lr.intercept_[0]))
        cols.append(lr.coef_[0])
    weights: dict[str, tuple[float, ...]] = {}
    for j, n in enumerate(names):
        row = tuple(float(col[j]) for col in cols)
        if any(abs(w) >= 1e-6 for w in row):
            weights[str(n)] = row
    return LinearModel(tuple(classes), tuple(bias), weights)


def _oof_scores(rows: list[dict[str, float]], y: Any, folds: Any, c: float, seed: int) -> Any:
    import numpy as np

    out = np.zeros(len(rows))
    for k in range(FOLDS):
        tr = np.where(folds != k)[0]
        te = np.where(folds == k)[0]
        if len(te) == 0 or len(set(y[tr])) < 2:
            continue
        m = _fit_binary([rows[i] for i in tr], y[tr], c, seed)
        out[te] = [m.scores(rows[i])[0] for i in te]
    return out


def _oof_multi(
    rows: list[dict[str, float]],
    data: Sequence[Example],
    pos: list[int],
    folds: Any,
    c: float,
    seed: int,
    what: str,
    classes: Sequence[str],
) -> dict[int, str]:
    out: dict[int, str] = {}
    for k in range(FOLDS):
        tr = [i for i in pos if folds[i] != k]
        te = [i for i in range(len(data)) if folds[i] == k]
        if not tr or not te:
            continue
        m = _fit_multi([rows[i] for i in tr], [getattr(data[i], what) for i in tr], c, seed, classes)
        for i in te:
            p = m.probabilities(rows[i])
            out[i] = classes[max(range(len(classes)), key=p.__getitem__)]
    return out


def _platt(scores: Any, y: Any, seed: int) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e4, max_iter=1000, random_state=seed).fit(scores.reshape(-1, 1), y)
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


def _threshold_grid() -> list[float]:
    return [round(0.2 + 0.05 * k, 2) for k in range(13)]


def _best_threshold(prob: Any, stance: dict[int, str], data: Sequence[Example], total: int) -> tuple[float, float]:
    best = (0.5, -1.0)
    for thr in _threshold_grid():
        tp = fp = 0
        for i, e in enumerate(data):
            if prob[i] < thr:
                continue
            if e.claim and stance.get(i) == e.stance:
                tp += 1
            else:
                fp += 1
        fn = total - tp
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[1] + 1e-9:
            best = (thr, f1)
    return best


def _scored(prob: Any, stance: dict[int, str], data: Sequence[Example], thr: float, docs: set[str],
            gold_rows: Mapping[str, int]) -> dict[str, float]:
    """Out-of-fold strict and detection F1 and stance accuracy on ``docs`` alone (their gold rows no candidate
    reached count as misses), at the chosen threshold."""
    claimed = [i for i, e in enumerate(data) if e.doc in docs and prob[i] >= thr]
    found = [i for i in claimed if data[i].claim]
    right = sum(1 for i in found if stance.get(i) == data[i].stance)
    total = sum(gold_rows.get(d, 0) for d in docs)
    return {
        "documents": len(docs & set(gold_rows)),
        "gold_rows": total,
        "strict_f1": round(2 * right / (len(claimed) + total), 3) if right else 0.0,
        "detection_f1": round(2 * len(found) / (len(claimed) + total), 3) if found else 0.0,
        "stance_accuracy": round(right / len(found), 3) if found else 0.0,
    }


def _detection_f1(prob: Any, y: Any, thr: float, total: int) -> float:
    """F1 of the pairs at or above ``thr`` as claims, the gold rows no candidate reached counted as misses."""
    tp = sum(1 for p, t in zip(prob, y, strict=True) if p >= thr and t)
    fp = sum(1 for p, t in zip(prob, y, strict=True) if p >= thr and not t)
    return 2 * tp / (tp + fp + total) if tp else 0.0


def _ece(prob: Any, y: Any, bins: int = 10) -> float:
    """Expected calibration error of ``prob`` against the labels ``y`` (equal-width bins)."""
    n = len(prob)
    if not n:
        return 0.0
    err = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i in range(n) if lo <= prob[i] < hi or (b == bins - 1 and prob[i] == 1.0)]
        if idx:
            err += len(idx) / n * abs(sum(prob[i] for i in idx) / len(idx) - sum(y[i] for i in idx) / len(idx))
    return err if math.isfinite(err) else 0.0
