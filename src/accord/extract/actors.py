"""Actors in text: the names a case gives its actors, and who is speaking.

:class:`ActorIndex` compiles every name of every actor of a case — its
``aliases``, ``people`` and ``titles``, and each of its ``demonyms`` before a
head noun of :data:`~accord.extract.lexicon.HOLDER_HEADS` ("the Russian
side") — into one regular expression (longest first, case-sensitive so that
"US" is not "us"; a lower-case name such as "the administration" also matches
its capitalised form, and "Russian president" also "Russian President").
Nothing here knows a case: the vocabulary is the case's (docs/case-format.md).
:class:`SpeakerTracker` carries the discourse state needed for "he said" back
to the last named speaker — the recency heuristic of Hobbs (1978, *Resolving
pronoun references*) restricted to speakers, as in quote attribution systems
(Pareti 2015, *Attribution: a computational approach*).

>>> from accord.model import Actor
>>> idx = ActorIndex([Actor(id="alba", name="Alba", aliases=["the Citadel"], people=["Rowan"],
...                         demonyms=["Alban"], capability=0.3, batna=0.5)])
>>> [(m.actor, m.alias, m.possessive) for m in idx.mentions("The Citadel said Rowan's view is firm.")]
[('alba', 'The Citadel', False), ('alba', 'Rowan', True)]
>>> [m.alias for m in idx.mentions("The Alban side disagreed.")], idx.is_person("Rowan")
(['Alban side'], True)
>>> t = SpeakerTracker()
>>> t.update(("alba",), 3)
>>> t.resolve(4)
('alba',)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from accord.extract.lexicon import HOLDER_HEADS
from accord.extract.trie import trie_alternation
from accord.model import Actor


@dataclass(frozen=True)
class Mention:
    """One mention of an actor: the alias as written and its span in the text."""

    actor: str
    alias: str
    start: int
    end: int
    possessive: bool = False


def _variants(alias: str) -> set[str]:
    out = {alias}
    if alias.isupper() or any(c.isdigit() for c in alias):
        return out
    out.add(alias[:1].upper() + alias[1:])
    out.add(" ".join(w[:1].upper() + w[1:] for w in alias.split(" ")))
    return out


_PEOPLE_OF = re.compile(
    r"(?<![A-Za-z])(?:(?:a|an|one|two|three|some|several|the)\s+)?(?:(?:senior|junior|top|other)\s+)?"
    r"(?:members?|officials?|diplomats?|representatives?|spokes(?:man|woman|person)|envoys?|negotiators?|aides?|"
    r"sources?|people)\s+(?:of|for|from|in|at|close to)\s+(?:the\s+)?$"
)
_PEOPLE_AFTER = re.compile(
    r"\s+(?:(?:top|senior|chief|own)\s+)?(?:officials|diplomats|negotiators|negotiator|delegation|government|"
    r"leaders|leader|leadership|envoys?|team|president|spokes(?:man|woman|person)|foreign minister|administration|"
    r"authorities|allies)(?![A-Za-z])"
)


class ActorIndex:
    """Every alias of every actor, compiled once; :meth:`mentions` finds them in a text."""

    def __init__(self, actors: Iterable[Actor]):
        table: dict[str, str] = {}
        people: set[str] = set()
        demonyms: dict[str, str] = {}
        for actor in actors:
            for alias in (actor.id, actor.name, *actor.names):
                if len(alias) < 2 or (alias == actor.id and alias.islower()):
                    continue
                for v in _variants(alias):
                    table.setdefault(v, actor.id)
            people.update(actor.people)
            for adj in actor.demonyms:
                demonyms.setdefault(adj, actor.id)
        for adj, actor_id in demonyms.items():
            if adj[:1].isupper() and not adj.endswith("'s"):
                for head in HOLDER_HEADS:
                    for v in _variants(f"{adj} {head}"):
                        table.setdefault(v, actor_id)
        self.actor_ids: tuple[str, ...] = tuple(sorted(set(table.values())))
        self._table = table
        self._people = frozenset(people)
        # the aliases as a trie: the longest alias that ends at a word boundary, without trying each in turn
        alts = trie_alternation(table, not_after="[A-Za-z0-9]")
        self._rx = re.compile(rf"({alts})(?![A-Za-z0-9])('s|')?") if table else None
        self._demonyms = demonyms
        dalts = "|".join(re.escape(a) for a in sorted(demonyms, key=lambda a: (-len(a), a)))
        self._drx = re.compile(rf"(?<![A-Za-z0-9])({dalts})(?![A-Za-z0-9])") if dalts else None

    def is_person(self, alias: str) -> bool:
        """Whether ``alias`` (as matched) is the name of a person of the case (``people``), not a place or title."""
        return alias in self._people

    def demonym_alternation(self) -> str:
        """A regex alternation of the case's demonyms (longest first; ``(?!)`` if none): "American|Russian|…"."""
        return "|".join(re.escape(a) for a in sorted(self._demonyms, key=lambda a: (-len(a), a))) or "(?!)"

    def mentions(self, text: str) -> list[Mention]:
        """Actor mentions in order of appearance (longest alias wins at each place)."""
        if self._rx is None:
            return []
        out = []
        for m in self._rx.finditer(text):
            alias = m.group(1)
            end, poss = m.end(), bool(m.group(2))
            # "Kyiv's negotiators", "Moscow's envoy": the people of an actor are that actor, not a possessive
            head = _PEOPLE_AFTER.match(text, end) if poss else None
            if head:
                end, poss = head.end(), False
            # "a member of the Ukrainian delegation", "officials in Brussels": the people are the actor
            start = m.start(1)
            lead = _PEOPLE_OF.search(text, max(0, start - 80), start)
            if lead and not poss:
                start = lead.start()
            # "Russian" alone is a demonym, matched by demonyms(); aliases need their full form
            out.append(Mention(self._table[alias], alias, start, end, poss))
        return out

    def demonyms(self, text: str) -> list[Mention]:
        """Adjectives of nationality ("American", "Russian"): used only for a plan's owner."""
        if self._drx is None:
            return []
        return [Mention(self._demonyms[m.group(1)], m.group(1), m.start(), m.end()) for m in self._drx.finditer(text)]


@dataclass
class SpeakerTracker:
    """The last named speaker of a document and where it spoke (sentence index).

    A pronoun subject ("he said", "His response") resolves to the last speaker
    if it spoke within ``window`` sentences.
    """

    window: int = 12
    speaker: tuple[str, ...] = ()
    at: int = -10_000
    history: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)

    def update(self, actors: tuple[str, ...], sentence: int) -> None:
        """Record that ``actors`` spoke (or took a stance) in sentence ``sentence``."""
        if actors:
            self.speaker, self.at = actors, sentence
            self.history.append((sentence, actors))

    def last_distinct(self, sentence: int, n: int) -> tuple[str, ...]:
        """The last ``n`` distinct actors that spoke within ``window`` sentences ("the two sides said")."""
        out: list[str] = []
        for at, actors in reversed(self.history):
            if sentence - at > self.window:
                break
            for a in actors:
                if a not in out:
                    out.append(a)
        return tuple(out[:n])

    def resolve(self, sentence: int) -> tuple[str, ...]:
        """The speaker a pronoun in sentence ``sentence`` refers to, or ``()``."""
        if self.speaker and sentence - self.at <= self.window:
            return self.speaker
        return ()
