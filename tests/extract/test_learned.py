"""The learned components: features that name no case, training that is reproducible, models that learn roles.

The training test uses the fictional strait case (tests/extract/strait) and
articles generated here from templates, so the model must learn from the
features — who is the subject, who the object of "wants … to accept" —
not from names: the names of the test sentences never occur in training.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest

from accord.errors import AccordError
from accord.extract.documents import Document
from accord.extract.evaluate import GoldRow, evaluate
from accord.extract.learned import CaseFacts, ClaimModel, LinearModel, candidate_pairs, load_model
from accord.extract.pipeline import Extractor
from accord.model import load_case

from .test_cli import invoke

STRAIT = Path(__file__).parent / "strait" / "case"

pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def strait():
    return load_case(STRAIT)


def test_linear_model_json_round_trip_and_fingerprint():
    m = LinearModel(("support", "conditional", "oppose"), (0.1, 0.0, -0.1), {"cue:oppose": (-1.0, 0.0, 2.0)})
    cm = ClaimModel(LinearModel(("claim",), (0.0,), {"bias": (0.5,)}), m, m, threshold=0.4, platt=(1.5, -0.2))
    again = ClaimModel.from_json(json.loads(cm.dumps()))
    assert again.dumps() == cm.dumps() and again.fingerprint() == cm.fingerprint()
    p = m.probabilities({"cue:oppose": 1.0})
    assert abs(sum(p) - 1) < 1e-12 and p[2] == max(p)
    # the calibrated probability is monotone in the detector's score
    lo, hi = cm.claim_probability({}), cm.claim_probability({"bias": 1.0})
    assert 0 < lo < hi < 1


def test_candidate_features_name_no_actor_and_see_the_object(strait):
    ex = Extractor(strait, model=None)
    res = ex.extract(Document(id="d", text="Voss wants Bervania to accept the fishing quota."))
    pairs = {(p.holder, p.issue): p.features for p in candidate_pairs(res, CaseFacts.of(strait))}
    assert set(pairs) == {("aldria", "fishing"), ("bervania", "fishing")}
    assert pairs[("aldria", "fishing")].get("role:subject") == 1.0
    assert pairs[("bervania", "fishing")].get("role:object") == 1.0
    # the role crossed with where the pair meets and what the sentence does: an object in its own sentence
    assert pairs[("bervania", "fishing")].get("x:object&same") == 1.0
    assert "x:object&same" not in pairs[("aldria", "fishing")]
    names = {n.lower() for a in strait.actors for n in (a.id, *a.names)}
    words = {w for f in pairs.values() for k in f for w in k.replace(":", " ").replace("_", " ").split()}
    assert not names & words, names & words


PEOPLE = {"aldria": ["Voss", "Mira Voss", "Port Alder"], "bervania": ["Brandt", "Kessa"], "corland": ["Ruud", "Hollin"]}
ISSUES = {"fishing": "fishing quota", "tolls": "transit tolls", "warships": "naval patrols", "truce": "truce"}


def _corpus(n: int, seed: int) -> tuple[list[Document], list[GoldRow]]:
    """Articles where "A wants/urged B to accept X" gives A support on X and B nothing; "A rejected X" oppose."""
    rnd = random.Random(seed)
    docs, gold = [], []
    for k in range(n):
        a, b = rnd.sample(sorted(PEOPLE), 2)
        x, y = rnd.sample(sorted(ISSUES), 2)
        verb = rnd.choice(["wants", "urged", "pressed", "told"])
        c = rnd.choice([p for p in sorted(PEOPLE) if p != a])
        text = (
            f"{rnd.choice(PEOPLE[a])} {verb} {rnd.choice(PEOPLE[b])} to accept the {ISSUES[x]}. "
            f"Separately, {rnd.choice(PEOPLE[c])} rejected the {ISSUES[y]}."
        )
        docs.append(Document(id=f"t{k:02d}", text=text))
        gold += [GoldRow(f"t{k:02d}", a, x, "support"), GoldRow(f"t{k:02d}", c, y, "oppose")]
    return docs, gold


def test_training_is_reproducible_and_learns_who_holds_the_stance(strait):
    from accord.extract.training import train

    docs, gold = _corpus(40, seed=1)
    one = train([(strait, docs, gold)], seed=5)
    two = train([(strait, docs, gold)], seed=5, scored=[d.id for d in docs])
    # the same model, and scored on every training document the out-of-fold figures are the whole CV's
    scored = two.meta.pop("cv_scored")
    assert one.dumps() == two.dumps()
    assert (scored["strict_f1"], scored["detection_f1"]) == (one.meta["cv_strict_f1"], one.meta["cv_detection_f1"])
    assert (scored["documents"], scored["gold_rows"]) == (40, one.meta["gold_rows"])
    # the role × sentence conjunctions decide whether a pair is a claim, not its stance or basis
    assert any(k.startswith("x:") for k in one.detect.weights)
    assert not any("x:" in k for k in (*one.stance.weights, *one.basis.weights))
    assert 0 < one.meta["cv_detection_f1"] <= 1
    assert one.meta["documents"] == 40 and one.meta["candidate_recall"] == 1.0
    test_docs, test_gold = _corpus(20, seed=99)
    learned = Extractor(strait, model=one)
    rules = Extractor(strait, model=None)
    ev = evaluate([c for d in test_docs for c in learned.extract(d).claims], test_gold)
    ev_rules = evaluate([c for d in test_docs for c in rules.extract(d).claims], test_gold)
    assert ev.strict.f1 >= 0.95, (ev.spurious, ev.missed, ev.wrong_stance)
    assert ev.strict.f1 > ev_rules.strict.f1  # the rules call "wants … to accept" conditional
    # every claim has a confidence in (0, 1] and a sentence to show for it
    claims = [c for d in test_docs for c in learned.extract(d).claims]
    assert all(0 < c.confidence <= 1 and c.text for c in claims)


def test_calibration_makes_confidence_the_share_right(strait):
    """A confident model meets held-out gold that disagrees with half its claims: calibrated, it says about 0.5."""
    from accord.extract.training import calibrate, train

    model = train([(strait, *_corpus(40, seed=1))], seed=5)
    docs, gold = _corpus(30, seed=7)
    noisy = [g if k % 2 else GoldRow(g.doc, g.holder, g.issue, "conditional") for k, g in enumerate(gold)]
    cal = calibrate(model, [(strait, docs, noisy)])
    meta = cal.meta["calibration"]
    assert meta["doc_ids"] == sorted(d.id for d in docs) and meta["claims"] >= 50
    share = meta["right"] / meta["claims"]
    assert 0.35 < share < 0.65
    claims = [c for d in docs for c in Extractor(strait, model=cal).extract(d).claims]
    raw = [c for d in docs for c in Extractor(strait, model=model).extract(d).claims]
    assert abs(sum(c.confidence for c in claims) / len(claims) - share) < 0.1
    assert sum(c.confidence for c in raw) / len(raw) > 0.8  # what it said before: a ranking, not a probability
    assert meta["ece_after"] < meta["ece_before"] and meta["ece_out_of_document"] < meta["ece_before"]
    assert ClaimModel.from_json(json.loads(cal.dumps())).calibration == pytest.approx(cal.calibration, abs=1e-6)
    with pytest.raises(AccordError, match="both right and wrong"):
        calibrate(model, [(strait, docs, gold)])  # it is right on every claim: nothing to calibrate against


def test_train_and_use_a_model_from_the_cli(tmp_path, strait):
    docs, gold = _corpus(30, seed=2)
    folder = tmp_path / "arts"
    folder.mkdir()
    for d in docs:
        (folder / f"{d.id}.txt").write_text(d.text + "\n")
    rows = [{"doc": g.doc, "holder": g.holder, "issue": g.issue, "stance": g.stance} for g in gold]
    (folder / "gold.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    split = tmp_path / "split.json"
    # docs[15:20] are in no part: training-only articles (annotated once, never scored) train too
    split_ids = {"train": [d.id for d in docs[:15]], "test": [d.id for d in docs[20:]]}
    split.write_text(json.dumps(split_ids))
    out = tmp_path / "m.json"
    # a second gold file with other rows for the same documents: the first file that has a document wins
    other = tmp_path / "pass1.jsonl"
    other.write_text("".join(json.dumps({**r, "stance": "oppose", "holder": "x" + r["holder"]}) + "\n" for r in rows))
    r = invoke(
        "extract", "train", "--gold", folder / "gold.jsonl", "--gold", other, folder,
        "--split", split, "--case", STRAIT, "-o", out,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    model = load_model(out)
    assert model.meta["documents"] == 20  # the test part never trains
    assert model.meta["doc_ids"] == sorted(d.id for d in docs[:20])
    assert model.meta["gold_rows"] == len({(g.doc, g.holder, g.issue) for g in gold if g.doc not in split_ids["test"]})
    # the cross-validation scored on the --part's documents alone (the training-only ones train, unscored)
    scored = model.meta["cv_scored"]
    assert scored["documents"] == 15
    assert scored["gold_rows"] == len({(g.doc, g.holder, g.issue) for g in gold if g.doc in split_ids["train"]})
    assert f"out of fold on the 15 documents of train alone ({scored['gold_rows']} gold claims)" in r.output
    res = json.loads(
        invoke("extract", "eval", "--gold", folder / "gold.jsonl", "--case", STRAIT, "--model", out, "--json").stdout
    )
    assert res["model"] == f"learned {model.fingerprint()}"
    assert res["extractor"]["strict"]["f1"] >= res["rules"]["strict"]["f1"]
    assert {"extractor", "rules", "baseline", "trivial"} <= set(res)
    # --calibrate: a part of --split other than --part; a part the model gets all right cannot calibrate it
    base = ("extract", "train", "--gold", folder / "gold.jsonl", folder, "--case", STRAIT)
    for extra in (("--calibrate", "test"), ("--split", split, "--calibrate", "train")):
        r = invoke(*base, *extra, "-o", tmp_path / "c.json")
        assert "--calibrate names a part of --split other than --part" in str(r.exception), r.output
    r = invoke(*base, "--split", split, "--calibrate", "dev", "-o", tmp_path / "c.json")
    assert "with parts 'train' and 'dev'" in str(r.exception), r.output
    r = invoke(*base, "--split", split, "--calibrate", "test", "-o", tmp_path / "c.json")
    assert "both right and wrong" in str(r.exception) and not (tmp_path / "c.json").exists()
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    r = invoke("extract", folder, "--case", STRAIT, "--model", bad)
    assert "not a model from `accord extract train`" in str(r.exception)


REALNEWS = Path(__file__).parents[2] / "corpus" / "realnews"


@pytest.mark.skipif(not (REALNEWS / "split.json").exists(), reason="the real-news corpus is not in this checkout")
def test_the_shipped_model_never_saw_dev_or_test_and_beats_the_rules_on_dev():
    """The shipped model trained on the corpus's train part only, and it earns its place on the dev part."""
    from accord.extract.documents import read_documents
    from accord.extract.evaluate import load_gold
    from accord.extract.learned import default_model

    model = default_model()
    assert model is not None
    split = json.loads((REALNEWS / "split.json").read_text())
    trained = set(model.meta["doc_ids"])
    assert trained & set(split["train"]) and not trained & (set(split["dev"]) | set(split["test"]))
    # its confidences were calibrated on the dev part (never on test)
    assert model.calibration is not None and set(model.meta["calibration"]["doc_ids"]) <= set(split["dev"])
    # the adjudicated gold where it covers a document, else annotation pass 1 (a single annotator)
    adjudicated = REALNEWS / "annotations" / "gold.jsonl"
    gold = load_gold(adjudicated) if adjudicated.exists() else []
    covered = {g.doc for g in gold}
    gold += [g for g in load_gold(REALNEWS / "annotations" / "pass1.jsonl") if g.doc not in covered]
    docs = [d for d in read_documents([REALNEWS / "digests"]) if isinstance(d, Document) and d.id in split["dev"]]
    for topic, case in (("ukraine", "ukraine_2025"), ("gaza", "gaza_2025")):
        mine = [d for d in docs if _topic(d) == topic]
        ex = Extractor(load_case(case), model=model)
        results = [ex.extract(d) for d in mine]
        rows = [g for g in gold if g.doc in {d.id for d in mine}]
        learned = evaluate([c for r in results for c in r.claims], rows)
        rules = evaluate([c for r in results for c in r.rules], rows)
        assert mine and learned.strict.f1 > rules.strict.f1 + 0.05, (topic, learned.strict.f1, rules.strict.f1)
        assert learned.detection.f1 > rules.detection.f1
        # calibrated: a claim's confidence is close to the share of such claims that are right
        raw = Extractor(load_case(case), model=replace(model, calibration=None))
        uncalibrated = evaluate([c for d in mine for c in raw.extract(d).claims], rows)
        assert learned.ece < 0.1 and learned.ece < uncalibrated.ece, (topic, learned.ece, uncalibrated.ece)


def _topic(doc: Document) -> str:
    front = (REALNEWS / "digests" / f"{doc.id}.md").read_text(encoding="utf-8").split("---")[1]
    return next(line.split(":", 1)[1].strip() for line in front.splitlines() if line.startswith("topic:"))


@pytest.mark.parametrize("labels", [("claim",), ("support", "conditional", "oppose"), ("a", "b")])
def test_scores_add_in_the_features_order_whatever_the_hash_seed(labels: tuple[str, ...]) -> None:
    """Floating-point sums depend on their order: 1e16 + 1 - 1e16 is 0, 1e16 - 1e16 + 1 is 1. A score must add
    in the order of the features mapping, not in a set's hash order (which changes with PYTHONHASHSEED)."""
    n = len(labels)
    weights = {"big": (1e16,) * n, "one": (1.0,) * n, "minus": (-1e16,) * n, "unweighted?": None}
    w = {k: v for k, v in weights.items() if v is not None}
    m = LinearModel(labels, (0.0,) * n, w)
    for order in (["big", "one", "minus"], ["big", "minus", "one"], ["one", "big", "minus"]):
        feats = {name: 1.0 for name in [*order, "absent"]}
        expected = 0.0
        for name in order:
            expected += w[name][0]
        assert m.scores(feats) == [expected] * n, order
