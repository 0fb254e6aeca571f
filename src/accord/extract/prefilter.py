"""Skip regexes that cannot match a text: the literal strings every match of a pattern must contain.

Scanning a text with 150 cue patterns one after the other costs 150 passes
over it, though most patterns cannot match: "balk at" needs ``"balk"``.
:func:`required_literals` reads a compiled pattern's parse tree and returns a
set of strings of which **every match contains at least one** (``None`` when
nothing can be said, e.g. ``\\w+``); :class:`LiteralGate` checks those strings
with plain substring tests and names the patterns worth running. Skipping a
pattern whose strings are all absent changes nothing: it had no match.

Case is folded on both sides (ASCII letters, and the four non-ASCII letters
that ``re.IGNORECASE`` equates with ASCII ones), so the same strings serve
case-sensitive and case-insensitive patterns; a case-insensitive pattern's
non-ASCII letters give no literal.

The parse tree is the standard library's own (``re._parser``, private: it
was ``sre_parse`` before Python 3.11). Where that parser is missing, fails, or
gives a tree the walker does not read as it should (checked once on a known
pattern), every pattern's literals are ``None``: no gate, the same matches,
only slower. The walker's literals are those of CPython 3.11, 3.12 and 3.13.

>>> sorted(required_literals(re.compile(r"(?<![a-z])(?:balk|balks|balked) at(?![a-z])")))
['balk at', 'balked at', 'balks at']
>>> sorted(required_literals(re.compile(r"(?i)no \\w+ (?:should|must) (?:remain|stay)")))
[' must remain', ' must stay', ' should remain', ' should stay']
>>> required_literals(re.compile(r"\\w+ing")) is None  # "ing" is too short to be worth a test
True
>>> gate = LiteralGate([re.compile("cold water"), re.compile("red lines?"), re.compile(r"\\d+")])
>>> gate.candidates("Kyiv poured cold water on it.")
[0, 2]
>>> rx = GatedPattern(re.compile(r"(?i)counter-?proposals?"))
>>> rx.search("no deal") is None, rx.search("Their COUNTER-PROPOSAL").group()
(True, 'COUNTER-PROPOSAL')
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import product
from typing import Any

from accord.extract.trie import trie_alternation

try:  # the standard library's own regex parser and its opcodes (private; typeshed omits them)
    _parser: Any = importlib.import_module("re._parser")
    C: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - another Python: no gate
    _parser = C = None

__all__ = ["GatedPattern", "LiteralGate", "fold", "required_literals"]

# the letters re.IGNORECASE matches to an ASCII letter: A–Z, and İ ı ſ K (Kelvin sign)
_FOLD = {**{c: c + 32 for c in range(65, 91)}, 0x130: ord("i"), 0x131: ord("i"), 0x17F: ord("s"), 0x212A: ord("k")}
_MAX_SET = 64  # the most alternative strings one literal set may hold
_RARE = 8  # literals this long are rare in news text: among them, fewer strings beat longer ones
_MIN_LEN = 4  # shorter literals are in almost every text: no gain in testing them

Literals = frozenset[str]


def fold(text: str) -> str:
    """``text`` with case folded as :class:`LiteralGate` compares it (same length; only letters that match ASCII).

    >>> fold("KYIV İs")
    'kyiv is'
    """
    return text.translate(_FOLD)


def required_literals(pattern: re.Pattern[str]) -> Literals | None:
    """Strings (case folded) of which every match of ``pattern`` contains one, or ``None`` if none are known.

    ``None`` too where the standard library's parser is missing or not what the walker knows (see above).
    """
    return _literals(pattern) if _parser_known() else None


def _literals(pattern: re.Pattern[str]) -> Literals | None:
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
        _, req = _sequence(list(tree), bool(pattern.flags & re.IGNORECASE))
    except Exception:  # a parser or a node this walker does not know: nothing can be said
        return None
    return req if req is not None and _score(req)[0] >= _MIN_LEN else None


_CANARY = (r"(?i)(?<![a-z])(?:balk|stall(?:ed)?)[- ]at\b\d{2}", {"balk at", "balk-at", "stall at", "stall-at",
                                                                   "stalled at", "stalled-at"})


@cache
def _parser_known() -> bool:
    """Whether the parser is there and the walker reads its tree right (a pattern with a known answer)."""
    return _parser is not None and _literals(re.compile(_CANARY[0])) == _CANARY[1]


def _score(lits: Literals) -> tuple[int, int, int]:
    """Longer strings first up to 8 characters (rare enough), then fewer strings, then longer ones."""
    shortest = min(map(len, lits))
    return (min(shortest, _RARE), -len(lits), shortest)


def _best(*sets: Literals | None) -> Literals | None:
    known = [s for s in sets if s is not None and s and _score(s)[0] > 0]
    return max(known, key=_score) if known else None


def _join(a: Literals, b: Literals) -> Literals | None:
    if len(a) * len(b) > _MAX_SET:
        return None
    return frozenset(x + y for x, y in product(a, b))


def _sequence(items: list[tuple[object, object]], ci: bool) -> tuple[Literals | None, Literals | None]:
    """(every string the sequence can match, if few; strings one of which each match contains)."""
    nodes = [_node(op, av, ci) for op, av in items]
    # every contiguous run of exactly known elements gives the product of their strings
    cands: list[Literals | None] = [req for _, req in nodes]
    for i in range(len(nodes)):
        acc: Literals | None = frozenset({""})
        for j in range(i, len(nodes)):
            ex = nodes[j][0]
            if ex is None or acc is None:
                break
            acc = _join(acc, ex)
            if acc is not None:
                cands.append(acc)
    exact: Literals | None = frozenset({""})
    for ex, _ in nodes:
        exact = _join(exact, ex) if exact is not None and ex is not None else None
    return exact, _best(*cands)


def _node(op: Any, av: Any, ci: bool) -> tuple[Literals | None, Literals | None]:
    """(exact strings, required strings) of one parse node."""
    if op is C.LITERAL or op is C.IN:
        items = [(op, av)] if op is C.LITERAL else av
        chars = set()
        for iop, iav in items:
            ch = chr(iav) if iop is C.LITERAL else ""
            if not ch or (ci and not ch.isascii()):
                return None, None  # a range, a category, a negation; a letter whose other case is not folded
            chars.add(fold(ch))
        s = frozenset(chars)
        return (s, s) if len(s) <= _MAX_SET else (None, None)
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return frozenset({""}), None  # zero width
    if op is C.SUBPATTERN:
        _group, add, drop, sub = av
        return _sequence(list(sub), (ci or bool(add & re.IGNORECASE)) and not drop & re.IGNORECASE)
    if op is C.ATOMIC_GROUP:
        return _sequence(list(av), ci)
    if op is C.BRANCH:
        alts = [_sequence(list(alt), ci) for alt in av[1]]
        exacts = [ex for ex, _ in alts]
        reqs = [_best(req, ex) for ex, req in alts]
        exact = frozenset().union(*exacts) if all(e is not None for e in exacts) else None  # type: ignore[arg-type]
        req = frozenset().union(*reqs) if all(r is not None for r in reqs) else None  # type: ignore[arg-type]
        return (exact if exact is not None and len(exact) <= _MAX_SET else None), req
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        ex, req = _sequence(list(sub), ci)
        return (_repeat(ex, lo, hi) if ex is not None else None), (_best(req, ex) if lo >= 1 else None)
    return None, None  # any character, a back-reference, a conditional: nothing known


def _repeat(ex: Literals, lo: int, hi: int) -> Literals | None:
    """The strings of ``lo`` to ``hi`` repetitions of strings ``ex`` (``None`` if too many)."""
    if hi > 3:
        return None
    out: set[str] = {""} if lo == 0 else set()
    power: Literals | None = frozenset({""})
    for k in range(1, hi + 1):
        power = _join(power, ex) if power is not None else None
        if power is None:
            return None
        if k >= lo:
            out |= power
    return frozenset(out) if len(out) <= _MAX_SET else None


class LiteralGate:
    """The patterns of a list that can match a text, judged by their required literals.

    ``candidates(text)`` lists, in order, the indices of the patterns that may
    match ``text`` (every one whose literals are unknown, and every one with a
    literal present); the others have no match in it.

    The literals are found in one pass: a trie of them in a lookahead gives,
    at each position, the longest literal that starts there, and with it every
    literal that is a prefix of it (all the others starting there).
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]]):
        self.needs = [required_literals(p) for p in patterns]
        self.literals = tuple(sorted({s for need in self.needs if need for s in need}))
        self._scan = re.compile(f"(?=({trie_alternation(self.literals)}))")
        self._prefixes = {s: frozenset(p for p in self.literals if s.startswith(p)) for s in self.literals}

    def present(self, text: str) -> set[str]:
        """The literals that occur in ``text`` (case folded)."""
        out: set[str] = set()
        for m in self._scan.finditer(fold(text)):
            out |= self._prefixes[m.group(1)]
        return out

    def candidates(self, text: str) -> list[int]:
        present = self.present(text)
        return [i for i, need in enumerate(self.needs) if need is None or not need.isdisjoint(present)]


class GatedPattern:
    """A compiled pattern run only on texts that hold one of its required literals: the same matches, sooner."""

    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern
        self.need = required_literals(pattern)

    def possible(self, text: str) -> bool:
        """False only where the pattern cannot match ``text``."""
        if self.need is None:
            return True
        folded = fold(text)
        return any(s in folded for s in self.need)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.possible(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.possible(text) else iter(())
