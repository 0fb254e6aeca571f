"""The literal gate skips only patterns that cannot match: checked against the patterns run one by one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accord.extract import prefilter, stance
from accord.extract.documents import Document, read_documents
from accord.extract.pipeline import Extractor
from accord.extract.prefilter import GatedPattern, LiteralGate, fold, required_literals
from accord.extract.sentences import normalize, split_sentences
from accord.extract.stance import _compiled, find_cues
from accord.model import Case, load_case

from .conftest import ARTICLES, seeds_dir

CASES = Path(__file__).resolve().parents[2] / "src" / "accord" / "cases"
SAMPLE_DIRS = [CASES / "ukraine_2025" / "articles", CASES / "gaza_2025" / "articles"]
CUES = [rx for rx, *_ in _compiled()[0]]


def test_hand_worked_literals() -> None:
    assert required_literals(re.compile(r"(?:walk|walked) (?:out|away)")) == {
        "walk out",
        "walk away",
        "walked out",
        "walked away",
    }
    assert required_literals(re.compile(r"ab\w+cdefg")) == {"cdefg"}  # the rarer side of an unknown gap
    assert required_literals(re.compile(r"(?:x)?(?:red|blue) lines?")) == {"red line", "blue line"}
    assert required_literals(re.compile(r"(?:walk|\w+) (?:in|out)")) is None  # "\w+" needs nothing
    assert required_literals(re.compile(r"(?:hold)*out")) is None  # optional, and "out" is too short
    assert required_literals(re.compile(r"(?i)Putin")) == {"putin"}
    assert required_literals(re.compile(r"(?i)café")) is None  # a non-ASCII letter ignoring case: unknown


def test_folding_matches_ignorecase() -> None:
    # every letter IGNORECASE equates with an ASCII letter folds to that letter
    for ch in "İıſ\u212aABZ":
        low = [c for c in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(c, ch, re.I)]
        assert fold(ch) == low[0]
    gate = LiteralGate([re.compile(r"(?i)kiss")])
    assert gate.candidates("\u212aİſſ") == [0] and re.search(r"(?i)kiss", "\u212aİſſ")


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_every_match_contains_a_required_literal(data: st.DataObject) -> None:
    rx = data.draw(st.sampled_from(CUES))
    text = data.draw(st.from_regex(rx))
    assume(rx.search(text))
    need = required_literals(rx)
    assert need is None or any(s in fold(text) for s in need), (rx.pattern, text)


def test_gated_cues_equal_every_pattern_run() -> None:
    """Brute force: all 150-odd cue patterns on every fixture article give what the gate lets through."""
    gate = LiteralGate(CUES)
    docs = [d for d in read_documents([ARTICLES, *SAMPLE_DIRS]) if isinstance(d, Document)]
    assert len(docs) >= 10
    skipped = cues = 0
    for d in docs:
        low = d.text.lower()
        ran = set(gate.candidates(low))
        for i, rx in enumerate(CUES):
            if i not in ran:
                skipped += 1
                assert rx.search(low) is None, (d.id, rx.pattern)
        cues += len(find_cues(d.text))
    assert cues > 5 * len(docs)
    assert skipped > len(docs) * len(CUES) // 2  # the gate does skip most patterns


def test_present_literals_equal_substring_tests() -> None:
    gate = LiteralGate(CUES)
    for d in read_documents([ARTICLES, *SAMPLE_DIRS]):
        if isinstance(d, Document):
            assert gate.present(d.text) == {s for s in gate.literals if s in fold(d.text)}


@pytest.mark.parametrize("case_id", ["ukraine_2025", "gaza_2025"])
def test_gated_patterns_find_what_the_pattern_finds(case_id: str) -> None:
    """The extractor's gated patterns, sentence by sentence, against the same pattern run everywhere."""
    ex = Extractor(load_case(case_id), model=None)
    gated = [ex._counter_noun, ex._counter_ref]
    found = 0
    for d in read_documents([ARTICLES, *SAMPLE_DIRS]):
        if not isinstance(d, Document):
            continue
        for s in split_sentences(d.text, normalize(d.text)):
            for g in gated:
                want = [m.span() for m in g.pattern.finditer(s.text)]
                assert [m.span() for m in g.finditer(s.text)] == want
                assert (g.search(s.text) is None) == (not want)
                found += len(want)
    assert found > 0


class _Unknown:
    """A regex parser this walker does not know: one that fails, or one whose tree means something else."""

    def __init__(self, tree: list[tuple[object, object]] | None = None):
        self.tree = tree

    def parse(self, pattern: str, flags: int = 0) -> list[tuple[object, object]]:
        if self.tree is None:
            raise NotImplementedError("a parser from another Python")
        return self.tree


def test_an_unknown_parser_means_no_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    rx = re.compile("red lines?")
    assert required_literals(rx) == {"red line"}
    with monkeypatch.context() as m:
        m.setattr(prefilter, "_parser", _Unknown())  # the parse fails
        assert required_literals(rx) is None
        assert GatedPattern(rx).search("no red line here") is not None  # no gate: the pattern still runs
        m.setattr(prefilter, "_parser", _Unknown([(prefilter.C.LITERAL, ord("q"))] * 5))  # a tree, but wrong
        prefilter._parser_known.cache_clear()
        assert required_literals(rx) is None and LiteralGate([rx]).candidates("nothing") == [0]
        m.setattr(prefilter, "_parser", None)  # no parser at all
        prefilter._parser_known.cache_clear()
        assert required_literals(rx) is None
    prefilter._parser_known.cache_clear()
    assert required_literals(rx) == {"red line"}


def test_extraction_is_the_same_without_the_gate(
    case: Case, extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback is real: with the parser failing, nothing is gated and every claim is as before."""
    seeds = seeds_dir()
    docs = [d for d in read_documents([ARTICLES, *([seeds] if seeds else [])]) if isinstance(d, Document)]
    gated = [extractor.extract(d) for d in docs]
    try:
        with monkeypatch.context() as m:
            m.setattr(prefilter, "_parser", _Unknown())
            stance._compiled.cache_clear()
            plain = Extractor(case, model=None)
            assert stance._compiled()[1].literals == () and plain._counter_noun.need is None  # the gate is off
            ungated = [plain.extract(d) for d in docs]
    finally:
        stance._compiled.cache_clear()
    assert ungated == gated
    assert sum(len(r.claims) for r in gated) > 2 * len(docs)
