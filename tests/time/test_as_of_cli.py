"""``--as-of`` on the case commands: plans judged as of their own date, views of a date, clean errors."""

from __future__ import annotations

import html as htmllib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.model import load_case
from tests.cli.test_case_commands import run

runner = CliRunner()


def cli_json(*args: str) -> dict:  # type: ignore[type-arg]
    r = runner.invoke(app, [*args, "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)  # type: ignore[no-any-return]


def test_assess_judges_a_plan_as_of_its_own_date(moving_dir: Path) -> None:
    # p2 (15 Dec) splits the land: by then Alpha accepts the split (11 Dec) — utility 0.75·0.5 + 0.25·1
    out = cli_json("assess", "--case", str(moving_dir), "--plan", "p2")
    assert out["as_of"] == "2025-12-15"
    a = out["actors"]["a"]
    assert a["red_lines"] == [] and a["accepts"] is True
    assert a["utility"] == pytest.approx(0.625)
    assert {c["provision"]: c["verdict"] for c in out["cells"] if c["actor"] == "a"}["1"] == "accepts"


def test_as_of_overrides_the_plan_date(moving_dir: Path) -> None:
    # on 1 December the split was still on Alpha's red line
    out = cli_json("assess", "--case", str(moving_dir), "--plan", "p1", "--as-of", "2025-12-01")
    assert out["as_of"] == "2025-12-01"
    early = cli_json("assess", "--case", str(moving_dir), "--plan", "p1")
    assert early["as_of"] == "2025-11-25"
    # Beta held no army position before 11 December: its land salience is rescaled to its full total
    assert early["actors"]["b"]["utility"] == pytest.approx(1.0)
    late = cli_json("assess", "--case", str(moving_dir), "--plan", "p1", "--as-of", "2025-12-31")
    assert late["actors"]["b"]["utility"] == pytest.approx(0.5 * 1.0 + 0.5 * 0.5)


def test_assess_says_which_date_it_used(moving_dir: Path) -> None:
    r = runner.invoke(app, ["assess", "--case", str(moving_dir), "--plan", "p2"])
    assert r.exit_code == 0, r.output
    assert "judged against the positions as of 2025-12-15, the plan's date" in " ".join(r.output.split())
    r = runner.invoke(app, ["assess", "--case", str(moving_dir), "--plan", "p2", "--as-of", "2025-12-20"])
    assert "judged against the positions as of 2025-12-20 (--as-of)" in " ".join(r.output.split())


def test_assess_without_a_plan_scores_every_plan_known_by_the_date(moving_dir: Path) -> None:
    out = cli_json("assess", "--case", str(moving_dir))
    assert out["as_of"] is None
    assert [(p["plan"], p["as_of"]) for p in out["plans"]] == [("p1", "2025-11-25"), ("p2", "2025-12-15")]
    assert out["plans"][1] == cli_json("assess", "--case", str(moving_dir), "--plan", "p2")
    # --as-of: only the plans dated by then, each judged as of that day
    out = cli_json("assess", "--case", str(moving_dir), "--as-of", "2025-12-01")
    assert (out["as_of"], [(p["plan"], p["as_of"]) for p in out["plans"]]) == ("2025-12-01", [("p1", "2025-12-01")])
    r = runner.invoke(app, ["assess", "--case", str(moving_dir)])
    text = " ".join(r.output.split())
    assert r.exit_code == 0 and "p1: judged against the positions as of 2025-11-25, the plan's date" in text
    assert "p2: judged against the positions as of 2025-12-15, the plan's date" in text
    r2 = run("assess", "--case", str(moving_dir), "--as-of", "2025-11-01")
    assert r2.returncode == 2 and r2.stderr.strip() == "error: --as-of: no plan of case 'toy' is dated by 2025-11-01"


def test_the_bundled_case_as_of_two_dates() -> None:
    """The issue's check: on 21 Nov only the 28-point plan is known; by 28 Dec Ukraine accepts the 800,000 cap of
    the revised texts while the 28-point plan's 600,000 stays on its red line, and the 28-point plan reads
    differently (Ukraine's points 15 and 27 become acceptable)."""
    early = cli_json("assess", "--as-of", "2025-11-21")
    late = cli_json("assess", "--as-of", "2025-12-28")
    assert [p["plan"] for p in early["plans"]] == ["us-28-point"]
    assert {p["as_of"] for p in late["plans"]} == {"2025-12-28"}

    def cap(out: dict, plan: str) -> tuple[str, str]:  # type: ignore[type-arg]
        p = next(x for x in out["plans"] if x["plan"] == plan)
        (c,) = [c for c in p["cells"] if c["actor"] == "ukraine" and c["issue"] == "military_limits"]
        return c["option"], c["verdict"]

    assert cap(early, "us-28-point") == cap(late, "us-28-point") == ("600k", "red_line")
    assert cap(late, "geneva-revision") == cap(late, "framework-20-point") == ("800k", "accepts")
    verdicts = [{(c["provision"], c["actor"]): c["verdict"] for c in out["plans"][0]["cells"]}
                for out in (early, late)]
    assert (verdicts[0][("15", "ukraine")], verdicts[1][("15", "ukraine")]) == ("conditional", "accepts")


@pytest.mark.parametrize("args, message", [
    (["assess", "--plan", "p2", "--as-of", "2025-12-01"],
     "error: --plan: 'p2' is dated 2025-12-15, after --as-of 2025-12-01: not known then"),
    (["assess", "--plan", "p1", "--as-of", "1 Dec"], "error: --as-of: '1 Dec' is not a date; expected YYYY-MM-DD"),
    (["plans", "diff", "p1", "p2", "--as-of", "2025-12-01"],
     "error: B: 'p2' is dated 2025-12-15, after --as-of 2025-12-01: not known then"),
    (["report", "--as-of", "2025-02-30", "--no-solve", "--no-forecast"],
     "error: --as-of: '2025-02-30' is not a date; expected YYYY-MM-DD"),
])
def test_bad_or_too_early_dates_are_one_line_errors(moving_dir: Path, args: list[str], message: str) -> None:
    r = run(*args[:1], *(["--case", str(moving_dir)] if args[0] != "plans" else []), *args[1:],
            *(["--case", str(moving_dir)] if args[0] == "plans" else []))
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr.strip() == message
    assert "Traceback" not in r.stdout + r.stderr


def test_plans_list_validate_and_diff_as_of(moving_dir: Path) -> None:
    assert [p["id"] for p in cli_json("plans", "list", "--case", str(moving_dir), "--as-of", "2025-12-01")] == ["p1"]
    v = cli_json("validate", str(moving_dir), "--as-of", "2025-12-01")
    assert (v["as_of"], v["positions"], v["plans"], v["states"]) == ("2025-12-01", 3, 1, 5)
    d = cli_json("plans", "diff", "p1", "p2", "--case", str(moving_dir), "--as-of", "2025-12-15")
    assert [i["issue"] for i in d["issues"] if i["changed"]] == ["land", "army"]


def test_report_as_of_shows_only_what_was_known(moving_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    res = cli_json("report", "--case", str(moving_dir), "-o", str(out), "--no-solve", "--no-forecast",
                   "--as-of", "2025-12-01")
    assert res["as_of"] == "2025-12-01"
    html = out.read_text()
    assert 'data-plan="p1"' in html and 'data-plan="p2"' not in html
    assert "As of 2025-12-01" in html
    # the positions section shows Alpha's red line of 21 November (split still on it)
    case = load_case(moving_dir).at(load_case(moving_dir).dates()[0])
    assert case.position("a", "land").red_line == ("all-b", "split")
    assert 'id="pos-a-land-2025-11-21"' in html and 'id="pos-a-land-2025-12-11"' not in html


def test_report_links_each_verdict_to_the_state_it_rests_on(moving_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    cli_json("report", "--case", str(moving_dir), "-o", str(out), "--no-solve", "--no-forecast")
    html = out.read_text()
    # p1 (25 Nov) rests on Alpha's first state; the latest view shows the 11 December state with the first
    # one among its earlier states, so both anchors exist
    assert 'href="#pos-a-land-2025-11-21"' in html and 'id="pos-a-land-2025-11-21"' in html
    assert 'id="pos-a-land-2025-12-11"' in html
    assert "Judged against the positions as of 2025-11-25, the plan's date" in htmllib.unescape(html)


NO_DATE = {
    "extract run", "extract sample", "extract eval", "extract train",  # read a case's vocabulary: no history
    "sign",  # reads the case as of the date of signature
    "record import",  # signs the whole record into the ledger
    "edits list", "edits export",  # the edit log, and the whole case written back
}


def _commands() -> list[tuple[str, set[str]]]:
    import typer.main

    def walk(cmd: object, path: list[str]) -> list[tuple[str, set[str]]]:
        if hasattr(cmd, "commands"):
            return [x for name, sub in cmd.commands.items() for x in walk(sub, [*path, name])]
        params = getattr(cmd, "params", [])
        return [(" ".join(path), {o for p in params for o in (getattr(p, "opts", None) or [])})]

    return walk(typer.main.get_command(app), [])


def test_every_command_that_reads_a_case_takes_as_of() -> None:
    found = _commands()
    reads = {name for name, opts in found if "--case" in opts or name == "validate"}
    assert {"assess", "moves", "review", "report", "serve", "plans diff", "record show"} <= reads
    missing = sorted(name for name, opts in found if name in reads - NO_DATE and "--as-of" not in opts)
    assert missing == []


def test_record_show_as_of_lists_only_figures_published_by_then() -> None:
    every = cli_json("record", "show", "--case", "gaza_2025")
    then = cli_json("record", "show", "--case", "gaza_2025", "--as-of", "2025-12-01")
    assert then["as_of"] == "2025-12-01" and 0 < len(then["observations"]) < len(every["observations"])
    assert all(o["published"] <= "2025-12-01" for o in then["observations"])
    assert [o for o in every["observations"] if o["published"] and o["published"] <= "2025-12-01"] == \
        then["observations"]
