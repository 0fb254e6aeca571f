"""Claims reach the case: ``accord review`` proposals worked by hand on the moving case, and YAML written back.

The moving case (tests/time/conftest.py): Alpha (axis pole low) holds the land
from 21 November with a red line on ``all-b`` and ``split``, and from 11 December
accepts ``split``; its army ideal ``100`` is an undated snapshot. Beta holds
``all-b`` with ``split`` acceptable (undated) and takes a position on the army
(ideal ``0``) only on 11 December. Plan p1 (25 Nov) gives all the land to B and
caps the army at 50; p2 (15 Dec) splits the land.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.analysis.moves import moves
from accord.analysis.review import option_of, review
from accord.cli import app
from accord.model import Case, Claim, Quantity, load_case
from accord.model.dump import positions_yaml, sources_yaml
from tests.cli.test_case_commands import run
from tests.conftest import write_case
from tests.time.conftest import MOVING

D = dt.date
runner = CliRunner()


def claim(holder: str, issue: str, stance: str, day: dt.date | None, text: str, *, troops: float | None = None,
          cid: str = "", url: str = "https://news.example.org/a") -> Claim:
    qs = (Quantity(value=troops, unit="troops", text=f"{troops:,.0f} troops"),) if troops is not None else ()
    return Claim(id=cid or f"{holder}-{issue}-{stance}-{day}", doc="d1", holder=holder, issue=issue,
                 stance=stance, basis="stated", text=text, speaker=f"{holder} spokesman", date=day, url=url,
                 quantities=qs)


def by_key(case: Case) -> dict[tuple[str, str], tuple[object, ...]]:
    """Each position's states (the order positions are listed in does not matter)."""
    return {(p.actor, p.issue): case.states(p.actor, p.issue) for p in case.history}


@pytest.fixture
def case(moving_dir: Path) -> Case:
    return load_case(moving_dir)


def test_each_kind_of_contradiction_by_hand(case: Case) -> None:
    claims = [
        # 16 Dec: p2 (15 Dec) is on the table, it splits the land; Alpha's state of 11 Dec accepts the split
        claim("a", "land", "oppose", D(2025, 12, 16), "Alpha rejects any split of the land."),
        # 30 Nov: p1 is on the table (all to B), on Alpha's red line then: a conditional yes softens it
        claim("a", "land", "conditional", D(2025, 11, 30), "Alpha could accept B's terms if guarantees hold."),
        # 12 Dec: a number names the option; Beta's army ideal since 11 Dec is 0, 50 is not acceptable
        claim("b", "army", "support", D(2025, 12, 12), "Beta could live with a cap of 50 troops.", troops=50),
        # 30 Nov: Beta holds no army position yet
        claim("b", "army", "support", D(2025, 11, 30), "Beta wants the army capped at 50 troops.", troops=50),
    ]
    r = review(case, claims)
    assert r.agrees == 0 and r.skipped == ()
    got = {(p.date, p.actor, p.issue): p for p in r.proposals}
    assert [(p.date, p.kind) for p in r.proposals] == [
        (D(2025, 11, 30), "conditional-on-red-line"), (D(2025, 11, 30), "new-position"),
        (D(2025, 12, 12), "supports-unmarked"), (D(2025, 12, 16), "opposes-acceptable")]

    cond = got[(D(2025, 11, 30), "a", "land")]
    assert cond.option == "all-b" and "p1 (2025-11-25)" in cond.read_from
    assert cond.current is not None and cond.current.since == D(2025, 11, 21)
    assert cond.proposed is not None and cond.proposed.red_line == ("split",)
    assert cond.proposed.since == D(2025, 11, 30) and cond.proposed.firmness is None  # a new red line
    assert cond.proposed.claims == (claims[1].id,) and "Alpha could accept" in cond.proposed.note

    new = got[(D(2025, 11, 30), "b", "army")]
    assert new.current is None and new.proposed is not None
    assert (new.proposed.ideal, new.proposed.salience.value) == ("50", 0.0)
    assert "not weighed yet" in new.proposed.salience.estimate

    unmarked = got[(D(2025, 12, 12), "b", "army")]
    assert unmarked.option == "50" and "50 troops" in unmarked.read_from
    assert unmarked.proposed is not None and unmarked.proposed.acceptable == ("50",)

    opp = got[(D(2025, 12, 16), "a", "land")]
    assert opp.option == "split" and opp.current is not None and opp.current.since == D(2025, 12, 11)
    assert opp.proposed is not None and opp.proposed.acceptable == () and opp.proposed.red_line == ("all-b",)
    # every proposed state cites the claim's article, dated by the claim: the leakage rule holds
    for p in r.proposals:
        assert p.proposed is not None and p.proposed.sources == (p.sources[0].id,)
        assert p.sources[0].url == "https://news.example.org/a" and p.sources[0].date == p.date


def test_a_claim_is_read_against_the_state_of_its_own_day(case: Case) -> None:
    """The same claim (Alpha rejects the split) contradicts the state of 11 December, not that of 21 November."""
    early = claim("a", "land", "oppose", D(2025, 11, 30), "Alpha rejects the split.")
    early = early.model_copy(update={"quantities": ()})
    # on 30 Nov the plan on the table is p1 (all to B), on Alpha's red line: opposing it agrees with the case
    assert review(case, [early]).agrees == 1
    late = claim("a", "land", "oppose", D(2025, 12, 16), "Alpha rejects the split.")
    assert [p.kind for p in review(case, [late]).proposals] == ["opposes-acceptable"]
    # --as-of leaves later claims aside, and no later state is read
    r = review(case, [late], as_of=D(2025, 12, 1))
    assert r.proposals == () and "after --as-of 2025-12-01" in r.skipped[0].reason


def test_opposing_the_ideal_moves_it_one_option_towards_the_actors_pole(moving_dir: Path) -> None:
    (moving_dir / "positions.yaml").write_text((moving_dir / "positions.yaml").read_text().replace(
        "land: {ideal: all-b, salience: {value: 0.5, estimate: core}, acceptable: [split]",
        "land: {ideal: split, salience: {value: 0.5, estimate: core}, acceptable: [all-b]"))
    case = load_case(moving_dir)
    (p,) = review(case, [claim("b", "land", "oppose", D(2025, 12, 16), "Beta rejects a split.")]).proposals
    assert p.kind == "opposes-ideal" and p.proposed is not None
    assert (p.proposed.ideal, p.proposed.acceptable) == ("all-b", ())  # Beta's pole is the high end
    assert p.proposed.inferred and "accord's reading" in p.proposed.note
    # at its pole already (Alpha's army ideal 100 is axis 0), there is nowhere to move: code it by hand
    (q,) = review(case, [claim("a", "army", "oppose", D(2025, 12, 16), "No 100 troops.", troops=100)]).proposals
    assert q.kind == "opposes-ideal" and q.proposed is None


def test_claims_that_cannot_be_compared_are_counted_with_the_reason(case: Case) -> None:
    claims = [
        claim("a", "land", "oppose", None, "Undated."),
        claim("zeta", "land", "oppose", D(2025, 12, 16), "Not an actor."),
        claim("a", "plan", "oppose", D(2025, 12, 16), "The plan as a whole."),
        claim("a", "army", "oppose", D(2025, 11, 1), "No plan yet, no number."),
        # agrees: Alpha supports its own ideal
        claim("a", "army", "support", D(2025, 12, 16), "Keep 100 troops.", troops=100),
    ]
    r = review(case, claims)
    assert r.proposals == () and r.agrees == 1
    reasons = [s.reason for s in r.skipped]
    assert reasons[0].startswith("undated") and "'zeta' is not an actor" in reasons[1]
    assert reasons[2].startswith("on the plan as a whole") and reasons[3].startswith("names no option")


def test_claims_of_one_day_that_propose_the_same_change_are_one_proposal(case: Case) -> None:
    one = claim("a", "land", "oppose", D(2025, 12, 16), "Alpha rejects the split.", cid="c1")
    two = claim("a", "land", "oppose", D(2025, 12, 16), "Kyiv-style: no split.", cid="c2",
                url="https://other.example.org/b")
    (p,) = review(case, [one, two]).proposals
    assert [c.id for c in p.claims] == ["c1", "c2"] and len(p.sources) == 2
    assert p.id == review(case, [one, two]).proposals[0].id  # stable across runs
    assert p.id != review(case, [one]).proposals[0].id


def test_plans_of_one_day_that_disagree_leave_the_claim_aside(moving_dir: Path) -> None:
    p3 = ("id: p3\nname: Counter\n{authors}date: 2025-12-15\nprovisions:\n"
          "  - {{id: '1', title: Land, text: All to A., issue: land, option: all-a, sources: [s1]}}\n")
    (moving_dir / "plans/p3.yaml").write_text(p3.format(authors=""))
    case = load_case(moving_dir)
    # p2 and p3 (both 15 Dec, no authors) settle the land differently: no text is the one on the table
    option, why = option_of(case, claim("b", "land", "oppose", D(2025, 12, 16), "Beta rejects the plan."))
    assert option is None and "settle the issue differently (p2: split, p3: all-a)" in why
    # once Alpha wrote p3, its claim speaks to its own text, and so does Beta's (the text most parties wrote)
    (moving_dir / "plans/p3.yaml").write_text(p3.format(authors="authors: [a]\n"))
    case = load_case(moving_dir)
    assert option_of(case, claim("a", "land", "oppose", D(2025, 12, 16), "x"))[0] == "all-a"
    assert option_of(case, claim("b", "land", "oppose", D(2025, 12, 16), "x"))[0] == "all-a"


def test_an_accepted_state_written_back_to_yaml_loads_to_the_same_history(case: Case, moving_dir: Path,
                                                                           tmp_path: Path) -> None:
    from accord.web.edits import ReviewDecision, apply_edit

    (p,) = review(case, [claim("a", "land", "oppose", D(2025, 12, 16), "Alpha rejects the split.")]).proposals
    assert p.proposed is not None
    after = apply_edit(case, "review", p.id, ReviewDecision(
        decision="accept", actor=p.actor, issue=p.issue, kind=p.kind, date=p.date, state=p.proposed,
        sources=p.sources))
    text = (moving_dir / "positions.yaml").read_text()
    out = write_case(tmp_path / "out", {k: v for k, v in MOVING.items()})
    (out / "positions.yaml").write_text(positions_yaml(case, after, text))
    (out / "sources.yaml").write_text(sources_yaml(after.sources, (moving_dir / "sources.yaml").read_text()))
    back = load_case(out)
    assert by_key(back) == by_key(after) and back.sources == after.sources
    assert [s.since for s in back.states("a", "land")] == [D(2025, 11, 21), D(2025, 12, 11), D(2025, 12, 16)]
    # what did not change keeps its text, line for line
    assert "army: {ideal: \"100\", salience: {value: 0.25, estimate: secondary}, sources: [s1]}" in \
        (out / "positions.yaml").read_text()
    # and the move is there to see
    (m,) = moves(back, start=D(2025, 12, 15))
    assert (m.actor, m.field, m.removed, m.date) == ("a", "acceptable", ("split",), D(2025, 12, 16))
    # accepting nothing changes nothing: the file comes back as it was
    assert positions_yaml(case, case, text) == text


def test_the_bundled_case_writes_back_to_itself() -> None:
    """Every position of the bundled case, written from scratch as histories, loads back to the same states."""
    from accord.model.load import case_dir

    case = load_case("ukraine_2025")
    empty = case.replace(history=(), positions=())
    folder = case_dir("ukraine_2025")
    text = (folder / "positions.yaml").read_text(encoding="utf-8")
    assert positions_yaml(case, case, text) == text
    fresh = positions_yaml(empty, case, "")
    import shutil
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "case"
        shutil.copytree(folder, out)
        (out / "positions.yaml").write_text(fresh, encoding="utf-8")
        assert by_key(load_case(out)) == by_key(case)


def test_review_cli(moving_dir: Path, tmp_path: Path) -> None:
    claims = tmp_path / "claims.jsonl"
    rows = [claim("a", "land", "oppose", D(2025, 12, 16), "Alpha rejects the split."),
            claim("a", "land", "oppose", None, "Undated.")]
    claims.write_text("".join(c.model_dump_json() + "\n" for c in rows))
    r = runner.invoke(app, ["review", str(claims), "--case", str(moving_dir), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert (out["claims"], out["agrees"], len(out["skipped"]), len(out["proposals"])) == (2, 0, 1, 1)
    (p,) = out["proposals"]
    assert p["kind"] == "opposes-acceptable" and p["changes"] and "Split" in p["changes"][0]
    r = runner.invoke(app, ["review", str(claims), "--case", str(moving_dir)])
    assert r.exit_code == 0 and "Alpha rejects the split." in r.output and "1 proposed update" in r.output
    r2 = run("review", str(tmp_path / "none.jsonl"), "--case", str(moving_dir))
    assert r2.returncode == 2 and r2.stderr.startswith("error: ") and "none.jsonl: cannot read claims" in r2.stderr
    assert len(r2.stderr.strip().splitlines()) == 1


def test_a_dated_state_added_to_an_undated_snapshot_writes_back(case: Case, moving_dir: Path,
                                                                 tmp_path: Path) -> None:
    """Beta's land position is an undated snapshot: accepting a dated change makes it a history whose first
    state has no date (in effect from the start); a later state without one is an error naming it."""
    from accord.errors import CaseError
    from accord.web.edits import ReviewDecision, apply_edit

    (p,) = review(case, [claim("b", "land", "oppose", D(2025, 12, 16), "Beta rejects the split.")]).proposals
    assert p.kind == "opposes-acceptable" and p.current is not None and p.current.since is None
    assert p.proposed is not None
    after = apply_edit(case, "review", p.id, ReviewDecision(
        decision="accept", actor=p.actor, issue=p.issue, kind=p.kind, date=p.date, state=p.proposed,
        sources=p.sources))
    text = positions_yaml(case, after, (moving_dir / "positions.yaml").read_text())
    (moving_dir / "positions.yaml").write_text(text)
    (moving_dir / "sources.yaml").write_text(sources_yaml(after.sources, (moving_dir / "sources.yaml").read_text()))
    back = load_case(moving_dir)
    assert [(s.since, s.acceptable) for s in back.states("b", "land")] == [(None, ("split",)),
                                                                          (D(2025, 12, 16), ())]
    assert back.at(D(2025, 12, 1)).position("b", "land").acceptable == ("split",)
    (moving_dir / "positions.yaml").write_text(text.replace("since: 2025-12-16", "inferred: false"))
    with pytest.raises(CaseError) as e:
        load_case(moving_dir)
    assert "b.land[1].since: required field is missing: each state after the first takes effect on a date" in \
        str(e.value)
