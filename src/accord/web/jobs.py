"""Long runs (forecast, solve) as jobs: POST creates one, GET polls its status and progress.

Jobs run one at a time on a worker thread (the engines are CPU-bound; two
cores are shared with the server). A job reports progress in [0, 1] through
the callback it is given. An identical request (same kind, case version and
parameters) while a job is queued, running or done returns that job instead
of starting another.

>>> jobs = Jobs()
>>> job = jobs.submit("demo", "toy", {"n": 2}, lambda progress: (progress(0.5, "half"), 42)[1])
>>> jobs.wait(job.id, timeout=5).status, jobs.get(job.id).result
('done', 42)
>>> jobs.shutdown()
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from pydantic import BaseModel

from accord.errors import AccordError

Status = Literal["queued", "running", "done", "failed"]
Progress = Callable[[float, str], None]
KEEP = 200
MAX_PENDING = 4
"""Jobs queued or running at once; more are refused (429) until one finishes."""


class TooBusy(Exception):
    """Too many jobs are queued or running."""


class Job(BaseModel):
    id: str
    kind: str
    case: str
    params: dict[str, Any]
    status: Status = "queued"
    progress: float = 0.0
    message: str = ""
    created: dt.datetime
    started: dt.datetime | None = None
    finished: dt.datetime | None = None
    seconds: float | None = None
    error: str | None = None
    result: Any = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class Jobs:
    """A bounded table of jobs and the worker that runs them."""

    def __init__(self, workers: int = 1):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="accord-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._keys: dict[Hashable, str] = {}
        self._lock = threading.Lock()

    def submit(self, kind: str, case: str, params: dict[str, Any], fn: Callable[[Progress], Any],
               key: Hashable | None = None) -> Job:
        """Queue ``fn(progress)``; returns the (possibly existing, identical) job."""
        with self._lock:
            if key is not None and key in self._keys:
                old = self._jobs.get(self._keys[key])
                if old is not None and old.status != "failed":
                    return old
            pending = sum(1 for j in self._jobs.values() if j.status in ("queued", "running"))
            if pending >= MAX_PENDING:
                raise TooBusy(f"{pending} jobs are queued or running; try again when one finishes")
            job = Job(id=secrets.token_hex(8), kind=kind, case=case, params=params, created=_now())
            self._jobs[job.id] = job
            if key is not None:
                self._keys[key] = job.id
            self._trim()
        self._pool.submit(self._run, job.id, fn)
        return job

    def _trim(self) -> None:
        finished = [j for j in self._jobs.values() if j.status in ("done", "failed")]
        while len(self._jobs) > KEEP and finished:
            old = finished.pop(0)
            self._jobs.pop(old.id, None)
            for k in [k for k, v in self._keys.items() if v == old.id]:
                del self._keys[k]

    def _update(self, job_id: str, **fields: Any) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._jobs[job_id] = job.model_copy(update=fields)

    def _run(self, job_id: str, fn: Callable[[Progress], Any]) -> None:
        t0 = time.perf_counter()
        self._update(job_id, status="running", started=_now())

        def progress(fraction: float, message: str = "") -> None:
            self._update(job_id, progress=max(0.0, min(1.0, float(fraction))), message=message)

        try:
            result = fn(progress)
        except AccordError as e:
            self._update(job_id, status="failed", error="; ".join(e.lines()), finished=_now(),
                         seconds=round(time.perf_counter() - t0, 3))
        except Exception as e:  # a bug in an engine must not kill the worker
            self._update(job_id, status="failed", error=f"{type(e).__name__}: {e}", finished=_now(),
                         seconds=round(time.perf_counter() - t0, 3))
        else:
            self._update(job_id, status="done", progress=1.0, result=result, finished=_now(),
                         seconds=round(time.perf_counter() - t0, 3))

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def list(self) -> list[Job]:
        return list(self._jobs.values())

    def latest(self, kind: str, case: str, **params: Any) -> Job | None:
        """The most recent finished job of ``kind`` for ``case`` (and with these ``params``, when given)."""
        for job in reversed(self._jobs.values()):
            if (job.kind == kind and job.case == case and job.status == "done"
                    and all(job.params.get(k) == v for k, v in params.items())):
                return job
        return None

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        """Block until the job finishes (tests and the CLI)."""
        deadline = time.monotonic() + timeout
        while True:
            job = self._jobs[job_id]
            if job.status in ("done", "failed") or time.monotonic() > deadline:
                return job
            time.sleep(0.01)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
