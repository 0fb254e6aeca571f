"""The scenario rule language: a small, safe expression language (no ``eval``).

A scenario (``scenarios.yaml``) names a class of outcome by a rule over a
forecast, e.g.::

    collapse:   utility(russia) < batna(russia) or utility(ukraine) < batna(ukraine)
    armistice:  option(ceasefire) in ['on-signature', 'after-pullback']
                and position(territory) between 25 and 60

Grammar (keywords are lower case; ``#`` starts nothing — rules are one expression)::

    rule     := or
    or       := and ("or" and)*
    and      := not ("and" not)*
    not      := "not" not | compare
    compare  := sum [ OP sum | "between" sum "and" sum | ["not"] "in" "[" value ("," value)* "]" ]
    OP       := "<" | "<=" | ">" | ">=" | "==" | "!="
    sum      := product (("+" | "-") product)*
    product  := unary (("*" | "/") unary)*
    unary    := "-" unary | primary
    primary  := NUMBER | STRING | "true" | "false" | call | "(" rule ")"
    call     := NAME "(" NAME ["," NAME] ")"

Functions (their arguments are bare issue and actor ids):

=========================  =======  ==============================================================
``position(ISSUE)``        number   forecast position on the issue's 0–100 axis
``option(ISSUE)``          option   the issue's option nearest that position
``status_quo(ISSUE)``      option   the issue's status-quo option
``utility(ACTOR)``         number   the actor's utility (0–1) of the forecast package
``batna(ACTOR)``           number   the actor's value of no agreement (0–1)
``capability(ACTOR)``      number   the actor's capability
``salience(ACTOR, ISSUE)`` number   the actor's salience for the issue
``crossed(ACTOR)``         number   how many of the actor's red lines the forecast package crosses
``accepts(ACTOR)``         boolean  ``utility ≥ batna`` and no red line crossed
=========================  =======  ==============================================================

An option compares with a quoted option id of the same issue: ``==``/``!=``/``in``
by identity, ``<``/``<=``/``>``/``>=`` by place on the axis (``option(territory) <=
'signing-line-zones'``: that option or one nearer the axis-0 pole). ``a between
lo and hi`` is ``lo <= a and a <= hi``. Every number drawn in the Monte Carlo
(positions, salience, capability, batna) is one draw's value, so a rule is
evaluated once per draw and the scenario's probability is the share of draws
where it holds.

:func:`parse_rule` turns text into a tree of frozen dataclasses (once);
:func:`rule_problems` checks issue, actor and option names against a case;
:mod:`accord.analysis.scenarios` evaluates a tree over all draws at once.

>>> tree = parse_rule("utility(russia) < batna(russia) or not accepts(ukraine)")
>>> type(tree).__name__, tree.op
('BoolOp', 'or')
>>> rule_problems("position(teritory) > 50", {"territory": ["a", "b"]}, {"russia"})
["unknown issue 'teritory'; expected one of ['territory']"]
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

FUNCTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    # name: (argument kinds, result type)
    "position": (("issue",), "number"),
    "option": (("issue",), "option"),
    "status_quo": (("issue",), "option"),
    "utility": (("actor",), "number"),
    "batna": (("actor",), "number"),
    "capability": (("actor",), "number"),
    "salience": (("actor", "issue"), "number"),
    "crossed": (("actor",), "number"),
    "accepts": (("actor",), "bool"),
}
COMPARE = ("<", "<=", ">", ">=", "==", "!=")
MAX_LENGTH = 2000
"""The longest rule, in characters."""
MAX_DEPTH = 32
"""The deepest nesting of a rule: parentheses, ``not``, unary minus and chained ``+ - * /`` each add a level."""


class RuleError(ValueError):
    """A rule that does not parse; ``col`` is the 1-based column of the problem."""

    def __init__(self, message: str, col: int):
        super().__init__(f"column {col}: {message}")
        self.col = col


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class Bool:
    value: bool


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Arith:
    op: str  # + - * /
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare:
    op: str  # < <= > >= == !=
    left: Node
    right: Node


@dataclass(frozen=True)
class Between:
    value: Node
    low: Node
    high: Node


@dataclass(frozen=True)
class In:
    value: Node
    items: tuple[Node, ...]
    negate: bool = False


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class BoolOp:
    op: str  # and / or
    items: tuple[Node, ...]


Node = Num | Str | Bool | Call | Neg | Arith | Compare | Between | In | Not | BoolOp

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
    r"|(?P<str>'[^']*'|\"[^\"]*\")"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_\-]*)"
    r"|(?P<op><=|>=|==|!=|[<>()\[\],+\-*/]))"
)
_KEYWORDS = {"and", "or", "not", "in", "between", "true", "false"}


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            col = pos + len(text[pos:]) - len(text[pos:].lstrip()) + 1
            raise RuleError(f"unexpected character {text[col - 1]!r}", col)
        kind = m.lastgroup or ""
        val = m.group(kind)
        col = m.start(kind) + 1
        if kind == "name" and val in _KEYWORDS:
            kind = "kw"
        out.append((kind, val, col))
        pos = m.end()
    out.append(("end", "", len(text) + 1))
    return out


class _Parser:
    def __init__(self, text: str):
        if len(text) > MAX_LENGTH:
            raise RuleError(f"rule is {len(text)} characters long; at most {MAX_LENGTH}", MAX_LENGTH + 1)
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0

    def deeper(self, col: int) -> None:
        """One more level of nesting (undone by the caller); a clear error instead of a stack overflow."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise RuleError(f"rule nested deeper than {MAX_DEPTH} levels", col)

    def peek(self) -> tuple[str, str, int]:
        return self.toks[self.i]

    def take(self) -> tuple[str, str, int]:
        t = self.toks[self.i]
        self.i += 1
        return t

    def accept(self, kind: str, val: str | None = None) -> bool:
        k, v, _ = self.peek()
        if k == kind and (val is None or v == val):
            self.i += 1
            return True
        return False

    def expect(self, kind: str, val: str, what: str) -> None:
        if not self.accept(kind, val):
            _, v, col = self.peek()
            raise RuleError(f"expected {what}, found {v or 'end of rule'!r}", col)

    def rule(self) -> Node:
        node = self.or_()
        k, v, col = self.peek()
        if k != "end":
            raise RuleError(f"unexpected {v!r}; expected 'and', 'or' or the end of the rule", col)
        return node

    def or_(self) -> Node:
        items = [self.and_()]
        while self.accept("kw", "or"):
            items.append(self.and_())
        return items[0] if len(items) == 1 else BoolOp("or", tuple(items))

    def and_(self) -> Node:
        items = [self.not_()]
        while self.accept("kw", "and"):
            items.append(self.not_())
        return items[0] if len(items) == 1 else BoolOp("and", tuple(items))

    def not_(self) -> Node:
        col = self.peek()[2]
        if self.accept("kw", "not"):
            self.deeper(col)
            node = Not(self.not_())
            self.depth -= 1
            return node
        return self.compare()

    def compare(self) -> Node:
        left = self.sum()
        k, v, _ = self.peek()
        if k == "op" and v in COMPARE:
            self.take()
            return Compare(v, left, self.sum())
        if self.accept("kw", "between"):
            low = self.sum()
            self.expect("kw", "and", "'and' (between LOW and HIGH)")
            return Between(left, low, self.sum())
        negate = False
        if k == "kw" and v == "not" and self.toks[self.i + 1][:2] == ("kw", "in"):
            self.take()
            negate = True
        if self.accept("kw", "in"):
            self.expect("op", "[", "'[' to open the list")
            items = [self.sum()]
            while self.accept("op", ","):
                items.append(self.sum())
            self.expect("op", "]", "']' to close the list")
            return In(left, tuple(items), negate)
        return left

    def sum(self) -> Node:
        return self.chain(("+", "-"), self.product)

    def product(self) -> Node:
        return self.chain(("*", "/"), self.unary)

    def chain(self, ops: tuple[str, ...], operand: Callable[[], Node]) -> Node:
        """``operand (op operand)*``, left-associative: each operator nests the tree one level deeper."""
        start = self.depth
        node = operand()
        while True:
            k, v, col = self.peek()
            if k != "op" or v not in ops:
                self.depth = start
                return node
            self.take()
            self.deeper(col)
            node = Arith(v, node, operand())

    def unary(self) -> Node:
        col = self.peek()[2]
        if self.accept("op", "-"):
            self.deeper(col)
            node = Neg(self.unary())
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Node:
        k, v, col = self.take()
        if k == "num":
            return Num(float(v))
        if k == "str":
            return Str(v[1:-1])
        if k == "kw" and v in ("true", "false"):
            return Bool(v == "true")
        if k == "op" and v == "(":
            self.deeper(col)
            node = self.or_()
            self.expect("op", ")", "')'")
            self.depth -= 1
            return node
        if k == "name":
            if v not in FUNCTIONS:
                raise RuleError(f"unknown function {v!r}; expected one of {sorted(FUNCTIONS)}", col)
            self.expect("op", "(", f"'(' after {v}")
            args: list[str] = []
            if not self.accept("op", ")"):
                while True:
                    ak, av, acol = self.take()
                    if ak != "name":
                        raise RuleError(f"expected an issue or actor id, found {av or 'end of rule'!r}", acol)
                    args.append(av)
                    if self.accept("op", ")"):
                        break
                    self.expect("op", ",", "',' or ')'")
            kinds = FUNCTIONS[v][0]
            if len(args) != len(kinds):
                raise RuleError(f"{v}() takes {len(kinds)} argument(s) ({', '.join(kinds)}), got {len(args)}", col)
            return Call(v, tuple(args))
        raise RuleError(f"unexpected {v or 'end of rule'!r}", col)


def parse_rule(text: str) -> Node:
    """Parse a rule into its tree; raises :class:`RuleError` on a syntax error."""
    return _Parser(text).rule()


def _type(node: Node) -> str:
    """Static type of a node: number, bool, option:ISSUE, str."""
    if isinstance(node, Num | Neg | Arith):
        return "number"
    if isinstance(node, Str):
        return "str"
    if isinstance(node, Bool | Compare | Between | In | Not | BoolOp):
        return "bool"
    assert isinstance(node, Call)
    kind = FUNCTIONS[node.name][1]
    return f"option:{node.args[0]}" if kind == "option" else kind


def rule_problems(
    text: str, issues: Mapping[str, Sequence[str]], actors: Collection[str]
) -> list[str]:
    """Everything wrong with a rule for a case: syntax, unknown issues/actors/options, types.

    ``issues`` maps issue id → its option ids; ``actors`` holds actor ids.
    """
    try:
        tree = parse_rule(text)
    except RuleError as e:
        return [f"syntax error at {e}"]
    out: list[str] = []

    def need(kind: str, name: str) -> None:
        if kind == "issue" and name not in issues:
            out.append(f"unknown issue '{name}'; expected one of {sorted(issues)}")
        if kind == "actor" and name not in actors:
            out.append(f"unknown actor '{name}'; expected one of {sorted(actors)}")

    def check_option(t: str, other: Node) -> None:
        issue = t.split(":", 1)[1]
        if isinstance(other, Str) and issue in issues and other.value not in issues[issue]:
            out.append(f"issue '{issue}' has no option '{other.value}'; expected one of {list(issues[issue])}")

    def compatible(a: Node, b: Node, op: str) -> None:
        ta, tb = _type(a), _type(b)
        if ta.startswith("option:") and tb.startswith("option:"):
            if ta != tb:
                out.append(f"cannot compare options of different issues ({ta[7:]} and {tb[7:]})")
            return
        for t, other, to in ((ta, b, tb), (tb, a, ta)):
            if t.startswith("option:"):
                if to != "str":
                    out.append(f"an option ({t[7:]}) compares with a quoted option id, not a {to}")
                else:
                    check_option(t, other)
                return
        if ta != tb or ta not in ("number", "bool") or (ta == "bool" and op not in ("==", "!=")):
            out.append(f"cannot compare {ta} {op} {tb}")

    def numeric(n: Node) -> None:
        if _type(n) != "number":
            out.append(f"expected a number, got {_type(n)}")

    def boolean(n: Node) -> None:
        if _type(n) != "bool":
            out.append(f"expected a condition (true/false), got {_type(n)}")

    def walk(n: Node) -> None:
        if isinstance(n, Call):
            for kind, a in zip(FUNCTIONS[n.name][0], n.args, strict=True):
                need(kind, a)
        elif isinstance(n, Neg):
            walk(n.operand)
            numeric(n.operand)
        elif isinstance(n, Arith):
            walk(n.left)
            walk(n.right)
            numeric(n.left)
            numeric(n.right)
        elif isinstance(n, Compare):
            walk(n.left)
            walk(n.right)
            compatible(n.left, n.right, n.op)
        elif isinstance(n, Between):
            for x in (n.value, n.low, n.high):
                walk(x)
            compatible(n.value, n.low, "between")
            compatible(n.value, n.high, "between")
        elif isinstance(n, In):
            walk(n.value)
            for x in n.items:
                walk(x)
                compatible(n.value, x, "in")
        elif isinstance(n, Not):
            walk(n.operand)
            boolean(n.operand)
        elif isinstance(n, BoolOp):
            for x in n.items:
                walk(x)
                boolean(x)

    walk(tree)
    boolean(tree)
    return list(dict.fromkeys(out))


# -- what a rule can be known to give without running a model ------------------------------------
Truth = bool | None
"""True, False, or None: not known (Kleene's three-valued logic)."""
Interval = tuple[float, float]
Known = Truth | Interval | str
"""What :func:`truth` knows of a value: a truth value, a number's range, or an option id (None: nothing)."""
ANYTHING: Interval = (-math.inf, math.inf)


def truth(node: Node, known: Callable[[Call], Known] | None = None) -> Truth:
    """Whether ``node`` holds, as far as ``known`` tells about the calls in it (three-valued).

    ``known(call)`` gives what is known of one call: a truth value (``accepts``),
    a range ``(low, high)`` for a number, an option id, or None for nothing.
    The answer is True or False only if the rule gives it whatever the unknowns
    are (Kleene's logic, interval arithmetic): a sound check, never a guess.

    >>> truth(parse_rule("true or accepts(a)"))
    True
    >>> truth(parse_rule("accepts(a) and 1 > 2")), truth(parse_rule("accepts(a)")) is None
    (False, True)
    >>> truth(parse_rule("batna(a) > 0.2"), lambda c: (0.3, 0.5))
    True
    """
    def val(n: Node) -> Known:
        if isinstance(n, Num):
            return (n.value, n.value)
        if isinstance(n, Str):
            return n.value
        if isinstance(n, Bool):
            return n.value
        if isinstance(n, Call):
            kind = FUNCTIONS[n.name][1]
            got = known(n) if known is not None else None
            if got is None:
                return ANYTHING if kind == "number" else None
            return got
        if isinstance(n, Neg):
            a = val(n.operand)
            return (-a[1], -a[0]) if isinstance(a, tuple) else None
        if isinstance(n, Arith):
            a, b = val(n.left), val(n.right)
            if not (isinstance(a, tuple) and isinstance(b, tuple)):
                return None
            return _arith(n.op, a, b)
        return _truth(n)

    def compare(op: str, a: Known, b: Known) -> Truth:
        if isinstance(a, tuple) and isinstance(b, tuple):
            (alo, ahi), (blo, bhi) = a, b
            sure = {"<": (ahi < blo, alo >= bhi), "<=": (ahi <= blo, alo > bhi),
                    ">": (alo > bhi, ahi <= blo), ">=": (alo >= bhi, ahi < blo),
                    "==": (alo == ahi == blo == bhi, ahi < blo or bhi < alo),
                    "!=": (ahi < blo or bhi < alo, alo == ahi == blo == bhi)}[op]
            return True if sure[0] else False if sure[1] else None
        if isinstance(a, str) and isinstance(b, str) and op in ("==", "!="):
            return (a == b) == (op == "==")
        if isinstance(a, bool) and isinstance(b, bool) and op in ("==", "!="):
            return (a == b) == (op == "==")
        return None

    def _truth(n: Node) -> Truth:
        if isinstance(n, Compare):
            return compare(n.op, val(n.left), val(n.right))
        if isinstance(n, Between):
            v = val(n.value)
            return all3([compare(">=", v, val(n.low)), compare("<=", v, val(n.high))])
        if isinstance(n, In):
            v = val(n.value)
            hit = any3([compare("==", v, val(x)) for x in n.items])
            return not3(hit) if n.negate else hit
        if isinstance(n, Not):
            return not3(_truth(n.operand))
        if isinstance(n, BoolOp):
            parts = [_truth(x) for x in n.items]
            return all3(parts) if n.op == "and" else any3(parts)
        v = val(n)
        return v if isinstance(v, bool) or v is None else None

    return _truth(node)


def not3(a: Truth) -> Truth:
    """Kleene's not."""
    return None if a is None else not a


def all3(parts: Sequence[Truth]) -> Truth:
    """Kleene's and."""
    return False if any(p is False for p in parts) else True if all(p is True for p in parts) else None


def any3(parts: Sequence[Truth]) -> Truth:
    """Kleene's or."""
    return True if any(p is True for p in parts) else False if all(p is False for p in parts) else None


def _arith(op: str, a: Interval, b: Interval) -> Interval:
    if op == "+":
        return (a[0] + b[0], a[1] + b[1])
    if op == "-":
        return (a[0] - b[1], a[1] - b[0])
    if op == "*" and all(math.isfinite(v) for v in (*a, *b)):
        prods = [x * y for x in a for y in b]
        return (min(prods), max(prods))
    if op == "/" and all(math.isfinite(v) for v in (*a, *b)) and (b[0] > 0 or b[1] < 0):
        quots = [x / y for x in a for y in b]
        return (min(quots), max(quots))
    return ANYTHING
