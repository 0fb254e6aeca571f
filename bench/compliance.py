"""GET /compliance over a 100,000-entry ledger at concurrency 50 with 20 % signed writes (issue 16, hole 9).

    python bench/compliance.py [--entries 100000] [--seconds 10] [--concurrency 50] [--writes 0.2]
                               [--dir DIR] [--full]

1. Fills a SQLite ledger to ``--entries`` entries: the bundled case's plan signed, three
   monitors, and reports signed by them on the agreement's indicators in observation order,
   appended in batches of 5,000 with the compliance tallies kept (:func:`accord.store.board.refresh`,
   as every write does). The fill does not check the signatures again (the load's writes
   below do, through the API). ``--dir`` (default: a folder under the system's temp dir
   named for ``--entries``) keeps the ledger: a later run reuses it and takes well under 90 s.
2. Times, in this process, the board read from the tallies (:func:`accord.store.board.read_board`);
   with ``--full`` also the method before the tallies — every report read and judged
   (:func:`accord.store.monitoring.compliance`, minutes at this size) — and the ratio.
3. Starts ``accord serve`` on it three times — ``baseline``: ``--no-cache --no-append-process``
   (every read computes the board from the database in the thread pool, reports appended in
   request threads); ``threads``: ``--no-append-process`` (the boards held in memory,
   :mod:`accord.web.boards`, but reports appended in request threads, whose CPU holds the GIL the
   event loop answering reads needs); ``boards``: as it runs by default (boards advanced in memory
   on each write, reports appended in a child process, :mod:`accord.store.appender`) — and drives
   each for ``--seconds`` with ``--concurrency`` lean keep-alive clients (asyncio streams: httpx
   costs ~1 ms of CPU per request, more than a read): each request is, with probability
   ``--writes``, a newly signed report (``POST /api/v1/reports``, monitor token), else
   ``GET /api/v1/compliance?case=…``. Prints per kind requests/s and p50/p95/p99, the server's
   CPU per request (the service and its child processes), and the load average.
4. Checks that every write answered 201 is in the ledger (none lost) and that the ledger
   verifies (every hash, node and signed head recomputed).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import hashlib
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from statistics import median, quantiles

import httpx
from serve import cpu_seconds, free_port

from accord.model import load_case
from accord.monitor.keys import private_key_from_seed, public_key_hex
from accord.monitor.ledger import Entry
from accord.monitor.obligations import agreement_for, obligations_for
from accord.monitor.reports import Report, sign_report
from accord.store import Store
from accord.store.board import read_board, refresh
from accord.store.monitoring import compliance, register_monitor, sign_agreement

CASE, PLAN, SIGNED = "ukraine_2025", "us-28-point", dt.date(2026, 1, 15)
MONITORS = ["m1", "m2", "m3"]
BATCH = 5000


@functools.cache
def key(monitor: str):  # type: ignore[no-untyped-def]
    return private_key_from_seed(hashlib.sha256(f"bench {monitor}".encode()).digest())


def fill(url: str, log_key_path: Path, entries: int) -> tuple[Store, list[str]]:
    from accord.store import keyfile

    store = Store.open(url)
    log, _ = keyfile.load_or_create(log_key_path)
    case = load_case(CASE)
    plan = case.plan(PLAN)
    sign_agreement(store, case, PLAN, SIGNED, log)
    for m in MONITORS:
        register_monitor(store, m, public_key_hex(key(m)), log)
    indicators = sorted({o.indicator for o in obligations_for(plan, agreement_for(CASE, plan, SIGNED))})
    n = entries - store.size()
    if n <= 0:  # a ledger filled by an earlier run (--dir): use it as it is
        return store, indicators
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    start = dt.datetime(SIGNED.year, SIGNED.month, SIGNED.day, tzinfo=dt.UTC)
    step = (now - start) / n
    rnd = random.Random(16)
    t0 = time.perf_counter()
    for first in range(0, n, BATCH):
        batch = []
        for i in range(first, min(n, first + BATCH)):
            m = MONITORS[i % 3]
            r = Report(monitor=m, indicator=indicators[i % len(indicators)], value=rnd.randint(0, 1_000_000),
                       observed_at=start + step * i, source=f"bench {i}")
            batch.append(Entry("report", r.indicator, sign_report(r, key(m)).to_json()))
        with store.writer(log) as w:  # what add_reports does once the signatures are checked
            assert all(a.new for a in w.append(batch))
            refresh(w)
        print(f"\r  filled {store.size():,} entries ({time.perf_counter() - t0:.0f} s)", end="", flush=True)
    print()
    return store, indicators


def in_process(store: Store, runs: int, full: bool) -> None:
    day = dt.datetime.now(dt.UTC).date()
    fast = []
    for _ in range(runs):
        t = time.perf_counter()
        assert read_board(store, day, CASE) is not None
        fast.append((time.perf_counter() - t) * 1000)
    line = f"in process, {store.size():,} entries: board from the tallies {median(fast):.1f} ms (median of {runs})"
    if full:  # the method before the tallies takes minutes at this size: once
        t = time.perf_counter()
        compliance(store, day, verify=False)
        ms = (time.perf_counter() - t) * 1000
        line += f"; every report read and judged (previous method) {ms:.0f} ms; ratio {ms / median(fast):.0f}x"
    print(line)


def accord(*args: str, cwd: str) -> str:
    r = subprocess.run([sys.executable, "-c", "from accord.cli import main; main()", *args], cwd=cwd,
                       capture_output=True, text=True, timeout=600)
    if r.returncode:
        raise SystemExit(f"accord {' '.join(args)}: {r.stderr}")
    return r.stdout


def signed_reports(indicators: list[str]) -> Iterator[bytes]:
    """Request bodies of new reports by m1, observed in the last hours (distinct: each a new ledger entry)."""
    base = dt.datetime.now(dt.UTC) - dt.timedelta(hours=6)
    nonce = os.urandom(4).hex()
    for i in range(10**9):
        r = Report(monitor="m1", indicator=indicators[i % len(indicators)], value=i,
                   observed_at=base + dt.timedelta(milliseconds=i), source=f"load {nonce} {i}")
        yield json.dumps(sign_report(r, key("m1")).to_json()).encode()


async def load(port: int, token: str, bodies: Iterator[bytes], seconds: float, concurrency: int,
               writes: float) -> tuple[dict[str, list[float]], list[str], int]:
    """Per kind the latencies (ms); the ids of the reports answered 201; the count of other answers."""
    lat: dict[str, list[float]] = {"read": [], "write": []}
    accepted: list[str] = []
    errors = 0
    rnd = random.Random(7)
    read = f"GET /api/v1/compliance?case={CASE} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    write = ("POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
             f"Authorization: Bearer {token}\r\nContent-Length: ").encode()

    async def one(r: asyncio.StreamReader, w: asyncio.StreamWriter, request: bytes) -> tuple[int, bytes]:
        w.write(request)
        head = await r.readuntil(b"\r\n\r\n")
        length = next((int(x.split(b":", 1)[1]) for x in head.split(b"\r\n")
                       if x.lower().startswith(b"content-length:")), 0)
        return int(head.split(b" ", 2)[1]), await r.readexactly(length)

    conns = [await asyncio.open_connection("127.0.0.1", port) for _ in range(concurrency)]
    stop = time.perf_counter() + seconds

    async def worker(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            kind = "write" if rnd.random() < writes else "read"
            body = next(bodies) if kind == "write" else b""
            t = time.perf_counter()
            status, out = await one(r, w, write + f"{len(body)}\r\n\r\n".encode() + body if body else read)
            lat[kind].append((time.perf_counter() - t) * 1000)
            if kind == "write" and status == 201:
                accepted.append(json.loads(out)["id"])
            elif status != 200 or (kind == "read" and not json.loads(out)["available"]):
                errors += 1

    try:
        await asyncio.gather(*(worker(r, w) for r, w in conns))
    finally:
        for _, w in conns:
            w.close()
    return lat, accepted, errors


def tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and every process descended from it (the appender runs in a grandchild)."""
    parents: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parents[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, todo = set(), [pid]
    while todo:
        p = todo.pop()
        tree.add(p)
        todo += [c for c, pp in parents.items() if pp == p and c not in tree]
    return sum(cpu_seconds(p) for p in tree)


def load_average() -> str:
    try:
        return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load average unknown"


def phase(name: str, url: str, log_key: Path, cwd: str, token: str, bodies: Iterator[bytes],
          a: argparse.Namespace) -> tuple[float, list[str]]:
    """Serve, drive, stop; print the figures. The p99 of reads, and the ids of the writes answered 201."""
    port = free_port()
    args = ["serve", "--port", str(port), "--db", url, "--log-key", str(log_key), "--reads", "open"]
    flags = {"baseline": ["--no-cache", "--no-append-process"], "threads": ["--no-append-process"]}
    proc = subprocess.Popen([sys.executable, "-c", "from accord.cli import main; main()", *args,
                             *flags.get(name, [])],
                            cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/api/v1/compliance", params={"case": CASE}, timeout=30).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"accord serve did not start: {proc.stderr.read() if proc.stderr else ''}")
            time.sleep(0.2)
        before = (load_average(), tree_cpu(proc.pid), time.process_time(), cpu_seconds(proc.pid))
        lat, accepted, errors = asyncio.run(load(port, token, bodies, a.seconds, a.concurrency, a.writes))
        server_cpu, client_cpu = tree_cpu(proc.pid) - before[1], time.process_time() - before[2]
        main_cpu = cpu_seconds(proc.pid) - before[3]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    n = sum(len(x) for x in lat.values())
    print(f"{name}: {n:,} requests in {a.seconds:.0f} s, {errors} errors; server CPU {server_cpu * 1000 / n:.2f} "
          f"ms/request ({main_cpu * 1000 / n:.2f} in the process answering), client CPU "
          f"{client_cpu * 1000 / n:.2f} ms/request; {before[0]} before, {load_average()} after")
    p99 = float("nan")
    for kind, xs in lat.items():
        if len(xs) >= 2:
            q = quantiles(xs, n=100, method="inclusive")
            print(f"  {kind:5}: {len(xs):6,} requests, {len(xs) / a.seconds:7.1f}/s, p50 {q[49]:7.1f} ms, "
                  f"p95 {q[94]:7.1f} ms, p99 {q[98]:7.1f} ms")
            if kind == "read":
                p99 = q[98]
    return p99, accepted


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=10, help="seconds of load per server (two servers)")
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--writes", type=float, default=0.2)
    ap.add_argument("--dir", type=Path, default=None)
    ap.add_argument("--full", action="store_true", help="also time the method before the tallies (minutes)")
    a = ap.parse_args()
    t_start = time.perf_counter()
    work = a.dir or Path(tempfile.gettempdir()) / f"accord-bench-compliance-{a.entries}"
    work.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{work / 'ledger.db'}"
    log_key = work / "keys" / "log.pem"
    print(f"ledger {work / 'ledger.db'}; {load_average()}")
    t0 = time.perf_counter()
    store, indicators = fill(url, log_key, a.entries)
    print(f"ledger of {store.size():,} entries ready in {time.perf_counter() - t0:.0f} s")
    in_process(store, 20, a.full)
    token = json.loads(accord("token", "create", "--role", "monitor", "--monitor", "m1", "--db", url, "--json",
                              cwd=str(work)))["token"]
    gen = signed_reports(indicators)  # signed before the load where it can be (the client shares the cores)
    bodies = itertools.chain([next(gen) for _ in range(int(2 * a.seconds * a.concurrency * a.writes * 20))], gen)
    before = store.size()
    p99_base, acc_base = phase("baseline", url, log_key, str(work), token, bodies, a)
    p99_threads, acc_threads = phase("threads", url, log_key, str(work), token, bodies, a)
    p99, accepted = phase("boards", url, log_key, str(work), token, bodies, a)
    stored = _ids(store, before)
    accepted += acc_base + acc_threads
    lost = [i for i in accepted if i not in stored]
    audit = store.audit()
    print(f"writes accepted {len(accepted):,}, lost {len(lost)}; ledger {store.size():,} entries, "
          f"verify {'ok' if audit.ok else 'FAILED'}")
    print(f"p99 of reads: {p99:.1f} ms as served ({'under' if p99 < 50 else 'OVER'} the 50 ms target), "
          f"{p99_threads:.1f} ms with reports appended in request threads (ratio {p99_threads / p99:.1f}x), "
          f"{p99_base:.1f} ms when every read computes the board (ratio {p99_base / p99:.1f}x); "
          f"{load_average()}; whole run {time.perf_counter() - t_start:.0f} s")


def _ids(store: Store, since: int) -> set[str]:
    return {Report.model_validate(e.body).id for s, e in store.entries(["report"]) if s >= since}


if __name__ == "__main__":
    main()
