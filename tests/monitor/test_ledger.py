"""The Merkle log engine against RFC 6962 test vectors, a brute-force oracle and tampering.

Test vectors: the eight leaves, the roots of every prefix, and the inclusion and
consistency proofs below are those of transparency-dev/merkle (Apache-2.0), files
``testonly/constants.go`` and ``proof/verify_test.go``, which carry over the
vectors of google/certificate-transparency's C++ ``merkle_tree_test.cc``. Leaf
numbers there are 1-based; here they are 0-based indices.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.monitor import ledger as ledger_module
from accord.monitor.keys import private_key_from_seed, public_key_hex
from accord.monitor.ledger import (
    EMPTY_ROOT,
    Entry,
    Frontier,
    MerkleTree,
    audit,
    build_levels,
    consistency_path,
    frontier_positions,
    inclusion_path,
    leaf_hash,
    mth,
    node_hash,
    range_hash,
    root_from_inclusion,
    sign_tree_head,
    split_point,
    verify_consistency,
    verify_inclusion,
)

H = bytes.fromhex
LEAVES = [H(x) for x in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                         "606162636465666768696a6b6c6d6e6f")]
ROOTS = [H(x) for x in (  # MTH of the first 1..8 leaves
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
)]
INCLUSION = [  # (index, size, path)
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
CONSISTENCY = [  # (old size, size, path)
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]
SOME_HASH = H("abacaba000000000000000000000000000000000000000000060061e00123456")


def test_rfc6962_hashes() -> None:
    # transparency-dev/merkle rfc6962/rfc6962_test.go
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    assert leaf_hash(b"L123456").hex() == "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    assert node_hash(b"N123", b"N456").hex() == "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"


def test_roots_of_every_prefix() -> None:
    tree = MerkleTree(leaf_hash(x) for x in LEAVES)
    for n in range(1, 9):
        assert mth(LEAVES[:n]) == ROOTS[n - 1]
        assert tree.root(n) == ROOTS[n - 1]
    assert tree.root(0) == EMPTY_ROOT


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_vectors(index: int, size: int, path: list[str]) -> None:
    tree = MerkleTree(leaf_hash(x) for x in LEAVES)
    proof = [H(p) for p in path]
    assert tree.inclusion_proof(index, size) == proof
    leaf, root = leaf_hash(LEAVES[index]), ROOTS[size - 1]
    assert verify_inclusion(leaf, index, size, proof, root)
    # the corruptions of transparency-dev's corruptInclusionProof must all fail
    probes = [
        (leaf, index - 1, size, proof, root), (leaf, index + 1, size, proof, root),
        (leaf, index ^ 2, size, proof, root), (leaf, index, size * 2, proof, root),
        (leaf, index, size // 2, proof, root), (b"WrongLeaf", index, size, proof, root),
        (leaf, index, size, proof, EMPTY_ROOT), (leaf, index, size, proof, SOME_HASH),
        (leaf, index, size, [*proof, b""], root), (leaf, index, size, [*proof, root], root),
        (leaf, index, size, [b"", *proof], root), (leaf, index, size, [root, *proof], root),
        (leaf, index, size, proof[:-1], root),
    ]
    if len(proof) > 1:
        probes.append((leaf, index, size, [proof[0], SOME_HASH, *proof[1:]], root))
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = bytes([bad[i][0] ^ 8]) + bad[i][1:]
        probes.append((leaf, index, size, bad, root))
    for p in probes:
        assert not verify_inclusion(*p), p[1:3]


@pytest.mark.parametrize(("old", "size", "path"), CONSISTENCY)
def test_consistency_vectors(old: int, size: int, path: list[str]) -> None:
    tree = MerkleTree(leaf_hash(x) for x in LEAVES)
    proof = [H(p) for p in path]
    assert tree.consistency_proof(old, size) == proof
    r1, r2 = ROOTS[old - 1], ROOTS[size - 1]
    assert verify_consistency(old, size, r1, r2, proof)
    probes = [
        (old - 1, size, r1, r2, proof), (old + 1, size, r1, r2, proof), (old ^ 2, size, r1, r2, proof),
        (old, size * 2, r1, r2, proof), (old, size // 2, r1, r2, proof),
        (old, size, b"WrongRoot", r2, proof), (old, size, r1, b"WrongRoot", proof),
        (old, size, r2, r1, proof), (old, size, r1, r2, []),
        (old, size, r1, r2, [*proof, b""]), (old, size, r1, r2, [*proof, r1]), (old, size, r1, r2, [*proof, r2]),
        (old, size, r1, r2, [b"", *proof]), (old, size, r1, r2, [r1, *proof]), (old, size, r1, r2, [r2, *proof]),
        (old, size, r1, r2, [proof[0], *proof]), (old, size, r1, r2, proof[:-1]),
    ]
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = bytes([bad[i][0] ^ 16]) + bad[i][1:]
        probes.append((old, size, r1, r2, bad))
    for p in probes:
        assert not verify_consistency(*p), p[:2]


def test_consistency_edge_cases() -> None:
    # transparency-dev TestVerifyConsistency: trivially consistent sizes and bad ones
    r1, r2 = b"don't care 1", b"don't care 2"
    assert verify_consistency(0, 0, r1, r1, [])
    assert verify_consistency(0, 1, r1, r2, [])
    assert verify_consistency(1, 1, r2, r2, [])
    assert not verify_consistency(1, 1, r1, r2, [])
    assert not verify_consistency(1, 0, r1, r2, [])
    assert not verify_consistency(1, 2, r1, r2, [])
    assert not verify_consistency(1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])


def test_single_entry_inclusion() -> None:
    h = leaf_hash(b"data")
    assert verify_inclusion(h, 0, 1, [], h)
    assert not verify_inclusion(h, 0, 1, [], b"")
    assert not verify_inclusion(b"", 0, 1, [], h)
    for index, size in ((0, 0), (1, 0), (2, 1)):
        assert not verify_inclusion(SOME_HASH, index, size, [], EMPTY_ROOT)
    with pytest.raises(ValueError):
        root_from_inclusion(h, 1, 1, [])


def test_split_point_and_frontier_positions() -> None:
    assert [split_point(n) for n in range(2, 10)] == [1, 2, 2, 4, 4, 4, 4, 8]
    assert frontier_positions(0) == []
    assert frontier_positions(8) == [(3, 0)]
    assert frontier_positions(13) == [(3, 0), (2, 2), (0, 12)]
    # transparency-dev CompactTrees: the frontier of size 7 is nodes (2,0), (1,2), (0,6)
    levels = build_levels([leaf_hash(x) for x in LEAVES])
    assert [levels[lv][ix] for lv, ix in frontier_positions(7)] == [
        H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        H("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        H("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=6), min_size=1, max_size=40))
def test_tree_matches_rfc_definition(entries: list[bytes]) -> None:
    """Brute-force oracle: MTH recursion vs. the incremental tree, the frontier and build_levels."""
    leaves = [leaf_hash(e) for e in entries]
    tree = MerkleTree(leaves)
    frontier = Frontier()
    stored: dict[tuple[int, int], bytes] = {}
    for n, h in enumerate(leaves, start=1):
        for lv, ix, nh in frontier.append(h):
            stored[(lv, ix)] = nh
        assert frontier.root() == mth(entries[:n]) == tree.root(n)
    levels = build_levels(leaves)
    assert {(lv, ix): h for lv, row in enumerate(levels) for ix, h in enumerate(row)} == stored
    def get(level: int, idx: int) -> bytes:
        return stored[(level, idx)]

    n = len(entries)
    assert range_hash(0, n, get) == mth(entries)
    for size in range(1, n + 1):
        root = mth(entries[:size])
        for i in range(size):
            assert verify_inclusion(leaves[i], i, size, inclusion_path(i, size, get), root)
        for old in range(0, size + 1):
            old_root = mth(entries[:old])
            assert verify_consistency(old, size, old_root, root, consistency_path(old, size, get))


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 70), st.data())
def test_proofs_fail_for_another_tree(n: int, data: st.DataObject) -> None:
    """A proof from one log never verifies against a log that differs in one entry."""
    entries = [i.to_bytes(2, "big") for i in range(n)]
    j = data.draw(st.integers(0, n - 1))
    other = list(entries)
    other[j] = b"x" + other[j]
    i = data.draw(st.integers(0, n - 1))
    tree, tampered = MerkleTree(map(leaf_hash, entries)), MerkleTree(map(leaf_hash, other))
    assert not verify_inclusion(leaf_hash(entries[i]), i, n, tree.inclusion_proof(i), tampered.root())
    old = data.draw(st.integers(j + 1, n)) if j + 1 <= n else n
    if old < n:
        assert not verify_consistency(old, n, tampered.root(old), tree.root(), tree.consistency_proof(old))


def test_entry_encoding_is_canonical() -> None:
    e = Entry("report", "x", {"b": 2.0, "a": [1, "é"]})
    assert e.encode() == '{"body":{"a":[1,"é"],"b":2},"kind":"report","ref":"x"}'.encode()
    assert Entry.decode(e.encode()) == Entry("report", "x", {"a": [1, "é"], "b": 2})
    with pytest.raises(ValueError):
        Entry.decode('{"kind": "x"}')


# -- audit (pure) -----------------------------------------------------------------------------
KEY = private_key_from_seed(hashlib.sha256(b"test log key").digest())
PUB = public_key_hex(KEY)


def _log(n: int, head_every: int = 4):
    """Rows, nodes and signed heads of a healthy log of ``n`` entries."""
    rows, heads, frontier, nodes = [], [], Frontier(), {}
    for i in range(n):
        e = Entry("note", f"r{i}", {"i": i})
        raw = e.encode()
        h = leaf_hash(raw)
        rows.append([i, e.kind, e.ref, raw.decode(), h])
        for lv, ix, nh in frontier.append(h):
            nodes[(lv, ix)] = nh
        if (i + 1) % head_every == 0 or i == n - 1:
            heads.append(sign_tree_head(KEY, i + 1, frontier.root(), 1000 + i))
    return rows, nodes, heads


def _audit(rows, nodes, heads):
    return audit([tuple(r) for r in rows], nodes, heads, {heads[0].key_id: PUB})


def test_audit_healthy_log() -> None:
    rows, nodes, heads = _log(11)
    a = _audit(rows, nodes, heads)
    assert a.ok and a.size == 11 and a.heads == 3 and a.root == heads[-1].root


def test_audit_reports_progress_through_the_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger_module, "PROGRESS_EVERY", 4)
    rows, nodes, heads = _log(11)
    seen: list[tuple[int, int]] = []
    a = audit([tuple(r) for r in rows], nodes, heads, {heads[0].key_id: PUB}, progress=lambda d, t: seen.append((d, t)))
    assert a.ok and seen == [(0, 11), (4, 11), (8, 11), (11, 11)]
    seen.clear()  # a plain iterable has no length: no total to show, no calls
    audit((tuple(r) for r in rows), nodes, heads, {heads[0].key_id: PUB}, progress=lambda d, t: seen.append((d, t)))
    assert seen == []


def test_audit_names_edited_entry() -> None:
    rows, nodes, heads = _log(11)
    rows[6][3] = rows[6][3].replace('"i":6', '"i":60')
    a = _audit(rows, nodes, heads)
    assert not a.ok and a.first_bad_entry == 6
    assert "entry #6" in a.findings[0].message and "edited" in a.findings[0].message


def test_audit_names_entry_edited_with_its_hash() -> None:
    rows, nodes, heads = _log(11)
    rows[5][3] = rows[5][3].replace('"i":5', '"i":50')
    rows[5][4] = leaf_hash(rows[5][3].encode())
    a = _audit(rows, nodes, heads)
    assert a.first_bad_entry == 5


def test_audit_locates_entry_edited_with_hash_and_leaf_node() -> None:
    rows, nodes, heads = _log(11)
    rows[5][3] = rows[5][3].replace('"i":5', '"i":50')
    rows[5][4] = nodes[(0, 5)] = leaf_hash(rows[5][3].encode())
    a = _audit(rows, nodes, heads)
    assert not a.ok and a.first_bad_entry == 4  # node (1,2) covers entries 4–5: the pair is named
    assert any("#4–#5" in f.message for f in a.findings)


def test_audit_catches_a_rebuilt_tree_through_the_signed_heads() -> None:
    rows, nodes, heads = _log(12)
    rows[9][3] = rows[9][3].replace('"i":9', '"i":90')
    forged = [r[:] for r in rows]
    forged[9][4] = leaf_hash(forged[9][3].encode())
    new_nodes = {(lv, ix): h for lv, row in enumerate(build_levels([r[4] for r in forged]))
                 for ix, h in enumerate(row)}
    a = _audit(forged, new_nodes, heads)
    assert not a.ok
    assert a.first_bad_entry == 8  # the heads of sizes 8 and 12 bracket the edit: entries 8–11
    assert any("tree head of size 12" in f.message for f in a.findings)


def test_audit_deleted_and_reordered_rows() -> None:
    rows, nodes, heads = _log(11)
    a = _audit(rows[:3] + rows[4:], nodes, heads)
    assert a.first_bad_entry == 3 and "entry #3 is missing" in a.findings[0].message
    a = _audit(rows[:-1], nodes, heads)
    assert a.first_bad_entry == 10
    swapped = [r[:] for r in rows]
    swapped[2][1:], swapped[7][1:] = rows[7][1:], rows[2][1:]
    a = _audit(swapped, nodes, heads)
    assert a.first_bad_entry == 2 and "reordered" in a.findings[0].message


def test_audit_bad_signature_and_unknown_key() -> None:
    rows, nodes, heads = _log(8)
    h = heads[0]
    bad = type(h)(h.size, h.root, h.timestamp, h.key_id, "00" * 64)
    a = _audit(rows, nodes, [bad, *heads[1:]])
    assert not a.ok and "bad signature" in a.findings[0].message
    assert not audit([tuple(r) for r in rows], nodes, heads, {}).ok


def test_audit_entries_beyond_the_last_head() -> None:
    rows, nodes, heads = _log(8)
    a = _audit(rows, nodes, heads[:-1])
    assert a.first_bad_entry == 4 and "not covered" in a.findings[-1].message
