"""The compliance board held in memory, so that reading it waits for no database, thread or writer.

:class:`Boards` keeps, per ``(case, agreement, day)``, the board as last
computed — the :class:`~accord.report.data.ComplianceView` and its JSON bytes —
tagged with the ledger size read just before it was computed (the board
reflects at least that many entries). One immutable pair ``(size, boards)``
is swapped in whole, so a reader (``GET /api/v1/compliance`` is an ``async``
handler on the event loop) takes a board with one dictionary look-up and no
lock.

How a board stays current:

- every ledger write made through this service calls :meth:`Boards.refresh`
  after its transaction commits and before it answers: today's boards held are
  recomputed at the new size and swapped in, the others dropped. A client that
  got a 201 therefore never reads a board older than its write;
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
>>> boards = Boards(lambda case, agreement, day: ComplianceView(available=False, note=f"{case} {size[0]}"),
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

from accord.errors import AccordError
from accord.report.data import ComplianceView

Key = tuple[str | None, str | None, dt.date]
"""``(case, agreement, day)``: the board of one case's agreements (or all, or one agreement) judged on a day."""

POLL_S = 0.5
"""How often a running service looks for ledger writes made by other processes (seconds)."""
_UNKNOWN = 2**63
"""The size held after a failed refresh: no board computed at a real size equals it, so none is kept."""
MAX_HELD = 64
"""Boards held at once; a refresh recomputes only today's, so this bounds the work of a write."""


@dataclass(frozen=True)
class Snapshot:
    """A board as computed at a ledger ``size``: the view, and the bytes ``GET /compliance`` answers."""

    size: int
    view: ComplianceView
    body: bytes

    @classmethod
    def of(cls, size: int, view: ComplianceView) -> Snapshot:
        return cls(size, view, view.model_dump_json().encode())


@dataclass(frozen=True)
class _Held:
    size: int
    boards: dict[Key, Snapshot] = field(default_factory=dict)


class Boards:
    """Compliance boards by key, current with the ledger size last seen (see the module's docstring).

    ``compute(case, agreement, day)`` reads a board from the database (it may raise
    :class:`~accord.errors.AccordError`); ``size()`` reads the ledger's size.
    """

    def __init__(self, compute: Callable[[str | None, str | None, dt.date], ComplianceView],
                 size: Callable[[], int]):
        self._compute = compute
        self._size = size
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
        size = self._size()  # before the board: it reflects at least this many entries
        return Snapshot.of(size, self._compute(*key))

    def refresh(self, today: dt.date | None = None) -> None:
        """Bring today's boards to the ledger's current size (call after a write commits; from a thread)."""
        day = today or dt.datetime.now(dt.UTC).date()
        with self._lock:  # refreshes in turn: the second of two writers finds the first already covered it
            size = self._size()
            held = self._held
            if size == held.size:
                return
            fresh: dict[Key, Snapshot] = {}
            for k in held.boards:
                if k[2] == day:
                    try:
                        fresh[k] = Snapshot.of(size, self._compute(*k))
                    except AccordError:
                        continue  # asked again, it answers its error from :meth:`load`
            self._held = _Held(size, fresh)
