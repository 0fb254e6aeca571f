"""Scenario rules evaluated over every Monte Carlo draw at once.

The language itself (grammar, functions, checks) is documented in
:mod:`accord.model.rules`. Here a parsed rule is evaluated on an
:class:`Outcome` — arrays over draws — with numpy, so a rule costs a handful of
vector operations whatever the number of draws; nothing is ``eval``'d.

The probability of a scenario is the share of draws where its rule holds; its
95 % confidence interval is the Wilson score interval (Wilson 1927), which
stays inside [0, 1] and behaves at 0 and 1 where the normal approximation does
not. It covers Monte Carlo sampling error only — not the error in the model
or its inputs.

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
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

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
    parse_rule,
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
            return (out.utility[:, k] >= out.batna[:, k]) & (out.crossed[:, k] == 0)
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
