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


def test_sample_articles_are_the_corpus_gaza_test_part_unchanged() -> None:
    """The case's sample articles are copies of the real-news corpus's Gaza test documents, with their
    adjudicated gold rows: the copies must not drift from the corpus, and no train or dev document may ship."""
    import json
    from pathlib import Path

    from accord.model import case_dir

    corpus = Path(__file__).resolve().parents[2] / "corpus" / "realnews"
    if not corpus.is_dir():
        pytest.skip("the real-news corpus is not beside the source (an installed package)")
    folder = case_dir("gaza_2025") / "articles"
    shipped = {p.stem for p in folder.glob("*.md") if p.name != "README.md"}
    test = {d for d in json.loads((corpus / "split.json").read_text())["test"]
            if "topic: gaza" in (corpus / "digests" / f"{d}.md").read_text(encoding="utf-8")}
    assert shipped == test and len(test) == 8
    for d in shipped:
        assert (folder / f"{d}.md").read_bytes() == (corpus / "digests" / f"{d}.md").read_bytes(), d
    rows = [json.loads(line) for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    want = [json.loads(line) for line in (corpus / "annotations" / "gold.jsonl").read_text(encoding="utf-8")
            .splitlines() if json.loads(line)["doc"] in test]
    assert rows == want and rows
