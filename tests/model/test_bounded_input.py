"""Inputs that used to take the machine or give a traceback now give one clear problem each.

Each test reproduces a hole found by probing (issue 16): a 709-byte YAML alias
bomb, an oversized file, deep nesting, an empty ``case.yaml``, a symlink loop,
a link out of the case folder, a FIFO, rules nested 200 deep. The hypothesis
tests fuzz the loader and the rule parser: clean error or success, never a
traceback; they are bounded by example counts, not by time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import AccordError, CaseError
from accord.model import load_case
from accord.model.load import LOCATE_MAX_BYTES, MAX_DEPTH, MAX_FILE_BYTES
from accord.model.rules import MAX_DEPTH as RULE_DEPTH
from accord.model.rules import RuleError, parse_rule, rule_problems
from tests.conftest import TOY, write_case


def problems(folder: Path) -> list[str]:
    with pytest.raises(CaseError) as e:
        load_case(folder)
    return e.value.lines()


def alias_bomb() -> str:
    """Nine levels of nine aliases: 709 bytes that expand to 387 million strings."""
    defs = '  x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    defs += "".join(f"  x{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9))
    actors = textwrap.dedent(TOY["actors.yaml"])
    return actors.replace("  name: Alpha\n", "  name: Alpha\n" + defs + "  aliases: *a8\n", 1)


def test_an_alias_bomb_is_refused_without_expanding_it(toy_dir: Path) -> None:
    (toy_dir / "actors.yaml").write_text(alias_bomb())
    # in a child process with a timeout: before the fix this never finished (and took gigabytes)
    code = (f"from accord.model import load_case\nfrom accord.errors import CaseError\n"
            f"try:\n    load_case({str(toy_dir)!r})\nexcept CaseError as e:\n    print(e.lines()[0])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "actors.yaml:3:" in r.stdout and "aliases (*name) are not allowed" in r.stdout


def test_any_alias_is_refused_with_its_line(toy_dir: Path) -> None:
    p = toy_dir / "sources.yaml"
    p.write_text("- &s\n  id: s1\n  url: https://example.org/toy\n  date: 2025-11-21\n- *s\n")
    (line,) = problems(toy_dir)
    assert "sources.yaml:1:" in line and "alias" in line


def test_an_oversized_file_is_refused_before_it_is_parsed(toy_dir: Path) -> None:
    p = toy_dir / "sources.yaml"
    p.write_text(p.read_text() + "# " + "x" * MAX_FILE_BYTES + "\n")
    (line,) = problems(toy_dir)
    assert "sources.yaml" in line and f"at most {MAX_FILE_BYTES:,}" in line


def test_a_large_file_gets_no_second_slow_parse(toy_dir: Path) -> None:
    """Over LOCATE_MAX_BYTES the problem comes from the fast parse alone (no line), under it with its line."""
    p = toy_dir / "plans" / "p1.yaml"
    bad = p.read_text().replace("option: all-b", "option: all-c")
    p.write_text(bad)
    (small,) = problems(toy_dir)
    assert "p1.yaml:5:" in small
    p.write_text(bad + "# " + "x" * LOCATE_MAX_BYTES + "\n")
    (large,) = problems(toy_dir)
    assert "p1.yaml: " in large and "all-c" in large


def test_deep_nesting_is_refused(toy_dir: Path) -> None:
    deep = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    (toy_dir / "sources.yaml").write_text(f"- id: s1\n  url: https://example.org/toy\n  note: {deep}\n")
    (line,) = problems(toy_dir)
    assert "sources.yaml:3:" in line and f"deeper than {MAX_DEPTH}" in line


def test_an_empty_case_yaml_is_a_problem_not_a_traceback(toy_dir: Path) -> None:
    (toy_dir / "case.yaml").write_text("")
    (line,) = problems(toy_dir)
    assert line.endswith("case.yaml: expected a mapping with id, name, axis (the file is empty)")


def test_scale_points_that_are_not_numbers_are_a_problem(toy_dir: Path) -> None:
    # found by test_fuzz_case_loader: a stray colon made the list a string, and the scale crashed on it
    issues = toy_dir / "issues.yaml"
    issues.write_text(issues.read_text().replace("points: [100, 50, 0]", "points: :[100, 50, 0]"))
    assert any("points" in line and "valid tuple" in line for line in problems(toy_dir))


@pytest.mark.parametrize("text", ["? ", "? \nhorizon: 2026-01-01\nx: 1\n", "1: a\nb: 2\n"])
def test_scenario_keys_that_are_null_or_numbers_are_problems(toy_dir: Path, text: str) -> None:
    # found by test_fuzz_case_loader in CI: "? " is a mapping with a null key, and sorting it beside text crashed
    (toy_dir / "scenarios.yaml").write_text(text)
    lines = problems(toy_dir)
    assert any("scenarios.yaml" in line and "unknown field; expected horizon and scenarios" in line for line in lines)


def test_a_symlink_loop_in_plans_is_a_problem(toy_dir: Path) -> None:
    os.symlink("loop.yaml", toy_dir / "plans" / "loop.yaml")
    (line,) = problems(toy_dir)
    assert "plans/loop.yaml: cannot be opened" in line


def test_a_link_out_of_the_case_folder_is_not_read(toy_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((toy_dir / "plans" / "p2.yaml").read_text())
    (toy_dir / "plans" / "p2.yaml").unlink()
    os.symlink(outside, toy_dir / "plans" / "p2.yaml")
    (line,) = problems(toy_dir)
    assert "plans/p2.yaml: links to a file outside the case folder" in line
    os.symlink(tmp_path / "nothing", toy_dir / "plans" / "p3.yaml")
    assert any("plans/p3.yaml: a link to nothing" in x for x in problems(toy_dir))


def test_a_link_inside_the_case_folder_is_fine(toy_dir: Path) -> None:
    (toy_dir / "plans" / "p2.yaml").rename(toy_dir / "p2-source.yaml.txt")
    os.symlink(toy_dir / "p2-source.yaml.txt", toy_dir / "plans" / "p2.yaml")
    assert [p.id for p in load_case(toy_dir).plans] == ["p1", "p2"]


def test_a_fifo_is_not_opened(toy_dir: Path) -> None:
    os.mkfifo(toy_dir / "plans" / "pipe.yaml")  # opening it to read would block forever
    (line,) = problems(toy_dir)
    assert "plans/pipe.yaml: not a regular file" in line


def test_cli_validate_gives_one_line_per_problem_never_a_traceback(toy_dir: Path) -> None:
    (toy_dir / "case.yaml").write_text("")
    (toy_dir / "actors.yaml").write_text(alias_bomb())
    os.symlink("loop.yaml", toy_dir / "plans" / "loop.yaml")
    r = subprocess.run([sys.executable, "-c", "from accord.cli import main; main()", "validate", str(toy_dir)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 3, r.stderr


@pytest.mark.parametrize("rule", [
    "(" * 200 + "utility(a) > 0" + ")" * 200,
    "not " * 200 + "accepts(a)",
    "-" * 200 + "utility(a) > 0",
    " + ".join(["utility(a)"] * 100) + " > 0",
    "utility(a) > 0 or " * 300 + "true",
])
def test_deep_or_long_rules_are_clean_errors(rule: str) -> None:
    with pytest.raises(RuleError) as e:
        parse_rule(rule)
    assert "deeper than" in str(e.value) or "characters long" in str(e.value)
    assert rule_problems(rule, {"land": ["x"]}, {"a"})  # the case checker reports it, not raises


def test_rules_within_the_limits_still_parse() -> None:
    ok = "(" * (RULE_DEPTH - 1) + "utility(a) > 0" + ")" * (RULE_DEPTH - 1)
    assert parse_rule(ok) is not None
    assert parse_rule(" + ".join(["utility(a)"] * RULE_DEPTH) + " > 0") is not None


# -- fuzzing: clean error or success, never a traceback ---------------------------------------------

def examples(default: int) -> int:
    """Examples per fuzz test: bounded for CI (a few seconds each); ``ACCORD_FUZZ_EXAMPLES=5000`` to hunt longer."""
    return int(os.environ.get("ACCORD_FUZZ_EXAMPLES", default))


HUNTING = "ACCORD_FUZZ_EXAMPLES" in os.environ
"""Hunting draws new inputs on every run; otherwise the examples are derandomized, so a run's verdict is the
code's, not the draw's (a bug a hunt finds gets its own regression test, as the ones above)."""


RULE_TOKENS = ["utility", "batna", "position", "option", "accepts", "crossed", "salience", "(", ")", ",", "a",
               "land", "and", "or", "not", "in", "between", "[", "]", "<", "<=", "==", "!=", ">", "+", "-", "*",
               "/", "1", "2.5", "'x'", '"y', "true", "false", " ", "@", "\u00e9", "1e999", "--", "'"]


@settings(max_examples=examples(400), deadline=None, database=None, derandomize=not HUNTING,
          suppress_health_check=list(HealthCheck))
@given(st.one_of(st.text(max_size=80), st.lists(st.sampled_from(RULE_TOKENS), max_size=40).map(" ".join),
                 st.lists(st.sampled_from(RULE_TOKENS), max_size=60).map("".join)))
def test_fuzz_rule_parser(text: str) -> None:
    try:
        parse_rule(text)
    except RuleError as e:
        assert e.col >= 1 and "\n" not in str(e)
    out = rule_problems(text, {"land": ["x", "y"]}, {"a"})
    assert isinstance(out, list) and all(isinstance(p, str) for p in out)


FILES = sorted(k for k in TOY if k != "case.yaml") + ["case.yaml", "scenarios.yaml", "outcomes.yaml"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                    st.dates())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=20)
YAML_BITS = [":", "-", " ", "\n", "[", "]", "{", "}", "&a", "*a", "!!python/object:os.system", "'", '"', "#",
             "\t", "? ", "|", ">", "%", "@", "\x00", "\ufeff", "<<: *a", "id", "1e999", ".nan", "~"]


def _mutated(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(FILES))
    base = TOY.get(name, "")
    text = textwrap.dedent(base)
    kind = draw(st.integers(0, 2))
    if kind == 0:
        for _ in range(draw(st.integers(1, 4))):
            i = draw(st.integers(0, len(text)))
            j = draw(st.integers(i, min(len(text), i + 6)))
            text = text[:i] + draw(st.sampled_from(YAML_BITS + [""])) + text[j:]
    elif kind == 1:
        text = yaml.safe_dump(draw(values), allow_unicode=True)
    else:
        text = draw(st.text(max_size=200))
    return name, text


@settings(max_examples=examples(100), deadline=None, database=None, derandomize=not HUNTING,
          suppress_health_check=list(HealthCheck))
@given(st.data())
def test_fuzz_case_loader(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    folder = write_case(tmp_path_factory.mktemp("fuzz") / "toy", TOY)
    for _ in range(data.draw(st.integers(1, 2))):
        name, text = data.draw(st.builds(lambda: None).flatmap(lambda _: st.composite(_mutated)()))
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_case(folder)
    except AccordError as e:
        assert e.problems and all("\n" not in line for line in e.lines()), e.lines()
