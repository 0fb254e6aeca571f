"""What-if on the hand-worked toy case (tests/conftest.py): p1 gives land → all-b (a's red line), army → 50.

a: utility 0.75·0 + 0.25·0.5 = 0.125 against a batna of 0.3; b accepts (0.75 ≥ 0.2).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.analysis.assess import assess_plan
from accord.analysis.whatif import apply, describe, parse
from accord.errors import AccordError
from accord.model import Case, load_case
from accord.report.whatif import whatif_section


@pytest.fixture
def toy(toy_dir: Path) -> Case:
    return load_case(toy_dir)


def test_dropping_a_red_line_alone_does_not_clear_the_batna(toy: Case) -> None:
    after = apply(toy, [parse("drop:a:land")])
    x = assess_plan(after, "p1").actors["a"]
    assert x.red_lines == () and x.utility == pytest.approx(0.125) and not x.accepts  # 0.125 < batna 0.3
    assert toy.position("a", "land").red_line == ("all-b",)  # the case itself is untouched


def test_drop_and_a_lower_batna_flip_the_verdict(toy: Case) -> None:
    changes = [parse("drop:a:land"), parse("batna:a:0.1")]
    v = whatif_section(toy, changes, draws=0)
    row = next(r for r in v.rows if (r.plan, r.actor) == ("p1", "a"))
    assert (row.before, row.after, row.red_lines_before, row.red_lines_after) == ("rejects", "accepts", 1, 0)
    assert [r.changed for r in v.rows if r.actor == "b"] == [False, False]
    assert v.described == ("Alpha drops its red line on Land", "Alpha's batna set to 0.1")
    assert v.changes == ("drop:a:land", "batna:a:0.1")


def test_soften_and_salience(toy: Case) -> None:
    soft = apply(toy, [parse("soften:a:land:all-b")])
    assert soft.position("a", "land").red_line == () and soft.position("a", "land").firmness is None
    # a's saliences land 0.75, army 0.25 → land 0.25, army rescaled to 0.75 (the total stays 1):
    # utility of p1 = 0.25·0 + 0.75·0.5 = 0.375
    tilted = apply(toy, [parse("salience:a:land:0.25")])
    assert tilted.salience("a", "army") == pytest.approx(0.75)
    assert assess_plan(tilted, "p1").actors["a"].utility == pytest.approx(0.375)
    assert describe(toy, parse("soften:a:land:all-b")) == "Alpha no longer vetoes All to B on Land"


@pytest.mark.parametrize(("text", "message"), [
    ("drop:a", "expected drop:ACTOR:ISSUE"),
    ("move:a:land", "expected one of drop:…, soften:…, salience:…, batna:…"),
    ("drop:zz:land", "no actor 'zz'"),
    ("drop:b:land", "b has no red line on 'land'"),
    ("soften:a:land:split", "'split' is not on a's red line on 'land'; expected one of all-b"),
    ("salience:a:land:x", "'x' is not a number"),
    ("batna:a:-1", "a batna is a value in [0, 1]"),
])
def test_bad_changes_are_one_clear_line(toy: Case, text: str, message: str) -> None:
    with pytest.raises(AccordError, match=message.replace("[", r"\[").replace("]", r"\]")) as e:
        apply(toy, [parse(text)])
    assert len(e.value.lines()) == 1 and e.value.lines()[0].startswith(f"change: '{text}'")
