"""Monte Carlo over the case's estimates: every registered predictor on the same draws.

The numeric problem and how each estimate is drawn are in
:mod:`~accord.analysis.problem`; the models and baselines in
:mod:`~accord.analysis.models`. A run evaluates every predictor of the problem
on the same uniform draws (common random numbers), so the models and the
baselines beside them differ only by what they are, never by sampling.

**Reproducibility and chunks.** Draws are made in chunks of ``chunk_size``;
chunk ``c`` draws from ``numpy.random.default_rng(SeedSequence(seed).spawn(n)[c])``.
A chunk's draws depend only on the seed and its index — not on how many chunks
there are or which worker runs it — so ``--engine dask`` with any number of
workers gives the same numbers as the local engine, bit for bit. The local
engine evaluates the draws in batches of ``batch`` rows (2,000), across chunk
boundaries: every draw is a row of its own, so that changes the time, not the
numbers. Each model call has a fixed cost (the SMP runs until the slowest run
of its batch stops), so a run watched by a ``progress`` callback takes the same
batches as an unwatched one: the progress moves from inside the models, which
report after each block of runs how far they have come (``tick``, see
:func:`~accord.analysis.models.predict_all`).

**Scenarios.** For each draw and predictor the forecast package is scored for
every actor (utility, red lines crossed that hold in the draw) and the case's
scenario rules are read in order: the draw ends in the first scenario whose rule
holds, or in the remainder (:func:`~accord.analysis.scenarios.assign`).

>>> from accord.model import DEFAULT_CASE, load_case
>>> from accord.analysis.models import resolve
>>> p = problem_of(load_case(DEFAULT_CASE), resolve("median"))
>>> r = run_chunk(p, 0, 8, seed=1)
>>> r.position["median"].shape == (8, len(p.issues))
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.analysis.models import predict_all
from accord.analysis.problem import Draws, Problem, Tick, draws_of, problem_of, values_of
from accord.analysis.scenarios import Outcome, assign
from accord.errors import AccordError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
DEFAULT_CHUNK = 500
DEFAULT_BATCH = 2000

__all__ = [
    "DEFAULT_CHUNK", "ChunkResult", "Problem", "chunk_seeds", "concat", "draws_of", "evaluate_values",
    "outcome_of", "problem_of", "run", "run_chunk", "values_of",
]


def outcome_of(problem: Problem, d: Draws, position: FloatArray) -> Outcome:
    """Score the forecast package of each draw for every actor (utility; red lines crossed that hold)."""
    nd = position.shape[0]
    opt = np.zeros(position.shape, dtype=np.int64)
    util = np.zeros((nd, len(problem.actors)))
    crossed = np.zeros((nd, len(problem.actors)))
    curved = bool((problem.curvature != 1.0).any())
    for i, ax in enumerate(problem.option_axis):
        j = np.argmin(np.abs(position[:, i, None] - ax[None, :]), axis=1)  # nearest (lower on a tie)
        opt[:, i] = j
        tab = problem.utility_table[:, i, :][:, j].T  # D × actors
        dist_u = 1.0 - np.abs(ax[j][:, None] - d.ideal[:, :, i]) / 100.0
        u = np.where(np.isnan(tab), dist_u, tab)
        if curved:
            u = 1.0 - (1.0 - u) ** problem.curvature[None, :]
        u = np.where(problem.has_position[None, :, i], u, 1.0)
        util += d.salience[:, :, i] * u
        crossed += problem.red_line[:, i, :][:, j].T & d.holds[:, :, i]
    return Outcome(
        issues=problem.issues, actors=problem.actors, options=problem.options, option_axis=problem.option_axis,
        status_quo=problem.status_quo, position=position, option=opt, utility=util, batna=d.batna,
        capability=d.capability, salience=d.salience, crossed=crossed,
    )


@dataclass(frozen=True)
class ChunkResult:
    """One batch of draws: per predictor the forecast positions, options and the scenario each draw ends in.

    ``scenario[name][d]`` is the index of the case's scenario that draw ``d`` ends in
    under that predictor (every draw ends in exactly one; empty rows without scenarios).
    """

    index: int
    position: dict[str, FloatArray]  # name → draws × issues
    option: dict[str, IntArray]  # name → draws × issues
    scenario: dict[str, IntArray]  # name → draws
    u: FloatArray  # draws × inputs

    def hits(self, name: str, scenarios: int) -> NDArray[np.bool_]:
        """Draws × scenarios: True where the draw ends in that scenario (one per row)."""
        return self.scenario[name][:, None] == np.arange(scenarios)[None, :]


def chunk_seeds(seed: int, n_chunks: int) -> list[np.random.SeedSequence]:
    """Per-chunk seeds: child ``c`` of ``SeedSequence(seed)`` (independent of ``n_chunks``)."""
    return np.random.SeedSequence(seed).spawn(n_chunks)


def evaluate_values(
    problem: Problem, values: FloatArray, tick: Tick | None = None
) -> tuple[dict[str, FloatArray], dict[str, IntArray], dict[str, IntArray]]:
    """Positions, options and the scenario of each draw, per predictor, for input values (draws × inputs);
    ``tick``: the predictors' progress (:func:`~accord.analysis.models.predict_all`)."""
    d = draws_of(problem, values)
    positions = predict_all(problem, d, tick)
    options: dict[str, IntArray] = {}
    scenarios: dict[str, IntArray] = {}
    for name, pos in positions.items():
        out = outcome_of(problem, d, pos)
        options[name] = out.option
        scenarios[name] = assign(problem.rules, out)
    return positions, options, scenarios


def run_chunk(problem: Problem, index: int, size: int, seed: int | np.random.SeedSequence) -> ChunkResult:
    """Draw and evaluate one chunk (``seed``: the master seed, or this chunk's own SeedSequence)."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else chunk_seeds(seed, index + 1)[index]
    u = np.random.default_rng(ss).random((size, len(problem.inputs)))
    pos, opt, scen = evaluate_values(problem, values_of(problem, u))
    return ChunkResult(index=index, position=pos, option=opt, scenario=scen, u=u)


_MALLOC_TUNED = False


def _tune_malloc() -> None:
    """Keep numpy's large temporaries on the heap in Dask workers.

    Dask starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which turns off
    glibc's adaptive mmap threshold: every temporary over 128 KiB is then mapped
    and unmapped afresh, and a chunk runs two to three times slower than in the
    main process. Raising both thresholds restores the usual behaviour (memory
    is still returned when a worker goes idle). A no-op where glibc is absent.
    """
    global _MALLOC_TUNED
    if _MALLOC_TUNED:
        return
    _MALLOC_TUNED = True
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, 256 * 2**20)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, 64 * 2**20)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


def _chunk_task(problem: Problem, index: int, size: int, ss: np.random.SeedSequence) -> ChunkResult:
    _tune_malloc()
    return run_chunk(problem, index, size, ss)


Progress = Callable[[int, int], None]
"""``progress(done, total)``: draws evaluated so far of ``total`` (within a batch, the draws' share of
the work the models report done)."""


def in_draws(report: Callable[[float, str], None] | None) -> Progress | None:
    """``progress(done, total)`` for a ``report(share, message)`` that takes a share and a line to show
    (a web job, the report's steps); None for None.

    >>> in_draws(lambda share, message: print(share, message))(500, 2000)
    0.25 500 of 2,000 draws
    """
    if report is None:
        return None

    def progress(done: int, total: int) -> None:
        report(done / total if total else 1.0, f"{done:,} of {total:,} draws")

    return progress


def _ticks(progress: Progress, start: int, size: int, total: int) -> Tick:
    """The ``tick`` of a batch of ``size`` draws from ``start``: its share done, reported as draws, only
    when the count grows and short of the batch's end (which :func:`run` reports when the batch is scored).

    >>> seen = []
    >>> tick = _ticks(lambda done, total: seen.append(done), 2000, 2000, 4000)
    >>> for f in (0.0, 0.1, 0.1, 0.5, 0.4, 1.0):
    ...     tick(f)
    >>> seen
    [2200, 3000, 3999]
    """
    last = start

    def tick(share: float) -> None:
        nonlocal last
        done = min(start + int(share * size), start + size - 1)
        if done > last:
            last = done
            progress(done, total)

    return tick


def run(
    problem: Problem,
    draws: int,
    seed: int,
    *,
    engine: str = "local",
    address: str | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
    workers: int = 2,
    batch: int = DEFAULT_BATCH,
) -> ChunkResult:
    """Run ``draws`` draws in chunks on the local or the Dask engine; results in chunk order.

    ``progress(done, total)``: called with 0 draws done first (the total is known before any work),
    then as the models go through their blocks of runs (local; :func:`_ticks`) or as chunks of draws
    finish (Dask), last with ``total``; ``workers``: size of the local Dask cluster started when no
    ``address`` is given; ``batch``: how many draws the local engine evaluates at once (the results do
    not depend on it: every draw is evaluated on its own row; watched or not, the batches are the same).
    """
    if draws < 1:
        raise AccordError(f"--draws must be at least 1 (got {draws})")
    sizes = [min(chunk_size, draws - s) for s in range(0, draws, chunk_size)]
    seeds = chunk_seeds(seed, len(sizes))
    if progress:
        progress(0, draws)
    if engine == "local":
        # every chunk draws from its own seed; the draws are evaluated in batches of `step` rows,
        # across chunk boundaries (one model call per batch: a call's fixed cost is paid once per batch)
        u_all = np.concatenate([np.random.default_rng(ss).random((n, len(problem.inputs)))
                                for n, ss in zip(sizes, seeds, strict=True)])
        step = max(1, batch)
        parts: list[ChunkResult] = []
        for start in range(0, draws, step):
            u = u_all[start:start + step]
            tick = None if progress is None else _ticks(progress, start, len(u), draws)
            pos, opt, scen = evaluate_values(problem, values_of(problem, u), tick)
            parts.append(ChunkResult(index=len(parts), position=pos, option=opt, scenario=scen, u=u))
            if progress:
                progress(start + len(u), draws)
    elif engine == "dask":
        parts = _run_dask(problem, sizes, seeds, address, progress, workers)
    else:
        raise AccordError(f"unknown engine '{engine}'; expected local or dask")
    return concat(parts)


def concat(parts: Sequence[ChunkResult]) -> ChunkResult:
    parts = sorted(parts, key=lambda p: p.index)

    def join(field: str) -> dict[str, NDArray[np.generic]]:
        return {k: np.concatenate([getattr(p, field)[k] for p in parts]) for k in getattr(parts[0], field)}

    return ChunkResult(
        index=0, position=join("position"), option=join("option"), scenario=join("scenario"),  # type: ignore[arg-type]
        u=np.concatenate([p.u for p in parts]),
    )


def _run_dask(
    problem: Problem, sizes: list[int], seeds: list[np.random.SeedSequence], address: str | None,
    progress: Progress | None, n_workers: int = 2,
) -> list[ChunkResult]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise AccordError(
            "the dask engine needs Dask distributed: pip install 'accord[dask]' (or 'dask[distributed]')"
        ) from None
    cluster = None
    try:
        if address:
            client = Client(address, timeout="10s")
        else:
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, dashboard_address=None, processes=True)
            client = Client(cluster)
    except OSError as e:
        raise AccordError(f"cannot reach the Dask scheduler at {address}: {e}") from None
    try:
        pf = client.scatter(problem, broadcast=True)
        futures = client.map(_chunk_task, [pf] * len(sizes), list(range(len(sizes))), sizes, seeds, pure=False)
        parts: list[ChunkResult] = []
        for fut in as_completed(futures):
            parts.append(fut.result())
            if progress:
                progress(sum(len(p.u) for p in parts), sum(sizes))
        return parts
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
