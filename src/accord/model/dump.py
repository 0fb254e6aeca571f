"""A case back to YAML: positions.yaml with histories, sources.yaml and plans, keeping what did not change.

The inverse of :mod:`accord.model.load` for what editors change (``accord edits
export``): each function takes the case (and the file's current text) and
returns the new text; nothing here reads or writes files. Positions that did
not change keep their YAML as written, comments included; a changed one is
written as a history — its first state in full, each later state with its
``since``, the fields it changes and its own evidence (``sources``, ``claims``,
``note``, ``inferred``) — which the loader reads back to the same states.

>>> import datetime as dt
>>> from accord.model import Position
>>> first = Position(actor="a", issue="x", ideal="p", salience=0.5, sources=["s1"])
>>> later = first.model_copy(update={"since": dt.date(2025, 12, 11), "acceptable": ("q",), "sources": ("s2",)})
>>> history_doc([first, later])
[{'ideal': 'p', 'salience': {'value': 0.5}, 'sources': ['s1']}, \
{'since': datetime.date(2025, 12, 11), 'acceptable': ['q'], 'sources': ['s2']}]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from accord.model.actor import Position
from accord.model.case import Case
from accord.model.load import INHERITED
from accord.model.plan import Plan
from accord.model.source import Source

OWN = ("sources", "claims", "note", "inferred")
"""Fields that belong to each state (evidence), never inherited."""


def plain(value: Any) -> Any:
    """Tuples as lists, models as dicts without defaults: what a YAML file holds."""
    if hasattr(value, "model_dump"):
        return plain(value.model_dump(exclude_defaults=True))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def state_doc(state: Position, before: Position | None = None) -> dict[str, Any]:
    """One state as YAML data: in full (``before`` None) or as what changes from ``before``."""
    out: dict[str, Any] = {}
    if state.since is not None:
        out["since"] = state.since
    red_line_given = before is None or state.red_line != before.red_line
    for name in INHERITED:
        value = getattr(state, name)
        if before is None:
            if value not in (None, ()):
                out[name] = plain(value)
        elif name == "firmness":
            inherited = None if red_line_given else before.firmness
            if value != inherited:
                out[name] = plain(value)
        elif value != getattr(before, name):
            out[name] = plain(value)
    for name in OWN:
        value = getattr(state, name)
        if value not in ((), "", False):
            out[name] = plain(value)
    return out


def history_doc(states: Sequence[Position]) -> dict[str, Any] | list[dict[str, Any]]:
    """A position's states as YAML data: a mapping for one undated state, else a list oldest first."""
    if len(states) == 1 and states[0].since is None:
        return state_doc(states[0])
    return [state_doc(s, states[k - 1] if k else None) for k, s in enumerate(states)]


def positions_yaml(before: Case, after: Case, text: str = "") -> str:
    """positions.yaml for ``after``: ``text`` (the file as it was for ``before``) with every position whose
    states changed rewritten as a history, new ones added and removed ones taken out; every other line (and
    comment) is kept as it was."""
    old = {key: list(before.states(*key)) for key in _pairs(before.history)}
    new = {key: list(after.states(*key)) for key in _pairs(after.history)}
    doc = YAML(typ="rt").load(text) if text.strip() else None
    if not isinstance(doc, dict):
        doc, text = {}, ""
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, str]] = []  # (first line, end line, replacement), 0-based, end exclusive
    appended: dict[str, list[str]] = {}
    for key in [*old.keys(), *(k for k in new if k not in old)]:
        actor, issue = key
        if old.get(key) == new.get(key):
            continue
        block = _block(issue, new[key]) if key in new else ""
        body = doc.get(actor)
        if isinstance(body, CommentedMap) and issue in body:
            first, col = body.lc.key(issue)
            end = _block_end(lines, first, col)
            edits.append((first, end, _indent(block, col)))
        elif isinstance(body, CommentedMap) and body:
            last = list(body)[-1]
            first, col = body.lc.key(last)
            end = _block_end(lines, first, col)
            edits.append((end, end, _indent(block, col)))
        elif block:
            appended.setdefault(actor, []).append(block)
    for first, end, replacement in sorted(edits, key=lambda e: (-e[0], -e[1])):
        lines[first:end] = [replacement] if replacement else []
    out = "".join(lines)
    if appended:
        if out and not out.endswith("\n"):
            out += "\n"
        for actor, blocks in appended.items():
            out += f"{_key(actor)}:\n" + "".join(_indent(b, 2) for b in blocks)
    return out


def sources_yaml(sources: Iterable[Source], text: str = "") -> str:
    """sources.yaml: ``text`` with the sources it does not list yet appended (every line of it kept)."""
    doc = YAML(typ="rt").load(text) if text.strip() else None
    listed = {item.get("id") for item in doc if isinstance(item, dict)} if isinstance(doc, list) else set()
    extra = [plain(s) for s in sources if s.id not in listed]
    if not extra:
        return text
    if text and not text.endswith("\n"):
        text += "\n"
    return text + _dump(extra)


def plan_yaml(plan: Plan) -> str:
    """One plan file."""
    return _dump(plain(plan))


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as the bundled cases write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _dump(data: Any) -> str:
    return str(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110,
                         default_flow_style=None))


def _key(name: str) -> str:
    """A mapping key as YAML writes it (quoted when it would not read back as the same string)."""
    if not name:
        return "''"
    return str(yaml.dump({name: 0}, Dumper=_Dumper, default_flow_style=False, allow_unicode=True)).rsplit(":", 1)[0]


def _block(issue: str, states: Sequence[Position]) -> str:
    return _dump({issue: history_doc(states)})


def _indent(block: str, col: int) -> str:
    pad = " " * col
    return "".join(pad + line if line.strip() else line for line in block.splitlines(keepends=True))


def _block_end(lines: Sequence[str], first: int, col: int) -> int:
    """The line after a mapping entry that starts at ``first`` (its key at column ``col``): the next line
    indented at ``col`` or less, less the comments and blank lines just before it (they belong to what follows)."""
    end = first + 1
    while end < len(lines):
        line = lines[end]
        body = line.lstrip(" ")
        if body.strip() and not body.startswith("#") and len(line) - len(body) <= col:
            break
        end += 1
    while end > first + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _pairs(history: Iterable[Position]) -> list[tuple[str, str]]:
    return list(dict.fromkeys((p.actor, p.issue) for p in history))


__all__ = ["history_doc", "plan_yaml", "positions_yaml", "sources_yaml", "state_doc"]
