"""Monte Carlo over the case's estimates, as arrays (draws × actors × issues).

What is drawn — every estimate of the case that carries a range:

- ``capability`` and ``batna`` of each actor (``actors.yaml``),
- ``salience`` of each position, and its ``ideal`` on the axis where the position
  gives ``axis_low``/``axis_high`` (``positions.yaml``).

Each is drawn from its ``dist``: ``triangular`` (low, mode = value, high) or
``uniform`` (low, high), by the inverse CDF of one uniform number per draw
and input — so a draw is a row of a uniform matrix ``U`` (draws × inputs), and
pinning an input (sensitivity) is replacing one column. An actor's drawn
saliences are rescaled to keep their sum (1), so salience stays a share of
attention.

**Claims' confidence.** A position may list the claims it rests on; given
their confidences (``confidence={claim id: c}``), the range of that position's
salience and ideal is scaled about its value by ``k = 0.5 + (1 − c̄)``, ``c̄`` the
mean confidence of those claims: claims at the default confidence 0.5 leave it
as it is, certain claims (1.0) halve it, claims of confidence 0 widen it by
half. A point estimate stays a point; ranges are clipped to [0, 100] (axis) and
≥ 0 (salience).

**Reproducibility and chunks.** Draws are made in chunks of ``chunk_size``;
chunk ``c`` draws from ``numpy.random.default_rng(SeedSequence(seed).spawn(n)[c])``.
A chunk's draws depend only on the seed and its index — not on how many chunks
there are or which worker runs it — so ``--engine dask`` with any number of
workers gives the same numbers as the local engine, bit for bit.

**Models.** ``mean`` and ``median`` (capability × salience weighted baselines,
:mod:`~accord.analysis.baselines`), ``eu`` (:mod:`~accord.analysis.eu_model`;
salience rescaled per actor so its most salient issue is 1, as BDM's 0–1
"priority" per issue), ``smp`` (:mod:`~accord.analysis.smp`; all issues are
the dimensions of one space, saliences as they are). A model's forecast for an
issue is a point on its axis; the forecast *package* takes, on each issue, the
option nearest that point. Only actors with capability and at least one
position take part in the models; every actor is scored by the scenario rules.

>>> from accord.model import DEFAULT_CASE, load_case
>>> p = problem_of(load_case(DEFAULT_CASE), model="median")
>>> r = run_chunk(p, 0, 8, seed=1)
>>> r.position.shape == (8, len(p.issues))
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.baselines import weighted_mean, weighted_median
from accord.analysis.eu_model import EUParams, eu_forecast
from accord.analysis.scenarios import Outcome, evaluate
from accord.analysis.smp import SMPParams, smp_batch
from accord.analysis.space import space_of
from accord.errors import AccordError
from accord.model import Case, Estimate
from accord.model.rules import Node, parse_rule

FloatArray = NDArray[np.float64]
Model = Literal["eu", "smp", "median", "mean"]
MODELS: tuple[str, ...] = ("eu", "smp", "median", "mean")
Kind = Literal["capability", "batna", "salience", "ideal"]
DEFAULT_CHUNK = 500


@dataclass(frozen=True)
class Input:
    """One uncertain estimate: where it lives, its value and the range it is drawn from."""

    name: str  # e.g. "russia.capability", "ukraine.territory.salience"
    kind: Kind
    actor: int
    issue: int  # -1 for actor-level inputs
    value: float
    low: float
    high: float
    dist: Literal["uniform", "triangular"]


@dataclass(frozen=True)
class Problem:
    """Everything one chunk of the Monte Carlo needs (plain arrays: picklable for Dask)."""

    model: str
    issues: tuple[str, ...]
    actors: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    option_axis: tuple[FloatArray, ...]
    status_quo: NDArray[np.int64]  # issues
    capability: FloatArray  # actors
    batna: FloatArray  # actors
    salience: FloatArray  # actors × issues
    ideal: FloatArray  # actors × issues (status-quo axis where no position)
    has_position: NDArray[np.bool_]  # actors × issues
    utility_table: FloatArray  # actors × issues × max options (nan: distance utility)
    red_line: NDArray[np.bool_]  # actors × issues × max options
    inputs: tuple[Input, ...]
    rules: tuple[tuple[str, Node], ...] = ()
    eu: EUParams = field(default_factory=EUParams)
    smp: SMPParams = field(default_factory=SMPParams)

    @property
    def active(self) -> NDArray[np.bool_]:
        """Actors that take part in the models (capability and a position)."""
        cap_hi = self.capability.copy()
        for inp in self.inputs:
            if inp.kind == "capability":
                cap_hi[inp.actor] = max(cap_hi[inp.actor], inp.high)
        return (cap_hi > 0) & self.has_position.any(axis=1)


def _scaled(e: Estimate, k: float, lo: float, hi: float) -> tuple[float, float]:
    low = e.value - k * (e.value - (e.low if e.low is not None else e.value))
    high = e.value + k * ((e.high if e.high is not None else e.value) - e.value)
    return max(lo, low), min(hi, high)


def problem_of(
    case: Case,
    model: str = "eu",
    *,
    confidence: Mapping[str, float] | None = None,
    eu: EUParams | None = None,
    smp: SMPParams | None = None,
) -> Problem:
    """The numeric problem for ``case``: base values, uncertain inputs, parsed scenario rules."""
    if model not in MODELS:
        raise AccordError(f"unknown model '{model}'; expected one of {', '.join(MODELS)}")
    space = space_of(case)  # the base arrays solve uses too
    actors, issues = space.actors, case.issues
    ni, na = len(issues), len(actors)
    mo = max(len(o) for o in space.options)
    sq = np.array([i.option_ids.index(i.status_quo) for i in issues], dtype=np.int64)
    sal, ideal = space.salience.copy(), space.ideal.copy()
    cap, bat = space.capability.copy(), space.batna.copy()
    has = np.zeros((na, ni), dtype=bool)
    table = np.full((na, ni, mo), np.nan)
    red = np.zeros((na, ni, mo), dtype=bool)
    for a in range(na):
        for i, allowed in enumerate(space.allowed[a]):
            red[a, i, : len(allowed)] = ~allowed
    inputs: list[Input] = []
    for a, aid in enumerate(actors):
        act = case.actor(aid)
        for kind, est, lo, hi in (("capability", act.capability, 0.0, math.inf), ("batna", act.batna, 0.0, 1.0)):
            if est.spread > 0:
                low, high = _scaled(est, 1.0, lo, hi)
                inputs.append(Input(f"{aid}.{kind}", kind, a, -1, est.value, low, high, est.dist))  # type: ignore[arg-type]
        for i, iss in enumerate(issues):
            pos = case.position(aid, iss.id)
            if pos is None:
                continue
            has[a, i] = True
            if pos.utility is not None:
                table[a, i, : len(iss.options)] = [pos.utility[o] for o in iss.option_ids]
            k = 1.0
            if confidence and pos.claims:
                known = [confidence[c] for c in pos.claims if c in confidence]
                if known:
                    k = 0.5 + (1.0 - float(np.mean(known)))
            if pos.salience.spread > 0:
                low, high = _scaled(pos.salience, k, 0.0, math.inf)
                if high > low:
                    inputs.append(Input(f"{aid}.{iss.id}.salience", "salience", a, i, pos.salience.value,
                                        low, high, pos.salience.dist))
            if pos.axis_low is not None and pos.axis_high is not None and pos.axis_high > pos.axis_low:
                mode = min(max(ideal[a, i], pos.axis_low), pos.axis_high)
                est = Estimate(value=mode, low=pos.axis_low, high=pos.axis_high)
                low, high = _scaled(est, k, 0.0, 100.0)
                if high > low:
                    inputs.append(Input(f"{aid}.{iss.id}.ideal", "ideal", a, i, mode, low, high, "triangular"))
    rules: list[tuple[str, Node]] = []
    for sc in case.scenarios:
        rules.append((sc.id, parse_rule(sc.rule)))
    return Problem(
        model=model, issues=space.issues, actors=actors, options=space.options, option_axis=space.axis,
        status_quo=sq, capability=cap, batna=bat, salience=sal, ideal=ideal, has_position=has,
        utility_table=table, red_line=red, inputs=tuple(inputs), rules=tuple(rules),
        eu=eu or EUParams(), smp=smp or SMPParams(),
    )


@dataclass(frozen=True)
class Draws:
    """One chunk's inputs: ``capability[d, a]``, ``batna[d, a]``, ``salience[d, a, i]``, ``ideal[d, a, i]``."""

    capability: FloatArray
    batna: FloatArray
    salience: FloatArray
    ideal: FloatArray


def _inverse_cdf(
    u: FloatArray, low: FloatArray, mode: FloatArray, high: FloatArray, tri: NDArray[np.bool_]
) -> FloatArray:
    span = high - low
    safe = np.where(span > 0, span, 1.0)
    fc = (mode - low) / safe
    left = low + np.sqrt(u * span * (mode - low))
    right = high - np.sqrt((1 - u) * span * (high - mode))
    triangular = np.where(u < fc, left, right)
    return np.where(tri, triangular, low + u * span)


def values_of(problem: Problem, u: FloatArray) -> FloatArray:
    """The inputs' values for uniform draws ``u`` (draws × inputs)."""
    if not problem.inputs:
        return np.zeros((u.shape[0], 0))
    low = np.array([i.low for i in problem.inputs])
    high = np.array([i.high for i in problem.inputs])
    mode = np.array([min(max(i.value, i.low), i.high) for i in problem.inputs])
    tri = np.array([i.dist == "triangular" for i in problem.inputs])
    return _inverse_cdf(u, low, mode, high, tri)


def draws_of(problem: Problem, values: FloatArray) -> Draws:
    """Assemble per-draw arrays from input values (draws × inputs)."""
    nd = values.shape[0]
    cap = np.broadcast_to(problem.capability, (nd, len(problem.actors))).copy()
    bat = np.broadcast_to(problem.batna, cap.shape).copy()
    sal = np.broadcast_to(problem.salience, (nd, *problem.salience.shape)).copy()
    ideal = np.broadcast_to(problem.ideal, sal.shape).copy()
    for k, inp in enumerate(problem.inputs):
        col = values[:, k]
        if inp.kind == "capability":
            cap[:, inp.actor] = col
        elif inp.kind == "batna":
            bat[:, inp.actor] = col
        elif inp.kind == "salience":
            sal[:, inp.actor, inp.issue] = col
        else:
            ideal[:, inp.actor, inp.issue] = col
    base = problem.salience.sum(axis=1)  # keep each actor's total salience
    tot = sal.sum(axis=2)
    scale = np.where(tot > 0, base[None, :] / np.where(tot > 0, tot, 1.0), 0.0)
    sal = sal * scale[:, :, None]
    return Draws(cap, bat, sal, ideal)


def predict(problem: Problem, d: Draws) -> FloatArray:
    """The model's forecast position on every issue axis: draws × issues."""
    act = problem.active
    has = problem.has_position[act]  # n × I
    cap = d.capability[:, act]  # D × n
    sal = d.salience[:, act, :]  # D × n × I
    x = d.ideal[:, act, :]
    sq_axis = np.array([ax[j] for ax, j in zip(problem.option_axis, problem.status_quo, strict=True)])
    nd, ni = x.shape[0], x.shape[2]
    if not act.any():
        return np.broadcast_to(sq_axis, (nd, ni)).copy()
    w = np.where(has[None], cap[:, :, None] * sal, 0.0)  # D × n × I
    wt = np.swapaxes(w, 1, 2)  # D × I × n
    xt = np.swapaxes(x, 1, 2)
    model = problem.model
    if model == "mean":
        out = weighted_mean(xt, wt)
    elif model == "median":
        out = weighted_median(xt, wt)
    elif model == "eu":
        top = sal.max(axis=2, keepdims=True)  # BDM salience: share of the actor's top issue
        s_eu = np.where(top > 0, sal / np.where(top > 0, top, 1.0), 0.0)
        mask = np.swapaxes(np.broadcast_to(has[None], sal.shape) & (cap[:, :, None] > 0), 1, 2)
        out = eu_forecast(xt, np.broadcast_to(cap[:, None, :], xt.shape), np.swapaxes(s_eu, 1, 2), mask, problem.eu)
    else:
        keep = cap.max(axis=0) > 0
        final, _ = smp_batch(np.maximum(cap[:, keep], 1e-12), x[:, keep, :] / 100.0, sal[:, keep, :], problem.smp)
        out = weighted_median(np.swapaxes(final * 100.0, 1, 2), wt[:, :, keep])
    return np.where(np.isnan(out), sq_axis[None, :], out) + 0.0  # + 0.0: no −0.0 from reversed scales


def outcome_of(problem: Problem, d: Draws, position: FloatArray) -> Outcome:
    """Score the forecast package of each draw for every actor (utility, red lines crossed)."""
    nd = position.shape[0]
    opt = np.zeros(position.shape, dtype=np.int64)
    util = np.zeros((nd, len(problem.actors)))
    crossed = np.zeros((nd, len(problem.actors)))
    for i, ax in enumerate(problem.option_axis):
        j = np.argmin(np.abs(position[:, i, None] - ax[None, :]), axis=1)  # nearest (lower on a tie)
        opt[:, i] = j
        tab = problem.utility_table[:, i, :][:, j].T  # D × actors
        dist_u = 1.0 - np.abs(ax[j][:, None] - d.ideal[:, :, i]) / 100.0
        u = np.where(np.isnan(tab), dist_u, tab)
        u = np.where(problem.has_position[None, :, i], u, 1.0)
        util += d.salience[:, :, i] * u
        crossed += problem.red_line[:, i, :][:, j].T
    return Outcome(
        issues=problem.issues, actors=problem.actors, options=problem.options, option_axis=problem.option_axis,
        status_quo=problem.status_quo, position=position, option=opt, utility=util, batna=d.batna,
        capability=d.capability, salience=d.salience, crossed=crossed,
    )


@dataclass(frozen=True)
class ChunkResult:
    """One chunk: forecast positions and options per issue, scenario hits, the uniform draws."""

    index: int
    position: FloatArray  # draws × issues
    option: NDArray[np.int64]  # draws × issues
    hits: NDArray[np.bool_]  # draws × scenarios
    u: FloatArray  # draws × inputs


def chunk_seeds(seed: int, n_chunks: int) -> list[np.random.SeedSequence]:
    """Per-chunk seeds: child ``c`` of ``SeedSequence(seed)`` (independent of ``n_chunks``)."""
    return np.random.SeedSequence(seed).spawn(n_chunks)


def evaluate_values(problem: Problem, values: FloatArray) -> tuple[FloatArray, NDArray[np.int64], NDArray[np.bool_]]:
    """Positions, options and scenario hits for given input values (draws × inputs)."""
    d = draws_of(problem, values)
    pos = predict(problem, d)
    out = outcome_of(problem, d, pos)
    hits = np.zeros((pos.shape[0], len(problem.rules)), dtype=bool)
    for s, (_, tree) in enumerate(problem.rules):
        hits[:, s] = evaluate(tree, out)
    return pos, out.option, hits


def run_chunk(problem: Problem, index: int, size: int, seed: int | np.random.SeedSequence) -> ChunkResult:
    """Draw and evaluate one chunk (``seed``: the master seed, or this chunk's own SeedSequence)."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else chunk_seeds(seed, index + 1)[index]
    u = np.random.default_rng(ss).random((size, len(problem.inputs)))
    pos, opt, hits = evaluate_values(problem, values_of(problem, u))
    return ChunkResult(index=index, position=pos, option=opt, hits=hits, u=u)


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
) -> ChunkResult:
    """Run ``draws`` draws in chunks on the local or the Dask engine; results in chunk order.

    ``workers``: size of the local Dask cluster started when no ``address`` is given.
    """
    if draws < 1:
        raise AccordError(f"--draws must be at least 1 (got {draws})")
    sizes = [min(chunk_size, draws - s) for s in range(0, draws, chunk_size)]
    seeds = chunk_seeds(seed, len(sizes))
    if engine == "local":
        parts = []
        for c, (n, ss) in enumerate(zip(sizes, seeds, strict=True)):
            parts.append(run_chunk(problem, c, n, ss))
            if progress:
                progress(c + 1, len(sizes))
    elif engine == "dask":
        parts = _run_dask(problem, sizes, seeds, address, progress, workers)
    else:
        raise AccordError(f"unknown engine '{engine}'; expected local or dask")
    return concat(parts)


def concat(parts: Sequence[ChunkResult]) -> ChunkResult:
    parts = sorted(parts, key=lambda p: p.index)
    return ChunkResult(
        index=0,
        position=np.concatenate([p.position for p in parts]),
        option=np.concatenate([p.option for p in parts]),
        hits=np.concatenate([p.hits for p in parts]),
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
        for done, fut in enumerate(as_completed(futures), start=1):
            parts.append(fut.result())
            if progress:
                progress(done, len(sizes))
        return parts
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def with_model(problem: Problem, model: str) -> Problem:
    """The same problem under another model."""
    if model not in MODELS:
        raise AccordError(f"unknown model '{model}'; expected one of {', '.join(MODELS)}")
    return replace(problem, model=model)
