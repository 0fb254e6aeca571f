"""GET /compliance over a 100,000-entry ledger at concurrency 50 with 20 % signed writes (issue 16, hole 9).

    python bench/compliance.py [--entries 100000] [--seconds 20] [--concurrency 50] [--writes 0.2] [--dir DIR]

1. Fills a SQLite ledger to ``--entries`` entries: the bundled case's plan signed, three
   monitors, and signed reports on the agreement's indicators in observation order
   (through :func:`accord.store.monitoring.add_reports`, batches of 5,000: every
   signature verified, the tallies kept as a real desk would).
2. Times, in this process, the board read from the tallies (:func:`accord.store.board.read_board`)
   against the previous method — every report read from the ledger and judged
   (:func:`accord.store.monitoring.compliance`) — and prints the ratio.
3. Starts ``accord serve`` on it (a real uvicorn subprocess), and drives it with
   ``--concurrency`` workers for ``--seconds``: each request is, with probability
   ``--writes``, a newly signed report (``POST /api/v1/reports`` with a monitor token),
   else ``GET /api/v1/compliance?case=…``. Prints requests/s and p50/p99 latency of
   reads and writes (target: p99 of reads under 50 ms).
4. Stops the server and checks that every write answered 201 is in the ledger (none
   lost) and that ``accord ledger verify`` passes.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median, quantiles

import httpx

from accord.model import load_case
from accord.monitor.keys import private_key_from_seed, public_key_hex
from accord.monitor.obligations import agreement_for, obligations_for
from accord.monitor.reports import Report, Row, sign_report
from accord.store import Store
from accord.store.board import read_board
from accord.store.monitoring import add_reports, compliance, register_monitor, sign_agreement

CASE, PLAN, SIGNED = "ukraine_2025", "us-28-point", dt.date(2026, 1, 15)
MONITORS = ["m1", "m2", "m3"]


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
    now = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    start = dt.datetime(SIGNED.year, SIGNED.month, SIGNED.day, tzinfo=dt.UTC)
    step = (now - start) / n
    rnd = random.Random(16)
    t0 = time.perf_counter()
    batch: list[Row] = []
    for i in range(n):
        m = MONITORS[i % 3]
        r = Report(monitor=m, indicator=indicators[i % len(indicators)], value=rnd.randint(0, 1_000_000),
                   observed_at=start + step * i, source=f"bench {i}")
        batch.append(Row(i, sign_report(r, key(m))))
        if len(batch) == 5000 or i == n - 1:
            res = add_reports(store, batch, log)
            assert res.count("stored") == len(batch), res.rejected[:1]
            batch = []
            print(f"\r  filled {store.size():,} entries ({time.perf_counter() - t0:.0f} s)", end="", flush=True)
    print()
    return store, indicators


def in_process(store: Store, runs: int) -> None:
    day = dt.datetime.now(dt.UTC).date()
    fast, full = [], []
    for _ in range(runs):
        t = time.perf_counter()
        assert read_board(store, day, CASE) is not None
        fast.append((time.perf_counter() - t) * 1000)
    for _ in range(1):  # the previous method takes seconds to minutes at this size: once
        t = time.perf_counter()
        compliance(store, day, verify=False)
        full.append((time.perf_counter() - t) * 1000)
    print(f"in process, {store.size():,} entries: board from tallies {median(fast):.1f} ms (median of {runs}); "
          f"every report judged (previous method) {median(full):.0f} ms; ratio {median(full) / median(fast):.0f}x")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def accord(*args: str, cwd: str) -> str:
    r = subprocess.run([sys.executable, "-c", "from accord.cli import main; main()", *args], cwd=cwd,
                       capture_output=True, text=True, timeout=600)
    if r.returncode:
        raise SystemExit(f"accord {' '.join(args)}: {r.stderr}")
    return r.stdout


async def load(base: str, token: str, indicators: list[str], seconds: float, concurrency: int,
               writes: float) -> tuple[dict[str, list[float]], list[str], int]:
    lat: dict[str, list[float]] = {"read": [], "write": []}
    accepted: list[str] = []
    errors = 0
    rnd = random.Random(7)
    auth = {"Authorization": f"Bearer {token}"}
    counter = iter(range(10**9))
    clients = [httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=1))
               for _ in range(concurrency)]
    stop = time.perf_counter() + seconds

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            t = time.perf_counter()
            if rnd.random() < writes:
                i = next(counter)
                r = sign_report(Report(monitor="m1", indicator=indicators[i % len(indicators)], value=i,
                                       observed_at=dt.datetime.now(dt.UTC), source=f"load {i}"), key("m1"))
                resp = await client.post("/api/v1/reports", json=r.to_json(), headers=auth)
                kind = "write"
                if resp.status_code == 201:
                    accepted.append(r.id)
                else:
                    errors += 1
            else:
                resp = await client.get("/api/v1/compliance", params={"case": CASE}, headers=auth)
                kind = "read"
                if resp.status_code != 200 or not resp.json()["available"]:
                    errors += 1
            lat[kind].append((time.perf_counter() - t) * 1000)

    try:
        await asyncio.gather(*(worker(c) for c in clients))
    finally:
        for c in clients:
            await c.aclose()
    return lat, accepted, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--writes", type=float, default=0.2)
    ap.add_argument("--dir", type=Path, default=None)
    a = ap.parse_args()
    work = a.dir or Path(tempfile.mkdtemp(prefix="accord-bench-compliance-"))
    work.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{work / 'ledger.db'}"
    log_key = work / "keys" / "log.pem"
    env_dir = str(work)
    t0 = time.perf_counter()
    store, indicators = fill(url, log_key, a.entries)
    print(f"ledger of {store.size():,} entries filled in {time.perf_counter() - t0:.0f} s")
    in_process(store, 50)
    token = json.loads(accord("token", "create", "--role", "monitor", "--monitor", "m1", "--db", url, "--json",
                              cwd=env_dir))["token"]
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from accord.cli import main; main()", "serve", "--port",
                             str(port), "--db", url, "--log-key", str(log_key), "--reads", "open"],
                            cwd=env_dir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
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
        before = store.size()
        lat, accepted, errors = asyncio.run(load(base, token, indicators, a.seconds, a.concurrency, a.writes))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    for kind, xs in lat.items():
        if len(xs) >= 2:
            q = quantiles(xs, n=100, method="inclusive")
            print(f"{kind:5}: {len(xs):6,} requests, {len(xs) / a.seconds:7.1f}/s, p50 {q[49]:7.1f} ms, "
                  f"p99 {q[98]:7.1f} ms")
    reads = lat["read"]
    p99 = quantiles(reads, n=100, method="inclusive")[98] if len(reads) >= 2 else float("nan")
    stored = _ids(store, before)
    lost = [i for i in accepted if i not in stored]
    audit = store.audit()
    print(f"writes accepted {len(accepted):,}, lost {len(lost)}; errors {errors}; ledger {store.size():,} entries, "
          f"verify {'ok' if audit.ok else 'FAILED'}; p99 of reads {p99:.1f} ms "
          f"({'under' if p99 < 50 else 'OVER'} the 50 ms target)")


def _ids(store: Store, since: int) -> set[str]:
    return {Report.model_validate(e.body).id for s, e in store.entries(["report"]) if s >= since}


if __name__ == "__main__":
    main()
