"""A trie of words matches what the plain alternation of the words (longest first) matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.extract.actors import ActorIndex
from accord.extract.documents import Document, read_documents
from accord.extract.trie import trie_alternation
from accord.model import load_case

from .conftest import ARTICLES
from .test_prefilter import SAMPLE_DIRS


def _flat(words: list[str], not_after: str) -> str:
    alts = "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)) if w)
    return f"(?<!{not_after})(?:{alts})" if not_after else f"(?:{alts})"


def _same(words: list[str], text: str, not_after: str = "[A-Za-z0-9]", tail: str = r"(?![A-Za-z0-9])('s|')?") -> None:
    flat = re.compile(f"({_flat(words, not_after)}){tail}")
    trie = re.compile(f"({trie_alternation(words, not_after=not_after)}){tail}")
    assert _found(trie, text) == _found(flat, text)


def _found(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in rx.finditer(text)]


def test_hand_worked() -> None:
    words = ["EU", "EU leaders", "Europe", "European Union", "E3"]
    text = "EU leaders and the European Union, the E3's envoys; EUROPE's EU's Europeans"
    rx = re.compile(f"({trie_alternation(words, not_after='[A-Za-z0-9]')})(?![A-Za-z0-9])('s|')?")
    assert [m.group(0) for m in rx.finditer(text)] == ["EU leaders", "European Union", "E3's", "EU's"]
    _same(words, text)
    assert re.compile(trie_alternation([])).search("anything") is None


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.text(alphabet="ab 's.", min_size=1, max_size=5), min_size=1, max_size=8),
    text=st.text(alphabet="ab 's.A", max_size=40),
)
def test_random_words_and_texts(words: list[str], text: str) -> None:
    _same(words, text)
    _same(words, text, not_after="", tail="")  # no boundaries: still the longest word first, then the next


@pytest.mark.parametrize("case_id", ["ukraine_2025", "gaza_2025"])
def test_actor_mentions_equal_the_plain_alternation(case_id: str) -> None:
    """Every bundled case's aliases on the fixture and sample articles: the same mentions, alias and span."""
    idx = ActorIndex(load_case(case_id).actors)
    docs = [d for d in read_documents([ARTICLES, *SAMPLE_DIRS]) if isinstance(d, Document)]
    flat = re.compile(rf"({_flat(list(idx._table), '[A-Za-z0-9]')})(?![A-Za-z0-9])('s|')?")
    found = 0
    for d in docs:
        want = _found(flat, d.text)
        assert idx._rx is not None and _found(idx._rx, d.text) == want
        found += len(want)
    assert found > 100
