"""The ledger in a database: append (O(log n), idempotent, locked), read, prove, audit, back up.

>>> import tempfile, os
>>> from accord.monitor.keys import private_key_from_seed
>>> from accord.monitor.ledger import Entry, verify_inclusion
>>> store = Store.open("sqlite:///" + os.path.join(tempfile.mkdtemp(), "doc.db"))
>>> key = private_key_from_seed(bytes(32))
>>> with store.writer(key) as w:
...     out = w.append([Entry("note", "a", {"n": 1}), Entry("note", "b", {"n": 2})])
>>> [o.seq for o in out], store.size()
([0, 1], 2)
>>> with store.writer(key) as w:      # the same entry again is stored once
...     [o.new for o in w.append([Entry("note", "a", {"n": 1})])]
[False]
>>> p = store.inclusion_proof(1)
>>> verify_inclusion(p.leaf_hash, p.index, p.size, p.path, p.root)
True
>>> store.audit().ok
True
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.engine import Connection

from accord.errors import AccordError
from accord.monitor import keys as _keys
from accord.monitor.ledger import (
    EMPTY_ROOT,
    Audit,
    Entry,
    Frontier,
    Seal,
    StoredEntry,
    TreeHead,
    audit,
    consistency_path,
    frontier_positions,
    inclusion_path,
    leaf_hash,
    range_hash,
    seal_entries,
    seal_head,
    sign_tree_head,
    verify_consistency,
    verify_inclusion,
)
from accord.store import migrate
from accord.store.db import make_engine, reading, writing
from accord.store.schema import ledger_entry, ledger_node, log_key, tree_head
from accord.store.url import normalize_url, redact

EXPORT_FORMAT = "accord-ledger"
EXPORT_VERSION = 1
_CHUNK = 500


@dataclass(frozen=True)
class Appended:
    """The outcome of appending one entry: its position and whether it was new."""

    seq: int
    leaf_hash: bytes
    new: bool


@dataclass(frozen=True)
class InclusionProof:
    index: int
    size: int
    leaf_hash: bytes
    root: bytes
    path: tuple[bytes, ...]

    def verify(self) -> bool:
        return verify_inclusion(self.leaf_hash, self.index, self.size, self.path, self.root)

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "size": self.size, "leaf_hash": self.leaf_hash.hex(),
                "root": self.root.hex(), "path": [p.hex() for p in self.path]}


@dataclass(frozen=True)
class ConsistencyProof:
    old_size: int
    size: int
    old_root: bytes
    root: bytes
    path: tuple[bytes, ...]

    def verify(self) -> bool:
        return verify_consistency(self.old_size, self.size, self.old_root, self.root, self.path)

    def to_json(self) -> dict[str, Any]:
        return {"old_size": self.old_size, "size": self.size, "old_root": self.old_root.hex(),
                "root": self.root.hex(), "path": [p.hex() for p in self.path]}


@dataclass(frozen=True)
class Commit:
    """One committed write, as :attr:`Store.on_commit` hears it: the ledger's size before and after, the tree
    head it signed, that head checked as :meth:`Store.head_seal` checks it (its signature with the writer's
    key, its size and root against the stored tree — the root computed from the stored nodes in the same
    transaction), the ``(kind, ref)`` of each entry appended, and the compliance tallies it changed
    (:attr:`LedgerWriter.tallied`)."""

    start_size: int
    size: int
    head: TreeHead
    seal: Seal
    added: tuple[tuple[str, str], ...]
    tallied: dict[str, Any] | None


def _head(row: Any) -> TreeHead:
    return TreeHead(int(row.size), bytes(row.root), int(row.timestamp), row.key_id, row.signature)


class _Nodes:
    """Node look-ups against one connection, cached."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.cache: dict[tuple[int, int], bytes] = {}

    def prefetch(self, positions: Sequence[tuple[int, int]]) -> None:
        todo = [p for p in positions if p not in self.cache]
        for i in range(0, len(todo), 100):
            part = todo[i:i + 100]
            cond = or_(*(and_(ledger_node.c.level == lv, ledger_node.c.idx == ix) for lv, ix in part))
            for row in self.conn.execute(select(ledger_node).where(cond)):
                self.cache[(int(row.level), int(row.idx))] = bytes(row.hash)

    def __call__(self, level: int, idx: int) -> bytes:
        key = (level, idx)
        if key not in self.cache:
            self.prefetch([key])
            if key not in self.cache:
                raise AccordError(f"the ledger's tree node ({level},{idx}) is missing — run `accord ledger verify`")
        return self.cache[key]


class LedgerWriter:
    """Appends inside one locked transaction; :meth:`Store.writer` signs a tree head at the end."""

    def __init__(self, conn: Connection, store: Store):
        self.conn = conn
        self.store = store
        self.size = int(conn.execute(select(func.count()).select_from(ledger_entry)).scalar() or 0)
        self.start_size = self.size
        self.timestamp = _now_ms()
        """The moment of this write (ms): the timestamp of the tree head that ends it."""
        self._frontier: Frontier | None = None
        self.added: list[tuple[str, str]] = []
        """``(kind, ref)`` of each entry this write appended."""
        self.tallied: dict[str, Any] | None = None
        """The compliance tallies this write changed, by obligation, when :func:`accord.store.board.refresh`
        could tell them (None: not known; readers compute their boards again)."""

    @property
    def moment(self) -> dt.datetime:
        """The moment of this write, when what it appends reaches the ledger (UTC)."""
        return dt.datetime.fromtimestamp(self.timestamp / 1000, dt.UTC)

    def _load_frontier(self) -> Frontier:
        if self._frontier is None:
            nodes = _Nodes(self.conn)
            positions = frontier_positions(self.size)
            nodes.prefetch(positions)
            self._frontier = Frontier(self.size, [nodes(lv, ix) for lv, ix in positions])
        return self._frontier

    def existing(self, hashes: Iterable[bytes]) -> dict[bytes, int]:
        """Which of these leaf hashes are already in the log, and where."""
        out: dict[bytes, int] = {}
        hs = list(dict.fromkeys(hashes))
        for i in range(0, len(hs), _CHUNK):
            part = hs[i:i + _CHUNK]
            rows = self.conn.execute(
                select(ledger_entry.c.leaf_hash, ledger_entry.c.seq).where(ledger_entry.c.leaf_hash.in_(part)))
            out.update((bytes(h), int(s)) for h, s in rows)
        return out

    def append(self, entries: Sequence[Entry]) -> list[Appended]:
        """Append entries in order; an entry already in the log (same bytes) is not stored again."""
        encoded = [e.encode() for e in entries]
        hashes = [leaf_hash(b) for b in encoded]
        seen = self.existing(hashes)
        frontier = self._load_frontier()
        out: list[Appended] = []
        rows: list[dict[str, Any]] = []
        nodes: list[dict[str, Any]] = []
        for e, raw, h in zip(entries, encoded, hashes, strict=True):
            if h in seen:
                out.append(Appended(seen[h], h, False))
                continue
            seq = self.size
            rows.append({"seq": seq, "kind": e.kind, "ref": e.ref, "content": raw.decode("utf-8"), "leaf_hash": h})
            nodes.extend({"level": lv, "idx": ix, "hash": nh} for lv, ix, nh in frontier.append(h))
            seen[h] = seq
            self.size += 1
            self.added.append((e.kind, e.ref))
            out.append(Appended(seq, h, True))
        for i in range(0, len(rows), _CHUNK * 4):
            self.conn.execute(ledger_entry.insert(), rows[i:i + _CHUNK * 4])
        for i in range(0, len(nodes), _CHUNK * 4):
            self.conn.execute(ledger_node.insert(), nodes[i:i + _CHUNK * 4])
        return out

    def entries(self, kinds: Sequence[str] | None = None) -> list[tuple[int, Entry]]:
        """Entries as this transaction sees them (including its own appends)."""
        return self.store._entries(self.conn, kinds)

    def root(self) -> bytes:
        return self._load_frontier().root() if self.size else EMPTY_ROOT


class Store:
    """A database holding the ledger. Open with :meth:`open` (runs migrations)."""

    def __init__(self, url: str, engine: Engine | None = None):
        self.url = normalize_url(url)
        self.engine = engine or make_engine(self.url)
        self.on_commit: Callable[[Commit], None] | None = None
        """Called with each write that appended something, once it is committed, in the writing thread."""

    def __repr__(self) -> str:
        return f"Store({redact(self.url)!r})"

    @classmethod
    def open(cls, url: str, upgrade: bool = True) -> Store:
        store = cls(url)
        if upgrade:
            try:
                migrate.upgrade(store.engine)
            except AccordError:
                raise
            except Exception as e:  # connection refused, bad credentials, unreadable file…
                raise AccordError(f"cannot open database {redact(url)}: {_first_line(e)}") from None
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------
    @contextmanager
    def writer(self, signer: _keys.Ed25519PrivateKey | None) -> Iterator[LedgerWriter]:
        """A locked write transaction; if it appended anything, a new signed tree head ends it."""
        commit: Commit | None = None
        with writing(self.engine) as conn:
            pub = _keys.public_key_hex(signer) if signer is not None else None
            known = {r.key_id: r.public_key for r in conn.execute(select(log_key))}
            if pub is not None and known and _keys.key_id(pub) not in known:
                raise AccordError(
                    f"this ledger's tree heads are signed with log key {', '.join(sorted(known))}; "
                    f"the log key given is {_keys.key_id(pub)} — give the ledger's own key with --log-key"
                )
            w = LedgerWriter(conn, self)
            yield w
            if w.size > w.start_size:
                if signer is None or pub is None:
                    raise AccordError("appending to the ledger needs the log key (give --log-key)")
                if not known:
                    conn.execute(log_key.insert().values(key_id=_keys.key_id(pub), public_key=pub,
                                                         created=_now_ms()))
                    known = {_keys.key_id(pub): pub}
                root = w.root()
                head = sign_tree_head(signer, w.size, root, w.timestamp)
                conn.execute(tree_head.insert().values(
                    size=head.size, root=head.root, timestamp=head.timestamp, key_id=head.key_id,
                    signature=head.signature))
                if self.on_commit is not None:
                    commit = Commit(w.start_size, w.size, head, seal_head(head, w.size, root, known, pub),
                                    tuple(w.added), w.tallied)
        if commit is not None and self.on_commit is not None:
            self.on_commit(commit)

    # -- reading --------------------------------------------------------------------------
    def size(self) -> int:
        with reading(self.engine) as conn:
            return int(conn.execute(select(func.count()).select_from(ledger_entry)).scalar() or 0)

    def _entries(self, conn: Connection, kinds: Sequence[str] | None) -> list[tuple[int, Entry]]:
        q = select(ledger_entry.c.seq, ledger_entry.c.content).order_by(ledger_entry.c.seq)
        if kinds is not None:
            q = q.where(ledger_entry.c.kind.in_(list(kinds)))
        return [(int(seq), Entry.decode(content)) for seq, content in conn.execute(q)]

    def entries(self, kinds: Sequence[str] | None = None) -> list[tuple[int, Entry]]:
        """``(seq, entry)`` in log order, optionally only some kinds."""
        with reading(self.engine) as conn:
            return self._entries(conn, kinds)

    def entry(self, seq: int) -> Entry:
        with reading(self.engine) as conn:
            content = conn.execute(select(ledger_entry.c.content).where(ledger_entry.c.seq == seq)).scalar()
        if content is None:
            raise AccordError(f"the ledger has no entry #{seq}")
        return Entry.decode(content)

    def tree_heads(self) -> list[TreeHead]:
        with reading(self.engine) as conn:
            return [_head(r) for r in conn.execute(select(tree_head).order_by(tree_head.c.size))]

    def latest_head(self) -> TreeHead | None:
        with reading(self.engine) as conn:
            row = conn.execute(select(tree_head).order_by(tree_head.c.size.desc()).limit(1)).first()
        return _head(row) if row is not None else None

    def arrivals(self) -> list[tuple[int, int]]:
        """``(size, timestamp ms)`` of every signed tree head, by size: entry ``seq`` reached the ledger at the
        timestamp of the first head whose size exceeds ``seq``."""
        with reading(self.engine) as conn:
            return [(int(s), int(t)) for s, t in conn.execute(
                select(tree_head.c.size, tree_head.c.timestamp).order_by(tree_head.c.size))]

    def log_keys(self) -> dict[str, str]:
        with reading(self.engine) as conn:
            return {r.key_id: r.public_key for r in conn.execute(select(log_key))}

    # -- checked reads --------------------------------------------------------------------
    def verified_entries(
        self, kinds: Sequence[str] | None = None, public_key: str | None = None
    ) -> tuple[list[tuple[int, Entry]], Seal]:
        """Entries (optionally some kinds) read in one snapshot, every entry of the log re-hashed and the tree
        rebuilt against the latest signed tree head (:func:`~accord.monitor.ledger.seal_entries`).

        ``public_key`` pins the log key (held apart from the database); without it the key the database lists
        is used, and the seal says so.
        """
        wanted = set(kinds) if kinds is not None else None
        out: list[tuple[int, Entry]] = []
        with reading(self.engine) as conn:
            row = conn.execute(select(tree_head).order_by(tree_head.c.size.desc()).limit(1)).first()
            head = _head(row) if row is not None else None
            keys = {r.key_id: r.public_key for r in conn.execute(select(log_key))}

            def rows() -> Iterator[tuple[int, str, bytes]]:
                q = select(ledger_entry.c.seq, ledger_entry.c.kind, ledger_entry.c.content, ledger_entry.c.leaf_hash)
                for seq, kind, content, h in conn.execute(q.order_by(ledger_entry.c.seq)):
                    if wanted is None or kind in wanted:
                        out.append((int(seq), Entry.decode(content)))
                    yield int(seq), content, bytes(h)

            seal = seal_entries(rows(), head, keys, public_key)
        return out, seal

    def head_seal(self, public_key: str | None = None) -> Seal:
        """The latest signed tree head checked in O(log n): its signature, its size against the entries stored,
        its root against the stored tree (:func:`~accord.monitor.ledger.seal_head`)."""
        return self.checked_head(public_key)[1]

    def checked_head(self, public_key: str | None = None) -> tuple[TreeHead | None, Seal]:
        """The latest signed tree head (None: none yet) and its check (:meth:`head_seal`), in one read."""
        with reading(self.engine) as conn:
            row = conn.execute(select(tree_head).order_by(tree_head.c.size.desc()).limit(1)).first()
            head = _head(row) if row is not None else None
            keys = {r.key_id: r.public_key for r in conn.execute(select(log_key))}
            stored = self._sizes(conn)
            try:
                nodes = _Nodes(conn)
                nodes.prefetch(frontier_positions(stored))  # the right edge: one query
                root = Frontier.load(stored, nodes).root() if stored else EMPTY_ROOT
            except AccordError:
                root = None
        return head, seal_head(head, stored, root, keys, public_key)

    # -- proofs ---------------------------------------------------------------------------
    def _sizes(self, conn: Connection) -> int:
        return int(conn.execute(select(func.count()).select_from(ledger_entry)).scalar() or 0)

    def inclusion_proof(self, seq: int, size: int | None = None) -> InclusionProof:
        """The audit path of entry ``seq`` in the tree of ``size`` entries (default: the latest head)."""
        with reading(self.engine) as conn:
            if size is None:
                size = self._head_size(conn)
            if not 0 <= seq < size:
                raise AccordError(f"entry #{seq} is not in the tree of size {size}")
            nodes = _Nodes(conn)
            path = inclusion_path(seq, size, nodes)
            return InclusionProof(seq, size, nodes(0, seq), range_hash(0, size, nodes), tuple(path))

    def consistency_proof(self, old_size: int, size: int | None = None) -> ConsistencyProof:
        """Proof that the tree of ``size`` entries extends the tree of ``old_size`` entries."""
        with reading(self.engine) as conn:
            if size is None:
                size = self._head_size(conn)
            if not 0 <= old_size <= size:
                raise AccordError(f"no consistency proof from size {old_size} to {size}")
            nodes = _Nodes(conn)
            path = consistency_path(old_size, size, nodes)
            old_root = range_hash(0, old_size, nodes) if old_size else EMPTY_ROOT
            root = range_hash(0, size, nodes) if size else EMPTY_ROOT
            return ConsistencyProof(old_size, size, old_root, root, tuple(path))

    def _head_size(self, conn: Connection) -> int:
        size = conn.execute(select(func.max(tree_head.c.size))).scalar()
        if size is None:
            raise AccordError("the ledger is empty")
        return int(size)

    # -- audit ----------------------------------------------------------------------------
    def audit(self, progress: Callable[[int, int], None] | None = None) -> Audit:
        """Recompute everything from the stored rows (see :func:`accord.monitor.ledger.audit`, which
        ``progress(done, total)`` follows through the entries)."""
        with reading(self.engine) as conn:
            heads = [_head(r) for r in conn.execute(select(tree_head).order_by(tree_head.c.size))]
            keys = {r.key_id: r.public_key for r in conn.execute(select(log_key))}
            cur = conn.connection.cursor()  # plain DB-API rows: the audit reads every row once
            try:
                cur.execute("SELECT level, idx, hash FROM ledger_node ORDER BY level, idx")
                nodes = {(lv, ix): bytes(h) for lv, ix, h in cur.fetchall()}
                cur.execute("SELECT seq, kind, ref, content, leaf_hash FROM ledger_entry ORDER BY seq")
                rows: list[StoredEntry] = []
                while batch := cur.fetchmany(10_000):
                    rows.extend((s, k, r, c, bytes(h)) for s, k, r, c, h in batch)
            finally:
                cur.close()
        return audit(rows, nodes, heads, keys, progress=progress)

    # -- backup ---------------------------------------------------------------------------
    def export_lines(self) -> Iterator[str]:
        """The whole ledger as JSON Lines: a header, every entry in order, every tree head."""
        with reading(self.engine) as conn:
            keys = [{"key_id": r.key_id, "public_key": r.public_key, "created": int(r.created)}
                    for r in conn.execute(select(log_key).order_by(log_key.c.key_id))]
            yield json.dumps({"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "log_keys": keys},
                             sort_keys=True) + "\n"
            for seq, content in conn.execute(select(ledger_entry.c.seq, ledger_entry.c.content)
                                             .order_by(ledger_entry.c.seq)):
                yield json.dumps({"seq": int(seq), "content": content}, ensure_ascii=False) + "\n"
            for r in conn.execute(select(tree_head).order_by(tree_head.c.size)):
                yield json.dumps({"tree_head": _head(r).to_json()}, sort_keys=True) + "\n"

    def import_lines(self, lines: Iterable[str], name: str = "backup") -> tuple[int, int]:
        """Restore an export (into an empty ledger, or one the backup extends).

        Every entry is re-hashed and every tree head checked against the rebuilt
        tree and its signature before anything is committed; returns
        ``(entries added, tree heads added)``.
        """
        it = iter(lines)
        try:
            header = json.loads(next(it))
        except (StopIteration, json.JSONDecodeError):
            raise AccordError(f"{name}:1: not an accord ledger export") from None
        if not isinstance(header, dict) or header.get("format") != EXPORT_FORMAT:
            raise AccordError(f"{name}:1: not an accord ledger export")
        if header.get("version") != EXPORT_VERSION:
            raise AccordError(f"{name}:1: export version {header.get('version')} is not supported")
        keys = {k["key_id"]: k for k in header.get("log_keys", [])}
        for kid, k in keys.items():
            if _keys.key_id(_keys.check_public_key_hex(k["public_key"])) != kid:
                raise AccordError(f"{name}:1: log key {kid} does not match its public key")
        contents: list[str] = []
        heads: list[TreeHead] = []
        for number, line in enumerate(it, start=2):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                if "tree_head" in obj:
                    heads.append(TreeHead.from_json(obj["tree_head"]))
                    continue
                if int(obj["seq"]) != len(contents):
                    raise AccordError(f"{name}:{number}: expected entry #{len(contents)}, found #{obj['seq']}")
                Entry.decode(obj["content"])
                contents.append(obj["content"])
            except AccordError:
                raise
            except (ValueError, KeyError, TypeError) as e:
                raise AccordError(f"{name}:{number}: unreadable line ({e})") from None
        if contents and (not heads or heads[-1].size != len(contents)):
            raise AccordError(f"{name}: no signed tree head covers all {len(contents)} entries")
        with writing(self.engine) as conn:
            w = LedgerWriter(conn, self)
            have = w.size
            if have > len(contents):
                raise AccordError(f"{name}: the database already holds {have} entries, the backup only "
                                  f"{len(contents)}")
            if have:
                stored = [bytes(h) for (h,) in conn.execute(
                    select(ledger_entry.c.leaf_hash).order_by(ledger_entry.c.seq))]
                for i, h in enumerate(stored):
                    if leaf_hash(contents[i].encode("utf-8")) != h:
                        raise AccordError(f"{name}: entry #{i} differs from the database's — the backup "
                                          "is not an extension of this ledger")
            w.append([Entry.decode(c) for c in contents[have:]])
            if w.size != len(contents):
                raise AccordError(f"{name}: the backup holds duplicate entries")
            nodes = _Nodes(conn)
            known = {r.key_id: r.public_key for r in conn.execute(select(log_key))}
            for kid, k in keys.items():
                if kid not in known:
                    conn.execute(log_key.insert().values(key_id=kid, public_key=k["public_key"],
                                                         created=int(k.get("created", 0))))
                    known[kid] = k["public_key"]
            present = {int(s) for (s,) in conn.execute(select(tree_head.c.size))}
            added = 0
            for head in heads:
                pub = known.get(head.key_id)
                if pub is None or not head.verify(pub):
                    raise AccordError(f"{name}: tree head of size {head.size} is not signed by a known log key")
                if head.size > w.size or range_hash(0, head.size, nodes) != head.root:
                    raise AccordError(f"{name}: tree head of size {head.size} does not match the entries")
                if head.size not in present:
                    conn.execute(tree_head.insert().values(
                        size=head.size, root=head.root, timestamp=head.timestamp, key_id=head.key_id,
                        signature=head.signature))
                    added += 1
            return w.size - have, added


def _now_ms() -> int:
    return int(time.time() * 1000)


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]
