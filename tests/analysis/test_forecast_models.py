"""Forecast models against their oracles: the EC worked example, KTAB's reference runs, hand-worked
baselines, and properties (dominant actor, identical actors, actor order)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.baselines import weighted_mean, weighted_median
from accord.analysis.eu_model import EUParams, eu_final, eu_forecast, eu_rounds
from accord.analysis.ktab import parse_ktab_csv
from accord.analysis.smp import smp_batch, smp_run, win_probabilities
from accord.errors import AccordError
from tests.conftest import SHARED

HERE_ORACLES = SHARED / "oracles" / "ktab-smp"
needs_oracles = pytest.mark.skipif(not HERE_ORACLES.is_dir(), reason="shared KTAB oracles not present")

# -- the EC car-emissions example (Bueno de Mesquita 1994, p. 78; Scholz et al. 2011, table 1) ----
EC_ACTORS = ["Netherlands", "Belgium", "Luxembourg", "Germany", "France", "Italy", "UK", "Ireland", "Denmark",
             "Greece"]
EC_C = np.array([.08, .08, .03, .16, .16, .16, .16, .05, .05, .08])
EC_X = np.array([4, 7, 4, 4, 10, 10, 10, 7, 4, 7.0])
EC_S = np.array([80, 40, 20, 80, 60, 60, 90, 10, 100, 70]) / 100

# Rounds 1–6 of the open replication of Scholz et al. (github.com/jmckib/bdm-scholz-expected-utility-model,
# run on the table above; 6 decimals): every position and risk exponent, which the paper does not print.
EC_ROUNDS = [
    [4.0, 8.415932, 7.0, 4.0, 10.0, 10.0, 10.0, 4.0, 4.0, 7.0],
    [4.0, 9.610859, 8.415932, 4.0, 10.0, 10.0, 10.0, 7.0, 4.0, 7.0],
    [4.0, 9.96198, 9.610859, 4.0, 10.0, 10.0, 10.0, 8.415932, 4.0, 7.0],
    [4.0, 4.800881, 9.96198, 4.0, 10.0, 10.0, 10.0, 9.610859, 4.0, 7.0],
    [4.0, 5.524238, 4.800881, 4.0, 10.0, 10.0, 10.0, 9.96198, 4.0, 7.0],
    [4.0, 7.472046, 5.524238, 4.0, 10.0, 10.0, 10.0, 5.524238, 4.0, 7.0],
]
EC_RISK_1 = [1.405653, 0.754196, 0.508864, 1.405653, 1.046524, 1.046524, 1.964898, 0.5, 2.0, 1.112125]
EC_RISK_6 = [1.463035, 0.835397, 0.634623, 1.463035, 1.098593, 1.098593, 1.762773, 0.5, 2.0, 1.210592]
EC_MEDIANS = [7.0, 8.415932, 9.610859, 9.96198, 9.96198, 9.96198, 7.472046]


def test_ec_weighted_mean_and_median_exactly() -> None:
    w = EC_C * EC_S
    assert round(float(weighted_mean(EC_X, w)), 2) == 7.39
    assert float(weighted_mean(EC_X, w)) == pytest.approx(5.003 / 0.677)
    assert float(weighted_median(EC_X, w)) == 7.0
    # swapping the Netherlands and Belgium rows (as some sources print them) changes neither
    sw = EC_X.copy()
    sw[[0, 1]] = sw[[1, 0]]
    ws = w.copy()
    ws[[0, 1]] = ws[[1, 0]]
    assert round(float(weighted_mean(sw, ws)), 2) == 7.39 and float(weighted_median(sw, ws)) == 7.0


def test_ec_rounds_match_the_replication() -> None:
    r = eu_rounds(EC_X, EC_C, EC_S, max_rounds=6)
    assert r.rounds == 6
    np.testing.assert_allclose(r.positions[1:], EC_ROUNDS, atol=5e-7)
    np.testing.assert_allclose(r.risk[0], EC_RISK_1, atol=5e-7)
    np.testing.assert_allclose(r.risk[5], EC_RISK_6, atol=5e-7)
    medians = [float(weighted_median(p, EC_C * EC_S)) for p in r.positions]
    np.testing.assert_allclose(medians, EC_MEDIANS, atol=5e-7)
    # round 1 by hand: Belgium compromises towards the 10-camp, Ireland concedes to 4
    assert r.positions[1][1] > 7 and r.positions[1][7] == 4.0


# Scholz, Calbert & Smith 2011 (ICAART version, pp. 27–28), Table 2: the median and the mean voter
# position at the end of rounds 1–8, as printed to one decimal. Read through a public transcription of
# the paper (github.com/hamzagul07/schelling, docs/papers/scholz_extract.md, commit 8466b74), which
# quotes p. 28: "At the end of the second, third, fourth and fifth rounds the median voter position
# was for each 9.9 years."
SCHOLZ_MEDIANS = [8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6]
SCHOLZ_MEANS = [7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6]


def _printed(value: float) -> float:
    """The one printing rule the test holds the paper to: truncation to one decimal (9.96 prints as 9.9).

    Under it 13 of the 16 figures match; under rounding only 7 do (checked below), so the
    paper most likely truncates.
    """
    return math.floor(value * 10 + 1e-9) / 10


def test_ec_rounds_against_the_published_table() -> None:
    r = eu_rounds(EC_X, EC_C, EC_S, max_rounds=8)
    w = EC_C * EC_S
    medians = [float(weighted_median(p, w)) for p in r.positions[1:]]
    means = [float(weighted_mean(p, w)) for p in r.positions[1:]]
    off_median = [k + 1 for k, (v, p) in enumerate(zip(medians, SCHOLZ_MEDIANS, strict=True)) if _printed(v) != p]
    off_mean = [k + 1 for k, (v, p) in enumerate(zip(means, SCHOLZ_MEANS, strict=True)) if _printed(v) != p]
    # Exactly these differ. Round 2's median: Belgium, the median voter, compromises from 8.42 only to
    # 9.61 with France and Italy; the paper has it at 9.9 already (rounds 3-5, 9.96, and 6-8, where the
    # position wanders again as the paper says, agree). The means of rounds 3 and 8 (7.590 and 7.572)
    # print as 7.5; the paper has 7.6. Of 48 readings of the paper's open choices (normaliser, risk in the
    # votes, security, offer choice, capitulation) none matches more figures (python bench/eu_readings.py).
    assert off_median == [2] and medians[1] == pytest.approx(9.610859, abs=5e-7)
    assert off_mean == [3, 8]
    assert means[2] == pytest.approx(7.5901, abs=1e-4) and means[7] == pytest.approx(7.5724, abs=1e-4)
    assert 16 - len(off_median) - len(off_mean) == 13
    # rounding instead would match only 7 of the 16
    rounded = sum(round(v, 1) == p for v, p in zip(medians + means, SCHOLZ_MEDIANS + SCHOLZ_MEANS, strict=True))
    assert rounded == 7


def test_ec_model_cycles_rather_than_settles() -> None:
    r = eu_rounds(EC_X, EC_C, EC_S, max_rounds=10)
    assert r.rounds == 10  # never settles within 10 rounds: Belgium oscillates
    assert np.ptp(r.positions[4:, 1]) > 2


def test_eu_capitulation_by_hand() -> None:
    # Two actors at 0 and 10 (R = 10, so d = 1 between them), c = (0.2, 0.8), s = (1, 1): w = c·s = (0.2, 0.8).
    # Votes: actor 0 gains w0·(1 − 0) = 0.2 from x0 over x1, actor 1 gains 0.8 from x1 over x0; Scholz's
    # normaliser is Σ|v| = 2·(0.2 + 0.8) = 2, so P(0 beats 1) = 0.1 and P(1 beats 0) = 0.4, with any risk
    # exponents (d^r = 1^r = 1).
    # Risk (r = 1): danger_i = 2d − 4 s_i d (1 − P(j beats i)): actor 0 −0.4, actor 1 −1.6, so R = (1, −1)
    # and r = ((1 − 1/3)/(1 + 1/3), (1 + 1/3)/(1 − 1/3)) = (0.5, 2).
    # From actor 0's view (U_s = 2, U_f = −2 at d = 1; 2 − U_sq = 4·0.5^0.5 = 2.828427):
    #   e_ao = 2.828427 − 4·s_1·(1 − 0.1) = −0.771573   (challenging actor 1 loses),
    #   e_oa = 2.828427 − 4·s_0·(1 − 0.4) = +0.428427   (actor 1's challenge gains),
    # e_oa > 0 > e_ao but e_oa < |e_ao|: no compromise, a capitulation: actor 0 gives in and moves to 10.
    # From actor 1's view (2 − U_sq = 4·0.5² = 1): e_ao = 1 − 2.4 = −1.4, e_oa = 1 − 3.6 = −2.6: it stays.
    x, c, s = np.array([0.0, 10.0]), np.array([0.2, 0.8]), np.array([1.0, 1.0])
    r = eu_rounds(x, c, s, max_rounds=1, params=EUParams(capitulation=True))
    np.testing.assert_allclose(r.risk[0], [0.5, 2.0], atol=1e-12)
    assert r.positions[1].tolist() == [10.0, 10.0]
    # off by default (Scholz's code): nobody moves, so the run settles after one round
    default = eu_rounds(x, c, s)
    assert default.rounds == 1 and default.positions[1].tolist() == [0.0, 10.0]
    assert eu_final(x, c, s, params=EUParams(capitulation=True)).tolist() == [10.0, 10.0]
    # the offers, recomputed from the hand-worked numbers above
    e_ao, e_oa = 4 * 0.5**0.5 - 4 * 0.9, 4 * 0.5**0.5 - 4 * 0.6
    assert e_oa > 0 > e_ao and e_oa < -e_ao
    assert round(e_ao, 6) == -0.771573 and round(e_oa, 6) == 0.428427


def test_eu_final_equals_rounds_and_batches() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 100, (40, 5))
    c = rng.uniform(0.1, 1, (40, 5))
    s = rng.uniform(0.1, 1, (40, 5))
    full = eu_rounds(x, c, s).final
    np.testing.assert_allclose(eu_final(x, c, s), full, atol=1e-9)
    one = np.array([eu_final(x[k], c[k], s[k]) for k in range(40)])
    np.testing.assert_allclose(one, full, atol=1e-9)


def test_eu_final_leaves_its_input_alone() -> None:
    # actors outermost in memory (as ``ideal[:, active, :]`` swapped gives them): the actors-first
    # working copy could be the caller's own array, moved round by round
    rng = np.random.default_rng(5)
    x = np.ascontiguousarray(rng.uniform(0, 100, (30, 6, 4)).transpose(2, 0, 1)).transpose(1, 2, 0)
    c, s = rng.uniform(0.1, 1, x.shape), rng.uniform(0.1, 1, x.shape)
    before = x.copy()
    final = eu_final(x, c, s)
    assert np.array_equal(x, before)
    assert not np.array_equal(final, before)  # the runs did move


# -- baselines by hand ---------------------------------------------------------------------------
def test_baselines_by_hand() -> None:
    # positions 0, 40, 100; weights 1, 1, 3 → mean 340/5 = 68; cumulative 1, 2, 5 ≥ 2.5 at 100
    assert float(weighted_mean([0, 40, 100], [1, 1, 3])) == pytest.approx(68.0)
    assert float(weighted_median([0, 40, 100], [1, 1, 3])) == 100.0
    # exact half: 1, 1 → lower median
    assert float(weighted_median([20, 80], [1, 1])) == 20.0
    # order of actors does not matter, zero weights do not count, all-zero → nan
    assert float(weighted_median([100, 0, 40], [3, 1, 1])) == 100.0
    assert float(weighted_median([0, 50, 100], [0, 1, 0])) == 50.0
    assert np.isnan(weighted_mean([1, 2], [0, 0])) and np.isnan(weighted_median([1, 2], [0, 0]))
    # batch axes in front
    got = weighted_median(np.array([[0, 40, 100], [100, 40, 0.0]]), np.array([1, 1, 3.0]))
    assert got.tolist() == [100.0, 0.0]


# -- KTAB's SMP ----------------------------------------------------------------------------------
def _ktab_turns(log: str, n_act: int, n_dim: int) -> np.ndarray:
    pat = r"postn \d+ , 0 : \n" + r"\s*([\d.]+)" * n_dim
    vals = [[float(v) for v in m] for m in re.findall(pat, log)]
    return np.array(vals).reshape(-1, n_act, n_dim)


def _ktab_final_probs(log: str) -> np.ndarray:
    rows = re.findall(r"prob :((?: [\d.]+)+)", log)
    return np.array([float(r.split()[-1]) for r in rows])


@needs_oracles
@pytest.mark.parametrize("name,log", [
    ("dummyData_3Dim.csv", "20170530_ref-dummyData_3Dim.txt"),
    ("SOE-Pol-Comp.csv", "20170530_ref-SOE-Pol-Comp.txt"),
])
def test_smp_reproduces_ktab_reference_run(name: str, log: str) -> None:
    k = parse_ktab_csv((HERE_ORACLES / name).read_text(), name)
    text = (HERE_ORACLES / log).read_text()
    ref = _ktab_turns(text, len(k.actors), len(k.dims))
    r = smp_run(k.power, k.position, k.salience)
    # same number of turns, and every turn's positions as KTAB logs them (4 decimals, 0–100)
    assert r.turns == len(ref)
    np.testing.assert_allclose(r.positions[1:], ref, atol=5e-5)
    # the final "History of actors' winning probabilities" column (4 decimals)
    wp = win_probabilities(k.power, r.final, k.salience)
    np.testing.assert_allclose(wp, _ktab_final_probs(text), atol=5e-5)


@needs_oracles
def test_smp_dummy_3dim_final_positions_from_history_table() -> None:
    k = parse_ktab_csv((HERE_ORACLES / "dummyData_3Dim.csv").read_text())
    text = (HERE_ORACLES / "20170530_ref-dummyData_3Dim.txt").read_text()
    hist = dict(re.findall(r"(SActor-\d\d, Pstn\d):((?: +[\d.]+)+)", text))
    r = smp_run(k.power, k.position, k.salience)
    for i, a in enumerate(k.actors):
        for d in range(3):
            logged = [float(v) for v in hist[f"{a}, Pstn{d + 1}"].split()]
            assert len(logged) == r.turns + 1
            # the table prints %5.1f of the same numbers
            assert abs(r.final[i, d] - logged[-1]) <= 0.05 + 1e-9


@needs_oracles
def test_smp_is_invariant_to_actor_order_on_ktab_data() -> None:
    k = parse_ktab_csv((HERE_ORACLES / "dummyData_3Dim.csv").read_text())
    perm = np.array([3, 6, 0, 5, 1, 4, 2])
    a = smp_run(k.power, k.position, k.salience).final
    b = smp_run(k.power[perm], k.position[perm], k.salience[perm]).final
    np.testing.assert_allclose(b, a[perm], atol=1e-9)


def test_smp_batch_matches_single_runs() -> None:
    rng = np.random.default_rng(5)
    cap = rng.uniform(10, 100, (6, 5))
    pos = rng.uniform(0, 1, (6, 5, 2))
    sal = rng.uniform(0.1, 0.5, (6, 5, 2))
    final, turns = smp_batch(cap, pos, sal)
    for b in range(6):
        r = smp_run(cap[b], pos[b] * 100, sal[b] * 100)
        assert turns[b] == r.turns
        np.testing.assert_allclose(final[b] * 100, r.final, atol=1e-9)


def test_ktab_reader_errors_name_file_line_and_field() -> None:
    good = "S,d,3,1,\nActor,Description,Power,P,S,\nA,x,10,20,50,\nB,x,10,60,50,\nC,x,5,90,40,\n"
    assert parse_ktab_csv(good, "f.csv").actors == ("A", "B", "C")
    with pytest.raises(AccordError) as e:
        parse_ktab_csv(good.replace("C,x,5,", "C,x,-5,"), "f.csv")
    assert str(e.value) == "f.csv:5: C.Power: capability -5 is negative; expected ≥ 0"
    with pytest.raises(AccordError, match=r"f.csv:3: A.P: position 120 outside \[0, 100\]"):
        parse_ktab_csv(good.replace("A,x,10,20", "A,x,10,120"), "f.csv")
    with pytest.raises(AccordError, match=r"f.csv:1: number of actors: header says 4 actors"):
        parse_ktab_csv(good.replace("S,d,3", "S,d,4"), "f.csv")
    with pytest.raises(AccordError, match=r"f.csv:4: B.Power: expected a number, got 'lots'"):
        parse_ktab_csv(good.replace("B,x,10", "B,x,lots"), "f.csv")


# -- properties ----------------------------------------------------------------------------------
positions = st.lists(st.floats(0, 100, allow_nan=False), min_size=3, max_size=6)


@settings(max_examples=40, deadline=None)
@given(positions, st.data())
def test_all_capability_gets_its_ideal(xs: list[float], data: st.DataObject) -> None:
    n = len(xs)
    k = data.draw(st.integers(0, n - 1))
    x = np.array(xs)
    c = np.zeros(n)
    c[k] = 1.0
    s = np.array(data.draw(st.lists(st.floats(0.05, 1), min_size=n, max_size=n)))
    s[k] = 1.0  # BDM salience = resolve: a dominant actor that fully cares never yields
    assert float(weighted_mean(x, c * s)) == pytest.approx(x[k])
    assert float(weighted_median(x, c * s)) == x[k]
    assert float(eu_forecast(x, c, s)) == x[k]
    # SMP: KTAB needs positive capability, so the others get a negligible one
    cap = np.where(c > 0, 1.0, 1e-9)
    sal = np.full((n, 1), 50.0)
    r = smp_run(cap, x[:, None], sal)
    assert r.final[k, 0] == pytest.approx(x[k], abs=0.01)  # KTAB rounds bargains to 1e-4 of the range
    assert float(weighted_median(r.final[:, 0], cap)) == pytest.approx(x[k], abs=0.01)


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 100, allow_nan=False), st.integers(3, 6), st.floats(0.1, 10))
def test_identical_actors_give_their_common_position(x0: float, n: int, cap: float) -> None:
    x = np.full(n, x0)
    c = np.full(n, cap)
    s = np.full(n, 0.7)
    assert float(weighted_mean(x, c * s)) == pytest.approx(x0)
    assert float(weighted_median(x, c * s)) == x0
    assert float(eu_forecast(x, c, s)) == x0
    r = smp_run(c, np.full((n, 2), x0), np.full((n, 2), 40.0))
    np.testing.assert_allclose(r.final, x0, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.integers(3, 6), st.integers(0, 2**32 - 1))
def test_results_are_invariant_to_actor_order(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 100, n)
    c = rng.uniform(0.05, 1, n)
    s = rng.uniform(0.05, 1, n)
    p = rng.permutation(n)
    for f in (lambda x, c, s: weighted_mean(x, c * s), lambda x, c, s: weighted_median(x, c * s), eu_forecast):
        assert float(f(x[p], c[p], s[p])) == pytest.approx(float(f(x, c, s)), abs=1e-9)
    np.testing.assert_allclose(eu_final(x[p], c[p], s[p]), eu_final(x, c, s)[p], atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.integers(3, 5), st.integers(0, 2**32 - 1))
def test_actors_out_of_an_issue_change_nothing(n: int, seed: int) -> None:
    # actors masked out (no position on the issue), wherever they sit, give the run of the others alone
    rng = np.random.default_rng(seed)
    x = rng.uniform(40, 60, n)
    c = rng.uniform(0.05, 1, n)
    s = rng.uniform(0.05, 1, n)
    out = np.array([0.0, 100.0])  # far outside the active actors' range
    xm, cm, sm = np.concatenate([x, out]), np.concatenate([c, [1.0, 1.0]]), np.concatenate([s, [0.0, 0.5]])
    mask = np.arange(n + 2) < n
    with np.errstate(all="raise"):
        both = eu_final(xm, cm, sm, mask)
    np.testing.assert_allclose(both[:n], eu_final(x, c, s), atol=1e-9)
    assert (both[n:] == out).all()
