"""Hypothesis strategies: random but valid cases, built directly from the model types."""

from __future__ import annotations

from hypothesis import strategies as st

from accord.model import Actor, Axis, Case, Issue, Option, Plan, Position, Provision


@st.composite
def cases(
    draw: st.DrawFn,
    max_issues: int = 6,
    max_options: int = 4,
    max_actors: int = 4,
    red_lines: bool = True,
) -> Case:
    """A valid case: n issues × m options, k actors with saliences summing to 1 and red lines."""
    n = draw(st.integers(1, max_issues))
    k = draw(st.integers(1, max_actors))
    issues = []
    for i in range(n):
        m = draw(st.integers(2, max_options))
        axes = sorted(draw(st.lists(st.integers(0, 100), min_size=m, max_size=m)))
        opts = tuple(Option(id=f"o{j}", label=f"option {j}", axis=float(a)) for j, a in enumerate(axes))
        sq = draw(st.integers(0, m - 1))
        issues.append(Issue(id=f"i{i}", name=f"issue {i}", options=opts, status_quo=f"o{sq}"))
    actors, positions = [], []
    for a in range(k):
        raw = draw(st.lists(st.integers(0, 10), min_size=n, max_size=n))
        total = sum(raw) or 1
        sal = [r / total for r in raw] if sum(raw) else [1.0 / n] * n
        for i, iss in enumerate(issues):
            m = len(iss.options)
            ideal = draw(st.integers(0, m - 1))
            red = []
            if red_lines:
                red = [f"o{j}" for j in range(m) if j != ideal and draw(st.booleans()) and draw(st.booleans())]
            positions.append(
                Position(actor=f"a{a}", issue=iss.id, ideal=f"o{ideal}", salience={"value": sal[i]},
                         red_line=tuple(red))
            )
        batna = draw(st.sampled_from([0.0, 0.2, 0.4, 0.6, 0.8]))
        cap = draw(st.integers(1, 10))
        actors.append(Actor(id=f"a{a}", name=f"actor {a}", capability={"value": float(cap)}, batna={"value": batna}))
    plan_opts = [draw(st.integers(0, len(iss.options) - 1)) for iss in issues]
    plan = Plan(
        id="plan", name="random plan",
        provisions=tuple(
            Provision(id=str(i + 1), title=iss.name, text="-", issue=iss.id, option=f"o{j}")
            for i, (iss, j) in enumerate(zip(issues, plan_opts, strict=True))
        ),
    )
    return Case(
        id="random", name="random", axis=Axis(low="a0", high=f"a{k - 1}"),
        issues=tuple(issues), actors=tuple(actors), positions=tuple(positions), plans=(plan,),
    )


@st.composite
def case_and_package(draw: st.DrawFn, **kw: int) -> tuple[Case, dict[str, str]]:
    case = draw(cases(**kw))
    package = {iss.id: draw(st.sampled_from(iss.option_ids)) for iss in case.issues}
    return case, package
