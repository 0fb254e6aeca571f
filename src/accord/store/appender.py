"""Reports appended in a process of their own, so that their CPU does not hold the caller's interpreter lock.

Appending a signed report is ~10 ms of Python (the signature checked, the entry
hashed into the tree, the tallies updated, a tree head signed, the SQL). In a
thread of the web service that time holds the GIL, and the event loop answering
board reads from memory waits for it (the p99 of reads under signed writes,
issue 16). An :class:`Appender` runs :func:`accord.store.monitoring.add_reports`
in one child process with its own connection to the same database (a file or a
server: never an in-memory SQLite database, which a child cannot see) and hands
back the result and each :class:`~accord.store.ledger_store.Commit`, for the
caller to bring what it keeps in memory up to the write.

The child is a fresh interpreter (``python -m accord.store.appender``: nothing
of the caller's threads, connections or main module is inherited) started when
the :class:`Appender` is made; it reads the database URL and then one call at a
time from a pipe (length-prefixed pickles, between this process and its own
child only) and answers each in turn. The caller takes turns around
:meth:`Appender.add` as around any write. A child found dead before a call is
replaced and the call made; one that dies during a call raises
:class:`AppendInterrupted` (the write may or may not be stored: the ledger
says), and the next call starts a new one.

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

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from accord.errors import AccordError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from accord.monitor.reports import Row
    from accord.store.ledger_store import Commit
    from accord.store.monitoring import ImportResult


class AppendInterrupted(AccordError):
    """The child died during a call: whether that write is stored, the ledger says."""


def _send(f: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    f.write(len(data).to_bytes(8, "big") + data)
    f.flush()


def _recv(f: IO[bytes]) -> Any:
    """The next message, or None at the end of the pipe."""
    head = f.read(8)
    if len(head) < 8:
        return None
    n = int.from_bytes(head, "big")
    data = f.read(n)
    if len(data) < n:
        return None
    return pickle.loads(data)  # noqa: S301 - written by this module's other end, parent or child


def _serve(inp: IO[bytes], out: IO[bytes]) -> None:
    """The child: open the store named by the first message, then answer calls until the pipe ends."""
    from accord.monitor.keys import private_key_from_seed
    from accord.store.ledger_store import Store
    from accord.store.monitoring import add_reports

    url = _recv(inp)
    if url is None:
        return
    store = Store.open(url, upgrade=False)
    signer: tuple[bytes, Ed25519PrivateKey] | None = None
    while (call := _recv(inp)) is not None:
        rows, name, seed = call
        if signer is None or signer[0] != seed:
            signer = seed, private_key_from_seed(seed)
        commits: list[Commit] = []
        store.on_commit = commits.append
        try:
            reply: Any = (add_reports(store, rows, signer[1], name=name), commits)
        except AccordError as e:
            reply = "\n".join(e.lines())
        _send(out, reply)


class Appender:
    """One child process appending reports to the database at ``url`` (made by :meth:`Store.open`)."""

    def __init__(self, url: str):
        self.url = url
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        with self._lock:
            self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        proc = self._proc
        if proc is None or proc.poll() is not None:
            proc = self._proc = subprocess.Popen([sys.executable, "-m", "accord.store.appender"],
                                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            assert proc.stdin is not None
            _send(proc.stdin, self.url)  # not on the command line: a PostgreSQL URL may hold a password
        return proc

    @property
    def pid(self) -> int | None:
        """The child's process id (None when none runs)."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def add(self, rows: Sequence[Row], name: str, signer: Ed25519PrivateKey) -> tuple[ImportResult, list[Commit]]:
        """Verify and append ``rows`` as :func:`~accord.store.monitoring.add_reports` does, in the child (tree
        heads signed with ``signer``): its result, and the commits it made (none when nothing was new)."""
        from accord.monitor.keys import private_key_seed_hex

        call = (list(rows), name, bytes.fromhex(private_key_seed_hex(signer)))
        with self._lock:
            proc = self._start()
            assert proc.stdin is not None and proc.stdout is not None
            try:
                _send(proc.stdin, call)
            except (BrokenPipeError, OSError):  # found dead before this call: nothing of it reached the child
                self._stop()
                proc = self._start()
                assert proc.stdin is not None
                _send(proc.stdin, call)
            assert proc.stdout is not None
            out = _recv(proc.stdout)
            if out is None:
                self._stop()
                raise AppendInterrupted("the process appending reports stopped during this write; whether it is "
                                        "stored, the ledger says (GET /api/v1/reports)")
        if isinstance(out, str):
            raise AccordError(out)
        result, commits = out
        return result, commits

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for f in (proc.stdin, proc.stdout):
            if f is not None:
                with contextlib.suppress(OSError):
                    f.close()
        try:
            proc.wait(timeout=10)  # it finishes the write in hand, then sees the pipe end
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def close(self) -> None:
        """Stop the child (it finishes the write in hand)."""
        with self._lock:
            self._stop()


if __name__ == "__main__":
    _out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print goes to stderr, not into the replies
    _serve(sys.stdin.buffer, _out)
