"""What a running service holds: its cases (with a version counter), claims, caches, jobs and tokens.

Engine results are cached per case version: any edit to a case bumps its
version and drops what was cached for it, so a read never sees a stale
result. Cached reads keep the serialized JSON bytes, so serving one costs a
dictionary look-up (see ``bench/serve.py``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import secrets
import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import pydantic_core

from accord.extract.documents import Document
from accord.model import Case, Claim
from accord.store.tokens import TokenStore
from accord.web.edits import CaseEdit, Edit, EditKind, ReviewDecision, Reviewed, apply_edit, replay, reviewed
from accord.web.errors import ApiError
from accord.web.jobs import Jobs

if TYPE_CHECKING:
    from accord.web.store_adapter import ServiceStore

T = TypeVar("T")
ReadAccess = Literal["local", "open", "token"]


@dataclass
class CaseEntry:
    case: Case
    version: int
    origin: str
    claims: dict[str, Claim] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    edits: list[CaseEdit] = field(default_factory=list)
    reviews: dict[str, Reviewed] = field(default_factory=dict)
    """Review decisions by proposal id (accepted or dismissed, by whom, when, why)."""


class State:
    """The service's state; one per app (``app.state.accord``)."""

    def __init__(self, *, workspace: Path, tokens: TokenStore, reads: ReadAccess = "local",
                 store: ServiceStore | None = None, max_body: int = 1_000_000, caching: bool = True,
                 as_of: dt.date | None = None):
        self.workspace = workspace.resolve()
        self.as_of = as_of
        """The date reads view the cases as of when a request gives none (``accord serve --as-of``)."""
        self.tokens = tokens
        self.reads: ReadAccess = reads
        self.store = store
        self.max_body = max_body
        self.caching = caching
        self.csrf = secrets.token_urlsafe(32)
        """The dashboard's CSRF token: its pages carry it, its script sends it with requests that start work."""
        self.generation = 0
        """Bumped by every change to a case or its claims (the response cache's key)."""
        self.cases: dict[str, CaseEntry] = {}
        self.jobs = Jobs()
        self._cache: dict[Hashable, Any] = {}
        self._lock = threading.RLock()
        self._versions = itertools.count(1)
        self._claim_ids = itertools.count(1)

    @property
    def lock(self) -> threading.RLock:
        """The lock every change to the cases takes: hold it across a check and the change that depends on it
        (re-entrant, so the change's own methods may be called under it)."""
        return self._lock

    # -- cases ---------------------------------------------------------------------------------
    def add_case(self, case: Case, origin: str, claims: Iterable[Claim] = ()) -> CaseEntry:
        with self._lock:
            if case.id in self.cases:
                raise ApiError(409, f"a case '{case.id}' is already loaded", field="id")
            entry = CaseEntry(case=case, version=next(self._versions), origin=origin)
            for c in claims:
                self._put_claim(entry, c)
            self.cases[case.id] = entry
            self.generation += 1
            return entry

    def entry(self, case_id: str) -> CaseEntry:
        e = self.cases.get(case_id)
        if e is None:
            known = ", ".join(self.cases) or "none"
            raise ApiError(404, f"no case '{case_id}' (loaded: {known})", field="case")
        return e

    def case(self, case_id: str) -> Case:
        """The case as loaded and edited: every state of its history (its ``positions`` are the latest)."""
        return self.entry(case_id).case

    def day(self, as_of: dt.date | None) -> dt.date | None:
        """The date a read views the case as of: the request's, else the service's default (None: latest)."""
        return as_of if as_of is not None else self.as_of

    def view(self, case_id: str, as_of: dt.date | None = None) -> Case:
        """The case as known on ``as_of`` (see :meth:`day`); views are cached by the case itself."""
        return self.entry(case_id).case.at(self.day(as_of))

    def replace_case(self, case_id: str, case: Case) -> CaseEntry:
        with self._lock:
            e = self.entry(case_id)
            e.case = case
            self._bump(e)
            return e

    def edit_case(self, case_id: str, kind: EditKind, key: str, value: Edit | None,
                  author: str = "") -> CaseEntry:
        """Set (or, with ``value=None``, remove) a plan or position, or record a review decision: checked, kept
        in the database, applied.

        The database is written before the case in memory changes, so a failed
        write leaves both as they were.
        """
        with self._lock:
            e = self.entry(case_id)
            case = apply_edit(e.case, kind, key, value)
            content = None if value is None else value.model_dump_json(exclude_defaults=True)
            now = dt.datetime.now(dt.UTC)
            seq = (self.store.record_edit(case_id, kind, key, content, author) if self.store is not None
                   else len(e.edits) + 1)
            edit = CaseEdit(seq=seq, kind=kind, key=key, action="remove" if value is None else "set",
                            author=author, at=now)
            e.edits.append(edit)
            if isinstance(value, ReviewDecision):
                e.reviews[key] = reviewed(edit, value)
            e.case = case
            self._bump(e)
            return e

    def replay_edits(self, case_id: str) -> list[CaseEdit]:
        """Apply the edits kept in the database for a case just loaded; returns those that no longer apply."""
        kept_edits = self.store.load_edits(case_id) if self.store is not None else []
        if not kept_edits:
            return []
        with self._lock:
            e = self.entry(case_id)
            done = replay(e.case, kept_edits)
            e.case = done.case
            e.edits.extend(done.edits)
            e.reviews.update(done.reviews)
            self._bump(e)
            return [x for x in done.edits if not x.applied]

    def _bump(self, e: CaseEntry) -> None:
        e.version = next(self._versions)
        self.generation += 1
        for k in [k for k in self._cache if isinstance(k, tuple) and len(k) > 1 and k[1] == e.case.id]:
            del self._cache[k]

    # -- claims --------------------------------------------------------------------------------
    def _put_claim(self, e: CaseEntry, c: Claim) -> Claim:
        if not c.id:
            n = next(self._claim_ids)
            while f"c{n}" in e.claims:
                n = next(self._claim_ids)
            c = c.model_copy(update={"id": f"c{n}"})
        e.claims[c.id] = c
        return c

    def add_claim(self, case_id: str, claim: Claim) -> Claim:
        with self._lock:
            e = self.entry(case_id)
            if claim.id and claim.id in e.claims:
                raise ApiError(409, f"claim '{claim.id}' already exists in case '{case_id}'", field="id")
            c = self._put_claim(e, claim)
            self._bump(e)
            return c

    def add_document(self, case_id: str, doc: Document, claims: Iterable[Claim]) -> list[Claim]:
        """Keep an article and its claims (replacing the claims earlier extracted from it)."""
        with self._lock:
            e = self.entry(case_id)
            e.documents[doc.id] = doc
            for cid in [k for k, c in e.claims.items() if c.doc == doc.id]:
                del e.claims[cid]
            stored = [self._put_claim(e, c) for c in claims]
            self._bump(e)
            return stored

    def delete_claim(self, case_id: str, claim_id: str) -> None:
        with self._lock:
            e = self.entry(case_id)
            if e.claims.pop(claim_id, None) is None:
                raise ApiError(404, f"no claim '{claim_id}' in case '{case_id}'", field="claim")
            self._bump(e)

    # -- caches --------------------------------------------------------------------------------
    def memo(self, kind: str, case_id: str, params: Hashable, fn: Callable[[], T]) -> T:
        """``fn()`` computed once per case version and parameters."""
        e = self.entry(case_id)
        if not self.caching:
            return fn()
        key = (kind, case_id, e.version, params)
        hit = self._cache.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return,unused-ignore]
        value = fn()
        self._cache[key] = value
        return value

    def json_bytes(self, kind: str, case_id: str, params: Hashable, fn: Callable[[], Any]) -> bytes:
        """The JSON bytes of ``fn()``, cached like :meth:`memo`."""
        return self.memo("json:" + kind, case_id, params, lambda: pydantic_core.to_json(fn()))

    def global_bytes(self, kind: str, fn: Callable[[], Any]) -> bytes:
        """JSON bytes of something that spans cases (e.g. the case list); dropped on any case change."""
        if not self.caching:
            return pydantic_core.to_json(fn())
        key = (kind, "*", tuple((c, e.version) for c, e in self.cases.items()))
        hit = self._cache.get(key)
        if hit is None:
            hit = pydantic_core.to_json(fn())
            for k in [k for k in self._cache if isinstance(k, tuple) and k[:2] == (kind, "*")]:
                del self._cache[k]
            self._cache[key] = hit
        return hit  # type: ignore[no-any-return,unused-ignore]

    # -- paths ---------------------------------------------------------------------------------
    def workspace_path(self, path: str, field: str = "path") -> Path:
        """``path`` resolved inside the workspace; 403 when it would leave it (``..``, absolute, symlinks)."""
        if not path or "\x00" in path:
            raise ApiError(422, "expected a path inside the workspace", field=field)
        p = Path(path)
        full = (p if p.is_absolute() else self.workspace / p)
        try:
            resolved = Path(os.path.realpath(full))
        except (OSError, ValueError):
            raise ApiError(422, f"cannot resolve path '{path}'", field=field) from None
        if resolved != self.workspace and self.workspace not in resolved.parents:
            raise ApiError(403, f"path '{path}' leaves the workspace", field=field)
        return resolved
