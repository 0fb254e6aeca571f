"""Who moved: hand-worked moves on the moving case, properties against a brute-force reading, the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.analysis.moves import by_actor, moves, step
from accord.cli import app
from accord.errors import AccordError
from accord.model import Actor, Case, Issue, Position, load_case
from accord.model.case import Axis
from tests.cli.test_case_commands import run

D = dt.date
runner = CliRunner()
LINE = Issue(id="line", name="Line", status_quo="o2", options=[
    {"id": f"o{k}", "label": f"option {k}", "axis": 25 * k} for k in range(5)])


def case_of(history: list[Position]) -> Case:
    actors = [Actor(id=a, name=a.upper(), capability=1, batna=0.1) for a in ("a", "b", "c")]
    return Case(id="t", name="t", axis=Axis(low="a", high="b"), issues=(LINE,), actors=tuple(actors),
                history=tuple(history))


def pos(actor: str, day: int, ideal: str, **kw: object) -> Position:
    return Position(actor=actor, issue="line", since=D(2025, 1, day), ideal=ideal, salience=kw.pop("salience", 1.0),
                    **kw)  # type: ignore[arg-type]


def test_the_moving_case_by_hand(moving_dir: Path) -> None:
    found = moves(load_case(moving_dir), start=D(2025, 11, 21))
    assert [(m.date, m.actor, m.issue, m.field) for m in found] == [
        (D(2025, 12, 11), "a", "land", "acceptable"),
        (D(2025, 12, 11), "a", "land", "red_line"),
        (D(2025, 12, 11), "b", "army", "position"),
    ]
    acc, red, new = found
    # Alpha (ideal all-a, axis 0) accepts the split (50): its reach towards Beta's pole goes 0 -> 50
    assert (acc.added, acc.size, acc.softens, acc.towards, acc.direction) == (("split",), 50.0, True, ("b",), 1)
    # and the split leaves its red line: short of its nearest red line it now goes to 50 instead of 0
    assert (red.removed, red.before, red.after, red.size) == (("split",), ("split", "all-b"), ("all-b",), 50.0)
    assert [s.id for s in red.evidence_before] == ["s1"] and [s.id for s in red.evidence_after] == ["s2"]
    assert red.evidence_after[0].date == D(2025, 12, 11) and red.evidence_after[0].reliability == "medium"
    assert red.note == "accepts the split in the revised text" and red.since_before == D(2025, 11, 21)
    assert (new.before, new.after) == (None, "0")
    (alpha, beta) = by_actor(found, load_case(moving_dir))
    assert alpha.towards == {"b": 50.0} and (alpha.moves, alpha.softened, alpha.hardened) == (2, 2, 0)
    assert beta.towards == {}


def test_ideal_moves_towards_whoever_it_comes_closer_to() -> None:
    case = case_of([pos("a", 1, "o0"), pos("a", 5, "o2"), pos("b", 1, "o4"), pos("c", 1, "o1")])
    (m,) = moves(case, start=D(2025, 1, 2))
    # a goes 0 -> 50: closer to b (100) and to c (25: 25 -> 25, no change), so towards b only
    assert (m.field, m.size, m.direction, m.towards, m.away_from) == ("ideal", 50.0, 1, ("b",), ())
    case = case_of([pos("a", 1, "o0"), pos("a", 5, "o3"), pos("b", 1, "o4"), pos("c", 1, "o1")])
    (m,) = moves(case, start=D(2025, 1, 2))
    assert (m.towards, m.away_from) == (("b",), ("c",))  # 0 -> 75 passes c (25): now 50 from it


def test_the_other_ideals_are_those_of_the_day_of_the_move() -> None:
    # c's ideal reaches the far pole only after a moves: on the day, a moves away from c, not towards
    case = case_of([pos("a", 1, "o2"), pos("a", 5, "o3"), pos("c", 1, "o1"), pos("c", 9, "o4")])
    (m, _) = moves(case, start=D(2025, 1, 2))
    assert m.actor == "a" and m.away_from == ("c",) and m.towards == ()


def test_red_line_reach_and_firmness() -> None:
    f = {"value": 0.9, "estimate": "often said"}
    case = case_of([
        pos("a", 1, "o0", red_line=["o2", "o4"], firmness=f),
        pos("a", 3, "o0", red_line=["o2", "o4"], firmness={"value": 0.6, "estimate": "talks of a deal"}),
        pos("a", 5, "o0", red_line=["o4"]),
        pos("a", 7, "o0", red_line=["o3", "o4"]),
        pos("b", 1, "o4"),
    ])
    firm, drop, add = moves(case, start=D(2025, 1, 1))
    assert (firm.field, firm.before, firm.after, firm.softens, firm.towards) == ("firmness", 0.9, 0.6, True, ("b",))
    assert firm.size == pytest.approx(0.3) and firm.unit == "probability"
    # reach short of the nearest red line: 25 (o1) -> 75 (o3)
    assert (drop.field, drop.removed, drop.size, drop.softens, drop.towards) == ("red_line", ("o2",), 50.0, True,
                                                                                ("b",))
    # a red line comes back on o3: reach 75 -> 50, a hardening away from b
    assert (add.added, add.size, add.softens, add.direction, add.away_from) == (("o3",), 25.0, False, -1, ("b",))


def test_salience_and_filters() -> None:
    case = case_of([pos("a", 1, "o0", salience=0.5), pos("a", 4, "o0", salience=0.7), pos("b", 1, "o4")])
    (m,) = moves(case, start=D(2025, 1, 1))
    assert (m.field, m.before, m.after, m.unit, m.towards) == ("salience", 0.5, 0.7, "share", ())
    assert moves(case, start=D(2025, 1, 1), actors=["b"]) == []
    assert moves(case, end=D(2025, 1, 3), actors=["a"])[0].field == "position"
    with pytest.raises(AccordError, match="--actor: unknown actor 'z'"):
        moves(case, actors=["z"])
    with pytest.raises(AccordError, match="--issue: unknown issue 'sea'"):
        moves(case, issues=["sea"])
    with pytest.raises(AccordError, match="--from 2025-01-05 is after --to 2025-01-02"):
        moves(case, start=D(2025, 1, 5), end=D(2025, 1, 2))


@st.composite
def histories(draw: st.DrawFn) -> list[Position]:
    out = []
    for actor in ("a", "b", "c"):
        days = sorted(draw(st.sets(st.integers(1, 28), min_size=1, max_size=4)))
        for d in days:
            ideal = draw(st.sampled_from(LINE.option_ids))
            rest = [o for o in LINE.option_ids if o != ideal]
            red = draw(st.lists(st.sampled_from(rest), unique=True, max_size=3))
            acc = draw(st.lists(st.sampled_from([o for o in rest if o not in red]), unique=True, max_size=2))
            firm = draw(st.sampled_from([None, 0.5, 0.9])) if red else None
            out.append(pos(actor, d, ideal, red_line=red, acceptable=acc, salience=draw(st.sampled_from([0.3, 0.6])),
                           firmness=None if firm is None else {"value": firm}))
    return out


@settings(max_examples=150, deadline=None)
@given(histories(), st.integers(0, 29), st.integers(0, 29), st.integers(0, 29))
def test_moves_add_up_over_periods_and_replay_each_step(h: list[Position], x: int, y: int, z: int) -> None:
    case = case_of(h)
    d1, d2, d3 = sorted(D(2025, 1, 1) + dt.timedelta(days=k - 1) for k in (x, y, z))
    assert moves(case, start=d1, end=d2) + moves(case, start=d2, end=d3) == moves(case, start=d1, end=d3)
    everything = moves(case)
    assert {(m.date, m.actor, m.field) for m in moves(case, start=d1, end=d3)} == {
        (m.date, m.actor, m.field) for m in everything if d1 < m.date <= d3}
    # brute force: each step changes exactly the fields its moves name, and the sets add up
    for actor in ("a", "b", "c"):
        states = case.states(actor, "line")
        for before, after in zip(states, states[1:], strict=False):
            mine = [m for m in everything if m.actor == actor and m.date == after.since]
            named = {m.field for m in mine}
            assert ("ideal" in named) == (before.ideal != after.ideal)
            assert ("salience" in named) == (before.salience.value != after.salience.value)
            for f in ("acceptable", "red_line"):
                changed = set(getattr(before, f)) ^ set(getattr(after, f))
                assert (f in named) == bool(changed)
                got = [m for m in mine if m.field == f]
                assert set().union(*(set(m.added) | set(m.removed) for m in got)) == changed
                assert all(m.softens is not None and m.size >= 0 for m in got)
            for m in mine:
                if m.field == "ideal":  # oracle: towards = the others whose ideal it came closer to
                    view = case.at(after.since)
                    x0, x1 = LINE.axis(before.ideal), LINE.axis(after.ideal)
                    closer = {p.actor for p in view.positions if p.actor != actor
                              and abs(x1 - LINE.axis(p.ideal)) < abs(x0 - LINE.axis(p.ideal))}
                    assert set(m.towards) == closer


def test_step_of_a_new_position_has_no_direction() -> None:
    (m,) = step(LINE, None, pos("a", 2, "o1"), {"b": 100.0}, {})
    assert (m.field, m.direction, m.size, m.towards) == ("position", 0, 0.0, ())


def test_moves_cli(moving_dir: Path) -> None:
    r = runner.invoke(app, ["moves", "--case", str(moving_dir), "--from", "2025-11-21", "--to", "2025-12-29",
                            "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert set(out) == {"case", "from", "to", "moves", "actors"}
    assert [(m["actor"], m["field"], m["date"]) for m in out["moves"]] == [
        ("a", "acceptable", "2025-12-11"), ("a", "red_line", "2025-12-11"), ("b", "position", "2025-12-11")]
    assert out["moves"][1]["evidence_after"][0]["url"] == "https://example.org/later"
    r = runner.invoke(app, ["moves", "--case", str(moving_dir), "--from", "2025-11-21", "--actor", "a"],
                      env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "red line − Split" in text and "towards b" in text and "s2 (2025-12-11, medium)" in text
    assert "a: 2 moves (2 softening, 0 hardening); towards b 50 pts" in text
    r = runner.invoke(app, ["moves", "--case", str(moving_dir), "--as-of", "2025-12-01", "--json"])
    assert [(m["actor"], m["field"]) for m in json.loads(r.output)["moves"]] == [("a", "position")]


@pytest.mark.parametrize("args, message", [
    (["--from", "2025-12-40"], "error: --from: '2025-12-40' is not a date; expected YYYY-MM-DD"),
    (["--from", "2025-12-20", "--to", "2025-12-01"], "error: --from 2025-12-20 is after --to 2025-12-01"),
    (["--actor", "zeta"], "error: --actor: unknown actor 'zeta'; expected one of ['a', 'b']"),
])
def test_moves_cli_errors(moving_dir: Path, args: list[str], message: str) -> None:
    r = run("moves", "--case", str(moving_dir), *args)
    assert r.returncode == 2 and r.stderr.strip() == message, r.stderr


def test_the_bundled_case_moves_with_evidence() -> None:
    """The issue's check: ``accord moves --from 2025-11-20 --to 2025-12-29`` lists the moves, each with evidence
    published by its date; Ukraine comes to accept the 800,000 cap of the revised texts."""
    r = run("moves", "--from", "2025-11-20", "--to", "2025-12-29", "--json")
    assert r.returncode == 0, r.stderr
    found = json.loads(r.stdout)["moves"]
    assert len(found) >= 20
    for m in found:
        assert "2025-11-20" < m["date"] <= "2025-12-29"
        assert m["evidence_after"], m
        assert all(e["date"] is None or e["date"] <= m["date"] for e in m["evidence_after"]), m
    cap = [m for m in found if (m["actor"], m["issue"]) == ("ukraine", "military_limits")]
    assert any("800k" in m["added"] and m["field"] == "acceptable" and m["softens"] for m in cap), cap
