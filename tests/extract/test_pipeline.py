"""Behaviour of the extractor on hand-written sentences and on the fixture articles."""

import datetime as dt

from accord.extract.dates import find_dates, resolve_relative
from accord.extract.documents import Document
from accord.extract.evaluate import evaluate, load_gold

from .conftest import ARTICLES, claims_of


def test_conditional_versus_oppose(extractor):
    assert claims_of(extractor, "Kyiv rejected the plan.") == {("ukraine", "plan", "oppose")}
    assert claims_of(extractor, "Kyiv said it would accept the plan only if security guarantees come first.") == {
        ("ukraine", "plan", "conditional"),
        ("ukraine", "security_guarantees", "conditional"),
    }
    assert claims_of(extractor, "The Kremlin rejects the plan unless sanctions are lifted.") == {
        ("russia", "plan", "conditional"),
        ("russia", "sanctions", "conditional"),
    }
    assert claims_of(
        extractor, "Moscow will demand the elimination of all security guarantees unless it gets a veto."
    ) == {("russia", "security_guarantees", "oppose")}
    assert claims_of(extractor, "Putin insisted that Ukraine must withdraw from Donbas before any ceasefire.") == {
        ("russia", "territory", "conditional"),
        ("russia", "ceasefire", "conditional"),
    }
    assert claims_of(extractor, "Ukraine will not accept its terms, but will attempt to revise the plan.") == {
        ("ukraine", "plan", "oppose")
    }
    assert claims_of(extractor, "Zelensky said he was ready to talk about the plan.") == {
        ("ukraine", "plan", "conditional")
    }


def test_he_said_goes_back_to_the_last_named_speaker(extractor):
    text = (
        'Dmitry Peskov spoke to reporters on Friday.\n\n"We reject the territorial clause," he said.\n\n'
        'Zelensky disagreed. "It could be a basis for talks," he said of the plan.'
    )
    assert claims_of(extractor, text) == {("russia", "territory", "oppose"), ("ukraine", "plan", "support")}


def test_quote_after_a_colon_belongs_to_its_introducer(extractor):
    text = 'Moscow\'s position is unambiguous:\n"Recognize our control over Donbas, then we will talk."'
    assert claims_of(extractor, text) == {("russia", "territory", "conditional")}


def test_reported_speech_and_explicit_holders(extractor):
    assert claims_of(
        extractor, "This arrangement is unacceptable to Putin because it puts a Peace Council over him."
    ) == {("russia", "oversight", "oppose")}
    assert claims_of(extractor, "The draft has raised concerns in Kyiv and Europe.") == {
        ("ukraine", "plan", "conditional"),
        ("europe", "plan", "conditional"),
    }
    assert claims_of(
        extractor, "Kremlin officials rebuffed the plan, citing unresolved issues related to sanctions."
    ) == {("russia", "plan", "oppose"), ("russia", "sanctions", "conditional")}


def test_no_claim_for_hypotheticals_unclear_or_targets(extractor):
    assert claims_of(extractor, "It remains unclear whether Putin would accept the plan.") == set()
    assert claims_of(extractor, "If Kyiv rejects the proposal, talks may stall.") == set()
    assert claims_of(extractor, "Undermining Kyiv's legitimacy is a Russian goal.") == set()
    assert claims_of(extractor, "Boosting diplomatic support for Ukraine's sovereignty matters.") == set()


def test_plan_owner_supports_it(extractor):
    assert claims_of(extractor, "The U.S.-drafted peace proposal was discussed in Geneva.") == {
        ("us", "plan", "support")
    }
    assert claims_of(extractor, "A 28-point plan, initially circulated by Washington, leaked.") == {
        ("us", "plan", "support")
    }
    assert claims_of(extractor, "The Ukraine peace plan was discussed.") == set()


def test_relative_dates_anchor_on_the_article_date(extractor):
    friday = dt.date(2025, 11, 21)
    assert resolve_relative("Thursday", friday) == dt.date(2025, 11, 20)
    assert resolve_relative("Friday", friday) == friday
    assert resolve_relative("last Friday", friday) == dt.date(2025, 11, 14)
    assert resolve_relative("yesterday", friday) == dt.date(2025, 11, 20)
    assert resolve_relative("next week", friday) == dt.date(2025, 11, 28)
    assert [d.date for d in find_dates("on Nov. 27 and 28/11/2025", friday)] == [
        dt.date(2025, 11, 27),
        dt.date(2025, 11, 28),
    ]
    doc = Document(id="d", text="Zelensky said Thursday that Kyiv rejected the plan.", date=friday)
    (claim,) = extractor.extract(doc).claims
    assert claim.date == dt.date(2025, 11, 20)


def test_quantities_with_units_and_issues(extractor, fixture_docs):
    res = extractor.extract(fixture_docs["a02_europe_amendments"])
    got = {(q.text, q.value, q.unit, q.issue) for q in res.quantities}
    assert ("800,000 troops", 800000.0, "troops", "military_limits") in got
    assert ("600,000", 600000.0, "troops", "military_limits") in got
    assert ("$100 billion", 1e11, "USD", "frozen_assets") in got
    res = extractor.extract(fixture_docs["a03_kyiv_amnesty"])
    assert ("100 days", 100.0, "days", "elections") in {(q.text, q.value, q.unit, q.issue) for q in res.quantities}
    claim = next(
        c for c in extractor.extract(fixture_docs["a02_europe_amendments"]).claims if c.issue == "military_limits"
    )
    assert {q.text for q in claim.quantities} == {"800,000 troops", "600,000"}


def test_claims_point_at_their_sentence(extractor, fixture_docs):
    for doc in fixture_docs.values():
        for c in extractor.extract(doc).claims:
            assert c.start is not None and c.end is not None
            assert (
                " ".join(doc.text[c.start : c.end].split()).replace("\u201c", '"').replace("\u201d", '"') == c.text
                or doc.text[c.start : c.end].strip()
            )
            assert 0 < c.confidence < 1


def test_fixture_articles_against_their_gold(extractor, fixture_docs):
    claims = [c for d in fixture_docs.values() for c in extractor.extract(d).claims]
    ev = evaluate(claims, load_gold(ARTICLES / "gold.jsonl"))
    assert ev.strict.f1 >= 0.85 and ev.detection.f1 >= 0.9, ev.as_dict()


def test_output_is_deterministic(case, fixture_docs):
    from accord.extract.pipeline import Extractor

    a = [Extractor(case).extract(d).claims for d in fixture_docs.values()]
    b = [Extractor(case).extract(d).claims for d in fixture_docs.values()]
    assert a == b
