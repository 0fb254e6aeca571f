"""Ledger benchmark on SQLite: the stored Merkle tree against a naive rehash-everything baseline.

    python bench/ledger.py [--n 100000] [--batch 1000] [--single 200] [--dir DIR]

Both run in this process, on SQLite files in a temporary folder, with the same
entries (report-sized JSON), the same batches (one transaction and one signed
tree head per batch) and the same log key:

- **tree** — :class:`accord.store.Store`: every complete subtree is stored, so an
  append reads O(log n) nodes and adds amortised two, and a tree head costs O(log n);
  ``audit()`` re-hashes each entry once, checks every stored node against its
  children and every signed head against the rebuilt tree.
- **naive** — the same entries and signed heads but no stored tree: each batch
  re-reads and re-hashes every entry to compute the new root, and verification
  recomputes the root of every signed head from the entries.

Printed: appends per second for the whole run and for single-entry appends once
the log holds ``n`` entries, verify time for ``n`` entries, and the ratios.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from pathlib import Path

from sqlalchemy import BigInteger, Column, LargeBinary, MetaData, String, Table, Text, create_engine, func, select

from accord.monitor.keys import private_key_from_seed
from accord.monitor.ledger import Entry, TreeHead, build_levels, leaf_hash, sign_tree_head
from accord.store import Store

KEY = private_key_from_seed(hashlib.sha256(b"bench log key").digest())


def entry(i: int) -> Entry:
    return Entry("report", "ukraine_armed_forces_headcount", {
        "monitor": f"monitor-{i % 7}", "indicator": "ukraine_armed_forces_headcount", "value": 600000 + i,
        "observed_at": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T12:00:00Z", "location": None,
        "source": "bench", "confidence": 0.8, "signature": hashlib.sha512(str(i).encode()).hexdigest(),
    })


def root_of(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    levels = build_levels(leaves)
    # fold the right edge exactly as RFC 6962 splits: the roots of the complete subtrees, right to left
    n, parts, start = len(leaves), [], 0
    for level in reversed(range(n.bit_length())):
        if n >> level & 1:
            parts.append(levels[level][start >> level])
            start += 1 << level
    r = parts[-1]
    for h in reversed(parts[:-1]):
        r = hashlib.sha256(b"\x01" + h + r).digest()
    return r


class NaiveLog:
    """Entries and signed heads only; every head is computed by re-hashing every entry."""

    def __init__(self, url: str):
        self.engine = create_engine(url)
        md = MetaData()
        self.entries = Table("naive_entry", md, Column("seq", BigInteger, primary_key=True),
                             Column("content", Text, nullable=False))
        self.heads = Table("naive_head", md, Column("size", BigInteger, primary_key=True),
                           Column("root", LargeBinary), Column("timestamp", BigInteger),
                           Column("key_id", String(32)), Column("signature", String(128)))
        md.create_all(self.engine)

    def append(self, batch: list[Entry]) -> None:
        with self.engine.begin() as conn:
            size = conn.execute(select(func.count()).select_from(self.entries)).scalar() or 0
            conn.execute(self.entries.insert(), [{"seq": size + i, "content": e.encode().decode()}
                                                 for i, e in enumerate(batch)])
            leaves = [leaf_hash(c.encode()) for (c,) in conn.execute(
                select(self.entries.c.content).order_by(self.entries.c.seq))]
            h = sign_tree_head(KEY, len(leaves), root_of(leaves), int(time.time() * 1000))
            conn.execute(self.heads.insert().values(size=h.size, root=h.root, timestamp=h.timestamp,
                                                    key_id=h.key_id, signature=h.signature))

    def verify(self, public_hex: str) -> bool:
        ok = True
        with self.engine.connect() as conn:
            heads = [TreeHead(int(r.size), bytes(r.root), int(r.timestamp), r.key_id, r.signature)
                     for r in conn.execute(select(self.heads).order_by(self.heads.c.size))]
            for head in heads:
                contents = conn.execute(select(self.entries.c.content).order_by(self.entries.c.seq)
                                        .limit(head.size))
                leaves = [leaf_hash(c.encode()) for (c,) in contents]
                ok &= head.verify(public_hex) and root_of(leaves) == head.root
        return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="entries in the log")
    ap.add_argument("--batch", type=int, default=1000, help="entries per transaction (one signed head each)")
    ap.add_argument("--single", type=int, default=20, help="single-entry appends timed once the log is full")
    ap.add_argument("--dir", type=Path, default=None, help="folder for the SQLite files (default: a temp dir)")
    args = ap.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="accord-bench-"))
    n, batch = args.n, args.batch
    es = [entry(i) for i in range(n + 2 * args.single)]
    from accord.monitor.keys import public_key_hex

    pub = public_key_hex(KEY)
    print(f"ledger bench: {n:,} entries in batches of {batch:,} on SQLite ({folder})")

    store = Store.open(f"sqlite:///{folder / 'tree.db'}")
    t = time.perf_counter()
    for i in range(0, n, batch):
        with store.writer(KEY) as w:
            w.append(es[i:i + batch])
    tree_fill = time.perf_counter() - t
    t = time.perf_counter()
    for i in range(n, n + args.single):
        with store.writer(KEY) as w:
            w.append([es[i]])
    tree_single = time.perf_counter() - t
    t = time.perf_counter()
    audit = store.audit()
    tree_verify = time.perf_counter() - t
    assert audit.ok, audit.findings[:3]

    naive = NaiveLog(f"sqlite:///{folder / 'naive.db'}")
    t = time.perf_counter()
    for i in range(0, n, batch):
        naive.append(es[i:i + batch])
    naive_fill = time.perf_counter() - t
    singles = args.single
    t = time.perf_counter()
    for i in range(n, n + singles):
        naive.append([es[i]])
    naive_single = time.perf_counter() - t
    t = time.perf_counter()
    ok = naive.verify(pub)
    naive_verify = time.perf_counter() - t
    assert ok

    heads = len(store.tree_heads())
    rows = [
        ("appends/s, filling to n (batches)", n / tree_fill, n / naive_fill),
        (f"appends/s, single-entry at n={n:,}", args.single / tree_single, singles / naive_single),
    ]
    print(f"{'':42} {'tree':>12} {'naive':>12} {'ratio':>8}")
    for label, a, b in rows:
        print(f"{label:42} {a:12,.0f} {b:12,.0f} {a / b:7.1f}x")
    print(f"{f'verify {audit.size:,} entries, {heads} signed heads (s)':42} {tree_verify:12.2f} "
          f"{naive_verify:12.2f} {naive_verify / tree_verify:7.1f}x")
    print("(ratio = how many times faster the stored tree is; verify: tree = audit() of every row, node and head;"
          " naive = recompute every signed head's root from the entries)")


if __name__ == "__main__":
    main()
