"""The web service's bridge to the database (:mod:`accord.store`): the ledger, tokens, claims and case edits.

One :class:`WebStore` per service holds the :class:`~accord.store.Store`
(agreements, monitors and reports recorded in the signed ledger), the token
table, the stored claims and the log of case edits, all in the same database. The ledger's log key
is read from ``log_key`` or its default place apart from the database (:mod:`accord.store.keyfile`;
created when the ledger has none yet); an in-memory database gets a throwaway key.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from accord.errors import AccordError
from accord.model import Claim
from accord.report.compliance import board_view, stored_board
from accord.report.data import ComplianceView
from accord.store.appender import Appender
from accord.store.board import StoredBoard, read_stored
from accord.store.tokens import TokenStore
from accord.web.boards import Boards, Key, Snapshot, board_key

if TYPE_CHECKING:
    from accord.monitor.reports import Row
    from accord.store import Store
    from accord.store.edits import EditKind, StoredEdit
    from accord.store.ledger_store import Commit
    from accord.store.monitoring import ImportResult

log = logging.getLogger("accord.web")


class ServiceStore(Protocol):
    """What the web service needs of its database (the seam :class:`WebStore` implements; None: no ``--db``)."""

    @property
    def url(self) -> str: ...

    @property
    def store(self) -> Store: ...

    @property
    def tokens(self) -> TokenStore: ...

    def signer(self) -> Any: ...

    @property
    def boards(self) -> Boards: ...

    def stamp(self) -> int: ...

    def ledger_write(self) -> AbstractContextManager[Store]: ...

    def add_reports(self, rows: Sequence[Row], name: str) -> ImportResult: ...

    def close(self) -> None: ...

    def records(self) -> Any: ...

    def compliance_view(self, case_id: str | None = None, as_of: dt.date | None = None,
                        agreement: str | None = None) -> ComplianceView: ...

    def load_claims(self, case_id: str) -> list[Claim]: ...

    def save_claim(self, case_id: str, claim: Claim) -> None: ...

    def delete_claim(self, case_id: str, claim_id: str) -> None: ...

    def record_edit(self, case_id: str, kind: EditKind, key: str, content: str | None, author: str) -> int: ...

    def load_edits(self, case_id: str) -> list[StoredEdit]: ...


class WebStore:
    """The database of a running service."""

    def __init__(self, url: str, log_key: Path | None = None, append_process: bool = False):
        from accord.store import Store
        from accord.store.claims import ClaimStore
        from accord.store.edits import EditStore
        from accord.store.tokens import SqlTokenStore

        self.url = url
        self.store = Store.open(url)
        self.tokens = SqlTokenStore(self.store.engine)
        self.claims = ClaimStore(self.store.engine)
        self.edits = EditStore(self.store.engine)
        self.log_key = log_key
        self.key_warning: str | None = None
        self._signer: Any = None
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self.boards = Boards(self._board, self._ledger_size, self._advance)
        """Compliance boards in memory, current with the ledger (:mod:`accord.web.boards`)."""
        self.store.on_commit = self._committed
        self.appender = Appender(self.url) if append_process and not self._in_memory() else None
        """The child process appending reports, started with the service (:mod:`accord.store.appender`; not
        for an in-memory database, which a child cannot see)."""

    # -- the ledger's log key -----------------------------------------------------------------
    def signer(self) -> Any:
        """The private key that signs this ledger's tree heads."""
        with self._lock:
            if self._signer is None:
                self._signer = self._load_signer()
            return self._signer

    def _in_memory(self) -> bool:
        from accord.store.url import is_sqlite, sqlite_path

        return is_sqlite(self.url) and (self.url.strip() in ("sqlite://", "sqlite:///:memory:")
                                        or sqlite_path(self.url) is None)

    def _load_signer(self) -> Any:
        from accord.monitor import keys
        from accord.store import keyfile

        if self.log_key is None and self._in_memory():
            return keys.generate_private_key()  # in-memory database: nothing outlives the process
        path, warning = keyfile.log_key_path(self.url, self.log_key)
        self.key_warning = warning
        if path.exists():
            return keyfile.read_private_key(path)
        if self.store.log_keys():
            raise AccordError(f"{path}: the log key of this ledger is needed to append to it; "
                              "start the server with --log-key or $ACCORD_LOG_KEY")
        key, _ = keyfile.load_or_create(path)
        return key

    # -- reading ------------------------------------------------------------------------------
    def stamp(self) -> int:
        """Changes whenever the ledger grows (part of cache keys): the size the boards in memory reflect."""
        return self.boards.size if self.boards.size >= 0 else self._ledger_size()

    def _ledger_size(self) -> int:
        head = self.store.latest_head()  # every write ends with a signed head: its size is the ledger's
        return head.size if head is not None else 0

    @contextmanager
    def ledger_write(self) -> Iterator[Store]:
        """The store, for one ledger write of this service; once it commits, the boards in memory are brought
        up to it (:meth:`_committed`, before the write is answered: a client never reads a board older than
        its write).

        This service's writers take turns here before they take a database connection: waiting on the
        database's own lock (SQLite's busy handler sleeps up to 100 ms between tries) would hold a connection
        per waiting writer and leave none for reads.
        """
        with self._write_lock:
            yield self.store

    def add_reports(self, rows: Sequence[Row], name: str) -> ImportResult:
        """Verify and append signed reports (:func:`accord.store.monitoring.add_reports`) — in the child process
        of :mod:`accord.store.appender` when the service has one, then the boards brought up to each commit it
        made — in turn with this service's other ledger writes."""
        from accord.store.monitoring import add_reports

        if self.appender is None:
            with self.ledger_write() as store:
                return add_reports(store, rows, self.signer(), name=name)
        with self._write_lock:
            result, commits = self.appender.add(rows, name, self.signer())
            for commit in commits:
                self._committed(commit)
            return result

    def close(self) -> None:
        """Stop the child process appending reports, if one runs."""
        with self._write_lock:
            if self.appender is not None:
                self.appender.close()

    def _committed(self, commit: Commit) -> None:
        """A write through this store committed: the boards in memory follow it (:meth:`Boards.apply`)."""
        try:
            self.boards.apply(commit)
        except Exception:  # the write is committed: answer it; reads compute their boards until a refresh works
            log.exception("refreshing the compliance boards after a write failed")
            self.boards.forget()

    def records(self) -> Any:
        from accord.store.records import records

        return records(self.store)

    def compliance_view(self, case_id: str | None = None, as_of: dt.date | None = None,
                        agreement: str | None = None) -> ComplianceView:
        """The compliance board of one case's agreements (or all), judged on ``as_of`` (default today, UTC).

        Held in memory while the ledger does not grow (:mod:`accord.web.boards`); read from the tallies kept on
        append (:mod:`accord.store.board`: a handful of rows at any ledger size), or from every report when
        they lag the ledger.
        """
        return self.boards.load(board_key(case_id, agreement, as_of)).view

    def _board(self, key: Key) -> Snapshot:
        """The board for ``key`` from the database: the latest signed head checked once, then the board read
        from the tallies in pieces (so that writes can advance it), or in full when they lag the ledger."""
        case_id, agreement, day = key
        head, seal = self.checked_head()
        stored = read_stored(self.store, day, case_id, agreement)
        if stored is None:
            return Snapshot.of(seal.size, stored_board(self.store, case_id, day, agreement,
                                                       seal=seal if head else None))
        return Snapshot.of(stored.size, board_view(stored.board(), [a.id for a in stored.agreements], head,
                                                   seal if head else None), stored)

    def _advance(self, snap: Snapshot, commit: Commit) -> Snapshot | None:
        """The board ``snap`` after this service's ``commit``, in memory (None: it must be read again)."""
        stored = snap.parts
        if not isinstance(stored, StoredBoard) or commit.tallied is None:
            return None
        nxt = stored.advance(commit.start_size, commit.size, commit.tallied, (ref for _, ref in commit.added))
        if nxt is None:
            return None
        return Snapshot.of(nxt.size, board_view(nxt.board(), [a.id for a in nxt.agreements], commit.head,
                                                commit.seal), nxt)

    def checked_head(self) -> tuple[Any, Any]:
        """The latest signed tree head and its check against the stored tree, with this server's own log key."""
        from accord.monitor.keys import public_key_hex

        try:
            pub = public_key_hex(self.signer())
        except AccordError:
            pub = None  # no key here (a read-only copy): the key the database lists, and the seal says so
        return self.store.checked_head(pub)

    # -- claims -------------------------------------------------------------------------------
    def load_claims(self, case_id: str) -> list[Claim]:
        return self.claims.load(case_id)

    def save_claim(self, case_id: str, claim: Claim) -> None:
        self.claims.save(case_id, claim)

    def delete_claim(self, case_id: str, claim_id: str) -> None:
        self.claims.delete(case_id, claim_id)

    # -- case edits ---------------------------------------------------------------------------
    def record_edit(self, case_id: str, kind: EditKind, key: str, content: str | None, author: str) -> int:
        return self.edits.record(case_id, kind, key, content, author)

    def load_edits(self, case_id: str) -> list[StoredEdit]:
        return self.edits.load(case_id)


def open_adapter(db_url: str, log_key: Path | None = None,
                 append_process: bool = False) -> tuple[ServiceStore, TokenStore]:
    """The service's store and its token table."""
    ws = WebStore(db_url, log_key, append_process)
    return ws, ws.tokens
