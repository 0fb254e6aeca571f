"""The monitoring commands end to end, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from accord.cli import app, main
from accord.errors import AccordError
from accord.monitor.keys import private_key_from_pem, private_key_from_seed, public_key_hex
from accord.monitor.reports import Report, sign_report, to_csv
from accord.store.url import normalize_url

runner = CliRunner()


def cli(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    if r.exception and not isinstance(r.exception, SystemExit):
        raise r.exception
    return r.exit_code, r.stdout, r.stderr


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from accord.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


def sql(url: str, statement: str) -> None:
    engine = create_engine(normalize_url(url))
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


def test_monitoring_desk_end_to_end(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    db = ("--db", db_url)
    code, out, err = cli("sign", "--plan", "us-28-point", "--date", "2026-01-15", *db, "--json")
    assert code == 0, err
    signed = json.loads(out)
    assert signed["new"] is True and signed["agreement"]["id"] == "us-28-point@2026-01-15"
    army = next(o for o in signed["obligations"] if o["provision"] == "6")
    assert (army["indicator"], army["comparator"], army["threshold"]) == ("ukraine_armed_forces_headcount", "<=",
                                                                          600000)
    from accord.store.keyfile import default_log_key_path

    log_key = default_log_key_path(db_url)
    assert not list(tmp_path.glob("*.pem")) and (log_key.stat().st_mode & 0o777) == 0o600  # apart from the db
    assert json.loads(cli("sign", "--plan", "us-28-point", "--date", "2026-01-15", *db, "--json")[1])["new"] is False

    code, out, _ = cli("keys", "create", "--monitor", "m1", "--name", "Monitor one", *db, "--json")
    assert code == 0 and json.loads(out)["new"] is True and Path("m1.key.pem").is_file()
    key = private_key_from_pem(Path("m1.key.pem").read_bytes())

    code, out, err = cli("reports", "add", "--monitor", "m1", "--indicator", "election_held", "--value", "0",
                         "--observed-at", "2026-03-01", "--source", "commission", "--key", "m1.key.pem", *db, "--json")
    assert code == 0 and json.loads(out)["stored"] == 1, err
    code, out, err = cli("reports", "add", "--monitor", "m1", "--indicator", "election_held", "--value", "1",
                         "--observed-at", "2026-03-01", "--source", "commission", *db)
    assert code == 1 and "unsigned report" in err

    good = [sign_report(Report(monitor="m1", indicator="ukraine_armed_forces_headcount", value=v,
                               observed_at=d, source="registers"), key)
            for v, d in ((700000, "2026-05-01"), (650000, "2026-07-20"))]
    lines = to_csv(good).splitlines()
    forged = lines[1].replace("700000", "500000")
    lines[2:2] = ["m1,ukraine_armed_forces_headcount,lots,2026-05-02,registers,,,", forged, "m1,too,few"]
    Path("reports.csv").write_text("\n".join(lines) + "\n")
    code, out, err = cli("reports", "import", "reports.csv", *db, "--json")
    assert code == 1
    rows = json.loads(out)["rows"]
    assert [(r["row"], r["outcome"]) for r in rows] == [
        (2, "stored"), (3, "rejected"), (4, "rejected"), (5, "rejected"), (6, "stored")]
    assert err.splitlines() == [
        "error: reports.csv:3: value: Input should be a valid number, unable to parse string as a number",
        "error: reports.csv:4: signature does not verify with monitor 'm1''s registered key",
        "error: reports.csv:5: expected 8 fields, found 3",
    ]
    Path("more.csv").write_text("\n".join([lines[0], "m1,x,1,2026-05-03,s,,,", lines[5]]) + "\n")
    with pytest.raises(AccordError, match="more.csv:2: unsigned report"):
        cli("reports", "import", "more.csv", *db, "--strict")
    code, out, _ = cli("reports", "list", *db, "--json")
    assert len(json.loads(out)) == 3

    code, out, _ = cli("compliance", *db, "--as-of", "2026-08-01", "--json")
    board = json.loads(out)
    assert set(board) == {"as_of", "window_days", "synthetic_reports", "ignored_future_reports", "agreements",
                          "obligations", "scorecard", "timeline", "reports", "tolerance", "known_by",
                          "transcribed_reports", "unpublished_reports", "published_later_reports", "revoked_reports",
                          "ledger"}
    status = {o["provision"]: o["status"] for o in board["obligations"]}
    assert status["6"] == "breach" and status["25"] == "overdue" and status["28"] == "unknown"
    assert board["obligations"][0]["evidence"] and len(board["reports"]) == 3
    ceasefire = next(o for o in board["obligations"] if o["provision"] == "28")  # binds both sides
    assert ceasefire["obliged"] == ["russia", "ukraine"]
    assert [(p["actor"], p["status"]) for p in ceasefire["parties"]] == [("russia", "unknown"), ("ukraine", "unknown")]
    card = {c["actor"]: c["total"] for c in board["scorecard"]}
    assert card == {"europe": 1, "russia": 4, "ukraine": 4}  # 24 and 28 count once for each side, 7 points in all
    code, out, _ = cli("compliance", *db, "--as-of", "2026-08-01")
    assert code == 0 and "breach" in out and "Scorecard" in out
    assert "russia: unknown" in out and "ukraine: unknown" in out

    code, out, _ = cli("ledger", "verify", *db, "--json")
    v = json.loads(out)
    assert code == 0 and v["ok"] and v["size"] == 12 and v["first_bad_entry"] is None
    code, out, _ = cli("ledger", "proof", "--entry", "3", *db, "--json")
    assert code == 0 and json.loads(out)["verified"] and json.loads(out)["entry"]["kind"] == "obligation"
    code, out, _ = cli("ledger", "proof", "--from", "1", *db, "--json")
    assert code == 0 and json.loads(out)["verified"]
    code, out, _ = cli("ledger", "head", *db, "--json")
    Path("head.json").write_text(out)
    assert json.loads(out)["size"] == 12

    code, out, _ = cli("export", *db, "--out", "backup.jsonl")
    assert code == 0
    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    code, out, _ = cli("import", "backup.jsonl", "--db", restored)
    assert code == 0 and "12 entries" in out
    assert cli("ledger", "verify", "--db", restored, "--against", "head.json")[0] == 0

    # tamper with a stored report: verify fails and names the entry
    sql(db_url, "UPDATE ledger_entry SET content = REPLACE(content, '650000', '599000') WHERE seq = 11")
    code, out, err = cli("ledger", "verify", *db)
    assert code == 1
    assert "first bad entry #11" in err and "entry #11 (report ukraine_armed_forces_headcount)" in err


def test_truncated_log_is_caught_against_a_saved_head(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("sign", "--plan", "us-28-point", "--date", "2026-01-15")[0] == 0
    Path("head.json").write_text(cli("ledger", "head", "--json")[1])
    assert cli("sign", "--plan", "us-28-point", "--date", "2026-02-01")[0] == 0
    head = json.loads(Path("head.json").read_text())
    assert cli("ledger", "verify", "--against", "head.json")[0] == 0
    # drop everything signed after the first head: consistent by itself, but not with what we saw
    sql("sqlite:///accord.db", f"DELETE FROM ledger_entry WHERE seq >= {head['size'] - 1}")
    sql("sqlite:///accord.db", f"DELETE FROM ledger_node WHERE (idx + 1) * (1 << level) > {head['size'] - 1}")
    sql("sqlite:///accord.db", f"DELETE FROM tree_head WHERE size > {head['size'] - 1}")
    code, out, err = cli("ledger", "verify", "--against", "head.json")
    assert code == 1 and "entries were removed" in err
    code, _, err = cli("ledger", "verify", "--pubkey", "11" * 32)
    assert code == 1 and "not signed with the trusted key" in err


def test_keys_and_log_key_handling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    pub = "9315c73140e40ac2db604534396086d9e6701703b935082a7d608363d091de25"
    code, out, _ = cli("keys", "add", "--monitor", "alpha", "--public-key", pub, "--json")
    assert code == 0 and json.loads(out)["key_id"]
    assert json.loads(cli("keys", "add", "--monitor", "alpha", "--public-key", pub, "--json")[1])["new"] is False
    listed = json.loads(cli("keys", "list", "--json")[1])
    assert [m["id"] for m in listed["monitors"]] == ["alpha"] and len(listed["log_keys"]) == 1
    from accord.store.keyfile import default_log_key_path

    key = default_log_key_path("sqlite:///accord.db")
    assert key.is_file() and key.parent != tmp_path and not list(tmp_path.glob("*.pem"))  # apart from the database
    key.rename("moved.pem")
    beta = public_key_hex(private_key_from_seed(bytes([7]) * 32))
    r = run("keys", "add", "--monitor", "beta", "--public-key", beta, cwd=tmp_path)
    assert r.returncode == 2 and f"{key}: no such file" in r.stderr
    assert cli("keys", "add", "--monitor", "beta", "--public-key", beta, "--log-key", "moved.pem")[0] == 0


@pytest.mark.parametrize(("args", "message"), [
    (["sign", "--plan", "us-28-point", "--date", "2026-13-01"], "--date: '2026-13-01' is not a date"),
    (["sign", "--plan", "nope", "--date", "2026-01-01"], "no plan 'nope'"),
    (["reports", "import", "missing.csv"], "missing.csv: no such file"),
    (["compliance", "--db", "mysql://x/y"], "expected sqlite:///FILE or postgresql://"),
    (["compliance", "--db", "sqlite:///nope/x.db"], "the folder nope does not exist; create it first"),
    (["report", "--db", "sqlite:///nope/x.db", "--no-solve", "--no-forecast"], "the folder nope does not exist"),
    (["keys", "add", "--monitor", "m", "--public-key", "abcd"], "32 bytes"),
    (["ledger", "proof"], "give --entry N"),
    (["ledger", "head"], "the ledger is empty"),
    (["reports", "add", "--monitor", "m", "--indicator", "i", "--value", "1", "--observed-at", "soon",
      "--source", "s"], "observed_at"),
])
def test_errors_are_one_line_without_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str], args: list[str],
                                               message: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["accord", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    err = capsys.readouterr().err
    assert exit_.value.code == 2, err
    assert message in err and "Traceback" not in err
    assert all(line.startswith("error: ") for line in err.strip().splitlines())
    assert not list(tmp_path.glob("*.pem"))  # bad input creates no log key


def test_reports_sign_prepares_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("keys", "create", "--monitor", "m1")[0] == 0
    assert cli("sign", "--plan", "us-28-point", "--date", "2026-01-15")[0] == 0  # reports need a watched indicator
    Path("raw.csv").write_text("monitor,indicator,value,observed_at,source\nm1,election_held,1,2026-05-01,ec\n")
    assert cli("reports", "sign", "raw.csv", "--key", "m1.key.pem", "--out", "signed.jsonl")[0] == 0
    code, out, _ = cli("reports", "import", "signed.jsonl", "--json")
    assert code == 0 and json.loads(out)["stored"] == 1


def test_a_missing_folder_is_not_created_and_accord_db_is_the_one_default(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.store.url import found_url

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACCORD_DB", raising=False)
    with pytest.raises(AccordError, match="the folder nope does not exist"):
        cli("compliance", "--db", "sqlite:///nope/x.db")
    assert not (tmp_path / "nope").exists()
    assert found_url() is None  # no accord.db yet: report and serve run without a database
    assert cli("sign", "--plan", "us-28-point", "--date", "2026-01-01")[0] == 0  # writes ./accord.db
    assert (tmp_path / "accord.db").is_file() and found_url() == "sqlite:///accord.db"
    code, out, err = cli("report", "--no-solve", "--no-forecast", "--json")
    assert code == 0, err
    assert json.loads(out)["sections"]["compliance"] == "rendered"  # report read ./accord.db by itself
    monkeypatch.setenv("ACCORD_DB", "sqlite:///other.db")
    assert found_url() == "sqlite:///other.db"


def test_the_docs_tour_with_the_sample_reports(tmp_path: Path) -> None:
    """docs/monitor.md: sign, create m1's key, sign the sample file, import it, read the board."""
    sample = Path(__file__).resolve().parents[2] / "docs" / "examples" / "reports.csv"
    for args in (["sign", "--plan", "us-28-point", "--date", "2026-01-15"],
                 ["keys", "create", "--monitor", "m1", "--name", "Monitor one"],
                 ["reports", "sign", str(sample), "--key", "m1.key.pem", "--out", "signed.csv"],
                 ["reports", "import", "signed.csv"]):
        r = run(*args, cwd=tmp_path)
        assert r.returncode == 0, (args, r.stderr)
    assert "4 stored, 0 already in the ledger, 0 rejected" in r.stdout + r.stderr
    board = json.loads(run("compliance", "--as-of", "2026-08-01", "--json", cwd=tmp_path).stdout)
    cap = next(o for o in board["obligations"] if o["indicator"] == "ukraine_armed_forces_headcount")
    assert cap["status"] == "overdue"  # 640,000 observed against the 600,000 cap

