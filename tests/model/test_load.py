"""The loader: a valid case loads; every kind of bad input is reported with file, line and message."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import CaseError
from accord.model import load_case


def problems(root: Path) -> list[str]:
    with pytest.raises(CaseError) as e:
        load_case(root)
    return e.value.lines()


def edit(root: Path, name: str, old: str, new: str) -> None:
    p = root / name
    text = p.read_text()
    assert old in text, f"{old!r} not in {name}"
    p.write_text(text.replace(old, new, 1))


def test_toy_case_loads(toy_dir: Path) -> None:
    case = load_case(toy_dir)
    assert case.issue_ids == ["land", "army"]
    assert case.issue("army").option_ids == ["100", "50", "0"]
    assert case.issue("army").axis("50") == 50.0
    assert case.package("p1") == {"land": "all-b", "army": "50"}
    assert case.package("p2") == {"land": "split", "army": "100"}  # silent on army → status quo
    assert case.actor("a").capability.low == 0.5


def test_unknown_option_in_provision(toy_dir: Path) -> None:
    edit(toy_dir, "plans/p1.yaml", "option: all-b", "option: all-c")
    (line,) = problems(toy_dir)
    assert line.startswith("toy/plans/p1.yaml:5: provisions[1].option:") or ":5: provisions[1].option:" in line
    assert "has no option 'all-c'" in line and "expected one of ['all-a', 'split', 'all-b']" in line


def test_unknown_issue_in_position(toy_dir: Path) -> None:
    edit(toy_dir, "positions.yaml", "  army: {ideal: \"0\"", "  navy: {ideal: \"0\"")
    lines = problems(toy_dir)
    assert any("positions.yaml:6: b.navy: unknown issue 'navy'" in x for x in lines), lines


def test_unknown_actor(toy_dir: Path) -> None:
    edit(toy_dir, "plans/p1.yaml", "authors: [b]", "authors: [zeta]")
    (line,) = problems(toy_dir)
    assert "plans/p1.yaml:3: authors: unknown actor 'zeta'" in line


def test_red_line_contains_ideal(toy_dir: Path) -> None:
    edit(toy_dir, "positions.yaml", "red_line: [all-b]", "red_line: [all-a]")
    (line,) = problems(toy_dir)
    assert "positions.yaml:2: a.land:" in line and "red_line contains the actor's own ideal 'all-a'" in line


def test_saliences_must_sum_to_one(toy_dir: Path) -> None:
    edit(toy_dir, "positions.yaml", "value: 0.25", "value: 0.35")
    (line,) = problems(toy_dir)
    assert "positions.yaml:1: a.salience: saliences sum to 1.100; expected 1" in line


def test_duplicate_ids(toy_dir: Path) -> None:
    edit(toy_dir, "actors.yaml", "- id: b\n", "- id: a\n")
    lines = problems(toy_dir)
    assert any("actors.yaml:5: a.id: duplicate actor id 'a'" in x for x in lines), lines


def test_duplicate_option_ids(toy_dir: Path) -> None:
    edit(toy_dir, "issues.yaml", "{id: all-b,", "{id: split,")
    lines = problems(toy_dir)
    assert any("issues.yaml:1: land: duplicate option id(s) ['split']" in x for x in lines), lines


def test_missing_required_field_and_unknown_field(toy_dir: Path) -> None:
    edit(toy_dir, "issues.yaml", "  name: Land\n", "  nmae: Land\n")
    lines = problems(toy_dir)
    assert any("issues.yaml:1: land.name: required field is missing" in x for x in lines), lines
    assert any("issues.yaml:2: land.nmae: unknown field" in x for x in lines), lines


def test_yaml_syntax_error_has_line(toy_dir: Path) -> None:
    edit(toy_dir, "sources.yaml", "publisher: Example", "publisher: [Example")
    (line,) = problems(toy_dir)
    assert "sources.yaml:" in line and "YAML syntax" in line


def test_range_min_above_max(toy_dir: Path) -> None:
    edit(toy_dir, "actors.yaml", "low: 0.5, high: 0.7", "low: 0.7, high: 0.5")
    (line,) = problems(toy_dir)
    assert "actors.yaml:3: a.capability: range min 0.7 > max 0.5" in line


def test_negative_capability(toy_dir: Path) -> None:
    edit(toy_dir, "actors.yaml", "value: 0.4, estimate: smaller", "value: -0.4, estimate: smaller")
    (line,) = problems(toy_dir)
    assert "actors.yaml:7: b.capability: capability must be >= 0" in line


def test_unknown_source(toy_dir: Path) -> None:
    edit(toy_dir, "plans/p2.yaml", "Talks continue., sources: [s1]", "Talks continue., sources: [s9]")
    (line,) = problems(toy_dir)
    assert "plans/p2.yaml:6: provisions[3].sources: unknown source 's9'" in line


def test_conflicting_provisions_on_one_issue(toy_dir: Path) -> None:
    new = "text: Talks., issue: land, option: all-a, sources"
    edit(toy_dir, "plans/p2.yaml", "text: Talks continue., sources", new)
    (line,) = problems(toy_dir)
    assert "plans/p2.yaml:6: provisions[3].option: provision 1 already settles 'land' to 'split'" in line


def test_missing_file_and_all_problems_at_once(toy_dir: Path) -> None:
    (toy_dir / "actors.yaml").unlink()
    edit(toy_dir, "plans/p1.yaml", "option: all-b", "option: nowhere")
    lines = problems(toy_dir)
    assert any(x.endswith("actors.yaml: file is missing; every case folder needs it") for x in lines)
    assert any("has no option 'nowhere'" in x for x in lines)


def test_not_utf8(toy_dir: Path) -> None:
    (toy_dir / "sources.yaml").write_bytes(b"- id: s1\n  url: \xff\xfe\n")
    (line,) = problems(toy_dir)
    assert "sources.yaml: not UTF-8 text" in line


def test_no_such_case() -> None:
    with pytest.raises(CaseError) as e:
        load_case("/nonexistent/case")
    assert "no such case folder" in e.value.lines()[0]



def test_duplicate_yaml_key_is_reported_with_its_line(toy_dir: Path) -> None:
    edit(toy_dir, "positions.yaml", "b:\n  land:", "b:\n  army: {ideal: \"0\", salience: 0.5}\n  land:")
    lines = problems(toy_dir)
    assert any("positions.yaml:" in x and "duplicate" in x.lower() for x in lines), lines


def test_cache_sees_edits(toy_dir: Path) -> None:
    assert load_case(toy_dir).actor("a").name == "Alpha"
    edit(toy_dir, "actors.yaml", "name: Alpha", "name: Alpha Prime")
    assert load_case(toy_dir).actor("a").name == "Alpha Prime"


def test_extraction_vocabulary_is_validated(toy_dir: Path) -> None:
    words = "  status_quo: split\n  keywords: [land]\n  ambiguous: [soil]\n"
    edit(toy_dir, "issues.yaml", "  status_quo: split\n", words)
    edit(toy_dir, "actors.yaml", "  name: Beta\n", "  name: Beta\n  people: [Ann Lee]\n  demonyms: [Betan]\n")
    edit(toy_dir, "actors.yaml", "  name: Alpha\n", "  name: Alpha\n  aliases: [the capital, Ann Lee]\n")
    lines = problems(toy_dir)
    assert any(
        "issues.yaml:1: land:" in x and "ambiguous word(s) ['soil'] are not among the issue's keywords" in x
        for x in lines
    ), lines
    assert any("actors.yaml:8: b.people: 'Ann Lee' also names actor 'a'" in x for x in lines), lines


def test_destination_of_names_an_issue(toy_dir: Path) -> None:
    edit(toy_dir, "issues.yaml", "  status_quo: split\n", "  status_quo: split\n  destination_of: [navy]\n")
    (line,) = problems(toy_dir)
    assert "issues.yaml:8: land.destination_of: unknown issue 'navy'" in line, line


def test_keyword_of_two_issues(toy_dir: Path) -> None:
    edit(toy_dir, "issues.yaml", "  status_quo: split\n", "  status_quo: split\n  keywords: [troops]\n")
    edit(toy_dir, "issues.yaml", '  status_quo: "100"\n', '  status_quo: "100"\n  phrasings: [Troops]\n')
    (line,) = problems(toy_dir)
    assert "army.phrasings: 'Troops' is also a keyword of issue 'land'" in line, line


def test_verified_provisions_resting_only_on_weak_sources_are_warned(toy_dir: Path) -> None:
    assert load_case(toy_dir).warnings == ()
    edit(toy_dir, "sources.yaml", "  publisher: Example\n",
         "  publisher: Example\n  reliability: partisan\n"
         "- {id: s2, url: 'https://example.org/2', date: 2025-11-21, reliability: high}\n")
    edit(toy_dir, "plans/p2.yaml", "option: split, sources: [s1]", "option: split, sources: [s1, s2]")
    edit(toy_dir, "plans/p2.yaml", "continue., sources: [s1]", "continue., sources: [s1], status: summary")
    (w,) = load_case(toy_dir).warnings  # p1's two points rest on s1 alone; p2:1 has s2 too, p2:3 is a summary
    assert w.startswith("2 provisions marked verified rest only on low-rated or partisan sources") and w.endswith(
        ": p1:1, p1:2"), w


def test_an_obligation_of_several_parties_names_known_actors_once_each(toy_dir: Path) -> None:
    spec = '{indicator: violations, comparator: "==", threshold: 0, deadline_days: 1, obliged: %s}'
    edit(toy_dir, "plans/p1.yaml", "option: all-b, sources: [s1]}",
         "option: all-b, sources: [s1], obligation: " + spec % "[a, b]" + "}")
    spec_of = load_case(toy_dir).plan("p1").provisions[0].obligation
    assert spec_of is not None and spec_of.obliged == ("a", "b")
    edit(toy_dir, "plans/p1.yaml", "obliged: [a, b]", "obliged: [a, zeta]")
    (line,) = problems(toy_dir)
    assert "plans/p1.yaml:5: provisions[1].obligation.obliged: unknown actor 'zeta'" in line, line
    edit(toy_dir, "plans/p1.yaml", "obliged: [a, zeta]", "obliged: [a, a]")
    lines = problems(toy_dir)  # (and p2, based on the plan that failed, names an unknown plan)
    assert any("plans/p1.yaml:5: p1.provisions.0.obligation.obliged: names 'a' twice; expected distinct actor ids"
               in x for x in lines), lines
