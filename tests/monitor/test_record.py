"""A case's public record: transcriptions, rate obligations, disputed figures, the bundled Gaza record."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import AccordError, CaseError
from accord.model import Source, load_case
from accord.monitor import keys
from accord.monitor.compliance import assess, board, figures_apart
from accord.monitor.obligations import Obligation, agreement_for, obligations_for
from accord.monitor.record import load_record, parse_record, transcriptions
from accord.monitor.reports import Report, report_problem, sign_report, signing_payload
from accord.monitor.tally import Tally
from accord.report.compliance import compliance_view

runner = CliRunner()
KEY = keys.private_key_from_seed(bytes(range(32)))
AID = Obligation(id="a#7", agreement="a", provision="7", title="Aid", indicator="aid_trucks", comparator=">=",
                 threshold=600, unit="trucks", signed=dt.date(2025, 10, 10), due=dt.date(2025, 10, 12),
                 obliged="israel", per="day")


def trucks(body: str, value: float, start: str, end: str, published: str = "2025-12-10") -> Report:
    return Report(monitor="desk", indicator="aid_trucks", value=value, period_start=start, observed_at=end,
                  source=f"{body} figure", kind="transcription", body=body, url="https://example.org/x",
                  published=published)


# -- transcriptions ---------------------------------------------------------------------------------
def test_a_transcription_is_signed_as_one_and_cannot_pass_as_an_observation() -> None:
    t = sign_report(trucks("cogat", 25700, "2025-10-12", "2025-12-07"), KEY)
    assert b'"type":"accord.transcription/1"' in signing_payload(t)
    assert report_problem(t, {"desk": [keys.public_key_hex(KEY)]}) is None
    assert t.speaker == "cogat" and t.monitor == "desk" and t.days == 56
    as_observation = t.model_copy(update={"kind": "observation", "body": None, "url": None, "published": None})
    assert report_problem(as_observation, {"desk": [keys.public_key_hex(KEY)]}) is not None
    with pytest.raises(ValueError, match="a transcription needs body, url"):
        Report(monitor="desk", indicator="x", value=1, observed_at="2025-12-07", source="s", kind="transcription")
    with pytest.raises(ValueError, match="only a transcription names a body"):
        Report(monitor="m", indicator="x", value=1, observed_at="2025-12-07", source="s", body="cogat")
    with pytest.raises(ValueError, match="period_start must come before observed_at"):
        trucks("cogat", 1, "2025-12-07", "2025-12-07")


def test_a_point_observation_keeps_its_original_encoding() -> None:
    r = Report(monitor="m1", indicator="election_held", value=1, observed_at="2026-04-30", source="ec")
    assert set(r.to_json()) == {"monitor", "indicator", "value", "observed_at", "location", "source",
                                "confidence", "signature"}
    assert signing_payload(r) == (b'{"confidence":1,"indicator":"election_held","location":null,"monitor":"m1",'
                                  b'"observed_at":"2026-04-30T00:00:00Z","source":"ec","type":"accord.report/1",'
                                  b'"value":1}')


# -- rates and disputed figures --------------------------------------------------------------------
def test_rate_obligation_judges_the_daily_average_and_shows_disputed_figures() -> None:
    cogat = trucks("cogat", 25700, "2025-10-12", "2025-12-07")      # 25,700 / 56 = 458.9
    un = trucks("un-2720", 6545, "2025-10-10", "2025-12-07")         # 6,545 / 58 = 112.8
    s = assess(AID, [cogat, un], dt.date(2025, 12, 7))
    assert (s.status, s.disputed, s.figures_disputed) == ("breach", False, True)
    assert s.reason == "observed 113 / 459 a day on 2025-12-07, after the due date; needs >= 600 a day"
    [c] = s.conflicts
    assert c.kind == "figures" and c.monitors == ("cogat", "un-2720") and set(c.fails) == {cogat.id, un.id}
    # the same two figures within the tolerance are no dispute
    assert not assess(AID, [cogat, un], dt.date(2025, 12, 7), tolerance=0.8).figures_disputed
    # one body says the rate is met, the other not: a verdict conflict, the status cannot be told
    claim = trucks("cogat", 34000, "2025-10-12", "2025-12-07")      # 607 a day
    s = assess(AID, [claim, un], dt.date(2025, 12, 7))
    assert (s.status, s.disputed) == ("unknown", True) and s.conflicts[0].kind == "verdict"


def test_known_by_leaves_out_what_was_not_yet_published() -> None:
    gmo = trucks("gaza-gmo", 3203, "2025-10-10", "2025-11-01", published="2025-11-02")
    late = [trucks("cogat", 25700, "2025-10-12", "2025-12-07", "2025-12-10"),
            trucks("un-2720", 6545, "2025-10-10", "2025-12-07", "2025-12-11")]
    hindsight = board([AID], [gmo, *late], dt.date(2025, 12, 7))
    assert hindsight.published_later == 2 and hindsight.obligations[0].figures_disputed
    then = board([AID], [gmo, *late], dt.date(2025, 12, 7), known_by=dt.date(2025, 12, 7))
    assert then.unpublished == 2 and then.published_later == 0
    assert then.obligations[0].reason == "observed 146 a day on 2025-11-01, after the due date; needs >= 600 a day"


def test_a_ratio_obligation_asks_per_unit_of_the_other_indicator() -> None:
    ob = Obligation(id="a#6", agreement="a", provision="6", title="Remains", indicator="pal", comparator=">=",
                    threshold=15, signed=dt.date(2025, 10, 10), due=dt.date(2025, 10, 13), obliged="israel",
                    per_unit_of="hostages")
    r = lambda ind, v, d: Report(monitor="m", indicator=ind, value=v, observed_at=d, source="s")  # noqa: E731
    hostages = [r("hostages", 9, "2025-10-17"), r("hostages", 12, "2025-10-19"), r("hostages", 24, "2025-11-13")]
    pal = [r("pal", 135, "2025-10-18"), r("pal", 150, "2025-10-19"), r("pal", 300, "2025-11-08")]
    assert assess(ob, hostages + pal[:1], dt.date(2025, 10, 18)).status == "compliant"        # 135 = 15 × 9
    s = assess(ob, hostages + pal[:2], dt.date(2025, 10, 19))
    assert s.status == "breach"                                                              # 150 < 15 × 12
    assert s.reason.endswith("needs >= 180 (15 per hostages: 12 on 2025-10-19)")
    assert assess(ob, hostages[:2] + pal, dt.date(2025, 11, 8)).status == "compliant"          # 300 >= 180
    s = assess(ob, hostages + pal, dt.date(2025, 11, 13))   # each count is judged against what was owed that day
    assert s.status == "compliant"
    b = board([ob], hostages + pal, dt.date(2025, 11, 13))
    assert [t.status for t in b.timeline] == ["due", "unknown", "compliant", "breach", "compliant"]
    assert ob.rule == "pal >= 15 per hostages"


@given(st.lists(st.floats(0.001, 1e6), min_size=2, max_size=6), st.floats(0.01, 1e3), st.floats(0, 0.99))
def test_figures_apart_does_not_depend_on_the_unit_or_the_order(xs: list[float], k: float, tol: float) -> None:
    assert figures_apart(xs, tol) == figures_apart([x * k for x in reversed(xs)], tol)
    assert figures_apart([xs[0], xs[0]], tol) is False


# -- the record file ----------------------------------------------------------------------------------
RECORD = """
agreement: {plan: p, signed: 2025-10-10}
bodies: [{id: un-2720, name: UN 2720 mechanism}]
observations:
  - {indicator: aid_trucks, body: un-2720, value: 6545, period_start: 2025-10-10, observed_at: 2025-12-07, source: s1}
"""
SOURCES = {"s1": Source(id="s1", url="https://example.org/un", date="2025-12-11", publisher="AP"),
           "s2": Source(id="s2", url="https://example.org/undated", undated=True)}


def test_a_record_names_every_problem_with_its_field() -> None:
    bad = (RECORD.replace("body: un-2720, value", "body: cogat, value").replace("source: s1", "source: s2")
           .replace("period_start: 2025-10-10", "period_start: 2025-12-08"))
    with pytest.raises(CaseError) as e:
        parse_record(bad, SOURCES, {"rafah_open"})
    assert [(p.field, p.message.split(";")[0]) for p in e.value.problems] == [
        ("observations[0].body", "unknown body 'cogat'"),
        ("observations[0].source", "source 's2' has no publication date"),
        ("observations[0].indicator", "no obligation of the signed plan observes 'aid_trucks'"),
        ("observations[0].period_start", "must come before observed_at"),
    ]
    with pytest.raises(CaseError, match=r"record.yaml: observations\[0\].value: Input should be a valid number"):
        parse_record(RECORD.replace("value: 6545", "value: lots"), SOURCES)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b]\n"
    with pytest.raises(CaseError, match=r"record.yaml:1: a YAML alias"):
        parse_record(bomb, SOURCES)
    [r] = transcriptions(parse_record(RECORD, SOURCES, {"aid_trucks"}), SOURCES, "desk")
    assert (r.speaker, r.url, r.published, r.days) == ("un-2720", "https://example.org/un", dt.date(2025, 12, 11), 58)


# -- the bundled Gaza record --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gaza() -> tuple[list[Obligation], list[Report]]:
    case = load_case("gaza_2025")
    rec = load_record(case)
    assert rec is not None
    plan = case.plan(rec.agreement.plan)
    obs = obligations_for(plan, agreement_for(case.id, plan, rec.agreement.signed))
    return obs, transcriptions(rec, {s.id: s for s in case.sources}, "desk")


def test_gaza_board_holds_on_every_day_of_the_record(gaza: tuple[list[Obligation], list[Report]]) -> None:
    obs, reports = gaza
    last = max(r.observed_on for r in reports)
    remains = [r for r in reports if r.indicator == "hostage_remains_returned"]
    assert [r.value for r in remains] == sorted(r.value for r in remains), "a cumulative count never falls"
    day = dt.date(2025, 10, 10)
    while day <= last:
        b = board(obs, reports, day)
        assert all(r.observed_on <= day for r in b.reports.values())
        assert len(b.obligations) == len(obs)
        day += dt.timedelta(days=1)
    final = {s.obligation.provision: s for s in board(obs, reports, last).obligations}
    assert (final["4"].status, final["4"].late_days) == ("compliant", 105)     # Ran Gvili, 26 Jan 2026
    assert final["7"].status == "breach" and final["7"].figures_disputed


def test_figures_of_one_moment_are_listed_by_body_whoever_transcribed_them(
        gaza: tuple[list[Obligation], list[Report]]) -> None:
    # the IDF and CENTCOM both put the forces on the line at 09:00 on 10 Oct; COGAT and the UN 2720 mechanism
    # both counted aid trucks to 7 Dec. A transcription's id changes with its importer, so ordering by id listed
    # them differently from one import to the next; listed by date, then body, they stay put
    obs, _ = gaza
    case = load_case("gaza_2025")
    rec = load_record(case)
    assert rec is not None
    sources = {s.id: s for s in case.sources}
    line = next(o for o in obs if o.indicator == "forces_at_agreed_line")
    aid = next(o for o in obs if o.indicator == "aid_trucks")
    for importer in ("desk", "desk-2", "record-desk", "x", "y", "z", "importer-7", "importer-8"):
        reports = [sign_report(r, KEY) for r in transcriptions(rec, sources, importer)]
        by_id = {r.id: r for r in reports}
        for ob, day, want in ((line, dt.date(2025, 10, 11), ["centcom", "idf"]),
                              (aid, dt.date(2025, 12, 8), ["cogat", "un-2720"])):
            full = assess(ob, reports, day)
            assert [by_id[i].speaker for i in full.latest] == want, importer
            j = Tally.of(ob, reports).judge(day)
            assert j is not None and [by_id[i].speaker for i in j.latest] == want, importer
        report = compliance_view(board(obs, reports, dt.date(2025, 12, 8)))
        row = next(r for r in report.rows if r.indicator == "aid_trucks")
        assert row.observed is not None and row.observed.index("cogat") < row.observed.index("un-2720")


def test_record_show_lists_by_date_then_body() -> None:
    r = runner.invoke(app, ["record", "show", "--case", "gaza_2025", "--json"])
    assert r.exit_code == 0, r.output
    rows = [(o["observed_at"], o["body"], o["indicator"]) for o in json.loads(r.output)["observations"]]
    assert rows == sorted(rows) and len(rows) == 33
    assert [b for t, b, _ in rows if t.startswith("2025-10-10")] == ["centcom", "idf"]


def _cli(tmp: Path, *args: str) -> tuple[int, str]:
    r = runner.invoke(app, [*args, "--db", f"sqlite:///{tmp / 'g.db'}"], catch_exceptions=False)
    return r.exit_code, r.stdout


def test_record_import_then_compliance_and_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = _cli(tmp_path, "record", "import", "--case", "gaza_2025", "--json")
    first = json.loads(out)
    assert code == 0 and first["stored"] == 33 and first["agreement"] == "phase-one@2025-10-10"
    code, out = _cli(tmp_path, "record", "import", "--case", "gaza_2025", "--json")
    assert code == 0 and (json.loads(out)["stored"], json.loads(out)["duplicate"]) == (0, 33)
    code, out = _cli(tmp_path, "compliance", "--case", "gaza_2025", "--as-of", "2025-12-07", "--json")
    b = json.loads(out)
    ob = {o["provision"]: o for o in b["obligations"]}
    aid, remains = ob["7"], ob["4"]
    assert aid["status"] == "breach" and aid["figures_disputed"] and aid["per"] == "day"
    said = [(b["reports"][rid]["speaker"], round(aid["figures"][rid])) for rid in aid["latest"]]
    assert said == [("cogat", 459), ("un-2720", 113)]  # one date: by body
    assert {b["reports"][rid]["url"] for rid in aid["latest"]} == {
        "https://www.hurriyetdailynews.com/aid-flow-into-gaza-falls-short-of-the-ceasefire-terms-israeli-figures-"
        "show-216708", "https://www.daijiworld.com/news/newsDisplay?newsID=1300485"}
    assert [(b["reports"][r]["observed_at"][:10], b["reports"][r]["value"]) for r in remains["evidence"]] == [
        ("2025-10-13", 4), ("2025-10-15", 7), ("2025-10-17", 9), ("2025-10-19", 12), ("2025-10-30", 15),
        ("2025-11-04", 20), ("2025-11-13", 24), ("2025-12-04", 27)]
    assert b["transcribed_reports"] == len(b["reports"]) and b["published_later_reports"] == 2
    code, out = _cli(tmp_path, "compliance", "--case", "gaza_2025", "--as-of", "2025-12-07")
    text = " ".join(out.split())
    assert code == 0 and "PUBLIC RECORD" in text and "--known-by 2025-12-07" in text
    assert "cogat, un-2720 agree on the verdict but not on the figures" in text
    assert "cogat: 459 trucks a day (25,700 over 56 days from 2025-10-12) on 2025-12-07" in text
    code, out = _cli(tmp_path, "ledger", "verify", "--json")
    assert code == 0 and json.loads(out)["ok"] is True and json.loads(out)["size"] == first["tree_size"]


def test_compliance_for_a_case_with_nothing_recorded_says_what_to_do(tmp_path: Path) -> None:
    r = runner.invoke(app, ["compliance", "--case", "gaza_2025", "--db", f"sqlite:///{tmp_path / 'e.db'}"])
    assert isinstance(r.exception, AccordError) and "accord record import --case gaza_2025" in str(r.exception)
    r = runner.invoke(app, ["record", "show", "--case", "ukraine_2025"])
    assert isinstance(r.exception, AccordError) and "ships no public record" in str(r.exception)
