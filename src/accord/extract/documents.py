"""Documents: reading .txt, .md and .html files and folders, with their metadata.

Metadata (``url``, ``date``, ``source``, ``title``) comes, first found wins,
from a front-matter block (``---`` … ``---`` of ``key: value`` lines at the top of
a .txt/.md file), a sidecar ``meta.jsonl`` in the file's folder (one JSON
object per line, keyed by ``doc`` = the file name without extension), or the
HTML itself (trafilatura reads ``<meta>``, JSON-LD and the page). A text without
a date gets the first date-only line near its top. HTML becomes text with
trafilatura (Barbaresi 2021, *Trafilatura: a web scraping library and
command-line tool for text discovery and extraction*).

Bad input never stops a run: :func:`read_documents` yields a :class:`Skipped`
with one reason (empty, binary, not UTF-8, too large, unreadable, not found,
unsupported type, no text) for each file it cannot use.

>>> doc = parse_text("---\\ntitle: Talks\\ndate: 2025-11-21\\n---\\nPutin said no.\\n", "a1")
>>> doc.title, doc.date.isoformat(), doc.text
('Talks', '2025-11-21', 'Putin said no.\\n')
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from accord.extract.dates import ABSOLUTE, parse_absolute

SUFFIXES = {".txt": "text", ".md": "text", ".markdown": "text", ".html": "html", ".htm": "html"}
SIDE_FILES = {"meta.jsonl", "gold.jsonl", "README.md", "README.txt", "README"}  # beside articles, not articles
MAX_BYTES = 5_000_000  # ~ 800,000 words: no news article comes close


@dataclass(frozen=True)
class Document:
    """One article: its id (file stem), text and metadata."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    date: dt.date | None = None
    source: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Skipped:
    """A file that was not processed, and why (one line)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.path}: {self.reason}"


_FRONT = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
_KV = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def _as_date(v: Any) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = str(v).strip().strip("'\"")
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return parse_absolute(s, None) if re.search(r"\d{4}", s) else None


def _meta(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("title", "url", "source"):
        v = raw.get(key)
        if v not in (None, ""):
            out[key] = str(v).strip().strip("'\"")
    if "source" not in out:
        for alt in ("publisher", "sitename", "site", "hostname"):
            if raw.get(alt):
                out["source"] = str(raw[alt])
                break
    d = _as_date(raw.get("date") or raw.get("published"))
    if d is not None:
        out["date"] = d
    return out


def date_from_text(text: str, lines: int = 12) -> dt.date | None:
    """The date of an article that prints it alone on a line near its top ("November 21, 2025").

    >>> date_from_text("Title\\n\\nNov 28, 2025\\n\\nBody.").isoformat()
    '2025-11-28'
    """
    for line in text.splitlines()[: lines * 3]:
        s = line.strip()
        if not s:
            continue
        m = ABSOLUTE.fullmatch(s)
        if m and re.search(r"\d{4}", s):
            return parse_absolute(s, None)
        lines -= 1
        if lines <= 0:
            break
    return None


def parse_text(text: str, doc_id: str, meta: dict[str, Any] | None = None, path: str | None = None) -> Document:
    """A :class:`Document` from plain text or markdown (front matter read and removed)."""
    found: dict[str, Any] = {}
    m = _FRONT.match(text)
    if m:
        raw = {}
        for line in m.group(1).splitlines():
            kv = _KV.match(line)
            if kv:
                raw[kv.group(1).lower()] = kv.group(2)
        found = _meta(raw)
        text = text[m.end() :]
    for k, v in _meta(meta or {}).items():
        found.setdefault(k, v)
    if "date" not in found:
        d = date_from_text(text)
        if d is not None:
            found["date"] = d
    return Document(id=doc_id, text=text, path=path, **found)


def parse_html(html: str, doc_id: str, meta: dict[str, Any] | None = None, path: str | None = None) -> Document | None:
    """A :class:`Document` from HTML via trafilatura (``None`` when it holds no article text)."""
    import trafilatura

    res = trafilatura.bare_extraction(html, with_metadata=True, include_tables=True, include_comments=False)
    if res is None:
        return None
    data = res.as_dict() if hasattr(res, "as_dict") else dict(res)
    text = (data.get("text") or "").strip()
    if not text:
        return None
    found = _meta(meta or {})
    for k, v in _meta(data).items():
        found.setdefault(k, v)
    return Document(id=doc_id, text=text + "\n", path=path, **found)


def _sidecar(folder: Path, cache: dict[Path, dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    if folder not in cache:
        rows: dict[str, dict[str, Any]] = {}
        side = folder / "meta.jsonl"
        if side.is_file():
            try:
                for line in side.read_text(encoding="utf-8").splitlines():
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError:
                        continue
                    key = row.get("doc") or Path(str(row.get("file") or row.get("path") or "")).stem
                    if key:
                        rows[str(key)] = row
            except (OSError, UnicodeDecodeError):
                pass
        cache[folder] = rows
    return cache[folder]


def expand(inputs: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named, and the article files (.txt .md .html) under folders named, in sorted order."""
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found = [
                f
                for f in p.rglob("*")
                if f.suffix.lower() in SUFFIXES
                and f.name not in SIDE_FILES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and (f.is_file() or f.is_symlink())
            ]
            out.extend(sorted(found))
        else:
            out.append(p)
    return out


def check_bytes(data: bytes, max_bytes: int = MAX_BYTES) -> str | None:
    """Why these bytes are no article (``None`` if they are fine).

    >>> check_bytes(b""), check_bytes(b"\\x00\\x01PK"), check_bytes(b"caf\\xe9")
    ('empty file', 'binary file (NUL bytes)', 'not UTF-8 (invalid byte 0xe9 at offset 3)')
    """
    if not data.strip():
        return "empty file" if not data else "empty file (only white space)"
    if len(data) > max_bytes:
        return f"too large ({len(data):,} bytes > limit {max_bytes:,})"
    head = data[:8192]
    if b"\x00" in head:
        return "binary file (NUL bytes)"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"not UTF-8 (invalid byte 0x{data[e.start]:02x} at offset {e.start})"
    ctrl = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f\v")
    if ctrl > max(8, len(text[:8192]) // 100):
        return "binary file (control characters)"
    return None


def read_document(
    path: Path, max_bytes: int = MAX_BYTES, sidecars: dict[Path, dict[str, dict[str, Any]]] | None = None
) -> Document | Skipped:
    """Read one file into a :class:`Document`, or say why it is skipped.

    A name that is not valid UTF-8 (bytes the file system kept as they were) is
    skipped: claims and reports carry the name as text.

    >>> print(read_document(Path(b"caf\\xe9.txt".decode("utf-8", "surrogateescape"))))
    skipped caf\\xe9.txt: file name is not valid UTF-8 (rename the file to read it)
    """
    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return Skipped(shown, "file name is not valid UTF-8 (rename the file to read it)")
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        return Skipped(name, f"unsupported file type {path.suffix or '(none)'!r} (use .txt, .md or .html)")
    try:
        st = path.stat()
    except FileNotFoundError:
        return Skipped(name, "not found")
    except OSError as e:
        return Skipped(name, f"unreadable ({e.strerror or e})")
    if not path.is_file():
        return Skipped(name, "not a regular file")
    if st.st_size > max_bytes:
        return Skipped(name, f"too large ({st.st_size:,} bytes > limit {max_bytes:,})")
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as e:
        return Skipped(name, f"unreadable ({e.strerror or e})")
    why = check_bytes(data, max_bytes)
    if why:
        return Skipped(name, why)
    text = data.decode("utf-8").lstrip("\ufeff")
    meta = _sidecar(path.parent, sidecars if sidecars is not None else {}).get(path.stem)
    if kind == "html":
        try:
            doc = parse_html(text, path.stem, meta, name)
        except Exception as e:  # lxml / trafilatura on broken markup
            return Skipped(name, f"HTML could not be parsed ({type(e).__name__})")
        if doc is None:
            return Skipped(name, "no article text found in the HTML")
        return doc
    doc = parse_text(text, path.stem, meta, name)
    if not doc.text.strip():
        return Skipped(name, "empty file (front matter only)")
    return doc


def read_documents(
    inputs: Iterable[str | os.PathLike[str]], max_bytes: int = MAX_BYTES
) -> Iterator[Document | Skipped]:
    """Every document under ``inputs`` in sorted order, or a :class:`Skipped` for each bad file.

    Two files with the same stem get ids ``stem`` and ``stem~2``.
    """
    sidecars: dict[Path, dict[str, dict[str, Any]]] = {}
    seen: dict[str, int] = {}
    for path in expand(inputs):
        res = read_document(path, max_bytes, sidecars)
        if isinstance(res, Document):
            n = seen.get(res.id, 0) + 1
            seen[res.id] = n
            if n > 1:
                res = replace(res, id=f"{res.id}~{n}")
        yield res
