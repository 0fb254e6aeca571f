"""Recall on general English wording: evaluative verbs and adjectives beyond the seeds' cue words.

Every sentence here is written for these tests (none is taken from an article
or from the held-out set); each asserts the claim GUIDELINES.md would give, and
a few assert that descriptive uses of the same words give none.
"""

from __future__ import annotations

import pytest

from .conftest import claims_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyiv spurned the plan.", ("ukraine", "plan", "oppose")),
        ("Moscow scoffed at the security guarantees.", ("russia", "security_guarantees", "oppose")),
        ("European capitals bristled at the cap on the Ukrainian army.", ("europe", "military_limits", "oppose")),
        ("Kyiv objected to the plan.", ("ukraine", "plan", "oppose")),
        ("Kyiv denounced the army ceiling.", ("ukraine", "military_limits", "oppose")),
        ("Europe blocked the plan.", ("europe", "plan", "oppose")),
        ("Kyiv took issue with the plan.", ("ukraine", "plan", "oppose")),
        ("Kyiv was hostile to the plan.", ("ukraine", "plan", "oppose")),
        ("Kyiv brushed aside the plan.", ("ukraine", "plan", "oppose")),
        ("Washington applauded the ceasefire.", ("us", "ceasefire", "support")),
        ("Moscow favoured the plan.", ("russia", "plan", "support")),
        ("Kyiv was open to the plan.", ("ukraine", "plan", "support")),
        ("Kyiv warmed to the plan.", ("ukraine", "plan", "support")),
        ("Paris urged a ceasefire.", ("europe", "ceasefire", "conditional")),
        ("Kyiv's support hinges on security guarantees.", ("ukraine", "security_guarantees", "conditional")),
        # the author's assessment, the holder after "to"/"for"
        ("The plan is unpalatable to Moscow.", ("russia", "plan", "oppose")),
        ("The ceasefire is a win for the Kremlin.", ("russia", "ceasefire", "support")),
    ],
)
def test_general_evaluative_verbs(extractor, text, expected):
    assert expected in claims_of(extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        # "fight" and "require" describe more often than they evaluate: no claim from them alone
        "Kyiv said it would continue to fight.",
        "The plan has a clause requiring elections within 100 days.",
    ],
)
def test_descriptive_uses_give_no_stance(extractor, text):
    assert not {c for c in claims_of(extractor, text) if c[0] == "ukraine" and c[2] == "oppose"}
    assert ("ukraine", "elections", "conditional") not in claims_of(extractor, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyiv objected to the land question.", ("ukraine", "territory", "oppose")),
        ("The land clause is unpalatable to Moscow.", ("russia", "territory", "oppose")),
        ("Kyiv denounced the army ceiling.", ("ukraine", "military_limits", "oppose")),
        ("Kyiv welcomed talk of membership in the alliance.", ("ukraine", "nato_membership", "support")),
        ("Brussels backed the reparations loan.", ("europe", "frozen_assets", "support")),
        ("Kyiv rejected a snap vote.", ("ukraine", "elections", "oppose")),
        ("Paris welcomed the idea of a monitoring body.", ("europe", "oversight", "support")),
        ("The freeze of the front line is a win for the Kremlin.", ("russia", "ceasefire", "support")),
        ("Kyiv welcomed the truce.", ("ukraine", "ceasefire", "support")),
        ("Kyiv rejected any cap on its forces.", ("ukraine", "military_limits", "oppose")),
        ("Kyiv welcomed Western security commitments.", ("ukraine", "security_guarantees", "support")),
        ("Kyiv welcomed the use of Russia's frozen money.", ("ukraine", "frozen_assets", "support")),
        ("Moscow rejected a European contingent.", ("russia", "foreign_troops", "support")),
        ("Kyiv welcomed the return of children.", ("ukraine", "humanitarian", "support")),
    ],
)
def test_general_issue_phrasings(extractor, text, expected):
    assert expected in claims_of(extractor, text)


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # a refusal to close the door is not opposition
        ("Kyiv refused to rule out elections.", ("ukraine", "elections", "conditional"), "oppose"),
        ("Moscow declined to rule out a truce.", ("russia", "ceasefire", "conditional"), "oppose"),
        # the negated rejection stays short of opposition
        ("Kyiv did not oppose the truce.", ("ukraine", "ceasefire", "conditional"), "oppose"),
        # the people of an actor ("Kyiv's negotiators") hold its stance; a possessive of a thing does not
        ("Kyiv's negotiators spurned the amnesty.", ("ukraine", "amnesty", "oppose"), "support"),
        ("Moscow's envoy welcomed the truce.", ("russia", "ceasefire", "support"), "oppose"),
        ("Kyiv said the deal must uphold Ukraine's sovereignty.", ("ukraine", "sovereignty", "support"), "oppose"),
    ],
)
def test_negation_scope_and_holders(extractor, text, expected, absent):
    got = claims_of(extractor, text)
    assert expected in got
    assert (expected[0], expected[1], absent) not in got


def test_people_of_an_actor_are_not_a_possessive(case):
    from accord.extract.actors import ActorIndex

    idx = ActorIndex(case.actors)
    (m,) = idx.mentions("Kyiv's negotiators spurned it")
    assert (m.actor, m.possessive, m.end) == ("ukraine", False, len("Kyiv's negotiators"))
    (m,) = idx.mentions("Kyiv's plan was spurned")
    assert m.possessive


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a comma list of objects stays with its verb: one claim per issue
        (
            "Kyiv rejected the territorial clause, the army ceiling and the amnesty.",
            {
                ("ukraine", "territory", "oppose"),
                ("ukraine", "military_limits", "oppose"),
                ("ukraine", "amnesty", "oppose"),
            },
        ),
        (
            "Kyiv rejected the army ceiling and the amnesty.",
            {("ukraine", "military_limits", "oppose"), ("ukraine", "amnesty", "oppose")},
        ),
        (
            "Russia and Ukraine welcomed the truce.",
            {("russia", "ceasefire", "support"), ("ukraine", "ceasefire", "support")},
        ),
        # a clause with its own verb after the comma is not a list item
        ("For Kyiv, the army ceiling is a non-starter.", {("ukraine", "military_limits", "oppose")}),
    ],
)
def test_coordinated_objects_and_subjects(extractor, text, expected):
    assert claims_of(extractor, text) == expected


def test_clause_split_keeps_noun_lists():
    from accord.extract.pipeline import _clauses

    t = "Kyiv rejected the clause, the ceiling and the amnesty, officials said."
    assert [t[s:e] for s, e in _clauses(t)] == [
        "Kyiv rejected the clause, the ceiling and the amnesty",
        "officials said.",
    ]
    t = "For Kyiv, the demand is a non-starter."
    assert [t[s:e] for s, e in _clauses(t)] == ["For Kyiv", "the demand is a non-starter."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The US is keen on the plan.", ("us", "plan", "support")),
        ("Moscow is satisfied with the amnesty.", ("russia", "amnesty", "support")),
        ("Kyiv is unhappy with the army ceiling.", ("ukraine", "military_limits", "oppose")),
        ("Kyiv is reluctant to hold elections.", ("ukraine", "elections", "oppose")),
        ("European leaders have pushed back hard against the amnesty.", ("europe", "amnesty", "oppose")),
        ("Kyiv is against the amnesty.", ("ukraine", "amnesty", "oppose")),
        ("The Kremlin is holding out for all of Donetsk.", ("russia", "territory", "conditional")),
        ("Kyiv described the army ceiling as dangerous.", ("ukraine", "military_limits", "oppose")),
        ("Kyiv regards the plan as a betrayal.", ("ukraine", "plan", "oppose")),
        ("Washington sees the truce as a breakthrough.", ("us", "ceasefire", "support")),
        # rejecting what the plan bans still agrees with the plan
        ("Moscow is cool on the idea of European troops.", ("russia", "foreign_troops", "support")),
    ],
)
def test_attitude_adjectives(extractor, text, expected):
    got = claims_of(extractor, text)
    assert expected in got
    assert not {c for c in got if c[:2] == expected[:2] and c != expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The army ceiling drew criticism from European capitals.", ("europe", "military_limits", "oppose")),
        ("The truce won praise from Washington.", ("us", "ceasefire", "support")),
        ("The amnesty found little support in Kyiv.", ("ukraine", "amnesty", "oppose")),
        ("Moscow gave the truce its blessing.", ("russia", "ceasefire", "support")),
        ("Kyiv poured cold water on the truce.", ("ukraine", "ceasefire", "oppose")),
        ("Moscow threw its weight behind the truce.", ("russia", "ceasefire", "support")),
        ("Kyiv said yes to the truce.", ("ukraine", "ceasefire", "support")),
        ("Kyiv put the amnesty off limits.", ("ukraine", "amnesty", "oppose")),
    ],
)
def test_idioms_and_reception_nouns(extractor, text, expected):
    got = claims_of(extractor, text)
    assert expected in got
    assert not {c for c in got if c[:2] == expected[:2] and c != expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyiv could live with the army ceiling.", ("ukraine", "military_limits", "support")),
        ("Moscow went along with the truce.", ("russia", "ceasefire", "support")),
        ("Kyiv dropped its opposition to the army ceiling.", ("ukraine", "military_limits", "support")),
        ("Moscow voiced approval of the truce.", ("russia", "ceasefire", "support")),
        ("Kyiv has serious doubts about the plan.", ("ukraine", "plan", "conditional")),
        ("Kyiv disputed the army ceiling.", ("ukraine", "military_limits", "oppose")),
        ("Moscow derided the security guarantees.", ("russia", "security_guarantees", "oppose")),
        ("Kyiv has drawn the line at the amnesty.", ("ukraine", "amnesty", "oppose")),
    ],
)
def test_giving_way_and_disputing(extractor, text, expected):
    got = claims_of(extractor, text)
    assert expected in got
    assert not {c for c in got if c[:2] == expected[:2] and c != expected}


def test_a_relative_clause_is_not_the_holders_stance(extractor):
    # the EU speaks; "a text Kyiv can live with" is its condition, not Kyiv's support
    got = claims_of(extractor, "Brussels would sign only a text that Kyiv can live with.")
    assert ("ukraine", "plan", "support") not in got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("For Moscow, the truce is a trap.", ("russia", "ceasefire", "oppose")),
        ("For Kyiv, ceding Donbas is out of the question.", ("ukraine", "territory", "oppose")),
        ("The truce is a bitter pill for Kyiv.", ("ukraine", "ceasefire", "oppose")),
        ("The army ceiling remains a sticking point for Kyiv.", ("ukraine", "military_limits", "oppose")),
        ("The amnesty is a deal-breaker for Kyiv.", ("ukraine", "amnesty", "oppose")),
        ("The security guarantees are a must for Kyiv.", ("ukraine", "security_guarantees", "support")),
        ("For Europe, the reparations loan is essential.", ("europe", "frozen_assets", "support")),
        ("In Moscow, the truce was greeted with suspicion.", ("russia", "ceasefire", "oppose")),
    ],
)
def test_assessments_for_a_holder(extractor, text, expected):
    got = claims_of(extractor, text)
    assert expected in got
    assert not {c for c in got if c[:2] == expected[:2] and c != expected}


def test_an_assessment_without_a_holder_gives_no_claim(extractor):
    assert claims_of(extractor, "The truce is a trap, one analyst wrote.") == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyiv said the army ceiling would leave the country defenceless.", ("ukraine", "military_limits", "oppose")),
        ("Kyiv warned that the amnesty would reward war crimes.", ("ukraine", "amnesty", "oppose")),
        ("Washington argued that the truce would save lives.", ("us", "ceasefire", "support")),
        ("Europe said the reparations loan was the right thing to do.", ("europe", "frozen_assets", "support")),
        ("Kyiv counts on the security guarantees.", ("ukraine", "security_guarantees", "support")),
        ("Moscow is pinning its hopes on the truce.", ("russia", "ceasefire", "support")),
    ],
)
def test_foreseen_consequences_and_hopes(extractor, text, expected):
    got = claims_of(extractor, text)
    assert expected in got
    assert not {c for c in got if c[:2] == expected[:2] and c != expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Washington, Moscow and Kyiv backed the truce.",
            {("us", "ceasefire", "support"), ("russia", "ceasefire", "support"), ("ukraine", "ceasefire", "support")},
        ),
        (
            "Neither Kyiv nor Brussels accepted the amnesty.",
            {("ukraine", "amnesty", "oppose"), ("europe", "amnesty", "oppose")},
        ),
        (
            "Kyiv and its European allies rejected the army ceiling.",
            {("ukraine", "military_limits", "oppose"), ("europe", "military_limits", "oppose")},
        ),
        # an aside between commas is not a list of holders
        ("Kyiv, backed by Paris and Berlin, rejected the amnesty.", {("ukraine", "amnesty", "oppose")}),
    ],
)
def test_coordinated_holders(extractor, text, expected):
    assert claims_of(extractor, text) == expected


# Round 3 (stop 9): rules found on tests/extract/dev2/, a second set written blind to the extractor.
# The sentences below are our own.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an actor's people and a place frame are the actor
        ("A member of the Russian delegation said the army ceiling was unacceptable.",
         ("russia", "military_limits", "oppose")),
        ("Officials in Kyiv said they rejected the amnesty clause.", ("ukraine", "amnesty", "oppose")),
        ("A Ukrainian energy official said Kyiv would not give up the nuclear plant.",
         ("ukraine", "zaporizhzhia_npp", "oppose")),
        # wanting something of a provision asks for more or other than it gives
        ("Moscow wants every sanction lifted at once.", ("russia", "sanctions", "conditional")),
        ("Kyiv has proposed a referendum on the ceasefire.", ("ukraine", "ceasefire", "conditional")),
        ("Europe is in no hurry to ease sanctions.", ("europe", "sanctions", "conditional")),
        ("Moscow objects that the text says nothing about NATO expansion.",
         ("russia", "nato_enlargement", "conditional")),
        # negated commitments, readiness, keeping and dropping clauses
        ("Kyiv will not let Moscow take the nuclear plant.", ("ukraine", "zaporizhzhia_npp", "oppose")),
        ("Warsaw said it was ready to back the security guarantees.", ("europe", "security_guarantees", "support")),
        ("Kyiv is willing to accept the army ceiling if the guarantees are binding.",
         ("ukraine", "military_limits", "conditional")),
        ("Washington defended the asset clause.", ("us", "frozen_assets", "support")),
        ("Kyiv dropped the amnesty altogether.", ("ukraine", "amnesty", "oppose")),
        ("Germany left the sanctions clause as it stood.", ("europe", "sanctions", "support")),
        ("Paris will sign the ceasefire only with a monitoring mission in place.",
         ("europe", "ceasefire", "conditional")),
    ],
)
def test_round_three_recall(extractor, text, expected):
    assert expected in claims_of(extractor, text)


def test_wanting_a_clause_kept_is_support_not_a_demand(extractor):
    got = claims_of(extractor, "Moscow wants the plan changed as little as possible.")
    assert ("russia", "plan", "conditional") not in got
