"""Scenario rules evaluated over every Monte Carlo draw at once; which results the case fixes.

The language itself (grammar, functions, checks) is documented in
:mod:`accord.model.rules`. Here a parsed rule is evaluated on an
:class:`Outcome` — arrays over draws — with numpy, so a rule costs a handful of
vector operations whatever the number of draws; nothing is ``eval``'d.

A case's scenarios are ordered: each draw ends in the first scenario whose rule
holds, or in the remainder (:func:`assign`), so the probabilities — the share
of draws ending in each — sum to 1. A scenario's 95 % interval is the Wilson
score interval (Wilson 1927), which stays inside [0, 1] and behaves at 0 and 1
where the normal approximation does not. It covers Monte Carlo sampling error
only — not the error in the model or its inputs.

A result no draw can change is not a probability but a property of how the
case is built: :func:`fixed_by_case` proves it where it can (red lines held as
certain that every package crosses, rules that depend only on fixed numbers)
and says why.

>>> import numpy as np
>>> out = Outcome(issues=("t",), actors=("a",), options=(("x", "y"),), option_axis=(np.array([0., 100.]),),
...               status_quo=np.array([0]), position=np.array([[20.], [80.]]), option=np.array([[0], [1]]),
...               utility=np.array([[.6], [.3]]), batna=np.array([[.5], [.5]]), capability=np.ones((2, 1)),
...               salience=np.ones((2, 1, 1)), crossed=np.zeros((2, 1)))
>>> evaluate("option(t) == 'y' or utility(a) < batna(a)", out).tolist()
[False, True]
>>> [round(v, 3) for v in wilson_interval(30, 100)]
[0.219, 0.396]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.analysis.acceptance import accepts
from accord.analysis.problem import Problem
from accord.errors import AccordError
from accord.model.rules import (
    Arith,
    Between,
    Bool,
    BoolOp,
    Call,
    Compare,
    In,
    Neg,
    Node,
    Not,
    Num,
    RuleError,
    Str,
    Truth,
    all3,
    any3,
    not3,
    parse_rule,
    truth,
)

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Outcome:
    """A forecast per draw: ``position[d, i]``, ``option[d, i]`` (index), ``utility[d, a]`` …"""

    issues: tuple[str, ...]
    actors: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    option_axis: tuple[FloatArray, ...]
    status_quo: NDArray[np.int64]  # issues
    position: FloatArray  # draws × issues
    option: NDArray[np.int64]  # draws × issues
    utility: FloatArray  # draws × actors
    batna: FloatArray  # draws × actors
    capability: FloatArray  # draws × actors
    salience: FloatArray  # draws × actors × issues
    crossed: FloatArray  # draws × actors

    @property
    def draws(self) -> int:
        return int(self.position.shape[0])


@dataclass(frozen=True)
class _Opt:
    """An option-valued array: indices into the options of one issue."""

    issue: int
    index: NDArray[np.int64]


Value = FloatArray | NDArray[np.bool_] | _Opt | str


def _call(node: Call, out: Outcome) -> Value:
    a = node.args
    try:
        if node.name in ("position", "option", "status_quo"):
            i = out.issues.index(a[0])
            if node.name == "position":
                return out.position[:, i]
            if node.name == "option":
                return _Opt(i, out.option[:, i])
            return _Opt(i, np.full(out.draws, out.status_quo[i], dtype=np.int64))
        k = out.actors.index(a[0])
        if node.name == "utility":
            return out.utility[:, k]
        if node.name == "batna":
            return out.batna[:, k]
        if node.name == "capability":
            return out.capability[:, k]
        if node.name == "crossed":
            return out.crossed[:, k]
        if node.name == "accepts":
            return accepts(out.utility[:, k], out.batna[:, k], out.crossed[:, k].astype(np.int64))
        if node.name == "salience":
            return out.salience[:, k, out.issues.index(a[1])]
    except ValueError:
        raise AccordError(f"rule names an unknown issue or actor in {node.name}({', '.join(a)})") from None
    raise AccordError(f"unknown function {node.name}")


def _option_index(v: Value, issue: int, out: Outcome) -> NDArray[np.int64]:
    if isinstance(v, _Opt):
        return v.index
    opts = out.options[issue]
    if not isinstance(v, str) or v not in opts:
        raise AccordError(f"issue '{out.issues[issue]}' has no option {v!r}; expected one of {list(opts)}")
    return np.full(out.draws, opts.index(v), dtype=np.int64)


def _compare(op: str, a: Value, b: Value, out: Outcome) -> NDArray[np.bool_]:
    if isinstance(a, _Opt) or isinstance(b, _Opt):
        issue = a.issue if isinstance(a, _Opt) else b.issue  # type: ignore[union-attr]
        ia, ib = _option_index(a, issue, out), _option_index(b, issue, out)
        if op in ("==", "!="):
            return (ia == ib) if op == "==" else (ia != ib)
        axis = out.option_axis[issue]
        xa, xb = axis[ia], axis[ib]
    else:
        xa, xb = np.asarray(a), np.asarray(b)
    res = {
        "<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
        "==": np.equal, "!=": np.not_equal,
    }[op](xa, xb)
    return np.broadcast_to(res, (out.draws,))


def _eval(node: Node, out: Outcome) -> Value:
    if isinstance(node, Num):
        return np.full(out.draws, node.value)
    if isinstance(node, Bool):
        return np.full(out.draws, node.value)
    if isinstance(node, Str):
        return node.value
    if isinstance(node, Call):
        return _call(node, out)
    if isinstance(node, Neg):
        return -np.asarray(_eval(node.operand, out), dtype=float)
    if isinstance(node, Arith):
        a = np.asarray(_eval(node.left, out), dtype=float)
        b = np.asarray(_eval(node.right, out), dtype=float)
        if node.op == "+":
            return a + b
        if node.op == "-":
            return a - b
        if node.op == "*":
            return a * b
        with np.errstate(divide="ignore", invalid="ignore"):
            return a / b
    if isinstance(node, Compare):
        return _compare(node.op, _eval(node.left, out), _eval(node.right, out), out)
    if isinstance(node, Between):
        v = _eval(node.value, out)
        return _compare(">=", v, _eval(node.low, out), out) & _compare("<=", v, _eval(node.high, out), out)
    if isinstance(node, In):
        v = _eval(node.value, out)
        hit = np.zeros(out.draws, dtype=bool)
        for item in node.items:
            hit = hit | _compare("==", v, _eval(item, out), out)
        return ~hit if node.negate else hit
    if isinstance(node, Not):
        return ~np.asarray(_eval(node.operand, out), dtype=bool)
    if isinstance(node, BoolOp):
        vals = [np.asarray(_eval(x, out), dtype=bool) for x in node.items]
        acc = vals[0]
        for v in vals[1:]:
            acc = (acc | v) if node.op == "or" else (acc & v)
        return acc
    raise AccordError(f"cannot evaluate {type(node).__name__}")


def evaluate(rule: str | Node, out: Outcome) -> NDArray[np.bool_]:
    """Whether ``rule`` holds in each draw of ``out`` (a bool array over draws)."""
    try:
        tree = parse_rule(rule) if isinstance(rule, str) else rule
    except RuleError as e:
        raise AccordError(f"scenario rule: syntax error at {e}") from None
    res = _eval(tree, out)
    if isinstance(res, _Opt | str) or np.asarray(res).dtype != bool:
        raise AccordError("a scenario rule must be a condition (true/false), not a value")
    return np.broadcast_to(np.asarray(res, dtype=bool), (out.draws,)).copy()


def assign(rules: Sequence[tuple[str, Node | None]], out: Outcome) -> NDArray[np.int64]:
    """The index of the scenario each draw ends in: the first whose rule holds, else the remainder (rule None).

    Every draw ends in exactly one scenario (-1 when the case has none).

    >>> import numpy as np
    >>> out = Outcome(issues=("t",), actors=("a",), options=(("x", "y"),), option_axis=(np.array([0., 100.]),),
    ...               status_quo=np.array([0]), position=np.array([[20.], [80.], [60.]]),
    ...               option=np.array([[0], [1], [1]]), utility=np.array([[.6], [.3], [.6]]),
    ...               batna=np.full((3, 1), .5), capability=np.ones((3, 1)), salience=np.ones((3, 1, 1)),
    ...               crossed=np.zeros((3, 1)))
    >>> assign([("walk", parse_rule("utility(a) < batna(a)")), ("y", parse_rule("option(t) == 'y'")),
    ...         ("rest", None)], out).tolist()
    [2, 0, 1]
    """
    res = np.full(out.draws, -1, dtype=np.int64)
    open_ = np.ones(out.draws, dtype=bool)
    for k, (_, tree) in enumerate(rules):
        if tree is None:
            res[open_] = k
            return res
        hit = evaluate(tree, out) & open_
        res[hit] = k
        open_ &= ~hit
    if rules and open_.any():
        raise AccordError(f"the scenarios end without a remainder: {int(open_.sum())} draws match none of them")
    return res


def wilson_interval(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (95 % by default)."""
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    lo, hi = max(0.0, centre - half), min(1.0, centre + half)
    # exact at the ends, and never excluding the estimate through rounding
    lo = 0.0 if successes == 0 else min(lo, p)
    hi = 1.0 if successes == n else max(hi, p)
    return (lo, hi)


def _calls(node: Node) -> list[Call]:
    """Every function call in a rule."""
    if isinstance(node, Call):
        return [node]
    kids: tuple[Node, ...] = ()
    if isinstance(node, Neg | Not):
        kids = (node.operand,)
    elif isinstance(node, Arith | Compare):
        kids = (node.left, node.right)
    elif isinstance(node, Between):
        kids = (node.value, node.low, node.high)
    elif isinstance(node, In):
        kids = (node.value, *node.items)
    elif isinstance(node, BoolOp):
        kids = node.items
    return [c for k in kids for c in _calls(k)]


def fixed_by_case(problem: Problem) -> dict[int, tuple[bool, str]]:
    """Scenarios whose result no draw can change: index → (whether every draw ends in it, why).

    A proof, not a count of draws: each rule is evaluated in three-valued logic
    (:func:`accord.model.rules.truth`) over every package, knowing only what the
    case fixes — its drawn numbers' ranges, the status quo, and the red lines held
    as certain (no firmness, or firmness 1): when on some issue every option is on
    such a red line of one actor or another, every package crosses one of them,
    and ``accepts`` is false for at least one of those actors. A scenario is fixed
    when it is first-matched (or never) under every combination of crossings the
    packages allow. A case without uncertain estimates fixes every scenario.
    """
    rules = problem.rules
    if not rules:
        return {}
    trees = [t for _, t in rules]
    actors = sorted({problem.actors.index(c.args[0]) for t in trees if t is not None for c in _calls(t)
                     if c.name in ("accepts", "crossed") and c.args[0] in problem.actors})
    drawn = {(inp.actor, inp.issue) for inp in problem.inputs if inp.kind in ("firmness", "red_line")}
    certain = np.zeros_like(problem.red_line)
    uncertain = np.zeros(len(problem.actors), dtype=int)
    for a in range(len(problem.actors)):
        for i in range(len(problem.issues)):
            if not problem.red_line[a, i].any():
                continue
            if (a, i) in drawn or problem.firmness[a, i] < 1.0:
                uncertain[a] += 1
            else:
                certain[a, i] = problem.red_line[a, i]
    # which sets of these actors' certain red lines some package crosses (bit k: actors[k])
    reach = {0}
    covers: list[int] = []
    for i, opts in enumerate(problem.options):
        masks = {sum(1 << k for k, a in enumerate(actors) if certain[a, i, j]) for j in range(len(opts))}
        if 0 not in masks:
            covers.append(i)
        reach = {r | m for r in reach for m in masks}
    ranges: dict[tuple[str, str], tuple[float, float]] = {}
    for inp in problem.inputs:
        if inp.kind in ("batna", "capability"):
            ranges[(inp.kind, problem.actors[inp.actor])] = (inp.low, inp.high)

    def known_for(crossing: int | None) -> Callable[[Call], object]:
        def known(c: Call) -> object:
            if c.name == "status_quo":
                i = problem.issues.index(c.args[0])
                return problem.options[i][int(problem.status_quo[i])]
            if c.name in ("batna", "capability"):
                a = problem.actors.index(c.args[0])
                v = float((problem.batna if c.name == "batna" else problem.capability)[a])
                return ranges.get((c.name, c.args[0]), (v, v))
            if c.name in ("accepts", "crossed") and crossing is not None and c.args[0] in problem.actors:
                a = problem.actors.index(c.args[0])
                hit = a in actors and bool(crossing >> actors.index(a) & 1)
                if c.name == "accepts":
                    return False if hit else None
                return (1.0, math.inf) if hit else (0.0, float(uncertain[a]))
            return None
        return known

    def matches(crossing: int | None) -> tuple[list[Truth], list[Truth]]:
        """Per scenario: whether a draw ends in it (first match), and whether its own rule holds."""
        known = known_for(crossing)
        ends: list[Truth] = []
        own: list[Truth] = []
        before: Truth = False  # whether an earlier rule holds
        for t in trees:
            mine = True if t is None else truth(t, known)  # type: ignore[arg-type]
            own.append(mine)
            ends.append(all3([not3(before), mine]))
            before = any3([before, mine])
        return ends, own

    per = [matches(c) for c in sorted(reach)]
    free = matches(None)[0]  # knowing nothing about red lines
    fixed: dict[int, tuple[bool, str]] = {}
    names = [sid for sid, _ in rules]
    for k in range(len(rules)):
        vals = {ends[k] for ends, _ in per}
        if len(vals) != 1 or None in vals:
            continue
        value = bool(vals.pop())
        if free[k] is not None:
            why = "its rule depends only on what the case fixes (the status quo and the ranges of its estimates)"
        else:
            why = _cover_text(problem, actors, certain, covers)
        first = next((j for j in range(k) if all(own[j] is True for _, own in per)), None)
        if not value and first is not None:
            why = f"the rule of '{names[first]}', which comes first, holds for every package: {why}"
        elif not value and any(own[k] is False for _, own in per):
            why = f"its rule holds for no package: {why}"
        elif value:
            why = f"every package ends in it: {why}"
        fixed[k] = (value, why)
    return fixed


def _cover_text(problem: Problem, actors: list[int], certain: NDArray[np.bool_], covers: list[int]) -> str:
    """Why every package crosses a certain red line: the issues whose every option is on one."""
    parts = []
    for i in covers[:2]:
        held = []
        for a in actors:
            opts = [problem.options[i][j] for j in range(len(problem.options[i])) if certain[a, i, j]]
            if opts:
                held.append(f"{problem.actors[a]} ({', '.join(opts)})")
        parts.append(f"every option of {problem.issues[i]} is on a red line held as certain by "
                     + " or ".join(held))
    more = f" (and {len(covers) - 2} more issues)" if len(covers) > 2 else ""
    return "; ".join(parts) + more + " — no firmness is given, so no draw lets one break"
