"""Requests/s and p50/p99 latency of the main read endpoints, at concurrency 50 on loopback.

Runs ``accord serve`` as a real uvicorn subprocess on a free port, drives it
with httpx's AsyncClient (50 requests in flight), and does it twice in the
same process: with the service's cache (engine results and JSON bytes kept
per case version) and with ``--no-cache`` (every read recomputed) as the
baseline; it prints the ratios. Target: p99 < 50 ms for cached reads.

    python bench/serve.py [--seconds 3] [--concurrency 50]

Bounded in time: about 2 × (start-up + endpoints × seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from statistics import quantiles

import httpx

CASE = "ukraine_2025"
ENDPOINTS = [
    "/api/v1/cases",
    f"/api/v1/cases/{CASE}/plans",
    f"/api/v1/cases/{CASE}/positions",
    f"/api/v1/cases/{CASE}/assess?plan=us-28-point",
    f"/api/v1/cases/{CASE}/plans/us-28-point/matrix",
    f"/cases/{CASE}/plans/us-28-point",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(port: int, cache: bool) -> subprocess.Popen[str]:
    args = [sys.executable, "-c", "from accord.cli import main; main()", "serve", "--port", str(port)]
    if not cache:
        args.append("--no-cache")
    proc = subprocess.Popen(args, cwd=tempfile.mkdtemp(prefix="accord-bench-"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/cases", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit(f"accord serve did not start: {proc.stderr.read() if proc.stderr else ''}")


async def hammer(base: str, path: str, seconds: float, concurrency: int) -> tuple[float, list[float], int]:
    """(requests/s, latencies in ms, errors) for ``seconds`` of ``concurrency`` requests in flight.

    Each of the ``concurrency`` workers has its own AsyncClient holding one keep-alive connection: one
    shared AsyncClient pool of 50 connections spends more time in its pool's locking than the server
    spends answering (measured here: 90 vs 560 requests/s against a bare ASGI app).
    """
    lat: list[float] = []
    errors = 0
    clients = [httpx.AsyncClient(base_url=base, timeout=30, limits=httpx.Limits(max_connections=1))
               for _ in range(concurrency)]
    try:
        for c in clients:  # warm up: fill the cache, open the connections
            await c.get(path)
        stop = time.perf_counter() + seconds

        async def worker(client: httpx.AsyncClient) -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                r = await client.get(path)
                lat.append((time.perf_counter() - t0) * 1000)
                if r.status_code != 200:
                    errors += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(worker(c) for c in clients))
        elapsed = time.perf_counter() - t0
    finally:
        for c in clients:
            await c.aclose()
    return len(lat) / elapsed, lat, errors


async def hammer_raw(port: int, path: str, seconds: float, concurrency: int) -> tuple[float, list[float], int]:
    """The same load from a lean client (asyncio streams, HTTP/1.1 keep-alive): what the server alone costs.

    httpx spends about 1 ms of CPU per request on this machine, more than the server's cached reads, so
    with both on two cores the httpx figures measure the client as much as the server.
    """
    lat: list[float] = []
    errors = 0
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()

    async def one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> int:
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await reader.readexactly(length)
        return status

    conns = [await asyncio.open_connection("127.0.0.1", port) for _ in range(concurrency)]
    for r, w in conns:
        await one(r, w)
    stop = time.perf_counter() + seconds

    async def worker(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            if await one(r, w) != 200:
                errors += 1
            lat.append((time.perf_counter() - t0) * 1000)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(r, w) for r, w in conns))
    elapsed = time.perf_counter() - t0
    for _, w in conns:
        w.close()
    return len(lat) / elapsed, lat, errors


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used, from /proc (0 where there is no /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def run(cache: bool, seconds: float, concurrency: int, raw: bool = False
        ) -> dict[str, tuple[float, float, float, int, float]]:
    """Per endpoint: (requests/s, p50 ms, p99 ms, errors, server CPU ms per request)."""
    port = free_port()
    proc = start(port, cache)
    out = {}
    try:
        for path in ENDPOINTS:
            cpu0 = cpu_seconds(proc.pid)
            if raw:
                rps, lat, errors = asyncio.run(hammer_raw(port, path, seconds, concurrency))
            else:
                rps, lat, errors = asyncio.run(hammer(f"http://127.0.0.1:{port}", path, seconds, concurrency))
            cpu = (cpu_seconds(proc.pid) - cpu0) * 1000 / max(1, len(lat) + concurrency)
            q = quantiles(lat, n=100, method="inclusive")
            out[path] = (rps, q[49], q[98], errors, cpu)
    finally:
        proc.terminate()
        proc.wait(10)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0, help="seconds per endpoint (default 3)")
    ap.add_argument("--concurrency", type=int, default=50)
    a = ap.parse_args()
    print(f"accord serve, {len(ENDPOINTS)} read endpoints, concurrency {a.concurrency}, {a.seconds:g} s each, "
          "httpx AsyncClient on loopback, one uvicorn worker")
    cached = run(True, a.seconds, a.concurrency)
    base = run(False, a.seconds, a.concurrency)
    lean = run(True, a.seconds, a.concurrency, raw=True)
    print(f"{'httpx AsyncClient':50} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'srv cpu':>8} | "
          f"{'no-cache':>8} {'p99 ms':>7} {'srv cpu':>8} | {'speed-up':>8}")
    worst = 0.0
    for path in ENDPOINTS:
        rps, p50, p99, err, cpu = cached[path]
        brps, _, bp99, berr, bcpu = base[path]
        worst = max(worst, p99)
        flag = "" if err == berr == 0 else f"  errors {err}/{berr}"
        print(f"{path:50} {rps:7.0f} {p50:7.1f} {p99:7.1f} {cpu:6.2f}ms | {brps:8.0f} {bp99:7.1f} {bcpu:6.2f}ms | "
              f"{rps / brps:7.1f}x{flag}")
    print(f"\nsame cached server, lean asyncio-socket client (the server's own latency at concurrency "
          f"{a.concurrency}):")
    worst_lean = 0.0
    for path in ENDPOINTS:
        rps, p50, p99, err, cpu = lean[path]
        worst_lean = max(worst_lean, p99)
        print(f"{path:50} {rps:7.0f} {p50:7.1f} {p99:7.1f} {cpu:6.2f}ms{'' if not err else f'  errors {err}'}")
    print(f"worst cached p99, lean client: {worst_lean:.1f} ms (target < 50 ms): "
          f"{'met' if worst_lean < 50 else 'NOT met'}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"worst cached p99, httpx: {worst:.1f} ms (target < 50 ms): {'met' if worst < 50 else 'NOT met'}")
    print(f"{os.cpu_count()} CPUs, load average {load:.1f}; srv cpu = server CPU time per request")


if __name__ == "__main__":
    main()
