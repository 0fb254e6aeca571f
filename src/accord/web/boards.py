"""The compliance board held in memory, so that reading it waits for no database, thread or writer.

:class:`Boards` keeps, per ``(case, agreement, day)``, the board as last
computed — the :class:`~accord.report.data.ComplianceView` and its JSON bytes —
tagged with the ledger size read just before it was computed (the board
reflects at least that many entries). One immutable pair ``(size, boards)``
is swapped in whole, so a reader (``GET /api/v1/compliance`` is an ``async``
handler on the event loop) takes a board with one dictionary look-up and no
lock.

How a board stays current:

- every ledger write made through this service hands its
  :class:`~accord.store.ledger_store.Commit` to :meth:`Boards.apply` once its
  transaction commits and before it answers: each board held is *advanced* —
  only the obligations the write's reports touched are judged again, from the
  tallies the write changed, and the board reassembled (no database read;
  :meth:`accord.store.board.StoredBoard.advance`, tested equal to reading it
  afresh). A write that cannot be applied so (a new agreement, a key revoked, a
  board judged in full on an indicator reported on, another process's write in
  between) recomputes today's boards from the database and drops the others
  (:meth:`Boards.refresh`). A client that got a 201 therefore never reads a
  board older than its write;
- a board asked for and not held (another day, a first read, a size moved on)
  is computed in the thread pool by :meth:`Boards.load` and kept only if no
  newer size was swapped in meanwhile — a late computation never replaces a
  newer board;
- writes made by another process (the CLI, a second server on the same
  database) are noticed by :meth:`Boards.refresh` called on a timer
  (:data:`POLL_S`; one indexed query when nothing changed).

>>> import datetime as dt
>>> from accord.report.data import ComplianceView
>>> size = [3]
>>> boards = Boards(lambda key: Snapshot.of(size[0], ComplianceView(available=False, note=f"{key[0]} {size[0]}")),
...                 lambda: size[0])
>>> key = ("c", None, dt.date(2026, 1, 1))
>>> boards.get(key) is None
True
>>> boards.load(key).view.note, boards.get(key).size
('c 3', 3)
>>> size[0] = 4; boards.refresh(today=dt.date(2026, 1, 1)); boards.get(key).view.note
'c 4'
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accord.errors import AccordError
from accord.report.data import ComplianceView
from accord.store.ledger_store import Commit

Key = tuple[str | None, str | None, dt.date]
"""``(case, agreement, day)``: the board of one case's agreements (or all, or one agreement) judged on a day."""


def utc_today() -> dt.date:
    """The day a board is judged on when none is asked for: today, in UTC."""
    return dt.datetime.now(dt.UTC).date()


def board_key(case: str | None, agreement: str | None, as_of: dt.date | None) -> Key:
    """The board a read asks for: ``as_of`` defaults to :func:`utc_today`.

    >>> board_key("c", None, dt.date(2026, 1, 2))
    ('c', None, datetime.date(2026, 1, 2))
    """
    return case, agreement, as_of or utc_today()

POLL_S = 0.5
"""How often a running service looks for ledger writes made by other processes (seconds)."""
_UNKNOWN = 2**63
"""The size held after a failed refresh: no board computed at a real size equals it, so none is kept."""
MAX_HELD = 64
"""Boards held at once; a refresh recomputes only today's, so this bounds the work of a write."""


@dataclass(frozen=True)
class Snapshot:
    """A board as computed at a ledger ``size``: the view, the bytes ``GET /compliance`` answers, and what the
    service needs to advance it past a write (``parts``: a :class:`~accord.store.board.StoredBoard`, or None)."""

    size: int
    view: ComplianceView
    body: bytes
    parts: Any = None

    @classmethod
    def of(cls, size: int, view: ComplianceView, parts: Any = None) -> Snapshot:
        return cls(size, view, view.model_dump_json().encode(), parts)


@dataclass(frozen=True)
class _Held:
    size: int
    boards: dict[Key, Snapshot] = field(default_factory=dict)


class Boards:
    """Compliance boards by key, current with the ledger size last seen (see the module's docstring).

    ``compute(key)`` reads a board from the database, tagged with the ledger size it reflects (it may raise
    :class:`~accord.errors.AccordError`); ``size()`` reads the ledger's size; ``advance(snapshot, commit)`` is
    the board after a write, computed without the database, or None when it cannot be.
    """

    def __init__(self, compute: Callable[[Key], Snapshot], size: Callable[[], int],
                 advance: Callable[[Snapshot, Commit], Snapshot | None] = lambda snap, commit: None):
        self._compute = compute
        self._size = size
        self._advance = advance
        self._held = _Held(-1)
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """The ledger size the held boards reflect (-1 before the first board or refresh)."""
        return self._held.size

    def get(self, key: Key) -> Snapshot | None:
        """The board held for ``key`` if it is current: no database, no lock (safe on the event loop)."""
        held = self._held
        snap = held.boards.get(key)
        return snap if snap is not None and snap.size == held.size else None

    def load(self, key: Key) -> Snapshot:
        """The board for ``key``: held, or computed now (database work: call it from a thread) and kept."""
        hit = self.get(key)
        if hit is not None:
            return hit
        snap = self.compute(key)
        size = snap.size
        with self._lock:
            held = self._held
            if size > held.size:  # the ledger moved on: what is held is older than this board
                self._held = _Held(size, {key: snap})
            elif size == held.size and len(held.boards) < MAX_HELD:
                self._held = _Held(size, {**held.boards, key: snap})
        return snap

    def forget(self) -> None:
        """Hold no board, and keep none, until a refresh succeeds (after one failed: reads compute theirs)."""
        with self._lock:
            self._held = _Held(_UNKNOWN)

    def compute(self, key: Key) -> Snapshot:
        """The board for ``key`` read from the database now, not kept (``--no-cache``: every read does this)."""
        return self._compute(key)

    def apply(self, commit: Commit, today: dt.date | None = None) -> None:
        """Bring the boards held to a write this service committed (call before answering it; from a thread):
        every board advanced past it in memory, or else today's recomputed (:meth:`refresh`)."""
        with self._lock:  # writes apply in turn, and in the order they committed (the writer's lock)
            held = self._held
            if commit.size <= held.size:
                return  # a refresh already read past it
            if held.size == commit.start_size:
                fresh = {k: s for k, snap in held.boards.items() if (s := self._advance(snap, commit)) is not None}
                if len(fresh) == len(held.boards):
                    self._held = _Held(commit.size, fresh)
                    return
            self._refresh(today)

    def refresh(self, today: dt.date | None = None) -> None:
        """Bring today's boards to the ledger's current size, from the database (writes by other processes;
        from a thread)."""
        with self._lock:  # refreshes in turn: the second of two writers finds the first already covered it
            self._refresh(today)

    def _refresh(self, today: dt.date | None) -> None:
        day = today or utc_today()
        size = self._size()
        held = self._held
        if size == held.size:
            return
        fresh: dict[Key, Snapshot] = {}
        for k in held.boards:
            if k[2] == day:
                try:
                    snap = self._compute(k)
                except AccordError:
                    continue  # asked again, it answers its error from :meth:`load`
                fresh[k] = snap if snap.size == size else Snapshot(size, snap.view, snap.body)
        self._held = _Held(size, fresh)
