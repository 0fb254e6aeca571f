"""The board kept on append answers as the full computation does (hole 9 of issue 16: compliance that scales).

The oracle is the full board — every report read from the ledger and judged by
:func:`accord.monitor.compliance.board` — on the same database, for every bundled case's synthetic stream
(one write per report, shuffled arrival), the gaza public record (ratio obligations), a revocation that
takes reports out, a restored backup, and days before the last report.

The board the web service advances in memory after each write (:meth:`StoredBoard.advance`, from the
tallies the write changed) is checked against the board read afresh after every commit: for arrival orders,
batchings and days hypothesis draws, and on both databases through revocations, new agreements and ratio
obligations (where it must decline and the board is read again).
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.model import load_case
from accord.monitor import synthetic
from accord.monitor.keys import private_key_from_seed, public_key_hex
from accord.monitor.record import load_record
from accord.monitor.reports import Row
from accord.report.compliance import compliance_view
from accord.store import Store
from accord.store.board import StoredBoard, read_board, read_stored
from accord.store.ledger_store import Commit
from accord.store.monitoring import add_reports, compliance, import_record, register_monitor, revoke_key, sign_agreement

LOG = private_key_from_seed(bytes(32))
SIGNED = dt.date(2026, 1, 15)
NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def views(store: Store, day: dt.date, case: str | None = None):  # type: ignore[no-untyped-def]
    fast = read_board(store, day, case)
    assert fast is not None, "the tallies lag the ledger"
    board, agreements, _ = fast
    full, rec = compliance(store, day, verify=False)
    ids = [a.id for a in agreements]
    assert ids == [a.id for a in rec.agreements if case is None or a.case == case]
    return (compliance_view(board, agreements=ids).model_dump(),
            compliance_view(full, agreements=ids).model_dump())


def desk(db_url: str, case_id: str = "ukraine_2025") -> tuple[Store, list]:  # type: ignore[type-arg]
    store = Store.open(db_url)
    case = load_case(case_id)
    plan = next(p for p in case.plans if sum(1 for q in p.provisions if q.obligation) >= 3)
    sign_agreement(store, case, plan.id, SIGNED, LOG)
    for mid, name in synthetic.MONITORS.items():
        register_monitor(store, mid, public_key_hex(synthetic.demo_key(mid)), LOG, name)
    return store, synthetic.synthetic_stream(plan, SIGNED)


def test_one_write_per_report_in_shuffled_order_gives_the_full_board(db_url: str) -> None:
    store, reports = desk(db_url)
    random.Random(16).shuffle(reports)
    for r in reports[:40]:  # one write each, in an arrival order unlike observation order
        assert add_reports(store, [Row(1, r)], LOG, now=NOW).rows[0].outcome == "stored"
    add_reports(store, [Row(i, r) for i, r in enumerate(reports[40:])], LOG, now=NOW)  # and a batch
    last = max(r.observed_on for r in reports)
    for day in (last, last + dt.timedelta(days=30), SIGNED + dt.timedelta(days=100), SIGNED):
        fast, full = views(store, day)
        assert fast == full, day
    assert {r["status"] for r in views(store, last)[0]["rows"]} >= {"breach", "compliant"}


@pytest.mark.parametrize("case_id", ["ukraine_2025", "gaza_2025"])
def test_every_bundled_stream_and_the_gaza_public_record(db_url: str, case_id: str) -> None:
    store, reports = desk(db_url, case_id)
    add_reports(store, [Row(i, r) for i, r in enumerate(reports)], LOG, now=NOW)
    day = max(r.observed_on for r in reports)
    assert views(store, day)[0] == views(store, day)[1]
    if case_id == "gaza_2025":
        case = load_case(case_id)
        rec = load_record(case)
        assert rec is not None
        import_record(store, case, rec, "desk", private_key_from_seed(bytes([9]) * 32), LOG)
        for day in (dt.date(2025, 12, 31), dt.date(2026, 2, 1)):
            fast, full = views(store, day, case_id)
            assert fast == full


def test_a_revocation_takes_reports_out_of_the_stored_board_too(db_url: str) -> None:
    store, reports = desk(db_url)
    add_reports(store, [Row(i, r) for i, r in enumerate(reports)], LOG, now=NOW)
    day = max(r.observed_on for r in reports)
    before = views(store, day)[0]
    revoke_key(store, "synthetic-bravo", LOG, effective=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    fast, full = views(store, day)
    assert fast == full and fast != before


def test_a_restored_backup_is_tallied_on_the_next_write_and_read_in_full_until_then(db_url: str,
                                                                                  tmp_path) -> None:  # type: ignore[no-untyped-def]
    store, reports = desk(db_url)
    add_reports(store, [Row(i, r) for i, r in enumerate(reports[:50])], LOG, now=NOW)
    copy = Store.open(f"sqlite:///{tmp_path / 'copy.db'}")
    copy.import_lines(list(store.export_lines()))
    day = max(r.observed_on for r in reports)
    assert read_board(copy, day) is None  # no tallies: the caller computes in full
    add_reports(copy, [Row(i, r) for i, r in enumerate(reports[50:])], LOG, now=NOW)
    fast, full = views(copy, day)
    assert fast == full


def test_a_two_sided_duty_is_judged_per_party_from_the_store_as_in_full(db_url: str) -> None:
    from accord.monitor.reports import Report, sign_report

    store, _ = desk(db_url)
    mid = next(iter(synthetic.MONITORS))
    key = synthetic.demo_key(mid)

    def rep(value: float, day: int, party: str | None) -> Row:
        return Row(1, sign_report(Report(monitor=mid, indicator="ceasefire_violations_per_day", value=value,
                                         observed_at=SIGNED + dt.timedelta(days=day), source="s", party=party), key))

    out = add_reports(store, [rep(0, 35, "ukraine"), rep(3, 35, "russia"), rep(1, 36, "europe")], LOG, now=NOW)
    assert [r.outcome for r in out.rows] == ["stored", "stored", "rejected"]
    assert "party 'europe' is not obliged by any obligation on 'ceasefire_violations_per_day'" in out.rows[2].message
    day = SIGNED + dt.timedelta(days=40)
    fast, full = views(store, day)
    assert fast == full
    (row,) = [r for r in fast["rows"] if r["provision"] == "28"]
    assert row["obliged"] == ("russia", "ukraine") and row["status"] == "breach"
    assert [(p["actor"], p["status"]) for p in row["parties"]] == [("russia", "breach"), ("ukraine", "compliant")]


class Follower:
    """Advances boards in memory on every commit of ``store``, as the web service does, and checks each against
    the board read afresh (and that one against the full computation)."""

    def __init__(self, store: Store, days: list[dt.date], case: str | None = None):
        self.store, self.case = store, case
        self.boards: dict[dt.date, StoredBoard | None] = {day: read_stored(store, day, case) for day in days}
        self.advanced = self.declined = 0
        store.on_commit = self

    def __call__(self, commit: Commit) -> None:
        for day, held in self.boards.items():
            fresh = read_stored(self.store, day, self.case)  # None: tallies not kept by this write (an agreement)
            assert fresh is None or fresh.size == commit.size
            nxt = None if commit.tallied is None or held is None else held.advance(
                commit.start_size, commit.size, commit.tallied, (ref for _, ref in commit.added))
            if nxt is None:
                self.declined += 1
            else:
                assert fresh is not None
                self.advanced += 1
                ids = [a.id for a in fresh.agreements]
                assert [a.id for a in nxt.agreements] == ids
                assert (compliance_view(nxt.board(), agreements=ids).model_dump()
                        == compliance_view(fresh.board(), agreements=ids).model_dump()), day
                assert nxt == fresh
            self.boards[day] = fresh


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list]:  # type: ignore[type-arg]
    path = tmp_path_factory.mktemp("board") / "template.db"
    store, reports = desk(f"sqlite:///{path}")
    store.close()
    return str(path), reports


@settings(max_examples=6, deadline=None)
@given(data=st.data())
def test_a_board_advanced_write_by_write_equals_the_board_read_afresh(template, tmp_path_factory, data) -> None:  # type: ignore[no-untyped-def]
    import shutil

    path, stream = template
    reports = [stream[i] for i in data.draw(st.permutations(range(60)))[:24]]
    sizes = data.draw(st.lists(st.integers(1, 4), min_size=24, max_size=24))
    offsets = data.draw(st.lists(st.integers(-30, 420), max_size=2, unique=True))
    copy = tmp_path_factory.mktemp("example") / "ledger.db"
    shutil.copy(path, copy)
    store = Store.open(f"sqlite:///{copy}")
    follower = Follower(store, [SIGNED + dt.timedelta(days=d) for d in [800, *offsets]])  # 800: after every report
    i = 0
    for n in sizes:
        if i >= len(reports):
            break
        add_reports(store, [Row(j, r) for j, r in enumerate(reports[i:i + n])], LOG, now=NOW)
        i += n
    assert follower.advanced > 0
    store.close()


def test_advancing_declines_where_it_must_and_agrees_everywhere_else(db_url: str) -> None:
    store, reports = desk(db_url)
    last = max(r.observed_on for r in reports)
    follower = Follower(store, [last + dt.timedelta(days=1), SIGNED + dt.timedelta(days=60)])
    for r in reports[:24]:
        add_reports(store, [Row(1, r)], LOG, now=NOW)
    assert follower.advanced >= 24  # today's board: every one-report write advanced in memory
    declined = follower.declined
    revoke_key(store, "synthetic-bravo", LOG, effective=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert follower.declined == declined + 2  # a revocation: read again
    case = load_case("gaza_2025")
    sign_agreement(store, case, case.plans[0].id, SIGNED, LOG)  # a new agreement: read again
    rec = load_record(case)
    assert rec is not None
    import_record(store, case, rec, "desk", private_key_from_seed(bytes([9]) * 32), LOG)  # ratio obligations
    add_reports(store, [Row(i, r) for i, r in enumerate(reports[24:])], LOG, now=NOW)
    assert follower.declined > declined + 2


def test_a_ratio_obligation_is_read_again_when_its_unit_indicator_is_reported(db_url: str) -> None:
    store, reports = desk(db_url, "gaza_2025")  # palestinian remains returned per hostage remains returned
    follower = Follower(store, [max(r.observed_on for r in reports) + dt.timedelta(days=1)])
    add_reports(store, [Row(1, reports[0])], LOG, now=NOW)  # the first write keeps the tallies: read again
    for r in reports[1:40]:
        add_reports(store, [Row(1, r)], LOG, now=NOW)
    ratio = [r.indicator for r in reports[1:40]
             if r.indicator in ("hostage_remains_returned", "palestinian_remains_returned")]
    assert "hostage_remains_returned" in ratio  # a report on the unit alone changes the ratio obligation
    assert follower.declined == 1 + len(ratio) and follower.advanced == 39 - len(ratio)
