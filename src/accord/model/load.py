"""Load and validate a case folder, reporting every problem with its file and line.

A case folder holds::

    case.yaml        id, name, description, date, axis: {low: ACTOR, high: ACTOR}, tilt
    issues.yaml      a list of issues with their options (pole to pole)
    actors.yaml      a list of actors: names (aliases, people, titles, demonyms), capability, batna
    positions.yaml   actor → issue → a position {ideal, salience, acceptable, red_line, utility, sources}
                     or its history: a list of dated states (since: DATE, then what changed)
    sources.yaml     a list of sources: id, url, date (or undated: true), publisher, quote
    plans/*.yaml     one plan (or reference package) per file
    scenarios.yaml   optional: named outcome rules for the forecast
    outcomes.yaml    optional: what happened, dated and sourced (decisions, events)

>>> case = load_case(DEFAULT_CASE)
>>> case.id == DEFAULT_CASE and len(case.plans) > 0
True

Bad input raises :class:`~accord.errors.CaseError` listing every problem as
``file:line: field: what is wrong``; nothing is half-loaded.

Input is bounded: a case file over :data:`MAX_FILE_BYTES`, YAML aliases (``*name``,
the way a few hundred bytes expand into gigabytes), nesting deeper than
:data:`MAX_DEPTH` and files that resolve outside the case folder (a symlink to
elsewhere, a symlink loop) are each a problem, not a hang or a traceback. Line
numbers come from a second, slower parse, done only for files up to
:data:`LOCATE_MAX_BYTES`.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from accord.defaults import DEFAULT_CASE as DEFAULT_CASE
from accord.errors import CaseError, Problem
from accord.model.actor import Actor, Position
from accord.model.case import Axis, BacktestSpec, Case, Scenario
from accord.model.issue import Issue
from accord.model.outcome import Outcome
from accord.model.plan import Plan, parties_of, weakly_verified
from accord.model.rules import RuleError, parse_rule, rule_problems, truth
from accord.model.source import Source

SALIENCE_TOLERANCE = 0.011
MAX_FILE_BYTES = 1_000_000
"""The largest case file read (the largest bundled one is about 45 KB)."""
LOCATE_MAX_BYTES = 200_000
"""Files up to this size are parsed a second time to give each problem its line (that parser is slow)."""
MAX_DEPTH = 64
"""The deepest nesting of lists and mappings a case file may have."""
INHERITED = ("ideal", "salience", "acceptable", "red_line", "firmness", "utility", "axis_low", "axis_high")
"""The fields a later state of a position's history takes from the state before unless it gives them."""
M = TypeVar("M", bound=BaseModel)
Path_ = tuple[str | int, ...]


def bundled_cases() -> list[str]:
    """Names of the cases shipped inside the package: the default case first, then the others by name.

    >>> bundled_cases()[0] == DEFAULT_CASE
    True
    """
    root = resources.files("accord") / "cases"
    names = sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "case.yaml").is_file())
    return sorted(names, key=lambda n: n != DEFAULT_CASE)


def case_dir(case: str | os.PathLike[str]) -> Path:
    """A case folder from a path or the name of a bundled case.

    >>> case_dir(DEFAULT_CASE).name == DEFAULT_CASE
    True
    """
    p = Path(case)
    if p.is_dir():
        return p
    if isinstance(case, str) and case in bundled_cases():
        return Path(str(resources.files("accord") / "cases" / case))
    hint = ", ".join(bundled_cases())
    raise CaseError(
        [Problem(str(case), None, "", f"no such case folder; give a folder or a bundled case ({hint})")]
    )


def load_case(case: str | os.PathLike[str]) -> Case:
    """Load, validate and cross-check a case folder (or bundled case name).

    Loaded cases are immutable and cached until a file of the folder changes.
    """
    root = case_dir(case).resolve()
    return _load_cached(root, _stamp(root))


def _stamp(root: Path) -> tuple[tuple[str, int, int], ...]:
    """What the cache key of a case folder sees: its YAML files' names, times and sizes (links not followed)."""
    out = []
    for folder in (root, root / "plans"):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            if name.endswith(".yaml"):
                try:
                    st = os.lstat(folder / name)
                except OSError:
                    continue
                out.append((str(folder / name), st.st_mtime_ns, st.st_size))
    return tuple(out)


@functools.lru_cache(maxsize=16)
def _load_cached(root: Path, stamp: tuple[tuple[str, int, int], ...]) -> Case:
    try:
        return _Loader(root, located=False).load()
    except CaseError:
        # the fast parser keeps no positions: parse again, slowly, to say where each problem is
        return _Loader(root, located=True).load()


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's C loader, refusing duplicate keys as ruamel does (and, in :func:`_compose`, aliases)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(k, deep=True) for k, _ in node.value]
        dup = {k for k in keys if keys.count(k) > 1}
        if dup:
            msg = f"duplicate key(s) {sorted(map(str, dup))}"
            raise yaml.constructor.ConstructorError(None, None, msg, node.start_mark)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


class _InputError(Exception):
    """A file that is refused before it is read as YAML: why, and the line when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def _compose(text: str) -> tuple[_FastLoader, Any]:
    """Parse ``text`` into PyYAML's node graph and refuse aliases and deep nesting before anything is built.

    An alias is a node reached twice; the walk visits each node once, so a
    file of a few hundred bytes that would expand into gigabytes costs nothing.
    """
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
    except BaseException:
        loader.dispose()
        raise
    seen: set[int] = set()
    stack = [(node, 1)] if node is not None else []
    while stack:
        n, depth = stack.pop()
        if id(n) in seen:
            loader.dispose()
            raise _InputError("a YAML alias of the anchor on this line; aliases (*name) are not allowed in "
                              "case files, write the value out", n.start_mark.line + 1)
        seen.add(id(n))
        if depth > MAX_DEPTH:
            loader.dispose()
            raise _InputError(f"nested deeper than {MAX_DEPTH} levels", n.start_mark.line + 1)
        if isinstance(n, yaml.SequenceNode):
            stack.extend((v, depth + 1) for v in n.value)
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.extend(((k, depth + 1), (v, depth + 1)))
    return loader, node


def bounded_yaml(text: str, name: str) -> Any:
    r"""YAML text as Python objects under the limits of case files (no aliases, nesting at most
    :data:`MAX_DEPTH`, no duplicate keys); a problem raises :class:`CaseError` naming ``name`` and the line.

    >>> bounded_yaml("a: [1, 2]", "x.yaml")
    {'a': [1, 2]}
    >>> bounded_yaml("a: &x [1]\nb: *x", "x.yaml")
    Traceback (most recent call last):
    ...
    accord.errors.CaseError: x.yaml:1: a YAML alias of the anchor on this line; aliases (*name) are not allowed ...
    """
    try:
        loader, node = _compose(text)
        try:
            return loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except _InputError as e:
        raise CaseError([Problem(name, e.line, "", e.message)]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        what = (getattr(e, "problem", None) or str(e)).strip()
        raise CaseError([Problem(name, mark.line + 1 if mark else None, "", f"YAML syntax: {what}")]) from None


class _Loader:
    def __init__(self, root: Path, *, located: bool = True):
        self.root = root
        self.located = located
        self.problems: list[Problem] = []
        self.docs: dict[str, Any] = {}
        # ids of elements that failed validation: still "known" to cross-references,
        # so one bad entry gives one problem, not a cascade
        self.invalid: dict[str, set[str]] = defaultdict(set)

    # -- reporting -------------------------------------------------------
    def _display(self, name: str) -> str:
        path = self.root / name
        rel = os.path.relpath(path)
        return rel if not rel.startswith("..") else str(path)

    def problem(self, name: str, where: Path_, field: str, message: str) -> None:
        self.problems.append(
            Problem(self._display(name), _line(self.docs.get(name), where), field, message)
        )

    # -- reading ---------------------------------------------------------
    def _file(self, name: str, required: bool) -> Path | None:
        """The file ``name`` of the case folder if it is a regular file inside it (links resolved), else None."""
        path = self.root / name
        try:
            real = Path(os.path.realpath(path, strict=True))
        except FileNotFoundError:
            if os.path.islink(path):
                self.problems.append(Problem(self._display(name), None, "", "a link to nothing"))
            elif required:
                self.problems.append(
                    Problem(self._display(name), None, "", "file is missing; every case folder needs it"))
            return None
        except (OSError, RuntimeError) as e:  # a symlink loop, a name too long…
            self.problems.append(Problem(self._display(name), None, "", f"cannot be opened ({_reason(e)})"))
            return None
        if real != self.root and self.root not in real.parents:
            self.problems.append(Problem(self._display(name), None, "",
                                         "links to a file outside the case folder; copy the file in instead"))
            return None
        if not real.is_file():
            self.problems.append(Problem(self._display(name), None, "", "not a regular file"))
            return None
        size = real.stat().st_size
        if size > MAX_FILE_BYTES:
            self.problems.append(Problem(self._display(name), None, "", f"{size:,} bytes; a case file may hold "
                                         f"at most {MAX_FILE_BYTES:,} (split it, or move long text out)"))
            return None
        return real

    def read(self, name: str, *, required: bool = True) -> Any:
        path = self._file(name, required)
        if path is None:
            return None
        try:
            text = path.read_text(encoding="utf-8")
            loader, node = _compose(text)
            try:
                fast = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
            if not self.located or len(text.encode("utf-8")) > LOCATE_MAX_BYTES:
                self.docs[name] = fast
                return fast
            rt = YAML(typ="rt")
            rt.allow_duplicate_keys = False
            doc = rt.load(text)
        except _InputError as e:
            self.problems.append(Problem(self._display(name), e.line, "", e.message))
            return None
        except UnicodeDecodeError as e:
            self.problems.append(Problem(self._display(name), None, "", f"not UTF-8 text ({e.reason})"))
            return None
        except (MarkedYAMLError, yaml.MarkedYAMLError) as e:
            line = e.problem_mark.line + 1 if e.problem_mark else None
            what = " ".join((e.problem or "invalid YAML").split())
            self.problems.append(Problem(self._display(name), line, "", f"YAML syntax: {what}"))
            return None
        except Exception as e:  # other YAML errors (unreadable characters, duplicate keys, etc.)
            what = " ".join(str(e).replace('in "<unicode string>", ', "").split()) or type(e).__name__
            self.problems.append(Problem(self._display(name), None, "", f"YAML: {what}"))
            return None
        self.docs[name] = doc
        return doc

    def build(self, cls: type[M], name: str, where: Path_, data: Any, label: str) -> M | None:
        try:
            return cls.model_validate(_plain(data))
        except ValidationError as e:
            for err in e.errors():
                loc = tuple(err["loc"])
                field = ".".join(str(x) for x in (label, *loc) if x != "__root__")
                msg = err["msg"].removeprefix("Value error, ")
                if err["type"] == "missing":
                    msg = "required field is missing"
                elif err["type"] == "extra_forbidden":
                    msg = "unknown field; check the spelling against the case format (docs/case-format.md)"
                self.problem(name, (*where, *loc), field, msg)
            return None

    def items(self, name: str, doc: Any, what: str) -> Iterator[tuple[int, Any]]:
        if doc is None:
            return
        if not isinstance(doc, list):
            self.problem(name, (), "", f"expected a list of {what}")
            return
        yield from enumerate(doc)

    # -- the case --------------------------------------------------------
    def load(self) -> Case:
        head = self.read("case.yaml")
        issues_doc = self.read("issues.yaml")
        actors_doc = self.read("actors.yaml")
        positions_doc = self.read("positions.yaml", required=False)
        sources_doc = self.read("sources.yaml", required=False)
        scenarios_doc = self.read("scenarios.yaml", required=False)
        outcomes_doc = self.read("outcomes.yaml", required=False)

        sources = self.each(Source, "sources.yaml", sources_doc, "sources")
        issues = self.each(Issue, "issues.yaml", issues_doc, "issues")
        actors = self.each(Actor, "actors.yaml", actors_doc, "actors")
        scenarios = self.scenario_set(scenarios_doc)
        outcomes = self.each(Outcome, "outcomes.yaml", outcomes_doc, "outcomes")
        positions = self.positions(positions_doc)
        plans = self.plans()

        axis = tilt = backtest = None
        if isinstance(head, dict):
            if "backtest" in head:
                backtest = self.build(BacktestSpec, "case.yaml", ("backtest",), head["backtest"], "backtest")
            axis = self.build(Axis, "case.yaml", ("axis",), head.get("axis"), "axis") if "axis" in head else None
            if axis is None and "axis" not in head:
                self.problem("case.yaml", (), "axis", "required field is missing; expected {low: ACTOR, high: ACTOR}")
            tilt = head.get("tilt")
            for key in ("id", "name"):
                if not head.get(key):
                    self.problem("case.yaml", (), key, "required field is missing")
        elif head is not None or "case.yaml" in self.docs:
            self.problem("case.yaml", (), "", "expected a mapping with id, name, axis"
                         + ("" if head is not None else " (the file is empty)"))

        self.check(head, issues, actors, positions, plans, sources, scenarios, axis, tilt)
        self.check_history(positions, sources)
        self.check_outcomes(outcomes, issues, actors, plans, sources, scenarios)
        self.check_backtest(backtest, plans, outcomes)
        if self.problems:
            raise CaseError(sorted(set(self.problems), key=_order))
        assert isinstance(head, dict) and axis is not None
        return Case(
            id=str(head["id"]),
            name=str(head["name"]),
            description=str(head.get("description") or ""),
            date=head.get("date"),
            axis=axis,
            tilt=tuple(tilt) if tilt else None,
            backtest=backtest,
            issues=tuple(m for _, m in issues),
            actors=tuple(m for _, m in actors),
            history=tuple(m for _, m in positions),
            plans=tuple(sorted((m for _, _, m in plans), key=_plan_order)),
            sources=tuple(m for _, m in sources),
            scenarios=tuple(m for _, m in scenarios),
            outcomes=tuple(sorted((m for _, m in outcomes), key=lambda o: (o.date, o.id))),
            warnings=tuple(self.warnings([m for _, m in sources], [m for _, _, m in plans])),
        )

    def each(self, cls: type[M], name: str, doc: Any, what: str) -> list[tuple[Path_, M]]:
        out: list[tuple[Path_, M]] = []
        for i, item in self.items(name, doc, what):
            label = f"{what}[{i}]"
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                label = item["id"]
            m = self.build(cls, name, (i,), item, label)
            if m is not None:
                out.append(((i,), m))
            elif isinstance(item, dict) and isinstance(item.get("id"), str):
                self.invalid[what].add(item["id"])
        return out

    def positions(self, doc: Any) -> list[tuple[Path_, Position]]:
        """Every state of every position, oldest first per pair (a snapshot is a history of one)."""
        out: list[tuple[Path_, Position]] = []
        if doc is None:
            return out
        if not isinstance(doc, dict):
            self.problem("positions.yaml", (), "", "expected a mapping: actor → issue → position")
            return out
        for actor, per_issue in doc.items():
            if not isinstance(per_issue, dict):
                self.problem("positions.yaml", (actor,), str(actor), "expected a mapping: issue → position")
                continue
            for issue, body in per_issue.items():
                where: Path_ = (actor, issue)
                label = f"{actor}.{issue}"
                if isinstance(body, dict):
                    states: list[tuple[Path_, str, Any]] = [(where, label, body)]
                elif isinstance(body, list) and body:
                    states = [((*where, k), f"{label}[{k}]", b) for k, b in enumerate(body)]
                else:
                    msg = "expected a mapping with ideal and salience, or a list of dated states (since: DATE, …)"
                    self.problem("positions.yaml", where, label, msg)
                    continue
                before: dict[str, Any] = {}
                for k, (at, name, state) in enumerate(states):
                    if not isinstance(state, dict):
                        self.problem("positions.yaml", at, name, "expected a mapping: since, then what changed")
                        self.invalid["positions"].add(str(actor))
                        break
                    if k > 0 and "since" not in state:
                        msg = ("required field is missing: each state after the first takes effect on a date "
                               "(since: DATE)")
                        self.problem("positions.yaml", at, f"{name}.since", msg)
                    data = {"actor": actor, "issue": issue, **self.inherit(before, state), **state}
                    m = self.build(Position, "positions.yaml", at, data, name)
                    if m is None:
                        self.invalid["positions"].add(str(actor))
                        break
                    out.append((at, m))
                    before = _plain(data)
        return out

    @staticmethod
    def inherit(before: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
        """What a state takes from the one before it: the position's fields it does not give itself.

        A state that gives a new ``red_line`` does not keep the old red line's ``firmness``.
        """
        kept = {k: v for k, v in before.items() if k in INHERITED and k not in state}
        if "red_line" in state:
            kept.pop("firmness", None)
        return kept

    def plans(self) -> list[tuple[str, Path_, Plan]]:
        out: list[tuple[str, Path_, Plan]] = []
        folder = self.root / "plans"
        if not folder.is_dir():
            return out
        for path in sorted(p for p in folder.iterdir() if p.name.endswith(".yaml")):
            name = f"plans/{path.name}"
            doc = self.read(name)
            if doc is None:
                continue
            label = doc.get("id", path.stem) if isinstance(doc, dict) else path.stem
            m = self.build(Plan, name, (), doc, str(label))
            if m is not None:
                out.append((name, (), m))
        return out

    def scenario_set(self, doc: Any) -> list[tuple[Path_, Scenario]]:
        """The ordered scenarios of ``scenarios.yaml``, each given the set's horizon.

        The file is a mapping: ``horizon`` (the date by which the set resolves) and
        ``scenarios``, a list read in order (first match wins) that ends in the one
        ``remainder``. A set that cannot be exclusive and exhaustive is rejected:
        no remainder, a remainder that is not last, a rule that always holds
        (nothing after it could match) or a rule repeated word for word.
        """
        name = "scenarios.yaml"
        if doc is None:
            return []
        if not isinstance(doc, dict):
            self.problem(name, (), "", "expected a mapping: horizon (a date) and scenarios (an ordered list ending "
                                       "in a remainder); see docs/case-format.md#scenariosyaml")
            return []
        for key in sorted(set(doc) - {"horizon", "scenarios"}, key=str):  # YAML keys may be null or numbers
            self.problem(name, (key,), str(key), "unknown field; expected horizon and scenarios")
        horizon = doc.get("horizon")
        if horizon is None:
            self.problem(name, (), "horizon", "required field is missing: the date by which the scenarios resolve")
        elif not isinstance(horizon, dt.date):
            self.problem(name, ("horizon",), "horizon", f"{horizon!r} is not a date; expected YYYY-MM-DD")
            horizon = None
        items = doc.get("scenarios")
        if not isinstance(items, list) or not items:
            self.problem(name, ("scenarios",) if "scenarios" in doc else (), "scenarios",
                         "expected an ordered list of scenarios ending in one with remainder: true")
            return []
        out: list[tuple[Path_, Scenario]] = []
        for i, item in enumerate(items):
            where: Path_ = ("scenarios", i)
            label = item["id"] if isinstance(item, dict) and isinstance(item.get("id"), str) else f"scenarios[{i}]"
            if isinstance(item, dict) and "horizon" in item:
                self.problem(name, (*where, "horizon"), f"{label}.horizon",
                             "the horizon belongs to the whole set; give it once, at the top of scenarios.yaml")
                continue
            data = {**item, "horizon": horizon} if isinstance(item, dict) else item
            m = self.build(Scenario, name, where, data, label)
            if m is not None:
                out.append((where, m))
            elif isinstance(item, dict) and isinstance(item.get("id"), str):
                self.invalid["scenarios"].add(item["id"])
        if len(out) < len(items):
            return out  # the broken entries are reported; the set's shape is checked once they parse
        rest = [sc for _, sc in out if sc.remainder]
        if not rest:
            self.problem(name, ("scenarios",), "scenarios",
                         "no remainder: end the list with one scenario marked remainder: true (what happens when no "
                         "rule matches), so that the scenarios cover every outcome")
        for where, sc in out[:-1]:
            if sc.remainder:
                self.problem(name, (*where, "remainder"), f"{sc.id}.remainder",
                             "the remainder must come last: scenarios are read in order, first match wins")
        seen: dict[str, str] = {}
        for k, (where, sc) in enumerate(out):
            if sc.remainder:
                continue
            try:
                tree = parse_rule(sc.rule)
            except RuleError:
                continue  # reported with the other rule problems
            text = " ".join(sc.rule.split())
            if text in seen:
                self.problem(name, (*where, "rule"), f"{sc.id}.rule",
                             f"the same rule as {seen[text]}, which comes first: this scenario could never match")
            seen.setdefault(text, sc.id)
            later = [s.id for _, s in out[k + 1:]]
            if truth(tree) is True and later:
                self.problem(name, (*where, "rule"), f"{sc.id}.rule",
                             f"always holds, so the scenarios after it ({', '.join(later)}) could never match")
        return out

    # -- cross-references ------------------------------------------------
    def check(
        self,
        head: Any,
        issues: list[tuple[Path_, Issue]],
        actors: list[tuple[Path_, Actor]],
        positions: list[tuple[Path_, Position]],
        plans: list[tuple[str, Path_, Plan]],
        sources: list[tuple[Path_, Source]],
        scenarios: list[tuple[Path_, Scenario]],
        axis: Axis | None,
        tilt: Any,
    ) -> None:
        issue_by = self.unique("issues.yaml", issues, "issue")
        actor_by = self.unique("actors.yaml", actors, "actor")
        source_ids = set(self.unique("sources.yaml", sources, "source"))
        self.unique("scenarios.yaml", scenarios, "scenario")
        if issue_by and actor_by:
            options = {i: m.option_ids for i, m in issue_by.items()}
            broken = [f"'{i}'" for i in self.invalid["issues"]]  # reported already; no cascade
            for where, sc in scenarios:
                if sc.remainder:
                    continue
                for msg in rule_problems(sc.rule, options, set(actor_by) | self.invalid["actors"]):
                    if not any(b in msg for b in broken):
                        self.problem("scenarios.yaml", (*where, "rule"), f"{sc.id}.rule", msg)
        plan_ids: dict[str, str] = {}
        for name, _, plan in plans:
            if plan.id in plan_ids:
                self.problem(name, ("id",), "id", f"duplicate plan id '{plan.id}' (also in {plan_ids[plan.id]})")
            plan_ids[plan.id] = name

        def need_actor(name: str, where: Path_, field: str, actor: str) -> None:
            if actor_by and actor not in actor_by and actor not in self.invalid["actors"]:
                self.problem(name, where, field, f"unknown actor '{actor}'; expected one of {sorted(actor_by)}")

        def need_sources(name: str, where: Path_, field: str, refs: Iterable[str]) -> None:
            if not sources and self.docs.get("sources.yaml") is None:
                return
            for k, ref in enumerate(refs):
                if ref not in source_ids:
                    msg = f"unknown source '{ref}'; add it to sources.yaml"
                    self.problem(name, (*where, "sources", k), f"{field}.sources", msg)

        if axis is not None:
            need_actor("case.yaml", ("axis", "low"), "axis.low", axis.low)
            need_actor("case.yaml", ("axis", "high"), "axis.high", axis.high)
        if tilt is not None:
            if not (isinstance(tilt, list) and len(tilt) == 2):
                self.problem("case.yaml", ("tilt",), "tilt", "expected a pair of actor ids [A, B]")
            else:
                for k, a in enumerate(tilt):
                    need_actor("case.yaml", ("tilt", k), "tilt", str(a))

        for where, issue in issues:
            need_sources("issues.yaml", where, issue.id, issue.sources)
            for k, other in enumerate(issue.destination_of):
                if issue_by and other not in issue_by and other not in self.invalid["issues"]:
                    msg = f"unknown issue '{other}'; expected one of {sorted(issue_by)}"
                    self.problem("issues.yaml", (*where, "destination_of", k), f"{issue.id}.destination_of", msg)
        for where, actor in actors:
            need_sources("actors.yaml", where, actor.id, actor.sources)
        self.check_words(issues, actors)

        salience: dict[str, float] = defaultdict(float)
        latest: dict[tuple[str, str], Position] = {}
        for where, pos in positions:
            label = _state_label(where)
            if len(where) == 2 or where[2] == 0:
                need_actor("positions.yaml", where[:1], pos.actor, pos.actor)
            need_sources("positions.yaml", where, label, pos.sources)
            latest[(pos.actor, pos.issue)] = pos
            self.check_position(where, pos, issue_by.get(pos.issue), bool(issue_by))
        for pos in latest.values():
            salience[pos.actor] += pos.salience.value
        for aid, total in salience.items():
            if aid in self.invalid["positions"]:
                continue  # the broken position is reported; its salience is unknown
            if abs(total - 1.0) > SALIENCE_TOLERANCE:
                msg = f"saliences sum to {total:.3f}; expected 1 (±{SALIENCE_TOLERANCE:g})"
                self.problem("positions.yaml", (aid,), f"{aid}.salience", msg)

        for name, _, plan in plans:
            need_sources(name, (), plan.id, plan.sources)
            for k, a in enumerate(plan.authors):
                need_actor(name, ("authors", k), "authors", a)
            if plan.based_on and plan.based_on not in plan_ids:
                msg = f"unknown plan '{plan.based_on}'; expected one of {sorted(plan_ids)}"
                self.problem(name, ("based_on",), "based_on", msg)
            baskets = {b.id for b in plan.baskets}
            seen: dict[str, int] = {}
            chosen: dict[str, tuple[str, str]] = {}
            for k, prov in enumerate(plan.provisions):
                where = ("provisions", k)
                label = f"provisions[{prov.id}]"
                if prov.id in seen:
                    self.problem(name, (*where, "id"), f"{label}.id", f"duplicate provision id '{prov.id}'")
                seen[prov.id] = k
                need_sources(name, where, label, prov.sources)
                for j, a in enumerate(prov.obliged):
                    need_actor(name, (*where, "obliged", j), f"{label}.obliged", a)
                if prov.basket is not None and prov.basket not in baskets:
                    msg = f"unknown basket '{prov.basket}'; expected one of {sorted(baskets)}"
                    self.problem(name, (*where, "basket"), f"{label}.basket", msg)
                if prov.obligation and prov.obligation.obliged:
                    at = (*where, "obligation", "obliged")
                    for party in parties_of(prov.obligation.obliged):
                        need_actor(name, at, f"{label}.obligation.obliged", party)
                if prov.issue is None:
                    continue
                settled = issue_by.get(prov.issue)
                if settled is None:
                    if issue_by and prov.issue not in self.invalid["issues"]:
                        msg = f"unknown issue '{prov.issue}'; expected one of {sorted(issue_by)}"
                        self.problem(name, (*where, "issue"), f"{label}.issue", msg)
                    continue
                if prov.option is None:
                    continue
                if prov.option not in settled.option_ids:
                    self.problem(name, (*where, "option"), f"{label}.option", _no_option(settled, prov.option))
                    continue
                if prov.issue in chosen and chosen[prov.issue][1] != prov.option:
                    other, opt = chosen[prov.issue]
                    self.problem(
                        name, (*where, "option"), f"{label}.option",
                        f"provision {other} already settles '{prov.issue}' to '{opt}'; "
                        "a plan settles each issue to one option (leave option empty on detail clauses)",
                    )
                chosen.setdefault(prov.issue, (prov.id, prov.option))

    def check_history(self, positions: list[tuple[Path_, Position]], sources: list[tuple[Path_, Source]]) -> None:
        """States in date order, and no state resting on a source published after it takes effect."""
        published = {s.id: s.date for _, s in sources}
        last: dict[tuple[str, str], Position] = {}
        for where, pos in positions:
            label = _state_label(where)
            prev = last.get((pos.actor, pos.issue))
            last[(pos.actor, pos.issue)] = pos
            if prev is not None and prev.since is not None and pos.since is not None and pos.since <= prev.since:
                msg = (f"state takes effect {pos.since} but the state before it took effect {prev.since}; "
                       "list states oldest first, one per date")
                self.problem("positions.yaml", (*where, "since"), f"{label}.since", msg)
            if prev is not None and _same_state(prev, pos):
                msg = "changes nothing from the state before it; a state records a move (ideal, acceptable, " \
                      "red_line, firmness, salience, utility or axis range)"
                self.problem("positions.yaml", where, label, msg)
            if pos.since is None:
                continue
            for k, ref in enumerate(pos.sources):
                day = published.get(ref)
                if day is not None and day > pos.since:
                    msg = (f"cites {ref} ({day}) but takes effect {pos.since}; "
                           "a state rests only on what was published by then")
                    self.problem("positions.yaml", (*where, "sources", k), label, msg)

    def check_outcomes(
        self,
        outcomes: list[tuple[Path_, Outcome]],
        issues: list[tuple[Path_, Issue]],
        actors: list[tuple[Path_, Actor]],
        plans: list[tuple[str, Path_, Plan]],
        sources: list[tuple[Path_, Source]],
        scenarios: list[tuple[Path_, Scenario]],
    ) -> None:
        """Every id an outcome names exists."""
        self.unique("outcomes.yaml", outcomes, "outcome")
        issue_by = {m.id: m for _, m in issues}
        known = {
            "actor": {m.id for _, m in actors} | self.invalid["actors"],
            "plan": {m.id for _, _, m in plans},
            "scenario": {m.id for _, m in scenarios} | self.invalid["scenarios"],
            "sources": {m.id for _, m in sources} | self.invalid["sources"],
        }
        for where, o in outcomes:
            for field in ("actor", "plan", "scenario"):
                ref = getattr(o, field)
                if ref is not None and ref not in known[field]:
                    msg = f"unknown {field} '{ref}'; expected one of {sorted(known[field])}"
                    self.problem("outcomes.yaml", (*where, field), f"{o.id}.{field}", msg)
            if o.issue is not None:
                issue = issue_by.get(o.issue)
                if issue is None and o.issue not in self.invalid["issues"]:
                    msg = f"unknown issue '{o.issue}'; expected one of {sorted(issue_by)}"
                    self.problem("outcomes.yaml", (*where, "issue"), f"{o.id}.issue", msg)
                elif issue is not None and o.option is not None and o.option not in issue.option_ids:
                    self.problem("outcomes.yaml", (*where, "option"), f"{o.id}.option", _no_option(issue, o.option))
            for k, ref in enumerate(o.sources):
                if ref not in known["sources"]:
                    msg = f"unknown source '{ref}'; add it to sources.yaml"
                    self.problem("outcomes.yaml", (*where, "sources", k), f"{o.id}.sources", msg)
        # the scenarios are exclusive: at most one of them happens, by the set's horizon
        horizon = scenarios[0][1].horizon if scenarios else None
        happened: tuple[str, str] | None = None
        for where, o in outcomes:
            if o.scenario is None:
                continue
            if horizon is not None and o.date > horizon:
                msg = (f"dated {o.date}, after the scenarios' horizon {horizon}; "
                       "a scenario resolves by its horizon")
                self.problem("outcomes.yaml", (*where, "date"), f"{o.id}.date", msg)
            if o.occurred:
                if happened is not None and happened[1] != o.scenario:
                    msg = (f"records that '{o.scenario}' occurred, but {happened[0]} records '{happened[1]}': "
                           "a case's scenarios are exclusive, at most one can occur")
                    self.problem("outcomes.yaml", (*where, "occurred"), f"{o.id}.occurred", msg)
                happened = happened or (o.id, o.scenario)

    def check_backtest(
        self, spec: BacktestSpec | None, plans: list[tuple[str, Path_, Plan]], outcomes: list[tuple[Path_, Outcome]]
    ) -> None:
        """The case's backtest names a plan or an outcome on one option, dated after its date."""
        if spec is None or spec.target is None:
            return
        dated = {m.id: m.date for _, _, m in plans}
        dated.update({o.id: o.date for _, o in outcomes if o.issue is not None and o.option is not None})
        where = ("backtest", "target")
        if spec.target not in dated:
            msg = f"unknown plan or outcome '{spec.target}'; expected one of {sorted(dated)}"
            self.problem("case.yaml", where, "backtest.target", msg)
            return
        day = dated[spec.target]
        if day is None or day <= spec.as_of:
            msg = (f"{spec.target} is dated {day or 'nowhere'}, not after {spec.as_of}: a backtest scores against "
                   "what came after its date")
            self.problem("case.yaml", where, "backtest.target", msg)

    @staticmethod
    def warnings(sources: Sequence[Source], plans: Sequence[Plan] = ()) -> list[str]:
        """What is worth saying about a valid case: sources whose publication date is unknown, and
        provisions marked verified that rest only on low-rated or partisan sources."""
        out = []
        undated = [s.id for s in sources if s.date is None]
        if undated:
            marked = sum(1 for s in sources if s.undated)
            out.append(
                f"{len(undated)} of {len(sources)} sources have no publication date ({marked} marked undated: "
                f"the date could not be established); a state citing one cannot be checked for leakage: "
                f"{_some(undated)}"
            )
        weak = weakly_verified(sources, plans)
        if weak:
            out.append(
                f"{len(weak)} provisions marked verified rest only on low-rated or partisan sources (mark them "
                f"'summary' or 'unverified', or cite a stronger source): {_some(weak)}"
            )
        return out

    def check_position(self, where: Path_, pos: Position, issue: Issue | None, have_issues: bool) -> None:
        label = _state_label(where)
        if issue is None:
            first = len(where) == 2 or where[2] == 0
            if first and have_issues and pos.issue not in self.invalid["issues"]:
                msg = f"unknown issue '{pos.issue}'; expected one of {sorted(self.docs_ids('issues'))}"
                self.problem("positions.yaml", where, label, msg)
            return
        opts = set(issue.option_ids)
        if pos.ideal not in opts:
            self.problem("positions.yaml", (*where, "ideal"), f"{label}.ideal", _no_option(issue, pos.ideal))
        for fld in ("acceptable", "red_line"):
            for k, o in enumerate(getattr(pos, fld)):
                if o not in opts:
                    self.problem("positions.yaml", (*where, fld, k), f"{label}.{fld}", _no_option(issue, o))
        if pos.utility is not None:
            missing = sorted(opts - set(pos.utility))
            extra = sorted(set(pos.utility) - opts)
            at = (*where, "utility")
            if extra:
                msg = f"unknown options {extra}; expected {issue.option_ids}"
                self.problem("positions.yaml", at, f"{label}.utility", msg)
            if missing:
                msg = f"no utility for options {missing}; give one for every option"
                self.problem("positions.yaml", at, f"{label}.utility", msg)

    def docs_ids(self, what: str) -> list[str]:
        doc = self.docs.get(f"{what}.yaml")
        if not isinstance(doc, list):
            return []
        return [str(x["id"]) for x in doc if isinstance(x, dict) and "id" in x]

    def check_words(self, issues: list[tuple[Path_, Issue]], actors: list[tuple[Path_, Actor]]) -> None:
        """The extractor's vocabulary is unambiguous: no name of two actors, no keyword of two issues."""
        owner: dict[str, str] = {}
        for where, actor in actors:
            for fld in ("aliases", "people", "titles", "demonyms"):
                for k, word in enumerate(getattr(actor, fld)):
                    other = owner.setdefault(word.strip(), actor.id)
                    if other != actor.id:
                        msg = f"'{word}' also names actor '{other}'; a name may belong to one actor only"
                        self.problem("actors.yaml", (*where, fld, k), f"{actor.id}.{fld}", msg)
        topic: dict[str, str] = {}
        for where, issue in issues:
            for fld in ("keywords", "phrasings"):
                for k, word in enumerate(getattr(issue, fld)):
                    other = topic.setdefault(word.strip().lower(), issue.id)
                    if other != issue.id:
                        msg = f"'{word}' is also a keyword of issue '{other}'; a keyword may name one issue only"
                        self.problem("issues.yaml", (*where, fld, k), f"{issue.id}.{fld}", msg)

    def unique(self, name: str, rows: list[tuple[Path_, Any]], what: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for where, m in rows:
            if m.id in out:
                self.problem(name, (*where, "id"), f"{m.id}.id", f"duplicate {what} id '{m.id}'; ids must be unique")
            else:
                out[m.id] = m
        return out


def _state_label(where: Path_) -> str:
    """``actor.issue`` for a snapshot, ``actor.issue[k]`` for the k-th state of a history."""
    label = f"{where[0]}.{where[1]}"
    return label if len(where) == 2 else f"{label}[{where[2]}]"


def _same_state(a: Position, b: Position) -> bool:
    return all(getattr(a, f) == getattr(b, f) for f in INHERITED)


def _plan_order(plan: Plan) -> tuple[bool, dt.date, str]:
    """Plans first, then reference packages; each by date, then id."""
    return (plan.kind != "plan", plan.date or dt.date.max, plan.id)


def _some(ids: Sequence[str], n: int = 8) -> str:
    return ", ".join(ids[:n]) + (", …" if len(ids) > n else "")


def _no_option(issue: Issue, option: str) -> str:
    return f"issue '{issue.id}' has no option '{option}'; expected one of {issue.option_ids}"


def _order(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, p.line or 0, p.field, p.message)


def _reason(e: BaseException) -> str:
    return getattr(e, "strerror", None) or str(e) or type(e).__name__


def _plain(node: Any) -> Any:
    """ruamel's commented containers and scalar strings → plain Python."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def _line(node: Any, where: Path_) -> int | None:
    """The 1-based line of the deepest element of ``where`` found in ``node``."""
    if node is None:
        return None
    line: int | None = node.lc.line + 1 if hasattr(node, "lc") and node.lc.line is not None else None
    cur = node
    for key in where:
        if isinstance(cur, CommentedMap) and key in cur:
            line = cur.lc.key(key)[0] + 1
            cur = cur[key]
        elif isinstance(cur, CommentedSeq) and isinstance(key, int) and 0 <= key < len(cur):
            line = cur.lc.item(key)[0] + 1
            cur = cur[key]
        else:
            break
    return line

