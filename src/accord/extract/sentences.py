"""Sentences with their character spans: paragraphs, bullets, table rows and headings.

:func:`normalize` maps a document's text to one of the same length (curly quotes
straightened, markdown link syntax and escapes blanked, line breaks as spaces),
so every offset found in the normalized text is an offset in the original.
:func:`split_sentences` cuts it into paragraphs — a line that stops mid-sentence
and a next line that starts in lower case are one paragraph — and each
paragraph into sentences with pysbd (Sadvilkar & Neumann 2020, *PySBD:
Pragmatic Sentence Boundary Disambiguation*), which keeps abbreviations
("U.S.", "Nov. 27") and quotes together. A paragraph with no inner boundary
candidate is one sentence and skips the segmenter.

>>> text = 'Putin said the U.S. plan "could be a basis." Kyiv disagreed.\\n\\n- Binding guarantees'
>>> [(s.kind, s.text) for s in split_sentences(text)]
[('text', 'Putin said the U.S. plan "could be a basis."'), ('text', 'Kyiv disagreed.'),
 ('bullet', 'Binding guarantees')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

SentenceKind = Literal["text", "heading", "bullet", "table", "quote"]

_SAME_LENGTH = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\t": " ",
        "\r": " ",
        "\u2011": "-",
        "\u2010": "-",
        "\u2012": "-",
    }
)
_MD_LINK = re.compile(r"\[([^\]\n]{0,300})\]\(([^)\s]{0,500})\)")
_ESCAPE = re.compile(r"\\([$*_#\[\]()`>-])")
_EMPH = re.compile(r"\*\*|__")
_BULLET = re.compile(r"^[ \t]*(?:[-*\u2022\u25aa\u25cf\u2013]|\d{1,2}[.)])[ \t]+")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}")
_TERMINAL = re.compile(r"[.!?:;\"')\]\u2026]\s*$")
_DANGLING = re.compile(
    r"(?:,|\b(?:unless|and|or|but|the|a|an|of|to|that|for|with|if|by|from|in|on|than|as|whether|because|while))$"
)
_INNER_BOUNDARY = re.compile(r"[.!?\u2026][\"')]*\s+[\"'(]*[A-Z0-9]")


@dataclass(frozen=True)
class Sentence:
    """One sentence (or bullet, heading or table row) of a document.

    ``start``/``end`` index the document's text; ``text`` is the normalized
    slice (same offsets), ``para`` the paragraph it belongs to.
    """

    index: int
    start: int
    end: int
    text: str
    para: int
    kind: SentenceKind = "text"

    @property
    def display(self) -> str:
        """The sentence with runs of white space collapsed (what a claim shows)."""
        return " ".join(self.text.split())


def normalize(text: str, *, keep_lines: bool = False) -> str:
    """Same-length normalization: straight quotes, no markdown link syntax, spaces for breaks.

    >>> normalize("Read [the draft](#) \\u201cnow\\u201d: \\\\$100")
    'Read  the draft     "now":  $100'
    >>> len(normalize("[a](b)")) == len("[a](b)")
    True
    """
    out = text.translate(_SAME_LENGTH)
    out = _MD_LINK.sub(lambda m: " " + m.group(1) + " " * (len(m.group(2)) + 3), out)
    out = _ESCAPE.sub(lambda m: " " + m.group(1), out)
    out = _EMPH.sub(lambda m: " " * len(m.group(0)), out)
    return out if keep_lines else out.replace("\n", " ")


@lru_cache(maxsize=1)
def _segmenter() -> object:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


@lru_cache(maxsize=4096)
def _split_block(block: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans inside one paragraph (pysbd only where a boundary is possible)."""
    if not _INNER_BOUNDARY.search(block.rstrip()):
        return ((0, len(block)),)
    spans = []
    for span in _segmenter().segment(block):  # type: ignore[attr-defined]
        spans.append((span.start, span.end))
    return tuple(spans) or ((0, len(block)),)


def _blocks(text: str) -> list[tuple[int, int, SentenceKind]]:
    """Paragraph blocks ``(start, end, kind)``; a line cut mid-sentence joins the next one."""
    lines: list[tuple[int, int]] = []
    pos = 0
    for raw in text.split("\n"):
        s, e = pos, pos + len(raw)
        pos = e + 1
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append((s + lead, s + lead + len(stripped)))
    blocks: list[tuple[int, int, SentenceKind]] = []
    i = 0
    while i < len(lines):
        s, e = lines[i]
        line = text[s:e]
        if line.startswith("|"):
            if not _TABLE_SEP.match(line.replace("|", " ", 1)):
                blocks.append((s, e, "table"))
            i += 1
            continue
        bullet = _BULLET.match(line)
        kind: SentenceKind = "bullet" if bullet else "text"
        if bullet:
            s += bullet.end()
        # join continuation lines: no terminal punctuation here, lower-case start there
        while i + 1 < len(lines):
            ns, ne = lines[i + 1]
            nxt = text[ns:ne]
            cur = text[s:e]
            if _TERMINAL.search(cur) or _BULLET.match(nxt) or nxt.startswith("|"):
                break
            if not (nxt[:1].islower() or _DANGLING.search(cur)):
                break
            e = ne
            i += 1
        if kind == "text" and not _TERMINAL.search(text[s:e]) and len(text[s:e].split()) <= 16:
            kind = "heading"
        blocks.append((s, e, kind))
        i += 1
    return blocks


def split_sentences(text: str, normalized: str | None = None) -> list[Sentence]:
    """Cut a document into sentences with spans into ``text``.

    ``normalized`` may pass ``normalize(text)`` when the caller already has it.

    >>> s = split_sentences("Trump set a deadline of Nov. 27 for Kyiv. Moscow said no.")
    >>> [x.text for x in s]
    ['Trump set a deadline of Nov. 27 for Kyiv.', 'Moscow said no.']
    >>> s[1].start, s[1].end
    (42, 57)
    """
    lined = normalize(text, keep_lines=True)
    norm = lined.replace("\n", " ") if normalized is None else normalized
    out: list[Sentence] = []
    for para, (bs, be, kind) in enumerate(_blocks(lined)):
        block = norm[bs:be]
        for ss, se in _split_block(block):
            piece = block[ss:se]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            start, end = bs + ss + lead, bs + se - trail
            if end <= start:
                continue
            sent_text = norm[start:end]
            sk: SentenceKind = kind
            if kind == "text" and sent_text[:1] == '"' and sent_text.rstrip()[-1:] in ('"', "'"):
                sk = "quote"
            out.append(Sentence(len(out), start, end, sent_text, para, sk))
    return out
