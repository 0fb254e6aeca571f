import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import AccordError
from accord.extract.evaluate import GoldRow, coarse_issue, evaluate, parse_gold
from accord.model import Claim

GOLD = [
    GoldRow("d1", "russia", "plan", "oppose"),
    GoldRow("d1", "us", "plan", "support"),
    GoldRow("d2", "ukraine", "territory", "oppose"),
    GoldRow("d2", "russia", "territory", "conditional"),
]


def test_hand_worked_scores():
    pred = [
        ("d1", "russia", "plan", "oppose"),  # tp
        ("d1", "us", "plan", "conditional"),  # detected, wrong stance
        ("d2", "ukraine", "territory.donetsk", "oppose"),  # finer issue → territory: tp
        ("d2", "europe", "plan", "support"),  # spurious
        ("d9", "russia", "plan", "oppose"),  # outside the gold documents: ignored
    ]
    ev = evaluate(pred, GOLD)
    assert (ev.strict.tp, ev.strict.fp, ev.strict.fn) == (2, 2, 2)
    assert ev.strict.precision == 0.5 and ev.strict.recall == 0.5 and ev.strict.f1 == 0.5
    assert (ev.detection.tp, ev.detection.fp, ev.detection.fn) == (3, 1, 1)
    assert ev.detection.f1 == pytest.approx(0.75)
    assert ev.stance_accuracy == pytest.approx(2 / 3)
    assert ev.missed == (("d2", "russia", "territory", "conditional"),)
    assert ev.spurious == (("d2", "europe", "plan", "support"),)
    assert ev.wrong_stance == ((("d1", "us", "plan", "support"), "conditional"),)
    assert ev.per_holder["us"].fp == 1 and ev.per_issue["territory"].tp == 1


def test_duplicate_predictions_keep_the_most_confident():
    cs = [
        Claim(doc="d1", holder="russia", issue="plan", stance="support", text="a", confidence=0.4),
        Claim(doc="d1", holder="russia", issue="plan", stance="oppose", text="b", confidence=0.9),
    ]
    assert evaluate(cs, GOLD[:1]).strict.f1 == 1.0


def test_coarse_issue():
    assert coarse_issue("territory.donetsk") == "territory" and coarse_issue("Plan") == "plan"


def test_parse_gold_reports_every_bad_line():
    lines = [
        '{"doc": "a", "holder": "us", "issue": "plan", "stance": "support"}',
        "{oops",
        '{"doc": "a"}',
        '{"doc": "a", "holder": "us", "issue": "plan", "stance": "maybe"}',
    ]
    with pytest.raises(AccordError) as e:
        parse_gold(lines, "g.jsonl")
    assert [p.line for p in e.value.problems] == [2, 3, 4]


rows = st.tuples(
    st.sampled_from(["d1", "d2"]),
    st.sampled_from(["russia", "us", "ukraine"]),
    st.sampled_from(["plan", "territory", "sanctions"]),
    st.sampled_from(["support", "conditional", "oppose"]),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(rows, max_size=12), st.lists(rows, max_size=12))
def test_scores_are_consistent(gold, pred):
    g = [GoldRow(*r) for r in gold]
    ev = evaluate(pred, g, docs=["d1", "d2"])
    assert 0 <= ev.strict.f1 <= ev.detection.f1 + 1e-9 <= 1 + 1e-9
    assert ev.strict.tp <= ev.detection.tp
    assert evaluate(
        [(x.doc, x.holder, x.issue, x.stance) for x in {(r[0], r[1], r[2]): GoldRow(*r) for r in gold}.values()], g
    ).detection.f1 in (0.0, 1.0)
