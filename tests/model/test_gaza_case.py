"""The bundled case ``gaza_2025``: valid, its ids stable, every fact sourced and dated."""

from __future__ import annotations

import pytest

from accord.model import Case, load_case

# The corpus annotators label Gaza gold claims with these ids: they must not change.
ISSUES = {
    "hostages", "prisoners", "withdrawal", "ceasefire", "aid", "rafah", "disarmament", "amnesty", "isf",
    "isf_composition", "governance", "pa_role", "board_of_peace", "reconstruction", "displacement", "statehood",
}
ACTORS = {"israel", "hamas", "us", "egypt", "qatar", "turkey", "pa", "un", "pij"}


@pytest.fixture(scope="module")
def case() -> Case:
    return load_case("gaza_2025")


def test_ids_are_the_ones_annotators_use(case: Case) -> None:
    assert {i.id for i in case.issues} >= ISSUES
    assert {a.id for a in case.actors} >= ACTORS
    assert (case.axis.low, case.axis.high) == ("hamas", "israel")


def test_every_cited_source_is_listed_and_dated_or_marked(case: Case) -> None:
    known = {s.id: s for s in case.sources}
    cited = {ref for i in case.issues for ref in i.sources} | {ref for a in case.actors for ref in a.sources}
    assert cited and cited <= set(known), sorted(cited - set(known))
    assert all(s.date is not None or s.undated for s in case.sources)
    assert all(len(s.quote) <= 400 for s in case.sources)


def test_every_actor_estimate_carries_its_reasoning(case: Case) -> None:
    for a in case.actors:
        assert a.capability.estimate.strip() and a.batna.estimate.strip(), a.id
    assert abs(sum(a.capability.value for a in case.actors) - 1.0) < 1e-9
