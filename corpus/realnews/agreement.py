"""Inter-annotator agreement of the real-news annotation passes, and of each pass against gold.

Usage (from the repository root)::

    python corpus/realnews/agreement.py

For each comparison (pass 2 against pass 1, pass 1 against gold, pass 2 against gold), over the
documents that both sides have annotated, it prints micro precision, recall and F1 over
(doc, holder, issue, stance) and over (doc, holder, issue), and Cohen's kappa on the stance of the
rows both sides have (with the raw stance agreement) — overall, per topic (sources.csv) and per
split (split.json). The second named side is the reference (recall is measured against it).

Standard library only; it reads annotations/*.jsonl, sources.csv and split.json and writes nothing.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANNOTATIONS = HERE / "annotations"
STANCES = ("support", "conditional", "oppose")

Key = tuple[str, str, str]


def load(name: str) -> dict[Key, str]:
    """(doc, holder, issue) -> stance of one annotation file."""
    rows: dict[Key, str] = {}
    path = ANNOTATIONS / name
    if not path.is_file():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            rows[(r["doc"], r["holder"], r["issue"])] = r["stance"]
    return rows


def prf(pred: set, ref: set) -> tuple[float, float, float]:
    tp = len(pred & ref)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(ref) if ref else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def kappa(pairs: list[tuple[str, str]]) -> tuple[float | None, float | None]:
    """(Cohen's kappa, observed agreement) over paired stance labels; None where undefined."""
    if not pairs:
        return None, None
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[s] * cb[s] for s in STANCES) / (n * n)
    return ((po - pe) / (1 - pe) if pe < 1 else None), po


def scores(pred: dict[Key, str], ref: dict[Key, str], docs: set[str]) -> dict[str, float | int | None]:
    p = {k: v for k, v in pred.items() if k[0] in docs}
    r = {k: v for k, v in ref.items() if k[0] in docs}
    full = prf({(*k, v) for k, v in p.items()}, {(*k, v) for k, v in r.items()})
    keys = prf(set(p), set(r))
    k, acc = kappa([(p[x], r[x]) for x in sorted(set(p) & set(r))])
    return {
        "docs": len(docs),
        "pred": len(p),
        "ref": len(r),
        "matched": len(set(p) & set(r)),
        "P": full[0],
        "R": full[1],
        "F1": full[2],
        "P_key": keys[0],
        "R_key": keys[1],
        "F1_key": keys[2],
        "acc": acc,
        "kappa": k,
    }


def groups(docs: set[str]) -> list[tuple[str, set[str]]]:
    """('all', docs), then one group per topic and per split part, each restricted to docs."""
    with open(HERE / "sources.csv", encoding="utf-8", newline="") as fh:
        topic = {row["id"]: row["topic"] for row in csv.DictReader(fh)}
    parts = json.loads((HERE / "split.json").read_text(encoding="utf-8"))
    out = [("all", docs)]
    for t in ("ukraine", "gaza"):
        out.append((t, {d for d in docs if topic.get(d) == t}))
    for part in ("train", "dev", "test"):
        out.append((part, docs & set(parts[part])))
    return out


def fmt(x: float | int | None) -> str:
    if x is None:
        return "—"
    return f"{x:.3f}" if isinstance(x, float) else str(x)


def table(title: str, pred: dict[Key, str], ref: dict[Key, str]) -> list[str]:
    docs = {k[0] for k in pred} & {k[0] for k in ref}
    cols = ["docs", "pred", "ref", "P", "R", "F1", "P_key", "R_key", "F1_key", "matched", "acc", "kappa"]
    lines = [title, f"{'':8}" + "".join(f"{c:>8}" for c in cols)]
    for name, ds in groups(docs):
        if not ds:
            continue
        s = scores(pred, ref, ds)
        lines.append(f"{name:8}" + "".join(f"{fmt(s[c]):>8}" for c in cols))
    return lines


def main() -> int:
    p1, p2, gold = load("pass1.jsonl"), load("pass2.jsonl"), load("gold.jsonl")
    out = [
        "P/R/F1: micro over (doc, holder, issue, stance); *_key: over (doc, holder, issue);",
        "matched: rows both sides have; acc: stance agreement on them; kappa: Cohen's kappa on their stance.",
        "",
    ]
    out += table("pass 2 against pass 1 (docs in both passes)", p2, p1)
    if gold:
        out += ["", *table("pass 1 against gold (docs in gold)", p1, gold)]
        out += ["", *table("pass 2 against gold (docs in gold and pass 2)", p2, gold)]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
