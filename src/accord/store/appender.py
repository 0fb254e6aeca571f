r"""Reports appended in a process of their own, so that their CPU does not hold the caller's interpreter lock.

Appending a signed report is ~10 ms of Python (the signature checked, the entry
hashed into the tree, the tallies updated, a tree head signed, the SQL). In a
thread of the web service that time holds the GIL, and the event loop answering
board reads from memory waits for it (the p99 of reads under signed writes,
issue 16). An :class:`Appender` runs :func:`accord.store.monitoring.add_reports`
in one child process with its own connection to the same database (a file or a
server: never an in-memory SQLite database, which a child cannot see) and hands
back the result and each :class:`~accord.store.ledger_store.Commit`, for the
caller to bring what it keeps in memory up to the write.

The child starts when the :class:`Appender` is made (forked from a clean
``forkserver`` that has imported the store once, or ``spawn``\ed where there is
none: nothing of the caller's threads or connections is inherited). It appends
one call at a time, in the order calls arrive; the caller takes turns around :meth:`Appender.add` as around
any write. A child found dead before a call is replaced and the call made; one
that dies during a call raises :class:`AppendInterrupted` (the write may or may
not be stored: the ledger says), and the next call starts a new one.

>>> import os, tempfile
>>> from accord.monitor.keys import private_key_from_seed
>>> from accord.store import Store
>>> url = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "a.db")
>>> app = Appender(Store.open(url).url)
>>> result, commits = app.add([], "nothing", private_key_from_seed(bytes(32)))
>>> result.rows, commits
((), [])
>>> app.close()
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from accord.errors import AccordError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from accord.monitor.reports import Row
    from accord.store.ledger_store import Commit, Store
    from accord.store.monitoring import ImportResult

_child: Store | None = None
_signer: tuple[bytes, Ed25519PrivateKey] | None = None


def _start(url: str) -> None:
    global _child
    from accord.store.ledger_store import Store

    _child = Store.open(url, upgrade=False)


def _ready() -> None:
    """Nothing: the first call, made at start so that the child is up before the first write."""


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["accord.store.monitoring", "accord.store.appender"])
        return ctx
    return multiprocessing.get_context("spawn")


def _add(rows: Sequence[Row], name: str, seed: bytes) -> tuple[ImportResult, list[Commit]] | str:
    global _signer
    from accord.monitor.keys import private_key_from_seed
    from accord.store.monitoring import add_reports

    assert _child is not None
    store = _child
    if _signer is None or _signer[0] != seed:
        _signer = seed, private_key_from_seed(seed)
    signer = _signer[1]
    commits: list[Commit] = []
    store.on_commit = commits.append
    try:
        return add_reports(store, rows, signer, name=name), commits
    except AccordError as e:
        return "\n".join(e.lines())


class AppendInterrupted(AccordError):
    """The child died during a call: whether that write is stored, the ledger says."""


class Appender:
    """One child process appending reports to the database at ``url`` (made by :meth:`Store.open`)."""

    def __init__(self, url: str):
        self.url = url
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        with self._lock:
            self._start()

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(1, mp_context=_context(), initializer=_start,
                                             initargs=(self.url,))
            self._pool.submit(_ready)
        return self._pool

    def add(self, rows: Sequence[Row], name: str, signer: Ed25519PrivateKey) -> tuple[ImportResult, list[Commit]]:
        """Verify and append ``rows`` as :func:`~accord.store.monitoring.add_reports` does, in the child (tree
        heads signed with ``signer``): its result, and the commits it made (none when nothing was new)."""
        from accord.monitor.keys import private_key_seed_hex

        seed = bytes.fromhex(private_key_seed_hex(signer))
        with self._lock:
            try:
                future = self._start().submit(_add, list(rows), name, seed)
            except BrokenProcessPool:  # found dead before this call: nothing of it reached the child
                self._drop()
                future = self._start().submit(_add, list(rows), name, seed)
            try:
                out = future.result()
            except BrokenProcessPool:
                self._drop()
                raise AppendInterrupted("the process appending reports stopped during this write; whether it is "
                                        "stored, the ledger says (GET /api/v1/reports)") from None
        if isinstance(out, str):
            raise AccordError(out)
        return out

    @property
    def pid(self) -> int | None:
        """The child's process id (None when none runs)."""
        pool = self._pool
        procs = list(getattr(pool, "_processes", None) or {}) if pool is not None else []
        return procs[0] if procs else None

    def _drop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None

    def close(self) -> None:
        """Stop the child (it finishes the write in hand)."""
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown()
                self._pool = None
