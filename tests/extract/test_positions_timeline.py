import datetime as dt

from accord.extract.positions import positions
from accord.extract.timeline import dropped_topics, repeated_phrases, timelines
from accord.model import Claim

D = dt.date


def c(doc, holder, issue, stance, day, conf=0.6, basis="reported", quote=None):
    return Claim(
        doc=doc,
        holder=holder,
        issue=issue,
        stance=stance,
        basis=basis,
        text=f"{doc} {issue}",
        confidence=conf,
        date=D(2025, 11, day) if day else None,
        quote=quote,
    )


CLAIMS = [
    c("a", "russia", "plan", "oppose", 21, 0.8),
    c("b", "russia", "plan", "conditional", 27, 0.6, "stated", "the plan could be a basis for future agreements"),
    c("c", "russia", "plan", "conditional", 28, 0.5, "stated", "it could be a basis for future agreements, he said"),
    c("a", "russia", "elections", "oppose", 21),
    c("d", "russia", "territory", "conditional", 29),
    c("e", "russia", "territory", "conditional", 30),
    c("a", "us", "plan", "support", None),
]


def test_positions_matrix_hand_worked():
    cells = {(p.holder, p.issue): p for p in positions(CLAIMS)}
    p = cells[("russia", "plan")]
    assert (p.stance, p.n, p.docs, p.latest) == ("conditional", 3, 3, D(2025, 11, 28))  # 1.1 conditional vs 0.8
    assert p.counts == {"conditional": 2, "oppose": 1}
    assert p.evidence.doc == "b"  # stated beats reported; higher confidence among stated
    assert cells[("us", "plan")].latest is None
    assert [k for k in cells] == [("russia", "plan"), ("russia", "elections"), ("russia", "territory"), ("us", "plan")]


def test_timeline_changes_phrases_and_dropped_topics():
    tracks = {(t.holder, t.issue): t for t in timelines(CLAIMS)}
    t = tracks[("russia", "plan")]
    assert [(p.date.day, p.stance) for p in t.points] == [(21, "oppose"), (27, "conditional"), (28, "conditional")]
    assert t.changes == 1
    assert tracks[("us", "plan")].undated == 1 and tracks[("us", "plan")].points == ()
    phrases = repeated_phrases(CLAIMS)
    assert phrases["russia"] == [("basis for future agreements", 2)]
    dropped = dropped_topics(CLAIMS)
    assert dropped == {"russia": [("elections", D(2025, 11, 21)), ("plan", D(2025, 11, 28))]}
