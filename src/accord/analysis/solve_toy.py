"""A two-issue, two-actor case for the examples in the solve docs and docstrings (invented, not data).

Issue ``a`` has options a0 (status quo), a1, a2; issue ``b`` has b0 (status
quo), b1. ``north`` prefers a2/b1, ``south`` prefers a0/b0; ``south`` has a red
line on a2, and both actors put their batna at 0.3.

>>> case = toy_case()
>>> [i.id for i in case.issues], case.parties
(['a', 'b'], ['north', 'south'])
"""

from __future__ import annotations

from accord.model import Actor, Axis, Case, Issue, Option, Position


def toy_case(batna: tuple[float, float] = (0.3, 0.3)) -> Case:
    """The toy case; ``batna`` sets north's and south's batna."""
    a = Issue(
        id="a", name="Issue A", status_quo="a0",
        options=[Option(id="a0", label="A zero", axis=0), Option(id="a1", label="A one", axis=50),
                 Option(id="a2", label="A two", axis=100)],
    )
    b = Issue(
        id="b", name="Issue B", status_quo="b0",
        options=[Option(id="b0", label="B zero", axis=0), Option(id="b1", label="B one", axis=100)],
    )
    actors = [
        Actor(id="north", name="North", capability=1.0, batna=batna[0]),
        Actor(id="south", name="South", capability=1.0, batna=batna[1]),
    ]
    positions = [
        Position(actor="north", issue="a", ideal="a2", salience=0.6),
        Position(actor="north", issue="b", ideal="b1", salience=0.4),
        Position(actor="south", issue="a", ideal="a0", salience=0.5, red_line=["a2"]),
        Position(actor="south", issue="b", ideal="b0", salience=0.5),
    ]
    return Case(id="toy", name="Toy", axis=Axis(low="south", high="north"), issues=(a, b),
                actors=tuple(actors), positions=tuple(positions))
