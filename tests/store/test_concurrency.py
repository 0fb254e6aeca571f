"""Two real processes importing reports into one database at the same time lose nothing.

Each worker imports several files (one locked transaction each) through the same
code path as ``accord reports import``; some reports are in both workers' files.
Afterwards every report is stored exactly once and the log verifies. The
reports observe indicators of the 28-point plan, signed before they begin.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing as mp

from accord.model.load import load_case
from accord.monitor.keys import private_key_from_seed, public_key_hex
from accord.monitor.reports import Report, parse_jsonl, sign_report, to_jsonl
from accord.store import Store
from accord.store.monitoring import add_reports, register_monitor, sign_agreement
from accord.store.records import records

LOG_SEED = hashlib.sha256(b"concurrency log key").digest()
MONITOR_SEED = hashlib.sha256(b"concurrency monitor").digest()
FILES, ROWS = 6, 25
SIGNED = dt.date(2025, 12, 31)
# one watched indicator shared by both workers, one of each worker's own
INDICATORS = {"shared": "ukraine_armed_forces_headcount", "w1": "prisoners_unreturned",
              "w2": "ceasefire_violations_per_day"}


def report_file(worker: int, f: int) -> str:
    """JSON Lines of signed reports; rows with even numbers are shared by both workers."""
    key = private_key_from_seed(MONITOR_SEED)
    out = []
    for i in range(ROWS):
        owner = "shared" if i % 2 == 0 else f"w{worker}"
        out.append(sign_report(Report(
            monitor="m", indicator=INDICATORS[owner], value=i, source=f"file {f}",
            observed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=f * ROWS + i)), key))
    return to_jsonl(out)


def _worker(url: str, worker: int, barrier: mp.synchronize.Barrier, results: mp.Queue) -> None:  # type: ignore[name-defined]
    store = Store.open(url)
    log_key = private_key_from_seed(LOG_SEED)
    barrier.wait()
    stored = duplicate = 0
    for f in range(FILES):
        result = add_reports(store, parse_jsonl(report_file(worker, f)), log_key)
        stored += result.count("stored")
        duplicate += result.count("duplicate")
        assert not result.rejected
    store.close()
    results.put((worker, stored, duplicate))


def test_two_processes_import_at_once(db_url: str) -> None:
    store = Store.open(db_url)
    log_key = private_key_from_seed(LOG_SEED)
    sign_agreement(store, load_case("ukraine_2025"), "us-28-point", SIGNED, log_key)
    register_monitor(store, "m", public_key_hex(private_key_from_seed(MONITOR_SEED)), log_key)
    before, heads_before = store.size(), len(store.tree_heads())
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(db_url, w, barrier, results)) for w in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=180)
        assert p.exitcode == 0, f"worker exit code {p.exitcode}"
    outcomes = sorted(results.get(timeout=5) for _ in procs)

    shared = (ROWS + 1) // 2 * FILES
    own = ROWS // 2 * FILES
    assert sum(s for _, s, _ in outcomes) == shared + 2 * own   # every report stored once …
    assert sum(d for _, _, d in outcomes) == shared              # … and each shared one seen twice
    expected = {r.report.id for w in (1, 2) for f in range(FILES)  # type: ignore[union-attr]
                for r in parse_jsonl(report_file(w, f))}
    rec = records(store)
    assert {r.id for r in rec.reports} == expected and len(rec.reports) == len(expected)
    audit = store.audit()
    assert audit.ok, audit.findings
    heads = store.tree_heads()
    assert heads[-1].size == store.size() == before + len(expected)
    assert heads_before + 1 <= len(heads) <= heads_before + 2 * FILES
    store.close()
