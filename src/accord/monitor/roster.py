"""Which key speaks for which monitor, and when: registration, rotation, revocation.

A monitor has **one active key**. Registering a second key for a monitor that
has one is refused (:func:`Roster.registration_problem`): a second key would let
whoever holds it sign as that monitor. A key is replaced by a *rotation* — one
ledger entry that registers the new key and retires the old one — and withdrawn
by a *revocation* with an effective moment (a compromised key: from when it
can no longer be trusted). Both are ledger entries (kind ``monitor-key``),
covered by the signed tree heads like everything else.

**When a key is judged.** A report's ``observed_at`` is claimed by its signer:
whoever stole a key could backdate a report to before the revocation. So a
key's validity is judged by when the report *reached the ledger* — the
timestamp of the first signed tree head that covers its entry, which the log
key signs, not the monitor. A report signed with key K at ledger position
``seq`` that arrived at ``arrived`` counts when K was registered before it, no
rotation retired K before ``seq``, and no revocation of K took effect at or
before ``arrived``. A revocation may take effect in the past: reports that
reached the ledger after that moment stop counting (they stay in the log,
which is append-only, and are listed as revoked); earlier ones stay valid.

>>> import datetime as dt
>>> T = lambda h: dt.datetime(2026, 3, 1, h, tzinfo=dt.UTC)
>>> r = Roster()
>>> r.register(0, Monitor(id="m1", public_key="aa" * 32, key_id="k1"))
>>> print(r.registration_problem("m1", "bb" * 32, T(9)))
monitor 'm1' already has an active key k1; a second key would let either sign as 'm1' — replace it with
a rotation (`accord keys rotate --monitor m1`), which retires k1
>>> r.apply(5, KeyEvent(action="rotate", monitor="m1", key_id="k2", public_key="bb" * 32, retired=("k1",)))
>>> [k.key_id for k in r.signing_keys("m1", 4, T(9))], [k.key_id for k in r.signing_keys("m1", 6, T(9))]
(['k1'], ['k2'])
>>> r.apply(7, KeyEvent(action="revoke", monitor="m1", key_id="k2", effective=T(10), reason="laptop stolen"))
>>> [k.key_id for k in r.signing_keys("m1", 6, T(9))], r.signing_keys("m1", 6, T(11))
(['k2'], [])
>>> r.why_not(r.keys["k2"], 6, T(11))
'revoked from 2026-03-01T10:00:00Z (laptop stolen)'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field, field_validator

from accord.model.source import Strict
from accord.monitor.reports import as_utc, format_utc


class Monitor(Strict):
    """A monitor's registration: its id, display name and public key (ledger entry kind ``monitor``)."""

    id: str
    name: str = ""
    public_key: str
    key_id: str


class KeyEvent(Strict):
    """A rotation or a revocation of a monitor's key (ledger entry kind ``monitor-key``).

    ``rotate``: ``key_id``/``public_key`` is the new key, ``retired`` the keys it
    replaces (from this entry on). ``revoke``: ``key_id`` is withdrawn from
    ``effective`` on (reports that reached the ledger from then on do not count).
    """

    action: Literal["rotate", "revoke"]
    monitor: str = Field(min_length=1)
    key_id: str
    public_key: str | None = None
    retired: tuple[str, ...] = ()
    effective: dt.datetime | None = None
    reason: str = ""
    by: str = ""

    _effective = field_validator("effective", mode="before")(as_utc)

    def to_json(self) -> dict[str, object]:
        out = self.model_dump(mode="json")
        if self.effective is not None:
            out["effective"] = format_utc(self.effective)
        return out


@dataclass
class KeyState:
    """One key of one monitor, with its history: registered at, retired at, revoked from."""

    monitor: str
    name: str
    public_key: str
    key_id: str
    registered: int
    retired: int | None = None
    revoked_from: dt.datetime | None = None
    revoke_reason: str = ""

    def status(self, now: dt.datetime) -> Literal["active", "retired", "revoked"]:
        if self.revoked_from is not None and now >= self.revoked_from:
            return "revoked"
        return "retired" if self.retired is not None else "active"


@dataclass
class Roster:
    """Every monitor key, in the order the ledger registered them."""

    keys: dict[str, KeyState] = field(default_factory=dict)

    def register(self, seq: int, m: Monitor) -> None:
        if m.key_id not in self.keys:
            self.keys[m.key_id] = KeyState(m.id, m.name, m.public_key, m.key_id, seq)

    def apply(self, seq: int, e: KeyEvent) -> None:
        if e.action == "rotate":
            for kid in e.retired:
                if kid in self.keys and self.keys[kid].retired is None:
                    self.keys[kid].retired = seq
            if e.public_key and e.key_id not in self.keys:
                name = next((k.name for k in self.of(e.monitor)), "")
                self.keys[e.key_id] = KeyState(e.monitor, name, e.public_key, e.key_id, seq)
        elif e.key_id in self.keys and e.effective is not None:
            k = self.keys[e.key_id]
            if k.revoked_from is None or e.effective < k.revoked_from:
                k.revoked_from, k.revoke_reason = e.effective, e.reason

    def of(self, monitor: str) -> list[KeyState]:
        """The monitor's keys, oldest first."""
        return [k for k in self.keys.values() if k.monitor == monitor]

    def monitors(self) -> list[str]:
        return list(dict.fromkeys(k.monitor for k in self.keys.values()))

    def active(self, monitor: str, now: dt.datetime) -> list[KeyState]:
        """The keys that may sign for ``monitor`` now (one, unless a ledger predates the rule)."""
        return [k for k in self.of(monitor) if k.status(now) == "active"]

    def why_not(self, k: KeyState, seq: int, arrived: dt.datetime) -> str | None:
        """Why a report at ``seq`` that arrived at ``arrived`` cannot be signed with ``k`` (None if it can)."""
        if seq <= k.registered:
            return f"registered later, at ledger entry #{k.registered}"
        if k.retired is not None and seq > k.retired:
            return f"retired by the rotation at ledger entry #{k.retired}"
        if k.revoked_from is not None and arrived >= k.revoked_from:
            return f"revoked from {format_utc(k.revoked_from)}" + (f" ({k.revoke_reason})" if k.revoke_reason else "")
        return None

    def signing_keys(self, monitor: str, seq: int, arrived: dt.datetime) -> list[KeyState]:
        """The keys a report of ``monitor`` at ledger position ``seq``, arrived at ``arrived``, may be signed with."""
        return [k for k in self.of(monitor) if self.why_not(k, seq, arrived) is None]

    def registration_problem(self, monitor: str, public_key: str, now: dt.datetime) -> str | None:
        """Why ``public_key`` cannot become a key of ``monitor`` now (None: it can, or it already is)."""
        from accord.monitor.keys import key_id

        kid = key_id(public_key)
        known = self.keys.get(kid)
        if known is not None:
            if known.monitor != monitor:
                return f"key {kid} belongs to monitor '{known.monitor}'; a key speaks for one monitor only"
            if known.status(now) != "active":
                return f"key {kid} of monitor '{monitor}' is {known.status(now)}; create a new key"
            return None
        active = self.active(monitor, now)
        if active:
            ids = ", ".join(k.key_id for k in active)
            return (f"monitor '{monitor}' already has an active key {ids}; a second key would let either sign as "
                    f"'{monitor}' — replace it with a rotation (`accord keys rotate --monitor {monitor}`), "
                    f"which retires {ids}")
        return None
