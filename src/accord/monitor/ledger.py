"""A tamper-evident, append-only log: RFC 6962 Merkle trees, proofs and signed tree heads.

The log is a Merkle hash tree in the manner of Certificate Transparency
(RFC 6962 §2.1; RFC 9162 §2.1 for the verification algorithms):

- leaf hash ``SHA-256(0x00 || entry)``, interior node ``SHA-256(0x01 || left || right)``;
- ``MTH(D[n])`` splits at ``k``, the largest power of two smaller than ``n``;
- an *inclusion proof* (audit path, §2.1.1) shows an entry is in a tree head;
- a *consistency proof* (§2.1.2) shows a later tree head extends an earlier one
  (the log was only appended to);
- a *signed tree head* is the tree size and root, signed with the log's Ed25519 key.

The tree is kept as its *complete subtrees*: node ``(level, index)`` is the
hash of leaves ``[index·2^level, (index+1)·2^level)``. Every range the RFC's
recursion visits is a run of such nodes, so a root or a proof costs O(log n)
node look-ups, and an append only adds the nodes it completes (amortised two,
at most ``log2 n + 1``) — see :class:`Frontier`.

>>> leaves = [leaf_hash(bytes([i])) for i in range(5)]
>>> tree = MerkleTree(leaves)
>>> root = tree.root()
>>> root == mth([bytes([i]) for i in range(5)])
True
>>> path = tree.inclusion_proof(3)
>>> verify_inclusion(leaves[3], 3, 5, path, root)
True
>>> old = tree.root(2)
>>> verify_consistency(2, 5, old, root, tree.consistency_proof(2))
True

Engines here are pure: no I/O. :func:`audit` checks stored rows (given as plain
values by :mod:`accord.store`) and names the first bad entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from typing import Any, Literal

from accord.monitor import keys as _keys
from accord.monitor.canonical import canonical_json

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
"""MTH({}) — the hash of the empty string (RFC 6962 §2.1)."""

NodeGetter = Callable[[int, int], bytes]
"""``(level, index) -> hash`` of a complete subtree."""


# -- hashing ---------------------------------------------------------------------------------
def leaf_hash(entry: bytes) -> bytes:
    """``SHA-256(0x00 || entry)``.

    >>> leaf_hash(b"").hex()[:16]
    '6e340b9cffb37a98'
    """
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n ≥ 2).

    >>> [split_point(n) for n in (2, 3, 4, 5, 8, 9)]
    [1, 2, 2, 4, 4, 8]
    """
    if n < 2:
        raise ValueError("split_point needs n >= 2")
    return 1 << ((n - 1).bit_length() - 1)


def mth(entries: Sequence[bytes]) -> bytes:
    """The Merkle Tree Hash of ``entries``, straight from RFC 6962's recursive definition.

    This is the reference (and the naive baseline): O(n) hashes every call.
    """
    n = len(entries)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hash(entries[0])
    k = split_point(n)
    return node_hash(mth(entries[:k]), mth(entries[k:]))


def build_levels(leaves: Sequence[bytes]) -> list[list[bytes]]:
    """All complete-subtree hashes over ``leaves``: ``levels[l][i]`` is node ``(l, i)``."""
    levels = [list(leaves)]
    sha = hashlib.sha256
    while len(levels[-1]) > 1:
        cur = levels[-1]
        levels.append([sha(b"\x01" + a + b).digest() for a, b in zip(cur[0::2], cur[1::2], strict=False)])
    return levels


def is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def range_hash(lo: int, hi: int, get: NodeGetter) -> bytes:
    """``MTH(D[lo:hi])`` for a range the RFC recursion visits, from complete-subtree nodes.

    ``lo`` must be a multiple of the largest power of two not above ``hi - lo``
    (true of every range in RFC 6962's recursion). O(log n) look-ups.
    """
    n = hi - lo
    if n <= 0:
        return EMPTY_ROOT if n == 0 else _bad_range(lo, hi)
    if is_power_of_two(n) and lo % n == 0:
        return get(n.bit_length() - 1, lo // n)
    k = split_point(n)
    return node_hash(range_hash(lo, lo + k, get), range_hash(lo + k, hi, get))


def _bad_range(lo: int, hi: int) -> bytes:
    raise ValueError(f"empty or reversed range [{lo}, {hi})")


def inclusion_path(index: int, size: int, get: NodeGetter) -> list[bytes]:
    """``PATH(index, D[0:size])`` — the audit path of RFC 6962 §2.1.1."""
    if not 0 <= index < size:
        raise ValueError(f"entry {index} is not in a tree of size {size}")
    out: list[bytes] = []
    lo, hi, m = 0, size, index
    while hi - lo > 1:
        k = split_point(hi - lo)
        if m < k:
            out.append(range_hash(lo + k, hi, get))
            hi = lo + k
        else:
            out.append(range_hash(lo, lo + k, get))
            lo, m = lo + k, m - k
    out.reverse()  # the recursion appends from the leaf upwards
    return out


def consistency_path(old_size: int, size: int, get: NodeGetter) -> list[bytes]:
    """``PROOF(old_size, D[0:size])`` — the consistency proof of RFC 6962 §2.1.2."""
    if not 0 <= old_size <= size:
        raise ValueError(f"no consistency proof from size {old_size} to {size}")
    if old_size in (0, size):
        return []
    out: list[bytes] = []
    lo, hi, m, complete = 0, size, old_size, True
    while True:
        n = hi - lo
        if m == n:
            if not complete:
                out.append(range_hash(lo, hi, get))
            break
        k = split_point(n)
        if m <= k:
            out.append(range_hash(lo + k, hi, get))
            hi = lo + k
        else:
            out.append(range_hash(lo, lo + k, get))
            lo, m, complete = lo + k, m - k, False
    out.reverse()
    return out


# -- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) -------------------------------------------
def root_from_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """The root that an inclusion proof leads to; ``ValueError`` if it is malformed."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} outside a tree of size {size}")
    if len(leaf) != HASH_SIZE or any(len(p) != HASH_SIZE for p in proof):
        raise ValueError("hashes must be 32 bytes")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ValueError("proof is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ValueError("proof is too short")
    return r


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """Whether ``proof`` shows the leaf hash ``leaf`` at ``index`` in the tree ``(size, root)``."""
    try:
        return root_from_inclusion(leaf, index, size, proof) == root
    except ValueError:
        return False


def verify_consistency(
    old_size: int, size: int, old_root: bytes, root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether ``proof`` shows tree ``(size, root)`` is an append-only extension of ``(old_size, old_root)``."""
    if old_size < 0 or old_size > size or any(len(p) != HASH_SIZE for p in proof):
        return False
    if old_size == size:
        return not proof and old_root == root
    if old_size == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if is_power_of_two(old_size):
        path.insert(0, old_root)
    fn, sn = old_size - 1, size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == root


# -- trees -----------------------------------------------------------------------------------
def frontier_positions(size: int) -> list[tuple[int, int]]:
    """The complete subtrees ``(level, index)`` that tile ``[0, size)``, largest first.

    >>> frontier_positions(7)
    [(2, 0), (1, 2), (0, 6)]
    """
    out, start = [], 0
    for level in reversed(range(size.bit_length())):
        if size >> level & 1:
            out.append((level, start >> level))
            start += 1 << level
    return out


@dataclass
class Frontier:
    """The right edge of a tree: the hashes at :func:`frontier_positions` of ``size``.

    Enough to append and to compute the root, in O(log n) memory.

    >>> f = Frontier()
    >>> [len(f.append(leaf_hash(bytes([i])))) for i in range(4)]  # nodes each append completes
    [1, 2, 1, 3]
    >>> f.root() == mth([bytes([i]) for i in range(4)])
    True
    """

    size: int = 0
    hashes: list[bytes] = field(default_factory=list)

    @classmethod
    def load(cls, size: int, get: NodeGetter) -> Frontier:
        return cls(size, [get(level, idx) for level, idx in frontier_positions(size)])

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; return the nodes ``(level, index, hash)`` it completes, leaf first."""
        idx, level, h = self.size, 0, leaf
        new = [(0, idx, h)]
        while idx & 1:
            h = node_hash(self.hashes.pop(), h)
            idx >>= 1
            level += 1
            new.append((level, idx, h))
        self.hashes.append(h)
        self.size += 1
        return new

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        r = self.hashes[-1]
        for h in reversed(self.hashes[:-1]):
            r = node_hash(h, r)
        return r


class MerkleTree:
    """An in-memory RFC 6962 tree over leaf hashes, with roots and proofs at any past size."""

    def __init__(self, leaves: Iterable[bytes] = ()):
        self.levels: list[list[bytes]] = [[]]
        for leaf in leaves:
            self.append(leaf)

    @classmethod
    def from_levels(cls, levels: list[list[bytes]]) -> MerkleTree:
        tree = cls()
        tree.levels = levels if levels else [[]]
        return tree

    def __len__(self) -> int:
        return len(self.levels[0])

    def append(self, leaf: bytes) -> None:
        self.levels[0].append(leaf)
        level, idx = 0, len(self.levels[0]) - 1
        while idx & 1:
            row = self.levels[level]
            parent = node_hash(row[idx - 1], row[idx])
            level, idx = level + 1, idx >> 1
            if len(self.levels) == level:
                self.levels.append([])
            self.levels[level].append(parent)

    def node(self, level: int, index: int) -> bytes:
        return self.levels[level][index]

    def root(self, size: int | None = None) -> bytes:
        n = len(self) if size is None else size
        if not 0 <= n <= len(self):
            raise ValueError(f"no tree of size {n} (the log holds {len(self)} entries)")
        return range_hash(0, n, self.node) if n else EMPTY_ROOT

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return inclusion_path(index, len(self) if size is None else size, self.node)

    def consistency_proof(self, old_size: int, size: int | None = None) -> list[bytes]:
        return consistency_path(old_size, len(self) if size is None else size, self.node)


# -- entries and tree heads ------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """One log entry: a kind (agreement, obligation, monitor, report), a reference and a body.

    >>> Entry("report", "election_held", {"value": 1}).encode()
    b'{"body":{"value":1},"kind":"report","ref":"election_held"}'
    """

    kind: str
    ref: str
    body: Mapping[str, Any]

    def encode(self) -> bytes:
        return canonical_json({"kind": self.kind, "ref": self.ref, "body": dict(self.body)})

    @classmethod
    def decode(cls, content: str | bytes) -> Entry:
        obj = json.loads(content)
        if not isinstance(obj, dict) or set(obj) != {"kind", "ref", "body"}:
            raise ValueError("a ledger entry is an object with exactly kind, ref and body")
        return cls(str(obj["kind"]), str(obj["ref"]), obj["body"])


TREE_HEAD_TYPE = "accord.tree-head/1"


def tree_head_message(size: int, root: bytes, timestamp: int) -> bytes:
    """The bytes a tree head's signature covers (canonical JSON).

    >>> tree_head_message(0, EMPTY_ROOT, 0)[:40]
    b'{"root":"e3b0c44298fc1c149afbf4c8996fb92'
    """
    return canonical_json({"type": TREE_HEAD_TYPE, "size": size, "root": root.hex(), "timestamp": timestamp})


@dataclass(frozen=True)
class TreeHead:
    """A signed tree head: the log's size and root at a time (ms since the epoch), signed."""

    size: int
    root: bytes
    timestamp: int
    key_id: str
    signature: str

    def verify(self, public_hex: str) -> bool:
        return _keys.verify(public_hex, self.signature, tree_head_message(self.size, self.root, self.timestamp))

    def to_json(self) -> dict[str, Any]:
        return {
            "size": self.size, "root": self.root.hex(), "timestamp": self.timestamp,
            "key_id": self.key_id, "signature": self.signature,
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> TreeHead:
        return cls(int(obj["size"]), bytes.fromhex(obj["root"]), int(obj["timestamp"]),
                   str(obj["key_id"]), str(obj["signature"]))


def sign_tree_head(key: _keys.Ed25519PrivateKey, size: int, root: bytes, timestamp: int) -> TreeHead:
    pub = _keys.public_key_hex(key)
    sig = _keys.sign(key, tree_head_message(size, root, timestamp))
    return TreeHead(size, root, timestamp, _keys.key_id(pub), sig)


# -- audit of stored rows --------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """One thing wrong with the stored log; ``entry`` is the first entry it implicates."""

    entry: int | None
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Audit:
    """The outcome of :func:`audit`."""

    size: int
    root: bytes
    heads: int
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first_bad_entry(self) -> int | None:
        bad = [f.entry for f in self.findings if f.entry is not None]
        return min(bad) if bad else None


StoredEntry = tuple[int, str, str, str, bytes]
"""``(seq, kind, ref, content, leaf_hash)`` as the store holds it."""

PROGRESS_EVERY = 5000
"""How many entries :func:`audit` re-hashes between two calls of its ``progress``."""


def audit(
    entries: Iterable[StoredEntry],
    nodes: Mapping[tuple[int, int], bytes],
    heads: Sequence[TreeHead],
    log_keys: Mapping[str, str],
    max_findings: int = 50,
    progress: Callable[[int, int], None] | None = None,
) -> Audit:
    """Recompute the log from its stored rows and report every inconsistency.

    ``progress(done, total)`` (optional) hears how many entries are re-hashed, every
    :data:`PROGRESS_EVERY` of them, when ``entries`` has a length.

    - each entry's content is re-hashed and compared with its recorded hash and
      with the tree's stored leaf: an edited, deleted or reordered row is named;
    - each stored interior node is checked against its two stored children, so a
      row edited together with its hashes is still located;
    - each signed tree head must verify with a registered log key and match the
      root recomputed from the entries' contents (this catches a tree rebuilt
      without the key); the latest head must cover every entry.
    """
    findings: list[Finding] = []

    def note(entry: int | None, message: str) -> None:
        if len(findings) < max_findings:
            findings.append(Finding(entry, message))

    sha = hashlib.sha256
    tails: dict[tuple[str, str], str] = {}
    leaves: list[bytes] = []
    missing_fill = b"\xff" * HASH_SIZE
    get = nodes.get
    total = len(entries) if isinstance(entries, Sized) else 0
    if progress and total:
        progress(0, total)
    for n, (seq, kind, ref, content, stored_leaf) in enumerate(entries, start=1):
        if progress and total and n % PROGRESS_EVERY == 0:
            progress(n, total)
        expected = len(leaves)
        if seq != expected:
            if seq > expected:
                note(expected, f"entry #{expected} is missing (rows #{expected}–#{seq - 1} deleted?)"
                     if seq - 1 > expected else f"entry #{expected} is missing (deleted?)")
                leaves.extend([missing_fill] * (seq - expected))
            else:
                note(seq, f"entry #{seq} appears twice or out of order")
                continue
        h = sha(b"\x00" + content.encode("utf-8")).digest()
        leaves.append(h)
        if h != stored_leaf:
            note(seq, f"entry #{seq} ({kind} {ref}): content does not match its recorded hash (edited?)")
            continue
        stored = get((0, seq))
        if stored != h:
            note(seq, f"entry #{seq}: its leaf is missing from the tree" if stored is None else
                 f"entry #{seq} ({kind} {ref}): the tree holds a different entry here (reordered or replaced?)")
        # canonical JSON sorts the keys: every entry is {"body":…,"kind":…,"ref":…}
        tail = tails.get((kind, ref))
        if tail is None:
            tail = tails[(kind, ref)] = (
                f',"kind":{json.dumps(kind, ensure_ascii=False)},"ref":{json.dumps(ref, ensure_ascii=False)}}}')
        if not (content.endswith(tail) and content.startswith('{"body":')):
            note(seq, f"entry #{seq}: its kind/ref columns do not match its content")

    if progress and total:
        progress(total, total)
    size = len(leaves)
    levels = build_levels(leaves)
    tree = MerkleTree.from_levels(levels)

    # Stored interior nodes. One equal to the node rebuilt from the contents is right. One
    # that differs is reported only if it also disagrees with its own stored children and
    # neither child is already bad (a bad node explains every ancestor above it).
    bad_nodes: set[tuple[int, int]] = set()
    seen = 0
    for level in range(1, len(levels)):
        row = levels[level]
        for idx, want in enumerate(row):
            key = (level, idx)
            stored = get(key)
            if stored is None:
                note(idx << level, f"tree node ({level},{idx}) is missing")
                bad_nodes.add(key)
                continue
            seen += 1
            if stored == want:
                continue
            kids = ((level - 1, 2 * idx), (level - 1, 2 * idx + 1))
            left, right = get(kids[0]), get(kids[1])
            if left is None or right is None or node_hash(left, right) != stored:
                bad_nodes.add(key)
                if not bad_nodes.intersection(kids):
                    first, last = idx << level, ((idx + 1) << level) - 1
                    note(first, f"entries #{first}–#{last}: tree node ({level},{idx}) does not match its "
                                "children (the tree, or entries together with their hashes, were edited)")
    seen += sum(1 for i in range(size) if (0, i) in nodes)
    if seen != len(nodes):  # rows beyond the entries: the log was cut short
        for level, idx in sorted(k for k in nodes if k[0] >= len(levels) or k[1] >= len(levels[k[0]])):
            first = idx << level
            note(min(first, size), f"tree node ({level},{idx}) lies beyond the {size} entries (entries deleted?)")
            break

    prev = 0
    for head in heads:
        when = f"tree head of size {head.size}"
        pub = log_keys.get(head.key_id)
        if pub is None:
            note(None, f"{when}: signed with unknown key {head.key_id}")
        elif not head.verify(pub):
            note(None, f"{when}: bad signature")
        if head.size > size:
            note(size, f"entry #{size} is missing: the signed {when} covers {head.size} entries, "
                       f"only {size} are stored (deleted?)")
        elif tree.root(head.size) != head.root:
            bad = [f.entry for f in findings if f.entry is not None and prev <= f.entry < head.size]
            first = min(bad) if bad else prev
            note(first, f"{when}: root does not match entries #0–#{head.size - 1} "
                        f"(first suspect entry #{first})")
        prev = head.size
    covered = heads[-1].size if heads else 0
    if size > covered:
        note(covered, f"entry #{covered} is not covered by any signed tree head (appended outside accord?)")
    root = tree.root() if size else EMPTY_ROOT
    return Audit(size, root, len(heads), tuple(findings))


@dataclass(frozen=True)
class Seal:
    """What a reader checked before trusting what it read from the ledger, in one sentence.

    ``scope`` is ``entries`` (every entry re-hashed and the tree rebuilt up to the
    latest signed head) or ``head`` (the latest head's signature, and its root
    against the stored tree). ``pinned``: the head was checked with a log key
    held apart from the database, not one the database lists.
    """

    ok: bool
    scope: Literal["entries", "head"]
    size: int
    root: str
    key_id: str | None
    pinned: bool
    problem: str | None = None

    def sentence(self) -> str:
        if not self.ok:
            return f"the ledger does NOT verify: {self.problem} — run `accord ledger verify`"
        what = (f"all {self.size} entries re-hashed and checked against" if self.scope == "entries"
                else f"the stored tree ({self.size} entries) checked against")
        whose = "the log key held apart from the database" if self.pinned else "the log key the database lists"
        return f"ledger verified: {what} the signed tree head (root {self.root[:16]}…, signed by {whose} " \
               f"{self.key_id})"


def _head_problem(head: TreeHead | None, log_keys: Mapping[str, str], public_key: str | None) -> str | None:
    if head is None:
        return "no signed tree head"
    if public_key is not None and _keys.key_id(public_key) != head.key_id:
        return f"the latest tree head is signed by log key {head.key_id}, not by {_keys.key_id(public_key)}"
    pub = public_key or log_keys.get(head.key_id)
    if pub is None or not head.verify(pub):
        return f"the signature of the tree head of size {head.size} does not verify"
    return None


def seal_entries(
    rows: Iterable[tuple[int, str, bytes]], head: TreeHead | None, log_keys: Mapping[str, str],
    public_key: str | None = None,
) -> Seal:
    """Check ``(seq, content, leaf_hash)`` rows, in order, against the latest signed tree head.

    >>> from accord.monitor.keys import private_key_from_seed, public_key_hex
    >>> key = private_key_from_seed(bytes(32))
    >>> rows = [(i, f'{{"n":{i}}}', leaf_hash(f'{{"n":{i}}}'.encode())) for i in range(3)]
    >>> head = sign_tree_head(key, 3, mth([r[1].encode() for r in rows]), 0)
    >>> seal_entries(rows, head, {}, public_key_hex(key)).ok
    True
    >>> rows[1] = (1, '{"n":7}', rows[1][2])
    >>> seal_entries(rows, head, {}, public_key_hex(key)).problem
    'entry #1: content does not match its recorded hash'
    """
    problem = _head_problem(head, log_keys, public_key)
    f = Frontier()
    for seq, content, recorded in rows:
        if problem:
            break
        h = leaf_hash(content.encode("utf-8"))
        if seq != f.size:
            problem = f"entry #{f.size} is missing"
        elif h != recorded:
            problem = f"entry #{seq}: content does not match its recorded hash"
        else:
            f.append(h)
    if problem is None and head is not None:
        if f.size != head.size:
            problem = f"the signed tree head covers {head.size} entries, {f.size} are stored"
        elif f.root() != head.root:
            problem = "the entries do not rebuild the signed tree head's root (history rewritten)"
    return Seal(problem is None, "entries", f.size, (head.root.hex() if head else ""), head.key_id if head else None,
                public_key is not None, problem)


def seal_head(
    head: TreeHead | None, stored: int, stored_root: bytes | None, log_keys: Mapping[str, str],
    public_key: str | None = None,
) -> Seal:
    """Check the latest signed tree head: its signature, that it covers the ``stored`` entries, and that the
    root of the stored tree (``stored_root``) is the one it signs."""
    problem = _head_problem(head, log_keys, public_key)
    if problem is None and head is not None:
        if head.size != stored:
            problem = f"the signed tree head covers {head.size} entries, {stored} are stored"
        elif stored_root != head.root:
            problem = "the stored tree's root is not the one the tree head signs"
    return Seal(problem is None, "head", stored, head.root.hex() if head else "", head.key_id if head else None,
                public_key is not None, problem)
