"""The literal gate skips only patterns that cannot match: checked against the patterns run one by one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accord.extract.documents import Document, read_documents
from accord.extract.pipeline import Extractor
from accord.extract.prefilter import LiteralGate, fold, required_literals
from accord.extract.sentences import normalize, split_sentences
from accord.extract.stance import _compiled, find_cues
from accord.model import load_case

from .conftest import ARTICLES

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
