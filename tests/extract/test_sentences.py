from hypothesis import given, settings
from hypothesis import strategies as st

from accord.extract.sentences import normalize, split_sentences


def test_abbreviations_and_quotes_stay_in_one_sentence():
    text = 'Trump set a deadline of Nov. 27. "I believe it could work," he said. The U.S. envoy agreed.'
    assert [s.text for s in split_sentences(text)] == [
        "Trump set a deadline of Nov. 27.",
        '"I believe it could work," he said.',
        "The U.S. envoy agreed.",
    ]


def test_bullets_tables_headings_and_broken_lines():
    text = (
        "Talks resume\n\nMoscow will demand the removal of all guarantees unless\n\nRussia gets a veto.\n"
        "  • Binding guarantees\n| Aspect | Plan |\n|---|---|\n| Army | 600,000 |\n"
    )
    got = [(s.kind, s.display) for s in split_sentences(text)]
    assert got == [
        ("heading", "Talks resume"),
        ("text", "Moscow will demand the removal of all guarantees unless Russia gets a veto."),
        ("bullet", "Binding guarantees"),
        ("table", "| Aspect | Plan |"),
        ("table", "| Army | 600,000 |"),
    ]


def test_spans_point_into_the_original_text():
    text = "Read [the draft](https://x.org/a) \u201cnow\u201d. Kyiv said \\$100 billion is too much."
    for s in split_sentences(text):
        assert normalize(text)[s.start : s.end] == s.text
        assert len(text[s.start : s.end]) == len(s.text)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Putin said no.",
                "U.S. officials agreed",
                "\n",
                "\n\n",
                "- item",
                " ",
                "Nov. 27",
                '"Yes," he said.',
                "| a | b |",
                "\u201cq\u201d",
                "[l](u)",
                "kyiv",
            ]
        ),
        max_size=12,
    )
)
def test_sentences_are_ordered_disjoint_and_normalized(parts):
    text = "".join(parts)
    norm = normalize(text)
    assert len(norm) == len(text)
    prev = 0
    for s in split_sentences(text):
        assert prev <= s.start < s.end <= len(text)
        assert s.text == norm[s.start : s.end] and s.text.strip() == s.text
        prev = s.end
