"""A case's vocabulary lives in its folder: the move kept every claim, and a second case needs no code.

- the rule-based extractor's claims on every corpus of the repository (and on the
  shared seeds, where present) are those it gave while the vocabulary was still
  in code (``snapshots/rules.jsonl``, taken from commit b6969ff): the move changed
  nothing;
- nothing in ``src/accord/extract/`` names an actor, a name or an issue id of a
  bundled case outside its docstrings and comments;
- a hand-made case (``strait/``) with its own aliases, people, titles, demonyms,
  keywords, phrasings, ambiguous words, bans, ``on_signing`` and
  ``destination_of`` extracts its gold claims, and the bundled case's words
  mean nothing there.
"""

from __future__ import annotations

import ast
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from accord.extract.documents import Document, read_documents
from accord.extract.evaluate import evaluate, load_gold
from accord.extract.pipeline import Extractor
from accord.model import load_case
from accord.model.load import bundled_cases

from .conftest import claims_of, seeds_dir

HERE = Path(__file__).parent
SNAPSHOT = HERE / "snapshots" / "rules.jsonl"
STRAIT = HERE / "strait"
SAMPLE = Path(__file__).resolve().parents[2] / "src" / "accord" / "cases" / "ukraine_2025" / "articles"
CORPORA = {"heldout": SAMPLE, "dev2": HERE / "dev2", "articles": HERE / "articles", "extra": HERE / "extra"}
EXTRACT_SRC = Path(__file__).resolve().parents[2] / "src" / "accord" / "extract"


def _snapshot() -> dict[str, set[tuple[str, ...]]]:
    out: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for line in SNAPSHOT.read_text().splitlines():
        r = json.loads(line)
        out[r["corpus"]].add((r["doc"], r["holder"], r["issue"], r["stance"], r["basis"], str(r["start"])))
    return out


def _claims(extractor: Extractor, folder: Path) -> set[tuple[str, ...]]:
    docs = [d for d in read_documents([folder]) if isinstance(d, Document)]
    return {
        (c.doc, c.holder, c.issue, c.stance, c.basis, str(c.start))
        for d in docs
        for c in extractor.extract(d).claims
    }


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_claims_unchanged_by_the_move(extractor: Extractor, corpus: str) -> None:
    want = _snapshot()[corpus]
    assert want, f"the snapshot has no claims of {corpus}"
    assert _claims(extractor, CORPORA[corpus]) == want


@pytest.mark.skipif(seeds_dir() is None, reason="shared seed corpus not present")
def test_seed_claims_unchanged_by_the_move(extractor: Extractor) -> None:
    folder = seeds_dir()
    assert folder is not None
    assert _claims(extractor, folder) == _snapshot()["seeds"]


def _code_strings(path: Path) -> tuple[list[str], list[str]]:
    """String constants of a module that are not docstrings, and those used as keys: compared
    (``issue == "territory"``), in a dict or a set literal (``{"foreign_troops", …}``)."""
    tree = ast.parse(path.read_text())
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    strings = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
    ]
    keyed: list[ast.expr | None] = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Compare):
            keyed += [n.left, *n.comparators]
        elif isinstance(n, ast.Dict):
            keyed += [*n.keys, *n.values]
        elif isinstance(n, ast.Set):
            keyed += n.elts
    keys = [k.value for k in keyed if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    return strings, keys


def test_no_case_vocabulary_in_the_extractor() -> None:
    ids: set[str] = set()
    names: set[str] = set()
    for name in bundled_cases():
        case = load_case(name)
        ids |= {a.id for a in case.actors} | {i.id for i in case.issues}
        names |= {n for a in case.actors for n in (*a.names, *a.demonyms) if n[:1].isupper()}
    assert {"ukraine", "russia"} <= ids and {"Kyiv", "Putin", "Russian"} <= names  # the check can fail
    found = []
    for path in sorted(EXTRACT_SRC.glob("*.py")):
        strings, keys = _code_strings(path)
        found += [f"{path.name}: id {k!r}" for k in keys if k in ids]
        for s in strings:
            for n in names:
                # "US$" is a currency sign, not the actor
                if re.search(rf"(?<![A-Za-z]){re.escape(n)}(?![A-Za-z]|\\\$)", s):
                    found.append(f"{path.name}: {n!r} in {s[:60]!r}")
    assert not found, found


@pytest.fixture(scope="module")
def strait() -> Extractor:
    return Extractor(load_case(STRAIT / "case"), model=None)


def test_second_case_extracts_its_gold_with_no_code_change(strait: Extractor) -> None:
    docs = [d for d in read_documents([STRAIT / "articles"]) if isinstance(d, Document)]
    claims = [c for d in docs for c in strait.extract(d).claims]
    ev = evaluate(claims, load_gold(STRAIT / "articles" / "gold.jsonl"))
    assert (ev.strict.tp, ev.strict.fp, ev.strict.fn) == (10, 0, 0), (ev.missed, ev.spurious, ev.wrong_stance)
    speakers = {(c.doc[:2], c.issue): c.speaker for c in claims}
    assert speakers[("s1", "fishing")] == "Mira Voss"  # a person of the case, named in full
    assert speakers[("s1", "warships")] == "Mira Voss"  # "Voss" after the text gave her full name
    assert speakers[("s2", "harbour_fund")] is None  # "the harbour minister": a title, not a name


def test_the_bundled_case_words_mean_nothing_in_another_case(strait: Extractor) -> None:
    text = "Kyiv rejected the 600,000 cap on its army. Putin said NATO membership was a red line."
    assert claims_of(strait, text) == set()


def test_ambiguous_words_need_a_clear_keyword_near(strait: Extractor) -> None:
    assert claims_of(strait, "Voss rejected the new nets.") == set()
    assert claims_of(strait, "Voss rejected the fishing quota and the new nets.") == {("aldria", "fishing", "oppose")}


def test_ban_on_signing_and_destination_come_from_the_case(strait: Extractor) -> None:
    # rejecting what the plan bans agrees with it (ban: true)
    assert claims_of(strait, "Brandt rejected Aldrian warships in the strait.") == {("bervania", "warships", "support")}
    # refusing a truce before a settlement agrees with a plan that starts it on signing (on_signing: true)
    assert claims_of(strait, "Kessa rejected a truce before a final settlement.") == {("bervania", "truce", "support")}
    assert claims_of(strait, "Kessa rejected a truce.") == {("bervania", "truce", "oppose")}
    # tolls going into the fund: the fund is where they go, not a topic (destination_of: [tolls])
    text = "Voss rejected sending the tolls into the harbour fund."
    assert claims_of(strait, text) == {("aldria", "tolls", "oppose")}


def test_demonyms_and_titles_name_their_actor(strait: Extractor) -> None:
    assert claims_of(strait, "The Bervanian side rejected the fishing quota.") == {("bervania", "fishing", "oppose")}
    assert claims_of(strait, "The Aldrian premier welcomed the truce.") == {("aldria", "truce", "support")}
    # a demonym before the plan's noun makes its owner; a counter-proposal is anyone else's version
    assert ("corland", "plan", "support") in claims_of(strait, "The Corlish plan was published on Monday.")
    assert ("aldria", "plan", "conditional") in claims_of(strait, "Port Alder circulated an Aldrian version.")
